//! The compiled record book: the constructors, commands and the one
//! `query` entry of the core's facade. The public `precinct.Book`
//! (`python/precinct/_book.py`) wraps it with one method per query.

use std::path::PathBuf;

use pyo3::prelude::*;

use precinct::{Command, Zone};

use crate::convert::{answer, instant, policy as read_policy, to_json, to_py};
use crate::errors::{invalid, ok, to_py_err};
use crate::passes::StationKey;
use crate::visits::Visits;

/// The station's record book: every change a command, journaled and
/// replayable (the compiled part; use `precinct.Book`).
#[pyclass(module = "precinct._precinct", name = "Book")]
pub struct Book {
    inner: precinct::Book,
}

impl Book {
    fn zone(&self) -> Zone {
        self.inner.policy().zone()
    }

    fn wrap(inner: precinct::Result<precinct::Book>) -> PyResult<Book> {
        Ok(Book { inner: ok(inner)? })
    }

    /// Execute `entries` in one batch synced once; the first refused one
    /// stops the batch and raises, the ones before it kept and synced.
    fn run<'py>(
        &mut self,
        py: Python<'py>,
        parsed: Vec<(String, precinct::Instant, Command)>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let zone = self.zone();
        let mut batch = self.inner.batch();
        let mut receipts = Vec::with_capacity(parsed.len());
        for (by, at, command) in parsed {
            match batch.execute(by, at, command) {
                Ok(r) => receipts.push(r),
                Err(e) => {
                    ok(batch.commit())?;
                    return Err(to_py_err(&e));
                }
            }
        }
        ok(batch.commit())?;
        answer(py, &receipts, zone)
    }
}

/// The answer to `request` as Python data, or with `tables` its lists of
/// records as `Table`s: what `Book.query` and `DeviceBook.query` give.
pub(crate) fn query_answer<'py>(
    py: Python<'py>,
    request: &serde_json::Value,
    answer: &precinct::Value,
    zone: Zone,
    tables: bool,
) -> PyResult<Bound<'py, PyAny>> {
    if !tables {
        return to_py(py, answer, zone);
    }
    // A chain report's tables have their columns even when empty.
    let templates = if request.get("query").and_then(|q| q.as_str()) == Some("chains") {
        precinct::ChainReport::TABLE_COLUMNS
    } else {
        &[]
    };
    crate::convert::tables(py, answer, zone, templates)
}

/// A command given as Python data, read by the core (naive times in `zone`):
/// the one way `execute` and `execute_batch` read commands.
fn command(obj: &Bound<'_, PyAny>, zone: Zone) -> PyResult<Command> {
    ok(Command::from_json_in(&to_json("command", obj)?, zone))
}

