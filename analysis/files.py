"""Write files so that a run never leaves a half-written one behind.

Every file is written to a temporary name in the same folder and renamed into place. The
temporary file is created with the process's ordinary permissions (the umask applies), so
outputs are as readable as any file the user makes; nothing here changes the umask.
"""
import os
import secrets
from contextlib import contextmanager
from pathlib import Path


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


def write_table(table, path):
    """Write ``table`` (DataFrame) as UTF-8 CSV without its index, atomically."""
    with atomic_path(path) as temporary:
        table.to_csv(temporary, index=False, lineterminator="\n", float_format="%.6g")
