//! Errors of every area, one enum for the crate plus one for identity documents.
//!
//! Messages are lowercase, name the offending input in backticks and say what
//! was expected. [`Error::code`] gives a stable machine-readable kind, which the
//! Python and JavaScript bindings use to pick an exception class or an error
//! `code`.

use thiserror::Error;

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong with an identity document (resident ID, passport MRZ,
/// enterprise credit code or mobile number).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum IdError {
    /// The input has the wrong number of characters.
    #[error("{document} `{input}` has {found} characters, expected {expected}")]
    Length {
        /// Which kind of document.
        document: &'static str,
        /// The input as given.
        input: String,
        /// Characters found.
        found: usize,
        /// What was expected, e.g. `18` or `15 or 18`.
        expected: &'static str,
    },
    /// A character is not allowed at a position (1-based).
    #[error("{document} `{input}` has `{character}` at position {position}, expected {expected}")]
    Character {
        /// Which kind of document.
        document: &'static str,
        /// The input as given.
        input: String,
        /// The offending character.
        character: char,
        /// 1-based position of the character.
        position: usize,
        /// What is allowed there.
        expected: &'static str,
    },
    /// A date field is not a real calendar date.
    #[error("{document} `{input}` has {field} `{value}`, which is not a real date")]
    Date {
        /// Which kind of document.
        document: &'static str,
        /// The input as given.
        input: String,
        /// Which date field.
        field: &'static str,
        /// The digits of the field.
        value: String,
    },
    /// A check digit does not match the rest of the document.
    #[error("{check} of `{input}` should be `{expected}`, found `{found}`")]
    CheckDigit {
        /// The input as given.
        input: String,
        /// Which check digit, e.g. `check character` or `birth date check digit`.
        check: &'static str,
        /// The computed check character.
        expected: char,
        /// The check character in the input.
        found: char,
    },
    /// The region (administrative division) code is unknown.
    #[error("resident id `{input}` has region code `{region}`, expected a province-level code of GB/T 2260")]
    Region {
        /// The input as given.
        input: String,
        /// The six-digit region code.
        region: String,
    },
    /// Any other structural problem (wrong prefix, wrong document code ...).
    #[error("{document} `{input}`: {reason}")]
    Format {
        /// Which kind of document.
        document: &'static str,
        /// The input as given.
        input: String,
        /// What is wrong and what was expected.
        reason: String,
    },
}

