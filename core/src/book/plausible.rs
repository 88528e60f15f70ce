//! Every command's own dates checked against the moment it is recorded.
//!
//! A record book writes down what has happened: a birth, an arrival, an
//! onset, a report, a verification. None of these can lie after the entry
//! that records it. What is legitimately ahead of the entry is not checked
//! here: an order's planned end, a registration deadline, a risk level
//! announced from a later time, a pass's validity.
//!
//! | command | dates checked (none after the entry) |
//! | --- | --- |
//! | `register_person` | birth date of a resident id (a day) |
//! | `tenant_arrives`, `tenant_leaves` | the day |
//! | `sign_commitment`, `file_daily_report` | the day |
//! | `record_travel` | departure and arrival |
//! | `order_home_isolation` | arrival |
//! | `order_observation`, `extend_order` | the (last) exposure |
//! | `record_visits` | each visit's start and end |
//! | `confirm_case` | onset, sampling, confirmation, arrival, isolation |
//! | `record_interview_contact` | when they met |
//! | `add_stay` | arrival, and registration when given |
//! | `add_enterprise` | establishment (a day) |
//! | `file_enterprise_report` | the day |
//! | `record_migrant` | verification, arrival, start (days) |
//! | `verify_migrant` | verification (a day) |
//! | `migrant_arrives` | arrival, start (days) |
//!
//! Every date and time of a command, and the entry's own time, must also
//! lie in the years 1 to 9999 ([`crate::check_instant`]), `set_risk_level`'s
//! `from` included: periods of the policy are added to them.
//!
//! The others carry no date of their own (they happen at the entry's time)
//! or only dates that may lie ahead (`set_risk_level`'s `from`).

use chrono::NaiveDate;

use super::command::Rules;
use super::Command;
use crate::error::{Error, Result};
use crate::id::IdDocument;
use crate::policy::Policy;
use crate::time::{
    check_day, check_instant, instant_from_unix, local_day, render_instant, DateOrTime, Instant,
};

