"""precinct.spark gives the answers of one machine: every query on Spark in
local mode (`local[2]`) against `precinct.Visits` and `precinct.Book` on
the same visits, on the synthetic towns of 0.2 M and 2.2 M visits, on a
town with one very hot place (split into time blocks), with string ids and
timestamp columns. Skipped, saying why, without PySpark 4 or Java."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import pytest

pyspark = pytest.importorskip(
    "pyspark", reason="precinct.spark needs PySpark 4 (the `spark` extra: pip install 'precinct[spark]')"
)
if int(pyspark.__version__.split(".")[0]) < 4:
    pytest.skip(f"precinct.spark needs PySpark 4, not {pyspark.__version__}", allow_module_level=True)
if shutil.which("java") is None or subprocess.run(["java", "-version"], capture_output=True).returncode != 0:
    pytest.skip("Spark needs a Java runtime (17 or later) and `java` is not on PATH: apt-get install openjdk-17-jre-headless", allow_module_level=True)

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from pyspark.sql import SparkSession, functions as F  # noqa: E402

import precinct  # noqa: E402
import precinct.spark as ps  # noqa: E402
from towns import DAY, WINDOW, Columns, index_cases, town, with_hot_place  # noqa: E402

FAR = dt.datetime(2030, 1, 1)


@pytest.fixture(scope="module")
def spark():
    # The executors' Python is this one (with precinct and pyarrow).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("precinct-identity")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def frame(spark: SparkSession, cols: Columns, folder, ids=None) -> Any:
    """The columns as a cached Spark DataFrame, through Parquet (as a real
    job would read them)."""
    person = cols["person"] if ids is None else ids(cols["person"])
    place = cols["place"] if ids is None else ids(cols["place"])
    path = str(folder / "visits.parquet")
    pq.write_table(pa.table({"person_id": person, "place_id": place, "start": cols["start"], "end": cols["end"]}), path)
    df = spark.read.parquet(path).cache()
    df.count()
    return df


def one_machine(cols: Columns, ids=None, policy=None) -> precinct.Visits:
    if ids is None:
        return precinct.Visits.from_columns(cols["person"], cols["place"], cols["start"], cols["end"], policy=policy)
    return precinct.Visits.from_columns(ids(cols["person"]), ids(cols["place"]), cols["start"], cols["end"], policy=policy)


@pytest.fixture(scope="module")
def small(spark, tmp_path_factory):
    cols, _ = town("0.2M")
    return cols, frame(spark, cols, tmp_path_factory.mktemp("small")), one_machine(cols)


@pytest.fixture(scope="module")
def hot(spark, tmp_path_factory):
    cols, place = with_hot_place(town("0.2M")[0], 40_000)
    return cols, frame(spark, cols, tmp_path_factory.mktemp("hot")), one_machine(cols), place


def traces(df, cases, window, **kw) -> Dict[Any, List[Tuple[Any, int, int]]]:
    """Spark's traces per case, rows in the core's id order."""
    rows = ps.trace(df, cases, window, **kw).select(
        "case_person_id", "person_id", "total_overlap", F.unix_seconds("first_contact").alias("first")
    ).collect()
    out: Dict[Any, List[Tuple[Any, int, int]]] = {}
    for r in rows:
        out.setdefault(r[0], []).append((r[1], r[2], r[3]))
    return {k: sorted(v, key=lambda x: ps.id_sort_key(x[0])) for k, v in out.items()}


def trace_rows(v: precinct.Visits, case, window, **kw) -> List[Tuple[Any, int, int]]:
    t = v.trace(case, *window, **kw)
    return list(zip(t["person_id"].tolist(), t["total_overlap"].tolist(), t["first_contact"].tolist()))


def rings(df, cases, window, **kw) -> Dict[Any, List[Any]]:
    out: Dict[Any, List[Any]] = {}
    for r in ps.second_ring(df, cases, window, **kw).collect():
        out.setdefault(r[0], []).append(r[1])
    return {k: sorted(v, key=ps.id_sort_key) for k, v in out.items()}


def check_day_graph(df, v: precinct.Visits, day, **kw) -> None:
    got = ps.day_graph(df, day, edges=True, **kw)
    want = v.day_graph(day, edges=True, min_overlap=kw.get("min_overlap"))
    figures = ("edges", "max_degree", "max_degree_person", "persons_with_edge")
    assert {k: got[k] for k in figures} == {k: want[k] for k in figures}
    edges = sorted(((r[0], r[1]) for r in got["edge_list"].collect()), key=lambda e: (ps.id_sort_key(e[0]), ps.id_sort_key(e[1])))
    listed = want["edge_list"]
    assert edges == list(zip(listed["a"].tolist(), listed["b"].tolist()))


def test_trace_and_second_ring_of_many_cases_on_the_small_town(small):
    cols, df, v = small
    hub, median = index_cases(cols)
    absent = int(cols["person"].max()) + 10
    got = traces(df, [hub, median, absent], WINDOW)
    assert set(got) == {hub, median}
    for case in (hub, median):
        assert got[case] == trace_rows(v, case, WINDOW)
    got = rings(df, [hub, median], WINDOW)
    for case in (hub, median):
        assert got[case] == v.second_ring(case, *WINDOW)["person_id"].tolist()


def test_day_graph_on_the_small_town(small):
    cols, df, v = small
    check_day_graph(df, v, DAY)
    # A day given as a date, read in the policy's zone by the core on both sides.
    day = dt.date(2020, 1, 28)
    assert ps.day_graph(df, day, min_overlap=1800)["edges"] == v.day_graph(day, min_overlap=1800)["edges"]


def test_a_very_hot_place_split_into_time_blocks(hot):
    cols, df, v, place = hot
    max_rows = 1_500
    # White box: the hot place is cut into many blocks, and a 12-hour visit
    # there is in several of them.
    prepared = ps._prepare(df, "person_id", "place_id", "start", "end", False)
    blocks = ps._blocks(ps._within(prepared.frame, WINDOW[0], WINDOW[1], 900), ["l"], max_rows)
    per_place = {r["l"]: r["n"] for r in blocks.groupBy("l").agg(F.countDistinct("blk").alias("n")).collect()}
    assert per_place[place] >= 8
    longest = blocks.where((F.col("l") == place) & (F.col("e") - F.col("s") == 12 * 3600)).groupBy("s", "p").count()
    assert longest.agg(F.max("count")).collect()[0][0] >= 3
    # Cases: the town's hub and the hot place's most frequent visitor.
    at_hot = (cols["place"] == place) & (cols["start"] < WINDOW[1]) & (cols["end"] > WINDOW[0])
    ids, counts = np.unique(cols["person"][at_hot], return_counts=True)
    regular = int(ids[counts.argmax()])
    hub, _ = index_cases(cols)
    # A trace's rows near the cases are few: split them finely, so that
    # pairs found again in a block are taken back out (rows of sign -1).
    pairs = ps._trace_pairs(prepared, [regular, hub], WINDOW, None, None, 900, 60)
    assert pairs.where(F.col("total") < 0).count() > 0
    for min_overlap in (None, 300):
        got = traces(df, [regular, hub], WINDOW, max_rows=60, min_overlap=min_overlap)
        for case in (regular, hub):
            assert got[case] == trace_rows(v, case, WINDOW, min_overlap=min_overlap)
    got = rings(df, [regular], WINDOW, max_rows=max_rows)
    assert got[regular] == v.second_ring(regular, *WINDOW)["person_id"].tolist()
    check_day_graph(df, v, DAY, max_rows=max_rows)


def test_the_large_town(spark, tmp_path_factory):
    cols, _ = town("2.2M")
    df = frame(spark, cols, tmp_path_factory.mktemp("large"))
    v = one_machine(cols)
    hub, median = index_cases(cols)
    got = traces(df, [hub, median], WINDOW)
    for case in (hub, median):
        assert got[case] == trace_rows(v, case, WINDOW)
    assert rings(df, [median], WINDOW)[median] == v.second_ring(median, *WINDOW)["person_id"].tolist()
    got = ps.day_graph(df, DAY)
    want = v.day_graph(DAY)
    assert got == {k: want[k] for k in got}
    df.unpersist()


def unix_contacts(df) -> List[Dict[str, Any]]:
    """Spark's close contacts with times as Unix seconds, in id order."""
    seconds = F.unix_seconds
    rows = df.select(
        "person",
        "cases",
        "evidence_rule",
        "evidence_place",
        F.transform("evidence_first_contact", lambda x: seconds(x)).alias("evidence_first_contact"),
        "evidence_overlap_seconds",
        F.transform("evidence_stretches_start", lambda xs: F.transform(xs, lambda x: seconds(x))).alias("evidence_stretches_start"),
        F.transform("evidence_stretches_end", lambda xs: F.transform(xs, lambda x: seconds(x))).alias("evidence_stretches_end"),
        "overlap_seconds",
        seconds("first_contact").alias("first_contact"),
        seconds("last_exposure").alias("last_exposure"),
    ).collect()
    return sorted((r.asDict() for r in rows), key=lambda r: ps.id_sort_key(r["person"]))


