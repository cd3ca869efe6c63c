"""Bring texts in as they come: each format generated here, imported, checked, validated."""
import csv
import json

import pandas as pd
import pytest

import analysis
from analysis import ParameterError
from analysis.runner.cli import main
from analysis.text.sources import docvars_pattern, fill_in_message, import_sources

ARTICLE = ["Putin and Xi agree to deepen energy ties at Kremlin talks",
           "Vladimir Putin and Xi Jinping agreed on Tuesday to expand trade and energy cooperation, "
           "the Kremlin said after talks in Moscow.",
           "The two leaders discussed the Power of Siberia 2 gas pipeline and payments in national "
           "currencies, officials said.",
           "Xi said the relationship between the two countries had reached a new level of trust."]

PAGE = """<!DOCTYPE html><html><head><title>Putin and Xi agree | World News Daily</title>
<meta property="og:site_name" content="World News Daily">
<meta property="og:title" content="{title}">
<link rel="canonical" href="https://news.example.org/world/putin-xi-energy">
<meta property="article:published_time" content="2024-05-16T09:12:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li></ul></nav>
<div class="ad">Advertisement</div>
<article><h1>{title}</h1>
<p>{p1}</p><div class="ad">Advertisement</div><p>{p2}</p><p>{p3}</p></article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Russia and China hold naval drills</a></li>
<li><a href="/b">What is the Power of Siberia 2 pipeline?</a></li></ul></aside>
<footer>Sign up for our newsletter. &copy; 2024 World News Daily. All rights reserved.</footer>
</body></html>""".format(title=ARTICLE[0], p1=ARTICLE[1], p2=ARTICLE[2], p3=ARTICLE[3])