/// The first date of `command` that lies after the entry's time `at`.
///
/// # Errors
/// [`Error::Implausible`] naming the record, the date and the entry's time.
#[expect(
    clippy::too_many_lines,
    reason = "one short arm per command, so that a new command must be decided here"
)]
pub(crate) fn check_dates(
    command: &Command,
    at: Instant,
    policy: &Policy,
    rules: Rules,
) -> Result<()> {
    // Version 0.1 did not compare a command's dates with its entry: its
    // journals replay as they were accepted (the calendar range still holds).
    let bounded = rules.since_version2();
    // Every time and day first within the years the library keeps, so that
    // nothing below or in the registries can step off the calendar.
    check_instant("time of the entry", at)?;
    let zone = policy.zone();
    let today = local_day(at, zone);
    let entry = render_instant(at, zone);
    let day = |record: String, what: &str, d: NaiveDate| -> Result<()> {
        check_day(what.trim_end_matches(" on"), d)?;
        if bounded && d > today {
            return Err(Error::Implausible {
                record,
                reason: format!("{what} {d} is after the entry's day {today}"),
            });
        }
        Ok(())
    };
    let time = |record: String, what: &str, t: Instant| -> Result<()> {
        check_instant(what.trim_end_matches(" at"), t)?;
        if bounded && t > at {
            return Err(Error::Implausible {
                record,
                reason: format!(
                    "{what} {} is after the entry's time {entry}",
                    render_instant(t, zone)
                ),
            });
        }
        Ok(())
    };
    let either = |record: String, what: &str, d: DateOrTime| -> Result<()> {
        match d {
            DateOrTime::Date(d) => day(record, what, d),
            DateOrTime::Time(t) => time(record, what, t),
        }
    };
    match command {
        Command::RegisterPerson { person } => {
            if let IdDocument::Resident { number } = &person.document {
                day(
                    format!("person `{}`", person.id),
                    "born on",
                    number.birth_date(),
                )?;
            }
        }
        Command::TenantArrives {
            household,
            person,
            day: d,
        } => day(
            format!("tenancy of `{person}` in `{household}`"),
            "arrival on",
            *d,
        )?,
        Command::TenantLeaves {
            household,
            person,
            day: d,
        } => day(
            format!("tenancy of `{person}` in `{household}`"),
            "leaving on",
            *d,
        )?,
        Command::SignCommitment {
            household, day: d, ..
        } => day(
            format!("commitment for household `{household}`"),
            "signed on",
            *d,
        )?,
        Command::FileDailyReport {
            household, day: d, ..
        } => day(
            format!("daily report of household `{household}`"),
            "a report on",
            *d,
        )?,
        Command::RecordTravel { travel } => {
            let record = || format!("journey of `{}` from `{}`", travel.person, travel.from_area);
            time(record(), "departure at", travel.departed)?;
            time(record(), "arrival at", travel.arrived)?;
        }
        Command::OrderHomeIsolation { order, arrived, .. } => {
            time(format!("isolation order `{order}`"), "arrival at", *arrived)?;
        }
        Command::OrderObservation {
            order,
            last_exposure,
            ..
        } => time(
            format!("isolation order `{order}`"),
            "last exposure at",
            *last_exposure,
        )?,
        Command::ExtendOrder { order, exposure } => time(
            format!("isolation order `{order}`"),
            "exposure at",
            *exposure,
        )?,
        Command::RecordVisits { visits } => {
            for v in visits {
                let record = || format!("visit of `{}` at `{}`", v.person, v.place);
                let moment = |secs: i64| instant_from_unix("visit time", secs);
                time(record(), "start at", moment(v.start)?)?;
                time(record(), "end at", moment(v.end)?)?;
            }
        }
        Command::ConfirmCase { case } => {
            let record = || format!("case `{}`", case.id);
            if let Some(onset) = case.onset {
                either(record(), "onset", onset)?;
            }
            if let Some(s) = case.sampled {
                time(record(), "sampling at", s)?;
            }
            either(record(), "confirmation", case.confirmed)?;
            if let Some(a) = case.arrived {
                time(record(), "arrival at", a)?;
            }
            if let Some(i) = case.isolated {
                time(record(), "isolation at", i)?;
            }
        }
        Command::RecordInterviewContact { contact } => time(
            format!("contact `{}` of case `{}`", contact.person, contact.case),
            "meeting at",
            contact.at,
        )?,
        Command::AddStay { stay } => {
            time(format!("stay `{}`", stay.id), "arrival at", stay.arrival)?;
            if let Some(r) = stay.registered_at {
                time(format!("stay `{}`", stay.id), "registration at", r)?;
            }
        }
        Command::AddEnterprise { enterprise } => {
            if let Some(est) = enterprise.established {
                day(
                    format!("enterprise `{}`", enterprise.id),
                    "established on",
                    est,
                )?;
            }
        }
        Command::FileEnterpriseReport { report } => day(
            format!("report of enterprise `{}`", report.enterprise),
            "a report on",
            report.date,
        )?,
        Command::RecordMigrant { worker } => {
            let record = || format!("migrant worker `{}`", worker.person);
            if let Some(v) = &worker.verification {
                day(record(), "verification on", v.on)?;
            }
            if let Some(a) = worker.arrived {
                day(record(), "arrival on", a)?;
            }
            if let Some(s) = worker.started {
                day(record(), "start of work on", s)?;
            }
        }
        Command::VerifyMigrant {
            person,
            verification,
        } => day(
            format!("migrant worker `{person}`"),
            "verification on",
            verification.on,
        )?,
        Command::MigrantArrives {
            person,
            arrived,
            started,
        } => {
            day(format!("migrant worker `{person}`"), "arrival on", *arrived)?;
            if let Some(s) = started {
                day(format!("migrant worker `{person}`"), "start of work on", *s)?;
            }
        }
        // May lie ahead, but not off the calendar.
        Command::SetRiskLevel { from, .. } => {
            check_instant("risk level from", *from)?;
        }
        // No date of their own, or only ones that may lie ahead.
        Command::MergePersons { .. }
        | Command::AddHousehold { .. }
        | Command::SetLandlord { .. }
        | Command::FormTeam { .. }
        | Command::RecordScreening { .. }
        | Command::AssignLeader { .. }
        | Command::AssignCadre { .. }
        | Command::AssignPartyMember { .. }
        | Command::TransferToCentralized { .. }
        | Command::ReleaseOrder { .. }
        | Command::ConvertToCase { .. }
        | Command::FindContacts { .. }
        | Command::NotifyContact { .. }
        | Command::IsolateContact { .. }
        | Command::IssuePass { .. }
        | Command::RevokePass { .. }
        | Command::CheckPass { .. }
        | Command::ResolveConflict { .. }
        | Command::AddStationKey { .. }
        | Command::RetireStationKey { .. }
        | Command::RegisterStay { .. }
        | Command::IssueCertificate { .. }
        | Command::SendPhoto { .. }
        | Command::DeliverPaper { .. }
        | Command::RecordService { .. } => {}
    }
    Ok(())
}
