//! Rules as data: every rule the library applies is read from a [`Policy`].
//!
//! Each preset names its source and the date it took effect, so a result can
//! say which rule produced it.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::time::Zone;

/// The rules in force: windows, thresholds, deadlines and the time zone.
///
/// ```
/// let policy = precinct::Policy::preset("nhc-2020").unwrap();
/// assert_eq!(policy.min_overlap_seconds, 15 * 60);
/// assert_eq!(policy.observation_days, 14);
/// ```
///
/// A policy is checked whenever it is read (from a journal's header, a
/// snapshot or a binding): every day count is at most [`MAX_POLICY_DAYS`],
/// registration hours at most [`MAX_POLICY_HOURS`], seconds at most
/// [`MAX_POLICY_SECONDS`] (see [`Policy::validate`]), so no rule can push a
/// date past the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(try_from = "Unchecked")]
pub struct Policy {
    /// Short name of the preset, e.g. `nhc-2020`.
    pub name: String,
    /// Where the rules come from.
    pub source: String,
    /// The date the rules took effect.
    pub effective: NaiveDate,
    /// The local time zone: calendar days, naive local times in inputs and
    /// times in messages are in this zone. An IANA name (`Asia/Shanghai` for
    /// the shipped presets, `Europe/Berlin`) follows summer time; a fixed
    /// offset (`+08:00`) is allowed too. Journals written before zones had
    /// names give a fixed offset in seconds as `utc_offset_seconds`, which
    /// is read as that offset.
    #[serde(alias = "utc_offset_seconds")]
    pub zone: Zone,
    /// Days before symptom onset (or sampling, without onset) from which a case
    /// counts as infectious.
    pub infectious_days_before_onset: u32,
    /// Minimum time, in seconds, two persons must share a place to be close
    /// contacts: one continuous overlap, or the cumulative total over
    /// [`Policy::cumulative_period_seconds`], as [`Policy::exposure_rule`] says.
    pub min_overlap_seconds: u32,
    /// Rows of one person at one place that overlap or follow each other
    /// within this many seconds are one presence there, the gap included
    /// (a re-scan at the door, an automatic check-out and check-in, a row
    /// split at midnight). Default 300 s: such breaks last seconds to a few
    /// minutes, while a gap of a third of the 15-minute minimum already
    /// means leaving and coming back. Read as 300 when absent (policies
    /// written before the field existed).
    #[serde(default = "default_presence_gap_seconds")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub presence_gap_seconds: u32,
    /// How co-presence adds up to a close contact: one continuous overlap,
    /// or the cumulative total over a period. Read as
    /// [`ExposureRule::Pairwise`] when absent: a policy without the field was
    /// written by version 0.1, whose journals must replay as they were
    /// judged then.
    #[serde(default = "ExposureRule::written_before_presences")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub exposure_rule: ExposureRule,
    /// The period, in seconds, over which [`ExposureRule::Cumulative`] adds
    /// up exposure (a rolling period, not a calendar day); 86,400 (24 hours)
    /// as the CDC's definition of 21 Oct 2020 says. Unused by
    /// [`ExposureRule::Continuous`]. Read as 86,400 when absent.
    #[serde(default = "default_cumulative_period_seconds")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub cumulative_period_seconds: u32,
    /// Whether persons living in the same household are always close contacts.
    pub coresidents_are_contacts: bool,
    /// Days of medical observation after the last exposure.
    pub observation_days: u32,
    /// Days of home isolation for a returnee, counted from arrival.
    pub returnee_isolation_days: u32,
    /// How far back an arrival from a high-risk area makes a returnee, in days.
    pub returnee_lookback_days: u32,
    /// Hours after arrival within which a foreign national's accommodation must
    /// be registered.
    pub foreigner_registration_hours: u32,
    /// Days a movement pass is valid for.
    pub pass_validity_days: u32,
}

/// A policy as written, before [`Policy::validate`] has checked it.
#[derive(Deserialize)]
struct Unchecked {
    name: String,
    source: String,
    effective: NaiveDate,
    #[serde(alias = "utc_offset_seconds")]
    zone: Zone,
    infectious_days_before_onset: u32,
    min_overlap_seconds: u32,
    #[serde(default = "default_presence_gap_seconds")]
    presence_gap_seconds: u32,
    #[serde(default = "ExposureRule::written_before_presences")]
    exposure_rule: ExposureRule,
    #[serde(default = "default_cumulative_period_seconds")]
    cumulative_period_seconds: u32,
    coresidents_are_contacts: bool,
    observation_days: u32,
    returnee_isolation_days: u32,
    returnee_lookback_days: u32,
    foreigner_registration_hours: u32,
    pass_validity_days: u32,
}

