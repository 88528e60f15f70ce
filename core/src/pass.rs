//! Movement passes: county passes for residents who cannot show a health
//! code, worker passes applied for by enterprises; eligibility, issuance,
//! revocation, compact signed tokens verifiable offline at a checkpoint, the
//! station's signing keys as the book knows them, and the checkpoint log.
//!
//! # What a checkpoint learns from a token
//!
//! A token (`PC1.` and base64url) is readable by anyone who scans it; only
//! the signature needs the station's public key. Format 3, written since
//! tokens bind their holder, carries:
//!
//! - the pass's serial number, kind (county or worker), scope (where it is
//!   good for), and the instants it is valid from and until, in clear;
//! - the holder's name masked to its first character (`张**`), in clear, for
//!   the officer's eye: it does not tell two holders apart (`张三丰` and
//!   `张三峰` both read `张**`);
//! - the id of the station key that signed it (the first 8 bytes of the
//!   public key, which is public anyway);
//! - a 16-byte holder digest: HMAC-SHA-256 of the pass serial and the
//!   holder's identity document (kind, nationality and number), keyed with
//!   the station's [`HolderKey`] and cut to 16 bytes. A checkpoint that holds
//!   the holder key recomputes it from the card it is shown and compares;
//!   a mismatch is [`DenyReason::HolderMismatch`].
//!
//! The token carries no document number, birth date, address or phone. The
//! digest is keyed with a secret the token does not carry because an
//! unkeyed (or serial-keyed) digest of an 18-digit resident id falls to a
//! search: with a known region and birth date only the 3-digit sequence
//! number is unknown (the check character follows), about a thousand
//! candidates; even with nothing known, regions × dates × sequence numbers
//! is about 10^11, hours on one GPU. Without the holder key, a digest can be
//! neither checked nor searched. With it (every checkpoint device holds it)
//! a device can confirm a guessed document: the threat model accepts this,
//! because the officers at a checkpoint are shown the card anyway; a lost
//! device means issuing a new station key (see [`StationKeys`]), whose
//! holder key differs. The serial in the digest makes the digests of one
//! person's two passes unrelated.
//!
//! Formats 1 and 2 (tokens printed before holders were bound) carry the same
//! clear fields without a key id or digest. They still verify, strictly, and
//! a checkpoint that checks a document against one is told
//! [`HolderCheck::Unbound`]: compare the masked name and photo by eye.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::household::Residents;
use crate::id::IdDocument;
use crate::ids::{EnterpriseId, OrderId, PersonId};
use crate::policy::Policy;
use crate::quarantine::Quarantine;
use crate::resumption::Resumption;
use crate::time::{add_days, local_day, render_instant, Instant};

/// The kinds of pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PassKind {
    /// County movement pass (县内出入通行证) for a resident without a health code.
    County,
    /// Worker pass (出入通行证) applied for by an enterprise for an employee.
    Worker,
}

impl PassKind {
    fn byte(self) -> u8 {
        match self {
            PassKind::County => 1,
            PassKind::Worker => 2,
        }
    }
}

/// An application for a pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct PassApplication {
    /// Who the pass is for.
    pub holder: PersonId,
    /// Which kind.
    pub kind: PassKind,
    /// The applying enterprise (worker passes).
    pub enterprise: Option<EnterpriseId>,
    /// Where the pass is good for, e.g. `Yaozhuang town` or a route.
    pub scope: String,
}

/// An issued pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Pass {
    /// Serial number, unique per station.
    pub serial: u64,
    /// Which kind.
    pub kind: PassKind,
    /// The holder.
    pub holder: PersonId,
    /// The holder's name, masked, as printed on the token.
    pub holder_masked: String,
    /// The identity document the pass was issued to: its token carries a
    /// keyed digest of it (never the number), and the book checks a card
    /// shown at a checkpoint against it. Absent for passes recorded before
    /// passes bound their holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_document: Option<IdDocument>,
    /// The applying enterprise (worker passes).
    pub enterprise: Option<EnterpriseId>,
    /// Where it is good for.
    pub scope: String,
    /// Valid from.
    pub valid_from: Instant,
    /// Valid until (exclusive).
    pub valid_until: Instant,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Instant>,
    /// The isolation or observation order that revoked it, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_by_order: Option<OrderId>,
}

/// The station's signing key. Keep it secret; give checkpoints the
/// [`PublicKey`] and the [`HolderKey`].
#[derive(Clone)]
pub struct StationKey(SigningKey);

impl fmt::Debug for StationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StationKey(public {})", self.public())
    }
}

impl StationKey {
    /// A key from 32 secret bytes (from a key file or a secure random source).
    pub fn from_seed(seed: [u8; 32]) -> StationKey {
        StationKey(SigningKey::from_bytes(&seed))
    }

    /// The public half, for checkpoints.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// The key of the holder digests in this key's tokens, for checkpoints
    /// that check the identity card shown. It is derived one way from the
    /// secret seed: holding it does not let anyone sign.
    pub fn holder_key(&self) -> HolderKey {
        HolderKey(hmac(&self.0.to_bytes(), &[b"precinct holder key v1"]))
    }
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        unreachable!("HMAC takes keys of any length")
    };
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// The secret key of holder digests: checkpoints hold it next to the
/// [`PublicKey`]; a token never carries it. See the [module notes](self).
#[derive(Clone, PartialEq, Eq)]
pub struct HolderKey([u8; 32]);

impl fmt::Debug for HolderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HolderKey(..)")
    }
}

impl fmt::Display for HolderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(self.0))
    }
}

impl HolderKey {
    /// Read a key written by `Display` (43 characters of base64url).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the text is not such a key.
    pub fn parse(text: &str) -> Result<HolderKey> {
        let bad = || {
            Error::invalid(
                "holder key",
                "(hidden)",
                "32 bytes of base64url (43 characters)",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| bad())?;
        Ok(HolderKey(bytes.try_into().map_err(|_| bad())?))
    }

    /// The holder digest of pass `serial` issued to `document`.
    fn digest(&self, serial: u64, document: &IdDocument) -> [u8; DIGEST_LEN] {
        let full = hmac(
            &self.0,
            &[
                b"precinct holder v3\0",
                &serial.to_be_bytes(),
                document_text(document).as_bytes(),
            ],
        );
        let mut out = [0; DIGEST_LEN];
        out.copy_from_slice(&full[..DIGEST_LEN]);
        out
    }
}

/// A document as the holder digest reads it: kind, nationality and the
/// number in its canonical form (a 15-digit resident id upgraded, upper case).
fn document_text(document: &IdDocument) -> String {
    match document {
        IdDocument::Resident { number } => format!("resident\0CHN\0{}", number.as_str()),
        IdDocument::Passport {
            nationality,
            number,
        } => format!("passport\0{nationality}\0{number}"),
    }
}

/// The identity document a holder shows at a checkpoint, with the key that
/// recomputes a token's holder digest from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownDocument {
    /// The document read from the card or passport.
    pub document: IdDocument,
    /// The station's holder key, as the checkpoint holds it.
    pub holder_key: HolderKey,
}

