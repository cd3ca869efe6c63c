"""Load a corpus folder (``manifest.csv`` plus text files) into one DataFrame, validated.

The manifest has one row per document. Required columns: ``doc_id``, ``file``, ``outlet``,
``origin``, ``source_type``, ``event_date`` (ISO date). Optional: ``published`` (ISO date),
``title``, ``url``, ``notes``, ``event`` (a label that groups documents about one event;
defaults to the event date), and ``first_line`` / ``last_line`` (1-based, inclusive) to take
one document out of part of a file. Any other column is kept as a document variable.
"""
import csv
import io
import os
import re
import stat
import time
import unicodedata
import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import polars as pl

from ..errors import CorpusError, CorpusWarning, ParameterError
from ..rules import rules_for
from .allocator import return_freed_memory
from .boilerplate import repeated_lines
from .cleaning import clean_batches, clean_with_removals, normalize_unicode, unified_column
from .normalize import normalization_changes
from .dialect import characters, class_of
from .memo import kept
from .parallel import BATCH
from .stages import stage

MANIFEST = "manifest.csv"
REQUIRED_COLUMNS = ("doc_id", "file", "outlet", "origin", "source_type", "event_date")
OPTIONAL_COLUMNS = ("first_line", "last_line", "published", "title", "url", "notes", "event")
DERIVED_COLUMNS = ("year", "text")
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
# In labels, characters that are invisible or turn text around make two labels that look the
# same differ, or show one that reads otherwise: they are removed (with a warning).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_manifest(corpus_dir):
    """The manifest as a DataFrame of strings (empty cells are ``""``).

    Raises
    ------
    CorpusError
        The folder or manifest is missing, unreadable, not CSV, or lacks required columns.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError([f"corpus folder {corpus_dir} does not exist (pass the folder that "
                           f"holds {MANIFEST} and the text files)"])
    path = corpus_dir / MANIFEST
    if not path.is_file():
        raise CorpusError([f"{path} is missing: create it with one row per document and the "
                           f"columns {', '.join(REQUIRED_COLUMNS)} (see README)"], corpus_dir)
    if not path.is_file():
        raise CorpusError([f"{path} is not a regular file"], corpus_dir)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError([f"{path} is not UTF-8 (byte {exc.start}): save it as UTF-8"],
                          corpus_dir) from exc
    problems = [f"{MANIFEST} line {text.count(chr(10), 0, i) + 1}: a control character "
                f"(U+{ord(text[i]):04X}) in a field; remove it" for i in
                sorted({m.start() for m in _CONTROL.finditer(text)})[:5]]
    header = next(csv.reader(io.StringIO(text)), [])
    names = [h.strip() for h in header]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        problems.append(f"{MANIFEST} line 1: column(s) {', '.join(map(repr, doubled))} appear more "
                        f"than once; keep one of each")
    if problems:
        raise CorpusError(problems, corpus_dir)
    try:
        manifest = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                               skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CorpusError([f"{path} is not a readable CSV file: {exc}"], corpus_dir) from exc
    manifest.columns = [str(c).strip() for c in manifest.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in manifest.columns]
    if missing:
        raise CorpusError([f"{path}: required column(s) missing: {', '.join(missing)} "
                           f"(found: {', '.join(manifest.columns) or 'none'})"], corpus_dir)
    if manifest.empty:
        raise CorpusError([f"{path} has no rows: add one row per document"], corpus_dir)
    for column in OPTIONAL_COLUMNS:
        if column not in manifest.columns:
            manifest[column] = ""
    manifest = manifest.apply(lambda col: col.str.strip())
    return _normalised_labels(manifest)


def _normalised_labels(manifest):
    """Labels in one form (NFKC), without invisible or direction-changing characters; a
    :class:`CorpusWarning` names each changed cell."""
    for column in manifest.columns:
        values = manifest[column].tolist()
        # ASCII has nothing to normalise or remove: most cells are skipped
        fixed = [v if v.isascii() else _INVISIBLE.sub("", unicodedata.normalize("NFKC", v)) for v in values]
        changed = [i for i, (a, b) in enumerate(zip(values, fixed)) if a != b]
        for i in changed[:10]:
            warnings.warn(f"{MANIFEST} line {i + 2}, column {column}: {values[i]!r} had "
                          f"invisible, direction-changing or compatibility characters; read as "
                          f"{fixed[i]!r}", CorpusWarning, stacklevel=3)
        if changed:
            manifest[column] = pd.Series(fixed, index=manifest.index, dtype=manifest[column].dtype)
    return manifest


def _records(frame):
    """``frame.to_dict("records")`` for a frame of strings, a fifth of its time (pandas boxes
    each value on its own; a corpus of 20,000 rows spent 0.1 s there)."""
    columns = list(frame.columns)
    return [dict(zip(columns, values)) for values in zip(*(frame[c].tolist() for c in columns))]


def _parse_date(value):
    return date.fromisoformat(value)


_BOM = "\ufeff".encode("utf-8")


def _decode(path, raw):
    """``raw`` (bytes of the file at ``path``, a str) as text, or None and why not."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, (f"{os.path.basename(path)} is not valid UTF-8 (byte {exc.start}, line {line}: "
                      f"{raw[max(0, exc.start - 20):exc.start + 1]!r}); re-save it as UTF-8")


