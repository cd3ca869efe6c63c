"""Shared output: HTML reports, the index, run.json, reproducibility, safety, interactive use."""
import html
import json
import re
import shutil

import nbformat
import pandas as pd
import papermill
import pytest

import analysis

from analysis.runner.execute import NOTEBOOKS
from analysis.text.fingerprint import file_hash
from analysis.runner.render import escape_markdown, render_html
from conftest import CHROMIUM, ROOT, SEED_RUN_PARAMETERS, SEEDS, browser_result

QUIET = {"log": lambda *_: None}
NAMES = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
ERROR_TEXT = re.compile(r"Traceback|\b[A-Z]\w*Error\b|Exception\b")


def _outputs(out):
    """The tables and figures the notebooks wrote (findings.csv is the runner's, read from them)."""
    return sorted(p.relative_to(out).as_posix() for p in (out / "figures").rglob("*")
                  if p.suffix in (".csv", ".svg", ".png") and p.name != "findings.csv")


# -- reproducible outputs ---------------------------------------------------------------------

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
        assert escape_markdown("out_dir = '..'") in header.source
        page = (out / "reports" / f"{name}.html").read_text(encoding="utf-8")
        assert "<script" not in page.lower()
        assert not re.search(r"""(?:src|href)=["']https?://""", page)  # nothing loaded from the web
        assert "import analysis" not in page  # code cells left out by default
        assert page.count("<img") >= 1 and 'src="data:image/png;base64,' in page
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    for name in NAMES:
        assert f'href="{name}.html"' in index
    assert "6 documents" in index and "run.json" in index and "defaults" in index


def test_each_page_opens_with_findings_and_contents_and_describes_its_figures(seed_run):
    out, _ = seed_run
    for name in NAMES:
        page = (out / "reports" / f"{name}.html").read_text(encoding="utf-8")
        block = page.split('id="cell-id=report-findings"')[1].split("</ul>")[0]
        assert "What this run shows" in block
        findings = re.findall(r"<li>(.*?)</li>", block, re.S)
        assert 5 <= len(findings) <= 10, f"{name}: {len(findings)} findings"
        table = pd.read_csv(out / "figures" / name / "findings.csv", dtype=str, keep_default_na=False)
        assert len(table) == len(findings)
        for finding, row in zip(findings, table.itertuples()):
            number = row.number[1:] if row.number.startswith("'") else row.number  # CSV formula guard
            assert f"<strong>{html.escape(number, quote=False)}</strong>" in finding  # its number, in bold
            links = re.findall(r'href="([^"]+)"', finding)
            assert links and all((out / "reports" / link).resolve().is_file() for link in links), (name, links)
        # then the contents, linking the page's sections
        assert page.index("report-findings") < page.index("<nav") < page.index("</nav>")
        for target in re.findall(r'<a href="#([^"]+)"', page.split("<nav")[1].split("</nav>")[0]):
            assert f'id="{target}"' in page
        # every figure has alt text from its title and caption, and the page shows it full width
        alts = re.findall(r'<img [^>]*alt="([^"]*)"', page)
        assert alts and len(alts) == page.count("<img")
        assert all(len(alt) > 40 and "No description" not in alt for alt in alts), (name, alts)
        assert "width=" not in "".join(re.findall(r"<img [^>]*>", page))


def test_figure_text_is_legible_at_the_report_column_width(seed_run):
    out, _ = seed_run
    for name in NAMES:
        report = nbformat.read(out / "reports" / f"{name}.ipynb", as_version=4)
        sizes = [o["metadata"]["image/png"]["text_px"] for c in report.cells for o in c.get("outputs", [])
                 if "image/png" in o.get("metadata", {})]
        assert sizes, name
        assert min(sizes) >= 11, f"{name}: smallest figure text {min(sizes)} px at 1200 px wide"