impl ShownDocument {
    /// Read what a checkpoint has: the document number (and nationality for
    /// a passport, as [`IdDocument::parse`]) and the holder key's text.
    ///
    /// # Errors
    /// The document's [`Error::Id`]; [`Error::InvalidValue`] when the holder
    /// key is missing or not a key.
    pub fn parse(
        number: &str,
        nationality: Option<&str>,
        holder_key: Option<&str>,
    ) -> Result<ShownDocument> {
        let document = IdDocument::parse(number, nationality)?;
        let Some(key) = holder_key else {
            return Err(Error::invalid(
                "holder key",
                "",
                "the station's holder key, to check a document against a token",
            ));
        };
        Ok(ShownDocument {
            document,
            holder_key: HolderKey::parse(key)?,
        })
    }
}

/// A station's public key, as checkpoints hold it: a canonical encoding of a
/// point of large order. Small-order ("weak") points, under which a trivial
/// signature verifies for any message, are refused when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Read a key written by [`PublicKey`]'s `Display` (43 characters of base64url).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the text is not such a key, or is a
    /// weak or non-canonical one.
    pub fn parse(text: &str) -> Result<PublicKey> {
        let bad = || Error::invalid("public key", text, "32 bytes of base64url (43 characters)");
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| bad())?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| bad())?;
        PublicKey::from_bytes(&arr).map_err(|reason| Error::invalid("public key", text, reason))
    }

    /// A key from its 32 bytes, strictly: on the curve, canonically encoded,
    /// not of small order.
    fn from_bytes(bytes: &[u8; 32]) -> std::result::Result<PublicKey, &'static str> {
        let key = VerifyingKey::from_bytes(bytes)
            .map_err(|_| "a point on the Ed25519 curve (32 bytes of base64url)")?;
        if key.to_edwards().compress().as_bytes() != bytes {
            return Err("the canonical encoding of an Ed25519 point");
        }
        if key.is_weak() {
            return Err("a point of large order: a weak key verifies forged signatures");
        }
        Ok(PublicKey(key))
    }

    /// The key's id in format-3 tokens: its first 8 bytes.
    fn id(&self) -> [u8; KEY_ID_LEN] {
        let mut id = [0; KEY_ID_LEN];
        id.copy_from_slice(&self.0.as_bytes()[..KEY_ID_LEN]);
        id
    }

    /// Strict Ed25519 verification: a canonical `s`, an `R` that is
    /// canonical and not of small order, and `R` recomputed byte for byte.
    fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let sig = Signature::from_bytes(signature);
        self.0.verify_strict(message, &sig).is_ok()
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(self.0.as_bytes()))
    }
}

impl Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        PublicKey::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One of the station's signing keys as the book knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyRecord {
    /// The public key.
    pub key: PublicKey,
    /// Passes issued from this instant on may be signed with it.
    pub valid_from: Instant,
    /// Passes issued from this instant on may not (open-ended when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Instant>,
    /// When it was retired: passes issued from then on may not be signed
    /// with it; passes issued before stay checkable under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<Instant>,
}

impl KeyRecord {
    /// Whether a pass issued at `issued` may be signed with this key.
    pub fn in_force(&self, issued: Instant) -> bool {
        self.valid_from <= issued
            && self.valid_until.is_none_or(|u| issued < u)
            && self.retired_at.is_none_or(|r| issued < r)
    }
}

/// The station's public keys, kept by journaled commands so that keys can
/// rotate and a pass stays checkable under the key in force when it was
/// issued.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationKeys {
    keys: Vec<KeyRecord>,
}

impl StationKeys {
    /// Add a key in force for passes issued from `valid_from` until
    /// `valid_until` (open-ended when `None`).
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a key already added, or another key with
    /// the same id (its first 8 bytes); [`Error::InvalidValue`] when
    /// `valid_until` is not after `valid_from`.
    pub fn add(
        &mut self,
        key: PublicKey,
        valid_from: Instant,
        valid_until: Option<Instant>,
    ) -> Result<()> {
        if let Some(k) = self.keys.iter().find(|k| k.key.id() == key.id()) {
            return Err(Error::Duplicate {
                what: "station key",
                key: key.to_string(),
                existing: format!(
                    "the key `{}` added from {}",
                    k.key,
                    k.valid_from.to_rfc3339()
                ),
            });
        }
        if let Some(until) = valid_until.filter(|u| *u <= valid_from) {
            return Err(Error::invalid(
                "valid_until",
                until.to_rfc3339(),
                format!("an instant after valid_from {}", valid_from.to_rfc3339()),
            ));
        }
        self.keys.push(KeyRecord {
            key,
            valid_from,
            valid_until,
            retired_at: None,
        });
        Ok(())
    }

    /// Retire a key at `at`: passes issued from then on may not be signed
    /// with it.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a key never added; [`Error::InvalidTransition`]
    /// when already retired.
    pub fn retire(&mut self, key: &PublicKey, at: Instant) -> Result<()> {
        let k = self
            .keys
            .iter_mut()
            .find(|k| k.key == *key)
            .ok_or_else(|| Error::not_found("station key", key))?;
        if let Some(t) = k.retired_at {
            return Err(Error::InvalidTransition {
                what: "station key",
                id: key.to_string(),
                action: "retire",
                reason: format!("already retired at {}", t.to_rfc3339()),
            });
        }
        k.retired_at = Some(at);
        Ok(())
    }

    /// Every key, in the order added.
    pub fn keys(&self) -> &[KeyRecord] {
        &self.keys
    }

    fn by_id(&self, id: [u8; KEY_ID_LEN]) -> Option<&KeyRecord> {
        self.keys.iter().find(|k| k.key.id() == id)
    }
}

/// What a token says about its pass, once its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TokenClaims {
    /// Serial number.
    pub serial: u64,
    /// Which kind.
    pub kind: PassKind,
    /// The holder's masked name.
    pub holder_masked: String,
    /// Where it is good for.
    pub scope: String,
    /// Valid from.
    pub valid_from: Instant,
    /// Valid until (exclusive).
    pub valid_until: Instant,
    /// The id of the key that signed it, in hex (format 3 tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// The keyed digest binding the holder's document, in hex (format 3
    /// tokens of passes issued to a document). Not reversible without the
    /// station's [`HolderKey`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_digest: Option<String>,
}

const TOKEN_PREFIX: &str = "PC1.";
/// Texts of at most 255 bytes each, with one-byte lengths: the first
/// format, no longer written, still read.
const TOKEN_VERSION: u8 = 1;
/// Texts with two-byte lengths: no longer written, still read.
const TOKEN_VERSION_LONG: u8 = 2;
/// Two-byte lengths, the signing key's id and the holder digest.
const TOKEN_VERSION_BOUND: u8 = 3;
const KEY_ID_LEN: usize = 8;
const DIGEST_LEN: usize = 16;
const SIGNATURE_LEN: usize = 64;

/// The longest holder name or scope, in bytes of UTF-8, that a pass carries:
/// the token prints whole in a QR code (version 40 holds 2,953 bytes), so
/// two such texts, the signature and the base64 around them still fit.
pub const MAX_TOKEN_TEXT_BYTES: usize = 1024;

/// A token's signed part, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Body {
    version: u8,
    serial: u64,
    kind: PassKind,
    valid_from: Instant,
    valid_until: Instant,
    key_id: Option<[u8; KEY_ID_LEN]>,
    digest: Option<[u8; DIGEST_LEN]>,
    holder_masked: String,
    scope: String,
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

