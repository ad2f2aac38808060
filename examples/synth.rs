//! Writes a synthetic inspection folder.
//!
//!     cargo run --example synth -- DIR [CHILDREN] [SEED] [COMMENCEMENT]
//!
//! `fixtures/example` is `cargo run --example synth -- fixtures/example`.

use scrutiny::starter::synth::{generate, SynthOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: synth DIR [CHILDREN] [SEED] [COMMENCEMENT]");
        std::process::exit(2);
    };
    let mut o = SynthOptions::default();
    if let Some(n) = args.get(1) {
        o.children = n.parse().expect("CHILDREN is a number");
    }
    if let Some(s) = args.get(2) {
        o.seed = s.parse().expect("SEED is a number");
    }
    if let Some(d) = args.get(3) {
        o.commencement = d.parse().expect("COMMENCEMENT is YYYY-MM-DD");
    }
    if let Err(e) = generate(std::path::Path::new(dir), &o) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}
