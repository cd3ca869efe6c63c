"""Read and check a theme codebook (TOML): themes, their patterns and exclusions.

A pattern is tokenised exactly as the texts are (:func:`analysis.tokens.word_tokens`), so
spelling and alias variants are caught once: the pattern "UN" finds "U.N." and "United
Nations"; "World War II" finds "the Second World War". Globs ``*`` and ``?`` match within one
token ("cooperat*").

A pattern may carry a context condition, written as a table: it counts only when one of the
``near`` words occurs within ``within`` words of it, and never when one of the ``not_near``
words does (``{pattern = "anniversar*", near = ["war", "victory"], within = 10}``: an
anniversary counts as WWII memory only near war words, not a treaty's).
"""
import re
import tomllib
from pathlib import Path

import pandas as pd

from ..errors import CodebookError, RuleError
from ..rules import SHIPPED, data_path
from ..text.tokens import word_tokens

DEFAULT_CODEBOOK = data_path("codebook.toml")
THEME_KEYS = {"label", "definition", "patterns", "exclude"}
CONDITION_KEYS = {"pattern", "near", "not_near", "within"}
REQUIRED_KEYS = ("label", "definition", "patterns")
_THEME_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_PATTERN = re.compile(r"^[\w*?' .&/-]+$")
_GLOB = re.compile(r"[*?]")


def pattern_tokens(pattern, rules=SHIPPED):
    """The token sequence a pattern matches: normalised like the texts, globs kept.

    Returns
    -------
    tuple of str
        Lower-case tokens, some with ``*`` / ``?``; empty if nothing countable is left.
    """
    globs = {}

    def hold(match):
        key = f"globtoken{chr(97 + len(globs))}x"  # letters only: survives tokenising intact
        globs[key] = match.group(0).lower()
        return key

    held = re.sub(r"[\w'-]*[*?][\w'*?-]*", hold, pattern)
    return tuple(globs.get(token, token) for token in word_tokens(held, rules=rules))


def _tokens(text, theme, key, where, rules):
    """The tokens of one pattern, checked (names theme and entry in every error)."""
    if not text:
        raise CodebookError(f"{where}: theme {theme!r}, {key}: an empty pattern")
    if not _PATTERN.match(text) or not re.search(r"\w", text):
        raise CodebookError(f"{where}: theme {theme!r}, {key} entry {text!r}: use words, "
                            f"spaces, hyphens and the globs * and ? only")
    tokens = pattern_tokens(text, rules)
    if not tokens:
        raise CodebookError(f"{where}: theme {theme!r}, {key} entry {text!r} leaves no "
                            f"token to match (numbers alone are not counted)")
    if all(not re.search(r"[^*?]", t) for t in tokens):
        raise CodebookError(f"{where}: theme {theme!r}, {key} entry {text!r} would match every "
                            f"word: give at least one letter")
    return tokens


def _context(spec, theme, key, where, rules):
    """(near, not_near, within) of a pattern given as a table."""
    unknown = sorted(set(spec) - CONDITION_KEYS)
    if unknown or not isinstance(spec.get("pattern"), str):
        raise CodebookError(f"{where}: theme {theme!r}, {key} entry {spec!r}: a pattern with "
                            f"conditions is a table with pattern (text) and near / not_near "
                            f"(lists of words) and within (a number of words)"
                            + (f"; unknown key(s) {', '.join(unknown)}" if unknown else ""))
    lists = []
    for name in ("near", "not_near"):
        words = spec.get(name, [])
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise CodebookError(f"{where}: theme {theme!r}, {key} entry {spec['pattern']!r}: "
                                f"{name} must be a list of words")
        lists.append(tuple(_tokens(w.strip(), theme, f"{key} ({name})", where, rules) for w in words))
    within = spec.get("within", 8)
    if isinstance(within, bool) or not isinstance(within, int) or within < 1:
        raise CodebookError(f"{where}: theme {theme!r}, {key} entry {spec['pattern']!r}: within "
                            f"must be a whole number of words, at least 1")
    if not lists[0] and not lists[1]:
        raise CodebookError(f"{where}: theme {theme!r}, {key} entry {spec['pattern']!r}: give "
                            f"near or not_near (or write the pattern as plain text)")
    return lists[0], lists[1], within


def _entries(theme, key, value, where, rules):
    if not isinstance(value, list) or not all(isinstance(v, (str, dict)) for v in value):
        raise CodebookError(f"{where}: theme {theme!r}, {key} must be a list of patterns, "
                            f"e.g. {key} = [\"trade\", \"econom*\"]")
    seen, rows = set(), []
    for pattern in value:
        near, not_near, within = (), (), 0
        if isinstance(pattern, dict):
            near, not_near, within = _context(pattern, theme, key, where, rules)
            pattern = pattern["pattern"]
        text = pattern.strip()
        tokens = _tokens(text, theme, key, where, rules)
        if tokens in seen:
            raise CodebookError(f"{where}: theme {theme!r}, {key} entry {pattern!r} repeats an "
                                f"earlier entry (same tokens: {' '.join(tokens)})")
        seen.add(tokens)
        rows.append({"theme": theme, "kind": key.rstrip("s") if key == "patterns" else key,
                     "pattern": text, "tokens": tokens, "near": near, "not_near": not_near,
                     "within": within, "condition": _shown(near, not_near, within)})
    return rows


