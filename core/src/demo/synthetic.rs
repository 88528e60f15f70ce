//! The synthetic town of the benchmarks and the peer comparison: venue
//! check-ins only, generated in bulk as columns.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::portable::{cos, exp, index, ln};

/// A synthetic town's venue check-ins, for benchmarks and the peer
/// comparison: persons check in at places whose popularity follows Zipf's
/// law (a few markets are very busy), for a lognormal time around 30
/// minutes, between 06:00 and 22:00 local time, over a number of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticTown {
    /// Check-ins.
    pub visits: usize,
    /// Persons.
    pub persons: usize,
    /// Places.
    pub places: usize,
    /// Days.
    pub days: usize,
}

/// Check-ins as columns: integer ids and Unix seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitColumns {
    /// Person ids, `0..persons`.
    pub person: Vec<i64>,
    /// Place ids, `0..places`, 0 the busiest.
    pub place: Vec<i64>,
    /// Arrivals.
    pub start: Vec<i64>,
    /// Departures.
    pub end: Vec<i64>,
}

impl VisitColumns {
    /// The check-ins as a visits CSV, times in Unix seconds.
    pub fn to_csv(&self) -> String {
        use std::fmt::Write;
        let mut text = String::from("person_id,place_id,start,end\n");
        for i in 0..self.person.len() {
            // Writing to a String cannot fail.
            let _ = writeln!(
                text,
                "{},{},{},{}",
                self.person[i], self.place[i], self.start[i], self.end[i]
            );
        }
        text
    }
}

impl SyntheticTown {
    /// A town of `visits` check-ins over 14 days, with one person per 55
    /// check-ins and one place per 50 persons: 2.2 million check-ins are
    /// 40,000 persons and 800 places.
    pub fn with_visits(visits: usize) -> SyntheticTown {
        let persons = (visits / 55).max(2);
        SyntheticTown {
            visits,
            persons,
            places: (persons / 50).max(1),
            days: 14,
        }
    }

    /// Midnight (local, UTC+8) of the first day, in Unix seconds: 2020-01-16.
    pub fn first_day(&self) -> i64 {
        1_579_104_000
    }

    /// The check-ins, the same for the same seed.
    pub fn generate(&self, seed: u64) -> VisitColumns {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut cumulative = Vec::with_capacity(self.places);
        let total: f64 = (1..=self.places).map(|r| 1.0 / r as f64).sum();
        let mut acc = 0.0;
        for r in 1..=self.places {
            acc += 1.0 / r as f64 / total;
            cumulative.push(acc);
        }
        let mut c = VisitColumns {
            person: Vec::with_capacity(self.visits),
            place: Vec::with_capacity(self.visits),
            start: Vec::with_capacity(self.visits),
            end: Vec::with_capacity(self.visits),
        };
        let (open, close) = (6 * 3600, 22 * 3600);
        for _ in 0..self.visits {
            let person = index(&mut rng, self.persons) as i64;
            let x: f64 = rng.gen();
            let place = cumulative.partition_point(|p| *p < x).min(self.places - 1) as i64;
            let day = index(&mut rng, self.days) as i64;
            // Lognormal around 30 minutes (Box-Muller), 5 minutes to 4 hours.
            let (u1, u2): (f64, f64) = (rng.gen_range(f64::EPSILON..1.0), rng.gen());
            let normal = (-2.0 * ln(u1)).sqrt() * cos(std::f64::consts::TAU * u2);
            let duration = (1800.0 * exp(0.6 * normal)).clamp(300.0, 14_400.0) as i64;
            let start = rng.gen_range(open..close - duration);
            let start = self.first_day() + day * 86_400 + start;
            c.person.push(person);
            c.place.push(place);
            c.start.push(start);
            c.end.push(start + duration);
        }
        c
    }
}

/// The index cases of the peer comparison in `window`: the person with the
/// most visits intersecting it (the smallest id among ties), and the median
/// one (persons with at least one such visit ordered by count, then id).
pub fn index_cases(c: &VisitColumns, window: crate::Window) -> Option<(i64, i64)> {
    let mut count: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for i in 0..c.person.len() {
        if c.start[i] < window.end && c.end[i] > window.start {
            *count.entry(c.person[i]).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, i64)> = count.into_iter().map(|(p, n)| (n, p)).collect();
    ranked.sort_unstable();
    let median = ranked.get(ranked.len() / 2)?.1;
    let top = ranked.last()?.0;
    let hub = ranked.iter().find(|(n, _)| *n == top)?.1;
    Some((hub, median))
}
