//! Issue 11, item 8: every input at the ends of the representable ranges
//! gets a typed error (or a result), never a panic, and a refused command
//! leaves the book as it was.
//!
//! The commands are every kind the demo story journals, each replayed up to
//! just before it so that it would be accepted as written; then each of its
//! times, dates and numbers in turn is replaced by an extreme value, and the
//! entry's own time too.
#![cfg(feature = "demo")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::semicolon_if_nothing_returned,
    dropping_copy_types,
    reason = "test helpers fail loudly on bad fixtures"
)]

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{DateTime, NaiveDate, Utc};
use precinct::demo::{demo_book, DemoSize};
use precinct::*;
use serde_json::Value;

/// Instants at and near chrono's ends (years ±262,143) and just outside the
/// four-digit years.
fn extreme_instants() -> Vec<Instant> {
    let max = DateTime::<Utc>::MAX_UTC;
    let min = DateTime::<Utc>::MIN_UTC;
    let day = chrono::Duration::days(1);
    vec![
        max,
        max - day * 2,
        min,
        min + day * 2,
        "+10000-01-01T00:00:00Z".parse().unwrap(),
        "0000-12-31T23:59:59Z".parse().unwrap(),
    ]
}

const EXTREME_DATES: [&str; 4] = [
    "+262142-12-31",
    "-262143-01-01",
    "+262142-12-20",
    "-262142-01-10",
];

/// Integers at the ends of the types they are read into, and Unix seconds
/// beyond chrono's range (±8.2e12).
const EXTREME_NUMBERS: [i128; 10] = [
    u32::MAX as i128,
    u32::MAX as i128 - 1,
    180_000_000,
    u64::MAX as i128,
    i64::MAX as i128,
    i64::MIN as i128,
    8_210_266_876_799,
    -8_210_266_876_799,
    8_210_266_876_800,
    -1,
];

fn number(n: i128) -> Value {
    if n < 0 {
        Value::from(n as i64)
    } else {
        Value::from(n as u64)
    }
}

/// Every way to make one leaf of `value` extreme: (path, new value).
fn mutations(value: &Value, path: &str, out: &mut Vec<(String, Value)>, root: &Value) {
    let replace = |new: Value| -> Value {
        let mut whole = root.clone();
        *whole.pointer_mut(path).unwrap() = new;
        whole
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                mutations(v, &format!("{path}/{k}"), out, root);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate().take(2) {
                mutations(v, &format!("{path}/{i}"), out, root);
            }
        }
        Value::String(s) if DateTime::parse_from_rfc3339(s).is_ok() => {
            for t in extreme_instants() {
                out.push((
                    format!("{path}={t:?}"),
                    replace(serde_json::to_value(t).unwrap()),
                ));
            }
        }
        Value::String(s) if s.parse::<NaiveDate>().is_ok() => {
            for d in EXTREME_DATES {
                out.push((format!("{path}={d}"), replace(Value::from(d))));
            }
        }
        Value::Number(_) => {
            for n in EXTREME_NUMBERS {
                out.push((format!("{path}={n}"), replace(number(n))));
            }
        }
        _ => {}
    }
}

/// Run `f`, catching a panic without printing it: `Err(where it panicked)`.
fn quiet<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let previous = std::panic::take_hook();
    let place = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let seen = place.clone();
    std::panic::set_hook(Box::new(move |info| {
        *seen.lock().unwrap() = info.location().map(ToString::to_string).unwrap_or_default();
    }));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.map_err(|_| place.lock().unwrap().clone())
}

fn instant(text: &str) -> Instant {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// One sample of each command kind: (line index, at, cmd), from the demo journal.
fn samples(lines: &[&str]) -> Vec<(usize, Instant, Value)> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let v: Value = serde_json::from_str(line).unwrap();
        let Some(cmd) = v.get("cmd") else { continue };
        let kind = cmd["type"].as_str().unwrap().to_string();
        let n = seen.entry(kind).or_default();
        if *n < 1 {
            *n += 1;
            let at = instant(v["at"].as_str().unwrap());
            out.push((i, at, cmd.clone()));
        }
    }
    out
}

