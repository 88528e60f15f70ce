//! DataFrames in and out through the Arrow PyCapsule interface: a pandas,
//! polars or pyarrow frame (anything with `__arrow_c_stream__`) becomes the
//! core's [`precinct::Frame`] of text cells, and a `Table`'s numpy columns
//! become an Arrow stream. Conversion by type only: each cell is written as
//! the CSV file would hold it, and the core reads it.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, TimestampMicrosecondType};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, ListArray, RecordBatch,
    RecordBatchOptions, StringArray, TimestampSecondArray,
};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::{DateTime, NaiveDate};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyBool, PyDate, PyDateTime, PyDict, PyInt, PyList, PyString};
use pyo3_arrow::{PyArray, PyTable};

use precinct::{Frame, FrameColumn};

use crate::errors::{invalid, ok};

/// The cells of `frame`'s columns named `sources`, read as the interchange
/// columns `names` (pairs of interchange name and frame name). A column the
/// frame lacks is given as absent, and the core decides whether it is needed.
pub fn read(
    what: &'static str,
    frame: &Bound<'_, PyAny>,
    columns: &[(String, String)],
) -> PyResult<Frame> {
    if let Ok(rows) = frame.cast::<PyList>() {
        if rows.iter().all(|r| r.is_instance_of::<PyDict>()) {
            return records(what, rows, columns);
        }
    }
    let table: PyTable = frame.extract().map_err(|e| {
        invalid(
            what,
            format!("{} ({e})", frame.get_type()),
            "a pandas or polars DataFrame or a pyarrow Table (anything with `__arrow_c_stream__`)",
        )
    })?;
    let (batches, schema) = table.into_inner();
    for (_, source) in columns {
        let named = schema
            .fields()
            .iter()
            .filter(|f| f.name() == source)
            .count();
        if named > 1 {
            return Err(invalid(
                &format!("{what}, column `{source}`"),
                format!("{named} columns of that name"),
                "each column named once",
            ));
        }
    }
    let mut out = Vec::with_capacity(columns.len());
    for (name, source) in columns {
        let cells = match schema.index_of(source) {
            Err(_) => None,
            Ok(k) => {
                let mut cells = Vec::new();
                for batch in &batches {
                    text_cells(what, source, batch.column(k), &mut cells)?;
                }
                Some(cells)
            }
        };
        out.push(FrameColumn {
            name: name.clone(),
            source: source.clone(),
            cells,
        });
    }
    ok(Frame::new(out))
}

/// Each cell of `array` as the text a CSV file would hold, `None` where it
/// is missing: whole floats as integers (pandas reads an id column with a
/// gap as floats: `2002000001.0`), NaN as missing, aware times as UTC with
/// `Z`, naive times without an offset (local in the policy's zone), lists
/// as their items joined by `,`, anything else as Arrow writes it.
fn text_cells(
    what: &'static str,
    column: &str,
    array: &ArrayRef,
    out: &mut Vec<Option<String>>,
) -> PyResult<()> {
    let cast = |to: &DataType| {
        arrow_cast::cast(array, to).map_err(|e| unreadable(what, column, array, &e))
    };
    match array.data_type() {
        DataType::Utf8 => out.extend(array.as_string::<i32>().iter().map(|s| s.map(String::from))),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            // Whole numbers a float holds exactly: below 2^11, 2^24, 2^53.
            let digits = match array.data_type() {
                DataType::Float16 => 11,
                DataType::Float32 => 24,
                _ => 53,
            };
            let floats = cast(&DataType::Float64)?;
            for x in floats.as_primitive::<Float64Type>() {
                let row = out.len();
                out.push(
                    x.map(|x| whole(what, column, row, x, digits))
                        .transpose()?
                        .flatten(),
                );
            }
        }
        DataType::Timestamp(_, tz) => {
            let aware = tz.is_some();
            let micros = cast(&DataType::Timestamp(TimeUnit::Microsecond, tz.clone()))?;
            let micros = micros.as_primitive::<TimestampMicrosecondType>();
            let times: Vec<Option<DateTime<chrono::Utc>>> = micros
                .iter()
                .map(|v| {
                    let v = v?;
                    let nanos = (v.rem_euclid(1_000_000) * 1_000) as u32;
                    DateTime::from_timestamp(v.div_euclid(1_000_000), nanos)
                })
                .collect();
            // A naive column of midnights only is a column of days, as
            // DataFrames parse a date column (`parse_dates`): its cells are
            // the days, as the CSV file wrote them.
            let days = !aware
                && times
                    .iter()
                    .flatten()
                    .all(|t| t.time() == chrono::NaiveTime::MIN)
                && times.iter().any(Option::is_some);
            out.extend(times.into_iter().map(|t| {
                let t = t?;
                Some(if days {
                    t.format("%Y-%m-%d").to_string()
                } else if aware {
                    t.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
                } else {
                    t.format("%Y-%m-%dT%H:%M:%S%.f").to_string()
                })
            }));
        }
        DataType::Duration(_) | DataType::Interval(_) => {
            return Err(frame_error(
                what,
                column,
                None,
                format!(
                    "a column of {} is not a time; expected times, dates or text",
                    array.data_type()
                ),
            ));
        }
        DataType::Date64 => text_cells(what, column, &cast(&DataType::Date32)?, out)?,
        DataType::List(_) | DataType::LargeList(_) | DataType::ListView(_) => {
            // A cell holding several values (infectors): each item as text, joined.
            let lists = cast(&DataType::List(list_item(array)))?;
            for list in lists.as_list::<i32>().iter() {
                let Some(items) = list else {
                    out.push(None);
                    continue;
                };
                let mut texts = Vec::new();
                text_cells(what, column, &items, &mut texts)?;
                let texts: Vec<String> = texts.into_iter().flatten().collect();
                out.push((!texts.is_empty()).then(|| texts.join(",")));
            }
        }
        // Whole numbers, booleans, dates, text of other widths, categoricals
        // and decimals: as Arrow writes them.
        _ => text_cells(what, column, &cast(&DataType::Utf8)?, out)?,
    }
    Ok(())
}

