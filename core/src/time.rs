//! Instants, intervals, calendar days, time zones, and the time forms the
//! interchange files are read from.
//!
//! The core stores instants as UTC and computes calendar days in the policy's
//! [`Zone`]: an IANA zone name (with its summer-time rules) or a fixed
//! offset. Nothing here reads a clock: "now" is always an argument.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A point in time, stored as UTC.
pub type Instant = DateTime<Utc>;

/// A local time zone: an IANA zone name such as `Asia/Shanghai` or
/// `Europe/Berlin` (local times and calendar days follow its summer-time
/// rules), or a fixed offset from UTC such as `+08:00`.
///
/// Written and read as text (`"Europe/Berlin"`, `"+08:00"`); an integer is read
/// as a fixed offset in seconds, the form of journals written before zones had
/// names.
///
/// ```
/// use precinct::Zone;
/// let berlin: Zone = "Europe/Berlin".parse().unwrap();
/// let summer = precinct::parse_instant("2020-07-01 12:00", berlin).unwrap();
/// assert_eq!(summer.to_rfc3339(), "2020-07-01T10:00:00+00:00");
/// let winter = precinct::parse_instant("2020-01-01 12:00", berlin).unwrap();
/// assert_eq!(winter.to_rfc3339(), "2020-01-01T11:00:00+00:00");
/// assert_eq!("+08:00".parse::<Zone>().unwrap().to_string(), "+08:00");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub enum Zone {
    /// A zone of the IANA time zone database.
    Named(Tz),
    /// A fixed offset from UTC, with no summer time.
    Fixed(FixedOffset),
}

const ZONE_FORMS: &str =
    "an IANA time zone name like Asia/Shanghai or Europe/Berlin, or a fixed offset like +08:00";

impl Zone {
    /// China Standard Time, the zone of the shipped presets.
    pub const SHANGHAI: Zone = Zone::Named(Tz::Asia__Shanghai);

    /// Coordinated Universal Time, how instants are stored.
    pub const UTC: Zone = Zone::Named(Tz::UTC);

    /// Parse an IANA zone name (`Asia/Shanghai`, `UTC`) or a fixed offset
    /// (`+08:00`, `+0800`, `+08`, `-03:30`, `Z`).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the text and the accepted forms.
    pub fn parse(text: &str) -> Result<Zone> {
        let text = text.trim();
        if let Some(offset) = parse_offset(text) {
            return Ok(Zone::Fixed(offset));
        }
        Tz::from_str(text)
            .map(Zone::Named)
            .map_err(|_| Error::invalid("time zone", text, ZONE_FORMS))
    }

    /// A fixed offset of `seconds` east of UTC.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the offset is not within ±24 hours.
    pub fn fixed(seconds: i32) -> Result<Zone> {
        FixedOffset::east_opt(seconds)
            .map(Zone::Fixed)
            .ok_or_else(|| Error::invalid("utc offset", seconds, "seconds within ±24 hours"))
    }

    /// The offset from UTC in force at `at`.
    pub fn offset_at(self, at: Instant) -> FixedOffset {
        match self {
            Zone::Named(tz) => tz.offset_from_utc_datetime(&at.naive_utc()).fix(),
            Zone::Fixed(offset) => offset,
        }
    }

    /// `at` as a local time in this zone, with the offset in force then
    /// (in UTC within a day of the calendar's ends, where the local time
    /// would fall off it).
    pub fn local(self, at: Instant) -> DateTime<FixedOffset> {
        let offset = self.offset_at(at);
        match at.naive_utc().checked_add_offset(offset) {
            Some(_) => at.with_timezone(&offset),
            None => at.fixed_offset(),
        }
    }

    /// The instant a local wall-clock time means in this zone.
    ///
    /// At the end of summer time a local time happens twice: the earlier
    /// instant is taken. At its start a local time is skipped: it is read
    /// with the offset in force before the switch, so it lands as far after
    /// the switch as it was written after it (02:30 on a spring-forward night
    /// in Berlin is 03:30 summer time), as RFC 5545 and Python's `zoneinfo` do.
    pub fn instant(self, local: NaiveDateTime) -> Instant {
        let with = |offset: FixedOffset| {
            local.checked_sub_offset(offset).map_or_else(
                || Utc.from_utc_datetime(&local),
                |t| Utc.from_utc_datetime(&t),
            )
        };
        match self {
            Zone::Fixed(offset) => with(offset),
            Zone::Named(tz) => match tz.from_local_datetime(&local) {
                chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                    t.with_timezone(&Utc)
                }
                chrono::LocalResult::None => {
                    // In a gap: the offset just before it is that of the
                    // instant the local time would be with the later offset,
                    // less the gap; the offset a day earlier is that offset
                    // for every zone with gaps shorter than a day.
                    let before = local.checked_sub_signed(Duration::days(1)).unwrap_or(local);
                    let offset = match tz.from_local_datetime(&before) {
                        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                            t.offset().fix()
                        }
                        chrono::LocalResult::None => Utc.fix(),
                    };
                    with(offset)
                }
            },
        }
    }
}

