//! `DeviceBook`: the record book as kept on one of several devices (a
//! checkpoint tablet, a team's phone, the desk), merged with the others'
//! events without loss. Every rule is the core's
//! ([`precinct::DeviceBook`]); this only converts.

use precinct::{Command, Frontier, Zone};
use serde_json::Value as Json;
use wasm_bindgen::prelude::*;

use crate::convert::{answer, moment, read, text, text_or_utf8, to_js, to_json};
use crate::errors::{invalid, ok};

/// The record book kept on one device of several. Every query of `Book`
/// is a method here too, answered from the merged records (`history` needs
/// a `Book`'s journal and throws).
#[wasm_bindgen]
pub struct DeviceBook {
    inner: precinct::DeviceBook,
}

impl DeviceBook {
    fn zone(&self) -> Zone {
        self.inner.station().policy().zone()
    }

    /// The query `name` with the fields of `request` (none when omitted);
    /// each query is a method of its own too (see `book.rs`).
    pub(crate) fn ask(&self, name: &str, request: Option<JsValue>) -> Result<JsValue, JsValue> {
        answer(
            self.inner.query(&crate::book::named(name, request)?),
            self.zone(),
        )
    }
}

#[wasm_bindgen]
impl DeviceBook {
    /// A device's book from the station's base (`book.snapshotText()`,
    /// the same text on every device, or its UTF-8 bytes), under the
    /// device's name (1 to 64 letters, digits, `-`, `_`, `.`) and its number
    /// (1 to 65535, distinct for each device: its pass serials start at
    /// `number * 2**32`).
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] base: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] device: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] number: JsValue,
    ) -> Result<DeviceBook, JsValue> {
        let number: u32 = read("number", &number, Zone::UTC)?;
        let inner = ok(precinct::DeviceBook::create(
            &text_or_utf8("base", &base)?,
            &text("device", &device)?,
            number,
        ))?;
        Ok(DeviceBook { inner })
    }

    /// Reopen a device's book from its base (text or its UTF-8 bytes) and
    /// the lines it kept (`journalText`, or every line `linesSince` gave, in
    /// any order of devices). `baseHash`, when given, is the base's SHA-256
    /// in hex as the caller computed it (WebCrypto's `digest` does it
    /// natively, several times faster than the library in WebAssembly): it
    /// must be the base of the device's header. A damaged chain throws
    /// `DeviceChainDamaged` with `device` and `seq`.
    pub fn open(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] base: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] device: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] journal: JsValue,
        #[wasm_bindgen(js_name = baseHash, unchecked_optional_param_type = "string | null")]
        base_hash: Option<JsValue>,
    ) -> Result<DeviceBook, JsValue> {
        let base = text_or_utf8("base", &base)?;
        let (device, journal) = (text("device", &device)?, text("journal", &journal)?);
        let base_hash: Option<String> =
            read("base hash", &base_hash.unwrap_or_default(), Zone::UTC)?;
        let inner = ok(match base_hash {
            Some(hash) => {
                precinct::DeviceBook::open_with_base_hash(&base, &hash, &device, &journal)
            }
            None => precinct::DeviceBook::open(&base, &device, &journal),
        })?;
        Ok(DeviceBook { inner })
    }

    /// Validate a command against the merged records and record it on this
    /// device; throws the error of its kind when refused (nothing changes).
    /// Keep the new line: `linesSince(frontierBefore)`.
    #[wasm_bindgen(unchecked_return_type = "Receipt")]
    pub fn execute(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] by: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] at: JsValue,
    ) -> Result<JsValue, JsValue> {
        let zone = self.zone();
        let by = text("by", &by)?;
        let at = moment("at", &to_json("at", &at)?, zone)?;
        let command = ok(Command::from_json_in(&to_json("command", &command)?, zone))?;
        to_js(&ok(self.inner.execute(by, at, command))?, zone)
    }

    /// Take other devices' lines (as `linesSince` or `journalText` gave
    /// them): every chain is checked first, and a damaged one throws
    /// `DeviceChainDamaged` with `device` and `seq`, taking nothing.
    #[wasm_bindgen(unchecked_return_type = "MergeReport")]
    pub fn merge(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] lines: JsValue,
    ) -> Result<JsValue, JsValue> {
        let report = ok(self.inner.merge(&text("lines", &lines)?))?;
        to_js(&report, self.zone())
    }

    /// The lines a device with `frontier` lacks (all of them for `{}`).
    #[wasm_bindgen(js_name = linesSince)]
    pub fn lines_since(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, number>")] frontier: JsValue,
    ) -> Result<String, JsValue> {
        Ok(self.inner.lines_since(&frontier_of(&frontier)?))
    }

    /// The last sequence number held of each device: `{desk: 12, "team-1": 4}`.
    #[wasm_bindgen(getter, unchecked_return_type = "Record<string, number>")]
    pub fn frontier(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.frontier(), self.zone())
    }

    /// Every device's lines, headers first: what to keep.
    #[wasm_bindgen(getter, js_name = journalText)]
    pub fn journal_text(&self) -> String {
        self.inner.journal_text()
    }

    /// The conflicts still open, in the merged order of their events.
    #[wasm_bindgen(getter, unchecked_return_type = "Conflict[]")]
    pub fn conflicts(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.conflicts(), self.zone())
    }

    /// Every conflict found, resolved or not.
    #[wasm_bindgen(getter, js_name = allConflicts, unchecked_return_type = "Conflict[]")]
    pub fn all_conflicts(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.all_conflicts(), self.zone())
    }

    /// An identifier no other device issues: `PREFIX-DEVICE-N` (one per command).
    #[wasm_bindgen(js_name = newId)]
    pub fn new_id(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] prefix: JsValue,
    ) -> Result<String, JsValue> {
        Ok(self.inner.new_id(&text("prefix", &prefix)?))
    }

    /// Answer any query given by name from the merged records:
    /// `{query: "persons"}` (`history` needs a `Book`).
    #[wasm_bindgen(unchecked_return_type = "unknown")]
    pub fn query(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BookQuery")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request: Json = to_json("query", &request)?;
        answer(self.inner.query(&request), self.zone())
    }

    /// This device's name.
    #[wasm_bindgen(getter)]
    pub fn device(&self) -> String {
        self.inner.device().to_string()
    }

    /// This device's number.
    #[wasm_bindgen(getter)]
    pub fn number(&self) -> u32 {
        self.inner.number()
    }

    /// The SHA-256 of the base text (64 hex digits): a checkpoint kit
    /// carries it, so a `CheckpointChain` merges with this station's books.
    #[wasm_bindgen(getter, js_name = baseHash)]
    pub fn base_hash(&self) -> String {
        self.inner.base_hash().to_string()
    }

    /// Every device this book has heard of, with its number:
    /// `{desk: 1, "team-1": 2}`. A new device (a checkpoint) takes a name
    /// and a number not in it.
    #[wasm_bindgen(getter, unchecked_return_type = "Record<string, number>")]
    pub fn devices(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.devices(), self.zone())
    }

    /// The policy in force: the base's.
    #[wasm_bindgen(getter, unchecked_return_type = "Policy")]
    pub fn policy(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.station().policy(), self.zone())
    }

    /// Events held, over all devices.
    #[wasm_bindgen(getter)]
    pub fn events(&self) -> f64 {
        self.inner.events() as f64
    }

    /// Check that the record a form's field names is on record, as it is
    /// typed: `kind` is `person`, `household`, `stay`, `enterprise`, `pass`
    /// or `certificate`, `id` the record's id or serial. Throws
    /// `RecordNotFound` with the words a command naming it would give.
    #[wasm_bindgen(js_name = checkReference)]
    pub fn check_reference(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<(), JsValue> {
        crate::book::check_reference(self.inner.station(), &kind, &id)
    }

    /// The signed token of pass `serial` for its QR code.
    pub fn token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] serial: JsValue,
        #[wasm_bindgen(unchecked_param_type = "StationKey")] key: JsValue,
    ) -> Result<String, JsValue> {
        crate::passes::token(self.inner.station(), &serial, &key)
    }
}

