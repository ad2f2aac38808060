//! A writer's slips in Markdown that would print without a word of warning:
//! an emphasis left open (`**` printed as two asterisks), a table whose
//! delimiter row does not match its header (printed as text), a heading level
//! skipped, a link with no text. Each is a warning at its file, line and column.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::base::error::Problem;
use crate::base::text::line_col;

/// Every slip of the Markdown file `file` (named relative to the inspection folder).
pub fn check(file: &str, text: &str) -> Vec<Problem> {
    let mut found: Vec<(usize, String, &str)> = Vec::new();
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    let mut last_level: Option<usize> = None;
    let mut link: Option<(usize, bool)> = None;
    let mut in_code = false;
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                code.push(range);
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { level, .. }) => {
                let level = level as usize;
                if let Some(before) = last_level.filter(|b| level > b + 1) {
                    found.push((
                        range.start,
                        format!(
                            "this heading is level {level} ({}) straight after a level {before} heading: level {} is skipped",
                            "#".repeat(level),
                            before + 1
                        ),
                        "use one # more than the heading it belongs under; screen readers list headings by level",
                    ));
                }
                last_level = Some(level);
            }
            Event::Start(Tag::Link { .. }) => link = Some((range.start, false)),
            Event::Text(_) | Event::Code(_) | Event::Start(Tag::Image { .. }) => {
                if let Some((_, seen)) = link.as_mut() {
                    *seen = true;
                }
                if matches!(event, Event::Text(_)) && !in_code {
                    open_emphasis(text, range, &mut found);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((at, false)) = link.take() {
                    found.push((
                        at,
                        "this link has no text: a reader sees nothing to click, and a screen reader reads out the address".into(),
                        "write the words to click between the brackets: [the joint inspection's report](https://...)",
                    ));
                }
            }
            _ => {}
        }
    }
    tables(text, &code, &mut found);
    found.sort_by_key(|(at, _, _)| *at);
    found
        .into_iter()
        .map(|(at, message, help)| {
            let (line, column) = line_col(text, at);
            Problem::new(file, message).at(line, column).help(help)
        })
        .collect()
}

/// `**` or `__` left in the text, or a `*` against a word: an emphasis not
/// closed. The marks are judged in the whole text (a mark left over is a
/// text event of its own).
fn open_emphasis(text: &str, range: std::ops::Range<usize>, found: &mut Vec<(usize, String, &'static str)>) {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mark = text[range.clone()].char_indices().find_map(|(i, c)| {
        let at = range.start + i;
        let before = text[..at].chars().next_back();
        let after = text[at + c.len_utf8()..].chars().next();
        match c {
            _ if before == Some('\\') || before == Some(c) => None,
            '*' | '_' if after == Some(c) => Some((at, if c == '*' { "**" } else { "__" })),
            '*' if word(before) != word(after) => Some((at, "*")),
            _ => None,
        }
    });
    if let Some((at, mark)) = mark {
        found.push((
            at,
            format!(
                "`{mark}` is printed as it is: an emphasis is opened here and not closed, or closed and not opened"
            ),
            "close it with the same marks (**bold**, *italic*), or write \\* for an asterisk meant as one",
        ));
    }
}

/// A delimiter row (`|---|---|`) whose number of cells differs from the
/// header's above it: Markdown then prints the lines as text.
fn tables(text: &str, code: &[std::ops::Range<usize>], found: &mut Vec<(usize, String, &'static str)>) {
    let mut offset = 0;
    let mut previous: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let in_code = code.iter().any(|r| r.contains(&at));
        let row = line.trim_end_matches(['\n', '\r']);
        if !in_code && is_delimiter_row(row) {
            if let Some(header) = previous.filter(|h| h.contains('|')) {
                let (want, have) = (cells(header), cells(row));
                if want != have {
                    found.push((
                        at + (row.len() - row.trim_start().len()),
                        format!(
                            "this table's delimiter row has {have} {} but its header has {want}: the table is printed as text",
                            if have == 1 { "cell" } else { "cells" }
                        ),
                        "give the row under the header one |---| for each column of the header",
                    ));
                }
            }
        }
        previous = Some(row);
    }
}

fn is_delimiter_row(row: &str) -> bool {
    let r = row.trim();
    r.contains('|')
        && r.contains('-')
        && r.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
        && r.trim_matches('|')
            .split('|')
            .all(|c| c.trim().trim_matches(':').chars().all(|c| c == '-') && c.contains('-'))
}

/// The cells of a table row: split at `|` not escaped, the outer pipes left out.
fn cells(row: &str) -> usize {
    let r = row.trim();
    let r = r.strip_prefix('|').unwrap_or(r);
    let r = if r.ends_with('|') && !r.ends_with("\\|") {
        &r[..r.len() - 1]
    } else {
        r
    };
    let mut n = 1;
    let mut escaped = false;
    for c in r.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slips(text: &str) -> Vec<String> {
        check("findings/question-1.md", text)
            .iter()
            .map(|p| format!("{}: {}", p.location(), p.message))
            .collect()
    }

    #[test]
    fn slips_that_would_print_silently_are_found_where_they_are() {
        assert!(
            slips("## One\n\nText with **bold** and *it*, 5 * 3 = 15.\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n").is_empty()
        );
        let s = slips("## One\n\nPartners **agreed the plan.\n");
        assert_eq!(s.len(), 1, "{s:?}");
        assert!(s[0].starts_with("findings/question-1.md:3:10: `**`"), "{s:?}");
        let s = slips("## One\n\n| a | b | c |\n|---|---|\n| 1 | 2 | 3 |\n");
        assert!(
            s[0].starts_with("findings/question-1.md:4:1: this table's delimiter row has 2 cells but its header has 3"),
            "{s:?}"
        );
        let s = slips("## One\n\n#### Two\n");
        assert!(
            s[0].starts_with("findings/question-1.md:3:1: this heading is level 4"),
            "{s:?}"
        );
        let s = slips("## One\n\nSee [](https://example.org).\n");
        assert!(
            s[0].starts_with("findings/question-1.md:3:5: this link has no text"),
            "{s:?}"
        );
        assert!(slips("```\n**\n| a | b |\n|---|\n```\n").is_empty(), "code is code");
    }
}
