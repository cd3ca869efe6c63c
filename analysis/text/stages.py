"""Time spent in each stage of the text pipeline, for the benchmark's shares.

The stages add their wall-clock seconds to :data:`SECONDS` (a few calls per corpus, never per
sentence, so the bookkeeping costs nothing measurable). Work done in other processes
(``n_jobs`` > 1) is not seen here.
"""
import time
from collections import Counter
from contextlib import contextmanager

STAGES = ("clean", "sentences", "words", "counts", "matrix")
SECONDS = Counter()


@contextmanager
def stage(name):
    """Add the time the ``with`` block takes to ``SECONDS[name]``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        SECONDS[name] += time.perf_counter() - started


def shares():
    """Each stage's share of the time the stages took together (dict, stage -> float)."""
    total = sum(SECONDS[s] for s in STAGES) or 1.0
    return {s: SECONDS[s] / total for s in STAGES}
