//! The responsibility tree (三联): a leader per village, a cadre per group,
//! a party member per household, and where links are missing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Household, Residents};
use crate::error::Result;
use crate::ids::{HouseholdId, PersonId, StaffId};

/// The levels of the responsibility tree (三联).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// Who answers for which household. The households are the [`Residents`]
/// register's, passed in where needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsibility {
    tree: ResponsibilityTree,
}

impl Responsibility {
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
    pub fn assign_party_member(
        &mut self,
        residents: &Residents,
        household: &HouseholdId,
        staff: StaffId,
    ) -> Result<()> {
        residents.household(household)?;
        self.tree.party_members.insert(household.clone(), staff);
        Ok(())
    }

    /// The responsibility tree as recorded.
    pub fn tree(&self) -> &ResponsibilityTree {
        &self.tree
    }

    /// Who answers for a household, at each level.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown household.
    pub fn who_answers(
        &self,
        residents: &Residents,
        household: &HouseholdId,
    ) -> Result<Answerable> {
        let h = residents.household(household)?;
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
    pub fn gaps(&self, residents: &Residents) -> Vec<Gap> {
        residents
            .households()
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
    pub fn load(&self, residents: &Residents) -> Vec<Load> {
        let mut counts: BTreeMap<(StaffId, Level), usize> = BTreeMap::new();
        for h in residents.households() {
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

    /// After [`Residents::merge_persons`]: the duplicate's places in the tree
    /// are the kept person's (a resident who serves is known by their id).
    pub(crate) fn follow_merge(&mut self, duplicate: &PersonId, keep: &PersonId) {
        let (dup_staff, keep_staff) = (
            StaffId::from(duplicate.as_str()),
            StaffId::from(keep.as_str()),
        );
        let staff = self
            .tree
            .leaders
            .values_mut()
            .chain(self.tree.cadres.values_mut())
            .chain(self.tree.party_members.values_mut());
        for s in staff.filter(|s| **s == dup_staff) {
            *s = keep_staff.clone();
        }
    }
}