/// The chain of a checkpoint device that keeps no records, only the
/// station's kit: the crossings it judged offline (with `verifyToken`), as
/// device lines any `DeviceBook.merge` takes. Merged, each crossing stands
/// as the checkpoint decided it; where the merged records decide otherwise
/// (a pass revoked on another device), the merge reports a conflict
/// (`checked_after_revocation` or `verdict_differs`).
#[wasm_bindgen]
pub struct CheckpointChain {
    inner: precinct::CheckpointChain,
}

#[wasm_bindgen]
impl CheckpointChain {
    /// Start checkpoint device `device`'s chain with its `number` (1 to
    /// 65535, distinct from every device of the station) under the base
    /// whose SHA-256 is `baseHash` (`DeviceBook.baseHash`, carried by the
    /// checkpoint kit). Throws `InvalidValue` for a bad name, number or hash.
    pub fn start(
        #[wasm_bindgen(unchecked_param_type = "string")] device: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] number: JsValue,
        #[wasm_bindgen(js_name = baseHash, unchecked_param_type = "string")] base_hash: JsValue,
    ) -> Result<CheckpointChain, JsValue> {
        let number: u32 = read("number", &number, Zone::UTC)?;
        let inner = ok(precinct::CheckpointChain::start(
            &text("device", &device)?,
            number,
            &text("base hash", &base_hash)?,
        ))?;
        Ok(CheckpointChain { inner })
    }

