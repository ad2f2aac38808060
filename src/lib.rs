//! scrutiny: every formal document of a joint inspection of services for
//! children in Scotland, typeset by Typst embedded in the binary.
//!
//! The pipeline is load → validate ([`workspace`]) → plan ([`docs`]) → render
//! ([`render`]) → write ([`build`]). The rules (calendar, schedule) are plain
//! functions, separate from rendering.

pub mod base;
pub mod build;
pub mod docs;
pub mod formats;
pub mod guard;
pub mod model;
pub mod programme;
pub mod render;
pub mod returns;
pub mod rules;
pub mod starter;
pub mod workspace;

pub use base::error::{Error, ErrorKind, Problem, Result};
