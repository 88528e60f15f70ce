//! The record book: every change to the station is a typed [`Command`],
//! validated against the current records, written to a hash-chained journal
//! and applied. Opening the journal replays it into the same records.
//!
//! ```
//! use precinct::{Book, Command, Household, Policy, parse_instant};
//!
//! let dir = std::env::temp_dir().join(format!("precinct-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("station.journal");
//! # let _ = std::fs::remove_file(&path);
//! let at = parse_instant("2020-02-01 09:00", Policy::default().zone()).unwrap();
//! {
//!     let mut book = Book::open_or_create(&path, Policy::default()).unwrap();
//!     let household = Household {
//!         id: "H1".into(),
//!         village: "Yaozhuang".into(),
//!         group: "3".into(),
//!         address: "18 Old Street".into(),
//!         landlord: None,
//!     };
//!     book.execute("officer-wang", at, Command::AddHousehold { household }).unwrap();
//! } // the process may stop here: the household is on disk
//! let book = Book::open_or_create(&path, Policy::default()).unwrap();
//! assert_eq!(book.recovery().events, 1);
//! assert!(book.station().residents().household(&"H1".into()).is_ok());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod command;
mod devices;
mod export;
mod import;
mod journal;
mod plausible;

#[cfg(test)]
mod full_disk;

use std::fs::{File, OpenOptions};
use std::io::{BufReader, ErrorKind};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use command::Rules;
pub use command::{Command, Outcome, Subject};
pub use devices::{
    CheckpointChain, Conflict, ConflictKind, DeviceBook, EventRef, Frontier, MergeReport,
    MAX_DEVICE_NUMBER,
};
pub use export::{AnalyticExport, ExportedPerson};
pub use import::{Import, IMPORT_KINDS};
use journal::{encode, LineOut, Position, Reader, Store};
pub use journal::{TornTail, FORMAT_VERSION};

use crate::error::{Error, Result};
use crate::ids::StaffId;
use crate::policy::Policy;
use crate::station::Station;
use crate::time::Instant;

/// The station's records kept in a journal.
#[derive(Debug)]
pub struct Book {
    station: Station,
    store: Store,
    /// The last sequence number written (the header's when no event yet).
    seq: u64,
    head: String,
    /// Bytes written to the journal.
    len: u64,
    /// The last line lacks its newline (it is written before the next line).
    open_line: bool,
    /// Where the journal stood at the last sync: what is acknowledged.
    durable: Mark,
    /// Set when a failed write could not be undone: the records may then be
    /// ahead of the journal, so the book refuses further use.
    failed: Option<String>,
    recovery: Recovery,
}

/// A point of the journal the book can go back to.
#[derive(Debug, Clone)]
struct Mark {
    len: u64,
    seq: u64,
    head: String,
    open_line: bool,
}

/// What opening a journal found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Recovery {
    /// Whether the journal was created rather than reopened.
    pub created: bool,
    /// Events replayed.
    pub events: u64,
    /// The sequence number the journal starts from (non-zero after a snapshot).
    pub first_seq: u64,
    /// A last line cut short by a crash, dropped (it was never acknowledged)
    /// and, for a file, kept beside it.
    pub torn: Option<TornTail>,
    /// The last line was whole but lacked its newline (or had whitespace in
    /// its place); it is an event, and the newline is written before the
    /// next line.
    #[serde(default)]
    pub unterminated: bool,
    /// Files `NAME.PID.creating` left by a creation that never finished (a
    /// crash, a full disk), removed.
    #[serde(default)]
    pub removed: Vec<String>,
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.created {
            return f.write_str("created a new journal");
        }
        write!(f, "reopened the journal: {} events replayed", self.events)?;
        if self.first_seq > 0 {
            write!(f, " after a snapshot at sequence {}", self.first_seq)?;
        }
        if let Some(t) = &self.torn {
            write!(
                f,
                "; dropped a torn last line of {} bytes at offset {}",
                t.text.len(),
                t.offset
            )?;
            if let Some(kept) = &t.kept {
                write!(f, ", kept in {kept}")?;
            }
        }
        if self.unterminated {
            f.write_str("; the last line lacked its newline")?;
        }
        if !self.removed.is_empty() {
            write!(
                f,
                "; removed {} unfinished creation file(s)",
                self.removed.len()
            )?;
        }
        Ok(())
    }
}

