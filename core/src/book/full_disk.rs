//! A full disk and a failing sync, injected under a real journal file: the
//! records never run ahead of what the journal holds, and reopening gives
//! what the book showed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on bad fixtures"
)]

use super::journal::Faults;
use super::{Book, Store};
use crate::{parse_instant, Channel, Command, Household, Policy, ServiceKind, Station};

fn command(n: u64) -> Command {
    // Lines of different lengths, so the disk fills at different places.
    if n.is_multiple_of(2) {
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
            kind: ServiceKind::VehiclesAndDrivers,
            channel: Channel::Window,
            count: u32::try_from(n % 5 + 1).unwrap(),
        }
    }
}

fn at() -> crate::Instant {
    parse_instant("2020-02-01 09:00", Policy::default().zone()).unwrap()
}

fn faults(book: &mut Book) -> &mut Faults {
    match &mut book.store {
        Store::File { faults, .. } => faults,
        Store::Memory(_) => panic!("a file journal was expected"),
    }
}

fn file_len(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

/// A journal with three events, and its records.
fn started(dir: &std::path::Path, name: &str) -> (std::path::PathBuf, Book) {
    let path = dir.join(name);
    let mut book = Book::create(&path, Policy::default()).unwrap();
    for n in 1..=3 {
        book.execute("officer-wang", at(), command(n)).unwrap();
    }
    (path, book)
}

#[test]
fn a_full_disk_leaves_the_book_at_its_last_acknowledged_command() {
    let dir = tempfile::tempdir().unwrap();
    // The disk fills at every byte of the next four lines in turn.
    for space in 0..700u64 {
        let (path, mut book) = started(dir.path(), &format!("full-{space}.journal"));
        faults(&mut book).space = Some(space);
        let mut acknowledged: Station = book.station().clone();
        let mut acknowledged_seq = book.seq();
        let mut n = 4;
        let error = loop {
            match book.execute("officer-wang", at(), command(n)) {
                Ok(receipt) => {
                    assert_eq!(receipt.seq, acknowledged_seq + 1);
                    acknowledged = book.station().clone();
                    acknowledged_seq = receipt.seq;
                    n += 1;
                }
                Err(e) => break e,
            }
        };
        assert_eq!(error.code(), "io", "space {space}: {error}");
        assert!(error.to_string().contains("not recorded"), "{error}");
        // Memory is where the journal is: not one household ahead.
        assert_eq!(*book.station(), acknowledged, "space {space}");
        assert_eq!(book.seq(), acknowledged_seq, "space {space}");
        // The bytes that fitted were cut off again.
        assert_eq!(file_len(&path), book.durable.len, "space {space}");
        // Still full: refused again, still unchanged.
        assert!(book.execute("officer-wang", at(), command(n)).is_err());
        assert_eq!(*book.station(), acknowledged, "space {space}");
        // Room again: the book goes on where it was.
        faults(&mut book).space = None;
        let receipt = book.execute("officer-wang", at(), command(n)).unwrap();
        assert_eq!(receipt.seq, acknowledged_seq + 1);
        let shown = book.station().clone();
        drop(book);
        let reopened = Book::open(&path).unwrap();
        assert_eq!(*reopened.station(), shown, "space {space}");
        assert_eq!(reopened.seq(), acknowledged_seq + 1);
        assert!(reopened.recovery().torn.is_none());
    }
}

#[test]
fn reopening_after_a_full_disk_gives_what_the_book_showed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut book) = started(dir.path(), "full.journal");
    faults(&mut book).space = Some(150);
    while book
        .execute("officer-wang", at(), command(book.seq() + 1))
        .is_ok()
    {}
    let shown = book.station().clone();
    let seq = book.seq();
    drop(book);
    let reopened = Book::open(&path).unwrap();
    assert_eq!(*reopened.station(), shown);
    assert_eq!(reopened.seq(), seq);
}

#[test]
fn a_batch_keeps_what_was_written_and_a_failed_commit_undoes_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut book) = started(dir.path(), "batch.journal");
    let before_batch = book.station().clone();
    let seq_before = book.seq();
    faults(&mut book).space = Some(1500);
    let mut batch = book.batch();
    let mut written = Vec::new();
    let mut n = 4;
    let error = loop {
        match batch.execute("officer-wang", at(), command(n)) {
            Ok(_) => written.push(batch.station().clone()),
            Err(e) => break e,
        }
        n += 1;
    };
    assert!(written.len() >= 2, "the disk filled too early");
    // The command that did not fit is not in the records; those before are.
    assert!(error.to_string().contains("not recorded"), "{error}");
    assert_eq!(batch.station(), written.last().unwrap());
    // A sync that fails at the commit: nothing of the batch was
    // acknowledged, so the whole batch is undone.
    faults(&mut book).sync_fails = true;
    let batch = book.batch();
    let error = batch.commit().unwrap_err();
    assert!(error.to_string().contains("were undone"), "{error}");
    assert_eq!(*book.station(), before_batch);
    assert_eq!(book.seq(), seq_before);
    assert_eq!(file_len(&path), book.durable.len);
    // Once syncing works again the book goes on from there.
    *faults(&mut book) = Faults::default();
    let receipt = book.execute("officer-wang", at(), command(n)).unwrap();
    assert_eq!(receipt.seq, seq_before + 1);
    let shown = book.station().clone();
    drop(book);
    assert_eq!(*Book::open(&path).unwrap().station(), shown);
}

#[test]
fn a_failed_sync_undoes_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut book) = started(dir.path(), "sync.journal");
    let before = book.station().clone();
    let (seq, len) = (book.seq(), file_len(&path));
    faults(&mut book).sync_fails = true;
    let error = book.execute("officer-wang", at(), command(4)).unwrap_err();
    assert_eq!(error.code(), "io");
    assert_eq!(*book.station(), before);
    assert_eq!((book.seq(), file_len(&path)), (seq, len));
    drop(book);
    let reopened = Book::open(&path).unwrap();
    assert_eq!(*reopened.station(), before);
}

#[test]
fn a_write_that_cannot_be_undone_stops_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut book) = started(dir.path(), "stuck.journal");
    let before = book.station().clone();
    *faults(&mut book) = Faults {
        space: Some(10),
        sync_fails: false,
        truncate_fails: true,
    };
    let error = book.execute("officer-wang", at(), command(4)).unwrap_err();
    assert!(error.to_string().contains("reopen"), "{error}");
    // Every later command and commit is refused with the same reason, even
    // once there is room again.
    *faults(&mut book) = Faults::default();
    let again = book.execute("officer-wang", at(), command(4)).unwrap_err();
    assert!(again.to_string().contains("reopen the journal"), "{again}");
    assert!(book.batch().commit().is_err());
    drop(book);
    // Reopening drops the partial line (kept as evidence) and gives the
    // records as they were acknowledged.
    let reopened = Book::open(&path).unwrap();
    assert_eq!(*reopened.station(), before);
    assert!(reopened.recovery().torn.is_some());
}
