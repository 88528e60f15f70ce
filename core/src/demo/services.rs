//! The station's counter: a foreign national registered over a video call,
//! and the other services day by day.

use chrono::Duration;
use rand::Rng;

use super::{by, cast, cst, day, Story};
use crate::book::{Command, Outcome};
use crate::error::Result;
use crate::ids::StayId;
use crate::pass::PassKind;
use crate::registration::{Channel, ForeignStay, ServiceKind};
use crate::time::day_start;

impl Story<'_> {
    /// A foreign national registered over a video call; the paper certificate
    /// is held.
    pub(super) fn foreign_national(&mut self) -> Result<()> {
        let stay = ForeignStay {
            id: cast::FOREIGN_STAY.into(),
            name: "ANNA MARIA ERIKSSON".into(),
            nationality: "UTO".into(),
            passport_number: "L898902C3".into(),
            address: "6 Xicun Lane".into(),
            host: "李秀英".into(),
            arrival: cst("2020-02-20 10:00"),
            registered_at: None,
            channel: None,
        };
        self.b.execute(
            by::OFFICE,
            cst("2020-02-20 20:55"),
            Command::AddStay { stay },
        )?;
        let stay = StayId::from(cast::FOREIGN_STAY);
        let register = Command::RegisterStay {
            stay: stay.clone(),
            channel: Channel::Video,
        };
        self.b
            .execute(by::OFFICE, cst("2020-02-20 21:00"), register)?;
        let certify = Command::IssueCertificate { stay };
        if let Outcome::CertificateIssued { serial } = self
            .b
            .execute(by::OFFICE, cst("2020-02-20 21:30"), certify)?
            .outcome
        {
            let photo = Command::SendPhoto {
                certificate: serial,
            };
            self.b.execute(by::OFFICE, cst("2020-02-20 21:35"), photo)?;
        }
        Ok(())
    }

    /// The station's other services, day by day, with the passes issued each
    /// day.
    pub(super) fn services(&mut self) -> Result<()> {
        let issued_per_day = self.b.station().passes.issued_per_day(&self.policy);
        for d in day("2020-02-01")
            .iter_days()
            .take_while(|d| *d <= day("2020-04-30"))
        {
            let at = day_start(d, self.policy.zone()) + Duration::hours(10);
            let mut services = Vec::new();
            for (kind, channel, max) in [
                (ServiceKind::HouseholdRegistration, Channel::Window, 6),
                (ServiceKind::HouseholdRegistration, Channel::Online, 9),
                (ServiceKind::ExitEntry, Channel::Online, 4),
                (ServiceKind::ExitEntry, Channel::Video, 2),
                (ServiceKind::VehiclesAndDrivers, Channel::Window, 5),
                (ServiceKind::VehiclesAndDrivers, Channel::HomeVisit, 2),
            ] {
                services.push((kind, channel, self.rng.gen_range(0..=max)));
            }
            let passes = issued_per_day
                .range((d, PassKind::County)..=(d, PassKind::Worker))
                .map(|(_, n)| *n as u32)
                .sum::<u32>();
            services.push((ServiceKind::Passes, Channel::Window, passes));
            for (kind, channel, count) in services {
                if count > 0 {
                    let service = Command::RecordService {
                        kind,
                        channel,
                        count,
                    };
                    self.b.execute(by::OFFICE, at, service)?;
                }
            }
        }
        Ok(())
    }
}
