//! The compiled module `precinct._precinct`. It only converts between
//! Python and the core: every rule lives in the `precinct` crate. Records
//! travel as dicts through serde (`pythonize`); bulk data as numpy arrays.
//! `python/precinct/__init__.py` adds the Python-side conveniences (tables
//! that become DataFrames, datetimes, the report's HTML).

// PyO3 hands arguments over by value (arrays, lists); that is its idiom.
#![allow(clippy::needless_pass_by_value)]

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use numpy::{IntoPyArray, PyReadonlyArray1};
use precinct::Zone;
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCFunction, PyDict, PyList, PyTuple};
use pythonize::{depythonize, pythonize};

use precinct::{Error, Instant, Policy};

create_exception!(
    precinct,
    PrecinctError,
    PyValueError,
    "Root of every precinct error; `code` names the kind, as in the other languages."
);
create_exception!(
    precinct,
    InvalidIdentityDocument,
    PrecinctError,
    "An identity document failed its checks."
);
create_exception!(
    precinct,
    InvalidValue,
    PrecinctError,
    "A value is out of range or malformed."
);
create_exception!(
    precinct,
    DuplicateRecord,
    PrecinctError,
    "A record with the same key exists (a person, a case ...)."
);
create_exception!(
    precinct,
    RecordNotFound,
    PrecinctError,
    "A referenced record does not exist."
);
create_exception!(
    precinct,
    InvalidTransition,
    PrecinctError,
    "A state change is not allowed from the current state."
);
create_exception!(
    precinct,
    NotEligible,
    PrecinctError,
    "A person or enterprise does not qualify (for a pass ...)."
);
create_exception!(
    precinct,
    ImplausibleRecord,
    PrecinctError,
    "A report cannot be true."
);
create_exception!(
    precinct,
    DataImportError,
    PrecinctError,
    "A row of an imported CSV file is bad: `file`, `line`, `column`."
);
create_exception!(
    precinct,
    JournalDamaged,
    PrecinctError,
    "A journal was altered or cut: `seq` is where its chain breaks."
);
create_exception!(
    precinct,
    JournalLocked,
    PrecinctError,
    "Another writer holds the journal."
);
create_exception!(
    precinct,
    TooLarge,
    PrecinctError,
    "A query's answer would need more memory than its budget: `needed`, `budget` in bytes."
);
create_exception!(
    precinct,
    StorageError,
    PrecinctError,
    "Reading or writing a file failed."
);

/// A core error as the Python exception of its kind, with its fields as attributes.
fn err(e: &Error) -> PyErr {
    let message = e.to_string();
    let py_err = match e {
        Error::Id(_) => InvalidIdentityDocument::new_err(message),
        Error::InvalidValue { .. } => invalid_value(message),
        Error::Duplicate { .. } => DuplicateRecord::new_err(message),
        Error::NotFound { .. } => RecordNotFound::new_err(message),
        Error::InvalidTransition { .. } => InvalidTransition::new_err(message),
        Error::NotEligible { .. } => NotEligible::new_err(message),
        Error::Implausible { .. } => ImplausibleRecord::new_err(message),
        Error::Csv { .. } => DataImportError::new_err(message),
        Error::JournalDamaged { .. } => JournalDamaged::new_err(message),
        Error::JournalLocked { .. } => JournalLocked::new_err(message),
        Error::Io { .. } => StorageError::new_err(message),
        Error::TooLarge { .. } => TooLarge::new_err(message),
        _ => PrecinctError::new_err(message),
    };
    Python::attach(|py| {
        let value = py_err.value(py);
        let set = |name: &str, v: Bound<'_, PyAny>| value.setattr(name, v);
        let mut fields: Vec<(&str, Bound<'_, PyAny>)> =
            vec![("code", e.code().into_pyobject(py)?.into_any())];
        match e {
            Error::Csv {
                file,
                line,
                column,
                reason,
            } => {
                fields.push(("file", file.into_pyobject(py)?.into_any()));
                fields.push(("line", line.into_pyobject(py)?.into_any()));
                fields.push(("column", column.into_pyobject(py)?.into_any()));
                fields.push(("reason", reason.into_pyobject(py)?.into_any()));
            }
            Error::JournalDamaged {
                journal,
                seq,
                reason,
            } => {
                fields.push(("journal", journal.into_pyobject(py)?.into_any()));
                fields.push(("seq", seq.into_pyobject(py)?.into_any()));
                fields.push(("reason", reason.into_pyobject(py)?.into_any()));
            }
            Error::JournalLocked { journal } => {
                fields.push(("journal", journal.into_pyobject(py)?.into_any()));
            }
            Error::TooLarge {
                what,
                needed,
                budget,
            } => {
                fields.push(("what", what.into_pyobject(py)?.into_any()));
                fields.push(("needed", needed.into_pyobject(py)?.into_any()));
                fields.push(("budget", budget.into_pyobject(py)?.into_any()));
            }
            Error::Io { path, reason } => {
                fields.push(("path", path.into_pyobject(py)?.into_any()));
                fields.push(("reason", reason.into_pyobject(py)?.into_any()));
            }
            _ => {}
        }
        for (name, v) in fields {
            set(name, v)?;
        }
        PyResult::Ok(())
    })
    .map_or_else(|e| e, |()| py_err)
}

/// An `InvalidValue` raised by the conversion itself, with its `code` like
/// every other error of the package.
fn invalid_value(message: impl Into<String>) -> PyErr {
    let e = InvalidValue::new_err(message.into());
    Python::attach(|py| e.value(py).setattr("code", "invalid_value")).map_or_else(|e| e, |()| e)
}

fn ok<T>(r: precinct::Result<T>) -> PyResult<T> {
    r.map_err(|e| err(&e))
}

/// The Python side of the conversions (`precinct/_convert.py`).
fn convert<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("precinct._convert")?.getattr(name)
}

