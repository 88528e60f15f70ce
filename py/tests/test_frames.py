"""Issue 14: notebook-native analysis. Frames in (pandas, polars, pyarrow,
with the column names as keyword arguments, missing values understood, a
bad cell named by row and column), frames out (one call, the Arrow
PyCapsule interface, times in the policy's zone), rich display, progress."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import numpy as np
import pytest

import precinct

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
CST = zoneinfo.ZoneInfo("Asia/Shanghai")

LINE_LIST = """patient_id,infected_by,symptom_onset_date,confirmed_date
A,,2020-01-20,2020-01-22
B,A,2020-01-25,2020-01-27
C,A;X,,2020-01-28
D,B,2020-01-29,
D,C,2020-01-29,2020-01-31
"""


def line_list_frame():
    return pd.DataFrame(
        {
            "patient_id": ["A", "B", "C", "D", "D"],
            "infected_by": [None, "A", "A;X", "B", "C"],
            "symptom_onset_date": pd.to_datetime(["2020-01-20", "2020-01-25", None, "2020-01-29", "2020-01-29"]).date,
            "confirmed_date": ["2020-01-22", "2020-01-27", "2020-01-28", np.nan, "2020-01-31"],
        }
    )


NAMES = dict(id="patient_id", onset="symptom_onset_date", confirmed="confirmed_date")


def as_records(report: precinct.ChainReport) -> dict:
    """Everything but the problems' file names (a frame's rows are counted
    from 0, a file's lines from its header)."""
    out = {k: v for k, v in report.items() if k not in ("problems",)}
    out["case_table"] = list(report.cases)
    out["links"] = list(report.links)
    out["clusters"] = list(report.clusters)
    out["serial_intervals"] = list(report.serial_intervals)
    return out


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_a_line_list_frame_gives_the_chains_of_the_same_csv(kind):
    frame = line_list_frame()
    if kind == "polars":
        frame = pl.from_pandas(frame)
    elif kind == "pyarrow":
        frame = pa.Table.from_pandas(frame, preserve_index=False)
    from_frame = precinct.chains(frame, **NAMES)
    from_csv = precinct.chains(LINE_LIST, **NAMES)
    assert as_records(from_frame) == as_records(from_csv)
    assert from_frame["cases"] == 4 and from_frame.longest_chain == ["A", "B", "D"]
    # The missing confirmation of D's first row is a problem named by row
    # (0-based) in the frame and by line in the file.
    [frame_problem] = list(from_frame.problems)
    [file_problem] = list(from_csv.problems)
    assert (frame_problem["file"], frame_problem["line"], frame_problem["column"]) == ("line list frame", 3, "confirmed_date")
    assert (file_problem["file"], file_problem["line"]) == ("line list", 5)


def test_the_per_case_table_has_cluster_generation_infectors_and_secondary_cases():
    report = precinct.chains(line_list_frame(), **NAMES)
    cases = report.cases.to_pandas().set_index("case")
    # C's infector X is not on the list: a placeholder, generation 0, so C
    # is generation 1 and D, infected by B and C, takes C's way: 2.
    assert (cases.loc["C", "generation"], cases.loc["D", "generation"]) == (1, 2)
    assert list(cases.loc["D", "infected_by"]) == ["B", "C"]
    assert cases.loc["A", "secondary_cases"] == 2
    assert cases.loc["C", "onset"] is None and cases.loc["A", "onset"] == dt.date(2020, 1, 20)
    assert set(cases["cluster"]) == {1} and set(cases["cluster_size"]) == {4}
    links = report.links.to_pandas()
    placeholder = links[links["infector"] == "X"]
    assert list(placeholder["infector_listed"]) == [False]
    ab = links[(links["infector"] == "A") & (links["infectee"] == "B")]
    assert list(ab["serial_interval"]) == [5]


def test_float_ids_from_a_gap_read_as_the_integers_they_are():
    # pandas reads an id column with an empty cell as float64: 2002000001.0.
    frame = pd.DataFrame({"patient_id": [1000000001, 1000000003], "infected_by": [np.nan, 1000000001.0], "confirmed_date": ["2020-01-23", "2020-01-30"]})
    assert frame["infected_by"].dtype == np.float64
    report = precinct.chains(frame, id="patient_id", onset=None, confirmed="confirmed_date")
    assert list(report.links) == [{"infector": "1000000001", "infectee": "1000000003", "infector_listed": True, "serial_interval": None}]


def test_a_contact_list_adds_several_infectors_as_epicontacts_takes_them():
    linelist = pd.DataFrame({"id": ["SK_1", "SK_2", "SK_3"], "dt_onset": ["2015-05-11", "2015-05-18", "2015-05-20"], "dt_report": ["2015-05-19", "2015-05-20", "2015-05-20"]})
    contacts = pl.DataFrame({"from": ["SK_1", "SK_2", "SK_9"], "to": ["SK_3", "SK_3", "SK_4"]})
    report = precinct.chains(linelist, contacts=contacts, id="id", infected_by=None, onset="dt_onset", confirmed="dt_report")
    by_case = {r["case"]: r for r in report.cases}
    assert by_case["SK_3"]["infected_by"] == ["SK_1", "SK_2"]
    # SK_4 is not on the line list: the link is a problem, not used.
    assert [(p["problem"], p["file"], p["line"]) for p in report.problems] == [("not_listed", "contacts frame", 2)]


