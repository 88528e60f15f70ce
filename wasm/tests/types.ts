// Compiled with `tsc --noEmit --strict` in the test suite: the declarations
// describe every export well enough for strict TypeScript, the records by
// the names generated from the Rust types (wasm/types/precinct.d.ts).
import init, {
  Book,
  StationKey,
  Visits,
  facade,
  policy,
  presetNames,
  readResumption,
  residentId,
  validateDocument,
  verifyToken,
  type CoPresence,
  type HouseholdId,
  type Policy,
  type PrecinctError,
  type RateRow,
  type Receipt,
  type StationReport,
  type Verdict,
  type VisitContact,
} from "../pkg/web/precinct_wasm.js";

export async function tour(): Promise<number> {
  await init();
  const book: Book = Book.demo(2020, true);
  const key = new StationKey(new Uint8Array(32).fill(42));
  const verdict: Verdict = verifyToken(book.token(1, key), key.publicKey, new Date(), book.revocationList());
  const serial: number = verdict.claims?.serial ?? 0;
  const rows: RateRow[] = book.resumptionSeries({ from: "2020-02-10", to: "2020-03-31", by: "village" });
  const receipt: Receipt = book.execute({ type: "revoke_pass", serial: 2 }, "officer", "2020-03-01T09:00");
  const receipts: Receipt[] = book.executeBatch([{ by: "officer", at: new Date(), command: { type: "revoke_pass", serial: 3 } }]);
  const missing: HouseholdId[] = book.missingReports({ day: "2020-02-01" });
  const report: StationReport = book.report({ as_of: new Date() });
  const any: unknown = book.query({ query: "resumption_rates", day: "2020-02-10", by: "sector" });
  const visits: Visits = book.visits();
  const trace: VisitContact[] = visits.trace({ person: "R-FATHER", start: "2020-01-26", end: "2020-01-28T10:00", min_overlap: 600 });
  const graph: CoPresence = visits.dayGraph({ day: "2020-01-27" });
  const rules: Policy = policy(presetNames()[0]);
  const info = residentId(validateDocument("resident_id", "11010519491231002X"));
  const data = readResumption("enterprise_id,name,village,sector,workforce\n", "enterprise_id,date,resumed,workers_on_site\n");
  const names: string[] = facade().filter((m) => m.in_javascript).map((m) => m.js_name);
  try {
    book.persons();
  } catch (e) {
    const error = e as PrecinctError;
    console.log(error.code, error.field);
  }
  return serial + rows.length + receipt.seq + receipts.length + missing.length + report.cases + trace.length
    + graph.edges + rules.pass_validity_days + info.birth_date.length + data.enterprises.length + names.length
    + book.history({ person: "R-FATHER" }).length + (any === null ? 0 : 1);
}
