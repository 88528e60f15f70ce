//! The attack table of pass tokens (issue 11, items 1-4): every kind of
//! forged, damaged or misused token as a named case with the verdict it must
//! get, offline (`verify_token`, as a checkpoint device) and in the book
//! (`check_pass`, against the station's own keys and pass records); then a
//! seeded mutation loop. Run with `--nocapture` to see the counts.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use precinct::{
    parse_instant, verify_token, Book, Command, DenyReason, HolderCheck, IdDocument, Instant,
    Outcome, PassApplication, PassKind, Person, Policy, PublicKey, RevocationList, ShownDocument,
    StationKey, Verdict,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

const STATION: [u8; 32] = [9; 32];
const RETIRED: [u8; 32] = [10; 32];
const STRANGER: [u8; 32] = [11; 32];

const DOC_A: &str = "110105198001010040"; // 张三丰
const DOC_B: &str = "110105198001010059"; // 张三峰
const DOC_C: &str = "110105198001010067"; // 李四, later isolated
const DOC_D: &str = "110105198001010075"; // 王五
const DOC_E: &str = "110105198001010083"; // 赵六

fn at(text: &str) -> Instant {
    parse_instant(text, Policy::default().zone()).unwrap()
}

fn doc(number: &str) -> IdDocument {
    IdDocument::parse(number, None).unwrap()
}

fn shown(number: &str) -> ShownDocument {
    ShownDocument {
        document: doc(number),
        holder_key: StationKey::from_seed(STATION).holder_key(),
    }
}

fn exec(book: &mut Book, when: &str, cmd: Command) -> Outcome {
    let name = cmd.name();
    match book.execute("officer-li", at(when), cmd) {
        Ok(r) => r.outcome,
        Err(e) => panic!("{name} at {when}: {e}"),
    }
}

fn county(holder: &str) -> Command {
    Command::IssuePass {
        application: PassApplication {
            holder: holder.into(),
            kind: PassKind::County,
            enterprise: None,
            scope: "Yaozhuang".into(),
        },
    }
}

/// The station: its key in force since January; a key retired on 1
/// February; pass 1 (王五) issued on 20 January when the retired key was
/// still in force; passes 2 (张三丰), 3 (张三峰), 4 (李四, revoked by an
/// isolation order) and 5 (赵六, revoked) issued on 5 February.
struct World {
    book: Book,
}

const ISSUED: &str = "2020-02-05 10:00";
const CHECKED: &str = "2020-02-06 10:00";

fn world() -> World {
    let mut book = Book::in_memory(Policy::default()).unwrap();
    let add = |seed, until: Option<&str>| Command::AddStationKey {
        key: StationKey::from_seed(seed).public(),
        valid_from: at("2020-01-01 00:00"),
        valid_until: until.map(at),
    };
    exec(&mut book, "2020-01-01 00:00", add(STATION, None));
    exec(&mut book, "2020-01-01 00:00", add(RETIRED, None));
    for (id, name, number) in [
        ("P1", "张三丰", DOC_A),
        ("P2", "张三峰", DOC_B),
        ("P3", "李四", DOC_C),
        ("P4", "王五", DOC_D),
        ("P5", "赵六", DOC_E),
    ] {
        let person = Person {
            id: id.into(),
            name: name.into(),
            document: doc(number),
            household: None,
            phone: None,
            has_smartphone: Some(false),
        };
        exec(
            &mut book,
            "2020-01-10 09:00",
            Command::RegisterPerson { person },
        );
    }
    exec(&mut book, "2020-01-20 09:00", county("P4")); // serial 1
    exec(
        &mut book,
        "2020-02-01 00:00",
        Command::RetireStationKey {
            key: StationKey::from_seed(RETIRED).public(),
        },
    );
    exec(&mut book, ISSUED, county("P1")); // 2
    exec(&mut book, ISSUED, county("P2")); // 3
    exec(&mut book, ISSUED, county("P3")); // 4
    let mut w = World { book };
    exec(&mut w.book, ISSUED, county("P5")); // 5
    exec(
        &mut w.book,
        "2020-02-05 11:00",
        Command::RevokePass { serial: 5 },
    );
    exec(
        &mut w.book,
        "2020-02-05 12:00",
        Command::OrderHomeIsolation {
            order: "O1".into(),
            person: "P3".into(),
            arrived: at("2020-02-05 11:00"),
            reason: "returnee".into(),
        },
    );
    w
}

