//! Visits as a compact index: rows sorted by place, then duration class,
//! then start, with a per-person index. Sixteen bytes a visit (start, end
//! and person as `u32`, plus the person index), whatever the number of
//! places and persons.
//!
//! Times are Unix seconds; a visit is the half-open interval `[start, end)`.
//! They are stored as `u32` offsets from the earliest start, so one index
//! spans up to 136 years.
//!
//! The duration classes keep a search output-sensitive: the rows that can
//! overlap a time are those that start before it and end after it, and
//! sorted by start alone a search would have to reach back by the longest
//! visit at the place (hours of check-ins at a market to find the minutes
//! that overlap). Past the first class (under 1,024 s), every row of a
//! class is at least half as long as its longest one, so reaching back by
//! that class's longest visit reads at most about twice the rows that
//! overlap; in the first, a search reaches back at most 17 minutes.
//!
//! The index is canonical: persons and places are numbered in id order
//! (numerically for integer ids), and rows sorted by (place, class, start,
//! end, person). The same visits give the same index in whatever order they
//! come.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
pub use crate::ids::id_order;

/// Strings numbered densely. In a built [`Visits`], numbers follow id order.
/// Each name is held once, shared by the list and the lookup table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interner {
    names: Vec<Arc<str>>,
    #[serde(skip)]
    index: HashMap<Arc<str>, u32>,
}

impl Interner {
    /// The number of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        let name: Arc<str> = Arc::from(name);
        self.names.push(Arc::clone(&name));
        self.index.insert(name, i);
        i
    }

    /// The number of `name`, if known.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The name of number `i`.
    pub fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn from_names(names: Vec<Arc<str>>) -> Interner {
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (Arc::clone(n), i as u32))
            .collect();
        Interner { names, index }
    }

    /// Renumber in id order; returns the interner and `new[old]`.
    fn sorted(self) -> (Interner, Vec<u32>) {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| id_order(&self.names[a as usize], &self.names[b as usize]));
        let mut new_of_old = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of_old[old as usize] = new as u32;
        }
        let mut names = self.names;
        let mut sorted = Vec::with_capacity(names.len());
        for &old in &order {
            sorted.push(std::mem::replace(&mut names[old as usize], Arc::from("")));
        }
        (Interner::from_names(sorted), new_of_old)
    }
}

/// One visit, as the builder takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Visit {
    /// Who.
    pub person: String,
    /// Where.
    pub place: String,
    /// Arrival, Unix seconds.
    pub start: i64,
    /// Departure, Unix seconds (exclusive).
    pub end: i64,
}

/// A row of the index: times are offsets from [`Visits`]'s base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Row {
    pub start: u32,
    pub end: u32,
    pub person: u32,
}

/// Venue check-ins and other visits, indexed by place and person.
///
/// ```
/// use precinct::Visits;
/// let mut b = Visits::builder();
/// b.push("alice", "market", 0, 3600).unwrap();
/// b.push("bob", "market", 1800, 7200).unwrap();
/// let visits = b.build().unwrap();
/// assert_eq!(visits.len(), 2);
/// assert_eq!(visits.places().len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(as = "VisitColumns", rename = "VisitColumns")
)]
#[serde(try_from = "VisitColumns", into = "VisitColumns")]
pub struct Visits {
    persons: Interner,
    places: Interner,
    /// Unix second of offset 0.
    base: i64,
    /// Sorted by (place, duration class, start, end, person).
    rows: Vec<Row>,
    /// Place p's rows are `place_offsets[p]..place_offsets[p + 1]`.
    place_offsets: Vec<u32>,
    /// Place p's segments (one per duration class present there) are
    /// `place_segments[p]..place_segments[p + 1]`.
    place_segments: Vec<u32>,
    /// Segment k's rows are `segment_offsets[k]..segment_offsets[k + 1]`.
    segment_offsets: Vec<u32>,
    /// Longest visit of each segment: bounds how far back a search in it
    /// must look.
    segment_max_len: Vec<u32>,
    /// The start of every [`SAMPLE`]th row: a search halves this small
    /// array (which stays in cache) before it reads the rows.
    samples: Vec<u32>,
    /// Rows of each person, `person_offsets[q]..person_offsets[q + 1]` into `person_rows`.
    person_rows: Vec<u32>,
    person_offsets: Vec<u32>,
}

