//! Progress of long work told to a Python callable: `progress(stage, done,
//! total)` (see `precinct::progress`). The work runs without the GIL; each
//! report takes it for the call. A callable that raises stops being called,
//! and its exception is raised when the work ends.

use std::sync::{Arc, Mutex};

use pyo3::prelude::*;

use crate::errors::invalid;

/// Run `work` without the GIL, telling `listener` of its progress: `None`
/// or `False` for nobody, `True` for progress bars, or a callable.
pub fn detach<T: Send>(
    py: Python<'_>,
    listener: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce() -> T + Send,
) -> PyResult<T> {
    detach_sized(py, listener, None, work)
}

/// As [`detach`], the stage `size.0` of the work counting up to `size.1`
/// units the core cannot know (the bytes of a text it reads as a stream):
/// its reports carry that total, and a last one says it is done.
pub fn detach_sized<T: Send>(
    py: Python<'_>,
    listener: Option<&Bound<'_, PyAny>>,
    size: Option<(&'static str, u64)>,
    work: impl FnOnce() -> T + Send,
) -> PyResult<T> {
    let Some(given) =
        listener.filter(|l| !l.is_none() && !l.is(pyo3::types::PyBool::new(py, false)))
    else {
        return Ok(py.detach(work));
    };
    // `True`: the package's progress bars.
    let bar = if given.is(pyo3::types::PyBool::new(py, true)) {
        Some(py.import("precinct._progress")?.getattr("Bar")?.call0()?)
    } else {
        None
    };
    if bar.is_none() && !given.is_callable() {
        return Err(invalid(
            "progress",
            given
                .repr()
                .map_or_else(|_| "?".to_string(), |r| r.to_string()),
            "True, False, None or a callable progress(stage, done, total)",
        ));
    }
    let listener = bar.as_ref().unwrap_or(given).clone().unbind();
    let failed: Arc<Mutex<Option<PyErr>>> = Arc::default();
    let failure = failed.clone();
    let out = py.detach(move || {
        precinct::progress::listen(
            move |p| {
                let mut failure = failure
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if failure.is_some() {
                    return;
                }
                let total = match size {
                    Some((stage, total)) if stage == p.stage => Some(total),
                    _ => p.total,
                };
                Python::attach(|py| {
                    if let Err(e) = listener.call1(py, (p.stage, p.done, total)) {
                        *failure = Some(e);
                    }
                });
            },
            || {
                let out = work();
                if let Some((stage, total)) = size {
                    precinct::progress::tell(stage, total, Some(total));
                }
                out
            },
        )
    });
    if let Some(bar) = bar {
        bar.call_method0("close")?;
    }
    let error = failed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    match error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}
