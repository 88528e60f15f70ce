//! Import and export of the interchange formats (CSV, UTF-8, header row,
//! extra columns ignored). A bad row is reported with its line, column and
//! reason, and an import either applies whole or not at all: every function
//! here builds a new value and returns it only when every row was good.

use std::collections::HashMap;
use std::io::{Read, Write};

use crate::error::{Error, Result};
use crate::household::{Household, Person, Residents};
use crate::id::{CreditCode, IdDocument, MobileNumber};
use crate::ids::CaseId;
use crate::policy::Policy;
use crate::resumption::{DailyStatus, Enterprise, Resumption};
use crate::time::{
    parse_date_column, parse_instant, parse_unix_seconds, render_instant, DateOrTime, TimeBounds,
    Zone,
};
use crate::tracing::{
    chains, Case, ChainReport, DataProblem, InterviewContact, ListedCase, Visits,
};

/// An interchange file's names and columns (DESIGN.md's table): one place
/// for the readers and for a binding that names a frame's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterchangeFile {
    /// The short name a binding asks for (`cases`, `reports` ...).
    pub key: &'static str,
    /// The file as errors name it (`resumption reports`).
    pub file: &'static str,
    /// A frame of it as errors name it (`resumption reports frame`).
    pub frame: &'static str,
    /// Its columns: the required ones first, then the optional ones.
    pub columns: &'static [&'static str],
    /// How many of `columns` are required.
    pub required: usize,
}

impl InterchangeFile {
    /// The columns a file must have.
    pub fn required(&self) -> &'static [&'static str] {
        &self.columns[..self.required]
    }
}

const VISITS: InterchangeFile = InterchangeFile {
    key: "visits",
    file: "visits",
    frame: "visits frame",
    columns: &["person_id", "place_id", "start", "end"],
    required: 4,
};
const CASES: InterchangeFile = InterchangeFile {
    key: "cases",
    file: "cases",
    frame: "cases frame",
    columns: &["case_id", "person_id", "onset", "confirmed", "infected_by"],
    required: 5,
};
const INTERVIEWS: InterchangeFile = InterchangeFile {
    key: "interviews",
    file: "interviews",
    frame: "interviews frame",
    columns: &["case_id", "person_id", "at", "note"],
    required: 3,
};
const HOUSEHOLDS: InterchangeFile = InterchangeFile {
    key: "households",
    file: "households",
    frame: "households frame",
    columns: &["household_id", "village", "group", "address", "landlord_id"],
    required: 5,
};
const PERSONS: InterchangeFile = InterchangeFile {
    key: "persons",
    file: "persons",
    frame: "persons frame",
    columns: &[
        "person_id",
        "name",
        "id_number",
        "household_id",
        "phone",
        "has_smartphone",
        "nationality",
    ],
    required: 4,
};
const ENTERPRISES: InterchangeFile = InterchangeFile {
    key: "enterprises",
    file: "enterprises",
    frame: "enterprises frame",
    columns: &[
        "enterprise_id",
        "name",
        "village",
        "sector",
        "workforce",
        "credit_code",
        "above_scale",
    ],
    required: 5,
};
const REPORTS: InterchangeFile = InterchangeFile {
    key: "reports",
    file: "resumption reports",
    frame: "resumption reports frame",
    columns: &["enterprise_id", "date", "resumed", "workers_on_site"],
    required: 4,
};

/// Every interchange file a frame can be read as.
pub const INTERCHANGE_FILES: [InterchangeFile; 7] = [
    VISITS,
    CASES,
    INTERVIEWS,
    HOUSEHOLDS,
    PERSONS,
    ENTERPRISES,
    REPORTS,
];

/// One interchange file being read, from CSV text or from a [`Frame`].
struct Table<'f, R: Read> {
    file: &'static str,
    records: Records<'f, R>,
    /// Column positions by normalized header (see [`header_key`]).
    columns: HashMap<String, usize>,
}

/// Where a table's rows come from.
enum Records<'f, R: Read> {
    Csv(csv::Reader<LineEnds<R>>),
    Frame(&'f Frame),
}

/// One row with its line number (its row, counted from 0, in a frame).
struct Row<'a> {
    file: &'static str,
    line: u64,
    record: &'a csv::StringRecord,
    columns: &'a HashMap<String, usize>,
    frame: Option<&'a Frame>,
}

/// A data frame's columns as text cells, read by the same readers as the
/// interchange files (`read_cases_frame` ...), so a frame and the CSV file
/// with the same columns give the same records and the same errors.
///
/// A binding makes one from a pandas, polars or Arrow frame: each cell as
/// the text the CSV file would hold (a missing value as `None`), each
/// column under the interchange name it is read as (`onset`) with the name
/// it has in the frame (`symptom_onset_date`), which errors give. Rows are
/// counted from 0, as frames count them.
///
/// ```
/// use precinct::{read_cases_frame, Frame, FrameColumn, Policy};
/// let column = |name: &str, source: &str, cells: &[Option<&str>]| FrameColumn {
///     name: name.into(),
///     source: source.into(),
///     cells: Some(cells.iter().map(|c| c.map(String::from)).collect()),
/// };
/// let frame = Frame::new(vec![
///     column("case_id", "case_id", &[Some("C1"), Some("C2")]),
///     column("person_id", "person_id", &[Some("P1"), Some("P2")]),
///     column("onset", "symptom_onset_date", &[None, Some("soon")]),
///     column("confirmed", "confirmed", &[Some("2020-01-26"), Some("2020-01-27")]),
///     column("infected_by", "infected_by", &[None, Some("C1")]),
/// ])
/// .unwrap();
/// let e = read_cases_frame(&frame, &Policy::default()).unwrap_err();
/// assert!(e.to_string().starts_with("cases frame row 1, column `symptom_onset_date`: "), "{e}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    columns: Vec<FrameColumn>,
    rows: usize,
}

/// One column of a [`Frame`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameColumn {
    /// The interchange name it is read as (`person_id`, `onset` ...).
    pub name: String,
    /// Its name in the frame, as errors give it.
    pub source: String,
    /// Its cells as text, `None` where a value is missing (NaN, None, NaT);
    /// `None` as a whole when the frame has no such column.
    pub cells: Option<Vec<Option<String>>>,
}

impl Frame {
    /// A frame of these columns.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the columns have different lengths or
    /// two are read as the same interchange name.
    pub fn new(columns: Vec<FrameColumn>) -> Result<Frame> {
        let rows = columns
            .iter()
            .find_map(|c| c.cells.as_ref().map(Vec::len))
            .unwrap_or(0);
        for (i, c) in columns.iter().enumerate() {
            if let Some(cells) = &c.cells {
                if cells.len() != rows {
                    return Err(Error::invalid_value(
                        "frame",
                        format!("column `{}` of {} rows", c.source, cells.len()),
                        format!("columns of one length ({rows} rows)"),
                    ));
                }
            }
            if columns[..i]
                .iter()
                .any(|o| header_key(&o.name) == header_key(&c.name))
            {
                return Err(Error::invalid_value(
                    "frame",
                    &c.name,
                    "each interchange column read from one frame column",
                ));
            }
        }
        Ok(Frame { columns, rows })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the frame has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The frame's name for the column read as `name`.
    fn source_of<'a>(&'a self, name: &'a str) -> &'a str {
        self.columns
            .iter()
            .find(|c| header_key(&c.name) == header_key(name))
            .map_or(name, |c| c.source.as_str())
    }
}

/// The error of a bad row: `line` is a file's line, or a frame's row.
fn import_error(
    file: &'static str,
    frame: Option<&Frame>,
    line: u64,
    column: &str,
    reason: impl std::fmt::Display,
) -> Error {
    match frame {
        None => Error::Csv {
            file,
            line,
            column: column.to_string(),
            reason: reason.to_string(),
        },
        Some(f) => Error::Frame {
            file,
            row: Some(line),
            column: f.source_of(column).to_string(),
            reason: reason.to_string(),
        },
    }
}

/// The input as the CSV reader should count its lines: every line end
/// outside quotes (`\r\n`, `\n` or a bare `\r`, as Windows, Unix and classic
/// Mac OS write them) becomes one `\n`, and an empty line becomes a line of
/// one space. The CSV reader counts lines by `\n` and skips empty lines
/// without counting them; this way its line numbers are the physical lines
/// of the file, and a blank line is a record of blanks, which [`Table::rows`]
/// skips. Decided byte by byte as the input streams, so a pipe delivering
/// a file in pieces reads as the whole file does. Quoted fields keep their
/// bytes.
struct LineEnds<R> {
    input: R,
    chunk: Vec<u8>,
    out: Vec<u8>,
    at: usize,
    quoted: bool,
    /// A `\r` was read last: the line ended; a `\n` next belongs to it.
    after_cr: bool,
    /// Nothing has been written on the current line yet.
    line_start: bool,
}

impl<R: Read> LineEnds<R> {
    fn new(input: R) -> Self {
        LineEnds {
            input,
            chunk: vec![0; 1 << 16],
            out: Vec::with_capacity(1 << 16),
            at: 0,
            quoted: false,
            after_cr: false,
            line_start: true,
        }
    }