/// Every error the crate returns.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// An identity document is invalid.
    #[error(transparent)]
    Id(#[from] IdError),
    /// A value given to the library is out of range or malformed.
    #[error("{field} `{value}` is invalid, expected {expected}")]
    InvalidValue {
        /// Which field or argument.
        field: String,
        /// The value as given.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// A record with the same key is already registered.
    #[error("{what} `{key}` is already registered as {existing}")]
    Duplicate {
        /// Which kind of record, e.g. `person` or `identity document`.
        what: &'static str,
        /// The duplicated key.
        key: String,
        /// The record that holds the key already.
        existing: String,
    },
    /// A referenced record does not exist.
    #[error("unknown {what} `{id}`")]
    NotFound {
        /// Which kind of record.
        what: &'static str,
        /// The id that was looked up.
        id: String,
    },
    /// A state change is not allowed from the current state.
    #[error("cannot {action} {what} `{id}`: {reason}")]
    InvalidTransition {
        /// Which kind of record, e.g. `isolation order`.
        what: &'static str,
        /// Its id.
        id: String,
        /// What was attempted.
        action: &'static str,
        /// Why it is not allowed.
        reason: String,
    },
    /// A person or enterprise does not qualify for what was asked.
    #[error("`{subject}` is not eligible for {what}: {reason}")]
    NotEligible {
        /// Who asked.
        subject: String,
        /// What was asked for, e.g. `a county pass`.
        what: &'static str,
        /// Why not.
        reason: String,
    },
    /// A report or record cannot be true (more workers than the workforce ...).
    #[error("{record}: {reason}")]
    Implausible {
        /// The record, e.g. `report of enterprise `E1` on 2020-02-10`.
        record: String,
        /// What cannot be true.
        reason: String,
    },
    /// A row of an imported CSV file is bad; nothing of the import was applied.
    #[error("{file} line {line}, column `{column}`: {reason}")]
    Csv {
        /// Which interchange file, e.g. `visits`.
        file: &'static str,
        /// 1-based line number in the file (the header is line 1).
        line: u64,
        /// The column name, or empty when the row as a whole is bad.
        column: String,
        /// What is wrong and what was expected.
        reason: String,
    },
    /// A cell of an imported data frame is bad (see `Frame`); nothing of
    /// the import was applied.
    #[error("{file} {}column `{column}`: {reason}", row.map_or(String::new(), |r| format!("row {r}, ")))]
    Frame {
        /// Which frame, e.g. `cases frame`.
        file: &'static str,
        /// The row, counted from 0 as frames count; `None` when the frame
        /// as a whole is wrong (a column it lacks).
        row: Option<u64>,
        /// The column, as the frame names it.
        column: String,
        /// What is wrong and what was expected.
        reason: String,
    },
    /// A journal is damaged: a line was changed, removed or reordered, or
    /// replaying it no longer gives what was recorded. Nothing was opened.
    #[error("journal {journal} is damaged at sequence number {seq}: {reason}")]
    JournalDamaged {
        /// The journal's file, or `memory`.
        journal: String,
        /// The sequence number where the chain breaks.
        seq: u64,
        /// What is wrong there.
        reason: String,
    },
    /// A device's chain of events, sent to be merged, is damaged: an event
    /// was changed, removed or reordered, or the device rewrote what it had
    /// sent before. Nothing of the merge was taken.
    #[error("the events of device `{device}` are damaged at sequence number {seq}: {reason}")]
    DeviceChainDamaged {
        /// The device.
        device: String,
        /// The sequence number, in the device's own chain, where it breaks.
        seq: u64,
        /// What is wrong there.
        reason: String,
    },
    /// Another writer holds the journal open.
    #[error("journal {journal} is already open for writing by another process or book")]
    JournalLocked {
        /// The journal's file.
        journal: String,
    },
    /// A query's answer would need more memory than its budget. Nothing was
    /// allocated for it: narrow the query or raise the budget.
    #[error("{what} needs about {needed} bytes, over the budget of {budget} bytes")]
    TooLarge {
        /// What was asked, e.g. `day graph of 2020-01-26` (with its size).
        what: String,
        /// Bytes the answer needs, at least.
        needed: u64,
        /// The budget, in bytes.
        budget: u64,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's message.
        reason: String,
    },
}

impl Error {
    /// A stable, machine-readable name of the error's kind, e.g.
    /// `invalid_identity_document` or `csv`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Id(_) => "invalid_identity_document",
            Error::InvalidValue { .. } => "invalid_value",
            Error::Duplicate { .. } => "duplicate",
            Error::NotFound { .. } => "not_found",
            Error::InvalidTransition { .. } => "invalid_transition",
            Error::NotEligible { .. } => "not_eligible",
            Error::Implausible { .. } => "implausible",
            Error::Csv { .. } => "csv",
            Error::Frame { .. } => "frame",
            Error::JournalDamaged { .. } => "journal_damaged",
            Error::DeviceChainDamaged { .. } => "device_chain_damaged",
            Error::JournalLocked { .. } => "journal_locked",
            Error::TooLarge { .. } => "too_large",
            Error::Io { .. } => "io",
        }
    }

    /// The error's fields by name, as the Python exceptions and JavaScript
    /// `Error`s carry them beside `code` and the message: for example
    /// `field`, `value`, `expected` of an invalid value, or `file`, `line`,
    /// `column`, `reason` of a bad CSV row.
    ///
    /// ```
    /// let e = precinct::parse_instant("43853", precinct::Zone::UTC).unwrap_err();
    /// let fields = e.fields();
    /// assert_eq!(fields[0].0, "field");
    /// ```
    #[expect(
        clippy::too_many_lines,
        reason = "one short arm per kind of error, each naming its fields"
    )]
    pub fn fields(&self) -> Vec<(&'static str, crate::Value)> {
        use crate::Value::{Int, Text, UInt};
        let text = |s: &str| Text(s.to_string());
        let count = |n: u64| i64::try_from(n).map_or(UInt(n), Int);
        match self {
            Error::Id(e) => vec![("document_error", text(&e.to_string()))],
            Error::InvalidValue {
                field,
                value,
                expected,
            } => {
                vec![
                    ("field", text(field)),
                    ("value", text(value)),
                    ("expected", text(expected)),
                ]
            }
            Error::Duplicate {
                what,
                key,
                existing,
            } => {
                vec![
                    ("what", text(what)),
                    ("key", text(key)),
                    ("existing", text(existing)),
                ]
            }
            Error::NotFound { what, id } => vec![("what", text(what)), ("id", text(id))],
            Error::InvalidTransition {
                what,
                id,
                action,
                reason,
            } => vec![
                ("what", text(what)),
                ("id", text(id)),
                ("action", text(action)),
                ("reason", text(reason)),
            ],
            Error::NotEligible {
                subject,
                what,
                reason,
            } => {
                vec![
                    ("subject", text(subject)),
                    ("what", text(what)),
                    ("reason", text(reason)),
                ]
            }
            Error::Implausible { record, reason } => {
                vec![("record", text(record)), ("reason", text(reason))]
            }
            Error::Csv {
                file,
                line,
                column,
                reason,
            } => vec![
                ("file", text(file)),
                ("line", count(*line)),
                ("column", text(column)),
                ("reason", text(reason)),
            ],
            Error::Frame {
                file,
                row,
                column,
                reason,
            } => vec![
                ("file", text(file)),
                ("row", row.map_or(crate::Value::Null, count)),
                ("column", text(column)),
                ("reason", text(reason)),
            ],
            Error::JournalDamaged {
                journal,
                seq,
                reason,
            } => {
                vec![
                    ("journal", text(journal)),
                    ("seq", count(*seq)),
                    ("reason", text(reason)),
                ]
            }
            Error::DeviceChainDamaged {
                device,
                seq,
                reason,
            } => vec![
                ("device", text(device)),
                ("seq", count(*seq)),
                ("reason", text(reason)),
            ],
            Error::JournalLocked { journal } => vec![("journal", text(journal))],
            Error::TooLarge {
                what,
                needed,
                budget,
            } => {
                vec![
                    ("what", text(what)),
                    ("needed", count(*needed)),
                    ("budget", count(*budget)),
                ]
            }
            Error::Io { path, reason } => vec![("path", text(path)), ("reason", text(reason))],
        }
    }

    /// An [`Error::InvalidValue`]: `field` was `value`, `expected` was
    /// expected. For the bindings' own argument checks, so that every error
    /// a caller sees is one of the core's kinds.
    pub fn invalid_value(
        field: impl Into<String>,
        value: impl ToString,
        expected: impl Into<String>,
    ) -> Self {
        Error::invalid(field, value, expected)
    }

    #[expect(
        clippy::needless_pass_by_value,
        reason = "callers pass numbers, ids and references alike"
    )]
    pub(crate) fn invalid(
        field: impl Into<String>,
        value: impl ToString,
        expected: impl Into<String>,
    ) -> Self {
        Error::InvalidValue {
            field: field.into(),
            value: value.to_string(),
            expected: expected.into(),
        }
    }

    #[expect(
        clippy::needless_pass_by_value,
        reason = "callers pass numbers, ids and references alike"
    )]
    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Self {
        Error::NotFound {
            what,
            id: id.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_input_and_what_was_expected() {
        let e = Error::invalid("workforce", "-3", "a whole number of people");
        assert_eq!(
            e.to_string(),
            "workforce `-3` is invalid, expected a whole number of people"
        );
        assert_eq!(e.code(), "invalid_value");
        let e = Error::Csv {
            file: "visits",
            line: 7,
            column: "start".into(),
            reason: "expected a time".into(),
        };
        assert_eq!(
            e.to_string(),
            "visits line 7, column `start`: expected a time"
        );
    }
}