/// What [`Book::execute`] returns once a command is journaled and applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Receipt {
    /// The event's sequence number.
    pub seq: u64,
    /// What the command produced (a pass serial, contacts found ...).
    pub outcome: Outcome,
}

/// The whole book as one document: its records and where its journal stood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The sequence number of the last event included.
    pub seq: u64,
    /// The hash of that event's line, so a journal started from this
    /// snapshot links to the one that wrote it.
    pub head: String,
    /// The records.
    pub station: Station,
}

impl Snapshot {
    /// The snapshot as JSON text: what a [`DeviceBook`] starts from, and
    /// what a browser keeps to reopen a book fast.
    pub fn to_text(&self) -> String {
        // A station's maps have string keys: writing it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Read a snapshot from its text.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming what does not read.
    pub fn from_text(text: &str) -> Result<Snapshot> {
        serde_json::from_str(text).map_err(|e| {
            Error::invalid(
                "snapshot",
                format!("{:.80}", text.trim()),
                format!("the text of a snapshot of the station's book ({e})"),
            )
        })
    }
}

/// One event of the journal, for audit queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditEntry {
    /// Its sequence number.
    pub seq: u64,
    /// When it was recorded.
    pub at: Instant,
    /// Who recorded it.
    pub by: StaffId,
    /// What was done.
    pub command: Command,
    /// What it produced.
    pub outcome: Outcome,
}

/// Several commands written together and synced once on [`Batch::commit`].
/// Each is validated and applied as it comes; none is acknowledged (sure to
/// survive a crash) before the commit returns.
#[derive(Debug)]
pub struct Batch<'a> {
    book: &'a mut Book,
}

impl Batch<'_> {
    /// Validate, write and apply one command, without syncing.
    ///
    /// # Errors
    /// As [`Book::execute`]; a refused command, or one whose line cannot be
    /// written, leaves the book as it was before it and the batch usable.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "commands are built in place to be handed over, like a message"
    )]
    pub fn execute(
        &mut self,
        by: impl Into<StaffId>,
        at: Instant,
        command: Command,
    ) -> Result<Receipt> {
        self.book.record(&by.into(), at, &command)
    }

    /// The records as they stand.
    pub fn station(&self) -> &Station {
        &self.book.station
    }

    /// Sync the journal: every command of the batch is now acknowledged.
    ///
    /// # Errors
    /// [`Error::Io`] when syncing fails; the book is then back where it was
    /// before the batch (every command since the last acknowledged one is
    /// undone, in the journal and in the records).
    pub fn commit(self) -> Result<()> {
        self.book.sync()
    }
}

impl Book {
    /// Create a journal file for a new station under `policy`. Fails if the
    /// file exists.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an inconsistent policy, [`Error::Io`] when
    /// the file exists or cannot be written.
    pub fn create(path: impl AsRef<Path>, policy: Policy) -> Result<Book> {
        policy.validate()?;
        Book::create_file(path.as_ref(), &empty_station(policy), 0, None)
    }

    /// Create a journal file that starts from a snapshot.
    ///
    /// # Errors
    /// As [`Book::create`].
    pub fn create_from_snapshot(path: impl AsRef<Path>, snapshot: &Snapshot) -> Result<Book> {
        snapshot.station.policy.validate()?;
        Book::create_file(
            path.as_ref(),
            &snapshot.station,
            snapshot.seq,
            Some(&snapshot.head),
        )
    }

    /// Open an existing journal file and replay it.
    ///
    /// A last line cut short by a crash (bytes after the last newline that
    /// are not a whole line) is dropped: its bytes are moved to a file
    /// `NAME.torn-SEQ-N` beside the journal, the journal is cut back to the
    /// last whole line, and both are reported in [`Book::recovery`]. A whole
    /// last line without its newline is an event like any other. Files
    /// `NAME.PID.creating` left by an unfinished creation are removed.
    ///
    /// # Errors
    /// [`Error::JournalDamaged`] with the sequence number where the chain
    /// breaks; [`Error::JournalLocked`] when another book has it open;
    /// [`Error::Io`] when it cannot be read.
    pub fn open(path: impl AsRef<Path>) -> Result<Book> {
        let path = path.as_ref();
        let io = |e: std::io::Error| io_error(path, &e);
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(io)?;
        lock(&file, path)?;
        let removed = remove_unfinished(path);
        let name = path.display().to_string();
        let (station, mut reader) = replay(BufReader::new(&file), &name)?;
        if let Some(torn) = &mut reader.torn {
            // The evidence is durable before the journal is cut.
            torn.kept = Some(keep_torn(path, torn.seq, &reader.torn_bytes)?);
            file.set_len(reader.good_len).map_err(io)?;
            file.sync_all().map_err(io)?;
        }
        let mut book = Book::from_replay(station, reader, Store::file(file, path.to_path_buf()));
        book.recovery.removed = removed;
        Ok(book)
    }

