"""Write figures and tables so that a run never leaves a half-written file behind.

Every file is written to a temporary name in the same folder and renamed into place, and
figures are saved with fixed metadata, so the same inputs give the same bytes.
"""
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import matplotlib

# Same inputs -> same SVG ids; no creation date in PNG/SVG/PDF metadata.
matplotlib.rcParams["svg.hashsalt"] = "analysis"
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


@contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; on success rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def write_table(table, path):
    """Write ``table`` (DataFrame) as UTF-8 CSV without its index, atomically."""
    with atomic_path(path) as temporary:
        table.to_csv(temporary, index=False, lineterminator="\n", float_format="%.6g")


def save_figure(fig, table, folder, name, dpi=150):
    """Save ``fig`` as ``name``.png and .svg and the table behind it as ``name``.csv.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    table : pandas.DataFrame
        The numbers the figure shows, so every bar and cell can be checked.
    folder : str or Path
        Usually ``figure_folder(out_dir, notebook)``.
    name : str
        File stem, e.g. ``"timeline"``.

    The figure stays open, so a notebook shows it below the cell.
    """
    folder = Path(folder)
    for ext in ("png", "svg"):
        target = folder / f"{name}.{ext}"
        with atomic_path(target) as temporary:
            fig.savefig(temporary, format=ext, dpi=dpi, bbox_inches="tight",
                        metadata=_METADATA[ext])
    write_table(table, folder / f"{name}.csv")


def figure_folder(out_dir, notebook):
    """``OUT/figures/<notebook>/``, created if needed."""
    folder = Path(out_dir) / "figures" / notebook
    folder.mkdir(parents=True, exist_ok=True)
    return folder
