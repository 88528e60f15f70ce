#!/usr/bin/env python3
"""Peer comparison of the co-presence queries: precinct against pandas,
polars and DuckDB on the same synthetic town, the same three queries, in
the same run. Run it with `scripts/peers` (which installs what it needs).

For each size the town is generated once by `copresence generate` (Rust,
deterministic), precinct's timings and results come from `copresence run`,
and every peer must give the same answers. Printed: each peer's time and
its ratio to precinct's.

Peers do what an analyst would: an equi-join on the place followed by the
overlap filter (pandas `merge`, polars `join_where`, a DuckDB join with
range conditions). pandas materializes its joins: where one would hold more
rows than `--budget` it is skipped for that query, and the table says so
with the size it would have needed. polars and DuckDB always run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl

try:  # the Python package, for the end-to-end rows (scripts/peers installs it)
    import precinct
except ImportError:  # pragma: no cover - reported in the output
    precinct = None

SIZES = {"0.2M": 200_000, "2.2M": 2_200_000, "22M": 22_000_000}
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "target" / "release" / "examples" / "copresence"


class Skipped(Exception):
    """The peer would need a join larger than the budget."""


def load(folder: Path) -> pd.DataFrame:
    cols = {n: np.fromfile(folder / f"{n}.i64", dtype="<i8") for n in ("person", "place", "start", "end")}
    return pd.DataFrame(cols)


def join_rows(left, right) -> int:
    """Rows of an equi-join of two place columns."""
    lc, rc = pd.Series(left).value_counts(), pd.Series(right).value_counts()
    both = lc.index.intersection(rc.index)
    return int((lc[both].astype(np.int64) * rc[both].astype(np.int64)).sum())


def in_window(df: pd.DataFrame, a: int, b: int) -> pd.DataFrame:
    return df[(df["start"].to_numpy() < b) & (df["end"].to_numpy() > a)]


# ---------------------------------------------------------------- pandas


def pandas_pairs(left: pd.DataFrame, right: pd.DataFrame, m: int, budget: float) -> pd.DataFrame:
    n = join_rows(left["place"], right["place"])
    if n > budget:
        raise Skipped(n)
    j = left.merge(right, on="place", suffixes=("_c", ""))
    j = j[j["person_c"].to_numpy() != j["person"].to_numpy()]
    first = np.maximum(j["start_c"].to_numpy(), j["start"].to_numpy())
    overlap = np.minimum(j["end_c"].to_numpy(), j["end"].to_numpy()) - first
    keep = overlap >= m
    return pd.DataFrame(
        {
            "person_c": j["person_c"].to_numpy()[keep],
            "person": j["person"].to_numpy()[keep],
            "overlap": overlap[keep],
            "first": first[keep],
        }
    )


def pandas_trace(df, c, a, b, m, budget):
    w = in_window(df, a, b)
    p = pandas_pairs(w[w["person"].to_numpy() == c], w, m, budget)
    g = p.groupby("person").agg(total_overlap=("overlap", "sum"), first_contact=("first", "min"))
    return [(int(i), int(r.total_overlap), int(r.first_contact)) for i, r in g.sort_index().iterrows()]


def pandas_ring2(df, c, a, b, m, budget):
    w = in_window(df, a, b)
    ring1 = set(pandas_pairs(w[w["person"].to_numpy() == c], w, m, budget)["person"].tolist())
    p = pandas_pairs(w[w["person"].isin(ring1)], w, m, budget)
    ring2 = set(p["person"].tolist()) - ring1 - {c}
    return sorted(int(x) for x in ring2)


def pandas_day_graph(df, day, m, budget):
    w = in_window(df, day, day + 86_400)
    p = pandas_pairs(w, w, m, budget)
    lo = np.minimum(p["person_c"].to_numpy(), p["person"].to_numpy())
    hi = np.maximum(p["person_c"].to_numpy(), p["person"].to_numpy())
    edges = pd.DataFrame({"a": lo, "b": hi}).drop_duplicates()
    return graph_summary(edges["a"].to_numpy(), edges["b"].to_numpy())


def graph_summary(a: np.ndarray, b: np.ndarray) -> dict:
    if len(a) == 0:
        return {"edges": 0, "max_degree": 0, "max_degree_person": None}
    deg = pd.Series(np.concatenate([a, b])).value_counts()
    top = int(deg.max())
    return {"edges": int(len(a)), "max_degree": top, "max_degree_person": str(int(deg[deg == top].index.min()))}


# ---------------------------------------------------------------- polars


def polars_pairs(left: pl.LazyFrame, right: pl.LazyFrame, m: int) -> pl.LazyFrame:
    return (
        left.join_where(
            right,
            pl.col("place") == pl.col("place_right"),
            pl.col("person") != pl.col("person_right"),
            pl.col("start_right") <= pl.col("end") - m,
            pl.col("end_right") >= pl.col("start") + m,
        )
        .with_columns(first=pl.max_horizontal("start", "start_right"))
        .with_columns(overlap=pl.min_horizontal("end", "end_right") - pl.col("first"))
        .filter(pl.col("overlap") >= m)
    )


def polars_window(df: pl.DataFrame, a: int, b: int) -> pl.LazyFrame:
    return df.lazy().filter((pl.col("start") < b) & (pl.col("end") > a))


def polars_trace(df, c, a, b, m, budget):
    w = polars_window(df, a, b)
    out = (
        polars_pairs(w.filter(pl.col("person") == c), w, m)
        .group_by("person_right")
        .agg(pl.col("overlap").sum(), pl.col("first").min())
        .sort("person_right")
        .collect()
    )
    return [(int(p), int(o), int(f)) for p, o, f in out.iter_rows()]


def polars_ring2(df, c, a, b, m, budget):
    w = polars_window(df, a, b)
    ring1 = polars_pairs(w.filter(pl.col("person") == c), w, m).select("person_right").unique().collect()
    ring1_ids = ring1["person_right"].to_list()
    found = (
        polars_pairs(w.filter(pl.col("person").is_in(ring1_ids)), w, m)
        .select("person_right")
        .unique()
        .collect()["person_right"]
        .to_list()
    )
    return sorted(set(int(x) for x in found) - set(ring1_ids) - {c})


def polars_day_graph(df, day, m, budget):
    w = polars_window(df, day, day + 86_400)
    edges = (
        polars_pairs(w, w, m)
        .select(
            a=pl.min_horizontal("person", "person_right"),
            b=pl.max_horizontal("person", "person_right"),
        )
        .unique()
        .collect()
    )
    return graph_summary(edges["a"].to_numpy(), edges["b"].to_numpy())


# ---------------------------------------------------------------- DuckDB

PAIRS_SQL = """
    SELECT l.person AS person_c, r.person AS person,
           greatest(l.start, r.start) AS first,
           least(l."end", r."end") - greatest(l.start, r.start) AS overlap
    FROM {left} l JOIN {right} r
      ON l.place = r.place
     AND r.start <= l."end" - {m}
     AND r."end" >= l.start + {m}
    WHERE l.person <> r.person
      AND least(l."end", r."end") - greatest(l.start, r.start) >= {m}
