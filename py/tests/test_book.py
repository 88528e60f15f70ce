"""The record book from Python: commands of every area, the journal on disk
and in a string, damage and locking, audit, snapshots and the export."""

import datetime as dt
import pickle

import pytest

import precinct
from conftest import cases

CST = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2020, 2, 1, 9, 0)  # naive: read in the policy's zone (UTC+8)


def person(pid, number, smartphone=True, household=None):
    return {
        "type": "register_person",
        "person": {
            "id": pid,
            "name": "王秀英",
            "document": {"kind": "resident", "number": number},
            "household": household,
            "phone": "13912345678",
            "has_smartphone": smartphone,
        },
    }


def story(book):
    book.execute({"type": "add_household", "household": {"id": "H1", "village": "Yaozhuang", "group": "3", "address": "18 Old Street", "landlord": None}}, by="officer-wang", at=AT)
    book.execute(person("P1", "11010519491231002X", household="H1"), by="officer-wang", at=AT)
    book.execute(person("P2", "440524188001010014", smartphone=False), by="officer-wang", at=AT)
    book.execute({"type": "set_landlord", "household": "H1", "landlord": "P1"}, by="officer-wang", at=AT)
    book.execute({"type": "sign_commitment", "household": "H1", "landlord": "P1", "day": dt.date(2020, 1, 31)}, by="officer-wang", at=AT)
    book.execute({"type": "file_daily_report", "household": "H1", "day": dt.date(2020, 2, 1)}, by="landlord-app", at=AT)
    return book.execute({"type": "issue_pass", "application": {"holder": "P2", "kind": "county", "enterprise": None, "scope": "town"}}, by="officer-li", at=AT)


def test_a_service_survives_a_restart(tmp_path):
    path = tmp_path / "station.journal"
    book = precinct.Book.open_or_create(path)
    receipt = story(book)
    assert receipt["outcome"] == {"kind": "pass_issued", "serial": 1}
    assert book.recovery["created"] is True
    with pytest.raises(precinct.JournalLocked) as e:
        precinct.Book.open(path)
    assert e.value.code == "journal_locked"
    head = book.head
    del book
    again = precinct.Book.open(path)
    assert again.recovery["events"] == 7 and again.head == head
    trail = [(h["seq"], h["by"], h["command"]["type"]) for h in again.history(pass_serial=1)]
    assert trail == [(7, "officer-li", "issue_pass")]
    assert again.history(person="P2")[0]["at"] == dt.datetime(2020, 2, 1, 1, 0, tzinfo=dt.timezone.utc)


def test_refused_commands_raise_their_kind_and_change_nothing():
    book = precinct.Book.in_memory()
    story(book)
    seq = book.seq
    with pytest.raises(precinct.DuplicateRecord):
        book.execute(person("P9", "11010519491231002X"), by="x", at=AT)
    with pytest.raises(precinct.NotEligible) as e:
        book.execute({"type": "issue_pass", "application": {"holder": "P1", "kind": "county", "enterprise": None, "scope": "town"}}, by="x", at=AT)
    assert "smartphone" in str(e.value)
    with pytest.raises(precinct.RecordNotFound):
        book.execute({"type": "revoke_pass", "serial": 99}, by="x", at=AT)
    book.execute({"type": "revoke_pass", "serial": 1}, by="x", at=AT)
    with pytest.raises(precinct.InvalidTransition):
        book.execute({"type": "revoke_pass", "serial": 1}, by="x", at=AT)
    with pytest.raises(precinct.InvalidValue):
        book.execute({"type": "no_such_command"}, by="x", at=AT)
    with pytest.raises(precinct.InvalidIdentityDocument, match="check character"):
        book.execute(person("P9", "110105194912310021"), by="x", at=AT)
    with pytest.raises(precinct.ImplausibleRecord):
        book.execute({"type": "add_enterprise", "enterprise": {"id": "E1", "name": "Mill", "credit_code": None, "village": "A", "sector": "textiles", "above_scale": False, "workforce": 10, "established": None}}, by="x", at=AT)
        book.execute({"type": "file_enterprise_report", "report": {"enterprise": "E1", "date": dt.date(2020, 2, 10), "resumed": True, "workers_on_site": 11}}, by="x", at=AT)
    assert book.seq == seq + 2


def test_damage_is_refused_with_the_sequence_number():
    book = precinct.Book.in_memory()
    story(book)
    text = book.journal_text
    assert precinct.Book.open_text(text).seq == 7
    with pytest.raises(precinct.JournalDamaged) as e:
        precinct.Book.open_text(text.replace('"count"', '"count"').replace("18 Old Street", "19 Old Street"))
    assert e.value.seq == 1 and e.value.code == "journal_damaged"
    torn = precinct.Book.open_text(text[:-30])
    assert torn.recovery["torn"] is not None and torn.seq == 6


