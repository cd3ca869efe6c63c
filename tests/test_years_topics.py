import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import ParameterError
from analysis.measures import similarity, tfidf, topics


@pytest.fixture(scope="module")
def units(seed_corpus):
    return topics.topic_units(seed_corpus, "sentence_window", 2, min_tokens=8)


def test_year_terms_two_ways_on_one_vocabulary(seed_corpus):
    mean = tfidf.top_terms_per_group(seed_corpus, "year", 10, "mean", max_df=0.9)
    pseudo = tfidf.top_terms_per_group(seed_corpus, "year", 10, "pseudo", max_df=0.9)
    assert set(mean["year"]) == set(pseudo["year"]) == {"2025", "2026"}
    assert "trump" in set(mean.loc[mean["year"] == "2026", "term"])
    assert "crisis" in set(pseudo.loc[pseudo["year"] == "2025", "term"])
    # words in every document are cut by max_df for both methods
    assert not {"china", "russia"} & set(mean["term"]) and not {"china", "russia"} & set(pseudo["term"])
    agreement = tfidf.method_agreement(mean, pseudo)
    assert agreement["jaccard"].between(0, 1).all()
    with pytest.raises(ParameterError, match="method='median'"):
        tfidf.top_terms_per_group(seed_corpus, "year", 10, "median")


def test_topic_units_by_paragraph_and_window(seed_corpus, units):
    paragraphs = topics.topic_units(seed_corpus, "paragraph", min_tokens=1)
    kremlin = seed_corpus.set_index("doc_id").loc["2025-01-21_ru_kremlin", "text"]
    assert (paragraphs["doc_id"] == "2025-01-21_ru_kremlin").sum() == len(
        [line for line in kremlin.splitlines() if analysis.word_tokens(line)])
    assert (units["tokens"] >= 8).all()
    assert {"origin", "year"} <= set(units.columns)
    with pytest.raises(ParameterError, match="unit='page'"):
        topics.topic_units(seed_corpus, "page")


def test_topics_are_reproducible_with_the_same_seed(units):
    first = topics.fit_topics(units, 4, "lda", random_state=3)
    again = topics.fit_topics(units, 4, "lda", random_state=3)
    other = topics.fit_topics(units, 4, "lda", random_state=4)
    pd.testing.assert_frame_equal(first.weights, again.weights)
    assert first.labels == again.labels
    assert not np.allclose(first.weights.iloc[:, 2:].to_numpy(), other.weights.iloc[:, 2:].to_numpy())
    nmf = topics.fit_topics(units, 4, "nmf", random_state=0)
    assert np.allclose(nmf.weights.iloc[:, 2:].sum(axis=1), 1.0)
    assert len(nmf.terms) == 4 * 10


def test_topic_parameter_errors_name_the_parameter(seed_corpus, units):
    with pytest.raises(ParameterError, match=f"n_topics=500 is more than the {len(units)} units"):
        topics.fit_topics(units, 500)
    with pytest.raises(ParameterError, match="min_df=50"):
        topics.fit_topics(units, 3, min_df=50)
    with pytest.raises(ParameterError, match="method='svd'"):
        topics.fit_topics(units, 3, "svd")


def test_prevalence_sums_to_one_per_group_and_stability_is_reported(units):
    model = topics.fit_topics(units, 5)
    prevalence = topics.topic_prevalence(model, units, "year")
    assert np.allclose(prevalence.groupby("year")["prevalence"].sum(), 1.0)
    stability = topics.topic_stability(units, 5, n_runs=3)
    assert list(stability.columns) == ["run", "seed", "mean_cosine", "min_cosine", "worst_topic", "converged"]
    assert stability["mean_cosine"].between(0, 1 + 1e-9).all()
    best = topics.top_units(model, units, 2)
    assert len(best) == 10 and (best.groupby("topic")["score"].apply(lambda s: s.is_monotonic_decreasing)).all()


def test_same_event_documents_are_closer_in_the_seed_corpus(seed_corpus):
    sim = similarity.document_similarity(seed_corpus, max_df=0.9)
    assert np.allclose(np.diag(sim), 1.0) and np.allclose(sim, sim.T)
    pairs = similarity.nearest_pairs(seed_corpus, "event", max_df=0.9)
    assert len(pairs) == 15
    summary = similarity.similarity_summary(seed_corpus, "event", max_df=0.9)
    assert summary["same_pairs"] == 4 and summary["same_mean"] > summary["other_mean"]
    # the sums-of-vectors means are the means of the pairs
    same = pairs[pairs["same"]]["similarity"].mean()
    assert summary["same_mean"] == pytest.approx(same) and summary["other_pairs"] == 11


def test_similarity_without_the_square_agrees_with_it(make_corpus):
    from conftest import synthetic_documents
    docs = synthetic_documents(60, years=[2001, 2002], groups=["North", "South", "East"], seed=11)
    processed = analysis.load_processed(make_corpus(docs), use_cache=False)
    square = similarity.document_similarity(processed).to_numpy().copy()
    groups = processed.corpus["origin"].to_numpy()
    means = similarity.group_similarity(processed, "origin")
    for a in ("North", "South"):
        for b in ("North", "East"):
            block = square[np.ix_(groups == a, groups == b)]
            expected = (block.sum() - (np.trace(block) if a == b else 0)) / (
                block.size - (len(block) if a == b else 0))
            assert means.at[a, b] == pytest.approx(expected)
    near = similarity.nearest_pairs(processed, "event", k=3, all_up_to=10)
    np.fill_diagonal(square, -1)
    best = square.argmax(axis=1)
    ids = list(processed.corpus["doc_id"])
    listed = set(zip(near["doc_a"], near["doc_b"])) | set(zip(near["doc_b"], near["doc_a"]))
    assert all((ids[i], ids[j]) in listed for i, j in enumerate(best))
    assert len(near) <= 3 * len(ids)


def test_select_years(seed_corpus):
    kept, years = analysis.select_years(seed_corpus, [2026])
    assert years == [2026] and set(kept["year"]) == {2026} and len(kept) == 3
    with pytest.raises(ParameterError, match="no documents for \\[1999\\]"):
        analysis.select_years(seed_corpus, [1999])
