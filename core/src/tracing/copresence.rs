//! Pure co-presence queries on [`Visits`]: trace one person, the second ring,
//! and one day's contact graph.
//!
//! Semantics (times in seconds, visits half-open): a visit intersects a window
//! `[a, b)` when `start < b && end > a`; the overlap of two visits is
//! `min(end) - max(start)`, not clipped to the window; two visits form a
//! contact pair when they are at the same place, of different persons, both
//! intersect the window and overlap by at least `min_overlap` seconds.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::visits::Visits;

/// A query window `[start, end)` in Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// First second inside.
    pub start: i64,
    /// First second after.
    pub end: i64,
}

impl Window {
    fn admits(self, start: i64, end: i64) -> bool {
        start < self.end && end > self.start
    }
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceRow {
    /// The contact's id.
    pub person_id: String,
    /// Sum of the overlap over every contact pair, in seconds.
    pub total_overlap: i64,
    /// Earliest start of contact, Unix seconds.
    pub first_contact: i64,
}

/// Every contact pair of person number `who` in `window`, aggregated per
/// (other person, place), sorted by person then place.
pub(crate) fn contacts_by_place(
    visits: &Visits,
    who: u32,
    window: Window,
    min_overlap: i64,
) -> Vec<PlaceContact> {
    let mut acc: BTreeMap<(u32, u32), PlaceContact> = BTreeMap::new();
    for &row in visits.rows_of_person(who) {
        let row = row as usize;
        let (cs, ce, place) = (
            visits.start_of(row),
            visits.end_of(row),
            visits.place_of(row),
        );
        if !window.admits(cs, ce) {
            continue;
        }
        for other in visits.rows_near(place, cs, ce) {
            let p = visits.person_of(other);
            let (vs, ve) = (visits.start_of(other), visits.end_of(other));
            if p == who || !window.admits(vs, ve) {
                continue;
            }
            let first = cs.max(vs);
            let last = ce.min(ve);
            let overlap = last - first;
            if overlap < min_overlap || overlap <= 0 {
                continue;
            }
            let e = acc.entry((p, place)).or_insert(PlaceContact {
                person: p,
                place,
                overlap: 0,
                first_contact: first,
                last_contact: last,
            });
            e.overlap += overlap;
            e.first_contact = e.first_contact.min(first);
            e.last_contact = e.last_contact.max(last);
        }
    }
    acc.into_values().collect()
}

/// Trace(C, W): one row per person with at least one contact pair with `person`
/// in `window`, sorted by person id. Unknown persons have no contacts.
///
/// ```
/// use precinct::{trace, Visits, Window};
/// let v = Visits::from_columns(&["c", "a", "b"], &["m", "m", "m"], &[0, 0, 3000], &[3600, 900, 3600]).unwrap();
/// let rows = trace(&v, "c", Window { start: 0, end: 86_400 }, 900);
/// assert_eq!(rows.iter().map(|r| r.person_id.as_str()).collect::<Vec<_>>(), ["a"]);
/// ```
pub fn trace(visits: &Visits, person: &str, window: Window, min_overlap: i64) -> Vec<TraceRow> {
    let Some(who) = visits.persons().get(person) else {
        return Vec::new();
    };
    let mut by_person: BTreeMap<&str, TraceRow> = BTreeMap::new();
    for c in contacts_by_place(visits, who, window, min_overlap) {
        let id = visits.persons().name(c.person);
        let row = by_person.entry(id).or_insert(TraceRow {
            person_id: id.to_string(),
            total_overlap: 0,
            first_contact: c.first_contact,
        });
        row.total_overlap += c.overlap;
        row.first_contact = row.first_contact.min(c.first_contact);
    }
    by_person.into_values().collect()
}

fn contact_set(visits: &Visits, who: u32, window: Window, min_overlap: i64) -> BTreeSet<u32> {
    contacts_by_place(visits, who, window, min_overlap)
        .into_iter()
        .map(|c| c.person)
        .collect()
}

/// Second ring(C, W): persons in a contact pair in `window` with any person of
/// Trace(C, W), minus those persons and C; sorted distinct ids.
pub fn second_ring(visits: &Visits, person: &str, window: Window, min_overlap: i64) -> Vec<String> {
    let Some(who) = visits.persons().get(person) else {
        return Vec::new();
    };
    let first = contact_set(visits, who, window, min_overlap);
    let mut second = BTreeSet::new();
    for &p in &first {
        second.extend(contact_set(visits, p, window, min_overlap));
    }
    let mut out: Vec<String> = second
        .into_iter()
        .filter(|p| *p != who && !first.contains(p))
        .map(|p| visits.persons().name(p).to_string())
        .collect();
    out.sort();
    out
}

/// The co-presence graph of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayGraph {
    /// Number of distinct edges.
    pub edges: usize,
    /// Largest degree.
    pub max_degree: usize,
    /// A person with the largest degree (the smallest id among ties), if any edge.
    pub max_degree_person: Option<String>,
    /// The edges as id pairs `(a, b)` with `a < b`, sorted, when asked for.
    pub edge_list: Option<Vec<(String, String)>>,
}