def test_snapshot_and_batch():
    book = precinct.Book.in_memory()
    story(book)
    snap = book.snapshot()
    other = precinct.Book.from_snapshot(pickle.loads(pickle.dumps(snap)))
    assert other.snapshot()["station"] == snap["station"]
    receipts = other.execute_batch(
        [("landlord-app", dt.datetime(2020, 2, d, 20), {"type": "file_daily_report", "household": "H1", "day": dt.date(2020, 2, d)}) for d in (2, 3)]
    )
    assert [r["seq"] for r in receipts] == [8, 9]


def test_every_area_of_the_demo_town(demo):
    report = demo.report(dt.datetime(2020, 4, 30, 18, 0))
    assert report["contacts"]["contacts"] == 29
    assert report["cases"] == 3
    assert "<table>" in report._repr_html_()
    assert "Station report" in str(report)
    rates = demo.resumption_series(dt.date(2020, 2, 10), dt.date(2020, 3, 31)).to_pandas()
    assert rates["enterprise_rate"].iloc[-1] == 1.0
    assert demo.passes_per_day().to_pandas()["count"].sum() == 100 + 20
    services = demo.service_counts(dt.date(2020, 2, 1), dt.date(2020, 4, 30)).to_dict()
    assert "foreigner_registration" in services["kind"]
    assert demo.overdue_registrations(dt.datetime(2020, 4, 30)) == []
    key = precinct.StationKey(bytes([42] * 32))
    at = dt.datetime(2020, 3, 1, 9, tzinfo=CST)
    valid = [p for p in demo.records()["passes"] if p["valid_from"] <= at < p["valid_until"] and p["revoked_at"] is None]
    serial = valid[0]["serial"]
    token = demo.token(serial, key)
    assert precinct.verify_token(token, key.public_key, at=at)["allowed"] is True
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    assert precinct.verify_token(tampered, key.public_key, at=at)["reason"] == "bad_signature"
    assert precinct.verify_token(token, key.public_key, at=dt.datetime(2021, 1, 1))["reason"] == "expired"
    assert precinct.verify_token(token, key.public_key, at=dt.datetime(2019, 1, 1))["reason"] == "not_yet_valid"
    assert precinct.verify_token(token, key.public_key, at=at, revoked=[serial])["reason"] == "revoked"
    card = valid[0]["holder_document_number"]  # a Table's rows are flat
    shown = precinct.verify_token(token, key.public_key, at=at, document=card, holder_key=key.holder_key)
    assert shown["allowed"] is True and shown["holder"] == "matches"
    other = precinct.verify_token(token, key.public_key, at=at, document="11010519491231002X", holder_key=key.holder_key)
    assert other["reason"] == "holder_mismatch"
    with pytest.raises(precinct.InvalidValue):
        precinct.verify_token(token, key.public_key, at=at, document=card)
    records = demo.records()
    assert {"persons", "households", "cases", "contacts", "orders", "passes", "stays", "enterprises"} <= set(records)
    export = demo.analytic_export(b"sixteen byte key")
    assert all(p["pseudonym"].startswith("p_") for p in export["persons"])
    files = demo.export_csv()
    residents = precinct.read_residents(files["households"], files["persons"])
    assert len(residents["persons"]) == report["persons"]
    data = precinct.read_resumption(files["enterprises"], files["reports"])
    assert len(data["enterprises"]) == 30
    assert len(precinct.read_cases(files["cases"])) == 3


@pytest.mark.parametrize("s", cases("resumption_scenarios.json")["scenarios"], ids=lambda s: s["name"][:40])
def test_resumption_scenarios(s):
    if "error" in s:
        with pytest.raises(precinct.DataImportError) as e:
            precinct.read_resumption(s["enterprises"], s["reports"])
        assert s["error"] in str(e.value)
        assert e.value.line == 3
        return
    data = precinct.read_resumption(s["enterprises"], s["reports"])
    book = precinct.Book.in_memory()
    for e in data["enterprises"]:
        book.execute({"type": "add_enterprise", "enterprise": e}, by="portal", at=AT)
    for r in data["reports"]:
        # A report is entered on or after its own day (an earlier entry is implausible).
        at = dt.datetime.combine(dt.date.fromisoformat(str(r["date"])), dt.time(18, 0))
        book.execute({"type": "file_enterprise_report", "report": r}, by="portal", at=at)
    for e in s["expected"]:
        table = book.resumption_rates(dt.date.fromisoformat(e["date"]), by=e["by"]).to_dict()
        i = table["group"].index(e["group"])
        got = tuple(table[k][i] for k in ("enterprises", "resumed", "workforce", "on_site"))
        assert got == (e["enterprises"], e["resumed"], e["workforce"], e["on_site"]), s["name"]


def test_policies():
    assert precinct.preset_names()[0] == "nhc-2020"
    p = precinct.policy("rural-1986")
    assert p["foreigner_registration_hours"] == 72
    assert isinstance(p["effective"], dt.date)
    with pytest.raises(precinct.InvalidValue):
        precinct.policy("nope")
