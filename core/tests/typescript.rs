//! The TypeScript declarations of the npm package, generated from the serde
//! types so they cannot drift from what the core reads and writes.
//!
//! The text is compared with the committed `wasm/types/precinct.d.ts`; run
//! with `UPDATE_TYPES=1` to rewrite that file after changing a type.
#![cfg(feature = "ts")]

use std::any::TypeId;
use std::collections::BTreeSet;
use std::path::PathBuf;

use precinct::{
    AnalyticExport, Answerable, AreaId, AuditEntry, Case, CaseId, Certificate, ChainLink,
    ChainReport, ChainRow, Channel, CloseContact, Cluster, Command, Commitment, Conflict,
    ConflictKind, ContactRecord, Coverage, CreditCode, Crossing, DailyReport, DailyStatus,
    DataProblem, DateOrTime, DayGraph, DenyReason, Enterprise, EnterpriseId, EventRef, Evidence,
    ExportedPerson, ExposureRule, ExposureWindow, FollowUp, ForeignStay, Gap, GroupBy, HolderCheck,
    Household, HouseholdId, IdDocument, Interval, InterviewContact, IsolationKind, IsolationOrder,
    KeyRecord, Level, ListedCase, Load, MergeReport, MigrantWorker, MobileNumber, OrderChange,
    OrderId, OrderStatus, Outcome, Paper, Pass, PassApplication, PassKind, PassesOnDay, Person,
    PersonId, PlaceId, Policy, PublicKey, Query, RateRow, Receipt, Recovery, ResidentId,
    ResponsibilityTree, Returnee, RevocationList, RiskArea, RiskLevel, ScreeningTeam,
    ScreeningVisit, SecondRingContact, SerialInterval, ServiceCount, ServiceEntry, ServiceKind,
    Sex, StaffId, StationReport, StayId, TeamRole, Tenancy, TimeBounds, TokenClaims, TornTail,
    TraceRow, TravelRecord, Verdict, Verification, Visit, Visits, Window, Zone,
};
use ts_rs::{Config, TypeVisitor, TS};

const REGENERATE: &str = "UPDATE_TYPES=1 cargo test -p precinct --features ts --test typescript";

/// One declaration: its name, its text, and the names it refers to.
struct Decl {
    id: TypeId,
    name: String,
    text: String,
    uses: Vec<(TypeId, String)>,
}

fn decl<T: TS + 'static>(cfg: &Config) -> Decl {
    struct Uses<'a>(&'a Config, Vec<(TypeId, String)>);
    impl TypeVisitor for Uses<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            // Named types only: `string`, `number`, arrays and maps need
            // no declaration of their own.
            if U::output_path().is_some() {
                self.1.push((TypeId::of::<U>(), U::ident(self.0)));
            }
        }
    }
    let mut uses = Uses(cfg, Vec::new());
    T::visit_dependencies(&mut uses);
    Decl {
        id: TypeId::of::<T>(),
        name: T::ident(cfg),
        text: format!("{}export {}", T::docs().unwrap_or_default(), T::decl(cfg)),
        uses: uses.1,
    }
}

