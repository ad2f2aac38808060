//! The `scrutiny` binary: parse arguments, run a command, print, map to an exit code.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;
use scrutiny::ErrorKind;

use cmd::complain;

fn main() -> ExitCode {
    few_arenas();
    // The documented exit codes hold even for a bug: a panic is reported as an
    // internal error (exit 2), never as Rust's 101.
    std::panic::set_hook(Box::new(|info| {
        complain(format!(
            "error: scrutiny stopped on an internal fault (a bug; please report it with the command you ran)\n\
             caused by: {info}\n\
             note: a build that stops this way leaves the documents of earlier builds as they were"
        ));
    }));
    std::panic::catch_unwind(run).unwrap_or(ExitCode::from(2))
}

/// glibc gives each new thread an arena of its own, each reserving 64 MiB of
/// address space: under a memory limit (`prlimit --as`, or the one scrutiny
/// sets for the typesetting of a folder's own templates) a few threads' reserves
/// would leave no room for the heap itself. Two arenas are as fast here
/// (measured on the worked example's build). Set before any thread starts.
// The crate's one unsafe call.
#[allow(unsafe_code)]
fn few_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a number in glibc's allocator; no thread
    // has started yet, and M_ARENA_MAX is a documented parameter.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// A file with one mistake made throughout (every row, say) would otherwise
/// fill the terminal: the first problems are shown, the rest counted by file.
const SHOWN_PROBLEMS: usize = 100;

fn not_shown(rest: &[scrutiny::Problem]) -> Option<String> {
    if rest.is_empty() {
        return None;
    }
    let mut by_file: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in rest {
        *by_file.entry(p.file.as_str()).or_default() += 1;
    }
    let files: Vec<String> = by_file
        .iter()
        .map(|(f, n)| format!("{} in {f}", scrutiny::base::text::thousands(*n)))
        .collect();
    Some(format!(
        "note: {} more problems are not shown ({}); they are often the same mistake repeated: \
         fix the ones above and run again",
        scrutiny::base::text::thousands(rest.len()),
        files.join(", ")
    ))
}

fn run() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            complain(format!("error: {e}"));
            let problems = e.problems();
            for p in problems.iter().take(SHOWN_PROBLEMS) {
                complain(format!("  {}", p.to_string().replace('\n', "\n  ")));
            }
            if let Some(note) = not_shown(&problems[problems.len().min(SHOWN_PROBLEMS)..]) {
                complain(note);
            }
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                complain(format!("caused by: {s}"));
                source = s.source();
            }
            ExitCode::from(match e.kind() {
                ErrorKind::InvalidInput | ErrorKind::Template => 1,
                _ => 2,
            })
        }
    }
}
