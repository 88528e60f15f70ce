"""Issue 11: every exported function and method, fed wrong types, missing
values, None, NaN, ±inf, extreme integers and extreme times, raises a typed
error (a PrecinctError, or Python's own TypeError/OverflowError for a wrong
argument type), never a PanicException, and the module works afterwards.

The exports are enumerated from the module, so a new export without a row
in GOOD fails here."""

from __future__ import annotations

import inspect
import math
from datetime import date, datetime, timezone

import numpy as np
import pytest

import precinct

BAD = [
    None,
    math.nan,
    math.inf,
    -math.inf,
    1.9,
    -1,
    2**53 + 1,
    2**63,
    -(2**63) - 1,
    8_210_266_876_799,
    -8_210_266_876_799,
    "+262142-12-30T00:00:00Z",
    "-262143-01-01",
    "",
    {},
    [None, 1.0],
    object(),
    True,
]

KEY = precinct.StationKey(bytes(32))
T0 = datetime(2020, 2, 1, 9, tzinfo=timezone.utc)
VISITS = precinct.Visits.from_columns(
    np.array([1, 2], dtype=np.int64),
    np.array([7, 7], dtype=np.int64),
    np.array([0, 0], dtype=np.int64),
    np.array([3600, 3600], dtype=np.int64),
)
CASES_CSV = "case_id,person_id,onset,confirmed,infected_by\nC1,p1,2020-01-23,2020-01-26,\n"
COMMAND = {"type": "assign_leader", "village": "East", "staff": "s1"}


def book():
    return precinct.Book.in_memory()


BASE = precinct.Book.in_memory().snapshot_text()


def device():
    return precinct.DeviceBook.create(BASE, device="desk", number=1)


def tablet():
    return precinct.CheckpointChain.start(device="exit-3", number=7, base_hash=device().base_hash)


DENIED = precinct.verify_token("PC1.x", KEY.public_key, at=T0)


