//! Record book throughput: commands into a synced file journal (one sync per
//! command, and one per batch of 1,000), into a memory journal, replay of a
//! journal of 1 million events, and the merge of 20 devices' books of
//! 10,000 events each.
//!
//! `cargo bench -p precinct --bench journal`

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark has nothing to do but stop at its first failure"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use precinct::{
    parse_instant, Book, Channel, Command, DeviceBook, Household, IdDocument, Instant, PassKind,
    Person, Policy, ResidentId, ServiceKind, StationKey,
};

fn at() -> Instant {
    parse_instant("2020-02-01 09:00", Policy::default().zone()).unwrap()
}

fn service(n: u64) -> Command {
    Command::RecordService {
        kind: ServiceKind::ExitEntry,
        channel: Channel::Online,
        count: u32::try_from(n % 9 + 1).unwrap(),
    }
}

/// A valid resident id number for person `i` (GB 11643 check character).
fn resident_id(i: usize) -> ResidentId {
    let body = format!("320583198001{:02}{:03}", i % 28 + 1, i / 28 % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ResidentId::parse(&format!(
        "{body}{}",
        "10X98765432".as_bytes()[(sum % 11) as usize] as char
    ))
    .unwrap()
}

/// A journal of `events` events, most of them landlords' daily reports, as
/// a township's book grows over months.
fn journal_of(events: u64) -> String {
    let mut book = Book::in_memory(Policy::default()).unwrap();
    let mut b = book.batch();
    let households = 6_000;
    for h in 0..households {
        // Ids must be unique: 28 days x 1000 sequence numbers cover 6,000.
        let landlord = format!("P{h}");
        b.execute(
            "office",
            at(),
            Command::RegisterPerson {
                person: Person {
                    id: landlord.as_str().into(),
                    name: "王伟".into(),
                    document: IdDocument::Resident {
                        number: resident_id(h),
                    },
                    household: None,
                    phone: None,
                    has_smartphone: Some(true),
                },
            },
        )
        .unwrap();
        b.execute(
            "office",
            at(),
            Command::AddHousehold {
                household: Household {
                    id: format!("H{h}").into(),
                    village: "Yaozhuang".into(),
                    group: "1".into(),
                    address: format!("{h} Road"),
                    landlord: Some(landlord.into()),
                },
            },
        )
        .unwrap();
    }
    let start: chrono::NaiveDate = "2020-02-01".parse().unwrap();
    let mut n = b.station().residents().persons().count() as u64 * 2;
    'days: for day in start.iter_days() {
        for h in 0..households {
            if n >= events {
                break 'days;
            }
            // Filed on the evening of its day: a report is never after its entry.
            let evening = parse_instant(&format!("{day} 20:00"), Policy::default().zone()).unwrap();
            b.execute(
                "landlord-app",
                evening,
                Command::FileDailyReport {
                    household: format!("H{h}").into(),
                    day,
                    changes: Vec::new(),
                },
            )
            .unwrap();
            n += 1;
        }
    }
    b.commit().unwrap();
    book.journal_text().unwrap().to_string()
}

fn commands(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("journal");
    g.throughput(Throughput::Elements(1));
    let mut file = Book::create(dir.path().join("synced.journal"), Policy::default()).unwrap();
    g.bench_function("execute, synced file", |b| {
        b.iter(|| file.execute("office", at(), service(file.seq())).unwrap());
    });
    let mut memory = Book::in_memory(Policy::default()).unwrap();
    g.bench_function("execute, memory", |b| {
        b.iter(|| {
            memory
                .execute("office", at(), service(memory.seq()))
                .unwrap()
        });
    });
    g.throughput(Throughput::Elements(1000));
    let mut batched = Book::create(dir.path().join("batched.journal"), Policy::default()).unwrap();
    g.bench_function("batch of 1000, one sync", |b| {
        b.iter(|| {
            let mut batch = batched.batch();
            for k in 0..1000 {
                batch.execute("office", at(), service(k)).unwrap();
            }
            batch.commit().unwrap();
        });
    });
    g.finish();
}

fn replay(c: &mut Criterion) {
    let events = 1_000_000;
    let text = journal_of(events);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("million.journal");
    std::fs::write(&path, &text).unwrap();
    println!(
        "replay journal: {events} events, {:.0} MB",
        text.len() as f64 / 1e6
    );
    let mut g = c.benchmark_group("replay");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(30))
        .throughput(Throughput::Elements(events));
    g.bench_function("open file of 1M events", |b| {
        b.iter(|| black_box(Book::open(&path).unwrap()));
    });
    g.finish();
}

/// The lines of `devices` devices with `each` events apiece, made offline
/// from one base: each registers persons, issues them county passes and
/// checks the passes at its checkpoint, a cycle of three events; one person
/// in 500 shows a passport another device registered too.
fn devices_lines(devices: u32, each: u32) -> (String, String) {
    let key = StationKey::from_seed([3; 32]);
    let mut base = Book::in_memory(Policy::default()).unwrap();
    base.execute(
        "desk",
        at(),
        Command::AddStationKey {
            key: key.public(),
            valid_from: at(),
            valid_until: None,
        },
    )
    .unwrap();
    let base = base.snapshot().to_text();
    let mut all = String::new();
    for d in 1..=devices {
        let mut book = DeviceBook::create(&base, &format!("team-{d:02}"), d).unwrap();
        let mut serial = 0;
        for i in 0..each {
            let when = at() + chrono::Duration::seconds(i64::from(i) * 60 + i64::from(d));
            let command = match i % 3 {
                0 => {
                    let number = if i % 1500 == 0 {
                        format!("S{i}")
                    } else {
                        format!("D{d}N{i}")
                    };
                    Command::RegisterPerson {
                        person: Person {
                            id: book.new_id("P").as_str().into(),
                            name: "Anna Weber".into(),
                            document: IdDocument::Passport {
                                nationality: "DEU".into(),
                                number,
                            },
                            household: None,
                            phone: None,
                            has_smartphone: Some(false),
                        },
                    }
                }
                1 => Command::IssuePass {
                    application: precinct::PassApplication {
                        holder: format!("P-team-{d:02}-{i}").as_str().into(),
                        kind: PassKind::County,
                        enterprise: None,
                        scope: "Yaozhuang".into(),
                    },
                },
                _ => Command::CheckPass {
                    checkpoint: format!("exit {d}"),
                    token: book.station().passes().token(serial, &key).unwrap(),
                    document: None,
                    public_key: None,
                },
            };
            let receipt = book.execute("officer", when, command).unwrap();
            if let precinct::Outcome::PassIssued { serial: s } = receipt.outcome {
                serial = s;
            }
        }
        all.push_str(&book.journal_text());
    }
    (base, all)
}

fn merge(c: &mut Criterion) {
    let (devices, each) = (20, 10_000);
    let (base, lines) = devices_lines(devices, each);
    let station = DeviceBook::create(&base, "station", 999).unwrap();
    let mut merged = station.clone();
    let report = merged.merge(&lines).unwrap();
    println!(
        "merge: {devices} devices x {each} events, {:.1} MB of lines ({} bytes an event), {} conflicts",
        lines.len() as f64 / 1e6,
        lines.len() / (devices * each) as usize,
        report.conflicts.len()
    );
    let mut g = c.benchmark_group("devices");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(30))
        .throughput(Throughput::Elements(u64::from(devices * each)));
    g.bench_function("merge 20 devices x 10,000 events", |b| {
        b.iter(|| black_box(station.clone().merge(&lines).unwrap()));
    });
    g.finish();
}

criterion_group!(benches, commands, replay, merge);
criterion_main!(benches);