@pytest.mark.skipif(not (DATA / "ds4c").is_dir(), reason=f"{DATA / 'ds4c'} is absent: the real DS4C line list is not here")
def test_ds4c_from_pandas_as_an_analyst_reads_it_matches_the_csv_file():
    path = DATA / "ds4c" / "PatientInfo.csv"
    cases = pd.read_csv(path, dtype={"patient_id": str})
    names = dict(id="patient_id", infected_by="infected_by", onset="symptom_onset_date", confirmed="confirmed_date")
    from_frame = precinct.chains(cases, **names)
    from_csv = precinct.chains(path.read_text(encoding="utf-8"), **names)
    assert as_records(from_frame) == as_records(from_csv)
    assert from_frame["cases"] == 3388 and len(from_frame.links) == from_frame["edges"]
    top = from_frame.cases.to_pandas().nlargest(1, "secondary_cases")
    assert top["case"].iloc[0] == "2000000205" and top["secondary_cases"].iloc[0] == 51


@pytest.mark.skipif(not (DATA / "mers_korea_2015").is_dir(), reason=f"{DATA / 'mers_korea_2015'} is absent")
def test_mers_serial_intervals_agree_with_the_data_sets_own_onset_differences():
    folder = DATA / "mers_korea_2015"
    linelist, contacts = pd.read_csv(folder / "linelist.csv"), pd.read_csv(folder / "contacts.csv")
    report = precinct.chains(linelist, contacts=contacts, id="id", infected_by=None, onset="dt_onset", confirmed="dt_report")
    ours = report.links.to_pandas().rename(columns={"infector": "from", "infectee": "to"})
    merged = contacts.merge(ours, on=["from", "to"])
    assert len(merged) == len(contacts) == 98
    assert (merged["serial_interval"] == merged["diff_dt_onset"]).all()
    assert sorted(c for c, by in zip(report.cases["case"], report.cases["infected_by"]) if len(by) > 1) == ["SK_107", "SK_39"]


def test_a_bad_cell_raises_with_its_row_and_the_frames_column_name():
    frame = pd.DataFrame(
        {
            "cid": ["C1", "C2"],
            "pid": ["P1", "P2"],
            "onset_day": ["2020-01-20", "soon"],
            "confirmed": ["2020-01-22", "2020-01-23"],
            "infected_by": [None, "C1"],
        }
    )
    with pytest.raises(precinct.DataImportError) as e:
        precinct.read_cases(frame, case_id="cid", person_id="pid", onset="onset_day")
    assert (e.value.code, e.value.row, e.value.column, e.value.file) == ("frame", 1, "onset_day", "cases frame")
    assert "row 1, column `onset_day`" in str(e.value)
    # A required cell missing (NaN, None or NaT) is named the same way.
    frame.loc[0, "confirmed"] = None
    with pytest.raises(precinct.DataImportError) as e:
        precinct.read_cases(frame, case_id="cid", person_id="pid", onset="onset_day")
    assert (e.value.row, e.value.column) == (0, "confirmed")
    # A named column the frame lacks.
    with pytest.raises(precinct.DataImportError) as e:
        precinct.read_cases(frame, case_id="case")
    assert e.value.column == "case" and e.value.row is None


def test_cases_from_a_frame_are_the_cases_of_the_csv():
    text = "case_id,person_id,onset,confirmed,infected_by\nC1,P1,2020-01-20,2020-01-22,\nC2,P2,,2020-01-25 10:00,C1\n"
    frame = pd.DataFrame({"case_id": ["C1", "C2"], "person_id": ["P1", "P2"], "onset": [dt.date(2020, 1, 20), pd.NaT], "confirmed": ["2020-01-22", pd.Timestamp("2020-01-25 10:00")], "infected_by": [np.nan, "C1"]})
    assert precinct.read_cases(frame) == precinct.read_cases(text)


@pytest.mark.parametrize("problem", ["none_id", "nan_float_id", "nat_time"])
def test_visits_from_a_frame_with_a_missing_cell_name_row_and_column(problem):
    frame = pd.DataFrame(
        {
            "who": ["a", "b", "c"],
            "where": ["m", "m", "m"],
            "t0": pd.to_datetime(["2020-01-25 09:00", "2020-01-25 09:10", "2020-01-25 09:20"]),
            "t1": pd.to_datetime(["2020-01-25 10:00", "2020-01-25 10:10", "2020-01-25 10:20"]),
        }
    )
    column = {"none_id": "who", "nan_float_id": "who", "nat_time": "t0"}[problem]
    if problem == "none_id":
        frame.loc[2, "who"] = None
    elif problem == "nan_float_id":
        frame["who"] = [1.0, 2.0, np.nan]
    else:
        frame.loc[2, "t0"] = pd.NaT
    with pytest.raises(precinct.DataImportError) as e:
        precinct.Visits.from_frame(frame, person="who", place="where", start="t0", end="t1")
    assert (e.value.row, e.value.column) == (2, column)


