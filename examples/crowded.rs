//! The co-presence queries on crowded data, for peak memory and time:
//! `crowded pair N QUERY` (two persons with N simultaneous visits each at
//! one place) or `crowded hub N QUERY` (one person with N visits a few
//! seconds apart, and 1,000 others with one visit each, all at one place).
//! QUERY is `trace`, `second_ring`, `day_graph`, `close_contacts` or
//! `pairwise` (`close_contacts` under the pairwise rule of version 0.1).
//!
//! `/usr/bin/time -v target/release/examples/crowded pair 10000 day_graph`

use std::process::ExitCode;
use std::time::Instant as Clock;

use precinct::{
    close_contacts, day_graph, second_ring, trace, Case, DateOrTime, ExposureRule, Policy,
    TraceInputs, Visits, Window,
};

/// 2020-01-26 09:00 UTC.
const T0: i64 = 1_580_029_200;

fn crowd(kind: &str, n: usize) -> Option<Visits> {
    let (mut persons, mut starts, mut ends) = (Vec::new(), Vec::new(), Vec::new());
    match kind {
        "pair" => {
            for p in ["a", "b"] {
                for _ in 0..n {
                    persons.push(p.to_string());
                    starts.push(T0);
                    ends.push(T0 + 3600);
                }
            }
        }
        "hub" => {
            for i in 0..n {
                persons.push("a".to_string());
                starts.push(T0 + i as i64 % 3600);
                ends.push(T0 + 3600 + i as i64 % 3600);
            }
            for i in 0..1000 {
                persons.push(format!("o{i}"));
                starts.push(T0 + i);
                ends.push(T0 + 7200);
            }
        }
        _ => return None,
    }
    let places = vec!["market"; persons.len()];
    Visits::from_columns(&persons, &places, &starts, &ends).ok()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(kind), Some(Ok(n)), Some(query)) =
        (args.get(1), args.get(2).map(|n| n.parse()), args.get(3))
    else {
        eprintln!("usage: crowded pair|hub N trace|second_ring|day_graph|close_contacts|pairwise");
        return ExitCode::FAILURE;
    };
    let Some(visits) = crowd(kind, n) else {
        eprintln!("unknown case `{kind}`");
        return ExitCode::FAILURE;
    };
    let window = Window {
        start: T0 - 86_400,
        end: T0 + 86_400,
    };
    let clock = Clock::now();
    let answer = match query.as_str() {
        "trace" => format!("{} contacts", trace(&visits, "a", window, 900).len()),
        "second_ring" => format!("{} in ring 2", second_ring(&visits, "a", window, 900).len()),
        "day_graph" => match day_graph(&visits, T0 - 3600, 900, false) {
            Ok(g) => format!("{} edges", g.edges),
            Err(e) => format!("error: {e}"),
        },
        "close_contacts" | "pairwise" => {
            let mut policy = Policy::default();
            if query == "pairwise" {
                policy.exposure_rule = ExposureRule::Pairwise;
            }
            let Ok(confirmed) = DateOrTime::parse("2020-01-27 19:00", policy.zone()) else {
                return ExitCode::FAILURE;
            };
            let case = Case::new("C1", "a", confirmed);
            let inputs = TraceInputs {
                visits: &visits,
                residents: None,
                interviews: &[],
                policy: &policy,
            };
            match close_contacts(&[case], inputs, None) {
                Ok(c) => format!("{} close contacts", c.len()),
                Err(e) => format!("error: {e}"),
            }
        }
        _ => {
            eprintln!("unknown query `{query}`");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{kind} {n} {query}: {answer} in {:.3} s",
        clock.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
