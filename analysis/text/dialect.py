"""Python's character classes written out for the columnar engine's regular expressions.

The pipeline's patterns run in polars, whose regular expressions are Rust's ``regex`` crate:
no lookbehind, lookahead or backreferences, and its ``\\w``, ``\\s``, ``\\d`` and case folding
follow Unicode's tables (a combining mark is a word character there, not in Python's ``re``;
``\\x1c`` is a space in Python, not in Rust). So that a rule means the same in both, the
classes a rule relies on are written out here, character by character, from what Python's
``re`` (or the ``regex`` module) matches: :func:`char_class` turns a one-character Python
pattern into an explicit Rust class that matches exactly the same characters.
"""
import re
from functools import lru_cache

import numpy as np
import polars as pl
import regex

from .memo import kept


@lru_cache(maxsize=None)
def all_characters():
    """Every Unicode scalar value (no surrogates), in order, as one string."""
    points = np.arange(0x110000, dtype=np.uint32)
    points = points[(points < 0xD800) | (points > 0xDFFF)]
    return points.tobytes().decode("utf-32-le")


def _ranges(points):
    """(first, last) of each run of consecutive code points in the sorted array ``points``."""
    if len(points) == 0:
        return []
    breaks = np.flatnonzero(np.diff(points) != 1)
    firsts = np.concatenate([points[:1], points[breaks + 1]])
    lasts = np.concatenate([points[breaks], points[-1:]])
    return list(zip(firsts.tolist(), lasts.tolist()))


def class_of(characters, negate=False):
    """A Rust regex class matching exactly ``characters`` (a string, or an iterable of
    one-character strings), or every other character with ``negate``."""
    text = characters if isinstance(characters, str) else "".join(set(characters))
    # sorted, then unique (np.unique's hashing is ten times slower on a million characters)
    points = np.sort(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32))
    points = points[np.concatenate([[True], points[1:] != points[:-1]])] if len(points) else points
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}"
                   for a, b in _ranges(points.astype(np.int64)))
    if not body:  # a class of no characters: Rust's regex has no "[]"
        return r"[\x{0}-\x{10FFFF}]" if negate else r"[^\x{0}-\x{10FFFF}]"
    return "[" + ("^" if negate else "") + body + "]"


@lru_cache(maxsize=None)
@kept
def characters(pattern, module="re"):
    """The characters a one-character pattern matches in Python's ``re`` (or ``regex``), as one
    string in code point order (compact: a set of them would take ten times the memory)."""
    engine = re if module == "re" else regex
    return "".join(engine.findall(f"(?:{pattern})+", all_characters()))


@lru_cache(maxsize=None)
@kept
def rust_characters(pattern):
    """:func:`characters` as the columnar engine's regex (Rust's) matches ``pattern``: for
    telling apart the characters on which the two engines disagree (``\\w``, and so ``\\b``)."""
    return pl.Series([all_characters()]).str.extract_all(f"(?:{pattern})+").explode(
        empty_as_null=True).str.join("").item()


@lru_cache(maxsize=None)
def char_class(pattern, module="re", negate=False):
    """:func:`class_of` the characters Python's ``pattern`` matches (see :func:`characters`)."""
    return class_of(characters(pattern, module), negate)


def wide_rows(strings):
    """Positions (a polars Series) of the strings in ``strings`` (a polars Series) that are not
    ASCII: more bytes than characters. On ASCII, Python's and Rust's case rules, classes and
    Unicode normal forms all agree, so only these rows need Python's own answer."""
    return (strings.str.len_bytes() != strings.str.len_chars()).arg_true()
