//! What a published output holds, as strings for the guard: the text a reader
//! reads and every other string in the file (alternative text, link targets
//! percent-decoded, metadata, tooltips, attributes), and the links that are
//! not web or e-mail addresses.

use std::io::Read;

use lopdf::Object;

/// The strings of one output, each with the place it was read from.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub texts: Vec<(String, String)>,
    /// Links that are not `http`, `https` or `mailto`.
    pub bad_links: Vec<(String, String)>,
    /// Files carried inside the output (a PDF's attachments), in words.
    pub attachments: Vec<String>,
    /// Places that turn text around without a character (a web page's
    /// `<bdo>`, `dir="rtl"` or bidi styles; an SVG's `direction`).
    pub turned: Vec<String>,
    /// Text printed where no reader can see it, or shown that is not in the
    /// text (a style sheet's `content:`), each a sentence.
    pub unseen: Vec<String>,
    /// For the texts of whole pages: the text's index in `texts`, and the
    /// byte offset where each page starts in it.
    pub page_starts: Vec<(usize, Vec<usize>)>,
}

impl Reading {
    /// Where a text's byte `at` is, for a message: its page where known.
    pub fn place(&self, text: usize, at: usize) -> String {
        match self.page_starts.iter().find(|(i, _)| *i == text) {
            Some((_, starts)) => format!("page {}", starts.partition_point(|&s| s <= at).max(1)),
            None => self.texts[text].0.clone(),
        }
    }
}

/// Separates runs of text within a line in the page text Typst's frames give.
pub const RUN: char = '\u{1F}';

/// The text of a typeset document's pages.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PageText {
    /// Each page's body in reading order.
    pub body: Vec<String>,
    /// The running headers, footers and backgrounds of every page.
    pub furniture: String,
    /// Runs of text stored in another order than they are drawn (each
    /// body's run is as drawn).
    pub stored: String,
    /// Each page's body as a reader sees it: the runs that can be seen
    /// (not white, clear or tiny), by where they stand, line by line.
    #[serde(default)]
    pub seen: Vec<String>,
    /// Runs of text no reader can see (clear, or smaller than 3 points), in words.
    #[serde(default)]
    pub unseen: Vec<String>,
}

/// Whether a link may appear in a published document: a web or e-mail address.
/// Browsers ignore spaces and control characters in a scheme ("java\tscript:"),
/// so they are dropped before looking.
pub fn allowed_link(url: &str) -> bool {
    let bare: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !super::fold::ignorable(*c))
        .collect::<String>()
        .to_ascii_lowercase();
    ["https://", "http://", "mailto:"].iter().any(|s| bare.starts_with(s))
}

/// A link target as a reader's software follows it: percent-decoded.
pub fn decoded_link(url: &str) -> String {
    percent_encoding::percent_decode_str(url)
        .decode_utf8_lossy()
        .into_owned()
}

/// Reads an output by its kind: a PDF (with the text of its pages, from
/// Typst's frames), a web page, a workbook, or any other file as text.
pub fn read(rel: &str, bytes: &[u8], pages: Option<&PageText>) -> Reading {
    let mut r = Reading::default();
    if let Some(pages) = pages {
        page_text(pages, &mut r);
    }
    if rel.ends_with(".pdf") {
        pdf(bytes, &mut r);
    } else if rel.ends_with(".html") {
        html(&String::from_utf8_lossy(bytes), &mut r);
    } else if rel.ends_with(".xlsx") {
        workbook(bytes, &mut r);
    } else if pages.is_none() {
        r.texts
            .push(("its text".into(), String::from_utf8_lossy(bytes).into_owned()));
    }
    r
}

