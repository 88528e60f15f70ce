//! Conversions by type between Python values and the core's: Python data to
//! JSON for the facade's readers, and the facade's [`Value`] back to Python.
//! Nothing here looks at what a string says: a naive `datetime` becomes ISO
//! text without an offset (the core reads it in the policy's zone), and text
//! comes back as `str` whatever it looks like.

use chrono::{DateTime, Utc};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{
    IntoPyDict, PyBool, PyByteArray, PyBytes, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList,
    PyMapping, PyString, PyTuple,
};
use serde::Serialize;
use serde_json::Value as Json;

use precinct::{Instant, Value, Zone};

use crate::errors::{invalid, ok};

const EXPECTED: &str =
    "None, a bool, a number, text, a date or datetime, a list, a tuple or a dict with text keys";

/// The `repr` of a Python value, for a message.
fn shown(obj: &Bound<'_, PyAny>) -> String {
    obj.repr()
        .map_or_else(|_| "?".to_string(), |r| r.to_string())
}

/// A Python value as JSON: aware `datetime` as ISO 8601 with its offset,
/// naive `datetime` as ISO 8601 without one, `date` as `YYYY-MM-DD`, numpy
/// scalars as numbers, tuples as lists, `bytes` as UTF-8 text.
///
/// # Errors
/// `InvalidValue` naming `what` for any other type, a float that is not
/// finite, a whole number beyond 64 bits or a key that is not text.
/// An optional argument as JSON: `null` when not given, as when given `None`.
pub fn optional_json(what: &str, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Json> {
    obj.map_or(Ok(Json::Null), |o| to_json(what, o))
}

pub fn to_json(what: &str, obj: &Bound<'_, PyAny>) -> PyResult<Json> {
    if obj.is_none() {
        return Ok(Json::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Json::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(n) = obj.extract::<i64>() {
            return Ok(Json::from(n));
        }
        return obj
            .extract::<u64>()
            .map(Json::from)
            .map_err(|_| invalid(what, shown(obj), "a whole number within 64 bits"));
    }
    if obj.is_instance_of::<PyFloat>() {
        let x: f64 = obj.extract()?;
        return serde_json::Number::from_f64(x)
            .map(Json::Number)
            .ok_or_else(|| invalid(what, shown(obj), "a finite number"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Json::String(s.extract::<String>()?));
    }
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
        let bytes: Vec<u8> = obj.extract()?;
        return String::from_utf8(bytes)
            .map(Json::String)
            .map_err(|_| invalid(what, shown(obj), "UTF-8 text"));
    }
    // A datetime is a date too: it is asked first.
    if obj.is_instance_of::<PyDateTime>() || obj.is_instance_of::<PyDate>() {
        return Ok(Json::String(obj.call_method0("isoformat")?.extract()?));
    }
    if let Ok(items) = obj.cast::<PyList>() {
        return items.iter().map(|v| to_json(what, &v)).collect();
    }
    if let Ok(items) = obj.cast::<PyTuple>() {
        return items.iter().map(|v| to_json(what, &v)).collect();
    }
    if let Ok(map) = obj.cast::<PyDict>() {
        return map_to_json(what, map.iter());
    }
    if let Ok(map) = obj.cast::<PyMapping>() {
        let items = map.items()?;
        let pairs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = items
            .iter()
            .map(|kv| kv.extract())
            .collect::<PyResult<_>>()?;
        return map_to_json(what, pairs.into_iter());
    }
    let numpy_scalar = obj.py().import("numpy")?.getattr("generic")?;
    if obj.is_instance(&numpy_scalar)? {
        return to_json(what, &obj.call_method0("item")?);
    }
    Err(invalid(what, shown(obj), EXPECTED))
}

fn map_to_json<'py>(
    what: &str,
    items: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
) -> PyResult<Json> {
    let mut out = serde_json::Map::new();
    for (k, v) in items {
        let key: String = k
            .extract()
            .map_err(|_| invalid(what, shown(&k), "a dict with text keys"))?;
        let field = format!("{what}, field `{key}`");
        out.insert(key, to_json(&field, &v)?);
    }
    Ok(Json::Object(out))
}

/// A moment argument as JSON: as [`to_json`], and a whole number (not a
/// bool) as Unix seconds.
pub fn moment_json(what: &str, obj: &Bound<'_, PyAny>) -> PyResult<Json> {
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        let seconds: i64 = obj
            .extract()
            .map_err(|_| invalid(what, shown(obj), "whole Unix seconds within 64 bits"))?;
        let at = ok(precinct::instant_from_unix(what, seconds))?;
        return Ok(Json::String(at.to_rfc3339()));
    }
    to_json(what, obj)
}

