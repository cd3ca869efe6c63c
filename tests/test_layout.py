"""One sentence table read by every measure; rules a corpus can change; a package in layers."""
import ast
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import analysis
from analysis import RuleError
from analysis.measures import events, speakers, themes, tone, topics
from analysis.measures.describe import document_sizes
from analysis.rules import RuleSet
from conftest import ROOT, SEEDS, document, write_corpus

PACKAGE = ROOT / "analysis"
LAYERS = ["rules", "text", "measures", "figures", "runner"]  # lowest first


@pytest.fixture(scope="module")
def seeds_processed():
    return analysis.load_processed(SEEDS, use_cache=False)


def _keys(table):
    return list(zip(table["doc_id"], table["sentence_id"]))


def test_every_measure_reads_the_one_sentence_table(seeds_processed, monkeypatch):
    table = seeds_processed.sentences
    codebook = analysis.load_codebook()

    # Measures may not split or tokenise texts again: after processing, the splitter refuses.
    def refuse(*_, **__):
        raise AssertionError("a measure split a text into sentences again")
    for name in ("analysis.text.sentences.sentence_spans", "analysis.text.sentences.batch_sentence_spans",
                 "analysis.text.matrix.batch_sentence_spans"):
        monkeypatch.setattr(name, refuse)

    per_sentence = {
        "themes": themes.sentence_theme_counts(seeds_processed, codebook),
        "speakers": speakers.speaker_sentences(seeds_processed),
        "tone": tone.sentence_tone_counts(seeds_processed),
    }
    for name, found in per_sentence.items():
        assert _keys(found) == _keys(table), f"{name}: its sentences are not the table's rows"
        assert (found["tokens"].to_numpy() == table["tokens"].to_numpy()).all() if "tokens" in found else True
    said = per_sentence["speakers"]
    assert (said["sentence"].to_numpy() == table["sentence"].to_numpy()).all()

    matches = themes.theme_matches(seeds_processed, codebook)
    assert set(_keys(matches)) <= set(_keys(table))
    alignment = events.sentence_alignment(seeds_processed, events.shared_events(seeds_processed.corpus))
    assert set(_keys(alignment)) <= set(_keys(table))
    assert set(zip(alignment["other_doc_id"], alignment["match_sentence_id"])) <= set(_keys(table))
    units = topics.topic_units(seeds_processed, "sentence_window", 2, 1)
    for unit in units.itertuples():
        rows = table[(table["doc_id"] == unit.doc_id) & table["sentence_id"].between(
            unit.first_sentence, unit.last_sentence)]
        assert unit.text == " ".join(rows["sentence"]) and unit.tokens == rows["tokens"].sum()
    sizes = document_sizes(seeds_processed)
    assert list(sizes["sentences"]) == list(table.groupby("doc_id", sort=False).size()[sizes["doc_id"]])


def test_each_sentence_carries_its_span_in_the_cleaned_text(seeds_processed):
    texts = seeds_processed.corpus.set_index("doc_id")["text"]
    table = seeds_processed.sentences
    assert list(table.columns) == ["doc_id", "sentence_id", "paragraph", "start", "end", "sentence",
                                   "tokens", "words"]
    for row in table.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.sentence
        assert len(row.words.split()) == row.tokens
        assert texts[row.doc_id].splitlines()[0] or True
    # sentences follow each other within a document
    for _, part in table.groupby("doc_id", sort=False):
        assert (np.diff(part["start"]) > 0).all() and list(part["sentence_id"]) == list(range(1, len(part) + 1))


THIRD_SPEAKER = """#extend
[speakers.lavrov]
name = "Sergei Lavrov"
short = "Lavrov"
color = "#CC79A7"
mentions = ["Sergei Lavrov", "Lavrov"]
"""


def test_a_third_speaker_added_in_the_corpus_rules_gets_its_share(tmp_path):
    text = ("Lavrov said the talks were useful. He added that more would follow.\n"
            "Putin said trade grew. Xi said ties were strong.\n"
            "The meeting ended in the evening.")
    folder = write_corpus(tmp_path / "corpus", [document("a", text, origin="North"),
                                                document("b", "Lavrov noted the progress. Putin agreed.",
                                                         origin="South")])
    (folder / "rules").mkdir()
    (folder / "rules" / "speakers.toml").write_text(THIRD_SPEAKER, encoding="utf-8")
    processed = analysis.load_processed(folder, use_cache=False)
    assert speakers.speaker_order(processed.rules) == ["xi", "putin", "lavrov", "other", "narrator"]
    said = speakers.speaker_sentences(processed)
    assert list(said["speaker"][:2]) == ["lavrov", "lavrov"]
    shares = speakers.speaker_shares(said, processed.corpus, "origin", processed.rules)
    assert "lavrov" in shares.columns and list(shares.columns) == [
        s for s in speakers.speaker_order(processed.rules) if s in set(said["speaker"])]
    assert np.allclose(shares.sum(axis=1), 1.0)
    # without the corpus's rules, Lavrov is just another person
    plain = speakers.speaker_sentences(analysis.processed_corpus(processed.corpus))
    assert plain["speaker"].iloc[0] == "other"


