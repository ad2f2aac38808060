//! The rendering engine shared by every document kind: minijinja turns the
//! model into Typst source, embedded Typst typesets it, typst-pdf writes a
//! tagged PDF/UA-1 file.

pub mod bounded;
pub mod sourcemap;
pub mod world;

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, NaiveDate};
use typst::diag::SourceDiagnostic;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::base::error::{Error, Problem, Result};
use crate::guard::published::PageText;
use world::DocWorld;
pub use world::Engine;

/// How many of Typst's errors for one document are shown.
const MAX_DIAGNOSTICS: usize = 3;

/// One document to make.
#[derive(Debug, Clone)]
pub struct Job {
    /// The template, e.g. `notice.typ`.
    pub template: &'static str,
    /// The output path relative to `out/`, e.g. `notice/glenaird-council-chief-executive.pdf`.
    pub output: String,
    /// The data the template sees.
    pub context: minijinja::Value,
    /// The document's date: Typst's `today()` and the PDF's creation date.
    pub date: NaiveDate,
    /// A published document: the text of its pages is given back for the
    /// disclosure guard. Set by the build for everything the partnership receives.
    pub published: bool,
    /// A form: the fields its marked boxes become (see [`crate::formats::form`]).
    pub fields: Option<std::sync::Arc<Vec<crate::formats::form::FieldSpec>>>,
    /// A SHA-256 of `context`, when its maker knows it: cheaper than
    /// serialising the context again (a build hashes every document's inputs).
    pub digest: Option<[u8; 32]>,
    /// What the document states (its dates, its recipient, the children it
    /// lists), as the module of `docs/` that planned it says: what
    /// `scrutiny issue` records and a reissue compares. Not typeset.
    pub facts: crate::model::facts::Facts,
}

impl Job {
    /// The job with `more` on top of its context (and its digest kept up to date).
    pub fn with(mut self, more: &impl serde::Serialize) -> Job {
        use sha2::{Digest, Sha256};
        self.digest = self.digest.map(|d| {
            Sha256::new()
                .chain_update(d)
                .chain_update(serde_json::to_vec(more).unwrap_or_default())
                .finalize()
                .into()
        });
        self.context = minijinja::value::merge_maps([self.context, minijinja::Value::from_serialize(more)]);
        self
    }
}

/// A typeset document.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The document's bytes: a PDF, or the page of an `.html` template.
    pub pdf: Vec<u8>,
    /// Typst's warnings (an unknown font in a workspace template, say).
    pub warnings: Vec<Problem>,
    /// The text of its pages, for a published document.
    pub pages: Option<PageText>,
}

/// A plain-text cause, for `caused by:` lines.
#[derive(Debug)]
pub struct Detail(pub String);

impl std::fmt::Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::base::text::printable(self.0.trim_end()))
    }
}

impl std::error::Error for Detail {}

impl Engine {
    /// The Typst source a job's template produces.
    pub fn source(&self, job: &Job) -> Result<String> {
        let name = self.template_name(job.template);
        // An HTML template is escaped for HTML; every other one for Typst.
        let env = if job.template.ends_with(".html") {
            &self.html
        } else {
            &self.jinja
        };
        let tmpl = env.get_template(job.template).map_err(|e| {
            Error::template(format!("could not load the template {name}")).with_source(Detail(format!("{e:#}")))
        })?;
        tmpl.render(&job.context).map_err(|e| {
            let fail = Error::template(format!("the template {name} failed while making {}", job.output));
            let problem = self.template_text(job.template).map(|src| {
                let p = template_problem(&name, src, &e, &job.context);
                match e.kind() {
                    minijinja::ErrorKind::OutOfFuel => out_of_steps(p, src),
                    _ => p,
                }
            });
            match problem {
                Some(p) => fail.with_problems(vec![p]),
                None => fail.with_source(Detail(format!("{e:#}"))),
            }
        })
    }

    /// Typesets one job into PDF bytes, with Typst's warnings; an `.html`
    /// template gives the page itself.
    pub fn render(&self, job: &Job) -> Result<Rendered> {
        match self.bounds_needed() {
            Some(bounds) => bounded::render_one(self, bounds, job),
            None => self.render_here(job),
        }
    }

    /// The bounds to typeset within, when the folder has templates of its own.
    fn bounds_needed(&self) -> Option<&bounded::Bounds> {
        self.bounds.as_ref().filter(|_| !self.own_templates().is_empty())
    }

