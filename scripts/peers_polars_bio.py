#!/usr/bin/env python3
"""polars-bio as a peer of the co-presence queries (see scripts/peers.py).

polars-bio pins its own polars, so it lives in its own virtual environment
(`.venv-polars-bio`) and peers.py runs this file with that environment's
python, once per town, reading the JSON it prints: each query's time and
answer, checked there against precinct's like every other peer's.

polars-bio joins genomic intervals per chromosome. Here the chromosome is
the place, and a visit of at least `m` seconds is the closed interval
[start, end - m]: two visits overlap by at least `m` exactly when those
intervals meet (1-based coordinates make polars-bio treat intervals as
closed). So each query is: the window filter, drop visits shorter than
`m`, the overlap join, then the same aggregation as the other peers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np
import polars as pl

from peers_timing import Later, timed
import polars_bio as pb

# DataFusion runs on one partition unless told: give it the machine's cores,
# as polars and DuckDB have.
pb.set_option("datafusion.execution.target_partitions", str(os.cpu_count() or 1))

COLS = ["place", "start", "last"]


def load(folder: Path) -> pl.DataFrame:
    return pl.DataFrame({n: np.fromfile(folder / f"{n}.i64", dtype="<i8") for n in ("person", "place", "start", "end")})


def intervals(df: pl.DataFrame, a: int, b: int, m: int) -> pl.DataFrame:
    """The visits intersecting [a, b) and lasting at least m seconds, with
    `last` = end - m: the closed interval [start, last] polars-bio joins."""
    w = df.filter((pl.col("start") < b) & (pl.col("end") > a) & (pl.col("end") - pl.col("start") >= m)).with_columns(
        last=pl.col("end") - m
    )
    w.config_meta.set(coordinate_system_zero_based=False)  # closed intervals
    return w


def pairs(left: pl.DataFrame, right: pl.DataFrame) -> pl.LazyFrame:
    """Contact pairs: visits of different persons at the same place whose
    closed intervals meet, with the first moment together and the overlap."""
    return (
        pb.overlap(left, right, cols1=COLS, cols2=COLS, output_type="polars.LazyFrame")
        .filter(pl.col("person_1") != pl.col("person_2"))
        .with_columns(first=pl.max_horizontal("start_1", "start_2"))
        .with_columns(overlap=pl.min_horizontal("end_1", "end_2") - pl.col("first"))
    )


def trace(df, c, a, b, m):
    w = intervals(df, a, b, m)
    mine = w.filter(pl.col("person") == c)
    mine.config_meta.set(coordinate_system_zero_based=False)
    out = (
        pairs(mine, w)
        .group_by("person_2")
        .agg(pl.col("overlap").sum(), pl.col("first").min())
        .sort("person_2")
        .collect()
    )
    return Later(lambda: [[int(p), int(o), int(f)] for p, o, f in out.iter_rows()])


def ring2(df, c, a, b, m):
    w = intervals(df, a, b, m)
    mine = w.filter(pl.col("person") == c)
    mine.config_meta.set(coordinate_system_zero_based=False)
    ring1 = pairs(mine, w).select("person_2").unique().collect()["person_2"].to_list()
    theirs = w.filter(pl.col("person").is_in(ring1))
    theirs.config_meta.set(coordinate_system_zero_based=False)
    found = pairs(theirs, w).select("person_2").unique().collect()["person_2"].to_list()
    return sorted(set(int(x) for x in found) - set(ring1) - {c})


def day_graph(df, day, m):
    w = intervals(df, day, day + 86_400, m)
    edges = (
        pairs(w, w)
        .select(a=pl.min_horizontal("person_1", "person_2"), b=pl.max_horizontal("person_1", "person_2"))
        .unique()
        .collect()
    )
    if edges.height == 0:
        return {"edges": 0, "max_degree": 0, "max_degree_person": None, "persons_with_edge": 0}
    deg = pl.concat([edges["a"], edges["b"]]).value_counts(name="d")
    top = int(deg["d"].max())
    return {
        "edges": edges.height,
        "max_degree": top,
        "max_degree_person": str(int(deg.filter(pl.col("d") == top)["a"].min())),
        "persons_with_edge": deg.height,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a folder written by `copresence generate`")
    ap.add_argument("--hub", type=int, required=True)
    ap.add_argument("--median", type=int, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--queries", default="trace_hub,trace_median,ring2_hub,ring2_median,day_graph")
    args = ap.parse_args()

    meta = json.loads((args.data / "town.json").read_text())
    (a, b), day, m = meta["window"], meta["day"], meta["min_overlap"]
    df = load(args.data)
    calls = {
        "trace_hub": lambda: trace(df, args.hub, a, b, m),
        "trace_median": lambda: trace(df, args.median, a, b, m),
        "ring2_hub": lambda: ring2(df, args.hub, a, b, m),
        "ring2_median": lambda: ring2(df, args.median, a, b, m),
        "day_graph": lambda: day_graph(df, day, m),
    }
    results = {}
    for q in args.queries.split(","):
        if q in calls:
            seconds, answer = timed(args.repeat, calls[q])
            results[q] = {"seconds": seconds, "answer": answer}
    json.dump({"version": pb.__version__, "polars": pl.__version__, "results": results}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
