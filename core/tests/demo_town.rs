//! The demo town of `tests/demo_town.json`: for each seed and size, the
//! journal's last sequence number and head hash, so the story is the same
//! town on every platform and in every binding.
#![cfg(feature = "demo")]
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

use std::path::Path;

use precinct::demo::{demo_book, DemoSize};
use serde_json::Value;

/// The fingerprints of `tests/demo_town.json` for towns of `size`; any
/// difference is listed, with the values the story gives now.
fn check(size_name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/demo_town.json");
    let cases: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut wrong = Vec::new();
    let towns = cases["towns"].as_array().unwrap();
    for case in towns.iter().filter(|c| c["size"] == size_name) {
        let seed = case["seed"].as_u64().unwrap();
        let size = match case["size"].as_str().unwrap() {
            "small" => DemoSize::SMALL,
            "town" => DemoSize::TOWN,
            other => panic!("size `{other}` should be `small` or `town`"),
        };
        let book = demo_book(seed, size).unwrap();
        if (book.seq(), book.head())
            != (
                case["seq"].as_u64().unwrap(),
                case["head"].as_str().unwrap(),
            )
        {
            wrong.push(format!(
                "seed {seed}, {}: seq {}, head {}",
                case["size"],
                book.seq(),
                book.head()
            ));
        }
    }
    assert!(wrong.is_empty(), "the story changed:\n{}", wrong.join("\n"));
}

#[test]
fn the_small_demo_town_is_the_one_the_shared_file_names() {
    check("small");
}

// The whole town is a separate test so the two run side by side.
#[test]
fn the_whole_demo_town_is_the_one_the_shared_file_names() {
    check("town");
}