def book_contacts(table) -> List[Dict[str, Any]]:
    def unix(x):
        return [unix(y) for y in x] if isinstance(x, list) else int(x.timestamp()) if isinstance(x, dt.datetime) else x

    names = list(table.names)
    return [{k: unix(row[k]) for k in names} for row in table]


@pytest.mark.parametrize("rule", ["continuous", "cumulative", "pairwise"])
def test_close_contacts_with_their_evidence(hot, rule):
    cols, df, _, place = hot
    policy = "nhc-2020" if rule == "continuous" else "cdc-2020" if rule == "cumulative" else {**precinct.policy("nhc-2020"), "exposure_rule": "pairwise"}
    hub, median = index_cases(cols)
    at_hot = (cols["place"] == place) & (cols["start"] < WINDOW[1]) & (cols["end"] > WINDOW[0])
    regular = int(np.unique(cols["person"][at_hot], return_counts=True)[0][0])
    cases = (
        "case_id,person_id,onset,confirmed,infected_by\n"
        f"C1,{hub},2020-01-27,2020-01-28,\nC2,{median},,2020-01-29,C1\nC10,{regular},2020-01-28,2020-01-29 10:00,\n"
    )
    book = precinct.Book.in_memory(policy=policy)
    book.record_visits(pa.table({"person_id": cols["person"], "place_id": cols["place"], "start": cols["start"], "end": cols["end"]}), by="t", at=FAR)
    book.confirm_cases(cases, by="t", at=FAR)
    want = book_contacts(book.close_contacts(["C1", "C2", "C10"]))
    got = unix_contacts(ps.close_contacts(df, cases, policy=policy))
    assert len(got) == len(want) > 100
    for g, w in zip(got, want):
        assert g == {k: w[k] for k in g}
    assert any(str(place) in r["evidence_place"] for r in got)


