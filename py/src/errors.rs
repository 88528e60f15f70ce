//! The core's error as a Python exception, mapped in one place: the class
//! follows the error's `code`, and the exception carries `code` plus every
//! field of [`Error::fields`] as attributes.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use precinct::{Error, Zone};

create_exception!(
    precinct,
    PrecinctError,
    PyValueError,
    "Root of every precinct error; `code` names the kind, as in the other languages."
);
create_exception!(
    precinct,
    InvalidIdentityDocument,
    PrecinctError,
    "An identity document failed its checks."
);
create_exception!(
    precinct,
    InvalidValue,
    PrecinctError,
    "A value is out of range or malformed: `field`, `value`, `expected`."
);
create_exception!(
    precinct,
    DuplicateRecord,
    PrecinctError,
    "A record with the same key exists (a person, a case ...)."
);
create_exception!(
    precinct,
    RecordNotFound,
    PrecinctError,
    "A referenced record does not exist."
);
create_exception!(
    precinct,
    InvalidTransition,
    PrecinctError,
    "A state change is not allowed from the current state."
);
create_exception!(
    precinct,
    NotEligible,
    PrecinctError,
    "A person or enterprise does not qualify (for a pass ...)."
);
create_exception!(
    precinct,
    ImplausibleRecord,
    PrecinctError,
    "A report cannot be true."
);
create_exception!(
    precinct,
    DataImportError,
    PrecinctError,
    "A row of an imported CSV file is bad: `file`, `line`, `column`."
);
create_exception!(
    precinct,
    JournalDamaged,
    PrecinctError,
    "A journal was altered or cut: `seq` is where its chain breaks."
);
create_exception!(
    precinct,
    JournalLocked,
    PrecinctError,
    "Another writer holds the journal."
);
create_exception!(
    precinct,
    TooLarge,
    PrecinctError,
    "A query's answer would need more memory than its budget: `needed`, `budget` in bytes."
);
create_exception!(
    precinct,
    StorageError,
    PrecinctError,
    "Reading or writing a file failed."
);

/// A core error as the Python exception of its kind.
pub fn to_py_err(e: &Error) -> PyErr {
    let message = e.to_string();
    let py_err = match e.code() {
        "invalid_identity_document" => InvalidIdentityDocument::new_err(message),
        "invalid_value" => InvalidValue::new_err(message),
        "duplicate" => DuplicateRecord::new_err(message),
        "not_found" => RecordNotFound::new_err(message),
        "invalid_transition" => InvalidTransition::new_err(message),
        "not_eligible" => NotEligible::new_err(message),
        "implausible" => ImplausibleRecord::new_err(message),
        "csv" => DataImportError::new_err(message),
        "journal_damaged" => JournalDamaged::new_err(message),
        "journal_locked" => JournalLocked::new_err(message),
        "too_large" => TooLarge::new_err(message),
        "io" => StorageError::new_err(message),
        _ => PrecinctError::new_err(message),
    };
    let set = Python::attach(|py| -> PyResult<()> {
        let value = py_err.value(py);
        value.setattr("code", e.code())?;
        for (name, field) in e.fields() {
            // Fields are text and counts; no zone is involved.
            value.setattr(name, crate::convert::to_py(py, &field, Zone::UTC)?)?;
        }
        Ok(())
    });
    match set {
        Ok(()) => py_err,
        Err(failed) => failed,
    }
}

/// The core's result as Python's.
pub fn ok<T>(r: precinct::Result<T>) -> PyResult<T> {
    r.map_err(|e| to_py_err(&e))
}

/// An argument the binding itself refuses, as the core's `InvalidValue`.
pub fn invalid(field: &str, value: impl ToString, expected: &str) -> PyErr {
    to_py_err(&Error::invalid_value(field, value.to_string(), expected))
}

/// Register the exception classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("PrecinctError", py.get_type::<PrecinctError>())?;
    m.add(
        "InvalidIdentityDocument",
        py.get_type::<InvalidIdentityDocument>(),
    )?;
    m.add("InvalidValue", py.get_type::<InvalidValue>())?;
    m.add("DuplicateRecord", py.get_type::<DuplicateRecord>())?;
    m.add("RecordNotFound", py.get_type::<RecordNotFound>())?;
    m.add("InvalidTransition", py.get_type::<InvalidTransition>())?;
    m.add("NotEligible", py.get_type::<NotEligible>())?;
    m.add("ImplausibleRecord", py.get_type::<ImplausibleRecord>())?;
    m.add("DataImportError", py.get_type::<DataImportError>())?;
    m.add("JournalDamaged", py.get_type::<JournalDamaged>())?;
    m.add("JournalLocked", py.get_type::<JournalLocked>())?;
    m.add("StorageError", py.get_type::<StorageError>())?;
    m.add("TooLarge", py.get_type::<TooLarge>())?;
    Ok(())
}
