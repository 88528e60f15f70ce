//! The synthetic town of the benchmarks and the peer comparison: venue
//! check-ins only, generated in bulk as columns.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::portable::{cos, exp, index, ln};

/// A synthetic town's venue check-ins, for benchmarks and the peer
/// comparison: persons check in at places whose popularity follows Zipf's
/// law (a few markets are very busy), for a lognormal time, between 06:00
/// and 22:00 local time, over a number of days. Its [`TownShape`] says how
/// many places there are and how persons use them.
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
    /// How persons use the places.
    pub shape: TownShape,
}

/// The shape of a synthetic town, so the peer comparison can be run on more
/// than one kind of crowd. Each shape is deterministic for a seed and the
/// same on every platform; its figures are [`TownShape::parameters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TownShape {
    /// The benchmarks' town: one place per 50 persons, stays lognormal
    /// around 30 minutes (5 minutes to 4 hours), every visit's place drawn
    /// by popularity. The town the README's figures were measured on.
    #[default]
    Default,
    /// Fewer, busier places: one place per 500 persons (ten times fewer),
    /// otherwise as `Default`, so the busiest markets are ten times as
    /// crowded.
    Busy,
    /// Long stays and habits: stays lognormal around 2 hours (10 minutes to
    /// 12 hours), and each person has 3 habitual places (drawn by popularity
    /// once per person) that take 80% of their visits, so the same pairs of
    /// persons meet again and again.
    Long,
}

/// The figures behind a [`TownShape`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapeParameters {
    /// Persons per place.
    pub persons_per_place: usize,
    /// Median stay, seconds (the lognormal's e^μ).
    pub stay_median: f64,
    /// The lognormal's σ.
    pub stay_sigma: f64,
    /// Shortest stay, seconds.
    pub stay_min: f64,
    /// Longest stay, seconds.
    pub stay_max: f64,
    /// Habitual places per person; 0 for none.
    pub habitual_places: usize,
    /// Share of a person's visits that go to one of their habitual places.
    pub habitual_share: f64,
}

impl TownShape {
    /// Every shape, in the order the peer comparison runs them.
    pub const ALL: [TownShape; 3] = [TownShape::Default, TownShape::Busy, TownShape::Long];