/// A core value as Python data, times as `datetime`/`date`.
fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let raw = pythonize(py, value).map_err(|e| PyTypeError::new_err(e.to_string()))?;
    convert(py, "from_core")?.call1((raw,))
}

/// Python data (dicts, lists, datetimes) as a core value; naive times are
/// in `zone`.
fn from_py<T: serde::de::DeserializeOwned>(
    what: &str,
    obj: &Bound<'_, PyAny>,
    zone: Zone,
) -> PyResult<T> {
    // Naive datetimes are placed in the zone by the core's rules (summer
    // time included), through this callback.
    let localize = PyCFunction::new_closure(
        obj.py(),
        None,
        None,
        move |args: &Bound<'_, PyTuple>, _: Option<&Bound<'_, PyDict>>| -> PyResult<String> {
            let local: NaiveDateTime = args.get_item(0)?.extract()?;
            Ok(zone.instant(local).to_rfc3339())
        },
    )?;
    let plain = convert(obj.py(), "to_core")?.call1((obj, localize))?;
    depythonize(&plain).map_err(|e| invalid_value(format!("{what}: {e}")))
}

/// A command dict as a core command; a document failing its checks raises
/// `InvalidIdentityDocument`.
fn command_from_py(obj: &Bound<'_, PyAny>, zone: Zone) -> PyResult<precinct::Command> {
    let json: serde_json::Value = from_py("command", obj, zone)?;
    ok(precinct::Command::from_json(&json))
}

/// Columns as a `Table`; `times` are Unix-second columns.
fn table<'py>(d: Bound<'py, PyDict>, times: &[&str]) -> PyResult<Bound<'py, PyAny>> {
    convert(d.py(), "table")?.call1((d, times.to_vec()))
}

/// Rows as a `Table`.
fn records<'py, T: serde::Serialize>(py: Python<'py>, rows: &[T]) -> PyResult<Bound<'py, PyAny>> {
    let raw = pythonize(py, rows).map_err(|e| PyTypeError::new_err(e.to_string()))?;
    convert(py, "records_table")?.call1((raw,))
}

/// A moment: an aware `datetime`, a naive one (read in `zone`), ISO text or Unix seconds.
fn instant(obj: &Bound<'_, PyAny>, zone: Zone) -> PyResult<Instant> {
    let at = if let Ok(t) = obj.extract::<DateTime<FixedOffset>>() {
        t.with_timezone(&Utc)
    } else if let Ok(t) = obj.extract::<NaiveDateTime>() {
        zone.instant(t)
    } else if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(invalid_value(
            "time `bool` is invalid, expected a datetime, an ISO 8601 string or Unix seconds",
        ));
    } else if let Ok(s) = obj.extract::<i64>() {
        ok(precinct::instant_from_unix("time", s))?
    } else if let Ok(text) = obj.extract::<String>() {
        ok(precinct::parse_instant(&text, zone))?
    } else {
        return Err(invalid_value(format!(
            "time `{}` is invalid, expected a datetime, an ISO 8601 string or whole Unix seconds",
            obj.repr()
                .map_or_else(|_| "?".to_string(), |r| r.to_string())
        )));
    };
    ok(precinct::check_instant("time", at))
}

fn seconds(obj: &Bound<'_, PyAny>, zone: Zone) -> PyResult<i64> {
    Ok(instant(obj, zone)?.timestamp())
}

fn policy_named(name: &str) -> PyResult<Policy> {
    ok(Policy::preset(name))
}

/// The policy preset `name` as a dict (source, effective date, rules).
#[pyfunction]
fn policy<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &policy_named(name)?)
}

/// The names of the policy presets.
#[pyfunction]
fn preset_names() -> Vec<&'static str> {
    precinct::PRESET_NAMES.to_vec()
}

/// Check an identity document of `kind` (`resident_id`, `passport_mrz`,
/// `credit_code`, `mobile`); returns its canonical form.
#[pyfunction]
fn validate_document(kind: &str, text: &str) -> PyResult<String> {
    ok(precinct::validate_document(kind, text))
}

