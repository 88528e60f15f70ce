//! Values between JavaScript and the core, by JS type only: JS values
//! become JSON for the core to read (keys as given), and the core's answers
//! ([`precinct::Value`]) become plain JS objects (keys as the core writes
//! them, snake_case like the journal and the Python layer).
//!
//! A `Date` becomes ISO 8601 text in UTC; strings pass untouched (naive
//! times in them are read by the core in the policy's zone); numbers stay
//! numbers (whole ones as integers); typed arrays become arrays. Whatever
//! JSON cannot hold (`NaN`, a BigInt, a function, a `Map`, an invalid
//! `Date`) throws an `InvalidValue` naming where it was.

use chrono::{DateTime, SecondsFormat};
use precinct::{Instant, Value, Zone};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value as Json};
use wasm_bindgen::{JsCast, JsValue};

use crate::errors::{invalid, ok};

/// The largest integer a JS number holds exactly (2^53 − 1).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// A JS value as JSON; `what` names it in errors (`command.person.born`).
pub(crate) fn to_json(what: &str, value: &JsValue) -> Result<Json, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Json::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Json::Bool(b));
    }
    if let Some(text) = value.as_string() {
        return Ok(Json::String(text));
    }
    if let Some(n) = value.as_f64() {
        return number(what, n);
    }
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        // A valid Date holds whole milliseconds within ±8.64e15.
        let ms = date.get_time();
        let at = DateTime::from_timestamp_millis(ms as i64)
            .filter(|_| ms.is_finite())
            .ok_or_else(|| invalid(what, "Invalid Date", "a valid Date"))?;
        return Ok(Json::String(
            at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        ));
    }
    if js_sys::Array::is_array(value) || js_sys::ArrayBuffer::is_view(value) {
        return js_sys::Array::from(value)
            .iter()
            .enumerate()
            .map(|(i, item)| to_json(&format!("{what}[{i}]"), &item))
            .collect();
    }
    if is_plain_object(value) {
        let mut map = Map::new();
        for entry in js_sys::Object::entries(value.unchecked_ref()).iter() {
            let entry: js_sys::Array = entry.unchecked_into();
            let (key, item) = (entry.get(0).as_string().unwrap_or_default(), entry.get(1));
            // As JSON.stringify: a field set to `undefined` is not there.
            if !item.is_undefined() {
                map.insert(key.clone(), to_json(&format!("{what}.{key}"), &item)?);
            }
        }
        return Ok(Json::Object(map));
    }
    Err(invalid(
        what,
        format!("a JS {}", value.js_typeof().as_string().unwrap_or_default()),
        "text, a number, a boolean, a Date, an array or a plain object",
    ))
}

fn number(what: &str, n: f64) -> Result<Json, JsValue> {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE {
        return Ok(Json::from(n as i64));
    }
    Number::from_f64(n)
        .map(Json::Number)
        .ok_or_else(|| invalid(what, n, "a finite number"))
}

/// An object made by `{...}` or `Object.create(null)`, not a class instance.
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    let proto = js_sys::Object::get_prototype_of(value);
    proto.is_null() || js_sys::Object::get_prototype_of(&proto).is_null()
}

/// A JS argument read as a `T` by the core, naive times in `zone`.
pub(crate) fn read<T: DeserializeOwned>(
    what: &str,
    value: &JsValue,
    zone: Zone,
) -> Result<T, JsValue> {
    ok(precinct::read_input(what, &to_json(what, value)?, zone))
}

/// JSON as a plain JS object.
pub(crate) fn json_to_js(json: &Json) -> Result<JsValue, JsValue> {
    json.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| invalid("answer", e, "a value JavaScript can hold"))
}

/// A core answer as a plain JS object, times with `zone`'s offset.
pub(crate) fn answer(value: precinct::Result<Value>, zone: Zone) -> Result<JsValue, JsValue> {
    json_to_js(&ok(value)?.to_json(zone))
}

/// Any core record as a plain JS object, times with `zone`'s offset.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T, zone: Zone) -> Result<JsValue, JsValue> {
    answer(precinct::to_value(value), zone)
}

/// A moment given as JSON: Unix seconds, or ISO 8601 text (a `Date` made
/// text) whose naive form the core reads in `zone`.
pub(crate) fn moment(what: &str, json: &Json, zone: Zone) -> Result<Instant, JsValue> {
    if let Json::Number(n) = json {
        let seconds = n
            .as_i64()
            .ok_or_else(|| invalid(what, n, "whole Unix seconds"))?;
        return ok(precinct::instant_from_unix(what, seconds));
    }
    let text: String = ok(precinct::read_input(what, json, zone))?;
    ok(precinct::parse_instant(&text, zone).and_then(|t| precinct::check_instant(what, t)))
}

/// A JS argument as text (a CSV file, a journal, a path): a string is
/// copied once (a 30 MB base is read in one copy, not through JSON).
pub(crate) fn text(what: &str, value: &JsValue) -> Result<String, JsValue> {
    match value.as_string() {
        Some(text) => Ok(text),
        None => read(what, value, Zone::UTC),
    }
}

/// A JS argument as text, given as a string or as its UTF-8 bytes (a
/// `Uint8Array`, as IndexedDB or `File.arrayBuffer` hand it over: no
/// conversion from JavaScript's UTF-16).
pub(crate) fn text_or_utf8(what: &str, value: &JsValue) -> Result<String, JsValue> {
    match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(bytes) => String::from_utf8(bytes.to_vec()).map_err(|e| {
            invalid(
                what,
                format!("{} bytes", bytes.length()),
                &format!("UTF-8 text ({e})"),
            )
        }),
        None => text(what, value),
    }
}
