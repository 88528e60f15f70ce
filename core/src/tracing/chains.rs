//! Transmission chains from "infected by" links: clusters, generations,
//! the longest chain, secondary cases and serial intervals. Self-infection,
//! cycles and unknown infectors are reported as data problems and never
//! followed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::contacts::Case;
use crate::ids::CaseId;
use crate::time::Zone;

/// A link between cases that cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum DataProblem {
    /// A case names itself as its infector.
    SelfInfection {
        /// The case.
        case: CaseId,
    },
    /// A case names an infector that is not in the data.
    UnknownInfector {
        /// The case.
        case: CaseId,
        /// The infector named.
        infector: CaseId,
    },
    /// Cases that infect each other in a loop.
    Cycle {
        /// The cases in the loop, starting from the smallest id.
        cases: Vec<CaseId>,
    },
    /// The same case id appears twice; the first is used.
    DuplicateCase {
        /// The case.
        case: CaseId,
    },
}

/// Infector to infectee, with the days between their onsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SerialInterval {
    /// The infector.
    pub infector: CaseId,
    /// The infectee.
    pub infectee: CaseId,
    /// Onset of the infectee minus onset of the infector, in days.
    pub days: i64,
}

/// Statistics of the transmission chains in a set of cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainReport {
    /// Groups of cases linked by followable infections, largest first (ties by first id).
    pub clusters: Vec<Vec<CaseId>>,
    /// Generation of each case: 1 for a case with no (followable) infector.
    /// Cases in or below a cycle have none.
    pub generation: BTreeMap<CaseId, u32>,
    /// The longest chain, from its first case down.
    pub longest_chain: Vec<CaseId>,
    /// Number of cases each case infected (only cases that infected someone).
    pub secondary_cases: BTreeMap<CaseId, usize>,
    /// Mean secondary cases over all cases.
    pub mean_secondary_cases: f64,
    /// Serial intervals where both onsets are known.
    pub serial_intervals: Vec<SerialInterval>,
    /// Links that could not be followed.
    pub problems: Vec<DataProblem>,
}

/// Generation of a case in or below a cycle.
const CYCLE: u32 = u32::MAX;

/// Union-find root with path halving.
fn find(root: &mut [usize], mut i: usize) -> usize {
    while root[i] != i {
        root[i] = root[root[i]];
        i = root[i];
    }
    i
}

