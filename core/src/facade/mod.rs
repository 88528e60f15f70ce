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
mod queries;
mod value;
mod visits;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::time::{read_in_zone, Zone};

pub use catalogue::{FacadeMethod, FACADE, NEEDS_FILES};
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
    serde_path_to_error::deserialize(json).map_err(|e| input_error(what, json, &e))
}

/// The error of a JSON input that does not read: which field, what was
/// there, and serde's (or the core's) expectation.
fn input_error(
    what: &str,
    json: &serde_json::Value,
    e: &serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    let message = e.inner().to_string();
    // Drop serde's position suffix (" at line 1 column 5"): there is no text.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    let mut path: Vec<String> = e
        .path()
        .iter()
        .map(ToString::to_string)
        .filter(|s| s != "?")
        .collect();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'));
    if path.is_empty() && missing.is_none() {
        // Serde buffers an internally tagged enum (a command's `type`)
        // before reading its variant, so the path stops there; the value the
        // message quotes, found once in the input, shows the field.
        path = quoted(&message)
            .and_then(|v| only_path_of(json, v))
            .unwrap_or_default();
    }
    if let Some(name) = missing {
        path.push(name.to_string());
    }
    let field = if path.is_empty() {
        what.to_string()
    } else {
        format!("{what}, field `{}`", path.join("."))
    };
    let value = if missing.is_some() {
        "(missing)".to_string()
    } else {
        path.iter()
            .try_fold(json, |at, key| match at {
                serde_json::Value::Array(items) => {
                    key.parse().ok().and_then(|i: usize| items.get(i))
                }
                other => other.get(key),
            })
            .or_else(|| lookup(json, e.path()))
            .map_or_else(
                || "(missing)".to_string(),
                |v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                },
            )
    };
    let expected = match message.rsplit_once(", expected ") {
        Some((_, expected)) => expected.to_string(),
        None if missing.is_some() => "a value".to_string(),
        None => message,
    };
    Error::InvalidValue {
        field,
        value,
        expected,
    }
}

/// The first text a message quotes in backticks.
fn quoted(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    rest.split_once('`').map(|(v, _)| v)
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

/// The value at `path` in `json`, when there is one.
fn lookup<'a>(
    json: &'a serde_json::Value,
    path: &serde_path_to_error::Path,
) -> Option<&'a serde_json::Value> {
    use serde_path_to_error::Segment;
    path.iter().try_fold(json, |at, segment| match segment {
        Segment::Seq { index } => at.get(*index),
        Segment::Map { key } => at.get(key),
        Segment::Enum { .. } | Segment::Unknown => Some(at),
    })
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
