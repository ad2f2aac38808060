//! `inspection.toml` as parsed text: syntax errors, every unknown key at once,
//! typed deserialisation, and line/column lookup for later checks.

use std::ops::Range;

use schemars::Schema;
use serde::de::DeserializeOwned;
use toml_edit::{Document, Item, TableLike};

use crate::base::error::{did_you_mean, Problem, Problems};
use crate::base::text::line_col;

pub(super) struct TomlSource {
    file: &'static str,
    text: String,
    doc: Document<String>,
    /// Byte ranges of unknown keys (key through value), blanked before typed
    /// deserialisation so that one unknown key does not hide other problems.
    unknown: Vec<Range<usize>>,
}

/// One step of a path into the document.
#[derive(Clone, Copy)]
pub(super) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl TomlSource {
    /// Parses the text, reporting a syntax error or every unknown key.
    /// The keys allowed are those of `schema`, the type the file deserialises to.
    pub(super) fn parse(
        file: &'static str,
        text: &str,
        schema: &Schema,
        problems: &mut Problems,
    ) -> Option<TomlSource> {
        let doc = match Document::parse(text.to_string()) {
            Ok(doc) => doc,
            Err(e) => {
                let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
                let message = e.message().trim().to_string();
                let offset = e.span().map_or(0, |s| s.start);
                let (message, help) = match value_at(text, offset) {
                    Some(v) if looks_like_date(v) => {
                        (format!("{v} is not a date written as TOML reads dates"), date_help(v))
                    }
                    _ => (format!("this is not valid TOML: {message}"), syntax_help(&message)),
                };
                problems.push(Problem::new(file, message).at(line, col).help(help));
                return None;
            }
        };
        let mut src = TomlSource {
            file,
            text: text.to_string(),
            doc,
            unknown: Vec::new(),
        };
        let mut found = Vec::new();
        walk(schema.as_value(), src.doc.as_table(), "", &mut found, &mut src.unknown);
        for (offset, message, help) in found {
            let (line, col) = line_col(text, offset);
            problems.push(Problem::new(file, message).at(line, col).help(help));
        }
        Some(src)
    }

    /// The file's name in messages.
    pub(super) fn file(&self) -> &'static str {
        self.file
    }

    /// The file's text as written.
    pub(super) fn text(&self) -> &str {
        &self.text
    }

    /// Deserialises the typed settings (unknown keys blanked out), reporting the
    /// first type error or missing key with its location.
    pub(super) fn deserialize<T: DeserializeOwned>(&self, problems: &mut Problems) -> Option<T> {
        let mut bytes = self.text.clone().into_bytes();
        for r in &self.unknown {
            for b in &mut bytes[r.clone()] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
        }
        let blanked = String::from_utf8(bytes).expect("ASCII spaces keep UTF-8 valid at char boundaries");
        match toml::from_str::<T>(&blanked) {
            Ok(v) => Some(v),
            Err(e) => {
                let (line, col) = e.span().map(|s| line_col(&self.text, s.start)).unwrap_or((1, 1));
                let message = e.message().trim().to_string();
                let (message, help) = match message.split_once(crate::base::named::HELP) {
                    Some((m, h)) => (m.to_string(), h.to_string()),
                    None if message.starts_with("missing field") => (
                        message,
                        "add it; see the worked example made by `scrutiny init`".to_string(),
                    ),
                    None if message.contains("expected a TOML datetime") || message.contains("expected a date") => {
                        let value = e.span().map(|s| &self.text[s]).unwrap_or_default();
                        let value = value.trim();
                        let what = if value.starts_with('"') {
                            format!("{value} is in quotes, so it is text, not a date")
                        } else {
                            format!("{value} is not a date")
                        };
                        (what, date_help(value))
                    }
                    None => (
                        message,
                        "see `scrutiny init` for a complete, valid inspection.toml".to_string(),
                    ),
                };
                problems.push(Problem::new(self.file, message).at(line, col).help(help));
                None
            }
        }
    }

    /// The item at a path of table keys, when the file has it.
    pub(super) fn item(&self, path: &[&str]) -> Option<&Item> {
        let mut table: &dyn TableLike = self.doc.as_table();
        let mut item = None;
        for (i, key) in path.iter().enumerate() {
            let next = table.get(key)?;
            item = Some(next);
            if i + 1 < path.len() {
                table = next.as_table_like()?;
            }
        }
        item
    }

    /// A problem located at the value of `path`, or at the nearest part that exists.
    pub(super) fn locate(&self, path: &[Seg]) -> Problem {
        let mut best: Option<usize> = None;
        let mut table: Option<&dyn TableLike> = Some(self.doc.as_table());
        let mut item: Option<&Item> = None;
        for seg in path {
            match (seg, table, item) {
                (Seg::Key(k), Some(t), _) => {
                    let Some(next) = t.get(k) else { break };
                    best = next.span().map(|s| s.start).or(best);
                    table = next.as_table_like();
                    item = Some(next);
                }
                (Seg::Index(i), _, Some(Item::ArrayOfTables(a))) => {
                    let Some(t) = a.get(*i) else { break };
                    best = t.span().map(|s| s.start).or(best);
                    table = Some(t);
                    item = None;
                }
                (Seg::Index(i), _, Some(Item::Value(toml_edit::Value::Array(a)))) => {
                    let Some(v) = a.get(*i) else { break };
                    best = v.span().map(|s| s.start).or(best);
                    table = v.as_inline_table().map(|t| t as &dyn TableLike);
                    item = None;
                }
                _ => break,
            }
        }
        let (line, col) = best.map(|b| line_col(&self.text, b)).unwrap_or((1, 1));
        Problem::new(self.file, "").at(line, col)
    }
}

