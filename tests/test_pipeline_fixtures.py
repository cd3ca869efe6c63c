"""The text pipeline gives exactly the outputs kept in tests/fixtures (made by
tests/fixtures/pipeline.py from the pipeline before the speed work): cleaned texts, removals,
cleaning report, sentence table and document-feature matrix, on the seeds, on a corpus drawn
from them and on generated text full of Unicode, furniture and names to normalise."""
import gzip
import json

import pytest

from fixtures.pipeline import CORPORA, FIXTURE, corpus_folder, outputs


@pytest.fixture(scope="module")
def kept():
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@pytest.mark.parametrize("name", CORPORA)
def test_the_pipeline_gives_the_kept_outputs(name, kept, tmp_path):
    found, expected = outputs(corpus_folder(name, tmp_path)), kept[name]
    assert found["doc_id"] == expected["doc_id"]
    for key in ("text", "removed", "report"):
        differ = [i for i, (a, b) in enumerate(zip(found[key], expected[key])) if a != b]
        assert len(found[key]) == len(expected[key]) and not differ, \
            f"{name}: {key} differs at {differ[:3]}: {[found[key][i] for i in differ[:2]]} != " \
            f"{[expected[key][i] for i in differ[:2]]}"
    for column, values in expected["sentences"].items():
        assert found["sentences"][column] == values, f"{name}: sentence column {column} differs"
    for column, values in expected["features"].items():
        assert found["features"][column] == values, f"{name}: feature column {column} differs"
    assert found["matrix"] == expected["matrix"]


def test_batches_streamed_through_the_engine_give_the_kept_outputs(kept, tmp_path, monkeypatch):
    from analysis.text import cleaning, matrix

    monkeypatch.setattr(cleaning, "BATCH", 7)
    monkeypatch.setattr(matrix, "BATCH", 7)
    found, expected = outputs(corpus_folder("tricky", tmp_path)), kept["tricky"]
    assert found["text"] == expected["text"] and found["sentences"] == expected["sentences"]
    assert found["features"] == expected["features"] and found["matrix"] == expected["matrix"]


def test_repeated_lines_match_their_line_by_line_definition():
    # The rule written the slow and obvious way: per document, its stripped lines (where
    # str.splitlines ends them) that are short and do not end like a sentence; a line is the
    # outlet's furniture when that many of the outlet's documents have it.
    import random
    from collections import Counter

    from analysis.text.boilerplate import _SENTENCE_END, _WORD, furniture_rules, repeated_lines

    found = furniture_rules()

    def by_lines(texts, outlets):
        seen = Counter()
        for text, outlet in zip(texts, outlets):
            seen.update({(outlet, line.strip()) for line in text.splitlines() if line.strip()
                         and len(_WORD.findall(line)) <= found["repeated_words"]
                         and not _SENTENCE_END.search(line.strip())})
        return [frozenset(l for (o, l), n in seen.items() if o == outlet and n >= found["repeated_in"])
                for outlet in outlets]

    pieces = ["Home", "Menu", "Share.", "word", " ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c",
              "\x1c", "\x1f", "\x85", "\u2028", "\u00a0", "Read more", "(AP)", "ok!\u201d", "a\u2019b",
              "x.y:z/w-v", "\u0301", "\u00b2", "\u0663", "one two three four five six seven"]
    rng = random.Random(6)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    outlets = [str(rng.randint(0, 5)) for _ in texts]
    assert repeated_lines(texts, outlets) == by_lines(texts, outlets)
