"""What a processed corpus is made from, as hashes: for the cache key and for ``run.json``.

No times or machine paths: the same inputs give the same fingerprint on every machine.
"""
import hashlib
import platform
from importlib import metadata
from pathlib import Path

from ..rules import SHIPPED
from .corpus import read_manifest

PACKAGES = ("analysis", "pandas", "numpy", "scipy", "matplotlib", "scikit-learn", "nltk",
            "papermill", "nbconvert", "nbclient", "ipykernel")


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
    hashes = {"corpus/manifest.csv": file_hash(corpus_dir / "manifest.csv")}
    manifest = read_manifest(corpus_dir)
    for name in sorted(set(manifest["file"])):
        hashes[f"corpus/{name}"] = file_hash(corpus_dir / name)
    hashes.update(rule_hashes(rules))
    return dict(sorted(hashes.items()))
