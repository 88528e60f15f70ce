//! The domain trace: cases, their exposure window from policy, close contacts
//! with the evidence that makes each one, the second ring, and the log of
//! notifying and isolating each contact.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::DateTime;
use serde::{Deserialize, Serialize};

use super::copresence::Window;
use super::presence::{exposed_persons, exposures, PresenceRule};
use super::visits::Visits;
use crate::error::{Error, Result};
use crate::household::Residents;
use crate::ids::{CaseId, HouseholdId, PersonId, PlaceId};
use crate::policy::Policy;
use crate::time::{
    add_days, day_interval, local_day, render_instant, DateOrTime, Instant, Interval, Zone,
};

/// A confirmed case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct Case {
    /// The case's id.
    pub id: CaseId,
    /// The person.
    pub person: PersonId,
    /// Symptom onset, when there were symptoms.
    pub onset: Option<DateOrTime>,
    /// When the confirming sample was taken, if known.
    #[serde(default, with = "crate::time::given::option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional = nullable))]
    pub sampled: Option<Instant>,
    /// Confirmation.
    pub confirmed: DateOrTime,
    /// The cases that may have infected this one, as listed (empty when
    /// unknown). Journals written when a case had at most one infector (a
    /// single id or null) read as a list of zero or one.
    #[serde(default, deserialize_with = "one_or_many")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub infected_by: Vec<CaseId>,
    /// When the case arrived in the area, if they came from elsewhere.
    #[serde(default, with = "crate::time::given::option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional = nullable))]
    pub arrived: Option<Instant>,
    /// When the case was isolated (ends exposure of others), if before confirmation.
    #[serde(default, with = "crate::time::given::option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional = nullable))]
    pub isolated: Option<Instant>,
}

impl Case {
    /// A case known by its confirmation only.
    pub fn new(id: impl Into<CaseId>, person: impl Into<PersonId>, confirmed: DateOrTime) -> Case {
        Case {
            id: id.into(),
            person: person.into(),
            onset: None,
            sampled: None,
            confirmed,
            infected_by: Vec::new(),
            arrived: None,
            isolated: None,
        }
    }
}

/// `infected_by` as a list, or as the single id or null of earlier journals.
fn one_or_many<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<CaseId>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(CaseId),
        Many(Vec<CaseId>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(id)) => vec![id],
        Some(OneOrMany::Many(ids)) => ids,
    })
}

/// The window in which a case could infect others, and the rule that set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExposureWindow {
    /// The window.
    pub interval: Interval,
    /// How it was derived, for the report.
    pub rule: String,
}

/// The exposure window of a case under a policy: from the policy's days before
/// onset (before sampling, or confirmation, when there was no onset), never
/// before the case arrived in the area, until isolation or the end of the day
/// of confirmation.
///
/// # Errors
/// [`Error::InvalidValue`] when the window would be empty (e.g. isolated
/// before the window opens).
pub fn exposure_window(case: &Case, policy: &Policy) -> Result<ExposureWindow> {
    let zone = policy.zone();
    let days = i64::from(policy.infectious_days_before_onset);
    let (anchor, what) = match (case.onset, case.sampled) {
        (Some(onset), _) => (onset.earliest(zone), "onset"),
        (None, Some(s)) => (s, "sampling"),
        (None, None) => (case.confirmed.earliest(zone), "confirmation"),
    };
    let mut start = add_days(anchor, -days, zone);
    let mut rule = format!("{days} days before {what} ({})", policy.name);
    if let Some(arrived) = case.arrived.filter(|a| *a > start) {
        start = arrived;
        rule.push_str(", from arrival in the area");
    }
    let end = match (case.isolated, case.confirmed) {
        (Some(i), _) => i,
        (None, DateOrTime::Time(t)) => t,
        (None, DateOrTime::Date(d)) => day_interval(d, zone).end,
    };
    if end <= start {
        return Err(Error::invalid(
            format!("exposure window of case `{}`", case.id),
            format!(
                "{} to {}",
                render_instant(start, zone),
                render_instant(end, zone)
            ),
            "isolation or confirmation after the start of the infectious period",
        ));
    }
    Ok(ExposureWindow {
        interval: Interval { start, end },
        rule,
    })
}

/// Why a person is a close contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Evidence {
    /// Lives in the same household as the case.
    CoResident {
        /// The shared household.
        household: HouseholdId,
    },
    /// Was at the same place at the same time as the case, enough for the
    /// policy's [`ExposureRule`](crate::ExposureRule): each person's rows
    /// there merged into presences across the policy's gap, the case's
    /// clipped to the exposure window.
    CoPresence {
        /// The place.
        place: PlaceId,
        /// When the first stretch that counted there began (UTC).
        first_contact: Instant,
        /// The stretches that counted there, in seconds, summed.
        overlap_seconds: i64,
        /// The stretches of co-presence that counted there, inside the
        /// exposure window, in time order. Empty in records written before
        /// the field existed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        stretches: Vec<Interval>,
    },
    /// Named in the epidemiological interview.
    Interview {
        /// What the case said.
        note: String,
        /// When the contact happened.
        at: Instant,
    },
}

