//! Turning untrusted values into Typst source that prints them literally.
//!
//! minijinja writes every `{{ value }}` through `formatter`: in markup each
//! ASCII punctuation character is backslash-escaped (Typst reads `\` + any
//! non-space character as that character), so `#`, `$`, `*`, `//`, `=` at a line
//! start, `{{` and the rest stay text. In code, `{{ value|typ }}` gives a Typst
//! literal (string, number, array or dictionary).

use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};

use crate::base::text;

/// Escapes text for Typst markup so that it prints exactly as written.
pub fn markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A line break in the data is a line break on the page, without
            // starting a new source line (which could begin a heading or list).
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\ "),
            '\t' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A Typst string literal.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Any template value as a Typst literal.
pub fn literal(v: &Value) -> Result<String, Error> {
    Ok(match v.kind() {
        ValueKind::Undefined | ValueKind::None => "none".into(),
        ValueKind::Bool => if v.is_true() { "true" } else { "false" }.into(),
        ValueKind::Number => {
            if let Ok(i) = i64::try_from(v.clone()) {
                i.to_string()
            } else {
                let f = f64::try_from(v.clone()).unwrap_or(0.0);
                if f.is_finite() {
                    format!("{f:?}")
                } else {
                    "0.0".into()
                }
            }
        }
        ValueKind::String => string_literal(v.as_str().unwrap_or_default()),
        ValueKind::Seq | ValueKind::Iterable => {
            let mut out = String::from("(");
            for item in v.try_iter()? {
                out.push_str(&literal(&item)?);
                out.push_str(", ");
            }
            out.push(')');
            out
        }
        ValueKind::Map => {
            let mut out = String::from("(");
            let mut any = false;
            for key in v.try_iter()? {
                let item = v.get_item(&key)?;
                out.push_str(&string_literal(&key.to_string()));
                out.push_str(": ");
                out.push_str(&literal(&item)?);
                out.push_str(", ");
                any = true;
            }
            if !any {
                out.push(':');
            }
            out.push(')');
            out
        }
        _ => string_literal(&v.to_string()),
    })
}

fn formatter(out: &mut Output, _state: &State, value: &Value) -> Result<(), Error> {
    if value.is_safe() {
        return write!(out, "{value}").map_err(Error::from);
    }
    if value.is_none() || value.is_undefined() {
        return Ok(());
    }
    write!(out, "{}", markup(&value.to_string())).map_err(Error::from)
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, Error> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("`{s}` is not a date (YYYY-MM-DD)")))
}

/// The filters of every template, for `REFERENCE.md`: name, what it does, and
/// an example expression (evaluated on the worked example there).
pub const FILTERS: &[(&str, &str, &str)] = &[
    ("date", "A date in words.", "schedule.core.start|date"),
    ("day", "A date in words with its weekday.", "schedule.core.start|day"),
    ("short", "A date in short words, for tables.", "schedule.core.start|short"),
    ("weekday", "The day of the week of a date.", "schedule.core.start|weekday"),
    (
        "words",
        "A count in running text, in the house style: \"no\" for none, one to nine in words, 10 and above in figures (\"1,204\"): `{{ methodology.action_plan_weeks|words }} weeks` is \"six weeks\". Figures stay in tables, references, dates, percentages and statistics.",
        "methodology.action_plan_weeks|words",
    ),
    (
        "spelt",
        "A count that opens a sentence, all in words (\"no\", \"eighteen\", \"one hundred and four\"): `{{ comments|length|spelt|capitalize }} comments ...`. A sentence never opens with a figure.",
        "methodology.action_plan_weeks|spelt|capitalize",
    ),
    (
        "typ",
        "Any value as a Typst value (a string in quotes, a list, a dictionary), for use in Typst code: `#contact-line({{ inspection.lead|typ }}, \"Inspection Lead\")`.",
        "inspection.lead|typ",
    ),
];