/// A float as a CSV cell: a whole number as an integer, NaN as missing.
///
/// # Errors
/// `DataImportError` (code `frame`) for a whole number of 2^`digits` or
/// more: a float holds only that many bits, so the DataFrame library that
/// read the column as floats (an id or credit code column with a gap, in
/// pandas) may have changed its last digits, and the file's value is lost.
fn whole(
    what: &'static str,
    column: &str,
    row: usize,
    x: f64,
    digits: i32,
) -> PyResult<Option<String>> {
    let exact = 2f64.powi(digits);
    if x.is_nan() {
        Ok(None)
    } else if x.fract() == 0.0 && x.abs() < exact {
        Ok(Some(format!("{}", x as i64)))
    } else if x.fract() == 0.0 && x.is_finite() {
        Err(frame_error(what, column, Some(row), format!(
            "{x:.0} is a float of {digits} bits: a whole number from 2^{digits} up may have lost digits when the column was read as floats; read it as text (pandas: dtype=str)"
        )))
    } else {
        Ok(Some(x.to_string()))
    }
}

/// A frame's bad cell (or column, without `row`) as the core's error.
fn frame_error(what: &'static str, column: &str, row: Option<usize>, reason: String) -> PyErr {
    crate::errors::to_py_err(&precinct::Error::Frame {
        file: what,
        row: row.map(|r| r as u64),
        column: column.to_string(),
        reason,
    })
}

/// Records (dicts, one a row) as a frame's cells: each value as the text
/// a CSV file would hold, by its type (see [`cell_text`]).
fn records(
    what: &'static str,
    rows: &Bound<'_, PyList>,
    columns: &[(String, String)],
) -> PyResult<Frame> {
    let mut out = Vec::with_capacity(columns.len());
    for (name, source) in columns {
        let mut cells = Vec::with_capacity(rows.len());
        let mut found = false;
        for row in rows.iter() {
            let value = row.cast::<PyDict>()?.get_item(source)?;
            found |= value.is_some();
            cells.push(match value {
                Some(v) => cell_text(what, source, cells.len(), &v)?,
                None => None,
            });
        }
        // No records: every column there, and empty.
        out.push(FrameColumn {
            name: name.clone(),
            source: source.clone(),
            cells: (found || rows.is_empty()).then_some(cells),
        });
    }
    ok(Frame::new(out))
}

