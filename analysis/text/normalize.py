"""Normalise how words are written: British -> American spelling, aliases -> one name.

Applied to cleaned text just before tokenising, so "neighbourliness" and "neighborliness",
or "U.N.", "UN" and "United Nations", become the same token. Rules live in
``spelling_uk_us.tsv`` and ``aliases.tsv``. Aliases marked ``match_case`` are matched as
written, so "US" (the country) is changed and "us" (the pronoun) is not.
"""
import re
from collections import Counter
from functools import lru_cache

import polars as pl

from ..errors import RuleError
from ..rules import SHIPPED
from .dialect import all_characters, char_class, class_of

# A name is not matched inside a longer word or acronym ("UN" in "UNESCO", "US" in "USD").
_BEFORE = r"(?<![\w.])"
_AFTER = r"(?![\w])"


@lru_cache(maxsize=None)
def _spelling(rules=SHIPPED):
    mapping = {row["british"].lower(): row["american"].lower()
               for row in rules.table("spelling_uk_us.tsv")}
    pattern = re.compile(_BEFORE + "(" + _trie(mapping) + ")" + _AFTER, re.IGNORECASE)
    return pattern, mapping


@lru_cache(maxsize=None)
def _aliases(rules=SHIPPED):
    exact, anycase = {}, {}
    for row in rules.table("aliases.tsv"):
        if row["match_case"].strip().lower() not in {"yes", "no"}:
            raise RuleError(f"{row['_where']}: match_case for {row['alias']!r} must be yes or no")
        target = exact if row["match_case"].strip().lower() == "yes" else anycase
        target[row["alias"] if target is exact else row["alias"].lower()] = row["canonical"]
    alternatives = [(a, True) for a in exact] + [(a, False) for a in anycase]
    alternatives.sort(key=lambda pair: len(pair[0]), reverse=True)
    body = "|".join(re.escape(a) if case else f"(?i:{re.escape(a)})" for a, case in alternatives)
    # Most word starts begin with no alias's first letter; the lookahead skips them before
    # the alternatives are tried one by one.
    firsts = {a[0] for a in exact} | {c for a in anycase for c in (a[0].lower(), a[0].upper())}
    start = "(?=[" + "".join(map(re.escape, sorted(firsts))) + "])"
    pattern = re.compile(_BEFORE + start + "(" + body + ")" + _AFTER)
    canonicals = sorted(set(exact.values()) | set(anycase.values()), key=len, reverse=True)
    # "Shanghai Cooperation Organization (SCO)" becomes "SCO (SCO)": keep one.
    doubled = re.compile(r"(" + "|".join(map(re.escape, canonicals)) + r")\s*\(\1\)")
    return pattern, exact, anycase, doubled


def _trie(words):
    """A regular expression matching exactly ``words``, written as a prefix tree.

    Python's ``re`` tries the branches of ``a|b|c`` one by one at every word start; with the
    common prefixes factored out ("neighbo(?:ur(?:s|hood)?|...)") it tries one letter at a
    time, about four times faster on these rule lists. Greedy optional endings try the
    longest word first, as a longest-first alternation would.
    """
    tree = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node):
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
        return body

    return pattern(tree)


