"""Tone and commitment: how often modal verbs, intensifiers and hedges are used.

Word lists live in ``tone.toml``. Counts are per sentence of the sentence table (so rates get
the same bootstrap intervals over sentences as theme rates), on its word tokens: normalised,
lower-case, stop words kept, not stemmed.
"""
import re
from collections import Counter
from functools import lru_cache

import pandas as pd

from ..errors import RuleError
from ..rules import SHIPPED
from ..text.corpus import require_column
from ..text.processed import as_processed
from ..text.tokens import word_spans
from .rates import bootstrap_rates

_NUMBER_AFTER = re.compile(r"^[\s,]*\d")


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


@lru_cache(maxsize=None)
def tone_senses(rules=SHIPPED):
    """Word -> its sense rule of ``tone.toml`` ([senses.<word>]): meaning, preceded_by,
    followed_by (sets), number_after, capitalised (bools)."""
    data = rules.toml("tone.toml").get("senses", {})
    where = " + ".join(str(p) for p in rules.layers("tone.toml"))
    senses = {}
    for word, spec in data.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("meaning"), str):
            raise RuleError(f"{where}: [senses.{word}] needs meaning (text)")
        senses[word.lower()] = {
            "meaning": spec["meaning"],
            "preceded_by": frozenset(w.lower() for w in spec.get("preceded_by", [])),
            "followed_by": frozenset(w.lower() for w in spec.get("followed_by", [])),
            "number_after": bool(spec.get("number_after", False)),
            "capitalised": bool(spec.get("capitalised", False)),
        }
    return senses


def _other_sense(index, spans, sentence, sense):
    """Whether the word at ``spans[index]`` is used in the other sense ``sense`` describes."""
    word, start, end = spans[index]
    before = spans[index - 1][0] if index else ""
    after = spans[index + 1][0] if index + 1 < len(spans) else ""
    written = sentence[start:end]
    return (written.endswith(("'s", "’s"))  # a possessive is a noun: "May's parade"
            or before in sense["preceded_by"] or after in sense["followed_by"]
            or (sense["number_after"] and bool(_NUMBER_AFTER.match(sentence[end:])))
            or (sense["capitalised"] and index > 0 and written[:1].isupper()))


def sentence_tone_words(processed):
    """Every tone word of every sentence, counted or not: one row per occurrence.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``sentence_id``, ``word``, ``counted`` (False when its neighbours show
        another sense), ``sense`` (that sense, e.g. "the month May").
    """
    processed = as_processed(processed)
    lists = tone_lists(processed.rules)
    senses = tone_senses(processed.rules)
    vocabulary = frozenset().union(*(words for _, words in lists.values())) if lists else frozenset()
    table = processed.sentences
    rows = []
    for doc_id, number, sentence, words in zip(table["doc_id"], table["sentence_id"],
                                               table["sentence"], table["words"]):
        split = words.split()
        if vocabulary.isdisjoint(split):
            continue
        checked = not senses.keys().isdisjoint(split)
        spans = word_spans(sentence, rules=processed.rules) if checked else None
        if spans is not None and [w for w, _, _ in spans] != split:
            spans = None  # cannot place the words: count them, as before senses
        for index, word in enumerate(split):
            if word not in vocabulary:
                continue
            sense = senses.get(word)
            other = sense is not None and spans is not None and _other_sense(index, spans, sentence, sense)
            rows.append({"doc_id": doc_id, "sentence_id": number, "word": word,
                         "counted": not other, "sense": sense["meaning"] if other else ""})
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "word", "counted", "sense"])


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
    table = processed.sentences[["doc_id", "sentence_id", "tokens"]].copy()
    found = sentence_tone_words(processed)
    found = found[found["counted"].astype(bool)]
    for key, (_, vocabulary) in lists.items():
        hits = found[found["word"].isin(vocabulary)].groupby(["doc_id", "sentence_id"]).size()
        table[key] = [int(hits.get(k, 0)) for k in zip(table["doc_id"], table["sentence_id"])]
    return table.reset_index(drop=True)


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
    """Which tone words were counted, per group: ``group``, ``category``, ``word``, ``count``
    (occurrences counted), ``not_counted`` (occurrences in another sense, e.g. the month May).

    Sorted by group, category (file order), count (highest first), word.
    """
    processed = as_processed(processed)
    require_column(processed.corpus, by)
    lists = tone_lists(processed.rules)
    groups = processed.corpus.set_index("doc_id")[by].astype(str)
    found = sentence_tone_words(processed)
    found = found.assign(group=found["doc_id"].map(groups))
    rows = []
    for group, part in found.groupby("group", sort=True):
        counted = Counter(part.loc[part["counted"].astype(bool), "word"])
        other = Counter(part.loc[~part["counted"].astype(bool), "word"])
        for key, (_, vocabulary) in lists.items():
            for word in sorted(vocabulary & (set(counted) | set(other)), key=lambda w: (-counted[w], w)):
                rows.append({"group": group, "category": key, "word": word, "count": counted[word],
                             "not_counted": other[word]})
    return pd.DataFrame(rows, columns=["group", "category", "word", "count", "not_counted"])


def tone_words_table(words):
    """The counted words as one cell per group and category: "word (count), ...", with
    "word (count; +n in another sense)" where some occurrences were not counted."""
    extra = [f"; +{n} not counted" if n else "" for n in words["not_counted"]]
    words = words[words["count"] > 0].assign(_e=[e for e, c in zip(extra, words["count"]) if c > 0])
    return (words.assign(counted=words["word"] + " (" + words["count"].astype(str) + words["_e"] + ")")
            .groupby(["group", "category"], sort=False)["counted"].agg(", ".join)
            .unstack("category").fillna(""))
