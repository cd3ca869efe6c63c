"""Page furniture of saved web pages, line by line, in the spirit of jusText.

jusText (Pomikalek 2011) classifies the paragraphs of a page by what they are (length,
stop-word density, link density) and then by their neighbours. Saved as text, a page has no
links left, so here a line is judged by the rules of ``boilerplate.toml``:

1. **prose**: at least ``prose_words`` words, ending like a sentence: always kept;
2. **furniture by what it is**: a menu, a whole-line furniture phrase ("Advertisement"), a line
   beginning with one ("Read more: ...", "Sign up ..."), a caption ending in a photo credit, a
   byline, a timestamp, a headline under a related-links header, or a short line repeated in
   several documents of the same outlet;
3. **by where the article is**: the article is the clusters of text lines (prose and short
   sentences close together); around it, only its title, standfirst and a heading over its
   first paragraph are kept. Menus of one item per line, tag lists, footers and the short
   lines of forms around it are removed; prose is not (an "about us" paragraph stays).

:func:`furniture` returns the line numbers to remove with the rule that removed each, so the
cleaning report can list every removed line (nothing is removed silently).
"""
import re
import threading
from contextlib import contextmanager
from functools import lru_cache

import polars as pl

from ..errors import RuleError
from ..rules import SHIPPED
from .dialect import characters, class_of
from .parallel import BATCH, THREADS, ordered_map

_WORD = re.compile(r"[\w][\w'’.:/-]*")
# Ends like a sentence: . ! ? (or an ellipsis), maybe followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_BYLINE = re.compile(r"^(?:By|BY|Written by|Text by)\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}"
                     r"(?:\s*(?:,|and|&|in|for)\s+.*)?$")
_AUTHOR = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}\s+(?:(?:is|was)\s+(?:a|an|the)\s|covers\s|"
                     r"reports\s+on\s|writes\s+(?:about|on)\s|joined\s)")
_COUNT = re.compile(r"^\d+(?:[.,]\d+)?\s*[KkMm]?$")  # a share or comment count: "1.1K"
_DATE_NUMBER = re.compile(r"^\d{1,4}(?:[/.:-]\d{1,4}){0,2},?$|^\d{1,2}(?:st|nd|rd|th),?$")


@lru_cache(maxsize=None)
def furniture_rules(rules=SHIPPED):
    """``boilerplate.toml`` of ``rules``, checked and compiled (a dict)."""
    data = rules.toml("boilerplate.toml")
    where = " + ".join(str(p) for p in rules.layers("boilerplate.toml"))
    try:
        sizes = {k: int(v) for k, v in data["sizes"].items()}
        lines = data["lines"]
        credits = data["credits"]
        stamps = data["timestamps"]
        menus = data["menus"]
        compiled = {
            **sizes,
            "exact": frozenset(w.lower().strip() for w in lines["exact"]),
            "starts": tuple(w.lower() for w in lines["starts"]),
            "contains": tuple(w.lower() for w in lines["contains"]),
            "notices": tuple(w.lower() for w in lines["notices"]),
            "end_starts": tuple(w.lower() for w in data["article"]["end_starts"]),
            "end_phrases": tuple(w.lower() for w in data["article"]["end_phrases"]),
            "author_roles": frozenset(w.lower() for w in lines["author_roles"]),
            "related": frozenset(w.lower() for w in data["related"]["headers"]),
            "separators": tuple(menus["separators"]),
            "min_items": int(menus["min_items"]),
            "item_words": int(menus["item_words"]),
            "stamp_words": frozenset(w.lower() for w in stamps["words"]),
            "stamp_max": int(stamps["max_words"]),
            "stamp_share": float(stamps["min_share"]),
        }
        markers = "|".join(re.escape(m) for m in sorted(credits["markers"], key=len, reverse=True))
        agencies = "|".join(re.escape(a) for a in sorted(credits["agencies"], key=len, reverse=True))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RuleError(f"{where}: missing or malformed entry ({exc}); see the shipped "
                        f"boilerplate.toml for the tables it needs") from None
    # a credit at the end of a line: "Photo: Name/AP", "© Sputnik / Kremlin pool", "(Reuters)"
    compiled["credit_end"] = re.compile(
        rf"(?i:(?:{markers})\s*[^.!?]{{0,80}}$)|(?i:[/|]\s*(?:{agencies})\s*\)?$)|"
        rf"(?i:\((?:{agencies})\)\s*$)")
    compiled["credit_only"] = re.compile(rf"^\s*(?i:{markers})")
    # What an ASCII line must hold for either pattern to match (see _may_be_credit): a marker,
    # or the "/", "|" or "(" before an agency. A marker that is not ASCII keeps its pattern
    # (case-insensitive matching can pair some such letters with ASCII ones).
    others = [m for m in credits["markers"] if not m.isascii()]
    compiled["credit_markers"] = tuple(m.lower() for m in credits["markers"] if m.isascii()) \
        if all(credits["markers"]) and credits["markers"] else None
    compiled["credit_other"] = re.compile("|".join(map(re.escape, others)), re.IGNORECASE).search \
        if others else None
    # one search instead of a substring test per phrase (same answer: is any phrase in it?)
    compiled["notice_search"] = re.compile(
        "|".join(map(re.escape, compiled["notices"])) if compiled["notices"] else "(?!)").search
    return compiled


