//! precinct: temporary
pub mod error;
mod id;
mod policy;
mod time;

pub use error::{Error, IdError, Result};
pub use id::*;
pub use policy::{Policy, PRESET_NAMES};
pub use time::*;
