//! The WebAssembly module of the npm package `precinct`. It only converts:
//! JavaScript values become JSON for the core's facade to read (`Date`s as
//! ISO text, keys as given), the core's answers become plain objects with
//! the same snake_case fields as the JSON journal and the Python layer
//! (times with the policy zone's offset), and errors become `Error`s whose
//! `name` and `code` say the kind. Every rule lives in the `precinct` crate.
//!
//! Methods are camelCase (`book.missingReports({day: "2020-02-01"})`), data
//! fields snake_case (`report.denials.bad_signature`). The record types
//! (`Command`, `Receipt`, `Person` ...) are declared from the Rust types in
//! `wasm/types/precinct.d.ts`, appended to the package's declarations.

// Exported to JavaScript, where errors are thrown `Error`s (each doc says
// which), and wasm-bindgen hands arguments over by value.
#![allow(clippy::missing_errors_doc, clippy::needless_pass_by_value)]

mod book;
mod convert;
mod devices;
mod documents;
mod errors;
mod files;
mod passes;
mod visits;

pub use book::Book;
pub use devices::{CheckpointChain, DeviceBook};
pub use passes::StationKey;
pub use visits::Visits;

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A moment given as an argument (`at`): a Date, an ISO 8601 string (naive ones are in the policy's zone) or whole Unix seconds. */
export type Moment = Date | string | number;
/** A time in a request or a command: a Date or an ISO 8601 string (naive ones are in the policy's zone). */
export type Time = Date | string;
/** A local day: `YYYY-MM-DD`, or a moment whose local day in the policy's zone is meant. */
export type Day = string | Date;
/** A thrown precinct error: `name` is its kind, `code` the core's stable code. */
export interface PrecinctError extends Error {
  name: "InvalidIdentityDocument" | "InvalidValue" | "DuplicateRecord" | "RecordNotFound"
    | "InvalidTransition" | "NotEligible" | "ImplausibleRecord" | "DataImportError"
    | "JournalDamaged" | "DeviceChainDamaged" | "JournalLocked" | "StorageError" | "TooLarge" | "PrecinctError";
  /** Stable, machine-readable kind, as in the Rust and Python layers. */
  code: "invalid_identity_document" | "invalid_value" | "duplicate" | "not_found"
    | "invalid_transition" | "not_eligible" | "implausible" | "csv" | "frame" | "journal_damaged"
    | "device_chain_damaged" | "journal_locked" | "too_large" | "io";
  /** The error's fields (Rust `Error::fields`): `field`, `value`, `expected` of an
   * invalid value; `file`, `line`, `column`, `reason` of a bad CSV row; `seq` of damage ... */
  [field: string]: unknown;
}
/** The fields of each query, by name (see the Rust `Query` docs). */
export interface QueryRequests {
  report: { as_of: Time }; report_text: { as_of: Time }; records: {}; export_csv: {};
  analytic_export: { key: string };
  history: { person: string } | { pass_serial: number } | { stay: string };
  persons: {}; households: {}; tenancies: {}; screening_teams: {}; screenings: {};
  screening_coverage: {}; commitments: {}; households_without_commitment: {};
  daily_reports: { household: string }; missing_reports: { day: Day };
  responsibility_gaps: {}; responsibility_load: {}; who_answers: { household: string };
  returnees: { as_of: Time }; travels: {}; risk_areas: {}; orders: {};
  orders_in_force: { day: Day }; due_for_release: { day: Day };
  cases: {}; interviews: {}; close_contacts: { cases?: string[] | null };
  second_ring: { cases?: string[] | null; start: Time; end: Time };
  contacts: {}; follow_up: {}; chains: {};
  passes: {}; revocation_list: {}; passes_per_day: {}; crossings: {}; station_keys: {};
  stays: {}; overdue_registrations: { as_of: Time }; registered_late: {};
  registration_deadline: { stay: string }; certificates: {}; papers_held: {};
  service_ledger: {}; service_counts: { from: Day; to: Day };
  enterprises: {}; enterprise_reports: {};
  resumption_rates: { day: Day; by?: GroupBy }; resumption_series: { from: Day; to: Day; by?: GroupBy };
  migrant_workers: {}; days_to_start: {};
}
/** Any query with its name, as `Book.query` takes it. */
export type BookQuery = { [N in keyof QueryRequests]: { query: N } & QueryRequests[N] }[keyof QueryRequests];
/** Every registry as lists of records: the answer of `records`. */
export interface BookRecords {
  persons: Person[]; households: Household[]; cases: Case[]; contacts: ContactRecord[];
  orders: IsolationOrder[]; passes: Pass[]; stays: ForeignStay[]; enterprises: Enterprise[];
}
/** Whose contacts, in which window `[start, end)`, with what minimum overlap
 * (seconds; the policy's when not given). */
export interface TraceRequest { person: string | number; start: Time; end: Time; min_overlap?: number | null }
/** Which local day, the minimum overlap (the policy's when not given), whether
 * to list the edges, the memory budget in bytes. */
export interface DayGraphRequest { day: Day; min_overlap?: number | null; edges?: boolean; budget?: number | null }
/** A contact found by `Visits.trace`. */
export interface VisitContact { person_id: string; total_overlap: number; first_contact: string }
/** The co-presence graph of a day (`Visits.dayGraph`), persons by id. */
export interface CoPresence { edges: number; max_degree: number; max_degree_person: string | null; persons_with_edge: number; edge_list: Array<[string, string]> | null }
/** What a resident id number says. */
export interface ResidentIdInfo { number: string; birth_date: string; sex: Sex; region: string }
/** One method or function of the facade (`facade()`). */
export interface FacadeEntry { on: "Book" | "Visits" | "StationKey" | "module"; name: string; js_name: string; in_javascript: boolean; summary: string }
"#;
