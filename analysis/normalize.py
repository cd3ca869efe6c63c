"""Normalise how words are written: British -> American spelling, aliases -> one name.

Applied to cleaned text just before tokenising, so "neighbourliness" and "neighborliness",
or "U.N.", "UN" and "United Nations", become the same token. Rules live in
``spelling_uk_us.tsv`` and ``aliases.tsv``. Aliases marked ``match_case`` are matched as
written, so "US" (the country) is changed and "us" (the pronoun) is not.
"""
import re
from collections import Counter
from functools import lru_cache

from .resources import read_rules

# A name is not matched inside a longer word or acronym ("UN" in "UNESCO", "US" in "USD").
_BEFORE = r"(?<![\w.])"
_AFTER = r"(?![\w])"


@lru_cache(maxsize=None)
def _spelling():
    mapping = {row["british"].lower(): row["american"].lower()
               for row in read_rules("spelling_uk_us.tsv")}
    words = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(_BEFORE + "(" + "|".join(map(re.escape, words)) + ")" + _AFTER,
                         re.IGNORECASE)
    return pattern, mapping


@lru_cache(maxsize=None)
def _aliases():
    exact, anycase = {}, {}
    for row in read_rules("aliases.tsv"):
        if row["match_case"].strip().lower() not in {"yes", "no"}:
            raise ValueError(f"aliases.tsv: match_case for {row['alias']!r} must be yes or no")
        target = exact if row["match_case"].strip().lower() == "yes" else anycase
        target[row["alias"] if target is exact else row["alias"].lower()] = row["canonical"]
    alternatives = [(a, True) for a in exact] + [(a, False) for a in anycase]
    alternatives.sort(key=lambda pair: len(pair[0]), reverse=True)
    body = "|".join(re.escape(a) if case else f"(?i:{re.escape(a)})" for a, case in alternatives)
    pattern = re.compile(_BEFORE + "(" + body + ")" + _AFTER)
    canonicals = sorted(set(exact.values()) | set(anycase.values()), key=len, reverse=True)
    # "Shanghai Cooperation Organization (SCO)" becomes "SCO (SCO)": keep one.
    doubled = re.compile(r"(" + "|".join(map(re.escape, canonicals)) + r")\s*\(\1\)")
    return pattern, exact, anycase, doubled


def _with_case_of(source, word):
    if source.isupper() and len(source) > 1:
        return word.upper()
    if source[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def americanize(text, changes=None):
    """Replace British spellings with American ones, keeping the first letter's case.

    Parameters
    ----------
    text : str
    changes : collections.Counter, optional
        If given, incremented with ``"british -> american"`` per replacement.
    """
    pattern, mapping = _spelling()

    def _swap(match):
        found = match.group(1)
        american = mapping[found.lower()]
        if changes is not None:
            changes[f"{found.lower()} -> {american}"] += 1
        return _with_case_of(found, american)

    return pattern.sub(_swap, text)


def canonical_names(text, changes=None):
    """Replace every alias with its canonical name (longest alias first).

    Parameters
    ----------
    text : str
    changes : collections.Counter, optional
        If given, incremented with ``"alias -> canonical"`` per replacement.
    """
    pattern, exact, anycase, doubled = _aliases()

    def _swap(match):
        found = match.group(1)
        canonical = exact.get(found) or anycase[found.lower()]
        if changes is not None:
            changes[f"{found} -> {canonical}"] += 1
        return canonical

    return doubled.sub(r"\1", pattern.sub(_swap, text))


def normalized_text(text, changes=None):
    """Spelling and names normalised: :func:`americanize` then :func:`canonical_names`."""
    return canonical_names(americanize(text, changes), changes)


def normalization_changes(text):
    """What normalisation would change in ``text``.

    Returns
    -------
    list of dict
        Keys ``step`` ("spelling" or "alias"), ``rule`` ("from -> to") and ``count``.
    """
    spelling, names = Counter(), Counter()
    canonical_names(americanize(text, spelling), names)
    return ([{"step": "spelling", "rule": r, "count": n} for r, n in sorted(spelling.items())]
            + [{"step": "alias", "rule": r, "count": n} for r, n in sorted(names.items())])
