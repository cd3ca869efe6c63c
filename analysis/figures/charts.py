"""Charts: each function draws a table it is given and returns the figure; none computes.

The tables come from :mod:`analysis.measures`; every chart carries a caption line saying
what it can and cannot show (see :mod:`analysis.figures.style`).
"""
import matplotlib
import matplotlib.dates
import matplotlib.ticker
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import (GREY, MAX_GROUPS, OKABE_ITO, PAGE_WIDTH, add_caption, group_colors,
                    legend_for, shown_groups, styled)


@styled
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


@styled
def timeline(table, group_by="origin", max_groups=MAX_GROUPS):
    """Documents per event date and group: one dot per (date, group), sized by count.

    Parameters
    ----------
    table : pandas.DataFrame
        ``event_date``, ``group``, ``documents`` (:func:`analysis.measures.describe.documents_per_date`).
    """
    groups, note = shown_groups(table["group"].repeat(table["documents"]), max_groups)
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
    return fig


@styled
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
        shown, note = shown_groups(groups, max_groups)
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


@styled
def heatmap(table, title, colorbar_label, caption, fmt="{:.1f}", cmap="cividis", blocks=(),
            column_breaks=(), max_cells=(80, 30)):
    """Annotated heatmap of a DataFrame (rows x columns as given); returns the figure.

    ``blocks``: (first, last) row/column positions of square blocks to outline (e.g. documents
    about the same event in a similarity matrix). ``column_breaks``: column positions after
    which a vertical line is drawn (e.g. between the documents of two events). Beyond
    ``max_cells`` (rows, columns) only the first are drawn (the caption says so)."""
    if table.shape[0] > max_cells[0] or table.shape[1] > max_cells[1]:
        caption += (f" Only the first {min(table.shape[0], max_cells[0])} of {table.shape[0]} rows and "
                    f"{min(table.shape[1], max_cells[1])} of {table.shape[1]} columns are drawn; the table has all.")
        table = table.iloc[:max_cells[0], :max_cells[1]]
        column_breaks = [b for b in column_breaks if b < max_cells[1] - 1]
    values = table.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    fig, ax = plt.subplots(figsize=(min(PAGE_WIDTH, max(8, 0.5 * n_cols + 3.5)), max(2.5, 0.42 * n_rows + 2.2)))
    colormap = matplotlib.colormaps[cmap].copy()
    colormap.set_bad("white")  # zero and missing cells stay blank
    shown = np.where(values > 0, values, np.nan)
    image = ax.imshow(shown, aspect="auto", cmap=colormap, vmin=0)
    ax.set_xticks(range(n_cols), table.columns, rotation=40, ha="right")
    ax.set_yticks(range(n_rows), table.index)
    ax.spines[:].set_visible(False)
    if n_rows * n_cols <= 600 and n_cols <= 20:
        top = np.nanmax(values) if np.isfinite(values).any() else 0
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value) and value > 0:
                light = value > 0.6 * top
                ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=8,
                        color="black" if light else "white")
    for first, last in blocks:
        ax.add_patch(matplotlib.patches.Rectangle((first - 0.5, first - 0.5), last - first + 1,
                                                  last - first + 1, fill=False, edgecolor="#D55E00",
                                                  linewidth=2))
    fig.colorbar(image, ax=ax, label=colorbar_label, shrink=0.8)
    ax.set_title(title)
    add_caption(fig, caption)
    fig.tight_layout()
    for last in column_breaks:
        ax.axvline(last + 0.5, color="#D55E00", linewidth=1.5)
    return fig


