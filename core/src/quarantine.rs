//! Returnees and isolation: risk areas whose level changes over time, travel
//! records, returnee detection, home isolation and centralized medical
//! observation orders.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::{AreaId, OrderId, PersonId};
use crate::policy::Policy;
use crate::time::{add_days, day_interval, render_instant, Instant, Zone};

/// Risk level of an area as the health authority grades it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Low risk.
    Low,
    /// Medium risk.
    Medium,
    /// High risk.
    High,
}

/// An area with its risk level over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RiskArea {
    /// The area's id.
    pub id: AreaId,
    /// Its name.
    pub name: String,
    /// Level changes `(from, level)`, in time order; before the first, low.
    pub levels: Vec<(Instant, RiskLevel)>,
}

impl RiskArea {
    /// The level in force at `at`.
    pub fn level_at(&self, at: Instant) -> RiskLevel {
        self.levels
            .iter()
            .rev()
            .find(|(from, _)| *from <= at)
            .map_or(RiskLevel::Low, |(_, l)| *l)
    }
}

/// A journey of a person from an area into the station's area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TravelRecord {
    /// Who travelled.
    pub person: PersonId,
    /// The area they came from.
    pub from_area: AreaId,
    /// When they left it.
    #[serde(with = "crate::time::given")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub departed: Instant,
    /// When they arrived here.
    #[serde(with = "crate::time::given")]
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub arrived: Instant,
}

/// A person found to be a returnee from a high-risk area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Returnee {
    /// The returnee.
    pub person: PersonId,
    /// The area they came from.
    pub from_area: AreaId,
    /// When they left it (when it was high-risk).
    pub departed: Instant,
    /// When they arrived.
    pub arrived: Instant,
}

/// Where an order is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum IsolationKind {
    /// Home isolation (居家隔离).
    Home,
    /// Centralized medical observation (集中医学隔离观察).
    Centralized,
}

/// The state of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case", tag = "state", content = "at")]
pub enum OrderStatus {
    /// Being served.
    Active,
    /// Released at the instant.
    Released(Instant),
    /// The person became a case at the instant.
    BecameCase(Instant),
}

/// Something that happened to an order after it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum OrderChange {
    /// Moved from home isolation to centralized observation.
    Transferred {
        /// When.
        at: Instant,
    },
    /// Extended after a new exposure.
    Extended {
        /// The new exposure.
        exposure: Instant,
        /// End before.
        previous_end: Instant,
        /// End after.
        new_end: Instant,
    },
}

/// An isolation or medical observation order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IsolationOrder {
    /// The order's id.
    pub id: OrderId,
    /// The person isolated.
    pub person: PersonId,
    /// Where it is served now.
    pub kind: IsolationKind,
    /// Why: e.g. `returnee from A` or `close contact of case C`.
    pub reason: String,
    /// Start.
    pub start: Instant,
    /// Earliest release.
    pub end: Instant,
    /// Current state.
    pub status: OrderStatus,
    /// Transfers and extensions, in order.
    pub changes: Vec<OrderChange>,
}

impl IsolationOrder {
    /// Whether the person is under the order at `at`.
    pub fn in_force_at(&self, at: Instant) -> bool {
        self.start <= at
            && match self.status {
                OrderStatus::Active => true,
                OrderStatus::Released(r) | OrderStatus::BecameCase(r) => at < r,
            }
    }
}

/// The registry of risk areas, travel records and isolation orders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantine {
    areas: BTreeMap<AreaId, RiskArea>,
    travels: Vec<TravelRecord>,
    orders: BTreeMap<OrderId, IsolationOrder>,
    /// Orders made when a contact was isolated without naming one: a formal
    /// order made later for the same person takes their place.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    provisional: BTreeSet<OrderId>,
}

impl Quarantine {
    /// Set an area's level from `from` on (adding the area when new).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `from` is before the area's last change:
    /// levels are recorded in time order. Times in the message are in the
    /// policy's zone.
    pub fn set_risk_level(
        &mut self,
        area: &AreaId,
        name: &str,
        from: Instant,
        level: RiskLevel,
        policy: &Policy,
    ) -> Result<()> {
        let zone = policy.zone();
        let a = self.areas.entry(area.clone()).or_insert_with(|| RiskArea {
            id: area.clone(),
            name: name.to_string(),
            levels: Vec::new(),
        });
        if let Some((last, _)) = a.levels.last() {
            if from < *last {
                return Err(Error::invalid(
                    "risk level change",
                    render_instant(from, zone),
                    format!(
                        "a time after the last change of `{area}` at {}",
                        render_instant(*last, zone)
                    ),
                ));
            }
        }
        a.levels.push((from, level));
        Ok(())
    }