impl Evidence {
    /// The evidence in words, with its time in `zone` (the policy's zone for
    /// a station's readers): `at L1 from 2020-01-24T09:00:00+08:00 for 30 min`.
    pub fn render(&self, zone: Zone) -> String {
        match self {
            Evidence::CoResident { household } => format!("lives in household {household}"),
            Evidence::CoPresence {
                place,
                first_contact,
                overlap_seconds,
                ..
            } => format!(
                "at {place} from {} for {} min",
                render_instant(*first_contact, zone),
                overlap_seconds / 60
            ),
            Evidence::Interview { note, at } => {
                format!("interview: {note} ({})", render_instant(*at, zone))
            }
        }
    }
}

/// As [`Evidence::render`] in UTC: with no zone at hand, the one time every
/// reader can convert. Use [`Evidence::render`] with the policy's zone for
/// what a station reads.
impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Zone::UTC))
    }
}

/// A contact named in a case's interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InterviewContact {
    /// The case interviewed.
    pub case: CaseId,
    /// The person named.
    pub person: PersonId,
    /// When they met.
    #[serde(with = "crate::time::given")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub at: Instant,
    /// What the case said.
    pub note: String,
}

/// A close contact of one or more cases, with everything that makes them one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CloseContact {
    /// The contact.
    pub person: PersonId,
    /// The cases they were exposed to.
    pub cases: BTreeSet<CaseId>,
    /// Every piece of evidence.
    pub evidence: Vec<Evidence>,
    /// Total co-presence, in seconds.
    pub overlap_seconds: i64,
    /// Earliest contact.
    pub first_contact: Instant,
    /// Last exposure: observation runs from here.
    pub last_exposure: Instant,
}

/// What a trace needs besides the visits.
#[derive(Debug, Clone, Copy)]
pub struct TraceInputs<'a> {
    /// Venue check-ins and other visits.
    pub visits: &'a Visits,
    /// Households, for co-residents (optional).
    pub residents: Option<&'a Residents>,
    /// Contacts named in interviews.
    pub interviews: &'a [InterviewContact],
    /// The rules.
    pub policy: &'a Policy,
}

fn window_of(w: Interval) -> Window {
    Window {
        start: w.start.timestamp(),
        end: w.end.timestamp(),
    }
}

fn at(secs: i64) -> Instant {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// Close contacts of `cases`: co-residents (when the policy says so),
/// co-presence, and contacts named in the interview. The cases' own persons
/// are never contacts of each other here: they are cases. Sorted by person id.
///
/// Co-presence is judged on presences, not rows: a person's rows at one place
/// that overlap or follow within [`Policy::presence_gap_seconds`] are one
/// presence (the gap included), for the case as for everyone else. Only the
/// part of the case's presences inside its exposure window (or inside
/// `window`, when given) counts. Under [`ExposureRule::Continuous`](crate::ExposureRule)
/// a stretch of co-presence of at least [`Policy::min_overlap_seconds`] makes
/// a contact; under `Cumulative`, stretches at any places adding up to that
/// minimum within [`Policy::cumulative_period_seconds`]. The evidence lists,
/// per place, the stretches that counted.
///
/// # Errors
/// [`Error::InvalidValue`] when a case's exposure window is empty;
/// [`Error::TooLarge`] under the pairwise rule when a case's pairs of rows
/// would take more than [`DEFAULT_BUDGET_BYTES`](crate::DEFAULT_BUDGET_BYTES).
pub fn close_contacts(
    cases: &[Case],
    inputs: TraceInputs<'_>,
    window: Option<Interval>,
) -> Result<Vec<CloseContact>> {
    let case_persons: BTreeSet<&PersonId> = cases.iter().map(|c| &c.person).collect();
    let mut found: BTreeMap<PersonId, CloseContact> = BTreeMap::new();
    let mut add = |person: PersonId,
                   case: &CaseId,
                   ev: Evidence,
                   overlap: i64,
                   first: Instant,
                   last: Instant| {
        let c = found.entry(person.clone()).or_insert_with(|| CloseContact {
            person,
            cases: BTreeSet::new(),
            evidence: Vec::new(),
            overlap_seconds: 0,
            first_contact: first,
            last_exposure: last,
        });
        c.cases.insert(case.clone());
        // The same household is evidence once, however many cases live there.
        if !(matches!(ev, Evidence::CoResident { .. }) && c.evidence.contains(&ev)) {
            c.evidence.push(ev);
        }
        c.overlap_seconds += overlap;
        c.first_contact = c.first_contact.min(first);
        c.last_exposure = c.last_exposure.max(last);
    };
    let rule = PresenceRule::of(inputs.policy);
    for case in cases {
        let w = match window {
            Some(w) => w,
            None => exposure_window(case, inputs.policy)?.interval,
        };
        let visits = inputs.visits;
        if let Some(who) = visits.persons().get(case.person.as_str()) {
            for c in exposures(visits, who, window_of(w), rule)? {
                let person = PersonId::from(visits.persons().name(c.person));
                if case_persons.contains(&person) {
                    continue;
                }
                let stretches: Vec<Interval> = c
                    .stretches
                    .iter()
                    .map(|&(s, e)| Interval {
                        start: at(s),
                        end: at(e),
                    })
                    .collect();
                // Stretches are sorted by start; the last to end ends the
                // exposure (under the pairwise rule they may overlap).
                let first = stretches.first().map(|s| s.start);
                let last = stretches.iter().map(|s| s.end).max();
                let (Some(first), Some(last)) = (first, last) else {
                    continue;
                };
                let overlap = c.seconds();
                let ev = Evidence::CoPresence {
                    place: PlaceId::from(visits.places().name(c.place)),
                    first_contact: first,
                    overlap_seconds: overlap,
                    stretches,
                };
                add(person, &case.id, ev, overlap, first, last);
            }
        }
        if let (Some(residents), true) = (inputs.residents, inputs.policy.coresidents_are_contacts)
        {
            let day = local_day(w.end, inputs.policy.zone());
            for household in residents.homes_of(&case.person, day) {
                for person in residents.residents_of(&household, day) {
                    if !case_persons.contains(&person) {
                        add(
                            person,
                            &case.id,
                            Evidence::CoResident {
                                household: household.clone(),
                            },
                            0,
                            w.start,
                            w.end,
                        );
                    }
                }
            }
        }
        for i in inputs.interviews.iter().filter(|i| i.case == case.id) {
            if !case_persons.contains(&i.person) {
                add(
                    i.person.clone(),
                    &case.id,
                    Evidence::Interview {
                        note: i.note.clone(),
                        at: i.at,
                    },
                    0,
                    i.at,
                    i.at,
                );
            }
        }
    }
    Ok(found.into_values().collect())
}

/// A person in the second ring and the contacts through whom they are reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SecondRingContact {
    /// The contact of a contact.
    pub person: PersonId,
    /// The close contacts they met.
    pub via: BTreeSet<PersonId>,
}

