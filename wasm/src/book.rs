//! `Book`: the station's record book, its journal kept in a string (store
//! it in IndexedDB and reopen it with `Book.openText`). Commands go in
//! through [`precinct::Command::from_json_in`]; every query goes through
//! [`precinct::Book::query`], by name or by its own method.

use precinct::{Command, Policy, Receipt, Zone};
use serde::Deserialize;
use serde_json::Value as Json;
use wasm_bindgen::prelude::*;

use crate::convert::{answer, moment, read, text, to_js, to_json};
use crate::devices::DeviceBook;
use crate::errors::{invalid, ok};
use crate::visits::Visits;

/// The station's record book.
#[wasm_bindgen]
pub struct Book {
    inner: precinct::Book,
}

/// A policy: a preset's name, a policy object (as `policy(name)` gives it,
/// changed), or the core's default policy when not given.
pub(crate) fn policy_named(policy: Option<JsValue>) -> Result<Policy, JsValue> {
    let policy: Option<Json> = read("policy", &policy.unwrap_or_default(), Zone::UTC)?;
    ok(policy.map_or_else(|| Ok(Policy::default()), |p| Policy::from_json(&p)))
}

/// The request of query `name`: the fields of `request` (none when
/// omitted) and the name, as `query` takes it.
pub(crate) fn named(name: &str, request: Option<JsValue>) -> Result<Json, JsValue> {
    let mut json = to_json("request", &request.unwrap_or_default())?;
    if json.is_null() {
        json = Json::Object(serde_json::Map::new());
    }
    let Json::Object(fields) = &mut json else {
        return Err(invalid(
            "request",
            json,
            "a plain object with the query's fields",
        ));
    };
    fields.insert("query".into(), name.into());
    Ok(json)
}

/// One entry of `executeBatch`, read as the core reads a command's fields.
#[derive(Deserialize)]
struct Entry {
    by: String,
    at: Json,
    command: Json,
}

impl Book {
    fn zone(&self) -> Zone {
        self.inner.policy().zone()
    }

    /// A command as the core reads it, naive times in the policy's zone.
    fn command(&self, json: &Json) -> Result<Command, JsValue> {
        ok(Command::from_json_in(json, self.zone()))
    }

    /// The query `name` with the fields of `request` (none when omitted).
    fn ask(&self, name: &str, request: Option<JsValue>) -> Result<JsValue, JsValue> {
        answer(self.inner.query(&named(name, request)?), self.zone())
    }
}

#[wasm_bindgen]
impl Book {
    /// A new station under a policy preset (the core's default when omitted).
    #[wasm_bindgen(js_name = inMemory)]
    pub fn in_memory(
        #[wasm_bindgen(unchecked_optional_param_type = "string | Policy | null")] policy: Option<
            JsValue,
        >,
    ) -> Result<Book, JsValue> {
        let inner = ok(precinct::Book::in_memory(policy_named(policy)?))?;
        Ok(Book { inner })
    }

    /// Replay a journal held as text; a torn last line is dropped, other
    /// damage throws `JournalDamaged` with its `seq`.
    #[wasm_bindgen(js_name = openText)]
    pub fn open_text(
        #[wasm_bindgen(unchecked_param_type = "string")] journal: JsValue,
    ) -> Result<Book, JsValue> {
        let inner = ok(precinct::Book::open_text(&text("journal", &journal)?))?;
        Ok(Book { inner })
    }

    /// A book in memory from a snapshot (`book.snapshot()`).
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(
        #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] snapshot: JsValue,
    ) -> Result<Book, JsValue> {
        let zone = Policy::default().zone();
        let snapshot: precinct::Snapshot = read("snapshot", &snapshot, zone)?;
        let inner = ok(precinct::Book::from_snapshot(&snapshot))?;
        Ok(Book { inner })
    }

