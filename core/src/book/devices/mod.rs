//! Many devices, one record book.
//!
//! The station's work happens on many devices at once, often offline: a
//! checkpoint tablet, the phones of the screening teams, the desk. Each
//! device keeps a [`DeviceBook`]: the records of a shared starting point
//! (the *base*, a [`Snapshot`] as text) plus every event of every device it
//! has heard of. Devices exchange their events as text lines and
//! [`DeviceBook::merge`] them.
//!
//! - **Each device's events form their own hash chain.** Line 0 of a device
//!   is its header (`dev`, its `number`, the SHA-256 of the base text);
//!   every later line is one event (`dev`, `seq`, `prev` the hash of the
//!   device's line before, `at`, `by`, `cmd`, `out`) ending with its own
//!   `hash`, as in the [`Book`](crate::Book)'s journal. A merge checks each
//!   chain and refuses a damaged one with [`Error::DeviceChainDamaged`]
//!   naming the device and the sequence number; nothing of that merge is
//!   taken. The chains catch damage, not forgery: lines are not signed, and
//!   a chain re-sealed from some point on before anyone holds the originals
//!   reads as good.
//! - **The merged book is a function of the set of events.** Events are
//!   replayed from the base in one order every device computes alike: by
//!   each event's `hlc` (a hybrid logical clock: its time `at`, or just
//!   after the latest event its device had seen when that is later), then
//!   device, then sequence number. So an event always comes after every
//!   event its device knew of (a phone whose clock is behind cannot put a
//!   pass before the registration it was issued on), and concurrent events
//!   come in the order of their times. Whatever order devices sync in, the
//!   same events give the same records and the same conflicts.
//! - **Serials issued offline never collide.** Device number `n` (1 to
//!   65,535) issues pass serials from `n * 2^32` and certificate serials
//!   from `n * 2^16`; a replayed event keeps the serial its device issued.
//!   Identifiers the caller chooses (persons, orders, stays) come from
//!   [`DeviceBook::new_id`], which puts the device in them.
//! - **What cannot stand after a merge is surfaced, never dropped.** An event
//!   refused in the merged order is kept in its chain and reported as a
//!   [`Conflict`] naming it and the earlier event where that is known; facts
//!   the device recorded stand (a pass it issued exists, a crossing it let
//!   through happened, a second registration of a document), the others are
//!   left out of the records until a person decides. A
//!   [`Command::ResolveConflict`], itself an event, closes a conflict.
//!
//! ```
//! use precinct::{Book, Command, DeviceBook, Person, Policy, parse_instant};
//!
//! let base = Book::in_memory(Policy::default()).unwrap().snapshot().to_text();
//! let mut desk = DeviceBook::create(&base, "desk", 1).unwrap();
//! let mut team = DeviceBook::create(&base, "team-1", 2).unwrap();
//! let at = parse_instant("2020-02-01 09:00", Policy::default().zone()).unwrap();
//! let person = |id: String| Person {
//!     id: id.as_str().into(),
//!     name: "Wang Fang".into(),
//!     document: precinct::IdDocument::Passport { nationality: "CHN".into(), number: "E1234567".into() },
//!     household: None,
//!     phone: None,
//!     has_smartphone: Some(false),
//! };
//! // Offline, both register the same passport under their own ids.
//! let id = desk.new_id("P");
//! desk.execute("officer-li", at, Command::RegisterPerson { person: person(id) }).unwrap();
//! let id = team.new_id("P");
//! team.execute("officer-wang", at, Command::RegisterPerson { person: person(id) }).unwrap();
//! // Back online: each takes the other's events.
//! desk.merge(&team.lines_since(&desk.frontier())).unwrap();
//! team.merge(&desk.lines_since(&team.frontier())).unwrap();
//! assert_eq!(desk.station(), team.station());
//! assert_eq!(desk.conflicts().len(), 1); // the passport registered twice
//! ```

mod checkpoint;

pub use checkpoint::CheckpointChain;

use std::cmp::Reverse;

use chrono::Datelike as _;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::command::{Issuing, Rules};
use super::journal::{hex, seal as encode, split_hash};
use super::{Command, Outcome, Receipt, Snapshot, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::facade::Value;
use crate::ids::{OrderId, PersonId, StaffId};
use crate::pass::Eligibility;
use crate::station::Station;
use crate::time::Instant;

/// The highest device number: certificate serials are 32 bits, and each
/// device has a block of 2^16 of them.
pub const MAX_DEVICE_NUMBER: u32 = 65_535;

/// The journal format devices first wrote: no device line is older.
const FIRST_DEVICE_FORMAT: u32 = 2;

/// A device's chain of events, and where each device's chain stands.
pub type Frontier = BTreeMap<String, u64>;

/// One event as it stands in the merged order: which device made it, and
/// its sequence number in that device's chain.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EventRef {
    /// The device.
    pub device: String,
    /// The event's sequence number in the device's chain (from 1).
    pub seq: u64,
}

impl fmt::Display for EventRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.device, self.seq)
    }
}

/// What kind of event could not stand after a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConflictKind {
    /// A pass was issued to a person another device had put under
    /// isolation or observation earlier. The pass stands (its holder has
    /// it); decide whether to revoke it.
    PassToIsolatedPerson,
    /// A pass was issued to a person the merged records find not eligible
    /// for another reason (another device issued them a pass of the kind,
    /// ...). The pass stands; decide whether to revoke one.
    PassNotEligible,
    /// The same identity document was registered as two persons. Both stay
    /// on record; merge them (`merge_persons`).
    DocumentRegisteredTwice,
    /// A pass was checked `allowed` at a checkpoint after another device
    /// had revoked it. The crossing stands as recorded; follow it up.
    CheckedAfterRevocation,
    /// A check's verdict (allowed or denied) differs in the merged records
    /// for another reason. The crossing stands as recorded.
    VerdictDiffers,
    /// The event is refused in the merged order (its subject was changed or
    /// removed by another device, ...). It is kept in its device's chain but
    /// left out of the records; redo what is still wanted.
    Refused,
}