    fn end_line(&mut self) {
        if self.line_start {
            self.out.push(b' ');
        }
        self.out.push(b'\n');
        self.line_start = true;
    }

    fn text(&mut self, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.out.extend_from_slice(bytes);
            self.line_start = false;
        }
    }

    /// Convert the next chunk of input into `out`; false at its end.
    fn fill(&mut self) -> std::io::Result<bool> {
        self.out.clear();
        self.at = 0;
        let n = loop {
            match self.input.read(&mut self.chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        if n == 0 {
            return Ok(false);
        }
        let chunk = std::mem::take(&mut self.chunk);
        let mut rest = &chunk[..n];
        while let Some(&first) = rest.first() {
            if std::mem::take(&mut self.after_cr) && first == b'\n' {
                rest = &rest[1..];
                continue;
            }
            if self.quoted {
                // Inside quotes only the closing quote matters.
                let Some(k) = memchr::memchr(b'"', rest) else {
                    self.text(rest);
                    break;
                };
                self.text(&rest[..=k]);
                self.quoted = false;
                rest = &rest[k + 1..];
                continue;
            }
            let Some(k) = memchr::memchr3(b'"', b'\r', b'\n', rest) else {
                self.text(rest);
                break;
            };
            self.text(&rest[..k]);
            match rest[k] {
                b'"' => {
                    self.text(b"\"");
                    self.quoted = true;
                }
                b'\r' => {
                    self.end_line();
                    self.after_cr = true;
                }
                _ => self.end_line(),
            }
            rest = &rest[k + 1..];
        }
        self.chunk = chunk;
        Ok(true)
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.out.len() {
            if !self.fill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A header as it is looked up: without a byte-order mark, surrounding
/// spaces or case, as spreadsheets may add or change them.
fn header_key(header: &str) -> String {
    header.trim_start_matches('\u{feff}').trim().to_lowercase()
}

/// The position of the column named `name`, matched as headers are (see
/// [`header_key`]), so a caller may name `CaseID` or `caseid` alike.
fn position(columns: &HashMap<String, usize>, name: &str) -> Option<usize> {
    columns
        .get(name)
        .or_else(|| columns.get(&header_key(name)))
        .copied()
}

impl<'f> Table<'f, std::io::Empty> {
    /// The rows of `frame` as the file `file`; a `required` column the
    /// frame lacks, or an optional one it lacks under another name than
    /// the interchange one (so it was named on purpose), is an error.
    fn frame(file: &'static str, frame: &'f Frame, required: &[&str]) -> Result<Self> {
        let mut columns = HashMap::new();
        for (i, c) in frame.columns.iter().enumerate() {
            let wanted = required
                .iter()
                .any(|r| header_key(r) == header_key(&c.name))
                || header_key(&c.source) != header_key(&c.name);
            match &c.cells {
                Some(_) => {
                    columns.insert(header_key(&c.name), i);
                }
                None if wanted => {
                    return Err(Error::Frame {
                        file,
                        row: None,
                        column: c.source.clone(),
                        reason: format!(
                            "the frame has no `{}` column, read as `{}`; required: {}",
                            c.source,
                            c.name,
                            required.join(",")
                        ),
                    })
                }
                None => {}
            }
        }
        if let Some(missing) = required.iter().find(|c| position(&columns, c).is_none()) {
            return Err(Error::Frame {
                file,
                row: None,
                column: (*missing).to_string(),
                reason: format!(
                    "the frame has no `{missing}` column; required: {}",
                    required.join(",")
                ),
            });
        }
        Ok(Table {
            file,
            records: Records::Frame(frame),
            columns,
        })
    }
}

impl<R: Read> Table<'_, R> {
    fn open(file: &'static str, input: R, required: &[&str]) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            // Fields are trimmed where they are read: trimming whole records
            // copies every one of them.
            .flexible(true)
            .has_headers(false)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(LineEnds::new(input));
        // The header is the first line that holds something.
        let mut headers = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            match reader.read_record(&mut headers) {
                Ok(true) if headers.iter().all(|h| h.trim().is_empty()) => {}
                Ok(true) => break,
                Ok(false) => {
                    return Err(Error::Csv {
                        file,
                        line,
                        column: String::new(),
                        reason: format!(
                            "the file has no header line; expected one naming the columns {}",
                            required.join(",")
                        ),
                    })
                }
                Err(e) => return Err(csv_error(file, line, "", &e)),
            }
        }
        let header_line = headers.position().map_or(1, csv::Position::line);
        let mut columns: HashMap<String, usize> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let key = header_key(h);
            // Unnamed columns (trailing commas of a spreadsheet) cannot be read.
            if key.is_empty() {
                continue;
            }
            if let Some(first) = columns.insert(key.clone(), i) {
                return Err(Error::Csv {
                    file,
                    line: header_line,
                    column: key,
                    reason: format!(
                        "the header names this column twice (columns {} and {}); each column must be named once",
                        first + 1,
                        i + 1
                    ),
                });
            }
        }
        if let Some(missing) = required.iter().find(|c| position(&columns, c).is_none()) {
            return Err(Error::Csv {
                file,
                line: header_line,
                column: (*missing).to_string(),
                reason: format!(
                    "the header has no `{missing}` column; required: {}",
                    required.join(",")
                ),
            });
        }
        Ok(Table {
            file,
            records: Records::Csv(reader),
            columns,
        })
    }

    /// The frame read, if the rows come from one.
    fn frame_read(&self) -> Option<&Frame> {
        match self.records {
            Records::Csv(_) => None,
            Records::Frame(f) => Some(f),
        }
    }

    /// The error of the row at `line` (a line, or a frame's row).
    fn err_at(&self, line: u64, column: &str, reason: impl std::fmt::Display) -> Error {
        import_error(self.file, self.frame_read(), line, column, reason)
    }

    /// The position of a required column (checked present by `open`), so
    /// that hot loops skip the lookup by name.
    fn index(&self, column: &str) -> usize {
        position(&self.columns, column).unwrap_or(usize::MAX)
    }

    /// Call `f` on every row, stopping at the first error.
    fn rows(&mut self, mut f: impl FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        let mut record = csv::StringRecord::new();
        let reader = match &mut self.records {
            Records::Csv(reader) => reader,
            Records::Frame(frame) => {
                for row in 0..frame.rows {
                    record.clear();
                    for c in &frame.columns {
                        let cell = c.cells.as_ref().and_then(|cells| cells[row].as_deref());
                        record.push_field(cell.unwrap_or(""));
                    }
                    // A row of missing values holds no record, as a blank line does not.
                    if record.iter().all(|field| field.trim().is_empty()) {
                        continue;
                    }
                    f(&Row {
                        file: self.file,
                        line: row as u64,
                        record: &record,
                        columns: &self.columns,
                        frame: Some(frame),
                    })?;
                }
                return Ok(());
            }
        };
        let mut records = 0u64;
        loop {
            let line = reader.position().line();
            records += 1;
            if records.is_multiple_of(crate::progress::EVERY) {
                crate::progress::report(self.file, reader.position().byte(), None);
            }
            match reader.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {}
                Err(e) => return Err(csv_error(self.file, line, "", &e)),
            }
            let line = record.position().map_or(line, csv::Position::line);
            // A blank line, or one of only separators and spaces (a
            // spreadsheet's empty row), holds no record.
            if record.iter().all(|field| field.trim().is_empty()) {
                continue;
            }
            f(&Row {
                file: self.file,
                line,
                record: &record,
                columns: &self.columns,
                frame: None,
            })?;
        }
    }
}

fn csv_error(file: &'static str, line: u64, column: &str, e: &csv::Error) -> Error {
    Error::Csv {
        file,
        line,
        column: column.to_string(),
        reason: e.to_string(),
    }
}

impl Row<'_> {
    fn get(&self, column: &str) -> &str {
        position(self.columns, column)
            .and_then(|i| self.record.get(i))
            .map_or("", str::trim)
    }

    /// Field `i` (an index from [`Table::index`]), required.
    fn required_at(&self, i: usize, column: &str) -> Result<&str> {
        match self.record.get(i).map(str::trim) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(self.err(column, "is empty; a value is required")),
        }
    }

    fn err(&self, column: &str, reason: impl std::fmt::Display) -> Error {
        import_error(self.file, self.frame, self.line, column, reason)
    }

    fn required(&self, column: &str) -> Result<&str> {
        let v = self.get(column);
        if v.is_empty() {
            Err(self.err(column, "is empty; a value is required"))
        } else {
            Ok(v)
        }
    }

    fn optional(&self, column: &str) -> Option<&str> {
        Some(self.get(column)).filter(|v| !v.is_empty())
    }

    fn parse<T>(&self, column: &str, f: impl FnOnce(&str) -> Result<T>) -> Result<T> {
        f(self.required(column)?).map_err(|e| self.err(column, e))
    }

    fn boolean(&self, column: &str) -> Result<Option<bool>> {
        match self.get(column).to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "1" | "yes" | "y" => Ok(Some(true)),
            "false" | "0" | "no" | "n" => Ok(Some(false)),
            other => Err(self.err(
                column,
                format!("`{other}` is not a yes/no value; expected true or false"),
            )),
        }
    }
}