def _line_range(row, where, problems):
    bounds = []
    for column in ("first_line", "last_line"):
        value = row[column]
        if value == "":
            bounds.append(None)
            continue
        try:
            number = int(float(value)) if float(value).is_integer() else None
        except ValueError:
            number = None
        if number is None or number < 1:
            problems.append(f"{where}: {column} {value!r} is not a line number (1, 2, ...)")
            return None
        bounds.append(number)
    first, last = bounds
    if first and last and last < first:
        problems.append(f"{where}: last_line {last} is before first_line {first}")
        return None
    return first, last


class _Paths(dict):
    """The manifest's file names -> resolved paths, with the resolver they share."""

    def __init__(self):
        super().__init__()
        self.resolved = _Resolved()


class _Resolved(dict):
    """A path (str) -> the path with symbolic links resolved (``Path.resolve``, as a str), each
    folder resolved once: a file that is not itself a link is its resolved folder plus its
    name, one ``lstat`` instead of one per part of the path. Strings, not ``Path`` objects:
    pathlib's parsing and hashing would cost a corpus of 20,000 files a second here."""

    def __init__(self):
        super().__init__()
        self.folders = {}

    def __missing__(self, path):
        folder, name = os.path.split(path)
        link = name in ("", ".", "..")
        if not link:
            if folder not in self.folders:
                self.folders[folder] = str(Path(folder or ".").resolve())
            full = os.path.join(self.folders[folder], name)
            try:
                link = stat.S_ISLNK(os.lstat(full).st_mode)
            except OSError:
                pass  # missing: reported where it is used, as resolve() would leave it
        self[path] = str(Path(path).resolve()) if link else full
        return self[path]


def _row_source(corpus_dir, root, row, where, problems, paths):
    """Where the row's text is: (resolved path, first line, last line), or None (with the
    problem added) if the file is outside the folder, missing, not a regular file, or the line
    range is malformed. Nothing is read here (see :class:`RawTexts`); ``paths`` remembers each
    file's resolved path (and its ``resolved`` attribute, a :class:`_Resolved`, each folder's);
    ``root`` is ``corpus_dir`` resolved."""
    relative = row["file"]
    path = paths.get(relative)
    if path is None:
        path = paths[relative] = paths.resolved[os.path.join(corpus_dir, relative)]
    if not path.startswith(os.path.join(root, "")):  # inside: below the resolved folder
        problems.append(f"{where}: file {relative!r} is outside the corpus folder")
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        problems.append(f"{where}: file {relative} does not exist in {corpus_dir}")
        return None
    if not stat.S_ISREG(mode):  # a folder, FIFO or device: reading it could wait forever
        problems.append(f"{where}: file {relative} is not a regular file (a folder, pipe or "
                        f"device); name a text file")
        return None
    span = _line_range(row, where, problems)
    if span is None:
        return None
    return (path, *span, relative)


