// The Node build against the cases shared by every layer (tests/*.json) and
// the peer vectors in ../shared/data (skipped, saying so, when absent).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import precinct from "../pkg/node/precinct_wasm.js";

const { Book, StationKey, Visits, validateDocument, residentId, policy, presetNames, verifyToken } = precinct;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHARED = join(ROOT, "..", "shared", "data");
const cases = (name) => JSON.parse(readFileSync(join(ROOT, "tests", name), "utf8"));

/** Rows of a CSV file with a header (quoted fields may hold commas). */
function csvRows(path) {
  const lines = readFileSync(path, "utf8").split(/\r?\n/).filter((l) => l.length);
  const split = (line) => {
    const out = []; let cur = ""; let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === "," && !quoted) { out.push(cur); cur = ""; }
      else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const head = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i], v])));
}

function thrown(f) {
  try { f(); } catch (e) { return e; }
  assert.fail("expected an error");
}

test("identity documents: the shared cases", () => {
  for (const c of cases("identity_documents.json").cases) {
    if (c.valid) {
      assert.equal(validateDocument(c.kind, c.input), c.normalized, c.input);
    } else {
      const e = thrown(() => validateDocument(c.kind, c.input));
      assert.ok(e instanceof Error);
      assert.equal(e.name, "InvalidIdentityDocument");
      assert.equal(e.code, "invalid_identity_document");
      assert.ok(e.message.includes(c.error), `${e.message} / ${c.error}`);
    }
  }
  const info = residentId("11010519491231002X");
  assert.deepEqual([info.birth_date, info.sex, info.region], ["1949-12-31", "female", "110105"]);
});

test("identity documents: the peer vectors", (t) => {
  const ric = join(SHARED, "cn_ric", "ric_test_vectors.csv");
  if (!existsSync(ric)) return t.skip(`${SHARED} is absent: no peer vectors on this machine`);
  const differences = new Set(["110111198012010078", "110201199312010077"]);
  let checked = 0;
  for (const row of csvRows(ric)) {
    if (!["true", "false"].includes(row.source_expected_valid)) continue;
    let ok = true;
    try { validateDocument("resident_id", row.number); } catch { ok = false; }
    assert.equal(ok, (row.source_expected_valid === "true") !== differences.has(row.number), row.number);
    checked += 1;
  }
  assert.ok(checked > 50);
  for (const row of csvRows(join(SHARED, "cn_ric", "uscc_test_vectors.csv"))) {
    let ok = true;
    try { validateDocument("credit_code", row.number); } catch { ok = false; }
    assert.equal(ok, row.source_expected_valid === "true", row.number);
  }
  for (const row of csvRows(join(SHARED, "mrz", "td3_test_vectors.csv"))) {
    let ok = true;
    try { validateDocument("passport_mrz", `${row.line1}\n${row.line2}`); } catch { ok = false; }
    assert.equal(ok, row.all_check_digits_ok === "true", row.id);
  }
});

test("tracing: the shared scenarios", () => {
  for (const s of cases("tracing_scenarios.json").scenarios) {
    const column = (i) => s.visits.map((row) => row[i]);
    const v = Visits.fromColumns(column(0), column(1), column(2), column(3));
    // Windows of a request are times (the core reads text); a Date is one.
    const [start, end] = s.window.map((t) => new Date(t * 1000));
    const request = { person: s.person, start, end, min_overlap: s.min_overlap };
    const got = v.trace(request).map((r) => [r.person_id, r.total_overlap, Date.parse(r.first_contact) / 1000]);
    assert.deepEqual(got, s.trace, s.name);
    assert.deepEqual(v.secondRing(request), s.second_ring, s.name);
  }
});

test("resumption: the shared scenarios through the record book", () => {
  for (const s of cases("resumption_scenarios.json").scenarios) {
    if (s.error) {
      const e = thrown(() => precinct.readResumption(s.enterprises, s.reports));
      assert.equal(e.name, "DataImportError");
      assert.ok(e.message.includes(s.error), e.message);
      continue;
    }
    const data = precinct.readResumption(s.enterprises, s.reports);
    const book = Book.inMemory();
    for (const enterprise of data.enterprises) book.execute({ type: "add_enterprise", enterprise }, "portal", "2020-02-01T09:00");
    // A report is entered on or after its own day (an earlier entry is implausible).
    for (const report of data.reports) book.execute({ type: "file_enterprise_report", report }, "portal", `${report.date}T18:00`);
    for (const e of s.expected) {
      const row = book.resumptionSeries({ from: e.date, to: e.date, by: e.by }).find((r) => r.group === e.group);
      assert.deepEqual([row.enterprises, row.resumed, row.workforce, row.on_site],
                       [e.enterprises, e.resumed, e.workforce, e.on_site], s.name);
    }
  }
});

