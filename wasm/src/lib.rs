//! The WebAssembly module of the npm package `precinct`. It only converts
//! between JavaScript and the core: plain objects with camelCase fields in
//! and out, times as `Date` or ISO strings, errors as `Error`s whose `name`
//! and `code` say the kind. Every rule lives in the `precinct` crate.

// Exported to JavaScript, where errors are thrown `Error`s (each doc says
// which), and wasm-bindgen hands arguments over by value.
#![allow(clippy::missing_errors_doc, clippy::needless_pass_by_value)]

mod convert;
mod errors;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use chrono::NaiveDate;
use precinct::Zone;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use precinct::{Error, Instant, Policy};

use convert::{
    flag, from_js, integer, list_of_serials, list_of_text, moment, optional_integer,
    optional_serial, optional_text, text, to_js,
};
use errors::{invalid, js_err, ok};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A moment: a Date, an ISO 8601 string (naive ones are in the policy's zone) or Unix seconds. */
export type Moment = Date | string | number;
/** The kind of a precinct error, also its `name`. */
export interface PrecinctError extends Error {
  name: "InvalidIdentityDocument" | "InvalidValue" | "DuplicateRecord" | "RecordNotFound"
    | "InvalidTransition" | "NotEligible" | "ImplausibleRecord" | "DataImportError"
    | "JournalDamaged" | "JournalLocked" | "StorageError" | "TooLarge" | "PrecinctError";
  /** Stable, machine-readable kind, as in the Rust and Python layers. */
  code: string;
  /** For JournalDamaged: the sequence number where the chain breaks. */
  seq?: number;
}
export interface ResidentIdInfo { number: string; birthDate: string; sex: "male" | "female"; region: string }
export interface Policy {
  name: string; source: string; effective: string;
  /** An IANA zone name ("Asia/Shanghai", "Europe/Berlin") or a fixed offset ("+08:00"). */
  zone: string;
  infectiousDaysBeforeOnset: number; minOverlapSeconds: number;
  presenceGapSeconds: number; exposureRule: "continuous" | "cumulative" | "pairwise"; cumulativePeriodSeconds: number;
  coresidentsAreContacts: boolean;
  observationDays: number; returneeIsolationDays: number; returneeLookbackDays: number;
  foreignerRegistrationHours: number; passValidityDays: number;
}
export interface TokenClaims {
  serial: number; kind: "county" | "worker"; holderMasked: string; scope: string; validFrom: string; validUntil: string;
  /** The signing key's id, in hex (tokens of format 3). */
  keyId?: string;
  /** The keyed digest binding the holder's document, in hex; not reversible without the holder key. */
  holderDigest?: string;
}
export interface Verdict {
  allowed: boolean;
  reason: null | "malformed" | "bad_signature" | "not_yet_valid" | "expired" | "revoked"
    | "unknown_key" | "key_not_in_force" | "unknown_pass" | "not_as_issued" | "holder_mismatch";
  claims: TokenClaims | null;
  /** Present when a document was checked: it matches, or the token binds none (an older token). */
  holder?: "matches" | "unbound";
}
/** A command: `type` names it (e.g. "register_person", "issue_pass"); see the README. */
export interface Command { type: string; [field: string]: unknown }
export interface Receipt { seq: number; outcome: { kind: string; [field: string]: unknown } }
export interface AuditEntry { seq: number; at: string; by: string; command: Command; outcome: { kind: string; [field: string]: unknown } }
export interface Recovery {
  created: boolean; events: number; firstSeq: number;
  /** A last line cut short by a crash: dropped, and kept beside a journal file as `kept`. */
  torn: { offset: number; seq: number; text: string; kept: string | null } | null;
  /** The last line was whole but had no newline (it is an event). */
  unterminated: boolean;
  /** Temporary files of crashed creations that were removed. */
  removed: string[];
}
export interface RateRow { date: string; group: string; enterprises: number; resumed: number; workforce: number; onSite: number; enterpriseRate: number; workforceRate: number }
export interface PassesOnDay { date: string; kind: "county" | "worker"; count: number }
export interface ServiceCount { kind: string; channel: string; count: number }
export interface ForeignStay { id: string; name: string; nationality: string; passportNumber: string; address: string; host: string; arrival: string; registeredAt: string | null; channel: string | null }
export interface Evidence { rule: "co_resident" | "co_presence" | "interview"; [field: string]: unknown }
export interface CloseContact { person: string; cases: string[]; evidence: Evidence[]; overlapSeconds: number; firstContact: string; lastExposure: string }
export interface VisitRow { person: string; place: string; start: Moment; end: Moment }
export interface TraceRow { personId: string; totalOverlap: number; firstContact: string }
export interface DayGraph { edges: number; maxDegree: number; maxDegreePerson: string | null }
export interface Subject { person?: string; passSerial?: number; stay?: string }
/** The station's summary figures; see StationReport in the Rust docs. */
export interface StationReport { asOf: string; policy: string; persons: number; households: number; cases: number; [figure: string]: unknown }
"#;

fn default_zone() -> Zone {
    Policy::default().zone()
}

fn policy_named(name: &JsValue) -> Result<Policy, JsValue> {
    let name = optional_text(name, "policy")?;
    ok(Policy::preset(name.as_deref().unwrap_or("nhc-2020")))
}

/// Check an identity document of `kind` (`resident_id`, `passport_mrz`,
/// `credit_code`, `mobile`) and return its canonical form; throws an
/// `InvalidIdentityDocument` saying exactly what is wrong.
#[wasm_bindgen(js_name = validateDocument)]
pub fn validate_document(
    #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] number: JsValue,
) -> Result<String, JsValue> {
    ok(precinct::validate_document(
        &text(&kind, "document kind")?,
        &text(&number, "document")?,
    ))
}

#[derive(Serialize)]
struct ResidentIdInfo {
    number: String,
    birth_date: NaiveDate,
    sex: precinct::Sex,
    region: String,
}

/// What a resident id number says: birth date, sex, region code.
#[wasm_bindgen(js_name = residentId, unchecked_return_type = "ResidentIdInfo")]
pub fn resident_id(
    #[wasm_bindgen(unchecked_param_type = "string")] number: JsValue,
) -> Result<JsValue, JsValue> {
    let id = precinct::ResidentId::parse(&text(&number, "resident id")?)
        .map_err(|e| js_err(&Error::Id(e)))?;
    to_js(&ResidentIdInfo {
        number: id.as_str().to_string(),
        birth_date: id.birth_date(),
        sex: id.sex(),
        region: id.region_code().to_string(),
    })
}

/// Read enterprises and resumption reports CSVs: `{enterprises, reports}`,
/// ready for `add_enterprise` and `file_enterprise_report` commands.
#[wasm_bindgen(js_name = readResumption, unchecked_return_type = "{ enterprises: Record<string, unknown>[]; reports: Record<string, unknown>[] }")]
pub fn read_resumption(
    #[wasm_bindgen(unchecked_param_type = "string")] enterprises: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] reports: JsValue,
) -> Result<JsValue, JsValue> {
    let r = ok(precinct::read_resumption(
        text(&enterprises, "enterprises CSV")?.as_bytes(),
        text(&reports, "reports CSV")?.as_bytes(),
    ))?;
    to_js(&serde_json::json!({
        "enterprises": r.enterprises().collect::<Vec<_>>(),
        "reports": r.reports().collect::<Vec<_>>(),
    }))
}

/// The names of the policy presets.
#[wasm_bindgen(js_name = presetNames)]
pub fn preset_names() -> Vec<String> {
    precinct::PRESET_NAMES
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// A policy preset: its rules, source and effective date.
#[wasm_bindgen(unchecked_return_type = "Policy")]
pub fn policy(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&ok(Policy::preset(&text(&name, "policy")?))?)
}

/// A name masked for display (`王**`).
#[wasm_bindgen(js_name = maskName)]
pub fn mask_name(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<String, JsValue> {
    Ok(precinct::mask_name(&text(&name, "name")?))
}

/// Verify a pass token offline with the station's public key and the
/// revocation list last downloaded; with the number of the identity
/// document the holder shows (and its nationality for a passport) and the
/// station's holder key, also check the pass was issued to that document.
#[wasm_bindgen(js_name = verifyToken, unchecked_return_type = "Verdict")]
pub fn verify_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(js_name = publicKey, unchecked_param_type = "string")] public_key: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Moment")] at: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number[] | Float64Array | null")]
    revoked: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] document: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] nationality: Option<JsValue>,
    #[wasm_bindgen(js_name = holderKey, unchecked_optional_param_type = "string | null")]
    holder_key: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let token = text(&token, "token")?;
    let key = ok(precinct::PublicKey::parse(&text(
        &public_key,
        "public key",
    )?))?;
    let at = moment(&at, "at", default_zone())?;
    let serials = match revoked.as_ref().and_then(convert::given) {
        Some(list) => list_of_serials(list, "revoked")?,
        None => Vec::new(),
    };
    let optional = |v: Option<JsValue>, what| optional_text(&v.unwrap_or_default(), what);
    let document = optional(document, "document")?;
    let nationality = optional(nationality, "nationality")?;
    let holder_key = optional(holder_key, "holder key")?;
    let shown = ok(document
        .map(|d| precinct::ShownDocument::parse(&d, nationality.as_deref(), holder_key.as_deref()))
        .transpose())?;
    let list = precinct::RevocationList {
        serials: serials.into_iter().collect(),
    };
    to_js(&precinct::verify_token(
        &token,
        &key,
        &list,
        at,
        shown.as_ref(),
    ))
}

