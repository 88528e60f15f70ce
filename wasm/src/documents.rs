//! Identity documents, masks and pseudonyms, and the policy presets.

use precinct::{Policy, Zone};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{read, text, to_js};
use crate::errors::ok;

/// Check an identity document of `kind` (`resident_id`, `passport_mrz`,
/// `credit_code`, `mobile`) and return its canonical form; throws an
/// `InvalidIdentityDocument` saying exactly what is wrong.
#[wasm_bindgen(js_name = validateDocument)]
pub fn validate_document(
    #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] number: JsValue,
) -> Result<String, JsValue> {
    ok(precinct::validate_document(
        &text("document kind", &kind)?,
        &text("document", &number)?,
    ))
}

/// Check one field of a form as it is typed (`kind`: `person_name`,
/// `nationality`, `passport_number`, `address`, `scope`, or a document kind
/// of `validateDocument`), with the words the command gives on submit;
/// returns the value as the book keeps it, throws `InvalidValue` or
/// `InvalidIdentityDocument`.
#[wasm_bindgen(js_name = validateField)]
pub fn validate_field(
    #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
) -> Result<String, JsValue> {
    ok(precinct::validate_field(
        &text("field kind", &kind)?,
        &text("field", &value)?,
    ))
}

/// What a resident id number says.
#[derive(Serialize)]
struct ResidentIdInfo {
    number: String,
    birth_date: chrono::NaiveDate,
    sex: precinct::Sex,
    region: String,
}

/// What a resident id number says: `{number, birth_date, sex, region}`.
#[wasm_bindgen(js_name = residentId, unchecked_return_type = "ResidentIdInfo")]
pub fn resident_id(
    #[wasm_bindgen(unchecked_param_type = "string")] number: JsValue,
) -> Result<JsValue, JsValue> {
    let id = ok(precinct::ResidentId::parse(&text("resident id", &number)?).map_err(Into::into))?;
    let info = ResidentIdInfo {
        number: id.as_str().to_string(),
        birth_date: id.birth_date(),
        sex: id.sex(),
        region: id.region_code().to_string(),
    };
    to_js(&info, Zone::UTC)
}

/// A name masked for display (`王**`).
#[wasm_bindgen(js_name = maskName)]
pub fn mask_name(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<String, JsValue> {
    Ok(precinct::mask_name(&text("name", &name)?))
}

/// An identity number masked for display.
#[wasm_bindgen(js_name = maskIdNumber)]
pub fn mask_id_number(
    #[wasm_bindgen(unchecked_param_type = "string")] number: JsValue,
) -> Result<String, JsValue> {
    Ok(precinct::mask_id_number(&text("number", &number)?))
}

/// A mobile number masked for display.
#[wasm_bindgen(js_name = maskPhone)]
pub fn mask_phone(
    #[wasm_bindgen(unchecked_param_type = "string")] phone: JsValue,
) -> Result<String, JsValue> {
    Ok(precinct::mask_phone(&text("phone", &phone)?))
}

/// A keyed pseudonym of `value` (the key as text, its UTF-8 bytes, or bytes).
#[wasm_bindgen]
pub fn pseudonym(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] key: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
) -> Result<String, JsValue> {
    let key: Vec<u8> = match key.as_string() {
        Some(text) => text.into_bytes(),
        None => read("key", &key, Zone::UTC)?,
    };
    Ok(precinct::pseudonym(&key, &text("value", &value)?))
}

/// The names of the policy presets.
#[wasm_bindgen(js_name = presetNames)]
pub fn preset_names() -> Vec<String> {
    precinct::PRESET_NAMES
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// A policy preset: its rules, source and effective date.
#[wasm_bindgen(unchecked_return_type = "Policy")]
pub fn policy(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<JsValue, JsValue> {
    let policy = ok(Policy::preset(&text("policy", &name)?))?;
    to_js(&policy, policy.zone())
}

/// One entry of [`precinct::FACADE`] with its JavaScript name.
#[derive(Serialize)]
struct Offered {
    on: &'static str,
    name: &'static str,
    js_name: String,
    in_javascript: bool,
    summary: &'static str,
}

/// Everything the facade offers besides the queries (`Book.queryNames()`),
/// with where it lives, its JavaScript name and whether this package has it
/// (the journal files of `Book.create` and `Book.open` need a file system),
/// for parity tests.
#[wasm_bindgen(unchecked_return_type = "FacadeEntry[]")]
pub fn facade() -> Result<JsValue, JsValue> {
    let list: Vec<Offered> = precinct::FACADE
        .iter()
        .map(|m| Offered {
            on: m.on,
            name: m.name,
            js_name: m.js_name(),
            in_javascript: m.in_javascript(),
            summary: m.summary,
        })
        .collect();
    to_js(&list, Zone::UTC)
}
