//! Households and residents: persons, households, rentals, three-person
//! screening teams, landlord commitments, daily zero reports and the
//! responsibility tree.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::{IdDocument, MobileNumber};
use crate::ids::{HouseholdId, PersonId, StaffId};
use crate::time::Instant;

/// A person, unique by identity document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct Person {
    /// The station's id for the person.
    pub id: PersonId,
    /// Full name.
    pub name: String,
    /// The identity document the person is registered under.
    pub document: IdDocument,
    /// The household the person is registered in, if any.
    pub household: Option<HouseholdId>,
    /// Mobile number, if known.
    pub phone: Option<MobileNumber>,
    /// Whether the person has a smartphone (and so can show a health code).
    pub has_smartphone: Option<bool>,
}

/// A household (户): an address in a village and group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct Household {
    /// The household's id.
    pub id: HouseholdId,
    /// Village or community (村/社区).
    pub village: String,
    /// Group (组) within the village.
    pub group: String,
    /// Street address.
    pub address: String,
    /// The landlord of a rental household (出租户); `None` when owner-occupied.
    pub landlord: Option<PersonId>,
}

impl Household {
    /// Whether the household is rented out.
    pub fn is_rental(&self) -> bool {
        self.landlord.is_some()
    }
}

/// A tenant's stay in a rental household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tenancy {
    /// The rental household.
    pub household: HouseholdId,
    /// The tenant.
    pub person: PersonId,
    /// Day the tenant moved in.
    pub arrived: NaiveDate,
    /// Day the tenant left, if they have.
    pub left: Option<NaiveDate>,
}

impl Tenancy {
    /// Whether the tenant lives there on `day`.
    pub fn on(&self, day: NaiveDate) -> bool {
        self.arrived <= day && self.left.is_none_or(|l| day < l)
    }
}

/// The three roles of a screening team (三人小分队).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TeamRole {
    /// A police officer.
    Officer,
    /// A town cadre.
    Cadre,
    /// A village party member.
    PartyMember,
}

/// A three-person screening team: one officer, one cadre, one party member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScreeningTeam {
    /// The team's name or number.
    pub id: String,
    /// The police officer.
    pub officer: StaffId,
    /// The town cadre.
    pub cadre: StaffId,
    /// The village party member.
    pub party_member: StaffId,
}

impl ScreeningTeam {
    /// Form a team from its members and their roles.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when a role is missing or taken twice, or one
    /// person holds two roles.
    ///
    /// ```
    /// use precinct::{ScreeningTeam, TeamRole::*};
    /// let team = ScreeningTeam::new("T1", &[(Officer, "wang"), (Cadre, "li"), (PartyMember, "zhao")]).unwrap();
    /// assert_eq!(team.cadre.as_str(), "li");
    /// let err = ScreeningTeam::new("T2", &[(Officer, "wang"), (Cadre, "li")]).unwrap_err();
    /// assert_eq!(err.to_string(), "screening team `T2` is invalid, expected one officer, one cadre and one party member; missing party_member");
    /// ```
    pub fn new(id: &str, members: &[(TeamRole, &str)]) -> Result<Self> {
        let mut by_role: BTreeMap<TeamRole, &str> = BTreeMap::new();
        let bad = |why: String| {
            Error::invalid(
                "screening team",
                id,
                format!("one officer, one cadre and one party member; {why}"),
            )
        };
        for (role, who) in members {
            if by_role.insert(*role, who).is_some() {
                return Err(bad(format!("{} given twice", role_name(*role))));
            }
        }
        let names: BTreeSet<&str> = by_role.values().copied().collect();
        if names.len() < by_role.len() {
            return Err(bad("one person holds two roles".into()));
        }
        let missing: Vec<&str> = [TeamRole::Officer, TeamRole::Cadre, TeamRole::PartyMember]
            .into_iter()
            .filter(|r| !by_role.contains_key(r))
            .map(role_name)
            .collect();
        if !missing.is_empty() {
            return Err(bad(format!("missing {}", missing.join(", "))));
        }
        let get = |r| StaffId::from(by_role.get(&r).copied().unwrap_or_default());
        Ok(ScreeningTeam {
            id: id.to_string(),
            officer: get(TeamRole::Officer),
            cadre: get(TeamRole::Cadre),
            party_member: get(TeamRole::PartyMember),
        })
    }
}

