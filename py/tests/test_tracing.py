"""Co-presence queries on columns: shared scenarios, DataFrames in and out,
pickling, and the domain trace of the demo town."""

import datetime as dt
import pickle
import sys

import numpy as np
import pytest

import precinct
from conftest import cases

SCENARIOS = cases("tracing_scenarios.json")["scenarios"]


def visits_of(rows):
    person, place, start, end = zip(*rows)
    return precinct.Visits.from_columns(list(person), list(place), np.array(start, dtype=np.int64), np.array(end, dtype=np.int64))


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s["name"][:40])
def test_shared_scenarios(s):
    v = visits_of(s["visits"])
    a, b = s["window"]
    t = v.trace(s["person"], a, b, min_overlap=s["min_overlap"])
    got = list(zip(t["person_id"].tolist(), t["total_overlap"].tolist(), t["first_contact"].tolist()))
    assert got == [tuple(r) for r in s["trace"]]
    ring = v.second_ring(s["person"], a, b, min_overlap=s["min_overlap"])
    assert ring["person_id"].tolist() == s["second_ring"]


def test_integer_columns_from_pandas_and_polars_agree():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    frame = pd.DataFrame(
        {
            "person_id": [1, 2, 3, 1],
            "place_id": [10, 10, 10, 11],
            "start": pd.to_datetime(["2020-01-26 08:00", "2020-01-26 08:10", "2020-01-26 08:50", "2020-01-26 12:00"], utc=True),
            "end": pd.to_datetime(["2020-01-26 09:00", "2020-01-26 09:30", "2020-01-26 09:30", "2020-01-26 13:00"], utc=True),
        }
    )
    pa = pytest.importorskip("pyarrow")
    v = precinct.visits_from_frame(frame)
    w = precinct.visits_from_frame(pl.from_pandas(frame))
    assert precinct.visits_from_frame(pa.Table.from_pandas(frame)).trace(1, 0, 4_102_444_800).to_dict() == v.trace(1, 0, 4_102_444_800).to_dict()
    assert len(v) == len(w) == 4
    start, end = dt.datetime(2020, 1, 26, tzinfo=dt.timezone.utc), dt.datetime(2020, 1, 27, tzinfo=dt.timezone.utc)
    t = v.trace(1, start, end)
    assert t["person_id"].dtype == np.int64
    assert t["person_id"].tolist() == [2]
    assert t["total_overlap"].tolist() == [3000]
    df = t.to_pandas()
    # The instant, shown in the policy's zone (China Standard Time).
    assert str(df["first_contact"].iloc[0]) == "2020-01-26 16:10:00+08:00"
    assert t.to_polars().height == 1
    assert w.trace(1, start, end).to_dict() == t.to_dict()
    g = v.day_graph(start, edges=True)
    assert (g["edges"], g["max_degree"], g["max_degree_person"], g["persons_with_edge"]) == (2, 2, 2, 3)
    assert g["edge_list"].to_dict() == {"a": [1, 2], "b": [2, 3]}
    # The scan of raw columns gives the indexed answer.
    cols = [np.asarray(frame[c]) for c in ("person_id", "place_id")]
    secs = [frame[c].dt.tz_localize(None).to_numpy().astype("datetime64[s]").astype(np.int64) for c in ("start", "end")]
    scan = precinct.trace_columns(cols[0], cols[1], secs[0], secs[1], 1, start, end)
    assert scan.to_dict() == t.to_dict()


def test_ids_that_only_look_like_numbers_stay_text():
    v = visits_of([["007", "m", 0, 3600], ["7", "m", 0, 3600]])
    assert v.trace("7", 0, 10_000)["person_id"].tolist() == ["007"]


def test_visits_pickle_and_csv_round_trip():
    v = visits_of([["a", "m", 0, 3600], ["b", "m", 1800, 7200]])
    assert repr(pickle.loads(pickle.dumps(v))) == repr(v)
    again = precinct.Visits.from_csv(v.to_csv())
    assert again.trace("a", 0, 10_000)["person_id"].tolist() == ["b"]
    assert v.index_bytes > 0 and v.persons == 2 and v.places == 1


def test_bad_columns_raise_value_errors():
    with pytest.raises(precinct.InvalidValue):
        precinct.Visits.from_columns(np.array([1], dtype=np.int64), np.array([1, 2], dtype=np.int64), np.array([0], dtype=np.int64), np.array([1], dtype=np.int64))
    with pytest.raises(precinct.InvalidValue):
        visits_of([["a", "m", 10, 5]])
    with pytest.raises(precinct.DataImportError) as e:
        precinct.Visits.from_csv("person_id,place_id,start,end\na,m,2020-01-01 10:00,yesterday\n")
    assert (e.value.line, e.value.column) == (2, "end")
    with pytest.raises(precinct.InvalidValue):
        visits_of([["a", "m", 0, 5]]).trace("a", object(), 5)


