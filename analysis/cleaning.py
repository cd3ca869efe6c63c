"""Clean a document's text: one way of writing quotes, dashes and spaces; no page chrome.

Each step is a small function over a string that returns the new string and what it changed,
so the corpus overview can show per document what was removed (nothing disappears silently).
The rules are the data files ``unicode_map.tsv`` and ``removal_rules.tsv``.

Cleaning keeps the words as written: British spellings and aliases are normalised later, when
tokens are made (see :mod:`analysis.normalize`), so sentences can be quoted as the source
wrote them.
"""
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from .resources import read_rules


@lru_cache(maxsize=None)
def _unicode_table():
    table, names = {}, {}
    for row in read_rules("unicode_map.tsv"):
        char = chr(int(row["codepoint"], 16))
        table[ord(char)] = row["replacement"].replace("\\s", " ")
        names[char] = row["name"]
    return table, names


@lru_cache(maxsize=None)
def _removal_rules():
    return tuple(
        (row["rule"], row["step"], re.compile(row["pattern"], re.MULTILINE))
        for row in read_rules("removal_rules.tsv")
    )


def normalize_unicode(text):
    """Map typographic quotes, dashes and odd spaces to plain ones, then NFKC.

    Returns
    -------
    text : str
    changes : collections.Counter
        Character name -> number of replacements.
    """
    table, names = _unicode_table()
    changes = Counter()
    for char, n in Counter(c for c in text if ord(c) in table).items():
        changes[names[char]] += n
    text = text.translate(table)
    normalized = unicodedata.normalize("NFKC", text)
    if normalized != text:
        changes["NFKC compatibility form"] += sum(
            1 for c in text if unicodedata.normalize("NFKC", c) != c
        )
    return normalized, changes


def remove_boilerplate(text):
    """Remove page chrome, scrape headers, collector labels, attributions, truncation marks.

    Returns
    -------
    text : str
    removed : list of (rule, step, matched_text)
    """
    removed = []
    for rule, step, pattern in _removal_rules():
        def _drop(match, rule=rule, step=step):
            removed.append((rule, step, match.group(0)))
            return ""

        text = pattern.sub(_drop, text)
    return text, removed


def tidy_whitespace(text):
    """Strip each line, collapse runs of spaces and of blank lines, strip the ends."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean(text):
    """The cleaned text and a list of what cleaning changed.

    Returns
    -------
    text : str
    changes : list of dict
        One dict per (step, rule) with keys ``step``, ``rule``, ``count`` and ``example``
        (the first text removed or the character replaced).
    """
    _, names = _unicode_table()
    examples = {name: f"U+{ord(c):04X} {c}".strip() for c, name in names.items()}
    text, replaced = normalize_unicode(text)
    text, removed = remove_boilerplate(text)
    changes = [
        {"step": "unicode", "rule": name, "count": n, "example": examples.get(name, "")}
        for name, n in sorted(replaced.items())
    ]
    by_rule = {}
    for rule, step, matched in removed:
        entry = by_rule.setdefault(rule, {"step": step, "rule": rule, "count": 0,
                                          "example": matched.strip()})
        entry["count"] += 1
    changes += list(by_rule.values())
    return tidy_whitespace(text), changes


def clean_text(text):
    """The cleaned text alone (see :func:`clean`)."""
    return clean(text)[0]
