"""Rates per 1,000 tokens by group, with bootstrap intervals over sentences.

Shared by theme counts and tone word counts: both start from a table with one row per
sentence, its word tokens and one count column per category.
"""
import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..text.corpus import require_column

# Above this many sentences a group's interval is the normal approximation (delta method) of
# the ratio: with that many sentences it is as good as the bootstrap, and drawing thousands of
# resamples of a million sentences would take hours.
MAX_BOOTSTRAP = 50_000
_CELLS = 2_000_000  # resample weights held at once (memory)


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
        ``high``, ``documents``, ``sentences``, ``interval`` ("bootstrap", or "normal" for a
        group of more than :data:`MAX_BOOTSTRAP` sentences); groups sorted, categories in the
        given order.
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
        total = tokens.sum()
        if n <= MAX_BOOTSTRAP:
            method = "bootstrap"
            draws, step = [], max(1, min(256, _CELLS // max(n, 1)))
            for chunk in range(0, n_boot, step):  # weights in chunks: memory stays small
                weights = rng.multinomial(n, np.full(n, 1 / n), size=min(step, n_boot - chunk))
                with np.errstate(invalid="ignore", divide="ignore"):
                    draws.append(1000 * (weights @ counts) / (weights @ tokens)[:, None])
            draws = np.vstack(draws)
            low, high = np.nanpercentile(draws, [50 * (1 - level), 50 * (1 + level)], axis=0)
        else:
            method = "normal"
            low, high = _normal_interval(counts, tokens, level)
        for k, name in enumerate(names):
            rows.append({"group": group, "category": name, "label": categories[name],
                         "count": int(counts[:, k].sum()), "tokens": int(total),
                         "rate_per_1k": 1000 * counts[:, k].sum() / total if total else np.nan,
                         "low": low[k], "high": high[k],
                         "documents": part["doc_id"].nunique(), "sentences": n,
                         "interval": method})
    return pd.DataFrame(rows, columns=["group", "category", "label", "count", "tokens",
                                       "rate_per_1k", "low", "high", "documents", "sentences",
                                       "interval"])


def _normal_interval(counts, tokens, level):
    """The normal-approximation interval of pooled rates sum(c)/sum(t) x 1,000 over
    sentences (delta method for a ratio of sums), per category."""
    from scipy.stats import norm

    n, total = len(tokens), tokens.sum()
    rate = counts.sum(axis=0) / total
    residuals = counts - np.outer(tokens, rate)
    se = np.sqrt(n / (n - 1) * (residuals ** 2).sum(axis=0)) / total
    z = norm.ppf(0.5 + level / 2)
    return 1000 * np.maximum(rate - z * se, 0), 1000 * (rate + z * se)
