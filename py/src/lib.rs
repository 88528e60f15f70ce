//! The compiled module `precinct._precinct`. It only converts between
//! Python and the core's facade: every rule lives in the `precinct` crate.
//! `errors.rs` maps the core's error, `convert.rs` converts values by type;
//! one file per area holds its functions and classes. The public
//! `precinct.Book` (`python/precinct/_book.py`) adds one method per query.

// PyO3 hands arguments over by value (arrays, lists); that is its idiom.
#![allow(clippy::needless_pass_by_value)]

mod book;
mod convert;
mod devices;
mod documents;
mod errors;
mod files;
mod frame;
mod passes;
mod progress;
mod visits;

use pyo3::prelude::*;

/// The compiled part of the `precinct` package.
#[pymodule]
fn _precinct(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<visits::Visits>()?;
    m.add_class::<book::Book>()?;
    m.add_class::<devices::DeviceBook>()?;
    m.add_class::<devices::CheckpointChain>()?;
    m.add_class::<passes::StationKey>()?;
    m.add_function(wrap_pyfunction!(documents::policy, m)?)?;
    m.add_function(wrap_pyfunction!(documents::preset_names, m)?)?;
    m.add_function(wrap_pyfunction!(documents::validate_document, m)?)?;
    m.add_function(wrap_pyfunction!(documents::validate_field, m)?)?;
    m.add_function(wrap_pyfunction!(documents::resident_id, m)?)?;
    m.add_function(wrap_pyfunction!(documents::mask_id_number, m)?)?;
    m.add_function(wrap_pyfunction!(documents::mask_phone, m)?)?;
    m.add_function(wrap_pyfunction!(documents::mask_name, m)?)?;
    m.add_function(wrap_pyfunction!(documents::pseudonym, m)?)?;
    m.add_function(wrap_pyfunction!(documents::facade, m)?)?;
    m.add_function(wrap_pyfunction!(documents::query_names, m)?)?;
    m.add_function(wrap_pyfunction!(passes::verify_token, m)?)?;
    m.add_function(wrap_pyfunction!(visits::trace_columns, m)?)?;
    m.add_function(wrap_pyfunction!(files::read_cases, m)?)?;
    m.add_function(wrap_pyfunction!(files::read_interviews, m)?)?;
    m.add_function(wrap_pyfunction!(frame::arrow_stream, m)?)?;
    m.add_function(wrap_pyfunction!(files::write_cases, m)?)?;
    m.add_function(wrap_pyfunction!(files::chains, m)?)?;
    m.add_function(wrap_pyfunction!(files::read_residents, m)?)?;
    m.add_function(wrap_pyfunction!(files::read_resumption, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
