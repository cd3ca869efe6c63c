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