impl Default for Visits {
    /// No visits, indexed like any other (so it equals an empty build).
    fn default() -> Self {
        Visits {
            persons: Interner::default(),
            places: Interner::default(),
            base: 0,
            rows: Vec::new(),
            place_offsets: vec![0],
            place_segments: vec![0],
            segment_offsets: vec![0],
            segment_max_len: Vec::new(),
            samples: Vec::new(),
            person_rows: Vec::new(),
            person_offsets: vec![0],
        }
    }
}

/// The serialized form: the columns, in row order.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "VisitColumns"))]
struct VisitColumns {
    person_ids: Vec<Arc<str>>,
    place_ids: Vec<Arc<str>>,
    person: Vec<u32>,
    place: Vec<u32>,
    start: Vec<i64>,
    end: Vec<i64>,
}

impl From<Visits> for VisitColumns {
    fn from(v: Visits) -> Self {
        let n = v.len();
        let mut c = VisitColumns {
            person_ids: Vec::new(),
            place_ids: Vec::new(),
            person: Vec::with_capacity(n),
            place: Vec::with_capacity(n),
            start: Vec::with_capacity(n),
            end: Vec::with_capacity(n),
        };
        for p in 0..v.places.len() {
            for row in &v.rows[v.place_offsets[p] as usize..v.place_offsets[p + 1] as usize] {
                c.person.push(row.person);
                c.place.push(p as u32);
                c.start.push(v.base + i64::from(row.start));
                c.end.push(v.base + i64::from(row.end));
            }
        }
        c.person_ids = v.persons.names;
        c.place_ids = v.places.names;
        c
    }
}

impl TryFrom<VisitColumns> for Visits {
    type Error = Error;

    fn try_from(c: VisitColumns) -> Result<Self> {
        let n = c.person.len();
        check_lengths(n, c.place.len(), c.start.len(), c.end.len())?;
        let (n_persons, n_places) = (c.person_ids.len(), c.place_ids.len());
        if let Some(i) =
            (0..n).find(|&i| c.person[i] as usize >= n_persons || c.place[i] as usize >= n_places)
        {
            return Err(Error::invalid(
                format!("visit row {i}"),
                format!("person {} place {}", c.person[i], c.place[i]),
                format!("numbers below {n_persons} persons and {n_places} places"),
            ));
        }
        VisitsBuilder::from(c).build()
    }
}

/// The columns as they were, to add to (numbers already checked).
impl From<VisitColumns> for VisitsBuilder {
    fn from(c: VisitColumns) -> Self {
        VisitsBuilder {
            persons: Interner::from_names(c.person_ids),
            places: Interner::from_names(c.place_ids),
            person: c.person,
            place: c.place,
            start: c.start,
            end: c.end,
        }
    }
}

/// Collects visits, then sorts and indexes them once.
#[derive(Debug, Clone, Default)]
pub struct VisitsBuilder {
    persons: Interner,
    places: Interner,
    person: Vec<u32>,
    place: Vec<u32>,
    start: Vec<i64>,
    end: Vec<i64>,
}

impl VisitsBuilder {
    /// Add one visit.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `end` is before `start`.
    pub fn push(&mut self, person: &str, place: &str, start: i64, end: i64) -> Result<()> {
        if end < start {
            return Err(Error::invalid(
                "visit end",
                end,
                format!("a time not before its start {start} (visit of `{person}` at `{place}`)"),
            ));
        }
        let p = self.persons.intern(person);
        let q = self.places.intern(place);
        self.person.push(p);
        self.place.push(q);
        self.start.push(start);
        self.end.push(end);
        Ok(())
    }

