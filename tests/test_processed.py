"""The processed corpus: same sentences as NLTK's Punkt, same matrices on any number of
processes, and a cache that is rebuilt whenever an input changes."""
import importlib
import random
import shutil

import numpy as np
import pytest

import analysis
from analysis.text import cache
from analysis.text.parallel import check_n_jobs
from analysis.errors import CorpusError, ParameterError
from conftest import SEEDS, document, synthetic_documents, write_corpus

sentences_module = importlib.import_module("analysis.text.sentences")

# Tokens that exercise every rule of Punkt: abbreviations (with and without their period,
# hyphenated), initials, numbers, ellipses, closing quotes and brackets, ?! runs, case.
TRICKY = ["Mr.", "Dr.", "U.S.", "U.S", "e.g.", "i.e.", "No.", "no.", "5.", "3.5", "1990.", "J.",
          "j.", "A.", "etc.", "Feb.", "said.", "said", "Putin", "the", "talks!", "why?", '"Yes."',
          "(He", "left.)", 'end."', "...", "well...", "--", "-", "'quote'", "Quote.'", "ok?!",
          'Really?!"', ",", ";", ":", "x.y.", "Co.", "ex-Gen.", "[1].", "(a).", "»", "“Hi.”",
          "‘so.’", "$5.", "5.5.", ".", "?", "!", "a", "B", "Inc.,", "2025-01-21.", "Éclair.",
          "ABC.", "(", ")", "]", "*", "@", "..", ". . .", "u.s.a.", "D.C.", "p.m.", "50%.", "'", '"']


def _punkt_sentences(punkt, paragraph):
    return [s.strip() for s in punkt.tokenize(paragraph) if s.strip()]


def test_sentences_match_nltk_punkt_on_the_seeds_and_on_generated_text(seed_corpus):
    punkt = sentences_module.punkt_tokenizer()
    paragraphs = [p.strip() for text in seed_corpus["text"] for p in text.splitlines() if p.strip()]
    rng = random.Random(11)
    for _ in range(4000):
        words = [rng.choice(TRICKY) for _ in range(rng.randint(1, 14))]
        paragraphs.append("".join(w + rng.choice([" ", " ", "", "  ", "\t"]) for w in words).strip())
    differ = [p for p in paragraphs if p and analysis.sentences(p) != _punkt_sentences(punkt, p)]
    assert not differ, f"{len(differ)} paragraphs split differently from Punkt, e.g. {differ[:3]}"
    assert sum(len(analysis.sentences(p)) > 1 for p in paragraphs) > 1000  # many real splits


def test_batch_sentence_spans_give_punkts_spans_whichever_path_a_paragraph_takes(seed_corpus):
    # Plain words, so most paragraphs take the polars path; TRICKY tokens, odd whitespace and
    # line ends send the others to Punkt's: both must give sentence_spans exactly.
    plain = ["said.", "Putin", "talks", "the", "agreed?", "yes!", "Beijing.", "and", "Moscow.", "two"]
    spaces = [" ", " ", " ", "  ", "\t", "\xa0", "\n", "\n\n", " \n ", "\r\n", "\x1c", "\u2028"]
    rng = random.Random(5)
    texts = list(seed_corpus["text"])
    for i in range(3000):
        pool = plain if i % 3 else plain + TRICKY
        words = [rng.choice(pool) for _ in range(rng.randint(1, 40))]
        gaps = spaces if i % 5 == 0 else [" ", " ", " ", "\n"]
        texts.append("".join(w + rng.choice(gaps) for w in words))
    per_text, rows = sentences_module.batch_sentence_spans(texts)
    expected = [sentences_module.sentence_spans(text) for text in texts]
    assert per_text.tolist() == [len(spans) for spans in expected]
    assert rows.tolist() == [list(span) for spans in expected for span in spans]
    # both paths were taken, often
    simple = [p for t in texts if "\r" not in t for p in t.split("\n")
              if p.strip() and all(c.isalpha() or c in " .?!" for c in p)]
    assert len(simple) > 1000 and len(rows) > 20000