impl Body {
    fn claims(&self) -> TokenClaims {
        TokenClaims {
            serial: self.serial,
            kind: self.kind,
            holder_masked: self.holder_masked.clone(),
            scope: self.scope.clone(),
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            key_id: self.key_id.map(|k| hex(&k)),
            holder_digest: self.digest.map(|d| hex(&d)),
        }
    }

    /// The signed bytes of a format-3 token: the texts are carried whole.
    fn encode(&self) -> Result<Vec<u8>> {
        let texts = [("holder name", &self.holder_masked), ("scope", &self.scope)];
        let mut out = vec![TOKEN_VERSION_BOUND, self.kind.byte()];
        out.extend(self.serial.to_be_bytes());
        out.extend(self.valid_from.timestamp().to_be_bytes());
        out.extend(self.valid_until.timestamp().to_be_bytes());
        out.extend(self.key_id.unwrap_or_default());
        match &self.digest {
            Some(d) => {
                out.push(DIGEST_LEN as u8);
                out.extend(d);
            }
            None => out.push(0),
        }
        for (what, text) in texts {
            let Ok(n) = u16::try_from(text.len()) else {
                return Err(too_long(what, text, usize::from(u16::MAX)));
            };
            out.extend(n.to_be_bytes());
            out.extend(text.as_bytes());
        }
        Ok(out)
    }

    /// Read the signed part from the front of `bytes`; returns it and the
    /// number of bytes it took. `None` for anything but a whole body.
    fn decode(bytes: &[u8]) -> Option<(Body, usize)> {
        let mut r = Cursor(bytes);
        let version = r.byte()?;
        if !matches!(
            version,
            TOKEN_VERSION | TOKEN_VERSION_LONG | TOKEN_VERSION_BOUND
        ) {
            return None;
        }
        let kind = match r.byte()? {
            1 => PassKind::County,
            2 => PassKind::Worker,
            _ => return None,
        };
        let serial = u64::from_be_bytes(r.array()?);
        let from = i64::from_be_bytes(r.array()?);
        let until = i64::from_be_bytes(r.array()?);
        let (mut key_id, mut digest) = (None, None);
        if version == TOKEN_VERSION_BOUND {
            key_id = Some(r.array()?);
            digest = match usize::from(r.byte()?) {
                0 => None,
                DIGEST_LEN => Some(r.array()?),
                _ => return None,
            };
        }
        let mut text = || -> Option<String> {
            let len = if version == TOKEN_VERSION {
                usize::from(r.byte()?)
            } else {
                usize::from(u16::from_be_bytes(r.array()?))
            };
            Some(std::str::from_utf8(r.take(len)?).ok()?.to_string())
        };
        let holder_masked = text()?;
        let scope = text()?;
        let body = Body {
            version,
            serial,
            kind,
            valid_from: DateTime::from_timestamp(from, 0)?,
            valid_until: DateTime::from_timestamp(until, 0)?,
            key_id,
            digest,
            holder_masked,
            scope,
        };
        Some((body, bytes.len() - r.0.len()))
    }
}

/// Reads a byte slice from the front.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }
    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
}

/// A token taken apart: the signed bytes, what they say, the signature.
struct Parsed {
    payload: Vec<u8>,
    body: Body,
    signature: [u8; SIGNATURE_LEN],
}

/// Take a token apart by its format, before any signature is checked: a
/// token cut short, extended or not a token at all is malformed.
/// What a token says, read without checking its signature (`None` when it
/// is not a pass token): a verdict's claims must be these.
pub(crate) fn token_claims(token: &str) -> Option<TokenClaims> {
    parse_token(token).map(|t| t.body.claims())
}

fn parse_token(token: &str) -> Option<Parsed> {
    let body = token.trim().strip_prefix(TOKEN_PREFIX)?;
    let mut bytes = URL_SAFE_NO_PAD.decode(body).ok()?;
    let (parsed, used) = Body::decode(&bytes)?;
    let signature: [u8; SIGNATURE_LEN] = bytes.get(used..)?.try_into().ok()?;
    bytes.truncate(used);
    Some(Parsed {
        payload: bytes,
        body: parsed,
        signature,
    })
}

/// A pass's scope: where it is good for, on one line, short enough for its
/// token.
pub(crate) fn check_scope(scope: &str) -> Result<()> {
    if scope.trim().is_empty() {
        return Err(Error::invalid(
            "scope",
            scope,
            "where the pass is good for, e.g. a town or a route",
        ));
    }
    if scope.len() > MAX_TOKEN_TEXT_BYTES {
        return Err(too_long("scope", scope, MAX_TOKEN_TEXT_BYTES));
    }
    Ok(())
}

fn too_long(what: &str, text: &str, max: usize) -> Error {
    Error::invalid(
        what,
        text,
        format!(
            "at most {max} bytes of UTF-8 (it has {}), as a pass's token carries it whole",
            text.len()
        ),
    )
}

/// Why a checkpoint denies a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DenyReason {
    /// Not a pass token at all (cut off, extended, mistyped, another QR code).
    Malformed,
    /// The signature does not match: altered, or not signed by this station.
    BadSignature,
    /// Valid only later.
    NotYetValid,
    /// No longer valid.
    Expired,
    /// On the revocation list.
    Revoked,
    /// Signed with a key the checkpoint or book does not hold.
    UnknownKey,
    /// Signed with a station key that was not in force when the pass was
    /// issued (retired before, or added after).
    KeyNotInForce,
    /// The book never issued a pass with this serial.
    UnknownPass,
    /// The token's claims differ from the pass as the book issued it.
    NotAsIssued,
    /// The identity document shown is not the one the pass was issued to.
    HolderMismatch,
}

impl fmt::Display for DenyReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DenyReason::Malformed => "not a pass token",
            DenyReason::BadSignature => "signature does not match: altered or forged",
            DenyReason::NotYetValid => "not yet valid",
            DenyReason::Expired => "expired",
            DenyReason::Revoked => "revoked",
            DenyReason::UnknownKey => "signed with an unknown key",
            DenyReason::KeyNotInForce => "signed with a key not in force when the pass was issued",
            DenyReason::UnknownPass => "no such pass was issued",
            DenyReason::NotAsIssued => "differs from the pass as issued",
            DenyReason::HolderMismatch => "issued to another document",
        })
    }
}

/// Whether the holder's identity document was checked against the token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum HolderCheck {
    /// No document was shown.
    #[default]
    NotChecked,
    /// The document shown is the one the pass was issued to.
    Matches,
    /// The token binds no document (a token printed before holders were
    /// bound): compare the masked name and the photo by eye.
    Unbound,
}

impl HolderCheck {
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    fn is_not_checked(&self) -> bool {
        *self == HolderCheck::NotChecked
    }
}

/// A checkpoint's decision on a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verdict {
    /// Whether to let the holder through.
    pub allowed: bool,
    /// Why not, when denied.
    pub reason: Option<DenyReason>,
    /// What the token says, when its signature is good.
    pub claims: Option<TokenClaims>,
    /// Whether the document shown was checked, when the token is allowed.
    #[serde(default, skip_serializing_if = "HolderCheck::is_not_checked")]
    pub holder: HolderCheck,
}

impl Verdict {
    fn deny(reason: DenyReason, claims: Option<TokenClaims>) -> Verdict {
        Verdict {
            allowed: false,
            reason: Some(reason),
            claims,
            holder: HolderCheck::NotChecked,
        }
    }
}

