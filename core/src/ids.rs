//! Identifier newtypes, so a person id cannot be passed where a place id is meant.
//!
//! Ids sort as people read them: integers (decimal digits) numerically and
//! before other ids, which sort as text, so `9 < 10 < 1000 < P1`. Every list
//! and map of records keyed by an id follows that order, as the visit index
//! does.

use std::cmp::Ordering;

/// The order of ids: integers (decimal digits) numerically and before other
/// ids, which sort as text. Ids equal as numbers (`7`, `007`) sort by text,
/// so only equal ids compare equal.
pub fn id_order(a: &str, b: &str) -> Ordering {
    fn numeric(s: &str) -> Option<&str> {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| {
            let t = s.trim_start_matches('0');
            if t.is_empty() {
                "0"
            } else {
                t
            }
        })
    }
    match (numeric(a), numeric(b)) {
        (Some(x), Some(y)) => x.len().cmp(&y.len()).then(x.cmp(y)).then(a.cmp(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub struct $name(String);

        impl Ord for $name {
            fn cmp(&self, other: &Self) -> Ordering {
                id_order(&self.0, &other.0)
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// A person in the station's records.
    PersonId
);
id_type!(
    /// A household (户).
    HouseholdId
);
id_type!(
    /// A place that can be visited (a venue with a check-in code, a shop, a home).
    PlaceId
);
id_type!(
    /// A confirmed case.
    CaseId
);
id_type!(
    /// An enterprise.
    EnterpriseId
);
id_type!(
    /// A member of staff: police officer, cadre, party member, leader.
    StaffId
);
id_type!(
    /// An isolation or observation order.
    OrderId
);
id_type!(
    /// A risk area (county, district or city as the health authority names it).
    AreaId
);
id_type!(
    /// A foreign national's stay.
    StayId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ids_sort_numerically_and_before_text() {
        let mut ids: Vec<PersonId> = ["P2", "1000", "1", "10", "P10", "009", "9", "1009", "0"]
            .into_iter()
            .map(PersonId::from)
            .collect();
        ids.sort();
        let order: Vec<&str> = ids.iter().map(PersonId::as_str).collect();
        assert_eq!(
            order,
            ["0", "1", "009", "9", "10", "1000", "1009", "P10", "P2"]
        );
    }
}
