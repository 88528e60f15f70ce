//! A station's registries of all five areas together, and its summary report.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::household::{Coverage, Residents, Responsibility, Screening};
use crate::ids::{CaseId, PersonId};
use crate::pass::{CheckpointLog, DenyReason, PassKind, PassOffice, StationKeys};
use crate::policy::Policy;
use crate::quarantine::Quarantine;
use crate::registration::{Channel, Registrations, ServiceKind};
use crate::resumption::{GroupBy, RateRow, Resumption};
use crate::time::{local_day, render_instant, Instant, Zone};
use crate::tracing::{
    chains, close_contacts, Case, CloseContact, ContactLog, FollowUp, InterviewContact,
    TraceInputs, Visits,
};

/// Everything a station keeps, area by area.
///
/// Registries missing from a serialized station read as empty, so a
/// document written before a registry existed still loads.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "wire::StationIn")]
pub struct Station {
    /// The rules in force.
    pub(crate) policy: Policy,
    /// Persons, households, tenancies, merged duplicates.
    pub(crate) residents: Residents,
    /// Screening teams and visits, landlords' commitments, daily reports.
    /// Serialized inside `residents`, where it was before the split.
    pub(crate) screening: Screening,
    /// The responsibility tree. Serialized inside `residents`, where it was
    /// before the split.
    pub(crate) responsibility: Responsibility,
    /// Risk areas, travel, isolation orders.
    pub(crate) quarantine: Quarantine,
    /// Venue check-ins.
    pub(crate) visits: Visits,
    /// Confirmed cases.
    pub(crate) cases: Vec<Case>,
    /// Contacts named in interviews.
    pub(crate) interviews: Vec<InterviewContact>,
    /// Close contacts and their follow-up.
    pub(crate) contacts: ContactLog,
    /// Passes issued.
    pub(crate) passes: PassOffice,
    /// The station's signing keys (public halves), which checkpoint checks
    /// recorded in the book are verified against.
    pub(crate) keys: StationKeys,
    /// Checkpoint checks.
    pub(crate) checkpoints: CheckpointLog,
    /// Foreign nationals' stays, certificates, service ledger.
    pub(crate) registrations: Registrations,
    /// Enterprises and their return to work.
    pub(crate) resumption: Resumption,
}

/// Read access to each registry; every change goes through a command of
/// the [`Book`](crate::Book), which journals it.
/// The kinds of record [`Station::check_reference`] looks up.
pub const REFERENCE_KINDS: &[&str] = &[
    "person",
    "household",
    "stay",
    "enterprise",
    "pass",
    "certificate",
];

impl Station {
    /// A station under `policy` with empty registries.
    pub fn new(policy: Policy) -> Station {
        Station {
            policy,
            ..Station::default()
        }
    }
    /// The rules in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }
    /// Persons, households, tenancies.
    pub fn residents(&self) -> &Residents {
        &self.residents
    }
    /// Screening teams and visits, landlord commitments, daily reports.
    pub fn screening(&self) -> &Screening {
        &self.screening
    }
    /// The responsibility tree.
    pub fn responsibility(&self) -> &Responsibility {
        &self.responsibility
    }
    /// Risk areas, travel, isolation orders.
    pub fn quarantine(&self) -> &Quarantine {
        &self.quarantine
    }
    /// Venue check-ins.
    pub fn visits(&self) -> &Visits {
        &self.visits
    }
    /// Confirmed cases.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }
    /// Contacts named in interviews.
    pub fn interviews(&self) -> &[InterviewContact] {
        &self.interviews
    }
    /// Close contacts and their follow-up.
    pub fn contacts(&self) -> &ContactLog {
        &self.contacts
    }
    /// Passes issued.
    pub fn passes(&self) -> &PassOffice {
        &self.passes
    }
    /// The station's signing keys (public halves).
    pub fn keys(&self) -> &StationKeys {
        &self.keys
    }
    /// Checkpoint checks.
    pub fn checkpoints(&self) -> &CheckpointLog {
        &self.checkpoints
    }
    /// Foreign nationals' stays, certificates, the service ledger.
    pub fn registrations(&self) -> &Registrations {
        &self.registrations
    }
    /// Enterprises and their return to work, migrant workers.
    pub fn resumption(&self) -> &Resumption {
        &self.resumption
    }