# Candidates the polars path takes when they stand among plain words: a quote after the mark
# ('said." Next'), a quote opening the next sentence, hyphenated words (an abbreviation as their
# last part is not), a word closed by a quote or bracket before its mark; and near misses that
# must go to Punkt's path (a quote not followed by a space, an abbreviation, a number).
QUOTED = ['said."', '"Yes.', '"Yes."', 'ok?"', 'no!"', '"Hi', 'word"', '"', '""', '."', 'Mr."', '"Mr.',
          'U.S."', 'A."', '"A.', '5."', "said.'", 'e.g."', '"Co.', 'end.")', '")', 'ok.""', '"...',
          'stability".', 'English).', '(1931-45).', '"a".', '(a).', '[1].', 'well-being.', 'long-term.',
          'ex-Gen.', 'co-Inc.', 'a-b.', '-a.', 'a-.', 'vitamin-C.', '"self-made."', '20%).', '"ok"?',
          'y)?"', 'Mr.).', '."--', 'said."Next', 'so?"It', '"(Hi']


def test_batch_sentence_spans_give_punkts_spans_around_quotes_brackets_and_hyphens(monkeypatch):
    plain = ["said.", "Putin", "talks", "the", "agreed?", "yes!", "Beijing.", "and", "Moscow.", "two"]
    rng = random.Random(8)
    texts = ["".join(w + rng.choice([" ", " ", "  "]) for w in
                     (rng.choice(plain + (QUOTED if i % 2 else QUOTED[:8])) for _ in range(rng.randint(1, 25))))
             for i in range(4000)]
    by_punkt = []
    spans = sentences_module._paragraph_spans
    monkeypatch.setattr(sentences_module, "_paragraph_spans",
                        lambda paragraph, *args: by_punkt.append(paragraph) or spans(paragraph, *args))
    per_text, rows = sentences_module.batch_sentence_spans(texts)
    monkeypatch.undo()
    expected = [sentences_module.sentence_spans(text) for text in texts]
    assert per_text.tolist() == [len(spans) for spans in expected]
    assert rows.tolist() == [list(span) for spans in expected for span in spans]
    # the polars path took many of the paragraphs with a quote after a mark
    quoted = [t.strip() for t in texts if any(q in t for q in ('." ', '?" ', '". ', '). ', '-'))]
    assert len(quoted) > 1000 and len(set(quoted) - set(by_punkt)) > 500


def test_the_processed_corpus_holds_the_same_sentences_and_matrix_as_the_functions(seed_corpus):
    processed = analysis.processed_corpus(seed_corpus)
    table = analysis.sentence_table(seed_corpus)
    assert processed.sentences[["doc_id", "sentence_id", "sentence"]].equals(table)
    assert processed.sentences["tokens"].tolist() == [len(analysis.word_tokens(s)) for s in table["sentence"]]
    dfm = analysis.document_feature_matrix(seed_corpus)
    assert (processed.dfm.matrix != dfm.matrix).nnz == 0
    assert processed.dfm.features.equals(dfm.features)


@pytest.fixture(scope="module")
def generated_folder(tmp_path_factory):
    documents = synthetic_documents(160, list(range(1990, 2024)), ["left", "right", "centre"], seed=5)
    for i, doc in enumerate(documents[::7]):  # something for cleaning to do
        doc["text"] = f"Site icon Gazette\n“Quoted” text — with   spaces {i} […]\n" + doc["text"]
    return write_corpus(tmp_path_factory.mktemp("gen"), documents)


@pytest.fixture(scope="module")
def generated(generated_folder):
    return analysis.load_corpus(generated_folder)


def test_batches_in_threads_or_one_at_a_time_give_the_same_processed_corpus(generated, monkeypatch):
    from analysis.text import matrix

    monkeypatch.setattr(matrix, "BATCH", 9)  # 160 documents: 18 batches, two at a time
    monkeypatch.setattr(matrix, "THREADS", 2)
    threaded = analysis.processed_corpus(generated)
    monkeypatch.setattr(matrix, "THREADS", 1)
    alone = analysis.processed_corpus(generated)
    monkeypatch.setattr(matrix, "BATCH", 10_000)
    whole = analysis.processed_corpus(generated)
    for other in (alone, whole):
        assert threaded.sentences.equals(other.sentences)
        assert (threaded.dfm.matrix != other.dfm.matrix).nnz == 0
        assert threaded.dfm.features.equals(other.dfm.features)
    assert len(threaded.sentences) > 800


