//! Reading `contacts.csv` and `population.csv` into the model, reporting every
//! bad header and record with its line and column.

use crate::base::error::{did_you_mean, Problem, Problems};
use crate::base::named;
use crate::model::{Child, Contact, Position};

pub const CONTACT_COLUMNS: (&[&str], &[&str]) = (
    &["id", "name", "role", "agency", "organisation", "address"],
    &["email", "salutation"],
);

pub const POPULATION_COLUMNS: (&[&str], &[&str]) = (
    &[
        "case_ref",
        "category",
        "protection",
        "lead_professional",
        "named_person",
        "health",
        "education",
        "social_work",
        "police",
    ],
    &["name", "date_of_birth"],
);

/// A record type that remembers its position, for later error messages.
pub trait Positioned {
    fn set_position(&mut self, at: Position);
}

impl Positioned for Contact {
    fn set_position(&mut self, at: Position) {
        self.at = at;
    }
}

impl Positioned for Child {
    fn set_position(&mut self, at: Position) {
        self.at = at;
    }
}

/// Reads every record of a CSV file into `T`, reporting every bad header and every
/// bad record (one problem per record) instead of stopping at the first.
pub fn read_csv<T: serde::de::DeserializeOwned + Positioned>(
    file: &str,
    text: &str,
    columns: (&[&str], &[&str]),
    problems: &mut Problems,
) -> Vec<T> {
    let mut out = Vec::new();
    each_record(file, text.as_bytes(), columns, problems, |_, value| out.push(value));
    out
}

/// Reads a CSV file record by record, handing each good one to `f` with the
/// header's column names and reporting every bad header and bad record, so a
/// large file is never held in memory whole. A header with problems gives no records.
pub fn each_record<T: serde::de::DeserializeOwned + Positioned, R: std::io::Read>(
    file: &str,
    reader: R,
    (required, optional): (&[&str], &[&str]),
    problems: &mut Problems,
    mut f: impl FnMut(&[String], T),
) {
    // Lengths are checked here: a row may leave off optional columns at its end.
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(reader);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(csv_problem(file, &e, None));
            return;
        }
    };
    if !header_ok(file, &headers, required, optional, problems) {
        return;
    }
    let names: Vec<String> = headers.iter().map(String::from).collect();
    let mut rec = csv::StringRecord::new();
    for i in 0.. {
        let record = i + 1;
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                problems.push(csv_problem(file, &e, Some(record)));
                // An I/O error or bad UTF-8 would repeat for ever.
                if matches!(e.kind(), csv::ErrorKind::Io(_) | csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
                continue;
            }
        }
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(record + 1);
        if !fill_optional(&mut rec, &headers, optional) {
            problems.push(
                Problem::new(
                    file,
                    format!(
                        "this record has {} fields but the header has {}",
                        rec.len(),
                        headers.len()
                    ),
                )
                .line(line)
                .place(format!("record {record}"))
                .help("quote a field that holds a comma, e.g. \"1 High Street, Glenaird\""),
            );
            continue;
        }
        match rec.deserialize::<T>(Some(&headers)) {
            Ok(mut value) => {
                value.set_position(Position { line, record });
                f(&names, value);
            }
            Err(e) => problems.push(record_problem(file, &e, &rec, &headers, line, record)),
        }
    }
}

/// A record as long as the header, or shorter by optional columns only
/// (filled in empty); false for any other length.
fn fill_optional(rec: &mut csv::StringRecord, headers: &csv::StringRecord, optional: &[&str]) -> bool {
    if rec.len() > headers.len() {
        return false;
    }
    if !headers.iter().skip(rec.len()).all(|h| optional.contains(&h)) {
        return false;
    }
    while rec.len() < headers.len() {
        rec.push_field("");
    }
    true
}

/// Checks the header: every column known, none twice, the required ones there.
fn header_ok(
    file: &str,
    headers: &csv::StringRecord,
    required: &[&str],
    optional: &[&str],
    problems: &mut Problems,
) -> bool {
    let mut ok = true;
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    for (i, h) in headers.iter().enumerate() {
        if !known.contains(&h) {
            ok = false;
            let mut p = Problem::new(file, format!("unknown column `{h}`"))
                .at(1, i + 1)
                .place("header");
            p = match did_you_mean(h, known.iter().copied()) {
                Some(k) => p.help(format!("did you mean `{k}`?")),
                None => p.help(format!("the columns are: {}", known.join(", "))),
            };
            problems.push(p);
        }
        if headers.iter().take(i).any(|e| e == h) {
            ok = false;
            problems.push(
                Problem::new(file, format!("column `{h}` appears twice"))
                    .at(1, i + 1)
                    .place("header")
                    .help("keep one of them"),
            );
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == *r) {
            ok = false;
            problems.push(
                Problem::new(file, format!("the required column `{r}` is missing"))
                    .line(1)
                    .place("header")
                    .help(format!(
                        "the first line must name these columns: {}",
                        required.join(",")
                    )),
            );
        }
    }
    ok
}

/// A record that does not read as its type, located at its column when serde
/// says (or its message quotes the value), with the named value's help.
fn record_problem(
    file: &str,
    e: &csv::Error,
    rec: &csv::StringRecord,
    headers: &csv::StringRecord,
    line: usize,
    record: usize,
) -> Problem {
    let mut p = Problem::new(file, String::new()).line(line);
    let mut place = format!("record {record}");
    if let csv::ErrorKind::Deserialize { err, .. } = e.kind() {
        // serde does not always say which field failed (enum values, for
        // one); the value it quotes then finds the column.
        let message = err.kind().to_string();
        let quoted = message.split('`').nth(1);
        let field = err
            .field()
            .map(|f| f as usize)
            .or_else(|| quoted.and_then(|q| rec.iter().position(|v| v == q)));
        if let Some(field) = field {
            let col = field;
            p.column = Some(col + 1);
            if let Some(name) = headers.get(col) {
                place = format!("record {record}, column {name}");
            }
        }
        let message = plain_serde_message(&message);
        match message.split_once(named::HELP) {
            Some((m, help)) => {
                p.message = m.to_string();
                p.help = Some(help.to_string());
            }
            None => p.message = message,
        }
    } else {
        p.message = e.to_string();
    }
    p.place(place)
}

/// Every value of one column, read leniently (rows of the wrong length included).
pub fn raw_column(text: &str, column: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let Some(i) = rdr.headers().ok().and_then(|h| h.iter().position(|c| c == column)) else {
        return Vec::new();
    };
    rdr.records()
        .flatten()
        .filter_map(|r| r.get(i).map(String::from))
        .collect()
}

fn csv_problem(file: &str, e: &csv::Error, record: Option<usize>) -> Problem {
    let mut p = Problem::new(file, e.to_string());
    if let Some(pos) = e.position() {
        p = p.line(pos.line() as usize);
    }
    if let csv::ErrorKind::UnequalLengths { expected_len, len, .. } = e.kind() {
        p.message = format!("this record has {len} fields but the header has {expected_len}");
        p.help = Some("quote a field that holds a comma, e.g. \"1 High Street, Glenaird\"".into());
    }
    if let Some(r) = record {
        p = p.place(format!("record {r}"));
    }
    p
}

/// serde's messages name Rust things; say it in the file's terms.
fn plain_serde_message(m: &str) -> String {
    m.replace("unknown variant", "unknown value")
        .replace("premature end of input", "incomplete date (use YYYY-MM-DD)")
        .replace("input contains invalid characters", "not a date (use YYYY-MM-DD)")
        .replace("input is out of range", "not a date on the calendar")
}
