// Many devices, one record book, from JavaScript: two devices offline,
// merged in both orders, with device-scoped serials, a surfaced conflict
// resolved by a recorded command, and a damaged chain refused.
import { createHash } from "node:crypto";
import { test } from "node:test";
import assert from "node:assert/strict";
import precinct from "../pkg/node/precinct_wasm.js";

const { Book, CheckpointChain, DeviceBook, StationKey, validateField, verifyToken } = precinct;
const AT = "2020-02-01 09:00";
const person = (id, passport) => ({
  type: "register_person",
  person: { id, name: "Anna Weber", household: null, phone: null, has_smartphone: false,
    document: { kind: "passport", nationality: "DEU", number: passport } },
});

function devices() {
  const base = Book.inMemory().snapshotText();
  return [DeviceBook.create(base, "desk", 1), DeviceBook.create(base, "team-1", 2), base];
}

test("two devices offline end with one book and the document registered twice surfaced", () => {
  const [desk, team, base] = devices();
  const kept = desk.newId("P");
  desk.execute(person(kept, "C01X00T47"), "li", AT);
  const twin = team.newId("P");
  assert.equal(twin, "P-team-1-1");
  team.execute(person(twin, "C01X00T47"), "wang", AT);
  const report = team.merge(desk.linesSince(team.frontier));
  assert.equal(report.added, 1);
  assert.deepEqual(report.devices, ["desk"]);
  desk.merge(team.linesSince(desk.frontier));
  assert.deepEqual(desk.frontier, { desk: 1, "team-1": 1 });
  assert.deepEqual(desk.frontier, team.frontier);
  assert.deepEqual(desk.devices, { desk: 1, "team-1": 2 });
  assert.deepEqual(desk.persons(), team.persons());
  const [conflict] = desk.conflicts;
  assert.equal(conflict.kind, "document_registered_twice");
  assert.deepEqual([conflict.event, conflict.earlier], [{ device: "team-1", seq: 1 }, { device: "desk", seq: 1 }]);
  desk.execute({ type: "merge_persons", keep: kept, duplicate: twin }, "chief", "2020-02-01 12:00");
  desk.execute({ type: "resolve_conflict", conflict: conflict.id, decision: "one person" }, "chief", "2020-02-01 12:01");
  team.merge(desk.linesSince(team.frontier));
  assert.deepEqual(team.conflicts, []);
  assert.equal(team.allConflicts.length, 1);
  assert.equal(team.persons().length, 1);
  const again = DeviceBook.open(base, "team-1", team.journalText);
  assert.equal(again.events, 4);
  assert.deepEqual(again.persons(), team.persons());
});

test("pass serials issued offline come from each device's block and stay exact numbers", () => {
  const [desk, team] = devices();
  const serials = [desk, team].map((book) => {
    const id = book.newId("P");
    book.execute(person(id, `C01X00T4${book.number}`), "li", AT);
    return book.execute({ type: "issue_pass", application: { holder: id, kind: "county", enterprise: null, scope: "town" } }, "li", AT)
      .outcome.serial;
  });
  assert.deepEqual(serials, [2 ** 32, 2 * 2 ** 32]);
  team.merge(desk.journalText);
  assert.deepEqual(team.passes().map((p) => p.serial).sort(), serials);
});

test("a damaged chain throws DeviceChainDamaged with its device and sequence number, taking nothing", () => {
  const [desk, team] = devices();
  team.execute(person(team.newId("P"), "C01X00T47"), "wang", AT);
  const lines = team.journalText.replace("Anna Weber", "Anna Webber");
  assert.throws(() => desk.merge(lines), (e) => {
    assert.equal(e.name, "DeviceChainDamaged");
    assert.equal(e.code, "device_chain_damaged");
    assert.deepEqual([e.device, e.seq], ["team-1", 1]);
    return true;
  });
  assert.deepEqual(desk.frontier, { desk: 0 });
  assert.throws(() => desk.linesSince([]), (e) => e.name === "InvalidValue");
  assert.throws(() => DeviceBook.create("{}", "d", 1), (e) => e.name === "InvalidValue");
  assert.throws(() => DeviceBook.create(Book.inMemory().snapshotText(), "d", 0), (e) => e.name === "InvalidValue");
});

