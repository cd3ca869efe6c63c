"""Describe a corpus: per-document sizes, readable labels, and a one-paragraph summary."""
import pandas as pd

from .sentences import sentences
from .tokens import tokenize, word_tokens


def document_labels(corpus):
    """A short readable label per document: "outlet · YYYY-MM-DD" (doc_id added if needed).

    Returns
    -------
    pandas.Series
        Indexed like ``corpus``; labels are unique.
    """
    outlets = corpus["outlet"].where(corpus["outlet"].str.len() <= 30,
                                     corpus["outlet"].str.slice(0, 29) + "…")
    labels = outlets + " · " + corpus["event_date"].dt.strftime("%Y-%m-%d")
    duplicated = labels.duplicated(keep=False)
    return labels.where(~duplicated, labels + " (" + corpus["doc_id"] + ")")


def document_sizes(corpus):
    """Sentences, words and counted features per document.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``label``, ``sentences``, ``words`` (word tokens, stop words
        included), ``features`` (tokens counted after stop words), ``characters`` (cleaned).
    """
    return pd.DataFrame({
        "doc_id": corpus["doc_id"],
        "label": document_labels(corpus),
        "sentences": [len(sentences(t)) for t in corpus["text"]],
        "words": [len(word_tokens(t)) for t in corpus["text"]],
        "features": [len(tokenize(t)) for t in corpus["text"]],
        "characters": corpus["text"].str.len(),
    })


def corpus_summary(corpus):
    """Key facts of the corpus as a dict (documents, date range, years, outlets, origins)."""
    return {
        "documents": int(len(corpus)),
        "first_event": corpus["event_date"].min().strftime("%Y-%m-%d"),
        "last_event": corpus["event_date"].max().strftime("%Y-%m-%d"),
        "years": sorted(int(y) for y in corpus["year"].unique()),
        "events": int(corpus["event"].nunique()),
        "outlets": sorted(corpus["outlet"].unique()),
        "origins": sorted(corpus["origin"].unique()),
        "source_types": sorted(corpus["source_type"].unique()),
    }
