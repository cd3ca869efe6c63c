"""Hostile and broken input: each attack of issue 14 as a test. Hostile corpora are generated
here, never committed."""
import json
import os
import pickle
import stat
import subprocess
import sys
import threading
import warnings

import pandas as pd
import pytest

import analysis
from analysis import CorpusError, ParameterError
from analysis.files import neutralised, safe_name, write_table
from analysis.measures import themes
from analysis.runner.execute import RunLocked, _lock, run_notebooks
from analysis.runner.parameters import parse_value
from analysis.runner.render import code_markdown, escape_markdown, header_markdown
from analysis.text import cache
from conftest import ROOT, SEEDS, document, write_corpus, write_notebook

QUIET = {"log": lambda *_: None}


# 1. code from a -p value --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "('\"; import os; os.system(\"touch /tmp/pwned\"); z = \"',)",  # a tuple whose repr closes the string
    "b'\\x22; import os'", "{1, 2}", "{'a': 1}",
])
def test_python_literals_are_text_not_values(text):
    assert parse_value(text) == text  # only JSON makes values; this stays an inert string


@pytest.mark.parametrize("text, message", [
    ('{"a": 1}', "use a number, text"), ("[[1]]", "a list may hold only"), ("NaN", None),
])
def test_json_that_is_not_plain_is_refused(text, message):
    if message is None:
        assert parse_value(text) == "NaN"  # not a number: text, refused where a number is due
        with pytest.raises(ParameterError, match="use a number"):
            run_notebooks(SEEDS, "/nonexistent-never-made", parameters={"level": parse_value(text)}, **QUIET)
    else:
        with pytest.raises(ParameterError, match=message):
            parse_value(text)


def test_a_hostile_string_parameter_reaches_the_notebook_as_text(tmp_path):
    marker = tmp_path / "pwned"
    value = f'x"; import pathlib; pathlib.Path({str(marker)!r}).touch(); y = "'
    with pytest.raises(ParameterError, match="not a manifest column"):
        run_notebooks(SEEDS, tmp_path / "out", only=["00"], parameters={"group_by": value}, **QUIET)
    assert not marker.exists() and not (tmp_path / "out").exists()


# 14. parameters checked before any kernel, once ----------------------------------------------------

@pytest.mark.parametrize("name, value, message", [
    ("seed", -1, "at least 0"), ("level", "abc", "use a number"), ("top_n", True, "a whole number"),
    ("max_listed", -1, "at least 1"), ("stable_at", 2, r"a number in \[0, 1\]"),
    ("method", "svd", "one of nmf, lda"), ("coded_sheets", "/etc/passwd", "a coded sheet is a .csv"),
    ("codebook_path", "/nonexistent.toml", "no such file"), ("years", ["2025"], "a list of whole numbers"),
    ("group_by", "../outlet", "not a manifest column"),
])
def test_impossible_parameters_stop_the_run_before_any_notebook(tmp_path, name, value, message):
    with pytest.raises(ParameterError, match=message) as caught:
        run_notebooks(SEEDS, tmp_path / "out", parameters={name: value}, **QUIET)
    assert f"-p {name}" in str(caught.value)
    assert not (tmp_path / "out" / "reports").exists()  # nothing ran, nothing was written


# 2. live HTML and links from labels ----------------------------------------------------------------

LABELS = ['<meta http-equiv="refresh" content="0;url=https://evil.example">',
          "[click](https://evil.example)", "visit http://evil.example now", "www.evil.example",
          "x`</code><script>alert(1)</script>", "A\u202eB", "Z\u200bhong"]


@pytest.mark.parametrize("label", LABELS)
def test_labels_are_inert_in_markdown(label):
    shown = escape_markdown(label)
    assert "<meta" not in shown and "<script" not in shown and "](" not in shown
    assert "http://" not in shown and "https://" not in shown and "www." not in shown
    assert "\u202e" not in shown and "\u200b" not in shown
    code = code_markdown(label)  # a code span: shown literally, so only its own backticks matter
    assert code.startswith("`") and code.endswith("`") and "`" not in code[1:-1]
    assert "\u202e" not in code and "\u200b" not in code
    header = header_markdown("00", f"corpus: {label}", {"group_by": label}, {"x": "1"})
    assert "<meta" not in header and "https://" not in header


