"""Rates per 1,000 tokens by group, with bootstrap intervals over sentences.

Shared by theme counts and tone word counts: both start from a table with one row per
sentence, its word tokens and one count column per category.
"""
import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..text.corpus import require_column


def bootstrap_rates(sentence_counts, categories, corpus, group_by, n_boot=2000, seed=0,
                    level=0.95):
    """Pooled rate per group and category, with a percentile interval.

    Each group's sentences are resampled with replacement ``n_boot`` times (a fixed ``seed``
    gives the same intervals); the interval is the percentile interval of the pooled rate
    (sum of counts / sum of tokens x 1,000). It shows how much the rate depends on which
    sentences these documents happen to contain, not how the groups write in general.

    Parameters
    ----------
    sentence_counts : pandas.DataFrame
        One row per sentence: ``doc_id``, ``tokens`` and one count column per category.
    categories : dict
        Count column -> readable label, in display order.
    corpus : pandas.DataFrame
        Gives each document's group.
    group_by : str
        Document variable.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``category``, ``label``, ``count``, ``tokens``, ``rate_per_1k``, ``low``,
        ``high``, ``documents``, ``sentences``; groups sorted, categories in the given order.
    """
    require_column(corpus, group_by)
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ParameterError(f"n_boot={n_boot!r}: use a whole number of resamples, at least 1 "
                             f"(1000-5000 is usual)")
    if not 0 < level < 1:
        raise ParameterError(f"level={level!r}: use a coverage between 0 and 1, e.g. 0.95")
    names = list(categories)
    groups = corpus.set_index("doc_id")[group_by].astype(str)
    table = sentence_counts.assign(group=sentence_counts["doc_id"].map(groups))
    rng = np.random.default_rng(seed)
    rows = []
    for group in sorted(table["group"].unique()):
        part = table[table["group"] == group]
        counts, tokens = part[names].to_numpy(float), part["tokens"].to_numpy(float)
        n = len(part)
        draws = []
        for chunk in range(0, n_boot, 256):  # weights in chunks: memory stays small
            weights = rng.multinomial(n, np.full(n, 1 / n), size=min(256, n_boot - chunk))
            with np.errstate(invalid="ignore", divide="ignore"):
                draws.append(1000 * (weights @ counts) / (weights @ tokens)[:, None])
        draws = np.vstack(draws)
        low, high = np.nanpercentile(draws, [50 * (1 - level), 50 * (1 + level)], axis=0)
        total = tokens.sum()
        for k, name in enumerate(names):
            rows.append({"group": group, "category": name, "label": categories[name],
                         "count": int(counts[:, k].sum()), "tokens": int(total),
                         "rate_per_1k": 1000 * counts[:, k].sum() / total if total else np.nan,
                         "low": low[k], "high": high[k],
                         "documents": part["doc_id"].nunique(), "sentences": n})
    return pd.DataFrame(rows, columns=["group", "category", "label", "count", "tokens",
                                       "rate_per_1k", "low", "high", "documents", "sentences"])
