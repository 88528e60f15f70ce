//! precinct: temporary
mod csv;
pub mod error;
mod household;
mod id;
mod ids;
mod pass;
mod policy;
mod quarantine;
mod registration;
mod resumption;
mod time;
mod tracing;

pub use crate::csv::*;
pub use error::{Error, IdError, Result};
pub use household::*;
pub use id::*;
pub use ids::*;
pub use policy::{Policy, PRESET_NAMES};
pub use pass::*;
pub use quarantine::*;
pub use registration::*;
pub use resumption::*;
pub use time::*;
pub use tracing::*;
