//! The methodology's rules as plain functions, with no I/O: its numbers
//! ([`methodology`]), Scottish working days ([`calendar`]), the dated steps of
//! an inspection ([`schedule`]), the statistically valid sample
//! ([`sampling`]), the records-access rules ([`access`]), the team's rules
//! ([`team`]) and the figures the documents state ([`figures`]).

pub mod access;
pub mod calendar;
pub mod figures;
pub mod methodology;
pub mod sampling;
pub mod schedule;
pub mod team;
