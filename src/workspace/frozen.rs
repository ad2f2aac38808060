//! The sample once it is kept: `sample.csv` (the children drawn, as drawn,
//! with the child each replacement replaces) and `sample-drawn-from.csv` (the
//! case references of the population it was drawn from). From then on the
//! sample is read, never drawn again: a child added to `population.csv` later
//! is not sampled, and a sampled child who leaves the population is a warning.

use std::collections::HashSet;
use std::path::Path;

use crate::base::error::{Error, ErrorKind, Problem, Problems, Result};
use crate::model::{folder, Category, Child, Sampling};
use crate::rules::sampling::{allocate, category_sizes, sample_size, Pool, Sample};
use crate::workspace::population::{self, Population};

/// One row of `sample.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub case_ref: String,
    pub category: Category,
    pub protection: bool,
    /// The sampled child this one replaces, if it is a replacement.
    pub replaces: String,
    /// Its line in the file.
    pub line: u64,
}

/// The kept sample: its rows, and the population it was drawn from.
#[derive(Debug, Clone)]
pub struct Frozen {
    pub rows: Vec<Kept>,
    pub drawn_from: HashSet<String>,
}

/// The kept sample, when the folder holds `sample.csv`; its problems located.
pub fn read(root: &Path, problems: &mut Problems) -> Option<Frozen> {
    let path = root.join(folder::SAMPLE);
    if !path.exists() {
        return None;
    }
    let bytes = match crate::base::files::read_regular(&path, crate::base::files::MAX_RETURNED) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::new(folder::SAMPLE, format!("could not be read: {e}")));
            return None;
        }
    };
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes.as_slice());
    let headers = r.headers().cloned().unwrap_or_default();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(c_ref), Some(c_cat), Some(c_prot)) = (col("case_ref"), col("category"), col("protection")) else {
        problems.push(
            Problem::new(folder::SAMPLE, "needs the columns case_ref,category,protection")
                .at(1, 1)
                .help(
                    "scrutiny writes this file when the sample is kept; put back the file as it wrote it, or \
                 remove it and run `scrutiny sample --keep`",
                ),
        );
        return None;
    };
    let c_rep = col("replaces");
    let mut rows = Vec::new();
    for record in r.records() {
        let Ok(record) = record else { continue };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
        let category = Category::ALL.into_iter().find(|c| c.as_str() == cell(c_cat));
        let Some(category) = category else {
            problems.push(
                Problem::new(folder::SAMPLE, format!("`{}` is not a sampling category", cell(c_cat)))
                    .at(line as usize, c_cat + 1)
                    .help("the categories are cpr, looked_after_home, looked_after_accommodated, aftercare and voluntary_measures"),
            );
            continue;
        };
        rows.push(Kept {
            case_ref: cell(c_ref),
            category,
            protection: cell(c_prot).eq_ignore_ascii_case("yes"),
            replaces: c_rep.map(cell).unwrap_or_default(),
            line,
        });
    }
    let drawn_from = std::fs::read_to_string(root.join(folder::SAMPLE_DRAWN_FROM))
        .map(|t| t.lines().skip(1).map(|l| l.trim().to_string()).collect())
        .unwrap_or_default();
    Some(Frozen { rows, drawn_from })
}

impl Frozen {
    /// The sample as kept: its size and shares as the population now gives
    /// them, its children those of the file still in the population (read
    /// again from it), with a warning for each one who left it and one for the
    /// children added since the draw.
    pub fn sample(
        &self,
        population: &Population,
        population_path: &Path,
        sampling: &Sampling,
        warnings: &mut Vec<Problem>,
    ) -> Result<Sample> {
        let places: std::collections::HashMap<&str, usize> =
            (0..population.len()).map(|i| (population.case_ref(i), i)).collect();
        let mut records = Vec::new();
        for row in &self.rows {
            match places.get(row.case_ref.as_str()) {
                Some(&i) => records.push(population.record(i)),
                None => warnings.push(
                    Problem::new(
                        folder::SAMPLE,
                        format!(
                            "the sampled child {} is no longer in population.csv; their records were asked for",
                            row.case_ref
                        ),
                    )
                    .at(row.line as usize, 1)
                    .help(format!(
                        "draw a replacement from the same category with `scrutiny sample --replace {}`, or \
                         leave the sample as it is",
                        row.case_ref
                    )),
                ),
            }
        }
        if !self.drawn_from.is_empty() {
            let late: Vec<&str> = (0..population.len())
                .map(|i| population.case_ref(i))
                .filter(|r| !self.drawn_from.contains(*r))
                .collect();
            if !late.is_empty() {
                warnings.push(
                    Problem::new(
                        folder::POPULATION,
                        format!(
                            "{} added after the sample was drawn, not sampled: {}",
                            crate::base::text::count(late.len(), "child was", "children were"),
                            late.join(", ")
                        ),
                    )
                    .help("the sample is kept as drawn (sample.csv); `scrutiny sample --redraw` draws it again"),
                );
            }
        }
        let size = sample_size(population.len(), sampling.confidence, sampling.margin);
        let allocation = allocate(size.n, &category_sizes(population), sampling.min_per_category as usize);
        let children: Vec<Child> = population::read_records(population_path, &records)?;
        Ok(Sample {
            size,
            allocation,
            seed: sampling.seed,
            children,
        })
    }
}