/// The pages' text three ways, so that neither a change of style inside a
/// word, nor a line or page break, nor a hyphen at a line's end splits a
/// name: runs joined as they stand, runs apart, and hyphenated lines rejoined;
/// as drawn, and again as a reader sees the page (hidden runs left out, the
/// rest read line by line from where they stand).
fn page_text(pages: &PageText, r: &mut Reading) {
    r.texts
        .push(("its headers and footers".into(), pages.furniture.replace(RUN, "")));
    if !pages.stored.is_empty() {
        r.texts.push(("its text as stored".into(), pages.stored.clone()));
    }
    r.unseen.extend(
        pages
            .unseen
            .iter()
            .map(|w| format!("text no reader can see is printed: {w}")),
    );
    for (what, body) in [("its text", &pages.body), ("its text as seen", &pages.seen)] {
        for run in ["", " "] {
            let (mut text, mut starts) = (String::new(), Vec::new());
            for page in body {
                starts.push(text.len());
                text.push_str(&page.replace(RUN, run));
                text.push('\n');
            }
            r.page_starts.push((r.texts.len(), starts));
            r.texts.push((what.into(), text));
        }
        let rejoined = r.texts[r.texts.len() - 2]
            .1
            .replace("-\n", "")
            .replace("\u{2010}\n", "");
        r.texts.push((format!("{what}, hyphenated words rejoined"), rejoined));
    }
}

/// Every string and name of every object of the PDF (metadata, bookmarks,
/// alternative and actual text, link targets, form fields and tooltips) and
/// its XMP metadata; content streams are the pages' text, read from Typst.
fn pdf(bytes: &[u8], r: &mut Reading) {
    let Ok(doc) = lopdf::Document::load_mem(bytes) else {
        r.texts
            .push(("its bytes".into(), String::from_utf8_lossy(bytes).into_owned()));
        return;
    };
    let mut strings = String::new();
    for object in doc.objects.values() {
        if let Object::Stream(s) = object {
            let xml = s.dict.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Metadata".as_slice());
            if xml {
                let content = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
                strings.push_str(&String::from_utf8_lossy(&content));
                strings.push('\n');
            }
        }
        walk(object, &mut strings, r);
    }
    r.texts
        .push(("its metadata, links or alternative text".into(), strings));
}

fn walk(object: &Object, out: &mut String, r: &mut Reading) {
    match object {
        Object::String(bytes, _) => {
            out.push_str(&pdf_text(bytes));
            out.push('\n');
        }
        Object::Name(bytes) => {
            out.push_str(&String::from_utf8_lossy(bytes));
            out.push('\n');
        }
        Object::Array(items) => items.iter().for_each(|o| walk(o, out, r)),
        Object::Dictionary(d) => dictionary(d, out, r),
        Object::Stream(s) => dictionary(&s.dict, out, r),
        _ => {}
    }
}

fn dictionary(d: &lopdf::Dictionary, out: &mut String, r: &mut Reading) {
    attachment(d, r);
    // An action: only links to web or e-mail addresses.
    if let Ok(kind) = d.get(b"S").and_then(Object::as_name) {
        match kind {
            b"URI" => {
                if let Ok(Object::String(uri, _)) = d.get(b"URI") {
                    let uri = pdf_text(uri);
                    out.push_str(&decoded_link(&uri));
                    out.push('\n');
                    if !allowed_link(&uri) {
                        r.bad_links.push(("a link".into(), uri));
                    }
                }
            }
            b"JavaScript" | b"Launch" | b"ImportData" | b"SubmitForm" | b"GoToR" | b"GoToE" => {
                r.bad_links.push((
                    "an action".into(),
                    format!("a {} action", String::from_utf8_lossy(kind)),
                ));
            }
            _ => {}
        }
    }
    for (_, value) in d.iter() {
        walk(value, out, r);
    }
}