/// Serials of revoked passes, as a checkpoint downloads them while online.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RevocationList {
    /// Revoked serial numbers.
    pub serials: BTreeSet<u64>,
}

/// Validity in time, then the holder, for a token whose signature is good.
fn judge(
    body: &Body,
    revoked: bool,
    at: Instant,
    // `None` when the document shown is not the holder's.
    holder: impl FnOnce() -> Option<HolderCheck>,
) -> Verdict {
    let claims = body.claims();
    if revoked {
        return Verdict::deny(DenyReason::Revoked, Some(claims));
    }
    if at < body.valid_from {
        return Verdict::deny(DenyReason::NotYetValid, Some(claims));
    }
    if at >= body.valid_until {
        return Verdict::deny(DenyReason::Expired, Some(claims));
    }
    let Some(holder) = holder() else {
        return Verdict::deny(DenyReason::HolderMismatch, Some(claims));
    };
    Verdict {
        allowed: true,
        reason: None,
        claims: Some(claims),
        holder,
    }
}

/// Verify a token offline with only the station's public key and the
/// revocation list, at `at`; with `shown`, also check that the identity
/// document the holder shows is the one the pass was issued to.
///
/// Verification is strict: a signature is refused unless its `s` is
/// canonical and its `R` canonical and not of small order (and a
/// [`PublicKey`] cannot be weak). A token that does not read whole in its
/// format (cut short, extended) is [`DenyReason::Malformed`] before its
/// signature is looked at.
///
/// ```
/// use precinct::*;
/// let key = StationKey::from_seed([7; 32]);
/// let mut office = PassOffice::default();
/// let t0 = "2020-02-10T08:00:00+08:00".parse::<chrono::DateTime<chrono::Utc>>().unwrap();
/// let card = IdDocument::parse("11010519491231002X", None).unwrap();
/// let mut residents = Residents::default();
/// residents.register_person(Person { id: "P1".into(), name: "Zhang San".into(), document: card.clone(),
///     household: None, phone: None, has_smartphone: Some(false) }).unwrap();
/// let (quarantine, resumption, policy) = (Quarantine::default(), Resumption::default(), Policy::default());
/// let ctx = EligibilityContext { residents: &residents, quarantine: &quarantine, resumption: &resumption, policy: &policy };
/// let app = PassApplication { holder: "P1".into(), kind: PassKind::County, enterprise: None, scope: "Yaozhuang".into() };
/// let serial = office.issue(app, ctx, t0).unwrap().serial;
/// let token = office.token(serial, &key).unwrap();
/// let none = office.revocation_list();
/// assert!(verify_token(&token, &key.public(), &none, t0, None).allowed);
/// let shown = ShownDocument { document: card, holder_key: key.holder_key() };
/// assert_eq!(verify_token(&token, &key.public(), &none, t0, Some(&shown)).holder, HolderCheck::Matches);
/// let other = ShownDocument { document: IdDocument::parse("110105198001010040", None).unwrap(), ..shown };
/// assert_eq!(verify_token(&token, &key.public(), &none, t0, Some(&other)).reason, Some(DenyReason::HolderMismatch));
/// let late = verify_token(&token, &key.public(), &none, t0 + chrono::Duration::days(31), None);
/// assert_eq!(late.reason, Some(DenyReason::Expired));
/// ```
pub fn verify_token(
    token: &str,
    key: &PublicKey,
    revoked: &RevocationList,
    at: Instant,
    shown: Option<&ShownDocument>,
) -> Verdict {
    let Some(t) = parse_token(token) else {
        return Verdict::deny(DenyReason::Malformed, None);
    };
    if t.body.key_id.is_some_and(|id| id != key.id()) {
        return Verdict::deny(DenyReason::UnknownKey, None);
    }
    if !key.verifies(&t.payload, &t.signature) {
        return Verdict::deny(DenyReason::BadSignature, None);
    }
    let body = &t.body;
    judge(body, revoked.serials.contains(&body.serial), at, || {
        let Some(shown) = shown else {
            return Some(HolderCheck::NotChecked);
        };
        // Passes issued without a document, and the older formats, bind none.
        let Some(digest) = &body.digest else {
            return Some(HolderCheck::Unbound);
        };
        let want = shown.holder_key.digest(body.serial, &shown.document);
        // Compared in constant time, as MAC tags should be.
        let differ = want
            .iter()
            .zip(digest)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        (differ == 0).then_some(HolderCheck::Matches)
    })
}

/// Check a token against the book's own records: the station's keys (the
/// key that signed it must have been in force when the pass was issued),
/// the pass as issued (the serial exists, the claims equal it, it is not
/// revoked) and, with `shown`, the document the pass was issued to.
pub(crate) fn verify_in_book(
    token: &str,
    keys: &StationKeys,
    office: &PassOffice,
    holder_documents: impl FnOnce(&Pass) -> Vec<IdDocument>,
    shown: Option<&IdDocument>,
    at: Instant,
    whole_seconds: bool,
) -> Verdict {
    let Some(t) = parse_token(token) else {
        return Verdict::deny(DenyReason::Malformed, None);
    };
    let body = &t.body;
    // Format 3 names its key; the older formats are tried under every key.
    let candidates: Vec<&KeyRecord> = match &body.key_id {
        Some(id) => keys.by_id(*id).into_iter().collect(),
        None => keys.keys().iter().collect(),
    };
    if candidates.is_empty() {
        return Verdict::deny(DenyReason::UnknownKey, None);
    }
    let Some(signer) = candidates
        .into_iter()
        .find(|k| k.key.verifies(&t.payload, &t.signature))
    else {
        return Verdict::deny(DenyReason::BadSignature, None);
    };
    let claims = body.claims();
    let Ok(pass) = office.pass(body.serial) else {
        return Verdict::deny(DenyReason::UnknownPass, Some(claims));
    };
    if !signer.in_force(pass.valid_from) {
        return Verdict::deny(DenyReason::KeyNotInForce, Some(claims));
    }
    // A token carries whole seconds: a pass issued at 09:10:00.713 is
    // signed as from 09:10:00, and compared so (journals of format 2
    // compared to the nanosecond and replay so).
    let same_time = |a: Instant, b: Instant| {
        if whole_seconds {
            a.timestamp() == b.timestamp()
        } else {
            a == b
        }
    };
    let as_issued = pass.kind == body.kind
        && pass.holder_masked == body.holder_masked
        && pass.scope == body.scope
        && same_time(pass.valid_from, body.valid_from)
        && same_time(pass.valid_until, body.valid_until)
        && (body.version != TOKEN_VERSION_BOUND
            || body.digest.is_some() == pass.holder_document.is_some());
    if !as_issued {
        return Verdict::deny(DenyReason::NotAsIssued, Some(claims));
    }
    judge(body, pass.revoked_at.is_some(), at, || {
        let Some(shown) = shown else {
            return Some(HolderCheck::NotChecked);
        };
        let issued_to = match &pass.holder_document {
            Some(d) => vec![d.clone()],
            // Passes recorded before they bound a document: the holder's.
            None => holder_documents(pass),
        };
        issued_to
            .iter()
            .any(|d| d.key() == shown.key())
            .then_some(HolderCheck::Matches)
    })
}