/// The serials of the world.
const BEFORE_RETIREMENT: u64 = 1;
const ZHANG_SANFENG: u64 = 2;
const ZHANG_SANFENG_2: u64 = 3;
const BY_ORDER: u64 = 4;
const REVOKED: u64 = 5;

impl World {
    fn token(&self, serial: u64, seed: [u8; 32]) -> String {
        self.book
            .station()
            .passes()
            .token(serial, &StationKey::from_seed(seed))
            .unwrap()
    }

    fn revoked(&self) -> RevocationList {
        self.book.station().passes().revocation_list()
    }

    fn offline(&self, token: &str, when: &str, document: Option<&str>) -> Verdict {
        let shown = document.map(shown);
        verify_token(
            token,
            &StationKey::from_seed(STATION).public(),
            &self.revoked(),
            at(when),
            shown.as_ref(),
        )
    }

    fn in_book(&mut self, token: &str, when: &str, document: Option<&str>) -> Verdict {
        let cmd = Command::CheckPass {
            checkpoint: "G15 exit".into(),
            token: token.into(),
            document: document.map(doc),
            public_key: None,
        };
        match exec(&mut self.book, when, cmd) {
            Outcome::Checked { verdict } => verdict,
            other => panic!("expected a verdict, got {other:?}"),
        }
    }
}

fn bytes_of(token: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(token.strip_prefix("PC1.").unwrap())
        .unwrap()
}

