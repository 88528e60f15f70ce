"""precinct on Apache Spark: the co-presence queries and the domain close
contacts on a Spark DataFrame of visits too large for one machine, each
partition answered by the same compiled core as ``precinct.Visits``
(the ``spark`` extra: PySpark 4, pyarrow; executors need ``precinct``
installed: a compiled extension, so in the executors' image or a packed
virtual environment shipped with ``spark-submit --archives``, not
``--py-files``).

The visits are a DataFrame with a person, a place, a start and an end
column (names by keyword: ``person_id``, ``place_id``, ``start``, ``end``).
Ids are integers (any integral type; answers give them back as ``long``)
or strings (trimmed of Unicode white space, as the core trims them); times
are Spark timestamps (instants, whole seconds taken) or integral Unix
seconds. Naive timestamps (``TimestampNTZ``) are refused: convert them with
``F.to_utc_timestamp(col, zone)`` first. Windows, days, minimum overlaps and
policies are read by the core exactly as ``Visits.trace``, ``Visits.day_graph``
and ``Book.close_contacts`` read them (checked on the driver before any job
starts, so a bad argument raises the same error as on one machine).

Functions (each returns a lazy DataFrame unless said otherwise):

- ``trace(visits, cases, window)``: ``case_person_id, person_id,
  total_overlap, first_contact`` -- ``Visits.trace`` of each case.
- ``second_ring(visits, cases, window)``: ``case_person_id, person_id`` --
  ``Visits.second_ring`` of each case.
- ``day_graph_edges(visits, day)``: ``a, b`` -- the edge list of
  ``Visits.day_graph(day, edges=True)``; ``day_graph(visits, day)``: the
  summary dict (runs jobs), with ``edges=True`` its ``edge_list`` DataFrame.
- ``close_contacts(visits, cases)``: the co-presence columns of
  ``Book.close_contacts`` (cases as ``read_cases`` reads them).

How partitions are formed, and why the answers cannot change
------------------------------------------------------------
Every contact pair is two visits at one place, so the work is partitioned
by place (and by case, for the domain trace), each partition indexed and
queried by the core (``groupBy(...).applyInArrow``), and the partial answers
combined by Spark (``sum``, ``min``, ``distinct``, anti-joins):

- A trace's total overlap is a sum over pairs and its first contact a
  minimum over pairs; pairs at different places are different pairs, so
  the per-place sums add up and the minimum of minima is the minimum.
- The second ring, the day graph's edges and a trace's set of contacts are
  unions of per-place sets (``distinct``).
- Before partitioning, rows that cannot be in any pair the query asks for
  are dropped: rows outside the window (or day) widened by two days, rows
  shorter than the minimum overlap, and for a trace the rows that overlap
  no visit of a case by the minimum. Dropping rows that are in no pair
  changes no pair.

A busy place is split when it has more than ``max_rows`` rows left: its
time is cut at quantiles of the starts into blocks ``[t_k, t_k+1)``, and
block ``k`` receives every visit that intersects it, so the blocks overlap
by up to the longest visit there and no block grows with the place. A pair
overlapping in ``[max(starts), min(ends))`` lies whole in the block that
holds its later start, so every pair is found there; pairs whose later
start is before ``t_k`` (both visits carried in from earlier blocks) are
found again in ``k``. Sets (second ring, edges) are unaffected by a pair
found twice. A trace counts each pair once: block ``k`` answers for all its
visits minus the answer for the visits carried in (``start < t_k``), which
are exactly the pairs found again; their first contacts are kept, since a
minimum is unchanged by a value that is also in an earlier block.

The domain trace (presences merged across the policy's gap, clipped to the
case's exposure window) is partitioned by case, place and the case's
presences there: each partition holds the case's rows of whole presences
and every row within the gap of them, which is all the core reads for
them, so no block boundary can cut a presence, and no partition grows with
the place. Per place, the continuous and pairwise rules judge each stretch
on its own; the cumulative rule judges a person's stretches at all places
together, which a second stage does per case with the same core.

Bad rows: ``Visits.from_columns`` refuses a whole frame for one bad row
(a null, an end before its start, a blank id). Finding one here costs a
scan of all the visits, which a query over a window of a province's
fortnight should not pay, so it is asked for: with ``check=True`` the
visits are scanned first and the first bad row raises ``InvalidValue`` as
on one machine. Without it, rows that the query's filters drop (outside the
window, shorter than the minimum, which an end before its start is) are
never looked at, and a bad row that reaches a partition fails the job with
Spark's ``PythonException`` carrying the core's message.
"""

from __future__ import annotations

import datetime
import math
import re
import sys
from functools import reduce
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

try:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]
    from pyspark.sql import DataFrame, functions as F, types as T
except ImportError:  # pragma: no cover - the message is the point
    # (no `as` name: it would be a module attribute to type checkers, not at run time)
    raise ImportError(
        "precinct.spark needs PySpark 4, pyarrow and pandas: pip install 'precinct[spark]' (and a Java 17 runtime for Spark)"
    ) from sys.exc_info()[1]

from ._frame import invalid
from ._book import Book
from ._precinct import Visits
from ._io import read_cases

__all__ = ["DEFAULT_DAY_GRAPH_MAX_ROWS", "DEFAULT_MAX_ROWS", "close_contacts", "day_graph", "day_graph_edges", "id_sort_key", "second_ring", "trace"]

#: Rows of one place (after the query's filters) past which it is split into
#: time blocks. A partition costs the core about 16 bytes a row and Arrow
#: about 40: a million rows is tens of MB per Python worker.
DEFAULT_MAX_ROWS = 1_000_000

#: The same for a day graph, whose output (edges) grows with the square of a
#: block's rows: at the 22 M town the busiest place held under a million
#: rows around the day, unsplit, and its 4.2 GB of edges were over the
#: core's budget of a partition; blocks of 20,000 rows stay far below it.
DEFAULT_DAY_GRAPH_MAX_ROWS = 20_000

_DAY = 86_400
#: An integer id written as text, as `str(int)` writes it (ASCII digits only).
_CANONICAL_INT = re.compile(r"-?(0|[1-9][0-9]*)", re.ASCII)
#: Unix seconds of the years 1 to 9999, and the widest span of one index
#: (u32 offsets: 136 years), as the core takes visits.
_EARLIEST, _LATEST, _SPAN = -62_135_596_800, 253_402_300_799, 2**32 - 1
_MIN, _MAX = -(2**63), 2**63 - 1
#: At most this many blocks per place (quantiles asked of Spark at once).
_MAX_BLOCKS = 512
#: The time of the commands of the books built inside partitions: after any
#: plausible visit or confirmation.
_FAR = datetime.datetime(9999, 1, 1)
_BY = "precinct.spark"

