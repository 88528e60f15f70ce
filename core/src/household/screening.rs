//! The screening campaign of rented homes: three-person teams and their
//! visits, landlords' commitments, and the daily (zero) reports.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Household, Residents};
use crate::error::{Error, Result};
use crate::ids::{HouseholdId, PersonId, StaffId};
use crate::time::Instant;

/// The three roles of a screening team (三人小分队).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// The screening of rented homes. The households and landlords it checks
/// against are the [`Residents`] register's, passed in where needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screening {
    teams: BTreeMap<String, ScreeningTeam>,
    screenings: Vec<ScreeningVisit>,
    commitments: BTreeMap<HouseholdId, Commitment>,
    reports: BTreeMap<HouseholdId, BTreeMap<NaiveDate, DailyReport>>,
}

impl Screening {
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
    pub fn record_screening(&mut self, residents: &Residents, visit: ScreeningVisit) -> Result<()> {
        residents.household(&visit.household)?;
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
        residents: &Residents,
        household: &HouseholdId,
        landlord: &PersonId,
        day: NaiveDate,
    ) -> Result<()> {
        let h = residents.rental(household)?;
        let landlord = residents.resolve(landlord);
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
        residents: &Residents,
        household: &HouseholdId,
        day: NaiveDate,
        changes: Vec<String>,
    ) -> Result<()> {
        residents.rental(household)?;
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
    pub fn coverage(&self, residents: &Residents) -> Coverage {
        let screened: BTreeSet<&HouseholdId> =
            self.screenings.iter().map(|v| &v.household).collect();
        let rental: Vec<&Household> = residents.rental_households().collect();
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
    pub fn households_without_commitment<'r>(
        &self,
        residents: &'r Residents,
    ) -> Vec<&'r HouseholdId> {
        residents
            .rental_households()
            .filter(|h| !self.commitments.contains_key(&h.id))
            .map(|h| &h.id)
            .collect()
    }

    /// Rental households with no report (zero or not) for `day`.
    pub fn missing_reports<'r>(
        &self,
        residents: &'r Residents,
        day: NaiveDate,
    ) -> Vec<&'r HouseholdId> {
        residents
            .rental_households()
            .filter(|h| {
                !self
                    .reports
                    .get(&h.id)
                    .is_some_and(|d| d.contains_key(&day))
            })
            .map(|h| &h.id)
            .collect()
    }

    /// After [`Residents::merge_persons`]: the duplicate's commitments and
    /// places in teams are the kept person's.
    pub(crate) fn follow_merge(&mut self, duplicate: &PersonId, keep: &PersonId) {
        for c in self.commitments.values_mut() {
            if &c.landlord == duplicate {
                c.landlord = keep.clone();
            }
        }
        // A resident who serves is known in a team by their person id.
        let (dup_staff, keep_staff) = (
            StaffId::from(duplicate.as_str()),
            StaffId::from(keep.as_str()),
        );
        let staff = self
            .teams
            .values_mut()
            .flat_map(|t| [&mut t.officer, &mut t.cadre, &mut t.party_member]);
        for s in staff.filter(|s| **s == dup_staff) {
            *s = keep_staff.clone();
        }
    }
}
