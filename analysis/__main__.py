"""Command line: ``python -m analysis run|validate|bench``."""
import argparse
import sys
from pathlib import Path

from .corpus import load_corpus_with_warnings
from .describe import corpus_summary
from .errors import AnalysisError
from .execute import NOTEBOOKS, ROOT, parse_value, run_notebooks


def _parser():
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Diplomatic-text analysis suite.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="execute the notebooks and write figures and reports")
    run.add_argument("--corpus", default=str(ROOT / "seeds"),
                     help="corpus folder with manifest.csv (default: seeds/)")
    run.add_argument("--out", default=str(ROOT),
                     help="output root: figures/ and reports/ go here (default: the repository)")
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
    validate.add_argument("--corpus", default=str(ROOT / "seeds"))
    bench = commands.add_parser("bench", help="time the pipeline against scikit-learn and the "
                                              "report command against a floor")
    bench.add_argument("--sizes", nargs="+", type=float, default=[2.5, 25, 100], metavar="MB",
                       help="corpus sizes in MB (default: 2.5 25 100)")
    bench.add_argument("--out", default="benchmark.csv",
                       help="CSV of the pipeline table (default: benchmark.csv); the report "
                            "table goes beside it as <name>_report.csv")
    bench.add_argument("-j", "--jobs", type=int, default=None,
                       help="processes for the parallel run and notebooks at once (default: every core)")
    bench.add_argument("--no-report", action="store_true", help="skip timing the report command")
    bench.add_argument("--only", nargs="+", metavar="NAME", help="notebooks for the report timing")
    bench.add_argument("--seed", type=int, default=0, help="seed for drawing sentences (default: 0)")
    bench.add_argument("--repeat", type=int, default=2,
                       help="runs of the report command and of its floor; the fastest counts (default: 2)")
    return parser


def _validate(args):
    corpus, messages = load_corpus_with_warnings(args.corpus)
    for message in messages:
        print(f"warning: {message}", file=sys.stderr)
    summary = corpus_summary(corpus)
    print(f"{args.corpus}: {summary['documents']} documents, {summary['events']} events, "
          f"{summary['first_event']} to {summary['last_event']}; "
          f"outlets: {', '.join(summary['outlets'])}")
    return 0


def _run(args):
    parameters = {key: parse_value(value) for key, value in args.parameter}
    results = run_notebooks(args.corpus, args.out, only=args.only, parameters=parameters,
                            notebooks_dir=Path(args.notebooks), keep_code=args.keep_code,
                            jobs=args.jobs)
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


def _bench(args):
    from .bench import run_benchmark  # imports scikit-learn and starts processes: only here

    run_benchmark(args.sizes, args.out, args.jobs, not args.no_report, args.only, args.seed,
                  repeat=args.repeat)
    return 0


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return {"run": _run, "validate": _validate, "bench": _bench}[args.command](args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1 if args.command == "validate" else 2


if __name__ == "__main__":
    sys.exit(main())
