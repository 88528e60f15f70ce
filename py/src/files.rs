//! The interchange files (CSV readers and writers) and the transmission
//! chains of a list of cases.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{answer, policy as read_policy, read, tables, text};
use crate::errors::{invalid, ok};
use crate::frame;

/// Columns of a frame as the core reads them: `(interchange name, frame
/// column)` pairs; the interchange names themselves when none are given.
fn frame_columns(given: Option<Vec<(String, String)>>, names: &[&str]) -> Vec<(String, String)> {
    given.unwrap_or_else(|| {
        names
            .iter()
            .map(|n| ((*n).to_string(), (*n).to_string()))
            .collect()
    })
}

/// Read a cases CSV (`case_id,person_id,onset,confirmed,infected_by`), or a
/// frame with those columns (`columns` renames them), into case dicts.
#[pyfunction]
#[pyo3(signature = (source, *, policy = None, columns = None))]
pub fn read_cases<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
    columns: Option<Vec<(String, String)>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = read_policy(policy)?;
    let cases = if let Ok(text) = source.extract::<String>() {
        precinct::read_cases(text.as_bytes(), &policy)
    } else {
        let columns = frame_columns(
            columns,
            &["case_id", "person_id", "onset", "confirmed", "infected_by"],
        );
        precinct::read_cases_frame(&frame::read("cases", source, &columns)?, &policy)
    };
    answer(py, &ok(cases)?, policy.zone())
}

/// Write case dicts as a cases CSV.
#[pyfunction]
#[pyo3(signature = (cases, *, policy = None))]
pub fn write_cases(
    cases: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let policy = read_policy(policy)?;
    let cases: Vec<precinct::Case> = read("cases", cases, policy.zone())?;
    let mut out = Vec::new();
    ok(precinct::write_cases(&cases, &mut out, &policy))?;
    text(out)
}

/// Transmission chains: clusters, generations, longest chain, secondary
/// cases, serial intervals, data problems, and the per-case and links
/// tables (as `Table`s). `cases` is a list of case dicts (as `read_cases`
/// gives them), a line list's CSV text or a frame; `contacts` a contact
/// list's CSV text or frame; `columns` names the columns (`id`,
/// `infected_by`, `onset`, `confirmed`, `from`, `to`; `None` for a column
/// not read), `missing` the texts that mean "not known".
#[pyfunction]
#[pyo3(signature = (cases, *, policy = None, contacts = None, columns = None, missing = None))]
pub fn chains<'py>(
    py: Python<'py>,
    cases: &Bound<'py, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
    contacts: Option<&Bound<'py, PyAny>>,
    columns: Option<std::collections::HashMap<String, Option<String>>>,
    missing: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = read_policy(policy)?;
    let zone = policy.zone();
    let records = cases.is_instance_of::<pyo3::types::PyList>()
        || cases.is_instance_of::<pyo3::types::PyTuple>();
    let report = if records && contacts.is_none() && columns.is_none() {
        let cases: Vec<precinct::Case> = read("cases", cases, zone)?;
        py.detach(|| precinct::chains(&cases, zone))
    } else {
        let mut names = precinct::LineListColumns::default();
        if let Some(missing) = missing {
            names.missing = missing;
        }
        for (key, value) in columns.unwrap_or_default() {
            match (key.as_str(), value) {
                ("id", Some(v)) => names.id = v,
                ("infected_by", v) => names.infected_by = v,
                ("onset", v) => names.onset = v,
                ("confirmed", v) => names.confirmed = v,
                ("from", Some(v)) => names.from = v,
                ("to", Some(v)) => names.to = v,
                (other, _) => {
                    return Err(invalid(
                        "columns",
                        other,
                        "id, infected_by, onset, confirmed, from or to (id, from and to not None)",
                    ))
                }
            }
        }
        let own = |n: &Option<String>| n.iter().map(|n| (n.clone(), n.clone())).collect::<Vec<_>>();
        let mut list = if let Ok(text) = cases.extract::<String>() {
            ok(precinct::read_line_list(text.as_bytes(), &names, &policy))?
        } else {
            let mut wanted = own(&Some(names.id.clone()));
            for c in [&names.infected_by, &names.onset, &names.confirmed] {
                wanted.extend(own(c));
            }
            let frame = frame::read("cases", cases, &wanted)?;
            ok(precinct::read_line_list_frame(&frame, &names, &policy))?
        };
        if let Some(contacts) = contacts {
            if let Ok(text) = contacts.extract::<String>() {
                ok(list.add_contacts(text.as_bytes(), &names))?;
            } else {
                let wanted =
                    [own(&Some(names.from.clone())), own(&Some(names.to.clone()))].concat();
                ok(list.add_contacts_frame(&frame::read("contacts", contacts, &wanted)?, &names))?;
            }
        }
        py.detach(|| list.chains(&policy))
    };
    tables(py, &ok(precinct::to_value(&report))?, zone)
}

