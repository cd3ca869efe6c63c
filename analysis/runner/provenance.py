"""What a run was made from and what it made: ``reports/run.json``.

Input files (texts, manifest, the rule files in effect, codebook, notebooks), parameters and
package versions, and every output with its SHA-256, so a reader can check that a figure came
from these inputs. No times or machine paths are recorded, so the same run gives the same file.
"""
import json
from pathlib import Path

from ..files import atomic_path
from ..rules import SHIPPED
from ..text.fingerprint import corpus_hashes, file_hash, package_versions  # noqa: F401


def input_hashes(corpus_dir, notebooks, extra_files=(), rules=SHIPPED):
    """Hashes of everything a run reads, keyed by a readable name.

    Returns
    -------
    dict
        ``corpus/manifest.csv``, ``corpus/<text file>`` (each file the manifest names),
        ``rules/<rule file>`` (``(yours)`` for a corpus's own), ``notebooks/<name>.ipynb`` and
        ``extra/<file>`` (e.g. a user's codebook) -> SHA-256; sorted by name.
    """
    hashes = corpus_hashes(corpus_dir, rules)
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
        paths += [p for p in (out_dir / "reports" / name).glob("*") if p.is_file()]
        paths += [out_dir / "reports" / f"{name}{ext}" for ext in (".ipynb", ".html")]
    return {p.relative_to(out_dir).as_posix(): file_hash(p) for p in sorted(paths) if p.exists()}


def write_run_manifest(path, manifest):
    """Write ``manifest`` (a dict) as indented JSON with sorted keys, atomically."""
    with atomic_path(path) as temporary:
        Path(temporary).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n",
                                   encoding="utf-8")