    /// Check that the record a form's field names is on record, with the
    /// error a command naming it would give: `kind` is one of
    /// [`REFERENCE_KINDS`], `id` a person, household, stay or enterprise
    /// id as a command would name it (not trimmed), or a pass's or
    /// certificate's serial number in digits. Merged persons are found under
    /// every id they had.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is no such record;
    /// [`Error::InvalidValue`] for a serial that is not a number or an
    /// unknown kind.
    pub fn check_reference(&self, kind: &str, id: &str) -> Result<()> {
        // Not trimmed: a command naming ` P1 ` does not find `P1` either.
        let serial = |what: &str| {
            id.parse::<u64>()
                .map_err(|_| Error::invalid(what, id, "a serial number (digits)"))
        };
        match kind {
            "person" => self
                .residents
                .person(&self.residents.resolve(&id.into()))
                .map(drop),
            "household" => self.residents.household(&id.into()).map(drop),
            "stay" => self.registrations.stay(&id.into()).map(drop),
            "enterprise" => self.resumption.enterprise(&id.into()).map(drop),
            "pass" => self.passes.pass(serial("pass serial")?).map(drop),
            "certificate" => {
                let serial = u32::try_from(serial("certificate serial")?)
                    .map_err(|_| Error::not_found("certificate", id))?;
                self.registrations.certificate(serial).map(drop)
            }
            other => Err(Error::invalid(
                "record kind",
                other,
                format!("one of {}", REFERENCE_KINDS.join(", ")),
            )),
        }
    }
}

/// The station's summary figures as of a moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StationReport {
    /// As of when (UTC; the bindings hand it over in the policy's zone).
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub as_of: Instant,
    /// The policy preset in force.
    pub policy: String,
    /// The policy's zone, in which the report's times are written.
    #[serde(default)]
    pub zone: Zone,
    /// Persons registered.
    pub persons: usize,
    /// Households.
    pub households: usize,
    /// Rental households.
    pub rental_households: usize,
    /// Screening coverage of rental households.
    pub screening: Coverage,
    /// Rental households without a landlord commitment.
    pub without_commitment: usize,
    /// The last day daily reports were filed for (on or before `as_of`).
    pub last_report_day: Option<NaiveDate>,
    /// Rental households missing that day's report.
    pub missing_reports: usize,
    /// Households with a gap in the responsibility tree.
    pub responsibility_gaps: usize,
    /// Returnees from high-risk areas found within the look-back period.
    pub returnees: usize,
    /// Isolation and observation orders in force on the day.
    pub orders_in_force: usize,
    /// Orders due (or overdue) for release on the day.
    pub due_for_release: usize,
    /// Confirmed cases.
    pub cases: usize,
    /// Visits (check-ins) on record.
    pub visits: usize,
    /// Close contacts and their notification.
    pub contacts: FollowUp,
    /// Longest transmission chain, in cases.
    pub longest_chain: usize,
    /// Passes issued, by kind.
    pub passes_issued: BTreeMap<PassKind, usize>,
    /// Passes revoked.
    pub passes_revoked: usize,
    /// Checkpoint checks.
    pub checkpoint_checks: usize,
    /// Checkpoint denials by reason.
    pub denials: BTreeMap<DenyReason, usize>,
    /// Foreign nationals' stays recorded.
    pub foreign_stays: usize,
    /// Stays overdue for registration.
    pub registrations_overdue: usize,
    /// Stays registered late.
    pub registered_late: usize,
    /// Certificates whose paper copy is held at the station.
    pub papers_held: usize,
    /// Services by kind and channel, all time.
    pub services: BTreeMap<String, u64>,
    /// Resumption figures of the whole town on the day.
    pub resumption: Option<RateRow>,
}

/// Passes issued on one day of one kind, as a table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PassesOnDay {
    /// The local day.
    pub date: NaiveDate,
    /// Which kind.
    pub kind: PassKind,
    /// How many were issued.
    pub count: usize,
}

/// Services of one kind through one channel, as a table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceCount {
    /// What service.
    pub kind: ServiceKind,
    /// Through which channel.
    pub channel: Channel,
    /// How many.
    pub count: u64,
}

