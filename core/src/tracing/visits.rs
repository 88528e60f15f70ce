//! Visits stored as columns, with a per-place index (visits sorted by place,
//! then start) and a per-person index.
//!
//! Times are Unix seconds; a visit is the half-open interval `[start, end)`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Strings interned to dense `u32` numbers, in first-seen order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interner {
    names: Vec<String>,
    #[serde(skip)]
    index: HashMap<String, u32>,
}

impl Interner {
    /// The number of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
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

    fn rebuild(&mut self) {
        self.index = self
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
    }
}

/// One visit, as the builder takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Venue check-ins and other visits as columns, indexed by place and person.
///
/// ```
/// use precinct::Visits;
/// let mut b = Visits::builder();
/// b.push("alice", "market", 0, 3600).unwrap();
/// b.push("bob", "market", 1800, 7200).unwrap();
/// let visits = b.build();
/// assert_eq!(visits.len(), 2);
/// assert_eq!(visits.places().len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "VisitColumns", into = "VisitColumns")]
pub struct Visits {
    persons: Interner,
    places: Interner,
    // Columns, sorted by (place, start, end, person).
    person: Vec<u32>,
    place: Vec<u32>,
    start: Vec<i64>,
    end: Vec<i64>,
    // place p's visits are rows place_offsets[p]..place_offsets[p + 1].
    place_offsets: Vec<u32>,
    // Longest visit at each place: bounds how far back a search must look.
    place_max_len: Vec<i64>,
    // Rows of each person, person_offsets[q]..person_offsets[q + 1] into person_rows.
    person_rows: Vec<u32>,
    person_offsets: Vec<u32>,
}

impl Default for Visits {
    /// No visits, indexed like any other (so it equals an empty build).
    fn default() -> Self {
        VisitsBuilder::default().build()
    }
}

/// The serialized form: just the columns, in row order.
#[derive(Serialize, Deserialize)]
struct VisitColumns {
    person_ids: Vec<String>,
    place_ids: Vec<String>,
    person: Vec<u32>,
    place: Vec<u32>,
    start: Vec<i64>,
    end: Vec<i64>,
}

impl From<Visits> for VisitColumns {
    fn from(v: Visits) -> Self {
        VisitColumns {
            person_ids: v.persons.names,
            place_ids: v.places.names,
            person: v.person,
            place: v.place,
            start: v.start,
            end: v.end,
        }
    }
}

impl From<VisitColumns> for Visits {
    fn from(c: VisitColumns) -> Self {
        let mut persons = Interner {
            names: c.person_ids,
            index: HashMap::new(),
        };
        let mut places = Interner {
            names: c.place_ids,
            index: HashMap::new(),
        };
        persons.rebuild();
        places.rebuild();
        // Rows whose numbers point outside the id lists are dropped rather than panicking later.
        let (n_persons, n_places) = (persons.len(), places.len());
        let rows = (0..c
            .person
            .len()
            .min(c.place.len())
            .min(c.start.len())
            .min(c.end.len()))
            .filter(|&i| {
                (c.person[i] as usize) < n_persons
                    && (c.place[i] as usize) < n_places
                    && c.start[i] <= c.end[i]
            });
        let mut b = VisitsBuilder {
            persons,
            places,
            ..VisitsBuilder::default()
        };
        for i in rows {
            b.person.push(c.person[i]);
            b.place.push(c.place[i]);
            b.start.push(c.start[i]);
            b.end.push(c.end[i]);
        }
        b.build()
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

    /// Sort by place and start, and build the indexes.
    pub fn build(self) -> Visits {
        let n = self.person.len();
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&i| {
            let i = i as usize;
            (self.place[i], self.start[i], self.end[i], self.person[i])
        });
        let take32 = |col: &[u32]| order.iter().map(|&i| col[i as usize]).collect::<Vec<u32>>();
        let take64 = |col: &[i64]| order.iter().map(|&i| col[i as usize]).collect::<Vec<i64>>();
        let person = take32(&self.person);
        let place = take32(&self.place);
        let start = take64(&self.start);
        let end = take64(&self.end);

        let n_places = self.places.len();
        let mut place_offsets = vec![0u32; n_places + 1];
        let mut place_max_len = vec![0i64; n_places];
        for i in 0..n {
            place_offsets[place[i] as usize + 1] += 1;
            let m = &mut place_max_len[place[i] as usize];
            *m = (*m).max(end[i] - start[i]);
        }
        for p in 0..n_places {
            place_offsets[p + 1] += place_offsets[p];
        }

        let n_persons = self.persons.len();
        let mut person_offsets = vec![0u32; n_persons + 1];
        for &q in &person {
            person_offsets[q as usize + 1] += 1;
        }
        for q in 0..n_persons {
            person_offsets[q + 1] += person_offsets[q];
        }
        let mut fill = person_offsets.clone();
        let mut person_rows = vec![0u32; n];
        for (row, &q) in person.iter().enumerate() {
            person_rows[fill[q as usize] as usize] = row as u32;
            fill[q as usize] += 1;
        }
        Visits {
            persons: self.persons,
            places: self.places,
            person,
            place,
            start,
            end,
            place_offsets,
            place_max_len,
            person_rows,
            person_offsets,
        }
    }
}

