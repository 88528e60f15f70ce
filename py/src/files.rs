//! The interchange files (CSV readers and writers) and the transmission
//! chains of a list of cases.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{answer, policy as read_policy, read, text};
use crate::errors::ok;

/// Read a cases CSV (`case_id,person_id,onset,confirmed,infected_by`) into case dicts.
#[pyfunction]
#[pyo3(signature = (text, *, policy = None))]
pub fn read_cases<'py>(
    py: Python<'py>,
    text: &str,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = read_policy(policy)?;
    answer(
        py,
        &ok(precinct::read_cases(text.as_bytes(), &policy))?,
        policy.zone(),
    )
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

/// Transmission chains of case dicts (as `read_cases` gives them):
/// clusters, generations, longest chain, secondary cases, serial intervals
/// and data problems.
#[pyfunction]
#[pyo3(signature = (cases, *, policy = None))]
pub fn chains<'py>(
    py: Python<'py>,
    cases: &Bound<'py, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let zone = read_policy(policy)?.zone();
    let cases: Vec<precinct::Case> = read("cases", cases, zone)?;
    answer(py, &py.detach(|| precinct::chains(&cases, zone)), zone)
}

/// Read households and persons CSVs: `{"households": [...], "persons": [...]}`.
#[pyfunction]
#[pyo3(signature = (households, persons, *, policy = None))]
pub fn read_residents<'py>(
    py: Python<'py>,
    households: &str,
    persons: &str,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let zone = read_policy(policy)?.zone();
    let r = ok(precinct::read_residents(
        households.as_bytes(),
        persons.as_bytes(),
    ))?;
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
#[pyo3(signature = (enterprises, reports, *, policy = None))]
pub fn read_resumption<'py>(
    py: Python<'py>,
    enterprises: &str,
    reports: &str,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let zone = read_policy(policy)?.zone();
    let r = ok(precinct::read_resumption(
        enterprises.as_bytes(),
        reports.as_bytes(),
    ))?;
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
