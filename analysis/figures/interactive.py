"""The interactive term chart: in JupyterLab, and as a self-contained page that opens offline.

Drawn with Plotly, whose JavaScript is embedded in the page (nothing is loaded from the web,
no server is needed). The page's Content-Security-Policy allows exactly the two scripts it
carries, by their SHA-256 hashes (Plotly and the few lines that show a chosen term's
sentences); corpus text travels as JSON data, is escaped for the script element it sits in,
and is put on the page as text (``textContent``), never as markup. Plotly draws hover labels
from a small subset of HTML, so terms are HTML-escaped for it.
"""
import base64
import hashlib
import html
import json
from pathlib import Path

import numpy as np

from ..files import atomic_path
from .charts import term_labels
from .saving import _in_notebook

Z_CLIP = 4.0  # colours saturate beyond |z| = 4
HEIGHT = 640

_APP = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var byTerm = {};
  data.terms.forEach(function (t, i) { byTerm[t.term.toLowerCase()] = i; });
  var input = document.getElementById("term");
  var chosen = document.getElementById("chosen");

  function fmt(x) { return (Math.round(x * 100) / 100).toFixed(2); }
  function marked(sentence, term) {
    // the sentence as text, with case-insensitive occurrences of the term's written form marked
    var li = document.createElement("li"), lower = sentence.toLowerCase(), needle = term.toLowerCase();
    var at = 0, i = needle ? lower.indexOf(needle) : -1;
    while (i >= 0) {
      li.appendChild(document.createTextNode(sentence.slice(at, i)));
      var m = document.createElement("mark");
      m.textContent = sentence.slice(i, i + needle.length);
      li.appendChild(m);
      at = i + needle.length;
      i = lower.indexOf(needle, at);
    }
    li.appendChild(document.createTextNode(sentence.slice(at)));
    return li;
  }
  function fill(side, t) {
    var list = document.getElementById("list-" + side), rows = (data.sentences[t.feature] || {})[side] || [];
    var count = side === "a" ? t.count_a : t.count_b, rate = side === "a" ? t.per_1k_a : t.per_1k_b;
    list.textContent = "";
    document.getElementById("head-" + side).textContent =
      data.labels[side] + ": " + count + " use(s), " + fmt(rate) + " per 1,000 words";
    rows.forEach(function (row) {
      var li = marked(row[1], t.term);
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = " (" + row[0] + ")";
      li.appendChild(where);
      list.appendChild(li);
    });
    if (!rows.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No sentence of this group uses it.";
      list.appendChild(none);
    }
  }
  function choose(i) {
    var t = data.terms[i];
    if (!t) { chosen.textContent = "No such term in the chart."; return; }
    chosen.textContent = "\\u201c" + t.term + "\\u201d: z = " + fmt(t.z) +
      (t.z >= 1.96 ? " (typical of " + data.labels.a + ")" : t.z <= -1.96 ? " (typical of " + data.labels.b + ")" : " (typical of neither)");
    chosen.setAttribute("data-term", t.term);
    input.value = t.term;
    fill("a", t);
    fill("b", t);
  }
  input.addEventListener("change", function () {
    var i = byTerm[input.value.trim().toLowerCase()];
    if (i === undefined) { chosen.textContent = "No such term in the chart: " + input.value; return; }
    choose(i);
  });
  Plotly.newPlot("chart", data.figure.data, data.figure.layout,
                 {responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage"]})
    .then(function (chart) {
      chart.on("plotly_click", function (event) {
        var p = event.points && event.points[0];
        if (p && p.customdata !== undefined) { choose(Array.isArray(p.customdata) ? p.customdata[0] : p.customdata); }
      });
      document.body.setAttribute("data-ready", "yes");
    });
})();
"""

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: .3rem; }
.caption { color: #333; max-width: 60rem; }
#chart { width: 100%; height: HEIGHTpx; }
.choose { margin: .8rem 0; font-size: 1.05rem; }
#term { font-size: 1.05rem; padding: .2rem .4rem; width: 18rem; }
#chosen { font-weight: bold; margin: .5rem 0; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
.cols h2 { font-size: 1.05rem; }
.cols li { margin-bottom: .5rem; line-height: 1.4; }
.where, .none { color: #666; font-size: .9rem; }
mark { background: #ffe08a; }
"""


