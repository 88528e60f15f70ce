//! Resumption of work (复工复产): enterprises, their daily reports, migrant
//! workers verified remotely before they travel, and the resumption rates.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::CreditCode;
use crate::ids::{EnterpriseId, PersonId};

/// An enterprise of the town.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct Enterprise {
    /// The station's id for it.
    pub id: EnterpriseId,
    /// Its name.
    pub name: String,
    /// Unified social credit code, when known.
    pub credit_code: Option<CreditCode>,
    /// Village it is in.
    pub village: String,
    /// Sector, e.g. `textiles`.
    pub sector: String,
    /// Above designated size (规上企业).
    pub above_scale: bool,
    /// Workforce before the epidemic.
    pub workforce: u32,
    /// When it was established, if known: no report can predate it.
    pub established: Option<NaiveDate>,
}

/// An enterprise's report for one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DailyStatus {
    /// The enterprise.
    pub enterprise: EnterpriseId,
    /// The day.
    pub date: NaiveDate,
    /// Whether it is working.
    pub resumed: bool,
    /// Workers on site that day.
    pub workers_on_site: u32,
}

/// The partner police bureau's remote check of a migrant worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verification {
    /// The bureau that checked.
    pub bureau: String,
    /// Whether the worker passed.
    pub passed: bool,
    /// When.
    pub on: NaiveDate,
}

/// A migrant worker recruited from a partner county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct MigrantWorker {
    /// The worker.
    pub person: PersonId,
    /// The enterprise that recruited them.
    pub enterprise: EnterpriseId,
    /// Origin county, e.g. `Zhenxiong, Yunnan`.
    pub origin_county: String,
    /// The remote verification, once done.
    pub verification: Option<Verification>,
    /// Arrival day, once arrived.
    pub arrived: Option<NaiveDate>,
    /// First day of work, once started.
    pub started: Option<NaiveDate>,
}

/// How to group rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One group: the whole town.
    All,
    /// By village.
    Village,
    /// By sector.
    Sector,
    /// Above designated size or not.
    Size,
}

impl std::str::FromStr for GroupBy {
    type Err = Error;
    fn from_str(s: &str) -> Result<GroupBy> {
        match s {
            "all" => Ok(GroupBy::All),
            "village" => Ok(GroupBy::Village),
            "sector" => Ok(GroupBy::Sector),
            "size" => Ok(GroupBy::Size),
            other => Err(Error::invalid(
                "group by",
                other,
                "one of all, village, sector, size",
            )),
        }
    }
}

/// Resumption figures of one group on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RateRow {
    /// The day.
    pub date: NaiveDate,
    /// The group (`all`, a village, a sector, `above` or `below`).
    pub group: String,
    /// Enterprises in the group.
    pub enterprises: usize,
    /// Of those, resumed.
    pub resumed: usize,
    /// Sum of workforce.
    pub workforce: u64,
    /// Sum of workers on site.
    pub on_site: u64,
    /// `resumed / enterprises`.
    pub enterprise_rate: f64,
    /// `on_site / workforce`.
    pub workforce_rate: f64,
}

/// The registry of enterprises, reports and migrant workers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resumption {
    enterprises: BTreeMap<EnterpriseId, Enterprise>,
    reports: BTreeMap<EnterpriseId, BTreeMap<NaiveDate, DailyStatus>>,
    migrants: BTreeMap<PersonId, MigrantWorker>,
}

impl Resumption {
    /// Add an enterprise.
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a known id or credit code.
    pub fn add_enterprise(&mut self, e: Enterprise) -> Result<()> {
        if self.enterprises.contains_key(&e.id) {
            return Err(Error::Duplicate {
                what: "enterprise",
                key: e.id.to_string(),
                existing: "an enterprise".into(),
            });
        }
        if let Some(code) = &e.credit_code {
            if let Some(other) = self
                .enterprises
                .values()
                .find(|o| o.credit_code.as_ref() == Some(code))
            {
                return Err(Error::Duplicate {
                    what: "credit code",
                    key: code.to_string(),
                    existing: format!("enterprise `{}`", other.id),
                });
            }
        }
        self.enterprises.insert(e.id.clone(), e);
        Ok(())
    }