/// A station's signing key, for the station's console (keep the seed secret).
#[wasm_bindgen]
pub struct StationKey {
    inner: precinct::StationKey,
    /// Its number in [`KEYS`].
    handle: u32,
}

// A method cannot take `&StationKey` from an arbitrary JS value without
// wasm-bindgen's class check, which throws an `Error` with no `code`, and
// taking it from a `JsValue` would take it away from its JS object. So each
// live key is also kept here under its handle, and `Book.token` finds it
// from a `JsValue` that has `StationKey.prototype` as its prototype.
thread_local! {
    static KEYS: RefCell<BTreeMap<u32, precinct::StationKey>> = const { RefCell::new(BTreeMap::new()) };
    static NEXT_HANDLE: Cell<u32> = const { Cell::new(1) };
    static KEY_PROTOTYPE: js_sys::Object = js_sys::Object::get_prototype_of(
        // Handle 0 is never registered: this key only shows the prototype.
        &JsValue::from(StationKey { inner: precinct::StationKey::from_seed([0; 32]), handle: 0 }),
    );
}

impl Drop for StationKey {
    fn drop(&mut self) {
        KEYS.with_borrow_mut(|keys| keys.remove(&self.handle));
    }
}

/// The station key a JS value is, or `InvalidValue`.
fn station_key(value: &JsValue) -> Result<precinct::StationKey, JsValue> {
    let not_a_key = || {
        invalid(
            "key",
            "a value that is not a live StationKey",
            "a StationKey",
        )
    };
    let is_key = KEY_PROTOTYPE
        .with(|proto| value.is_object() && js_sys::Object::get_prototype_of(value) == *proto);
    if !is_key {
        return Err(not_a_key());
    }
    // The getter throws for a key already freed; that is caught here.
    let handle = js_sys::Reflect::get(value, &"keyHandle".into()).map_err(|_| not_a_key())?;
    let handle = u32::try_from(integer(&handle, "key")?).map_err(|_| not_a_key())?;
    KEYS.with_borrow(|keys| keys.get(&handle).cloned())
        .ok_or_else(not_a_key)
}