@pytest.mark.parametrize("vectorizer_args", [{}, {"dtype": np.int64}])  # own matrix; scikit-learn's
def test_each_document_keeps_its_own_counts_when_batches_hold_documents_without_features(
        monkeypatch, vectorizer_args):
    """A batch keeps how many counts each document has, not a document number per count:
    documents with nothing to count (empty, only stop words or numbers) at the start, middle
    and end of batches must still get their own, empty, row."""
    import pandas as pd
    from collections import Counter
    from analysis.text import matrix

    texts = ["", "Trade and energy cooperation grew.", "The of and 2024.",
             "Energy, energy and more energy.", "Sanctions were discussed.", "",
             "Taiwan was mentioned twice: Taiwan.", "of the", "Grain deals and grain prices."]
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    monkeypatch.setattr(matrix, "BATCH", 3)  # a featureless document begins, ends or fills a batch
    dfm = analysis.document_feature_matrix(corpus, **vectorizer_args)
    features = dfm.features["feature"].tolist()
    rows = dfm.matrix.toarray()
    assert rows.shape[0] == len(texts)
    for text, row in zip(texts, rows):
        assert {f: n for f, n in zip(features, row.tolist()) if n} == Counter(analysis.tokenize(text)), text
    assert [bool(row.any()) for row in rows] == [False, True, False, True, True, False, True, False, True]


def test_cleaning_batches_in_threads_gives_the_same_corpus(generated_folder, generated, monkeypatch):
    from analysis.text import cleaning

    monkeypatch.setattr(cleaning, "BATCH", 7)  # 23 batches, two at a time, each its own line counts
    monkeypatch.setattr(cleaning, "THREADS", 2)
    assert analysis.load_corpus(generated_folder).equals(generated)


def test_parallel_cleaning_gives_the_same_corpus(generated_folder, generated):
    assert analysis.load_corpus(generated_folder, n_jobs=2).equals(generated)
    assert generated["text"].str.contains("Site icon").sum() == 0
    assert generated["text"].str.contains('"Quoted" text - with spaces').sum() == 23


@pytest.mark.parametrize("weighting", ["count", "tfidf"])
def test_parallel_and_serial_processing_give_identical_matrices(generated, weighting):
    serial = analysis.document_feature_matrix(generated, weighting, n_jobs=1)
    parallel = analysis.document_feature_matrix(generated, weighting, n_jobs=2)
    assert serial.shape == parallel.shape and serial.shape[0] == 160
    assert np.array_equal(serial.matrix.indptr, parallel.matrix.indptr)
    assert np.array_equal(serial.matrix.indices, parallel.matrix.indices)
    assert np.array_equal(serial.matrix.data, parallel.matrix.data)
    assert serial.features.equals(parallel.features)


def test_parallel_processed_corpus_equals_serial(generated):
    serial, parallel = (analysis.processed_corpus(generated, n_jobs=n) for n in (1, -1))
    assert serial.sentences.equals(parallel.sentences)
    assert (serial.dfm.matrix != parallel.dfm.matrix).nnz == 0


@pytest.mark.parametrize("bad", [0, "2", 1.5, True, None])
def test_an_impossible_n_jobs_is_named(bad):
    with pytest.raises(ParameterError, match="n_jobs"):
        check_n_jobs(bad)


# -- the cache ---------------------------------------------------------------------------------

@pytest.fixture
def corpus_copy(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def _no_building(monkeypatch):
    def refuse(*_, **__):
        raise AssertionError("built again although a cache entry matched")
    monkeypatch.setattr(cache, "processed_corpus", refuse)


def test_a_second_load_comes_from_the_cache(corpus_copy, tmp_path, monkeypatch):
    first = analysis.load_processed(corpus_copy, cache_dir=tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("*.pkl"))) == 1
    _no_building(monkeypatch)
    again = analysis.load_processed(corpus_copy, cache_dir=tmp_path / "cache")
    assert again.sentences.equals(first.sentences) and again.corpus.equals(first.corpus)
    assert (again.dfm.matrix != first.dfm.matrix).nnz == 0