    /// Open the journal at `path`, or create it under `policy` when there is
    /// none. See [`Book::open`] and [`Book::create`].
    ///
    /// # Errors
    /// As [`Book::open`] and [`Book::create`].
    pub fn open_or_create(path: impl AsRef<Path>, policy: Policy) -> Result<Book> {
        let path = path.as_ref();
        if path.exists() {
            Book::open(path)
        } else {
            Book::create(path, policy)
        }
    }

    /// A new station whose journal is kept in memory.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an inconsistent policy.
    pub fn in_memory(policy: Policy) -> Result<Book> {
        policy.validate()?;
        Book::start_memory(&empty_station(policy), 0, None)
    }

    /// A book in memory that starts from a snapshot.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an inconsistent policy in the snapshot.
    pub fn from_snapshot(snapshot: &Snapshot) -> Result<Book> {
        snapshot.station.policy.validate()?;
        Book::start_memory(&snapshot.station, snapshot.seq, Some(&snapshot.head))
    }

    /// Replay a journal held as text (as [`Book::journal_text`] gave it); the
    /// book keeps it in memory. A torn last line is dropped and reported.
    ///
    /// # Errors
    /// [`Error::JournalDamaged`] with the sequence number where it breaks.
    pub fn open_text(text: &str) -> Result<Book> {
        let (station, reader) = replay(text.as_bytes(), "memory")?;
        // The kept text ends where a line ends (or after whitespace), so on
        // a character boundary.
        let end = usize::try_from(reader.good_len).unwrap_or(text.len());
        let kept = text.get(..end).unwrap_or(text).to_string();
        Ok(Book::from_replay(station, reader, Store::Memory(kept)))
    }

    /// The header is written and synced under a temporary name and then
    /// linked into place, so a journal file is never seen without its
    /// header, even after a crash during creation.
    fn create_file(path: &Path, station: &Station, seq: u64, prev: Option<&str>) -> Result<Book> {
        let io = |e: std::io::Error| io_error(path, &e);
        if path.exists() {
            return Err(io_error(
                path,
                &std::io::Error::new(ErrorKind::AlreadyExists, "the journal already exists"),
            ));
        }
        let removed = remove_unfinished(path);
        let creating = creating_name(path, std::process::id());
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .truncate(false)
            .open(&creating)
            .map_err(io)?;
        lock(&file, path)?;
        let written = file
            .set_len(0)
            .map_err(io)
            .and_then(|()| Book::start(station, seq, prev, Store::file(file, path.to_path_buf())));
        // Linking fails when the name is taken: two creators cannot both win.
        let linked = written.and_then(|book| {
            std::fs::hard_link(&creating, path)
                .map(|()| book)
                .map_err(io)
        });
        // Whether it worked or not (a full disk), the temporary name goes.
        let _ = std::fs::remove_file(&creating);
        let mut book = linked?;
        book.recovery.removed = removed;
        // The new name must survive a crash too.
        sync_dir(path)?;
        Ok(book)
    }

    fn start_memory(station: &Station, seq: u64, prev: Option<&str>) -> Result<Book> {
        Book::start(station, seq, prev, Store::Memory(String::new()))
    }

    /// Write the header and sync it.
    fn start(station: &Station, seq: u64, prev: Option<&str>, mut store: Store) -> Result<Book> {
        if seq == u64::MAX {
            return Err(Error::invalid(
                "snapshot sequence number",
                seq,
                "a number below 18446744073709551615, so that events can follow",
            ));
        }
        let (line, head) = encode(&LineOut {
            seq,
            v: FORMAT_VERSION,
            prev,
            start: Some(station),
            at: None,
            by: None,
            cmd: None,
            out: None,
        })?;
        store.append(&line).map_err(|e| store.io_error(&e))?;
        store.sync().map_err(|e| store.io_error(&e))?;
        let durable = Mark {
            len: line.len() as u64,
            seq,
            head,
            open_line: false,
        };
        Ok(Book {
            station: station.clone(),
            store,
            seq,
            head: durable.head.clone(),
            len: durable.len,
            open_line: false,
            durable,
            failed: None,
            recovery: Recovery {
                created: true,
                first_seq: seq,
                ..Recovery::default()
            },
        })
    }

