//! Movement passes: county passes for residents who cannot show a health
//! code, worker passes applied for by enterprises; eligibility, issuance,
//! revocation, compact signed tokens verifiable offline at a checkpoint, and
//! the checkpoint log.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, NaiveDate};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::household::Residents;
use crate::ids::{EnterpriseId, OrderId, PersonId};
use crate::policy::Policy;
use crate::quarantine::Quarantine;
use crate::resumption::Resumption;
use crate::time::{add_days, local_day, render_instant, Instant};

/// The kinds of pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
pub struct Pass {
    /// Serial number, unique per station.
    pub serial: u64,
    /// Which kind.
    pub kind: PassKind,
    /// The holder.
    pub holder: PersonId,
    /// The holder's name, masked, as printed on the token.
    pub holder_masked: String,
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

/// The station's signing key. Keep it secret; give checkpoints the [`PublicKey`].
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
}

/// A station's public key, as checkpoints hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Read a key written by [`PublicKey`]'s `Display` (43 characters of base64url).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the text is not such a key.
    pub fn parse(text: &str) -> Result<PublicKey> {
        let bad = || Error::invalid("public key", text, "32 bytes of base64url (43 characters)");
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| bad())?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| bad())?;
        VerifyingKey::from_bytes(&arr)
            .map(PublicKey)
            .map_err(|_| bad())
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

/// What a token says about its pass, once its signature is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

const TOKEN_PREFIX: &str = "PC1.";
/// Texts of at most 255 bytes each, with one-byte lengths: the first format,
/// still written whenever both texts fit, so a pass's token stays as it was.
const TOKEN_VERSION: u8 = 1;
/// Texts of any length up to [`MAX_TOKEN_TEXT_BYTES`], with two-byte lengths.
const TOKEN_VERSION_LONG: u8 = 2;

/// The longest holder name or scope, in bytes of UTF-8, that a pass carries:
/// the token prints whole in a QR code (version 40 holds 2,953 bytes), so
/// two such texts, the signature and the base64 around them still fit.
pub const MAX_TOKEN_TEXT_BYTES: usize = 1024;

impl TokenClaims {
    /// The signed bytes: the texts are carried whole, never cut.
    fn encode(&self) -> Result<Vec<u8>> {
        let texts = [("holder name", &self.holder_masked), ("scope", &self.scope)];
        for (what, text) in texts {
            if text.len() > usize::from(u16::MAX) {
                return Err(too_long(what, text, usize::from(u16::MAX)));
            }
        }
        let short = texts.iter().all(|(_, t)| u8::try_from(t.len()).is_ok());
        let version = if short {
            TOKEN_VERSION
        } else {
            TOKEN_VERSION_LONG
        };
        let mut out = vec![version, self.kind.byte()];
        out.extend(self.serial.to_be_bytes());
        out.extend(self.valid_from.timestamp().to_be_bytes());
        out.extend(self.valid_until.timestamp().to_be_bytes());
        for (_, text) in texts {
            let len = text.len();
            match (u8::try_from(len), u16::try_from(len)) {
                (Ok(n), _) if short => out.push(n),
                (_, Ok(n)) => out.extend(n.to_be_bytes()),
                _ => return Err(too_long("text", text, usize::from(u16::MAX))),
            }
            out.extend(text.as_bytes());
        }
        Ok(out)
    }

    fn decode(bytes: &[u8]) -> Option<TokenClaims> {
        let (&version, rest) = bytes.split_first()?;
        let wide = match version {
            TOKEN_VERSION => false,
            TOKEN_VERSION_LONG => true,
            _ => return None,
        };
        let (&kind, rest) = rest.split_first()?;
        let kind = match kind {
            1 => PassKind::County,
            2 => PassKind::Worker,
            _ => return None,
        };
        let num = |b: &[u8]| -> Option<[u8; 8]> { b.get(..8)?.try_into().ok() };
        let serial = u64::from_be_bytes(num(rest)?);
        let from = i64::from_be_bytes(num(rest.get(8..)?)?);
        let until = i64::from_be_bytes(num(rest.get(16..)?)?);
        let mut rest = rest.get(24..)?;
        let mut texts = Vec::new();
        for _ in 0..2 {
            let (len, r) = if wide {
                let n: [u8; 2] = rest.get(..2)?.try_into().ok()?;
                (usize::from(u16::from_be_bytes(n)), rest.get(2..)?)
            } else {
                let (&n, r) = rest.split_first()?;
                (usize::from(n), r)
            };
            let text = std::str::from_utf8(r.get(..len)?).ok()?;
            texts.push(text.to_string());
            rest = r.get(len..)?;
        }
        if !rest.is_empty() {
            return None;
        }
        let scope = texts.pop()?;
        let holder_masked = texts.pop()?;
        Some(TokenClaims {
            serial,
            kind,
            holder_masked,
            scope,
            valid_from: DateTime::from_timestamp(from, 0)?,
            valid_until: DateTime::from_timestamp(until, 0)?,
        })
    }
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
#[serde(rename_all = "snake_case")]
pub enum DenyReason {
    /// Not a pass token at all (cut off, mistyped, another QR code).
    Malformed,
    /// The signature does not match: altered, or not signed by this station.
    BadSignature,
    /// Valid only later.
    NotYetValid,
    /// No longer valid.
    Expired,
    /// On the revocation list.
    Revoked,
}

impl fmt::Display for DenyReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DenyReason::Malformed => "not a pass token",
            DenyReason::BadSignature => "signature does not match: altered or forged",
            DenyReason::NotYetValid => "not yet valid",
            DenyReason::Expired => "expired",
            DenyReason::Revoked => "revoked",
        })
    }
}

