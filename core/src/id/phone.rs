//! Mainland China mobile phone numbers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::IdError;

const DOC: &str = "mobile number";

/// A mainland mobile number: 11 digits starting with 13 to 19.
///
/// A `+86` or `86` prefix, spaces and hyphens are accepted on input.
///
/// ```
/// let phone: precinct::MobileNumber = "+86 138-0013-8000".parse().unwrap();
/// assert_eq!(phone.as_str(), "13800138000");
/// assert_eq!(phone.masked(), "138****8000");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Parse and validate.
    ///
    /// # Errors
    /// [`IdError`] naming the length, the character or the prefix.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let mut digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if let Some(rest) = digits.strip_prefix("+86") {
            digits = rest.to_string();
        } else if digits.len() == 13 && digits.starts_with("86") {
            digits = digits[2..].to_string();
        }
        if let Some((i, c)) = digits
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_digit())
        {
            return Err(IdError::Character {
                document: DOC,
                input: input.to_string(),
                character: c,
                position: i + 1,
                expected: "a digit",
            });
        }
        if digits.len() != 11 {
            return Err(IdError::Length {
                document: DOC,
                input: input.to_string(),
                found: digits.len(),
                expected: "11 digits",
            });
        }
        let b = digits.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(IdError::Format {
                document: DOC,
                input: input.to_string(),
                reason: "expected a number starting with 13 to 19".into(),
            });
        }
        Ok(MobileNumber(digits))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For display: the middle four digits hidden.
    pub fn masked(&self) -> String {
        crate::id::mask_phone(&self.0)
    }
}

impl FromStr for MobileNumber {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        MobileNumber::parse(s)
    }
}

impl fmt::Display for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for MobileNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MobileNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        MobileNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_prefixes_and_rejects_bad_numbers() {
        assert_eq!(
            MobileNumber::parse("8613800138000").unwrap().as_str(),
            "13800138000"
        );
        let e = |s: &str| MobileNumber::parse(s).unwrap_err().to_string();
        assert_eq!(
            e("1380013800"),
            "mobile number `1380013800` has 10 characters, expected 11 digits"
        );
        assert!(e("12800138000").contains("starting with 13 to 19"));
        assert!(e("1380013800a").contains("`a` at position 11"));
    }
}
