//! The methodology's rules as plain functions, with no I/O: its numbers and
//! the small-number rule ([`methodology`]), Scottish working days
//! ([`calendar`]), the dated steps of an inspection ([`step`], each named
//! once) and their dates ([`schedule`]), the statistically valid sample
//! ([`sampling`]), the records-access rules ([`access`]), the team's rules
//! ([`team`]), the figures the documents state ([`figures`]) and how hard a
//! text is to read ([`readability`]).

pub mod access;
pub mod calendar;
pub mod figures;
pub mod history;
pub mod methodology;
pub mod readability;
pub mod sampling;
pub mod schedule;
pub mod step;
pub mod team;
