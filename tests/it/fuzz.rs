//! Hostile files: the loaders take valid files mutated at random (bytes
//! changed, cut short, NUL bytes, huge fields, stray quotes, other encodings)
//! and never panic; every problem names its file, and its line where the file
//! has lines to name. `examples/fuzz.rs` runs many thousands of these.

use proptest::prelude::*;

use crate::common::Folder;

const FILES: [&str; 9] = [
    "inspection.toml",
    "contacts.csv",
    "population.csv",
    "findings/findings.toml",
    "findings/question-1.md",
    "findings/survey.csv",
    "scoping.toml",
    "comments.toml",
    "action-plan.toml",
];

#[derive(Debug, Clone)]
enum Mutation {
    Byte(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Byte(i, b)),
        any::<usize>().prop_map(Mutation::Cut),
        (
            any::<usize>(),
            prop::sample::select(vec![
                b"\0".to_vec(),
                b"\"".to_vec(),
                b"\"\"\"".to_vec(),
                b"\xE9\xF9".to_vec(),
                b"\xFF\xFE".to_vec(),
                b"\r\n".to_vec(),
                b",,,,".to_vec(),
                b"[[x]]\n".to_vec(),
                b"= 1\n".to_vec(),
                vec![b'x'; 100_000],
            ])
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
    match m {
        Mutation::Byte(i, b) => {
            let n = bytes.len();
            if n > 0 {
                bytes[at(*i, n)] = *b;
            }
        }
        Mutation::Cut(i) => {
            let n = at(*i, bytes.len() + 1);
            bytes.truncate(n);
        }
        Mutation::Insert(i, b) => {
            let n = at(*i, bytes.len() + 1);
            bytes.splice(n..n, b.iter().copied());
        }
    }
}

/// Loads the worked example with `file` mutated; checks how any failure is reported.
fn check_mutated(file: usize, mutations: &[Mutation]) -> Result<(), String> {
    let f = Folder::example();
    let name = FILES[file % FILES.len()];
    let mut bytes = std::fs::read(f.path(name)).unwrap();
    for m in mutations {
        apply(&mut bytes, m);
    }
    std::fs::write(f.path(name), &bytes).unwrap();
    match scrutiny::workspace::Workspace::load(&f.dir) {
        Ok(_) => Ok(()),
        Err(e) => {
            for p in e.problems() {
                if p.file.is_empty() {
                    return Err(format!("a problem without a file: {p}"));
                }
                let is_file = f.dir.join(&p.file).is_file();
                let missing = p.message.contains("missing") || p.message.contains("no answer");
                if is_file && p.line.is_none() && !missing {
                    return Err(format!("a problem in {} without a line: {p}", p.file));
                }
            }
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutated_files_never_panic_and_every_problem_is_located(
        file in 0usize..FILES.len(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let r = check_mutated(file, &mutations);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}
