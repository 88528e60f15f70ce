//! The facade the Python and JavaScript layers call: every command (through
//! [`Book::execute`](crate::Book::execute)) and every query of the record
//! book, with typed requests read from JSON and typed answers handed back
//! as a [`Value`] that keeps times and dates apart from text.
//!
//! The facade owns the choices a binding would otherwise make: the policy's
//! zone for naive times, the minimum overlap of a trace, the registries a
//! listing shows. A binding converts values of its language to JSON and a
//! [`Value`] back, and maps an [`Error`] by its [`code`](Error::code).

mod catalogue;
pub(crate) mod fields;
mod queries;
mod value;
mod visits;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::time::{read_in_zone, Zone};

pub use catalogue::{FacadeMethod, FACADE, NEEDS_FILES};
pub use fields::{validate_field, FIELD_KINDS};
pub use queries::{Query, Records};
pub use value::{to_value, Value};
pub use visits::{DayGraphRequest, TraceRequest};

/// Read `json` as a `T`, naive times in it as local times in `zone`.
///
/// ```
/// let json = serde_json::json!({"query": "returnees", "as_of": "2020-02-01 12:00"});
/// let q: precinct::Query = precinct::read_input("query", &json, precinct::Zone::SHANGHAI).unwrap();
/// assert_eq!(q.name(), "returnees");
/// ```
///
/// # Errors
/// [`Error::InvalidValue`] naming `what`, the field (a path like
/// `person.document.number`), the value given and what was expected.
pub fn read_input<T: DeserializeOwned>(
    what: &str,
    json: &serde_json::Value,
    zone: Zone,
) -> Result<T> {
    read_in_zone(zone, || read_json(what, json))
}

/// Read `json` as a `T`; an error names the field that does not read.
pub(crate) fn read_json<T: DeserializeOwned>(what: &str, json: &serde_json::Value) -> Result<T> {
    T::deserialize(json).map_err(|e| input_error(what, json, &e))
}

/// Read `json` as a `T` and refuse a field of it that `T` does not have
/// (one serde would drop silently: a misspelling), found by writing the
/// value back and comparing.
pub(crate) fn read_exact<T: DeserializeOwned + serde::Serialize>(
    what: &str,
    json: &serde_json::Value,
) -> Result<T> {
    let value: T = read_json(what, json)?;
    let written = serde_json::to_value(&value).unwrap_or_default();
    match unknown_field(json, &written) {
        None => Ok(value),
        Some(path) => Err(Error::invalid(
            format!("{what}, field `{}`", path.join(".")),
            "(not a field of it)",
            "only its own fields; is it misspelled?",
        )),
    }
}

/// The error of a JSON input that does not read: which field, what was
/// there, and serde's (or the core's) expectation.
///
/// Serde reports no path inside an internally tagged enum (a command's
/// `type`, a query's `query`: it buffers the fields before it knows the
/// variant), so the field is found from the message: the field it names
/// (missing, unknown), or the one place in the input holding the value it
/// quotes.
fn input_error(what: &str, json: &serde_json::Value, e: &serde_json::Error) -> Error {
    let message = e.to_string();
    // Drop serde's position suffix (" at line 1 column 5"): there is no text.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string)
    };
    let (path, value) = if let Some(field) = named("missing field `") {
        (vec![field], "(missing)".to_string())
    } else if let Some(field) = named("unknown field `") {
        (vec![field], "(not a field of it)".to_string())
    } else {
        let path = quoted(&message)
            .and_then(|v| only_path_of(json, v))
            .unwrap_or_default();
        let value = path
            .iter()
            .try_fold(json, |at, key| match at {
                serde_json::Value::Array(items) => {
                    key.parse().ok().and_then(|i: usize| items.get(i))
                }
                other => other.get(key),
            })
            .map_or_else(
                || json.to_string(),
                |v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                },
            );
        (path, value)
    };
    let field = if path.is_empty() {
        what.to_string()
    } else {
        format!("{what}, field `{}`", path.join("."))
    };
    let expected = match message.rsplit_once(", expected ") {
        Some((_, expected)) => plain_words(expected),
        None if value == "(missing)" => "a value".to_string(),
        None => message,
    };
    Error::InvalidValue {
        field,
        value,
        expected,
    }
}

