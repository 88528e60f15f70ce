//! The shared scenarios of `tests/book_scenarios.json`: commands with their
//! receipts or error codes and queries with their answers, across all five
//! areas. The Python and Node tests run the same file through their
//! bindings, so the three languages answer alike.
//!
//! `UPDATE_SCENARIOS=1` records the receipt or answer of each step that has
//! none (and rewrites one that differs, printing it): read every change
//! before committing it. Expected error codes are never rewritten.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on a bad scenario file"
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use precinct::{parse_instant, Book, Command, Policy, Query};
use serde_json::{json, Value};

fn scenarios_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/book_scenarios.json")
}

/// Run one step; the error's code or what it gives (a receipt or an answer) as JSON.
fn run(book: &mut Book, step: &Value) -> Result<Value, String> {
    let zone = book.policy().zone();
    if let Some(query) = step.get("query") {
        return book
            .query(query)
            .map(|answer| answer.to_json(zone))
            .map_err(|e| e.code().to_string());
    }
    let at =
        parse_instant(step["at"].as_str().expect("a step's `at`"), zone).expect("a step's `at`");
    let by = step["by"].as_str().expect("a step's `by`");
    let command =
        Command::from_json_in(&step["command"], zone).map_err(|e| e.code().to_string())?;
    let receipt = book
        .execute(by, at, command)
        .map_err(|e| e.code().to_string())?;
    Ok(precinct::to_value(&receipt).unwrap().to_json(zone))
}

#[test]
fn every_scenario_gives_its_receipts_answers_and_errors() {
    let path = scenarios_path();
    let text = std::fs::read_to_string(&path).expect("tests/book_scenarios.json");
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let update = std::env::var_os("UPDATE_SCENARIOS").is_some();
    let mut failures = Vec::new();
    let mut asked = BTreeSet::new();
    for scenario in doc["scenarios"].as_array_mut().unwrap() {
        let name = scenario["name"].as_str().unwrap().to_string();
        let policy = Policy::preset(scenario["policy"].as_str().unwrap()).unwrap();
        let mut book = Book::in_memory(policy).unwrap();
        for (i, step) in scenario["steps"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            if let Some(q) = step.pointer("/query/query").and_then(Value::as_str) {
                asked.insert(q.to_string());
            }
            let got = run(&mut book, step);
            let key = if step.get("query").is_some() {
                "answer"
            } else {
                "receipt"
            };
            let where_ = format!("{name}, step {}", i + 1);
            match (got, step.get("error").and_then(Value::as_str)) {
                (Err(code), Some(expected)) if code == expected => {}
                (Err(code), Some(expected)) => {
                    failures.push(format!("{where_}: error `{code}`, expected `{expected}`"));
                }
                (Ok(v), Some(expected)) => {
                    failures.push(format!("{where_}: gave {v}, expected error `{expected}`"));
                }
                (Err(code), None) => failures.push(format!("{where_}: error `{code}`")),
                (Ok(v), None) => match step.get(key) {
                    Some(expected) if *expected == v => {}
                    Some(_) | None if update => {
                        println!("{where_}: recorded {key} {v}");
                        step[key] = v;
                    }
                    Some(expected) => {
                        failures.push(format!("{where_}: {key} {v}\n  expected {expected}"));
                    }
                    None => failures.push(format!("{where_}: no {key} to compare {v} with")),
                },
            }
        }
    }
    if update {
        let mut out = serde_json::to_string_pretty(&doc).unwrap();
        out.push('\n');
        std::fs::write(&path, out).unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let missing: Vec<_> = Query::NAMES
        .iter()
        .filter(|q| !asked.contains(**q))
        .collect();
    assert!(missing.is_empty(), "queries no scenario asks: {missing:?}");
}

#[test]
fn an_error_inside_a_command_names_the_field_the_value_and_what_was_expected() {
    let zone = Policy::default().zone();
    let bad = json!({"type": "extend_order", "order": "O1", "exposure": "2020-02-30 09:00"});
    let e = Command::from_json_in(&bad, zone).unwrap_err().to_string();
    assert!(
        e.contains("command `extend_order`, field `exposure`"),
        "{e}"
    );
    assert!(e.contains("2020-02-30 09:00"), "{e}");
    let missing = json!({"type": "extend_order", "order": "O1"});
    let e = Command::from_json_in(&missing, zone)
        .unwrap_err()
        .to_string();
    assert!(e.contains("field `exposure` `(missing)`"), "{e}");
    let nested = json!({"type": "record_travel", "travel": {"person": "P1", "from_area": "A1",
        "departed": "2020-01-20 08:00", "arrived": "yesterday"}});
    let e = Command::from_json_in(&nested, zone)
        .unwrap_err()
        .to_string();
    assert!(e.contains("field `travel.arrived` `yesterday`"), "{e}");
    // Serde's Rust type names are said in plain words.
    let e = Command::from_json_in(&json!({"type": "revoke_pass", "serial": "1"}), zone)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("field `serial`") && e.ends_with("expected a whole number, not negative"),
        "{e}"
    );
    let e = Command::from_json_in(&json!("issue_pass"), zone)
        .unwrap_err()
        .to_string();
    assert!(
        e.ends_with("expected a command: an object with its `type`"),
        "{e}"
    );
    // Whole Unix seconds are a time, as the bindings' `at` takes them.
    let seconds = json!({"type": "extend_order", "order": "O1", "exposure": 1_580_000_000});
    assert!(Command::from_json_in(&seconds, zone).is_ok());
    // A misspelled optional field would be dropped silently: it is refused.
    let typo = json!({"type": "isolate_contact", "person": "P6", "knid": "home"});
    let e = Command::from_json_in(&typo, zone).unwrap_err().to_string();
    assert!(e.contains("command `isolate_contact`, field `knid`"), "{e}");
    let nested = json!({"type": "add_household", "household": {"id": "H1", "village": "V",
        "group": "1", "address": "a", "landlord": null, "landlrod": "P1"}});
    let e = Command::from_json_in(&nested, zone)
        .unwrap_err()
        .to_string();
    assert!(e.contains("field `household.landlrod`"), "{e}");
    // Without a zone (a journal line), a naive time is refused, saying why.
    let naive = json!({"type": "extend_order", "order": "O1", "exposure": "2020-02-10 09:00"});
    let e = Command::from_json(&naive).unwrap_err().to_string();
    assert!(e.contains("with its offset"), "{e}");
}