fn token_of(bytes: &[u8]) -> String {
    format!("PC1.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A format-3 body as an attacker writes it.
#[allow(clippy::too_many_arguments)]
fn body_v3(
    serial: u64,
    from: Instant,
    until: Instant,
    key_id: &[u8],
    digest: Option<[u8; 16]>,
    masked: &str,
    scope: &str,
) -> Vec<u8> {
    let mut out = vec![3, 1];
    out.extend(serial.to_be_bytes());
    out.extend(from.timestamp().to_be_bytes());
    out.extend(until.timestamp().to_be_bytes());
    out.extend(&key_id[..8]);
    match digest {
        Some(d) => {
            out.push(16);
            out.extend(d);
        }
        None => out.push(0),
    }
    for t in [masked, scope] {
        out.extend((t.len() as u16).to_be_bytes());
        out.extend(t.as_bytes());
    }
    out
}

/// A format-1 body, as tokens printed before holders were bound.
fn body_v1(serial: u64, from: Instant, until: Instant, masked: &str, scope: &str) -> Vec<u8> {
    let mut out = vec![1, 1];
    out.extend(serial.to_be_bytes());
    out.extend(from.timestamp().to_be_bytes());
    out.extend(until.timestamp().to_be_bytes());
    for t in [masked, scope] {
        out.push(t.len() as u8);
        out.extend(t.as_bytes());
    }
    out
}

fn signed(body: &[u8], seed: [u8; 32]) -> String {
    let sig = SigningKey::from_bytes(&seed).sign(body);
    let mut all = body.to_vec();
    all.extend(sig.to_bytes());
    token_of(&all)
}

fn with_signature(body: &[u8], r: [u8; 32], s: [u8; 32]) -> String {
    let mut all = body.to_vec();
    all.extend(r);
    all.extend(s);
    token_of(&all)
}

fn hex32(text: &str) -> [u8; 32] {
    let mut out = [0; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

/// The eight points of small order on Ed25519, canonically encoded (the
/// identity, the point of order 2, two of order 4, four of order 8). The
/// test checks each decompresses and is of small order.
const SMALL_ORDER: [&str; 8] = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
];

/// `y + p` for a small `y` (p = 2^255 - 19): a non-canonical encoding.
fn non_canonical(y: u8, sign: bool) -> [u8; 32] {
    let mut out = [0xff; 32];
    out[0] = 0xed + y; // p's low byte is 0xed
    out[31] = 0x7f | if sign { 0x80 } else { 0 };
    out
}

/// `s + l`, the order of the base point: the same scalar, not canonical.
fn plus_order(s: [u8; 32]) -> [u8; 32] {
    let l = hex32("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    let mut out = [0; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(s[i]) + u16::from(l[i]) + carry;
        out[i] = sum as u8;
        carry = sum >> 8;
    }
    out
}

/// What a case must get: allowed (with a holder check), or a reason.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Allowed(HolderCheck),
    Denied(DenyReason),
    /// Denied for one of these reasons (byte-level damage, where which
    /// check trips first depends on the byte).
    DeniedAny(&'static [DenyReason]),
    /// Offline verification cannot know (only the book's records can).
    NotOffline,
}

impl Want {
    fn holds(self, v: &Verdict) -> bool {
        match self {
            Want::Allowed(h) => v.allowed && v.reason.is_none() && v.holder == h,
            Want::Denied(r) => !v.allowed && v.reason == Some(r),
            Want::DeniedAny(rs) => !v.allowed && v.reason.is_some_and(|r| rs.contains(&r)),
            Want::NotOffline => true,
        }
    }
    fn is_forgery(self) -> bool {
        !matches!(self, Want::Allowed(_) | Want::NotOffline)
    }
}

struct Case {
    kind: &'static str,
    token: String,
    when: &'static str,
    document: Option<&'static str>,
    offline: Want,
    book: Want,
}

const DAMAGE: &[DenyReason] = &[
    DenyReason::Malformed,
    DenyReason::BadSignature,
    DenyReason::UnknownKey,
];

#[derive(Default)]
struct Tally {
    kinds: BTreeMap<&'static str, usize>,
    instances: usize,
    forged_accepted: usize,
    wrong: Vec<String>,
}

impl Tally {
    fn run(&mut self, w: &mut World, case: &Case) {
        self.instances += 1;
        *self.kinds.entry(case.kind).or_default() += 1;
        let off = w.offline(&case.token, case.when, case.document);
        let book = w.in_book(&case.token, case.when, case.document);
        for (layer, want, got) in [("offline", case.offline, &off), ("book", case.book, &book)] {
            if !want.holds(got) {
                self.wrong.push(format!(
                    "{} ({layer}): want {want:?}, got {:?} / {:?} / {:?}",
                    case.kind, got.reason, got.allowed, got.holder
                ));
            }
            if want.is_forgery() && got.allowed {
                self.forged_accepted += 1;
            }
        }
    }
}

#[expect(clippy::too_many_lines, reason = "the table: one entry per named case")]
fn table(w: &World) -> Vec<Case> {
    use DenyReason as R;
    use Want::{Allowed, Denied, NotOffline};
    let valid = w.token(ZHANG_SANFENG, STATION);
    let other = w.token(ZHANG_SANFENG_2, STATION);
    let mut cases = Vec::new();
    let mut case = |kind, token: String, when, document, offline, book| {
        cases.push(Case {
            kind,
            token,
            when,
            document,
            offline,
            book,
        });
    };
    case(
        "valid",
        valid.clone(),
        CHECKED,
        None,
        Allowed(HolderCheck::NotChecked),
        Allowed(HolderCheck::NotChecked),
    );
    case(
        "valid, card shown",
        valid.clone(),
        CHECKED,
        Some(DOC_A),
        Allowed(HolderCheck::Matches),
        Allowed(HolderCheck::Matches),
    );
    case(
        "valid, token with surrounding whitespace",
        format!("  {valid}\n"),
        CHECKED,
        None,
        Allowed(HolderCheck::NotChecked),
        Allowed(HolderCheck::NotChecked),
    );

    // Tampered claims (and signature), byte by byte, three ways each.
    let raw = bytes_of(&valid);
    for i in 0..raw.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut b = raw.clone();
            b[i] ^= flip;
            let kind = if i + 64 < raw.len() {
                "tampered claims byte"
            } else {
                "tampered signature byte"
            };
            case(
                kind,
                token_of(&b),
                CHECKED,
                None,
                Want::DeniedAny(DAMAGE),
                Want::DeniedAny(DAMAGE),
            );
        }
    }
    // Truncated at every length, as text and as bytes.
    for n in 0..valid.len() {
        case(
            "truncated text",
            valid[..n].to_string(),
            CHECKED,
            None,
            Denied(R::Malformed),
            Denied(R::Malformed),
        );
    }
    for n in 0..raw.len() {
        case(
            "truncated bytes",
            token_of(&raw[..n]),
            CHECKED,
            None,
            Denied(R::Malformed),
            Denied(R::Malformed),
        );
    }
    // Extended.
    for extra in [
        vec![0u8],
        vec![0; 64],
        bytes_of(&other)[bytes_of(&other).len() - 64..].to_vec(),
    ] {
        let mut b = raw.clone();
        b.extend(extra);
        case(
            "extended bytes",
            token_of(&b),
            CHECKED,
            None,
            Denied(R::Malformed),
            Denied(R::Malformed),
        );
    }
    case(
        "extended text",
        format!("{valid}A"),
        CHECKED,
        None,
        Denied(R::Malformed),
        Denied(R::Malformed),
    );
    case(
        "extended text",
        format!("{valid}AAAA"),
        CHECKED,
        None,
        Denied(R::Malformed),
        Denied(R::Malformed),
    );
    // Wrong key: the token names it; or it claims the station's key id.
    case(
        "wrong key",
        w.token(ZHANG_SANFENG, STRANGER),
        CHECKED,
        None,
        Denied(R::UnknownKey),
        Denied(R::UnknownKey),
    );
    let pass = w
        .book
        .station()
        .passes()
        .pass(ZHANG_SANFENG)
        .unwrap()
        .clone();
    let station_id = StationKey::from_seed(STATION).public();
    let station_id = &bytes_of_key(&station_id);
    let digest = raw[35..51].try_into().unwrap();
    let body = body_v3(
        pass.serial,
        pass.valid_from,
        pass.valid_until,
        station_id,
        Some(digest),
        &pass.holder_masked,
        "the whole province",
    );
    case(
        "wrong key under the station's key id",
        signed(&body, STRANGER),
        CHECKED,
        None,
        Denied(R::BadSignature),
        Denied(R::BadSignature),
    );
    // Trivial signatures, R = identity and s = 0, under the station's key.
    let identity = hex32(SMALL_ORDER[0]);
    case(
        "trivial signature (R = identity, s = 0)",
        with_signature(&body, identity, [0; 32]),
        CHECKED,
        None,
        Denied(R::BadSignature),
        Denied(R::BadSignature),
    );
    for r in SMALL_ORDER {
        case(
            "small-order R",
            with_signature(&body, hex32(r), [0; 32]),
            CHECKED,
            None,
            Denied(R::BadSignature),
            Denied(R::BadSignature),
        );
    }
    // Weak keys: a token naming a small-order key, signed trivially.
    for k in SMALL_ORDER {
        let weak = body_v3(
            pass.serial,
            pass.valid_from,
            pass.valid_until,
            &hex32(k),
            None,
            "王**",
            "anywhere",
        );
        case(
            "token under a weak key",
            with_signature(&weak, identity, [0; 32]),
            CHECKED,
            None,
            Denied(R::UnknownKey),
            Denied(R::UnknownKey),
        );
        let legacy = body_v1(99, pass.valid_from, pass.valid_until, "王**", "anywhere");
        case(
            "format-1 token under a weak key",
            with_signature(&legacy, identity, [0; 32]),
            CHECKED,
            None,
            Denied(R::BadSignature),
            Denied(R::BadSignature),
        );
    }
    // Non-canonical R and s of a genuine signature.
    let (r, s): ([u8; 32], [u8; 32]) = (
        raw[raw.len() - 64..raw.len() - 32].try_into().unwrap(),
        raw[raw.len() - 32..].try_into().unwrap(),
    );
    let payload = &raw[..raw.len() - 64];
    case(
        "non-canonical s (s + l)",
        with_signature(payload, r, plus_order(s)),
        CHECKED,
        None,
        Denied(R::BadSignature),
        Denied(R::BadSignature),
    );
    case(
        "s with the top bit set",
        with_signature(payload, r, {
            let mut x = s;
            x[31] |= 0x80;
            x
        }),
        CHECKED,
        None,
        Denied(R::BadSignature),
        Denied(R::BadSignature),
    );
    case(
        "R with the sign bit flipped",
        with_signature(
            payload,
            {
                let mut x = r;
                x[31] ^= 0x80;
                x
            },
            s,
        ),
        CHECKED,
        None,
        Denied(R::BadSignature),
        Denied(R::BadSignature),
    );
    for (y, sign) in [(0, false), (1, false), (1, true), (0, true)] {
        case(
            "non-canonical R (y + p), s = 0",
            with_signature(payload, non_canonical(y, sign), [0; 32]),
            CHECKED,
            None,
            Denied(R::BadSignature),
            Denied(R::BadSignature),
        );
    }
    case(
        "R = identity, sign bit set (x = -0)",
        with_signature(
            payload,
            {
                let mut x = identity;
                x[31] |= 0x80;
                x
            },
            [0; 32],
        ),
        CHECKED,
        None,
        Denied(R::BadSignature),
        Denied(R::BadSignature),
    );
    // A signature from another pass.
    let sig_other = &bytes_of(&other)[bytes_of(&other).len() - 64..];
    let mut spliced = payload.to_vec();
    spliced.extend(sig_other);
    case(
        "signature from another pass",
        token_of(&spliced),
        CHECKED,
        None,
        Denied(R::BadSignature),
        Denied(R::BadSignature),
    );
    // Replayed for another holder: 张三丰's token shown with 张三峰's card.
    case(
        "replayed for another holder (张三峰 shows 张三丰's pass)",
        valid.clone(),
        CHECKED,
        Some(DOC_B),
        Denied(R::HolderMismatch),
        Denied(R::HolderMismatch),
    );
    case(
        "replayed for another holder (张三丰 shows 张三峰's pass)",
        other.clone(),
        CHECKED,
        Some(DOC_A),
        Denied(R::HolderMismatch),
        Denied(R::HolderMismatch),
    );
    // Time.
    case(
        "expired",
        valid.clone(),
        "2020-03-06 10:00",
        None,
        Denied(R::Expired),
        Denied(R::Expired),
    );
    case(
        "not yet valid",
        valid.clone(),
        "2020-02-05 09:59",
        None,
        Denied(R::NotYetValid),
        Denied(R::NotYetValid),
    );
    // Revoked, and revoked by an order.
    case(
        "revoked",
        w.token(REVOKED, STATION),
        CHECKED,
        None,
        Denied(R::Revoked),
        Denied(R::Revoked),
    );
    case(
        "revoked by an order",
        w.token(BY_ORDER, STATION),
        CHECKED,
        None,
        Denied(R::Revoked),
        Denied(R::Revoked),
    );
    // The book's own records: a serial never issued, claims not as issued.
    let never = body_v3(
        77,
        pass.valid_from,
        pass.valid_until,
        station_id,
        None,
        "王**",
        "anywhere",
    );
    case(
        "serial never issued (signed with the station's key)",
        signed(&never, STATION),
        CHECKED,
        None,
        NotOffline,
        Denied(R::UnknownPass),
    );
    let widened = body_v3(
        pass.serial,
        pass.valid_from,
        pass.valid_until,
        station_id,
        Some(digest),
        &pass.holder_masked,
        "the whole province",
    );
    case(
        "claims not as issued (signed with the station's key)",
        signed(&widened, STATION),
        CHECKED,
        None,
        NotOffline,
        Denied(R::NotAsIssued),
    );
    // Keys: retired before issuance; in force at issuance; unknown.
    case(
        "key retired before issuance",
        w.token(ZHANG_SANFENG, RETIRED),
        CHECKED,
        None,
        Denied(R::UnknownKey),
        Denied(R::KeyNotInForce),
    );
    case(
        "key retired after issuance (old pass stays checkable)",
        w.token(BEFORE_RETIREMENT, RETIRED),
        CHECKED,
        Some(DOC_D),
        Denied(R::UnknownKey),
        Allowed(HolderCheck::Matches),
    );
    case(
        "key unknown to the book",
        w.token(ZHANG_SANFENG, STRANGER),
        CHECKED,
        None,
        Denied(R::UnknownKey),
        Denied(R::UnknownKey),
    );
    // Not a token at all.
    for junk in [
        "",
        "PC1.",
        "PC1.!!!!",
        "hello",
        "PC2.AAAA",
        "https://example.invalid/?PC1.AAAA",
    ] {
        case(
            "not a token",
            junk.to_string(),
            CHECKED,
            None,
            Denied(R::Malformed),
            Denied(R::Malformed),
        );
    }
    cases
}

fn bytes_of_key(key: &PublicKey) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(key.to_string()).unwrap()
}

