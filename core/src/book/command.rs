//! The typed commands of all five areas, what each produced, and how a
//! command changes the station.
//!
//! A command carries the facts the caller knows; the moment it is recorded
//! (`at`) is the journal entry's, so "revoke pass 7" needs no time of its own.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::household::{Household, Person, ScreeningTeam, ScreeningVisit, TeamRole};
use crate::id::IdDocument;
use crate::ids::{AreaId, CaseId, HouseholdId, OrderId, PersonId, StaffId, StayId};
use crate::pass::{
    verify_as_before_key_registry, verify_in_book, Crossing, Eligibility, EligibilityContext,
    PassApplication, PublicKey, Verdict,
};
use crate::quarantine::{IsolationKind, OrderStatus, RiskLevel, TravelRecord};
use crate::registration::{Channel, ForeignStay, ServiceKind};
use crate::resumption::{DailyStatus, Enterprise, MigrantWorker, Verification};
use crate::station::Station;
use crate::time::{render_instant, Instant, Zone};
use crate::tracing::{Case, InterviewContact, Visit};

/// A change to the station's records, as a caller asks for it.
///
/// Serialized as an object with a `type` tag, e.g.
/// `{"type":"revoke_pass","serial":7}`. Fields added in later versions are
/// optional, so older journals stay readable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Command {
    // Households and residents.
    /// Register a person (unique by identity document).
    RegisterPerson {
        /// The person.
        person: Person,
    },
    /// Merge a person found to be registered twice into the one kept.
    MergePersons {
        /// The record kept.
        keep: PersonId,
        /// The duplicate, folded into `keep`.
        duplicate: PersonId,
    },
    /// Open a household (a rental one when it names a landlord).
    AddHousehold {
        /// The household.
        household: Household,
    },
    /// Let a household out: record its landlord.
    SetLandlord {
        /// The household.
        household: HouseholdId,
        /// Its landlord.
        landlord: PersonId,
    },
    /// A tenant moves into a rental household.
    TenantArrives {
        /// The rental household.
        household: HouseholdId,
        /// The tenant.
        person: PersonId,
        /// Day of arrival.
        day: NaiveDate,
    },
    /// A tenant moves out.
    TenantLeaves {
        /// The rental household.
        household: HouseholdId,
        /// The tenant.
        person: PersonId,
        /// Day of leaving.
        day: NaiveDate,
    },
    /// Form a three-person screening team.
    FormTeam {
        /// The team's name or number.
        id: String,
        /// The police officer.
        officer: StaffId,
        /// The town cadre.
        cadre: StaffId,
        /// The village party member.
        party_member: StaffId,
    },
    /// A screening team visited a household (at the entry's time).
    RecordScreening {
        /// The household.
        household: HouseholdId,
        /// The team.
        team: String,
        /// What they found.
        note: String,
    },
    /// A landlord signs the commitment for a rental household.
    SignCommitment {
        /// The rental household.
        household: HouseholdId,
        /// Its landlord.
        landlord: PersonId,
        /// Day signed.
        day: NaiveDate,
    },
    /// A landlord's daily report; no changes makes it a "zero report".
    FileDailyReport {
        /// The rental household.
        household: HouseholdId,
        /// The day reported on.
        day: NaiveDate,
        /// Changes among the tenants, if any.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        changes: Vec<String>,
    },
    /// A leader answers for a village.
    AssignLeader {
        /// The village.
        village: String,
        /// The leader.
        staff: StaffId,
    },
    /// A cadre answers for a group of a village.
    AssignCadre {
        /// The village.
        village: String,
        /// The group.
        group: String,
        /// The cadre.
        staff: StaffId,
    },
    /// A party member answers for a household.
    AssignPartyMember {
        /// The household.
        household: HouseholdId,
        /// The party member.
        staff: StaffId,
    },

    // Returnees and isolation.
    /// An area's risk level changes.
    SetRiskLevel {
        /// The area.
        area: AreaId,
        /// Its name.
        name: String,
        /// From when.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        from: Instant,
        /// The new level.
        level: RiskLevel,
    },
    /// A journey into the township.
    RecordTravel {
        /// The journey.
        travel: TravelRecord,
    },
    /// Order a returnee into home isolation (from the entry's time).
    OrderHomeIsolation {
        /// The new order's id.
        order: OrderId,
        /// The returnee.
        person: PersonId,
        /// When they arrived.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        arrived: Instant,
        /// Why.
        reason: String,
    },
    /// Order medical observation after an exposure (starting at the entry's time).
    OrderObservation {
        /// The new order's id.
        order: OrderId,
        /// Who.
        person: PersonId,
        /// At home or in a centralized facility.
        kind: IsolationKind,
        /// The last exposure, which fixes the end.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        last_exposure: Instant,
        /// Why.
        reason: String,
    },
    /// Transfer a home isolation to centralized medical observation.
    TransferToCentralized {
        /// The order.
        order: OrderId,
    },
    /// Extend an order after a new exposure.
    ExtendOrder {
        /// The order.
        order: OrderId,
        /// The new exposure.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        exposure: Instant,
    },
    /// Release a person at the end of their order.
    ReleaseOrder {
        /// The order.
        order: OrderId,
    },
    /// The person under an order became a case.
    ConvertToCase {
        /// The order.
        order: OrderId,
    },

    // Contacts.
    /// A batch of venue check-ins (a day's upload, say).
    RecordVisits {
        /// The visits.
        visits: Vec<Visit>,
    },
    /// Confirm a case.
    ConfirmCase {
        /// The case.
        case: Case,
    },
    /// A contact named in a case's interview.
    RecordInterviewContact {
        /// The contact.
        contact: InterviewContact,
    },
    /// Trace these cases' close contacts and put them on the contact log.
    FindContacts {
        /// The cases.
        cases: Vec<CaseId>,
    },
    /// A close contact was told (at the entry's time).
    NotifyContact {
        /// The contact.
        person: PersonId,
    },
    /// A close contact was isolated (at the entry's time): this makes the
    /// observation order that runs the policy's `observation_days` from the
    /// contact's last exposure, and revokes the contact's valid passes. A
    /// contact already under an order has that order extended instead.
    IsolateContact {
        /// The contact.
        person: PersonId,
        /// The new order's id. Without one the order is named
        /// `<person>-observation`, and a formal order made later for the
        /// person takes its place.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<OrderId>,
        /// Where observation is served; centralized when not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<IsolationKind>,
    },

    // Devices.
    /// A person decided what to do about a conflict that merging devices
    /// surfaced (see [`DeviceBook`](crate::DeviceBook)): the conflict is
    /// closed. What was decided is done by the usual commands (revoke the
    /// pass, merge the persons, ...); this records that it was decided.
    /// Only a book merged from devices has conflicts.
    ResolveConflict {
        /// The conflict's id: the device and sequence number of the event
        /// that could not stand, `DEVICE/SEQ`.
        conflict: String,
        /// What was decided and why.
        decision: String,
        /// The kind of conflict decided. The device records the conflict's
        /// kind as it stands when omitted; a decision closes the conflict
        /// only while it is of that kind (an event judged again after a
        /// later merge, say `verdict_differs` becoming
        /// `checked_after_revocation`, is a new question and opens again).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        kind: Option<super::devices::ConflictKind>,
    },

    // Passes.
    /// Issue a pass, valid from the entry's time, if the holder is eligible.
    IssuePass {
        /// The application.
        application: PassApplication,
    },
    /// Revoke a pass.
    RevokePass {
        /// Its serial number.
        serial: u64,
    },
    /// A checkpoint checked a token (at the entry's time). The book checks
    /// it against its own records: the station keys added with
    /// `add_station_key` (the key that signed it must have been in force
    /// when the pass was issued), the pass as issued (the serial exists,
    /// the claims equal it, it is not revoked) and, when the holder showed
    /// an identity document, the document the pass was issued to.
    CheckPass {
        /// Which checkpoint.
        checkpoint: String,
        /// The token shown.
        token: String,
        /// The identity document the holder showed, when one was read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document: Option<IdDocument>,
        /// The key the checkpoint said it held. Journals written before the
        /// book kept the station's keys carry one: they replay as they were
        /// judged then (under that key, with the checks of then), and the
        /// crossing is marked with the key for an audit to look at again. A
        /// new command with a key is refused: a caller's key proves nothing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        public_key: Option<String>,
    },
    /// Add the public half of a station signing key: passes issued from
    /// `valid_from` (until `valid_until`, or its retirement) may be signed
    /// with it, and their tokens stay checkable under it afterwards.
    AddStationKey {
        /// The public key.
        key: PublicKey,
        /// Passes issued from this instant on may be signed with it.
        #[serde(with = "crate::time::given")]
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        valid_from: Instant,
        /// Passes issued from this instant on may not; open-ended when absent.
        #[serde(
            default,
            with = "crate::time::given::option",
            skip_serializing_if = "Option::is_none"
        )]
        #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional = nullable))]
        valid_until: Option<Instant>,
    },
    /// Retire a station key (at the entry's time): passes issued from then
    /// on may not be signed with it; passes issued before stay checkable.
    RetireStationKey {
        /// The public key.
        key: PublicKey,
    },

    // Registrations.
    /// A foreign national's stay began.
    AddStay {
        /// The stay.
        stay: ForeignStay,
    },
    /// The stay was registered (at the entry's time).
    RegisterStay {
        /// The stay.
        stay: StayId,
        /// How.
        channel: Channel,
    },
    /// Issue the accommodation certificate of a registered stay.
    IssueCertificate {
        /// The stay.
        stay: StayId,
    },
    /// A photo of the certificate was sent to the person.
    SendPhoto {
        /// The certificate's serial.
        certificate: u32,
    },
    /// The paper certificate was handed over.
    DeliverPaper {
        /// The certificate's serial.
        certificate: u32,
        /// To whom.
        to: String,
    },
    /// Services the station gave, counted.
    RecordService {
        /// What service.
        kind: ServiceKind,
        /// Through which channel.
        channel: Channel,
        /// How many.
        count: u32,
    },

    // Resumption.
    /// An enterprise of the township.
    AddEnterprise {
        /// The enterprise.
        enterprise: Enterprise,
    },
    /// An enterprise's daily report.
    FileEnterpriseReport {
        /// The report.
        report: DailyStatus,
    },
    /// A migrant worker recruited by an enterprise.
    RecordMigrant {
        /// The worker.
        worker: MigrantWorker,
    },
    /// The partner county police's remote verification of a recorded worker.
    VerifyMigrant {
        /// The worker.
        person: PersonId,
        /// The verification.
        verification: Verification,
    },
    /// A recorded worker arrived (and perhaps started work).
    MigrantArrives {
        /// The worker.
        person: PersonId,
        /// Day of arrival.
        arrived: NaiveDate,
        /// First day of work, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        started: Option<NaiveDate>,
    },
}