fn instant_or_seconds(text: &str, zone: Zone, bounds: TimeBounds) -> Result<i64> {
    // Unix seconds are the bulk format: read them without trying the others.
    match parse_unix_seconds(text, bounds)? {
        Some(seconds) => Ok(seconds),
        None => parse_instant(text, zone).map(|t| t.timestamp()),
    }
}

/// Read visits: `person_id,place_id,start,end`, times in any form of
/// [`parse_instant`] or as Unix seconds within the years 2000 to 2100 (see
/// [`read_visits_within`] for another range).
///
/// ```
/// let csv = "person_id,place_id,start,end\nP1,market,2020-01-25 09:00,2020-01-25 10:00\nP2,market,1579914000,1579917600\n";
/// let visits = precinct::read_visits(csv.as_bytes(), &precinct::Policy::default()).unwrap();
/// assert_eq!(visits.len(), 2);
/// let bad = "person_id,place_id,start,end\nP1,market,noon,2020-01-25 10:00\n";
/// let err = precinct::read_visits(bad.as_bytes(), &precinct::Policy::default()).unwrap_err();
/// assert!(err.to_string().starts_with("visits line 2, column `start`: time `noon` is invalid"));
/// ```
///
/// # Errors
/// [`Error::Csv`] naming the line and column of the first bad row.
pub fn read_visits(input: impl Read, policy: &Policy) -> Result<Visits> {
    read_visits_within(input, policy, TimeBounds::default())
}

/// Read visits as [`read_visits`] does, taking bare numbers as Unix seconds
/// only inside `bounds`.
///
/// ```
/// use precinct::{read_visits_within, Policy, TimeBounds};
/// let csv = "person_id,place_id,start,end\nP1,m,100,200\n";
/// let policy = Policy::default();
/// let err = precinct::read_visits(csv.as_bytes(), &policy).unwrap_err().to_string();
/// assert!(err.contains("Unix seconds between 2000-01-01 and 2100-12-31"), "{err}");
/// let all = TimeBounds::years(1970, 2100).unwrap();
/// assert_eq!(read_visits_within(csv.as_bytes(), &policy, all).unwrap().len(), 1);
/// ```
///
/// # Errors
/// [`Error::Csv`] naming the line and column of the first bad row.
pub fn read_visits_within(input: impl Read, policy: &Policy, bounds: TimeBounds) -> Result<Visits> {
    visits_from(
        Table::open(VISITS.file, input, VISITS.required())?,
        policy,
        bounds,
    )
}

/// Read visits from a [`Frame`] as [`read_visits`] reads the file; the
/// slow, exact way, for a frame whose columns cannot be taken whole (a
/// missing value, a time that is not one).
///
/// # Errors
/// [`Error::Frame`] naming the row and the frame's column of the first bad cell.
pub fn read_visits_frame(frame: &Frame, policy: &Policy) -> Result<Visits> {
    visits_from(
        Table::frame(VISITS.frame, frame, VISITS.required())?,
        policy,
        TimeBounds::default(),
    )
}

fn visits_from<R: Read>(
    mut t: Table<'_, R>,
    policy: &Policy,
    bounds: TimeBounds,
) -> Result<Visits> {
    let zone = policy.zone();
    let (person, place) = (t.index("person_id"), t.index("place_id"));
    let (start, end) = (t.index("start"), t.index("end"));
    let mut b = Visits::builder();
    t.rows(|r| {
        let time = |i: usize, column: &str| {
            let text = r.required_at(i, column)?;
            instant_or_seconds(text, zone, bounds).map_err(|e| r.err(column, e))
        };
        let (from, to) = (time(start, "start")?, time(end, "end")?);
        if to < from {
            return Err(r.err("end", "is before start"));
        }
        b.push(
            r.required_at(person, "person_id")?,
            r.required_at(place, "place_id")?,
            from,
            to,
        )
        .map_err(|e| r.err("", e))
    })?;
    b.build()
}

/// Write visits in the same format (times as ISO 8601 in the policy's zone).
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_visits(visits: &Visits, out: impl Write, policy: &Policy) -> Result<()> {
    let zone = policy.zone();
    let mut w = csv::Writer::from_writer(out);
    write(&mut w, ["person_id", "place_id", "start", "end"])?;
    for v in visits.iter() {
        let t = |s: i64| {
            chrono::DateTime::from_timestamp(s, 0)
                .map_or_else(|| s.to_string(), |t| render_instant(t, zone))
        };
        write(&mut w, [v.person, v.place, t(v.start), t(v.end)])?;
    }
    flush(w)
}

fn write<I, T>(w: &mut csv::Writer<impl Write>, row: I) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    w.write_record(row).map_err(|e| Error::Io {
        path: "csv output".into(),
        reason: e.to_string(),
    })
}

fn flush(mut w: csv::Writer<impl Write>) -> Result<()> {
    w.flush().map_err(|e| Error::Io {
        path: "csv output".into(),
        reason: e.to_string(),
    })
}

/// Read cases: `case_id,person_id,onset,confirmed,infected_by`; onset may be
/// empty, onset and confirmed may be plain dates, infected_by lists zero or
/// more case ids separated by `;` or `,`.
///
/// # Errors
/// [`Error::Csv`] naming the line and column of the first bad row, or a
/// case id given twice.
pub fn read_cases(input: impl Read, policy: &Policy) -> Result<Vec<Case>> {
    cases_from(Table::open(CASES.file, input, CASES.required())?, policy)
}

/// Read cases from a [`Frame`] as [`read_cases`] reads the file.
///
/// # Errors
/// [`Error::Frame`] naming the row and the frame's column of the first bad
/// cell, or a case id given twice.
pub fn read_cases_frame(frame: &Frame, policy: &Policy) -> Result<Vec<Case>> {
    cases_from(Table::frame(CASES.frame, frame, CASES.required())?, policy)
}

fn cases_from<R: Read>(mut t: Table<'_, R>, policy: &Policy) -> Result<Vec<Case>> {
    let zone = policy.zone();
    let mut out: Vec<Case> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    t.rows(|r| {
        let id = r.required("case_id")?;
        if let Some(first) = seen.insert(id.to_string(), r.line) {
            let first = crate::tracing::chains::at(r.file, first);
            return Err(r.err(
                "case_id",
                format!("`{id}` is given twice; first on {first}"),
            ));
        }
        let mut case = Case::new(
            id,
            r.required("person_id")?,
            r.parse("confirmed", |s| DateOrTime::parse(s, zone))?,
        );
        case.onset = r
            .optional("onset")
            .map(|s| DateOrTime::parse(s, zone))
            .transpose()
            .map_err(|e| r.err("onset", e))?;
        case.infected_by = split_ids(r.get("infected_by"));
        out.push(case);
        Ok(())
    })?;
    Ok(out)
}

/// Read contacts named in interviews: `case_id,person_id,at` and an
/// optional `note`; `at` (when they met) in any form of [`parse_instant`]
/// or as Unix seconds.
///
/// ```
/// let csv = "case_id,person_id,at,note\nC1,P7,2020-01-24 19:00,dinner\n";
/// let contacts = precinct::read_interviews(csv.as_bytes(), &precinct::Policy::default()).unwrap();
/// assert_eq!(contacts[0].note, "dinner");
/// ```
///
/// # Errors
/// [`Error::Csv`] naming the line and column of the first bad row.
pub fn read_interviews(input: impl Read, policy: &Policy) -> Result<Vec<InterviewContact>> {
    interviews_from(
        Table::open(INTERVIEWS.file, input, INTERVIEWS.required())?,
        policy,
    )
}

/// Read contacts named in interviews from a [`Frame`] as
/// [`read_interviews`] reads the file.
///
/// # Errors
/// [`Error::Frame`] naming the row and the frame's column of the first bad cell.
pub fn read_interviews_frame(frame: &Frame, policy: &Policy) -> Result<Vec<InterviewContact>> {
    interviews_from(
        Table::frame(INTERVIEWS.frame, frame, INTERVIEWS.required())?,
        policy,
    )
}

fn interviews_from<R: Read>(mut t: Table<'_, R>, policy: &Policy) -> Result<Vec<InterviewContact>> {
    let zone = policy.zone();
    let mut out = Vec::new();
    t.rows(|r| {
        let at = r.parse("at", |s| instant_or_seconds(s, zone, TimeBounds::default()))?;
        out.push(InterviewContact {
            case: r.required("case_id")?.into(),
            person: r.required("person_id")?.into(),
            at: crate::time::instant_from_unix("at", at).map_err(|e| r.err("at", e))?,
            note: r.get("note").to_string(),
        });
        Ok(())
    })?;
    Ok(out)
}

