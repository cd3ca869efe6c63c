"""Figures shared by the notebooks: one palette per grouping, captions, readable defaults.

Colours come from the Okabe-Ito palette (safe for the common colour-vision deficiencies) and
are assigned to a grouping's labels in sorted order, so "China" has the same colour in every
notebook of a run. Every figure carries a caption line saying what it can and cannot show.
"""
import textwrap

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
             "#000000")
GREY = "#999999"

plt.rcParams.update({
    "figure.dpi": 100, "font.size": 10, "axes.titlesize": 12, "axes.titleweight": "bold",
    "axes.spines.top": False, "axes.spines.right": False, "axes.titlelocation": "left",
})


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
             color="#333333", transform=fig.transFigure)


def legend_for(ax, colors, title=None):
    """A legend with one patch per label, in sorted order, outside the axes on the right."""
    handles = [matplotlib.patches.Patch(color=c, label=l) for l, c in colors.items()]
    ax.legend(handles=handles, title=title, frameon=False, loc="upper left",
              bbox_to_anchor=(1.01, 1.0))


def barh(labels, values, colors, title, xlabel, caption, legend=None, legend_title=None):
    """Horizontal bars, first label at the top; returns the figure."""
    height = max(2.2, 0.32 * len(labels) + 1.2)
    fig, ax = plt.subplots(figsize=(8, height))
    y = np.arange(len(labels))
    ax.barh(y, values, color=colors)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    if legend:
        legend_for(ax, legend, legend_title)
    add_caption(fig, caption)
    fig.tight_layout()
    return fig


MAX_GROUPS = 20


def _shown_groups(values, max_groups=MAX_GROUPS):
    """Sorted group labels, keeping the ``max_groups`` with most documents; and a note."""
    counts = values.astype(str).value_counts()
    if len(counts) <= max_groups:
        return sorted(counts.index), ""
    kept = sorted(counts.sort_values(ascending=False, kind="stable").index[:max_groups])
    return kept, f" Only the {max_groups} groups with most documents of {len(counts)} are shown."


def timeline(corpus, group_by="origin", max_groups=MAX_GROUPS):
    """Documents per event date and group: one dot per (date, group), sized by count.

    Returns
    -------
    fig : matplotlib.figure.Figure
    table : pandas.DataFrame
        ``event_date``, ``group``, ``documents``, ``doc_ids`` (the dots' contents), all groups.
    """
    table = (corpus.assign(group=corpus[group_by].astype(str))
             .groupby(["event_date", "group"], sort=True)["doc_id"]
             .agg(documents="count", doc_ids=lambda ids: "; ".join(sorted(ids)))
             .reset_index())
    groups, note = _shown_groups(corpus[group_by], max_groups)
    shown = table[table["group"].isin(groups)]
    colors = group_colors(groups)
    fig, ax = plt.subplots(figsize=(9, max(2.4, 0.45 * len(groups) + 1.4)))
    y = shown["group"].map({g: i for i, g in enumerate(groups)})
    ax.scatter(shown["event_date"], y, s=60 + 60 * (shown["documents"] - 1),
               c=[colors[g] for g in shown["group"]], zorder=3, edgecolors="white")
    for date, yy, n in zip(shown["event_date"], y, shown["documents"]):
        if n > 1:
            ax.annotate(str(n), (date, yy), xytext=(0, 9), textcoords="offset points",
                        ha="center", fontsize=8)
    ax.set_yticks(range(len(groups)), groups)
    ax.set_ylim(len(groups) - 0.3, -0.7)
    ax.grid(axis="x", color="#dddddd", zorder=0)
    ax.set_xlabel("event date")
    ax.set_ylabel(group_by)
    ax.set_title(f"Documents per event date, by {group_by}")
    fig.autofmt_xdate()
    add_caption(fig, "Each dot is one event date and group; its size and number give the "
                     "documents about it. Shows what the corpus covers, not how often such "
                     "events happened." + note)
    fig.tight_layout()
    return fig, table


def lengths(sizes, groups, group_by="origin", max_listed=40, max_groups=MAX_GROUPS,
            measures=("words", "sentences")):
    """Document length, one panel per measure: bars per document (up to ``max_listed``
    documents), else box-and-dots per group.

    Parameters
    ----------
    sizes : pandas.DataFrame
        From :func:`analysis.document_sizes`.
    groups : pandas.Series
        The grouping value of each document, aligned with ``sizes``.
    measures : sequence of str
        Columns of ``sizes`` to show.
    """
    groups = groups.astype(str).reset_index(drop=True)
    sizes = sizes.reset_index(drop=True)
    caption = ("Length after cleaning: word tokens (stop words included) and sentences (Punkt). "
               "Length differences reflect the outlet's format as much as the event.")
    per_document = len(sizes) <= max_listed
    if per_document:
        order = sizes.assign(group=groups.to_numpy()).sort_values(["group", "label"])
        labels, colors = list(order["label"]), group_colors(groups)
        rows, note = len(order), ""
    else:
        shown, note = _shown_groups(groups, max_groups)
        colors = group_colors(shown)
        rows = len(shown)
    fig, axes = plt.subplots(1, len(measures), sharey=True,
                             figsize=(4 + 2.6 * len(measures), max(2.4, 0.4 * rows + 1.4)))
    axes = np.atleast_1d(axes)
    rng = np.random.default_rng(0)  # jitter only; fixed so the figure is reproducible
    for ax, measure in zip(axes, measures):
        if per_document:
            ax.barh(np.arange(rows), order[measure], color=[colors[g] for g in order["group"]])
            ax.set_yticks(np.arange(rows), labels)
        else:
            values = [sizes[measure][groups == g].to_numpy() for g in shown]
            ax.boxplot(values, positions=np.arange(rows), vert=False, widths=0.6,
                       showfliers=False, medianprops={"color": "black"},
                       boxprops={"color": GREY}, whiskerprops={"color": GREY},
                       capprops={"color": GREY})
            for i, (group, vals) in enumerate(zip(shown, values)):
                ax.scatter(vals, i + rng.uniform(-0.18, 0.18, len(vals)), s=12,
                           color=colors[group], alpha=0.8, zorder=3)
            ax.set_yticks(np.arange(rows), [f"{g} (n={len(v)})" for g, v in zip(shown, values)])
        ax.set_xlabel(f"{measure} per document")
    axes[0].set_ylim(rows - 0.5, -0.5)
    what = "Length per document" if per_document else f"Document length by {group_by}"
    axes[0].set_title(f"{what} ({len(sizes)} documents)")
    if per_document:
        legend_for(axes[-1], colors, group_by)
    else:
        caption += " Boxes: quartiles and median; dots: documents."
    add_caption(fig, caption + note)
    fig.tight_layout()
    return fig
