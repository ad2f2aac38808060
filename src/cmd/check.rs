use std::collections::BTreeSet;
use std::path::Path;

use scrutiny::text::date_short;
use scrutiny::workspace::Workspace;
use scrutiny::Result;

pub fn run(dir: &Path) -> Result<()> {
    let ws = Workspace::load(dir)?;
    let requests = &ws.requests;
    let holders: BTreeSet<&str> = requests.iter().map(|r| r.holder.as_str()).collect();
    let i = &ws.inspection;
    super::say(format!(
        "ok: {} {}: {}, {}, {}; commencement {}; sample of {}, {}",
        i.reference,
        i.area,
        count(ws.population.len(), "child", "children"),
        count(ws.contacts.len(), "contact", "contacts"),
        count(i.addressees.len(), "addressee", "addressees"),
        date_short(i.commencement),
        count(ws.sample.children.len(), "child", "children"),
        count(holders.len(), "records-request letter", "records-request letters")
    ));
    Ok(())
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