_Moment = Union[datetime.datetime, str, int]
_Day = Union[datetime.date, datetime.datetime, str, int]
_Policy = Union[str, Dict[str, Any], None]


# ------------------------------------------------------------------ helpers


def id_sort_key(value: Any) -> Tuple[Any, ...]:
    """A sort key giving the core's id order (``precinct::id_order``):
    ids of ASCII digits only come first, by numeric value (leading zeros
    ignored, then as text), then every other id by its UTF-8 bytes. So
    ``-5`` (not all digits) sorts after ``10``. The one-machine answers are
    sorted so; Spark's answers come in no order, and this puts them in it."""
    text = str(value)
    if text and text.isascii() and text.isdigit():
        trimmed = text.lstrip("0") or "0"
        return (0, len(trimmed), trimmed, text)
    return (1, text.encode("utf-8"))


class _Prepared:
    """The visits as columns ``p, l, s, e`` (ids as long or trimmed string,
    times as long Unix seconds), and the kind of the person ids."""

    def __init__(self, frame: DataFrame, person_kind: str, place_kind: str) -> None:
        self.frame = frame
        self.person_kind = person_kind  # "int" or "str"
        self.place_kind = place_kind

    @property
    def person_type(self) -> T.DataType:
        return T.LongType() if self.person_kind == "int" else T.StringType()

    @property
    def place_type(self) -> T.DataType:
        return T.LongType() if self.place_kind == "int" else T.StringType()


def _trimmed(column: Any) -> Any:
    # Java's (?U)\s is Unicode White_Space, what Rust's str::trim removes.
    return F.regexp_replace(column, r"(?U)^\s+|\s+$", "")


def _prepare(visits: DataFrame, person_id: str, place_id: str, start: str, end: str, check: bool) -> _Prepared:
    if not isinstance(visits, DataFrame):
        raise invalid("visits", type(visits).__name__, "a Spark DataFrame (pyspark.sql.DataFrame)")
    names = [f.name for f in visits.schema.fields]
    wanted = [person_id, place_id, start, end]
    for name in wanted:
        if names.count(name) > 1:
            raise invalid("frame", f"column {name} named twice", "each column named once")
        if name not in names:
            raise invalid("frame", f"without a column {name}", f"the columns {', '.join(wanted)}")
    types = {f.name: f.dataType for f in visits.schema.fields}

    def ids(name: str) -> Tuple[Any, str]:
        kind = types[name]
        if isinstance(kind, T.IntegralType):
            return F.col(name).cast("long"), "int"
        if isinstance(kind, T.StringType):
            return _trimmed(F.col(name)), "str"
        raise invalid(f"column {name}", kind.simpleString(), "ids as an integral or a string column")

    def times(name: str) -> Any:
        kind = types[name]
        if isinstance(kind, T.TimestampType):
            return F.unix_seconds(F.col(name))
        if isinstance(kind, T.IntegralType):
            return F.col(name).cast("long")
        if isinstance(kind, T.TimestampNTZType):
            raise invalid(
                f"column {name}",
                kind.simpleString(),
                "instants (timestamp) or Unix seconds: convert wall-clock times with F.to_utc_timestamp(col, zone)",
            )
        raise invalid(f"column {name}", kind.simpleString(), "a timestamp or an integral column of Unix seconds")

    p, person_kind = ids(person_id)
    l, place_kind = ids(place_id)
    frame = visits.select(p.alias("p"), l.alias("l"), times(start).alias("s"), times(end).alias("e"))
    prepared = _Prepared(frame, person_kind, place_kind)
    if check:
        _check(prepared, (person_id, place_id, start, end))
    return prepared


def _check(v: _Prepared, names: Tuple[str, str, str, str]) -> None:
    """Raise for the first row that ``Visits.from_columns`` would refuse
    (one scan; Spark stops at the first)."""
    bad = (
        F.col("p").isNull()
        | F.col("l").isNull()
        | F.col("s").isNull()
        | F.col("e").isNull()
        | F.coalesce(F.col("e") < F.col("s"), F.lit(False))
    )
    if v.person_kind == "str":
        bad = bad | F.coalesce(F.col("p") == "", F.lit(False))
    if v.place_kind == "str":
        bad = bad | F.coalesce(F.col("l") == "", F.lit(False))
    # One aggregation (one job), not a limit that may read the data twice:
    # the first bad row, and the span of all times (one index holds 136 years).
    found = v.frame.agg(
        F.first(F.when(bad, F.struct("p", "l", "s", "e")), ignorenulls=True).alias("r"),
        F.min("s").alias("lo"),
        F.max("e").alias("hi"),
    ).collect()[0]
    row, lo, hi = found["r"], found["lo"], found["hi"]
    if row is None:
        if lo is not None and (lo < _EARLIEST or hi > _LATEST or hi - lo > _SPAN):
            raise invalid("visit times", f"{lo} to {hi}", "visits within 136 years of each other, in the years 1 to 9999")
        return
    p, l, s, e = row["p"], row["l"], row["s"], row["e"]
    for value, name, expected in ((p, names[0], "an id"), (l, names[1], "an id"), (s, names[2], "a time"), (e, names[3], "a time")):
        if value is None:
            raise invalid(f"visit {name}", "null", f"{expected}, not null")
        if value == "":
            raise invalid(f"visit {name}", repr(value), "an id that is not blank")
    raise invalid("visit end", e, f"a time not before its start {s} (visit of `{p}` at `{l}`)")


