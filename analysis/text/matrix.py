"""Document-feature matrices: scikit-learn's vectorisers with this project's analyser.

Each document is split into sentences and each sentence into word tokens (see
:func:`document_counts`); that work splits by document and runs on ``n_jobs`` processes.
As in quanteda, the document variables travel with the matrix, so counts can be summed or
averaged by any manifest column (origin, outlet, year, ...). :func:`dfm_weight` and
:func:`dfm_subset` derive weighted or smaller matrices from the processed corpus's counts
without tokenising again, and :func:`unit_matrix` counts passages made of its sentences.
"""
from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from ..errors import ParameterError
from ..rules import SHIPPED
from .parallel import chunk_results
from .sentences import sentence_spans
from .stages import stage
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


def _chunk_counts(texts, rules=SHIPPED):
    """The unit of parallel work: sentences, their words and feature counts of ``texts``.

    Returns the columns :func:`document_counts` describes. Columns of arrays rather than a
    tuple per sentence or a Counter per document: at 100 MB of text those would take more
    memory than the text itself, and they travel between processes more slowly.
    """
    stops = stop_words(rules)
    found = {"sentences_per_document": array("l"), "paragraph": array("l"), "start": array("l"),
             "end": array("l"), "sentence": [], "words": [], "tokens": array("l"),
             "features": [], "counts": [], "forms": Counter()}
    with stage("sentences"):
        spans = [sentence_spans(text, rules) for text in texts]
    with stage("words"):
        document_words = []
        for text, found_spans in zip(texts, spans):
            found["sentences_per_document"].append(len(found_spans))
            words = []
            for paragraph, start, end in found_spans:
                sentence = text[start:end]
                tokens = word_tokens(sentence, rules=rules)
                found["paragraph"].append(paragraph)
                found["start"].append(start)
                found["end"].append(end)
                found["sentence"].append(sentence)
                found["words"].append(" ".join(tokens))
                found["tokens"].append(len(tokens))
                words += [w for w in tokens if w not in stops]
            document_words.append(words)
    with stage("counts"):
        for words in document_words:
            found["forms"].update(words)
            counted = Counter(map(stem, words))
            found["features"].append(tuple(counted))
            found["counts"].append(array("l", counted.values()))
    return found


def document_counts(texts, n_jobs=1, rules=SHIPPED):
    """Sentences and feature counts of every text, on ``n_jobs`` processes.

    Features are the stems of the word tokens of each sentence, stop words removed (so a
    multi-word expression never spans two sentences).

    Parameters
    ----------
    texts : sequence of str
        Cleaned documents.
    n_jobs : int, default 1
        Worker processes (joblib's meaning: -1 = every core). The result does not depend on it.
    rules : analysis.rules.RuleSet
        Whose abbreviations, spelling, aliases, expressions and stop words apply.

    Returns
    -------
    dict
        ``sentences_per_document`` (array, one per text); per sentence, in text order:
        ``paragraph``, ``start``, ``end`` (arrays: paragraph number and character span in its
        text), ``sentence`` (list of str, as written), ``words`` (list of str: the word tokens,
        stop words included, joined by spaces), ``tokens`` (array: how many); per text:
        ``features`` (tuple of features) and ``counts`` (array, how often each); ``forms``
        (Counter: word form -> times written, stop words out, for
        :func:`analysis.text.tokens.surface_forms_of_counts`).
    """
    chunks = chunk_results(_chunk_counts, texts, n_jobs, rules)
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
                            rules=SHIPPED, **vectorizer_args):
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
    return dfm_from_counts(corpus, document_counts(corpus["text"], n_jobs, rules), weighting,
                           min_df, max_df, **vectorizer_args)


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
    with stage("matrix"):
        return _dfm_from_counts(corpus, found, weighting, min_df, max_df, **vectorizer_args)


def _dfm_from_counts(corpus, found, weighting, min_df, max_df, **vectorizer_args):
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


