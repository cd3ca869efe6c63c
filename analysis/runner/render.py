"""Render executed notebooks for sharing: a header cell, static HTML pages and an index.

Corpus text is untrusted. Everything the suite writes into Markdown or HTML itself is
escaped (:func:`escape_markdown`, ``html.escape``; pandas escapes table cells), and the page
template carries no script and a Content-Security-Policy that forbids scripts and remote
loads, so a document containing ``<script>`` shows as text and could not run if it slipped
through. (nbconvert's own ``sanitize_html`` is not used: with the pinned bleach it escapes
ordinary paragraphs too.)

nbformat and nbconvert are imported by the functions that use them. Every notebook imports
this module for its Markdown and table helpers, and nbformat imports jsonschema, whose format
checkers compile grammars when imported: about a second in every notebook's kernel.
"""
import functools
import html
import re
from pathlib import Path
from urllib.parse import quote

from ..files import atomic_path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")
# What a Markdown renderer would turn into a link by itself: "http://", "www.", "a@b"
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=www)(\.)|(@)")
# Invisible characters that could make a label look like another one or turn text around
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0b\x0c\x0e-\x1f]")


def escape_markdown(text):
    """``text`` as literal characters inside Markdown: HTML escaped, Markdown punctuation
    backslash-escaped, links the renderer would make by itself broken ("http&#58;//"),
    invisible and direction-changing characters removed, so a label like ``<b>x</b>``,
    ``**x**``, ``[x](javascript:...)`` or ``http://example.com`` shows as written, inert."""
    text = _INVISIBLE.sub("", str(text))
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return _AUTOLINK.sub(lambda m: f"&#{ord(m.group(0))};", text)


def code_markdown(text):
    """``text`` as inline code that cannot break out: a Markdown code span (shown literally,
    HTML and links inert) whose own backticks, line ends and invisible characters are
    replaced, so a column name with a backtick cannot end the span."""
    inner = _INVISIBLE.sub("", str(text)).replace("`", "\u02cb").replace("\n", " ").replace("\r", " ")
    return f"`{inner}`" if inner.strip() else "`(empty)`"


def warnings_markdown(messages):
    """One bold "Warning:" line per message, escaped."""
    return "  \n".join(f"**Warning:** {escape_markdown(m)}" for m in messages)


def summary_markdown(corpus, group_by):
    """The corpus in one paragraph: documents, events, dates, years, outlets and the groups
    of ``group_by`` (every label escaped)."""
    from ..measures.describe import corpus_summary

    summary = corpus_summary(corpus)
    groups = ", ".join(sorted(corpus[group_by].astype(str).unique()))
    return (f"**{summary['documents']} documents** about **{summary['events']} events**, "
            f"{summary['first_event']} to {summary['last_event']} "
            f"(years: {', '.join(map(str, summary['years']))}); "
            f"{len(summary['outlets'])} outlets; {escape_markdown(group_by)}: {escape_markdown(groups)}. "
            "With a corpus this size, every figure below describes these documents; none supports "
            "a general claim.")


def group_sizes_markdown(corpus, group_by):
    """"N documents in K group(s) of <group_by>: a (n), b (n)." with every label escaped."""
    sizes = corpus[group_by].astype(str).value_counts().sort_index()
    return (f"**{len(corpus)} documents** in {len(sizes)} group(s) of {code_markdown(group_by)}: "
            + escape_markdown(", ".join(f"{g} ({n})" for g, n in sizes.items())) + ".")


def header_markdown(notebook_name, corpus_line, parameters, versions):
    """The header cell of a rendered notebook: corpus, parameters, versions.

    Parameters
    ----------
    corpus_line : str
        One line describing the corpus (escaped here).
    parameters : dict
        Effective parameter values of the run.
    versions : dict
        Package -> version.
    """
    shown = " · ".join(escape_markdown(f"{k} = {v!r}") for k, v in parameters.items())
    made_with = ", ".join(escape_markdown(f"{k} {v}") for k, v in versions.items())
    return (f"*Report {escape_markdown(notebook_name)}.* **Corpus:** {escape_markdown(corpus_line)}  \n"
            f"**Parameters:** {shown}  \n**Made with:** {made_with}")