    /// The shape's name: `default`, `busy` or `long`.
    pub fn name(self) -> &'static str {
        match self {
            TownShape::Default => "default",
            TownShape::Busy => "busy",
            TownShape::Long => "long",
        }
    }

    /// The shape of a name given by [`TownShape::name`].
    pub fn from_name(name: &str) -> Option<TownShape> {
        TownShape::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The shape's figures.
    pub fn parameters(self) -> ShapeParameters {
        let default = ShapeParameters {
            persons_per_place: 50,
            stay_median: 1800.0,
            stay_sigma: 0.6,
            stay_min: 300.0,
            stay_max: 14_400.0,
            habitual_places: 0,
            habitual_share: 0.0,
        };
        match self {
            TownShape::Default => default,
            TownShape::Busy => ShapeParameters {
                persons_per_place: 500,
                ..default
            },
            TownShape::Long => ShapeParameters {
                stay_median: 7200.0,
                stay_sigma: 0.7,
                stay_min: 600.0,
                stay_max: 43_200.0,
                habitual_places: 3,
                habitual_share: 0.8,
                ..default
            },
        }
    }
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
    /// A town of the default shape: `visits` check-ins over 14 days, with
    /// one person per 55 check-ins and one place per 50 persons: 2.2 million
    /// check-ins are 40,000 persons and 800 places.
    pub fn with_visits(visits: usize) -> SyntheticTown {
        SyntheticTown::shaped(TownShape::Default, visits)
    }

    /// A town of `shape` with `visits` check-ins over 14 days, one person
    /// per 55 check-ins and the shape's persons per place.
    pub fn shaped(shape: TownShape, visits: usize) -> SyntheticTown {
        let persons = (visits / 55).max(2);
        SyntheticTown {
            visits,
            persons,
            places: (persons / shape.parameters().persons_per_place).max(1),
            days: 14,
            shape,
        }
    }

    /// Midnight (local, UTC+8) of the first day, in Unix seconds: 2020-01-16.
    pub fn first_day(&self) -> i64 {
        1_579_104_000
    }

    /// The check-ins, the same for the same seed (and on every platform).
    pub fn generate(&self, seed: u64) -> VisitColumns {
        let shape = self.shape.parameters();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut cumulative = Vec::with_capacity(self.places);
        let total: f64 = (1..=self.places).map(|r| 1.0 / r as f64).sum();
        let mut acc = 0.0;
        for r in 1..=self.places {
            acc += 1.0 / r as f64 / total;
            cumulative.push(acc);
        }
        let popular = |x: f64| cumulative.partition_point(|p| *p < x).min(self.places - 1) as i64;
        // Each person's habitual places, drawn once, before any visit (no
        // draw at all for a shape without habits, so `Default` is the town
        // it always was).
        let habits = shape.habitual_places;
        let habitual: Vec<i64> = (0..self.persons * habits)
            .map(|_| popular(rng.gen()))
            .collect();
        let mut c = VisitColumns {
            person: Vec::with_capacity(self.visits),
            place: Vec::with_capacity(self.visits),
            start: Vec::with_capacity(self.visits),
            end: Vec::with_capacity(self.visits),
        };
        let (open, close) = (6 * 3600, 22 * 3600);
        for _ in 0..self.visits {
            let person = index(&mut rng, self.persons);
            let place = if habits > 0 && rng.gen::<f64>() < shape.habitual_share {
                habitual[person * habits + index(&mut rng, habits)]
            } else {
                popular(rng.gen())
            };
            let day = index(&mut rng, self.days) as i64;
            // Lognormal (Box-Muller), clamped to the shape's shortest and
            // longest stay.
            let (u1, u2): (f64, f64) = (rng.gen_range(f64::EPSILON..1.0), rng.gen());
            let normal = (-2.0 * ln(u1)).sqrt() * cos(std::f64::consts::TAU * u2);
            let duration = (shape.stay_median * exp(shape.stay_sigma * normal))
                .clamp(shape.stay_min, shape.stay_max) as i64;
            let start = rng.gen_range(open..close - duration);
            let start = self.first_day() + day * 86_400 + start;
            c.person.push(person as i64);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a over the first `rows` rows, so any change to a town is seen.
    fn fingerprint(c: &VisitColumns, rows: usize) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for i in 0..rows.min(c.person.len()) {
            for x in [c.person[i], c.place[i], c.start[i], c.end[i]] {
                for b in x.to_le_bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
                }
            }
        }
        h
    }

    /// Persons, places, the fingerprint of every row and the total of the
    /// stays of a town of 55,000 check-ins, seed 2020.
    fn figures(shape: TownShape) -> (usize, usize, u64, i64) {
        let town = SyntheticTown::shaped(shape, 55_000);
        let c = town.generate(2020);
        let stays = c.end.iter().zip(&c.start).map(|(e, s)| e - s).sum();
        (
            town.persons,
            town.places,
            fingerprint(&c, c.person.len()),
            stays,
        )
    }

    #[test]
    fn the_default_town_is_the_one_the_benchmarks_always_measured() {
        // Pinned before shapes existed: the same bits at 55,000 and 200,000.
        assert_eq!(
            figures(TownShape::Default),
            (1000, 20, 0x4585_6c79_40c3_1017, 118_347_403)
        );
        let c = SyntheticTown::with_visits(200_000).generate(2020);
        assert_eq!(fingerprint(&c, c.person.len()), 0xa91c_698f_91a7_a9de);
        assert_eq!(
            SyntheticTown::with_visits(10),
            SyntheticTown::shaped(TownShape::Default, 10)
        );
    }

    #[test]
    fn the_busy_town_has_ten_times_fewer_places() {
        // The same stays as the default town: only the places differ.
        assert_eq!(
            figures(TownShape::Busy),
            (1000, 2, 0xac92_b556_18f6_31f9, 118_347_403)
        );
    }

    #[test]
    fn the_long_town_has_long_stays_at_habitual_places() {
        assert_eq!(
            figures(TownShape::Long),
            (1000, 20, 0xe983_4474_88cc_26b2, 502_944_823)
        );
        let c = SyntheticTown::shaped(TownShape::Long, 55_000).generate(2020);
        let mut stays: Vec<i64> = c.end.iter().zip(&c.start).map(|(e, s)| e - s).collect();
        stays.sort_unstable();
        let median = stays[stays.len() / 2];
        assert!((6600..7800).contains(&median), "median stay {median}");
        assert!(stays[0] >= 600 && stays[stays.len() - 1] <= 43_200);
        // Each person's three most visited places take at least 80% of
        // their visits.
        let mut by_person =
            std::collections::BTreeMap::<i64, std::collections::BTreeMap<i64, usize>>::new();
        for (p, l) in c.person.iter().zip(&c.place) {
            *by_person.entry(*p).or_default().entry(*l).or_default() += 1;
        }
        let top3: usize = by_person
            .values()
            .map(|places| {
                let mut n: Vec<usize> = places.values().copied().collect();
                n.sort_unstable_by(|a, b| b.cmp(a));
                n.iter().take(3).sum::<usize>()
            })
            .sum();
        assert!(
            top3 * 10 >= c.person.len() * 8,
            "top 3 places take {top3} of {}",
            c.person.len()
        );
    }

    #[test]
    fn shapes_are_named() {
        for shape in TownShape::ALL {
            assert_eq!(TownShape::from_name(shape.name()), Some(shape));
        }
        assert_eq!(TownShape::from_name("crowded"), None);
    }
}
