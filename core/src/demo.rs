//! Built-in, deterministically generated demo data: the story of one town
//! station (about 40,000 residents in 12,000 households, 6,000 of them
//! rented) through the first months of 2020.
//!
//! Every figure comes out of the library's own rules applied to generated
//! records: the 29 close contacts are found by the trace, not listed.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::household::{Household, Person, ScreeningTeam, ScreeningVisit, TeamRole};
use crate::id::{
    credit_check_char, credit_values, resident_check_char, CreditCode, IdDocument, ResidentId,
};
use crate::ids::{CaseId, EnterpriseId, HouseholdId, PersonId};
use crate::pass::{EligibilityContext, PassApplication, PassKind, StationKey};
use crate::policy::Policy;
use crate::quarantine::{IsolationKind, RiskLevel, TravelRecord};
use crate::registration::{Channel, ForeignStay, ServiceKind};
use crate::resumption::{DailyStatus, Enterprise, MigrantWorker, Verification};
use crate::station::Station;
use crate::time::{day_start, parse_instant, DateOrTime, Instant};
use crate::tracing::{close_contacts, Case, InterviewContact, TraceInputs, Visits};

/// The demo station's signing key seed. Demo only: a real station keeps its
/// seed secret.
pub const DEMO_KEY_SEED: [u8; 32] = [42; 32];

/// Size of the demo town.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSize {
    /// Households (half of them rented out).
    pub households: usize,
    /// Residents.
    pub persons: usize,
    /// Places with a check-in code.
    pub places: usize,
    /// Enterprises.
    pub enterprises: usize,
    /// County passes to issue.
    pub county_passes: usize,
}

impl DemoSize {
    /// The town of the story: 40,000 residents, 12,000 households, 467
    /// enterprises, 8,900 county passes.
    pub const TOWN: DemoSize = DemoSize {
        households: 12_000,
        persons: 40_000,
        places: 800,
        enterprises: 467,
        county_passes: 8_900,
    };
    /// A small town for quick tests, with the same story.
    pub const SMALL: DemoSize = DemoSize {
        households: 300,
        persons: 1_000,
        places: 40,
        enterprises: 30,
        county_passes: 100,
    };
}

const VILLAGES: [&str; 12] = [
    "Yaozhuang",
    "Dongcun",
    "Xicun",
    "Nanbang",
    "Beita",
    "Qiaotou",
    "Hexi",
    "Liangang",
    "Shangyuan",
    "Xiayuan",
    "Taoyuan",
    "Songlin",
];
const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: [&str; 26] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰",
];
const SECTORS: [&str; 7] = [
    "textiles",
    "machinery",
    "electronics",
    "food",
    "chemicals",
    "logistics",
    "building materials",
];

fn cst(text: &str) -> Instant {
    parse_instant(text, Policy::default().zone()).unwrap_or_default()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap_or_default()
}

/// Makes unique, valid resident ids.
struct IdMaker {
    used: BTreeSet<String>,
}

impl IdMaker {
    fn make(
        &mut self,
        rng: &mut ChaCha8Rng,
        region: &str,
        born: NaiveDate,
        male: bool,
    ) -> ResidentId {
        loop {
            let seq = rng.gen_range(0..500) * 2 + u32::from(male);
            let body = format!("{region}{}{seq:03}", born.format("%Y%m%d"));
            let id = format!("{body}{}", resident_check_char(&body));
            if self.used.insert(id.clone()) {
                // Generated from a valid region, date and check character.
                if let Ok(r) = ResidentId::parse(&id) {
                    return r;
                }
            }
        }
    }
}

/// Register a person from outside the town (no household here, a smartphone).
fn register_newcomer(
    st: &mut Station,
    rng: &mut ChaCha8Rng,
    ids: &mut IdMaker,
    id: &PersonId,
    region: &str,
    born: NaiveDate,
    male: bool,
) -> Result<()> {
    let number = ids.make(rng, region, born, male);
    st.residents.register_person(Person {
        id: id.clone(),
        name: name(rng),
        document: IdDocument::Resident { number },
        household: None,
        phone: None,
        has_smartphone: Some(true),
    })
}

