"""Bring texts in as they come: saved web pages, Word and PDF files, spreadsheets and JSON
Lines exports, folders of text files, into a corpus folder the suite validates.

As quanteda's ``readtext``: one call reads every format, and document variables can come from
file names (``--docvars "{event_date}_{origin}_{outlet}"``). What can be inferred is filled
and said in ``notes`` ("published date from the page's metadata; event_date assumed equal");
what cannot (``origin``, ``source_type``, ...) is left empty, and the import ends by listing
exactly which rows and columns to fill. Sources are never modified; identical texts are
imported once; a file that cannot be read is named in one line and the others are imported.
"""
import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParameterError
from ..files import atomic_path, safe_name
from .corpus import MANIFEST, REQUIRED_COLUMNS, read_manifest

TEXT_FORMATS = {".txt", ".text", ".md"}
PAGE_FORMATS = {".html", ".htm", ".xhtml"}
TABLE_FORMATS = {".csv", ".jsonl", ".ndjson", ".xlsx"}
FORMATS = TEXT_FORMATS | PAGE_FORMATS | TABLE_FORMATS | {".docx", ".pdf"}
COLUMNS = ["doc_id", "file", "outlet", "origin", "source_type", "event_date", "published", "title",
           "url", "notes"]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class ImportProblem(Exception):
    """One source file (or row) that cannot be imported; the others still are."""


@dataclass
class Imported:
    """What an import did."""

    folder: Path
    rows: list = field(default_factory=list)        # manifest rows written (new ones)
    problems: list = field(default_factory=list)    # one line per file that was not imported
    duplicates: list = field(default_factory=list)  # one line per text already imported
    first_line: int = 2                             # line of the first new row in manifest.csv

    def to_fill(self):
        """(line in manifest.csv, doc_id, [empty required columns]) for every new row."""
        first = self.first_line
        return [(first + i, row["doc_id"], [c for c in REQUIRED_COLUMNS if not row.get(c)])
                for i, row in enumerate(self.rows) if any(not row.get(c) for c in REQUIRED_COLUMNS)]


def _document(text, source, **values):
    return {"text": text, "source": source, **{k: v for k, v in values.items() if v not in (None, "")}}


def _date(value):
    """An ISO date (YYYY-MM-DD) from a date-like value, or ""."""
    if value is None:
        return ""
    text = str(value).strip()
    found = _ISO_DATE.match(text)
    return found.group(0) if found else ""


def read_page(path):
    """A saved web page: its main text (paragraphs as lines), title, publication date, site
    name and canonical address, with trafilatura, offline, from the saved file."""
    import trafilatura

    html = Path(path).read_bytes().decode("utf-8", errors="replace")
    text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=False,
                               favor_precision=True, deduplicate=True)
    if not text or not text.strip():
        raise ImportProblem("no article text found in the page")
    meta = trafilatura.extract_metadata(html)
    notes, values = [], {}
    if meta is not None:
        values["title"] = meta.title or ""
        values["outlet"] = meta.sitename or ""
        values["url"] = meta.url or ""
        published = _date(meta.date)
        if published:
            values.update(published=published, event_date=published)
            notes.append("published date from the page's metadata; event_date assumed equal: check it")
        if values["outlet"]:
            notes.append("outlet from the page's site name")
    return [_document(text.strip(), path, notes=notes, **values)]


def read_docx(path):
    """A Word file: its paragraphs as lines; title and date from its properties if set."""
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # not a zip, not a Word file
        raise ImportProblem(f"not a readable Word file ({type(exc).__name__})") from None
    text = "\n".join(p.text.strip() for p in document.paragraphs if p.text.strip())
    if not text:
        raise ImportProblem("the Word file has no text")
    props = document.core_properties
    notes, values = [], {"title": props.title or ""}
    created = _date(props.created.isoformat() if props.created else "")
    if created:
        values["published"] = created
        notes.append("published date from the file's creation date: check it")
    return [_document(text, path, notes=notes, **values)]


