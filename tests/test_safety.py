"""Safety of what the suite shares, and running it from the command line: untrusted text stays
text, typed parameters, a dying kernel is reported."""
import json

import nbformat
import pytest

from analysis.runner.cli import main
from analysis.runner.execute import run_notebooks
from conftest import SEEDS, document, write_corpus, write_notebook
from test_reports import CHROMIUM, QUIET, _browse

# -- safety of shared output ---------------------------------------------------------------------

HOSTILE = ('President Xi said: <script>alert("x")</script> and <img src=x onerror=alert(1)> matter. '
           "Putin noted **bold** claims and [a link](javascript:alert(2)) about trade.\n"
           "Trade and energy ties grew strongly this year, the leaders said.")


@pytest.mark.notebooks
def test_untrusted_text_appears_as_text_in_every_page(tmp_path):
    docs = [document("a", HOSTILE, outlet="<b>Evil</b> Daily", origin="<i>North</i>", event_date="2024-05-01"),
            document("b", "Trade and energy ties grew strongly this year, the leaders said. Putin noted the rest.",
                     outlet="Plain Post", origin="South", event_date="2024-05-01")]
    corpus = write_corpus(tmp_path / "hostile", docs)
    results = run_notebooks(corpus, tmp_path / "out", only=["00", "03"], parameters={"n_boot": 50}, **QUIET)
    assert all(r["ok"] for r in results), [r["error"] for r in results]
    pages = [tmp_path / "out" / "reports" / f"{r['notebook']}.html" for r in results]
    pages.append(tmp_path / "out" / "reports" / "index.html")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.lower() and "<img src=x" not in text and "<b>Evil" not in text
        assert "<i>North" not in text
    framing = pages[1].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert" in framing  # the sentence is listed, as text
    assert "&lt;b&gt;Evil&lt;/b&gt; Daily" in framing
    if CHROMIUM:
        seen = _browse(pages[1], tmp_path)
        assert '<script>alert("x")</script>' in seen["text"] and "<b>Evil</b> Daily" in seen["text"]


@pytest.mark.notebooks
def test_list_parameters_arrive_typed_from_the_command_line(tmp_path):
    code = main(["run", "--out", str(tmp_path), "--only", "03", "-p", "events", '["2025-01-21"]',
                 "-p", "n_boot", "50"])
    assert code == 0
    coverage = (tmp_path / "figures" / "03_framing_by_source" / "event_theme_coverage.csv").read_text()
    assert "2025-01-21" in coverage and "2026-02-04" not in coverage




@pytest.mark.notebooks
def test_a_killed_kernel_is_reported_not_a_hang(tmp_path):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "99_dies", 'print("ran before the kill")',
                   "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    [result] = run_notebooks(SEEDS, tmp_path / "out", notebooks_dir=notebooks, **QUIET)
    assert not result["ok"]
    assert "kernel" in result["error"].lower()
    manifest = json.loads((tmp_path / "out" / "reports" / "run.json").read_text())
    assert manifest["notebooks"]["99_dies"]["ok"] is False
    # the partial notebook is kept, with what ran before the kernel died
    partial = nbformat.read(tmp_path / "out" / "reports" / "failed" / "99_dies.ipynb", as_version=4)
    assert partial.cells[2].outputs[0]["text"] == "ran before the kill\n"


@pytest.mark.notebooks
def test_a_cell_out_of_time_leaves_the_partial_notebook(tmp_path, monkeypatch):
    import analysis.runner.execute

    monkeypatch.setattr(analysis.runner.execute, "CELL_TIMEOUT", 3)
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "98_slow", 'print("ran in time")', "import time\ntime.sleep(60)")
    [result] = run_notebooks(SEEDS, tmp_path / "out", notebooks_dir=notebooks, **QUIET)
    assert not result["ok"] and "timed out" in result["error"]
    partial = nbformat.read(tmp_path / "out" / "reports" / "failed" / "98_slow.ipynb", as_version=4)
    assert partial.cells[2].outputs[0]["text"] == "ran in time\n"  # [parameters, injected, print, sleep]
