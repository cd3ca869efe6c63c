"""Per-document work on several processes: ``n_jobs`` as scikit-learn and joblib mean it."""
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from joblib import Parallel, delayed

from ..errors import ParameterError


def check_n_jobs(n_jobs, name="n_jobs"):
    """``n_jobs`` as a number of worker processes (-1 = every core, -2 = all but one, ...);
    ``name`` is how the error message calls the parameter.

    Raises
    ------
    ParameterError
        Not a whole number, or 0.
    """
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
        raise ParameterError(f"{name}={n_jobs!r}: use a whole number of processes "
                             f"(1 = no parallel work, -1 = every core, -2 = all but one)")
    cores = os.cpu_count() or 1
    return max(1, int(n_jobs) if n_jobs > 0 else cores + 1 + int(n_jobs))


BATCH = 400  # documents a batch: about 2 MB of text, so the column engine's buffers stay small


def _threads(value=None):
    """Batches worked on at once in one process (see :func:`chunk_stream`): ``$ANALYSIS_THREADS``
    if set, else two when there are two cores or more (more threads than two gain nothing:
    one thread's Python work waits for the other's)."""
    value = os.environ.get("ANALYSIS_THREADS") if value is None else value
    if value is None or value == "":
        return min(2, os.cpu_count() or 1)
    try:
        threads = int(value)
    except ValueError:
        threads = 0
    if threads < 1:
        raise ParameterError(f"ANALYSIS_THREADS={value!r}: use a whole number of threads, 1 or more "
                             f"(1: one batch at a time), or unset it")
    return threads


THREADS = _threads()


def chunk_stream(function, items, n_jobs=1, *args, batch=None, threads=1):
    """``function(chunk, *args)`` applied to consecutive chunks of ``items``, each chunk's
    result yielded as soon as it is ready (in order), so a caller can reduce one before the
    next is made.

    With one worker (or one item) the chunks run here, in this process: all the items at once,
    or ``batch`` items at a time (a stream of batches: the memory one batch's work needs is
    freed before the next). Otherwise the items are cut into a few chunks per worker (at most
    ``batch`` items each): large enough that sending them costs little, small enough that a
    worker given the long documents does not finish last by far.

    ``threads`` > 1 (one process): that many batches are worked on at once in threads, results
    still in order. It pays only for a ``function`` that alternates Python work with column
    work (which lets go of Python's lock): one thread's columns run while another's Python
    does, so a second core is used without sending anything to another process."""
    # a sequence that reads its items when sliced (analysis.text.corpus.RawTexts) stays one
    items = items if hasattr(items, "__getitem__") and hasattr(items, "__len__") else list(items)
    workers = min(check_n_jobs(n_jobs), max(1, len(items)))
    if workers == 1:
        if not batch or len(items) <= batch:
            yield function(items, *args)
            return
        yield from ordered_map(lambda start: function(items[start:start + batch], *args),
                               range(0, len(items), batch), threads)
        return
    size = -(-len(items) // (workers * 4))
    size = min(size, batch) if batch else size
    yield from Parallel(n_jobs=workers, return_as="generator")(
        delayed(function)(items[i:i + size], *args) for i in range(0, len(items), size))


def ordered_map(function, values, threads):
    """``function(value)`` for each of ``values`` on ``threads`` threads, yielded in order, at
    most ``threads`` calls in flight (so no more memory than that many calls' work at once).
    It pays only for a ``function`` whose column work lets go of Python's lock."""
    if threads <= 1:
        yield from map(function, values)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending = deque()
        for value in values:
            pending.append(pool.submit(function, value))
            if len(pending) >= threads:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