#[wasm_bindgen]
impl StationKey {
    /// The key from a 32-byte secret seed.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] seed: JsValue,
    ) -> Result<StationKey, JsValue> {
        let seed = convert::bytes(&seed, "key seed")?;
        let seed: [u8; 32] = seed
            .as_slice()
            .try_into()
            .map_err(|_| invalid("key seed", format!("{} bytes", seed.len()), "32 bytes"))?;
        let inner = precinct::StationKey::from_seed(seed);
        let handle = NEXT_HANDLE.get();
        NEXT_HANDLE.set(handle.wrapping_add(1).max(1));
        KEYS.with_borrow_mut(|keys| keys.insert(handle, inner.clone()));
        Ok(StationKey { inner, handle })
    }

    /// Which live key this is, for `Book.token` (not part of the API).
    #[wasm_bindgen(getter, js_name = keyHandle, skip_typescript)]
    pub fn key_handle(&self) -> u32 {
        self.handle
    }

    /// The public key checkpoints hold (43 characters of base64url).
    #[wasm_bindgen(getter, js_name = publicKey)]
    pub fn public_key(&self) -> String {
        self.inner.public().to_string()
    }

    /// The secret key of holder digests checkpoints hold to check the
    /// identity card shown (43 characters of base64url; it cannot sign).
    #[wasm_bindgen(getter, js_name = holderKey)]
    pub fn holder_key(&self) -> String {
        self.inner.holder_key().to_string()
    }
}

