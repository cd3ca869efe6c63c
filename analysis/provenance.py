"""What a run was made from and what it made: ``reports/run.json``.

Input files (texts, manifest, codebook, rule files, notebooks), parameters and package
versions, and every output with its SHA-256, so a reader can check that a figure came from
these inputs. No times or machine paths are recorded, so the same run gives the same file.
"""
import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path

from .corpus import read_manifest
from .outputs import atomic_path
from .resources import data_files

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


def input_hashes(corpus_dir, notebooks, extra_files=()):
    """Hashes of everything a run reads, keyed by a readable name.

    Returns
    -------
    dict
        ``corpus/manifest.csv``, ``corpus/<text file>`` (each file the manifest names),
        ``analysis/data/<rule file>``, ``notebooks/<name>.ipynb`` and ``extra/<file>`` (e.g. a
        user's codebook) -> SHA-256; sorted by name.
    """
    corpus_dir = Path(corpus_dir)
    hashes = {"corpus/manifest.csv": file_hash(corpus_dir / "manifest.csv")}
    manifest = read_manifest(corpus_dir)
    for name in sorted(set(manifest["file"])):
        hashes[f"corpus/{name}"] = file_hash(corpus_dir / name)
    for path in data_files():
        hashes[f"analysis/data/{path.name}"] = file_hash(path)
    for path in notebooks:
        hashes[f"notebooks/{Path(path).name}"] = file_hash(path)
    for path in extra_files:
        hashes[f"extra/{Path(path).name}"] = file_hash(path)
    return dict(sorted(hashes.items()))


def output_hashes(out_dir, names):
    """Hashes of the figures, tables and reports of the notebooks ``names`` under ``out_dir``
    (relative paths -> SHA-256, sorted)."""
    out_dir = Path(out_dir)
    paths = []
    for name in names:
        paths += [p for p in (out_dir / "figures" / name).glob("*") if p.is_file()]
        paths += [out_dir / "reports" / f"{name}{ext}" for ext in (".ipynb", ".html")]
    return {p.relative_to(out_dir).as_posix(): file_hash(p) for p in sorted(paths) if p.exists()}


def write_run_manifest(path, manifest):
    """Write ``manifest`` (a dict) as indented JSON with sorted keys, atomically."""
    with atomic_path(path) as temporary:
        Path(temporary).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n",
                                   encoding="utf-8")
