//! Visits indexed for co-presence queries. The requests (window, day,
//! minimum overlap) are read by the core under the index's policy
//! ([`TraceRequest`], [`DayGraphRequest`]); columns go in and out as numpy.

use numpy::{IntoPyArray, PyReadonlyArray1};
use std::fmt::Write as _;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyList, PyString};
use serde_json::json;

use precinct::{DayGraphRequest, Policy, TraceRequest, Zone};

use crate::convert::{instant, moment_json, optional_json, policy as read_policy, table, to_json};
use crate::errors::{invalid, ok};

/// What pickling calls to rebuild visits, and its arguments.
type Reduced<'py> = (
    Bound<'py, PyAny>,
    (Bound<'py, PyBytes>, Bound<'py, PyBytes>, bool),
);

/// Visits (venue check-ins) indexed for co-presence queries, under a
/// policy (its zone for naive times, its minimum overlap).
#[pyclass(module = "precinct", frozen)]
pub struct Visits {
    inner: precinct::Visits,
    policy: Policy,
    /// The person ids by number, when they were given as Python or numpy
    /// integers (they come back as integers then): answers are a gather,
    /// not a parse per row.
    int_ids: Option<Vec<i64>>,
}

impl Visits {
    pub fn new(inner: precinct::Visits, policy: Policy, int_ids: bool) -> Visits {
        // Names of integer ids are their decimal form.
        let int_ids = int_ids.then(|| {
            (0..inner.persons().len() as u32)
                .map(|n| inner.persons().name(n).parse().unwrap_or_default())
                .collect()
        });
        Visits {
            inner,
            policy,
            int_ids,
        }
    }

    /// Person numbers as ids: an int64 array when they were given as
    /// integers, else a list of str.
    fn ids<'py>(&self, py: Python<'py>, numbers: &[u32]) -> PyResult<Bound<'py, PyAny>> {
        if let Some(ids) = &self.int_ids {
            let ids: Vec<i64> = numbers.iter().map(|&n| ids[n as usize]).collect();
            return Ok(ids.into_pyarray(py).into_any());
        }
        let names = numbers.iter().map(|&n| self.inner.persons().name(n));
        Ok(PyList::new(py, names)?.into_any())
    }
}

fn trace_request(
    policy: &Policy,
    person: &Bound<'_, PyAny>,
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
    min_overlap: Option<&Bound<'_, PyAny>>,
) -> PyResult<(TraceRequest, precinct::Window, i64)> {
    let request = json!({
        "person": to_json("person", person)?,
        "start": moment_json("start", start)?,
        "end": moment_json("end", end)?,
        "min_overlap": optional_json("min_overlap", min_overlap)?,
    });
    let r: TraceRequest = ok(precinct::read_input("trace", &request, policy.zone()))?;
    let window = ok(r.window())?;
    let min_overlap = ok(r.min_overlap(policy))?;
    Ok((r, window, min_overlap))
}

/// An id column: an int64 array, or a sequence of str or int (never None,
/// a float or a bool shown as text). Text is trimmed, as the CSV reader
/// trims a field, and must not be blank. Returns the ids as text and
/// whether every one was an integer.
fn id_column(what: &str, column: &Bound<'_, PyAny>) -> PyResult<(Vec<String>, bool)> {
    let mut all_int = true;
    let ids = column
        .try_iter()?
        .map(|x| {
            let x = x?;
            if let Ok(text) = x.cast::<PyString>() {
                all_int = false;
                let text: String = text.extract()?;
                let text = text.trim();
                if text.is_empty() {
                    return Err(invalid(what, x.repr()?, "an id that is not blank"));
                }
                return Ok(text.to_string());
            }
            if !x.is_instance_of::<PyBool>() {
                if let Ok(n) = x.extract::<i64>() {
                    return Ok(n.to_string());
                }
            }
            Err(invalid(what, x.repr()?, "a str or an int"))
        })
        .collect::<PyResult<Vec<String>>>()?;
    Ok((ids, all_int))
}

