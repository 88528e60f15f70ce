//! Resumption rates per date as CSV from enterprises and reports CSVs.
//!
//! `cargo run --example resumption -- --enterprises e.csv --reports r.csv [--by village|sector|size]`

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use common::open;
use precinct::{read_resumption, Error, GroupBy};

#[derive(Parser)]
#[command(about = "Print enterprise and workforce resumption rates per date as CSV")]
struct Args {
    /// Enterprises CSV (enterprise_id,name,village,sector,workforce).
    #[arg(long)]
    enterprises: PathBuf,
    /// Reports CSV (enterprise_id,date,resumed,workers_on_site).
    #[arg(long)]
    reports: PathBuf,
    /// Group by village, sector or size (default: the whole town).
    #[arg(long, default_value = "all")]
    by: String,
}

fn main() -> ExitCode {
    common::exit_with(run(&Args::parse()))
}

fn run(args: &Args) -> precinct::Result<()> {
    let by: GroupBy = args.by.parse()?;
    let r = read_resumption(open(&args.enterprises)?, open(&args.reports)?)?;
    let Some((from, to)) = r.report_span() else {
        return Err(Error::InvalidValue {
            field: "reports".into(),
            value: args.reports.display().to_string(),
            expected: "at least one report".into(),
        });
    };
    println!("date,group,enterprises,resumed,enterprise_rate,workforce,on_site,workforce_rate");
    for row in r.daily_series(from, to, by) {
        println!(
            "{},{},{},{},{:.4},{},{},{:.4}",
            row.date,
            row.group,
            row.enterprises,
            row.resumed,
            row.enterprise_rate,
            row.workforce,
            row.on_site,
            row.workforce_rate
        );
    }
    Ok(())
}