/// The graph with an edge for every contact pair in `[day_start, day_start + 86400)`.
/// A sweep per place: the work grows with the visits and the edges, not their square.
pub fn day_graph(visits: &Visits, day_start: i64, min_overlap: i64, with_edges: bool) -> DayGraph {
    let window = Window {
        start: day_start,
        end: day_start + 86_400,
    };
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for place in 0..visits.places().len() as u32 {
        let rows = visits.rows_near(place, window.start, window.end);
        let mut active: Vec<usize> = Vec::new();
        for row in rows {
            let (s, e) = (visits.start_of(row), visits.end_of(row));
            if !window.admits(s, e) {
                continue;
            }
            // Visits that cannot reach min_overlap past this start never can again:
            // later rows start no earlier.
            active.retain(|&o| visits.end_of(o) - s >= min_overlap);
            if e - s >= min_overlap {
                let a = visits.person_of(row);
                for &o in &active {
                    let b = visits.person_of(o);
                    if a != b && e.min(visits.end_of(o)) - s >= min_overlap {
                        pairs.push((a.min(b), a.max(b)));
                    }
                }
                active.push(row);
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let mut degree: BTreeMap<u32, usize> = BTreeMap::new();
    for &(a, b) in &pairs {
        *degree.entry(a).or_default() += 1;
        *degree.entry(b).or_default() += 1;
    }
    let name = |p: u32| visits.persons().name(p).to_string();
    let max_degree = degree.values().copied().max().unwrap_or(0);
    let max_degree_person = degree
        .iter()
        .filter(|(_, d)| **d == max_degree)
        .map(|(p, _)| name(*p))
        .min();
    let edge_list = with_edges.then(|| {
        let mut e: Vec<(String, String)> = pairs
            .iter()
            .map(|&(a, b)| {
                let (x, y) = (name(a), name(b));
                if x < y {
                    (x, y)
                } else {
                    (y, x)
                }
            })
            .collect();
        e.sort();
        e
    });
    DayGraph {
        edges: pairs.len(),
        max_degree,
        max_degree_person,
        edge_list,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    fn naive_trace(v: &[(u32, u32, i64, i64)], who: u32, w: Window, m: i64) -> Vec<TraceRow> {
        let mut rows: BTreeMap<String, TraceRow> = BTreeMap::new();
        for (i, j) in naive_pairs(v, w, m) {
            if v[i].0 != who {
                continue;
            }
            let id = format!("p{}", v[j].0);
            let first = v[i].2.max(v[j].2);
            let r = rows.entry(id.clone()).or_insert(TraceRow {
                person_id: id,
                total_overlap: 0,
                first_contact: first,
            });
            r.total_overlap += v[i].3.min(v[j].3) - first;
            r.first_contact = r.first_contact.min(first);
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
            let got = trace(&build(&v), &format!("p{who}"), w, m);
            prop_assert_eq!(got, naive_trace(&v, who, w, m));
        }

        #[test]
        fn second_ring_matches_the_definition(v in visits_strategy(), who in 0u32..8, m in 1i64..1200) {
            let w = Window { start: 1000, end: 5000 };
            let first: BTreeSet<String> = naive_trace(&v, who, w, m).into_iter().map(|r| r.person_id).collect();
            let mut want = BTreeSet::new();
            for p in &first {
                let q: u32 = p[1..].parse().unwrap();
                want.extend(naive_trace(&v, q, w, m).into_iter().map(|r| r.person_id));
            }
            let me = format!("p{who}");
            let want: Vec<String> = want.into_iter().filter(|p| p != &me && !first.contains(p)).collect();
            prop_assert_eq!(second_ring(&build(&v), &me, w, m), want);
        }

        #[test]
        fn day_graph_matches_the_definition(v in visits_strategy(), m in 1i64..1200, day in 0i64..3000) {
            let w = Window { start: day, end: day + 86_400 };
            let mut want: BTreeSet<(String, String)> = BTreeSet::new();
            for (i, j) in naive_pairs(&v, w, m) {
                let (x, y) = (format!("p{}", v[i].0), format!("p{}", v[j].0));
                want.insert(if x < y { (x, y) } else { (y, x) });
            }
            let g = day_graph(&build(&v), day, m, true);
            prop_assert_eq!(g.edges, want.len());
            prop_assert_eq!(g.edge_list.unwrap(), want.into_iter().collect::<Vec<_>>());
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
        assert_eq!(
            rows,
            vec![TraceRow {
                person_id: "p1".into(),
                total_overlap: 900,
                first_contact: 2700
            }]
        );
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
        assert_eq!(
            second_ring(
                &v,
                "p0",
                Window {
                    start: 0,
                    end: 9000
                },
                900
            ),
            vec!["p2".to_string()]
        );
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
            (g.edges, g.max_degree, g.max_degree_person.as_deref()),
            (2, 2, Some("p1"))
        );
    }
}
