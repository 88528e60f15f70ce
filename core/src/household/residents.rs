//! The register: persons, households, tenancies, and duplicates merged.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::{IdDocument, MobileNumber};
use crate::ids::{HouseholdId, PersonId};

/// A person, unique by identity document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct Person {
    /// The station's id for the person.
    pub id: PersonId,
    /// Full name.
    pub name: String,
    /// The identity document the person is registered under.
    pub document: IdDocument,
    /// The household the person is registered in, if any.
    pub household: Option<HouseholdId>,
    /// Mobile number, if known.
    pub phone: Option<MobileNumber>,
    /// Whether the person has a smartphone (and so can show a health code).
    pub has_smartphone: Option<bool>,
}

/// A household (户): an address in a village and group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct Household {
    /// The household's id.
    pub id: HouseholdId,
    /// Village or community (村/社区).
    pub village: String,
    /// Group (组) within the village.
    pub group: String,
    /// Street address.
    pub address: String,
    /// The landlord of a rental household (出租户); `None` when owner-occupied.
    pub landlord: Option<PersonId>,
}

impl Household {
    /// Whether the household is rented out.
    pub fn is_rental(&self) -> bool {
        self.landlord.is_some()
    }
}

/// A tenant's stay in a rental household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tenancy {
    /// The rental household.
    pub household: HouseholdId,
    /// The tenant.
    pub person: PersonId,
    /// Day the tenant moved in.
    pub arrived: NaiveDate,
    /// Day the tenant left, if they have.
    pub left: Option<NaiveDate>,
}

impl Tenancy {
    /// Whether the tenant lives there on `day`.
    pub fn on(&self, day: NaiveDate) -> bool {
        self.arrived <= day && self.left.is_none_or(|l| day < l)
    }
}

/// The register of persons and households: who lives where, who lets which
/// home, and which records turned out to be the same person.
///
/// ```
/// use precinct::{Household, Person, Residents, IdDocument};
/// let mut r = Residents::default();
/// r.add_household(Household { id: "H1".into(), village: "Yaozhuang".into(), group: "1".into(),
///     address: "1 East Road".into(), landlord: None }).unwrap();
/// let doc = IdDocument::parse("11010519491231002X", None).unwrap();
/// let p = Person { id: "P1".into(), name: "Zhang San".into(), document: doc.clone(),
///     household: Some("H1".into()), phone: None, has_smartphone: Some(false) };
/// r.register_person(p.clone()).unwrap();
/// let again = r.register_person(precinct::Person { id: "P2".into(), ..p }).unwrap_err();
/// assert_eq!(again.to_string(), "identity document `11010519491231002X` is already registered as person `P1`");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Residents {
    persons: BTreeMap<PersonId, Person>,
    by_document: BTreeMap<String, PersonId>,
    merged: BTreeMap<PersonId, PersonId>,
    households: BTreeMap<HouseholdId, Household>,
    tenancies: Vec<Tenancy>,
}

impl Residents {
    /// Register a person.
    ///
    /// # Errors
    /// [`Error::Duplicate`] when the id or the identity document is already
    /// registered (naming the first registration); [`Error::NotFound`] for an
    /// unknown household.
    pub fn register_person(&mut self, person: Person) -> Result<()> {
        self.check_new_person(&person)?;
        self.by_document
            .insert(person.document.key(), person.id.clone());
        self.persons.insert(person.id.clone(), person);
        Ok(())
    }

    /// Register a person whose document another person is registered
    /// under already: two devices registered the same document offline.
    /// The first keeps the document; both stay on record until a person
    /// merges them ([`Residents::merge_persons`]).
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a known person id; [`Error::NotFound`] for
    /// an unknown household.
    pub(crate) fn register_person_sharing_document(&mut self, person: Person) -> Result<()> {
        if self.persons.contains_key(&person.id) || self.merged.contains_key(&person.id) {
            return Err(Error::Duplicate {
                what: "person id",
                key: person.id.to_string(),
                existing: format!("person `{}`", self.resolve(&person.id)),
            });
        }
        if let Some(h) = &person.household {
            self.household(h)?;
        }
        self.by_document
            .entry(person.document.key())
            .or_insert_with(|| person.id.clone());
        self.persons.insert(person.id.clone(), person);
        Ok(())
    }