@styled
def interval_bars(table, title, xlabel, caption, group_title, max_groups=MAX_GROUPS,
                  dodge_up_to=4):
    """Rates with intervals per category and group: dodged bars for a few groups, one panel
    per group for more.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``group``, ``label`` (the category, shown in first-seen order), ``rate_per_1k``,
        ``low``, ``high``.
    """
    labels = list(dict.fromkeys(table["label"]))
    groups, note = shown_groups(table.drop_duplicates("group")["group"], max_groups)
    colors = group_colors(groups)
    y = np.arange(len(labels))
    if len(groups) <= dodge_up_to:
        fig, ax = plt.subplots(figsize=(8.5, max(3, 0.2 * len(labels) * len(groups) + 1.5)))
        height = 0.8 / len(groups)
        for k, group in enumerate(groups):
            part = table[table["group"] == group].set_index("label").reindex(labels)
            offset = (k - (len(groups) - 1) / 2) * height
            ax.barh(y + offset, part["rate_per_1k"], height=height * 0.92, color=colors[group],
                    label=group)
            ax.errorbar(part["rate_per_1k"], y + offset,
                        xerr=[part["rate_per_1k"] - part["low"], part["high"] - part["rate_per_1k"]],
                        fmt="none", ecolor="#222222", elinewidth=0.9, capsize=2)
        ax.set_yticks(y, labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        legend_for(ax, colors, group_title)
    else:
        columns = min(3, len(groups))
        rows = int(np.ceil(len(groups) / columns))
        fig, axes = plt.subplots(rows, columns, sharex=True, sharey=True, squeeze=False,
                                 figsize=(2.8 * columns + 2.5, max(3, 0.22 * len(labels) + 1) * rows))
        for ax in axes.flat[len(groups):]:
            ax.set_visible(False)
        for ax, group in zip(axes.flat, groups):
            part = table[table["group"] == group].set_index("label").reindex(labels)
            ax.barh(y, part["rate_per_1k"], color=colors[group])
            ax.errorbar(part["rate_per_1k"], y,
                        xerr=[part["rate_per_1k"] - part["low"], part["high"] - part["rate_per_1k"]],
                        fmt="none", ecolor="#222222", elinewidth=0.8, capsize=1.5)
            ax.set_title(group, fontsize=10)
            ax.set_yticks(y, labels)
            ax.set_ylim(len(labels) - 0.5, -0.5)
        for ax in axes[-1]:
            ax.set_xlabel(xlabel)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    add_caption(fig, caption + note)
    fig.tight_layout()
    return fig


def _spaced_labels(dates, span, gap=0.2):
    """"YYYY-MM-DD" for each date, on two staggered rows: a date closer than ``gap`` of
    ``span`` to the last one labelled on the first row goes on the second ("\\n" before it),
    if that row has room; blank only where neither has (two events weeks apart would print
    over each other on one row)."""
    labels, last = [], [None, None]  # the last date labelled on each row
    for date in dates:
        row = next((r for r in (0, 1) if last[r] is None or (date - last[r]) >= span * gap), None)
        if row is None:
            labels.append("")
        else:
            labels.append("\n" * row + date.strftime("%Y-%m-%d"))
            last[row] = date
    return labels


@styled
def small_multiples_over_time(table, title, ylabel, caption, columns=4):
    """One small panel per category: rate by date (a stem per date, dates not joined), shared axes.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``label`` (panel, first-seen order), ``date``, ``rate_per_1k``, ``documents``.
    """
    labels = list(dict.fromkeys(table["label"]))
    columns = min(columns, len(labels))
    rows = int(np.ceil(len(labels) / columns))
    fig, axes = plt.subplots(rows, columns, sharex=True, sharey=True, squeeze=False,
                             figsize=(2.6 * columns + 1, 2.0 * rows + 1))
    for ax in axes.flat[len(labels):]:
        ax.set_visible(False)
    # Events are separate readings, not a series: a stem per date, no line joining dates that
    # may be a year apart; the axis reaches past the first and last date.
    dates = pd.to_datetime(pd.Series(sorted(table["date"].unique())))
    span = (dates.iloc[-1] - dates.iloc[0]) if len(dates) > 1 else pd.Timedelta(days=30)
    pad = max(span * 0.08, pd.Timedelta(days=5))
    for ax, label in zip(axes.flat, labels):
        part = table[table["label"] == label].sort_values("date")
        ax.vlines(part["date"], 0, part["rate_per_1k"], color=OKABE_ITO[0], linewidth=1.2)
        ax.scatter(part["date"], part["rate_per_1k"], s=10 + 8 * part["documents"],
                   color=OKABE_ITO[0], zorder=3)
        ax.set_title(label, fontsize=10, fontweight="normal")
        ax.grid(axis="y", color="#eeeeee")
        ax.set_xlim(dates.iloc[0] - pad, dates.iloc[-1] + pad)
        if len(dates) <= 4:  # few dates: a tick at each, labelled where labels do not collide
            ax.set_xticks(dates, _spaced_labels(dates, span))
        else:
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
            ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%Y-%m"))
        ax.tick_params(axis="both", labelsize=9)
        ax.tick_params(axis="x", labelrotation=30)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel, fontsize=9)
    for ax in axes[-1]:
        ax.set_xlabel("event date", fontsize=9)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    add_caption(fig, caption, width=140)
    fig.tight_layout()
    return fig


