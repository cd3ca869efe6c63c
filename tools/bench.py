"""Benchmark: how the pipeline's cost grows with the corpus, against scikit-learn's.

``python -m analysis bench`` (``make bench``):

1. builds corpora of about the asked sizes from the seed texts: documents of 8 to 60
   sentences drawn at random (fixed seed) from the seeds' raw sentences, so cleaning,
   splitting and normalising have the same work per MB as on the seeds;
2. times, each in a fresh process so that its peak memory is its own,
   - our pipeline: read and validate the folder, clean, split into sentences, tokenise,
     count features, build the document-feature matrix (:func:`load_corpus` then
     :func:`processed_corpus`), single process and with ``n_jobs``;
   - the reference: read the same files and run ``TfidfVectorizer().fit_transform``;
3. times the report command (:func:`run_notebooks`) against a floor: the same number of
   notebooks, with the same parameters cells, that only import what the real ones import,
   executed by the same runner;
4. prints the tables and writes them as CSV.

Timings are measurements, never checks: nothing here fails because something is slow.
"""
import ast
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.errors import ParameterError
from analysis.files import atomic_path
from analysis.text.corpus import load_corpus
from analysis.text.sentences import sentences

# The measuring processes import this module: papermill and nbformat (for the report timing)
# are imported where used, so they do not count in the pipeline's memory.
ROOT = Path(__file__).resolve().parent.parent

COLUMNS = ["size_mb", "ours_s", "sklearn_s", "ratio", "peak_mb", "documents", "ours_docs_per_s",
           "ours_mb_per_s", "sklearn_mb_per_s", "growth", "parallel_s", "n_jobs", "speedup",
           "sklearn_peak_mb", "baseline_mb"]
REPORT_COLUMNS = ["notebooks", "jobs", "report_s", "floor_s", "ratio"]