def _hover(table, label_a, label_b):
    e = lambda s: html.escape(str(s), quote=False)  # noqa: E731
    return [f"<b>{e(t)}</b><br>{e(label_a)}: {a} ({pa:.2f} per 1,000)<br>{e(label_b)}: {b} ({pb:.2f} per 1,000)"
            f"<br>z = {z:.2f}" for t, a, b, pa, pb, z in
            zip(table["term"], table["count_a"], table["count_b"], table["per_1k_a"], table["per_1k_b"], table["z"])]


def term_chart(table, label_a, label_b, title, n_labels=8):
    """A Plotly scatter of every term: frequency rank in b (x) against a (y), coloured by z.

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`analysis.measures.termchart.term_frequencies`.
    label_a, label_b : str
        Names of the two sides (shown as written; escaped here).
    n_labels : int
        Terms most typical of each side (highest z, lowest z) that carry a text label.

    Returns
    -------
    plotly.graph_objects.Figure
        Each point's ``customdata`` is its row number in ``table``.
    """
    import plotly.graph_objects as go

    e = lambda s: html.escape(str(s), quote=False)  # noqa: E731
    z = np.clip(table["z"].to_numpy(float), -Z_CLIP, Z_CLIP)
    fig = go.Figure(go.Scatter(
        x=table["x"], y=table["y"], mode="markers", customdata=np.arange(len(table)),
        hovertext=_hover(table, label_a, label_b), hoverinfo="text",
        marker={"color": z, "cmin": -Z_CLIP, "cmax": Z_CLIP, "colorscale": "RdBu", "reversescale": True,
                "size": 8, "line": {"width": 0.5, "color": "#555555"},
                "colorbar": {"title": {"text": e(f"z (+ {label_a}, − {label_b})"[:60])}}},
    ))
    for (x, y), text in term_labels(table, n_labels).items():
        right = x > 0.8  # near the right edge a label runs leftwards, inside the chart
        fig.add_annotation(x=x, y=y, text=e(text), showarrow=False, xanchor="right" if right else "left",
                           xshift=-6 if right else 6, yshift=8, font={"size": 12, "color": "#222222"})
    fig.update_layout(
        title={"text": e(title), "x": 0.01}, height=HEIGHT, template="simple_white",
        xaxis={"title": {"text": f"frequency rank in {e(label_b)} (0 = never, 1 = most used)"},
               "range": [-0.04, 1.04]},
        yaxis={"title": {"text": f"frequency rank in {e(label_a)}"}, "range": [-0.04, 1.06]},
        font={"size": 13}, margin={"l": 70, "r": 30, "t": 60, "b": 60}, hovermode="closest")
    return fig


