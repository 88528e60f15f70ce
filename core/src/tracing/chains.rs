//! Transmission chains from "infected by" links: clusters, generations,
//! the longest chain, secondary cases and serial intervals.
//!
//! The links are taken as the data gives them:
//! - a case may list several infectors, and every listed link is kept;
//! - an infector that is not on the list becomes a *placeholder*: it joins
//!   its infectees into one cluster and is reported as not on the list, but
//!   it is not a case (it is counted in no case figure);
//! - a self-infection is reported and its link dropped; a loop of cases
//!   infecting each other is reported, and nothing ever walks round it.
//!
//! Generations are shortest distances from a root, counted in listed
//! cases: a listed case with no listed infector is generation 1, a
//! placeholder is generation 0 (so the infectees of a placeholder are
//! generation 1, like any first case the list knows of), and a case with
//! several infectors takes the smallest generation they give. Cases that
//! can only be reached through a loop have no generation.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::contacts::Case;
use crate::ids::CaseId;
use crate::time::{DateOrTime, Zone};

/// What a chain analysis reads from a case: its id, onset and listed
/// infectors. Implemented by the record book's [`Case`] and by a line
/// list's [`ListedCase`].
pub trait ChainCase {
    /// The case's id.
    fn case_id(&self) -> &CaseId;
    /// Symptom onset, when known.
    fn onset(&self) -> Option<DateOrTime>;
    /// The listed infectors (empty when unknown).
    fn infectors(&self) -> &[CaseId];
    /// Confirmation, when known.
    fn confirmed(&self) -> Option<DateOrTime>;
}

impl ChainCase for Case {
    fn case_id(&self) -> &CaseId {
        &self.id
    }
    fn onset(&self) -> Option<DateOrTime> {
        self.onset
    }
    fn infectors(&self) -> &[CaseId] {
        &self.infected_by
    }
    fn confirmed(&self) -> Option<DateOrTime> {
        Some(self.confirmed)
    }
}

/// One case of a line list, as read: every row that names the case merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListedCase {
    /// The case's id.
    pub id: CaseId,
    /// The line of its first row.
    pub line: u64,
    /// Symptom onset, when given.
    pub onset: Option<DateOrTime>,
    /// Confirmation, when given (a line list may lack it; the record book's
    /// [`Case`] may not).
    pub confirmed: Option<DateOrTime>,
    /// Every infector listed for the case, in the order first listed.
    pub infected_by: Vec<CaseId>,
}

impl ChainCase for ListedCase {
    fn case_id(&self) -> &CaseId {
        &self.id
    }
    fn onset(&self) -> Option<DateOrTime> {
        self.onset
    }
    fn infectors(&self) -> &[CaseId] {
        &self.infected_by
    }
    fn confirmed(&self) -> Option<DateOrTime> {
        self.confirmed
    }
}

/// One case of the chains, as a row of the per-case table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChainRow {
    /// The case.
    pub case: CaseId,
    /// Its cluster: 1 for the largest, as `clusters` is ordered.
    pub cluster: usize,
    /// Number of cases in that cluster.
    pub cluster_size: usize,
    /// Its generation (see [`ChainReport::generation`]); `None` when it can
    /// only be reached through a loop.
    pub generation: Option<u32>,
    /// Its infectors, sorted by id (a self-infection left out).
    pub infected_by: Vec<CaseId>,
    /// Number of listed cases it infected.
    pub secondary_cases: usize,
    /// Local day of symptom onset, when known.
    pub onset: Option<NaiveDate>,
    /// Local day of confirmation, when known.
    pub confirmed: Option<NaiveDate>,
}

/// One infector-to-infectee link followed, as a row of the links table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChainLink {
    /// The infector.
    pub infector: CaseId,
    /// The infectee.
    pub infectee: CaseId,
    /// Whether the infector is a case on the list (not a placeholder).
    pub infector_listed: bool,
    /// Onset of the infectee minus onset of the infector, in days, when both
    /// are known and the infector is listed.
    pub serial_interval: Option<i64>,
}