/// `sample.csv` of these rows.
fn sample_csv(rows: &[Kept]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["case_ref", "category", "protection", "replaces"])
        .expect("in memory");
    for r in rows {
        let protection = if r.protection { "yes" } else { "no" };
        w.write_record([
            r.case_ref.as_str(),
            r.category.as_str(),
            protection,
            r.replaces.as_str(),
        ])
        .expect("in memory");
    }
    w.into_inner().expect("in memory")
}

/// Keeps `sample` in the folder, drawn from `population`: from now on it is read, not drawn.
pub fn keep(root: &Path, sample: &Sample, population: &Population) -> Result<()> {
    let rows: Vec<Kept> = sample
        .children
        .iter()
        .map(|c| Kept {
            case_ref: c.case_ref.clone(),
            category: c.category,
            protection: c.protection,
            replaces: String::new(),
            line: 0,
        })
        .collect();
    let mut pool = String::from("case_ref\n");
    for i in 0..population.len() {
        pool.push_str(population.case_ref(i));
        pool.push('\n');
    }
    crate::base::files::write_all_replacing(&[
        (root.join(folder::SAMPLE), sample_csv(&rows)),
        (root.join(folder::SAMPLE_DRAWN_FROM), pool.into_bytes()),
    ])
}

/// Replaces the sampled child `case_ref` with one drawn (by the seed, from
/// the case reference) from the children of the same category that are
/// not sampled; gives the new child's case reference.
pub fn replace(root: &Path, frozen: &Frozen, population: &Population, seed: u64, case_ref: &str) -> Result<String> {
    let Some(at) = frozen.rows.iter().position(|r| r.case_ref == case_ref) else {
        return Err(Error::new(
            ErrorKind::Refused,
            format!("--replace {case_ref}: no child of sample.csv has that case reference"),
        ));
    };
    let category = frozen.rows[at].category;
    let sampled: HashSet<&str> = frozen.rows.iter().map(|r| r.case_ref.as_str()).collect();
    let mut candidates: Vec<usize> = (0..population.len())
        .filter(|&i| population.category(i) == category && !sampled.contains(population.case_ref(i)))
        .collect();
    candidates.sort_by(|&a, &b| population.case_ref(a).cmp(population.case_ref(b)));
    if candidates.is_empty() {
        return Err(Error::new(
            ErrorKind::Refused,
            format!(
                "--replace {case_ref}: every child of its category ({}) is sampled already",
                category.as_str()
            ),
        ));
    }
    let chosen = candidates[crate::rules::sampling::pick(seed, case_ref, candidates.len())];
    let record = population::read_records(&root.join(folder::POPULATION), &[population.record(chosen)])?;
    let child = &record[0];
    let mut rows = frozen.rows.clone();
    rows[at] = Kept {
        case_ref: child.case_ref.clone(),
        category: child.category,
        protection: child.protection,
        replaces: case_ref.to_string(),
        line: 0,
    };
    crate::base::files::write_all_replacing(&[(root.join(folder::SAMPLE), sample_csv(&rows))])?;
    Ok(child.case_ref.clone())
}

/// Forgets the kept sample, so that the next build draws it again.
pub fn forget(root: &Path) -> Result<()> {
    for name in [folder::SAMPLE, folder::SAMPLE_DRAWN_FROM] {
        let path = root.join(name);
        if path.exists() {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, "remove", e))?;
        }
    }
    Ok(())
}