/// A checkpoint's decision on a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Whether to let the holder through.
    pub allowed: bool,
    /// Why not, when denied.
    pub reason: Option<DenyReason>,
    /// What the token says, when its signature is good.
    pub claims: Option<TokenClaims>,
}

/// Serials of revoked passes, as a checkpoint downloads them while online.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationList {
    /// Revoked serial numbers.
    pub serials: BTreeSet<u64>,
}

/// Verify a token offline with only the station's public key and the
/// revocation list, at `at`.
///
/// ```
/// use precinct::*;
/// let key = StationKey::from_seed([7; 32]);
/// let mut office = PassOffice::default();
/// let t0 = "2020-02-10T08:00:00+08:00".parse::<chrono::DateTime<chrono::Utc>>().unwrap();
/// let pass = office.issue_unchecked(PassKind::County, "P1".into(), "Z**".into(), None, "Yaozhuang".into(), t0, &Policy::default()).clone();
/// let token = office.token(pass.serial, &key).unwrap();
/// let ok = verify_token(&token, &key.public(), &office.revocation_list(), t0);
/// assert!(ok.allowed);
/// let late = verify_token(&token, &key.public(), &office.revocation_list(), t0 + chrono::Duration::days(31));
/// assert_eq!(late.reason, Some(DenyReason::Expired));
/// ```
pub fn verify_token(
    token: &str,
    key: &PublicKey,
    revoked: &RevocationList,
    at: Instant,
) -> Verdict {
    let deny = |reason, claims| Verdict {
        allowed: false,
        reason: Some(reason),
        claims,
    };
    let Some(body) = token.trim().strip_prefix(TOKEN_PREFIX) else {
        return deny(DenyReason::Malformed, None);
    };
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(body) else {
        return deny(DenyReason::Malformed, None);
    };
    if bytes.len() < 64 {
        return deny(DenyReason::Malformed, None);
    }
    let (payload, sig) = bytes.split_at(bytes.len() - 64);
    let Ok(sig) = Signature::from_slice(sig) else {
        return deny(DenyReason::Malformed, None);
    };
    if key.0.verify(payload, &sig).is_err() {
        return deny(DenyReason::BadSignature, None);
    }
    let Some(claims) = TokenClaims::decode(payload) else {
        return deny(DenyReason::Malformed, None);
    };
    if revoked.serials.contains(&claims.serial) {
        return deny(DenyReason::Revoked, Some(claims));
    }
    if at < claims.valid_from {
        return deny(DenyReason::NotYetValid, Some(claims));
    }
    if at >= claims.valid_until {
        return deny(DenyReason::Expired, Some(claims));
    }
    Verdict {
        allowed: true,
        reason: None,
        claims: Some(claims),
    }
}