/// Contacts of contacts (次密接): persons who were co-present with, or live
/// with, a close contact within `window`, minus the cases and the close
/// contacts themselves. Sorted by person id.
///
/// Co-presence with a contact is judged as [`close_contacts`] judges it with
/// a case: presences merged across the policy's gap, the contact's clipped to
/// `window`, under the policy's exposure rule.
pub fn second_ring_contacts(
    cases: &[Case],
    contacts: &[CloseContact],
    inputs: TraceInputs<'_>,
    window: Interval,
) -> Vec<SecondRingContact> {
    let excluded: BTreeSet<&PersonId> = cases
        .iter()
        .map(|c| &c.person)
        .chain(contacts.iter().map(|c| &c.person))
        .collect();
    let mut out: BTreeMap<PersonId, BTreeSet<PersonId>> = BTreeMap::new();
    let rule = PresenceRule::of(inputs.policy);
    let qw = window_of(window);
    let day = local_day(window.end, inputs.policy.zone());
    for contact in contacts {
        let mut reached: BTreeSet<PersonId> = BTreeSet::new();
        if let Some(who) = inputs.visits.persons().get(contact.person.as_str()) {
            reached.extend(
                exposed_persons(inputs.visits, who, qw, rule)
                    .into_iter()
                    .map(|p| PersonId::from(inputs.visits.persons().name(p))),
            );
        }
        if let (Some(r), true) = (inputs.residents, inputs.policy.coresidents_are_contacts) {
            for h in r.homes_of(&contact.person, day) {
                reached.extend(r.residents_of(&h, day));
            }
        }
        for p in reached.into_iter().filter(|p| !excluded.contains(p)) {
            out.entry(p).or_default().insert(contact.person.clone());
        }
    }
    out.into_iter()
        .map(|(person, via)| SecondRingContact { person, via })
        .collect()
}

/// A traced contact and the follow-up of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactRecord {
    /// The contact, with evidence.
    pub contact: CloseContact,
    /// When they were told.
    pub notified_at: Option<Instant>,
    /// When they were in isolation or observation.
    pub isolated_at: Option<Instant>,
}

/// The follow-up of every close contact: notified at, isolated at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactLog {
    records: BTreeMap<PersonId, ContactRecord>,
}

/// The state of notification and isolation, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FollowUp {
    /// Number of close contacts.
    pub contacts: usize,
    /// How many were notified.
    pub notified: usize,
    /// How many were isolated.
    pub isolated: usize,
    /// When the last one was notified, once all are.
    pub all_notified_by: Option<Instant>,
    /// When the last one was isolated, once all are.
    pub all_isolated_by: Option<Instant>,
    /// Contacts still to notify.
    pub not_notified: Vec<PersonId>,
    /// Contacts still to isolate.
    pub not_isolated: Vec<PersonId>,
}