/// Write cases in the same format (several infectors separated by `;`).
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_cases(cases: &[Case], out: impl Write, policy: &Policy) -> Result<()> {
    let zone = policy.zone();
    let mut w = csv::Writer::from_writer(out);
    write(
        &mut w,
        ["case_id", "person_id", "onset", "confirmed", "infected_by"],
    )?;
    for c in cases {
        write(
            &mut w,
            [
                c.id.to_string(),
                c.person.to_string(),
                c.onset.map(|o| o.render(zone)).unwrap_or_default(),
                c.confirmed.render(zone),
                c.infected_by
                    .iter()
                    .map(CaseId::as_str)
                    .collect::<Vec<_>>()
                    .join(";"),
            ],
        )?;
    }
    flush(w)
}

/// Read households and persons into a new [`Residents`]:
/// `household_id,village,group,address,landlord_id` and
/// `person_id,name,id_number,household_id` (optional `phone,has_smartphone,nationality`).
///
/// # Errors
/// [`Error::Csv`] naming the file, line and column of the first bad row:
/// an invalid identity document, a duplicate, an unknown household or landlord.
pub fn read_residents(households: impl Read, persons: impl Read) -> Result<Residents> {
    residents_from(
        || Table::open(HOUSEHOLDS.file, households, HOUSEHOLDS.required()),
        || Table::open(PERSONS.file, persons, PERSONS.required()),
    )
}

/// Read households and persons from two [`Frame`]s as [`read_residents`]
/// reads the files.
///
/// # Errors
/// [`Error::Frame`] naming the frame, row and column of the first bad cell.
pub fn read_residents_frames(households: &Frame, persons: &Frame) -> Result<Residents> {
    residents_from(
        || Table::frame(HOUSEHOLDS.frame, households, HOUSEHOLDS.required()),
        || Table::frame(PERSONS.frame, persons, PERSONS.required()),
    )
}

fn residents_from<'f, H: Read, P: Read>(
    households: impl FnOnce() -> Result<Table<'f, H>>,
    persons: impl FnOnce() -> Result<Table<'f, P>>,
) -> Result<Residents> {
    let mut rows: Vec<(u64, Household)> = Vec::new();
    let mut t = households()?;
    t.rows(|r| {
        rows.push((
            r.line,
            Household {
                id: r.required("household_id")?.into(),
                village: r.get("village").to_string(),
                group: r.get("group").to_string(),
                address: r.get("address").to_string(),
                landlord: r.optional("landlord_id").map(Into::into),
            },
        ));
        Ok(())
    })?;
    let mut residents = Residents::default();
    for (line, h) in &rows {
        residents
            .add_household(Household {
                landlord: None,
                ..h.clone()
            })
            .map_err(|e| t.err_at(*line, "household_id", e))?;
    }
    let households = t;
    let mut t = persons()?;
    t.rows(|r| {
        let document = IdDocument::parse(r.required("id_number")?, r.optional("nationality"))
            .map_err(|e| r.err("id_number", e))?;
        let phone = r
            .optional("phone")
            .map(MobileNumber::parse)
            .transpose()
            .map_err(|e| r.err("phone", e))?;
        let person = Person {
            id: r.required("person_id")?.into(),
            name: r.required("name")?.to_string(),
            document,
            household: r.optional("household_id").map(Into::into),
            phone,
            has_smartphone: r.boolean("has_smartphone")?,
        };
        residents.register_person(person).map_err(|e| {
            let column = match e {
                Error::NotFound { .. } => "household_id",
                Error::Duplicate {
                    what: "identity document",
                    ..
                } => "id_number",
                _ => "person_id",
            };
            r.err(column, e)
        })
    })?;
    for (line, h) in rows {
        if let Some(l) = h.landlord {
            residents
                .set_landlord(&h.id, &l)
                .map_err(|e| households.err_at(line, "landlord_id", e))?;
        }
    }
    Ok(residents)
}

/// Write households in the interchange format.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_households(residents: &Residents, out: impl Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    write(
        &mut w,
        ["household_id", "village", "group", "address", "landlord_id"],
    )?;
    for h in residents.households() {
        write(
            &mut w,
            [
                h.id.as_str(),
                &h.village,
                &h.group,
                &h.address,
                h.landlord.as_ref().map_or("", |l| l.as_str()),
            ],
        )?;
    }
    flush(w)
}

/// Write persons in the interchange format, with the optional columns.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_persons(residents: &Residents, out: impl Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    write(
        &mut w,
        [
            "person_id",
            "name",
            "id_number",
            "household_id",
            "phone",
            "has_smartphone",
            "nationality",
        ],
    )?;
    for p in residents.persons() {
        let nationality = match &p.document {
            IdDocument::Resident { .. } => "",
            IdDocument::Passport { nationality, .. } => nationality,
        };
        let smart = p.has_smartphone.map(|b| b.to_string()).unwrap_or_default();
        write(
            &mut w,
            [
                p.id.as_str(),
                &p.name,
                p.document.number(),
                p.household.as_ref().map_or("", |h| h.as_str()),
                p.phone.as_ref().map_or("", |x| x.as_str()),
                &smart,
                nationality,
            ],
        )?;
    }
    flush(w)
}

/// Read enterprises and their daily reports into a new [`Resumption`]:
/// `enterprise_id,name,village,sector,workforce` (optional `credit_code,above_scale`)
/// and `enterprise_id,date,resumed,workers_on_site`.
///
/// # Errors
/// [`Error::Csv`] naming the file, line and column of the first bad row,
/// including reports that cannot be true.
pub fn read_resumption(enterprises: impl Read, reports: impl Read) -> Result<Resumption> {
    resumption_from(
        || Table::open(ENTERPRISES.file, enterprises, ENTERPRISES.required()),
        || Table::open(REPORTS.file, reports, REPORTS.required()),
    )
}

/// Read enterprises and their daily reports from two [`Frame`]s as
/// [`read_resumption`] reads the files.
///
/// # Errors
/// [`Error::Frame`] naming the frame, row and column of the first bad cell.
pub fn read_resumption_frames(enterprises: &Frame, reports: &Frame) -> Result<Resumption> {
    resumption_from(
        || Table::frame(ENTERPRISES.frame, enterprises, ENTERPRISES.required()),
        || Table::frame(REPORTS.frame, reports, REPORTS.required()),
    )
}

fn resumption_from<'f, E: Read, S: Read>(
    enterprises: impl FnOnce() -> Result<Table<'f, E>>,
    reports: impl FnOnce() -> Result<Table<'f, S>>,
) -> Result<Resumption> {
    let mut out = Resumption::default();
    let mut t = enterprises()?;
    t.rows(|r| {
        let e = Enterprise {
            id: r.required("enterprise_id")?.into(),
            name: r.required("name")?.to_string(),
            credit_code: r
                .optional("credit_code")
                .map(CreditCode::parse)
                .transpose()
                .map_err(|e| r.err("credit_code", e))?,
            village: r.get("village").to_string(),
            sector: r.get("sector").to_string(),
            above_scale: r.boolean("above_scale")?.unwrap_or(false),
            workforce: r.parse("workforce", |s| {
                s.parse::<u32>()
                    .map_err(|_| Error::invalid("workforce", s, "a whole number of people"))
            })?,
            established: None,
        };
        out.add_enterprise(e).map_err(|e| r.err("enterprise_id", e))
    })?;
    let mut t = reports()?;
    t.rows(|r| {
        let s = DailyStatus {
            enterprise: r.required("enterprise_id")?.into(),
            date: r.parse("date", parse_date_column)?,
            resumed: r
                .boolean("resumed")?
                .ok_or_else(|| r.err("resumed", "is empty; expected true or false"))?,
            workers_on_site: r.parse("workers_on_site", |s| {
                s.parse::<u32>()
                    .map_err(|_| Error::invalid("workers_on_site", s, "a whole number of people"))
            })?,
        };
        out.file_report(s).map_err(|e| {
            let column = match e {
                Error::NotFound { .. } => "enterprise_id",
                Error::Duplicate { .. } => "date",
                _ => "workers_on_site",
            };
            r.err(column, e)
        })
    })?;
    Ok(out)
}

/// Write enterprises in the interchange format.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_enterprises(r: &Resumption, out: impl Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    write(
        &mut w,
        [
            "enterprise_id",
            "name",
            "village",
            "sector",
            "workforce",
            "credit_code",
            "above_scale",
        ],
    )?;
    for e in r.enterprises() {
        write(
            &mut w,
            [
                e.id.to_string(),
                e.name.clone(),
                e.village.clone(),
                e.sector.clone(),
                e.workforce.to_string(),
                e.credit_code
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                e.above_scale.to_string(),
            ],
        )?;
    }
    flush(w)
}

/// Write resumption reports in the interchange format.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_reports(r: &Resumption, out: impl Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    write(
        &mut w,
        ["enterprise_id", "date", "resumed", "workers_on_site"],
    )?;
    for s in r.reports() {
        write(
            &mut w,
            [
                s.enterprise.to_string(),
                s.date.to_string(),
                s.resumed.to_string(),
                s.workers_on_site.to_string(),
            ],
        )?;
    }
    flush(w)
}

