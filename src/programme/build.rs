//! `scrutiny programme build`: the programme's documents into `DIR/out/`,
//! made as an inspection's build makes its own: in a staging folder swapped
//! into place whole, a document typeset again only when what makes it
//! changed (its data, the templates, the day it is dated, for the review the
//! children the guard looks for), and the review read by the disclosure
//! guard of every inspection before it is written.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{Datelike, Days, NaiveDate};
use schemars::JsonSchema;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::base::error::{Error, Problems, Result};
use crate::base::text::date_words;
use crate::build::out::{
    check_out_folder, link_or_copy, lock_out, manifest_entry, recover, refuse_out, staging_prefix, swap_into_place,
    write_marker, Manifest, ManifestEntry, Staging, Verified, MANIFEST, MARKER,
};
use crate::render::{Engine, Job};
use crate::rules::schedule::Step;

use super::timeline::{report_status, KEY_STEPS};
use super::Programme;

/// The documents' names in OUT.
pub const TIMELINE: &str = "timeline.pdf";
pub const REVIEW_PDF: &str = "review.pdf";
pub const REVIEW_HTML: &str = "review.html";
pub const PROGRAMME_ICS: &str = "programme.ics";
pub const CALENDARS: &str = "calendars";

/// What a build of the programme did.
#[derive(Debug)]
pub struct Built {
    pub out: PathBuf,
    /// Files written or kept.
    pub written: usize,
    /// Documents typeset by this build.
    pub typeset: usize,
    /// Documents kept as they were.
    pub unchanged: usize,
}

/// Builds the programme's documents into `root/out`, dated `today` (the
/// timeline marks it).
pub fn build(p: &Programme, today: NaiveDate, full: bool) -> Result<Built> {
    let out = p.root.join("out");
    refuse_out(&p.root, &out)?;
    let _lock = lock_out(&out)?;
    recover(&out)?;
    let verified = if full {
        Verified::new()
    } else {
        check_out_folder(&p.root, &out)?
    };
    let parent = crate::build::out::parent_of(&out);
    let tmp = Staging::new(
        tempfile::Builder::new()
            .prefix(&staging_prefix(&out))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, "create a temporary folder in", e))?,
    );
    write_marker(tmp.path(), "staging")?;
    let stage = Stage {
        dir: tmp.path(),
        files: BTreeMap::new(),
    };
    let (stage, typeset, unchanged) = stage.calendars(p)?.documents(p, today, &out, &verified)?;
    let written = stage.finish(p)?;
    swap_into_place(tmp, &out)?;
    let _ = std::fs::remove_file(out.join(MARKER));
    Ok(Built {
        out,
        written,
        typeset,
        unchanged,
    })
}

/// The staging folder and the manifest entry of each file it holds.
struct Stage<'a> {
    dir: &'a std::path::Path,
    files: BTreeMap<String, ManifestEntry>,
}

