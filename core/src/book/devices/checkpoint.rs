//! A checkpoint's own device chain: the crossings it judged offline.

use super::{
    check_chain, check_device_name, check_number, checked_base_hash, encode, header_line,
    hlc_after, read_lines, Frontier, LineOut, FORMAT_VERSION,
};
use crate::book::{Command, Outcome, Receipt};
use crate::error::{Error, Result};
use crate::id::IdDocument;
use crate::ids::StaffId;
use crate::pass::Verdict;
use crate::time::Instant;
use std::collections::BTreeMap;

/// The longest checkpoint name kept, in characters.
const MAX_NAME_CHARS: usize = 200;
/// The longest token kept: a QR code holds at most 2,953 bytes.
const MAX_TOKEN_BYTES: usize = 2_953;

/// The chain of a checkpoint device that keeps no records: the tablet at
/// the highway exit holds only the station's checkpoint kit (its public
/// keys and revocation list, checked with [`verify_token`]) and this chain
/// of the crossings it judged with them, offline.
///
/// Its lines are a device's lines like any other, under the base of the
/// station's devices ([`DeviceBook::base_hash`]): [`DeviceBook::merge`]
/// checks and takes them. Each event is a [`Command::CheckPass`] whose
/// outcome is the verdict the checkpoint gave. Merged, a crossing stands as
/// the checkpoint decided it (it happened so); where the merged records
/// decide otherwise, the merge reports a conflict:
/// [`ConflictKind::CheckedAfterRevocation`] for a pass let through after
/// another device revoked it, [`ConflictKind::VerdictDiffers`] for any
/// other disagreement between allowed and denied.
///
/// [`verify_token`]: crate::verify_token
/// [`DeviceBook::base_hash`]: crate::DeviceBook::base_hash
/// [`DeviceBook::merge`]: crate::DeviceBook::merge
/// [`ConflictKind::CheckedAfterRevocation`]: crate::ConflictKind::CheckedAfterRevocation
/// [`ConflictKind::VerdictDiffers`]: crate::ConflictKind::VerdictDiffers
///
/// ```
/// use precinct::{parse_instant, Book, CheckpointChain, Command, DeviceBook, Policy};
/// use precinct::{RevocationList, StationKey, verify_token};
///
/// let key = StationKey::from_seed([7; 32]);
/// let at = |t: &str| parse_instant(t, Policy::default().zone()).unwrap();
/// let mut book = Book::in_memory(Policy::default()).unwrap();
/// book.execute("desk", at("2020-01-20 08:00"), Command::AddStationKey {
///     key: key.public(), valid_from: at("2020-01-20 08:00"), valid_until: None,
/// }).unwrap();
/// let base = book.snapshot().to_text();
/// let desk = DeviceBook::create(&base, "desk", 1).unwrap();
/// // The tablet is set up with the base's hash, its own name and number.
/// let mut tablet = CheckpointChain::start("exit-3", 7, desk.base_hash()).unwrap();
/// let at_exit = at("2020-02-02 10:00");
/// let verdict = verify_token("PC1.garbled", &key.public(), &RevocationList::default(), at_exit, None);
/// tablet.record_crossing("officer-zhao", at_exit, "highway exit 3", "PC1.garbled", None, verdict).unwrap();
/// let mut desk = desk;
/// desk.merge(&tablet.lines_since(&desk.frontier())).unwrap();
/// assert_eq!(desk.station().checkpoints().crossings().len(), 1);
/// assert!(desk.conflicts().is_empty()); // denied by the kit, denied by the records
/// ```
#[derive(Debug, Clone)]
pub struct CheckpointChain {
    device: String,
    number: u32,
    base_hash: String,
    /// The header line, with its newline.
    header: String,
    /// The event lines in order (sequence number `i + 1`), with newlines.
    events: Vec<String>,
    last_hash: String,
    /// The hybrid logical clock of the last event: the next comes after it.
    last_hlc: Option<Instant>,
}

impl CheckpointChain {
    /// Start the chain of checkpoint device `device` with its `number` (1
    /// to [`MAX_DEVICE_NUMBER`](crate::MAX_DEVICE_NUMBER), distinct from
    /// every other device of the station) under the base whose SHA-256 is
    /// `base_hash` (64 hex digits, as [`DeviceBook::base_hash`](crate::DeviceBook::base_hash)
    /// gives it; the station's console puts it in the checkpoint kit).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a device name or number as
    /// [`DeviceBook::create`](crate::DeviceBook::create) refuses them, or a
    /// `base_hash` that is not 64 hex digits.
    pub fn start(device: &str, number: u32, base_hash: &str) -> Result<CheckpointChain> {
        check_device_name(device)?;
        check_number(number)?;
        let hash = checked_base_hash(base_hash)?;
        let (header, header_hash) = header_line(device, number, &hash)?;
        Ok(CheckpointChain {
            device: device.to_string(),
            number,
            base_hash: hash,
            header,
            events: Vec::new(),
            last_hash: header_hash,
            last_hlc: None,
        })
    }