def _bounds(moment: Any) -> Optional[Tuple[int, int]]:
    """Unix seconds that surely bracket the instant the core reads for
    ``moment`` (a naive time or a date may be in any zone: two days'
    margin); ``None`` when unknown (no filtering on it)."""
    if isinstance(moment, bool):
        return None
    if isinstance(moment, (int, np.integer)):
        return int(moment), int(moment)
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is not None and moment.utcoffset() is not None:
            t = moment.timestamp()
            return math.floor(t), math.ceil(t)
        t = moment.replace(tzinfo=datetime.timezone.utc).timestamp()
        return math.floor(t) - 2 * _DAY, math.ceil(t) + 2 * _DAY
    if isinstance(moment, datetime.date):
        t = int(datetime.datetime(moment.year, moment.month, moment.day, tzinfo=datetime.timezone.utc).timestamp())
        return t - 2 * _DAY, t + 3 * _DAY
    if isinstance(moment, str):
        text = moment.strip().replace("Z", "+00:00").replace("z", "+00:00")
        try:
            parsed = datetime.datetime.fromisoformat(text)
        except ValueError:
            return None
        got = _bounds(parsed)
        # A time given as text may still be read differently (a date as its
        # whole day): widen by a day on each side.
        return None if got is None else (got[0] - _DAY, got[1] + _DAY)
    return None


def _within(frame: DataFrame, lo: Optional[int], hi: Optional[int], min_overlap: int) -> DataFrame:
    """Rows that may intersect ``[lo, hi)`` and last at least ``min_overlap``."""
    # try_subtract: an end and a start far apart overflow as null (dropped),
    # not as an ArithmeticException.
    cond = F.try_subtract(F.col("e"), F.col("s")) >= F.lit(min_overlap)
    if hi is not None:
        cond = cond & (F.col("s") < F.lit(hi))
    if lo is not None:
        cond = cond & (F.col("e") > F.lit(lo))
    return frame.where(cond)


def _policy_dict(policy: _Policy) -> Dict[str, Any]:
    """The policy as the core resolves it (raises as the core does)."""
    return dict(Book.in_memory(policy=policy).policy)


def _min_overlap_floor(min_overlap: Any, policy: Dict[str, Any]) -> int:
    """A lower bound of the minimum overlap the core will apply (it is at
    least one second)."""
    if min_overlap is None:
        return max(1, int(policy["min_overlap_seconds"]))
    if isinstance(min_overlap, (int, np.integer)) and not isinstance(min_overlap, bool):
        return max(1, int(min_overlap))
    return 1


def _empty(kind: str, policy: _Policy) -> Visits:
    empty = np.array([], dtype=np.int64)
    persons: Any = empty if kind == "int" else []
    return Visits.from_columns(persons, empty, empty, empty, policy=policy)


def _case_ids(cases: Any, kind: str) -> List[Any]:
    """One id or a sequence of ids, as the person column holds them."""
    # One id (or anything that is not a list of them: refused below as one).
    if isinstance(cases, (str, bytes, int, float, np.generic)) or cases is None:
        cases = [cases]
    out: List[Any] = []
    for case in cases:
        if isinstance(case, bool) or not isinstance(case, (str, int, np.integer)):
            raise invalid("case", repr(case), "a person id (str or int)")
        if isinstance(case, (int, np.integer)) and not _MIN <= int(case) <= _MAX:
            raise invalid("case", str(case), "a person id within 64 bits")
        # Matched exactly as given, as one machine matches it: no trimming,
        # and text names an integer id only as that id's own digits.
        if kind == "int":
            if isinstance(case, str):
                if _CANONICAL_INT.fullmatch(case) and _MIN <= int(case) <= _MAX:
                    out.append(int(case))
                # Any other text ("001", " 1 ", other digits) names no person.
            else:
                out.append(int(case))
        else:
            out.append(str(case))
    return list(dict.fromkeys(out))


def _ids(column: Any, kind: str) -> Any:
    """A person column of an Arrow table as the core takes it (a null
    refused as ``Visits.from_columns`` refuses it)."""
    if column.null_count:
        raise invalid("visit person", "null", "an id, not null")
    if kind == "int":
        return np.asarray(column.to_numpy(), dtype=np.int64)
    return [str(x) for x in column.to_pylist()]


def _place_of(key: Any) -> Any:
    """The place of a partition's key; a null place refused."""
    place = key[0].as_py()
    if place is None:
        raise invalid("visit place", "null", "an id, not null")
    return place


def _id_array(values: Any, kind: str) -> Any:
    if kind == "int":
        return pa.array(np.asarray(values, dtype=np.int64), type=pa.int64())
    return pa.array([str(v) for v in values], type=pa.string())


def _times(table: Any, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(), dtype=np.int64)


def _blocks(frame: DataFrame, keys: Sequence[str], max_rows: Optional[int]) -> DataFrame:
    """``frame`` with a block number ``blk`` and the block's first second
    ``lo`` (null when the place is not split): places with more than
    ``max_rows`` rows are cut at quantiles of their starts, and each row goes
    to every block it intersects (see the module's notes)."""

    def unsplit(frame: DataFrame) -> DataFrame:
        return frame.withColumn("blk", F.lit(0)).withColumn("lo", F.lit(None).cast("long"))

    if max_rows is None:
        return unsplit(frame)
    if isinstance(max_rows, bool) or not isinstance(max_rows, (int, np.integer)) or max_rows < 1:
        raise invalid("max_rows", repr(max_rows), "a whole number of rows, at least 1, or None")
    spark = frame.sparkSession
    # Counted, cut and partitioned from one copy on the executors, not
    # computed again for each.
    frame = frame.localCheckpoint(eager=True)
    hot = frame.groupBy(*keys).count().where(F.col("count") > max_rows).collect()
    if not hot:
        return unsplit(frame)
    wanted = {tuple(r[k] for k in keys): math.ceil(2 * r["count"] / max_rows) for r in hot}
    n_max = min(max(wanted.values()), _MAX_BLOCKS)
    probs = [i / n_max for i in range(1, n_max)]
    key_schema = T.StructType([frame.schema[k] for k in keys])
    hot_keys = spark.createDataFrame([list(k) for k in wanted], key_schema)
    quantiles = (
        frame.join(F.broadcast(hot_keys), list(keys), "left_semi")
        .groupBy(*keys)
        .agg(F.percentile_approx("s", probs, 10_000).alias("q"))
        .collect()
    )
    rows = []
    for r in quantiles:
        key = tuple(r[k] for k in keys)
        n = min(wanted[key], n_max)
        q = r["q"]
        cuts = sorted({int(q[max(0, round(i * n_max / n) - 1)]) for i in range(1, n)})
        edges = [_MIN] + cuts + [_MAX]
        for i in range(len(edges) - 1):
            rows.append([*key, i, edges[i], edges[i + 1]])
    schema = T.StructType(
        [*key_schema.fields, T.StructField("blk", T.IntegerType()), T.StructField("blo", T.LongType()), T.StructField("bhi", T.LongType())]
    )
    blocks = spark.createDataFrame(rows, schema)
    renamed = blocks.select(*[F.col(k).alias(f"_b_{k}") for k in keys], "blk", "blo", "bhi")
    cond = reduce(
        lambda x, y: x & y,
        [F.col(k) == F.col(f"_b_{k}") for k in keys] + [F.col("s") < F.col("bhi"), F.col("e") > F.col("blo")],
    )
    joined = frame.join(F.broadcast(renamed), cond, "left")
    return joined.select(
        *[F.col(c) for c in frame.columns],
        F.coalesce(F.col("blk"), F.lit(0)).alias("blk"),
        # The first block has nothing carried in.
        F.when(F.col("blo") == F.lit(_MIN), F.lit(None).cast("long")).otherwise(F.col("blo")).alias("lo"),
    )