impl Stage<'_> {
    fn write(&mut self, rel: &str, bytes: &[u8], inputs: Option<String>) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create", e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, "write", e))?;
        let entry = ManifestEntry {
            inputs,
            ..manifest_entry(rel, bytes)
        };
        self.files.insert(rel.to_string(), entry);
        Ok(())
    }

    /// The programme's calendar and each inspector's: made every time (they
    /// cost less than checking whether they changed).
    fn calendars(mut self, p: &Programme) -> Result<Self> {
        self.write(PROGRAMME_ICS, super::timeline::programme_ics(p).as_bytes(), None)?;
        for (name, text) in super::timeline::inspector_ics(p) {
            self.write(&format!("{CALENDARS}/{name}"), text.as_bytes(), None)?;
        }
        Ok(self)
    }

    /// The timeline and the review, each kept from `out` when what makes it
    /// has not changed, else typeset (the review read by the guard first):
    /// the stage, then how many were typeset and kept.
    fn documents(
        mut self,
        p: &Programme,
        today: NaiveDate,
        out: &std::path::Path,
        verified: &Verified,
    ) -> Result<(Self, usize, usize)> {
        let engine = Engine::new(None)?;
        let review = super::review::review(p);
        let guards: Vec<String> = p
            .members
            .iter()
            .map(|m| crate::build::reuse::guard_fingerprint(&m.ws))
            .collect();
        let reviewed = review_date(p, today);
        let jobs = [
            job(
                "programme-timeline.typ",
                TIMELINE,
                &timeline_context(p, today),
                today,
                false,
            ),
            job("programme-review.typ", REVIEW_PDF, &review, reviewed, true),
            job("programme-review.html", REVIEW_HTML, &review, reviewed, true),
        ];
        let mut changed = Vec::new();
        for job in jobs {
            let hash = inputs(&engine, &job, &guards);
            match verified
                .get(&job.output)
                .filter(|e| e.inputs.as_deref() == Some(hash.as_str()))
            {
                Some(entry) => {
                    link_or_copy(&out.join(&entry.path), &self.dir.join(&entry.path))?;
                    self.files.insert(entry.path.clone(), entry.clone());
                }
                None => changed.push((job, hash)),
            }
        }
        let unchanged = 3 - changed.len();
        let (jobs, hashes): (Vec<Job>, Vec<String>) = changed.into_iter().unzip();
        let made = std::sync::Mutex::new(Vec::new());
        engine.render_all(&jobs, |job, r| {
            if job.published {
                guard(p, &job.output, &r.pdf, r.pages.as_ref())?;
            }
            made.lock().expect("made").push((job.output.clone(), r.pdf));
            Ok(())
        })?;
        for (output, bytes) in made.into_inner().expect("made") {
            let hash = jobs.iter().position(|j| j.output == output).map(|i| hashes[i].clone());
            self.write(&output, &bytes, hash)?;
        }
        Ok((self, jobs.len(), unchanged))
    }

    /// The manifest of what the stage holds; gives how many files it lists.
    fn finish(self, p: &Programme) -> Result<usize> {
        let manifest = Manifest {
            reference: p.name().to_string(),
            generator: format!("scrutiny {}", env!("CARGO_PKG_VERSION")),
            files: self.files.into_values().collect(),
        };
        let json = serde_json::to_vec_pretty(&manifest).expect("a serialisable manifest");
        std::fs::write(self.dir.join(MANIFEST), json).map_err(|e| Error::io(self.dir, "write the manifest in", e))?;
        Ok(manifest.files.len())
    }
}

fn job(template: &'static str, output: &str, context: &impl Serialize, date: NaiveDate, published: bool) -> Job {
    Job {
        template,
        output: output.to_string(),
        context: minijinja::Value::from_serialize(context),
        date,
        published,
        fields: None,
        digest: None,
        facts: Default::default(),
    }
}

/// The review is dated by what it reviews (the latest publication counted,
/// else the build's day), so that it is made again only when that changes.
fn review_date(p: &Programme, today: NaiveDate) -> NaiveDate {
    p.members
        .iter()
        .filter(|m| report_status(m) == "final")
        .map(|m| m.ws.schedule.day(Step::Publication))
        .max()
        .unwrap_or(today)
}

