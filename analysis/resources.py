"""Read the rule files in ``analysis/data/``: plain tab-separated tables and word lists.

Every rule the cleaning and tokenising steps apply lives in one of these files, so a reader
can check (and a user can edit) what is done to the text without reading code.
"""
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def data_path(name):
    """Path of the data file ``name`` shipped with the package."""
    return DATA_DIR / name


def _content_lines(path):
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n").rstrip("\r")
            if line.strip() and not line.lstrip().startswith("#"):
                yield number, line


@lru_cache(maxsize=None)
def read_rules(name):
    """Rows of a tab-separated rule file as a tuple of dicts.

    Lines starting with ``#`` are comments; the first other line names the columns.

    Raises
    ------
    ValueError
        A row has a different number of fields than the header (names file and line).
    """
    path = data_path(name)
    lines = _content_lines(path)
    try:
        _, header = next(lines)
    except StopIteration:
        return ()
    columns = header.split("\t")
    rows = []
    for number, line in lines:
        fields = line.split("\t")
        if len(fields) != len(columns):
            raise ValueError(
                f"{path}, line {number}: expected {len(columns)} tab-separated fields "
                f"({', '.join(columns)}), found {len(fields)}"
            )
        rows.append(dict(zip(columns, fields)))
    return tuple(rows)


@lru_cache(maxsize=None)
def read_word_list(name):
    """Entries of a one-per-line list file (comments and blank lines skipped), in order."""
    return tuple(line.strip() for _, line in _content_lines(data_path(name)))


def data_files():
    """Every rule file the package reads, sorted by name (for hashing and run manifests)."""
    return sorted(p for p in DATA_DIR.iterdir() if p.is_file())
