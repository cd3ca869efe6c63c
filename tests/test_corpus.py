import warnings

import pandas as pd
import pytest

import analysis
from analysis import CorpusError, CorpusWarning
from conftest import SEEDS, document


def test_seed_corpus_has_six_documents_with_manifest_columns_year_and_texts(seed_corpus):
    assert len(seed_corpus) == 6
    for column in ["doc_id", "file", "outlet", "origin", "source_type", "event_date", "year",
                   "event", "text", "notes"]:
        assert column in seed_corpus.columns
    assert sorted(seed_corpus["year"].unique()) == [2025, 2026]
    assert seed_corpus["doc_id"].is_unique
    assert pd.api.types.is_datetime64_any_dtype(seed_corpus["event_date"])


def test_file_000_gives_two_documents_split_at_the_russian_readout(seed_corpus):
    from_000 = seed_corpus[seed_corpus["file"] == "000_1a7a6798957a20c9.txt"]
    assert list(from_000["origin"]) == ["China", "Russia"]
    lines = (SEEDS / "000_1a7a6798957a20c9.txt").read_text(encoding="utf-8").splitlines()
    split = next(i for i, line in enumerate(lines) if line.startswith("Russian readout"))
    chinese, kremlin = (analysis.raw_texts(seed_corpus)[i] for i in from_000.index)
    assert kremlin.splitlines()[0] == lines[split]
    assert chinese.splitlines()[-1] == lines[split - 1]
    assert "Russian readout" not in chinese and "Wang Yi attended" in chinese
    assert kremlin.startswith("Russian readout: Talks with President of China")
    assert "President of Russia Vladimir Putin:" in kremlin
    assert "President of Russia Vladimir Putin:" not in chinese


def test_events_default_to_event_date_and_group_the_three_2026_reports(seed_corpus):
    told = seed_corpus.groupby("event")["doc_id"].count()
    assert told["2026-02-04"] == 3 and told["2025-01-21"] == 2 and told["2025-02-24"] == 1


def test_event_column_overrides_the_event_date(make_corpus):
    folder = make_corpus([document("a", "One text here.", event="summit"),
                          document("b", "Another text here.", event="", event_date="2001-02-03")])
    corpus = analysis.load_corpus(folder)
    assert list(corpus["event"]) == ["summit", "2001-02-03"]


def test_errors_are_collected_and_name_row_file_and_problem(make_corpus):
    docs = [
        document("good", "A proper sentence."),
        document("latin1", "Caf\xe9 au lait.".encode("latin-1")),
        document("empty", "Site icon Realist\n<…>\n"),
        document("good", "Same id again.", file="dup.txt"),
        document("baddate", "Text.", event_date="21/01/2025"),
        document("nofile", None, file="missing.txt"),
        document("blank", "Text.", outlet=""),
    ]
    docs[5].pop("text")
    folder = make_corpus(docs)
    with pytest.raises(CorpusError) as caught:
        analysis.load_corpus(folder)
    problems = caught.value.problems
    text = str(caught.value)
    assert len(problems) == 6, text
    assert any("latin1.txt is not valid UTF-8 (byte 3, line 1" in p and "line 3" in p for p in problems)
    assert any("doc_id empty" in p and "empty after cleaning" in p for p in problems)
    assert any("duplicate doc_id 'good'" in p and "line 5" in p and "first on line 2" in p
               for p in problems)
    assert any("event_date '21/01/2025' is not an ISO date" in p for p in problems)
    assert any("missing.txt does not exist" in p for p in problems)
    assert any("required value(s) empty: outlet" in p and "line 8" in p for p in problems)


def test_missing_manifest_or_column_is_named(tmp_path, make_corpus):
    with pytest.raises(CorpusError, match="manifest.csv is missing"):
        analysis.load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="does not exist"):
        analysis.load_corpus(tmp_path / "nowhere")
    folder = make_corpus([document("a", "Text.")],
                         columns=["doc_id", "file", "outlet", "origin", "event_date"])
    with pytest.raises(CorpusError, match="required column.*source_type"):
        analysis.load_corpus(folder)