#[test]
fn small_order_points_are_what_the_table_says_and_refused_as_keys() {
    let mut seen = std::collections::BTreeSet::new();
    for text in SMALL_ORDER {
        let bytes = hex32(text);
        let point = VerifyingKey::from_bytes(&bytes).unwrap();
        assert!(point.is_weak(), "{text} is not of small order");
        assert!(seen.insert(bytes));
        let b64 = URL_SAFE_NO_PAD.encode(bytes);
        let err = PublicKey::parse(&b64).unwrap_err();
        assert!(err.to_string().contains("large order"), "{err}");
        // Nor does a command add it.
        let json = serde_json::json!({"type": "add_station_key", "key": b64,
            "valid_from": "2020-01-01T00:00:00Z"});
        assert_eq!(
            Command::from_json(&json).unwrap_err().code(),
            "invalid_value"
        );
    }
    // Under the identity, the lenient check of before accepted a trivial
    // signature on any message: the attack that was journaled as allowed.
    let identity = VerifyingKey::from_bytes(&hex32(SMALL_ORDER[0])).unwrap();
    let mut sig = [0; 64];
    sig[0] = 1;
    let trivial = ed25519_dalek::Signature::from_bytes(&sig);
    assert!(identity.verify(b"any claims at all", &trivial).is_ok());
    assert!(identity
        .verify_strict(b"any claims at all", &trivial)
        .is_err());
    // Non-canonical encodings (y + p) of points on the curve are refused.
    let mut non_canonical_points = 0;
    for y in 0..19 {
        for sign in [false, true] {
            let bytes = non_canonical(y, sign);
            if VerifyingKey::from_bytes(&bytes).is_ok() {
                non_canonical_points += 1;
                let err = PublicKey::parse(&URL_SAFE_NO_PAD.encode(bytes)).unwrap_err();
                let msg = err.to_string();
                assert!(
                    msg.contains("canonical") || msg.contains("large order"),
                    "{msg}"
                );
            }
        }
    }
    assert!(non_canonical_points >= 2, "{non_canonical_points}");
    // The genuine key reads back.
    let k = StationKey::from_seed(STATION).public();
    assert_eq!(PublicKey::parse(&k.to_string()).unwrap(), k);
}

