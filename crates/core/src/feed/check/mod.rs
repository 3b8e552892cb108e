//! Field checks shared by every adapter, one concept a file: plain text ([`text`]),
//! loosely typed JSON fields ([`fields`]), contact details ([`contact`]), places
//! ([`place`]), dates and times ([`time`]), ages ([`ages`]), costs ([`money`]) and our
//! vocabularies of features, joining and categories ([`vocabulary`]).
//!
//! Every check is re-exported here, so adapters call `check::time(..)`,
//! `check::set_contact(..)` and so on without naming the file it lives in. A check
//! that finds a bad value reports it through the adapter's [`Out`](super::Out) with
//! the [`Outcome`](super::Outcome) for the listing, and never guesses.

pub mod ages;
pub mod contact;
pub mod fields;
pub mod money;
pub mod place;
pub mod text;
pub mod time;
pub mod vocabulary;

pub use ages::*;
pub use contact::*;
pub use fields::*;
pub use money::*;
pub use place::*;
pub use text::*;
pub use time::*;
pub use vocabulary::*;
