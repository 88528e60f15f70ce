//! Instants, intervals and calendar days.
//!
//! The core stores instants as UTC and computes calendar days in the policy's
//! time zone (a fixed offset; China Standard Time has no daylight saving).
//! Nothing here reads a clock: "now" is always an argument.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A point in time, stored as UTC.
pub type Instant = DateTime<Utc>;

/// A half-open interval of time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Interval {
    /// First instant inside the interval.
    pub start: Instant,
    /// First instant after the interval.
    pub end: Instant,
}

impl Interval {
    /// An interval from `start` up to (not including) `end`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `end` is before `start`.
    pub fn new(start: Instant, end: Instant) -> Result<Self> {
        if end < start {
            return Err(Error::invalid(
                "interval end",
                end.to_rfc3339(),
                format!("an instant not before its start {}", start.to_rfc3339()),
            ));
        }
        Ok(Interval { start, end })
    }

    /// Whether the two intervals share at least one instant.
    pub fn intersects(&self, other: &Interval) -> bool {
        self.start < other.end && self.end > other.start
    }

    /// Whether `at` lies inside the interval.
    pub fn contains(&self, at: Instant) -> bool {
        self.start <= at && at < self.end
    }

    /// Length in whole seconds.
    pub fn seconds(&self) -> i64 {
        (self.end - self.start).num_seconds()
    }
}

/// The calendar day of `at` in `zone`.
pub fn local_day(at: Instant, zone: FixedOffset) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// The first instant of calendar day `day` in `zone`.
pub fn day_start(day: NaiveDate, zone: FixedOffset) -> Instant {
    local_to_utc(day.and_time(chrono::NaiveTime::MIN), zone)
}

/// The whole calendar day `day` in `zone` as an interval.
pub fn day_interval(day: NaiveDate, zone: FixedOffset) -> Interval {
    let start = day_start(day, zone);
    Interval {
        start,
        end: start + chrono::Duration::days(1),
    }
}

fn local_to_utc(naive: NaiveDateTime, zone: FixedOffset) -> Instant {
    // A fixed offset maps every local time to exactly one instant.
    match zone.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.with_timezone(&Utc)
        }
        chrono::LocalResult::None => Utc.from_utc_datetime(&naive),
    }
}

const TIME_FORMS: &str = "an ISO 8601 time with offset (2020-02-01T08:00:00+08:00), a local time (2020-02-01 08:00:00) or Unix seconds";

/// Parse a time as the interchange formats write it: ISO 8601 with an offset,
/// a naive local time (read in `zone`), or Unix seconds.
///
/// # Errors
/// [`Error::InvalidValue`] naming the text and the accepted forms.
pub fn parse_instant(text: &str, zone: FixedOffset) -> Result<Instant> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    if !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && !text.contains("--")
    {
        if let Ok(secs) = text.parse::<i64>() {
            if let Some(t) = DateTime::from_timestamp(secs, 0) {
                return Ok(t);
            }
        }
    }
    for form in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, form) {
            return Ok(local_to_utc(naive, zone));
        }
    }
    for form in [
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, form) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    Err(Error::invalid("time", text, TIME_FORMS))
}

/// Parse a plain calendar date `YYYY-MM-DD`.
///
/// # Errors
/// [`Error::InvalidValue`] when the text is not such a date.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("date", text, "a date like 2020-02-01"))
}

/// A time that may be given as a plain date (real line lists often are).
///
/// Serialized as the date (`2020-01-28`) or the instant (RFC 3339); the
/// tagged form `{"precision": "date", "value": ...}` is read too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged, from = "DateOrTimeForms")]
pub enum DateOrTime {
    /// Only the calendar day is known.
    Date(NaiveDate),
    /// The instant is known.
    Time(Instant),
}

/// Every form a [`DateOrTime`] is read from.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateOrTimeForms {
    Date(NaiveDate),
    Time(Instant),
    Tagged(TaggedDateOrTime),
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", tag = "precision", content = "value")]
enum TaggedDateOrTime {
    Date(NaiveDate),
    Time(Instant),
}

impl From<DateOrTimeForms> for DateOrTime {
    fn from(f: DateOrTimeForms) -> Self {
        match f {
            DateOrTimeForms::Date(d) | DateOrTimeForms::Tagged(TaggedDateOrTime::Date(d)) => {
                DateOrTime::Date(d)
            }
            DateOrTimeForms::Time(t) | DateOrTimeForms::Tagged(TaggedDateOrTime::Time(t)) => {
                DateOrTime::Time(t)
            }
        }
    }
}

