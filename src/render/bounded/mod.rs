//! Typesetting a folder's own templates where the system bounds it.
//!
//! Typst and minijinja have no memory or time limit of their own, and a
//! template in the folder's `templates/` may loop, recurse or allocate without
//! end. When the folder has templates of its own, its documents are typeset by
//! a child process (the program itself, run as [`TYPESET_COMMAND`]) whose
//! address space is capped and which is killed when a document takes too long.
//! Its failure comes back as a template error naming the document and the template.
//!
//! The two talk over pipes in frames: a little-endian `u32` length, then that
//! many bytes of JSON. The parent sends a `Hello`, then one `Sent` job a
//! frame; the child answers with `Said` messages, each made document's bytes
//! in a frame of their own after its `Said::Made`.

mod child;
mod parent;

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Detail;
use crate::base::error::{Error, ErrorKind, Problem};
use crate::guard::published::PageText;

pub use child::serve;
pub(super) use parent::{render_all, render_one};

/// The hidden subcommand that runs the child: `scrutiny __typeset DIR`.
pub const TYPESET_COMMAND: &str = "__typeset";

/// The address space the child may use. Measured (VmPeak of the child, one
/// malloc arena): 196 MiB for the worked example with a template of its own,
/// 211 MiB when its findings are ten times as long (RSS 165 MiB); the binary
/// alone maps 57 MiB. A runaway dies here, below the 300 MiB a build may use.
pub const MEMORY: u64 = 256 << 20;

/// How long one document may take to make (the longest of the worked example's,
/// the public report, takes about 0.1 s).
pub const PER_DOCUMENT: Duration = Duration::from_secs(10);

/// How many of minijinja's instructions (its "fuel") one template may run for
/// one document: a thousand times what the bundled templates need (under
/// 10,000, measured on the worked example, a 200,000-child folder and findings
/// ten times as long); about a second's work.
pub const STEPS: u64 = 10_000_000;

/// The child's typesetting threads, and the size of Typst's own thread pool
/// there: each thread's stack counts against the cap.
const WORKERS: usize = 2;

/// How a folder's own templates are typeset: the program to start and its limits.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// The scrutiny program itself (`std::env::current_exe()`).
    pub program: PathBuf,
    /// The child's address space, in bytes (a smaller limit it inherits stays).
    pub memory: u64,
    /// How long one document may take.
    pub per_document: Duration,
}

impl Bounds {
    /// The default limits, for `program`.
    pub fn new(program: PathBuf) -> Bounds {
        Bounds {
            program,
            memory: MEMORY,
            per_document: PER_DOCUMENT,
        }
    }
}

/// The first frame to the child.
#[derive(Serialize, Deserialize)]
struct Hello {
    /// The parent's templates: the child refuses to typeset others (a template
    /// saved while `watch` builds, say).
    fingerprint: String,
    memory: u64,
}

/// A job as the child receives it.
#[derive(Deserialize)]
struct Sent {
    template: String,
    output: String,
    context: minijinja::Value,
    date: NaiveDate,
    published: bool,
}

/// A job as the parent sends it (what typesetting needs of [`Job`]).
#[derive(Serialize)]
struct SentRef<'a> {
    template: &'a str,
    output: &'a str,
    context: &'a minijinja::Value,
    date: NaiveDate,
    published: bool,
}

/// What the child says.
#[derive(Serialize, Deserialize)]
enum Said {
    /// A worker began the `job`th job.
    Started { job: usize, worker: usize },
    /// A job was made; its bytes follow in the next frame.
    Made {
        job: usize,
        warnings: Vec<Problem>,
        pages: Option<PageText>,
    },
    /// A job failed, or (without one) the child could not begin.
    Failed { job: Option<usize>, error: Failure },
}

/// An [`Error`] across the pipe.
#[derive(Serialize, Deserialize)]
struct Failure {
    kind: ErrorKind,
    message: String,
    problems: Vec<Problem>,
    causes: Vec<String>,
}

impl From<&Error> for Failure {
    fn from(e: &Error) -> Failure {
        let mut causes = Vec::new();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            causes.push(s.to_string());
            source = s.source();
        }
        Failure {
            kind: e.kind(),
            message: e.message().to_string(),
            problems: e.problems().to_vec(),
            causes,
        }
    }
}

impl Failure {
    fn into_error(self) -> Error {
        let e = Error::new(self.kind, self.message).with_problems(self.problems);
        if self.causes.is_empty() {
            e
        } else {
            e.with_source(Detail(self.causes.join("\ncaused by: ")))
        }
    }
}

fn write_frame(w: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    let len = u32::try_from(bytes.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a document of 4 GiB or more"))?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(bytes)
}

/// The next frame, or `None` when the other side has closed the pipe.
fn read_frame(r: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from(u32::from_le_bytes(len));
    // Read as it comes: the length is not trusted to allocate ahead.
    let mut bytes = Vec::new();
    r.take(len).read_to_end(&mut bytes)?;
    if bytes.len() as u64 == len {
        Ok(Some(bytes))
    } else {
        Err(io::ErrorKind::UnexpectedEof.into())
    }
}

fn write_json(w: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    write_frame(w, &serde_json::to_vec(value).map_err(io::Error::other)?)
}

fn read_json<T: serde::de::DeserializeOwned>(r: &mut impl Read) -> io::Result<Option<T>> {
    match read_frame(r)? {
        Some(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(io::Error::other),
        None => Ok(None),
    }
}

/// The address space the child gets: `memory`, or less when this process
/// already runs under less (a child cannot raise what it inherits).
pub fn effective_memory(memory: u64) -> u64 {
    #[cfg(target_os = "linux")]
    let inherited = {
        let now = rustix::process::getrlimit(rustix::process::Resource::As);
        [now.current, now.maximum]
    };
    #[cfg(not(target_os = "linux"))]
    let inherited: [Option<u64>; 2] = [None, None];
    inherited.into_iter().flatten().fold(memory, u64::min)
}

/// The name of a worker thread of the child: Rust names it when its stack overflows.
fn worker_name(worker: usize) -> String {
    format!("typeset-{worker}")
}
