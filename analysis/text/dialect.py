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
import regex


@lru_cache(maxsize=None)
def all_characters():
    """Every Unicode scalar value (no surrogates), in order, as one string."""
    points = np.arange(0x110000, dtype=np.uint32)
    points = points[(points < 0xD800) | (points > 0xDFFF)]
    return points.tobytes().decode("utf-32-le")


def _ranges(points):
    ranges, start, previous = [], None, None
    for point in points:
        if start is None:
            start = previous = point
        elif point == previous + 1:
            previous = point
        else:
            ranges.append((start, previous))
            start = previous = point
    if start is not None:
        ranges.append((start, previous))
    return ranges


def class_of(characters, negate=False):
    """A Rust regex class matching exactly ``characters`` (an iterable of one-character
    strings), or every other character with ``negate``."""
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}"
                   for a, b in _ranges(sorted(set(map(ord, characters)))))
    return "[" + ("^" if negate else "") + body + "]"


@lru_cache(maxsize=None)
def characters(pattern, module="re"):
    """The characters a one-character pattern matches in Python's ``re`` (or ``regex``)."""
    engine = re if module == "re" else regex
    return frozenset(engine.findall(pattern, all_characters()))


@lru_cache(maxsize=None)
def char_class(pattern, module="re", negate=False):
    """:func:`class_of` the characters Python's ``pattern`` matches (see :func:`characters`)."""
    return class_of(characters(pattern, module), negate)