/// A file carried inside a PDF (`pdf.attach` in a template, say): its
/// embedded file, its file specification, the catalog's list of them, or an
/// annotation that opens one. The guard reads pages, not attachments, so a
/// published PDF may carry none.
fn attachment(d: &lopdf::Dictionary, r: &mut Reading) {
    let name = |key: &[u8]| d.get(key).ok().and_then(|o| o.as_name().ok());
    let what = if name(b"Type") == Some(b"EmbeddedFile".as_slice()) || d.has(b"EF") {
        let file = d
            .get(b"UF")
            .or_else(|_| d.get(b"F"))
            .ok()
            .and_then(|o| o.as_str().ok())
            .map(pdf_text);
        Some(match file {
            Some(f) => format!("an attached file, {}", crate::base::text::cut(&f)),
            None => "an attached file".to_string(),
        })
    } else if name(b"Subtype") == Some(b"FileAttachment".as_slice()) {
        Some("a file attachment on a page".to_string())
    } else if d.has(b"EmbeddedFiles") || d.has(b"AF") {
        Some("a list of attached files".to_string())
    } else {
        None
    };
    if let Some(what) = what {
        if !r.attachments.contains(&what) {
            r.attachments.push(what);
        }
    }
}

/// A PDF text string: UTF-16 with its byte order mark, else PDFDocEncoding
/// (read as Latin-1, which it equals for letters and digits).
fn pdf_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|&b| b as char).collect()
}

/// A web page's text (tags joined and apart, entities decoded) and its
/// attributes; links must be web or e-mail addresses or within the page, and
/// pictures embedded.
fn html(page: &str, r: &mut Reading) {
    let mut joined = String::new();
    let mut apart = String::new();
    let mut attributes = String::new();
    let sheets = Sheets::of(page, r);
    let mut seen = Seen::default();
    let mut rest = page;
    while let Some(i) = rest.find('<') {
        let text = entities(&rest[..i]);
        joined.push_str(&text);
        apart.push_str(&text);
        apart.push(' ');
        seen.text(&text);
        rest = &rest[i..];
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").unwrap_or(body.len());
            attributes.push_str(&body[..end]);
            attributes.push('\n');
            rest = body.get(end + 3..).unwrap_or("");
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[1..end.saturating_sub(1).max(1)];
        rest = &rest[end..];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        seen.tag(tag, &name, &sheets);
        for (key, value) in attributes_of(tag) {
            // Only a value with a character reference is copied to decode it.
            let value: std::borrow::Cow<str> = if value.contains('&') {
                entities(value).into()
            } else {
                value.into()
            };
            let link = matches!(
                key.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href" | "poster"
            );
            if link && !in_page(&name, &key, &value) && !allowed_link(&value) {
                r.bad_links
                    .push((format!("the <{name}> element's {key}"), value.to_string()));
            }
            if key.starts_with("on") {
                r.bad_links
                    .push((format!("the <{name}> element's {key}"), "a script".into()));
            }
            if !value.starts_with("data:") {
                attributes.push_str(&decoded_link(&value));
                attributes.push('\n');
            }
        }
        if name == "script" {
            r.bad_links.push(("a <script> element".into(), "a script".into()));
        }
        // Text a browser would show turned around, with no character to say so.
        let turns = name == "bdo"
            || attributes_of(tag).iter().any(|(k, v)| {
                let v = v.to_ascii_lowercase();
                (k == "dir" && v.contains("rtl")) || (k == "style" && (v.contains("bidi") || v.contains("direction")))
            });
        if turns {
            r.turned.push(format!("the <{name}> element"));
        }
        // A style sheet is not text.
        if name == "style" {
            rest = rest.find("</style").map_or("", |e| &rest[e..]);
        }
    }
    let text = entities(rest);
    joined.push_str(&text);
    apart.push_str(&text);
    seen.text(&text);
    r.texts.push(("its text".into(), joined));
    r.texts.push(("its text".into(), apart));
    r.texts.push(("its text as seen".into(), seen.text));
    r.texts
        .push(("its attributes (alternative text, links, titles)".into(), attributes));
}

/// What a page's style sheets hide: by class, by id and by element name
/// (`.skip { position: absolute; left: -999px }`, `nav { display: none }`).
#[derive(Default)]
struct Sheets {
    classes: Vec<String>,
    ids: Vec<String>,
    elements: Vec<String>,
}

