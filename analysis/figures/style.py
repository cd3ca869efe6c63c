"""The look shared by every figure: palette, captions, legends, readable defaults.

Colours come from the Okabe-Ito palette (safe for the common colour-vision deficiencies) and
are assigned to a grouping's labels in sorted order, so "China" has the same colour in every
notebook of a run. Every figure carries a caption line saying what it can and cannot show.
Importing this module changes no matplotlib setting: :func:`styled` applies :data:`STYLE`
while a chart function draws.
"""
import functools
import textwrap

import matplotlib
import matplotlib.pyplot as plt

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
             "#000000")
GREY = "#999999"
MAX_GROUPS = 20
# Widest figure, in inches: a report shows every figure at its column's width (1200 px), and a
# figure at most this wide keeps 8-point text above 11 px there (see saving.smallest_text_px).
PAGE_WIDTH = 11

STYLE = {
    "figure.dpi": 100, "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
    "axes.spines.top": False, "axes.spines.right": False, "axes.titlelocation": "left",
    # Labels come from corpora: "US$5" is text, and "$\\frac{$" must not crash mathtext.
    "text.parse_math": False,
}


def styled(draw):
    """Run a chart function with :data:`STYLE` in force (and nothing changed afterwards)."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with plt.rc_context(STYLE):
            return draw(*args, **kwargs)
    return wrapper


def group_colors(labels):
    """Colour per label, assigned in sorted order (beyond eight labels, colours repeat
    with lighter shades, so use facets or top-N for many groups)."""
    ordered = sorted({str(label) for label in labels})
    colors = {}
    for i, label in enumerate(ordered):
        base = matplotlib.colors.to_rgb(OKABE_ITO[i % len(OKABE_ITO)])
        lighten = 0.45 * (i // len(OKABE_ITO) > 0)
        colors[label] = tuple(c + (1 - c) * lighten for c in base)
    return colors


def add_caption(fig, text, width=110):
    """Put a one-line (wrapped) caption under the axes: what the figure can and cannot show."""
    fig.text(0.0, -0.02, textwrap.fill(text, width), ha="left", va="top", fontsize=8.5,
             color="#333333", transform=fig.transFigure, gid="caption")


def legend_for(ax, colors, title=None):
    """A legend with one patch per label, in sorted order, outside the axes on the right."""
    handles = [matplotlib.patches.Patch(color=c, label=l) for l, c in colors.items()]
    ax.legend(handles=handles, title=title, frameon=False, loc="upper left",
              bbox_to_anchor=(1.01, 1.0))


def shown_groups(values, max_groups=MAX_GROUPS):
    """Sorted group labels, keeping the ``max_groups`` with most documents; and a note."""
    counts = values.astype(str).value_counts()
    if len(counts) <= max_groups:
        return sorted(counts.index), ""
    kept = sorted(counts.sort_values(ascending=False, kind="stable").index[:max_groups])
    return kept, f" Only the {max_groups} groups with most documents of {len(counts)} are shown."
