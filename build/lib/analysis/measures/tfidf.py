"""Distinctive terms by TF-IDF: per document, and per year (or any grouping) two ways.

A group's terms can be scored as
- ``"mean"``: the mean of its documents' TF-IDF vectors (IDF over documents): favours words that
  stand out in single documents, each document weighing the same whatever its length;
- ``"pseudo"``: TF-IDF of the group as one pseudo-document (IDF over groups): favours words used
  in this group and not in others; with two groups, a word used in both gets the lowest IDF.
Where the two disagree, the difference says whether a term is typical of the group or of one
document in it.
"""
import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..text.matrix import dfm_group, dfm_weight
from ..text.processed import as_processed


def _top_rows(matrix, features, keys, n, key_name):
    dense = matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)
    rows = []
    for key, values in zip(keys, dense):
        order = sorted((i for i in np.flatnonzero(values > 0)),
                       key=lambda i: (-values[i], features["surface"].iat[i]))[:n]
        rows += [{key_name: key, "rank": r, "feature": features["feature"].iat[i],
                  "term": features["surface"].iat[i], "score": values[i]}
                 for r, i in enumerate(order, start=1)]
    return pd.DataFrame(rows, columns=[key_name, "rank", "feature", "term", "score"])


def top_terms_per_document(processed, n=10, min_df=1, max_df=1.0):
    """Top ``n`` TF-IDF terms of each document (L2-normalised rows, smooth IDF).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``rank``, ``feature``, ``term``, ``score``.
    """
    _check_n(n)
    dfm = dfm_weight(as_processed(processed).dfm, "tfidf", min_df=min_df, max_df=max_df)
    return _top_rows(dfm.matrix, dfm.features, dfm.docvars["doc_id"], n, "doc_id")


def top_terms_per_group(processed, by="year", n=10, method="mean", min_df=1, max_df=1.0):
    """Top ``n`` terms of each value of ``by``, scored by ``method`` ("mean" or "pseudo").

    The vocabulary is pruned over documents (``min_df``, ``max_df``) for both methods.

    Returns
    -------
    pandas.DataFrame
        ``by``, ``rank``, ``feature``, ``term``, ``score``, ``method``; groups sorted.
    """
    _check_n(n)
    processed = as_processed(processed)
    corpus = processed.corpus
    if by not in corpus.columns:
        raise ParameterError(f"{by!r} is not a column of the corpus")
    keys = corpus[by].astype(str)
    groups = sorted(keys.unique())
    # Both methods use the vocabulary pruned over documents, so they rank the same words.
    dfm = dfm_weight(processed.dfm, "tfidf", min_df=min_df, max_df=max_df)
    if method == "mean":
        means = np.vstack([np.asarray(dfm.matrix[np.flatnonzero(keys.to_numpy() == g)].mean(axis=0))
                           for g in groups])
        table = _top_rows(means, dfm.features, groups, n, by)
    elif method == "pseudo":
        grouped = dfm_weight(dfm_group(processed.dfm, by, vocabulary=list(dfm.features["feature"])),
                             "tfidf")
        table = _top_rows(grouped.matrix, dfm.features, groups, n, by)
    else:
        raise ParameterError(f"method={method!r}: use 'mean' (of document TF-IDF) or 'pseudo' "
                             f"(the group as one document)")
    return table.assign(method=method)


def method_agreement(mean_terms, pseudo_terms, by="year"):
    """Per group, how many of the top terms the two methods share (Jaccard index).

    Returns
    -------
    pandas.DataFrame
        ``by``, ``shared``, ``only_mean``, ``only_pseudo`` (terms joined by ", "), ``jaccard``.
    """
    rows = []
    for group in sorted(set(mean_terms[by]) | set(pseudo_terms[by])):
        a = set(mean_terms.loc[mean_terms[by] == group, "term"])
        b = set(pseudo_terms.loc[pseudo_terms[by] == group, "term"])
        rows.append({by: group, "shared": ", ".join(sorted(a & b)),
                     "only_mean": ", ".join(sorted(a - b)), "only_pseudo": ", ".join(sorted(b - a)),
                     "jaccard": len(a & b) / len(a | b) if a | b else 1.0})
    return pd.DataFrame(rows)


def _check_n(n):
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"top_n={n!r}: use a whole number of at least 1")


def agreement_markdown(agreement, years):
    """What :func:`method_agreement` says, in a sentence or two (Markdown)."""
    text = ""
    if len(years) == 1:
        text += ("**One year only**: IDF over years is the same for every word, so the pseudo-document "
                 "ranking is plain term frequency. ")
    if (agreement["jaccard"] < 1).any():
        return text + ("**The two methods disagree** on some terms: words only under *mean* stand out in one "
                       "document of the year; words only under *pseudo* are spread over the year's documents but "
                       "absent from other years.")
    return text + "The two methods agree on every year's top terms."