def _check_df(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or value < 0 or (isinstance(value, (float, np.floating)) and value > 1):
        raise ParameterError(f"{name}={value!r}: use a number of documents (int) or a share of "
                             f"documents between 0 and 1 (float)")


def dfm_trim(dfm, min_df=1, max_df=1.0):
    """Keep the features found in at least ``min_df`` and at most ``max_df`` documents
    (numbers, or shares if floats), as scikit-learn's vectorisers prune them.

    Raises
    ------
    ParameterError
        Bad ``min_df`` / ``max_df``, or none of the features is left.
    """
    _check_df(min_df, "min_df")
    _check_df(max_df, "max_df")
    n_docs = dfm.matrix.shape[0]
    low = min_df if isinstance(min_df, (int, np.integer)) else min_df * n_docs
    high = max_df if isinstance(max_df, (int, np.integer)) else max_df * n_docs
    if high < low:
        raise ParameterError(f"max_df={max_df!r} corresponds to fewer documents than "
                             f"min_df={min_df!r}")
    doc_freq = np.bincount(dfm.matrix.indices, minlength=dfm.matrix.shape[1])
    keep = np.flatnonzero((doc_freq >= low) & (doc_freq <= high))
    if len(keep) == 0:
        raise ParameterError(f"min_df={min_df!r}, max_df={max_df!r} leave no features for "
                             f"{n_docs} documents; lower min_df or raise max_df")
    return _columns(dfm, keep)


def _columns(dfm, keep):
    """The matrix restricted to the columns ``keep``, with totals recounted."""
    matrix = dfm.matrix[:, keep].tocsr()
    features = dfm.features.iloc[keep].reset_index(drop=True).assign(
        count=np.asarray(matrix.sum(axis=0)).ravel().astype(dfm.features["count"].dtype),
        doc_freq=np.bincount(matrix.indices, minlength=matrix.shape[1]))
    return DocumentFeatureMatrix(matrix, features, dfm.docvars)


def dfm_weight(dfm, weighting="tfidf", min_df=1, max_df=1.0, **tfidf_args):
    """A count matrix pruned (``min_df``, ``max_df``) and weighted, as
    :func:`document_feature_matrix` would make it from the texts, without tokenising again.

    Parameters
    ----------
    dfm : DocumentFeatureMatrix
        Counts (e.g. :attr:`analysis.ProcessedCorpus.dfm`).
    weighting : {"count", "tfidf"}
    **tfidf_args
        Passed to :class:`~sklearn.feature_extraction.text.TfidfTransformer` (``norm``,
        ``sublinear_tf``, ...).
    """
    if weighting not in ("count", "tfidf"):
        raise ParameterError(f"weighting={weighting!r}: use 'count' or 'tfidf'")
    trimmed = dfm_trim(dfm, min_df, max_df)
    if weighting == "count":
        return trimmed
    weighted = TfidfTransformer(**tfidf_args).fit_transform(trimmed.matrix.astype(np.float64))
    return DocumentFeatureMatrix(weighted.tocsr(), trimmed.features, trimmed.docvars)


def dfm_subset(dfm, rows):
    """The documents ``rows`` (boolean mask or positions) of a count matrix, with the
    features none of them uses dropped (surface forms stay those of the whole corpus)."""
    rows = np.flatnonzero(rows) if np.asarray(rows).dtype == bool else np.asarray(rows)
    part = DocumentFeatureMatrix(dfm.matrix[rows].tocsr(), dfm.features,
                                 dfm.docvars.iloc[rows].reset_index(drop=True))
    used = np.flatnonzero(np.bincount(part.matrix.indices, minlength=part.matrix.shape[1]))
    return _columns(part, used)


def dfm_group(dfm, by, vocabulary=None):
    """A count matrix with one row per value of ``by`` (the groups' documents summed), as if
    each group were one document; ``vocabulary`` (features) keeps those columns only.

    Returns
    -------
    DocumentFeatureMatrix
        Rows: the sorted values of ``by`` (docvars ``doc_id`` and ``by`` both the value).
    """
    if by not in dfm.docvars.columns:
        raise ParameterError(f"group_by={by!r} is not a document variable; use one of "
                             f"{', '.join(sorted(dfm.docvars.columns))}")
    keys = dfm.docvars[by].astype(str).to_numpy()
    groups = sorted(set(keys))
    position = {g: i for i, g in enumerate(groups)}
    indicator = sp.csr_matrix((np.ones(len(keys), dtype=dfm.matrix.dtype),
                               ([position[k] for k in keys], np.arange(len(keys)))),
                              shape=(len(groups), len(keys)))
    grouped = DocumentFeatureMatrix((indicator @ dfm.matrix).tocsr(), dfm.features,
                                    pd.DataFrame({"doc_id": groups, by: groups}))
    if vocabulary is None:
        return grouped
    index = {f: i for i, f in enumerate(dfm.features["feature"])}
    return _columns(grouped, np.array([index[f] for f in vocabulary], dtype=np.int64))


def unit_matrix(word_lists, docvars, weighting="count", min_df=1, max_df=1.0):
    """Feature counts of passages given as lists of content words (stop words already out).

    Parameters
    ----------
    word_lists : iterable of list of str
        One list per passage: its word tokens without stop words, as the sentence table's
        ``words`` give them (e.g. :func:`analysis.measures.topics.topic_units`'s
        ``content_words`` split).
    docvars : pandas.DataFrame, one row per passage
        The passages' variables (``doc_id`` names each passage).

    Returns
    -------
    DocumentFeatureMatrix
    """
    features, counts, forms = [], [], Counter()
    for words in word_lists:
        forms.update(words)
        counted = Counter(map(stem, words))
        features.append(tuple(counted))
        counts.append(array("l", counted.values()))
    found = {"features": features, "counts": counts, "forms": forms}
    return dfm_from_counts(docvars, found, weighting, min_df, max_df)
