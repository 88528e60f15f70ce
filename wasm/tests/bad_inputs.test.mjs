// Issue 11, item 9: every export of the Node package, fed a wrong type, a
// missing value, NaN, ±Infinity, a fraction, extreme integers and times, in
// each argument in turn, returns normally or throws an `Error` whose `code`
// is a string: never a WebAssembly trap, never an untyped error. The exports
// are enumerated from the package, so a new export without a row in GOOD
// fails here; and after all the bad calls the module still works.
import { test } from "node:test";
import assert from "node:assert/strict";
import precinct from "../pkg/node/precinct_wasm.js";

const { Book, CheckpointChain, DeviceBook, StationKey, Visits, verifyToken } = precinct;

const BAD = [
  undefined, null, NaN, Infinity, -Infinity, 1.9, -1, 2 ** 53, 2 ** 64, -(2 ** 63), 8.2e12,
  "", "junk", {}, [], [1.9], [null], new Date(NaN), true, 123n, Symbol("bad"),
  // Extreme times as text, and one more extreme number.
  "+262142-12-30T00:00:00Z", "-262143-01-01", -8.2e12,
];

const AT = new Date("2020-03-01T01:00:00Z");
const BOOK = Book.demo(2020, true);
const KEY = new StationKey(new Uint8Array(32).fill(42));
const PASS = BOOK.passes().find(
  (p) => p.revoked_at === null && Date.parse(p.valid_from) <= AT && AT < Date.parse(p.valid_until),
);
const TOKEN = BOOK.token(PASS.serial, KEY);
const VISITS = Visits.fromColumns(["a", "b"], ["x", "x"], [0, 0], [3600, 3600]);
const ENTERPRISES = "id,name,village,sector,size,workforce\n";
const REPORTS = "enterprise,date,resumed,workers_on_site\n";
const COMMAND = { type: "assign_leader", village: "East", staff: "s1" };
const HOUSEHOLD = BOOK.households()[0].id;
const CASES = BOOK.cases();
// A device's book with a pass of its own, from the small demo town's base.
const BASE = BOOK.snapshotText();
const DEVICE = DeviceBook.create(BASE, "desk", 1);
const HOLDER = DEVICE.newId("P");
DEVICE.execute({ type: "register_person", person: { id: HOLDER, name: "Anna Weber", household: null, phone: null,
  has_smartphone: false, document: { kind: "passport", nationality: "DEU", number: "C01X00T47" } } }, "officer-wang", AT);
const DEVICE_PASS = DEVICE.execute({ type: "issue_pass", application: { holder: HOLDER, kind: "county",
  enterprise: null, scope: "town" } }, "officer-wang", AT).outcome.serial;
// A checkpoint tablet's chain under the same base, and a verdict of its kit.
const TABLET = CheckpointChain.start("exit-3", 7, DEVICE.baseHash);
const KIT_VERDICT = verifyToken(DEVICE.token(DEVICE_PASS, KEY), KEY.publicKey, AT, []);

// The request of each query that has fields (the others take an empty one).
const REQUESTS = {
  report: { as_of: AT },
  reportText: { as_of: AT },
  analyticExport: { key: "sixteen bytes or more" },
  history: { pass_serial: PASS.serial },
  dailyReports: { household: HOUSEHOLD },
  missingReports: { day: "2020-02-01" },
  whoAnswers: { household: HOUSEHOLD },
  returnees: { as_of: AT },
  ordersInForce: { day: "2020-02-01" },
  dueForRelease: { day: AT },
  closeContacts: { cases: [CASES[0].id] },
  secondRing: { start: "2020-01-20 00:00", end: "2020-01-27 00:00" },
  overdueRegistrations: { as_of: AT },
  registrationDeadline: { stay: "S-0001" },
  serviceCounts: { from: "2020-02-01", to: "2020-02-03" },
  resumptionRates: { day: "2020-02-10", by: "village" },
  resumptionSeries: { from: "2020-02-01", to: "2020-02-03", by: "all" },
};
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
// A query without fields still takes an (empty) object, so a field given there is refused.
const QUERIES = Object.fromEntries(Book.queryNames().map(camel).map((m) => [m, [REQUESTS[m] ?? {}]]));