impl Station {
    /// The close contacts of the cases with these ids (every case when
    /// `None`), traced on the station's visits, households and interviews.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown case id; as [`close_contacts`].
    pub fn close_contacts_of(&self, cases: Option<&[CaseId]>) -> Result<Vec<CloseContact>> {
        let chosen = self.cases_named(cases)?;
        let inputs = TraceInputs {
            visits: &self.visits,
            residents: Some(&self.residents),
            interviews: &self.interviews,
            policy: &self.policy,
        };
        close_contacts(&chosen, inputs, None)
    }

    /// The cases with these ids (every case when `None`).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown case id.
    pub fn cases_named(&self, ids: Option<&[CaseId]>) -> Result<Vec<Case>> {
        match ids {
            None => Ok(self.cases.clone()),
            Some(ids) => ids
                .iter()
                .map(|id| {
                    self.cases
                        .iter()
                        .find(|c| &c.id == id)
                        .cloned()
                        .ok_or_else(|| Error::not_found("case", id))
                })
                .collect(),
        }
    }

    /// Merge a person found to be registered twice into the one kept:
    /// everything recorded under the duplicate's id follows the kept person
    /// (household links, tenancies, landlordships, team and responsibility
    /// places, visits, cases, interview contacts, the contact log, journeys,
    /// orders, passes, migrant worker records). The duplicate's id stays an
    /// alias of the kept one.
    ///
    /// # Errors
    /// As [`Residents::merge_persons`](crate::Residents::merge_persons); the
    /// station is then unchanged.
    pub fn merge_persons(&mut self, keep: &PersonId, duplicate: &PersonId) -> Result<()> {
        self.residents.check_merge(keep, duplicate)?;
        let keep = self.residents.resolve(keep);
        let duplicate = self.residents.resolve(duplicate);
        let visits = self
            .visits
            .rename_person(duplicate.as_str(), keep.as_str())?;
        self.residents.merge_persons(&keep, &duplicate)?;
        self.screening.follow_merge(&duplicate, &keep);
        self.responsibility.follow_merge(&duplicate, &keep);
        if let Some(v) = visits {
            self.visits = v;
        }
        for c in self.cases.iter_mut().filter(|c| c.person == duplicate) {
            c.person = keep.clone();
        }
        for i in self.interviews.iter_mut().filter(|i| i.person == duplicate) {
            i.person = keep.clone();
        }
        self.contacts.merge_person(&keep, &duplicate);
        self.quarantine.merge_person(&keep, &duplicate);
        self.passes.merge_person(&keep, &duplicate);
        self.resumption.merge_person(&keep, &duplicate);
        Ok(())
    }

    /// Passes issued per local day and kind, as table rows.
    pub fn passes_per_day(&self) -> Vec<PassesOnDay> {
        self.passes
            .issued_per_day(&self.policy)
            .into_iter()
            .map(|((date, kind), count)| PassesOnDay { date, kind, count })
            .collect()
    }

    /// Services by kind and channel between two local days (inclusive), as
    /// table rows.
    pub fn service_counts(&self, from: NaiveDate, to: NaiveDate) -> Vec<ServiceCount> {
        self.registrations
            .service_counts(from, to, &self.policy)
            .into_iter()
            .map(|((kind, channel), count)| ServiceCount {
                kind,
                channel,
                count,
            })
            .collect()
    }

    /// The summary figures as of `as_of`.
    pub fn report(&self, as_of: Instant) -> StationReport {
        let p = &self.policy;
        let day = local_day(as_of, p.zone());
        let last_report_day = self.screening.last_report_day().map(|d| d.min(day));
        let mut passes_issued = BTreeMap::new();
        for pass in self.passes.passes().filter(|x| x.valid_from <= as_of) {
            *passes_issued.entry(pass.kind).or_default() += 1;
        }
        let mut services = BTreeMap::new();
        for ((kind, channel), n) in self.registrations.service_counts(NaiveDate::MIN, day, p) {
            services.insert(
                format!("{} / {}", service_name(kind), channel_name(channel)),
                n,
            );
        }
        let chain = chains(&self.cases, p.zone());
        StationReport {
            as_of,
            policy: p.name.clone(),
            zone: p.zone(),
            persons: self.residents.person_count(),
            households: self.residents.households().count(),
            rental_households: self.residents.rental_households().count(),
            screening: self.screening.coverage(&self.residents),
            without_commitment: self
                .screening
                .households_without_commitment(&self.residents)
                .len(),
            last_report_day,
            missing_reports: last_report_day.map_or(0, |d| {
                self.screening.missing_reports(&self.residents, d).len()
            }),
            responsibility_gaps: self.responsibility.gaps(&self.residents).len(),
            returnees: self.quarantine.returnees(as_of, p).len(),
            orders_in_force: self.quarantine.active_on(day, p).len(),
            due_for_release: self.quarantine.due_for_release(day, p).len(),
            cases: self.cases.len(),
            visits: self.visits.len(),
            contacts: self.contacts.follow_up(),
            longest_chain: chain.longest_chain.len(),
            passes_revoked: self.passes.revocation_list().serials.len(),
            passes_issued,
            checkpoint_checks: self.checkpoints.crossings().len(),
            denials: self.checkpoints.denials_per_reason(),
            foreign_stays: self.registrations.stays().count(),
            registrations_overdue: self.registrations.overdue(as_of, p).len(),
            registered_late: self.registrations.registered_late(p).len(),
            papers_held: self.registrations.papers_held().len(),
            services,
            resumption: self.resumption.rates(day, GroupBy::All).into_iter().next(),
        }
    }
}