/// What a command produced, recorded in the journal so that a replay can
/// prove it produces the same.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// Applied; nothing else to report.
    #[default]
    Done,
    /// A pass was issued under this serial.
    PassIssued {
        /// Its serial number.
        serial: u64,
    },
    /// A certificate was issued under this serial.
    CertificateIssued {
        /// Its serial number.
        serial: u32,
    },
    /// An order now ends at this time.
    OrderEnds {
        /// The end.
        end: Instant,
    },
    /// These persons are close contacts of the traced cases.
    ContactsFound {
        /// The contacts.
        persons: Vec<PersonId>,
    },
    /// A checkpoint's decision.
    Checked {
        /// The verdict.
        verdict: Verdict,
    },
}

impl Outcome {
    pub(crate) fn is_done(&self) -> bool {
        *self == Outcome::Done
    }
}

/// After an order is made for `person`: it takes the place of a provisional
/// order the person was under, and it revokes the person's valid passes.
fn ordered(
    st: &mut Station,
    person: &PersonId,
    order: &OrderId,
    provisional: Option<&OrderId>,
    at: Instant,
    rules: Rules,
) {
    if let Some(p) = provisional.filter(|p| *p != order) {
        st.quarantine.withdraw_provisional(p);
    }
    // Version 0.1 left passes valid under an order.
    if rules.since_version2() {
        st.passes.revoke_for_order(person, order, at);
    }
}