fn name(rng: &mut ChaCha8Rng) -> String {
    let mut n = SURNAMES[rng.gen_range(0..SURNAMES.len())].to_string();
    for _ in 0..rng.gen_range(1..=2) {
        n.push_str(GIVEN[rng.gen_range(0..GIVEN.len())]);
    }
    n
}

/// The story's cast, by id.
pub mod cast {
    /// The returnee father, first case.
    pub const FATHER: &str = "R-FATHER";
    /// The returnee mother.
    pub const MOTHER: &str = "R-MOTHER";
    /// The returnee son.
    pub const SON: &str = "R-SON";
    /// The rental household the family lives in.
    pub const FAMILY_HOME: &str = "H-RENT-FAMILY";
    /// The foreign national's stay.
    pub const FOREIGN_STAY: &str = "S-0001";
    /// The day the station's report is drawn up.
    pub const REPORT_DAY: &str = "2020-04-30";
}

/// Generate the demo station. Deterministic: the same seed and size give the
/// same station.
///
/// # Errors
/// Never for the built-in sizes; an error would mean the generator broke one
/// of the library's own rules.
#[allow(clippy::too_many_lines)]
pub fn demo_station(seed: u64, size: DemoSize) -> Result<Station> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut st = Station {
        policy: Policy::default(),
        ..Station::default()
    };
    let policy = st.policy.clone();
    let mut ids = IdMaker {
        used: BTreeSet::new(),
    };

    // Households: the first half owner-occupied, the second half rented out.
    let owners = size.households / 2;
    let village_of = |h: usize| VILLAGES[h % VILLAGES.len()];
    for h in 0..size.households {
        st.residents.add_household(Household {
            id: format!("H{h:05}").into(),
            village: village_of(h).into(),
            group: format!("{}", (h / VILLAGES.len()) % 8 + 1),
            address: format!("{} Road {}", village_of(h), h + 1),
            landlord: None,
        })?;
    }
    // Residents, spread over the households.
    for i in 0..size.persons {
        let born = NaiveDate::from_ymd_opt(
            rng.gen_range(1935..2016),
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        )
        .unwrap_or_default();
        let male = rng.gen_bool(0.5);
        let number = ids.make(&mut rng, "320583", born, male);
        let elderly = born < day("1958-01-01");
        st.residents.register_person(Person {
            id: format!("P{i:05}").into(),
            name: name(&mut rng),
            document: IdDocument::Resident { number },
            household: Some(format!("H{:05}", i * size.households / size.persons).into()),
            phone: None,
            has_smartphone: Some(!elderly && rng.gen_bool(0.97)),
        })?;
    }
    // Landlords: an owner-occupier lets each rental household.
    for h in owners..size.households {
        let landlord = PersonId::from(format!(
            "P{:05}",
            (h - owners) * size.persons / size.households
        ));
        st.residents
            .set_landlord(&format!("H{h:05}").into(), &landlord)?;
    }

    // Screening teams, visits, commitments and zero reports of February's first fortnight.
    let teams = (size.households / 600).max(2);
    for t in 0..teams {
        st.residents.add_team(ScreeningTeam::new(
            &format!("Team {}", t + 1),
            &[
                (TeamRole::Officer, &format!("officer-{t}")),
                (TeamRole::Cadre, &format!("cadre-{t}")),
                (TeamRole::PartyMember, &format!("member-{t}")),
            ],
        )?)?;
    }
    let rentals: Vec<(HouseholdId, PersonId)> = st
        .residents
        .rental_households()
        .filter_map(|h| Some((h.id.clone(), h.landlord.clone()?)))
        .collect();
    for (k, (h, landlord)) in rentals.iter().enumerate() {
        let at = cst("2020-01-29 09:00") + Duration::minutes(rng.gen_range(0..7 * 12 * 60));
        // A handful were still not screened, or not committed, by the report day.
        if k % 600 != 599 {
            st.residents.record_screening(ScreeningVisit {
                household: h.clone(),
                team: format!("Team {}", k % teams + 1),
                at,
                note: "no one from high-risk areas".into(),
            })?;
        }
        if k % 500 != 499 {
            st.residents
                .sign_commitment(h, landlord, day("2020-01-31"))?;
            for d in day("2020-02-01").iter_days().take(14) {
                if !rng.gen_bool(0.004) {
                    let changes = if rng.gen_bool(0.02) {
                        vec!["a tenant moved out".to_string()]
                    } else {
                        Vec::new()
                    };
                    st.residents.file_daily_report(h, d, changes)?;
                }
            }
        }
    }
    // Responsibility tree: a leader per village, a cadre per group, a party member per household (a few gaps).
    for v in VILLAGES {
        st.residents.assign_leader(v, format!("leader-{v}").into());
        for g in 1..=8 {
            st.residents
                .assign_cadre(v, &g.to_string(), format!("cadre-{v}-{g}").into());
        }
    }
    for h in 0..size.households {
        if h % 300 != 17 {
            st.residents.assign_party_member(
                &format!("H{h:05}").into(),
                format!("member-{}", h / 30).into(),
            )?;
        }
    }

    // The returnee family of three, tenants of a rental household with two others.
    st.residents.add_household(Household {
        id: cast::FAMILY_HOME.into(),
        village: "Yaozhuang".into(),
        group: "3".into(),
        address: "18 Yaozhuang Old Street".into(),
        landlord: Some("P00001".into()),
    })?;
    let family = [
        (cast::FATHER, "420106", "1968-03-02", true),
        (cast::MOTHER, "420106", "1970-07-15", false),
        (cast::SON, "420106", "1995-11-20", true),
    ];
    for (id, region, born, male) in family {
        register_newcomer(
            &mut st,
            &mut rng,
            &mut ids,
            &id.into(),
            region,
            day(born),
            male,
        )?;
        st.residents
            .tenant_arrives(&cast::FAMILY_HOME.into(), &id.into(), day("2020-01-22"))?;
    }
    for lodger in ["P00100", "P00200"] {
        st.residents.tenant_arrives(
            &cast::FAMILY_HOME.into(),
            &lodger.into(),
            day("2019-09-01"),
        )?;
    }
    st.quarantine.set_risk_level(
        &"WH".into(),
        "Wuhan",
        cst("2020-01-20 00:00"),
        RiskLevel::High,
    )?;
    st.quarantine.set_risk_level(
        &"WH".into(),
        "Wuhan",
        cst("2020-04-08 00:00"),
        RiskLevel::Low,
    )?;
    for (id, ..) in family {
        st.quarantine.record_travel(TravelRecord {
            person: id.into(),
            from_area: "WH".into(),
            departed: cst("2020-01-22 08:00"),
            arrived: cst("2020-01-22 20:00"),
        })?;
    }
    // A big-data lead finds them on the 28th: home isolation.
    for (k, (id, ..)) in family.iter().enumerate() {
        st.quarantine.order_home_isolation(
            format!("HI-{k}").into(),
            (*id).into(),
            cst("2020-01-22 20:00"),
            cst("2020-01-28 10:00"),
            "returnee from Wuhan (high risk)",
            &policy,
        )?;
    }

    // Venue check-ins: every resident a few times a day in the fortnight before
    // confirmation, at popular places more than quiet ones (Zipf-like).
    let mut visits = Visits::builder();
    let weights: Vec<f64> = (1..=size.places).map(|r| 1.0 / r as f64).collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(size.places);
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cumulative.push(acc);
    }
    let first_day = day("2020-01-16");
    for i in 0..size.persons {
        let person = format!("P{i:05}");
        for d in first_day.iter_days().take(14) {
            for _ in 0..rng.gen_range(0..=1) {
                let x: f64 = rng.gen();
                let place = cumulative.partition_point(|c| *c < x).min(size.places - 1);
                let start =
                    day_start(d, policy.zone()) + Duration::minutes(rng.gen_range(6 * 60..21 * 60));
                let len = Duration::minutes(rng.gen_range(5..90));
                visits.push(
                    &person,
                    &format!("PL-{place:04}"),
                    start.timestamp(),
                    (start + len).timestamp(),
                )?;
            }
        }
    }
    // The family's own check-ins, and the people who shared those places.
    let family_visits = [
        (
            cast::FATHER,
            "PL-MARKET-EAST",
            "2020-01-26 08:30",
            "2020-01-26 10:00",
        ),
        (
            cast::MOTHER,
            "PL-MARKET-EAST",
            "2020-01-26 08:30",
            "2020-01-26 10:00",
        ),
        (
            cast::FATHER,
            "PL-NOODLE-HOUSE",
            "2020-01-26 12:00",
            "2020-01-26 13:15",
        ),
        (
            cast::MOTHER,
            "PL-SUPERMARKET",
            "2020-01-27 10:00",
            "2020-01-27 11:00",
        ),
        (
            cast::SON,
            "PL-NET-CAFE",
            "2020-01-27 14:00",
            "2020-01-27 17:00",
        ),
        (
            cast::FATHER,
            "PL-CLINIC",
            "2020-01-27 15:00",
            "2020-01-27 15:50",
        ),
        // Before the infectious window: not a source of contacts.
        (cast::SON, "PL-KTV", "2020-01-24 20:00", "2020-01-24 23:00"),
    ];
    for (who, place, from, to) in family_visits {
        visits.push(who, place, cst(from).timestamp(), cst(to).timestamp())?;
    }
    let mut pool: Vec<usize> = (300..size.persons).collect();
    pool.shuffle(&mut rng);
    let mut next = pool.into_iter().map(|i| format!("P{i:05}"));
    let mut co_present = |place: &str,
                          from: &str,
                          minutes: i64,
                          n: usize,
                          visits: &mut crate::tracing::VisitsBuilder|
     -> Result<()> {
        for k in 0..n {
            let who = next.next().unwrap_or_default();
            let start = cst(from) + Duration::minutes(k as i64 * 3);
            visits.push(
                &who,
                place,
                start.timestamp(),
                (start + Duration::minutes(minutes)).timestamp(),
            )?;
        }
        Ok(())
    };
    // 21 close contacts by co-presence (at least 15 minutes) ...
    co_present("PL-MARKET-EAST", "2020-01-26 08:40", 30, 7, &mut visits)?;
    co_present("PL-NOODLE-HOUSE", "2020-01-26 12:05", 45, 5, &mut visits)?;
    co_present("PL-SUPERMARKET", "2020-01-27 10:10", 20, 3, &mut visits)?;
    co_present("PL-NET-CAFE", "2020-01-27 14:30", 120, 4, &mut visits)?;
    co_present("PL-CLINIC", "2020-01-27 15:05", 25, 2, &mut visits)?;
    // ... and people who were there too briefly, or before the window.
    co_present("PL-MARKET-EAST", "2020-01-26 09:50", 12, 4, &mut visits)?;
    co_present("PL-KTV", "2020-01-24 20:30", 90, 3, &mut visits)?;
    st.visits = visits.build();

    // Confirmation on the 29th at 19:00; onset on the 28th.
    let confirmed = DateOrTime::Time(cst("2020-01-29 19:00"));
    for (k, (id, ..)) in family.iter().enumerate() {
        let mut case = Case::new(format!("C{}", k + 1).as_str(), *id, confirmed);
        case.onset = Some(DateOrTime::Date(day("2020-01-28")));
        case.arrived = Some(cst("2020-01-22 20:00"));
        case.isolated = Some(cst("2020-01-28 10:00"));
        case.infected_by = (k > 0).then(|| CaseId::from("C1"));
        st.cases.push(case);
        st.quarantine
            .convert_to_case(&format!("HI-{k}").into(), cst("2020-01-29 19:00"))?;
    }
    // Six relatives at a family dinner, named in the interview.
    for k in 0..6 {
        st.interviews.push(InterviewContact {
            case: "C1".into(),
            person: format!("P{:05}", 250 + k).into(),
            at: cst("2020-01-26 18:00"),
            note: "family dinner at a relative's home".into(),
        });
    }
    // From 19:00 to 03:00 every contact is found and notified; by 08:00 all are in observation.
    let found = close_contacts(
        &st.cases,
        TraceInputs {
            visits: &st.visits,
            residents: Some(&st.residents),
            interviews: &st.interviews,
            policy: &policy,
        },
        None,
    )?;
    st.contacts.add(found);
    let people: Vec<(PersonId, Instant)> = st
        .contacts
        .records()
        .map(|r| (r.contact.person.clone(), r.contact.last_exposure))
        .collect();
    let n = people.len().max(1) as i64;
    for (k, (person, exposure)) in people.iter().enumerate() {
        let k = k as i64;
        let notified = cst("2020-01-29 19:20") + Duration::minutes(k * 460 / n);
        st.contacts.notify(person, notified)?;
        let isolated = cst("2020-01-30 03:30") + Duration::minutes(k * 270 / n);
        st.contacts.isolate(person, isolated)?;
        let order = format!("MO-{}", k + 1);
        st.quarantine.order_observation(
            order.clone().into(),
            person.clone(),
            IsolationKind::Centralized,
            *exposure,
            isolated,
            "close contact of the Yaozhuang cluster",
            &policy,
        )?;
        let end = st.quarantine.order(&order.clone().into())?.end;
        st.quarantine
            .release(&order.into(), end + Duration::hours(2))?;
    }

    // Enterprises return to work from 10 February; all have by 31 March.
    let mut resume_days = Vec::with_capacity(size.enterprises);
    for e in 0..size.enterprises {
        let credit_code = (e % 3 == 0)
            .then(|| {
                let mut body = format!("91320583{e:09}");
                body.truncate(17);
                let check = credit_check_char(&credit_values(&body));
                CreditCode::parse(&format!("{body}{check}")).ok()
            })
            .flatten();
        let workforce = (rng.gen_range(1.5f64..6.5).exp()) as u32 + 3;
        st.resumption.add_enterprise(Enterprise {
            id: format!("E{e:03}").into(),
            name: format!("{} {} Co.", village_of(e), SECTORS[e % SECTORS.len()]),
            credit_code,
            village: village_of(e).into(),
            sector: SECTORS[e % SECTORS.len()].into(),
            above_scale: workforce > 150 || rng.gen_bool(0.1),
            workforce,
            established: Some(day("2005-01-01") + Duration::days(rng.gen_range(0..5000))),
        })?;
        let resume = day("2020-02-10") + Duration::days(rng.gen_range(0..40));
        resume_days.push(resume);
        for d in day("2020-02-10")
            .iter_days()
            .take_while(|d| *d <= day("2020-03-31"))
        {
            let ramp = if d < resume {
                0.0
            } else {
                (0.35 + 0.65 * ((d - resume).num_days() as f64 / 20.0)).min(1.0)
            };
            let on_site = (f64::from(workforce) * ramp).round() as u32;
            st.resumption.file_report(DailyStatus {
                enterprise: format!("E{e:03}").into(),
                date: d,
                resumed: d >= resume,
                workers_on_site: on_site,
            })?;
        }
    }
    // Migrant workers from the partner counties, verified before they travel.
    let origins = [
        ("530627", "Zhenxiong, Yunnan", "Zhenxiong County PSB"),
        ("511321", "Nanbu, Sichuan", "Nanbu County PSB"),
        ("341221", "Linquan, Anhui", "Linquan County PSB"),
    ];
    let migrants = size.enterprises * 2 / 3;
    for m in 0..migrants {
        let (region, county, bureau) = origins[m % 3];
        let id = PersonId::from(format!("M{m:04}"));
        let born = day("1975-01-01") + Duration::days(rng.gen_range(0..9000));
        let male = rng.gen_bool(0.6);
        register_newcomer(&mut st, &mut rng, &mut ids, &id, region, born, male)?;
        let enterprise = EnterpriseId::from(format!("E{:03}", m % size.enterprises));
        // Workers travel once their enterprise has resumed.
        let arrived = (day("2020-02-25") + Duration::days(rng.gen_range(0..30)))
            .max(resume_days[m % size.enterprises]);
        st.resumption.record_migrant(MigrantWorker {
            person: id.clone(),
            enterprise: enterprise.clone(),
            origin_county: county.into(),
            verification: Some(Verification {
                bureau: bureau.into(),
                passed: true,
                on: arrived - Duration::days(2),
            }),
            arrived: Some(arrived),
            started: Some(arrived),
        })?;
        let app = PassApplication {
            holder: id,
            kind: PassKind::Worker,
            enterprise: Some(enterprise),
            scope: "home county to Yaozhuang".into(),
        };
        let ctx = EligibilityContext {
            residents: &st.residents,
            quarantine: &st.quarantine,
            resumption: &st.resumption,
            policy: &policy,
        };
        st.passes.issue(
            app,
            ctx,
            day_start(arrived, policy.zone()) + Duration::hours(8),
        )?;
    }

    // County passes for residents without a smartphone, February to April.
    // Applicants still under observation are refused by the rules and apply
    // again later; the office issues until the story's count is reached.
    let applicants: Vec<PersonId> = st
        .residents
        .persons()
        .filter(|p| p.has_smartphone == Some(false))
        .map(|p| p.id.clone())
        .collect();
    let days = (day("2020-04-30") - day("2020-02-05")).num_days() + 1;
    let n = size.county_passes.max(1) as i64;
    let mut issued = 0i64;
    for holder in applicants {
        if issued == n {
            break;
        }
        let at = day_start(day("2020-02-05"), policy.zone())
            + Duration::days(issued * days / n)
            + Duration::hours(9)
            + Duration::minutes(issued % 480);
        let ctx = EligibilityContext {
            residents: &st.residents,
            quarantine: &st.quarantine,
            resumption: &st.resumption,
            policy: &policy,
        };
        let app = PassApplication {
            holder,
            kind: PassKind::County,
            enterprise: None,
            scope: "Yaozhuang town and county seat".into(),
        };
        match st.passes.issue(app, ctx, at) {
            Ok(_) => issued += 1,
            Err(crate::Error::NotEligible { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    // One pass revoked (lost and replaced).
    st.passes.revoke(1, cst("2020-03-10 10:00"))?;

    // Checkpoint at the highway exit: valid, tampered, forged, expired, revoked, early.
    let key = StationKey::from_seed(DEMO_KEY_SEED);
    let public = key.public();
    let revoked = st.passes.revocation_list();
    let at = cst("2020-04-20 09:00");
    let recent: Vec<u64> = st
        .passes
        .passes()
        .filter(|p| p.valid_from <= at && p.valid_until > at && p.revoked_at.is_none())
        .map(|p| p.serial)
        .take(200)
        .collect();
    for serial in &recent {
        let token = st.passes.token(*serial, &key)?;
        st.checkpoints
            .check("G15 Yaozhuang exit", &token, &public, &revoked, at);
    }
    let sample = st
        .passes
        .token(recent.first().copied().unwrap_or(1), &key)?;
    let tampered = sample.replacen('A', "B", 1).replacen('Q', "R", 1);
    let forged = st.passes.token(
        recent.first().copied().unwrap_or(1),
        &StationKey::from_seed([7; 32]),
    )?;
    let expired = st
        .passes
        .passes()
        .find(|p| p.valid_until <= at && p.revoked_at.is_none())
        .map_or(2, |p| p.serial);
    for token in [
        tampered,
        forged,
        st.passes.token(expired, &key)?,
        st.passes.token(1, &key)?,
    ] {
        st.checkpoints
            .check("G15 Yaozhuang exit", &token, &public, &revoked, at);
    }
    if let Some(last) = st.passes.passes().last().map(|p| p.serial) {
        st.checkpoints.check(
            "G15 Yaozhuang exit",
            &st.passes.token(last, &key)?,
            &public,
            &revoked,
            cst("2020-02-01 09:00"),
        );
    }

    // A foreign national registered over a video call; the paper certificate is held.
    st.registrations.add_stay(ForeignStay {
        id: cast::FOREIGN_STAY.into(),
        name: "ANNA MARIA ERIKSSON".into(),
        nationality: "UTO".into(),
        passport_number: "L898902C3".into(),
        address: "6 Xicun Lane".into(),
        host: "李秀英".into(),
        arrival: cst("2020-02-20 10:00"),
        registered_at: None,
        channel: None,
    })?;
    st.registrations.register(
        &cast::FOREIGN_STAY.into(),
        cst("2020-02-20 21:00"),
        Channel::Video,
    )?;
    let serial = st
        .registrations
        .issue_certificate(&cast::FOREIGN_STAY.into(), cst("2020-02-20 21:30"))?
        .serial;
    st.registrations
        .send_photo(serial, cst("2020-02-20 21:35"))?;
    // The station's other services, day by day.
    let issued_per_day = st.passes.issued_per_day(&policy);
    for d in day("2020-02-01")
        .iter_days()
        .take_while(|d| *d <= day("2020-04-30"))
    {
        let at = day_start(d, policy.zone()) + Duration::hours(10);
        for (kind, channel, max) in [
            (ServiceKind::HouseholdRegistration, Channel::Window, 6),
            (ServiceKind::HouseholdRegistration, Channel::Online, 9),
            (ServiceKind::ExitEntry, Channel::Online, 4),
            (ServiceKind::ExitEntry, Channel::Video, 2),
            (ServiceKind::VehiclesAndDrivers, Channel::Window, 5),
            (ServiceKind::VehiclesAndDrivers, Channel::HomeVisit, 2),
        ] {
            let count = rng.gen_range(0..=max);
            if count > 0 {
                st.registrations.record_service(kind, channel, at, count)?;
            }
        }
        let passes = issued_per_day
            .range((d, PassKind::County)..=(d, PassKind::Worker))
            .map(|(_, n)| *n as u32)
            .sum::<u32>();
        if passes > 0 {
            st.registrations
                .record_service(ServiceKind::Passes, Channel::Window, at, passes)?;
        }
    }
    Ok(st)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pass::DenyReason;

    #[test]
    fn the_story_comes_out_of_the_rules() {
        let st = demo_station(7, DemoSize::SMALL).unwrap();
        let report = st.report(cst("2020-04-30 18:00"));
        assert_eq!(report.contacts.contacts, 29);
        assert_eq!(report.contacts.isolated, 29);
        assert!(report.contacts.all_notified_by.unwrap() <= cst("2020-01-30 03:00"));
        assert_eq!(report.cases, 3);
        assert_eq!(report.papers_held, 1);
        let r = report.resumption.unwrap();
        assert_eq!(r.resumed, r.enterprises);
        assert_eq!(report.passes_issued[&PassKind::County], 100);
        let reasons: Vec<DenyReason> = report.denials.keys().copied().collect();
        assert_eq!(
            reasons,
            [
                DenyReason::BadSignature,
                DenyReason::NotYetValid,
                DenyReason::Expired,
                DenyReason::Revoked
            ]
        );
        assert_eq!(demo_station(7, DemoSize::SMALL).unwrap(), st);
    }
}
