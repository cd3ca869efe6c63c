"""Which words distinguish one set of documents from another: weighted log-odds ratios with an
informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words").

For word w, sets i and j with counts y and totals n, and a prior alpha_w taken from background
counts (by default the two sets together) scaled to a total alpha_0 (``prior``)::

    delta_w = log((y_wi + a_w) / (n_i + a_0 - y_wi - a_w)) - log((y_wj + a_w) / (n_j + a_0 - y_wj - a_w))
    var_w  ~= 1 / (y_wi + a_w) + 1 / (y_wj + a_w)
    z_w     = delta_w / sqrt(var_w)

A positive z means w is more typical of set i. The prior shrinks words seen a few times towards
zero, so a word used once by one side does not top the list; |z| > 1.96 is the customary line,
though with many words some will pass it by chance.
"""
import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import ParameterError


def log_odds_dirichlet(counts_i, counts_j, background=None, prior=100.0):
    """Log-odds ratio, its standard error and z-score for every word.

    Parameters
    ----------
    counts_i, counts_j : array-like, shape (n_words,)
        Word counts of the two sets.
    background : array-like, shape (n_words,), optional
        Counts that shape the prior; default ``counts_i + counts_j``.
    prior : float, default 100
        alpha_0, the total weight of the prior in pseudo-counts.

    Returns
    -------
    delta, se, z : numpy.ndarray, shape (n_words,)
    """
    y_i = np.asarray(counts_i, dtype=float)
    y_j = np.asarray(counts_j, dtype=float)
    if y_i.shape != y_j.shape:
        raise ParameterError(f"counts of the two sets differ in length ({y_i.shape} vs {y_j.shape})")
    if not np.isfinite(prior) or prior <= 0:
        raise ParameterError(f"prior={prior!r}: use a positive number of pseudo-counts (e.g. 100)")
    background = y_i + y_j if background is None else np.asarray(background, dtype=float)
    if background.sum() <= 0:
        raise ParameterError("no word is counted in either set: nothing to compare")
    # a word absent from the background still gets a tiny prior, so every log is defined
    alpha = prior * (background + 1e-9) / (background + 1e-9).sum()
    n_i, n_j = y_i.sum(), y_j.sum()
    delta = (np.log((y_i + alpha) / (n_i + prior - y_i - alpha))
             - np.log((y_j + alpha) / (n_j + prior - y_j - alpha)))
    se = np.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))
    return delta, se, delta / se


def _summed(dfm, mask):
    return np.asarray(dfm.matrix[np.flatnonzero(mask)].sum(axis=0)).ravel()


def _check(dfm, by, min_count):
    if by not in dfm.docvars.columns:
        raise ParameterError(f"group_by={by!r} is not a manifest column; use one of "
                             f"{', '.join(sorted(dfm.docvars.columns))}")
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ParameterError(f"min_count={min_count!r}: use a whole number of at least 1")
    if sp.issparse(dfm.matrix) and dfm.matrix.dtype.kind == "f":
        raise ParameterError("log-odds need raw counts: build the matrix with weighting='count'")


def log_odds_by_group(dfm, by, prior=100.0, min_count=2):
    """Each group of ``by`` against all other documents.

    Parameters
    ----------
    dfm : analysis.DocumentFeatureMatrix
        Counts (``weighting="count"``).
    by : str
        Document variable that defines the groups (origin, source_type, outlet, ...).
    prior : float
        alpha_0 of the Dirichlet prior (background: the whole corpus).
    min_count : int
        Words counted fewer times in the whole corpus are left out.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``feature``, ``term`` (surface form), ``count_group``, ``count_rest``,
        ``delta``, ``se``, ``z``; within each group sorted by z, highest first (ties by term).
        A corpus with a single group gives an empty table (nothing to compare against).
    """
    _check(dfm, by, min_count)
    keys = dfm.docvars[by].astype(str).to_numpy()
    total = np.asarray(dfm.matrix.sum(axis=0)).ravel()
    keep = total >= min_count
    frames = []
    for group in sorted(set(keys)):
        inside = keys == group
        if inside.all():
            continue
        y_group, y_rest = _summed(dfm, inside), _summed(dfm, ~inside)
        delta, se, z = log_odds_dirichlet(y_group[keep], y_rest[keep], total[keep], prior)
        frames.append(pd.DataFrame({
            "group": group, "feature": dfm.features["feature"].to_numpy()[keep],
            "term": dfm.features["surface"].to_numpy()[keep], "count_group": y_group[keep],
            "count_rest": y_rest[keep], "delta": delta, "se": se, "z": z}))
    columns = ["group", "feature", "term", "count_group", "count_rest", "delta", "se", "z"]
    if not frames:
        return pd.DataFrame(columns=columns)
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["group", "z", "term"], ascending=[True, False, True]).reset_index(drop=True)


def log_odds_between(dfm, by, value_a, value_b, prior=100.0, min_count=2):
    """Words typical of ``value_b`` rather than ``value_a`` (positive z: more typical of b).

    Parameters
    ----------
    dfm : analysis.DocumentFeatureMatrix
        Counts.
    by : str
        Document variable, e.g. ``"year"``.
    value_a, value_b
        The two values compared (compared as text, so 2025 and "2025" are the same).

    Returns
    -------
    pandas.DataFrame
        ``feature``, ``term``, ``count_a``, ``count_b``, ``delta``, ``se``, ``z``; sorted by z
        (highest first, ties by term). The prior's background is the two sets together.
    """
    _check(dfm, by, min_count)
    keys = dfm.docvars[by].astype(str).to_numpy()
    a, b = str(value_a), str(value_b)
    for value, name in ((a, "a"), (b, "b")):
        if value not in set(keys):
            raise ParameterError(f"{by}={value!r} (set {name}) has no documents; the corpus has "
                                 f"{', '.join(sorted(set(keys)))}")
    if a == b:
        raise ParameterError(f"compare two different values of {by}, not {a!r} with itself")
    y_a, y_b = _summed(dfm, keys == a), _summed(dfm, keys == b)
    keep = (y_a + y_b) >= min_count
    delta, se, z = log_odds_dirichlet(y_b[keep], y_a[keep], None, prior)
    table = pd.DataFrame({"feature": dfm.features["feature"].to_numpy()[keep],
                          "term": dfm.features["surface"].to_numpy()[keep],
                          "count_a": y_a[keep], "count_b": y_b[keep], "delta": delta, "se": se, "z": z})
    return table.sort_values(["z", "term"], ascending=[False, True]).reset_index(drop=True)


def year_shift(dfm, year_a, year_b, prior=100.0, min_count=2):
    """Terms rising and falling from ``year_a`` to ``year_b`` (positive z: more typical of
    ``year_b``), as :func:`log_odds_between` on ``year``, with the years as columns.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``year_a``, ``year_b``, ``count_a``, ``count_b``, ``delta``, ``se``, ``z``,
        ``feature``.
    """
    shift = log_odds_between(dfm, "year", year_a, year_b, prior=prior, min_count=min_count)
    return shift.assign(year_a=year_a, year_b=year_b)[
        ["term", "year_a", "year_b", "count_a", "count_b", "delta", "se", "z", "feature"]]
