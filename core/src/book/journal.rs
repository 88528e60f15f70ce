//! The journal's line format and its two stores.
//!
//! One JSON object per line. Line 0 is the header: the station the journal
//! starts from (empty but for the policy, or a snapshot). Every later line is
//! one event: `seq`, format version `v`, `prev` (the hash of the line
//! before), `at`, `by`, the command `cmd` and what it produced `out`. Each
//! line ends with `"hash"`: the SHA-256 of the line's text up to that field,
//! so a changed byte breaks its own hash and a removed or reordered line
//! breaks the chain of `prev`.
//!
//! What is read leniently, because it carries no content: whitespace around
//! a line (so `\r\n` line ends and a trailing space), blank lines, and a
//! byte order mark at the start of the file. A last line without its newline
//! is an event when it is a whole JSON object (its hash is then checked like
//! any other); only a last line that is not yet a whole object is torn.
//!
//! Versioning: a field added to a command is optional (`Option` or
//! `#[serde(default)]`), so older lines still read without a version bump.
//! A change old lines cannot satisfy (a rename, a removal) raises
//! [`FORMAT_VERSION`] and converts older lines where they are read. So does
//! a change of the rules a command is judged by: version 2 checks a
//! command's dates against its entry, lets orders revoke passes, makes
//! isolating a contact an order and merges a person whole; version 3
//! compares a checked token's validity with its pass's in whole seconds (as
//! the token carries it). Lines of each version replay under that
//! version's rules, so old journals keep opening.

use std::fs::File;
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::command::{Command, Outcome};
use crate::error::{Error, Result};
use crate::ids::StaffId;
use crate::station::Station;
use crate::time::Instant;

/// The journal format this version writes, and the newest it reads
/// (version 1: precinct 0.1).
pub const FORMAT_VERSION: u32 = 3;

// `,"hash":"` + 64 hex digits + `"}`.
const HASH_FIELD: &str = ",\"hash\":\"";
const HASH_SUFFIX_LEN: usize = HASH_FIELD.len() + 64 + 2;

/// A line as written.
#[derive(Serialize)]
pub(crate) struct LineOut<'a> {
    pub seq: u64,
    pub v: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<&'a Station>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Instant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<&'a StaffId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cmd: Option<&'a Command>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out: Option<&'a Outcome>,
}

/// A line as read (its hash already checked). A field this version does not
/// know is refused: a new top-level field needs a new format version.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LineIn {
    pub seq: u64,
    pub v: u32,
    #[serde(default)]
    pub prev: Option<String>,
    #[serde(default)]
    pub start: Option<Box<Station>>,
    pub at: Option<Instant>,
    pub by: Option<StaffId>,
    pub cmd: Option<Command>,
    #[serde(default)]
    pub out: Outcome,
    /// Checked against the text before the line is parsed.
    #[serde(rename = "hash")]
    _hash: serde::de::IgnoredAny,
}

/// Encode a line: its text with the trailing newline, and its hash.
pub(crate) fn encode(line: &LineOut<'_>) -> Result<(String, String)> {
    seal(line)
}

/// Any line as JSON ending with its own `hash` (journal lines and device
/// lines alike): its text with the newline, and the hash.
pub(crate) fn seal(line: &impl Serialize) -> Result<(String, String)> {
    let mut text = serde_json::to_string(line).map_err(|e| Error::InvalidValue {
        field: "journal entry".into(),
        value: e.to_string(),
        expected: "an entry that can be written as JSON".into(),
    })?;
    text.pop(); // the closing brace; the hash field goes before it
    let hash = hex(&text);
    text.push_str(HASH_FIELD);
    text.push_str(&hash);
    text.push_str("\"}\n");
    Ok((text, hash))
}

