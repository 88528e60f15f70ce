//! The record book: replay, snapshots, tamper detection, locking, audit,
//! versioning and the privacy export.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

use precinct::demo::{demo_station, write_story, DemoSize};
use precinct::{
    parse_instant, Book, Channel, Command, Error, ForeignStay, Household, IdDocument, Instant,
    Outcome, PassApplication, PassKind, Person, Policy, ResidentId, ServiceKind, Snapshot, Subject,
};
use sha2::{Digest, Sha256};

fn at(text: &str) -> Instant {
    parse_instant(text, Policy::default().zone()).unwrap()
}

fn person(id: &str, number: &str, household: Option<&str>, smartphone: bool) -> Person {
    Person {
        id: id.into(),
        name: "王秀英".into(),
        document: IdDocument::Resident {
            number: ResidentId::parse(number).unwrap(),
        },
        household: household.map(Into::into),
        phone: Some("13912345678".parse().unwrap()),
        has_smartphone: Some(smartphone),
    }
}

/// A short story touching several areas: 10 events.
fn short_story(book: &mut Book) {
    let cmds = [
        Command::AddHousehold {
            household: Household {
                id: "H1".into(),
                village: "Yaozhuang".into(),
                group: "3".into(),
                address: "18 Old Street".into(),
                landlord: None,
            },
        },
        Command::RegisterPerson {
            person: person("P1", "11010519491231002X", Some("H1"), true),
        },
        Command::RegisterPerson {
            person: person("P2", "440524188001010014", Some("H1"), false),
        },
        Command::SetLandlord {
            household: "H1".into(),
            landlord: "P1".into(),
        },
        Command::SignCommitment {
            household: "H1".into(),
            landlord: "P1".into(),
            day: "2020-01-31".parse().unwrap(),
        },
        Command::FileDailyReport {
            household: "H1".into(),
            day: "2020-02-01".parse().unwrap(),
            changes: vec![],
        },
        Command::IssuePass {
            application: PassApplication {
                holder: "P2".into(),
                kind: PassKind::County,
                enterprise: None,
                scope: "town".into(),
            },
        },
        Command::RevokePass { serial: 1 },
        Command::AddStay {
            stay: ForeignStay {
                id: "S1".into(),
                name: "ANNA ERIKSSON".into(),
                nationality: "SWE".into(),
                passport_number: "L898902C3".into(),
                address: "6 Xicun Lane".into(),
                host: "李秀英".into(),
                arrival: at("2020-01-31 10:00"),
                registered_at: None,
                channel: None,
            },
        },
        Command::RecordService {
            kind: ServiceKind::ExitEntry,
            channel: Channel::Online,
            count: 3,
        },
    ];
    for (k, cmd) in cmds.into_iter().enumerate() {
        let when = at("2020-02-01 09:00") + chrono::Duration::minutes(k as i64);
        book.execute("officer-wang", when, cmd).unwrap();
    }
}

fn short_journal() -> String {
    let mut book = Book::in_memory(Policy::default()).unwrap();
    short_story(&mut book);
    book.journal_text().unwrap().to_string()
}

fn damaged_at(result: Result<Book, Error>) -> (u64, String) {
    match result {
        Err(Error::JournalDamaged { seq, reason, .. }) => (seq, reason),
        Err(e) => panic!("expected journal damage, got {e}"),
        Ok(_) => panic!("a damaged journal was accepted"),
    }
}

/// Hash a line body as the format says, independently of the library.
fn seal(body: &str, prev: &str) -> (String, String) {
    let body = body.replace("PREV", prev);
    let open = body.strip_suffix('}').unwrap();
    let hash = format!("{:x}", Sha256::digest(open.as_bytes()));
    (format!("{open},\"hash\":\"{hash}\"}}\n"), hash)
}

#[test]
fn replaying_the_whole_story_gives_the_same_book() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.journal");
    let mut book = Book::create(&path, Policy::default()).unwrap();
    write_story(&mut book, 7, DemoSize::SMALL).unwrap();
    let (seq, head) = (book.seq(), book.head().to_string());
    drop(book);

    let reopened = Book::open(&path).unwrap();
    assert!(!reopened.recovery().created);
    assert_eq!(reopened.recovery().events, seq);
    assert_eq!(reopened.head(), head);
    assert_eq!(
        *reopened.station(),
        demo_station(7, DemoSize::SMALL).unwrap()
    );
    // The story refuses to be written twice into one book.
    let mut reopened = reopened;
    assert!(write_story(&mut reopened, 7, DemoSize::SMALL).is_err());
}

