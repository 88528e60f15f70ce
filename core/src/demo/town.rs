//! January: the town as the station knows it (households, residents and
//! landlords), the screening of rented homes with their landlords' daily
//! reports, and the tree of who answers for which household.

use chrono::{Duration, NaiveDate};
use rand::Rng;

use super::{by, cst, day, evening, name, setup, village_of, Story, VILLAGES};
use crate::book::Command;
use crate::error::Result;
use crate::household::{Household, Person};
use crate::id::IdDocument;
use crate::ids::{HouseholdId, PersonId};

impl Story<'_> {
    /// Households (the first half owner-occupied, the second half rented out),
    /// residents spread over them, and an owner-occupier letting each rental.
    pub(super) fn households_and_residents(&mut self) -> Result<()> {
        let owners = self.size.households / 2;
        for h in 0..self.size.households {
            let household = Household {
                id: format!("H{h:05}").into(),
                village: village_of(h).into(),
                group: format!("{}", (h / VILLAGES.len()) % 8 + 1),
                address: format!("{} Road {}", village_of(h), h + 1),
                landlord: None,
            };
            self.b
                .execute(by::OFFICE, setup(), Command::AddHousehold { household })?;
        }
        // Residents, spread over the households.
        for i in 0..self.size.persons {
            let born = NaiveDate::from_ymd_opt(
                self.rng.gen_range(1935..2016),
                self.rng.gen_range(1..=12),
                self.rng.gen_range(1..=28),
            )
            .unwrap_or_default();
            let male = self.rng.gen_bool(0.5);
            let number = self.ids.make(&mut self.rng, "320583", born, male);
            let elderly = born < day("1958-01-01");
            let person = Person {
                id: format!("P{i:05}").into(),
                name: name(&mut self.rng),
                document: IdDocument::Resident { number },
                household: Some(
                    format!("H{:05}", i * self.size.households / self.size.persons).into(),
                ),
                phone: None,
                has_smartphone: Some(!elderly && self.rng.gen_bool(0.97)),
            };
            self.b
                .execute(by::OFFICE, setup(), Command::RegisterPerson { person })?;
        }
        // Landlords: an owner-occupier lets each rental household.
        for h in owners..self.size.households {
            let landlord = PersonId::from(format!(
                "P{:05}",
                (h - owners) * self.size.persons / self.size.households
            ));
            let household = format!("H{h:05}").into();
            self.b.execute(
                by::OFFICE,
                setup(),
                Command::SetLandlord {
                    household,
                    landlord,
                },
            )?;
        }
        Ok(())
    }

    /// Screening teams, their visits to rented homes, the landlords'
    /// commitments and the zero reports of February's first fortnight.
    pub(super) fn screening(&mut self) -> Result<()> {
        let teams = (self.size.households / 600).max(2);
        for t in 0..teams {
            self.b.execute(
                by::OFFICE,
                setup(),
                Command::FormTeam {
                    id: format!("Team {}", t + 1),
                    officer: format!("officer-{t}").into(),
                    cadre: format!("cadre-{t}").into(),
                    party_member: format!("member-{t}").into(),
                },
            )?;
        }
        let rentals: Vec<(HouseholdId, PersonId)> = self
            .b
            .station()
            .residents
            .rental_households()
            .filter_map(|h| Some((h.id.clone(), h.landlord.clone()?)))
            .collect();
        for (k, (h, landlord)) in rentals.iter().enumerate() {
            let at =
                cst("2020-01-29 09:00") + Duration::minutes(self.rng.gen_range(0..7 * 12 * 60));
            // A handful were still not screened, or not committed, by the report day.
            if k % 600 != 599 {
                let screening = Command::RecordScreening {
                    household: h.clone(),
                    team: format!("Team {}", k % teams + 1),
                    note: "no one from high-risk areas".into(),
                };
                self.b
                    .execute(format!("officer-{}", k % teams), at, screening)?;
            }
            if k % 500 != 499 {
                let signed = day("2020-01-31");
                let commitment = Command::SignCommitment {
                    household: h.clone(),
                    landlord: landlord.clone(),
                    day: signed,
                };
                self.b
                    .execute(by::OFFICE, evening(signed, &self.policy), commitment)?;
                for d in day("2020-02-01").iter_days().take(14) {
                    if !self.rng.gen_bool(0.004) {
                        let changes = if self.rng.gen_bool(0.02) {
                            vec!["a tenant moved out".to_string()]
                        } else {
                            Vec::new()
                        };
                        let report = Command::FileDailyReport {
                            household: h.clone(),
                            day: d,
                            changes,
                        };
                        self.b
                            .execute(by::LANDLORDS, evening(d, &self.policy), report)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The responsibility tree: a leader per village, a cadre per group, a
    /// party member per household (a few gaps).
    pub(super) fn responsibility(&mut self) -> Result<()> {
        for v in VILLAGES {
            let leader = Command::AssignLeader {
                village: v.into(),
                staff: format!("leader-{v}").into(),
            };
            self.b.execute(by::OFFICE, setup(), leader)?;
            for g in 1..=8 {
                let cadre = Command::AssignCadre {
                    village: v.into(),
                    group: g.to_string(),
                    staff: format!("cadre-{v}-{g}").into(),
                };
                self.b.execute(by::OFFICE, setup(), cadre)?;
            }
        }
        for h in 0..self.size.households {
            if h % 300 != 17 {
                let member = Command::AssignPartyMember {
                    household: format!("H{h:05}").into(),
                    staff: format!("member-{}", h / 30).into(),
                };
                self.b.execute(by::OFFICE, setup(), member)?;
            }
        }
        Ok(())
    }
}