    /// Check that [`Residents::register_person`] would succeed, without changing anything.
    ///
    /// # Errors
    /// As [`Residents::register_person`].
    pub fn check_new_person(&self, person: &Person) -> Result<()> {
        if self.persons.contains_key(&person.id) || self.merged.contains_key(&person.id) {
            return Err(Error::Duplicate {
                what: "person id",
                key: person.id.to_string(),
                existing: format!("person `{}`", self.resolve(&person.id)),
            });
        }
        if let Some(first) = self.by_document.get(&person.document.key()) {
            return Err(Error::Duplicate {
                what: "identity document",
                key: person.document.key(),
                existing: format!("person `{first}`"),
            });
        }
        if let Some(h) = &person.household {
            self.household(h)?;
        }
        Ok(())
    }

    /// Merge a duplicate found later into the person to keep: the duplicate's
    /// tenancies and landlordships move over, its id becomes an alias that
    /// [`Residents::resolve`] follows, and its document is kept as an alias.
    /// (The station's [`crate::Station::merge_persons`] also moves its
    /// commitments and its places in teams and the responsibility tree.)
    ///
    /// # Errors
    /// [`Error::NotFound`] when either id is unknown; [`Error::InvalidValue`]
    /// when both are the same person.
    pub fn merge_persons(&mut self, keep: &PersonId, duplicate: &PersonId) -> Result<()> {
        self.check_merge(keep, duplicate)?;
        let (keep, duplicate) = (&self.resolve(keep), &self.resolve(duplicate));
        let Some(dup) = self.persons.remove(duplicate) else {
            return Err(Error::not_found("person", duplicate));
        };
        self.by_document.insert(dup.document.key(), keep.clone());
        for t in &mut self.tenancies {
            if &t.person == duplicate {
                t.person = keep.clone();
            }
        }
        for h in self.households.values_mut() {
            if h.landlord.as_ref() == Some(duplicate) {
                h.landlord = Some(keep.clone());
            }
        }
        if let Some(kept) = self.persons.get_mut(keep) {
            if kept.household.is_none() {
                kept.household = dup.household;
            }
            if kept.phone.is_none() {
                kept.phone = dup.phone;
            }
        }
        for target in self.merged.values_mut() {
            if target == duplicate {
                *target = keep.clone();
            }
        }
        self.merged.insert(duplicate.clone(), keep.clone());
        Ok(())
    }

    /// Check that [`Residents::merge_persons`] would succeed.
    ///
    /// # Errors
    /// As [`Residents::merge_persons`].
    pub fn check_merge(&self, keep: &PersonId, duplicate: &PersonId) -> Result<()> {
        self.person(keep)?;
        self.person(duplicate)?;
        if self.resolve(keep) == self.resolve(duplicate) {
            return Err(Error::invalid(
                "duplicate person",
                duplicate,
                "a different person than the one kept",
            ));
        }
        Ok(())
    }

    /// The id a person is now known under (following merges).
    pub fn resolve(&self, id: &PersonId) -> PersonId {
        self.merged.get(id).cloned().unwrap_or_else(|| id.clone())
    }

