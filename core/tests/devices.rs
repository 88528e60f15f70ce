//! Many devices, one record book: device chains, order-independent merges,
//! device-scoped serials, surfaced conflicts and damaged chains.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::many_single_char_names,
    clippy::needless_pass_by_value,
    reason = "tests fail loudly; the property test's indices are short on purpose"
)]

use precinct::{
    parse_instant, Book, CheckpointChain, Command, ConflictKind, DeviceBook, Error, Policy,
    StationKey,
};
use proptest::prelude::*;
use serde_json::json;

fn at(text: &str) -> precinct::Instant {
    parse_instant(text, Policy::default().zone()).unwrap()
}

fn key() -> StationKey {
    StationKey::from_seed([7; 32])
}

/// The base every device starts from: an empty station with a signing key.
fn base() -> String {
    let mut book = Book::in_memory(Policy::default()).unwrap();
    book.execute(
        "desk",
        at("2020-01-20 08:00"),
        Command::AddStationKey {
            key: key().public(),
            valid_from: at("2020-01-20 08:00"),
            valid_until: None,
        },
    )
    .unwrap();
    book.snapshot().to_text()
}

fn command(value: serde_json::Value) -> Command {
    Command::from_json(&value).unwrap()
}

fn register(id: &str, passport: &str) -> Command {
    command(json!({"type": "register_person", "person": {
        "id": id, "name": "Wang Fang",
        "document": {"kind": "passport", "nationality": "CHN", "number": passport},
        "household": null, "phone": null, "has_smartphone": false}}))
}

fn issue_pass(holder: &str) -> Command {
    command(json!({"type": "issue_pass", "application": {
        "holder": holder, "kind": "county", "enterprise": null, "scope": "Yaozhuang"}}))
}

fn isolate(order: &str, person: &str, arrived: &str) -> Command {
    command(
        json!({"type": "order_home_isolation", "order": order, "person": person,
        "arrived": arrived, "reason": "returned from a high-risk area"}),
    )
}

fn check(token: &str) -> Command {
    command(json!({"type": "check_pass", "checkpoint": "highway exit", "token": token}))
}

/// Both books take each other's events.
fn sync(a: &mut DeviceBook, b: &mut DeviceBook) {
    b.merge(&a.lines_since(&b.frontier())).unwrap();
    a.merge(&b.lines_since(&a.frontier())).unwrap();
}

fn devices() -> (DeviceBook, DeviceBook) {
    let base = base();
    (
        DeviceBook::create(&base, "desk", 1).unwrap(),
        DeviceBook::create(&base, "team-1", 2).unwrap(),
    )
}

#[test]
fn serials_issued_offline_come_from_each_devices_block() {
    let (mut desk, mut team) = devices();
    desk.execute("li", at("2020-02-01 09:00"), register("P-desk-1", "E1"))
        .unwrap();
    team.execute("wang", at("2020-02-01 09:00"), register("P-team-1", "E2"))
        .unwrap();
    sync(&mut desk, &mut team);
    let a = desk
        .execute("li", at("2020-02-01 10:00"), issue_pass("P-desk-1"))
        .unwrap();
    let b = team
        .execute("wang", at("2020-02-01 10:00"), issue_pass("P-team-1"))
        .unwrap();
    let serial = |o: &precinct::Outcome| match o {
        precinct::Outcome::PassIssued { serial } => *serial,
        other => panic!("expected a pass, got {other:?}"),
    };
    assert_eq!(serial(&a.outcome), 1 << 32);
    assert_eq!(serial(&b.outcome), 2 << 32);
    sync(&mut desk, &mut team);
    assert_eq!(desk.station(), team.station());
    assert!(desk.conflicts().is_empty(), "{:?}", desk.conflicts());
    assert_eq!(desk.station().passes().passes().count(), 2);
}

