//! Contacts: visits as columns with a per-place index, pure co-presence
//! queries, the domain trace with evidence, and transmission chains.

pub(crate) mod chains;
mod contacts;
mod copresence;
mod presence;
mod visits;
mod workers;

pub use chains::{
    chains, ChainCase, ChainLink, ChainReport, ChainRow, Cluster, DataProblem, ListedCase,
    SerialInterval,
};
pub use contacts::{
    close_contacts, exposure_window, second_ring_contacts, Case, CloseContact, ContactLog,
    ContactRecord, Evidence, ExposureWindow, FollowUp, InterviewContact, SecondRingContact,
    TraceInputs,
};
pub use copresence::{
    day_graph, day_graph_with_budget, min_overlap, second_ring, trace, trace_columns, DayGraph,
    TraceRow, Window, DEFAULT_BUDGET_BYTES, MAX_MIN_OVERLAP_SECONDS,
};
pub use visits::{Interner, Visit, Visits, VisitsBuilder};