@styled
def facet_bars(table, facet, title, xlabel, caption, max_facets=12, columns=3, color=None):
    """One horizontal bar panel per value of ``facet`` (sorted), bars in table order.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``facet``, ``term``, ``score`` (already cut to the top terms of each facet).
    """
    values = sorted(table[facet].astype(str).unique())
    note = ""
    if len(values) > max_facets:
        note = f" Only the last {max_facets} of {len(values)} values are shown."
        values = values[-max_facets:]
    columns = min(columns, len(values))
    rows = int(np.ceil(len(values) / columns))
    per_panel = table.groupby(table[facet].astype(str)).size().max()
    fig, axes = plt.subplots(rows, columns, squeeze=False,
                             figsize=(3.3 * columns + 0.8, (0.24 * per_panel + 1.0) * rows + 0.6))
    for ax in axes.flat[len(values):]:
        ax.set_visible(False)
    for ax, value in zip(axes.flat, values):
        part = table[table[facet].astype(str) == value]
        y = np.arange(len(part))
        ax.barh(y, part["score"], color=color or OKABE_ITO[0])
        ax.set_yticks(y, part["term"], fontsize=8.5)
        ax.set_ylim(len(part) - 0.5, -0.5)
        ax.set_title(str(value), fontsize=10)
        ax.tick_params(axis="x", labelsize=8)
    for ax in axes[-1]:
        ax.set_xlabel(xlabel, fontsize=8.5)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    add_caption(fig, caption + note, width=130)
    fig.tight_layout()
    return fig


def _z_bars(ax, shown, counts_a, counts_b, positive, negative, small=False):
    """Bars of z-scores (``shown``: ``term``, ``z``; bottom row first) with the |z| = 1.96
    lines and each bar annotated "a / b" with the counts behind it."""
    y = np.arange(len(shown))
    ax.barh(y, shown["z"], color=[positive if z > 0 else negative for z in shown["z"]])
    ax.set_yticks(y, shown["term"], fontsize=9 if small else None)
    ax.axvline(0, color="black", linewidth=0.8)
    for x in (-1.96, 1.96):
        ax.axvline(x, color=GREY, linewidth=0.7 if small else 0.8, linestyle="--")
    for yy, (z, a, b) in enumerate(zip(shown["z"], counts_a, counts_b)):
        ax.annotate(f"{int(a)}/{int(b)}" if small else f"{int(a)} / {int(b)}", (z, yy),
                    xytext=((3 if small else 4) * (1 if z > 0 else -1), 0),
                    textcoords="offset points", ha="left" if z > 0 else "right", va="center",
                    fontsize=8, color="#333333")
    span = max(2.5, float(np.abs(shown["z"]).max()) * (1.45 if small else 1.35)) if len(shown) else 2.5
    ax.set_xlim(-span, span)


@styled
def diverging_bars(table, label_a, label_b, title, caption, n=10):
    """Most typical terms of each side by z-score: negative (``label_a``) left, positive
    (``label_b``) right, each bar annotated with the counts "a / b".

    Parameters
    ----------
    table : pandas.DataFrame
        ``term``, ``count_a``, ``count_b``, ``z``.
    """
    top = table.nlargest(n, "z")
    bottom = table.nsmallest(n, "z")
    shown = pd.concat([top[top["z"] > 0], bottom[bottom["z"] < 0].iloc[::-1]])
    shown = shown.sort_values("z", ascending=True)
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.26 * len(shown) + 1.6)))
    _z_bars(ax, shown, shown["count_a"], shown["count_b"], OKABE_ITO[1], OKABE_ITO[0])
    ax.set_xlabel(f"z-score: ← more typical of {label_a}    more typical of {label_b} →")
    ax.set_title(title)
    legend_for(ax, {label_a: OKABE_ITO[0], label_b: OKABE_ITO[1]})
    add_caption(fig, caption)
    fig.tight_layout()
    return fig


