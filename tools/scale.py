"""The whole suite on a large generated corpus: time and peak memory (a benchmark, not a test).

    python tools/scale.py --documents 20000 [--short] [--work DIR] [-j 2]

Documents are made of the seeds' sentences drawn at random (seed 0): 8-60 sentences each, or
1-3 with ``--short``; dates over 27 years, three origins, the seeds' outlets. The runner runs
every notebook; printed: documents, MB of text, seconds per notebook and in all, and the peak
resident memory of the largest process (the runner or a kernel), in MB.
"""
import argparse
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.bench import scaled_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def generated_corpus(folder, documents, short=False, seed=0):
    """A corpus of ``documents`` documents of the seeds' sentences (prose only with ``short``; see
    :func:`tools.bench.scaled_corpus`); its size in MB."""
    _, _, mb = scaled_corpus(folder, float("inf"), seed, documents=documents,
                             sentences_each=(1, 3) if short else (8, 60), prose_only=short)
    return mb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--short", action="store_true", help="1-3 sentences a document")
    parser.add_argument("--work", default="/tmp/analysis-scale", help="where the corpus and outputs go")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    work = Path(args.work)
    corpus = work / f"corpus-{args.documents}{'-short' if args.short else ''}"
    if not (corpus / "manifest.csv").exists():
        mb = generated_corpus(corpus, args.documents, args.short)
    else:
        mb = sum(p.stat().st_size for p in (corpus / "texts").glob("*.txt")) / 1e6
    out = work / f"out-{corpus.name}"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "analysis", "run", "--corpus", str(corpus), "--out", str(out),
                           "-j", str(args.jobs), "-p", "n_boot", "200"], capture_output=True, text=True, cwd=ROOT,
                          env={"ANALYSIS_CACHE_DIR": str(work / "cache"), "PATH": "/usr/bin:/bin",
                               "HOME": str(work)})
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    times = re.findall(r"(\d\d_\w+): (ok|FAILED) in ([\d.]+) s", done.stdout + done.stderr)
    print(f"{args.documents} documents ({mb:.1f} MB): {seconds:.0f} s in all, peak {peak:.0f} MB "
          f"(largest process); exit {done.returncode}")
    for name, status, secs in times:
        print(f"  {name}: {status} in {float(secs):.0f} s")
    if done.returncode:
        print(done.stderr[-3000:])
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
