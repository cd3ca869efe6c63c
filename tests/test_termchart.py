"""The term chart: its tables trace back to sentences, and its page opens offline, safely."""
import base64
import hashlib
import json
import re
from collections import Counter

import pytest

import analysis
from analysis import ParameterError
from analysis.figures import interactive
from analysis.measures import termchart
from analysis.text.tokens import features_of_words
from conftest import CHROMIUM, SEEDS, browser_result, document



@pytest.fixture(scope="module")
def seeds():
    return analysis.load_processed(SEEDS, use_cache=False)


def _recount(processed, by, value):
    """Feature counts of the documents whose ``by`` is ``value``, from the sentence table."""
    docs = set(processed.corpus.loc[processed.corpus[by].astype(str) == value, "doc_id"])
    counts = Counter()
    for doc_id, words in zip(processed.sentences["doc_id"], processed.sentences["words"]):
        if doc_id in docs:
            counts.update(features_of_words(words.split(), processed.rules))
    return counts


def test_counts_are_those_of_the_sentences_and_places_are_ranks(seeds):
    a, b, label = termchart.compared_groups(seeds.corpus, "origin")
    table = termchart.term_frequencies(seeds, "origin", a, b)
    assert len(table) > 20 and label == b
    counts_a, counts_b = _recount(seeds, "origin", a), _recount(seeds, "origin", b)
    for row in table.head(40).itertuples():
        assert (row.count_a, row.count_b) == (counts_a[row.feature], counts_b[row.feature])
    assert table["x"].between(0, 1).all() and table["y"].between(0, 1).all()
    assert (table.loc[table["count_a"] == 0, "y"] == 0).all()
    top = table.loc[table["count_a"].idxmax()]
    assert top["y"] == 1
    # z follows the rates: a term typical of a is used more often (per word) by a
    typical = table[table["typical_of"] == a]
    assert set(table["group_a"]) == {a} and set(table["group_b"]) == {b}
    assert (typical["per_1k_a"] > typical["per_1k_b"]).all()
    assert len(termchart.term_frequencies(seeds, "origin", a, b, max_terms=5)) == 5


def test_the_sides_default_to_the_largest_groups_and_refuse_what_cannot_be_compared(seeds, make_corpus):
    sizes = seeds.corpus["origin"].value_counts()
    a, b, _ = termchart.compared_groups(seeds.corpus, "origin")
    assert sizes[a] == sizes.max() and sizes[b] == sizes.drop(a).max()
    assert termchart.compared_groups(seeds.corpus, "origin", "Russia", "rest") == ("Russia", None, "not Russia")
    with pytest.raises(ParameterError, match="compare_a='Mars'"):
        termchart.compared_groups(seeds.corpus, "origin", "Mars")
    with pytest.raises(ParameterError, match="both 'Russia'"):
        termchart.compared_groups(seeds.corpus, "origin", "Russia", "Russia")
    one = analysis.load_corpus(make_corpus([document("a", "Trade grew a lot this year for all."),
                                            document("b", "Trade fell a lot this year for all.")]))
    with pytest.raises(ParameterError, match="two groups"):
        termchart.compared_groups(one, "origin")


def test_rest_takes_every_other_document(seeds):
    table = termchart.term_frequencies(seeds, "origin", "Russia", None)
    others = Counter()
    for value in set(seeds.corpus["origin"]) - {"Russia"}:
        others += _recount(seeds, "origin", value)
    row = table.iloc[0]
    assert row["count_b"] == others[row["feature"]]


def test_each_listed_sentence_uses_its_term_on_its_side(seeds):
    a, b, _ = termchart.compared_groups(seeds.corpus, "origin")
    table = termchart.term_frequencies(seeds, "origin", a, b)
    found = termchart.term_sentences(seeds, table["feature"], "origin", a, b, per_side=3)
    assert not found.empty and found.groupby(["feature", "side"]).size().max() <= 3
    words = dict(zip(zip(seeds.sentences["doc_id"], seeds.sentences["sentence_id"]), seeds.sentences["words"]))
    for row in found.itertuples():
        assert row.feature in features_of_words(words[(row.doc_id, row.sentence_id)].split(), seeds.rules)
        assert row.group == (a if row.side == "a" else b)
    # a term one side never uses has no sentence on that side
    only_a = table[(table["count_b"] == 0)].iloc[0]
    assert set(found.loc[found["feature"] == only_a["feature"], "side"]) == {"a"}
    with pytest.raises(ParameterError, match="per_side"):
        termchart.term_sentences(seeds, ["x"], "origin", a, b, per_side=0)


def test_find_term_by_written_form_or_feature(seeds):
    table = termchart.term_frequencies(seeds, "origin", "China", "Russia")
    assert termchart.find_term(table)["z"] == table["z"].max()
    row = table.iloc[3]
    assert termchart.find_term(table, row["term"].upper())["feature"] == row["feature"]
    assert termchart.find_term(table, row["feature"])["term"] == row["term"]
    with pytest.raises(ParameterError, match="chart_term='zebra'"):
        termchart.find_term(table, "zebra")


