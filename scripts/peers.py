#!/usr/bin/env python3
"""Peer comparison of the co-presence queries: precinct against pandas,
polars, DuckDB and polars-bio on the same synthetic towns, the same
queries, in the same run. Run it with `scripts/peers` (which installs what
it needs).

For each town shape (`--town`: default, busy, long; see TownShape in
core/src/demo/synthetic.rs) and size, the town is generated once by
`copresence generate` (Rust, deterministic) into `<data>/<shape>/<size>`,
precinct's timings and answers come from `copresence run`, and every peer
must give the same answers. Printed: each peer's time and its ratio to
precinct's, then a few end-to-end rows, then one summary table per town
(also written as `<data>/summary.json`).

Peers do what an analyst would: an equi-join on the place followed by the
overlap filter (pandas `merge`, polars `join_where`, a DuckDB join with
range conditions), or polars-bio's interval overlap join per place.
pandas materializes its joins: where one would hold more rows than
`--budget` it is skipped for that query, and the table says so with the
size it would have needed. The others always run.

The rule every side applies: two visits `[start, end)` of different
persons at the same place are a contact when they overlap by at least
`min_overlap` seconds, both intersecting the window `[a, b)`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl

from peers_timing import Later, timed

try:  # the Python package, for the end-to-end rows (scripts/peers installs it)
    import precinct
except ImportError:  # pragma: no cover - reported in the output
    precinct = None

PEERS = ("pandas", "polars", "duckdb", "polars-bio")
SIZES = {"0.2M": 200_000, "2.2M": 2_200_000, "22M": 22_000_000}
SHAPES = ("default", "busy", "long")
QUERIES = ("trace_hub", "trace_median", "ring2_hub", "ring2_median", "day_graph")
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "target" / "release" / "examples" / "copresence"
POLARS_BIO = ROOT / ".venv-polars-bio" / "bin" / "python"


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


def graph_summary(a: np.ndarray, b: np.ndarray) -> dict:
    """The day graph's four figures from its edges (a < b, each once): the
    highest degree's person is the smallest id among those that have it."""
    if len(a) == 0:
        return {"edges": 0, "max_degree": 0, "max_degree_person": None, "persons_with_edge": 0}
    deg = pd.Series(np.concatenate([a, b])).value_counts()
    top = int(deg.max())
    return {
        "edges": int(len(a)),
        "max_degree": top,
        "max_degree_person": str(int(deg[deg == top].index.min())),
        "persons_with_edge": int(len(deg)),
    }


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
    g = g.sort_index()
    return Later(lambda: [(int(i), int(r.total_overlap), int(r.first_contact)) for i, r in g.iterrows()])


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
    return Later(lambda: [(int(p), int(o), int(f)) for p, o, f in out.iter_rows()])


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
    return Later(lambda: [(int(p), int(o), int(f)) for p, o, f in rows])


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
        SELECT (SELECT count(*) FROM edges), max(d), arg_min(p, -d * 1e12 + p), count(*) FROM deg
        """
    ).fetchone()
    if not row[0]:
        return {"edges": 0, "max_degree": 0, "max_degree_person": None, "persons_with_edge": 0}
    return {
        "edges": int(row[0]),
        "max_degree": int(row[1]),
        "max_degree_person": str(int(row[2])),
        "persons_with_edge": int(row[3]),
    }


# ---------------------------------------------------------------- polars-bio


def polars_bio(folder: Path, hub: int, median: int, repeat: int, queries: list[str]) -> tuple[str, dict]:
    """polars-bio pins its own polars, so it runs in its own environment
    (scripts/peers_polars_bio.py, timed there the same way): its version and,
    per query, (seconds, answer) or the error that stopped it."""
    if not POLARS_BIO.exists():
        return "not installed", {q: "not installed" for q in queries}
    # One process a query: a query that runs out of memory loses only itself.
    version, results = "failed", {}
    for q in queries:
        cmd = [POLARS_BIO, ROOT / "scripts" / "peers_polars_bio.py", "--data", folder]
        cmd += ["--hub", str(hub), "--median", str(median), "--repeat", str(repeat), "--queries", q]
        run = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
        if run.returncode != 0:
            why = f"killed by signal {-run.returncode}" if run.returncode < 0 else f"exit {run.returncode}"
            print(f"  polars-bio {q} failed ({why}):\n{run.stderr[-2000:]}", file=sys.stderr)
            results[q] = f"failed ({why})"
            continue
        out = json.loads(run.stdout)
        version = f"{out['version']} (polars {out['polars']})"
        for name, r in out["results"].items():
            answer = r["answer"]
            if name.startswith("trace"):
                answer = [tuple(row) for row in answer]
            results[name] = (r["seconds"], answer)
    return version, results


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
        return Later(lambda: list(zip(table["person_id"].tolist(), table["total_overlap"].tolist(), table["first_contact"].tolist())))

    def ring2(c, a, b, m, budget):
        table = holder["v"].second_ring(c, a, b, min_overlap=m)
        table.to_pandas()
        return Later(lambda: table["person_id"].tolist())

    def graph(day, m, budget):
        g = holder["v"].day_graph(day, min_overlap=m)
        person = g["max_degree_person"]
        return {
            "edges": g["edges"],
            "max_degree": g["max_degree"],
            "max_degree_person": None if person is None else str(person),
            "persons_with_edge": g["persons_with_edge"],
        }

    def edge_list(day, m):
        """The day graph with its edges, as two numpy arrays."""
        g = holder["v"].day_graph(day, min_overlap=m, edges=True)
        return g["edge_list"]["a"], g["edge_list"]["b"]

    return {"index": index, "trace": trace, "ring2": ring2, "graph": graph, "edge_list": edge_list}


# ---------------------------------------------------------------- harness


def expected(report: dict, query: str):
    if query.startswith("trace"):
        return [(int(p), o, f) for p, o, f in report[query]]
    if query.startswith("ring2"):
        return [int(p) for p in report[query]]
    return report["day_graph"]


def seconds(t: float) -> str:
    """A time as the README writes it."""
    if t < 1e-3:
        return f"{t * 1e3:.3f} ms"
    if t < 1:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"


def town(shape: str, size: str, data: Path, repeat: int, csv: bool) -> Path:
    """The town's folder, generated once, with precinct's report fresh."""
    folder = data / shape / size
    meta = folder / "town.json"
    if not meta.exists() or json.loads(meta.read_text()).get("town") != shape:
        cmd = [EXAMPLE, "generate", "--visits", str(SIZES[size]), "--town", shape, "--out", folder]
        subprocess.run(cmd, check=True)
    run = [EXAMPLE, "run", "--data", folder, "--repeat", str(max(repeat, 3))]
    subprocess.run(run + (["--csv"] if csv else []), check=True)
    return folder


def compare(shape: str, size: str, folder: Path, args) -> tuple[dict, int]:
    """Every peer on one town: prints the table and returns this town's
    summary and the number of answers that disagree with precinct's."""
    meta = json.loads((folder / "town.json").read_text())
    report = json.loads((folder / "precinct.json").read_text())
    a, b = meta["window"]
    day, m = meta["day"], meta["min_overlap"]
    hub, median = int(report["hub"]), int(report["median"])
    ours = report["seconds"]
    asked = [q for q in args.queries.split(",") if q in QUERIES]
    df = load(folder)
    pdf = pl.from_pandas(df)
    con = duckdb.connect()
    con.register("visits_df", df)
    con.execute("CREATE TABLE visits AS SELECT * FROM visits_df")
    graph = report["day_graph"]
    summary = {
        "town": shape,
        "size": size,
        "visits": report["visits"],
        "persons": meta["persons"],
        "places": meta["places"],
        "shape": meta.get("shape"),
        "hub": hub,
        "hub_contacts": len(report["trace_hub"]),
        "median": median,
        "day_graph": graph,
        "queries": {},
    }
    print(
        f"\n== {shape} town, {size}: {report['visits']:,} visits of {meta['persons']:,} persons at {meta['places']:,} places; "
        f"hub {hub} ({summary['hub_contacts']:,} contacts), median {median}; day graph {graph['edges']:,} edges, "
        f"{graph['persons_with_edge']:,} persons with one; index built in {seconds(ours['build'])}, "
        f"{report['index_bytes'] / report['visits']:.1f} bytes a visit (raw columns 16)"
    )

    calls = {
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
    chosen = args.peers.split(",")
    peers = {name: impl for name, impl in peers.items() if name in chosen}
    if "polars-bio" in chosen:
        bio_version, bio = polars_bio(folder, hub, median, args.repeat, asked)
    else:
        bio_version, bio = None, {q: "not run (--peers)" for q in QUERIES}
    summary["polars_bio"] = bio_version
    python = None
    if precinct is not None:
        python = precinct_python(df)
        python["build_seconds"], _ = timed(args.repeat, python["index"])

    failures = 0
    columns = (["precinct (Python)"] if python else []) + list(peers) + (["polars-bio"] if "polars-bio" in chosen else [])
    print(f"{'query':<14}{'precinct':>12}" + "".join(f"{p:>24}" for p in columns) + f"{'fastest peer':>26}")
    py_times, peer_times = {}, {}
    for q in QUERIES:
        want = expected(report, q)
        results = {}  # peer -> seconds, or a word saying why there is none
        if python:
            t, got = timed(args.repeat, calls[q], python)
            py_times[q] = t
            results["precinct (Python)"] = t if got == want else "DISAGREES"
        for name, impl in peers.items():
            if q not in asked:
                results[name] = "not run (--queries)"
                continue
            try:
                t, got = timed(args.repeat, calls[q], impl)
            except Skipped as s:
                results[name] = f"skipped ({s.args[0]:.1e} rows)"
                continue
            results[name] = t if got == want else "DISAGREES"
            if got != want:
                print(f"  {name} {q}: got {str(got)[:300]}, precinct {str(want)[:300]}", file=sys.stderr)
        if "polars-bio" not in chosen:
            pass
        elif q not in asked:
            results["polars-bio"] = "not run (--queries)"
        elif isinstance(bio.get(q), tuple):
            t, got = bio[q]
            results["polars-bio"] = t if got == want else "DISAGREES"
            if got != want:
                print(f"  polars-bio {q}: got {str(got)[:300]}, precinct {str(want)[:300]}", file=sys.stderr)
        else:
            results["polars-bio"] = bio.get(q, "not run")
        # A peer that failed (out of memory, say) is reported, not counted
        # against precinct.
        failures += sum(1 for r in results.values() if r == "DISAGREES")
        timed_peers = {p: t for p, t in results.items() if isinstance(t, float) and p != "precinct (Python)"}
        fastest = min(timed_peers, key=timed_peers.get) if timed_peers else None
        if fastest:
            peer_times[q] = (fastest, timed_peers[fastest])
        cells = [f"{seconds(r)} ({r / ours[q]:,.0f}x)" if isinstance(r, float) else r for r in results.values()]
        best = f"{fastest} {timed_peers[fastest] / ours[q]:,.0f}x" if fastest else "-"
        print(f"{q:<14}{seconds(ours[q]):>12}" + "".join(f"{c:>24}" for c in cells) + f"{best:>26}")
        summary["queries"][q] = {
            "precinct": ours[q],
            "precinct_python": py_times.get(q),
            "peers": {p: r for p, r in results.items() if p != "precinct (Python)"},
            "fastest": fastest,
            "fastest_seconds": timed_peers.get(fastest),
            "ratio": timed_peers[fastest] / ours[q] if fastest else None,
        }

    summary["end_to_end"], failed = end_to_end(df, meta, report, python, py_times, peer_times.get("trace_hub"), args)
    con.close()
    return summary, failures + failed


def end_to_end(df, meta, report, python, py_times, fastest_trace, args) -> tuple[dict, int]:
    """What a user sees around the queries: the index build next to the sort
    it cannot avoid, precinct from Python with and without an index next to
    the fastest peer's trace, and the day graph's edges as numpy arrays.
    Returns the rows and the number of answers that disagree."""
    (a, b), day, m = meta["window"], meta["day"], meta["min_overlap"]
    ours, graph, hub = report["seconds"], report["day_graph"], int(report["hub"])
    e2e, failures = {}, 0
    print("  end to end:")
    keys = (df["place"].to_numpy() << 32) | (df["start"].to_numpy() - df["start"].min())
    argsort, _ = timed(args.repeat, np.argsort, keys)
    e2e["build"] = {"precinct": ours["build"], "numpy_argsort": argsort, "ratio": ours["build"] / argsort}
    print(
        f"    index build {seconds(ours['build'])} (Rust); numpy argsort of packed (place, start) keys "
        f"{seconds(argsort)}: build/argsort = {ours['build'] / argsort:.1f}x"
    )
    print(f"    trace of the hub from raw columns, Rust: {seconds(ours['trace_hub_no_index'])}")
    if "csv_ingest" in ours:
        print(f"    CSV ingest: {ours['csv_ingest']:.2f} s ({report['visits'] / ours['csv_ingest'] / 1e6:.1f} M rows/s)")
    if not python:
        print("    precinct (Python) not installed: no Python rows")
        return e2e, failures
    py_build = python["build_seconds"]
    e2e["build"]["python"] = py_build
    print(
        f"    index from the DataFrame in Python {seconds(py_build)} "
        f"(crossing {max(py_build - ours['build'], 0) / py_build:.0%})"
    )

    cols = [df[c].to_numpy() for c in ("person", "place", "start", "end")]

    def scan_trace():
        table = precinct.trace_columns(*cols, hub, a, b, min_overlap=m)
        table.to_pandas()  # as the indexed trace, timed with the query
        return list(zip(table["person_id"].tolist(), table["total_overlap"].tolist(), table["first_contact"].tolist()))

    scan, got = timed(args.repeat, scan_trace)
    ok = got == expected(report, "trace_hub")
    failures += 0 if ok else 1
    e2e["trace_columns"] = {"python": scan, "rust": ours["trace_hub_no_index"], "agrees": ok}
    e2e["index_and_trace"] = {"python": py_build + py_times["trace_hub"]}
    for label, key in (
        ("trace of the hub from raw columns (trace_columns)", "trace_columns"),
        ("index from the DataFrame + trace of the hub", "index_and_trace"),
    ):
        t, vs = e2e[key]["python"], ""
        if fastest_trace:
            e2e[key]["fastest_peer"] = {"name": fastest_trace[0], "seconds": fastest_trace[1]}
            e2e[key]["ratio"] = fastest_trace[1] / t
            vs = f"; fastest peer ({fastest_trace[0]}) {seconds(fastest_trace[1])}, peer/precinct {fastest_trace[1] / t:,.1f}x"
        print(f"    {label}, Python: {seconds(t)}{' DISAGREES' if not e2e[key].get('agrees', True) else ''}{vs}")

    try:
        with_edges, (ea, eb) = timed(args.repeat, python["edge_list"], day, m)
    except precinct.TooLarge as e:
        # The edge list past the default budget (1 GiB): the summary stands.
        print(f"    day graph's edge list: {e} (the summary alone needs memory for the persons only)")
        e2e["day_graph_edges"] = {"too_large": e.needed}
    else:
        ok = len(ea) == graph["edges"] and graph_summary(ea, eb) == graph
        failures += 0 if ok else 1
        e2e["day_graph_edges"] = {"python": with_edges, "python_without_edges": py_times["day_graph"], "agrees": ok}
        print(
            f"    day graph with its {len(ea):,} edges as numpy arrays, Python: {seconds(with_edges)} "
            f"(without edges {seconds(py_times['day_graph'])}, Rust {seconds(ours['day_graph'])})"
            + ("" if ok else " DISAGREES")
        )
    crossing = py_times["ring2_hub"] - ours["ring2_hub"]
    print(
        f"    crossing the Python boundary on the hub's second ring: {crossing * 1000:.2f} ms "
        f"({crossing / py_times['ring2_hub']:.0%} of the call)"
    )
    return e2e, failures


def markdown(s: dict) -> str:
    """One town's summary table, for the README."""
    g = s["day_graph"]
    lines = [
        f"{s['town']} town, {s['size']} visits ({s['persons']:,} persons, {s['places']:,} places; "
        f"hub {s['hub_contacts']:,} contacts; day graph {g['edges']:,} edges, {g['persons_with_edge']:,} persons with one)",
        "",
        "| query | precinct (Rust) | fastest peer | its time | ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for q, r in s["queries"].items():
        if r["fastest"]:
            lines.append(f"| {q} | {seconds(r['precinct'])} | {r['fastest']} | {seconds(r['fastest_seconds'])} | **{r['ratio']:,.0f}x** |")
        else:
            lines.append(f"| {q} | {seconds(r['precinct'])} | - | - | - |")
    e = s["end_to_end"]
    b = e["build"]
    lines.append(f"| index build vs numpy argsort | {seconds(b['precinct'])} | numpy argsort | {seconds(b['numpy_argsort'])} | build/argsort {b['ratio']:.1f}x |")
    for key, label in (("trace_columns", "trace_hub from raw columns (Python)"), ("index_and_trace", "index + trace_hub (Python)")):
        r = e.get(key)
        if r and "fastest_peer" in r:
            p = r["fastest_peer"]
            lines.append(f"| {label} | {seconds(r['python'])} | {p['name']} | {seconds(p['seconds'])} | {r['ratio']:,.1f}x |")
    if "python" in e.get("day_graph_edges", {}):
        lines.append(f"| day_graph with edges as numpy (Python) | {seconds(e['day_graph_edges']['python'])} | | | |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0.2M,2.2M", help="comma-separated, of " + ", ".join(SIZES))
    ap.add_argument("--town", default=",".join(SHAPES), help="comma-separated town shapes, of " + ", ".join(SHAPES))
    ap.add_argument("--data", type=Path, default=ROOT / "artifacts" / "peers", help="where the towns are written (default: artifacts/peers)")
    ap.add_argument("--repeat", type=int, default=3, help="fewest runs of each query (default 3; fast ones run until a second is spent)")
    ap.add_argument(
        "--budget",
        type=float,
        default=1e8,
        help="largest equi-join (rows) pandas may build; it takes about 130 bytes a row (1e8 rows: 13 GB)",
    )
    ap.add_argument(
        "--queries",
        default=",".join(QUERIES),
        help="which queries the peers run, of " + ", ".join(QUERIES) + " (precinct runs all); at 22M the peers' ring 2 and day graph take hours",
    )
    ap.add_argument(
        "--peers",
        default=",".join(PEERS),
        help="which peers run, of " + ", ".join(PEERS) + " (at 22M, pandas and polars need more memory than this machine has for ring 2 and the day graph)",
    )
    ap.add_argument("--csv", action="store_true", help="also time precinct reading the check-ins from CSV")
    args = ap.parse_args()
    shapes = args.town.split(",")
    for name, known, given in (
        ("size", SIZES, args.sizes.split(",")),
        ("town", SHAPES, shapes),
        ("peer", PEERS, args.peers.split(",")),
    ):
        if unknown := [x for x in given if x not in known]:
            ap.error(f"unknown {name} {', '.join(unknown)}: one of {', '.join(known)}")

    print(f"pandas {pd.__version__}, polars {pl.__version__}, duckdb {duckdb.__version__}, numpy {np.__version__}")
    failures, summaries = 0, []
    for shape in shapes:
        for size in args.sizes.split(","):
            folder = town(shape, size, args.data, args.repeat, args.csv)
            summary, failed = compare(shape, size, folder, args)
            summaries.append(summary)
            failures += failed

    print("\n== Summary: precinct (Rust) against the fastest peer, ratio = peer's time / precinct's")
    for s in summaries:
        print("\n" + markdown(s))
    versions = {"pandas": pd.__version__, "polars": pl.__version__, "duckdb": duckdb.__version__, "numpy": np.__version__}
    versions["polars-bio"] = summaries[0]["polars_bio"] if summaries else None
    # Towns measured by earlier runs stay in the file unless measured again.
    out = args.data / "summary.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = json.loads(out.read_text())["towns"] if out.exists() else []
    now = {(s["town"], s["size"]) for s in summaries}
    towns = [s for s in kept if (s["town"], s["size"]) not in now] + summaries
    out.write_text(json.dumps({"versions": versions, "towns": towns}, indent=1))
    print(f"\n(written to {out})")
    if failures:
        print(f"\n{failures} peer results disagree with precinct", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
