import analysis
from analysis.text.cleaning import clean, normalize_unicode


def _doc(corpus, doc_id):
    """The document's row, with its text as the file holds it (read again) as ``raw_text``."""
    row = corpus.set_index("doc_id").loc[doc_id].copy()
    row["raw_text"] = analysis.raw_texts(corpus)[list(corpus["doc_id"]).index(doc_id)]
    return row


def test_chrome_scrape_header_attribution_and_truncation_are_removed(seed_corpus):
    realist = _doc(seed_corpus, "2026-02-04_ru_realist")
    assert "Site icon" in realist["raw_text"] and "Site icon" not in realist["text"]
    assert "Exit mobile version" in realist["raw_text"]
    assert "Exit mobile version" not in realist["text"]
    assert realist["text"].startswith("Putin and Xi reaffirm strategic partnership")

    xinhua = _doc(seed_corpus, "2026-02-04_cn_state_media")
    assert xinhua["raw_text"].startswith(" date 2026-02-05")
    assert xinhua["text"].startswith("China and Russia should increase high-level exchanges")

    kremlin = _doc(seed_corpus, "2025-01-21_ru_kremlin")
    assert "<…>" in kremlin["raw_text"]
    assert "<…>" not in kremlin["text"] and "<...>" not in kremlin["text"]
    assert kremlin["text"].endswith("peace and prosperity to your people.")

    mfa = _doc(seed_corpus, "2025-01-21_cn_mfa")
    assert "Source – Foreign Ministry of China" in mfa["raw_text"]
    assert "Foreign Ministry of China" not in mfa["text"]
    assert mfa["text"].endswith("Wang Yi attended the meeting.")


def test_quotes_dashes_and_spaces_are_written_one_way():
    text, changes = normalize_unicode("“Taiwan independence” – China’s\u00a0stance — ok…")
    assert text == '"Taiwan independence" - China\'s stance - ok...'
    assert changes["left double quotation mark"] == 1 and changes["en dash"] == 1
    assert changes["no-break space"] == 1


def test_cleaning_report_lists_every_removal_per_document(seed_corpus):
    report = analysis.cleaning_report(seed_corpus)
    assert set(report.columns) == {"doc_id", "step", "rule", "count", "example"}
    removed = report[~report["step"].isin(["unicode", "spelling", "alias"])]
    found = set(zip(removed["doc_id"], removed["rule"]))
    assert found == {
        ("2025-01-21_cn_mfa", "readout_label"), ("2025-01-21_cn_mfa", "attribution"),
        ("2025-01-21_ru_kremlin", "readout_label"), ("2025-01-21_ru_kremlin", "truncation"),
        ("2026-02-04_ru_realist", "site_icon"), ("2026-02-04_ru_realist", "exit_mobile"),
        ("2026-02-04_cn_state_media", "scrape_date"),
        # datelines on a line of their own ("Beijing, January 21, 2025") are page furniture
        ("2025-01-21_cn_mfa", "timestamp"), ("2025-01-21_ru_kremlin", "timestamp"),
        ("2025-02-24_cn_state_media", "timestamp"),
    }
    spelling = report[(report["step"] == "spelling")
                      & (report["rule"] == "neighbourliness -> neighborliness")]
    assert list(spelling["doc_id"]) == ["2025-01-21_ru_kremlin"]


def test_clean_keeps_words_as_written_and_tidies_blank_lines():
    text, changes = clean("Site icon X\n\n\n\nThe neighbourliness  of   UN members.\n\nExit mobile version\n")
    assert text == "The neighbourliness of UN members."
    assert {c["rule"] for c in changes} == {"site_icon", "exit_mobile"}


def test_whitespace_tidying_matches_the_line_by_line_rule():
    # The rule, written the slow and obvious way: strip every line (str.splitlines decides
    # where lines end), collapse spaces and tabs, at most one blank line, no blank ends.
    import random
    import re

    from analysis.text.cleaning import tidy_whitespace

    def by_lines(text):
        lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    pieces = ["word", "Two words", " ", "  ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c",
              "\x85", "\u2028", "\u2029", "\u00a0", "\u3000", "\n\n\n", " \t "]
    rng = random.Random(4)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))) for _ in range(5000)]
    differ = [t for t in texts if tidy_whitespace(t) != by_lines(t)]
    assert not differ, differ[:3]


def test_texts_of_nfkc_inert_characters_are_nfkc_already():
    # Texts made only of these characters skip Python's NFKC check. Each is its own NFKC with
    # combining class 0, none is the second half of a composition (what could make two
    # characters change together), and random strings of them (the first halves of
    # compositions often among them) are NFKC.
    import random
    import unicodedata

    from analysis.text.cleaning import _nfkc_inert
    from analysis.text.dialect import all_characters, rust_characters

    inert = rust_characters(_nfkc_inert())
    assert len(inert) + len(rust_characters(_nfkc_inert(negate=True))) == len(all_characters())
    firsts, seconds = set(), set()
    for x in all_characters():
        parts = unicodedata.decomposition(x).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            firsts.add(chr(int(parts[0], 16)))
            seconds.add(chr(int(parts[1], 16)))
    assert len(inert) > 30000 and not seconds & set(inert)
    assert all(unicodedata.normalize("NFKC", c) == c and not unicodedata.combining(c) for c in inert)
    rng = random.Random(2)
    pool = list(inert) + sorted(firsts & set(inert)) * 20
    texts = ["".join(rng.choice(pool) for _ in range(40)) for _ in range(5000)]
    assert all(unicodedata.is_normalized("NFKC", text) for text in texts)


def test_unified_column_maps_and_normalises_as_normalize_unicode_does():
    import random

    from analysis.text.cleaning import _unicode_table, unified_column

    table, _, _ = _unicode_table()
    rng = random.Random(1)
    # every mapped character, NFKC compatibility forms, combining marks (alone, so some begin a
    # line, and two that NFKC reorders), Hangul jamo that compose, a character newer than
    # Python's Unicode tables (kept as Python keeps it), and plain text; NFKC is applied a line
    # at a time
    pieces = list(table) + ["a", " ", "\n", "\ufb01", "\u00bd", "e\u0301", "\u2026", "\u0416",
                            "\U0001ccd6", "\u00a0", "\u0301", "\u0327", "\u1100", "\u1161", "\u11a8",
                            "\u2163", "\r"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    assert unified_column(texts).to_list() == [normalize_unicode(text)[0] for text in texts]