#[test]
fn extreme_values_in_every_command_are_refused_with_a_typed_error() {
    let full = demo_book(7, DemoSize::SMALL).unwrap();
    let text = full.journal_text().unwrap().to_string();
    let lines: Vec<&str> = text.lines().collect();
    let prefix = |i: usize| Book::open_text(&(lines[..i].join("\n") + "\n")).unwrap();
    let mut panics = Vec::new();
    let mut tried = 0;
    let mut refused = 0;
    let kinds = samples(&lines);
    assert!(kinds.len() > 30, "the demo journals {} kinds", kinds.len());
    for (i, at, cmd) in kinds {
        let snapshot = prefix(i).snapshot();
        let fresh = || Book::from_snapshot(&snapshot).unwrap();
        let mut book = fresh();
        // As written, it is accepted.
        let command = Command::from_json(&cmd).unwrap();
        fresh().execute("officer", at, command.clone()).unwrap();
        let mut cases: Vec<(String, Instant, Value)> = Vec::new();
        let mut muts = Vec::new();
        mutations(&cmd, "", &mut muts, &cmd);
        cases.extend(muts.into_iter().map(|(p, v)| (p, at, v)));
        for t in extreme_instants() {
            cases.push((format!("at={t:?}"), t, cmd.clone()));
        }
        for (what, at, json) in cases {
            tried += 1;
            let name = format!("{} {what}", cmd["type"]);
            let (seq, head, station) =
                (book.seq(), book.head().to_string(), book.station().clone());
            let outcome = quiet(|| {
                let command = Command::from_json(&json)?;
                book.execute("officer", at, command)
            });
            match outcome {
                Err(place) => {
                    panics.push(format!("{name} at {place}"));
                    book = fresh();
                }
                Ok(Ok(_)) => book = fresh(),
                Ok(Err(e)) => {
                    refused += 1;
                    assert!(!e.code().is_empty());
                    assert_eq!(book.seq(), seq, "{name}: {e}");
                    assert_eq!(book.head(), head, "{name}: {e}");
                    assert!(*book.station() == station, "{name}: {e}");
                }
            }
        }
    }
    assert!(
        panics.is_empty(),
        "{} of {tried} panicked ({refused} refused):\n{}",
        panics.len(),
        panics.join("\n")
    );
}

/// A named query to run.
type Check<'a> = (&'static str, Box<dyn Fn() + 'a>);

#[test]
#[expect(clippy::too_many_lines, reason = "one table of queries")]
fn queries_at_extreme_times_answer_or_refuse_without_panicking() {
    let book = demo_book(7, DemoSize::SMALL).unwrap();
    let st = book.station();
    let policy = &st.policy();
    let key = StationKey::from_seed([7; 32]);
    let token = st.passes().token(1, &key).unwrap();
    let mut panics = Vec::new();
    let days = [
        NaiveDate::MIN,
        NaiveDate::MAX,
        "0000-12-31".parse().unwrap(),
        "+10000-01-01".parse().unwrap(),
    ];
    for t in extreme_instants() {
        let checks: Vec<Check<'_>> = vec![
            ("report", Box::new(|| drop(st.report(t)))),
            (
                "returnees",
                Box::new(|| drop(st.quarantine().returnees(t, policy))),
            ),
            (
                "overdue",
                Box::new(|| drop(st.registrations().overdue(t, policy))),
            ),
            (
                "verify_token",
                Box::new(|| {
                    drop(verify_token(
                        &token,
                        &key.public(),
                        &st.passes().revocation_list(),
                        t,
                        None,
                    ))
                }),
            ),
            ("local_day", Box::new(|| drop(local_day(t, policy.zone())))),
            (
                "render_instant",
                Box::new(|| drop(render_instant(t, policy.zone()))),
            ),
            (
                "add_days",
                Box::new(|| drop(add_days(t, -3650, policy.zone()))),
            ),
        ];
        for (name, f) in checks {
            if let Err(place) = quiet(f) {
                panics.push(format!("{name}({t:?}) at {place}"));
            }
        }
    }
    for d in days {
        let checks: Vec<Check<'_>> = vec![
            ("service_counts", Box::new(|| drop(st.service_counts(d, d)))),
            (
                "service_counts",
                Box::new(|| drop(st.service_counts(NaiveDate::MIN, d))),
            ),
            (
                "daily_series",
                Box::new(|| drop(st.resumption().daily_series(d, d, GroupBy::All))),
            ),
            (
                "rates",
                Box::new(|| drop(st.resumption().rates(d, GroupBy::All))),
            ),
            (
                "active_on",
                Box::new(|| drop(st.quarantine().active_on(d, policy))),
            ),
            (
                "due_for_release",
                Box::new(|| drop(st.quarantine().due_for_release(d, policy))),
            ),
            (
                "missing_reports",
                Box::new(|| drop(st.screening().missing_reports(st.residents(), d))),
            ),
            ("day_start", Box::new(|| drop(day_start(d, policy.zone())))),
            (
                "day_interval",
                Box::new(|| drop(day_interval(d, policy.zone()))),
            ),
        ];
        for (name, f) in checks {
            if let Err(place) = quiet(f) {
                panics.push(format!("{name}({d}) at {place}"));
            }
        }
    }
    for (start, end, m) in [
        (i64::MIN, i64::MAX, 1),
        (0, 86_400, i64::MIN),
        (i64::MAX - 10, i64::MAX, i64::MAX),
        (8_210_266_876_799, -8_210_266_876_799, 900),
    ] {
        let w = Window { start, end };
        let v = &st.visits();
        let who = v.persons().name(0).to_string();
        let checks: Vec<Check<'_>> = vec![
            ("trace", Box::new(|| drop(trace(v, &who, w, m)))),
            ("second_ring", Box::new(|| drop(second_ring(v, &who, w, m)))),
            ("day_graph", Box::new(|| drop(day_graph(v, start, m, true)))),
            ("day_graph", Box::new(|| drop(day_graph(v, end, m, false)))),
        ];
        for (name, f) in checks {
            if let Err(place) = quiet(f) {
                panics.push(format!("{name}({start}, {end}, {m}) at {place}"));
            }
        }
    }
    assert!(
        panics.is_empty(),
        "{} panicked:\n{}",
        panics.len(),
        panics.join("\n")
    );
}