impl TryFrom<Unchecked> for Policy {
    type Error = Error;
    fn try_from(u: Unchecked) -> Result<Policy> {
        let policy = Policy {
            name: u.name,
            source: u.source,
            effective: u.effective,
            zone: u.zone,
            infectious_days_before_onset: u.infectious_days_before_onset,
            min_overlap_seconds: u.min_overlap_seconds,
            presence_gap_seconds: u.presence_gap_seconds,
            exposure_rule: u.exposure_rule,
            cumulative_period_seconds: u.cumulative_period_seconds,
            coresidents_are_contacts: u.coresidents_are_contacts,
            observation_days: u.observation_days,
            returnee_isolation_days: u.returnee_isolation_days,
            returnee_lookback_days: u.returnee_lookback_days,
            foreigner_registration_hours: u.foreigner_registration_hours,
            pass_validity_days: u.pass_validity_days,
        };
        policy.validate()?;
        Ok(policy)
    }
}

/// How a person's co-presence with a case adds up to a close contact.
///
/// Either way the unit is a *presence*: a person's rows at one place merged
/// when they overlap or follow within [`Policy::presence_gap_seconds`]; only
/// the part of the case's presence inside the case's exposure window counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ExposureRule {
    /// One stretch of co-presence (a presence of the person overlapping a
    /// presence of the case) of at least [`Policy::min_overlap_seconds`]
    /// (WHO 10 May 2020; ECDC 8 Apr 2020: 15 minutes in a closed room).
    #[default]
    Continuous,
    /// Stretches of co-presence with the case, at any places, adding up to at
    /// least [`Policy::min_overlap_seconds`] within some period of
    /// [`Policy::cumulative_period_seconds`] (CDC, 21 Oct 2020: "a cumulative
    /// total of 15 minutes or more over a 24-hour period"). Every stretch in
    /// such a period counts.
    Cumulative,
    /// The rule of version 0.1, kept only so that journals written under it
    /// replay as they were judged: each pair of check-in rows (not presences)
    /// overlapping at least [`Policy::min_overlap_seconds`], whole rows that
    /// touch the window, not clipped to it, summed per place. Re-scans and
    /// midnight splits are missed and time outside the infectious window
    /// counts, so no preset uses it; a policy read without `exposure_rule`
    /// gets it.
    Pairwise,
}

impl ExposureRule {
    /// The rule of a policy written before presences existed.
    fn written_before_presences() -> ExposureRule {
        ExposureRule::Pairwise
    }
}

fn default_presence_gap_seconds() -> u32 {
    5 * 60
}

fn default_cumulative_period_seconds() -> u32 {
    86_400
}

/// The most days any day count of a policy may be (ten years): an
/// observation, an isolation, a look-back, a pass's validity, the days
/// before onset.
pub const MAX_POLICY_DAYS: u32 = 3650;

/// The most hours [`Policy::foreigner_registration_hours`] may be (a year).
pub const MAX_POLICY_HOURS: u32 = 8760;

/// The most seconds [`Policy::min_overlap_seconds`] and
/// [`Policy::cumulative_period_seconds`] may be (a year).
pub const MAX_POLICY_SECONDS: u32 = 365 * 86_400;

/// The longest [`Policy::presence_gap_seconds`] accepted: a longer break is
/// a second visit, not a re-scan.
pub const MAX_PRESENCE_GAP_SECONDS: u32 = 3600;