def test_line_ranges_are_checked(make_corpus):
    folder = make_corpus([document("a", "one\ntwo\n", first_line="5"),
                          document("b", "one\ntwo\n", file="b.txt", first_line="2", last_line="1"),
                          document("c", "one\ntwo\n", file="c.txt", first_line="x")])
    with pytest.raises(CorpusError) as caught:
        analysis.load_corpus(folder)
    text = str(caught.value)
    assert "first_line 5 is past the end of a.txt (2 lines)" in text
    assert "last_line 1 is before first_line 2" in text
    assert "first_line 'x' is not a line number" in text


def test_files_must_stay_inside_the_corpus_folder_links_resolved(make_corpus, tmp_path):
    # A name that climbs out, an absolute name, and a link pointing out are refused; a link to a
    # file inside, a name written with "./" and "//", and a file in a sub-folder are read, and
    # the files they reach are not reported as unlisted.
    (tmp_path / "secret.txt").write_text("Outside text.", encoding="utf-8")
    docs = [document("a", "Inside text a."), document("sub", None, file="texts//./b.txt"),
            document("link_in", None, file="alias.txt"), document("up", None, file="../secret.txt"),
            document("absolute", None, file=str(tmp_path / "secret.txt")),
            document("link_out", None, file="leak.txt"), document("folder", None, file="texts")]
    for doc in docs[1:]:
        doc.pop("text")  # written below
    folder = make_corpus(docs)
    (folder / "texts").mkdir()
    (folder / "texts" / "b.txt").write_text("Inside text b.", encoding="utf-8")
    (folder / "alias.txt").symlink_to(folder / "a.txt")
    (folder / "leak.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(CorpusError) as caught:
        analysis.load_corpus(folder)
    problems = caught.value.problems
    assert len(problems) == 4, problems
    for doc_id in ("up", "absolute", "link_out"):
        assert any(f"doc_id {doc_id})" in p and "is outside the corpus folder" in p for p in problems)
    assert any("doc_id folder)" in p and "not a regular file" in p for p in problems)
    for doc_id in ("up", "absolute", "link_out", "folder"):
        (folder / "manifest.csv").write_text(
            "\n".join(line for line in (folder / "manifest.csv").read_text().splitlines()
                      if not line.startswith(doc_id + ",")) + "\n", encoding="utf-8")
    (folder / "leak.txt").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)  # no file reported as unlisted
        corpus = analysis.load_corpus(folder)
    assert list(corpus["text"]) == ["Inside text a.", "Inside text b.", "Inside text a."]


def test_the_text_files_looked_for_are_those_pathlib_finds(tmp_path):
    # Unlisted files are looked for without pathlib's objects; the same entries: hidden names,
    # a folder named *.txt and what is in it, links (to files, broken; a link to a folder is
    # not followed), sub-folders; names in other case are not text files.
    from analysis.text.corpus import _text_files

    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "sub" / "b.txt").write_text("y")
    (tmp_path / "sub" / "deep" / "e.txt").write_text("e")
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "dir.txt" / "c.txt").write_text("z")
    (tmp_path / ".txt").write_text("h")
    (tmp_path / "B.TXT").write_text("u")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "linkdir").symlink_to(tmp_path / "sub")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nothing")
    found = sorted(_text_files(tmp_path))
    assert found == sorted(str(p) for p in tmp_path.rglob("*.txt"))
    assert len(found) == 8 and not any("linkdir" in p or p.endswith("TXT") for p in found)


def test_unlisted_text_file_warns_but_loads(make_corpus):
    folder = make_corpus([document("a", "Text here.")])
    (folder / "stray.txt").write_text("Not described.", encoding="utf-8")
    with pytest.warns(CorpusWarning, match="stray.txt .* no row of manifest.csv describes it"):
        corpus = analysis.load_corpus(folder)
    assert list(corpus["doc_id"]) == ["a"]


def test_loading_never_changes_the_seed_files(seed_corpus):
    before = {p: p.read_bytes() for p in SEEDS.rglob("*") if p.is_file()}
    analysis.load_corpus(SEEDS)
    analysis.cleaning_report(seed_corpus)
    assert {p: p.read_bytes() for p in SEEDS.rglob("*") if p.is_file()} == before


