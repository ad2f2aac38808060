use std::collections::BTreeSet;
use std::path::Path;

use scrutiny::base::text::date_short;
use scrutiny::docs::Kind;
use scrutiny::workspace::Workspace;
use scrutiny::Result;

pub(super) fn run(dir: &Path) -> Result<()> {
    let ws = Workspace::load(dir)?;
    for w in &ws.warnings {
        super::complain(format!("warning: {}", w.to_string().replace('\n', "\n  ")));
    }
    let requests = &ws.requests;
    let holders: BTreeSet<&str> = requests.iter().map(|r| r.holder.as_str()).collect();
    let i = &ws.inspection;
    if ws.population.is_empty() {
        return not_yet_sampled(&ws);
    }
    super::say(format!(
        "ok: {} {}: {}, {}, {}; commencement {}; sample of {}, {}",
        i.reference,
        i.area,
        scrutiny::base::text::count(ws.population.len(), "child", "children"),
        scrutiny::base::text::count(ws.contacts.len(), "contact", "contacts"),
        scrutiny::base::text::count(i.addressees.len(), "addressee", "addressees"),
        date_short(i.commencement),
        scrutiny::base::text::count(ws.sample.children.len(), "child", "children"),
        scrutiny::base::text::count(holders.len(), "records-request letter", "records-request letters")
    ));
    // The records reading: checked when per_reader_day is set, said otherwise.
    if i.records.per_reader_day.is_none() {
        let s = &ws.schedule;
        let three = s.span(scrutiny::rules::schedule::Step::PhaseThree);
        let days = ws.calendar.working_days(three.start, three.end).len();
        let c = scrutiny::rules::team::Capacity::of(i, ws.sample.children.len(), days);
        super::say(format!(
            "records reading: {} (set records.per_reader_day in inspection.toml to check the team against it)",
            c.words()
        ));
    }
    // Where the correspondence stands: the partners' comments on the draft.
    if let Some(c) = ws.comments.as_ref().filter(|c| !c.returns.is_empty()) {
        let total: usize = c.returns.iter().map(|r| r.comments.len()).sum();
        let open = c.open();
        super::say(format!(
            "comments on the draft: {} from {}; {}",
            scrutiny::base::text::count(total, "comment", "comments"),
            scrutiny::base::text::count(c.returns.len(), "organisation", "organisations"),
            if open == 0 {
                "every one has a decision".to_string()
            } else {
                format!("{open} without a decision yet")
            }
        ));
    }
    say_shared_names(&ws);
    say_made(&ws);
    Ok(())
}

/// How many of the people whose name holds a child's `check` names.
const SHOWN: usize = 8;

/// The people whose name holds a child's, and the one way the guard lets
/// such a name through: as that person, where a document prints them.
fn say_shared_names(ws: &Workspace) {
    let i = &ws.inspection;
    let names = ws
        .contacts
        .iter()
        .map(|c| c.name.as_str())
        .chain(i.addressees.iter().map(|a| a.name.as_str()))
        .chain([i.lead.name.as_str(), i.depute.name.as_str()])
        .chain(i.team.iter().map(|t| t.name.as_str()))
        .chain(i.coordinator.iter().map(|c| c.name.as_str()));
    let shared = ws.guard.sharing_a_name(names);
    if shared.is_empty() {
        return;
    }
    super::say(format!(
        "disclosure guard: {} a child's name too ({}{}); a document may print {} only as that person, \
         where it names them (an addressee, a holder, the team): written anywhere else, the name is taken \
         for the child's and stops the build. There is no other way to tell the guard a name is not a child's",
        scrutiny::base::text::count(shared.len(), "person's name holds", "people's names hold"),
        shared[..shared.len().min(SHOWN)].join("; "),
        match shared.len().saturating_sub(SHOWN) {
            0 => String::new(),
            more => format!(" and {more} more"),
        },
        if shared.len() == 1 { "it" } else { "each" },
    ));
}

/// What a build would make, as the document registry says, and what the
/// rest waits for.
fn say_made(ws: &Workspace) {
    let (made, not): (Vec<Kind>, Vec<Kind>) = Kind::all().partition(|k| k.doc().can_make(ws));
    let folders = made.iter().map(|k| k.folder()).collect::<Vec<_>>().join(", ");
    let mut line = format!("a build makes: {folders}");
    if !not.is_empty() {
        let why: Vec<String> = not
            .iter()
            .map(|k| format!("{} (needs {})", k.folder(), k.doc().needs.words()))
            .collect();
        line.push_str(&format!("; not yet {}", why.join(", ")));
    }
    super::say(line);
}

/// A folder whose population list has not come back yet: not a problem but
/// a state, with the day the list is due and what waits for it.
fn not_yet_sampled(ws: &Workspace) -> Result<()> {
    let i = &ws.inspection;
    super::say(format!(
        "ok: {} {}: {}, {}; commencement {}",
        i.reference,
        i.area,
        scrutiny::base::text::count(ws.contacts.len(), "contact", "contacts"),
        scrutiny::base::text::count(i.addressees.len(), "addressee", "addressees"),
        date_short(i.commencement),
    ));
    let waiting: Vec<&str> = Kind::all()
        .filter(|k| k.doc().needs == scrutiny::docs::Needs::Population)
        .map(|k| k.folder())
        .collect();
    super::say(format!(
        "population.csv lists no children yet: the population list is due {} (10 working days after the \
         briefings); {} {} for it. Read the returned list in with `scrutiny population import FILE`",
        scrutiny::base::text::date_words_long(ws.schedule.day(scrutiny::rules::schedule::Step::PopulationListDue)),
        waiting.join(" and "),
        if waiting.len() == 1 { "waits" } else { "wait" }
    ));
    say_made(ws);
    Ok(())
}
