import pytest

import analysis
from analysis import sentences, tokenize
from analysis.text.normalize import normalized_text
from analysis.text.tokens import word_spans


def test_british_and_american_spellings_give_the_same_token():
    assert tokenize("neighbourliness") == tokenize("neighborliness") == ["neighborli"]
    assert tokenize("stabilising role") == tokenize("stabilizing role")
    assert tokenize("Shanghai Cooperation Organisation") == tokenize("Shanghai Cooperation Organization") == ["sco"]


@pytest.mark.parametrize("variant", ["U.N.", "UN", "United Nations", "the UN's", "united nations"])
def test_un_variants_give_one_token(variant):
    assert tokenize(f"{variant} Charter") == ["united_nations", "charter"]


def test_us_the_country_is_not_us_the_pronoun():
    assert tokenize("the US and the U.S. told us") == ["united_states", "united_states"]
    assert normalized_text("Let us meet the US side in USD") == "Let us meet the United States side in USD"


def test_new_start_the_treaty_is_not_a_new_start():
    assert tokenize("New START expires") == ["new_start", "expir"]
    assert tokenize("represents a new start") == ["repres", "new", "start"]


def test_alias_with_its_acronym_in_brackets_counts_once():
    assert tokenize("the Asia-Pacific Economic Cooperation (APEC) meeting") == ["apec", "meet"]
    assert tokenize("the Shanghai Cooperation Organization (SCO)") == ["sco"]


def test_multiword_expressions_are_joined():
    words = analysis.word_tokens("World War II, the Global South, the Spring Festival, the "
                                 "Power of Siberia pipeline and people-to-people exchanges")
    for joined in ["world_war_ii", "global_south", "spring_festival", "power_of_siberia",
                   "people_to_people"]:
        assert joined in words
    assert tokenize("the Second World War") == tokenize("World War II") == ["world_war_ii"]


def test_stop_words_come_from_the_data_file_including_domain_words():
    assert tokenize("The two presidents said that it was good") == ["good"]
    assert "president" in analysis.text.tokens.stop_words()


def test_tokens_are_lower_case_without_numbers_or_possessives():
    assert tokenize("China's $245 billion trade in 2024") == ["china", "billion", "trade"]


def test_surface_form_shows_the_written_word_not_the_stem(seed_corpus):
    forms = analysis.surface_forms(seed_corpus["text"])
    assert forms[analysis.stem("cooperation")] == "cooperation"
    assert analysis.stem("cooperation") == "cooper"
    assert forms["united_nations"] == "united nations"


def test_feb_18_and_mr_do_not_end_a_sentence():
    text = ("Delegations held talks in Riyadh on Feb. 18. Both sides agreed. Mr. Putin spoke "
            "to the U.S. side. The U.N. Charter matters.")
    assert sentences(text) == ["Delegations held talks in Riyadh on Feb. 18.", "Both sides agreed.",
                               "Mr. Putin spoke to the U.S. side.", "The U.N. Charter matters."]


def test_lines_are_paragraphs_so_speaker_headers_stand_alone(seed_corpus):
    kremlin = seed_corpus.set_index("doc_id").loc["2025-01-21_ru_kremlin", "text"]
    found = sentences(kremlin)
    assert "President of Russia Vladimir Putin:" in found
    assert any(s.startswith("High-level delegations from Russia and the US held talks on the Ukraine crisis in Riyadh, Saudi Arabia, on Feb 18.")
               for s in sentences(seed_corpus.set_index("doc_id").loc["2025-02-24_cn_state_media", "text"]))


def test_sentence_table_numbers_sentences_per_document(seed_corpus):
    table = analysis.sentence_table(seed_corpus)
    assert list(table.columns) == ["doc_id", "sentence_id", "sentence"]
    first = table[table["doc_id"] == "2025-01-21_cn_mfa"]
    assert list(first["sentence_id"][:3]) == [1, 2, 3]
    # the dateline line "Beijing, January 21, 2025" is page furniture, removed by cleaning
    assert first["sentence"].iloc[0].startswith("On the afternoon of January 21, President Xi")


def test_word_spans_give_the_same_tokens_and_the_text_as_written(seed_corpus):
    for sentence in analysis.sentence_table(seed_corpus)["sentence"]:
        assert [w for w, _, _ in word_spans(sentence)] == analysis.word_tokens(sentence)
    text = "The U.N.-centered order, the Asia-Pacific Economic Cooperation summit, neighbourliness"
    written = {w: text[a:b] for w, a, b in word_spans(text)}
    assert written["united_nations"] == "U.N."
    assert written["apec"] == "Asia-Pacific Economic Cooperation"
    assert written["neighborliness"] == "neighbourliness"


