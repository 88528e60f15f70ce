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
    /// Where it lives: `Book`, `Visits`, `StationKey` or `module`.
    pub on: &'static str,
    /// Its name (Python's, and the Rust facade's or core function's).
    pub name: &'static str,
    /// What it does, in a few words.
    pub summary: &'static str,
}

impl FacadeMethod {
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
    ($($on:literal $name:literal $summary:literal,)*) => {
        /// Everything the facade offers, besides the queries of
        /// [`Query::NAMES`](crate::Query::NAMES) (each a `Book` method too).
        pub const FACADE: &[FacadeMethod] = &[$(FacadeMethod { on: $on, name: $name, summary: $summary },)*];
    };
}

facade! {
    "Book" "create" "create a journal file for a new station",
    "Book" "open" "open a journal file and replay it",
    "Book" "open_or_create" "open a journal file, or create it",
    "Book" "in_memory" "a new station whose journal is kept in memory",
    "Book" "open_text" "replay a journal held as text",
    "Book" "from_snapshot" "a book in memory from a snapshot",
    "Book" "demo" "the demo town's story in a new book in memory",
    "Book" "execute" "validate, journal and apply one command",
    "Book" "execute_batch" "several commands, synced once",
    "Book" "query" "answer any query given by name",
    "Book" "seq" "sequence number of the last event",
    "Book" "head" "hash of the journal's last line",
    "Book" "recovery" "what opening the journal found",
    "Book" "journal_text" "the journal's text, when kept in memory",
    "Book" "policy" "the policy in force",
    "Book" "snapshot" "the whole book as one document",
    "Book" "visits" "the visits on record, indexed",
    "Book" "token" "the signed token of a pass, for its QR code",
    "Visits" "from_columns" "index visit columns",
    "Visits" "from_csv" "read visits from CSV text",
    "Visits" "to_csv" "the visits as CSV text",
    "Visits" "trace" "who shared a place with a person in a window",
    "Visits" "second_ring" "contacts of a person's contacts in a window",
    "Visits" "day_graph" "the co-presence graph of a day",
    "StationKey" "public_key" "the public key checkpoints hold",
    "StationKey" "holder_key" "the key of holder digests checkpoints hold",
    "module" "policy" "a policy preset",
    "module" "preset_names" "the names of the policy presets",
    "module" "validate_document" "check an identity document",
    "module" "resident_id" "what a resident id number says",
    "module" "mask_id_number" "an identity number masked for display",
    "module" "mask_phone" "a mobile number masked for display",
    "module" "mask_name" "a name masked for display",
    "module" "pseudonym" "a keyed pseudonym of a value",
    "module" "verify_token" "verify a pass token offline",
    "module" "read_cases" "read a cases CSV",
    "module" "write_cases" "write cases as CSV",
    "module" "chains" "transmission chains of a list of cases",
    "module" "read_residents" "read households and persons CSVs",
    "module" "read_resumption" "read enterprises and reports CSVs",
    "module" "facade" "this list, for parity tests",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_names_are_lower_camel_case() {
        let m = FacadeMethod {
            on: "Book",
            name: "execute_batch",
            summary: "",
        };
        assert_eq!(m.js_name(), "executeBatch");
        let m = FacadeMethod {
            on: "Book",
            name: "seq",
            summary: "",
        };
        assert_eq!(m.js_name(), "seq");
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
