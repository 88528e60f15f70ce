//! The list of everything the facade offers, by where it lives, so that a
//! test in each language can check that its layer offers all of it (the
//! README's parity table is this list).
//!
//! Names: Python uses the name as written here; JavaScript the same name in
//! lower camel case ([`FacadeMethod::js_name`]). Queries (`Query`) are methods
//! of `Book` in both languages.

/// One method or function of the facade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacadeMethod {
    /// Where it lives: `Book`, `DeviceBook`, `CheckpointChain`, `Visits`,
    /// `StationKey` or `module`.
    pub on: &'static str,
    /// Its name in Python (in JavaScript: [`FacadeMethod::js_name`]).
    pub name: &'static str,
    /// What a Rust program calls for the same, under `precinct::`.
    pub rust: &'static str,
    /// What it does, in a few words.
    pub summary: &'static str,
}

/// The methods that read or write a journal file: the WebAssembly module
/// has no file system, so JavaScript keeps the journal in a string
/// (`inMemory`, `openText`, `journalText`) and these are not there.
pub const NEEDS_FILES: &[&str] = &["create", "open", "open_or_create"];

impl FacadeMethod {
    /// Whether JavaScript has it: everything but [`NEEDS_FILES`].
    pub fn in_javascript(&self) -> bool {
        !(self.on == "Book" && NEEDS_FILES.contains(&self.name))
    }

    /// The JavaScript name: lower camel case (`execute_batch` → `executeBatch`).
    pub fn js_name(&self) -> String {
        let mut out = String::with_capacity(self.name.len());
        let mut upper = false;
        for c in self.name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }
}

macro_rules! facade {
    ($($on:literal $name:literal $rust:literal $summary:literal,)*) => {
        /// Everything the facade offers, besides the queries of
        /// [`Query::NAMES`](crate::Query::NAMES) (each a `Book` method too).
        pub const FACADE: &[FacadeMethod] = &[$(FacadeMethod { on: $on, name: $name, rust: $rust, summary: $summary },)*];
    };
}