def _text_files(folder):
    """What ``Path(folder).rglob("*.txt")`` finds (every entry named so, in the folder and the
    folders below it, links to folders not followed), as strings, without pathlib's objects."""
    for top, folders, files in os.walk(folder):
        for name in folders + files:
            if name.endswith(".txt"):
                yield os.path.join(top, name)


class RawTexts:
    """The documents' texts as their files hold them, read from the files when asked for.

    A sequence: ``len``, ``texts[i]`` (str), ``texts[a:b]`` (another RawTexts, nothing read
    yet), iteration and ``list(texts)`` (read a batch at a time). Holding every raw text in
    memory would be one more copy of the corpus, often two (Python stores a text with one
    curly quote at two bytes a character); cleaning reads them a batch at a time instead.

    Parameters
    ----------
    sources : list of tuple or None
        Per document, (path, first line or None, last line or None, the file as the manifest
        names it), or None: no text (read as "").

    Attributes
    ----------
    errors : dict
        Position in the whole sequence -> (why its text could not be read, the file's path if
        the file itself cannot be read or decoded, else None), filled as texts are read; a
        slice shares the dict of the sequence it was cut from.
    """

    def __init__(self, sources, errors=None, start=0):
        self.sources = list(sources)
        self.errors = {} if errors is None else errors
        self._start = start  # where this slice begins in the whole

    def __len__(self):
        return len(self.sources)

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, _, step = item.indices(len(self.sources))
            if step != 1:
                return [self[i] for i in range(len(self.sources))[item]]
            return RawTexts(self.sources[item], self.errors, self._start + start)
        return self._read([item])[0]

    def __iter__(self):
        for start in range(0, len(self.sources), BATCH):
            yield from self._read(range(start, min(start + BATCH, len(self.sources))))

    def column(self):
        """The texts as a polars Series of strings (``list(self)`` as a column). Whole files go
        from bytes to the column without becoming Python strings (the column engine checks
        they are UTF-8); a text cut by a line range, or a file that cannot be read or decoded,
        takes the way of ``list(self)``, which records why."""
        raw = []
        for source in self.sources:
            if source is None:
                raw.append(b"")
                continue
            if source[1] is not None or source[2] is not None:
                return pl.Series(list(self), dtype=pl.String)
            try:
                with open(source[0], "rb", buffering=0) as file:
                    data = file.read()
            except OSError:
                return pl.Series(list(self), dtype=pl.String)
            raw.append(data[3:] if data.startswith(_BOM) else data)  # as "utf-8-sig" reads it
        try:
            return pl.Series(raw, dtype=pl.Binary).cast(pl.String)
        except pl.exceptions.ComputeError:  # not UTF-8
            return pl.Series(list(self), dtype=pl.String)

    def __reduce__(self):  # sent to a worker process: the errors it finds stay there
        return RawTexts, (self.sources,)

    def _read(self, positions):
        texts, path, text, lines, error = [], None, None, None, None
        for position in positions:  # the last file read is kept: rows of one file follow each other
            source = self.sources[position]
            if source is None:
                texts.append("")
                continue
            if source[0] != path:
                path, lines = source[0], None
                try:
                    # the built-in open, unbuffered: one read of the whole file, without
                    # pathlib's parsing (a third of the time of Path.read_bytes, twice per file)
                    with open(path, "rb", buffering=0) as file:
                        raw = file.read()
                    text, error = _decode(path, raw)
                except OSError as exc:
                    text, error = None, f"{Path(path).name} cannot be read ({exc.strerror or exc})"
            _, first, last, relative = source
            if error:
                self.errors.setdefault(self._start + position, (error, path))
                texts.append("")
            elif first is None and last is None:
                texts.append(text)
            else:
                lines = text.splitlines(keepends=True) if lines is None else lines
                if first and first > len(lines):
                    self.errors.setdefault(self._start + position, (
                        f"first_line {first} is past the end of {relative} ({len(lines)} lines)", None))
                    texts.append("")
                else:
                    texts.append("".join(lines[(first or 1) - 1: last]))
        return texts


