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

/// The UTF-8 byte-order mark some programs (Excel) write at the start of a file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file's bytes as text: UTF-8, with a leading byte-order mark dropped.
/// Otherwise the line and column of the first byte that is not UTF-8, and
/// how to save the file as UTF-8.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Box<crate::error::Problem>> {
    let bytes = match bytes.strip_prefix(BOM) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
        let (line, column) = line_col(prefix, valid);
        not_utf8(name, line, column)
    })
}

/// Checks that a file read as a stream is UTF-8 (a leading byte-order mark
/// allowed), holding only a small buffer: [`decode`]'s problem if it is not.
pub fn check_utf8(name: &str, mut r: impl std::io::Read) -> std::io::Result<Result<(), Box<crate::error::Problem>>> {
    let mut buf = vec![0u8; 64 * 1024];
    // The first three bytes, dropped if they are a byte-order mark.
    let mut head = 0;
    while head < BOM.len() {
        match r.read(&mut buf[head..BOM.len()])? {
            0 => break,
            n => head += n,
        }
    }
    // Bytes not yet checked (a character cut by the end of the last read), at the front.
    let mut carry = if &buf[..head] == BOM { 0 } else { head };
    let (mut line, mut chars) = (1, 0);
    loop {
        let n = r.read(&mut buf[carry..])?;
        let len = carry + n;
        let chunk = &buf[..len];
        let (valid, bad) = match std::str::from_utf8(chunk) {
            Ok(_) => (chunk.len(), false),
            // A cut character is bad only at the end of the file.
            Err(e) => (e.valid_up_to(), e.error_len().is_some() || n == 0),
        };
        for &b in &chunk[..valid] {
            if b == b'\n' {
                line += 1;
                chars = 0;
            } else if b & 0xC0 != 0x80 {
                chars += 1;
            }
        }
        if bad {
            return Ok(Err(not_utf8(name, line, chars + 1)));
        }
        if n == 0 {
            return Ok(Ok(()));
        }
        buf.copy_within(valid..len, 0);
        carry = len - valid;
    }
}

fn not_utf8(name: &str, line: usize, column: usize) -> Box<crate::error::Problem> {
    let help = if name.ends_with(".csv") {
        "save it as UTF-8: in Excel, File > Save As and choose \"CSV UTF-8 (Comma delimited)\"; \
         in other programs, choose the encoding UTF-8 when saving"
    } else {
        "save it as UTF-8 (in most editors: Save As, then the encoding UTF-8)"
    };
    let message = "the file is not UTF-8 text (it was probably saved in another encoding)";
    Box::new(crate::error::Problem::new(name, message).at(line, column).help(help))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_is_located_and_a_bom_is_dropped() {
        assert_eq!(decode("a.csv", b"\xEF\xBB\xBFid,name\n".to_vec()).unwrap(), "id,name\n");
        // "Dùn" in Windows-1252 on line 2.
        let p = decode("contacts.csv", b"id,name\nx,D\xF9n\n".to_vec()).unwrap_err();
        assert_eq!((p.line, p.column), (Some(2), Some(4)));
        assert!(p.help.as_deref().unwrap().contains("CSV UTF-8"));
    }

    /// A reader that gives one byte at a time, so characters are cut between reads.
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_stream_is_checked_as_decode_checks_the_whole_file() {
        let cases: [&[u8]; 8] = [
            b"\xEF\xBB\xBFab\xFF",
            b"\xEF\xBB",
            b"\xEF\xBB\xBFid,name\nx,D\xC3\xB9n \xE2\x80\x94 ok\n",
            b"id,name\nx,D\xF9n\n",
            b"\xEF\xBB\xBFa\nb\nc\xC3\xB9\xC3\xB9\xFF",
            b"a,\xC3\xB9\n\xC3",
            b"",
            b"\xEF\xBB\xBF",
        ];
        for bytes in cases {
            let whole = decode("p.csv", bytes.to_vec()).err().map(|p| (p.line, p.column));
            for stream in [
                check_utf8("p.csv", Trickle(bytes)).unwrap(),
                check_utf8("p.csv", bytes).unwrap(),
            ] {
                assert_eq!(stream.err().map(|p| (p.line, p.column)), whole, "{bytes:?}");
            }
        }
    }

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
        assert_eq!(decimal(95.0), "95");
        assert_eq!(decimal(0.1), "0.1");
        assert_eq!(decimal(96.03647), "96.0365");
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