/// What a resident id number says: birth date, sex, region code.
#[pyfunction]
fn resident_id<'py>(py: Python<'py>, number: &str) -> PyResult<Bound<'py, PyDict>> {
    let id = precinct::ResidentId::parse(number).map_err(|e| err(&Error::Id(e)))?;
    let d = PyDict::new(py);
    d.set_item("number", id.as_str())?;
    d.set_item("birth_date", id.birth_date())?;
    d.set_item("sex", to_py(py, &id.sex())?)?;
    d.set_item("region", id.region_code())?;
    Ok(d)
}

/// An identity number masked for display.
#[pyfunction]
fn mask_id_number(number: &str) -> String {
    precinct::mask_id_number(number)
}

/// A mobile number masked for display.
#[pyfunction]
fn mask_phone(phone: &str) -> String {
    precinct::mask_phone(phone)
}

/// A name masked for display.
#[pyfunction]
fn mask_name(name: &str) -> String {
    precinct::mask_name(name)
}

/// A keyed pseudonym (HMAC-SHA-256) of `value`.
#[pyfunction]
fn pseudonym(key: &[u8], value: &str) -> String {
    precinct::pseudonym(key, value)
}

/// Visits (venue check-ins) indexed for co-presence queries.
#[pyclass(module = "precinct", frozen)]
struct Visits {
    inner: precinct::Visits,
    /// The ids as integers, by person number, when they were given as integers.
    int_ids: Option<Vec<i64>>,
}

impl Visits {
    fn new(inner: precinct::Visits) -> Visits {
        // Ids come back as integers only when every id is one written the
        // usual way ("7", not "007"), so no two ids can become the same number.
        let ids: Option<Vec<i64>> = (0..inner.persons().len() as u32)
            .map(|i| {
                let name = inner.persons().name(i);
                name.parse::<i64>().ok().filter(|n| n.to_string() == name)
            })
            .collect();
        Visits {
            inner,
            int_ids: ids,
        }
    }

    fn person_number(&self, person: &Bound<'_, PyAny>) -> PyResult<Option<u32>> {
        let id = if let Ok(i) = person.extract::<i64>() {
            i.to_string()
        } else {
            person.extract::<String>()?
        };
        Ok(self.inner.persons().get(&id))
    }

    /// Person numbers as ids: an int64 array, or a list of str.
    fn ids<'py>(&self, py: Python<'py>, numbers: &[u32]) -> PyResult<Bound<'py, PyAny>> {
        match &self.int_ids {
            Some(ids) => Ok(numbers
                .iter()
                .map(|&n| ids[n as usize])
                .collect::<Vec<i64>>()
                .into_pyarray(py)
                .into_any()),
            None => Ok(
                PyList::new(py, numbers.iter().map(|&n| self.inner.persons().name(n)))?.into_any(),
            ),
        }
    }

    fn window(start: &Bound<'_, PyAny>, end: &Bound<'_, PyAny>) -> PyResult<precinct::Window> {
        let zone = Policy::default().zone();
        ok(precinct::Window::new(
            seconds(start, zone)?,
            seconds(end, zone)?,
        ))
    }
}