#[test]
fn a_snapshot_loads_back_identically_and_a_journal_can_start_from_it() {
    let mut book = Book::in_memory(Policy::default()).unwrap();
    short_story(&mut book);
    let snapshot = book.snapshot();
    let json = serde_json::to_string(&snapshot).unwrap();
    let back: Snapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(back, snapshot);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("from-snapshot.journal");
    let mut continued = Book::create_from_snapshot(&path, &back).unwrap();
    assert_eq!(continued.station(), book.station());
    let receipt = continued
        .execute(
            "officer-li",
            at("2020-02-02 20:00"),
            Command::FileDailyReport {
                household: "H1".into(),
                day: "2020-02-02".parse().unwrap(),
                changes: vec![],
            },
        )
        .unwrap();
    assert_eq!(receipt.seq, snapshot.seq + 1);
    let expected = continued.station().clone();
    drop(continued);
    let reopened = Book::open(&path).unwrap();
    assert_eq!(reopened.recovery().first_seq, snapshot.seq);
    assert_eq!(reopened.recovery().events, 1);
    assert_eq!(*reopened.station(), expected);
}

#[test]
fn a_refused_command_changes_nothing() {
    let mut book = Book::in_memory(Policy::default()).unwrap();
    short_story(&mut book);
    let before = book.station().clone();
    let (seq, text) = (book.seq(), book.journal_text().unwrap().to_string());
    let refused = [
        Command::RegisterPerson {
            person: person("P9", "11010519491231002X", None, true),
        },
        Command::SetLandlord {
            household: "H9".into(),
            landlord: "P1".into(),
        },
        Command::FileDailyReport {
            household: "H1".into(),
            day: "2020-02-01".parse().unwrap(),
            changes: vec![],
        },
        Command::RevokePass { serial: 1 },
        Command::RevokePass { serial: 99 },
        Command::IssuePass {
            application: PassApplication {
                holder: "P1".into(),
                kind: PassKind::County,
                enterprise: None,
                scope: "town".into(),
            },
        },
        Command::RegisterStay {
            stay: "S9".into(),
            channel: Channel::Video,
        },
        Command::ReleaseOrder {
            order: "HI-9".into(),
        },
        Command::FindContacts {
            cases: vec!["C9".into()],
        },
        Command::RecordService {
            kind: ServiceKind::ExitEntry,
            channel: Channel::Online,
            count: 0,
        },
        Command::FormTeam {
            id: "T1".into(),
            officer: "wang".into(),
            cadre: "wang".into(),
            party_member: "zhao".into(),
        },
    ];
    for cmd in refused {
        let name = cmd.name();
        assert!(
            book.execute("officer-wang", at("2020-02-03 09:00"), cmd)
                .is_err(),
            "{name} was accepted"
        );
        assert_eq!(*book.station(), before, "{name} changed the book");
    }
    assert!(book
        .execute(
            " ",
            at("2020-02-03 09:00"),
            Command::RecordService {
                kind: ServiceKind::ExitEntry,
                channel: Channel::Online,
                count: 1
            }
        )
        .is_err());
    assert_eq!(book.seq(), seq);
    assert_eq!(book.journal_text().unwrap(), text);
}

#[test]
fn a_batch_is_acknowledged_on_commit_and_survives_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("batch.journal");
    let mut book = Book::create(&path, Policy::default()).unwrap();
    short_story(&mut book);
    let mut batch = book.batch();
    let day = |d: &str| Command::FileDailyReport {
        household: "H1".into(),
        day: d.parse().unwrap(),
        changes: vec![],
    };
    batch
        .execute("landlord-app", at("2020-02-02 20:00"), day("2020-02-02"))
        .unwrap();
    assert!(batch
        .execute("landlord-app", at("2020-02-02 20:00"), day("2020-02-02"))
        .is_err());
    batch
        .execute("landlord-app", at("2020-02-03 20:00"), day("2020-02-03"))
        .unwrap();
    batch.commit().unwrap();
    let expected = book.station().clone();
    drop(book);
    let reopened = Book::open(&path).unwrap();
    assert_eq!(reopened.recovery().events, 12);
    assert_eq!(*reopened.station(), expected);
}

