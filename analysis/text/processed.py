"""The processed corpus: every document split into sentences, tokenised and counted once.

quanteda's pipeline, in one pass per document::

    corpus (cleaned text) -> sentences -> tokens -> features (stems) -> document-feature matrix

The sentence table made here is the one every measure reads (themes, speakers, tone, alignment,
topics, lengths): none of them splits or tokenises the text again, so a ``sentence_id`` means
the same sentence in every table. :func:`analysis.text.cache.load_processed` keeps the result on
disk, so the notebooks of one run do not each redo it.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..rules import SHIPPED, RuleSet
from .allocator import return_freed_memory
from .matrix import DocumentFeatureMatrix, dfm_from_counts, dfm_subset, document_counts

SENTENCE_COLUMNS = ["doc_id", "sentence_id", "paragraph", "start", "end", "sentence", "tokens",
                    "words"]


@dataclass(frozen=True)
class ProcessedCorpus:
    """A corpus with its sentence table and document-feature matrix.

    Attributes
    ----------
    corpus : pandas.DataFrame
        As returned by :func:`analysis.load_corpus`, one row per document.
    sentences : pandas.DataFrame
        One row per sentence, documents in corpus order: ``doc_id``, ``sentence_id`` (1-based
        within the document), ``paragraph`` (1-based, non-empty lines), ``start`` and ``end``
        (character span in the document's cleaned ``text``), ``sentence`` (as written),
        ``tokens`` (number of word tokens, stop words included) and ``words`` (those word
        tokens, normalised and lower-case, joined by single spaces: ``words.split()`` gives
        them back).
    dfm : DocumentFeatureMatrix
        Feature counts, one row per document (as :func:`analysis.document_feature_matrix`).
    warnings : tuple of str
        What loading the corpus warned about (files no manifest row names).
    rules : analysis.rules.RuleSet
        The rule files the corpus was cleaned and tokenised with; measures use the same.
    """

    corpus: pd.DataFrame
    sentences: pd.DataFrame
    dfm: DocumentFeatureMatrix
    warnings: tuple = ()
    rules: RuleSet = SHIPPED

    def select(self, rows):
        """The documents ``rows`` (boolean mask over ``corpus``), with their sentences and
        matrix rows (features no kept document uses are dropped)."""
        rows = np.asarray(rows, dtype=bool)
        corpus = self.corpus[rows].reset_index(drop=True)
        kept = set(corpus["doc_id"])
        sentences = self.sentences[self.sentences["doc_id"].isin(kept)].reset_index(drop=True)
        return ProcessedCorpus(corpus, sentences, dfm_subset(self.dfm, rows), self.warnings,
                               self.rules)

    def document_sentences(self):
        """(doc_id, text, its rows of the sentence table) for every document, in corpus order."""
        groups = dict(iter(self.sentences.groupby("doc_id", sort=False)))
        empty = self.sentences.iloc[0:0]
        for doc_id, text in zip(self.corpus["doc_id"], self.corpus["text"]):
            yield doc_id, text, groups.get(doc_id, empty)


def processed_corpus(corpus, n_jobs=1, warnings=(), rules=SHIPPED):
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
    rules : analysis.rules.RuleSet
        The rule files to apply (default: the shipped ones).

    Returns
    -------
    ProcessedCorpus
    """
    return_freed_memory()  # the peak of memory is the heap's leftovers otherwise
    found = document_counts(corpus["text"], n_jobs, rules)
    # The sentence table takes its columns out of ``found``, so that only the counts the
    # matrix needs are left when it is built (the peak of memory).
    per_document = np.asarray(found.pop("sentences_per_document"), dtype=np.int64)
    sentence_id = np.arange(1, per_document.sum() + 1, dtype=np.int64)
    sentence_id -= np.repeat(np.cumsum(per_document) - per_document, per_document)
    sentences = pd.DataFrame({
        "doc_id": np.repeat(corpus["doc_id"].to_numpy(dtype=object), per_document),
        "sentence_id": sentence_id,
        **{key: np.asarray(found.pop(key), dtype=np.int64) for key in ("paragraph", "start", "end")},
        "sentence": found.pop("sentence"),
        "tokens": np.asarray(found.pop("tokens"), dtype=np.int64),
        "words": found.pop("words"),
    }, columns=SENTENCE_COLUMNS)
    del sentence_id, per_document
    dfm = dfm_from_counts(corpus, found)
    return ProcessedCorpus(corpus, sentences, dfm, tuple(warnings), rules)


def as_processed(corpus):
    """``corpus`` as a :class:`ProcessedCorpus`: returned as it is if it is one; a corpus
    DataFrame (:func:`analysis.load_corpus`) is processed here with the shipped rules."""
    if isinstance(corpus, ProcessedCorpus):
        return corpus
    return processed_corpus(corpus)
