//! Placeholder: being written.
use super::{Options, Out};
use crate::model::FeedMeta;
use serde_json::Value;

pub fn read(_doc: &Value, _out: &mut Out, _opts: &Options) -> FeedMeta {
    super::meta_named("oruk")
}