"""


def duck_window(con, a, b):
    con.execute(f'CREATE OR REPLACE TEMP TABLE w AS SELECT * FROM visits WHERE start < {b} AND "end" > {a}')


def duck_trace(con, c, a, b, m, budget):
    duck_window(con, a, b)
    con.execute(f"CREATE OR REPLACE TEMP TABLE cv AS SELECT * FROM w WHERE person = {c}")
    rows = con.execute(
        f"SELECT person, sum(overlap), min(first) FROM ({PAIRS_SQL.format(left='cv', right='w', m=m)}) "
        "GROUP BY person ORDER BY person"
    ).fetchall()
    return [(int(p), int(o), int(f)) for p, o, f in rows]


def duck_ring2(con, c, a, b, m, budget):
    duck_window(con, a, b)
    con.execute(f"CREATE OR REPLACE TEMP TABLE cv AS SELECT * FROM w WHERE person = {c}")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE ring1 AS SELECT DISTINCT person FROM ({PAIRS_SQL.format(left='cv', right='w', m=m)})"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE r1v AS SELECT * FROM w WHERE person IN (SELECT person FROM ring1)")
    rows = con.execute(
        f"SELECT DISTINCT person FROM ({PAIRS_SQL.format(left='r1v', right='w', m=m)}) "
        f"WHERE person NOT IN (SELECT person FROM ring1) AND person <> {c} ORDER BY person"
    ).fetchall()
    return [int(r[0]) for r in rows]


def duck_day_graph(con, day, m, budget):
    duck_window(con, day, day + 86_400)
    row = con.execute(
        f"""
        WITH edges AS (
            SELECT DISTINCT least(person_c, person) AS a, greatest(person_c, person) AS b
            FROM ({PAIRS_SQL.format(left='w', right='w', m=m)})
        ), deg AS (
            SELECT p, count(*) AS d FROM (SELECT a AS p FROM edges UNION ALL SELECT b FROM edges) GROUP BY p
        )
        SELECT (SELECT count(*) FROM edges), max(d), arg_min(p, -d * 1e12 + p) FROM deg
        """
    ).fetchone()
    if not row[0]:
        return {"edges": 0, "max_degree": 0, "max_degree_person": None}
    return {"edges": int(row[0]), "max_degree": int(row[1]), "max_degree_person": str(int(row[2]))}


# ---------------------------------------------------------------- precinct from Python


def precinct_python(df: pd.DataFrame):
    """precinct used from Python: DataFrame in, DataFrame out."""
    holder = {}

    def index():
        holder["v"] = precinct.visits_from_frame(df, person="person", place="place")
        return holder["v"]

    def trace(c, a, b, m, budget):
        table = holder["v"].trace(c, a, b, min_overlap=m)
        table.to_pandas()  # what the analyst gets, timed with the query
        return list(zip(table["person_id"].tolist(), table["total_overlap"].tolist(), table["first_contact"].tolist()))

    def ring2(c, a, b, m, budget):
        table = holder["v"].second_ring(c, a, b, min_overlap=m)
        table.to_pandas()
        return table["person_id"].tolist()

    def graph(day, m, budget):
        g = holder["v"].day_graph(day, min_overlap=m)
        person = g["max_degree_person"]
        return {"edges": g["edges"], "max_degree": g["max_degree"], "max_degree_person": None if person is None else str(person)}

    return index, {"trace": trace, "ring2": ring2, "graph": graph}


# ---------------------------------------------------------------- harness


def timed(repeat: int, f, *args):
    """Median time of at least `repeat` runs (more for fast calls, until one
    second is spent, at most 1,000; one when a run takes over 10 s), and
    the result. precinct's side is timed the same way."""
    times, out = [], None
    started = time.perf_counter()
    while len(times) < repeat or (time.perf_counter() - started < 1.0 and len(times) < 1000):
        t = time.perf_counter()
        out = f(*args)
        times.append(time.perf_counter() - t)
        if times[-1] > 10:
            break
    return statistics.median(times), out