/// Declarations that hide what they style, or move it out of sight (spaces
/// taken out, lower case).
const HIDING: &[&str] = &[
    "display:none",
    "visibility:hidden",
    "visibility:collapse",
    "font-size:0",
    "opacity:0",
    "left:-",
    "top:-",
    "text-indent:-",
    "clip:",
    "clip-path:",
    "transform:scale(0",
    "color:transparent",
];

fn hides(declarations: &str) -> bool {
    let d: String = declarations
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    d.split(';').any(|d| {
        HIDING.iter().any(|h| {
            d.starts_with(h)
                && !(h.ends_with(":0") && d[h.len()..].starts_with(['.', '1', '2', '3', '4', '5', '6', '7', '8', '9']))
        })
    })
}

impl Sheets {
    /// The rules of every `<style>` of the page; text a sheet writes itself
    /// (`content:`) is noted in `r`, as no reading of the page has it.
    fn of(page: &str, r: &mut Reading) -> Sheets {
        let mut sheets = Sheets::default();
        let lower = page.to_ascii_lowercase();
        let mut from = 0;
        while let Some(open) = lower[from..].find("<style").map(|i| from + i) {
            let body = lower[open..].find('>').map_or(lower.len(), |e| open + e + 1);
            let close = lower[body..].find("</style").map_or(lower.len(), |e| body + e);
            sheets.read(&lower[body..close], r);
            from = close.max(open + 1);
        }
        sheets
    }

    fn read(&mut self, sheet: &str, r: &mut Reading) {
        let (mut selector, mut block): (&str, Option<usize>) = ("", None);
        let mut last = 0;
        for (i, c) in sheet.char_indices() {
            match c {
                '{' => {
                    selector = &sheet[last..i];
                    block = Some(i + 1);
                    last = i + 1;
                }
                '}' => {
                    if let Some(start) = block.take() {
                        self.rule(selector, &sheet[start..i], r);
                    }
                    last = i + 1;
                }
                _ => {}
            }
        }
    }

    fn rule(&mut self, selector: &str, declarations: &str, r: &mut Reading) {
        let compact: String = declarations.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.split(';').any(|d| d.starts_with("content:")) {
            r.unseen.push(format!(
                "a style sheet writes text of its own ({} {{ {} }})",
                crate::base::text::cut(selector.trim()),
                crate::base::text::cut(declarations.trim())
            ));
        }
        if !hides(declarations) {
            return;
        }
        for one in selector.split(',') {
            // The element the rule styles: the last of the selector's parts.
            let last = one.split_whitespace().next_back().unwrap_or("");
            let last = last.split(['>', '+', '~']).next_back().unwrap_or("");
            let last = last.split(':').next().unwrap_or("");
            let element: String = last.chars().take_while(|c| c.is_alphanumeric()).collect();
            if !element.is_empty() {
                self.elements.push(element);
            }
            for (i, c) in last.char_indices() {
                let name: String = last[i + 1..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                match c {
                    '.' => self.classes.push(name),
                    '#' => self.ids.push(name),
                    _ => {}
                }
            }
        }
    }
}

/// A page's text as a reader sees it: the text of elements that are hidden
/// (the `hidden` attribute, a style that hides, a class, id or element a
/// style sheet hides) is left out, so that nothing hidden can split a name.
#[derive(Default)]
struct Seen {
    text: String,
    /// The open elements, and whether each hides what it holds.
    open: Vec<(String, bool)>,
    hidden: usize,
}

/// Elements that are never closed.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements a browser shows apart from the text around them.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "br",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "header",
    "footer",
    "nav",
    "main",
    "article",
    "aside",
    "figure",
    "figcaption",
    "blockquote",
    "dd",
    "dt",
    "dl",
    "hr",
    "caption",
    "title",
];

impl Seen {
    fn text(&mut self, text: impl AsRef<str>) {
        let text = text.as_ref();
        if self.hidden == 0 {
            self.text.push_str(text);
        }
    }

