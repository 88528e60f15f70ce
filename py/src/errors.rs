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

/// One exception class per error kind, each listed once: its name, the
/// core's `code` it stands for, and its docstring.
macro_rules! kinds {
    ($($class:ident $code:literal $doc:literal,)*) => {
        $(create_exception!(precinct, $class, PrecinctError, $doc);)*

        /// The exception of the core's error `code`, with `message`.
        fn exception(code: &str, message: String) -> PyErr {
            match code {
                // A frame's bad cell is a data import error, as a CSV row's is.
                "frame" => DataImportError::new_err(message),
                $($code => $class::new_err(message),)*
                _ => PrecinctError::new_err(message),
            }
        }

        /// Register the exception classes.
        pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = m.py();
            m.add("PrecinctError", py.get_type::<PrecinctError>())?;
            $(m.add(stringify!($class), py.get_type::<$class>())?;)*
            Ok(())
        }
    };
}

kinds! {
    InvalidIdentityDocument "invalid_identity_document" "An identity document failed its checks.",
    InvalidValue "invalid_value" "A value is out of range or malformed: `field`, `value`, `expected`.",
    DuplicateRecord "duplicate" "A record with the same key exists (a person, a case ...).",
    RecordNotFound "not_found" "A referenced record does not exist.",
    InvalidTransition "invalid_transition" "A state change is not allowed from the current state.",
    NotEligible "not_eligible" "A person or enterprise does not qualify (for a pass ...).",
    ImplausibleRecord "implausible" "A report cannot be true.",
    DataImportError "csv" "A row of an imported CSV file, or a cell of a frame (code `frame`), is bad: `file`, `line` or `row` (from 0), `column`, `reason`.",
    JournalDamaged "journal_damaged" "A journal was altered or cut: `seq` is where its chain breaks.",
    DeviceChainDamaged "device_chain_damaged" "A device's events sent to a merge were altered, cut or rewritten: `device` and `seq` say where its chain breaks.",
    JournalLocked "journal_locked" "Another writer holds the journal.",
    TooLarge "too_large" "A query's answer would need more memory than its budget: `needed`, `budget` in bytes.",
    StorageError "io" "Reading or writing a file failed.",
}

/// A core error as the Python exception of its kind.
pub fn to_py_err(e: &Error) -> PyErr {
    let message = e.to_string();
    let py_err = exception(e.code(), message);
    let set = Python::attach(|py| -> PyResult<()> {
        let value = py_err.value(py);
        value.setattr("code", e.code())?;
        for (name, field) in e.fields() {
            // Fields are text and counts; no zone is involved.
            value.setattr(name, crate::convert::to_py(py, &field, Zone::UTC)?)?;
        }
        // A data import error has both places: a file's `line`, a frame's `row`.
        if matches!(e.code(), "csv" | "frame") {
            for name in ["line", "row"] {
                if !value.hasattr(name)? {
                    value.setattr(name, py.None())?;
                }
            }
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
