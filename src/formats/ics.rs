//! The schedule as an iCalendar file (RFC 5545) for the team's calendars:
//! one all-day event per dated step (a run of days as one event over them),
//! each with the UID `<key>@<reference>`, so that importing a later version
//! updates the events rather than adding them again.

use chrono::{Days, NaiveDate};

use crate::rules::schedule::DatedStep;

/// The calendar of `steps`, named for the inspection; `stamp` is the
/// DTSTAMP of every event (a date of the inspection's, so that the same
/// schedule gives the same bytes).
pub fn calendar(reference: &str, area: &str, steps: &[DatedStep], stamp: NaiveDate) -> String {
    many(
        &format!("{reference} {area} joint inspection"),
        &[(reference, area, steps)],
        stamp,
    )
}

/// One calendar named `name` holding the steps of several inspections, each
/// given with its reference and area; the events are those [`calendar`]
/// makes, with the same UIDs, so either file updates the other's events.
pub fn many(name: &str, inspections: &[(&str, &str, &[DatedStep])], stamp: NaiveDate) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//scrutiny//scrutiny {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".to_string(),
        format!("X-WR-CALNAME:{}", text(name)),
    ];
    for (reference, area, steps) in inspections {
        let uid_ref: String = reference
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        for s in *steps {
            lines.extend([
                "BEGIN:VEVENT".to_string(),
                format!("UID:{}@{uid_ref}", s.step.key()),
                format!("DTSTAMP:{}T000000Z", day(stamp)),
                format!("DTSTART;VALUE=DATE:{}", day(s.start)),
                // The end of an all-day event is the day after its last.
                format!("DTEND;VALUE=DATE:{}", day(s.end + Days::new(1))),
                format!("SUMMARY:{}", text(&format!("{} ({reference} {area})", s.label))),
                "TRANSP:TRANSPARENT".to_string(),
                "END:VEVENT".to_string(),
            ]);
        }
    }
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|l| fold(l)).collect()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line ended by CRLF and folded at 75 octets (never inside a character).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_and_text_is_escaped() {
        let long = "x".repeat(200);
        let folded = fold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
        assert_eq!(text("a, b; c\\d"), "a\\, b\\; c\\\\d");
    }
}