#[test]
fn a_pass_to_a_person_isolated_on_another_device_is_surfaced_and_resolved() {
    let (mut desk, mut team) = devices();
    desk.execute("li", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    sync(&mut desk, &mut team);
    // Offline: the team isolates P1, later the desk issues P1 a pass.
    team.execute(
        "wang",
        at("2020-02-02 09:00"),
        isolate("O-team-1-2", "P1", "2020-02-01T20:00:00+08:00"),
    )
    .unwrap();
    desk.execute("li", at("2020-02-02 11:00"), issue_pass("P1"))
        .unwrap();
    sync(&mut desk, &mut team);
    assert_eq!(desk.station(), team.station());
    let conflicts = team.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert_eq!(c.kind, ConflictKind::PassToIsolatedPerson);
    assert_eq!((c.event.device.as_str(), c.event.seq), ("desk", 2));
    let earlier = c.earlier.as_ref().expect("the isolation order's event");
    assert_eq!((earlier.device.as_str(), earlier.seq), ("team-1", 1));
    assert!(c.applied, "the pass exists: its holder has it");
    assert_eq!(desk.station().passes().passes().count(), 1);
    // A person decides: revoke the pass, and record the decision.
    team.execute(
        "chief",
        at("2020-02-02 12:00"),
        command(json!({"type": "revoke_pass", "serial": 1u64 << 32})),
    )
    .unwrap();
    team.execute(
        "chief",
        at("2020-02-02 12:01"),
        Command::ResolveConflict {
            conflict: c.id.clone(),
            decision: "revoked: the holder is under isolation".into(),
            kind: Some(ConflictKind::PassToIsolatedPerson),
        },
    )
    .unwrap();
    sync(&mut desk, &mut team);
    assert!(desk.conflicts().is_empty() && team.conflicts().is_empty());
    assert_eq!(desk.all_conflicts().len(), 1, "kept as history");
    assert_eq!(desk.station(), team.station());
    // Resolving it again, or an unknown one, is refused.
    let again = desk.execute(
        "chief",
        at("2020-02-02 12:05"),
        Command::ResolveConflict {
            conflict: c.id.clone(),
            decision: "again".into(),
            kind: None,
        },
    );
    assert!(matches!(again, Err(Error::NotFound { .. })), "{again:?}");
}

#[test]
fn one_document_registered_on_two_devices_stays_as_two_persons_until_merged() {
    let (mut desk, mut team) = devices();
    desk.execute("li", at("2020-02-01 09:00"), register("P-desk-1", "E9"))
        .unwrap();
    team.execute("wang", at("2020-02-01 09:30"), register("P-team-1-1", "E9"))
        .unwrap();
    sync(&mut desk, &mut team);
    let conflicts = desk.conflicts();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].kind, ConflictKind::DocumentRegisteredTwice);
    assert_eq!(conflicts[0].event.device, "team-1");
    assert_eq!(conflicts[0].earlier.as_ref().unwrap().device, "desk");
    assert_eq!(desk.station().residents().persons().count(), 2);
    desk.execute(
        "chief",
        at("2020-02-01 12:00"),
        Command::MergePersons {
            keep: "P-desk-1".into(),
            duplicate: "P-team-1-1".into(),
        },
    )
    .unwrap();
    desk.execute(
        "chief",
        at("2020-02-01 12:01"),
        Command::ResolveConflict {
            conflict: conflicts[0].id.clone(),
            decision: "the same person: merged".into(),
            kind: None,
        },
    )
    .unwrap();
    sync(&mut desk, &mut team);
    assert!(team.conflicts().is_empty());
    assert_eq!(
        desk.devices(),
        [("desk".to_string(), 1), ("team-1".to_string(), 2)].into()
    );
    assert_eq!(team.station().residents().persons().count(), 1);
    assert_eq!(desk.station(), team.station());
}

#[test]
fn a_check_allowed_after_a_revocation_on_another_device_stands_and_is_surfaced() {
    let (mut desk, mut team) = devices();
    desk.execute("li", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    desk.execute("li", at("2020-02-01 09:10"), issue_pass("P1"))
        .unwrap();
    let token = desk.station().passes().token(1 << 32, &key()).unwrap();
    sync(&mut desk, &mut team);
    // Offline: the desk revokes, the checkpoint (team) lets the pass through later.
    desk.execute(
        "li",
        at("2020-02-02 09:00"),
        command(json!({"type": "revoke_pass", "serial": 1u64 << 32})),
    )
    .unwrap();
    let checked = team
        .execute("wang", at("2020-02-02 10:00"), check(&token))
        .unwrap();
    assert!(
        matches!(checked.outcome, precinct::Outcome::Checked { ref verdict } if verdict.allowed)
    );
    sync(&mut desk, &mut team);
    let conflicts = desk.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].kind, ConflictKind::CheckedAfterRevocation);
    assert_eq!(conflicts[0].earlier.as_ref().unwrap().device, "desk");
    // The crossing stands as the checkpoint decided it.
    let crossings = desk.station().checkpoints().crossings();
    assert!(crossings.last().unwrap().verdict.allowed);
    assert_eq!(desk.station(), team.station());
}