def _sentinel(persons: Any, kind: str) -> Any:
    """A person id that is not in ``persons``."""
    if kind == "int":
        present = set(np.unique(persons).tolist()) if len(persons) else set()
        candidate = int(persons.min()) - 1 if len(persons) and int(persons.min()) > _MIN else _MAX
        while candidate in present:
            candidate -= 1
        return candidate
    present_s = set(persons)
    candidate_s = "~ring~"
    while candidate_s in present_s:
        candidate_s += "~"
    return candidate_s


# ------------------------------------------------------------------ trace


def _trace_pairs(
    v: _Prepared,
    cases: List[Any],
    window: Tuple[Any, Any],
    min_overlap: Any,
    policy: _Policy,
    m: int,
    max_rows: Optional[int],
) -> DataFrame:
    """Per-partition trace rows ``cp, p, total, first`` (totals to sum and
    first contacts to take the minimum of, over ``cp, p``)."""
    spark = v.frame.sparkSession
    a, b = window
    lo = _bounds(a)
    hi = _bounds(b)
    rows = _within(v.frame, None if lo is None else lo[0], None if hi is None else hi[1], m)
    case_frame = spark.createDataFrame([[c] for c in cases], T.StructType([T.StructField("cp", v.person_type)]))
    own = rows.join(F.broadcast(case_frame), F.col("p") == F.col("cp")).select(
        F.col("l").alias("cl"), F.col("s").alias("cs"), F.col("e").alias("ce")
    )
    # Rows that overlap some visit of a case by the minimum, at its place
    # (the cases' own rows among them).
    near = rows.join(
        F.broadcast(own),
        (F.col("l") == F.col("cl")) & (F.col("s") <= F.col("ce") - m) & (F.col("e") >= F.col("cs") + m),
        "left_semi",
    )
    blocked = _blocks(near, ["l"], max_rows)
    kind = v.person_kind
    wanted = list(cases)

    def part(key: Any, table: Any) -> Any:
        _place_of(key)
        persons = _ids(table.column("p"), kind)
        s, e = _times(table, "s"), _times(table, "e")
        carried_from = table.column("lo")[0].as_py()
        out_c: List[Any] = []
        out_p: List[Any] = []
        out_t: List[np.ndarray] = []
        out_f: List[np.ndarray] = []
        present = _present(persons, wanted, kind)
        if present:
            place = np.zeros(len(s), dtype=np.int64)
            index = Visits.from_columns(persons, place, s, e, policy=policy)
            for case in present:
                got = index.trace(case, a, b, min_overlap=min_overlap)
                _extend(out_c, out_p, out_t, out_f, case, got, 1)
            if carried_from is not None:
                carried = s < carried_from
                sub = _take(persons, carried, kind)
                present_c = _present(sub, present, kind)
                if present_c:
                    index_c = Visits.from_columns(sub, place[carried], s[carried], e[carried], policy=policy)
                    for case in present_c:
                        got = index_c.trace(case, a, b, min_overlap=min_overlap)
                        _extend(out_c, out_p, out_t, out_f, case, got, -1)
        total = np.concatenate(out_t) if out_t else np.array([], dtype=np.int64)
        first = np.concatenate(out_f) if out_f else np.array([], dtype=np.int64)
        return pa.table(
            {
                "cp": _id_array(out_c, kind),
                "p": _id_array(out_p, kind),
                "total": pa.array(total, type=pa.int64()),
                # Pairs found again (sign -1) add nothing to the minimum.
                "first": pa.array(first, type=pa.int64(), mask=np.asarray(first == _MIN, dtype=bool)),
            }
        )

    schema = T.StructType(
        [
            T.StructField("cp", v.person_type),
            T.StructField("p", v.person_type),
            T.StructField("total", T.LongType()),
            T.StructField("first", T.LongType()),
        ]
    )
    return blocked.groupBy("l", "blk").applyInArrow(part, schema)


def _present(persons: Any, cases: Sequence[Any], kind: str) -> List[Any]:
    if kind == "int":
        if not len(persons):
            return []
        have = set(np.unique(persons).tolist())
    else:
        have = set(persons)
    return [c for c in cases if c in have]


def _take(persons: Any, mask: np.ndarray, kind: str) -> Any:
    if kind == "int":
        return persons[mask]
    return [p for p, keep in zip(persons, mask.tolist()) if keep]


def _extend(out_c: list, out_p: list, out_t: list, out_f: list, case: Any, got: Any, sign: int) -> None:
    ids = got["person_id"]
    n = len(ids)
    out_c.extend([case] * n)
    out_p.extend(ids.tolist() if hasattr(ids, "tolist") else list(ids))
    out_t.append(np.asarray(got["total_overlap"], dtype=np.int64) * sign)
    first = np.asarray(got["first_contact"], dtype=np.int64)
    out_f.append(first if sign > 0 else np.full(n, _MIN, dtype=np.int64))


def _check_trace(v: _Prepared, cases: List[Any], window: Tuple[Any, Any], min_overlap: Any, policy: _Policy) -> None:
    """The core reads the window and the minimum as the one-machine query
    would (and raises as it would)."""
    if not isinstance(window, (tuple, list)) or len(window) != 2:
        raise invalid("window", repr(window), "(start, end): the window [start, end)")
    empty = _empty(v.person_kind, policy)
    for case in cases or [0 if v.person_kind == "int" else "x"]:
        empty.trace(case, window[0], window[1], min_overlap=min_overlap)


