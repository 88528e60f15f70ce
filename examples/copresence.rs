//! The co-presence queries at scale, the Rust side of the peer comparison
//! (`scripts/peers`).
//!
//! `copresence generate --visits N [--town default|busy|long] --out DIR`
//! writes a synthetic town's check-ins as raw little-endian `i64` columns
//! (`person.i64`, `place.i64`, `start.i64`, `end.i64`) with `town.json`
//! (its size, shape and the queries' window).
//! `copresence run --data DIR` builds the index, runs Trace and Second ring
//! for a hub and a median person over the last three days and the Day graph
//! of the last day, and writes timings and results to `DIR/precinct.json`.

mod common;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant as Clock;

use clap::{Parser, Subcommand};
use precinct::demo::{index_cases, SyntheticTown, TownShape, VisitColumns};
use precinct::{
    day_graph, read_visits, second_ring, trace, trace_columns, Error, Policy, Visits, Window,
};
use serde_json::json;

#[derive(Parser)]
#[command(about = "Co-presence queries on a synthetic town, timed")]
struct Args {
    #[command(subcommand)]
    command: Step,
}

#[derive(Subcommand)]
enum Step {
    /// Generate a synthetic town's check-ins.
    Generate {
        /// Number of check-ins.
        #[arg(long)]
        visits: usize,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Generator seed.
        #[arg(long, default_value_t = 2020)]
        seed: u64,
        /// The town's shape: default, busy (ten times fewer places) or
        /// long (stays around two hours at habitual places).
        #[arg(long, default_value = "default", value_parser = shape)]
        town: TownShape,
    },
    /// Build the index and run the three queries.
    Run {
        /// Folder written by `generate`.
        #[arg(long)]
        data: PathBuf,
        /// Runs of each query; the median time is reported.
        #[arg(long, default_value_t = 5)]
        repeat: usize,
        /// Also time reading the check-ins from CSV (written once into the folder).
        #[arg(long)]
        csv: bool,
    },
}

const MIN_OVERLAP: i64 = 900;
const COLUMNS: [&str; 4] = ["person", "place", "start", "end"];

fn main() -> ExitCode {
    common::exit_with(match Args::parse().command {
        Step::Generate {
            visits,
            out,
            seed,
            town,
        } => generate(town, visits, &out, seed),
        Step::Run { data, repeat, csv } => run(&data, repeat.max(1), csv),
    })
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn shape(name: &str) -> Result<TownShape, String> {
    TownShape::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = TownShape::ALL.iter().map(|s| s.name()).collect();
        format!("one of {}", names.join(", "))
    })
}

fn generate(shape: TownShape, visits: usize, out: &Path, seed: u64) -> precinct::Result<()> {
    let town = SyntheticTown::shaped(shape, visits);
    let p = shape.parameters();
    let c = town.generate(seed);
    std::fs::create_dir_all(out).map_err(io(out))?;
    for (name, column) in COLUMNS.iter().zip([&c.person, &c.place, &c.start, &c.end]) {
        let path = out.join(format!("{name}.i64"));
        let bytes: Vec<u8> = column.iter().flat_map(|x| x.to_le_bytes()).collect();
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    let last_day = town.first_day() + (town.days as i64 - 1) * 86_400;
    let meta = json!({
        "visits": town.visits, "persons": town.persons, "places": town.places,
        "days": town.days, "seed": seed, "min_overlap": MIN_OVERLAP,
        "town": shape.name(),
        "shape": {
            "persons_per_place": p.persons_per_place,
            "stay_median": p.stay_median, "stay_sigma": p.stay_sigma,
            "stay_min": p.stay_min, "stay_max": p.stay_max,
            "habitual_places": p.habitual_places, "habitual_share": p.habitual_share,
        },
        "window": [last_day - 2 * 86_400, last_day + 86_400],
        "day": last_day,
    });
    let path = out.join("town.json");
    std::fs::write(&path, meta.to_string()).map_err(io(&path))?;
    println!(
        "{} town: {} check-ins of {} persons at {} places over {} days in {}",
        shape.name(),
        town.visits,
        town.persons,
        town.places,
        town.days,
        out.display()
    );
    Ok(())
}

fn load(data: &Path) -> precinct::Result<(serde_json::Value, VisitColumns)> {
    let path = data.join("town.json");
    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
    let meta: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut columns = Vec::new();
    for name in COLUMNS {
        let path = data.join(format!("{name}.i64"));
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        columns.push(
            bytes
                .chunks_exact(8)
                .map(|b| i64::from_le_bytes(b.try_into().unwrap_or_default()))
                .collect::<Vec<i64>>(),
        );
    }
    let end = columns.pop().unwrap_or_default();
    let start = columns.pop().unwrap_or_default();
    let place = columns.pop().unwrap_or_default();
    let person = columns.pop().unwrap_or_default();
    Ok((
        meta,
        VisitColumns {
            person,
            place,
            start,
            end,
        },
    ))
}

/// The median of at least `repeat` timed runs (more for fast queries, until
/// a second has been spent, at most 1,000), and the last result.
fn timed<T>(repeat: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(repeat);
    let started = Clock::now();
    let mut out = None;
    while times.len() < repeat || (started.elapsed().as_secs_f64() < 1.0 && times.len() < 1_000) {
        let t = Clock::now();
        out = Some(f());
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], out.unwrap_or_else(f))
}