@lru_cache(maxsize=1 << 10)
def _words(line):
    """The words of ``line`` (a tuple): the same lines are asked about several times while one
    document is judged (most questions only need their number: :func:`_count`)."""
    return tuple(_WORD.findall(line))


# For the batch of documents being cleaned in this thread (batches are cleaned in two threads
# at once): line -> number of words, and line -> what it is by itself (see _line_kind).
_BATCH = threading.local()
_EMPTY = {}


def _batch(name):
    return getattr(_BATCH, name, _EMPTY)


def _count(line):
    """``len(_words(line))``, from the counts polars made for the batch when it has it."""
    found = _batch("counts").get(line)
    return len(_words(line)) if found is None else found


@contextmanager
def word_counts(texts, rules=SHIPPED):
    """Within the ``with`` block, the words of every line of ``texts`` (a polars Series of
    documents) are counted, and what each line is by itself found (:func:`_line_kind`): in
    polars, all the batch's lines at once (Python's ``\\w`` and ``\\s`` written out; the notice
    phrases looked for in the lower-cased line)."""
    found = furniture_rules(rules)
    word, _, sentence_end, spaces = _line_patterns()
    lines = texts.str.split("\n").explode(empty_as_null=True).drop_nulls().unique()
    counts = lines.str.count_matches(word)
    stripped = lines.str.strip_chars(spaces)
    notice = (counts <= found["caption_words"]) & lines.str.to_lowercase().str.contains_any(
        list(found["notices"])) if found["notices"] else pl.repeat(False, len(lines), eager=True)
    kinds = (pl.select(pl.when(stripped == "").then(_BLANK).when(notice).then(_NOTICE)
                       .when((counts >= found["prose_words"]) & stripped.str.contains(sentence_end))
                       .then(_PROSE).otherwise(_OTHER)).to_series())
    written = lines.to_list()
    _BATCH.counts = dict(zip(written, counts.to_list()))
    _BATCH.kinds = dict(zip(written, kinds.to_list()))
    try:
        yield
    finally:
        _BATCH.counts = _BATCH.kinds = _EMPTY


# What a line is by itself, before its neighbours are looked at (see furniture).
_BLANK, _NOTICE, _PROSE, _OTHER = range(4)


def _line_kind(line, found):
    """:data:`_BLANK`, :data:`_NOTICE` (a notice of cookies, subscriptions, ...), :data:`_PROSE`
    or :data:`_OTHER`: from the batch's kinds when it has them (:func:`word_counts`)."""
    known = _batch("kinds").get(line)
    if known is not None:
        return known
    if not line.strip():
        return _BLANK
    if _count(line) <= found["caption_words"] and found["notice_search"](line.lower()) is not None:
        return _NOTICE
    return _PROSE if _is_prose(line, found) else _OTHER


def _key(line):
    return line.strip().lower().rstrip(" .:!?…-–—").strip()


