use std::path::Path;

use scrutiny::returns::{self, population};
use scrutiny::Result;

pub(super) fn import(file: &Path, dir: &Path, replace: bool) -> Result<()> {
    let done = returns::import(population::Import::new(dir, returns::today()), file, replace)?;
    let total: usize = done.counts.iter().map(|(_, n)| n).sum();
    super::say(format!(
        "wrote {}: {}",
        done.population.display(),
        scrutiny::base::text::count(total, "child", "children")
    ));
    for (category, n) in &done.counts {
        super::say(format!("  {n:>6}  {}", category.short()));
    }
    if done.new_holders > 0 {
        super::say(format!(
            "added {} to {}",
            scrutiny::base::text::count(done.new_holders, "record holder", "record holders"),
            done.contacts.display()
        ));
    }
    super::say("`scrutiny sample` now draws the sample from it");
    Ok(())
}