# Good arguments of every export: (args, kwargs); methods take the object first.
GOOD = {
    "chains": ((precinct.read_cases(CASES_CSV),), {}),
    "mask_id_number": (("11010519491231002X",), {}),
    "mask_name": (("王小明",), {}),
    "mask_phone": (("13812345678",), {}),
    "policy": (("nhc-2020",), {}),
    "preset_names": ((), {}),
    "pseudonym": ((b"key", "p1"), {}),
    "read_cases": ((CASES_CSV,), {}),
    "read_residents": None,  # filled below from its signature
    "read_resumption": None,
    "resident_id": (("11010519491231002X",), {}),
    "trace_columns": (
        tuple(np.array(c, dtype=np.int64) for c in ([1, 2], [7, 7], [0, 0], [3600, 3600]))
        + (1, 0, 86_400),
        {"min_overlap": 600},
    ),
    "validate_document": (("resident_id", "11010519491231002X"), {}),
    "verify_token": (("token", KEY.public_key), {"at": T0, "revoked": [1]}),
    "visits_from_frame": None,
    "write_cases": ((precinct.read_cases(CASES_CSV),), {}),
    "StationKey": ((bytes(32),), {}),
    "Visits.from_columns": (
        (["a", "b"], ["m", "m"], np.array([0, 10]), np.array([100, 200])),
        {},
    ),
    "Visits.from_csv": (("person_id,place_id,start,end\n",), {}),
    "Visits.to_csv": ((VISITS,), {}),
    "Visits.trace": ((VISITS, 1, 0, 86_400), {"min_overlap": 600}),
    "Visits.second_ring": ((VISITS, 1, 0, 86_400), {"min_overlap": 600}),
    "Visits.day_graph": ((VISITS, 0), {"min_overlap": 600}),
    "Book.in_memory": ((), {"policy": "nhc-2020"}),
    "Book.open_text": None,
    "Book.create": None,
    "Book.open": None,
    "Book.open_or_create": None,
    "Book.from_snapshot": None,
    "Book.demo": ((), {"seed": 1, "small": True}),
    "Book.execute": ((book(), COMMAND), {"by": "officer", "at": T0}),
    "Book.execute_batch": ((book(), [COMMAND]), {"by": "officer", "at": T0}),
    "Book.import_records": ((book(), "cases", CASES_CSV), {"by": "officer", "at": T0}),
    "Book.record_visits": ((book(), "person_id,place_id,start,end\n"), {"by": "officer", "at": T0}),
    "Book.confirm_cases": ((book(), CASES_CSV), {"by": "officer", "at": T0}),
    "Book.record_interview_contacts": ((book(), "case_id,person_id,at,note\n"), {"by": "officer", "at": T0}),
    "read_interviews": (("case_id,person_id,at,note\n",), {}),
    "Book.history": ((book(),), {"person": "p1"}),
    "Book.report": ((book(), T0), {}),
    "Book.close_contacts": ((book(),), {"cases": ["C1"]}),
    "Book.resumption_rates": ((book(), date(2020, 2, 1)), {"by": "all"}),
    "Book.resumption_series": ((book(), date(2020, 2, 1), date(2020, 2, 3)), {"by": "all"}),
    "Book.service_counts": ((book(), date(2020, 2, 1), date(2020, 2, 3)), {}),
    "Book.overdue_registrations": ((book(), T0), {}),
    "Book.token": ((book(), 1, KEY), {}),
    "Book.analytic_export": ((book(), b"key"), {}),
    "Book.query": ((book(), {"query": "persons"}), {}),
    "Book.report_text": ((book(), T0), {}),
    "Book.daily_reports": ((book(), "H1"), {}),
    "Book.missing_reports": ((book(), date(2020, 2, 1)), {}),
    "Book.who_answers": ((book(), "H1"), {}),
    "Book.returnees": ((book(), T0), {}),
    "Book.orders_in_force": ((book(), date(2020, 2, 1)), {}),
    "Book.due_for_release": ((book(), date(2020, 2, 1)), {}),
    "Book.second_ring": ((book(), T0, T0), {"cases": ["C1"]}),
    "Book.registration_deadline": ((book(), "S1"), {}),
    "Visits.from_frame": None,
    "Book.snapshot_text": ((book(),), {}),
    "DeviceBook.create": ((BASE,), {"device": "desk", "number": 1}),
    "DeviceBook.open": ((BASE,), {"device": "desk", "journal": device().journal_text, "base_hash": device().base_hash}),
    "DeviceBook.execute": ((device(), COMMAND), {"by": "officer", "at": T0}),
    "DeviceBook.merge": ((device(), precinct.DeviceBook.create(BASE, device="team-1", number=2).journal_text), {}),
    "DeviceBook.lines_since": ((device(), {"desk": 0}), {}),
    "DeviceBook.new_id": ((device(), "P"), {}),
    "DeviceBook.token": ((device(), 1, KEY), {}),
    "Book.check_reference": ((book(), "person", "P1"), {}),
    "DeviceBook.check_reference": ((device(), "person", "P1"), {}),
    "validate_field": (("person_name", "Wang Fang"), {}),
    "CheckpointChain.start": ((), {"device": "exit-3", "number": 7, "base_hash": device().base_hash}),
    "CheckpointChain.open": ((tablet().journal_text,), {}),
    "CheckpointChain.record_crossing": ((tablet(), "exit", "PC1.x", DENIED), {"by": "zhao", "at": T0}),
    "CheckpointChain.lines_since": ((tablet(), {"desk": 0}), {}),
}
# A device's book answers every query a Book does, with the same arguments.
GOOD.update({
    f"DeviceBook.{name[len('Book.'):]}": ((device(),) + row[0][1:], row[1])
    for name, row in list(GOOD.items())
    if row is not None and name.startswith("Book.") and name[len("Book."):] in precinct.query_names() + ["query"]
    and hasattr(precinct.DeviceBook, name[len("Book."):])
})

# Exports that take no argument a caller could get wrong (getters, listings).
NO_ARGUMENTS = {
    "preset_names", "Book.passes_per_day", "Book.revocation_list", "Book.export_csv",
    "Book.records", "Book.chains", "Book.visits", "Book.snapshot", "Book.policy",
    "Book.recovery", "Book.seq", "Book.head", "Book.journal_text", "Visits.persons",
    "Visits.places", "Visits.index_bytes", "StationKey.public_key", "StationKey.holder_key",
    "facade", "query_names",
    "DeviceBook.all_conflicts", "DeviceBook.conflicts", "DeviceBook.device", "DeviceBook.events",
    "DeviceBook.frontier", "DeviceBook.journal_text", "DeviceBook.number", "DeviceBook.policy",
    "DeviceBook.base_hash", "DeviceBook.devices", "CheckpointChain.journal_text", "CheckpointChain.device",
    "CheckpointChain.number", "CheckpointChain.base_hash", "CheckpointChain.events",
}
# Queries without arguments (each a Book method).
NO_ARGUMENTS |= {
    f"{on}.{name}" for name in precinct.query_names() for on in ("Book", "DeviceBook")
    if list(inspect.signature(getattr(precinct.Book, name)).parameters) == ["self"]
}