/// How a token was checked before the book kept its own keys, kept only to
/// replay journals of that time: under the key the checkpoint gave, with
/// the lenient checks of then. `None` when the key does not read as it did.
pub(crate) fn verify_as_before_key_registry(
    token: &str,
    key: &str,
    revoked: &RevocationList,
    at: Instant,
) -> Option<Verdict> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(key.trim()).ok()?.try_into().ok()?;
    let key = VerifyingKey::from_bytes(&bytes).ok()?;
    let deny = |reason| Some(Verdict::deny(reason, None));
    let Some(body) = token.trim().strip_prefix(TOKEN_PREFIX) else {
        return deny(DenyReason::Malformed);
    };
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(body) else {
        return deny(DenyReason::Malformed);
    };
    if bytes.len() < SIGNATURE_LEN {
        return deny(DenyReason::Malformed);
    }
    let (payload, sig) = bytes.split_at(bytes.len() - SIGNATURE_LEN);
    let Ok(sig) = Signature::from_slice(sig) else {
        return deny(DenyReason::Malformed);
    };
    if key.verify(payload, &sig).is_err() {
        return deny(DenyReason::BadSignature);
    }
    let body = match Body::decode(payload) {
        Some((b, used)) if used == payload.len() && b.version != TOKEN_VERSION_BOUND => b,
        _ => return deny(DenyReason::Malformed),
    };
    Some(judge(
        &body,
        revoked.serials.contains(&body.serial),
        at,
        || Some(HolderCheck::NotChecked),
    ))
}

/// Whether [`PassOffice::issue_from`] checks the holder's eligibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Eligibility {
    /// Checked, as for every pass issued now.
    Checked,
    /// Not checked: the pass was issued on another device, offline.
    Waived,
}

/// The next serial after the highest issued in `block`, or its first.
///
/// # Errors
/// [`Error::InvalidValue`] when the block is used up.
pub(crate) fn next_in<K, V>(
    issued: &BTreeMap<K, V>,
    block: &std::ops::Range<K>,
    what: &str,
) -> Result<K>
where
    K: Ord + Copy + fmt::Display + std::ops::Add<Output = K> + From<u8>,
{
    let next = issued
        .range(block.clone())
        .next_back()
        .map_or(block.start, |(s, _)| *s + K::from(1));
    if next < block.end {
        Ok(next)
    } else {
        Err(Error::invalid(
            format!("{what} serial"),
            next,
            format!(
                "a serial below {}: every {what} serial of this device's block ({}..{}) is issued; give the device a new number",
                block.end, block.start, block.end
            ),
        ))
    }
}

/// The station's pass office: issued passes and revocations.
#[derive(Debug, Clone, Default)]
pub struct PassOffice {
    passes: BTreeMap<u64, Pass>,
    /// The serials of each holder's passes: issuing checks the holder's
    /// passes, and a merge of 20 devices' books issues tens of thousands
    /// (a scan of every pass made that quadratic). Derived from `passes`,
    /// never written.
    by_holder: BTreeMap<PersonId, Vec<u64>>,
}

impl PassOffice {
    fn from_passes(passes: BTreeMap<u64, Pass>) -> PassOffice {
        let mut by_holder: BTreeMap<PersonId, Vec<u64>> = BTreeMap::new();
        for p in passes.values() {
            by_holder
                .entry(p.holder.clone())
                .or_default()
                .push(p.serial);
        }
        PassOffice { passes, by_holder }
    }

    /// The passes of `holder`, by serial.
    fn of_holder<'a>(&'a self, holder: &PersonId) -> impl Iterator<Item = &'a Pass> + 'a {
        self.by_holder
            .get(holder)
            .into_iter()
            .flatten()
            .filter_map(|s| self.passes.get(s))
    }
}

impl PartialEq for PassOffice {
    fn eq(&self, other: &Self) -> bool {
        self.passes == other.passes
    }
}

impl Eq for PassOffice {}

/// The pass office as written: its passes only.
#[derive(Serialize)]
struct PassOfficeOut<'a> {
    passes: &'a BTreeMap<u64, Pass>,
}

#[derive(Deserialize)]
struct PassOfficeIn {
    passes: BTreeMap<u64, Pass>,
}

impl Serialize for PassOffice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        PassOfficeOut {
            passes: &self.passes,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PassOffice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(PassOffice::from_passes(
            PassOfficeIn::deserialize(d)?.passes,
        ))
    }
}

/// The registries eligibility is checked against.
#[derive(Debug, Clone, Copy)]
pub struct EligibilityContext<'a> {
    /// Persons (the holder must be known).
    pub residents: &'a Residents,
    /// Isolation orders (nobody under one gets a pass).
    pub quarantine: &'a Quarantine,
    /// Enterprises (a worker pass needs a resumed enterprise).
    pub resumption: &'a Resumption,
    /// The rules.
    pub policy: &'a Policy,
}

impl PassOffice {
    /// Check an application against policy and state at `at`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an empty scope, or a scope or masked
    /// holder name longer than [`MAX_TOKEN_TEXT_BYTES`] (a token carries
    /// them whole); [`Error::NotFound`] for an unknown holder or enterprise;
    /// [`Error::NotEligible`] when the holder is in isolation or under
    /// observation, already holds a valid pass of that kind, has a smartphone
    /// (county pass), or the enterprise has not resumed (worker pass).
    pub fn check(
        &self,
        app: &PassApplication,
        ctx: EligibilityContext<'_>,
        at: Instant,
    ) -> Result<()> {
        self.check_as(app, ctx, at, Eligibility::Checked)
    }

