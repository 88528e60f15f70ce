//! Inputs as they arrive from the field (issue: field-proof records): Excel
//! exports, PostgreSQL timestamps, Windows line ends, stations with summer
//! time. Each example stands for a family; the right value is asserted.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

use precinct::*;

fn trace_of(visits: &str, cases: &str, policy: &Policy) -> Result<Vec<CloseContact>> {
    let visits = read_visits(visits.as_bytes(), policy)?;
    let cases = read_cases(cases.as_bytes(), policy)?;
    let inputs = TraceInputs {
        visits: &visits,
        residents: None,
        interviews: &[],
        policy,
    };
    close_contacts(&cases, inputs, None)
}

const VISITS: &str = "person_id,place_id,start,end\n\
    p_case,market,2020-01-24 09:00:00+08,2020-01-24 10:00:00+08\n\
    p_ann,market,2020-01-24T09:00+08:00,2020-01-24T10:00+08:00\n";

#[test]
fn excel_day_serials_in_a_line_list_are_refused_not_read_as_1970() {
    let policy = Policy::default();
    for (row, column, day) in [
        ("C1,p_case,43853,43856,", "confirmed", "2020-01-26"),
        ("C1,p_case,43853,2020-01-26,", "onset", "2020-01-23"),
        ("C1,p_case,,43856.5,", "confirmed", "2020-01-26 12:00"),
    ] {
        let cases = format!("case_id,person_id,onset,confirmed,infected_by\n{row}\n");
        let err = trace_of(VISITS, &cases, &policy).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("cases line 2, column `{column}`")),
            "{row}: {err}"
        );
        assert!(err.contains(day), "{row}: {err}");
    }
    // Written as dates, the same line list finds the contact.
    let cases = "case_id,person_id,onset,confirmed,infected_by\nC1,p_case,2020-01-23,2020-01-26,\n";
    let found = trace_of(VISITS, cases, &policy).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].person.as_str(), "p_ann");
    assert_eq!(found[0].overlap_seconds, 3600);
}

#[test]
fn a_windows_export_names_the_physical_line() {
    let policy = Policy::default();
    let visits = VISITS.replace('\n', "\r\n") + "p_bob,market,9:00,10:00\r\n";
    let err = read_visits(visits.as_bytes(), &policy)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("visits line 4, column `start`"), "{err}");
}

#[test]
fn a_station_with_summer_time_gets_local_days_and_windows_right() {
    let berlin = Policy::default().in_zone("Europe/Berlin".parse().unwrap());
    // Onset 30 March 2020, two days before: the window opens at local
    // midnight of 28 March (CET, UTC+1), the night before summer time starts.
    let mut case = Case::new(
        "C1",
        "p_case",
        DateOrTime::parse("2020-04-01", berlin.zone()).unwrap(),
    );
    case.onset = Some(DateOrTime::parse("2020-03-30", berlin.zone()).unwrap());
    let w = exposure_window(&case, &berlin).unwrap().interval;
    assert_eq!(w.start.to_rfc3339(), "2020-03-27T23:00:00+00:00");
    // It ends at the end of the day of confirmation, local summer time.
    assert_eq!(w.end.to_rfc3339(), "2020-04-01T22:00:00+00:00");
    // A visit at 23:30 local on 31 March is on 31 March in Berlin (21:30 UTC),
    // though at a fixed +01:00 it would be 22:30, and at +08:00 on 1 April.
    let at = parse_instant("2020-03-31 23:30", berlin.zone()).unwrap();
    assert_eq!(at.to_rfc3339(), "2020-03-31T21:30:00+00:00");
    assert_eq!(local_day(at, berlin.zone()).to_string(), "2020-03-31");
    assert_eq!(
        render_instant(at, berlin.zone()),
        "2020-03-31T23:30:00+02:00"
    );
    // The same rules read in Seoul print Korean time.
    let seoul = Policy::default().in_zone("Asia/Seoul".parse().unwrap());
    assert_eq!(
        render_instant(at, seoul.zone()),
        "2020-04-01T06:30:00+09:00"
    );
}

#[test]
fn integer_person_ids_come_out_in_numeric_order() {
    let policy = Policy::default();
    let visits: String = ["1", "1009", "1000", "9", "10", "P7"]
        .iter()
        .fold(String::from("person_id,place_id,start,end\n"), |csv, p| {
            csv + p + ",m,2020-01-24 09:00,2020-01-24 10:00\n"
        });
    let cases = "case_id,person_id,onset,confirmed,infected_by\nC1,1,2020-01-23,2020-01-26,\n";
    let found = trace_of(&visits, cases, &policy).unwrap();
    let ids: Vec<&str> = found.iter().map(|c| c.person.as_str()).collect();
    assert_eq!(ids, ["9", "10", "1000", "1009", "P7"]);
}
