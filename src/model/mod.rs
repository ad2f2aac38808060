//! The domain model: what an inspection is made of. The loaders in
//! [`crate::workspace`] fill it; the rules (calendar, schedule, sampling,
//! access) and the documents read it.

pub mod inspection;
pub mod people;

pub use inspection::{
    Addressee, Body, CareService, Inspection, Person, PositionStatement, Records, Sampling, ScheduleSettings,
    TeamMember,
};
pub use people::{Agency, Category, Child, Contact, HolderRole, Position};