fn role_name(r: TeamRole) -> &'static str {
    match r {
        TeamRole::Officer => "officer",
        TeamRole::Cadre => "cadre",
        TeamRole::PartyMember => "party_member",
    }
}

/// A screening team's visit to a household (排摸).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScreeningVisit {
    /// The household visited.
    pub household: HouseholdId,
    /// The team that visited.
    pub team: String,
    /// When.
    pub at: Instant,
    /// What was found.
    pub note: String,
}

/// A landlord's signed commitment (一承诺) for a rental household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Commitment {
    /// The rental household.
    pub household: HouseholdId,
    /// The landlord who signed.
    pub landlord: PersonId,
    /// Day of signing.
    pub signed_on: NaiveDate,
}

/// A landlord's daily report (零报告): no change, or the changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DailyReport {
    /// The rental household.
    pub household: HouseholdId,
    /// The day reported on.
    pub day: NaiveDate,
    /// What changed; empty for a zero report.
    pub changes: Vec<String>,
}

/// The levels of the responsibility tree (三联).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A leader answers for a village.
    Leader,
    /// A cadre answers for a group of a village.
    Cadre,
    /// A party member answers for a household.
    PartyMember,
}

/// Who answers for one household, level by level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Answerable {
    /// The leader of the household's village.
    pub leader: Option<StaffId>,
    /// The cadre of the household's group.
    pub cadre: Option<StaffId>,
    /// The party member linked to the household.
    pub party_member: Option<StaffId>,
}

/// A household with a missing link in the responsibility tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Gap {
    /// The household.
    pub household: HouseholdId,
    /// The levels nobody holds for it.
    pub missing: Vec<Level>,
}

/// How many households one person answers for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Load {
    /// The person.
    pub staff: StaffId,
    /// At which level.
    pub level: Level,
    /// Number of households.
    pub households: usize,
}

/// Screening coverage of rental households.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Coverage {
    /// Rental households.
    pub rental_households: usize,
    /// Rental households visited at least once.
    pub screened: usize,
    /// `screened / rental_households` (1 when there are none).
    pub rate: f64,
}

/// The responsibility tree (三联).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResponsibilityTree {
    /// Leader of each village.
    pub leaders: BTreeMap<String, StaffId>,
    /// Cadre of each group, keyed `village/group`.
    pub cadres: BTreeMap<String, StaffId>,
    /// Party member of each household.
    pub party_members: BTreeMap<HouseholdId, StaffId>,
}

fn group_key(village: &str, group: &str) -> String {
    format!("{village}/{group}")
}

/// The registry of persons and households with everything the screening
/// campaign records about them.
///
/// ```
/// use precinct::{Household, Person, Residents, IdDocument};
/// let mut r = Residents::default();
/// r.add_household(Household { id: "H1".into(), village: "Yaozhuang".into(), group: "1".into(),
///     address: "1 East Road".into(), landlord: None }).unwrap();
/// let doc = IdDocument::parse("11010519491231002X", None).unwrap();
/// let p = Person { id: "P1".into(), name: "Zhang San".into(), document: doc.clone(),
///     household: Some("H1".into()), phone: None, has_smartphone: Some(false) };
/// r.register_person(p.clone()).unwrap();
/// let again = r.register_person(precinct::Person { id: "P2".into(), ..p }).unwrap_err();
/// assert_eq!(again.to_string(), "identity document `11010519491231002X` is already registered as person `P1`");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Residents {
    persons: BTreeMap<PersonId, Person>,
    by_document: BTreeMap<String, PersonId>,
    merged: BTreeMap<PersonId, PersonId>,
    households: BTreeMap<HouseholdId, Household>,
    tenancies: Vec<Tenancy>,
    teams: BTreeMap<String, ScreeningTeam>,
    screenings: Vec<ScreeningVisit>,
    commitments: BTreeMap<HouseholdId, Commitment>,
    reports: BTreeMap<HouseholdId, BTreeMap<NaiveDate, DailyReport>>,
    tree: ResponsibilityTree,
}

