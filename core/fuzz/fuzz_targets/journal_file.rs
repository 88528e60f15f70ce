//! Opening a journal file: a book or a typed error, never a panic; opening
//! it twice gives the same book.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("precinct-fuzz-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let path = dir.join("fuzz.journal");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let first = precinct::Book::open(&path).map(|b| (b.head().to_string(), b.station().clone()));
    if let Ok((head, station)) = first {
        let again = precinct::Book::open(&path).expect("a journal that opened opens again");
        assert_eq!(again.head(), head);
        assert_eq!(*again.station(), station);
    }
    let _ = std::fs::remove_dir_all(&dir);
});
