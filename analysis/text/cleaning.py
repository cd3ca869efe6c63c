"""Clean a document's text: one way of writing quotes, dashes and spaces; no page chrome.

Each step is a small function over a string that returns the new string and what it changed,
so the corpus overview can show per document what was removed (nothing disappears silently).
The rules are the data files ``unicode_map.tsv`` and ``removal_rules.tsv``.

The steps run over all the texts of a corpus at once, as polars column expressions (Rust's
regex engine, on every core): line ends, the removal rules (written in Rust's regex dialect,
see ``removal_rules.tsv``) and whitespace. Page furniture is judged line by line in Python
(:mod:`analysis.text.boilerplate`) between them.

Cleaning keeps the words as written: British spellings and aliases are normalised later, when
tokens are made (see :mod:`analysis.normalize`), so sentences can be quoted as the source
wrote them.
"""
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import polars as pl

from ..errors import RuleError
from ..rules import SHIPPED
from .boilerplate import furniture, word_counts
from .dialect import characters, class_of, wide_rows
from .parallel import BATCH, THREADS, chunk_stream

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# The line boundaries of str.splitlines, "\r\n" first so it counts as one (Rust's regex).
_LINE_BREAK = "\\r\\n?|" + class_of("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_SPACES = " [ \\t]+|\\t[ \\t]*"  # a single space is left alone: it is most of them
_BLANK_LINES = "\\n{3,}"


@lru_cache(maxsize=None)
def _line_edge():
    """Python's ``[^\\S\\n]*\\n[^\\S\\n]*`` for Rust's regex (whose ``\\s`` lacks \\x1c-\\x1f),
    and the characters ``str.strip`` removes."""
    spaces = characters(r"\s")
    inline = class_of(spaces.replace("\n", ""))
    return f"{inline}*\\n{inline}*", "".join(c for c in spaces if c.isspace())


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
    """A rule's pattern in Rust's regex dialect (what polars runs), multi-line mode."""
    pattern = "(?m)" + row["pattern"]
    try:
        pl.Series([""], dtype=pl.String).str.contains(pattern)
    except pl.exceptions.PolarsError as exc:
        reason = str(exc).strip().splitlines()
        raise RuleError(f"{row['_where']}: pattern of rule {row['rule']!r} is not a valid "
                        f"regular expression in Rust's regex dialect "
                        f"({' '.join(line.strip() for line in reason if line.strip())[:300]})") from None
    return pattern


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


def unified_column(texts, rules=SHIPPED):
    """``normalize_unicode(text)[0]`` of every text, as a polars Series of strings: the map as
    one polars ``replace_many`` over the column (every key is one character, so matches cannot
    overlap and the order of keys does not matter), then Python's NFKC (the Unicode tables of
    Python's ``unicodedata``, not Rust's newer ones) on the texts that hold a character NFKC
    could change (:func:`_nfkc_inert`); the others stay in the column."""
    table, _, _ = _unicode_table(rules)
    texts = _strings(texts)
    if table:
        texts = texts.str.replace_many(list(table), list(table.values()))
    wide = wide_rows(texts)  # ASCII texts are NFKC already: only the others are scanned
    maybe = wide.filter(texts.gather(wide).str.contains(_nfkc_inert(negate=True)))
    if len(maybe) == 0:
        return texts
    changed = [text if unicodedata.is_normalized("NFKC", text) else _nfkc_by_line(text)
               for text in texts.gather(maybe).to_list()]
    return texts.scatter(maybe, pl.Series(changed, dtype=pl.String))


# Blocks whose characters are checked one by one for _nfkc_inert: Latin, spacing modifiers,
# Greek, Cyrillic, punctuation and symbols, CJK (kana, ideographs). Every other character
# sends its text to Python's NFKC check (a fast test there).
_INERT_BLOCKS = ((0x0000, 0x052F), (0x2000, 0x2BFF), (0x2E80, 0x9FFF))


@lru_cache(maxsize=None)
def _nfkc_inert(negate=False):
    """A Rust class of characters that NFKC leaves as they are whatever surrounds them: in
    :data:`_INERT_BLOCKS`, NFKC of the character alone is itself and its combining class is 0
    (so nothing reorders it and, these blocks holding no second half of a composition but
    combining marks, nothing composes with it). A text made only of them is NFKC already.
    With ``negate``, every other character."""
    inert = [c for first, last in _INERT_BLOCKS for c in map(chr, range(first, last + 1))
             if not unicodedata.combining(c) and unicodedata.normalize("NFKC", c) == c]
    return class_of(inert, negate)


def _nfkc_by_line(text):
    """NFKC of ``text``, a line at a time, only the lines it changes (most texts that need it
    have one ellipsis). The same as NFKC of the whole text: "\n" has no decomposition, is part
    of no composition, and combining marks are reordered only between such characters."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.isascii() and not unicodedata.is_normalized("NFKC", line):
            lines[i] = unicodedata.normalize("NFKC", line)
    return "\n".join(lines)


def _strings(texts):
    """``texts`` as a polars Series of strings (texts read from files when asked for make
    their column themselves: see :meth:`analysis.text.corpus.RawTexts.column`)."""
    if isinstance(texts, pl.Series):
        return texts
    column = getattr(texts, "column", None)
    return column() if column is not None else pl.Series(list(texts), dtype=pl.String)


def _without_removals(texts, rules=SHIPPED, removed=None):
    """The removal rules over a column of texts (one kind of line end already), rule after
    rule; with ``removed`` (one list per text) each removal is appended to its text's list as
    (rule, step, matched_text), in order."""
    texts = _strings(texts)
    for rule, step, pattern in _removal_rules(rules):
        if removed is not None:
            for found, matches in zip(removed, texts.str.extract_all(pattern).to_list()):
                found += [(rule, step, match) for match in matches or ()]
        texts = texts.str.replace_all(pattern, "")
    return texts


def remove_boilerplate(text, rules=SHIPPED):
    """Remove page chrome, scrape headers, collector labels, attributions, truncation marks.

    Returns
    -------
    text : str
    removed : list of (rule, step, matched_text)
    """
    removed = [[]]
    return _without_removals([text], rules, removed)[0], removed[0]


def _tidy(texts):
    """:func:`tidy_whitespace` over a column of texts."""
    edge, strip = _line_edge()
    return (_strings(texts).str.replace_all(_LINE_BREAK, "\n").str.replace_all(_SPACES, " ")
            .str.replace_all(edge, "\n").str.strip_chars(strip).str.replace_all(_BLANK_LINES, "\n\n"))


def tidy_whitespace(text):
    """Strip each line, collapse runs of spaces and of blank lines, strip the ends.

    Lines end where :meth:`str.splitlines` ends them; whole-text patterns instead of a loop
    over lines, because this runs on every document.
    """
    return _tidy([text])[0]


def remove_furniture(text, rules=SHIPPED, repeated=frozenset(), title=""):
    """Remove the lines :func:`analysis.text.boilerplate.furniture` finds (menus, ads,
    captions, related links, bylines, timestamps, footers).

    Returns
    -------
    text : str
    removed : list of (rule, step, line)
    """
    lines = text.split("\n")
    found = furniture(lines, rules, repeated, title)
    if not found:
        return text, []
    removed = [(rule, "page_chrome", lines[i].strip()) for i, rule in sorted(found.items())]
    return "\n".join(line for i, line in enumerate(lines) if i not in found), removed


def _cleaned(unified, rules=SHIPPED, repeated=None, titles=None, removed=None):
    """The cleaned texts (a list) of texts already through :func:`normalize_unicode`.

    One kind of line end before any rule sees the text ("^" and "$" of the removal rules know
    only "\\n", so a CR or U+2028 line end must not hide a line boundary from them); the
    removal rules; page furniture, line by line; whitespace. With ``removed`` (one list per
    text), every removal is appended to its text's list as (rule, step, text)."""
    texts = _without_removals(_strings(unified).str.replace_all(_LINE_BREAK, "\n"), rules, removed)
    with word_counts(texts, rules):
        texts = texts.to_list()
        for i, text in enumerate(texts):
            texts[i], lines = remove_furniture(text, rules, frozenset() if repeated is None else repeated[i],
                                               "" if titles is None else titles[i])
            if removed is not None:
                removed[i] += lines
    return _tidy(texts).to_list()


def clean_with_removals(text, rules=SHIPPED, repeated=frozenset(), title=""):
    """:func:`clean`, also returning every piece of text removed, in order.

    Returns
    -------
    text : str
    changes : list of dict
        As :func:`clean`.
    removed : list of dict
        ``step``, ``rule``, ``text``: one per removal (a whole line for furniture).
    """
    _, names, _ = _unicode_table(rules)
    examples = {name: f"U+{ord(c):04X} {c}".strip() for c, name in names.items()}
    text, replaced = normalize_unicode(text, rules)
    found = [[]]
    [text] = _cleaned([text], rules, [repeated], [title], found)
    removed = found[0]
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
    return (text, changes,
            [{"step": step, "rule": rule, "text": matched.strip()} for rule, step, matched in removed])


def clean(text, rules=SHIPPED, repeated=frozenset(), title=""):
    """The cleaned text and a list of what cleaning changed.

    Steps: the unicode map (quotes, dashes, spaces written one way, then NFKC); one kind of
    line end; the removal rules (``removal_rules.tsv``: scrape headers, labels, attributions,
    truncation marks, site-specific chrome); page furniture line by line
    (``boilerplate.toml``, see :mod:`analysis.text.boilerplate`); tidy whitespace.

    Parameters
    ----------
    text : str
    rules : analysis.rules.RuleSet
        Whose rule files apply (default: the shipped ones).
    repeated : set of str
        Lines the document's outlet repeats across its documents (furniture).
    title : str
        The document's title: a line reading the same is kept as its title.

    Returns
    -------
    text : str
    changes : list of dict
        One dict per (step, rule) with keys ``step``, ``rule``, ``count`` and ``example``
        (the first text removed or the character replaced).
    """
    return clean_with_removals(text, rules, repeated, title)[:2]


def clean_text(text, rules=SHIPPED, repeated=frozenset(), title=""):
    """The cleaned text alone (see :func:`clean`)."""
    return clean(text, rules, repeated, title)[0]


class _Rows:
    """(text, repeated lines, title) per document; a slice is another ``_Rows``, so texts that
    are read when asked for (:class:`analysis.text.corpus.RawTexts`) are read a batch at a
    time, by the process that cleans them."""

    def __init__(self, texts, repeated, titles):
        self.texts, self.repeated, self.titles = texts, repeated, titles

    def __len__(self):
        return len(self.texts)

    def __getitem__(self, part):
        return _Rows(self.texts[part], self.repeated[part], self.titles[part])

    def __iter__(self):
        return zip(self.texts, self.repeated, self.titles)


def _clean_chunk(items, rules=SHIPPED):
    return _cleaned(unified_column(items.texts, rules), rules, items.repeated, items.titles)


def clean_texts(texts, n_jobs=1, rules=SHIPPED, repeated=None, titles=None):
    """:func:`clean_text` of every text, in order, on ``n_jobs`` processes (within each, the
    column steps run on every core, a batch of texts at a time); ``repeated``: one set of
    outlet-repeated lines per text; ``titles``: one title per text (default: none)."""
    return [text for batch in clean_batches(texts, n_jobs, rules, repeated, titles) for text in batch]


def clean_batches(texts, n_jobs=1, rules=SHIPPED, repeated=None, titles=None):
    """:func:`clean_texts` as a generator: the cleaned texts a batch (a list) at a time, in
    order, each as soon as it is ready."""
    texts = texts if hasattr(texts, "__getitem__") and hasattr(texts, "__len__") else list(texts)
    repeated = [frozenset()] * len(texts) if repeated is None else repeated
    titles = [""] * len(texts) if titles is None else titles
    # two batches at once in threads: one's lines are judged in Python while the other's
    # column steps run
    yield from chunk_stream(_clean_chunk, _Rows(texts, repeated, titles), n_jobs, rules, batch=BATCH,
                            threads=THREADS)