impl Default for Zone {
    /// `Asia/Shanghai`, the zone of the shipped presets.
    fn default() -> Self {
        Zone::SHANGHAI
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Named(tz) => f.write_str(tz.name()),
            Zone::Fixed(offset) => write!(f, "{offset}"),
        }
    }
}

impl FromStr for Zone {
    type Err = Error;
    fn from_str(s: &str) -> Result<Zone> {
        Zone::parse(s)
    }
}

impl Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Zone, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Zone;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(ZONE_FORMS)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Zone, E> {
                Zone::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Zone, E> {
                i32::try_from(v)
                    .ok()
                    .and_then(|s| Zone::fixed(s).ok())
                    .ok_or_else(|| E::custom(format!("utc offset `{v}` is not within ±24 hours")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Zone, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `Z`, `+08`, `+0800`, `+08:00` (and `-` forms): a fixed offset.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text == "Z" || text == "z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    // `HH`, `HHMM`, `HH:MM`, or `HH:MM:SS` (the local mean time of a zone
    // before 1900 has seconds, and is written so that it reads back).
    if !rest.is_ascii() {
        return None;
    }
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    let colons = rest.matches(':').count();
    let well_placed = match colons {
        0 => digits.len() == 2 || digits.len() == 4,
        1 => rest.len() == 5 && rest.find(':') == Some(2),
        2 => rest.len() == 8 && &rest[2..3] == ":" && &rest[5..6] == ":",
        _ => false,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !well_placed {
        return None;
    }
    let part = |r: std::ops::Range<usize>| -> Option<i32> {
        digits
            .get(r)
            .filter(|p| !p.is_empty())
            .map_or(Some(0), |p| p.parse().ok())
    };
    let (hours, minutes, seconds) = (part(0..2)?, part(2..4)?, part(4..6)?);
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60 + seconds))
}

/// A half-open interval of time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
pub fn local_day(at: Instant, zone: Zone) -> NaiveDate {
    zone.local(at).date_naive()
}

/// The first instant of calendar day `day` in `zone` (local midnight, or the
/// end of a summer-time gap where midnight is skipped).
pub fn day_start(day: NaiveDate, zone: Zone) -> Instant {
    zone.instant(day.and_time(NaiveTime::MIN))
}

/// The whole calendar day `day` in `zone` as an interval: 24 hours, or 23
/// and 25 on the days summer time starts and ends.
pub fn day_interval(day: NaiveDate, zone: Zone) -> Interval {
    let start = day_start(day, zone);
    let end = day
        .succ_opt()
        .map_or(start + Duration::days(1), |next| day_start(next, zone));
    Interval { start, end }
}

/// The same local wall-clock time `days` calendar days after `at` (before,
/// when negative) in `zone`: what "14 days of observation" or "2 days before
/// onset" mean to a station, 24 hours a day except across a summer-time
/// switch. Saturates at the ends of the representable range.
///
/// ```
/// use precinct::{add_days, parse_instant, render_instant, Zone};
/// let berlin: Zone = "Europe/Berlin".parse().unwrap();
/// let before = parse_instant("2020-03-28 09:00", berlin).unwrap();
/// let after = add_days(before, 14, berlin);
/// assert_eq!(render_instant(after, berlin), "2020-04-11T09:00:00+02:00");
/// assert_eq!((after - before).num_hours(), 14 * 24 - 1);
/// ```
pub fn add_days(at: Instant, days: i64, zone: Zone) -> Instant {
    let local = zone.local(at).naive_local();
    let moved = Duration::try_days(days).and_then(|d| local.checked_add_signed(d));
    match moved {
        Some(t) => zone.instant(t),
        None if days < 0 => DateTime::<Utc>::MIN_UTC,
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// The first year of the instants and days the library keeps.
pub const EARLIEST_YEAR: i32 = 1;
/// The last year of the instants and days the library keeps.
pub const LATEST_YEAR: i32 = 9999;

/// `at`, when it lies in the years [`EARLIEST_YEAR`] to [`LATEST_YEAR`]
/// (UTC): the four-digit years of ISO 8601, far enough inside the calendar's
/// ends (±262,143) that a policy's longest period added or taken away, in
/// any time zone, stays a real time.
///
/// # Errors
/// [`Error::InvalidValue`] naming `field` and the time.
pub fn check_instant(field: &str, at: Instant) -> Result<Instant> {
    if (EARLIEST_YEAR..=LATEST_YEAR).contains(&at.year()) {
        Ok(at)
    } else {
        Err(Error::invalid(
            field,
            at.to_rfc3339(),
            format!("a time in the years {EARLIEST_YEAR} to {LATEST_YEAR}"),
        ))
    }
}

/// `day`, when it lies in the years [`EARLIEST_YEAR`] to [`LATEST_YEAR`].
///
/// # Errors
/// [`Error::InvalidValue`] naming `field` and the day.
pub fn check_day(field: &str, day: NaiveDate) -> Result<NaiveDate> {
    if (EARLIEST_YEAR..=LATEST_YEAR).contains(&day.year()) {
        Ok(day)
    } else {
        Err(Error::invalid(
            field,
            day,
            format!("a day in the years {EARLIEST_YEAR} to {LATEST_YEAR}"),
        ))
    }
}

/// Unix seconds `seconds` as an instant in the years [`EARLIEST_YEAR`] to
/// [`LATEST_YEAR`].
///
/// # Errors
/// [`Error::InvalidValue`] naming `field` and the number.
pub fn instant_from_unix(field: &str, seconds: i64) -> Result<Instant> {
    DateTime::from_timestamp(seconds, 0)
        .and_then(|t| check_instant(field, t).ok())
        .ok_or_else(|| {
            Error::invalid(
                field,
                seconds,
                format!("Unix seconds of a time in the years {EARLIEST_YEAR} to {LATEST_YEAR}"),
            )
        })
}

/// The forms [`parse_instant`] accepts, for error messages and the README.
pub const TIME_FORMS: &str = "an ISO 8601 time like 2020-01-24T09:00:00+08:00, 2020-01-24 09:00+08 or 2020-01-24T01:00Z, or a local time like 2020-01-24 09:00 (in the policy's zone)";

/// Parse a time as people and exports write it, with the accepted forms
/// listed here (a tested list of ISO 8601 forms):
///
/// - a date `YYYY-MM-DD`, then `T`, `t` or a space, then `HH:MM`, `HH:MM:SS`
///   or `HH:MM:SS.fraction` (up to nanoseconds; `,` as decimal mark too);
/// - then, optionally after one space, an offset `Z`, `UTC`, `+08`, `+0800`
///   or `+08:00` (or `-`): the time is that instant (PostgreSQL writes
///   `2020-01-24 09:00:00+08`);
/// - without an offset, a local time in `zone`, through the zone's
///   summer-time rules (see [`Zone::instant`]).
///
/// A bare number is never a time here: Unix seconds are read only where a
/// format allows them ([`parse_unix_seconds`]), and the error says what the
/// number looks like (an Excel day serial, Unix milliseconds ...).
///
/// ```
/// let zone = precinct::Zone::SHANGHAI;
/// let t = precinct::parse_instant("2020-01-24 09:00:00+08", zone).unwrap();
/// assert_eq!(t.to_rfc3339(), "2020-01-24T01:00:00+00:00");
/// let err = precinct::parse_instant("43853", zone).unwrap_err().to_string();
/// assert!(err.contains("Excel day serial for 2020-01-23"), "{err}");
/// ```
///
/// # Errors
/// [`Error::InvalidValue`] naming the text and the accepted forms.
pub fn parse_instant(text: &str, zone: Zone) -> Result<Instant> {
    let text = text.trim();
    match parse_iso(text) {
        Some((local, Some(offset))) => Ok(Zone::Fixed(offset).instant(local)),
        Some((local, None)) => Ok(zone.instant(local)),
        None => Err(Error::invalid("time", text, not_a(text, TIME_FORMS))),
    }
}

/// The expectation of an error message, with a guess at what a bare number
/// is when the text is one.
fn not_a(text: &str, forms: &str) -> String {
    match number_looks_like(text) {
        Some(guess) => {
            format!("{forms}; a bare number is not a time, and this one looks like {guess}")
        }
        None => forms.to_string(),
    }
}

/// What a bare number in a time or date column most likely is.
fn number_looks_like(text: &str) -> Option<String> {
    let value: f64 = text.parse().ok().filter(|v: &f64| v.is_finite())?;
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
    {
        return None;
    }
    let plausible = TimeBounds::default();
    let unix = |scale: f64| {
        let seconds = value / scale;
        if !(-1e12..1e12).contains(&seconds) {
            return None;
        }
        DateTime::from_timestamp(seconds.floor() as i64, 0).filter(|t| plausible.contains(*t))
    };
    let whole = value.fract() == 0.0;
    if whole && text.len() == 8 {
        if let Ok(d) = NaiveDate::parse_from_str(text, "%Y%m%d") {
            if (1900..=2100).contains(&d.year()) {
                return Some(format!(
                    "a date written without dashes ({d}); write it as {d}"
                ));
            }
        }
    }
    // Excel's 1900 date system: serial 1 is 1900-01-01 and 1900 is counted as a
    // leap year, so from 1 March 1900 on the day is 1899-12-30 plus the serial.
    if (25_569.0..73_051.0).contains(&value) {
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
        let day = epoch.checked_add_signed(Duration::days(value.floor() as i64))?;
        return Some(if whole {
            format!("an Excel day serial for {day}; format the column as a date before saving")
        } else {
            let seconds = (value.fract() * 86_400.0).round() as u32;
            let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds.min(86_399), 0)?;
            format!(
                "an Excel date-time serial for {day} {}; format the column as a date and time before saving",
                time.format("%H:%M")
            )
        });
    }
    for (scale, unit) in [
        (1.0, "Unix seconds"),
        (1e3, "Unix milliseconds"),
        (1e6, "Unix microseconds"),
        (1e9, "Unix nanoseconds"),
    ] {
        if let Some(t) = unix(scale) {
            return Some(format!("{unit} ({})", t.format("%Y-%m-%dT%H:%M:%SZ")));
        }
    }
    None
}

/// The range in which a bare number of Unix seconds is taken as a time:
/// outside it the number is more likely something else (an Excel serial,
/// milliseconds, a row number). Default: the years 2000 to 2100, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TimeBounds {
    /// The earliest plausible instant.
    pub earliest: Instant,
    /// The first instant no longer plausible.
    pub end: Instant,
}

impl TimeBounds {
    /// From the first instant of year `first` to the last of year `last` (UTC).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `last` is before `first` or a year is out
    /// of chrono's range.
    pub fn years(first: i32, last: i32) -> Result<TimeBounds> {
        let start = |y: i32| {
            NaiveDate::from_ymd_opt(y, 1, 1)
                .map(|d| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)))
        };
        match (start(first), last.checked_add(1).and_then(start)) {
            (Some(earliest), Some(end)) if first <= last => Ok(TimeBounds { earliest, end }),
            _ => Err(Error::invalid(
                "plausible years",
                format!("{first} to {last}"),
                "a first year not after the last, within ±262,000",
            )),
        }
    }