HOSTILE = '</script><script>document.title="pwned"</script><img src=x onerror=alert(1)> & <!--'


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    """A term chart page of a corpus whose text and labels try to break out of the page."""
    folder = tmp_path_factory.mktemp("hostile")
    text_a = f"Trade grew strongly. {HOSTILE} said trade officials. Trade talks went on with energy."
    text_b = "Energy flows grew. Energy talks went on with trade. Energy prices fell this year."
    docs = [document(f"a{i}", text_a, origin="<b>Side A</b>") for i in range(3)]
    docs += [document(f"b{i}", text_b, origin="B & co") for i in range(3)]
    from conftest import write_corpus

    processed = analysis.load_processed(write_corpus(folder / "corpus", docs), use_cache=False)
    a, b, label_b = termchart.compared_groups(processed.corpus, "origin", "<b>Side A</b>", "B & co")
    table = termchart.term_frequencies(processed, "origin", a, b, min_count=1)
    found = termchart.term_sentences(processed, table["feature"], "origin", a, b)
    found = found.assign(where=found["doc_id"] + " <i>x</i>")
    fig = interactive.term_chart(table, a, label_b, "Words " + a)
    page = interactive.term_chart_page(fig, table, found, {"a": a, "b": label_b}, folder / "page.html",
                                       "Words " + a, "Caption " + HOSTILE)
    return page, table


def test_the_page_carries_its_data_inert_and_allows_only_its_own_scripts(hostile_page):
    page, table = hostile_page
    text = page.read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    assert len(scripts) == 2  # Plotly and the page's own lines; nothing else can run
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', text).group(1)
    allowed = set(re.findall(r"'sha256-([^']+)'", policy))
    assert allowed == {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "http" not in policy and "default-src 'none'" in policy
    data = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', text, re.S).group(1)
    assert "<" not in data and ">" not in data  # the data cannot end its element
    parsed = json.loads(data)
    assert any(HOSTILE in s for rows in parsed["sentences"].values() for side in rows.values() for _, s in side)
    assert "&lt;b&gt;Side A&lt;/b&gt;" in text and "<b>Side A</b>" not in text.replace(data, "")
    assert len(parsed["terms"]) == len(table)


HARNESS = """<!DOCTYPE html><html><body>
<iframe id="page" src="{src}" width="1200" height="1400"></iframe><pre id="result">pending</pre>
<script>
function report(x) {{ document.getElementById("result").textContent = JSON.stringify(x); }}
function lists(doc) {{ return {{chosen: doc.getElementById("chosen").getAttribute("data-term"),
  a: Array.from(doc.querySelectorAll("#list-a li")).map(function (li) {{ return li.textContent; }}),
  b: Array.from(doc.querySelectorAll("#list-b li")).map(function (li) {{ return li.textContent; }}),
  injected: doc.querySelectorAll("#list-a img, #list-b img, #list-a script").length, title: doc.title}}; }}
var tries = 0;
function step() {{
  var doc = document.getElementById("page").contentDocument;
  if (!doc || !doc.body || doc.body.getAttribute("data-ready") !== "yes") {{
    if (++tries < 150) {{ return setTimeout(step, 100); }} return report({{ready: false}}); }}
  var out = {{ready: true, points: doc.querySelectorAll(".scatterlayer .points path").length}};
  var input = doc.getElementById("term");
  input.value = "{typed}";
  input.dispatchEvent(new Event("change"));
  out.typed = lists(doc);
  // a click as a pointer makes it: mouse events at a drawn point
  var point = doc.querySelectorAll(".scatterlayer .points path")[{point}];
  var box = point.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
  var target = doc.elementFromPoint(x, y);
  ["mousemove", "mousedown", "mouseup", "click"].forEach(function (type) {{
    target.dispatchEvent(new MouseEvent(type, {{bubbles: true, cancelable: true, clientX: x, clientY: y,
                                                view: doc.defaultView}})); }});
  setTimeout(function () {{ out.clicked = lists(doc); report(out); }}, 500);
}}
window.addEventListener("load", function () {{ setTimeout(step, 100); }});
</script></body></html>"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium; "
                                             ".ci/run installs it)")
def test_a_term_can_be_chosen_offline_in_a_real_browser(hostile_page, tmp_path):
    page, table = hostile_page
    typed = table.loc[table["term"] == "trade"].iloc[0]
    clicked = len(table) - 1
    harness = tmp_path / "harness.html"
    harness.write_text(HARNESS.format(src=page.resolve().as_uri(), typed="Trade", point=clicked), encoding="utf-8")
    seen = browser_result(harness, tmp_path / "profile", budget_ms=20000)
    assert seen["ready"] and seen["points"] == len(table)
    # typed: both sides' sentences, the hostile one shown as text, nothing injected
    assert seen["typed"]["chosen"] == "trade"
    assert len(seen["typed"]["a"]) == 5 and len(seen["typed"]["b"]) == 3  # capped at per_side; b has 3
    assert any(HOSTILE in s for s in seen["typed"]["a"]) and seen["typed"]["injected"] == 0
    assert seen["typed"]["title"] != "pwned"
    # clicked: the point's own term
    assert seen["clicked"]["chosen"] == table.iloc[clicked]["term"] != typed["term"]


def test_term_chart_gathers_sides_terms_and_whole_labelled_sentences(seeds, make_corpus):
    chart = termchart.term_chart(seeds, "origin", "Russia", "rest", per_side=2)
    assert (chart.label_a, chart.label_b) == ("Russia", "not Russia")
    assert chart.title == "Words of Russia against not Russia (origin)"
    assert set(chart.table["group_b"]) == {"not Russia"}
    assert chart.sentences.groupby(["feature", "side"]).size().max() <= 2
    outlets = dict(zip(seeds.corpus["doc_id"], seeds.corpus["outlet"]))
    assert all(w.startswith(outlets[d]) for d, w in zip(chart.sentences["doc_id"], chart.sentences["where"]))
    one = analysis.load_processed(make_corpus([document("a", "Trade grew a lot this year for all."),
                                               document("b", "Trade fell a lot this year for all.")]),
                                  use_cache=False)
    assert termchart.term_chart(one, "origin") is None