impl ConflictKind {
    /// The kind's name as written in lines and answers, e.g. `verdict_differs`.
    pub fn name(self) -> &'static str {
        match self {
            ConflictKind::PassToIsolatedPerson => "pass_to_isolated_person",
            ConflictKind::PassNotEligible => "pass_not_eligible",
            ConflictKind::DocumentRegisteredTwice => "document_registered_twice",
            ConflictKind::CheckedAfterRevocation => "checked_after_revocation",
            ConflictKind::VerdictDiffers => "verdict_differs",
            ConflictKind::Refused => "refused",
        }
    }
}

/// An event that cannot stand as recorded once devices are merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Conflict {
    /// Its id, the event's own `DEVICE/SEQ`: what
    /// [`Command::ResolveConflict`] names.
    pub id: String,
    /// What kind of conflict.
    pub kind: ConflictKind,
    /// The event that could not stand, later in the merged order.
    pub event: EventRef,
    /// The earlier event it collides with, when one is known (`None`: the
    /// base records, or not known).
    pub earlier: Option<EventRef>,
    /// Whether the event's effect is in the merged records (a pass issued,
    /// a crossing, a second registration) or left out.
    pub applied: bool,
    /// What happened, in words.
    pub reason: String,
}

/// What [`DeviceBook::merge`] took.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MergeReport {
    /// Events new to this book.
    pub added: u64,
    /// Lines already held (sent again), skipped.
    pub known: u64,
    /// The devices that sent new events, in name order.
    pub devices: Vec<String>,
    /// Conflicts the new events opened.
    pub conflicts: Vec<Conflict>,
    /// Whether the records were replayed from the base (new events fell
    /// before events already applied) rather than only extended.
    pub replayed: bool,
}

/// One device's line as written: a header (`number`, `base`) or an event.
#[derive(Serialize)]
struct LineOut<'a> {
    dev: &'a str,
    seq: u64,
    v: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hlc: Option<Instant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<Instant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a StaffId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cmd: Option<&'a Command>,
    #[serde(skip_serializing_if = "Option::is_none")]
    out: Option<&'a Outcome>,
}

/// One device's line as read, its hash already checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn {
    dev: String,
    seq: u64,
    v: u32,
    #[serde(default)]
    number: Option<u32>,
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    prev: Option<String>,
    #[serde(default)]
    hlc: Option<Instant>,
    #[serde(default)]
    at: Option<Instant>,
    #[serde(default)]
    by: Option<StaffId>,
    #[serde(default)]
    cmd: Option<Command>,
    #[serde(default)]
    out: Outcome,
    #[serde(rename = "hash")]
    _hash: serde::de::IgnoredAny,
}

/// A line sent to a merge: read, with its hash and its text.
struct Sent {
    line: LineIn,
    hash: String,
    text: String,
}

/// One event of a device's chain.
#[derive(Debug, Clone)]
struct Event {
    seq: u64,
    v: u32,
    /// Where it comes in the merged order.
    hlc: Instant,
    /// When it was done, as the device recorded it (the rules judge it then).
    at: Instant,
    command: Command,
    outcome: Outcome,
    hash: String,
    /// The line as written, with its newline.
    line: String,
}

/// One device's chain: its header and its events in order.
#[derive(Debug, Clone)]
struct Chain {
    number: u32,
    header: String,
    header_hash: String,
    events: Vec<Event>,
    /// Past the last pass serial the device recorded.
    next_pass: u64,
    /// Past the last certificate serial the device recorded.
    next_certificate: u32,
}

impl Chain {
    fn new(number: u32, header: String, header_hash: String) -> Chain {
        Chain {
            number,
            header,
            header_hash,
            events: Vec::new(),
            next_pass: 0,
            next_certificate: 0,
        }
    }

    fn push(&mut self, event: Event) {
        match event.outcome {
            Outcome::PassIssued { serial } => self.next_pass = self.next_pass.max(serial + 1),
            Outcome::CertificateIssued { serial } => {
                self.next_certificate = self.next_certificate.max(serial.saturating_add(1));
            }
            _ => {}
        }
        self.events.push(event);
    }

    fn last_hash(&self) -> &str {
        self.events.last().map_or(&self.header_hash, |e| &e.hash)
    }

    fn last_seq(&self) -> u64 {
        self.events.last().map_or(0, |e| e.seq)
    }
}

/// The merged order's key of an event: earliest first, then by device and
/// sequence number.
type Key = (Instant, String, u64);

/// What replaying the merged events found besides the records.
#[derive(Debug, Clone, Default)]
struct Replay {
    /// Events applied or judged, in the merged order.
    events: u64,
    /// The greatest key replayed so far.
    last: Option<Key>,
    /// How many events of each device are replayed.
    done: BTreeMap<String, usize>,
    /// Every conflict found, by id.
    conflicts: BTreeMap<String, Conflict>,
    /// Conflicts closed by a `resolve_conflict` event.
    resolved: BTreeSet<String>,
    /// The event that registered each document.
    registered: HashMap<String, EventRef>,
    /// The event that made each order.
    orders: HashMap<OrderId, EventRef>,
    /// The event that last put each person under an order.
    ordered: HashMap<PersonId, EventRef>,
    /// The event that revoked each pass.
    revoked: HashMap<u64, EventRef>,
}

/// The record book as kept on one of several devices. See the module's
/// documentation for the rules of the merge.
#[derive(Debug, Clone)]
pub struct DeviceBook {
    device: String,
    base_text_hash: String,
    /// The base as text: read again for a replay from the start (rare),
    /// rather than a second copy of the records kept all along.
    base: std::sync::Arc<str>,
    chains: BTreeMap<String, Chain>,
    station: Station,
    replay: Replay,
}