fn min_some(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl FollowUp {
    /// The follow-up in words, with times in `zone` (the policy's zone for a
    /// station's readers): `12 contacts, all notified by
    /// 2020-01-26T10:00:00+08:00, 3 not yet isolated`.
    pub fn render(&self, zone: Zone) -> String {
        let notified = match self.all_notified_by {
            Some(t) => format!("all notified by {}", render_instant(t, zone)),
            None => format!("{} not yet notified", self.not_notified.len()),
        };
        let isolated = match self.all_isolated_by {
            Some(t) => format!("all isolated by {}", render_instant(t, zone)),
            None => format!("{} not yet isolated", self.not_isolated.len()),
        };
        format!("{} contacts, {notified}, {isolated}", self.contacts)
    }
}

/// As [`FollowUp::render`] in UTC: with no zone at hand, the one time every
/// reader can convert. The station report renders it in the policy's zone.
impl fmt::Display for FollowUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Zone::UTC))
    }
}

impl ContactLog {
    /// Add traced contacts; a person already in the log gains the new cases
    /// and evidence. Evidence already in the log (a trace run again) is not
    /// added, nor counted in the overlap, twice.
    pub fn add(&mut self, contacts: Vec<CloseContact>) {
        for c in contacts {
            match self.records.get_mut(&c.person) {
                Some(r) => {
                    r.contact.cases.extend(c.cases);
                    // Evidence found again (the same trace run twice) is
                    // counted once: only new co-presence adds to the total.
                    for ev in c.evidence {
                        if r.contact.evidence.contains(&ev) {
                            continue;
                        }
                        if let Evidence::CoPresence {
                            overlap_seconds, ..
                        } = ev
                        {
                            r.contact.overlap_seconds += overlap_seconds;
                        }
                        r.contact.evidence.push(ev);
                    }
                    r.contact.first_contact = r.contact.first_contact.min(c.first_contact);
                    r.contact.last_exposure = r.contact.last_exposure.max(c.last_exposure);
                }
                None => {
                    self.records.insert(
                        c.person.clone(),
                        ContactRecord {
                            contact: c,
                            notified_at: None,
                            isolated_at: None,
                        },
                    );
                }
            }
        }
    }

    fn record(&mut self, person: &PersonId) -> Result<&mut ContactRecord> {
        self.records
            .get_mut(person)
            .ok_or_else(|| Error::not_found("close contact", person))
    }

    /// Record that the contact was notified.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a person not in the log; [`Error::InvalidTransition`]
    /// when already notified (the time in the message is in the policy's zone).
    pub fn notify(&mut self, person: &PersonId, at: Instant, policy: &Policy) -> Result<()> {
        let r = self.record(person)?;
        if let Some(t) = r.notified_at {
            return Err(Error::InvalidTransition {
                what: "close contact",
                id: person.to_string(),
                action: "notify",
                reason: format!("already notified at {}", render_instant(t, policy.zone())),
            });
        }
        r.notified_at = Some(at);
        Ok(())
    }

    /// Record that the contact is in isolation or observation.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a person not in the log; [`Error::InvalidTransition`]
    /// when not notified yet, isolated before being notified, or already
    /// isolated (times in the message are in the policy's zone).
    pub fn isolate(&mut self, person: &PersonId, at: Instant, policy: &Policy) -> Result<()> {
        let zone = policy.zone();
        let r = self.record(person)?;
        let refuse = |reason: String| Error::InvalidTransition {
            what: "close contact",
            id: person.to_string(),
            action: "isolate",
            reason,
        };
        match (r.notified_at, r.isolated_at) {
            (_, Some(t)) => Err(refuse(format!(
                "already isolated at {}",
                render_instant(t, zone)
            ))),
            (None, None) => Err(refuse("not notified yet".into())),
            (Some(n), None) if at < n => Err(refuse(format!(
                "`{}` is before the notification at {}",
                render_instant(at, zone),
                render_instant(n, zone)
            ))),
            (Some(_), None) => {
                r.isolated_at = Some(at);
                Ok(())
            }
        }
    }

    /// Re-key a merged person's record to the person kept. When both are
    /// in the log the records are combined: cases and evidence together,
    /// the earlier notification and isolation.
    pub(crate) fn merge_person(&mut self, keep: &PersonId, duplicate: &PersonId) {
        let Some(mut dup) = self.records.remove(duplicate) else {
            return;
        };
        dup.contact.person = keep.clone();
        let (notified, isolated) = (dup.notified_at, dup.isolated_at);
        self.add(vec![dup.contact]);
        if let Some(r) = self.records.get_mut(keep) {
            r.notified_at = min_some(r.notified_at, notified);
            r.isolated_at = min_some(r.isolated_at, isolated);
        }
    }

    /// Every record, by person id.
    pub fn records(&self) -> impl Iterator<Item = &ContactRecord> {
        self.records.values()
    }

    /// One record.
    pub fn get(&self, person: &PersonId) -> Option<&ContactRecord> {
        self.records.get(person)
    }

