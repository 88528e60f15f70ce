"""Seams between Python and the core that used to leak (issue 12): each
test failed before the binding only converted."""

import datetime as dt

import numpy as np
import pytest

import precinct

AT = dt.datetime(2020, 2, 1, 9, 0)  # naive: the policy's zone


def berlin():
    """A policy outside China Standard Time (every preset is in it)."""
    return dict(precinct.policy("nhc-2020"), name="nhc-2020-berlin", zone="Europe/Berlin")


POLICIES = ["nhc-2020", berlin()]


def naive(*times):
    return np.array(times, dtype="datetime64[s]")


@pytest.mark.parametrize("policy", POLICIES, ids=["shanghai", "berlin"])
def test_a_naive_visit_meets_a_naive_window_in_one_zone(policy):
    """(a) Naive visit times and a naive window are both wall-clock times in
    the policy's zone, whichever way the visits come in."""
    start = naive("2020-02-01T09:00", "2020-02-01T09:00")
    end = naive("2020-02-01T10:00", "2020-02-01T10:00")
    window = (dt.datetime(2020, 2, 1, 8), dt.datetime(2020, 2, 1, 12))
    # The default policy is given by omission, as most callers do.
    kw = {} if policy == "nhc-2020" else {"policy": policy}
    built = [precinct.Visits.from_columns(["a", "b"], ["m", "m"], start, end, **kw)]
    built.append(precinct.Visits.from_columns(["a", "b"], ["m", "m"], [AT, AT], [AT + dt.timedelta(hours=1)] * 2, **kw))
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"person_id": ["a", "b"], "place_id": ["m", "m"], "start": start, "end": end})
    built.append(precinct.Visits.from_frame(frame, **kw))
    built.append(precinct.visits_from_frame(frame, **kw))
    pl = pytest.importorskip("polars")
    built.append(precinct.visits_from_frame(pl.from_pandas(frame), **kw))
    for v in built:
        t = v.trace("a", *window)
        assert t["person_id"].tolist() == ["b"], v
        assert t["total_overlap"].tolist() == [3600]
        # A window that ends when the visits begin (local time) finds no one.
        assert len(v.trace("a", window[0], dt.datetime(2020, 2, 1, 9))) == 0


@pytest.mark.parametrize("policy", POLICIES, ids=["shanghai", "berlin"])
def test_an_aware_frame_is_exact_in_any_policy(policy):
    pd = pytest.importorskip("pandas")
    at = pd.to_datetime(["2020-02-01 01:00", "2020-02-01 01:00"], utc=True)
    frame = pd.DataFrame({"person_id": [1, 2], "place_id": [7, 7], "start": at, "end": at + pd.Timedelta(hours=1)})
    v = precinct.visits_from_frame(frame, policy=policy)
    utc = dt.timezone.utc
    t = v.trace(1, dt.datetime(2020, 2, 1, 0, tzinfo=utc), dt.datetime(2020, 2, 1, 4, tzinfo=utc))
    assert t["person_id"].tolist() == [2]


def test_ids_that_look_like_days_stay_text():
    """(b) Text is never parsed: a household id like a day is a str, and one
    like an impossible day does not break `records()`."""
    book = precinct.Book.in_memory()
    for hid in ("2020-02-01", "2020-99-99"):
        book.execute({"type": "add_household", "household": {"id": hid, "village": "East", "group": "1", "address": "1 Road", "landlord": None}}, by="officer", at=AT)
    ids = [h["id"] for h in book.records()["households"]]
    assert sorted(ids) == ["2020-02-01", "2020-99-99"]
    assert all(type(i) is str for i in ids)


BAD_PERSON = {
    "type": "register_person",
    "person": {"id": "P9", "name": "王秀英", "document": {"kind": "resident", "number": "110105194912310021"},
               "household": None, "phone": "13912345678", "has_smartphone": True},
}


def test_one_command_alone_or_in_a_batch_is_refused_alike():
    """(c) `execute` and `execute_batch` read commands the same way."""
    book = precinct.Book.in_memory()
    with pytest.raises(precinct.PrecinctError) as alone:
        book.execute(BAD_PERSON, by="officer", at=AT)
    with pytest.raises(precinct.PrecinctError) as batched:
        book.execute_batch([("officer", AT, BAD_PERSON)])
    assert type(alone.value) is type(batched.value) is precinct.InvalidIdentityDocument
    assert alone.value.code == batched.value.code == "invalid_identity_document"
    assert str(alone.value) == str(batched.value)
    assert book.seq == 0