impl DeviceBook {
    /// Start a device's book from `base`, the text of a [`Snapshot`] (as
    /// [`Snapshot::to_text`] writes it) that every
    /// device of the station starts from, under the device's name and its
    /// `number` (1 to [`MAX_DEVICE_NUMBER`], distinct for each device: it
    /// sets the block its serials come from).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a base that is not a snapshot, a device
    /// name that is empty, longer than 64 bytes or has other characters
    /// than letters, digits, `-`, `_` and `.`, or a number out of range.
    pub fn create(base: &str, device: &str, number: u32) -> Result<DeviceBook> {
        check_device_name(device)?;
        check_number(number)?;
        let mut book = DeviceBook::start(base, hex(base), device)?;
        let (header, header_hash) = header_line(device, number, &book.base_text_hash)?;
        book.chains
            .insert(device.to_string(), Chain::new(number, header, header_hash));
        Ok(book)
    }

    /// Reopen a device's book from its base and the lines it kept (as
    /// [`DeviceBook::journal_text`] gave them): every chain is checked and
    /// the events replayed.
    ///
    /// # Errors
    /// As [`DeviceBook::create`]; [`Error::DeviceChainDamaged`] for a damaged
    /// chain; [`Error::NotFound`] when the lines hold no header of `device`.
    pub fn open(base: &str, device: &str, journal: &str) -> Result<DeviceBook> {
        DeviceBook::open_with(base, hex(base), device, journal)
    }

    /// As [`DeviceBook::open`], with the SHA-256 of `base` (64 hex digits)
    /// computed by the caller: a browser's WebCrypto hashes the demo town's
    /// 30 MB base natively in about a third of the time the library takes
    /// in WebAssembly. The hash is checked against the device's own
    /// header, so a hash of another base is refused, but a base changed
    /// since the caller hashed it is not found: hash what you pass.
    ///
    /// # Errors
    /// As [`DeviceBook::open`]; [`Error::InvalidValue`] for a hash that is
    /// not 64 hex digits; [`Error::DeviceChainDamaged`] (sequence number 0)
    /// when it is not the base of the device's header.
    pub fn open_with_base_hash(
        base: &str,
        base_hash: &str,
        device: &str,
        journal: &str,
    ) -> Result<DeviceBook> {
        DeviceBook::open_with(base, checked_base_hash(base_hash)?, device, journal)
    }

    fn open_with(base: &str, base_hash: String, device: &str, journal: &str) -> Result<DeviceBook> {
        check_device_name(device)?;
        let mut book = DeviceBook::start(base, base_hash, device)?;
        book.merge(journal)?;
        if !book.chains.contains_key(device) {
            return Err(Error::not_found("device header in the journal", device));
        }
        Ok(book)
    }

    fn start(base: &str, base_hash: String, device: &str) -> Result<DeviceBook> {
        let snapshot = Snapshot::from_text(base)?;
        snapshot.station.policy.validate()?;
        Ok(DeviceBook {
            device: device.to_string(),
            base_text_hash: base_hash,
            station: snapshot.station,
            base: base.into(),
            chains: BTreeMap::new(),
            replay: Replay::default(),
        })
    }

    /// This device's name.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// This device's number.
    pub fn number(&self) -> u32 {
        self.chains.get(&self.device).map_or(0, |c| c.number)
    }

    /// The merged records as they stand.
    pub fn station(&self) -> &Station {
        &self.station
    }

    /// The SHA-256 of the base text, in hex: devices merge only with
    /// devices of the same base.
    pub fn base_hash(&self) -> &str {
        &self.base_text_hash
    }

    /// The last sequence number of each device's chain this book holds (0
    /// for a device with a header and no event yet).
    pub fn frontier(&self) -> Frontier {
        self.chains
            .iter()
            .map(|(d, c)| (d.clone(), c.last_seq()))
            .collect()
    }

    /// Every device this book has heard of, with its number: a new device
    /// (a checkpoint's kit carries this) takes a name and number not in it.
    pub fn devices(&self) -> BTreeMap<String, u32> {
        self.chains
            .iter()
            .map(|(d, c)| (d.clone(), c.number))
            .collect()
    }

    /// Events held, over all devices.
    pub fn events(&self) -> u64 {
        self.chains.values().map(|c| c.events.len() as u64).sum()
    }

    /// An identifier no other device issues: `PREFIX-DEVICE-N`, with `N`
    /// the sequence number the device's next event will have (so two ids
    /// asked for before one event is recorded are the same: ask for one
    /// per command).
    pub fn new_id(&self, prefix: &str) -> String {
        let next = self
            .chains
            .get(&self.device)
            .map_or(1, |c| c.last_seq() + 1);
        format!("{prefix}-{}-{next}", self.device)
    }

    /// The lines of every chain, headers first in each: what to keep, and
    /// what [`DeviceBook::open`] reads back.
    pub fn journal_text(&self) -> String {
        self.lines_since(&Frontier::new())
    }

    /// The lines another book lacks, given its [`DeviceBook::frontier`]:
    /// for each device, its header when the other has none, then its events
    /// after the other's sequence number. What [`DeviceBook::merge`] takes.
    pub fn lines_since(&self, frontier: &Frontier) -> String {
        let mut out = String::new();
        for (device, chain) in &self.chains {
            let have = frontier.get(device);
            if have.is_none() {
                out.push_str(&chain.header);
            }
            let from = have.copied().unwrap_or(0);
            for e in chain.events.iter().filter(|e| e.seq > from) {
                out.push_str(&e.line);
            }
        }
        out
    }

