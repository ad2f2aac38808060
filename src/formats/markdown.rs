//! The report writers' Markdown (CommonMark with tables) as Typst content in
//! which every character of their text prints literally. Raw HTML, raw Typst
//! and an image without alt text are problems at their line.

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::base::error::{Problem, Problems};
use crate::base::text::line_col;
use crate::formats::escape::{markup, string_literal};

/// A converted Markdown file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// Typst markup, to be placed in a content block or at the top level.
    pub typst: String,
    /// The text of the first heading, when the file's title is taken from it
    /// (and it is left out of `typst`).
    pub title: Option<String>,
    /// The file's plain text (no markup), for word counts and the disclosure guard.
    pub plain: String,
    /// The same content as HTML, for the web page (headings shifted alike).
    pub html: String,
    /// The text as a reader reads it (Markdown's marks gone, entities decoded,
    /// link targets percent-decoded), in pieces with their offsets in the file:
    /// for the disclosure guard.
    pub reader: Vec<(String, usize)>,
    /// The pictures used: where, which file, and what their metadata said.
    pub pictures: Vec<PictureUse>,
}

/// A picture placed in the Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PictureUse {
    /// The offset of the image in the Markdown file.
    pub at: usize,
    /// The picture's file, relative to the inspection folder.
    pub file: String,
    /// Its metadata and (for an SVG) its text, for the guard.
    pub texts: Vec<String>,
}

/// How a file's headings sit in the document.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// The Typst level of a `##` heading (the file's sections sit below the
    /// document's own section heading).
    pub level_of_h2: u8,
    /// Whether the first heading is the file's title (good practice examples).
    pub titled: bool,
}

/// Converts `text`, the Markdown file `file` (named relative to the inspection
/// folder, e.g. `findings/question-1.md`). Images are looked for relative to
/// the file, inside `root` (the inspection folder).
pub fn convert(file: &str, text: &str, layout: Layout, root: &Path, problems: &mut Problems) -> Converted {
    let mut out = Converted::default();
    let mut w = Writer {
        file,
        text,
        root,
        problems,
        typst: String::new(),
        plain: String::new(),
        image: None,
        images: Vec::new(),
        read: Default::default(),
        code: None,
        title: None,
        reader: Vec::new(),
        pictures: Vec::new(),
        in_title: false,
        titled: layout.titled,
        level_of_h2: layout.level_of_h2,
        marked_line: 0,
        cursor: (0, 1),
        depth: 0,
    };
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        w.event(event, range.start);
    }
    out.html = html(text, layout, &shown(file, &w.images));
    // Kept as long as the folder is: a page with a large picture is megabytes.
    out.html.shrink_to_fit();
    out.typst = format!("{}{MARK}end*/\n", w.typst.trim_end());
    out.plain = w.plain;
    out.title = w.title;
    out.reader = w.reader;
    out.pictures = w.pictures;
    out
}