def test_visits_from_a_frame_with_float_ids_and_aware_times():
    frame = pd.DataFrame(
        {
            "person_id": [1.0, 2.0],
            "place_id": ["m", "m"],
            "start": pd.to_datetime(["2020-01-25 01:00", "2020-01-25 01:00"]).tz_localize("UTC"),
            "end": pd.to_datetime(["2020-01-25 02:00", "2020-01-25 02:00"]).tz_localize("UTC"),
        }
    )
    visits = precinct.Visits.from_frame(frame)
    assert len(visits) == 2
    # Whole floats are the integers they stand for, and stay integers.
    trace = visits.trace(1, dt.datetime(2020, 1, 25, 8, tzinfo=CST), dt.datetime(2020, 1, 25, 11, tzinfo=CST))
    assert trace["person_id"].tolist() == [2]


RESIDENTS_H = "household_id,village,group,address,landlord_id\nH1,East,1,1 Road,\nH2,East,1,2 Road,P1\n"
RESIDENTS_P = "person_id,name,id_number,household_id,phone\nP1,王秀英,11010519491231002X,H1,13812345678\nP2,李四,110105198001010016,H2,\n"


def test_residents_from_frames_with_other_column_names_are_those_of_the_csv():
    households = pd.read_csv(pd.io.common.StringIO(RESIDENTS_H)).rename(columns={"household_id": "hh"})
    persons = pl.read_csv(RESIDENTS_P.encode(), schema_overrides={"id_number": pl.String, "phone": pl.String}).rename({"name": "full_name"})
    got = precinct.read_residents(households, persons, household_id="hh", name="full_name")
    assert got == precinct.read_residents(RESIDENTS_H, RESIDENTS_P)
    bad = persons.with_columns(pl.Series("id_number", ["11010519491231002X", "110105198001010017"]))
    with pytest.raises(precinct.DataImportError) as e:
        precinct.read_residents(households, bad, household_id="hh", name="full_name")
    assert (e.value.file, e.value.row, e.value.column) == ("persons frame", 1, "id_number")


def test_resumption_from_frames_is_that_of_the_csv():
    enterprises = "enterprise_id,name,village,sector,workforce\nE1,Mill,East,textiles,100\n"
    reports = "enterprise_id,date,resumed,workers_on_site\nE1,2020-02-10,true,40\nE1,2020-02-11,true,60\n"
    e = pa.table({"enterprise_id": ["E1"], "name": ["Mill"], "village": ["East"], "sector": ["textiles"], "workforce": [100]})
    r = pd.DataFrame({"eid": ["E1", "E1"], "date": [dt.date(2020, 2, 10), dt.date(2020, 2, 11)], "resumed": [True, True], "workers_on_site": [40, 60]})
    assert precinct.read_resumption(e, r, report_enterprise_id="eid") == precinct.read_resumption(enterprises, reports)
    r.loc[1, "workers_on_site"] = 600
    with pytest.raises(precinct.DataImportError) as err:
        precinct.read_resumption(e, r, report_enterprise_id="eid")
    assert (err.value.row, err.value.column) == (1, "workers_on_site")


def test_something_that_is_not_a_frame_is_refused_by_name():
    with pytest.raises(precinct.InvalidValue) as e:
        precinct.chains(object(), id="x")
    assert "DataFrame" in e.value.expected


@pytest.fixture(scope="module")
def demo():
    return precinct.Book.demo(small=True)


def test_answers_are_tables_in_one_call_to_every_library(demo):
    contacts = demo.close_contacts(["C1"])
    assert isinstance(contacts, precinct.Table)
    frame = contacts.to_pandas()
    # Evidence flattened: one list per field of the evidence records.
    assert {"person", "cases", "evidence_rule", "overlap_seconds", "first_contact", "last_exposure"} <= set(frame.columns)
    assert str(frame["last_exposure"].dt.tz) == "Asia/Shanghai"
    arrow = pa.table(contacts)
    assert arrow.schema.field("last_exposure").type == pa.timestamp("s", tz="Asia/Shanghai")
    assert arrow.schema.field("cases").type == pa.list_(pa.string())
    polars = pl.DataFrame(contacts)
    assert polars.height == len(contacts) == len(frame)
    assert polars["last_exposure"].dtype.time_zone == "Asia/Shanghai"
    assert polars["last_exposure"][0] == frame["last_exposure"].iloc[0].to_pydatetime()
    # Rows as dicts, times aware in the zone.
    first = contacts[0]
    assert first["last_exposure"].tzinfo == CST and first["person"] == frame["person"].iloc[0]
    # Registries, rates and counts too.
    for table in [demo.persons(), demo.passes(), demo.orders(), demo.enterprises(), demo.passes_per_day(), demo.service_ledger()]:
        assert isinstance(table, precinct.Table) and len(pa.table(table)) == len(table.to_pandas()) == len(table) > 0
    passes = pa.table(demo.passes_per_day())
    assert passes.schema.field("date").type == pa.date32()