    /// The demo town's story (seed 2020 unless given; the small town
    /// unless `small` is false).
    #[cfg(feature = "demo")]
    pub fn demo(
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] seed: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean | null")] small: Option<JsValue>,
    ) -> Result<Book, JsValue> {
        let seed: Option<u64> = read("seed", &seed.unwrap_or_default(), Zone::UTC)?;
        let small: Option<bool> = read("small", &small.unwrap_or_default(), Zone::UTC)?;
        let size = if small.unwrap_or(true) {
            precinct::demo::DemoSize::SMALL
        } else {
            precinct::demo::DemoSize::TOWN
        };
        let inner = ok(precinct::demo::demo_book(seed.unwrap_or(2020), size))?;
        Ok(Book { inner })
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
        let by = text("by", &by)?;
        let at = moment("at", &to_json("at", &at)?, self.zone())?;
        let command = self.command(&to_json("command", &command)?)?;
        to_js(&ok(self.inner.execute(by, at, command))?, self.zone())
    }

    /// Several `{by, at, command}` entries, synced once. Stops at the first
    /// one refused and throws its error; the ones before it are kept.
    #[wasm_bindgen(js_name = executeBatch, unchecked_return_type = "Receipt[]")]
    pub fn execute_batch(
        &mut self,
        #[wasm_bindgen(
            unchecked_param_type = "Array<{ by: string; at: Moment; command: Command }>"
        )]
        entries: JsValue,
    ) -> Result<JsValue, JsValue> {
        let zone = self.zone();
        let entries: Vec<Entry> = read("entries", &entries, zone)?;
        let entries = entries
            .iter()
            .map(|e| {
                Ok((
                    e.by.clone(),
                    moment("at", &e.at, zone)?,
                    self.command(&e.command)?,
                ))
            })
            .collect::<Result<Vec<_>, JsValue>>()?;
        self.run(entries)
    }

    /// Put the records of CSV text into the book, as the commands that
    /// record them, in one batch: `kind` is `visits`, `cases`,
    /// `interviews`, `residents` (`csv` the households, `other` the
    /// persons) or `resumption` (enterprises and reports). Every row is read
    /// first, and a bad one throws a `DataImportError` before any command
    /// runs; the commands then run as `executeBatch` runs them.
    #[wasm_bindgen(js_name = importRecords, unchecked_return_type = "Receipt[]")]
    pub fn import_records(
        &mut self,
        #[wasm_bindgen(
            unchecked_param_type = "\"visits\" | \"cases\" | \"interviews\" | \"residents\" | \"resumption\""
        )]
        kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] csv: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] other: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] by: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] at: JsValue,
    ) -> Result<JsValue, JsValue> {
        let zone = self.zone();
        let kind = text("kind", &kind)?;
        let csv = text("csv", &csv)?;
        let other = if other.is_null() || other.is_undefined() {
            None
        } else {
            Some(text("other", &other)?)
        };
        let by = text("by", &by)?;
        let at = moment("at", &to_json("at", &at)?, zone)?;
        let policy = self.inner.policy().clone();
        let records = ok(precinct::Import::read_csv(
            &kind,
            csv.as_bytes(),
            other.as_deref().map(str::as_bytes),
            &policy,
        ))?;
        let entries = records
            .commands()
            .into_iter()
            .map(|c| (by.clone(), at, c))
            .collect();
        self.run(entries)
    }
}

impl Book {
    /// Execute `entries` in one batch synced once; the first refused one
    /// stops the batch and throws, the ones before it kept and synced.
    fn run(
        &mut self,
        entries: Vec<(String, precinct::Instant, Command)>,
    ) -> Result<JsValue, JsValue> {
        let zone = self.zone();
        let mut batch = self.inner.batch();
        let mut receipts: Vec<Receipt> = Vec::with_capacity(entries.len());
        for (by, at, command) in entries {
            // A refused command: commit those before it, then throw.
            let receipt = batch.execute(by, at, command);
            let refused = receipt.as_ref().err().cloned();
            receipts.extend(receipt.ok());
            if let Some(e) = refused {
                ok(batch.commit())?;
                return ok(Err(e));
            }
        }
        ok(batch.commit())?;
        to_js(&receipts, zone)
    }
}

#[wasm_bindgen]
impl Book {
    /// Answer any query given by name: `{query: "missing_reports", day: "2020-02-01"}`.
    #[wasm_bindgen(unchecked_return_type = "unknown")]
    pub fn query(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BookQuery")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        answer(self.inner.query(&to_json("query", &request)?), self.zone())
    }

