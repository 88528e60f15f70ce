//! The returnee family from Wuhan: their rented home, their travel, the
//! risk levels of where they came from, and home isolation on a big-data lead.

use super::{by, cast, cst, day, newcomer, setup, Story, FAMILY};
use crate::book::Command;
use crate::error::Result;
use crate::household::Household;
use crate::ids::HouseholdId;
use crate::quarantine::{RiskLevel, TravelRecord};

impl Story<'_> {
    /// The family of three, tenants of a rental household with two others,
    /// found on the 28th and isolated at home.
    pub(super) fn returnees(&mut self) -> Result<()> {
        let family_home = HouseholdId::from(cast::FAMILY_HOME);
        let household = Household {
            id: family_home.clone(),
            village: "Yaozhuang".into(),
            group: "3".into(),
            address: "18 Yaozhuang Old Street".into(),
            landlord: Some("P00001".into()),
        };
        self.b
            .execute(by::OFFICE, setup(), Command::AddHousehold { household })?;
        let lead = cst("2020-01-28 09:00");
        for (id, region, born, male) in FAMILY {
            let person = newcomer(
                &mut self.rng,
                &mut self.ids,
                &id.into(),
                region,
                day(born),
                male,
            );
            self.b
                .execute(by::OFFICE, lead, Command::RegisterPerson { person })?;
            let arrives = Command::TenantArrives {
                household: family_home.clone(),
                person: id.into(),
                day: day("2020-01-22"),
            };
            self.b.execute(by::OFFICE, lead, arrives)?;
        }
        for lodger in ["P00100", "P00200"] {
            let arrives = Command::TenantArrives {
                household: family_home.clone(),
                person: lodger.into(),
                day: day("2019-09-01"),
            };
            self.b.execute(by::OFFICE, setup(), arrives)?;
        }
        for (from, level) in [
            ("2020-01-20 00:00", RiskLevel::High),
            ("2020-04-08 00:00", RiskLevel::Low),
        ] {
            let change = Command::SetRiskLevel {
                area: "WH".into(),
                name: "Wuhan".into(),
                from: cst(from),
                level,
            };
            self.b.execute(by::OFFICE, cst(from), change)?;
        }
        for (id, ..) in FAMILY {
            let travel = TravelRecord {
                person: id.into(),
                from_area: "WH".into(),
                departed: cst("2020-01-22 08:00"),
                arrived: cst("2020-01-22 20:00"),
            };
            self.b
                .execute(by::OFFICE, lead, Command::RecordTravel { travel })?;
        }
        // A big-data lead finds them on the 28th: home isolation.
        for (k, (id, ..)) in FAMILY.iter().enumerate() {
            let order = Command::OrderHomeIsolation {
                order: format!("HI-{k}").into(),
                person: (*id).into(),
                arrived: cst("2020-01-22 20:00"),
                reason: "returnee from Wuhan (high risk)".into(),
            };
            self.b.execute(by::OFFICE, cst("2020-01-28 10:00"), order)?;
        }

        Ok(())
    }
}
