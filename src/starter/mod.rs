//! A new inspection folder: the worked example ([`init`]), synthetic folders
//! for tests and benchmarks ([`synth`]), and the folder's own copy of the
//! templates with `REFERENCE.md` ([`mod@reference`]).

pub mod init;
pub mod reference;
pub mod synth;