def _read_problems(errors, wheres):
    """The problems :class:`RawTexts` met, in document order; a file that cannot be read or
    decoded is reported once, at the first document that names it."""
    problems, reported = [], set()
    for position, (error, path) in sorted(errors.items()):
        if path is not None:  # the file itself: once
            if path in reported:
                continue
            reported.add(path)
        problems.append(f"{wheres[position]}: {error}")
    return problems


def raw_texts(corpus, corpus_dir=None):
    """Each document's text as its file holds it (before cleaning), read again from the files.

    Parameters
    ----------
    corpus : pandas.DataFrame or analysis.ProcessedCorpus
        As returned by :func:`load_corpus` (its ``file``, ``first_line`` and ``last_line``).
    corpus_dir : str or Path, optional
        The corpus folder; default: the one the corpus was loaded from
        (``corpus.attrs["corpus_dir"]``).

    Returns
    -------
    RawTexts
        A sequence of str in corpus order, read when indexed or iterated.

    Raises
    ------
    ParameterError
        No folder given and the corpus does not say where it was loaded from.

    Warns
    -----
    CorpusWarning
        A file changed after the corpus was loaded: its raw text may no longer be the one
        that was cleaned.
    """
    if hasattr(corpus, "corpus"):
        corpus = corpus.corpus
    folder = corpus_dir or corpus.attrs.get("corpus_dir")
    if not folder:
        raise ParameterError("corpus_dir=None: this corpus does not say which folder it was loaded "
                             "from (it was not made by load_corpus); give corpus_dir=")
    folder, paths, problems = Path(folder), _Paths(), []
    root, sources = folder.resolve(), []
    rows = _records(corpus[["doc_id", "file", "first_line", "last_line"]].astype(str))
    for row in rows:
        source = _row_source(folder, root, row, f"document {row['doc_id']}", problems, paths)
        if problems:
            raise CorpusError(problems, folder)
        sources.append(source)
    loaded = corpus.attrs.get("loaded_ns")
    if loaded and corpus_dir is None:
        changed = sorted({os.path.basename(p) for p in paths.values() if os.stat(p).st_mtime_ns > loaded})
        if changed:
            warnings.warn(f"{', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''} changed after "
                          f"the corpus was loaded from {folder}: the raw text read now may not be the "
                          f"one that was cleaned; load the corpus again", CorpusWarning, stacklevel=2)
    return RawTexts(sources)