def is_prose(line, rules=SHIPPED):
    """Whether a line is prose that no furniture rule may remove."""
    return _is_prose(line, furniture_rules(rules))


def _is_prose(line, found):
    # (word_counts writes the same rule as a column expression, for a whole batch)
    return _count(line) >= found["prose_words"] and bool(_SENTENCE_END.search(line.strip()))


def _is_menu(line, found):
    for separator in found["separators"]:
        items = [item.strip() for item in line.split(separator)]
        if len(items) >= found["min_items"] and all(
                item and len(item.split()) <= found["item_words"] for item in items) \
                and not _SENTENCE_END.search(line.strip()):
            return True
    return False


def _is_timestamp(words, found):
    if not words or len(words) > found["stamp_max"]:
        return False
    dated = sum(1 for w in words if w.lower().rstrip(",.") in found["stamp_words"]
                or _DATE_NUMBER.match(w))
    return any(c.isdigit() for w in words for c in w) and dated / len(words) >= found["stamp_share"]


def _may_be_credit(stripped, lowered, found):
    """False only where neither credit pattern can match: an ASCII line with no credit marker
    and none of "/", "|", "(" (the searches cost 15 microseconds a line, and most short lines
    are not credits). Any other line goes to the patterns."""
    markers = found["credit_markers"]
    if markers is None or not stripped.isascii() or "/" in stripped or "|" in stripped \
            or "(" in stripped:
        return True
    return any(m in lowered for m in markers) or (
        found["credit_other"] is not None and found["credit_other"](stripped) is not None)


def _what_it_is(line, found, repeated):
    """The rule that makes ``line`` furniture by itself, or ""."""
    stripped = line.strip()
    n_words = _count(line)  # the words themselves only a timestamp needs
    if n_words > max(found["max_furniture_words"], found["caption_words"]):
        return ""
    key = _key(stripped)
    short = n_words <= found["max_furniture_words"]
    lowered = stripped.lower()
    if found["notice_search"](lowered):
        return "notice"
    if short and key in found["exact"]:
        return "furniture_line"
    if (lowered.startswith(found["end_starts"]) or any(m in lowered for m in found["end_phrases"])) \
            and n_words <= found["caption_words"]:
        return "article_end"
    if short and lowered.startswith(found["starts"]):
        return "furniture_start"
    if short and any(phrase in lowered for phrase in found["contains"]):
        return "furniture_phrase"
    if _may_be_credit(stripped, lowered, found) and (
            found["credit_end"].search(stripped) and n_words <= found["caption_words"]
            and not _SENTENCE_END.search(stripped.rstrip(")")) or (
            found["credit_only"].match(stripped) and short)):
        return "caption_credit"
    if short and _is_menu(stripped, found):
        return "menu"
    if short and _BYLINE.match(stripped) and not stripped.endswith("."):
        return "byline"
    if short and _is_timestamp(_words(stripped), found):
        return "timestamp"
    if _COUNT.match(stripped):
        return "count"
    if stripped in repeated and n_words <= found["repeated_words"]:
        return "repeated_in_outlet"
    return ""


def furniture(lines, rules=SHIPPED, repeated=frozenset(), title=""):
    """The furniture among the lines of one document.

    Parameters
    ----------
    lines : list of str
        The document's lines (after the unicode map and the removal rules).
    rules : analysis.rules.RuleSet
    repeated : set of str
        Short lines (stripped) that several documents of this document's outlet share
        (:func:`repeated_lines`).
    title : str
        The document's title (the manifest's ``title``): a line that reads the same is kept.

    Returns
    -------
    dict
        Line index -> rule name, for every line to remove.
    """
    found = furniture_rules(rules)
    kinds, removed = [], {}
    title = _key(title) if title else None
    for index, line in enumerate(lines):
        kind = _line_kind(line, found)
        if kind == _BLANK:
            kinds.append("blank")
        elif title and _key(line) == title:
            kinds.append("title")
        elif kind == _NOTICE:
            removed[index] = "notice"
            kinds.append("furniture")
        elif kind == _PROSE:
            kinds.append("prose")
        else:
            rule = _what_it_is(line, found, repeated)
            if rule:
                removed[index] = rule
                kinds.append("furniture")
            elif _SENTENCE_END.search(line.strip()) or line.strip().endswith((":", ";")):
                kinds.append("sentence")  # a short sentence or an introduction: kept, as prose is
            else:
                kinds.append("short" if _count(line) < found["short_words"] else "medium")
    if removed or any(kind not in ("prose", "blank") for kind in kinds):
        _captions_and_related(lines, kinds, removed, found)
        _mastheads_and_authors(lines, kinds, removed, found)
        _by_article(lines, kinds, removed, found)
    else:  # only prose: nothing around an article to judge, but its last line may be an author's note
        _mastheads_and_authors(lines, kinds, removed, found)
    return removed


