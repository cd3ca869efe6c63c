"""Command line: ``python -m analysis run|validate``."""
import argparse
import sys
from pathlib import Path

from ..errors import AnalysisError, ParameterError
from ..measures.describe import corpus_summary
from ..rules import rules_for
from ..text.corpus import load_corpus_with_warnings
from .execute import NOTEBOOKS, ROOT, parse_value, run_notebooks

# In a checkout the shipped corpus and the repository are the defaults; installed, there are none.
DEFAULT_CORPUS = None if ROOT is None else str(ROOT / "seeds")
DEFAULT_OUT = "." if ROOT is None else str(ROOT)


def _parser():
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Diplomatic-text analysis suite.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="execute the notebooks and write figures and reports")
    run.add_argument("--corpus", default=DEFAULT_CORPUS,
                     help="corpus folder with manifest.csv (default in a checkout: seeds/)")
    run.add_argument("--out", default=DEFAULT_OUT,
                     help="output root: figures/ and reports/ go here (default: the repository "
                          "in a checkout, else the current folder)")
    run.add_argument("--rules", default=None, metavar="DIR",
                     help="folder of rule files over the shipped ones (default: the corpus's "
                          "rules/ folder, if any)")
    run.add_argument("--only", nargs="+", metavar="NAME",
                     help="notebooks to run, by name or number prefix (default: all)")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                     metavar=("KEY", "VALUE"),
                     help="notebook parameter; VALUE is read as JSON/Python if it parses "
                          "(5, 0.5, [\"a\", \"b\"]) else as text")
    run.add_argument("--keep-code", action="store_true",
                     help="show code cells in the HTML reports (default: text, tables, figures)")
    run.add_argument("-j", "--jobs", type=int, default=None,
                     help="notebooks to execute at once (default: one per core)")
    run.add_argument("--notebooks", default=str(NOTEBOOKS), help=argparse.SUPPRESS)
    validate = commands.add_parser("validate", help="check the corpus and its manifest")
    validate.add_argument("--corpus", default=DEFAULT_CORPUS)
    validate.add_argument("--rules", default=None, metavar="DIR")
    return parser


def _corpus(args):
    if args.corpus is None:
        raise ParameterError("--corpus: give the corpus folder (the one with manifest.csv)")
    return args.corpus


def _validate(args):
    corpus, messages = load_corpus_with_warnings(_corpus(args), rules=rules_for(args.corpus, args.rules))
    for message in messages:
        print(f"warning: {message}", file=sys.stderr)
    summary = corpus_summary(corpus)
    print(f"{args.corpus}: {summary['documents']} documents, {summary['events']} events, "
          f"{summary['first_event']} to {summary['last_event']}; "
          f"outlets: {', '.join(summary['outlets'])}")
    return 0


def _run(args):
    parameters = {key: parse_value(value) for key, value in args.parameter}
    results = run_notebooks(_corpus(args), args.out, only=args.only, parameters=parameters,
                            notebooks_dir=Path(args.notebooks), keep_code=args.keep_code,
                            jobs=args.jobs, rules_dir=args.rules)
    failed = [r for r in results if not r["ok"]]
    print(f"{len(results) - len(failed)} of {len(results)} notebooks ran; outputs in "
          f"{Path(args.out).resolve()}")
    if failed:
        for result in failed:
            print(f"error: {result['notebook']} failed at {result['error']}\n"
                  f"  partial notebook: {result['report']}\n"
                  f"  the previous figures and report of {result['notebook']} are unchanged",
                  file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return {"run": _run, "validate": _validate}[args.command](args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1 if args.command == "validate" else 2

