"""Exploration: keyword in context, a term's rate, dispersion, collocations."""
import numpy as np
import pytest

import analysis
from analysis import ParameterError
from analysis.measures import explore
from conftest import SEEDS, document


@pytest.fixture(scope="module")
def seeds():
    return analysis.load_processed(SEEDS, use_cache=False)


def test_kwic_finds_words_globs_and_phrases_as_written(seeds):
    uses = explore.kwic(seeds, "multipolar*", window=3)
    assert len(uses) >= 1 and all(u.lower().startswith("multipolar") for u in uses["match"])
    assert all(len(left.split()) <= 3 for left in uses["left"])
    un = explore.kwic(seeds, "UN")  # aliases: "U.N." and "United Nations" are found too
    assert {"U.N.", "United Nations"} <= set(un["match"])
    russia = explore.kwic(seeds, "global governance", groups=["Russia"])
    assert set(russia["group"]) <= {"Russia"}
    with pytest.raises(ParameterError, match="query"):
        explore.kwic(seeds, "  ")


def test_term_rates_count_per_thousand_words_and_bound_a_zero(make_corpus):
    docs = [document("a", "Trade grew. Trade and more trade.", event_date="2020-01-01"),
            document("b", "Energy talks went well this year for both of them.", event_date="2021-01-01")]
    processed = analysis.load_processed(make_corpus(docs), use_cache=False)
    rates = explore.term_rates(processed, "trade", "year", n_boot=200).set_index("group")
    assert rates.at["2020", "count"] == 3 and rates.at["2020", "rate_per_1k"] == pytest.approx(1000 * 3 / 6)
    zero = rates.loc["2021"]
    assert zero["count"] == 0 and zero["high"] == pytest.approx(1000 * -np.log(0.05) / zero["tokens"])
    assert zero["interval"] == "no use: upper bound"


def test_dispersion_places_each_use_in_its_document(make_corpus):
    text = "Trade first. Then nothing at all here for a while now.\nAnd trade at the end."
    processed = analysis.load_processed(make_corpus([document("a", text)]), use_cache=False)
    places = explore.dispersion(processed, ["trade"])
    assert list(places["position"]) == pytest.approx([0.0, 12 / 16])  # "And trade": token 12 of 16
    assert (places["tokens"] == 16).all()


def test_collocations_find_pairs_used_together(make_corpus):
    text = "\n".join(["Nuclear energy matters. Nuclear energy grows. Trade grows slowly."] * 4)
    processed = analysis.load_processed(make_corpus([document("a", text)]), use_cache=False)
    pairs = explore.collocations(processed, min_count=3)
    assert pairs.iloc[0]["collocation"] == "nuclear energy" and pairs.iloc[0]["count"] == 8
    assert (pairs["G2"].diff().dropna() <= 0).all() and pairs.iloc[0]["z"] > 0