def test_the_books_chains_are_a_report_with_tables(demo):
    report = demo.chains()
    assert isinstance(report, precinct.ChainReport)
    assert list(report.cases["case"]) == ["C1", "C2", "C3"]
    assert report["longest_chain"] == report.longest_chain


def test_rich_display_of_book_visits_chains_and_contacts(demo):
    html = demo._repr_html_()
    for area in ["Households and residents", "Contacts", "Passes", "Registrations", "Resumption"]:
        assert area in html
    assert "confirmed cases</td><td>3<" in html
    visits = demo.visits()
    html = visits._repr_html_()
    assert f"<td>{len(visits)}</td>" in html and "+08:00" in html and "MB" in html
    html = demo.chains()._repr_html_()
    assert "Transmission chains" in html and "C1 → C2" in html
    assert demo.close_contacts(["C1"])._repr_html_().count("<tr>") == min(len(demo.close_contacts(["C1"])), 20) + 1


def test_progress_is_told_to_a_callback_and_shown_by_a_bar(capsys):
    seen = []
    book = precinct.Book.demo(small=True, progress=lambda stage, done, total: seen.append((stage, done, total)))
    chapters = [(d, t) for s, d, t in seen if s == "demo town"]
    assert chapters == [(d, 14) for d in range(1, 15)]
    assert {s for s, _, _ in seen} == {"demo town", "index"}  # the demo's visits are indexed too
    seen.clear()
    precinct.Book.open_text(book.journal_text, progress=lambda *p: seen.append(p))
    assert seen[-1] == ("journal", book.seq, book.seq)
    seen.clear()
    rows = "".join(f"p{i % 500},m{i % 40},{1579910400 + i},{1579911400 + i}\n" for i in range(40_000))
    precinct.Visits.from_csv("person_id,place_id,start,end\n" + rows, progress=lambda *p: seen.append(p))
    text = "person_id,place_id,start,end\n" + rows
    assert {s for s, _, _ in seen} == {"visits", "index"}
    assert [(d, t) for s, d, t in seen if s == "index"][-1] == (3, 3)
    # Bytes read, of the text's length, ending at it.
    visits = [(d, t) for s, d, t in seen if s == "visits"]
    assert [d for d, _ in visits] == sorted(d for d, _ in visits) and visits[0][0] > 0
    assert {t for _, t in visits} == {len(text)} and visits[-1] == (len(text), len(text))
    # A bar (tqdm when installed, else a line on stderr) goes to stderr.
    precinct.Book.demo(small=True, progress=True)
    assert "demo town" in capsys.readouterr().err


def test_a_callback_that_raises_raises_once_the_work_is_done():
    calls = []

    def fails(stage, done, total):
        calls.append(done)
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        precinct.Book.demo(small=True, progress=fails)
    assert calls == [1]


def test_nobody_listening_is_the_default():
    assert precinct.Book.demo(small=True, progress=None).seq == precinct.Book.demo(small=True, progress=False).seq


def test_the_domain_trace_from_frames_without_a_list_of_dicts():
    """Visits, cases and interview contacts go into the book from frames
    and the close contacts come out as a table."""
    book = precinct.Book.in_memory(policy="nhc-2020")
    at = dt.datetime(2020, 1, 27, 9)
    visits = pl.DataFrame(
        {
            "who": ["P1", "P2", "P3"],
            "where": ["market", "market", "market"],
            "arrived": [dt.datetime(2020, 1, 25, 9), dt.datetime(2020, 1, 25, 9, 10), dt.datetime(2020, 1, 25, 9, 50)],
            "left": [dt.datetime(2020, 1, 25, 10), dt.datetime(2020, 1, 25, 9, 40), dt.datetime(2020, 1, 25, 10, 30)],
        }
    )
    receipt = book.record_visits(visits, by="officer", at=at, person_id="who", place_id="where", start="arrived", end="left")
    assert receipt["seq"] == book.seq
    cases = pd.DataFrame({"case_id": ["C1"], "person_id": ["P1"], "onset": [None], "confirmed": [dt.date(2020, 1, 26)], "infected_by": [None]})
    assert len(book.confirm_cases(cases, by="officer", at=at)) == 1
    interviews = pa.table({"case_id": ["C1"], "person_id": ["P9"], "met": [dt.datetime(2020, 1, 24, 19)], "note": ["dinner"]})
    # The column `at` (when they met) is named as a dict here: `at` is the
    # keyword of the entry's own time.
    book.import_records("interviews", interviews, by="officer", at=at, columns={"at": "met"})
    contacts = book.close_contacts(["C1"]).to_pandas().set_index("person")
    # P2 overlapped P1 30 min, P3 10 min (under 15): not a contact; P9 was named.
    assert sorted(contacts.index) == ["P2", "P9"]
    assert contacts.loc["P9", "evidence_rule"] == ["interview"]
    # A bad cell is named before anything is recorded.
    seq = book.seq
    bad = visits.with_columns(pl.Series("left", [None, dt.datetime(2020, 1, 25, 9, 40), dt.datetime(2020, 1, 25, 10, 30)]))
    with pytest.raises(precinct.DataImportError) as e:
        book.record_visits(bad, by="officer", at=at, person_id="who", place_id="where", start="arrived", end="left")
    assert (e.value.row, e.value.column, book.seq) == (0, "left", seq)
    # A column named for a field the records do not have.
    with pytest.raises(precinct.InvalidValue) as e:
        book.record_visits(visits, by="officer", at=at, persn_id="who")
    assert "person_id" in e.value.expected