def _mastheads_and_authors(lines, kinds, removed, found):
    filled = [i for i, k in enumerate(kinds) if k != "blank"]
    # a site name: a line before any prose that a menu follows
    for position, index in enumerate(filled[:-1]):
        if kinds[index] == "prose":
            break
        if kinds[index] in ("short", "medium") and removed.get(filled[position + 1]) == "menu":
            removed[index], kinds[index] = "masthead", "furniture"
    # an author note: after the last prose line, "<Name> is a <role> at ..."
    prose = [i for i in filled if kinds[i] == "prose"]
    for index in (i for i in filled if prose and i > prose[-1] - 1):
        line = lines[index].strip()
        author = index != prose[0] and _AUTHOR.match(line)
        if not author:
            continue
        words = _words(line)
        if len(words) <= found["caption_words"] \
                and ({w.lower().strip(",.") for w in words} & found["author_roles"]
                     or not author.group(0).rstrip().endswith(("a", "an", "the"))) \
                and all(kinds[i] != "prose" for i in filled if i > index):
            removed[index], kinds[index] = "author_note", "furniture"


def _captions_and_related(lines, kinds, removed, found):
    filled = [i for i, k in enumerate(kinds) if k != "blank"]
    for position, index in enumerate(filled):
        following = filled[position + 1] if position + 1 < len(filled) else None
        # a caption stands just before a line that is only its credit
        if kinds[index] in ("short", "medium") and following is not None \
                and removed.get(following) == "caption_credit" \
                and _count(lines[following]) <= 8 \
                and _count(lines[index]) <= found["caption_words"]:
            removed[index], kinds[index] = "caption", "furniture"
        # headlines under a related-links header
        if kinds[index] == "furniture" and _key(lines[index]) in found["related"]:
            for later in filled[position + 1:]:
                if kinds[later] == "prose" or _SENTENCE_END.search(lines[later].strip().rstrip("?")):
                    break
                if _count(lines[later]) > found["max_furniture_words"]:
                    break
                if later not in removed:
                    removed[later], kinds[later] = "related_link", "furniture"


def _by_article(lines, kinds, removed, found):
    """Where the article is: clusters of text lines (prose, or short sentences) that no more
    than ``cluster_gap`` other lines separate; the clusters with at least ``article_chars``
    characters of text (or the largest) are the article. Before it, a title or standfirst (a
    medium line among the last ``title_lines`` lines) and a heading right over its first text
    are kept; every other line outside the article that is not prose (menus of one item per
    line, tag lists, footers, short sentences of a feedback form) is furniture."""
    filled = [i for i, k in enumerate(kinds) if k != "blank"]
    # the article ends at a credit line ("Reporting by ...", "... contributed to this report")
    # followed by less text than came before it
    ends = [i for i in filled if removed.get(i) == "article_end"]
    for index in ends:
        after = sum(len(lines[i]) for i in filled if i > index and kinds[i] == "prose")
        before = sum(len(lines[i]) for i in filled if i < index and kinds[i] == "prose")
        if after < before:
            for later in (i for i in filled if i > index and kinds[i] not in ("furniture", "title")):
                removed[later], kinds[later] = "after_article", "furniture"
            break
    text = [i for i in filled if kinds[i] in ("prose", "sentence")]
    if not text:
        return
    clusters, current = [], [text[0]]
    position = {index: p for p, index in enumerate(filled)}
    for a, b in zip(text, text[1:]):
        between = position[b] - position[a] - 1
        if between > found["cluster_gap"]:
            clusters.append(current)
            current = []
        current.append(b)
    clusters.append(current)
    size = [sum(len(lines[i]) for i in c if kinds[i] == "prose") for c in clusters]
    article = [c for c, n in zip(clusters, size) if n >= found["article_chars"]] or \
        [clusters[max(range(len(clusters)), key=size.__getitem__)]]
    start, end = article[0][0], article[-1][-1]
    before = [i for i in filled if i < start and kinds[i] != "furniture"]
    titles = set(before[-found["title_lines"]:])
    heading = before[-1] if before else None
    for index in filled:
        kind = kinds[index]
        if kind in ("furniture", "title"):
            continue
        if start <= index <= end:
            continue  # inside the article only the rules of what a line is remove it
        if index < start:
            if index == heading and kind in ("short", "medium", "sentence") \
                    and sum(len(lines[i].strip()) for i in filled if index < i < start) <= found["heading_distance"]:
                continue  # a heading over the article's first text
            if index in titles and kind in ("medium", "sentence", "prose"):
                continue  # the title and standfirst
            rule = "before_article"
        else:
            rule = "after_article"
        if kind == "prose":
            continue  # prose is never removed for where it stands, only for what it says
        removed[index], kinds[index] = rule, "furniture"