    /// Number of visits so far.
    pub fn len(&self) -> usize {
        self.person.len()
    }

    /// Whether no visit was added.
    pub fn is_empty(&self) -> bool {
        self.person.is_empty()
    }

    /// Number persons and places in id order, sort the rows by place with a
    /// counting sort and each place's rows by start, and index by person.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the visits span more than 136 years (the
    /// reach of the `u32` offsets), end before they start, or number more
    /// than 2^32 - 1.
    pub fn build(self) -> Result<Visits> {
        let n = self.person.len();
        if u32::try_from(n).is_err() {
            return Err(Error::invalid(
                "number of visits",
                n,
                "fewer than 4,294,967,296 in one index",
            ));
        }
        if let Some(i) = (0..n).find(|&i| self.end[i] < self.start[i]) {
            return Err(Error::invalid(
                format!("visit row {i}"),
                self.end[i],
                format!("an end not before its start {}", self.start[i]),
            ));
        }
        let base = self.start.iter().copied().min().unwrap_or(0);
        let last = self.end.iter().copied().max().unwrap_or(0);
        if last.saturating_sub(base) > i64::from(u32::MAX) {
            return Err(Error::invalid(
                "visit times",
                format!("{base} to {last}"),
                "visits within 136 years of each other in one index",
            ));
        }
        let step = |done| crate::progress::report("index", done, Some(INDEX_STEPS));
        step(0);
        let (persons, places) = (self.persons, self.places);
        let ((persons, person_new), (places, place_new)) =
            super::workers::on_workers(|| rayon::join(|| persons.sorted(), || places.sorted()));

        // Counting sort by place.
        let n_places = places.len();
        let mut place_offsets = vec![0u32; n_places + 1];
        for &p in &self.place {
            place_offsets[place_new[p as usize] as usize + 1] += 1;
        }
        for p in 0..n_places {
            place_offsets[p + 1] += place_offsets[p];
        }
        let mut fill = place_offsets.clone();
        let mut rows = vec![
            Row {
                start: 0,
                end: 0,
                person: 0
            };
            n
        ];
        // Offsets fit: the span was checked above.
        let offset = |t: i64| (t - base) as u32;
        for i in 0..n {
            let p = place_new[self.place[i] as usize] as usize;
            rows[fill[p] as usize] = Row {
                start: offset(self.start[i]),
                end: offset(self.end[i]),
                person: person_new[self.person[i] as usize],
            };
            fill[p] += 1;
        }
        step(1);
        let (place_segments, segment_offsets, segment_max_len) =
            sort_places(&mut rows, &place_offsets);
        step(2);

        // Counting sort of rows by person.
        let n_persons = persons.len();
        let mut person_offsets = vec![0u32; n_persons + 1];
        for r in &rows {
            person_offsets[r.person as usize + 1] += 1;
        }
        for q in 0..n_persons {
            person_offsets[q + 1] += person_offsets[q];
        }
        let mut fill = person_offsets.clone();
        let mut person_rows = vec![0u32; n];
        for (i, r) in rows.iter().enumerate() {
            person_rows[fill[r.person as usize] as usize] = i as u32;
            fill[r.person as usize] += 1;
        }
        let samples = rows.iter().step_by(SAMPLE).map(|r| r.start).collect();
        step(INDEX_STEPS);
        Ok(Visits {
            persons,
            places,
            base,
            rows,
            place_offsets,
            place_segments,
            segment_offsets,
            segment_max_len,
            samples,
            person_rows,
            person_offsets,
        })
    }
}

/// Steps of building the index, for [`crate::progress`]: numbering ids,
/// sorting by place, sorting each place, indexing by person.
const INDEX_STEPS: u64 = 3;

impl Visits {
    /// Start collecting visits.
    pub fn builder() -> VisitsBuilder {
        VisitsBuilder::default()
    }