    /// Number of contacts in the log.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Notification and isolation so far.
    pub fn follow_up(&self) -> FollowUp {
        let not_notified: Vec<PersonId> = self
            .records
            .values()
            .filter(|r| r.notified_at.is_none())
            .map(|r| r.contact.person.clone())
            .collect();
        let not_isolated: Vec<PersonId> = self
            .records
            .values()
            .filter(|r| r.isolated_at.is_none())
            .map(|r| r.contact.person.clone())
            .collect();
        let n = self.records.len();
        FollowUp {
            contacts: n,
            notified: n - not_notified.len(),
            isolated: n - not_isolated.len(),
            all_notified_by: if not_notified.is_empty() {
                self.records.values().filter_map(|r| r.notified_at).max()
            } else {
                None
            },
            all_isolated_by: if not_isolated.is_empty() {
                self.records.values().filter_map(|r| r.isolated_at).max()
            } else {
                None
            },
            not_notified,
            not_isolated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_instant;

    fn t(s: &str) -> Instant {
        parse_instant(s, Policy::default().zone()).unwrap()
    }

    #[test]
    fn window_from_onset_sampling_or_confirmation_never_before_arrival() {
        let p = Policy::default();
        let mut c = Case::new("C1", "P1", DateOrTime::Time(t("2020-01-26 19:00")));
        c.onset = Some(DateOrTime::Date("2020-01-25".parse().unwrap()));
        let w = exposure_window(&c, &p).unwrap();
        assert_eq!(w.interval.start, t("2020-01-23 00:00"));
        assert_eq!(w.interval.end, t("2020-01-26 19:00"));
        assert!(w.rule.contains("2 days before onset"));
        c.arrived = Some(t("2020-01-24 10:00"));
        let w = exposure_window(&c, &p).unwrap();
        assert_eq!(w.interval.start, t("2020-01-24 10:00"));
        assert!(w.rule.contains("arrival"));
        let w4 = exposure_window(
            &Case {
                arrived: None,
                ..c.clone()
            },
            &Policy::preset("nhc-2021").unwrap(),
        )
        .unwrap();
        assert_eq!(w4.interval.start, t("2020-01-21 00:00"));
        let mut s = Case::new("C2", "P2", DateOrTime::Date("2020-01-26".parse().unwrap()));
        s.sampled = Some(t("2020-01-25 09:00"));
        let w = exposure_window(&s, &p).unwrap();
        assert_eq!(
            (w.interval.start, w.interval.end),
            (t("2020-01-23 09:00"), t("2020-01-27 00:00"))
        );
        s.isolated = Some(t("2020-01-01 00:00"));
        assert!(exposure_window(&s, &p).is_err());
    }

    #[test]
    fn contacts_carry_their_evidence() {
        let p = Policy::default();
        let s = |x: &str| t(x).timestamp();
        let mut b = Visits::builder();
        b.push("P1", "market", s("2020-01-25 09:00"), s("2020-01-25 10:00"))
            .unwrap();
        b.push("A", "market", s("2020-01-25 09:30"), s("2020-01-25 11:00"))
            .unwrap();
        b.push("B", "market", s("2020-01-25 09:50"), s("2020-01-25 11:00"))
            .unwrap();
        b.push("P2", "market", s("2020-01-25 09:00"), s("2020-01-25 10:00"))
            .unwrap();
        let v = b.build().unwrap();
        let mut c1 = Case::new("C1", "P1", DateOrTime::Time(t("2020-01-26 19:00")));
        c1.onset = Some(DateOrTime::Date("2020-01-25".parse().unwrap()));
        let c2 = Case {
            id: "C2".into(),
            person: "P2".into(),
            ..c1.clone()
        };
        let interviews = [InterviewContact {
            case: "C1".into(),
            person: "A".into(),
            at: t("2020-01-25 12:00"),
            note: "lunch".into(),
        }];
        let inputs = TraceInputs {
            visits: &v,
            residents: None,
            interviews: &interviews,
            policy: &p,
        };
        let found = close_contacts(&[c1.clone(), c2.clone()], inputs, None).unwrap();
        assert_eq!(found.len(), 1, "B overlaps 10 min only; P2 is a case");
        assert_eq!(found[0].person.as_str(), "A");
        assert_eq!(found[0].cases.len(), 2);
        assert_eq!(found[0].evidence.len(), 3);
        assert_eq!(found[0].overlap_seconds, 3600);
        assert_eq!(found[0].last_exposure, t("2020-01-25 12:00"));
        // A window that ends before the market excludes co-presence.
        let narrow = Interval::new(t("2020-01-24 00:00"), t("2020-01-25 09:00")).unwrap();
        let found = close_contacts(&[c1.clone()], inputs, Some(narrow)).unwrap();
        assert_eq!(found[0].evidence.len(), 1);
        let ring = second_ring_contacts(
            &[c1, c2],
            &found,
            inputs,
            Interval::new(t("2020-01-23 00:00"), t("2020-01-27 00:00")).unwrap(),
        );
        assert_eq!(ring.len(), 1);
        assert_eq!(ring[0].person.as_str(), "B");
    }

    /// Close contacts (id, seconds) of one case with `onset` and confirmation
    /// on 2020-01-27 19:00, under a preset, from visits as CSV rows.
    fn contacts_of(
        preset: &str,
        onset: &str,
        isolated: Option<&str>,
        rows: &str,
    ) -> Vec<CloseContact> {
        let p = Policy::preset(preset).unwrap();
        let csv = format!("person_id,place_id,start,end\n{rows}");
        let v = crate::csv::read_visits(csv.as_bytes(), &p).unwrap();
        let mut c = Case::new("C1", "case", DateOrTime::Time(t("2020-01-27 19:00")));
        c.onset = Some(DateOrTime::parse(onset, p.zone()).unwrap());
        c.isolated = isolated.map(t);
        let inputs = TraceInputs {
            visits: &v,
            residents: None,
            interviews: &[],
            policy: &p,
        };
        close_contacts(&[c], inputs, None).unwrap()
    }

    fn seconds(found: &[CloseContact]) -> Vec<(&str, i64)> {
        found
            .iter()
            .map(|c| (c.person.as_str(), c.overlap_seconds))
            .collect()
    }

    const MARKET_AND_BAR: &str = "\
case,market,2020-01-25 09:00,2020-01-25 10:00
p_bob,market,2020-01-25 09:30,2020-01-25 09:42
p_bob,market,2020-01-25 09:42,2020-01-25 09:54
case,bar,2020-01-25 23:30,2020-01-26 00:30
p_carol,bar,2020-01-25 23:50,2020-01-26 00:00
p_carol,bar,2020-01-26 00:00,2020-01-26 00:10
";

    #[test]
    fn rescans_and_midnight_splits_are_one_presence() {
        for preset in ["nhc-2020", "cdc-2020"] {
            let found = contacts_of(preset, "2020-01-26", None, MARKET_AND_BAR);
            assert_eq!(
                seconds(&found),
                [("p_bob", 1440), ("p_carol", 1200)],
                "{preset}"
            );
            let Evidence::CoPresence {
                place,
                first_contact,
                overlap_seconds,
                stretches,
            } = &found[1].evidence[0]
            else {
                panic!("{:?}", found[1].evidence)
            };
            assert_eq!(place.as_str(), "bar");
            assert_eq!(*first_contact, t("2020-01-25 23:50"));
            assert_eq!(*overlap_seconds, 1200);
            assert_eq!(
                stretches,
                &[Interval::new(t("2020-01-25 23:50"), t("2020-01-26 00:10")).unwrap()]
            );
            assert_eq!(found[1].last_exposure, t("2020-01-26 00:10"));
        }
    }

    #[test]
    fn only_time_inside_the_window_counts() {
        // Onset 2020-01-28: the window opens 2020-01-26 00:00 (2 days before).
        let rows = "\
case,restaurant,2020-01-25 23:00,2020-01-26 00:40
p_dan,restaurant,2020-01-25 23:00,2020-01-26 00:10
p_erin,restaurant,2020-01-25 23:00,2020-01-26 00:15
p_finn,restaurant,2020-01-25 23:00,2020-01-26 00:14:59
";
        for preset in ["nhc-2020", "cdc-2020"] {
            let found = contacts_of(preset, "2020-01-28", None, rows);
            // p_dan: 10 min inside; p_erin: exactly 15; p_finn: one second short.
            assert_eq!(seconds(&found), [("p_erin", 900)], "{preset}");
            let Evidence::CoPresence {
                first_contact,
                stretches,
                ..
            } = &found[0].evidence[0]
            else {
                panic!("{:?}", found[0].evidence)
            };
            assert_eq!(*first_contact, t("2020-01-26 00:00"));
            assert_eq!(
                stretches,
                &[Interval::new(t("2020-01-26 00:00"), t("2020-01-26 00:15")).unwrap()]
            );
        }
        // Without the split at the window: the exact issue example.
        let found = contacts_of(
            "nhc-2020",
            "2020-01-28",
            None,
            "case,restaurant,2020-01-25 23:00,2020-01-26 00:10\n\
             p_dan,restaurant,2020-01-25 23:00,2020-01-26 00:10\n",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_presence_straddling_the_window_end_counts_up_to_it() {
        // Isolated at 09:40: p_bob's 09:30-09:54 gives 10 min, p_ivy's 09:20-09:54 20 min.
        let rows = format!("{MARKET_AND_BAR}p_ivy,market,2020-01-25 09:20,2020-01-25 09:54\n");
        let found = contacts_of("nhc-2020", "2020-01-26", Some("2020-01-25 09:40"), &rows);
        assert_eq!(seconds(&found), [("p_ivy", 1200)]);
        assert_eq!(found[0].last_exposure, t("2020-01-25 09:40"));
    }

    #[test]
    fn gaps_chains_and_duplicates() {
        let rows = "\
case,market,2020-01-25 09:00,2020-01-25 10:00
gap_300,market,2020-01-25 09:30,2020-01-25 09:40
gap_300,market,2020-01-25 09:45,2020-01-25 09:52
gap_301,market,2020-01-25 09:30,2020-01-25 09:40
gap_301,market,2020-01-25 09:45:01,2020-01-25 09:52
three,market,2020-01-25 09:10,2020-01-25 09:15
three,market,2020-01-25 09:18,2020-01-25 09:23
three,market,2020-01-25 09:26,2020-01-25 09:31
dup,market,2020-01-25 09:20,2020-01-25 09:45
dup,market,2020-01-25 09:25,2020-01-25 09:45
short,market,2020-01-25 09:50,2020-01-25 10:30
";
        // gap_300 bridges its gap (09:30-09:52); gap_301 is two presences of
        // 600 s and 419 s, enough only cumulatively; three rows chain into
        // 09:10-09:31; overlapping rows count once; short has 10 min.
        assert_eq!(
            seconds(&contacts_of("nhc-2020", "2020-01-26", None, rows)),
            [("dup", 1500), ("gap_300", 1320), ("three", 1260)]
        );
        assert_eq!(
            seconds(&contacts_of("cdc-2020", "2020-01-26", None, rows)),
            [
                ("dup", 1500),
                ("gap_300", 1320),
                ("gap_301", 1019),
                ("three", 1260)
            ]
        );
    }

    #[test]
    fn the_cases_own_rows_are_merged_too() {
        let rows = "\
case,shop,2020-01-25 14:00,2020-01-25 14:08
case,shop,2020-01-25 14:08,2020-01-25 14:20
case,kiosk,2020-01-25 16:00,2020-01-25 16:10
case,kiosk,2020-01-25 16:15:01,2020-01-25 16:25
frank,shop,2020-01-25 14:00,2020-01-25 14:20
gina,kiosk,2020-01-25 16:00,2020-01-25 16:25
";
        // frank: one presence of the case, 20 min. gina: the case left the
        // kiosk for 301 s, so two stretches (600 s + 599 s), never 15 min in one.
        assert_eq!(
            seconds(&contacts_of("nhc-2020", "2020-01-26", None, rows)),
            [("frank", 1200)]
        );
        let found = contacts_of("cdc-2020", "2020-01-26", None, rows);
        assert_eq!(seconds(&found), [("frank", 1200), ("gina", 1199)]);
        let Evidence::CoPresence { stretches, .. } = &found[1].evidence[0] else {
            panic!("{:?}", found[1].evidence)
        };
        assert_eq!(stretches.len(), 2);
    }

    #[test]
    fn cumulative_exposure_adds_up_across_places_within_the_period_only() {
        let rows = "\
case,market,2020-01-25 09:00,2020-01-25 10:00
case,shop,2020-01-25 14:00,2020-01-25 14:20
case,market,2020-01-26 09:00,2020-01-26 10:00
hal,market,2020-01-25 09:50,2020-01-25 10:10
hal,shop,2020-01-25 14:14,2020-01-25 14:30
kim,market,2020-01-25 09:50,2020-01-25 10:00
kim,market,2020-01-26 09:40,2020-01-26 09:45
lou,market,2020-01-25 09:50,2020-01-25 10:00
lou,market,2020-01-26 09:50,2020-01-26 09:55
";
        // hal: 600 s at the market and 360 s at the shop the same day. kim:
        // 600 s and 300 s 23 h 50 min later, within 24 h. lou: the second
        // 300 s starts exactly 24 h after the first began, so no 24-hour
        // period holds more than 600 s.
        assert!(contacts_of("nhc-2020", "2020-01-26", None, rows).is_empty());
        let found = contacts_of("cdc-2020", "2020-01-26", None, rows);
        assert_eq!(seconds(&found), [("hal", 960), ("kim", 900)]);
        assert_eq!(found[0].evidence.len(), 2, "one per place");
        assert_eq!(found[1].last_exposure, t("2020-01-26 09:45"));
        // One second less for kim and the period no longer reaches 900 s.
        let rows = rows.replace("2020-01-26 09:40,", "2020-01-26 09:40:01,");
        let found = contacts_of("cdc-2020", "2020-01-26", None, &rows);
        assert_eq!(seconds(&found), [("hal", 960)]);
    }

    #[test]
    fn the_second_ring_uses_presences_too() {
        let rows = format!(
            "{MARKET_AND_BAR}\
p_jay,park,2020-01-25 15:00,2020-01-25 15:08
p_jay,park,2020-01-25 15:08,2020-01-25 15:20
p_bob,park,2020-01-25 15:00,2020-01-25 15:20
p_kai,park,2020-01-25 15:10,2020-01-25 15:20
"
        );
        let p = Policy::default();
        let csv = format!("person_id,place_id,start,end\n{rows}");
        let v = crate::csv::read_visits(csv.as_bytes(), &p).unwrap();
        let mut c = Case::new("C1", "case", DateOrTime::Time(t("2020-01-27 19:00")));
        c.onset = Some(DateOrTime::Date("2020-01-26".parse().unwrap()));
        let inputs = TraceInputs {
            visits: &v,
            residents: None,
            interviews: &[],
            policy: &p,
        };
        let found = close_contacts(std::slice::from_ref(&c), inputs, None).unwrap();
        let window = exposure_window(&c, &p).unwrap().interval;
        let ring = second_ring_contacts(&[c], &found, inputs, window);
        let ring: Vec<&str> = ring.iter().map(|r| r.person.as_str()).collect();
        // p_jay's two rows are one 20-minute presence with p_bob; p_kai had 10 min.
        assert_eq!(ring, ["p_jay"]);
    }

    #[test]
    fn evidence_written_before_stretches_still_reads() {
        let old = r#"{"rule":"co_presence","place":"market","first_contact":"2020-01-25T01:30:00Z","overlap_seconds":1440}"#;
        let ev: Evidence = serde_json::from_str(old).unwrap();
        assert!(matches!(&ev, Evidence::CoPresence { stretches, .. } if stretches.is_empty()));
        assert_eq!(serde_json::to_string(&ev).unwrap(), old);
    }

    #[test]
    fn follow_up_report() {
        let p = Policy::default();
        let mut log = ContactLog::default();
        let c = |p: &str| CloseContact {
            person: p.into(),
            cases: BTreeSet::new(),
            evidence: vec![],
            overlap_seconds: 0,
            first_contact: t("2020-01-25 00:00"),
            last_exposure: t("2020-01-25 00:00"),
        };
        log.add(vec![c("A"), c("B")]);
        assert!(log
            .isolate(&"A".into(), t("2020-01-26 01:00"), &p)
            .unwrap_err()
            .to_string()
            .contains("not notified"));
        log.notify(&"A".into(), t("2020-01-26 01:00"), &p).unwrap();
        assert!(log.notify(&"A".into(), t("2020-01-26 01:00"), &p).is_err());
        assert!(log.notify(&"Z".into(), t("2020-01-26 01:00"), &p).is_err());
        log.notify(&"B".into(), t("2020-01-26 03:00"), &p).unwrap();
        assert!(log.isolate(&"B".into(), t("2020-01-26 02:00"), &p).is_err());
        log.isolate(&"A".into(), t("2020-01-26 08:00"), &p).unwrap();
        let f = log.follow_up();
        assert_eq!(f.all_notified_by, Some(t("2020-01-26 03:00")));
        // Display has no zone: UTC, with its offset; render uses the zone.
        assert_eq!(
            f.to_string(),
            "2 contacts, all notified by 2020-01-25T19:00:00+00:00, 1 not yet isolated"
        );
        assert_eq!(
            f.render(p.zone()),
            "2 contacts, all notified by 2020-01-26T03:00:00+08:00, 1 not yet isolated"
        );
        log.isolate(&"B".into(), t("2020-01-26 09:30"), &p).unwrap();
        assert_eq!(
            log.follow_up().render(p.zone()),
            "2 contacts, all notified by 2020-01-26T03:00:00+08:00, \
             all isolated by 2020-01-26T09:30:00+08:00"
        );
        assert_eq!(
            log.notify(&"A".into(), t("2020-01-27 01:00"), &p)
                .unwrap_err()
                .to_string(),
            "cannot notify close contact `A`: already notified at 2020-01-26T01:00:00+08:00"
        );
        assert_eq!(
            log.isolate(&"A".into(), t("2020-01-27 01:00"), &p)
                .unwrap_err()
                .to_string(),
            "cannot isolate close contact `A`: already isolated at 2020-01-26T08:00:00+08:00"
        );
    }

    #[test]
    fn follow_up_refusals_and_evidence_in_berlin_time() {
        let p = Policy::default().in_zone("Europe/Berlin".parse().unwrap());
        let b = |s: &str| parse_instant(s, p.zone()).unwrap();
        let mut log = ContactLog::default();
        log.add(vec![CloseContact {
            person: "A".into(),
            cases: BTreeSet::new(),
            evidence: vec![],
            overlap_seconds: 0,
            first_contact: b("2020-03-27 12:00"),
            last_exposure: b("2020-03-27 12:00"),
        }]);
        log.notify(&"A".into(), b("2020-03-29 10:00"), &p).unwrap();
        assert_eq!(
            log.isolate(&"A".into(), b("2020-03-28 10:00"), &p)
                .unwrap_err()
                .to_string(),
            "cannot isolate close contact `A`: `2020-03-28T10:00:00+01:00` is before the \
             notification at 2020-03-29T10:00:00+02:00"
        );
        let met = Evidence::CoPresence {
            place: "L1".into(),
            first_contact: b("2020-03-28 09:00"),
            overlap_seconds: 1800,
            stretches: vec![],
        };
        assert_eq!(
            met.render(p.zone()),
            "at L1 from 2020-03-28T09:00:00+01:00 for 30 min"
        );
        assert_eq!(
            met.to_string(),
            "at L1 from 2020-03-28T08:00:00+00:00 for 30 min"
        );
        let said = Evidence::Interview {
            note: "dinner".into(),
            at: b("2020-03-29 19:00"),
        };
        assert_eq!(
            said.render(p.zone()),
            "interview: dinner (2020-03-29T19:00:00+02:00)"
        );
    }
}
