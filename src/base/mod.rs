//! Plain helpers every layer uses: the one typed [`error::Error`] with located
//! problems, words for numbers and dates ([`text`]), safe file reads and
//! atomic writes ([`files`]), and names read with "did you mean" ([`named`]).
//! Nothing here knows an inspection.

pub mod assets;
pub mod error;
pub mod files;
pub mod named;
pub mod text;
