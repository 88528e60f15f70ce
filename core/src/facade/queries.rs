//! Every query of the record book, as one typed request each ([`Query`])
//! and the station's answer ([`Station::answer`]).
//!
//! A request is read from JSON by its `query` name with its fields (see
//! [`read_input`](super::read_input)); the answer is the core's own typed
//! record, handed over as a [`Value`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::value::{to_value, Value};
use crate::book::Subject;
use crate::error::{Error, Result};
use crate::household::{Household, Person};
use crate::ids::{CaseId, HouseholdId, PersonId, StayId};
use crate::pass::Pass;
use crate::quarantine::IsolationOrder;
use crate::registration::ForeignStay;
use crate::resumption::{Enterprise, GroupBy};
use crate::station::Station;
use crate::time::{local_day, Instant, Interval};
use crate::tracing::{chains, second_ring_contacts, Case, ContactRecord, TraceInputs};

/// A query of the record book: its name (`query`) and its arguments.
///
/// Times are ISO 8601 text (naive ones in the policy's zone, see
/// [`read_in_zone`](crate::read_in_zone)); days are `YYYY-MM-DD` or a time,
/// whose local day in the policy's zone is meant.
///
/// ```
/// let book = precinct::Book::in_memory(precinct::Policy::default()).unwrap();
/// let q = serde_json::json!({"query": "missing_reports", "day": "2020-02-01"});
/// let answer = book.query(&q).unwrap();
/// assert_eq!(answer, precinct::Value::List(vec![]));
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
// Queries without arguments are empty struct variants, so that an argument
// given to them is refused like a misspelled one (a unit variant ignores it).
#[serde(tag = "query", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Query {
    // The whole station.
    /// The summary figures as of a moment ([`StationReport`](crate::StationReport)).
    Report {
        /// As of when.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        as_of: Instant,
    },
    /// The summary figures as text.
    ReportText {
        /// As of when.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        as_of: Instant,
    },
    /// Every registry as a list of records ([`Records`]).
    Records {},
    /// The six interchange files (visits, cases, households, persons,
    /// enterprises, reports) as CSV text, by name.
    ExportCsv {},
    /// Persons under keyed pseudonyms, identities masked
    /// ([`AnalyticExport`](crate::AnalyticExport)).
    AnalyticExport {
        /// The pseudonym key (text; at least 16 bytes).
        key: String,
    },
    /// Every event that concerns one person, pass or stay (give exactly one).
    History {
        /// A person's id.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        person: Option<PersonId>,
        /// A pass's serial.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        pass_serial: Option<u64>,
        /// A stay's id.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        stay: Option<StayId>,
    },

    // Households and residents.
    /// Registered persons.
    Persons {},
    /// Households.
    Households {},
    /// Tenancies (who lived in which rented home, from when to when).
    Tenancies {},
    /// Three-person screening teams.
    ScreeningTeams {},
    /// Screening visits of households.
    Screenings {},
    /// Screening coverage of rental households.
    ScreeningCoverage {},
    /// Landlord commitments.
    Commitments {},
    /// Rental households without a landlord commitment.
    HouseholdsWithoutCommitment {},
    /// The daily "zero reports" of one household.
    DailyReports {
        /// Which household.
        household: HouseholdId,
    },
    /// Rental households missing the daily report of a local day.
    MissingReports {
        /// The local day.
        #[serde(deserialize_with = "crate::time::given_day::deserialize")]
        day: NaiveDate,
    },
    /// Households with a gap in the responsibility tree.
    ResponsibilityGaps {},
    /// Households each staff member answers for.
    ResponsibilityLoad {},
    /// Who answers for one household (leader, cadre, party member).
    WhoAnswers {
        /// Which household.
        household: HouseholdId,
    },
    /// Persons back from a high-risk area within the look-back period.
    Returnees {
        /// As of when.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        as_of: Instant,
    },
    /// Journeys recorded.
    Travels {},
    /// Risk areas and their levels over time.
    RiskAreas {},
    /// Every isolation and observation order.
    Orders {},
    /// Orders in force on a local day.
    OrdersInForce {
        /// The local day.
        #[serde(deserialize_with = "crate::time::given_day::deserialize")]
        day: NaiveDate,
    },
    /// Orders due (or overdue) for release on a local day.
    DueForRelease {
        /// The local day.
        #[serde(deserialize_with = "crate::time::given_day::deserialize")]
        day: NaiveDate,
    },

    // Contacts.
    /// Confirmed cases.
    Cases {},
    /// Contacts named in interviews.
    Interviews {},
    /// The close contacts of these cases (every case when omitted), traced
    /// on visits, shared homes and interviews, with their evidence.
    CloseContacts {
        /// Which cases.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        cases: Option<Vec<CaseId>>,
    },
    /// Contacts of the close contacts (second ring) over `[start, end)`.
    SecondRing {
        /// Which cases (every case when omitted).
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        cases: Option<Vec<CaseId>>,
        /// Start of the window.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        start: Instant,
        /// End of the window (exclusive).
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        end: Instant,
    },
    /// The contact log: each close contact with notification and isolation.
    Contacts {},
    /// How many contacts were notified and isolated, and by when.
    FollowUp {},
    /// Transmission chains: clusters, generations, serial intervals, problems.
    Chains {},

    // Passes.
    /// Passes issued (holders masked).
    Passes {},
    /// Serials of revoked passes, as checkpoints download them.
    RevocationList {},
    /// Passes issued per local day and kind.
    PassesPerDay {},
    /// Checkpoint checks recorded.
    Crossings {},
    /// The station's signing keys (public halves) and when they were in force.
    StationKeys {},

    // Registrations.
    /// Foreign nationals' stays.
    Stays {},
    /// Stays past their registration deadline at a moment.
    OverdueRegistrations {
        /// As of when.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        as_of: Instant,
    },
    /// Stays registered after their deadline.
    RegisteredLate {},
    /// The registration deadline of one stay.
    RegistrationDeadline {
        /// Which stay.
        stay: StayId,
    },
    /// Certificates issued.
    Certificates {},
    /// Certificates whose paper copy is held at the station.
    PapersHeld {},
    /// The service ledger.
    ServiceLedger {},
    /// Services by kind and channel between two local days (inclusive).
    ServiceCounts {
        /// First day.
        #[serde(deserialize_with = "crate::time::given_day::deserialize")]
        from: NaiveDate,
        /// Last day.
        #[serde(deserialize_with = "crate::time::given_day::deserialize")]
        to: NaiveDate,
    },

    // Resumption.
    /// Enterprises.
    Enterprises {},
    /// Enterprises' daily resumption reports.
    EnterpriseReports {},
    /// Resumption rates on a local day, grouped.
    ResumptionRates {
        /// The local day.
        #[serde(deserialize_with = "crate::time::given_day::deserialize")]
        day: NaiveDate,
        /// `all` (default), `village`, `sector` or `size`.
        #[serde(default = "all")]
        #[cfg_attr(feature = "ts", ts(as = "Option<GroupBy>", optional))]
        by: GroupBy,
    },
    /// Resumption rates day by day, grouped.
    ResumptionSeries {
        /// First day.
        #[serde(deserialize_with = "crate::time::given_day::deserialize")]
        from: NaiveDate,
        /// Last day.
        #[serde(deserialize_with = "crate::time::given_day::deserialize")]
        to: NaiveDate,
        /// `all` (default), `village`, `sector` or `size`.
        #[serde(default = "all")]
        #[cfg_attr(feature = "ts", ts(as = "Option<GroupBy>", optional))]
        by: GroupBy,
    },
    /// Migrant workers and their remote verification.
    MigrantWorkers {},
    /// Days from arrival to the start of work, for each worker who started.
    DaysToStart {},
}