#[pymethods]
impl Book {
    /// Create a journal file for a new station.
    #[staticmethod]
    #[pyo3(signature = (path, *, policy = None))]
    fn create(path: PathBuf, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Book> {
        Book::wrap(precinct::Book::create(path, read_policy(policy)?))
    }

    /// Open a journal file and replay it.
    #[staticmethod]
    #[pyo3(signature = (path, *, progress = None))]
    fn open(py: Python<'_>, path: PathBuf, progress: Option<&Bound<'_, PyAny>>) -> PyResult<Book> {
        Book::wrap(crate::progress::detach(py, progress, || {
            precinct::Book::open(path)
        })?)
    }

    /// Open the journal at `path`, or create it.
    #[staticmethod]
    #[pyo3(signature = (path, *, policy = None))]
    fn open_or_create(path: PathBuf, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Book> {
        Book::wrap(precinct::Book::open_or_create(path, read_policy(policy)?))
    }

    /// A new station whose journal is kept in memory.
    #[staticmethod]
    #[pyo3(signature = (*, policy = None))]
    fn in_memory(policy: Option<&Bound<'_, PyAny>>) -> PyResult<Book> {
        Book::wrap(precinct::Book::in_memory(read_policy(policy)?))
    }

    /// Replay a journal held as text.
    #[staticmethod]
    #[pyo3(signature = (text, *, progress = None))]
    fn open_text(
        py: Python<'_>,
        text: &str,
        progress: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Book> {
        Book::wrap(crate::progress::detach(py, progress, || {
            precinct::Book::open_text(text)
        })?)
    }

    /// A book in memory starting from a snapshot (as `snapshot()` gave it).
    #[staticmethod]
    fn from_snapshot(snapshot: &Bound<'_, PyAny>) -> PyResult<Book> {
        // A snapshot's times carry their offsets, as a journal's do.
        let snapshot: precinct::Snapshot =
            serde_json::from_value(to_json("snapshot", snapshot)?)
                .map_err(|e| invalid("snapshot", e, "a snapshot as Book.snapshot() gives it"))?;
        Book::wrap(precinct::Book::from_snapshot(&snapshot))
    }

    /// The demo town's story written into a new book in memory.
    #[staticmethod]
    #[pyo3(signature = (*, seed = 2020, small = false, progress = None))]
    fn demo(
        py: Python<'_>,
        seed: u64,
        small: bool,
        progress: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Book> {
        let size = if small {
            precinct::demo::DemoSize::SMALL
        } else {
            precinct::demo::DemoSize::TOWN
        };
        Book::wrap(crate::progress::detach(py, progress, || {
            precinct::demo::demo_book(seed, size)
        })?)
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
        let zone = self.zone();
        let at = instant("at", at, zone)?;
        let command = self::command(command, zone)?;
        answer(py, &ok(self.inner.execute(by, at, command))?, zone)
    }

    /// Several `(by, at, command)` entries synced once. Stops at the first
    /// refused one and raises; the ones before it are kept and synced.
    fn execute_batch<'py>(
        &mut self,
        py: Python<'py>,
        entries: Vec<(String, Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let zone = self.zone();
        let parsed = entries
            .iter()
            .map(|(by, at, c)| Ok((by.clone(), instant("at", at, zone)?, command(c, zone)?)))
            .collect::<PyResult<Vec<_>>>()?;
        self.run(py, parsed)
    }

    /// Put records read from CSV text or frames into the book, as the
    /// commands that record them (`precinct::Import`): `kind` is `visits`,
    /// `cases`, `interviews`, `residents` (`source` the households, `other`
    /// the persons) or `resumption` (enterprises and reports). Every row is
    /// read first, and a bad one raises `DataImportError` before any command
    /// runs; the commands then run as `execute_batch` runs them.
    #[pyo3(signature = (kind, source, other = None, *, by, at, columns = None, other_columns = None))]
    #[allow(clippy::too_many_arguments)]
    fn import_records<'py>(
        &mut self,
        py: Python<'py>,
        kind: &str,
        source: &Bound<'py, PyAny>,
        other: Option<&Bound<'py, PyAny>>,
        by: &str,
        at: &Bound<'py, PyAny>,
        columns: Option<Vec<(String, String)>>,
        other_columns: Option<Vec<(String, String)>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let policy = self.inner.policy().clone();
        let at = instant("at", at, policy.zone())?;
        let records = crate::files::import(kind, source, other, &policy, columns, other_columns)?;
        let entries = records
            .commands()
            .into_iter()
            .map(|c| (by.to_string(), at, c))
            .collect();
        self.run(py, entries)
    }

    /// Answer a query given by name: `{"query": "missing_reports", "day": ...}`
    /// (see `precinct.query_names()`); times in the policy's zone. With
    /// `tables`, lists of records come back as `Table`s.
    #[pyo3(signature = (request, *, tables = false))]
    fn query<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
        tables: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = to_json("query", request)?;
        let answer = ok(self.inner.query(&request))?;
        query_answer(py, &request, &answer, self.zone(), tables)
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
        answer(py, self.inner.recovery(), self.zone())
    }

    /// The journal's text when it is kept in memory, else None.
    #[getter]
    fn journal_text(&self) -> Option<&str> {
        self.inner.journal_text()
    }

    /// The policy in force, as a dict.
    #[getter]
    fn policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        answer(py, self.inner.policy(), self.zone())
    }

    /// The whole book as one document.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        answer(py, &self.inner.snapshot(), self.zone())
    }

    /// The whole book as JSON text: a `DeviceBook`'s base.
    fn snapshot_text(&self) -> String {
        self.inner.snapshot().to_text()
    }

    /// The visits on record, indexed, under the book's policy.
    fn visits(&self) -> Visits {
        Visits::new(
            self.inner.station().visits().clone(),
            self.inner.policy().clone(),
            false,
        )
    }

    /// Check that a form's field names a record on record.
    fn check_reference(&self, kind: &str, id: &str) -> PyResult<()> {
        ok(self.inner.station().check_reference(kind, id))
    }

    /// The token of pass `serial`, signed with `key`, for its QR code.
    fn token(&self, serial: u64, key: &StationKey) -> PyResult<String> {
        ok(self.inner.station().passes().token(serial, &key.inner))
    }

    fn __repr__(&self) -> String {
        let head = self.inner.head();
        format!(
            "Book(policy='{}', events={}, head='{}')",
            self.inner.policy().name,
            self.inner.seq() - self.inner.recovery().first_seq,
            head.get(..12).unwrap_or(head)
        )
    }
}
