//! The one form in which the guard compares text, so that a name reads the
//! same however it was typed: compatibility-decomposed (NFKD, which folds
//! ligatures, full-width and styled letters), accents and invisible
//! characters dropped, lower case, confusable letters mapped to their TR39
//! skeleton (Cyrillic "а" is Latin "a"), apostrophes and Markdown's marks
//! dropped (so "O’Neill", "O'Neill" and "ONeill" agree), and every other run of
//! spaces, breaks and punctuation made one space. What is left is letters,
//! digits and single spaces, so whole words are easy to tell.

use std::sync::OnceLock;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Text in the compared form, with where each of its bytes came from.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the
    /// character it came from.
    pub origins: Vec<usize>,
}

/// The compared form of `text`.
pub fn fold(text: &str) -> String {
    let mut out = Folder::default();
    for c in text.chars() {
        out.push(c, 0);
    }
    out.finish().text
}

/// The compared form of `text`, with the origin of each byte.
pub fn fold_located(text: &str) -> Folded {
    let mut out = Folder {
        track: true,
        ..Folder::default()
    };
    for (at, c) in text.char_indices() {
        out.push(c, at);
    }
    out.finish()
}

/// Pieces of text, each with the place it came from (a Markdown text event
/// and its offset in the file, say), folded as one text.
pub fn fold_pieces<'a>(pieces: impl IntoIterator<Item = (&'a str, usize)>) -> Folded {
    let mut out = Folder {
        track: true,
        ..Folder::default()
    };
    for (text, at) in pieces {
        for (i, c) in text.char_indices() {
            out.push(c, at + i);
        }
    }
    out.finish()
}

/// Folded text with the space between a word and the digits after it
/// taken out, so that "GL-200056", "GL 200056" and "GL200056" all read
/// "gl200056". The guard searches this and the folded text: a number standing
/// after a word ("child 100234") is still a word of its own in the latter.
pub fn join_runs(folded: &Folded) -> Folded {
    let mut out = Folded::default();
    let track = folded.origins.len() == folded.text.len();
    let mut prev: Option<char> = None;
    let mut chars = folded.text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == ' ' {
            let next = chars.peek().map(|&(_, n)| n);
            if let (Some(p), Some(n)) = (prev, next) {
                if !p.is_ascii_digit() && n.is_ascii_digit() {
                    continue;
                }
            }
        }
        out.text.push(c);
        if track {
            out.origins.extend_from_slice(&folded.origins[i..i + c.len_utf8()]);
        }
        prev = Some(c);
    }
    out
}

#[derive(Default)]
struct Folder {
    out: Folded,
    track: bool,
    /// A separator is owed before the next letter.
    gap: Option<usize>,
}

impl Folder {
    fn push(&mut self, c: char, at: usize) {
        if c.is_ascii() {
            self.ascii(c, at);
            return;
        }
        decompose_compatible(c, |d| {
            if is_combining_mark(d) || ignorable(d) {
                return;
            }
            if d.is_ascii() {
                self.ascii(d, at);
            } else if let Some(a) = looks_like_ascii(d).or_else(|| looks_like_capital(d)) {
                self.ascii(a, at);
            } else {
                for l in d.to_lowercase() {
                    skeleton_of(l, |s| self.class(s, at));
                }
            }
        });
    }

    fn ascii(&mut self, c: char, at: usize) {
        for &f in ascii_table()[c as usize].as_bytes() {
            self.class(f as char, at);
        }
    }

    /// Places one character of the skeleton.
    fn class(&mut self, c: char, at: usize) {
        if is_combining_mark(c) || ignorable(c) || joined(c) {
            return;
        }
        if c.is_alphanumeric() {
            if let Some(gap_at) = self.gap.take() {
                if !self.out.text.is_empty() {
                    self.emit(' ', gap_at);
                }
            }
            for l in c.to_lowercase() {
                self.emit(l, at);
            }
        } else if self.gap.is_none() {
            self.gap = Some(at);
        }
    }

    fn emit(&mut self, c: char, at: usize) {
        self.out.text.push(c);
        if self.track {
            self.out.origins.extend(std::iter::repeat_n(at, c.len_utf8()));
        }
    }

    fn finish(self) -> Folded {
        self.out
    }
}

/// The skeleton of one lower-case character, lower-cased again (the
/// skeleton's prototypes are sometimes capitals: "0" becomes "O").
fn skeleton_of(c: char, mut f: impl FnMut(char)) {
    let mut buf = [0u8; 4];
    for s in unicode_security::confusable_detection::skeleton(c.encode_utf8(&mut buf)) {
        for l in s.to_lowercase() {
            f(l);
        }
    }
}

