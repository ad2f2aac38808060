//! Fuzzes the disclosure guard: many thousands of the worked example's sampled
//! children's names and case references, disguised at random (invisible
//! characters, curly apostrophes, look-alike letters, case, full-width letters,
//! decomposed accents, emphasis inside a word, line breaks) and placed at
//! random in Markdown, a TOML string (with escapes) or a picture's metadata,
//! each read the way `scrutiny check` reads it. Prints how many were refused.
//!
//! `cargo run --release --example guard_fuzz -- [CASES] [SEED]`

#[path = "../tests/it/disguise.rs"]
mod disguise;

use std::path::Path;
use std::time::Instant;

use disguise::{disguise_any as disguise, png_saying, toml_string, Place, Rng};
use scrutiny::base::error::Problems;
use scrutiny::formats::markdown::{convert, Layout};

fn main() {
    let mut args = std::env::args().skip(1);
    let cases: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example");
    let ws = scrutiny::workspace::Workspace::load(&root).expect("the worked example loads");
    let guard = &ws.guard;
    let children = &ws.sample.children;
    let mut rng = Rng::new(seed);
    let (mut refused, mut missed) = (0usize, Vec::new());
    let mut by_place = [0usize; 3];
    let start = Instant::now();
    for _ in 0..cases {
        let c = &children[rng.below(children.len())];
        let id = if rng.chance(2) {
            c.name.clone().expect("names")
        } else {
            c.case_ref.clone()
        };
        let place = rng.place();
        let mut p = Problems::default();
        let shown = match place {
            Place::Markdown => {
                let text = format!("# Title\n\nWe read about {} in May.\n", disguise(&id, &mut rng, true));
                let layout = Layout {
                    level_of_h2: 3,
                    titled: false,
                };
                let md = convert("findings/q.md", &text, layout, &root, &mut Problems::default());
                guard.check_source(
                    "findings/q.md",
                    &text,
                    &scrutiny::guard::Read::Prose(&md.reader),
                    &[],
                    &mut p,
                );
                text
            }
            Place::Toml => {
                let s = toml_string(&format!("Support for {}.", disguise(&id, &mut rng, false)), &mut rng);
                let text = format!("[[strengths]]\ntext = {s}\n");
                scrutiny::guard::sources::toml(guard, "findings/findings.toml", &text, &[], &mut p);
                text
            }
            Place::Picture => {
                let said = disguise(&id, &mut rng, false);
                let picture = scrutiny::formats::picture::clean(&png_saying(&said)).expect("a good picture");
                for t in &picture.texts {
                    guard.check_file("findings/images/p.png", t, &mut p);
                }
                said
            }
        };
        by_place[place as usize] += 1;
        if p.is_empty() {
            missed.push((id, shown));
        } else {
            refused += 1;
        }
    }
    let took = start.elapsed();
    println!(
        "{cases} cases (seed {seed}; {} in Markdown, {} in TOML, {} in pictures): {refused} refused, {} missed, in {:.2} s ({:.0} cases/s)",
        by_place[0],
        by_place[1],
        by_place[2],
        missed.len(),
        took.as_secs_f64(),
        cases as f64 / took.as_secs_f64()
    );
    for (id, shown) in missed.iter().take(10) {
        println!("missed {id:?} written as {shown:?}");
    }
    if !missed.is_empty() {
        std::process::exit(1);
    }
}