/// Visits indexed for co-presence queries.
#[wasm_bindgen]
pub struct Visits {
    inner: precinct::Visits,
}

#[derive(serde::Deserialize)]
struct VisitRow {
    person: String,
    place: String,
    start: Value,
    end: Value,
}

#[derive(Serialize)]
struct TraceRowOut<'a> {
    person_id: &'a str,
    total_overlap: i64,
    first_contact: Instant,
}

#[derive(Serialize)]
struct DayGraphOut<'a> {
    edges: usize,
    max_degree: usize,
    max_degree_person: Option<&'a str>,
}

fn seconds_of(what: &str, v: &Value, zone: Zone) -> Result<i64, JsValue> {
    // Seconds as in `Visits.from_columns` of the other layers: any whole
    // number; the queries' windows are what the core checks.
    let expected = "whole Unix seconds, a Date or an ISO 8601 string";
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| invalid(what, n, expected)),
        Value::String(s) => Ok(ok(precinct::parse_instant(s, zone))?.timestamp()),
        other => Err(invalid(what, other, expected)),
    }
}

#[wasm_bindgen]
impl Visits {
    /// Index rows `{person, place, start, end}` (times as Dates, ISO strings or Unix seconds).
    #[wasm_bindgen(js_name = fromRows)]
    pub fn from_rows(
        #[wasm_bindgen(unchecked_param_type = "VisitRow[]")] rows: JsValue,
    ) -> Result<Visits, JsValue> {
        let rows: Vec<VisitRow> = from_js("visit rows", &rows)?;
        let zone = default_zone();
        let mut b = precinct::Visits::builder();
        for r in &rows {
            ok(b.push(
                &r.person,
                &r.place,
                seconds_of("visit start", &r.start, zone)?,
                seconds_of("visit end", &r.end, zone)?,
            ))?;
        }
        Ok(Visits {
            inner: ok(b.build())?,
        })
    }