    fn tag(&mut self, tag: &str, name: &str, sheets: &Sheets) {
        // A block, a cell or a line break ends a word as the browser shows it.
        let element = tag
            .trim_start_matches('/')
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if BLOCKS.contains(&element.to_ascii_lowercase().as_str()) {
            self.text("\n");
        }
        if let Some(closing) = tag.strip_prefix('/') {
            let closing: String = closing
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            if let Some(at) = self.open.iter().rposition(|(n, _)| *n == closing) {
                for (_, hides) in self.open.drain(at..) {
                    self.hidden -= usize::from(hides);
                }
            }
            return;
        }
        if name.is_empty() || VOID.contains(&name) || tag.ends_with('/') {
            return;
        }
        let attributes = attributes_of(tag);
        let hides = sheets.elements.iter().any(|e| e == name)
            || attributes.iter().any(|(k, v)| {
                let v = v.to_ascii_lowercase();
                match k.as_str() {
                    "hidden" => true,
                    "aria-hidden" => false,
                    "style" => hides(&v),
                    "class" => v.split_whitespace().any(|c| sheets.classes.iter().any(|h| h == c)),
                    "id" => sheets.ids.iter().any(|h| *h == v.trim()),
                    _ => false,
                }
            });
        self.hidden += usize::from(hides);
        self.open.push((name.to_string(), hides));
    }
}

/// Links within the page, and pictures embedded in it (an `img`'s source, or
/// the SVG `image` a picture used more than once is drawn from).
fn in_page(element: &str, key: &str, value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    let picture = ["data:image/png;", "data:image/jpeg;", "data:image/svg+xml;"]
        .iter()
        .any(|p| v.starts_with(p));
    match key {
        "href" => v.starts_with('#') || (element == "image" && picture),
        "src" => picture,
        _ => false,
    }
}

/// The byte after a tag's closing `>`, quotes respected.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// A tag's attributes: (name in lower case, value as written). The values
/// are the tag's own text, not copies: a picture embedded in the page is a
/// value of megabytes.
fn attributes_of(tag: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    // Where the next character starts at or after `i`, and whether one does.
    let next = |i: usize, stop: &dyn Fn(char) -> bool| {
        tag[i..]
            .char_indices()
            .find(|&(_, c)| stop(c))
            .map_or(tag.len(), |(j, _)| i + j)
    };
    let first = |i: usize| tag[i..].chars().next();
    // Skip the element's name.
    let mut i = next(0, &|c| c.is_whitespace());
    while i < tag.len() {
        i = next(i, &|c| !(c.is_whitespace() || c == '/'));
        let start = i;
        i = next(i, &|c| c.is_whitespace() || c == '=' || c == '/');
        let key = tag[start..i].to_lowercase();
        i = next(i, &|c| !c.is_whitespace());
        let mut value = "";
        if first(i) == Some('=') {
            i = next(i + 1, &|c| !c.is_whitespace());
            match first(i) {
                Some(q @ ('"' | '\'')) => {
                    let end = next(i + 1, &|c| c == q);
                    value = &tag[i + 1..end];
                    i = (end + 1).min(tag.len());
                }
                Some(_) => {
                    let end = next(i, &|c| c.is_whitespace());
                    value = &tag[i..end];
                    i = end;
                }
                None => {}
            }
        }
        if !key.is_empty() {
            out.push((key, value));
        }
        if i == start {
            i += first(i).map_or(1, char::len_utf8);
        }
    }
    out
}

/// HTML's character references decoded: the named ones scrutiny's pages use,
/// and every numeric one.
pub fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // A numeric reference ends where its digits do, with or without a
        // semicolon, as a browser reads it ("&#72ello" is "Hello").
        let numeric = rest[1..].strip_prefix('#').map(|n| match n.strip_prefix(['x', 'X']) {
            Some(hex) => 3 + hex.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(hex.len()),
            None => 2 + n.find(|c: char| !c.is_ascii_digit()).unwrap_or(n.len()),
        });
        let end = numeric.unwrap_or_else(|| {
            rest[1..]
                .find(|c: char| !c.is_alphanumeric() && c != '#')
                .map_or(rest.len(), |e| e + 1)
        });
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{A0}'),
            "shy" => Some('\u{AD}'),
            "rsquo" => Some('\u{2019}'),
            "lsquo" => Some('\u{2018}'),
            _ => name.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A workbook's strings: the text and attributes of each of its XML parts.
