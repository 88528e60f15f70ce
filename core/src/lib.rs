//! precinct: temporary
pub mod error;
mod household;
mod id;
mod ids;
mod policy;
mod quarantine;
mod time;
mod tracing;

pub use error::{Error, IdError, Result};
pub use household::*;
pub use id::*;
pub use ids::*;
pub use policy::{Policy, PRESET_NAMES};
pub use quarantine::*;
pub use time::*;
pub use tracing::*;