#[pymethods]
impl Visits {
    /// Index columns of equal length: ids as int64 arrays or sequences of
    /// str, times as int64 Unix seconds. No Python work per row.
    #[staticmethod]
    fn from_columns<'py>(
        person: &Bound<'py, PyAny>,
        place: &Bound<'py, PyAny>,
        start: PyReadonlyArray1<'py, i64>,
        end: PyReadonlyArray1<'py, i64>,
    ) -> PyResult<Visits> {
        let (start, end) = (start.as_slice()?, end.as_slice()?);
        let inner = if let (Ok(p), Ok(q)) = (
            person.extract::<PyReadonlyArray1<'py, i64>>(),
            place.extract::<PyReadonlyArray1<'py, i64>>(),
        ) {
            precinct::Visits::from_integer_columns(p.as_slice()?, q.as_slice()?, start, end)
        } else {
            // Ids as text: any sequence of str (or of values shown as text).
            let text = |a: &Bound<'_, PyAny>| -> PyResult<Vec<String>> {
                a.try_iter()?
                    .map(|x| {
                        // Text, or whole numbers written as text; never
                        // None or a float shown as text ("None", "1.0").
                        let x = x?;
                        if let Ok(text) = x.extract::<String>() {
                            return Ok(text);
                        }
                        if !x.is_instance_of::<pyo3::types::PyBool>() {
                            if let Ok(n) = x.extract::<i64>() {
                                return Ok(n.to_string());
                            }
                        }
                        Err(invalid_value(format!(
                            "id `{}` is invalid, expected a str or an int",
                            x.repr().map_or_else(|_| "?".to_string(), |r| r.to_string())
                        )))
                    })
                    .collect()
            };
            precinct::Visits::from_columns(&text(person)?, &text(place)?, start, end)
        };
        Ok(Visits::new(ok(inner)?))
    }

    /// Read visits from CSV text (`person_id,place_id,start,end`).
    #[staticmethod]
    #[pyo3(signature = (text, *, policy = "nhc-2020"))]
    fn from_csv(text: &str, policy: &str) -> PyResult<Visits> {
        Ok(Visits::new(ok(precinct::read_visits(
            text.as_bytes(),
            &policy_named(policy)?,
        ))?))
    }

    /// The visits as CSV text.
    #[pyo3(signature = (*, policy = "nhc-2020"))]
    fn to_csv(&self, policy: &str) -> PyResult<String> {
        let mut out = Vec::new();
        ok(precinct::write_visits(
            &self.inner,
            &mut out,
            &policy_named(policy)?,
        ))?;
        String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Visits({} visits, {} persons, {} places)",
            self.inner.len(),
            self.inner.persons().len(),
            self.inner.places().len()
        )
    }

    /// Bytes held by the index (not the id strings).
    #[getter]
    fn index_bytes(&self) -> usize {
        self.inner.index_bytes()
    }

    /// Number of distinct persons.
    #[getter]
    fn persons(&self) -> usize {
        self.inner.persons().len()
    }

    /// Number of distinct places.
    #[getter]
    fn places(&self) -> usize {
        self.inner.places().len()
    }

    /// Columns of Trace(person, [start, end)).
    #[pyo3(signature = (person, start, end, *, min_overlap = 900))]
    fn trace<'py>(
        &self,
        py: Python<'py>,
        person: &Bound<'py, PyAny>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
        min_overlap: i64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let window = Visits::window(start, end)?;
        let min_overlap = ok(precinct::min_overlap(min_overlap))?;
        let rows = match self.person_number(person)? {
            Some(p) => {
                let id = self.inner.persons().name(p).to_string();
                py.detach(|| precinct::trace(&self.inner, &id, window, min_overlap))
            }
            None => Vec::new(),
        };
        let d = PyDict::new(py);
        let numbers: Vec<u32> = rows.iter().map(|r| r.person).collect();
        d.set_item("person_id", self.ids(py, &numbers)?)?;
        d.set_item(
            "total_overlap",
            rows.iter()
                .map(|r| r.total_overlap)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        d.set_item(
            "first_contact",
            rows.iter()
                .map(|r| r.first_contact)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        )?;
        table(d, &["first_contact"])
    }

    /// Ids of Second ring(person, [start, end)).
    #[pyo3(signature = (person, start, end, *, min_overlap = 900))]
    fn second_ring<'py>(
        &self,
        py: Python<'py>,
        person: &Bound<'py, PyAny>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
        min_overlap: i64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let window = Visits::window(start, end)?;
        let min_overlap = ok(precinct::min_overlap(min_overlap))?;
        let ring = match self.person_number(person)? {
            Some(p) => {
                let id = self.inner.persons().name(p).to_string();
                py.detach(|| precinct::second_ring(&self.inner, &id, window, min_overlap))
            }
            None => Vec::new(),
        };
        let d = PyDict::new(py);
        d.set_item("person_id", self.ids(py, &ring)?)?;
        table(d, &[])
    }

    /// The co-presence graph of the day starting at `day_start`. Raises
    /// `TooLarge` when it would take more than `budget` bytes (1 GiB unless given).
    #[pyo3(signature = (day_start, *, min_overlap = 900, edges = false, budget = None))]
    fn day_graph<'py>(
        &self,
        py: Python<'py>,
        day_start: &Bound<'py, PyAny>,
        min_overlap: i64,
        edges: bool,
        budget: Option<u64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let start = ok(precinct::Window::day(seconds(
            day_start,
            Policy::default().zone(),
        )?))?
        .start;
        let min_overlap = ok(precinct::min_overlap(min_overlap))?;
        let budget = budget.unwrap_or(precinct::DEFAULT_BUDGET_BYTES);
        let graph = ok(py.detach(|| {
            precinct::day_graph_with_budget(&self.inner, start, min_overlap, edges, budget)
        }))?;
        let out = PyDict::new(py);
        out.set_item("edges", graph.edges)?;
        out.set_item("max_degree", graph.max_degree)?;
        match graph.max_degree_person {
            Some(p) => out.set_item("max_degree_person", self.ids(py, &[p])?.get_item(0)?)?,
            None => out.set_item("max_degree_person", py.None())?,
        }
        if let Some(list) = graph.edge_list {
            let (first, second): (Vec<u32>, Vec<u32>) = list.into_iter().unzip();
            let columns = PyDict::new(py);
            columns.set_item("a", self.ids(py, &first)?)?;
            columns.set_item("b", self.ids(py, &second)?)?;
            out.set_item("edge_list", table(columns, &[])?)?;
        }
        Ok(out)
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let json = serde_json::to_vec(&slf.get().inner)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let rebuild = py.get_type::<Visits>().getattr("_from_json")?;
        Ok((rebuild, (PyBytes::new(py, &json),)))
    }

    #[staticmethod]
    fn _from_json(data: &[u8]) -> PyResult<Visits> {
        let inner = serde_json::from_slice(data).map_err(|e| invalid_value(e.to_string()))?;
        Ok(Visits::new(inner))
    }
}

