//! Households and residents, in three parts: the register of persons and
//! households ([`Residents`]), the screening campaign of rented homes
//! ([`Screening`]) and the responsibility tree ([`Responsibility`]). The
//! [`crate::Station`] holds one of each; screening and responsibility check
//! households against the register, which their methods take as an argument.

mod residents;
mod responsibility;
mod screening;

pub use residents::{Household, Person, Residents, Tenancy};
pub use responsibility::{Answerable, Gap, Level, Load, Responsibility, ResponsibilityTree};
pub use screening::{
    Commitment, Coverage, DailyReport, Screening, ScreeningTeam, ScreeningVisit, TeamRole,
};

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::id::IdDocument;
    use crate::ids::{HouseholdId, PersonId};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn town() -> Residents {
        let mut r = Residents::default();
        let people = [
            ("L1", "110101199003078670"),
            ("T1", "440308199901101512"),
            ("T2", "430302199312194239"),
        ];
        for (id, number) in people {
            r.register_person(Person {
                id: id.into(),
                name: id.into(),
                document: IdDocument::parse(number, None).unwrap(),
                household: None,
                phone: None,
                has_smartphone: None,
            })
            .unwrap();
        }
        r.add_household(Household {
            id: "H1".into(),
            village: "V".into(),
            group: "1".into(),
            address: "a".into(),
            landlord: Some("L1".into()),
        })
        .unwrap();
        r.add_household(Household {
            id: "H2".into(),
            village: "V".into(),
            group: "2".into(),
            address: "b".into(),
            landlord: None,
        })
        .unwrap();
        r
    }

    #[test]
    fn tenants_arrive_and_leave() {
        let mut r = town();
        r.tenant_arrives(&"H1".into(), &"T1".into(), d("2020-02-01"))
            .unwrap();
        assert!(r
            .tenant_arrives(&"H1".into(), &"T1".into(), d("2020-02-02"))
            .is_err());
        assert!(r
            .tenant_arrives(&"H2".into(), &"T2".into(), d("2020-02-01"))
            .unwrap_err()
            .to_string()
            .contains("rental"));
        assert_eq!(r.residents_of(&"H1".into(), d("2020-02-05")).len(), 1);
        assert!(r
            .tenant_leaves(&"H1".into(), &"T1".into(), d("2020-01-01"))
            .is_err());
        r.tenant_leaves(&"H1".into(), &"T1".into(), d("2020-02-10"))
            .unwrap();
        assert!(r.residents_of(&"H1".into(), d("2020-02-10")).is_empty());
        assert!(r
            .tenant_leaves(&"H1".into(), &"T1".into(), d("2020-02-11"))
            .is_err());
    }

    #[test]
    fn commitments_and_reports() {
        let r = town();
        let mut s = Screening::default();
        assert_eq!(
            s.households_without_commitment(&r),
            vec![&HouseholdId::from("H1")]
        );
        assert!(s
            .sign_commitment(&r, &"H1".into(), &"T1".into(), d("2020-02-01"))
            .is_err());
        s.sign_commitment(&r, &"H1".into(), &"L1".into(), d("2020-02-01"))
            .unwrap();
        assert!(s.households_without_commitment(&r).is_empty());
        s.file_daily_report(&r, &"H1".into(), d("2020-02-02"), vec![])
            .unwrap();
        assert!(s
            .file_daily_report(&r, &"H1".into(), d("2020-02-02"), vec![])
            .is_err());
        assert!(s.missing_reports(&r, d("2020-02-02")).is_empty());
        assert_eq!(s.missing_reports(&r, d("2020-02-03")).len(), 1);
        assert!(s
            .file_daily_report(&r, &"H2".into(), d("2020-02-02"), vec![])
            .is_err());
    }

    #[test]
    fn screening_coverage_counts_rentals_only() {
        let r = town();
        let mut s = Screening::default();
        assert_eq!(s.coverage(&r).screened, 0);
        let team = ScreeningTeam::new(
            "T",
            &[
                (TeamRole::Officer, "a"),
                (TeamRole::Cadre, "b"),
                (TeamRole::PartyMember, "c"),
            ],
        )
        .unwrap();
        s.add_team(team).unwrap();
        let at = chrono::DateTime::from_timestamp(1_580_515_200, 0).unwrap();
        s.record_screening(
            &r,
            ScreeningVisit {
                household: "H1".into(),
                team: "T".into(),
                at,
                note: String::new(),
            },
        )
        .unwrap();
        assert!(s
            .record_screening(
                &r,
                ScreeningVisit {
                    household: "H1".into(),
                    team: "X".into(),
                    at,
                    note: String::new()
                },
            )
            .is_err());
        let c = s.coverage(&r);
        assert_eq!((c.rental_households, c.screened), (1, 1));
        assert!((c.rate - 1.0).abs() < 1e-12);
    }

    #[test]
    fn teams_need_three_distinct_roles() {
        assert!(ScreeningTeam::new(
            "T",
            &[
                (TeamRole::Officer, "a"),
                (TeamRole::Officer, "b"),
                (TeamRole::Cadre, "c")
            ]
        )
        .is_err());
        assert!(ScreeningTeam::new(
            "T",
            &[
                (TeamRole::Officer, "a"),
                (TeamRole::Cadre, "a"),
                (TeamRole::PartyMember, "c")
            ]
        )
        .is_err());
    }

    #[test]
    fn responsibility_tree() {
        let r = town();
        let mut t = Responsibility::default();
        assert_eq!(t.gaps(&r).len(), 2);
        t.assign_leader("V", "boss".into());
        t.assign_cadre("V", "1", "cadre1".into());
        t.assign_party_member(&r, &"H1".into(), "pm1".into())
            .unwrap();
        assert!(t
            .assign_party_member(&r, &"H9".into(), "pm1".into())
            .is_err());
        let a = t.who_answers(&r, &"H1".into()).unwrap();
        assert_eq!(a.party_member.unwrap().as_str(), "pm1");
        let gaps = t.gaps(&r);
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps[0].missing, vec![Level::Cadre, Level::PartyMember]);
        assert_eq!(t.load(&r)[0].households, 2);
    }

    #[test]
    fn merging_duplicates_keeps_every_link() {
        let mut r = town();
        r.tenant_arrives(&"H1".into(), &"T2".into(), d("2020-02-01"))
            .unwrap();
        r.merge_persons(&"T1".into(), &"T2".into()).unwrap();
        assert_eq!(r.person(&"T2".into()).unwrap().id.as_str(), "T1");
        assert!(r
            .residents_of(&"H1".into(), d("2020-02-02"))
            .contains(&PersonId::from("T1")));
        assert_eq!(
            r.person_by_document("430302199312194239")
                .unwrap()
                .id
                .as_str(),
            "T1"
        );
        assert!(r.merge_persons(&"T1".into(), &"T1".into()).is_err());
        assert!(r.merge_persons(&"T1".into(), &"nobody".into()).is_err());
    }
}