/// Every type a JavaScript caller sends or receives, in the file's order:
/// commands and what they produce first, then each area's records.
fn declarations() -> Vec<Decl> {
    // serde_json and serde-wasm-bindgen hand JavaScript a `number` for a
    // 64-bit integer (serials, sequence numbers, seconds), not a `bigint`.
    let cfg = Config::new().with_large_int("number");
    let cfg = &cfg;
    vec![
        // The record book.
        decl::<Command>(cfg),
        decl::<Outcome>(cfg),
        decl::<Receipt>(cfg),
        decl::<Query>(cfg),
        decl::<AuditEntry>(cfg),
        decl::<Recovery>(cfg),
        decl::<TornTail>(cfg),
        // Many devices.
        decl::<MergeReport>(cfg),
        decl::<Conflict>(cfg),
        decl::<ConflictKind>(cfg),
        decl::<EventRef>(cfg),
        decl::<AnalyticExport>(cfg),
        decl::<ExportedPerson>(cfg),
        // Identifiers and times.
        decl::<PersonId>(cfg),
        decl::<HouseholdId>(cfg),
        decl::<PlaceId>(cfg),
        decl::<CaseId>(cfg),
        decl::<EnterpriseId>(cfg),
        decl::<StaffId>(cfg),
        decl::<OrderId>(cfg),
        decl::<AreaId>(cfg),
        decl::<StayId>(cfg),
        decl::<Zone>(cfg),
        decl::<DateOrTime>(cfg),
        decl::<Interval>(cfg),
        decl::<TimeBounds>(cfg),
        // Identity documents.
        decl::<IdDocument>(cfg),
        decl::<ResidentId>(cfg),
        decl::<Sex>(cfg),
        decl::<MobileNumber>(cfg),
        decl::<CreditCode>(cfg),
        // The policy.
        decl::<Policy>(cfg),
        decl::<ExposureRule>(cfg),
        // Households and residents.
        decl::<Person>(cfg),
        decl::<Household>(cfg),
        decl::<Tenancy>(cfg),
        decl::<TeamRole>(cfg),
        decl::<ScreeningTeam>(cfg),
        decl::<ScreeningVisit>(cfg),
        decl::<Commitment>(cfg),
        decl::<DailyReport>(cfg),
        decl::<Level>(cfg),
        decl::<Answerable>(cfg),
        decl::<Gap>(cfg),
        decl::<Load>(cfg),
        decl::<Coverage>(cfg),
        decl::<ResponsibilityTree>(cfg),
        // Returnees and isolation.
        decl::<RiskLevel>(cfg),
        decl::<RiskArea>(cfg),
        decl::<TravelRecord>(cfg),
        decl::<Returnee>(cfg),
        decl::<IsolationKind>(cfg),
        decl::<IsolationOrder>(cfg),
        decl::<OrderStatus>(cfg),
        decl::<OrderChange>(cfg),
        // Contacts and chains.
        decl::<Visit>(cfg),
        decl::<Visits>(cfg),
        decl::<Case>(cfg),
        decl::<InterviewContact>(cfg),
        decl::<CloseContact>(cfg),
        decl::<Evidence>(cfg),
        decl::<ExposureWindow>(cfg),
        decl::<SecondRingContact>(cfg),
        decl::<ContactRecord>(cfg),
        decl::<FollowUp>(cfg),
        decl::<Window>(cfg),
        decl::<TraceRow>(cfg),
        decl::<DayGraph>(cfg),
        decl::<ChainReport>(cfg),
        decl::<ChainRow>(cfg),
        decl::<ChainLink>(cfg),
        decl::<Cluster>(cfg),
        decl::<SerialInterval>(cfg),
        decl::<DataProblem>(cfg),
        decl::<ListedCase>(cfg),
        // Passes.
        decl::<PassApplication>(cfg),
        decl::<PassKind>(cfg),
        decl::<Pass>(cfg),
        decl::<PublicKey>(cfg),
        decl::<KeyRecord>(cfg),
        decl::<TokenClaims>(cfg),
        decl::<Verdict>(cfg),
        decl::<DenyReason>(cfg),
        decl::<HolderCheck>(cfg),
        decl::<Crossing>(cfg),
        decl::<RevocationList>(cfg),
        decl::<PassesOnDay>(cfg),
        // Registrations.
        decl::<ForeignStay>(cfg),
        decl::<Channel>(cfg),
        decl::<Certificate>(cfg),
        decl::<Paper>(cfg),
        decl::<ServiceKind>(cfg),
        decl::<ServiceEntry>(cfg),
        decl::<ServiceCount>(cfg),
        // Resumption.
        decl::<Enterprise>(cfg),
        decl::<DailyStatus>(cfg),
        decl::<MigrantWorker>(cfg),
        decl::<Verification>(cfg),
        decl::<GroupBy>(cfg),
        decl::<RateRow>(cfg),
        // The station's report.
        decl::<StationReport>(cfg),
    ]
}

fn render(decls: &[Decl]) -> String {
    let mut out = format!(
        "// Generated by core/tests/typescript.rs from the Rust types: do not edit.\n\
         // Regenerate with `{REGENERATE}`.\n"
    );
    for d in decls {
        out.push('\n');
        out.push_str(&d.text);
        out.push('\n');
    }
    out
}

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../wasm/types/precinct.d.ts")
}

#[test]
fn every_declared_type_is_declared_once_with_what_it_refers_to() {
    let decls = declarations();
    let declared: BTreeSet<TypeId> = decls.iter().map(|d| d.id).collect();
    assert_eq!(declared.len(), decls.len(), "a type is listed twice");
    let names: BTreeSet<&str> = decls.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names.len(),
        decls.len(),
        "two types share a TypeScript name"
    );
    for d in &decls {
        for (id, name) in &d.uses {
            assert!(
                declared.contains(id),
                "`{}` refers to `{name}`, which declarations() does not list",
                d.name
            );
        }
    }
}

#[test]
fn committed_declarations_match_the_rust_types() {
    let text = render(&declarations());
    let path = committed_path();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "wasm/types/precinct.d.ts is out of date with the Rust types; regenerate it with `{REGENERATE}`"
    );
}