pub(crate) fn hex(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// The last line of a journal, cut short by a crash while it was written:
/// bytes after the last newline that are not a whole JSON object. It was
/// never acknowledged (a command is acknowledged only once its whole line is
/// synced), so it is dropped; its bytes are kept beside a journal file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TornTail {
    /// Byte offset where it starts (the journal was cut back to here).
    pub offset: u64,
    /// The sequence number the line would have had.
    #[serde(default)]
    pub seq: u64,
    /// Its bytes, as text (lossy where a character was cut).
    pub text: String,
    /// The file its exact bytes were moved to, `NAME.torn-SEQ-N` beside the
    /// journal; `None` for a journal held in memory.
    #[serde(default)]
    pub kept: Option<String>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where a reader stopped: what a book needs to append after it.
#[derive(Default)]
pub(crate) struct Position {
    /// The sequence number the next line must have.
    pub next_seq: u64,
    /// The hash of the last good line.
    pub head: String,
    /// Bytes of good lines so far.
    pub good_len: u64,
    /// A torn last line, once met.
    pub torn: Option<TornTail>,
    /// Its exact bytes.
    pub torn_bytes: Vec<u8>,
    /// The last good line is whole but lacks its newline.
    pub open_line: bool,
    /// The header's sequence number.
    pub first_seq: u64,
    /// Events replayed (counted by the caller that applies them).
    pub events: u64,
}

/// Reads a journal line by line, checking every hash, sequence number and
/// link of the chain.
pub(crate) struct Reader<R> {
    input: R,
    name: String,
    buf: Vec<u8>,
    lines: u64,
    /// How far the good lines go.
    pub pos: Position,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R, name: &str) -> Self {
        Reader {
            input,
            name: name.to_string(),
            buf: Vec::new(),
            lines: 0,
            pos: Position::default(),
        }
    }

    pub fn damaged(&self, seq: u64, reason: impl Into<String>) -> Error {
        Error::JournalDamaged {
            journal: self.name.clone(),
            seq,
            reason: reason.into(),
        }
    }

    /// The next good line, `None` at the end (or at a torn last line).
    pub fn next_line(&mut self) -> Result<Option<LineIn>> {
        loop {
            self.buf.clear();
            let n = self
                .input
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| Error::Io {
                    path: self.name.clone(),
                    reason: e.to_string(),
                })?;
            if n == 0 {
                if self.lines == 0 {
                    return Err(self.damaged(0, "it is empty; expected a header line"));
                }
                return Ok(None);
            }
            let terminated = self.buf.last() == Some(&b'\n');
            let (mut a, mut b) = (0, self.buf.len());
            if self.pos.good_len == 0 && self.buf.starts_with(BOM) {
                a = BOM.len();
            }
            while a < b && self.buf[a].is_ascii_whitespace() {
                a += 1;
            }
            while b > a && self.buf[b - 1].is_ascii_whitespace() {
                b -= 1;
            }
            if a == b {
                // A blank line, or whitespace where the last newline was.
                self.pos.good_len += n as u64;
                self.pos.open_line = !terminated;
                continue;
            }
            if !terminated {
                // A crash cuts a line anywhere, and no prefix of a line is a
                // whole JSON object: one that is whole was written in full.
                if serde_json::from_slice::<serde::de::IgnoredAny>(&self.buf[a..b]).is_err() {
                    self.pos.torn = Some(TornTail {
                        offset: self.pos.good_len,
                        seq: self.pos.next_seq,
                        text: String::from_utf8_lossy(&self.buf).into_owned(),
                        kept: None,
                    });
                    self.pos.torn_bytes.clone_from(&self.buf);
                    if self.lines == 0 {
                        return Err(self.damaged(0, "its header line is incomplete"));
                    }
                    return Ok(None);
                }
            }
            let line = self.check(a, b)?;
            self.pos.good_len += n as u64;
            self.pos.open_line = !terminated;
            self.lines += 1;
            return Ok(Some(line));
        }
    }

    /// Check one line's hash, sequence number and link, and parse it.
    fn check(&mut self, a: usize, b: usize) -> Result<LineIn> {
        let seq = self.pos.next_seq;
        let text = std::str::from_utf8(&self.buf[a..b])
            .map_err(|_| self.damaged(seq, "the line is not valid UTF-8"))?;
        let (body, hash) = split_hash(text)
            .ok_or_else(|| self.damaged(seq, "the line does not end with its hash"))?;
        if hex(body) != hash {
            return Err(self.damaged(
                seq,
                "the line's text does not match its hash (it was changed)",
            ));
        }
        let line: LineIn = serde_json::from_str(text)
            .map_err(|e| self.damaged(seq, format!("the line cannot be read: {e}")))?;
        if line.v > FORMAT_VERSION {
            return Err(self.damaged(
                seq,
                format!(
                    "written in format version {}, and this precinct reads up to version {FORMAT_VERSION}; upgrade precinct",
                    line.v
                ),
            ));
        }
        if self.lines == 0 {
            if line.start.is_none() {
                return Err(self.damaged(line.seq, "the first line is not a header"));
            }
            self.pos.first_seq = line.seq;
        } else {
            if line.seq != seq {
                return Err(self.damaged(
                    seq,
                    format!(
                        "found sequence number {} (a line was removed or moved)",
                        line.seq
                    ),
                ));
            }
            if line.prev.as_deref() != Some(self.pos.head.as_str()) {
                return Err(self.damaged(
                    seq,
                    "its link to the line before does not match (a line was removed, moved or changed)",
                ));
            }
            if line.start.is_some() {
                return Err(self.damaged(seq, "a header line after the first line"));
            }
            if line.cmd.is_none() || line.at.is_none() || line.by.is_none() {
                return Err(self.damaged(seq, "an event line needs `at`, `by` and `cmd`"));
            }
        }
        self.pos.next_seq = line.seq.checked_add(1).ok_or_else(|| {
            self.damaged(
                line.seq,
                format!(
                    "sequence number {} leaves no room for another line",
                    line.seq
                ),
            )
        })?;
        hash.clone_into(&mut self.pos.head);
        Ok(line)
    }
}

