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

use crate::book::{Book, Command, Outcome};
use crate::error::Result;
use crate::household::{Household, Person};
use crate::id::{
    credit_check_char, credit_values, resident_check_char, CreditCode, IdDocument, ResidentId,
};
use crate::ids::{CaseId, EnterpriseId, HouseholdId, OrderId, PersonId, StayId};
use crate::pass::{PassApplication, PassKind, StationKey};
use crate::policy::Policy;
use crate::quarantine::{IsolationKind, RiskLevel, TravelRecord};
use crate::registration::{Channel, ForeignStay, ServiceKind};
use crate::resumption::{DailyStatus, Enterprise, MigrantWorker, Verification};
use crate::station::Station;
use crate::time::{day_start, parse_instant, DateOrTime, Instant};
use crate::tracing::{Case, InterviewContact, Visit};

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

/// A person from outside the town (no household here, a smartphone).
fn newcomer(
    rng: &mut ChaCha8Rng,
    ids: &mut IdMaker,
    id: &PersonId,
    region: &str,
    born: NaiveDate,
    male: bool,
) -> Person {
    let number = ids.make(rng, region, born, male);
    Person {
        id: id.clone(),
        name: name(rng),
        document: IdDocument::Resident { number },
        household: None,
        phone: None,
        has_smartphone: Some(true),
    }
}

