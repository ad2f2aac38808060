//! How hard a text is to read, for the report for children and young people:
//! sentences of at most [`MAX_WORDS`] words, and the Flesch-Kincaid grade
//!
//! ```text
//! grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59
//! ```
//!
//! at most [`MAX_GRADE`] (a reading age of about twelve). Syllables are
//! counted by a rule of thumb (groups of vowels, less a silent final "e" and
//! the "-ed" and "-es" that add none), which agrees with Python's `textstat`
//! (a pronouncing dictionary) to within a grade on plain English.

/// The longest sentence, in words, that the report for children and young
/// people should have.
pub const MAX_WORDS: usize = 20;

/// The highest Flesch-Kincaid grade of its whole text: US grade 7 is a
/// reading age of about twelve.
pub const MAX_GRADE: f64 = 7.0;

/// The counts a grade is computed from.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
}

impl Counts {
    /// The counts of some blocks of text (paragraphs, headings, list items):
    /// each block ends a sentence even without a full stop.
    pub fn of<'a>(blocks: impl IntoIterator<Item = &'a str>) -> Counts {
        let mut c = Counts::default();
        for block in blocks {
            for s in sentences(block) {
                let w = words(s);
                if w.is_empty() {
                    continue;
                }
                c.sentences += 1;
                c.words += w.len();
                c.syllables += w.iter().map(|w| syllables(w)).sum::<usize>();
            }
        }
        c
    }

    /// The Flesch-Kincaid grade; none for a text without words.
    pub fn grade(self) -> Option<f64> {
        if self.words == 0 {
            return None;
        }
        let (w, s, y) = (self.words as f64, self.sentences as f64, self.syllables as f64);
        Some(0.39 * (w / s) + 11.8 * (y / w) - 15.59)
    }
}

/// The sentences of a block of text: each ends at ".", "!" or "?" followed by
/// a space or the end (so "2.5" and "example.org" stay whole), closing quotes
/// and brackets kept with it.
pub fn sentences(block: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = block.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '"' | '\'' | '”' | '’' | ')') {
                j += 1;
            }
            if j == chars.len() || chars[j].1.is_whitespace() {
                let end = chars.get(j).map_or(block.len(), |x| x.0);
                push_sentence(&mut out, &block[start..end]);
                start = end;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_sentence(&mut out, &block[start..]);
    out
}

fn push_sentence<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let s = s.trim();
    if !words(s).is_empty() {
        out.push(s);
    }
}

/// The words of a text: what whitespace and dashes separate, holding a
/// letter or digit ("–" alone is no word; "co-ordinated" is one).
pub fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '–' | '—'))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// The syllables of a word, by a rule of thumb: a number or a word of up to
/// three letters is one.
pub fn syllables(word: &str) -> usize {
    let w: String = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if w.chars().count() <= 3 {
        return 1;
    }
    // Each part of a hyphenated or joined word has its own syllables.
    if word.contains('-') {
        return word
            .split('-')
            .filter(|p| !p.is_empty())
            .map(syllables)
            .sum::<usize>()
            .max(1);
    }
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let b: Vec<char> = w.chars().collect();
    let mut groups = 0;
    let mut prev = false;
    for (i, &c) in b.iter().enumerate() {
        // A "y" that begins a word is a consonant ("young", "you").
        let v = vowel(c) && !(c == 'y' && i == 0);
        if v && !prev {
            groups += 1;
        }
        prev = v;
    }
    let n = b.len();
    let ends = |s: &str| w.ends_with(s);
    // A silent final "e" ("make", "care"), but not "-le" after a consonant ("little").
    if ends("e") && !ends("ee") && !(ends("le") && n > 2 && !vowel(b[n - 3])) && groups > 1 {
        groups -= 1;
    }
    // "-ed" and "-es" add no syllable except after t/d ("wanted") or a hiss ("boxes").
    if ends("ed") && n > 3 && !matches!(b[n - 3], 't' | 'd') && !vowel(b[n - 3]) && groups > 1 {
        groups -= 1;
    }
    if ends("es") && n > 3 && !matches!(b[n - 3], 's' | 'x' | 'z' | 'c' | 'g' | 'h') && !vowel(b[n - 3]) && groups > 1 {
        groups -= 1;
    }
    // A silent "e" before a suffix: "improvement", "safely", "careful".
    if ["ement", "ely", "eful", "eless", "eness"].iter().any(|s| ends(s)) && groups > 1 {
        groups -= 1;
    }
    // Two vowels said apart: "being", "area", "idea", "create".
    // ("-cial" and "-tial" are one: "social", "initial").
    for pair in ["ia", "eo", "ua", "ea"] {
        for (i, _) in w.match_indices(pair) {
            let next = w[i + 2..].chars().next();
            let before = w[..i].chars().last();
            if (next.is_none() || next == Some('l')) && !(pair == "ia" && matches!(before, Some('c' | 't'))) {
                groups += 1;
            }
        }
    }
    if w.contains("eing") || w.contains("ying") && n > 4 {
        groups += 1;
    }
    groups.max(1)
}