/// A numpy array of whole numbers (any width, strided) as a contiguous
/// int64 array, and whole floats as theirs; any other value as it is.
/// Unsigned numbers beyond int64 and floats with fractions stay as they are
/// (ids then read as text, times refused by name).
fn int64_array<'py>(column: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let numpy = column.py().import("numpy")?;
    if !column.is_instance(&numpy.getattr("ndarray")?)?
        || column.getattr("ndim")?.extract::<usize>()? != 1
    {
        return Ok(column.clone());
    }
    let kind: String = column.getattr("dtype")?.getattr("kind")?.extract()?;
    let size: usize = column.getattr("size")?.extract()?;
    let fits = match kind.as_str() {
        "i" => true,
        "u" => size == 0 || i64::try_from(column.call_method0("max")?.extract::<u64>()?).is_ok(),
        "f" => {
            let finite = numpy
                .call_method1("isfinite", (column,))?
                .call_method0("all")?
                .extract::<bool>()?;
            let whole = numpy
                .call_method1("equal", (column, numpy.call_method1("round", (column,))?))?
                .call_method0("all")?
                .extract::<bool>()?;
            let small = size == 0
                || numpy
                    .call_method1("abs", (column,))?
                    .call_method0("max")?
                    .extract::<f64>()?
                    < 9_007_199_254_740_992.0;
            finite && whole && small
        }
        _ => false,
    };
    if fits {
        numpy.call_method1("ascontiguousarray", (column, "int64"))
    } else {
        Ok(column.clone())
    }
}

/// A time column as Unix seconds: an int64 array (Unix seconds), a numpy
/// `datetime64` array (naive wall-clock times, read in `zone`), or a
/// sequence of moments (datetimes, ISO text, Unix seconds).
fn seconds_column(what: &str, column: &Bound<'_, PyAny>, zone: Zone) -> PyResult<Vec<i64>> {
    let column = &int64_array(column)?;
    if let Ok(a) = column.extract::<PyReadonlyArray1<'_, i64>>() {
        return Ok(a.as_slice()?.to_vec());
    }
    let numpy = column.py().import("numpy")?;
    if column.is_instance(&numpy.getattr("ndarray")?)?
        && column
            .getattr("dtype")?
            .getattr("kind")?
            .extract::<String>()?
            == "M"
    {
        let wall: PyReadonlyArray1<'_, i64> = column
            .call_method1("astype", ("datetime64[s]",))?
            .call_method1("astype", ("int64",))?
            .extract()?;
        return wall
            .as_slice()?
            .iter()
            .map(|&s| {
                let local = chrono::DateTime::from_timestamp(s, 0)
                    .ok_or_else(|| invalid(what, s, "a datetime64 value within the calendar"))?
                    .naive_utc();
                Ok(zone.instant(local).timestamp())
            })
            .collect();
    }
    column
        .try_iter()?
        .map(|t| Ok(instant(what, &t?, zone)?.timestamp()))
        .collect()
}

#[pymethods]
impl Visits {
    /// Index columns of equal length: ids as int64 arrays or sequences of
    /// str or int; times as int64 Unix seconds, numpy `datetime64` (naive:
    /// wall-clock times in the policy's zone) or sequences of datetimes.
    /// `progress`: `True` for a progress bar, or a callable
    /// `progress(stage, done, total)` told of the index's steps.
    #[staticmethod]
    #[pyo3(signature = (person, place, start, end, *, policy = None, progress = None))]
    fn from_columns<'py>(
        person: &Bound<'py, PyAny>,
        place: &Bound<'py, PyAny>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
        policy: Option<&Bound<'_, PyAny>>,
        progress: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Visits> {
        let py = person.py();
        let policy = read_policy(policy)?;
        let zone = policy.zone();
        let (start, end) = (
            seconds_column("start", start, zone)?,
            seconds_column("end", end, zone)?,
        );
        let (person, place) = (int64_array(person)?, int64_array(place)?);
        if let (Ok(p), Ok(q)) = (
            person.extract::<PyReadonlyArray1<'py, i64>>(),
            place.extract::<PyReadonlyArray1<'py, i64>>(),
        ) {
            let (p, q) = (p.as_slice()?, q.as_slice()?);
            let inner = crate::progress::detach(py, progress, || {
                precinct::Visits::from_integer_columns(p, q, &start, &end)
            })?;
            return Ok(Visits::new(ok(inner)?, policy, true));
        }
        let (persons, int_ids) = id_column("person", &person)?;
        let (places, _) = id_column("place", &place)?;
        let inner = crate::progress::detach(py, progress, || {
            precinct::Visits::from_columns(&persons, &places, &start, &end)
        })?;
        Ok(Visits::new(ok(inner)?, policy, int_ids))
    }

