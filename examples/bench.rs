//! Benchmark of the records-request letters (and the rest of a build).
//!
//!     cargo run --release --example bench -- [CHILDREN] [SOURCES_DIR]
//!
//! Generates a synthetic inspection of CHILDREN children (default 20,000) sampled
//! at 99% confidence and ±2 points, then times: loading and checking the folder,
//! starting the engine (fonts, templates), the first PDF, and all the letters.
//! With SOURCES_DIR it also writes each letter's Typst source there, so that
//! `benches/requests.sh` can typeset the same letters with the `typst` CLI.

use std::time::Instant;

use scrutiny::build::{build_with, BuildOptions};
use scrutiny::docs::{self, Kind};
use scrutiny::render::Engine;
use scrutiny::starter::synth::{generate, SynthOptions};
use scrutiny::workspace::Workspace;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let children: usize = args
        .first()
        .map(|s| s.parse().expect("CHILDREN is a number"))
        .unwrap_or(20_000);
    let sources = args.get(1).map(std::path::PathBuf::from);

    let tmp = tempfile::tempdir().expect("temporary folder");
    let dir = tmp.path().join("inspection");
    let o = SynthOptions {
        children,
        confidence: 0.99,
        margin: 0.02,
        seed: 2024,
        ..SynthOptions::default()
    };
    generate(&dir, &o).expect("synthetic folder");

    let t = Instant::now();
    let ws = Workspace::load(&dir).expect("a valid folder");
    let load = t.elapsed();

    let t = Instant::now();
    let engine = Engine::new(Some(&dir)).expect("engine");
    let start = t.elapsed();

    let plan = docs::plan(Kind(&docs::requests::DOC), &ws).expect("plan");
    let letters = plan.jobs.len();
    let requests = plan
        .files
        .iter()
        .find(|(p, _)| p.ends_with("register.csv"))
        .map(|(_, b)| b.iter().filter(|c| **c == b'\n').count() - 1);

    let t = Instant::now();
    let first = engine.render(&plan.jobs[0]).expect("first letter").pdf;
    let first_pdf = t.elapsed();

    if let Some(dir) = &sources {
        std::fs::create_dir_all(dir).expect("sources folder");
        std::fs::write(dir.join("house.typ"), include_str!("../templates/house.typ")).expect("house.typ");
        for (i, job) in plan.jobs.iter().enumerate() {
            std::fs::write(
                dir.join(format!("letter-{i:04}.typ")),
                engine.source(job).expect("source"),
            )
            .expect("write");
        }
    }

    let out = tmp.path().join("out");
    let t = Instant::now();
    build_with(
        &ws,
        &engine,
        &BuildOptions {
            out: Some(out.clone()),
            only: vec![Kind(&docs::requests::DOC)],
            ..Default::default()
        },
    )
    .expect("build");
    let all = t.elapsed();

    let sample = std::fs::read_to_string(out.join("sample/sample.csv"))
        .expect("sample")
        .lines()
        .count()
        - 1;
    println!("children               {children}");
    println!("sampled                {sample}");
    println!("requests               {}", requests.unwrap_or(0));
    println!("letters                {letters}");
    println!("load and check         {:.1} ms", load.as_secs_f64() * 1e3);
    println!("engine start           {:.1} ms", start.as_secs_f64() * 1e3);
    println!(
        "first letter           {:.1} ms ({} bytes)",
        first_pdf.as_secs_f64() * 1e3,
        first.len()
    );
    println!("sample + all letters   {:.2} s", all.as_secs_f64());
    println!("letters per second     {:.0}", letters as f64 / all.as_secs_f64());
}