def add_header(report_path, text, findings=None):
    """Put ``text`` as the first cell of the executed notebook, and ``findings`` (Markdown, see
    :func:`findings_markdown`) as the second, replacing earlier ones."""
    import nbformat  # imported here: see the module docstring

    nb = nbformat.read(report_path, as_version=4)
    nb.cells = [c for c in nb.cells if c.get("id") not in ("report-header", "report-findings")]
    added = [("report-header", text)] + ([("report-findings", findings)] if findings else [])
    for position, (cell_id, source) in enumerate(added):
        cell = nbformat.v4.new_markdown_cell(source)
        cell["id"] = cell_id
        nb.cells.insert(position, cell)
    with atomic_path(report_path) as temporary:
        nbformat.write(nb, temporary)


def findings_markdown(findings, notebook, title=""):
    """"What this run shows": one line per finding, its number in bold, with links to the
    table (and figure) it was read from, as seen from ``OUT/reports/``.

    Parameters
    ----------
    findings : pandas.DataFrame
        As :func:`analysis.measures.findings.findings_table`.
    notebook : str
        The notebook's name (its tables are in ``../figures/<notebook>/``).
    """
    heading = "## What this run shows" + (f": {escape_markdown(title)}" if title else "")
    if findings.empty:
        return (f"{heading}\n\nNo finding could be read from this notebook's tables; the sections "
                "below show what there is.")
    folder = f"../figures/{quote(notebook)}/"
    lines = [heading, ""]
    for row in findings.itertuples():
        text, number = escape_markdown(row.finding), escape_markdown(row.number)
        # the number in bold where it stands alone ("2" is not the 2 of "2025")
        text = re.sub(rf"(?<![\w.]){re.escape(number)}(?![\w])", lambda m: f"**{m.group(0)}**", text, count=1)
        links = f"[table]({folder}{quote(row.table)})"
        if row.figure:
            links += f", [figure]({folder}{quote(row.figure)})"
        lines.append(f"- {text} ({links})")
    lines += ["", "Each finding is read from the table it links (all of them: `findings.csv`); the sections below "
              "show how each number was made."]
    return "\n".join(lines)


def table_html(frame, max_rows=60):
    """A DataFrame as a readable HTML table: shares as percentages, other decimals to two
    places (three significant digits below 0.01), text whole (the page wraps it), every cell
    escaped; beyond ``max_rows`` rows only the first are shown, with a note.

    Share-like columns are those named ``share``, ``*_share``, ``share_*``, ``prevalence`` or
    ``proportion``.
    """
    import pandas as pd

    def decimal(value):
        if pd.isna(value):
            return ""
        return f"{value:.2g}" if 0 < abs(value) < 0.01 else f"{value:,.2f}"

    def percent(value):
        return "" if pd.isna(value) else f"{100 * value:.1f}%"

    shown = frame.head(max_rows)
    formatters = {}
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            name = str(column[-1] if isinstance(column, tuple) else column).lower()
            share = name in ("share", "prevalence", "proportion") or name.startswith("share_") or name.endswith("_share")
            formatters[column] = percent if share else decimal
    with pd.option_context("display.max_colwidth", None):
        body = shown.to_html(formatters=formatters, escape=True, na_rep="", border=0,
                             classes="dataframe readable")
    if len(frame) > max_rows:
        body += f"<p><em>First {max_rows} of {len(frame):,} rows; the CSV table has all.</em></p>"
    return body