/// Case ids listed in one field, separated by `;` or `,`.
fn split_ids(text: &str) -> Vec<CaseId> {
    let mut out: Vec<CaseId> = Vec::new();
    for id in text
        .split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if !out.iter().any(|o| o.as_str() == id) {
            out.push(id.into());
        }
    }
    out
}

/// Column names of a line list and its contact list. The defaults are the
/// cases interchange format's names (`case_id`, `infected_by`, `onset`,
/// `confirmed`) and `from`, `to` for contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineListColumns {
    /// The case id (required in the header).
    pub id: String,
    /// The infectors: ids separated by `;` or `,` (`None`: not read).
    pub infected_by: Option<String>,
    /// Symptom onset; may be empty (`None`: not read).
    pub onset: Option<String>,
    /// Confirmation; an empty value is a data problem (`None`: not read).
    pub confirmed: Option<String>,
    /// The infector in a contact list.
    pub from: String,
    /// The infectee in a contact list.
    pub to: String,
    /// Values that mean "not known" and are read as empty (R writes `NA`).
    pub missing: Vec<String>,
}

impl Default for LineListColumns {
    fn default() -> Self {
        LineListColumns {
            id: "case_id".into(),
            infected_by: Some("infected_by".into()),
            onset: Some("onset".into()),
            confirmed: Some("confirmed".into()),
            from: "from".into(),
            to: "to".into(),
            missing: vec!["NA".into()],
        }
    }
}

/// A line list as read: its cases, and what could not be taken as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineList {
    /// The cases, in the order of their first row.
    pub cases: Vec<ListedCase>,
    /// Problems of single rows and columns, in file order.
    pub problems: Vec<DataProblem>,
}

const LINE_LIST: &str = "line list";
const CONTACTS: &str = "contacts";

/// Read a line list as it is, for [`chains`]: one or more rows per case
/// (rows of the same case are merged: their infectors are all kept, and
/// another onset or confirmation than the first row's is a problem), the
/// infectors of a row listed in one field separated by `;` or `,`. An empty
/// onset is allowed (no symptoms, or not known), and a value that is one of
/// the `missing` markers (`NA` by default) counts as empty; an empty case id skips the
/// row; an empty confirmation, an unreadable date and a named column absent
/// from the header are problems, and the rest of the row is still used.
/// Extra columns are ignored.
///
/// ```
/// use precinct::{read_line_list, LineListColumns, Policy};
/// let csv = "patient_id,infected_by,confirmed_date\n1,,2020-02-20\n2,1,\n2,X9,\n";
/// let columns = LineListColumns {
///     id: "patient_id".into(),
///     onset: None,
///     confirmed: Some("confirmed_date".into()),
///     ..LineListColumns::default()
/// };
/// let list = read_line_list(csv.as_bytes(), &columns, &Policy::default()).unwrap();
/// assert_eq!(list.cases.len(), 2);
/// assert_eq!(list.cases[1].infected_by, ["1".into(), "X9".into()]);
/// assert_eq!(
///     list.problems[0].to_string(),
///     "line list line 3, column `confirmed_date`: is empty (case `2`)"
/// );
/// let report = list.chains(&Policy::default());
/// assert_eq!(report.clusters.len(), 1);
/// ```
///
/// # Errors
/// [`Error::Csv`] when the header has no id column or the file is not
/// readable as CSV.
pub fn read_line_list(
    input: impl Read,
    columns: &LineListColumns,
    policy: &Policy,
) -> Result<LineList> {
    line_list_from(
        Table::open(LINE_LIST, input, &[columns.id.as_str()])?,
        columns,
        policy,
    )
}

/// Read a line list from a [`Frame`] as [`read_line_list`] reads the file
/// (the frame's columns named as `columns` names them). Its problems name
/// the file `line list frame` and give rows, counted from 0, as lines.
///
/// # Errors
/// [`Error::Frame`] when the frame has no id column.
pub fn read_line_list_frame(
    frame: &Frame,
    columns: &LineListColumns,
    policy: &Policy,
) -> Result<LineList> {
    line_list_from(
        Table::frame("line list frame", frame, &[columns.id.as_str()])?,
        columns,
        policy,
    )
}

fn line_list_from<R: Read>(
    mut t: Table<'_, R>,
    columns: &LineListColumns,
    policy: &Policy,
) -> Result<LineList> {
    let zone = policy.zone();
    let file = t.file;
    let mut list = LineList::default();
    let mut named = |c: &Option<String>| -> Option<String> {
        let c = c.as_ref()?;
        if position(&t.columns, c).is_some() {
            Some(c.clone())
        } else {
            list.problems.push(DataProblem::MissingColumn {
                file: file.into(),
                column: c.clone(),
            });
            None
        }
    };
    let infected_by = named(&columns.infected_by);
    let onset_column = named(&columns.onset);
    let confirmed_column = named(&columns.confirmed);
    let LineList { cases, problems } = &mut list;
    let mut index: HashMap<CaseId, usize> = HashMap::new();
    t.rows(|r| {
        let id = columns.get(r, &columns.id);
        if id.is_empty() {
            problems.push(DataProblem::MissingValue {
                file: file.into(),
                line: r.line,
                column: columns.id.clone(),
                case: None,
            });
            return Ok(());
        }
        let id = CaseId::from(id);
        let mut date = |column: &Option<String>, required: bool| -> Option<DateOrTime> {
            let column = column.as_ref()?;
            let text = columns.get(r, column);
            if text.is_empty() {
                if required {
                    problems.push(DataProblem::MissingValue {
                        file: file.into(),
                        line: r.line,
                        column: column.clone(),
                        case: Some(id.clone()),
                    });
                }
                return None;
            }
            DateOrTime::parse(text, zone)
                .map_err(|e| {
                    problems.push(DataProblem::InvalidValue {
                        file: file.into(),
                        line: r.line,
                        column: column.clone(),
                        value: text.to_string(),
                        reason: e.to_string(),
                    });
                })
                .ok()
        };
        let onset = date(&onset_column, false);
        let confirmed = date(&confirmed_column, true);
        let by = infected_by.as_ref().map(|c| columns.ids(r, c));
        if let Some(&k) = index.get(&id) {
            let first = &mut cases[k];
            let first_line = first.line;
            for (column, ours, theirs) in [
                (&onset_column, &mut first.onset, onset),
                (&confirmed_column, &mut first.confirmed, confirmed),
            ] {
                if !fill_in(ours, theirs) {
                    if let Some(column) = column {
                        problems.push(DataProblem::ConflictingValue {
                            file: file.into(),
                            line: r.line,
                            column: column.clone(),
                            case: id.clone(),
                            first_line,
                        });
                    }
                }
            }
            for b in by.into_iter().flatten() {
                if !first.infected_by.contains(&b) {
                    first.infected_by.push(b);
                }
            }
        } else {
            index.insert(id.clone(), cases.len());
            cases.push(ListedCase {
                id,
                line: r.line,
                onset,
                confirmed,
                infected_by: by.unwrap_or_default(),
            });
        }
        Ok(())
    })?;
    Ok(list)
}

/// Take `theirs` where `ours` is missing; false when both are known and
/// differ (the first value found is kept).
fn fill_in(ours: &mut Option<DateOrTime>, theirs: Option<DateOrTime>) -> bool {
    match (*ours, theirs) {
        (None, Some(value)) => {
            *ours = Some(value);
            true
        }
        (Some(a), Some(b)) => a == b,
        (_, None) => true,
    }
}

impl LineListColumns {
    /// The field `column` of a row, empty when it is one of the `missing` markers.
    fn get<'r>(&self, r: &'r Row<'_>, column: &str) -> &'r str {
        let v = r.get(column);
        if self.missing.iter().any(|m| m == v) {
            ""
        } else {
            v
        }
    }

    /// The ids listed in one field, without the `missing` markers.
    fn ids(&self, r: &Row<'_>, column: &str) -> Vec<CaseId> {
        let mut ids = split_ids(r.get(column));
        ids.retain(|id| !self.missing.iter().any(|m| m == id.as_str()));
        ids
    }
}

impl LineList {
    /// Add the links of a contact list (`from` infected `to`, column names
    /// from `columns`) to the cases. A contact whose `to` is not on the list
    /// is a problem and not used; a `from` not on the list is an infector
    /// not on the list, as in the line list itself.
    ///
    /// # Errors
    /// [`Error::Csv`] when the header lacks the `from` or `to` column or the
    /// file is not readable as CSV.
    pub fn add_contacts(&mut self, input: impl Read, columns: &LineListColumns) -> Result<()> {
        self.contacts_from(
            Table::open(CONTACTS, input, &[&columns.from, &columns.to])?,
            columns,
        )
    }

