"""Notebook parameters: read from the command line, typed and checked once, before any kernel.

A ``-p KEY VALUE`` is read as JSON (``5``, ``0.8``, ``true``, ``null``, ``["a", "b"]``) and
otherwise as text. Only plain values reach a notebook: None, booleans, whole numbers, finite
numbers, text, and lists of these; papermill writes them into the parameters cell as literals
(text escaped), so no value can become code. Each known parameter is then checked against
:data:`SPECS` (what it accepts, named in the error), and the ones that name a manifest column
or a file are checked against the corpus and the disk, so a bad value stops the run before any
notebook starts instead of failing in every notebook.
"""
import json
import math
from pathlib import Path

from ..errors import ParameterError

_PLAIN = (type(None), bool, int, float, str)


def parse_value(text):
    """A ``-p`` value: JSON if it parses as JSON, else the text itself.

    ``5`` -> 5, ``0.8`` -> 0.8, ``["2025", "2026"]`` -> list, ``true`` -> True, ``null`` ->
    None, ``origin`` -> "origin". Python literals other than these (tuples, bytes, sets,
    dicts) are not values: they are read as text.

    Raises
    ------
    ParameterError
        The value is JSON but not plain: an object, a nested list, a number that is not
        finite.
    """
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return {"True": True, "False": False, "None": None}.get(text, text)
    return plain_value(value, text)


def _no_constant(name):
    raise ValueError(name)  # NaN, Infinity: read as text, then refused where a number is due


def plain_value(value, shown=None):
    """``value`` if it is plain (see the module), else ParameterError."""
    shown = repr(value) if shown is None else shown
    if isinstance(value, list):
        if not all(isinstance(v, _PLAIN) for v in value):
            raise ParameterError(f"-p value {shown}: a list may hold only text, numbers, true/false "
                                 f"or null, not lists or objects")
        return [plain_value(v) for v in value]
    if not isinstance(value, _PLAIN):
        raise ParameterError(f"-p value {shown}: use a number, text, true/false, null or a list "
                             f"of these (JSON), e.g. 5, 0.8, origin, [2025, 2026]")
    if isinstance(value, float) and not math.isfinite(value):
        raise ParameterError(f"-p value {shown}: a number must be finite")
    return value


def _whole(least=None, most=None):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int):
            return "a whole number"
        if least is not None and value < least:
            return f"a whole number of at least {least}"
        if most is not None and value > most:
            return f"a whole number of at most {most}"
        return None
    return check


def _number(low=None, high=None, open_low=False, open_high=False):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "a number"
        if low is not None and (value < low or (open_low and value == low)) or \
                high is not None and (value > high or (open_high and value == high)):
            left = "(" if open_low else "["
            right = ")" if open_high else "]"
            return f"a number in {left}{low}, {high}{right}"
        return None
    return check


def _df(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "a number of units (whole number) or a share of them (between 0 and 1)"
    if isinstance(value, int) and value >= 1 or isinstance(value, float) and 0 < value <= 1:
        return None
    return "a number of units (whole number, at least 1) or a share of them (between 0 and 1)"


def _text(choices=None, optional=False):
    def check(value):
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            return "text" + (" or null" if optional else "")
        if choices and value not in choices:
            return f"one of {', '.join(choices)}"
        return None
    return check


def _list_of(kind, optional=True):
    def check(value):
        if value is None and optional:
            return None
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, kind) and not isinstance(v, bool) for v in items):
            name = "whole numbers" if kind is int else "texts"
            return f"a list of {name}" + (" or null" if optional else "")
        return None
    return check


def _files(optional=True):
    def check(value):
        if value is None and optional:
            return None
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, str) and v for v in items):
            return "a file path or a list of them" + (" or null" if optional else "")
        return None
    return check


# parameter -> check returning None (good) or what the parameter accepts
SPECS = {
    "group_by": _text(), "top_n": _whole(1), "max_listed": _whole(1), "n_boot": _whole(1, 100_000),
    "seed": _whole(0), "level": _number(0, 1, True, True), "window": _whole(0),
    "kwic_theme": _text(optional=True), "codebook_path": _files(), "years": _list_of(int),
    "doc_max_df": _number(0, 1, True, False), "prior": _number(0, None, True),
    "min_count": _whole(1), "unit": _text(("paragraph", "sentence_window")),
    "min_tokens": _whole(1), "n_topics": _whole(1, 500), "method": _text(("nmf", "lda")),
    "min_df": _df, "max_df": _df, "random_state": _whole(0), "n_runs": _whole(1, 100),
    "stable_at": _number(0, 1), "events": _list_of(str), "align_threshold": _number(0, 1),
    "max_events": _whole(1), "coded_sheets": _files(), "compare_by": _text(), "by": _text(),
    "chart_terms": _whole(1, 100_000), "per_side": _whole(1, 1000),
}
FILE_PARAMETERS = ("codebook_path", "coded_sheets")
COLUMN_PARAMETERS = ("group_by", "compare_by", "by")


def check_values(parameters):
    """Check every parameter's type and range (:data:`SPECS`); return them unchanged.

    Raises
    ------
    ParameterError
        Naming the parameter, its value and what it accepts.
    """
    for name, value in parameters.items():
        spec = SPECS.get(name)
        problem = spec(value) if spec else None
        if problem:
            raise ParameterError(f"-p {name} {json.dumps(value)}: use {problem}")
    return parameters


def check_against(parameters, columns):
    """Check the parameters that name a manifest column or files (before any kernel starts).

    Parameters
    ----------
    columns : list of str
        The corpus's document variables.

    Raises
    ------
    ParameterError
        A column the corpus does not have; a file that does not exist or is not a file.
    """
    for name in COLUMN_PARAMETERS:
        if name in parameters and parameters[name] not in columns:
            raise ParameterError(f"-p {name} {json.dumps(parameters[name])}: not a manifest column; "
                                 f"use one of {', '.join(sorted(columns))}")
    for name in FILE_PARAMETERS:
        value = parameters.get(name)
        for path in ([] if value is None else value if isinstance(value, list) else [value]):
            if not Path(path).is_file():
                raise ParameterError(f"-p {name} {json.dumps(path)}: no such file (give the path of "
                                     f"a file{', a CSV' if name == 'coded_sheets' else ', a TOML codebook'})")
            if name == "coded_sheets" and Path(path).suffix.lower() != ".csv":
                raise ParameterError(f"-p {name} {json.dumps(path)}: a coded sheet is a .csv file")
    return parameters