def contents_html(body):
    """The page ``body`` with a table of contents (its second-level headings, linked) put
    after the findings cell (or at the top of the notebook when there is none)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body, features="html.parser")
    headings = [h for h in soup.find_all("h2") if h.get("id") and not h.get_text().startswith("What this run shows")]
    if not headings:
        return body
    nav = soup.new_tag("nav", attrs={"class": "toc", "aria-label": "Contents"})
    title = soup.new_tag("h2", attrs={"id": "contents"})
    title.string = "Contents"
    nav.append(title)
    items = soup.new_tag("ol")
    for h in headings:
        item, link = soup.new_tag("li"), soup.new_tag("a", href=f"#{h['id']}")
        link.string = h.get_text().rstrip("\u00b6").strip()
        item.append(link)
        items.append(item)
    nav.append(items)
    anchor = soup.find(id="cell-id=report-findings") or soup.find(id="cell-id=report-header")
    if anchor is not None:
        anchor.insert_after(nav)
    else:
        soup.find("main").insert(0, nav)
    return str(soup)


@functools.lru_cache(maxsize=2)
def _exporter(keep_code):
    """One HTML exporter per process and setting: making one compiles its templates (a tenth
    of a second), and a worker renders several notebooks."""
    from nbconvert import HTMLExporter  # imported here: see the module docstring

    # Headings keep their ids (their anchor links are hidden by the template) for the contents.
    return HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="report",
                        embed_images=True, exclude_input=not keep_code,
                        exclude_input_prompt=True, exclude_output_prompt=True)


def render_html(report_path, html_path, keep_code=False):
    """Write the executed notebook as one self-contained HTML page (images embedded).

    Parameters
    ----------
    keep_code : bool, default False
        Show code cells; by default only text, tables and figures are shown.
    """
    body, _ = _exporter(bool(keep_code)).from_filename(str(report_path))
    body = contents_html(body)
    with atomic_path(html_path) as temporary:
        Path(temporary).write_text(body, encoding="utf-8")


def notebook_summary(report_path):
    """Title and first sentence of a notebook's first Markdown cell (after the header)."""
    import nbformat  # imported here: see the module docstring

    nb = nbformat.read(report_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.get("id") not in ("report-header", "report-findings"):
            lines = [l.strip() for l in cell.source.splitlines() if l.strip()]
            title = lines[0].lstrip("# ") if lines else ""
            text = " ".join(l for l in lines[1:] if not l.startswith("#"))
            first = re.split(r"(?<=\.)\s", text.replace("`", ""), maxsplit=1)[0] if text else ""
            return title, first
    return "", ""


def _index_row(entry):
    e = html.escape
    name = e(entry["name"])
    if entry["html"]:
        name = f'<a href="{e(entry["html"])}">{name}</a>'
    pages = "".join(f'<br>Interactive: <a href="{e(p)}">{e(Path(p).stem.replace("_", " "))}</a>'
                    for p in entry.get("pages", ()))
    return (f"<tr><td>{name}</td><td><strong>{e(entry['title'])}</strong> {e(entry['summary'])}{pages}</td>"
            f"<td>{e(entry['status'])}</td></tr>")


def index_html(path, entries, corpus_line, parameters, made_at, versions):
    """Write ``reports/index.html``: one line per notebook, the corpus, when and how it was made.

    Parameters
    ----------
    entries : list of dict
        ``name``, ``html`` (file name or None), ``title``, ``summary``, ``status`` and
        ``pages`` (interactive pages of the notebook, paths relative to the index).
    parameters : dict
        Parameters given on the command line (``-p``), shown as given.
    made_at : str
        When the run was made (shown, not used).
    """
    e = html.escape
    rows = "\n".join(_index_row(x) for x in entries)
    given = ", ".join(f"<code>{e(k)} = {e(repr(v))}</code>" for k, v in parameters.items()) or "defaults"
    made_with = ", ".join(f"{e(k)} {e(v)}" for k, v in versions.items())
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<title>Reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }}
.meta {{ color: #555; font-size: .9rem; }}
</style>
</head>
<body>
<h1>Reports</h1>
<p><strong>Corpus:</strong> {e(corpus_line)}</p>
<table>
<tr><th>notebook</th><th>what it shows</th><th>status</th></tr>
{rows}
</table>
<p class="meta">Made {e(made_at)} with parameters: {given}. {made_with}.
Inputs, parameters and output hashes: <a href="run.json">run.json</a>.
Figures with the table behind each: <code>figures/</code>.</p>
</body>
</html>
"""
    with atomic_path(path) as temporary:
        Path(temporary).write_text(page, encoding="utf-8")