    /// Whether `at` is plausible.
    pub fn contains(&self, at: Instant) -> bool {
        self.earliest <= at && at < self.end
    }
}

impl Default for TimeBounds {
    fn default() -> Self {
        TimeBounds {
            earliest: DateTime::from_timestamp(946_684_800, 0).unwrap_or_default(),
            end: DateTime::from_timestamp(4_133_980_800, 0).unwrap_or_default(),
        }
    }
}

/// Read a whole number of Unix seconds, accepted only inside `bounds`.
///
/// Returns `Ok(None)` when `text` is not a bare integer, so that callers can
/// try the other forms.
///
/// # Errors
/// [`Error::InvalidValue`] for an integer outside `bounds`, naming the unit it
/// more likely is (Excel day serial, milliseconds ...).
pub fn parse_unix_seconds(text: &str, bounds: TimeBounds) -> Result<Option<i64>> {
    let text = text.trim();
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let at = text
        .parse::<i64>()
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0));
    match at {
        Some(t) if bounds.contains(t) => Ok(Some(t.timestamp())),
        _ => {
            let read = at.map_or_else(String::new, |t| {
                format!(" (as Unix seconds {})", t.format("%Y-%m-%dT%H:%M:%SZ"))
            });
            let guess = number_looks_like(text)
                .filter(|g| !g.starts_with("Unix seconds"))
                .map_or_else(String::new, |g| format!("; it looks like {g}"));
            Err(Error::invalid(
                "time",
                text,
                format!(
                    "Unix seconds between {} and {}{read}{guess}",
                    bounds.earliest.format("%Y-%m-%d"),
                    (bounds.end - Duration::seconds(1)).format("%Y-%m-%d")
                ),
            ))
        }
    }
}