/// Everything that makes a document's bytes: the templates and fonts, the
/// program, the document's data and date, and for the review, the children
/// every inspection's guard looks for.
fn inputs(engine: &Engine, job: &Job, guards: &[String]) -> String {
    let mut h = Sha256::new();
    for part in [
        engine.fingerprint(),
        env!("CARGO_PKG_VERSION"),
        job.template,
        job.output.as_str(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.update(serde_json::to_vec(&job.context).unwrap_or_default());
    h.update(job.date.to_string().as_bytes());
    if job.published {
        for g in guards {
            h.update(g.as_bytes());
        }
        h.update(crate::guard::RULES.to_le_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The review is published: like the public report, it may name no child of
/// any inspection, and (unlike it) no person at all.
fn guard(p: &Programme, rel: &str, bytes: &[u8], pages: Option<&crate::guard::published::PageText>) -> Result<()> {
    let reading = crate::guard::published::read(rel, bytes, pages);
    let mut problems = Problems::default();
    for m in &p.members {
        m.ws.guard.check_output(rel, &reading, &[], &mut problems);
        problems.extend(m.ws.guard.contact_warnings(rel, &reading).into_iter().map(|w| {
            w.help("the review names no one: take the name out of the findings it is drawn from, or of the template")
        }));
    }
    crate::guard::refuse(rel, "would identify a child or name a person", problems)
}

/// The programme's templates for `REFERENCE.md`.
pub fn templates() -> Vec<crate::starter::reference::Extra> {
    use crate::model::schema_of;
    use crate::starter::reference::Extra;
    vec![
        Extra {
            template: "programme-timeline.typ",
            makes: "Makes `timeline.pdf` in a programme's `out/` (`scrutiny programme build`): every inspection's \
                    key dates as one chart, landscape, with today marked, the clashes, and a table of the dates.",
            schema: schema_of::<TimelineContext>(),
        },
        Extra {
            template: "programme-review.typ",
            makes: "Makes `review.pdf` in a programme's `out/`: the published inspections' evaluations by \
                    quality indicator, their evidence added up and their recommendations by indicator; the drafts \
                    counted apart. Published: it names no child and no person.",
            schema: schema_of::<super::review::Review>(),
        },
        Extra {
            template: "programme-review.html",
            makes: "Makes `review.html` in a programme's `out/`: the review as a web page.",
            schema: schema_of::<super::review::Review>(),
        },
    ]
}

/// The timeline graphic's data: days counted from the Monday of the first
/// notice's week, a tick at each month, a bar per phase, and today.
#[derive(Debug, Serialize, JsonSchema)]
struct TimelineContext {
    /// The programme's name.
    programme: String,
    /// The day the timeline marks as today (`--date`, default the day it is built).
    today: NaiveDate,
    /// Today in words: "20 May 2013".
    today_words: String,
    /// Today's place on the chart in days, when it falls within it.
    today_offset: Option<i64>,
    /// The chart's length in days, from the Monday of the first notice's week.
    days: i64,
    /// The first of each month on the chart.
    months: Vec<Tick>,
    /// One bar per inspection, in order of commencement.
    rows: Vec<Bar>,
    /// The colour key: each key date's schedule key and label.
    key: Vec<KeyEntry>,
    /// The inspections with their key dates, for the table after the chart.
    inspections: Vec<super::timeline::Row>,
    /// The programme's clashes, errors first.
    clashes: Vec<super::clashes::Clash>,
}

#[derive(Debug, Serialize, JsonSchema)]
struct Tick {
    /// Days from the chart's start.
    offset: i64,
    /// "Mar 2013".
    label: String,
}

#[derive(Debug, Serialize, JsonSchema)]
struct Bar {
    /// "Glenaird (JI-2013-07)".
    label: String,
    /// `final`, `draft`, or `none` without findings.
    report: String,
    /// From the notice to the action plan's due date, in days from the chart's start.
    start: i64,
    end: i64,
    /// Each key date.
    phases: Vec<Phase>,
}

#[derive(Debug, Serialize, JsonSchema)]
struct Phase {
    /// Its schedule key: "core".
    key: String,
    /// Its first day, and the day after its last, in days from the chart's start.
    start: i64,
    end: i64,
    /// A single day, drawn as a mark rather than a bar.
    day: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
struct KeyEntry {
    /// A schedule key: "core".
    key: String,
    /// Its label: "Core phase".
    label: String,
}

fn timeline_context(p: &Programme, today: NaiveDate) -> TimelineContext {
    let rows = super::timeline::rows(p);
    let first = rows
        .iter()
        .map(|r| r.dates[Step::Notification.key()].start)
        .min()
        .unwrap_or(today);
    let last = rows
        .iter()
        .map(|r| r.dates[Step::ActionPlanDue.key()].end)
        .max()
        .unwrap_or(today);
    let origin = first - Days::new(first.weekday().num_days_from_monday() as u64);
    let off = |d: NaiveDate| (d - origin).num_days();
    let days = off(last) + 7;
    let mut months = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(origin.year(), origin.month(), 1).unwrap_or(origin);
    while off(m) <= days {
        if off(m) >= 0 {
            months.push(Tick {
                offset: off(m),
                label: m.format("%b %Y").to_string(),
            });
        }
        m = m.checked_add_months(chrono::Months::new(1)).unwrap_or(m);
        if m.year() > last.year() + 1 {
            break;
        }
    }
    let bars = rows
        .iter()
        .map(|r| Bar {
            label: format!("{} ({})", r.area, r.reference),
            report: r.report.to_string(),
            start: off(r.dates[Step::Notification.key()].start),
            end: off(r.dates[Step::ActionPlanDue.key()].end),
            phases: KEY_STEPS
                .iter()
                .map(|s| {
                    let span = r.dates[s.key()];
                    Phase {
                        key: s.key().to_string(),
                        start: off(span.start),
                        end: off(span.end) + 1,
                        day: s.shape() == crate::rules::step::Shape::Day,
                    }
                })
                .collect(),
        })
        .collect();
    TimelineContext {
        programme: p.name().to_string(),
        today,
        today_words: date_words(today),
        today_offset: Some(off(today)).filter(|o| (0..=days).contains(o)),
        days,
        months,
        rows: bars,
        key: KEY_STEPS
            .iter()
            .map(|s| KeyEntry {
                key: s.key().to_string(),
                label: s.label().to_string(),
            })
            .collect(),
        inspections: rows,
        clashes: p.clashes(),
    }
}
