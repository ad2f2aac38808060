//! Command-line arguments. The doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

const AFTER_HELP: &str = "\
An inspection is a folder of plain files: inspection.toml (the area, dates,
people and settings), contacts.csv (who receives letters and holds records) and
population.csv (every child in the five sampling categories), and, for the
report, the report writers' findings/ folder. Start a real inspection with
`scrutiny new DIR` (then `scrutiny check DIR` says what to fill first), or
look at the worked example made by `scrutiny init my-inspection`; edit the
files, then `scrutiny check` and `scrutiny build`.

Exit codes:
  0  success
  1  the inspection folder has problems (each is listed with its file, line
     and column), or a template failed (one of the folder's own templates
     may take 10 seconds and 256 MiB of memory a document)
  2  a file or folder could not be read or written, the command line was wrong,
     or a build refused to replace files in OUT that scrutiny did not make";

/// Makes every formal document of a joint inspection of services for children
/// in Scotland: the 12-week notice, the schedule, briefings, the sample and
/// records requests, position statement requests, the public report (PDF and
/// web page) and the record of inspection findings, and the joint action plan
/// (a fillable form and a workbook), typeset as accessible PDFs.
#[derive(Debug, Parser)]
#[command(name = "scrutiny", version, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a new inspection folder holding a complete worked example
    /// (a fictional council with synthetic children) to edit.
    #[command(after_help = "Example:\n  scrutiny init my-inspection\n  scrutiny build my-inspection")]
    Init {
        /// The folder to create; it must not exist or must be empty.
        dir: PathBuf,
    },
    /// Create a new inspection folder for a real inspection: inspection.toml
    /// with every setting explained and nothing filled in, contacts.csv and
    /// population.csv with their first line only. `scrutiny check` then says
    /// what to fill first.
    #[command(after_help = "Example:\n  scrutiny new glenaird-2013\n  scrutiny check glenaird-2013")]
    New {
        /// The folder to create; it must not exist or must be empty.
        dir: PathBuf,
    },
    /// Copy the built-in templates into DIR/templates to restyle or reword the
    /// documents: a file there replaces the built-in one of the same name
    /// (house.typ holds the letterhead, page furniture and typography, with named
    /// settings for colours, font and sizes). Existing files are never
    /// overwritten. Also writes DIR/templates/REFERENCE.md: every variable each
    /// template may use, with its meaning and an example value.
    #[command(
        after_help = "Example:\n  scrutiny templates my-inspection\n  (edit my-inspection/templates/house.typ, then)\n  scrutiny build my-inspection"
    )]
    Templates {
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Check an inspection folder and list every problem at once, or print a
    /// one-line summary when all is well. Writes nothing.
    #[command(after_help = "Example:\n  scrutiny check my-inspection")]
    Check {
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Show the inspection's timeline: every step on working days (Scottish
    /// bank holidays and the folder's own holidays excluded).
    /// Dates fixed by what was sent (see `scrutiny issue`) keep their dates.
    #[command(
        after_help = "Examples:\n  scrutiny schedule my-inspection\n  scrutiny schedule my-inspection --json\n  scrutiny schedule my-inspection --ics > glenaird.ics"
    )]
    Schedule {
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Print JSON with ISO dates, for scripts.
        #[arg(long, conflicts_with = "ics")]
        json: bool,
        /// Print an iCalendar file (RFC 5545) of every step, all-day events,
        /// for the team's calendars: importing a later one updates the events.
        #[arg(long)]
        ics: bool,
    },
    /// What is due, overdue and awaited on a day (today by default): every
    /// step with its state (done, sent, due within the week, overdue with the
    /// working days late, awaited, received), then what went out and when.
    #[command(
        after_help = "Examples:\n  scrutiny status my-inspection\n  scrutiny status my-inspection --date 2013-02-11 --json"
    )]
    Status {
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The day to look from, as YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Print JSON: [{"key", "label", "date", "state", "late_days"}].
        #[arg(long)]
        json: bool,
    },
    /// Record in DIR/received.toml that something came back: KEY is one of
    /// population_list, position_statements, self_evaluation,
    /// requests_confirmed, survey_closed, comments, action_plan.
    /// `scrutiny status` then shows it received.
    #[command(
        after_help = "Examples:\n  scrutiny received population_list my-inspection --date 2013-02-04\n  scrutiny received position_statements my-inspection --from lead-2"
    )]
    Received {
        /// What came back.
        key: String,
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Who sent it (a contacts.csv id, or a name), when several send one each.
        #[arg(long, value_name = "ID")]
        from: Option<String>,
        /// The day it came, as YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Draw the statistically valid sample into OUT/sample: sample.csv
    /// (case_ref,category,protection) and rationale.pdf, which explains it.
    /// Once the records requests are issued (or with --keep) the sample is
    /// kept in DIR/sample.csv and read from there: children added to
    /// population.csv later are not sampled.
    #[command(
        after_help = "Examples:\n  scrutiny sample my-inspection\n  scrutiny sample my-inspection --keep\n  scrutiny sample my-inspection --replace GL-200056\n  scrutiny sample my-inspection --redraw"
    )]
    Sample {
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where to write [default: DIR/out].
        #[arg(long, value_name = "OUT")]
        out: Option<PathBuf>,
        /// Keep the sample as drawn in DIR/sample.csv (issuing the requests does this too).
        #[arg(long)]
        keep: bool,
        /// Replace this sampled child (a case reference), who has left the
        /// population, with one drawn from the same category; recorded in
        /// sample.csv's `replaces` column.
        #[arg(long, value_name = "REF", conflicts_with = "redraw")]
        replace: Option<String>,
        /// Draw the sample again from population.csv as it is now, keep the
        /// new draw, and list the request letters sent that it makes wrong.
        #[arg(long)]
        redraw: bool,
    },
    /// Make the documents. Everything is written to a temporary folder first and
    /// replaces OUT only when the whole build succeeds, so a failed build
    /// leaves the previous documents untouched.
    #[command(
        after_help = "Examples:\n  scrutiny build my-inspection\n  scrutiny build my-inspection --only report\n  scrutiny build my-inspection --out /tmp/glenaird-documents"
    )]
    Build {
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where to write the documents [default: DIR/out].
        #[arg(long, value_name = "OUT")]
        out: Option<PathBuf>,
        /// Rebuild only this output folder (repeatable); the other folders in
        /// OUT are kept as they were.
        #[arg(long, value_name = "KIND", long_help = only_help())]
        only: Vec<String>,
        /// Typeset every document again. Without it, a document whose inputs
        /// (its data, templates and pictures) have not changed since the last
        /// build keeps the bytes it has in OUT, so a small edit rebuilds in moments.
        #[arg(long)]
        full: bool,
        /// Print nothing but errors (no progress, no summary, no warnings).
        #[arg(long, short)]
        quiet: bool,
        /// The day a new version of a document already sent is dated (the
        /// day it will be sent), as YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Record what was sent: builds (so that OUT matches the folder), then
    /// writes DIR/issued/<DATE>.json listing each document of OUT dated on or
    /// before DATE (or of the kinds named) with its recipient, its SHA-256 and
    /// the facts it states (dates, names, addresses, the children a request
    /// lists), and keeps a copy of each in DIR/issued/<DATE>/. What was sent
    /// fixes the dates it bore: a later change moves only what is to come. Every later
    /// build compares with what was sent: a sent document that now says
    /// something else is listed in OUT/reissue.csv and its new version begins
    /// "This letter replaces our letter of ..." with what changed.
    #[command(after_help = "Examples:
  scrutiny issue my-inspection --only notice --date 2012-12-10
  scrutiny issue my-inspection --only requests --only position-statements
  scrutiny issue my-inspection --accept notice/nhs-glenaird-chief-executive.pdf")]
    Issue {
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The day the documents were sent, as YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Record only this output folder's documents (repeatable), whatever
        /// their dates. Without it, the documents dated on or before DATE.
        #[arg(long, value_name = "KIND", long_help = only_help())]
        only: Vec<String>,
        /// Record that this document (a path listed in OUT/reissue.csv), changed
        /// since it was sent, needs no new version as it stands (repeatable).
        /// Nothing is recorded as sent.
        #[arg(long, value_name = "PATH")]
        accept: Vec<String>,
        /// The output folder the documents were sent from [default: DIR/out].
        #[arg(long, value_name = "OUT")]
        out: Option<PathBuf>,
    },
    /// The joint action plan the CPP returns: `import` reads the filled form.
    #[command(subcommand)]
    ActionPlan(ActionPlanCommand),
    /// The partners' comments on the draft report: `import` reads a filled
    /// factual-accuracy form or workbook.
    #[command(subcommand)]
    Comments(CommentsCommand),
    /// The population list the operational managers return: `import` reads
    /// the filled population-list.xlsx.
    #[command(subcommand)]
    Population(PopulationCommand),
    /// The records reading: `import` reads the readers' filled workbooks
    /// (out/sample/reading/<reader>.xlsx).
    #[command(subcommand)]
    Records(RecordsCommand),
    /// A programme of inspections side by side: a folder with programme.toml
    /// naming its inspection folders (default: every sub-folder holding an
    /// inspection.toml). Prints every inspection's key dates as one timeline
    /// and the clashes between them: an inspector on site in two inspections
    /// at once or on a day away, a lead or depute linked to the area in another
    /// folder (errors, exit 1), notices or publications closer than
    /// `spacing_days`, on-site days in a quarter above `quarter_days`
    /// (warnings). `programme build` makes the programme's documents.
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  scrutiny programme programme-2013\n  scrutiny programme programme-2013 --json\n  scrutiny programme programme-2013 --ics > programme.ics\n  scrutiny programme programme-2013 --ics --inspector \"Ruth Cole\" > ruth-cole.ics\n  scrutiny programme build programme-2013"
    )]
    Programme(ProgrammeArgs),
    /// Build, then rebuild what each edit affects and serve the documents on
    /// this computer only (127.0.0.1) with a page that lists them, shows the
    /// current problems and reloads itself after each build. A build that
    /// fails keeps the last good documents served.
    #[command(
        after_help = "Example:\n  scrutiny watch my-inspection\n  (open http://127.0.0.1:4000/ and edit my-inspection/findings/question-1.md)"
    )]
    Watch {
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The port to serve on.
        #[arg(long, default_value_t = 4000)]
        port: u16,
    },
    /// Typesets, within limits, the documents a build sends on standard input
    /// (a build starts it when the folder has templates of its own).
    #[command(name = scrutiny::render::bounded::TYPESET_COMMAND, hide = true)]
    Typeset {
        /// The inspection folder.
        dir: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct ProgrammeArgs {
    #[command(subcommand)]
    pub command: Option<ProgrammeCommand>,
    /// The programme's folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Print JSON for scripts: {"name", "inspections": [{"folder", "reference",
    /// "area", "report", "dates"}], "clashes": [{"severity", "kind", "people",
    /// "inspections", "dates", "message"}]}.
    #[arg(long, conflicts_with = "ics")]
    pub json: bool,
    /// Print an iCalendar file of every inspection's key dates (with
    /// --inspector, that inspector's own on-site days).
    #[arg(long)]
    pub ics: bool,
    /// With --ics: the inspector whose on-site days to print, by name.
    #[arg(long, value_name = "NAME", requires = "ics")]
    pub inspector: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ProgrammeCommand {
    /// Make the programme's documents in DIR/out: timeline.pdf (every
    /// inspection's phases, today marked), review.pdf and review.html (the
    /// published inspections' evaluations, evidence and recommendations
    /// together; published: no child, no person), programme.ics and
    /// calendars/<inspector>.ics. Only what changed is typeset again.
    #[command(after_help = "Example:\n  scrutiny programme build programme-2013")]
    Build {
        /// The programme's folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The day the timeline marks as today, as YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Typeset every document again.
        #[arg(long)]
        full: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum RecordsCommand {
    /// Read the readers' returned workbooks (the out/sample/reading/<reader>.xlsx
    /// made by `scrutiny build`, each filled in by its reader) and merge their
    /// ratings into DIR/findings/records-reading.csv. Every child must be one
    /// allocated to that reader, every rating 1 to 6 or n/a, and no child read
    /// in two workbooks. Every problem is listed by file, sheet and cell, and
    /// nothing is written unless all is well.
    #[command(after_help = "Example:\n  scrutiny records import ruth-cole.xlsx fiona-macrae.xlsx my-inspection")]
    Import {
        /// The returned workbooks (.xlsx), then the inspection folder (default: the current folder).
        #[arg(required = true, num_args = 1..)]
        paths: Vec<PathBuf>,
        /// Replace the ratings of a child already in records-reading.csv.
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum PopulationCommand {
    /// Read a returned population list (the out/briefing/population-list.xlsx
    /// made by `scrutiny build`, filled in by the operational managers) into
    /// DIR/population.csv, and add its new record holders to DIR/contacts.csv.
    /// Every child needs a case reference, a group and a Yes or No for
    /// protection, and the holders its records are asked of. Every problem is
    /// listed by sheet and cell, and nothing is written unless all is well.
    #[command(after_help = "Example:\n  scrutiny population import returned-list.xlsx my-inspection")]
    Import {
        /// The returned list (an .xlsx file).
        file: PathBuf,
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing population.csv.
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CommentsCommand {
    /// Read a returned factual-accuracy form (the factual-accuracy.pdf or
    /// factual-accuracy.xlsx made by `scrutiny build` with the draft, filled
    /// in by a partner) and add its comments to DIR/comments.toml under the
    /// returning organisation, each with an empty decision and response for
    /// the team to write. Every comment needs its document and what is
    /// inaccurate. Every problem is listed by field or cell, and nothing is
    /// written unless all is well. `scrutiny build` then makes
    /// out/report/comments-log.pdf.
    #[command(
        after_help = "Example:\n  scrutiny comments import council-comments.pdf my-inspection --received 2013-04-12"
    )]
    Import {
        /// The returned form (a .pdf or .xlsx file).
        file: PathBuf,
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// When the comments were received, as YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE")]
        received: Option<String>,
        /// Replace the comments this organisation returned before.
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ActionPlanCommand {
    /// Read a returned action plan (the action-plan.pdf or action-plan.xlsx
    /// made by `scrutiny build`, filled in by the CPP) into DIR/action-plan.toml. Every
    /// recommendation needs an action, a lead officer and a target date; dates
    /// are DD/MM/YYYY or YYYY-MM-DD. Every problem is listed by field name, and
    /// nothing is written unless all is well. `scrutiny build` then makes
    /// out/action-plan/received.pdf.
    #[command(
        after_help = "Example:\n  scrutiny action-plan import returned-plan.pdf my-inspection --received 2013-06-20"
    )]
    Import {
        /// The returned plan (a .pdf or .xlsx file).
        file: PathBuf,
        /// The inspection folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// When the plan was received, as YYYY-MM-DD [default: today].
        #[arg(long, value_name = "DATE")]
        received: Option<String>,
        /// Overwrite an existing action-plan.toml.
        #[arg(long)]
        replace: bool,
    },
}

/// `--only`'s long help: each output folder and what it makes, from the
/// document registry.
fn only_help() -> String {
    let mut help =
        String::from("Rebuild only this output folder (repeatable); the other folders in OUT are kept as they were:\n");
    for k in scrutiny::docs::Kind::all() {
        help.push_str(&format!("\n  {}: {}", k.folder(), k.doc().summary));
    }
    help
}
