//! Verifying a token offline: any text gets a verdict, and nothing but a
//! token the station signed is ever allowed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use precinct::{verify_token, RevocationList, StationKey};

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let key = StationKey::from_seed([7; 32]).public();
    let at = chrono::DateTime::from_timestamp(1_580_860_800, 0).unwrap_or_default();
    let verdict = verify_token(token, &key, &RevocationList::default(), at, None);
    assert!(
        !verdict.allowed,
        "a token the station never signed was allowed: {token:?}"
    );
});
