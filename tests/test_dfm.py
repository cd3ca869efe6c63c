import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

import analysis
from analysis import ParameterError


def test_dfm_counts_match_tokenize_and_keep_docvars(seed_corpus):
    dfm = analysis.document_feature_matrix(seed_corpus)
    assert dfm.shape[0] == len(seed_corpus)
    assert list(dfm.docvars["doc_id"]) == list(seed_corpus["doc_id"])
    assert "text" not in dfm.docvars and "origin" in dfm.docvars
    row = list(seed_corpus["doc_id"]).index("2026-02-04_west_media")
    expected = analysis.tokenize(seed_corpus["text"][row]).count("trump")
    column = list(dfm.features["feature"]).index("trump")
    assert expected > 0 and dfm.matrix[row, column] == expected
    assert dfm.features.loc[column, "doc_freq"] == 1


def test_tokenize_works_as_a_scikit_learn_analyzer(seed_corpus):
    ours = analysis.document_feature_matrix(seed_corpus)
    theirs = CountVectorizer(analyzer=analysis.tokenize).fit(seed_corpus["text"])
    assert sorted(theirs.vocabulary_) == list(ours.features["feature"])


def test_group_sums_documents_by_any_manifest_column(seed_corpus):
    dfm = analysis.document_feature_matrix(seed_corpus)
    by_year = dfm.group("year")
    assert list(by_year.index) == ["2025", "2026"]
    assert np.array_equal(by_year.to_numpy().sum(axis=0), np.asarray(dfm.matrix.sum(axis=0)).ravel())
    with pytest.raises(ParameterError, match="group_by='party' is not a document variable"):
        dfm.group("party")


def test_tfidf_and_bad_pruning_parameters(seed_corpus):
    tfidf = analysis.document_feature_matrix(seed_corpus, weighting="tfidf")
    assert np.allclose(np.sqrt(tfidf.matrix.multiply(tfidf.matrix).sum(axis=1)), 1.0)
    with pytest.raises(ParameterError, match="min_df=10"):
        analysis.document_feature_matrix(seed_corpus, min_df=10)
    with pytest.raises(ParameterError, match="weighting='bm25'"):
        analysis.document_feature_matrix(seed_corpus, weighting="bm25")


def test_top_features_are_stable_and_grouped(seed_corpus):
    dfm = analysis.document_feature_matrix(seed_corpus)
    top = analysis.top_features(dfm, 5)
    assert list(top["rank"]) == [1, 2, 3, 4, 5]
    assert list(top["value"]) == sorted(top["value"], reverse=True)
    by_origin = analysis.top_features(dfm, 3, by="origin")
    assert set(by_origin["group"]) == {"China", "Russia", "West"}
    with pytest.raises(ParameterError, match="top_n=0"):
        analysis.top_features(dfm, 0)


@pytest.mark.parametrize("size", [0, 1, 5, 6, 7, 40])
def test_bincount_in_steps_equals_numpy_bincount(size):
    from analysis.text.matrix import _bincount

    values = np.random.default_rng(size).integers(0, 9, size=size).astype(np.int32)
    for length in (9, 12):
        # steps of 3: sizes below, at and across a step's end
        assert np.array_equal(_bincount(values, length, step=3), np.bincount(values, minlength=length))
        assert _bincount(values, length, step=3).dtype == np.int64
