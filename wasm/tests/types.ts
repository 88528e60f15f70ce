// Compiled with `tsc --noEmit --strict` in the test suite: the declarations
// describe every export well enough for strict TypeScript.
import init, {
  Book,
  StationKey,
  Visits,
  policy,
  presetNames,
  readResumption,
  residentId,
  validateDocument,
  verifyToken,
  type DayGraph,
  type Policy,
  type RateRow,
  type Receipt,
  type TraceRow,
  type Verdict,
} from "../pkg/web/precinct_wasm.js";

export async function tour(): Promise<number> {
  await init();
  const book: Book = Book.demo(2020, true);
  const key = new StationKey(new Uint8Array(32).fill(42));
  const verdict: Verdict = verifyToken(book.token(1, key), key.publicKey, new Date(), book.revocationList());
  const serial: number = verdict.claims?.serial ?? 0;
  const rows: RateRow[] = book.resumptionSeries("2020-02-10", "2020-03-31", "village");
  const receipt: Receipt = book.execute({ type: "revoke_pass", serial: 2 }, "officer", "2020-03-01T09:00");
  const visits: Visits = book.visits();
  const trace: TraceRow[] = visits.trace("R-FATHER", "2020-01-26", "2020-01-28T10:00", 900);
  const graph: DayGraph = visits.dayGraph("2020-01-27");
  const rules: Policy = policy(presetNames()[0]);
  const info = residentId(validateDocument("resident_id", "11010519491231002X"));
  const data = readResumption("enterprise_id,name,village,sector,workforce\n", "enterprise_id,date,resumed,workers_on_site\n");
  return serial + rows.length + receipt.seq + trace.length + graph.edges + rules.passValidityDays
    + info.number.length + data.enterprises.length + book.history({ person: "R-FATHER" }).length;
}
