//! Identifier newtypes, so a person id cannot be passed where a place id is meant.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

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