def expected(report: dict, query: str):
    if query.startswith("trace"):
        return [(int(p), o, f) for p, o, f in report[query]]
    if query.startswith("ring2"):
        return [int(p) for p in report[query]]
    return report["day_graph"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0.2M,2.2M", help="comma-separated, of " + ", ".join(SIZES))
    ap.add_argument("--data", type=Path, default=ROOT / "artifacts" / "peers")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--budget", type=float, default=3e8, help="largest equi-join (rows) pandas may build")
    ap.add_argument(
        "--queries",
        default="trace_hub,trace_median,ring2_hub,ring2_median,day_graph",
        help="which queries the peers run (precinct runs all); at 22M the peers' ring 2 and day graph take hours",
    )
    args = ap.parse_args()

    print(f"pandas {pd.__version__}, polars {pl.__version__}, duckdb {duckdb.__version__}, numpy {np.__version__}")
    failures = 0
    for size in args.sizes.split(","):
        folder = args.data / size
        if not (folder / "town.json").exists():
            subprocess.run([EXAMPLE, "generate", "--visits", str(SIZES[size]), "--out", folder], check=True)
        subprocess.run([EXAMPLE, "run", "--data", folder, "--repeat", str(max(args.repeat, 3))], check=True)
        meta = json.loads((folder / "town.json").read_text())
        report = json.loads((folder / "precinct.json").read_text())
        a, b = meta["window"]
        day, m = meta["day"], meta["min_overlap"]
        hub, median = int(report["hub"]), int(report["median"])
        df = load(folder)
        pdf = pl.from_pandas(df)
        con = duckdb.connect()
        con.register("visits_df", df)
        con.execute("CREATE TABLE visits AS SELECT * FROM visits_df")

        ours = report["seconds"]
        print(
            f"\n== {size}: {report['visits']:,} visits; precinct index built in {ours['build']:.3f} s, "
            f"{report['index_bytes'] / report['visits']:.1f} bytes a visit "
            f"(raw columns 16); hub {hub}, median {median}"
        )
        queries = {
            "trace_hub": lambda impl: impl["trace"](hub, a, b, m, args.budget),
            "trace_median": lambda impl: impl["trace"](median, a, b, m, args.budget),
            "ring2_hub": lambda impl: impl["ring2"](hub, a, b, m, args.budget),
            "ring2_median": lambda impl: impl["ring2"](median, a, b, m, args.budget),
            "day_graph": lambda impl: impl["graph"](day, m, args.budget),
        }
        peers = {
            "pandas": {
                "trace": lambda *x: pandas_trace(df, *x),
                "ring2": lambda *x: pandas_ring2(df, *x),
                "graph": lambda *x: pandas_day_graph(df, *x),
            },
            "polars": {
                "trace": lambda *x: polars_trace(pdf, *x),
                "ring2": lambda *x: polars_ring2(pdf, *x),
                "graph": lambda *x: polars_day_graph(pdf, *x),
            },
            "duckdb": {
                "trace": lambda *x: duck_trace(con, *x),
                "ring2": lambda *x: duck_ring2(con, *x),
                "graph": lambda *x: duck_day_graph(con, *x),
            },
        }
        if precinct is not None:
            index, py_impl = precinct_python(df)
            py_build, _ = timed(args.repeat, index)
            peers = {"precinct (Python)": py_impl, **peers}
        else:
            print("precinct (Python) not installed: no end-to-end rows")
        print(f"{'query':<14}{'precinct':>12}" + "".join(f"{p:>24}" for p in peers) + f"{'fastest/precinct':>18}")
        peer_trace_hub = []
        py_times = {}
        for q, call in queries.items():
            cells, fastest = [], None
            for name, impl in peers.items():
                if name != "precinct (Python)" and q not in args.queries.split(","):
                    cells.append("not run (--queries)")
                    continue
                if name == "precinct (Python)":
                    t, got = timed(args.repeat, call, impl)
                    ok = got == expected(report, q)
                    failures += 0 if ok else 1
                    cells.append(f"{t:.4f} s ({t / ours[q]:,.1f}x)" if ok else "DISAGREES")
                    py_times[q] = t
                    continue
                try:
                    t, got = timed(args.repeat, call, impl)
                except Skipped as s:
                    cells.append(f"skipped ({s.args[0]:.1e} rows)")
                    continue
                want = expected(report, q)
                if got != want:
                    failures += 1
                    cells.append("DISAGREES")
                    print(f"  {name} {q}: got {str(got)[:200]}, precinct {str(want)[:200]}", file=sys.stderr)
                    continue
                cells.append(f"{t:.4f} s ({t / ours[q]:,.0f}x)")
                if q == "trace_hub":
                    peer_trace_hub.append(t)
                fastest = t if fastest is None else min(fastest, t)
            ratio = f"{fastest / ours[q]:,.0f}x" if fastest else "-"
            print(f"{q:<14}{ours[q]:>10.5f} s" + "".join(f"{c:>24}" for c in cells) + f"{ratio:>18}")
        if "trace_hub" in py_times:
            e2e = py_build + py_times["trace_hub"]
            fastest_trace = min(peer_trace_hub) if peer_trace_hub else None
            ratio = f"{fastest_trace / e2e:,.1f}x" if fastest_trace else "-"
            print(
                f"  Python end to end, DataFrame -> index -> contacts DataFrame: {e2e:.4f} s "
                f"(index {py_build:.3f} s); fastest peer / precinct = {ratio}"
            )
            cols = [df[c].to_numpy() for c in ("person", "place", "start", "end")]
            scan, _ = timed(args.repeat, lambda: precinct.trace_columns(*cols, hub, a, b, min_overlap=m).to_pandas())
            ratio = f"{fastest_trace / scan:,.1f}x" if fastest_trace else "-"
            print(f"  Python end to end with no index (trace_columns): {scan:.4f} s; fastest peer / precinct = {ratio}")
            print(
                f"  index from a DataFrame in Python: {py_build:.3f} s, of which the Rust build is {ours['build']:.3f} s "
                f"(crossing {max(py_build - ours['build'], 0) / py_build:.0%})"
            )
        if "ring2_hub" in py_times:
            crossing = py_times["ring2_hub"] - ours["ring2_hub"]
            print(
                f"  crossing the Python boundary on the hub's second ring: {crossing * 1000:.2f} ms "
                f"({crossing / py_times['ring2_hub']:.0%} of the call)"
            )
        with_build = ours["build"] + ours["trace_hub"]
        fastest_trace = min(t for t in peer_trace_hub) if peer_trace_hub else None
        for label, t in (("trace_hub, index build counted", with_build), ("trace_hub, no index (scan)", ours["trace_hub_no_index"])):
            ratio = f"{fastest_trace / t:,.1f}x" if fastest_trace else "-"
            print(f"  {label}: {t:.4f} s; fastest peer / precinct = {ratio}")
        if "csv_ingest" in ours:
            print(f"CSV ingest: {ours['csv_ingest']:.2f} s ({report['visits'] / ours['csv_ingest'] / 1e6:.1f} M rows/s)")
        con.close()
    if failures:
        print(f"\n{failures} peer results disagree with precinct", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
