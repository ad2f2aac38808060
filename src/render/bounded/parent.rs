//! The parent's side: start the child, send it the jobs, hand each document
//! made to the sink, and stop the child when a document goes beyond a limit.

use std::collections::BTreeMap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use super::{
    effective_memory, read_frame, read_json, write_json, Bounds, Hello, Said, SentRef, TYPESET_COMMAND, WORKERS,
};
use crate::base::error::{Error, Problem, Result};
use crate::render::{Detail, Engine, Job, Rendered};

/// Renders `jobs` in a bounded child, handing each document to `sink` as it
/// arrives. Returns the first error, the child stopped.
pub(in crate::render) fn render_all<F>(engine: &Engine, bounds: &Bounds, jobs: &[Job], sink: F) -> Result<()>
where
    F: Fn(&Job, Rendered) -> Result<()> + Sync,
{
    if jobs.is_empty() {
        return Ok(());
    }
    let mut child = spawn(engine, bounds)?;
    let (Some(stdin), Some(stdout), Some(stderr)) = (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        return Err(Error::template("could not talk to the typesetting process"));
    };
    let hello = Hello {
        fingerprint: engine.fingerprint().to_string(),
        memory: bounds.memory,
    };
    std::thread::scope(|s| {
        s.spawn(move || send(stdin, &hello, jobs));
        let said = s.spawn(move || tail(stderr));
        // A few documents in hand at most: a child faster than the sink waits.
        let (tx, rx) = mpsc::sync_channel(WORKERS * 2);
        s.spawn(move || hear(stdout, &tx));
        let outcome = follow(bounds.per_document, jobs.len(), &rx, |i, r| sink(&jobs[i], r));
        if outcome.is_err() {
            let _ = child.kill();
        }
        let status = child.wait().ok();
        let stderr = said.join().unwrap_or_default();
        outcome.map_err(|stop| stopped(engine, bounds, jobs, stop, status, &stderr))
    })
}

/// One document, made by a child of its own.
pub(in crate::render) fn render_one(engine: &Engine, bounds: &Bounds, job: &Job) -> Result<Rendered> {
    let made = std::sync::Mutex::new(None);
    render_all(engine, bounds, std::slice::from_ref(job), |_, r| {
        *made.lock().expect("one document") = Some(r);
        Ok(())
    })?;
    made.into_inner()
        .expect("one document")
        .ok_or_else(|| Error::template(format!("the typesetting process did not make {}", job.output)))
}

fn spawn(engine: &Engine, bounds: &Bounds) -> Result<Child> {
    let dir = engine
        .workspace()
        .ok_or_else(|| Error::template("only an inspection folder's own templates are typeset apart"))?;
    Command::new(&bounds.program)
        .arg(TYPESET_COMMAND)
        .arg(dir)
        // glibc reserves 64 MiB of address space for each thread's arena: with
        // one, the cap bounds the heap itself (measured: no slower on two workers).
        .env("MALLOC_ARENA_MAX", "1")
        // Typst's thread pool no larger than the workers: each stack counts too.
        .env("RAYON_NUM_THREADS", WORKERS.to_string())
        // The child's last words are read for the cause, not its backtrace.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io(&bounds.program, "start the typesetting process", e))
}

/// Sends the hello and every job, as fast as the child reads them.
fn send(stdin: ChildStdin, hello: &Hello, jobs: &[Job]) {
    let mut w = BufWriter::new(stdin);
    // A child that stops reading has ended, and says why on its own.
    let _ = write_json(&mut w, hello).and_then(|()| {
        for job in jobs {
            write_json(&mut w, &SentRef::of(job))?;
            w.flush()?;
        }
        w.flush()
    });
}

/// Passes on what the child says, with each made document's bytes, until it ends.
fn hear(stdout: ChildStdout, tx: &SyncSender<(Said, Vec<u8>)>) {
    let mut r = BufReader::new(stdout);
    while let Ok(Some(said)) = read_json::<Said>(&mut r) {
        let bytes = match said {
            Said::Made { .. } => match read_frame(&mut r) {
                Ok(Some(bytes)) => bytes,
                _ => return,
            },
            _ => Vec::new(),
        };
        if tx.send((said, bytes)).is_err() {
            return;
        }
    }
}

