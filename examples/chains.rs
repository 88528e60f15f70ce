//! Transmission chain statistics and data problems of a line list, taken as
//! it is: rows with missing values are reported and the rest analysed,
//! infectors not on the list join their infectees, and cases may have
//! several infectors (in one field separated by `;` or `,`, on several rows,
//! or in a separate contact list).
//!
//! The cases interchange format (`case_id,infected_by,onset,confirmed`):
//!
//! `cargo run -p precinct --example chains -- --cases cases.csv`
//!
//! The DS4C line list (South Korea 2020):
//!
//! `cargo run -p precinct --example chains -- --cases ../shared/data/ds4c/PatientInfo.csv --id patient_id --infected-by infected_by --onset symptom_onset_date --confirmed confirmed_date --zone Asia/Seoul`
//!
//! The MERS 2015 line list with its source-to-case contacts (it has no
//! infected-by column; `--infected-by ''` says so and avoids the problem
//! reported for an absent column):
//!
//! `cargo run -p precinct --example chains -- --cases ../shared/data/mers_korea_2015/linelist.csv --id id --onset dt_onset --confirmed dt_report --infected-by '' --contacts ../shared/data/mers_korea_2015/contacts.csv --from from --to to --zone Asia/Seoul`

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use common::{open, PolicyArgs};
use precinct::{read_line_list, CaseId, LineListColumns};

#[derive(Parser)]
#[command(about = "Print transmission chain statistics and data problems of a line list")]
struct Args {
    /// The line list (CSV with a header row; extra columns are ignored).
    #[arg(long)]
    cases: PathBuf,
    /// Column of the case id.
    #[arg(long, default_value = "case_id")]
    id: String,
    /// Column of the infectors (ids separated by `;` or `,`); '' for none.
    #[arg(long, default_value = "infected_by")]
    infected_by: String,
    /// Column of the symptom onset; '' for none.
    #[arg(long, default_value = "onset")]
    onset: String,
    /// Column of the confirmation; '' for none.
    #[arg(long, default_value = "confirmed")]
    confirmed: String,
    /// A contact list of infector-to-infectee links (CSV).
    #[arg(long)]
    contacts: Option<PathBuf>,
    /// Column of the infector in the contact list.
    #[arg(long, default_value = "from")]
    from: String,
    /// Column of the infectee in the contact list.
    #[arg(long, default_value = "to")]
    to: String,
    /// How many data problems to show.
    #[arg(long, default_value_t = 10)]
    show: usize,
    #[command(flatten)]
    rules: PolicyArgs,
}

fn main() -> ExitCode {
    common::exit_with(run(&Args::parse()))
}

fn ids(list: &[CaseId]) -> String {
    list.iter()
        .map(CaseId::as_str)
        .collect::<Vec<_>>()
        .join(" -> ")
}

fn run(args: &Args) -> precinct::Result<()> {
    let policy = args.rules.policy()?;
    let named = |c: &str| Some(c.to_string()).filter(|c| !c.is_empty());
    let columns = LineListColumns {
        id: args.id.clone(),
        infected_by: named(&args.infected_by),
        onset: named(&args.onset),
        confirmed: named(&args.confirmed),
        from: args.from.clone(),
        to: args.to.clone(),
        ..LineListColumns::default()
    };
    let mut list = read_line_list(open(&args.cases)?, &columns, &policy)?;
    if let Some(contacts) = &args.contacts {
        list.add_contacts(open(contacts)?, &columns)?;
    }
    let r = list.chains(&policy);
    let several = list
        .cases
        .iter()
        .filter(|c| c.infected_by.len() > 1)
        .count();
    println!("cases: {}", r.cases);
    println!(
        "links: {} ({several} cases with several infectors)",
        r.edges
    );
    println!(
        "infectors not on the list: {} (with {} infectees)",
        r.placeholders.len(),
        r.placeholders.values().map(Vec::len).sum::<usize>()
    );
    for (p, infectees) in r.placeholders.iter().take(5) {
        println!("  {p} (not on the list) infected {}", infectees.len());
    }
    let linked = r.clusters.iter().filter(|c| c.cases.len() > 1).count();
    println!(
        "clusters: {} ({linked} of two or more cases; largest {})",
        r.clusters.len(),
        r.clusters.first().map_or(0, |c| c.cases.len())
    );
    println!(
        "cases per generation (from 1; infectors not on the list are 0): {:?}",
        r.cases_per_generation()
    );
    let chain_cases = r
        .longest_chain
        .iter()
        .filter(|id| !r.placeholders.contains_key(*id))
        .count();
    println!(
        "longest chain: {chain_cases} cases: {}{}",
        ids(&r.longest_chain),
        match r.longest_chain.first() {
            Some(first) if r.placeholders.contains_key(first) =>
                format!(" ({first} is not on the list)"),
            _ => String::new(),
        }
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
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for p in &r.problems {
        let v = serde_json::to_value(p).unwrap_or_default();
        let kind = v["problem"].as_str().unwrap_or("other").to_string();
        *kinds.entry(kind).or_default() += 1;
    }
    println!("data problems: {} {kinds:?}", r.problems.len());
    for p in r.problems.iter().take(args.show) {
        println!("  {p}");
    }
    if r.problems.len() > args.show {
        println!("  ... and {} more", r.problems.len() - args.show);
    }
    Ok(())
}
