"""Shared output: HTML reports, the index, run.json, reproducibility, safety, interactive use."""
import html
import json
import re
import shutil
import subprocess

import nbformat
import papermill
import pytest

import analysis

from analysis.runner.cli import main
from analysis.runner.execute import NOTEBOOKS, run_notebooks
from analysis.text.fingerprint import file_hash
from analysis.runner.render import escape_markdown, render_html
from conftest import ROOT, SEED_RUN_PARAMETERS, SEEDS, document, write_corpus

QUIET = {"log": lambda *_: None}
NAMES = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
ERROR_TEXT = re.compile(r"Traceback|\b[A-Z]\w*Error\b|Exception\b")


def _outputs(out):
    return sorted(p.relative_to(out).as_posix() for p in (out / "figures").rglob("*")
                  if p.suffix in (".csv", ".svg", ".png"))


# -- reproducible outputs ---------------------------------------------------------------------

def test_same_inputs_give_byte_identical_tables_and_figures(seed_run, tmp_path):
    first, results = seed_run
    assert all(r["ok"] for r in results), [r["error"] for r in results]
    # The first run executed the notebooks one after another; this one two at a time.
    again = run_notebooks(SEEDS, tmp_path, parameters=dict(SEED_RUN_PARAMETERS), jobs=2, **QUIET)
    assert all(r["ok"] for r in again)
    files = _outputs(first)
    assert files == _outputs(tmp_path) and len(files) > 60
    differ = [f for f in files if (first / f).read_bytes() != (tmp_path / f).read_bytes()]
    assert not differ, f"outputs differ between two runs: {differ[:5]}"
    for name in NAMES:  # reports too, once the output folder's own path is set aside
        for ext in (".ipynb", ".html"):
            a, b = ((out / "reports" / f"{name}{ext}").read_text(encoding="utf-8")
                    .replace(str(out), "OUT").replace(json.dumps(escape_markdown(str(out)))[1:-1], "OUT")
                    .replace(escape_markdown(str(out)), "OUT") for out in (first, tmp_path))
            assert a == b, f"{name}{ext} differs between two runs"


def test_run_manifest_records_inputs_parameters_versions_and_outputs(seed_run):
    out, _ = seed_run
    manifest = json.loads((out / "reports" / "run.json").read_text(encoding="utf-8"))
    assert manifest["parameters"] == SEED_RUN_PARAMETERS
    inputs = manifest["inputs"]
    assert inputs["corpus/manifest.csv"] == file_hash(SEEDS / "manifest.csv")
    assert {f"corpus/{p.name}" for p in SEEDS.glob("*.txt")} <= set(inputs)
    assert {"rules/codebook.toml", "rules/speakers.toml", "notebooks/03_framing_by_source.ipynb"} <= set(inputs)
    assert manifest["rules"]["codebook.toml"] == "shipped"
    assert manifest["versions"]["pandas"] and manifest["versions"]["analysis"]
    assert set(manifest["notebooks"]) == set(NAMES) and all(n["ok"] for n in manifest["notebooks"].values())
    outputs = manifest["outputs"]
    assert {f"reports/{n}.html" for n in NAMES} <= set(outputs)
    for name in ("figures/03_framing_by_source/log_odds_by_group.csv", "figures/01_theme_frequency/theme_counts.csv"):
        assert outputs[name] == file_hash(out / name)
    assert not re.search(r"\d{2}:\d{2}", json.dumps(manifest["outputs"]))  # no times recorded


# -- rendered reports ---------------------------------------------------------------------------

def test_each_notebook_has_a_self_contained_page_with_a_header_and_no_code(seed_run):
    out, _ = seed_run
    for name in NAMES:
        report = nbformat.read(out / "reports" / f"{name}.ipynb", as_version=4)
        header = report.cells[0]
        assert header.cell_type == "markdown" and "**Corpus:**" in header.source
        assert "6 documents" in header.source and f"analysis {analysis.__version__}" in header.source
        given = [escape_markdown(f"{k} = {v!r}") for k, v in SEED_RUN_PARAMETERS.items()]
        assert any(g in header.source for g in given) or name == "00_corpus_overview"
        page = (out / "reports" / f"{name}.html").read_text(encoding="utf-8")
        assert "<script" not in page.lower()
        assert not re.search(r"""(?:src|href)=["']https?://""", page)  # nothing loaded from the web
        assert "import analysis" not in page  # code cells left out by default
        assert page.count("<img") >= 1 and 'src="data:image/png;base64,' in page
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    for name in NAMES:
        assert f'href="{name}.html"' in index
    assert "6 documents" in index and "run.json" in index and "n_boot = 200" in index