/// Analyse the chains among `cases`; onsets given as times use `zone` for their day.
///
/// ```
/// use precinct::{chains, Case, DateOrTime};
/// let d = DateOrTime::Date("2020-01-26".parse().unwrap());
/// let mut a = Case::new("A", "pa", d);
/// let mut b = Case::new("B", "pb", d);
/// b.infected_by = Some("A".into());
/// let mut c = Case::new("C", "pc", d);
/// c.infected_by = Some("C".into());
/// let r = chains(&[a, b, c], precinct::Zone::SHANGHAI);
/// assert_eq!(r.longest_chain.len(), 2);
/// assert_eq!(r.problems.len(), 1);
/// ```
#[expect(
    clippy::too_many_lines,
    reason = "one pass per statistic reads best in order"
)]
pub fn chains(cases: &[Case], zone: Zone) -> ChainReport {
    let mut problems = Vec::new();
    let mut ids: Vec<CaseId> = Vec::new();
    let mut index: BTreeMap<&CaseId, usize> = BTreeMap::new();
    let mut onset: Vec<Option<NaiveDate>> = Vec::new();
    for c in cases {
        if index.contains_key(&c.id) {
            problems.push(DataProblem::DuplicateCase { case: c.id.clone() });
            continue;
        }
        index.insert(&c.id, ids.len());
        ids.push(c.id.clone());
        onset.push(c.onset.map(|o| o.day(zone)));
    }
    let n = ids.len();
    // Followable parent of each case.
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut seen = vec![false; n];
    for c in cases {
        let i = index[&c.id];
        if seen[i] {
            continue;
        }
        seen[i] = true;
        match &c.infected_by {
            None => {}
            Some(by) if by == &c.id => {
                problems.push(DataProblem::SelfInfection { case: c.id.clone() });
            }
            Some(by) => match index.get(by) {
                Some(&j) => parent[i] = Some(j),
                None => problems.push(DataProblem::UnknownInfector {
                    case: c.id.clone(),
                    infector: by.clone(),
                }),
            },
        }
    }

    // Generations by walking up; 0 = unknown yet, CYCLE = in or below a cycle.
    let mut generation = vec![0u32; n];
    let mut on_path = vec![false; n];
    for start in 0..n {
        let mut path: Vec<usize> = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            if generation[i] != 0 {
                break;
            }
            if on_path[i] {
                // Found a loop: the part of the path from i on.
                let pos = path.iter().position(|&p| p == i).unwrap_or(0);
                let mut members: Vec<CaseId> =
                    path[pos..].iter().map(|&p| ids[p].clone()).collect();
                let smallest = (0..members.len()).min_by_key(|&k| &members[k]).unwrap_or(0);
                members.rotate_left(smallest);
                problems.push(DataProblem::Cycle { cases: members });
                for &p in &path[pos..] {
                    generation[p] = CYCLE;
                }
                break;
            }
            on_path[i] = true;
            path.push(i);
            cur = parent[i];
        }
        // Assign down the path, from the top.
        let mut above = cur.map_or(0, |i| generation[i]);
        for &i in path.iter().rev() {
            on_path[i] = false;
            if generation[i] == CYCLE {
                above = CYCLE;
                continue;
            }
            generation[i] = if above == CYCLE { CYCLE } else { above + 1 };
            above = generation[i];
        }
    }

    // Clusters: connected components over followable links.
    let mut root: Vec<usize> = (0..n).collect();
    for (i, p) in parent.iter().enumerate() {
        if let Some(j) = *p {
            let (a, b) = (find(&mut root, i), find(&mut root, j));
            root[a.max(b)] = a.min(b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<CaseId>> = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        let r = find(&mut root, i);
        groups.entry(r).or_default().push(id.clone());
    }
    let mut clusters: Vec<Vec<CaseId>> = groups
        .into_values()
        .map(|mut g| {
            g.sort();
            g
        })
        .collect();
    clusters.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a[0].cmp(&b[0])));

    let mut secondary: BTreeMap<CaseId, usize> = BTreeMap::new();
    let mut serial_intervals = Vec::new();
    for i in 0..n {
        if let Some(j) = parent[i] {
            *secondary.entry(ids[j].clone()).or_default() += 1;
            if let (Some(a), Some(b)) = (onset[j], onset[i]) {
                serial_intervals.push(SerialInterval {
                    infector: ids[j].clone(),
                    infectee: ids[i].clone(),
                    days: (b - a).num_days(),
                });
            }
        }
    }
    // Deepest case (smallest id among ties), then walk up.
    let deepest = (0..n).filter(|&i| generation[i] != CYCLE).max_by(|&a, &b| {
        generation[a]
            .cmp(&generation[b])
            .then_with(|| ids[b].cmp(&ids[a]))
    });
    let mut longest_chain = Vec::new();
    let mut cur = deepest;
    while let Some(i) = cur {
        longest_chain.push(ids[i].clone());
        cur = parent[i];
    }
    longest_chain.reverse();
    let total: usize = secondary.values().sum();
    ChainReport {
        clusters,
        generation: (0..n)
            .filter(|&i| generation[i] != CYCLE)
            .map(|i| (ids[i].clone(), generation[i]))
            .collect(),
        longest_chain,
        mean_secondary_cases: if n == 0 { 0.0 } else { total as f64 / n as f64 },
        secondary_cases: secondary,
        serial_intervals,
        problems,
    }
}

