use std::collections::BTreeSet;
use std::path::Path;

use scrutiny::docs::Kind;
use scrutiny::text::date_short;
use scrutiny::workspace::Workspace;
use scrutiny::Result;

pub fn run(dir: &Path) -> Result<()> {
    let ws = Workspace::load(dir)?;
    for w in &ws.warnings {
        super::complain(format!("warning: {}", w.to_string().replace('\n', "\n  ")));
    }
    let requests = &ws.requests;
    let holders: BTreeSet<&str> = requests.iter().map(|r| r.holder.as_str()).collect();
    let i = &ws.inspection;
    super::say(format!(
        "ok: {} {}: {}, {}, {}; commencement {}; sample of {}, {}",
        i.reference,
        i.area,
        scrutiny::text::count(ws.population.len(), "child", "children"),
        scrutiny::text::count(ws.contacts.len(), "contact", "contacts"),
        scrutiny::text::count(i.addressees.len(), "addressee", "addressees"),
        date_short(i.commencement),
        scrutiny::text::count(ws.sample.children.len(), "child", "children"),
        scrutiny::text::count(holders.len(), "records-request letter", "records-request letters")
    ));
    // What a build would make, as the document registry says.
    let (made, not): (Vec<Kind>, Vec<Kind>) = Kind::all().partition(|k| k.doc().can_make(&ws));
    let folders = |ks: &[Kind]| ks.iter().map(|k| k.folder()).collect::<Vec<_>>().join(", ");
    let mut line = format!("a build makes: {}", folders(&made));
    if !not.is_empty() {
        line.push_str(&format!(
            "; not yet {} (they need findings/ with recommendations)",
            folders(&not)
        ));
    }
    super::say(line);
    Ok(())
}