    /// The names of the queries, as `query` takes them (snake_case).
    #[wasm_bindgen(js_name = queryNames)]
    pub fn query_names() -> Vec<String> {
        precinct::Query::NAMES
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The journal's text (every `Book` of this package keeps it in memory).
    #[wasm_bindgen(getter, js_name = journalText)]
    pub fn journal_text(&self) -> Option<String> {
        self.inner.journal_text().map(str::to_string)
    }

    /// Sequence number of the last event.
    #[wasm_bindgen(getter)]
    pub fn seq(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.seq(), self.zone())
    }

    /// Hash of the journal's last line.
    #[wasm_bindgen(getter)]
    pub fn head(&self) -> String {
        self.inner.head().to_string()
    }

    /// What opening the journal found.
    #[wasm_bindgen(getter, unchecked_return_type = "Recovery")]
    pub fn recovery(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.recovery(), self.zone())
    }

    /// The policy in force.
    #[wasm_bindgen(getter, unchecked_return_type = "Policy")]
    pub fn policy(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.policy(), self.zone())
    }

    /// The whole book as one document, for `Book.fromSnapshot`.
    #[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.snapshot(), self.zone())
    }

    /// The whole book as JSON text: the base a `DeviceBook` starts from,
    /// and what a page keeps to reopen the book fast.
    #[wasm_bindgen(js_name = snapshotText)]
    pub fn snapshot_text(&self) -> String {
        self.inner.snapshot().to_text()
    }

    /// The visits on record, indexed, under the book's policy.
    pub fn visits(&self) -> Visits {
        let station = self.inner.station();
        Visits::new(station.visits().clone(), station.policy().clone())
    }

    /// Check that the record a form's field names is on record, as it is
    /// typed: `kind` is `person`, `household`, `stay`, `enterprise`, `pass`
    /// or `certificate`, `id` the record's id or serial. Throws
    /// `RecordNotFound` with the words a command naming it would give.
    #[wasm_bindgen(js_name = checkReference)]
    pub fn check_reference(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<(), JsValue> {
        check_reference(self.inner.station(), &kind, &id)
    }

    /// The signed token of pass `serial` for its QR code.
    pub fn token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] serial: JsValue,
        #[wasm_bindgen(unchecked_param_type = "StationKey")] key: JsValue,
    ) -> Result<String, JsValue> {
        crate::passes::token(self.inner.station(), &serial, &key)
    }
}

/// One method per query, on `Book` and on `DeviceBook`:
/// `book.missingReports({day: "2020-02-01"})` is
/// `book.query({query: "missing_reports", day: "2020-02-01"})`. Each line:
/// the query's name, its JS name, the TypeScript type of its request (in
/// parentheses; `?` when every field is optional; none for a query without
/// fields) and of its answer.
macro_rules! queries {
    ($($name:ident $js:ident ($($request:tt)*) $answer:tt,)*) => {
        // One `impl` block each: wasm-bindgen does not expand macros in one.
        $(queries!(@method Book $name $js ($($request)*) $answer);)*
        $(queries!(@method DeviceBook $name $js ($($request)*) $answer);)*
    };
    (@method $ty:ident $name:ident $js:ident () $answer:tt) => {
        #[wasm_bindgen]
        impl $ty {
            /// A query of the book without fields (see `query`). An object
            /// given is still read, so that a field in it is refused.
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $answer)]
            pub fn $name(
                &self,
                #[wasm_bindgen(unchecked_optional_param_type = "Record<string, never>")]
                request: Option<JsValue>,
            ) -> Result<JsValue, JsValue> {
                self.ask(stringify!($name), request)
            }
        }
    };
    (@method $ty:ident $name:ident $js:ident ($request:tt) $answer:tt) => {
        #[wasm_bindgen]
        impl $ty {
            /// A query of the book with its fields (see `query`).
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $answer)]
            pub fn $name(
                &self,
                #[wasm_bindgen(unchecked_param_type = $request)] request: JsValue,
            ) -> Result<JsValue, JsValue> {
                self.ask(stringify!($name), Some(request))
            }
        }
    };
    (@method $ty:ident $name:ident $js:ident ($request:tt ?) $answer:tt) => {
        #[wasm_bindgen]
        impl $ty {
            /// A query of the book whose fields are all optional (see `query`).
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $answer)]
            pub fn $name(
                &self,
                #[wasm_bindgen(unchecked_optional_param_type = $request)] request: Option<JsValue>,
            ) -> Result<JsValue, JsValue> {
                self.ask(stringify!($name), request)
            }
        }
    };
}

