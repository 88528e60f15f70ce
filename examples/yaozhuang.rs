//! The main job: the whole story of the Yaozhuang station on built-in demo
//! data, ending with the station's summary report.
//!
//! `cargo run --release --example yaozhuang [-- --seed N --small]`

mod common;

use std::process::ExitCode;

use clap::Parser;
use precinct::demo::{cast, demo_station, DemoSize, DEMO_KEY_SEED};
use precinct::{
    exposure_window, parse_instant, render_instant, second_ring_contacts, verify_token, StationKey,
    TraceInputs,
};

#[derive(Parser)]
#[command(about = "Play the Yaozhuang station's story on demo data and print its report")]
struct Args {
    /// Seed of the demo data generator.
    #[arg(long, default_value_t = 2020)]
    seed: u64,
    /// A small town (1,000 residents) instead of the full one.
    #[arg(long)]
    small: bool,
}

fn main() -> ExitCode {
    common::exit_with(run(&Args::parse()))
}

fn run(args: &Args) -> precinct::Result<()> {
    let size = if args.small {
        DemoSize::SMALL
    } else {
        DemoSize::TOWN
    };
    let started = std::time::Instant::now();
    let st = demo_station(args.seed, size)?;
    let zone = st.policy.zone();
    println!(
        "Generated the demo town in {:.1} s (seed {}).\n",
        started.elapsed().as_secs_f64(),
        args.seed
    );

    println!(
        "The returnee family: {}, {}, {} arrived from Wuhan on 2020-01-22.",
        cast::FATHER,
        cast::MOTHER,
        cast::SON
    );
    let c1 = &st.cases[0];
    let window = exposure_window(c1, &st.policy)?;
    println!(
        "Confirmed {}; exposure window {} to {} ({}).",
        c1.confirmed.render(zone),
        render_instant(window.interval.start, zone),
        render_instant(window.interval.end, zone),
        window.rule
    );
    let follow_up = st.contacts.follow_up();
    println!("Close contacts found: {}", follow_up.contacts);
    for r in st.contacts.records().take(5) {
        let reasons: Vec<String> = r.contact.evidence.iter().map(ToString::to_string).collect();
        println!("  {} <- {}", r.contact.person, reasons.join("; "));
    }
    println!("  ... and {} more", follow_up.contacts.saturating_sub(5));
    let contacts: Vec<_> = st.contacts.records().map(|r| r.contact.clone()).collect();
    let inputs = TraceInputs {
        visits: &st.visits,
        residents: Some(&st.residents),
        interviews: &st.interviews,
        policy: &st.policy,
    };
    let ring = second_ring_contacts(&st.cases, &contacts, inputs, window.interval);
    println!("Contacts of contacts (second ring): {}", ring.len());

    let key = StationKey::from_seed(DEMO_KEY_SEED);
    let at = parse_instant("2020-03-01 09:00", zone)?;
    let first = st
        .passes
        .passes()
        .find(|p| p.revoked_at.is_none() && p.valid_from <= at && at < p.valid_until)
        .map_or(1, |p| p.serial);
    let token = st.passes.token(first, &key)?;
    let verdict = verify_token(&token, &key.public(), &st.passes.revocation_list(), at);
    println!(
        "\nA pass token for the QR code ({} characters): {token}",
        token.len()
    );
    println!(
        "Checked offline at the checkpoint on 2020-03-01: {}",
        if verdict.allowed {
            "allowed".to_string()
        } else {
            format!(
                "denied: {}",
                verdict.reason.map(|r| r.to_string()).unwrap_or_default()
            )
        }
    );

    let as_of = parse_instant(&format!("{} 18:00", cast::REPORT_DAY), zone)?;
    println!("\n{}", st.report(as_of));
    Ok(())
}
