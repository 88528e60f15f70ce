//! Loading a policy: any JSON is a valid policy or a typed error, and a
//! valid policy's rules compute without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use precinct::{Book, Policy};

fuzz_target!(|data: &[u8]| {
    let Ok(policy) = serde_json::from_slice::<Policy>(data) else {
        return;
    };
    if policy.validate().is_err() {
        return;
    }
    let zone = policy.zone();
    let day = chrono::NaiveDate::from_ymd_opt(2020, 3, 29).unwrap_or_default();
    let _ = precinct::day_interval(day, zone);
    let mut case = precinct::Case::new("C1", "P1", precinct::DateOrTime::Date(day));
    case.onset = Some(precinct::DateOrTime::Date(day));
    let _ = precinct::exposure_window(&case, &policy);
    let _ = Book::in_memory(policy);
});
