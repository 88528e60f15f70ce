//! Registrations and services: foreign nationals' accommodation registration
//! within the policy's deadline, certificates and the custody of their paper
//! copies, and the station's service ledger.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::StayId;
use crate::policy::Policy;
use crate::time::{local_day, render_instant, Instant};

/// How a service was delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At the station's window.
    Window,
    /// On a home visit (上门).
    HomeVisit,
    /// Online (互联网申报).
    Online,
    /// Over a video call.
    Video,
}

/// Kinds of service the station counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// Household registration (户籍).
    HouseholdRegistration,
    /// Exit and entry (出入境).
    ExitEntry,
    /// Vehicles and drivers (车驾管).
    VehiclesAndDrivers,
    /// Foreign nationals' accommodation registration.
    ForeignerRegistration,
    /// Movement passes.
    Passes,
}

/// A foreign national's stay outside a hotel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct ForeignStay {
    /// The stay's id.
    pub id: StayId,
    /// Full name as in the passport.
    pub name: String,
    /// Nationality (ICAO code).
    pub nationality: String,
    /// Passport number.
    pub passport_number: String,
    /// Where they stay.
    pub address: String,
    /// Who hosts them.
    pub host: String,
    /// Arrival at the address.
    #[serde(with = "crate::time::given")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub arrival: Instant,
    /// When the stay was registered, once it is.
    #[serde(default, with = "crate::time::given::option")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional = nullable))]
    pub registered_at: Option<Instant>,
    /// How it was registered.
    pub channel: Option<Channel>,
}

/// Where a certificate's paper copy is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case", tag = "custody")]
pub enum Paper {
    /// Held at the station.
    Held,
    /// Handed over.
    Delivered {
        /// To whom.
        to: String,
        /// When.
        at: Instant,
    },
}

/// A registration certificate (凭证).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Certificate {
    /// Serial number.
    pub serial: u32,
    /// The stay it certifies.
    pub stay: StayId,
    /// When it was issued.
    pub issued_at: Instant,
    /// When a photo of it was sent to the holder.
    pub photo_sent_at: Option<Instant>,
    /// Where the paper copy is.
    pub paper: Paper,
}

/// One service delivered (or a count of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceEntry {
    /// What kind.
    pub kind: ServiceKind,
    /// How.
    pub channel: Channel,
    /// When.
    pub at: Instant,
    /// How many (1 for a single service).
    pub count: u32,
}

/// The registry of foreign nationals' stays, certificates and the service ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registrations {
    stays: BTreeMap<StayId, ForeignStay>,
    certificates: BTreeMap<u32, Certificate>,
    ledger: Vec<ServiceEntry>,
}

impl Registrations {
    /// Record a stay (registered or not yet).
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a known id; [`Error::InvalidValue`] for an
    /// empty passport number or a registration before arrival (times in the
    /// message are in the policy's zone).
    pub fn add_stay(&mut self, stay: ForeignStay, policy: &Policy) -> Result<()> {
        if self.stays.contains_key(&stay.id) {
            return Err(Error::Duplicate {
                what: "stay",
                key: stay.id.to_string(),
                existing: "a stay".into(),
            });
        }
        if stay.passport_number.trim().is_empty() {
            return Err(Error::invalid(
                "passport number",
                "",
                "the number printed in the passport",
            ));
        }
        if let Some(r) = stay.registered_at.filter(|r| *r < stay.arrival) {
            return Err(Error::invalid(
                "registration time",
                render_instant(r, policy.zone()),
                format!(
                    "a time after arrival at {}",
                    render_instant(stay.arrival, policy.zone())
                ),
            ));
        }
        if let (Some(at), Some(channel)) = (stay.registered_at, stay.channel) {
            self.ledger.push(ServiceEntry {
                kind: ServiceKind::ForeignerRegistration,
                channel,
                at,
                count: 1,
            });
        }
        self.stays.insert(stay.id.clone(), stay);
        Ok(())
    }

