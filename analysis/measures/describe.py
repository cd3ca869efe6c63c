"""Describe a corpus: per-document sizes, readable labels, events, and a one-paragraph summary."""
import pandas as pd

from ..text.processed import as_processed


def document_labels(corpus, max_outlet=30):
    """A short readable label per document: "outlet · YYYY-MM-DD" (doc_id added if needed).

    Parameters
    ----------
    max_outlet : int or None
        Outlet names longer than this are shortened with "…" (for axis labels); None keeps
        them whole (for text a reader reads).

    Returns
    -------
    pandas.Series
        Indexed like ``corpus``; labels are unique.
    """
    outlets = corpus["outlet"]
    if max_outlet is not None:
        outlets = outlets.where(outlets.str.len() <= max_outlet, outlets.str.slice(0, max_outlet - 1) + "…")
    labels = outlets + " · " + corpus["event_date"].dt.strftime("%Y-%m-%d")
    duplicated = labels.duplicated(keep=False)
    return labels.where(~duplicated, labels + " (" + corpus["doc_id"] + ")")


def document_sizes(processed):
    """Sentences, words and counted features per document, from the sentence table.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``label``, ``sentences``, ``words`` (word tokens, stop words
        included, summed over the document's sentences), ``features`` (tokens counted after
        stop words: the row sum of the document-feature matrix), ``characters`` (cleaned).
    """
    processed = as_processed(processed)
    corpus = processed.corpus
    per_doc = processed.sentences.groupby("doc_id", sort=False).agg(
        sentences=("sentence_id", "size"), words=("tokens", "sum"))
    per_doc = per_doc.reindex(corpus["doc_id"], fill_value=0)
    return pd.DataFrame({
        "doc_id": corpus["doc_id"],
        "label": document_labels(corpus),
        "sentences": per_doc["sentences"].to_numpy(),
        "words": per_doc["words"].to_numpy(),
        "features": processed.dfm.matrix.sum(axis=1).A1.astype(int),
        "characters": corpus["text"].str.len(),
    })


def documents_table(processed):
    """One row per document: its manifest labels, dates (as text) and sizes."""
    processed = as_processed(processed)
    corpus = processed.corpus
    sizes = document_sizes(processed)
    documents = corpus[["doc_id", "outlet", "origin", "source_type", "event", "event_date",
                        "published"]].merge(sizes.drop(columns="label"), on="doc_id")
    documents["event_date"] = documents["event_date"].dt.strftime("%Y-%m-%d")
    documents["published"] = documents["published"].dt.strftime("%Y-%m-%d").fillna("")
    return documents


def documents_per_date(corpus, group_by="origin"):
    """Documents per event date and group (what a timeline draws).

    Returns
    -------
    pandas.DataFrame
        ``event_date``, ``group``, ``documents``, ``doc_ids`` (joined with "; "); sorted.
    """
    return (corpus.assign(group=corpus[group_by].astype(str))
            .groupby(["event_date", "group"], sort=True)["doc_id"]
            .agg(documents="count", doc_ids=lambda ids: "; ".join(sorted(ids)))
            .reset_index())


def events_told(corpus):
    """Every event with its documents: ``event``, ``documents``, ``doc_ids``; sorted by event."""
    told = corpus.groupby("event")["doc_id"].agg(["count", lambda ids: "; ".join(ids)])
    told.columns = ["documents", "doc_ids"]
    return told


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