    /// Index the visits of a pandas or polars `DataFrame` or a pyarrow Table
    /// (columns as in `from_columns`; aware time columns are exact, naive
    /// ones wall-clock times in the policy's zone). A frame whose columns
    /// cannot be taken whole (a missing value, a time that is not one) is
    /// read cell by cell, and the first bad cell raises `DataImportError`
    /// with its row and column.
    #[staticmethod]
    #[pyo3(signature = (frame, *, person = "person_id", place = "place_id", start = "start", end = "end", policy = None, progress = None))]
    #[allow(clippy::too_many_arguments)]
    fn from_frame<'py>(
        frame: &Bound<'py, PyAny>,
        person: &str,
        place: &str,
        start: &str,
        end: &str,
        policy: Option<&Bound<'_, PyAny>>,
        progress: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Visits> {
        let py = frame.py();
        let whole = (|| {
            let columns = py
                .import("precinct._frame")?
                .getattr("columns")?
                .call1((frame, (person, place, start, end)))?;
            let (p, q, s, e): (
                Bound<'py, PyAny>,
                Bound<'py, PyAny>,
                Bound<'py, PyAny>,
                Bound<'py, PyAny>,
            ) = columns.extract()?;
            Visits::from_columns(&p, &q, &s, &e, policy, progress)
        })();
        let Err(failed) = whole else { return whole };
        // The exact way, cell by cell as the CSV file would be read: it
        // names the row and column of a bad cell, and takes what the CSV
        // file would (ids of mixed types or with fractions, as text).
        let names = [
            ("person_id", person),
            ("place_id", place),
            ("start", start),
            ("end", end),
        ];
        let columns: Vec<(String, String)> = names
            .iter()
            .map(|(n, s)| ((*n).to_string(), (*s).to_string()))
            .collect();
        let Ok(arrow) = py
            .import("precinct._io")?
            .getattr("_arrow")?
            .call1((frame,))
        else {
            return Err(failed);
        };
        let cells = match crate::frame::read("visits frame", &arrow, &columns) {
            Ok(cells) => cells,
            // A bad cell or column, named: that is the error to give.
            Err(e) if e.is_instance_of::<crate::errors::PrecinctError>(py) => return Err(e),
            Err(_) => return Err(failed),
        };
        let policy = read_policy(policy)?;
        let inner = crate::progress::detach(py, progress, || {
            precinct::read_visits_frame(&cells, &policy)
        })?;
        Ok(Visits::new(ok(inner)?, policy, false))
    }

    /// Read visits from CSV text (`person_id,place_id,start,end`).
    /// `progress`: `True` for a progress bar, or a callable
    /// `progress(stage, done, total)` told of the bytes read.
    #[staticmethod]
    #[pyo3(signature = (text, *, policy = None, progress = None))]
    fn from_csv(
        py: Python<'_>,
        text: &str,
        policy: Option<&Bound<'_, PyAny>>,
        progress: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Visits> {
        let policy = read_policy(policy)?;
        let size = Some(("visits", text.len() as u64));
        let inner = ok(crate::progress::detach_sized(py, progress, size, || {
            precinct::read_visits(text.as_bytes(), &policy)
        })?)?;
        Ok(Visits::new(inner, policy, false))
    }

    /// The visits as CSV text, times in the policy's zone.
    fn to_csv(&self) -> PyResult<String> {
        let mut out = Vec::new();
        ok(precinct::write_visits(&self.inner, &mut out, &self.policy))?;
        crate::convert::text(out)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Visits({} visits, {} persons, {} places, policy='{}')",
            self.inner.len(),
            self.inner.persons().len(),
            self.inner.places().len(),
            self.policy.name
        )
    }