#[test]
fn every_kind_of_damage_is_refused_with_its_sequence_number() {
    let text = short_journal();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 11);
    let join = |ls: &[&str]| ls.iter().flat_map(|l| [*l, "\n"]).collect::<String>();

    // A changed byte in the middle: that line's hash breaks.
    let changed = text.replacen("\"count\":3", "\"count\":4", 1);
    assert_ne!(changed, text);
    let (seq, reason) = damaged_at(Book::open_text(&changed));
    assert_eq!(seq, 10);
    assert!(reason.contains("changed"), "{reason}");
    let changed = text.replacen("王秀英", "王秀华", 1);
    assert_eq!(damaged_at(Book::open_text(&changed)).0, 2);

    // A removed line.
    let mut removed = lines.clone();
    removed.remove(4);
    let (seq, reason) = damaged_at(Book::open_text(&join(&removed)));
    assert_eq!(seq, 4);
    assert!(reason.contains("removed"), "{reason}");

    // Two lines swapped.
    let mut swapped = lines.clone();
    swapped.swap(6, 7);
    assert_eq!(damaged_at(Book::open_text(&join(&swapped))).0, 6);

    // The last line removed is not detectable from the chain alone; the
    // head hash, written down elsewhere, shows it.
    let book = Book::open_text(&join(&lines[..10])).unwrap();
    assert_ne!(book.head(), Book::open_text(&text).unwrap().head());

    // A line re-sealed with a correct hash of its own still breaks the chain
    // at the next line.
    let forged = lines[4].replacen("\"P1\"", "\"P2\"", 1);
    assert_ne!(forged, lines[4]);
    let body = &forged[..forged.rfind(",\"hash\"").unwrap()];
    let (resealed, _) = seal(&format!("{body}}}"), "");
    let mut relinked = lines.clone();
    relinked[4] = resealed.trim_end();
    assert_eq!(damaged_at(Book::open_text(&join(&relinked))).0, 5);

    // A complete line of garbage at the end is damage, not a torn line.
    let garbage = format!("{text}{{\"seq\":11}}\n");
    assert_eq!(damaged_at(Book::open_text(&garbage)).0, 11);

    // An empty journal, or one without a header.
    assert_eq!(damaged_at(Book::open_text("")).0, 0);
    assert_eq!(damaged_at(Book::open_text(&join(&lines[1..]))).0, 1);
}

#[test]
fn a_torn_last_line_is_dropped_and_the_rest_kept() {
    let text = short_journal();
    let cut = text.len() - 40;
    let book = Book::open_text(&text[..cut]).unwrap();
    assert_eq!(book.recovery().events, 9);
    let torn = book.recovery().torn.as_ref().unwrap();
    assert_eq!(torn.offset as usize, text[..cut].rfind('\n').unwrap() + 1);
    assert!(book.recovery().to_string().contains("torn"));
    // Appending after the recovery continues the chain cleanly.
    let mut book = book;
    book.execute(
        "officer-wang",
        at("2020-02-05 09:00"),
        Command::RecordService {
            kind: ServiceKind::ExitEntry,
            channel: Channel::Online,
            count: 3,
        },
    )
    .unwrap();
    let again = Book::open_text(book.journal_text().unwrap()).unwrap();
    assert_eq!(again.recovery().events, 10);
    assert_eq!(again.station(), book.station());

    // On a file, the torn bytes are cut off so that appends follow whole lines.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("torn.journal");
    std::fs::write(&path, &text[..cut]).unwrap();
    let book = Book::open(&path).unwrap();
    assert_eq!(book.recovery().events, 9);
    drop(book);
    assert!(std::fs::read_to_string(&path).unwrap().ends_with('\n'));
}

#[test]
fn two_writers_cannot_open_one_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.journal");
    let first = Book::create(&path, Policy::default()).unwrap();
    match Book::open(&path) {
        Err(e @ Error::JournalLocked { .. }) => assert_eq!(e.code(), "journal_locked"),
        other => panic!("expected the lock to refuse, got {other:?}"),
    }
    assert!(Book::create(&path, Policy::default()).is_err());
    drop(first);
    assert!(Book::open(&path).is_ok());
}