test("record book: commands, errors of each kind, journal in a string, damage", () => {
  const book = Book.inMemory("nhc-2020");
  const at = new Date("2020-02-05T01:00:00Z");
  book.execute({ type: "register_person", person: { id: "P1", name: "王秀英", household: null, phone: null,
    has_smartphone: false, document: { kind: "resident", number: "11010519491231002X" } } }, "officer-wang", at);
  const receipt = book.execute({ type: "issue_pass", application: { holder: "P1", kind: "county", enterprise: null, scope: "town" } }, "officer-wang", at);
  assert.deepEqual(receipt, { seq: 2, outcome: { kind: "pass_issued", serial: 1 } });
  const again = thrown(() => book.execute({ type: "issue_pass", application: { holder: "P1", kind: "county", enterprise: null, scope: "town" } }, "officer-li", at));
  assert.equal(again.name, "NotEligible");
  assert.equal(thrown(() => book.execute({ type: "revoke_pass", serial: 9 }, "x", at)).name, "RecordNotFound");
  const typo = thrown(() => book.execute({ type: "register_person", person: { id: "P2", name: "李", household: null,
    phone: null, has_smartphone: true, document: { kind: "resident", number: "110105194912310021" } } }, "x", at));
  assert.equal(typo.name, "InvalidIdentityDocument");
  assert.equal(thrown(() => book.execute({ type: "no_such_command" }, "x", at)).name, "InvalidValue");
  assert.equal(book.seq, 2);
  const text = book.journalText;
  const reopened = Book.openText(text);
  assert.equal(reopened.head, book.head);
  assert.deepEqual(reopened.history({ pass_serial: 1 }).map((e) => e.by), ["officer-wang"]);
  const damaged = thrown(() => Book.openText(text.replace("王秀英", "王秀华")));
  assert.equal(damaged.name, "JournalDamaged");
  assert.equal(damaged.seq, 1);
  assert.ok(Book.openText(text.slice(0, -20)).recovery.torn);
});

test("passes: tokens verify offline; tampered and expired ones are denied", () => {
  const book = Book.demo(2020, true);
  const key = new StationKey(new Uint8Array(32).fill(42));
  const at = new Date("2020-03-01T01:00:00Z");
  const pass = book.passes().find((p) => p.revoked_at === null && Date.parse(p.valid_from) <= at && at < Date.parse(p.valid_until));
  const token = book.token(pass.serial, key);
  assert.equal(verifyToken(token, key.publicKey, at, book.revocationList()).allowed, true);
  const tampered = token.slice(0, -6) + (token.at(-6) === "A" ? "B" : "A") + token.slice(-5);
  assert.equal(verifyToken(tampered, key.publicKey, at).reason, "bad_signature");
  assert.equal(verifyToken(token, key.publicKey, "2021-01-01T00:00").reason, "expired");
  assert.equal(verifyToken(token, key.publicKey, at, [pass.serial]).reason, "revoked");
});

test("registrations, policies and the report", () => {
  const book = Book.demo(2020, true);
  assert.equal(book.registrationDeadline({ stay: "S-0001" }), "2020-02-21T10:00:00+08:00");
  assert.deepEqual(book.overdueRegistrations({ as_of: "2020-04-30T18:00" }), []);
  assert.equal(book.report({ as_of: "2020-04-30T18:00" }).contacts.contacts, 29);
  assert.ok(book.reportText({ as_of: new Date("2020-04-30T10:00:00Z") }).includes("Station report"));
  assert.deepEqual(presetNames(), ["nhc-2020", "nhc-2021", "who-2020", "rural-1986", "cdc-2020"]);
  assert.equal(policy("rural-1986").foreigner_registration_hours, 72);
  assert.equal(thrown(() => policy("nope")).code, "invalid_value");
});

test("close contacts by co-presence: the shared scenarios", () => {
  // Naive times of the scenarios are UTC+8, as their description says.
  const iso = (text) => text.replace(" ", "T") + (text.length === 16 ? ":00" : "") + "+08:00";
  const unix = (text) => Date.parse(iso(text)) / 1000;
  const at = new Date("2020-03-01T01:00:00Z");
  for (const s of cases("close_contact_scenarios.json").scenarios) {
    const book = Book.inMemory(s.policy);
    const visits = s.visits.trim().split("\n").slice(1).map((line) => {
      const [person, place, start, end] = line.split(",");
      return { person, place, start: unix(start), end: unix(end) };
    });
    book.execute({ type: "record_visits", visits }, "desk", at);
    for (const line of s.cases.trim().split("\n").slice(1)) {
      const [id, person, onset, confirmed, infectedBy] = line.split(",");
      const time = (t) => (t.length > 10 ? iso(t) : t);
      const c = { id, person, onset: onset ? time(onset) : null, confirmed: time(confirmed),
        infected_by: infectedBy ? [infectedBy] : [] };
      book.execute({ type: "confirm_case", case: c }, "desk", at);
    }
    const got = book.closeContacts().map((c) => [c.person, c.overlap_seconds,
      new Date(c.first_contact).toISOString().replace(".000Z", "Z")]);
    assert.deepEqual(got, s.contacts, s.name);
  }
});

test("policies carry their zone and co-presence rule", () => {
  assert.equal(policy("nhc-2020").zone, "Asia/Shanghai");
  assert.equal(policy("cdc-2020").exposure_rule, "cumulative");
  assert.equal(policy("nhc-2020").presence_gap_seconds, 300);
});
