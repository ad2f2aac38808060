//! Every integration test in one crate, so that Typst is linked into one test
#![allow(clippy::too_many_lines)] // a test reads best as one story
//! binary instead of one per file.

mod common;

pub mod action_plan;
mod bounds;
mod briefing;
mod calendar;
mod comments;
mod correspondence;
mod disguise;
mod faults;
mod firstday;
mod fuzz;
mod guard;
mod history;
mod hostile;
mod html;
mod incremental;
mod layers;
mod layout;
mod mail;
mod messages;
mod notice;
mod population;
mod programme;
mod provenance;
mod records;
mod registry;
mod reissue;
mod report;
mod requests;
mod safety;
mod scoping;
mod snapshots;
mod survey;
mod templates;
mod tenses;
mod validation;
mod words;
mod young;