def trace(
    visits: DataFrame,
    cases: Union[str, int, Sequence[Union[str, int]]],
    window: Tuple[_Moment, _Moment],
    *,
    min_overlap: Optional[int] = None,
    policy: _Policy = None,
    person_id: str = "person_id",
    place_id: str = "place_id",
    start: str = "start",
    end: str = "end",
    max_rows: Optional[int] = DEFAULT_MAX_ROWS,
    check: bool = False,
) -> DataFrame:
    """Trace(C, W) of each case C, as ``Visits.trace(C, *window)`` gives it.

    visits: a Spark DataFrame of visits (see the module's notes for types).
    cases: one person id, or a sequence of them; each is traced on its own
        (a case may be a contact of another).
    window: ``(start, end)``, the half-open window ``[start, end)``: aware
        or naive datetimes (naive ones in the policy's zone), ISO text or
        Unix seconds, read by the core.
    min_overlap: seconds (the policy's minimum when omitted), from 1 s to a year.
    policy: a preset name or a policy dict, as ``Visits.from_columns`` takes.
    max_rows: rows of a place (after the filters) past which it is split
        into time blocks of about half as many (at most 512 blocks a
        place); ``None``: never split, and no sizing jobs.
    check: scan all the visits first for a row ``Visits.from_columns``
        refuses, and raise ``InvalidValue`` for it (see the module's notes).

    Returns a DataFrame ``case_person_id, person_id, total_overlap`` (long,
    seconds: the sum of the overlaps of every contact pair, not clipped to
    the window), ``first_contact`` (timestamp: the earliest start of an
    overlap), one row per case and contact, in no order (sort with
    ``id_sort_key`` for the one-machine order). Id columns have the type of
    the person column (long or string).

    A pair is two visits of different persons at one place, both
    intersecting the window, overlapping by at least the minimum.

    The window, minimum and policy are read by the core on the driver
    first, and raise ``InvalidValue`` (a ``ValueError``) as one machine's
    trace would; so do a missing or mistyped column. Calling runs the jobs
    that size the partitions (rows per place after the filters, quantiles
    of the busiest); the answer is computed when the DataFrame is used.
    """
    prepared = _prepare(visits, person_id, place_id, start, end, check)
    ids = _case_ids(cases, prepared.person_kind)
    _check_trace(prepared, ids, window, min_overlap, policy)
    m = _min_overlap_floor(min_overlap, _policy_dict(policy))
    if not ids:
        return _empty_frame(prepared.frame.sparkSession, prepared, trace=True)
    pairs = _trace_pairs(prepared, ids, (window[0], window[1]), min_overlap, policy, m, max_rows)
    return (
        pairs.groupBy("cp", "p")
        .agg(F.sum("total").alias("total_overlap"), F.min("first").alias("first"))
        .select(
            F.col("cp").alias("case_person_id"),
            F.col("p").alias("person_id"),
            F.col("total_overlap"),
            F.timestamp_seconds(F.col("first")).alias("first_contact"),
        )
    )


def _empty_frame(spark: Any, v: _Prepared, trace: bool) -> DataFrame:
    fields = [T.StructField("case_person_id", v.person_type), T.StructField("person_id", v.person_type)]
    if trace:
        fields += [T.StructField("total_overlap", T.LongType()), T.StructField("first_contact", T.TimestampType())]
    return spark.createDataFrame([], T.StructType(fields))


# ------------------------------------------------------------------ second ring


def second_ring(
    visits: DataFrame,
    cases: Union[str, int, Sequence[Union[str, int]]],
    window: Tuple[_Moment, _Moment],
    *,
    min_overlap: Optional[int] = None,
    policy: _Policy = None,
    person_id: str = "person_id",
    place_id: str = "place_id",
    start: str = "start",
    end: str = "end",
    max_rows: Optional[int] = DEFAULT_MAX_ROWS,
    check: bool = False,
) -> DataFrame:
    """Second ring(C, W) of each case C, as ``Visits.second_ring(C, *window)``:
    the persons in a contact pair in the window with a person of Trace(C, W),
    minus those persons and C. Arguments as :func:`trace`.

    Two stages: the first ring (the trace's persons), kept on the executors
    (``localCheckpoint``); then, at every place a first-ring person visited,
    the first ring's rows taken as one person's (an id absent from the
    partition), whose trace there is every person they met (the first ring
    itself met only under that one id, so never listed); the union, less
    the first ring and C.

    Returns a DataFrame ``case_person_id, person_id``, one row per case and
    person, in no order. Runs the first stage's jobs when called.
    """
    prepared = _prepare(visits, person_id, place_id, start, end, check)
    ids = _case_ids(cases, prepared.person_kind)
    _check_trace(prepared, ids, window, min_overlap, policy)
    spark = prepared.frame.sparkSession
    if not ids:
        return _empty_frame(spark, prepared, trace=False)
    m = _min_overlap_floor(min_overlap, _policy_dict(policy))
    a, b = tuple(window)
    ring1 = _trace_pairs(prepared, ids, (a, b), min_overlap, policy, m, max_rows).select("cp", "p").distinct()
    ring1 = ring1.localCheckpoint(eager=True)
    lo, hi = _bounds(a), _bounds(b)
    rows = _within(prepared.frame, None if lo is None else lo[0], None if hi is None else hi[1], m)
    rings = ring1.groupBy(F.col("p").alias("rp")).agg(F.collect_set("cp").alias("rc"))
    tagged = rows.join(rings, F.col("p") == F.col("rp"), "left").drop("rp")
    places = tagged.where(F.col("rc").isNotNull()).select(F.col("l").alias("rl")).distinct()
    at_places = tagged.join(places, F.col("l") == F.col("rl"), "left_semi")
    blocked = _blocks(at_places, ["l"], max_rows)
    kind = prepared.person_kind

    def part(key: Any, table: Any) -> Any:
        _place_of(key)
        persons = _ids(table.column("p"), kind)
        rc = table.column("rc").combine_chunks()
        flat = pc.list_flatten(rc)
        out_c: List[Any] = []
        out_p: List[Any] = []
        if len(flat):
            parents = np.asarray(pc.list_parent_indices(rc).to_numpy(), dtype=np.int64)
            flat_ids = _ids(flat, kind)
            s, e = _times(table, "s"), _times(table, "e")
            place = np.zeros(len(s), dtype=np.int64)
            sentinel = _sentinel(persons, kind)
            by_case: Dict[Any, List[int]] = {}
            for case, row in zip(flat_ids.tolist() if kind == "int" else flat_ids, parents.tolist()):
                by_case.setdefault(case, []).append(row)
            for case, members in by_case.items():
                if kind == "int":
                    relabelled: Any = persons.copy()
                    relabelled[members] = sentinel
                else:
                    relabelled = list(persons)
                    for i in members:
                        relabelled[i] = sentinel
                index = Visits.from_columns(relabelled, place, s, e, policy=policy)
                met = index.trace(sentinel, a, b, min_overlap=min_overlap)["person_id"]
                met_list = met.tolist() if hasattr(met, "tolist") else list(met)
                out_c.extend([case] * len(met_list))
                out_p.extend(met_list)
        return pa.table({"cp": _id_array(out_c, kind), "p": _id_array(out_p, kind)})

    schema = T.StructType([T.StructField("cp", prepared.person_type), T.StructField("p", prepared.person_type)])
    met = blocked.groupBy("l", "blk").applyInArrow(part, schema).distinct()
    ring2 = met.join(ring1, ["cp", "p"], "left_anti").where(F.col("p") != F.col("cp"))
    return ring2.select(F.col("cp").alias("case_person_id"), F.col("p").alias("person_id"))