def read_pdf(path):
    """A PDF's text layer, page by page. A page without one is reported as scanned; a PDF
    with no text at all is not imported (it would be an empty document)."""
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except Exception as exc:
        raise ImportProblem(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    scanned = [i + 1 for i, page in enumerate(pages) if not page]
    if len(scanned) == len(pages):
        raise ImportProblem(f"scanned, no text: none of its {len(pages)} page(s) has a text layer "
                            f"(run OCR first)")
    notes = [f"page(s) {', '.join(map(str, scanned))} scanned, no text: not imported"] if scanned else []
    title = (reader.metadata.title if reader.metadata else None) or ""
    return [_document("\n".join(p for p in pages if p), path, notes=notes, title=title)]


def _table_rows(path):
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return list(csv.DictReader(handle))
    if suffix in (".jsonl", ".ndjson"):
        rows = []
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    value = json.loads(line)
                except ValueError as exc:
                    raise ImportProblem(f"line {number} is not JSON ({exc})") from None
                if not isinstance(value, dict):
                    raise ImportProblem(f"line {number} is not a JSON object")
                rows.append(value)
        return rows
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportProblem(f"not a readable Excel file ({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in (values[0] if values else [])]
    return [dict(zip(header, row)) for row in values[1:]]


def read_table(path, text_column="text"):
    """A CSV, JSON Lines or Excel export: one document per row, its text in ``text_column``,
    every other column a document variable."""
    try:
        rows = _table_rows(path)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ImportProblem(f"not a readable UTF-8 table ({exc})") from None
    if not rows:
        raise ImportProblem("the table has no rows")
    if text_column not in rows[0]:
        raise ImportProblem(f"no column {text_column!r} (columns: {', '.join(map(str, rows[0]))}); "
                            f"name the text column with --text-column")
    documents = []
    for number, row in enumerate(rows, start=2):
        text = row.get(text_column)
        if text is None or not str(text).strip():
            documents.append(ImportProblem(f"row {number}: empty {text_column}"))
            continue
        values = {str(k).strip(): ("" if v is None else str(v).strip()) for k, v in row.items()
                  if k is not None and k != text_column}
        for column in ("event_date", "published"):
            if values.get(column):
                values[column] = _date(values[column]) or values[column]
        documents.append(_document(str(text).strip(), f"{path} row {number}", **values))
    return documents


def docvars_pattern(pattern):
    """A file-name pattern ("{event_date}_{origin}_{outlet}") as a regular expression."""
    names = re.findall(r"{(\w+)}", pattern)
    if not names:
        raise ParameterError(f"--docvars {pattern!r}: name fields in braces, e.g. "
                             f"\"{{event_date}}_{{origin}}_{{outlet}}\"")
    if len(set(names)) != len(names):
        raise ParameterError(f"--docvars {pattern!r}: a field is named twice")
    parts, position = [], 0
    for match in re.finditer(r"{(\w+)}", pattern):
        parts.append(re.escape(pattern[position:match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    return re.compile("^" + "".join(parts) + "$")


def read_text_file(path, docvars=None):
    """A plain text file; with ``docvars`` (a compiled :func:`docvars_pattern`), document
    variables from its name."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem("not UTF-8 text: save it as UTF-8") from None
    if not text.strip():
        raise ImportProblem("the file is empty")
    values, notes = {}, []
    if docvars is not None:
        found = docvars.match(Path(path).stem)
        if not found:
            raise ImportProblem(f"the name {Path(path).stem!r} does not match --docvars")
        values = {k: v.replace("-", " ") if k not in ("event_date", "published") else v
                  for k, v in found.groupdict().items()}
        notes.append(f"{', '.join(found.groupdict())} from the file name")
    return [_document(text.strip(), path, notes=notes, **values)]


def read_source(path, text_column="text", docvars=None):
    """The documents of one source file (a list; a table gives one per row)."""
    suffix = Path(path).suffix.lower()
    if suffix in PAGE_FORMATS:
        return read_page(path)
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix in TABLE_FORMATS:
        return read_table(path, text_column)
    if suffix in TEXT_FORMATS:
        return read_text_file(path, docvars)
    raise ImportProblem(f"{suffix or 'no extension'}: not a format the import reads "
                        f"({', '.join(sorted(FORMATS))})")


def source_files(sources):
    """Every file of ``sources`` (files and folders, folders walked), sorted; missing ones are
    problems."""
    files, problems = [], []
    for source in map(Path, sources):
        if source.is_dir():
            files += sorted(p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS
                            and not p.name.startswith("."))
        elif source.is_file():
            files.append(source)
        else:
            problems.append(f"{source}: no such file or folder")
    return files, problems


def _fingerprint(text):
    return hashlib.sha256(" ".join(text.split()).lower().encode("utf-8")).hexdigest()


def import_sources(sources, out, text_column="text", docvars=None, append=False, progress=None):
    """Read ``sources`` and write (or, with ``append``, extend) the corpus folder ``out``.

    Parameters
    ----------
    sources : list of str or Path
        Files and folders (walked for the formats of :data:`FORMATS`).
    out : str or Path
        The corpus folder: ``manifest.csv`` and ``texts/<doc_id>.txt``.
    text_column : str
        The column of tables that holds the text.
    docvars : str, optional
        A file-name pattern for text files ("{event_date}_{origin}_{outlet}").
    append : bool
        Add to an existing corpus; its rows and files are left as they are.
    progress : callable, optional
        Wraps the list of files (a progress bar).

    Returns
    -------
    Imported

    Raises
    ------
    ParameterError
        ``out`` holds a corpus and ``append`` is not set (or the reverse), or lies inside a
        source folder.
    """
    out = Path(out)
    pattern = docvars_pattern(docvars) if docvars else None
    files, problems = source_files(sources)
    for source in map(Path, sources):
        if source.is_dir() and (out.resolve() == source.resolve() or source.resolve() in out.resolve().parents):
            raise ParameterError(f"--out {out}: inside the source folder {source}; sources are never "
                                 f"written to: give a folder elsewhere")
    existing, seen, used = [], {}, set()
    if (out / MANIFEST).exists():
        if not append:
            raise ParameterError(f"--out {out} already holds a corpus: add --append to add documents "
                                 f"to it, or give a new folder")
        existing = read_manifest(out).to_dict("records")
        for row in existing:
            used.add(row["doc_id"])
            path = out / row["file"]
            if path.is_file():
                seen[_fingerprint(path.read_text(encoding="utf-8", errors="replace"))] = str(path)
    elif append:
        raise ParameterError(f"--append: {out} holds no corpus yet (no {MANIFEST}); leave --append out")
    result = Imported(out, problems=problems, first_line=len(existing) + 2)
    documents = []
    for path in (progress(files) if progress else files):
        try:
            found = read_source(path, text_column, pattern)
        except ImportProblem as exc:
            result.problems.append(f"{path}: {exc}")
            continue
        except OSError as exc:
            result.problems.append(f"{path}: cannot be read ({exc.strerror})")
            continue
        for item in found:
            if isinstance(item, ImportProblem):
                result.problems.append(f"{path}: {item}")
            else:
                documents.append(item)
    (out / "texts").mkdir(parents=True, exist_ok=True)
    for document in documents:
        key = _fingerprint(document["text"])
        if key in seen:
            result.duplicates.append(f"{document['source']}: the same text as {seen[key]}; imported once")
            continue
        seen[key] = str(document["source"])
        doc_id = _doc_id(document, used)
        used.add(doc_id)
        file = f"texts/{doc_id}.txt"
        with atomic_path(out / file) as temporary:
            Path(temporary).write_text(document["text"] + "\n", encoding="utf-8")
        row = {column: "" for column in COLUMNS}
        row.update({k: v for k, v in document.items() if k not in ("text", "source", "notes")})
        row.update(doc_id=doc_id, file=file)
        notes = [f"imported from {Path(str(document['source'])).name}"] + list(document.get("notes", []))
        row["notes"] = "; ".join(notes + ([row["notes"]] if row.get("notes") else []))
        result.rows.append(row)
    _write_manifest(out, existing, result.rows)
    return result


def _doc_id(document, used):
    source = str(document["source"])
    base = document.get("doc_id") or safe_name(Path(source.split(" row ")[0]).stem + (
        f"-{source.split(' row ')[1]}" if " row " in source else ""))
    base = re.sub(r"[^A-Za-z0-9_.:-]", "_", str(base)).strip("._:-") or "document"
    if not base[0].isalnum():
        base = "d" + base
    doc_id, n = base, 2
    while doc_id in used:
        doc_id, n = f"{base}-{n}", n + 1
    return doc_id


def _write_manifest(out, existing, rows):
    """The manifest: the usual columns first, then every document variable met, in order."""
    extra = [c for row in existing + rows for c in row if c not in COLUMNS]
    columns = COLUMNS + list(dict.fromkeys(extra))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in existing + rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    with atomic_path(out / MANIFEST) as temporary:
        Path(temporary).write_text(buffer.getvalue(), encoding="utf-8")


def fill_in_message(result):
    """The closing lines of an import: what to fill, or that the corpus is ready."""
    lines = [f"{len(result.rows)} document(s) imported into {result.folder}"]
    lines += [f"  duplicate: {d}" for d in result.duplicates]
    lines += [f"  not imported: {p}" for p in result.problems]
    todo = result.to_fill()
    if todo:
        lines.append(f"Fill in {result.folder / MANIFEST} before running the notebooks:")
        lines += [f"  line {line} ({doc_id}): {', '.join(columns)}" for line, doc_id, columns in todo]
        lines.append(f"then check with: python -m analysis validate --corpus {result.folder}")
    else:
        lines.append(f"Every required column is filled; check with: python -m analysis validate "
                     f"--corpus {result.folder}")
    return "\n".join(lines)
