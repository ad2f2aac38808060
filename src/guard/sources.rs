//! The folder's free-text sources, each read by the guard where it is
//! written: a TOML file's strings (escapes decoded), a CSV file's fields, an
//! `issued/` record's strings, a template as typed. A field that holds a
//! person (a contact's `name`, an addressee's `salutation`) may hold that
//! person's name, even one a child shares; nothing else may hold a child's.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_script::{Script, UnicodeScript};
use unicode_security::MixedScript;

use super::fold::{bidi_control, ignorable};
use super::{Field, Guard, Read};
use crate::base::error::{Problem, Problems};

/// One string of a TOML file: its keys from the top (array indexes left
/// out: `addressees.name`), its value with escapes decoded, and where the
/// value is written (quotes included).
#[derive(Debug, Clone)]
pub struct TomlString {
    pub path: String,
    pub value: String,
    pub span: Range<usize>,
}

/// Every string value of a TOML file, in the order written.
pub fn toml_values(text: &str) -> Vec<TomlString> {
    fn value(path: &str, v: &toml_edit::Value, out: &mut Vec<TomlString>) {
        match v {
            toml_edit::Value::String(s) => out.push(TomlString {
                path: path.to_string(),
                value: s.value().clone(),
                span: s.span().unwrap_or(0..0),
            }),
            toml_edit::Value::Array(a) => a.iter().for_each(|v| value(path, v, out)),
            toml_edit::Value::InlineTable(t) => t.iter().for_each(|(k, v)| value(&join(path, k), v, out)),
            _ => {}
        }
    }
    fn item(path: &str, i: &toml_edit::Item, out: &mut Vec<TomlString>) {
        match i {
            toml_edit::Item::Value(v) => value(path, v, out),
            toml_edit::Item::Table(t) => t.iter().for_each(|(k, i)| item(&join(path, k), i, out)),
            toml_edit::Item::ArrayOfTables(a) => a
                .iter()
                .for_each(|t| t.iter().for_each(|(k, i)| item(&join(path, k), i, out))),
            toml_edit::Item::None => {}
        }
    }
    fn join(path: &str, key: &str) -> String {
        match path {
            "" => key.to_string(),
            _ => format!("{path}.{key}"),
        }
    }
    let mut out = Vec::new();
    if let Ok(doc) = toml_edit::Document::parse(text.to_string()) {
        item("", doc.as_item(), &mut out);
    }
    out.sort_by_key(|s| s.span.start);
    out
}

/// A decoded string as a field of its file (the value starts after its
/// opening quote).
fn field(text: &str, s: TomlString) -> Field {
    let opening = text.get(s.span.start..).unwrap_or_default();
    let quotes = if opening.starts_with("\"\"\"") || opening.starts_with("'''") {
        3
    } else {
        1
    };
    Field {
        text: s.value,
        at: s.span.start + quotes,
        key: format!("key {}", s.path),
    }
}

/// A TOML file: every string, as typed and decoded. The values at
/// `person_keys` (`lead.name`, `addressees.salutation` ...) hold people.
pub fn toml(guard: &Guard, file: &str, text: &str, person_keys: &[&str], problems: &mut Problems) {
    let strings = toml_values(text);
    let allowed: Vec<Range<usize>> = strings
        .iter()
        .filter(|s| person_keys.contains(&s.path.as_str()))
        .map(|s| s.span.clone())
        .collect();
    let fields: Vec<Field> = strings.into_iter().map(|s| field(text, s)).collect();
    guard.check_source(file, text, &Read::Fields(&fields), &allowed, problems);
}

/// Only the strings of a TOML file whose keys `keep` takes (those that
/// reach a published document: `support.text` of a returned plan, say).
pub fn toml_part(guard: &Guard, file: &str, text: &str, keep: impl Fn(&str) -> bool, problems: &mut Problems) {
    let strings: Vec<TomlString> = toml_values(text).into_iter().filter(|s| keep(&s.path)).collect();
    let fields: Vec<Field> = strings.into_iter().map(|s| field(text, s)).collect();
    guard.check_source(file, text, &Read::Fields(&fields), &[], problems);
}

