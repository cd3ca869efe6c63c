"""Pages for readers: findings read from the tables, readable tables, contents."""
import pandas as pd

from analysis.measures.findings import FINDERS, findings_table
from analysis.runner.render import contents_html, findings_markdown, table_html


def _rates():
    return pd.DataFrame({
        "group": ["A", "A", "B", "B"], "theme": ["t1", "t2", "t1", "t2"], "label": ["Trade", "Energy"] * 2,
        "count": [9, 1, 2, 6], "tokens": [1000, 1000, 1000, 1000], "rate_per_1k": [9.0, 1.0, 2.0, 6.0],
        "low": [6.5, 0.0, 0.5, 4.0], "high": [12.0, 2.0, 3.0, 9.0], "documents": [3, 3, 2, 2],
        "sentences": [40, 40, 30, 30], "interval": ["bootstrap"] * 4})


def test_findings_quote_numbers_of_the_table_they_name(tmp_path):
    _rates().to_csv(tmp_path / "theme_rates_by_group.csv", index=False)
    (tmp_path / "theme_rates_by_group.png").write_bytes(b"png")
    found = findings_table(tmp_path)
    assert list(found.columns) == ["finding", "number", "table", "figure"]
    assert found["table"].eq("theme_rates_by_group.csv").all() and found["figure"].eq("theme_rates_by_group.png").all()
    texts = list(found["finding"])
    assert texts[0].startswith("A: the most frequent theme is Trade, 9.0") and "6.5\u201312.0" in texts[0]
    assert texts[1].startswith("B: the most frequent theme is Energy, 6.0")
    # the widest gap: Trade, 9.0 against 2.0, with intervals apart (6.5 > 3.0)
    assert "Trade: A 9.0 against B 2.0" in texts[2] and "do not overlap" in texts[2]
    assert all(number in text for number, text in zip(found["number"], texts))


def test_findings_skip_tables_of_another_shape_and_stop_at_the_maximum(tmp_path):
    pd.DataFrame({"x": [1]}).to_csv(tmp_path / "theme_rates_by_group.csv", index=False)  # wrong columns
    (tmp_path / "kwic.csv").write_text("doc_id,group,sentence_id,left,match,right\n", encoding="utf-8")
    found = findings_table(tmp_path)
    assert list(found["table"]) == ["kwic.csv"] and "used 0 time(s)" in found["finding"].iloc[0]
    assert findings_table(tmp_path / "missing").empty
    for name in FINDERS:
        if name != "kwic.csv":
            _rates().to_csv(tmp_path / name, index=False)
    assert len(findings_table(tmp_path, max_findings=3)) <= 3


def test_findings_markdown_escapes_and_links_each_table(tmp_path):
    found = pd.DataFrame([{"finding": "<b>x</b> rose to 2 in 2025", "number": "2", "table": "a b.csv",
                           "figure": ""}])
    text = findings_markdown(found, "05_explore", "Explore")
    assert text.startswith("## What this run shows: Explore")
    assert "&lt;b&gt;x&lt;/b&gt; rose to **2** in 2025" in text  # the number alone in bold, not 2025's
    assert "[table](../figures/05_explore/a%20b.csv)" in text and "[figure]" not in text
    assert "No finding" in findings_markdown(found.iloc[0:0], "x")


def test_tables_show_percentages_two_decimals_whole_text_and_escape():
    long = "A sentence that goes on " * 20
    frame = pd.DataFrame({"label": ["<script>x</script>", long], "share": [0.8333333, 1.0],
                          "rate_per_1k": [12.34567, 0.004567], "count": [3, 4]})
    page = table_html(frame)
    assert "83.3%" in page and "100.0%" in page and "12.35" in page and "0.0046" in page
    assert long.strip() in page and "..." not in page  # whole, the page wraps it
    assert "&lt;script&gt;" in page and "<script>" not in page
    many = table_html(pd.DataFrame({"n": range(100)}), max_rows=10)
    assert "First 10 of 100 rows" in many


def test_contents_list_the_sections_after_the_findings():
    body = ('<main><div id="cell-id=report-findings"><h2 id="What-this-run-shows">What this run shows</h2></div>'
            '<h1 id="T">T</h1><h2 id="The-codebook">The codebook<a class="anchor-link" href="#The-codebook">\u00b6</a></h2>'
            '<h2 id="Counts">Counts</h2></main>')
    page = contents_html(body)
    nav = page.split('<nav')[1].split('</nav>')[0]
    assert '<a href="#The-codebook">The codebook</a>' in nav and '<a href="#Counts">Counts</a>' in nav
    assert "What this run shows" not in nav
    assert page.index("report-findings") < page.index('<nav') < page.index('id="T"')
    assert contents_html("<main><p>no headings</p></main>") == "<main><p>no headings</p></main>"