#[test]
fn the_attack_table_holds_offline_and_in_the_book() {
    let mut w = world();
    let cases = table(&w);
    let mut tally = Tally::default();
    for case in &cases {
        tally.run(&mut w, case);
    }
    let kinds = tally.kinds.len();
    println!(
        "attack table: {kinds} kinds, {} cases, each offline and in the book; accepted forgeries: {}",
        tally.instances, tally.forged_accepted
    );
    for (kind, n) in &tally.kinds {
        println!("  {n:>5}  {kind}");
    }
    assert!(tally.wrong.is_empty(), "{:#?}", tally.wrong);
    assert_eq!(tally.forged_accepted, 0);
    assert!(kinds >= 30, "{kinds}");
    // Every denial was logged; the journal replays to the same records.
    let text = w.book.journal_text().unwrap().to_string();
    let again = Book::open_text(&text).unwrap();
    assert_eq!(again.station(), w.book.station());
}

#[test]
fn two_holders_with_the_same_masked_name_are_told_apart() {
    let w = world();
    let a = w.offline(&w.token(ZHANG_SANFENG, STATION), CHECKED, None);
    let b = w.offline(&w.token(ZHANG_SANFENG_2, STATION), CHECKED, None);
    let (a, b) = (a.claims.unwrap(), b.claims.unwrap());
    assert_eq!(a.holder_masked, "张**");
    assert_eq!(b.holder_masked, "张**");
    assert_ne!(a.holder_digest, b.holder_digest);
    assert_eq!(a.holder_digest.as_ref().map(String::len), Some(32));
    // The token carries no document number, whole or in part.
    let token = w.token(ZHANG_SANFENG, STATION);
    let raw = bytes_of(&token);
    for number in [DOC_A, &DOC_A[6..14], &DOC_A[14..]] {
        assert!(!raw.windows(number.len()).any(|x| x == number.as_bytes()));
    }
    // Without the holder key the digest cannot be checked: another key
    // finds a mismatch even for the right card.
    let wrong_key = ShownDocument {
        document: doc(DOC_A),
        holder_key: StationKey::from_seed(STRANGER).holder_key(),
    };
    let v = verify_token(
        &token,
        &StationKey::from_seed(STATION).public(),
        &RevocationList::default(),
        at(CHECKED),
        Some(&wrong_key),
    );
    assert_eq!(v.reason, Some(DenyReason::HolderMismatch));
}

