//! Every CSV reader: any bytes are data or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use precinct::{LineListColumns, Policy};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let policy = Policy::default();
    // Readers of two files take the input split at the first NUL.
    let (a, b) = match rest.iter().position(|&c| c == 0) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &b""[..]),
    };
    match which % 5 {
        0 => {
            let _ = precinct::read_visits(rest, &policy);
        }
        1 => {
            let _ = precinct::read_cases(rest, &policy);
        }
        2 => {
            let _ = precinct::read_residents(a, b);
        }
        3 => {
            let _ = precinct::read_resumption(a, b);
        }
        _ => {
            if let Ok(mut list) = precinct::read_line_list(a, &LineListColumns::default(), &policy)
            {
                let _ = list.add_contacts(b, &LineListColumns::default());
                let _ = list.chains(&policy);
            }
        }
    }
});
