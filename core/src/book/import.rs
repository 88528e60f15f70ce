//! Records read from the interchange files or from frames, as the commands
//! that put them into a record book, in an order the book accepts: the
//! bulk way in for a station that already keeps its data in tables.

use super::command::Command;
use crate::csv::{self, Frame};
use crate::error::{Error, Result};
use crate::household::{Household, Residents};
use crate::policy::Policy;
use crate::resumption::Resumption;
use crate::tracing::{Case, InterviewContact, Visits};

/// Records to put into a book (each read by `read_visits`, `read_cases`,
/// `read_interviews`, `read_residents` or `read_resumption`, or their
/// `_frame` forms).
#[derive(Debug, Clone)]
// Read once and turned into commands at once: not kept in collections, so
// the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
pub enum Import {
    /// Venue check-ins: one `record_visits` command.
    Visits(Visits),
    /// Confirmed cases: one `confirm_case` each, in order.
    Cases(Vec<Case>),
    /// Contacts named in interviews: one `record_interview_contact` each.
    Interviews(Vec<InterviewContact>),
    /// Households and their residents: every household, then every person,
    /// then each rented household's landlord (persons live in households,
    /// and landlords are persons).
    Residents(Residents),
    /// Enterprises, then their daily reports.
    Resumption(Resumption),
}

/// The kinds of records, as [`Import::read_csv`] and [`Import::read_frames`] name them.
pub const IMPORT_KINDS: &[&str] = &["visits", "cases", "interviews", "residents", "resumption"];

impl Import {
    /// Read records of `kind` (see [`IMPORT_KINDS`]) from CSV text:
    /// `residents` and `resumption` read two files, `second` being the
    /// persons or the reports.
    ///
    /// # Errors
    /// [`Error::Csv`] naming the first bad row; [`Error::InvalidValue`] for
    /// an unknown kind, or a second file missing or given for a kind of one.
    pub fn read_csv(
        kind: &str,
        first: &[u8],
        second: Option<&[u8]>,
        policy: &Policy,
    ) -> Result<Import> {
        Ok(match (kind, second) {
            ("visits", None) => Import::Visits(csv::read_visits(first, policy)?),
            ("cases", None) => Import::Cases(csv::read_cases(first, policy)?),
            ("interviews", None) => Import::Interviews(csv::read_interviews(first, policy)?),
            ("residents", Some(persons)) => Import::Residents(csv::read_residents(first, persons)?),
            ("resumption", Some(reports)) => {
                Import::Resumption(csv::read_resumption(first, reports)?)
            }
            _ => return Err(unknown(kind, second.is_some())),
        })
    }

    /// Read records of `kind` from frames, as [`Import::read_csv`] reads files.
    ///
    /// # Errors
    /// [`Error::Frame`] naming the first bad cell; as [`Import::read_csv`].
    pub fn read_frames(
        kind: &str,
        first: &Frame,
        second: Option<&Frame>,
        policy: &Policy,
    ) -> Result<Import> {
        Ok(match (kind, second) {
            ("visits", None) => Import::Visits(csv::read_visits_frame(first, policy)?),
            ("cases", None) => Import::Cases(csv::read_cases_frame(first, policy)?),
            ("interviews", None) => Import::Interviews(csv::read_interviews_frame(first, policy)?),
            ("residents", Some(persons)) => {
                Import::Residents(csv::read_residents_frames(first, persons)?)
            }
            ("resumption", Some(reports)) => {
                Import::Resumption(csv::read_resumption_frames(first, reports)?)
            }
            _ => return Err(unknown(kind, second.is_some())),
        })
    }

    /// The commands, in the order to execute them.
    ///
    /// ```
    /// use precinct::{read_residents, Command, Import};
    /// let households = "household_id,village,group,address,landlord_id\nH1,East,1,1 Road,\nH2,East,1,2 Road,P1\n";
    /// let persons = "person_id,name,id_number,household_id\nP1,王秀英,11010519491231002X,H1\n";
    /// let r = read_residents(households.as_bytes(), persons.as_bytes()).unwrap();
    /// let commands = Import::Residents(r).commands();
    /// assert_eq!(commands.len(), 4);
    /// assert!(matches!(commands[3], Command::SetLandlord { .. }));
    /// ```
    pub fn commands(&self) -> Vec<Command> {
        match self {
            Import::Visits(visits) => vec![Command::RecordVisits {
                visits: visits.iter().collect(),
            }],
            Import::Cases(cases) => cases
                .iter()
                .map(|case| Command::ConfirmCase { case: case.clone() })
                .collect(),
            Import::Interviews(contacts) => contacts
                .iter()
                .map(|contact| Command::RecordInterviewContact {
                    contact: contact.clone(),
                })
                .collect(),
            Import::Residents(r) => {
                let households = r.households().map(|h| Command::AddHousehold {
                    household: Household {
                        landlord: None,
                        ..h.clone()
                    },
                });
                let persons = r
                    .persons()
                    .map(|p| Command::RegisterPerson { person: p.clone() });
                let landlords = r.households().filter_map(|h| {
                    h.landlord.as_ref().map(|l| Command::SetLandlord {
                        household: h.id.clone(),
                        landlord: l.clone(),
                    })
                });
                households.chain(persons).chain(landlords).collect()
            }
            Import::Resumption(r) => {
                let enterprises = r.enterprises().map(|e| Command::AddEnterprise {
                    enterprise: e.clone(),
                });
                let reports = r
                    .reports()
                    .map(|s| Command::FileEnterpriseReport { report: s.clone() });
                enterprises.chain(reports).collect()
            }
        }
    }
}

/// The error of a kind not known, or given the wrong number of sources.
fn unknown(kind: &str, two: bool) -> Error {
    let sources = if two { "two sources" } else { "one source" };
    Error::invalid_value(
        "import",
        format!("`{kind}` with {sources}"),
        "visits, cases or interviews from one source; residents (households, persons) or resumption (enterprises, reports) from two",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_its_sources_and_no_other_count() {
        let p = Policy::default();
        let cases = b"case_id,person_id,onset,confirmed,infected_by\nC1,P1,,2020-01-26,\n";
        let read = Import::read_csv("cases", cases, None, &p).unwrap();
        assert!(matches!(read, Import::Cases(ref c) if c.len() == 1));
        assert_eq!(read.commands().len(), 1);
        for (kind, second) in [
            ("cases", Some(&cases[..])),
            ("residents", None),
            ("visitors", None),
        ] {
            let e = Import::read_csv(kind, cases, second, &p).unwrap_err();
            assert_eq!(e.code(), "invalid_value", "{kind}: {e}");
            assert!(e.to_string().contains(kind), "{e}");
        }
        let visits =
            b"person_id,place_id,start,end\na,m,1579914000,1579917600\nb,m,1579914000,1579917600\n";
        let commands = Import::read_csv("visits", visits, None, &p)
            .unwrap()
            .commands();
        assert!(matches!(&commands[..], [Command::RecordVisits { visits }] if visits.len() == 2));
    }
}
