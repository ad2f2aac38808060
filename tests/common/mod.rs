//! A small chainable helper for fixture-folder tests: copy or generate an
//! inspection folder, edit it, run the real binary on it, read its PDFs.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scrutiny::synth::{generate, SynthOptions};

pub struct Folder {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

impl Folder {
    /// A copy of a folder under `fixtures/`.
    pub fn fixture(name: &str) -> Folder {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(name);
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name), &dir);
        Folder { _tmp: tmp, dir }
    }

    /// The worked example.
    pub fn example() -> Folder {
        Folder::fixture("example")
    }

    /// A freshly generated synthetic folder.
    pub fn synth(o: SynthOptions) -> Folder {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("inspection");
        generate(&dir, &o).unwrap();
        Folder { _tmp: tmp, dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Rewrites a file of the folder.
    pub fn edit(self, rel: &str, f: impl FnOnce(String) -> String) -> Self {
        let text = fs::read_to_string(self.path(rel)).unwrap_or_default();
        self.write(rel, &f(text))
    }

    pub fn write(self, rel: &str, content: &str) -> Self {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
        self
    }

    /// Replaces `key = ...` in inspection.toml (the first occurrence).
    pub fn set(self, key: &str, value: &str) -> Self {
        self.edit("inspection.toml", |t| {
            let mut done = false;
            t.lines()
                .map(|l| {
                    if !done && l.trim_start().starts_with(&format!("{key} ")) {
                        done = true;
                        format!("{key} = {value}")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        })
    }

    /// Runs `scrutiny ARGS... DIR-relative-args`; `{}` in an argument is the folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let args: Vec<String> = args.iter().map(|a| a.replace("{}", &self.dir.to_string_lossy())).collect();
        Run(Command::new(env!("CARGO_BIN_EXE_scrutiny")).args(&args).output().unwrap())
    }

    pub fn build(&self) -> Run {
        self.run(&["build", "{}"]).ok()
    }

    pub fn pdf_text(&self, rel: &str) -> String {
        pdf_text(&fs::read(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}")))
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// Asserts success and returns itself.
    pub fn ok(self) -> Self {
        assert_eq!(self.code(), 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self
    }
    /// Asserts the exit code.
    pub fn fails_with(self, code: i32) -> Self {
        assert_eq!(self.code(), code, "stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self
    }
}

/// The text of every page, as a reader (or a screen reader) gets it.
pub fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("extractable text")
}

/// Whitespace folded to single spaces, for comparing typeset text.
pub fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The document catalogue facts a PDF/UA reader relies on.
pub struct PdfFacts {
    pub pages: usize,
    pub lang: Option<String>,
    pub marked: bool,
    pub struct_tree: bool,
    pub title: Option<String>,
}

pub fn pdf_facts(bytes: &[u8]) -> PdfFacts {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let catalog = doc.catalog().unwrap();
    let lang = catalog
        .get(b"Lang")
        .ok()
        .and_then(|o| o.as_str().ok())
        .map(|s| String::from_utf8_lossy(s).into_owned());
    let marked = catalog
        .get(b"MarkInfo")
        .ok()
        .and_then(|o| match o {
            lopdf::Object::Reference(r) => doc.get_dictionary(*r).ok(),
            lopdf::Object::Dictionary(d) => Some(d),
            _ => None,
        })
        .and_then(|d| d.get(b"Marked").ok())
        .and_then(|o| o.as_bool().ok())
        .unwrap_or(false);
    let struct_tree = catalog.has(b"StructTreeRoot");
    let title = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| o.as_reference().ok())
        .and_then(|r| doc.get_dictionary(r).ok())
        .and_then(|d| d.get(b"Title").ok())
        .and_then(|o| lopdf::decode_text_string(o).ok());
    PdfFacts { pages: doc.get_pages().len(), lang, marked, struct_tree, title }
}

/// `qpdf --check` on a file; `None` when qpdf is not installed (CI installs it).
pub fn qpdf_check(path: &Path) -> Option<bool> {
    match Command::new("qpdf").arg("--check").arg(path).output() {
        Ok(o) => Some(o.status.success()),
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!("note: qpdf is not installed; skipping its structure check (CI runs it)");
            None
        }
        Err(e) => panic!("qpdf is required in CI: {e}"),
    }
}
