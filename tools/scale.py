"""The whole suite on a large generated corpus: time and peak memory (a benchmark, not a test).

    python tools/scale.py --documents 20000 [--short] [--work DIR] [-j 2]

Documents are made of the seeds' sentences drawn at random (seed 0): 8-60 sentences each, or
1-3 with ``--short``; dates over 27 years, three origins, the seeds' outlets. The runner runs
every notebook; printed: documents, MB of text, seconds per notebook and in all, and the peak
resident memory of the largest process (the runner or a kernel), in MB.
"""
import argparse
import csv
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.text.corpus import load_corpus  # noqa: E402
from analysis.text.sentences import sentences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def generated_corpus(folder, documents, short=False, seed=0):
    seeds = load_corpus(ROOT / "seeds")
    # sentences of the seeds that are prose (a dateline alone would be page furniture, and a
    # one-sentence document of it would be empty after cleaning)
    pool = [s for raw in seeds["raw_text"] for line in raw.splitlines() for s in sentences(line)
            if len(s.split()) >= 8 and s.rstrip()[-1:] in ".!?\"'”"]
    outlets = sorted(seeds["outlet"].unique())
    rng = random.Random(seed)
    folder = Path(folder)
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    rows, size = [], 0
    for n in range(documents):
        left = rng.randint(1, 3) if short else rng.randint(8, 60)
        paragraphs = []
        while left > 0:
            take = min(left, rng.randint(1, 4))
            paragraphs.append(" ".join(rng.choice(pool) for _ in range(take)))
            left -= take
        data = ("\n".join(paragraphs) + "\n").encode("utf-8")
        (folder / "texts" / f"d{n:06d}.txt").write_bytes(data)
        size += len(data)
        year = 2000 + n % 27
        rows.append({"doc_id": f"d{n:06d}", "file": f"texts/d{n:06d}.txt", "outlet": outlets[n % len(outlets)],
                     "origin": ("China", "Russia", "West")[n % 3], "source_type": "generated",
                     "event_date": f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}"})
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return size / 1e6


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