/// Tokens printed before this version, by that version's code (format 1
/// with a short scope, format 2 with a scope over 255 bytes), and a journal
/// of that time whose `check_pass` commands carried the checkpoint's key:
/// a valid check, a token cut short (judged `bad_signature` then) and the
/// weak-key forgery of a serial never issued (judged `allowed` then).
const LEGACY_KEY: &str = include_str!("legacy/public_key.txt");
const LEGACY_V1: &str = include_str!("legacy/token_v1.txt");
const LEGACY_V2: &str = include_str!("legacy/token_v2.txt");
const LEGACY_JOURNAL: &str = include_str!("legacy/check_pass_with_key.journal");

#[test]
fn tokens_printed_before_still_verify_strictly() {
    let key = PublicKey::parse(LEGACY_KEY.trim()).unwrap();
    assert_eq!(key, StationKey::from_seed(STATION).public());
    let none = RevocationList::default();
    for token in [LEGACY_V1.trim(), LEGACY_V2.trim()] {
        let v = verify_token(token, &key, &none, at(CHECKED), None);
        assert!(v.allowed, "{v:?}");
        let claims = v.claims.unwrap();
        assert!(claims.key_id.is_none() && claims.holder_digest.is_none());
        // A card shown against an old token cannot be checked by the token.
        let v = verify_token(token, &key, &none, at(CHECKED), Some(&shown(DOC_A)));
        assert_eq!(v.holder, HolderCheck::Unbound);
        assert!(v.allowed);
        // Cut short: malformed, no longer "forged".
        let v = verify_token(&token[..token.len() - 10], &key, &none, at(CHECKED), None);
        assert_eq!(v.reason, Some(DenyReason::Malformed));
    }
}

