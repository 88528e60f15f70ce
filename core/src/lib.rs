#![doc = include_str!("../../README.md")]
//!
//! # Crate map
//!
//! One module per area, re-exported flat: identity documents ([`ResidentId`],
//! [`PassportMrz`], [`CreditCode`], [`MobileNumber`]), the [`Policy`],
//! households ([`Residents`], [`Screening`], [`Responsibility`]), isolation
//! ([`Quarantine`]), tracing ([`Visits`], [`close_contacts`], [`chains`]),
//! passes ([`PassOffice`], [`verify_token`]), registrations
//! ([`Registrations`]), resumption ([`Resumption`]), CSV ([`read_visits`] and
//! friends), the [`Station`] with its report, the record book ([`Book`], its
//! [`Command`]s and journal), and the `demo` town (behind the `demo`
//! feature).

mod book;
mod csv;
#[cfg(feature = "demo")]
pub mod demo;
pub mod error;
mod facade;
mod household;
mod id;
mod ids;
mod pass;
mod policy;
pub mod progress;
mod quarantine;
mod registration;
mod resumption;
mod station;
mod time;
mod tracing;

// Identity documents: validated types, masking, keyed pseudonyms.
pub use id::{
    mask_id_number, mask_name, mask_phone, mrz_check_digit, nationality_code, passport_number,
    pseudonym, validate_document, CreditCode, IdDocument, MobileNumber, PassportMrz, ResidentId,
    Sex,
};
// Identifiers of the records.
pub use ids::{
    id_order, AreaId, CaseId, EnterpriseId, HouseholdId, OrderId, PersonId, PlaceId, StaffId,
    StayId,
};
// Time: instants, zones, days, and the forms times are read in.
pub use time::{
    add_days, check_day, check_instant, day_interval, day_start, instant_from_unix, local_day,
    parse_date, parse_instant, parse_unix_seconds, read_in_zone, render_instant, DateOrTime,
    Instant, Interval, TimeBounds, Zone, EARLIEST_YEAR, LATEST_YEAR, TIME_FORMS,
};
// The facade the Python and JavaScript layers call: typed queries and answers.
pub use facade::{
    read_input, to_value, validate_field, DayGraphRequest, FacadeMethod, Query, Records,
    TraceRequest, Value, FACADE, FIELD_KINDS, NEEDS_FILES,
};
// The rules in force, from presets that cite their sources.
pub use policy::{
    ExposureRule, Policy, MAX_POLICY_DAYS, MAX_POLICY_HOURS, MAX_POLICY_SECONDS,
    MAX_PRESENCE_GAP_SECONDS, PRESET_NAMES,
};
// Households: the register, the screening of rented homes, the responsibility tree.
pub use household::{
    Answerable, Commitment, Coverage, DailyReport, Gap, Household, Level, Load, Person, Residents,
    Responsibility, ResponsibilityTree, Screening, ScreeningTeam, ScreeningVisit, TeamRole,
    Tenancy,
};
// Isolation: risk areas, travel, isolation and observation orders.
pub use quarantine::{
    IsolationKind, IsolationOrder, OrderChange, OrderStatus, Quarantine, Returnee, RiskArea,
    RiskLevel, TravelRecord,
};
// Tracing: the visit index, co-presence, close contacts with evidence, chains.
pub use tracing::{
    chains, close_contacts, day_graph, day_graph_with_budget, exposure_window, min_overlap,
    second_ring, second_ring_contacts, trace, trace_columns, Case, ChainCase, ChainLink,
    ChainReport, ChainRow, CloseContact, Cluster, ContactLog, ContactRecord, DataProblem, DayGraph,
    Evidence, ExposureWindow, FollowUp, Interner, InterviewContact, ListedCase, SecondRingContact,
    SerialInterval, TraceInputs, TraceRow, Visit, Visits, VisitsBuilder, Window,
    DEFAULT_BUDGET_BYTES, MAX_MIN_OVERLAP_SECONDS,
};
// Passes: signed tokens, their offline check, checkpoints.
pub use pass::{
    verify_token, CheckpointLog, Crossing, DenyReason, EligibilityContext, HolderCheck, HolderKey,
    KeyRecord, Pass, PassApplication, PassKind, PassOffice, PublicKey, RevocationList,
    ShownDocument, StationKey, StationKeys, TokenClaims, Verdict, MAX_TOKEN_TEXT_BYTES,
};
// Foreign nationals' registration and the station's services.
pub use registration::{
    Certificate, Channel, ForeignStay, Paper, Registrations, ServiceEntry, ServiceKind,
};
// Enterprises' return to work and migrant workers.
pub use resumption::{
    DailyStatus, Enterprise, GroupBy, MigrantWorker, RateRow, Resumption, Verification,
};
// CSV files in and out, and line lists.
pub use crate::csv::{
    read_cases, read_cases_frame, read_interviews, read_interviews_frame, read_line_list,
    read_line_list_frame, read_residents, read_residents_frames, read_resumption,
    read_resumption_frames, read_visits, read_visits_frame, read_visits_within, write_cases,
    write_enterprises, write_households, write_persons, write_reports, write_visits, Frame,
    FrameColumn, InterchangeFile, LineList, LineListColumns, INTERCHANGE_FILES,
};
// The station: every registry together, and its summary report.
pub use station::{
    channel_name, service_name, PassesOnDay, ServiceCount, Station, StationReport, REFERENCE_KINDS,
};
// The record book: commands, the hash-chained journal, snapshots, the export.
pub use crate::book::{
    AnalyticExport, AuditEntry, Batch, Book, Command, ExportedPerson, Import, Outcome, Receipt,
    Recovery, Snapshot, Subject, TornTail, FORMAT_VERSION, IMPORT_KINDS,
};
// Many devices, one record book: device chains, the merge, its conflicts.
pub use crate::book::{
    CheckpointChain, Conflict, ConflictKind, DeviceBook, EventRef, Frontier, MergeReport,
    MAX_DEVICE_NUMBER,
};
// Errors.
pub use error::{Error, IdError, Result};