def scaled_corpus(folder, size_mb, seed=0, source=ROOT / "seeds", documents=None, sentences_each=(8, 60),
                  prose_only=False):
    """Write a corpus folder of about ``size_mb`` MB (or of ``documents`` documents) built from
    ``source``'s sentences, ``sentences_each`` (low, high) a document; ``prose_only`` draws only
    sentences of eight words or more that end like a sentence (a dateline alone would be page
    furniture, and a one-sentence document of it empty after cleaning).

    Returns
    -------
    (Path, int, float)
        The folder, the number of documents, the size of the texts in MB (10**6 bytes).
    """
    seeds = load_corpus(source)
    pool = [s for raw in seeds["raw_text"] for line in raw.splitlines() for s in sentences(line)
            if not prose_only or (len(s.split()) >= 8 and s.rstrip()[-1:] in ".!?\"'”")]
    outlets = sorted(seeds["outlet"].unique())
    rng = random.Random(seed)
    folder = Path(folder)
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    rows, size = [], 0
    while (size < size_mb * 1e6) if documents is None else (len(rows) < documents):
        n = len(rows)
        paragraphs, left = [], rng.randint(*sentences_each)
        while left > 0:
            take = min(left, rng.randint(1, 4))
            paragraphs.append(" ".join(rng.choice(pool) for _ in range(take)))
            left -= take
        data = ("\n".join(paragraphs) + "\n").encode("utf-8")
        (folder / "texts" / f"d{n:06d}.txt").write_bytes(data)
        size += len(data)
        year = 2000 + n % 27
        rows.append({"doc_id": f"d{n:06d}", "file": f"texts/d{n:06d}.txt",
                     "outlet": outlets[n % len(outlets)], "origin": ("China", "Russia", "West")[n % 3],
                     "source_type": "generated", "event_date": f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}"})
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder, len(rows), size / 1e6


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _measure(kind, folder, n_jobs):
    """Run in a fresh process: time one pipeline on ``folder``; print (seconds, peak MB,
    baseline MB) as JSON."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.text.processed import processed_corpus

    baseline = _peak_mb()
    started = time.perf_counter()
    if kind == "ours":
        processed_corpus(load_corpus(folder, n_jobs), n_jobs)
    else:
        texts = [path.read_text(encoding="utf-8") for path in sorted((Path(folder) / "texts").glob("*.txt"))]
        TfidfVectorizer().fit_transform(texts)
    print(json.dumps([time.perf_counter() - started, _peak_mb(), baseline]))


def measured(kind, folder, n_jobs=1):
    """(seconds, peak MB, baseline MB) of ``kind`` ("ours" or "sklearn") on ``folder``, run in
    a fresh interpreter so that its peak memory is its own. (A plain subprocess, not a
    multiprocessing child: joblib's workers hung inside one.)"""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent)!r}); "
            f"from bench import _measure; _measure({kind!r}, {str(folder)!r}, {n_jobs!r})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark: measuring {kind} on {folder} failed:\n{done.stderr[-2000:]}")
    return tuple(json.loads(done.stdout.strip().splitlines()[-1]))


def pipeline_rows(sizes, workdir, n_jobs, seed=0, log=print):
    """One row of :data:`COLUMNS` per size."""
    rows = []
    for size in sizes:
        folder, documents, mb = scaled_corpus(Path(workdir) / f"corpus_{size:g}mb", size, seed)
        log(f"{mb:.1f} MB, {documents} documents: timing ...")
        ours, peak, baseline = measured("ours", folder)
        sklearn, sklearn_peak, _ = measured("sklearn", folder)
        parallel, _, _ = measured("ours", folder, n_jobs) if n_jobs > 1 else (ours, peak, baseline)
        rows.append({
            "size_mb": round(mb, 2), "ours_s": round(ours, 3), "sklearn_s": round(sklearn, 3),
            "ratio": round(ours / sklearn, 2), "peak_mb": round(peak, 1), "documents": documents,
            "ours_docs_per_s": round(documents / ours, 1), "ours_mb_per_s": round(mb / ours, 3),
            "sklearn_mb_per_s": round(mb / sklearn, 3),
            "growth": round(ours / rows[-1]["ours_s"], 2) if rows else "",
            "parallel_s": round(parallel, 3), "n_jobs": n_jobs, "speedup": round(ours / parallel, 2),
            "sklearn_peak_mb": round(sklearn_peak, 1), "baseline_mb": round(baseline, 1),
        })
        shutil.rmtree(folder)
    return rows


def floor_notebooks(notebooks, folder):
    """For each notebook, one with the same parameters cell and only its import statements.

    Returns
    -------
    Path
        ``folder``, holding the floor notebooks under the same names.
    """
    import nbformat

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for path in notebooks:
        real = nbformat.read(path, as_version=4)
        cells = [c for c in real.cells if "parameters" in c.metadata.get("tags", [])]
        imports = []
        for cell in real.cells:
            if cell.cell_type == "code" and cell not in cells:
                try:
                    tree = ast.parse(cell.source)
                except SyntaxError:
                    continue
                imports += [ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        floor = nbformat.v4.new_notebook(metadata=real.metadata)
        floor.cells = [nbformat.v4.new_markdown_cell(f"# Floor for {path.stem}")] + cells + [
            nbformat.v4.new_code_cell("\n".join(dict.fromkeys(imports)))]
        for i, cell in enumerate(floor.cells):
            cell["id"] = f"floor-{i:02d}"
        nbformat.write(floor, folder / path.name)
    return folder


def report_row(workdir, jobs, only=None, corpus_dir=ROOT / "seeds", repeat=2, log=print):
    """Time the report command and its floor, both with ``jobs`` notebooks at once.

    Each is run ``repeat`` times, alternating, and its fastest run kept (as ``timeit`` does):
    one run of either varies by a tenth from one try to the next on a shared machine.
    """
    from analysis.runner.execute import NOTEBOOKS, notebook_paths, run_notebooks

    notebooks = notebook_paths(NOTEBOOKS, only)
    floor = floor_notebooks(notebooks, Path(workdir) / "floor_notebooks")
    quiet = lambda *_: None  # noqa: E731
    times = {"floor": float("inf"), "report": float("inf")}
    for attempt in range(1, repeat + 1):
        for name, folder in (("floor", floor), ("report", NOTEBOOKS)):
            log(f"{name} ({attempt} of {repeat}): {len(notebooks)} notebooks, {jobs} at once ...")
            started = time.perf_counter()
            results = run_notebooks(corpus_dir, Path(workdir) / f"out_{name}", only=only,
                                    notebooks_dir=folder, log=quiet, jobs=jobs)
            times[name] = min(times[name], time.perf_counter() - started)
            failed = [r["notebook"] for r in results if not r["ok"]]
            if failed:
                raise RuntimeError(f"benchmark: {name} run failed for {', '.join(failed)}")
    return {"notebooks": len(notebooks), "jobs": jobs, "report_s": round(times["report"], 2),
            "floor_s": round(times["floor"], 2), "ratio": round(times["report"] / times["floor"], 2)}


def _table(rows, columns):
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(str(r[c]).rjust(w) for c, w in zip(columns, widths)) for r in rows]
    return "\n".join(lines)


def _write(rows, columns, path):
    with atomic_path(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def run_benchmark(sizes=(2.5, 25, 100), out="benchmark.csv", n_jobs=None, report=True,
                  only=None, seed=0, workdir=None, repeat=2, log=print):
    """Run the benchmark, print its tables and write them next to each other as CSV.

    Parameters
    ----------
    sizes : sequence of float
        Corpus sizes in MB.
    out : str or Path
        The pipeline table; the report table goes to ``<stem>_report.csv`` beside it.
    n_jobs : int, optional
        Processes for the parallel pipeline run and notebooks at once for the report (default:
        every core).
    report : bool
        Also time the report command against its floor.
    only : list of str, optional
        Notebooks for the report timing (default: all).
    repeat : int
        Runs of the report command and of its floor; the fastest of each is kept.

    Returns
    -------
    (list of dict, dict or None)
        The pipeline rows and the report row.
    """
    from analysis.runner.execute import check_jobs

    jobs = check_jobs(n_jobs, os.cpu_count() or 1)
    sizes = sorted(float(s) for s in sizes)
    if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
        raise ParameterError(f"--repeat {repeat!r}: give a whole number of runs, at least 1")
    if not sizes or sizes[0] <= 0:
        raise ParameterError(f"--sizes {sizes}: give one or more sizes in MB above 0")
    cleanup = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="analysis-bench-"))
    # The report timing must not find the corpus processed already by an earlier run.
    previous = os.environ.get("ANALYSIS_CACHE_DIR")
    os.environ["ANALYSIS_CACHE_DIR"] = str(workdir / "cache")
    try:
        rows = pipeline_rows(sizes, workdir, jobs, seed, log)
        row = report_row(workdir, jobs, only, repeat=repeat, log=log) if report else None
    finally:
        if previous is None:
            os.environ.pop("ANALYSIS_CACHE_DIR", None)
        else:
            os.environ["ANALYSIS_CACHE_DIR"] = previous
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)
    log("\nPipeline (clean -> sentences -> tokens -> features -> matrix) against "
        "TfidfVectorizer().fit_transform; seconds, MB = 10**6 bytes of text; peak_mb = peak "
        "resident memory of the measuring process (baseline_mb of it before the corpus was read); "
        f"parallel_s with n_jobs={jobs}:")
    log(_table(rows, COLUMNS))
    for a, b in zip(rows, rows[1:]):
        log(f"growth {a['size_mb']:g} -> {b['size_mb']:g} MB (x{b['size_mb'] / a['size_mb']:.1f} text): "
            f"time x{b['ours_s'] / a['ours_s']:.2f}")
    _write(rows, COLUMNS, out)
    log(f"written: {out}")
    if row:
        log("\nReport command against its floor (same runner, notebooks that only import; "
            f"fastest of {repeat} run(s) each):")
        log(_table([row], REPORT_COLUMNS))
        target = Path(out).with_name(Path(out).stem + "_report.csv")
        _write([row], REPORT_COLUMNS, target)
        log(f"written: {target}")
    return rows, row


def main(argv=None):
    """``python tools/bench.py [--sizes MB ...] [--out FILE] [-j N] [--no-report] ...``"""
    import argparse

    parser = argparse.ArgumentParser(prog="python tools/bench.py", description=(
        "Time the pipeline against scikit-learn and the report command against a floor."))
    parser.add_argument("--sizes", nargs="+", type=float, default=[2.5, 25, 100], metavar="MB",
                        help="corpus sizes in MB (default: 2.5 25 100)")
    parser.add_argument("--out", default="benchmark.csv",
                        help="CSV of the pipeline table (default: benchmark.csv); the report "
                             "table goes beside it as <name>_report.csv")
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help="processes for the parallel run and notebooks at once (default: every core)")
    parser.add_argument("--no-report", action="store_true", help="skip timing the report command")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="notebooks for the report timing")
    parser.add_argument("--seed", type=int, default=0, help="seed for drawing sentences (default: 0)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of the report command and of its floor; the fastest counts (default: 2)")
    args = parser.parse_args(argv)
    try:
        run_benchmark(args.sizes, args.out, args.jobs, not args.no_report, args.only, args.seed,
                      repeat=args.repeat)
    except ParameterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
