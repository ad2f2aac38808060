//! `programme.toml` read and checked: its keys, its dates away, and the
//! inspection folders it names (or finds), each problem at its line.

use std::path::Path;

use crate::base::error::{Error, Problem, Problems, Result};
use crate::model::folder;
use crate::model::programme::{ProgrammeFile, PROGRAMME};

use super::toml_source::{Seg, TomlSource};

/// The programme file as written, with where things are in it.
#[derive(Debug, Clone)]
pub struct Programme {
    pub file: ProgrammeFile,
    /// The inspection folders, relative to the programme's, in order.
    pub folders: Vec<String>,
    /// The line of each `[[away]]`, for messages.
    pub away_lines: Vec<usize>,
    /// The line of `spacing_days` and `quarter_days` (1 when not written).
    pub spacing_line: usize,
    pub quarter_line: usize,
}

/// Reads `root/programme.toml`, its every problem at once.
pub fn read(root: &Path) -> Result<Programme> {
    let path = root.join(PROGRAMME);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::invalid(vec![Problem::new(
                root.display().to_string(),
                format!("this folder is not a programme: it has no {PROGRAMME}"),
            )
            .help(
                "write a programme.toml holding at least `name = \"...\"`; its inspections are every \
                 sub-folder holding an inspection.toml, or those `inspections = [...]` names",
            )]))
        }
        Err(e) => return Err(Error::io(&path, "read", e)),
    };
    let mut problems = Problems::default();
    let text = match super::encoding::decode(PROGRAMME, bytes) {
        Ok(t) => t,
        Err(p) => return Err(Error::invalid(vec![*p])),
    };
    let schema = crate::model::schema_of::<ProgrammeFile>();
    let src = TomlSource::parse(PROGRAMME, &text, &schema, &mut problems);
    let file = src.as_ref().and_then(|s| s.deserialize::<ProgrammeFile>(&mut problems));
    let (Some(src), Some(file)) = (src, file) else {
        return Err(Error::invalid(problems.into_vec()));
    };
    let line = |path: &[Seg]| src.locate(path).line.unwrap_or(1);
    let away_lines: Vec<usize> = (0..file.away.len())
        .map(|i| line(&[Seg::Key("away"), Seg::Index(i)]))
        .collect();
    for (a, at) in file.away.iter().zip(&away_lines) {
        if a.from > a.to {
            problems.push(
                Problem::new(
                    PROGRAMME,
                    format!("{}'s dates away end ({}) before they begin ({})", a.name, a.to, a.from),
                )
                .line(*at)
                .help("`from` is the first day away and `to` the last"),
            );
        }
    }
    let folders = match &file.inspections {
        Some(named) => {
            for (i, rel) in named.iter().enumerate() {
                let at = line(&[Seg::Key("inspections"), Seg::Index(i)]);
                if let Some(why) = not_an_inspection(root, rel) {
                    problems.push(Problem::new(PROGRAMME, format!("\"{rel}\" {why}")).line(at).help(
                        "name each inspection's folder relative to the programme's, e.g. \"glenaird\"; \
                         leave `inspections` out to take every sub-folder holding an inspection.toml",
                    ));
                }
            }
            // "glenaird/" names the folder "glenaird", and messages show it so.
            named.iter().map(|f| f.trim_end_matches('/').to_string()).collect()
        }
        None => sub_folders(root)?,
    };
    if folders.is_empty() {
        problems.push(
            Problem::new(PROGRAMME, "the programme has no inspections")
                .help("put each inspection's folder (holding its inspection.toml) in the programme's folder"),
        );
    }
    let (spacing_line, quarter_line) = (line(&[Seg::Key("spacing_days")]), line(&[Seg::Key("quarter_days")]));
    problems.finish(Programme {
        spacing_line,
        quarter_line,
        file,
        folders,
        away_lines,
    })
}

/// Why `rel` names no inspection folder inside `root`, if it does not.
fn not_an_inspection(root: &Path, rel: &str) -> Option<&'static str> {
    let p = Path::new(rel);
    if p.is_absolute() || p.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
        return Some("is not a folder inside the programme's");
    }
    if !root.join(p).is_dir() {
        return Some("is not a folder");
    }
    (!root.join(p).join(folder::INSPECTION).is_file()).then_some("holds no inspection.toml")
}

/// Every sub-folder holding an `inspection.toml`, by name.
fn sub_folders(root: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(root).map_err(|e| Error::io(root, "read", e))?;
    let mut out: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.path().join(folder::INSPECTION).is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    Ok(out)
}