    /// An area by id.
    pub fn area(&self, id: &AreaId) -> Option<&RiskArea> {
        self.areas.get(id)
    }

    /// All areas.
    pub fn areas(&self) -> impl Iterator<Item = &RiskArea> {
        self.areas.values()
    }

    /// Record a journey.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when the arrival is before the departure
    /// (times in the message are in the policy's zone).
    pub fn record_travel(&mut self, travel: TravelRecord, policy: &Policy) -> Result<()> {
        if travel.arrived < travel.departed {
            let zone = policy.zone();
            return Err(Error::invalid(
                "arrival",
                render_instant(travel.arrived, zone),
                format!(
                    "a time after the departure at {}",
                    render_instant(travel.departed, zone)
                ),
            ));
        }
        self.travels.push(travel);
        Ok(())
    }

    /// Every journey recorded.
    pub fn travels(&self) -> &[TravelRecord] {
        &self.travels
    }

    /// Returnees as of `as_of`: persons who arrived within the policy's
    /// look-back period (calendar days in the policy's zone) from an area
    /// that was high-risk when they left it.
    pub fn returnees(&self, as_of: Instant, policy: &Policy) -> Vec<Returnee> {
        // Saturates at the beginning of time (add_days).
        let since = add_days(
            as_of,
            -i64::from(policy.returnee_lookback_days),
            policy.zone(),
        );
        self.travels
            .iter()
            .filter(|t| t.arrived <= as_of && t.arrived >= since)
            .filter(|t| {
                self.areas
                    .get(&t.from_area)
                    .is_some_and(|a| a.level_at(t.departed) == RiskLevel::High)
            })
            .map(|t| Returnee {
                person: t.person.clone(),
                from_area: t.from_area.clone(),
                departed: t.departed,
                arrived: t.arrived,
            })
            .collect()
    }

    fn insert_order(&mut self, order: IsolationOrder) -> Result<&IsolationOrder> {
        if self.orders.contains_key(&order.id) {
            return Err(Error::Duplicate {
                what: "isolation order",
                key: order.id.to_string(),
                existing: "an order".into(),
            });
        }
        let id = order.id.clone();
        self.orders.insert(id.clone(), order);
        self.order(&id)
    }

    /// Home isolation of a returnee ordered at `ordered_at`, counted from
    /// arrival for the policy's days: it ends at the local clock time of
    /// arrival that many calendar days later, in the policy's zone.
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a known order id; [`Error::InvalidValue`] when
    /// the order comes after the isolation period would already have ended.
    pub fn order_home_isolation(
        &mut self,
        id: OrderId,
        person: PersonId,
        arrived: Instant,
        ordered_at: Instant,
        reason: &str,
        policy: &Policy,
    ) -> Result<&IsolationOrder> {
        let zone = policy.zone();
        let end = add_days(arrived, i64::from(policy.returnee_isolation_days), zone);
        if ordered_at >= end {
            return Err(Error::invalid(
                "order time",
                render_instant(ordered_at, zone),
                format!(
                    "a time before the isolation period ends at {}",
                    render_instant(end, zone)
                ),
            ));
        }
        self.insert_order(IsolationOrder {
            id,
            person,
            kind: IsolationKind::Home,
            reason: reason.to_string(),
            start: ordered_at.max(arrived),
            end,
            status: OrderStatus::Active,
            changes: Vec::new(),
        })
    }