def load_corpus(path, n_jobs=1, rules=None):
    """Read, validate and clean a corpus folder.

    Parameters
    ----------
    path : str or Path
        Folder holding ``manifest.csv`` and the text files it names.
    n_jobs : int, default 1
        Processes for cleaning (joblib's meaning: -1 = every core).
    rules : analysis.rules.RuleSet, optional
        The rule files to clean with; default: the corpus's own ``rules/`` folder over the
        shipped rules (see :func:`analysis.rules.rules_for`).

    Returns
    -------
    pandas.DataFrame
        One row per document, in manifest order: the manifest columns (``event_date`` and
        ``published`` as datetimes), ``event`` (the manifest's, or the event date as
        YYYY-MM-DD), ``year`` (int, of the event date) and ``text`` (cleaned, see
        :func:`analysis.cleaning.clean`). The texts as the files hold them are read again
        when asked for (:func:`raw_texts`); ``attrs["corpus_dir"]`` says from where.

    Raises
    ------
    CorpusError
        With every problem found (missing or non-UTF-8 file, empty document after cleaning,
        duplicate ``doc_id``, bad date or line range, empty required field), each naming the
        manifest row and file.

    Warns
    -----
    CorpusWarning
        For a ``.txt`` file in the folder that no manifest row names.
    """
    return_freed_memory()  # reading and cleaning free many batch-sized buffers too
    corpus_dir = Path(path)
    loaded_ns = time.time_ns()
    manifest = read_manifest(corpus_dir)
    rules = rules_for(corpus_dir) if rules is None else rules
    problems, sources, wheres, places = [], [], [], []
    root, paths = corpus_dir.resolve(), _Paths()
    seen_ids = {}
    for index, row in enumerate(_records(manifest)):
        line = index + 2  # header is line 1
        doc_id = row["doc_id"]
        where = f"{MANIFEST} line {line}" + (f" (doc_id {doc_id})" if doc_id else "")
        empty = [c for c in REQUIRED_COLUMNS if row[c] == ""]
        if empty:
            problems.append(f"{where}: required value(s) empty: {', '.join(empty)}")
        if doc_id:
            if doc_id in seen_ids:
                problems.append(f"{where}: duplicate doc_id {doc_id!r} (first on line "
                                f"{seen_ids[doc_id]}); every document needs its own id")
            else:
                seen_ids[doc_id] = line
            if not _DOC_ID.match(doc_id):
                problems.append(f"{where}: doc_id {doc_id!r} may use only letters, digits "
                                f"and _ . : - (and must start with a letter or digit)")
        dates = {}
        for column in ("event_date", "published"):
            if row[column]:
                try:
                    dates[column] = _parse_date(row[column])
                except ValueError:
                    problems.append(f"{where}: {column} {row[column]!r} is not an ISO date "
                                    f"(write YYYY-MM-DD)")
        sources.append(_row_source(corpus_dir, root, row, where, problems, paths) if row["file"] else None)
        wheres.append(where)
        places.append(f"{where}: document is empty after cleaning ({row['file']}"
                      + (f", lines {row['first_line'] or 1}-{row['last_line'] or 'end'}"
                         if row["first_line"] or row["last_line"] else "") + ")")
    with stage("clean"):
        # The texts are read twice, a batch at a time: to find each outlet's repeated lines
        # (and any file that is not UTF-8), then to clean; the raw corpus is never all in memory.
        raws = RawTexts(sources)
        repeated = outlet_furniture(raws, list(manifest["outlet"]), rules)
        problems += _read_problems(raws.errors, wheres)
        titles = [normalize_unicode(t, rules)[0] for t in manifest["title"]]
        # The language check is column work only (the engine lets go of Python's lock while it
        # runs): it counts each cleaned batch in a second thread while this one judges the
        # next batch's lines in Python, so the second core works on it.
        _language_classes()
        cleaned, counting = [], []
        with ThreadPoolExecutor(max_workers=1) as pool:
            for batch in clean_batches(raws, n_jobs, rules, repeated, titles):
                counting.append(pool.submit(language_counts, batch))
                cleaned += batch
            counts = [future.result() for future in counting]
    problems += [place for i, (source, text, place) in enumerate(zip(sources, cleaned, places))
                 if source is not None and i not in raws.errors and not text]
    if problems:
        raise CorpusError(problems, corpus_dir)

    with stage("clean"):
        messages = language_messages(manifest["doc_id"], counts)
    for message in messages:
        warnings.warn(message, CorpusWarning, stacklevel=2)

    described = set(paths.values())
    for orphan in sorted((Path(p) for p in _text_files(corpus_dir) if paths.resolved[p] not in described)):
        warnings.warn(f"{orphan.relative_to(corpus_dir)} is in {corpus_dir} but no row of "
                      f"{MANIFEST} describes it; it is not part of the corpus",
                      CorpusWarning, stacklevel=2)

    corpus = manifest.copy()
    corpus["event_date"] = pd.to_datetime(corpus["event_date"], format="%Y-%m-%d")
    corpus["published"] = pd.to_datetime(corpus["published"].replace("", None),
                                          format="%Y-%m-%d")
    corpus["event"] = corpus["event"].where(corpus["event"] != "",
                                            corpus["event_date"].dt.strftime("%Y-%m-%d"))
    corpus["year"] = corpus["event_date"].dt.year.astype(int)
    corpus["text"] = cleaned
    corpus = corpus.reset_index(drop=True)
    # where the raw texts are read again from (see raw_texts), and since when they are as cleaned
    corpus.attrs.update(corpus_dir=str(root), loaded_ns=loaded_ns)
    return corpus