def test_manifest_notes_record_inferences(seed_corpus):
    west = seed_corpus.set_index("doc_id").loc["2026-02-04_west_media"]
    assert "inferred" in west["notes"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analysis.load_corpus(SEEDS)


def test_raw_texts_are_read_again_from_the_files_not_kept_in_the_corpus(make_corpus):
    folder = make_corpus([document("a", "Site icon Realist\nFirst text here.\n"),
                          document("b", "x\none\ntwo\nthree\n", file="b.txt", first_line="2", last_line="3"),
                          document("c", "Caf\u00e9 \u2019quoted\u2019 text.\n", file="c.txt")])
    corpus = analysis.load_corpus(folder)
    assert "raw_text" not in corpus.columns
    raws = analysis.raw_texts(corpus)
    assert len(raws) == 3 and list(raws) == ["Site icon Realist\nFirst text here.\n", "one\ntwo\n",
                                             "Caf\u00e9 \u2019quoted\u2019 text.\n"]
    assert raws[1] == "one\ntwo\n" and list(raws[1:]) == list(raws)[1:]
    # a selection of documents reads its own rows' texts
    assert list(analysis.raw_texts(corpus[corpus["doc_id"] != "a"])) == list(raws)[1:]
    # the folder can be given, and must be when the corpus does not say where it came from
    assert list(analysis.raw_texts(pd.DataFrame(corpus), folder)) == list(raws)
    stripped = corpus.copy()
    stripped.attrs.clear()
    with pytest.raises(analysis.ParameterError, match="corpus_dir=None"):
        analysis.raw_texts(stripped)


def test_raw_texts_as_a_column_are_the_texts_as_read(tmp_path):
    # Whole files go to the column as bytes; a byte order mark is dropped as "utf-8-sig" drops
    # it; a line range, a file that is not UTF-8 or cannot be read takes Python's reading,
    # which records why.
    from analysis.text.corpus import RawTexts

    files = {"plain.txt": "Plain text.\n".encode(), "bom.txt": "\ufeffCaf\u00e9 text.".encode(),
             "empty.txt": b"", "lines.txt": b"one\ntwo\nthree\n", "latin.txt": "Caf\u00e9".encode("latin-1"),
             "cjk.txt": "\u4e60\u8fd1\u5e73 \U0001f600\r\n".encode()}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    whole = [(str(tmp_path / name), None, None, name) for name in ("plain.txt", "bom.txt", "empty.txt", "cjk.txt")]
    texts = RawTexts(whole + [None])
    column = texts.column()
    assert column.to_list() == list(texts) == ["Plain text.\n", "Caf\u00e9 text.", "", "\u4e60\u8fd1\u5e73 \U0001f600\r\n", ""]
    assert not texts.errors
    for odd in [(str(tmp_path / "lines.txt"), 2, 2, "lines.txt"), (str(tmp_path / "latin.txt"), None, None, "latin.txt"),
                (str(tmp_path / "gone.txt"), None, None, "gone.txt")]:
        texts = RawTexts(whole + [odd])
        assert texts.column().to_list() == list(RawTexts(whole + [odd]))
    assert texts.column().to_list()[-1] == "" and set(texts.errors) == {4}
    assert RawTexts(whole + [(str(tmp_path / "lines.txt"), 2, 2, "lines.txt")]).column()[-1] == "two\n"


def test_raw_texts_warn_when_a_file_changed_after_loading(make_corpus):
    folder = make_corpus([document("a", "First text here."), document("b", "Second text.", file="b.txt")])
    corpus = analysis.load_corpus(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analysis.raw_texts(corpus)  # nothing changed: no warning
    (folder / "b.txt").write_text("Edited since.", encoding="utf-8")
    with pytest.warns(CorpusWarning, match="b.txt changed after the corpus was loaded"):
        raws = analysis.raw_texts(corpus)
    assert raws[1] == "Edited since."


@pytest.mark.parametrize("batch", [400, 1])
def test_a_file_named_by_several_rows_that_is_not_utf8_is_reported_once(make_corpus, monkeypatch, batch):
    from analysis.text import boilerplate

    monkeypatch.setattr(boilerplate, "BATCH", batch)  # 1: each row read in a batch of its own
    second = document("b", None, file="a.txt", first_line="2", last_line="2")
    second.pop("text")
    folder = make_corpus([document("a", "Caf\xe9 one.\nCaf\xe9 two.\n".encode("latin-1"), first_line="1",
                                   last_line="1"), second])
    with pytest.raises(CorpusError) as caught:
        analysis.load_corpus(folder, n_jobs=2)
    assert len(caught.value.problems) == 1 and "a.txt is not valid UTF-8" in caught.value.problems[0]
    assert "line 2 (doc_id a)" in caught.value.problems[0]  # at the first row that names it

