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
//! assert!(book.station().residents.household(&"H1".into()).is_ok());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod command;
mod export;
mod journal;
mod plausible;

use std::fs::{File, OpenOptions};
use std::io::{BufReader, ErrorKind};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use command::{Command, Outcome, Subject};
pub use export::{AnalyticExport, ExportedPerson};
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
    unsynced: bool,
    /// Set when a write failed: memory is then ahead of the journal.
    failed: Option<String>,
    recovery: Recovery,
}

/// What opening a journal found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recovery {
    /// Whether the journal was created rather than reopened.
    pub created: bool,
    /// Events replayed.
    pub events: u64,
    /// The sequence number the journal starts from (non-zero after a snapshot).
    pub first_seq: u64,
    /// A last line cut short by a crash, dropped (it was never acknowledged).
    pub torn: Option<TornTail>,
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
        }
        Ok(())
    }
}

/// What [`Book::execute`] returns once a command is journaled and applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// One event of the journal, for audit queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// As [`Book::execute`]; a refused command leaves the book unchanged and
    /// the batch usable.
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
    /// [`Error::Io`] when syncing fails.
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
    /// A last line cut short by a crash is dropped (the file is cut back to
    /// the last whole line) and reported in [`Book::recovery`].
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
        let name = path.display().to_string();
        let (station, reader) = replay(BufReader::new(&file), &name)?;
        if reader.torn.is_some() {
            file.set_len(reader.good_len).map_err(io)?;
            file.sync_all().map_err(io)?;
        }
        Ok(Book::from_replay(
            station,
            reader,
            Store::File {
                file,
                path: path.to_path_buf(),
            },
        ))
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
        let kept = text[..usize::try_from(reader.good_len).unwrap_or(text.len())].to_string();
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
        let mut creating = path.as_os_str().to_owned();
        creating.push(format!(".{}.creating", std::process::id()));
        let creating = PathBuf::from(creating);
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .truncate(false)
            .open(&creating)
            .map_err(io)?;
        lock(&file, path)?;
        file.set_len(0).map_err(io)?;
        let mut book = Book::start(
            station,
            seq,
            prev,
            Store::File {
                file,
                path: path.to_path_buf(),
            },
        )?;
        book.sync()?;
        // Linking fails when the name is taken: two creators cannot both win.
        let linked = std::fs::hard_link(&creating, path);
        let _ = std::fs::remove_file(&creating);
        linked.map_err(io)?;
        // The new name must survive a crash too.
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        Ok(book)
    }

    fn start_memory(station: &Station, seq: u64, prev: Option<&str>) -> Result<Book> {
        Book::start(station, seq, prev, Store::Memory(String::new()))
    }

    fn start(station: &Station, seq: u64, prev: Option<&str>, mut store: Store) -> Result<Book> {
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
        Ok(Book {
            station: station.clone(),
            store,
            seq,
            head,
            unsynced: true,
            failed: None,
            recovery: Recovery {
                created: true,
                events: 0,
                first_seq: seq,
                torn: None,
            },
        })
    }

    fn from_replay(station: Station, reader: Position, store: Store) -> Book {
        let seq = reader.next_seq - 1;
        Book {
            station,
            store,
            seq,
            head: reader.head,
            unsynced: false,
            failed: None,
            recovery: Recovery {
                created: false,
                events: reader.events,
                first_seq: reader.first_seq,
                torn: reader.torn,
            },
        }
    }

    /// Validate `command` against the records; if valid, write it to the
    /// journal as done by `by` at `at`, apply it, and sync the journal
    /// before returning (so it survives a crash).
    ///
    /// # Errors
    /// The domain error when the command is not valid now (the book is then
    /// unchanged); [`Error::InvalidValue`] for an empty `by`; [`Error::Io`]
    /// when the journal cannot be written, after which the book refuses
    /// further commands until reopened.
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
        if let Some(reason) = &self.failed {
            return Err(Error::Io {
                path: self.store.name(),
                reason: format!("an earlier write failed ({reason}); reopen the journal"),
            });
        }
        if by.as_str().trim().is_empty() {
            return Err(Error::invalid(
                "by",
                "",
                "the id of the officer or system making the change",
            ));
        }
        command.check_new()?;
        // Registry methods check before they change anything, so a refused
        // command leaves the records as they were.
        let outcome = command.apply(&mut self.station, at)?;
        let seq = self.seq + 1;
        let encoded = encode(&LineOut {
            seq,
            v: FORMAT_VERSION,
            prev: Some(&self.head),
            start: None,
            at: Some(at),
            by: Some(by),
            cmd: Some(command),
            out: (!outcome.is_done()).then_some(&outcome),
        });
        // From here on the records have changed: any failure to journal the
        // change leaves memory ahead of the journal, so the book stops.
        let (line, hash) = match encoded {
            Ok(encoded) => encoded,
            Err(e) => {
                self.failed = Some(e.to_string());
                return Err(e);
            }
        };
        if let Err(e) = self.store.append(&line) {
            self.failed = Some(e.to_string());
            return Err(self.store.io_error(&e));
        }
        self.seq = seq;
        self.head = hash;
        self.unsynced = true;
        Ok(Receipt { seq, outcome })
    }

    fn sync(&mut self) -> Result<()> {
        if self.unsynced {
            if let Err(e) = self.store.sync() {
                self.failed = Some(e.to_string());
                return Err(self.store.io_error(&e));
            }
            self.unsynced = false;
        }
        Ok(())
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
        Some(header) => *header.start.unwrap_or_default(),
        None => return Err(reader.damaged(0, "it has no header line")),
    };
    while let Some(line) = reader.next_line()? {
        let (Some(command), Some(at)) = (line.cmd, line.at) else {
            continue; // the reader refuses event lines without them
        };
        let outcome = command
            .apply(&mut station, at)
            .map_err(|e| reader.damaged(line.seq, format!("replaying it fails: {e}")))?;
        let recorded = in_current_order(line.out);
        if outcome != recorded {
            return Err(reader.damaged(
                line.seq,
                format!("replaying it gives {outcome:?}, the journal recorded {recorded:?}"),
            ));
        }
        reader.pos.events += 1;
    }
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
