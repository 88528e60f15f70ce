//! Crash test of the journal file: a child process appends commands and
//! says which it has had acknowledged; the parent kills it at a random
//! moment, and sometimes also cuts the file at a random byte after the last
//! acknowledged line (what a power cut can do to data not yet synced).
//! Reopening must keep every acknowledged command and never accept a
//! half-written line; a line cut short is kept beside the journal, and a
//! whole line whose newline was cut is an event.
//!
//! `PRECINCT_CRASH_TRIALS=5000 cargo test --release --test crash` runs a
//! longer campaign than the suite's 200 trials.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use precinct::{parse_instant, Book, Channel, Command, Household, Policy, ServiceKind};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CHILD: &str = "PRECINCT_CRASH_CHILD_JOURNAL";

/// Not a test on its own: the child process of `killed_writers_lose_nothing_acknowledged`.
#[test]
fn crash_child_process() {
    let Ok(path) = std::env::var(CHILD) else {
        return;
    };
    let mut book = Book::open_or_create(&path, Policy::default()).unwrap();
    let at = parse_instant("2020-02-01 09:00", Policy::default().zone()).unwrap();
    let mut out = std::io::stdout().lock();
    loop {
        let n = book.seq() + 1;
        // Lines of different lengths, so cuts land in different places.
        let command = if n.is_multiple_of(3) {
            Command::AddHousehold {
                household: Household {
                    id: format!("H{n}").into(),
                    village: "Yaozhuang".into(),
                    group: format!("{}", n % 8),
                    address: format!("{n} Old Street, behind the grain station"),
                    landlord: None,
                },
            }
        } else {
            Command::RecordService {
                kind: ServiceKind::ExitEntry,
                channel: Channel::Online,
                count: u32::try_from(n % 9 + 1).unwrap(),
            }
        };
        let receipt = book.execute("crash-test", at, command).unwrap();
        let len = std::fs::metadata(&path).unwrap().len();
        writeln!(out, "ack {} {len}", receipt.seq).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killed_writers_lose_nothing_acknowledged() {
    let trials: u64 = std::env::var("PRECINCT_CRASH_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let (mut cuts, mut torn_seen, mut whole_tails, mut survived) = (0, 0, 0, 0);
    let mut acknowledged = 0u64;
    for trial in 0..trials {
        let mut rng = ChaCha8Rng::seed_from_u64(trial);
        // Runs of 20 trials share a journal: each reopens what the last left.
        let path = dir.path().join(format!("crash-{}.journal", trial / 20));
        if trial % 20 == 0 {
            survived += acknowledged;
            acknowledged = 0;
        }
        let mut child = Process::new(&exe)
            .args([
                "crash_child_process",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(ack) = line.strip_prefix("ack ") {
                    let (seq, len) = ack.split_once(' ').unwrap();
                    tx.send((seq.parse::<u64>().unwrap(), len.parse::<u64>().unwrap()))
                        .unwrap();
                }
            }
        });
        // Let it start and write a little, then kill it mid-stride.
        let first = rx.recv_timeout(Duration::from_secs(30));
        std::thread::sleep(Duration::from_micros(rng.gen_range(0..20_000)));
        child.kill().unwrap();
        child.wait().unwrap();
        reader.join().unwrap();
        let last = first.into_iter().chain(rx.try_iter()).last();
        let acked_len = last.map_or(0, |(seq, len)| {
            acknowledged = acknowledged.max(seq);
            len
        });

        if !path.exists() {
            // Killed while creating the journal: nothing can have been acknowledged.
            assert!(
                last.is_none(),
                "trial {trial}: acknowledged without a journal"
            );
            continue;
        }
        // A power cut may lose what was written but not yet synced.
        let on_disk = std::fs::read(&path).unwrap();
        if rng.gen_bool(0.5) && on_disk.len() as u64 > acked_len {
            let cut = rng.gen_range(acked_len..=on_disk.len() as u64);
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(cut)
                .unwrap();
            cuts += 1;
        }
        let book = reopen_and_check(trial, &path, dir.path(), acknowledged);
        torn_seen += usize::from(book.recovery().torn.is_some());
        whole_tails += usize::from(book.recovery().unterminated);
        // Later trials start from what this one left (the lock goes with the book).
        acknowledged = book.seq();
    }
    survived += acknowledged;
    assert!(survived > 0, "the child never got a command acknowledged");
    println!(
        "{trials} trials: {survived} commands survived, {cuts} power cuts simulated, {torn_seen} torn lines dropped and kept, {whole_tails} whole last lines without their newline kept"
    );
}

/// Reopen the journal a killed writer left and check it against its bytes.
fn reopen_and_check(trial: u64, path: &Path, dir: &Path, acknowledged: u64) -> Book {
    let on_disk = std::fs::read(path).unwrap();
    let newlines = on_disk.split(|&b| b == b'\n').count() as u64 - 1;
    // After the last newline: nothing, a line cut short (torn), or a
    // whole line whose newline was not written (an event).
    let tail = &on_disk[on_disk
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)..];
    let tail_whole = serde_json::from_slice::<serde_json::Value>(tail).is_ok();
    let whole_lines = newlines + u64::from(tail_whole);
    let tail_torn = !tail.is_empty() && !tail_whole;
    let files_before = std::fs::read_dir(dir).unwrap().count();

    let book = Book::open(path)
        .unwrap_or_else(|e| panic!("trial {trial}: the journal did not reopen: {e}"));
    assert!(
        book.seq() >= acknowledged,
        "trial {trial}: acknowledged {acknowledged}, reopened only {}",
        book.seq()
    );
    assert_eq!(
        book.seq() + 1,
        whole_lines,
        "trial {trial}: a half-written line was accepted or a whole one dropped"
    );
    assert_eq!(
        book.recovery().torn.is_some(),
        tail_torn,
        "trial {trial}: torn line not reported, or a whole one called torn"
    );
    assert_eq!(book.recovery().unterminated, tail_whole, "trial {trial}");
    if let Some(torn) = &book.recovery().torn {
        // The cut bytes are kept beside the journal.
        let kept = std::fs::read(torn.kept.as_ref().unwrap()).unwrap();
        assert_eq!(kept, tail, "trial {trial}");
        assert_eq!(std::fs::read_dir(dir).unwrap().count(), files_before + 1);
    }
    book
}