/// Something in the data that could not be taken as it is. Problems of a
/// file name the file, line and column; the row's other values are still used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum DataProblem {
    /// A column named for the list is not in its header; its values are taken as empty.
    MissingColumn {
        /// The file ("line list", "contacts").
        file: String,
        /// The column.
        column: String,
    },
    /// A value the list needs is empty. A row without a case id is skipped;
    /// any other empty value leaves the case in the analysis without it.
    MissingValue {
        /// The file.
        file: String,
        /// Its line (the header is line 1); for a frame (`file` ends in
        /// `frame`), its row counted from 0.
        line: u64,
        /// The column.
        column: String,
        /// The case of the row, when the row names one.
        case: Option<CaseId>,
    },
    /// A value that cannot be read; the case is kept without it.
    InvalidValue {
        /// The file.
        file: String,
        /// Its line, or a frame's row (see `MissingValue`).
        line: u64,
        /// The column.
        column: String,
        /// The value as written.
        value: String,
        /// What was wrong.
        reason: String,
    },
    /// A later row of a case gives another value than its first row; the
    /// first row's value is kept.
    ConflictingValue {
        /// The file.
        file: String,
        /// The later row's line.
        line: u64,
        /// The column.
        column: String,
        /// The case.
        case: CaseId,
        /// The line (or a frame's row) of the case's first row.
        first_line: u64,
    },
    /// A contact names as infectee a case that is not on the line list; the
    /// link is not used.
    NotListed {
        /// The file.
        file: String,
        /// Its line, or a frame's row (see `MissingValue`).
        line: u64,
        /// The column.
        column: String,
        /// The id named.
        case: CaseId,
    },
    /// A case names itself as its infector; that link is not used.
    SelfInfection {
        /// The case.
        case: CaseId,
    },
    /// Cases that infect each other in a loop (a group in which each case
    /// leads to every other), sorted by id.
    Cycle {
        /// The cases in the loop.
        cases: Vec<CaseId>,
    },
    /// The same case id appears twice among record-book cases; the first is used.
    DuplicateCase {
        /// The case.
        case: CaseId,
    },
}

impl fmt::Display for DataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataProblem::MissingColumn { file, column } => write!(
                f,
                "{file}: the header has no `{column}` column; its values are taken as empty"
            ),
            DataProblem::MissingValue {
                file,
                line,
                column,
                case,
            } => {
                write!(f, "{file} {}, column `{column}`: is empty", at(file, *line))?;
                match case {
                    Some(c) => write!(f, " (case `{c}`)"),
                    None => write!(f, "; the row is skipped"),
                }
            }
            DataProblem::InvalidValue {
                file,
                line,
                column,
                value,
                reason,
            } => write!(
                f,
                "{file} {}, column `{column}`: `{value}` is not used: {reason}",
                at(file, *line)
            ),
            DataProblem::ConflictingValue {
                file,
                line,
                column,
                case,
                first_line,
            } => write!(
                f,
                "{file} {}, column `{column}`: case `{case}` has another value on {}; that one is kept",
                at(file, *line),
                at(file, *first_line)
            ),
            DataProblem::NotListed {
                file,
                line,
                column,
                case,
            } => write!(
                f,
                "{file} {}, column `{column}`: case `{case}` is not on the line list; the link is not used",
                at(file, *line)
            ),
            DataProblem::SelfInfection { case } => {
                write!(f, "case `{case}` names itself as its infector")
            }
            DataProblem::Cycle { cases } => {
                let ids: Vec<&str> = cases.iter().map(CaseId::as_str).collect();
                write!(f, "cases infect each other in a loop: {}", ids.join(", "))
            }
            DataProblem::DuplicateCase { case } => {
                write!(f, "case `{case}` is given twice; the first is used")
            }
        }
    }
}

/// `line 3` of a file, `row 1` of a frame (a file named `... frame`).
pub(crate) fn at(file: &str, line: u64) -> String {
    if file.ends_with("frame") {
        format!("row {line}")
    } else {
        format!("line {line}")
    }
}

/// Infector to infectee, with the days between their onsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SerialInterval {
    /// The infector.
    pub infector: CaseId,
    /// The infectee.
    pub infectee: CaseId,
    /// Onset of the infectee minus onset of the infector, in days.
    pub days: i64,
}

/// Cases linked by listed infections, with the infectors not on the list that join them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Cluster {
    /// The cases, sorted.
    pub cases: Vec<CaseId>,
    /// Infectors that are not on the list (placeholders), sorted.
    pub not_listed: Vec<CaseId>,
}

/// Statistics of the transmission chains in a set of cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChainReport {
    /// Number of cases.
    pub cases: usize,
    /// Number of distinct infector-to-infectee links followed (including
    /// those from placeholders; self-infections are not followed).
    pub edges: usize,
    /// Groups of cases linked by infections, largest first (ties by first id);
    /// a case with no link is a cluster of its own.
    pub clusters: Vec<Cluster>,
    /// Generation of each case (see the module notes: 1 for a case with no
    /// listed infector or whose infector is not on the list, otherwise the
    /// shortest distance from such a root). Placeholders are generation 0
    /// and not in this map; cases reachable only through a loop are absent.
    pub generation: BTreeMap<CaseId, u32>,
    /// The longest chain of listed infections that does not go round a loop,
    /// from its first case down (ties by smallest ids). When it starts
    /// from an infector not on the list, that placeholder comes first.
    pub longest_chain: Vec<CaseId>,
    /// Number of cases each case infected (only cases that infected someone;
    /// placeholders are in `placeholders`).
    pub secondary_cases: BTreeMap<CaseId, usize>,
    /// Links from listed cases divided by the number of cases: a case with
    /// two listed infectors counts once for each.
    pub mean_secondary_cases: f64,
    /// Infectors not on the list, with the cases that name them.
    pub placeholders: BTreeMap<CaseId, Vec<CaseId>>,
    /// Serial intervals of the links where both onsets are known.
    pub serial_intervals: Vec<SerialInterval>,
    /// What could not be taken as it is.
    pub problems: Vec<DataProblem>,
    /// One row per listed case, in the order of the list: its cluster,
    /// generation, infectors, secondary cases and days.
    pub case_table: Vec<ChainRow>,
    /// Every link followed, by infectee in list order then infector id.
    pub links: Vec<ChainLink>,
}

