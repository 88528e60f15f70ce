//! The interchange files (CSV readers and writers) and the transmission
//! chains of a list of cases.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use precinct::{Import, Policy};

use crate::convert::{answer, policy as read_policy, read, tables};
use crate::errors::{invalid, ok};
use crate::frame;

/// A frame's columns as `(interchange name, frame column)` pairs, or
/// `None` for the interchange names.
type Columns = Option<Vec<(String, String)>>;

/// The cells of `source` (a frame) as the file `file`: `columns` pairs
/// each interchange name with the frame's column, the names themselves
/// when none are given.
fn cells(file: &str, source: &Bound<'_, PyAny>, columns: Columns) -> PyResult<precinct::Frame> {
    let Some(interchange) = precinct::INTERCHANGE_FILES.iter().find(|f| f.key == file) else {
        return Err(invalid(
            "kind",
            file,
            "visits, cases, interviews, residents or resumption",
        ));
    };
    let (label, names) = (interchange.frame, interchange.columns);
    let mut pairs: Vec<(String, String)> = names
        .iter()
        .map(|n| ((*n).to_string(), (*n).to_string()))
        .collect();
    // The columns named are read from the frame's columns given.
    for (name, column) in columns.unwrap_or_default() {
        let Some(pair) = pairs.iter_mut().find(|(n, _)| *n == name) else {
            return Err(invalid(&format!("{file} columns"), name, &names.join(", ")));
        };
        pair.1 = column;
    }
    frame::read(label, source, &pairs)
}

/// CSV text, or `None` for a frame.
fn text(source: &Bound<'_, PyAny>) -> Option<String> {
    source.extract::<String>().ok()
}

/// Records of the kind `kind` (`visits`, `cases`, `interviews`,
/// `residents` with `other` the persons, `resumption` with `other` the
/// reports), from CSV text or frames, read strictly by the core.
pub fn import(
    kind: &str,
    source: &Bound<'_, PyAny>,
    other: Option<&Bound<'_, PyAny>>,
    policy: &Policy,
    columns: Columns,
    other_columns: Columns,
) -> PyResult<Import> {
    if let Some(first) = text(source) {
        let second = other
            .map(|o| {
                text(o)
                    .ok_or_else(|| invalid(kind, o.get_type(), "CSV text, as the first source is"))
            })
            .transpose()?;
        return ok(Import::read_csv(
            kind,
            first.as_bytes(),
            second.as_deref().map(str::as_bytes),
            policy,
        ));
    }
    let (first_file, second_file) = match kind {
        "residents" => ("households", "persons"),
        "resumption" => ("enterprises", "reports"),
        one => (one, one),
    };
    let first = cells(first_file, source, columns)?;
    let second = other
        .map(|o| cells(second_file, o, other_columns))
        .transpose()?;
    ok(Import::read_frames(kind, &first, second.as_ref(), policy))
}

/// The error of records read as another kind than asked (never met: each
/// kind is read as itself).
fn not_read_as(kind: &str) -> PyErr {
    invalid(kind, "other records", kind)
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
    match import("cases", source, None, &policy, columns, None)? {
        Import::Cases(cases) => answer(py, &cases, policy.zone()),
        _ => Err(not_read_as("cases")),
    }
}

/// Read contacts named in interviews (`case_id,person_id,at,note`) from
/// CSV text or a frame into contact dicts.
#[pyfunction]
#[pyo3(signature = (source, *, policy = None, columns = None))]
pub fn read_interviews<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
    columns: Option<Vec<(String, String)>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = read_policy(policy)?;
    match import("interviews", source, None, &policy, columns, None)? {
        Import::Interviews(contacts) => answer(py, &contacts, policy.zone()),
        _ => Err(not_read_as("interviews")),
    }
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
    crate::convert::text(out)
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
    let report = {
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
            let frame = frame::read("line list frame", cases, &wanted)?;
            ok(precinct::read_line_list_frame(&frame, &names, &policy))?
        };
        if let Some(contacts) = contacts {
            if let Ok(text) = contacts.extract::<String>() {
                ok(list.add_contacts(text.as_bytes(), &names))?;
            } else {
                let wanted =
                    [own(&Some(names.from.clone())), own(&Some(names.to.clone()))].concat();
                ok(list.add_contacts_frame(
                    &frame::read("contacts frame", contacts, &wanted)?,
                    &names,
                ))?;
            }
        }
        py.detach(|| list.chains(&policy))
    };
    tables(
        py,
        &ok(precinct::to_value(&report))?,
        zone,
        precinct::ChainReport::TABLE_COLUMNS,
    )
}

/// Read households and persons CSVs or frames: `{"households": [...], "persons": [...]}`.
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
    let policy = read_policy(policy)?;
    let zone = policy.zone();
    let Import::Residents(r) = import(
        "residents",
        households,
        Some(persons),
        &policy,
        household_columns,
        person_columns,
    )?
    else {
        return Err(not_read_as("residents"));
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

/// Read enterprises and resumption reports CSVs or frames: `{"enterprises": [...], "reports": [...]}`.
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
    let policy = read_policy(policy)?;
    let zone = policy.zone();
    let Import::Resumption(r) = import(
        "resumption",
        enterprises,
        Some(reports),
        &policy,
        enterprise_columns,
        report_columns,
    )?
    else {
        return Err(not_read_as("resumption"));
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