    /// The open conflicts, in the merged order of their events.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut open: Vec<&Conflict> = self
            .replay
            .conflicts
            .values()
            .filter(|c| !self.replay.resolved.contains(&c.id))
            .collect();
        open.sort_by_key(|c| self.key_of(&c.event));
        open.into_iter().cloned().collect()
    }

    /// Every conflict found, resolved or not, by id.
    pub fn all_conflicts(&self) -> Vec<Conflict> {
        self.replay.conflicts.values().cloned().collect()
    }

    fn key_of(&self, r: &EventRef) -> Option<Key> {
        let chain = self.chains.get(&r.device)?;
        let e = chain
            .events
            .get(usize::try_from(r.seq).ok()?.checked_sub(1)?)?;
        Some((e.hlc, r.device.clone(), e.seq))
    }

    /// Validate `command` against the merged records; if valid, add it to
    /// this device's chain as done by `by` at `at` and apply it. The caller
    /// keeps the new line ([`DeviceBook::lines_since`] the frontier it kept
    /// before).
    ///
    /// # Errors
    /// The domain error when the command is not valid now (the book is then
    /// unchanged); [`Error::InvalidValue`] for an empty `by`;
    /// [`Error::NotFound`] for a `resolve_conflict` of a conflict that is not
    /// open.
    pub fn execute(
        &mut self,
        by: impl Into<StaffId>,
        at: Instant,
        command: Command,
    ) -> Result<Receipt> {
        let by = by.into();
        command.check_entry(&by)?;
        let chain = self
            .chains
            .get(&self.device)
            .ok_or_else(|| Error::not_found("device", &self.device))?;
        let seq = chain.last_seq() + 1;
        // After everything this device has seen, even if its clock is behind.
        let hlc = hlc_after(self.replay.last.as_ref().map(|(last, _, _)| *last), at)?;
        let me = EventRef {
            device: self.device.clone(),
            seq,
        };
        let mut command = command.canonical().unwrap_or(command);
        let outcome = if let Command::ResolveConflict {
            conflict,
            decision,
            kind,
        } = &mut command
        {
            let open = self
                .replay
                .conflicts
                .get(conflict.as_str())
                .filter(|_| !self.replay.resolved.contains(conflict.as_str()))
                .ok_or_else(|| Error::not_found("open conflict", conflict.as_str()))?;
            if decision.trim().is_empty() {
                return Err(Error::invalid(
                    "decision",
                    decision.as_str(),
                    "what was decided about the conflict, in words",
                ));
            }
            match kind {
                Some(k) if *k != open.kind => {
                    return Err(Error::invalid(
                        "conflict kind",
                        k.name(),
                        format!(
                            "the kind of conflict {conflict} is now: {}",
                            open.kind.name()
                        ),
                    ))
                }
                // Recorded with the kind decided, so a replay can tell.
                _ => *kind = Some(open.kind),
            }
            Outcome::Done
        } else {
            let mut serials = issuing(chain.number);
            // Past every serial the device recorded, even one the merge
            // left out, so that no two of its events claim one serial.
            serials.passes.start = serials.passes.start.max(chain.next_pass);
            serials.certificates.start = serials.certificates.start.max(chain.next_certificate);
            // A refused command leaves the records as they were.
            let outcome = command.apply_under(&mut self.station, at, Rules::Current, &serials)?;
            revoke_if_ordered_later(&mut self.station, &command, at, hlc);
            outcome
        };
        let (line, hash) = encode(&LineOut {
            dev: &self.device,
            seq,
            v: FORMAT_VERSION,
            number: None,
            base: None,
            prev: Some(chain.last_hash()),
            hlc: Some(hlc),
            at: Some(at),
            by: Some(&by),
            cmd: Some(&command),
            out: (!outcome.is_done()).then_some(&outcome),
        })?;
        let event = Event {
            seq,
            v: FORMAT_VERSION,
            hlc,
            at,
            command,
            outcome: outcome.clone(),
            hash,
            line,
        };
        let key = (hlc, me.device.clone(), seq);
        if let Some(chain) = self.chains.get_mut(&self.device) {
            chain.push(event);
        }
        if self.replay.last.as_ref().is_none_or(|last| key > *last) {
            // Last in the merged order: applied above, as a replay would.
            if let Some(Event { command, .. }) = self.chains[&self.device].events.last() {
                if let Command::ResolveConflict { conflict, .. } = command {
                    self.replay.resolved.insert(conflict.clone());
                }
                note(&self.station, &mut self.replay, &me, command);
            }
            *self.replay.done.entry(me.device).or_default() += 1;
            self.replay.events += 1;
            self.replay.last = Some(key);
        } else {
            // Earlier than events already applied: replay all in order.
            self.restart();
            self.replay_pending();
        }
        Ok(Receipt { seq, outcome })
    }

    /// Take the lines of other devices (as [`DeviceBook::lines_since`] or
    /// [`DeviceBook::journal_text`] wrote them, in any order of devices):
    /// check every chain, add the events this book lacks and replay.
    ///
    /// # Errors
    /// [`Error::DeviceChainDamaged`] naming the device and sequence number
    /// where a chain breaks: a line changed (its hash), missing or moved
    /// (its sequence number or its link to the line before), a device's
    /// event that differs from the one held (a rewritten chain), a header of
    /// another base or with a number another device has. Nothing of the
    /// merge is taken then.
    pub fn merge(&mut self, lines: &str) -> Result<MergeReport> {
        let incoming = read_lines(lines)?;
        // Check everything before taking anything.
        let mut report = MergeReport::default();
        let mut staged: BTreeMap<String, Chain> = BTreeMap::new();
        let mut numbers: BTreeMap<u32, String> = self
            .chains
            .iter()
            .map(|(d, c)| (c.number, d.clone()))
            .collect();
        for (device, sent) in incoming {
            let held = self.chains.get(&device);
            let (chain, known) =
                check_chain(&device, sent, held, &self.base_text_hash, &mut numbers)?;
            report.known += known;
            if !chain.events.is_empty() || !self.chains.contains_key(&device) {
                staged.insert(device, chain);
            }
        }
        // Take it all.
        let before: BTreeSet<String> = self.replay.conflicts.keys().cloned().collect();
        let mut added = BTreeMap::new();
        for (device, chain) in staged {
            let n = chain.events.len();
            if n > 0 {
                report.devices.push(device.clone());
                report.added += n as u64;
                added.insert(device.clone(), n);
            }
            match self.chains.get_mut(&device) {
                Some(held) => chain.events.into_iter().for_each(|e| held.push(e)),
                None => {
                    self.chains.insert(device, chain);
                }
            }
        }
        report.replayed = self.bring_up_to_date(&added);
        report.conflicts = self
            .conflicts()
            .into_iter()
            .filter(|c| !before.contains(&c.id))
            .collect();
        Ok(report)
    }

    /// Apply the events just added: only them when they all fall after what
    /// is applied (the merged order of the rest is then unchanged), else
    /// everything again from the base. Returns whether it replayed all.
    fn bring_up_to_date(&mut self, added: &BTreeMap<String, usize>) -> bool {
        if added.is_empty() {
            return false;
        }
        let first_new = added
            .keys()
            .filter_map(|d| {
                let chain = self.chains.get(d)?;
                let done = self.replay.done.get(d).copied().unwrap_or(0);
                chain.events[done..]
                    .iter()
                    .map(|e| (e.hlc, d.clone(), e.seq))
                    .min()
            })
            .min();
        let extend = match (&self.replay.last, first_new) {
            (Some(last), Some(first)) => first > *last,
            _ => true,
        };
        if !extend {
            self.restart();
        }
        self.replay_pending();
        !extend
    }

    /// Back to the base records, nothing replayed.
    fn restart(&mut self) {
        // The base read when the book was made; it reads the same again.
        if let Ok(base) = Snapshot::from_text(&self.base) {
            self.station = base.station;
        }
        self.replay = Replay::default();
    }

    /// Replay, in the merged order, every event not yet replayed.
    fn replay_pending(&mut self) {
        let mut heads: BinaryHeap<Reverse<(Key, usize)>> = BinaryHeap::new();
        let devices: Vec<&String> = self.chains.keys().collect();
        let key = |chains: &BTreeMap<String, Chain>, d: &String, i: usize| {
            chains[d].events.get(i).map(|e| (e.hlc, d.clone(), e.seq))
        };
        for (n, d) in devices.iter().enumerate() {
            let done = self.replay.done.get(*d).copied().unwrap_or(0);
            if let Some(k) = key(&self.chains, d, done) {
                heads.push(Reverse((k, n)));
            }
        }
        let total = self.events().saturating_sub(self.replay.events);
        let mut replayed = 0u64;
        while let Some(Reverse((k, n))) = heads.pop() {
            let device = devices[n];
            let chain = &self.chains[device];
            let i = self.replay.done.get(device).copied().unwrap_or(0);
            let event = &chain.events[i];
            judge(
                &mut self.station,
                &mut self.replay,
                device,
                chain.number,
                event,
            );
            self.replay.done.insert(device.clone(), i + 1);
            self.replay.events += 1;
            if self.replay.last.as_ref().is_none_or(|l| k > *l) {
                self.replay.last = Some(k);
            }
            replayed += 1;
            if replayed.is_multiple_of(crate::progress::EVERY) {
                crate::progress::report("merge", replayed, Some(total));
            }
            if let Some(next) = key(&self.chains, device, i + 1) {
                heads.push(Reverse((next, n)));
            }
        }
        crate::progress::report("merge", replayed, Some(total));
    }

    /// Answer a query given as JSON (as [`Book::query`](crate::Book::query)
    /// takes it) from the merged records. `history` needs a book's journal
    /// and is refused.
    ///
    /// # Errors
    /// As [`Station::answer`](crate::Station::answer).
    pub fn query(&self, request: &serde_json::Value) -> Result<Value> {
        let query = crate::Query::from_request(request, self.station.policy.zone())?;
        self.station.answer(&query)
    }
}