#[test]
fn a_damaged_chain_is_refused_with_its_device_and_sequence_number() {
    let (mut desk, mut team) = devices();
    for (i, doc) in ["E1", "E2", "E3"].iter().enumerate() {
        team.execute(
            "wang",
            at(&format!("2020-02-01 09:0{i}")),
            register(&format!("P{i}"), doc),
        )
        .unwrap();
    }
    let sent = team.lines_since(&desk.frontier());
    let lines: Vec<&str> = sent.lines().collect();
    // A changed byte.
    let changed = [
        lines[0],
        lines[1],
        &lines[2].replace("Wang Fang", "Wang Feng"),
        lines[3],
    ]
    .join("\n");
    let (device, seq, reason) = refused(&desk, changed);
    assert_eq!((device.as_str(), seq), ("team-1", 2), "{reason}");
    assert!(reason.contains("hash"), "{reason}");
    // A line removed.
    let removed = [lines[0], lines[1], lines[3]].join("\n");
    let (device, seq, reason) = refused(&desk, removed);
    assert_eq!((device.as_str(), seq), ("team-1", 2), "{reason}");
    assert!(reason.contains("missing"), "{reason}");
    // Lines in another order are the same chain (sorted by sequence number).
    desk.clone()
        .merge(&[lines[3], lines[0], lines[2], lines[1]].join("\n"))
        .unwrap();
    // A line re-sealed with a forged hash and another link.
    let forged = lines[2].replace("Wang Fang", "Li Lei");
    let body = &forged[..forged.len() - 75];
    let resealed = format!("{body},\"hash\":\"{}\"}}", sha256(body));
    let (_, seq, reason) = refused(&desk, [lines[0], lines[1], &resealed, lines[3]].join("\n"));
    assert_eq!(seq, 3, "the next line's link breaks: {reason}");
    // A device that rewrote what it had sent before.
    desk.merge(&sent).unwrap();
    let mut other = DeviceBook::create(&base(), "team-1", 2).unwrap();
    other
        .execute("x", at("2020-02-01 10:00"), register("Q", "E7"))
        .unwrap();
    let (device, seq, reason) = refused(&desk, other.journal_text());
    assert_eq!((device.as_str(), seq), ("team-1", 1), "{reason}");
    // A device of another base, and one taking a number already used.
    let mut policy = Policy::default();
    policy.pass_validity_days += 1;
    let other_base = serde_json::to_string(&Book::in_memory(policy).unwrap().snapshot()).unwrap();
    let stranger = DeviceBook::create(&other_base, "team-9", 9).unwrap();
    let (device, _, reason) = refused(&desk, stranger.journal_text());
    assert_eq!(device, "team-9");
    assert!(reason.contains("base"), "{reason}");
    let twin = DeviceBook::create(&base(), "team-2", 2).unwrap();
    let (_, _, reason) = refused(&desk, twin.journal_text());
    assert!(reason.contains("number 2"), "{reason}");
}

/// Merge `text` into a copy of `book`, expecting damage; nothing is taken.
fn refused(book: &DeviceBook, text: String) -> (String, u64, String) {
    let mut copy = book.clone();
    match copy.merge(&text) {
        Err(Error::DeviceChainDamaged {
            device,
            seq,
            reason,
        }) => {
            assert_eq!(copy.frontier(), book.frontier(), "nothing taken");
            (device, seq, reason)
        }
        other => panic!("expected damage, got {other:?}"),
    }
}

fn sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

#[test]
fn reopening_from_the_kept_lines_gives_the_same_book() {
    let (mut desk, mut team) = devices();
    desk.execute("li", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    team.execute("wang", at("2020-02-01 08:00"), register("P2", "E1"))
        .unwrap();
    sync(&mut desk, &mut team);
    let again = DeviceBook::open(&base(), "desk", &desk.journal_text()).unwrap();
    assert_eq!(again.station(), desk.station());
    assert_eq!(again.conflicts(), desk.conflicts());
    assert_eq!(again.frontier(), desk.frontier());
    let missing = DeviceBook::open(&base(), "team-7", &desk.journal_text());
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
}

#[test]
fn bad_device_names_and_numbers_are_refused() {
    for name in ["", "a b", "team/1", "x".repeat(65).as_str(), "设备"] {
        let e = DeviceBook::create(&base(), name, 1).unwrap_err();
        assert!(
            matches!(e, Error::InvalidValue { ref field, .. } if field == "device"),
            "{e}"
        );
    }
    for number in [0, 65_536, u32::MAX] {
        let e = DeviceBook::create(&base(), "d", number).unwrap_err();
        assert!(e.to_string().contains("1 to 65535"), "{e}");
    }
    let e = DeviceBook::create("{\"seq\": 1}", "d", 1).unwrap_err();
    assert!(e.to_string().contains("snapshot"), "{e}");
}

/// One step a device may take: all refer to a small pool of persons and
/// documents so that devices collide.
#[derive(Debug, Clone)]
enum Step {
    Register {
        person: u8,
        doc: u8,
    },
    Isolate {
        person: u8,
    },
    Issue {
        person: u8,
    },
    Revoke {
        nth: u8,
    },
    Check {
        nth: u8,
    },
    /// Exchange lines with another device.
    Sync {
        with: u8,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..6u8, 0..4u8).prop_map(|(person, doc)| Step::Register { person, doc }),
        (0..6u8).prop_map(|person| Step::Isolate { person }),
        (0..6u8).prop_map(|person| Step::Issue { person }),
        (0..4u8).prop_map(|nth| Step::Revoke { nth }),
        (0..4u8).prop_map(|nth| Step::Check { nth }),
        (0..4u8).prop_map(|with| Step::Sync { with }),
    ]
}