#[test]
fn older_lines_without_newer_fields_still_open() {
    // Format version 1 as first written, by hand: the person has no `phone`
    // or `has_smartphone`, the daily report no `changes`.
    let policy = serde_json::to_string(&Policy::default()).unwrap();
    let (h0, hash0) = seal(
        &r#"{"seq":0,"v":1,"start":{"policy":POLICY}}"#.replace("POLICY", &policy),
        "",
    );
    let (h1, hash1) = seal(
        r#"{"seq":1,"v":1,"prev":"PREV","at":"2020-02-01T01:00:00Z","by":"officer-wang","cmd":{"type":"add_household","household":{"id":"H1","village":"Yaozhuang","group":"3","address":"18 Old Street","landlord":null}}}"#,
        &hash0,
    );
    let (h2, hash2) = seal(
        r#"{"seq":2,"v":1,"prev":"PREV","at":"2020-02-01T01:01:00Z","by":"officer-wang","cmd":{"type":"register_person","person":{"id":"P1","name":"王秀英","document":{"kind":"resident","number":"11010519491231002X"},"household":"H1"}}}"#,
        &hash1,
    );
    let (h3, _) = seal(
        r#"{"seq":3,"v":1,"prev":"PREV","at":"2020-02-01T01:02:00Z","by":"officer-wang","cmd":{"type":"set_landlord","household":"H1","landlord":"P1"}}"#,
        &hash2,
    );
    let text = format!("{h0}{h1}{h2}{h3}");
    let book = Book::open_text(&text).unwrap();
    assert_eq!(book.recovery().events, 3);
    let p1 = book.station().residents.person(&"P1".into()).unwrap();
    assert_eq!(p1.phone, None);

    // A journal from a newer precinct is refused with a clear reason.
    let (newer, _) = seal(
        &r#"{"seq":0,"v":99,"start":{"policy":POLICY}}"#.replace("POLICY", &policy),
        "",
    );
    let (seq, reason) = damaged_at(Book::open_text(&newer));
    assert_eq!(seq, 0);
    assert!(reason.contains("version 99"), "{reason}");
}

#[test]
fn the_history_of_a_person_and_of_a_pass() {
    let mut book = Book::in_memory(Policy::default()).unwrap();
    short_story(&mut book);
    let p2: Vec<String> = book
        .history(&Subject::Person("P2".into()))
        .unwrap()
        .iter()
        .map(|e| format!("{} {} {}", e.seq, e.by, e.command.name()))
        .collect();
    assert_eq!(
        p2,
        [
            "3 officer-wang register_person",
            "7 officer-wang issue_pass",
            "8 officer-wang revoke_pass"
        ]
    );
    let pass = book.history(&Subject::Pass(1)).unwrap();
    assert_eq!(pass.len(), 2);
    assert_eq!(pass[0].outcome, Outcome::PassIssued { serial: 1 });
    assert_eq!(pass[1].at, at("2020-02-01 09:07"));
    assert_eq!(book.history(&Subject::Stay("S1".into())).unwrap().len(), 1);
    assert!(book
        .history(&Subject::Person("P404".into()))
        .unwrap()
        .is_empty());
}

#[test]
fn the_analytic_export_hides_identities() {
    let mut book = Book::in_memory(Policy::default()).unwrap();
    short_story(&mut book);
    let export = book.station().analytic_export(b"0123456789abcdef").unwrap();
    let json = serde_json::to_string(&export).unwrap();
    for secret in [
        "11010519491231002X",
        "440524188001010014",
        "13912345678",
        "王秀英",
        "\"P1\"",
        "\"P2\"",
        "L898902C3",
        "6 Xicun Lane",
    ] {
        assert!(!json.contains(secret), "{secret} leaked into the export");
    }
    assert_eq!(export.persons.len(), 2);
    assert_eq!(export.persons[0].birth_year, Some(1949));
    assert_eq!(
        export.passes[0].holder.as_str(),
        export.persons[1].pseudonym
    );
    // The same key gives the same pseudonyms; another key others.
    let again = book.station().analytic_export(b"0123456789abcdef").unwrap();
    assert_eq!(again.persons, export.persons);
    let other = book.station().analytic_export(b"another key, 16+").unwrap();
    assert_ne!(other.persons[0].pseudonym, export.persons[0].pseudonym);
    assert!(book.station().analytic_export(b"short").is_err());
    // The journal itself keeps the full record.
    assert!(book.journal_text().unwrap().contains("11010519491231002X"));
}

#[test]
fn commands_from_json_name_the_document_that_fails() {
    let person = |number: &str, phone: &str| {
        serde_json::json!({"type": "register_person", "person": {
            "id": "P1", "name": "王秀英", "household": null, "phone": phone,
            "document": {"kind": "resident", "number": number}}})
    };
    assert!(Command::from_json(&person("11010519491231002X", "13912345678")).is_ok());
    let phone = Command::from_json(&person("11010519491231002X", "1391234")).unwrap_err();
    assert_eq!(phone.code(), "invalid_identity_document");
    let credit = serde_json::json!({"type": "add_enterprise", "enterprise": {
        "id": "E1", "name": "Mill", "credit_code": "91320583000000000X", "village": "A",
        "sector": "textiles", "above_scale": false, "workforce": 10, "established": null}});
    assert_eq!(
        Command::from_json(&credit).unwrap_err().code(),
        "invalid_identity_document"
    );
    let unknown = Command::from_json(&serde_json::json!({"type": "no_such_command"})).unwrap_err();
    assert_eq!(unknown.code(), "invalid_value");
    assert!(unknown.to_string().contains("no_such_command"), "{unknown}");
}
