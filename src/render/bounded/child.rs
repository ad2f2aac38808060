//! The child's side: bound itself, then typeset the jobs it is sent and say
//! how each went.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::sync::Mutex;

use super::{read_json, write_frame, write_json, Hello, Said, Sent, STEPS, WORKERS};
use crate::base::error::{Error, ErrorKind, Result};
use crate::render::{Detail, Engine, Job, Rendered};

/// Reads the hello and the jobs from `input`, typesets them within the limits
/// on a few threads, and answers on `output`. The memory limit applies to this
/// whole process: call it only in the child.
pub fn serve(dir: &Path, input: impl Read + Send, output: impl Write + Send) -> Result<()> {
    let mut input = BufReader::new(input);
    let output = Mutex::new(BufWriter::new(output));
    let broken =
        |e: std::io::Error| Error::new(ErrorKind::Io, "the typesetting process lost its parent").with_source(e);
    let Some(hello) = read_json::<Hello>(&mut input).map_err(broken)? else {
        return Ok(());
    };
    bound_self(hello.memory)?;
    let engine = match start(dir, &hello) {
        Ok(engine) => engine,
        Err(e) => {
            return tell(
                &output,
                &Said::Failed {
                    job: None,
                    error: (&e).into(),
                },
                None,
            )
            .map_err(broken)
        }
    };
    let input = Mutex::new((input, 0usize));
    let failed: Vec<std::io::Error> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                std::thread::Builder::new()
                    .name(super::worker_name(w))
                    .spawn_scoped(s, {
                        let (engine, input, output) = (&engine, &input, &output);
                        move || work(w, engine, input, output)
                    })
            })
            .collect();
        workers
            .into_iter()
            .filter_map(|h| match h {
                Ok(h) => h.join().unwrap_or(Ok(())).err(),
                Err(e) => Some(e),
            })
            .collect()
    });
    match failed.into_iter().next() {
        Some(e) => Err(broken(e)),
        None => Ok(()),
    }
}

/// The engine of the parent's templates, its template runs bounded in steps.
fn start(dir: &Path, hello: &Hello) -> Result<Engine> {
    let mut engine = Engine::new(Some(dir))?;
    if engine.fingerprint() != hello.fingerprint {
        return Err(Error::template(
            "the folder's templates changed while it was being built; build again",
        ));
    }
    engine.jinja.set_fuel(Some(STEPS));
    engine.html.set_fuel(Some(STEPS));
    Ok(engine)
}

/// One worker: takes the next job, says so, typesets it and says how it went,
/// until there are no more jobs or one fails.
fn work<R: Read, W: Write>(
    worker: usize,
    engine: &Engine,
    input: &Mutex<(BufReader<R>, usize)>,
    output: &Mutex<BufWriter<W>>,
) -> std::io::Result<()> {
    loop {
        let (job, sent) = {
            let mut next = input.lock().expect("the jobs");
            let Some(sent) = read_json::<Sent>(&mut next.0)? else {
                return Ok(());
            };
            next.1 += 1;
            (next.1 - 1, sent)
        };
        tell(output, &Said::Started { job, worker }, None)?;
        match made(engine, sent) {
            Ok(r) => {
                let said = Said::Made {
                    job,
                    warnings: r.warnings,
                    pages: r.pages,
                };
                tell(output, &said, Some(&r.pdf))?;
            }
            Err(e) => {
                let error = (&e).into();
                return tell(output, &Said::Failed { job: Some(job), error }, None);
            }
        }
    }
}

/// A job typeset; a panic in Typst is a failure of that document.
fn made(engine: &Engine, sent: Sent) -> Result<Rendered> {
    let template = crate::base::assets::BUNDLED
        .get_file(&sent.template)
        .and_then(|f| f.path().to_str())
        .ok_or_else(|| Error::template(format!("`{}` is not one of scrutiny's templates", sent.template)))?;
    let job = Job {
        template,
        output: sent.output,
        context: sent.context,
        date: sent.date,
        published: sent.published,
        fields: None,
        digest: None,
        facts: Default::default(),
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.render(&job))).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(Error::template(format!(
            "Typst stopped on an internal fault while making {} from {}",
            job.output,
            engine.template_name(job.template)
        ))
        .with_source(Detail(why)))
    })
}

/// Says one thing (and a document's bytes), whole, for one worker at a time.
fn tell<W: Write>(output: &Mutex<BufWriter<W>>, said: &Said, bytes: Option<&[u8]>) -> std::io::Result<()> {
    let mut w = output.lock().expect("the answers");
    write_json(&mut *w, said)?;
    if let Some(bytes) = bytes {
        write_frame(&mut *w, bytes)?;
    }
    w.flush()
}

/// Caps this process's address space, and has it killed with its parent.
#[cfg(target_os = "linux")]
fn bound_self(memory: u64) -> Result<()> {
    use rustix::process::{setrlimit, Resource, Rlimit, Signal};
    let cap = super::effective_memory(memory);
    let failed = |what: &str, e: rustix::io::Errno| {
        Error::new(ErrorKind::Io, format!("the typesetting process could not {what}"))
            .with_source(std::io::Error::from(e))
    };
    setrlimit(
        Resource::As,
        Rlimit {
            current: Some(cap),
            maximum: Some(cap),
        },
    )
    .map_err(|e| failed("limit its memory", e))?;
    // A parent killed outright (kill -9) takes a runaway child with it.
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL)).map_err(|e| failed("follow its parent", e))
}

/// Elsewhere only the parent's clock bounds the child.
#[cfg(not(target_os = "linux"))]
fn bound_self(_memory: u64) -> Result<()> {
    Ok(())
}