def test_residents_and_resumption_go_into_the_book_from_frames():
    book = precinct.Book.in_memory(policy="nhc-2020")
    at = dt.datetime(2020, 2, 1, 9)
    households = pd.read_csv(pd.io.common.StringIO(RESIDENTS_H), dtype=str)
    persons = pd.read_csv(pd.io.common.StringIO(RESIDENTS_P), dtype=str)
    receipts = book.import_records("residents", households, persons, by="officer", at=at)
    assert len(receipts) == 2 + 2 + 1  # households, persons, the landlord
    assert sorted(book.persons()["id"]) == ["P1", "P2"]
    assert [h["landlord"] for h in book.households()] == [None, "P1"]
    e = pd.DataFrame({"enterprise_id": ["E1"], "name": ["Mill"], "village": ["East"], "sector": ["textiles"], "workforce": [100]})
    r = pd.DataFrame({"enterprise_id": ["E1"], "date": ["2020-02-10"], "resumed": [True], "workers_on_site": [40]})
    book.import_records("resumption", e, r, by="officer", at=dt.datetime(2020, 2, 10, 18))
    assert book.resumption_rates(dt.date(2020, 2, 10))["workforce_rate"].tolist() == [0.4]
    with pytest.raises(precinct.InvalidValue):
        book.import_records("residents", households, by="officer", at=at)  # the persons are missing
    with pytest.raises(precinct.InvalidValue):
        book.import_records("visitors", households, by="officer", at=at)


def test_interviews_from_csv_and_frame_are_the_same_records():
    text = "case_id,person_id,at,note\nC1,P9,2020-01-24 19:00,dinner\n"
    frame = pd.DataFrame({"case_id": ["C1"], "person_id": ["P9"], "met": [pd.Timestamp("2020-01-24 19:00")], "note": ["dinner"]})
    assert precinct.read_interviews(frame, at="met") == precinct.read_interviews(text)
    frame.loc[0, "met"] = pd.NaT
    with pytest.raises(precinct.DataImportError) as e:
        precinct.read_interviews(frame, at="met")
    assert (e.value.row, e.value.column) == (0, "met")


# What a tester found, each a family of inputs.


def test_empty_tables_convert_everywhere_and_chain_tables_keep_their_columns():
    report = precinct.chains(pd.DataFrame({"case_id": ["A"]}), infected_by=None, onset=None, confirmed=None)
    for table in [report.links, report.problems, report.serial_intervals]:
        assert len(table) == 0 and len(table.names) > 0
        assert pa.table(table).num_rows == 0 and pl.DataFrame(table).height == 0 and len(table.to_pandas()) == 0
    assert report.links.names == ["infector", "infectee", "infector_listed", "serial_interval"]
    book = precinct.Book.in_memory()
    assert book.chains().cases.names[0] == "case"
    for table in [book.persons(), book.passes_per_day(), book.service_counts(dt.date(2020, 2, 1), dt.date(2020, 2, 2))]:
        assert len(table) == 0 and pa.table(table).num_rows == 0 and pl.DataFrame(table).height == 0
    with pytest.raises(IndexError):
        book.persons()[0]
    # Every problem kind gives the same columns.
    assert precinct.chains(LINE_LIST, **NAMES).problems.names == report.problems.names


def test_columns_with_gaps_keep_their_types_in_arrow():
    table = precinct.Table(
        {
            "revoked_at": np.array([None, dt.datetime(2020, 3, 10, 10, tzinfo=CST)], dtype=object),
            "has_smartphone": np.array([True, None], dtype=object),
            "at": np.array([[dt.datetime(2020, 1, 26, 18, tzinfo=CST), None], []], dtype=object),
            "days": np.array([[dt.date(2020, 1, 26)], None], dtype=object),
            "stretches": np.array([[[dt.datetime(2020, 1, 26, 18, tzinfo=CST)]], []], dtype=object),
        },
        tz=CST,
    )
    schema = pa.table(table).schema
    assert schema.field("revoked_at").type == pa.timestamp("s", tz="Asia/Shanghai")
    assert pa.table(table)["revoked_at"].to_pylist()[1] == dt.datetime(2020, 3, 10, 10, tzinfo=CST)
    assert schema.field("has_smartphone").type == pa.bool_()
    assert schema.field("at").type == pa.list_(pa.timestamp("s", tz="Asia/Shanghai"))
    assert schema.field("days").type == pa.list_(pa.date32())
    assert pa.types.is_list(schema.field("stretches").type)  # nested: as pyarrow infers it
    assert str(table.to_pandas()["has_smartphone"].dtype) == "boolean"
    # The record book's own: times with gaps, lists of times.
    demo = precinct.Book.demo(small=True)
    assert pa.table(demo.passes()).schema.field("revoked_at").type == pa.timestamp("s", tz="Asia/Shanghai")
    assert pa.table(demo.close_contacts()).schema.field("evidence_at").type == pa.list_(pa.timestamp("s", tz="Asia/Shanghai"))


