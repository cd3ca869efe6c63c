import json

import nbformat
import pandas as pd
import papermill
import pytest

from analysis import ParameterError
from analysis.runner.execute import NOTEBOOKS, run_notebooks
from conftest import SEEDS, synthetic_documents, write_corpus

pytestmark = pytest.mark.notebooks  # every test here executes notebooks

QUIET = {"log": lambda *_: None}
CODEBOOK = """
[themes.money]
label = "Money"
definition = "Budgets, pensions, tariffs."
patterns = ["budget*", "pension*", "tariff*"]

[themes.land]
label = "Land"
definition = "Harvest, drought, river, grain."
patterns = ["harvest", "drought", "river*", "grain"]
exclude = ["river bridge"]
"""


def _outputs(report_path):
    report = nbformat.read(report_path, as_version=4)
    return json.dumps([c.get("outputs", []) for c in report.cells])


def test_every_parameters_cell_parses_in_papermill():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        source = next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        assigned = {line.split("=")[0].strip() for line in source.splitlines()
                    if "=" in line and not line.lstrip().startswith("#")}
        inspected = papermill.inspect_notebook(str(path))
        assert set(inspected) == assigned, f"{path.name}: papermill could not parse a line"


def test_theme_notebook_with_non_default_group_by(tmp_path):
    [result] = run_notebooks(SEEDS, tmp_path, only=["01"],
                             parameters={"group_by": "source_type", "n_boot": 200,
                                         "kwic_theme": "energy"}, **QUIET)
    assert result["ok"], result["error"]
    figures = tmp_path / "figures" / "01_theme_frequency"
    counts = pd.read_csv(figures / "theme_counts.csv")
    assert list(counts.columns[:6]) == ["doc_id", "theme", "label", "count", "tokens", "rate_per_1k"]
    grouped = pd.read_csv(figures / "theme_rates_by_group.csv")
    assert set(grouped["group"]) == {"official_readout", "state_media", "media"}
    for name in ["theme_heatmap", "theme_rates_by_group", "themes_over_time", "uncovered_terms"]:
        assert (figures / f"{name}.png").stat().st_size > 0
    shown = _outputs(result["report"])
    assert "matches of `energy`" in shown and "Power of Siberia" in shown


def test_theme_notebook_on_one_group_one_date_and_own_codebook(tmp_path):
    docs = synthetic_documents(5, years=[1987], groups=["Treasury"], seed=5)
    for doc in docs:
        doc["event_date"] = "1987-10-19"
    corpus = write_corpus(tmp_path / "treasury", docs)
    codebook = tmp_path / "codebook.toml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    [result] = run_notebooks(corpus, tmp_path / "out", only=["01"],
                             parameters={"codebook_path": str(codebook), "n_boot": 100}, **QUIET)
    assert result["ok"], result["error"]
    shown = _outputs(result["report"])
    assert "Only one value of `origin`" in shown
    assert "One event date only" in shown
    assert not (tmp_path / "out" / "figures" / "01_theme_frequency" / "themes_over_time.png").exists()
    counts = pd.read_csv(tmp_path / "out" / "figures" / "01_theme_frequency" / "theme_counts.csv")
    assert set(counts["theme"]) == {"money", "land"}


def test_theme_notebook_on_many_documents_and_groups(tmp_path):
    docs = synthetic_documents(60, years=list(range(1990, 2020)), seed=9,
                               groups=[f"ministry {c}" for c in "ABCDEFGHIJ"])
    corpus = write_corpus(tmp_path / "many", docs)
    codebook = tmp_path / "codebook.toml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    [result] = run_notebooks(corpus, tmp_path / "out", only=["01"],
                             parameters={"codebook_path": str(codebook), "n_boot": 100,
                                         "max_listed": 20, "group_by": "party"}, **QUIET)
    assert result["ok"], result["error"]
    heatmap = pd.read_csv(tmp_path / "out" / "figures" / "01_theme_frequency" / "theme_heatmap.csv")
    assert list(heatmap["party"]) == ["party 0", "party 1", "party 2", "party 3"]


