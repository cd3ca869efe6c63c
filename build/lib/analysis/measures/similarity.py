"""How alike documents are: cosine similarity of their TF-IDF vectors."""
import numpy as np
import pandas as pd
from sklearn.metrics.pairwise import cosine_similarity

from ..text.matrix import dfm_weight
from ..text.processed import as_processed
from .describe import document_labels


def document_similarity(processed, min_df=1, max_df=1.0):
    """Cosine similarity of every pair of documents (TF-IDF, the project's tokens).

    Returns
    -------
    pandas.DataFrame
        Square, index and columns ``doc_id`` in corpus order; 1 on the diagonal.
    """
    dfm = dfm_weight(as_processed(processed).dfm, "tfidf", min_df=min_df, max_df=max_df)
    ids = list(dfm.docvars["doc_id"])
    return pd.DataFrame(cosine_similarity(dfm.matrix), index=ids, columns=ids)


def similarity_pairs(similarity, corpus, by="event"):
    """Every pair of distinct documents with its similarity and whether they share ``by``.

    Returns
    -------
    pandas.DataFrame
        ``doc_a``, ``doc_b``, ``similarity``, ``same`` (bool: same value of ``by``);
        sorted by similarity, highest first.
    """
    keys = corpus.set_index("doc_id")[by].astype(str)
    ids = list(similarity.index)
    rows = [{"doc_a": a, "doc_b": b, "similarity": similarity.at[a, b], "same": keys[a] == keys[b]}
            for i, a in enumerate(ids) for b in ids[i + 1:]]
    table = pd.DataFrame(rows, columns=["doc_a", "doc_b", "similarity", "same"])
    return table.sort_values(["similarity", "doc_a", "doc_b"], ascending=[False, True, True],
                             ignore_index=True)


def similarity_summary(pairs):
    """Mean similarity of pairs that share the grouping and of pairs that do not.

    Returns
    -------
    dict
        ``same_mean``, ``other_mean`` (NaN where there is no such pair), ``same_pairs``,
        ``other_pairs``.
    """
    same, other = pairs[pairs["same"]], pairs[~pairs["same"]]
    return {"same_mean": float(same["similarity"].mean()) if len(same) else np.nan,
            "other_mean": float(other["similarity"].mean()) if len(other) else np.nan,
            "same_pairs": len(same), "other_pairs": len(other)}


def same_event_markdown(summary):
    """One sentence saying whether same-event documents are closer (from
    :func:`similarity_summary`)."""
    if summary["same_pairs"] == 0:
        return "**No event is told by two or more documents**, so same-event similarity cannot be compared."
    closer = "closer" if summary["same_mean"] > summary["other_mean"] else "not closer"
    return (f"Documents about the same event are **{closer}** on average: mean similarity "
            f"{summary['same_mean']:.2f} over {summary['same_pairs']} same-event pairs, "
            f"{summary['other_mean']:.2f} over {summary['other_pairs']} other pairs.")


def runs(keys, min_length=1):
    """(first, last) positions of each run of equal consecutive ``keys`` at least
    ``min_length`` long: the blocks a heatmap outlines."""
    keys = list(keys)
    blocks, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start >= min_length:
                blocks.append((start, i - 1))
            start = i
    return blocks


def similarity_table(similarity, corpus, group_by, max_listed=40):
    """What a similarity heatmap shows: documents (up to ``max_listed``, ordered by event
    date and event, the diagonal blank, documents of one event outlined) or the mean
    similarity between the documents of each pair of groups of ``group_by``.

    Returns
    -------
    table : pandas.DataFrame
        Square; index and columns document labels or groups.
    blocks : list of (int, int)
        Positions of the same-event blocks to outline (documents only).
    what : str
        "document" or ``group_by``.
    """
    if len(corpus) <= max_listed:
        order = corpus.assign(label=document_labels(corpus)).sort_values(
            ["event_date", "event", "label"])
        square = similarity.loc[order["doc_id"], order["doc_id"]].copy()
        square.index = square.columns = list(order["label"])
        for i in range(len(square)):
            square.iat[i, i] = np.nan  # a document with itself: left blank
        return square, runs(order["event"], min_length=2), "document"
    keys = corpus.set_index("doc_id")[group_by].astype(str)
    long = similarity.stack().rename("similarity").reset_index()
    long.columns = ["doc_a", "doc_b", "similarity"]
    long = long[long["doc_a"] != long["doc_b"]]
    square = long.assign(a=long["doc_a"].map(keys), b=long["doc_b"].map(keys)).pivot_table(
        index="a", columns="b", values="similarity", aggfunc="mean")
    return square, [], group_by
