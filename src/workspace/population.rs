//! `population.csv`, read as a stream: every record is checked as it goes by,
//! and only what the sample and the checks need is kept (each child's category,
//! case reference and line, and names only when there are findings to guard).
//! The sampled children's full records are read in a second pass, so memory
//! stays small however many children the file lists.

use crate::model::folder;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::csv_file::{each_record, POPULATION_COLUMNS};
use super::{is_valid_id, ID_HELP};
use crate::base::error::{did_you_mean, Error, Problem, Problems, Result};
use crate::guard::Guard;
use crate::model::{Category, Child, HolderRole};

/// Many short strings in one buffer: 200,000 case references take about
/// 2 MB rather than an allocation each.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    text: String,
    ends: Vec<u32>,
}

impl Strings {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// What the build keeps of `population.csv`: one entry per child read, in file order.
#[derive(Debug, Clone, Default)]
pub struct Population {
    categories: Vec<Category>,
    case_refs: Strings,
    /// The record number (header not counted) and the line each child starts on.
    records: Vec<u32>,
    lines: Vec<u32>,
    /// Every child's name, kept only for the disclosure guard.
    names: Option<Strings>,
    has_names: bool,
    /// Every row was read: the file could be read and no record was refused.
    complete: bool,
}

impl crate::rules::sampling::Pool for Population {
    fn len(&self) -> usize {
        Population::len(self)
    }

    fn category(&self, i: usize) -> Category {
        self.categories[i]
    }

    fn case_ref(&self, i: usize) -> &str {
        self.case_refs.get(i)
    }
}

impl Population {
    /// The number of children.
    pub fn len(&self) -> usize {
        self.categories.len()
    }

    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
    }

    /// How many children are in category `c`.
    pub fn count(&self, c: Category) -> usize {
        self.categories.iter().filter(|x| **x == c).count()
    }

    /// Whether every row was read (otherwise its problems say which were not).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Whether any child has a name or a date of birth (the letters then have
    /// columns for them).
    pub fn has_names(&self) -> bool {
        self.has_names
    }

    /// The record number (from 1, the header not counted) of the child at place `i`.
    pub fn record(&self, i: usize) -> u32 {
        self.records[i]
    }

    /// The children's names (when they were kept), taken: only the guard needs them.
    pub fn take_names(&mut self) -> Option<Strings> {
        self.names.take()
    }

    /// The disclosure guard, from every child's case reference and the names
    /// taken by [`Population::take_names`].
    pub fn guard(&self, names: Option<&Strings>) -> Guard {
        Guard::new((0..self.len()).map(|i| (self.case_refs.get(i), names.map(|n| n.get(i)))))
    }

    fn push(&mut self, child: &Child) {
        self.categories.push(child.category);
        self.case_refs.push(&child.case_ref);
        self.records.push(child.at.record as u32);
        self.lines.push(child.at.line as u32);
        if let Some(names) = &mut self.names {
            names.push(child.name.as_deref().unwrap_or(""));
        }
        self.has_names |= child.name.is_some() || child.date_of_birth.is_some();
    }

    /// A problem for each case reference used more than once, at each later use.
    fn duplicates(&self, problems: &mut Vec<Problem>) {
        let mut order: Vec<u32> = (0..self.len() as u32)
            .filter(|&i| !self.case_refs.get(i as usize).is_empty())
            .collect();
        order.sort_by(|&a, &b| {
            self.case_refs
                .get(a as usize)
                .cmp(self.case_refs.get(b as usize))
                .then(a.cmp(&b))
        });
        for run in order.chunk_by(|&a, &b| self.case_refs.get(a as usize) == self.case_refs.get(b as usize)) {
            let first = self.lines[run[0] as usize];
            for &i in &run[1..] {
                let i = i as usize;
                problems.push(
                    Problem::new(
                        folder::POPULATION,
                        format!(
                            "the case reference `{}` is used twice (first on line {first})",
                            self.case_refs.get(i)
                        ),
                    )
                    .at(self.lines[i] as usize, 1)
                    .place(format!("record {}, column case_ref", self.records[i]))
                    .help("each child must appear once; merge the two rows"),
                );
            }
        }
    }
}

/// `population.csv` opened for reading, past a byte-order mark.
fn open(path: &Path) -> Result<BufReader<File>> {
    let file = File::open(path).map_err(|e| Error::io(path, "read", e))?;
    let mut r = BufReader::with_capacity(64 * 1024, file);
    if r.fill_buf()
        .map_err(|e| Error::io(path, "read", e))?
        .starts_with(crate::workspace::encoding::BOM)
    {
        r.consume(crate::workspace::encoding::BOM.len());
    }
    Ok(r)
}

