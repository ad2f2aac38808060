//! A folder not filled in yet (as `scrutiny new` makes it): instead of every
//! problem a blank `inspection.toml` would give, the few things to fill
//! first, in the order the inspection needs them (the 12-week notice first).

use super::toml_source::{Seg, TomlSource};
use crate::base::error::Problem;

/// A value the 12-week notice cannot go without.
struct Need {
    path: &'static [&'static str],
    what: &'static str,
    help: &'static str,
}

/// In the order the notice needs them.
const NEEDS: &[Need] = &[
    Need {
        path: &["reference"],
        what: "the inspection's reference, printed on every document from the 12-week notice on",
        help: "e.g. reference = \"JI-2013-07\"",
    },
    Need {
        path: &["area"],
        what: "the council area inspected",
        help: "e.g. area = \"Glenaird\"",
    },
    Need {
        path: &["cpp"],
        what: "the community planning partnership the notice goes to",
        help: "e.g. cpp = \"Glenaird Community Planning Partnership\"",
    },
    Need {
        path: &["commencement"],
        what: "the first on-site day: every date of the inspection, the notice's 12 weeks before it \
               included, is worked out from it",
        help: "write it without quotes as YYYY-MM-DD, a working day at least 12 weeks away, \
               e.g. commencement = 2013-03-04",
    },
    Need {
        path: &["lead", "name"],
        what: "the inspection lead, who signs the 12-week notice",
        help: "under [lead], e.g. name = \"Morag Petrie\"",
    },
    Need {
        path: &["depute", "name"],
        what: "the depute lead, named in the briefings",
        help: "under [depute], e.g. name = \"Iain Baxter\"",
    },
];

/// What to fill first when `inspection.toml` still lacks what the notice
/// needs; empty once it has all of it (its other problems are then listed
/// as usual).
pub(super) fn to_do(src: &TomlSource) -> Vec<Problem> {
    let mut items: Vec<Problem> = NEEDS
        .iter()
        .filter(|n| !filled(src, n.path))
        .map(|n| {
            at(src, n.path)
                .message(format!("`{}` is not filled in yet: {}", n.path.join("."), n.what))
                .help(n.help)
        })
        .collect();
    if items.is_empty() {
        return items;
    }
    let addressees = src
        .item(&["addressees"])
        .and_then(|i| i.as_array_of_tables())
        .is_some_and(|a| !a.is_empty());
    if !addressees {
        items.push(
            at(src, &["addressees"])
                .message("there are no [[addressees]] yet: each chief officer and the CPP's chair receives the 12-week notice")
                .help("add an [[addressees]] table for each (role, name, organisation, address, salutation); the comment in the file shows one"),
        );
    }
    items
}

/// Whether the key is there and, for text, not empty.
fn filled(src: &TomlSource, path: &[&str]) -> bool {
    match src.item(path) {
        None => false,
        Some(item) => item.as_str().is_none_or(|s| !s.trim().is_empty()),
    }
}

/// The key where it is written; else its line in a comment (`# key =`, or
/// `# [[key]]`), else the file's first line.
fn at(src: &TomlSource, path: &[&str]) -> Problem {
    if src.item(path).is_some() {
        let segs: Vec<Seg> = path.iter().map(|k| Seg::Key(k)).collect();
        return src.locate(&segs);
    }
    let key = path.last().copied().unwrap_or_default();
    // A key of a table is looked for after the table's header.
    let from = match path {
        [table, _] => header_line(src.text(), table).unwrap_or(0),
        _ => 0,
    };
    let line = src
        .text()
        .lines()
        .enumerate()
        .skip(from)
        .find(|(_, l)| {
            let l = l.trim_start().trim_start_matches('#').trim_start();
            l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('='))
                || l.starts_with(&format!("[[{key}]]"))
                || l.starts_with(&format!("[{key}]"))
        })
        .map_or(1, |(n, _)| n + 1);
    Problem::new(src.file(), "").at(line, 1)
}

/// The 0-based line of `[table]`.
fn header_line(text: &str, table: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(&format!("[{table}]")))
}