# English function words: a cheap test of whether a text is English at all (every rule of the
# suite assumes it is).
_ENGLISH = frozenset("the of and to in a is that for on with as by was at are be this from it "
                     "an has have will said which not or its their his he she they we our".split())
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=None)
@kept
def _language_classes():
    """For polars (Rust's regex): Python's ``[^\\W\\d_]`` (a letter) written out; the letters
    that are not Latin (``"a" <= c.lower() <= "z"`` is false); and a pattern that matches a
    run of letters that is an English function word (``w.lower() in _ENGLISH``), each letter
    written as the characters whose ``lower()`` it is (see :mod:`analysis.text.dialect`)."""
    letters = characters(_WORD.pattern[:-1])
    cased = characters("(?i:[a-z])")
    lowers = {x: class_of(c for c in cased if c.lower() == x) for x in "abcdefghijklmnopqrstuvwxyz"}
    words = "|".join("".join(lowers[x] for x in word) for word in sorted(_ENGLISH, key=len, reverse=True))
    letter = class_of(letters)
    return letter, class_of(c for c in letters if not "a" <= c.lower() <= "z"), f"^(?:{words})$"


def language_warnings(doc_ids, texts, where=MANIFEST, min_words=20):
    """A message for every text that does not look English: few Latin letters, or few English
    function words (a Chinese text would become a handful of "tokens"; a Russian one would keep
    all its stop words; every theme rate would be 0 and look like absence).

    Counted in polars over a batch of texts at once: words are runs of letters (Python's
    ``[^\\W\\d_]+``), found once per text; letters are the characters in them."""
    texts = list(texts)
    counts = [language_counts(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)]
    return language_messages(doc_ids, counts, min_words)


def language_counts(texts):
    """Per text: ``letters``, ``not_latin`` (letters), ``words`` (runs of letters) and
    ``english`` (runs that are English function words), as a polars DataFrame; column work
    only, so it can run in a thread beside Python work (see :func:`load_corpus`)."""
    letter, not_latin, english = _language_classes()
    text, runs = pl.col("text"), pl.col("runs")
    return pl.DataFrame({"text": pl.Series(list(texts), dtype=pl.String)}).with_columns(
        runs=text.str.extract_all(letter + "+")).select(
        letters=runs.list.eval(pl.element().str.len_chars()).list.sum(),
        not_latin=text.str.count_matches(not_latin),
        words=runs.list.len(),
        english=runs.list.eval(pl.element().str.contains(english)).list.sum(),
    )


def language_messages(doc_ids, counts, min_words=20):
    """:func:`language_warnings`'s messages from the :func:`language_counts` of consecutive
    batches of texts (``doc_ids`` in the same order)."""
    counts = pl.concat(counts) if counts else pl.DataFrame(schema=["letters", "not_latin", "words", "english"])
    messages = []
    for doc_id, letters, not_latin, words, english in zip(doc_ids, *counts.get_columns()):
        if not letters:
            continue
        latin = (letters - not_latin) / letters
        english = english / max(1, words)
        if latin < 0.6 or (words >= min_words and english < 0.12):
            messages.append(f"{doc_id}: the text does not look English ({latin:.0%} of its letters are "
                            f"Latin, {english:.0%} of its words English function words); the rules count "
                            f"English words, so its rates will read as absence. Translate it or leave "
                            f"it out")
    return messages


def cleaning_report(corpus, rules=None):
    """What cleaning and normalisation changed, per document.

    Parameters
    ----------
    corpus : pandas.DataFrame or analysis.ProcessedCorpus
        As returned by :func:`load_corpus` (then ``rules`` default to the shipped ones) or
        :func:`analysis.load_processed` (then to the rules it was made with).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``step`` (unicode, page_chrome, scrape_header, attribution,
        truncation_mark, collector_label, spelling, alias), ``rule``, ``count``, ``example``;
        one row per document and rule that changed something.
    """
    if hasattr(corpus, "corpus"):
        corpus, rules = corpus.corpus, corpus.rules if rules is None else rules
    rules = rules_for() if rules is None else rules
    rows = []
    raws = raw_texts(corpus)
    repeated = outlet_furniture(raws, list(corpus["outlet"]), rules)
    for doc_id, raw, shared, title in zip(corpus["doc_id"], raws, repeated, corpus["title"]):
        text, changes, _ = clean_with_removals(raw, rules, shared, normalize_unicode(title, rules)[0])
        for change in changes + normalization_changes(text, rules):
            rows.append({"doc_id": doc_id, "example": "", **change})
    columns = ["doc_id", "step", "rule", "count", "example"]
    return pd.DataFrame(rows, columns=columns)


