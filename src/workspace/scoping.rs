//! `scoping.toml`, the scoping tool: read and checked like every other file
//! (unknown keys, words with "did you mean", the order of the phases, the
//! activities an area still in doubt needs).

use crate::model::folder;
use std::path::Path;

use super::toml_source::{Seg, TomlSource};
use crate::base::error::{Problem, Problems, Result};
use crate::model::scoping::Scoping;

/// The scoping tool, when the folder has one (and it reads); its problems are
/// added to `problems`, its warnings (an indicator's title other than the
/// framework's) to `warnings`.
pub fn load(
    root: &Path,
    guard: &crate::guard::Guard,
    problems: &mut Problems,
    warnings: &mut Vec<Problem>,
) -> Result<Option<Scoping>> {
    let path = root.join(folder::SCOPING);
    if !path.exists() {
        return Ok(None);
    }
    let text = match crate::base::files::read_regular(&path, super::findings::MAX_TEXT_FILE) {
        Ok(bytes) => match super::encoding::decode(folder::SCOPING, bytes) {
            Ok(text) => text,
            Err(p) => {
                problems.push(*p);
                return Ok(None);
            }
        },
        Err(e) => {
            problems.push(
                Problem::new(folder::SCOPING, e).help("the scoping tool is a short TOML file: check that this is it"),
            );
            return Ok(None);
        }
    };
    // Its rationales and activities are published in the scoping tool.
    crate::guard::sources::toml(guard, folder::SCOPING, &text, &[], problems);
    let Some(src) = TomlSource::parse(folder::SCOPING, &text, &crate::model::schema_of::<Scoping>(), problems) else {
        return Ok(None);
    };
    let Some(scoping) = src.deserialize::<Scoping>(problems) else {
        return Ok(None);
    };
    check(&scoping, &src, problems);
    for (n, area) in scoping.areas.iter().enumerate() {
        warnings.extend(super::findings::framework_title(
            &src,
            &[Seg::Key("areas"), Seg::Index(n)],
            &area.qi,
            &area.title,
        ));
    }
    Ok(Some(scoping))
}

const PHASES: [&str; 3] = ["phase_one", "phase_two", "phase_three"];

fn check(s: &Scoping, src: &TomlSource, problems: &mut Problems) {
    for (n, area) in s.areas.iter().enumerate() {
        let at = |key: &str| src.locate(&[Seg::Key("areas"), Seg::Index(n), Seg::Key(key)]);
        let name = format!("area {} ({} {})", n + 1, area.qi, area.title);
        let valid_qi = area.qi.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && (a.to_owned() + b).chars().all(|c| c.is_ascii_digit())
        });
        if !valid_qi {
            problems.push(
                at("qi")
                    .message(format!(
                        "`{}` is not a quality indicator",
                        crate::base::text::cut(&area.qi)
                    ))
                    .help("write the indicator's number, e.g. qi = \"5.2\""),
            );
        }
        if area.title.trim().is_empty() {
            problems.push(
                at("title")
                    .message(format!("{name} has no title"))
                    .help("name the area, e.g. title = \"Assessing and responding to risks and needs\""),
            );
        }
        let classes = area.classes();
        for phase in 1..3 {
            if classes[phase].is_some() && classes[phase - 1].is_none() {
                problems.push(
                    at(PHASES[phase])
                        .message(format!("{name} has {} but no {}", PHASES[phase], PHASES[phase - 1]))
                        .help(format!(
                            "class the area at {} first: the phases follow one another",
                            PHASES[phase - 1]
                        )),
                );
            }
        }
        if classes.iter().all(Option::is_none) {
            problems.push(
                src.locate(&[Seg::Key("areas"), Seg::Index(n)])
                    .message(format!("{name} has no class"))
                    .help("give phase_one = \"no_significant_concerns\", \"uncertainty\" or \"concern\""),
            );
        }
        if let Some(class) = area.latest(3) {
            if class.needs_scrutiny() && area.activities.is_empty() {
                problems.push(
                    at("activities")
                        .message(format!(
                            "{name} is still classed {} but has no activities for the core phase",
                            class.words().to_lowercase()
                        ))
                        .help("propose targeted scrutiny, e.g. activities = [\"team_focus_groups\", \"interviews\"]"),
                );
            }
        }
    }
}

/// Warnings, for `check` and `build`: a later phase's rationale that repeats
/// an earlier one word for word (each phase's discussion needs its own, in
/// its own tense; leave it out to carry the earlier one).
pub fn repeated_rationales(s: &Scoping) -> Vec<Problem> {
    const KEYS: [&str; 3] = ["rationale", "rationale_two", "rationale_three"];
    let mut warnings = Vec::new();
    for (n, area) in s.areas.iter().enumerate() {
        let r = area.rationales();
        for later in 1..3 {
            let Some(text) = r[later] else { continue };
            let same = |e: &Option<&str>| e.is_some_and(|e| e.split_whitespace().eq(text.split_whitespace()));
            if let Some(earlier) = r[..later].iter().position(same) {
                warnings.push(
                    Problem::new(
                        folder::SCOPING,
                        format!(
                            "area {} ({} {}): {} repeats {} word for word",
                            n + 1,
                            area.qi,
                            crate::base::text::cut(&area.title),
                            KEYS[later],
                            KEYS[earlier]
                        ),
                    )
                    .help(format!(
                        "write what the team concluded after {}, in that discussion's words, or leave {} out to carry the earlier rationale",
                        PHASES[later], KEYS[later]
                    )),
                );
            }
        }
    }
    warnings
}