def order(book, exposure):
    book.execute({"type": "register_person", "person": dict(BAD_PERSON["person"], id="P1", document={"kind": "resident", "number": "11010519491231002X"})}, by="officer", at=AT)
    return book.execute({"type": "order_observation", "order": "O1", "person": "P1", "kind": "home", "last_exposure": exposure, "reason": "contact"}, by="officer", at=AT)


@pytest.mark.parametrize("policy,offset", [("nhc-2020", 8), (berlin(), 1)], ids=["shanghai", "berlin"])
def test_a_naive_time_text_in_a_command_is_read_in_the_policy_zone(policy, offset):
    """(d) ISO text without an offset inside a command is a local time of
    the policy's zone, like a naive datetime."""
    book = precinct.Book.in_memory(policy=policy)
    order(book, "2020-01-31 20:00")
    entry = book.history(person="P1")[-1]
    utc = dt.datetime(2020, 1, 31, 20 - offset, tzinfo=dt.timezone.utc)
    assert entry["command"]["last_exposure"] == utc


def test_a_malformed_time_in_a_command_names_its_field():
    book = precinct.Book.in_memory()
    with pytest.raises(precinct.InvalidValue) as e:
        order(book, "2020-01-31 25:00")
    assert "last_exposure" in str(e.value)
    assert "last_exposure" in e.value.field
    assert e.value.value == "2020-01-31 25:00"
    assert e.value.code == "invalid_value"


@pytest.mark.parametrize("policy,hours", [("nhc-2020", 8), (berlin(), 1)], ids=["shanghai", "berlin"])
def test_times_in_answers_are_aware_in_the_policy_zone(policy, hours):
    """(e) Answers carry the policy's zone, not UTC."""
    book = precinct.Book.in_memory(policy=policy)
    receipt = order(book, AT)
    assert receipt["seq"] == 2
    at = book.history(person="P1")[0]["at"]
    assert at.utcoffset() == dt.timedelta(hours=hours)
    assert at.replace(tzinfo=None) == AT
    starts = [o["start"] for o in book.orders()]
    assert starts and all(t.utcoffset() == dt.timedelta(hours=hours) for t in starts)


@pytest.mark.parametrize(
    "call",
    [
        lambda: precinct.Book.in_memory().execute(object(), by="officer", at=AT),
        lambda: precinct.Book.in_memory().execute({"type": "assign_leader", "village": 1.5j, "staff": "s"}, by="o", at=AT),
        lambda: precinct.Book.in_memory().missing_reports(object()),
        lambda: precinct.Visits.from_columns(["a"], ["m"], np.array([0]), np.array([1])).trace("a", object(), 5),
        lambda: precinct.StationKey(b"short"),
    ],
    ids=["command", "value-in-command", "query-argument", "window", "key-seed"],
)
def test_errors_the_binding_raises_have_a_code_and_fields(call):
    """(f) The binding's own refusals are the core's `invalid_value`."""
    with pytest.raises(precinct.InvalidValue) as e:
        call()
    assert e.value.code == "invalid_value"
    assert e.value.field and e.value.expected


def test_the_minimum_overlap_is_the_policys():
    """Visits take the default minimum overlap from their policy."""
    policy = dict(precinct.policy("nhc-2020"), name="short-overlap", min_overlap_seconds=60)
    start, end = np.array([0, 3500], dtype=np.int64), np.array([3600, 7200], dtype=np.int64)
    strict = precinct.Visits.from_columns(["a", "b"], ["m", "m"], start, end)
    lenient = precinct.Visits.from_columns(["a", "b"], ["m", "m"], start, end, policy=policy)
    assert len(strict.trace("a", 0, 86_400)) == 0
    assert lenient.trace("a", 0, 86_400)["person_id"].tolist() == ["b"]


def test_a_misspelled_key_of_a_policy_dict_is_refused_not_dropped():
    policy = precinct.policy("nhc-2020")
    policy["min_overlap_second"] = 60  # min_overlap_seconds misspelled
    with pytest.raises(precinct.InvalidValue) as e:
        precinct.Book.in_memory(policy=policy)
    assert "min_overlap_second" in str(e.value) and e.value.code == "invalid_value"
    with pytest.raises(precinct.InvalidValue):
        precinct.Visits.from_columns([1, 2], [10, 10], [0, 3300], [3600, 7200], policy=policy)


def test_a_frame_without_a_column_raises_a_typed_error():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"person_id": [1], "place_id": [2], "start": [0]})
    with pytest.raises(precinct.DataImportError) as e:
        precinct.Visits.from_frame(frame)
    assert e.value.column == "end" and e.value.row is None and e.value.code == "frame"


def test_unix_seconds_are_a_time_in_query_arguments_as_in_at():
    book = precinct.Book.in_memory()
    assert book.returnees(as_of=1_583_000_000) == book.returnees(as_of="2020-02-29T18:13:20Z")
