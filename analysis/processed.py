"""The processed corpus: every document split into sentences, tokenised and counted once.

quanteda's pipeline, in one pass per document::

    corpus (cleaned text) -> sentences -> tokens -> features (stems) -> document-feature matrix

:func:`analysis.cache.load_processed` keeps the result on disk, so the notebooks of one run
do not each redo it.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .dfm import DocumentFeatureMatrix, dfm_from_counts, document_counts

SENTENCE_COLUMNS = ["doc_id", "sentence_id", "paragraph", "sentence", "tokens"]


@dataclass(frozen=True)
class ProcessedCorpus:
    """A corpus with its sentences and document-feature matrix.

    Attributes
    ----------
    corpus : pandas.DataFrame
        As returned by :func:`analysis.load_corpus`, one row per document.
    sentences : pandas.DataFrame
        One row per sentence: ``doc_id``, ``sentence_id`` (1-based within the document, as in
        :func:`analysis.sentence_table`), ``paragraph`` (1-based), ``sentence`` (as written)
        and ``tokens`` (number of word tokens, stop words included); documents in corpus order.
    dfm : DocumentFeatureMatrix
        Feature counts, one row per document (as :func:`analysis.document_feature_matrix`).
    warnings : tuple of str
        What loading the corpus warned about (files no manifest row names).
    """

    corpus: pd.DataFrame
    sentences: pd.DataFrame
    dfm: DocumentFeatureMatrix
    warnings: tuple = ()


def processed_corpus(corpus, n_jobs=1, warnings=()):
    """Split every document into sentences, tokenise them and count features.

    Parameters
    ----------
    corpus : pandas.DataFrame
        As returned by :func:`analysis.load_corpus` (uses ``doc_id`` and ``text``).
    n_jobs : int, default 1
        Processes for the per-document work (joblib's meaning: -1 = every core). The result
        does not depend on it.
    warnings : sequence of str
        Kept with the result (see :func:`analysis.load_corpus_with_warnings`).

    Returns
    -------
    ProcessedCorpus
    """
    found = document_counts(corpus["text"], n_jobs)
    per_document = np.asarray(found["sentences_per_document"], dtype=np.int64)
    starts = np.repeat(np.cumsum(per_document) - per_document, per_document)
    sentences = pd.DataFrame({
        "doc_id": np.repeat(corpus["doc_id"].to_numpy(dtype=object), per_document),
        "sentence_id": np.arange(len(starts), dtype=np.int64) - starts + 1,
        "paragraph": np.asarray(found["paragraph"], dtype=np.int64),
        "sentence": found.pop("sentence"),
        "tokens": np.asarray(found["tokens"], dtype=np.int64),
    }, columns=SENTENCE_COLUMNS)
    dfm = dfm_from_counts(corpus, found)
    return ProcessedCorpus(corpus, sentences, dfm, tuple(warnings))