    /// Number of visits.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// Trace(person, [start, end)): contacts with their total overlap and first contact.
    #[wasm_bindgen(unchecked_return_type = "TraceRow[]")]
    pub fn trace(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] person: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] end: JsValue,
        #[wasm_bindgen(js_name = minOverlap, unchecked_optional_param_type = "number | null")]
        min_overlap: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let person = text(&person, "person")?;
        let window = window(&start, &end)?;
        let min_overlap = min_overlap_of(min_overlap)?;
        let rows = precinct::trace(&self.inner, &person, window, min_overlap);
        let out = rows
            .iter()
            .map(|r| -> Result<_, JsValue> {
                Ok(TraceRowOut {
                    person_id: self.inner.persons().name(r.person),
                    total_overlap: r.total_overlap,
                    first_contact: ok(precinct::instant_from_unix(
                        "first contact",
                        r.first_contact,
                    ))?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        to_js(&out)
    }

    /// Second ring(person, [start, end)): ids, sorted.
    #[wasm_bindgen(js_name = secondRing)]
    pub fn second_ring(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] person: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] end: JsValue,
        #[wasm_bindgen(js_name = minOverlap, unchecked_optional_param_type = "number | null")]
        min_overlap: Option<JsValue>,
    ) -> Result<Vec<String>, JsValue> {
        let person = text(&person, "person")?;
        let window = window(&start, &end)?;
        let min_overlap = min_overlap_of(min_overlap)?;
        let ring = precinct::second_ring(&self.inner, &person, window, min_overlap);
        Ok(ring
            .into_iter()
            .map(|p| self.inner.persons().name(p).to_string())
            .collect())
    }

    /// The co-presence graph of the day starting at `dayStart`.
    #[wasm_bindgen(js_name = dayGraph, unchecked_return_type = "DayGraph")]
    pub fn day_graph(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Moment")] day_start: JsValue,
        #[wasm_bindgen(js_name = minOverlap, unchecked_optional_param_type = "number | null")]
        min_overlap: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let day = moment(&day_start, "day start", default_zone())?.timestamp();
        let start = ok(precinct::Window::day(day))?.start;
        let min_overlap = min_overlap_of(min_overlap)?;
        let g = ok(precinct::day_graph(&self.inner, start, min_overlap, false))?;
        to_js(&DayGraphOut {
            edges: g.edges,
            max_degree: g.max_degree,
            max_degree_person: g.max_degree_person.map(|p| self.inner.persons().name(p)),
        })
    }
}

fn window(start: &JsValue, end: &JsValue) -> Result<precinct::Window, JsValue> {
    let zone = default_zone();
    ok(precinct::Window::new(
        moment(start, "window start", zone)?.timestamp(),
        moment(end, "window end", zone)?.timestamp(),
    ))
}

/// The minimum overlap of a query, 900 seconds unless given, checked by the core.
fn min_overlap_of(value: Option<JsValue>) -> Result<i64, JsValue> {
    let seconds = optional_integer(&value.unwrap_or_default(), "min_overlap")?;
    ok(precinct::min_overlap(seconds.unwrap_or(900)))
}

/// The station's record book, its journal kept in a string (store it in
/// IndexedDB and reopen it with `Book.openText`).
#[wasm_bindgen]
pub struct Book {
    inner: precinct::Book,
}

#[derive(serde::Deserialize)]
struct SubjectIn {
    person: Option<String>,
    pass_serial: Option<u64>,
    stay: Option<String>,
}

