//! Passport machine-readable zone, ICAO 9303 TD3 (two lines of 44 characters).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::IdError;

const DOC: &str = "passport mrz";

/// The ICAO 9303 check digit (weights 7, 3, 1; `<` = 0, A = 10 ... Z = 35).
///
/// ```
/// assert_eq!(precinct::mrz_check_digit("L898902C3"), Some('6'));
/// assert_eq!(precinct::mrz_check_digit("l898902c3"), None);
/// ```
/// Returns `None` when a character is not a digit, an upper-case letter or `<`.
pub fn mrz_check_digit(field: &str) -> Option<char> {
    let mut sum = 0u32;
    for (i, c) in field.chars().enumerate() {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            '<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    char::from_digit(sum % 10, 10)
}

/// A passport's data page as read from a valid TD3 machine-readable zone.
///
/// ```
/// let mrz = precinct::PassportMrz::parse(
///     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
///     "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
/// ).unwrap();
/// assert_eq!(mrz.surname, "ERIKSSON");
/// assert_eq!(mrz.given_names, "ANNA MARIA");
/// assert_eq!(mrz.document_number, "L898902C3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PassportMrz {
    line1: String,
    line2: String,
    /// Document code, `P` followed by a letter or `<`.
    pub document_code: String,
    /// Issuing state or organisation (ICAO three-letter code, `<`s removed).
    pub issuing_state: String,
    /// Primary identifier, `<` read as spaces.
    pub surname: String,
    /// Secondary identifier, `<` read as spaces.
    pub given_names: String,
    /// Passport number without filler.
    pub document_number: String,
    /// Nationality (ICAO three-letter code, `<`s removed).
    pub nationality: String,
    /// Date of birth as YYMMDD (the century is not encoded).
    pub birth_date_yymmdd: String,
    /// `M`, `F` or `<` (unspecified).
    pub sex: char,
    /// Date of expiry.
    pub expiry_date: NaiveDate,
    /// Personal number or optional data, filler removed.
    pub personal_number: String,
}