/// A moment argument (`at`): an aware or naive `datetime`, ISO text or
/// Unix seconds, naive times read in `zone` by the core.
pub fn instant(what: &str, obj: &Bound<'_, PyAny>, zone: Zone) -> PyResult<Instant> {
    let json = moment_json(what, obj)?;
    let Json::String(text) = json else {
        return Err(invalid(
            what,
            shown(obj),
            "a datetime, an ISO 8601 string or whole Unix seconds",
        ));
    };
    ok(precinct::parse_instant(&text, zone).and_then(|at| precinct::check_instant(what, at)))
}

/// The `tzinfo` of `zone`: `zoneinfo.ZoneInfo` for a named zone, a fixed
/// `datetime.timezone` for an offset.
fn tzinfo(py: Python<'_>, zone: Zone) -> PyResult<Bound<'_, PyAny>> {
    match zone {
        Zone::Named(_) => py
            .import("zoneinfo")?
            .getattr("ZoneInfo")?
            .call1((zone.to_string(),)),
        Zone::Fixed(offset) => {
            let datetime = py.import("datetime")?;
            let delta = datetime.getattr("timedelta")?.call(
                (),
                Some(&[("seconds", offset.local_minus_utc())].into_py_dict(py)?),
            )?;
            datetime.getattr("timezone")?.call1((delta,))
        }
    }
}

/// A facade value as Python data: times as aware `datetime`s in `zone`,
/// days as `date`s, text as `str`, maps as dicts, lists as lists.
pub fn to_py<'py>(py: Python<'py>, value: &Value, zone: Zone) -> PyResult<Bound<'py, PyAny>> {
    let tz = tzinfo(py, zone)?;
    value_to_py(py, value, &tz)
}

fn value_to_py<'py>(
    py: Python<'py>,
    value: &Value,
    tz: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(n) => n.into_pyobject(py)?.into_any(),
        Value::UInt(n) => n.into_pyobject(py)?.into_any(),
        Value::Float(x) => x.into_pyobject(py)?.into_any(),
        Value::Text(s) => PyString::new(py, s).into_any(),
        Value::Time(at) => {
            let utc: &DateTime<Utc> = at;
            utc.into_pyobject(py)?.call_method1("astimezone", (tz,))?
        }
        Value::Date(day) => day.into_pyobject(py)?.into_any(),
        Value::List(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item, tz)?)?;
            }
            list.into_any()
        }
        Value::Map(entries) => {
            let dict = PyDict::new(py);
            for (k, v) in entries {
                dict.set_item(k, value_to_py(py, v, tz)?)?;
            }
            dict.into_any()
        }
    })
}

/// Any serializable core record as Python data (see [`to_py`]).
pub fn answer<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    record: &T,
    zone: Zone,
) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &ok(precinct::to_value(record))?, zone)
}

/// Python data (dicts, lists, datetimes) read as a core request type `T`,
/// naive times in `zone`.
pub fn read<T: serde::de::DeserializeOwned>(
    what: &str,
    obj: &Bound<'_, PyAny>,
    zone: Zone,
) -> PyResult<T> {
    ok(precinct::read_input(what, &to_json(what, obj)?, zone))
}

/// UTF-8 text the core wrote.
pub fn text(bytes: Vec<u8>) -> PyResult<String> {
    String::from_utf8(bytes).map_err(|e| PyTypeError::new_err(e.to_string()))
}

/// A policy argument: `None` (the core's default), a preset's name, or a
/// policy as a dict (as `precinct.policy(name)` gives it, changed: another
/// `zone` ...), checked by the core.
pub fn policy(obj: Option<&Bound<'_, PyAny>>) -> PyResult<precinct::Policy> {
    let Some(obj) = obj else {
        return Ok(precinct::Policy::default());
    };
    // A policy document carries no naive times.
    ok(precinct::Policy::from_json(&to_json("policy", obj)?))
}

/// A `Table` of the package (`precinct._table`) from columns; `times` are
/// columns of Unix seconds, shown in `zone`.
pub fn table<'py>(
    columns: Bound<'py, PyDict>,
    times: &[&str],
    zone: Zone,
) -> PyResult<Bound<'py, PyAny>> {
    let py = columns.py();
    let times: Vec<String> = times.iter().map(ToString::to_string).collect();
    new_table(columns, times, tzinfo(py, zone)?, &[])
}

/// The package's `Table` of these columns: `times` hold Unix seconds shown
/// in `tz`; `kinds` declares what columns hold when empty or all missing.
fn new_table<'py>(
    columns: Bound<'py, PyDict>,
    times: Vec<String>,
    tz: Bound<'py, PyAny>,
    kinds: &[(&str, &str)],
) -> PyResult<Bound<'py, PyAny>> {
    let py = columns.py();
    let options = PyDict::new(py);
    options.set_item("tz", tz)?;
    options.set_item("kinds", kinds.into_py_dict(py)?)?;
    py.import("precinct._table")?
        .getattr("Table")?
        .call((columns, times), Some(&options))
}

