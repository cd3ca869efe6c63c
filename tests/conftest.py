import atexit
import csv
import html
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import analysis

# Each test process (and the kernels it starts) gets a cache of its own, never the user's,
# removed when the process ends so that test runs do not pile up in the temporary folder.
os.environ["ANALYSIS_CACHE_DIR"] = tempfile.mkdtemp(prefix="analysis-test-cache-")
atexit.register(shutil.rmtree, os.environ["ANALYSIS_CACHE_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MANIFEST_COLUMNS = ["doc_id", "file", "outlet", "origin", "source_type", "event_date"]


@pytest.fixture(scope="session")
def seed_corpus():
    return analysis.load_corpus(SEEDS)


def write_notebook(folder, name, *sources):
    """Write ``folder/name.ipynb``: a ``parameters`` cell (corpus_dir, out_dir) and one code
    cell per source, for the python3 kernel. Returns its path."""
    import nbformat

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('corpus_dir = "../seeds"\nout_dir = ".."')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters] + [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def write_corpus(folder, documents, columns=None):
    """Write a corpus folder: each document a dict of manifest values plus ``text`` (str or
    bytes) written to its ``file``. Returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    columns = columns or list(dict.fromkeys(
        MANIFEST_COLUMNS + [k for d in documents for k in d if k != "text"]))
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for doc in documents:
            writer.writerow({c: doc.get(c, "") for c in columns})
    for doc in documents:
        if "text" in doc:
            data = doc["text"] if isinstance(doc["text"], bytes) else doc["text"].encode("utf-8")
            (folder / doc["file"]).write_bytes(data)
    return folder


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def browser_result(harness, profile, budget_ms=10000):
    """Open the page ``harness`` (a file) in headless Chromium, offline, and return the JSON its
    script wrote into ``<pre id="result">`` (``profile``: a fresh folder for Chromium)."""
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--allow-file-access-from-files",
         f"--virtual-time-budget={budget_ms}", "--dump-dom", Path(harness).as_uri()],
        capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    assert found, f"Chromium gave no result for {Path(harness).name}: {done.stderr[-500:]}"
    return json.loads(html.unescape(found.group(1)))


def document(doc_id, text, **values):
    base = {"doc_id": doc_id, "file": f"{doc_id}.txt", "outlet": "Gazette", "origin": "A",
            "source_type": "speech", "event_date": "1998-03-04", "text": text}
    base.update(values)
    return base


@pytest.fixture
def make_corpus(tmp_path):
    def _make(documents, name="corpus", columns=None):
        return write_corpus(tmp_path / name, documents, columns)
    return _make


WORDS = ("budget ministry harvest railway reform pension parliament coalition tariff river "
         "province vaccine school teacher drought bridge election mandate export grain").split()


def synthetic_documents(n, years, groups, seed=0):
    """Documents that look nothing like the seeds: ministries and parties over many years."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        sentences = []
        for _ in range(rng.randint(3, 8)):
            words = rng.sample(WORDS, 6)
            # English function words between them, so the language check takes it for English
            sentences.append(f"The {words[0]} and the {words[1]} of the {words[2]} {words[3]} "
                             f"{words[4]} in the {words[5]}.")
        year = years[i % len(years)]
        docs.append(document(
            f"d{i:03d}", "\n".join(sentences), outlet=f"Outlet {i % 7}", origin=groups[i % len(groups)],
            source_type=("speech", "press release", "interview")[i % 3],
            event_date=f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}", party=f"party {i % 4}"))
    return docs


# Results that tests want shown in the summary of every run (e.g. attribution accuracy), not
# only when they fail: a test calls record_property("summary", (title, text)). User
# properties travel from pytest-xdist workers to the main process; a module dict would not.
def pytest_terminal_summary(terminalreporter):
    for kind in ("passed", "failed"):
        for report in terminalreporter.stats.get(kind, []):
            for name, value in getattr(report, "user_properties", []):
                if name == "summary" and report.when == "call":
                    title, text = value
                    terminalreporter.write_sep("-", title)
                    terminalreporter.write_line(text)


SEED_RUN_PARAMETERS = {}  # the defaults, so a notebook run top to bottom must give the same files


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """Every notebook run once on the seeds into a temporary folder: (out_dir, results).

    Session-scoped, and only tests/test_reports.py uses it: with ``--dist loadfile`` the suite
    runs it once, on one worker."""
    from analysis.runner.execute import run_notebooks
    out = tmp_path_factory.mktemp("seed_run")
    results = run_notebooks(SEEDS, out, parameters=dict(SEED_RUN_PARAMETERS), log=lambda *_: None,
                            jobs=2)
    return out, results


def pytest_collection_modifyitems(items):
    # every test that uses the executed seed run is in the slower tier, marked "notebooks"
    for item in items:
        if "seed_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.notebooks)