# ------------------------------------------------------------------ day graph


def day_graph_edges(
    visits: DataFrame,
    day: _Day,
    *,
    min_overlap: Optional[int] = None,
    policy: _Policy = None,
    person_id: str = "person_id",
    place_id: str = "place_id",
    start: str = "start",
    end: str = "end",
    max_rows: Optional[int] = DEFAULT_DAY_GRAPH_MAX_ROWS,
    budget: Optional[int] = None,
    check: bool = False,
) -> DataFrame:
    """The edges of the co-presence graph of a local day, as
    ``Visits.day_graph(day, edges=True)["edge_list"]``: a DataFrame ``a, b``
    (the person column's type), one row per pair of persons with a contact
    pair in ``[day_start, day_start + 86400)`` (the day's midnight in the
    policy's zone), ``a`` before ``b`` in the core's id order
    (:func:`id_sort_key`), in no row order.

    day: a date, a time on that day (aware, or naive in the policy's zone),
        ISO text or Unix seconds, read by the core.
    max_rows: as :func:`trace`, but 20,000 by default
        (``DEFAULT_DAY_GRAPH_MAX_ROWS``): a block's edges grow with the
        square of its rows.
    budget: bytes the core may use per partition (1 GiB when omitted); a
        partition past it fails with ``TooLarge`` (inside a
        ``PythonException``): lower ``max_rows``. The whole edge list is
        Spark's.
    Other arguments as :func:`trace`.
    """
    prepared = _prepare(visits, person_id, place_id, start, end, check)
    _empty(prepared.person_kind, policy).day_graph(day, min_overlap=min_overlap, budget=budget)
    m = _min_overlap_floor(min_overlap, _policy_dict(policy))
    bounds = _bounds(day)
    lo = None if bounds is None else bounds[0] - 2 * _DAY
    hi = None if bounds is None else bounds[1] + 2 * _DAY
    rows = _within(prepared.frame, lo, hi, m)
    blocked = _blocks(rows, ["l"], max_rows)
    kind = prepared.person_kind

    def part(key: Any, table: Any) -> Any:
        _place_of(key)
        persons = _ids(table.column("p"), kind)
        s, e = _times(table, "s"), _times(table, "e")
        index = Visits.from_columns(persons, np.zeros(len(s), dtype=np.int64), s, e, policy=policy)
        got = index.day_graph(day, min_overlap=min_overlap, edges=True, budget=budget)["edge_list"]
        return pa.table({"a": _id_array(got["a"], kind), "b": _id_array(got["b"], kind)})

    schema = T.StructType([T.StructField("a", prepared.person_type), T.StructField("b", prepared.person_type)])
    return blocked.groupBy("l", "blk").applyInArrow(part, schema).distinct()


def day_graph(
    visits: DataFrame,
    day: _Day,
    *,
    min_overlap: Optional[int] = None,
    policy: _Policy = None,
    edges: bool = False,
    person_id: str = "person_id",
    place_id: str = "place_id",
    start: str = "start",
    end: str = "end",
    max_rows: Optional[int] = DEFAULT_DAY_GRAPH_MAX_ROWS,
    budget: Optional[int] = None,
    check: bool = False,
) -> Dict[str, Any]:
    """The summary of a day's co-presence graph, as ``Visits.day_graph(day)``:
    a dict of ``edges`` (distinct edges), ``max_degree``,
    ``max_degree_person`` (the smallest id, in the core's id order, among
    those with the largest degree; ``None`` without edges),
    ``persons_with_edge``; with ``edges=True`` also ``edge_list``, the lazy
    DataFrame of :func:`day_graph_edges`. Runs two jobs over the edges (kept
    on the executors in between). Arguments as :func:`day_graph_edges`.
    """
    edge_list = day_graph_edges(
        visits,
        day,
        min_overlap=min_overlap,
        policy=policy,
        person_id=person_id,
        place_id=place_id,
        start=start,
        end=end,
        max_rows=max_rows,
        budget=budget,
        check=check,
    )
    ends = edge_list.select(F.col("a").alias("x")).unionAll(edge_list.select(F.col("b").alias("x")))
    degrees = ends.groupBy("x").count().localCheckpoint(eager=True)
    figures = degrees.agg(F.count(F.lit(1)).alias("persons"), F.sum("count").alias("ends"), F.max("count").alias("top")).collect()[0]
    top = int(figures["top"] or 0)
    hub = None
    if top:
        tied = [r["x"] for r in degrees.where(F.col("count") == top).select("x").collect()]
        hub = min(tied, key=id_sort_key)
    out: Dict[str, Any] = {
        "edges": int(figures["ends"] or 0) // 2,
        "max_degree": top,
        "persons_with_edge": int(figures["persons"] or 0),
        "max_degree_person": hub,
    }
    if edges:
        out["edge_list"] = edge_list
    return out


# ------------------------------------------------------------------ close contacts


def _case_records(cases: Any, policy: _Policy) -> List[Dict[str, Any]]:
    """Cases as ``read_cases`` gives them: a list of its dicts as it is,
    anything else (a frame, CSV text) read by it."""
    if isinstance(cases, list) and all(isinstance(c, dict) for c in cases):
        return [dict(c) for c in cases]
    return list(read_cases(cases, policy=policy))


