//! Where a child's name may stand in a field that holds a person: as the
//! person's name itself, and nowhere else in the field. The name starts the
//! field, after titles ("Dr", "Chief Superintendent", and "Dear" in a
//! salutation), and is followed only by more of a hyphenated surname
//! ("-Smith") and post-nominal letters ("MBE", "QPM"); in an e-mail address,
//! by the rest of the address. "Jordan Reid, guardian of Hamish Docherty" or
//! "Jo Bell (Hamish Docherty)" does not hold Hamish Docherty as a person.

/// Titles a person's name may follow, in lower case, longest first where one
/// begins another.
const TITLES: &[&str] = &[
    "chief superintendent",
    "superintendent",
    "chief inspector",
    "inspector",
    "sergeant",
    "councillor",
    "cllr",
    "professor",
    "prof",
    "dr",
    "mrs",
    "mr",
    "ms",
    "miss",
    "mx",
    "sir",
    "dame",
    "dear",
];

/// Whether the name found at `start..end` (byte offsets in `text`) stands
/// as a person's name in `text`, read up to `limit`.
pub(super) fn stands_as_name(text: &str, start: usize, end: usize, limit: usize) -> bool {
    let limit = limit.min(text.len());
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..limit)) else {
        return false;
    };
    if is_address(text) {
        return before.trim_start_matches(is_quote).is_empty()
            && after
                .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
                .starts_with('@');
    }
    only_titles(before) && only_continuation(after)
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}')
}

/// An e-mail address: one word with an "@".
fn is_address(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c.is_whitespace() || is_quote(c));
    t.contains('@') && !t.contains(char::is_whitespace)
}

/// Nothing but titles, spaces and full stops.
fn only_titles(before: &str) -> bool {
    let mut rest = before;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '.' || is_quote(c));
        if rest.is_empty() {
            return true;
        }
        let lower = rest.to_lowercase();
        let Some(title) = TITLES
            .iter()
            .find(|t| lower.starts_with(*t) && !lower[t.len()..].starts_with(|c: char| c.is_alphanumeric()))
        else {
            return false;
        };
        // Titles are ASCII: their length in `lower` is their length in `rest`.
        rest = &rest[title.len()..];
    }
}

/// Nothing but more of a hyphenated surname, post-nominal letters, and
/// the punctuation that may close a field ("Dear Ms Reid,").
fn only_continuation(after: &str) -> bool {
    let mut rest = after;
    // "-Smith", "-Jones": letters after a hyphen, glued to the name.
    while let Some(r) = rest.strip_prefix(['-', '\u{2010}', '\u{2011}']) {
        let letters = r.find(|c: char| !c.is_alphabetic()).unwrap_or(r.len());
        if letters == 0 {
            return false;
        }
        rest = &r[letters..];
    }
    // " MBE", ", QPM": capitals only, two to six of them.
    rest.split([' ', ',']).filter(|w| !w.is_empty()).all(|w| {
        let w = w.trim_end_matches(|c: char| c == '.' || c == ';' || c == ':' || c == '!' || is_quote(c));
        w.is_empty() || (2..=6).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, name: &str) -> bool {
        let lower = text.to_lowercase();
        let start = lower
            .find(&name.to_lowercase())
            .or_else(|| lower.find(&name.to_lowercase().replace(' ', ".")))
            .unwrap();
        stands_as_name(text, start, start + name.len(), text.len())
    }

    #[test]
    fn a_name_stands_as_a_person_only_at_the_start_after_titles() {
        let name = "Hamish Docherty";
        for ok in [
            "Hamish Docherty",
            "Dr Hamish Docherty",
            "Mr. Hamish Docherty",
            "Chief Superintendent Hamish Docherty QPM",
            "Councillor Hamish Docherty MBE, OBE",
            "Hamish Docherty-Smith",
            "Dear Hamish Docherty,",
            "\"Prof Hamish Docherty\"",
            "hamish.docherty@example.org",
            "hamish.docherty2@example.org",
        ] {
            assert!(at(ok, name), "{ok}");
        }
        for bad in [
            "Jordan Reid, guardian of Hamish Docherty",
            "Jo Bell (Hamish Docherty)",
            "Hamish Docherty's carer",
            "Hamish Docherty, guardian",
            "Hamish Docherty (a child)",
            "Dr Who Hamish Docherty",
            "Mrsx Hamish Docherty",
            "Hamish Docherty Junior",
            "Hamish Docherty-",
            "about hamish.docherty@example.org",
            "to.hamish.docherty@example.org",
        ] {
            assert!(!at(bad, name), "{bad}");
        }
    }
}