@pytest.mark.notebooks
def test_hostile_labels_make_no_live_html_or_links_in_any_page(tmp_path):
    docs = [document("a", "Trade and energy ties grew strongly this year, the leaders said on Monday.",
                     origin=LABELS[0], outlet="http://evil.example Daily", event_date="2024-05-01"),
            document("b", "Putin noted the rest of the talks and the trade that the two sides agreed.",
                     origin="[click](https://evil.example)", outlet="Plain", event_date="2024-05-01")]
    folder = write_corpus(tmp_path / "c", docs, columns=["doc_id", "file", "outlet", "origin", "source_type",
                                                         "event_date", "x`y"])
    results = run_notebooks(folder, tmp_path / "out", only=["00", "01"], parameters={"n_boot": 20}, **QUIET)
    assert all(r["ok"] for r in results), [r["error"] for r in results]
    for page in (tmp_path / "out" / "reports").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<meta http-equiv=\"refresh\"" not in text.replace('<meta http-equiv="Content-Security-Policy"', "")
        assert 'href="https://evil' not in text and 'href="http://evil' not in text
        if page.name != "index.html":
            assert "base-uri 'none'" in text and "form-action 'none'" in text


# 3. formulas in CSV ------------------------------------------------------------------------------------

def test_csv_text_cells_a_spreadsheet_would_run_are_neutralised(tmp_path):
    table = pd.DataFrame({"label": ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(1)", "- a dash",
                                    "\tx", "plain"], "z": [-1.5, 2, 3, 4, 5, 6], "=bad": range(6)})
    write_table(table, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv")
    assert all(not str(v).startswith(("=", "+", "@", "-", "\t")) for v in back["label"])
    assert list(back["z"]) == [-1.5, 2, 3, 4, 5, 6]  # numbers stay numbers
    assert list(back.columns) == ["label", "z", "'=bad"]
    assert neutralised(table)["label"].iloc[5] == "plain"


# 4. a FIFO or a device named in the manifest --------------------------------------------------------

def test_a_fifo_in_the_manifest_is_refused_without_hanging(tmp_path):
    folder = write_corpus(tmp_path / "c", [document("a", "Trade grew this year, the ministry said on Monday."),
                                           document("b", "placeholder")])
    (folder / "b.txt").unlink()
    os.mkfifo(folder / "b.txt")
    done = {}

    def load():
        try:
            analysis.load_processed(folder, cache_dir=tmp_path / "cache")
        except CorpusError as exc:
            done["error"] = str(exc)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "loading hung on a FIFO"
    assert "b.txt is not a regular file" in done["error"]


# 5. two runs into one --out --------------------------------------------------------------------------

def test_a_second_run_into_the_same_folder_is_refused(tmp_path):
    held = _lock(tmp_path / "out")
    try:
        with pytest.raises(RunLocked, match="another run .pid .* is writing to this folder"):
            run_notebooks(SEEDS, tmp_path / "out", only=["00"], **QUIET)
    finally:
        held.close()
    assert not (tmp_path / "out" / "reports").exists()


# 7. group_by names files ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, made", [("../x", "x"), ("a/b", "a_b"), ("..", "unnamed"), (".hidden", "hidden"),
                                        ("topics_by_origin", "topics_by_origin")])
def test_output_names_are_safe(name, made):
    assert safe_name(name) == made


# 8. a "$" in a label: see tests/test_layout.py::test_charts_apply_their_style_only_while_drawing

# 9. the optional cache ----------------------------------------------------------------------------------

