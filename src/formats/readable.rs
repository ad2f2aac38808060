//! The writers' own words for children and young people
//! (`findings/young-people.md`), measured as the tool's own sentences are:
//! a sentence over [`MAX_WORDS`] words, and a whole text above a
//! Flesch-Kincaid grade of [`MAX_GRADE`], are warnings at their file and line.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::base::error::Problem;
use crate::base::text::{cut, line_col};
use crate::rules::readability::{sentences, words, Counts, MAX_GRADE, MAX_WORDS};

/// A block of text as a reader reads it (a paragraph, heading, list item or
/// table cell), with where each piece of it starts in the Markdown.
struct Block {
    text: String,
    /// (offset in `text`, offset in the file) of each piece.
    pieces: Vec<(usize, usize)>,
}

impl Block {
    /// The offset in the file of a place in the block's text.
    fn source(&self, at: usize) -> usize {
        let (here, there) = self
            .pieces
            .iter()
            .rev()
            .find(|(p, _)| *p <= at)
            .copied()
            .unwrap_or((0, 0));
        there + (at - here)
    }
}

/// The Markdown's blocks of text, Markdown's marks left out.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current = Block {
        text: String::new(),
        pieces: Vec::new(),
    };
    let end = |current: &mut Block, out: &mut Vec<Block>| {
        if !current.text.trim().is_empty() {
            out.push(std::mem::replace(
                current,
                Block {
                    text: String::new(),
                    pieces: Vec::new(),
                },
            ));
        } else {
            current.text.clear();
            current.pieces.clear();
        }
    };
    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        match event {
            Event::Text(t) | Event::Code(t) => {
                current.pieces.push((current.text.len(), range.start));
                current.text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => current.text.push(' '),
            Event::Start(Tag::Item) | Event::Start(Tag::TableCell) => end(&mut current, &mut out),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                end(&mut current, &mut out)
            }
            _ => {}
        }
    }
    end(&mut current, &mut out);
    out
}

/// Every sentence of `text` (the Markdown file `file`) too long for a reader
/// of about twelve, and the whole text when it is too hard, as warnings.
pub fn check(file: &str, text: &str) -> Vec<Problem> {
    let blocks = blocks(text);
    let mut found = Vec::new();
    for b in &blocks {
        for s in sentences(&b.text) {
            let n = words(s).len();
            if n > MAX_WORDS {
                let at = s.as_ptr() as usize - b.text.as_ptr() as usize;
                let (line, column) = line_col(text, b.source(at));
                found.push(
                    Problem::new(
                        file,
                        format!(
                            "a sentence of {n} words is long for a reader of about twelve: \"{}\"",
                            cut(s)
                        ),
                    )
                    .at(line, column)
                    .help(format!("split it: sentences of {MAX_WORDS} words or fewer")),
                );
            }
        }
    }
    let grade = |b: &Block| Counts::of([b.text.as_str()]).grade().unwrap_or(0.0);
    if let Some(g) = Counts::of(blocks.iter().map(|b| b.text.as_str()))
        .grade()
        .filter(|g| *g > MAX_GRADE)
    {
        let hardest = blocks.iter().max_by(|a, b| grade(a).total_cmp(&grade(b)));
        let line = hardest.map_or(1, |b| line_col(text, b.source(0)).0);
        found.push(
            Problem::new(
                file,
                format!(
                    "the text reads at a Flesch-Kincaid grade of {g:.1}, above {MAX_GRADE:.0} (a reading age of about twelve)"
                ),
            )
            .line(line)
            .help("use shorter sentences and words of fewer syllables; the hardest part to read begins on this line"),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_sentence_is_found_at_its_line_and_column() {
        let long = "We talked to a great many of the children and the young people who live in the area about what they think of it.";
        let text = format!("## What you told us\n\nYou said a lot. {long}\n\n- A list item.\n");
        let found = check("findings/young-people.md", &text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].line, found[0].column), (Some(3), Some(17)));
        assert!(found[0].message.contains("24 words"), "{}", found[0].message);
    }

    #[test]
    fn a_hard_text_is_a_warning_at_its_hardest_paragraph() {
        let text = "We met you. It was fun.\n\nConsiderable organisational reconfiguration necessitates comprehensive evaluation.\n";
        let found = check("findings/young-people.md", text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, Some(3));
        assert!(found[0].message.contains("Flesch-Kincaid grade"));
        assert!(check("f.md", "We met you. It was fun. Thank you.\n").is_empty());
    }
}
