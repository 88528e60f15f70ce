//! Pure co-presence queries on [`Visits`]: trace one person, the second ring,
//! and one day's contact graph.
//!
//! Semantics (times in seconds, visits half-open): a visit intersects a window
//! `[a, b)` when `start < b && end > a`; the overlap of two visits is
//! `min(end) - max(start)`, not clipped to the window; two visits form a
//! contact pair when they are at the same place, of different persons, both
//! intersect the window and overlap by at least `min_overlap` seconds.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::visits::{Row, Visits};
use crate::error::{Error, Result};

/// A query window `[start, end)` in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Window {
    /// First second inside.
    pub start: i64,
    /// First second after.
    pub end: i64,
}

impl Window {
    /// The window `[start, end)` of Unix seconds, checked once for every
    /// query: both ends are times in the years 1 to 9999 and `end` is not
    /// before `start`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidValue`] naming the end that is wrong.
    pub fn new(start: i64, end: i64) -> crate::Result<Window> {
        crate::time::instant_from_unix("window start", start)?;
        crate::time::instant_from_unix("window end", end)?;
        if end < start {
            return Err(crate::Error::invalid(
                "window end",
                end,
                format!("Unix seconds not before the window start {start}"),
            ));
        }
        Ok(Window { start, end })
    }

    /// The day `[day_start, day_start + 86400)`, as [`day_graph`] reads it.
    ///
    /// # Errors
    /// As [`Window::new`].
    pub fn day(day_start: i64) -> crate::Result<Window> {
        crate::time::instant_from_unix("day start", day_start)?;
        Window::new(day_start, day_start + 86_400)
    }

    #[cfg(test)]
    fn admits(self, start: i64, end: i64) -> bool {
        start < self.end && end > self.start
    }
}

/// The longest minimum overlap of a query: a year, as
/// [`crate::MAX_POLICY_SECONDS`].
pub const MAX_MIN_OVERLAP_SECONDS: i64 = crate::policy::MAX_POLICY_SECONDS as i64;

/// `seconds` as the minimum overlap of a co-presence query ([`trace`],
/// [`second_ring`], [`day_graph`], [`trace_columns`]): at least one second
/// (two visits must share time to be a contact) and at most a year. The
/// bindings check every query's parameter here, so that all queries agree.
///
/// # Errors
/// [`crate::Error::InvalidValue`] naming the value.
pub fn min_overlap(seconds: i64) -> crate::Result<i64> {
    if (1..=MAX_MIN_OVERLAP_SECONDS).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(crate::Error::invalid(
            "min_overlap",
            seconds,
            format!("from 1 to {MAX_MIN_OVERLAP_SECONDS} seconds"),
        ))
    }
}

/// Per-person sums of [`trace`], kept between calls. A slot counts only when
/// its stamp is the current call's, so nothing needs clearing, even after a
/// call that did not finish.
#[derive(Default)]
struct Scratch {
    call: u32,
    slots: Vec<Slot>,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    call: u32,
    total: i64,
    first: i64,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The default memory budget of a query, in bytes: what its answer and
/// scratch may take beyond the index (1 GiB).
pub const DEFAULT_BUDGET_BYTES: u64 = 1 << 30;

/// One row of a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TraceRow {
    /// The contact's number in [`Visits::persons`]; `visits.persons().name(row.person)`
    /// is their id. Numbers follow id order.
    pub person: u32,
    /// Sum of the overlap over every contact pair, in seconds.
    pub total_overlap: i64,
    /// Earliest start of contact, Unix seconds.
    pub first_contact: i64,
}

/// Call `f(person, place, overlap, first, last, count)` for the contact
/// pairs of person number `who` in `window`: `count` identical pairs at
/// once. Identical rows (same person, place, start and end) come in runs in
/// the index and are taken as one with their number, so many copies of one
/// visit cost one. Otherwise the time is the person's distinct rows times
/// the distinct rows near each of them; memory is constant.
#[expect(
    clippy::many_single_char_names,
    reason = "the names of the definitions: visits [s, e), the window [a, b), min overlap m"
)]
pub(crate) fn for_each_pair(
    visits: &Visits,
    who: u32,
    window: Window,
    min_overlap: i64,
    mut f: impl FnMut(u32, u32, i64, i64, i64, u64),
) {
    // A pair shares at least one second, whatever the policy says.
    let min_overlap = min_overlap.max(1);
    let base = visits.base();
    // Saturating: a window past the ends of time is the whole of it.
    let (a, b) = (
        window.start.saturating_sub(base),
        window.end.saturating_sub(base),
    );
    let rows = visits.rows();
    let own = visits.rows_of_person(who);
    let mut i = 0;
    while i < own.len() {
        let row = own[i] as usize;
        let place = visits.place_of(row);
        // Rows are sorted by (place, start, end, person): copies of this
        // one follow it at the same place.
        let place_end = visits.place_range(place).end;
        let copies = 1 + own[i + 1..]
            .iter()
            .enumerate()
            .take_while(|&(k, &r)| {
                r as usize == row + 1 + k
                    && (r as usize) < place_end
                    && rows[r as usize] == rows[row]
            })
            .count();
        i += copies;
        let (cs, ce) = (i64::from(rows[row].start), i64::from(rows[row].end));
        if !(cs < b && ce > a) || ce - cs < min_overlap {
            continue;
        }
        // Rows that overlap this one by `min_overlap`: they end from
        // cs + min_overlap on and start by ce - min_overlap.
        for range in visits.rows_near(
            place,
            cs + min_overlap - 1 + base,
            ce - min_overlap + 1 + base,
        ) {
            let near = &rows[range];
            #[cfg(test)]
            ROWS_READ.set(ROWS_READ.get() + near.len());
            let mut j = 0;
            while j < near.len() {
                let other = near[j];
                // Copies are rare: one comparison settles the usual row.
                let run = if near.get(j + 1) == Some(&other) {
                    1 + near[j + 1..].iter().take_while(|r| **r == other).count()
                } else {
                    1
                };
                j += run;
                let (vs, ve) = (i64::from(other.start), i64::from(other.end));
                let first = cs.max(vs);
                let last = ce.min(ve);
                if last - first < min_overlap || other.person == who || !(vs < b && ve > a) {
                    continue;
                }
                f(
                    other.person,
                    place,
                    last - first,
                    first + base,
                    last + base,
                    copies as u64 * run as u64,
                );
            }
        }
    }
}