fn run(data: &Path, repeat: usize, csv: bool) -> precinct::Result<()> {
    let (meta, c) = load(data)?;
    let window = Window {
        start: meta["window"][0].as_i64().unwrap_or(0),
        end: meta["window"][1].as_i64().unwrap_or(0),
    };
    let day = meta["day"].as_i64().unwrap_or(0);
    let (build, visits) = timed(repeat.min(3), || {
        Visits::from_integer_columns(&c.person, &c.place, &c.start, &c.end)
    });
    let visits = visits?;
    let (hub, median) = index_cases(&c, window).ok_or_else(|| Error::InvalidValue {
        field: "town".into(),
        value: "no visits in the window".into(),
        expected: "a town with visits in its last three days".into(),
    })?;
    let (hub, median) = (hub.to_string(), median.to_string());
    let name = |p: u32| visits.persons().name(p).to_string();
    let rows = |r: Vec<precinct::TraceRow>| -> Vec<(String, i64, i64)> {
        r.into_iter()
            .map(|r| (name(r.person), r.total_overlap, r.first_contact))
            .collect()
    };
    let names = |r: Vec<u32>| -> Vec<String> { r.into_iter().map(name).collect() };
    let (t_hub, trace_hub) = timed(repeat, || trace(&visits, &hub, window, MIN_OVERLAP));
    let (t_median, trace_median) = timed(repeat, || trace(&visits, &median, window, MIN_OVERLAP));
    let (r_hub, ring_hub) = timed(repeat, || second_ring(&visits, &hub, window, MIN_OVERLAP));
    let (r_median, ring_median) = timed(repeat, || {
        second_ring(&visits, &median, window, MIN_OVERLAP)
    });
    let (t_graph, graph) = timed(repeat, || day_graph(&visits, day, MIN_OVERLAP, false));
    let graph = graph?;
    // One trace with no index at all: a scan of the columns.
    let hub_id: i64 = hub.parse().unwrap_or_default();
    let (t_scan, scan) = timed(repeat, || {
        trace_columns(
            &c.person,
            &c.place,
            &c.start,
            &c.end,
            hub_id,
            window,
            MIN_OVERLAP,
        )
    });
    let scan: Vec<(String, i64, i64)> = scan?
        .into_iter()
        .map(|(p, t, f)| (p.to_string(), t, f))
        .collect();
    let mut seconds = json!({
        "build": build, "trace_hub": t_hub, "trace_median": t_median,
        "ring2_hub": r_hub, "ring2_median": r_median, "day_graph": t_graph,
        "trace_hub_no_index": t_scan,
    });
    if csv {
        seconds["csv_ingest"] = json!(csv_ingest(data, &c)?);
    }
    let report = json!({
        "visits": visits.len(),
        "index_bytes": visits.index_bytes(),
        "raw_bytes": visits.len() * 16,
        "hub": hub, "median": median,
        "seconds": seconds,
        "trace_hub": rows(trace_hub), "trace_median": rows(trace_median),
        "ring2_hub": names(ring_hub), "ring2_median": names(ring_median),
        "day_graph": {
            "edges": graph.edges, "max_degree": graph.max_degree,
            "max_degree_person": graph.max_degree_person.map(name),
            "persons_with_edge": graph.persons_with_edge,
        },
    });
    if report["trace_hub"] != json!(scan) {
        return Err(Error::InvalidValue {
            field: "trace of the hub from columns".into(),
            value: format!("{} rows", scan.len()),
            expected: "the same rows as the indexed trace".into(),
        });
    }
    let path = data.join("precinct.json");
    std::fs::write(&path, report.to_string()).map_err(io(&path))?;
    println!(
        "{} visits: index built in {:.3} s ({:.1} bytes a visit); trace hub {:.6} s, ring 2 hub {:.6} s ({} persons), day graph {:.3} s ({} edges)",
        visits.len(),
        build,
        visits.index_bytes() as f64 / visits.len().max(1) as f64,
        t_hub,
        r_hub,
        report["ring2_hub"].as_array().map_or(0, Vec::len),
        t_graph,
        graph.edges
    );
    Ok(())
}

/// Seconds to read the check-ins from a CSV file of Unix seconds.
fn csv_ingest(data: &Path, c: &VisitColumns) -> precinct::Result<f64> {
    let path = data.join("visits.csv");
    if !path.exists() {
        std::fs::write(&path, c.to_csv()).map_err(io(&path))?;
    }
    let file = common::open(&path)?;
    let t = Clock::now();
    let visits = read_visits(std::io::BufReader::new(file), &Policy::default())?;
    let seconds = t.elapsed().as_secs_f64();
    if visits.len() != c.person.len() {
        return Err(Error::InvalidValue {
            field: "visits.csv rows".into(),
            value: visits.len().to_string(),
            expected: format!("{} rows", c.person.len()),
        });
    }
    Ok(seconds)
}