test("a checkpoint's chain merges its crossings as the kit decided them, surfacing a revoked pass let through", () => {
  const key = new StationKey(new Uint8Array(32).fill(7));
  const station = Book.inMemory();
  station.execute({ type: "add_station_key", key: key.publicKey, valid_from: "2020-01-20 08:00" }, "desk", "2020-01-20 08:00");
  const desk = DeviceBook.create(station.snapshotText(), "desk", 1);
  const holder = desk.newId("P");
  desk.execute(person(holder, "C01X00T47"), "li", AT);
  const serial = desk.execute({ type: "issue_pass", application: { holder, kind: "county", enterprise: null, scope: "town" } },
    "li", "2020-02-01 09:10").outcome.serial;
  const token = desk.token(serial, key);
  const tablet = CheckpointChain.start("exit-3", 7, desk.baseHash);
  desk.execute({ type: "revoke_pass", serial }, "li", "2020-02-02 09:00");
  // The tablet's kit predates the revocation: it lets the pass through.
  const verdict = verifyToken(token, key.publicKey, "2020-02-02 10:00", []);
  assert.equal(verdict.allowed, true);
  const receipt = tablet.recordCrossing("highway exit 3", token, verdict, "zhao", "2020-02-02 10:00");
  assert.equal(receipt.seq, 1);
  const report = desk.merge(tablet.linesSince(desk.frontier));
  assert.deepEqual(report.devices, ["exit-3"]);
  assert.deepEqual(report.conflicts.map((c) => c.kind), ["checked_after_revocation"]);
  assert.deepEqual(desk.crossings().map((c) => c.verdict.allowed), [true]);
  const again = CheckpointChain.open(tablet.journalText);
  assert.deepEqual([again.device, again.number, again.events, again.baseHash], ["exit-3", 7, 1, desk.baseHash]);
  // Bad arguments throw typed errors and record nothing.
  assert.throws(() => CheckpointChain.start("exit 3", 7, desk.baseHash), { name: "InvalidValue" });
  assert.throws(() => CheckpointChain.start("exit-3", 7, "abc"), { name: "InvalidValue" });
  assert.throws(() => tablet.recordCrossing("exit", token, { ...verdict, reason: "revoked" }, "zhao", AT), { name: "InvalidValue" });
  assert.throws(() => tablet.recordCrossing("exit", token, verdict, "", AT), { name: "InvalidValue" });
  assert.throws(() => CheckpointChain.open(desk.journalText.replace('"desk"', '"dusk"')), { name: "DeviceChainDamaged" });
  assert.equal(tablet.events, 1);
});

test("a form's fields and references are checked as typed, with the words a submit gives", () => {
  assert.equal(validateField("nationality", "kor"), "KOR");
  assert.throws(() => validateField("person_name", " "), { name: "InvalidValue", message: /full name/ });
  assert.throws(() => validateField("passport_number", "C01-X00"), { name: "InvalidIdentityDocument" });
  const [desk] = devices();
  const typed = (() => { try { desk.checkReference("person", "P9"); } catch (e) { return e; } })();
  assert.equal(typed.name, "RecordNotFound");
  const submitted = (() => {
    try {
      desk.execute({ type: "issue_pass", application: { holder: "P9", kind: "county", enterprise: null, scope: "town" } }, "li", AT);
    } catch (e) { return e; }
  })();
  assert.equal(typed.message, submitted.message);
  const name = (() => { try { validateField("person_name", ""); } catch (e) { return e; } })();
  const nameless = person("P1", "C01X00T47");
  nameless.person.name = "";
  const refused = (() => { try { desk.execute(nameless, "li", AT); } catch (e) { return e; } })();
  assert.equal(name.message, refused.message);
});

test("a book reopens from its base's UTF-8 bytes and a hash the caller computed", () => {
  const [desk, , base] = devices();
  desk.execute(person(desk.newId("P"), "C01X00T47"), "li", AT);
  const bytes = new TextEncoder().encode(base);
  const hash = createHash("sha256").update(bytes).digest("hex");
  assert.equal(hash, desk.baseHash);
  const again = DeviceBook.open(bytes, "desk", desk.journalText, hash);
  assert.deepEqual(again.persons(), desk.persons());
  assert.deepEqual(DeviceBook.open(base, "desk", desk.journalText, null).frontier, desk.frontier);
  const other = createHash("sha256").update("another base").digest("hex");
  assert.throws(() => DeviceBook.open(bytes, "desk", desk.journalText, other), { name: "DeviceChainDamaged" });
  assert.throws(() => DeviceBook.open(bytes, "desk", desk.journalText, "abc"), { name: "InvalidValue" });
  assert.throws(() => DeviceBook.open(new Uint8Array([0xff, 0xfe]), "desk", desk.journalText), { name: "InvalidValue" });
});