def test_an_unusable_cache_is_skipped_with_a_warning(tmp_path):
    corpus = write_corpus(tmp_path / "c", [document("a", "Trade grew this year, the ministry said on Monday.")])
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    with pytest.warns(cache.CacheWarning, match="cannot be written"):
        processed = analysis.load_processed(corpus, cache_dir=a_file)
    assert len(processed.sentences) == 1
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)  # a folder others may write to: neither read nor written
    with pytest.warns(cache.CacheWarning):
        analysis.load_processed(corpus, cache_dir=shared)
    assert not list(shared.glob("*.pkl"))


def test_a_cache_entry_holding_something_else_is_not_used(tmp_path):
    corpus = write_corpus(tmp_path / "c", [document("a", "Trade grew this year, the ministry said on Monday.")])
    folder = tmp_path / "cache"
    first = analysis.load_processed(corpus, cache_dir=folder)
    [entry] = folder.glob("*.pkl")
    entry.write_bytes(pickle.dumps({"key": "other", "processed": "not a corpus"}))
    again = analysis.load_processed(corpus, cache_dir=folder)
    assert again.sentences.equals(first.sentences)
    assert stat.S_IMODE(os.stat(folder).st_mode) & 0o022 == 0  # made private


# 10. provenance after an interruption, Ctrl-C ---------------------------------------------------------

@pytest.mark.notebooks
def test_an_interrupted_run_leaves_provenance_that_says_so(tmp_path):
    notebooks = tmp_path / "notebooks"
    for name, body in (("10_ok", "x = 1"), ("20_stop", "raise KeyboardInterrupt")):
        write_notebook(notebooks, name, body)
    results = run_notebooks(SEEDS, tmp_path / "out", notebooks_dir=notebooks, **QUIET)
    manifest = json.loads((tmp_path / "out" / "reports" / "run.json").read_text())
    assert manifest["complete"] is False and manifest["notebooks"]["10_ok"]["ok"]
    assert not manifest["notebooks"]["20_stop"]["ok"]
    assert all(not k.startswith("reports/20_stop") for k in manifest["outputs"])
    assert (tmp_path / "out" / "reports" / "failed" / "20_stop.ipynb").exists()
    assert not (tmp_path / "out" / ".staging").exists()
    assert "FAILED in this run" in (tmp_path / "out" / "reports" / "index.html").read_text()
    assert [r["ok"] for r in results] == [True, False]


# 11. silent changes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("ending", ["\r", "\u2028", "\x85", "\r\n"])
def test_line_ends_cannot_make_a_rule_eat_paragraphs(make_corpus, ending):
    text = ending.join(["Source - Ministry of Foreign Affairs", "First paragraph of the readout is here.",
                        "Second paragraph of the readout is here."])
    corpus = analysis.load_corpus(make_corpus([document("a", text)]))
    assert corpus["text"].iloc[0] == ("First paragraph of the readout is here.\n"
                                      "Second paragraph of the readout is here.")


def test_invisible_characters_in_labels_are_removed_with_a_warning(make_corpus):
    docs = [document("a", "Trade grew this year, the ministry said on Monday.", origin="China"),
            document("b", "Energy talks went on for hours and ended with an accord on gas.", origin="Chi\u200bna"),
            document("c", "The third text of the corpus says something else again.", origin="\u202eRussia")]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = analysis.load_corpus(make_corpus(docs))
    assert set(corpus["origin"]) == {"China", "Russia"}
    messages = " ".join(str(w.message) for w in caught)
    assert "line 3, column origin" in messages and "line 4, column origin" in messages


def test_direction_overrides_are_removed_from_texts(make_corpus):
    corpus = analysis.load_corpus(make_corpus([document("a", "Trade \u202egrew\u202c this year, the ministry said.")]))
    assert corpus["text"].iloc[0] == "Trade grew this year, the ministry said."