    /// Register a recorded stay.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::InvalidTransition`] when registered
    /// already or `at` is before arrival (times in the message are in the
    /// policy's zone).
    pub fn register(
        &mut self,
        id: &StayId,
        at: Instant,
        channel: Channel,
        policy: &Policy,
    ) -> Result<()> {
        let zone = policy.zone();
        let s = self
            .stays
            .get_mut(id)
            .ok_or_else(|| Error::not_found("stay", id))?;
        let refuse = |reason: String| Error::InvalidTransition {
            what: "stay",
            id: id.to_string(),
            action: "register",
            reason,
        };
        if let Some(r) = s.registered_at {
            return Err(refuse(format!(
                "registered already at {}",
                render_instant(r, zone)
            )));
        }
        if at < s.arrival {
            return Err(refuse(format!(
                "`{}` is before arrival at {}",
                render_instant(at, zone),
                render_instant(s.arrival, zone)
            )));
        }
        s.registered_at = Some(at);
        s.channel = Some(channel);
        self.ledger.push(ServiceEntry {
            kind: ServiceKind::ForeignerRegistration,
            channel,
            at,
            count: 1,
        });
        Ok(())
    }

    /// A stay by id.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn stay(&self, id: &StayId) -> Result<&ForeignStay> {
        self.stays
            .get(id)
            .ok_or_else(|| Error::not_found("stay", id))
    }

    /// Every stay, by id.
    pub fn stays(&self) -> impl Iterator<Item = &ForeignStay> {
        self.stays.values()
    }

    /// The registration deadline of a stay under the policy.
    pub fn deadline(stay: &ForeignStay, policy: &Policy) -> Instant {
        stay.arrival + Duration::hours(i64::from(policy.foreigner_registration_hours))
    }

    /// Stays not registered although their deadline has passed at `as_of`.
    pub fn overdue(&self, as_of: Instant, policy: &Policy) -> Vec<&ForeignStay> {
        self.stays
            .values()
            .filter(|s| s.registered_at.is_none() && Self::deadline(s, policy) < as_of)
            .collect()
    }

    /// Stays registered after their deadline.
    pub fn registered_late(&self, policy: &Policy) -> Vec<&ForeignStay> {
        self.stays
            .values()
            .filter(|s| {
                s.registered_at
                    .is_some_and(|r| r > Self::deadline(s, policy))
            })
            .collect()
    }

    /// Issue the certificate of a registered stay; its paper copy is held at
    /// the station until delivered.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::InvalidTransition`] when the stay is not
    /// registered or already has a certificate.
    pub fn issue_certificate(&mut self, stay: &StayId, at: Instant) -> Result<&Certificate> {
        self.issue_certificate_from(stay, at, &(1..u32::MAX))
    }

    /// [`Registrations::issue_certificate`] with the serial taken from
    /// `serials` (the next after the highest issued in it): a device issues
    /// from its own block so that serials issued offline never collide.
    pub(crate) fn issue_certificate_from(
        &mut self,
        stay: &StayId,
        at: Instant,
        serials: &std::ops::Range<u32>,
    ) -> Result<&Certificate> {
        let s = self.stay(stay)?;
        let refuse = |reason: String| Error::InvalidTransition {
            what: "stay",
            id: stay.to_string(),
            action: "certify",
            reason,
        };
        if s.registered_at.is_none() {
            return Err(refuse("it is not registered yet".into()));
        }
        if let Some(c) = self.certificates.values().find(|c| &c.stay == stay) {
            return Err(refuse(format!(
                "certificate {} was issued already",
                c.serial
            )));
        }
        let serial = crate::pass::next_in(&self.certificates, serials, "certificate")?;
        let cert = Certificate {
            serial,
            stay: stay.clone(),
            issued_at: at,
            photo_sent_at: None,
            paper: Paper::Held,
        };
        Ok(self.certificates.entry(serial).or_insert(cert))
    }

    /// The certificate with this serial.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown serial.
    pub fn certificate(&self, serial: u32) -> Result<&Certificate> {
        self.certificates
            .get(&serial)
            .ok_or_else(|| Error::not_found("certificate", serial))
    }

    fn certificate_mut(&mut self, serial: u32) -> Result<&mut Certificate> {
        self.certificates
            .get_mut(&serial)
            .ok_or_else(|| Error::not_found("certificate", serial))
    }

    /// Record that a photo of the certificate was sent to the holder.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown serial.
    pub fn send_photo(&mut self, serial: u32, at: Instant) -> Result<()> {
        self.certificate_mut(serial)?.photo_sent_at = Some(at);
        Ok(())
    }

    /// Hand the paper copy over.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::InvalidTransition`] when delivered already
    /// or `at` is before issuance (times in the message are in the policy's
    /// zone).
    pub fn deliver_paper(
        &mut self,
        serial: u32,
        to: &str,
        at: Instant,
        policy: &Policy,
    ) -> Result<()> {
        let zone = policy.zone();
        let c = self.certificate_mut(serial)?;
        let refuse = |reason: String| Error::InvalidTransition {
            what: "certificate",
            id: serial.to_string(),
            action: "deliver",
            reason,
        };
        if let Paper::Delivered { to, at } = &c.paper {
            return Err(refuse(format!(
                "delivered already to {to} at {}",
                render_instant(*at, zone)
            )));
        }
        if at < c.issued_at {
            return Err(refuse(format!(
                "`{}` is before issuance at {}",
                render_instant(at, zone),
                render_instant(c.issued_at, zone)
            )));
        }
        c.paper = Paper::Delivered {
            to: to.to_string(),
            at,
        };
        Ok(())
    }

    /// Every certificate, by serial.
    pub fn certificates(&self) -> impl Iterator<Item = &Certificate> {
        self.certificates.values()
    }

    /// Certificates whose paper copy is still held at the station.
    pub fn papers_held(&self) -> Vec<&Certificate> {
        self.certificates
            .values()
            .filter(|c| c.paper == Paper::Held)
            .collect()
    }

    /// Record services delivered.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a count of zero.
    pub fn record_service(
        &mut self,
        kind: ServiceKind,
        channel: Channel,
        at: Instant,
        count: u32,
    ) -> Result<()> {
        if count == 0 {
            return Err(Error::invalid("service count", 0, "at least 1"));
        }
        self.ledger.push(ServiceEntry {
            kind,
            channel,
            at,
            count,
        });
        Ok(())
    }

    /// The ledger, in order.
    pub fn ledger(&self) -> &[ServiceEntry] {
        &self.ledger
    }

    /// Services by kind and channel for the days `from` to `to` inclusive (policy zone).
    ///
    /// Sums are `u64`: each entry holds up to `u32::MAX` services, and a
    /// ledger would need 2^32 entries (over 100 GB) before a sum could wrap.
    pub fn service_counts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        policy: &Policy,
    ) -> BTreeMap<(ServiceKind, Channel), u64> {
        let mut out = BTreeMap::new();
        for e in &self.ledger {
            let day = local_day(e.at, policy.zone());
            if from <= day && day <= to {
                *out.entry((e.kind, e.channel)).or_default() += u64::from(e.count);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_instant;

    fn t(s: &str) -> Instant {
        parse_instant(s, Policy::default().zone()).unwrap()
    }

    fn stay(id: &str, arrival: &str) -> ForeignStay {
        ForeignStay {
            id: id.into(),
            name: "ANNA ERIKSSON".into(),
            nationality: "SWE".into(),
            passport_number: "L898902C3".into(),
            address: "3 West Lane".into(),
            host: "Li Si".into(),
            arrival: t(arrival),
            registered_at: None,
            channel: None,
        }
    }

    #[test]
    fn deadlines_overdue_and_late() {
        let p = Policy::default();
        let mut r = Registrations::default();
        r.add_stay(stay("S1", "2020-02-20 10:00"), &p).unwrap();
        r.add_stay(stay("S2", "2020-02-20 10:00"), &p).unwrap();
        assert!(r.add_stay(stay("S1", "2020-02-20 10:00"), &p).is_err());
        assert!(r.overdue(t("2020-02-21 10:00"), &p).is_empty());
        assert_eq!(r.overdue(t("2020-02-21 10:01"), &p).len(), 2);
        assert_eq!(
            r.overdue(
                t("2020-02-21 10:01"),
                &Policy::preset("rural-1986").unwrap()
            )
            .len(),
            0
        );
        r.register(&"S1".into(), t("2020-02-20 21:00"), Channel::Video, &p)
            .unwrap();
        r.register(&"S2".into(), t("2020-02-22 09:00"), Channel::Window, &p)
            .unwrap();
        assert!(r
            .register(&"S2".into(), t("2020-02-22 09:00"), Channel::Window, &p)
            .is_err());
        assert_eq!(r.registered_late(&p).len(), 1);
        let counts = r.service_counts(
            "2020-02-20".parse().unwrap(),
            "2020-02-22".parse().unwrap(),
            &p,
        );
        assert_eq!(
            counts[&(ServiceKind::ForeignerRegistration, Channel::Video)],
            1
        );
    }

    #[test]
    fn service_counts_near_u32_max_sum_without_wrapping() {
        let p = Policy::default();
        let mut r = Registrations::default();
        let kind = ServiceKind::ExitEntry;
        for day in ["2020-02-20 10:00", "2020-02-21 10:00", "2020-02-21 11:00"] {
            r.record_service(kind, Channel::Window, t(day), u32::MAX)
                .unwrap();
        }
        r.record_service(kind, Channel::Video, t("2020-02-21 12:00"), u32::MAX - 1)
            .unwrap();
        let counts = r.service_counts(
            "2020-02-20".parse().unwrap(),
            "2020-02-21".parse().unwrap(),
            &p,
        );
        assert_eq!(counts[&(kind, Channel::Window)], 3 * u64::from(u32::MAX));
        assert_eq!(counts[&(kind, Channel::Video)], u64::from(u32::MAX) - 1);
    }

    #[test]
    fn certificates_and_their_paper_copies() {
        let p = Policy::default();
        let mut r = Registrations::default();
        r.add_stay(stay("S1", "2020-02-20 10:00"), &p).unwrap();
        assert!(r
            .issue_certificate(&"S1".into(), t("2020-02-20 21:00"))
            .unwrap_err()
            .to_string()
            .contains("not registered"));
        r.register(&"S1".into(), t("2020-02-20 21:00"), Channel::Video, &p)
            .unwrap();
        let serial = r
            .issue_certificate(&"S1".into(), t("2020-02-20 21:30"))
            .unwrap()
            .serial;
        assert!(r
            .issue_certificate(&"S1".into(), t("2020-02-20 21:30"))
            .is_err());
        r.send_photo(serial, t("2020-02-20 21:35")).unwrap();
        assert_eq!(r.papers_held().len(), 1);
        assert!(r
            .deliver_paper(serial, "Li Si", t("2020-02-20 00:00"), &p)
            .is_err());
        r.deliver_paper(serial, "Li Si", t("2020-03-20 10:00"), &p)
            .unwrap();
        assert!(r
            .deliver_paper(serial, "Li Si", t("2020-03-21 10:00"), &p)
            .is_err());
        assert!(r.papers_held().is_empty());
        assert!(r
            .record_service(
                ServiceKind::ExitEntry,
                Channel::Online,
                t("2020-03-01 10:00"),
                0
            )
            .is_err());
    }

    #[test]
    fn refusals_name_their_times_in_the_policy_zone() {
        let p = Policy::default().in_zone("Europe/Berlin".parse().unwrap());
        let b = |s: &str| parse_instant(s, p.zone()).unwrap();
        let mut r = Registrations::default();
        let mut early = stay("S0", "2020-01-01 00:00");
        early.arrival = b("2020-07-01 10:00");
        early.registered_at = Some(b("2020-07-01 09:00"));
        assert_eq!(
            r.add_stay(early, &p).unwrap_err().to_string(),
            "registration time `2020-07-01T09:00:00+02:00` is invalid, expected a time after \
             arrival at 2020-07-01T10:00:00+02:00"
        );
        let mut s1 = stay("S1", "2020-01-01 00:00");
        s1.arrival = b("2020-12-01 10:00");
        r.add_stay(s1, &p).unwrap();
        assert_eq!(
            r.register(&"S1".into(), b("2020-12-01 09:00"), Channel::Window, &p)
                .unwrap_err()
                .to_string(),
            "cannot register stay `S1`: `2020-12-01T09:00:00+01:00` is before arrival at \
             2020-12-01T10:00:00+01:00"
        );
        r.register(&"S1".into(), b("2020-12-01 11:00"), Channel::Window, &p)
            .unwrap();
        assert_eq!(
            r.register(&"S1".into(), b("2020-12-01 12:00"), Channel::Window, &p)
                .unwrap_err()
                .to_string(),
            "cannot register stay `S1`: registered already at 2020-12-01T11:00:00+01:00"
        );
        let serial = r
            .issue_certificate(&"S1".into(), b("2020-12-01 11:30"))
            .unwrap()
            .serial;
        assert_eq!(
            r.deliver_paper(serial, "Li Si", b("2020-12-01 11:00"), &p)
                .unwrap_err()
                .to_string(),
            "cannot deliver certificate `1`: `2020-12-01T11:00:00+01:00` is before issuance at \
             2020-12-01T11:30:00+01:00"
        );
        r.deliver_paper(serial, "Li Si", b("2020-12-02 10:00"), &p)
            .unwrap();
        assert_eq!(
            r.deliver_paper(serial, "Li Si", b("2020-12-03 10:00"), &p)
                .unwrap_err()
                .to_string(),
            "cannot deliver certificate `1`: delivered already to Li Si at \
             2020-12-02T10:00:00+01:00"
        );
    }
}
