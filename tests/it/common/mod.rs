//! A small chainable helper for fixture-folder tests: copy or generate an
//! inspection folder, edit it, run the real binary on it, read its PDFs.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scrutiny::starter::synth::{generate, SynthOptions};

pub(crate) struct Folder {
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
    pub(crate) fn fixture(name: &str) -> Folder {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(name);
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name), &dir);
        Folder { _tmp: tmp, dir }
    }

    /// A place for a folder named `name` that a command will make.
    pub(crate) fn unmade(name: &str) -> Folder {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(name);
        Folder { _tmp: tmp, dir }
    }

    /// The worked example.
    pub(crate) fn example() -> Folder {
        Folder::fixture("example")
    }

    /// The worked example before the report is written: no findings/, and so
    /// no returned plan or comments either.
    pub(crate) fn before_the_report() -> Folder {
        let f = Folder::example();
        for gone in ["findings", "action-plan.toml", "comments.toml"] {
            let p = f.path(gone);
            if p.is_dir() {
                fs::remove_dir_all(p).unwrap();
            } else {
                fs::remove_file(p).unwrap();
            }
        }
        f
    }

    /// A freshly generated synthetic folder.
    pub(crate) fn synth(o: SynthOptions) -> Folder {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("inspection");
        generate(&dir, &o).unwrap();
        Folder { _tmp: tmp, dir }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Rewrites a file of the folder.
    pub(crate) fn edit(self, rel: &str, f: impl FnOnce(String) -> String) -> Self {
        let text = fs::read_to_string(self.path(rel)).unwrap_or_default();
        self.write(rel, &f(text))
    }

    pub(crate) fn write(self, rel: &str, content: &str) -> Self {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
        self
    }

    /// Replaces `key = ...` in inspection.toml (the first occurrence). A
    /// commencement years after the example's own puts its youngest children
    /// in need of protection at school: they then need an education holder
    /// (the example names none for a child under school age in 2013).
    pub(crate) fn set(self, key: &str, value: &str) -> Self {
        let later = key == "commencement"
            && value
                .get(..4)
                .and_then(|y| y.parse::<i32>().ok())
                .is_some_and(|y| y >= 2015);
        let f = if later { self.at_school_by_now() } else { self };
        f.set_in("inspection.toml", key, value)
    }

    /// Replaces `key = ...` in the folder's file `rel` (the first line that sets it).
    pub(crate) fn set_in(self, rel: &str, key: &str, value: &str) -> Self {
        self.edit(rel, |t| {
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

    /// Every child in need of protection in population.csv with an education
    /// holder (edu-rec-01 where it names none).
    pub(crate) fn at_school_by_now(self) -> Self {
        self.edit("population.csv", |t| {
            t.lines()
                .map(|l| {
                    let mut cells: Vec<&str> = l.split(',').collect();
                    if cells.len() > 6 && cells[2] == "yes" && cells[6].is_empty() {
                        cells[6] = "edu-rec-01";
                    }
                    cells.join(",")
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        })
    }

    /// Runs `scrutiny ARGS... DIR-relative-args`; `{}` in an argument is the folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("{}", &self.dir.to_string_lossy()))
            .collect();
        Run(Command::new(env!("CARGO_BIN_EXE_scrutiny"))
            .args(&args)
            .output()
            .unwrap())
    }

    /// `scrutiny schedule --json`: every date of the inspection by its key.
    pub(crate) fn schedule(&self) -> serde_json::Value {
        serde_json::from_str(&self.run(&["schedule", "{}", "--json"]).ok().stdout()).unwrap()
    }

    pub(crate) fn build(&self) -> Run {
        self.run(&["build", "{}"]).ok()
    }

    pub(crate) fn pdf_text(&self, rel: &str) -> String {
        pdf_text(&fs::read(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}")))
    }

    /// Runs `scrutiny ARGS` (`{}` is the folder) under [`MEMORY_CAP`], stopped
    /// after `limit`, measuring its time and peak memory.
    pub(crate) fn capped(&self, args: &[&str], limit: std::time::Duration) -> Capped {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("{}", &self.dir.to_string_lossy()))
            .collect();
        // Python's getrusage of its children: the peak of scrutiny and of any
        // process it started and waited for (the largest one, not their sum).
        let out = Command::new("python3")
            .args(["-c", CAPPED_PY, &limit.as_secs_f64().to_string(), "prlimit", MEMORY_CAP])
            .arg(env!("CARGO_BIN_EXE_scrutiny"))
            .args(&args)
            .output()
            .expect("python3 and prlimit (util-linux) are needed to measure these runs");
        let said = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<&str> = said.split_whitespace().collect();
        let [code, took, kib] = fields[..] else {
            panic!(
                "the measuring script said {said:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        };
        Capped {
            code: code.parse().ok().filter(|c: &i32| *c >= 0),
            late: code == "late",
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            took: std::time::Duration::from_secs_f64(took.parse().unwrap()),
            peak_mib: kib.parse::<u64>().unwrap() / 1024,
        }
    }
}

/// The address space a capped run may use: a runaway is stopped by the
/// system rather than by the machine running out of memory.
pub(crate) const MEMORY_CAP: &str = "--as=314572800"; // 300 MiB

/// Runs argv[2:] with a time limit of argv[1] seconds, passing on its
/// standard error; prints its exit code (negative for a signal, `late` when
/// stopped), its time and the peak RSS of its processes in KiB.
const CAPPED_PY: &str = r#"
import resource, subprocess, sys, time
start = time.monotonic()
try:
    run = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=float(sys.argv[1]))
    code, err = run.returncode, run.stderr
except subprocess.TimeoutExpired as e:
    code, err = "late", e.stderr or b""
took = time.monotonic() - start
sys.stderr.buffer.write(err)
print(code, took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"#;

/// How a capped run of scrutiny ended.
pub(crate) struct Capped {
    /// Its exit code; `None` when a signal ended it or it was stopped.
    pub code: Option<i32>,
    /// It took longer than it was allowed and was stopped.
    pub late: bool,
    pub stderr: String,
    pub took: std::time::Duration,
    /// The peak resident memory of its largest process, in MiB.
    pub peak_mib: u64,
}

/// Every file below `dir` with its bytes, to compare before and after.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().display().to_string(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

pub(crate) struct Run(pub Output);

impl Run {
    pub(crate) fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// Asserts success and returns itself.
    pub(crate) fn ok(self) -> Self {
        assert_eq!(
            self.code(),
            0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    /// Asserts the exit code.
    pub(crate) fn fails_with(self, code: i32) -> Self {
        assert_eq!(
            self.code(),
            code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// The text of every page, as a reader (or a screen reader) gets it: the
/// glyphs of each text-showing operator mapped through its font's ToUnicode
/// CMap, with a line break wherever the baseline moves. (lopdf's own
/// `extract_text` cannot parse the CMaps Typst writes.)
pub(crate) fn pdf_text(bytes: &[u8]) -> String {
    pdf_pages(bytes).concat()
}

/// The text of each page.
pub(crate) fn pdf_pages(bytes: &[u8]) -> Vec<String> {
    use lopdf::Object;
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let mut pages = Vec::new();
    for (_, page) in doc.get_pages() {
        let mut out = String::new();
        let fonts: std::collections::HashMap<Vec<u8>, std::collections::HashMap<u16, String>> = doc
            .get_page_fonts(page)
            .unwrap()
            .into_iter()
            .map(|(name, font)| (name, to_unicode(&doc, font)))
            .collect();
        let content = doc.get_and_decode_page_content(page).expect("page content");
        let mut font: Option<&std::collections::HashMap<u16, String>> = None;
        // Typst places each run with `cm` inside q/Q, so the baseline is the
        // text origin through Tm and the current transformation matrix.
        let mut ctm = [1.0f32, 0.0, 0.0, 1.0, 0.0, 0.0];
        let mut stack = Vec::new();
        let mut tm = ctm;
        let mut y = f32::NAN;
        let num = |o: &Object| {
            o.as_float()
                .ok()
                .or_else(|| o.as_i64().ok().map(|i| i as f32))
                .unwrap_or(0.0)
        };
        let mul = |m: [f32; 6], n: [f32; 6]| {
            [
                m[0] * n[0] + m[1] * n[2],
                m[0] * n[1] + m[1] * n[3],
                m[2] * n[0] + m[3] * n[2],
                m[2] * n[1] + m[3] * n[3],
                m[4] * n[0] + m[5] * n[2] + n[4],
                m[4] * n[1] + m[5] * n[3] + n[5],
            ]
        };
        for op in &content.operations {
            let six = || -> [f32; 6] {
                let v: Vec<f32> = op.operands.iter().map(num).collect();
                [v[0], v[1], v[2], v[3], v[4], v[5]]
            };
            match op.operator.as_str() {
                "q" => stack.push(ctm),
                "Q" => ctm = stack.pop().unwrap_or(ctm),
                "cm" => ctm = mul(six(), ctm),
                "Tf" => {
                    font = op
                        .operands
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|n| fonts.get(n))
                }
                "BT" => tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                "Tm" => tm = six(),
                "Td" | "TD" => tm = mul([1.0, 0.0, 0.0, 1.0, num(&op.operands[0]), num(&op.operands[1])], tm),
                "T*" => out.push('\n'),
                _ => {}
            }
            if matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\"") {
                let new_y = mul(tm, ctm)[5];
                if !y.is_nan() && (new_y - y).abs() > 0.5 {
                    out.push('\n');
                }
                y = new_y;
            }
            match op.operator.as_str() {
                "Tj" | "TJ" | "'" | "\"" => {
                    let mut strings = Vec::new();
                    for o in &op.operands {
                        match o {
                            Object::String(s, _) => strings.push(s.clone()),
                            Object::Array(a) => {
                                strings.extend(a.iter().filter_map(|x| x.as_str().ok().map(<[u8]>::to_vec)))
                            }
                            _ => {}
                        }
                    }
                    for s in strings {
                        for pair in s.chunks(2) {
                            let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                            if let Some(t) = font.and_then(|f| f.get(&code)) {
                                out.push_str(t);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        out.push('\n');
        pages.push(out);
    }
    pages
}

/// A font's ToUnicode CMap (bfchar and bfrange entries) as code → text.
fn to_unicode(doc: &lopdf::Document, font: &lopdf::Dictionary) -> std::collections::HashMap<u16, String> {
    let mut map = std::collections::HashMap::new();
    let Ok(r) = font.get(b"ToUnicode").and_then(|o| o.as_reference()) else {
        return map;
    };
    let Ok(stream) = doc.get_object(r).and_then(|o| o.as_stream()) else {
        return map;
    };
    let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8_lossy(&data);
    let hex = |h: &str| -> Vec<u8> {
        (0..h.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
            .collect()
    };
    let utf16 = |b: &[u8]| -> String {
        let units: Vec<u16> = b
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    let code = |b: &[u8]| -> u16 { u16::from_be_bytes([b[0], *b.get(1).unwrap_or(&0)]) };
    let mut section = "";
    for line in text.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            section = "char";
            continue;
        } else if line.ends_with("beginbfrange") {
            section = "range";
            continue;
        } else if line.starts_with("end") {
            section = "";
            continue;
        }
        let tokens: Vec<&str> = line
            .split(['<', '>', ' ', '[', ']'])
            .filter(|t| !t.is_empty())
            .collect();
        match (section, tokens.as_slice()) {
            ("char", [src, dst]) => {
                map.insert(code(&hex(src)), utf16(&hex(dst)));
            }
            ("range", [lo, hi, dst]) => {
                let (lo, hi) = (code(&hex(lo)), code(&hex(hi)));
                let base = hex(dst);
                for (i, c) in (lo..=hi).enumerate() {
                    let mut d = base.clone();
                    let last = d.len() - 1;
                    d[last] = d[last].wrapping_add(i as u8);
                    map.insert(c, utf16(&d));
                }
            }
            _ => {}
        }
    }
    map
}

/// Whitespace folded to single spaces, for comparing typeset text.
pub(crate) fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The document catalogue facts a PDF/UA reader relies on.
pub(crate) struct PdfFacts {
    pub pages: usize,
    pub lang: Option<String>,
    pub marked: bool,
    pub struct_tree: bool,
    pub title: Option<String>,
}

pub(crate) fn pdf_facts(bytes: &[u8]) -> PdfFacts {
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
    PdfFacts {
        pages: doc.get_pages().len(),
        lang,
        marked,
        struct_tree,
        title,
    }
}

/// `qpdf --check` on a file; panics with the way to install qpdf when it is missing.
pub(crate) fn qpdf_check(path: &Path) -> bool {
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("qpdf is needed to check the PDFs' structure ({e}): run `bash tests/setup.sh`"));
    out.status.success()
}

/// The alternative texts of the structure elements with tag `tag` (e.g. "Figure").
pub(crate) fn struct_alts(bytes: &[u8], tag: &str) -> Vec<String> {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(tag.as_bytes()))
        .filter_map(|d| d.get(b"Alt").ok().and_then(|a| lopdf::decode_text_string(a).ok()))
        .collect()
}

/// British date in words, computed here rather than by the library.
pub(crate) fn words(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .unwrap()
        .format("%-d %B %Y")
        .to_string()
}

/// A PDF's text as poppler's `pdftotext` reads it (table cells apart).
pub(crate) fn poppler_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-nopgbrk")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: run `bash tests/setup.sh`");
    assert!(out.status.success(), "pdftotext could not read {}", path.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs a Python script with `args`; pypdf, pikepdf and openpyxl must be
/// installed (`bash tests/setup.sh` installs them): a test that needs them
/// fails without them.
pub(crate) fn python(script: &str, args: &[&str]) -> String {
    python_for(
        script,
        args,
        "the form and workbook tests",
        "pypdf, pikepdf and openpyxl",
    )
}

/// Runs a Python script with `args` for `tests`, which need `packages`: a
/// missing one fails the test, saying how to install it.
fn python_for(script: &str, args: &[&str], tests: &str, packages: &str) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("python3 is needed for {tests} ({e}): `bash tests/setup.sh` installs it with {packages}")
        });
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("No module named"),
        "{tests} need {packages}: run `bash tests/setup.sh`\n{err}"
    );
    assert!(out.status.success(), "python failed:\n{err}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// LibreOffice's headless converter: the workbook opened and saved as .xlsx by
/// another spreadsheet program.
pub(crate) fn libreoffice_resave(f: &Folder, file: &str) -> String {
    let outdir = f.path("resaved");
    let profile = f.path("lo-profile");
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args([
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(&outdir)
        .arg(file)
        .output()
        .expect("LibreOffice (soffice) is needed for the workbook tests: `bash tests/setup.sh` installs it");
    let name = std::path::Path::new(file).file_name().unwrap();
    let saved = outdir.join(name);
    assert!(
        saved.exists(),
        "LibreOffice did not save the workbook:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    saved.to_string_lossy().into_owned()
}

/// The names in a zip, read by Python's zipfile (not the program that wrote it).
pub(crate) fn zip_names(path: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
        ])
        .arg(path)
        .output()
        .expect("python3 reads the packs: run `bash tests/setup.sh`");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// inspection.toml without the table `[name]` and its keys.
pub(crate) fn without_table(toml: &str, name: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for l in toml.lines() {
        if l.starts_with('[') {
            skipping = l.starts_with(&format!("[{name}]"));
        }
        if !skipping {
            out.push(l);
        }
    }
    out.join("\n") + "\n"
}

/// Runs a Python script that needs the `icalendar` package, which
/// `bash tests/setup.sh` installs; without it the test fails saying so.
pub(crate) fn python_with_icalendar(script: &str, args: &[&str]) -> String {
    python_for(
        script,
        args,
        "the calendar tests",
        "Python's icalendar package (`pip install icalendar`)",
    )
}

/// The accessibility violations axe-core finds in a web page in headless
/// Chromium (`tests/it/axe.js`); without node, Chromium or axe the test fails
/// saying how to install them.
pub(crate) fn axe(page: &Path) -> serde_json::Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/axe.js");
    let out = Command::new("node")
        .args([script, &page.to_string_lossy()])
        .output()
        .expect("node is needed: `bash tests/setup.sh` installs Chromium, puppeteer-core and axe-core");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "axe-core in headless Chromium could not run (run `bash tests/setup.sh`: it installs chromium, and puppeteer-core and axe-core in ~/.cache/scrutiny-node): {err}"
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