def _shown(near, not_near, within):
    words = lambda found: ", ".join(" ".join(t) for t in found)  # noqa: E731
    parts = ([f"near {words(near)}"] if near else []) + ([f"not near {words(not_near)}"] if not_near else [])
    return f"{' and '.join(parts)} (within {within} words)" if parts else ""


def load_codebook(path=None, rules=SHIPPED):
    """Read and check a codebook.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with one ``[themes.<key>]`` table per theme; default: ``codebook.toml`` of
        ``rules`` (the shipped ``analysis/data/codebook.toml``, or a corpus's own in its
        ``rules/`` folder).
    rules : analysis.rules.RuleSet
        Patterns are tokenised with these rules, as the texts are (pass the processed
        corpus's ``rules``).

    Returns
    -------
    pandas.DataFrame
        One row per pattern: ``theme``, ``label``, ``definition``, ``kind`` ("pattern" or
        "exclude"), ``pattern`` (as written), ``tokens`` (tuple the pattern matches), ``near``
        and ``not_near`` (token tuples of the context condition, empty if none), ``within``
        (words either side the condition looks at), ``condition`` (readable). Themes in file
        order.

    Raises
    ------
    CodebookError
        Missing or unreadable file, TOML error (including a theme declared twice), unknown
        key, missing label/definition/patterns, empty or malformed pattern, duplicate pattern
        or label; the message names the theme and entry.
    """
    if path is None:
        where = " + ".join(str(p) for p in rules.layers("codebook.toml"))
        try:
            data = rules.toml("codebook.toml")
        except RuleError as exc:
            raise CodebookError(str(exc)) from exc
    else:
        path = Path(path)
        where = str(path)
        if not path.is_file():
            raise CodebookError(f"codebook {where} does not exist (pass codebook_path=None for "
                                f"the shipped one, or the path of your TOML file)")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise CodebookError(f"{where} is not UTF-8 (byte {exc.start}): save it as UTF-8") from exc
        except tomllib.TOMLDecodeError as exc:
            hint = " (is a theme declared twice?)" if "declare" in str(exc).lower() else ""
            raise CodebookError(f"{where} is not valid TOML: {exc}{hint}") from exc
    unknown_top = set(data) - {"themes"}
    if unknown_top:
        raise CodebookError(f"{where}: unknown top-level key(s) {', '.join(sorted(unknown_top))}; "
                            f"put every theme under [themes.<name>]")
    themes = data.get("themes")
    if not isinstance(themes, dict) or not themes:
        raise CodebookError(f"{where}: no themes; add tables like [themes.trade] with label, "
                            f"definition and patterns")
    rows, labels = [], {}
    for theme, spec in themes.items():
        if not _THEME_KEY.match(theme):
            raise CodebookError(f"{where}: theme name {theme!r}: use lower-case letters, digits "
                                f"and _ (e.g. trade_economy)")
        if not isinstance(spec, dict):
            raise CodebookError(f"{where}: theme {theme!r} must be a table with label, "
                                f"definition and patterns")
        unknown = sorted(set(spec) - THEME_KEYS)
        if unknown:
            raise CodebookError(f"{where}: theme {theme!r} has unknown key(s) {', '.join(unknown)} "
                                f"(allowed: {', '.join(sorted(THEME_KEYS))})")
        missing = [k for k in REQUIRED_KEYS if not spec.get(k)]
        if missing:
            raise CodebookError(f"{where}: theme {theme!r} is empty or incomplete: needs "
                                f"{', '.join(missing)}")
        for key in ("label", "definition"):
            if not isinstance(spec[key], str):
                raise CodebookError(f"{where}: theme {theme!r}, {key} must be text")
        if spec["label"] in labels:
            raise CodebookError(f"{where}: themes {labels[spec['label']]!r} and {theme!r} have "
                                f"the same label {spec['label']!r}")
        labels[spec["label"]] = theme
        entries = _entries(theme, "patterns", spec["patterns"], where, rules)
        entries += _entries(theme, "exclude", spec.get("exclude", []), where, rules)
        for entry in entries:
            entry.update(label=spec["label"], definition=spec["definition"])
        rows += entries
    columns = ["theme", "label", "definition", "kind", "pattern", "tokens", "near", "not_near",
                "within", "condition"]
    return pd.DataFrame(rows, columns=columns)


def theme_table(codebook):
    """One row per theme: ``theme``, ``label``, ``definition``, ``patterns`` (joined, each
    with its condition in brackets), in order."""
    patterns = codebook[codebook["kind"] == "pattern"]
    patterns = patterns.assign(pattern=[p if not c else f"{p} [{c}]"
                                        for p, c in zip(patterns["pattern"], patterns["condition"])])
    table = patterns.groupby("theme", sort=False).agg(
        label=("label", "first"), definition=("definition", "first"),
        patterns=("pattern", lambda p: ", ".join(p)))
    excludes = codebook[codebook["kind"] == "exclude"].groupby("theme")["pattern"].agg(", ".join)
    return table.assign(exclude=excludes.reindex(table.index).fillna("")).reset_index()