def _stretches(values: Any) -> List[int]:
    return [int(t.timestamp()) if isinstance(t, datetime.datetime) else int(t) for t in values]


def _co_presence(table: Any) -> Iterable[Tuple[str, str, List[int], List[int]]]:
    """(person, place, starts, ends) of each co-presence evidence of a
    ``Book.close_contacts`` table."""
    if not len(table):
        return
    rules = table["evidence_rule"]
    for i, person in enumerate(table["person"].tolist()):
        for j, rule in enumerate(rules[i]):
            if rule != "co_presence":
                continue
            yield (
                str(person),
                str(table["evidence_place"][i][j]),
                _stretches(table["evidence_stretches_start"][i][j]),
                _stretches(table["evidence_stretches_end"][i][j]),
            )


_EVIDENCE_ROWS = T.StructType(
    [
        T.StructField("ci", T.IntegerType()),
        T.StructField("person", T.StringType()),
        T.StructField("place", T.StringType()),
        T.StructField("starts", T.ArrayType(T.LongType())),
        T.StructField("ends", T.ArrayType(T.LongType())),
    ]
)


def _evidence_table(rows: List[Tuple[int, str, str, List[int], List[int]]]) -> Any:
    return pa.table(
        {
            "ci": pa.array([r[0] for r in rows], type=pa.int32()),
            "person": pa.array([r[1] for r in rows], type=pa.string()),
            "place": pa.array([r[2] for r in rows], type=pa.string()),
            "starts": pa.array([r[3] for r in rows], type=pa.list_(pa.int64())),
            "ends": pa.array([r[4] for r in rows], type=pa.list_(pa.int64())),
        }
    )


def _book_of(policy: Dict[str, Any], persons: List[str], places: List[str], s: Any, e: Any, case: Dict[str, Any]) -> Any:
    """``Book.close_contacts`` of one case on these visits (in memory)."""
    book = Book.in_memory(policy=policy)
    visits = pa.table(
        {
            "person_id": pa.array(persons, type=pa.string()),
            "place_id": pa.array(places, type=pa.string()),
            "start": pa.array(np.asarray(s, dtype=np.int64), type=pa.int64()),
            "end": pa.array(np.asarray(e, dtype=np.int64), type=pa.int64()),
        }
    )
    book.import_records("visits", visits, by=_BY, at=_FAR)
    book.execute({"type": "confirm_case", "case": case}, by=_BY, at=_FAR)
    return book.close_contacts([case["id"]])


def close_contacts(
    visits: DataFrame,
    cases: Any,
    *,
    policy: _Policy = None,
    person_id: str = "person_id",
    place_id: str = "place_id",
    start: str = "start",
    end: str = "end",
    check: bool = False,
) -> DataFrame:
    """The close contacts of ``cases`` by co-presence, with their evidence,
    as ``Book.close_contacts`` gives them for a book holding these visits
    and cases (and no households or interviews: those small registries
    stay in a ``Book``).

    cases: the cases as ``precinct.read_cases`` reads them (a frame or CSV
        text of ``case_id, person_id, onset, confirmed, infected_by``), or
        the list of dicts it returns. Each case's exposure window comes from
        the policy, read by the core; the cases' own persons are never
        contacts.
    policy: a preset name or a policy dict: its presence gap, minimum, rule
        (continuous, cumulative or pairwise) and exposure window.

    Returns a DataFrame with the co-presence columns of
    ``Book.close_contacts``, one row per contact, in no order (sort by
    ``person`` with :func:`id_sort_key`): ``person`` (string),
    ``cases`` (array of case ids, in id order), ``evidence_rule`` (all
    ``co_presence``), ``evidence_place`` (string), ``evidence_first_contact``
    (timestamps), ``evidence_overlap_seconds`` (long),
    ``evidence_stretches_start``, ``evidence_stretches_end`` (arrays of
    timestamps per evidence), ``overlap_seconds`` (long),
    ``first_contact``, ``last_exposure`` (timestamps). Evidence comes in the
    book's order: by case (as given), then by place in id order.

    Raises as ``Book.confirm_cases`` and ``Book.close_contacts`` would (the
    cases are checked by the core on the driver first).
    """
    prepared = _prepare(visits, person_id, place_id, start, end, check)
    records = _case_records(cases, policy)
    # The core checks the cases and their windows, on no visits.
    probe = Book.in_memory(policy=policy)
    for case in records:
        probe.execute({"type": "confirm_case", "case": case}, by=_BY, at=_FAR)
    probe.close_contacts([c["id"] for c in records])
    resolved = dict(probe.policy)
    gap = max(0, int(resolved["presence_gap_seconds"]))
    rule = resolved["exposure_rule"]
    # Every stretch, for the cumulative rule to judge across places later.
    first_policy = dict(resolved, exposure_rule="continuous", min_overlap_seconds=1) if rule == "cumulative" else resolved
    spark = prepared.frame.sparkSession
    frame = prepared.frame.select(
        F.col("p").cast("string").alias("p"), F.col("l").cast("string").alias("l"), "s", "e"
    )
    case_persons = sorted({str(c["person"]) for c in records})
    if not records:
        return _contacts_frame(spark.createDataFrame([], _EVIDENCE_ROWS), records)
    own = frame.where(F.col("p").isin(case_persons)).collect()
    by_person: Dict[str, Dict[str, List[Tuple[int, int]]]] = {}
    for r in own:
        by_person.setdefault(r["p"], {}).setdefault(r["l"], []).append((int(r["s"]), int(r["e"])))
    groups = []
    for ci, case in enumerate(records):
        for place, spans in by_person.get(str(case["person"]), {}).items():
            spans.sort()
            g, first, last = 0, spans[0][0], spans[0][1]
            for s, e in spans[1:]:
                if s - last > gap:
                    groups.append([ci, place, g, first - gap - 1, last + gap + 1])
                    g, first = g + 1, s
                last = max(last, e)
            groups.append([ci, place, g, first - gap - 1, last + gap + 1])
    if not groups:
        return _contacts_frame(spark.createDataFrame([], _EVIDENCE_ROWS), records)
    group_frame = spark.createDataFrame(
        groups,
        T.StructType(
            [
                T.StructField("ci", T.IntegerType()),
                T.StructField("gl", T.StringType()),
                T.StructField("g", T.IntegerType()),
                T.StructField("glo", T.LongType()),
                T.StructField("ghi", T.LongType()),
            ]
        ),
    )
    near = frame.join(
        F.broadcast(group_frame),
        (F.col("l") == F.col("gl")) & (F.col("s") < F.col("ghi")) & (F.col("e") > F.col("glo")),
    ).select("ci", "g", "p", "l", "s", "e")

    def part(key: Any, table: Any) -> Any:
        ci = int(table.column("ci")[0].as_py())
        got = _book_of(
            first_policy,
            [str(x) for x in table.column("p").to_pylist()],
            [str(x) for x in table.column("l").to_pylist()],
            _times(table, "s"),
            _times(table, "e"),
            records[ci],
        )
        return _evidence_table([(ci, *row) for row in _co_presence(got)])

    found = near.groupBy("ci", "l", "g").applyInArrow(part, _EVIDENCE_ROWS)
    if rule == "cumulative":
        found = found.groupBy("ci").applyInArrow(_cumulative_stage(resolved, records), _EVIDENCE_ROWS)
    return _contacts_frame(found, records)


