//! The analytic export: the book's person-level records with every person
//! under a keyed pseudonym and identity numbers, names and phones masked.
//! The journal itself keeps the full record.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::{mask_name, mask_phone, pseudonym, IdDocument, ResidentId, Sex};
use crate::ids::PersonId;
use crate::pass::Pass;
use crate::quarantine::IsolationOrder;
use crate::registration::ForeignStay;
use crate::resumption::{DailyStatus, Enterprise, MigrantWorker};
use crate::station::Station;
use crate::tracing::{Case, ContactRecord, Evidence, Visits};

/// Shortest key accepted for pseudonyms: shorter keys can be guessed.
const MIN_KEY_BYTES: usize = 16;

/// A person as analysts see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportedPerson {
    /// Keyed pseudonym: the same person and key give the same pseudonym in
    /// every export, also of other stations.
    pub pseudonym: String,
    /// Masked name.
    pub name: String,
    /// Masked identity number.
    pub document: String,
    /// Nationality of the document (`CHN` for resident ids).
    pub nationality: String,
    /// Year of birth, from a resident id.
    pub birth_year: Option<i32>,
    /// Sex, from a resident id.
    pub sex: Option<Sex>,
    /// Masked mobile number.
    pub phone: Option<String>,
    /// Village of the registered household.
    pub village: Option<String>,
    /// Whether they have a smartphone.
    pub has_smartphone: Option<bool>,
}

/// Person-level records for analysis, without identities. Every `PersonId`
/// in it is a pseudonym; free-text interview notes are left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnalyticExport {
    /// The policy preset in force.
    pub policy: String,
    /// Persons.
    pub persons: Vec<ExportedPerson>,
    /// Venue check-ins.
    pub visits: Visits,
    /// Confirmed cases.
    pub cases: Vec<Case>,
    /// Close contacts and their follow-up.
    pub contacts: Vec<ContactRecord>,
    /// Isolation and observation orders.
    pub orders: Vec<IsolationOrder>,
    /// Passes (holders' names were masked when issued).
    pub passes: Vec<Pass>,
    /// Foreign nationals' stays, with name and passport masked and the
    /// address and host left out.
    pub stays: Vec<ForeignStay>,
    /// Enterprises (not persons: as recorded).
    pub enterprises: Vec<Enterprise>,
    /// Enterprises' daily reports.
    pub enterprise_reports: Vec<DailyStatus>,
    /// Migrant workers.
    pub migrants: Vec<MigrantWorker>,
}

impl Station {
    /// The analytic export of these records, pseudonymized with `key`.
    ///
    /// ```
    /// # #[cfg(feature = "demo")] {
    /// use precinct::demo::{demo_station, DemoSize};
    /// let st = demo_station(7, DemoSize::SMALL).unwrap();
    /// let export = st.analytic_export(b"a secret of the station").unwrap();
    /// let json = serde_json::to_string(&export).unwrap();
    /// assert!(!json.contains("R-FATHER"));
    /// assert!(export.persons.iter().all(|p| p.pseudonym.starts_with("p_")));
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `key` is shorter than 16 bytes.
    #[expect(
        clippy::too_many_lines,
        reason = "one short mapping per registry, read top to bottom"
    )]
    pub fn analytic_export(&self, key: &[u8]) -> Result<AnalyticExport> {
        if key.len() < MIN_KEY_BYTES {
            return Err(Error::invalid(
                "pseudonym key",
                format!("{} bytes", key.len()),
                format!("a secret of at least {MIN_KEY_BYTES} bytes"),
            ));
        }
        let residents = &self.residents;
        // The document keys the pseudonym, so it follows the person, not our id.
        let mut names: HashMap<String, String> = HashMap::new();
        for p in residents.persons() {
            names.insert(p.id.to_string(), pseudonym(key, &p.document.key()));
        }
        let pseud = |id: &str| -> String {
            let id = residents.resolve(&PersonId::from(id));
            names
                .get(id.as_str())
                .cloned()
                .unwrap_or_else(|| pseudonym(key, &format!("id:{id}")))
        };
        let pid = |id: &PersonId| PersonId::from(pseud(id.as_str()));

        let persons = residents
            .persons()
            .map(|p| {
                let resident = match &p.document {
                    IdDocument::Resident { number } => Some(number),
                    IdDocument::Passport { .. } => None,
                };
                ExportedPerson {
                    pseudonym: pseud(p.id.as_str()),
                    name: mask_name(&p.name),
                    document: p.document.masked(),
                    nationality: p.document.nationality().to_string(),
                    birth_year: resident.map(|r| chrono::Datelike::year(&r.birth_date())),
                    sex: resident.map(ResidentId::sex),
                    phone: p.phone.as_ref().map(|m| mask_phone(&m.to_string())),
                    village: p
                        .household
                        .as_ref()
                        .and_then(|h| residents.household(h).ok())
                        .map(|h| h.village.clone()),
                    has_smartphone: p.has_smartphone,
                }
            })
            .collect();

        let mut visits = Visits::builder();
        for v in self.visits.iter() {
            visits.push(&pseud(&v.person), &v.place, v.start, v.end)?;
        }
        let cases = self
            .cases
            .iter()
            .map(|c| Case {
                person: pid(&c.person),
                ..c.clone()
            })
            .collect();
        let contacts = self
            .contacts
            .records()
            .map(|r| {
                let mut r = r.clone();
                r.contact.person = pid(&r.contact.person);
                for e in &mut r.contact.evidence {
                    if let Evidence::Interview { note, .. } = e {
                        note.clear();
                    }
                }
                r
            })
            .collect();
        let orders = self
            .quarantine
            .orders()
            .map(|o| IsolationOrder {
                person: pid(&o.person),
                ..o.clone()
            })
            .collect();
        let passes = self
            .passes
            .passes()
            .map(|p| Pass {
                holder: pid(&p.holder),
                // The document a pass is bound to identifies its holder.
                holder_document: None,
                ..p.clone()
            })
            .collect();
        let stays = self
            .registrations
            .stays()
            .map(|s| ForeignStay {
                name: mask_name(&s.name),
                passport_number: crate::id::mask_id_number(&s.passport_number),
                address: String::new(),
                host: String::new(),
                ..s.clone()
            })
            .collect();
        let migrants = self
            .resumption
            .migrants()
            .map(|m| MigrantWorker {
                person: pid(&m.person),
                ..m.clone()
            })
            .collect();
        Ok(AnalyticExport {
            policy: self.policy.name.clone(),
            persons,
            visits: visits.build()?,
            cases,
            contacts,
            orders,
            passes,
            stays,
            enterprises: self.resumption.enterprises().cloned().collect(),
            enterprise_reports: self.resumption.reports().cloned().collect(),
            migrants,
        })
    }
}
