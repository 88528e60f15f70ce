//! Arguments from JavaScript, checked in one place. wasm-bindgen's own
//! conversions trap on a wrong type (`&str` given a number reads memory out
//! of bounds), throw untyped errors (`undefined` for an object) or coerce
//! (`1.9` as a serial becomes 1, `NaN` as a time becomes 1970), so every
//! argument arrives as a `JsValue` and goes through these helpers, which
//! throw `InvalidValue` for anything else. Range rules stay in the core.

use chrono::DateTime;
use precinct::{Instant, Zone};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use crate::errors::{invalid, ok};

/// The largest integer a JS number holds exactly (2^53 − 1).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// A JS value as a message shows it: numbers and strings as written, other
/// kinds by name (a symbol cannot even be turned into a string in JS).
fn shown(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        let mut short: String = text.chars().take(40).collect();
        if short.len() < text.len() {
            short.push('…');
        }
        return short;
    }
    if let Some(n) = value.as_f64() {
        return number(n);
    }
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if let Some(b) = value.as_bool() {
        b.to_string()
    } else if value.is_bigint() {
        "a BigInt".into()
    } else if value.is_symbol() {
        "a symbol".into()
    } else if value.is_function() {
        "a function".into()
    } else if js_sys::Array::is_array(value) {
        "an array".into()
    } else if value.is_instance_of::<js_sys::Date>() {
        "a Date".into()
    } else {
        "an object".into()
    }
}

fn number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        n.to_string()
    }
}

/// `value` unless it is `undefined` or `null` (an omitted optional argument).
pub(crate) fn given(value: &JsValue) -> Option<&JsValue> {
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

/// A string.
pub(crate) fn text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| invalid(what, shown(value), "a string"))
}

/// A string, or nothing for `undefined`/`null`.
pub(crate) fn optional_text(value: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    given(value).map(|v| text(v, what)).transpose()
}

/// A boolean, or `default` for `undefined`/`null`; no truthiness.
pub(crate) fn flag(value: &JsValue, what: &str, default: bool) -> Result<bool, JsValue> {
    given(value).map_or(Ok(default), |v| {
        v.as_bool()
            .ok_or_else(|| invalid(what, shown(v), "true or false"))
    })
}

/// A whole number a JS number holds exactly: finite, no fraction, at most
/// 2^53 − 1 either way. BigInts are refused too: the declared type is `number`.
pub(crate) fn integer(value: &JsValue, what: &str) -> Result<i64, JsValue> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE => Ok(n as i64),
        _ => Err(invalid(
            what,
            shown(value),
            format!("a whole number from -{MAX_SAFE} to {MAX_SAFE}"),
        )),
    }
}

/// An optional [`integer`].
pub(crate) fn optional_integer(value: &JsValue, what: &str) -> Result<Option<i64>, JsValue> {
    given(value).map(|v| integer(v, what)).transpose()
}

/// A serial number: a whole number from 0 to 2^53 − 1.
pub(crate) fn serial(value: &JsValue, what: &str) -> Result<u64, JsValue> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&n) => Ok(n as u64),
        _ => Err(invalid(
            what,
            shown(value),
            format!("a whole number from 0 to {MAX_SAFE}"),
        )),
    }
}

/// An optional [`serial`].
pub(crate) fn optional_serial(value: &JsValue, what: &str) -> Result<Option<u64>, JsValue> {
    given(value).map(|v| serial(v, what)).transpose()
}

/// An array, each item checked by `item` (named `what[i]` in errors).
fn list<T>(
    value: &JsValue,
    what: &str,
    item: fn(&JsValue, &str) -> Result<T, JsValue>,
) -> Result<Vec<T>, JsValue> {
    // A Float64Array is what the package returns for lists of serials.
    let items: Vec<JsValue> = if let Some(array) = value.dyn_ref::<js_sys::Array>() {
        array.iter().collect()
    } else if let Some(numbers) = value.dyn_ref::<js_sys::Float64Array>() {
        numbers
            .to_vec()
            .into_iter()
            .map(JsValue::from_f64)
            .collect()
    } else {
        return Err(invalid(what, shown(value), "an array"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| item(v, &format!("{what}[{i}]")))
        .collect()
}

/// An array of strings.
pub(crate) fn list_of_text(value: &JsValue, what: &str) -> Result<Vec<String>, JsValue> {
    list(value, what, text)
}

/// An array (or a `Float64Array`) of [`serial`]s.
pub(crate) fn list_of_serials(value: &JsValue, what: &str) -> Result<Vec<u64>, JsValue> {
    list(value, what, serial)
}

/// Bytes, from a `Uint8Array`.
pub(crate) fn bytes(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    value
        .dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
        .ok_or_else(|| invalid(what, shown(value), "a Uint8Array"))
}

/// A moment: a valid `Date`, an ISO 8601 string (a naive one in `zone`) or
/// whole Unix seconds; the core checks it lies in the years it can hold.
pub(crate) fn moment(value: &JsValue, what: &str, zone: Zone) -> Result<Instant, JsValue> {
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        // A valid Date holds whole milliseconds within ±8.64e15.
        let ms = date.get_time();
        let at = (ms.is_finite())
            .then(|| DateTime::from_timestamp_millis(ms as i64))
            .flatten()
            .ok_or_else(|| invalid(what, "Invalid Date", "a valid Date"))?;
        return ok(precinct::check_instant(what, at));
    }
    if let Some(text) = value.as_string() {
        let at = ok(precinct::parse_instant(&text, zone))?;
        return ok(precinct::check_instant(what, at));
    }
    if value.as_f64().is_some() {
        let seconds = integer(value, what)?;
        return ok(precinct::instant_from_unix(what, seconds));
    }
    Err(invalid(
        what,
        shown(value),
        "a Date, an ISO 8601 string or whole Unix seconds",
    ))
}

/// A core value as a plain JS object with camelCase fields.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_value(value).map_err(|e| invalid("result", e, "a JSON value"))?;
    rekey(json, camel)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| invalid("result", e, "a JSON value"))
}

/// A plain JS object (camelCase, `Date`s allowed) as a core value.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(
    what: &str,
    value: &JsValue,
) -> Result<T, JsValue> {
    let expected = "a plain object with the documented fields";
    if given(value).is_none() {
        return Err(invalid(what, shown(value), expected));
    }
    // JSON.stringify turns Dates into ISO strings, as the core reads them. It
    // throws for a BigInt or a cycle and gives `undefined` for a symbol or a
    // function.
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| invalid(what, shown(value), expected))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| invalid(what, e, expected))?;
    serde_json::from_value(rekey(json, snake)).map_err(|e| invalid(what, e, expected))
}

fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Rename every object key, at any depth.
fn rekey(v: Value, f: fn(&str) -> String) -> Value {
    match v {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (f(&k), rekey(v, f))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| rekey(v, f)).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_convert_both_ways() {
        assert_eq!(camel("workers_on_site"), "workersOnSite");
        assert_eq!(snake("workersOnSite"), "workers_on_site");
        assert_eq!(snake(&camel("has_smartphone")), "has_smartphone");
    }

    #[test]
    fn numbers_show_as_js_writes_them() {
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(number(1.9), "1.9");
    }
}