    /// A person by id (following merges).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn person(&self, id: &PersonId) -> Result<&Person> {
        self.persons
            .get(&self.resolve(id))
            .ok_or_else(|| Error::not_found("person", id))
    }

    /// The person registered under an identity document key (see [`IdDocument::key`]).
    pub fn person_by_document(&self, key: &str) -> Option<&Person> {
        self.by_document
            .get(key)
            .and_then(|id| self.persons.get(id))
    }

    /// All persons, by id.
    pub fn persons(&self) -> impl Iterator<Item = &Person> {
        self.persons.values()
    }

    /// Number of persons.
    pub fn person_count(&self) -> usize {
        self.persons.len()
    }

    /// Add a household.
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a known id; [`Error::NotFound`] for an unknown landlord.
    pub fn add_household(&mut self, household: Household) -> Result<()> {
        self.check_new_household(&household)?;
        self.households.insert(household.id.clone(), household);
        Ok(())
    }

    /// Check that [`Residents::add_household`] would succeed.
    ///
    /// # Errors
    /// As [`Residents::add_household`].
    pub fn check_new_household(&self, household: &Household) -> Result<()> {
        if self.households.contains_key(&household.id) {
            return Err(Error::Duplicate {
                what: "household",
                key: household.id.to_string(),
                existing: "a household".into(),
            });
        }
        if let Some(l) = &household.landlord {
            self.person(l)?;
        }
        Ok(())
    }

    /// Make a household a rental one with `landlord` (or change its landlord).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown household or person.
    pub fn set_landlord(&mut self, household: &HouseholdId, landlord: &PersonId) -> Result<()> {
        let landlord = self.resolve(landlord);
        self.person(&landlord)?;
        let h = self
            .households
            .get_mut(household)
            .ok_or_else(|| Error::not_found("household", household))?;
        h.landlord = Some(landlord);
        Ok(())
    }

    /// A household by id.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn household(&self, id: &HouseholdId) -> Result<&Household> {
        self.households
            .get(id)
            .ok_or_else(|| Error::not_found("household", id))
    }

    /// All households, by id.
    pub fn households(&self) -> impl Iterator<Item = &Household> {
        self.households.values()
    }

    /// Rental households, by id.
    pub fn rental_households(&self) -> impl Iterator<Item = &Household> {
        self.households.values().filter(|h| h.is_rental())
    }

    /// A household that is rented out.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id; [`Error::InvalidValue`] when it
    /// has no landlord.
    pub(crate) fn rental(&self, id: &HouseholdId) -> Result<&Household> {
        let h = self.household(id)?;
        if h.is_rental() {
            Ok(h)
        } else {
            Err(Error::invalid(
                "household",
                id,
                "a rental household (one with a landlord)",
            ))
        }
    }

    /// A tenant moves into a rental household.
    ///
    /// # Errors
    /// [`Error::NotFound`] for unknown ids; [`Error::InvalidValue`] when the
    /// household is not rented out; [`Error::Duplicate`] when the tenant
    /// already lives there.
    pub fn tenant_arrives(
        &mut self,
        household: &HouseholdId,
        person: &PersonId,
        day: NaiveDate,
    ) -> Result<()> {
        self.rental(household)?;
        let person = self.resolve(person);
        self.person(&person)?;
        if self
            .tenancies
            .iter()
            .any(|t| &t.household == household && t.person == person && t.left.is_none())
        {
            return Err(Error::Duplicate {
                what: "tenant",
                key: person.to_string(),
                existing: format!("a tenant of `{household}`"),
            });
        }
        self.tenancies.push(Tenancy {
            household: household.clone(),
            person,
            arrived: day,
            left: None,
        });
        Ok(())
    }

    /// A tenant leaves a rental household.
    ///
    /// # Errors
    /// [`Error::InvalidTransition`] when the person is not a current tenant or
    /// the day is before the arrival.
    pub fn tenant_leaves(
        &mut self,
        household: &HouseholdId,
        person: &PersonId,
        day: NaiveDate,
    ) -> Result<()> {
        let person = self.resolve(person);
        let t = self
            .tenancies
            .iter_mut()
            .find(|t| &t.household == household && t.person == person && t.left.is_none())
            .ok_or_else(|| Error::InvalidTransition {
                what: "tenancy",
                id: format!("{person} in {household}"),
                action: "end",
                reason: "the person is not a current tenant".into(),
            })?;
        if day < t.arrived {
            return Err(Error::InvalidTransition {
                what: "tenancy",
                id: format!("{person} in {household}"),
                action: "end",
                reason: format!("{day} is before the arrival on {}", t.arrived),
            });
        }
        t.left = Some(day);
        Ok(())
    }

    /// Every tenancy, in the order recorded.
    pub fn tenancies(&self) -> &[Tenancy] {
        &self.tenancies
    }

    /// Persons living in a household on `day`: those registered there and its
    /// current tenants.
    pub fn residents_of(&self, household: &HouseholdId, day: NaiveDate) -> BTreeSet<PersonId> {
        let mut out: BTreeSet<PersonId> = self
            .persons
            .values()
            .filter(|p| p.household.as_ref() == Some(household))
            .map(|p| p.id.clone())
            .collect();
        out.extend(
            self.tenancies
                .iter()
                .filter(|t| &t.household == household && t.on(day))
                .map(|t| t.person.clone()),
        );
        out
    }

    /// The households a person lives in on `day`.
    pub fn homes_of(&self, person: &PersonId, day: NaiveDate) -> BTreeSet<HouseholdId> {
        let person = self.resolve(person);
        let mut out = BTreeSet::new();
        if let Some(h) = self.persons.get(&person).and_then(|p| p.household.clone()) {
            out.insert(h);
        }
        out.extend(
            self.tenancies
                .iter()
                .filter(|t| t.person == person && t.on(day))
                .map(|t| t.household.clone()),
        );
        out
    }
}