fn name(rng: &mut ChaCha8Rng) -> String {
    let mut n = SURNAMES[index(rng, SURNAMES.len())].to_string();
    for _ in 0..rng.gen_range(1..=2) {
        n.push_str(GIVEN[index(rng, GIVEN.len())]);
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

/// Who records what in the story.
mod by {
    pub const OFFICE: &str = "station-console";
    pub const VENUES: &str = "venue-check-in-upload";
    pub const EPI: &str = "epidemiology-team";
    pub const LANDLORDS: &str = "landlord-app";
    pub const ENTERPRISES: &str = "enterprise-portal";
    pub const CHECKPOINT: &str = "checkpoint-g15";
}

/// Generate the demo station. Deterministic: the same seed and size give the
/// same station.
///
/// # Errors
/// Never for the built-in sizes; an error would mean the generator broke one
/// of the library's own rules.
pub fn demo_station(seed: u64, size: DemoSize) -> Result<Station> {
    Ok(demo_book(seed, size)?.into_station())
}

/// The demo story written into a new book with its journal in memory.
///
/// # Errors
/// As [`demo_station`].
pub fn demo_book(seed: u64, size: DemoSize) -> Result<Book> {
    let mut book = Book::in_memory(Policy::default())?;
    write_story(&mut book, seed, size)?;
    Ok(book)
}

/// Write the demo story into `book`, which must have no events yet: every
/// change goes through a [`Command`] and the journal, committed at the end.
///
/// # Errors
/// [`crate::Error::InvalidValue`] when the book already has events; otherwise
/// as [`demo_station`].
#[allow(clippy::too_many_lines)]
pub fn write_story(book: &mut Book, seed: u64, size: DemoSize) -> Result<()> {
    if book.seq() != book.recovery().first_seq {
        return Err(crate::Error::invalid(
            "book",
            format!("{} events", book.seq() - book.recovery().first_seq),
            "a book with no events for the demo story",
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let policy = book.policy().clone();
    let mut ids = IdMaker {
        used: BTreeSet::new(),
    };
    let mut b = book.batch();
    let setup = cst("2020-01-25 09:00");

    // Households: the first half owner-occupied, the second half rented out.
    let owners = size.households / 2;
    let village_of = |h: usize| VILLAGES[h % VILLAGES.len()];
    for h in 0..size.households {
        let household = Household {
            id: format!("H{h:05}").into(),
            village: village_of(h).into(),
            group: format!("{}", (h / VILLAGES.len()) % 8 + 1),
            address: format!("{} Road {}", village_of(h), h + 1),
            landlord: None,
        };
        b.execute(by::OFFICE, setup, Command::AddHousehold { household })?;
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
        let person = Person {
            id: format!("P{i:05}").into(),
            name: name(&mut rng),
            document: IdDocument::Resident { number },
            household: Some(format!("H{:05}", i * size.households / size.persons).into()),
            phone: None,
            has_smartphone: Some(!elderly && rng.gen_bool(0.97)),
        };
        b.execute(by::OFFICE, setup, Command::RegisterPerson { person })?;
    }
    // Landlords: an owner-occupier lets each rental household.
    for h in owners..size.households {
        let landlord = PersonId::from(format!(
            "P{:05}",
            (h - owners) * size.persons / size.households
        ));
        let household = format!("H{h:05}").into();
        b.execute(
            by::OFFICE,
            setup,
            Command::SetLandlord {
                household,
                landlord,
            },
        )?;
    }

    // Screening teams, visits, commitments and zero reports of February's first fortnight.
    let teams = (size.households / 600).max(2);
    for t in 0..teams {
        b.execute(
            by::OFFICE,
            setup,
            Command::FormTeam {
                id: format!("Team {}", t + 1),
                officer: format!("officer-{t}").into(),
                cadre: format!("cadre-{t}").into(),
                party_member: format!("member-{t}").into(),
            },
        )?;
    }
    let rentals: Vec<(HouseholdId, PersonId)> = b
        .station()
        .residents
        .rental_households()
        .filter_map(|h| Some((h.id.clone(), h.landlord.clone()?)))
        .collect();
    for (k, (h, landlord)) in rentals.iter().enumerate() {
        let at = cst("2020-01-29 09:00") + Duration::minutes(rng.gen_range(0..7 * 12 * 60));
        // A handful were still not screened, or not committed, by the report day.
        if k % 600 != 599 {
            let screening = Command::RecordScreening {
                household: h.clone(),
                team: format!("Team {}", k % teams + 1),
                note: "no one from high-risk areas".into(),
            };
            b.execute(format!("officer-{}", k % teams), at, screening)?;
        }
        if k % 500 != 499 {
            let signed = day("2020-01-31");
            let commitment = Command::SignCommitment {
                household: h.clone(),
                landlord: landlord.clone(),
                day: signed,
            };
            b.execute(by::OFFICE, evening(signed, &policy), commitment)?;
            for d in day("2020-02-01").iter_days().take(14) {
                if !rng.gen_bool(0.004) {
                    let changes = if rng.gen_bool(0.02) {
                        vec!["a tenant moved out".to_string()]
                    } else {
                        Vec::new()
                    };
                    let report = Command::FileDailyReport {
                        household: h.clone(),
                        day: d,
                        changes,
                    };
                    b.execute(by::LANDLORDS, evening(d, &policy), report)?;
                }
            }
        }
    }
    // Responsibility tree: a leader per village, a cadre per group, a party member per household (a few gaps).
    for v in VILLAGES {
        let leader = Command::AssignLeader {
            village: v.into(),
            staff: format!("leader-{v}").into(),
        };
        b.execute(by::OFFICE, setup, leader)?;
        for g in 1..=8 {
            let cadre = Command::AssignCadre {
                village: v.into(),
                group: g.to_string(),
                staff: format!("cadre-{v}-{g}").into(),
            };
            b.execute(by::OFFICE, setup, cadre)?;
        }
    }
    for h in 0..size.households {
        if h % 300 != 17 {
            let member = Command::AssignPartyMember {
                household: format!("H{h:05}").into(),
                staff: format!("member-{}", h / 30).into(),
            };
            b.execute(by::OFFICE, setup, member)?;
        }
    }

    // The returnee family of three, tenants of a rental household with two others.
    let family_home = HouseholdId::from(cast::FAMILY_HOME);
    let household = Household {
        id: family_home.clone(),
        village: "Yaozhuang".into(),
        group: "3".into(),
        address: "18 Yaozhuang Old Street".into(),
        landlord: Some("P00001".into()),
    };
    b.execute(by::OFFICE, setup, Command::AddHousehold { household })?;
    let family = [
        (cast::FATHER, "420106", "1968-03-02", true),
        (cast::MOTHER, "420106", "1970-07-15", false),
        (cast::SON, "420106", "1995-11-20", true),
    ];
    let lead = cst("2020-01-28 09:00");
    for (id, region, born, male) in family {
        let person = newcomer(&mut rng, &mut ids, &id.into(), region, day(born), male);
        b.execute(by::OFFICE, lead, Command::RegisterPerson { person })?;
        let arrives = Command::TenantArrives {
            household: family_home.clone(),
            person: id.into(),
            day: day("2020-01-22"),
        };
        b.execute(by::OFFICE, lead, arrives)?;
    }
    for lodger in ["P00100", "P00200"] {
        let arrives = Command::TenantArrives {
            household: family_home.clone(),
            person: lodger.into(),
            day: day("2019-09-01"),
        };
        b.execute(by::OFFICE, setup, arrives)?;
    }
    for (from, level) in [
        ("2020-01-20 00:00", RiskLevel::High),
        ("2020-04-08 00:00", RiskLevel::Low),
    ] {
        let change = Command::SetRiskLevel {
            area: "WH".into(),
            name: "Wuhan".into(),
            from: cst(from),
            level,
        };
        b.execute(by::OFFICE, cst(from), change)?;
    }
    for (id, ..) in family {
        let travel = TravelRecord {
            person: id.into(),
            from_area: "WH".into(),
            departed: cst("2020-01-22 08:00"),
            arrived: cst("2020-01-22 20:00"),
        };
        b.execute(by::OFFICE, lead, Command::RecordTravel { travel })?;
    }
    // A big-data lead finds them on the 28th: home isolation.
    for (k, (id, ..)) in family.iter().enumerate() {
        let order = Command::OrderHomeIsolation {
            order: format!("HI-{k}").into(),
            person: (*id).into(),
            arrived: cst("2020-01-22 20:00"),
            reason: "returnee from Wuhan (high risk)".into(),
        };
        b.execute(by::OFFICE, cst("2020-01-28 10:00"), order)?;
    }

    // Venue check-ins: every resident a few times a day in the fortnight before
    // confirmation, at popular places more than quiet ones (Zipf-like),
    // uploaded by the venues day by day.
    let weights: Vec<f64> = (1..=size.places).map(|r| 1.0 / r as f64).collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(size.places);
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cumulative.push(acc);
    }
    let first_day = day("2020-01-16");
    let mut uploads: Vec<Vec<Visit>> = vec![Vec::new(); 14];
    for i in 0..size.persons {
        let person = format!("P{i:05}");
        for (upload, d) in uploads.iter_mut().zip(first_day.iter_days()) {
            for _ in 0..rng.gen_range(0..=1) {
                let x: f64 = rng.gen();
                let place = cumulative.partition_point(|c| *c < x).min(size.places - 1);
                let start =
                    day_start(d, policy.zone()) + Duration::minutes(rng.gen_range(6 * 60..21 * 60));
                let len = Duration::minutes(rng.gen_range(5..90));
                upload.push(Visit {
                    person: person.clone(),
                    place: format!("PL-{place:04}"),
                    start: start.timestamp(),
                    end: (start + len).timestamp(),
                });
            }
        }
    }
    for (visits, d) in uploads.into_iter().zip(first_day.iter_days()) {
        let uploaded = day_start(d + Duration::days(1), policy.zone()) + Duration::hours(2);
        b.execute(by::VENUES, uploaded, Command::RecordVisits { visits })?;
    }
    // The family's own check-ins, and the people who shared those places,
    // pulled from the venues' records during the investigation.
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
    let mut investigation: Vec<Visit> = family_visits
        .iter()
        .map(|(who, place, from, to)| Visit {
            person: (*who).into(),
            place: (*place).into(),
            start: cst(from).timestamp(),
            end: cst(to).timestamp(),
        })
        .collect();
    let mut pool: Vec<usize> = (300..size.persons).collect();
    pool.shuffle(&mut rng);
    let mut next = pool.into_iter().map(|i| format!("P{i:05}"));
    let mut co_present = |place: &str, from: &str, minutes: i64, n: usize| {
        for k in 0..n {
            let start = cst(from) + Duration::minutes(k as i64 * 3);
            investigation.push(Visit {
                person: next.next().unwrap_or_default(),
                place: place.into(),
                start: start.timestamp(),
                end: (start + Duration::minutes(minutes)).timestamp(),
            });
        }
    };
    // 21 close contacts by co-presence (at least 15 minutes) ...
    co_present("PL-MARKET-EAST", "2020-01-26 08:40", 30, 7);
    co_present("PL-NOODLE-HOUSE", "2020-01-26 12:05", 45, 5);
    co_present("PL-SUPERMARKET", "2020-01-27 10:10", 20, 3);
    co_present("PL-NET-CAFE", "2020-01-27 14:30", 120, 4);
    co_present("PL-CLINIC", "2020-01-27 15:05", 25, 2);
    // ... and people who were there too briefly, or before the window.
    co_present("PL-MARKET-EAST", "2020-01-26 09:50", 12, 4);
    co_present("PL-KTV", "2020-01-24 20:30", 90, 3);
    let visits = investigation;
    b.execute(
        by::EPI,
        cst("2020-01-29 19:05"),
        Command::RecordVisits { visits },
    )?;

    // Confirmation on the 29th at 19:00; onset on the 28th.
    let confirmed_at = cst("2020-01-29 19:00");
    for (k, (id, ..)) in family.iter().enumerate() {
        let mut case = Case::new(
            format!("C{}", k + 1).as_str(),
            *id,
            DateOrTime::Time(confirmed_at),
        );
        case.onset = Some(DateOrTime::Date(day("2020-01-28")));
        case.arrived = Some(cst("2020-01-22 20:00"));
        case.isolated = Some(cst("2020-01-28 10:00"));
        if k > 0 {
            case.infected_by = vec![CaseId::from("C1")];
        }
        b.execute(by::EPI, confirmed_at, Command::ConfirmCase { case })?;
        let order = format!("HI-{k}").into();
        b.execute(by::OFFICE, confirmed_at, Command::ConvertToCase { order })?;
    }
    // Six relatives at a family dinner, named in the interview.
    for k in 0..6 {
        let contact = InterviewContact {
            case: "C1".into(),
            person: format!("P{:05}", 250 + k).into(),
            at: cst("2020-01-26 18:00"),
            note: "family dinner at a relative's home".into(),
        };
        b.execute(
            by::EPI,
            cst("2020-01-29 19:08"),
            Command::RecordInterviewContact { contact },
        )?;
    }
    // From 19:00 to 03:00 every contact is found and notified; by 08:00 all are in observation.
    let cases = (1..=family.len())
        .map(|k| CaseId::from(format!("C{k}")))
        .collect();
    b.execute(
        by::EPI,
        cst("2020-01-29 19:10"),
        Command::FindContacts { cases },
    )?;
    let people: Vec<PersonId> = b
        .station()
        .contacts
        .records()
        .map(|r| r.contact.person.clone())
        .collect();
    let n = people.len().max(1) as i64;
    for (k, person) in people.into_iter().enumerate() {
        let k = k as i64;
        let notified = cst("2020-01-29 19:20") + Duration::minutes(k * 460 / n);
        let notify = Command::NotifyContact {
            person: person.clone(),
        };
        b.execute(by::EPI, notified, notify)?;
        // Isolating a contact is the observation order: 14 days from the
        // last exposure, in the centralized facility.
        let isolated = cst("2020-01-30 03:30") + Duration::minutes(k * 270 / n);
        let order = OrderId::from(format!("MO-{}", k + 1));
        let isolate = Command::IsolateContact {
            person,
            order: Some(order.clone()),
            kind: Some(IsolationKind::Centralized),
        };
        let end = match b.execute(by::EPI, isolated, isolate)?.outcome {
            Outcome::OrderEnds { end } => end,
            _ => isolated,
        };
        b.execute(
            by::OFFICE,
            end + Duration::hours(2),
            Command::ReleaseOrder { order },
        )?;
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
        let workforce = exp(rng.gen_range(1.5f64..6.5)) as u32 + 3;
        let enterprise = Enterprise {
            id: format!("E{e:03}").into(),
            name: format!("{} {} Co.", village_of(e), SECTORS[e % SECTORS.len()]),
            credit_code,
            village: village_of(e).into(),
            sector: SECTORS[e % SECTORS.len()].into(),
            above_scale: workforce > 150 || rng.gen_bool(0.1),
            workforce,
            established: Some(day("2005-01-01") + Duration::days(rng.gen_range(0..5000))),
        };
        b.execute(
            by::OFFICE,
            cst("2020-02-05 09:00"),
            Command::AddEnterprise { enterprise },
        )?;
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
            let report = DailyStatus {
                enterprise: format!("E{e:03}").into(),
                date: d,
                resumed: d >= resume,
                workers_on_site: (f64::from(workforce) * ramp).round() as u32,
            };
            b.execute(
                by::ENTERPRISES,
                evening(d, &policy),
                Command::FileEnterpriseReport { report },
            )?;
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
        let person = newcomer(&mut rng, &mut ids, &id, region, born, male);
        let enterprise = EnterpriseId::from(format!("E{:03}", m % size.enterprises));
        // Workers travel once their enterprise has resumed.
        let arrived = (day("2020-02-25") + Duration::days(rng.gen_range(0..30)))
            .max(resume_days[m % size.enterprises]);
        let at = day_start(arrived, policy.zone()) + Duration::hours(8);
        b.execute(by::OFFICE, at, Command::RegisterPerson { person })?;
        let worker = MigrantWorker {
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
        };
        b.execute(by::ENTERPRISES, at, Command::RecordMigrant { worker })?;
        let application = PassApplication {
            holder: id,
            kind: PassKind::Worker,
            enterprise: Some(enterprise),
            scope: "home county to Yaozhuang".into(),
        };
        b.execute(by::OFFICE, at, Command::IssuePass { application })?;
    }

    // County passes for residents without a smartphone, February to April.
    // Applicants still under observation are refused by the rules and apply
    // again later; the office issues until the story's count is reached.
    let applicants: Vec<PersonId> = b
        .station()
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
        let application = PassApplication {
            holder,
            kind: PassKind::County,
            enterprise: None,
            scope: "Yaozhuang town and county seat".into(),
        };
        match b.execute(by::OFFICE, at, Command::IssuePass { application }) {
            Ok(_) => issued += 1,
            Err(crate::Error::NotEligible { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    // One pass revoked (lost and replaced).
    b.execute(
        by::OFFICE,
        cst("2020-03-10 10:00"),
        Command::RevokePass { serial: 1 },
    )?;

    // The station's key, which the book checks tokens against, in force for
    // every pass of the story.
    let key = StationKey::from_seed(DEMO_KEY_SEED);
    let add_key = Command::AddStationKey {
        key: key.public(),
        valid_from: cst("2020-01-01 00:00"),
        valid_until: None,
    };
    b.execute(by::OFFICE, cst("2020-01-20 08:00"), add_key)?;

    // Checkpoint at the highway exit: valid (the card shown), tampered,
    // forged, expired, revoked, early, and a pass shown by someone else.
    let at = cst("2020-04-20 09:00");
    let st = b.station();
    let passes = &st.passes;
    let recent: Vec<u64> = passes
        .passes()
        .filter(|p| p.valid_from <= at && p.valid_until > at && p.revoked_at.is_none())
        .map(|p| p.serial)
        .take(200)
        .collect();
    let sample = passes.token(recent.first().copied().unwrap_or(1), &key)?;
    let forged = passes.token(
        recent.first().copied().unwrap_or(1),
        &StationKey::from_seed([7; 32]),
    )?;
    let expired = passes
        .passes()
        .find(|p| p.valid_until <= at && p.revoked_at.is_none())
        .map_or(2, |p| p.serial);
    let card = |serial: u64| {
        passes
            .pass(serial)
            .ok()
            .and_then(|p| st.residents.person(&p.holder).ok())
            .map(|p| p.document.clone())
    };
    let mut shown: Vec<(String, Instant, Option<crate::IdDocument>)> = Vec::new();
    for serial in &recent {
        shown.push((passes.token(*serial, &key)?, at, card(*serial)));
    }
    for token in [
        tampered(&sample),
        forged,
        passes.token(expired, &key)?,
        passes.token(1, &key)?,
    ] {
        shown.push((token, at, None));
    }
    if let Some(last) = passes.passes().last().map(|p| p.serial) {
        shown.push((passes.token(last, &key)?, cst("2020-02-01 09:00"), None));
    }
    if let [first, second, ..] = recent[..] {
        shown.push((passes.token(first, &key)?, at, card(second)));
    }
    for (token, at, document) in shown {
        let check = Command::CheckPass {
            checkpoint: "G15 Yaozhuang exit".into(),
            token,
            document,
            public_key: None,
        };
        b.execute(by::CHECKPOINT, at, check)?;
    }

    // A foreign national registered over a video call; the paper certificate is held.
    let stay = ForeignStay {
        id: cast::FOREIGN_STAY.into(),
        name: "ANNA MARIA ERIKSSON".into(),
        nationality: "UTO".into(),
        passport_number: "L898902C3".into(),
        address: "6 Xicun Lane".into(),
        host: "李秀英".into(),
        arrival: cst("2020-02-20 10:00"),
        registered_at: None,
        channel: None,
    };
    b.execute(
        by::OFFICE,
        cst("2020-02-20 20:55"),
        Command::AddStay { stay },
    )?;
    let stay = StayId::from(cast::FOREIGN_STAY);
    let register = Command::RegisterStay {
        stay: stay.clone(),
        channel: Channel::Video,
    };
    b.execute(by::OFFICE, cst("2020-02-20 21:00"), register)?;
    let certify = Command::IssueCertificate { stay };
    if let Outcome::CertificateIssued { serial } = b
        .execute(by::OFFICE, cst("2020-02-20 21:30"), certify)?
        .outcome
    {
        let photo = Command::SendPhoto {
            certificate: serial,
        };
        b.execute(by::OFFICE, cst("2020-02-20 21:35"), photo)?;
    }
    // The station's other services, day by day.
    let issued_per_day = b.station().passes.issued_per_day(&policy);
    for d in day("2020-02-01")
        .iter_days()
        .take_while(|d| *d <= day("2020-04-30"))
    {
        let at = day_start(d, policy.zone()) + Duration::hours(10);
        let mut services = Vec::new();
        for (kind, channel, max) in [
            (ServiceKind::HouseholdRegistration, Channel::Window, 6),
            (ServiceKind::HouseholdRegistration, Channel::Online, 9),
            (ServiceKind::ExitEntry, Channel::Online, 4),
            (ServiceKind::ExitEntry, Channel::Video, 2),
            (ServiceKind::VehiclesAndDrivers, Channel::Window, 5),
            (ServiceKind::VehiclesAndDrivers, Channel::HomeVisit, 2),
        ] {
            services.push((kind, channel, rng.gen_range(0..=max)));
        }
        let passes = issued_per_day
            .range((d, PassKind::County)..=(d, PassKind::Worker))
            .map(|(_, n)| *n as u32)
            .sum::<u32>();
        services.push((ServiceKind::Passes, Channel::Window, passes));
        for (kind, channel, count) in services {
            if count > 0 {
                let service = Command::RecordService {
                    kind,
                    channel,
                    count,
                };
                b.execute(by::OFFICE, at, service)?;
            }
        }
    }
    b.commit()
}

/// A uniform index below `len`, the same on every platform: rand samples a
/// `usize` range from 64 random bits on 64-bit targets and from 32 on wasm32,
/// which would shift the whole random stream, so sample a `u64` range (what
/// 64-bit targets always did, keeping the story as it was written there).
fn index(rng: &mut ChaCha8Rng, len: usize) -> usize {
    rng.gen_range(0..len as u64) as usize
}

// `f64::exp`, `ln` and `cos` call the platform's math library, whose last
// bit differs between glibc, macOS and wasm32's; a count truncated from such
// a result, or a range bounded by it, could then differ. These use only
// `+ - * /` and `sqrt`, which IEEE 754 rounds exactly everywhere (and Rust
// never fuses into FMA), so they give the same bits on every platform.

/// e^x: e^(x/1024) by its Taylor series, squared ten times (relative error
/// near 1e-13 for |x| < 20, ample for generated data).
fn exp(x: f64) -> f64 {
    let r = x / 1024.0;
    let (mut term, mut sum) = (1.0, 1.0);
    for n in 1..=10 {
        term *= r / f64::from(n);
        sum += term;
    }
    for _ in 0..10 {
        sum *= sum;
    }
    sum
}

/// ln x for x > 0: x = m * 2^k with m in [1, 2), ln m = 2 artanh((m-1)/(m+1))
/// by its series.
fn ln(x: f64) -> f64 {
    let (mut m, mut k) = (x, 0.0);
    while m >= 2.0 {
        m /= 2.0;
        k += 1.0;
    }
    while m < 1.0 {
        m *= 2.0;
        k -= 1.0;
    }
    let t = (m - 1.0) / (m + 1.0);
    let (t2, mut power, mut sum) = (t * t, t, 0.0);
    for n in 0..40 {
        sum += power / f64::from(2 * n + 1);
        power *= t2;
    }
    2.0 * sum + k * std::f64::consts::LN_2
}

/// cos x for x in [0, 2π]: Taylor series around the nearest of 0, π/2, π,
/// 3π/2, 2π.
fn cos(x: f64) -> f64 {
    use std::f64::consts::FRAC_PI_2;
    let quadrant = (x / FRAC_PI_2).round();
    let r = x - quadrant * FRAC_PI_2;
    let r2 = r * r;
    // cos r and sin r, |r| <= π/4.
    let (mut c, mut s, mut term_c, mut term_s) = (1.0, r, 1.0, r);
    for n in 1..12 {
        term_c *= -r2 / f64::from((2 * n - 1) * (2 * n));
        term_s *= -r2 / f64::from((2 * n) * (2 * n + 1));
        c += term_c;
        s += term_s;
    }
    match quadrant as i64 % 4 {
        0 => c,
        1 => -s,
        2 => -c,
        _ => s,
    }
}

/// 20:00 on `day`, when daily reports come in.
fn evening(day: NaiveDate, policy: &Policy) -> Instant {
    day_start(day, policy.zone()) + Duration::hours(20)
}

/// A synthetic town's venue check-ins, for benchmarks and the peer
/// comparison: persons check in at places whose popularity follows Zipf's
/// law (a few markets are very busy), for a lognormal time around 30
/// minutes, between 06:00 and 22:00 local time, over a number of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticTown {
    /// Check-ins.
    pub visits: usize,
    /// Persons.
    pub persons: usize,
    /// Places.
    pub places: usize,
    /// Days.
    pub days: usize,
}

/// Check-ins as columns: integer ids and Unix seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitColumns {
    /// Person ids, `0..persons`.
    pub person: Vec<i64>,
    /// Place ids, `0..places`, 0 the busiest.
    pub place: Vec<i64>,
    /// Arrivals.
    pub start: Vec<i64>,
    /// Departures.
    pub end: Vec<i64>,
}

impl VisitColumns {
    /// The check-ins as a visits CSV, times in Unix seconds.
    pub fn to_csv(&self) -> String {
        use std::fmt::Write;
        let mut text = String::from("person_id,place_id,start,end\n");
        for i in 0..self.person.len() {
            // Writing to a String cannot fail.
            let _ = writeln!(
                text,
                "{},{},{},{}",
                self.person[i], self.place[i], self.start[i], self.end[i]
            );
        }
        text
    }
}

impl SyntheticTown {
    /// A town of `visits` check-ins over 14 days, with one person per 55
    /// check-ins and one place per 50 persons: 2.2 million check-ins are
    /// 40,000 persons and 800 places.
    pub fn with_visits(visits: usize) -> SyntheticTown {
        let persons = (visits / 55).max(2);
        SyntheticTown {
            visits,
            persons,
            places: (persons / 50).max(1),
            days: 14,
        }
    }

    /// Midnight (local, UTC+8) of the first day, in Unix seconds: 2020-01-16.
    pub fn first_day(&self) -> i64 {
        1_579_104_000
    }

    /// The check-ins, the same for the same seed.
    pub fn generate(&self, seed: u64) -> VisitColumns {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut cumulative = Vec::with_capacity(self.places);
        let total: f64 = (1..=self.places).map(|r| 1.0 / r as f64).sum();
        let mut acc = 0.0;
        for r in 1..=self.places {
            acc += 1.0 / r as f64 / total;
            cumulative.push(acc);
        }
        let mut c = VisitColumns {
            person: Vec::with_capacity(self.visits),
            place: Vec::with_capacity(self.visits),
            start: Vec::with_capacity(self.visits),
            end: Vec::with_capacity(self.visits),
        };
        let (open, close) = (6 * 3600, 22 * 3600);
        for _ in 0..self.visits {
            let person = index(&mut rng, self.persons) as i64;
            let x: f64 = rng.gen();
            let place = cumulative.partition_point(|p| *p < x).min(self.places - 1) as i64;
            let day = index(&mut rng, self.days) as i64;
            // Lognormal around 30 minutes (Box-Muller), 5 minutes to 4 hours.
            let (u1, u2): (f64, f64) = (rng.gen_range(f64::EPSILON..1.0), rng.gen());
            let normal = (-2.0 * ln(u1)).sqrt() * cos(std::f64::consts::TAU * u2);
            let duration = (1800.0 * exp(0.6 * normal)).clamp(300.0, 14_400.0) as i64;
            let start = rng.gen_range(open..close - duration);
            let start = self.first_day() + day * 86_400 + start;
            c.person.push(person);
            c.place.push(place);
            c.start.push(start);
            c.end.push(start + duration);
        }
        c
    }
}

/// The index cases of the peer comparison in `window`: the person with the
/// most visits intersecting it (the smallest id among ties), and the median
/// one (persons with at least one such visit ordered by count, then id).
pub fn index_cases(c: &VisitColumns, window: crate::Window) -> Option<(i64, i64)> {
    let mut count: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for i in 0..c.person.len() {
        if c.start[i] < window.end && c.end[i] > window.start {
            *count.entry(c.person[i]).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, i64)> = count.into_iter().map(|(p, n)| (n, p)).collect();
    ranked.sort_unstable();
    let median = ranked.get(ranked.len() / 2)?.1;
    let top = ranked.last()?.0;
    let hub = ranked.iter().find(|(n, _)| *n == top)?.1;
    Some((hub, median))
}

/// A token with a character of its serial number changed: it still reads,
/// and its signature no longer matches.
fn tampered(token: &str) -> String {
    token
        .char_indices()
        .map(|(i, c)| match (i, c) {
            (9, 'A') => 'B',
            (9, _) => 'A',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pass::DenyReason;

    #[test]
    fn the_portable_functions_agree_with_the_platforms() {
        for k in 0..=1000 {
            let x = f64::from(k) / 100.0;
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
            assert!(close(exp(x - 5.0), (x - 5.0).exp()), "exp {x}");
            assert!(close(ln(x + 1e-3), (x + 1e-3).ln()), "ln {x}");
            let angle = x / 10.0 * std::f64::consts::TAU;
            if angle <= std::f64::consts::TAU {
                assert!(close(cos(angle), angle.cos()), "cos {angle}");
            }
        }
    }

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
                DenyReason::Revoked,
                DenyReason::UnknownKey,
                DenyReason::HolderMismatch,
            ]
        );
        assert_eq!(demo_station(7, DemoSize::SMALL).unwrap(), st);
    }
}
