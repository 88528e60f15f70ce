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

/// A query window `[start, end)` in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// Contact of the traced person with one other person at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceContact {
    /// The other person (number in [`Visits::persons`]).
    pub person: u32,
    /// The place (number in [`Visits::places`]).
    pub place: u32,
    /// Sum of the overlaps of every contact pair there.
    pub overlap: i64,
    /// Earliest `max(start)` of those pairs.
    pub first_contact: i64,
    /// Latest `min(end)` of those pairs: the last moment of exposure.
    pub last_contact: i64,
}

/// One row of a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceRow {
    /// The contact's number in [`Visits::persons`]; `visits.persons().name(row.person)`
    /// is their id. Numbers follow id order.
    pub person: u32,
    /// Sum of the overlap over every contact pair, in seconds.
    pub total_overlap: i64,
    /// Earliest start of contact, Unix seconds.
    pub first_contact: i64,
}

/// Call `f(person, place, overlap, first, last)` for every contact pair of
/// person number `who` in `window`. Touches only the person's visits and, at
/// each of their places, the rows that can overlap them.
pub(crate) fn for_each_pair(
    visits: &Visits,
    who: u32,
    window: Window,
    min_overlap: i64,
    mut f: impl FnMut(u32, u32, i64, i64, i64),
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
    for &row in visits.rows_of_person(who) {
        let row = row as usize;
        let (cs, ce) = (i64::from(rows[row].start), i64::from(rows[row].end));
        if !(cs < b && ce > a) || ce - cs < min_overlap {
            continue;
        }
        let place = visits.place_of(row);
        let near = visits.rows_near(place, cs + base, ce + base);
        for other in &rows[near] {
            let (vs, ve) = (i64::from(other.start), i64::from(other.end));
            let first = cs.max(vs);
            let last = ce.min(ve);
            if last - first < min_overlap || other.person == who || !(vs < b && ve > a) {
                continue;
            }
            f(other.person, place, last - first, first + base, last + base);
        }
    }
}

/// Every contact pair of person number `who` in `window`, aggregated per
/// (other person, place), sorted by person then place. Touches only the
/// person's visits and, at each of their places, the rows that can overlap.
pub(crate) fn contacts_by_place(
    visits: &Visits,
    who: u32,
    window: Window,
    min_overlap: i64,
) -> Vec<PlaceContact> {
    let mut pairs: Vec<PlaceContact> = Vec::new();
    for_each_pair(
        visits,
        who,
        window,
        min_overlap,
        |person, place, overlap, first, last| {
            pairs.push(PlaceContact {
                person,
                place,
                overlap,
                first_contact: first,
                last_contact: last,
            });
        },
    );
    pairs.sort_unstable_by_key(|c| (c.person, c.place));
    let mut out: Vec<PlaceContact> = Vec::new();
    for c in pairs {
        match out.last_mut() {
            Some(e) if e.person == c.person && e.place == c.place => {
                e.overlap += c.overlap;
                e.first_contact = e.first_contact.min(c.first_contact);
                e.last_contact = e.last_contact.max(c.last_contact);
            }
            _ => out.push(c),
        }
    }
    out
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
            |p, _place, overlap, start, _end| {
                let slot = &mut slots[p as usize];
                if slot.call != call {
                    *slot = Slot {
                        call,
                        total: 0,
                        first: start,
                    };
                    met.push(p);
                }
                slot.total += overlap;
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
    let ring1: Vec<u32> = dedup_persons(contacts_by_place(visits, who, window, min_overlap));
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

fn dedup_persons(contacts: Vec<PlaceContact>) -> Vec<u32> {
    let mut persons: Vec<u32> = contacts.into_iter().map(|c| c.person).collect();
    persons.dedup();
    persons
}

/// The co-presence graph of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayGraph {
    /// Number of distinct edges.
    pub edges: usize,
    /// Largest degree.
    pub max_degree: usize,
    /// A person with the largest degree (the smallest id among ties), if
    /// any edge, by number in [`Visits::persons`].
    pub max_degree_person: Option<u32>,
    /// The edges as pairs of person numbers `(a, b)` with `a < b`, sorted,
    /// when asked for.
    pub edge_list: Option<Vec<(u32, u32)>>,
}

/// The graph with an edge for every contact pair in `[day_start, day_start + 86400)`.
/// A sweep per place: the work grows with the visits and the pairs, not
/// with the square of the visits.
#[expect(
    clippy::many_single_char_names,
    reason = "the names of the definitions: visits [s, e), the day [a, b), min overlap m"
)]
pub fn day_graph(visits: &Visits, day_start: i64, min_overlap: i64, with_edges: bool) -> DayGraph {
    // At least one shared second, as `trace` counts (a negative minimum
    // would pair visits that never met); saturating at the ends of time.
    let (base, m) = (visits.base(), min_overlap.max(1));
    let day_end = day_start.saturating_add(86_400);
    let (a, b) = (day_start.saturating_sub(base), day_end.saturating_sub(base));
    let mut pairs: Vec<u64> = Vec::new();
    let mut active: Vec<Row> = Vec::new();
    for place in 0..visits.places().len() as u32 {
        let rows = &visits.rows()[visits.rows_near(place, day_start, day_end)];
        active.clear();
        for v in rows {
            let (s, e) = (i64::from(v.start), i64::from(v.end));
            if !(s < b && e > a) || e - s < m {
                continue;
            }
            // Visits that cannot reach min_overlap past this start never can
            // again (later rows start no earlier); every one left pairs with v.
            active.retain(|w| i64::from(w.end) - s >= m);
            for w in &active {
                if w.person != v.person {
                    let (x, y) = (w.person.min(v.person), w.person.max(v.person));
                    pairs.push(u64::from(x) << 32 | u64::from(y));
                }
            }
            active.push(*v);
        }
    }
    // Group the pairs by their first person with one counting-sort pass,
    // then drop repeated neighbours with a marker: no global sort.
    let n_persons = visits.persons().len();
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
    DayGraph {
        edges,
        max_degree: max_degree as usize,
        max_degree_person,
        edge_list,
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

    fn visits_strategy() -> impl Strategy<Value = Vec<(u32, u32, i64, i64)>> {
        prop::collection::vec((0u32..8, 0u32..3, 0i64..6000, 0i64..3000), 0..40)
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
            let g = day_graph(&index, day, m, true);
            prop_assert_eq!(g.edges, want.len());
            let edges: Vec<(String, String)> = g.edge_list.unwrap().into_iter()
                .map(|(a, b)| (index.persons().name(a).to_string(), index.persons().name(b).to_string()))
                .collect();
            prop_assert_eq!(edges, want.into_iter().collect::<Vec<_>>());
        }
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
        let g = day_graph(&v, 0, 900, false);
        assert_eq!(
            (g.edges, g.max_degree, g.max_degree_person),
            (2, 2, v.persons().get("p1"))
        );
    }
}
