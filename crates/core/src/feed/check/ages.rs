//! Who an activity is for, by age.

use super::fields::number;
use crate::feed::json::Json;
use crate::feed::{Out, Outcome};
use crate::model::{Activity, AgeRange};
use std::fmt::Display;

/// An age in years from a number (or numeric string), capped at 120.
pub fn age<V: Json>(v: &V) -> Option<u8> {
    number(v)
        .filter(|n| n.is_finite() && *n >= 0.0)
        .map(|n| n.min(120.0) as u8)
}

/// Set the activity's ages, unless `min` is above `max` (reported; ages left out).
pub fn set_ages(
    a: &mut Activity,
    min: Option<u8>,
    max: Option<u8>,
    at: impl Display,
    out: &mut Out,
) {
    match (min, max) {
        (None, None) => {}
        (Some(lo), Some(hi)) if lo > hi => out.problem(
            at,
            Some(&a.id),
            format!("minimum age {lo} is above maximum age {hi}; ages are left out"),
            Outcome::FieldDropped,
        ),
        _ => a.ages = Some(AgeRange { min, max }),
    }
}