impl Residents {
    /// Register a person.
    ///
    /// # Errors
    /// [`Error::Duplicate`] when the id or the identity document is already
    /// registered (naming the first registration); [`Error::NotFound`] for an
    /// unknown household.
    pub fn register_person(&mut self, person: Person) -> Result<()> {
        self.check_new_person(&person)?;
        self.by_document
            .insert(person.document.key(), person.id.clone());
        self.persons.insert(person.id.clone(), person);
        Ok(())
    }

    /// Check that [`Residents::register_person`] would succeed, without changing anything.
    ///
    /// # Errors
    /// As [`Residents::register_person`].
    pub fn check_new_person(&self, person: &Person) -> Result<()> {
        if self.persons.contains_key(&person.id) || self.merged.contains_key(&person.id) {
            return Err(Error::Duplicate {
                what: "person id",
                key: person.id.to_string(),
                existing: format!("person `{}`", self.resolve(&person.id)),
            });
        }
        if let Some(first) = self.by_document.get(&person.document.key()) {
            return Err(Error::Duplicate {
                what: "identity document",
                key: person.document.key(),
                existing: format!("person `{first}`"),
            });
        }
        if let Some(h) = &person.household {
            self.household(h)?;
        }
        Ok(())
    }

    /// Merge a duplicate found later into the person to keep: the duplicate's
    /// tenancies, landlordships and commitments move over, and so do the
    /// places in teams and the responsibility tree held under its id, its id becomes an alias that
    /// [`Residents::resolve`] follows, and its document is kept as an alias.
    ///
    /// # Errors
    /// [`Error::NotFound`] when either id is unknown; [`Error::InvalidValue`]
    /// when both are the same person.
    pub fn merge_persons(&mut self, keep: &PersonId, duplicate: &PersonId) -> Result<()> {
        self.check_merge(keep, duplicate)?;
        let (keep, duplicate) = (&self.resolve(keep), &self.resolve(duplicate));
        let Some(dup) = self.persons.remove(duplicate) else {
            return Err(Error::not_found("person", duplicate));
        };
        self.by_document.insert(dup.document.key(), keep.clone());
        for t in &mut self.tenancies {
            if &t.person == duplicate {
                t.person = keep.clone();
            }
        }
        for h in self.households.values_mut() {
            if h.landlord.as_ref() == Some(duplicate) {
                h.landlord = Some(keep.clone());
            }
        }
        for c in self.commitments.values_mut() {
            if &c.landlord == duplicate {
                c.landlord = keep.clone();
            }
        }
        if let Some(kept) = self.persons.get_mut(keep) {
            if kept.household.is_none() {
                kept.household = dup.household;
            }
            if kept.phone.is_none() {
                kept.phone = dup.phone;
            }
        }
        for target in self.merged.values_mut() {
            if target == duplicate {
                *target = keep.clone();
            }
        }
        // A resident who serves (in a team, in the responsibility tree) is
        // known there by their person id: follow the merge there too.
        let (dup_staff, keep_staff) = (
            StaffId::from(duplicate.as_str()),
            StaffId::from(keep.as_str()),
        );
        let staff = self
            .teams
            .values_mut()
            .flat_map(|t| [&mut t.officer, &mut t.cadre, &mut t.party_member])
            .chain(self.tree.leaders.values_mut())
            .chain(self.tree.cadres.values_mut())
            .chain(self.tree.party_members.values_mut());
        for s in staff.filter(|s| **s == dup_staff) {
            *s = keep_staff.clone();
        }
        self.merged.insert(duplicate.clone(), keep.clone());
        Ok(())
    }

