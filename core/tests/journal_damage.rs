//! Every kind of journal damage as a named case, with what opening it gives:
//! accepted (with what recovery), or refused as damaged at which sequence
//! number.
//!
//! What the file alone cannot show, because the result is itself a whole,
//! well-linked journal (the hash is a plain SHA-256 that anyone can
//! recompute, not a signature); each needs an anchor kept elsewhere, such as
//! the head hash of a day written on paper ([`Book::head`]), compared after
//! opening:
//! - whole lines cut off the end (the file cut exactly after a newline);
//! - the last line changed and re-sealed (its hash recomputed);
//! - every line from some point on changed and re-linked, as long as each
//!   command still replays to the outcome it records;
//! - events appended with correct hashes by someone who is not the station;
//! - the whole file replaced by another valid journal.
//!
//! Accepted on purpose, because they change no content: whitespace around a
//! line (`\r\n` line ends, a space for the last newline), blank lines, a
//! byte order mark, a missing final newline.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

use precinct::{
    parse_instant, Book, Channel, Command, Error, ForeignStay, Household, Instant, Policy,
    ServiceKind, Snapshot, Station,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn at(text: &str) -> Instant {
    parse_instant(text, Policy::default().zone()).unwrap()
}

fn household(id: &str) -> Command {
    Command::AddHousehold {
        household: Household {
            id: id.into(),
            village: "Yaozhuang".into(),
            group: "3".into(),
            address: "18 Old Street".into(),
            landlord: None,
        },
    }
}

/// Header and 7 events; event 6 records an outcome (`out`).
fn story() -> String {
    let mut book = Book::in_memory(Policy::default()).unwrap();
    let stay = ForeignStay {
        id: "S1".into(),
        name: "ANNA ERIKSSON".into(),
        nationality: "SWE".into(),
        passport_number: "L898902C3".into(),
        address: "6 Xicun Lane".into(),
        host: "李秀英".into(),
        arrival: at("2020-01-31 10:00"),
        registered_at: None,
        channel: None,
    };
    let commands = [
        household("H1"),
        household("H2"),
        Command::RecordService {
            kind: ServiceKind::ExitEntry,
            channel: Channel::Online,
            count: 3,
        },
        Command::AddStay { stay },
        Command::RegisterStay {
            stay: "S1".into(),
            channel: Channel::Video,
        },
        Command::IssueCertificate { stay: "S1".into() },
        household("H3"),
    ];
    for (k, command) in commands.into_iter().enumerate() {
        let when = at("2020-02-01 09:00") + chrono::Duration::minutes(k as i64);
        book.execute("officer-wang", when, command).unwrap();
    }
    book.journal_text().unwrap().to_string()
}

const EVENTS: u64 = 7;

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

fn join(lines: &[String]) -> String {
    lines.iter().flat_map(|l| [l.as_str(), "\n"]).collect()
}

fn hash_of(line: &str) -> String {
    let v: Value = serde_json::from_str(line).unwrap();
    v["hash"].as_str().unwrap().to_string()
}

/// A line's fields, edited, written with a correct hash of its own text.
fn reseal(line: &str, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut v: Value = serde_json::from_str(line).unwrap();
    let fields = v.as_object_mut().unwrap();
    fields.remove("hash");
    edit(fields);
    let text = serde_json::to_string(&v).unwrap();
    let open = text.strip_suffix('}').unwrap();
    let hash = format!("{:x}", Sha256::digest(open.as_bytes()));
    format!("{open},\"hash\":\"{hash}\"}}")
}

/// Re-link every line after `from` to the (possibly changed) line before.
fn relink(lines: &mut [String], from: usize) {
    for i in from + 1..lines.len() {
        let prev = hash_of(&lines[i - 1]);
        lines[i] = reseal(&lines[i], |f| {
            f.insert("prev".into(), Value::String(prev));
        });
    }
}

/// What opening a damaged journal should give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Opened, with this many events, a torn line dropped or not, and the
    /// last line found without its newline or not.
    Accepted {
        events: u64,
        torn: bool,
        unterminated: bool,
    },
    /// Refused as damaged at this sequence number, the reason containing
    /// the text.
    Damaged(u64, &'static str),
}

use Expect::{Accepted, Damaged};

const WHOLE: Expect = Accepted {
    events: EVENTS,
    torn: false,
    unterminated: false,
};

/// What opening gives, and the reason when it is refused.
fn verdict(text: &str) -> (Expect, String) {
    match Book::open_text(text) {
        Ok(book) => (
            Accepted {
                events: book.recovery().events,
                torn: book.recovery().torn.is_some(),
                unterminated: book.recovery().unterminated,
            },
            String::new(),
        ),
        Err(Error::JournalDamaged { seq, reason, .. }) => (Damaged(seq, ""), reason),
        Err(e) => panic!("expected an opened or damaged journal, got {e}"),
    }
}

fn check(name: &str, text: &str, expected: Expect) {
    let (got, reason) = verdict(text);
    match (expected, got) {
        (Damaged(seq, why), Damaged(got_seq, _)) => {
            assert_eq!(got_seq, seq, "{name}: damaged at {got_seq} ({reason})");
            assert!(reason.contains(why), "{name}: reason `{reason}`");
        }
        _ => assert_eq!(got, expected, "{name} ({reason})"),
    }
}

/// The damage table over the text of a journal.
#[test]
#[expect(clippy::too_many_lines, reason = "the damage table reads as one list")]
fn every_damage_kind_gives_its_verdict() {
    let text = story();
    let l = lines(&text);
    assert_eq!(l.len() as u64, EVENTS + 1);
    let last = EVENTS as usize;
    let mut cases: Vec<(String, String, Expect)> = Vec::new();
    let mut case = |name: &str, text: String, expected: Expect| {
        cases.push((name.to_string(), text, expected));
    };

    case("undamaged", text.clone(), WHOLE);

    // A changed byte in each field of the header, of an event and of the
    // event with an outcome: its own hash no longer matches.
    for (line, fields) in [
        (0usize, &["seq", "v", "start", "hash"][..]),
        (3, &["seq", "v", "prev", "at", "by", "cmd", "hash"][..]),
        (
            6,
            &["seq", "v", "prev", "at", "by", "cmd", "out", "hash"][..],
        ),
    ] {
        for field in fields {
            let original = &l[line];
            let key = format!("\"{field}\":");
            let start = if matches!(*field, "out" | "hash") {
                original.rfind(&key)
            } else {
                original.find(&key)
            }
            .unwrap_or_else(|| panic!("line {line} has no {field}"))
                + key.len();
            let pos = start
                + original[start..]
                    .bytes()
                    .position(|b| b.is_ascii_alphanumeric())
                    .unwrap();
            let mut bytes = original.clone().into_bytes();
            // Another character of the same kind (a hex digit stays one).
            bytes[pos] = match bytes[pos] {
                b'9' => b'0',
                b'f' | b'z' => b'a',
                b'F' | b'Z' => b'A',
                b => b + 1,
            };
            let mut damaged = l.clone();
            damaged[line] = String::from_utf8(bytes).unwrap();
            case(
                &format!("changed byte in `{field}` of line {line}"),
                join(&damaged),
                Damaged(line as u64, "changed"),
            );
        }
    }

    let mut removed = l.clone();
    removed.remove(3);
    case("removed line", join(&removed), Damaged(3, "removed"));

    let mut duplicated = l.clone();
    duplicated.insert(3, l[3].clone());
    case(
        "duplicated line",
        join(&duplicated),
        Damaged(4, "found sequence number 3"),
    );

    let mut swapped = l.clone();
    swapped.swap(3, 4);
    case(
        "swapped lines",
        join(&swapped),
        Damaged(3, "found sequence number 4"),
    );

    let mut resealed = l.clone();
    resealed[3] = reseal(&l[3], |f| {
        f.insert("by".into(), Value::String("officer-li".into()));
    });
    case("re-sealed line", join(&resealed), Damaged(4, "link"));

    let mut relinked_replay = l.clone();
    relinked_replay[3] = reseal(&l[2], |f| {
        f.insert("seq".into(), Value::from(3));
    });
    relink(&mut relinked_replay, 2);
    case(
        "line re-sealed and re-linked that does not replay (H2 added twice)",
        join(&relinked_replay),
        Damaged(3, "replaying it fails"),
    );

    let mut wrong_outcome = l.clone();
    wrong_outcome[6] = reseal(&l[6], |f| {
        f.insert(
            "out".into(),
            serde_json::json!({"kind": "certificate_issued", "serial": 9}),
        );
    });
    relink(&mut wrong_outcome, 6);
    case(
        "outcome re-sealed and re-linked that replay does not give",
        join(&wrong_outcome),
        Damaged(6, "the journal recorded"),
    );

    let mut garbage = l.clone();
    garbage.insert(4, "{\"seq\":4,\"this is\":\"garbage\"}".into());
    case(
        "garbage line in the middle",
        join(&garbage),
        Damaged(4, "hash"),
    );
    case(
        "garbage line at the end",
        format!("{text}not a journal line\n"),
        Damaged(EVENTS + 1, "hash"),
    );
    case(
        "garbage at the end without a newline",
        format!("{text}not a journal line"),
        Accepted {
            events: EVENTS,
            torn: true,
            unterminated: false,
        },
    );
    case(
        "zeros at the end (a power cut after the size was written)",
        format!("{text}\0\0\0\0\0\0\0\0"),
        Accepted {
            events: EVENTS,
            torn: true,
            unterminated: false,
        },
    );

    // Truncated at every byte offset of the last line: torn unless the
    // line is whole (with or without its newline).
    let last_start = text.len() - l[last].len() - 1;
    for cut in last_start..=text.len() {
        let expected = if cut == last_start {
            // Whole lines cut off the end: not detectable (see above).
            Accepted {
                events: EVENTS - 1,
                torn: false,
                unterminated: false,
            }
        } else if cut < text.len() - 1 {
            Accepted {
                events: EVENTS - 1,
                torn: true,
                unterminated: false,
            }
        } else {
            Accepted {
                events: EVENTS,
                torn: false,
                unterminated: cut == text.len() - 1,
            }
        };
        if text.is_char_boundary(cut) {
            case(
                &format!("truncated at byte {cut}"),
                text[..cut].to_string(),
                expected,
            );
        }
    }
    let complete_unterminated = Accepted {
        events: EVENTS,
        torn: false,
        unterminated: true,
    };
    case(
        "missing final newline",
        text.trim_end().to_string(),
        complete_unterminated,
    );
    case(
        "final newline turned into a space",
        format!("{} ", text.trim_end()),
        complete_unterminated,
    );
    case(
        "a changed byte in a last line without its newline",
        text.trim_end().replacen("H3", "H4", 1),
        Damaged(EVENTS, "changed"),
    );
    case("CRLF line ends", text.replace('\n', "\r\n"), WHOLE);
    case("byte order mark", format!("\u{feff}{text}"), WHOLE);
    case(
        "byte order mark not at the start",
        format!("{}\n\u{feff}{}", l[0], join(&l[1..])),
        Damaged(1, "hash"),
    );
    case("trailing blank lines", format!("{text}\n\n  \n"), WHOLE);
    case(
        "trailing whitespace without a newline",
        format!("{text}   "),
        Accepted {
            events: EVENTS,
            torn: false,
            unterminated: true,
        },
    );
    case(
        "blank line in the middle",
        format!("{}\n\n{}", join(&l[..3]).trim_end(), join(&l[3..])),
        WHOLE,
    );
    case("empty file", String::new(), Damaged(0, "empty"));
    case("only whitespace", "\n \n".into(), Damaged(0, "empty"));
    case(
        "header only",
        join(&l[..1]),
        Accepted {
            events: 0,
            torn: false,
            unterminated: false,
        },
    );
    case(
        "header only, without its newline",
        l[0].clone(),
        Accepted {
            events: 0,
            torn: false,
            unterminated: true,
        },
    );
    case(
        "header cut short",
        l[0][..l[0].len() / 2].to_string(),
        Damaged(0, "incomplete"),
    );
    case("no header", join(&l[1..]), Damaged(1, "not a header"));

    let mut second_header = l.clone();
    second_header[3] = reseal(&l[0], |f| {
        f.insert("seq".into(), Value::from(3));
        f.insert("prev".into(), Value::String(hash_of(&l[2])));
    });
    relink(&mut second_header, 3);
    case(
        "a second header",
        join(&second_header),
        Damaged(3, "header"),
    );

    let mut newer_header = l.clone();
    newer_header[0] = reseal(&l[0], |f| {
        f.insert("v".into(), Value::from(precinct::FORMAT_VERSION + 1));
    });
    relink(&mut newer_header, 0);
    case(
        "newer version (header)",
        join(&newer_header),
        Damaged(0, "upgrade"),
    );
    let mut newer_event = l.clone();
    newer_event[3] = reseal(&l[3], |f| {
        f.insert("v".into(), Value::from(precinct::FORMAT_VERSION + 1));
    });
    relink(&mut newer_event, 3);
    case(
        "newer version (event)",
        join(&newer_event),
        Damaged(3, "upgrade"),
    );

    let mut gap = l.clone();
    for (i, line) in gap.iter_mut().enumerate().skip(3) {
        *line = reseal(line, |f| {
            f.insert("seq".into(), Value::from(i as u64 + 2));
        });
    }
    relink(&mut gap, 2);
    case("seq gap", join(&gap), Damaged(3, "found sequence number 5"));

    let mut overflow = l.clone();
    overflow[0] = reseal(&l[0], |f| {
        f.insert("seq".into(), Value::from(u64::MAX));
    });
    relink(&mut overflow, 0);
    case(
        "header seq at the largest number",
        join(&overflow),
        Damaged(u64::MAX, "no room"),
    );
    let mut overflow_event = l[..3].to_vec();
    for (i, line) in overflow_event.iter_mut().enumerate() {
        *line = reseal(line, |f| {
            f.insert("seq".into(), Value::from(u64::MAX - 2 + i as u64));
        });
    }
    relink(&mut overflow_event, 0);
    case(
        "event seq reaching the largest number",
        join(&overflow_event),
        Damaged(u64::MAX, "no room"),
    );

    let mut wrong_prev = l.clone();
    wrong_prev[3] = reseal(&l[3], |f| {
        f.insert("prev".into(), Value::String(hash_of(&l[1])));
    });
    relink(&mut wrong_prev, 3);
    case("wrong prev", join(&wrong_prev), Damaged(3, "link"));
    let mut no_prev = l.clone();
    no_prev[3] = reseal(&l[3], |f| {
        f.remove("prev");
    });
    relink(&mut no_prev, 3);
    case("missing prev", join(&no_prev), Damaged(3, "link"));

    let mut unknown = l.clone();
    unknown[3] = reseal(&l[3], |f| {
        f.insert("signed_by".into(), Value::String("officer-li".into()));
    });
    relink(&mut unknown, 3);
    case(
        "event line with an unknown field",
        join(&unknown),
        Damaged(3, "unknown field"),
    );
    let mut unknown_cmd = l.clone();
    unknown_cmd[3] = reseal(&l[3], |f| {
        f["cmd"]
            .as_object_mut()
            .unwrap()
            .insert("also".into(), Value::from(1));
    });
    relink(&mut unknown_cmd, 3);
    // Commands read fields they do not know leniently (see the report).
    case(
        "event line with an unknown field in its command",
        join(&unknown_cmd),
        WHOLE,
    );
    let mut no_cmd = l.clone();
    no_cmd[3] = reseal(&l[3], |f| {
        f.remove("cmd");
    });
    relink(&mut no_cmd, 3);
    case(
        "event line without a command",
        join(&no_cmd),
        Damaged(3, "cmd"),
    );

    let mut failures = Vec::new();
    for (name, text, expected) in &cases {
        if let Err(e) = std::panic::catch_unwind(|| check(name, text, *expected)) {
            failures.push(format!("{name}: {e:?}"));
        }
    }
    assert!(failures.is_empty(), "{} cases failed", failures.len());
    println!("{} damage cases, all as expected", cases.len());
}

/// Undetectable from the file alone, and caught by the head hash written
/// down elsewhere.
#[test]
fn what_the_file_cannot_show_the_head_hash_does() {
    let text = story();
    let anchor = Book::open_text(&text).unwrap().head().to_string();
    let l = lines(&text);
    // Whole lines cut off the end.
    let cut = Book::open_text(&join(&l[..l.len() - 2])).unwrap();
    assert_ne!(cut.head(), anchor);
    // The last line changed and re-sealed.
    let mut resealed = l.clone();
    let n = resealed.len() - 1;
    resealed[n] = reseal(&l[n], |f| {
        f.insert("by".into(), Value::String("officer-li".into()));
    });
    let resealed = Book::open_text(&join(&resealed)).unwrap();
    assert_eq!(resealed.recovery().events, EVENTS);
    assert_ne!(resealed.head(), anchor);
    // Another whole journal.
    let other = Book::in_memory(Policy::default()).unwrap();
    assert_ne!(other.head(), anchor);
}

fn on_file(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_torn_line_is_kept_beside_the_journal_and_reported() {
    let text = story();
    let dir = tempfile::tempdir().unwrap();
    let torn_bytes = "{\"seq\":8,\"v\":1,\"prev\":\"ab";
    let path = on_file(dir.path(), "torn.journal", &format!("{text}{torn_bytes}"));
    let book = Book::open(&path).unwrap();
    let torn = book.recovery().torn.clone().unwrap();
    assert_eq!(torn.seq, EVENTS + 1);
    assert_eq!(torn.offset, text.len() as u64);
    let kept = torn.kept.clone().unwrap();
    assert!(kept.ends_with("torn.journal.torn-8-1"), "{kept}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), torn_bytes);
    assert!(book.recovery().to_string().contains("kept in"));
    drop(book);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);

    // A second torn line at the same place gets its own file.
    std::fs::write(&path, format!("{text}{{\"seq\":8")).unwrap();
    let book = Book::open(&path).unwrap();
    let kept2 = book.recovery().torn.as_ref().unwrap().kept.clone().unwrap();
    assert!(kept2.ends_with("torn.journal.torn-8-2"), "{kept2}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), torn_bytes);
}

#[test]
fn a_whole_last_line_without_its_newline_is_kept_and_the_newline_restored() {
    let text = story();
    let dir = tempfile::tempdir().unwrap();
    for (name, damaged) in [
        ("missing", text.trim_end().to_string()),
        ("space", format!("{} ", text.trim_end())),
    ] {
        let path = on_file(dir.path(), &format!("{name}.journal"), &damaged);
        let mut book = Book::open(&path).unwrap();
        assert_eq!(book.recovery().events, EVENTS, "{name}");
        assert!(book.recovery().unterminated);
        assert!(book.recovery().torn.is_none());
        // Nothing is cut or written on opening.
        assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged);
        book.execute("officer-wang", at("2020-02-02 09:00"), household("H9"))
            .unwrap();
        let station = book.station().clone();
        drop(book);
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(written.starts_with(&damaged));
        assert_eq!(written.lines().count() as u64, EVENTS + 2, "{name}");
        let reopened = Book::open(&path).unwrap();
        assert_eq!(reopened.recovery().events, EVENTS + 1);
        assert!(!reopened.recovery().unterminated);
        assert_eq!(*reopened.station(), station);
    }
    // In memory likewise.
    let mut book = Book::open_text(text.trim_end()).unwrap();
    book.execute("officer-wang", at("2020-02-02 09:00"), household("H9"))
        .unwrap();
    let again = Book::open_text(book.journal_text().unwrap()).unwrap();
    assert_eq!(again.recovery().events, EVENTS + 1);
}

#[test]
fn unfinished_creation_files_are_removed_on_the_next_create_or_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("station.journal");
    let stale = |pid: u32| dir.path().join(format!("station.journal.{pid}.creating"));
    std::fs::write(stale(999_991), "{\"seq\":0").unwrap();
    std::fs::write(stale(999_992), "").unwrap();
    // Not ours: another journal's, and a name that only looks alike.
    let other = dir.path().join("other.journal.999993.creating");
    let alike = dir.path().join("station.journal.x.creating");
    std::fs::write(&other, "").unwrap();
    std::fs::write(&alike, "").unwrap();

    let book = Book::create(&path, Policy::default()).unwrap();
    assert_eq!(book.recovery().removed.len(), 2, "{:?}", book.recovery());
    assert!(!stale(999_991).exists() && !stale(999_992).exists());
    assert!(other.exists() && alike.exists());
    drop(book);

    std::fs::write(stale(999_994), "").unwrap();
    let book = Book::open(&path).unwrap();
    assert_eq!(book.recovery().removed.len(), 1);
    assert!(!stale(999_994).exists());
    assert!(book.recovery().to_string().contains("unfinished"));
}

#[test]
fn sequence_numbers_never_wrap() {
    let station: Station = Book::in_memory(Policy::default()).unwrap().into_station();
    let snapshot = |seq| Snapshot {
        seq,
        head: "0".repeat(64),
        station: station.clone(),
    };
    assert_eq!(
        Book::from_snapshot(&snapshot(u64::MAX)).unwrap_err().code(),
        "invalid_value"
    );
    let dir = tempfile::tempdir().unwrap();
    assert!(
        Book::create_from_snapshot(dir.path().join("max.journal"), &snapshot(u64::MAX)).is_err()
    );
    // The last number is kept free: a journal never holds a line at it.
    let mut book = Book::from_snapshot(&snapshot(u64::MAX - 2)).unwrap();
    let receipt = book
        .execute("officer-wang", at("2020-02-01 09:00"), household("H1"))
        .unwrap();
    assert_eq!(receipt.seq, u64::MAX - 1);
    let error = book
        .execute("officer-wang", at("2020-02-01 09:01"), household("H2"))
        .unwrap_err();
    assert_eq!(error.code(), "invalid_value", "{error}");
    assert!(book.station().residents().household(&"H2".into()).is_err());
    let reopened = Book::open_text(book.journal_text().unwrap()).unwrap();
    assert_eq!(reopened.seq(), u64::MAX - 1);
}