    /// The visits at a glance in a notebook: rows, persons, places, the
    /// time span in the policy's zone and the index's size.
    fn _repr_html_(&self) -> String {
        let zone = self.policy.zone();
        let at = |s: i64| {
            chrono::DateTime::from_timestamp(s, 0)
                .map_or_else(|| s.to_string(), |t| precinct::render_instant(t, zone))
        };
        let span = self.inner.span().map_or_else(
            || "none".to_string(),
            |(a, b)| format!("{} to {}", at(a), at(b)),
        );
        let rows = [
            ("visits", self.inner.len().to_string()),
            ("persons", self.inner.persons().len().to_string()),
            ("places", self.inner.places().len().to_string()),
            ("from first start to last end", span),
            (
                "index",
                format!("{:.1} MB", self.inner.index_bytes() as f64 / 1e6),
            ),
            ("policy", format!("{} (zone {zone})", self.policy.name)),
        ];
        let mut body = String::new();
        for (k, v) in rows {
            let _ = write!(
                body,
                "<tr><th style='text-align:left'>{k}</th><td>{}</td></tr>",
                escape(&v)
            );
        }
        format!("<table><caption>Visits</caption>{body}</table>")
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

    /// Columns of Trace(person, [start, end)): `person_id`, `total_overlap`,
    /// `first_contact`. The minimum overlap is the policy's unless given.
    #[pyo3(signature = (person, start, end, *, min_overlap = None))]
    fn trace<'py>(
        &self,
        py: Python<'py>,
        person: &Bound<'py, PyAny>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
        min_overlap: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (r, window, min_overlap) =
            trace_request(&self.policy, person, start, end, min_overlap)?;
        let rows = py.detach(|| precinct::trace(&self.inner, &r.person, window, min_overlap));
        let d = PyDict::new(py);
        let numbers: Vec<u32> = rows.iter().map(|r| r.person).collect();
        d.set_item("person_id", self.ids(py, &numbers)?)?;
        let overlap: Vec<i64> = rows.iter().map(|r| r.total_overlap).collect();
        d.set_item("total_overlap", overlap.into_pyarray(py))?;
        let first: Vec<i64> = rows.iter().map(|r| r.first_contact).collect();
        d.set_item("first_contact", first.into_pyarray(py))?;
        table(d, &["first_contact"], self.policy.zone())
    }