fn all() -> GroupBy {
    GroupBy::All
}

/// Every registry of the station as lists of records: the answer of
/// [`Query::Records`].
#[derive(Debug, Clone, Serialize)]
pub struct Records<'a> {
    /// Registered persons.
    pub persons: Vec<&'a Person>,
    /// Households.
    pub households: Vec<&'a Household>,
    /// Confirmed cases.
    pub cases: &'a [Case],
    /// Close contacts and their follow-up.
    pub contacts: Vec<&'a ContactRecord>,
    /// Isolation and observation orders.
    pub orders: Vec<&'a IsolationOrder>,
    /// Passes.
    pub passes: Vec<&'a Pass>,
    /// Foreign nationals' stays.
    pub stays: Vec<&'a ForeignStay>,
    /// Enterprises.
    pub enterprises: Vec<&'a Enterprise>,
}

impl Query {
    /// Every query's name, in the order of [`Query`]'s variants.
    pub const NAMES: &'static [&'static str] = &[
        "report",
        "report_text",
        "records",
        "export_csv",
        "analytic_export",
        "history",
        "persons",
        "households",
        "tenancies",
        "screening_teams",
        "screenings",
        "screening_coverage",
        "commitments",
        "households_without_commitment",
        "daily_reports",
        "missing_reports",
        "responsibility_gaps",
        "responsibility_load",
        "who_answers",
        "returnees",
        "travels",
        "risk_areas",
        "orders",
        "orders_in_force",
        "due_for_release",
        "cases",
        "interviews",
        "close_contacts",
        "second_ring",
        "contacts",
        "follow_up",
        "chains",
        "passes",
        "revocation_list",
        "passes_per_day",
        "crossings",
        "station_keys",
        "stays",
        "overdue_registrations",
        "registered_late",
        "registration_deadline",
        "certificates",
        "papers_held",
        "service_ledger",
        "service_counts",
        "enterprises",
        "enterprise_reports",
        "resumption_rates",
        "resumption_series",
        "migrant_workers",
        "days_to_start",
    ];

    /// The query's name, as written in `query`.
    pub fn name(&self) -> &'static str {
        macro_rules! names {
            ($($variant:ident => $name:literal,)*) => {
                match self { $(Query::$variant { .. } => $name,)* }
            };
        }
        names! {
            Report => "report", ReportText => "report_text", Records => "records",
            ExportCsv => "export_csv", AnalyticExport => "analytic_export", History => "history",
            Persons => "persons", Households => "households", Tenancies => "tenancies",
            ScreeningTeams => "screening_teams", Screenings => "screenings",
            ScreeningCoverage => "screening_coverage", Commitments => "commitments",
            HouseholdsWithoutCommitment => "households_without_commitment",
            DailyReports => "daily_reports", MissingReports => "missing_reports",
            ResponsibilityGaps => "responsibility_gaps", ResponsibilityLoad => "responsibility_load",
            WhoAnswers => "who_answers", Returnees => "returnees", Travels => "travels",
            RiskAreas => "risk_areas", Orders => "orders", OrdersInForce => "orders_in_force",
            DueForRelease => "due_for_release", Cases => "cases", Interviews => "interviews",
            CloseContacts => "close_contacts", SecondRing => "second_ring", Contacts => "contacts",
            FollowUp => "follow_up", Chains => "chains", Passes => "passes",
            RevocationList => "revocation_list", PassesPerDay => "passes_per_day",
            Crossings => "crossings", StationKeys => "station_keys", Stays => "stays",
            OverdueRegistrations => "overdue_registrations", RegisteredLate => "registered_late",
            RegistrationDeadline => "registration_deadline", Certificates => "certificates",
            PapersHeld => "papers_held", ServiceLedger => "service_ledger",
            ServiceCounts => "service_counts", Enterprises => "enterprises",
            EnterpriseReports => "enterprise_reports", ResumptionRates => "resumption_rates",
            ResumptionSeries => "resumption_series", MigrantWorkers => "migrant_workers",
            DaysToStart => "days_to_start",
        }
    }
}

