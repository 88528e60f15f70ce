//! The core's errors as thrown JS `Error`s: `name` is the kind (the same
//! class names as the Python layer), `code` the core's stable code, and each
//! of [`Error::fields`] a property of its own (`field`, `value`, `expected`
//! of an invalid value; `file`, `line`, `column` of a bad CSV row ...).

use precinct::{Error, Zone};
use wasm_bindgen::JsValue;

/// The JS `name` of each error code, as the Python exception classes are
/// named; an unknown code (a kind added later) is a `PrecinctError`.
const NAMES: &[(&str, &str)] = &[
    ("invalid_identity_document", "InvalidIdentityDocument"),
    ("invalid_value", "InvalidValue"),
    ("duplicate", "DuplicateRecord"),
    ("not_found", "RecordNotFound"),
    ("invalid_transition", "InvalidTransition"),
    ("not_eligible", "NotEligible"),
    ("implausible", "ImplausibleRecord"),
    ("csv", "DataImportError"),
    ("frame", "DataImportError"),
    ("journal_damaged", "JournalDamaged"),
    ("device_chain_damaged", "DeviceChainDamaged"),
    ("journal_locked", "JournalLocked"),
    ("too_large", "TooLarge"),
    ("io", "StorageError"),
];

/// A core error as a JS `Error` with `name`, `code` and its fields.
pub(crate) fn js_err(e: &Error) -> JsValue {
    let name = NAMES
        .iter()
        .find(|(code, _)| *code == e.code())
        .map_or("PrecinctError", |(_, name)| name);
    let error = js_sys::Error::new(&e.to_string());
    error.set_name(name);
    let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&error, &key.into(), value);
    // Setting a property of a fresh Error cannot fail.
    let _ = set("code", &e.code().into());
    for (key, value) in e.fields() {
        // Error fields are text and counts: no zone is needed to show them.
        let value = crate::convert::json_to_js(&value.to_json(Zone::UTC)).unwrap_or_default();
        let _ = set(key, &value);
    }
    error.into()
}

/// The binding's own argument error: `field` was `value`, `expected` fits.
pub(crate) fn invalid(field: &str, value: impl ToString, expected: &str) -> JsValue {
    js_err(&Error::invalid_value(field, value, expected))
}

/// A core result with its error thrown as the JS `Error` of its kind.
pub(crate) fn ok<T>(r: precinct::Result<T>) -> Result<T, JsValue> {
    r.map_err(|e| js_err(&e))
}