def outlet_furniture(raw_texts, outlets, rules):
    """For each document, the short lines its outlet repeats in several documents (after the
    unicode map), which cleaning removes as that outlet's furniture."""
    return repeated_lines(_Unified(raw_texts, rules), outlets, rules)


class _Unified:
    """Texts through the unicode map, made a slice at a time when asked for (a whole corpus
    of them would be one more copy of the corpus in memory; cleaning maps each batch again)."""

    def __init__(self, texts, rules):
        self.texts, self.rules = texts, rules

    def __len__(self):
        return len(self.texts)

    def __getitem__(self, part):
        return unified_column(self.texts[part], self.rules)


def removed_text(corpus, rules=None):
    """Every piece of text cleaning removed, in order: one row per removal.

    Parameters
    ----------
    corpus : pandas.DataFrame or analysis.ProcessedCorpus

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``step`` (page_chrome, scrape_header, attribution, ...), ``rule`` (the
        rule of ``removal_rules.tsv`` or ``boilerplate.toml`` that removed it), ``text``.
    """
    if hasattr(corpus, "corpus"):
        corpus, rules = corpus.corpus, corpus.rules if rules is None else rules
    rules = rules_for() if rules is None else rules
    raws = raw_texts(corpus)
    repeated = outlet_furniture(raws, list(corpus["outlet"]), rules)
    rows = [{"doc_id": doc_id, **removal}
            for doc_id, raw, shared, title in zip(corpus["doc_id"], raws, repeated, corpus["title"])
            for removal in clean_with_removals(raw, rules, shared, normalize_unicode(title, rules)[0])[2]]
    return pd.DataFrame(rows, columns=["doc_id", "step", "rule", "text"])


def cleaning_steps(report):
    """Changes per cleaning step summed over documents: ``step``, ``changes``, ``documents``
    (how many documents it changed); most changes first."""
    return (report.groupby("step").agg(changes=("count", "sum"), documents=("doc_id", "nunique"))
            .reset_index().sort_values(["changes", "step"], ascending=[False, True]))


def load_corpus_with_warnings(path, n_jobs=1, rules=None):
    """:func:`load_corpus`, also returning the warnings' messages (for notebooks to show).

    Returns
    -------
    corpus : pandas.DataFrame
    messages : list of str
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorpusWarning)
        corpus = load_corpus(path, n_jobs, rules)
    return corpus, [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]


def require_column(corpus, column, parameter="group_by"):
    """Raise ParameterError unless ``column`` is a document variable of ``corpus``."""
    usable = sorted(c for c in corpus.columns if c not in DERIVED_COLUMNS[1:])
    if column not in corpus.columns or column in DERIVED_COLUMNS[1:]:
        raise ParameterError(f"{parameter}={column!r} is not a manifest column; use one of "
                             f"{', '.join(usable)}")
    return column


def select_years(corpus, years=None):
    """The documents of the given years (all if ``years`` is None), and the sorted years kept.

    ``corpus`` is a corpus DataFrame or a processed corpus (then its sentences and matrix
    rows are selected with it, see :meth:`analysis.ProcessedCorpus.select`).

    Raises
    ------
    ParameterError
        ``years`` is not a list of years, or names a year without documents.
    """
    processed = hasattr(corpus, "dfm")  # a ProcessedCorpus (this module is below it)
    table = corpus.corpus if processed else corpus
    available = sorted(int(y) for y in table["year"].unique())
    if years is None:
        return corpus, available
    if isinstance(years, (str, int)):
        years = [years]
    try:
        wanted = sorted({int(y) for y in years})
    except (TypeError, ValueError):
        raise ParameterError(f"years={years!r}: give a list of years, e.g. [2025, 2026]") from None
    missing = [y for y in wanted if y not in available]
    if missing or not wanted:
        raise ParameterError(f"years={years!r}: no documents for {missing or 'an empty list'}; "
                             f"the corpus has {', '.join(map(str, available))}")
    keep = table["year"].isin(wanted).to_numpy()
    if processed:
        return corpus.select(keep), wanted
    return table[keep].reset_index(drop=True), wanted
