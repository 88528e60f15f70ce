//! Resident identity card numbers (GB 11643-1999).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::IdError;

const DOC: &str = "resident id";
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Province-level codes of GB/T 2260, plus 81/82/83 (residence permits of Hong
/// Kong, Macao and Taiwan residents) and 71 (Taiwan).
///
/// Deliberate difference from python-stdnum: we check the province, not the
/// full county table with its history (7,000 codes that change every year);
/// a county code that did not exist in the birth year is accepted here.
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// Sex as encoded by the parity of the sequence digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Odd sequence digit.
    Male,
    /// Even sequence digit.
    Female,
}

/// A valid 18-character resident identity card number.
///
/// Parsing accepts 18 characters (a lower-case `x` check character is read as
/// `X`) and legacy 15-digit numbers, which are upgraded to 18.
///
/// ```
/// use precinct::ResidentId;
/// let id: ResidentId = "11010519491231002X".parse().unwrap();
/// assert_eq!(id.birth_date().to_string(), "1949-12-31");
/// assert_eq!(id.sex(), precinct::Sex::Female);
/// let old: ResidentId = "150102880730303".parse().unwrap();
/// assert_eq!(old.as_str(), "150102198807303035");
/// let err = "110105194912310021".parse::<ResidentId>().unwrap_err();
/// assert_eq!(err.to_string(), "check character of `110105194912310021` should be `X`, found `1`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct ResidentId(String);

impl ResidentId {
    /// Parse and validate a 15- or 18-character number.
    ///
    /// # Errors
    /// [`IdError`] naming the length, character, birth date, region or check
    /// character that is wrong.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let trimmed = input.trim();
        let chars: Vec<char> = trimmed.chars().collect();
        match chars.len() {
            18 => Self::parse18(trimmed, &chars),
            15 => Self::parse15(trimmed, &chars),
            n => Err(IdError::Length {
                document: DOC,
                input: input.to_string(),
                found: n,
                expected: "18 (or 15 for a legacy number)",
            }),
        }
    }

    fn parse18(input: &str, chars: &[char]) -> Result<Self, IdError> {
        digits_only(input, &chars[..17])?;
        let last = chars[17].to_ascii_uppercase();
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(IdError::Character {
                document: DOC,
                input: input.to_string(),
                character: chars[17],
                position: 18,
                expected: "a digit or X",
            });
        }
        let body: String = chars[..17].iter().collect();
        check_region(input, &body[..6])?;
        birth_date(input, &body[6..14])?;
        let expected = check_char(&body);
        if expected != last {
            return Err(IdError::CheckDigit {
                input: input.to_string(),
                check: "check character",
                expected,
                found: last,
            });
        }
        Ok(ResidentId(format!("{body}{last}")))
    }

    fn parse15(input: &str, chars: &[char]) -> Result<Self, IdError> {
        digits_only(input, chars)?;
        let s: String = chars.iter().collect();
        check_region(input, &s[..6])?;
        // Legacy numbers carry a two-digit year of the 1900s.
        let body = format!("{}19{}", &s[..6], &s[6..]);
        birth_date(input, &body[6..14])?;
        let check = check_char(&body);
        Ok(ResidentId(format!("{body}{check}")))
    }

    /// The 18 characters, check character upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit region (administrative division) code of registration.
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    /// Date of birth.
    pub fn birth_date(&self) -> NaiveDate {
        // Validated at construction.
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").unwrap_or_default()
    }

    /// Sex from the parity of the 17th digit.
    pub fn sex(&self) -> Sex {
        if self.0.as_bytes()[16] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Age in whole years on `day`.
    pub fn age_on(&self, day: NaiveDate) -> u32 {
        let born = self.birth_date();
        let mut age = day.year() - born.year();
        if (day.month(), day.day()) < (born.month(), born.day()) {
            age -= 1;
        }
        age.max(0) as u32
    }
}

/// The ISO 7064 MOD 11-2 check character of 17 digits.
pub(crate) fn check_char(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    char::from(CHECK_CHARS[(sum % 11) as usize])
}

fn digits_only(input: &str, chars: &[char]) -> Result<(), IdError> {
    match chars.iter().position(|c| !c.is_ascii_digit()) {
        Some(i) => Err(IdError::Character {
            document: DOC,
            input: input.to_string(),
            character: chars[i],
            position: i + 1,
            expected: "a digit",
        }),
        None => Ok(()),
    }
}

fn check_region(input: &str, region: &str) -> Result<(), IdError> {
    let b = region.as_bytes();
    let two = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
    // Foreign permanent residents' cards of 2023 start with 9 followed by the
    // province code.
    let province = if b[0] == b'9' { two(1) } else { two(0) };
    if PROVINCES.contains(&province) {
        Ok(())
    } else {
        Err(IdError::Region {
            input: input.to_string(),
            region: region.to_string(),
        })
    }
}

fn birth_date(input: &str, yyyymmdd: &str) -> Result<NaiveDate, IdError> {
    NaiveDate::parse_from_str(yyyymmdd, "%Y%m%d")
        .ok()
        .filter(|d| d.year() >= 1850)
        .ok_or_else(|| IdError::Date {
            document: DOC,
            input: input.to_string(),
            field: "birth date",
            value: yyyymmdd.to_string(),
        })
}

impl FromStr for ResidentId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        ResidentId::parse(s)
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ResidentId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ResidentId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ResidentId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_is_wrong() {
        let e = |s: &str| ResidentId::parse(s).unwrap_err().to_string();
        assert_eq!(
            e("4403081999011015"),
            "resident id `4403081999011015` has 16 characters, expected 18 (or 15 for a legacy number)"
        );
        assert_eq!(
            e("T60426199101010078"),
            "resident id `T60426199101010078` has `T` at position 1, expected a digit"
        );
        assert_eq!(
            e("440308199902301512"),
            "resident id `440308199902301512` has birth date `19990230`, which is not a real date"
        );
        assert!(e("990426199112010074").contains("region code `990426`"));
        assert_eq!(
            e("36042619910102009X"),
            "check character of `36042619910102009X` should be `3`, found `X`"
        );
    }

    #[test]
    fn fields_and_upgrade() {
        let id = ResidentId::parse("44011320141005001x").unwrap();
        assert_eq!(id.as_str(), "44011320141005001X");
        assert_eq!(id.region_code(), "440113");
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.age_on(NaiveDate::from_ymd_opt(2020, 10, 4).unwrap()), 5);
        assert_eq!(id.age_on(NaiveDate::from_ymd_opt(2020, 10, 5).unwrap()), 6);
        assert_eq!(
            ResidentId::parse("330102200403064").unwrap().as_str(),
            "33010219200403064X"
        );
    }

    #[test]
    fn serde_round_trip_validates() {
        let id = ResidentId::parse("110101199003078670").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<ResidentId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<ResidentId>("\"110101199003078671\"").is_err());
    }
}