def test_the_index_links_the_interactive_page(seed_run):
    out, _ = seed_run
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="05_explore/term_chart.html"' in index
    page = out / "reports" / "05_explore" / "term_chart.html"
    assert page.is_file() and "Content-Security-Policy" in page.read_text(encoding="utf-8")[:2000]
    manifest = json.loads((out / "reports" / "run.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["reports/05_explore/term_chart.html"] == file_hash(page)


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
    return browser_result(harness, tmp_path / "chromium-profile")


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


def test_escape_markdown_keeps_text_literal():
    assert escape_markdown("<b>x</b> **y** [z](javascript:1)") == (
        "&lt;b&gt;x&lt;/b&gt; \\*\\*y\\*\\* \\[z\\]\\(javascript:1\\)")


# -- interactive use -------------------------------------------------------------------------------

def _outputs_of(notebook, folder):
    """The code cells' outputs of an executed notebook, with the output folder's path set aside."""
    nb = nbformat.read(notebook, as_version=4)
    outputs = [[{k: v for k, v in o.items() if k != "execution_count"} for o in c.get("outputs", [])]
               for c in nb.cells if c.cell_type == "code"
               and "injected-parameters" not in c.metadata.get("tags", [])]
    text = json.dumps(outputs)
    return text.replace(json.dumps(str(folder))[1:-1], "OUT")


def _outputs_of_runner_view(notebook):
    """The cell outputs of a notebook run by hand, without the note on where its scratch
    outputs went (the runner's reports have none)."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        cell["outputs"] = [o for o in cell.get("outputs", [])
                           if "scratch folder git ignores" not in json.dumps(o.get("data", {}))]
    nbformat.write(nb, notebook)
    return _outputs_of(notebook, notebook.parent)


def test_notebooks_run_top_to_bottom_and_give_the_runners_files_byte_for_byte(seed_run, tmp_path):
    """Each notebook, run top to bottom with no parameters as in JupyterLab (one after another),
    makes byte-identical tables and figures, and the same cell outputs, as the runner (two at a
    time, in other processes): same inputs, same outputs (fixed seeds, no dates, fixed SVG salt)."""
    first, results = seed_run
    assert all(r["ok"] for r in results), [r["error"] for r in results]
    # a copy of the repository's layout, so the defaults ("../seeds", out_dir "../scratch") write here
    for folder in ("notebooks", "seeds"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for name in NAMES:
        source = tmp_path / "notebooks" / f"{name}.ipynb"
        papermill.execute_notebook(str(source), str(tmp_path / f"{name}.out.ipynb"), cwd=str(source.parent),
                                   progress_bar=False, kernel_name="python3")
    files, scratch = _outputs(first), tmp_path / "scratch"
    assert files == _outputs(scratch) and len(files) > 60
    differ = [f for f in files if (first / f).read_bytes() != (scratch / f).read_bytes()]
    assert not differ, f"outputs differ between two runs: {differ[:5]}"
    for name in NAMES:  # what each cell showed, too (a random id in a table would differ)
        shown = _outputs_of(tmp_path / f"{name}.out.ipynb", tmp_path)
        assert "scratch folder git ignores" in shown
        assert _outputs_of(first / "reports" / f"{name}.ipynb", first) == \
            _outputs_of_runner_view(tmp_path / f"{name}.out.ipynb"), f"{name}: cell outputs differ"


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


def test_seed_reports_show_no_warnings_or_errors(seed_run):
    _, results = seed_run
    for result in results:
        assert result["ok"], result["error"]
        report = nbformat.read(result["report"], as_version=4)
        streams = [o for c in report.cells for o in c.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stderr"]
        assert not streams, f"{result['notebook']}: {streams[0]['text'][:300]}"


def test_pages_rendered_one_after_another_in_a_process_are_those_rendered_alone(tmp_path):
    """A worker renders several notebooks with one exporter per setting: nothing of one page
    may reach the next."""
    pages = []
    for i, words in enumerate(["# First\n\nThe first page.", "# Second\n\n<b>bold</b> and more."]):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(words),
                    nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output(
                        "execute_result", {"text/plain": f"'output {i}'"}, execution_count=1)])]
        nbformat.write(nb, tmp_path / f"{i}.ipynb")
        pages.append(tmp_path / f"{i}.ipynb")
    shown = {}
    for run, (page, keep) in enumerate([(0, False), (1, True), (1, False), (0, True), (0, False)]):
        render_html(pages[page], tmp_path / f"out{run}.html", keep_code=keep)
        text = (tmp_path / f"out{run}.html").read_text(encoding="utf-8")
        assert shown.setdefault((page, keep), text) == text
        assert (f"output {page}" in text) and (f"output {1 - page}" not in text)
        assert ("x = 1" in re.sub(r"<[^>]+>", "", text)) == keep  # the code, highlighted
