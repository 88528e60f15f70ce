//! Unified social credit codes of enterprises (GB 32100-2015).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::IdError;

const DOC: &str = "credit code";
/// The 31 characters of the code: digits and capitals without I, O, Z, S, V.
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Registration authorities of GB 32100-2015 table 1 (1 = institutional
/// organisation, 5 = civil affairs, 9 = industry and commerce, ...).
const AUTHORITIES: &str = "123456789ANY";

/// A valid 18-character unified social credit code.
///
/// Spaces and lower case are accepted on input; the code is kept compact and
/// upper-case.
///
/// ```
/// let code: precinct::CreditCode = "91 110000 600037341L".parse().unwrap();
/// assert_eq!(code.as_str(), "91110000600037341L");
/// assert_eq!(code.region_code(), "110000");
/// assert!("91110000600037341N".parse::<precinct::CreditCode>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct CreditCode(String);

impl CreditCode {
    /// Parse and validate.
    ///
    /// # Errors
    /// [`IdError`] naming the length, the character or the check character.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let chars: Vec<char> = compact.chars().collect();
        if chars.len() != 18 {
            return Err(IdError::Length {
                document: DOC,
                input: input.to_string(),
                found: chars.len(),
                expected: "18",
            });
        }
        let bad = |i: usize, expected: &'static str| IdError::Character {
            document: DOC,
            input: input.to_string(),
            character: chars[i],
            position: i + 1,
            expected,
        };
        if !AUTHORITIES.contains(chars[0]) {
            return Err(bad(0, "a registration authority code (1-9, A, N or Y)"));
        }
        if let Some(i) = (2..8).find(|&i| !chars[i].is_ascii_digit()) {
            return Err(bad(i, "a digit of the region code"));
        }
        let mut values = Vec::with_capacity(18);
        for (i, &c) in chars.iter().enumerate() {
            match ALPHABET.find(c) {
                Some(v) => values.push(v as u32),
                None => {
                    return Err(bad(
                        i,
                        "a digit or a capital letter other than I, O, Z, S, V",
                    ))
                }
            }
        }
        let expected = check_char(&values[..17]);
        if expected != chars[17] {
            return Err(IdError::CheckDigit {
                input: input.to_string(),
                check: "check character",
                expected,
                found: chars[17],
            });
        }
        Ok(CreditCode(compact))
    }

    /// The 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit region code of the registering authority.
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }
}

/// The check character of the first 17 characters, given as alphabet values.
pub(crate) fn check_char(values: &[u32]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    ALPHABET.as_bytes()[((31 - sum % 31) % 31) as usize] as char
}

/// The alphabet value of each character of `body` (characters outside it count 0).
#[cfg(feature = "demo")]
pub(crate) fn values(body: &str) -> Vec<u32> {
    body.chars()
        .map(|c| ALPHABET.find(c).unwrap_or(0) as u32)
        .collect()
}

impl FromStr for CreditCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        CreditCode::parse(s)
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CreditCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors() {
        let e = |s: &str| CreditCode::parse(s).unwrap_err().to_string();
        assert_eq!(
            e("12345"),
            "credit code `12345` has 5 characters, expected 18"
        );
        assert!(e("9111000060003IOZSV").contains("`I` at position 14"));
        assert_eq!(
            e("91110000600037341N"),
            "check character of `91110000600037341N` should be `L`, found `N`"
        );
        assert!(e("B1110000600037341L").contains("registration authority"));
    }
}