/// Trace(person, [start, end)) straight from int64 columns, with no index.
#[pyfunction]
#[pyo3(signature = (person, place, start, end, who, window_start, window_end, *, min_overlap = 900))]
#[expect(
    clippy::too_many_arguments,
    reason = "the four columns, the person and the window"
)]
fn trace_columns<'py>(
    py: Python<'py>,
    person: PyReadonlyArray1<'py, i64>,
    place: PyReadonlyArray1<'py, i64>,
    start: PyReadonlyArray1<'py, i64>,
    end: PyReadonlyArray1<'py, i64>,
    who: i64,
    window_start: &Bound<'py, PyAny>,
    window_end: &Bound<'py, PyAny>,
    min_overlap: i64,
) -> PyResult<Bound<'py, PyAny>> {
    let window = Visits::window(window_start, window_end)?;
    let min_overlap = ok(precinct::min_overlap(min_overlap))?;
    let (persons, places) = (person.as_slice()?, place.as_slice()?);
    let (starts, ends) = (start.as_slice()?, end.as_slice()?);
    let rows = ok(py.detach(|| {
        precinct::trace_columns(persons, places, starts, ends, who, window, min_overlap)
    }))?;
    let d = PyDict::new(py);
    d.set_item(
        "person_id",
        rows.iter()
            .map(|r| r.0)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item(
        "total_overlap",
        rows.iter()
            .map(|r| r.1)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    d.set_item(
        "first_contact",
        rows.iter()
            .map(|r| r.2)
            .collect::<Vec<_>>()
            .into_pyarray(py),
    )?;
    table(d, &["first_contact"])
}

fn csv_text(write: impl FnOnce(&mut Vec<u8>) -> precinct::Result<()>) -> PyResult<String> {
    let mut out = Vec::new();
    ok(write(&mut out))?;
    String::from_utf8(out).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Read a cases CSV (`case_id,person_id,onset,confirmed,infected_by`) into case dicts.
#[pyfunction]
#[pyo3(signature = (text, *, policy = "nhc-2020"))]
fn read_cases<'py>(py: Python<'py>, text: &str, policy: &str) -> PyResult<Bound<'py, PyAny>> {
    to_py(
        py,
        &ok(precinct::read_cases(
            text.as_bytes(),
            &policy_named(policy)?,
        ))?,
    )
}

/// Write case dicts as a cases CSV.
#[pyfunction]
#[pyo3(signature = (cases, *, policy = "nhc-2020"))]
fn write_cases(cases: &Bound<'_, PyAny>, policy: &str) -> PyResult<String> {
    let policy = policy_named(policy)?;
    let cases: Vec<precinct::Case> = from_py("cases", cases, policy.zone())?;
    csv_text(|out| precinct::write_cases(&cases, out, &policy))
}

/// Read households and persons CSVs: `{"households": [...], "persons": [...]}`.
#[pyfunction]
fn read_residents<'py>(
    py: Python<'py>,
    households: &str,
    persons: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let r = ok(precinct::read_residents(
        households.as_bytes(),
        persons.as_bytes(),
    ))?;
    let d = PyDict::new(py);
    d.set_item(
        "households",
        to_py(py, &r.households().collect::<Vec<_>>())?,
    )?;
    d.set_item("persons", to_py(py, &r.persons().collect::<Vec<_>>())?)?;
    Ok(d)
}

/// Read enterprises and resumption reports CSVs: `{"enterprises": [...], "reports": [...]}`.
#[pyfunction]
fn read_resumption<'py>(
    py: Python<'py>,
    enterprises: &str,
    reports: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let r = ok(precinct::read_resumption(
        enterprises.as_bytes(),
        reports.as_bytes(),
    ))?;
    let d = PyDict::new(py);
    d.set_item(
        "enterprises",
        to_py(py, &r.enterprises().collect::<Vec<_>>())?,
    )?;
    d.set_item("reports", to_py(py, &r.reports().collect::<Vec<_>>())?)?;
    Ok(d)
}

/// Transmission chains of case dicts (as `read_cases` gives them):
/// clusters, generations, longest chain, secondary cases, serial intervals
/// and data problems.
#[pyfunction]
#[pyo3(signature = (cases, *, policy = "nhc-2020"))]
fn chains<'py>(
    py: Python<'py>,
    cases: &Bound<'py, PyAny>,
    policy: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let zone = policy_named(policy)?.zone();
    let cases: Vec<precinct::Case> = from_py("cases", cases, zone)?;
    to_py(py, &py.detach(|| precinct::chains(&cases, zone)))
}

/// A station's signing key (keep the seed secret).
#[pyclass(module = "precinct", frozen)]
struct StationKey {
    inner: precinct::StationKey,
}

#[pymethods]
impl StationKey {
    /// The key from a 32-byte secret seed.
    #[new]
    fn new(seed: &[u8]) -> PyResult<StationKey> {
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| invalid_value(format!("key seed of {} bytes, expected 32", seed.len())))?;
        Ok(StationKey {
            inner: precinct::StationKey::from_seed(seed),
        })
    }

    /// The public key checkpoints hold (43 characters of base64url).
    #[getter]
    fn public_key(&self) -> String {
        self.inner.public().to_string()
    }

    /// The secret key of holder digests checkpoints hold to check the
    /// identity card shown (43 characters of base64url; it cannot sign).
    #[getter]
    fn holder_key(&self) -> String {
        self.inner.holder_key().to_string()
    }

    fn __repr__(&self) -> String {
        format!("StationKey(public_key='{}')", self.inner.public())
    }
}