facade! {
    "Book" "create" "Book::create" "create a journal file for a new station",
    "Book" "open" "Book::open" "open a journal file and replay it",
    "Book" "open_or_create" "Book::open_or_create" "open a journal file, or create it",
    "Book" "in_memory" "Book::in_memory" "a new station whose journal is kept in memory",
    "Book" "open_text" "Book::open_text" "replay a journal held as text",
    "Book" "from_snapshot" "Book::from_snapshot" "a book in memory from a snapshot",
    "Book" "demo" "demo::demo_book" "the demo town's story in a new book in memory",
    "Book" "execute" "Book::execute" "validate, journal and apply one command",
    "Book" "execute_batch" "Book::batch" "several commands, synced once",
    "Book" "import_records" "Import::commands" "put a table's records into the book",
    "Book" "query" "Book::query" "answer any query given by name",
    "Book" "seq" "Book::seq" "sequence number of the last event",
    "Book" "head" "Book::head" "hash of the journal's last line",
    "Book" "recovery" "Book::recovery" "what opening the journal found",
    "Book" "journal_text" "Book::journal_text" "the journal's text, when kept in memory",
    "Book" "policy" "Book::policy" "the policy in force",
    "Book" "snapshot" "Book::snapshot" "the whole book as one document",
    "Book" "snapshot_text" "Snapshot::to_text" "the whole book as JSON text: a device book's base",
    "Book" "visits" "Station::visits" "the visits on record, indexed",
    "Book" "token" "PassOffice::token" "the signed token of a pass, for its QR code",
    "Book" "check_reference" "Station::check_reference" "check a form's field names a record on record",
    "DeviceBook" "create" "DeviceBook::create" "a device's book, from the station's base",
    "DeviceBook" "open" "DeviceBook::open" "reopen a device's book from the lines it kept",
    "DeviceBook" "execute" "DeviceBook::execute" "validate, record and apply a command on this device",
    "DeviceBook" "merge" "DeviceBook::merge" "take other devices' lines, checking each chain",
    "DeviceBook" "lines_since" "DeviceBook::lines_since" "the lines another device lacks",
    "DeviceBook" "frontier" "DeviceBook::frontier" "the last sequence number held of each device",
    "DeviceBook" "journal_text" "DeviceBook::journal_text" "every device's lines, to keep",
    "DeviceBook" "conflicts" "DeviceBook::conflicts" "what cannot stand after a merge, still open",
    "DeviceBook" "all_conflicts" "DeviceBook::all_conflicts" "every conflict found, resolved or not",
    "DeviceBook" "new_id" "DeviceBook::new_id" "an identifier no other device issues",
    "DeviceBook" "query" "DeviceBook::query" "answer any query from the merged records",
    "DeviceBook" "device" "DeviceBook::device" "this device's name",
    "DeviceBook" "number" "DeviceBook::number" "this device's number (its serial block)",
    "DeviceBook" "events" "DeviceBook::events" "events held, over all devices",
    "DeviceBook" "policy" "Station::policy" "the policy in force (the base's)",
    "DeviceBook" "token" "PassOffice::token" "the signed token of a pass, for its QR code",
    "DeviceBook" "check_reference" "Station::check_reference" "check a form's field names a record on record",
    "DeviceBook" "devices" "DeviceBook::devices" "every device heard of, with its number",
    "DeviceBook" "base_hash" "DeviceBook::base_hash" "the SHA-256 of the base, for a checkpoint kit",
    "CheckpointChain" "start" "CheckpointChain::start" "a checkpoint device's chain of crossings",
    "CheckpointChain" "open" "CheckpointChain::open" "reopen a checkpoint's chain from its lines",
    "CheckpointChain" "record_crossing" "CheckpointChain::record_crossing" "record a crossing the kit judged offline",
    "CheckpointChain" "lines_since" "CheckpointChain::lines_since" "the lines a device book lacks",
    "CheckpointChain" "journal_text" "CheckpointChain::journal_text" "every line of the chain, to keep",
    "CheckpointChain" "device" "CheckpointChain::device" "this checkpoint device's name",
    "CheckpointChain" "number" "CheckpointChain::number" "this checkpoint device's number",
    "CheckpointChain" "base_hash" "CheckpointChain::base_hash" "the base the chain is under",
    "CheckpointChain" "events" "CheckpointChain::events" "crossings recorded",
    "Visits" "from_columns" "Visits::from_columns" "index visit columns",
    "Visits" "from_csv" "read_visits" "read visits from CSV text",
    "Visits" "to_csv" "write_visits" "the visits as CSV text",
    "Visits" "trace" "trace" "who shared a place with a person in a window",
    "Visits" "second_ring" "second_ring" "contacts of a person's contacts in a window",
    "Visits" "day_graph" "day_graph_with_budget" "the co-presence graph of a day",
    "StationKey" "public_key" "StationKey::public" "the public key checkpoints hold",
    "StationKey" "holder_key" "StationKey::holder_key" "the key of holder digests checkpoints hold",
    "module" "policy" "Policy::preset" "a policy preset",
    "module" "preset_names" "PRESET_NAMES" "the names of the policy presets",
    "module" "validate_document" "validate_document" "check an identity document",
    "module" "validate_field" "validate_field" "check one field of a form as it is typed",
    "module" "resident_id" "ResidentId::parse" "what a resident id number says",
    "module" "mask_id_number" "mask_id_number" "an identity number masked for display",
    "module" "mask_phone" "mask_phone" "a mobile number masked for display",
    "module" "mask_name" "mask_name" "a name masked for display",
    "module" "pseudonym" "pseudonym" "a keyed pseudonym of a value",
    "module" "verify_token" "verify_token" "verify a pass token offline",
    "module" "read_cases" "read_cases" "read a cases CSV",
    "module" "read_interviews" "read_interviews" "read contacts named in interviews",
    "module" "write_cases" "write_cases" "write cases as CSV",
    "module" "chains" "chains" "transmission chains of a list of cases",
    "module" "read_residents" "read_residents" "read households and persons CSVs",
    "module" "read_resumption" "read_resumption" "read enterprises and reports CSVs",
    "module" "facade" "FACADE" "this list, for parity tests",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_names_are_lower_camel_case() {
        let m = FacadeMethod {
            on: "Book",
            name: "execute_batch",
            rust: "Book::batch",
            summary: "",
        };
        assert_eq!(m.js_name(), "executeBatch");
        let m = FacadeMethod {
            on: "Book",
            name: "seq",
            rust: "Book::seq",
            summary: "",
        };
        assert_eq!(m.js_name(), "seq");
        assert!(FACADE.iter().filter(|m| !m.in_javascript()).count() == NEEDS_FILES.len());
    }

    #[test]
    fn no_name_twice_in_one_place() {
        let mut seen = std::collections::BTreeSet::new();
        for m in FACADE {
            assert!(seen.insert((m.on, m.name)), "{} {} twice", m.on, m.name);
        }
        for q in crate::Query::NAMES {
            assert!(
                !seen.contains(&("Book", *q)),
                "query {q} is also a Book method"
            );
        }
    }
}