queries! {
    report report ("QueryRequests['report']") "StationReport",
    report_text reportText ("QueryRequests['report_text']") "string",
    records records () "BookRecords",
    export_csv exportCsv () "Record<\"visits\" | \"cases\" | \"households\" | \"persons\" | \"enterprises\" | \"reports\", string>",
    analytic_export analyticExport ("QueryRequests['analytic_export']") "AnalyticExport",
    history history ("QueryRequests['history']") "AuditEntry[]",
    persons persons () "Person[]",
    households households () "Household[]",
    tenancies tenancies () "Tenancy[]",
    screening_teams screeningTeams () "ScreeningTeam[]",
    screenings screenings () "ScreeningVisit[]",
    screening_coverage screeningCoverage () "Coverage",
    commitments commitments () "Commitment[]",
    households_without_commitment householdsWithoutCommitment () "HouseholdId[]",
    daily_reports dailyReports ("QueryRequests['daily_reports']") "DailyReport[]",
    missing_reports missingReports ("QueryRequests['missing_reports']") "HouseholdId[]",
    responsibility_gaps responsibilityGaps () "Gap[]",
    responsibility_load responsibilityLoad () "Load[]",
    who_answers whoAnswers ("QueryRequests['who_answers']") "Answerable",
    returnees returnees ("QueryRequests['returnees']") "Returnee[]",
    travels travels () "TravelRecord[]",
    risk_areas riskAreas () "RiskArea[]",
    orders orders () "IsolationOrder[]",
    orders_in_force ordersInForce ("QueryRequests['orders_in_force']") "IsolationOrder[]",
    due_for_release dueForRelease ("QueryRequests['due_for_release']") "IsolationOrder[]",
    cases cases () "Case[]",
    interviews interviews () "InterviewContact[]",
    close_contacts closeContacts ("QueryRequests['close_contacts']" ?) "CloseContact[]",
    second_ring secondRing ("QueryRequests['second_ring']") "SecondRingContact[]",
    contacts contacts () "ContactRecord[]",
    follow_up followUp () "FollowUp",
    chains chains () "ChainReport",
    passes passes () "Pass[]",
    revocation_list revocationList () "number[]",
    passes_per_day passesPerDay () "PassesOnDay[]",
    crossings crossings () "Crossing[]",
    station_keys stationKeys () "KeyRecord[]",
    stays stays () "ForeignStay[]",
    overdue_registrations overdueRegistrations ("QueryRequests['overdue_registrations']") "ForeignStay[]",
    registered_late registeredLate () "ForeignStay[]",
    registration_deadline registrationDeadline ("QueryRequests['registration_deadline']") "string",
    certificates certificates () "Certificate[]",
    papers_held papersHeld () "Certificate[]",
    service_ledger serviceLedger () "ServiceEntry[]",
    service_counts serviceCounts ("QueryRequests['service_counts']") "ServiceCount[]",
    enterprises enterprises () "Enterprise[]",
    enterprise_reports enterpriseReports () "DailyStatus[]",
    resumption_rates resumptionRates ("QueryRequests['resumption_rates']") "RateRow[]",
    resumption_series resumptionSeries ("QueryRequests['resumption_series']") "RateRow[]",
    migrant_workers migrantWorkers () "MigrantWorker[]",
    days_to_start daysToStart () "Array<[PersonId, number]>",
}

/// `checkReference` of both books: the station's answer for the JS arguments.
pub(crate) fn check_reference(
    station: &precinct::Station,
    kind: &JsValue,
    id: &JsValue,
) -> Result<(), JsValue> {
    ok(station.check_reference(&text("record kind", kind)?, &text("id", id)?))
}