#[wasm_bindgen]
impl Book {
    /// A new station under a policy preset (default `nhc-2020`).
    #[wasm_bindgen(js_name = inMemory)]
    pub fn in_memory(
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] policy: Option<JsValue>,
    ) -> Result<Book, JsValue> {
        Ok(Book {
            inner: ok(precinct::Book::in_memory(policy_named(
                &policy.unwrap_or_default(),
            )?))?,
        })
    }

    /// Replay a journal held as text; a torn last line is dropped, other
    /// damage throws `JournalDamaged` with its `seq`.
    #[wasm_bindgen(js_name = openText)]
    pub fn open_text(
        #[wasm_bindgen(unchecked_param_type = "string")] journal: JsValue,
    ) -> Result<Book, JsValue> {
        Ok(Book {
            inner: ok(precinct::Book::open_text(&text(&journal, "journal")?))?,
        })
    }

    /// The demo town's story (the small town unless `small` is false).
    #[cfg(feature = "demo")]
    pub fn demo(
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] seed: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean | null")] small: Option<JsValue>,
    ) -> Result<Book, JsValue> {
        let seed = optional_serial(&seed.unwrap_or_default(), "seed")?.unwrap_or(2020);
        let size = if flag(&small.unwrap_or_default(), "small", true)? {
            precinct::demo::DemoSize::SMALL
        } else {
            precinct::demo::DemoSize::TOWN
        };
        Ok(Book {
            inner: ok(precinct::demo::demo_book(seed, size))?,
        })
    }

    fn zone(&self) -> Zone {
        self.inner.policy().zone()
    }

    fn day(&self, v: &JsValue, what: &str) -> Result<NaiveDate, JsValue> {
        if let Some(text) = v.as_string() {
            if let Ok(d) = text.parse::<NaiveDate>() {
                return ok(precinct::check_day(what, d));
            }
        }
        Ok(precinct::local_day(
            moment(v, what, self.zone())?,
            self.zone(),
        ))
    }

    /// Validate, journal and apply a command; throws the error of its kind
    /// when the records refuse it (and nothing changes).
    #[wasm_bindgen(unchecked_return_type = "Receipt")]
    pub fn execute(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] by: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] at: JsValue,
    ) -> Result<JsValue, JsValue> {
        let by = text(&by, "by")?;
        let at = moment(&at, "at", self.zone())?;
        let json: Value = from_js("command", &command)?;
        let command = ok(precinct::Command::from_json(&json))?;
        to_js(&ok(self.inner.execute(by.as_str(), at, command))?)
    }

    /// The journal's text.
    #[wasm_bindgen(getter, js_name = journalText)]
    pub fn journal_text(&self) -> String {
        // Every Book of this package keeps its journal in memory (inMemory,
        // openText, demo), so the text is always there.
        self.inner.journal_text().unwrap_or_default().to_string()
    }

    /// Sequence number of the last event.
    #[wasm_bindgen(getter)]
    pub fn seq(&self) -> f64 {
        self.inner.seq() as f64
    }

    /// Hash of the journal's last line.
    #[wasm_bindgen(getter)]
    pub fn head(&self) -> String {
        self.inner.head().to_string()
    }

    /// What opening the journal found.
    #[wasm_bindgen(getter, unchecked_return_type = "Recovery")]
    pub fn recovery(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.recovery())
    }

    /// Every event concerning a person, a pass or a stay.
    #[wasm_bindgen(unchecked_return_type = "AuditEntry[]")]
    pub fn history(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Subject")] subject: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s: SubjectIn = from_js("subject", &subject)?;
        let subject = match (s.person, s.pass_serial, s.stay) {
            (Some(p), None, None) => precinct::Subject::Person(p.into()),
            (None, Some(serial), None) => precinct::Subject::Pass(serial),
            (None, None, Some(stay)) => precinct::Subject::Stay(stay.into()),
            _ => {
                return Err(invalid(
                    "subject",
                    "an object with more or fewer than one subject",
                    "exactly one of person, passSerial or stay",
                ))
            }
        };
        to_js(&ok(self.inner.history(&subject))?)
    }

    /// The station's summary figures as of a moment.
    #[wasm_bindgen(unchecked_return_type = "StationReport")]
    pub fn report(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Moment")] as_of: JsValue,
    ) -> Result<JsValue, JsValue> {
        to_js(
            &self
                .inner
                .station()
                .report(moment(&as_of, "as of", self.zone())?),
        )
    }

    /// The summary report as text.
    #[wasm_bindgen(js_name = reportText)]
    pub fn report_text(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Moment")] as_of: JsValue,
    ) -> Result<String, JsValue> {
        Ok(self
            .inner
            .station()
            .report(moment(&as_of, "as of", self.zone())?)
            .to_string())
    }

    /// Resumption rates day by day, grouped by `all`, `village`, `sector` or `size`.
    #[wasm_bindgen(js_name = resumptionSeries, unchecked_return_type = "RateRow[]")]
    pub fn resumption_series(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Moment")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] end: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] by: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let by = optional_text(&by.unwrap_or_default(), "by")?;
        let by: precinct::GroupBy = ok(by.as_deref().unwrap_or("all").parse())?;
        let (from, to) = (self.day(&start, "start")?, self.day(&end, "end")?);
        to_js(&self.inner.station().resumption.daily_series(from, to, by))
    }

    /// Passes issued per day and kind.
    #[wasm_bindgen(js_name = passesPerDay, unchecked_return_type = "PassesOnDay[]")]
    pub fn passes_per_day(&self) -> Result<JsValue, JsValue> {
        let rows = self.inner.station().passes_per_day();
        to_js(&rows)
    }

    /// Services by kind and channel between two days.
    #[wasm_bindgen(js_name = serviceCounts, unchecked_return_type = "ServiceCount[]")]
    pub fn service_counts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Moment")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] end: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (from, to) = (self.day(&start, "start")?, self.day(&end, "end")?);
        let rows = self.inner.station().service_counts(from, to);
        to_js(&rows)
    }

    /// Foreign nationals' stays past their registration deadline at `asOf`.
    #[wasm_bindgen(js_name = overdueRegistrations, unchecked_return_type = "ForeignStay[]")]
    pub fn overdue_registrations(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Moment")] as_of: JsValue,
    ) -> Result<JsValue, JsValue> {
        let st = self.inner.station();
        to_js(
            &st.registrations
                .overdue(moment(&as_of, "as of", self.zone())?, &st.policy),
        )
    }

    /// The registration deadline of a stay (ISO string).
    #[wasm_bindgen(js_name = registrationDeadline)]
    pub fn registration_deadline(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] stay: JsValue,
    ) -> Result<String, JsValue> {
        let stay = text(&stay, "stay")?;
        let st = self.inner.station();
        let s = ok(st.registrations.stay(&stay.into()))?;
        Ok(precinct::Registrations::deadline(s, &st.policy).to_rfc3339())
    }

    /// Close contacts of these cases (all when omitted), with evidence.
    #[wasm_bindgen(js_name = closeContacts, unchecked_return_type = "CloseContact[]")]
    pub fn close_contacts(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string[] | null")] cases: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let ids: Option<Vec<precinct::CaseId>> = match cases.as_ref().and_then(convert::given) {
            Some(list) => Some(
                list_of_text(list, "cases")?
                    .into_iter()
                    .map(Into::into)
                    .collect(),
            ),
            None => None,
        };
        to_js(&ok(self.inner.station().close_contacts_of(ids.as_deref()))?)
    }

    /// The token of pass `serial` for its QR code, signed with `key`.
    pub fn token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] serial: JsValue,
        #[wasm_bindgen(unchecked_param_type = "StationKey")] key: JsValue,
    ) -> Result<String, JsValue> {
        let serial = convert::serial(&serial, "serial")?;
        let key = station_key(&key)?;
        ok(self.inner.station().passes.token(serial, &key))
    }

    /// Serials of revoked passes, for checkpoints to download.
    #[wasm_bindgen(js_name = revocationList)]
    pub fn revocation_list(&self) -> Vec<f64> {
        self.inner
            .station()
            .passes
            .revocation_list()
            .serials
            .into_iter()
            .map(|s| s as f64)
            .collect()
    }

    /// The passes on record (serial, kind, masked holder, validity, revocation).
    #[wasm_bindgen(
        unchecked_return_type = "Array<{serial: number; kind: string; holderMasked: string; validFrom: string; validUntil: string; revokedAt: string | null}>"
    )]
    pub fn passes(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.station().passes.passes().collect::<Vec<_>>())
    }

    /// The visits on record, indexed.
    pub fn visits(&self) -> Visits {
        Visits {
            inner: self.inner.station().visits.clone(),
        }
    }
}
