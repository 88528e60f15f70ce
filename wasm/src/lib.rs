//! The WebAssembly module of the npm package `precinct`. It only converts
//! between JavaScript and the core: plain objects with camelCase fields in
//! and out, times as `Date` or ISO strings, errors as `Error`s whose `name`
//! and `code` say the kind. Every rule lives in the `precinct` crate.

// Exported to JavaScript, where errors are thrown `Error`s (each doc says
// which), and wasm-bindgen hands arguments over by value.
#![allow(clippy::missing_errors_doc, clippy::needless_pass_by_value)]

use chrono::{DateTime, NaiveDate};
use precinct::Zone;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use precinct::{Error, Instant, Policy};

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

/// A core error as a JS `Error` with `name` and `code` (and `seq` for damage).
fn js_err(e: &Error) -> JsValue {
    let name = match e {
        Error::Id(_) => "InvalidIdentityDocument",
        Error::InvalidValue { .. } => "InvalidValue",
        Error::Duplicate { .. } => "DuplicateRecord",
        Error::NotFound { .. } => "RecordNotFound",
        Error::InvalidTransition { .. } => "InvalidTransition",
        Error::NotEligible { .. } => "NotEligible",
        Error::Implausible { .. } => "ImplausibleRecord",
        Error::Csv { .. } => "DataImportError",
        Error::JournalDamaged { .. } => "JournalDamaged",
        Error::JournalLocked { .. } => "JournalLocked",
        Error::Io { .. } => "StorageError",
        Error::TooLarge { .. } => "TooLarge",
        _ => "PrecinctError",
    };
    let error = js_sys::Error::new(&e.to_string());
    error.set_name(name);
    let set = |key: &str, value: JsValue| js_sys::Reflect::set(&error, &key.into(), &value);
    // Setting a property on a fresh Error cannot fail.
    let _ = set("code", e.code().into());
    if let Error::JournalDamaged { seq, .. } = e {
        let _ = set("seq", JsValue::from_f64(*seq as f64));
    }
    error.into()
}

fn invalid(what: &str, reason: impl std::fmt::Display) -> JsValue {
    js_err(&Error::InvalidValue {
        field: what.into(),
        value: reason.to_string(),
        expected: format!("a valid {what}"),
    })
}

fn ok<T>(r: precinct::Result<T>) -> Result<T, JsValue> {
    r.map_err(|e| js_err(&e))
}

fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Rename every object key, at any depth.
fn rekey(v: Value, f: fn(&str) -> String) -> Value {
    match v {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (f(&k), rekey(v, f))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| rekey(v, f)).collect()),
        other => other,
    }
}

/// A core value as a plain JS object with camelCase fields.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_value(value).map_err(|e| invalid("result", e))?;
    rekey(json, camel)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| invalid("result", e))
}

/// A plain JS object (camelCase, `Date`s allowed) as a core value.
fn from_js<T: serde::de::DeserializeOwned>(what: &str, value: &JsValue) -> Result<T, JsValue> {
    // JSON.stringify turns Dates into ISO strings, as the core reads them.
    let text: String = js_sys::JSON::stringify(value)
        .map_err(|_| invalid(what, "it cannot be written as JSON"))?
        .into();
    let json: Value = serde_json::from_str(&text).map_err(|e| invalid(what, e))?;
    serde_json::from_value(rekey(json, snake)).map_err(|e| invalid(what, e))
}

/// A moment: a `Date`, an ISO string (naive ones in `zone`) or Unix seconds.
fn instant(value: &JsValue, zone: Zone) -> Result<Instant, JsValue> {
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        let ms = date.get_time();
        if ms.is_nan() {
            return Err(invalid("time", "Invalid Date"));
        }
        return DateTime::from_timestamp_millis(ms as i64).ok_or_else(|| invalid("time", ms));
    }
    if let Some(text) = value.as_string() {
        return ok(precinct::parse_instant(&text, zone));
    }
    if let Some(seconds) = value.as_f64() {
        return DateTime::from_timestamp(seconds as i64, 0).ok_or_else(|| invalid("time", seconds));
    }
    Err(invalid(
        "time",
        "expected a Date, an ISO 8601 string or Unix seconds",
    ))
}

fn default_zone() -> Zone {
    Policy::default().zone()
}

fn policy_named(name: Option<String>) -> Result<Policy, JsValue> {
    ok(Policy::preset(name.as_deref().unwrap_or("nhc-2020")))
}