def _pdf(pages):
    """A minimal PDF: one page per text (None: a page with no text layer, as a scan)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        content = b"" if text is None else (f"BT /F1 11 Tf 72 720 Td ({text}) Tj ET").encode("latin-1")
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content.decode('latin-1')}\nendstream")
        stream_id = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {stream_id} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    start = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    return bytes(out)


@pytest.fixture
def sources(tmp_path):
    import docx
    import openpyxl

    folder = tmp_path / "sources"
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "putin-xi.html").write_text(PAGE, encoding="utf-8")
    word = docx.Document()
    word.core_properties.title = "Statement on the talks"
    for paragraph in ARTICLE[1:3]:
        word.add_paragraph(paragraph)
    word.save(folder / "statement.docx")
    (folder / "readout.pdf").write_bytes(_pdf(["Xi Jinping spoke with Vladimir Putin on the phone.", None,
                                               "The two sides agreed to keep in close contact."]))
    (folder / "scan.pdf").write_bytes(_pdf([None, None]))
    with open(folder / "wire.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "outlet", "event_date", "party"])
        writer.writeheader()
        writer.writerow({"text": "TASS reports that the leaders met in Beijing and discussed trade.",
                         "outlet": "TASS", "event_date": "2024-05-16", "party": "none"})
        writer.writerow({"text": "", "outlet": "TASS", "event_date": "2024-05-16", "party": "none"})
    with open(folder / "db.jsonl", "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": "Xinhua: Xi and Putin held talks on energy and finance.",
                                 "outlet": "Xinhua", "origin": "China", "source_type": "state_media",
                                 "event_date": "2024-05-16"}) + "\n")
    book = openpyxl.Workbook()
    book.active.append(["text", "outlet", "published"])
    book.active.append(["The Kremlin said the talks were constructive and warm.", "Kremlin", "2024-05-17"])
    book.save(folder / "sheet.xlsx")
    (folder / "texts").mkdir()
    (folder / "texts" / "2024-05-16_West_The-Daily-Post.txt").write_text(
        "The two leaders met in Beijing.\nThey signed a joint statement on energy.", encoding="utf-8")
    (folder / "texts" / "copy.md").write_text(ARTICLE[1] + "\n" + ARTICLE[2], encoding="utf-8")  # = docx text
    (folder / "broken.docx").write_bytes(b"not a zip")
    return folder


def test_every_format_is_imported_with_its_variables_and_notes(sources, tmp_path):
    before = {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()}
    out = tmp_path / "corpus"
    result = import_sources([sources], out, docvars=None)
    assert {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()} == before  # sources untouched
    manifest = pd.read_csv(out / "manifest.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    text = {d: (out / f).read_text(encoding="utf-8") for d, f in manifest["file"].items()}
    page = manifest.loc["putin-xi"]
    assert text["putin-xi"].splitlines() == ARTICLE  # title and paragraphs as lines, furniture gone
    assert "Advertisement" not in text["putin-xi"] and "naval drills" not in text["putin-xi"]
    assert page["title"] == ARTICLE[0] and page["outlet"] == "World News Daily"
    assert page["published"] == page["event_date"] == "2024-05-16"
    assert page["url"] == "https://news.example.org/world/putin-xi-energy"
    assert "event_date assumed equal" in page["notes"] and "outlet from the page's site name" in page["notes"]
    assert manifest.loc["statement", "title"] == "Statement on the talks"
    assert text["readout"].splitlines() == ["Xi Jinping spoke with Vladimir Putin on the phone.",
                                            "The two sides agreed to keep in close contact."]
    assert "page(s) 2 scanned, no text" in manifest.loc["readout", "notes"]
    assert manifest.loc["wire-2", "outlet"] == "TASS" and manifest.loc["wire-2", "party"] == "none"
    assert manifest.loc["db-2", "origin"] == "China"
    assert manifest.loc["sheet-2", "published"] == "2024-05-17"
    # identical texts once, a broken file and a scan named, the others imported
    assert any("copy.md" in d and "statement.docx" in d for d in result.duplicates)
    problems = "\n".join(result.problems)
    assert "broken.docx: not a readable Word file" in problems
    assert "scan.pdf: scanned, no text" in problems and "wire.csv: row 3: empty text" in problems
    assert main(["import", str(sources), "--out", str(tmp_path / "again")]) == 1  # problems: non-zero


def test_the_fields_to_fill_are_listed_and_the_corpus_validates_once_filled(sources, tmp_path):
    out = tmp_path / "corpus"
    result = import_sources([sources], out)
    message = fill_in_message(result)
    todo = {doc_id: columns for _, doc_id, columns in result.to_fill()}
    assert "origin" in todo["putin-xi"] and "source_type" in todo["putin-xi"] and "event_date" not in todo["putin-xi"]
    assert "db-2" not in todo  # the export had every required value
    line = next(n for n, doc_id, _ in result.to_fill() if doc_id == "putin-xi")
    assert f"line {line} (putin-xi): origin, source_type" in message and "python -m analysis validate" in message
    assert pd.read_csv(out / "manifest.csv").iloc[line - 2]["doc_id"] == "putin-xi"
    with pytest.raises(analysis.CorpusError) as caught:  # validate says the same
        analysis.load_corpus(out)
    assert "required value(s) empty: origin, source_type" in str(caught.value)
    manifest = pd.read_csv(out / "manifest.csv", dtype=str, keep_default_na=False)
    for column, value in (("origin", "West"), ("source_type", "media"), ("outlet", "Unnamed"),
                          ("event_date", "2024-05-16")):
        manifest[column] = manifest[column].replace("", value)
    manifest.to_csv(out / "manifest.csv", index=False)
    corpus = analysis.load_corpus(out)
    assert len(corpus) == len(result.rows) and corpus["text"].str.len().min() > 0


def test_docvars_from_file_names_and_append(sources, tmp_path):
    out = tmp_path / "corpus"
    import_sources([sources / "texts" / "2024-05-16_West_The-Daily-Post.txt"], out,
                   docvars="{event_date}_{origin}_{outlet}")
    row = pd.read_csv(out / "manifest.csv", dtype=str, keep_default_na=False).iloc[0]
    assert (row["event_date"], row["origin"], row["outlet"]) == ("2024-05-16", "West", "The Daily Post")
    assert "event_date, origin, outlet from the file name" in row["notes"]
    first = (out / "manifest.csv").read_bytes()
    with pytest.raises(ParameterError, match="add --append"):
        import_sources([sources / "sheet.xlsx"], out)
    added = import_sources([sources / "sheet.xlsx", sources / "texts"], out, append=True)
    after = (out / "manifest.csv").read_bytes()
    assert after.startswith(first.splitlines(keepends=True)[0].rstrip(b"\n")[:40])
    assert pd.read_csv(out / "manifest.csv").iloc[0]["doc_id"] == row["doc_id"]  # the row already there
    assert len(added.rows) == 2 and added.first_line == 3  # sheet + copy.md; the named file is known
    with pytest.raises(ParameterError, match="name fields in braces"):
        docvars_pattern("no fields")


def test_the_corpus_cannot_be_written_inside_a_source_folder(sources):
    with pytest.raises(ParameterError, match="sources are never written to"):
        import_sources([sources], sources / "corpus")