/// A service kind's name for reports.
pub fn service_name(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::HouseholdRegistration => "household registration",
        ServiceKind::ExitEntry => "exit-entry",
        ServiceKind::VehiclesAndDrivers => "vehicles and drivers",
        ServiceKind::ForeignerRegistration => "foreigner registration",
        ServiceKind::Passes => "passes",
    }
}

/// A channel's name for reports.
pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Window => "window",
        Channel::HomeVisit => "home visit",
        Channel::Online => "online",
        Channel::Video => "video",
    }
}

impl fmt::Display for StationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |x: f64| format!("{:.1}%", x * 100.0);
        writeln!(
            f,
            "Station report as of {} (policy {})",
            render_instant(self.as_of, self.zone),
            self.policy
        )?;
        writeln!(f, "  Households and residents")?;
        writeln!(
            f,
            "    persons {}, households {}, rental {}",
            self.persons, self.households, self.rental_households
        )?;
        writeln!(
            f,
            "    screened {} of {} rental households ({})",
            self.screening.screened,
            self.screening.rental_households,
            pct(self.screening.rate)
        )?;
        writeln!(
            f,
            "    without landlord commitment {}, missing the daily report of {} {}",
            self.without_commitment,
            self.last_report_day
                .map_or_else(|| "-".to_string(), |d| d.to_string()),
            self.missing_reports
        )?;
        writeln!(
            f,
            "    households with a gap in the responsibility tree {}",
            self.responsibility_gaps
        )?;
        writeln!(
            f,
            "    returnees from high-risk areas {}, orders in force {}, due for release {}",
            self.returnees, self.orders_in_force, self.due_for_release
        )?;
        writeln!(f, "  Contacts")?;
        writeln!(
            f,
            "    cases {}, check-ins on record {}, longest chain {}",
            self.cases, self.visits, self.longest_chain
        )?;
        writeln!(f, "    {}", self.contacts.render(self.zone))?;
        writeln!(f, "  Passes")?;
        for (kind, n) in &self.passes_issued {
            writeln!(
                f,
                "    {} passes issued {n}",
                match kind {
                    PassKind::County => "county",
                    PassKind::Worker => "worker",
                }
            )?;
        }
        writeln!(
            f,
            "    revoked {}, checkpoint checks {}",
            self.passes_revoked, self.checkpoint_checks
        )?;
        for (reason, n) in &self.denials {
            writeln!(f, "    denied ({reason}) {n}")?;
        }
        writeln!(f, "  Registrations and services")?;
        writeln!(f, "    foreign nationals' stays {}, overdue {}, registered late {}, paper certificates held {}", self.foreign_stays, self.registrations_overdue, self.registered_late, self.papers_held)?;
        for (what, n) in &self.services {
            writeln!(f, "    {what}: {n}")?;
        }
        writeln!(f, "  Resumption")?;
        if let Some(r) = &self.resumption {
            writeln!(
                f,
                "    enterprises resumed {} of {} ({}), workforce on site {} of {} ({})",
                r.resumed,
                r.enterprises,
                pct(r.enterprise_rate),
                r.on_site,
                r.workforce,
                pct(r.workforce_rate)
            )?;
        }
        Ok(())
    }
}