def test_years_notebook_with_non_default_parameters(tmp_path):
    [result] = run_notebooks(SEEDS, tmp_path, only=["02"], parameters={
        "unit": "paragraph", "n_topics": 3, "method": "lda", "min_df": 2, "max_df": 0.8,
        "top_n": 5, "random_state": 7, "years": [2025, 2026], "n_runs": 2}, **QUIET)
    assert result["ok"], result["error"]
    figures = tmp_path / "figures" / "02_tfidf_topics_by_year"
    shift = pd.read_csv(figures / "year_log_odds.csv")
    assert {"term", "year_a", "year_b", "count_a", "count_b", "z"} <= set(shift.columns)
    assert set(shift["year_a"]) == {2025} and set(shift["year_b"]) == {2026}
    assert shift.set_index("term").at["trump", "z"] > 0
    assert pd.read_csv(figures / "topic_terms.csv")["topic"].nunique() == 3
    for name in ["top_terms_by_year", "year_log_odds", "topics_by_year", "topics_by_origin", "document_similarity"]:
        assert (figures / f"{name}.png").stat().st_size > 0


def test_years_notebook_on_one_year(tmp_path):
    docs = synthetic_documents(12, years=[2003], groups=["North", "South"], seed=2)
    corpus = write_corpus(tmp_path / "oneyear", docs)
    [result] = run_notebooks(corpus, tmp_path / "out", only=["02"],
                             parameters={"n_topics": 3, "n_runs": 2, "min_tokens": 3}, **QUIET)
    assert result["ok"], result["error"]
    shown = _outputs(result["report"])
    assert "One year only (2003)" in shown
    assert not (tmp_path / "out" / "figures" / "02_tfidf_topics_by_year" / "year_log_odds.csv").exists()


def test_years_notebook_names_an_impossible_parameter(tmp_path):
    [result] = run_notebooks(SEEDS, tmp_path, only=["02"], parameters={"n_topics": 400}, **QUIET)
    assert not result["ok"]  # a valid number, more topics than these few passages hold
    assert "ParameterError" in result["error"] and "n_topics=400" in result["error"]


def test_explore_notebook_on_one_group_notes_that_there_is_nothing_to_chart(tmp_path):
    corpus = write_corpus(tmp_path / "one", synthetic_documents(6, years=[1990, 1991], groups=["Treasury"], seed=3))
    [result] = run_notebooks(corpus, tmp_path / "out", only=["05"],
                             parameters={"query": "budget", "terms": ["budget"], "n_boot": 100}, **QUIET)
    assert result["ok"], result["error"]
    assert "Only one value of `origin`" in _outputs(result["report"])
    assert not (tmp_path / "out" / "reports" / "05_explore").exists()
    assert not (tmp_path / "out" / "figures" / "05_explore" / "term_chart.csv").exists()


def test_explore_notebook_charts_one_group_against_the_rest_of_another_column(tmp_path):
    corpus = write_corpus(tmp_path / "parties", synthetic_documents(40, years=[1990, 1995], groups=["A", "B"], seed=4))
    [result] = run_notebooks(corpus, tmp_path / "out", only=["05"],
                             parameters={"query": "budget", "terms": ["budget"], "n_boot": 100,
                                         "compare_by": "party", "compare_a": "party 1", "compare_b": "rest",
                                         "chart_term": "harvest"}, **QUIET)
    assert result["ok"], result["error"]
    table = pd.read_csv(tmp_path / "out" / "figures" / "05_explore" / "term_chart.csv")
    assert set(table["group_a"]) == {"party 1"} and set(table["group_b"]) == {"not party 1"}
    page = (tmp_path / "out" / "reports" / "05_explore" / "term_chart.html").read_text(encoding="utf-8")
    assert "Words of party 1 against not party 1 (party)" in page
    assert "harvest" in _outputs(result["report"])
    with pytest.raises(ParameterError, match="compare_by"):
        run_notebooks(corpus, tmp_path / "out2", only=["05"], parameters={"compare_by": "colour"}, **QUIET)