    fn from_replay(station: Station, reader: Position, store: Store) -> Book {
        // A header was read, so `next_seq` is at least 1.
        let seq = reader.next_seq.saturating_sub(1);
        let durable = Mark {
            len: reader.good_len,
            seq,
            head: reader.head,
            open_line: reader.open_line,
        };
        Book {
            station,
            store,
            seq,
            head: durable.head.clone(),
            len: durable.len,
            open_line: durable.open_line,
            durable,
            failed: None,
            recovery: Recovery {
                created: false,
                events: reader.events,
                first_seq: reader.first_seq,
                torn: reader.torn,
                unterminated: reader.open_line,
                removed: Vec::new(),
            },
        }
    }

    fn mark(&self) -> Mark {
        Mark {
            len: self.len,
            seq: self.seq,
            head: self.head.clone(),
            open_line: self.open_line,
        }
    }

    /// Validate `command` against the records; if valid, write it to the
    /// journal as done by `by` at `at`, apply it, and sync the journal
    /// before returning (so it survives a crash).
    ///
    /// # Errors
    /// The domain error when the command is not valid now (the book is then
    /// unchanged); [`Error::InvalidValue`] for an empty `by`; [`Error::Io`]
    /// when the journal cannot be written or synced. The book is then back
    /// at its last acknowledged command, in the journal and in the records,
    /// and stays usable (a later command may succeed once there is room);
    /// only if even that cannot be done (the journal cannot be cut back or
    /// read) does it refuse every further command until reopened.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "commands are built in place to be handed over, like a message"
    )]
    pub fn execute(
        &mut self,
        by: impl Into<StaffId>,
        at: Instant,
        command: Command,
    ) -> Result<Receipt> {
        let receipt = self.record(&by.into(), at, &command)?;
        self.sync()?;
        Ok(receipt)
    }

    /// Start a batch of commands synced once at the end.
    pub fn batch(&mut self) -> Batch<'_> {
        Batch { book: self }
    }

    fn record(&mut self, by: &StaffId, at: Instant, command: &Command) -> Result<Receipt> {
        self.usable()?;
        command.check_entry(by)?;
        let canonical = command.canonical();
        let command = canonical.as_ref().unwrap_or(command);
        // The largest number is never written, so a reader can always name
        // the next one.
        let seq = self
            .seq
            .checked_add(1)
            .filter(|&s| s < u64::MAX)
            .ok_or_else(|| {
                Error::invalid(
                "journal",
                self.seq,
                "a journal whose sequence numbers are not used up; start a new one from a snapshot",
            )
            })?;
        // Registry methods check before they change anything, so a refused
        // command leaves the records as they were.
        let outcome = command.apply(&mut self.station, at)?;
        // From here on the records have changed: a failure to journal the
        // change is undone before the error is returned.
        let before = self.mark();
        let written = encode(&LineOut {
            seq,
            v: FORMAT_VERSION,
            prev: Some(&self.head),
            start: None,
            at: Some(at),
            by: Some(by),
            cmd: Some(command),
            out: (!outcome.is_done()).then_some(&outcome),
        })
        .and_then(|(mut line, hash)| {
            if self.open_line {
                line.insert(0, '\n');
            }
            self.store
                .append(&line)
                .map_err(|e| self.store.io_error(&e))?;
            Ok((line.len() as u64, hash))
        });
        match written {
            Ok((len, hash)) => {
                self.seq = seq;
                self.head = hash;
                self.len += len;
                self.open_line = false;
                Ok(Receipt { seq, outcome })
            }
            Err(e) => Err(self.roll_back(&before, e)),
        }
    }

    fn sync(&mut self) -> Result<()> {
        self.usable()?;
        if self.len != self.durable.len {
            if let Err(e) = self.store.sync() {
                // What the disk holds after a failed sync is unknown: go back
                // to what was acknowledged.
                let durable = self.durable.clone();
                let e = self.store.io_error(&e);
                return Err(self.roll_back(&durable, e));
            }
            self.durable = self.mark();
        }
        Ok(())
    }

    /// Undo everything written after `to`: cut the journal back to it and
    /// rebuild the records by replaying the journal up to it, so memory is
    /// never ahead of the journal. Returns `cause` with what was done.
    fn roll_back(&mut self, to: &Mark, cause: Error) -> Error {
        let undone = self.seq.saturating_sub(to.seq);
        let restored = self
            .store
            .truncate(to.len)
            .map_err(|e| self.store.io_error(&e))
            .and_then(|()| {
                let input = self
                    .store
                    .prefix(to.len)
                    .map_err(|e| self.store.io_error(&e))?;
                replay(input, &self.store.name())
            });
        match restored {
            Ok((station, pos)) if pos.head == to.head && pos.good_len == to.len => {
                self.station = station;
                self.seq = to.seq;
                self.head.clone_from(&to.head);
                self.len = to.len;
                self.open_line = to.open_line;
                let note = if undone == 0 {
                    format!(
                        "{}; the command was not recorded and the book is as it was before it",
                        cause_reason(&cause)
                    )
                } else {
                    format!(
                        "{}; the {undone} command(s) after sequence number {}, not yet acknowledged, were undone",
                        cause_reason(&cause),
                        to.seq
                    )
                };
                with_reason(cause, note)
            }
            other => {
                let why = match other {
                    Ok(_) => "the journal read back differs from what was written".to_string(),
                    Err(e) => e.to_string(),
                };
                let note = format!(
                    "{}; undoing it failed too ({why}), so the book refuses further use: reopen the journal",
                    cause_reason(&cause)
                );
                self.failed = Some(note.clone());
                with_reason(cause, note)
            }
        }
    }

    fn usable(&self) -> Result<()> {
        match &self.failed {
            Some(reason) => Err(Error::Io {
                path: self.store.name(),
                reason: format!("an earlier write failed ({reason}); reopen the journal"),
            }),
            None => Ok(()),
        }
    }

    /// The records as they stand.
    pub fn station(&self) -> &Station {
        &self.station
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.station.policy
    }

    /// The sequence number of the last event (the header's when none yet).
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The hash of the journal's last line, in hex. Writing it down somewhere
    /// else (a daily report, a paper register) anchors the chain: no one can
    /// then rewrite the journal up to that point unnoticed.
    pub fn head(&self) -> &str {
        &self.head
    }

    /// What opening the journal found.
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// The journal's text, when it is kept in memory.
    pub fn journal_text(&self) -> Option<&str> {
        match &self.store {
            Store::Memory(text) => Some(text),
            Store::File { .. } => None,
        }
    }

    /// The whole book as one document.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            seq: self.seq,
            head: self.head.clone(),
            station: self.station.clone(),
        }
    }

    /// The records, giving up the journal.
    pub fn into_station(self) -> Station {
        self.station
    }

    /// Every event that concerns `subject`, oldest first: what changed, who
    /// did it, when.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::JournalDamaged`] when the journal can no
    /// longer be read as it was written.
    pub fn history(&self, subject: &Subject) -> Result<Vec<AuditEntry>> {
        let mut found = Vec::new();
        let mut keep = |line: journal::LineIn| {
            if let (Some(command), Some(at), Some(by)) = (line.cmd, line.at, line.by) {
                if command.concerns(&line.out, subject, &self.station, at) {
                    found.push(AuditEntry {
                        seq: line.seq,
                        at,
                        by,
                        command,
                        outcome: line.out,
                    });
                }
            }
        };
        match &self.store {
            Store::Memory(text) => read_lines(Reader::new(text.as_bytes(), "memory"), &mut keep)?,
            Store::File { path, .. } => {
                let file = File::open(path).map_err(|e| io_error(path, &e))?;
                let name = path.display().to_string();
                read_lines(Reader::new(BufReader::new(file), &name), &mut keep)?;
            }
        }
        Ok(found)
    }
}