def test_visits_tables_are_in_the_policys_zone():
    visits = precinct.Visits.from_csv("person_id,place_id,start,end\nP1,m,2020-02-01 09:00,2020-02-01 10:00\nP2,m,2020-02-01 09:00,2020-02-01 10:00\n")
    trace = visits.trace("P1", "2020-02-01 00:00", "2020-02-02 00:00")
    assert trace[0]["first_contact"] == dt.datetime(2020, 2, 1, 9, tzinfo=CST)
    assert str(trace.to_pandas()["first_contact"].dt.tz) == "Asia/Shanghai"


@pytest.mark.parametrize(
    "cells",
    [
        [dt.date(2020, 1, 5), 43831],  # a date beside an Excel serial
        [pd.Timestamp("2020-01-05"), 43831],
        [dt.date(2020, 1, 5), 3.5],
        [43831, dt.date(2020, 1, 5)],
    ],
)
def test_a_column_of_mixed_types_is_read_cell_by_cell_as_the_csv_would_be(cells):
    frame = pd.DataFrame({"case_id": ["A", "B"], "onset": pd.Series(cells, dtype=object)})
    report = precinct.chains(frame, infected_by=None, confirmed=None)
    # The number is not taken as a day: it is a problem of its own row.
    [problem] = list(report.problems)
    number = 1 if not isinstance(cells[0], int) else 0
    assert (problem["problem"], problem["line"], problem["column"]) == ("invalid_value", number, "onset")
    assert report.cases["onset"][1 - number] == dt.date(2020, 1, 5)


def test_lists_and_text_in_one_infector_column_give_the_ids_in_them():
    frame = pd.DataFrame({"case_id": ["A", "B", "C"], "infected_by": pd.Series([None, "A", ["A", "B"]], dtype=object)})
    report = precinct.chains(frame, onset=None, confirmed=None)
    assert sorted((l["infector"], l["infectee"]) for l in report.links) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert len(report.problems) == 0


def test_what_a_float_column_cannot_hold_is_refused_by_name():
    enterprises = pd.DataFrame({"enterprise_id": ["E0", "E1"], "name": ["A", "B"], "village": ["V", "V"], "sector": ["t", "t"], "workforce": [137, 12], "credit_code": [913205830000000001, np.nan]})
    reports = pd.DataFrame({"enterprise_id": ["E0"], "date": [pd.Timestamp("2020-02-10")], "resumed": [True], "workers_on_site": [4]})
    with pytest.raises(precinct.DataImportError) as e:
        precinct.read_resumption(enterprises, reports)
    assert (e.value.row, e.value.column) == (0, "credit_code") and "dtype=str" in e.value.reason
    # float32 keeps 24 bits: 16777217 is already 16777216 there.
    ids = pd.DataFrame({"case_id": np.array([16777217.0], dtype=np.float32), "person_id": ["P"], "onset": [None], "confirmed": ["2020-01-26"], "infected_by": [None]})
    with pytest.raises(precinct.DataImportError, match="24 bits"):
        precinct.read_cases(ids)
    # As text the code is read, and a date column parsed by pandas is a date.
    enterprises["credit_code"] = [None, None]
    got = precinct.read_resumption(enterprises, reports)
    assert got["reports"][0]["date"] == dt.date(2020, 2, 10)


def test_visits_from_a_frame_take_what_the_csv_takes():
    frame = pd.DataFrame({"person_id": [1.5, 2.0, 3.0], "place_id": ["m", "m", "m"], "start": [1580518800] * 3, "end": [1580522400] * 3})
    visits = precinct.Visits.from_frame(frame)
    # Whole floats are the integers they stand for (pandas' way with a gap).
    text = "person_id,place_id,start,end\n" + "".join(f"{p},m,1580518800,1580522400\n" for p in ["1.5", "2", "3"])
    assert visits.trace("1.5", 0, 4_102_444_800).to_dict() == precinct.Visits.from_csv(text).trace("1.5", 0, 4_102_444_800).to_dict()
    huge = pd.DataFrame({"person_id": np.array([2**63, 5], dtype=np.uint64), "place_id": [1, 1], "start": [0, 0], "end": [3600, 3600]})
    visits = precinct.Visits.from_frame(huge)
    assert visits.trace("5", 0, 86_400)["person_id"].tolist() == [str(2**63)]