#[test]
fn a_journal_whose_check_pass_carried_a_key_replays_as_judged_then() {
    let mut book = Book::open_text(LEGACY_JOURNAL).unwrap();
    let log = &book.station().checkpoints();
    let verdicts: Vec<_> = log
        .crossings()
        .iter()
        .map(|c| (c.verdict.allowed, c.verdict.reason))
        .collect();
    assert_eq!(
        verdicts,
        [
            (true, None),
            (false, Some(DenyReason::BadSignature)),
            (true, None)
        ]
    );
    // All three are marked with the key the checkpoint gave, for an audit;
    // the forgery's key is the identity point.
    let keys: Vec<_> = log
        .under_caller_key()
        .map(|c| c.caller_key.clone().unwrap())
        .collect();
    assert_eq!(keys.len(), 3);
    assert_eq!(
        URL_SAFE_NO_PAD.decode(&keys[2]).unwrap(),
        hex32(SMALL_ORDER[0])
    );
    // A new check with a caller's key is refused, and the book is unchanged.
    let before = book.station().clone();
    let cmd = Command::CheckPass {
        checkpoint: "G15 exit".into(),
        token: LEGACY_V1.trim().into(),
        document: None,
        public_key: Some(LEGACY_KEY.trim().into()),
    };
    let err = book.execute("checkpoint", at(CHECKED), cmd).unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    assert!(err.to_string().contains("add_station_key"), "{err}");
    assert_eq!(book.station(), &before);
    // The same tokens checked the new way: the old valid pass is allowed and
    // bound to its holder by the book's records; the forgery is denied.
    let key = PublicKey::parse(LEGACY_KEY.trim()).unwrap();
    let add = Command::AddStationKey {
        key,
        valid_from: at("2020-01-01 00:00"),
        valid_until: None,
    };
    book.execute("officer-li", at(CHECKED), add).unwrap();
    let check = |book: &mut Book, token: &str, document: Option<&str>| {
        let cmd = Command::CheckPass {
            checkpoint: "G15 exit".into(),
            token: token.into(),
            document: document.map(doc),
            public_key: None,
        };
        match book
            .execute("checkpoint", at(CHECKED), cmd)
            .unwrap()
            .outcome
        {
            Outcome::Checked { verdict } => verdict,
            other => panic!("{other:?}"),
        }
    };
    let v = check(&mut book, LEGACY_V1.trim(), Some(DOC_A));
    assert!(v.allowed && v.holder == HolderCheck::Matches, "{v:?}");
    let v = check(&mut book, LEGACY_V1.trim(), Some(DOC_B));
    assert_eq!(v.reason, Some(DenyReason::HolderMismatch));
    let forged = book.history(&precinct::Subject::Pass(99)).unwrap();
    assert_eq!(
        forged.len(),
        1,
        "the forgery of serial 99 is in the history"
    );
    let Command::CheckPass { token, .. } = &forged[0].command else {
        panic!("{forged:?}")
    };
    assert_eq!(
        check(&mut book, &token.clone(), None).reason,
        Some(DenyReason::BadSignature)
    );
    // Still replays, with the new entries.
    let text = book.journal_text().unwrap().to_string();
    assert_eq!(Book::open_text(&text).unwrap().station(), book.station());
}