def test_a_corpus_from_the_cache_reads_its_raw_texts_from_the_folder_it_was_loaded_from(
        corpus_copy, tmp_path, monkeypatch):
    first = analysis.load_processed(corpus_copy, cache_dir=tmp_path / "cache")
    moved = tmp_path / "moved"
    shutil.copytree(corpus_copy, moved)
    shutil.rmtree(corpus_copy)  # the folder the cached corpus was made from is gone
    _no_building(monkeypatch)
    again = analysis.load_processed(moved, cache_dir=tmp_path / "cache")
    assert again.corpus.attrs["corpus_dir"] == str(moved.resolve())
    raws = list(analysis.raw_texts(again))
    assert len(raws) == len(first.corpus) and raws == list(analysis.raw_texts(analysis.load_corpus(moved)))


def _edit_text(folder):
    path = folder / "001_5ca9e44972f4eef7.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added for the cache test.\n",
                    encoding="utf-8")


def _edit_manifest(folder):
    path = folder / "manifest.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Realist", "Realist (edited)"),
                    encoding="utf-8")


def _add_stray_file(folder):
    (folder / "stray.txt").write_text("No manifest row names this file.\n", encoding="utf-8")


def _same(a, b):
    return a.sentences.equals(b.sentences) and a.corpus.equals(b.corpus) and a.warnings == b.warnings


@pytest.mark.parametrize("edit", [_edit_text, _edit_manifest, _add_stray_file])
def test_changing_the_corpus_invalidates_the_cache(corpus_copy, tmp_path, edit):
    before = analysis.load_processed(corpus_copy, cache_dir=tmp_path / "cache")
    key = cache.cache_key(corpus_copy)
    edit(corpus_copy)
    assert cache.cache_key(corpus_copy) != key
    after = analysis.load_processed(corpus_copy, cache_dir=tmp_path / "cache")
    corpus, messages = analysis.load_corpus_with_warnings(corpus_copy)
    expected = analysis.processed_corpus(corpus, warnings=messages)
    assert _same(after, expected) and not _same(before, expected)
    assert len(list((tmp_path / "cache").glob("*.pkl"))) == 2


