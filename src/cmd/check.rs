use std::collections::BTreeSet;
use std::path::Path;

use scrutiny::text::date_short;
use scrutiny::workspace::Workspace;
use scrutiny::Result;

pub fn run(dir: &Path) -> Result<()> {
    let ws = Workspace::load(dir)?;
    // The build would refuse a sampled child without the holder the rules need.
    let requests = scrutiny::docs::requests::requests(&ws)?;
    let sampled: BTreeSet<&str> = requests.iter().map(|r| r.case_ref.as_str()).collect();
    let holders: BTreeSet<&str> = requests.iter().map(|r| r.holder.as_str()).collect();
    let i = &ws.inspection;
    println!(
        "ok: {} {}: {} children, {} contacts, {} addressees; commencement {}; sample of {} children, {} records-request letters",
        i.reference,
        i.area,
        ws.population.len(),
        ws.contacts.len(),
        i.addressees.len(),
        date_short(i.commencement),
        sampled.len(),
        holders.len()
    );
    Ok(())
}
