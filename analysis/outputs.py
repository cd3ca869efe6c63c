"""Write figures and tables so that a run never leaves a half-written file behind.

Every file is written to a temporary name in the same folder and renamed into place, and
figures are saved with fixed metadata, so the same inputs give the same bytes.
"""
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt

# Same inputs -> same SVG ids; no creation date in PNG/SVG/PDF metadata.
matplotlib.rcParams["svg.hashsalt"] = "analysis"
_UMASK = os.umask(0o022)  # reading the umask means setting it: set it back at once
os.umask(_UMASK)
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


@contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; on success rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
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
    """Save ``fig`` as ``name``.png and .svg and the table behind it as ``name``.csv; in a
    notebook, show the PNG just saved.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    table : pandas.DataFrame
        The numbers the figure shows, so every bar and cell can be checked.
    folder : str or Path
        Usually ``figure_folder(out_dir, notebook)``.
    name : str
        File stem, e.g. ``"timeline"``.

    In a notebook the saved PNG is displayed (at the figure's on-screen width) and the figure
    closed: the report then shows exactly the file a reader can download, and the figure is
    not drawn a third time by the inline backend, the larger part of a notebook's own time.
    Elsewhere the figure stays open.
    """
    folder = Path(folder)
    for ext in ("png", "svg"):
        target = folder / f"{name}.{ext}"
        with atomic_path(target) as temporary:
            fig.savefig(temporary, format=ext, dpi=dpi, bbox_inches="tight",
                        metadata=_METADATA[ext])
    write_table(table, folder / f"{name}.csv")
    if _in_notebook():
        from IPython.display import Image, display

        width = round(fig.get_figwidth() * fig.dpi)
        plt.close(fig)
        display(Image(filename=str(folder / f"{name}.png"), width=width))


def _in_notebook():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def figure_folder(out_dir, notebook):
    """``OUT/figures/<notebook>/``, created if needed."""
    folder = Path(out_dir) / "figures" / notebook
    folder.mkdir(parents=True, exist_ok=True)
    return folder
