//! Chains from real line lists read as they are, in place from
//! `../shared/data` (skipped with a message when that folder is absent).
//! The figures were computed independently by `scripts/chains_reference.py`
//! (Python standard library only) over the same files.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use precinct::*;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data");

fn shared(rel: &str) -> Option<File> {
    let path = Path::new(SHARED).join(rel);
    if !path.exists() {
        eprintln!(
            "skipped: {} is absent (the shared data folder lives beside the repository)",
            path.display()
        );
        return None;
    }
    Some(File::open(path).unwrap())
}

fn count(r: &ChainReport, f: impl Fn(&DataProblem) -> bool) -> usize {
    r.problems.iter().filter(|p| f(p)).count()
}

#[test]
fn ds4c_patient_info_as_it_is() {
    let Some(file) = shared("ds4c/PatientInfo.csv") else {
        return;
    };
    let columns = LineListColumns {
        id: "patient_id".into(),
        infected_by: Some("infected_by".into()),
        onset: Some("symptom_onset_date".into()),
        confirmed: Some("confirmed_date".into()),
        ..LineListColumns::default()
    };
    let policy = Policy::default();
    let list = read_line_list(file, &columns, &policy).unwrap();
    // The three rows without a confirmation date are reported, and kept.
    let missing: Vec<(u64, &str, Option<&str>)> = list
        .problems
        .iter()
        .map(|p| match p {
            DataProblem::MissingValue {
                line, column, case, ..
            } => (*line, column.as_str(), case.as_ref().map(CaseId::as_str)),
            other => panic!("unexpected problem {other}"),
        })
        .collect();
    // Lines as a text editor numbers them (`grep -n` finds 6011000051 on 2982).
    assert_eq!(
        missing,
        [
            (2982, "confirmed_date", Some("6011000051")),
            (2983, "confirmed_date", Some("6011000052")),
            (2984, "confirmed_date", Some("6011000053")),
        ]
    );
    // The file's lines end with CRLF; with LF or a bare CR (older Mac
    // spreadsheets), the same rows are on the same lines.
    let text = std::fs::read_to_string(Path::new(SHARED).join("ds4c/PatientInfo.csv")).unwrap();
    let lf = text.replace("\r\n", "\n");
    for ends in [lf.clone(), lf.replace('\n', "\r"), lf.replace('\n', "\r\n")] {
        let again = read_line_list(ends.as_bytes(), &columns, &policy).unwrap();
        assert_eq!(again.problems, list.problems);
    }
    let r = list.chains(&policy);
    assert_eq!(r.cases, 3388);
    assert_eq!(r.edges, 820);
    assert_eq!(
        r.placeholders
            .iter()
            .map(|(p, infectees)| (p.as_str(), infectees.len()))
            .collect::<Vec<_>>(),
        [("2002000001", 1), ("2017000005", 1), ("6100000384", 3)]
    );
    // The three infectees of 6100000384 (not on the list) are one cluster
    // at generation 1, with the two cases they infected in turn.
    let under: Vec<CaseId> = ["6100000034", "6100000035", "6100000036"]
        .map(CaseId::from)
        .to_vec();
    let cluster = r
        .clusters
        .iter()
        .find(|c| c.not_listed == [CaseId::from("6100000384")])
        .unwrap();
    assert_eq!(cluster.cases.len(), 5);
    assert!(under.iter().all(|c| cluster.cases.contains(c)));
    for c in &under {
        assert_eq!(r.generation[c], 1, "{c}");
    }
    assert_eq!(r.clusters.len(), 2577);
    assert_eq!(r.clusters[0].cases.len(), 67);
    assert_eq!(r.clusters.iter().filter(|c| c.cases.len() > 1).count(), 236);
    assert_eq!(r.cases_per_generation(), [2573, 515, 196, 39, 11, 2, 2]);
    assert_eq!(r.longest_chain.len(), 7);
    assert!((r.mean_secondary_cases - 815.0 / 3388.0).abs() < 1e-12);
    assert_eq!(r.serial_intervals.len(), 81);
    assert!((r.mean_serial_interval().unwrap() - 3.790_123).abs() < 1e-6);
    assert_eq!(
        count(&r, |p| matches!(p, DataProblem::SelfInfection { .. })),
        2
    );
    assert_eq!(count(&r, |p| matches!(p, DataProblem::Cycle { .. })), 6);
    assert_eq!(r.problems.len(), 3 + 2 + 6);
}

