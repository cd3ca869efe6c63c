"""Which words separate two groups of documents, term by term: the tables behind the term chart.

In the spirit of scattertext (Kessler 2017): every counted term is placed by how often one
group uses it against how often the other does, and coloured by how typical it is of either
(the log-odds z-score with an informative Dirichlet prior, :mod:`analysis.measures.keyness`).
Choosing a term shows sentences of both groups that use it, so a position can be read back to
the text. Both tables come from the corpus's counts and sentence table; nothing is re-split.
"""
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..text.corpus import require_column
from ..text.processed import as_processed
from ..text.tokens import features_of_words
from .describe import document_labels
from .keyness import log_odds_dirichlet

TERM_COLUMNS = ["group_a", "group_b", "feature", "term", "count_a", "count_b", "per_1k_a", "per_1k_b", "z",
                "typical_of", "x", "y"]
SENTENCE_COLUMNS = ["feature", "side", "group", "doc_id", "sentence_id", "sentence"]


def compared_groups(corpus, by, a=None, b=None):
    """The two sides of a comparison on column ``by``: ``a`` and ``b`` as given, or by default
    the two values with most documents (ties by name). ``b="rest"`` compares ``a`` with every
    other document.

    Returns
    -------
    (str, str or None, str)
        ``a``; ``b`` (None for "the rest"); the label of side b ("not <a>" for the rest).

    Raises
    ------
    ParameterError
        ``by`` is not a column, a value has no documents, the two sides are the same, or the
        corpus has a single value of ``by`` (nothing to compare).
    """
    require_column(corpus, by)
    values = corpus[by].astype(str)
    counts = values.value_counts()
    ranked = sorted(counts.index, key=lambda v: (-counts[v], v))
    if len(ranked) < 2:
        raise ParameterError(f"{by}: every document has the value {ranked[0]!r} if any; a term "
                             "chart needs two groups (choose another column)")
    a = ranked[0] if a is None else str(a)
    if a not in counts:
        raise ParameterError(f"compare_a={a!r}: no document has {by} = {a!r}; the corpus has "
                             f"{', '.join(ranked[:20])}")
    if b is not None and str(b) == "rest":
        return a, None, f"not {a}"
    b = next(v for v in ranked if v != a) if b is None else str(b)
    if b not in counts:
        raise ParameterError(f"compare_b={b!r}: no document has {by} = {b!r}; the corpus has "
                             f"{', '.join(ranked[:20])} (or use \"rest\")")
    if a == b:
        raise ParameterError(f"compare_a and compare_b are both {a!r}: compare two different values")
    return a, b, b


def _sides(processed, by, a, b):
    keys = processed.dfm.docvars[by].astype(str).to_numpy()
    in_a = keys == a
    in_b = ~in_a if b is None else keys == b
    return in_a, in_b


def _scaled_rank(counts):
    """Dense rank of ``counts`` scaled to 0-1 (0: never used; 1: the most used), as
    scattertext places terms: equal counts share a place."""
    ranks = pd.Series(counts).rank(method="dense").to_numpy(dtype=float, copy=True)
    ranks[np.asarray(counts) == 0] = 0
    top = ranks.max()
    return ranks / top if top > 0 else ranks


def term_frequencies(processed, by, a, b=None, prior=100.0, min_count=2, max_terms=2000):
    """Each term's counts in two groups, its rates and how typical it is of either.

    Parameters
    ----------
    processed : ProcessedCorpus
    by : str
        Document variable that defines the groups.
    a, b : str
        The two values compared; ``b=None`` compares ``a`` with every other document.
    prior : float
        alpha_0 of the Dirichlet prior (background: the two sides together).
    min_count : int
        Terms counted fewer times in the two sides together are left out.
    max_terms : int
        Keep the most frequent terms (ties by term), so a large corpus gives a chart that
        still opens quickly.

    Returns
    -------
    pandas.DataFrame
        One row per term, most frequent first: ``group_a`` and ``group_b`` (the two sides'
        labels; "not <a>" for the rest), ``feature``, ``term`` (surface form),
        ``count_a``, ``count_b``, ``per_1k_a``, ``per_1k_b`` (per 1,000 word tokens of the
        side, stop words included), ``z`` (positive: typical of a), ``typical_of`` (the label
        of side a or b, or "" when |z| < 1.96), ``x`` and ``y`` (dense frequency rank in b and a, 0-1).
    """
    processed = as_processed(processed)
    if not isinstance(max_terms, (int, np.integer)) or isinstance(max_terms, bool) or max_terms < 1:
        raise ParameterError(f"max_terms={max_terms!r}: give a whole number of terms, at least 1")
    if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
        raise ParameterError(f"min_count={min_count!r}: use a whole number of at least 1")
    in_a, in_b = _sides(processed, by, a, b)
    matrix = processed.dfm.matrix
    y_a = np.asarray(matrix[np.flatnonzero(in_a)].sum(axis=0)).ravel().astype(float)
    y_b = np.asarray(matrix[np.flatnonzero(in_b)].sum(axis=0)).ravel().astype(float)
    keep = (y_a + y_b) >= min_count
    if not keep.any():
        return pd.DataFrame(columns=TERM_COLUMNS)
    _, _, z = log_odds_dirichlet(y_a[keep], y_b[keep], None, prior)
    tokens = processed.sentences.groupby("doc_id", sort=False)["tokens"].sum()
    doc_tokens = processed.corpus["doc_id"].map(tokens).fillna(0).to_numpy(float)
    n_a, n_b = doc_tokens[in_a].sum(), doc_tokens[in_b].sum()
    table = pd.DataFrame({
        "feature": processed.dfm.features["feature"].to_numpy()[keep],
        "term": processed.dfm.features["surface"].to_numpy()[keep],
        "count_a": y_a[keep].astype(np.int64), "count_b": y_b[keep].astype(np.int64),
        "per_1k_a": 1000 * y_a[keep] / n_a if n_a else 0.0,
        "per_1k_b": 1000 * y_b[keep] / n_b if n_b else 0.0,
        "z": z,
    })
    label_b = f"not {a}" if b is None else b
    table["typical_of"] = np.where(table["z"] >= 1.96, a, np.where(table["z"] <= -1.96, label_b, ""))
    table.insert(0, "group_b", label_b)
    table.insert(0, "group_a", a)
    total = table["count_a"] + table["count_b"]
    table = (table.assign(_total=total).sort_values(["_total", "term"], ascending=[False, True])
             .head(max_terms).drop(columns="_total").reset_index(drop=True))
    table["x"] = _scaled_rank(table["count_b"].to_numpy())
    table["y"] = _scaled_rank(table["count_a"].to_numpy())
    return table[TERM_COLUMNS]