    /// Add the links of a contact list given as a [`Frame`], as
    /// [`LineList::add_contacts`] adds a file's. Its problems name the file
    /// `contacts frame` and give rows, counted from 0, as lines.
    ///
    /// # Errors
    /// [`Error::Frame`] when the frame lacks the `from` or `to` column.
    pub fn add_contacts_frame(&mut self, frame: &Frame, columns: &LineListColumns) -> Result<()> {
        self.contacts_from(
            Table::frame("contacts frame", frame, &[&columns.from, &columns.to])?,
            columns,
        )
    }

    fn contacts_from<R: Read>(
        &mut self,
        mut t: Table<'_, R>,
        columns: &LineListColumns,
    ) -> Result<()> {
        let file = t.file;
        let index: HashMap<CaseId, usize> = self
            .cases
            .iter()
            .enumerate()
            .map(|(k, c)| (c.id.clone(), k))
            .collect();
        let LineList { cases, problems } = self;
        t.rows(|r| {
            let (from, to) = (columns.get(r, &columns.from), columns.get(r, &columns.to));
            for (column, value, other) in [(&columns.from, from, to), (&columns.to, to, from)] {
                if value.is_empty() {
                    problems.push(DataProblem::MissingValue {
                        file: file.into(),
                        line: r.line,
                        column: column.clone(),
                        case: Some(other).filter(|o| !o.is_empty()).map(Into::into),
                    });
                }
            }
            if from.is_empty() || to.is_empty() {
                return Ok(());
            }
            let Some(&k) = index.get(to) else {
                problems.push(DataProblem::NotListed {
                    file: file.into(),
                    line: r.line,
                    column: columns.to.clone(),
                    case: to.into(),
                });
                return Ok(());
            };
            let by = &mut cases[k].infected_by;
            if !by.iter().any(|b| b.as_str() == from) {
                by.push(from.into());
            }
            Ok(())
        })
    }

