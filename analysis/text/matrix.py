"""Document-feature matrices: scikit-learn's vectorisers with this project's analyser.

Each document is split into sentences and each sentence into word tokens (see
:func:`document_counts`); that work splits by document and runs on ``n_jobs`` processes.
As in quanteda, the document variables travel with the matrix, so counts can be summed or
averaged by any manifest column (origin, outlet, year, ...). :func:`dfm_weight` and
:func:`dfm_subset` derive weighted or smaller matrices from the processed corpus's counts
without tokenising again, and :func:`unit_matrix` counts passages made of its sentences.
"""
from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
import pandas as pd
import polars as pl
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from ..errors import ParameterError
from ..rules import SHIPPED
from .parallel import BATCH, THREADS, chunk_stream
from .sentences import batch_sentence_spans
from .stages import stage
from .tokens import MWE_SEPARATOR, sentence_words, stem, stems, stop_words

METADATA_EXCLUDE = ("text",)


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

    Sentences are found per document (Punkt's rules); every later step runs over the whole
    chunk at once in polars (see :func:`analysis.text.tokens.sentence_words`): the words of
    all sentences, stop words, stems (once per distinct word) and the counts per document,
    kept as one long table (document, feature, count) rather than a Counter per document.
    """
    texts = list(texts)
    with stage("sentences"):
        per_document, where = batch_sentence_spans(texts, rules)
        owner = np.repeat(np.arange(len(texts)), per_document).tolist()
        sentences = [texts[i][start:end] for i, start, end in zip(owner, where[:, 1].tolist(), where[:, 2].tolist())]
        del owner
    with stage("words"):
        table = sentence_words(sentences, rules)
        made = pl.DataFrame({"text": pl.arange(0, len(sentences), dtype=pl.UInt32, eager=True)}).join(
            table.group_by("text").agg(words=pl.col("word").str.join(" "), tokens=pl.len()),
            on="text", how="left", maintain_order="left")
        words = made["words"].fill_null("").to_list()
        tokens = made["tokens"].fill_null(0).to_numpy()
        del made
    with stage("counts"):
        document = np.repeat(np.arange(len(texts), dtype=np.uint32), per_document)
        kept = table.filter(~pl.col("word").is_in(sorted(stop_words(rules))))
        kept = kept.select(document=pl.Series(document[kept["text"].to_numpy()], dtype=pl.UInt32),
                           word=pl.col("word"))
        del table
        forms = kept.group_by("word").len()
        written = forms["word"]
        features = stems(written)
        # in order of first appearance, as a Counter per document had them (scikit-learn's
        # vectorisers number features in the order they first see them)
        counts = kept.with_columns(feature=pl.col("word").replace_strict(written, features)).group_by(
            "document", "feature", maintain_order=True).len("count")
        forms = forms.select("word", feature=features, count="len")
    # Kept until the last chunk is done (the peak of memory): per-sentence numbers in 32 bits
    # when they fit (a document under 2**31 characters); the sentence table has them in 64.
    return {"documents": len(texts), "sentences_per_document": per_document,
            "paragraph": _narrow(where[:, 0]), "start": _narrow(where[:, 1]),
            "end": _narrow(where[:, 2]), "sentence": sentences, "words": words,
            "tokens": _narrow(tokens), "counts": counts, "forms": forms}


def _narrow(values):
    """``values`` (integers, 0 or more) as int32 if they fit, else as they are."""
    return values.astype(np.int32) if not len(values) or values.max() < 2 ** 31 else values


def _unsigned(values):
    """``values`` (integers, 0 or more) in the smallest unsigned type that holds them."""
    top = int(values.max()) if len(values) else 0
    return values.astype(next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if top <= np.iinfo(t).max),
                         copy=False)


def _merged(chunks):
    """The results of consecutive chunks as one (word forms summed as they came, in
    :func:`document_counts`); each chunk's columns are let go as soon as they are copied."""
    if len(chunks) == 1:
        return chunks[0]
    merged = {"documents": sum(chunk["documents"] for chunk in chunks)}
    for key in ("sentences_per_document", "paragraph", "start", "end", "tokens",
                "counts_per_document", "column", "count"):
        dtype = np.result_type(*(chunk[key].dtype for chunk in chunks))  # one chunk may be wider
        merged[key] = _joined(chunks, key, lambda n, dtype=dtype: np.empty(n, dtype))
    for key in ("sentence", "words"):
        merged[key] = _joined(chunks, key, lambda n: [None] * n)
    return merged


def _joined(chunks, key, empty):
    """The chunks' ``key`` (arrays or lists) end to end in ``empty(total length)``, each
    chunk's part let go once copied: no part is held twice, as np.concatenate or a list
    comprehension would hold them all until the end (then the peak of memory)."""
    out, at = empty(sum(len(chunk[key]) for chunk in chunks)), 0
    for chunk in chunks:
        part = chunk.pop(key)
        out[at:at + len(part)] = part
        at += len(part)
        del part
    return out


def _summed_forms(tables):
    return pl.concat(tables).group_by("word", "feature").agg(pl.col("count").sum())


class _Vocabulary:
    """Features numbered in the order they are first seen (as scikit-learn's vectorisers number
    them), growing batch by batch, so each batch's counts become three arrays of numbers
    instead of a table of strings."""

    def __init__(self):
        self.features = pl.DataFrame(schema={"feature": pl.String, "column": pl.UInt32})

    def encode(self, counts):
        """The column number of each row's feature (numpy uint32)."""
        new = counts.select("feature").unique(maintain_order=True).join(self.features, on="feature", how="anti")
        start = self.features.height
        self.features = pl.concat([self.features, new.with_columns(
            column=pl.int_range(start, start + new.height, dtype=pl.UInt32))])
        return counts.join(self.features, on="feature", how="left", maintain_order="left")["column"].to_numpy()


def document_counts(texts, n_jobs=1, rules=SHIPPED):
    """Sentences and feature counts of every text, on ``n_jobs`` processes.

    Features are the stems of the word tokens of each sentence, stop words removed (so a
    multi-word expression never spans two sentences). The texts are processed in batches; the
    counts of each are turned into numbers as it arrives.

    Parameters
    ----------
    texts : sequence of str
        Cleaned documents.
    n_jobs : int, default 1
        Worker processes (joblib's meaning: -1 = every core). The result does not depend on it.
        Within a process, polars uses every core for the steps it runs.
    rules : analysis.rules.RuleSet
        Whose abbreviations, spelling, aliases, expressions and stop words apply.

    Returns
    -------
    dict
        ``documents`` (how many texts); ``sentences_per_document`` (array, one per text); per
        sentence, in text order: ``paragraph``, ``start``, ``end`` (arrays: paragraph number
        and character span in its text), ``sentence`` (list of str, as written), ``words``
        (list of str: the word tokens, stop words included, joined by spaces), ``tokens``
        (array: how many); ``counts_per_document`` (array, one per text: how many features
        it has); per (text, feature) with a count, texts in order and features in the order
        the text first has them: ``column``, ``count`` (arrays of unsigned integers);
        ``vocabulary`` (polars Series: the feature of each column number); ``forms`` (polars
        DataFrame: ``word`` (form as written, stop words out), its ``feature`` and ``count``,
        times written).
    """
    vocabulary, chunks = _Vocabulary(), []
    summed, waiting = None, []  # the word forms summed so far, and the batches' not yet
    # two batches at once in threads: one's Python (Punkt's hard cases, normalisation,
    # expressions, stems) runs while the other's column work does
    for chunk in chunk_stream(_chunk_counts, texts, n_jobs, rules, batch=BATCH, threads=THREADS):
        counts = chunk.pop("counts")
        # Kept until the last batch is done (the peak of memory), so in as few bytes as they
        # fit: a batch's counts are in document order, so each document's number of counts
        # stands for a document number per count; column numbers and counts in the smallest
        # unsigned type that holds them (int64 only in the matrix).
        chunk["counts_per_document"] = _narrow(np.bincount(counts["document"].to_numpy(),
                                                           minlength=chunk["documents"]))
        chunk["column"] = _unsigned(vocabulary.encode(counts))
        chunk["count"] = _unsigned(counts["count"].to_numpy())
        # Word forms are summed when the batches' tables waiting hold more rows than the sum:
        # the waiting tables never outgrow the sum, and each row is summed a few times at
        # most (summing the whole vocabulary again at every batch cost seconds on a large one)
        waiting.append(chunk.pop("forms"))
        if sum(map(len, waiting)) > (0 if summed is None else len(summed)):
            summed, waiting = _summed_forms(([] if summed is None else [summed]) + waiting), []
        chunks.append(chunk)
    found = _merged(chunks)
    found["forms"] = _summed_forms([summed] + waiting) if waiting else summed
    found["vocabulary"] = vocabulary.features["feature"]
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


def _count_matrix(found):
    """The count matrix and its (sorted) features straight from the counts' arrays: what
    ``CountVectorizer`` gives with its defaults, without a Python object per count. The count
    arrays are taken out of ``found`` as they are used (the matrix holds them from then on)."""
    vocabulary = found["vocabulary"]
    order = vocabulary.arg_sort().to_numpy()  # code point order, as Python sorts strings
    rows = found["documents"]
    index = np.int32 if len(found["count"]) <= np.iinfo(np.int32).max else np.int64
    rank = np.empty(len(vocabulary), dtype=index)
    rank[order] = np.arange(len(vocabulary), dtype=index)
    indptr = np.concatenate([[0], np.cumsum(found.pop("counts_per_document"), dtype=np.int64)]).astype(index)
    # Each column number (a vocabulary index, below 2**31) becomes its feature's rank: in
    # place when it is uint32, so no second array of the matrix's size exists at the peak; a
    # narrower one (a vocabulary of under 65,536 features) is copied to the index type first.
    # ("clip" never clips here, as every number is a row of rank; "raise" would buffer the
    # output.)
    column = found.pop("column")
    indices = column.view(np.int32) if index is np.int32 and column.dtype == np.uint32 \
        and column.flags.writeable else column.astype(index)
    np.take(rank, indices, out=indices, mode="clip")
    matrix = sp.csr_matrix((found.pop("count").astype(np.int64, copy=False), indices, indptr),
                           shape=(rows, len(vocabulary)), copy=False)
    matrix.sort_indices()
    return matrix, np.array(vocabulary.gather(order).to_list(), dtype=object)


def _per_document(found):
    """(features, counts) of each document, as scikit-learn's analyser is given them."""
    bounds = np.concatenate([[0], np.cumsum(found["counts_per_document"], dtype=np.int64)]).tolist()
    features = found["vocabulary"].gather(found["column"]).to_list()
    counts = found["count"].tolist()
    return [(features[a:b], counts[a:b]) for a, b in zip(bounds, bounds[1:])]


def _dfm_from_counts(corpus, found, weighting, min_df, max_df, **vectorizer_args):
    vectorizers = {"count": CountVectorizer, "tfidf": TfidfVectorizer}
    if weighting not in vectorizers:
        raise ParameterError(f"weighting={weighting!r}: use 'count' or 'tfidf'")
    if weighting == "count" and not vectorizer_args and min_df == 1 and max_df == 1.0 \
            and type(min_df) is int and type(max_df) is float and len(found["count"]):
        matrix, vocabulary = _count_matrix(found)
        return _with_features(corpus, found, matrix, vocabulary, matrix)
    counts = _per_document(found)
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
    return _with_features(corpus, found, matrix, vocabulary, totals)


def _surface_forms(forms):
    """:func:`analysis.text.tokens.surface_forms_of_counts`, in polars, of a table (word,
    feature, count): per feature, the word written most often (ties: alphabetical), "_" shown
    as a space."""
    chosen = forms.sort(["count", "word"], descending=[True, False]).group_by(
        "feature", maintain_order=True).agg(pl.col("word").first().str.replace_all(MWE_SEPARATOR, " ", literal=True))
    return dict(zip(chosen["feature"].to_list(), chosen["word"].to_list()))


def _document_frequencies(counts):
    """How many rows of ``counts`` (sparse, counts never negative) have each column above 0:
    ``(counts > 0).sum(axis=0)`` without a boolean copy of the matrix."""
    counts = sp.csr_matrix(counts)
    positive = counts.data > 0
    columns = counts.indices if positive.all() else counts.indices[positive]  # a count matrix has no zeros
    return _bincount(columns, counts.shape[1])


def _bincount(values, length, step=1 << 20):
    """``np.bincount(values, minlength=length)`` as int64, a million values at a time:
    ``np.bincount`` copies its input as int64 first, which for a matrix's indices (int32)
    would be an array twice their size at the peak of memory."""
    counts = np.zeros(length, dtype=np.int64)
    for start in range(0, len(values), step):
        counts += np.bincount(values[start:start + step], minlength=length)
    return counts


def _with_features(corpus, found, matrix, vocabulary, totals):
    surface = _surface_forms(found["forms"])
    features = pd.DataFrame({
        "feature": vocabulary,
        "surface": [surface.get(f, f.replace(MWE_SEPARATOR, " ")) for f in vocabulary],
        "count": np.asarray(totals.sum(axis=0)).ravel(),
        "doc_freq": _document_frequencies(totals),
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
    per_passage, columns, counts, forms, numbers = [], [], [], Counter(), {}
    for words in word_lists:
        forms.update(words)
        features = Counter(map(stem, words))
        per_passage.append(len(features))
        for feature, n in features.items():
            columns.append(numbers.setdefault(feature, len(numbers)))
            counts.append(n)
    forms = pl.DataFrame({"word": list(forms), "feature": [stem(w) for w in forms], "count": list(forms.values())},
                         schema={"word": pl.String, "feature": pl.String, "count": pl.Int64})
    found = {"documents": len(docvars), "forms": forms, "counts_per_document": np.array(per_passage, dtype=np.int64),
             "column": np.array(columns, dtype=np.uint32), "count": np.array(counts, dtype=np.int64),
             "vocabulary": pl.Series(list(numbers), dtype=pl.String)}
    return dfm_from_counts(docvars, found, weighting, min_df, max_df)