/// Where the serials of passes and certificates come from, and whether a
/// pass holder's eligibility is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issuing {
    /// Pass serials: the next after the highest issued in this range.
    pub passes: std::ops::Range<u64>,
    /// Certificate serials, likewise.
    pub certificates: std::ops::Range<u32>,
    /// Whether a pass holder's eligibility is checked.
    pub eligibility: Eligibility,
}

impl Issuing {
    /// A book on one device: serials from 1, eligibility checked.
    pub(crate) fn station() -> Issuing {
        Issuing {
            passes: 1..u64::MAX,
            certificates: 1..u32::MAX,
            eligibility: Eligibility::Checked,
        }
    }
}

/// The rules a command is judged by. Each journal line replays under the
/// rules of the format version it was written in, so that a journal keeps
/// opening after precinct learns better rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rules {
    /// Format version 1 (precinct 0.1): no check of a command's dates against
    /// its entry, orders left passes valid, isolating a contact made no
    /// order, a merge moved the residents' records only.
    Version1,
    /// Format version 2: today's rules, but a checked token's validity was
    /// compared with its pass's to the nanosecond, so a pass issued at a
    /// fraction of a second was denied as not as issued.
    Version2,
    /// Today's rules (format version 3 on).
    Current,
}

impl Rules {
    /// The rules of a journal line of format version `v`.
    pub(crate) fn of_format(v: u32) -> Rules {
        match v {
            0 | 1 => Rules::Version1,
            2 => Rules::Version2,
            _ => Rules::Current,
        }
    }

    /// Whether a command's dates are checked against its entry and an
    /// order revokes passes (every format after 0.1's).
    pub(crate) fn since_version2(self) -> bool {
        self != Rules::Version1
    }
}

