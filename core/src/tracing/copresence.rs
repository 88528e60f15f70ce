//! Pure co-presence queries on [`Visits`]: trace one person, the second ring,
//! and one day's contact graph.
//!
//! Semantics (times in seconds, visits half-open): a visit intersects a window
//! `[a, b)` when `start < b && end > a`; the overlap of two visits is
//! `min(end) - max(start)`, not clipped to the window; two visits form a
//! contact pair when they are at the same place, of different persons, both
//! intersect the window and overlap by at least `min_overlap` seconds.

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
        let near = &rows[visits.rows_near(place, cs + base, ce + base)];
        let mut j = 0;
        while j < near.len() {
            let other = near[j];
            let run = 1 + near[j + 1..].iter().take_while(|r| **r == other).count();
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

/// The persons in a contact pair with person number `who` in `window`,
/// sorted and distinct, in memory for the persons and time for the
/// person's presences rather than their pairs: at each place, the person's
/// rows are merged into the stretches where a pair can start (see
/// [`Sweep`]), and each stretch looks once at the rows near it.
#[expect(
    clippy::many_single_char_names,
    reason = "the names of the definitions: visits [s, e), the window [a, b), min overlap m"
)]
pub(crate) fn contact_persons(
    visits: &Visits,
    who: u32,
    window: Window,
    min_overlap: i64,
) -> Vec<u32> {
    let m = min_overlap.max(1);
    let base = visits.base();
    // Saturating: a window may reach the ends of time.
    let (a, b) = (
        window.start.saturating_sub(base),
        window.end.saturating_sub(base),
    );
    let rows = visits.rows();
    let mut seen = vec![false; visits.persons().len()];
    let mut found: Vec<u32> = Vec::new();
    let mut look = |place: u32, (x, y): (i64, i64)| {
        // Rows whose reach [s, e - m] meets [x, y]: they start by y and end
        // from x + m on.
        for row in visits.rows_near(place, x + m - 1 + base, y + 1 + base) {
            let r = rows[row];
            let (s, e) = (i64::from(r.start), i64::from(r.end));
            let meets = s <= y && e - m >= x && e - s >= m;
            if meets && s < b && e > a && r.person != who && !seen[r.person as usize] {
                seen[r.person as usize] = true;
                found.push(r.person);
            }
        }
    };
    let mut current: Option<(u32, i64, i64)> = None;
    for &row in visits.rows_of_person(who) {
        let row = row as usize;
        let (s, e) = (i64::from(rows[row].start), i64::from(rows[row].end));
        if !(s < b && e > a) || e - s < m {
            continue;
        }
        let place = visits.place_of(row);
        current = match current {
            Some((p, x, y)) if p == place && s <= y => Some((p, x, y.max(e - m))),
            Some((p, x, y)) => {
                look(p, (x, y));
                Some((place, s, e - m))
            }
            None => Some((place, s, e - m)),
        };
    }
    if let Some((p, x, y)) = current {
        look(p, (x, y));
    }
    found.sort_unstable();
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
                let sum = i64::try_from(count).map_or(i64::MAX, |c| c.saturating_mul(overlap));
                slot.total = slot.total.saturating_add(sum);
                slot.first = slot.first.min(start);
            },
        );
        // Person numbers follow id order, so sorting numbers sorts by id.
        met.sort_unstable();
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