/// What is too hard to read in some blocks of text: each sentence longer
/// than [`MAX_WORDS`] words, with the block it is in and its word count.
pub fn long_sentences<'a>(blocks: impl IntoIterator<Item = &'a str>) -> Vec<(usize, &'a str, usize)> {
    let mut out = Vec::new();
    for (i, block) in blocks.into_iter().enumerate() {
        for s in sentences(block) {
            let n = words(s).len();
            if n > MAX_WORDS {
                out.push((i, s, n));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_of_plain_words() {
        for (word, n) in [
            ("we", 1),
            ("cat", 1),
            ("make", 1),
            ("care", 1),
            ("helped", 1),
            ("wanted", 2),
            ("makes", 1),
            ("services", 3),
            ("little", 2),
            ("children", 2),
            ("young", 1),
            ("people", 2),
            ("inspectors", 3),
            ("families", 3),
            ("being", 2),
            ("area", 3),
            ("social", 2),
            ("co-ordinated", 5),
            ("1,000", 1),
            ("improvement", 3),
            ("together", 3),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn sentences_end_at_a_stop_before_a_space() {
        assert_eq!(
            sentences("We met 96 children. Was it 2.5 days? Write to a@example.org now!"),
            ["We met 96 children.", "Was it 2.5 days?", "Write to a@example.org now!"]
        );
        assert_eq!(sentences("A heading"), ["A heading"]);
        assert_eq!(sentences("“Good.” Then more"), ["“Good.”", "Then more"]);
        assert!(sentences(" – ").is_empty());
        assert_eq!(
            words("Help – early, co-ordinated."),
            ["Help", "early,", "co-ordinated."]
        );
    }

    /// Known sentences, with the grade Python's textstat 0.7 gives them
    /// (`textstat.flesch_kincaid_grade`): within a grade.
    #[test]
    fn the_grade_is_close_to_textstats() {
        for (text, textstat) in [
            ("The cat sat on the mat. The dog ran to the park.", -1.4),
            ("We are inspectors. We check that the people who help children and young people do a good job.", 3.0),
            (
                "The quality and consistency of children's plans, so that every plan says clearly what should change for the child and by when.",
                9.6,
            ),
            (
                "Develop a joint approach to self-evaluation and performance information that shows the difference services are making for children and families.",
                16.4,
            ),
        ] {
            let grade = Counts::of([text]).grade().unwrap();
            assert!((grade - textstat).abs() <= 1.0, "{text}: {grade:.1}, textstat {textstat}");
        }
        assert_eq!(Counts::of([""]).grade(), None);
    }

    #[test]
    fn a_block_without_a_stop_is_a_sentence_and_long_ones_are_found() {
        let c = Counts::of(["Who are we?", "We are inspectors", "We check."]);
        assert_eq!((c.sentences, c.words), (3, 8));
        let long = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone.";
        assert_eq!(long_sentences(["Short.", long]), [(1, long, 21)]);
        assert!(long_sentences(["Short. Also short."]).is_empty());
    }
}
