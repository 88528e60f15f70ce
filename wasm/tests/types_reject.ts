// Compiled with `tsc --noEmit --strict` in the test suite: the generated
// declarations (wasm/types/precinct.d.ts) take the commands the README and
// the Node tests send, and reject what the core would refuse to read.
import type { Command, Receipt, Verdict } from "../types/precinct.d.ts";

// Commands as the README and tests/shared.test.mjs send them.
export const commands: Command[] = [
  {
    type: "register_person",
    person: {
      id: "P1", name: "王秀英", household: null, phone: null, has_smartphone: false,
      document: { kind: "resident", number: "11010519491231002X" },
    },
  },
  // Optional fields may be left out, as serde reads them missing.
  { type: "register_person", person: { id: "P2", name: "李", document: { kind: "passport", nationality: "SWE", number: "L898902C3" } } },
  { type: "issue_pass", application: { holder: "P1", kind: "county", enterprise: null, scope: "town" } },
  { type: "revoke_pass", serial: 7 },
  { type: "assign_leader", village: "East", staff: "s1" },
  { type: "file_daily_report", household: "H1", day: "2020-02-05" },
  { type: "isolate_contact", person: "P1", kind: "home" },
  {
    type: "add_stay",
    stay: {
      id: "S1", name: "ANNA ERIKSSON", nationality: "SWE", passport_number: "L898902C3",
      address: "6 Xicun Lane", host: "李秀英", arrival: "2020-02-20T10:00", registered_at: null, channel: null,
    },
  },
];

// What comes back: 64-bit serials are plain numbers.
export function serialOf(receipt: Receipt): number {
  return receipt.outcome.kind === "pass_issued" ? receipt.seq + receipt.outcome.serial : receipt.seq;
}
export function reason(verdict: Verdict): string {
  return verdict.allowed ? "allowed" : verdict.reason ?? "unknown";
}

export const rejected: Command[] = [
  // @ts-expect-error an unknown command type
  { type: "no_such_command" },
  // @ts-expect-error a misspelled field in a known command
  { type: "revoke_pass", serail: 7 },
  // @ts-expect-error a misspelled optional field in a known command
  { type: "isolate_contact", person: "P1", knid: "home" },
  // @ts-expect-error a missing required field
  { type: "assign_leader", village: "East" },
  // @ts-expect-error a wrong field type
  { type: "revoke_pass", serial: "7" },
  // @ts-expect-error a value outside an enumeration
  { type: "issue_pass", application: { holder: "P1", kind: "tourist", enterprise: null, scope: "town" } },
];
