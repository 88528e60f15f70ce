//! The record book as kept on one of several devices, merged with the
//! others' events without loss (the compiled part; use
//! `precinct.DeviceBook`). Every rule is the core's
//! ([`precinct::DeviceBook`]); this only converts.

use std::collections::BTreeMap;

use pyo3::prelude::*;

use precinct::{Command, Zone};

use crate::convert::{answer, instant, read, to_json};
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

    /// Reopen a device's book from its base and the lines it kept; with
    /// `base_hash`, the base's SHA-256 as the caller computed it.
    #[staticmethod]
    #[pyo3(signature = (base, *, device, journal, base_hash = None))]
    fn open(
        base: &str,
        device: &str,
        journal: &str,
        base_hash: Option<&str>,
    ) -> PyResult<DeviceBook> {
        let inner = match base_hash {
            Some(hash) => precinct::DeviceBook::open_with_base_hash(base, hash, device, journal),
            None => precinct::DeviceBook::open(base, device, journal),
        };
        Ok(DeviceBook { inner: ok(inner)? })
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

    /// The SHA-256 of the base text (64 hex digits): a checkpoint kit
    /// carries it, so a checkpoint's chain merges with this station's books.
    #[getter]
    fn base_hash(&self) -> &str {
        self.inner.base_hash()
    }

    /// Every device this book has heard of, with its number.
    #[getter]
    fn devices(&self) -> BTreeMap<String, u32> {
        self.inner.devices()
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

    /// Check that a form's field names a record on record.
    fn check_reference(&self, kind: &str, id: &str) -> PyResult<()> {
        ok(self.inner.station().check_reference(kind, id))
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

/// The chain of a checkpoint device that keeps no records, only the
/// station's kit: the crossings it judged offline, as device lines any
/// `DeviceBook.merge` takes. Merged, each crossing stands as the checkpoint
/// decided it; where the merged records decide otherwise (a pass revoked on
/// another device) the merge reports a conflict.
///
/// >>> import precinct
/// >>> desk = precinct.DeviceBook.create(precinct.Book.in_memory().snapshot_text(), device="desk", number=1)
/// >>> tablet = precinct.CheckpointChain.start(device="exit-3", number=7, base_hash=desk.base_hash)
/// >>> key = precinct.StationKey(bytes(32))
/// >>> verdict = precinct.verify_token("PC1.x", key.public_key, at="2020-02-02 10:00")
/// >>> receipt = tablet.record_crossing("highway exit 3", "PC1.x", verdict, by="zhao", at="2020-02-02 10:00")
/// >>> report = desk.merge(tablet.lines_since(desk.frontier))
/// >>> tablet.events, desk.events
/// (1, 1)
#[pyclass(module = "precinct._precinct", name = "CheckpointChain")]
pub struct CheckpointChain {
    inner: precinct::CheckpointChain,
}

#[pymethods]
impl CheckpointChain {
    /// Start checkpoint device `device`'s chain with its `number` (1 to
    /// 65535, distinct from every device of the station) under the base
    /// whose SHA-256 is `base_hash` (`DeviceBook.base_hash`, carried by the
    /// checkpoint kit). Raises `InvalidValue` for a bad name, number or hash.
    #[staticmethod]
    #[pyo3(signature = (*, device, number, base_hash))]
    fn start(device: &str, number: u32, base_hash: &str) -> PyResult<CheckpointChain> {
        Ok(CheckpointChain {
            inner: ok(precinct::CheckpointChain::start(device, number, base_hash))?,
        })
    }

    /// Reopen the chain from the lines it kept (`journal_text`). Raises
    /// `DeviceChainDamaged` for a damaged chain or another device's lines,
    /// `RecordNotFound` for no lines.
    #[staticmethod]
    fn open(lines: &str) -> PyResult<CheckpointChain> {
        Ok(CheckpointChain {
            inner: ok(precinct::CheckpointChain::open(lines))?,
        })
    }

    /// Record a crossing at checkpoint `checkpoint` on `token`, decided as
    /// `verdict` (the dict `verify_token` gave with the kit), done `by` an
    /// officer `at` a moment (naive times in the policy's zone). `document`
    /// (and `nationality` for a passport) is the identity document the
    /// holder showed, when one was read. Returns the receipt (`seq`,
    /// `outcome`). Raises `InvalidValue` for an empty `by` or checkpoint, a
    /// verdict allowed with a reason or denied without one, a bad document.
    #[pyo3(signature = (checkpoint, token, verdict, *, by, at, document = None, nationality = None, policy = None))]
    #[expect(
        clippy::too_many_arguments,
        reason = "keyword-only options of one Python method"
    )]
    fn record_crossing<'py>(
        &mut self,
        py: Python<'py>,
        checkpoint: &str,
        token: &str,
        verdict: &Bound<'py, PyAny>,
        by: &str,
        at: &Bound<'py, PyAny>,
        document: Option<&str>,
        nationality: Option<&str>,
        policy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let zone = crate::convert::policy(policy)?.zone();
        let at = instant("at", at, zone)?;
        let verdict: precinct::Verdict = read("verdict", verdict, zone)?;
        let document = ok(document
            .map(|d| precinct::IdDocument::parse(d, nationality).map_err(precinct::Error::from))
            .transpose())?;
        let receipt = ok(self
            .inner
            .record_crossing(by, at, checkpoint, token, document, verdict))?;
        answer(py, &receipt, zone)
    }

    /// The lines a device book with `frontier` lacks (`DeviceBook.frontier`).
    fn lines_since(&self, frontier: BTreeMap<String, u64>) -> String {
        self.inner.lines_since(&frontier)
    }

    /// Every line of the chain, the header first: what to keep.
    #[getter]
    fn journal_text(&self) -> String {
        self.inner.journal_text()
    }

    /// This checkpoint device's name.
    #[getter]
    fn device(&self) -> &str {
        self.inner.device()
    }

    /// This checkpoint device's number.
    #[getter]
    fn number(&self) -> u32 {
        self.inner.number()
    }

    /// The SHA-256 of the station's base the chain is under.
    #[getter]
    fn base_hash(&self) -> &str {
        self.inner.base_hash()
    }

    /// Crossings recorded.
    #[getter]
    fn events(&self) -> u64 {
        self.inner.events()
    }

    fn __repr__(&self) -> String {
        format!(
            "CheckpointChain(device='{}', number={}, events={})",
            self.inner.device(),
            self.inner.number(),
            self.inner.events()
        )
    }
}