@lru_cache(maxsize=None)
def _line_patterns():
    """:data:`_WORD`, the line ends of ``str.splitlines``, :data:`_SENTENCE_END` on a stripped
    line and the characters ``str.strip`` removes, for polars (Rust's regex; Python's ``\\w``
    and ``\\s`` written out, see :mod:`analysis.text.dialect`)."""
    word = characters(r"\w")
    spaces = characters(r"\s")
    breaks = "\\r\\n?|" + class_of("\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    return (class_of(word) + class_of(word + "'’.:/-") + "*", breaks,
            "[.!?…][\"'”’)\\]]*$", spaces)


def repeated_lines(texts, outlets, rules=SHIPPED):
    """Short lines found in several documents of the same outlet: the outlet's furniture.

    Found in polars over all the documents' lines at once.

    Parameters
    ----------
    texts : list of str
        Documents (after the unicode map); or any sequence whose slices are lists of them.
    outlets : list of str
        Each document's outlet.

    Returns
    -------
    list of frozenset
        For each document, the repeated lines of its outlet (empty for an outlet with one
        document).
    """
    found = furniture_rules(rules)
    word, breaks, sentence_end, spaces = _line_patterns()
    outlets = list(outlets)
    texts = texts if hasattr(texts, "__getitem__") and hasattr(texts, "__len__") else list(texts)

    def short_lines(first):  # one batch of documents: its short lines, once per document
        lines = pl.DataFrame({"outlet": pl.Series(outlets[first:first + BATCH], dtype=pl.String),
                              "line": pl.Series(texts[first:first + BATCH], dtype=pl.String)})
        # short lines that do not read as sentences: a repeated sentence is shared content
        return (lines.with_row_index("document", offset=first).lazy()
                .with_columns(pl.col("line").str.replace_all(breaks, "\n").str.split("\n"))
                .explode("line", empty_as_null=True).with_columns(pl.col("line").str.strip_chars(spaces))
                .filter((pl.col("line") != "") & (pl.col("line").str.count_matches(word) <= found["repeated_words"])
                        & ~pl.col("line").str.contains(sentence_end))
                .unique(["document", "line"]).collect())

    # two batches at once: one's files are read and mapped in Python while the other's lines
    # are split and counted in the column engine
    found_lines = list(ordered_map(short_lines, range(0, len(texts), BATCH), THREADS))
    if not found_lines:
        return []
    counted = (pl.concat(found_lines).group_by("outlet", "line").len()
               .filter(pl.col("len") >= found["repeated_in"]))
    shared = {}
    for outlet, line in zip(counted["outlet"].to_list(), counted["line"].to_list()):
        shared.setdefault(outlet, set()).add(line)
    shared = {outlet: frozenset(found_lines) for outlet, found_lines in shared.items()}
    return [shared.get(outlet, frozenset()) for outlet in outlets]