fn workbook(bytes: &[u8], r: &mut Reading) {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        r.texts
            .push(("its bytes".into(), String::from_utf8_lossy(bytes).into_owned()));
        return;
    };
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else { continue };
        let Ok(name) = file.name().map(|n| n.to_string()) else {
            continue;
        };
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut text = String::new();
        if file.take(64 << 20).read_to_string(&mut text).is_err() {
            continue;
        }
        xml(&name, &text, r);
    }
}

/// A worksheet's attributes that place and style its cells ("G1534", style
/// 4, "s" for a shared string): written by scrutiny, never from data, and
/// read together they spell what looks like a case reference ("G1534 4 s"
/// folds like GL-5344), so a large folder's workbook was refused for nothing.
const SHEET_STRUCTURE: [&str; 6] = ["r", "s", "t", "ref", "sqref", "spans"];

/// An XML document's text nodes (joined and apart) and attribute values.
pub fn xml(place: &str, text: &str, r: &mut Reading) {
    let Ok(doc) = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    ) else {
        r.texts.push((place.to_string(), text.to_string()));
        return;
    };
    let (mut joined, mut apart, mut attributes) = (String::new(), String::new(), String::new());
    let sheet = place.starts_with("xl/worksheets/");
    let sheet_strings = sheet || place == "xl/sharedStrings.xml";
    for node in doc.descendants() {
        // A workbook's cells are apart however they are stored: one string
        // (`si`, `is`) may be written in runs, but two are never one word.
        if sheet_strings && matches!(node.tag_name().name(), "si" | "is" | "c") {
            joined.push('\n');
        }
        if let Some(t) = node.text().filter(|_| node.is_text() || node.is_comment()) {
            joined.push_str(t);
            apart.push_str(t);
            apart.push(' ');
        }
        for a in node.attributes() {
            if sheet && SHEET_STRUCTURE.contains(&a.name()) {
                continue;
            }
            attributes.push_str(&decoded_link(a.value()));
            attributes.push('\n');
        }
    }
    r.texts.push((place.to_string(), joined));
    r.texts.push((place.to_string(), apart));
    r.texts.push((format!("{place} (attributes)"), attributes));
    if doc.root_element().tag_name().name() == "svg" {
        let shown = drawn(&doc, r);
        r.texts.push((format!("{place} (as drawn)"), shown));
    }
}

