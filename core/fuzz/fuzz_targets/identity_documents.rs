//! The four identity documents: any text is a document or a typed error,
//! and a document's normalized form reads back as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let kind = ["resident_id", "passport_mrz", "credit_code", "mobile"][usize::from(kind % 4)];
    if let Ok(normal) = precinct::validate_document(kind, text) {
        assert_eq!(
            precinct::validate_document(kind, &normal).as_deref(),
            Ok(normal.as_str()),
            "{kind} {text:?}"
        );
    }
});