/// A CSV file as typed; the fields of `person_columns` hold people.
pub fn csv(guard: &Guard, file: &str, text: &str, person_columns: &[&str], problems: &mut Problems) {
    let fields = csv_fields(text);
    let header: Vec<String> = fields
        .iter()
        .filter(|f| f.record == 0)
        .map(|f| f.value.trim().to_string())
        .collect();
    let allowed: Vec<Range<usize>> = fields
        .iter()
        .filter(|f| f.record > 0)
        .filter(|f| {
            header
                .get(f.column)
                .is_some_and(|h| person_columns.contains(&h.as_str()))
        })
        .map(|f| f.span.clone())
        .collect();
    // Each field is printed apart; a quoted one starts after its quote.
    let fields: Vec<Field> = fields
        .into_iter()
        .filter(|f| f.record > 0)
        .map(|f| Field {
            at: f.span.start + usize::from(text.as_bytes().get(f.span.start) == Some(&b'"')),
            key: format!("column {}", header.get(f.column).map_or("?", String::as_str)),
            text: f.value,
        })
        .collect();
    guard.check_source(file, text, &Read::Fields(&fields), &allowed, problems);
}

/// A text read as typed, with nothing in it that holds a person (a template
/// of the folder's own, the survey's questions).
pub fn plain(guard: &Guard, file: &str, text: &str, problems: &mut Problems) {
    guard.check_source(file, text, &Read::Typed, &[], problems);
}

/// One field of a CSV text.
#[derive(Debug, Clone)]
struct CsvField {
    /// The record, from 0 (the header).
    record: usize,
    column: usize,
    /// Where it is written, quotes included.
    span: Range<usize>,
    value: String,
}

/// The fields of a CSV text as RFC 4180 reads them (quotes, doubled quotes,
/// line breaks inside quotes), each with its place.
fn csv_fields(text: &str) -> Vec<CsvField> {
    let bytes = text.as_bytes();
    let (mut out, mut record, mut column, mut at) = (Vec::new(), 0, 0, 0);
    while at < bytes.len() {
        let start = at;
        let mut value = String::new();
        if bytes[at] == b'"' {
            at += 1;
            while at < bytes.len() {
                if bytes[at] == b'"' {
                    if bytes.get(at + 1) == Some(&b'"') {
                        value.push('"');
                        at += 2;
                        continue;
                    }
                    at += 1;
                    break;
                }
                let end = next_special(bytes, at, b"\"");
                value.push_str(&text[at..end]);
                at = end;
            }
        }
        let end = next_special(bytes, at, b",\n");
        value.push_str(text[at..end].trim_end_matches('\r'));
        at = end;
        out.push(CsvField {
            record,
            column,
            span: start..at,
            value,
        });
        match bytes.get(at) {
            Some(b',') => column += 1,
            _ => {
                record += 1;
                column = 0;
            }
        }
        at += 1;
    }
    out
}

/// The first of `special` at or after `at`, or the end.
fn next_special(bytes: &[u8], at: usize, special: &[u8]) -> usize {
    bytes[at..]
        .iter()
        .position(|b| special.contains(b))
        .map_or(bytes.len(), |p| at + p)
}

/// One string of a JSON text, decoded, with its place and the key it is
/// the value of ("" for a key itself or an array's item outside any key).
#[derive(Debug, Clone)]
struct JsonString {
    value: String,
    span: Range<usize>,
    key: Option<String>,
    /// Inside an array held by a key: that key.
    in_list_of: Option<String>,
}