@styled
def keyness(table, caption, top_n=10, max_groups=12, columns=2):
    """Keyness per group, in the style of quanteda's ``textplot_keyness``: for each group (one
    panel, sorted), its ``top_n`` most typical terms (positive z, in the group's colour) and
    the ``top_n`` least typical (negative z, grey: typical of the other documents), each bar
    annotated with the counts "group / rest".

    Parameters
    ----------
    table : pandas.DataFrame
        ``group``, ``term``, ``count_group``, ``count_rest``, ``z``
        (:func:`analysis.keyness.log_odds_by_group`).
    """
    groups, note = shown_groups(table.drop_duplicates("group")["group"], max_groups)
    colors = group_colors(table["group"].unique())
    columns = min(columns, len(groups))
    rows = int(np.ceil(len(groups) / columns))
    fig, axes = plt.subplots(rows, columns, squeeze=False,
                             figsize=(4.4 * columns + 0.6, (0.2 * 2 * top_n + 1.2) * rows + 0.8))
    for ax in axes.flat[len(groups):]:
        ax.set_visible(False)
    for ax, group in zip(axes.flat, groups):
        part = table[table["group"] == group]
        top = part[part["z"] > 0].nlargest(top_n, "z")
        bottom = part[part["z"] < 0].nsmallest(top_n, "z")
        shown = pd.concat([top, bottom.iloc[::-1]]).sort_values("z", ascending=True, kind="stable")
        _z_bars(ax, shown, shown["count_group"], shown["count_rest"], colors[group], GREY,
                small=True)
        ax.set_title(f"{group} vs rest", fontsize=10)
        ax.set_xlabel("z  (← rest · group →)", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    fig.suptitle("Most distinctive terms of each group against all other documents", x=0.01,
                 ha="left", fontweight="bold")
    add_caption(fig, caption + note, width=140)
    fig.tight_layout()
    return fig


@styled
def stacked_shares(table, title, xlabel, caption, colors, max_rows=60):
    """One horizontal bar per row of ``table`` (index: groups), split by its columns (shares
    that sum to 1), in the given ``colors`` (column -> colour); returns the figure. Beyond
    ``max_rows`` rows only the first are drawn (the caption says so): a figure stays readable
    and its size bounded whatever the corpus."""
    if len(table) > max_rows:
        caption += f" Only the first {max_rows} of {len(table)} rows are drawn; the table has all."
        table = table.iloc[:max_rows]
    fig, ax = plt.subplots(figsize=(10, max(2.2, 0.4 * len(table) + 1.4)))
    y = np.arange(len(table))
    left = np.zeros(len(table))
    for column in table.columns:
        values = table[column].to_numpy(float)
        ax.barh(y, values, left=left, color=colors[column], label=column, height=0.7)
        for yy, (start, value) in enumerate(zip(left, values)):
            if value >= 0.06:
                ax.text(start + value / 2, yy, f"{value:.0%}", ha="center", va="center",
                        fontsize=7.5, color="white" if column != "narrator" else "black")
        left += values
    ax.set_yticks(y, table.index)
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    legend_for(ax, {c: colors[c] for c in table.columns})
    add_caption(fig, caption)
    fig.tight_layout()
    return fig


@styled
def score_dots(table, title, caption):
    """One panel per measure (precision, recall, F1): a dot per category with its interval.

    Parameters
    ----------
    table : pandas.DataFrame
        ``label`` (category, first-seen order, the last is drawn at the bottom), ``measure``,
        ``value``, ``low``, ``high`` (0-1).
    """
    labels = list(dict.fromkeys(table["label"]))
    measures = list(dict.fromkeys(table["measure"]))
    fig, axes = plt.subplots(1, len(measures), sharey=True, squeeze=False,
                             figsize=(min(PAGE_WIDTH, 2.8 * len(measures) + 2.5), max(2.6, 0.32 * len(labels) + 1.4)))
    y = np.arange(len(labels))
    for ax, measure, color in zip(axes[0], measures, OKABE_ITO):
        part = table[table["measure"] == measure].set_index("label").reindex(labels)
        values = part["value"].to_numpy(float)
        ax.errorbar(values, y, xerr=[np.nan_to_num(values - part["low"].to_numpy(float)),
                                     np.nan_to_num(part["high"].to_numpy(float) - values)],
                    fmt="o", color=color, ecolor="#555555", elinewidth=0.9, capsize=2, markersize=5)
        ax.set_xlim(-0.02, 1.02)
        ax.set_title(measure, fontsize=10)
        ax.grid(axis="x", color="#eeeeee")
        ax.axvline(0.85, color=GREY, linewidth=0.8, linestyle="--")
    axes[0][0].set_yticks(y, labels)
    axes[0][0].set_ylim(len(labels) - 0.5, -0.5)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    add_caption(fig, caption, width=130)
    fig.tight_layout()
    return fig


@styled
def rate_points(table, title, ylabel, caption):
    """A term's rate per value (years or groups, in sorted order) with its interval: a point
    each, a zero drawn as a point at zero with its interval (not as nothing).

    Parameters
    ----------
    table : pandas.DataFrame
        ``group``, ``rate_per_1k``, ``low``, ``high``, ``sentences``.
    """
    table = table.sort_values("group", key=lambda s: s.astype(str))
    x = np.arange(len(table))
    fig, ax = plt.subplots(figsize=(min(PAGE_WIDTH, max(8, 0.5 * len(table) + 3)), 3.6))
    rate = table["rate_per_1k"].to_numpy(float)
    ax.errorbar(x, rate, yerr=[np.nan_to_num(rate - table["low"].to_numpy(float)),
                               np.nan_to_num(table["high"].to_numpy(float) - rate)],
                fmt="o", color=OKABE_ITO[0], ecolor="#555555", capsize=3)
    ax.set_xticks(x, table["group"].astype(str), rotation=40 if len(table) > 8 else 0,
                  ha="right" if len(table) > 8 else "center")
    top = np.nanmax(table["high"].to_numpy(float)) if len(table) else 1
    ax.set_ylim(bottom=-0.03 * (top if np.isfinite(top) and top > 0 else 1))  # a zero stays visible
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="#eeeeee")
    ax.set_title(title)
    add_caption(fig, caption)
    fig.tight_layout()
    return fig


