use std::path::Path;

use scrutiny::text::date_short;
use scrutiny::workspace::Workspace;
use scrutiny::Result;

pub fn run(dir: &Path) -> Result<()> {
    let ws = Workspace::load(dir)?;
    // The build would refuse a sampled child without the holder the rules need.
    scrutiny::docs::requests::requests(&ws)?;
    let i = &ws.inspection;
    println!(
        "ok: {} {}: {} children, {} contacts, {} addressees; commencement {}",
        i.reference,
        i.area,
        ws.population.len(),
        ws.contacts.len(),
        i.addressees.len(),
        date_short(i.commencement)
    );
    Ok(())
}
