//! Many thousands of hostile inputs for the loaders: the worked example with
//! one file mutated at random (bytes changed, cut short, NUL bytes, huge
//! fields, stray quotes, other encodings), and as many returned action plans
//! (the built form and workbook mutated alike, the workbook's sheet inside its
//! zip too) read by the import. Counts panics and problems reported without
//! their file or line; both must be zero.
//!
//!   cargo run --release --example fuzz -- [CASES] [SEED]

use std::path::Path;
use std::time::Instant;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use scrutiny::workspace::Workspace;

const FILES: [&str; 10] = [
    "inspection.toml",
    "contacts.csv",
    "population.csv",
    "findings/findings.toml",
    "findings/question-1.md",
    "findings/records-reading.csv",
    "findings/survey.csv",
    "scoping.toml",
    "comments.toml",
    "action-plan.toml",
];

const INSERTS: [&[u8]; 9] = [
    b"\0",
    b"\"",
    b"\"\"\"",
    b"\xE9\xF9",
    b"\xFF\xFE",
    b"\r\n",
    b",,,,",
    b"[[x]]\n",
    b"= 1\n",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cases: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let seed: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("example");
    scrutiny::starter::init::init(&dir).unwrap();
    let originals: Vec<Vec<u8>> = FILES.iter().map(|f| std::fs::read(dir.join(f)).unwrap()).collect();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let (mut ok, mut refused, mut panics, mut unlocated) = (0, 0, 0, 0);
    std::panic::set_hook(Box::new(|_| {}));
    let start = Instant::now();
    for case in 0..cases {
        let which = rng.next_u32() as usize % FILES.len();
        let mut bytes = originals[which].clone();
        mutate(&mut rng, &mut bytes);
        std::fs::write(dir.join(FILES[which]), &bytes).unwrap();
        match std::panic::catch_unwind(|| Workspace::load(&dir)) {
            Err(_) => {
                panics += 1;
                eprintln!("case {case}: a panic with {} mutated", FILES[which]);
            }
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                refused += 1;
                for p in e.problems() {
                    let is_file = Path::new(&dir).join(&p.file).is_file();
                    let missing = p.message.contains("missing") || p.message.contains("no answer");
                    if p.file.is_empty() || (is_file && p.line.is_none() && !missing) {
                        unlocated += 1;
                        let shown: String = p.to_string().chars().take(300).collect();
                        eprintln!("case {case}: unlocated: {shown}");
                    }
                }
            }
        }
        std::fs::write(dir.join(FILES[which]), &originals[which]).unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{cases} cases in {secs:.1} s ({:.0}/s): {ok} loaded, {refused} refused with problems, {panics} panics, {unlocated} problems without file or line",
        cases as f64 / secs
    );
    let import_panics = imports(&dir, cases, &mut rng);
    if panics + unlocated + import_panics > 0 {
        std::process::exit(1);
    }
}

/// Changes `bytes` in one to three places.
fn mutate(rng: &mut ChaCha20Rng, bytes: &mut Vec<u8>) {
    for _ in 0..1 + rng.next_u32() % 3 {
        let n = bytes.len();
        match rng.next_u32() % 4 {
            0 if n > 0 => bytes[rng.next_u32() as usize % n] = rng.next_u32() as u8,
            1 => bytes.truncate(rng.next_u32() as usize % (n + 1)),
            2 => {
                let at = rng.next_u32() as usize % (n + 1);
                bytes.splice(at..at, std::iter::repeat_n(b'x', 100_000));
            }
            _ => {
                let at = rng.next_u32() as usize % (n + 1);
                let ins = INSERTS[rng.next_u32() as usize % INSERTS.len()];
                bytes.splice(at..at, ins.iter().copied());
            }
        }
    }
}

/// `xlsx` with its plan sheet's XML mutated, zipped again.
fn mutate_sheet(rng: &mut ChaCha20Rng, xlsx: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            mutate(rng, &mut bytes);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// As many returned plans and returned comments as `cases` each, read by
/// their imports; gives the panics.
fn imports(dir: &Path, cases: usize, rng: &mut ChaCha20Rng) -> usize {
    scrutiny::build::build(dir, &Default::default()).unwrap();
    let plans = returns(dir, cases, rng, "out/action-plan/action-plan", "returned plans", |p| {
        scrutiny::returns::read::<scrutiny::returns::action_plan::Import>(p).is_ok()
    });
    let comments = returns(
        dir,
        cases,
        rng,
        "out/report/factual-accuracy",
        "returned comments",
        |p| scrutiny::returns::read::<scrutiny::returns::comments::Import>(p).is_ok(),
    );
    plans + comments
}

/// `cases` mutations of the form `stem.pdf` and workbook `stem.xlsx`, each
/// read by `read` (true when it reads); gives the panics.
fn returns(
    dir: &Path,
    cases: usize,
    rng: &mut ChaCha20Rng,
    stem: &str,
    what: &str,
    read_one: impl Fn(&Path) -> bool + std::panic::RefUnwindSafe,
) -> usize {
    let form = std::fs::read(dir.join(format!("{stem}.pdf"))).unwrap();
    let xlsx = std::fs::read(dir.join(format!("{stem}.xlsx"))).unwrap();
    let (mut read, mut refused, mut panics) = (0, 0, 0);
    let start = Instant::now();
    for case in 0..cases {
        let (name, bytes) = match rng.next_u32() % 3 {
            0 => ("returned.pdf", {
                let mut b = form.clone();
                mutate(rng, &mut b);
                b
            }),
            1 => ("returned.xlsx", {
                let mut b = xlsx.clone();
                mutate(rng, &mut b);
                b
            }),
            _ => ("returned.xlsx", mutate_sheet(rng, &xlsx)),
        };
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        match std::panic::catch_unwind(|| read_one(&path)) {
            Err(_) => {
                panics += 1;
                eprintln!("{what}, case {case}: a panic reading a mutated {name}");
            }
            Ok(true) => read += 1,
            Ok(false) => refused += 1,
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{cases} {what} in {secs:.1} s ({:.0}/s): {read} read, {refused} refused with a reason, {panics} panics",
        cases as f64 / secs
    );
    panics
}