/// The strings of a JSON text in order, each with the key it belongs to.
fn json_strings(text: &str) -> Vec<JsonString> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut at, mut last_key, mut lists): (usize, Option<String>, Vec<Option<String>>) = (0, None, Vec::new());
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let start = at;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at = (at + 1).min(bytes.len());
                let value = serde_json::from_str::<String>(&text[start..at]).unwrap_or_default();
                let rest = text[at..].trim_start();
                if rest.starts_with(':') {
                    last_key = Some(value);
                    continue;
                }
                out.push(JsonString {
                    value,
                    span: start..at,
                    key: last_key.clone(),
                    in_list_of: lists.last().cloned().flatten(),
                });
                continue;
            }
            b'[' => lists.push(last_key.clone()),
            b']' => {
                lists.pop();
            }
            b'{' => lists.push(None),
            b'}' => {
                lists.pop();
            }
            _ => {}
        }
        at += 1;
    }
    out
}

/// An `issued/` record: every string, decoded, but the case references of
/// the children a request listed (data, never printed); a recipient's name
/// holds that person, when the folder knows that person.
pub fn issued(guard: &Guard, file: &str, text: &str, problems: &mut Problems) {
    let strings: Vec<JsonString> = json_strings(text)
        .into_iter()
        .filter(|s| s.in_list_of.as_deref() != Some("children"))
        .collect();
    // A recipient is written "name, role, organisation": the name is the
    // part before the first comma.
    let allowed: Vec<Range<usize>> = strings
        .iter()
        .filter_map(|s| match s.key.as_deref() {
            Some("name") => Some(s.span.clone()),
            Some("recipient") => {
                let name = s.value.find(',').map_or(s.span.end, |comma| s.span.start + 1 + comma);
                Some(s.span.start..name.min(s.span.end))
            }
            _ => None,
        })
        .collect();
    let fields: Vec<Field> = strings
        .into_iter()
        .map(|s| Field {
            at: s.span.start + 1,
            key: format!("key {}", s.key.unwrap_or_default()),
            text: s.value,
        })
        .collect();
    guard.check_source(file, text, &Read::Fields(&fields), &allowed, problems);
}

/// Problems for what makes text show other than it reads: a character that
/// turns it around, and a word mixing scripts (a Cyrillic "а" among Latin
/// letters, Arabic digits in a reference), in `text` as typed and in its
/// decoded `pieces`.
pub fn hygiene(file: &str, text: &str, read: &Read, problems: &mut Problems) {
    let mut found: std::collections::BTreeMap<usize, Problem> = Default::default();
    let mut read_one = |piece: &str, base: usize, exact: bool| {
        for (at, c) in piece.char_indices().filter(|&(_, c)| bidi_control(c)) {
            let at = if exact { base + at } else { base };
            found.entry(at).or_insert_with(|| {
                locate(file, text, at)
                    .message(format!(
                        "a character that turns text around (U+{:04X}) is written here",
                        c as u32
                    ))
                    .help("it makes text show other than it reads: delete it (retype the line if you cannot see it)")
            });
        }
        let spaced = piece
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - piece.as_ptr() as usize, w));
        let digits = spaced.filter_map(|(at, w)| mixed_digits(w).map(|s| (at, w, s)));
        let scripts = words(piece).filter_map(|(at, w)| mixed(w).map(|s| (at, w, s)));
        for (at, word, scripts) in digits.chain(scripts) {
            let at = if exact { base + at } else { base };
            found.entry(at).or_insert_with(|| {
                locate(file, text, at)
                    .message(format!(
                        "the word \"{}\" mixes {scripts}",
                        crate::base::text::cut(&shown(word))
                    ))
                    .help("a letter or digit of another alphabet that looks like a Latin one can hide a name: retype the word")
            });
        }
    };
    match read {
        Read::Typed => read_one(text, 0, true),
        Read::Prose(events) => {
            read_one(text, 0, true);
            for (piece, at) in events.iter() {
                read_one(piece, *at, false);
            }
        }
        // A field is placed exactly when it is written without escapes.
        Read::Fields(fields) => {
            for f in fields.iter() {
                let exact = text.get(f.at..f.at + f.text.len()) == Some(f.text.as_str());
                read_one(&f.text, f.at, exact);
            }
        }
    }
    for p in found.into_values() {
        problems.push(p);
    }
}