#[test]
fn a_policy_out_of_bounds_is_refused_wherever_it_enters() {
    for (field, value) in [
        ("pass_validity_days", 180_000_000_u64),
        ("observation_days", u64::from(u32::MAX)),
        ("returnee_isolation_days", 3651),
        ("returnee_lookback_days", u64::from(u32::MAX)),
        ("infectious_days_before_onset", u64::from(u32::MAX)),
        ("foreigner_registration_hours", 8761),
        ("min_overlap_seconds", u64::from(u32::MAX)),
        ("cumulative_period_seconds", u64::from(u32::MAX)),
    ] {
        let mut json = serde_json::to_value(Policy::default()).unwrap();
        json[field] = Value::from(value);
        let err = serde_json::from_value::<Policy>(json.clone())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(field) && err.contains("expected from"),
            "{err}"
        );
        // In a journal's header: refused as damage, not a panic later.
        let book = Book::in_memory(Policy::default()).unwrap();
        let text = book.journal_text().unwrap().to_string();
        let policy = serde_json::to_string(&Policy::default()).unwrap();
        let forged = text.replace(&policy, &serde_json::to_string(&json).unwrap());
        assert_ne!(forged, text);
        assert!(Book::open_text(&forged).is_err());
        // In a snapshot.
        let mut snapshot = serde_json::to_value(book.snapshot()).unwrap();
        snapshot["station"]["policy"] = json;
        assert!(serde_json::from_value::<Snapshot>(snapshot).is_err());
    }
}

#[test]
fn query_parameters_are_checked_once_for_every_query() {
    assert_eq!(min_overlap(-100).unwrap_err().code(), "invalid_value");
    assert_eq!(min_overlap(0).unwrap_err().code(), "invalid_value");
    assert_eq!(min_overlap(900).unwrap(), 900);
    assert!(Window::new(10, 5).is_err());
    assert!(Window::new(8_210_266_876_799, 8_210_266_876_800).is_err());
    assert!(Window::day(i64::MAX).is_err());
    assert_eq!(
        Window::day(0).unwrap(),
        Window {
            start: 0,
            end: 86_400
        }
    );
    // Two visits 10 s apart never met: no query counts them, whatever minimum a
    // Rust caller passes unchecked.
    let v = Visits::from_columns(&["a", "b"], &["m", "m"], &[0, 110], &[100, 200]).unwrap();
    let w = Window {
        start: 0,
        end: 86_400,
    };
    assert!(trace(&v, "a", w, -100).is_empty());
    assert!(second_ring(&v, "a", w, -100).is_empty());
    assert_eq!(day_graph(&v, 0, -100, false).unwrap().edges, 0);
}
