//! The interchange files (CSV) and the chains of a list of cases.

use precinct::{Case, DailyStatus, Enterprise, Household, Person, Policy};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::book::policy_named;
use crate::convert::{read, text, to_js};
use crate::errors::ok;

/// The CSV text a writer of the core writes.
fn csv_text(write: impl FnOnce(&mut Vec<u8>) -> precinct::Result<()>) -> Result<String, JsValue> {
    let mut out = Vec::new();
    ok(write(&mut out))?;
    // The core's writers write UTF-8 only.
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Read a cases CSV (naive times in the policy's zone).
#[wasm_bindgen(js_name = readCases, unchecked_return_type = "Case[]")]
pub fn read_cases(
    #[wasm_bindgen(unchecked_param_type = "string")] csv: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Policy | null")] policy: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let policy = policy_named(policy)?;
    let cases = ok(precinct::read_cases(
        text("cases CSV", &csv)?.as_bytes(),
        &policy,
    ))?;
    to_js(&cases, policy.zone())
}

/// Read contacts named in interviews: a CSV `case_id,person_id,at,note`
/// (`at` when they met; naive times in the policy's zone).
#[wasm_bindgen(js_name = readInterviews, unchecked_return_type = "InterviewContact[]")]
pub fn read_interviews(
    #[wasm_bindgen(unchecked_param_type = "string")] csv: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Policy | null")] policy: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let policy = policy_named(policy)?;
    let contacts = ok(precinct::read_interviews(
        text("interviews CSV", &csv)?.as_bytes(),
        &policy,
    ))?;
    to_js(&contacts, policy.zone())
}

/// Write cases as a cases CSV.
#[wasm_bindgen(js_name = writeCases)]
pub fn write_cases(
    #[wasm_bindgen(unchecked_param_type = "Case[]")] cases: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Policy | null")] policy: Option<
        JsValue,
    >,
) -> Result<String, JsValue> {
    let policy = policy_named(policy)?;
    let cases: Vec<Case> = read("cases", &cases, policy.zone())?;
    csv_text(|out| precinct::write_cases(&cases, out, &policy))
}

/// Transmission chains of a list of cases: clusters, generations, serial
/// intervals and data problems.
#[wasm_bindgen(unchecked_return_type = "ChainReport")]
pub fn chains(
    #[wasm_bindgen(unchecked_param_type = "Case[]")] cases: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | Policy | null")] policy: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let zone = policy_named(policy)?.zone();
    let cases: Vec<Case> = read("cases", &cases, zone)?;
    to_js(&precinct::chains(&cases, zone), zone)
}

/// The records of a households and a persons file.
#[derive(Serialize)]
struct Residents<'a> {
    households: Vec<&'a Household>,
    persons: Vec<&'a Person>,
}

/// The records of an enterprises and a reports file.
#[derive(Serialize)]
struct Resumption<'a> {
    enterprises: Vec<&'a Enterprise>,
    reports: Vec<&'a DailyStatus>,
}

/// Read households and persons CSVs: `{households, persons}`, ready for
/// `add_household` and `register_person` commands.
#[wasm_bindgen(js_name = readResidents, unchecked_return_type = "{ households: Household[]; persons: Person[] }")]
pub fn read_residents(
    #[wasm_bindgen(unchecked_param_type = "string")] households: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] persons: JsValue,
) -> Result<JsValue, JsValue> {
    let r = ok(precinct::read_residents(
        text("households CSV", &households)?.as_bytes(),
        text("persons CSV", &persons)?.as_bytes(),
    ))?;
    let out = Residents {
        households: r.households().collect(),
        persons: r.persons().collect(),
    };
    to_js(&out, Policy::default().zone())
}

/// Read enterprises and resumption reports CSVs: `{enterprises, reports}`,
/// ready for `add_enterprise` and `file_enterprise_report` commands.
#[wasm_bindgen(js_name = readResumption, unchecked_return_type = "{ enterprises: Enterprise[]; reports: DailyStatus[] }")]
pub fn read_resumption(
    #[wasm_bindgen(unchecked_param_type = "string")] enterprises: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] reports: JsValue,
) -> Result<JsValue, JsValue> {
    let r = ok(precinct::read_resumption(
        text("enterprises CSV", &enterprises)?.as_bytes(),
        text("reports CSV", &reports)?.as_bytes(),
    ))?;
    let out = Resumption {
        enterprises: r.enterprises().collect(),
        reports: r.reports().collect(),
    };
    to_js(&out, Policy::default().zone())
}