/// Trace(C, W) straight from columns, without building an index: two
/// passes over the rows. For one trace on data that is not indexed yet
/// (an index costs more to build than a scan, and pays off from the second
/// query on). Rows as [`trace`]'s, with the contact's id; sorted by id.
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
    Q: Copy + Ord + Send + Sync,
{
    let n = persons.len();
    super::visits::check_lengths(n, places.len(), starts.len(), ends.len())?;
    let m = min_overlap.max(1);
    let admitted = |i: usize| starts[i] < window.end && ends[i] > window.start;
    let mut visits_of_c: Vec<(Q, i64, i64)> = (0..n)
        .filter(|&i| persons[i] == person && admitted(i) && ends[i] - starts[i] >= m)
        .map(|i| (places[i], starts[i], ends[i]))
        .collect();
    visits_of_c.sort_unstable_by_key(|v| v.0);
    let (Some(reach_from), Some(reach_to)) = (
        visits_of_c.iter().map(|v| v.1).min(),
        visits_of_c.iter().map(|v| v.2).max(),
    ) else {
        return Ok(Vec::new());
    };
    // A pair needs at least `m` seconds inside C's span.
    let (reach_from, reach_to) = (reach_from + m, reach_to - m);
    let scan = |rows: std::ops::Range<usize>| {
        let mut sums: std::collections::HashMap<P, (i64, i64)> = std::collections::HashMap::new();
        for i in rows {
            // Cheap tests first: most rows are outside C's span or the window.
            if starts[i] > reach_to || ends[i] < reach_from || !admitted(i) || persons[i] == person
            {
                continue;
            }
            let at = visits_of_c.partition_point(|v| v.0 < places[i]);
            for &(_, cs, ce) in visits_of_c[at..].iter().take_while(|v| v.0 == places[i]) {
                let first = cs.max(starts[i]);
                let overlap = ce.min(ends[i]) - first;
                if overlap >= m {
                    let e = sums.entry(persons[i]).or_insert((0, first));
                    e.0 += overlap;
                    e.1 = e.1.min(first);
                }
            }
        }
        sums
    };
    // The scan is bound by memory bandwidth: split it over the cores for
    // large inputs.
    let threads = if n < 1 << 20 {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(8)
    };
    let chunk = n.div_ceil(threads);
    let parts: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let rows = t * chunk..((t + 1) * chunk).min(n);
                scope.spawn(move || scan(rows))
            })
            .collect();
        // A worker cannot panic (every index is below n); if one did, so do we.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut sums: std::collections::HashMap<P, (i64, i64)> = std::collections::HashMap::new();
    for part in parts {
        for (p, (total, first)) in part {
            let e = sums.entry(p).or_insert((0, first));
            e.0 += total;
            e.1 = e.1.min(first);
        }
    }
    let mut rows: Vec<(P, i64, i64)> = sums.into_iter().map(|(p, (t, f))| (p, t, f)).collect();
    rows.sort_unstable_by_key(|r| r.0);
    Ok(rows)
}

