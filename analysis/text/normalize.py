"""Normalise how words are written: British -> American spelling, aliases -> one name.

Applied to cleaned text just before tokenising, so "neighbourliness" and "neighborliness",
or "U.N.", "UN" and "United Nations", become the same token. Rules live in
``spelling_uk_us.tsv`` and ``aliases.tsv``. Aliases marked ``match_case`` are matched as
written, so "US" (the country) is changed and "us" (the pronoun) is not.
"""
import re
from collections import Counter
from functools import lru_cache

import numpy as np
import polars as pl

from ..errors import RuleError
from ..rules import SHIPPED
from .dialect import char_class, characters, class_of, rust_characters

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
    alternatives, firsts = _alias_order(exact, anycase)
    body = "|".join(re.escape(a) if case else f"(?i:{re.escape(a)})" for a, case in alternatives)
    # Most word starts begin with no alias's first letter; the lookahead skips them before
    # the alternatives are tried one by one.
    start = "(?=[" + "".join(map(re.escape, sorted(firsts))) + "])"
    pattern = re.compile(_BEFORE + start + "(" + body + ")" + _AFTER)
    canonicals = sorted(set(exact.values()) | set(anycase.values()), key=len, reverse=True)
    # "Shanghai Cooperation Organization (SCO)" becomes "SCO (SCO)": keep one.
    doubled = re.compile(r"(" + "|".join(map(re.escape, canonicals)) + r")\s*\(\1\)")
    return pattern, exact, anycase, doubled


def _alias_order(exact, anycase):
    """The aliases as the pattern tries them, longest first, each with whether its case must
    match; and the first letters an alias may begin with (both cases for the others)."""
    alternatives = [(a, True) for a in exact] + [(a, False) for a in anycase]
    alternatives.sort(key=lambda pair: len(pair[0]), reverse=True)
    firsts = {a[0] for a in exact} | {c for a in anycase for c in (a[0].lower(), a[0].upper())}
    return alternatives, firsts


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


def _entry(found, table):
    """The entry of ``table`` (lower-cased keys) for ``found``, which Python's ``re`` matched
    ignoring case: that also matches the Kelvin sign for "k", the long s for "s" and the
    dotted and dotless I for "i", which ``str.lower`` leaves as they are. None if there is
    none (a key no lower-casing reaches)."""
    key = found.lower()
    if key in table:
        return table[key]
    return table.get("".join(_ascii_fold().get(c) or c.lower() for c in found))


@lru_cache(maxsize=None)
def _ascii_fold():
    """Character -> the lower-case ASCII letter Python's ``re.IGNORECASE`` matches it to."""
    return {c: letter for letter in "abcdefghijklmnopqrstuvwxyz"
            for c in _ascii_ignorecase() if re.fullmatch(letter, c, re.IGNORECASE)}


def _replacers(changes=None, rules=SHIPPED):
    """What a spelling match and an alias match (the text matched) become."""
    _, mapping = _spelling(rules)
    _, exact, anycase, _ = _aliases(rules)

    def american(found):
        word = _entry(found, mapping)
        if word is None:
            return found
        if changes is not None:
            changes["spelling"][f"{found.lower()} -> {word}"] += 1
        return _with_case_of(found, word)

    def canonical(found):
        name = exact.get(found) or _entry(found, anycase)
        if name is None:
            return found
        if changes is not None:
            changes["alias"][f"{found} -> {name}"] += 1
        return name

    return american, canonical


def _steps(changes=None, rules=SHIPPED):
    """The normalisation steps in order, as (pattern, replace(match) -> str) pairs."""
    spelling, _ = _spelling(rules)
    aliases, _, _, doubled = _aliases(rules)
    american, canonical = _replacers(changes, rules)
    return ((spelling, lambda match: american(match.group(1))),
            (aliases, lambda match: canonical(match.group(1))), (doubled, lambda m: m.group(1)))


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
    return frozenset(characters("(?i:[a-z])"))


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


# Put around each match by the column patterns of :func:`_marking`; a text holding either
# character takes Python's path.
_OPEN, _CLOSE = "\x01", "\x02"


