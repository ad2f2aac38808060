//! How an attacker (or Word) disguises a child's name or case reference, and
//! where in the findings it can be put. Shared by the property test and by
//! `examples/guard_fuzz.rs`.
#![allow(dead_code)]

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Characters that show nothing.
const INVISIBLE: &[char] = &[
    '\u{00AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{034F}',
];

/// Latin letters and a look-alike from another script.
const LOOK_ALIKES: &[(char, char)] = &[
    ('a', 'а'),
    ('e', 'е'),
    ('o', 'о'),
    ('c', 'с'),
    ('p', 'р'),
    ('x', 'х'),
    ('i', 'і'),
    ('y', 'у'),
    ('A', 'А'),
    ('E', 'Е'),
    ('O', 'О'),
    ('K', 'К'),
    ('M', 'М'),
    ('H', 'Н'),
    ('T', 'Т'),
    ('B', 'В'),
    ('o', 'ο'),
    ('A', 'Α'),
    ('K', 'Κ'),
];

/// Where a disguised identifier is put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A paragraph of `findings/question-1.md`.
    Markdown,
    /// A `[[strengths]]` text in `findings/findings.toml`.
    Toml,
    /// The text chunk of a picture used in `findings/question-1.md`.
    Picture,
}

pub(crate) struct Rng(ChaCha8Rng);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(ChaCha8Rng::seed_from_u64(seed))
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }

    pub(crate) fn chance(&mut self, in_n: usize) -> bool {
        self.below(in_n) == 0
    }

    pub(crate) fn place(&mut self) -> Place {
        [Place::Markdown, Place::Toml, Place::Picture][self.below(3)]
    }
}

/// `id` disguised in one to four ways that leave it reading the same.
/// `markdown`: whether Markdown's emphasis and line breaks may be used.
pub(crate) fn disguise(id: &str, rng: &mut Rng, markdown: bool) -> String {
    let mut s = id.to_string();
    let ways = 1 + rng.below(4);
    for _ in 0..ways {
        s = match rng.below(if markdown { 9 } else { 7 }) {
            0 => {
                let c = INVISIBLE[rng.below(INVISIBLE.len())];
                insert(&s, rng, c)
            }
            1 => s.replace('\'', "\u{2019}"),
            2 => look_alike(&s, rng),
            3 => change_case(&s, rng),
            4 => s.replace(' ', "\u{00A0}"),
            5 => full_width(&s, rng),
            6 => decompose(&s),
            7 => emphasise(&s, rng),
            _ => s.replacen(' ', "\n", 1),
        };
    }
    s
}

fn boundaries(s: &str) -> Vec<usize> {
    s.char_indices().map(|(i, _)| i).skip(1).collect()
}

fn insert(s: &str, rng: &mut Rng, c: char) -> String {
    let b = boundaries(s);
    if b.is_empty() {
        return s.to_string();
    }
    let at = b[rng.below(b.len())];
    format!("{}{c}{}", &s[..at], &s[at..])
}

fn look_alike(s: &str, rng: &mut Rng) -> String {
    let options: Vec<(usize, char)> = s
        .char_indices()
        .filter_map(|(i, c)| LOOK_ALIKES.iter().find(|(l, _)| *l == c).map(|(_, a)| (i, *a)))
        .collect();
    if options.is_empty() {
        return s.to_string();
    }
    let (at, alike) = options[rng.below(options.len())];
    let len = s[at..].chars().next().unwrap().len_utf8();
    format!("{}{alike}{}", &s[..at], &s[at + len..])
}

fn change_case(s: &str, rng: &mut Rng) -> String {
    s.chars()
        .map(|c| {
            if rng.chance(2) {
                c.to_uppercase().next().unwrap()
            } else {
                c.to_lowercase().next().unwrap()
            }
        })
        .collect()
}

fn full_width(s: &str, rng: &mut Rng) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' if rng.chance(2) => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap(),
            c => c,
        })
        .collect()
}

/// Accented letters written as a letter and a combining accent.
fn decompose(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            'é' => vec!['e', '\u{0301}'],
            'ë' => vec!['e', '\u{0308}'],
            'á' => vec!['a', '\u{0301}'],
            'ò' => vec!['o', '\u{0300}'],
            c => vec![c],
        })
        .collect()
}

