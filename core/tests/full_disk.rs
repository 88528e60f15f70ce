//! A real full disk, without root: a child process runs under a file size
//! limit (`ulimit -f`, with `SIGXFSZ` ignored, so a write past the limit
//! writes what fits and then fails with `EFBIG` as on a full disk). It
//! executes commands until one fails, checks that the records are those of
//! its last acknowledged command, and prints them; the parent reopens the
//! journal and must find the same records.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

use std::process::Command as Process;

use precinct::{parse_instant, Book, Command, Household, Instant, Policy};

const CHILD: &str = "PRECINCT_FULL_DISK_CHILD_JOURNAL";

fn at() -> Instant {
    parse_instant("2020-02-01 09:00", Policy::default().zone()).unwrap()
}

fn household(n: u64) -> Command {
    Command::AddHousehold {
        household: Household {
            id: format!("H{n}").into(),
            village: "Yaozhuang".into(),
            group: format!("{}", n % 8),
            address: format!("{n} Old Street, behind the grain station"),
            landlord: None,
        },
    }
}

/// Not a test on its own: the child process of `a_full_disk_loses_nothing_and_invents_nothing`.
#[test]
fn full_disk_child_process() {
    let Ok(path) = std::env::var(CHILD) else {
        return;
    };
    let mut book = Book::open(&path).unwrap();
    let mut acknowledged = book.station().clone();
    let mut refused = 0;
    for n in book.seq() + 1.. {
        match book.execute("full-disk-test", at(), household(n)) {
            Ok(_) => acknowledged = book.station().clone(),
            Err(e) => {
                assert_eq!(e.code(), "io", "{e}");
                assert_eq!(*book.station(), acknowledged, "the records ran ahead: {e}");
                refused += 1;
                if refused == 3 {
                    break;
                }
            }
        }
    }
    // On lines of their own: the test harness prints its own text before.
    println!(
        "\nSTATION={}",
        serde_json::to_string(book.station()).unwrap()
    );
    println!("SEQ={}", book.seq());
}

#[test]
fn a_full_disk_loses_nothing_and_invents_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    // Limits of 8 to 15 blocks of 512 or 1024 bytes (as the shell counts):
    // the disk fills at different places in the lines.
    for blocks in 8..16 {
        let path = dir.path().join(format!("full-{blocks}.journal"));
        let mut book = Book::create(&path, Policy::default()).unwrap();
        for n in 1..=3 {
            book.execute("full-disk-test", at(), household(n)).unwrap();
        }
        drop(book);
        let output = Process::new("sh")
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f {blocks} && exec \"$0\" full_disk_child_process --exact --nocapture --test-threads=1"
            ))
            .arg(&exe)
            .env(CHILD, &path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "limit {blocks}: the child failed: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let station = stdout
            .lines()
            .find_map(|l| l.strip_prefix("STATION="))
            .unwrap();
        let seq: u64 = stdout
            .lines()
            .find_map(|l| l.strip_prefix("SEQ="))
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            seq > 3,
            "limit {blocks}: nothing was written before the disk was full"
        );
        let reopened = Book::open(&path).unwrap();
        assert_eq!(reopened.seq(), seq, "limit {blocks}");
        assert_eq!(serde_json::to_string(reopened.station()).unwrap(), station);
        // Nothing was left half-written.
        assert!(reopened.recovery().torn.is_none(), "limit {blocks}");
        assert!(std::fs::read(&path).unwrap().ends_with(b"\n"));
    }
}