    /// Typesets one job in this process.
    fn render_here(&self, job: &Job) -> Result<Rendered> {
        if job.template.ends_with(".html") {
            return self.render_html(job);
        }
        let text = self.source(job)?;
        let world = DocWorld::new(self, job.template, text, job.date)?;
        let fail = |diags: &[SourceDiagnostic]| {
            // One unclosed bracket can give a hundred errors: the first few say what to fix.
            let shown = diags.len().min(MAX_DIAGNOSTICS);
            let of = if diags.len() > shown {
                format!(
                    "; the first {shown} of its {} errors (often the rest follow from them: fix these and build again)",
                    diags.len()
                )
            } else {
                String::new()
            };
            Error::template(format!(
                "could not typeset {} from {}{of}",
                job.output,
                self.template_name(job.template)
            ))
            .with_problems(self.problems(&world, job, &diags[..shown]))
        };
        let compiled = typst::compile::<PagedDocument>(&world);
        let warnings = self.problems(&world, job, &compiled.warnings);
        let doc = compiled.output.map_err(|d| fail(&d))?;
        let pdf = typst_pdf::pdf(&doc, &pdf_options(&job.output, job.date)).map_err(|d| fail(&d));
        let pages = job.published.then(|| {
            let mut text = PageText::default();
            for p in doc.pages() {
                page_text(&p.frame, &mut text);
            }
            text
        });
        // Typst's memo cache keeps what the last document used and drops the
        // rest: the next letter reuses its shared parts (letterhead, standard
        // paragraphs), and memory stays bounded. Measured with callgrind on 113
        // letters: 5% fewer instructions than clearing it (evict(0)), and fewer
        // than never clearing it, whose lookups cost more than they save.
        comemo::evict(self.memo_age);
        Ok(Rendered {
            pdf: pdf?,
            warnings,
            pages,
        })
    }

    /// An HTML page from its template.
    fn render_html(&self, job: &Job) -> Result<Rendered> {
        let mut page = self.source(job)?;
        // The page is held until it is written: no more than it needs.
        page.shrink_to_fit();
        // The guard reads the page itself, tags, attributes and all.
        Ok(Rendered {
            pdf: page.into_bytes(),
            warnings: Vec::new(),
            pages: None,
        })
    }

    /// Typst's diagnostics as problems: those in the document's own template at
    /// the template's line and text, the rest (e.g. in `house.typ`) where Typst puts them.
    fn problems(&self, world: &DocWorld, job: &Job, diags: &[SourceDiagnostic]) -> Vec<Problem> {
        if diags.is_empty() {
            return Vec::new();
        }
        let name = self.template_name(job.template);
        let map = self
            .template_text(job.template)
            .and_then(|src| Some((src, sourcemap::line_map(&self.jinja, job.template, src, &job.context)?)));
        diags
            .iter()
            .map(|d| {
                sourcemap::in_markdown(world, d)
                    .or_else(|| {
                        map.as_ref()
                            .and_then(|(src, m)| sourcemap::at_template(world, &name, src, m, d))
                    })
                    .unwrap_or_else(|| {
                        let p = sourcemap::elsewhere(world, d);
                        if d.span.id() == Some(world.main.id()) && p.help.is_none() {
                            p.help(
                                "the line is that of the template with its {{ }} and {% %} tags filled in; \
                                 after a {% for %} loop it can be later than in the template itself",
                            )
                        } else {
                            p
                        }
                    })
            })
            .fold(Vec::new(), |mut out: Vec<Problem>, p| {
                // Typst may report one fault several times: say it once.
                if !out.contains(&p) {
                    out.push(p);
                }
                out
            })
    }