    /// Build from columns of equal length, ids as text.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the lengths differ or a visit ends before
    /// it starts (naming the row), or as [`VisitsBuilder::build`].
    pub fn from_columns<P: AsRef<str>, Q: AsRef<str>>(
        persons: &[P],
        places: &[Q],
        starts: &[i64],
        ends: &[i64],
    ) -> Result<Visits> {
        check_lengths(persons.len(), places.len(), starts.len(), ends.len())?;
        let mut b = VisitsBuilder::default();
        b.person = persons
            .iter()
            .map(|p| b.persons.intern(p.as_ref()))
            .collect();
        b.place = places.iter().map(|p| b.places.intern(p.as_ref())).collect();
        b.start = starts.to_vec();
        b.end = ends.to_vec();
        b.build()
    }

    /// Build from columns of equal length, ids as integers (as a DataFrame or
    /// numpy array holds them). No work per row beyond a table lookup.
    ///
    /// ```
    /// use precinct::{trace, Visits, Window};
    /// let v = Visits::from_integer_columns(&[7, 10, 9], &[1, 1, 1], &[0, 0, 3000], &[3600, 900, 3600]).unwrap();
    /// let w = Window { start: 0, end: 86_400 };
    /// let contact = trace(&v, "7", w, 900)[0].person;
    /// assert_eq!(v.persons().name(contact), "10");
    /// ```
    ///
    /// # Errors
    /// As [`Visits::from_columns`].
    pub fn from_integer_columns(
        persons: &[i64],
        places: &[i64],
        starts: &[i64],
        ends: &[i64],
    ) -> Result<Visits> {
        check_lengths(persons.len(), places.len(), starts.len(), ends.len())?;
        // The two id columns are independent: one core each.
        let ((person_names, person), (place_names, place)) =
            super::workers::on_workers(|| rayon::join(|| densify(persons), || densify(places)));
        VisitsBuilder {
            persons: Interner::from_names(person_names),
            places: Interner::from_names(place_names),
            person,
            place,
            start: starts.to_vec(),
            end: ends.to_vec(),
        }
        .build()
    }

    /// Add a batch of visits and re-index. All or nothing: when one visit is
    /// bad, none is added.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the first visit that ends before it
    /// starts, or as [`VisitsBuilder::build`].
    pub fn append(&mut self, batch: &[Visit]) -> Result<()> {
        if let Some((i, v)) = batch.iter().enumerate().find(|(_, v)| v.end < v.start) {
            return Err(Error::invalid(
                format!("visit {i} of the batch"),
                v.end,
                format!(
                    "an end not before its start {} (visit of `{}` at `{}`)",
                    v.start, v.person, v.place
                ),
            ));
        }
        let mut b = VisitsBuilder::from(VisitColumns::from(self.clone()));
        for v in batch {
            b.push(&v.person, &v.place, v.start, v.end)?;
        }
        *self = b.build()?;
        Ok(())
    }

    /// Re-key a merged person's visits to the person kept, and re-index.
    ///
    /// # Errors
    /// As [`VisitsBuilder::build`] (the times do not change, so only what
    /// already held).
    pub(crate) fn rename_person(&self, from: &str, to: &str) -> Result<Option<Visits>> {
        if self.persons.get(from).is_none() {
            return Ok(None);
        }
        let mut b = Visits::builder();
        for v in self.iter() {
            let person = if v.person == from { to } else { &v.person };
            b.push(person, &v.place, v.start, v.end)?;
        }
        b.build().map(Some)
    }

    /// Number of visits.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no visits.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The earliest start and the latest end, in Unix seconds; `None` when
    /// there are no visits. Reads every row once.
    ///
    /// ```
    /// let v = precinct::Visits::from_columns(&["a", "b"], &["m", "m"], &[100, 50], &[200, 400]).unwrap();
    /// assert_eq!(v.span(), Some((50, 400)));
    /// ```
    pub fn span(&self) -> Option<(i64, i64)> {
        let first = self.rows.iter().map(|r| r.start).min()?;
        let last = self.rows.iter().map(|r| r.end).max()?;
        Some((self.base + i64::from(first), self.base + i64::from(last)))
    }