def test_duplicated_columns_and_control_characters_are_refused(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("Trade grew this year, the ministry said.", encoding="utf-8")
    (folder / "manifest.csv").write_text("doc_id,file,outlet,origin,source_type,event_date,title,title\n"
                                         "a,a.txt,O,A,speech,2020-01-01,x,y\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="'title' appear more than once"):
        analysis.load_corpus(folder)
    (folder / "manifest.csv").write_text("doc_id,file,outlet,origin,source_type,event_date\n"
                                         "a,a.txt,O\x00ut,A,speech,2020-01-01\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="line 2: a control character .U\\+0000"):
        analysis.load_corpus(folder)


# 12. codebooks ------------------------------------------------------------------------------------------------

def test_a_codebook_of_one_pattern_per_theme_works(tmp_path, make_corpus):
    path = tmp_path / "cb.toml"
    path.write_text('[themes.a]\nlabel = "A"\ndefinition = "d"\npatterns = ["trade"]\n'
                    '[themes.b]\nlabel = "B"\ndefinition = "d"\npatterns = ["gas"]\n', encoding="utf-8")
    codebook = analysis.load_codebook(path)
    processed = analysis.load_processed(make_corpus([document("a", "Trade grew. Gas flowed.")]), use_cache=False)
    matches = themes.theme_matches(processed, codebook)
    assert themes.kwic_theme_or_most_frequent(None, matches, codebook) in {"a", "b"}
    label = codebook.loc[codebook["theme"] == "a", "label"].iloc[0]  # what notebook 01 does
    assert label == "A"


# 13. non-English documents ---------------------------------------------------------------------------------------

def test_non_english_documents_are_reported(make_corpus):
    docs = [document("en", "The two leaders held talks in the Kremlin and discussed trade and energy."),
            document("zh", "习近平同俄罗斯总统普京举行视频会晤。双方讨论了贸易和能源合作。" * 3),
            document("ru", "Президент России Владимир Путин провел переговоры с председателем КНР. " * 4)]
    corpus, messages = analysis.load_corpus_with_warnings(make_corpus(docs))
    assert len(corpus) == 3
    assert [m.split(":")[0] for m in messages] == ["zh", "ru"] and "does not look English" in messages[0]
    done = subprocess.run([sys.executable, "-m", "analysis", "validate", "--corpus", str(make_corpus(docs, "c2"))],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stderr.count("does not look English") == 2


# 6. scale ----------------------------------------------------------------------------------------------------------

def test_large_groups_get_a_normal_interval_that_agrees_with_the_bootstrap(monkeypatch):
    import numpy as np
    from analysis.measures import rates

    rng = np.random.default_rng(0)
    n = 6000
    table = pd.DataFrame({"doc_id": [f"d{i % 300}" for i in range(n)], "tokens": rng.integers(5, 40, n),
                          "a": rng.poisson(0.3, n)})
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(300)], "g": "x"})
    boot = rates.bootstrap_rates(table, {"a": "A"}, corpus, "g", 1000, 0, 0.95).iloc[0]
    monkeypatch.setattr(rates, "MAX_BOOTSTRAP", 100)
    normal = rates.bootstrap_rates(table, {"a": "A"}, corpus, "g", 1000, 0, 0.95).iloc[0]
    assert (boot["interval"], normal["interval"]) == ("bootstrap", "normal")
    assert normal["rate_per_1k"] == boot["rate_per_1k"]
    assert abs(normal["low"] - boot["low"]) < 0.05 * boot["rate_per_1k"]
    assert abs(normal["high"] - boot["high"]) < 0.05 * boot["rate_per_1k"]


def test_alignment_of_a_crowded_event_lists_each_sentence_once(make_corpus):
    from analysis.measures import events

    text = "Trade between the two countries grew by a third this year. Energy deals were signed in the capital."
    docs = [document(f"d{i}", text, event="summit", outlet=f"O{i}") for i in range(15)]
    processed = analysis.load_processed(make_corpus(docs), use_cache=False)
    shared = events.shared_events(processed.corpus)
    alignment = events.sentence_alignment(processed, shared, max_tellers=12)
    assert len(alignment) == len(processed.sentences)  # not 15 x 14 rows per sentence
    assert (alignment["other_doc_id"] != alignment["doc_id"]).all()
    assert (alignment["similarity"] > 0.99).all()