/// One Python value as a CSV cell: `None`, NaN, NaT and `pd.NA` missing,
/// whole floats as integers, booleans as `true`/`false`, dates and times
/// in ISO 8601 (an aware time with its offset), lists, tuples, sets and
/// arrays joined by `,`, numpy scalars as their values, bytes as UTF-8.
///
/// # Errors
/// `DataImportError` (code `frame`) naming the row and column for any other
/// value (a dict, an object): it is not a cell of a table.
pub fn cell_text(
    what: &'static str,
    column: &str,
    row: usize,
    v: &Bound<'_, PyAny>,
) -> PyResult<Option<String>> {
    let kind = v.get_type().name()?.extract::<String>()?;
    if v.is_none() || matches!(kind.as_str(), "NAType" | "NaTType") {
        return Ok(None);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Some(b.is_true().to_string()));
    }
    if let Ok(x) = v.cast::<pyo3::types::PyFloat>() {
        return whole(what, column, row, x.value(), 53);
    }
    if v.is_instance_of::<PyString>() || v.is_instance_of::<PyInt>() {
        return Ok(Some(v.str()?.to_string()));
    }
    if v.is_instance_of::<PyDate>() {
        return Ok(Some(v.call_method0("isoformat")?.extract()?));
    }
    if let Ok(bytes) = v.cast::<pyo3::types::PyBytes>() {
        return String::from_utf8(bytes.as_bytes().to_vec())
            .map(Some)
            .map_err(|_| {
                frame_error(
                    what,
                    column,
                    Some(row),
                    "bytes that are not UTF-8 text".into(),
                )
            });
    }
    let numpy = v.py().import("numpy")?;
    if v.is_instance(&numpy.getattr("generic")?)? {
        return cell_text(what, column, row, &v.call_method0("item")?);
    }
    let sequence = v.is_instance_of::<PyList>()
        || v.is_instance_of::<pyo3::types::PyTuple>()
        || v.is_instance_of::<pyo3::types::PySet>()
        || v.is_instance_of::<pyo3::types::PyFrozenSet>()
        || v.is_instance(&numpy.getattr("ndarray")?)?;
    if sequence {
        let mut items = Vec::new();
        for item in v.try_iter()? {
            items.extend(cell_text(what, column, row, &item?)?);
        }
        if v.is_instance_of::<pyo3::types::PySet>()
            || v.is_instance_of::<pyo3::types::PyFrozenSet>()
        {
            items.sort();
        }
        return Ok((!items.is_empty()).then(|| items.join(",")));
    }
    Err(frame_error(
        what,
        column,
        Some(row),
        format!("a value of type {kind} is not a cell; expected text, a number, a date or time, or a list of them"),
    ))
}

fn list_item(array: &ArrayRef) -> Arc<Field> {
    match array.data_type() {
        DataType::ListView(f) | DataType::List(f) | DataType::LargeList(f) => f.clone(),
        _ => Arc::new(Field::new("item", DataType::Utf8, true)),
    }
}

fn unreadable(what: &str, column: &str, array: &ArrayRef, e: &dyn std::fmt::Display) -> PyErr {
    invalid(
        &format!("{what}, column `{column}`"),
        format!("a column of {} ({e})", array.data_type()),
        "text, numbers, booleans, dates, times or lists of them",
    )
}

/// A `Table`'s columns as one Arrow record batch: int64, float64 and bool
/// arrays as they are, `times` (Unix seconds) as timestamps in `zone`,
/// object arrays by the type all their present values share (aware
/// datetimes, dates, booleans, whole numbers, text, lists of those), `None`
/// missing; anything else through pyarrow when it is installed, else as text.
pub fn record_batch(
    columns: &Bound<'_, PyDict>,
    times: &[String],
    zone: &str,
    rows: usize,
    kinds: &std::collections::HashMap<String, String>,
) -> PyResult<RecordBatch> {
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (name, values) in columns.iter() {
        let name: String = name.extract()?;
        let array: ArrayRef = if times.contains(&name) {
            let seconds: PyReadonlyArray1<'_, i64> = values.extract()?;
            Arc::new(TimestampSecondArray::from(seconds.as_slice()?.to_vec()).with_timezone(zone))
        } else if let Ok(v) = values.extract::<PyReadonlyArray1<'_, i64>>() {
            Arc::new(Int64Array::from(v.as_slice()?.to_vec()))
        } else if let Ok(v) = values.extract::<PyReadonlyArray1<'_, f64>>() {
            Arc::new(Float64Array::from(v.as_slice()?.to_vec()))
        } else if let Ok(v) = values.extract::<PyReadonlyArray1<'_, bool>>() {
            Arc::new(BooleanArray::from(v.as_slice()?.to_vec()))
        } else {
            let list = values.call_method0("tolist")?.cast_into::<PyList>()?;
            let present: Vec<Bound<'_, PyAny>> = list.iter().filter(|v| !v.is_none()).collect();
            let declared = kinds.get(&name).and_then(|k| declared_type(k, zone));
            match (present.is_empty(), declared) {
                // Nothing present: the type the table declares for it.
                (true, Some(data_type)) => arrow_array::new_null_array(&data_type, list.len()),
                _ => match objects(&list, &present, zone)? {
                    Some(array) => array,
                    None => other_objects(&name, &list)?,
                },
            }
        };
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }
    // A table without columns still has its number of rows (none).
    let options = RecordBatchOptions::new().with_row_count(Some(rows));
    RecordBatch::try_new_with_options(Arc::new(Schema::new(fields)), arrays, &options)
        .map_err(|e| invalid("table", e, "columns of one length"))
}