    /// The person ids, numbered in id order.
    pub fn persons(&self) -> &Interner {
        &self.persons
    }

    /// The place ids, numbered in id order.
    pub fn places(&self) -> &Interner {
        &self.places
    }

    /// Visit `row` (rows are in index order: by place, then duration class
    /// (see the module docs), then start; [`Visits::iter`] gives them in
    /// time order).
    pub fn get(&self, row: usize) -> Visit {
        let r = self.rows[row];
        Visit {
            person: self.persons.name(r.person).to_string(),
            place: self.places.name(self.place_of(row)).to_string(),
            start: self.start_of(row),
            end: self.end_of(row),
        }
    }

    /// Every visit, by place (in id order), then start, end and person:
    /// the order of exports. (Rows of one place are stored by duration
    /// class first; this puts each place's rows back in time order.)
    pub fn iter(&self) -> impl Iterator<Item = Visit> + '_ {
        (0..self.places.len() as u32).flat_map(move |p| {
            let mut rows: Vec<usize> = self.place_range(p).collect();
            rows.sort_by_key(|&row| self.rows[row]);
            rows.into_iter().map(move |row| self.get(row))
        })
    }

    pub(crate) fn place_of(&self, row: usize) -> u32 {
        (self.place_offsets.partition_point(|&o| o as usize <= row) - 1) as u32
    }
    pub(crate) fn start_of(&self, row: usize) -> i64 {
        self.base + i64::from(self.rows[row].start)
    }
    pub(crate) fn end_of(&self, row: usize) -> i64 {
        self.base + i64::from(self.rows[row].end)
    }
    /// The rows, for queries that work on offsets.
    pub(crate) fn rows(&self) -> &[Row] {
        &self.rows
    }
    /// Unix second of offset 0.
    pub(crate) fn base(&self) -> i64 {
        self.base
    }

    /// Rows of person number `q`.
    pub(crate) fn rows_of_person(&self, q: u32) -> &[u32] {
        let q = q as usize;
        &self.person_rows[self.person_offsets[q] as usize..self.person_offsets[q + 1] as usize]
    }

    /// Rows at place number `p` that can overlap `[from, to)`, as one range
    /// per duration class: they start before `to` and, given the longest
    /// visit of their class there, may end after `from`. A caller checks
    /// each row; at most about half of them end too early (see the module
    /// docs).
    pub(crate) fn rows_near(
        &self,
        p: u32,
        from: i64,
        to: i64,
    ) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        // Saturating: bounds past the ends of time reach every row.
        let from = from.saturating_sub(self.base);
        let until = to.saturating_sub(self.base);
        self.segments(p).map(move |(segment, longest)| {
            let first = self.first_starting_from(segment.clone(), from.saturating_sub(longest));
            // The range is usually short: gallop from its first row rather
            // than search the segment again.
            first..self.gallop(first, segment.end, until)
        })
    }

    /// The segments of place number `p` (one per duration class present):
    /// their rows, sorted by start, and their longest visit in seconds.
    pub(crate) fn segments(
        &self,
        p: u32,
    ) -> impl Iterator<Item = (std::ops::Range<usize>, i64)> + '_ {
        let segments =
            self.place_segments[p as usize] as usize..self.place_segments[p as usize + 1] as usize;
        segments.map(|k| {
            (
                self.segment_offsets[k] as usize..self.segment_offsets[k + 1] as usize,
                i64::from(self.segment_max_len[k]),
            )
        })
    }

    /// The first row in `from..end` (part of a segment, sorted by start)
    /// that starts at or after offset `t`, searched forward from `from`:
    /// time in the log of the distance.
    pub(crate) fn gallop(&self, from: usize, end: usize, t: i64) -> usize {
        // Rows before `done` start before t; `probe` is the end or starts after.
        let (mut done, mut probe, mut step) = (from, from, 1);
        while probe < end && i64::from(self.rows[probe].start) < t {
            done = probe + 1;
            probe = (probe + step).min(end);
            step *= 2;
        }
        done + self.rows[done..probe].partition_point(|r| i64::from(r.start) < t)
    }

    /// The first row of `rows` (one segment, sorted by start) starting at or
    /// after offset `t`: a search of the samples, then of at most [`SAMPLE`]
    /// rows.
    pub(crate) fn first_starting_from(&self, rows: std::ops::Range<usize>, t: i64) -> usize {
        let samples = rows.start.div_ceil(SAMPLE)..rows.end.div_ceil(SAMPLE);
        let below = self.samples[samples.clone()].partition_point(|&s| i64::from(s) < t);
        // Rows from `samples.start + below - 1` samples on start before t;
        // the one sampled at `samples.start + below` does not.
        let from = if below == 0 {
            rows.start
        } else {
            (samples.start + below - 1) * SAMPLE
        };
        let to = (samples.start + below)
            .checked_mul(SAMPLE)
            .map_or(rows.end, |x| x.min(rows.end));
        from + self.rows[from..to].partition_point(|r| i64::from(r.start) < t)
    }

    /// Rows at place number `p`.
    pub(crate) fn place_range(&self, p: u32) -> std::ops::Range<usize> {
        self.place_offsets[p as usize] as usize..self.place_offsets[p as usize + 1] as usize
    }

    /// Bytes held by the index (rows, person index, offsets), not the id strings.
    pub fn index_bytes(&self) -> usize {
        self.rows.len() * std::mem::size_of::<Row>()
            + self.person_rows.len() * 4
            + (self.place_offsets.len()
                + self.person_offsets.len()
                + self.place_segments.len()
                + self.segment_offsets.len()
                + self.segment_max_len.len()
                + self.samples.len())
                * 4
    }
}

