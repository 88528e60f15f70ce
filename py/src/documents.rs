//! Identity documents, masking, pseudonyms and the policy presets.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::answer;
use crate::errors::{ok, to_py_err};

/// The policy preset `name` as a dict (source, effective date, rules).
#[pyfunction]
pub fn policy<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let policy = ok(precinct::Policy::preset(name))?;
    answer(py, &policy, policy.zone())
}

/// The names of the policy presets.
#[pyfunction]
pub fn preset_names() -> Vec<&'static str> {
    precinct::PRESET_NAMES.to_vec()
}

/// Check an identity document of `kind` (`resident_id`, `passport_mrz`,
/// `credit_code`, `mobile`); returns its canonical form.
#[pyfunction]
pub fn validate_document(kind: &str, text: &str) -> PyResult<String> {
    ok(precinct::validate_document(kind, text))
}

/// Check one field of a form as it is typed (`kind`: `person_name`,
/// `nationality`, `passport_number`, `address`, `scope`, or a document kind
/// of `validate_document`), with the words the command gives on submit;
/// returns the value as the book keeps it.
#[pyfunction]
pub fn validate_field(kind: &str, text: &str) -> PyResult<String> {
    ok(precinct::validate_field(kind, text))
}

/// What a resident id number says: birth date, sex, region code.
#[pyfunction]
pub fn resident_id<'py>(py: Python<'py>, number: &str) -> PyResult<Bound<'py, PyDict>> {
    let id = precinct::ResidentId::parse(number).map_err(|e| to_py_err(&precinct::Error::Id(e)))?;
    let d = PyDict::new(py);
    d.set_item("number", id.as_str())?;
    d.set_item("birth_date", id.birth_date())?;
    d.set_item("sex", answer(py, &id.sex(), precinct::Zone::UTC)?)?;
    d.set_item("region", id.region_code())?;
    Ok(d)
}

/// An identity number masked for display.
#[pyfunction]
pub fn mask_id_number(number: &str) -> String {
    precinct::mask_id_number(number)
}

/// A mobile number masked for display.
#[pyfunction]
pub fn mask_phone(phone: &str) -> String {
    precinct::mask_phone(phone)
}

/// A name masked for display.
#[pyfunction]
pub fn mask_name(name: &str) -> String {
    precinct::mask_name(name)
}

/// A keyed pseudonym (HMAC-SHA-256) of `value`.
#[pyfunction]
pub fn pseudonym(key: &[u8], value: &str) -> String {
    precinct::pseudonym(key, value)
}

/// Everything the facade offers as `(on, name)` pairs: `on` is `Book`,
/// `Visits`, `StationKey` or `module` (queries are in `query_names()`).
#[pyfunction]
pub fn facade() -> Vec<(&'static str, &'static str)> {
    precinct::FACADE.iter().map(|m| (m.on, m.name)).collect()
}

/// The name of every query of the record book (each a `Book` method).
#[pyfunction]
pub fn query_names() -> Vec<&'static str> {
    precinct::Query::NAMES.to_vec()
}