/// Reads and checks `population.csv` at `path`. `ids` are the contacts' ids
/// (`None` without contacts.csv, whose own problem says so); `keep_names` keeps
/// every child's name for the disclosure guard. The file is checked for UTF-8
/// in a pass of its own first, so that a file in another encoding gives one
/// problem at its first bad byte rather than one for each record.
pub fn read(path: &Path, ids: Option<&HashSet<&str>>, keep_names: bool, problems: &mut Problems) -> Result<Population> {
    let file = File::open(path).map_err(|e| Error::io(path, "read", e))?;
    if let Err(p) = crate::workspace::encoding::check_utf8(folder::POPULATION, BufReader::new(file))
        .map_err(|e| Error::io(path, "read", e))?
    {
        problems.push(*p);
        return Ok(Population::default());
    }
    let mut population = Population {
        names: keep_names.then(Strings::default),
        ..Population::default()
    };
    // The checks' problems, duplicates included, are given in line order.
    let mut found = Vec::new();
    let refused = problems.len();
    each_record(
        folder::POPULATION,
        open(path)?,
        POPULATION_COLUMNS,
        problems,
        |columns, child: Child| {
            if let Some(ids) = ids {
                check_child(&child, columns, ids, &mut found);
            }
            population.push(&child);
        },
    );
    population.complete = problems.len() == refused;
    population.duplicates(&mut found);
    found.sort_by_key(|p| (p.line, p.column));
    for p in found {
        problems.push(p);
    }
    Ok(population)
}

/// The full records of the children numbered `records` (from [`Population::record`]),
/// in that order, read again from `path`.
pub fn read_records(path: &Path, records: &[u32]) -> Result<Vec<Child>> {
    let wanted: HashMap<usize, usize> = records.iter().enumerate().map(|(i, &r)| (r as usize, i)).collect();
    let mut out: Vec<Option<Child>> = vec![None; records.len()];
    let mut problems = Problems::default();
    each_record(
        folder::POPULATION,
        open(path)?,
        POPULATION_COLUMNS,
        &mut problems,
        |_, child: Child| {
            if let Some(&i) = wanted.get(&child.at.record) {
                out[i] = Some(child);
            }
        },
    );
    out.into_iter().collect::<Option<Vec<Child>>>().ok_or_else(|| {
        Error::invalid(vec![Problem::new(
            folder::POPULATION,
            "the file changed while it was being read",
        )
        .help("build again once the file is saved")])
    })
}

/// A child's own problems: an empty or too short case reference, holder ids that are not
/// ids or not in contacts.csv.
fn check_child(child: &Child, columns: &[String], ids: &HashSet<&str>, problems: &mut Vec<Problem>) {
    let record = child.at.record;
    if child.case_ref.is_empty() {
        problems.push(
            Problem::new(folder::POPULATION, "the case reference is empty")
                .at(child.at.line, 1)
                .place(format!("record {record}, column case_ref"))
                .help("every child needs the reference it has on the partners' systems"),
        );
    } else if crate::guard::reference_too_short(&child.case_ref) {
        problems.push(
            Problem::new(
                folder::POPULATION,
                format!(
                    "the case reference `{}` has fewer than {} letters or digits: it could not be told from a page or paragraph number",
                    child.case_ref,
                    crate::guard::MIN_REFERENCE
                ),
            )
            .at(child.at.line, 1)
            .place(format!("record {record}, column case_ref"))
            .help("give the reference in full, as the partners' systems hold it (for example GL-10234)"),
        );
    }
    for role in HolderRole::ALL {
        let name = role.column();
        let Some(id) = child.holder(role) else {
            continue;
        };
        let column = columns.iter().position(|c| c == name).map_or(1, |i| i + 1);
        let place = format!("record {record}, column {name}");
        if !is_valid_id(id) {
            problems.push(
                Problem::new(
                    folder::POPULATION,
                    format!("the holder id `{id}` has characters other than letters, digits, `-` and `_`"),
                )
                .at(child.at.line, column)
                .place(place)
                .help(ID_HELP),
            );
        } else if !ids.contains(id) {
            let help = match did_you_mean(id, ids.iter().copied()) {
                Some(k) => format!("did you mean `{k}`? Otherwise add `{id}` to contacts.csv"),
                None => format!("add a row with id `{id}` to contacts.csv, or correct the id"),
            };
            problems.push(
                Problem::new(folder::POPULATION, format!("the holder `{id}` is not in contacts.csv"))
                    .at(child.at.line, column)
                    .place(place)
                    .help(help),
            );
        }
    }
}
