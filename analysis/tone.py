"""Tone and commitment: how often modal verbs, intensifiers and hedges are used.

Word lists live in ``data/tone.toml``. Counts are per sentence (so rates get the same
bootstrap intervals over sentences as theme rates) on :func:`analysis.word_tokens`: normalised,
lower-case, stop words kept, not stemmed.
"""
import tomllib
from collections import Counter
from functools import lru_cache

import pandas as pd

from .corpus import require_column
from .rates import bootstrap_rates
from .resources import data_path
from .sentences import sentences
from .tokens import word_tokens


@lru_cache(maxsize=None)
def tone_lists():
    """Category -> (label, frozenset of words), in file order."""
    data = tomllib.loads(data_path("tone.toml").read_text(encoding="utf-8"))
    return {key: (spec["label"], frozenset(w.lower() for w in spec["words"]))
            for key, spec in data["categories"].items()}


def sentence_tone_counts(corpus):
    """Tone word counts per sentence, wide.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``sentence_id``, ``tokens``, then one count column per category.
    """
    lists = tone_lists()
    rows = []
    for doc_id, text in zip(corpus["doc_id"], corpus["text"]):
        for number, sentence in enumerate(sentences(text), start=1):
            words = Counter(word_tokens(sentence))
            row = {"doc_id": doc_id, "sentence_id": number, "tokens": sum(words.values())}
            for key, (_, vocabulary) in lists.items():
                row[key] = sum(n for w, n in words.items() if w in vocabulary)
            rows.append(row)
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "tokens", *lists])


def tone_rates(corpus, group_by, n_boot=2000, seed=0, level=0.95, sentence_counts=None):
    """Tone rates per group with bootstrap intervals over sentences.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``category``, ``label``, ``count``, ``tokens``, ``rate_per_1k``, ``low``,
        ``high``, ``documents``, ``sentences`` (see :func:`analysis.rates.bootstrap_rates`).
    """
    table = sentence_tone_counts(corpus) if sentence_counts is None else sentence_counts
    labels = {key: label for key, (label, _) in tone_lists().items()}
    return bootstrap_rates(table, labels, corpus, group_by, n_boot, seed, level)


def tone_words(corpus, by):
    """Which tone words were counted, per group: ``group``, ``category``, ``word``, ``count``.

    Sorted by group, category (file order), count (highest first), word.
    """
    require_column(corpus, by)
    lists = tone_lists()
    rows = []
    for group, part in corpus.groupby(corpus[by].astype(str), sort=True):
        words = Counter(w for text in part["text"] for w in word_tokens(text))
        for key, (_, vocabulary) in lists.items():
            for word in sorted(vocabulary & set(words), key=lambda w: (-words[w], w)):
                rows.append({"group": group, "category": key, "word": word, "count": words[word]})
    return pd.DataFrame(rows, columns=["group", "category", "word", "count"])