    /// Ids of Second ring(person, [start, end)): column `person_id`.
    #[pyo3(signature = (person, start, end, *, min_overlap = None))]
    fn second_ring<'py>(
        &self,
        py: Python<'py>,
        person: &Bound<'py, PyAny>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
        min_overlap: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (r, window, min_overlap) =
            trace_request(&self.policy, person, start, end, min_overlap)?;
        let ring = py.detach(|| precinct::second_ring(&self.inner, &r.person, window, min_overlap));
        let d = PyDict::new(py);
        d.set_item("person_id", self.ids(py, &ring)?)?;
        table(d, &[], self.policy.zone())
    }

    /// The co-presence graph of a local day (a date, or a time on that day)
    /// in the policy's zone: `edges`, `max_degree`, `max_degree_person`,
    /// `persons_with_edge`, and with `edges=True` an `edge_list` table.
    /// Raises `TooLarge` when the core's answer would take more than
    /// `budget` bytes (1 GiB unless given): 4 bytes a person and worker,
    /// and 8 bytes an edge. The edge list's columns take more in Python:
    /// 16 bytes an edge as int64 arrays (integer ids), a Python str per
    /// edge end otherwise.
    #[pyo3(signature = (day, *, min_overlap = None, edges = false, budget = None))]
    fn day_graph<'py>(
        &self,
        py: Python<'py>,
        day: &Bound<'py, PyAny>,
        min_overlap: Option<&Bound<'py, PyAny>>,
        edges: bool,
        budget: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let request = json!({
            "day": moment_json("day", day)?,
            "min_overlap": optional_json("min_overlap", min_overlap)?,
            "edges": edges,
            "budget": optional_json("budget", budget)?,
        });
        let r: DayGraphRequest = ok(precinct::read_input(
            "day graph",
            &request,
            self.policy.zone(),
        ))?;
        let (start, min_overlap) = (r.day_start(&self.policy), ok(r.min_overlap(&self.policy))?);
        let graph = ok(py.detach(|| {
            precinct::day_graph_with_budget(&self.inner, start, min_overlap, r.edges, r.budget())
        }))?;
        let out = PyDict::new(py);
        out.set_item("edges", graph.edges)?;
        out.set_item("max_degree", graph.max_degree)?;
        out.set_item("persons_with_edge", graph.persons_with_edge)?;
        let hub: Vec<u32> = graph.max_degree_person.into_iter().collect();
        out.set_item(
            "max_degree_person",
            self.ids(py, &hub)?.try_iter()?.next().transpose()?,
        )?;
        if let Some(list) = graph.edge_list {
            // Integer ids go straight into two int64 arrays.
            let columns = PyDict::new(py);
            if let Some(ids) = &self.int_ids {
                let (first, second): (Vec<i64>, Vec<i64>) = py.detach(|| {
                    list.iter()
                        .map(|&(a, b)| (ids[a as usize], ids[b as usize]))
                        .unzip()
                });
                columns.set_item("a", first.into_pyarray(py))?;
                columns.set_item("b", second.into_pyarray(py))?;
            } else {
                let (first, second): (Vec<u32>, Vec<u32>) = list.into_iter().unzip();
                columns.set_item("a", self.ids(py, &first)?)?;
                columns.set_item("b", self.ids(py, &second)?)?;
            }
            out.set_item("edge_list", table(columns, &[], self.policy.zone())?)?;
        }
        Ok(out)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        let py = slf.py();
        let this = slf.get();
        let visits = serde_json::to_vec(&this.inner)
            .map_err(|e| invalid("visits", e, "serializable visits"))?;
        let policy = serde_json::to_vec(&this.policy)
            .map_err(|e| invalid("policy", e, "a serializable policy"))?;
        let rebuild = py.get_type::<Visits>().getattr("_from_json")?;
        Ok((
            rebuild,
            (
                PyBytes::new(py, &visits),
                PyBytes::new(py, &policy),
                this.int_ids.is_some(),
            ),
        ))
    }

    #[staticmethod]
    fn _from_json(visits: &[u8], policy: &[u8], int_ids: bool) -> PyResult<Visits> {
        let inner = serde_json::from_slice(visits)
            .map_err(|e| invalid("visits", e, "visits as pickling writes them"))?;
        let policy = serde_json::from_slice(policy)
            .map_err(|e| invalid("policy", e, "a policy as pickling writes it"))?;
        Ok(Visits::new(inner, policy, int_ids))
    }
}

/// Trace(person, [start, end)) straight from int64 columns, with no index;
/// the window and the minimum overlap read under the policy.
#[pyfunction]
#[pyo3(signature = (person, place, start, end, who, window_start, window_end, *, min_overlap = None, policy = None))]
#[expect(
    clippy::too_many_arguments,
    reason = "the four columns, the person, the window and the options"
)]
pub fn trace_columns<'py>(
    py: Python<'py>,
    person: PyReadonlyArray1<'py, i64>,
    place: PyReadonlyArray1<'py, i64>,
    start: PyReadonlyArray1<'py, i64>,
    end: PyReadonlyArray1<'py, i64>,
    who: &Bound<'py, PyInt>,
    window_start: &Bound<'py, PyAny>,
    window_end: &Bound<'py, PyAny>,
    min_overlap: Option<&Bound<'py, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let policy = read_policy(policy)?;
    let (_, window, min_overlap) =
        trace_request(&policy, who.as_any(), window_start, window_end, min_overlap)?;
    let who: i64 = who.extract().map_err(|_| {
        invalid(
            "who",
            who.as_any()
                .repr()
                .map(|r| r.to_string())
                .unwrap_or_default(),
            "an id within 64 bits",
        )
    })?;
    let (persons, places) = (person.as_slice()?, place.as_slice()?);
    let (starts, ends) = (start.as_slice()?, end.as_slice()?);
    let rows = ok(py.detach(|| {
        precinct::trace_columns(persons, places, starts, ends, who, window, min_overlap)
    }))?;
    let d = PyDict::new(py);
    let column = |f: fn(&(i64, i64, i64)) -> i64| rows.iter().map(f).collect::<Vec<i64>>();
    d.set_item("person_id", column(|r| r.0).into_pyarray(py))?;
    d.set_item("total_overlap", column(|r| r.1).into_pyarray(py))?;
    d.set_item("first_contact", column(|r| r.2).into_pyarray(py))?;
    table(d, &["first_contact"], policy.zone())
}

/// Text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
