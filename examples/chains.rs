//! Transmission chain statistics and data problems of a cases CSV.
//!
//! `cargo run --example chains -- --cases cases.csv`

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use common::open;
use precinct::{chains, read_cases, Policy};

#[derive(Parser)]
#[command(about = "Print transmission chain statistics and data problems")]
struct Args {
    /// Cases CSV (case_id,person_id,onset,confirmed,infected_by).
    #[arg(long)]
    cases: PathBuf,
}

fn main() -> ExitCode {
    common::exit_with(run(&Args::parse()))
}

fn run(args: &Args) -> precinct::Result<()> {
    let policy = Policy::default();
    let file = open(&args.cases)?;
    let cases = read_cases(file, &policy)?;
    let r = chains(&cases, policy.zone());
    println!("cases: {}", cases.len());
    println!(
        "clusters: {} (largest {})",
        r.clusters.len(),
        r.clusters.first().map_or(0, Vec::len)
    );
    println!("cases per generation: {:?}", r.cases_per_generation());
    let longest: Vec<&str> = r
        .longest_chain
        .iter()
        .map(precinct::CaseId::as_str)
        .collect();
    println!(
        "longest chain: {} cases: {}",
        longest.len(),
        longest.join(" -> ")
    );
    let mut top: Vec<_> = r.secondary_cases.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    println!(
        "mean secondary cases per case: {:.3}",
        r.mean_secondary_cases
    );
    for (case, n) in top.iter().take(5) {
        println!("  {case} infected {n}");
    }
    match r.mean_serial_interval() {
        Some(m) => println!(
            "serial intervals: {} known, mean {m:.2} days",
            r.serial_intervals.len()
        ),
        None => println!("serial intervals: none known (onsets missing)"),
    }
    println!("data problems: {}", r.problems.len());
    for p in &r.problems {
        println!("  {}", serde_json::to_string(p).unwrap_or_default());
    }
    Ok(())
}