def _with_case_of(source, word):
    if source.isupper() and len(source) > 1:
        return word.upper()
    if source[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _steps(changes=None, rules=SHIPPED):
    """The normalisation steps in order, as (pattern, replace(match) -> str) pairs."""
    spelling, mapping = _spelling(rules)
    aliases, exact, anycase, doubled = _aliases(rules)

    def american(match):
        found = match.group(1)
        word = mapping[found.lower()]
        if changes is not None:
            changes["spelling"][f"{found.lower()} -> {word}"] += 1
        return _with_case_of(found, word)

    def canonical(match):
        found = match.group(1)
        name = exact.get(found) or anycase[found.lower()]
        if changes is not None:
            changes["alias"][f"{found} -> {name}"] += 1
        return name

    return ((spelling, american), (aliases, canonical), (doubled, lambda m: m.group(1)))


def normalized_text(text, changes=None, rules=SHIPPED):
    """``text`` with British spellings made American and aliases replaced by canonical names.

    Parameters
    ----------
    text : str
    changes : dict of Counter, optional
        ``{"spelling": Counter(), "alias": Counter()}``, incremented with ``"from -> to"``
        per replacement.
    rules : analysis.rules.RuleSet
        Whose ``spelling_uk_us.tsv`` and ``aliases.tsv`` apply (default: the shipped ones).
    """
    for pattern, replace in _steps(changes, rules):
        text = pattern.sub(replace, text)
    return text


def normalized_text_with_offsets(text, rules=SHIPPED):
    """:func:`normalized_text`, with where each character came from in ``text``.

    Returns
    -------
    normalized : str
    starts, ends : list of int, len(normalized)
        For character ``i`` of the result, ``text[starts[i]:ends[i]]`` is what it stands for
        (one character, or the whole alias or word it replaced).
    """
    starts, ends = list(range(len(text))), list(range(1, len(text) + 1))
    for pattern, replace in _steps(rules=rules):
        pieces, new_starts, new_ends, position = [], [], [], 0
        for match in pattern.finditer(text):
            begin, end = match.span()
            replacement = replace(match)
            pieces += [text[position:begin], replacement]
            new_starts += starts[position:begin] + [starts[begin]] * len(replacement)
            new_ends += ends[position:begin] + [ends[end - 1]] * len(replacement)
            position = end
        pieces.append(text[position:])
        text = "".join(pieces)
        starts, ends = new_starts + starts[position:], new_ends + ends[position:]
    return text, starts, ends


def normalization_changes(text, rules=SHIPPED):
    """What normalisation would change in ``text``.

    Returns
    -------
    list of dict
        Keys ``step`` ("spelling" or "alias"), ``rule`` ("from -> to") and ``count``.
    """
    changes = {"spelling": Counter(), "alias": Counter()}
    normalized_text(text, changes, rules)
    return [{"step": step, "rule": rule, "count": n}
            for step in ("spelling", "alias") for rule, n in sorted(changes[step].items())]


@lru_cache(maxsize=None)
def _ignorecase(char):
    """A Rust class of the characters Python's ``re.IGNORECASE`` matches for ``char`` (for
    "k" also the Kelvin sign, for "s" the long s, for "i" the dotted and dotless i)."""
    if char.isascii() and char.isalpha():
        near = _ascii_ignorecase()
        return class_of(c for c in near if re.fullmatch(re.escape(char), c, re.IGNORECASE))
    return char_class("(?i:" + re.escape(char) + ")")


@lru_cache(maxsize=None)
def _ascii_ignorecase():
    return frozenset(re.findall("(?i)[a-z]", all_characters()))


def _literal(text, ignorecase):
    """``text`` as a Rust pattern matching what Python's ``re.escape(text)`` matches (with
    ``re.IGNORECASE`` if ``ignorecase``)."""
    return "".join(_ignorecase(c) if ignorecase and c.lower() != c.upper() else re.escape(c)
                   for c in text)


_NOTHING = r"[^\x{0}-\x{10FFFF}]"  # a Rust pattern that matches nowhere


@lru_cache(maxsize=None)
def _candidates(rules=SHIPPED):
    """Polars (Rust regex) patterns, one per step of :func:`normalized_text` (spelling, aliases,
    doubled names), each matching wherever its step could change a text: any British spelling
    (case-insensitive), any alias, any canonical name before "(". They leave out the conditions
    around a match (whole words, not after "."), so each matches at least wherever its rule
    does: a text a step's pattern does not match is left as it is by that step."""
    _, mapping = _spelling(rules)
    _, exact, anycase, _ = _aliases(rules)
    canonicals = sorted(set(exact.values()) | set(anycase.values()), key=len, reverse=True)
    space = char_class(r"\s")
    spelling = [_literal(w, True) for w in sorted(mapping)]
    aliases = [_literal(a, False) for a in sorted(exact)] + [_literal(a, True) for a in sorted(anycase)]
    doubled = ["(?:" + "|".join(_literal(c, False) for c in canonicals) + ")" + space + "*\\("] \
        if canonicals else []
    return tuple("|".join(found) if found else _NOTHING for found in (spelling, aliases, doubled))


def _normalized_from(text, first, rules=SHIPPED):
    """:func:`normalized_text` from step ``first`` on (0: spelling, 1: aliases, 2: doubled)."""
    for pattern, replace in _steps(None, rules)[first:]:
        text = pattern.sub(replace, text)
    return text


def normalized_texts(texts, rules=SHIPPED):
    """:func:`normalized_text` of every text, as a polars Series of strings.

    Polars finds, for each step, the texts it could change (:func:`_candidates`, in Rust's
    regex on every core); only those are normalised, by the rules themselves (Python's ``re``,
    whose lookbehind and case rules these need), from the first step that could change them
    (a step whose input an earlier step changed always runs). Most sentences have nothing to
    normalise."""
    series = texts if isinstance(texts, pl.Series) else pl.Series(list(texts), dtype=pl.String)
    spelling, aliases, doubled = _candidates(rules)
    text = pl.col("text")
    first = pl.DataFrame({"text": series}).select(
        pl.when(text.str.contains(spelling)).then(0).when(text.str.contains(aliases)).then(1)
        .when(text.str.contains(doubled)).then(2).otherwise(3).alias("first"))["first"]
    hits = (first < 3).arg_true()
    if len(hits) == 0:
        return series
    changed = [_normalized_from(text, step, rules)
               for text, step in zip(series.gather(hits).to_list(), first.gather(hits).to_list())]
    return series.clone().scatter(hits, pl.Series(changed, dtype=pl.String))