/// The serialized form of a [`Station`], unchanged by the split of the
/// residents' records in three: `residents` is one object holding the
/// register's, the screening's and the responsibility tree's fields, so every
/// journal and snapshot written before loads, and new ones read the same.
///
/// Keeping the three as separate `Station` fields (rather than one composite)
/// lets callers write `station.screening.missing_reports(&station.residents, day)`
/// without a borrow of the whole; this module is the price, paid once here.
mod wire {
    use serde::ser::SerializeStruct;
    use serde::{Deserialize, Serialize, Serializer};

    use super::{
        CheckpointLog, ContactLog, InterviewContact, PassOffice, Policy, Quarantine, Registrations,
        Residents, Responsibility, Resumption, Screening, Station, StationKeys, Visits,
    };
    use crate::tracing::Case;

    /// The three parts as the one `residents` object they were.
    #[derive(Serialize)]
    struct ResidentsOut<'a> {
        #[serde(flatten)]
        residents: &'a Residents,
        #[serde(flatten)]
        screening: &'a Screening,
        #[serde(flatten)]
        responsibility: &'a Responsibility,
    }

    impl Serialize for Station {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let residents = ResidentsOut {
                residents: &self.residents,
                screening: &self.screening,
                responsibility: &self.responsibility,
            };
            let mut s = serializer.serialize_struct("Station", 12)?;
            s.serialize_field("policy", &self.policy)?;
            s.serialize_field("residents", &residents)?;
            s.serialize_field("quarantine", &self.quarantine)?;
            s.serialize_field("visits", &self.visits)?;
            s.serialize_field("cases", &self.cases)?;
            s.serialize_field("interviews", &self.interviews)?;
            s.serialize_field("contacts", &self.contacts)?;
            s.serialize_field("passes", &self.passes)?;
            s.serialize_field("keys", &self.keys)?;
            s.serialize_field("checkpoints", &self.checkpoints)?;
            s.serialize_field("registrations", &self.registrations)?;
            s.serialize_field("resumption", &self.resumption)?;
            s.end()
        }
    }

    #[derive(Default, Deserialize)]
    pub(super) struct ResidentsIn {
        #[serde(flatten)]
        residents: Residents,
        #[serde(flatten)]
        screening: Screening,
        #[serde(flatten)]
        responsibility: Responsibility,
    }

    /// A station as read: every registry optional, `residents` in one piece.
    #[derive(Default, Deserialize)]
    #[serde(default)]
    pub(super) struct StationIn {
        policy: Policy,
        residents: ResidentsIn,
        quarantine: Quarantine,
        visits: Visits,
        cases: Vec<Case>,
        interviews: Vec<InterviewContact>,
        contacts: ContactLog,
        passes: PassOffice,
        keys: StationKeys,
        checkpoints: CheckpointLog,
        registrations: Registrations,
        resumption: Resumption,
    }

    impl From<StationIn> for Station {
        fn from(s: StationIn) -> Station {
            Station {
                policy: s.policy,
                residents: s.residents.residents,
                screening: s.residents.screening,
                responsibility: s.residents.responsibility,
                quarantine: s.quarantine,
                visits: s.visits,
                cases: s.cases,
                interviews: s.interviews,
                contacts: s.contacts,
                passes: s.passes,
                keys: s.keys,
                checkpoints: s.checkpoints,
                registrations: s.registrations,
                resumption: s.resumption,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_residents_object_keeps_its_form_from_before_the_split() {
        let mut st = Station::default();
        st.responsibility.assign_leader("V", "boss".into());
        let json = serde_json::to_value(&st).unwrap();
        let mut keys: Vec<&str> = json["residents"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let mut old = [
            "persons",
            "by_document",
            "merged",
            "households",
            "tenancies",
            "teams",
            "screenings",
            "commitments",
            "reports",
            "tree",
        ];
        old.sort_unstable();
        assert_eq!(keys, old);
        let text = serde_json::to_string(&st).unwrap();
        let at = |k: &str| text.find(&format!("\"{k}\":")).unwrap();
        assert!(at("persons") < at("tenancies") && at("tenancies") < at("teams"));
        assert!(at("reports") < at("tree") && at("tree") < at("quarantine"));
        let back: Station = serde_json::from_str(&text).unwrap();
        assert_eq!(back, st);
        // A station written before any registry existed still reads.
        assert_eq!(
            serde_json::from_str::<Station>("{}").unwrap(),
            Station::default()
        );
    }
}
