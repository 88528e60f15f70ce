//! The first case: the venues' check-ins, the investigation of where the
//! family went, confirmation, and every close contact found, notified,
//! isolated and released.

use chrono::Duration;
use rand::seq::SliceRandom;
use rand::Rng;

use super::{by, cast, cst, day, Story, FAMILY};
use crate::book::{Command, Outcome};
use crate::error::Result;
use crate::ids::{CaseId, OrderId, PersonId};
use crate::quarantine::IsolationKind;
use crate::time::day_start;
use crate::time::DateOrTime;
use crate::tracing::{Case, InterviewContact, Visit};

/// The family's own check-ins: who, where, from, to.
const FAMILY_VISITS: [(&str, &str, &str, &str); 7] = [
    (
        cast::FATHER,
        "PL-MARKET-EAST",
        "2020-01-26 08:30",
        "2020-01-26 10:00",
    ),
    (
        cast::MOTHER,
        "PL-MARKET-EAST",
        "2020-01-26 08:30",
        "2020-01-26 10:00",
    ),
    (
        cast::FATHER,
        "PL-NOODLE-HOUSE",
        "2020-01-26 12:00",
        "2020-01-26 13:15",
    ),
    (
        cast::MOTHER,
        "PL-SUPERMARKET",
        "2020-01-27 10:00",
        "2020-01-27 11:00",
    ),
    (
        cast::SON,
        "PL-NET-CAFE",
        "2020-01-27 14:00",
        "2020-01-27 17:00",
    ),
    (
        cast::FATHER,
        "PL-CLINIC",
        "2020-01-27 15:00",
        "2020-01-27 15:50",
    ),
    // Before the infectious window: not a source of contacts.
    (cast::SON, "PL-KTV", "2020-01-24 20:00", "2020-01-24 23:00"),
];

