//! The house by concern holds: every `crate::` path in `src/` (in `use` lines
//! and inline) points to a module of the same layer or one below, and no
//! files import each other in a circle. ARCHITECTURE.md shows the layers.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first; a module uses only its own layer and those below.
/// Two modules of one layer do not use each other.
pub(crate) const LAYERS: &[&[&str]] = &[
    &["base"],
    &["model"],
    &["rules"],
    &["guard"],
    &["formats"],
    &["workspace"],
    &["render"],
    &["returns"],
    &["docs"],
    &["build", "starter"],
    &["programme"],
];

fn layer(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

/// Every library source file (the binary's `main.rs`, `cli.rs` and `cmd/`
/// sit above every layer) by its module path: `rules::schedule`.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(src).into_iter().flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = p.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
        if rel == "main.rs" || rel == "cli.rs" || rel == "lib.rs" || rel.starts_with("cmd/") {
            continue;
        }
        let rel = rel.trim_end_matches(".rs");
        let module = rel.strip_suffix("/mod").unwrap_or(rel).replace('/', "::");
        out.insert(module, p.to_path_buf());
    }
    out
}

/// The code of a file without comments and without its unit tests.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        let line = match line.find("//") {
            // Not inside a string such as "https://".
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The module paths a file's code names: `crate::a::b::C` and the members
/// of `use crate::{a::b, c::{d, e}}`.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while let Some(i) = code[at..].find("crate::") {
        let start = at + i;
        at = start + "crate::".len();
        if start > 0
            && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_' || bytes[start - 1] == b'$')
        {
            continue;
        }
        let (tree, end) = use_tree(code, at);
        at = end;
        flatten(&tree, &mut Vec::new(), &mut out);
    }
    out
}

/// A path tree: segments, then a group of trees.
#[derive(Debug)]
struct Tree(Vec<String>, Vec<Tree>);

/// Reads `a::b::{c, d::e}` from `at`; where it ends.
fn use_tree(code: &str, mut at: usize) -> (Tree, usize) {
    let bytes = code.as_bytes();
    let mut segments = Vec::new();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < bytes.len() && bytes[at] == b'{' {
            let mut group = Vec::new();
            at += 1;
            loop {
                while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b',') {
                    at += 1;
                }
                if at >= bytes.len() || bytes[at] == b'}' {
                    return (Tree(segments, group), at + 1);
                }
                let (t, end) = use_tree(code, at);
                group.push(t);
                at = end;
                // Skip `as name`.
                while at < bytes.len() && ![b',', b'}'].contains(&bytes[at]) {
                    at += 1;
                }
            }
        }
        let end = code[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(code.len(), |e| at + e);
        if end == at {
            return (Tree(segments, Vec::new()), at);
        }
        segments.push(code[at..end].to_string());
        at = end;
        if code[at..].starts_with("::") {
            at += 2;
        } else {
            return (Tree(segments, Vec::new()), at);
        }
    }
}

fn flatten(tree: &Tree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let n = prefix.len();
    prefix.extend(tree.0.iter().cloned());
    if tree.1.is_empty() {
        out.push(prefix.clone());
    }
    for t in &tree.1 {
        flatten(t, prefix, out);
    }
    prefix.truncate(n);
}

/// The longest module that a path names.
fn module_of(path: &[String], modules: &BTreeMap<String, PathBuf>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains_key(m))
}

/// Every import of the library: (importing module, imported module).
fn imports() -> (BTreeMap<String, PathBuf>, BTreeSet<(String, String)>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    let mut edges = BTreeSet::new();
    for (module, file) in &modules {
        let text = fs::read_to_string(file).unwrap();
        for path in paths(&code(&text)) {
            if let Some(to) = module_of(&path, &modules) {
                if &to != module && !module.starts_with(&format!("{to}::")) {
                    edges.insert((module.clone(), to));
                }
            }
        }
    }
    (modules, edges)
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap()
}

/// Problems: imports against the layers, and circles, naming the files.
fn violations(modules: &BTreeMap<String, PathBuf>, edges: &BTreeSet<(String, String)>) -> Vec<String> {
    let file = |m: &str| {
        modules[m]
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .display()
            .to_string()
    };
    let mut out = Vec::new();
    for (from, to) in edges {
        let (a, b) = (top(from), top(to));
        match (layer(a), layer(b)) {
            (None, _) => out.push(format!("{} is in no layer: add `{a}` to LAYERS", file(from))),
            (_, None) => out.push(format!("{} is in no layer: add `{b}` to LAYERS", file(to))),
            (Some(x), Some(y)) if y > x || (y == x && a != b) => {
                out.push(format!("{} imports {} ({} is above {})", file(from), file(to), b, a))
            }
            _ => {}
        }
    }
    for circle in circles(edges) {
        let names: Vec<String> = circle.iter().map(|m| file(m)).collect();
        out.push(format!("a circle of imports: {}", names.join(" -> ")));
    }
    out
}

/// Each circle of the graph, found from its smallest module.
fn circles(edges: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    let mut found = Vec::new();
    let mut seen_circles = BTreeSet::new();
    for start in next.keys() {
        let mut stack = vec![(*start, vec![*start])];
        let mut visited = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for &n in next.get(at).into_iter().flatten() {
                if n == *start {
                    let mut key: Vec<&str> = path.clone();
                    key.sort();
                    if seen_circles.insert(key) {
                        let mut c: Vec<String> = path.iter().map(|s| s.to_string()).collect();
                        c.push(start.to_string());
                        found.push(c);
                    }
                } else if visited.insert(n) {
                    let mut p = path.clone();
                    p.push(n);
                    stack.push((n, p));
                }
            }
        }
    }
    found
}

#[test]
fn every_import_keeps_to_the_layers_and_none_makes_a_circle() {
    let (modules, edges) = imports();
    assert!(edges.len() > 100, "the imports were read: {}", edges.len());
    let problems = violations(&modules, &edges);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_fails_on_an_import_upward_and_on_a_circle() {
    let (modules, mut edges) = imports();
    edges.insert(("base::text".into(), "build".into()));
    let problems = violations(&modules, &edges);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("src/base/text.rs imports src/build/mod.rs")),
        "{problems:?}"
    );
    let (modules, mut edges) = imports();
    edges.insert(("rules::calendar".into(), "rules::schedule".into()));
    let problems = violations(&modules, &edges);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("a circle") && p.contains("src/rules/calendar.rs")),
        "{problems:?}"
    );
    // Paths in groups are read.
    let read =
        paths("use crate::{base::error::{Error, Problem}, model::folder};\nlet x = crate::rules::schedule::Step::A;");
    assert!(
        read.contains(&vec!["base".into(), "error".into(), "Problem".into()]),
        "{read:?}"
    );
    assert!(read.contains(&vec!["model".into(), "folder".into()]), "{read:?}");
    assert!(
        read.contains(&vec!["rules".into(), "schedule".into(), "Step".into(), "A".into()]),
        "{read:?}"
    );
}
