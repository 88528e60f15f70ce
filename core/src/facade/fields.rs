//! One field of a form, checked as it is typed, with the message the
//! command gives when it is submitted: a data-entry page shows the
//! library's words at the field, before anything is sent.

use crate::error::{Error, Result};
use crate::id::{nationality_code, passport_number, validate_document};

/// The kinds of field [`validate_field`] checks.
pub const FIELD_KINDS: &[&str] = &[
    "resident_id",
    "passport_mrz",
    "credit_code",
    "mobile",
    "passport_number",
    "nationality",
    "person_name",
    "address",
    "scope",
];

/// The longest name or address kept, in characters.
const MAX_TEXT_CHARS: usize = 2000;

/// Check one field as typed: `kind` is one of [`FIELD_KINDS`]. Returns the
/// value read: documents, passport numbers and issuing states as the book
/// records them (`deu` is `DEU`); names, addresses and scopes trimmed (the
/// book records those as the command gives them).
///
/// The commands check their fields with the same functions, so a form that
/// shows this message at the field shows what a submit would refuse:
/// `person_name` and the passport's `nationality` and `passport_number` in
/// `register_person`, `add_stay` and `register_stay`; `address` there and
/// in `add_household`; `scope` in `issue_pass`.
///
/// ```
/// use precinct::validate_field;
/// assert_eq!(validate_field("person_name", " Wang Fang ").unwrap(), "Wang Fang");
/// assert_eq!(validate_field("nationality", "kor").unwrap(), "KOR");
/// let e = validate_field("person_name", "  ").unwrap_err();
/// assert_eq!(e.to_string(), "name `  ` is invalid, expected a person's full name: 1 to 2000 characters on one line");
/// ```
///
/// # Errors
/// The error the command would give ([`Error::InvalidValue`] or
/// [`Error::Id`]); [`Error::InvalidValue`] for an unknown kind.
pub fn validate_field(kind: &str, text: &str) -> Result<String> {
    match kind {
        "passport_number" => Ok(passport_number(text)?),
        "nationality" => Ok(nationality_code(text)?),
        "person_name" => person_name(text),
        "address" => one_line(
            "address",
            text,
            "an address: 1 to 2000 characters on one line",
        ),
        "scope" => scope(text),
        "resident_id" | "passport_mrz" | "credit_code" | "mobile" => validate_document(kind, text),
        other => Err(Error::invalid(
            "field kind",
            other,
            format!("one of {}", FIELD_KINDS.join(", ")),
        )),
    }
}

/// A person's full name, as registered.
pub(crate) fn person_name(text: &str) -> Result<String> {
    one_line(
        "name",
        text,
        "a person's full name: 1 to 2000 characters on one line",
    )
}

/// A text field of a record (a village, a host's name), on one line.
pub(crate) fn one_line_text(field: &str, text: &str) -> Result<String> {
    one_line(field, text, "1 to 2000 characters on one line")
}

/// The id of a new record (a person, a household, a team, an order ...):
/// not blank, no white space around it, no control characters, so that the
/// id typed later finds it.
pub(crate) fn new_id(field: &str, id: &str) -> Result<()> {
    if id.trim().is_empty() || id.trim() != id || id.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            id,
            "an id that is not blank, with no spaces around it and no control characters",
        ));
    }
    Ok(())
}

/// A new pass's scope: what `issue_pass` checks (a token carries it), and
/// on one line, as a checkpoint shows it.
pub(crate) fn scope(text: &str) -> Result<String> {
    crate::pass::check_scope(text)?;
    one_line(
        "scope",
        text,
        "where the pass is good for, on one line (e.g. a town or a route)",
    )
}

/// An address, as registered.
pub(crate) fn address(text: &str) -> Result<String> {
    validate_field("address", text)
}

fn one_line(field: &str, text: &str, expected: &str) -> Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty()
        || trimmed.chars().count() > MAX_TEXT_CHARS
        || trimmed
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return Err(Error::invalid(field, text, expected));
    }
    Ok(trimmed.to_string())
}