/// The template environment: Typst escaping, strict undefined variables, and
/// filters for dates in words and Typst literals.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Custom("typst"));
    env.set_formatter(formatter);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Block tags on lines of their own leave no blank lines behind, which keeps
    // Typst line numbers close to the template's.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_filter("typ", |v: Value| -> Result<Value, Error> {
        Ok(Value::from_safe_string(literal(&v)?))
    });
    add_date_filters(&mut env);
    env
}

/// The environment of HTML templates (`public-report.html`): HTML escaping,
/// strict undefined variables and the same date filters.
pub fn html_environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    add_date_filters(&mut env);
    env
}

/// `date`, `day`, `short` and `weekday`: ISO dates in words; `words` and
/// `spelt`: counts in the house style.
fn add_date_filters(env: &mut Environment<'static>) {
    env.add_filter("date", |s: String| -> Result<String, Error> {
        Ok(text::date_words(parse_date(&s)?))
    });
    env.add_filter("day", |s: String| -> Result<String, Error> {
        Ok(text::date_words_long(parse_date(&s)?))
    });
    env.add_filter("short", |s: String| -> Result<String, Error> {
        Ok(text::date_short(parse_date(&s)?))
    });
    env.add_filter("weekday", |s: String| -> Result<String, Error> {
        Ok(parse_date(&s)?.format("%A").to_string())
    });
    // The house style for counts in prose, one rule for every template (and
    // for the sentences written in Rust, through the same functions): "no"
    // for none, one to nine in words, 10 and above in figures with a
    // thousands separator ("three service areas", "12 weeks", "1,204
    // children"); a count that opens a sentence is spelt out whatever its
    // size (`spelt`, then `capitalize`), or the sentence is turned round.
    // Tables, references ("R1", "QI 5.2"), dates, percentages, page numbers
    // and statistics keep their figures.
    env.add_filter("words", |n: usize| crate::rules::methodology::house_count(n));
    env.add_filter("spelt", |n: usize| crate::rules::methodology::spelt(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_every_special_character() {
        assert_eq!(markup("#let x = 1"), "\\#let x \\= 1");
        assert_eq!(markup("a*b*_c_"), "a\\*b\\*\\_c\\_");
        assert_eq!(markup("= Heading"), "\\= Heading");
        assert_eq!(markup("1. one"), "1\\. one");
        assert_eq!(markup("x\ny"), "x\\ y");
        assert_eq!(markup("Dùn Èideann"), "Dùn Èideann");
    }

    #[test]
    fn every_listed_filter_exists() {
        let env = environment();
        let ctx = serde_json::json!({"schedule": {"core": {"start": "2013-03-14"}}, "inspection": {"lead": {"name": "M"}}, "methodology": {"action_plan_weeks": 6}});
        for (name, _, expr) in FILTERS {
            let out = env.render_str(&format!("{{{{ {expr} }}}}"), &ctx);
            assert!(out.is_ok(), "filter {name}: {out:?}");
        }
        assert_eq!(
            env.render_str("{{ schedule.core.start|day }}", &ctx).unwrap(),
            "Thursday 14 March 2013"
        );
        let words = |n: usize| {
            let ctx = serde_json::json!({"n": n});
            html_environment()
                .render_str("{{ n|words }} / {{ n|spelt|capitalize }}", &ctx)
                .unwrap()
        };
        assert_eq!(words(0), "no / No");
        assert_eq!(words(3), "three / Three");
        assert_eq!(words(12), "12 / Twelve");
        assert_eq!(words(1204), "1,204 / One thousand two hundred and four");
    }

    #[test]
    fn literals_are_typst() {
        assert_eq!(string_literal("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
        let v = Value::from_serialize(serde_json::json!({"a": [1, "x"], "b": null}));
        assert_eq!(literal(&v).unwrap(), "(\"a\": (1, \"x\", ), \"b\": none, )");
        assert_eq!(literal(&Value::from_serialize(serde_json::json!({}))).unwrap(), "(:)");
    }
}