    /// Renders every job on the worker threads of rayon's pool, one job after
    /// another on each, handing each PDF to `sink` as it is made. Typst lays
    /// out a document's pages with rayon too: from a thread outside the pool
    /// each layout would be handed to a pool thread while the caller waits
    /// (twice a letter, for its two layout passes); inside it, it runs on the
    /// same thread. Returns the first error after every worker has stopped. A
    /// bounded engine typesets the folder's own templates in a child process
    /// instead (see [`bounded`]), and hands each PDF to `sink` on this thread.
    pub fn render_all<F>(&self, jobs: &[Job], sink: F) -> Result<()>
    where
        F: Fn(&Job, Rendered) -> Result<()> + Sync,
    {
        if let Some(bounds) = self.bounds_needed() {
            return bounded::render_all(self, bounds, jobs, sink);
        }
        let workers = rayon::current_num_threads().min(jobs.len()).max(1);
        let next = AtomicUsize::new(0);
        let failed = std::sync::atomic::AtomicBool::new(false);
        let errors = std::sync::Mutex::new(Vec::new());
        rayon::scope(|s| {
            for _ in 0..workers {
                s.spawn(|_| loop {
                    if failed.load(Ordering::Relaxed) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { return };
                    if let Err(e) = self.render_here(job).and_then(|r| sink(job, r)) {
                        failed.store(true, Ordering::Relaxed);
                        errors.lock().expect("errors").push(e);
                        return;
                    }
                });
            }
        });
        let errors = errors.into_inner().expect("errors");
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// The text a page shows: its body in reading order (runs on one line
/// separated by [`RUN`](crate::guard::published::RUN), lines by `\n`), and
/// apart from it the running headers, footers and backgrounds, so that a page
/// break cannot split a name with a footer and a header.
fn page_text(frame: &typst::layout::Frame, text: &mut PageText) {
    let mut w = Runs::default();
    w.walk(frame, typst::layout::Point::zero());
    text.body.push(w.body);
    text.furniture.push_str(&w.furniture);
    text.furniture.push('\n');
    text.stored.push_str(&w.stored);
    text.seen.push(seen(w.placed));
    text.unseen.extend(w.unseen);
}

/// The runs a reader can see, by where they stand on the page: line by line
/// from the top (a baseline within half a point is the same line), each line
/// from the left, whatever order they were drawn in.
fn seen(mut placed: Vec<(f64, f64, String)>) -> String {
    placed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out = String::new();
    let mut line: Option<f64> = None;
    for (y, _, run) in placed {
        match line {
            Some(top) if (y - top).abs() < 0.5 => out.push(crate::guard::published::RUN),
            Some(_) => {
                out.push('\n');
                line = Some(y);
            }
            None => line = Some(y),
        }
        out.push_str(&run);
    }
    out
}

/// The smallest text a reader can read, in points.
const SMALLEST_TEXT: f64 = 3.0;

/// Why a run of text cannot be seen, if it cannot: too small, clear, or
/// white (which can be seen on a colour, but not on the page).
fn unseen(t: &typst::text::TextItem) -> Option<&'static str> {
    let size = t.size.to_pt();
    if size < SMALLEST_TEXT {
        return Some("smaller than 3 points");
    }
    match &t.fill {
        typst::visualize::Paint::Solid(c) => {
            let rgb = c.to_rgb();
            if rgb.alpha < 0.05 {
                Some("clear")
            } else if rgb.red > 0.97 && rgb.green > 0.97 && rgb.blue > 0.97 {
                Some("white")
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A text run's characters in the order its glyphs are drawn, left to right:
/// what a reader sees and what other software reads from the PDF.
fn drawn(t: &typst::text::TextItem) -> String {
    let mut out = String::with_capacity(t.text.len());
    let mut last = None;
    for g in &t.glyphs {
        let range = g.range();
        if last.as_ref() != Some(&range) {
            out.push_str(t.text.get(range.clone()).unwrap_or_default());
        }
        last = Some(range);
    }
    out
}

#[derive(Default)]
struct Runs {
    body: String,
    furniture: String,
    /// Runs stored in another order than they are drawn.
    stored: String,
    line: Option<f64>,
    /// The artifacts (headers, footers, backgrounds) being read.
    artifacts: Vec<typst::introspection::Location>,
    /// The runs a reader can see, each with its baseline and left edge.
    placed: Vec<(f64, f64, String)>,
    /// Runs no reader can see, in words: "\"Hamish\" (smaller than 3 points)".
    unseen: Vec<String>,
}

impl Runs {
    fn walk(&mut self, frame: &typst::layout::Frame, at: typst::layout::Point) {
        use typst::introspection::Tag;
        use typst::layout::{FrameItem, Point};
        for (pos, item) in frame.items() {
            let pos = at + *pos;
            match item {
                FrameItem::Group(g) => self.walk(&g.frame, pos + Point::new(g.transform.tx, g.transform.ty)),
                FrameItem::Tag(Tag::Start(elem, _)) if elem.is::<typst::pdf::ArtifactElem>() => {
                    self.artifacts.extend(elem.location());
                }
                FrameItem::Tag(Tag::End(loc, ..)) if self.artifacts.last() == Some(loc) => {
                    self.artifacts.pop();
                }
                FrameItem::Text(t) if !self.artifacts.is_empty() => {
                    self.furniture.push_str(&drawn(t));
                    self.furniture.push('\n');
                }
                FrameItem::Text(t) => {
                    let shown = drawn(t);
                    // Text whose letters are drawn in another order than they
                    // are stored (turned around by a control character): both.
                    if shown != t.text.as_str() {
                        self.stored.push_str(&t.text);
                        self.stored.push('\n');
                    }
                    let y = pos.y.to_pt();
                    match unseen(t) {
                        // White text may stand on a colour: it is read, but not as seen.
                        Some("white") => {}
                        Some(why) => self
                            .unseen
                            .push(format!("\"{}\" ({why})", crate::base::text::cut(&shown))),
                        _ => self.placed.push((y, pos.x.to_pt(), shown.clone())),
                    }
                    match self.line {
                        // A baseline within half a point: the same line.
                        Some(prev) if (prev - y).abs() < 0.5 => self.body.push(crate::guard::published::RUN),
                        Some(_) => self.body.push('\n'),
                        None => {}
                    }
                    self.line = Some(y);
                    self.body.push_str(&shown);
                }
                _ => {}
            }
        }
    }
}

/// A template error at its line and column, naming an undefined variable and
/// the nearest one that exists.
fn template_problem(name: &str, src: &str, e: &minijinja::Error, ctx: &minijinja::Value) -> Problem {
    let mut p = Problem::new(name, e.detail().map_or_else(|| e.kind().to_string(), str::to_string));
    if let Some(range) = e.range().filter(|r| r.end <= src.len()) {
        let (line, column) = crate::base::text::line_col(src, range.start);
        let text = src.lines().nth(line - 1).unwrap_or("");
        let width = src[range.clone()].lines().next().unwrap_or("").chars().count();
        p = p.at(line, column).excerpt(text, width);
        if e.kind() == minijinja::ErrorKind::UndefinedError {
            let (message, help) = undefined(src[range].trim(), ctx);
            p = p.message(message).help(help);
        }
    } else if let Some(line) = e.line() {
        p = p.line(line);
    }
    p
}

/// A template that ran out of steps (see [`bounded::STEPS`]), its line shown
/// even when minijinja knows only the line (the end of a loop, say).
fn out_of_steps(p: Problem, src: &str) -> Problem {
    let p = match (p.line, &p.excerpt) {
        (Some(line), None) => {
            let text = src.lines().nth(line.saturating_sub(1)).unwrap_or("");
            p.excerpt(text, text.chars().count())
        }
        _ => p,
    };
    p.message(format!(
        "the template took more than {} steps to fill in its tags",
        crate::base::text::thousands(bounded::STEPS as usize)
    ))
    .help("look for a {% for %} loop that runs far more often than intended, or one inside another")
}

/// For `inspection.aera`: "`inspection` has no `aera`" and "did you mean `area`?".
fn undefined(expr: &str, ctx: &minijinja::Value) -> (String, String) {
    // The variable path at the start of the expression: `a.b.c` in `a.b.c|date`.
    let path: String = expr
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    let parts: Vec<&str> = path.split('.').filter(|p| !p.is_empty()).collect();
    let mut value = ctx.clone();
    for (n, part) in parts.iter().enumerate() {
        let next = value.get_attr(part).unwrap_or_default();
        if !next.is_undefined() {
            value = next;
            continue;
        }
        let keys: Vec<String> = value
            .try_iter()
            .map(|it| it.map(|k| k.to_string()).collect())
            .unwrap_or_default();
        let guess = crate::base::error::did_you_mean(part, keys.iter().map(String::as_str));
        let owner = match n {
            0 => "this template has no variable".to_string(),
            _ => format!("`{}` has no", parts[..n].join(".")),
        };
        let help = match guess {
            Some(k) => format!("did you mean `{k}`?"),
            // Most likely a {% for %} variable, which the context does not hold.
            None if n == 0 => {
                "check the spelling; a loop variable has the names of the items it loops over".to_string()
            }
            None => format!("the names there are: {}", keys.join(", ")),
        };
        return (format!("undefined value: {owner} `{part}` (in `{expr}`)"), help);
    }
    (
        format!("undefined value in `{expr}`"),
        "a variable set in a {% for %} or {% set %} is known only inside it".to_string(),
    )
}

/// Tagged PDF/UA-1 with a fixed creation date, so the same inputs give the same bytes.
fn pdf_options(output: &str, date: NaiveDate) -> PdfOptions {
    let datetime =
        Datetime::from_ymd_hms(date.year(), date.month() as u8, date.day() as u8, 9, 0, 0).expect("a calendar date");
    PdfOptions {
        ident: Smart::Custom(format!("scrutiny/{output}")),
        creator: Smart::Custom(Some("scrutiny".into())),
        timestamp: Some(Timestamp::new_utc(datetime)),
        page_ranges: None,
        standards: PdfStandards::new(&[PdfStandard::Ua_1]).expect("PDF/UA-1 alone is a valid set"),
        tagged: true,
        pretty: false,
    }
}