fn read_lines<R: std::io::BufRead>(
    mut reader: Reader<R>,
    each: &mut impl FnMut(journal::LineIn),
) -> Result<()> {
    while let Some(line) = reader.next_line()? {
        each(line);
    }
    Ok(())
}

fn replay<R: std::io::BufRead>(input: R, name: &str) -> Result<(Station, Position)> {
    let mut reader = Reader::new(input, name);
    let mut station = match reader.next_line()? {
        // The reader refuses a first line without `start`; should that ever
        // change, a header without its station is damage, never an empty book.
        Some(header) => *header
            .start
            .ok_or_else(|| reader.damaged(header.seq, "the first line is not a header"))?,
        None => return Err(reader.damaged(0, "it has no header line")),
    };
    while let Some(line) = reader.next_line()? {
        let (Some(command), Some(at)) = (line.cmd, line.at) else {
            continue; // the reader refuses event lines without them
        };
        let outcome = command
            .apply_under(
                &mut station,
                at,
                Rules::of_format(line.v),
                &command::Issuing::station(),
            )
            .map_err(|e| reader.damaged(line.seq, format!("replaying it fails: {e}")))?;
        let recorded = in_current_order(line.out);
        if outcome != recorded {
            return Err(reader.damaged(
                line.seq,
                format!("replaying it gives {outcome:?}, the journal recorded {recorded:?}"),
            ));
        }
        reader.pos.events += 1;
        if reader.pos.events.is_multiple_of(crate::progress::EVERY) {
            crate::progress::report("journal", reader.pos.events, None);
        }
    }
    crate::progress::report("journal", reader.pos.events, Some(reader.pos.events));
    Ok((station, reader.pos))
}