    /// The chains of the listed cases (see [`chains`]), with this list's
    /// problems ahead of those the chains find.
    pub fn chains(&self, policy: &Policy) -> ChainReport {
        let mut report = chains(&self.cases, policy.zone());
        let mut problems = self.problems.clone();
        problems.append(&mut report.problems);
        report.problems = problems;
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_line_and_column_and_nothing_is_applied() {
        let p = Policy::default();
        let e = read_visits("person_id,place_id,start\n".as_bytes(), &p).unwrap_err();
        assert_eq!(e.to_string(), "visits line 1, column `end`: the header has no `end` column; required: person_id,place_id,start,end");
        let e = read_visits(
            "person_id,place_id,start,end\na,m,1579827600,1579827700\nb,m,1579827600,1579827500\n"
                .as_bytes(),
            &p,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "visits line 3, column `end`: is before start"
        );
        let e = read_cases("case_id,person_id,onset,confirmed,infected_by\nC1,P1,,2020-01-26,\nC1,P2,,2020-01-26,\n".as_bytes(), &p).unwrap_err();
        assert!(
            e.to_string()
                .contains("line 3, column `case_id`: `C1` is given twice; first on line 2"),
            "{e}"
        );
        let households = "household_id,village,group,address,landlord_id\nH1,V,1,a,L1\n";
        let persons = "person_id,name,id_number,household_id\nL1,Li,110101199003078670,\nT1,Tu,110101199003078671,H1\n";
        let e = read_residents(households.as_bytes(), persons.as_bytes()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("persons line 3, column `id_number`: check character"),
            "{e}"
        );
        let e = read_residents(
            "household_id,village,group,address,landlord_id\nH1,V,1,a,L9\n".as_bytes(),
            "person_id,name,id_number,household_id\n".as_bytes(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "households line 2, column `landlord_id`: unknown person `L9`"
        );
        let ent = "enterprise_id,name,village,sector,workforce\nE1,Mill,V,textiles,10\n";
        let e = read_resumption(
            ent.as_bytes(),
            "enterprise_id,date,resumed,workers_on_site\nE1,2020-02-10,true,11\n".as_bytes(),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "resumption reports line 2, column `workers_on_site`: report of enterprise `E1` on 2020-02-10: 11 workers on site but the workforce is 10");
        let e = read_resumption(
            ent.as_bytes(),
            "enterprise_id,date,resumed,workers_on_site\nE1,2020-02-10,maybe,1\n".as_bytes(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("column `resumed`"));
    }

    #[test]
    fn a_column_named_twice_is_refused_at_line_1() {
        let p = Policy::default();
        for header in [
            "case_id,person_id,onset,confirmed,infected_by,confirmed",
            "case_id,person_id,onset,confirmed,infected_by, confirmed ",
            "case_id,person_id,onset,confirmed,infected_by,Confirmed",
            "\u{feff}case_id,person_id,onset,confirmed,infected_by,case_id",
            "case_id,person_id,onset,CONFIRMED,infected_by,\u{feff}confirmed",
        ] {
            let csv = format!("{header}\nC1,p,2020-01-20,2020-01-23,\n");
            let e = read_cases(csv.as_bytes(), &p).unwrap_err().to_string();
            assert!(e.starts_with("cases line 1, column `"), "{header}: {e}");
            assert!(e.contains("names this column twice"), "{header}: {e}");
        }
        let e = read_visits("person_id,place_id,start,end,start\n".as_bytes(), &p).unwrap_err();
        assert_eq!(e.to_string(), "visits line 1, column `start`: the header names this column twice (columns 3 and 5); each column must be named once");
        // Headers are matched without case, spaces or a byte-order mark, and
        // unnamed columns (trailing commas) are no duplicates.
        let csv = "\u{feff}Person_ID , PLACE_ID,Start,End,,\nP1,m,1579827600,1579827700,,\n";
        assert_eq!(read_visits(csv.as_bytes(), &p).unwrap().len(), 1);
    }

    #[test]
    fn lines_are_the_physical_lines_whatever_the_line_ends() {
        let p = Policy::default();
        let bad = |csv: &str| read_visits(csv.as_bytes(), &p).unwrap_err().to_string();
        let rows = [
            "person_id,place_id,start,end",
            "a,m,1579827600,1579827700",
            "b,m,noon,1579827700",
            "c,m,1579827600,1579827700",
        ];
        for end in ["\n", "\r\n", "\r"] {
            let csv = rows.join(end) + end;
            assert!(
                bad(&csv).starts_with("visits line 3, column `start`"),
                "{end:?}: {}",
                bad(&csv)
            );
        }
        // A quoted field over two lines, then blank lines and an empty
        // spreadsheet row: the bad row is on physical line 7.
        let csv = "person_id,place_id,start,end\r\n\"a\r\nb\",m,1579827600,1579827700\r\n\r\n,,,\r\n\r\nb,m,noon,1579827700\r\n";
        assert!(
            bad(csv).starts_with("visits line 7, column `start`"),
            "{}",
            bad(csv)
        );
        let csv = "person_id,place_id,start,end\r\na,m,1579827600,1579827700\r\n";
        assert_eq!(read_visits(csv.as_bytes(), &p).unwrap().len(), 1);
        // Every reader counts the same way.
        let e = read_cases("case_id,person_id,onset,confirmed,infected_by\r\nC1,p,,2020-01-23,\r\nC2,q,,43856,\r\n".as_bytes(), &p).unwrap_err().to_string();
        assert!(e.starts_with("cases line 3, column `confirmed`"), "{e}");
        let e = read_resumption(
            "enterprise_id,name,village,sector,workforce\r\nE1,Mill,V,t,10\r\nE2,Works,V,t,ten\r\n"
                .as_bytes(),
            "enterprise_id,date,resumed,workers_on_site\r\n".as_bytes(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("enterprises line 3, column `workforce`"),
            "{e}"
        );
    }

    /// Input delivered a few bytes at a time, as a pipe or a decompressor may.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn blank_lines_and_pieces_of_input_keep_the_physical_lines() {
        let p = Policy::default();
        let rows = "a,m,1579827600,1579827700\n\n\n\nb,m,noon,1579827700\n";
        for end in ["\n", "\r\n", "\r"] {
            let csv = format!("person_id,place_id,start,end\n{rows}").replace('\n', end);
            for piece in [1, 2, 3, 7, 1 << 16] {
                let e = read_visits(Trickle(csv.as_bytes(), piece), &p)
                    .unwrap_err()
                    .to_string();
                assert!(
                    e.starts_with("visits line 6, column `start`"),
                    "{end:?} in pieces of {piece}: {e}"
                );
            }
        }
        // Blank lines before the header are skipped and counted.
        let e = read_visits(
            "\n\r\nperson_id,place_id,start,end\na,m,noon,1\n".as_bytes(),
            &p,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("visits line 4, column `start`"), "{e}");
        let e = read_visits("person_id,place_id,start\n".as_bytes(), &p).unwrap_err();
        assert!(
            e.to_string().starts_with("visits line 1, column `end`"),
            "{e}"
        );
        let e = read_visits("\n\n".as_bytes(), &p).unwrap_err().to_string();
        assert!(e.contains("no header line"), "{e}");
        // Inside quotes, line ends and blank lines are the field's own.
        let csv = "case_id,person_id,onset,confirmed,infected_by\r\n\"C\r\n\r\n1\",p,,2020-01-26,\r\nC2,q,,noon,\r\n";
        let e = read_cases(csv.as_bytes(), &p).unwrap_err().to_string();
        assert!(e.starts_with("cases line 5, column `confirmed`"), "{e}");
        let ok = "case_id,person_id,onset,confirmed,infected_by\n\"C\r\n\n1\",p,,2020-01-26,\n";
        assert_eq!(
            read_cases(ok.as_bytes(), &p).unwrap()[0].id.as_str(),
            "C\r\n\n1"
        );
    }

    #[test]
    fn excel_serials_in_date_columns_are_refused_with_what_they_look_like() {
        let p = Policy::default();
        let e = read_cases(
            "case_id,person_id,onset,confirmed,infected_by\nC1,p_case,43853,43856,\n".as_bytes(),
            &p,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("cases line 2, column `confirmed`"), "{e}");
        assert!(e.contains("Excel day serial for 2020-01-26"), "{e}");
        let e = read_cases(
            "case_id,person_id,onset,confirmed,infected_by\nC1,p_case,43853,2020-01-26,\n"
                .as_bytes(),
            &p,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("cases line 2, column `onset`") && e.contains("2020-01-23"),
            "{e}"
        );
        let e = read_resumption(
            "enterprise_id,name,village,sector,workforce\nE1,Mill,V,t,10\n".as_bytes(),
            "enterprise_id,date,resumed,workers_on_site\nE1,43871,true,1\n".as_bytes(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("column `date`") && e.contains("Excel day serial for 2020-02-10"),
            "{e}"
        );
        // Visits: Unix seconds outside 2000..2100 are refused, naming the unit.
        let e = read_visits(
            "person_id,place_id,start,end\np,m,43853.375,43853.4\n".as_bytes(),
            &p,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("Excel date-time serial for 2020-01-23 09:00"),
            "{e}"
        );
        let e = read_visits(
            "person_id,place_id,start,end\np,m,1579827600000,1579831200000\n".as_bytes(),
            &p,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("Unix milliseconds (2020-01-24T01:00:00Z)"),
            "{e}"
        );
        // ISO 8601 as exports write it.
        let v = read_visits(
            "person_id,place_id,start,end\np,m,2020-01-24 09:00:00+08,2020-01-24T09:30+08:00\n"
                .as_bytes(),
            &p,
        )
        .unwrap();
        let row = v.iter().next().unwrap();
        assert_eq!((row.start, row.end), (1_579_827_600, 1_579_829_400));
    }

    #[test]
    fn export_then_import_gives_the_same_data() {
        let p = Policy::default();
        let visits = read_visits("person_id,place_id,start,end,extra\nP1,m,2020-01-25T09:00:00+08:00,1579917600,x\nP2,m,1579914000,1579917600,y\n".as_bytes(), &p).unwrap();
        let mut buf = Vec::new();
        write_visits(&visits, &mut buf, &p).unwrap();
        assert_eq!(read_visits(buf.as_slice(), &p).unwrap(), visits);
        // Spaces around headers and values are not part of them.
        let padded = read_visits(" person_id , place_id,start ,end\n P1 , m ,2020-01-25T09:00:00+08:00, 1579917600\nP2,m, 1579914000 ,1579917600\n".as_bytes(), &p).unwrap();
        assert_eq!(padded, visits);

        let cases = read_cases("case_id,person_id,onset,confirmed,infected_by\nC1,P1,2020-01-20,2020-01-26 19:00,\nC2,P2,,2020-01-27,C1\n".as_bytes(), &p).unwrap();
        let mut buf = Vec::new();
        write_cases(&cases, &mut buf, &p).unwrap();
        assert_eq!(read_cases(buf.as_slice(), &p).unwrap(), cases);

        let households = "household_id,village,group,address,landlord_id\nH1,V,1,a,L1\nH2,V,2,b,\n";
        let persons = "person_id,name,id_number,household_id,phone,has_smartphone,nationality\nL1,Li,110101199003078670,H2,13800138000,true,\nF1,Anna,L898902C3,H1,,,SWE\n";
        let r = read_residents(households.as_bytes(), persons.as_bytes()).unwrap();
        let (mut h, mut pe) = (Vec::new(), Vec::new());
        write_households(&r, &mut h).unwrap();
        write_persons(&r, &mut pe).unwrap();
        assert_eq!(read_residents(h.as_slice(), pe.as_slice()).unwrap(), r);

        let ent = "enterprise_id,name,village,sector,workforce,credit_code,above_scale\nE1,Mill,V,textiles,10,91110000600037341L,yes\n";
        let res = read_resumption(
            ent.as_bytes(),
            "enterprise_id,date,resumed,workers_on_site\nE1,2020-02-10,true,5\n".as_bytes(),
        )
        .unwrap();
        let (mut e, mut rep) = (Vec::new(), Vec::new());
        write_enterprises(&res, &mut e).unwrap();
        write_reports(&res, &mut rep).unwrap();
        assert_eq!(read_resumption(e.as_slice(), rep.as_slice()).unwrap(), res);
    }
    fn problem_lines(problems: &[DataProblem]) -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_line_list_is_read_as_it_is() {
        let p = Policy::default();
        let csv = "\
case_id,onset,confirmed,infected_by,note
A,2020-01-20,2020-01-25,,x
B,,2020-01-26,A,asymptomatic
C,2020-01-22,,\"A,B\",no confirmation
D,2020-01-24,2020-01-27,A,first row
D,2020-01-24,2020-01-27,X9,second row differs only in the infector
D,2020-01-23,2020-01-27,B;A,disagrees on onset
,2020-01-24,2020-01-27,A,no id
E,someday,2020-01-28,X9,
F,NA,2020-01-29,\"NA;E\",R writes NA for not known
";
        let list = read_line_list(csv.as_bytes(), &LineListColumns::default(), &p).unwrap();
        let ids: Vec<&str> = list.cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["A", "B", "C", "D", "E", "F"]);
        assert_eq!(list.cases[5].onset, None);
        assert_eq!(list.cases[5].infected_by, [CaseId::from("E")]);
        let by = |k: usize| -> Vec<&str> {
            list.cases[k]
                .infected_by
                .iter()
                .map(CaseId::as_str)
                .collect()
        };
        assert_eq!(by(2), ["A", "B"]);
        assert_eq!(by(3), ["A", "X9", "B"]);
        assert_eq!(list.cases[1].onset, None);
        assert_eq!(list.cases[2].confirmed, None);
        assert_eq!(list.cases[3].line, 5);
        assert_eq!(
            list.cases[3].onset,
            Some(DateOrTime::Date("2020-01-24".parse().unwrap()))
        );
        assert_eq!(list.cases[4].onset, None);
        let lines = problem_lines(&list.problems);
        assert_eq!(
            lines[..3],
            [
                "line list line 4, column `confirmed`: is empty (case `C`)",
                "line list line 7, column `onset`: case `D` has another value on line 5; that one is kept",
                "line list line 8, column `case_id`: is empty; the row is skipped",
            ]
        );
        // The reason after the colon is the time parser's own message.
        assert!(
            lines[3].starts_with("line list line 9, column `onset`: `someday` is not used: "),
            "{}",
            lines[3]
        );
        assert_eq!(lines.len(), 4);
        let r = list.chains(&p);
        assert_eq!(r.cases, 6);
        // A-B, A-C, B-C, A-D, X9-D, B-D, X9-E, E-F
        assert_eq!(r.edges, 8);
        assert_eq!(r.clusters.len(), 1);
        assert_eq!(r.clusters[0].not_listed, [CaseId::from("X9")]);
        assert_eq!(r.problems.len(), 4);
        // Only A -> D has both onsets (B has none, C has one but A -> C: 2 days).
        let mut si: Vec<i64> = r.serial_intervals.iter().map(|s| s.days).collect();
        si.sort_unstable();
        assert_eq!(si, [2, 4]);
    }

    #[test]
    fn a_later_row_fills_what_an_earlier_row_of_the_case_lacked() {
        let p = Policy::default();
        let csv = "case_id,infected_by,onset,confirmed\nA,,,\nA,X,2020-01-05,2020-01-06\nA,Y,2020-01-04,\n";
        let list = read_line_list(csv.as_bytes(), &LineListColumns::default(), &p).unwrap();
        let a = &list.cases[0];
        assert_eq!(
            a.onset.map(|d| d.render(p.zone())).as_deref(),
            Some("2020-01-05")
        );
        assert_eq!(
            a.confirmed.map(|d| d.render(p.zone())).as_deref(),
            Some("2020-01-06")
        );
        assert_eq!(a.infected_by, [CaseId::from("X"), CaseId::from("Y")]);
        // Each row without a confirmation is a problem; so is the third
        // row's other onset (the first value found is kept).
        let shown: Vec<String> = list.problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].contains("line 2, column `confirmed`"), "{shown:?}");
        assert!(shown[1].contains("line 4, column `confirmed`"), "{shown:?}");
        assert!(
            shown[2].contains("line 4, column `onset`: case `A` has another value"),
            "{shown:?}"
        );
    }

    #[test]
    fn a_line_list_names_its_own_columns_and_may_lack_some() {
        let p = Policy::default();
        let columns = LineListColumns {
            id: "id".into(),
            onset: Some("dt_onset".into()),
            confirmed: Some("dt_report".into()),
            ..LineListColumns::default()
        };
        let csv = "id,dt_onset,dt_report\nSK_1,2015-05-11,2015-05-19\nSK_2,,2015-05-20\n";
        let list = read_line_list(csv.as_bytes(), &columns, &p).unwrap();
        assert_eq!(list.cases.len(), 2);
        assert_eq!(
            problem_lines(&list.problems),
            ["line list: the header has no `infected_by` column; its values are taken as empty"]
        );
        let e = read_line_list(csv.as_bytes(), &LineListColumns::default(), &p).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line list line 1, column `case_id`: the header has no `case_id` column; required: case_id"
        );
    }