impl Story<'_> {
    /// Venue check-ins: every resident a few times a day in the fortnight before
    /// confirmation, at popular places more than quiet ones (Zipf-like),
    /// uploaded by the venues day by day.
    pub(super) fn check_ins(&mut self) -> Result<()> {
        let weights: Vec<f64> = (1..=self.size.places).map(|r| 1.0 / r as f64).collect();
        let total: f64 = weights.iter().sum();
        let mut cumulative = Vec::with_capacity(self.size.places);
        let mut acc = 0.0;
        for w in &weights {
            acc += w / total;
            cumulative.push(acc);
        }
        let first_day = day("2020-01-16");
        let mut uploads: Vec<Vec<Visit>> = vec![Vec::new(); 14];
        for i in 0..self.size.persons {
            let person = format!("P{i:05}");
            for (upload, d) in uploads.iter_mut().zip(first_day.iter_days()) {
                for _ in 0..self.rng.gen_range(0..=1) {
                    let x: f64 = self.rng.gen();
                    let place = cumulative
                        .partition_point(|c| *c < x)
                        .min(self.size.places - 1);
                    let start = day_start(d, self.policy.zone())
                        + Duration::minutes(self.rng.gen_range(6 * 60..21 * 60));
                    let len = Duration::minutes(self.rng.gen_range(5..90));
                    upload.push(Visit {
                        person: person.clone(),
                        place: format!("PL-{place:04}"),
                        start: start.timestamp(),
                        end: (start + len).timestamp(),
                    });
                }
            }
        }
        for (visits, d) in uploads.into_iter().zip(first_day.iter_days()) {
            let uploaded =
                day_start(d + Duration::days(1), self.policy.zone()) + Duration::hours(2);
            self.b
                .execute(by::VENUES, uploaded, Command::RecordVisits { visits })?;
        }
        Ok(())
    }

    /// The family's own check-ins, and the people who shared those places,
    /// pulled from the venues' records during the investigation.
    pub(super) fn investigation(&mut self) -> Result<()> {
        let mut investigation: Vec<Visit> = FAMILY_VISITS
            .iter()
            .map(|(who, place, from, to)| Visit {
                person: (*who).into(),
                place: (*place).into(),
                start: cst(from).timestamp(),
                end: cst(to).timestamp(),
            })
            .collect();
        let mut pool: Vec<usize> = (300..self.size.persons).collect();
        pool.shuffle(&mut self.rng);
        let mut next = pool.into_iter().map(|i| format!("P{i:05}"));
        let mut co_present = |place: &str, from: &str, minutes: i64, n: usize| {
            for k in 0..n {
                let start = cst(from) + Duration::minutes(k as i64 * 3);
                investigation.push(Visit {
                    person: next.next().unwrap_or_default(),
                    place: place.into(),
                    start: start.timestamp(),
                    end: (start + Duration::minutes(minutes)).timestamp(),
                });
            }
        };
        // 21 close contacts by co-presence (at least 15 minutes) ...
        co_present("PL-MARKET-EAST", "2020-01-26 08:40", 30, 7);
        co_present("PL-NOODLE-HOUSE", "2020-01-26 12:05", 45, 5);
        co_present("PL-SUPERMARKET", "2020-01-27 10:10", 20, 3);
        co_present("PL-NET-CAFE", "2020-01-27 14:30", 120, 4);
        co_present("PL-CLINIC", "2020-01-27 15:05", 25, 2);
        // ... and people who were there too briefly, or before the window.
        co_present("PL-MARKET-EAST", "2020-01-26 09:50", 12, 4);
        co_present("PL-KTV", "2020-01-24 20:30", 90, 3);
        let visits = investigation;
        self.b.execute(
            by::EPI,
            cst("2020-01-29 19:05"),
            Command::RecordVisits { visits },
        )?;

        Ok(())
    }

    /// Confirmation on the 29th at 19:00 (onset on the 28th), and the six
    /// relatives of a family dinner named in the interview.
    pub(super) fn confirmation(&mut self) -> Result<()> {
        let confirmed_at = cst("2020-01-29 19:00");
        for (k, (id, ..)) in FAMILY.iter().enumerate() {
            let mut case = Case::new(
                format!("C{}", k + 1).as_str(),
                *id,
                DateOrTime::Time(confirmed_at),
            );
            case.onset = Some(DateOrTime::Date(day("2020-01-28")));
            case.arrived = Some(cst("2020-01-22 20:00"));
            case.isolated = Some(cst("2020-01-28 10:00"));
            if k > 0 {
                case.infected_by = vec![CaseId::from("C1")];
            }
            self.b
                .execute(by::EPI, confirmed_at, Command::ConfirmCase { case })?;
            let order = format!("HI-{k}").into();
            self.b
                .execute(by::OFFICE, confirmed_at, Command::ConvertToCase { order })?;
        }
        // Six relatives at a family dinner, named in the interview.
        for k in 0..6 {
            let contact = InterviewContact {
                case: "C1".into(),
                person: format!("P{:05}", 250 + k).into(),
                at: cst("2020-01-26 18:00"),
                note: "family dinner at a relative's home".into(),
            };
            self.b.execute(
                by::EPI,
                cst("2020-01-29 19:08"),
                Command::RecordInterviewContact { contact },
            )?;
        }
        Ok(())
    }

    /// From 19:00 to 03:00 every contact is found and notified; by 08:00 all
    /// are in observation, each released when the order ends.
    pub(super) fn contacts(&mut self) -> Result<()> {
        let cases = (1..=FAMILY.len())
            .map(|k| CaseId::from(format!("C{k}")))
            .collect();
        self.b.execute(
            by::EPI,
            cst("2020-01-29 19:10"),
            Command::FindContacts { cases },
        )?;
        let people: Vec<PersonId> = self
            .b
            .station()
            .contacts
            .records()
            .map(|r| r.contact.person.clone())
            .collect();
        let n = people.len().max(1) as i64;
        for (k, person) in people.into_iter().enumerate() {
            let k = k as i64;
            let notified = cst("2020-01-29 19:20") + Duration::minutes(k * 460 / n);
            let notify = Command::NotifyContact {
                person: person.clone(),
            };
            self.b.execute(by::EPI, notified, notify)?;
            // Isolating a contact is the observation order: 14 days from the
            // last exposure, in the centralized facility.
            let isolated = cst("2020-01-30 03:30") + Duration::minutes(k * 270 / n);
            let order = OrderId::from(format!("MO-{}", k + 1));
            let isolate = Command::IsolateContact {
                person,
                order: Some(order.clone()),
                kind: Some(IsolationKind::Centralized),
            };
            let end = match self.b.execute(by::EPI, isolated, isolate)?.outcome {
                Outcome::OrderEnds { end } => end,
                _ => isolated,
            };
            self.b.execute(
                by::OFFICE,
                end + Duration::hours(2),
                Command::ReleaseOrder { order },
            )?;
        }
        Ok(())
    }
}
