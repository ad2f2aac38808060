use std::path::Path;

use scrutiny::population_list;
use scrutiny::Result;

pub fn import(file: &Path, dir: &Path, replace: bool) -> Result<()> {
    let done = population_list::import(dir, file, replace, scrutiny::import::today())?;
    let total: usize = done.counts.iter().map(|(_, n)| n).sum();
    super::say(format!(
        "wrote {}: {}",
        done.population.display(),
        scrutiny::text::count(total, "child", "children")
    ));
    for (category, n) in &done.counts {
        super::say(format!("  {n:>6}  {}", category.short()));
    }
    if done.new_holders > 0 {
        super::say(format!(
            "added {} to {}",
            scrutiny::text::count(done.new_holders, "record holder", "record holders"),
            done.contacts.display()
        ));
    }
    super::say("`scrutiny sample` now draws the sample from it");
    Ok(())
}