/// Where device `number`'s serials come from: its own blocks.
fn issuing(number: u32) -> Issuing {
    let n = u64::from(number);
    Issuing {
        passes: n << 32..(n + 1) << 32,
        // Numbers are at most 65,535, so this stays within 32 bits.
        certificates: (number << 16)..(number << 16).saturating_add((1 << 16) - 1),
        eligibility: Eligibility::Checked,
    }
}

/// The serials an event recorded, so that it replays with them.
fn recorded_serials(number: u32, outcome: &Outcome) -> Issuing {
    let mut issuing = issuing(number);
    match outcome {
        Outcome::PassIssued { serial } if issuing.passes.contains(serial) => {
            issuing.passes = *serial..*serial + 1;
        }
        Outcome::CertificateIssued { serial } if issuing.certificates.contains(serial) => {
            issuing.certificates = *serial..*serial + 1;
        }
        _ => {}
    }
    issuing
}

/// Replay one event into the merged records, noting what cannot stand.
fn judge(st: &mut Station, replay: &mut Replay, device: &str, number: u32, event: &Event) {
    let me = EventRef {
        device: device.to_string(),
        seq: event.seq,
    };
    if let Command::ResolveConflict { conflict, kind, .. } = &event.command {
        // A decision closes the conflict only while it is of the kind decided.
        let decided = replay
            .conflicts
            .get(conflict)
            .is_some_and(|c| kind.is_none_or(|k| k == c.kind));
        if decided {
            replay.resolved.insert(conflict.clone());
        }
        return;
    }
    let rules = Rules::of_format(event.v);
    let serials = recorded_serials(number, &event.outcome);
    let found = match event.command.apply_under(st, event.at, rules, &serials) {
        Ok(outcome) => {
            revoke_if_ordered_later(st, &event.command, event.at, event.hlc);
            let found = stands_as_recorded(st, replay, event, &outcome);
            note(st, replay, &me, &event.command);
            found
        }
        Err(refusal) => refused(st, replay, event, serials, &refusal),
    };
    if let Some((kind, earlier, applied, reason)) = found {
        let id = me.to_string();
        replay.conflicts.insert(
            id.clone(),
            Conflict {
                id,
                kind,
                event: me,
                earlier,
                applied,
                reason,
            },
        );
    }
}