impl DateOrTime {
    /// Parse either a date or a time (see [`parse_instant`]).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the text is neither.
    pub fn parse(text: &str, zone: FixedOffset) -> Result<Self> {
        if let Ok(d) = parse_date(text) {
            return Ok(DateOrTime::Date(d));
        }
        parse_instant(text, zone).map(DateOrTime::Time)
    }

    /// The earliest instant the value can mean (a date means its first instant).
    pub fn earliest(self, zone: FixedOffset) -> Instant {
        match self {
            DateOrTime::Date(d) => day_start(d, zone),
            DateOrTime::Time(t) => t,
        }
    }

    /// The calendar day in `zone`.
    pub fn day(self, zone: FixedOffset) -> NaiveDate {
        match self {
            DateOrTime::Date(d) => d,
            DateOrTime::Time(t) => local_day(t, zone),
        }
    }

    /// Render as the interchange formats write it.
    pub fn render(self, zone: FixedOffset) -> String {
        match self {
            DateOrTime::Date(d) => d.to_string(),
            DateOrTime::Time(t) => render_instant(t, zone),
        }
    }
}

/// Render an instant as ISO 8601 with the zone's offset, whole seconds.
pub fn render_instant(at: Instant, zone: FixedOffset) -> String {
    at.with_timezone(&zone)
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cst() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn parses_every_interchange_form_to_the_same_instant() {
        let want = Utc.with_ymd_and_hms(2020, 2, 1, 0, 0, 0).unwrap();
        for text in [
            "2020-02-01T08:00:00+08:00",
            "2020-02-01T00:00:00Z",
            "2020-02-01 08:00:00",
            "2020-02-01T08:00",
            "1580515200",
        ] {
            assert_eq!(parse_instant(text, cst()).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn bad_time_says_which_forms_are_accepted() {
        let err = parse_instant("yesterday", cst()).unwrap_err().to_string();
        assert!(err.contains("`yesterday`"), "{err}");
        assert!(err.contains("Unix seconds"), "{err}");
    }

    #[test]
    fn local_days_follow_the_zone() {
        let t = parse_instant("2020-02-01T23:30:00+08:00", cst()).unwrap();
        assert_eq!(
            local_day(t, cst()),
            NaiveDate::from_ymd_opt(2020, 2, 1).unwrap()
        );
        assert_eq!(
            local_day(t, FixedOffset::east_opt(0).unwrap()).to_string(),
            "2020-02-01"
        );
        let d = NaiveDate::from_ymd_opt(2020, 2, 2).unwrap();
        assert_eq!(
            day_start(d, cst()),
            parse_instant("2020-02-01T16:00:00Z", cst()).unwrap()
        );
    }

    #[test]
    fn intervals_are_half_open() {
        let a = parse_instant("2020-02-01 08:00", cst()).unwrap();
        let b = parse_instant("2020-02-01 09:00", cst()).unwrap();
        let i = Interval::new(a, b).unwrap();
        assert!(i.contains(a) && !i.contains(b));
        assert!(!i.intersects(&Interval::new(b, b + chrono::Duration::hours(1)).unwrap()));
        assert!(Interval::new(b, a).is_err());
    }

    #[test]
    fn dates_or_times() {
        let d = DateOrTime::parse("2020-02-01", cst()).unwrap();
        assert_eq!(d.render(cst()), "2020-02-01");
        let t = DateOrTime::parse("2020-02-01 10:00", cst()).unwrap();
        assert_eq!(t.render(cst()), "2020-02-01T10:00:00+08:00");
        assert_eq!(d.earliest(cst()), day_start(d.day(cst()), cst()));
    }

    #[test]
    fn date_or_time_reads_plain_and_tagged_forms() {
        let d: DateOrTime = serde_json::from_str("\"2020-01-28\"").unwrap();
        assert_eq!(
            d,
            DateOrTime::Date(NaiveDate::from_ymd_opt(2020, 1, 28).unwrap())
        );
        let t: DateOrTime = serde_json::from_str("\"2020-01-29T11:00:00Z\"").unwrap();
        assert!(matches!(t, DateOrTime::Time(_)));
        let tagged: DateOrTime =
            serde_json::from_str(r#"{"precision":"date","value":"2020-01-28"}"#).unwrap();
        assert_eq!(tagged, d);
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2020-01-28\"");
        assert!(serde_json::from_str::<DateOrTime>("\"yesterday\"").is_err());
    }
}
