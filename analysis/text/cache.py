"""Keep the processed corpus on disk, so the notebooks of a run load it instead of redoing it.

An entry is named by a SHA-256 over everything the processed corpus depends on: the manifest,
every text file it names, the names of the other ``.txt`` files in the folder (they raise
warnings), the rule files in effect (shipped, and the corpus's own ``rules/``), the package's
version and source files, and the versions of the libraries that shape the result. Change any of them and the entry no
longer matches, so it is rebuilt; nothing is ever read from a stale entry.

Where entries go: the ``cache_dir`` argument, else ``$ANALYSIS_CACHE_DIR``, else
``$XDG_CACHE_HOME/analysis`` (``~/.cache/analysis``). The newest :data:`KEEP` entries are kept.

The cache is optional: when its folder cannot be made, read or written, or is not the user's
own, the corpus is processed without it and a :class:`CacheWarning` says why. Entries are
pickles, so one is read only from a folder and file the user owns that nobody else may write,
and only if it holds a processed corpus stored under the same key.
"""
import hashlib
import os
import pickle
import time
import warnings
from importlib import metadata
from pathlib import Path

from ..errors import CorpusError
from ..rules import rules_for
from .corpus import load_corpus_with_warnings
from ..files import atomic_path
from .fingerprint import corpus_hashes, file_hash, package_versions
from .memo import cache_folder, private as _private
from .processed import ProcessedCorpus, processed_corpus

KEEP = 8


class CacheWarning(UserWarning):
    """The cache could not be used; the corpus was processed without it."""
_SOURCES = Path(__file__).resolve().parent.parent  # the package: every module shapes results


def cache_key(corpus_dir, rules=None):
    """SHA-256 (hex) of everything the processed corpus of ``corpus_dir`` depends on, with
    ``rules`` (default: :func:`analysis.rules.rules_for` the corpus).

    Raises
    ------
    CorpusError, OSError
        The manifest is unreadable or names a file that cannot be read.
    """
    rules = rules_for(corpus_dir) if rules is None else rules
    corpus_dir = Path(corpus_dir)
    digest = hashlib.sha256()

    def add(label, value):
        digest.update(f"{label}\0{value}\n".encode("utf-8", "surrogatepass"))

    # The manifest, every text it names and the rule files in effect, as a run records them.
    for name, value in corpus_hashes(corpus_dir, rules).items():
        add(name, value)
    for path in sorted(corpus_dir.rglob("*.txt")):
        add("present", path.relative_to(corpus_dir).as_posix())
    for path in sorted(_SOURCES.rglob("*.py")):
        add(f"source {path.relative_to(_SOURCES).as_posix()}", file_hash(path))
    versions = package_versions()
    versions["regex"] = metadata.version("regex")
    for name, version in sorted(versions.items()):
        add(f"version {name}", version)
    return digest.hexdigest()


def _key_or_none(corpus_dir, rules):
    try:
        return cache_key(corpus_dir, rules)
    except (CorpusError, OSError):
        return None  # load_corpus says what is wrong, with every problem listed


def _read(path, key):
    """The processed corpus stored at ``path`` under ``key``, or None (then it is rebuilt)."""
    if not (_private(path.parent) and _private(path)):
        warnings.warn(f"cache entry {path} is not in a folder only you can write to: not read "
                      f"(point ANALYSIS_CACHE_DIR at a folder of your own)", CacheWarning, stacklevel=3)
        return None
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except Exception:  # a truncated or damaged file is rebuilt, never trusted
        return None
    if not isinstance(found, dict) or found.get("key") != key \
            or not isinstance(found.get("processed"), ProcessedCorpus):
        return None  # a valid pickle of something else
    return found["processed"]


def _write(folder, entry, key, processed):
    """Store an entry; any failure is a warning, never the end of the run."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not folder.is_dir() or not _private(folder):
            raise PermissionError(f"{folder} is not a folder only you can write to")
        with atomic_path(entry) as temporary:
            with open(temporary, "wb") as handle:
                pickle.dump({"key": key, "processed": processed}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
        _prune(folder)
    except OSError as exc:
        warnings.warn(f"cache folder {folder} cannot be written ({exc}); the corpus was processed "
                      f"without it (set ANALYSIS_CACHE_DIR to a folder you can write to)",
                      CacheWarning, stacklevel=3)


def _prune(folder):
    entries = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def load_processed(corpus_dir, cache_dir=None, n_jobs=1, use_cache=True, rules_dir=None):
    """The processed corpus of ``corpus_dir``, from the cache if an entry matches.

    Parameters
    ----------
    corpus_dir : str or Path
        Folder with ``manifest.csv`` and the texts.
    rules_dir : str or Path, optional
        A folder of rule files over the shipped ones; default: the corpus's own ``rules/``
        folder if it has one (see :mod:`analysis.rules`).
    cache_dir : str or Path, optional
        Where entries are kept (default: see the module's docstring).
    n_jobs : int, default 1
        Processes for cleaning and processing when no entry matches.
    use_cache : bool, default True
        False: build it and neither read nor write the cache.

    Returns
    -------
    analysis.processed.ProcessedCorpus

    Raises
    ------
    CorpusError
        As :func:`analysis.load_corpus` (a bad corpus is never cached).
    RuleError
        A rule file is malformed (names file and line).
    """
    rules = rules_for(corpus_dir, rules_dir)
    hashed_ns = time.time_ns()  # the files are as the key says from here on
    key = _key_or_none(corpus_dir, rules) if use_cache else None
    try:
        folder = cache_folder(cache_dir) if key else None
    except (OSError, RuntimeError) as exc:  # no home folder to put it in
        warnings.warn(f"no cache folder ({exc}); processing without the cache", CacheWarning,
                      stacklevel=2)
        folder = None
    entry = folder / f"{key}.pkl" if folder is not None else None
    try:
        exists = entry is not None and entry.is_file()
    except OSError:
        exists = False
    if exists:
        found = _read(entry, key)
        if found is not None:
            try:
                os.utime(entry)  # recently used: kept by _prune
            except OSError:
                pass
            # the same texts may have been cached from another folder: raw texts are read from this one
            found.corpus.attrs.update(corpus_dir=str(Path(corpus_dir).resolve()), loaded_ns=hashed_ns)
            return found
    corpus, messages = load_corpus_with_warnings(corpus_dir, n_jobs, rules)
    processed = processed_corpus(corpus, n_jobs, messages, rules)
    # Store only if nothing changed while it was built; otherwise the entry would describe
    # files other than the ones its name stands for.
    if entry is not None and _key_or_none(corpus_dir, rules) == key:
        _write(folder, entry, key, processed)
    return processed