// Good arguments of every export: all parameters, optional ones included, so
// each position is replaced in turn. "getter" marks a property.
const GOOD = {
  chains: [CASES, "nhc-2020"],
  facade: [],
  maskIdNumber: ["11010519491231002X"],
  maskName: ["王秀英"],
  maskPhone: ["13800138000"],
  policy: ["nhc-2020"],
  presetNames: [],
  pseudonym: ["sixteen bytes or more", "P1"],
  readCases: ["id,person,onset,confirmed,infected_by\n", "nhc-2020"],
  readInterviews: ["case_id,person_id,at,note\n", "nhc-2020"],
  readResidents: ["id,address,village,rental\n", "id,name,household,document_kind,document\n"],
  readResumption: [ENTERPRISES, REPORTS],
  residentId: ["11010519491231002X"],
  validateDocument: ["resident_id", "11010519491231002X"],
  validateField: ["person_name", "Wang Fang"],
  verifyToken: [TOKEN, KEY.publicKey, AT, BOOK.revocationList(), "11010519491231002X", null, KEY.holderKey],
  writeCases: [CASES, "nhc-2020"],
  StationKey: {
    new: [new Uint8Array(32)],
    statics: {},
    methods: { publicKey: "getter", holderKey: "getter", keyHandle: "getter" },
  },
  Visits: {
    receiver: VISITS,
    statics: {
      fromColumns: [["a"], ["x"], [0], [3600], "nhc-2020"],
      fromCsv: ["person_id,place_id,start,end\na,x,2020-02-01 09:00,2020-02-01 10:00\n", "nhc-2020"],
    },
    methods: {
      length: "getter",
      toCsv: [],
      trace: [{ person: "a", start: new Date(0), end: new Date(86_400_000), min_overlap: 600 }],
      secondRing: [{ person: "a", start: new Date(0), end: new Date(86_400_000) }],
      dayGraph: [{ day: "1970-01-01", min_overlap: 600, edges: true, budget: 1 << 20 }],
    },
  },
  DeviceBook: {
    receiver: DEVICE,
    statics: {
      create: [BASE, "team-1", 2],
      open: [BASE, "desk", DEVICE.journalText, DEVICE.baseHash],
    },
    methods: {
      allConflicts: "getter",
      conflicts: "getter",
      device: "getter",
      events: "getter",
      frontier: "getter",
      journalText: "getter",
      number: "getter",
      policy: "getter",
      execute: [COMMAND, "officer-wang", AT],
      linesSince: [{}],
      merge: [DeviceBook.create(BASE, "team-2", 3).journalText],
      newId: ["P"],
      query: [{ query: "persons" }],
      token: [DEVICE_PASS, KEY],
      baseHash: "getter",
      devices: "getter",
      checkReference: ["person", HOLDER],
      ...QUERIES,
    },
  },
  CheckpointChain: {
    receiver: TABLET,
    statics: {
      start: ["exit-4", 8, DEVICE.baseHash],
      open: [TABLET.journalText],
    },
    methods: {
      baseHash: "getter",
      device: "getter",
      events: "getter",
      journalText: "getter",
      number: "getter",
      linesSince: [{}],
      recordCrossing: ["highway exit 3", DEVICE.token(DEVICE_PASS, KEY), KIT_VERDICT, "officer-zhao", AT, "11010519491231002X", null],
    },
  },
  Book: {
    receiver: BOOK,
    statics: {
      demo: [7, true],
      fromSnapshot: [Book.inMemory().snapshot()],
      inMemory: ["nhc-2020"],
      openText: [Book.inMemory().journalText],
      queryNames: [],
    },
    methods: {
      head: "getter",
      journalText: "getter",
      policy: "getter",
      recovery: "getter",
      seq: "getter",
      execute: [COMMAND, "officer-wang", AT],
      executeBatch: [[{ by: "officer-wang", at: AT, command: COMMAND }]],
      importRecords: ["cases", "case_id,person_id,onset,confirmed,infected_by\n", null, "officer-wang", AT],
      query: [{ query: "missing_reports", day: "2020-02-01" }],
      snapshot: [],
      snapshotText: [],
      token: [PASS.serial, KEY],
      checkReference: ["household", HOUSEHOLD],
      visits: [],
      ...QUERIES,
    },
  },
};

/** A wasm-bindgen class: a function whose prototype can be freed. */
const isClass = (f) => typeof f === "function" && typeof f.prototype?.free === "function";
/** Names wasm-bindgen adds for itself, not the package's API. */
const INTERNAL = new Set(["constructor", "free", "__destroy_into_raw", "__wrap", "length", "name", "prototype"]);

/** Every callable of the package: [label, call(args), arity]. */
function exports() {
  const out = [];
  for (const [name, value] of Object.entries(precinct)) {
    const good = GOOD[name];
    assert.ok(good !== undefined, `export ${name} has no row in GOOD: add its good arguments`);
    if (!isClass(value)) {
      assert.equal(good.length, value.length, `GOOD.${name} should give all ${value.length} arguments`);
      out.push([name, (args) => value(...args), good]);
      continue;
    }
    if (good.new) out.push([`new ${name}`, (args) => new value(...args), good.new]);
    const statics = Object.getOwnPropertyNames(value).filter((k) => !INTERNAL.has(k));
    for (const s of statics) {
      const args = good.statics[s];
      assert.ok(args !== undefined, `static ${name}.${s} has no row in GOOD`);
      assert.equal(args.length, value[s].length, `GOOD ${name}.${s} should give all arguments`);
      out.push([`${name}.${s}`, (a) => value[s](...a), args]);
    }
    const proto = value.prototype;
    for (const m of Object.getOwnPropertyNames(proto).filter((k) => !INTERNAL.has(k) || k === "length")) {
      if (m === "length" && !Object.getOwnPropertyDescriptor(proto, m).get) continue;
      const args = good.methods[m];
      assert.ok(args !== undefined, `method ${name}.prototype.${m} has no row in GOOD`);
      const receiver = name === "StationKey" ? KEY : good.receiver;
      if (args === "getter") {
        assert.ok(Object.getOwnPropertyDescriptor(proto, m).get, `${name}.${m} is not a getter`);
        out.push([`${name}#${m}`, () => receiver[m], []]);
      } else {
        assert.equal(args.length, proto[m].length, `GOOD ${name}#${m} should give all arguments`);
        out.push([`${name}#${m}`, (a) => proto[m].apply(receiver, a), args]);
      }
    }
    for (const k of Object.keys(good.statics)) assert.ok(statics.includes(k), `GOOD ${name}.${k} is no export`);
  }
  for (const k of Object.keys(GOOD)) assert.ok(k in precinct, `GOOD.${k} is no export`);
  return out;
}

