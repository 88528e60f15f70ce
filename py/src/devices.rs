//! The record book as kept on one of several devices, merged with the
//! others' events without loss (the compiled part; use
//! `precinct.DeviceBook`). Every rule is the core's
//! ([`precinct::DeviceBook`]); this only converts.

use std::collections::BTreeMap;

use pyo3::prelude::*;

use precinct::{Command, Zone};

use crate::convert::{answer, instant, to_json};
use crate::errors::ok;
use crate::passes::StationKey;

/// The record book kept on one device of several.
#[pyclass(module = "precinct._precinct", name = "DeviceBook")]
pub struct DeviceBook {
    inner: precinct::DeviceBook,
}

impl DeviceBook {
    fn zone(&self) -> Zone {
        self.inner.station().policy().zone()
    }
}

#[pymethods]
impl DeviceBook {
    /// A device's book from the station's base (`Book.snapshot_text()`).
    #[staticmethod]
    #[pyo3(signature = (base, *, device, number))]
    fn create(base: &str, device: &str, number: u32) -> PyResult<DeviceBook> {
        Ok(DeviceBook {
            inner: ok(precinct::DeviceBook::create(base, device, number))?,
        })
    }

    /// Reopen a device's book from its base and the lines it kept.
    #[staticmethod]
    #[pyo3(signature = (base, *, device, journal))]
    fn open(base: &str, device: &str, journal: &str) -> PyResult<DeviceBook> {
        Ok(DeviceBook {
            inner: ok(precinct::DeviceBook::open(base, device, journal))?,
        })
    }

    /// Validate a command against the merged records and record it on this device.
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
        let command = ok(Command::from_json_in(&to_json("command", command)?, zone))?;
        answer(py, &ok(self.inner.execute(by, at, command))?, zone)
    }

    /// Take other devices' lines, checking every chain first.
    fn merge<'py>(&mut self, py: Python<'py>, lines: &str) -> PyResult<Bound<'py, PyAny>> {
        let report = ok(self.inner.merge(lines))?;
        answer(py, &report, self.zone())
    }

    /// The lines a device with `frontier` lacks.
    fn lines_since(&self, frontier: BTreeMap<String, u64>) -> String {
        self.inner.lines_since(&frontier)
    }

    /// The last sequence number held of each device.
    #[getter]
    fn frontier(&self) -> BTreeMap<String, u64> {
        self.inner.frontier()
    }

    /// Every device's lines, headers first: what to keep.
    #[getter]
    fn journal_text(&self) -> String {
        self.inner.journal_text()
    }

    /// The conflicts still open, in the merged order of their events.
    #[getter]
    fn conflicts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        answer(py, &self.inner.conflicts(), self.zone())
    }

    /// Every conflict found, resolved or not.
    #[getter]
    fn all_conflicts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        answer(py, &self.inner.all_conflicts(), self.zone())
    }

    /// An identifier no other device issues.
    fn new_id(&self, prefix: &str) -> String {
        self.inner.new_id(prefix)
    }

    /// Answer any query given by name from the merged records.
    #[pyo3(signature = (request, *, tables = false))]
    fn query<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
        tables: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = to_json("query", request)?;
        let answer = ok(self.inner.query(&request))?;
        crate::book::query_answer(py, &request, &answer, self.zone(), tables)
    }

    /// This device's name.
    #[getter]
    fn device(&self) -> &str {
        self.inner.device()
    }

    /// This device's number.
    #[getter]
    fn number(&self) -> u32 {
        self.inner.number()
    }

    /// The policy in force (the base's), as a dict.
    #[getter]
    fn policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        answer(py, self.inner.station().policy(), self.zone())
    }

    /// Events held, over all devices.
    #[getter]
    fn events(&self) -> u64 {
        self.inner.events()
    }

    /// The signed token of pass `serial` for its QR code.
    fn token(&self, serial: u64, key: &StationKey) -> PyResult<String> {
        ok(self.inner.station().passes().token(serial, &key.inner))
    }

    fn __repr__(&self) -> String {
        format!(
            "DeviceBook(device='{}', number={}, events={}, open conflicts={})",
            self.inner.device(),
            self.inner.number(),
            self.inner.events(),
            self.inner.conflicts().len()
        )
    }
}