def test_records_are_read_as_a_frame_is():
    records = precinct.read_cases("case_id,person_id,onset,confirmed,infected_by\nC1,P1,2020-01-20,2020-01-22,\nC2,P2,2020-01-25,2020-01-26,C1\n")
    records[1]["onset"] = ""
    records[0]["onset"] = float("nan")
    report = precinct.chains(records)
    assert report["cases"] == 2 and list(report.problems) == []
    assert report.cases["onset"].tolist() == [None, None]
    assert [(l["infector"], l["infectee"]) for l in report.links] == [("C1", "C2")]


def test_what_is_not_a_frame_or_is_badly_named_is_a_typed_error():
    frame = pd.DataFrame({"case_id": ["A"], "person_id": ["P"], "onset": [None], "confirmed": ["2020-01-26"], "infected_by": [None]})
    with pytest.raises(precinct.InvalidValue, match="Series"):
        precinct.read_cases(frame["case_id"])
    twice = pd.concat([frame, frame[["case_id"]]], axis=1)
    with pytest.raises(precinct.InvalidValue, match="twice"):
        precinct.read_cases(twice)
    with pytest.raises(precinct.InvalidValue, match="once"):
        precinct.read_cases(pa.table([pa.array(["A"]), pa.array(["B"]), pa.array(["P"]), pa.array(["2020-01-26"])], names=["case_id", "case_id", "person_id", "confirmed"]))
    # Columns not asked for are never converted, whatever they hold.
    frame["junk"] = pd.Series([2**70], dtype=object)
    frame["z"] = np.array([1 + 2j])
    assert len(precinct.read_cases(frame)) == 1
    # A lazy polars frame is collected; columns named by number are found.
    assert precinct.read_cases(pl.from_pandas(frame.drop(columns=["junk", "z"])).lazy()) == precinct.read_cases(frame)
    numbered = pd.DataFrame([["A", "P", None, "2020-01-26", None]])
    assert precinct.read_cases(numbered, case_id=0, person_id=1, onset=2, confirmed=3, infected_by=4)[0]["id"] == "A"
    with pytest.raises(precinct.InvalidValue):
        precinct.read_cases(None)
    # `missing` as one text is one marker, not its letters.
    report = precinct.chains(pd.DataFrame({"case_id": ["A", "B", "N"], "infected_by": [None, "A", "B"]}), onset=None, confirmed=None, missing="NA")
    assert report["cases"] == 3


def test_progress_that_cannot_be_called_is_refused_before_the_work():
    for bad in [1, "yes", 3.5]:
        with pytest.raises(precinct.InvalidValue) as e:
            precinct.Book.demo(small=True, progress=bad)
        assert e.value.field == "progress"


def test_a_data_import_error_has_both_line_and_row():
    with pytest.raises(precinct.DataImportError) as e:
        precinct.read_cases("case_id,person_id,onset,confirmed,infected_by\nC1,P1,soon,2020-01-22,\n")
    assert (e.value.line, e.value.row) == (2, None)
    with pytest.raises(precinct.DataImportError) as e:
        precinct.read_cases(pd.DataFrame({"case_id": ["C1"], "person_id": ["P1"], "onset": ["soon"], "confirmed": ["2020-01-22"], "infected_by": [None]}))
    assert (e.value.line, e.value.row) == (None, 0)


def test_list_cells_of_any_kind_are_lists_of_ids():
    """Lists as parquet and Arrow give them back (numpy arrays), sets."""
    frame = pd.DataFrame({"case_id": ["A", "B", "C"], "infected_by": [[], ["A"], ["A", "B"]]})
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    for f in [pd.read_parquet(io.BytesIO(buffer.getvalue())), frame.assign(infected_by=[set(), {"A"}, {"B", "A"}])]:
        report = precinct.chains(f, onset=None, confirmed=None)
        assert sorted((l["infector"], l["infectee"]) for l in report.links) == [("A", "B"), ("A", "C"), ("B", "C")]
        assert report["placeholders"] == {}
    # A report's own table fed back in.
    again = precinct.chains(report.cases.to_arrow().to_pandas(), id="case", onset=None, confirmed=None)
    assert len(again.links) == len(report.links)


def test_what_is_not_a_cell_is_refused_with_its_row_and_column():
    frame = pd.DataFrame({"case_id": ["C1", "C2"], "person_id": ["P1", {"a": 1}], "onset": [None, None], "confirmed": ["2020-01-26"] * 2, "infected_by": [None, None]})
    with pytest.raises(precinct.DataImportError) as e:
        precinct.read_cases(frame)
    assert (e.value.row, e.value.column) == (1, "person_id") and "dict" in e.value.reason
    visits = pd.DataFrame({"person_id": ["A"], "place_id": ["X"], "start": pd.to_datetime(["2020-01-01 09:00"]), "end": pd.to_timedelta(["1h"])})
    with pytest.raises(precinct.DataImportError) as e:
        precinct.Visits.from_frame(visits)
    assert e.value.column == "end" and "duration" in e.value.reason.lower()


