//! scrutiny: every formal document of a joint inspection of services for
//! children in Scotland, typeset by Typst embedded in the binary.
//!
//! The pipeline is load → validate ([`workspace`]) → plan ([`docs`]) → render
//! ([`render`]) → write ([`build`]). The rules (calendar, schedule) are plain
//! functions, separate from rendering.

pub mod access;
pub mod build;
pub mod calendar;
pub mod comments;
pub mod docs;
pub mod error;
pub mod escape;
pub mod figures;
pub mod form;
pub mod guard;
pub mod import;
pub mod init;
pub mod issue;
pub mod markdown;
pub mod methodology;
pub mod model;
pub mod named;
pub mod out;
pub mod pack;
pub mod picture;
pub mod population_list;
pub mod reading;
pub mod reference;
pub mod render;
pub mod reuse;
pub mod sampling;
pub mod schedule;
pub mod survey;
pub mod synth;
pub mod team;
pub mod text;
pub mod watch;
pub mod workbook;
pub mod workspace;

pub use error::{Error, ErrorKind, Problem, Result};