pub(crate) fn split_hash(text: &str) -> Option<(&str, &str)> {
    let cut = text.len().checked_sub(HASH_SUFFIX_LEN)?;
    let (body, tail) = (text.get(..cut)?, text.get(cut..)?);
    let hash = tail.strip_prefix(HASH_FIELD)?.strip_suffix("\"}")?;
    hash.bytes()
        .all(|b| b.is_ascii_hexdigit())
        .then_some((body, hash))
}

/// Where a journal's lines go.
#[derive(Debug)]
pub(crate) enum Store {
    /// A file, locked for this book, synced on commit.
    File {
        file: File,
        path: PathBuf,
        /// Failures a test injects.
        #[cfg(test)]
        faults: Faults,
    },
    /// A string in memory (browsers, tests).
    Memory(String),
}

/// A full disk or a failing sync, injected by tests.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// Bytes the file may still grow by before writes fail.
    pub space: Option<u64>,
    /// Whether syncing fails.
    pub sync_fails: bool,
    /// Whether cutting the file back fails (nothing can then be undone).
    pub truncate_fails: bool,
}

impl Store {
    pub fn file(file: File, path: PathBuf) -> Store {
        Store::File {
            file,
            path,
            #[cfg(test)]
            faults: Faults::default(),
        }
    }

    pub fn name(&self) -> String {
        match self {
            Store::File { path, .. } => path.display().to_string(),
            Store::Memory(_) => "memory".into(),
        }
    }

    pub fn append(&mut self, line: &str) -> io::Result<()> {
        match self {
            #[cfg(test)]
            Store::File {
                file,
                faults: Faults {
                    space: Some(space), ..
                },
                ..
            } => {
                // A full disk takes what fits, then refuses the rest.
                let fits = usize::try_from(*space)
                    .unwrap_or(usize::MAX)
                    .min(line.len());
                file.write_all(&line.as_bytes()[..fits])?;
                *space -= fits as u64;
                if fits < line.len() {
                    return Err(io::Error::new(
                        io::ErrorKind::StorageFull,
                        "no space left on device",
                    ));
                }
                Ok(())
            }
            Store::File { file, .. } => file.write_all(line.as_bytes()),
            Store::Memory(text) => {
                text.push_str(line);
                Ok(())
            }
        }
    }

    pub fn sync(&mut self) -> io::Result<()> {
        match self {
            #[cfg(test)]
            Store::File {
                faults: Faults {
                    sync_fails: true, ..
                },
                ..
            } => Err(io::Error::other("input/output error")),
            Store::File { file, .. } => file.sync_data(),
            Store::Memory(_) => Ok(()),
        }
    }

    /// Cut the journal back to `len` bytes and make that durable.
    pub fn truncate(&mut self, len: u64) -> io::Result<()> {
        match self {
            #[cfg(test)]
            Store::File {
                faults:
                    Faults {
                        truncate_fails: true,
                        ..
                    },
                ..
            } => Err(io::Error::other("input/output error")),
            Store::File { file, .. } => {
                file.set_len(len)?;
                file.sync_all()
            }
            Store::Memory(text) => {
                text.truncate(usize::try_from(len).unwrap_or(usize::MAX));
                Ok(())
            }
        }
    }

    /// The journal's first `len` bytes, to read.
    pub fn prefix(&self, len: u64) -> io::Result<Box<dyn BufRead + '_>> {
        match self {
            Store::File { file, .. } => {
                let mut file = file;
                file.seek(SeekFrom::Start(0))?;
                Ok(Box::new(io::BufReader::new(file.take(len))))
            }
            Store::Memory(text) => {
                let end = usize::try_from(len).unwrap_or(usize::MAX).min(text.len());
                Ok(Box::new(&text.as_bytes()[..end]))
            }
        }
    }

    pub fn io_error(&self, e: &io::Error) -> Error {
        Error::Io {
            path: self.name(),
            reason: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_carries_the_hash_of_its_own_text() {
        let station = Station::default();
        let (text, hash) = encode(&LineOut {
            seq: 0,
            v: FORMAT_VERSION,
            prev: None,
            start: Some(&station),
            at: None,
            by: None,
            cmd: None,
            out: None,
        })
        .unwrap();
        let line = text.trim_end();
        let (body, h) = split_hash(line).unwrap();
        assert_eq!(h, hash);
        assert_eq!(hex(body), hash);
        assert!(serde_json::from_str::<serde_json::Value>(line).is_ok());
        assert!(split_hash("{\"seq\":0}").is_none());
    }
}
