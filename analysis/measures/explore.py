"""Questions asked in a cell: where a word is used, how its use moves, what it goes with.

Each function takes the processed corpus and a query and returns a table (quanteda's
``kwic``, ``textplot_xray`` and ``textstat_collocations`` are the models). A query is written
as a codebook pattern: a word ("sovereignty"), a glob ("multipolar*") or a phrase ("global
governance"), matched on the same normalised tokens as everything else, so "UN" also finds
"U.N." and "United Nations".
"""
from collections import Counter

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..text.corpus import require_column
from ..text.processed import as_processed
from ..text.tokens import stop_words
from .codebook import pattern_tokens
from .rates import bootstrap_rates
from .themes import theme_matches


def _query_codebook(query, rules):
    if not isinstance(query, str) or not query.strip():
        raise ParameterError(f"query={query!r}: give a word, a glob (multipolar*) or a phrase")
    tokens = pattern_tokens(query.strip(), rules)
    if not tokens or all(not t.strip("*?") for t in tokens):
        raise ParameterError(f"query={query!r}: leaves no word to look for (numbers are not counted)")
    return pd.DataFrame([{"theme": "query", "label": query, "definition": "", "kind": "pattern",
                          "pattern": query.strip(), "tokens": tokens, "near": (), "not_near": (),
                          "within": 0, "condition": ""}])


def _matches(processed, query, window=6):
    return theme_matches(processed, _query_codebook(query, processed.rules), window=window)


def kwic(processed, query, window=6, group_by="origin", groups=None):
    """Every occurrence of ``query`` in its sentence, as written, with ``window`` words of
    context on each side (never beyond the sentence).

    Parameters
    ----------
    groups : list of str, optional
        Keep only documents whose ``group_by`` is one of these.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``group``, ``sentence_id``, ``left``, ``match``, ``right``; in corpus and
        sentence order.
    """
    processed = as_processed(processed)
    require_column(processed.corpus, group_by)
    found = _matches(processed, query, window)
    group_of = processed.corpus.set_index("doc_id")[group_by].astype(str)
    table = pd.DataFrame({"doc_id": found["doc_id"], "group": found["doc_id"].map(group_of),
                          "sentence_id": found["sentence_id"], "left": found["left"],
                          "match": found["matched"], "right": found["right"]})
    if groups is not None:
        table = table[table["group"].isin([str(g) for g in ([groups] if isinstance(groups, str) else groups)])]
    return table.reset_index(drop=True)


def term_rates(processed, query, by="year", n_boot=1000, seed=0, level=0.95):
    """How often ``query`` is used per 1,000 word tokens in each value of ``by`` (a year, a
    group), with bootstrap intervals over sentences.

    Returns
    -------
    pandas.DataFrame
        As :func:`analysis.measures.rates.bootstrap_rates` (``group`` is the value of ``by``).
        Where the query never occurs the bootstrap can only give [0, 0], which reads as
        certainty: there ``high`` is the exact upper bound of a rate with no use in that many
        tokens (-ln(1 - level) / tokens, "the rule of three" at 95%) and ``interval`` says so.
    """
    processed = as_processed(processed)
    require_column(processed.corpus, by)
    found = _matches(processed, query, 0)
    hits = found.groupby(["doc_id", "sentence_id"]).size()
    table = processed.sentences[["doc_id", "sentence_id", "tokens"]].copy()
    table["query"] = [int(hits.get(k, 0)) for k in zip(table["doc_id"], table["sentence_id"])]
    rates = bootstrap_rates(table, {"query": query}, processed.corpus, by, n_boot, seed, level)
    none = rates["count"] == 0
    rates.loc[none, "high"] = 1000 * -np.log(1 - level) / rates.loc[none, "tokens"]
    rates.loc[none, "interval"] = "no use: upper bound"
    return rates


def dispersion(processed, queries):
    """Where in each document the queries occur (quanteda's ``textplot_xray``): one row per
    occurrence with its position as a share of the document's word tokens (0 = start).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``query``, ``sentence_id``, ``position`` (0-1), ``tokens`` (the document's).
    """
    processed = as_processed(processed)
    queries = [queries] if isinstance(queries, str) else list(queries)
    table = processed.sentences
    before = table.groupby("doc_id", sort=False)["tokens"].cumsum() - table["tokens"]
    offset = dict(zip(zip(table["doc_id"], table["sentence_id"]), before))
    total = table.groupby("doc_id", sort=False)["tokens"].sum()
    rows = []
    for query in queries:
        found = _matches(processed, query, 0)
        for doc_id, sentence_id, start in zip(found["doc_id"], found["sentence_id"], found["token_start"]):
            position = (offset[(doc_id, sentence_id)] + start) / max(total[doc_id], 1)
            rows.append({"doc_id": doc_id, "query": query, "sentence_id": sentence_id,
                         "position": float(position), "tokens": int(total[doc_id])})
    return pd.DataFrame(rows, columns=["doc_id", "query", "sentence_id", "position", "tokens"])


def collocations(processed, min_count=3, top=50):
    """Pairs of adjacent words used together more than chance says (quanteda's
    ``textstat_collocations`` for two words): candidate multi-word expressions.

    Pairs of content words (no stop words) adjacent within a sentence are scored by Dunning's
    log-likelihood ratio (G2) against independence, and by lambda, the log odds ratio of the
    2 x 2 table (with 0.5 added to each cell) with its z-score. Pairs already joined as
    expressions (``mwe.txt``) are single tokens and do not appear.

    Returns
    -------
    pandas.DataFrame
        ``collocation``, ``count``, ``G2``, ``lambda``, ``z``; the ``top`` highest G2 among pairs
        seen at least ``min_count`` times.
    """
    processed = as_processed(processed)
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ParameterError(f"min_count={min_count!r}: use a whole number of at least 1")
    stops = stop_words(processed.rules)
    pairs, first, second, n = Counter(), Counter(), Counter(), 0
    for words in processed.sentences["words"]:
        split = words.split()
        for a, b in zip(split, split[1:]):
            if a in stops or b in stops or "_" in a or "_" in b:
                continue
            pairs[(a, b)] += 1
            first[a] += 1
            second[b] += 1
            n += 1
    rows = []
    for (a, b), n11 in pairs.items():
        if n11 < min_count:
            continue
        n12, n21 = first[a] - n11, second[b] - n11
        n22 = n - n11 - n12 - n21
        observed = np.array([n11, n12, n21, n22], dtype=float)
        expected = np.array([(n11 + n12) * (n11 + n21), (n11 + n12) * (n12 + n22),
                             (n21 + n22) * (n11 + n21), (n21 + n22) * (n12 + n22)], dtype=float) / n
        with np.errstate(divide="ignore", invalid="ignore"):
            g2 = 2 * np.nansum(np.where(observed > 0, observed * np.log(observed / expected), 0))
        smoothed = observed + 0.5
        lam = np.log(smoothed[0] * smoothed[3] / (smoothed[1] * smoothed[2]))
        se = np.sqrt((1 / smoothed).sum())
        rows.append({"collocation": f"{a} {b}", "count": n11, "G2": float(g2), "lambda": float(lam),
                     "z": float(lam / se)})
    table = pd.DataFrame(rows, columns=["collocation", "count", "G2", "lambda", "z"])
    return table.sort_values(["G2", "collocation"], ascending=[False, True]).head(top).reset_index(drop=True)