/// Seeded random damage to a valid token: byte flips, insertions and
/// deletions, in the text and in the decoded bytes. Every mutation that
/// changes the token is denied; the few that do not (whitespace around the
/// text) are counted apart.
#[test]
fn ten_thousand_mutations_are_all_denied() {
    let mut w = world();
    let valid = w.token(ZHANG_SANFENG, STATION);
    let raw = bytes_of(&valid);
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.= +/\n";
    let (mut tried, mut same, mut accepted) = (0, 0, 0);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for round in 0..20_000 {
        let token = if round % 2 == 0 {
            let mut t = valid.clone().into_bytes();
            for _ in 0..rng.gen_range(1..=3) {
                let i = rng.gen_range(0..=t.len());
                let c = alphabet[rng.gen_range(0..alphabet.len())];
                match rng.gen_range(0..3) {
                    0 if i < t.len() => t[i] = c,
                    1 => t.insert(i, c),
                    _ if i < t.len() => {
                        t.remove(i);
                    }
                    _ => t.push(c),
                }
            }
            String::from_utf8(t).unwrap()
        } else {
            let mut b = raw.clone();
            for _ in 0..rng.gen_range(1..=3) {
                let i = rng.gen_range(0..=b.len());
                match rng.gen_range(0..3) {
                    0 if i < b.len() => b[i] ^= rng.gen_range(1..=255u8),
                    1 => b.insert(i, rng.gen()),
                    _ if i < b.len() => {
                        b.remove(i);
                    }
                    _ => b.push(rng.gen()),
                }
            }
            token_of(&b)
        };
        if token.trim() == valid {
            same += 1;
            continue;
        }
        tried += 1;
        let v = w.offline(&token, CHECKED, Some(DOC_A));
        if v.allowed {
            accepted += 1;
        }
        *reasons
            .entry(format!("{:?}", v.reason.unwrap_or(DenyReason::Malformed)))
            .or_default() += 1;
        // The book sees every hundredth (each check is a journal entry).
        if round % 100 == 1 && w.in_book(&token, CHECKED, Some(DOC_A)).allowed {
            accepted += 1;
        }
    }
    println!("mutations: {tried} tried, {same} unchanged by trimming (skipped), accepted {accepted}; offline reasons {reasons:?}");
    assert!(tried >= 10_000, "{tried}");
    assert_eq!(accepted, 0);
}
