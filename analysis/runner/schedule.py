"""The order in which notebooks start when several run at once: the longest first.

With two workers and six notebooks, starting them by name can leave one worker running the
longest notebook alone at the end; starting the longest first (by each notebook's time in the
previous run) lets the short ones fill in, which is the classic rule for sharing jobs between
machines ("longest processing time first"). The times are only a hint: they are kept in the
processed-corpus cache folder (:func:`analysis.text.cache.cache_folder`), never in a corpus
or an output folder, and a missing, unreadable or unwritable record changes the order only.
"""
import json
from pathlib import Path

from ..files import atomic_path
from ..text.cache import cache_folder

RECORD = "notebook_seconds.json"


def _record_path():
    return cache_folder() / RECORD


def last_seconds():
    """Seconds each notebook took in its last successful run, by its resolved path ({} if
    none is recorded or the record cannot be read)."""
    try:
        found = json.loads(_record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {k: float(v) for k, v in found.items() if isinstance(v, (int, float)) and v >= 0}


def start_order(notebooks, seconds=None):
    """``notebooks`` (paths) in the order to start them.

    Notebooks with no recorded time come first, in the order given (a new notebook may be
    long); then the others, longest first. Ties keep the order given.

    Parameters
    ----------
    seconds : dict, optional
        Resolved path -> seconds (default: :func:`last_seconds`).
    """
    seconds = last_seconds() if seconds is None else seconds
    keys = [str(Path(n).resolve()) for n in notebooks]
    order = sorted(range(len(notebooks)), key=lambda i: (keys[i] in seconds, -seconds.get(keys[i], 0.0), i))
    return [notebooks[i] for i in order]


def record_seconds(notebooks, results):
    """Keep each successful notebook's time for the next run's order (nothing is raised:
    a cache folder that cannot be written leaves the order by name)."""
    ran = {r["notebook"]: r["seconds"] for r in results if r["ok"]}
    seconds = {k: v for k, v in last_seconds().items() if Path(k).exists()}
    seconds.update({str(Path(n).resolve()): round(ran[Path(n).stem], 2)
                    for n in notebooks if Path(n).stem in ran})
    path = _record_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with atomic_path(path) as temporary:
            Path(temporary).write_text(json.dumps(seconds, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:
        pass
    return seconds


__all__ = ["last_seconds", "start_order", "record_seconds", "RECORD"]