/// Parse a plain calendar date `YYYY-MM-DD`.
///
/// # Errors
/// [`Error::InvalidValue`] when the text is not such a date; for a bare
/// number, the message says what it looks like (an Excel day serial ...).
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let trimmed = text.trim();
    NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
        .ok()
        .filter(|_| trimmed.len() == 10)
        .ok_or_else(|| Error::invalid("date", trimmed, not_a(trimmed, "a date like 2020-02-01")))
}

/// A date column's value: a date as [`parse_date`] takes it, or that day
/// written as its midnight without an offset (`2020-02-10T00:00:00`), as
/// spreadsheets and DataFrames write a column of dates.
///
/// # Errors
/// As [`parse_date`].
pub(crate) fn parse_date_column(text: &str) -> Result<NaiveDate> {
    match parse_iso(text.trim()) {
        Some((local, None)) if local.time() == chrono::NaiveTime::MIN => Ok(local.date()),
        _ => parse_date(text),
    }
}
/// Split an ISO 8601 time into its local part and its offset, if written.
fn parse_iso(text: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
    {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)?;
    let (hour, minute) = (digits(11..13)?, digits(14..16)?);
    let mut rest = &text[16..];
    let mut second = 0;
    let mut nanos = 0;
    if let Some(r) = rest.strip_prefix(':') {
        second = digits(17..19)?;
        rest = r.get(2..)?;
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 || n > 9 {
                return None;
            }
            nanos = r[..n].parse::<u32>().ok()? * 10u32.pow(9 - n as u32);
            rest = &r[n..];
        }
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let local = date.and_time(time);
    let offset = rest.strip_prefix(' ').unwrap_or(rest);
    if rest.is_empty() {
        return Some((local, None));
    }
    let offset = match offset {
        "UTC" | "utc" | "GMT" => FixedOffset::east_opt(0),
        other => parse_offset(other),
    }?;
    Some((local, Some(offset)))
}

