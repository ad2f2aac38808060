//! What the partnership sends back, read in one shape: the returned action
//! plan ([`action_plan`]), comments on the draft ([`comments`]) and the
//! population list ([`population`]).

pub mod action_plan;
pub mod comments;
pub mod population;