/// A problem at byte `at` of `text` (the file's start when `text` is not there).
fn locate(file: &str, text: &str, at: usize) -> Problem {
    let p = Problem::new(file, "");
    if text.is_empty() || at > text.len() {
        return p;
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (line, column) = crate::base::text::line_col(text, at);
    p.at(line, column)
}

/// The words of a text (between spaces and punctuation: "β-blockers" and
/// "Polish/Русский" are two words each) and where each starts.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let apart = |c: char| !(c.is_alphanumeric() || is_combining_mark(c) || ignorable(c));
    text.split(apart)
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// Digits of another script in a word (between spaces) with Latin letters:
/// "GL-٢٠٠٥٦" is a case reference written to be missed.
fn mixed_digits(word: &str) -> Option<String> {
    let digit = word.chars().find(|c| {
        c.is_numeric() && !c.is_ascii() && !matches!(c.script(), Script::Common | Script::Inherited | Script::Unknown)
    })?;
    word.chars()
        .any(|c| c.is_ascii_alphabetic())
        .then(|| format!("{} digits with Latin letters", digit.script().full_name()))
}

/// The scripts a word mixes, in words ("Latin and Cyrillic letters"), when
/// it mixes any. The micro sign is Latin's too ("5μg").
fn mixed(word: &str) -> Option<String> {
    let word: String = word
        .chars()
        .filter(|&c| !ignorable(c) && !matches!(c, 'μ' | 'µ'))
        .collect();
    if word.is_ascii() || word.as_str().is_single_script() {
        return None;
    }
    let mut scripts: Vec<&str> = Vec::new();
    for c in word.chars() {
        let s = c.script();
        if matches!(s, Script::Common | Script::Inherited | Script::Unknown) {
            continue;
        }
        let name = s.full_name();
        if !scripts.contains(&name) {
            scripts.push(name);
        }
    }
    Some(match scripts.as_slice() {
        [] => "letters of different scripts".to_string(),
        [one] => format!("{one} letters with others"),
        [init @ .., last] => format!("{} and {last} letters", init.join(", ")),
    })
}

/// A word as a message shows it: controls and invisible characters as codes.
fn shown(word: &str) -> String {
    word.chars()
        .map(|c| {
            if c.is_control() || ignorable(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A child who shares her name with two people the folder knows (one
    /// written surname first, as a contact may be).
    fn guard() -> Guard {
        Guard::new([("GL-200056", Some("Eilidh Sinclair"))])
            .with_people(&[], ["Eilidh Sinclair", "Ann Lee", "Sinclair, Eilidh"])
    }

    fn problems(f: impl FnOnce(&Guard, &mut Problems)) -> Vec<Problem> {
        let mut p = Problems::default();
        f(&guard(), &mut p);
        p.into_vec()
    }

    #[test]
    fn a_person_field_may_hold_a_name_a_child_shares_and_nothing_else_may() {
        let text = "[lead]\nname = \"Eilidh Sinclair\"\n[[care_services]]\nname = \"Eilidh Sinclair's house\"\n";
        let p = problems(|g, p| toml(g, "inspection.toml", text, &["lead.name"], p));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].line, Some(4));
        // A reference is never a person's.
        let p = problems(|g, p| {
            toml(
                g,
                "inspection.toml",
                "[lead]\nname = \"GL-200056\"\n",
                &["lead.name"],
                p,
            )
        });
        assert_eq!(p.len(), 1, "{p:?}");
        // A person's field holds that person's name, not another's.
        let text = "[lead]\nname = \"Ann Lee\"\nemail = \"eilidh.sinclair@example.org\"\n";
        let p = problems(|g, p| toml(g, "inspection.toml", text, &["lead.name", "lead.email"], p));
        assert_eq!(p.len(), 0, "a person of that name is known: {p:?}");
        // Where no one of the name is known, the name in a person's field is the child's.
        let stranger = Guard::new([("GL-200056", Some("Eilidh Sinclair"))]).with_people(&[], ["Ann Lee"]);
        let mut p = Problems::default();
        let text = "[lead]\nname = \"Ann Lee, for Sinclair Eilidh\"\n";
        toml(&stranger, "inspection.toml", text, &["lead.name"], &mut p);
        assert_eq!(p.len(), 1, "{p:?}");
    }

    #[test]
    fn escapes_are_read_decoded() {
        let text = "[[strengths]]\ntext = \"Support for \\u0045ilidh Sinclair\"\n";
        assert_eq!(
            problems(|g, p| toml(g, "findings/findings.toml", text, &[], p)).len(),
            1
        );
    }

    #[test]
    fn csv_fields_are_read_with_their_places() {
        let text = "id,name,role\nx,\"Sinclair, Eilidh\",Officer\ny,Ann Lee,\"Eilidh \"\"Sinclair\"\"\"\n";
        let fields = csv_fields(text);
        assert_eq!(fields.len(), 9);
        assert_eq!(fields[4].value, "Sinclair, Eilidh");
        assert_eq!(fields[8].value, "Eilidh \"Sinclair\"");
        assert_eq!(&text[fields[8].span.clone()], "\"Eilidh \"\"Sinclair\"\"\"");
        let p = problems(|g, p| csv(g, "contacts.csv", text, &["name"], p));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].column), (Some(3), Some(12)));
    }

    #[test]
    fn issued_records_skip_the_childrens_references() {
        let text = r#"{"documents":[{"path":"requests/a.pdf","facts":{"recipient":{"name":"Eilidh Sinclair","role":"x"},"children":["GL-200056"]}}]}"#;
        assert!(problems(|g, p| issued(g, "issued/2013-01-01.json", text, p)).is_empty());
        let text = text.replace("\"role\":\"x\"", "\"role\":\"Carer of Eilidh Sinclair\"");
        assert_eq!(problems(|g, p| issued(g, "issued/2013-01-01.json", &text, p)).len(), 1);
    }

    #[test]
    fn ordinary_words_of_other_alphabets_and_direction_marks_pass() {
        let text = "Some take \u{03B2}-blockers, 5\u{03BC}g or 5\u{00B5}g a day.\nLeaflets in Polish/\u{0420}\u{0443}\u{0441}\u{0441}\u{043A}\u{0438}\u{0439}.\n\u{200E}Left\u{200F} \u{061C}mark.";
        let mut p = Problems::default();
        hygiene("findings/q.md", text, &Read::Typed, &mut p);
        assert!(p.into_vec().is_empty());
        let mut p = Problems::default();
        hygiene(
            "findings/q.md",
            "Turned \u{2067}around\u{2069} and \u{202D}over",
            &Read::Typed,
            &mut p,
        );
        assert_eq!(p.into_vec().len(), 3);
    }

    #[test]
    fn turned_text_and_mixed_scripts_are_refused_where_they_are_written() {
        let text = "Fine.\nWe met \u{202E}rialcniS hdiliE.\nA G\u{0435}mma and GL-\u{0662}\u{0660}.\nΑθήνα and café.";
        let mut p = Problems::default();
        hygiene("findings/q.md", text, &Read::Typed, &mut p);
        let p = p.into_vec();
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!((p[0].line, p[0].column), (Some(2), Some(8)));
        assert!(p[1].message.contains("Latin and Cyrillic"), "{}", p[1].message);
        assert!(p[2].message.contains("Arabic"), "{}", p[2].message);
    }
}
