"""Tone and commitment: how often modal verbs, intensifiers and hedges are used.

Word lists live in ``tone.toml``. Counts are per sentence of the sentence table (so rates get
the same bootstrap intervals over sentences as theme rates), on its word tokens: normalised,
lower-case, stop words kept, not stemmed.
"""
from collections import Counter
from functools import lru_cache

import pandas as pd

from ..errors import RuleError
from ..rules import SHIPPED
from ..text.corpus import require_column
from ..text.processed import as_processed
from .rates import bootstrap_rates


@lru_cache(maxsize=None)
def tone_lists(rules=SHIPPED):
    """Category -> (label, frozenset of words), in file order."""
    data = rules.toml("tone.toml")
    where = " + ".join(str(p) for p in rules.layers("tone.toml"))
    categories = data.get("categories")
    if not isinstance(categories, dict) or not categories:
        raise RuleError(f"{where}: needs [categories.<name>] tables with label and words")
    lists = {}
    for key, spec in categories.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str) \
                or not isinstance(spec.get("words"), list):
            raise RuleError(f"{where}: [categories.{key}] needs label (text) and words (a list)")
        lists[key] = (spec["label"], frozenset(str(w).lower() for w in spec["words"]))
    return lists


def sentence_tone_counts(processed):
    """Tone word counts per sentence, wide.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``sentence_id``, ``tokens``, then one count column per category; one row
        per row of the sentence table.
    """
    processed = as_processed(processed)
    lists = tone_lists(processed.rules)
    table = processed.sentences
    rows = []
    for doc_id, number, tokens, words in zip(table["doc_id"], table["sentence_id"],
                                             table["tokens"], table["words"]):
        counted = Counter(words.split())
        row = {"doc_id": doc_id, "sentence_id": number, "tokens": tokens}
        for key, (_, vocabulary) in lists.items():
            row[key] = sum(n for w, n in counted.items() if w in vocabulary)
        rows.append(row)
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "tokens", *lists])


def tone_rates(processed, group_by, n_boot=2000, seed=0, level=0.95, sentence_counts=None):
    """Tone rates per group with bootstrap intervals over sentences.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``category``, ``label``, ``count``, ``tokens``, ``rate_per_1k``, ``low``,
        ``high``, ``documents``, ``sentences`` (see :func:`analysis.measures.rates.bootstrap_rates`).
    """
    processed = as_processed(processed)
    table = sentence_tone_counts(processed) if sentence_counts is None else sentence_counts
    labels = {key: label for key, (label, _) in tone_lists(processed.rules).items()}
    return bootstrap_rates(table, labels, processed.corpus, group_by, n_boot, seed, level)


def tone_words(processed, by):
    """Which tone words were counted, per group: ``group``, ``category``, ``word``, ``count``.

    Sorted by group, category (file order), count (highest first), word.
    """
    processed = as_processed(processed)
    require_column(processed.corpus, by)
    lists = tone_lists(processed.rules)
    groups = processed.corpus.set_index("doc_id")[by].astype(str)
    table = processed.sentences.assign(group=processed.sentences["doc_id"].map(groups))
    rows = []
    for group, part in table.groupby("group", sort=True):
        words = Counter(w for line in part["words"] for w in line.split())
        for key, (_, vocabulary) in lists.items():
            for word in sorted(vocabulary & set(words), key=lambda w: (-words[w], w)):
                rows.append({"group": group, "category": key, "word": word, "count": words[word]})
    return pd.DataFrame(rows, columns=["group", "category", "word", "count"])


def tone_words_table(words):
    """The counted words as one cell per group and category: "word (count), ..."."""
    return (words.assign(counted=words["word"] + " (" + words["count"].astype(str) + ")")
            .groupby(["group", "category"], sort=False)["counted"].agg(", ".join)
            .unstack("category").fillna(""))
