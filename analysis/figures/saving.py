"""Save figures with the table behind each, so the same inputs give the same bytes.

Figures are saved with fixed metadata (no dates, fixed SVG ids) through a temporary file
renamed into place (:func:`analysis.files.atomic_path`).
"""
from pathlib import Path

import matplotlib.pyplot as plt

from ..files import atomic_path, safe_name, write_table

# Same inputs -> same SVG ids; no creation date in PNG/SVG metadata.
SAVE_STYLE = {"svg.hashsalt": "analysis"}
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


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
        File stem, e.g. ``"timeline"`` (made safe with :func:`analysis.files.safe_name`).

    In a notebook the saved PNG is displayed (at the figure's on-screen width) and the figure
    closed: the report then shows exactly the file a reader can download, and the figure is
    not drawn a third time by the inline backend, the larger part of a notebook's own time.
    Elsewhere the figure stays open.
    """
    folder, name = Path(folder), safe_name(name)
    with plt.rc_context(SAVE_STYLE):
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


def page_folder(out_dir, notebook):
    """``OUT/reports/<notebook>/``, created if needed: interactive pages a notebook writes
    beside its report (the runner moves them into place only when the notebook succeeds)."""
    folder = Path(out_dir) / "reports" / notebook
    folder.mkdir(parents=True, exist_ok=True)
    return folder
