//! The one form in which the guard compares text, so that a name reads the
//! same however it was typed or drawn: compatibility-decomposed (NFKD, which
//! folds ligatures, full-width and styled letters), accents and invisible
//! characters dropped, lower case, letters of other scripts that look like
//! Latin ones mapped to them (the TR39 skeleton: Cyrillic "а" is "a"), digits
//! of any script read as digits, and then letters and digits drawn alike made
//! one ("0" and "o"; "1", "l", "I" and "i"; "5" and "s"; "8" and "b"; "2" and
//! "z"), so that "GL-2OO56" is "GL-20056" and "EiIidh" is "Eilidh".
//!
//! What is left is only letters and digits, with nothing between them: the
//! places where a word began (after a space or punctuation, or at a capital
//! after a small letter, as in "EilidhSinclair") are kept beside the text.
//! A name is then found whatever stands between its parts or its letters
//! ("Sinclair, Eilidh", "E-i-l-i-d-h", "E i l i d h").
//!
//! The fold is for *comparing against known children only*: both sides are
//! folded, and only full names and whole references are compared, so letters
//! made one do not make ordinary words match.

use std::sync::OnceLock;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Text in the compared form, with where each of its bytes came from.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// Letters and digits only, folded.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the
    /// character it came from.
    pub origins: Vec<usize>,
    /// For each byte of `text`: whether a word begins there ([`WORD`]), a
    /// capital follows a small letter inside one ([`CAPITAL`]: "EilidhSinclair"),
    /// or a digit follows a letter or a letter a digit ([`SHIFT`]: "Docherty2").
    pub starts: Vec<u8>,
    /// For each byte of `text`: whether the gap before it ends a sentence
    /// (". ", "; ", "? " after a word of more than one letter).
    pub stops: Vec<bool>,
    /// For each byte of `text`: whether it came from a digit.
    pub digits: Vec<bool>,
}

/// A word begins here.
pub const WORD: u8 = 2;
/// A capital follows a small letter here, inside a word.
pub const CAPITAL: u8 = 1;
/// A digit follows a letter here, or a letter a digit, inside a word.
pub const SHIFT: u8 = 3;

impl Folded {
    /// Whether a word begins (or the text ends) at byte `at`, or letters
    /// and digits meet there.
    pub fn boundary(&self, at: usize) -> bool {
        at == 0 || at >= self.text.len() || matches!(self.starts[at], WORD | SHIFT)
    }

    /// The words of the text, each by its place (start, end) in `text`.
    pub fn word_spans(&self) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (i, &s) in self.starts.iter().enumerate() {
            if s == WORD || i == 0 {
                if let Some(last) = out.last_mut() {
                    last.1 = i;
                }
                out.push((i, self.text.len()));
            }
        }
        out
    }

    /// Whether a word of `start..end` was written as two or more digits only
    /// ("203" reads "zoe"): a number beside a name (a holder's id, a house
    /// number) is never a word of a child's name; a name disguised with
    /// digits still has letters ("Z03", "H4mish").
    pub fn has_number_word(&self, start: usize, end: usize) -> bool {
        // One digit alone may be a letter of a name spelt out ("E-i-1-i-d-h").
        let number = |from: usize, to: usize| to - from > 1 && self.digits[from..to].iter().all(|&d| d);
        let mut from = start;
        for i in start + 1..end {
            if self.starts[i] == WORD {
                if number(from, i) {
                    return true;
                }
                from = i;
            }
        }
        end > start && number(from, end)
    }

    /// Whether a word, or a capital inside one, begins anywhere strictly
    /// inside `start..end`: the text is more than one word as written.
    pub fn broken(&self, start: usize, end: usize) -> bool {
        self.starts[start + 1..end].iter().any(|&s| s != 0)
    }

    /// The words, folded, joined by single spaces ("eilidh slnclalr").
    pub fn spaced(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + 8);
        for (i, c) in self.text.char_indices() {
            if i > 0 && self.starts[i] == WORD {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    /// The folded words, each as its own string.
    pub fn words(&self) -> Vec<String> {
        self.spaced()
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The compared form of `text`, words apart: "Sinclair, Eilidh" is
/// "slnclalr elldh" (see [`Folded::spaced`]).
pub fn fold(text: &str) -> String {
    fold_located(text).spaced()
}

/// The compared form of `text`, with the origin of each byte.
pub fn fold_located(text: &str) -> Folded {
    fold_pieces([(text, 0)])
}

/// Pieces of text, each with the place it came from (a Markdown text event
/// and its offset in the file, say), folded as one text.
pub fn fold_pieces<'a>(pieces: impl IntoIterator<Item = (&'a str, usize)>) -> Folded {
    fold_chars(pieces, false)
}

/// Whether `text` has a sign that may stand for a letter ("H@mish",
/// "$kye", "Dochert+"): such text is folded both ways, the signs read as
/// letters ([`fold_signs_as_letters`]) and as what separates words.
pub fn has_letter_signs(text: &str) -> bool {
    text.contains(['$', '@', '€', '+'])
}

/// As [`fold_pieces`], with "$", "@", "€" and "+" next to a letter or digit
/// read as the letters they stand for ("s", "a", "e", "t").
pub fn fold_signs_as_letters<'a>(pieces: impl IntoIterator<Item = (&'a str, usize)>) -> Folded {
    fold_chars(pieces, true)
}