impl Station {
    /// Every registry as lists of records.
    pub fn records(&self) -> Records<'_> {
        Records {
            persons: self.residents.persons().collect(),
            households: self.residents.households().collect(),
            cases: &self.cases,
            contacts: self.contacts.records().collect(),
            orders: self.quarantine.orders().collect(),
            passes: self.passes.passes().collect(),
            stays: self.registrations.stays().collect(),
            enterprises: self.resumption.enterprises().collect(),
        }
    }

    /// The six interchange files as CSV text, by name (`visits`, `cases`,
    /// `households`, `persons`, `enterprises`, `reports`).
    ///
    /// # Errors
    /// As the writers ([`write_visits`](crate::write_visits) ...).
    pub fn export_csv(&self) -> Result<BTreeMap<&'static str, String>> {
        type Writer<'a> = Box<dyn Fn(&mut Vec<u8>) -> Result<()> + 'a>;
        let p = &self.policy;
        let files: [(&'static str, Writer<'_>); 6] = [
            (
                "visits",
                Box::new(|o| crate::csv::write_visits(&self.visits, o, p)),
            ),
            (
                "cases",
                Box::new(|o| crate::csv::write_cases(&self.cases, o, p)),
            ),
            (
                "households",
                Box::new(|o| crate::csv::write_households(&self.residents, o)),
            ),
            (
                "persons",
                Box::new(|o| crate::csv::write_persons(&self.residents, o)),
            ),
            (
                "enterprises",
                Box::new(|o| crate::csv::write_enterprises(&self.resumption, o)),
            ),
            (
                "reports",
                Box::new(|o| crate::csv::write_reports(&self.resumption, o)),
            ),
        ];
        files
            .into_iter()
            .map(|(name, write)| {
                let mut out = Vec::new();
                write(&mut out)?;
                // The writers write UTF-8 text only.
                Ok((name, String::from_utf8_lossy(&out).into_owned()))
            })
            .collect()
    }

    /// The answer to `query`, typed records as a [`Value`].
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id in the request; as the query's
    /// method otherwise. [`Query::History`] needs the journal: ask the
    /// [`Book`](crate::Book).
    pub fn answer(&self, query: &Query) -> Result<Value> {
        let p = &self.policy;
        match query {
            Query::Report { as_of } => to_value(&self.report(*as_of)),
            Query::ReportText { as_of } => to_value(&self.report(*as_of).to_string()),
            Query::Records {} => to_value(&self.records()),
            Query::ExportCsv {} => to_value(&self.export_csv()?),
            Query::AnalyticExport { key } => to_value(&self.analytic_export(key.as_bytes())?),
            Query::History { .. } => Err(Error::invalid(
                "query",
                "history",
                "a query of the book, which keeps the journal (Book::query)",
            )),
            Query::Persons {} => to_value(&self.residents.persons().collect::<Vec<_>>()),
            Query::Households {} => to_value(&self.residents.households().collect::<Vec<_>>()),
            Query::Tenancies {} => to_value(self.residents.tenancies()),
            Query::ScreeningTeams {} => to_value(&self.screening.teams().collect::<Vec<_>>()),
            Query::Screenings {} => to_value(self.screening.screenings()),
            Query::ScreeningCoverage {} => to_value(&self.screening.coverage(&self.residents)),
            Query::Commitments {} => to_value(&self.screening.commitments().collect::<Vec<_>>()),
            Query::HouseholdsWithoutCommitment {} => to_value(
                &self
                    .screening
                    .households_without_commitment(&self.residents),
            ),
            Query::DailyReports { household } => {
                self.residents.household(household)?;
                to_value(&self.screening.daily_reports(household).collect::<Vec<_>>())
            }
            Query::MissingReports { day } => {
                to_value(&self.screening.missing_reports(&self.residents, *day))
            }
            Query::ResponsibilityGaps {} => to_value(&self.responsibility.gaps(&self.residents)),
            Query::ResponsibilityLoad {} => to_value(&self.responsibility.load(&self.residents)),
            Query::WhoAnswers { household } => to_value(
                &self
                    .responsibility
                    .who_answers(&self.residents, household)?,
            ),
            Query::Returnees { as_of } => to_value(&self.quarantine.returnees(*as_of, p)),
            Query::Travels {} => to_value(self.quarantine.travels()),
            Query::RiskAreas {} => to_value(&self.quarantine.areas().collect::<Vec<_>>()),
            Query::Orders {} => to_value(&self.quarantine.orders().collect::<Vec<_>>()),
            Query::OrdersInForce { day } => to_value(&self.quarantine.active_on(*day, p)),
            Query::DueForRelease { day } => to_value(&self.quarantine.due_for_release(*day, p)),
            Query::Cases {} => to_value(&self.cases),
            Query::Interviews {} => to_value(&self.interviews),
            Query::CloseContacts { cases } => to_value(&self.close_contacts_of(cases.as_deref())?),
            Query::SecondRing { cases, start, end } => {
                let window = Interval::new(*start, *end)?;
                let contacts = self.close_contacts_of(cases.as_deref())?;
                let chosen = self.cases_named(cases.as_deref())?;
                let inputs = TraceInputs {
                    visits: &self.visits,
                    residents: Some(&self.residents),
                    interviews: &self.interviews,
                    policy: p,
                };
                to_value(&second_ring_contacts(&chosen, &contacts, inputs, window))
            }
            Query::Contacts {} => to_value(&self.contacts.records().collect::<Vec<_>>()),
            Query::FollowUp {} => to_value(&self.contacts.follow_up()),
            Query::Chains {} => to_value(&chains(&self.cases, p.zone())),
            Query::Passes {} => to_value(&self.passes.passes().collect::<Vec<_>>()),
            Query::RevocationList {} => to_value(&self.passes.revocation_list().serials),
            Query::PassesPerDay {} => to_value(&self.passes_per_day()),
            Query::Crossings {} => to_value(self.checkpoints.crossings()),
            Query::StationKeys {} => to_value(self.keys.keys()),
            Query::Stays {} => to_value(&self.registrations.stays().collect::<Vec<_>>()),
            Query::OverdueRegistrations { as_of } => {
                to_value(&self.registrations.overdue(*as_of, p))
            }
            Query::RegisteredLate {} => to_value(&self.registrations.registered_late(p)),
            Query::RegistrationDeadline { stay } => to_value(
                &crate::registration::Registrations::deadline(self.registrations.stay(stay)?, p),
            ),
            Query::Certificates {} => {
                to_value(&self.registrations.certificates().collect::<Vec<_>>())
            }
            Query::PapersHeld {} => to_value(&self.registrations.papers_held()),
            Query::ServiceLedger {} => to_value(self.registrations.ledger()),
            Query::ServiceCounts { from, to } => to_value(&self.service_counts(*from, *to)),
            Query::Enterprises {} => to_value(&self.resumption.enterprises().collect::<Vec<_>>()),
            Query::EnterpriseReports {} => to_value(&self.resumption.reports().collect::<Vec<_>>()),
            Query::ResumptionRates { day, by } => to_value(&self.resumption.rates(*day, *by)),
            Query::ResumptionSeries { from, to, by } => {
                to_value(&self.resumption.daily_series(*from, *to, *by))
            }
            Query::MigrantWorkers {} => to_value(&self.resumption.migrants().collect::<Vec<_>>()),
            Query::DaysToStart {} => to_value(&self.resumption.days_to_start()),
        }
    }

    /// The local day of `at` in the policy's zone.
    pub fn local_day(&self, at: Instant) -> NaiveDate {
        local_day(at, self.policy.zone())
    }
}