    #[test]
    fn contacts_add_links_to_the_listed_cases() {
        let p = Policy::default();
        let columns = LineListColumns {
            infected_by: None,
            ..LineListColumns::default()
        };
        let cases = "case_id,onset,confirmed\nA,2020-01-20,2020-01-25\nB,2020-01-23,2020-01-26\nC,,2020-01-27\n";
        let mut list = read_line_list(cases.as_bytes(), &columns, &p).unwrap();
        let contacts = "from,to,place\nA,B,home\nA,C,home\nB,C,shop\nA,C,again\nZ,C,bus\nA,Q,unknown\n,B,no infector\n";
        list.add_contacts(contacts.as_bytes(), &columns).unwrap();
        let by: Vec<Vec<&str>> = list
            .cases
            .iter()
            .map(|c| c.infected_by.iter().map(CaseId::as_str).collect())
            .collect();
        assert_eq!(by, [vec![], vec!["A"], vec!["A", "B", "Z"]]);
        assert_eq!(
            problem_lines(&list.problems),
            [
                "contacts line 7, column `to`: case `Q` is not on the line list; the link is not used",
                "contacts line 8, column `from`: is empty (case `B`)",
            ]
        );
        let r = list.chains(&p);
        assert_eq!(r.edges, 4);
        assert_eq!(r.placeholders[&CaseId::from("Z")], [CaseId::from("C")]);
        assert_eq!(r.generation[&CaseId::from("C")], 1);
        assert_eq!(r.longest_chain, [CaseId::from("A"), "B".into(), "C".into()]);
        let e = list
            .add_contacts("source,to\n".as_bytes(), &columns)
            .unwrap_err();
        assert!(
            e.to_string().starts_with("contacts line 1, column `from`"),
            "{e}"
        );
    }

    #[test]
    fn cases_with_several_infectors_round_trip() {
        let p = Policy::default();
        let text = "case_id,person_id,onset,confirmed,infected_by\nC1,P1,,2020-01-26,\nC2,P2,,2020-01-26,\nC3,P3,,2020-01-27,\"C1, C2\"\n";
        let cases = read_cases(text.as_bytes(), &p).unwrap();
        assert_eq!(cases[2].infected_by, [CaseId::from("C1"), "C2".into()]);
        let mut buf = Vec::new();
        write_cases(&cases, &mut buf, &p).unwrap();
        assert!(String::from_utf8_lossy(&buf).contains(",C1;C2\n"));
        assert_eq!(read_cases(buf.as_slice(), &p).unwrap(), cases);
        // The record book's reader stays strict about a missing confirmation.
        let e = read_cases(
            "case_id,person_id,onset,confirmed,infected_by\nC1,P1,,,\n".as_bytes(),
            &p,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("column `confirmed`: is empty"),
            "{e}"
        );
    }

    /// A frame of the given columns, each read as the name it has.
    fn frame(columns: &[(&str, &[Option<&str>])]) -> Frame {
        Frame::new(
            columns
                .iter()
                .map(|(name, cells)| FrameColumn {
                    name: (*name).into(),
                    source: (*name).into(),
                    cells: Some(cells.iter().map(|c| c.map(String::from)).collect()),
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn a_frame_gives_the_records_of_the_same_csv() {
        let p = Policy::default();
        let text = "case_id,person_id,onset,confirmed,infected_by\nC1,P1,2020-01-20,2020-01-22,\nC2,P2,,2020-01-25T10:00:00,C1;X\n";
        let f = frame(&[
            ("case_id", &[Some("C1"), Some("C2")]),
            ("person_id", &[Some("P1"), Some("P2")]),
            ("onset", &[Some("2020-01-20"), None]),
            (
                "confirmed",
                &[Some("2020-01-22"), Some("2020-01-25T10:00:00")],
            ),
            ("infected_by", &[None, Some("C1,X")]),
        ]);
        assert_eq!(
            read_cases_frame(&f, &p).unwrap(),
            read_cases(text.as_bytes(), &p).unwrap()
        );
        let columns = LineListColumns::default();
        let from_frame = read_line_list_frame(&f, &columns, &p).unwrap();
        let from_file = read_line_list(text.as_bytes(), &columns, &p).unwrap();
        assert_eq!(from_frame.cases.len(), 2);
        assert_eq!(
            from_frame
                .cases
                .iter()
                .map(|c| (&c.id, &c.infected_by, c.onset))
                .collect::<Vec<_>>(),
            from_file
                .cases
                .iter()
                .map(|c| (&c.id, &c.infected_by, c.onset))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_frames_errors_name_its_row_counted_from_0_and_its_own_column() {
        let p = Policy::default();
        let mut f = frame(&[
            ("case_id", &[Some("C1"), Some("C1")]),
            ("person_id", &[Some("P1"), Some("P2")]),
            ("onset", &[None, None]),
            ("confirmed", &[Some("2020-01-22"), Some("2020-01-22")]),
            ("infected_by", &[None, None]),
        ]);
        f.columns[0].source = "cid".into();
        let e = read_cases_frame(&f, &p).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cases frame row 1, column `cid`: `C1` is given twice; first on row 0"
        );
        assert!(matches!(e, Error::Frame { row: Some(1), .. }));
        assert_eq!(e.code(), "frame");
        // A required column the frame lacks, under its own name.
        f.columns[2].cells = None;
        f.columns[2].source = "symptom_onset".into();
        let e = read_cases_frame(&f, &p).unwrap_err();
        assert!(
            matches!(&e, Error::Frame { row: None, column, .. } if column == "symptom_onset"),
            "{e}"
        );
        // Columns of different lengths are refused when the frame is made.
        let mut columns = f.columns.clone();
        columns[0].cells = Some(vec![None]);
        assert!(Frame::new(columns).is_err());
    }

    #[test]
    fn a_frames_row_of_missing_values_holds_no_record_and_visits_name_rows() {
        let p = Policy::default();
        let f = frame(&[
            ("person_id", &[Some("a"), None, Some("b")]),
            ("place_id", &[Some("m"), None, Some("m")]),
            (
                "start",
                &[
                    Some("2020-01-25T09:00:00"),
                    None,
                    Some("2020-01-25T09:00:00"),
                ],
            ),
            (
                "end",
                &[
                    Some("2020-01-25T10:00:00"),
                    None,
                    Some("2020-01-25T08:00:00"),
                ],
            ),
        ]);
        let e = read_visits_frame(&f, &p).unwrap_err();
        assert_eq!(
            e.to_string(),
            "visits frame row 2, column `end`: is before start"
        );
        let problems = read_line_list_frame(
            &frame(&[
                ("case_id", &[Some("A"), Some("B")]),
                ("confirmed", &[Some("2020-01-22"), None]),
            ]),
            &LineListColumns {
                infected_by: None,
                onset: None,
                ..LineListColumns::default()
            },
            &p,
        )
        .unwrap()
        .problems;
        assert_eq!(
            problem_lines(&problems),
            ["line list frame row 1, column `confirmed`: is empty (case `B`)"]
        );
    }

    #[test]
    fn a_date_column_takes_a_day_written_as_its_midnight() {
        let enterprises =
            "enterprise_id,name,village,sector,workforce\nE1,Mill,East,textiles,100\n";
        let report =
            |date: &str| format!("enterprise_id,date,resumed,workers_on_site\nE1,{date},true,40\n");
        for date in ["2020-02-10", "2020-02-10T00:00:00", "2020-02-10 00:00"] {
            let r = read_resumption(enterprises.as_bytes(), report(date).as_bytes()).unwrap();
            assert_eq!(
                r.reports().next().unwrap().date.to_string(),
                "2020-02-10",
                "{date}"
            );
        }
        for date in ["2020-02-10T09:00:00", "2020-02-10T00:00:00+08:00"] {
            let e = read_resumption(enterprises.as_bytes(), report(date).as_bytes()).unwrap_err();
            assert!(e.to_string().contains("column `date`"), "{date}: {e}");
        }
    }
}