/// A facade answer as Python data (see [`to_py`]), with lists of records
/// as `Table`s: the whole answer when it is one, else each field of a
/// record that is one (a chain report's `case_table`, `links` ...).
///
/// `templates` gives the columns of fields whose records are known (a
/// chain report's, `ChainReport::TABLE_COLUMNS`): those tables have exactly
/// these columns, in this order, even when empty.
pub fn tables<'py>(
    py: Python<'py>,
    value: &Value,
    zone: Zone,
    templates: &[(&str, &[(&str, &str)])],
) -> PyResult<Bound<'py, PyAny>> {
    if let Some(table) = records_table(py, value, zone, None)? {
        return Ok(table);
    }
    let Value::Map(fields) = value else {
        return to_py(py, value, zone);
    };
    let dict = PyDict::new(py);
    for (key, field) in fields {
        let template = templates.iter().find(|(k, _)| k == key).map(|(_, c)| *c);
        let converted = match field {
            Value::List(_) => match records_table(py, field, zone, template)? {
                Some(table) => table,
                None => to_py(py, field, zone)?,
            },
            _ => to_py(py, field, zone)?,
        };
        dict.set_item(key, converted)?;
    }
    Ok(dict.into_any())
}

/// A `Table` of the package from a list of records (see
/// [`Value::columns`]), `None` when `value` is not one. Built by type, a
/// column at a time: whole numbers as int64 (objects where some are
/// missing), numbers as float64 (NaN missing), booleans as bool, instants
/// as int64 Unix seconds listed in `times` (aware `datetime`s in `zone`
/// where some are missing), text, days and lists as objects.
pub fn records_table<'py>(
    py: Python<'py>,
    value: &Value,
    zone: Zone,
    template: Option<&[(&str, &str)]>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Some(mut columns) = value.columns() else {
        return Ok(None);
    };
    if let Some(names) = template {
        let rows = match value {
            Value::List(rows) => rows.len(),
            _ => 0,
        };
        columns = names
            .iter()
            .map(|(n, _)| {
                let k = columns.iter().position(|(c, _)| c == n);
                let values = k.map_or_else(
                    || vec![Value::Null; rows],
                    |k| std::mem::take(&mut columns[k].1),
                );
                ((*n).to_string(), values)
            })
            .collect();
    }
    let tz = tzinfo(py, zone)?;
    let out = PyDict::new(py);
    let mut times = Vec::new();
    for (name, values) in columns {
        let present = || values.iter().filter(|v| !matches!(v, Value::Null));
        // An empty column is of objects: its declared kind, if any, types it.
        let complete = present().count() == values.len() && !values.is_empty();
        let array: Bound<'py, PyAny> = if complete && present().all(|v| matches!(v, Value::Int(_)))
        {
            let ints: Vec<i64> = values
                .iter()
                .map(|v| if let Value::Int(n) = v { *n } else { 0 })
                .collect();
            numpy::PyArray1::from_vec(py, ints).into_any()
        } else if present().any(|v| matches!(v, Value::Float(_)))
            && present().all(|v| matches!(v, Value::Float(_) | Value::Int(_)))
        {
            let floats: Vec<f64> = values
                .iter()
                .map(|v| match v {
                    Value::Float(x) => *x,
                    #[allow(clippy::cast_precision_loss)]
                    Value::Int(n) => *n as f64,
                    _ => f64::NAN,
                })
                .collect();
            numpy::PyArray1::from_vec(py, floats).into_any()
        } else if complete && present().all(|v| matches!(v, Value::Bool(_))) {
            let bools: Vec<bool> = values
                .iter()
                .map(|v| matches!(v, Value::Bool(true)))
                .collect();
            numpy::PyArray1::from_vec(py, bools).into_any()
        } else if complete && present().all(|v| matches!(v, Value::Time(_))) {
            let seconds: Vec<i64> = values
                .iter()
                .map(|v| {
                    if let Value::Time(t) = v {
                        t.timestamp()
                    } else {
                        0
                    }
                })
                .collect();
            times.push(name.clone());
            numpy::PyArray1::from_vec(py, seconds).into_any()
        } else {
            let objects = values
                .iter()
                .map(|v| value_to_py(py, v, &tz).map(Bound::unbind))
                .collect::<PyResult<Vec<Py<PyAny>>>>()?;
            numpy::PyArray1::from_vec(py, objects).into_any()
        };
        out.set_item(name, array)?;
    }
    // What each column of a known table holds, for its empty or all-missing columns.
    new_table(out, times, tz, template.unwrap_or_default()).map(Some)
}