#[test]
fn mers_2015_line_list_with_its_contacts() {
    let (Some(cases), Some(contacts), Some(again)) = (
        shared("mers_korea_2015/linelist.csv"),
        shared("mers_korea_2015/contacts.csv"),
        shared("mers_korea_2015/contacts.csv"),
    ) else {
        return;
    };
    let columns = LineListColumns {
        id: "id".into(),
        infected_by: None,
        onset: Some("dt_onset".into()),
        confirmed: Some("dt_report".into()),
        ..LineListColumns::default()
    };
    let policy = Policy::default();
    let mut list = read_line_list(cases, &columns, &policy).unwrap();
    list.add_contacts(contacts, &columns).unwrap();
    let several: BTreeMap<&str, usize> = list
        .cases
        .iter()
        .filter(|c| c.infected_by.len() > 1)
        .map(|c| (c.id.as_str(), c.infected_by.len()))
        .collect();
    assert_eq!(several, BTreeMap::from([("SK_107", 2), ("SK_39", 3)]));
    let r = list.chains(&policy);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.cases, 162);
    assert_eq!(r.edges, 98);
    assert!(r.placeholders.is_empty());
    assert_eq!(r.clusters.len(), 67);
    assert_eq!(r.clusters[0].cases.len(), 94);
    assert_eq!(r.cases_per_generation(), [67, 28, 65, 2]);
    assert_eq!(r.longest_chain.len(), 4);
    assert_eq!(r.secondary_cases[&CaseId::from("SK_14")], 38);
    assert!((r.mean_secondary_cases - 98.0 / 162.0).abs() < 1e-12);
    // Every serial interval is the one the ECDC computed (diff_dt_onset).
    let mut ecdc: BTreeMap<(String, String), i64> = BTreeMap::new();
    for row in csv::Reader::from_reader(again).records() {
        let row = row.unwrap();
        ecdc.insert((row[0].into(), row[1].into()), row[3].parse().unwrap());
    }
    let ours: BTreeMap<(String, String), i64> = r
        .serial_intervals
        .iter()
        .map(|s| ((s.infector.to_string(), s.infectee.to_string()), s.days))
        .collect();
    assert_eq!(ours, ecdc);
}

#[test]
fn column_names_are_matched_as_headers_are() {
    // The Singapore file's headers are `CaseID` and `Related cases`; a user
    // naming them exactly, or in another case, reads the same links.
    let path = "singapore_tianjin_2020/COVID-19_Singapore_data_revised.csv";
    let policy = Policy::default();
    let mut links = Vec::new();
    for (id, related) in [
        ("CaseID", "Related cases"),
        ("caseid", "related cases"),
        (" CASEID ", "Related Cases"),
    ] {
        let Some(file) = shared(path) else {
            return;
        };
        let columns = LineListColumns {
            id: id.into(),
            infected_by: Some(related.into()),
            onset: Some("date_onset_symptoms".into()),
            confirmed: Some("date_confirmation".into()),
            ..LineListColumns::default()
        };
        let list = read_line_list(file, &columns, &policy).unwrap();
        assert!(
            !list
                .problems
                .iter()
                .any(|p| matches!(p, DataProblem::MissingColumn { .. })),
            "{id} / {related}: {:?}",
            list.problems.first()
        );
        let r = list.chains(&policy);
        assert_eq!(r.cases, 93, "{id}");
        links.push(r.edges);
    }
    assert_eq!(links, [102, 102, 102]);
}