/// An SVG's text in the order a reader sees it: each run of text by its
/// place (its own `x` and `y`, or its element's), top to bottom and left to
/// right, whatever order the file lists them in. A `direction` or
/// `unicode-bidi` that would draw it turned around is noted.
fn drawn(doc: &roxmltree::Document, r: &mut Reading) -> String {
    let at = |n: roxmltree::Node, key: &str| -> Option<f64> {
        n.ancestors()
            .filter(|a| a.is_element())
            .find_map(|a| a.attribute(key))
            .and_then(|v| v.split([' ', ',']).next())
            .and_then(|v| {
                v.trim_end_matches(|c: char| c.is_alphabetic() || c == '%')
                    .parse::<f64>()
                    .ok()
            })
            .filter(|v| v.is_finite())
    };
    let mut texts: Vec<(f64, f64, String)> = Vec::new();
    for node in doc.descendants().filter(|n| n.is_text()) {
        let in_text = node.ancestors().any(|a| a.tag_name().name() == "text");
        if !in_text {
            continue;
        }
        let turned = node.ancestors().any(|a| {
            ["direction", "unicode-bidi", "style", "writing-mode"]
                .iter()
                .filter_map(|k| a.attribute(*k))
                .any(|v| v.contains("rtl") || v.contains("bidi") || v.contains("direction"))
        });
        if turned && !r.turned.contains(&"an SVG's text".to_string()) {
            r.turned.push("an SVG's text".into());
        }
        let text = node.text().unwrap_or_default().to_string();
        texts.push((at(node, "y").unwrap_or(0.0), at(node, "x").unwrap_or(0.0), text));
    }
    texts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    texts.into_iter().map(|(_, _, t)| t).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worksheets_cell_places_and_styles_are_not_read_as_text() {
        let sheet = r#"<worksheet><sheetData><row r="1534" spans="1:9"><c r="G1534" s="4" t="s"><v>12</v></c></row></sheetData>
            <dataValidations><dataValidation sqref="G2:G1534" promptTitle="Pick Hamish Docherty"/></dataValidations></worksheet>"#;
        let mut r = Reading::default();
        xml("xl/worksheets/sheet2.xml", sheet, &mut r);
        let attributes = &r.texts.iter().find(|(w, _)| w.ends_with("(attributes)")).unwrap().1;
        assert!(!attributes.contains("G1534"), "{attributes}");
        assert!(
            attributes.contains("Pick Hamish Docherty"),
            "a prompt is text a reader sees"
        );
        let guard = crate::guard::Guard::new([("GL-5344", None)]);
        let folded = crate::guard::fold::fold_located(attributes);
        assert!(guard.hits(&folded).is_empty());
    }

    #[test]
    fn a_web_page_is_read_as_it_is_seen() {
        let page = r#"<html><head><style>@media print { nav, .skip { display: none; } }
            .gone { font-size: 0 } .faint { opacity: 0.6 }</style></head><body>
            <p>Ham<span hidden>zz</span>ish, Ei<i class="skip x">qq</i>lidh, Ta<b style="display:none">x</b>m,
            Sk<em class="gone">r</em>ye, Is<em class="faint">l</em>a, &#72ello&#x2C; <br>Io<u class="skip">zz</u>na</p><nav>Mhairi</nav></body></html>"#;
        let mut r = Reading::default();
        html(page, &mut r);
        let seen = &r.texts.iter().find(|(w, _)| w == "its text as seen").unwrap().1;
        for said in ["Hamish", "Eilidh", "Tam", "Skye", "Isla", "Hello,", "Iona"] {
            assert!(seen.contains(said), "{said} in {seen}");
        }
        assert!(!seen.contains("Mhairi"), "an element the sheet hides is not seen");
        assert!(
            r.texts[0].1.contains("Hello,"),
            "a reference without its semicolon is read"
        );
        assert!(r.unseen.is_empty());
        let mut r = Reading::default();
        html(
            "<style>.a::after { content: \"Docherty\" }</style><p class=a>Hamish</p>",
            &mut r,
        );
        assert_eq!(r.unseen.len(), 1, "{:?}", r.unseen);
    }

    #[test]
    fn only_web_and_mail_links_are_allowed() {
        for ok in ["https://example.org", "HTTP://x", "mailto:a@b.c"] {
            assert!(allowed_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "java\tscript:x",
            " data:text/html,x",
            "vbscript:x",
            "file:///etc",
            "x.md",
        ] {
            assert!(!allowed_link(bad), "{bad}");
        }
    }

    #[test]
    fn a_page_is_read_across_tags_with_its_attributes() {
        let mut r = Reading::default();
        html(
            "<p>Eil<em>id</em>h &#83;inclair</p><img alt=\"Gemma\" src=\"data:image/png;base64,AAA\"><a href=\"javascript:x\">y</a>",
            &mut r,
        );
        assert!(r.texts.iter().any(|(_, t)| t.contains("Eilidh Sinclair")), "{r:?}");
        assert!(r.texts.iter().any(|(_, t)| t.contains("Gemma")), "{r:?}");
        assert!(!r.texts.iter().any(|(_, t)| t.contains("AAA")), "{r:?}");
        assert_eq!(r.bad_links.len(), 1, "{r:?}");
    }
}