/// Emphasis around part of a word: `Eil*id*h`.
fn emphasise(s: &str, rng: &mut Rng) -> String {
    let b: Vec<usize> = s
        .char_indices()
        .filter(|(_, c)| c.is_alphanumeric())
        .map(|(i, _)| i)
        .skip(1)
        .collect();
    if b.len() < 2 {
        return s.to_string();
    }
    let i = rng.below(b.len() - 1);
    let (from, to) = (b[i], b[i + 1]);
    let mark = if rng.chance(2) { "*" } else { "**" };
    format!("{}{mark}{}{mark}{}", &s[..from], &s[from..to], &s[to..])
}

/// A TOML basic string holding `s`, some characters written as `\uXXXX`.
pub(crate) fn toml_string(s: &str, rng: &mut Rng) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => out.push_str(&format!("\\u{:04X}", c as u32)),
            '\n' => out.push(' '),
            c if rng.chance(4) => out.push_str(&format!("\\U{:08X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A 1×1 PNG whose `tEXt` chunk (a description) says `said`.
pub(crate) fn png_saying(said: &str) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    let mut text = b"Description\0".to_vec();
    text.extend_from_slice(said.as_bytes());
    chunk(&mut png, b"tEXt", &text);
    // One white pixel (filter byte 0, then RGB), deflated.
    chunk(
        &mut png,
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0x05, 0xFE, 0x02, 0xFE,
        ],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Letters and digits drawn alike: (what is meant, what is written).
const DRAWN_ALIKE: &[(char, char)] = &[
    ('0', 'O'),
    ('0', 'o'),
    ('1', 'l'),
    ('1', 'I'),
    ('1', '|'),
    ('l', 'I'),
    ('l', '1'),
    ('i', '1'),
    ('I', 'l'),
    ('O', '0'),
    ('o', '0'),
    ('5', 'S'),
    ('2', 'Z'),
    ('8', 'B'),
];

/// Digits of other scripts: Arabic-Indic and Extended Arabic-Indic zeros.
const ZEROS: &[u32] = &[0x0660, 0x06F0, 0x0966];

/// `id` disguised in one to five ways at once, drawn from every way the
/// guard must see through: the old ones of [`disguise`], and the order of a
/// name's words ("Sinclair, Eilidh"), spacing or punctuation between its
/// letters, letters and digits drawn alike, digits of another script, and
/// text typed backwards behind a right-to-left override.
pub(crate) fn disguise_any(id: &str, rng: &mut Rng, markdown: bool) -> String {
    let mut s = id.to_string();
    // A name's words in another order; a reference has one order.
    if id.contains(' ') && rng.chance(3) {
        s = surname_first(&s);
    }
    let ways = 1 + rng.below(5);
    for _ in 0..ways {
        s = match rng.below(6) {
            0 => s,
            1 => spaced_letters(&s, rng),
            2 => drawn_alike(&s, rng),
            3 => other_digits(&s, rng),
            _ => disguise(&s, rng, markdown),
        };
    }
    if rng.chance(8) {
        s = turned(&s);
    }
    s
}

/// "Eilidh Sinclair" as "Sinclair, Eilidh".
pub(crate) fn surname_first(s: &str) -> String {
    match s.rsplit_once(' ') {
        Some((first, last)) => format!("{last}, {first}"),
        None => s.to_string(),
    }
}

/// Each letter of one word apart: "E-i-l-i-d-h" or "E i l i d h".
fn spaced_letters(s: &str, rng: &mut Rng) -> String {
    let gap = [" ", "-", ".", "\u{2009}", "·"][rng.below(5)];
    let words: Vec<&str> = s.split(' ').collect();
    let which = rng.below(words.len());
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == which {
                w.chars().map(String::from).collect::<Vec<_>>().join(gap)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn drawn_alike(s: &str, rng: &mut Rng) -> String {
    s.chars()
        .map(|c| match DRAWN_ALIKE.iter().find(|(m, _)| *m == c) {
            Some((_, w)) if rng.chance(2) => *w,
            _ => c,
        })
        .collect()
}

fn other_digits(s: &str, rng: &mut Rng) -> String {
    let zero = ZEROS[rng.below(ZEROS.len())];
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(zero + d).unwrap(),
            None => c,
        })
        .collect()
}

/// Typed backwards behind a right-to-left override: it shows as `s`.
pub(crate) fn turned(s: &str) -> String {
    format!("\u{202E}{}\u{202C}", s.chars().rev().collect::<String>())
}
