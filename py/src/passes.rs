//! Station keys and the offline check of a pass token.

use pyo3::prelude::*;

use crate::convert::{answer, instant, policy as read_policy};
use crate::errors::{invalid, ok};

/// A station's signing key (keep the seed secret).
#[pyclass(module = "precinct", frozen)]
pub struct StationKey {
    pub(crate) inner: precinct::StationKey,
}

#[pymethods]
impl StationKey {
    /// The key from a 32-byte secret seed.
    #[new]
    fn new(seed: &[u8]) -> PyResult<StationKey> {
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| invalid("key seed", format!("{} bytes", seed.len()), "32 bytes"))?;
        Ok(StationKey {
            inner: precinct::StationKey::from_seed(seed),
        })
    }

    /// The public key checkpoints hold (43 characters of base64url).
    #[getter]
    fn public_key(&self) -> String {
        self.inner.public().to_string()
    }

    /// The secret key of holder digests checkpoints hold to check the
    /// identity card shown (43 characters of base64url; it cannot sign).
    #[getter]
    fn holder_key(&self) -> String {
        self.inner.holder_key().to_string()
    }

    fn __repr__(&self) -> String {
        format!("StationKey(public_key='{}')", self.inner.public())
    }
}

/// Verify a pass token offline: a dict with `allowed`, `reason`, `claims`
/// and, when a `document` was checked, `holder`. A naive `at` is read in
/// the policy's zone, and times come back in it.
#[pyfunction]
#[pyo3(signature = (token, public_key, *, at, revoked = Vec::new(), document = None, nationality = None, holder_key = None, policy = None))]
#[expect(
    clippy::too_many_arguments,
    reason = "keyword-only options of one Python function"
)]
pub fn verify_token<'py>(
    py: Python<'py>,
    token: &str,
    public_key: &str,
    at: &Bound<'py, PyAny>,
    revoked: Vec<u64>,
    document: Option<&str>,
    nationality: Option<&str>,
    holder_key: Option<&str>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let zone = read_policy(policy)?.zone();
    let key = ok(precinct::PublicKey::parse(public_key))?;
    let list = precinct::RevocationList {
        serials: revoked.into_iter().collect(),
    };
    let at = instant("at", at, zone)?;
    let shown = ok(document
        .map(|d| precinct::ShownDocument::parse(d, nationality, holder_key))
        .transpose())?;
    answer(
        py,
        &precinct::verify_token(token, &key, &list, at, shown.as_ref()),
        zone,
    )
}
