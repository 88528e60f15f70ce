//! Built-in, deterministically generated demo data: the story of one town
//! station (about 40,000 residents in 12,000 households, 6,000 of them
//! rented) through the first months of 2020.
//!
//! Every figure comes out of the library's own rules applied to generated
//! records: the 29 close contacts are found by the trace, not listed.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::book::{Batch, Book};
use crate::error::Result;
use crate::household::Person;
use crate::id::{resident_check_char, IdDocument, ResidentId};
use crate::ids::PersonId;
use crate::policy::Policy;
use crate::station::Station;
use crate::time::{day_start, parse_instant, Instant};

use portable::index;
pub use synthetic::{index_cases, ShapeParameters, SyntheticTown, TownShape, VisitColumns};

mod first_case;
mod passes;
mod portable;
mod resumption;
mod returnees;
mod services;
mod synthetic;
mod town;

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

fn cst(text: &str) -> Instant {
    parse_instant(text, Policy::default().zone()).unwrap_or_default()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap_or_default()
}

/// Makes unique, valid resident ids.
#[derive(Default)]
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
/// change goes through a [`Command`](crate::Command) and the journal, committed at the end.
///
/// The chapters draw from one random stream in this order; reordering them
/// writes another town (`tests/demo_town.json` would tell).
///
/// # Errors
/// [`crate::Error::InvalidValue`] when the book already has events; otherwise
/// as [`demo_station`].
pub fn write_story(book: &mut Book, seed: u64, size: DemoSize) -> Result<()> {
    if book.seq() != book.recovery().first_seq {
        return Err(crate::Error::invalid(
            "book",
            format!("{} events", book.seq() - book.recovery().first_seq),
            "a book with no events for the demo story",
        ));
    }
    let policy = book.policy().clone();
    let mut story = Story {
        b: book.batch(),
        rng: ChaCha8Rng::seed_from_u64(seed),
        ids: IdMaker::default(),
        policy,
        size,
    };
    // January: the town, its rented homes and who answers for each household.
    story.households_and_residents()?;
    chapter(1);
    story.screening()?;
    chapter(2);
    story.responsibility()?;
    chapter(3);
    // The returnee family, the first case and its contacts.
    story.returnees()?;
    chapter(4);
    story.check_ins()?;
    chapter(5);
    story.investigation()?;
    chapter(6);
    story.confirmation()?;
    chapter(7);
    story.contacts()?;
    chapter(8);
    // February and March: work resumes.
    let resume_days = story.enterprises()?;
    chapter(9);
    story.migrant_workers(&resume_days)?;
    chapter(10);
    // Passes and the checkpoint.
    story.county_passes()?;
    chapter(11);
    let key = story.station_key()?;
    story.checkpoint(&key)?;
    chapter(12);
    // The station's counter.
    story.foreign_national()?;
    chapter(13);
    story.services()?;
    chapter(14);
    story.b.commit()
}

/// Chapters of the story, for [`crate::progress`].
const CHAPTERS: u64 = 14;

fn chapter(done: u64) {
    crate::progress::report("demo town", done, Some(CHAPTERS));
}

/// What the chapters share: the journal being written, the one random
/// stream, the resident ids given out so far, the rules and the town's size.
struct Story<'b> {
    b: Batch<'b>,
    rng: ChaCha8Rng,
    ids: IdMaker,
    policy: Policy,
    size: DemoSize,
}

/// The returnee family: id, birth region, birth date, male.
const FAMILY: [(&str, &str, &str, bool); 3] = [
    (cast::FATHER, "420106", "1968-03-02", true),
    (cast::MOTHER, "420106", "1970-07-15", false),
    (cast::SON, "420106", "1995-11-20", true),
];

/// When the town's standing records are entered.
fn setup() -> Instant {
    cst("2020-01-25 09:00")
}

fn village_of(h: usize) -> &'static str {
    VILLAGES[h % VILLAGES.len()]
}

/// 20:00 on `day`, when daily reports come in.
fn evening(day: NaiveDate, policy: &Policy) -> Instant {
    day_start(day, policy.zone()) + Duration::hours(20)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pass::{DenyReason, PassKind};

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