def _code_points(text):
    """The code points of ``text`` (numpy uint32)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


@lru_cache(maxsize=None)
def _marking(rules=SHIPPED):
    """Rust patterns that find the spelling step's and the alias step's matches exactly where
    Python's patterns do, for :func:`normalized_texts` to mark them; and a pattern of the
    characters for which they might not (a text with one takes Python's path).

    Python's patterns are ``(?<![\\w.])(alternatives)(?![\\w])``; Rust's regex has neither
    lookbehind nor lookahead. Here the character before is matched (``(^|[^\\w.])``, Python's
    ``\\w`` written out) and the condition after becomes Rust's ``\\b`` (or ``\\B`` after an
    alternative ending in "."), which takes no character, so the next match may still use
    the one after. The alternatives come longest first, each letter as Python's case rules
    match it; an alias's first letter is also held to the first letters Python's pattern
    looks ahead for. ``\\b`` judges word characters by Rust's tables, so the characters on
    which those and Python's ``\\w`` disagree (combining marks, "²", "‿"...) are left to
    Python, as are the markers themselves.

    Returns
    -------
    (str or None, str or None, str)
        The spelling and alias patterns (groups: the character before, the match), None
        where a rule list cannot be written so (an alternative ending in something other than
        a word character or "."; a spelling that is not ASCII, whose case rules could let two
        alternatives match one text); and the pattern of texts for Python's path.
    """
    _, mapping = _spelling(rules)
    _, exact, anycase, _ = _aliases(rules)
    # the characters one engine's \w matches and the other's does not (code point arrays:
    # sets of the 140,000 word characters took 0.05 s to build)
    python_word = _code_points(characters(r"\w"))
    unsafe = set(np.setxor1d(python_word, _code_points(rust_characters(r"\w")), assume_unique=True)
                 .tobytes().decode("utf-32-le")) | {_OPEN, _CLOSE}
    before = "(^|" + char_class(r"[\w.]", negate=True) + ")"

    def ending(alternative):
        last = alternative[-1]
        if last == ".":
            return r"\B"
        return r"\b" if re.fullmatch(r"\w", last) and last not in unsafe else None

    def pattern(alternatives):
        endings = [ending(text) for text, _ in alternatives]
        if not alternatives or None in endings:
            return None
        return before + "(" + "|".join(
            written + end for (_, written), end in zip(alternatives, endings)) + ")"

    spelling = None
    # (the alias pattern then reads what spelling wrote: it must hold no character to avoid)
    if all(word.isascii() for word in mapping) and not unsafe & set("".join(mapping.values())):
        spelling = pattern([(w, _literal(w, True)) for w in sorted(mapping, key=len, reverse=True)])
    alternatives, firsts = _alias_order(exact, anycase)  # as Python's pattern tries them
    aliases = pattern([
        (a, _literal(a, False) if case else
         class_of(c for c in firsts if re.fullmatch(re.escape(a[0]), c, re.IGNORECASE))
         + _literal(a[1:], True)) for a, case in alternatives])
    return spelling, aliases, class_of(unsafe)


def _normalized_from(text, first, rules=SHIPPED):
    """:func:`normalized_text` from step ``first`` on (0: spelling, 1: aliases, 2: doubled)."""
    for pattern, replace in _steps(None, rules)[first:]:
        text = pattern.sub(replace, text)
    return text


def normalized_texts(texts, rules=SHIPPED):
    """:func:`normalized_text` of every text, as a polars Series of strings.

    Polars finds, for each step, the texts it could change (:func:`_candidates`, in Rust's
    regex on every core); only those are normalised, from the first step that could change
    them (a step whose input an earlier step changed always runs). Most sentences have
    nothing to normalise. In those that do, Rust's regex finds the spelling and alias matches
    where Python's patterns would (:func:`_marking`) and Python replaces them; a text with a
    character the two engines judge differently (a combining mark, "²") goes through
    Python's patterns instead, as do all texts where a rule list cannot be written in
    Rust's dialect. Either way the result is :func:`normalized_text`'s."""
    series = texts if isinstance(texts, pl.Series) else pl.Series(list(texts), dtype=pl.String)
    spelling, aliases, doubled = _candidates(rules)
    marking = _marking(rules)
    text = pl.col("text")
    found = pl.DataFrame({"text": series}).select(
        first=pl.when(text.str.contains(spelling)).then(0).when(text.str.contains(aliases)).then(1)
        .when(text.str.contains(doubled)).then(2).otherwise(3),
        by_python=text.str.contains(marking[2]))
    first = found["first"]
    if not (first < 3).any():
        return series
    # Python's path: texts with a character the column patterns might misjudge, or all of
    # them where a rule list cannot be written as a column pattern
    by_python = found["by_python"] | (marking[0] is None or marking[1] is None)
    python = ((first < 3) & by_python).arg_true()
    columns = ((first < 3) & ~by_python).arg_true()
    normalized = series.clone()
    if len(python):
        changed = [_normalized_from(text, step, rules) for text, step in
                   zip(series.gather(python).to_list(), first.gather(python).to_list())]
        normalized = normalized.scatter(python, pl.Series(changed, dtype=pl.String))
    if len(columns):
        normalized = normalized.scatter(columns, _normalized_by_columns(
            series.gather(columns), first.gather(columns), marking, rules))
    return normalized


def _normalized_by_columns(texts, first, marking, rules=SHIPPED):
    """:func:`_normalized_from` of ``texts`` from the steps ``first``: the spelling and alias
    matches marked in Rust (:func:`_marking`), each distinct match replaced once in Python and
    put back in polars; the doubled names by Python's pattern, in the texts with a "(" (that
    the alias step changed or could change). A polars Series of strings."""
    american, canonical = _replacers(rules=rules)
    marked_match = _OPEN + "[^" + _CLOSE + "]*" + _CLOSE
    for step, (pattern, replace) in enumerate(((marking[0], american), (marking[1], canonical))):
        rows = (first <= step).arg_true()
        if not len(rows):
            continue
        marked = texts.gather(rows).str.replace_all(pattern, "${1}" + _OPEN + "${2}" + _CLOSE)
        found = marked.str.extract_all(marked_match).explode(empty_as_null=True).drop_nulls().unique().to_list()
        if found:
            # each marked match is delimited by markers no text holds, so no two can overlap
            # and the order in which replace_many tries them cannot matter
            marked = marked.str.replace_many(found, [replace(match[1:-1]) for match in found])
            texts = texts.scatter(rows, marked)
    doubled, replace = _steps(None, rules)[2]
    bracketed = texts.str.contains("(", literal=True).arg_true()  # a doubled name is "X (X)"
    if len(bracketed):
        texts = texts.scatter(bracketed, pl.Series(
            [doubled.sub(replace, text) for text in texts.gather(bracketed).to_list()], dtype=pl.String))
    return texts
