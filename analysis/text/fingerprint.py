"""What a processed corpus is made from, as hashes: for the cache key and for ``run.json``.

No times or machine paths: the same inputs give the same fingerprint on every machine.
"""
import hashlib
import os
import platform
import stat
from importlib import metadata
from pathlib import Path

from ..errors import CorpusError
from ..rules import SHIPPED
from .corpus import read_manifest

PACKAGES = ("analysis", "pandas", "numpy", "scipy", "matplotlib", "scikit-learn", "nltk",
            "papermill", "nbconvert", "nbclient", "ipykernel", "polars", "polars-runtime-32", "regex")


def _regular_file(root, name):
    """``root/name`` if it is a regular file inside ``root``; else CorpusError, without opening
    it (reading a FIFO or a device would wait forever)."""
    path = (root / name).resolve()
    if root not in path.parents:
        raise CorpusError([f"file {name!r} is outside the corpus folder"], root)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        raise CorpusError([f"file {name} does not exist"], root) from None
    if not stat.S_ISREG(mode):
        raise CorpusError([f"file {name} is not a regular file"], root)
    return path


def file_hash(path):
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions():
    """Python and the versions of the packages that shape the outputs."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def rule_hashes(rules=SHIPPED):
    """``rules/<name>`` (shipped) or ``rules/<name> (yours)`` -> SHA-256, for every rule file
    in effect."""
    hashes = {}
    for name, path in rules.files():
        mine = rules.folder is not None and Path(path).parent == Path(rules.folder)
        hashes[f"rules/{name}" + (" (yours)" if mine else "")] = file_hash(path)
    return hashes


def corpus_hashes(corpus_dir, rules=SHIPPED):
    """Hashes of the manifest, every text file it names and the rule files in effect.

    Returns
    -------
    dict
        ``corpus/manifest.csv``, ``corpus/<text file>``, ``rules/<name>`` -> SHA-256, sorted.
    """
    corpus_dir = Path(corpus_dir)
    manifest = read_manifest(corpus_dir)
    hashes = {"corpus/manifest.csv": file_hash(corpus_dir / "manifest.csv")}
    root = corpus_dir.resolve()
    for name in sorted(set(manifest["file"])):
        hashes[f"corpus/{name}"] = file_hash(_regular_file(root, name))
    hashes.update(rule_hashes(rules))
    return dict(sorted(hashes.items()))
