"""Command line: ``python -m analysis run|validate|sample|import``."""
import argparse
import sys
from pathlib import Path

from ..errors import AnalysisError, ParameterError
from ..measures.describe import corpus_summary
from ..rules import rules_for
from ..text.corpus import load_corpus_with_warnings
from .execute import NOTEBOOKS, ROOT, run_notebooks
from .parameters import parse_value

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
                     help="notebook parameter; VALUE is read as JSON if it parses "
                          "(5, 0.5, true, null, [\"a\", \"b\"]) else as text")
    run.add_argument("--keep-code", action="store_true",
                     help="show code cells in the HTML reports (default: text, tables, figures)")
    run.add_argument("-j", "--jobs", type=int, default=None,
                     help="notebooks to execute at once (default: one per core)")
    run.add_argument("--notebooks", default=str(NOTEBOOKS), help=argparse.SUPPRESS)
    validate = commands.add_parser("validate", help="check the corpus and its manifest")
    validate.add_argument("--corpus", default=DEFAULT_CORPUS)
    validate.add_argument("--rules", default=None, metavar="DIR")
    sample = commands.add_parser("sample", help="draw sentences into a coding sheet for people to "
                                                "code (themes, speaker); see notebook 04")
    sample.add_argument("--corpus", default=DEFAULT_CORPUS)
    sample.add_argument("--rules", default=None, metavar="DIR")
    sample.add_argument("--codebook", default=None, metavar="FILE",
                        help="TOML codebook (default: codebook.toml of the rules in effect)")
    sample.add_argument("--n", type=int, default=200, help="sentences to draw (default: 200)")
    sample.add_argument("--group-by", default="origin",
                        help="manifest column the sample is stratified by, with year (default: origin)")
    sample.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    sample.add_argument("--out", required=True, metavar="SHEET.csv",
                        help="the coding sheet to write (not inside the corpus folder)")
    imports = commands.add_parser("import", help="bring texts in as they come (saved web pages, Word, "
                                                 "PDF, CSV/JSON Lines/Excel, text files) into a corpus folder")
    imports.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders")
    imports.add_argument("--out", required=True, metavar="CORPUS_DIR", help="the corpus folder to write")
    imports.add_argument("--text-column", default="text",
                         help="the column of tables that holds the text (default: text)")
    imports.add_argument("--docvars", default=None, metavar="PATTERN",
                         help='document variables from text file names, e.g. "{event_date}_{origin}_{outlet}"')
    imports.add_argument("--append", action="store_true",
                         help="add to an existing corpus; its rows and files are left as they are")
    return parser


def _import(args):
    from ..text.sources import fill_in_message, import_sources, source_files

    files, _ = source_files(args.sources)
    progress = None
    if len(files) > 30:
        from tqdm import tqdm

        progress = lambda items: tqdm(items, desc="importing", unit="file")  # noqa: E731
    result = import_sources(args.sources, args.out, args.text_column, args.docvars, args.append, progress)
    print(fill_in_message(result))
    return 1 if result.problems else 0


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


def _sample(args):
    from ..files import write_table
    from ..measures.codebook import load_codebook
    from ..measures.validation import coding_sheet
    from ..text.cache import load_processed

    corpus_dir = Path(_corpus(args)).resolve()
    out = Path(args.out).resolve()
    if corpus_dir == out.parent or corpus_dir in out.parents:
        raise ParameterError(f"--out {args.out}: inside the corpus folder {args.corpus}, which is never "
                             f"written to; write the sheet elsewhere (then copy it to "
                             f"{args.corpus}/coding/ yourself if you want notebook 04 to find it)")
    if out.suffix.lower() != ".csv":
        raise ParameterError(f"--out {args.out}: give a .csv file name")
    processed = load_processed(corpus_dir, rules_dir=args.rules)
    codebook = load_codebook(args.codebook, processed.rules)
    sheet = coding_sheet(processed, codebook, n=args.n, seed=args.seed, group_by=args.group_by)
    write_table(sheet, out)
    strata = sheet.groupby(["group", "year"]).size()
    print(f"{out}: {len(sheet)} sentences from {sheet['doc_id'].nunique()} documents in "
          f"{len(strata)} strata of {args.group_by} and year. Fill one column per theme with 1 or 0, "
          f"the speaker ({', '.join(_speakers(processed))}) and your name as coder; then run notebook "
          f"04 with -p coded_sheets '[\"{out.name}\"]' (or put the sheets in the corpus's coding/ folder).")
    return 0


def _speakers(processed):
    from ..measures.speakers import speaker_order

    return speaker_order(processed.rules)


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        return {"run": _run, "validate": _validate, "sample": _sample,
                "import": _import}[args.command](args)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1 if args.command == "validate" else 2
    except KeyboardInterrupt:
        print("interrupted: the notebooks that finished wrote their outputs; the others kept their "
              "previous figures and pages (partial notebooks are in reports/failed/); "
              "reports/run.json and index.html say which is which", file=sys.stderr)
        return 130

