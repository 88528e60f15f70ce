#![doc = include_str!("../../README.md")]
//!
//! # Crate map
//!
//! One module per area, re-exported flat: identity documents ([`ResidentId`],
//! [`PassportMrz`], [`CreditCode`], [`MobileNumber`]), the [`Policy`], households
//! ([`Residents`]), isolation ([`Quarantine`]), tracing ([`Visits`],
//! [`close_contacts`], [`chains`]), passes ([`PassOffice`], [`verify_token`]),
//! registrations ([`Registrations`]), resumption ([`Resumption`]), CSV
//! ([`read_visits`] and friends), the [`Station`] with its report, the record
//! book ([`Book`], its [`Command`]s and journal), and the `demo` town
//! (behind the `demo` feature).

mod book;
mod csv;
#[cfg(feature = "demo")]
pub mod demo;
pub mod error;
mod household;
mod id;
mod ids;
mod pass;
mod policy;
mod quarantine;
mod registration;
mod resumption;
mod station;
mod time;
mod tracing;

pub use crate::book::*;
pub use crate::csv::*;
pub use error::{Error, IdError, Result};
pub use household::*;
pub use id::*;
pub use ids::*;
pub use pass::*;
pub use policy::{
    ExposureRule, Policy, MAX_POLICY_DAYS, MAX_POLICY_HOURS, MAX_POLICY_SECONDS,
    MAX_PRESENCE_GAP_SECONDS, PRESET_NAMES,
};
pub use quarantine::*;
pub use registration::*;
pub use resumption::*;
pub use station::*;
pub use time::*;
pub use tracing::*;