def test_normalised_texts_in_columns_equal_python_rules_on_tricky_text():
    """The column path (matches found by Rust patterns, see normalize._marking) changes every
    text exactly as Python's rules do: at word edges, after "." or "_", next to combining
    marks and numerals Rust counts differently, with case variants Python's re.IGNORECASE
    matches (Kelvin sign, long s), adjacent and overlapping names, and doubled names."""
    import random

    from analysis.text.normalize import _aliases, _spelling, normalized_texts

    _, mapping = _spelling()
    _, exact, anycase, _ = _aliases()
    rng = random.Random(7)

    def variant(word):
        word = rng.choice([word, word.lower(), word.upper(), word.capitalize(), word.swapcase()])
        return word.replace("k", rng.choice("kK\u212a")).replace("s", rng.choice("sS\u017f"))

    words = [variant(w) for w in mapping] + list(exact) + [variant(a) for a in anycase] \
        + sorted(set(exact.values()) | set(anycase.values())) + ["Xi", "us", "un", "said", "the"]
    seps = [" ", " ", " ", "", ".", "-", "_", "(", ")", ", ", "'", "\n", "/", "5", "x",
            "\u0301", "\u00b2", "\u203f", "\x01", " (", ") "]
    texts = []
    for _ in range(6000):
        parts = []
        for _ in range(rng.randint(1, 8)):
            parts += [rng.choice(words), rng.choice(seps)]
        texts.append("".join(parts))
    canonical = sorted(set(exact.values()))[:3]
    texts += [f"{name} ({name})" for name in canonical] + [f"{a} ({exact[a]})" for a in list(exact)[:3]]
    expected = [normalized_text(text) for text in texts]
    got = normalized_texts(texts).to_list()
    wrong = [(t, e, g) for t, e, g in zip(texts, expected, got) if e != g]
    assert not wrong, wrong[:3]
    assert sum(e != t for t, e in zip(texts, expected)) > len(texts) // 2  # most texts change


def test_word_tables_in_columns_equal_word_tokens_on_tricky_words():
    # sentence_words counts ASCII words in polars and the others in Python: both as
    # word_tokens does (lower case, possessive dropped, numbers and underscores left out).
    import random

    from analysis.text.tokens import sentence_words, word_tokens

    pieces = ["Putin's", "PUTIN'S", "it's", "'s", "s's", "2025", "2025's", "1_000", "_", "a_1", "_1_",
              "x2", "Don't", "O'Neill", "ÉCOLE", "İstanbul", "STRASSE", "straße", "Σίσυφος", "ΟΔΟΣ",
              "١٢٣", "²", "Xi", "Jinping", "United", "Nations", "the", "U.S.", "naïve's", "KELVIN",
              "\u212aelvin", "\u017fay", "Ǆemal", "ǅ", "ﬁne", "x\u0301", "_x_", "9_", "co-op"]
    rng = random.Random(12)
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    table = sentence_words(texts)
    found = [[] for _ in texts]
    for text, word in zip(table["text"].to_list(), table["word"].to_list()):
        found[text].append(word)
    assert found == [word_tokens(text) for text in texts]
    assert sum(map(len, found)) > 10000


def test_user_rules_the_column_patterns_cannot_write_take_pythons_path(tmp_path):
    """A spelling that is not ASCII, or an alias ending in a bracket (after which Rust's \\b
    cannot say what Python's lookahead says), sends normalisation back to Python's patterns,
    with the same result."""
    from analysis.rules import rules_for
    from analysis.text.normalize import _marking, normalized_texts

    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "spelling_uk_us.tsv").write_text(
        "#extend\nbritish\tamerican\nfaçade\tfacade\n", encoding="utf-8")
    (tmp_path / "rules" / "aliases.tsv").write_text(
        "#extend\nalias\tcanonical\tmatch_case\nG-20)\tGroup of Twenty\tyes\n", encoding="utf-8")
    rules = rules_for(tmp_path)
    spelling, aliases, _ = _marking(rules)
    assert spelling is None and aliases is None
    texts = ["The FAÇADE of the colour guard.", "G-20)US and the U.N. met.", "Nothing here."]
    assert normalized_texts(texts, rules).to_list() == [normalized_text(t, rules=rules) for t in texts]
    assert normalized_texts(texts, rules)[0] == "The FACADE of the color guard."


def test_stems_of_many_words_are_stem_of_each_however_the_table_of_known_words_grows(monkeypatch):
    """The batch pipeline stems each distinct word once per process, looking the others up in
    a table: a word added twice (by another thread, or twice in one call) must not make a
    lookup return more rows than it was given, and the table begins again past its limit."""
    import polars as pl
    from analysis.text import tokens
    from analysis.text.tokens import _Stems, stem

    words = ["cooperation", "cooperating", "united_nations", "résumés", "running", "ran",
             "generously", "internationalisation", "skies", "dying", "news", "strategic"]
    table = _Stems()

    def of(batch):
        return table(pl.Series(batch, dtype=pl.String)).to_list()

    assert of(words[:4]) == [stem(w) for w in words[:4]]
    # while this call stems its new words, "another thread" adds some of the same ones
    stemmed, nested = tokens._stemmed, []

    def meanwhile(word):
        if not nested:
            nested.append(None)
            nested[0] = of(words[3:8])
        return stemmed(word)

    monkeypatch.setattr(tokens, "_stemmed", meanwhile)
    assert of(words[2:10]) == [stem(w) for w in words[2:10]]
    assert nested == [[stem(w) for w in words[3:8]]]
    monkeypatch.setattr(tokens, "_stemmed", stemmed)
    assert of(["ran", "swam", "swam", "flew"]) == [stem(w) for w in ["ran", "swam", "swam", "flew"]]
    assert of(["swam"]) == [stem("swam")]
    assert of(words + ["flew"]) == [stem(w) for w in words + ["flew"]]

    monkeypatch.setattr(_Stems, "LIMIT", 5)
    small = _Stems()
    for start in range(0, len(words), 3):
        assert small(pl.Series(words[start:start + 4])).to_list() == [stem(w) for w in words[start:start + 4]]
        assert small._known.height <= 5
    assert small(pl.Series(words)).to_list() == [stem(w) for w in words]