def test_string_ids_and_timestamp_columns(spark, tmp_path_factory):
    """Ids as text (padded with spaces the core trims) and times as Spark
    timestamps, on the small town's last three days."""
    cols, _ = town("0.2M")
    keep = (cols["start"] < WINDOW[1]) & (cols["end"] > WINDOW[0] - 86_400)
    cols = {k: c[keep] for k, c in cols.items()}

    def text(ids):
        return [f" P{i} " if i % 7 == 0 else f"P{i}" for i in ids.tolist()]

    v = one_machine(cols, ids=text)
    df = frame(spark, cols, tmp_path_factory.mktemp("text"), ids=text)
    df = df.withColumn("start", F.timestamp_seconds("start")).withColumn("end", F.timestamp_seconds("end"))
    hub, median = (f"P{c}" for c in index_cases(cols))
    got = traces(df, [hub, median], WINDOW)
    for case in (hub, median):
        assert got[case] == trace_rows(v, case, WINDOW)
    assert rings(df, [hub], WINDOW, max_rows=3_000)[hub] == v.second_ring(hub, *WINDOW)["person_id"].tolist()
    check_day_graph(df, v, DAY, max_rows=3_000)
    df.unpersist()


def test_bad_arguments_and_rows_raise_as_on_one_machine(spark):
    rows = [(1, 10, 0, 3600), (2, 10, 1800, 7200), (3, 10, 5000, 4000)]
    df = spark.createDataFrame(rows, "person_id long, place_id long, start long, end long")
    empty = precinct.Visits.from_columns(np.array([1], dtype=np.int64), np.array([1], dtype=np.int64), np.array([0]), np.array([1]))
    for call in (lambda: ps.trace(df.limit(2), 1, (100, 0)), lambda: ps.second_ring(df.limit(2), 1, (0, 100), min_overlap=0)):
        with pytest.raises(precinct.InvalidValue):
            call()
    with pytest.raises(precinct.InvalidValue):
        empty.trace(1, 100, 0)
    with pytest.raises(precinct.InvalidValue) as e:
        ps.trace(df, 1, (0, 10_000), check=True)
    assert e.value.field == "visit end"
    assert ps.trace(df.limit(2), 1, (0, 10_000), min_overlap=900).count() == 1
    naive = df.withColumn("start", F.timestamp_seconds("start").cast("timestamp_ntz"))
    with pytest.raises(precinct.InvalidValue, match="to_utc_timestamp"):
        ps.day_graph(naive, 0)
    with pytest.raises(precinct.InvalidValue, match="without a column"):
        ps.trace(df, 1, (0, 10), person_id="who")


