//! Identity documents as validated types, masking for display and keyed
//! pseudonyms for analytic exports.

mod credit;
mod passport;
mod phone;
mod resident;

pub use credit::CreditCode;
// The demo town's generator makes valid numbers with these.
#[cfg(feature = "demo")]
pub(crate) use credit::{check_char as credit_check_char, values as credit_values};
pub use passport::{mrz_check_digit, PassportMrz};
pub use phone::MobileNumber;
#[cfg(feature = "demo")]
pub(crate) use resident::check_char as resident_check_char;
pub use resident::{ResidentId, Sex};

use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::IdError;

/// The document a person is registered under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum IdDocument {
    /// A resident identity card.
    Resident {
        /// The validated number.
        number: ResidentId,
    },
    /// A foreign passport, by issuing nationality and number.
    Passport {
        /// ICAO three-letter nationality code.
        nationality: String,
        /// Passport number as printed.
        number: String,
    },
}

impl IdDocument {
    /// Read a document number as the persons file gives it: a resident id when
    /// the nationality is empty or `CHN`, otherwise a passport number.
    ///
    /// # Errors
    /// [`IdError`] when a resident id is invalid, a passport number is empty
    /// or has characters outside A-Z and 0-9, or the nationality is not an
    /// ICAO code ([`nationality_code`]).
    pub fn parse(number: &str, nationality: Option<&str>) -> Result<Self, IdError> {
        match nationality
            .map(str::trim)
            .filter(|n| !n.is_empty() && *n != "CHN")
        {
            None => Ok(IdDocument::Resident {
                number: ResidentId::parse(number)?,
            }),
            Some(nat) => Ok(IdDocument::Passport {
                nationality: nationality_code(nat)?,
                number: passport_number(number)?,
            }),
        }
    }

    /// The key that makes a person unique: `nationality:number`, or the
    /// resident id for citizens.
    pub fn key(&self) -> String {
        match self {
            IdDocument::Resident { number } => number.as_str().to_string(),
            IdDocument::Passport {
                nationality,
                number,
            } => format!("{nationality}:{number}"),
        }
    }

    /// The number as printed on the document.
    pub fn number(&self) -> &str {
        match self {
            IdDocument::Resident { number } => number.as_str(),
            IdDocument::Passport { number, .. } => number,
        }
    }

    /// The nationality: `CHN` for a resident id.
    pub fn nationality(&self) -> &str {
        match self {
            IdDocument::Resident { .. } => "CHN",
            IdDocument::Passport { nationality, .. } => nationality,
        }
    }

    /// For display: see [`mask_id_number`].
    pub fn masked(&self) -> String {
        mask_id_number(self.number())
    }
}

