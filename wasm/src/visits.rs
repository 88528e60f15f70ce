//! `Visits`: venue check-ins indexed for co-presence queries, under the
//! policy they were built with (its zone for naive times, its minimum
//! overlap when a request gives none: [`TraceRequest`], [`DayGraphRequest`]).

use precinct::{DayGraphRequest, Instant, Policy, TraceRequest};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::book::policy_named;
use crate::convert::{read, text, to_js};
use crate::errors::ok;

/// Visits indexed for co-presence queries.
#[wasm_bindgen]
pub struct Visits {
    inner: precinct::Visits,
    policy: Policy,
}

/// A contact found by a trace, by id.
#[derive(Serialize)]
struct VisitContact<'a> {
    person_id: &'a str,
    total_overlap: i64,
    first_contact: Instant,
}

/// The co-presence graph of a day, persons by id.
#[derive(Serialize)]
struct CoPresence<'a> {
    edges: usize,
    max_degree: usize,
    max_degree_person: Option<&'a str>,
    persons_with_edge: usize,
    edge_list: Option<Vec<(&'a str, &'a str)>>,
}

impl Visits {
    pub(crate) fn new(inner: precinct::Visits, policy: Policy) -> Visits {
        Visits { inner, policy }
    }

    fn id(&self, person: u32) -> &str {
        self.inner.persons().name(person)
    }

    fn request(&self, request: &JsValue) -> Result<TraceRequest, JsValue> {
        read("trace", request, self.policy.zone())
    }
}

#[wasm_bindgen]
impl Visits {
    /// Index visit columns: person and place ids, start and end in Unix
    /// seconds; under a policy preset (the core's default when omitted).
    #[wasm_bindgen(js_name = fromColumns)]
    pub fn from_columns(
        #[wasm_bindgen(unchecked_param_type = "string[]")] person: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] place: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] end: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | Policy | null")] policy: Option<
            JsValue,
        >,
    ) -> Result<Visits, JsValue> {
        let policy = policy_named(policy)?;
        let zone = policy.zone();
        let (person, place): (Vec<String>, Vec<String>) =
            (read("person", &person, zone)?, read("place", &place, zone)?);
        let (start, end): (Vec<i64>, Vec<i64>) =
            (read("start", &start, zone)?, read("end", &end, zone)?);
        let inner = ok(precinct::Visits::from_columns(
            &person, &place, &start, &end,
        ))?;
        Ok(Visits::new(inner, policy))
    }

    /// Read visits from CSV text (`person_id,place_id,start,end`), naive
    /// times in the policy's zone.
    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(
        #[wasm_bindgen(unchecked_param_type = "string")] csv: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | Policy | null")] policy: Option<
            JsValue,
        >,
    ) -> Result<Visits, JsValue> {
        let policy = policy_named(policy)?;
        let inner = ok(precinct::read_visits(
            text("visits CSV", &csv)?.as_bytes(),
            &policy,
        ))?;
        Ok(Visits::new(inner, policy))
    }

    /// The visits as CSV text, times in the policy's zone.
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self) -> Result<String, JsValue> {
        let mut out = Vec::new();
        ok(precinct::write_visits(&self.inner, &mut out, &self.policy))?;
        // The core's writers write UTF-8 only.
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// Number of visits.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// Who shared a place with `person` in `[start, end)`: each contact's
    /// total overlap (seconds) and first contact.
    #[wasm_bindgen(unchecked_return_type = "VisitContact[]")]
    pub fn trace(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TraceRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let r = self.request(&request)?;
        let rows = precinct::trace(
            &self.inner,
            &r.person,
            ok(r.window())?,
            ok(r.min_overlap(&self.policy))?,
        );
        let contacts = rows
            .iter()
            .map(|row| {
                let first_contact = ok(precinct::instant_from_unix(
                    "first contact",
                    row.first_contact,
                ))?;
                Ok(VisitContact {
                    person_id: self.id(row.person),
                    total_overlap: row.total_overlap,
                    first_contact,
                })
            })
            .collect::<Result<Vec<_>, JsValue>>()?;
        to_js(&contacts, self.policy.zone())
    }

    /// The contacts of `person`'s contacts in `[start, end)`: ids, sorted.
    #[wasm_bindgen(js_name = secondRing)]
    pub fn second_ring(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TraceRequest")] request: JsValue,
    ) -> Result<Vec<String>, JsValue> {
        let r = self.request(&request)?;
        let ring = precinct::second_ring(
            &self.inner,
            &r.person,
            ok(r.window())?,
            ok(r.min_overlap(&self.policy))?,
        );
        Ok(ring.into_iter().map(|p| self.id(p).to_string()).collect())
    }

    /// The co-presence graph of a local day.
    #[wasm_bindgen(js_name = dayGraph, unchecked_return_type = "CoPresence")]
    pub fn day_graph(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DayGraphRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let r: DayGraphRequest = read("day graph", &request, self.policy.zone())?;
        let p = &self.policy;
        let g = ok(precinct::day_graph_with_budget(
            &self.inner,
            r.day_start(p),
            ok(r.min_overlap(p))?,
            r.edges,
            r.budget(),
        ))?;
        let graph = CoPresence {
            edges: g.edges,
            max_degree: g.max_degree,
            max_degree_person: g.max_degree_person.map(|p| self.id(p)),
            persons_with_edge: g.persons_with_edge,
            edge_list: g.edge_list.map(|l| {
                l.into_iter()
                    .map(|(a, b)| (self.id(a), self.id(b)))
                    .collect()
            }),
        };
        to_js(&graph, self.policy.zone())
    }
}