    /// Reopen the chain from the lines it kept (`journalText`). Throws
    /// `DeviceChainDamaged` (with `device` and `seq`) for a damaged chain or
    /// another device's lines, `RecordNotFound` for no lines.
    pub fn open(
        #[wasm_bindgen(unchecked_param_type = "string")] lines: JsValue,
    ) -> Result<CheckpointChain, JsValue> {
        let inner = ok(precinct::CheckpointChain::open(&text("lines", &lines)?))?;
        Ok(CheckpointChain { inner })
    }

    /// Record a crossing at checkpoint `checkpoint` on `token`, decided as
    /// `verdict` (what `verifyToken` gave with the kit), done `by` an
    /// officer `at` a moment (naive times in the default policy's zone).
    /// `document` (and `nationality` for a passport) is the identity
    /// document the holder showed, when one was read. Returns the receipt;
    /// keep the new line (`linesSince({})` or `journalText`). Throws
    /// `InvalidValue` for an empty `by` or checkpoint, a verdict allowed
    /// with a reason or denied without one.
    #[wasm_bindgen(js_name = recordCrossing, unchecked_return_type = "Receipt")]
    #[expect(
        clippy::too_many_arguments,
        reason = "positional arguments of one JavaScript method, as verifyToken"
    )]
    pub fn record_crossing(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] checkpoint: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Verdict")] verdict: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] by: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Moment")] at: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] document: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] nationality: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let zone = precinct::Policy::default().zone();
        let optional =
            |what, v: Option<JsValue>| read::<Option<String>>(what, &v.unwrap_or_default(), zone);
        let at = moment("at", &to_json("at", &at)?, zone)?;
        let verdict: precinct::Verdict = read("verdict", &verdict, zone)?;
        let nationality = optional("nationality", nationality)?;
        let document = ok(optional("document", document)?
            .map(|d| {
                precinct::IdDocument::parse(&d, nationality.as_deref())
                    .map_err(precinct::Error::from)
            })
            .transpose())?;
        let receipt = ok(self.inner.record_crossing(
            text("by", &by)?,
            at,
            &text("checkpoint", &checkpoint)?,
            &text("token", &token)?,
            document,
            verdict,
        ))?;
        to_js(&receipt, zone)
    }

    /// The lines a device book with `frontier` lacks (`DeviceBook.frontier`;
    /// all of them for `{}`).
    #[wasm_bindgen(js_name = linesSince)]
    pub fn lines_since(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, number>")] frontier: JsValue,
    ) -> Result<String, JsValue> {
        Ok(self.inner.lines_since(&frontier_of(&frontier)?))
    }

    /// Every line of the chain, the header first: what to keep.
    #[wasm_bindgen(getter, js_name = journalText)]
    pub fn journal_text(&self) -> String {
        self.inner.journal_text()
    }

    /// This checkpoint device's name.
    #[wasm_bindgen(getter)]
    pub fn device(&self) -> String {
        self.inner.device().to_string()
    }

    /// This checkpoint device's number.
    #[wasm_bindgen(getter)]
    pub fn number(&self) -> u32 {
        self.inner.number()
    }

    /// The SHA-256 of the station's base the chain is under.
    #[wasm_bindgen(getter, js_name = baseHash)]
    pub fn base_hash(&self) -> String {
        self.inner.base_hash().to_string()
    }

    /// Crossings recorded.
    #[wasm_bindgen(getter)]
    pub fn events(&self) -> f64 {
        self.inner.events() as f64
    }
}

/// A frontier argument: an object of device names to sequence numbers.
fn frontier_of(frontier: &JsValue) -> Result<Frontier, JsValue> {
    let json = to_json("frontier", frontier)?;
    if !json.is_object() {
        return Err(invalid(
            "frontier",
            json,
            "an object of device names to sequence numbers, as `frontier` gives it",
        ));
    }
    read("frontier", frontier, Zone::UTC)
}