/// The station's pass office: issued passes and revocations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassOffice {
    passes: BTreeMap<u64, Pass>,
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
        let person = ctx.residents.person(&app.holder)?;
        if app.scope.trim().is_empty() {
            return Err(Error::invalid(
                "scope",
                &app.scope,
                "where the pass is good for, e.g. a town or a route",
            ));
        }
        if app.scope.len() > MAX_TOKEN_TEXT_BYTES {
            return Err(too_long("scope", &app.scope, MAX_TOKEN_TEXT_BYTES));
        }
        let masked = crate::id::mask_name(&person.name);
        if masked.len() > MAX_TOKEN_TEXT_BYTES {
            return Err(too_long("holder name", &masked, MAX_TOKEN_TEXT_BYTES));
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
        if let Some(p) = self.passes.values().find(|p| {
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
        self.check(&app, ctx, at)?;
        let person = ctx.residents.person(&app.holder)?;
        let masked = crate::id::mask_name(&person.name);
        let holder = person.id.clone();
        Ok(self.issue_unchecked(
            app.kind,
            holder,
            masked,
            app.enterprise,
            app.scope,
            at,
            ctx.policy,
        ))
    }

    /// Issue without checking eligibility: for replaying records that were
    /// checked when made, and for tests. Valid as [`PassOffice::issue`] says.
    #[allow(clippy::too_many_arguments)]
    pub fn issue_unchecked(
        &mut self,
        kind: PassKind,
        holder: PersonId,
        holder_masked: String,
        enterprise: Option<EnterpriseId>,
        scope: String,
        at: Instant,
        policy: &Policy,
    ) -> &Pass {
        let serial = self.passes.keys().next_back().map_or(1, |s| s + 1);
        let pass = Pass {
            serial,
            kind,
            holder,
            holder_masked,
            enterprise,
            scope,
            valid_from: at,
            valid_until: add_days(at, i64::from(policy.pass_validity_days), policy.zone()),
            revoked_at: None,
            revoked_by_order: None,
        };
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
        for p in self
            .passes
            .values_mut()
            .filter(|p| &p.holder == holder && p.revoked_at.is_none() && p.valid_until > at)
        {
            p.revoked_at = Some(at);
            p.revoked_by_order = Some(order.clone());
            revoked.push(p.serial);
        }
        revoked
    }

    /// Move a merged person's passes to the person kept.
    pub(crate) fn merge_person(&mut self, keep: &PersonId, duplicate: &PersonId) {
        for p in self.passes.values_mut().filter(|p| &p.holder == duplicate) {
            p.holder = keep.clone();
        }
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

    /// The signed token of a pass, for its QR code. It carries the holder's
    /// masked name and the scope whole: its claims equal the pass.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown serial; [`Error::InvalidValue`]
    /// for a text longer than a token can carry (only possible for a pass
    /// made with [`PassOffice::issue_unchecked`]).
    pub fn token(&self, serial: u64, key: &StationKey) -> Result<String> {
        let p = self.pass(serial)?;
        let claims = TokenClaims {
            serial: p.serial,
            kind: p.kind,
            holder_masked: p.holder_masked.clone(),
            scope: p.scope.clone(),
            valid_from: p.valid_from,
            valid_until: p.valid_until,
        };
        let mut bytes = claims.encode()?;
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
pub struct Crossing {
    /// Which checkpoint.
    pub checkpoint: String,
    /// When.
    pub at: Instant,
    /// The decision.
    pub verdict: Verdict,
}

/// The log of a checkpoint's checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointLog {
    crossings: Vec<Crossing>,
}

impl CheckpointLog {
    /// Verify a token and log the decision.
    pub fn check(
        &mut self,
        checkpoint: &str,
        token: &str,
        key: &PublicKey,
        revoked: &RevocationList,
        at: Instant,
    ) -> &Verdict {
        let verdict = verify_token(token, key, revoked, at);
        self.crossings.push(Crossing {
            checkpoint: checkpoint.to_string(),
            at,
            verdict,
        });
        &self.crossings[self.crossings.len() - 1].verdict
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
        let v = verify_token(&token, &pk, &office.revocation_list(), now);
        assert!(v.allowed);
        assert_eq!(v.claims.unwrap().holder_masked, "张**");
        let none = office.revocation_list();
        let reason = |tok: &str, at| verify_token(tok, &pk, &none, at).reason;
        assert_eq!(
            reason(&token, t("2020-02-10 08:59")),
            Some(DenyReason::NotYetValid)
        );
        assert_eq!(
            reason(&token, t("2020-03-11 09:00")),
            Some(DenyReason::Expired)
        );
        assert_eq!(reason("hello", now), Some(DenyReason::Malformed));
        assert_eq!(
            reason(&token[..token.len() - 10], now),
            Some(DenyReason::BadSignature)
        );
        // Flip one character of the payload.
        let mut chars: Vec<char> = token.chars().collect();
        chars[10] = if chars[10] == 'A' { 'B' } else { 'A' };
        assert_eq!(
            reason(&chars.into_iter().collect::<String>(), now),
            Some(DenyReason::BadSignature)
        );
        // Signed by another key.
        let forged = office
            .token(serial, &StationKey::from_seed([2; 32]))
            .unwrap();
        assert_eq!(reason(&forged, now), Some(DenyReason::BadSignature));
        office.revoke(serial, now, &Policy::default()).unwrap();
        assert!(office.revoke(serial, now, &Policy::default()).is_err());
        assert_eq!(
            verify_token(&token, &pk, &office.revocation_list(), now).reason,
            Some(DenyReason::Revoked)
        );
        let mut log = CheckpointLog::default();
        log.check("G3 exit", &token, &pk, &office.revocation_list(), now);
        log.check("G3 exit", "junk", &pk, &office.revocation_list(), now);
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
}
