"""Document-feature matrices: scikit-learn's vectorisers with this project's analyser.

As in quanteda, the document variables travel with the matrix, so counts can be summed or
averaged by any manifest column (origin, outlet, year, ...).
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from .errors import ParameterError
from .tokens import stem, surface_forms_of_words, word_tokens

METADATA_EXCLUDE = ("raw_text", "text")


@dataclass(frozen=True)
class DocumentFeatureMatrix:
    """A sparse document x feature matrix with its features and document variables.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix, shape (n_documents, n_features)
        Counts (or weights, for TF-IDF).
    features : pandas.DataFrame, n_features rows
        ``feature`` (stem, the column key), ``surface`` (the form most often written),
        ``count`` (total count in the corpus), ``doc_freq`` (documents containing it).
    docvars : pandas.DataFrame, n_documents rows
        The corpus rows without the texts, in matrix row order.
    """

    matrix: sp.csr_matrix
    features: pd.DataFrame
    docvars: pd.DataFrame

    @property
    def shape(self):
        return self.matrix.shape

    def to_frame(self, labels="surface"):
        """Dense DataFrame: index ``doc_id``, one column per feature (named by ``labels``)."""
        return pd.DataFrame(self.matrix.toarray(), index=pd.Index(self.docvars["doc_id"]),
                            columns=self.features[labels].to_list())

    def group(self, by):
        """Summed rows per value of the document variable ``by``.

        Returns
        -------
        pandas.DataFrame
            Index: the sorted values of ``by``; columns: features by surface form.
        """
        if by not in self.docvars.columns:
            raise ParameterError(f"group_by={by!r} is not a document variable; use one of "
                                 f"{', '.join(sorted(self.docvars.columns))}")
        keys = self.docvars[by].astype(str).to_numpy()
        groups = sorted(set(keys))
        indicator = sp.csr_matrix(
            (np.ones(len(keys), dtype=self.matrix.dtype), ([groups.index(k) for k in keys], np.arange(len(keys)))),
            shape=(len(groups), len(keys)))
        summed = (indicator @ self.matrix).toarray()
        return pd.DataFrame(summed, index=pd.Index(groups, name=by),
                            columns=self.features["surface"].to_list())


def _word_lists(texts):
    return [word_tokens(t, remove_stopwords=True) for t in texts]


def document_feature_matrix(corpus, weighting="count", min_df=1, max_df=1.0, **vectorizer_args):
    """Count (or TF-IDF weigh) the project's features in every document of ``corpus``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        As returned by :func:`analysis.load_corpus` (uses ``text``; every other column except
        the texts becomes a document variable).
    weighting : {"count", "tfidf"}, default "count"
    min_df, max_df : int or float
        As in scikit-learn: documents (int) or share of documents (float) a feature must
        appear in at least / at most.
    **vectorizer_args
        Passed to :class:`~sklearn.feature_extraction.text.TfidfVectorizer` (e.g. ``norm``,
        ``sublinear_tf``) or :class:`~sklearn.feature_extraction.text.CountVectorizer`.

    Returns
    -------
    DocumentFeatureMatrix

    Raises
    ------
    ParameterError
        Unknown ``weighting``, or ``min_df`` / ``max_df`` that leave no features.
    """
    vectorizers = {"count": CountVectorizer, "tfidf": TfidfVectorizer}
    if weighting not in vectorizers:
        raise ParameterError(f"weighting={weighting!r}: use 'count' or 'tfidf'")
    words = _word_lists(corpus["text"])
    stems = [[stem(w) for w in doc] for doc in words]
    vectorizer = vectorizers[weighting](analyzer=lambda doc: doc, min_df=min_df, max_df=max_df,
                                        **vectorizer_args)
    try:
        matrix = vectorizer.fit_transform(stems)
    except ValueError as exc:
        raise ParameterError(f"min_df={min_df!r}, max_df={max_df!r} leave no features for "
                             f"{len(stems)} documents ({exc}); lower min_df or raise max_df"
                             ) from exc
    vocabulary = vectorizer.get_feature_names_out()
    forms = surface_forms_of_words(words)
    counts = CountVectorizer(analyzer=lambda doc: doc, vocabulary=vocabulary).transform(stems)
    features = pd.DataFrame({
        "feature": vocabulary,
        "surface": [forms[f] for f in vocabulary],
        "count": np.asarray(counts.sum(axis=0)).ravel(),
        "doc_freq": np.asarray((counts > 0).sum(axis=0)).ravel(),
    })
    docvars = corpus.drop(columns=[c for c in METADATA_EXCLUDE if c in corpus.columns])
    return DocumentFeatureMatrix(matrix.tocsr(), features, docvars.reset_index(drop=True))


def top_features(dfm, n=20, by=None):
    """The ``n`` features with the highest total, as a tidy table.

    Parameters
    ----------
    dfm : DocumentFeatureMatrix
    n : int
    by : str, optional
        A document variable; if given, the top ``n`` within each of its values.

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (only with ``by``), ``feature``, ``surface``, ``value``, ``rank``;
        ties broken by surface form so the order is stable.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"top_n={n!r}: use a whole number of at least 1")
    if by is None:
        totals = pd.DataFrame({"surface": dfm.features["surface"], "feature": dfm.features["feature"],
                               "value": np.asarray(dfm.matrix.sum(axis=0)).ravel()})
        top = totals.sort_values(["value", "surface"], ascending=[False, True]).head(n)
        return top.assign(rank=range(1, len(top) + 1)).reset_index(drop=True)
    grouped = dfm.group(by)
    rows = []
    for group, values in grouped.iterrows():
        table = pd.DataFrame({"group": group, "feature": dfm.features["feature"],
                              "surface": dfm.features["surface"], "value": values.to_numpy()})
        table = table[table["value"] > 0].sort_values(["value", "surface"],
                                                      ascending=[False, True]).head(n)
        rows.append(table.assign(rank=range(1, len(table) + 1)))
    return pd.concat(rows, ignore_index=True)