    /// Medical observation of a contact: from `start` until the policy's days
    /// after the last exposure (the same local clock time that many calendar
    /// days later, in the policy's zone).
    ///
    /// # Errors
    /// [`Error::Duplicate`] for a known order id; [`Error::InvalidValue`] when
    /// the start is not before the end the policy gives.
    #[expect(
        clippy::too_many_arguments,
        reason = "an order needs each of these facts; a struct would only rename them"
    )]
    pub fn order_observation(
        &mut self,
        id: OrderId,
        person: PersonId,
        kind: IsolationKind,
        last_exposure: Instant,
        start: Instant,
        reason: &str,
        policy: &Policy,
    ) -> Result<&IsolationOrder> {
        let end = self.check_observation(&id, last_exposure, start, policy)?;
        self.insert_order(IsolationOrder {
            id,
            person,
            kind,
            reason: reason.to_string(),
            start,
            end,
            status: OrderStatus::Active,
            changes: Vec::new(),
        })
    }

    /// Check that [`Quarantine::order_observation`] would succeed, and give
    /// the end it would set.
    ///
    /// # Errors
    /// As [`Quarantine::order_observation`].
    pub fn check_observation(
        &self,
        id: &OrderId,
        last_exposure: Instant,
        start: Instant,
        policy: &Policy,
    ) -> Result<Instant> {
        if self.orders.contains_key(id) {
            return Err(Error::Duplicate {
                what: "isolation order",
                key: id.to_string(),
                existing: "an order".into(),
            });
        }
        let zone = policy.zone();
        let end = add_days(last_exposure, i64::from(policy.observation_days), zone);
        if start >= end {
            return Err(Error::invalid(
                "observation start",
                render_instant(start, zone),
                format!(
                    "a time before the end of observation at {}",
                    render_instant(end, zone)
                ),
            ));
        }
        Ok(end)
    }

    /// An id for a new order of `person`, `<person>-observation` (then
    /// `-2`, `-3` ...), free in the registry.
    pub fn free_order_id(&self, person: &PersonId) -> OrderId {
        let base = format!("{person}-observation");
        let mut id = OrderId::from(base.as_str());
        let mut n = 1;
        while self.orders.contains_key(&id) {
            n += 1;
            id = OrderId::from(format!("{base}-{n}").as_str());
        }
        id
    }

    /// Mark an order as provisional: made when a contact was isolated, to
    /// give way to a formal order made for the same person later.
    pub(crate) fn mark_provisional(&mut self, id: &OrderId) {
        self.provisional.insert(id.clone());
    }

    /// The provisional order of `person` in force at `at`, if any.
    pub(crate) fn provisional_of(&self, person: &PersonId, at: Instant) -> Option<OrderId> {
        self.orders
            .values()
            .find(|o| &o.person == person && o.in_force_at(at) && self.provisional.contains(&o.id))
            .map(|o| o.id.clone())
    }

    /// Withdraw a provisional order now that a formal one takes its place.
    pub(crate) fn withdraw_provisional(&mut self, id: &OrderId) {
        if self.provisional.remove(id) {
            self.orders.remove(id);
        }
    }

    /// Move a merged person's journeys and orders to the person kept.
    pub(crate) fn merge_person(&mut self, keep: &PersonId, duplicate: &PersonId) {
        for t in self.travels.iter_mut().filter(|t| &t.person == duplicate) {
            t.person = keep.clone();
        }
        for o in self.orders.values_mut().filter(|o| &o.person == duplicate) {
            o.person = keep.clone();
        }
    }

    /// An order by id.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown id.
    pub fn order(&self, id: &OrderId) -> Result<&IsolationOrder> {
        self.orders
            .get(id)
            .ok_or_else(|| Error::not_found("isolation order", id))
    }

    /// Every order, by id.
    pub fn orders(&self) -> impl Iterator<Item = &IsolationOrder> {
        self.orders.values()
    }

    fn active_mut(
        &mut self,
        id: &OrderId,
        action: &'static str,
        at: Option<Instant>,
        zone: Zone,
    ) -> Result<&mut IsolationOrder> {
        let o = self
            .orders
            .get_mut(id)
            .ok_or_else(|| Error::not_found("isolation order", id))?;
        let refuse = |reason: String| Error::InvalidTransition {
            what: "isolation order",
            id: id.to_string(),
            action,
            reason,
        };
        match o.status {
            OrderStatus::Active => {}
            OrderStatus::Released(r) => {
                return Err(refuse(format!(
                    "it was released at {}",
                    render_instant(r, zone)
                )))
            }
            OrderStatus::BecameCase(r) => {
                return Err(refuse(format!(
                    "the person became a case at {}",
                    render_instant(r, zone)
                )))
            }
        }
        if let Some(at) = at.filter(|at| *at < o.start) {
            return Err(refuse(format!(
                "`{}` is before the order started at {}",
                render_instant(at, zone),
                render_instant(o.start, zone)
            )));
        }
        Ok(o)
    }

    /// Transfer a home isolation to centralized medical observation.
    ///
    /// # Errors
    /// [`Error::InvalidTransition`] unless the order is active, at home, and
    /// `at` is not before its start (times in the message are in the
    /// policy's zone).
    pub fn transfer_to_centralized(
        &mut self,
        id: &OrderId,
        at: Instant,
        policy: &Policy,
    ) -> Result<()> {
        let o = self.active_mut(id, "transfer", Some(at), policy.zone())?;
        if o.kind == IsolationKind::Centralized {
            return Err(Error::InvalidTransition {
                what: "isolation order",
                id: id.to_string(),
                action: "transfer",
                reason: "it is already centralized observation".into(),
            });
        }
        o.kind = IsolationKind::Centralized;
        o.changes.push(OrderChange::Transferred { at });
        Ok(())
    }

    /// Extend an active order after a new exposure: it then ends the policy's
    /// observation days after that exposure (calendar days in the policy's
    /// zone; never earlier than before).
    ///
    /// # Errors
    /// [`Error::InvalidTransition`] unless the order is active.
    pub fn extend(&mut self, id: &OrderId, exposure: Instant, policy: &Policy) -> Result<Instant> {
        let zone = policy.zone();
        let o = self.active_mut(id, "extend", None, zone)?;
        let previous_end = o.end;
        let new_end =
            previous_end.max(add_days(exposure, i64::from(policy.observation_days), zone));
        o.end = new_end;
        o.changes.push(OrderChange::Extended {
            exposure,
            previous_end,
            new_end,
        });
        Ok(new_end)
    }

    /// Release at `at`, which must not be before the order's end.
    ///
    /// # Errors
    /// [`Error::InvalidTransition`] when the order is not active or `at` is
    /// before its end (times in the message are in the policy's zone).
    pub fn release(&mut self, id: &OrderId, at: Instant, policy: &Policy) -> Result<()> {
        let zone = policy.zone();
        let o = self.active_mut(id, "release", Some(at), zone)?;
        if at < o.end {
            return Err(Error::InvalidTransition {
                what: "isolation order",
                id: id.to_string(),
                action: "release",
                reason: format!(
                    "`{}` is before its end; it runs until {}",
                    render_instant(at, zone),
                    render_instant(o.end, zone)
                ),
            });
        }
        o.status = OrderStatus::Released(at);
        Ok(())
    }

    /// The isolated person became a confirmed case.
    ///
    /// # Errors
    /// [`Error::InvalidTransition`] when the order is not active or `at` is
    /// before its start (times in the message are in the policy's zone).
    pub fn convert_to_case(&mut self, id: &OrderId, at: Instant, policy: &Policy) -> Result<()> {
        let o = self.active_mut(id, "convert to a case", Some(at), policy.zone())?;
        o.status = OrderStatus::BecameCase(at);
        Ok(())
    }

    /// Orders in force at some time during calendar day `day`.
    pub fn active_on(&self, day: NaiveDate, policy: &Policy) -> Vec<&IsolationOrder> {
        let d = day_interval(day, policy.zone());
        self.orders
            .values()
            .filter(|o| {
                o.start < d.end
                    && match o.status {
                        OrderStatus::Active => true,
                        OrderStatus::Released(r) | OrderStatus::BecameCase(r) => r > d.start,
                    }
            })
            .collect()
    }

    /// Active orders whose end has come by the end of `day` (those due, or
    /// overdue, for release).
    pub fn due_for_release(&self, day: NaiveDate, policy: &Policy) -> Vec<&IsolationOrder> {
        let d = day_interval(day, policy.zone());
        self.orders
            .values()
            .filter(|o| o.status == OrderStatus::Active && o.end < d.end)
            .collect()
    }

    /// The order a person is under at `at`, if any.
    pub fn isolation_of(&self, person: &PersonId, at: Instant) -> Option<&IsolationOrder> {
        self.orders
            .values()
            .find(|o| &o.person == person && o.in_force_at(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_instant;
    use chrono::Duration;

    fn t(s: &str) -> Instant {
        parse_instant(s, Policy::default().zone()).unwrap()
    }

    #[test]
    fn returnees_come_from_areas_that_were_high_risk_when_they_left() {
        let p = Policy::default();
        let mut q = Quarantine::default();
        q.set_risk_level(
            &"WH".into(),
            "Wuhan",
            t("2020-01-20 00:00"),
            RiskLevel::High,
            &p,
        )
        .unwrap();
        q.set_risk_level(
            &"WH".into(),
            "Wuhan",
            t("2020-04-08 00:00"),
            RiskLevel::Low,
            &p,
        )
        .unwrap();
        assert!(q
            .set_risk_level(
                &"WH".into(),
                "Wuhan",
                t("2020-01-01 00:00"),
                RiskLevel::High,
                &p
            )
            .is_err());
        let trip = |person: &str, dep: &str, arr: &str| TravelRecord {
            person: person.into(),
            from_area: "WH".into(),
            departed: t(dep),
            arrived: t(arr),
        };
        q.record_travel(trip("early", "2020-01-19 08:00", "2020-01-19 20:00"), &p)
            .unwrap();
        q.record_travel(trip("family", "2020-01-22 08:00", "2020-01-22 20:00"), &p)
            .unwrap();
        q.record_travel(trip("late", "2020-04-09 08:00", "2020-04-09 20:00"), &p)
            .unwrap();
        assert!(q
            .record_travel(trip("x", "2020-01-22 08:00", "2020-01-21 20:00"), &p)
            .is_err());
        let found = q.returnees(t("2020-01-25 00:00"), &p);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].person.as_str(), "family");
        // Outside the 14-day look-back period.
        assert!(q.returnees(t("2020-02-10 00:00"), &p).is_empty());
    }

    #[test]
    fn orders_follow_their_state_machine() {
        let p = Policy::default();
        let mut q = Quarantine::default();
        let id = OrderId::from("O1");
        let o = q
            .order_home_isolation(
                id.clone(),
                "P".into(),
                t("2020-01-22 20:00"),
                t("2020-01-23 10:00"),
                "returnee",
                &p,
            )
            .unwrap();
        assert_eq!(
            (o.start, o.end),
            (t("2020-01-23 10:00"), t("2020-02-05 20:00"))
        );
        assert!(q
            .order_home_isolation(
                id.clone(),
                "P".into(),
                t("2020-01-22 20:00"),
                t("2020-01-23 10:00"),
                "again",
                &p
            )
            .is_err());
        assert!(q
            .order_home_isolation(
                "O2".into(),
                "P".into(),
                t("2020-01-22 20:00"),
                t("2020-02-05 20:00"),
                "too late",
                &p
            )
            .is_err());
        assert!(q
            .transfer_to_centralized(&id, t("2020-01-23 09:00"), &p)
            .is_err());
        q.transfer_to_centralized(&id, t("2020-01-24 00:00"), &p)
            .unwrap();
        assert!(q
            .transfer_to_centralized(&id, t("2020-01-25 00:00"), &p)
            .unwrap_err()
            .to_string()
            .contains("already centralized"));
        assert_eq!(
            q.extend(&id, t("2020-01-30 00:00"), &p).unwrap(),
            t("2020-02-13 00:00")
        );
        // An earlier exposure never shortens the order.
        assert_eq!(
            q.extend(&id, t("2020-01-24 00:00"), &p).unwrap(),
            t("2020-02-13 00:00")
        );
        let err = q.release(&id, t("2020-02-12 00:00"), &p).unwrap_err();
        assert_eq!(err.code(), "invalid_transition");
        assert_eq!(
            q.due_for_release("2020-02-12".parse().unwrap(), &p).len(),
            0
        );
        assert_eq!(
            q.due_for_release("2020-02-13".parse().unwrap(), &p).len(),
            1
        );
        q.release(&id, t("2020-02-13 09:00"), &p).unwrap();
        assert!(q.release(&id, t("2020-02-14 09:00"), &p).is_err());
        assert!(q.convert_to_case(&id, t("2020-02-14 09:00"), &p).is_err());
        assert_eq!(q.active_on("2020-02-13".parse().unwrap(), &p).len(), 1);
        assert!(q.active_on("2020-02-14".parse().unwrap(), &p).is_empty());
        assert!(q.isolation_of(&"P".into(), t("2020-02-01 00:00")).is_some());
        assert!(q.isolation_of(&"P".into(), t("2020-02-14 00:00")).is_none());
    }

    #[test]
    fn observation_of_a_contact_and_conversion() {
        let p = Policy::default();
        let mut q = Quarantine::default();
        let id = OrderId::from("C1");
        q.order_observation(
            id.clone(),
            "P".into(),
            IsolationKind::Centralized,
            t("2020-01-25 12:00"),
            t("2020-01-26 08:00"),
            "contact",
            &p,
        )
        .unwrap();
        assert!(q
            .order_observation(
                "C2".into(),
                "P".into(),
                IsolationKind::Centralized,
                t("2020-01-01 12:00"),
                t("2020-01-26 08:00"),
                "contact",
                &p
            )
            .is_err());
        q.convert_to_case(&id, t("2020-01-28 08:00"), &p).unwrap();
        assert!(q
            .release(&id, t("2020-03-01 00:00"), &p)
            .unwrap_err()
            .to_string()
            .contains("became a case"));
    }

    fn berlin() -> Policy {
        Policy::default().in_zone("Europe/Berlin".parse().unwrap())
    }

    /// A local time in Berlin.
    fn b(s: &str) -> Instant {
        parse_instant(s, berlin().zone()).unwrap()
    }

    fn observe(q: &mut Quarantine, id: &str, last_exposure: Instant, start: Instant, p: &Policy) {
        q.order_observation(
            id.into(),
            "P".into(),
            IsolationKind::Home,
            last_exposure,
            start,
            "contact",
            p,
        )
        .unwrap();
    }

    #[test]
    fn observation_across_the_spring_switch_ends_at_the_same_local_time() {
        let p = berlin();
        let mut q = Quarantine::default();
        let exposure = b("2020-03-20 18:00");
        observe(&mut q, "O1", exposure, b("2020-03-21 09:00"), &p);
        let end = q.order(&"O1".into()).unwrap().end;
        assert_eq!(render_instant(end, p.zone()), "2020-04-03T18:00:00+02:00");
        assert_eq!(end - exposure, Duration::days(13) + Duration::hours(23));
        // Released at 17:59 local the order still runs, at 18:00 it may end.
        let err = q
            .release(&"O1".into(), b("2020-04-03 17:59"), &p)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot release isolation order `O1`: `2020-04-03T17:59:00+02:00` is before its end; \
             it runs until 2020-04-03T18:00:00+02:00"
        );
        q.release(&"O1".into(), b("2020-04-03 18:00"), &p).unwrap();
    }

    #[test]
    fn orders_across_the_autumn_switch_last_a_25_hour_day() {
        let p = berlin();
        let mut q = Quarantine::default();
        let arrived = b("2020-10-20 20:00");
        let o = q
            .order_home_isolation("H1".into(), "P".into(), arrived, arrived, "returnee", &p)
            .unwrap();
        assert_eq!(render_instant(o.end, p.zone()), "2020-11-03T20:00:00+01:00");
        assert_eq!(o.end - arrived, Duration::days(14) + Duration::hours(1));
        // Refused in winter time: the message names the end with +01:00.
        let err = q
            .release(&"H1".into(), b("2020-11-01 12:00"), &p)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "cannot release isolation order `H1`: `2020-11-01T12:00:00+01:00` is before its end; \
             it runs until 2020-11-03T20:00:00+01:00"
        );
        // Extension counts calendar days from the new exposure too.
        let new_end = q.extend(&"H1".into(), b("2020-10-24 08:00"), &p).unwrap();
        assert_eq!(
            render_instant(new_end, p.zone()),
            "2020-11-07T08:00:00+01:00"
        );
        let late = q
            .order_home_isolation(
                "H2".into(),
                "P".into(),
                arrived,
                b("2020-11-03 20:00"),
                "too late",
                &p,
            )
            .unwrap_err()
            .to_string();
        assert_eq!(
            late,
            "order time `2020-11-03T20:00:00+01:00` is invalid, expected a time before the \
             isolation period ends at 2020-11-03T20:00:00+01:00"
        );
    }

    #[test]
    fn the_look_back_counts_local_calendar_days() {
        let p = berlin();
        let mut q = Quarantine::default();
        q.set_risk_level(
            &"WH".into(),
            "Wuhan",
            b("2020-01-01 00:00"),
            RiskLevel::High,
            &p,
        )
        .unwrap();
        let trip = TravelRecord {
            person: "P".into(),
            from_area: "WH".into(),
            departed: b("2020-03-22 08:00"),
            arrived: b("2020-03-22 12:00"),
        };
        q.record_travel(trip, &p).unwrap();
        // 14 calendar days back from 2020-04-05 12:00 (summer time) is
        // 2020-03-22 12:00 (winter time), 13 days 23 hours: still found.
        assert_eq!(q.returnees(b("2020-04-05 12:00"), &p).len(), 1);
        assert!(q.returnees(b("2020-04-05 12:01"), &p).is_empty());
    }

    #[test]
    fn an_early_release_in_shanghai_names_the_end_in_local_time() {
        let p = Policy::default();
        let mut q = Quarantine::default();
        observe(
            &mut q,
            "O1",
            t("2020-01-27 18:00"),
            t("2020-01-28 09:00"),
            &p,
        );
        let err = q
            .release(&"O1".into(), t("2020-02-09 09:00"), &p)
            .unwrap_err()
            .to_string();
        assert!(err.contains("until 2020-02-10T18:00:00+08:00"), "{err}");
        assert_eq!(
            err,
            "cannot release isolation order `O1`: `2020-02-09T09:00:00+08:00` is before its end; \
             it runs until 2020-02-10T18:00:00+08:00"
        );
    }

    #[test]
    fn every_refusal_names_its_times_in_the_policy_zone() {
        let p = berlin();
        let msg = |e: Error| e.to_string();
        let mut q = Quarantine::default();
        q.set_risk_level(
            &"WH".into(),
            "Wuhan",
            b("2020-07-01 00:00"),
            RiskLevel::High,
            &p,
        )
        .unwrap();
        assert_eq!(
            msg(q
                .set_risk_level(
                    &"WH".into(),
                    "Wuhan",
                    b("2020-01-01 00:00"),
                    RiskLevel::Low,
                    &p
                )
                .unwrap_err()),
            "risk level change `2020-01-01T00:00:00+01:00` is invalid, expected a time after \
             the last change of `WH` at 2020-07-01T00:00:00+02:00"
        );
        let backwards = TravelRecord {
            person: "P".into(),
            from_area: "WH".into(),
            departed: b("2020-07-02 08:00"),
            arrived: b("2020-07-01 20:00"),
        };
        assert_eq!(
            msg(q.record_travel(backwards, &p).unwrap_err()),
            "arrival `2020-07-01T20:00:00+02:00` is invalid, expected a time after the \
             departure at 2020-07-02T08:00:00+02:00"
        );
        assert_eq!(
            msg(q
                .check_observation(
                    &"X".into(),
                    b("2020-01-01 10:00"),
                    b("2020-01-15 10:00"),
                    &p
                )
                .unwrap_err()),
            "observation start `2020-01-15T10:00:00+01:00` is invalid, expected a time before \
             the end of observation at 2020-01-15T10:00:00+01:00"
        );
        observe(
            &mut q,
            "O1",
            b("2020-07-01 10:00"),
            b("2020-07-02 10:00"),
            &p,
        );
        assert_eq!(
            msg(q
                .transfer_to_centralized(&"O1".into(), b("2020-07-02 09:00"), &p)
                .unwrap_err()),
            "cannot transfer isolation order `O1`: `2020-07-02T09:00:00+02:00` is before the \
             order started at 2020-07-02T10:00:00+02:00"
        );
        q.release(&"O1".into(), b("2020-07-15 10:00"), &p).unwrap();
        assert_eq!(
            msg(q
                .convert_to_case(&"O1".into(), b("2020-07-16 10:00"), &p)
                .unwrap_err()),
            "cannot convert to a case isolation order `O1`: it was released at \
             2020-07-15T10:00:00+02:00"
        );
        observe(
            &mut q,
            "O2",
            b("2020-12-01 10:00"),
            b("2020-12-01 10:00"),
            &p,
        );
        q.convert_to_case(&"O2".into(), b("2020-12-02 10:00"), &p)
            .unwrap();
        assert_eq!(
            msg(q
                .release(&"O2".into(), b("2020-12-20 10:00"), &p)
                .unwrap_err()),
            "cannot release isolation order `O2`: the person became a case at \
             2020-12-02T10:00:00+01:00"
        );
    }
}
