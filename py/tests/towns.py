"""The synthetic towns of the benchmarks, as int64 columns, for tests.

The Rust generator (`SyntheticTown` in core/src/demo/synthetic.rs, written
to disk by `copresence generate`, as scripts/peers does into
artifacts/peers/<shape>/<size>) is used when its files are there; otherwise
(or with PRECINCT_TOWNS=numpy) a numpy town of the same shape: the same persons, places, days, opening
hours, Zipf popularity of places and lognormal stays, not the same bits
(the identity tests compare two ways of answering on whatever town they get).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Dict, Tuple

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FIRST_DAY = 1_579_104_000  # 2020-01-16 00:00 +08:00
DAYS = 14
#: The peer comparison's window (the last three days) and day (the last).
WINDOW = (FIRST_DAY + 11 * 86_400, FIRST_DAY + 14 * 86_400)
DAY = FIRST_DAY + 13 * 86_400
SIZES = {"0.2M": 200_000, "2.2M": 2_200_000}

Columns = Dict[str, np.ndarray]


def town(size: str, seed: int = 2020) -> Tuple[Columns, str]:
    """The default-shape town of `size` visits, and where it came from."""
    visits = SIZES[size]
    folder = ROOT / "artifacts" / "peers" / "default" / size
    meta = folder / "town.json"
    # PRECINCT_TOWNS=numpy: the numpy town even where the Rust one is on disk
    # (what a fresh clone, and so CI, gets).
    if meta.exists() and os.environ.get("PRECINCT_TOWNS") != "numpy":
        info = json.loads(meta.read_text())
        if info.get("visits") == visits and info.get("seed") == seed and info.get("town") == "default":
            cols = {n: np.fromfile(folder / f"{n}.i64", dtype="<i8") for n in ("person", "place", "start", "end")}
            if all(len(c) == visits for c in cols.values()):
                return cols, f"the Rust generator's town in {folder.relative_to(ROOT)}"
    return generate(visits, seed), "a numpy town of the default shape"


def generate(
    visits: int,
    seed: int = 2020,
    *,
    persons_per_place: int = 50,
    stay_median: float = 1800.0,
    stay_sigma: float = 0.6,
    stay_min: float = 300.0,
    stay_max: float = 14_400.0,
) -> Columns:
    """A town of the shape of `SyntheticTown::shaped(Default, visits)`."""
    rng = np.random.default_rng(seed)
    persons = max(visits // 55, 2)
    places = max(persons // persons_per_place, 1)
    weights = 1.0 / np.arange(1, places + 1)
    cumulative = np.cumsum(weights / weights.sum())
    person = rng.integers(0, persons, visits)
    place = np.minimum(np.searchsorted(cumulative, rng.random(visits)), places - 1)
    day = rng.integers(0, DAYS, visits)
    duration = np.clip(stay_median * np.exp(stay_sigma * rng.standard_normal(visits)), stay_min, stay_max).astype(np.int64)
    open_, close = 6 * 3600, 22 * 3600
    start = FIRST_DAY + day * 86_400 + open_ + (rng.random(visits) * (close - duration - open_)).astype(np.int64)
    return {"person": person.astype(np.int64), "place": place.astype(np.int64), "start": start, "end": start + duration}


def with_hot_place(cols: Columns, rows: int, seed: int = 7) -> Tuple[Columns, int]:
    """`cols` and `rows` more visits at one new place (a market ten times
    busier than the busiest), a few of them 12 hours long so that they
    cross many time blocks; returns the columns and the place's id."""
    rng = np.random.default_rng(seed)
    hot = int(cols["place"].max()) + 1
    persons = int(cols["person"].max()) + 1
    person = rng.integers(0, persons, rows)
    day = rng.integers(0, DAYS, rows)
    duration = np.clip(1800.0 * np.exp(0.6 * rng.standard_normal(rows)), 300, 14_400).astype(np.int64)
    duration[:: max(rows // 40, 1)] = 12 * 3600
    start = FIRST_DAY + day * 86_400 + 6 * 3600 + (rng.random(rows) * (16 * 3600 - duration).clip(1)).astype(np.int64)
    extra = {"person": person, "place": np.full(rows, hot, dtype=np.int64), "start": start, "end": start + duration}
    return {k: np.concatenate([cols[k], extra[k]]) for k in cols}, hot


def index_cases(cols: Columns, window: Tuple[int, int] = WINDOW) -> Tuple[int, int]:
    """The peer comparison's index cases: the person with the most visits
    in the window (the smallest id among ties) and the median one."""
    inside = (cols["start"] < window[1]) & (cols["end"] > window[0])
    ids, counts = np.unique(cols["person"][inside], return_counts=True)
    order = np.lexsort((ids, counts))
    median = int(ids[order[len(order) // 2]])
    top = counts.max()
    hub = int(ids[counts == top].min())
    return hub, median
