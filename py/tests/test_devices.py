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
    assert desk.devices == team.devices == {"desk": 1, "team-1": 2}
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


def base_with_key():
    """A station with a signing key, as a checkpoint kit needs it."""
    book = precinct.Book.in_memory()
    key = precinct.StationKey(bytes(32))
    book.execute({"type": "add_station_key", "key": key.public_key, "valid_from": "2020-01-20 08:00"},
                 by="desk", at="2020-01-20 08:00")
    return book.snapshot_text(), key


def test_a_checkpoint_chain_merges_its_crossings_and_surfaces_a_revoked_pass_let_through():
    base, key = base_with_key()
    desk = precinct.DeviceBook.create(base, device="desk", number=1)
    holder = register(desk, "C01X00T47")
    serial = desk.execute({"type": "issue_pass", "application": {
        "holder": holder, "kind": "county", "enterprise": None, "scope": "town"}},
        by="li", at="2020-02-01 09:10")["outcome"]["serial"]
    token = desk.token(serial, key)
    tablet = precinct.CheckpointChain.start(device="exit-3", number=7, base_hash=desk.base_hash)
    desk.execute({"type": "revoke_pass", "serial": serial}, by="li", at="2020-02-02 09:00")
    # The tablet's kit was made before the revocation.
    verdict = precinct.verify_token(token, key.public_key, at="2020-02-02 10:00")
    assert verdict["allowed"]
    receipt = tablet.record_crossing("highway exit 3", token, verdict, by="zhao", at="2020-02-02 10:00")
    assert receipt["seq"] == 1 and receipt["outcome"]["verdict"]["allowed"]
    report = desk.merge(tablet.lines_since(desk.frontier))
    assert report["devices"] == ["exit-3"]
    assert [c["kind"] for c in report["conflicts"]] == ["checked_after_revocation"]
    assert [c["verdict_allowed"] for c in desk.crossings()] == [True]
    # Reopened from its lines, the chain goes on.
    again = precinct.CheckpointChain.open(tablet.journal_text)
    assert (again.device, again.number, again.events, again.base_hash) == ("exit-3", 7, 1, desk.base_hash)
    assert "exit-3" in repr(again)


def test_a_checkpoint_chain_refuses_bad_arguments_with_typed_errors():
    base, key = base_with_key()
    desk = precinct.DeviceBook.create(base, device="desk", number=1)
    for device, number, base_hash in [("exit 3", 7, desk.base_hash), ("exit-3", 0, desk.base_hash), ("exit-3", 7, "abc")]:
        with pytest.raises(precinct.InvalidValue):
            precinct.CheckpointChain.start(device=device, number=number, base_hash=base_hash)
    tablet = precinct.CheckpointChain.start(device="exit-3", number=7, base_hash=desk.base_hash)
    denied = precinct.verify_token("PC1.x", key.public_key, at=AT)
    with pytest.raises(precinct.InvalidValue):
        tablet.record_crossing(" ", "PC1.x", denied, by="zhao", at=AT)
    with pytest.raises(precinct.InvalidValue):
        tablet.record_crossing("exit", "PC1.x", {**denied, "allowed": True}, by="zhao", at=AT)
    with pytest.raises(precinct.InvalidValue):
        tablet.record_crossing("exit", "PC1.x", {"allowed": "maybe"}, by="zhao", at=AT)
    with pytest.raises(precinct.InvalidIdentityDocument):
        tablet.record_crossing("exit", "PC1.x", denied, by="zhao", at=AT, document="123")
    assert tablet.events == 0
    with pytest.raises(precinct.DeviceChainDamaged):
        precinct.CheckpointChain.open(desk.journal_text.replace('"desk"', '"dusk"'))
    with pytest.raises(precinct.RecordNotFound):
        precinct.CheckpointChain.open("")


def test_a_forms_fields_and_references_are_checked_as_typed():
    assert precinct.validate_field("nationality", "kor") == "KOR"
    with pytest.raises(precinct.InvalidValue, match="full name"):
        precinct.validate_field("person_name", "  ")
    with pytest.raises(precinct.InvalidIdentityDocument):
        precinct.validate_field("passport_number", "C01-X00")
    desk, _, _ = devices()
    holder = register(desk, "C01X00T47")
    desk.check_reference("person", holder)
    with pytest.raises(precinct.RecordNotFound, match="P9"):
        desk.check_reference("person", "P9")
    with pytest.raises(precinct.InvalidValue):
        desk.check_reference("pass", "four")
    book = precinct.Book.in_memory()
    with pytest.raises(precinct.RecordNotFound):
        book.check_reference("household", "H1")


def test_a_book_reopens_with_a_base_hash_the_caller_computed():
    import hashlib
    desk, _, base = devices()
    register(desk, "C01X00T47")
    digest = hashlib.sha256(base.encode()).hexdigest()
    assert digest == desk.base_hash
    again = precinct.DeviceBook.open(base, device="desk", journal=desk.journal_text, base_hash=digest)
    assert again.frontier == desk.frontier
    with pytest.raises(precinct.DeviceChainDamaged):
        precinct.DeviceBook.open(base, device="desk", journal=desk.journal_text,
                                 base_hash=hashlib.sha256(b"another base").hexdigest())
    with pytest.raises(precinct.InvalidValue):
        precinct.DeviceBook.open(base, device="desk", journal=desk.journal_text, base_hash="abc")