def test_changing_a_rule_file_the_code_or_a_version_invalidates_the_cache(corpus_copy, tmp_path,
                                                                          monkeypatch):
    sources = tmp_path / "sources"
    shutil.copytree(cache._SOURCES, sources, ignore=shutil.ignore_patterns("__pycache__", "data", "templates"))
    monkeypatch.setattr(cache, "_SOURCES", sources)
    keys = [cache.cache_key(corpus_copy)]
    (corpus_copy / "rules").mkdir()
    (corpus_copy / "rules" / "stopwords.txt").write_text("#extend\nharvest\n", encoding="utf-8")
    keys.append(cache.cache_key(corpus_copy))
    (corpus_copy / "rules" / "stopwords.txt").write_text("#extend\nharvest\ntariff\n", encoding="utf-8")
    keys.append(cache.cache_key(corpus_copy))
    with open(sources / "text" / "tokens.py", "a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    keys.append(cache.cache_key(corpus_copy))
    versions = cache.package_versions()
    monkeypatch.setattr(cache, "package_versions", lambda: {**versions, "analysis": "9.9.9"})
    keys.append(cache.cache_key(corpus_copy))
    assert len(set(keys)) == 5, "a changed rule file, source file or version kept the same key"


def test_a_damaged_cache_entry_is_rebuilt(corpus_copy, tmp_path):
    first = analysis.load_processed(corpus_copy, cache_dir=tmp_path / "cache")
    [entry] = (tmp_path / "cache").glob("*.pkl")
    entry.write_bytes(entry.read_bytes()[:100])
    again = analysis.load_processed(corpus_copy, cache_dir=tmp_path / "cache")
    assert again.sentences.equals(first.sentences)
    assert entry.stat().st_size > 1000


def test_a_bad_corpus_is_reported_and_not_cached(tmp_path):
    folder = write_corpus(tmp_path / "bad", [document("a", "Fine text here."), document("b", "   ")])
    with pytest.raises(CorpusError, match="empty after cleaning"):
        analysis.load_processed(folder, cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*.pkl"))
    (folder / "manifest.csv").unlink()
    with pytest.raises(CorpusError, match="manifest.csv is missing"):
        analysis.load_processed(folder, cache_dir=tmp_path / "cache")


def test_the_cache_keeps_only_the_newest_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    for i in range(4):
        folder = write_corpus(tmp_path / f"c{i}", [document("a", f"Text number {i} is here.")])
        analysis.load_processed(folder, cache_dir=tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("*.pkl"))) == 2


def test_analysis_threads_is_read_and_checked():
    from analysis.text.parallel import _threads

    assert _threads("1") == 1 and _threads("3") == 3 and _threads("") >= 1
    for bad in ("0", "-2", "two", "1.5"):
        with pytest.raises(ParameterError, match=f"ANALYSIS_THREADS={bad!r}"):
            _threads(bad)


@pytest.mark.parametrize("set_by_user", [None, "dirty_decay_ms:5000"])
def test_column_engine_allocator_returns_memory_unless_user_chose(set_by_user):
    """Importing analysis asks polars's allocator to return freed pages soon (a background
    thread), before polars is loaded; a setting the user made is left as it is."""
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    if set_by_user:
        environment["_RJEM_MALLOC_CONF"] = set_by_user
    code = ("import sys, os, analysis; print('polars' in sys.modules, "
            "os.environ.get('_RJEM_MALLOC_CONF'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=environment)
    loaded, conf = done.stdout.split(maxsplit=1)
    assert loaded == "True"  # the setting matters only because analysis loads polars
    # polars puts its own defaults first; the last value of an option is the one jemalloc uses
    ours = "background_thread:true,dirty_decay_ms:200,muzzy_decay_ms:0"
    assert conf.strip().endswith("," + (set_by_user or ours))
    assert ("background_thread" in conf) is (set_by_user is None)


def test_chunks_are_joined_whole_and_a_wide_chunk_keeps_its_numbers():
    """Chunks keep per-sentence numbers in 32 bits when they fit; joining them must neither
    drop nor wrap a value that needed 64 (a document of more than 2**31 characters)."""
    from analysis.text.matrix import _merged, _narrow, _unsigned

    assert _narrow(np.array([0, 2 ** 31 - 1])).dtype == np.int32
    assert _narrow(np.array([0, 2 ** 31])).dtype == np.int64
    assert _narrow(np.array([], dtype=np.int64)).dtype == np.int32
    assert [_unsigned(np.array([0, top])).dtype for top in (255, 256, 2 ** 16, 2 ** 32)] == [
        np.uint8, np.uint16, np.uint32, np.uint64]
    assert _unsigned(np.array([], dtype=np.uint32)).dtype == np.uint8

    def chunk(n, start, sentences, column=0):
        numbers = _narrow(np.arange(start, start + n, dtype=np.int64))
        return {"documents": 1, "sentences_per_document": np.array([n]), "paragraph": numbers,
                "start": numbers, "end": numbers + 1, "tokens": _narrow(np.ones(n, np.int64)),
                "counts_per_document": _narrow(np.array([n])),
                "column": _unsigned(np.arange(column, column + n, dtype=np.uint32)),
                "count": _unsigned(np.ones(n, np.int64)), "sentence": sentences, "words": sentences}

    parts = [chunk(2, 0, ["a", "b"]), chunk(1, 2 ** 31 + 5, ["c"], column=70_000), chunk(0, 0, []),
             chunk(2, 7, ["d", "e"], column=300)]
    merged = _merged(parts)
    assert merged["start"].tolist() == [0, 1, 2 ** 31 + 5, 7, 8] and merged["start"].dtype == np.int64
    # column numbers kept in 8, 32 and 16 bits by their chunks come back whole
    assert merged["column"].tolist() == [0, 1, 70_000, 300, 301] and merged["column"].dtype == np.uint32
    assert merged["counts_per_document"].tolist() == [2, 1, 0, 2]
    assert merged["sentence"] == ["a", "b", "c", "d", "e"] == merged["words"]
    assert merged["documents"] == 4 and merged["sentences_per_document"].tolist() == [2, 1, 0, 2]
    assert all(set(p) == {"documents"} for p in parts)  # each chunk's parts let go