/// Verify a pass token offline: a dict with `allowed`, `reason`, `claims`
/// and, when a `document` was checked, `holder`.
#[pyfunction]
#[pyo3(signature = (token, public_key, *, at, revoked = Vec::new(), document = None, nationality = None, holder_key = None))]
#[expect(
    clippy::too_many_arguments,
    reason = "keyword-only options of one Python function"
)]
fn verify_token<'py>(
    py: Python<'py>,
    token: &str,
    public_key: &str,
    at: &Bound<'py, PyAny>,
    revoked: Vec<u64>,
    document: Option<&str>,
    nationality: Option<&str>,
    holder_key: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let key = ok(precinct::PublicKey::parse(public_key))?;
    let list = precinct::RevocationList {
        serials: revoked.into_iter().collect(),
    };
    let at = instant(at, Policy::default().zone())?;
    let shown = ok(document
        .map(|d| precinct::ShownDocument::parse(d, nationality, holder_key))
        .transpose())?;
    to_py(
        py,
        &precinct::verify_token(token, &key, &list, at, shown.as_ref()),
    )
}

/// The station's record book: every change a command, journaled and replayable.
#[pyclass(module = "precinct")]
struct Book {
    inner: precinct::Book,
}

impl Book {
    fn zone(&self) -> Zone {
        self.inner.policy().zone()
    }

    fn day(&self, obj: &Bound<'_, PyAny>) -> PyResult<NaiveDate> {
        if let Ok(d) = obj.extract::<NaiveDate>() {
            return Ok(d);
        }
        Ok(precinct::local_day(instant(obj, self.zone())?, self.zone()))
    }
}

#[pymethods]
impl Book {
    /// Create a journal file for a new station.
    #[staticmethod]
    #[pyo3(signature = (path, *, policy = "nhc-2020"))]
    fn create(path: std::path::PathBuf, policy: &str) -> PyResult<Book> {
        Ok(Book {
            inner: ok(precinct::Book::create(path, policy_named(policy)?))?,
        })
    }

    /// Open a journal file and replay it.
    #[staticmethod]
    fn open(path: std::path::PathBuf) -> PyResult<Book> {
        Ok(Book {
            inner: ok(precinct::Book::open(path))?,
        })
    }

    /// Open the journal at `path`, or create it.
    #[staticmethod]
    #[pyo3(signature = (path, *, policy = "nhc-2020"))]
    fn open_or_create(path: std::path::PathBuf, policy: &str) -> PyResult<Book> {
        Ok(Book {
            inner: ok(precinct::Book::open_or_create(path, policy_named(policy)?))?,
        })
    }

    /// A new station whose journal is kept in memory.
    #[staticmethod]
    #[pyo3(signature = (*, policy = "nhc-2020"))]
    fn in_memory(policy: &str) -> PyResult<Book> {
        Ok(Book {
            inner: ok(precinct::Book::in_memory(policy_named(policy)?))?,
        })
    }

    /// Replay a journal held as text.
    #[staticmethod]
    fn open_text(text: &str) -> PyResult<Book> {
        Ok(Book {
            inner: ok(precinct::Book::open_text(text))?,
        })
    }

    /// A book in memory starting from a snapshot (as `snapshot()` gave it).
    #[staticmethod]
    fn from_snapshot(snapshot: &Bound<'_, PyAny>) -> PyResult<Book> {
        let snapshot: precinct::Snapshot = from_py("snapshot", snapshot, Policy::default().zone())?;
        Ok(Book {
            inner: ok(precinct::Book::from_snapshot(&snapshot))?,
        })
    }

    /// The demo town's story written into a new book in memory.
    #[staticmethod]
    #[pyo3(signature = (*, seed = 2020, small = false))]
    fn demo(py: Python<'_>, seed: u64, small: bool) -> PyResult<Book> {
        let size = if small {
            precinct::demo::DemoSize::SMALL
        } else {
            precinct::demo::DemoSize::TOWN
        };
        Ok(Book {
            inner: ok(py.detach(|| precinct::demo::demo_book(seed, size)))?,
        })
    }