/// The last few kilobytes the child wrote on its standard error.
fn tail(mut r: impl Read) -> String {
    const KEPT: usize = 8 << 10;
    let (mut kept, mut buf) = (Vec::new(), [0u8; 4096]);
    while let Ok(n @ 1..) = r.read(&mut buf) {
        kept.extend_from_slice(&buf[..n]);
        if kept.len() > 2 * KEPT {
            kept.drain(..kept.len() - KEPT);
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// Why the child was stopped or stopped.
enum Stop {
    /// An error of the child's own (a template's, located) or of the sink.
    Failed(Error),
    /// The `job`th job took too long.
    Late(usize),
    /// The child began no job in time.
    Idle,
    /// The child ended with these jobs under way: (job, worker).
    Ended(Vec<(usize, usize)>),
}

/// Follows the child until every job is made, giving each to `made`, or
/// until a job fails or takes longer than `per`.
fn follow(
    per: Duration,
    total: usize,
    rx: &Receiver<(Said, Vec<u8>)>,
    mut made: impl FnMut(usize, Rendered) -> Result<()>,
) -> std::result::Result<(), Stop> {
    let mut running: BTreeMap<usize, (Instant, usize)> = BTreeMap::new();
    let (mut done, mut last) = (0, Instant::now());
    while done < total {
        let since = running.values().map(|(t, _)| *t).min().unwrap_or(last);
        let left = (since + per).saturating_duration_since(Instant::now());
        let (said, pdf) = match rx.recv_timeout(left) {
            Ok(heard) => heard,
            Err(RecvTimeoutError::Timeout) => {
                let late = running.iter().min_by_key(|(_, (t, _))| *t).map(|(j, _)| *j);
                return Err(late.map_or(Stop::Idle, Stop::Late));
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Stop::Ended(running.iter().map(|(j, (_, w))| (*j, *w)).collect()));
            }
        };
        last = Instant::now();
        match said {
            Said::Started { job, worker } if job < total => {
                running.insert(job, (last, worker));
            }
            Said::Made { job, warnings, pages } if running.remove(&job).is_some() => {
                done += 1;
                made(job, Rendered { pdf, warnings, pages }).map_err(Stop::Failed)?;
            }
            Said::Failed { error, .. } => return Err(Stop::Failed(error.into_error())),
            // Nothing the parent asked for: the child ends and is reported then.
            _ => {}
        }
    }
    Ok(())
}

/// The error for a stopped child: which limit was reached, while making which
/// document, from which template.
fn stopped(
    engine: &Engine,
    bounds: &Bounds,
    jobs: &[Job],
    stop: Stop,
    status: Option<ExitStatus>,
    stderr: &str,
) -> Error {
    let secs = bounds.per_document.as_secs();
    let (blamed, why) = match stop {
        Stop::Failed(e) => return e,
        Stop::Late(j) => (
            vec![&jobs[j]],
            format!("took longer than the {secs} seconds a document may take"),
        ),
        Stop::Idle => {
            return Error::template(format!(
                "the typesetting process began no document within {secs} seconds; nothing was written"
            ))
            .with_source(Detail(last_words(stderr)))
        }
        Stop::Ended(running) => {
            let (why, worker) = cause(bounds, status, stderr);
            let named: Vec<&Job> = running
                .iter()
                .filter(|(_, w)| worker.is_none_or(|n| n == *w))
                .map(|(j, _)| &jobs[*j])
                .collect();
            (named, why)
        }
    };
    let made = if blamed.is_empty() {
        "the documents".to_string()
    } else {
        blamed
            .iter()
            .map(|j| j.output.as_str())
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let mut e = Error::template(format!(
        "could not make {made}: its typesetting {why}; nothing was written"
    ))
    .with_problems(culprits(engine, bounds, &blamed, &why));
    let words = last_words(stderr);
    if !words.is_empty() {
        e = e.with_source(Detail(words));
    }
    e
}

/// What stopped the child (to follow "its typesetting"), and which worker
/// when its last words say.
fn cause(bounds: &Bounds, status: Option<ExitStatus>, stderr: &str) -> (String, Option<usize>) {
    let worker = (0..WORKERS).find(|w| stderr.contains(&format!("thread '{}'", super::worker_name(*w))));
    let mib = effective_memory(bounds.memory) >> 20;
    // Rust's words for a failed allocation, and a compressor's (flate2 asserts
    // that its buffers were allocated).
    let memory = ["memory allocation of", "capacity overflow", "MemError", "out of memory"];
    let why = if memory.iter().any(|m| stderr.contains(m)) {
        format!("needed more than the {mib} MiB of memory a document may use")
    } else if stderr.contains("overflowed its stack") {
        "nested too deeply and ran out of stack".to_string()
    } else {
        match status.map(|s| (s.code(), signal(s))) {
            Some((_, Some(9))) => {
                format!("was stopped by the system, most often for want of memory (a document may use {mib} MiB)")
            }
            Some((_, Some(n))) => format!("crashed (signal {n})"),
            Some((Some(code), _)) => format!("stopped unexpectedly (exit code {code})"),
            _ => "stopped unexpectedly".to_string(),
        }
    };
    (why, worker)
}

#[cfg(unix)]
fn signal(status: ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(&status)
}

#[cfg(not(unix))]
fn signal(_: ExitStatus) -> Option<i32> {
    None
}

/// The templates to look at: a blamed document's own template when it is the
/// folder's, else (a built-in template using one of them) each of the folder's.
fn culprits(engine: &Engine, bounds: &Bounds, blamed: &[&Job], why: &str) -> Vec<Problem> {
    let help = format!(
        "look for a loop that does not end, a value that keeps doubling, or a function that calls itself; \
         a document made with the folder's own templates may take {} seconds and {} MiB of memory",
        bounds.per_document.as_secs(),
        effective_memory(bounds.memory) >> 20
    );
    let own = engine.own_templates();
    let mut problems: Vec<Problem> = Vec::new();
    for job in blamed {
        let message = if own.iter().any(|t| t == job.template) {
            vec![(
                job.template,
                format!("typesetting {} from this template {why}", job.output),
            )]
        } else {
            own.iter()
                .map(|t| {
                    let from = engine.template_name(job.template);
                    let m = format!(
                        "typesetting {} (from {from}, which may use this template) {why}",
                        job.output
                    );
                    (t.as_str(), m)
                })
                .collect()
        };
        for (t, m) in message {
            let name = engine.template_name(t);
            if !problems.iter().any(|p| p.file == name) {
                problems.push(Problem::new(name, m).help(help.clone()));
            }
        }
    }
    problems
}

/// The child's last words, without Rust's notes about backtraces.
fn last_words(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("note:") && !l.contains("backtrace"))
        .collect();
    let from = lines.len().saturating_sub(4);
    lines[from..]
        .iter()
        .map(|l| crate::base::text::cut(l))
        .collect::<Vec<_>>()
        .join("\n")
}

impl<'a> SentRef<'a> {
    fn of(job: &'a Job) -> SentRef<'a> {
        SentRef {
            template: job.template,
            output: &job.output,
            context: &job.context,
            date: job.date,
            published: job.published,
        }
    }
}
