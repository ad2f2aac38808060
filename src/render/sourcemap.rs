//! Where a line of a filled-in template came from in the template itself, so
//! that a Typst error is shown at the template's own line and text.
//!
//! Only on error: the template is rendered once more with a marker at the end of
//! every line that is plain text (no tags), with the same data. Markers add no
//! line breaks, so line N of that output is line N of the real output, and its
//! last marker names the template line.

use typst::diag::SourceDiagnostic;
use typst::{World, WorldExt};

use crate::base::error::Problem;

use super::world::DocWorld;

const OPEN: char = '\u{F8FE}';
const CLOSE: char = '\u{F8FF}';

/// The template with a line marker at the end of each plain line.
fn tagged(source: &str) -> String {
    let mut out = String::with_capacity(source.len() * 2);
    let mut depth = 0isize;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        let count = |pats: [&str; 3]| pats.iter().map(|p| body.matches(p).count()).sum::<usize>() as isize;
        let (opens, closes) = (count(["{%", "{#", "{{"]), count(["%}", "#}", "}}"]));
        let plain = depth == 0 && opens == closes && !body.contains("{%") && !body.contains("{#");
        depth += opens - closes;
        out.push_str(body);
        if plain {
            out.push(OPEN);
            out.push_str(&(i + 1).to_string());
            out.push(CLOSE);
        }
        out.push_str(nl);
    }
    out
}

/// For each line of the filled-in template, the template line it came from.
pub fn line_map(
    env: &minijinja::Environment<'static>,
    name: &str,
    source: &str,
    ctx: &minijinja::Value,
) -> Option<Vec<Option<usize>>> {
    let out = env.render_named_str(name, &tagged(source), ctx).ok()?;
    Some(
        out.split('\n')
            .map(|l| {
                let start = l.rfind(OPEN)? + OPEN.len_utf8();
                let end = start + l[start..].find(CLOSE)?;
                l[start..end].parse().ok()
            })
            .collect(),
    )
}

/// A Typst diagnostic in the main file at the template's own line and text.
/// Returns `None` for a diagnostic it cannot place (the caller falls back).
pub fn at_template(
    world: &DocWorld,
    template_name: &str,
    template: &str,
    map: &[Option<usize>],
    diag: &SourceDiagnostic,
) -> Option<Problem> {
    if diag.span.id() != Some(world.main.id()) {
        return None;
    }
    let generated = world.main.text();
    let range = world.range(diag.span)?;
    let gen_line = generated[..range.start].matches('\n').count();
    let tmpl_line = (*map.get(gen_line)?)?;
    let excerpt = generated[range.clone()].lines().next().unwrap_or("");
    let line_text = template.lines().nth(tmpl_line - 1).unwrap_or("");
    // The erring text as the template writes it, else the whole line.
    let (start, width) = match line_text.find(excerpt).filter(|_| !excerpt.is_empty()) {
        Some(i) => (line_text[..i].chars().count(), excerpt.chars().count()),
        None => {
            let indent = line_text.len() - line_text.trim_start().len();
            (indent, line_text.trim().chars().count())
        }
    };
    let p = Problem::new(template_name, diag.message.to_string())
        .at(tmpl_line, start + 1)
        .excerpt(line_text, width);
    Some(hinted(p, diag))
}

/// A Typst diagnostic in text that came from a writer's Markdown file, at that
/// file's line: the writer's to fix, not the template's.
pub fn in_markdown(world: &DocWorld, diag: &SourceDiagnostic) -> Option<Problem> {
    if diag.span.id() != Some(world.main.id()) {
        return None;
    }
    let range = world.range(diag.span)?;
    let (file, line) = crate::formats::markdown::origin(world.main.text(), range.start)?;
    let p = Problem::new(file, format!("this text could not be typeset: {}", diag.message)).line(line);
    Some(match hinted(p.clone(), diag) {
        h if h.help.is_some() => h,
        _ => {
            p.help("simplify the Markdown here (fewer levels of lists or quotes, a different picture) and build again")
        }
    })
}

/// A Typst diagnostic anywhere (another module, or a line of the filled-in
/// template that has no line of its own), at the file's own line and column.
pub fn elsewhere(world: &DocWorld, diag: &SourceDiagnostic) -> Problem {
    let id = diag.span.id();
    let name = match id {
        Some(id) => world.engine.template_name(id.vpath().get_with_slash()),
        None => world.engine.template_name(world.main.id().vpath().get_with_slash()),
    };
    let problem = hinted(Problem::new(name, diag.message.to_string()), diag);
    let placed = id.zip(world.range(diag.span)).and_then(|(id, range)| {
        let source = world.source(id).ok()?;
        let text = source.text();
        let (line, column) = crate::base::text::line_col(text, range.start);
        let line_text = text.lines().nth(line - 1).unwrap_or("");
        let width = text[range].lines().next().unwrap_or("").chars().count();
        Some((line, column, line_text.to_string(), width))
    });
    match placed {
        Some((line, column, text, width)) => problem.at(line, column).excerpt(text, width),
        None => problem,
    }
}

/// A problem with Typst's hints as its help.
fn hinted(p: Problem, diag: &SourceDiagnostic) -> Problem {
    match diag.hints.iter().map(|h| h.v.to_string()).collect::<Vec<_>>() {
        hints if hints.is_empty() => p,
        hints => p.help(hints.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_map_back_through_loops_and_conditions() {
        let env = crate::formats::escape::environment();
        let src = "a\n{% for x in xs %}\nitem {{ x }}\n{% endfor %}\nafter\n{% if no %}\nhidden\n{% endif %}\nlast\n";
        let ctx = minijinja::context! { xs => vec![1, 2, 3], no => false };
        let map = line_map(&env, "t.typ", src, &ctx).unwrap();
        // Output: a, item 1, item 2, item 3, after, last.
        assert_eq!(&map[..6], &[Some(1), Some(3), Some(3), Some(3), Some(5), Some(9)]);
    }
}