/// The path of a field of `given` that the value as read and written back
/// (`written`) does not have: a field serde would drop silently. A `null` given for a field written only when set is not one.
fn unknown_field(given: &serde_json::Value, written: &serde_json::Value) -> Option<Vec<String>> {
    use serde_json::Value;
    match (given, written) {
        (Value::Object(g), Value::Object(w)) => g.iter().find_map(|(k, v)| match w.get(k) {
            None if v.is_null() => None,
            None => Some(vec![k.clone()]),
            Some(wv) => unknown_field(v, wv).map(|mut p| {
                p.insert(0, k.clone());
                p
            }),
        }),
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            g.iter().zip(w).enumerate().find_map(|(i, (gv, wv))| {
                unknown_field(gv, wv).map(|mut p| {
                    p.insert(0, i.to_string());
                    p
                })
            })
        }
        _ => None,
    }
}

/// Serde's names of Rust types in an expectation, in the words of a caller
/// of any language.
fn plain_words(expected: &str) -> String {
    match expected {
        "internally tagged enum Command" => "a command: an object with its `type`".to_string(),
        "internally tagged enum Query" => "a query: an object with its `query`".to_string(),
        "variant identifier" => "the name of a command or query".to_string(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number, not negative".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        other => match other.strip_prefix("struct ") {
            Some(_) => "an object".to_string(),
            None => other.to_string(),
        },
    }
}

/// The first value a message quotes: in backticks, or serde's
/// `string "..."` of an unexpected text.
fn quoted(message: &str) -> Option<&str> {
    let backticked = message
        .split_once('`')
        .and_then(|(_, rest)| rest.split_once('`'));
    let text = message
        .split_once("string \"")
        .and_then(|(_, rest)| rest.rsplit_once('"'));
    match (backticked, text) {
        (Some((b, _)), Some((t, _))) => {
            // Whichever the message quotes first.
            if message.find('`') < message.find("string \"") {
                Some(b)
            } else {
                Some(t)
            }
        }
        (Some((b, _)), None) => Some(b),
        (None, Some((t, _))) => Some(t),
        (None, None) => None,
    }
}

/// The path of the one leaf of `json` written `text`, when exactly one is.
fn only_path_of(json: &serde_json::Value, text: &str) -> Option<Vec<String>> {
    fn walk(v: &serde_json::Value, text: &str, at: &mut Vec<String>, found: &mut Vec<Vec<String>>) {
        match v {
            serde_json::Value::Object(fields) => {
                for (k, child) in fields {
                    at.push(k.clone());
                    walk(child, text, at, found);
                    at.pop();
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(i.to_string());
                    walk(child, text, at, found);
                    at.pop();
                }
            }
            serde_json::Value::String(s) if s == text => found.push(at.clone()),
            serde_json::Value::Number(n) if n.to_string() == text => found.push(at.clone()),
            serde_json::Value::Bool(b) if b.to_string() == text => found.push(at.clone()),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(json, text, &mut Vec::new(), &mut found);
    (found.len() == 1).then(|| found.remove(0))
}

#[cfg(test)]
mod tests {
    use crate::{Command, Error, Zone};

    #[test]
    fn a_bad_time_in_a_command_names_its_field() {
        let json = serde_json::json!({"type": "extend_order", "order": "O1", "exposure": "2020-01-31 25:00"});
        let Err(Error::InvalidValue { field, value, .. }) =
            Command::from_json_in(&json, Zone::SHANGHAI)
        else {
            panic!("not an invalid value");
        };
        assert_eq!(field, "command `extend_order`, field `exposure`");
        assert_eq!(value, "2020-01-31 25:00");
    }
}
