import math

import numpy as np
import pytest

import analysis
from analysis import ParameterError
from analysis.measures.keyness import log_odds_between, log_odds_by_group, log_odds_dirichlet

# A small example: two sets of documents over eight words.
VOCAB = ["energy", "memory", "pipeline", "sanctions", "sovereignty", "tariffs", "trade", "victory"]
COUNTS_1 = np.array([3, 0, 1, 1, 0, 1, 3, 0])  # "sanctions tariffs trade trade energy", "trade energy energy pipeline"
COUNTS_2 = np.array([1, 2, 0, 0, 2, 0, 1, 3])  # "victory memory trade", "victory victory sovereignty energy", "memory sovereignty"

# z-scores from Jack Hessel's published implementation (github.com/jmhessel/FightingWords,
# fighting_words_py3.bayes_compare_language, commit 8290331), run on the two sets above with
# CountVectorizer(vocabulary=VOCAB) and prior = alpha_0 * (corpus counts / corpus total).
# Positive: more typical of set 1.
HESSEL = {
    1.0: [1.155935, -1.03004, 0.700786, 0.700786, -1.03004, 0.700786, 1.155935, -1.316451],
    10.0: [0.872946, -1.038904, 0.694425, 0.694425, -1.038904, 0.694425, 0.872946, -1.35161],
}


@pytest.mark.parametrize("alpha_0", [1.0, 10.0])
def test_z_scores_match_the_published_implementation(alpha_0):
    _, _, z = log_odds_dirichlet(COUNTS_1, COUNTS_2, prior=alpha_0)
    assert np.allclose(z, HESSEL[alpha_0], atol=1e-5)


def test_z_score_of_one_word_by_hand():
    # "energy", alpha_0 = 1: 4 of the 18 words are "energy", so alpha_w = 4/18; n_1 = n_2 = 9.
    a = 4 / 18
    delta = math.log((3 + a) / (9 + 1 - 3 - a)) - math.log((1 + a) / (9 + 1 - 1 - a))
    se = math.sqrt(1 / (3 + a) + 1 / (1 + a))
    got_delta, got_se, got_z = log_odds_dirichlet(COUNTS_1, COUNTS_2, prior=1.0)
    assert got_delta[0] == pytest.approx(delta, rel=1e-6)
    assert got_se[0] == pytest.approx(se, rel=1e-6)
    assert got_z[0] == pytest.approx(delta / se, rel=1e-6) == pytest.approx(1.155935, abs=1e-5)


def test_prior_must_be_positive():
    with pytest.raises(ParameterError, match="prior=0"):
        log_odds_dirichlet(COUNTS_1, COUNTS_2, prior=0)


def test_words_only_in_2026_rise_and_the_sign_flips_with_the_years(seed_corpus):
    dfm = analysis.document_feature_matrix(seed_corpus)
    forward = log_odds_between(dfm, "year", 2025, 2026).set_index("term")
    backward = log_odds_between(dfm, "year", 2026, 2025).set_index("term")
    # Read in the texts: Trump, Ushakov and "leaders" appear only in the 2026 reports,
    # "crisis" (the Ukraine crisis) only in 2025.
    for term in ["trump", "ushakov", "leaders"]:
        assert forward.at[term, "count_a"] == 0 and forward.at[term, "count_b"] > 0
        assert forward.at[term, "z"] > 0
    assert forward.at["crisis", "z"] < 0 and forward.at["crisis", "count_b"] == 0
    joined = forward.merge(backward, left_index=True, right_index=True, suffixes=("", "_swapped"))
    assert np.allclose(joined["z"], -joined["z_swapped"])
    assert list(forward.columns[:2]) == ["feature", "count_a"]


def test_log_odds_between_names_bad_values(seed_corpus):
    dfm = analysis.document_feature_matrix(seed_corpus)
    with pytest.raises(ParameterError, match="year='1999' .* has no documents"):
        log_odds_between(dfm, "year", 1999, 2026)
    with pytest.raises(ParameterError, match="not '2025' with itself"):
        log_odds_between(dfm, "year", 2025, 2025)


def test_each_group_against_the_rest(seed_corpus):
    dfm = analysis.document_feature_matrix(seed_corpus)
    table = log_odds_by_group(dfm, "origin")
    assert set(table["group"]) == {"China", "Russia", "West"}
    west = table[table["group"] == "West"].set_index("term")
    assert west.at["trump", "count_group"] == 5 and west.at["trump", "count_rest"] == 0
    assert west.at["trump", "z"] > 1.96 and west.at["united states", "z"] > 1.96
    totals = np.asarray(dfm.matrix.sum(axis=0)).ravel()
    expected = dict(zip(dfm.features["surface"], totals))
    assert (west["count_group"] + west["count_rest"]).to_dict() == {
        t: expected[t] for t in west.index}


def test_single_group_gives_an_empty_table(make_corpus):
    from conftest import document
    corpus = analysis.load_corpus(make_corpus([document("a", "Trade and more trade."),
                                               document("b", "Harvest and trade.", file="b.txt")]))
    table = log_odds_by_group(analysis.document_feature_matrix(corpus), "origin", min_count=1)
    assert table.empty and "z" in table.columns
