//! precinct: temporary
mod csv;
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

pub use crate::csv::*;
pub use error::{Error, IdError, Result};
pub use household::*;
pub use id::*;
pub use ids::*;
pub use pass::*;
pub use policy::{Policy, PRESET_NAMES};
pub use quarantine::*;
pub use registration::*;
pub use resumption::*;
pub use station::*;
pub use time::*;
pub use tracing::*;