/// A recorded outcome with its lists in today's id order: journals written
/// before integer ids sorted numerically list contacts in text order, which
/// is the same set of persons.
fn in_current_order(mut outcome: Outcome) -> Outcome {
    if let Outcome::ContactsFound { persons } = &mut outcome {
        persons.sort();
    }
    outcome
}

fn empty_station(policy: Policy) -> Station {
    Station {
        policy,
        ..Station::default()
    }
}

fn cause_reason(cause: &Error) -> String {
    match cause {
        Error::Io { reason, .. } => reason.clone(),
        other => other.to_string(),
    }
}

/// `cause` with `reason` in place of its own, where it has one to replace.
fn with_reason(cause: Error, reason: String) -> Error {
    match cause {
        Error::Io { path, .. } => Error::Io { path, reason },
        other => other,
    }
}

fn creating_name(path: &Path, pid: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{pid}.creating"));
    PathBuf::from(name)
}

/// Remove files `NAME.PID.creating` beside `path` that no creator holds
/// locked any more (a creator holds the lock from before its first write
/// until the name is gone). Best effort: what cannot be listed or removed
/// stays; returns what was removed.
fn remove_unfinished(path: &Path) -> Vec<String> {
    let mut removed = Vec::new();
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return removed;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Some(name) = name.to_str() else {
        return removed;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|f| f.strip_prefix(name))
            .and_then(|f| f.strip_prefix('.'))
            .and_then(|f| f.strip_suffix(".creating"))
        else {
            continue;
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let candidate = entry.path();
        let Ok(file) = OpenOptions::new().read(true).open(&candidate) else {
            continue;
        };
        if file.try_lock().is_ok() && std::fs::remove_file(&candidate).is_ok() {
            removed.push(candidate.display().to_string());
        }
    }
    removed.sort();
    removed
}

/// Move the bytes of a torn last line to `NAME.torn-SEQ-N` (the first `N`
/// free), synced, so that cutting the journal back loses nothing.
fn keep_torn(path: &Path, seq: u64, bytes: &[u8]) -> Result<String> {
    use std::io::Write;
    for n in 1..=10_000u32 {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".torn-{seq}-{n}"));
        let kept = PathBuf::from(name);
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&kept) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error(&kept, &e)),
        };
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| io_error(&kept, &e))?;
        sync_dir(path)?;
        return Ok(kept.display().to_string());
    }
    Err(io_error(
        path,
        &std::io::Error::new(
            ErrorKind::AlreadyExists,
            format!("10000 files of torn lines at sequence number {seq} already exist beside the journal; move them away"),
        ),
    ))
}

/// Make a new name in `path`'s directory survive a crash.
fn sync_dir(path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error(path, &e))
}

fn lock(file: &File, path: &Path) -> Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::JournalLocked {
            journal: path.display().to_string(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io_error(path, &e)),
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}
