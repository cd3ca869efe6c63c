"""How alike documents are: cosine similarity of their TF-IDF vectors."""
import numpy as np
import pandas as pd
from sklearn.metrics.pairwise import cosine_similarity

from .dfm import document_feature_matrix


def document_similarity(corpus, min_df=1, max_df=1.0):
    """Cosine similarity of every pair of documents (TF-IDF, the project's tokens).

    Returns
    -------
    pandas.DataFrame
        Square, index and columns ``doc_id`` in corpus order; 1 on the diagonal.
    """
    dfm = document_feature_matrix(corpus, "tfidf", min_df=min_df, max_df=max_df)
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