/// Check an identity document of `kind` (`resident_id`, `passport_mrz`,
/// `credit_code`, `mobile`) and return its canonical form; throws an
/// `InvalidIdentityDocument` saying exactly what is wrong.
#[wasm_bindgen(js_name = validateDocument)]
pub fn validate_document(kind: &str, text: &str) -> Result<String, JsValue> {
    ok(precinct::validate_document(kind, text))
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
pub fn resident_id(number: &str) -> Result<JsValue, JsValue> {
    let id = precinct::ResidentId::parse(number).map_err(|e| js_err(&Error::Id(e)))?;
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
pub fn read_resumption(enterprises: &str, reports: &str) -> Result<JsValue, JsValue> {
    let r = ok(precinct::read_resumption(
        enterprises.as_bytes(),
        reports.as_bytes(),
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
pub fn policy(name: &str) -> Result<JsValue, JsValue> {
    to_js(&ok(Policy::preset(name))?)
}

/// A name masked for display (`王**`).
#[wasm_bindgen(js_name = maskName)]
pub fn mask_name(name: &str) -> String {
    precinct::mask_name(name)
}

/// Verify a pass token offline with the station's public key and the
/// revocation list last downloaded; with the number of the identity
/// document the holder shows (and its nationality for a passport) and the
/// station's holder key, also check the pass was issued to that document.
#[wasm_bindgen(js_name = verifyToken, unchecked_return_type = "Verdict")]
pub fn verify_token(
    token: &str,
    public_key: &str,
    #[wasm_bindgen(unchecked_param_type = "Moment")] at: JsValue,
    revoked: Option<Vec<f64>>,
    document: Option<String>,
    nationality: Option<String>,
    #[wasm_bindgen(js_name = holderKey)] holder_key: Option<String>,
) -> Result<JsValue, JsValue> {
    let key = ok(precinct::PublicKey::parse(public_key))?;
    let shown = ok(document
        .map(|d| precinct::ShownDocument::parse(&d, nationality.as_deref(), holder_key.as_deref()))
        .transpose())?;
    let list = precinct::RevocationList {
        serials: revoked
            .unwrap_or_default()
            .into_iter()
            .map(|s| s as u64)
            .collect(),
    };
    to_js(&precinct::verify_token(
        token,
        &key,
        &list,
        instant(&at, default_zone())?,
        shown.as_ref(),
    ))
}

/// A station's signing key, for the station's console (keep the seed secret).
#[wasm_bindgen]
pub struct StationKey {
    inner: precinct::StationKey,
}

#[wasm_bindgen]
impl StationKey {
    /// The key from a 32-byte secret seed.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: &[u8]) -> Result<StationKey, JsValue> {
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| invalid("key seed", format!("{} bytes, expected 32", seed.len())))?;
        Ok(StationKey {
            inner: precinct::StationKey::from_seed(seed),
        })
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

fn seconds_of(v: &Value, zone: Zone) -> Result<i64, JsValue> {
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| invalid("time", n)),
        Value::String(s) => Ok(ok(precinct::parse_instant(s, zone))?.timestamp()),
        other => Err(invalid("time", other)),
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
                seconds_of(&r.start, zone)?,
                seconds_of(&r.end, zone)?,
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
        person: &str,
        #[wasm_bindgen(unchecked_param_type = "Moment")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] end: JsValue,
        min_overlap: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let window = window(&start, &end)?;
        let rows = precinct::trace(
            &self.inner,
            person,
            window,
            min_overlap.map_or(900, |m| m as i64),
        );
        let out: Vec<TraceRowOut<'_>> = rows
            .iter()
            .map(|r| TraceRowOut {
                person_id: self.inner.persons().name(r.person),
                total_overlap: r.total_overlap,
                first_contact: DateTime::from_timestamp(r.first_contact, 0).unwrap_or_default(),
            })
            .collect();
        to_js(&out)
    }

    /// Second ring(person, [start, end)): ids, sorted.
    #[wasm_bindgen(js_name = secondRing)]
    pub fn second_ring(
        &self,
        person: &str,
        #[wasm_bindgen(unchecked_param_type = "Moment")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] end: JsValue,
        min_overlap: Option<f64>,
    ) -> Result<Vec<String>, JsValue> {
        let window = window(&start, &end)?;
        let ring = precinct::second_ring(
            &self.inner,
            person,
            window,
            min_overlap.map_or(900, |m| m as i64),
        );
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
        min_overlap: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let start = instant(&day_start, default_zone())?.timestamp();
        let g = ok(precinct::day_graph(
            &self.inner,
            start,
            min_overlap.map_or(900, |m| m as i64),
            false,
        ))?;
        to_js(&DayGraphOut {
            edges: g.edges,
            max_degree: g.max_degree,
            max_degree_person: g.max_degree_person.map(|p| self.inner.persons().name(p)),
        })
    }
}

fn window(start: &JsValue, end: &JsValue) -> Result<precinct::Window, JsValue> {
    let zone = default_zone();
    Ok(precinct::Window {
        start: instant(start, zone)?.timestamp(),
        end: instant(end, zone)?.timestamp(),
    })
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
    pub fn in_memory(policy: Option<String>) -> Result<Book, JsValue> {
        Ok(Book {
            inner: ok(precinct::Book::in_memory(policy_named(policy)?))?,
        })
    }

    /// Replay a journal held as text; a torn last line is dropped, other
    /// damage throws `JournalDamaged` with its `seq`.
    #[wasm_bindgen(js_name = openText)]
    pub fn open_text(text: &str) -> Result<Book, JsValue> {
        Ok(Book {
            inner: ok(precinct::Book::open_text(text))?,
        })
    }

    /// The demo town's story (the small town unless `small` is false).
    pub fn demo(seed: Option<f64>, small: Option<bool>) -> Result<Book, JsValue> {
        let size = if small.unwrap_or(true) {
            precinct::demo::DemoSize::SMALL
        } else {
            precinct::demo::DemoSize::TOWN
        };
        let seed = seed.map_or(2020, |s| s as u64);
        Ok(Book {
            inner: ok(precinct::demo::demo_book(seed, size))?,
        })
    }

    fn zone(&self) -> Zone {
        self.inner.policy().zone()
    }

    fn day(&self, v: &JsValue) -> Result<NaiveDate, JsValue> {
        if let Some(text) = v.as_string() {
            if let Ok(d) = text.parse::<NaiveDate>() {
                return Ok(d);
            }
        }
        Ok(precinct::local_day(instant(v, self.zone())?, self.zone()))
    }

    /// Validate, journal and apply a command; throws the error of its kind
    /// when the records refuse it (and nothing changes).
    #[wasm_bindgen(unchecked_return_type = "Receipt")]
    pub fn execute(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: JsValue,
        by: &str,
        #[wasm_bindgen(unchecked_param_type = "Moment")] at: JsValue,
    ) -> Result<JsValue, JsValue> {
        let at = instant(&at, self.zone())?;
        let json: Value = from_js("command", &command)?;
        let command = ok(precinct::Command::from_json(&json))?;
        to_js(&ok(self.inner.execute(by, at, command))?)
    }

    /// The journal's text.
    #[wasm_bindgen(getter, js_name = journalText)]
    pub fn journal_text(&self) -> String {
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
                    "give exactly one of person, passSerial or stay",
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
        to_js(&self.inner.station().report(instant(&as_of, self.zone())?))
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
            .report(instant(&as_of, self.zone())?)
            .to_string())
    }

    /// Resumption rates day by day, grouped by `all`, `village`, `sector` or `size`.
    #[wasm_bindgen(js_name = resumptionSeries, unchecked_return_type = "RateRow[]")]
    pub fn resumption_series(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Moment")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] end: JsValue,
        by: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let by: precinct::GroupBy = ok(by.as_deref().unwrap_or("all").parse())?;
        let (from, to) = (self.day(&start)?, self.day(&end)?);
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
        let (from, to) = (self.day(&start)?, self.day(&end)?);
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
                .overdue(instant(&as_of, self.zone())?, &st.policy),
        )
    }

    /// The registration deadline of a stay (ISO string).
    #[wasm_bindgen(js_name = registrationDeadline)]
    pub fn registration_deadline(&self, stay: &str) -> Result<String, JsValue> {
        let st = self.inner.station();
        let s = ok(st.registrations.stay(&stay.into()))?;
        Ok(precinct::Registrations::deadline(s, &st.policy).to_rfc3339())
    }

    /// Close contacts of these cases (all when omitted), with evidence.
    #[wasm_bindgen(js_name = closeContacts, unchecked_return_type = "CloseContact[]")]
    pub fn close_contacts(&self, cases: Option<Vec<String>>) -> Result<JsValue, JsValue> {
        let ids: Option<Vec<precinct::CaseId>> =
            cases.map(|ids| ids.into_iter().map(Into::into).collect());
        to_js(&ok(self.inner.station().close_contacts_of(ids.as_deref()))?)
    }

    /// The token of pass `serial` for its QR code, signed with `key`.
    pub fn token(&self, serial: f64, key: &StationKey) -> Result<String, JsValue> {
        ok(self.inner.station().passes.token(serial as u64, &key.inner))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_convert_both_ways() {
        assert_eq!(camel("workers_on_site"), "workersOnSite");
        assert_eq!(snake("workersOnSite"), "workers_on_site");
        assert_eq!(snake(&camel("has_smartphone")), "has_smartphone");
    }
}