/// Sort each place's rows by (duration class, start, end, person), places
/// in parallel; returns the segments (see [`Visits`]'s fields).
fn sort_places(rows: &mut [Row], place_offsets: &[u32]) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let n_places = place_offsets.len() - 1;
    let mut by_place: Vec<&mut [Row]> = Vec::with_capacity(n_places);
    let mut rest: &mut [Row] = rows;
    for p in 0..n_places {
        let len = (place_offsets[p + 1] - place_offsets[p]) as usize;
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(len);
        by_place.push(head);
        rest = tail;
    }
    let classes: Vec<Vec<(u32, u32)>> = super::workers::on_workers(|| {
        by_place
            .into_par_iter()
            .map(|seg| {
                // By one 64-bit key, ties (rare) by end and person.
                let key = |r: &Row| u64::from(duration_class(r)) << 32 | u64::from(r.start);
                seg.sort_unstable_by(|x, y| {
                    key(x)
                        .cmp(&key(y))
                        .then_with(|| (x.end, x.person).cmp(&(y.end, y.person)))
                });
                // (rows, longest visit) of each class present, in order.
                let mut out: Vec<(u32, u32)> = Vec::new();
                for run in seg.chunk_by(|x, y| duration_class(x) == duration_class(y)) {
                    let longest = run.iter().map(|r| r.end - r.start).max().unwrap_or(0);
                    out.push((run.len() as u32, longest));
                }
                out
            })
            .collect()
    });
    let mut place_segments = Vec::with_capacity(n_places + 1);
    let mut segment_offsets = vec![0u32];
    let mut segment_max_len = Vec::new();
    place_segments.push(0);
    for place in classes {
        for (len, longest) in place {
            let last = segment_offsets[segment_offsets.len() - 1];
            segment_offsets.push(last + len);
            segment_max_len.push(longest);
        }
        place_segments.push(segment_max_len.len() as u32);
    }
    (place_segments, segment_offsets, segment_max_len)
}

/// Every how many rows the index samples a start (see `Visits::samples`):
/// a cache line's worth of rows, twelve times over.
const SAMPLE: usize = 64;