/// Isolate a close contact: record it in the contact log and put the contact
/// under observation until the policy's days after the last exposure.
fn isolate_contact(
    st: &mut Station,
    person: &PersonId,
    order: Option<&OrderId>,
    kind: Option<IsolationKind>,
    at: Instant,
) -> Result<Outcome> {
    let policy = &st.policy;
    let record = st
        .contacts
        .get(person)
        .ok_or_else(|| Error::not_found("close contact", person))?;
    let last_exposure = record.contact.last_exposure;
    let cases: Vec<String> = record
        .contact
        .cases
        .iter()
        .map(ToString::to_string)
        .collect();
    let current = st
        .quarantine
        .isolation_of(person, at)
        .filter(|o| o.status == OrderStatus::Active)
        .map(|o| (o.id.clone(), o.end));
    match (order, current) {
        (Some(named), Some((id, end))) => {
            return Err(Error::InvalidTransition {
                what: "close contact",
                id: person.to_string(),
                action: "isolate",
                reason: format!(
                    "already under isolation order `{id}` until {}; extend that order rather than make `{named}`",
                    render_instant(end, policy.zone())
                ),
            });
        }
        (None, Some((id, _))) => {
            st.contacts.isolate(person, at, policy)?;
            st.quarantine.extend(&id, last_exposure, policy)?;
            st.passes.revoke_for_order(person, &id, at);
            return Ok(Outcome::Done);
        }
        (_, None) => {}
    }
    let id = order
        .cloned()
        .unwrap_or_else(|| st.quarantine.free_order_id(person));
    st.quarantine
        .check_observation(&id, last_exposure, at, policy)?;
    st.contacts.isolate(person, at, policy)?;
    let reason = format!("close contact of case {}", cases.join(", "));
    let end = st
        .quarantine
        .order_observation(
            id.clone(),
            person.clone(),
            kind.unwrap_or(IsolationKind::Centralized),
            last_exposure,
            at,
            &reason,
            policy,
        )?
        .end;
    st.passes.revoke_for_order(person, &id, at);
    if order.is_none() {
        st.quarantine.mark_provisional(&id);
        // Journals written before isolating made an order recorded nothing here.
        return Ok(Outcome::Done);
    }
    Ok(Outcome::OrderEnds { end })
}

/// The first identity document, credit code or mobile number in `json`
/// that fails its checks.
fn first_bad_document(json: &serde_json::Value) -> Option<crate::error::IdError> {
    use serde_json::Value;
    match json {
        Value::Object(fields) => {
            let text = |key: &str| fields.get(key).and_then(Value::as_str);
            let own = match (text("kind"), text("number")) {
                (Some("resident"), Some(number)) => crate::id::ResidentId::parse(number).err(),
                (Some("passport"), Some(number)) => {
                    crate::id::IdDocument::parse(number, Some(text("nationality").unwrap_or("?")))
                        .err()
                }
                _ => None,
            }
            .or_else(|| text("credit_code").and_then(|c| crate::id::CreditCode::parse(c).err()))
            .or_else(|| text("phone").and_then(|p| crate::id::MobileNumber::parse(p).err()));
            own.or_else(|| fields.values().find_map(first_bad_document))
        }
        Value::Array(items) => items.iter().find_map(first_bad_document),
        _ => None,
    }
}

/// Who or what a journal entry concerns, for audit queries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Subject {
    /// A person, by id.
    Person(PersonId),
    /// A pass, by serial.
    Pass(u64),
    /// A foreign national's stay.
    Stay(StayId),
}

impl Command {
    /// Read a command from JSON, as the Python and JavaScript layers hand
    /// it over. When it does not read because an identity document, credit
    /// code or mobile number in it fails its checks, the error is that
    /// check's ([`Error::Id`]), not a generic one.
    ///
    /// ```
    /// use precinct::Command;
    /// let json = serde_json::json!({"type": "register_person", "person": {
    ///     "id": "P1", "name": "王秀英", "household": null,
    ///     "document": {"kind": "resident", "number": "110105194912310021"}}});
    /// let err = Command::from_json(&json).unwrap_err();
    /// assert_eq!(err.code(), "invalid_identity_document");
    /// ```
    ///
    /// # Errors
    /// [`Error::Id`] for a document that fails its checks, else
    /// [`Error::InvalidValue`] saying what does not read.
    pub fn from_json(json: &serde_json::Value) -> Result<Command> {
        let name = json.get("type").and_then(serde_json::Value::as_str);
        let what = name.map_or_else(|| "command".to_string(), |n| format!("command `{n}`"));
        // A new command must not carry a field the book would drop (a
        // misspelled optional field would be lost silently). Journal lines
        // are read leniently instead, so a newer writer's field still replays.
        crate::facade::read_exact(&what, json)
            .map_err(|e| first_bad_document(json).map_or(e, Error::Id))
    }

    /// [`Command::from_json`] with naive times (no offset) read as local
    /// times in `zone`, the policy's zone: how the Python and JavaScript
    /// layers hand commands over.
    ///
    /// # Errors
    /// As [`Command::from_json`].
    pub fn from_json_in(json: &serde_json::Value, zone: Zone) -> Result<Command> {
        crate::time::read_in_zone(zone, || Command::from_json(json))
    }