def term_sentences(processed, features, by, a, b=None, per_side=5):
    """Sentences of each side that use each feature: the evidence behind a point of the chart.

    Parameters
    ----------
    features : iterable of str
        Features (stems) as in :func:`term_frequencies`'s ``feature`` column.
    per_side : int
        At most this many sentences per feature and side, the first in corpus order.

    Returns
    -------
    pandas.DataFrame
        ``feature``, ``side`` ("a" or "b"), ``group`` (the document's value of ``by``),
        ``doc_id``, ``sentence_id``, ``sentence`` (whole, as written); by feature, side and
        corpus order.
    """
    processed = as_processed(processed)
    if not isinstance(per_side, (int, np.integer)) or isinstance(per_side, bool) or per_side < 1:
        raise ParameterError(f"per_side={per_side!r}: give a whole number of sentences, at least 1")
    wanted = set(features)
    in_a, in_b = _sides(processed, by, a, b)
    side_of = dict(zip(processed.corpus["doc_id"], np.where(in_a, "a", np.where(in_b, "b", ""))))
    group_of = dict(zip(processed.corpus["doc_id"], processed.corpus[by].astype(str)))
    found, full = defaultdict(list), set()
    sentences = processed.sentences
    rules = processed.rules
    for doc_id, sentence_id, sentence, words in zip(sentences["doc_id"], sentences["sentence_id"],
                                                    sentences["sentence"], sentences["words"]):
        side = side_of.get(doc_id, "")
        if not side:
            continue
        for feature in dict.fromkeys(features_of_words(words.split(), rules)):
            if feature in wanted and (feature, side) not in full:
                rows = found[(feature, side)]
                rows.append((feature, side, group_of[doc_id], doc_id, sentence_id, sentence))
                if len(rows) >= per_side:
                    full.add((feature, side))
    rows = [row for key in sorted(found) for row in found[key]]
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def find_term(table, term=None):
    """The row of ``table`` for ``term`` (its written form or its feature, any case); with
    ``term=None``, the term most typical of side a.

    Raises
    ------
    ParameterError
        ``term`` is not among the chart's terms (a few that are, most frequent first).
    """
    if table.empty:
        raise ParameterError("the term chart has no terms (no term is used twice by the two groups)")
    if term is None:
        return table.sort_values(["z", "term"], ascending=[False, True]).iloc[0]
    wanted = str(term).strip().lower()
    hit = table[(table["term"].str.lower() == wanted) | (table["feature"] == wanted)]
    if hit.empty:
        hit = table[table["feature"].isin(features_of_words([wanted]))]
    if hit.empty:
        raise ParameterError(f"chart_term={term!r} is not among the chart's {len(table)} terms (e.g. "
                             f"{', '.join(table['term'].head(8))})")
    return hit.iloc[0]


@dataclass(frozen=True)
class TermChart:
    """What the term chart draws: its two sides, its terms and the sentences behind them.

    Attributes
    ----------
    by : str
        The document variable compared.
    label_a, label_b : str
        The sides' names ("not <a>" for the rest).
    table : pandas.DataFrame
        As :func:`term_frequencies`.
    sentences : pandas.DataFrame
        As :func:`term_sentences`, with ``where``: the document's outlet and date, whole.
    """

    by: str
    label_a: str
    label_b: str
    table: pd.DataFrame
    sentences: pd.DataFrame

    @property
    def title(self):
        return f"Words of {self.label_a} against {self.label_b} ({self.by})"


def term_chart(processed, by, a=None, b=None, max_terms=2000, per_side=5, min_count=2):
    """The term chart of two groups of ``by`` (see :func:`compared_groups` for ``a`` and ``b``),
    or None when the corpus has a single value of ``by`` (nothing to compare).

    Returns
    -------
    TermChart or None
    """
    processed = as_processed(processed)
    require_column(processed.corpus, by)
    if processed.corpus[by].astype(str).nunique() < 2:
        return None
    a, b, label_b = compared_groups(processed.corpus, by, a, b)
    table = term_frequencies(processed, by, a, b, min_count=min_count, max_terms=max_terms)
    found = term_sentences(processed, table["feature"], by, a, b, per_side)
    where = dict(zip(processed.corpus["doc_id"], document_labels(processed.corpus, None)))
    return TermChart(by, a, label_b, table, found.assign(where=found["doc_id"].map(where)))
