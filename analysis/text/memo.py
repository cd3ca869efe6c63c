"""The cache folder, and small derived tables kept there between processes.

Writing Python's character classes out for the column engine (:mod:`analysis.text.dialect`)
means matching patterns against every Unicode character, in Python's ``re`` and in polars:
about 0.2 s of each process that first reads or processes a corpus (each notebook's kernel,
each benchmark run), for results that change only with Python and its Unicode tables, the
``regex`` module, polars, or this package's code. :func:`kept` keeps such a result in the
cache folder, one JSON file per function and arguments, named by a hash of all of those. A
file that is missing, damaged, made under other versions or in a folder that others may
write to is ignored and the result computed again; a folder that cannot be written only
means each process computes it. (The processed corpora are kept in the same folder, see
:mod:`analysis.text.cache`.)
"""
import functools
import hashlib
import inspect
import json
import os
import stat
import sys
import unicodedata
from pathlib import Path

import polars as pl
import regex

from ..files import atomic_path

TABLES = "tables"  # the subfolder of the cache folder


def cache_folder(cache_dir=None):
    """The folder cache entries go to: ``cache_dir`` if given, else ``$ANALYSIS_CACHE_DIR``,
    else ``analysis`` in ``$XDG_CACHE_HOME`` (default ``~/.cache``); not created here."""
    if cache_dir:
        return Path(cache_dir)
    if os.environ.get("ANALYSIS_CACHE_DIR"):
        return Path(os.environ["ANALYSIS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "analysis"


def private(path):
    """Whether ``path`` belongs to this user and nobody else may write to it."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@functools.lru_cache(maxsize=None)
def _source_hash(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _key(function, arguments):
    """Everything ``function(**arguments)``'s result depends on, as one string."""
    parts = {"function": f"{function.__module__}.{function.__qualname__}", "args": arguments,
             "python": sys.version, "unicode": unicodedata.unidata_version,
             "regex": regex.__version__, "polars": pl.__version__,
             "source": _source_hash(inspect.getsourcefile(function)),
             # the classes are written out by dialect.py, and kept by this module
             "dialect": _source_hash(str(Path(__file__).with_name("dialect.py"))),
             "memo": _source_hash(__file__)}
    return json.dumps(parts, sort_keys=True)


def _read(path, key):
    """The result stored at ``path`` under ``key``, or None."""
    if not (private(path.parent) and private(path)):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
    except (OSError, ValueError):  # missing, truncated or damaged: computed again
        return None
    if not isinstance(found, dict) or found.get("key") != key or "value" not in found:
        return None
    value = found["value"]
    return tuple(value) if found.get("tuple") and isinstance(value, list) else value


def _write(path, key, value):
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not private(path.parent):
            return
        with atomic_path(path) as temporary:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump({"key": key, "value": value, "tuple": isinstance(value, tuple)}, handle,
                          ensure_ascii=False)
    except OSError:
        pass  # computed again in the next process; the run goes on


def kept(function):
    """``function``, its results kept in the cache folder between processes.

    For a function of a few strings whose result (a string, ``None``, or a tuple of them)
    depends on nothing but its arguments, its own module's code and the versions of Python,
    Unicode, ``regex`` and polars. Stack :func:`functools.lru_cache` above it, so a process
    reads each file at most once.
    """
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()  # f(x) and f(x, default) are one entry
        key = _key(function, bound.arguments)
        try:
            folder = cache_folder() / TABLES
        except (RuntimeError, OSError, KeyError):  # no home folder to be found (a bare container)
            return function(*args, **kwargs)
        path = folder / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.json"
        found = _read(path, key)
        if found is not None:
            return found
        value = function(*args, **kwargs)
        _write(path, key, value)
        return value
    return wrapper
