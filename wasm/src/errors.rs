//! Core errors as thrown JS `Error`s whose `name` and `code` say the kind.

use precinct::Error;
use wasm_bindgen::JsValue;

/// A core error as a JS `Error` with `name` and `code` (and `seq` for damage).
pub(crate) fn js_err(e: &Error) -> JsValue {
    let name = match e {
        Error::Id(_) => "InvalidIdentityDocument",
        Error::InvalidValue { .. } => "InvalidValue",
        Error::Duplicate { .. } => "DuplicateRecord",
        Error::NotFound { .. } => "RecordNotFound",
        Error::InvalidTransition { .. } => "InvalidTransition",
        Error::NotEligible { .. } => "NotEligible",
        Error::Implausible { .. } => "ImplausibleRecord",
        Error::Csv { .. } => "DataImportError",
        Error::JournalDamaged { .. } => "JournalDamaged",
        Error::JournalLocked { .. } => "JournalLocked",
        Error::Io { .. } => "StorageError",
        Error::TooLarge { .. } => "TooLarge",
        _ => "PrecinctError",
    };
    let error = js_sys::Error::new(&e.to_string());
    error.set_name(name);
    let set = |key: &str, value: JsValue| js_sys::Reflect::set(&error, &key.into(), &value);
    // Setting a property on a fresh Error cannot fail.
    let _ = set("code", e.code().into());
    if let Error::JournalDamaged { seq, .. } = e {
        let _ = set("seq", JsValue::from_f64(*seq as f64));
    }
    error.into()
}

/// An `InvalidValue` error: `what` was `value`, and `expected` says what fits.
pub(crate) fn invalid(what: &str, value: impl ToString, expected: impl Into<String>) -> JsValue {
    js_err(&Error::InvalidValue {
        field: what.into(),
        value: value.to_string(),
        expected: expected.into(),
    })
}

/// A core result with its error thrown as the JS `Error` of its kind.
pub(crate) fn ok<T>(r: precinct::Result<T>) -> Result<T, JsValue> {
    r.map_err(|e| js_err(&e))
}
