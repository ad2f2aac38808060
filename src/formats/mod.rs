//! File formats, read and written: the writers' Markdown as Typst and HTML
//! ([`markdown`]) and its slips ([`slips`]), the writers' words for children
//! and young people measured ([`readable`]), pictures checked and cleaned ([`picture`]), values escaped
//! for Typst and HTML ([`escape`]), form fields added to a PDF ([`form`]) and
//! workbooks ([`xlsx`]).

pub mod escape;
pub mod form;
pub mod ics;
pub mod markdown;
pub mod picture;
pub mod readable;
pub mod slips;
pub mod xlsx;