impl Visits {
    /// Start collecting visits.
    pub fn builder() -> VisitsBuilder {
        VisitsBuilder::default()
    }

    /// Build from columns of equal length.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the lengths differ or a visit ends before
    /// it starts (naming the row).
    pub fn from_columns<P: AsRef<str>, Q: AsRef<str>>(
        persons: &[P],
        places: &[Q],
        starts: &[i64],
        ends: &[i64],
    ) -> Result<Visits> {
        let n = persons.len();
        if places.len() != n || starts.len() != n || ends.len() != n {
            return Err(Error::invalid(
                "visit columns",
                format!(
                    "lengths {}, {}, {}, {}",
                    n,
                    places.len(),
                    starts.len(),
                    ends.len()
                ),
                "four columns of the same length",
            ));
        }
        let mut b = Visits::builder();
        for i in 0..n {
            b.push(persons[i].as_ref(), places[i].as_ref(), starts[i], ends[i])
                .map_err(|e| Error::invalid(format!("visit row {i}"), e, "a valid visit"))?;
        }
        Ok(b.build())
    }

    /// Add a batch of visits and re-index. All or nothing: when one visit is
    /// bad, none is added.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the first visit that ends before it starts.
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
        let old = std::mem::take(self);
        let mut b = VisitsBuilder {
            persons: old.persons,
            places: old.places,
            person: old.person,
            place: old.place,
            start: old.start,
            end: old.end,
        };
        for v in batch {
            b.push(&v.person, &v.place, v.start, v.end)?;
        }
        *self = b.build();
        Ok(())
    }

    /// Number of visits.
    pub fn len(&self) -> usize {
        self.person.len()
    }

    /// Whether there are no visits.
    pub fn is_empty(&self) -> bool {
        self.person.is_empty()
    }

    /// The person ids.
    pub fn persons(&self) -> &Interner {
        &self.persons
    }

    /// The place ids.
    pub fn places(&self) -> &Interner {
        &self.places
    }

    /// Visit `row` (rows are in index order: by place, then start).
    pub fn get(&self, row: usize) -> Visit {
        Visit {
            person: self.persons.name(self.person[row]).to_string(),
            place: self.places.name(self.place[row]).to_string(),
            start: self.start[row],
            end: self.end[row],
        }
    }

    /// Every visit, in index order.
    pub fn iter(&self) -> impl Iterator<Item = Visit> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    pub(crate) fn person_of(&self, row: usize) -> u32 {
        self.person[row]
    }
    pub(crate) fn place_of(&self, row: usize) -> u32 {
        self.place[row]
    }
    pub(crate) fn start_of(&self, row: usize) -> i64 {
        self.start[row]
    }
    pub(crate) fn end_of(&self, row: usize) -> i64 {
        self.end[row]
    }

    /// Rows of person number `q`.
    pub(crate) fn rows_of_person(&self, q: u32) -> &[u32] {
        let q = q as usize;
        &self.person_rows[self.person_offsets[q] as usize..self.person_offsets[q + 1] as usize]
    }

    /// Rows at place number `p` that can overlap `[from, to)`: they start
    /// before `to` and, given the longest visit there, may end after `from`.
    pub(crate) fn rows_near(&self, p: u32, from: i64, to: i64) -> std::ops::Range<usize> {
        let (lo, hi) = (
            self.place_offsets[p as usize] as usize,
            self.place_offsets[p as usize + 1] as usize,
        );
        let starts = &self.start[lo..hi];
        let earliest = from.saturating_sub(self.place_max_len[p as usize]);
        let a = starts.partition_point(|&s| s < earliest);
        let b = starts.partition_point(|&s| s < to);
        lo + a..lo + b.max(a)
    }

    /// Rows at place number `p`.
    #[cfg(test)]
    pub(crate) fn rows_at_place(&self, p: u32) -> std::ops::Range<usize> {
        self.place_offsets[p as usize] as usize..self.place_offsets[p as usize + 1] as usize
    }

    /// Bytes held by the columns and indexes (not the id strings).
    pub fn index_bytes(&self) -> usize {
        self.len() * (4 + 4 + 8 + 8 + 4)
            + (self.place_offsets.len() + self.person_offsets.len()) * 4
            + self.place_max_len.len() * 8
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
        assert_eq!(v.rows_at_place(x).len(), 2);
        assert_eq!(v.rows_near(x, 29, 40).len(), 2); // the longest visit (25 s) reaches back to 4
        assert_eq!(v.rows_near(x, 31, 40).len(), 1); // b starts too early to reach 31
        assert!(Visits::from_columns(&["a"], &["x"], &[10], &[5])
            .unwrap_err()
            .to_string()
            .contains("visit row 0"));
        assert!(Visits::from_columns(&["a"], &["x", "y"], &[10], &[5]).is_err());
    }

    #[test]
    fn serde_keeps_the_columns_and_rebuilds_the_index() {
        let v = Visits::from_columns(&["a", "b"], &["x", "x"], &[0, 5], &[20, 30]).unwrap();
        let json = serde_json::to_string(&v).unwrap();
        let back: Visits = serde_json::from_str(&json).unwrap();
        assert_eq!(back, v);
        assert_eq!(back.persons().get("b"), v.persons().get("b"));
    }
}