/// Read households and persons CSVs: `{"households": [...], "persons": [...]}`.
#[pyfunction]
#[pyo3(signature = (households, persons, *, policy = None, household_columns = None, person_columns = None))]
pub fn read_residents<'py>(
    py: Python<'py>,
    households: &Bound<'py, PyAny>,
    persons: &Bound<'py, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
    household_columns: Option<Vec<(String, String)>>,
    person_columns: Option<Vec<(String, String)>>,
) -> PyResult<Bound<'py, PyDict>> {
    let zone = read_policy(policy)?.zone();
    let r = if let (Ok(h), Ok(p)) = (households.extract::<String>(), persons.extract::<String>()) {
        ok(precinct::read_residents(h.as_bytes(), p.as_bytes()))?
    } else {
        let h = frame_columns(
            household_columns,
            &["household_id", "village", "group", "address", "landlord_id"],
        );
        let p = frame_columns(
            person_columns,
            &[
                "person_id",
                "name",
                "id_number",
                "household_id",
                "phone",
                "has_smartphone",
                "nationality",
            ],
        );
        ok(precinct::read_residents_frames(
            &frame::read("households", households, &h)?,
            &frame::read("persons", persons, &p)?,
        ))?
    };
    let d = PyDict::new(py);
    d.set_item(
        "households",
        answer(py, &r.households().collect::<Vec<_>>(), zone)?,
    )?;
    d.set_item(
        "persons",
        answer(py, &r.persons().collect::<Vec<_>>(), zone)?,
    )?;
    Ok(d)
}

/// Read enterprises and resumption reports CSVs: `{"enterprises": [...], "reports": [...]}`.
#[pyfunction]
#[pyo3(signature = (enterprises, reports, *, policy = None, enterprise_columns = None, report_columns = None))]
pub fn read_resumption<'py>(
    py: Python<'py>,
    enterprises: &Bound<'py, PyAny>,
    reports: &Bound<'py, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
    enterprise_columns: Option<Vec<(String, String)>>,
    report_columns: Option<Vec<(String, String)>>,
) -> PyResult<Bound<'py, PyDict>> {
    let zone = read_policy(policy)?.zone();
    let r = if let (Ok(e), Ok(s)) = (enterprises.extract::<String>(), reports.extract::<String>()) {
        ok(precinct::read_resumption(e.as_bytes(), s.as_bytes()))?
    } else {
        let e = frame_columns(
            enterprise_columns,
            &[
                "enterprise_id",
                "name",
                "village",
                "sector",
                "workforce",
                "credit_code",
                "above_scale",
            ],
        );
        let s = frame_columns(
            report_columns,
            &["enterprise_id", "date", "resumed", "workers_on_site"],
        );
        ok(precinct::read_resumption_frames(
            &frame::read("enterprises", enterprises, &e)?,
            &frame::read("reports", reports, &s)?,
        ))?
    };
    let d = PyDict::new(py);
    d.set_item(
        "enterprises",
        answer(py, &r.enterprises().collect::<Vec<_>>(), zone)?,
    )?;
    d.set_item(
        "reports",
        answer(py, &r.reports().collect::<Vec<_>>(), zone)?,
    )?;
    Ok(d)
}