/// Union-find root with path halving.
fn find(root: &mut [usize], mut i: usize) -> usize {
    while root[i] != i {
        root[i] = root[root[i]];
        i = root[i];
    }
    i
}

/// The links as a graph: nodes `0..cases` are listed cases, the rest placeholders.
struct Graph {
    ids: Vec<CaseId>,
    cases: usize,
    /// Infectors of each node, sorted by id.
    infectors: Vec<Vec<usize>>,
    /// Infectees of each node, sorted by id.
    infectees: Vec<Vec<usize>>,
}

impl Graph {
    fn build<C: ChainCase>(
        cases: &[C],
        zone: Zone,
        problems: &mut Vec<DataProblem>,
    ) -> (Graph, Vec<Option<NaiveDate>>) {
        let mut ids: Vec<CaseId> = Vec::new();
        let mut index: HashMap<&CaseId, usize> = HashMap::new();
        let mut onset = Vec::new();
        let mut first = Vec::new();
        for c in cases {
            if index.contains_key(c.case_id()) {
                problems.push(DataProblem::DuplicateCase {
                    case: c.case_id().clone(),
                });
                continue;
            }
            index.insert(c.case_id(), ids.len());
            ids.push(c.case_id().clone());
            onset.push(c.onset().map(|o| o.day(zone)));
            first.push(c);
        }
        let n = ids.len();
        let mut links: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut placeholder: BTreeMap<&CaseId, usize> = BTreeMap::new();
        for (i, c) in first.iter().enumerate() {
            let mut named_self = false;
            for by in c.infectors() {
                if by == &ids[i] {
                    if !named_self {
                        problems.push(DataProblem::SelfInfection {
                            case: ids[i].clone(),
                        });
                    }
                    named_self = true;
                    continue;
                }
                let j = if let Some(&j) = index.get(by) {
                    j
                } else {
                    let next = n + placeholder.len();
                    *placeholder.entry(by).or_insert(next)
                };
                links.insert((j, i));
            }
        }
        let mut placeholders: Vec<(&CaseId, usize)> = placeholder.into_iter().collect();
        placeholders.sort_by_key(|&(_, k)| k);
        ids.extend(placeholders.into_iter().map(|(id, _)| id.clone()));
        let total = ids.len();
        let mut infectors = vec![Vec::new(); total];
        let mut infectees = vec![Vec::new(); total];
        for &(j, i) in &links {
            infectors[i].push(j);
            infectees[j].push(i);
        }
        for list in infectors.iter_mut().chain(infectees.iter_mut()) {
            list.sort_by(|&a, &b| ids[a].cmp(&ids[b]));
        }
        let g = Graph {
            ids,
            cases: n,
            infectors,
            infectees,
        };
        (g, onset)
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    fn links(&self) -> usize {
        self.infectees.iter().map(Vec::len).sum()
    }

    /// Strongly connected groups of more than one node (Tarjan's algorithm,
    /// iterative so that long chains do not overflow the stack): the group
    /// number of each node, `usize::MAX` for nodes in no loop.
    fn loops(&self) -> (Vec<usize>, Vec<Vec<usize>>) {
        const UNSEEN: usize = usize::MAX;
        let total = self.len();
        let mut order = vec![UNSEEN; total];
        let mut low = vec![0; total];
        let mut on_stack = vec![false; total];
        let mut stack = Vec::new();
        let mut group = vec![UNSEEN; total];
        let mut groups = Vec::new();
        let mut counter = 0;
        for start in 0..total {
            if order[start] != UNSEEN {
                continue;
            }
            // (node, position in its infectee list)
            let mut work = vec![(start, 0usize)];
            order[start] = counter;
            low[start] = counter;
            counter += 1;
            stack.push(start);
            on_stack[start] = true;
            while let Some(&mut (v, ref mut k)) = work.last_mut() {
                if let Some(&w) = self.infectees[v].get(*k) {
                    *k += 1;
                    if order[w] == UNSEEN {
                        order[w] = counter;
                        low[w] = counter;
                        counter += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(order[w]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(u, _)) = work.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == order[v] {
                    let mut members = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        members.push(w);
                        if w == v {
                            break;
                        }
                    }
                    if members.len() > 1 {
                        for &m in &members {
                            group[m] = groups.len();
                        }
                        groups.push(members);
                    }
                }
            }
        }
        (group, groups)
    }

    /// Shortest distance from a root, counted in listed cases (see the module notes).
    fn generations(&self) -> Vec<Option<u32>> {
        let mut generation = vec![None; self.len()];
        let mut queue = VecDeque::new();
        // Placeholders (0) before listed roots (1) keeps the queue in order.
        queue.extend(self.cases..self.len());
        let roots = (0..self.cases).filter(|&i| self.infectors[i].is_empty());
        queue.extend(roots);
        for &v in &queue {
            generation[v] = Some(u32::from(v < self.cases));
        }
        while let Some(v) = queue.pop_front() {
            let next = generation[v].map(|g| g + 1);
            for &w in &self.infectees[v] {
                if generation[w].is_none() {
                    generation[w] = next;
                    queue.push_back(w);
                }
            }
        }
        generation
    }

    /// The longest path over links that are not inside a loop, counted in
    /// listed cases, from its first node down.
    fn longest_chain(&self, group: &[usize]) -> Vec<usize> {
        let total = self.len();
        let inside = |a: usize, b: usize| group[a] != usize::MAX && group[a] == group[b];
        let mut waiting: Vec<usize> = (0..total)
            .map(|i| self.infectors[i].iter().filter(|&&j| !inside(j, i)).count())
            .collect();
        let listed = |i: usize| usize::from(i < self.cases);
        // Length of the best chain ending at each node, and the node before it.
        let mut length: Vec<usize> = (0..total).map(listed).collect();
        let mut before: Vec<Option<usize>> = vec![None; total];
        let mut ready: Vec<usize> = (0..total).filter(|&i| waiting[i] == 0).collect();
        while let Some(v) = ready.pop() {
            for &w in &self.infectees[v] {
                if inside(v, w) {
                    continue;
                }
                let through = length[v] + listed(w);
                let better = match before[w] {
                    None => true,
                    Some(b) => {
                        through > length[w] || (through == length[w] && self.ids[v] < self.ids[b])
                    }
                };
                if better {
                    length[w] = through;
                    before[w] = Some(v);
                }
                waiting[w] -= 1;
                if waiting[w] == 0 {
                    ready.push(w);
                }
            }
        }
        let end = (0..total).max_by(|&a, &b| {
            length[a]
                .cmp(&length[b])
                .then_with(|| self.ids[b].cmp(&self.ids[a]))
        });
        let mut chain = Vec::new();
        let mut cur = end;
        while let Some(i) = cur {
            chain.push(i);
            cur = before[i];
        }
        chain.reverse();
        chain
    }

    fn clusters(&self) -> Vec<Cluster> {
        let mut root: Vec<usize> = (0..self.len()).collect();
        for (j, list) in self.infectees.iter().enumerate() {
            for &i in list {
                let (a, b) = (find(&mut root, i), find(&mut root, j));
                root[a.max(b)] = a.min(b);
            }
        }
        let mut groups: BTreeMap<usize, Cluster> = BTreeMap::new();
        for (i, id) in self.ids.iter().enumerate() {
            let r = find(&mut root, i);
            let c = groups.entry(r).or_insert_with(|| Cluster {
                cases: Vec::new(),
                not_listed: Vec::new(),
            });
            if i < self.cases {
                c.cases.push(id.clone());
            } else {
                c.not_listed.push(id.clone());
            }
        }
        let mut clusters: Vec<Cluster> = groups
            .into_values()
            .map(|mut c| {
                c.cases.sort();
                c.not_listed.sort();
                c
            })
            .collect();
        clusters.sort_by(|a, b| {
            b.cases
                .len()
                .cmp(&a.cases.len())
                .then_with(|| a.cases.first().cmp(&b.cases.first()))
        });
        clusters
    }
}

/// The per-case table and the links of the report (see [`ChainReport`]).
fn tables<C: ChainCase>(
    g: &Graph,
    cases: &[C],
    clusters: &[Cluster],
    generation: &[Option<u32>],
    secondary: &BTreeMap<CaseId, usize>,
    onset: &[Option<NaiveDate>],
    zone: Zone,
) -> (Vec<ChainRow>, Vec<ChainLink>) {
    let n = g.cases;
    let mut cluster_of: HashMap<&CaseId, (usize, usize)> = HashMap::new();
    for (k, c) in clusters.iter().enumerate() {
        for id in &c.cases {
            cluster_of.insert(id, (k + 1, c.cases.len()));
        }
    }
    // A case given twice is taken as first given (see `Graph::build`).
    let mut confirmed: HashMap<&CaseId, Option<NaiveDate>> = HashMap::new();
    for c in cases {
        confirmed
            .entry(c.case_id())
            .or_insert_with(|| c.confirmed().map(|d| d.day(zone)));
    }
    let mut case_table = Vec::with_capacity(n);
    let mut links = Vec::new();
    for i in 0..n {
        let id = &g.ids[i];
        let (cluster, cluster_size) = cluster_of.get(id).copied().unwrap_or((0, 0));
        case_table.push(ChainRow {
            case: id.clone(),
            cluster,
            cluster_size,
            generation: generation[i],
            infected_by: g.infectors[i].iter().map(|&j| g.ids[j].clone()).collect(),
            secondary_cases: secondary.get(id).copied().unwrap_or(0),
            onset: onset[i],
            confirmed: confirmed.get(id).copied().flatten(),
        });
        for &j in &g.infectors[i] {
            let serial_interval = match (j < n, onset.get(j).copied().flatten(), onset[i]) {
                (true, Some(a), Some(b)) => Some((b - a).num_days()),
                _ => None,
            };
            links.push(ChainLink {
                infector: g.ids[j].clone(),
                infectee: id.clone(),
                infector_listed: j < n,
                serial_interval,
            });
        }
    }
    (case_table, links)
}

/// Analyse the chains among `cases`; onsets given as times use `zone` for their day.
///
/// ```
/// use precinct::{chains, Case, DateOrTime};
/// let d = DateOrTime::Date("2020-01-26".parse().unwrap());
/// let a = Case::new("A", "pa", d);
/// let mut b = Case::new("B", "pb", d);
/// b.infected_by = vec!["A".into()];
/// let mut c = Case::new("C", "pc", d);
/// c.infected_by = vec!["C".into()];
/// let mut e = Case::new("E", "pe", d);
/// e.infected_by = vec!["A".into(), "X".into()]; // X is not on the list
/// let r = chains(&[a, b, c, e], precinct::Zone::SHANGHAI);
/// assert_eq!(r.longest_chain.len(), 2);
/// assert_eq!(r.clusters[0].cases.len(), 3);
/// assert_eq!(r.placeholders["X"], ["E".into()]);
/// assert_eq!(r.problems.len(), 1);
/// ```
pub fn chains<C: ChainCase>(cases: &[C], zone: Zone) -> ChainReport {
    let mut problems = Vec::new();
    let (g, onset) = Graph::build(cases, zone, &mut problems);
    let n = g.cases;
    let (group, groups) = g.loops();
    for members in groups {
        let mut ids: Vec<CaseId> = members.into_iter().map(|m| g.ids[m].clone()).collect();
        ids.sort();
        problems.push(DataProblem::Cycle { cases: ids });
    }
    let generation = g.generations();
    let longest_chain = g
        .longest_chain(&group)
        .into_iter()
        .map(|i| g.ids[i].clone())
        .collect();

    let mut secondary: BTreeMap<CaseId, usize> = BTreeMap::new();
    let mut serial_intervals = Vec::new();
    for i in 0..n {
        for &j in &g.infectors[i] {
            if j >= n {
                continue;
            }
            *secondary.entry(g.ids[j].clone()).or_default() += 1;
            if let (Some(a), Some(b)) = (onset[j], onset[i]) {
                serial_intervals.push(SerialInterval {
                    infector: g.ids[j].clone(),
                    infectee: g.ids[i].clone(),
                    days: (b - a).num_days(),
                });
            }
        }
    }
    let placeholders = (n..g.len())
        .map(|p| {
            let infectees = g.infectees[p].iter().map(|&i| g.ids[i].clone()).collect();
            (g.ids[p].clone(), infectees)
        })
        .collect();
    let from_cases: usize = secondary.values().sum();
    let clusters = g.clusters();
    let (case_table, links) = tables(&g, cases, &clusters, &generation, &secondary, &onset, zone);
    ChainReport {
        cases: n,
        edges: g.links(),
        clusters,
        generation: (0..n)
            .filter_map(|i| generation[i].map(|x| (g.ids[i].clone(), x)))
            .collect(),
        longest_chain,
        mean_secondary_cases: if n == 0 {
            0.0
        } else {
            from_cases as f64 / n as f64
        },
        secondary_cases: secondary,
        placeholders,
        serial_intervals,
        problems,
        case_table,
        links,
    }
}

impl ChainReport {
    /// The columns of each of the report's lists of records, in order, with
    /// what each holds (`text`, `int`, `bool`, `date` (a local day),
    /// `list<text>`), as the bindings' tables have them even when a list is
    /// empty, a column all missing, or a record lacks a field (a problem of
    /// one kind has only some of `problems`' columns): tables of different
    /// line lists then have one schema.
    pub const TABLE_COLUMNS: &'static [(&'static str, &'static [(&'static str, &'static str)])] = &[
        (
            "case_table",
            &[
                ("case", "text"),
                ("cluster", "int"),
                ("cluster_size", "int"),
                ("generation", "int"),
                ("infected_by", "list<text>"),
                ("secondary_cases", "int"),
                ("onset", "date"),
                ("confirmed", "date"),
            ],
        ),
        (
            "links",
            &[
                ("infector", "text"),
                ("infectee", "text"),
                ("infector_listed", "bool"),
                ("serial_interval", "int"),
            ],
        ),
        (
            "serial_intervals",
            &[("infector", "text"), ("infectee", "text"), ("days", "int")],
        ),
        (
            "clusters",
            &[("cases", "list<text>"), ("not_listed", "list<text>")],
        ),
        (
            "problems",
            &[
                ("problem", "text"),
                ("file", "text"),
                ("line", "int"),
                ("column", "text"),
                ("case", "text"),
                ("value", "text"),
                ("reason", "text"),
                ("first_line", "int"),
                ("cases", "list<text>"),
            ],
        ),
    ];

    /// Number of cases in each generation, from generation 1 (placeholders,
    /// generation 0, are not cases and not counted).
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

    /// Cases with their infectors, for drawing the network: (infector, infectee).
    pub fn links<C: ChainCase>(cases: &[C]) -> BTreeSet<(&CaseId, &CaseId)> {
        cases
            .iter()
            .flat_map(|c| c.infectors().iter().map(move |by| (by, c.case_id())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DateOrTime;

    fn case(id: &str, by: &[&str], onset: Option<&str>) -> Case {
        let mut c = Case::new(
            id,
            format!("p{id}").as_str(),
            DateOrTime::Date("2020-02-01".parse().unwrap()),
        );
        c.infected_by = by.iter().map(|b| CaseId::from(*b)).collect();
        c.onset = onset.map(|o| DateOrTime::Date(o.parse().unwrap()));
        c
    }

    fn zone() -> Zone {
        Zone::SHANGHAI
    }

    fn ids(list: &[&str]) -> Vec<CaseId> {
        list.iter().map(|s| CaseId::from(*s)).collect()
    }

    fn generation(r: &ChainReport, id: &str) -> Option<u32> {
        r.generation.get(id).copied()
    }

    /// A case-table row as the test writes it: case, cluster, its size,
    /// generation, infectors, secondary cases.
    type Row<'a> = (&'a str, usize, usize, Option<u32>, Vec<&'a str>, usize);

    #[test]
    fn the_table_columns_are_the_fields_the_report_writes() {
        let p = |problem: DataProblem| problem;
        let f = || "line list".to_string();
        let problems = vec![
            p(DataProblem::MissingColumn {
                file: f(),
                column: "x".into(),
            }),
            p(DataProblem::MissingValue {
                file: f(),
                line: 2,
                column: "x".into(),
                case: None,
            }),
            p(DataProblem::InvalidValue {
                file: f(),
                line: 2,
                column: "x".into(),
                value: "v".into(),
                reason: "r".into(),
            }),
            p(DataProblem::ConflictingValue {
                file: f(),
                line: 3,
                column: "x".into(),
                case: "A".into(),
                first_line: 2,
            }),
            p(DataProblem::NotListed {
                file: f(),
                line: 2,
                column: "x".into(),
                case: "A".into(),
            }),
            p(DataProblem::SelfInfection { case: "A".into() }),
            p(DataProblem::Cycle {
                cases: vec!["A".into()],
            }),
            p(DataProblem::DuplicateCase { case: "A".into() }),
        ];
        let mut r = chains(
            &[
                case("A", &[], Some("2020-01-20")),
                case("B", &["A"], Some("2020-01-22")),
            ],
            zone(),
        );
        r.problems = problems;
        let value = crate::to_value(&r).unwrap();
        let crate::Value::Map(fields) = value else {
            panic!("a report is a record")
        };
        for (key, columns) in ChainReport::TABLE_COLUMNS {
            let list = &fields.iter().find(|(k, _)| k == key).unwrap().1;
            let names: Vec<String> = list
                .columns()
                .unwrap()
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            let mut written = names.clone();
            written.sort();
            let mut listed: Vec<String> = columns.iter().map(|(c, _)| c.to_string()).collect();
            listed.sort();
            assert_eq!(written, listed, "{key}");
        }
    }

    #[test]
    fn the_case_table_and_links_agree_with_the_report() {
        let cases = [
            case("A", &[], Some("2020-01-20")),
            case("B", &["A", "X"], Some("2020-01-25")),
            case("C", &["C", "B"], None),
            case("E", &[], None),
        ];
        let r = chains(&cases, zone());
        let rows: Vec<Row> = r
            .case_table
            .iter()
            .map(|c| {
                let by = c.infected_by.iter().map(CaseId::as_str).collect();
                (
                    c.case.as_str(),
                    c.cluster,
                    c.cluster_size,
                    c.generation,
                    by,
                    c.secondary_cases,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("A", 1, 3, Some(1), vec![], 1),
                ("B", 1, 3, Some(1), vec!["A", "X"], 1),
                ("C", 1, 3, Some(2), vec!["B"], 0),
                ("E", 2, 1, Some(1), vec![], 0),
            ]
        );
        assert_eq!(r.case_table[0].onset, Some("2020-01-20".parse().unwrap()));
        assert_eq!(
            r.case_table[0].confirmed,
            Some("2020-02-01".parse().unwrap())
        );
        let links: Vec<(&str, &str, bool, Option<i64>)> = r
            .links
            .iter()
            .map(|l| {
                (
                    l.infector.as_str(),
                    l.infectee.as_str(),
                    l.infector_listed,
                    l.serial_interval,
                )
            })
            .collect();
        assert_eq!(
            links,
            [
                ("A", "B", true, Some(5)),
                ("X", "B", false, None),
                ("B", "C", true, None)
            ]
        );
        assert_eq!(r.links.len(), r.edges);
    }

    #[test]
    fn generations_clusters_and_intervals() {
        let cases = [
            case("A", &[], Some("2020-01-20")),
            case("B", &["A"], Some("2020-01-25")),
            case("C", &["A"], None),
            case("D", &["B"], Some("2020-01-29")),
            case("E", &[], None),
        ];
        let r = chains(&cases, zone());
        assert_eq!(r.cases, 5);
        assert_eq!(r.edges, 3);
        assert_eq!(
            r.clusters,
            vec![
                Cluster {
                    cases: ids(&["A", "B", "C", "D"]),
                    not_listed: vec![]
                },
                Cluster {
                    cases: ids(&["E"]),
                    not_listed: vec![]
                }
            ]
        );
        assert_eq!(generation(&r, "D"), Some(3));
        assert_eq!(r.longest_chain, ids(&["A", "B", "D"]));
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
        assert!(r.placeholders.is_empty());
    }

    #[test]
    fn infectors_not_on_the_list_join_their_infectees() {
        // Two infectees of X9, three of Y1 (one of them also infected C).
        let cases = [
            case("A", &["X9"], None),
            case("B", &["X9"], None),
            case("C", &["Y1"], None),
            case("D", &["Y1"], None),
            case("E", &["Y1"], None),
            case("F", &["E"], None),
        ];
        let r = chains(&cases, zone());
        assert_eq!(r.cases, 6);
        assert_eq!(r.edges, 6);
        assert_eq!(
            r.clusters,
            vec![
                Cluster {
                    cases: ids(&["C", "D", "E", "F"]),
                    not_listed: ids(&["Y1"])
                },
                Cluster {
                    cases: ids(&["A", "B"]),
                    not_listed: ids(&["X9"])
                },
            ]
        );
        assert_eq!(generation(&r, "A"), Some(1));
        assert_eq!(generation(&r, "B"), Some(1));
        assert_eq!(generation(&r, "F"), Some(2));
        assert_eq!(generation(&r, "X9"), None, "a placeholder is not a case");
        assert_eq!(r.cases_per_generation(), vec![5, 1]);
        assert_eq!(r.placeholders[&CaseId::from("X9")], ids(&["A", "B"]));
        assert_eq!(r.placeholders[&CaseId::from("Y1")], ids(&["C", "D", "E"]));
        // The placeholder heads the chain; the chain has 2 cases.
        assert_eq!(r.longest_chain, ids(&["Y1", "E", "F"]));
        // Only listed infectors count as secondary cases.
        assert_eq!(r.secondary_cases.len(), 1);
        assert!((r.mean_secondary_cases - 1.0 / 6.0).abs() < 1e-12);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn several_infectors_keep_every_link() {
        let cases = [
            case("A", &[], Some("2020-01-10")),
            case("B", &[], Some("2020-01-12")),
            case("C", &["A"], Some("2020-01-13")),
            case("D", &["A", "B"], Some("2020-01-16")),
            case("E", &["C", "B", "A"], Some("2020-01-20")),
        ];
        let r = chains(&cases, zone());
        assert_eq!(r.edges, 6);
        assert_eq!(r.clusters.len(), 1);
        assert_eq!(generation(&r, "D"), Some(2));
        // Shortest distance: E is listed under A directly, not only under C.
        assert_eq!(generation(&r, "E"), Some(2));
        assert_eq!(r.cases_per_generation(), vec![2, 3]);
        // The longest chain follows A -> C -> E.
        assert_eq!(r.longest_chain, ids(&["A", "C", "E"]));
        assert_eq!(r.secondary_cases[&CaseId::from("A")], 3);
        assert_eq!(r.secondary_cases[&CaseId::from("B")], 2);
        assert!((r.mean_secondary_cases - 6.0 / 5.0).abs() < 1e-12);
        let mut days: Vec<(String, String, i64)> = r
            .serial_intervals
            .iter()
            .map(|s| (s.infector.to_string(), s.infectee.to_string(), s.days))
            .collect();
        days.sort();
        assert_eq!(
            days,
            vec![
                ("A".into(), "C".into(), 3),
                ("A".into(), "D".into(), 6),
                ("A".into(), "E".into(), 10),
                ("B".into(), "D".into(), 4),
                ("B".into(), "E".into(), 8),
                ("C".into(), "E".into(), 7),
            ]
        );
    }

    #[test]
    fn a_diamond_is_one_cluster_with_one_generation_per_case() {
        let cases = [
            case("A", &[], None),
            case("B", &["A"], None),
            case("C", &["A"], None),
            case("D", &["B", "C"], None),
        ];
        let r = chains(&cases, zone());
        assert_eq!(r.edges, 4);
        assert_eq!(r.clusters.len(), 1);
        assert_eq!(generation(&r, "D"), Some(3));
        assert_eq!(r.cases_per_generation(), vec![1, 2, 1]);
        assert_eq!(r.longest_chain, ids(&["A", "B", "D"]));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn problems_are_reported_not_followed() {
        let cases = [
            case("A", &["A"], None),
            case("B", &["Z"], None),
            case("C", &["D"], None),
            case("D", &["E"], None),
            case("E", &["C"], None),
            case("F", &["E"], None),
            case("A", &[], None),
        ];
        let r = chains(&cases, zone());
        assert_eq!(
            r.problems,
            vec![
                DataProblem::DuplicateCase { case: "A".into() },
                DataProblem::SelfInfection { case: "A".into() },
                DataProblem::Cycle {
                    cases: ids(&["C", "D", "E"])
                },
            ]
        );
        // Reachable only through the loop: no generation.
        assert_eq!(generation(&r, "F"), None);
        assert_eq!(generation(&r, "C"), None);
        assert_eq!(generation(&r, "A"), Some(1));
        assert_eq!(generation(&r, "B"), Some(1));
        assert_eq!(r.edges, 5);
        // The loop's links are not walked round: E -> F is the longest without it.
        assert_eq!(r.longest_chain.len(), 2);
    }

    #[test]
    fn a_loop_below_a_root_still_has_generations() {
        let cases = [
            case("R", &[], None),
            case("B", &["R", "C"], None),
            case("C", &["B"], None),
            case("D", &["C"], None),
        ];
        let r = chains(&cases, zone());
        assert_eq!(
            r.problems,
            vec![DataProblem::Cycle {
                cases: ids(&["B", "C"])
            }]
        );
        assert_eq!(generation(&r, "B"), Some(2));
        assert_eq!(generation(&r, "C"), Some(3));
        assert_eq!(generation(&r, "D"), Some(4));
        // Links inside the loop are not followed: R -> B and C -> D tie at 2
        // cases, and the tie goes to the smaller ids.
        assert_eq!(r.longest_chain, ids(&["R", "B"]));
    }

    #[test]
    fn a_case_naming_itself_among_others_keeps_the_others() {
        let cases = [case("A", &[], None), case("B", &["B", "A", "B"], None)];
        let r = chains(&cases, zone());
        assert_eq!(
            r.problems,
            vec![DataProblem::SelfInfection { case: "B".into() }]
        );
        assert_eq!(r.edges, 1);
        assert_eq!(generation(&r, "B"), Some(2));
    }

    #[test]
    fn long_chains_do_not_recurse() {
        let mut cases = vec![case("0", &[], None)];
        for i in 1..100_000 {
            cases.push(case(&i.to_string(), &[&(i - 1).to_string()], None));
        }
        // Close a loop over the whole chain, too: still no recursion.
        cases[0].infected_by = vec![CaseId::from("99999")];
        let r = chains(&cases, zone());
        assert_eq!(r.problems.len(), 1);
        cases[0].infected_by.clear();
        let r = chains(&cases, zone());
        assert_eq!(r.longest_chain.len(), 100_000);
        assert_eq!(r.generation[&CaseId::from("99999")], 100_000);
    }

    #[test]
    fn journals_with_one_infector_or_none_still_read() {
        let json = |by: &str| {
            format!(
                r#"{{"id":"C2","person":"P2","onset":null,"sampled":null,"confirmed":"2020-01-27","infected_by":{by},"arrived":null,"isolated":null}}"#
            )
        };
        let one: Case = serde_json::from_str(&json(r#""C1""#)).unwrap();
        assert_eq!(one.infected_by, ids(&["C1"]));
        let none: Case = serde_json::from_str(&json("null")).unwrap();
        assert!(none.infected_by.is_empty());
        let many: Case = serde_json::from_str(&json(r#"["C1","C0"]"#)).unwrap();
        assert_eq!(many.infected_by, ids(&["C1", "C0"]));
        let back: Case = serde_json::from_str(&serde_json::to_string(&many).unwrap()).unwrap();
        assert_eq!(back, many);
    }
}
