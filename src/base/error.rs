//! One error type for the whole library. Library code never prints or exits:
//! `main` turns an [`Error`] into a message and a documented exit code.

use std::fmt;
use std::path::Path;

use crate::base::text::printable;

/// What went wrong, broadly. The CLI maps each kind to an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The inspection folder has problems the user must fix (exit code 1).
    InvalidInput,
    /// A template (built in or the workspace's own) failed to render (exit code 1).
    Template,
    /// A file or folder could not be read or written (exit code 2).
    Io,
    /// The command line asks for something that cannot be done as given, or a
    /// build refused to touch files it does not own (exit code 2).
    Refused,
}

/// One located problem in the user's input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// File name relative to the inspection folder, e.g. `inspection.toml`.
    pub file: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// A human place inside the file, e.g. `record 431, column health`.
    pub place: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The line of the file it is on, with the part that is wrong marked.
    pub excerpt: Option<Excerpt>,
}

/// A line of a file with a marked part, shown under a problem.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Excerpt {
    /// The line as written.
    pub text: String,
    /// The marked part: first character (0-based) and how many characters.
    pub start: usize,
    pub width: usize,
}

impl Problem {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line: None,
            column: None,
            place: None,
            message: message.into(),
            help: None,
            excerpt: None,
        }
    }

    /// Shows `text`, the problem's line, with `width` characters from the
    /// problem's column marked.
    pub fn excerpt(mut self, text: impl Into<String>, width: usize) -> Self {
        let start = self.column.unwrap_or(1).saturating_sub(1);
        self.excerpt = Some(Excerpt {
            text: text.into(),
            start,
            width: width.max(1),
        });
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn place(mut self, place: impl Into<String>) -> Self {
        self.place = Some(place.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column` as far as it is known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }
}

/// Every message shows the characters of the files it quotes (a file name, a
/// form's field, a line of TOML) through [`printable`]: a control character is
/// shown escaped rather than sent to the terminal.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", printable(&self.location()))?;
        if let Some(place) = &self.place {
            write!(f, "{}: ", printable(place))?;
        }
        write!(f, "{}", printable(&self.message))?;
        if let Some(x) = &self.excerpt {
            let number = self.line.map(|l| l.to_string()).unwrap_or_default();
            let pad = " ".repeat(number.len());
            // One line, each control character escaped; the marker goes under
            // the marked characters as they are shown, escapes included.
            let shown = |from: usize, n: usize| -> (String, usize) {
                let part: String = x.text.chars().skip(from).take(n).collect();
                (
                    crate::base::text::one_line(&part.replace('\t', " ")),
                    part.chars().count(),
                )
            };
            let ((lead, _), (marked, taken)) = (shown(0, x.start), shown(x.start, x.width));
            let (rest, _) = shown(x.start + x.width, usize::MAX);
            // A mark past the end of the line (a missing value) keeps its width.
            let width = marked.chars().count() + (x.width - taken);
            write!(
                f,
                "\n {pad} │\n {number} │ {lead}{marked}{rest}\n {pad} │ {}{}",
                " ".repeat(lead.chars().count()),
                "^".repeat(width)
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n    help: {}", printable(help))?;
        }
        Ok(())
    }
}

/// The library's error.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    problems: Vec<Problem>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            problems: Vec::new(),
            source: None,
        }
    }

    /// An invalid inspection folder: every problem found, all at once.
    pub fn invalid(problems: Vec<Problem>) -> Self {
        let n = problems.len();
        let mut e = Error::new(
            ErrorKind::InvalidInput,
            format!(
                "the inspection folder has {}",
                crate::base::text::count(n, "problem", "problems")
            ),
        );
        e.problems = problems;
        e
    }

    /// A folder not filled in yet (made by `scrutiny new`): what to fill
    /// first, in the order the inspection needs it, rather than every
    /// problem a blank file would give.
    /// The folder's other problems, if any, follow the things to do.
    pub fn to_do(mut items: Vec<Problem>, others: Vec<Problem>) -> Self {
        let n = items.len();
        let also = match others.len() {
            0 => String::new(),
            m => format!(
                ", and {} below them",
                crate::base::text::count(m, "problem", "problems")
            ),
        };
        let mut e = Error::new(
            ErrorKind::InvalidInput,
            format!(
                "inspection.toml is not filled in yet: {} to do first, in the order the inspection needs {}{also}",
                crate::base::text::count(n, "thing", "things"),
                if n == 1 { "it" } else { "them" }
            ),
        );
        items.extend(others);
        e.problems = items;
        e
    }

    /// Problems in something other than the inspection folder (a returned plan, say).
    pub fn invalid_in(what: &str, problems: Vec<Problem>) -> Self {
        let n = problems.len();
        let mut e = Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{what} has {}; nothing was written",
                crate::base::text::count(n, "problem", "problems")
            ),
        );
        e.problems = problems;
        e
    }

    /// A file could not be read or written.
    pub fn io(path: &Path, action: &str, source: std::io::Error) -> Self {
        let mut e = Error::new(ErrorKind::Io, format!("could not {action} {}", path.display()));
        e.source = Some(Box::new(source));
        e
    }

    pub fn template(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Template, message)
    }

    /// Attaches located problems (files to move, say) to a refusal.
    pub fn with_problems(mut self, problems: Vec<Problem>) -> Self {
        self.problems = problems;
        self
    }

    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&printable(&self.message))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Gathers problems so that a check can report all of them at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// Adds each of `more`.
    pub fn extend(&mut self, more: impl IntoIterator<Item = Problem>) {
        for p in more {
            self.push(p);
        }
    }

    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.0
    }

    /// `Ok(value)` when nothing was found, else the invalid-input error.
    pub fn finish<T>(self, value: T) -> Result<T> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Error::invalid(self.0))
        }
    }
}

/// "did you mean `x`?" for a misspelt name, when one of `known` is close.
pub fn did_you_mean<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(given, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
