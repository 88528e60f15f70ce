//! Commands from JSON, executed on the demo's small story and replayed: a
//! command is applied or refused with a typed error, and the journal replays
//! to the same book.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use precinct::{Book, Command, Policy};

fn base() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut book = Book::in_memory(Policy::default()).expect("the default policy is valid");
        let at = precinct::parse_instant("2020-02-05 09:00", Policy::default().zone())
            .expect("a valid time");
        let json = serde_json::json!({"type": "add_household", "household":
            {"id": "H1", "village": "Yaozhuang", "group": "3", "address": "18 Old Street", "landlord": null}});
        let command = Command::from_json(&json).expect("a valid command");
        book.execute("fuzz", at, command).expect("the first household is added");
        book.journal_text().unwrap_or_default().to_string()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&when, rest)) = data.split_first() else {
        return;
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(rest) else {
        return;
    };
    let Ok(command) = Command::from_json(&json) else {
        return;
    };
    let mut book = Book::open_text(base()).expect("the base journal opens");
    let at = chrono::DateTime::from_timestamp(1_580_860_800 + i64::from(when) * 7_919, 0)
        .unwrap_or_default();
    let before = book.station().clone();
    match book.execute("fuzz", at, command) {
        Ok(_) => {
            let text = book.journal_text().unwrap_or_default().to_string();
            let again = Book::open_text(&text).expect("an acknowledged command replays");
            assert_eq!(again.station(), book.station());
        }
        Err(_) => assert_eq!(
            *book.station(),
            before,
            "a refused command changed the book"
        ),
    }
});