/// The Arrow type of a column kind a table declares (`text`, `int`,
/// `float`, `bool`, `date`, `time`, `list<text>`).
fn declared_type(kind: &str, zone: &str) -> Option<DataType> {
    Some(match kind {
        "text" => DataType::Utf8,
        "int" => DataType::Int64,
        "float" => DataType::Float64,
        "bool" => DataType::Boolean,
        "date" => DataType::Date32,
        "time" => DataType::Timestamp(TimeUnit::Second, Some(zone.into())),
        "list<text>" => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
        _ => return None,
    })
}

/// What every present value of an object column is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Time,
    Day,
    Bool,
    Whole,
    Text,
}

fn kind_of(values: &[Bound<'_, PyAny>]) -> Option<Kind> {
    let all = |f: fn(&Bound<'_, PyAny>) -> bool| values.iter().all(f);
    // A datetime is a date, and a bool a whole number: asked first.
    if all(|v| v.is_instance_of::<PyDateTime>()) {
        Some(Kind::Time)
    } else if all(|v| v.is_instance_of::<PyDate>()) {
        Some(Kind::Day)
    } else if all(|v| v.is_instance_of::<PyBool>()) {
        Some(Kind::Bool)
    } else if all(|v| v.is_instance_of::<PyInt>()) {
        Some(Kind::Whole)
    } else if all(|v| v.is_instance_of::<PyString>()) {
        Some(Kind::Text)
    } else {
        None
    }
}

/// Unix seconds of an aware `datetime`.
fn unix_seconds(v: &Bound<'_, PyAny>) -> PyResult<i64> {
    let seconds: f64 = v.call_method0("timestamp")?.extract()?;
    Ok(seconds.floor() as i64)
}

/// Days since 1970-01-01 of a `date`.
fn epoch_days(v: &Bound<'_, PyAny>) -> PyResult<i32> {
    let day: NaiveDate = v.extract()?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((day - epoch).num_days())
        .map_err(|_| invalid("table", day, "a day within 5.8 million years of 1970"))
}

/// An object column whose present values share a type, or lists of such
/// values, as its Arrow array; `None` for any other column.
fn objects(
    list: &Bound<'_, PyList>,
    present: &[Bound<'_, PyAny>],
    zone: &str,
) -> PyResult<Option<ArrayRef>> {
    if present.is_empty() {
        return Ok(Some(Arc::new(StringArray::from(vec![
            None::<String>;
            list.len()
        ]))));
    }
    if let Some(kind) = kind_of(present) {
        let cells: Vec<Option<Bound<'_, PyAny>>> =
            list.iter().map(|v| (!v.is_none()).then_some(v)).collect();
        return scalars(kind, &cells, zone).map(Some);
    }
    if !present.iter().all(PyAnyMethods::is_instance_of::<PyList>) {
        return Ok(None);
    }
    // Lists: by what all their present items are (text when all are empty).
    let mut items = Vec::new();
    for v in present {
        items.extend(v.cast::<PyList>()?.iter().filter(|i| !i.is_none()));
    }
    let kind = if items.is_empty() {
        Some(Kind::Text)
    } else {
        kind_of(&items)
    };
    let Some(kind) = kind else { return Ok(None) };
    let mut offsets = vec![0i32];
    let mut cells: Vec<Option<Bound<'_, PyAny>>> = Vec::new();
    let mut valid = Vec::with_capacity(list.len());
    for v in list.iter() {
        if let Ok(row) = v.cast::<PyList>() {
            cells.extend(row.iter().map(|i| (!i.is_none()).then_some(i)));
            valid.push(true);
        } else {
            valid.push(false);
        }
        offsets.push(i32::try_from(cells.len()).map_err(|_| {
            invalid(
                "table",
                cells.len(),
                "fewer than 2^31 list items in a column",
            )
        })?);
    }
    let values = scalars(kind, &cells, zone)?;
    let field = Arc::new(Field::new("item", values.data_type().clone(), true));
    let lists = ListArray::try_new(
        field,
        OffsetBuffer::new(offsets.into()),
        values,
        Some(NullBuffer::from(valid)),
    )
    .map_err(|e| invalid("table", e, "lists"))?;
    Ok(Some(Arc::new(lists)))
}

/// Cells of one kind (`None` missing) as an Arrow array.
fn scalars(kind: Kind, cells: &[Option<Bound<'_, PyAny>>], zone: &str) -> PyResult<ArrayRef> {
    fn each<T>(
        cells: &[Option<Bound<'_, PyAny>>],
        f: impl Fn(&Bound<'_, PyAny>) -> PyResult<T>,
    ) -> PyResult<Vec<Option<T>>> {
        cells
            .iter()
            .map(|c| c.as_ref().map(&f).transpose())
            .collect()
    }
    Ok(match kind {
        Kind::Time => {
            Arc::new(TimestampSecondArray::from(each(cells, unix_seconds)?).with_timezone(zone))
        }
        Kind::Day => Arc::new(Date32Array::from(each(cells, epoch_days)?)),
        Kind::Bool => Arc::new(BooleanArray::from(each(cells, |v| v.extract::<bool>())?)),
        Kind::Whole => match each(cells, |v| v.extract::<i64>()) {
            Ok(ints) => Arc::new(Int64Array::from(ints)),
            // Beyond 64 bits: the digits as text.
            Err(_) => Arc::new(StringArray::from(each(cells, |v| {
                Ok(v.str()?.to_string())
            })?)),
        },
        Kind::Text => Arc::new(StringArray::from(each(cells, |v| v.extract::<String>())?)),
    })
}

/// A column of mixed or nested values (lists of lists: the stretches of
/// each piece of evidence): as pyarrow infers it when it is installed, else
/// as text (lists as JSON, other values as `str` gives them).
fn other_objects(name: &str, list: &Bound<'_, PyList>) -> PyResult<ArrayRef> {
    let py = list.py();
    if let Ok(pyarrow) = py.import("pyarrow") {
        if let Ok(array) = pyarrow.call_method1("array", (list,)) {
            if let Ok(array) = array.extract::<PyArray>() {
                return Ok(array.array().clone());
            }
        }
    }
    let dumps = py.import("json")?.getattr("dumps")?;
    let options = [("default", py.get_type::<PyString>().into_any())].into_py_dict(py)?;
    let texts: Vec<Option<String>> = list
        .iter()
        .map(|v| {
            if v.is_none() {
                Ok(None)
            } else if v.is_instance_of::<PyList>() {
                Ok(Some(dumps.call((v,), Some(&options))?.extract()?))
            } else {
                Ok(Some(v.str()?.to_string()))
            }
        })
        .collect::<PyResult<_>>()
        .map_err(|e: PyErr| {
            invalid(
                &format!("table column `{name}`"),
                e,
                "values Arrow can hold",
            )
        })?;
    Ok(Arc::new(StringArray::from(texts)))
}

/// A table as an Arrow stream capsule (`__arrow_c_stream__`).
#[pyfunction]
#[pyo3(signature = (columns, times, zone, rows, kinds, requested_schema = None))]
pub fn arrow_stream<'py>(
    py: Python<'py>,
    columns: &Bound<'py, PyDict>,
    times: Vec<String>,
    zone: &str,
    rows: usize,
    kinds: std::collections::HashMap<String, String>,
    requested_schema: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = record_batch(columns, &times, zone, rows, &kinds)?;
    let schema = batch.schema();
    let table = PyTable::try_new(vec![batch], schema)?;
    table
        .into_pyobject(py)?
        .call_method1("__arrow_c_stream__", (requested_schema,))
}