    /// Refuse an entry no book records: an empty `by`, or a command only
    /// old journals may say ([`Command::check_new`]).
    pub(crate) fn check_entry(&self, by: &StaffId) -> Result<()> {
        if by.as_str().trim().is_empty() {
            return Err(Error::invalid(
                "by",
                by.as_str(),
                "the id of the officer or system making the change",
            ));
        }
        self.check_new()
    }

    /// The command as the book records it: a passport's number and issuing
    /// state in the form `validate_field` gives them (`c01x00t47` is
    /// `C01X00T47`, `deu` is `DEU`, `D<<` is `D`), so one passport is one
    /// document however it was typed. Call after [`Command::check_new`];
    /// `None` when the command is recorded as given.
    pub(crate) fn canonical(&self) -> Option<Command> {
        let passport = |nationality: &mut String, number: &mut String| {
            if let Ok(code) = crate::nationality_code(nationality) {
                *nationality = code;
            }
            if let Ok(n) = crate::passport_number(number) {
                *number = n;
            }
        };
        match self {
            Command::RegisterPerson { person } => {
                let mut person = person.clone();
                if let IdDocument::Passport {
                    nationality,
                    number,
                } = &mut person.document
                {
                    passport(nationality, number);
                }
                Some(Command::RegisterPerson { person })
            }
            Command::AddStay { stay } => {
                let mut stay = stay.clone();
                passport(&mut stay.nationality, &mut stay.passport_number);
                Some(Command::AddStay { stay })
            }
            _ => None,
        }
    }