/// The duration class of a row: 0 below 1,024 seconds (17 minutes), then
/// one class per doubling, up to 22.
fn duration_class(r: &Row) -> u32 {
    u32::BITS - ((r.end - r.start) >> 10).leading_zeros()
}

pub(super) fn check_lengths(
    persons: usize,
    places: usize,
    starts: usize,
    ends: usize,
) -> Result<()> {
    if places != persons || starts != persons || ends != persons {
        return Err(Error::invalid(
            "visit columns",
            format!("lengths {persons}, {places}, {starts}, {ends}"),
            "four columns of the same length",
        ));
    }
    Ok(())
}

/// Dense numbers for integer ids, in numeric order, with their names.
/// A lookup table when the ids are close together (the usual case), else a
/// hash map.
fn densify(ids: &[i64]) -> (Vec<Arc<str>>, Vec<u32>) {
    let (Some(&lo), Some(&hi)) = (ids.iter().min(), ids.iter().max()) else {
        return (Vec::new(), Vec::new());
    };
    let range = i128::from(hi) - i128::from(lo) + 1;
    if range <= (4 * ids.len() as i128).max(1 << 16) {
        let mut number = vec![u32::MAX; range as usize];
        for &id in ids {
            number[(id - lo) as usize] = 0;
        }
        let mut names = Vec::new();
        for (k, slot) in number.iter_mut().enumerate() {
            if *slot == 0 {
                *slot = names.len() as u32;
                names.push(Arc::from((lo + k as i64).to_string()));
            }
        }
        let column = ids.iter().map(|&id| number[(id - lo) as usize]).collect();
        (names, column)
    } else {
        let mut distinct: Vec<i64> = ids.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let number: HashMap<i64, u32> = distinct
            .iter()
            .enumerate()
            .map(|(k, &id)| (id, k as u32))
            .collect();
        let names = distinct
            .iter()
            .map(|id| Arc::from(id.to_string()))
            .collect();
        (names, ids.iter().map(|id| number[id]).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_by_place_and_person() {
        let v = Visits::from_columns(
            &["a", "b", "a"],
            &["x", "x", "y"],
            &[10, 5, 0],
            &[20, 30, 5],
        )
        .unwrap();
        assert_eq!(v.get(0).person, "b");
        let a = v.persons().get("a").unwrap();
        assert_eq!(v.rows_of_person(a).len(), 2);
        let x = v.places().get("x").unwrap();
        assert_eq!(v.place_range(x).len(), 2);
        assert_eq!(v.place_of(2), v.places().get("y").unwrap());
        let near = |from, to| v.rows_near(x, from, to).map(|r| r.len()).sum::<usize>();
        assert_eq!(near(29, 40), 2); // the longest visit (25 s) reaches back to 4
        assert_eq!(near(31, 40), 1); // b starts too early to reach 31
        assert!(Visits::from_columns(&["a"], &["x"], &[10], &[5])
            .unwrap_err()
            .to_string()
            .contains("visit row 0"));
        assert!(Visits::from_columns(&["a"], &["x", "y"], &[10], &[5]).is_err());
        assert!(Visits::from_columns(&["a", "b"], &["x", "x"], &[0, 0], &[5, i64::MAX]).is_err());
    }

    #[test]
    fn visits_come_out_in_time_order_whatever_their_class() {
        // Three classes at one place: stored by class, listed by start.
        let v = Visits::from_columns(
            &["c", "b", "a"],
            &["m", "m", "m"],
            &[200, 300, 250],
            &[5200, 400, 260],
        )
        .unwrap();
        let starts: Vec<i64> = v.iter().map(|x| x.start).collect();
        assert_eq!(starts, [200, 250, 300]);
    }

    #[test]
    fn the_index_is_canonical_and_ids_sort_numerically() {
        let a = Visits::from_columns(&["10", "9", "x"], &["m", "m", "n"], &[0, 5, 7], &[9, 9, 9])
            .unwrap();
        let b = Visits::from_columns(&["x", "10", "9"], &["n", "m", "m"], &[7, 0, 5], &[9, 9, 9])
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.persons().name(0), "9");
        assert_eq!(a.persons().name(1), "10");
        let ints = Visits::from_integer_columns(&[10, 9], &[1, 1], &[0, 5], &[9, 9]).unwrap();
        let text = Visits::from_columns(&["10", "9"], &["1", "1"], &[0, 5], &[9, 9]).unwrap();
        assert_eq!(ints, text);
        let sparse =
            Visits::from_integer_columns(&[1 << 40, -3], &[0, 0], &[0, 5], &[9, 9]).unwrap();
        assert_eq!(sparse.persons().len(), 2);
        assert!(sparse.persons().get("1099511627776").is_some());
        assert_eq!(id_order("007", "7"), std::cmp::Ordering::Less);
        assert_eq!(id_order("2", "a"), std::cmp::Ordering::Less);
    }

    #[test]
    fn sixteen_bytes_a_visit() {
        let n = 10_000;
        let persons: Vec<i64> = (0..n).map(|i| i % 1000).collect();
        let places: Vec<i64> = (0..n).map(|i| i % 50).collect();
        let starts: Vec<i64> = (0..n).map(|i| 1_580_000_000 + i * 60).collect();
        let ends: Vec<i64> = starts.iter().map(|s| s + 1800).collect();
        let v = Visits::from_integer_columns(&persons, &places, &starts, &ends).unwrap();
        let per_visit = v.index_bytes() as f64 / n as f64;
        // 16, a sixteenth for the samples, and 4 bytes a person (1,000 of
        // them) and a few a place.
        assert!(
            per_visit <= 16.0 + 0.0625 + 0.4 + 0.1,
            "{per_visit} bytes a visit"
        );
    }

    proptest::proptest! {
        /// The searches of the queries find every row that overlaps, in
        /// every duration class, and only rows that start in time.
        #[test]
        fn rows_near_finds_every_overlapping_row(
            v in proptest::collection::vec((0u8..3, 0i64..200_000, proptest::sample::select(vec![0i64, 1, 600, 1023, 1024, 3000, 9000, 70_000])), 0..1200),
            from in 0i64..300_000,
            len in 0i64..20_000,
        ) {
            let persons: Vec<String> = (0..v.len()).map(|i| format!("p{i}")).collect();
            let places: Vec<String> = v.iter().map(|x| format!("l{}", x.0)).collect();
            let starts: Vec<i64> = v.iter().map(|x| x.1).collect();
            let ends: Vec<i64> = v.iter().map(|x| x.1 + x.2).collect();
            let index = Visits::from_columns(&persons, &places, &starts, &ends).unwrap();
            let to = from + len;
            for p in 0..index.places().len() as u32 {
                let found: Vec<usize> = index.rows_near(p, from, to).flatten().collect();
                for &row in &found {
                    proptest::prop_assert!(index.start_of(row) < to && index.place_of(row) == p);
                }
                for row in index.place_range(p) {
                    if index.start_of(row) < to && index.end_of(row) > from {
                        proptest::prop_assert!(found.contains(&row), "row {row} missed");
                    }
                }
            }
        }
    }

    #[test]
    fn serde_keeps_the_columns_and_rebuilds_the_index() {
        let v = Visits::from_columns(&["a", "b"], &["x", "x"], &[0, 5], &[20, 30]).unwrap();
        let json = serde_json::to_string(&v).unwrap();
        let back: Visits = serde_json::from_str(&json).unwrap();
        assert_eq!(back, v);
        assert_eq!(back.persons().get("b"), v.persons().get("b"));
        let bad = json.replace("\"person\":[0,1]", "\"person\":[0,7]");
        assert!(serde_json::from_str::<Visits>(&bad).is_err());
        assert_eq!(Visits::default(), Visits::builder().build().unwrap());
    }
}
