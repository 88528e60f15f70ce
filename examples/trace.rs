//! Close contacts of one case from CSV files, printed as CSV:
//! `person_id,overlap_seconds,first_contact,places`, sorted by person id.
//!
//! `cargo run --example trace -- --visits visits.csv --cases cases.csv --case C1
//!   [--households households.csv --persons persons.csv] [--from TIME --to TIME]
//!   [--policy nhc-2020] [--zone Asia/Seoul]`
//!
//! Integer person ids come out in numeric order (9, 10, 1000), others as text.

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use common::{open, PolicyArgs};
use precinct::{
    close_contacts, parse_instant, read_cases, read_residents, read_visits, render_instant, Error,
    Evidence, Interval, TraceInputs,
};

#[derive(Parser)]
#[command(about = "Print the close contacts of a case as CSV")]
struct Args {
    /// Visits CSV (person_id,place_id,start,end).
    #[arg(long)]
    visits: PathBuf,
    /// Cases CSV (case_id,person_id,onset,confirmed,infected_by).
    #[arg(long)]
    cases: PathBuf,
    /// The case to trace.
    #[arg(long)]
    case: String,
    /// Households CSV, for co-residents (with --persons).
    #[arg(long, requires = "persons")]
    households: Option<PathBuf>,
    /// Persons CSV, for co-residents (with --households).
    #[arg(long, requires = "households")]
    persons: Option<PathBuf>,
    /// Start of the window to use instead of the policy's exposure window.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// End of that window.
    #[arg(long, requires = "from")]
    to: Option<String>,
    #[command(flatten)]
    rules: PolicyArgs,
}

fn main() -> ExitCode {
    common::exit_with(run(&Args::parse()))
}

fn run(args: &Args) -> precinct::Result<()> {
    let policy = args.rules.policy()?;
    let zone = policy.zone();
    let visits = read_visits(open(&args.visits)?, &policy)?;
    let cases = read_cases(open(&args.cases)?, &policy)?;
    let case = cases
        .iter()
        .find(|c| c.id.as_str() == args.case)
        .ok_or_else(|| Error::NotFound {
            what: "case",
            id: args.case.clone(),
        })?;
    let residents = match (&args.households, &args.persons) {
        (Some(h), Some(p)) => Some(read_residents(open(h)?, open(p)?)?),
        _ => None,
    };
    let window = match (&args.from, &args.to) {
        (Some(from), Some(to)) => Some(Interval::new(
            parse_instant(from, zone)?,
            parse_instant(to, zone)?,
        )?),
        _ => None,
    };
    let inputs = TraceInputs {
        visits: &visits,
        residents: residents.as_ref(),
        interviews: &[],
        policy: &policy,
    };
    let contacts = close_contacts(std::slice::from_ref(case), inputs, window)?;
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let io = |e: csv::Error| Error::Io {
        path: "stdout".into(),
        reason: e.to_string(),
    };
    out.write_record(["person_id", "overlap_seconds", "first_contact", "places"])
        .map_err(io)?;
    for c in contacts {
        let places: Vec<&str> = c
            .evidence
            .iter()
            .map(|e| match e {
                Evidence::CoPresence { place, .. } => place.as_str(),
                Evidence::CoResident { .. } => "home",
                Evidence::Interview { .. } => "interview",
            })
            .collect();
        out.write_record([
            c.person.to_string(),
            c.overlap_seconds.to_string(),
            render_instant(c.first_contact, zone),
            places.join(";"),
        ])
        .map_err(io)?;
    }
    out.flush().map_err(|e| Error::Io {
        path: "stdout".into(),
        reason: e.to_string(),
    })
}