    fn check_as(
        &self,
        app: &PassApplication,
        ctx: EligibilityContext<'_>,
        at: Instant,
        eligibility: Eligibility,
    ) -> Result<()> {
        let person = ctx.residents.person(&app.holder)?;
        check_scope(&app.scope)?;
        let masked = crate::id::mask_name(&person.name);
        if masked.len() > MAX_TOKEN_TEXT_BYTES {
            return Err(too_long("holder name", &masked, MAX_TOKEN_TEXT_BYTES));
        }
        if eligibility == Eligibility::Waived {
            return Ok(());
        }
        let refuse = |reason: String| Error::NotEligible {
            subject: app.holder.to_string(),
            what: match app.kind {
                PassKind::County => "a county pass",
                PassKind::Worker => "a worker pass",
            },
            reason,
        };
        if let Some(o) = ctx.quarantine.isolation_of(&person.id, at) {
            return Err(refuse(format!(
                "under isolation order `{}` until {}",
                o.id,
                render_instant(o.end, ctx.policy.zone())
            )));
        }
        if let Some(p) = self.of_holder(&person.id).find(|p| {
            p.holder == person.id
                && p.kind == app.kind
                && p.revoked_at.is_none()
                && p.valid_until > at
        }) {
            return Err(refuse(format!(
                "already holds pass {} valid until {}",
                p.serial,
                render_instant(p.valid_until, ctx.policy.zone())
            )));
        }
        match app.kind {
            PassKind::County => {
                if person.has_smartphone == Some(true) {
                    return Err(refuse("has a smartphone and can show a health code".into()));
                }
            }
            PassKind::Worker => {
                let Some(e) = &app.enterprise else {
                    return Err(refuse(
                        "a worker pass is applied for by an enterprise; none given".into(),
                    ));
                };
                let day = local_day(at, ctx.policy.zone());
                if !ctx.resumption.is_resumed(e, day)? {
                    return Err(refuse(format!(
                        "enterprise `{e}` has not resumed work as of {day}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Check the application, then issue a pass valid from `at` for the
    /// policy's days: until the same local clock time that many calendar days
    /// later, in the policy's zone.
    ///
    /// # Errors
    /// As [`PassOffice::check`].
    pub fn issue(
        &mut self,
        app: PassApplication,
        ctx: EligibilityContext<'_>,
        at: Instant,
    ) -> Result<&Pass> {
        self.issue_from(app, ctx, at, &(1..u64::MAX), Eligibility::Checked)
    }

    /// [`PassOffice::issue`] with the serial taken from `serials` (the next
    /// after the highest issued in it): a device issues from its own block
    /// so that serials issued offline never collide. With
    /// [`Eligibility::Waived`] the holder's eligibility is not checked (the
    /// application's own fields still are): a pass another device issued
    /// offline exists whatever the merged records say, and the merge
    /// surfaces it as a conflict.
    pub(crate) fn issue_from(
        &mut self,
        app: PassApplication,
        ctx: EligibilityContext<'_>,
        at: Instant,
        serials: &std::ops::Range<u64>,
        eligibility: Eligibility,
    ) -> Result<&Pass> {
        self.check_as(&app, ctx, at, eligibility)?;
        let serial = next_in(&self.passes, serials, "pass")?;
        let person = ctx.residents.person(&app.holder)?;
        let masked = crate::id::mask_name(&person.name);
        let document = person.document.clone();
        let app = PassApplication {
            holder: person.id.clone(),
            ..app
        };
        Ok(self.insert(serial, app, masked, Some(document), at, ctx.policy))
    }

    /// Issue without checking eligibility: for replaying records that were
    /// checked when made, and for tests. `holder_document` is the document
    /// the pass is issued to, which its token binds by a keyed digest.
    #[cfg(test)]
    pub(crate) fn issue_unchecked(
        &mut self,
        app: PassApplication,
        holder_masked: String,
        holder_document: Option<IdDocument>,
        at: Instant,
        policy: &Policy,
    ) -> &Pass {
        let serial = self.passes.keys().next_back().map_or(1, |s| s + 1);
        self.insert(serial, app, holder_masked, holder_document, at, policy)
    }

    fn insert(
        &mut self,
        serial: u64,
        app: PassApplication,
        holder_masked: String,
        holder_document: Option<IdDocument>,
        at: Instant,
        policy: &Policy,
    ) -> &Pass {
        let PassApplication {
            holder,
            kind,
            enterprise,
            scope,
        } = app;
        let pass = Pass {
            serial,
            kind,
            holder,
            holder_masked,
            holder_document,
            enterprise,
            scope,
            valid_from: at,
            valid_until: add_days(at, i64::from(policy.pass_validity_days), policy.zone()),
            revoked_at: None,
            revoked_by_order: None,
        };
        // In serial order, as a scan of the passes would find them.
        let serials = self.by_holder.entry(pass.holder.clone()).or_default();
        if let Err(i) = serials.binary_search(&serial) {
            serials.insert(i, serial);
        }
        self.passes.entry(serial).or_insert(pass)
    }

    /// Revoke a pass.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown serial; [`Error::InvalidTransition`]
    /// when already revoked (the time in the message is in the policy's zone).
    pub fn revoke(&mut self, serial: u64, at: Instant, policy: &Policy) -> Result<()> {
        let p = self
            .passes
            .get_mut(&serial)
            .ok_or_else(|| Error::not_found("pass", serial))?;
        if let Some(t) = p.revoked_at {
            return Err(Error::InvalidTransition {
                what: "pass",
                id: serial.to_string(),
                action: "revoke",
                reason: format!("already revoked at {}", render_instant(t, policy.zone())),
            });
        }
        p.revoked_at = Some(at);
        Ok(())
    }

    /// Revoke every pass of `holder` still valid at `at` because `order`
    /// puts them in isolation or observation: the revocation list carries
    /// them, and checkpoints deny them. Returns their serials.
    pub fn revoke_for_order(
        &mut self,
        holder: &PersonId,
        order: &OrderId,
        at: Instant,
    ) -> Vec<u64> {
        let mut revoked = Vec::new();
        for serial in self.by_holder.get(holder).into_iter().flatten() {
            let Some(p) = self.passes.get_mut(serial) else {
                continue;
            };
            if &p.holder == holder && p.revoked_at.is_none() && p.valid_until > at {
                p.revoked_at = Some(at);
                p.revoked_by_order = Some(order.clone());
                revoked.push(p.serial);
            }
        }
        revoked
    }

    /// Move a merged person's passes to the person kept.
    pub(crate) fn merge_person(&mut self, keep: &PersonId, duplicate: &PersonId) {
        let moved = self.by_holder.remove(duplicate).unwrap_or_default();
        for serial in &moved {
            if let Some(p) = self.passes.get_mut(serial) {
                p.holder = keep.clone();
            }
        }
        let kept = self.by_holder.entry(keep.clone()).or_default();
        kept.extend(moved);
        kept.sort_unstable();
    }

    /// A pass by serial.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown serial.
    pub fn pass(&self, serial: u64) -> Result<&Pass> {
        self.passes
            .get(&serial)
            .ok_or_else(|| Error::not_found("pass", serial))
    }

    /// Every pass, by serial.
    pub fn passes(&self) -> impl Iterator<Item = &Pass> {
        self.passes.values()
    }

    /// The signed token of a pass, for its QR code, in format 3 (see the
    /// [module notes](self) for what it shows). It carries the holder's
    /// masked name and the scope whole, the key's id and, for a pass issued
    /// to a document, the holder digest under `key`'s [`HolderKey`]: its
    /// claims equal the pass.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown serial; [`Error::InvalidValue`]
    /// for a text longer than a token can carry (only possible for a pass
    /// issued without the checks, as a replay of old records may hold).
    pub fn token(&self, serial: u64, key: &StationKey) -> Result<String> {
        let p = self.pass(serial)?;
        let body = Body {
            version: TOKEN_VERSION_BOUND,
            serial: p.serial,
            kind: p.kind,
            valid_from: p.valid_from,
            valid_until: p.valid_until,
            key_id: Some(key.public().id()),
            digest: p
                .holder_document
                .as_ref()
                .map(|d| key.holder_key().digest(p.serial, d)),
            holder_masked: p.holder_masked.clone(),
            scope: p.scope.clone(),
        };
        let mut bytes = body.encode()?;
        let sig = key.0.sign(&bytes);
        bytes.extend(sig.to_bytes());
        Ok(format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// The serials revoked so far.
    pub fn revocation_list(&self) -> RevocationList {
        RevocationList {
            serials: self
                .passes
                .values()
                .filter(|p| p.revoked_at.is_some())
                .map(|p| p.serial)
                .collect(),
        }
    }

    /// Passes issued per day (in the policy's zone) and kind.
    pub fn issued_per_day(&self, policy: &Policy) -> BTreeMap<(NaiveDate, PassKind), usize> {
        let mut out = BTreeMap::new();
        for p in self.passes.values() {
            *out.entry((local_day(p.valid_from, policy.zone()), p.kind))
                .or_default() += 1;
        }
        out
    }
}

/// One check of a token at a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Crossing {
    /// Which checkpoint.
    pub checkpoint: String,
    /// When.
    pub at: Instant,
    /// The decision.
    pub verdict: Verdict,
    /// The key the checkpoint gave, for checks journaled before the book
    /// kept the station's keys: the book never vouched for it, and an
    /// audit should look at these crossings again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_key: Option<String>,
}

/// The log of a checkpoint's checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointLog {
    crossings: Vec<Crossing>,
}

impl CheckpointLog {
    /// Verify a token offline (as [`verify_token`]) and log the decision.
    pub fn check(
        &mut self,
        checkpoint: &str,
        token: &str,
        key: &PublicKey,
        revoked: &RevocationList,
        at: Instant,
        shown: Option<&ShownDocument>,
    ) -> &Verdict {
        let verdict = verify_token(token, key, revoked, at, shown);
        self.log(Crossing {
            checkpoint: checkpoint.to_string(),
            at,
            verdict,
            caller_key: None,
        })
    }

    /// Put back the verdict a checkpoint recorded on the last crossing: the
    /// crossing happened as decided there, whatever a merge now decides.
    pub(crate) fn set_last_verdict(&mut self, verdict: Verdict) {
        if let Some(c) = self.crossings.last_mut() {
            c.verdict = verdict;
        }
    }

    /// Log a decision made elsewhere.
    pub(crate) fn log(&mut self, crossing: Crossing) -> &Verdict {
        self.crossings.push(crossing);
        &self.crossings[self.crossings.len() - 1].verdict
    }

    /// The crossings checked under a key the checkpoint gave rather than
    /// the station's own (journals written before the book kept its keys).
    pub fn under_caller_key(&self) -> impl Iterator<Item = &Crossing> {
        self.crossings.iter().filter(|c| c.caller_key.is_some())
    }

    /// Every logged check, in order.
    pub fn crossings(&self) -> &[Crossing] {
        &self.crossings
    }

    /// Denials counted by reason.
    pub fn denials_per_reason(&self) -> BTreeMap<DenyReason, usize> {
        let mut out = BTreeMap::new();
        for r in self.crossings.iter().filter_map(|c| c.verdict.reason) {
            *out.entry(r).or_default() += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::household::Person;
    use crate::id::IdDocument;
    use crate::resumption::{DailyStatus, Enterprise};
    use crate::time::{parse_instant, render_instant};

    fn t(s: &str) -> Instant {
        parse_instant(s, Policy::default().zone()).unwrap()
    }

    struct World {
        residents: Residents,
        quarantine: Quarantine,
        resumption: Resumption,
        policy: Policy,
    }

    impl World {
        fn ctx(&self) -> EligibilityContext<'_> {
            EligibilityContext {
                residents: &self.residents,
                quarantine: &self.quarantine,
                resumption: &self.resumption,
                policy: &self.policy,
            }
        }
    }

    fn world() -> World {
        let mut residents = Residents::default();
        for (id, number, phone) in [
            ("old", "110101199003078670", Some(false)),
            ("young", "440308199901101512", Some(true)),
        ] {
            residents
                .register_person(Person {
                    id: id.into(),
                    name: "张三丰".into(),
                    document: IdDocument::parse(number, None).unwrap(),
                    household: None,
                    phone: None,
                    has_smartphone: phone,
                })
                .unwrap();
        }
        let mut resumption = Resumption::default();
        resumption
            .add_enterprise(Enterprise {
                id: "E1".into(),
                name: "Mill".into(),
                credit_code: None,
                village: "V".into(),
                sector: "textiles".into(),
                above_scale: true,
                workforce: 10,
                established: None,
            })
            .unwrap();
        resumption
            .file_report(DailyStatus {
                enterprise: "E1".into(),
                date: "2020-02-10".parse().unwrap(),
                resumed: true,
                workers_on_site: 5,
            })
            .unwrap();
        World {
            residents,
            quarantine: Quarantine::default(),
            resumption,
            policy: Policy::default(),
        }
    }

    #[test]
    fn eligibility() {
        let mut w = world();
        let office = PassOffice::default();
        let county = |who: &str| PassApplication {
            holder: who.into(),
            kind: PassKind::County,
            enterprise: None,
            scope: "town".into(),
        };
        office
            .check(&county("old"), w.ctx(), t("2020-02-10 09:00"))
            .unwrap();
        assert!(office
            .check(&county("young"), w.ctx(), t("2020-02-10 09:00"))
            .unwrap_err()
            .to_string()
            .contains("smartphone"));
        assert_eq!(
            office
                .check(&county("ghost"), w.ctx(), t("2020-02-10 09:00"))
                .unwrap_err()
                .code(),
            "not_found"
        );
        let worker = PassApplication {
            holder: "young".into(),
            kind: PassKind::Worker,
            enterprise: Some("E1".into()),
            scope: "E1".into(),
        };
        office
            .check(&worker, w.ctx(), t("2020-02-10 09:00"))
            .unwrap();
        assert!(office
            .check(&worker, w.ctx(), t("2020-02-09 09:00"))
            .unwrap_err()
            .to_string()
            .contains("has not resumed"));
        w.quarantine
            .order_home_isolation(
                "O".into(),
                "old".into(),
                t("2020-02-01 00:00"),
                t("2020-02-01 00:00"),
                "returnee",
                &w.policy,
            )
            .unwrap();
        let err = office
            .check(&county("old"), w.ctx(), t("2020-02-10 09:00"))
            .unwrap_err();
        assert_eq!(err.code(), "not_eligible");
        assert!(err.to_string().contains("isolation order `O`"), "{err}");
    }

    #[test]
    fn tokens_verify_offline_and_deny_with_a_reason() {
        let w = world();
        let key = StationKey::from_seed([1; 32]);
        let mut office = PassOffice::default();
        let app = PassApplication {
            holder: "old".into(),
            kind: PassKind::County,
            enterprise: None,
            scope: "Yaozhuang".into(),
        };
        let serial = office
            .issue(app.clone(), w.ctx(), t("2020-02-10 09:00"))
            .unwrap()
            .serial;
        assert!(office
            .issue(app, w.ctx(), t("2020-02-11 09:00"))
            .unwrap_err()
            .to_string()
            .contains("already holds pass 1"));
        let token = office.token(serial, &key).unwrap();
        let pk = PublicKey::parse(&key.public().to_string()).unwrap();
        let now = t("2020-02-12 09:00");
        let v = verify_token(&token, &pk, &office.revocation_list(), now, None);
        assert!(v.allowed);
        assert_eq!(v.claims.unwrap().holder_masked, "张**");
        let none = office.revocation_list();
        let reason = |tok: &str, at| verify_token(tok, &pk, &none, at, None).reason;
        assert_eq!(
            reason(&token, t("2020-02-10 08:59")),
            Some(DenyReason::NotYetValid)
        );
        assert_eq!(
            reason(&token, t("2020-03-11 09:00")),
            Some(DenyReason::Expired)
        );
        assert_eq!(reason("hello", now), Some(DenyReason::Malformed));
        // Cut short: not a token (it used to read as forged).
        assert_eq!(
            reason(&token[..token.len() - 10], now),
            Some(DenyReason::Malformed)
        );
        // Flip one character of the payload.
        let mut chars: Vec<char> = token.chars().collect();
        chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
        assert_eq!(
            reason(&chars.into_iter().collect::<String>(), now),
            Some(DenyReason::BadSignature)
        );
        // Signed by another key, which the token names.
        let forged = office
            .token(serial, &StationKey::from_seed([2; 32]))
            .unwrap();
        assert_eq!(reason(&forged, now), Some(DenyReason::UnknownKey));
        office.revoke(serial, now, &Policy::default()).unwrap();
        assert!(office.revoke(serial, now, &Policy::default()).is_err());
        assert_eq!(
            verify_token(&token, &pk, &office.revocation_list(), now, None).reason,
            Some(DenyReason::Revoked)
        );
        let mut log = CheckpointLog::default();
        log.check("G3 exit", &token, &pk, &office.revocation_list(), now, None);
        log.check("G3 exit", "junk", &pk, &office.revocation_list(), now, None);
        assert_eq!(log.denials_per_reason().values().sum::<usize>(), 2);
        assert_eq!(office.issued_per_day(&w.policy).values().sum::<usize>(), 1);
        assert!(PublicKey::parse("short").is_err());
    }

    #[test]
    fn a_pass_in_berlin_runs_calendar_days_and_refusals_name_local_times() {
        let mut w = world();
        w.policy = Policy::default().in_zone("Europe/Berlin".parse().unwrap());
        let zone = w.policy.zone();
        let b = |s: &str| parse_instant(s, zone).unwrap();
        w.quarantine
            .order_observation(
                "O1".into(),
                "young".into(),
                crate::quarantine::IsolationKind::Home,
                b("2020-10-01 18:00"),
                b("2020-10-02 09:00"),
                "contact",
                &w.policy,
            )
            .unwrap();
        let county = |who: &str| PassApplication {
            holder: who.into(),
            kind: PassKind::County,
            enterprise: None,
            scope: "town".into(),
        };
        let mut office = PassOffice::default();
        assert_eq!(
            office
                .check(&county("young"), w.ctx(), b("2020-10-10 10:00"))
                .unwrap_err()
                .to_string(),
            "`young` is not eligible for a county pass: under isolation order `O1` until \
             2020-10-15T18:00:00+02:00"
        );
        let issued = b("2020-10-10 10:00");
        let pass = office
            .issue(county("old"), w.ctx(), issued)
            .unwrap()
            .clone();
        assert_eq!(
            render_instant(pass.valid_until, zone),
            "2020-11-09T10:00:00+01:00"
        );
        assert_eq!(
            pass.valid_until - issued,
            chrono::Duration::days(30) + chrono::Duration::hours(1)
        );
        assert_eq!(
            office
                .issue(county("old"), w.ctx(), b("2020-10-11 10:00"))
                .unwrap_err()
                .to_string(),
            "`old` is not eligible for a county pass: already holds pass 1 valid until \
             2020-11-09T10:00:00+01:00"
        );
        office
            .revoke(pass.serial, b("2020-10-12 09:00"), &w.policy)
            .unwrap();
        assert_eq!(
            office
                .revoke(pass.serial, b("2020-10-13 09:00"), &w.policy)
                .unwrap_err()
                .to_string(),
            "cannot revoke pass `1`: already revoked at 2020-10-12T09:00:00+02:00"
        );
    }

    #[test]
    fn holder_key_is_hmac_of_the_seed_and_digests_differ_by_serial_and_document() {
        // RFC 4231 test case 2, through the same HMAC helper.
        let mac = hmac(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let key = StationKey::from_seed([1; 32]).holder_key();
        assert_ne!(key, StationKey::from_seed([2; 32]).holder_key());
        let a = IdDocument::parse("110101199003078670", None).unwrap();
        let b = IdDocument::parse("440308199901101512", None).unwrap();
        assert_ne!(key.digest(1, &a), key.digest(2, &a));
        assert_ne!(key.digest(1, &a), key.digest(1, &b));
        assert_eq!(HolderKey::parse(&key.to_string()).unwrap(), key);
        assert_eq!(format!("{key:?}"), "HolderKey(..)");
        assert!(HolderKey::parse("short").is_err());
    }

    #[test]
    fn the_key_registry_keeps_validity_and_retirement() {
        let k1 = StationKey::from_seed([1; 32]).public();
        let mut keys = StationKeys::default();
        keys.add(k1, t("2020-01-01 00:00"), Some(t("2020-06-01 00:00")))
            .unwrap();
        assert_eq!(
            keys.add(k1, t("2020-01-01 00:00"), None)
                .unwrap_err()
                .code(),
            "duplicate"
        );
        let k2 = StationKey::from_seed([2; 32]).public();
        assert_eq!(
            keys.add(k2, t("2020-01-01 00:00"), Some(t("2020-01-01 00:00")))
                .unwrap_err()
                .code(),
            "invalid_value"
        );
        keys.retire(&k1, t("2020-03-01 00:00")).unwrap();
        assert_eq!(
            keys.retire(&k1, t("2020-03-02 00:00")).unwrap_err().code(),
            "invalid_transition"
        );
        assert_eq!(
            keys.retire(&k2, t("2020-03-02 00:00")).unwrap_err().code(),
            "not_found"
        );
        let rec = &keys.keys()[0];
        assert!(!rec.in_force(t("2019-12-31 23:59")));
        assert!(rec.in_force(t("2020-02-29 23:59")));
        assert!(!rec.in_force(t("2020-03-01 00:00")));
    }

    // Issued without the checks, as only the crate can: a scope longer than
    // any application may carry.
    #[test]
    fn new_tokens_are_format_3_and_carry_long_texts_whole() {
        use base64::Engine as _;
        let key = StationKey::from_seed([9; 32]);
        let mut office = PassOffice::default();
        let p = Policy::default();
        let t0 = parse_instant("2020-02-10 08:00", p.zone()).unwrap();
        let short = office
            .issue_unchecked(
                PassApplication {
                    holder: "P1".into(),
                    kind: PassKind::County,
                    enterprise: None,
                    scope: "a".repeat(255),
                },
                "王**".into(),
                None,
                t0,
                &p,
            )
            .serial;
        let long = office
            .issue_unchecked(
                PassApplication {
                    holder: "P2".into(),
                    kind: PassKind::County,
                    enterprise: None,
                    scope: "a".repeat(256),
                },
                "王**".into(),
                None,
                t0,
                &p,
            )
            .serial;
        let huge = office
            .issue_unchecked(
                PassApplication {
                    holder: "P3".into(),
                    kind: PassKind::County,
                    enterprise: None,
                    scope: "a".repeat(70_000),
                },
                "王**".into(),
                None,
                t0,
                &p,
            )
            .serial;
        let version = |serial| {
            let token = office.token(serial, &key).unwrap();
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(token.strip_prefix("PC1.").unwrap())
                .unwrap();
            bytes[0]
        };
        // Formats 1 and 2 are still read (tests/attacks.rs), no longer written.
        assert_eq!(version(short), 3);
        assert_eq!(version(long), 3);
        // Beyond what any token can hold: an error, never a cut text.
        assert_eq!(
            office.token(huge, &key).unwrap_err().code(),
            "invalid_value"
        );
        let token = office.token(long, &key).unwrap();
        let v = verify_token(&token, &key.public(), &office.revocation_list(), t0, None);
        assert_eq!(v.claims.unwrap().scope.len(), 256);
    }
}