impl ChainReport {
    /// Number of cases in each generation, from generation 1.
    pub fn cases_per_generation(&self) -> Vec<usize> {
        let max = self.generation.values().copied().max().unwrap_or(0) as usize;
        let mut out = vec![0; max];
        for &g in self.generation.values() {
            out[g as usize - 1] += 1;
        }
        out
    }

    /// Mean serial interval in days, when any is known.
    pub fn mean_serial_interval(&self) -> Option<f64> {
        (!self.serial_intervals.is_empty()).then(|| {
            self.serial_intervals
                .iter()
                .map(|s| s.days as f64)
                .sum::<f64>()
                / self.serial_intervals.len() as f64
        })
    }

    /// Cases with their infector, for drawing the network.
    pub fn links(cases: &[Case]) -> BTreeSet<(&CaseId, &CaseId)> {
        cases
            .iter()
            .filter_map(|c| c.infected_by.as_ref().map(|by| (by, &c.id)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DateOrTime;

    fn case(id: &str, by: Option<&str>, onset: Option<&str>) -> Case {
        let mut c = Case::new(
            id,
            format!("p{id}").as_str(),
            DateOrTime::Date("2020-02-01".parse().unwrap()),
        );
        c.infected_by = by.map(CaseId::from);
        c.onset = onset.map(|o| DateOrTime::Date(o.parse().unwrap()));
        c
    }

    fn zone() -> Zone {
        Zone::SHANGHAI
    }

    #[test]
    fn generations_clusters_and_intervals() {
        let cases = [
            case("A", None, Some("2020-01-20")),
            case("B", Some("A"), Some("2020-01-25")),
            case("C", Some("A"), None),
            case("D", Some("B"), Some("2020-01-29")),
            case("E", None, None),
        ];
        let r = chains(&cases, zone());
        assert_eq!(
            r.clusters,
            vec![
                vec!["A".into(), "B".into(), "C".into(), "D".into()],
                vec![CaseId::from("E")]
            ]
        );
        assert_eq!(r.generation[&CaseId::from("D")], 3);
        assert_eq!(
            r.longest_chain,
            vec![CaseId::from("A"), "B".into(), "D".into()]
        );
        assert_eq!(r.secondary_cases[&CaseId::from("A")], 2);
        assert!((r.mean_secondary_cases - 0.6).abs() < 1e-12);
        assert_eq!(
            r.serial_intervals
                .iter()
                .map(|s| s.days)
                .collect::<Vec<_>>(),
            vec![5, 4]
        );
        assert_eq!(r.mean_serial_interval(), Some(4.5));
        assert_eq!(r.cases_per_generation(), vec![2, 2, 1]);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn problems_are_reported_not_followed() {
        let cases = [
            case("A", Some("A"), None),
            case("B", Some("Z"), None),
            case("C", Some("D"), None),
            case("D", Some("E"), None),
            case("E", Some("C"), None),
            case("F", Some("E"), None),
            case("A", None, None),
        ];
        let r = chains(&cases, zone());
        assert!(r
            .problems
            .contains(&DataProblem::SelfInfection { case: "A".into() }));
        assert!(r.problems.contains(&DataProblem::UnknownInfector {
            case: "B".into(),
            infector: "Z".into()
        }));
        assert!(r.problems.contains(&DataProblem::Cycle {
            cases: vec!["C".into(), "D".into(), "E".into()]
        }));
        assert!(r
            .problems
            .contains(&DataProblem::DuplicateCase { case: "A".into() }));
        assert_eq!(r.generation.get(&CaseId::from("F")), None);
        assert_eq!(r.generation[&CaseId::from("A")], 1);
        assert_eq!(r.generation[&CaseId::from("B")], 1);
    }

    #[test]
    fn long_chains_do_not_recurse() {
        let mut cases = vec![case("0", None, None)];
        for i in 1..100_000 {
            cases.push(case(&i.to_string(), Some(&(i - 1).to_string()), None));
        }
        let r = chains(&cases, zone());
        assert_eq!(r.longest_chain.len(), 100_000);
    }
}