/// A time that may be given as a plain date (real line lists often are).
///
/// Serialized as the date (`2020-01-28`) or the instant (RFC 3339); the
/// tagged form `{"precision": "date", "value": ...}` is read too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    Time(#[serde(with = "given")] Instant),
    Tagged(TaggedDateOrTime),
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", tag = "precision", content = "value")]
enum TaggedDateOrTime {
    Date(NaiveDate),
    Time(#[serde(with = "given")] Instant),
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
    /// Parse either a date `YYYY-MM-DD` or a time (see [`parse_instant`]).
    /// A bare number is neither: the error says what it looks like.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the text is neither.
    pub fn parse(text: &str, zone: Zone) -> Result<Self> {
        if let Ok(d) = parse_date(text) {
            return Ok(DateOrTime::Date(d));
        }
        parse_instant(text, zone)
            .map(DateOrTime::Time)
            .map_err(|_| {
                let text = text.trim();
                Error::invalid(
                    "date or time",
                    text,
                    not_a(text, &format!("a date like 2020-01-24, or {TIME_FORMS}")),
                )
            })
    }

    /// The earliest instant the value can mean (a date means its first instant).
    pub fn earliest(self, zone: Zone) -> Instant {
        match self {
            DateOrTime::Date(d) => day_start(d, zone),
            DateOrTime::Time(t) => t,
        }
    }

    /// The calendar day in `zone`.
    pub fn day(self, zone: Zone) -> NaiveDate {
        match self {
            DateOrTime::Date(d) => d,
            DateOrTime::Time(t) => local_day(t, zone),
        }
    }

    /// Render as the interchange formats write it.
    pub fn render(self, zone: Zone) -> String {
        match self {
            DateOrTime::Date(d) => d.to_string(),
            DateOrTime::Time(t) => render_instant(t, zone),
        }
    }
}

/// Render an instant as ISO 8601 in `zone`, with the offset in force then.
pub fn render_instant(at: Instant, zone: Zone) -> String {
    let local = zone.local(at);
    if local.offset().local_minus_utc() % 60 == 0 {
        local.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
    } else {
        // An offset with seconds (local mean time, before 1900) is written
        // whole, so that the text reads back as the same instant.
        local.format("%Y-%m-%dT%H:%M:%S%.f%::z").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cst() -> Zone {
        Zone::SHANGHAI
    }

    fn utc(text: &str) -> Instant {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn parses_every_accepted_form_to_the_same_instant() {
        let want = utc("2020-01-24T01:00:00Z");
        for text in [
            "2020-01-24T09:00:00+08:00",
            "2020-01-24T01:00:00Z",
            "2020-01-24t01:00:00z",
            "2020-01-24 09:00:00+08",
            "2020-01-24 09:00:00+0800",
            "2020-01-24 09:00:00 +08:00",
            "2020-01-24T09:00+08:00",
            "2020-01-24 09:00+08",
            "2020-01-24T01:00Z",
            "2020-01-24 01:00:00 UTC",
            "2020-01-24 09:00:00.000+08",
            "2020-01-24T09:00:00,000000000+08:00",
            "2020-01-23T20:00:00-05:00",
            "2020-01-24 09:00+08:00:00",
            "2020-01-24 09:00:00",
            "2020-01-24T09:00",
            " 2020-01-24 09:00 ",
        ] {
            assert_eq!(parse_instant(text, cst()).unwrap(), want, "{text}");
        }
        assert_eq!(
            parse_instant("2020-01-24 09:00:00.25+08", cst()).unwrap(),
            want + Duration::milliseconds(250)
        );
    }

    #[test]
    fn refuses_what_is_not_a_time_naming_the_forms() {
        for text in [
            "yesterday",
            "2020-01-24",
            "2020-01-24 9:00",
            "2020-01-24 09:00:0",
            "2020-01-24 25:00",
            "2020-02-30 09:00",
            "2020-01-24 09:00+8",
            "2020-01-24 09:00+08:00:0",
            "2020-01-24 09:00+08:0000",
            "2020-01-24 09:00:00.3+]0\u{b6}:00:",
            "2020-01-24 09:00 Asia/Shanghai",
            "2020-01-24 09:00:00.1234567890+08",
            "24/01/2020 09:00",
            "",
        ] {
            let err = parse_instant(text, cst()).unwrap_err().to_string();
            assert!(err.contains("ISO 8601"), "{text}: {err}");
        }
    }

    #[test]
    fn a_bare_number_is_never_a_time_and_the_error_names_its_likely_unit() {
        for (text, guess) in [
            ("43853", "an Excel day serial for 2020-01-23"),
            (
                "43853.375",
                "an Excel date-time serial for 2020-01-23 09:00",
            ),
            ("1579827600", "Unix seconds (2020-01-24T01:00:00Z)"),
            ("1579827600000", "Unix milliseconds (2020-01-24T01:00:00Z)"),
            ("1579827600000000", "Unix microseconds"),
            ("20200124", "a date written without dashes (2020-01-24)"),
        ] {
            let err = parse_instant(text, cst()).unwrap_err().to_string();
            assert!(err.contains(guess), "{text}: {err}");
            let err = DateOrTime::parse(text, cst()).unwrap_err().to_string();
            assert!(err.contains(guess), "{text}: {err}");
            let err = parse_date(text).unwrap_err().to_string();
            assert!(err.contains(guess), "{text}: {err}");
        }
        // A number with no likely reading still says what was expected.
        let err = parse_instant("7", cst()).unwrap_err().to_string();
        assert!(err.contains("`7`") && err.contains("ISO 8601"), "{err}");
    }

    #[test]
    fn unix_seconds_only_inside_the_plausible_range() {
        let b = TimeBounds::default();
        assert_eq!(
            parse_unix_seconds("1579827600", b).unwrap(),
            Some(1_579_827_600)
        );
        assert_eq!(parse_unix_seconds("2020-01-24", b).unwrap(), None);
        assert_eq!(parse_unix_seconds("12.5", b).unwrap(), None);
        for (text, says) in [
            ("43853", "Excel day serial for 2020-01-23"),
            ("1579827600000", "Unix milliseconds (2020-01-24T01:00:00Z)"),
            ("946684799", "as Unix seconds 1999-12-31T23:59:59Z"),
            ("4133980800", "as Unix seconds 2101-01-01T00:00:00Z"),
            ("-1", "1969-12-31"),
            ("99999999999999999999", "between 2000-01-01 and 2100-12-31"),
        ] {
            let err = parse_unix_seconds(text, b).unwrap_err().to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
        assert!(parse_unix_seconds("946684800", b).unwrap().is_some());
        assert!(parse_unix_seconds("4133980799", b).unwrap().is_some());
        let wide = TimeBounds::years(1970, 2200).unwrap();
        assert_eq!(parse_unix_seconds("43853", wide).unwrap(), Some(43853));
        assert!(TimeBounds::years(2020, 2019).is_err());
        assert!(TimeBounds::years(i32::MAX, i32::MAX).is_err());
    }

    #[test]
    fn zones_parse_by_name_or_offset() {
        assert_eq!(Zone::parse("Asia/Shanghai").unwrap(), Zone::SHANGHAI);
        for (text, seconds) in [
            ("+08:00", 28_800),
            ("+0800", 28_800),
            ("+08", 28_800),
            ("-03:30", -12_600),
            ("Z", 0),
        ] {
            assert_eq!(
                Zone::parse(text).unwrap(),
                Zone::fixed(seconds).unwrap(),
                "{text}"
            );
        }
        for bad in ["Europe/Berln", "+8", "+24:00", "+08:60", "", "08:00"] {
            let err = Zone::parse(bad).unwrap_err().to_string();
            assert!(err.contains("IANA time zone name"), "{bad}: {err}");
        }
        assert!(Zone::fixed(90_000).is_err());
    }

    #[test]
    fn zones_serialize_as_text_and_read_legacy_offsets() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        assert_eq!(serde_json::to_string(&berlin).unwrap(), "\"Europe/Berlin\"");
        assert_eq!(
            serde_json::from_str::<Zone>("\"Europe/Berlin\"").unwrap(),
            berlin
        );
        assert_eq!(
            serde_json::from_str::<Zone>("28800").unwrap(),
            Zone::fixed(28_800).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&Zone::fixed(28_800).unwrap()).unwrap(),
            "\"+08:00\""
        );
        assert!(serde_json::from_str::<Zone>("90000").is_err());
        assert!(serde_json::from_str::<Zone>("\"Mars/Olympus\"").is_err());
    }

    #[test]
    fn local_times_cross_summer_time_switches() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        // 29 March 2020: 02:00 CET became 03:00 CEST.
        let at = |t: &str| parse_instant(t, berlin).unwrap();
        assert_eq!(at("2020-03-29 01:59"), utc("2020-03-29T00:59:00Z"));
        assert_eq!(at("2020-03-29 03:00"), utc("2020-03-29T01:00:00Z"));
        // A skipped local time lands as far after the switch as it was written.
        assert_eq!(at("2020-03-29 02:30"), utc("2020-03-29T01:30:00Z"));
        // 25 October 2020: 03:00 CEST became 02:00 CET; 02:30 happened twice.
        assert_eq!(at("2020-10-25 02:30"), utc("2020-10-25T00:30:00Z"));
        assert_eq!(at("2020-10-25 03:30"), utc("2020-10-25T02:30:00Z"));
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        assert_eq!(day_interval(day("2020-03-29"), berlin).seconds(), 23 * 3600);
        assert_eq!(day_interval(day("2020-10-25"), berlin).seconds(), 25 * 3600);
        assert_eq!(day_interval(day("2020-07-01"), berlin).seconds(), 24 * 3600);
        // 23:30 UTC on 30 June is already 1 July in Berlin in summer, not in winter.
        assert_eq!(
            local_day(utc("2020-06-30T22:30:00Z"), berlin),
            day("2020-07-01")
        );
        assert_eq!(
            local_day(utc("2020-12-31T22:30:00Z"), berlin),
            day("2020-12-31")
        );
        assert_eq!(
            render_instant(utc("2020-07-01T10:00:00Z"), berlin),
            "2020-07-01T12:00:00+02:00"
        );
        assert_eq!(
            render_instant(utc("2020-01-01T10:00:00Z"), berlin),
            "2020-01-01T11:00:00+01:00"
        );
        // Toronto's switch is at 02:00 local on 8 March 2020.
        let toronto = Zone::parse("America/Toronto").unwrap();
        assert_eq!(
            day_start(day("2020-03-08"), toronto),
            utc("2020-03-08T05:00:00Z")
        );
        assert_eq!(
            day_start(day("2020-03-09"), toronto),
            utc("2020-03-09T04:00:00Z")
        );
        // Where midnight itself is skipped (Santiago, 2020-09-06) the day
        // starts at the switch.
        let santiago = Zone::parse("America/Santiago").unwrap();
        assert_eq!(
            day_start(day("2020-09-06"), santiago),
            utc("2020-09-06T04:00:00Z")
        );
        assert_eq!(
            local_day(day_start(day("2020-09-06"), santiago), santiago),
            day("2020-09-06")
        );
    }

    #[test]
    fn local_days_follow_the_zone() {
        let t = parse_instant("2020-02-01T23:30:00+08:00", cst()).unwrap();
        assert_eq!(
            local_day(t, cst()),
            NaiveDate::from_ymd_opt(2020, 2, 1).unwrap()
        );
        assert_eq!(
            local_day(t, Zone::fixed(0).unwrap()).to_string(),
            "2020-02-01"
        );
        let d = NaiveDate::from_ymd_opt(2020, 2, 2).unwrap();
        assert_eq!(day_start(d, cst()), utc("2020-02-01T16:00:00Z"));
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
        let err = DateOrTime::parse("2020-2-1", cst())
            .unwrap_err()
            .to_string();
        assert!(err.contains("a date like 2020-01-24"), "{err}");
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

thread_local! {
    /// The zone naive times are read in while a caller's input is read
    /// ([`read_in_zone`]); `None` elsewhere (journals, snapshots), where a
    /// time must carry its offset.
    static READING_ZONE: std::cell::Cell<Option<Zone>> = const { std::cell::Cell::new(None) };
}

/// Run `read` with naive times (no offset) in the inputs it deserializes
/// read as local times in `zone`, the policy's zone: how the Python and
/// JavaScript layers hand over commands and query arguments. Outside such a
/// call a time in text must carry its offset, as journals write it.
///
/// ```
/// use precinct::{read_in_zone, Command, Zone};
/// let json = serde_json::json!({"type": "extend_order", "order": "O1", "exposure": "2020-02-10 09:00"});
/// assert!(Command::from_json(&json).is_err());
/// let command = read_in_zone(Zone::SHANGHAI, || Command::from_json(&json)).unwrap();
/// assert!(serde_json::to_string(&command).unwrap().contains("2020-02-10T01:00:00Z"));
/// ```
pub fn read_in_zone<T>(zone: Zone, read: impl FnOnce() -> T) -> T {
    struct Restore(Option<Zone>);
    impl Drop for Restore {
        fn drop(&mut self) {
            READING_ZONE.set(self.0);
        }
    }
    let _restore = Restore(READING_ZONE.replace(Some(zone)));
    read()
}

/// An instant from text as callers and journals write it: with an offset,
/// or naive inside [`read_in_zone`].
fn instant_from_text(text: &str) -> Result<Instant> {
    match (parse_iso(text.trim()), READING_ZONE.get()) {
        (Some((local, Some(offset))), _) => Ok(Zone::Fixed(offset).instant(local)),
        (Some((local, None)), Some(zone)) => Ok(zone.instant(local)),
        (Some((_, None)), None) => Err(Error::invalid(
            "time",
            text,
            "a time with its offset, like 2020-01-24T09:00:00+08:00 (a local time is read in the policy's zone only where one is known)",
        )),
        (None, _) => Err(Error::invalid("time", text, not_a(text, TIME_FORMS))),
    }
}

/// Serde adapter for the instants of commands, records and requests: ISO
/// 8601 text with an offset, or a local time inside [`read_in_zone`], or
/// whole Unix seconds (as the bindings' `at` takes them); written as RFC
/// 3339 in UTC. Use with `#[serde(with = "crate::time::given")]`.
pub(crate) mod given {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serialize, Serializer};

    use super::Instant;

    pub(crate) fn serialize<S: Serializer>(at: &Instant, s: S) -> Result<S::Ok, S::Error> {
        at.serialize(s)
    }

    /// Reads a time, or (for an optional one) `null`.
    struct Time;

    const EXPECTED: &str =
        "an ISO 8601 time like 2020-01-24T09:00:00+08:00 or 2020-01-24 09:00, or whole Unix seconds";

    impl<'de> Visitor<'de> for Time {
        type Value = Option<Instant>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(EXPECTED)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            super::instant_from_text(v).map(Some).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            super::instant_from_unix("time", v)
                .map(Some)
                .map_err(E::custom)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Time)
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        d.deserialize_any(Time)?.ok_or_else(|| {
            de::Error::custom(format!("time `null` is invalid, expected {EXPECTED}"))
        })
    }

    /// The same for an optional instant (`null` or missing is `None`).
    pub(crate) mod option {
        use serde::{Deserializer, Serialize, Serializer};

        use super::super::Instant;

        #[expect(clippy::ref_option, reason = "the signature serde's `with` calls")]
        pub(crate) fn serialize<S: Serializer>(
            at: &Option<Instant>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            at.serialize(s)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Instant>, D::Error> {
            d.deserialize_option(super::Time)
        }
    }
}

/// Serde adapter for the calendar days of requests: `YYYY-MM-DD`, or a time
/// (see [`given`]) whose local day in the reading zone is meant. Use with
/// `#[serde(deserialize_with = "crate::time::given_day::deserialize")]`.
pub(crate) mod given_day {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer};

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        if let Ok(day) = super::parse_date(&text) {
            return Ok(day);
        }
        let zone = super::READING_ZONE.get().ok_or_else(|| {
            serde::de::Error::custom(super::Error::invalid(
                "day",
                &text,
                "a date like 2020-01-24",
            ))
        })?;
        super::instant_from_text(&text)
            .map(|at| super::local_day(at, zone))
            .map_err(|_| {
                serde::de::Error::custom(super::Error::invalid(
                    "day",
                    &text,
                    format!("a date like 2020-01-24, or {}", super::TIME_FORMS),
                ))
            })
    }
}
