//! The only module that does HTTP: fetch a feed and hand it to the parser.

use crate::feed::{self, FeedError, Loaded, Options};
use gloo_net::http::Request;

/// Why a feed could not be shown, in words a person can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    #[error("We couldn't reach the activity feed. Check your internet connection and try again. ({url})")]
    Unreachable { url: String },
    #[error("The activity feed could not be loaded: the server answered {status} {text}. ({url})")]
    Status { url: String, status: u16, text: String },
    #[error("The activity feed could not be read. {0}")]
    Invalid(#[from] FeedError),
}

pub async fn fetch_feed(url: &str, opts: &Options) -> Result<Loaded, LoadError> {
    let unreachable = || LoadError::Unreachable { url: url.to_string() };
    let resp = Request::get(url).send().await.map_err(|_| unreachable())?;
    if !resp.ok() {
        return Err(LoadError::Status {
            url: url.to_string(),
            status: resp.status(),
            text: resp.status_text(),
        });
    }
    let bytes = resp.binary().await.map_err(|_| unreachable())?;
    Ok(feed::load(&bytes, opts)?)
}