    /// Validate, journal and apply one command (a dict with a `type`).
    /// Returns the receipt: `seq` and `outcome`.
    #[pyo3(signature = (command, *, by, at))]
    fn execute<'py>(
        &mut self,
        py: Python<'py>,
        command: &Bound<'py, PyAny>,
        by: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = instant(at, self.zone())?;
        let command = command_from_py(command, self.zone())?;
        let receipt = ok(self.inner.execute(by, at, command))?;
        to_py(py, &receipt)
    }

    /// Several `(by, at, command)` entries synced once. Stops at the first
    /// refused one and raises; the ones before it are kept and synced.
    fn execute_batch<'py>(
        &mut self,
        py: Python<'py>,
        entries: Vec<(String, Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let zone = self.zone();
        let mut parsed = Vec::with_capacity(entries.len());
        for (by, at, command) in &entries {
            parsed.push((
                by.clone(),
                instant(at, zone)?,
                from_py::<precinct::Command>("command", command, zone)?,
            ));
        }
        let mut batch = self.inner.batch();
        let mut receipts = Vec::with_capacity(parsed.len());
        for (by, at, command) in parsed {
            match batch.execute(by, at, command) {
                Ok(r) => receipts.push(r),
                Err(e) => {
                    ok(batch.commit())?;
                    return Err(err(&e));
                }
            }
        }
        ok(batch.commit())?;
        to_py(py, &receipts)
    }

    /// Sequence number of the last event.
    #[getter]
    fn seq(&self) -> u64 {
        self.inner.seq()
    }

    /// Hash of the journal's last line, to write down elsewhere.
    #[getter]
    fn head(&self) -> &str {
        self.inner.head()
    }

    /// What opening the journal found (events replayed, a torn line dropped ...).
    #[getter]
    fn recovery<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.recovery())
    }

    /// The journal's text when it is kept in memory, else None.
    #[getter]
    fn journal_text(&self) -> Option<&str> {
        self.inner.journal_text()
    }

    /// The policy in force, as a dict.
    #[getter]
    fn policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.policy())
    }

    /// The whole book as one document.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.snapshot())
    }

    /// Every event that concerns a person, a pass or a stay (give one).
    #[pyo3(signature = (*, person = None, pass_serial = None, stay = None))]
    fn history<'py>(
        &self,
        py: Python<'py>,
        person: Option<String>,
        pass_serial: Option<u64>,
        stay: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let subject = match (person, pass_serial, stay) {
            (Some(p), None, None) => precinct::Subject::Person(p.into()),
            (None, Some(s), None) => precinct::Subject::Pass(s),
            (None, None, Some(s)) => precinct::Subject::Stay(s.into()),
            _ => {
                return Err(invalid_value(
                    "give exactly one of person, pass_serial or stay",
                ))
            }
        };
        to_py(py, &ok(self.inner.history(&subject))?)
    }

    /// The station's summary report as of a moment (a table in a notebook).
    fn report<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let r = self.inner.station().report(instant(as_of, self.zone())?);
        let raw = pythonize(py, &r).map_err(|e| PyTypeError::new_err(e.to_string()))?;
        convert(py, "report")?.call1((raw, r.to_string()))
    }

    /// The visits on record, indexed.
    fn visits(&self) -> Visits {
        Visits::new(self.inner.station().visits.clone())
    }

    /// All persons, households, cases, contacts, orders, passes, stays,
    /// enterprises as lists of dicts, keyed by registry.
    fn records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let st = self.inner.station();
        let d = PyDict::new(py);
        d.set_item(
            "persons",
            to_py(py, &st.residents.persons().collect::<Vec<_>>())?,
        )?;
        d.set_item(
            "households",
            to_py(py, &st.residents.households().collect::<Vec<_>>())?,
        )?;
        d.set_item("cases", to_py(py, &st.cases)?)?;
        d.set_item(
            "contacts",
            to_py(py, &st.contacts.records().collect::<Vec<_>>())?,
        )?;
        d.set_item(
            "orders",
            to_py(py, &st.quarantine.orders().collect::<Vec<_>>())?,
        )?;
        d.set_item(
            "passes",
            to_py(py, &st.passes.passes().collect::<Vec<_>>())?,
        )?;
        d.set_item(
            "stays",
            to_py(py, &st.registrations.stays().collect::<Vec<_>>())?,
        )?;
        d.set_item(
            "enterprises",
            to_py(py, &st.resumption.enterprises().collect::<Vec<_>>())?,
        )?;
        Ok(d)
    }

    /// The close contacts of these cases (all cases when None), with evidence.
    #[pyo3(signature = (cases = None))]
    fn close_contacts<'py>(
        &self,
        py: Python<'py>,
        cases: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ids: Option<Vec<precinct::CaseId>> =
            cases.map(|ids| ids.into_iter().map(Into::into).collect());
        to_py(
            py,
            &ok(self.inner.station().close_contacts_of(ids.as_deref()))?,
        )
    }

    /// Transmission chains of the cases: clusters, generations, serial intervals, problems.
    fn chains<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let st = self.inner.station();
        to_py(py, &precinct::chains(&st.cases, st.policy.zone()))
    }

    /// Resumption rates as of `day`, grouped by `all`, `village`, `sector` or `size`.
    #[pyo3(signature = (day, *, by = "all"))]
    fn resumption_rates<'py>(
        &self,
        py: Python<'py>,
        day: &Bound<'py, PyAny>,
        by: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let by: precinct::GroupBy = ok(by.parse())?;
        records(
            py,
            &self.inner.station().resumption.rates(self.day(day)?, by),
        )
    }

    /// Resumption rates day by day from `start` to `end`.
    #[pyo3(signature = (start, end, *, by = "all"))]
    fn resumption_series<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
        by: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let by: precinct::GroupBy = ok(by.parse())?;
        let (from, to) = (self.day(start)?, self.day(end)?);
        records(
            py,
            &self.inner.station().resumption.daily_series(from, to, by),
        )
    }

    /// Passes issued per day and kind: columns `date`, `kind`, `count`.
    fn passes_per_day<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let rows = self.inner.station().passes_per_day();
        records(py, &rows)
    }

    /// Services by kind and channel between two days: columns `kind`, `channel`, `count`.
    fn service_counts<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (from, to) = (self.day(start)?, self.day(end)?);
        let rows = self.inner.station().service_counts(from, to);
        records(py, &rows)
    }

    /// Foreign nationals' stays not registered within the deadline as of `as_of`.
    fn overdue_registrations<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let st = self.inner.station();
        to_py(
            py,
            &st.registrations
                .overdue(instant(as_of, self.zone())?, &st.policy),
        )
    }

    /// The token of pass `serial`, signed with `key`, for its QR code.
    fn token(&self, serial: u64, key: &StationKey) -> PyResult<String> {
        ok(self.inner.station().passes.token(serial, &key.inner))
    }

    /// Serials of revoked passes, as checkpoints download them.
    fn revocation_list(&self) -> Vec<u64> {
        self.inner
            .station()
            .passes
            .revocation_list()
            .serials
            .into_iter()
            .collect()
    }

    /// The six interchange files (visits, cases, households, persons,
    /// enterprises, reports) as CSV text, by name.
    fn export_csv<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let st = self.inner.station();
        let d = PyDict::new(py);
        d.set_item(
            "visits",
            csv_text(|o| precinct::write_visits(&st.visits, o, &st.policy))?,
        )?;
        d.set_item(
            "cases",
            csv_text(|o| precinct::write_cases(&st.cases, o, &st.policy))?,
        )?;
        d.set_item(
            "households",
            csv_text(|o| precinct::write_households(&st.residents, o))?,
        )?;
        d.set_item(
            "persons",
            csv_text(|o| precinct::write_persons(&st.residents, o))?,
        )?;
        d.set_item(
            "enterprises",
            csv_text(|o| precinct::write_enterprises(&st.resumption, o))?,
        )?;
        d.set_item(
            "reports",
            csv_text(|o| precinct::write_reports(&st.resumption, o))?,
        )?;
        Ok(d)
    }

    /// The analytic export: persons under keyed pseudonyms, identities masked.
    fn analytic_export<'py>(&self, py: Python<'py>, key: &[u8]) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &ok(self.inner.station().analytic_export(key))?)
    }

    fn __repr__(&self) -> String {
        format!(
            "Book(policy='{}', events={}, head='{}')",
            self.inner.policy().name,
            self.inner.seq() - self.inner.recovery().first_seq,
            &self.inner.head()[..12.min(self.inner.head().len())]
        )
    }
}