impl Query {
    /// A query given as JSON (`{"query": "missing_reports", "day":
    /// "2020-02-01"}`), naive times in `zone`: what `Book::query` and
    /// `DeviceBook::query` read.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the query and the field that does not read.
    pub fn from_request(request: &serde_json::Value, zone: crate::Zone) -> Result<Query> {
        let what = match request.get("query").and_then(serde_json::Value::as_str) {
            Some(name) => format!("query `{name}`"),
            None => "query".to_string(),
        };
        super::read_input(&what, request, zone)
    }
}

impl crate::book::Book {
    /// Answer a query given as JSON (`{"query": "missing_reports", "day":
    /// "2020-02-01"}`), naive times in the policy's zone: the one entry the
    /// Python and JavaScript layers call for every query.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the field of a request that does not
    /// read; as [`Station::answer`] and [`Book::history`](crate::Book::history).
    pub fn query(&self, request: &serde_json::Value) -> Result<Value> {
        self.answer(&Query::from_request(request, self.policy().zone())?)
    }

    /// The answer to a typed query.
    ///
    /// # Errors
    /// As [`Station::answer`]; for [`Query::History`], an
    /// [`Error::InvalidValue`] unless exactly one subject is given.
    pub fn answer(&self, query: &Query) -> Result<Value> {
        match query {
            Query::History {
                person,
                pass_serial,
                stay,
            } => {
                let subject = match (person, pass_serial, stay) {
                    (Some(p), None, None) => Subject::Person(p.clone()),
                    (None, Some(s), None) => Subject::Pass(*s),
                    (None, None, Some(s)) => Subject::Stay(s.clone()),
                    _ => {
                        return Err(Error::invalid(
                            "query `history`",
                            "more or fewer than one subject",
                            "exactly one of person, pass_serial or stay",
                        ))
                    }
                };
                to_value(&self.history(&subject)?)
            }
            other => self.station().answer(other),
        }
    }
}
