//! Co-presence in the domain: presences rather than rows.
//!
//! A person's *presence* at a place is their rows there merged when they
//! overlap or follow within the policy's gap (re-scans, automatic check-outs,
//! rows split at midnight); the gap counts as presence. A *stretch* of
//! co-presence is a presence of the person intersected with a presence of the
//! traced person (the case) clipped to the case's window. The policy's
//! [`ExposureRule`] decides which stretches make a close contact:
//! - continuous: a stretch of at least the minimum counts on its own;
//! - cumulative: a stretch counts when it lies (at least in part) in some
//!   period of the policy's length whose stretches, at any places, add up to
//!   the minimum. Stretches at different places that overlap in time (which
//!   only contradictory data can give) are counted once in that sum.
//!
//! The work follows the traced person: their rows, and at each of their
//! presences the rows that start or end within the gap of it.

use super::copresence::{contact_persons, for_each_pair, Window, DEFAULT_BUDGET_BYTES};
use super::visits::Visits;
use crate::error::{Error, Result};
use crate::policy::{ExposureRule, Policy};

/// The parts of a [`Policy`] that judge co-presence, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PresenceRule {
    /// Rows of one person at one place at most this far apart are one presence.
    pub gap: i64,
    /// The minimum overlap, continuous or cumulative.
    pub min: i64,
    /// `Some(period)` for the cumulative rule.
    pub period: Option<i64>,
    /// Version 0.1's rule: pairs of rows, not presences (see
    /// [`ExposureRule::Pairwise`]).
    pub pairwise: bool,
}

impl PresenceRule {
    /// The rule of `policy`.
    pub fn of(policy: &Policy) -> PresenceRule {
        PresenceRule {
            gap: i64::from(policy.presence_gap_seconds),
            min: i64::from(policy.min_overlap_seconds),
            period: match policy.exposure_rule {
                ExposureRule::Continuous | ExposureRule::Pairwise => None,
                ExposureRule::Cumulative => Some(i64::from(policy.cumulative_period_seconds)),
            },
            pairwise: policy.exposure_rule == ExposureRule::Pairwise,
        }
    }
}

/// The stretches that counted between the traced person and one other person
/// at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlaceExposure {
    /// The other person (number in [`Visits::persons`]).
    pub person: u32,
    /// The place (number in [`Visits::places`]).
    pub place: u32,
    /// The stretches `[start, end)` in Unix seconds, sorted, disjoint, each
    /// inside the window (under the pairwise rule of version 0.1: the
    /// overlap of each pair of rows, sorted by start, possibly overlapping
    /// each other and reaching outside the window).
    pub stretches: Vec<(i64, i64)>,
}

impl PlaceExposure {
    /// Sum of the stretches, in seconds.
    pub fn seconds(&self) -> i64 {
        self.stretches.iter().map(|(s, e)| e - s).sum()
    }
}

/// Version 0.1's judgement: every pair of rows overlapping at least `min`,
/// the pairs' overlaps as stretches, per (person, place). The answer has a
/// stretch for every pair of rows, so it is counted before it is built.
fn pairwise_exposures(
    visits: &Visits,
    who: u32,
    window: Window,
    min: i64,
) -> Result<Vec<PlaceExposure>> {
    let mut count = 0u64;
    for_each_pair(visits, who, window, min, |_, _, _, _, _, n| {
        count = count.saturating_add(n);
    });
    // Each pair is held twice while sorted: (person, place, first, last)
    // and its stretch.
    let needed = count.saturating_mul(40);
    if needed > DEFAULT_BUDGET_BYTES {
        return Err(Error::TooLarge {
            what: format!(
                "the {count} pairs of visits of `{}` under the pairwise rule",
                visits.persons().name(who)
            ),
            needed,
            budget: DEFAULT_BUDGET_BYTES,
        });
    }
    let mut pairs: Vec<(u32, u32, i64, i64)> = Vec::new();
    for_each_pair(
        visits,
        who,
        window,
        min,
        |person, place, _, first, last, n| {
            // Checked above: the copies fit in the budget.
            pairs.extend(std::iter::repeat_n(
                (person, place, first, last),
                n as usize,
            ));
        },
    );
    pairs.sort_unstable();
    let mut out: Vec<PlaceExposure> = Vec::new();
    for (person, place, first, last) in pairs {
        match out.last_mut() {
            Some(e) if e.person == person && e.place == place => e.stretches.push((first, last)),
            _ => out.push(PlaceExposure {
                person,
                place,
                stretches: vec![(first, last)],
            }),
        }
    }
    Ok(out)
}