fn fold_chars<'a>(pieces: impl IntoIterator<Item = (&'a str, usize)>, signs: bool) -> Folded {
    let chars: Vec<(char, usize)> = pieces
        .into_iter()
        .flat_map(|(text, at)| text.char_indices().map(move |(i, c)| (c, at + i)))
        .collect();
    let mut out = Folder::default();
    for (i, &(c, at)) in chars.iter().enumerate() {
        let before = i > 0 && chars[i - 1].0.is_alphanumeric();
        let after = chars.get(i + 1).is_some_and(|n| n.0.is_alphanumeric());
        let c = match c {
            // A bar or an exclamation mark between letters is drawn as an "l".
            '|' | '!' | '¡' | '¦' if before && after => 'l',
            '$' if signs && (before || after) => 's',
            '@' if signs && (before || after) => 'a',
            '€' if signs && (before || after) => 'e',
            '+' if signs && (before || after) => 't',
            c => c,
        };
        out.push(c, at);
    }
    out.out
}

#[derive(Default)]
struct Folder {
    out: Folded,
    /// A word ends before the next letter.
    gap: bool,
    /// The last letter placed was a small one (a capital after it starts a word).
    small: bool,
    /// The last character placed was a digit (a letter after it may start a name).
    digit: bool,
    /// The letters placed of the current word.
    word: usize,
    /// In the gap: a full stop, "!", "?", ";" or ":" after a word of more
    /// than one letter (1), followed by a space (2): a sentence ends there.
    stop: u8,
}

impl Folder {
    fn push(&mut self, c: char, at: usize) {
        if matches!(c, '.' | '!' | '?' | ';' | ':') {
            // "Hamish J. Docherty": an initial's full stop ends no sentence.
            if !(c == '.' && self.word == 1) {
                self.stop = 1;
            }
        } else if c.is_whitespace() && self.stop == 1 {
            self.stop = 2;
        }
        // A superscript, subscript or fraction stands apart from the word it
        // is glued to ("Docherty¹", "GL-95601½").
        if raised(c) {
            self.gap = true;
            decompose_compatible(c, |d| self.decomposed(d, at));
            self.gap = true;
            return;
        }
        if c.is_ascii() {
            self.letter(c, c.is_ascii_uppercase(), at);
            return;
        }
        decompose_compatible(c, |d| self.decomposed(d, at));
    }

    /// One character of a compatibility decomposition.
    fn decomposed(&mut self, d: char, at: usize) {
        if is_combining_mark(d) || ignorable(d) {
            return;
        }
        let capital = d.is_uppercase();
        if d.is_ascii() {
            self.letter(d, capital, at);
        } else if let Some(digit) = digit(d) {
            self.letter(digit, false, at);
        } else if let Some(a) = small_capital(d) {
            self.letter(a, true, at);
        } else if d == 'ß' {
            self.letter('s', false, at);
            self.letter('s', false, at);
        } else if let Some(a) = looks_like_ascii(d).or_else(|| looks_like_capital(d)) {
            self.letter(a, capital, at);
        } else if d.is_alphanumeric() {
            for l in d.to_lowercase() {
                skeleton_of(l, |s| self.class(s, capital, at));
            }
        } else {
            self.class(d, false, at);
        }
    }

    /// An ASCII character (or one taken for it).
    fn letter(&mut self, c: char, capital: bool, at: usize) {
        for &f in ascii_table()[c as usize].as_bytes() {
            self.class(f as char, capital, at);
        }
    }

    /// Places one character of the skeleton.
    fn class(&mut self, c: char, capital: bool, at: usize) {
        if is_combining_mark(c) || ignorable(c) || joined(c) {
            return;
        }
        if !c.is_alphanumeric() {
            self.gap = true;
            return;
        }
        let digit = c.is_ascii_digit();
        let start = if self.gap || self.out.text.is_empty() {
            WORD
        } else if digit != self.digit {
            SHIFT
        } else if capital && self.small {
            CAPITAL
        } else {
            0
        };
        let stop = start == WORD && self.stop == 2;
        self.word = if start == WORD { 1 } else { self.word + 1 };
        self.gap = false;
        self.stop = 0;
        self.digit = digit;
        self.small = !capital && c.is_alphabetic();
        for (n, l) in c.to_lowercase().map(drawn_alike).enumerate() {
            let before = self.out.text.len();
            self.out.text.push(l);
            let added = self.out.text.len() - before;
            self.out.origins.extend(std::iter::repeat_n(at, added));
            self.out.starts.push(if n == 0 { start } else { 0 });
            self.out.starts.extend(std::iter::repeat_n(0, added - 1));
            self.out.stops.push(n == 0 && stop);
            self.out.stops.extend(std::iter::repeat_n(false, added - 1));
            self.out.digits.extend(std::iter::repeat_n(digit, added));
        }
    }
}

