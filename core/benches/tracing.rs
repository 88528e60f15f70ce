//! The co-presence index and queries on the synthetic town of the peer
//! comparison: 2.2 million check-ins (40,000 persons, 800 places, 14 days),
//! or `PRECINCT_BENCH_VISITS` of them, in the shape `PRECINCT_BENCH_TOWN`
//! (`default`, `busy` or `long`; see `precinct::demo::TownShape`).
//!
//! `cargo bench -p precinct --features demo --bench tracing`

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark has nothing to do but stop at its first failure"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use precinct::demo::{index_cases, SyntheticTown, TownShape};
use precinct::{
    day_graph, day_graph_with_budget, read_visits, second_ring, trace, trace_columns, Policy,
    Visits, Window,
};

fn town() -> (SyntheticTown, precinct::demo::VisitColumns) {
    let visits = std::env::var("PRECINCT_BENCH_VISITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_200_000);
    let shape = std::env::var("PRECINCT_BENCH_TOWN")
        .ok()
        .map_or(TownShape::Default, |name| {
            TownShape::from_name(&name).unwrap()
        });
    let town = SyntheticTown::shaped(shape, visits);
    let columns = town.generate(2020);
    (town, columns)
}

fn queries(c: &mut Criterion) {
    let (town, cols) = town();
    let last_day = town.first_day() + (town.days as i64 - 1) * 86_400;
    let window = Window {
        start: last_day - 2 * 86_400,
        end: last_day + 86_400,
    };
    let (hub, median) = index_cases(&cols, window).unwrap();
    let (hub, median) = (hub.to_string(), median.to_string());
    let mut g = c.benchmark_group(format!(
        "copresence {} town, {} visits",
        town.shape.name(),
        cols.person.len()
    ));
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.bench_function("build index from columns", |b| {
        b.iter(|| {
            Visits::from_integer_columns(&cols.person, &cols.place, &cols.start, &cols.end).unwrap()
        });
    });
    let v =
        Visits::from_integer_columns(&cols.person, &cols.place, &cols.start, &cols.end).unwrap();
    g.bench_function("trace hub", |b| {
        b.iter(|| trace(&v, black_box(&hub), window, 900));
    });
    g.bench_function("trace median", |b| {
        b.iter(|| trace(&v, black_box(&median), window, 900));
    });
    g.bench_function("second ring hub", |b| {
        b.iter(|| second_ring(&v, black_box(&hub), window, 900));
    });
    g.bench_function("second ring median", |b| {
        b.iter(|| second_ring(&v, black_box(&median), window, 900));
    });
    g.bench_function("day graph", |b| {
        b.iter(|| day_graph(&v, black_box(last_day), 900, false).unwrap());
    });
    g.bench_function("day graph with its edges", |b| {
        b.iter(|| day_graph_with_budget(&v, black_box(last_day), 900, true, u64::MAX).unwrap());
    });
    let hub_id: i64 = hub.parse().unwrap();
    g.bench_function("trace hub from raw columns", |b| {
        b.iter(|| {
            trace_columns(
                &cols.person,
                &cols.place,
                &cols.start,
                &cols.end,
                black_box(hub_id),
                window,
                900,
            )
            .unwrap()
        });
    });
    g.finish();
}

fn csv_ingest(c: &mut Criterion) {
    let town = SyntheticTown::with_visits(200_000);
    let cols = town.generate(2020);
    let text = cols.to_csv();
    let mut g = c.benchmark_group("csv");
    g.sample_size(10)
        .throughput(criterion::Throughput::Elements(cols.person.len() as u64));
    g.bench_function("read 200k visits (Unix seconds)", |b| {
        b.iter(|| read_visits(text.as_bytes(), &Policy::default()).unwrap());
    });
    g.finish();
}

criterion_group!(benches, queries, csv_ingest);
criterion_main!(benches);