    /// An enterprise by id.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn enterprise(&self, id: &EnterpriseId) -> Result<&Enterprise> {
        self.enterprises
            .get(id)
            .ok_or_else(|| Error::not_found("enterprise", id))
    }

    /// Every enterprise, by id.
    pub fn enterprises(&self) -> impl Iterator<Item = &Enterprise> {
        self.enterprises.values()
    }

    /// Check a report against the enterprise without filing it.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown enterprise; [`Error::Implausible`]
    /// for more workers on site than the workforce, workers on site while not
    /// resumed, or a date before the enterprise existed; [`Error::Duplicate`]
    /// for a second report on the same day.
    pub fn check_report(&self, r: &DailyStatus) -> Result<()> {
        let e = self.enterprise(&r.enterprise)?;
        let record = || format!("report of enterprise `{}` on {}", r.enterprise, r.date);
        if r.workers_on_site > e.workforce {
            return Err(Error::Implausible {
                record: record(),
                reason: format!(
                    "{} workers on site but the workforce is {}",
                    r.workers_on_site, e.workforce
                ),
            });
        }
        if !r.resumed && r.workers_on_site > 0 {
            return Err(Error::Implausible {
                record: record(),
                reason: format!("{} workers on site but not resumed", r.workers_on_site),
            });
        }
        if let Some(est) = e.established.filter(|est| r.date < *est) {
            return Err(Error::Implausible {
                record: record(),
                reason: format!("the enterprise was established on {est}"),
            });
        }
        if self
            .reports
            .get(&r.enterprise)
            .is_some_and(|d| d.contains_key(&r.date))
        {
            return Err(Error::Duplicate {
                what: "report",
                key: format!("{} on {}", r.enterprise, r.date),
                existing: "a report for that day".into(),
            });
        }
        Ok(())
    }

    /// File an enterprise's daily report.
    ///
    /// # Errors
    /// As [`Resumption::check_report`].
    pub fn file_report(&mut self, r: DailyStatus) -> Result<()> {
        self.check_report(&r)?;
        self.reports
            .entry(r.enterprise.clone())
            .or_default()
            .insert(r.date, r);
        Ok(())
    }

    /// Every report, by enterprise then date.
    pub fn reports(&self) -> impl Iterator<Item = &DailyStatus> {
        self.reports.values().flat_map(BTreeMap::values)
    }

    /// The latest report of an enterprise on or before `day`.
    pub fn status_on(&self, id: &EnterpriseId, day: NaiveDate) -> Option<&DailyStatus> {
        self.reports
            .get(id)
            .and_then(|d| d.range(..=day).next_back())
            .map(|(_, r)| r)
    }

    /// Whether an enterprise is working as of `day`.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown enterprise.
    pub fn is_resumed(&self, id: &EnterpriseId, day: NaiveDate) -> Result<bool> {
        self.enterprise(id)?;
        Ok(self.status_on(id, day).is_some_and(|r| r.resumed))
    }

    /// Rates as of `day`, per group, sorted by group. An enterprise's state is
    /// its latest report on or before the day; without one it counts as not
    /// resumed with no workers on site.
    pub fn rates(&self, day: NaiveDate, by: GroupBy) -> Vec<RateRow> {
        let mut groups: BTreeMap<String, RateRow> = BTreeMap::new();
        for e in self.enterprises.values() {
            let group = match by {
                GroupBy::All => "all".to_string(),
                GroupBy::Village => e.village.clone(),
                GroupBy::Sector => e.sector.clone(),
                GroupBy::Size => if e.above_scale { "above" } else { "below" }.to_string(),
            };
            let row = groups.entry(group.clone()).or_insert_with(|| RateRow {
                date: day,
                group,
                enterprises: 0,
                resumed: 0,
                workforce: 0,
                on_site: 0,
                enterprise_rate: 0.0,
                workforce_rate: 0.0,
            });
            row.enterprises += 1;
            row.workforce += u64::from(e.workforce);
            if let Some(r) = self.status_on(&e.id, day) {
                row.resumed += usize::from(r.resumed);
                row.on_site += u64::from(r.workers_on_site);
            }
        }
        groups
            .into_values()
            .map(|mut r| {
                r.enterprise_rate = if r.enterprises == 0 {
                    0.0
                } else {
                    r.resumed as f64 / r.enterprises as f64
                };
                r.workforce_rate = if r.workforce == 0 {
                    0.0
                } else {
                    r.on_site as f64 / r.workforce as f64
                };
                r
            })
            .collect()
    }

    /// [`Resumption::rates`] for every day from `from` to `to` inclusive.
    pub fn daily_series(&self, from: NaiveDate, to: NaiveDate, by: GroupBy) -> Vec<RateRow> {
        from.iter_days()
            .take_while(|d| *d <= to)
            .flat_map(|d| self.rates(d, by))
            .collect()
    }

    /// The first and last day any report was filed.
    pub fn report_span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let days = self.reports.values().flat_map(|d| d.keys());
        let min = days.clone().min()?;
        Some((*min, *days.max()?))
    }

    /// Record a migrant worker recruited by an enterprise.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown enterprise; [`Error::Duplicate`] for
    /// a worker recorded already; [`Error::Implausible`] when the worker
    /// arrived without passing verification first, or started before arriving.
    pub fn record_migrant(&mut self, m: MigrantWorker) -> Result<()> {
        self.enterprise(&m.enterprise)?;
        if self.migrants.contains_key(&m.person) {
            return Err(Error::Duplicate {
                what: "migrant worker",
                key: m.person.to_string(),
                existing: "a recruited worker".into(),
            });
        }
        check_worker(&m)?;
        self.migrants.insert(m.person.clone(), m);
        Ok(())
    }

    /// Record the partner county police's remote verification of a worker
    /// already recorded (recruited before the check was done). A worker who
    /// failed may be checked again; one who passed is verified once.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a worker not recorded;
    /// [`Error::InvalidTransition`] when the worker has passed verification
    /// already; [`Error::Implausible`] when the worker arrived before this
    /// verification or it failed (as [`Resumption::record_migrant`]).
    pub fn verify_migrant(&mut self, person: &PersonId, verification: Verification) -> Result<()> {
        let m = self.migrant(person)?;
        if let Some(v) = m.verification.as_ref().filter(|v| v.passed) {
            return Err(Error::InvalidTransition {
                what: "migrant worker",
                id: person.to_string(),
                action: "verify",
                reason: format!("already verified by {} on {}", v.bureau, v.on),
            });
        }
        let updated = MigrantWorker {
            verification: Some(verification),
            ..m.clone()
        };
        check_worker(&updated)?;
        self.migrants.insert(person.clone(), updated);
        Ok(())
    }

    /// A recorded worker arrives (and, when `started` is given, starts work).
    ///
    /// # Errors
    /// [`Error::NotFound`] for a worker not recorded;
    /// [`Error::InvalidTransition`] when an arrival is recorded already;
    /// [`Error::Implausible`] as [`Resumption::record_migrant`]: no arrival
    /// before passing verification, no start before the arrival.
    pub fn migrant_arrives(
        &mut self,
        person: &PersonId,
        arrived: NaiveDate,
        started: Option<NaiveDate>,
    ) -> Result<()> {
        let m = self.migrant(person)?;
        if let Some(a) = m.arrived {
            return Err(Error::InvalidTransition {
                what: "migrant worker",
                id: person.to_string(),
                action: "record the arrival of",
                reason: format!("arrived already on {a}"),
            });
        }
        let updated = MigrantWorker {
            arrived: Some(arrived),
            started: started.or(m.started),
            ..m.clone()
        };
        check_worker(&updated)?;
        self.migrants.insert(person.clone(), updated);
        Ok(())
    }

    /// A migrant worker by person id.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a person not recorded as a migrant worker.
    pub fn migrant(&self, person: &PersonId) -> Result<&MigrantWorker> {
        self.migrants
            .get(person)
            .ok_or_else(|| Error::not_found("migrant worker", person))
    }

    /// Move a merged person's worker record to the person kept; when both
    /// have one, the kept record gains what only the duplicate's knew.
    pub(crate) fn merge_person(&mut self, keep: &PersonId, duplicate: &PersonId) {
        let Some(mut dup) = self.migrants.remove(duplicate) else {
            return;
        };
        dup.person = keep.clone();
        let merged = match self.migrants.remove(keep) {
            None => dup,
            Some(k) => MigrantWorker {
                verification: k.verification.or(dup.verification),
                arrived: k.arrived.or(dup.arrived),
                started: k.started.or(dup.started),
                ..k
            },
        };
        self.migrants.insert(keep.clone(), merged);
    }

    /// Every migrant worker, by person id.
    pub fn migrants(&self) -> impl Iterator<Item = &MigrantWorker> {
        self.migrants.values()
    }

    /// Days from arrival to the start of work, for every worker who started.
    pub fn days_to_start(&self) -> Vec<(PersonId, i64)> {
        self.migrants
            .values()
            .filter_map(|m| Some((m.person.clone(), (m.started? - m.arrived?).num_days())))
            .collect()
    }
}

