"""How alike documents are: cosine similarity of their TF-IDF vectors, at any corpus size.

Nothing here builds the documents x documents matrix unless asked for a few documents: mean
similarities between groups come from the groups' summed vectors (for unit vectors, the sum of
all pairwise cosines within a group is ``|sum|^2 - n``), and the most similar pairs from sparse
products a block of documents at a time.
"""
import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import ParameterError
from ..text.matrix import dfm_weight
from ..text.processed import as_processed
from .describe import document_labels

BLOCK = 512  # documents per block of the sparse products: memory grows with BLOCK x N


def unit_vectors(processed, min_df=1, max_df=1.0):
    """The documents' TF-IDF vectors, L2-normalised (rows of a sparse matrix, corpus order)."""
    return dfm_weight(as_processed(processed).dfm, "tfidf", min_df=min_df, max_df=max_df).matrix


def document_similarity(processed, min_df=1, max_df=1.0, max_documents=2000):
    """Cosine similarity of every pair of documents, as a square table (for few documents).

    Raises
    ------
    ParameterError
        More than ``max_documents`` documents: use :func:`nearest_pairs` and
        :func:`group_similarity`, which do not build the square.
    """
    processed = as_processed(processed)
    ids = list(processed.corpus["doc_id"])
    if len(ids) > max_documents:
        raise ParameterError(f"{len(ids)} documents: a {len(ids)} x {len(ids)} similarity table would "
                             f"not fit; use nearest_pairs and group_similarity")
    vectors = unit_vectors(processed, min_df, max_df)
    return pd.DataFrame((vectors @ vectors.T).toarray(), index=ids, columns=ids)


def _pairs_from_square(similarity, corpus, by):
    keys = corpus.set_index("doc_id")[by].astype(str)
    ids = list(similarity.index)
    rows = [{"doc_a": a, "doc_b": b, "similarity": similarity.at[a, b], "same": keys[a] == keys[b]}
            for i, a in enumerate(ids) for b in ids[i + 1:]]
    return pd.DataFrame(rows, columns=["doc_a", "doc_b", "similarity", "same"])


def nearest_pairs(processed, by="event", k=5, min_df=1, max_df=1.0, all_up_to=40):
    """The most similar pairs of documents: every pair for up to ``all_up_to`` documents,
    else each document's ``k`` nearest others (a pair listed once).

    Returns
    -------
    pandas.DataFrame
        ``doc_a``, ``doc_b``, ``similarity``, ``same`` (bool: same value of ``by``); sorted by
        similarity, highest first, ties by the documents' ids.
    """
    processed = as_processed(processed)
    corpus = processed.corpus
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ParameterError(f"k={k!r}: use a whole number of neighbours, at least 1")
    vectors = unit_vectors(processed, min_df, max_df)
    ids = corpus["doc_id"].to_numpy()
    if len(ids) <= all_up_to:
        table = _pairs_from_square(pd.DataFrame((vectors @ vectors.T).toarray(), index=ids, columns=ids),
                                   corpus, by)
    else:
        keys = corpus[by].astype(str).to_numpy()
        found = {}
        transposed = vectors.T.tocsc()
        for start in range(0, len(ids), BLOCK):
            block = (vectors[start:start + BLOCK] @ transposed).toarray()
            for row in range(block.shape[0]):
                block[row, start + row] = -np.inf  # not a document with itself
            top = np.argpartition(-block, min(k, len(ids) - 1) - 1, axis=1)[:, :k]
            for row, others in enumerate(top):
                a = start + row
                for b in others:
                    pair = (min(a, b), max(a, b))
                    found[pair] = float(block[row, b])
        table = pd.DataFrame([{"doc_a": ids[a], "doc_b": ids[b], "similarity": s, "same": keys[a] == keys[b]}
                              for (a, b), s in found.items()], columns=["doc_a", "doc_b", "similarity", "same"])
    return table.sort_values(["similarity", "doc_a", "doc_b"], ascending=[False, True, True],
                             ignore_index=True)


def _group_sums(vectors, keys):
    groups = sorted(set(keys))
    position = {g: i for i, g in enumerate(groups)}
    indicator = sp.csr_matrix((np.ones(len(keys)), ([position[k] for k in keys], np.arange(len(keys)))),
                              shape=(len(groups), len(keys)))
    nonzero = np.asarray(indicator @ (np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel() > 0))
    sums = indicator @ vectors
    return groups, (sums @ sums.T).toarray(), np.asarray(indicator.sum(axis=1)).ravel(), nonzero.ravel()


def group_similarity(processed, by, min_df=1, max_df=1.0):
    """Mean cosine similarity between the documents of each pair of groups of ``by`` (and,
    on the diagonal, between different documents of the same group), without comparing every
    pair of documents.

    Returns
    -------
    pandas.DataFrame
        Square, index and columns the sorted groups; NaN on the diagonal of a group with one
        document.
    """
    processed = as_processed(processed)
    vectors = unit_vectors(processed, min_df, max_df)
    groups, dots, sizes, nonzero = _group_sums(vectors, processed.corpus[by].astype(str).to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = dots / np.outer(sizes, sizes)
        within = (np.diag(dots) - nonzero) / (sizes * (sizes - 1))
    mean[np.diag_indices_from(mean)] = np.where(sizes > 1, within, np.nan)
    return pd.DataFrame(mean, index=pd.Index(groups, name="a"), columns=pd.Index(groups, name="b"))


def similarity_summary(processed, by="event", min_df=1, max_df=1.0):
    """Mean similarity of pairs that share ``by`` and of pairs that do not (all pairs counted,
    none listed).

    Returns
    -------
    dict
        ``same_mean``, ``other_mean`` (NaN where there is no such pair), ``same_pairs``,
        ``other_pairs``.
    """
    processed = as_processed(processed)
    vectors = unit_vectors(processed, min_df, max_df)
    groups, dots, sizes, nonzero = _group_sums(vectors, processed.corpus[by].astype(str).to_numpy())
    same_pairs = int((sizes * (sizes - 1) / 2).sum())
    n = int(sizes.sum())
    all_pairs = n * (n - 1) // 2
    same_sum = float((np.diag(dots) - nonzero).sum() / 2)
    all_sum = float((dots.sum() - nonzero.sum()) / 2)
    other_pairs = all_pairs - same_pairs
    return {"same_mean": same_sum / same_pairs if same_pairs else np.nan,
            "other_mean": (all_sum - same_sum) / other_pairs if other_pairs else np.nan,
            "same_pairs": same_pairs, "other_pairs": other_pairs}


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


def similarity_table(processed, group_by, max_listed=40, min_df=1, max_df=1.0):
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
    processed = as_processed(processed)
    corpus = processed.corpus
    if len(corpus) <= max_listed:
        similarity = document_similarity(processed, min_df, max_df)
        order = corpus.assign(label=document_labels(corpus)).sort_values(
            ["event_date", "event", "label"])
        square = similarity.loc[order["doc_id"], order["doc_id"]].copy()
        square.index = square.columns = list(order["label"])
        for i in range(len(square)):
            square.iat[i, i] = np.nan  # a document with itself: left blank
        return square, runs(order["event"], min_length=2), "document"
    square = group_similarity(processed, group_by, min_df, max_df)
    square.index.name, square.columns.name = "a", "b"
    return square, [], group_by