    /// Check that [`Residents::merge_persons`] would succeed.
    ///
    /// # Errors
    /// As [`Residents::merge_persons`].
    pub fn check_merge(&self, keep: &PersonId, duplicate: &PersonId) -> Result<()> {
        self.person(keep)?;
        self.person(duplicate)?;
        if self.resolve(keep) == self.resolve(duplicate) {
            return Err(Error::invalid(
                "duplicate person",
                duplicate,
                "a different person than the one kept",
            ));
        }
        Ok(())
    }

    /// The id a person is now known under (following merges).
    pub fn resolve(&self, id: &PersonId) -> PersonId {
        self.merged.get(id).cloned().unwrap_or_else(|| id.clone())
    }

    /// A person by id (following merges).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn person(&self, id: &PersonId) -> Result<&Person> {
        self.persons
            .get(&self.resolve(id))
            .ok_or_else(|| Error::not_found("person", id))
    }

    /// The person registered under an identity document key (see [`IdDocument::key`]).
    pub fn person_by_document(&self, key: &str) -> Option<&Person> {
        self.by_document
            .get(key)
            .and_then(|id| self.persons.get(id))
    }

    /// All persons, by id.
    pub fn persons(&self) -> impl Iterator<Item = &Person> {
        self.persons.values()
    }

    /// Number of persons.
    pub fn person_count(&self) -> usize {
        self.persons.len()
    }

    /// Add a household.
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a known id; [`Error::NotFound`] for an unknown landlord.
    pub fn add_household(&mut self, household: Household) -> Result<()> {
        self.check_new_household(&household)?;
        self.households.insert(household.id.clone(), household);
        Ok(())
    }

    /// Check that [`Residents::add_household`] would succeed.
    ///
    /// # Errors
    /// As [`Residents::add_household`].
    pub fn check_new_household(&self, household: &Household) -> Result<()> {
        if self.households.contains_key(&household.id) {
            return Err(Error::Duplicate {
                what: "household",
                key: household.id.to_string(),
                existing: "a household".into(),
            });
        }
        if let Some(l) = &household.landlord {
            self.person(l)?;
        }
        Ok(())
    }

    /// Make a household a rental one with `landlord` (or change its landlord).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown household or person.
    pub fn set_landlord(&mut self, household: &HouseholdId, landlord: &PersonId) -> Result<()> {
        let landlord = self.resolve(landlord);
        self.person(&landlord)?;
        let h = self
            .households
            .get_mut(household)
            .ok_or_else(|| Error::not_found("household", household))?;
        h.landlord = Some(landlord);
        Ok(())
    }

    /// A household by id.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn household(&self, id: &HouseholdId) -> Result<&Household> {
        self.households
            .get(id)
            .ok_or_else(|| Error::not_found("household", id))
    }

    /// All households, by id.
    pub fn households(&self) -> impl Iterator<Item = &Household> {
        self.households.values()
    }

    /// Rental households, by id.
    pub fn rental_households(&self) -> impl Iterator<Item = &Household> {
        self.households.values().filter(|h| h.is_rental())
    }

    fn rental(&self, id: &HouseholdId) -> Result<&Household> {
        let h = self.household(id)?;
        if h.is_rental() {
            Ok(h)
        } else {
            Err(Error::invalid(
                "household",
                id,
                "a rental household (one with a landlord)",
            ))
        }
    }

    /// A tenant moves into a rental household.
    ///
    /// # Errors
    /// [`Error::NotFound`] for unknown ids; [`Error::InvalidValue`] when the
    /// household is not rented out; [`Error::Duplicate`] when the tenant
    /// already lives there.
    pub fn tenant_arrives(
        &mut self,
        household: &HouseholdId,
        person: &PersonId,
        day: NaiveDate,
    ) -> Result<()> {
        self.rental(household)?;
        let person = self.resolve(person);
        self.person(&person)?;
        if self
            .tenancies
            .iter()
            .any(|t| &t.household == household && t.person == person && t.left.is_none())
        {
            return Err(Error::Duplicate {
                what: "tenant",
                key: person.to_string(),
                existing: format!("a tenant of `{household}`"),
            });
        }
        self.tenancies.push(Tenancy {
            household: household.clone(),
            person,
            arrived: day,
            left: None,
        });
        Ok(())
    }

    /// A tenant leaves a rental household.
    ///
    /// # Errors
    /// [`Error::InvalidTransition`] when the person is not a current tenant or
    /// the day is before the arrival.
    pub fn tenant_leaves(
        &mut self,
        household: &HouseholdId,
        person: &PersonId,
        day: NaiveDate,
    ) -> Result<()> {
        let person = self.resolve(person);
        let t = self
            .tenancies
            .iter_mut()
            .find(|t| &t.household == household && t.person == person && t.left.is_none())
            .ok_or_else(|| Error::InvalidTransition {
                what: "tenancy",
                id: format!("{person} in {household}"),
                action: "end",
                reason: "the person is not a current tenant".into(),
            })?;
        if day < t.arrived {
            return Err(Error::InvalidTransition {
                what: "tenancy",
                id: format!("{person} in {household}"),
                action: "end",
                reason: format!("{day} is before the arrival on {}", t.arrived),
            });
        }
        t.left = Some(day);
        Ok(())
    }

    /// Every tenancy, in the order recorded.
    pub fn tenancies(&self) -> &[Tenancy] {
        &self.tenancies
    }

    /// Persons living in a household on `day`: those registered there and its
    /// current tenants.
    pub fn residents_of(&self, household: &HouseholdId, day: NaiveDate) -> BTreeSet<PersonId> {
        let mut out: BTreeSet<PersonId> = self
            .persons
            .values()
            .filter(|p| p.household.as_ref() == Some(household))
            .map(|p| p.id.clone())
            .collect();
        out.extend(
            self.tenancies
                .iter()
                .filter(|t| &t.household == household && t.on(day))
                .map(|t| t.person.clone()),
        );
        out
    }

    /// The households a person lives in on `day`.
    pub fn homes_of(&self, person: &PersonId, day: NaiveDate) -> BTreeSet<HouseholdId> {
        let person = self.resolve(person);
        let mut out = BTreeSet::new();
        if let Some(h) = self.persons.get(&person).and_then(|p| p.household.clone()) {
            out.insert(h);
        }
        out.extend(
            self.tenancies
                .iter()
                .filter(|t| t.person == person && t.on(day))
                .map(|t| t.household.clone()),
        );
        out
    }

    /// Add a screening team.
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a known team id.
    pub fn add_team(&mut self, team: ScreeningTeam) -> Result<()> {
        if self.teams.contains_key(&team.id) {
            return Err(Error::Duplicate {
                what: "screening team",
                key: team.id,
                existing: "a team".into(),
            });
        }
        self.teams.insert(team.id.clone(), team);
        Ok(())
    }

    /// Screening teams, by id.
    pub fn teams(&self) -> impl Iterator<Item = &ScreeningTeam> {
        self.teams.values()
    }

    /// Record a screening visit.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown household or team.
    pub fn record_screening(&mut self, visit: ScreeningVisit) -> Result<()> {
        self.household(&visit.household)?;
        if !self.teams.contains_key(&visit.team) {
            return Err(Error::not_found("screening team", &visit.team));
        }
        self.screenings.push(visit);
        Ok(())
    }

    /// Every screening visit, in the order recorded.
    pub fn screenings(&self) -> &[ScreeningVisit] {
        &self.screenings
    }

    /// A landlord signs the commitment for a rental household.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the household is not rented out or the
    /// signer is not its landlord; [`Error::Duplicate`] when already signed.
    pub fn sign_commitment(
        &mut self,
        household: &HouseholdId,
        landlord: &PersonId,
        day: NaiveDate,
    ) -> Result<()> {
        let h = self.rental(household)?;
        let landlord = self.resolve(landlord);
        if h.landlord.as_ref() != Some(&landlord) {
            return Err(Error::invalid(
                "commitment signer",
                &landlord,
                format!("the landlord of `{household}`"),
            ));
        }
        if let Some(c) = self.commitments.get(household) {
            return Err(Error::Duplicate {
                what: "commitment for household",
                key: household.to_string(),
                existing: format!("signed on {}", c.signed_on),
            });
        }
        self.commitments.insert(
            household.clone(),
            Commitment {
                household: household.clone(),
                landlord,
                signed_on: day,
            },
        );
        Ok(())
    }

    /// The commitments signed, by household.
    pub fn commitments(&self) -> impl Iterator<Item = &Commitment> {
        self.commitments.values()
    }

    /// File a rental household's daily report: `changes` empty is a zero report.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the household is not rented out;
    /// [`Error::Duplicate`] when that day's report was filed already.
    pub fn file_daily_report(
        &mut self,
        household: &HouseholdId,
        day: NaiveDate,
        changes: Vec<String>,
    ) -> Result<()> {
        self.rental(household)?;
        let days = self.reports.entry(household.clone()).or_default();
        if days.contains_key(&day) {
            return Err(Error::Duplicate {
                what: "daily report",
                key: format!("{household} on {day}"),
                existing: "a report for that day".into(),
            });
        }
        days.insert(
            day,
            DailyReport {
                household: household.clone(),
                day,
                changes,
            },
        );
        Ok(())
    }

    /// The reports of one household, by day.
    pub fn daily_reports(&self, household: &HouseholdId) -> impl Iterator<Item = &DailyReport> {
        self.reports
            .get(household)
            .into_iter()
            .flat_map(BTreeMap::values)
    }

    /// The latest day any daily report was filed for.
    pub fn last_report_day(&self) -> Option<NaiveDate> {
        self.reports
            .values()
            .filter_map(|d| d.keys().next_back())
            .max()
            .copied()
    }

    /// Share of rental households visited by a screening team.
    pub fn screening_coverage(&self) -> Coverage {
        let screened: BTreeSet<&HouseholdId> =
            self.screenings.iter().map(|v| &v.household).collect();
        let rental: Vec<&Household> = self.rental_households().collect();
        let n = rental.iter().filter(|h| screened.contains(&h.id)).count();
        Coverage {
            rental_households: rental.len(),
            screened: n,
            rate: if rental.is_empty() {
                1.0
            } else {
                n as f64 / rental.len() as f64
            },
        }
    }

    /// Rental households whose landlord has not signed the commitment.
    pub fn households_without_commitment(&self) -> Vec<&HouseholdId> {
        self.rental_households()
            .filter(|h| !self.commitments.contains_key(&h.id))
            .map(|h| &h.id)
            .collect()
    }

    /// Rental households with no report (zero or not) for `day`.
    pub fn missing_reports(&self, day: NaiveDate) -> Vec<&HouseholdId> {
        self.rental_households()
            .filter(|h| {
                !self
                    .reports
                    .get(&h.id)
                    .is_some_and(|d| d.contains_key(&day))
            })
            .map(|h| &h.id)
            .collect()
    }

    /// Link a leader to a village (replacing any previous one).
    pub fn assign_leader(&mut self, village: &str, staff: StaffId) {
        self.tree.leaders.insert(village.to_string(), staff);
    }

    /// Link a cadre to a group of a village (replacing any previous one).
    pub fn assign_cadre(&mut self, village: &str, group: &str, staff: StaffId) {
        self.tree.cadres.insert(group_key(village, group), staff);
    }

    /// Link a party member to a household.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown household.
    pub fn assign_party_member(&mut self, household: &HouseholdId, staff: StaffId) -> Result<()> {
        self.household(household)?;
        self.tree.party_members.insert(household.clone(), staff);
        Ok(())
    }

    /// The responsibility tree as recorded.
    pub fn responsibility_tree(&self) -> &ResponsibilityTree {
        &self.tree
    }

    /// Who answers for a household, at each level.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown household.
    pub fn who_answers(&self, household: &HouseholdId) -> Result<Answerable> {
        let h = self.household(household)?;
        Ok(self.answerable(h))
    }

    fn answerable(&self, h: &Household) -> Answerable {
        Answerable {
            leader: self.tree.leaders.get(&h.village).cloned(),
            cadre: self
                .tree
                .cadres
                .get(&group_key(&h.village, &h.group))
                .cloned(),
            party_member: self.tree.party_members.get(&h.id).cloned(),
        }
    }

    /// Households with a missing link, and which levels are missing; a
    /// household missing all three is one nobody answers for.
    pub fn responsibility_gaps(&self) -> Vec<Gap> {
        self.households
            .values()
            .filter_map(|h| {
                let a = self.answerable(h);
                let missing: Vec<Level> = [
                    (a.leader.is_none(), Level::Leader),
                    (a.cadre.is_none(), Level::Cadre),
                    (a.party_member.is_none(), Level::PartyMember),
                ]
                .into_iter()
                .filter_map(|(m, l)| m.then_some(l))
                .collect();
                (!missing.is_empty()).then(|| Gap {
                    household: h.id.clone(),
                    missing,
                })
            })
            .collect()
    }

    /// How many households each person in the tree answers for, heaviest first.
    pub fn responsibility_load(&self) -> Vec<Load> {
        let mut counts: BTreeMap<(StaffId, Level), usize> = BTreeMap::new();
        for h in self.households.values() {
            let a = self.answerable(h);
            for (who, level) in [
                (a.leader, Level::Leader),
                (a.cadre, Level::Cadre),
                (a.party_member, Level::PartyMember),
            ] {
                if let Some(who) = who {
                    *counts.entry((who, level)).or_default() += 1;
                }
            }
        }
        let mut out: Vec<Load> = counts
            .into_iter()
            .map(|((staff, level), households)| Load {
                staff,
                level,
                households,
            })
            .collect();
        out.sort_by(|a, b| {
            b.households
                .cmp(&a.households)
                .then_with(|| a.staff.cmp(&b.staff))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn town() -> Residents {
        let mut r = Residents::default();
        let people = [
            ("L1", "110101199003078670"),
            ("T1", "440308199901101512"),
            ("T2", "430302199312194239"),
        ];
        for (id, number) in people {
            r.register_person(Person {
                id: id.into(),
                name: id.into(),
                document: IdDocument::parse(number, None).unwrap(),
                household: None,
                phone: None,
                has_smartphone: None,
            })
            .unwrap();
        }
        r.add_household(Household {
            id: "H1".into(),
            village: "V".into(),
            group: "1".into(),
            address: "a".into(),
            landlord: Some("L1".into()),
        })
        .unwrap();
        r.add_household(Household {
            id: "H2".into(),
            village: "V".into(),
            group: "2".into(),
            address: "b".into(),
            landlord: None,
        })
        .unwrap();
        r
    }

    #[test]
    fn tenants_arrive_and_leave() {
        let mut r = town();
        r.tenant_arrives(&"H1".into(), &"T1".into(), d("2020-02-01"))
            .unwrap();
        assert!(r
            .tenant_arrives(&"H1".into(), &"T1".into(), d("2020-02-02"))
            .is_err());
        assert!(r
            .tenant_arrives(&"H2".into(), &"T2".into(), d("2020-02-01"))
            .unwrap_err()
            .to_string()
            .contains("rental"));
        assert_eq!(r.residents_of(&"H1".into(), d("2020-02-05")).len(), 1);
        assert!(r
            .tenant_leaves(&"H1".into(), &"T1".into(), d("2020-01-01"))
            .is_err());
        r.tenant_leaves(&"H1".into(), &"T1".into(), d("2020-02-10"))
            .unwrap();
        assert!(r.residents_of(&"H1".into(), d("2020-02-10")).is_empty());
        assert!(r
            .tenant_leaves(&"H1".into(), &"T1".into(), d("2020-02-11"))
            .is_err());
    }

    #[test]
    fn commitments_and_reports() {
        let mut r = town();
        assert_eq!(
            r.households_without_commitment(),
            vec![&HouseholdId::from("H1")]
        );
        assert!(r
            .sign_commitment(&"H1".into(), &"T1".into(), d("2020-02-01"))
            .is_err());
        r.sign_commitment(&"H1".into(), &"L1".into(), d("2020-02-01"))
            .unwrap();
        assert!(r.households_without_commitment().is_empty());
        r.file_daily_report(&"H1".into(), d("2020-02-02"), vec![])
            .unwrap();
        assert!(r
            .file_daily_report(&"H1".into(), d("2020-02-02"), vec![])
            .is_err());
        assert!(r.missing_reports(d("2020-02-02")).is_empty());
        assert_eq!(r.missing_reports(d("2020-02-03")).len(), 1);
        assert!(r
            .file_daily_report(&"H2".into(), d("2020-02-02"), vec![])
            .is_err());
    }

    #[test]
    fn screening_coverage_counts_rentals_only() {
        let mut r = town();
        assert_eq!(r.screening_coverage().screened, 0);
        let team = ScreeningTeam::new(
            "T",
            &[
                (TeamRole::Officer, "a"),
                (TeamRole::Cadre, "b"),
                (TeamRole::PartyMember, "c"),
            ],
        )
        .unwrap();
        r.add_team(team).unwrap();
        let at = chrono::DateTime::from_timestamp(1_580_515_200, 0).unwrap();
        r.record_screening(ScreeningVisit {
            household: "H1".into(),
            team: "T".into(),
            at,
            note: String::new(),
        })
        .unwrap();
        assert!(r
            .record_screening(ScreeningVisit {
                household: "H1".into(),
                team: "X".into(),
                at,
                note: String::new()
            })
            .is_err());
        let c = r.screening_coverage();
        assert_eq!((c.rental_households, c.screened), (1, 1));
        assert!((c.rate - 1.0).abs() < 1e-12);
    }

    #[test]
    fn teams_need_three_distinct_roles() {
        assert!(ScreeningTeam::new(
            "T",
            &[
                (TeamRole::Officer, "a"),
                (TeamRole::Officer, "b"),
                (TeamRole::Cadre, "c")
            ]
        )
        .is_err());
        assert!(ScreeningTeam::new(
            "T",
            &[
                (TeamRole::Officer, "a"),
                (TeamRole::Cadre, "a"),
                (TeamRole::PartyMember, "c")
            ]
        )
        .is_err());
    }

    #[test]
    fn responsibility_tree() {
        let mut r = town();
        assert_eq!(r.responsibility_gaps().len(), 2);
        r.assign_leader("V", "boss".into());
        r.assign_cadre("V", "1", "cadre1".into());
        r.assign_party_member(&"H1".into(), "pm1".into()).unwrap();
        assert!(r.assign_party_member(&"H9".into(), "pm1".into()).is_err());
        let a = r.who_answers(&"H1".into()).unwrap();
        assert_eq!(a.party_member.unwrap().as_str(), "pm1");
        let gaps = r.responsibility_gaps();
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps[0].missing, vec![Level::Cadre, Level::PartyMember]);
        assert_eq!(r.responsibility_load()[0].households, 2);
    }

    #[test]
    fn merging_duplicates_keeps_every_link() {
        let mut r = town();
        r.tenant_arrives(&"H1".into(), &"T2".into(), d("2020-02-01"))
            .unwrap();
        r.merge_persons(&"T1".into(), &"T2".into()).unwrap();
        assert_eq!(r.person(&"T2".into()).unwrap().id.as_str(), "T1");
        assert!(r
            .residents_of(&"H1".into(), d("2020-02-02"))
            .contains(&PersonId::from("T1")));
        assert_eq!(
            r.person_by_document("430302199312194239")
                .unwrap()
                .id
                .as_str(),
            "T1"
        );
        assert!(r.merge_persons(&"T1".into(), &"T1".into()).is_err());
        assert!(r.merge_persons(&"T1".into(), &"nobody".into()).is_err());
    }
}
