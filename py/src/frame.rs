//! DataFrames in and out through the Arrow PyCapsule interface: a pandas,
//! polars or pyarrow frame (anything with `__arrow_c_stream__`) becomes the
//! core's [`precinct::Frame`] of text cells, and a `Table`'s numpy columns
//! become an Arrow stream. Conversion by type only: each cell is written as
//! the CSV file would hold it, and the core reads it.

use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, Int64Builder, ListBuilder, StringBuilder, TimestampSecondBuilder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, TimestampMicrosecondType};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampSecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::{DateTime, FixedOffset, NaiveDate};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyDate, PyDict, PyList};
use pyo3_arrow::PyTable;

use precinct::{Frame, FrameColumn};

use crate::errors::{invalid, ok};

/// The cells of `frame`'s columns named `sources`, read as the interchange
/// columns `names` (pairs of interchange name and frame name). A column the
/// frame lacks is given as absent, and the core decides whether it is needed.
pub fn read(what: &str, frame: &Bound<'_, PyAny>, columns: &[(String, String)]) -> PyResult<Frame> {
    let table: PyTable = frame.extract().map_err(|e| {
        invalid(
            what,
            format!("{} ({e})", frame.get_type()),
            "a pandas or polars DataFrame or a pyarrow Table (anything with `__arrow_c_stream__`)",
        )
    })?;
    let (batches, schema) = table.into_inner();
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
    what: &str,
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
            let floats = cast(&DataType::Float64)?;
            out.extend(
                floats
                    .as_primitive::<Float64Type>()
                    .iter()
                    .map(|x| x.and_then(whole)),
            );
        }
        DataType::Timestamp(_, tz) => {
            let aware = tz.is_some();
            let micros = cast(&DataType::Timestamp(TimeUnit::Microsecond, tz.clone()))?;
            let micros = micros.as_primitive::<TimestampMicrosecondType>();
            out.extend(micros.iter().map(|v| {
                let v = v?;
                let nanos = (v.rem_euclid(1_000_000) * 1_000) as u32;
                let t = DateTime::from_timestamp(v.div_euclid(1_000_000), nanos)?;
                let text = t.format("%Y-%m-%dT%H:%M:%S%.f").to_string();
                Some(if aware { text + "Z" } else { text })
            }));
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
fn whole(x: f64) -> Option<String> {
    if x.is_nan() {
        None
    } else if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        Some(format!("{}", x as i64))
    } else {
        Some(x.to_string())
    }
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
/// object arrays by their values (text, whole numbers, dates, lists of
/// text; `None` missing).
pub fn record_batch(
    columns: &Bound<'_, PyDict>,
    times: &[String],
    zone: &str,
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
            objects(
                &name,
                &values.call_method0("tolist")?.cast_into::<PyList>()?,
                zone,
            )?
        };
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|e| invalid("table", e, "columns of one length"))
}

/// An object column by the type of its first present value.
fn objects(name: &str, values: &Bound<'_, PyList>, zone: &str) -> PyResult<ArrayRef> {
    let first = values.iter().find(|v| !v.is_none());
    let Some(first) = first else {
        return Ok(Arc::new(StringArray::from(vec![
            None::<String>;
            values.len()
        ])));
    };
    if first.is_instance_of::<PyDate>() {
        let days: Vec<Option<NaiveDate>> = values
            .iter()
            .map(|v| {
                if v.is_none() {
                    Ok(None)
                } else {
                    v.extract().map(Some)
                }
            })
            .collect::<PyResult<_>>()?;
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let days: Vec<Option<i32>> = days
            .into_iter()
            .map(|d| d.and_then(|d| i32::try_from((d - epoch).num_days()).ok()))
            .collect();
        return Ok(Arc::new(Date32Array::from(days)));
    }
    if first.extract::<i64>().is_ok() && !first.is_instance_of::<pyo3::types::PyBool>() {
        if let Ok(ints) = values.extract::<Vec<Option<i64>>>() {
            return Ok(Arc::new(Int64Array::from(ints)));
        }
    }
    if let Ok(texts) = values.extract::<Vec<Option<String>>>() {
        return Ok(Arc::new(StringArray::from(texts)));
    }
    // Lists of whole numbers, of instants (an evidence's times) and of text
    // (a contact's cases) as lists of theirs.
    if let Ok(items) = values.extract::<Vec<Option<Vec<Option<i64>>>>>() {
        return Ok(lists(
            items,
            Int64Builder::new(),
            Int64Builder::append_option,
        ));
    }
    if let Ok(items) = values.extract::<Vec<Option<Vec<Option<DateTime<FixedOffset>>>>>>() {
        let builder = TimestampSecondBuilder::new().with_timezone(zone.to_string());
        return Ok(lists(items, builder, |b, v| {
            b.append_option(v.map(|t| t.timestamp()));
        }));
    }
    if let Ok(items) = values.extract::<Vec<Option<Vec<Option<String>>>>>() {
        return Ok(lists(items, StringBuilder::new(), |b, v| {
            b.append_option(v);
        }));
    }
    // Anything else (lists of lists: the stretches of each piece of
    // evidence) as text: lists as JSON, other values as `str` gives them.
    let json = values.py().import("json")?;
    let dumps = json.getattr("dumps")?;
    let options = [
        (
            "default",
            values.py().get_type::<pyo3::types::PyString>().into_any(),
        ),
        (
            "ensure_ascii",
            pyo3::types::PyBool::new(values.py(), false)
                .to_owned()
                .into_any(),
        ),
    ]
    .into_py_dict(values.py())?;
    let texts: Vec<Option<String>> = values
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
        .collect::<PyResult<_>>()?;
    let _ = name;
    Ok(Arc::new(StringArray::from(texts)))
}

/// A list column from each row's list (`None` a missing list), each item
/// appended to `values` by `append`.
fn lists<T, B: ArrayBuilder>(
    rows: Vec<Option<Vec<Option<T>>>>,
    values: B,
    append: impl Fn(&mut B, Option<T>),
) -> ArrayRef {
    let mut builder = ListBuilder::new(values);
    for row in rows {
        match row {
            None => builder.append_null(),
            Some(items) => {
                for item in items {
                    append(builder.values(), item);
                }
                builder.append(true);
            }
        }
    }
    Arc::new(builder.finish())
}

/// A table as an Arrow stream capsule (`__arrow_c_stream__`).
#[pyfunction]
#[pyo3(signature = (columns, times, zone, requested_schema = None))]
pub fn arrow_stream<'py>(
    py: Python<'py>,
    columns: &Bound<'py, PyDict>,
    times: Vec<String>,
    zone: &str,
    requested_schema: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let batch = record_batch(columns, &times, zone)?;
    let schema = batch.schema();
    let table = PyTable::try_new(vec![batch], schema)?;
    table
        .into_pyobject(py)?
        .call_method1("__arrow_c_stream__", (requested_schema,))
}
