"""How scripts/peers.py and scripts/peers_polars_bio.py time every side the
same way (standard library only: the two run in different environments)."""

from __future__ import annotations

import statistics
import time


class Later:
    """An answer in its engine's own form, turned into plain Python lists
    for the comparison only after the clock stopped: every side is timed
    up to its own result (a DataFrame, rows fetched, a Table), not our
    conversion of it."""

    def __init__(self, plain):
        self.plain = plain


def timed(repeat: int, f, *args):
    """Median time of at least `repeat` runs (more for fast calls, until one
    second is spent, at most 1,000; one when a run takes over 10 s), and
    the result, made plain if it was a `Later`."""
    times, out = [], None
    started = time.perf_counter()
    while len(times) < repeat or (time.perf_counter() - started < 1.0 and len(times) < 1000):
        t = time.perf_counter()
        out = f(*args)
        times.append(time.perf_counter() - t)
        if times[-1] > 10:
            break
    return statistics.median(times), (out.plain() if isinstance(out, Later) else out)