/// Hide the middle of an identity number: the first 6 and last 4 characters
/// of a resident id stay, shorter numbers keep their first and last 2.
///
/// ```
/// assert_eq!(precinct::mask_id_number("11010519491231002X"), "110105********002X");
/// assert_eq!(precinct::mask_id_number("E12345678"), "E1*****78");
/// ```
pub fn mask_id_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let (head, tail) = if chars.len() >= 15 {
        (6, 4)
    } else if chars.len() > 4 {
        (2, 2)
    } else {
        (0, 0)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < head || i + tail >= chars.len() {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// Hide the middle four digits of an 11-digit phone number (other lengths:
/// all but the last 4).
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let shown = if chars.len() == 11 {
                !(3..7).contains(&i)
            } else {
                i + 4 >= chars.len()
            };
            if shown {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// Hide a name for display: a Chinese name keeps its first character
/// (`张三丰` → `张**`), other names keep the first letter of each word.
///
/// ```
/// assert_eq!(precinct::mask_name("张三丰"), "张**");
/// assert_eq!(precinct::mask_name("Anna Maria Eriksson"), "A*** M**** E*******");
/// ```
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().any(char::is_whitespace) || name.is_ascii() {
        name.split_whitespace()
            .map(|w| {
                w.chars()
                    .enumerate()
                    .map(|(i, c)| if i == 0 { c } else { '*' })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        name.chars()
            .enumerate()
            .map(|(i, c)| if i == 0 { c } else { '*' })
            .collect()
    }
}

/// A keyed pseudonym: the same value under the same key always gives the same
/// pseudonym, and without the key it cannot be reversed or recomputed
/// (HMAC-SHA-256, first 16 hex digits).
///
/// ```
/// let a = precinct::pseudonym(b"station secret", "11010519491231002X");
/// assert_eq!(a, precinct::pseudonym(b"station secret", "11010519491231002X"));
/// assert_ne!(a, precinct::pseudonym(b"other secret", "11010519491231002X"));
/// assert_eq!(a.len(), 18);
/// ```
pub fn pseudonym(key: &[u8], value: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        unreachable!("HMAC takes keys of any length")
    };
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut out = String::from("p_");
    for b in digest.iter().take(8) {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A passport number as printed: 1 to 20 letters and digits, read in
/// capitals.
///
/// ```
/// assert_eq!(precinct::passport_number(" e1234567 ").unwrap(), "E1234567");
/// assert!(precinct::passport_number("E-1").is_err());
/// ```
///
/// # Errors
/// [`IdError::Format`] naming the passport number.
pub fn passport_number(text: &str) -> Result<String, IdError> {
    let n = text.trim().to_ascii_uppercase();
    if n.is_empty() || n.len() > 20 || !n.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(IdError::Format {
            document: "passport number",
            input: text.to_string(),
            reason: "expected 1 to 20 letters and digits".into(),
        });
    }
    Ok(n)
}

/// A passport's issuing state as its ICAO 9303 code: 1 to 3 letters (`DEU`,
/// `KOR`, `D` for Germany), read in capitals, fillers (`<`) dropped.
///
/// ```
/// assert_eq!(precinct::nationality_code("kor").unwrap(), "KOR");
/// assert_eq!(precinct::nationality_code("D<<").unwrap(), "D");
/// assert!(precinct::nationality_code("Korea").is_err());
/// ```
///
/// # Errors
/// [`IdError::Format`] naming the nationality.
pub fn nationality_code(text: &str) -> Result<String, IdError> {
    let code = text.trim().trim_end_matches('<').to_ascii_uppercase();
    if code.is_empty() || code.len() > 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(IdError::Format {
            document: "nationality",
            input: text.to_string(),
            reason:
                "expected the issuing state's ICAO code: 1 to 3 letters (DEU, KOR, D for Germany)"
                    .into(),
        });
    }
    Ok(code)
}

/// Parse a resident id, passport lines, credit code or phone from text, for
/// callers that only want a yes/no with the reason.
///
/// # Errors
/// The [`IdError`] of the document kind.
pub fn validate_document(kind: &str, text: &str) -> Result<String, crate::Error> {
    match kind {
        "resident_id" => Ok(ResidentId::parse(text)?.to_string()),
        "credit_code" => Ok(CreditCode::parse(text)?.to_string()),
        "mobile" => Ok(MobileNumber::parse(text)?.to_string()),
        "passport_mrz" => {
            let mut lines = text.lines().filter(|l| !l.trim().is_empty());
            let l1 = lines.next().unwrap_or_default();
            let l2 = lines.next().unwrap_or_default();
            Ok(PassportMrz::parse(l1, l2)?.to_string())
        }
        other => Err(crate::Error::invalid(
            "document kind",
            other,
            "one of resident_id, passport_mrz, credit_code, mobile",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_key_and_mask() {
        let d = IdDocument::parse("11010519491231002X", None).unwrap();
        assert_eq!(d.key(), "11010519491231002X");
        assert_eq!(d.masked(), "110105********002X");
        let p = IdDocument::parse("e1234567", Some("DEU")).unwrap();
        assert_eq!(p.key(), "DEU:E1234567");
        assert!(IdDocument::parse("E-1", Some("DEU")).is_err());
        assert!(IdDocument::parse("123", Some("CHN")).is_err());
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn validate_document_dispatches() {
        assert_eq!(
            validate_document("mobile", "13800138000").unwrap(),
            "13800138000"
        );
        assert_eq!(
            validate_document("fax", "1").unwrap_err().code(),
            "invalid_value"
        );
        assert_eq!(
            validate_document("resident_id", "1").unwrap_err().code(),
            "invalid_identity_document"
        );
    }
}
