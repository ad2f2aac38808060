//! The inspection folder's own files, listed once. Loading, the preview,
//! incremental builds and the archive all read this table, so they agree on
//! what the folder holds.

/// One file (or folder, its name ending in `/`) of an inspection folder.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Its name in the folder: `inspection.toml`, `findings/`.
    pub name: &'static str,
    /// What it holds, in words.
    pub holds: &'static str,
    /// It reaches documents only through their data: a change to it
    /// typesets again only the documents whose data changed, so its bytes
    /// are not an input of every document (see `build::reuse`).
    pub through_context: bool,
    /// The kinds of document (their folders in `out/`) that alone need
    /// making again when it changes; empty: every kind.
    pub rebuilds: &'static [&'static str],
}

pub const INSPECTION: &str = "inspection.toml";
pub const CONTACTS: &str = "contacts.csv";
pub const POPULATION: &str = "population.csv";
pub const SCOPING: &str = "scoping.toml";
pub const ACTION_PLAN: &str = "action-plan.toml";
pub const COMMENTS: &str = "comments.toml";
/// The report writers' folder.
pub const FINDINGS: &str = "findings";
/// The folder's own versions of the built-in templates.
pub const TEMPLATES: &str = "templates";
/// The sample as drawn, kept once its requests are sent (or by `scrutiny sample --keep`).
pub const SAMPLE: &str = "sample.csv";
/// The case references of the population the kept sample was drawn from.
pub const SAMPLE_DRAWN_FROM: &str = "sample-drawn-from.csv";
/// What came back and when, written by `scrutiny received` or by hand.
pub const RECEIVED: &str = "received.toml";
/// What was sent and when, written by `scrutiny issue`.
pub const ISSUED: &str = "issued";

/// Every file of the inspection folder that scrutiny reads; every one is
/// the inspection's own, kept in `archive.zip`. Anything else in the folder
/// (`out/`, notes of the team's) is never read.
pub const FILES: &[Entry] = &[
    Entry {
        name: INSPECTION,
        holds: "the inspection: area, dates, people and settings",
        through_context: true,
        rebuilds: &[],
    },
    Entry {
        name: CONTACTS,
        holds: "the people and offices that receive letters and hold records",
        through_context: true,
        rebuilds: &[],
    },
    Entry {
        name: POPULATION,
        holds: "every child in the five sampling categories",
        through_context: true,
        rebuilds: &[],
    },
    Entry {
        name: SAMPLE,
        holds: "the sample as drawn, kept once its records requests are sent",
        through_context: true,
        rebuilds: &[],
    },
    Entry {
        name: SAMPLE_DRAWN_FROM,
        holds: "the children the kept sample was drawn from",
        through_context: true,
        rebuilds: &[],
    },
    Entry {
        name: RECEIVED,
        holds: "what came back from the partnership and when",
        through_context: true,
        rebuilds: &[],
    },
    Entry {
        name: SCOPING,
        holds: "the scoping tool, kept by the inspection team",
        through_context: true,
        rebuilds: &["scoping"],
    },
    Entry {
        name: ACTION_PLAN,
        holds: "the partnership's returned action plan",
        through_context: true,
        rebuilds: &["action-plan"],
    },
    Entry {
        name: COMMENTS,
        holds: "the partners' comments on the draft report, and the team's decisions",
        through_context: true,
        rebuilds: &["report"],
    },
    Entry {
        name: "findings/findings.toml",
        holds: "the evaluations, strengths, improvements and recommendations",
        through_context: false,
        rebuilds: &["report", "action-plan"],
    },
    Entry {
        name: "findings/",
        holds: "the report writers' prose, pictures and results",
        through_context: false,
        rebuilds: &["report"],
    },
    Entry {
        name: "templates/",
        holds: "the folder's own versions of the built-in templates",
        through_context: false,
        rebuilds: &[],
    },
    Entry {
        name: "issued/",
        holds: "what was sent and when",
        through_context: false,
        rebuilds: &[],
    },
];

/// The entry a path of the folder (relative, with `/`) belongs to: its
/// own, else that of its folder; `None` for what scrutiny does not read.
pub fn entry(rel: &str) -> Option<&'static Entry> {
    FILES.iter().find(|e| e.name == rel).or_else(|| {
        FILES
            .iter()
            .filter(|e| e.name.ends_with('/') && rel.starts_with(e.name))
            .max_by_key(|e| e.name.len())
    })
}

/// The folders of the table, without their `/`: `findings`, `templates`, `issued`.
pub fn folders() -> impl Iterator<Item = &'static str> {
    FILES.iter().filter_map(|e| e.name.strip_suffix('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_belongs_to_its_own_entry_or_its_folders() {
        assert_eq!(
            entry("findings/findings.toml").unwrap().rebuilds,
            ["report", "action-plan"]
        );
        assert_eq!(entry("findings/record/1.1.md").unwrap().name, "findings/");
        assert_eq!(entry("inspection.toml").unwrap().name, INSPECTION);
        assert!(entry("out/manifest.json").is_none() && entry("notes.txt").is_none());
        assert_eq!(folders().collect::<Vec<_>>(), [FINDINGS, TEMPLATES, ISSUED]);
    }
}