impl PassportMrz {
    /// Parse and check both lines: format, dates and all five check digits.
    ///
    /// # Errors
    /// [`IdError`] naming the line length, character, date or the check digit
    /// that does not match, with its expected value.
    pub fn parse(line1: &str, line2: &str) -> Result<Self, IdError> {
        let (l1, l2) = (line1.trim(), line2.trim());
        for (line, name) in [(l1, "line 1"), (l2, "line 2")] {
            let n = line.chars().count();
            if n != 44 {
                return Err(IdError::Length {
                    document: if name == "line 1" {
                        "passport mrz line 1"
                    } else {
                        "passport mrz line 2"
                    },
                    input: line.to_string(),
                    found: n,
                    expected: "44",
                });
            }
            if let Some((i, c)) = line
                .chars()
                .enumerate()
                .find(|(_, c)| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '<'))
            {
                return Err(IdError::Character {
                    document: DOC,
                    input: line.to_string(),
                    character: c,
                    position: i + 1,
                    expected: "A-Z, 0-9 or <",
                });
            }
        }
        if !l1.starts_with('P') {
            return Err(IdError::Format {
                document: DOC,
                input: l1.to_string(),
                reason: "a passport's first line starts with `P`".into(),
            });
        }
        let names = &l1[5..44];
        let (surname, given) = names.split_once("<<").unwrap_or((names, ""));
        let doc_number = &l2[0..9];
        let birth = &l2[13..19];
        let expiry = &l2[21..27];
        let personal = &l2[28..42];
        let check = |field: &str, found: char, what: &'static str, allow_filler: bool| {
            let expected = mrz_check_digit(field).unwrap_or('0');
            // An empty optional field may carry `<` instead of `0` (ICAO 9303-4 4.2.2).
            let filler_ok = allow_filler && found == '<' && field.chars().all(|c| c == '<');
            if found == expected || filler_ok {
                Ok(())
            } else {
                Err(IdError::CheckDigit {
                    input: l2.to_string(),
                    check: what,
                    expected,
                    found,
                })
            }
        };
        let c = |i: usize| l2.as_bytes()[i] as char;
        check(doc_number, c(9), "document number check digit", false)?;
        check(birth, c(19), "birth date check digit", false)?;
        check(expiry, c(27), "expiry date check digit", false)?;
        check(personal, c(42), "personal number check digit", true)?;
        let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
        check(&composite, c(43), "composite check digit", false)?;

        let date = |field: &'static str, v: &str| {
            NaiveDate::parse_from_str(&format!("20{v}"), "%Y%m%d").map_err(|_| IdError::Date {
                document: DOC,
                input: l2.to_string(),
                field,
                value: v.to_string(),
            })
        };
        // The century of the birth date is not encoded: only check it is a date.
        date("birth date", birth)?;
        let expiry_date = date("expiry date", expiry)?;
        let sex = c(20);
        if !matches!(sex, 'M' | 'F' | '<' | 'X') {
            return Err(IdError::Character {
                document: DOC,
                input: l2.to_string(),
                character: sex,
                position: 21,
                expected: "M, F or <",
            });
        }
        let words = |s: &str| s.trim_end_matches('<').replace('<', " ").trim().to_string();
        Ok(PassportMrz {
            line1: l1.to_string(),
            line2: l2.to_string(),
            document_code: l1[0..2].trim_end_matches('<').to_string(),
            issuing_state: l1[2..5].trim_end_matches('<').to_string(),
            surname: words(surname),
            given_names: words(given),
            document_number: doc_number.trim_end_matches('<').to_string(),
            nationality: l2[10..13].trim_end_matches('<').to_string(),
            birth_date_yymmdd: birth.to_string(),
            sex,
            expiry_date,
            personal_number: personal.trim_end_matches('<').to_string(),
        })
    }

    /// The two lines as read.
    pub fn lines(&self) -> (&str, &str) {
        (&self.line1, &self.line2)
    }
}

impl fmt::Display for PassportMrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n{}", self.line1, self.line2)
    }
}

#[derive(Serialize, Deserialize)]
struct Lines {
    line1: String,
    line2: String,
}

impl Serialize for PassportMrz {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Lines {
            line1: self.line1.clone(),
            line2: self.line2.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PassportMrz {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let l = Lines::deserialize(d)?;
        PassportMrz::parse(&l.line1, &l.line2).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    const L2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn names_the_check_digit_that_fails() {
        let bad = "L898902C36UTO7408122F1204159ZE184226B<<<<<20";
        let e = PassportMrz::parse(L1, bad).unwrap_err().to_string();
        assert_eq!(
            e,
            format!("personal number check digit of `{bad}` should be `1`, found `2`")
        );
        let bad = "L898902C37UTO7408122F1204159ZE184226B<<<<<10";
        let e = PassportMrz::parse(L1, bad).unwrap_err().to_string();
        assert!(e.starts_with("document number check digit"), "{e}");
    }

    #[test]
    fn rejects_bad_length_and_characters() {
        assert!(PassportMrz::parse(L1, &L2[..43])
            .unwrap_err()
            .to_string()
            .contains("has 43 characters"));
        let lower = L1.replace("ANNA", "anna");
        assert!(PassportMrz::parse(&lower, L2)
            .unwrap_err()
            .to_string()
            .contains("`a` at position"));
        let id = L1.replacen('P', "I", 1);
        assert!(PassportMrz::parse(&id, L2).is_err());
    }

    #[test]
    fn fields_and_serde() {
        let m = PassportMrz::parse(L1, L2).unwrap();
        assert_eq!(m.issuing_state, "UTO");
        assert_eq!(m.sex, 'F');
        assert_eq!(m.expiry_date, NaiveDate::from_ymd_opt(2012, 4, 15).unwrap());
        assert_eq!(m.personal_number, "ZE184226B");
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<PassportMrz>(&json).unwrap(), m);
    }
}