impl Default for Policy {
    /// The rules the station worked under in 2020 (`nhc-2020`).
    fn default() -> Self {
        Policy {
            name: "nhc-2020".into(),
            source: "NHC COVID-19 prevention and control protocol, 2020 editions; WHO, Contact tracing in the context of COVID-19, 10 May 2020; ECDC, 8 Apr 2020; Exit and Entry Administration Law 2012, art. 39".into(),
            effective: date(2020, 1, 28),
            zone: Zone::SHANGHAI,
            infectious_days_before_onset: 2,
            min_overlap_seconds: 15 * 60,
            presence_gap_seconds: default_presence_gap_seconds(),
            exposure_rule: ExposureRule::Continuous,
            cumulative_period_seconds: default_cumulative_period_seconds(),
            coresidents_are_contacts: true,
            observation_days: 14,
            returnee_isolation_days: 14,
            returnee_lookback_days: 14,
            foreigner_registration_hours: 24,
            pass_validity_days: 30,
        }
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    // The presets use fixed, valid dates.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Names of the shipped presets, in the order [`Policy::presets`] returns them.
pub const PRESET_NAMES: [&str; 5] = ["nhc-2020", "nhc-2021", "who-2020", "rural-1986", "cdc-2020"];

impl Policy {
    /// A policy as a caller gives it: a preset's name (`"nhc-2020"`), or a
    /// policy document as [`Policy::preset`] serializes it, changed (another
    /// `zone`, a shorter `min_overlap_seconds` ...). A document is checked
    /// like any policy, and a field it does not have (a misspelling) is
    /// refused rather than dropped.
    ///
    /// ```
    /// use precinct::Policy;
    /// let mut doc = serde_json::to_value(Policy::preset("nhc-2020").unwrap()).unwrap();
    /// doc["zone"] = "Europe/Berlin".into();
    /// assert_eq!(Policy::from_json(&doc).unwrap().zone().to_string(), "Europe/Berlin");
    /// doc["min_overlap_second"] = 60.into();
    /// assert!(Policy::from_json(&doc).unwrap_err().to_string().contains("min_overlap_second"));
    /// doc = serde_json::to_value(Policy::preset("nhc-2020").unwrap()).unwrap();
    /// doc["zone"] = 5.into();
    /// assert!(Policy::from_json(&doc).is_err());
    /// ```
    ///
    /// # Errors
    /// As [`Policy::preset`] for a name; [`Error::InvalidValue`] naming the
    /// field of a document that does not read or is not a policy's.
    pub fn from_json(json: &serde_json::Value) -> Result<Policy> {
        if let Some(name) = json.as_str() {
            return Policy::preset(name);
        }
        if !json.is_object() {
            return Err(Error::invalid(
                "policy",
                json,
                "a preset's name or a policy document (an object)",
            ));
        }
        // A number is how journals before named zones wrote an offset; a
        // caller writes the zone's name or `+08:00`.
        if let Some(zone) = json.get("zone").filter(|z| !z.is_string()) {
            return Err(Error::invalid(
                "policy, field `zone`",
                zone,
                "an IANA time zone name like Asia/Shanghai or an offset like +08:00",
            ));
        }
        crate::facade::read_exact("policy", json)
    }
}

impl Policy {
    /// Every shipped preset.
    pub fn presets() -> Vec<Policy> {
        PRESET_NAMES
            .iter()
            .filter_map(|n| Policy::preset(n).ok())
            .collect()
    }

    /// A shipped preset by name:
    /// - `nhc-2020`: the 2020 rules (2 days before onset, 15 min, 14 days; 24 h registration);
    /// - `nhc-2021`: later Chinese editions, infectious from 4 days before onset;
    /// - `who-2020`: WHO guidance of 10 May 2020 (co-residents, 15 min, 14 days);
    /// - `rural-1986`: 2020 rules with the 1986 foreigner registration deadline
    ///   for rural areas (72 h);
    /// - `cdc-2020`: the CDC's close contact of 21 Oct 2020, a cumulative total
    ///   of 15 min over a 24-hour period (otherwise the 2020 rules).
    ///
    /// Every preset merges a person's rows at a place into one presence across
    /// gaps of up to 300 s; all but `cdc-2020` need one continuous overlap.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an unknown name, listing the known ones.
    pub fn preset(name: &str) -> Result<Policy> {
        let base = Policy::default();
        match name {
            "nhc-2020" => Ok(base),
            "nhc-2021" => Ok(Policy {
                name: name.into(),
                source: "NHC COVID-19 prevention and control protocol, 8th edition (May 2021): infectious from 4 days before onset".into(),
                effective: date(2021, 5, 11),
                infectious_days_before_onset: 4,
                ..base
            }),
            "who-2020" => Ok(Policy {
                name: name.into(),
                source: "WHO, Contact tracing in the context of COVID-19, interim guidance, 10 May 2020; WHO, 19 Mar 2020 (14 days of observation)".into(),
                effective: date(2020, 5, 10),
                ..base
            }),
            "rural-1986" => Ok(Policy {
                name: name.into(),
                source: "Rules on the administration of foreigners' entry and exit, 1986: accommodation registered within 72 h in rural areas (24 h in towns)".into(),
                effective: date(1986, 12, 27),
                foreigner_registration_hours: 72,
                ..base
            }),
            "cdc-2020" => Ok(Policy {
                name: name.into(),
                source: "CDC, Appendix A: Glossary of key terms, close contact, updated 21 Oct 2020: \"someone who was within 6 feet of an infected person for a cumulative total of 15 minutes or more over a 24-hour period\", from 2 days before illness onset (or specimen collection); 14 days of quarantine".into(),
                effective: date(2020, 10, 21),
                exposure_rule: ExposureRule::Cumulative,
                cumulative_period_seconds: 86_400,
                ..base
            }),
            other => Err(Error::invalid(
                "policy preset",
                other,
                format!("one of {}", PRESET_NAMES.join(", ")),
            )),
        }
    }

    /// The local time zone of the policy.
    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// The same rules in another time zone, e.g. a Korean line list read
    /// with `Asia/Seoul`.
    #[must_use]
    pub fn in_zone(self, zone: Zone) -> Policy {
        Policy { zone, ..self }
    }

    /// Check that every value is in range: day counts at most
    /// [`MAX_POLICY_DAYS`], hours at most [`MAX_POLICY_HOURS`], seconds at
    /// most [`MAX_POLICY_SECONDS`], gaps at most [`MAX_PRESENCE_GAP_SECONDS`];
    /// observation, isolation, validity, registration hours and the minimum
    /// overlap at least one.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming the first value out of range.
    pub fn validate(&self) -> Result<()> {
        for (field, value, min, max, unit) in [
            (
                "observation_days",
                self.observation_days,
                1,
                MAX_POLICY_DAYS,
                "days",
            ),
            (
                "returnee_isolation_days",
                self.returnee_isolation_days,
                1,
                MAX_POLICY_DAYS,
                "days",
            ),
            (
                "returnee_lookback_days",
                self.returnee_lookback_days,
                0,
                MAX_POLICY_DAYS,
                "days",
            ),
            (
                "pass_validity_days",
                self.pass_validity_days,
                1,
                MAX_POLICY_DAYS,
                "days",
            ),
            (
                "infectious_days_before_onset",
                self.infectious_days_before_onset,
                0,
                MAX_POLICY_DAYS,
                "days",
            ),
            (
                "foreigner_registration_hours",
                self.foreigner_registration_hours,
                1,
                MAX_POLICY_HOURS,
                "hours",
            ),
            (
                "min_overlap_seconds",
                self.min_overlap_seconds,
                1,
                MAX_POLICY_SECONDS,
                "seconds",
            ),
            (
                "cumulative_period_seconds",
                self.cumulative_period_seconds,
                1,
                MAX_POLICY_SECONDS,
                "seconds",
            ),
        ] {
            if !(min..=max).contains(&value) {
                return Err(Error::invalid(
                    field,
                    value,
                    format!("from {min} to {max} {unit}"),
                ));
            }
        }
        if self.min_overlap_seconds == 0 {
            return Err(Error::invalid(
                "min_overlap_seconds",
                0,
                "at least one second",
            ));
        }
        if self.presence_gap_seconds > MAX_PRESENCE_GAP_SECONDS {
            return Err(Error::invalid(
                "presence_gap_seconds",
                self.presence_gap_seconds,
                format!(
                    "at most {MAX_PRESENCE_GAP_SECONDS} seconds (a longer break is another visit)"
                ),
            ));
        }
        if self.cumulative_period_seconds < self.min_overlap_seconds {
            return Err(Error::invalid(
                "cumulative_period_seconds",
                self.cumulative_period_seconds,
                format!(
                    "at least min_overlap_seconds ({}), or no exposure could add up to it",
                    self.min_overlap_seconds
                ),
            ));
        }
        Ok(())
    }

    /// Minimum co-presence as a duration.
    pub fn min_overlap(&self) -> Duration {
        Duration::seconds(i64::from(self.min_overlap_seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_valid_and_cites_a_source() {
        let presets = Policy::presets();
        assert_eq!(presets.len(), PRESET_NAMES.len());
        for p in presets {
            p.validate().unwrap();
            assert!(!p.source.is_empty());
            assert_eq!(p.zone(), Zone::SHANGHAI);
        }
    }

    #[test]
    fn presets_differ_where_their_sources_do() {
        assert_eq!(
            Policy::preset("nhc-2021")
                .unwrap()
                .infectious_days_before_onset,
            4
        );
        assert_eq!(
            Policy::preset("rural-1986")
                .unwrap()
                .foreigner_registration_hours,
            72
        );
    }

    #[test]
    fn presets_judge_co_presence_as_their_sources_do() {
        let cdc = Policy::preset("cdc-2020").unwrap();
        assert_eq!(cdc.exposure_rule, ExposureRule::Cumulative);
        assert_eq!(
            (cdc.min_overlap_seconds, cdc.cumulative_period_seconds),
            (900, 86_400)
        );
        assert!(cdc.source.contains("cumulative total of 15 minutes"));
        for p in Policy::presets()
            .into_iter()
            .filter(|p| p.name != "cdc-2020")
        {
            assert_eq!(p.exposure_rule, ExposureRule::Continuous, "{}", p.name);
            assert_eq!(p.presence_gap_seconds, 300, "{}", p.name);
        }
    }

    #[test]
    fn a_policy_written_before_presences_still_reads() {
        let mut json = serde_json::to_value(Policy::default()).unwrap();
        let fields = json.as_object_mut().unwrap();
        for f in [
            "presence_gap_seconds",
            "exposure_rule",
            "cumulative_period_seconds",
        ] {
            assert!(fields.remove(f).is_some(), "{f}");
        }
        let read: Policy = serde_json::from_value(json).unwrap();
        assert_eq!(
            read,
            Policy {
                exposure_rule: ExposureRule::Pairwise,
                ..Policy::default()
            }
        );
        let json = serde_json::to_value(Policy::preset("cdc-2020").unwrap()).unwrap();
        assert_eq!(json["exposure_rule"], "cumulative");
    }

    #[test]
    fn unknown_preset_lists_the_known_ones() {
        let err = Policy::preset("nhc-2099").unwrap_err().to_string();
        assert!(
            err.contains("`nhc-2099`") && err.contains("who-2020"),
            "{err}"
        );
    }

    #[test]
    fn out_of_range_values_are_refused() {
        let p = Policy {
            min_overlap_seconds: 0,
            ..Policy::default()
        };
        assert!(p.validate().is_err());
        let at_most = Policy {
            presence_gap_seconds: MAX_PRESENCE_GAP_SECONDS,
            ..Policy::default()
        };
        at_most.validate().unwrap();
        let p = Policy {
            presence_gap_seconds: MAX_PRESENCE_GAP_SECONDS + 1,
            ..Policy::default()
        };
        assert!(p
            .validate()
            .unwrap_err()
            .to_string()
            .contains("presence_gap_seconds"));
        let p = Policy {
            cumulative_period_seconds: 899,
            ..Policy::default()
        };
        assert!(p
            .validate()
            .unwrap_err()
            .to_string()
            .contains("cumulative_period_seconds"));
        let mut json = serde_json::to_value(Policy::default()).unwrap();
        json["zone"] = serde_json::json!("Europe/Berln");
        let err = serde_json::from_value::<Policy>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("IANA time zone name"), "{err}");
    }

    #[test]
    fn policies_of_old_journals_read_their_fixed_offset() {
        let mut json = serde_json::to_value(Policy::default()).unwrap();
        let fields = json.as_object_mut().unwrap();
        fields.remove("zone");
        fields.insert("utc_offset_seconds".into(), serde_json::json!(28_800));
        let p: Policy = serde_json::from_value(json).unwrap();
        assert_eq!(p.zone(), Zone::fixed(28_800).unwrap());
        let berlin = Policy::default().in_zone(Zone::parse("Europe/Berlin").unwrap());
        assert_eq!(
            serde_json::to_value(&berlin).unwrap()["zone"],
            "Europe/Berlin"
        );
    }
}
