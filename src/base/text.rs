//! Small text helpers shared by every document: dates in words and file slugs.

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// British style, as letters print dates: "27 March 2013".
pub fn date_words(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// With the weekday: "Wednesday 27 March 2013".
pub fn date_words_long(d: NaiveDate) -> String {
    format!("{} {}", d.format("%A"), date_words(d))
}

/// Phrases in a sentence: "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Compact, for tables: "Wed 27 Mar 2013".
pub fn date_short(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// A file-name slug: lower-case ASCII letters and digits joined by single hyphens.
/// Letters with accents keep their base letter ("Comhairle nan Eilean Siar" and
/// "Dùn Èideann" both stay readable); anything else separates words.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in s.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '\u{2019}' {
            pending_dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("untitled");
    }
    out
}

/// The text of an HTML page as a reader sees it: tags dropped (each a space),
/// the common entities read, styles left out.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = &rest[i..];
        // Style sheets are not text.
        let end = if rest.starts_with("<style") {
            rest.find("</style>").map(|e| e + "</style>".len())
        } else {
            rest.find('>').map(|e| e + 1)
        };
        rest = &rest[end.unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    // `&amp;` last, so that "&amp;lt;" reads as "&lt;".
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

/// A number with thousands separators: 20,000.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text with its first letter in capitals: "Very good: lots of
/// strengths", "Eighteen".
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A decimal without trailing zeros, to four places: 0.1, 95, 96.0365.
pub fn decimal(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ç' | 'Ç' => 'c',
        'ñ' | 'Ñ' => 'n',
        other => other,
    };
    std::iter::once(base)
}

/// A count with its noun, for the program's own messages: "1 problem",
/// "1,204 problems". (A count a document prints goes through the
/// small-number rule: `rules::methodology::Methodology::count`.)
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// A path with forward slashes, as messages and the manifest show it.
pub fn slashed(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// How much of a value a message quotes.
const QUOTE: usize = 80;

/// At most `QUOTE` characters of a value, for a message, on one line and
/// with every control character shown escaped (see [`printable`]).
pub fn cut(value: &str) -> String {
    let value = one_line(value);
    if value.chars().count() <= QUOTE {
        return value;
    }
    let short: String = value.chars().take(QUOTE - 1).collect();
    format!("{short}…")
}

/// `text` in lines of at most `width` characters, broken between words, in
/// at most `lines` lines: a word is never cut, and a text longer than the
/// lines hold ends its last line with "…" after a whole word (a word longer
/// than `width` stands on a line of its own).
pub fn wrap_words(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for word in &words {
        let fits = out
            .last()
            .is_some_and(|l| l.chars().count() + 1 + word.chars().count() <= width);
        if fits {
            let last = out.last_mut().expect("a line");
            last.push(' ');
            last.push_str(word);
        } else if out.len() < lines.max(1) {
            out.push((*word).to_string());
        } else {
            // No room left: the last line ends after its last whole word.
            let last = out.last_mut().expect("a line");
            last.push('…');
            break;
        }
    }
    out
}

/// `value` on one line, every control character (line breaks too) escaped.
pub fn one_line(value: &str) -> String {
    value.chars().map(|c| escaped(c, true)).collect()
}

/// Whether a character would act on a terminal or reorder the text around it
/// rather than print: C0 and C1 controls, DEL, and the bidirectional controls
/// (embeddings, overrides, isolates and marks).
pub fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `c` as a message shows it: a control character as `\u{1b}`, so a value
/// read from a file (a form's field, a file name, a TOML string) cannot colour,
/// move or rewrite the terminal. Line breaks and tabs stay unless `one_line`.
fn escaped(c: char, one_line: bool) -> String {
    match c {
        '\n' | '\t' if !one_line => c.to_string(),
        c if is_control(c) => format!("\\u{{{:x}}}", c as u32),
        c => c.to_string(),
    }
}

/// A message as printed: every control character escaped but line breaks and
/// tabs. `Problem` and `Error` show themselves through it, and so does every
/// line the command prints.
pub fn printable(message: &str) -> std::borrow::Cow<'_, str> {
    if !message.chars().any(|c| is_control(c) && c != '\n' && c != '\t') {
        return message.into();
    }
    message.chars().map(|c| escaped(c, false)).collect::<String>().into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrapped_words_are_never_cut() {
        assert_eq!(
            super::wrap_words("Involving individual children, young people and families", 38, 2),
            ["Involving individual children, young", "people and families"]
        );
        assert_eq!(super::wrap_words("Impact on families", 38, 2), ["Impact on families"]);
        assert_eq!(
            super::wrap_words("one two three four five six", 9, 2),
            ["one two", "three…"]
        );
        assert!(super::wrap_words("", 10, 2).is_empty());
    }

    use super::*;

    #[test]
    fn dates_in_words_are_british() {
        let d = NaiveDate::from_ymd_opt(2013, 3, 27).unwrap();
        assert_eq!(date_words(d), "27 March 2013");
        assert_eq!(date_words_long(d), "Wednesday 27 March 2013");
        assert_eq!(date_short(d), "Wed 27 Mar 2013");
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(thousands(20000), "20,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(capitalised("eighteen"), "Eighteen");
        assert_eq!(capitalised("élan"), "Élan");
        assert_eq!(capitalised(""), "");
        assert_eq!(decimal(95.0), "95");
        assert_eq!(decimal(0.1), "0.1");
        assert_eq!(decimal(96.03647), "96.0365");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(
            printable("red \u{1b}[31mtext\u{1b}[0m"),
            "red \\u{1b}[31mtext\\u{1b}[0m"
        );
        assert_eq!(printable("two\nlines\ttab\r"), "two\nlines\ttab\\u{d}");
        assert_eq!(
            printable("\u{202e}gnp.exe \u{2066}x\u{2069} \u{9b}\u{7f}\u{61c}"),
            "\\u{202e}gnp.exe \\u{2066}x\\u{2069} \\u{9b}\\u{7f}\\u{61c}"
        );
        assert!(matches!(printable("plain text ünïcode"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(cut("a\nb\u{1b}"), "a\\u{a}b\\u{1b}");
        // Escaping twice changes nothing more.
        assert_eq!(printable(&cut("\u{1b}x")), cut("\u{1b}x"));
    }

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(
            slug("Glenaird Council Chief Executive"),
            "glenaird-council-chief-executive"
        );
        assert_eq!(slug("NHS Glenaird & Isles — Chair"), "nhs-glenaird-isles-chair");
        assert_eq!(slug("Children's Reporter"), "childrens-reporter");
        assert_eq!(slug("Dùn Èideann"), "dun-eideann");
        assert_eq!(slug("***"), "untitled");
    }
}
