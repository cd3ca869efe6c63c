"""Document-feature matrices: scikit-learn's vectorisers with this project's analyser.

Each document is split into sentences and each sentence into word tokens (see
:func:`document_counts`); that work splits by document and runs on ``n_jobs`` processes.
As in quanteda, the document variables travel with the matrix, so counts can be summed or
averaged by any manifest column (origin, outlet, year, ...).
"""
from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from .errors import ParameterError
from .parallel import chunk_results
from .sentences import paragraph_sentences
from .tokens import MWE_SEPARATOR, stem, stop_words, surface_forms_of_counts, word_tokens

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


def _chunk_counts(texts):
    """The unit of parallel work: sentences, token numbers and feature counts of ``texts``.

    Returns the columns :func:`document_counts` describes. Columns of arrays rather than a
    tuple per sentence or a Counter per document: at 100 MB of text those would take more
    memory than the text itself, and they travel between processes more slowly.
    """
    stops = stop_words()
    found = {"sentences_per_document": array("l"), "paragraph": array("l"), "sentence": [],
             "tokens": array("l"), "features": [], "counts": [], "forms": Counter()}
    for text in texts:
        words = []
        split = paragraph_sentences(text)
        found["sentences_per_document"].append(len(split))
        for paragraph, sentence in split:
            tokens = word_tokens(sentence)
            found["paragraph"].append(paragraph)
            found["sentence"].append(sentence)
            found["tokens"].append(len(tokens))
            words += [w for w in tokens if w not in stops]
        found["forms"].update(words)
        counted = Counter(map(stem, words))
        found["features"].append(tuple(counted))
        found["counts"].append(array("l", counted.values()))
    return found


def document_counts(texts, n_jobs=1):
    """Sentences and feature counts of every text, on ``n_jobs`` processes.

    Features are the stems of the word tokens of each sentence, stop words removed (so a
    multi-word expression never spans two sentences).

    Parameters
    ----------
    texts : sequence of str
        Cleaned documents.
    n_jobs : int, default 1
        Worker processes (joblib's meaning: -1 = every core). The result does not depend on it.

    Returns
    -------
    dict
        ``sentences_per_document`` (array, one per text); per sentence, in text order:
        ``paragraph`` (array), ``sentence`` (list of str, as written), ``tokens`` (array:
        word tokens, stop words included); per text: ``features`` (tuple of features) and
        ``counts`` (array, how often each); ``forms`` (Counter: word form -> times written,
        stop words out, for :func:`analysis.tokens.surface_forms_of_counts`).
    """
    chunks = chunk_results(_chunk_counts, texts, n_jobs)
    found = chunks[0]
    for chunk in chunks[1:]:
        for key, values in chunk.items():
            found[key] += values
    return found


def _repeated(document):
    """A document's features, each as often as counted (scikit-learn's analyzer contract)."""
    features, counts = document
    return chain.from_iterable(map(repeat, features, counts))


def document_feature_matrix(corpus, weighting="count", min_df=1, max_df=1.0, n_jobs=1,
                            **vectorizer_args):
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
    n_jobs : int, default 1
        Processes for tokenising (see :func:`document_counts`).
    **vectorizer_args
        Passed to :class:`~sklearn.feature_extraction.text.TfidfVectorizer` (e.g. ``norm``,
        ``sublinear_tf``) or :class:`~sklearn.feature_extraction.text.CountVectorizer`.

    Returns
    -------
    DocumentFeatureMatrix

    Raises
    ------
    ParameterError
        Unknown ``weighting``, ``min_df`` / ``max_df`` that leave no features, bad ``n_jobs``.
    """
    return dfm_from_counts(corpus, document_counts(corpus["text"], n_jobs), weighting, min_df,
                           max_df, **vectorizer_args)


def dfm_from_counts(corpus, found, weighting="count", min_df=1, max_df=1.0, **vectorizer_args):
    """A :class:`DocumentFeatureMatrix` from what :func:`document_counts` found.

    scikit-learn's vectoriser does the counting, so ``min_df``, ``max_df``, ``vocabulary``
    and the TF-IDF options mean what they mean there.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Gives the document variables, one row per document counted.
    found : dict
        As returned by :func:`document_counts`.
    """
    counts = list(zip(found["features"], found["counts"]))
    vectorizers = {"count": CountVectorizer, "tfidf": TfidfVectorizer}
    if weighting not in vectorizers:
        raise ParameterError(f"weighting={weighting!r}: use 'count' or 'tfidf'")
    vectorizer = vectorizers[weighting](analyzer=_repeated, min_df=min_df, max_df=max_df,
                                        **vectorizer_args)
    try:
        matrix = vectorizer.fit_transform(counts)
    except ValueError as exc:
        raise ParameterError(f"min_df={min_df!r}, max_df={max_df!r} leave no features for "
                             f"{len(counts)} documents ({exc}); lower min_df or raise max_df"
                             ) from exc
    vocabulary = vectorizer.get_feature_names_out()
    if weighting == "count":
        totals = matrix
    else:
        totals = CountVectorizer(analyzer=_repeated, vocabulary=vocabulary).transform(counts)
    surface = surface_forms_of_counts(found["forms"])
    features = pd.DataFrame({
        "feature": vocabulary,
        "surface": [surface.get(f, f.replace(MWE_SEPARATOR, " ")) for f in vocabulary],
        "count": np.asarray(totals.sum(axis=0)).ravel(),
        "doc_freq": np.asarray((totals > 0).sum(axis=0)).ravel(),
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
