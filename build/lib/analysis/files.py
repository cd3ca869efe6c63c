"""Write files so that a run never leaves a half-written one behind.

Every file is written to a temporary name in the same folder and renamed into place. The
temporary file is created with the process's ordinary permissions (the umask applies), so
outputs are as readable as any file the user makes; nothing here changes the umask.
"""
import os
import re
import secrets
from contextlib import contextmanager
from pathlib import Path


def safe_name(name):
    """``name`` made safe as a file name: letters, digits, "_", "-" and "." only (a grouping
    column called "../x" or "a/b" must not write elsewhere or make folders), never hidden."""
    cleaned = re.sub(r"[^\w.-]+", "_", str(name), flags=re.ASCII).strip("._")
    return cleaned or "unnamed"


@contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; on success rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            with open(temporary, "xb"):  # exclusive create: never someone else's file
                break
        except FileExistsError:
            continue
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


# A spreadsheet reads a cell that begins with one of these as a formula ("=HYPERLINK(...)",
# "+cmd|...", "@SUM(...)", even "- text"): such text cells get a leading apostrophe, as OWASP
# recommends, so a table opened in Excel or LibreOffice shows the text and runs nothing.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(table):
    """``table`` with every text cell (and column name) that a spreadsheet would read as a
    formula prefixed with an apostrophe; numbers are left alone."""
    def safe(value):
        return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value

    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(safe)
    out.columns = [safe(c) if isinstance(c, str) else c for c in out.columns]
    return out


def write_table(table, path):
    """Write ``table`` (DataFrame) as UTF-8 CSV without its index, atomically, with text cells
    that a spreadsheet would run as formulas neutralised (see :data:`FORMULA_STARTS`)."""
    with atomic_path(path) as temporary:
        neutralised(table).to_csv(temporary, index=False, lineterminator="\n", float_format="%.6g")