/// Second ring(C, W): persons in a contact pair in `window` with any person of
/// Trace(C, W), minus those persons and C; their numbers in
/// [`Visits::persons`], sorted (which is id order) and distinct.
///
/// One sweep per place where a ring-1 person was: a visit `v` there pairs
/// with a ring-1 visit `w` that started no later when `w` ends at least
/// `min_overlap` after `v` starts (a running maximum), and with one that
/// started later when such a `w` of at least `min_overlap` starts within
/// `[v.start, v.end - min_overlap]` (a binary search). The work is the
/// window's visits at those places, however large the first ring.
pub fn second_ring(visits: &Visits, person: &str, window: Window, min_overlap: i64) -> Vec<u32> {
    let Some(who) = visits.persons().get(person) else {
        return Vec::new();
    };
    let ring1 = contact_persons(visits, who, window, min_overlap);
    // 1: the traced person or ring 1; 2: found in ring 2.
    let mut mark = vec![0u8; visits.persons().len()];
    mark[who as usize] = 1;
    let mut places: Vec<u32> = Vec::new();
    for &p in &ring1 {
        mark[p as usize] = 1;
        for &row in visits.rows_of_person(p) {
            let row = row as usize;
            if window.admits(visits.start_of(row), visits.end_of(row)) {
                places.push(visits.place_of(row));
            }
        }
    }
    places.sort_unstable();
    places.dedup();

    let (base, m) = (visits.base(), min_overlap.max(1));
    let (a, b) = (
        window.start.saturating_sub(base),
        window.end.saturating_sub(base),
    );
    let admitted = |r: &Row| i64::from(r.start) < b && i64::from(r.end) > a;
    let mut found: Vec<u32> = Vec::new();
    let mut ring_rows: Vec<Row> = Vec::new();
    for place in places {
        let rows = &visits.rows()[visits.rows_near(place, window.start, window.end)];
        ring_rows.clear();
        ring_rows.extend(
            rows.iter()
                .filter(|r| admitted(r) && mark[r.person as usize] == 1 && r.person != who),
        );
        let long_starts: Vec<i64> = ring_rows
            .iter()
            .filter(|r| i64::from(r.end) - i64::from(r.start) >= m)
            .map(|r| i64::from(r.start))
            .collect();
        let (mut next, mut max_end) = (0, i64::MIN);
        for v in rows {
            let (vs, ve) = (i64::from(v.start), i64::from(v.end));
            while next < ring_rows.len() && i64::from(ring_rows[next].start) <= vs {
                max_end = max_end.max(i64::from(ring_rows[next].end));
                next += 1;
            }
            if mark[v.person as usize] != 0 || !admitted(v) || ve - vs < m {
                continue;
            }
            let earlier = max_end >= vs + m;
            let later = || {
                let k = long_starts.partition_point(|&s| s <= vs);
                k < long_starts.len() && long_starts[k] <= ve - m
            };
            if earlier || later() {
                mark[v.person as usize] = 2;
                found.push(v.person);
            }
        }
    }
    found.sort_unstable();
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
/// A sweep per place over each person's stretches there (see [`Sweep`]):
/// each pair of persons is found about once per place, however many visits
/// they made, so memory follows the distinct pairs, and time the visits
/// plus the pairs found.
///
/// # Errors
/// [`Error::TooLarge`] when the edges (and the working room to find them)
/// would take more than `budget` bytes; nothing that large is allocated.
pub fn day_graph_with_budget(
    visits: &Visits,
    day_start: i64,
    min_overlap: i64,
    with_edges: bool,
    budget: u64,
) -> Result<DayGraph> {
    let base = visits.base();
    let day_end = day_start.saturating_add(86_400);
    let (a, b) = (day_start.saturating_sub(base), day_end.saturating_sub(base));
    let n_persons = visits.persons().len();
    // Per person: sweep slots (16), then offsets, fill, seen and degree (16).
    let fixed = n_persons as u64 * 32;
    let per_pair: u64 = if with_edges { 20 } else { 12 };
    let what = || format!("the day graph of {day_start}");
    let too_large = |needed: u64| Error::TooLarge {
        what: what(),
        needed,
        budget,
    };
    if fixed > budget {
        return Err(too_large(fixed));
    }
    let cap = usize::try_from((budget - fixed) / per_pair).unwrap_or(usize::MAX);
    let mut pairs = PairBuffer::new(cap);
    let mut sweep = Sweep::new(n_persons);
    for place in 0..visits.places().len() as u32 {
        let rows = &visits.rows()[visits.rows_near(place, day_start, day_end)];
        sweep.load(rows, a, b, min_overlap.max(1));
        sweep
            .pairs(|x, y| pairs.push(x, y))
            .map_err(|held| too_large(fixed + held as u64 * per_pair))?;
    }
    #[cfg(test)]
    MOST_PAIRS_HELD.set(pairs.most_held);
    let pairs = pairs.into_pairs();
    // Group the pairs by their first person with one counting-sort pass,
    // then drop repeated neighbours with a marker: no global sort.
    let mut offsets = vec![0u32; n_persons + 1];
    for &pair in &pairs {
        offsets[(pair >> 32) as usize + 1] += 1;
    }
    for q in 0..n_persons {
        offsets[q + 1] += offsets[q];
    }
    let mut fill = offsets.clone();
    let mut neighbours = vec![0u32; pairs.len()];
    for &pair in &pairs {
        let a = (pair >> 32) as usize;
        neighbours[fill[a] as usize] = (pair & 0xffff_ffff) as u32;
        fill[a] += 1;
    }
    drop(pairs);
    let mut seen = vec![u32::MAX; n_persons];
    let mut degree = vec![0u32; n_persons];
    let mut edges = 0usize;
    let mut edge_list: Option<Vec<(u32, u32)>> = with_edges.then(Vec::new);
    for a in 0..n_persons {
        let seg = &mut neighbours[offsets[a] as usize..offsets[a + 1] as usize];
        if with_edges {
            seg.sort_unstable();
        }
        for &b in seg.iter() {
            if seen[b as usize] != a as u32 {
                seen[b as usize] = a as u32;
                edges += 1;
                degree[a] += 1;
                degree[b as usize] += 1;
                if let Some(list) = edge_list.as_mut() {
                    list.push((a as u32, b));
                }
            }
        }
    }
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

#[cfg(test)]
thread_local! {
    /// The most pairs the last day graph held at once.
    static MOST_PAIRS_HELD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Pairs of persons as found, `min << 32 | max`, held within `cap` entries:
/// when full, sorted and deduplicated in place, so it holds the distinct
/// pairs plus room to find more.
struct PairBuffer {
    pairs: Vec<u64>,
    cap: usize,
    /// Compact when this many are held.
    next_compaction: usize,
    #[cfg(test)]
    most_held: usize,
}

impl PairBuffer {
    /// Compaction costs a sort: not before this many pairs, so that the
    /// usual day is grouped by the counting sort alone.
    const FIRST_COMPACTION: usize = 1 << 20;

    fn new(cap: usize) -> PairBuffer {
        PairBuffer {
            pairs: Vec::new(),
            cap,
            // The sweep finds each pair about once per place: duplicates
            // come from pairs met at several places, rarely worth a sort
            // before half the room is used.
            next_compaction: (cap / 2).max(Self::FIRST_COMPACTION).min(cap),
            #[cfg(test)]
            most_held: 0,
        }
    }

    /// Add the pair `{x, y}`; `Err(held)` when the distinct pairs fill
    /// seven eighths of the room (`held` counts them plus the eighth the
    /// search needs to go on).
    fn push(&mut self, x: u32, y: u32) -> std::result::Result<(), usize> {
        if self.pairs.len() >= self.next_compaction {
            self.pairs.sort_unstable();
            self.pairs.dedup();
            let held = self.pairs.len();
            if held >= self.cap - self.cap / 8 {
                return Err(held + self.cap / 8 + 1);
            }
            self.next_compaction = (2 * held)
                .clamp(Self::FIRST_COMPACTION, usize::MAX)
                .min(self.cap);
            // Room for exactly what may be held, not a doubling past it.
            self.pairs.reserve_exact(self.next_compaction - held);
        }
        self.pairs
            .push(u64::from(x.min(y)) << 32 | u64::from(x.max(y)));
        #[cfg(test)]
        {
            self.most_held = self.most_held.max(self.pairs.len());
        }
        Ok(())
    }

    fn into_pairs(self) -> Vec<u64> {
        self.pairs
    }
}

/// The stretches of each person at one place, and a sweep that pairs them.
///
/// Two rows (long enough, in the window) overlap by at least `m` seconds
/// exactly when their *reaches*, the closed intervals `[start, end - m]` of
/// times where such an overlap can begin, meet. A person's reaches at a
/// place that meet merge into one stretch without changing which persons
/// they meet, so a person's stretches there are disjoint, sorted, and at
/// most one is open at a time: many visits of one person at one place,
/// simultaneous or chained, are one stretch.
///
/// The sweep takes stretches by start. A stretch meets every open stretch;
/// it visits only those opened since its person's previous stretch there
/// (the older ones met that one already), skipping closed ones in a
/// union-find, so each person meets each other stretch at most once. Time:
/// the rows, a heap per stretch, and the pairs found; scratch: the persons.
struct Sweep {
    /// The merged reaches `(start, end, person)`, sorted by start.
    reach: Vec<(i64, i64, u32)>,
    /// Per person: `(generation, index into reach)`, current when the
    /// generation is.
    slot: Vec<(u64, u32)>,
    generation: u64,
    /// `next[k]`: the first stretch at or after `k` not yet closed.
    next: Vec<u32>,
    /// Open stretches by end, earliest first.
    open: std::collections::BinaryHeap<std::cmp::Reverse<(i64, u32)>>,
}

impl Sweep {
    fn new(persons: usize) -> Sweep {
        Sweep {
            reach: Vec::new(),
            slot: vec![(0, 0); persons],
            generation: 0,
            next: Vec::new(),
            open: std::collections::BinaryHeap::new(),
        }
    }

    /// The merged reaches of `rows` (one place's, sorted by start) that are
    /// at least `m` long and intersect `[a, b)`.
    #[expect(
        clippy::many_single_char_names,
        reason = "the names of the definitions: visits [s, e), the window [a, b), min overlap m"
    )]
    fn load(&mut self, rows: &[Row], a: i64, b: i64, m: i64) {
        self.generation += 1;
        let generation = self.generation;
        self.reach.clear();
        for r in rows {
            let (s, e) = (i64::from(r.start), i64::from(r.end));
            if !(s < b && e > a) || e - s < m {
                continue;
            }
            let slot = &mut self.slot[r.person as usize];
            if slot.0 == generation {
                let current = &mut self.reach[slot.1 as usize];
                if s <= current.1 {
                    current.1 = current.1.max(e - m);
                    continue;
                }
            }
            *slot = (generation, self.reach.len() as u32);
            self.reach.push((s, e - m, r.person));
        }
    }

    /// Call `meet(x, y)` for the persons of every two stretches that meet,
    /// at least once for each pair of persons and at most once for each
    /// stretch and person. Stops at the first error.
    fn pairs<E>(
        &mut self,
        mut meet: impl FnMut(u32, u32) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.generation += 1;
        let generation = self.generation;
        let n = self.reach.len();
        self.next.clear();
        self.next.extend(0..=n as u32);
        self.open.clear();
        for j in 0..n {
            let (start, end, person) = self.reach[j];
            while let Some(&std::cmp::Reverse((e, k))) = self.open.peek() {
                if e >= start {
                    break;
                }
                self.open.pop();
                self.next[k as usize] = k + 1;
            }
            let slot = self.slot[person as usize];
            let mut k = if slot.0 == generation { slot.1 + 1 } else { 0 };
            loop {
                k = find(&mut self.next, k);
                if k as usize >= j {
                    break;
                }
                meet(person, self.reach[k as usize].2)?;
                k += 1;
            }
            self.slot[person as usize] = (generation, j as u32);
            self.open.push(std::cmp::Reverse((end, j as u32)));
        }
        Ok(())
    }
}

/// The first index at or after `k` that `next` leaves in place (path halving).
fn find(next: &mut [u32], mut k: u32) -> u32 {
    while next[k as usize] != k {
        let up = next[next[k as usize] as usize];
        next[k as usize] = up;
        k = up;
    }
    k
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
        prop_oneof![spread, crowded]
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
            prop_assert_eq!(names(&index, second_ring(&index, &me, w, m)), want);
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
        let g = day_graph(&v, T0 - 3600, 900, true).unwrap();
        assert_eq!((g.edges, g.edge_list), (1, Some(vec![(0, 1)])));
        // Each person's 10,000 visits are one stretch: one pair found, not 10^8.
        assert_eq!(MOST_PAIRS_HELD.get(), 1);
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
        let g = day_graph(&v, T0, 900, false).unwrap();
        assert_eq!(
            (g.edges, g.max_degree, g.max_degree_person),
            (1000, 1000, Some(hub_number))
        );
        // The hub's chained visits are one stretch, each other's one: a
        // thousand pairs found, not the half million pairs of visits.
        assert_eq!(MOST_PAIRS_HELD.get(), 1000);
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
        let persons = v.persons().len() as u64;
        let budget = persons * 32 + 50 * 20;
        let e = day_graph_with_budget(&v, T0, 900, true, budget).unwrap_err();
        assert_eq!(e.code(), "too_large");
        let Error::TooLarge {
            needed, budget: b, ..
        } = &e
        else {
            panic!("{e:?}");
        };
        assert!(*needed > *b && *b == budget, "{e}");
        assert!(e.to_string().starts_with("the day graph of "), "{e}");
        // Too little for the persons alone: refused before the sweep.
        assert!(matches!(
            day_graph_with_budget(&v, T0, 900, false, 10),
            Err(Error::TooLarge { needed, .. }) if needed == persons * 32
        ));
    }

    #[test]
    fn pair_buffer_compacts_and_stops_at_its_room() {
        let mut b = PairBuffer::new(16);
        // The same pair again and again fits in any room.
        for _ in 0..1000 {
            b.push(3, 1).unwrap();
        }
        assert!(b.most_held <= 16);
        // Distinct pairs fill seven eighths of the room, then stop.
        let mut stopped = None;
        for y in 10..100 {
            if let Err(held) = b.push(0, y) {
                stopped = Some((y, held));
                break;
            }
        }
        let (y, held) = stopped.unwrap();
        assert!(b.most_held <= 16 && y < 30, "{y} {}", b.most_held);
        assert!(held > 16);
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
            (g.edges, g.max_degree, g.max_degree_person, g.persons_with_edge),
            (2, 2, v.persons().get("p1"), 3)
        );
    }
}