def _script_hash(script):
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _json_for_script(value):
    """JSON that cannot end its ``<script>`` element or open a comment: < > & escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def term_chart_page(fig, table, sentences, labels, path, title, caption):
    """Write the term chart as one self-contained HTML page: the chart, a box to choose a term,
    and the chosen term's sentences from both sides.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or dict
        As :func:`term_chart` (``customdata`` = row of ``table``), or its JSON form.
    table : pandas.DataFrame
        As :func:`analysis.measures.termchart.term_frequencies`.
    sentences : pandas.DataFrame
        As :func:`analysis.measures.termchart.term_sentences`, with a ``where`` column
        (a short label of the sentence's document).
    labels : dict
        ``{"a": label, "b": label}``.
    path : str or Path
        Where to write (atomically).
    """
    import plotly.offline

    figure = json.loads(fig.to_json()) if not isinstance(fig, dict) else dict(fig)
    figure["layout"] = {k: v for k, v in figure["layout"].items() if k != "title"}  # the page's heading says it
    by_feature = {}
    for feature, side, where, sentence in zip(sentences["feature"], sentences["side"],
                                              sentences["where"], sentences["sentence"]):
        by_feature.setdefault(feature, {"a": [], "b": []})[side].append([str(where), str(sentence)])
    terms = [{"term": str(t), "feature": str(f), "count_a": int(a), "count_b": int(b),
              "per_1k_a": round(float(pa), 4), "per_1k_b": round(float(pb), 4), "z": round(float(z), 4)}
             for t, f, a, b, pa, pb, z in zip(table["term"], table["feature"], table["count_a"],
                                             table["count_b"], table["per_1k_a"], table["per_1k_b"], table["z"])]
    data = {"figure": figure, "terms": terms, "sentences": by_feature,
            "labels": {"a": str(labels["a"]), "b": str(labels["b"])}}
    library = plotly.offline.get_plotlyjs()
    policy = (f"default-src 'none'; script-src {_script_hash(library)} {_script_hash(_APP)}; "
              "style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'")
    e = html.escape
    options = "".join(f'<option value="{e(t["term"])}"></option>' for t in terms)
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        f"<title>{e(title)}</title>\n<style>{_STYLE.replace('HEIGHT', str(HEIGHT))}</style>\n"
        f"<script>{library}</script>\n</head>\n<body>\n"
        f"<h1>{e(title)}</h1>\n<p class=\"caption\">{e(caption)}</p>\n"
        '<div id="chart" role="img" aria-label="' + e(f"{title}. {caption}") + '"></div>\n'
        '<p class="choose"><label for="term">Choose a term (or click a point):</label> '
        f'<input id="term" list="terms" autocomplete="off"><datalist id="terms">{options}</datalist></p>\n'
        '<p id="chosen" aria-live="polite">No term chosen yet.</p>\n'
        f'<div class="cols"><section><h2 id="head-a">{e(labels["a"])}</h2><ol id="list-a"></ol></section>'
        f'<section><h2 id="head-b">{e(labels["b"])}</h2><ol id="list-b"></ol></section></div>\n'
        f'<script type="application/json" id="chart-data">{_json_for_script(data)}</script>\n'
        f"<script>{_APP}</script>\n</body>\n</html>\n")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as temporary:
        Path(temporary).write_text(page, encoding="utf-8")
    return path


def show_in_lab(fig, note):
    """Display ``fig`` (a Plotly figure or its JSON form) as Plotly's own output, drawn by
    JupyterLab's Plotly extension, with ``note`` as the plain-text form a static page shows
    instead (no script runs there)."""
    from IPython.display import display

    if not _in_notebook():
        return
    figure = fig if isinstance(fig, dict) else json.loads(fig.to_json())
    display({"application/vnd.plotly.v1+json": figure, "text/plain": note}, raw=True)


def term_chart_caption(label_a, label_b):
    """What the term chart can and cannot show, in one line."""
    return (f"Each point is a term used at least twice by the two groups: up = its frequency rank in {label_a}, "
            f"right = in {label_b} (0 = never used); red = typical of {label_a}, blue = of {label_b} (log-odds z; "
            "the 8 most typical of each side labelled, |z| >= 1.96 is the customary line). It shows which words "
            "separate these documents, not why or in what sense: read a term's sentences.")


def term_chart_views(chart, page, note="(the interactive chart is drawn here in JupyterLab)"):
    """The term chart of ``chart`` (an :class:`analysis.measures.termchart.TermChart`): written as
    a self-contained page at ``page`` and, in a notebook, shown as Plotly's own output.

    Returns
    -------
    Path
        The page.
    """
    caption = term_chart_caption(chart.label_a, chart.label_b)
    figure = json.loads(term_chart(chart.table, chart.label_a, chart.label_b, chart.title).to_json())
    written = term_chart_page(figure, chart.table, chart.sentences, {"a": chart.label_a, "b": chart.label_b},
                              page, chart.title, caption)
    show_in_lab(figure, note)
    return written