/// The HTML of the same events: headings shifted as in Typst, the title left
/// out, raw HTML dropped (it is a problem already), images as embedded pictures.
fn html(text: &str, layout: Layout, images: &[Option<String>]) -> String {
    let shift = |level: HeadingLevel| {
        let n = (level as usize).max(2) - 2 + layout.level_of_h2 as usize;
        HeadingLevel::try_from(n.min(6)).unwrap_or(HeadingLevel::H6)
    };
    let mut events = Vec::new();
    let mut images = images.iter();
    let mut skipping = false;
    let mut titled = layout.titled;
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            _ if skipping => {
                if matches!(event, Event::End(TagEnd::Image) | Event::End(TagEnd::Heading(_))) {
                    skipping = false;
                }
            }
            Event::Start(Tag::Heading { .. }) if titled => {
                titled = false;
                skipping = true;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => events.push(Event::Start(Tag::Heading {
                level: shift(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => events.push(Event::End(TagEnd::Heading(shift(level)))),
            Event::Start(Tag::Image { .. }) => {
                if let Some(Some(img)) = images.next() {
                    events.push(Event::InlineHtml(img.clone().into()));
                }
                skipping = true;
            }
            Event::Html(_) | Event::InlineHtml(_) => {}
            other => events.push(other),
        }
    }
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}

/// A picture placed in the Markdown: its alternative text and the picture.
type Placed = (String, std::sync::Arc<crate::formats::picture::Picture>);

/// Each image of `file` as HTML, the picture embedded (none where refused). A
/// picture used once is an `img`; one used again is embedded once in the
/// file's web page, at its first use, and drawn from there at the others (an
/// SVG `use`), so that the page does not grow with every use.
fn shown(file: &str, images: &[Option<Placed>]) -> Vec<Option<String>> {
    use base64::Engine as _;
    use std::collections::HashMap;
    let key = |p: &std::sync::Arc<crate::formats::picture::Picture>| std::sync::Arc::as_ptr(p) as usize;
    let mut uses: HashMap<usize, usize> = HashMap::new();
    for (_, p) in images.iter().flatten() {
        *uses.entry(key(p)).or_default() += 1;
    }
    // Each picture used more than once: its id in the page, once embedded.
    let mut ids: HashMap<usize, (String, bool)> = HashMap::new();
    let data = |p: &crate::formats::picture::Picture| {
        format!(
            "data:{};base64,{}",
            p.mime,
            base64::engine::general_purpose::STANDARD.encode(&p.bytes)
        )
    };
    let mut html = |(alt, p): &Placed| {
        let alt = html_escape(alt);
        if uses[&key(p)] == 1 {
            return format!("<img src=\"{}\" alt=\"{alt}\" style=\"max-width:100%\">", data(p));
        }
        let n = ids.len() + 1;
        let (id, embedded) = ids
            .entry(key(p))
            .or_insert_with(|| (format!("picture-{}-{n}", crate::base::text::slug(file)), false));
        let (w, h) = (p.width, p.height);
        let drawn = if *embedded {
            format!("<use href=\"#{id}\"/>")
        } else {
            *embedded = true;
            format!("<image id=\"{id}\" width=\"{w}\" height=\"{h}\" href=\"{}\"/>", data(p))
        };
        format!(
            "<svg role=\"img\" aria-label=\"{alt}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
             style=\"max-width:100%;height:auto\">{drawn}</svg>"
        )
    };
    images.iter().map(|i| i.as_ref().map(&mut html)).collect()
}

/// Text for an HTML attribute or element.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

struct Writer<'a> {
    file: &'a str,
    text: &'a str,
    root: &'a Path,
    problems: &'a mut Problems,
    typst: String,
    plain: String,
    /// An image being read: its path, its alt text so far, and where it starts.
    image: Option<(String, String, usize)>,
    /// Each image in order with its alternative text (none if refused).
    images: Vec<Option<Placed>>,
    /// Each picture file read, by its path in the inspection folder.
    read:
        std::collections::HashMap<std::path::PathBuf, Result<std::sync::Arc<crate::formats::picture::Picture>, String>>,
    /// A code block being read: its text so far.
    code: Option<String>,
    title: Option<String>,
    reader: Vec<(String, usize)>,
    pictures: Vec<PictureUse>,
    in_title: bool,
    titled: bool,
    level_of_h2: u8,
    /// The Markdown line of the last origin mark written into `typst`.
    marked_line: usize,
    /// An offset in the file and its line.
    cursor: (usize, usize),
    /// How deep lists and quotes are nested here.
    depth: usize,
}

/// The deepest lists and quotes may nest: Typst's own parser stops not far
/// beyond, and no report needs more than a few.
pub const MAX_NESTING: usize = 20;

/// The start of an origin mark: a Typst comment naming the Markdown file and
/// line the Typst after it came from, so that an error Typst finds in a
/// writer's text is reported at the writer's file and line.
const MARK: &str = "/*md:";

/// The Markdown file and line that the Typst at `offset` of `generated` (a
/// filled-in template) came from, when it came from Markdown.
pub fn origin(generated: &str, offset: usize) -> Option<(String, usize)> {
    let before = &generated[..offset.min(generated.len())];
    let start = before.rfind(MARK)? + MARK.len();
    let end = start + generated[start..].find("*/")?;
    let (file, line) = generated[start..end].rsplit_once(':')?;
    Some((file.replace("%2A", "*"), line.parse().ok()?))
}

impl Writer<'_> {
    /// Marks the Typst written next as coming from the line at `at`.
    fn mark(&mut self, at: usize) {
        // Events come in order: count lines from the last mark, not the start.
        let (from, line) = if at >= self.cursor.0 { self.cursor } else { (0, 1) };
        let line = line + self.text.as_bytes()[from..at].iter().filter(|&&b| b == b'\n').count();
        self.cursor = (at, line);
        if line != self.marked_line {
            self.marked_line = line;
            let file = self.file.replace('*', "%2A");
            self.typst.push_str(&format!("{MARK}{file}:{line}*/"));
        }
    }

    fn problem(&mut self, offset: usize, message: impl Into<String>, help: impl Into<String>) {
        let (line, col) = line_col(self.text, offset);
        self.problems
            .push(Problem::new(self.file, message).at(line, col).help(help));
    }

    fn event(&mut self, event: Event, at: usize) {
        self.read(&event, at);
        if let Some((_, alt, _)) = &mut self.image {
            match event {
                Event::Text(t) | Event::Code(t) => {
                    alt.push_str(&t);
                    return;
                }
                Event::End(TagEnd::Image) => {}
                _ => return,
            }
        }
        if let Some(code) = &mut self.code {
            if let Event::Text(t) = &event {
                code.push_str(t);
                return;
            }
        }
        if self.in_title {
            match event {
                Event::End(TagEnd::Heading(_)) => self.in_title = false,
                Event::Text(t) | Event::Code(t) => {
                    self.title.get_or_insert_with(String::new).push_str(&t);
                    self.plain.push_str(&t);
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, at),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                self.mark(at);
                self.typst.push_str(&markup(&t));
                self.plain.push_str(&t);
            }
            Event::Code(t) => {
                self.mark(at);
                self.typst.push_str(&format!("#raw({})", string_literal(&t)));
                self.plain.push_str(&t);
            }
            Event::SoftBreak => {
                self.typst.push(' ');
                self.plain.push('\n');
            }
            Event::HardBreak => {
                self.typst.push_str("#linebreak()");
                self.plain.push('\n');
            }
            Event::Rule => self.typst.push_str("#line(length: 100%, stroke: 0.5pt)\n\n"),
            Event::Html(_) | Event::InlineHtml(_) => self.problem(
                at,
                "raw HTML is not allowed in the findings",
                "write it as Markdown (e.g. **bold**, > quote, | table |); to show a < or > sign, write \\< or \\>",
            ),
            Event::InlineMath(_) | Event::DisplayMath(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    /// What a reader reads of an event: text as it is, nothing for a change of
    /// style (so emphasis inside a word does not split it), a break for the rest.
    fn read(&mut self, event: &Event, at: usize) {
        let piece = match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => t.to_string(),
            Event::Html(t) | Event::InlineHtml(t) => t.to_string(),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => return,
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image) => {
                return
            }
            Event::Start(Tag::Link { dest_url, title, .. } | Tag::Image { dest_url, title, .. }) => {
                format!("\n{}\n{title}\n", crate::guard::published::decoded_link(dest_url))
            }
            _ => "\n".to_string(),
        };
        self.reader.push((piece, at));
    }

    /// One level deeper into lists and quotes; a problem, once, past the limit.
    fn nest(&mut self, at: usize) {
        self.depth += 1;
        if self.depth == MAX_NESTING + 1 {
            self.problem(
                at,
                format!("lists and quotes are nested more than {MAX_NESTING} levels deep here"),
                "use fewer levels: a report reads best with two or three",
            );
        }
    }

    fn start(&mut self, tag: Tag, at: usize) {
        let t = &mut self.typst;
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                if self.titled && self.title.is_none() {
                    self.in_title = true;
                    return;
                }
                let level = match level {
                    HeadingLevel::H1 => {
                        self.problem(
                            at,
                            "a heading with one # is not allowed here: the document gives this part its own title",
                            "start the file's headings at ## (then ### and ####)",
                        );
                        2
                    }
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                let level = level - 2 + self.level_of_h2;
                self.typst.push_str(&format!("#heading(level: {level})["));
            }
            Tag::BlockQuote(_) => {
                t.push_str("#quote(block: true)[");
                self.nest(at);
            }
            Tag::CodeBlock(kind) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                if ["typ", "typst", "typc"].contains(&lang.as_str()) {
                    self.problem(
                        at,
                        "raw Typst is not allowed in the findings",
                        "write the text as Markdown; the report's layout comes from its template",
                    );
                }
                self.code = Some(String::new());
            }
            Tag::List(None) => {
                t.push_str("#list(");
                self.nest(at);
            }
            Tag::List(Some(n)) => {
                t.push_str(&format!("#enum(start: {n}, "));
                self.nest(at);
            }
            Tag::Item => t.push('['),
            Tag::Table(aligns) => t.push_str(&format!("#table(columns: {}, ", aligns.len().max(1))),
            Tag::TableHead => t.push_str("table.header("),
            Tag::TableRow => {}
            Tag::TableCell => t.push('['),
            Tag::Emphasis => t.push_str("#emph["),
            Tag::Strong => t.push_str("#strong["),
            Tag::Strikethrough => t.push_str("#strike["),
            Tag::Link {
                dest_url, link_type, ..
            } => {
                let mail = matches!(link_type, pulldown_cmark::LinkType::Email);
                if !mail && !crate::guard::published::allowed_link(&dest_url) {
                    self.problem(
                        at,
                        format!(
                            "this link is not a web or e-mail address (\"{}\")",
                            crate::base::text::cut(&dest_url)
                        ),
                        "links in the findings start with https://, http:// or mailto:",
                    );
                }
                self.typst.push_str(&format!("#link({})[", string_literal(&dest_url)));
            }
            Tag::Image { dest_url, .. } => self.image = Some((dest_url.to_string(), String::new(), at)),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        let t = &mut self.typst;
        match tag {
            TagEnd::Paragraph => {
                t.push_str("\n\n");
                self.plain.push_str("\n\n");
            }
            TagEnd::Heading(_) => {
                t.push_str("]\n\n");
                self.plain.push_str("\n\n");
            }
            TagEnd::BlockQuote(_) => {
                t.push_str("]\n\n");
                self.depth -= 1;
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                self.plain.push_str(&code);
                self.typst
                    .push_str(&format!("#raw(block: true, {})\n\n", string_literal(code.trim_end())));
            }
            TagEnd::List(_) => {
                t.push_str(")\n\n");
                self.depth -= 1;
            }
            TagEnd::Item => {
                // A loose list's paragraphs end in a break the item does not need.
                let trimmed = t.trim_end().len();
                t.truncate(trimmed);
                t.push_str("], ");
                self.plain.push('\n');
            }
            TagEnd::Table => t.push_str(")\n\n"),
            TagEnd::TableHead => t.push_str("), "),
            TagEnd::TableRow => self.plain.push('\n'),
            TagEnd::TableCell => {
                t.push_str("], ");
                self.plain.push(' ');
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => t.push(']'),
            TagEnd::Image => self.image(),
            _ => {}
        }
    }

    /// An image becomes a figure with its alt text, if the file is there.
    fn image(&mut self) {
        let Some((dest, alt, at)) = self.image.take() else {
            return;
        };
        // A refused image has no HTML; a good one replaces this below.
        self.images.push(None);
        let alt = alt.trim().to_string();
        if alt.is_empty() {
            self.problem(
                at,
                format!("the image {dest} has no alt text"),
                "describe the picture for readers who cannot see it: ![what the picture shows](images/file.png)",
            );
            return;
        }
        let folder = Path::new(self.file).parent().unwrap_or(Path::new(""));
        let rel = folder.join(&dest);
        let inside = !dest.contains("://")
            && !Path::new(&dest).is_absolute()
            && !rel.components().any(|c| matches!(c, std::path::Component::ParentDir));
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
        if !inside || !["png", "jpg", "jpeg", "svg"].contains(&ext.as_str()) {
            self.problem(
                at,
                format!("the image {dest} must be a PNG, JPEG or SVG file in the findings folder"),
                "put the picture in findings/images/ and write ![alt text](images/file.png)",
            );
            return;
        }
        if !self.root.join(&rel).is_file() {
            self.problem(
                at,
                format!("the image {dest} is not there ({} not found)", rel.display()),
                "check the file name, or put the picture in findings/images/",
            );
            return;
        }
        // A picture used again in the file is read once.
        let root = self.root;
        let picture = self.read.entry(rel.clone()).or_insert_with(|| {
            crate::base::files::read_inside(root, &rel, crate::formats::picture::MAX_BYTES)
                .and_then(|bytes| crate::formats::picture::clean(&bytes))
        });
        let picture = match picture.clone() {
            Ok(p) => p,
            Err(why) => {
                self.problem(
                    at,
                    format!("the picture {dest} cannot be used: {why}"),
                    "save the picture again as a PNG or JPEG of at most 20 MB and 40 megapixels",
                );
                return;
            }
        };
        let path = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
        self.reader.push((format!("\n{alt}\n"), at));
        self.pictures.push(PictureUse {
            at,
            file: path.trim_start_matches('/').to_string(),
            texts: picture.texts.clone(),
        });
        *self.images.last_mut().expect("pushed above") = Some((alt.clone(), picture));
        self.plain.push_str(&alt);
        self.mark(at);
        self.typst.push_str(&format!(
            "#figure(image({}, alt: {}, width: 80%), caption: [{}])\n\n",
            string_literal(&path),
            string_literal(&alt),
            markup(&alt)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typst(md: &str) -> (String, Vec<Problem>) {
        let mut problems = Problems::default();
        let layout = Layout {
            level_of_h2: 3,
            titled: false,
        };
        let c = convert("findings/q.md", md, layout, Path::new("/nonexistent"), &mut problems);
        (without_marks(&c.typst), problems.into_vec())
    }

    /// The Typst without its origin marks.
    fn without_marks(t: &str) -> String {
        let mut out = String::new();
        let mut rest = t;
        while let Some(i) = rest.find(MARK) {
            out.push_str(&rest[..i]);
            rest = &rest[i + rest[i..].find("*/").unwrap() + 2..];
        }
        out + rest
    }

    #[test]
    fn typst_is_marked_with_the_lines_it_came_from() {
        let mut problems = Problems::default();
        let layout = Layout {
            level_of_h2: 3,
            titled: false,
        };
        let md = "First line\n\n## Heading\n\n- item *one*\n- item two\n";
        let c = convert("findings/q*1.md", md, layout, Path::new("/nonexistent"), &mut problems);
        let at = |needle: &str| origin(&c.typst, c.typst.find(needle).unwrap());
        assert_eq!(at("First"), Some(("findings/q*1.md".into(), 1)));
        assert_eq!(at("Heading"), Some(("findings/q*1.md".into(), 3)));
        assert_eq!(at("one"), Some(("findings/q*1.md".into(), 5)));
        assert_eq!(at("two"), Some(("findings/q*1.md".into(), 6)));
        // After the file's end, Typst is the template's again.
        let mut generated = c.typst.clone();
        generated.push_str("#template-text");
        assert_eq!(origin(&generated, generated.len() - 3), None);
    }

    #[test]
    fn text_is_escaped_and_structure_becomes_functions() {
        let (t, p) =
            typst("## Early help\n\nSome *keen* #text with `code`.\n\n> We felt listened to.\n\n- one\n- two\n");
        assert!(p.is_empty(), "{p:?}");
        assert!(t.contains("#heading(level: 3)[Early help]"), "{t}");
        assert!(t.contains("Some #emph[keen] \\#text with #raw(\"code\")\\."), "{t}");
        assert!(t.contains("#quote(block: true)[We felt listened to\\.\n\n]"), "{t}");
        assert!(t.contains("#list([one], [two], )"), "{t}");
    }

    #[test]
    fn tables_have_a_header_row() {
        let (t, _) = typst("| A | B |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            t.contains("#table(columns: 2, table.header([A], [B], ), [1], [2], )"),
            "{t}"
        );
    }

    #[test]
    fn raw_html_and_typst_and_bare_images_are_problems_at_their_line() {
        let (_, p) = typst("Fine.\n\n<div>bad</div>\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, Some(3));
        let (_, p) = typst("```typst\n#set page(fill: red)\n```\n");
        assert_eq!(p[0].line, Some(1));
        let (_, p) = typst("Text\n\n![](images/a.png)\n");
        assert!(p[0].message.contains("no alt text"), "{p:?}");
        assert_eq!(p[0].line, Some(3));
    }

    #[test]
    fn a_title_heading_is_taken_out() {
        let mut problems = Problems::default();
        let layout = Layout {
            level_of_h2: 3,
            titled: true,
        };
        let c = convert(
            "findings/good-practice/a.md",
            "# Family group decision making\n\nText.\n",
            layout,
            Path::new("/x"),
            &mut problems,
        );
        assert_eq!(c.title.as_deref(), Some("Family group decision making"));
        assert!(!c.typst.contains("Family group"));
        assert!(problems.is_empty());
    }
}