/// Run the steps, device by device in turn, with times that go forward on
/// each device but interleave across devices. Returns the books.
fn run(steps: &[(u8, u32, Step)], n: usize) -> (Vec<DeviceBook>, u64) {
    let base = base();
    let mut books: Vec<DeviceBook> = (0..n)
        .map(|i| DeviceBook::create(&base, &format!("d{i}"), i as u32 + 1).unwrap())
        .collect();
    let mut recorded = 0;
    let start = at("2020-02-01 08:00");
    for (i, (who, minutes, step)) in steps.iter().enumerate() {
        let d = usize::from(*who) % n;
        let when = start + chrono::Duration::minutes(i64::from(*minutes) + i as i64);
        let book = &mut books[d];
        let persons: Vec<String> = book
            .station()
            .residents()
            .persons()
            .map(|p| p.id.to_string())
            .collect();
        let passes: Vec<u64> = book.station().passes().passes().map(|p| p.serial).collect();
        let pick = |v: &[String], k: u8| v.get(usize::from(k) % v.len().max(1)).cloned();
        let cmd = match step {
            Step::Register { person, doc } => Some(register(
                &format!("P{person}-{}", book.new_id("x")),
                &format!("E{doc}"),
            )),
            Step::Isolate { person } => pick(&persons, *person).map(|p| {
                isolate(
                    &book.new_id("O"),
                    &p,
                    &when.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                )
            }),
            Step::Issue { person } => pick(&persons, *person).map(|p| issue_pass(&p)),
            Step::Revoke { nth } => passes
                .get(usize::from(*nth) % passes.len().max(1))
                .map(|s| command(json!({"type": "revoke_pass", "serial": s}))),
            Step::Check { nth } => passes
                .get(usize::from(*nth) % passes.len().max(1))
                .map(|s| check(&book.station().passes().token(*s, &key()).unwrap())),
            Step::Sync { with } => {
                let o = usize::from(*with) % n;
                if o != d {
                    let (a, b) = if d < o {
                        let (x, y) = books.split_at_mut(o);
                        (&mut x[d], &mut y[0])
                    } else {
                        let (x, y) = books.split_at_mut(d);
                        (&mut y[0], &mut x[o])
                    };
                    sync(a, b);
                }
                None
            }
        };
        if let Some(cmd) = cmd {
            if books[d].execute("officer", when, cmd).is_ok() {
                recorded += 1;
            }
        }
    }
    (books, recorded)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever order devices sync in, once every device has every event
    /// they hold the same records and the same conflicts, no event is lost,
    /// and a book opened afresh from the union of the lines (devices in any
    /// order) agrees.
    #[test]
    fn the_merged_book_is_a_function_of_the_set_of_events(
        steps in proptest::collection::vec((0..4u8, 0..90u32, step()), 1..60),
        n in 2..5usize,
        rotate in 0..4usize,
    ) {
        let (mut books, recorded) = run(&steps, n);
        // Everyone syncs with everyone, in a rotated order.
        for round in 0..2 {
            for i in 0..n {
                for j in 0..n {
                    let (a, b) = ((i + rotate + round) % n, j);
                    if a != b {
                        let lines = books[a].lines_since(&books[b].frontier());
                        books[b].merge(&lines).unwrap();
                    }
                }
            }
        }
        let first = &books[0];
        prop_assert_eq!(first.events(), recorded);
        for other in &books[1..] {
            prop_assert_eq!(other.station(), first.station());
            prop_assert_eq!(other.conflicts(), first.conflicts());
            prop_assert_eq!(other.frontier(), first.frontier());
        }
        // The union of the lines, devices in reverse order, opened afresh.
        let mut text = String::new();
        for b in books.iter().rev() {
            let mut own = precinct::Frontier::new();
            for (d, _) in b.frontier() {
                if d != b.device() {
                    own.insert(d, u64::MAX);
                }
            }
            text.push_str(&b.lines_since(&own));
        }
        let fresh = DeviceBook::open(&base(), "d0", &text).unwrap();
        prop_assert_eq!(fresh.station(), first.station());
        prop_assert_eq!(fresh.conflicts(), first.conflicts());
    }
}