/// The rules of a worker's record: no arrival without passing verification
/// first, no start of work without or before the arrival.
fn check_worker(m: &MigrantWorker) -> Result<()> {
    let record = || format!("migrant worker `{}`", m.person);
    if let Some(arrived) = m.arrived {
        match &m.verification {
            Some(v) if v.passed && v.on <= arrived => {}
            Some(v) if !v.passed => {
                return Err(Error::Implausible {
                    record: record(),
                    reason: format!(
                        "arrived on {arrived} but failed verification by {}",
                        v.bureau
                    ),
                })
            }
            Some(v) => {
                return Err(Error::Implausible {
                    record: record(),
                    reason: format!("arrived on {arrived}, before verification on {}", v.on),
                })
            }
            None => {
                return Err(Error::Implausible {
                    record: record(),
                    reason: format!("arrived on {arrived} without remote verification"),
                })
            }
        }
    }
    match (m.arrived, m.started) {
        (None, Some(s)) => {
            return Err(Error::Implausible {
                record: record(),
                reason: format!("started on {s} without an arrival"),
            })
        }
        (Some(a), Some(s)) if s < a => {
            return Err(Error::Implausible {
                record: record(),
                reason: format!("started on {s}, before arriving on {a}"),
            })
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn town() -> Resumption {
        let mut r = Resumption::default();
        for (id, village, sector, above, workforce) in [
            ("E1", "A", "textiles", true, 100),
            ("E2", "A", "food", false, 20),
            ("E3", "B", "textiles", false, 30),
        ] {
            r.add_enterprise(Enterprise {
                id: id.into(),
                name: id.into(),
                credit_code: None,
                village: village.into(),
                sector: sector.into(),
                above_scale: above,
                workforce,
                established: Some(d("2010-01-01")),
            })
            .unwrap();
        }
        r
    }

    fn report(e: &str, date: &str, resumed: bool, on_site: u32) -> DailyStatus {
        DailyStatus {
            enterprise: e.into(),
            date: d(date),
            resumed,
            workers_on_site: on_site,
        }
    }

    #[test]
    fn rates_use_the_latest_report_on_or_before_the_day() {
        let mut r = town();
        r.file_report(report("E1", "2020-02-10", true, 50)).unwrap();
        r.file_report(report("E2", "2020-02-12", true, 20)).unwrap();
        r.file_report(report("E1", "2020-02-13", true, 90)).unwrap();
        let all = r.rates(d("2020-02-12"), GroupBy::All);
        assert_eq!((all[0].resumed, all[0].on_site), (2, 70));
        assert!((all[0].enterprise_rate - 2.0 / 3.0).abs() < 1e-12);
        assert!((all[0].workforce_rate - 70.0 / 150.0).abs() < 1e-12);
        let by_village = r.rates(d("2020-02-13"), GroupBy::Village);
        assert_eq!(
            by_village
                .iter()
                .map(|x| (x.group.as_str(), x.on_site))
                .collect::<Vec<_>>(),
            vec![("A", 110), ("B", 0)]
        );
        assert_eq!(r.rates(d("2020-02-13"), GroupBy::Size)[0].group, "above");
        assert_eq!(
            r.daily_series(d("2020-02-09"), d("2020-02-13"), GroupBy::Sector)
                .len(),
            10
        );
        assert_eq!(r.report_span(), Some((d("2020-02-10"), d("2020-02-13"))));
    }

    #[test]
    fn impossible_reports_name_the_row() {
        let mut r = town();
        let e = r
            .file_report(report("E2", "2020-02-10", true, 21))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "report of enterprise `E2` on 2020-02-10: 21 workers on site but the workforce is 20"
        );
        assert!(r
            .file_report(report("E2", "2009-02-10", true, 1))
            .unwrap_err()
            .to_string()
            .contains("established on 2010-01-01"));
        assert!(r.file_report(report("E2", "2020-02-10", false, 1)).is_err());
        assert_eq!(
            r.file_report(report("E9", "2020-02-10", true, 1))
                .unwrap_err()
                .code(),
            "not_found"
        );
        r.file_report(report("E2", "2020-02-10", true, 1)).unwrap();
        assert_eq!(
            r.file_report(report("E2", "2020-02-10", true, 1))
                .unwrap_err()
                .code(),
            "duplicate"
        );
    }

    #[test]
    fn migrant_workers_are_verified_before_they_travel() {
        let mut r = town();
        let v = Some(Verification {
            bureau: "Zhenxiong PSB".into(),
            passed: true,
            on: d("2020-02-15"),
        });
        let m = |p: &str,
                 verification: Option<Verification>,
                 arrived: Option<&str>,
                 started: Option<&str>| MigrantWorker {
            person: p.into(),
            enterprise: "E1".into(),
            origin_county: "Zhenxiong, Yunnan".into(),
            verification,
            arrived: arrived.map(d),
            started: started.map(d),
        };
        r.record_migrant(m("W1", v.clone(), Some("2020-02-18"), Some("2020-02-18")))
            .unwrap();
        assert!(r.record_migrant(m("W1", v.clone(), None, None)).is_err());
        assert!(r
            .record_migrant(m("W2", None, Some("2020-02-18"), None))
            .unwrap_err()
            .to_string()
            .contains("without remote verification"));
        assert!(r
            .record_migrant(m("W3", v.clone(), Some("2020-02-14"), None))
            .unwrap_err()
            .to_string()
            .contains("before verification"));
        assert!(r
            .record_migrant(m("W4", v, Some("2020-02-18"), Some("2020-02-17")))
            .is_err());
        assert_eq!(r.days_to_start(), vec![(PersonId::from("W1"), 0)]);
    }

    #[test]
    fn duplicate_credit_codes_are_refused() {
        let mut r = town();
        let code: CreditCode = "91110000600037341L".parse().unwrap();
        let e = |id: &str| Enterprise {
            id: id.into(),
            name: id.into(),
            credit_code: Some(code.clone()),
            village: "A".into(),
            sector: "x".into(),
            above_scale: false,
            workforce: 1,
            established: None,
        };
        r.add_enterprise(e("E8")).unwrap();
        assert!(r
            .add_enterprise(e("E9"))
            .unwrap_err()
            .to_string()
            .contains("`E8`"));
        assert!("bogus".parse::<GroupBy>().is_err());
    }
}
