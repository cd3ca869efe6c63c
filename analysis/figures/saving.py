"""Save figures with the table behind each, so the same inputs give the same bytes.

Figures are saved with fixed metadata (no dates, fixed SVG ids) through a temporary file
renamed into place (:func:`analysis.files.atomic_path`).
"""
import contextlib
from pathlib import Path

import matplotlib
import matplotlib.text
import matplotlib.pyplot as plt
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from ..files import atomic_path, safe_name, write_table

# Same inputs -> same SVG ids; no creation date in PNG/SVG metadata. SVG text stays text
# (font names with fallbacks, not glyph outlines): it can be searched and edited, a label in
# Chinese or Russian shows in the reader's fonts where DejaVu Sans has no glyph, the file is
# about a third the size, and drawing it takes about 40% less time.
SAVE_STYLE = {"svg.hashsalt": "analysis", "svg.fonttype": "none"}
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}
# The column of a rendered report (analysis/templates/report), in CSS pixels: every figure is
# shown this wide there, so its text is as large as its drawn size allows at this width.
COLUMN_PX = 1200


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
    with plt.rc_context(SAVE_STYLE), _laid_out(fig, dpi) as bbox:
        for ext in ("png", "svg"):
            target = folder / f"{name}.{ext}"
            with atomic_path(target) as temporary:
                fig.savefig(temporary, format=ext, dpi=dpi, bbox_inches=bbox,
                            metadata=_METADATA[ext])
    write_table(table, folder / f"{name}.csv")
    if _in_notebook():
        from IPython.display import Image, display

        width = round(fig.get_figwidth() * fig.dpi)
        png = folder / f"{name}.png"
        about = {"alt": alt_text(fig), "text_px": smallest_text_px(fig, png, dpi)}
        plt.close(fig)
        display(Image(filename=str(png), width=width, metadata=about))


@contextlib.contextmanager
def _laid_out(fig, dpi):
    """The figure laid out once for both files: yields its tight bounding box (inches, padded
    as ``bbox_inches="tight"`` pads it), with the layout engine off until the files are saved.

    ``savefig(bbox_inches="tight")`` lays the figure out in a draw that renders nothing before
    each file; with the box known and no layout engine, each file is drawn once. Only a
    figure with a layout engine needs that draw here (``tight_layout()`` leaves a placeholder
    that lays out nothing): without one, measuring the extents places what the box depends on
    (titles, tick labels, legends, annotations), and the box is the same (the draw was a tenth
    of the figures' saving time). Text is measured at the PNG's ``dpi``, so the PNG is
    cropped exactly as "tight" would crop it.
    """
    engine, shown_dpi = fig.get_layout_engine(), fig.dpi
    try:
        fig.set_dpi(dpi)
        if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
            fig.draw_without_rendering()  # runs the layout engine and places the text
        bbox = fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
        fig.set_layout_engine(None)  # laid out above; nothing may move it between the files
        yield bbox
    finally:
        fig.set_dpi(shown_dpi)
        fig.set_layout_engine(engine)


def alt_text(fig):
    """What a figure shows, for readers who cannot see it: its title and its caption line."""
    title = fig._suptitle.get_text() if fig._suptitle is not None else ""
    if not title:
        title = next((ax.get_title(loc) for ax in fig.axes for loc in ("left", "center")
                      if ax.get_visible() and ax.get_title(loc)), "")
    caption = next((t.get_text() for t in fig.texts if t.get_gid() == "caption"), "")
    return " ".join(f"{title}. {caption}".replace("\n", " ").split()).strip(". ") or "Figure"


def smallest_text_px(fig, png, dpi=150, column_px=COLUMN_PX):
    """Height in CSS pixels of the figure's smallest text once the saved ``png`` is shown at the
    report's column width (``column_px``): the figure's legibility on the page.

    Returns
    -------
    float
        Font size (points) of the smallest visible text, times the pixels per point of the PNG,
        times the page's scale (column width / PNG width).
    """
    from PIL import Image as PILImage

    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text)
             if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())]
    with PILImage.open(png) as image:
        width = image.size[0]
    return round(min(sizes, default=0) / 72 * dpi * column_px / width, 1)


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