    /// Reopen the chain from the lines it kept ([`CheckpointChain::journal_text`]),
    /// checked as a merge checks a device's chain.
    ///
    /// # Errors
    /// [`Error::DeviceChainDamaged`] for a damaged chain or lines of more
    /// than one device; [`Error::NotFound`] when there are no lines.
    pub fn open(lines: &str) -> Result<CheckpointChain> {
        let sent = read_lines(lines)?;
        let mut devices = sent.into_iter();
        let (device, lines) = devices
            .next()
            .ok_or_else(|| Error::not_found("checkpoint chain line", "(none)"))?;
        if let Some((other, _)) = devices.next() {
            return Err(Error::DeviceChainDamaged {
                device: other,
                seq: 0,
                reason: format!(
                    "a checkpoint's lines are all its own, and these are also `{device}`'s"
                ),
            });
        }
        // Its own header names the base: the checkpoint holds no base to check it against.
        let base_hash = lines
            .iter()
            .find(|s| s.line.seq == 0)
            .and_then(|s| s.line.base.clone())
            .unwrap_or_default();
        let (chain, _) = check_chain(&device, lines, None, &base_hash, &mut BTreeMap::new())?;
        // Another device's lines would go on under its name and split its chain.
        if let Some(e) = chain
            .events
            .iter()
            .find(|e| !matches!(e.command, Command::CheckPass { .. }))
        {
            return Err(Error::DeviceChainDamaged {
                device,
                seq: e.seq,
                reason: format!(
                    "a `{}` event: these are a device book's lines, not a checkpoint's (open them with DeviceBook::open)",
                    e.command.name()
                ),
            });
        }
        let last = chain.events.last();
        Ok(CheckpointChain {
            number: chain.number,
            base_hash,
            last_hash: chain.last_hash().to_string(),
            last_hlc: last.map(|e| e.hlc),
            events: chain.events.iter().map(|e| e.line.clone()).collect(),
            header: chain.header,
            device,
        })
    }

    /// Record a crossing checkpoint `checkpoint` decided at `at` (UTC
    /// instant) on `token` (and the identity `document` the holder showed,
    /// when one was read), with `verdict` as the kit gave it
    /// ([`verify_token`](crate::verify_token)). The event is written as
    /// done by `by`; its receipt's outcome is the verdict.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an empty `by` or `checkpoint`, a verdict
    /// allowed with a reason or denied without one, or a time outside the
    /// calendar precinct keeps (also when the clock is behind the device's
    /// last event and the next instant after it would be).
    pub fn record_crossing(
        &mut self,
        by: impl Into<StaffId>,
        at: Instant,
        checkpoint: &str,
        token: &str,
        document: Option<IdDocument>,
        verdict: Verdict,
    ) -> Result<Receipt> {
        let by = by.into();
        if checkpoint.trim().is_empty() {
            return Err(Error::invalid(
                "checkpoint",
                checkpoint,
                "a checkpoint name",
            ));
        }
        if verdict.allowed == verdict.reason.is_some() {
            return Err(Error::invalid(
                "verdict",
                format!(
                    "allowed {} with reason {:?}",
                    verdict.allowed, verdict.reason
                ),
                "a verdict as the kit gave it: allowed with no reason, or denied with one",
            ));
        }
        if verdict
            .claims
            .as_ref()
            .is_some_and(|c| Some(c) != crate::pass::token_claims(token).as_ref())
        {
            return Err(Error::invalid(
                "verdict",
                "claims of another token",
                "the verdict the kit gave for this token (its claims are the token's)",
            ));
        }
        crate::facade::fields::one_line_text("checkpoint", checkpoint)?;
        if checkpoint.chars().count() > MAX_NAME_CHARS {
            return Err(Error::invalid(
                "checkpoint",
                format!("{} characters", checkpoint.chars().count()),
                format!("a checkpoint name of at most {MAX_NAME_CHARS} characters"),
            ));
        }
        if token.len() > MAX_TOKEN_BYTES {
            return Err(Error::invalid(
                "token",
                format!("{} bytes", token.len()),
                format!("what a QR code holds: at most {MAX_TOKEN_BYTES} bytes"),
            ));
        }
        let command = Command::CheckPass {
            checkpoint: checkpoint.to_string(),
            token: token.to_string(),
            document,
            public_key: None,
        };
        command.check_entry(&by)?;
        crate::time::check_instant("at", at)?;
        // After its own last event, even if its clock went back.
        let hlc = hlc_after(self.last_hlc, at)?;
        let seq = self.events.len() as u64 + 1;
        let outcome = Outcome::Checked { verdict };
        let (line, hash) = encode(&LineOut {
            dev: &self.device,
            seq,
            v: FORMAT_VERSION,
            number: None,
            base: None,
            prev: Some(&self.last_hash),
            hlc: Some(hlc),
            at: Some(at),
            by: Some(&by),
            cmd: Some(&command),
            out: Some(&outcome),
        })?;
        self.events.push(line);
        self.last_hash = hash;
        self.last_hlc = Some(hlc);
        Ok(Receipt { seq, outcome })
    }

    /// This device's name.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// This device's number.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The SHA-256 of the station's base this chain is under, in hex.
    pub fn base_hash(&self) -> &str {
        &self.base_hash
    }

    /// Crossings recorded.
    pub fn events(&self) -> u64 {
        self.events.len() as u64
    }

    /// Every line, the header first: what to keep, and what
    /// [`CheckpointChain::open`] reads back.
    pub fn journal_text(&self) -> String {
        self.lines_since(&Frontier::new())
    }

    /// The lines a device book lacks, given its
    /// [`DeviceBook::frontier`](crate::DeviceBook::frontier): the header
    /// when it has none of this device, then the events after its sequence
    /// number. What [`DeviceBook::merge`](crate::DeviceBook::merge) takes.
    pub fn lines_since(&self, frontier: &Frontier) -> String {
        let have = frontier.get(&self.device).copied();
        let mut out = String::new();
        if have.is_none() {
            out.push_str(&self.header);
        }
        let from = usize::try_from(have.unwrap_or(0)).unwrap_or(usize::MAX);
        for line in self.events.iter().skip(from) {
            out.push_str(line);
        }
        out
    }
}
