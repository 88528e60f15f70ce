//! Passes: county passes for residents without a smartphone, the station's
//! signing key, and the checkpoint at the highway exit.

use chrono::Duration;

use super::{by, cst, day, Story, DEMO_KEY_SEED};
use crate::book::Command;
use crate::error::Result;
use crate::ids::PersonId;
use crate::pass::{PassApplication, PassKind, StationKey};
use crate::time::{day_start, Instant};

impl Story<'_> {
    /// County passes for residents without a smartphone, February to April.
    /// Applicants still under observation are refused by the rules and apply
    /// again later; the office issues until the story's count is reached. One
    /// pass is revoked (lost and replaced).
    pub(super) fn county_passes(&mut self) -> Result<()> {
        let applicants: Vec<PersonId> = self
            .b
            .station()
            .residents
            .persons()
            .filter(|p| p.has_smartphone == Some(false))
            .map(|p| p.id.clone())
            .collect();
        let days = (day("2020-04-30") - day("2020-02-05")).num_days() + 1;
        let n = self.size.county_passes.max(1) as i64;
        let mut issued = 0i64;
        for holder in applicants {
            if issued == n {
                break;
            }
            let at = day_start(day("2020-02-05"), self.policy.zone())
                + Duration::days(issued * days / n)
                + Duration::hours(9)
                + Duration::minutes(issued % 480);
            let application = PassApplication {
                holder,
                kind: PassKind::County,
                enterprise: None,
                scope: "Yaozhuang town and county seat".into(),
            };
            match self
                .b
                .execute(by::OFFICE, at, Command::IssuePass { application })
            {
                Ok(_) => issued += 1,
                Err(crate::Error::NotEligible { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        // One pass revoked (lost and replaced).
        self.b.execute(
            by::OFFICE,
            cst("2020-03-10 10:00"),
            Command::RevokePass { serial: 1 },
        )?;

        Ok(())
    }

    /// The station's key, which the book checks tokens against, in force for
    /// every pass of the story.
    pub(super) fn station_key(&mut self) -> Result<StationKey> {
        let key = StationKey::from_seed(DEMO_KEY_SEED);
        let add_key = Command::AddStationKey {
            key: key.public(),
            valid_from: cst("2020-01-01 00:00"),
            valid_until: None,
        };
        self.b
            .execute(by::OFFICE, cst("2020-01-20 08:00"), add_key)?;
        Ok(key)
    }

    /// Checkpoint at the highway exit: valid (the card shown), tampered,
    /// forged, expired, revoked, early, and a pass shown by someone else.
    pub(super) fn checkpoint(&mut self, key: &StationKey) -> Result<()> {
        let at = cst("2020-04-20 09:00");
        let st = self.b.station();
        let passes = &st.passes;
        let recent: Vec<u64> = passes
            .passes()
            .filter(|p| p.valid_from <= at && p.valid_until > at && p.revoked_at.is_none())
            .map(|p| p.serial)
            .take(200)
            .collect();
        let sample = passes.token(recent.first().copied().unwrap_or(1), key)?;
        let forged = passes.token(
            recent.first().copied().unwrap_or(1),
            &StationKey::from_seed([7; 32]),
        )?;
        let expired = passes
            .passes()
            .find(|p| p.valid_until <= at && p.revoked_at.is_none())
            .map_or(2, |p| p.serial);
        let card = |serial: u64| {
            passes
                .pass(serial)
                .ok()
                .and_then(|p| st.residents.person(&p.holder).ok())
                .map(|p| p.document.clone())
        };
        let mut shown: Vec<(String, Instant, Option<crate::IdDocument>)> = Vec::new();
        for serial in &recent {
            shown.push((passes.token(*serial, key)?, at, card(*serial)));
        }
        for token in [
            tampered(&sample),
            forged,
            passes.token(expired, key)?,
            passes.token(1, key)?,
        ] {
            shown.push((token, at, None));
        }
        if let Some(last) = passes.passes().last().map(|p| p.serial) {
            shown.push((passes.token(last, key)?, cst("2020-02-01 09:00"), None));
        }
        if let [first, second, ..] = recent[..] {
            shown.push((passes.token(first, key)?, at, card(second)));
        }
        for (token, at, document) in shown {
            let check = Command::CheckPass {
                checkpoint: "G15 Yaozhuang exit".into(),
                token,
                document,
                public_key: None,
            };
            self.b.execute(by::CHECKPOINT, at, check)?;
        }

        Ok(())
    }
}

/// A token with a character of its serial number changed: it still reads,
/// and its signature no longer matches.
fn tampered(token: &str) -> String {
    token
        .char_indices()
        .map(|(i, c)| match (i, c) {
            (9, 'A') => 'B',
            (9, _) => 'A',
            _ => c,
        })
        .collect()
}
