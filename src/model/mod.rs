//! The domain model: what an inspection is made of, and what a document
//! states of it ([`facts`]). The loaders in [`crate::workspace`] fill it; the
//! rules (calendar, schedule, sampling, access) and the documents read it.

pub mod action_plan;
pub mod comments;
pub mod facts;
pub mod findings;
pub mod folder;
pub mod inspection;
pub mod issued;
pub mod people;
pub mod programme;
pub mod received;
pub mod scoping;

pub use inspection::{
    Addressee, Body, CareService, Inspection, Person, PositionStatement, Records, Sampling, ScheduleSettings,
    TeamMember,
};
pub use people::{Agency, Category, Child, Contact, HolderRole, Position};

/// A type's JSON schema with every type written out in place: the keys a
/// settings file may hold, and the variables a template may use.
pub fn schema_of<T: schemars::JsonSchema>() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator()
        .into_root_schema_for::<T>()
}