fn walk(
    schema: &serde_json::Value,
    table: &dyn TableLike,
    name: &str,
    found: &mut Vec<(usize, String, String)>,
    unknown: &mut Vec<Range<usize>>,
) {
    let Some(props) = schema.get("properties").and_then(|p| p.as_object()) else {
        return;
    };
    let known: Vec<&str> = props.keys().map(String::as_str).collect();
    for (key, item) in table.iter() {
        let key_span = table.key(key).and_then(|k| k.span());
        if !known.contains(&key) {
            let where_ = if name.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in [{name}]")
            };
            let help = match did_you_mean(key, known.iter().copied()) {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("the keys allowed {where_} are: {}", known.join(", ")),
            };
            let start = key_span
                .as_ref()
                .map(|s| s.start)
                .or(item.span().map(|s| s.start))
                .unwrap_or(0);
            found.push((start, format!("unknown key `{key}` {where_}"), help));
            blank_item(key_span, item, unknown);
            continue;
        }
        let child = if name.is_empty() {
            key.to_string()
        } else {
            format!("{name}.{key}")
        };
        // A table's own schema, or its items' for an array of tables.
        let sub = &props[key];
        let sub = sub.get("items").unwrap_or(sub);
        match item {
            Item::Table(t) => walk(sub, t, &child, found, unknown),
            Item::Value(toml_edit::Value::InlineTable(t)) => walk(sub, t, &child, found, unknown),
            Item::ArrayOfTables(a) => {
                for t in a.iter() {
                    walk(sub, t, &child, found, unknown);
                }
            }
            Item::Value(toml_edit::Value::Array(a)) => {
                for v in a.iter() {
                    if let toml_edit::Value::InlineTable(t) = v {
                        walk(sub, t, &child, found, unknown);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Marks an unknown key and everything under it for blanking.
fn blank_item(key_span: Option<Range<usize>>, item: &Item, unknown: &mut Vec<Range<usize>>) {
    match item {
        Item::Table(t) => {
            // A [header]: blank the header and each of its entries.
            if let Some(s) = t.span() {
                unknown.push(s);
            }
            for (k, v) in t.iter() {
                blank_item(t.key(k).and_then(|k| k.span()), v, unknown);
            }
        }
        Item::ArrayOfTables(a) => {
            for t in a.iter() {
                if let Some(s) = t.span() {
                    unknown.push(s);
                }
                for (k, v) in t.iter() {
                    blank_item(t.key(k).and_then(|k| k.span()), v, unknown);
                }
            }
        }
        _ => {
            if let (Some(k), Some(v)) = (key_span, item.span()) {
                unknown.push(k.start..v.end);
            }
        }
    }
}

/// How to write the date the user meant: `04/03/2013` and `"2013-03-04"` both
/// become `2013-03-04`, unquoted (day first, as dates are written in Scotland).
fn date_help(value: &str) -> String {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let parsed = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(v, "%d/%m/%Y"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(v, "%d.%m.%Y"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(v, "%d-%m-%Y"));
    match parsed {
        Ok(d) => format!("write dates as YYYY-MM-DD without quotes: {d}"),
        Err(_) => "write dates as YYYY-MM-DD without quotes, e.g. 2013-03-04".into(),
    }
}

/// The value on the line of a syntax error, if the line is `key = value`.
fn value_at(text: &str, offset: usize) -> Option<&str> {
    let start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let value = line.split_once('=')?.1;
    Some(value.split('#').next().unwrap_or(value).trim())
}

/// Does the value look like a date written some other way (04/03/2013, 4.3.2013)?
fn looks_like_date(value: &str) -> bool {
    let v = value.trim_matches('"');
    v.chars().any(|c| c.is_ascii_digit())
        && v.chars().all(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | '-'))
        && v.chars().filter(|c| matches!(c, '/' | '.' | '-')).count() == 2
}

fn syntax_help(message: &str) -> String {
    if message.contains("date") || message.contains("time") {
        "dates are written without quotes as YYYY-MM-DD, e.g. commencement = 2013-03-04".into()
    } else if message.contains("string") {
        "text goes in double quotes, e.g. area = \"Glenaird\"".into()
    } else {
        "check this line against the worked example made by `scrutiny init`".into()
    }
}