    /// Refuse what only old journals may say: a `check_pass` with the
    /// caller's key replays, but is no longer recorded; names, addresses and
    /// passports are checked as a form checks them as typed
    /// ([`validate_field`](crate::validate_field)), which journals written
    /// before did not.
    pub(crate) fn check_new(&self) -> Result<()> {
        use crate::facade::fields::{address, new_id, one_line_text, person_name, scope};
        match self {
            Command::CheckPass {
                public_key: Some(key),
                ..
            } => {
                return Err(Error::invalid(
                    "public_key",
                    key,
                    "no key: the book checks tokens against the station keys it keeps (add_station_key)",
                ))
            }
            Command::RegisterPerson { person } => {
                new_id("person id", person.id.as_str())?;
                person_name(&person.name)?;
                if let IdDocument::Passport {
                    nationality,
                    number,
                } = &person.document
                {
                    crate::nationality_code(nationality)?;
                    crate::passport_number(number)?;
                }
            }
            Command::AddStay { stay } => {
                new_id("stay id", stay.id.as_str())?;
                person_name(&stay.name)?;
                one_line_text("host", &stay.host)?;
                crate::nationality_code(&stay.nationality)?;
                crate::passport_number(&stay.passport_number)?;
                address(&stay.address)?;
            }
            Command::AddHousehold { household } => {
                new_id("household id", household.id.as_str())?;
                one_line_text("village", &household.village)?;
                one_line_text("group", &household.group)?;
                address(&household.address)?;
            }
            Command::FormTeam {
                id,
                officer,
                cadre,
                party_member,
            } => {
                new_id("screening team", id)?;
                for (field, staff) in [
                    ("officer", officer),
                    ("cadre", cadre),
                    ("party member", party_member),
                ] {
                    new_id(field, staff.as_str())?;
                }
            }
            Command::AddEnterprise { enterprise } => {
                new_id("enterprise id", enterprise.id.as_str())?;
            }
            // A token carries the scope and a checkpoint shows it: one line.
            Command::IssuePass { application } => {
                scope(&application.scope)?;
            }
            Command::OrderHomeIsolation { order, .. } | Command::OrderObservation { order, .. } => {
                new_id("order id", order.as_str())?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The command's name as written in the journal, e.g. `revoke_pass`.
    ///
    /// Only a label (for listings and tests): serialising a command cannot
    /// fail (its maps have string keys) and always writes `type`, so the
    /// empty default is never reached and nothing is journaled from it.
    pub fn name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("type")?.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Validate against `station` and apply under today's rules; on error
    /// `station` is unchanged.
    pub(crate) fn apply(&self, station: &mut Station, at: Instant) -> Result<Outcome> {
        self.apply_under(station, at, Rules::Current, &Issuing::station())
    }

    /// Validate against `station` and apply under `rules`: a journal line
    /// replays under the rules of the format version it was written in.
    #[expect(
        clippy::too_many_lines,
        reason = "one short arm per command; splitting by area would add a second dispatch"
    )]
    pub(crate) fn apply_under(
        &self,
        station: &mut Station,
        at: Instant,
        rules: Rules,
        issuing: &Issuing,
    ) -> Result<Outcome> {
        let policy = station.policy.clone();
        super::plausible::check_dates(self, at, &policy, rules)?;
        let st = station;
        let current = rules.since_version2();
        // Facts about a person recorded after a merge follow the person kept
        // (version 0.1 kept them under the id given).
        let who = |st: &Station, p: &PersonId| {
            if current {
                st.residents.resolve(p)
            } else {
                p.clone()
            }
        };
        match self {
            Command::RegisterPerson { person } => st.residents.register_person(person.clone())?,
            Command::MergePersons { keep, duplicate } if current => {
                st.merge_persons(keep, duplicate)?;
                // The records now together may hold a pass of one and an
                // order of the other: the order revokes the pass, as it
                // would have had they been one record all along.
                let kept = st.residents.resolve(keep);
                let order = st
                    .quarantine
                    .isolation_of(&kept, at)
                    .filter(|o| o.status == OrderStatus::Active)
                    .map(|o| o.id.clone());
                if let Some(order) = order {
                    st.passes.revoke_for_order(&kept, &order, at);
                }
            }
            Command::MergePersons { keep, duplicate } => {
                st.residents.merge_persons(keep, duplicate)?;
            }
            Command::AddHousehold { household } => st.residents.add_household(household.clone())?,
            Command::SetLandlord {
                household,
                landlord,
            } => st.residents.set_landlord(household, landlord)?,
            Command::TenantArrives {
                household,
                person,
                day,
            } => st.residents.tenant_arrives(household, person, *day)?,
            Command::TenantLeaves {
                household,
                person,
                day,
            } => st.residents.tenant_leaves(household, person, *day)?,
            Command::FormTeam {
                id,
                officer,
                cadre,
                party_member,
            } => st.screening.add_team(ScreeningTeam::new(
                id,
                &[
                    (TeamRole::Officer, officer.as_str()),
                    (TeamRole::Cadre, cadre.as_str()),
                    (TeamRole::PartyMember, party_member.as_str()),
                ],
            )?)?,
            Command::RecordScreening {
                household,
                team,
                note,
            } => st.screening.record_screening(
                &st.residents,
                ScreeningVisit {
                    household: household.clone(),
                    team: team.clone(),
                    at,
                    note: note.clone(),
                },
            )?,
            Command::SignCommitment {
                household,
                landlord,
                day,
            } => st
                .screening
                .sign_commitment(&st.residents, household, landlord, *day)?,
            Command::FileDailyReport {
                household,
                day,
                changes,
            } => st
                .screening
                .file_daily_report(&st.residents, household, *day, changes.clone())?,
            Command::AssignLeader { village, staff } => {
                st.responsibility.assign_leader(village, staff.clone());
            }
            Command::AssignCadre {
                village,
                group,
                staff,
            } => st
                .responsibility
                .assign_cadre(village, group, staff.clone()),
            Command::AssignPartyMember { household, staff } => {
                st.responsibility
                    .assign_party_member(&st.residents, household, staff.clone())?;
            }
            Command::SetRiskLevel {
                area,
                name,
                from,
                level,
            } => st
                .quarantine
                .set_risk_level(area, name, *from, *level, &policy)?,
            Command::RecordTravel { travel } => {
                let travel = TravelRecord {
                    person: who(st, &travel.person),
                    ..travel.clone()
                };
                st.quarantine.record_travel(travel, &policy)?;
            }
            Command::OrderHomeIsolation {
                order,
                person,
                arrived,
                reason,
            } => {
                let person = st.residents.person(person)?.id.clone();
                let provisional = st.quarantine.provisional_of(&person, at);
                let end = st
                    .quarantine
                    .order_home_isolation(
                        order.clone(),
                        person.clone(),
                        *arrived,
                        at,
                        reason,
                        &policy,
                    )?
                    .end;
                ordered(st, &person, order, provisional.as_ref(), at, rules);
                return Ok(Outcome::OrderEnds { end });
            }
            Command::OrderObservation {
                order,
                person,
                kind,
                last_exposure,
                reason,
            } => {
                let person = who(st, person);
                let provisional = st.quarantine.provisional_of(&person, at);
                let end = st
                    .quarantine
                    .order_observation(
                        order.clone(),
                        person.clone(),
                        *kind,
                        *last_exposure,
                        at,
                        reason,
                        &policy,
                    )?
                    .end;
                ordered(st, &person, order, provisional.as_ref(), at, rules);
                return Ok(Outcome::OrderEnds { end });
            }
            Command::TransferToCentralized { order } => {
                st.quarantine.transfer_to_centralized(order, at, &policy)?;
            }
            Command::ExtendOrder { order, exposure } => {
                let end = st.quarantine.extend(order, *exposure, &policy)?;
                return Ok(Outcome::OrderEnds { end });
            }
            Command::ReleaseOrder { order } => st.quarantine.release(order, at, &policy)?,
            Command::ConvertToCase { order } => {
                st.quarantine.convert_to_case(order, at, &policy)?;
            }
            Command::RecordVisits { visits } => {
                let visits: Vec<Visit> = visits
                    .iter()
                    .map(|v| Visit {
                        person: who(st, &PersonId::from(v.person.as_str())).to_string(),
                        ..v.clone()
                    })
                    .collect();
                st.visits.append(&visits)?;
            }
            Command::ConfirmCase { case } => {
                if let Some(c) = st.cases.iter().find(|c| c.id == case.id) {
                    return Err(Error::Duplicate {
                        what: "case",
                        key: case.id.to_string(),
                        existing: format!("the case of `{}`", c.person),
                    });
                }
                let case = Case {
                    person: who(st, &case.person),
                    ..case.clone()
                };
                st.cases.push(case);
            }
            Command::RecordInterviewContact { contact } => {
                if !st.cases.iter().any(|c| c.id == contact.case) {
                    return Err(Error::not_found("case", &contact.case));
                }
                let contact = InterviewContact {
                    person: who(st, &contact.person),
                    ..contact.clone()
                };
                st.interviews.push(contact);
            }
            Command::FindContacts { cases } => {
                let found = st.close_contacts_of(Some(cases))?;
                let persons = found.iter().map(|c| c.person.clone()).collect();
                st.contacts.add(found);
                return Ok(Outcome::ContactsFound { persons });
            }
            Command::NotifyContact { person } => {
                st.contacts.notify(&who(st, person), at, &policy)?;
            }
            Command::IsolateContact {
                person,
                order,
                kind,
            } if current => {
                return isolate_contact(st, &who(st, person), order.as_ref(), *kind, at)
            }
            // Version 0.1 recorded the time only, with no order.
            Command::IsolateContact { person, .. } => st.contacts.isolate(person, at, &policy)?,
            Command::IssuePass { application } => {
                let ctx = EligibilityContext {
                    residents: &st.residents,
                    quarantine: &st.quarantine,
                    resumption: &st.resumption,
                    policy: &policy,
                };
                let serial = st
                    .passes
                    .issue_from(
                        application.clone(),
                        ctx,
                        at,
                        &issuing.passes,
                        issuing.eligibility,
                    )?
                    .serial;
                return Ok(Outcome::PassIssued { serial });
            }
            Command::RevokePass { serial } => st.passes.revoke(*serial, at, &policy)?,
            Command::CheckPass {
                checkpoint,
                token,
                document,
                public_key,
            } => {
                if checkpoint.trim().is_empty() {
                    return Err(Error::invalid(
                        "checkpoint",
                        checkpoint,
                        "a checkpoint name",
                    ));
                }
                let verdict = if let Some(key) = public_key {
                    let revoked = st.passes.revocation_list();
                    verify_as_before_key_registry(token, key, &revoked, at).ok_or_else(|| {
                        Error::invalid("public key", key, "32 bytes of base64url (43 characters)")
                    })?
                } else {
                    let residents = &st.residents;
                    // No person on record for the pass's holder means no
                    // document to match: the verdict is then a holder
                    // mismatch (denied), so nothing is let through or lost.
                    let holder = |p: &crate::pass::Pass| {
                        residents
                            .person(&p.holder)
                            .map(|x| vec![x.document.clone()])
                            .unwrap_or_default()
                    };
                    let whole_seconds = rules == Rules::Current;
                    verify_in_book(
                        token,
                        &st.keys,
                        &st.passes,
                        holder,
                        document.as_ref(),
                        at,
                        whole_seconds,
                    )
                };
                let crossing = Crossing {
                    checkpoint: checkpoint.clone(),
                    at,
                    verdict,
                    caller_key: public_key.clone(),
                };
                let verdict = st.checkpoints.log(crossing).clone();
                return Ok(Outcome::Checked { verdict });
            }
            Command::ResolveConflict { conflict, .. } => {
                return Err(Error::invalid(
                    "conflict",
                    conflict,
                    "a conflict of a book merged from several devices (DeviceBook); a book kept on one device has none",
                ))
            }
            Command::AddStationKey {
                key,
                valid_from,
                valid_until,
            } => st.keys.add(*key, *valid_from, *valid_until)?,
            Command::RetireStationKey { key } => st.keys.retire(key, at)?,
            Command::AddStay { stay } => st.registrations.add_stay(stay.clone(), &policy)?,
            Command::RegisterStay { stay, channel } => {
                st.registrations.register(stay, at, *channel, &policy)?;
            }
            Command::IssueCertificate { stay } => {
                let serial = st
                    .registrations
                    .issue_certificate_from(stay, at, &issuing.certificates)?
                    .serial;
                return Ok(Outcome::CertificateIssued { serial });
            }
            Command::SendPhoto { certificate } => st.registrations.send_photo(*certificate, at)?,
            Command::DeliverPaper { certificate, to } => {
                st.registrations
                    .deliver_paper(*certificate, to, at, &policy)?;
            }
            Command::RecordService {
                kind,
                channel,
                count,
            } => st
                .registrations
                .record_service(*kind, *channel, at, *count)?,
            Command::AddEnterprise { enterprise } => {
                st.resumption.add_enterprise(enterprise.clone())?;
            }
            Command::FileEnterpriseReport { report } => {
                st.resumption.file_report(report.clone())?;
            }
            Command::RecordMigrant { worker } => {
                let worker = MigrantWorker {
                    person: who(st, &worker.person),
                    ..worker.clone()
                };
                st.resumption.record_migrant(worker)?;
            }
            Command::VerifyMigrant {
                person,
                verification,
            } => st
                .resumption
                .verify_migrant(&who(st, person), verification.clone())?,
            Command::MigrantArrives {
                person,
                arrived,
                started,
            } => st
                .resumption
                .migrant_arrives(&who(st, person), *arrived, *started)?,
        }
        Ok(Outcome::Done)
    }

    /// Whether this command, with what it produced, concerns `subject`.
    /// `station` resolves orders and certificates to their person or stay.
    pub(crate) fn concerns(
        &self,
        outcome: &Outcome,
        subject: &Subject,
        station: &Station,
        at: Instant,
    ) -> bool {
        match subject {
            Subject::Person(id) => self.concerns_person(outcome, id, station),
            Subject::Pass(serial) => match (self, outcome) {
                (_, Outcome::PassIssued { serial: s }) | (Command::RevokePass { serial: s }, _) => {
                    s == serial
                }
                (_, Outcome::Checked { verdict }) => {
                    verdict.claims.as_ref().is_some_and(|c| c.serial == *serial)
                }
                // An order (or isolating a contact) that revoked the pass.
                (
                    Command::OrderHomeIsolation { person, .. }
                    | Command::OrderObservation { person, .. }
                    | Command::IsolateContact { person, .. },
                    _,
                ) => station.passes.pass(*serial).is_ok_and(|p| {
                    p.revoked_by_order.is_some()
                        && p.revoked_at == Some(at)
                        && p.holder == station.residents.resolve(person)
                }),
                _ => false,
            },
            Subject::Stay(id) => match self {
                Command::AddStay { stay } => &stay.id == id,
                Command::RegisterStay { stay, .. } | Command::IssueCertificate { stay } => {
                    stay == id
                }
                Command::SendPhoto { certificate } | Command::DeliverPaper { certificate, .. } => {
                    station
                        .registrations
                        .certificate(*certificate)
                        .is_ok_and(|c| &c.stay == id)
                }
                _ => false,
            },
        }
    }

    /// Every id the person was known under counts: after a merge, the kept
    /// person's history holds the duplicate's events too.
    fn concerns_person(&self, outcome: &Outcome, id: &PersonId, station: &Station) -> bool {
        let target = station.residents.resolve(id);
        let is = |p: &PersonId| station.residents.resolve(p) == target;
        let order_of =
            |order: &OrderId| station.quarantine.order(order).is_ok_and(|o| is(&o.person));
        let holder = |serial: &u64| station.passes.pass(*serial).is_ok_and(|p| is(&p.holder));
        match self {
            Command::RegisterPerson { person } => is(&person.id),
            Command::MergePersons { keep, duplicate } => is(keep) || is(duplicate),
            Command::SetLandlord { landlord, .. } | Command::SignCommitment { landlord, .. } => {
                is(landlord)
            }
            Command::TenantArrives { person, .. }
            | Command::TenantLeaves { person, .. }
            | Command::OrderHomeIsolation { person, .. }
            | Command::OrderObservation { person, .. }
            | Command::NotifyContact { person }
            | Command::IsolateContact { person, .. }
            | Command::VerifyMigrant { person, .. }
            | Command::MigrantArrives { person, .. } => is(person),
            Command::RecordTravel { travel } => is(&travel.person),
            Command::TransferToCentralized { order }
            | Command::ExtendOrder { order, .. }
            | Command::ReleaseOrder { order }
            | Command::ConvertToCase { order } => order_of(order),
            Command::RecordVisits { visits } => visits
                .iter()
                .any(|v| is(&PersonId::from(v.person.as_str()))),
            Command::ConfirmCase { case } => is(&case.person),
            Command::RecordInterviewContact { contact } => is(&contact.person),
            Command::FindContacts { .. } => {
                matches!(outcome, Outcome::ContactsFound { persons } if persons.iter().any(is))
            }
            Command::IssuePass { application } => is(&application.holder),
            Command::RevokePass { serial } => holder(serial),
            Command::CheckPass { .. } => matches!(
                outcome,
                Outcome::Checked { verdict } if verdict.claims.as_ref().is_some_and(|c| holder(&c.serial))
            ),
            Command::RecordMigrant { worker } => is(&worker.person),
            _ => false,
        }
    }
}