def test_a_polars_column_of_nulls_is_a_column_of_empty_cells():
    frame = pl.DataFrame({"case_id": ["C1"], "person_id": ["P1"], "onset": [None], "confirmed": ["2020-01-26"], "infected_by": [None]})
    assert frame.schema["onset"] == pl.Null
    assert precinct.read_cases(frame)[0]["onset"] is None
    assert precinct.chains(frame, onset="onset")["cases"] == 1


def test_visits_from_frames_and_columns_take_what_their_csv_takes():
    frame = pd.DataFrame({"person_id": ["P1 ", "P2"], "place_id": ["X", "X"], "start": ["2020-01-01 09:00"] * 2, "end": ["2020-01-01 10:00"] * 2})
    window = ("2020-01-01 00:00", "2020-01-02 00:00")
    assert precinct.Visits.from_frame(frame).trace("P1", *window).to_dict() == precinct.Visits.from_csv(frame.to_csv(index=False)).trace("P1", *window).to_dict()
    blank = frame.assign(person_id=["  ", "P2"])
    with pytest.raises(precinct.DataImportError) as e:
        precinct.Visits.from_frame(blank)
    assert (e.value.row, e.value.column) == (0, "person_id")
    twice = pd.concat([frame, frame[["start"]]], axis=1)
    with pytest.raises(precinct.InvalidValue, match="twice"):
        precinct.Visits.from_frame(twice)
    # numpy columns of any integer width, strided, or whole floats.
    ids = np.arange(10, dtype=np.int32)[::2]
    starts = np.full(5, 1_577_840_400, dtype=np.int64)[::1]
    visits = precinct.Visits.from_columns(ids, np.zeros(5, dtype=np.uint16), starts.astype(np.float64), (starts + 3600)[::1])
    assert len(visits) == 5 and visits.trace(0, 0, 4_102_444_800)["person_id"].tolist() == [2, 4, 6, 8]


def test_a_date_column_parsed_by_pandas_is_read_as_the_days_of_the_csv():
    text = "case_id,person_id,onset,confirmed,infected_by\nK1,P1,2020-01-28,2020-01-29 19:00,\n"
    frame = pd.read_csv(pd.io.common.StringIO(text), parse_dates=["onset"])
    assert frame["onset"].dtype.kind == "M"
    assert precinct.read_cases(frame)[0]["onset"] == precinct.read_cases(text)[0]["onset"] == dt.date(2020, 1, 28)


def test_the_books_imports_take_columns_as_the_readers_do():
    book = precinct.Book.in_memory(policy="nhc-2020")
    at = dt.datetime(2020, 1, 27, 9)
    numbered = pd.DataFrame([["C1", "P1", None, "2020-01-26", None]])
    book.confirm_cases(numbered, by="officer", at=at, case_id=0, person_id=1, onset=2, confirmed=3, infected_by=4)
    contacts = pd.DataFrame({"case_id": ["C1"], "person_id": ["P9"], "met": [dt.datetime(2020, 1, 24, 19)], "note": [""]})
    book.record_interview_contacts(contacts, by="officer", at=at, met_at="met")
    book.import_records("interviews", contacts.assign(person_id=["P8"]), by="officer", at=at, columns=[("at", "met")])
    assert sorted(book.interviews()["person"]) == ["P8", "P9"]
    assert precinct.chains(pd.DataFrame({"case_id": ["A"]}), infected_by=None, onset=None, confirmed=None, missing=None)["cases"] == 1


def test_progress_told_to_a_listener_that_starts_more_work_does_not_break():
    calls = []

    def listener(stage, done, total):
        if not calls:
            # Work started from inside a listener, with a listener of its own.
            precinct.Book.demo(small=True, progress=lambda *p: calls.append(("inner",) + p))
        calls.append((stage, done, total))

    precinct.Book.demo(small=True, progress=listener)
    assert ("demo town", 14, 14) in calls and not any(c[0] == "inner" for c in calls)


def test_chain_tables_of_different_line_lists_have_one_schema():
    empty = precinct.chains(pd.DataFrame({"case_id": ["A"]}), infected_by=None, onset=None, confirmed=None)
    full = precinct.chains(LINE_LIST, **NAMES)
    loops = precinct.chains(pd.DataFrame({"case_id": ["A", "B"], "infected_by": ["B", "A"]}), onset=None, confirmed=None)
    for name in ["cases", "links", "serial_intervals", "clusters", "problems"]:
        tables = [getattr(r, name) for r in (empty, full, loops)]
        schemas = {str(pa.table(t).schema) for t in tables}
        assert len(schemas) == 1, (name, schemas)
        pa.concat_tables([pa.table(t) for t in tables])
        pl.concat([pl.DataFrame(t) for t in tables])
    assert pa.table(empty.links).schema.field("infector").type == pa.string()
    assert pa.table(loops.cases).schema.field("generation").type == pa.int64()
    assert str(loops.cases.to_pandas()["generation"].dtype) == "Int64"


def test_no_records_are_no_cases():
    report = precinct.chains([])
    assert report["cases"] == 0 and len(report.cases) == 0 and report.cases.names[0] == "case"
    assert precinct.read_cases([]) == []
