//! Work resumes: enterprises reopen from 10 February with their daily
//! reports, and migrant workers arrive from the partner counties.

use chrono::{Duration, NaiveDate};
use rand::Rng;

use super::portable::exp;
use super::{by, cst, day, evening, newcomer, village_of, Story};
use crate::book::Command;
use crate::error::Result;
use crate::id::{credit_check_char, credit_values, CreditCode};
use crate::ids::{EnterpriseId, PersonId};
use crate::pass::{PassApplication, PassKind};
use crate::resumption::{DailyStatus, Enterprise, MigrantWorker, Verification};
use crate::time::day_start;

const SECTORS: [&str; 7] = [
    "textiles",
    "machinery",
    "electronics",
    "food",
    "chemicals",
    "logistics",
    "building materials",
];

impl Story<'_> {
    /// Enterprises return to work from 10 February; all have by 31 March.
    /// The day each resumed, by enterprise.
    pub(super) fn enterprises(&mut self) -> Result<Vec<NaiveDate>> {
        let mut resume_days = Vec::with_capacity(self.size.enterprises);
        for e in 0..self.size.enterprises {
            let credit_code = (e % 3 == 0)
                .then(|| {
                    let mut body = format!("91320583{e:09}");
                    body.truncate(17);
                    let check = credit_check_char(&credit_values(&body));
                    CreditCode::parse(&format!("{body}{check}")).ok()
                })
                .flatten();
            let workforce = exp(self.rng.gen_range(1.5f64..6.5)) as u32 + 3;
            let enterprise = Enterprise {
                id: format!("E{e:03}").into(),
                name: format!("{} {} Co.", village_of(e), SECTORS[e % SECTORS.len()]),
                credit_code,
                village: village_of(e).into(),
                sector: SECTORS[e % SECTORS.len()].into(),
                above_scale: workforce > 150 || self.rng.gen_bool(0.1),
                workforce,
                established: Some(day("2005-01-01") + Duration::days(self.rng.gen_range(0..5000))),
            };
            self.b.execute(
                by::OFFICE,
                cst("2020-02-05 09:00"),
                Command::AddEnterprise { enterprise },
            )?;
            let resume = day("2020-02-10") + Duration::days(self.rng.gen_range(0..40));
            resume_days.push(resume);
            for d in day("2020-02-10")
                .iter_days()
                .take_while(|d| *d <= day("2020-03-31"))
            {
                let ramp = if d < resume {
                    0.0
                } else {
                    (0.35 + 0.65 * ((d - resume).num_days() as f64 / 20.0)).min(1.0)
                };
                let report = DailyStatus {
                    enterprise: format!("E{e:03}").into(),
                    date: d,
                    resumed: d >= resume,
                    workers_on_site: (f64::from(workforce) * ramp).round() as u32,
                };
                self.b.execute(
                    by::ENTERPRISES,
                    evening(d, &self.policy),
                    Command::FileEnterpriseReport { report },
                )?;
            }
        }
        Ok(resume_days)
    }

    /// Migrant workers from the partner counties, verified before they travel
    /// and arriving once their enterprise has resumed.
    pub(super) fn migrant_workers(&mut self, resume_days: &[NaiveDate]) -> Result<()> {
        let origins = [
            ("530627", "Zhenxiong, Yunnan", "Zhenxiong County PSB"),
            ("511321", "Nanbu, Sichuan", "Nanbu County PSB"),
            ("341221", "Linquan, Anhui", "Linquan County PSB"),
        ];
        let migrants = self.size.enterprises * 2 / 3;
        for m in 0..migrants {
            let (region, county, bureau) = origins[m % 3];
            let id = PersonId::from(format!("M{m:04}"));
            let born = day("1975-01-01") + Duration::days(self.rng.gen_range(0..9000));
            let male = self.rng.gen_bool(0.6);
            let person = newcomer(&mut self.rng, &mut self.ids, &id, region, born, male);
            let enterprise = EnterpriseId::from(format!("E{:03}", m % self.size.enterprises));
            // Workers travel once their enterprise has resumed.
            let arrived = (day("2020-02-25") + Duration::days(self.rng.gen_range(0..30)))
                .max(resume_days[m % self.size.enterprises]);
            let at = day_start(arrived, self.policy.zone()) + Duration::hours(8);
            self.b
                .execute(by::OFFICE, at, Command::RegisterPerson { person })?;
            let worker = MigrantWorker {
                person: id.clone(),
                enterprise: enterprise.clone(),
                origin_county: county.into(),
                verification: Some(Verification {
                    bureau: bureau.into(),
                    passed: true,
                    on: arrived - Duration::days(2),
                }),
                arrived: Some(arrived),
                started: Some(arrived),
            };
            self.b
                .execute(by::ENTERPRISES, at, Command::RecordMigrant { worker })?;
            let application = PassApplication {
                holder: id,
                kind: PassKind::Worker,
                enterprise: Some(enterprise),
                scope: "home county to Yaozhuang".into(),
            };
            self.b
                .execute(by::OFFICE, at, Command::IssuePass { application })?;
        }

        Ok(())
    }
}
