"""Many devices, one record book, from Python: device chains, merges in
any order, device-scoped serials, conflicts and damaged chains."""

import pytest

import precinct

AT = "2020-02-01 09:00"


def register(book, passport):
    person_id = book.new_id("P")
    book.execute(
        {"type": "register_person", "person": {
            "id": person_id, "name": "Anna Weber", "household": None, "phone": None,
            "has_smartphone": False,
            "document": {"kind": "passport", "nationality": "DEU", "number": passport}}},
        by="officer-wang", at=AT)
    return person_id


def devices():
    base = precinct.Book.in_memory().snapshot_text()
    return (precinct.DeviceBook.create(base, device="desk", number=1),
            precinct.DeviceBook.create(base, device="team-1", number=2), base)


def sync(a, b):
    b.merge(a.lines_since(b.frontier))
    a.merge(b.lines_since(a.frontier))


def test_two_devices_offline_end_with_one_book_and_the_conflict_named():
    desk, team, base = devices()
    kept = register(desk, "C01X00T47")
    register(team, "C01X00T47")
    report = team.merge(desk.lines_since(team.frontier))
    assert report["added"] == 1 and report["devices"] == ["desk"]
    assert [c["kind"] for c in report["conflicts"]] == ["document_registered_twice"]
    desk.merge(team.lines_since(desk.frontier))
    assert desk.journal_text != "" and desk.frontier == team.frontier == {"desk": 1, "team-1": 1}
    assert len(desk.persons()) == len(team.persons()) == 2
    conflict = desk.conflicts[0]
    assert conflict["event"] == {"device": "team-1", "seq": 1}
    assert conflict["earlier"] == {"device": "desk", "seq": 1}
    # A person decides: merge the two, and record the decision.
    desk.execute({"type": "merge_persons", "keep": kept, "duplicate": "P-team-1-1"},
                 by="chief", at="2020-02-01 12:00")
    desk.execute({"type": "resolve_conflict", "conflict": conflict["id"], "decision": "one person"},
                 by="chief", at="2020-02-01 12:01")
    sync(desk, team)
    assert team.conflicts == [] and len(team.all_conflicts) == 1
    assert len(team.persons()) == 1
    # Reopened from the kept lines, the book is the same.
    again = precinct.DeviceBook.open(base, device="team-1", journal=team.journal_text)
    assert again.frontier == team.frontier and again.events == 4
    assert "team-1" in repr(again)


def test_serials_issued_offline_are_device_scoped():
    desk, team, _ = devices()
    serials = []
    for book in (desk, team):
        holder = register(book, f"C01X00T4{book.number}")
        receipt = book.execute({"type": "issue_pass", "application": {
            "holder": holder, "kind": "county", "enterprise": None, "scope": "town"}}, by="li", at=AT)
        serials.append(receipt["outcome"]["serial"])
    assert serials == [1 << 32, 2 << 32]
    sync(desk, team)
    assert sorted(p["serial"] for p in desk.passes()) == serials
    key = precinct.StationKey(bytes(32))
    assert desk.token(serials[1], key) == team.token(serials[1], key)


def test_a_damaged_chain_raises_with_its_device_and_sequence_number():
    desk, team, _ = devices()
    register(team, "C01X00T47")
    lines = team.lines_since({}).replace("Anna Weber", "Anna Webber")
    with pytest.raises(precinct.DeviceChainDamaged) as e:
        desk.merge(lines)
    assert (e.value.device, e.value.seq, e.value.code) == ("team-1", 1, "device_chain_damaged")
    assert isinstance(e.value, precinct.PrecinctError)
    assert desk.frontier == {"desk": 0}, "nothing taken"


@pytest.mark.parametrize("device,number", [("", 1), ("a b", 1), ("team/1", 1), ("d", 0), ("d", 65536)])
def test_bad_device_names_and_numbers_raise_invalid_value(device, number):
    base = precinct.Book.in_memory().snapshot_text()
    with pytest.raises(precinct.InvalidValue):
        precinct.DeviceBook.create(base, device=device, number=number)


def test_a_base_that_is_not_a_snapshot_and_bad_arguments_raise_typed_errors():
    with pytest.raises(precinct.InvalidValue):
        precinct.DeviceBook.create("{}", device="d", number=1)
    desk, _, _ = devices()
    with pytest.raises(TypeError):
        desk.lines_since({"desk": "one"})
    with pytest.raises(precinct.RecordNotFound):
        desk.execute({"type": "resolve_conflict", "conflict": "team-1/9", "decision": "x"}, by="li", at=AT)