/// The folded form of each ASCII character, worked out once: names are
/// mostly ASCII, and 200,000 children's names are folded for every build.
fn ascii_table() -> &'static [String; 128] {
    static TABLE: OnceLock<[String; 128]> = OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| {
            // Digits stay digits: the skeleton would make "1" an "l" and "0"
            // an "o", and a reference's number could no longer be told apart.
            if (i as u8).is_ascii_digit() {
                return (i as u8 as char).to_string();
            }
            let mut s = String::new();
            for l in (i as u8 as char).to_lowercase() {
                skeleton_of(l, |c| s.push(c));
            }
            s
        })
    })
}

/// The ASCII character a character from another script is confusable with:
/// Cyrillic "В" is Latin "B", and so folds as "b" (lower-casing first would
/// give "в", which looks like no Latin letter). A capital prefers a capital,
/// so that Cyrillic "І" is Latin "I", not "l", though the two share a skeleton.
fn looks_like_ascii(c: char) -> Option<char> {
    type Prototypes = std::collections::HashMap<String, [Option<char>; 3]>;
    static PROTOTYPES: OnceLock<Prototypes> = OnceLock::new();
    let map = PROTOTYPES.get_or_init(|| {
        let mut map = Prototypes::new();
        for a in '!'..='~' {
            let mut buf = [0u8; 4];
            let skeleton: String = unicode_security::confusable_detection::skeleton(a.encode_utf8(&mut buf)).collect();
            let slot = if a.is_ascii_uppercase() {
                0
            } else if a.is_ascii_lowercase() {
                1
            } else {
                2
            };
            map.entry(skeleton).or_default()[slot].get_or_insert(a);
        }
        map
    });
    let mut buf = [0u8; 4];
    let skeleton: String = unicode_security::confusable_detection::skeleton(c.encode_utf8(&mut buf)).collect();
    let [upper, lower, other] = map.get(&skeleton)?;
    if c.is_uppercase() {
        upper.or(*lower).or(*other)
    } else {
        lower.or(*upper).or(*other)
    }
}

/// A small letter whose capital looks like a Latin capital: Cyrillic "м"
/// reads as a small capital M.
fn looks_like_capital(c: char) -> Option<char> {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) if u != c => looks_like_ascii(u),
        _ => None,
    }
}

/// Characters dropped without leaving a gap: apostrophes and quotation marks
/// inside a word ("O’Neill"), and the marks of Markdown's emphasis and code.
fn joined(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{02BC}'
            | '\u{02B9}'
            | '\u{2032}'
            | '\u{00B4}'
            | '`'
            | '*'
            | '_'
            | '~'
            | '\\'
    )
}

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt):
/// characters that show nothing, such as the soft hyphen, zero-width spaces
/// and joiners, the word joiner, the byte order mark and variation selectors.
pub fn ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disguises_fold_to_the_same_form() {
        let plain = fold("Gemma O'Neill");
        assert_eq!(plain.split(' ').count(), 2, "{plain}");
        for disguised in [
            "Gemma O\u{2019}Neill",
            "GEMMA O'NEILL",
            "Gem\u{00AD}ma O'Neill",
            "Gem\u{200B}ma O'Neill",
            "Gemma\u{00A0}O'Neill",
            "Gemma\n  O'Neill",
            "G\u{0435}mma O'Neill", // Cyrillic е
            "Ｇｅｍｍａ O'Neill",   // full-width
            "Gemma O'Ne\u{2060}ill",
            "*Gemma* O'Neill",
            "GE\u{041C}MA O\u{2019}NEILL", // Cyrillic capital Em
            "G\u{0415}MMA O'NEILL",        // Cyrillic capital Е
            "ＧＥＭＭＡ O'NEILL",
        ] {
            assert_eq!(fold(disguised), plain, "{disguised:?}");
        }
        assert_eq!(fold("Zoe\u{0308} Campbell"), fold("Zoë Campbell"));
        // A capital I, in any script, is not a lower-case l.
        assert_eq!(fold("ISLA"), fold("isla"));
        assert_eq!(fold("\u{0406}SLA"), fold("isla"));
        assert_eq!(fold("\u{0412}en \u{0422}homson"), fold("Ben Thomson"));
        assert_eq!(fold("\u{043C}hairi \u{0432}en"), fold("Mhairi Ben"));
        assert_eq!(fold("GL-200056"), fold("GL\u{2010}200056"));
        assert_eq!(fold("  a , b  "), "a b");
        let joined = |s: &str| join_runs(&fold_located(s)).text;
        assert_eq!(joined("GL-200056"), joined("GL200056"));
        assert_eq!(joined("child 100234 here"), "child100234 here");
        assert_eq!(joined("GL-51107 in May"), joined("GL51107 in May"));
        assert!(joined("GL-51107 in May").starts_with("gl51107 in "));
    }

    #[test]
    fn origins_point_at_the_original_characters() {
        let f = fold_located("x, Gem\u{00AD}ma");
        let start = f.text.find(&fold("gemma")).unwrap();
        assert_eq!(f.origins[start], 3);
        assert_eq!(f.origins.len(), f.text.len());
    }
}