#[cfg(test)]
thread_local! {
    /// Rows read by the searches of this thread, to test that they follow
    /// the rows that overlap.
    static ROWS_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A query's bounds in the index's offsets: the window `[a, b)` and the
/// minimum overlap `m` (at least one second: a pair shares time, whatever
/// a caller says).
#[derive(Clone, Copy)]
struct Bounds {
    a: i64,
    b: i64,
    m: i64,
}

impl Bounds {
    fn new(visits: &Visits, window: Window, min_overlap: i64) -> Bounds {
        let base = visits.base();
        // Saturating: a window may reach the ends of time.
        Bounds {
            a: window.start.saturating_sub(base),
            b: window.end.saturating_sub(base),
            m: min_overlap.max(1),
        }
    }

    /// The reach `[start, end - m]` of a row that is long enough and in
    /// the window: the times where an overlap of `m` with it can begin.
    /// Two such rows overlap by at least `m` exactly when their reaches meet.
    fn reach(self, r: Row) -> Option<(i64, i64)> {
        let (s, e) = (i64::from(r.start), i64::from(r.end));
        (s < self.b && e > self.a && e - s >= self.m).then_some((s, e - self.m))
    }
}

/// The reaches of `rows` (row numbers) merged per place where they meet,
/// into `out` as `(place, from, to)`, sorted and disjoint: many visits of
/// one person at one place, simultaneous, repeated or chained, are one
/// stretch, and meet the same persons.
fn stretches(visits: &Visits, rows: &[u32], q: Bounds, out: &mut Vec<(u32, i64, i64)>) {
    out.clear();
    let all = visits.rows();
    out.extend(rows.iter().filter_map(|&row| {
        let (x, y) = q.reach(all[row as usize])?;
        Some((visits.place_of(row as usize), x, y))
    }));
    merge_reaches(out);
}

/// Sort reaches `(place, from, to)` and merge those at one place that meet.
fn merge_reaches(out: &mut Vec<(u32, i64, i64)>) {
    out.sort_unstable();
    let mut kept = 0;
    for k in 0..out.len() {
        let (place, x, y) = out[k];
        if kept > 0 && out[kept - 1].0 == place && x <= out[kept - 1].2 {
            out[kept - 1].2 = out[kept - 1].2.max(y);
        } else {
            out[kept] = (place, x, y);
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// Call `f(person)` for every row whose reach meets one of `stretches`
/// (sorted and disjoint, as [`stretches`] gives them): once per row and
/// stretch, so a person as often as they have rows there. At each place,
/// each duration class is read forward from one search: the stretches
/// come in order, so each starts where the last one's rows began.
fn meeting(visits: &Visits, stretches: &[(u32, i64, i64)], q: Bounds, mut f: impl FnMut(u32)) {
    let rows = visits.rows();
    for group in stretches.chunk_by(|x, y| x.0 == y.0) {
        for (segment, longest) in visits.segments(group[0].0) {
            let mut at = None;
            for &(_, x, y) in group {
                // Rows that end from x + m on, so start from x + m - longest on.
                let earliest = x + q.m - longest;
                let first = match at {
                    None => visits.first_starting_from(segment.clone(), earliest),
                    Some(k) => visits.gallop(k, segment.end, earliest),
                };
                at = Some(first);
                for &r in &rows[first..segment.end] {
                    #[cfg(test)]
                    ROWS_READ.set(ROWS_READ.get() + 1);
                    if i64::from(r.start) > y {
                        break;
                    }
                    if let Some((_, t)) = q.reach(r) {
                        if t >= x {
                            f(r.person);
                        }
                    }
                }
            }
        }
    }
}

/// The persons in a contact pair with person number `who` in `window`,
/// sorted and distinct, in memory for the persons and time for the
/// person's stretches (see [`stretches`]) and the rows that meet them.
pub(crate) fn contact_persons(
    visits: &Visits,
    who: u32,
    window: Window,
    min_overlap: i64,
) -> Vec<u32> {
    let q = Bounds::new(visits, window, min_overlap);
    let mut seen = vec![false; visits.persons().len()];
    seen[who as usize] = true;
    let mut found: Vec<u32> = Vec::new();
    let mut own = Vec::new();
    stretches(visits, visits.rows_of_person(who), q, &mut own);
    meeting(visits, &own, q, |p| {
        if !seen[p as usize] {
            seen[p as usize] = true;
            found.push(p);
        }
    });
    in_order(&mut found);
    found
}

/// Trace(C, W): one row per person with at least one contact pair with `person`
/// in `window`, sorted by person id. Unknown persons have no contacts.
///
/// ```
/// use precinct::{trace, Visits, Window};
/// let v = Visits::from_columns(&["c", "a", "b"], &["m", "m", "m"], &[0, 0, 3000], &[3600, 900, 3600]).unwrap();
/// let rows = trace(&v, "c", Window { start: 0, end: 86_400 }, 900);
/// let ids: Vec<&str> = rows.iter().map(|r| v.persons().name(r.person)).collect();
/// assert_eq!(ids, ["a"]);
/// assert_eq!(rows[0].total_overlap, 900);
/// ```
pub fn trace(visits: &Visits, person: &str, window: Window, min_overlap: i64) -> Vec<TraceRow> {
    let Some(who) = visits.persons().get(person) else {
        return Vec::new();
    };
    // Sums per person in a table kept between calls, so a trace costs its
    // pairs, not the number of persons.
    SCRATCH.with_borrow_mut(|scratch| {
        let n = visits.persons().len();
        if scratch.slots.len() < n {
            scratch.slots.resize(n, Slot::default());
        }
        scratch.call = scratch.call.wrapping_add(1);
        if scratch.call == 0 {
            // Stamps wrapped around: old ones could look current.
            scratch.slots.fill(Slot::default());
            scratch.call = 1;
        }
        let call = scratch.call;
        let slots = &mut scratch.slots;
        let mut met: Vec<u32> = Vec::new();
        for_each_pair(
            visits,
            who,
            window,
            min_overlap,
            |p, _place, overlap, start, _end, count| {
                let slot = &mut slots[p as usize];
                if slot.call != call {
                    *slot = Slot {
                        call,
                        total: 0,
                        first: start,
                    };
                    met.push(p);
                }
                // Saturates only past 292 billion years of overlap.
                let sum = if count == 1 {
                    overlap
                } else {
                    i64::try_from(count).map_or(i64::MAX, |c| c.saturating_mul(overlap))
                };
                slot.total = slot.total.saturating_add(sum);
                slot.first = slot.first.min(start);
            },
        );
        in_order(&mut met);
        met.into_iter()
            .map(|p| {
                let slot = slots[p as usize];
                TraceRow {
                    person: p,
                    total_overlap: slot.total,
                    first_contact: slot.first,
                }
            })
            .collect()
    })
}

/// Sort distinct person numbers (which sorts them by id): through a
/// bitmap of their range when there are many, in time for the persons and
/// the range over 64 rather than a comparison sort.
fn in_order(persons: &mut Vec<u32>) {
    let (Some(&lo), Some(&hi)) = (persons.iter().min(), persons.iter().max()) else {
        return;
    };
    let words = (hi / 64 - lo / 64) as usize + 1;
    if persons.len() < 256 || words > persons.len() * 4 {
        persons.sort_unstable();
        return;
    }
    let mut bits = vec![0u64; words];
    for &p in persons.iter() {
        bits[(p / 64 - lo / 64) as usize] |= 1 << (p % 64);
    }
    persons.clear();
    for (w, mut word) in bits.into_iter().enumerate() {
        while word != 0 {
            persons.push((lo / 64 + w as u32) * 64 + word.trailing_zeros());
            word &= word - 1;
        }
    }
}

/// Rows in a task of [`trace_columns`]: enough that a task costs little
/// next to reading its rows.
const CHUNK: usize = 1 << 16;

/// Trace(C, W) straight from columns, without building an index: two
/// passes over the rows, on all cores. For one trace on data that is not
/// indexed yet (an index costs more to build than a scan, and pays off
/// from the second query on). Rows as [`trace`]'s, with the contact's id;
/// sorted by id.
///
/// The first pass reads the person column for C's visits; the second
/// reads the times, and the place only of rows within C's span, which a
/// filter of C's places (a bit per hashed place) mostly settles without
/// a search.
///
/// ```
/// use precinct::{trace_columns, Window};
/// let rows = trace_columns(&[7, 10, 9], &[1, 1, 1], &[0, 0, 3000], &[3600, 900, 3600],
///     7, Window { start: 0, end: 86_400 }, 900).unwrap();
/// assert_eq!(rows, [(10, 900, 0)]);
/// ```
///
/// # Errors
/// [`crate::Error::InvalidValue`] when the columns differ in length.
#[expect(
    clippy::many_single_char_names,
    reason = "the names of the definitions: C's visits, min overlap m, rows i and n"
)]
pub fn trace_columns<P, Q>(
    persons: &[P],
    places: &[Q],
    starts: &[i64],
    ends: &[i64],
    person: P,
    window: Window,
    min_overlap: i64,
) -> crate::Result<Vec<(P, i64, i64)>>
where
    P: Copy + Ord + std::hash::Hash + Send + Sync,
    Q: Copy + Ord + std::hash::Hash + Send + Sync,
{
    use rustc_hash::FxHashMap as HashMap;
    let n = persons.len();
    super::visits::check_lengths(n, places.len(), starts.len(), ends.len())?;
    let m = min_overlap.max(1);
    let admitted = |i: usize| starts[i] < window.end && ends[i] > window.start;
    let mut visits_of_c: Vec<(Q, i64, i64)> = super::workers::on_workers(|| {
        persons
            .par_chunks(CHUNK)
            .enumerate()
            .flat_map_iter(|(c, chunk)| {
                let offset = c * CHUNK;
                chunk
                    .iter()
                    .enumerate()
                    .filter(move |&(_, p)| *p == person)
                    .map(move |(k, _)| offset + k)
                    .filter(|&i| admitted(i) && ends[i].saturating_sub(starts[i]) >= m)
                    .map(|i| (places[i], starts[i], ends[i]))
            })
            .collect()
    });
    visits_of_c.sort_unstable_by_key(|v| v.0);
    let (Some(reach_from), Some(reach_to)) = (
        visits_of_c.iter().map(|v| v.1).min(),
        visits_of_c.iter().map(|v| v.2).max(),
    ) else {
        return Ok(Vec::new());
    };
    // A pair needs at least `m` seconds inside C's span.
    let (reach_from, reach_to) = (reach_from.saturating_add(m), reach_to.saturating_sub(m));
    let bit = |q: &Q| {
        use std::hash::BuildHasher;
        (rustc_hash::FxBuildHasher.hash_one(q) >> 54) as usize
    };
    let mut filter = [0u64; 16];
    for v in &visits_of_c {
        let b = bit(&v.0);
        filter[b / 64] |= 1 << (b % 64);
    }
    let scan = |(c, chunk): (usize, &[i64])| {
        let offset = c * CHUNK;
        let mut sums: HashMap<P, (i64, i64)> = HashMap::default();
        for (k, &s) in chunk.iter().enumerate() {
            let i = offset + k;
            // Cheap tests first: most rows are outside C's span or the window.
            if s > reach_to || ends[i] < reach_from || !admitted(i) {
                continue;
            }
            let b = bit(&places[i]);
            if filter[b / 64] & (1 << (b % 64)) == 0 || persons[i] == person {
                continue;
            }
            let at = visits_of_c.partition_point(|v| v.0 < places[i]);
            for &(_, cs, ce) in visits_of_c[at..].iter().take_while(|v| v.0 == places[i]) {
                let first = cs.max(s);
                // Saturating: columns may hold any i64, however far apart.
                let overlap = ce.min(ends[i]).saturating_sub(first);
                if overlap >= m {
                    let e = sums.entry(persons[i]).or_insert((0, first));
                    e.0 = e.0.saturating_add(overlap);
                    e.1 = e.1.min(first);
                }
            }
        }
        sums
    };
    let merged = super::workers::on_workers(|| {
        starts
            .par_chunks(CHUNK)
            .enumerate()
            .map(scan)
            .reduce(HashMap::default, |mut x, y| {
                for (p, (total, first)) in y {
                    let e = x.entry(p).or_insert((0, first));
                    e.0 = e.0.saturating_add(total);
                    e.1 = e.1.min(first);
                }
                x
            })
    });
    let mut rows: Vec<(P, i64, i64)> = merged.into_iter().map(|(p, (t, f))| (p, t, f)).collect();
    rows.sort_unstable_by_key(|r| r.0);
    Ok(rows)
}

/// How many rows can be read in order for the cost of one read from
/// anywhere in the index (measured on the synthetic towns): a first ring
/// with fewer rows than this fraction of the index is gathered person by
/// person, a larger one read from the window's rows.
const RANDOM_READ_COST: usize = 16;

/// Second ring(C, W): persons in a contact pair in `window` with any person of
/// Trace(C, W), minus those persons and C; their numbers in
/// [`Visits::persons`], sorted (which is id order) and distinct.
///
/// The first ring's reaches are merged per place into disjoint stretches
/// (see [`stretches`]), and each stretch reads the rows that meet it: the
/// work follows the first ring's rows and the rows they meet, so a
/// median person's second ring reads a few places' hours, and a hub's
/// about each row of the window once.
pub fn second_ring(visits: &Visits, person: &str, window: Window, min_overlap: i64) -> Vec<u32> {
    let Some(who) = visits.persons().get(person) else {
        return Vec::new();
    };
    second_ring_of(visits, who, window, min_overlap, None)
}

/// [`second_ring`] of person number `who`; `gather` forces how the first
/// ring's stretches are found (for the tests of both ways).
fn second_ring_of(
    visits: &Visits,
    who: u32,
    window: Window,
    min_overlap: i64,
    gather: Option<bool>,
) -> Vec<u32> {
    let q = Bounds::new(visits, window, min_overlap);
    let ring1 = contact_persons(visits, who, window, min_overlap);
    // 1: the traced person or ring 1; 2: found in ring 2.
    let mut mark = vec![0u8; visits.persons().len()];
    mark[who as usize] = 1;
    for &p in &ring1 {
        mark[p as usize] = 1;
    }
    let mut ring1_stretches = Vec::new();
    let ring1_rows: usize = ring1.iter().map(|&p| visits.rows_of_person(p).len()).sum();
    if gather.unwrap_or(ring1_rows.saturating_mul(RANDOM_READ_COST) < visits.len()) {
        // A small first ring: its persons' own rows.
        let mut rows: Vec<u32> = Vec::with_capacity(ring1_rows);
        for &p in &ring1 {
            rows.extend_from_slice(visits.rows_of_person(p));
        }
        stretches(visits, &rows, q, &mut ring1_stretches);
    } else {
        // A large one: the window's rows, read in order rather than
        // gathered from all over the index. Each duration class is sorted
        // by start, so its reaches merge as they come; the few merged
        // stretches of a place's classes are then sorted and merged again.
        let all = visits.rows();
        let mut place_stretches: Vec<(u32, i64, i64)> = Vec::new();
        for place in 0..visits.places().len() as u32 {
            place_stretches.clear();
            for range in visits.rows_near(place, window.start, window.end) {
                let mut open: Option<(i64, i64)> = None;
                for r in &all[range] {
                    if mark[r.person as usize] != 1 || r.person == who {
                        continue;
                    }
                    let Some((x, y)) = q.reach(*r) else {
                        continue;
                    };
                    open = match open {
                        Some((ox, oy)) if x <= oy => Some((ox, oy.max(y))),
                        Some((ox, oy)) => {
                            place_stretches.push((place, ox, oy));
                            Some((x, y))
                        }
                        None => Some((x, y)),
                    };
                }
                place_stretches.extend(open.map(|(x, y)| (place, x, y)));
            }
            merge_reaches(&mut place_stretches);
            ring1_stretches.extend_from_slice(&place_stretches);
        }
    }
    let mut found: Vec<u32> = Vec::new();
    meeting(visits, &ring1_stretches, q, |p| {
        if mark[p as usize] == 0 {
            mark[p as usize] = 2;
            found.push(p);
        }
    });
    in_order(&mut found);
    found
}

/// The co-presence graph of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DayGraph {
    /// Number of distinct edges.
    pub edges: usize,
    /// Largest degree.
    pub max_degree: usize,
    /// A person with the largest degree (the smallest id among ties), if
    /// any edge, by number in [`Visits::persons`].
    pub max_degree_person: Option<u32>,
    /// Number of persons with at least one edge.
    pub persons_with_edge: usize,
    /// The edges as pairs of person numbers `(a, b)` with `a < b`, sorted,
    /// when asked for.
    pub edge_list: Option<Vec<(u32, u32)>>,
}

/// The graph with an edge for every contact pair in `[day_start, day_start + 86400)`,
/// within [`DEFAULT_BUDGET_BYTES`]; see [`day_graph_with_budget`].
///
/// # Errors
/// As [`day_graph_with_budget`].
pub fn day_graph(
    visits: &Visits,
    day_start: i64,
    min_overlap: i64,
    with_edges: bool,
) -> Result<DayGraph> {
    day_graph_with_budget(
        visits,
        day_start,
        min_overlap,
        with_edges,
        DEFAULT_BUDGET_BYTES,
    )
}

/// The graph with an edge for every contact pair in `[day_start, day_start + 86400)`.
///
/// Person by person, on all cores: each person's stretches of the day (see
/// [`stretches`]) read the rows that meet them, and a marker per person
/// counts each neighbour once. So the summary (edges, largest degree,
/// persons with an edge) needs memory in the persons only, the edge list
/// the edges themselves (8 bytes each), and the time follows the pairs of
/// rows that overlap.
///
/// # Errors
/// [`Error::TooLarge`] when the persons' scratch, or with `with_edges` the
/// edges, would take more than `budget` bytes; `needed` is then exact
/// (the edges are counted to the end, without being kept).
pub fn day_graph_with_budget(
    visits: &Visits,
    day_start: i64,
    min_overlap: i64,
    with_edges: bool,
    budget: u64,
) -> Result<DayGraph> {
    let window = Window {
        start: day_start,
        end: day_start.saturating_add(86_400),
    };
    let q = Bounds::new(visits, window, min_overlap);
    let n_persons = visits.persons().len();
    // Per person: the degree, and a marker in each worker.
    let fixed = n_persons as u64 * 4 * (1 + super::workers::count() as u64);
    let too_large = |needed: u64| Error::TooLarge {
        what: format!("the day graph of {day_start}"),
        needed,
        budget,
    };
    if fixed > budget {
        return Err(too_large(fixed));
    }
    // Edges kept so far, over all workers: past the budget, none is kept.
    let room = (budget - fixed) / 8;
    let kept = std::sync::atomic::AtomicU64::new(0);
    let call = NEXT_DAY_GRAPH.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Per block of persons: their degrees and the edges to later persons.
    let blocks: Vec<DayBlock> = super::workers::on_workers(|| {
        (0..n_persons.div_ceil(BLOCK))
            .into_par_iter()
            .map(|block| {
                let persons = block * BLOCK..((block + 1) * BLOCK).min(n_persons);
                DAY_SCRATCH.with_borrow_mut(|scratch| {
                    scratch.start(call, n_persons);
                    let mut degrees = Vec::with_capacity(persons.len());
                    let mut edges: Vec<(u32, u32)> = Vec::new();
                    let mut later: Vec<u32> = Vec::new();
                    for a in persons {
                        let a = a as u32;
                        let keep =
                            with_edges && kept.load(std::sync::atomic::Ordering::Relaxed) <= room;
                        later.clear();
                        let degree = scratch.neighbours(visits, a, q, |b| {
                            if keep && b > a {
                                later.push(b);
                            }
                        });
                        // Sorting plain numbers is about twice as fast as pairs.
                        later.sort_unstable();
                        edges.extend(later.iter().map(|&b| (a, b)));
                        kept.fetch_add(later.len() as u64, std::sync::atomic::Ordering::Relaxed);
                        degrees.push(degree);
                    }
                    (degrees, edges)
                })
            })
            .collect()
    });
    let degree: Vec<u32> = blocks.iter().flat_map(|b| b.0.iter().copied()).collect();
    let edges = (degree.iter().map(|&d| u64::from(d)).sum::<u64>() / 2) as usize;
    if with_edges && edges as u64 > room {
        return Err(too_large(fixed + edges as u64 * 8));
    }
    let edge_list = with_edges.then(|| {
        let mut list = Vec::with_capacity(edges);
        for (_, block) in blocks {
            list.extend(block);
        }
        list
    });
    let max_degree = degree.iter().copied().max().unwrap_or(0);
    // Person numbers follow id order: the first with the maximum is the smallest id.
    let max_degree_person = (max_degree > 0)
        .then(|| degree.iter().position(|&d| d == max_degree))
        .flatten()
        .map(|p| p as u32);
    Ok(DayGraph {
        edges,
        max_degree: max_degree as usize,
        max_degree_person,
        persons_with_edge: degree.iter().filter(|&&d| d > 0).count(),
        edge_list,
    })
}

/// Persons in a task of the day graph.
const BLOCK: usize = 512;

/// A task's answer: its persons' degrees, and their edges to later persons
/// (sorted), when asked for.
type DayBlock = (Vec<u32>, Vec<(u32, u32)>);

/// Day graphs started, to tell one call's markers from another's.
static NEXT_DAY_GRAPH: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

thread_local! {
    static DAY_SCRATCH: std::cell::RefCell<DayScratch> = std::cell::RefCell::new(DayScratch::default());
}

/// A worker's room for the day graph: per person, the last person whose
/// neighbour they were found to be (in this call), and one person's
/// stretches.
#[derive(Default)]
struct DayScratch {
    call: u64,
    seen: Vec<u32>,
    own: Vec<(u32, i64, i64)>,
}

impl DayScratch {
    /// Ready for day graph `call` over `persons` persons.
    fn start(&mut self, call: u64, persons: usize) {
        if self.call != call {
            self.call = call;
            self.seen.clear();
            self.seen.resize(persons, u32::MAX);
        }
    }

    /// Call `f(b)` once for each neighbour `b` of person `a`; their number.
    fn neighbours(&mut self, visits: &Visits, a: u32, q: Bounds, mut f: impl FnMut(u32)) -> u32 {
        let mut degree = 0;
        stretches(visits, visits.rows_of_person(a), q, &mut self.own);
        let seen = &mut self.seen;
        meeting(visits, &self.own, q, |b| {
            if b != a && seen[b as usize] != a {
                seen[b as usize] = a;
                degree += 1;
                f(b);
            }
        });
        degree
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The definitions, applied literally over all pairs.
    #[expect(clippy::many_single_char_names, reason = "the names of the definition")]
    fn naive_pairs(v: &[(u32, u32, i64, i64)], w: Window, m: i64) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for i in 0..v.len() {
            for j in 0..v.len() {
                let (a, b) = (v[i], v[j]);
                if i != j
                    && a.1 == b.1
                    && a.0 != b.0
                    && w.admits(a.2, a.3)
                    && w.admits(b.2, b.3)
                    && a.3.min(b.3) - a.2.max(b.2) >= m
                {
                    out.push((i, j));
                }
            }
        }
        out
    }

    fn build(v: &[(u32, u32, i64, i64)]) -> Visits {
        let persons: Vec<String> = v.iter().map(|x| format!("p{}", x.0)).collect();
        let places: Vec<String> = v.iter().map(|x| format!("l{}", x.1)).collect();
        let s: Vec<i64> = v.iter().map(|x| x.2).collect();
        let e: Vec<i64> = v.iter().map(|x| x.3).collect();
        Visits::from_columns(&persons, &places, &s, &e).unwrap()
    }

    type Row = (String, i64, i64);

    fn named(v: &Visits, rows: Vec<TraceRow>) -> Vec<Row> {
        rows.into_iter()
            .map(|r| {
                (
                    v.persons().name(r.person).to_string(),
                    r.total_overlap,
                    r.first_contact,
                )
            })
            .collect()
    }

    fn names(v: &Visits, persons: Vec<u32>) -> Vec<String> {
        persons
            .into_iter()
            .map(|p| v.persons().name(p).to_string())
            .collect()
    }

    fn naive_trace(v: &[(u32, u32, i64, i64)], who: u32, w: Window, m: i64) -> Vec<Row> {
        let mut rows: BTreeMap<String, Row> = BTreeMap::new();
        for (i, j) in naive_pairs(v, w, m) {
            if v[i].0 != who {
                continue;
            }
            let id = format!("p{}", v[j].0);
            let first = v[i].2.max(v[j].2);
            let r = rows.entry(id.clone()).or_insert((id, 0, first));
            r.1 += v[i].3.min(v[j].3) - first;
            r.2 = r.2.min(first);
        }
        rows.into_values().collect()
    }

    /// Spread rows, or crowded ones: few persons, places, starts and
    /// lengths, so that rows repeat, chain and cover each other.
    fn visits_strategy() -> impl Strategy<Value = Vec<(u32, u32, i64, i64)>> {
        let spread = prop::collection::vec((0u32..8, 0u32..3, 0i64..6000, 0i64..3000), 0..40);
        let crowded =
            prop::collection::vec((0u32..3, 0u32..2, 0i64..8, 0i64..4), 0..60).prop_map(|v| {
                v.into_iter()
                    .map(|(p, l, s, d)| (p, l, s * 700, d * 600))
                    .collect()
            });
        // Lengths across many duration classes of the index, and at their
        // edges, so searches reach back by each class's longest visit.
        let classes = prop::collection::vec(
            (
                0u32..6,
                0u32..2,
                0i64..40,
                prop::sample::select(vec![
                    0i64, 1, 899, 900, 1023, 1024, 2047, 2048, 5000, 40_000, 100_000,
                ]),
            ),
            0..50,
        )
        .prop_map(|v| {
            v.into_iter()
                .map(|(p, l, s, d)| (p, l, s * 500, d))
                .collect()
        });
        prop_oneof![spread, crowded, classes]
            .prop_map(|v| v.into_iter().map(|(p, l, s, d)| (p, l, s, s + d)).collect())
    }

    proptest! {
        #[test]
        fn trace_matches_the_definition(v in visits_strategy(), who in 0u32..8, a in 0i64..6000, len in 1i64..6000, m in 1i64..1200) {
            let w = Window { start: a, end: a + len };
            let index = build(&v);
            let got = named(&index, trace(&index, &format!("p{who}"), w, m));
            let want = naive_trace(&v, who, w, m);
            prop_assert_eq!(&got, &want);
            let col = |k: usize| v.iter().map(|x| [i64::from(x.0), i64::from(x.1), x.2, x.3][k]).collect::<Vec<i64>>();
            let scan = trace_columns(&col(0), &col(1), &col(2), &col(3), i64::from(who), w, m).unwrap();
            let scan: Vec<Row> = scan.into_iter().map(|(p, t, f)| (format!("p{p}"), t, f)).collect();
            prop_assert_eq!(scan, want);
        }

        #[test]
        fn second_ring_matches_the_definition(v in visits_strategy(), who in 0u32..8, m in 1i64..1200) {
            let w = Window { start: 1000, end: 5000 };
            let first: BTreeSet<String> = naive_trace(&v, who, w, m).into_iter().map(|r| r.0).collect();
            let mut want = BTreeSet::new();
            for p in &first {
                let q: u32 = p[1..].parse().unwrap();
                want.extend(naive_trace(&v, q, w, m).into_iter().map(|r| r.0));
            }
            let me = format!("p{who}");
            let want: Vec<String> = want.into_iter().filter(|p| p != &me && !first.contains(p)).collect();
            let index = build(&v);
            prop_assert_eq!(names(&index, second_ring(&index, &me, w, m)), want.clone());
            if let Some(number) = index.persons().get(&me) {
                for gather in [false, true] {
                    let ring = second_ring_of(&index, number, w, m, Some(gather));
                    prop_assert_eq!(names(&index, ring), want.clone());
                }
            }
        }

        #[test]
        fn day_graph_matches_the_definition(v in visits_strategy(), m in 1i64..1200, day in 0i64..3000) {
            let w = Window { start: day, end: day + 86_400 };
            let mut want: BTreeSet<(String, String)> = BTreeSet::new();
            for (i, j) in naive_pairs(&v, w, m) {
                let (x, y) = (format!("p{}", v[i].0), format!("p{}", v[j].0));
                want.insert(if x < y { (x, y) } else { (y, x) });
            }
            let index = build(&v);
            let g = day_graph(&index, day, m, true).unwrap();
            prop_assert_eq!(g.edges, want.len());
            let with_edge: BTreeSet<&String> = want.iter().flat_map(|(x, y)| [x, y]).collect();
            prop_assert_eq!(g.persons_with_edge, with_edge.len());
            let summary = day_graph(&index, day, m, false).unwrap();
            prop_assert_eq!((summary.edges, summary.max_degree, summary.max_degree_person), (g.edges, g.max_degree, g.max_degree_person));
            let edges: Vec<(String, String)> = g.edge_list.unwrap().into_iter()
                .map(|(a, b)| (index.persons().name(a).to_string(), index.persons().name(b).to_string()))
                .collect();
            prop_assert_eq!(edges, want.into_iter().collect::<Vec<_>>());
        }
    }

    /// 2020-01-26 09:00 UTC.
    const T0: i64 = 1_580_029_200;

    /// Two persons with `n` simultaneous visits each at one place.
    fn crowded_pair(n: usize) -> Visits {
        let persons: Vec<&str> = (0..2 * n).map(|i| if i < n { "a" } else { "b" }).collect();
        Visits::from_columns(
            &persons,
            &vec!["m"; 2 * n],
            &vec![T0; 2 * n],
            &vec![T0 + 3600; 2 * n],
        )
        .unwrap()
    }

    /// A hub with `n` chained visits 2 s apart, 1,000 s each, and 1,000
    /// others 80 s apart, 950 s each: every other meets the hub for 950 s,
    /// no two others meet for 900 s.
    fn hub(n: usize) -> Visits {
        let (mut persons, mut starts, mut ends) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..n as i64 {
            persons.push("hub".to_string());
            starts.push(T0 + 2 * i);
            ends.push(T0 + 2 * i + 1000);
        }
        for j in 0..1000 {
            persons.push(format!("o{j:04}"));
            starts.push(T0 + 80 * j);
            ends.push(T0 + 80 * j + 950);
        }
        Visits::from_columns(&persons, &vec!["m"; persons.len()], &starts, &ends).unwrap()
    }

    const TWO_DAYS: Window = Window {
        start: T0 - 86_400,
        end: T0 + 86_400,
    };

    #[test]
    fn many_simultaneous_visits_cost_one_pair() {
        let v = crowded_pair(10_000);
        ROWS_READ.set(0);
        let g = day_graph(&v, T0 - 3600, 900, true).unwrap();
        assert_eq!((g.edges, g.edge_list), (1, Some(vec![(0, 1)])));
        // Each person's 10,000 visits are one stretch, which reads the
        // 20,000 rows once: not the 10^8 pairs of visits.
        assert!(ROWS_READ.get() <= 2 * 20_000, "{}", ROWS_READ.get());
        let rows = trace(&v, "a", TWO_DAYS, 900);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].total_overlap, 10_000 * 10_000 * 3600);
        // The identical visits are taken as one run on each side.
        let mut calls = 0;
        for_each_pair(&v, 0, TWO_DAYS, 900, |_, _, _, _, _, n| {
            calls += 1;
            assert_eq!(n, 100_000_000);
        });
        assert_eq!(calls, 1);
        assert_eq!(contact_persons(&v, 0, TWO_DAYS, 900), [1]);
        assert!(second_ring(&v, "a", TWO_DAYS, 900).is_empty());
    }

    #[test]
    fn a_hub_with_many_visits_costs_its_contacts() {
        let v = hub(50_000);
        let hub_number = v.persons().get("hub").unwrap();
        ROWS_READ.set(0);
        let g = day_graph(&v, T0, 900, false).unwrap();
        assert_eq!(
            (
                g.edges,
                g.max_degree,
                g.max_degree_person,
                g.persons_with_edge
            ),
            (1000, 1000, Some(hub_number), 1001)
        );
        // The hub's chained visits are one stretch, each other's one: the
        // hub's stretch reads the place once, each other's reads the rows
        // that meet it (about 500 of the hub's); not the 25 million pairs
        // of visits.
        assert!(ROWS_READ.get() < 2_000_000, "{}", ROWS_READ.get());
        let others: Vec<u32> = (0..1000)
            .map(|j| v.persons().get(&format!("o{j:04}")).unwrap())
            .collect();
        assert_eq!(contact_persons(&v, hub_number, TWO_DAYS, 900), others);
        assert!(second_ring(&v, "hub", TWO_DAYS, 900).is_empty());
        assert_eq!(second_ring(&v, "o0000", TWO_DAYS, 900).len(), 999);
    }

    #[test]
    fn a_graph_over_its_budget_is_a_typed_error() {
        // 100 persons together for an hour: 4,950 edges.
        let persons: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
        let v = Visits::from_columns(
            &persons,
            &vec!["m"; 100],
            &vec![T0; 100],
            &vec![T0 + 3600; 100],
        )
        .unwrap();
        let g = day_graph_with_budget(&v, T0, 900, true, 1 << 20).unwrap();
        assert_eq!(g.edges, 4950);
        let fixed = 100 * 4 * (1 + crate::tracing::workers::count() as u64);
        // Room for the persons and all edges but one.
        let budget = fixed + 4949 * 8;
        let e = day_graph_with_budget(&v, T0, 900, true, budget).unwrap_err();
        assert_eq!(e.code(), "too_large");
        let Error::TooLarge {
            needed, budget: b, ..
        } = &e
        else {
            panic!("{e:?}");
        };
        assert_eq!((*needed, *b), (fixed + 4950 * 8, budget), "{e}");
        assert!(e.to_string().starts_with("the day graph of "), "{e}");
        // The summary alone needs the persons only.
        let g = day_graph_with_budget(&v, T0, 900, false, fixed).unwrap();
        assert_eq!(
            (g.edges, g.max_degree, g.persons_with_edge),
            (4950, 99, 100)
        );
        assert!(matches!(
            day_graph_with_budget(&v, T0, 900, false, 10),
            Err(Error::TooLarge { needed, .. }) if needed == fixed
        ));
    }

    #[test]
    fn a_long_visit_does_not_make_searches_read_the_day() {
        // A market open all day: 2,000 persons of 20 minutes each, one
        // arriving every 30 s, and one who stays 16 hours. Sorted by start
        // alone, every search would reach back 16 hours.
        let (mut persons, mut starts, mut ends) =
            (vec!["all-day".to_string()], vec![T0], vec![T0 + 16 * 3600]);
        for j in 0..2000 {
            persons.push(format!("o{j:04}"));
            starts.push(T0 + 30 * j);
            ends.push(T0 + 30 * j + 1200);
        }
        let v = Visits::from_columns(&persons, &vec!["m"; persons.len()], &starts, &ends).unwrap();
        // o1500 meets those who arrived within 300 s of it (20 of them)
        // and the all-day visitor.
        ROWS_READ.set(0);
        let rows = trace(&v, "o1500", TWO_DAYS, 900);
        assert_eq!(rows.len(), 21);
        assert!(ROWS_READ.get() <= 4 * 21, "{}", ROWS_READ.get());
        ROWS_READ.set(0);
        assert_eq!(contact_persons(&v, 1500 + 1, TWO_DAYS, 900).len(), 21);
        assert!(ROWS_READ.get() <= 4 * 21, "{}", ROWS_READ.get());
    }

    proptest! {
        #[test]
        fn in_order_sorts_distinct_persons(set in prop::collection::btree_set(0u32..5000, 0..2000), base in prop::sample::select(vec![0u32, 63, 64, 1 << 20, u32::MAX - 6000])) {
            let want: Vec<u32> = set.iter().map(|p| p + base).collect();
            let mut got: Vec<u32> = want.iter().rev().copied().collect();
            in_order(&mut got);
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn columns_far_apart_in_time_do_not_wrap() {
        // Valid i64 times 10^19 s apart: lengths and sums saturate.
        let rows = trace_columns(
            &[1, 2],
            &[0, 0],
            &[-5_000_000_000_000_000_000, 0],
            &[5_000_000_000_000_000_000, 1000],
            1,
            Window {
                start: 0,
                end: 86_400,
            },
            900,
        )
        .unwrap();
        assert_eq!(rows, [(2, 1000, 0)]);
    }

    #[test]
    fn edges_of_the_definitions() {
        // c: 0..3600 at m. a overlaps exactly 900 s, b 899 s, d starts at the window end.
        let v = build(&[
            (0, 0, 0, 3600),
            (1, 0, 2700, 5000),
            (2, 0, 2701, 5000),
            (3, 0, 3600, 9000),
        ]);
        let rows = trace(
            &v,
            "p0",
            Window {
                start: 0,
                end: 3600,
            },
            900,
        );
        assert_eq!(named(&v, rows), vec![("p1".to_string(), 900, 2700)]);
        // A visit ending exactly at the window start is outside.
        assert!(trace(
            &v,
            "p0",
            Window {
                start: 3600,
                end: 7200
            },
            1
        )
        .is_empty());
        // Several pairs between the same two persons are summed.
        let v = build(&[(0, 0, 0, 1000), (0, 0, 2000, 3000), (1, 0, 0, 3000)]);
        assert_eq!(
            trace(
                &v,
                "p0",
                Window {
                    start: 0,
                    end: 9000
                },
                900
            )[0]
            .total_overlap,
            2000
        );
        // Ring 2 is reached through ring 1 only.
        let v = build(&[
            (0, 0, 0, 1000),
            (1, 0, 0, 3000),
            (2, 1, 5000, 6000),
            (1, 1, 5000, 6000),
        ]);
        let ring = second_ring(
            &v,
            "p0",
            Window {
                start: 0,
                end: 9000,
            },
            900,
        );
        assert_eq!(names(&v, ring), ["p2"]);
        assert!(trace(
            &v,
            "nobody",
            Window {
                start: 0,
                end: 9000
            },
            900
        )
        .is_empty());
        let g = day_graph(&v, 0, 900, false).unwrap();
        assert_eq!(
            (
                g.edges,
                g.max_degree,
                g.max_degree_person,
                g.persons_with_edge
            ),
            (2, 2, v.persons().get("p1"), 3)
        );
    }
}
