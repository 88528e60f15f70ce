//! Opening a journal held in a string: a book or a typed error; a book that
//! opens gives back a journal that opens to the same book.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(book) = precinct::Book::open_text(text) {
        let again = precinct::Book::open_text(book.journal_text().unwrap_or_default())
            .expect("a journal the book kept opens");
        assert_eq!(again.station(), book.station());
        assert_eq!(again.head(), book.head());
    }
});