def test_case_ids_match_exactly_as_on_one_machine(spark):
    # Found by a breaker: "\u0667" (an Arabic-Indic seven) traced person 7,
    # and " 1 " or "001" person 1, where one machine finds nobody.
    rows = [(1, 10, 0, 1000), (2, 10, 0, 1000), (7, 10, 0, 1000)]
    df = spark.createDataFrame(rows, "person_id long, place_id long, start long, end long")
    v = precinct.Visits.from_columns(*(np.array(c, dtype=np.int64) for c in zip(*rows)))
    for case in ("001", " 1 ", "\u0667", "\u00b2", "--5", "7", 7, np.int64(2)):
        got = sorted(r.person_id for r in ps.trace(df, [case], (0, 5000), min_overlap=10).collect())
        assert got == v.trace(case, 0, 5000, min_overlap=10)["person_id"].tolist(), repr(case)
    for case in (True, 1.0, None):
        with pytest.raises(precinct.InvalidValue):
            ps.trace(df, case, (0, 5000), min_overlap=10)
    for case in (2**70, -(2**70)):
        with pytest.raises(precinct.InvalidValue):
            v.trace(case, 0, 5000, min_overlap=10)
        with pytest.raises(precinct.InvalidValue):
            ps.trace(df, [case], (0, 5000), min_overlap=10)
    # String ids: a case is matched as given (the core trims the visits'
    # ids when it reads them, not the case asked for).
    named = [(" P1 ", "m", 0, 1000), ("P2", "m", 0, 1000), ("\x1fP4", "m", 0, 1000)]
    sdf = spark.createDataFrame(named, "person_id string, place_id string, start long, end long")
    sv = precinct.Visits.from_columns(*[list(c) for c in zip(*named[:])][:2], np.array([0, 0, 0]), np.array([1000] * 3))
    for case in (" P1 ", "P1", "\x1fP4", "P4"):
        got = sorted(r.person_id for r in ps.trace(sdf, [case], (0, 5000), min_overlap=10).collect())
        assert got == sorted(sv.trace(case, 0, 5000, min_overlap=10)["person_id"]), repr(case)


def test_check_finds_times_one_index_cannot_hold_and_extreme_rows_do_not_overflow(spark):
    rows = [(1, 10, 0, 3600), (2, 10, 1800, 7200), (3, 99, 10**15, 10**15 + 10)]
    df = spark.createDataFrame(rows, "person_id long, place_id long, start long, end long")
    with pytest.raises(precinct.InvalidValue):
        precinct.Visits.from_columns(*(np.array(c, dtype=np.int64) for c in zip(*rows)))
    with pytest.raises(precinct.InvalidValue, match="136 years"):
        ps.trace(df, 1, (0, 10_000), min_overlap=10, check=True)
    # Without the check, a row of the widest times is dropped by the
    # query's filters (its length overflows), not an arithmetic error.
    wide = spark.createDataFrame(rows[:2] + [(3, 99, -(2**63), 2**63 - 1)], "person_id long, place_id long, start long, end long")
    assert [(r.person_id, r.total_overlap) for r in ps.trace(wide, 1, (0, 10_000), min_overlap=10).collect()] == [(2, 1800)]

def test_the_readme_spark_examples_run(spark):
    # The README's ```python spark blocks need Spark, so they run here, not
    # with the other README blocks (test_readme.py).
    import re

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python spark\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has no Spark example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
