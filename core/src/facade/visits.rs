//! Requests of the co-presence queries on a visit index ([`Visits`]), with
//! the defaults a caller does not give taken from the policy: its zone for
//! naive times and days, its minimum overlap.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use crate::error::Result;
use crate::policy::Policy;
use crate::time::{day_start, Instant};
use crate::tracing::{min_overlap, Window, DEFAULT_BUDGET_BYTES};

/// An id given as text or as a whole number (`7` is the id `"7"`).
fn id_text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(i64),
    }
    match Id::deserialize(d) {
        Ok(Id::Text(s)) => Ok(s),
        Ok(Id::Number(n)) => Ok(n.to_string()),
        Err(_) => Err(serde::de::Error::custom(
            "id is invalid, expected text or a whole number",
        )),
    }
}

/// A trace or second-ring request: whose contacts, in which window, with
/// what minimum overlap (seconds; the policy's when not given).
///
/// ```
/// let json = serde_json::json!({"person": 7, "start": "2020-01-20 08:00", "end": "2020-01-20 12:00"});
/// let policy = precinct::Policy::default();
/// let r: precinct::TraceRequest = precinct::read_input("trace", &json, policy.zone()).unwrap();
/// assert_eq!(r.person, "7");
/// assert_eq!(r.min_overlap(&policy).unwrap(), i64::from(policy.min_overlap_seconds));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceRequest {
    /// The person traced.
    #[serde(deserialize_with = "id_text")]
    pub person: String,
    /// Start of the window.
    #[serde(with = "crate::time::given")]
    pub start: Instant,
    /// End of the window (exclusive).
    #[serde(with = "crate::time::given")]
    pub end: Instant,
    /// Minimum overlap in seconds.
    #[serde(default)]
    pub min_overlap: Option<i64>,
}

impl TraceRequest {
    /// The window in Unix seconds.
    ///
    /// # Errors
    /// As [`Window::new`].
    pub fn window(&self) -> Result<Window> {
        Window::new(self.start.timestamp(), self.end.timestamp())
    }

    /// The minimum overlap asked for, else the policy's.
    ///
    /// # Errors
    /// As [`min_overlap`].
    pub fn min_overlap(&self, policy: &Policy) -> Result<i64> {
        min_overlap(
            self.min_overlap
                .unwrap_or(i64::from(policy.min_overlap_seconds)),
        )
    }
}

/// A day-graph request: which local day, the minimum overlap (the
/// policy's when not given), whether to list the edges, and the memory
/// budget in bytes ([`DEFAULT_BUDGET_BYTES`] when not given).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayGraphRequest {
    /// The local day (or a time on it) in the policy's zone.
    #[serde(deserialize_with = "crate::time::given_day::deserialize")]
    pub day: NaiveDate,
    /// Minimum overlap in seconds.
    #[serde(default)]
    pub min_overlap: Option<i64>,
    /// Whether to list the edges.
    #[serde(default)]
    pub edges: bool,
    /// Memory budget in bytes.
    #[serde(default)]
    pub budget: Option<u64>,
}

impl DayGraphRequest {
    /// Unix seconds of the day's first instant in the policy's zone.
    pub fn day_start(&self, policy: &Policy) -> i64 {
        day_start(self.day, policy.zone()).timestamp()
    }

    /// The minimum overlap asked for, else the policy's.
    ///
    /// # Errors
    /// As [`min_overlap`].
    pub fn min_overlap(&self, policy: &Policy) -> Result<i64> {
        min_overlap(
            self.min_overlap
                .unwrap_or(i64::from(policy.min_overlap_seconds)),
        )
    }

    /// The budget asked for, else [`DEFAULT_BUDGET_BYTES`].
    pub fn budget(&self) -> u64 {
        self.budget.unwrap_or(DEFAULT_BUDGET_BYTES)
    }
}