@styled
def xray(table, labels, title, caption, max_documents=40):
    """Where each query occurs in each document (a lexical dispersion or "x-ray" plot): one
    row per document, one panel per query, a tick per occurrence at its relative position.

    Parameters
    ----------
    table : pandas.DataFrame
        ``doc_id``, ``query``, ``position`` (0-1).
    labels : dict
        doc_id -> label, in the order to draw (the first ``max_documents`` are drawn).
    """
    queries = list(dict.fromkeys(table["query"])) or ["(none)"]
    documents = list(labels)[:max_documents]
    if len(labels) > max_documents:
        caption += f" Only the first {max_documents} of {len(labels)} documents are drawn."
    fig, axes = plt.subplots(1, len(queries), sharey=True, squeeze=False,
                             figsize=(min(3.2, 8 / len(queries)) * len(queries) + 3, max(2.4, 0.3 * len(documents) + 1.2)))
    row = {d: i for i, d in enumerate(documents)}
    for ax, query in zip(axes[0], queries):
        part = table[(table["query"] == query) & table["doc_id"].isin(row)]
        ax.scatter(part["position"], part["doc_id"].map(row), marker="|", s=120, color=OKABE_ITO[1])
        ax.set_xlim(0, 1)
        ax.set_title(query, fontsize=10)
        ax.set_xlabel("position in the document")
    axes[0][0].set_yticks(range(len(documents)), [labels[d] for d in documents], fontsize=9)
    axes[0][0].set_ylim(len(documents) - 0.5, -0.5)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    add_caption(fig, caption, width=130)
    fig.tight_layout()
    return fig


def term_labels(table, n_labels=8, most=3):
    """Labels of the ``n_labels`` terms most typical of each side (lowest and highest z), one
    per place: terms drawn at the same (x, y) joined ("a, b, c +2"), so labels of tied terms
    do not print over each other.

    Returns
    -------
    dict
        (x, y) -> label text.
    """
    ranked = table.sort_values(["z", "term"])
    labelled = pd.concat([ranked[ranked["z"] < 0].head(n_labels), ranked[ranked["z"] > 0].tail(n_labels)])
    places = {}
    for term, x, y in zip(labelled["term"], labelled["x"], labelled["y"]):
        places.setdefault((x, y), []).append(str(term))
    return {xy: ", ".join(t[:most]) + (f" +{len(t) - most}" if len(t) > most else "")
            for xy, t in places.items()}


@styled
def term_scatter(table, label_a, label_b, title, caption, n_labels=8):
    """Every term placed by its frequency rank in one group (y) against the other (x),
    coloured by z: the static form of the interactive term chart.

    Parameters
    ----------
    table : pandas.DataFrame
        ``term``, ``x``, ``y`` (0-1), ``z`` (positive: typical of ``label_a``).
    n_labels : int
        Terms most typical of each side (highest and lowest z) that carry a label.
    """
    fig, ax = plt.subplots(figsize=(9, 6.4))
    z = np.clip(table["z"].to_numpy(float), -4, 4)
    points = ax.scatter(table["x"], table["y"], c=z, cmap="RdBu_r", vmin=-4, vmax=4, s=22,
                        edgecolors="#555555", linewidths=0.3)
    for (x, y), text in term_labels(table, n_labels).items():
        right = x > 0.8  # near the right edge a label runs leftwards, inside the axes
        ax.annotate(text, (x, y), xytext=(-4 if right else 4, 3), textcoords="offset points", fontsize=9,
                    color="#222222", ha="right" if right else "left")
    ax.set_xlim(-0.04, 1.1)
    ax.set_ylim(-0.04, 1.08)
    ax.set_xlabel(f"frequency rank in {label_b} (0 = never used, 1 = most used)")
    ax.set_ylabel(f"frequency rank in {label_a}")
    bar = fig.colorbar(points, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(f"z  (− {label_b} · {label_a} +)")
    ax.set_title(title)
    add_caption(fig, caption)
    fig.tight_layout()
    return fig