def _cumulative_stage(policy: Dict[str, Any], records: List[Dict[str, Any]]) -> Callable[[Any, Any], Any]:
    """Per case: which stretches count under the cumulative rule, judged by
    the core on the same stretches (each at a place of its own, where the
    case and the person share exactly that stretch)."""

    def part(key: Any, table: Any) -> Any:
        ci = int(table.column("ci")[0].as_py())
        case = records[ci]
        who = str(case["person"])
        persons: List[str] = []
        places: List[str] = []
        starts: List[int] = []
        ends: List[int] = []
        real: Dict[str, str] = {}
        for person, place, s_list, e_list in zip(
            table.column("person").to_pylist(), table.column("place").to_pylist(), table.column("starts").to_pylist(), table.column("ends").to_pylist()
        ):
            for s, e in zip(s_list, e_list):
                fake = str(len(real))
                real[fake] = place
                persons += [who, person]
                places += [fake, fake]
                starts += [s, s]
                ends += [e, e]
        if not real:
            return _evidence_table([])
        got = _book_of(policy, persons, places, starts, ends, case)
        return _evidence_table([(ci, person, real[fake], s, e) for person, fake, s, e in _co_presence(got)])

    return part


def _contacts_frame(found: DataFrame, records: List[Dict[str, Any]]) -> DataFrame:
    """Per person: the evidence of every case, merged and ordered as the
    book orders it, and the contact's totals."""
    case_persons = {str(c["person"]) for c in records}
    case_ids = [str(c["id"]) for c in records]

    def part(key: Any, table: Any) -> Any:
        person = str(key[0].as_py())
        if person in case_persons:
            return _contacts_table([])
        merged: Dict[Tuple[int, str], List[Tuple[int, int]]] = {}
        for ci, place, s_list, e_list in zip(
            table.column("ci").to_pylist(), table.column("place").to_pylist(), table.column("starts").to_pylist(), table.column("ends").to_pylist()
        ):
            merged.setdefault((ci, place), []).extend(zip(s_list, e_list))
        evidence = sorted(merged.items(), key=lambda kv: (kv[0][0], id_sort_key(kv[0][1])))
        places, firsts, overlaps, starts, ends = [], [], [], [], []
        for (ci, place), spans in evidence:
            spans.sort()
            places.append(place)
            firsts.append(spans[0][0])
            overlaps.append(sum(e - s for s, e in spans))
            starts.append([s for s, _ in spans])
            ends.append([e for _, e in spans])
        cases = sorted({case_ids[ci] for (ci, _), _ in evidence}, key=id_sort_key)
        row = (
            person,
            cases,
            ["co_presence"] * len(places),
            places,
            firsts,
            overlaps,
            starts,
            ends,
            sum(overlaps),
            min(firsts),
            max(max(e) for e in ends),
        )
        return _contacts_table([row])

    raw = found.groupBy("person").applyInArrow(part, _CONTACT_ROWS)
    seconds = F.timestamp_seconds
    return raw.select(
        "person",
        "cases",
        "evidence_rule",
        "evidence_place",
        F.transform("evidence_first_contact", lambda x: seconds(x)).alias("evidence_first_contact"),
        "evidence_overlap_seconds",
        F.transform("evidence_stretches_start", lambda xs: F.transform(xs, lambda x: seconds(x))).alias("evidence_stretches_start"),
        F.transform("evidence_stretches_end", lambda xs: F.transform(xs, lambda x: seconds(x))).alias("evidence_stretches_end"),
        "overlap_seconds",
        seconds(F.col("first_contact")).alias("first_contact"),
        seconds(F.col("last_exposure")).alias("last_exposure"),
    )


_CONTACT_ROWS = T.StructType(
    [
        T.StructField("person", T.StringType()),
        T.StructField("cases", T.ArrayType(T.StringType())),
        T.StructField("evidence_rule", T.ArrayType(T.StringType())),
        T.StructField("evidence_place", T.ArrayType(T.StringType())),
        T.StructField("evidence_first_contact", T.ArrayType(T.LongType())),
        T.StructField("evidence_overlap_seconds", T.ArrayType(T.LongType())),
        T.StructField("evidence_stretches_start", T.ArrayType(T.ArrayType(T.LongType()))),
        T.StructField("evidence_stretches_end", T.ArrayType(T.ArrayType(T.LongType()))),
        T.StructField("overlap_seconds", T.LongType()),
        T.StructField("first_contact", T.LongType()),
        T.StructField("last_exposure", T.LongType()),
    ]
)


def _contacts_table(rows: List[Tuple[Any, ...]]) -> Any:
    columns: List[Any] = list(zip(*rows)) if rows else [[] for _ in _CONTACT_ROWS.fields]
    types = [
        pa.string(),
        pa.list_(pa.string()),
        pa.list_(pa.string()),
        pa.list_(pa.string()),
        pa.list_(pa.int64()),
        pa.list_(pa.int64()),
        pa.list_(pa.list_(pa.int64())),
        pa.list_(pa.list_(pa.int64())),
        pa.int64(),
        pa.int64(),
        pa.int64(),
    ]
    return pa.table({f.name: pa.array(list(c), type=t) for f, c, t in zip(_CONTACT_ROWS.fields, columns, types)})