def exports():
    """Every public callable of the package: functions, classes and methods."""
    names = []
    for name in precinct.__all__:
        obj = getattr(precinct, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            continue
        if name in ("Report", "Table", "ChainReport", "__version__"):
            continue
        if isinstance(obj, type):
            if name == "StationKey":
                names.append(name)
            for attr in dir(obj):
                if not attr.startswith("_"):
                    names.append(f"{name}.{attr}")
        elif callable(obj):
            names.append(name)
    return names


def resolve(name):
    obj = precinct
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def test_every_export_has_a_row():
    missing = [n for n in exports() if n not in GOOD and n not in NO_ARGUMENTS]
    assert not missing, f"exports without a bad-input row: {missing}"


def typed(exc: BaseException) -> bool:
    if type(exc).__name__ == "PanicException":
        return False
    if isinstance(exc, precinct.PrecinctError):
        return hasattr(exc, "code")
    # KeyError: a frame without the named column (visits_from_frame).
    return isinstance(exc, (TypeError, OverflowError, ValueError, OSError, KeyError))


def calls():
    """(name, function, args, kwargs): each argument of each row made bad."""
    for name, row in GOOD.items():
        fn = resolve(name)
        if row is None:
            # Paths, texts and frames: every positional argument bad alike.
            try:
                n = len([p for p in inspect.signature(fn).parameters.values()
                         if p.default is inspect.Parameter.empty and p.kind != p.KEYWORD_ONLY])
            except (TypeError, ValueError):
                n = 1
            for bad in BAD:
                yield name, fn, (bad,) * n, {}
            continue
        args, kwargs = row
        first = 1 if "." in name and name.split(".")[1] not in (
            "from_columns", "from_frame", "from_csv", "in_memory", "demo") else 0
        for i in range(first, len(args)):
            for bad in BAD:
                yield name, fn, args[:i] + (bad,) + args[i + 1:], kwargs
        for key in kwargs:
            for bad in BAD:
                yield name, fn, args, {**kwargs, key: bad}
        if args[first:]:
            yield name, fn, args[:first], kwargs  # missing arguments


def test_bad_inputs_raise_typed_errors_and_the_module_stays_healthy(monkeypatch, tmp_path):
    # Bad texts given as paths (Book.create) make journals: in a scratch folder.
    monkeypatch.chdir(tmp_path)
    tried = raised = panics = 0
    untyped = []
    for name, fn, args, kwargs in calls():
        tried += 1
        try:
            fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - PanicException derives from BaseException
            raised += 1
            if not typed(exc):
                panics += type(exc).__name__ == "PanicException"
                untyped.append(f"{name}{args!r:.80} {kwargs!r:.60}: {type(exc).__name__}: {exc}")
    print(f"bad-input table: {tried} calls, {raised} raised, {panics} panics")
    assert not untyped, "\n".join(untyped[:40])
    # Still healthy.
    b = book()
    b.execute(COMMAND, by="officer", at=T0)
    assert b.seq == 1
    assert precinct.validate_document("resident_id", "11010519491231002X")


@pytest.mark.parametrize("ids", [[None, "b"], [1.0, "b"], [math.nan, "b"]])
def test_ids_are_never_coerced_to_text(ids):
    with pytest.raises(precinct.InvalidValue) as e:
        precinct.Visits.from_columns(ids, ["m", "m"], np.array([0, 110]), np.array([100, 200]))
    assert e.value.code == "invalid_value"


def test_every_query_refuses_a_minimum_overlap_below_one():
    v = precinct.Visits.from_columns(["a", "b"], ["m", "m"], np.array([0, 110]), np.array([100, 200]))
    for query in (
        lambda: v.trace("a", 0, 86_400, min_overlap=-100),
        lambda: v.second_ring("a", 0, 86_400, min_overlap=-100),
        lambda: v.day_graph(0, min_overlap=-100),
    ):
        with pytest.raises(precinct.InvalidValue):
            query()
    assert v.day_graph(0, min_overlap=1)["edges"] == 0
    assert len(v.trace("a", 0, 86_400, min_overlap=1)) == 0


@pytest.mark.parametrize("at", [8_210_266_876_799, -8_210_266_876_799, "+262142-12-30T00:00:00Z",
                                 253_402_300_800, 1.9, math.nan, None])
def test_extreme_times_in_a_command_are_refused_and_change_nothing(at):
    b = book()
    with pytest.raises(precinct.PrecinctError) as e:
        b.execute(COMMAND, by="officer", at=at)
    assert e.value.code
    assert b.seq == 0