def test_keep_code_shows_code_cells(seed_run, tmp_path):
    out, _ = seed_run
    render_html(out / "reports" / "00_corpus_overview.ipynb", tmp_path / "page.html", keep_code=True)
    assert "import" in (tmp_path / "page.html").read_text(encoding="utf-8")


HARNESS = """<!DOCTYPE html><html><body><pre id="result">pending</pre>
<iframe id="page" src="{src}" width="1200" height="800"></iframe>
<script>
window.addEventListener("load", function () {{
  var doc = document.getElementById("page").contentDocument;
  var out = {{images: [], text: doc && doc.body ? doc.body.innerText : null}};
  if (doc) {{ for (var i = 0; i < doc.images.length; i++) {{ var im = doc.images[i];
    out.images.push({{w: im.naturalWidth, h: im.naturalHeight, complete: im.complete}}); }} }}
  document.getElementById("result").textContent = JSON.stringify(out);
}});
</script></body></html>"""


def _browse(page, tmp_path):
    """Load ``page`` from disk in headless Chromium; its images' sizes and visible text."""
    harness = tmp_path / f"harness_{page.stem}.html"
    harness.write_text(HARNESS.format(src=page.resolve().as_uri()), encoding="utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", "--allow-file-access-from-files",
         "--virtual-time-budget=10000", "--dump-dom", harness.as_uri()],
        capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    assert found, f"Chromium gave no result for {page.name}: {done.stderr[-500:]}"
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium; "
                                             ".ci/run installs it)")
def test_pages_open_in_a_real_browser_with_every_figure_loaded(seed_run, tmp_path):
    out, _ = seed_run
    index = _browse(out / "reports" / "index.html", tmp_path)
    assert all(name in index["text"] for name in NAMES)
    for name in NAMES:
        seen = _browse(out / "reports" / f"{name}.html", tmp_path)
        assert seen["images"], f"{name}: no figure on the page"
        broken = [im for im in seen["images"] if not (im["complete"] and im["w"] > 0 and im["h"] > 0)]
        assert not broken, f"{name}: {len(broken)} figure(s) did not load"
        assert not ERROR_TEXT.search(seen["text"]), f"{name}: error text {ERROR_TEXT.search(seen['text'])[0]!r}"
        assert "Corpus:" in seen["text"][:300]  # the header comes first


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


def test_escape_markdown_keeps_text_literal():
    assert escape_markdown("<b>x</b> **y** [z](javascript:1)") == (
        "&lt;b&gt;x&lt;/b&gt; \\*\\*y\\*\\* \\[z\\]\\(javascript:1\\)")


# -- interactive use -------------------------------------------------------------------------------

@pytest.mark.notebooks
def test_every_notebook_runs_top_to_bottom_with_no_parameters(tmp_path):
    # a copy of the repository's layout, so the defaults ("../seeds", out_dir "..") write here
    for folder in ("notebooks", "seeds"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for name in NAMES:
        source = tmp_path / "notebooks" / f"{name}.ipynb"
        papermill.execute_notebook(str(source), str(tmp_path / f"{name}.out.ipynb"), cwd=str(source.parent),
                                   progress_bar=False, kernel_name="python3")
        assert any((tmp_path / "figures" / name).glob("*.png")), name


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
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('corpus_dir = "../seeds"\nout_dir = ".."')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, nbformat.v4.new_code_cell("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebooks / "99_dies.ipynb")
    [result] = run_notebooks(SEEDS, tmp_path / "out", notebooks_dir=notebooks, **QUIET)
    assert not result["ok"]
    assert "kernel" in result["error"].lower()
    manifest = json.loads((tmp_path / "out" / "reports" / "run.json").read_text())
    assert manifest["notebooks"]["99_dies"]["ok"] is False


def test_parameters_tag_survives_output_stripping(seed_run, tmp_path):
    # an executed report, stripped as nbstripout / "Clear all outputs" would, still has its
    # parameters cell: papermill can run it again with new values
    from nbconvert.preprocessors import ClearOutputPreprocessor
    out, _ = seed_run
    for name in NAMES:
        nb = nbformat.read(out / "reports" / f"{name}.ipynb", as_version=4)
        assert any(c.get("outputs") for c in nb.cells)
        stripped, _ = ClearOutputPreprocessor().preprocess(nb, {})
        nbformat.write(stripped, tmp_path / f"{name}.ipynb")
        found = papermill.inspect_notebook(str(tmp_path / f"{name}.ipynb"))
        assert set(found) == set(papermill.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb")))
