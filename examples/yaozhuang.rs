//! The main job: the whole story of the Yaozhuang station on built-in demo
//! data, kept in a journal file, ending with the station's summary report.
//! Run it twice: the second run reopens the journal instead of writing it.
//!
//! `cargo run --release -p precinct --features demo --example yaozhuang [-- --seed N --small --journal PATH --fresh]`

mod common;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant as Clock;

use clap::Parser;
use precinct::demo::{cast, demo_book, write_story, DemoSize, DEMO_KEY_SEED};
use precinct::{
    exposure_window, parse_instant, render_instant, second_ring_contacts, verify_token, Book,
    Policy, StationKey, Subject, TraceInputs,
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
    /// The journal file [default: artifacts/yaozhuang-<seed>[-small].journal].
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Start a new journal even if one exists.
    #[arg(long)]
    fresh: bool,
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
    let path = args.journal.clone().unwrap_or_else(|| {
        let small = if args.small { "-small" } else { "" };
        PathBuf::from(format!("artifacts/yaozhuang-{}{small}.journal", args.seed))
    });
    let book = open_journal(&path, args, size)?;
    let st = book.station();
    let zone = st.policy().zone();

    println!(
        "The returnee family: {}, {}, {} arrived from Wuhan on 2020-01-22.",
        cast::FATHER,
        cast::MOTHER,
        cast::SON
    );
    let c1 = &st.cases()[0];
    let window = exposure_window(c1, st.policy())?;
    println!(
        "Confirmed {}; exposure window {} to {} ({}).",
        c1.confirmed.render(zone),
        render_instant(window.interval.start, zone),
        render_instant(window.interval.end, zone),
        window.rule
    );
    let follow_up = st.contacts().follow_up();
    println!("Close contacts found: {}", follow_up.contacts);
    for r in st.contacts().records().take(5) {
        let reasons: Vec<String> = r.contact.evidence.iter().map(|e| e.render(zone)).collect();
        println!("  {} <- {}", r.contact.person, reasons.join("; "));
    }
    println!("  ... and {} more", follow_up.contacts.saturating_sub(5));
    let contacts: Vec<_> = st.contacts().records().map(|r| r.contact.clone()).collect();
    let inputs = TraceInputs {
        visits: st.visits(),
        residents: Some(st.residents()),
        interviews: st.interviews(),
        policy: st.policy(),
    };
    let ring = second_ring_contacts(st.cases(), &contacts, inputs, window.interval);
    println!("Contacts of contacts (second ring): {}", ring.len());

    let key = StationKey::from_seed(DEMO_KEY_SEED);
    let at = parse_instant("2020-03-01 09:00", zone)?;
    let first = st
        .passes()
        .passes()
        .find(|p| p.revoked_at.is_none() && p.valid_from <= at && at < p.valid_until)
        .map_or(1, |p| p.serial);
    let token = st.passes().token(first, &key)?;
    let (public, revoked) = (key.public(), st.passes().revocation_list());
    let verdict = verify_token(&token, &public, &revoked, at, None);
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

    println!("\nThe record book's audit trail of {}:", cast::FATHER);
    for e in book.history(&Subject::Person(cast::FATHER.into()))? {
        println!(
            "  #{:<7} {} by {:<22} {}",
            e.seq,
            render_instant(e.at, zone),
            e.by,
            e.command.name()
        );
    }
    let export = st.analytic_export(b"demo pseudonym key, not a secret")?;
    let father = st.residents().person(&cast::FATHER.into())?;
    if let Some(p) = export
        .persons
        .iter()
        .find(|p| p.document == father.document.masked())
    {
        println!(
            "In the analytic export ({} persons, {} check-ins) {} appears as {} {} {}.",
            export.persons.len(),
            export.visits.len(),
            cast::FATHER,
            p.pseudonym,
            p.name,
            p.document
        );
    }

    let as_of = parse_instant(&format!("{} 18:00", cast::REPORT_DAY), zone)?;
    println!("\n{}", st.report(as_of));
    Ok(())
}

/// Reopen the story's journal, or write the story into a new one.
fn open_journal(path: &Path, args: &Args, size: DemoSize) -> precinct::Result<Book> {
    let io = |e: std::io::Error| precinct::Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if args.fresh && path.exists() {
        std::fs::remove_file(path).map_err(io)?;
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let started = Clock::now();
    if path.exists() {
        let book = Book::open(path)?;
        println!(
            "Journal {}: {} in {:.1} s; head {}.",
            path.display(),
            book.recovery(),
            started.elapsed().as_secs_f64(),
            &book.head()[..16]
        );
        let fresh = demo_book(args.seed, size)?;
        println!(
            "The replayed book is {} the story written afresh (seed {}).\n",
            if fresh.station() == book.station() {
                "identical to"
            } else {
                "different from"
            },
            args.seed
        );
        return Ok(book);
    }
    let mut book = Book::create(path, Policy::default())?;
    write_story(&mut book, args.seed, size)?;
    println!(
        "Wrote the story of the demo town (seed {}) into the new journal {} in {:.1} s: {} events, head {}.",
        args.seed,
        path.display(),
        started.elapsed().as_secs_f64(),
        book.seq(),
        &book.head()[..16]
    );
    println!("Run again to reopen it.\n");
    Ok(book)
}
