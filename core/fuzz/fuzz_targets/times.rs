//! Time forms, zones and dates: any text is a value or a typed error, and an
//! instant rendered in a zone reads back as the same instant.
#![no_main]

use libfuzzer_sys::fuzz_target;
use precinct::{parse_date, parse_instant, render_instant, DateOrTime, TimeBounds, Zone};

fuzz_target!(|data: &[u8]| {
    let Some((&z, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let zones = [
        "Asia/Shanghai",
        "Europe/Berlin",
        "America/Santiago",
        "+05:45",
        "UTC",
    ];
    let zone: Zone = zones[usize::from(z) % zones.len()]
        .parse()
        .unwrap_or_default();
    let _ = Zone::parse(text);
    let _ = parse_date(text);
    let _ = DateOrTime::parse(text, zone);
    let _ = precinct::parse_unix_seconds(text, TimeBounds::default());
    if let Ok(at) = parse_instant(text, zone) {
        let shown = render_instant(at, zone);
        if let Ok(again) = parse_instant(&shown, zone) {
            assert_eq!(again, at, "{text:?} rendered as {shown}");
        }
        let _ = precinct::local_day(at, zone);
        let _ = precinct::add_days(at, i64::from(z) - 128, zone);
    }
});
