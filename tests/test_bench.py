"""The benchmark runs end to end on tiny corpora. Its timings are printed, never asserted."""
import csv

import pytest

from analysis.errors import ParameterError
from analysis.runner.execute import NOTEBOOKS, notebook_paths
from analysis.text.corpus import load_corpus, raw_texts
from tools.bench import COLUMNS, REPORT_COLUMNS, floor_notebooks, main, scaled_corpus


def test_scaled_corpora_have_the_asked_size_and_are_the_same_for_a_seed(tmp_path):
    folder, documents, mb = scaled_corpus(tmp_path / "a", 0.2, seed=3)
    again, _, _ = scaled_corpus(tmp_path / "b", 0.2, seed=3)
    other, _, _ = scaled_corpus(tmp_path / "c", 0.2, seed=4)
    corpus = load_corpus(folder)
    assert len(corpus) == documents and 0.2 <= mb < 0.25
    assert sum(map(len, raw_texts(corpus))) > 0.19e6
    texts = lambda f: sorted(p.read_bytes() for p in (f / "texts").glob("*.txt"))  # noqa: E731
    assert texts(folder) == texts(again) and texts(folder) != texts(other)


def test_floor_notebooks_keep_the_parameters_and_only_import(tmp_path):
    import nbformat

    notebooks = notebook_paths(NOTEBOOKS)
    floor = floor_notebooks(notebooks, tmp_path / "floor")
    for path in notebooks:
        made = nbformat.read(floor / path.name, as_version=4)
        code = [c for c in made.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata["tags"]
        assert code[0].source == next(c.source for c in nbformat.read(path, as_version=4).cells
                                      if "parameters" in c.metadata.get("tags", []))
        lines = code[1].source.splitlines()
        assert any("analysis" in l for l in lines) and all(l.startswith(("import ", "from ")) for l in lines)


@pytest.mark.notebooks
def test_the_benchmark_runs_end_to_end_on_tiny_sizes(tmp_path, capsys):
    out = tmp_path / "bench" / "benchmark.csv"
    assert main(["--sizes", "0.05", "0.1", "--out", str(out), "--jobs", "2",
                 "--only", "00", "--repeat", "1"]) == 0
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == COLUMNS
    assert all(float(r["size_mb"]) >= s for r, s in zip(rows, (0.05, 0.1)))
    assert len(rows) == 2
    for row in rows:
        ours, sklearn, peak = float(row["ours_s"]), float(row["sklearn_s"]), float(row["peak_mb"])
        assert ours > 0 and sklearn > 0 and peak > 0
        # ratio from the unrounded times; the columns are rounded to the millisecond
        assert float(row["ratio"]) == pytest.approx(ours / sklearn, rel=0.1)
    assert rows[0]["growth"] == "" and float(rows[1]["growth"]) > 0
    with open(tmp_path / "bench" / "benchmark_report.csv", newline="", encoding="utf-8") as handle:
        [report] = list(csv.DictReader(handle))
    assert list(report) == REPORT_COLUMNS and report["notebooks"] == "1"
    assert float(report["floor_s"]) > 0 and float(report["report_s"]) > 0
    printed = capsys.readouterr().out
    assert "ours_s" in printed and "Report command against its floor" in printed


def test_impossible_sizes_are_named(tmp_path):
    with pytest.raises(ParameterError, match="--sizes"):
        from tools.bench import run_benchmark
        run_benchmark([0], tmp_path / "b.csv", report=False)