def test_corpus_rules_extend_or_replace_the_shipped_ones(tmp_path):
    text = "The harvest was good.\nTariffs on grain fell."
    folder = write_corpus(tmp_path / "corpus", [document("a", text)])
    shipped = analysis.load_processed(folder, use_cache=False)
    assert "harvest" in set(shipped.dfm.features["feature"])
    rules = folder / "rules"
    rules.mkdir()
    (rules / "stopwords.txt").write_text("#extend\nharvest\n", encoding="utf-8")
    extended = analysis.load_processed(folder, use_cache=False)
    assert "harvest" not in set(extended.dfm.features["feature"])
    assert "the" in analysis.text.tokens.stop_words(extended.rules)  # shipped words kept
    (rules / "stopwords.txt").write_text("harvest\n", encoding="utf-8")
    replaced = analysis.load_processed(folder, use_cache=False)
    assert "the" in set(replaced.dfm.features["feature"])  # the shipped list is gone
    assert replaced.rules.describe()["stopwords.txt"] == "yours (replaces the shipped one)"
    assert extended.rules.describe()["codebook.toml"] == "shipped"
    # --rules DIR wins over the corpus's own folder
    other = tmp_path / "other_rules"
    other.mkdir()
    (other / "removal_rules.tsv").write_text(
        "#extend\nrule\tstep\tpattern\tdescription\ngrain\tpage_chrome\t^Tariffs.*$\ttest\n", encoding="utf-8")
    chosen = analysis.load_processed(folder, use_cache=False, rules_dir=other)
    assert chosen.corpus["text"].iloc[0] == "The harvest was good."


@pytest.mark.parametrize("name, body, where", [
    ("aliases.tsv", "alias\tcanonical\tmatch_case\nUN\tUnited Nations\tmaybe\n", "line 2"),
    ("removal_rules.tsv", "rule\tstep\tpattern\tdescription\nbad\tpage_chrome\t([a-z\tunclosed\n", "line 2"),
    ("spelling_uk_us.tsv", "# comment\nbritish\tamerican\ncolour\n", "line 3"),
    ("tone.toml", "[categories.modal]\nlabel = 'Modal'\nwords = 'should'\n", "tone.toml"),
    ("speakers.toml", "#extend\n[speakers.lavrov]\nname = 'Sergei Lavrov'\n", "lacks mentions, color"),
    ("codebook.toml", "[themes.x\nlabel = 'X'\n", "codebook.toml"),
])
def test_a_bad_rule_file_is_named_with_its_line(tmp_path, name, body, where):
    folder = write_corpus(tmp_path / "corpus", [document("a", "Trade with the UN grew.")])
    (folder / "rules").mkdir()
    (folder / "rules" / name).write_text(body, encoding="utf-8")
    with pytest.raises((RuleError, analysis.CodebookError)) as caught:
        processed = analysis.load_processed(folder, use_cache=False)
        speakers.speaker_sentences(processed)
        tone.sentence_tone_counts(processed)
        analysis.load_codebook(rules=processed.rules)
    assert str(folder / "rules" / name) in str(caught.value) and where in str(caught.value)


def test_rules_dir_must_be_a_folder(tmp_path):
    with pytest.raises(RuleError, match="rules_dir="):
        analysis.rules_for(tmp_path, tmp_path / "missing")
    assert analysis.rules_for(tmp_path) == RuleSet()


def _imports(path):
    """The analysis subpackages (or top modules) a module imports, by relative import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    package = path.parent.relative_to(PACKAGE).parts
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[:len(package) - (node.level - 1)]) if node.level > 1 else list(package)
            target = base + (node.module.split(".") if node.module else [])
            found.add(target[0] if target else (node.names[0].name))
    return found


def test_imports_only_go_down_the_layers():
    rank = {name: i for i, name in enumerate(LAYERS)}
    rank.update(errors=-1, files=-1)
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) == 1:
            continue  # __init__ and __main__ re-export; rules, errors and files are the base
        layer = parts[0]
        for target in _imports(path) - {layer}:
            assert rank.get(target, -1) < rank[layer], f"{path.relative_to(ROOT)} imports {target}"


def test_importing_the_package_changes_no_global_setting():
    code = (
        "import os, matplotlib\n"
        "before = dict(matplotlib.rcParams); umask = os.umask(0o027); os.umask(umask)\n"
        "import analysis, analysis.figures.charts, analysis.figures.saving, analysis.runner.execute\n"
        "after = dict(matplotlib.rcParams); now = os.umask(0o022); os.umask(now)\n"
        "changed = [k for k in before if before[k] != after[k] and k != 'backend']\n"
        "print(changed, umask == now)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] True", done.stdout + done.stderr


def test_charts_apply_their_style_only_while_drawing():
    import matplotlib
    from analysis.figures import charts

    before = matplotlib.rcParams["axes.titleweight"]
    fig = charts.barh(["a", "b"], [1, 2], charts.GREY, "Title", "x", "caption")
    assert fig.axes[0].title.get_fontweight() == "bold"
    assert matplotlib.rcParams["axes.titleweight"] == before
    fig = charts.barh(["US$5 and $\\frac{$"], [1], charts.GREY, "Cost in US$", "x", "caption")
    fig.canvas.draw()  # mathtext would fail on the label; it is text


def test_the_wheel_carries_notebooks_rules_and_templates(tmp_path):
    import shutil

    source = tmp_path / "source"  # built from a copy: the build leaves nothing in the checkout
    for name in ("analysis", "notebooks"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-q", "-w", str(tmp_path), str(source)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    [wheel] = tmp_path.glob("analysis-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"analysis/notebooks/{notebook.name}" in names
    for rule in (PACKAGE / "data").iterdir():
        assert f"analysis/data/{rule.name}" in names
    assert any(n.startswith("analysis/templates/report/") for n in names)
    assert {"analysis/text/processed.py", "analysis/runner/cli.py", "analysis/measures/themes.py",
            "analysis/figures/charts.py"} <= names
    assert not any(n.startswith(("tools/", "tests/")) for n in names)