/** "ok", "typed", "trap" or "untyped", with the error. */
function outcome(call) {
  try {
    call();
    return ["ok"];
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) return ["trap", e];
    if (e instanceof Error && typeof e.code === "string" && e.name !== "Error") return ["typed", e];
    return ["untyped", e];
  }
}

const show = (v) => (typeof v === "bigint" ? `${v}n` : typeof v === "symbol" ? v.toString() : v instanceof Date ? "Date" : JSON.stringify(v) ?? String(v));

test("every export gives a typed error or a value for every bad argument, and still works", () => {
  const counts = { calls: 0, ok: 0, typed: 0, trap: 0, untyped: 0 };
  const failures = [];
  const run = (label, call) => {
    const [kind, error] = outcome(call);
    counts.calls += 1;
    counts[kind] += 1;
    if (kind === "trap" || kind === "untyped") failures.push(`${label}: ${kind}: ${error?.name}: ${error?.message ?? String(error)}`);
  };
  for (const [label, call, good] of exports()) {
    run(`${label}(good)`, () => call(good));
    if (good.length > 0) run(`${label}()`, () => call([]));
    good.forEach((_, i) => {
      for (const bad of BAD) {
        const args = good.slice();
        args[i] = bad;
        run(`${label} arg ${i} = ${show(bad)}`, () => call(args));
      }
    });
  }
  console.log(`bad-input table: ${counts.calls} calls, ${counts.typed} typed errors, ${counts.ok} normal returns, ${counts.trap} traps, ${counts.untyped} untyped errors`);
  assert.deepEqual(failures, []);
  assert.equal(counts.trap, 0);
  assert.ok(counts.calls >= 1000, `only ${counts.calls} calls`);

  // The module is healthy: a fresh book executes commands, its token verifies.
  const book = Book.inMemory("nhc-2020");
  book.execute({ type: "register_person", person: { id: "P1", name: "王秀英", household: null, phone: null,
    has_smartphone: false, document: { kind: "resident", number: "11010519491231002X" } } }, "officer-wang", AT);
  const receipt = book.execute({ type: "issue_pass", application: { holder: "P1", kind: "county", enterprise: null, scope: "town" } }, "officer-wang", AT);
  assert.equal(receipt.outcome.kind, "pass_issued");
  const token = book.token(receipt.outcome.serial, KEY);
  assert.equal(verifyToken(token, KEY.publicKey, AT, book.revocationList()).allowed, true);
  assert.equal(verifyToken(TOKEN, KEY.publicKey, AT, BOOK.revocationList()).allowed, true);
});

test("the calls of issue 11 give typed errors, not traps or coercion", () => {
  const code = (f) => {
    try { f(); } catch (e) { return `${e.name}/${e.code}`; }
    return "returned";
  };
  assert.equal(code(() => precinct.validateDocument(123, 456)), "InvalidValue/invalid_value");
  assert.equal(code(() => precinct.residentId({})), "InvalidValue/invalid_value");
  assert.equal(code(() => Book.inMemory(123)), "InvalidValue/invalid_value");
  const book = Book.inMemory();
  assert.equal(code(() => book.execute(undefined, "x", AT)), "InvalidValue/invalid_value");
  assert.equal(code(() => book.history(undefined)), "InvalidValue/invalid_value");
  assert.equal(code(() => book.missingReports({ day: "2020-02-30" })), "InvalidValue/invalid_value");
  assert.equal(code(() => book.execute(COMMAND, "x", NaN)), "InvalidValue/invalid_value");
  assert.equal(book.seq, 0, "nothing journaled at 1970");
  assert.equal(code(() => verifyToken(TOKEN, KEY.publicKey, AT, [1.9])), "InvalidValue/invalid_value");
  assert.equal(code(() => BOOK.token(1.9, KEY)), "InvalidValue/invalid_value");
  assert.equal(code(() => BOOK.token(PASS.serial, {})), "InvalidValue/invalid_value");
  const freed = new StationKey(new Uint8Array(32));
  freed.free();
  assert.equal(code(() => BOOK.token(PASS.serial, freed)), "InvalidValue/invalid_value");
});