/// The compiled part of the `precinct` package.
#[pymodule]
fn _precinct(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("PrecinctError", py.get_type::<PrecinctError>())?;
    m.add(
        "InvalidIdentityDocument",
        py.get_type::<InvalidIdentityDocument>(),
    )?;
    m.add("InvalidValue", py.get_type::<InvalidValue>())?;
    m.add("DuplicateRecord", py.get_type::<DuplicateRecord>())?;
    m.add("RecordNotFound", py.get_type::<RecordNotFound>())?;
    m.add("InvalidTransition", py.get_type::<InvalidTransition>())?;
    m.add("NotEligible", py.get_type::<NotEligible>())?;
    m.add("ImplausibleRecord", py.get_type::<ImplausibleRecord>())?;
    m.add("DataImportError", py.get_type::<DataImportError>())?;
    m.add("JournalDamaged", py.get_type::<JournalDamaged>())?;
    m.add("JournalLocked", py.get_type::<JournalLocked>())?;
    m.add("StorageError", py.get_type::<StorageError>())?;
    m.add("TooLarge", py.get_type::<TooLarge>())?;
    m.add_class::<Visits>()?;
    m.add_class::<Book>()?;
    m.add_class::<StationKey>()?;
    m.add_function(wrap_pyfunction!(policy, m)?)?;
    m.add_function(wrap_pyfunction!(preset_names, m)?)?;
    m.add_function(wrap_pyfunction!(validate_document, m)?)?;
    m.add_function(wrap_pyfunction!(resident_id, m)?)?;
    m.add_function(wrap_pyfunction!(mask_id_number, m)?)?;
    m.add_function(wrap_pyfunction!(mask_phone, m)?)?;
    m.add_function(wrap_pyfunction!(mask_name, m)?)?;
    m.add_function(wrap_pyfunction!(pseudonym, m)?)?;
    m.add_function(wrap_pyfunction!(verify_token, m)?)?;
    m.add_function(wrap_pyfunction!(trace_columns, m)?)?;
    m.add_function(wrap_pyfunction!(read_cases, m)?)?;
    m.add_function(wrap_pyfunction!(chains, m)?)?;
    m.add_function(wrap_pyfunction!(write_cases, m)?)?;
    m.add_function(wrap_pyfunction!(read_residents, m)?)?;
    m.add_function(wrap_pyfunction!(read_resumption, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
