//! Passes: the station's signing key and the offline check of a token.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use precinct::{Policy, RevocationList, ShownDocument, Zone};
use wasm_bindgen::prelude::*;

use crate::convert::{moment, read, text, to_js, to_json};
use crate::errors::{invalid, ok};

/// A station's signing key, for the station's console (keep the seed secret).
#[wasm_bindgen]
pub struct StationKey {
    inner: precinct::StationKey,
    /// Its number in [`KEYS`].
    handle: u32,
}

// wasm-bindgen's own check of a `&StationKey` argument throws an `Error`
// without a `code`, and taking the key from a `JsValue` would take it away
// from its JS object. So each live key is also kept here under its handle,
// and `Book.token` finds it from a JS value whose prototype is
// `StationKey.prototype`.
thread_local! {
    static KEYS: RefCell<BTreeMap<u32, precinct::StationKey>> = const { RefCell::new(BTreeMap::new()) };
    static NEXT_HANDLE: Cell<u32> = const { Cell::new(1) };
    static KEY_PROTOTYPE: js_sys::Object = js_sys::Object::get_prototype_of(
        // Handle 0 is never registered: this key only shows the prototype.
        &JsValue::from(StationKey { inner: precinct::StationKey::from_seed([0; 32]), handle: 0 }),
    );
}

impl Drop for StationKey {
    fn drop(&mut self) {
        KEYS.with_borrow_mut(|keys| keys.remove(&self.handle));
    }
}

/// The live station key a JS value is, or `InvalidValue`.
/// The signed token of pass `serial` of `station`, with the `StationKey`
/// `key`: what `Book.token` and `DeviceBook.token` give.
pub(crate) fn token(
    station: &precinct::Station,
    serial: &JsValue,
    key: &JsValue,
) -> Result<String, JsValue> {
    let serial: u64 = crate::convert::read("serial", serial, station.policy().zone())?;
    crate::errors::ok(station.passes().token(serial, &station_key(key)?))
}

pub(crate) fn station_key(value: &JsValue) -> Result<precinct::StationKey, JsValue> {
    let not_a_key = || {
        invalid(
            "key",
            "a value that is not a live StationKey",
            "a StationKey",
        )
    };
    let is_key = KEY_PROTOTYPE
        .with(|proto| value.is_object() && js_sys::Object::get_prototype_of(value) == *proto);
    // The getter throws for a key already freed.
    let handle = js_sys::Reflect::get(value, &"keyHandle".into())
        .ok()
        .filter(|_| is_key)
        .and_then(|h| h.as_f64())
        .ok_or_else(not_a_key)?;
    KEYS.with_borrow(|keys| keys.get(&(handle as u32)).cloned())
        .ok_or_else(not_a_key)
}

#[wasm_bindgen]
impl StationKey {
    /// The key from a 32-byte secret seed.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] seed: JsValue,
    ) -> Result<StationKey, JsValue> {
        let seed: [u8; 32] = read("key seed", &seed, Zone::UTC)?;
        let inner = precinct::StationKey::from_seed(seed);
        let handle = NEXT_HANDLE.get();
        NEXT_HANDLE.set(handle.wrapping_add(1).max(1));
        KEYS.with_borrow_mut(|keys| keys.insert(handle, inner.clone()));
        Ok(StationKey { inner, handle })
    }

    /// Which live key this is, for `Book.token` (not part of the API).
    #[wasm_bindgen(getter, js_name = keyHandle, skip_typescript)]
    pub fn key_handle(&self) -> u32 {
        self.handle
    }

    /// The public key checkpoints hold (43 characters of base64url).
    #[wasm_bindgen(getter, js_name = publicKey)]
    pub fn public_key(&self) -> String {
        self.inner.public().to_string()
    }

    /// The secret key of holder digests checkpoints hold to check the
    /// identity card shown (43 characters of base64url; it cannot sign).
    #[wasm_bindgen(getter, js_name = holderKey)]
    pub fn holder_key(&self) -> String {
        self.inner.holder_key().to_string()
    }
}

/// Verify a pass token offline with the station's public key and the
/// revocation list last downloaded; with the number of the identity
/// document the holder shows (and its nationality for a passport) and the
/// station's holder key, also check the pass was issued to that document.
/// Naive times are read in the default policy's zone.
#[wasm_bindgen(js_name = verifyToken, unchecked_return_type = "Verdict")]
pub fn verify_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(js_name = publicKey, unchecked_param_type = "string")] public_key: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Moment")] at: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "number[] | Float64Array | null")]
    revoked: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] document: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] nationality: Option<JsValue>,
    #[wasm_bindgen(js_name = holderKey, unchecked_optional_param_type = "string | null")]
    holder_key: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let zone = Policy::default().zone();
    let optional =
        |what, v: Option<JsValue>| read::<Option<String>>(what, &v.unwrap_or_default(), zone);
    let key = ok(precinct::PublicKey::parse(&text(
        "public key",
        &public_key,
    )?))?;
    let at = moment("at", &to_json("at", &at)?, zone)?;
    let serials: Option<_> = read("revoked", &revoked.unwrap_or_default(), zone)?;
    let list = RevocationList {
        serials: serials.unwrap_or_default(),
    };
    let (nationality, holder_key) = (
        optional("nationality", nationality)?,
        optional("holder key", holder_key)?,
    );
    let shown = optional("document", document)?
        .map(|d| ShownDocument::parse(&d, nationality.as_deref(), holder_key.as_deref()))
        .transpose();
    let verdict = precinct::verify_token(
        &text("token", &token)?,
        &key,
        &list,
        at,
        ok(shown)?.as_ref(),
    );
    to_js(&verdict, zone)
}
