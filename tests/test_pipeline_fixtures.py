"""The text pipeline gives exactly the outputs kept in tests/fixtures (made by
tests/fixtures/pipeline.py from the pipeline before the speed work): cleaned texts, removals,
cleaning report, sentence table and document-feature matrix, on the seeds, on a corpus drawn
from them and on generated text full of Unicode, furniture and names to normalise."""
import gzip
import json
import re
from collections import Counter

import pytest

from conftest import ROOT
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
    from analysis.text import boilerplate, cleaning, matrix

    monkeypatch.setattr(cleaning, "BATCH", 7)
    monkeypatch.setattr(matrix, "BATCH", 7)
    monkeypatch.setattr(boilerplate, "BATCH", 7)  # the outlets' repeated lines, two batches at once
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


def test_what_lines_are_by_themselves_is_the_same_from_the_batch_columns_as_in_python():
    # Cleaning finds what each line of a batch is (blank, notice, prose, other) in polars; a
    # line judged alone is judged in Python. Both, and the furniture found from them, agree.
    import random

    import polars as pl

    from analysis.text import boilerplate

    found = boilerplate.furniture_rules()
    prose = "The two leaders discussed trade, energy and security at some length today."
    pieces = [prose, prose.replace(".", "!\u201d"), prose.replace(".", ""), "We use cookies. " + prose,
              "ACCEPT ALL COOKIES", "Subscribe to our newsletter", "Home | World | Business | Sport",
              "Photo: Sputnik / Kremlin pool", "By Jane Doe", "Advertisement", "Related", "Short line.",
              "", " ", "\t", "\u00a0", "\u2003", "\x1c", "\u3000prose\u3000", "caf\u00e9 \u0130stanbul " * 5 + ".",
              "Jane Doe is a reporter at the Gazette.", "one two three four five six seven eight nine ten",
              "Jane Doe is a reporter at the Gazette who covers China and Russia for its readers."]
    rng = random.Random(3)
    documents = ["\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(1500)]
    documents += [f"{prose}\n{prose}\n{pieces[-1]}", f"{prose}\n\n{pieces[-1]}\n"]  # all prose, an author's note last
    alone = [[boilerplate._line_kind(line, found) for line in doc.split("\n")] for doc in documents]
    removed_alone = [boilerplate.furniture(doc.split("\n")) for doc in documents]
    with boilerplate.word_counts(pl.Series(documents)):
        batch = [[boilerplate._line_kind(line, found) for line in doc.split("\n")] for doc in documents]
        removed_batch = [boilerplate.furniture(doc.split("\n")) for doc in documents]
    assert batch == alone and removed_batch == removed_alone
    kinds = Counter(kind for doc in alone for kind in doc)
    assert min(kinds[k] for k in (boilerplate._BLANK, boilerplate._NOTICE, boilerplate._PROSE, boilerplate._OTHER)) > 500
    assert sum(bool(r) for r in removed_alone) > 500 and sum(not r for r in removed_alone) > 100
    assert removed_batch[-2:] == [{2: "author_note"}, {2: "author_note"}]


def test_a_line_the_credit_patterns_match_is_never_skipped_by_the_quick_check(tmp_path):
    # _may_be_credit spares most short lines the credit patterns' search; it may say "maybe"
    # too often, never "no" for a line either pattern matches. Lines are built from markers,
    # agencies, their case variants and look-alikes that case-insensitive matching pairs with
    # ASCII letters (long s, Kelvin sign, dotted and dotless i), and plain words.
    import random

    from analysis.rules import SHIPPED, rules_for
    from analysis.text import boilerplate

    found = boilerplate.furniture_rules()
    data = SHIPPED.toml("boilerplate.toml")["credits"]
    pieces = (data["markers"] + data["agencies"] + [m.upper() for m in data["markers"]]
              + [a.lower() for a in data["agencies"]] + ["PHOTO:", "Photo By", "\u017ftock", "\u212aremlin",
                                                          "Photo credıt:", "cred\u0130t:", "\u00a9"]
              + ["the", "leaders", "met", "in", "Moscow", "on", "Tuesday", ".", "!", "?", ")", "(", "/",
                 "|", " ", "  ", "-", ":", "2024", "Getty", "pooled", "photograph", "imagery"])
    rng = random.Random(11)
    lines = ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 9))).strip()
             for _ in range(40_000)]
    # a caption ending in an agency, as pages write it
    lines += [f"The leaders met in Moscow{rng.choice([' (', '(', ' / ', '/', ' | '])}{rng.choice(data['agencies'])}"
              f"{rng.choice([')', ') ', ''])}" for _ in range(2_000)]

    def check(lines, found, least):
        matched = [l for l in lines if found["credit_end"].search(l) or found["credit_only"].match(l)]
        assert len(matched) >= least
        assert all(boilerplate._may_be_credit(l, l.lower(), found) for l in matched)
        return [l for l in lines if not boilerplate._may_be_credit(l, l.lower(), found)]

    assert len(check(lines, found, 5_000)) > 2_000  # the check does spare lines
    # a user's marker that is not ASCII, yet matches ASCII text ("\u017f" is a long s)
    shipped = (ROOT / "analysis" / "data" / "boilerplate.toml").read_text(encoding="utf-8")
    mine = re.sub(r"(?ms)^markers = \[.*?\]", 'markers = ["\u017fource:"]', shipped, count=1)
    assert mine != shipped
    (tmp_path / "boilerplate.toml").write_text(mine, encoding="utf-8")
    found = boilerplate.furniture_rules(rules_for(rules_dir=tmp_path))
    check(["Picture Source: the Kremlin press office", "SOURCE: Xinhua"], found, 2)


def test_the_language_check_matches_its_word_by_word_definition():
    # The check written the slow and obvious way, on texts of random Unicode and the cases
    # where Python's and Rust's letters and case rules part (long s, Kelvin sign, dotted I,
    # combining marks, superscripts).
    import random

    from analysis.text.corpus import _ENGLISH, _WORD, language_warnings
    from analysis.text.dialect import all_characters

    def by_words(doc_ids, texts, min_words=20):
        messages = []
        for doc_id, text in zip(doc_ids, texts):
            words = _WORD.findall(text)
            letters = sum(len(w) for w in words)
            if not letters:
                continue
            latin = sum(1 for w in words for c in w if "a" <= c.lower() <= "z") / letters
            english = sum(1 for w in words if w.lower() in _ENGLISH) / max(1, len(words))
            if latin < 0.6 or (len(words) >= min_words and english < 0.12):
                messages.append(f"{doc_id}: the text does not look English ({latin:.0%} of its letters are "
                                f"Latin, {english:.0%} of its words English function words); the rules count "
                                f"English words, so its rates will read as absence. Translate it or leave "
                                f"it out")
        return messages

    everything = all_characters()
    pieces = ["the ", "OF ", "\u0130s ", "Th\u00e9 ", "\u212aey ", "and", ". ", "\u03a3\u0391\u03a3 ",
              "a", "an", " ", "-", "\u017faid ", "the-of", "x\u0301the", "the\u00b2", "word ", "was "]
    rng = random.Random(8)
    texts = ["".join(rng.choice(everything) if rng.random() < 0.2 else rng.choice(pieces)
                     for _ in range(rng.randint(0, 80))) for _ in range(1500)]
    doc_ids = [f"d{i}" for i in range(len(texts))]
    expected = by_words(doc_ids, texts)
    assert language_warnings(doc_ids, texts) == expected and len(expected) > 10
