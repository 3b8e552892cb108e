//! Field checks shared by every adapter, one concept a file: plain text ([`plain`]),
//! loosely typed JSON fields ([`fields`]), contact details ([`contact`]), places
//! ([`place`]), dates and times ([`datetime`]), ages ([`ages`]), costs ([`cost`]) and
//! our vocabularies of features, joining and categories ([`vocabulary`]).
//!
//! Every check is re-exported here, so adapters call `check::time(..)`,
//! `check::set_contact(..)` and so on without naming the file it lives in. A check
//! that finds a bad value reports it through the adapter's [`Out`](super::Out) with
//! the [`Outcome`](super::Outcome) for the listing, and never guesses.

pub mod ages;
pub mod contact;
pub mod cost;
pub mod datetime;
pub mod fields;
pub mod place;
pub mod plain;
pub mod vocabulary;

pub use ages::*;
pub use contact::*;
pub use cost::*;
pub use datetime::*;
pub use fields::*;
pub use place::*;
pub use plain::*;
pub use vocabulary::*;