/// `line` with `from` replaced by `to` and its hash made good again: a
/// forgery, which only the checks of an event's content can catch.
fn resealed(line: &str, from: &str, to: &str) -> String {
    assert!(line.contains(from), "{from} not in {line}");
    let changed = line.trim_end().replacen(from, to, 1);
    let body = &changed[..changed.len() - 75];
    format!("{body},\"hash\":\"{}\"}}\n", sha256(body))
}

#[test]
fn a_forged_event_that_no_device_writes_is_refused() {
    let (desk, mut team) = devices();
    team.execute("wang", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    let sent = team.journal_text();
    let lines: Vec<&str> = sent.lines().collect();
    let hlc = "\"hlc\":\"2020-02-01T01:00:00Z\"";
    for (from, to, says) in [
        (
            hlc,
            "\"hlc\":\"+262142-12-31T23:59:59.999999999Z\"",
            "calendar",
        ),
        (hlc, "\"hlc\":\"+10000-01-01T00:00:00Z\"", "calendar"),
        ("\"v\":3", "\"v\":1", "format version 1"),
        ("\"by\":\"wang\"", "\"by\":\"  \"", "empty `by`"),
    ] {
        let forged = format!("{}\n{}", lines[0], resealed(lines[1], from, to));
        let (device, seq, reason) = refused(&desk, forged);
        assert_eq!((device.as_str(), seq), ("team-1", 1), "{reason}");
        assert!(reason.contains(says), "{says}: {reason}");
    }
}

#[test]
fn a_pass_from_a_device_whose_clock_is_behind_is_revoked_by_the_order_it_preceded() {
    let (mut desk, mut team) = devices();
    desk.execute("li", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    desk.execute(
        "li",
        at("2020-02-01 12:00"),
        isolate("O-desk-2", "P1", "2020-02-01T12:00:00+08:00"),
    )
    .unwrap();
    team.merge(&desk.lines_since(&team.frontier())).unwrap();
    // The team's clock says 09:10: by it, the order has not started.
    team.execute("wang", at("2020-02-01 09:10"), issue_pass("P1"))
        .unwrap();
    desk.merge(&team.lines_since(&desk.frontier())).unwrap();
    for book in [&desk, &team] {
        let pass = book.station().passes().pass(2 << 32).unwrap();
        assert_eq!(pass.revoked_at, Some(at("2020-02-01 12:00")), "{pass:?}");
        assert_eq!(
            pass.revoked_by_order
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("O-desk-2")
        );
    }
    assert_eq!(desk.station(), team.station());
    // As in one book where the pass came first.
    let mut one = Book::in_memory(Policy::default()).unwrap();
    one.execute("li", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    one.execute("wang", at("2020-02-01 09:10"), issue_pass("P1"))
        .unwrap();
    one.execute(
        "li",
        at("2020-02-01 12:00"),
        isolate("O-desk-2", "P1", "2020-02-01T12:00:00+08:00"),
    )
    .unwrap();
    let single = one.station().passes().pass(1).unwrap();
    assert_eq!(single.revoked_at, Some(at("2020-02-01 12:00")));
}

#[test]
fn a_merge_counts_only_lines_it_held_as_known() {
    let (mut desk, team) = devices();
    let report = desk.merge(&team.journal_text()).unwrap();
    assert_eq!((report.added, report.known), (0, 0));
    let report = desk.merge(&team.journal_text()).unwrap();
    assert_eq!((report.added, report.known), (0, 1));
}

/// A checkpoint kit's verdict on `token`: the station's key and the
/// revocation list as the kit holds them.
fn kit_verdict(token: &str, revoked: &[u64], when: &str) -> precinct::Verdict {
    let list = precinct::RevocationList {
        serials: revoked.iter().copied().collect(),
    };
    precinct::verify_token(token, &key().public(), &list, at(when), None)
}

#[test]
fn a_checkpoint_chain_merges_its_crossings_as_the_kit_decided_them() {
    let (mut desk, mut team) = devices();
    desk.execute("li", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    desk.execute("li", at("2020-02-01 09:10"), issue_pass("P1"))
        .unwrap();
    let serial = 1u64 << 32;
    let token = desk.station().passes().token(serial, &key()).unwrap();
    let mut tablet = CheckpointChain::start("exit-3", 7, desk.base_hash()).unwrap();
    // The kit was made before the desk revoked the pass: the tablet lets it through.
    desk.execute(
        "li",
        at("2020-02-02 09:00"),
        command(json!({"type": "revoke_pass", "serial": serial})),
    )
    .unwrap();
    let allowed = kit_verdict(&token, &[], "2020-02-02 10:00");
    assert!(allowed.allowed);
    tablet
        .record_crossing(
            "zhao",
            at("2020-02-02 10:00"),
            "highway exit 3",
            &token,
            None,
            allowed,
        )
        .unwrap();
    // A refreshed kit denies it.
    let denied = kit_verdict(&token, &[serial], "2020-02-02 11:00");
    assert!(!denied.allowed);
    tablet
        .record_crossing(
            "zhao",
            at("2020-02-02 11:00"),
            "highway exit 3",
            &token,
            None,
            denied,
        )
        .unwrap();
    // The tablet syncs with the team first, the team with the desk: the
    // same book as the desk taking the tablet's lines directly.
    team.merge(&tablet.lines_since(&team.frontier())).unwrap();
    sync(&mut desk, &mut team);
    let mut direct = DeviceBook::create(&base(), "desk-2", 3).unwrap();
    direct.merge(&desk.journal_text()).unwrap();
    assert_eq!(desk.station(), team.station());
    assert_eq!(desk.station(), direct.station());
    let conflicts = desk.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].kind, ConflictKind::CheckedAfterRevocation);
    assert_eq!(conflicts[0].event.device, "exit-3");
    assert_eq!(conflicts[0].earlier.as_ref().unwrap().device, "desk");
    let crossings = desk.station().checkpoints().crossings();
    let verdicts: Vec<bool> = crossings.iter().map(|c| c.verdict.allowed).collect();
    assert_eq!(
        verdicts,
        [true, false],
        "each crossing as the kit decided it"
    );
    // Reopened from its lines, the chain goes on where it stood.
    let mut again = CheckpointChain::open(&tablet.journal_text()).unwrap();
    assert_eq!(
        (again.device(), again.number(), again.events()),
        ("exit-3", 7, 2)
    );
    assert_eq!(again.base_hash(), desk.base_hash());
    let late = kit_verdict(&token, &[serial], "2020-02-02 12:00");
    again
        .record_crossing(
            "zhao",
            at("2020-02-02 12:00"),
            "highway exit 3",
            &token,
            None,
            late,
        )
        .unwrap();
    let report = desk.merge(&again.lines_since(&desk.frontier())).unwrap();
    assert_eq!((report.added, report.conflicts.len()), (1, 0));
}

#[test]
fn a_checkpoint_chain_refuses_what_no_checkpoint_records() {
    let base_hash = DeviceBook::create(&base(), "desk", 1)
        .unwrap()
        .base_hash()
        .to_string();
    for (device, number, hash) in [
        ("", 7, base_hash.as_str()),
        ("exit 3", 7, &base_hash),
        ("exit-3", 0, &base_hash),
        ("exit-3", 70_000, &base_hash),
        ("exit-3", 7, "abc"),
        (
            "exit-3",
            7,
            &base_hash.replace(|c: char| c.is_ascii_digit(), "g"),
        ),
    ] {
        let err = CheckpointChain::start(device, number, hash).unwrap_err();
        assert!(
            matches!(err, Error::InvalidValue { .. }),
            "{device} {number} {hash}: {err}"
        );
    }
    let mut tablet = CheckpointChain::start("exit-3", 7, &base_hash).unwrap();
    let denied = kit_verdict("PC1.x", &[], "2020-02-02 10:00");
    let mut allowed_with_reason = denied.clone();
    allowed_with_reason.allowed = true;
    let mut denied_without_reason = denied.clone();
    denied_without_reason.reason = None;
    let when = at("2020-02-02 10:00");
    for (by, checkpoint, verdict) in [
        ("", "exit", denied.clone()),
        ("zhao", " ", denied.clone()),
        ("zhao", "ex\nit", denied.clone()),
        ("zhao", "exit", allowed_with_reason),
        ("zhao", "exit", denied_without_reason),
    ] {
        let err = tablet
            .record_crossing(by, when, checkpoint, "PC1.x", None, verdict)
            .unwrap_err();
        assert!(matches!(err, Error::InvalidValue { .. }), "{err}");
    }
    assert_eq!(tablet.events(), 0, "nothing recorded");
    // A clock that went back still writes after the last event.
    tablet
        .record_crossing("zhao", when, "exit", "PC1.x", None, denied.clone())
        .unwrap();
    tablet
        .record_crossing(
            "zhao",
            at("2020-02-01 10:00"),
            "exit",
            "PC1.x",
            None,
            denied,
        )
        .unwrap();
    let text = tablet.journal_text();
    let mut desk = DeviceBook::create(&base(), "desk", 1).unwrap();
    assert_eq!(desk.merge(&text).unwrap().added, 2);
    // Damage, another device's lines, nothing at all.
    let changed = text.replace("\"exit\"", "\"exut\"");
    assert!(matches!(
        CheckpointChain::open(&changed),
        Err(Error::DeviceChainDamaged { ref device, seq: 1, .. }) if device == "exit-3"
    ));
    let other = DeviceBook::create(&base(), "desk", 1)
        .unwrap()
        .journal_text();
    assert!(matches!(
        CheckpointChain::open(&format!("{text}{other}")),
        Err(Error::DeviceChainDamaged { .. })
    ));
    assert!(matches!(
        CheckpointChain::open("\n"),
        Err(Error::NotFound { .. })
    ));
    // A device book's own lines are not a checkpoint's: opened as one, its
    // next event would split that device's chain.
    let mut desk = DeviceBook::create(&base(), "desk", 1).unwrap();
    desk.execute("li", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    assert!(matches!(
        CheckpointChain::open(&desk.journal_text()),
        Err(Error::DeviceChainDamaged { seq: 1, .. })
    ));
    let without_header = text.split_inclusive('\n').skip(1).collect::<String>();
    assert!(matches!(
        CheckpointChain::open(&without_header),
        Err(Error::DeviceChainDamaged { seq: 0, .. })
    ));
}

#[test]
fn a_book_reopens_with_a_base_hash_the_caller_computed() {
    let (mut desk, _) = devices();
    desk.execute("li", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    let (base, journal) = (base(), desk.journal_text());
    let again =
        DeviceBook::open_with_base_hash(&base, &sha256(&base).to_uppercase(), "desk", &journal)
            .unwrap();
    assert_eq!(again.station(), desk.station());
    assert_eq!(again.base_hash(), desk.base_hash());
    // The hash of another text is not the base of the device's header.
    let other = sha256("another base");
    match DeviceBook::open_with_base_hash(&base, &other, "desk", &journal) {
        Err(Error::DeviceChainDamaged {
            device,
            seq: 0,
            reason,
        }) => {
            assert_eq!(device, "desk");
            assert!(reason.contains("another base"), "{reason}");
        }
        other => panic!("expected damage, got {other:?}"),
    }
    for bad in ["", "abc", &"g".repeat(64)] {
        assert!(matches!(
            DeviceBook::open_with_base_hash(&base, bad, "desk", &journal),
            Err(Error::InvalidValue { .. })
        ));
    }
}

#[test]
fn a_decision_closes_a_conflict_only_while_it_is_of_the_kind_decided() {
    // A tablet lets a pass through with a kit from before the team revoked
    // it; the desk hears of the tablet before the team: at first the pass
    // is unknown (verdict_differs), and the chief decides that.
    let base = base();
    let mut desk = DeviceBook::create(&base, "desk", 1).unwrap();
    let mut team = DeviceBook::create(&base, "team-1", 2).unwrap();
    team.execute("wang", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    team.execute("wang", at("2020-02-01 09:10"), issue_pass("P1"))
        .unwrap();
    let serial = 2u64 << 32;
    let token = team.station().passes().token(serial, &key()).unwrap();
    team.execute(
        "wang",
        at("2020-02-01 10:00"),
        command(json!({"type": "revoke_pass", "serial": serial})),
    )
    .unwrap();
    let mut tablet = CheckpointChain::start("exit-3", 7, desk.base_hash()).unwrap();
    let stale = kit_verdict(&token, &[], "2020-02-01 12:00");
    tablet
        .record_crossing("zhao", at("2020-02-01 12:00"), "exit", &token, None, stale)
        .unwrap();
    desk.merge(&tablet.journal_text()).unwrap();
    let first = desk.conflicts();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].kind, ConflictKind::VerdictDiffers);
    // Naming another kind than the conflict's is refused.
    let wrong = desk.execute(
        "chief",
        at("2020-02-01 13:00"),
        Command::ResolveConflict {
            conflict: first[0].id.clone(),
            decision: "x".into(),
            kind: Some(ConflictKind::Refused),
        },
    );
    assert!(
        matches!(wrong, Err(Error::InvalidValue { .. })),
        "{wrong:?}"
    );
    desk.execute(
        "chief",
        at("2020-02-01 13:00"),
        command(json!({"type": "resolve_conflict", "conflict": first[0].id, "decision": "a pass from a team not synced yet"})),
    )
    .unwrap();
    assert!(desk.conflicts().is_empty());
    // The team's events come: the same crossing is now a pass let through
    // after its revocation, a new question, open on every device.
    sync(&mut desk, &mut team);
    for book in [&desk, &team] {
        let open = book.conflicts();
        assert_eq!(open.len(), 1, "{open:?}");
        assert_eq!(open[0].kind, ConflictKind::CheckedAfterRevocation);
    }
    let mut fresh = DeviceBook::create(&base, "desk-2", 3).unwrap();
    fresh.merge(&desk.journal_text()).unwrap();
    assert_eq!(fresh.conflicts(), desk.conflicts());
    // The names are the ones written in lines.
    for kind in [
        ConflictKind::VerdictDiffers,
        ConflictKind::CheckedAfterRevocation,
    ] {
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.name()));
    }
}

#[test]
fn a_verdict_on_another_pass_than_its_token_is_refused_or_surfaced() {
    let (mut desk, _) = devices();
    desk.execute("li", at("2020-02-01 09:00"), register("P1", "E1"))
        .unwrap();
    desk.execute("li", at("2020-02-01 09:01"), register("P2", "E2"))
        .unwrap();
    desk.execute("li", at("2020-02-01 09:10"), issue_pass("P1"))
        .unwrap();
    desk.execute("li", at("2020-02-01 09:11"), issue_pass("P2"))
        .unwrap();
    let token = |serial: u64| desk.station().passes().token(serial, &key()).unwrap();
    let (a, b) = (token(1 << 32), token((1 << 32) + 1));
    let mut tablet = CheckpointChain::start("exit-3", 7, desk.base_hash()).unwrap();
    let when = at("2020-02-01 12:00");
    // The kit's verdict of B recorded as A's: refused, nothing recorded.
    let of_b = kit_verdict(&b, &[], "2020-02-01 12:00");
    let err = tablet
        .record_crossing("zhao", when, "exit", &a, None, of_b)
        .unwrap_err();
    assert!(matches!(err, Error::InvalidValue { .. }), "{err}");
    // Too long a checkpoint name or token; a clock at the calendar's end.
    let of_a = kit_verdict(&a, &[], "2020-02-01 12:00");
    for (name, tok, when) in [
        ("x".repeat(201), a.clone(), when),
        ("exit".to_string(), "x".repeat(3000), when),
        ("exit".to_string(), a.clone(), at("9999-12-31 23:59")),
    ] {
        let err = tablet
            .record_crossing("zhao", when, &name, &tok, None, of_a.clone())
            .unwrap_err();
        assert!(matches!(err, Error::InvalidValue { .. }), "{err}");
    }
    assert_eq!(tablet.events(), 0);
    let late = desk.execute("li", at("9999-06-01 00:00"), register("P3", "E3"));
    assert!(matches!(late, Err(Error::InvalidValue { .. })), "{late:?}");
    // A line rewritten to name B while keeping A's token: merged, the
    // crossing keeps what the token says, and the rewrite is surfaced.
    tablet
        .record_crossing("zhao", when, "exit", &a, None, of_a)
        .unwrap();
    let lines: Vec<String> = tablet.journal_text().lines().map(str::to_string).collect();
    let claims_b = serde_json::to_string(&kit_verdict(&b, &[], "2020-02-01 12:00").claims).unwrap();
    let claims_a = serde_json::to_string(&kit_verdict(&a, &[], "2020-02-01 12:00").claims).unwrap();
    let forged = format!(
        "{}\n{}",
        lines[0],
        resealed(&lines[1], &claims_a, &claims_b)
    );
    desk.merge(&forged).unwrap();
    let conflicts = desk.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].kind, ConflictKind::VerdictDiffers);
    let crossing = desk
        .station()
        .checkpoints()
        .crossings()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        crossing.verdict.claims.unwrap().serial,
        1 << 32,
        "what the token says"
    );
}