/// Merge `(start, end)` intervals sorted by start into presences: an
/// interval starting at most `gap` after the running end joins it.
fn merge(sorted: impl IntoIterator<Item = (i64, i64)>, gap: i64, out: &mut Vec<(i64, i64)>) {
    let mut cur: Option<(i64, i64)> = None;
    for (s, e) in sorted {
        cur = match cur {
            Some((cs, ce)) if s - ce <= gap => Some((cs, ce.max(e))),
            Some(done) => {
                out.push(done);
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    out.extend(cur);
}

/// The persons with stretches of co-presence with person number `who` in
/// `window` that count under `rule`, sorted and distinct. Under the
/// pairwise rule without listing the pairs.
pub(crate) fn exposed_persons(
    visits: &Visits,
    who: u32,
    window: Window,
    rule: PresenceRule,
) -> Vec<u32> {
    if rule.pairwise {
        return contact_persons(visits, who, window, rule.min);
    }
    let mut persons: Vec<u32> = presence_exposures(visits, who, window, rule)
        .into_iter()
        .map(|e| e.person)
        .collect();
    persons.dedup();
    persons
}

/// The stretches of co-presence of person number `who` with everyone else in
/// `window` that count under `rule`, one entry per (person, place), sorted by
/// person then place.
///
/// # Errors
/// [`Error::TooLarge`] under the pairwise rule when the pairs of rows, each
/// a stretch, would take more than [`DEFAULT_BUDGET_BYTES`]. The presence
/// rules hold at most a stretch per two presences that meet.
pub(crate) fn exposures(
    visits: &Visits,
    who: u32,
    window: Window,
    rule: PresenceRule,
) -> Result<Vec<PlaceExposure>> {
    if rule.pairwise {
        return pairwise_exposures(visits, who, window, rule.min);
    }
    Ok(presence_exposures(visits, who, window, rule))
}

fn presence_exposures(
    visits: &Visits,
    who: u32,
    window: Window,
    rule: PresenceRule,
) -> Vec<PlaceExposure> {
    let gap = rule.gap.max(0);
    // The traced person's presences, per place, clipped to the window.
    let mut own: Vec<(u32, i64, i64)> = visits
        .rows_of_person(who)
        .iter()
        .map(|&r| {
            let r = r as usize;
            (visits.place_of(r), visits.start_of(r), visits.end_of(r))
        })
        .collect();
    own.sort_unstable();
    let mut stretches: Vec<(u32, u32, i64, i64)> = Vec::new();
    let mut presences: Vec<(i64, i64)> = Vec::new();
    let mut near: Vec<(u32, i64, i64)> = Vec::new();
    let mut theirs: Vec<(i64, i64)> = Vec::new();
    for group in own.chunk_by(|a, b| a.0 == b.0) {
        let place = group[0].0;
        presences.clear();
        merge(group.iter().map(|r| (r.1, r.2)), gap, &mut presences);
        for &(ps, pe) in &presences {
            let (qs, qe) = (ps.max(window.start), pe.min(window.end));
            if qe <= qs {
                continue;
            }
            // Every row, and every bridged gap, that can touch [qs, qe)
            // starts before qe + gap and ends after qs - gap: the presences
            // built from those rows meet [qs, qe) exactly as the whole
            // presences do.
            let (xs, xe) = (qs - gap, qe + gap);
            near.clear();
            for row in visits.rows_near(place, xs, xe).flatten() {
                let (s, e) = (visits.start_of(row), visits.end_of(row));
                let person = visits.rows()[row].person;
                if s < xe && e > xs && person != who {
                    near.push((person, s, e));
                }
            }
            near.sort_unstable();
            for rows in near.chunk_by(|a, b| a.0 == b.0) {
                theirs.clear();
                merge(rows.iter().map(|r| (r.1, r.2)), gap, &mut theirs);
                for &(s, e) in &theirs {
                    let (s, e) = (s.max(qs), e.min(qe));
                    if e > s {
                        stretches.push((rows[0].0, place, s, e));
                    }
                }
            }
        }
    }
    stretches.sort_unstable();
    let mut out: Vec<PlaceExposure> = Vec::new();
    for person in stretches.chunk_by(|a, b| a.0 == b.0) {
        let counted: Vec<bool> = match rule.period {
            None => person.iter().map(|x| x.3 - x.2 >= rule.min).collect(),
            Some(period) => cumulative(person, period, rule.min),
        };
        for (x, _) in person.iter().zip(counted).filter(|(_, c)| *c) {
            match out.last_mut() {
                Some(p) if p.person == x.0 && p.place == x.1 => p.stretches.push((x.2, x.3)),
                _ => out.push(PlaceExposure {
                    person: x.0,
                    place: x.1,
                    stretches: vec![(x.2, x.3)],
                }),
            }
        }
    }
    out
}

/// Which of one person's stretches `(person, place, start, end)` (sorted by
/// place then start) lie in a period of `period` seconds whose stretches add
/// up to at least `min` seconds.
///
/// The time covered in `[t, t + period)` is a piecewise linear function of
/// `t` that bends only where an edge of the period meets an edge of a
/// stretch, so its largest value over the periods touching a stretch is at
/// one of those points or at the ends of that range.
fn cumulative(stretches: &[(u32, u32, i64, i64)], period: i64, min: i64) -> Vec<bool> {
    let mut sorted: Vec<(i64, i64)> = stretches.iter().map(|x| (x.2, x.3)).collect();
    sorted.sort_unstable();
    let mut union: Vec<(i64, i64)> = Vec::new();
    merge(sorted, 0, &mut union);
    // before[i]: time covered by union[..i].
    let mut before = vec![0i64; union.len() + 1];
    for (i, (s, e)) in union.iter().enumerate() {
        before[i + 1] = before[i] + (e - s);
    }
    let covered_until = |x: i64| {
        let i = union.partition_point(|u| u.1 <= x);
        before[i] + union.get(i).map_or(0, |u| (x - u.0).max(0))
    };
    let in_period = |t: i64| covered_until(t + period) - covered_until(t);
    let mut bends: Vec<i64> = union
        .iter()
        .flat_map(|&(s, e)| [s, e, s - period, e - period])
        .collect();
    bends.sort_unstable();
    bends.dedup();
    if !bends.iter().any(|&t| in_period(t) >= min) {
        return vec![false; stretches.len()];
    }
    stretches
        .iter()
        .map(|&(_, _, s, e)| {
            let (from, to) = (s - period, e);
            let lo = bends.partition_point(|&t| t < from);
            let hi = bends.partition_point(|&t| t <= to);
            bends[lo..hi]
                .iter()
                .copied()
                .chain([from, to])
                .any(|t| in_period(t) >= min)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn stretches(v: &[(i64, i64)]) -> Vec<(u32, u32, i64, i64)> {
        v.iter().map(|&(s, e)| (0, 0, s, e)).collect()
    }

    #[test]
    fn merge_joins_at_the_gap_and_not_one_second_over() {
        let mut out = Vec::new();
        merge([(0, 10), (15, 20), (26, 30), (28, 29)], 5, &mut out);
        assert_eq!(out, [(0, 20), (26, 30)]);
    }

    #[test]
    fn cumulative_sums_within_a_period_only() {
        // 10 + 10 min, 12 h apart: counted over 24 h, not over 6 h.
        let s = stretches(&[(0, 600), (43_200, 43_800)]);
        assert_eq!(cumulative(&s, 86_400, 900), [true, true]);
        assert_eq!(cumulative(&s, 21_600, 900), [false, false]);
        // A third stretch 25 h after the second is not in their period and
        // does not reach the minimum alone.
        let s = stretches(&[(0, 600), (43_200, 43_800), (133_200, 133_500)]);
        assert_eq!(cumulative(&s, 86_400, 900), [true, true, false]);
    }

    /// The rule by its definition: try every period start, second by second.
    fn brute(v: &[(i64, i64)], period: i64, min: i64) -> Vec<bool> {
        let lo = v.iter().map(|x| x.0).min().unwrap_or(0) - period;
        let hi = v.iter().map(|x| x.1).max().unwrap_or(0);
        let covered = |t: i64| v.iter().any(|&(s, e)| s <= t && t < e);
        let mut out = vec![false; v.len()];
        for t in lo..=hi {
            if (t..t + period).filter(|&x| covered(x)).count() as i64 >= min {
                for (i, &(s, e)) in v.iter().enumerate() {
                    if s < t + period && e > t {
                        out[i] = true;
                    }
                }
            }
        }
        out
    }

    /// The rule by its definition on whole presences: every row of every
    /// person, no index, no search for nearby rows.
    fn naive_exposures(
        v: &[(u32, u32, i64, i64)],
        who: u32,
        w: Window,
        rule: PresenceRule,
    ) -> BTreeMap<(u32, u32), Vec<(i64, i64)>> {
        let presences = |person: u32, place: u32| {
            let mut rows: Vec<(i64, i64)> = v
                .iter()
                .filter(|x| x.0 == person && x.1 == place)
                .map(|x| (x.2, x.3))
                .collect();
            rows.sort_unstable();
            let mut out = Vec::new();
            merge(rows, rule.gap, &mut out);
            out
        };
        let mut all: Vec<(u32, u32, i64, i64)> = Vec::new();
        for place in 0..2 {
            for (cs, ce) in presences(who, place) {
                let (cs, ce) = (cs.max(w.start), ce.min(w.end));
                for person in (0..4).filter(|&p| p != who) {
                    for (s, e) in presences(person, place) {
                        let (s, e) = (s.max(cs), e.min(ce));
                        if e > s {
                            all.push((person, place, s, e));
                        }
                    }
                }
            }
        }
        all.sort_unstable();
        let mut out: BTreeMap<(u32, u32), Vec<(i64, i64)>> = BTreeMap::new();
        for person in all.chunk_by(|a, b| a.0 == b.0) {
            let spans: Vec<(i64, i64)> = person.iter().map(|x| (x.2, x.3)).collect();
            let counted = match rule.period {
                None => spans.iter().map(|(s, e)| e - s >= rule.min).collect(),
                Some(period) => brute(&spans, period, rule.min),
            };
            for (x, c) in person.iter().zip(counted) {
                if c {
                    out.entry((x.0, x.1)).or_default().push((x.2, x.3));
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn cumulative_matches_the_definition(
            v in prop::collection::vec((0i64..120, 1i64..20), 0..6),
            period in 5i64..60,
            min in 1i64..30,
        ) {
            let v: Vec<(i64, i64)> = v.into_iter().map(|(s, d)| (s, s + d)).collect();
            let mut sorted = v.clone();
            sorted.sort_unstable();
            prop_assert_eq!(cumulative(&stretches(&sorted), period, min), brute(&sorted, period, min));
        }

        /// Few persons and places and short rows, so that rows chain, gaps
        /// are bridged and presences straddle the window.
        #[test]
        fn exposures_match_the_definition(
            v in prop::collection::vec((0u32..4, 0u32..2, 0i64..300, 0i64..40), 0..30),
            who in 0u32..4,
            a in 0i64..200,
            len in 1i64..300,
            gap in 0i64..30,
            min in 1i64..50,
            period in prop::option::of(60i64..200),
        ) {
            let v: Vec<(u32, u32, i64, i64)> = v.into_iter().map(|(p, l, s, d)| (p, l, s, s + d)).collect();
            let persons: Vec<String> = v.iter().map(|x| x.0.to_string()).collect();
            let places: Vec<String> = v.iter().map(|x| x.1.to_string()).collect();
            let starts: Vec<i64> = v.iter().map(|x| x.2).collect();
            let ends: Vec<i64> = v.iter().map(|x| x.3).collect();
            let index = Visits::from_columns(&persons, &places, &starts, &ends).unwrap();
            let w = Window { start: a, end: a + len };
            let rule = PresenceRule { gap, min, period, pairwise: false };
            let want = naive_exposures(&v, who, w, rule);
            let number = |s: &str| s.parse::<u32>().unwrap();
            let got: BTreeMap<(u32, u32), Vec<(i64, i64)>> = match index.persons().get(&who.to_string()) {
                None => BTreeMap::new(),
                Some(q) => exposures(&index, q, w, rule)
                    .unwrap()
                    .into_iter()
                    .map(|e| ((number(index.persons().name(e.person)), number(index.places().name(e.place))), e.stretches))
                    .collect(),
            };
            prop_assert_eq!(got, want);
        }
    }
}
