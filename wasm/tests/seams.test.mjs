// One test per seam between JavaScript and the core that the bindings of
// issue 12 got wrong before: each would have failed against the old layer.
import { test } from "node:test";
import assert from "node:assert/strict";
import precinct from "../pkg/node/precinct_wasm.js";

const { Book, StationKey, verifyToken } = precinct;

function thrown(f) {
  try { f(); } catch (e) { return e; }
  assert.fail("expected an error");
}

const person = (id, number) => ({
  type: "register_person",
  person: { id, name: "王秀英", household: null, phone: null, has_smartphone: false,
    document: { kind: "resident", number } },
});

test("map keys are not renamed: report.denials is keyed as verdict.reason says", () => {
  // Before, every key was camelCased at run time, map keys too:
  // `denials.badSignature` beside `verdict.reason === "bad_signature"`.
  const book = Book.demo(2020, true);
  const key = new StationKey(new Uint8Array(32).fill(42));
  const token = book.token(1, key);
  const tampered = token.slice(0, -6) + (token.at(-6) === "A" ? "B" : "A") + token.slice(-5);
  const verdict = verifyToken(tampered, key.publicKey, "2020-03-20T10:00");
  assert.equal(verdict.reason, "bad_signature");
  const report = book.report({ as_of: "2020-04-30T18:00" });
  assert.ok(verdict.reason in report.denials, `denials: ${Object.keys(report.denials)}`);
  // Fields keep the journal's names, as Python and the JSON format have them.
  assert.ok("as_of" in report && !("asOf" in report));
});

test("a naive time in a command is read in the policy's zone; a malformed one names its field", () => {
  const book = Book.inMemory("nhc-2020");
  book.execute(person("P1", "11010519491231002X"), "officer", "2020-01-24T09:00");
  book.execute({ type: "record_travel", travel: { person: "P1", from_area: "Wuhan",
    departed: "2020-01-20 08:00", arrived: "2020-01-20 18:30" } }, "officer", "2020-01-24T09:00");
  const [travel] = book.travels();
  assert.equal(travel.departed, "2020-01-20T08:00:00+08:00");
  assert.equal(Date.parse(travel.arrived), Date.parse("2020-01-20T10:30:00Z"));
  const e = thrown(() => book.execute({ type: "record_travel", travel: { person: "P1", from_area: "Wuhan",
    departed: "2020-01-20 25:00", arrived: "2020-01-20 18:30" } }, "officer", "2020-01-24T09:00"));
  assert.equal(e.name, "InvalidValue");
  assert.equal(e.code, "invalid_value");
  assert.match(e.field, /travel\.departed/);
  assert.equal(e.value, "2020-01-20 25:00");
  assert.equal(book.seq, 2, "nothing journaled");
});

test("times in answers carry the policy zone's offset, whatever zone they were given in", () => {
  const book = Book.inMemory("nhc-2020");
  const receipt = book.execute(person("P1", "11010519491231002X"), "officer", new Date("2020-01-24T01:00:00Z"));
  assert.equal(receipt.seq, 1);
  const [entry] = book.history({ person: "P1" });
  assert.equal(entry.at, "2020-01-24T09:00:00+08:00");
  assert.equal(book.report({ as_of: "2020-01-24T12:00:00Z" }).as_of, "2020-01-24T20:00:00+08:00");
});

test("the binding's own argument errors have a code and name the argument", () => {
  const book = Book.inMemory();
  const cases = [
    [() => book.execute(person("P1", "11010519491231002X"), "officer", new Date(NaN)), "at"],
    [() => book.execute({ type: "revoke_pass", serial: 10n }, "officer", "2020-01-24T09:00"), "command.serial"],
    [() => book.missingReports("2020-02-01"), "request"],
    [() => new StationKey(new Uint8Array(3)), "key seed"],
    [() => book.token(1, {}), "key"],
    [() => Book.inMemory(7), "policy"],
  ];
  for (const [call, field] of cases) {
    const e = thrown(call);
    assert.equal(e.name, "InvalidValue", `${field}: ${e}`);
    assert.equal(e.code, "invalid_value", field);
    assert.ok(String(e.field).startsWith(field), `${e.field} should name ${field}`);
    assert.equal(typeof e.expected, "string", field);
  }
  assert.equal(book.seq, 0);
});

test("execute and executeBatch refuse the same bad identity number with the same code", () => {
  const bad = person("P2", "110105194912310021"); // check digit should be X
  const one = thrown(() => Book.inMemory().execute(bad, "officer", "2020-01-24T09:00"));
  const book = Book.inMemory();
  const batch = thrown(() => book.executeBatch([
    { by: "officer", at: "2020-01-24T09:00", command: person("P1", "11010519491231002X") },
    { by: "officer", at: "2020-01-24T09:01", command: bad },
  ]));
  assert.equal(one.code, "invalid_identity_document");
  assert.equal(batch.code, one.code);
  assert.equal(batch.name, one.name);
  assert.equal(book.seq, 0, "every command is read before any is written");
});

test("a policy object with another zone is taken, and a misspelled key in it is refused", () => {
  const berlin = { ...precinct.policy("nhc-2020"), zone: "Europe/Berlin" };
  const book = Book.inMemory(berlin);
  assert.equal(book.policy.zone, "Europe/Berlin");
  book.execute({ type: "set_risk_level", area: "A1", name: "Wuhan", from: "2020-07-01 00:00", level: "high" },
    "desk", "2020-07-02 09:00");
  assert.equal(book.riskAreas()[0].levels[0][0], "2020-07-01T00:00:00+02:00");
  assert.throws(() => Book.inMemory({ ...berlin, min_overlap_second: 60 }),
    (e) => e.code === "invalid_value" && e.message.includes("min_overlap_second"));
});

test("a table's records go into the book from CSV text, every row read before any command runs", () => {
  const book = Book.inMemory("nhc-2020");
  const visits = "person_id,place_id,start,end\nP1,market,2020-01-25 09:00,2020-01-25 10:00\nP2,market,2020-01-25 09:10,2020-01-25 09:40\n";
  const [receipt] = book.importRecords("visits", visits, null, "officer", "2020-01-27T09:00");
  assert.equal(receipt.seq, book.seq);
  book.importRecords("cases", "case_id,person_id,onset,confirmed,infected_by\nC1,P1,,2020-01-26,\n", undefined, "officer", "2020-01-27T09:00");
  const interviews = precinct.readInterviews("case_id,person_id,at,note\nC1,P9,2020-01-24 19:00,dinner\n");
  assert.equal(interviews[0].at, "2020-01-24T19:00:00+08:00");
  book.importRecords("interviews", "case_id,person_id,at,note\nC1,P9,2020-01-24 19:00,dinner\n", null, "officer", "2020-01-27T09:00");
  assert.deepEqual(book.closeContacts({ cases: ["C1"] }).map((c) => c.person).sort(), ["P2", "P9"]);
  const seq = book.seq;
  const e = thrown(() => book.importRecords("cases", "case_id,person_id,onset,confirmed,infected_by\nC2,P2,,soon,\n", null, "officer", "2020-01-27T09:00"));
  assert.equal(e.name, "DataImportError");
  assert.equal(e.line, 2);
  assert.equal(book.seq, seq);
  assert.equal(thrown(() => book.importRecords("residents", "household_id\n", null, "officer", "2020-01-27T09:00")).name, "InvalidValue");
});