/// Letters and digits drawn alike, made one: read as words they differ, but
/// a name or reference written with one for the other reads the same.
fn drawn_alike(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | 'i' | 'ı' => 'l',
        '5' => 's',
        '8' => 'b',
        '2' => 'z',
        // Written for letters ("H4mish", "D0chert7", "3ilidh").
        '4' => 'a',
        '3' => 'e',
        '7' => 't',
        c => c,
    }
}

/// A superscript or subscript digit or sign, or a vulgar fraction: a
/// footnote's mark or part of a number, never part of a word.
fn raised(c: char) -> bool {
    matches!(c as u32, 0xB2 | 0xB3 | 0xB9 | 0xBC..=0xBE | 0x2070..=0x209F | 0x2150..=0x215F | 0x2189)
}

/// A small capital (ᴇɪʟɪᴅʜ) as its letter: the skeleton keeps most apart.
fn small_capital(c: char) -> Option<char> {
    const SMALL: &str = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡxʏᴢ";
    SMALL.chars().position(|s| s == c).map(|i| (b'a' + i as u8) as char)
}

/// A digit of any script as its ASCII digit ("٢" is "2"): digits come in runs
/// of ten from zero, so the value is the distance from the run's start.
fn digit(c: char) -> Option<char> {
    if c.is_ascii() || !c.is_numeric() {
        return None;
    }
    let code = c as u32;
    let mut zero = code;
    while zero > 0 && code - zero < 9 && char::from_u32(zero - 1).is_some_and(char::is_numeric) {
        zero -= 1;
    }
    char::from_digit((code - zero) % 10, 10)
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
            // Digits stay digits here (the skeleton would make "5" an "S" but
            // leave "8"); [`drawn_alike`] makes one of each look-alike pair.
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

/// Characters dropped without ending a word: apostrophes and quotation marks
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

/// The characters that change the direction text is shown in: U+202E before "rialcniS"
/// shows as "Sinclair". None belongs in an English report. The marks that
/// only say which way a neutral character leans (LRM, RLM, ALM: U+200E,
/// U+200F, U+061C) turn nothing around, and word processors write them.
pub fn bidi_control(c: char) -> bool {
    matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069)
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
            "Gemma 0'Neill",
            "Gemma O'NeiII",
            "Gemma O'Ne1l|",
        ] {
            assert_eq!(fold(disguised), plain, "{disguised:?}");
        }
        assert_eq!(fold("Zoe\u{0308} Campbell"), fold("Zoë Campbell"));
        assert_eq!(fold("ISLA"), fold("isla"));
        assert_eq!(fold("\u{0406}SLA"), fold("isla"));
        assert_eq!(fold("\u{0412}en \u{0422}homson"), fold("Ben Thomson"));
        assert_eq!(fold("\u{043C}hairi \u{0432}en"), fold("Mhairi Ben"));
        assert_eq!(fold("GL-200056"), fold("GL\u{2010}200056"));
        assert_eq!(fold("GL-2OO56"), fold("GL-20056"));
        assert_eq!(fold("GL-\u{0662}\u{0660}\u{0660}\u{0665}\u{0666}"), fold("GL-20056"));
        assert_eq!(fold("GL-\u{06F2}\u{06F0}\u{06F0}\u{06F5}\u{06F6}"), fold("GL-20056"));
        assert_eq!(fold("  a , b  "), "a b");
        // A capital after a small letter is marked, but starts no word.
        let camel = fold_located("EilidhSinclair");
        assert_eq!(camel.text, fold_located("Eilidh Sinclair").text);
        assert!(camel.broken(0, camel.text.len()) && fold("EilidhSinclair").split(' ').count() == 1);
        assert_eq!(fold("EILIDH"), fold("eilidh"));
        assert_eq!(fold("ᴇɪʟɪᴅʜ ꜱɪɴᴄʟᴀɪʀ"), fold("Eilidh Sinclair"));
        assert_eq!(fold("Ⓔⓘⓛⓘⓓⓗ 𝐒𝐢𝐧𝐜𝐥𝐚𝐢𝐫"), fold("Eilidh Sinclair"));
        assert_eq!(fold("Zoë Ní Bhriain-Łukasz"), fold("zoe ni bhriain lukasz"));
    }

    #[test]
    fn letters_stand_together_and_words_are_marked() {
        let f = fold_located("E-i-l-i-d-h Sinclair");
        assert_eq!(f.text, fold_located("Eilidh Sinclair").text);
        assert!(f.broken(0, f.text.len()));
        assert!(f.boundary(0) && f.boundary(f.text.len()));
    }

    #[test]
    fn origins_point_at_the_original_characters() {
        let f = fold_located("x, Gem\u{00AD}ma");
        let start = f.text.find(&fold_located("gemma").text).unwrap();
        assert_eq!(f.origins[start], 3);
        assert_eq!(f.origins.len(), f.text.len());
        assert_eq!(f.starts.len(), f.text.len());
    }
}
