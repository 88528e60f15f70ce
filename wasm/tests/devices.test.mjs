// Many devices, one record book, from JavaScript: two devices offline,
// merged in both orders, with device-scoped serials, a surfaced conflict
// resolved by a recorded command, and a damaged chain refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import precinct from "../pkg/node/precinct_wasm.js";

const { Book, DeviceBook } = precinct;
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
