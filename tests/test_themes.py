import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.measures import themes
from conftest import document


@pytest.fixture(scope="module")
def codebook():
    return analysis.load_codebook()


@pytest.fixture(scope="module")
def seed_matches(seed_corpus, codebook):
    return themes.theme_matches(seed_corpus, codebook)


def _codebook(tmp_path, body):
    path = tmp_path / "cb.toml"
    path.write_text(body, encoding="utf-8")
    return analysis.load_codebook(path)


def test_multilateral_theme_counted_in_the_kremlin_readout_with_apec_and_g20(seed_matches):
    kremlin = seed_matches[(seed_matches["doc_id"] == "2025-01-21_ru_kremlin")
                           & (seed_matches["theme"] == "multilateral")]
    assert {"APEC", "G20", "UN", "SCO", "BRICS"} <= set(kremlin["matched"])


def test_apec_written_out_is_counted_everywhere(seed_corpus, seed_matches):
    sentences = analysis.sentence_table(seed_corpus)
    written_out = sentences[sentences["sentence"].str.contains("Asia-Pacific Economic Cooperation")]
    assert len(written_out) == 3
    apec = seed_matches[(seed_matches["pattern"] == "APEC")]
    for row in written_out.itertuples():
        hit = apec[(apec["doc_id"] == row.doc_id) & (apec["sentence_id"] == row.sentence_id)]
        assert len(hit) == 1, row.sentence
        assert hit["matched"].iloc[0].startswith("Asia-Pacific Economic Cooperation")


def test_matches_show_the_text_as_written_with_context(seed_matches):
    mfa = seed_matches[(seed_matches["doc_id"] == "2025-01-21_cn_mfa") & (seed_matches["pattern"] == "United Nations")]
    assert "U.N." in set(mfa["matched"]) and "United Nations" in set(mfa["matched"])
    charter = mfa[mfa["right"].str.startswith("Charter")]
    assert charter["left"].iloc[0].endswith("purposes and principles of the")


def test_taiwan_is_counted_in_the_chinese_readout_only_for_the_january_call(seed_corpus, codebook):
    counts = themes.theme_counts(seed_corpus, codebook)
    taiwan = counts[counts["theme"] == "taiwan"].set_index("doc_id")["count"]
    assert taiwan["2025-01-21_cn_mfa"] >= 1 and taiwan["2025-01-21_ru_kremlin"] == 0


def test_glob_phrase_and_exclusion(tmp_path, make_corpus):
    codebook = _codebook(tmp_path, """
[themes.coop]
label = "Cooperation"
definition = "Cooperation words."
patterns = ["cooperat*", "global governance"]
exclude = ["uncooperative"]

[themes.energy]
label = "Energy"
definition = "Energy, not the idiom."
patterns = ["energy"]
exclude = ["positive energy"]
""")
    corpus = analysis.load_corpus(make_corpus([document(
        "a", "They cooperate and cooperated on global governance. Global  governance again.\n"
             "It injects positive energy. They trade energy.")]))
    counts = themes.theme_counts(corpus, codebook).set_index("theme")["count"]
    assert counts["coop"] == 4
    assert counts["energy"] == 1


def test_overlapping_patterns_of_one_theme_count_once(tmp_path, make_corpus):
    codebook = _codebook(tmp_path, """
[themes.czech]
label = "Czechia"
definition = "The country."
patterns = ["Czech Republic", "Czech*", "Republic"]
""")
    corpus = analysis.load_corpus(make_corpus([document("a", "The Czech Republic and Czechia met.")]))
    matches = themes.theme_matches(corpus, codebook)
    assert list(matches["matched"]) == ["Czech Republic", "Czechia"]
    assert matches["other_patterns"].iloc[0] == "Czech*; Republic"
    assert themes.theme_counts(corpus, codebook)["count"].iloc[0] == 2


def test_two_themes_may_count_the_same_words(tmp_path, make_corpus):
    codebook = _codebook(tmp_path, """
[themes.a]
label = "A"
definition = "Strategy."
patterns = ["strategic stability"]

[themes.b]
label = "B"
definition = "Arms."
patterns = ["stability"]
""")
    corpus = analysis.load_corpus(make_corpus([document("a", "They discussed strategic stability.")]))
    matches = themes.theme_matches(corpus, codebook)
    assert sorted(matches["theme"]) == ["a", "b"]
    overlaps = themes.theme_overlaps(matches)
    assert overlaps.iloc[0][["theme_a", "theme_b", "overlaps"]].tolist() == ["a", "b", 1]


def test_theme_counts_table_shape_and_rates(seed_corpus, codebook, seed_matches):
    counts = themes.theme_counts(seed_corpus, codebook, seed_matches)
    assert list(counts.columns[:6]) == ["doc_id", "theme", "label", "count", "tokens", "rate_per_1k"]
    assert {"outlet", "origin", "source_type", "event_date"} <= set(counts.columns)
    assert len(counts) == len(seed_corpus) * codebook["theme"].nunique()
    assert counts["count"].sum() == len(seed_matches)
    assert np.allclose(counts["rate_per_1k"], 1000 * counts["count"] / counts["tokens"])
    kremlin = seed_corpus.set_index("doc_id").loc["2025-01-21_ru_kremlin", "text"]
    assert counts.set_index("doc_id").loc["2025-01-21_ru_kremlin", "tokens"].iloc[0] == len(
        analysis.word_tokens(kremlin))


def test_bootstrap_interval_contains_estimate_and_is_reproducible(seed_corpus, codebook):
    first = themes.grouped_theme_rates(seed_corpus, codebook, "origin", n_boot=300, seed=7)
    again = themes.grouped_theme_rates(seed_corpus, codebook, "origin", n_boot=300, seed=7)
    other = themes.grouped_theme_rates(seed_corpus, codebook, "origin", n_boot=300, seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["low"], other["low"])
    assert ((first["low"] <= first["rate_per_1k"] + 1e-9) & (first["rate_per_1k"] <= first["high"] + 1e-9)).all()
    assert set(first["group"]) == {"China", "Russia", "West"}
    west = first[(first["group"] == "West") & (first["theme"] == "us_west")].iloc[0]
    assert west["low"] > 0 and west["count"] == 20


def test_grouped_rates_reject_impossible_parameters(seed_corpus, codebook):
    with pytest.raises(analysis.ParameterError, match="n_boot=0"):
        themes.grouped_theme_rates(seed_corpus, codebook, "origin", n_boot=0)
    with pytest.raises(analysis.ParameterError, match="group_by='party'"):
        themes.grouped_theme_rates(seed_corpus, codebook, "party")
    with pytest.raises(analysis.ParameterError, match="level=1.5"):
        themes.grouped_theme_rates(seed_corpus, codebook, "origin", level=1.5)


def test_coverage_and_uncovered_terms(seed_corpus, codebook, seed_matches):
    coverage = themes.theme_coverage(themes.theme_counts(seed_corpus, codebook, seed_matches))
    us_west = coverage.set_index("theme").loc["us_west"]
    assert us_west["documents"] == 2 and "2026-02-04_west_media" in us_west["doc_ids"]
    missed = themes.uncovered_terms(seed_corpus, codebook, 30)
    assert "trade" not in set(missed["term"]) and "energy" not in set(missed["term"])
    assert list(missed["count"]) == sorted(missed["count"], reverse=True)
    assert len(missed) == 30