def test_the_demo_family_contacts(demo):
    found = demo.close_contacts(["C1", "C2", "C3"])
    assert len(found) == 29
    rules = {rule for c in found for rule in c["evidence_rule"]}
    assert rules == {"co_presence", "co_resident", "interview"}
    assert all(isinstance(c["last_exposure"], dt.datetime) for c in found)
    report = demo.chains()
    assert len(report["longest_chain"]) == 2 and report["longest_chain"][0] == "C1"


def test_chains_of_the_mers_outbreak():
    from conftest import shared_rows

    cases_rows = shared_rows("mers_korea_2015/linelist.csv")
    links = {r["to"]: r["from"] for r in shared_rows("mers_korea_2015/contacts.csv")}
    lines = ["case_id,person_id,onset,confirmed,infected_by"]
    for r in cases_rows:
        confirmed = r["dt_diag"] or r["dt_report"]
        lines.append(f"{r['id']},{r['id']},{r['dt_onset']},{confirmed},{links.get(r['id'], '')}")
    report = precinct.chains(precinct.read_cases("\n".join(lines) + "\n"))
    top = max(report["secondary_cases"].items(), key=lambda kv: kv[1])
    assert top[0] == "SK_14"


TIME_FORMS = cases("time_forms.json")["visit_times"]


@pytest.mark.parametrize("c", TIME_FORMS, ids=lambda c: c["text"])
def test_visit_times_as_real_files_write_them(c):
    text = f"person_id,place_id,start,end\np,m,{c['text']},{c['text']}\n"
    if "error" in c:
        with pytest.raises(precinct.DataImportError) as e:
            precinct.Visits.from_csv(text)
        assert c["error"] in str(e.value)
        return
    written = precinct.Visits.from_csv(text).to_csv().splitlines()[1].split(",")
    assert int(dt.datetime.fromisoformat(written[2]).timestamp()) == c["start"]


CONTACT_SCENARIOS = cases("close_contact_scenarios.json")["scenarios"]


def _unix(text):
    """A naive time of the scenarios (UTC+8, as their description says) as Unix seconds."""
    return int(dt.datetime.fromisoformat(text.replace(" ", "T") + "+08:00").timestamp())


@pytest.mark.parametrize("s", CONTACT_SCENARIOS, ids=lambda s: s["name"][:40])
def test_shared_close_contact_scenarios(s):
    book = precinct.Book.in_memory(policy=s["policy"])
    at = dt.datetime(2020, 3, 1, 9, 0)
    rows = [line.split(",") for line in s["visits"].splitlines()[1:]]
    visits = [{"person": p, "place": q, "start": _unix(a), "end": _unix(b)} for p, q, a, b in rows]
    book.execute({"type": "record_visits", "visits": visits}, by="desk", at=at)
    for case in precinct.read_cases(s["cases"], policy=s["policy"]):
        book.execute({"type": "confirm_case", "case": case}, by="desk", at=at)
    got = [
        [c["person"], c["overlap_seconds"], c["first_contact"].astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")]
        for c in book.close_contacts()
    ]
    assert got == s["contacts"]


def test_a_day_graph_over_its_budget_raises_too_large():
    v = visits_of([[f"p{i}", "m", 0, 3600] for i in range(100)])
    assert v.day_graph(0)["edges"] == 4950
    # The summary needs memory for the persons only; the edges 8 bytes each.
    assert v.day_graph(0, budget=4000)["persons_with_edge"] == 100
    with pytest.raises(precinct.TooLarge) as e:
        v.day_graph(0, edges=True, budget=4000)
    assert e.value.code == "too_large"
    assert e.value.budget == 4000 and e.value.needed > 4950 * 8
    assert isinstance(e.value, precinct.PrecinctError)
    with pytest.raises(precinct.TooLarge):
        v.day_graph(0, budget=100)


def _day_graph_edges(v):
    return v.day_graph(0)["edges"]


@pytest.mark.skipif(sys.platform != "linux", reason="fork is the Linux default of multiprocessing")
def test_a_forked_process_uses_every_core_without_hanging():
    """A child forked after the parent used the worker threads (Python's
    multiprocessing on Linux, a Spark worker) gets workers of its own."""
    import multiprocessing

    v = visits_of([[f"p{i}", "m", 0, 3600] for i in range(100)])
    assert _day_graph_edges(v) == 4950  # the parent's workers now exist
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply_async(_day_graph_edges, (v,)).get(timeout=60) == 4950