/// A conflict found in replay: its kind, the earlier event, whether the
/// event is applied, and why.
type Found = Option<(ConflictKind, Option<EventRef>, bool, String)>;

/// An event applied in the merged order: a check keeps the verdict its
/// checkpoint recorded (the crossing happened so), and a serial must be the
/// one its device issued.
fn stands_as_recorded(
    st: &mut Station,
    replay: &Replay,
    event: &Event,
    outcome: &Outcome,
) -> Found {
    match (&event.command, outcome, &event.outcome) {
        (
            Command::CheckPass {
                checkpoint, token, ..
            },
            Outcome::Checked { verdict: now },
            Outcome::Checked { verdict: then },
        ) => {
            // A verdict whose claims are not its token's (a line rewritten,
            // or a checkpoint that mixed up its tokens) is kept as decided,
            // with what the token says, and surfaced.
            let says = crate::pass::token_claims(token);
            if then.claims.is_some() && then.claims != says {
                st.checkpoints.set_last_verdict(crate::pass::Verdict {
                    claims: says,
                    ..then.clone()
                });
                return Some((
                    ConflictKind::VerdictDiffers,
                    None,
                    true,
                    format!("the checkpoint `{checkpoint}` recorded a verdict on another pass than the token it read"),
                ));
            }
            if now != then {
                st.checkpoints.set_last_verdict(then.clone());
            }
            // Denied for another reason is still denied: nothing to decide.
            if now.allowed == then.allowed {
                return None;
            }
            let serial = now.claims.as_ref().map(|c| c.serial);
            if then.allowed && now.reason == Some(crate::pass::DenyReason::Revoked) {
                let earlier = serial.and_then(|s| revoking_event(st, replay, s));
                return Some((
                    ConflictKind::CheckedAfterRevocation,
                    earlier,
                    true,
                    format!(
                        "pass {} was let through at checkpoint `{checkpoint}` after it had been revoked",
                        serial.unwrap_or_default()
                    ),
                ));
            }
            Some((
                ConflictKind::VerdictDiffers,
                None,
                true,
                format!(
                    "the checkpoint decided {}, the merged records decide {}",
                    verdict_words(then),
                    verdict_words(now)
                ),
            ))
        }
        (_, now, then) if differs_in_serial(now, then) => Some((
            ConflictKind::Refused,
            None,
            true,
            format!("the device recorded {then:?}, the merged records give {now:?}"),
        )),
        _ => None,
    }
}

/// An event the merged records refuse: facts stand (a pass issued, a second
/// registration of a document), the rest is left out.
fn refused(
    st: &mut Station,
    replay: &Replay,
    event: &Event,
    serials: Issuing,
    refusal: &Error,
) -> Found {
    let rules = Rules::of_format(event.v);
    match &event.command {
        // A pass issued offline exists: its holder has it.
        Command::IssuePass { application } if matches!(refusal, Error::NotEligible { .. }) => {
            let waived = Issuing {
                eligibility: Eligibility::Waived,
                ..serials
            };
            if let Err(e) = event.command.apply_under(st, event.at, rules, &waived) {
                return Some((ConflictKind::Refused, None, false, e.to_string()));
            }
            revoke_if_ordered_later(st, &event.command, event.at, event.hlc);
            let holder = st.residents.resolve(&application.holder);
            if st.quarantine.isolation_of(&holder, event.at).is_some() {
                let earlier = replay.ordered.get(&holder).cloned();
                Some((
                    ConflictKind::PassToIsolatedPerson,
                    earlier,
                    true,
                    refusal.to_string(),
                ))
            } else {
                Some((
                    ConflictKind::PassNotEligible,
                    None,
                    true,
                    refusal.to_string(),
                ))
            }
        }
        // Two devices registered one document: both persons stand.
        Command::RegisterPerson { person } if matches!(refusal, Error::Duplicate { what, .. } if *what == "identity document") =>
        {
            let earlier = replay.registered.get(&person.document.key()).cloned();
            match st
                .residents
                .register_person_sharing_document(person.clone())
            {
                Ok(()) => Some((
                    ConflictKind::DocumentRegisteredTwice,
                    earlier,
                    true,
                    format!(
                        "person `{}` was registered under a document another person has: {refusal}",
                        person.id
                    ),
                )),
                Err(e) => Some((ConflictKind::Refused, earlier, false, e.to_string())),
            }
        }
        // Two devices revoked one pass: it is revoked, as both wanted.
        Command::RevokePass { serial }
            if st
                .passes
                .pass(*serial)
                .is_ok_and(|p| p.revoked_at.is_some()) =>
        {
            None
        }
        _ => Some((ConflictKind::Refused, None, false, refusal.to_string())),
    }
}

