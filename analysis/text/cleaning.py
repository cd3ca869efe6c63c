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

from ..errors import RuleError
from ..rules import SHIPPED
from .parallel import chunk_results

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# The line boundaries of str.splitlines, "\r\n" first so it counts as one.
_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r" [ \t]+|\t[ \t]*")  # a single space is left alone: it is most of them
_LINE_EDGE = re.compile(r"[^\S\n]*\n[^\S\n]*")
_BLANK_LINES = re.compile(r"\n{3,}")


@lru_cache(maxsize=None)
def _unicode_table(rules=SHIPPED):
    table, names = {}, {}
    for row in rules.table("unicode_map.tsv"):
        try:
            char = chr(int(row["codepoint"], 16))
        except ValueError:
            raise RuleError(f"{row['_where']}: codepoint {row['codepoint']!r} is not a "
                            f"hexadecimal code point (e.g. 201C)") from None
        table[char] = row["replacement"].replace("\\s", " ")
        names[char] = row["name"]
    mapped = re.compile("[" + "".join(map(re.escape, sorted(table))) + "]")
    return table, names, mapped


def _compiled(row):
    try:
        return re.compile(row["pattern"], re.MULTILINE)
    except re.error as exc:
        raise RuleError(f"{row['_where']}: pattern of rule {row['rule']!r} is not a valid "
                        f"regular expression ({exc})") from None


@lru_cache(maxsize=None)
def _removal_rules(rules=SHIPPED):
    return tuple((row["rule"], row["step"], _compiled(row))
                 for row in rules.table("removal_rules.tsv"))


def normalize_unicode(text, rules=SHIPPED):
    """Map typographic quotes, dashes and odd spaces to plain ones, then NFKC.

    Returns
    -------
    text : str
    changes : collections.Counter
        Character name -> number of replacements.
    """
    table, names, mapped = _unicode_table(rules)
    changes = Counter()

    def replace(match):
        changes[names[match.group()]] += 1
        return table[match.group()]

    # Only the few mapped characters call back into Python; str.translate visits every one.
    text = mapped.sub(replace, text)
    if not unicodedata.is_normalized("NFKC", text):
        changes["NFKC compatibility form"] += sum(
            1 for c in _NON_ASCII.findall(text) if unicodedata.normalize("NFKC", c) != c)
        text = unicodedata.normalize("NFKC", text)
    return text, changes


def remove_boilerplate(text, rules=SHIPPED):
    """Remove page chrome, scrape headers, collector labels, attributions, truncation marks.

    Returns
    -------
    text : str
    removed : list of (rule, step, matched_text)
    """
    removed = []
    for rule, step, pattern in _removal_rules(rules):
        def _drop(match, rule=rule, step=step):
            removed.append((rule, step, match.group(0)))
            return ""

        text = pattern.sub(_drop, text)
    return text, removed


def tidy_whitespace(text):
    """Strip each line, collapse runs of spaces and of blank lines, strip the ends.

    Lines end where :meth:`str.splitlines` ends them; whole-text patterns instead of a loop
    over lines, because this runs on every document.
    """
    text = _LINE_BREAK.sub("\n", text)
    text = _LINE_EDGE.sub("\n", _SPACES.sub(" ", text))
    return _BLANK_LINES.sub("\n\n", text.strip())


def clean(text, rules=SHIPPED):
    """The cleaned text and a list of what cleaning changed.

    Parameters
    ----------
    text : str
    rules : analysis.rules.RuleSet
        Whose ``unicode_map.tsv`` and ``removal_rules.tsv`` apply (default: the shipped ones).

    Returns
    -------
    text : str
    changes : list of dict
        One dict per (step, rule) with keys ``step``, ``rule``, ``count`` and ``example``
        (the first text removed or the character replaced).
    """
    _, names, _ = _unicode_table(rules)
    examples = {name: f"U+{ord(c):04X} {c}".strip() for c, name in names.items()}
    text, replaced = normalize_unicode(text, rules)
    text, removed = remove_boilerplate(text, rules)
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


def clean_text(text, rules=SHIPPED):
    """The cleaned text alone (see :func:`clean`)."""
    return clean(text, rules)[0]


def _clean_chunk(texts, rules=SHIPPED):
    return [clean_text(text, rules) for text in texts]


def clean_texts(texts, n_jobs=1, rules=SHIPPED):
    """:func:`clean_text` of every text, in order, on ``n_jobs`` processes."""
    return [text for chunk in chunk_results(_clean_chunk, texts, n_jobs, rules) for text in chunk]