/// Check the lines one device sent against its chain as held: returns
/// the new events (under the held header, or the new one sent) and how
/// many lines were held already.
fn check_chain(
    device: &str,
    mut sent: Vec<Sent>,
    held: Option<&Chain>,
    base_hash: &str,
    numbers: &mut BTreeMap<u32, String>,
) -> Result<(Chain, u64)> {
    sent.sort_by_key(|s| s.line.seq);
    let damaged = |seq: u64, reason: &str| Error::DeviceChainDamaged {
        device: device.to_string(),
        seq,
        reason: reason.to_string(),
    };
    let mut chain = if let Some(held) = held {
        Chain::new(held.number, held.header.clone(), held.header_hash.clone())
    } else {
        new_chain(device, sent.first(), base_hash, numbers).map_err(|r| damaged(0, &r))?
    };
    let held_seq = held.map_or(0, Chain::last_seq);
    let mut prev = held.map_or(chain.header_hash.clone(), |c| c.last_hash().to_string());
    let mut last_hlc = held
        .and_then(|c| c.events.last())
        .map_or(Instant::MIN_UTC, |e| e.hlc);
    let mut known = 0;
    for Sent { line, hash, text } in sent {
        let seq = line.seq;
        if seq == 0 {
            if hash != chain.header_hash {
                return Err(damaged(0, "its header differs from the one already merged (the device was set up again under the same name)"));
            }
            if held.is_some() {
                known += 1;
            }
            continue;
        }
        let next = chain.events.last().map_or(held_seq, |e| e.seq) + 1;
        if seq < next {
            let same = if seq <= held_seq {
                held.and_then(|c| c.events.get(usize::try_from(seq - 1).ok()?))
                    .is_some_and(|e| e.hash == hash)
            } else {
                chain
                    .events
                    .last()
                    .is_some_and(|e| e.seq == seq && e.hash == hash)
            };
            if !same {
                return Err(damaged(seq, "the event differs from the one already merged (the device's chain was rewritten)"));
            }
            known += 1;
            continue;
        }
        if seq != next {
            return Err(damaged(
                next,
                &format!("the event is missing (the next line sent has sequence number {seq})"),
            ));
        }
        if line.prev.as_deref() != Some(prev.as_str()) {
            return Err(damaged(seq, "its link to the device's line before does not match (a line was removed, moved or changed)"));
        }
        let blank_by = line
            .by
            .as_ref()
            .is_some_and(|b| b.as_str().trim().is_empty());
        let (Some(hlc), Some(at), Some(_), Some(command)) = (line.hlc, line.at, line.by, line.cmd)
        else {
            return Err(damaged(
                seq,
                "an event line needs `hlc`, `at`, `by` and `cmd`",
            ));
        };
        if line.number.is_some() || line.base.is_some() {
            return Err(damaged(seq, "a header's fields in an event line"));
        }
        if let Some(problem) = event_problem(line.v, blank_by, hlc, at, &command) {
            return Err(damaged(seq, &problem));
        }
        if hlc < at || hlc < last_hlc {
            return Err(damaged(
                seq,
                "its `hlc` is before its own time or before the device's event before",
            ));
        }
        last_hlc = hlc;
        prev.clone_from(&hash);
        chain.push(Event {
            seq,
            v: line.v,
            hlc,
            at,
            command,
            outcome: line.out,
            hash,
            line: text,
        });
    }
    Ok((chain, known))
}

/// The chain of a device this book has not heard of, from its header.
fn new_chain(
    device: &str,
    first: Option<&Sent>,
    base_hash: &str,
    numbers: &mut BTreeMap<u32, String>,
) -> std::result::Result<Chain, String> {
    let Some(header) = first.filter(|s| s.line.seq == 0) else {
        let first = first.map_or(0, |s| s.line.seq);
        return Err(format!("its header (sequence number 0) is missing; the first line sent has sequence number {first}"));
    };
    let number = check_header(&header.line, base_hash)?;
    if let Some(other) = numbers.get(&number).filter(|o| *o != device) {
        return Err(format!(
            "its number {number} is device `{other}`'s; every device needs its own number"
        ));
    }
    numbers.insert(number, device.to_string());
    Ok(Chain::new(number, header.text.clone(), header.hash.clone()))
}

fn check_header(header: &LineIn, base_hash: &str) -> std::result::Result<u32, String> {
    let (Some(number), Some(base)) = (header.number, header.base.as_deref()) else {
        return Err("the first line is not a device header (`number`, `base`)".into());
    };
    check_device_name(&header.dev).map_err(|e| e.to_string())?;
    check_number(number).map_err(|e| e.to_string())?;
    if base != base_hash {
        return Err(format!(
            "the device started from another base (its base {base:.12}…, this book's {base_hash:.12}…)"
        ));
    }
    if header.prev.is_some() || header.cmd.is_some() || header.at.is_some() || header.hlc.is_some()
    {
        return Err("a header with an event's fields".into());
    }
    Ok(number)
}

/// What makes a sent event one no device writes: an older format, an
/// empty `by`, a command `execute` refuses outright, a time off the calendar.
fn event_problem(
    v: u32,
    blank_by: bool,
    hlc: Instant,
    at: Instant,
    command: &Command,
) -> Option<String> {
    if v < FIRST_DEVICE_FORMAT {
        return Some(format!(
            "written in format version {v}, older than any device writes ({FIRST_DEVICE_FORMAT})"
        ));
    }
    if blank_by {
        return Some("an empty `by`: an event names the officer or system that made it".into());
    }
    if let Err(e) = command.check_new() {
        return Some(format!("a command a device cannot record: {e}"));
    }
    if crate::time::check_instant("hlc", hlc).is_err()
        || crate::time::check_instant("at", at).is_err()
        || hlc.year() >= crate::time::LATEST_YEAR
    {
        return Some(format!(
            "its `hlc` or `at` is outside the calendar precinct keeps for devices (before the year {})",
            crate::time::LATEST_YEAR
        ));
    }
    None
}

/// A pass issued at `at` by a device whose clock was behind (its `hlc` is
/// later) can come, in the merged order, after an isolation order that by
/// the order's own time starts after the pass: the order revokes it, as in
/// one book where the pass came first.
fn revoke_if_ordered_later(st: &mut Station, command: &Command, at: Instant, hlc: Instant) {
    let Command::IssuePass { application } = command else {
        return;
    };
    if hlc <= at {
        return;
    }
    let holder = st.residents.resolve(&application.holder);
    let later = st
        .quarantine
        .isolation_of(&holder, hlc)
        .filter(|o| o.start > at)
        .map(|o| (o.id.clone(), o.start));
    if let Some((order, start)) = later {
        st.passes.revoke_for_order(&holder, &order, start);
    }
}

/// Remember which event did what, to name it in a later conflict.
fn note(st: &Station, replay: &mut Replay, me: &EventRef, command: &Command) {
    match command {
        Command::RegisterPerson { person } => {
            replay
                .registered
                .entry(person.document.key())
                .or_insert_with(|| me.clone());
        }
        Command::OrderHomeIsolation { order, person, .. }
        | Command::OrderObservation { order, person, .. } => {
            replay.orders.insert(order.clone(), me.clone());
            replay
                .ordered
                .insert(st.residents.resolve(person), me.clone());
        }
        Command::IsolateContact { person, order, .. } => {
            if let Some(order) = order {
                replay.orders.insert(order.clone(), me.clone());
            }
            replay
                .ordered
                .insert(st.residents.resolve(person), me.clone());
        }
        Command::RevokePass { serial } => {
            replay.revoked.insert(*serial, me.clone());
        }
        _ => {}
    }
}

/// The event that revoked pass `serial`: a `revoke_pass`, or the order that
/// revoked it.
fn revoking_event(st: &Station, replay: &Replay, serial: u64) -> Option<EventRef> {
    replay.revoked.get(&serial).cloned().or_else(|| {
        let order = st.passes.pass(serial).ok()?.revoked_by_order.clone()?;
        replay.orders.get(&order).cloned()
    })
}

fn verdict_words(v: &crate::pass::Verdict) -> String {
    match v.reason {
        _ if v.allowed => "allowed".into(),
        Some(r) => format!("denied ({r})"),
        None => "denied".into(),
    }
}

fn differs_in_serial(now: &Outcome, then: &Outcome) -> bool {
    matches!(
        (now, then),
        (Outcome::PassIssued { .. }, Outcome::PassIssued { .. })
            | (
                Outcome::CertificateIssued { .. },
                Outcome::CertificateIssued { .. }
            )
    ) && now != then
}

/// Lines sent (as `lines_since` writes them), each read and its hash
/// checked, by device in the order sent.
fn read_lines(lines: &str) -> Result<BTreeMap<String, Vec<Sent>>> {
    let mut sent: BTreeMap<String, Vec<Sent>> = BTreeMap::new();
    for (i, raw) in lines.split_inclusive('\n').enumerate() {
        let text = raw.trim();
        if text.is_empty() {
            continue;
        }
        let (line, hash) = read_line(text, i)?;
        sent.entry(line.dev.clone()).or_default().push(Sent {
            line,
            hash,
            text: format!("{text}\n"),
        });
    }
    Ok(sent)
}

fn read_line(text: &str, index: usize) -> Result<(LineIn, String)> {
    // Name the device and sequence number even of a line whose hash fails,
    // when they read.
    #[derive(Deserialize)]
    struct Where {
        dev: Option<String>,
        seq: Option<u64>,
    }
    let place = serde_json::from_str::<Where>(text).ok();
    let damaged = |reason: String| Error::DeviceChainDamaged {
        device: place
            .as_ref()
            .and_then(|p| p.dev.clone())
            .unwrap_or_else(|| format!("(line {} of the lines sent)", index + 1)),
        seq: place.as_ref().and_then(|p| p.seq).unwrap_or(0),
        reason,
    };
    let (body, hash) =
        split_hash(text).ok_or_else(|| damaged("the line does not end with its hash".into()))?;
    if hex(body) != hash {
        return Err(damaged(
            "the line's text does not match its hash (it was changed)".into(),
        ));
    }
    let line: LineIn =
        serde_json::from_str(text).map_err(|e| damaged(format!("the line cannot be read: {e}")))?;
    if line.v > FORMAT_VERSION {
        return Err(damaged(format!(
            "written in format version {}, and this precinct reads up to version {FORMAT_VERSION}; upgrade precinct",
            line.v
        )));
    }
    Ok((line, hash.to_string()))
}

fn check_device_name(device: &str) -> Result<()> {
    let ok = !device.is_empty()
        && device.len() <= 64
        && device
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "device",
            device,
            "a device name of 1 to 64 letters, digits, `-`, `_` or `.` (e.g. `team-03`)",
        ))
    }
}

/// A device's header line (sequence number 0: its name, number and the
/// base's hash), with its hash.
fn header_line(device: &str, number: u32, base_hash: &str) -> Result<(String, String)> {
    encode(&LineOut {
        dev: device,
        seq: 0,
        v: FORMAT_VERSION,
        number: Some(number),
        base: Some(base_hash),
        prev: None,
        hlc: None,
        at: None,
        by: None,
        cmd: None,
        out: None,
    })
}

/// The hybrid logical clock of a device's next event done at `at`: `at`,
/// or just after `last` (the latest event the device has seen) when its
/// clock is behind.
fn hlc_after(last: Option<Instant>, at: Instant) -> Result<Instant> {
    if at.year() >= crate::time::LATEST_YEAR {
        return Err(Error::invalid(
            "at",
            at,
            format!(
                "a time before the year {}: a device clock this far ahead leaves no room for the events after it",
                crate::time::LATEST_YEAR
            ),
        ));
    }
    match last {
        Some(last) if last >= at => last
            .checked_add_signed(chrono::Duration::nanoseconds(1))
            .and_then(|t| crate::time::check_instant("hybrid logical clock", t).ok())
            .ok_or_else(|| {
                Error::invalid(
                    "hlc",
                    last,
                    "a clock within the calendar precinct keeps, for the next event",
                )
            }),
        _ => Ok(at),
    }
}

/// A base's SHA-256 as given: 64 hex digits, read in lower case.
fn checked_base_hash(hash: &str) -> Result<String> {
    let hash = hash.trim().to_ascii_lowercase();
    if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(hash)
    } else {
        Err(Error::invalid(
            "base hash",
            hash,
            "the SHA-256 of the station's base: 64 hex digits",
        ))
    }
}

fn check_number(number: u32) -> Result<()> {
    if (1..=MAX_DEVICE_NUMBER).contains(&number) {
        Ok(())
    } else {
        Err(Error::invalid(
            "device number",
            number,
            format!(
                "a number from 1 to {MAX_DEVICE_NUMBER}, distinct for each device of the station"
            ),
        ))
    }
}
