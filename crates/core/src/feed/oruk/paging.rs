//! Which pages of an Open Referral UK list come next. ORUK APIs page their lists:
//! v3 answers `{"page_number", "size", "total_pages", "total_items", "last_page",
//! "contents"}` to `?page=N&per_page=M`; v1 answers the Spring shape `{"number",
//! "size", "totalPages", "totalElements", "first", "last", "content"}`. Nothing here
//! fetches: the driver asks [`next_pages`] with the first page it read, then fetches
//! the URLs it is given (in any order, or all at once).

use crate::feed::rpde::url::{host, query_param, with_param};
use serde_json::Value;

/// The most pages [`next_pages`] lists unless told otherwise: 500 pages of 100 is
/// 50,000 services, above any directory in the UK today.
pub const DEFAULT_MAX_PAGES: u64 = 500;

/// What one page says about the list it is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageInfo {
    /// This page's number, counting from 1.
    pub page: u64,
    /// How many pages there are, when the page says (or gives the totals to work it out).
    pub total_pages: Option<u64>,
    /// The page says it is the last.
    pub last: bool,
}

/// The rest of a paged list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextPages {
    /// The URLs of the pages after the one given, in order.
    pub urls: Vec<String>,
    /// The list has more pages than the limit allowed listing.
    pub more_than_limit: bool,
    /// The page gave no count, so only the next page is known; ask again with it.
    pub count_unknown: bool,
}

/// Why the rest of a list cannot be worked out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PagingError {
    #[error("\"{0}\" is not an absolute http(s) URL, so the pages after it cannot be named.")]
    NotAbsolute(String),
    #[error(
        "The page is not an ORUK list page: it has no \"contents\" (v3) or \"content\" (v1) list."
    )]
    NotAPage,
}

/// The first page of the list at `base` (e.g. `https://api.example.org/services`).
///
/// ```
/// use activity_map_core::feed::oruk::paging::first_page;
/// assert_eq!(first_page("https://x.org/services", 100),
///            "https://x.org/services?page=1&per_page=100");
/// ```
pub fn first_page(base: &str, per_page: u32) -> String {
    with_param(
        &with_param(base.trim(), "page", "1"),
        "per_page",
        &per_page.to_string(),
    )
}

/// Read what a page says about its place in the list.
pub fn page_info(url: &str, doc: &Value) -> Result<PageInfo, PagingError> {
    let v3 = doc.get("contents").is_some_and(Value::is_array);
    let v1 = doc.get("content").is_some_and(Value::is_array);
    if !v3 && !v1 {
        return Err(PagingError::NotAPage);
    }
    let int = |k: &str| {
        let v = doc.get(k)?;
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    };
    let flag = |k: &str| doc.get(k).and_then(Value::as_bool);
    // The URL's own `page` is the surest number; a v1 page's `number` may count from 0
    // (Spring's habit), which its `first` flag shows.
    let page = query_param(url, "page")
        .and_then(|p| p.parse().ok())
        .or_else(|| int("page_number"))
        .or_else(|| match (int("number"), flag("first")) {
            (_, Some(true)) => Some(1),
            (Some(n), _) => Some(n.max(1)),
            _ => None,
        })
        .unwrap_or(1)
        .max(1);
    let size = int("size").or_else(|| int("per_page")).filter(|&s| s > 0);
    let total_items = int("total_items").or_else(|| int("totalElements"));
    let total_pages = int("total_pages")
        .or_else(|| int("totalPages"))
        .or_else(|| Some(total_items?.div_ceil(size?)));
    let last = flag("last_page").or_else(|| flag("last")) == Some(true)
        || total_pages.is_some_and(|t| page >= t)
        || (flag("empty") == Some(true));
    Ok(PageInfo {
        page,
        total_pages,
        last,
    })
}

/// The URLs of the pages after `url`, whose document is `doc`, up to `max_pages` in
/// all (counting the pages before it).
///
/// ```
/// use activity_map_core::feed::oruk::paging::next_pages;
/// let doc = serde_json::json!({"page_number": 1, "size": 50, "total_pages": 3,
///                              "total_items": 120, "contents": []});
/// let next = next_pages("https://x.org/services?page=1&per_page=50", &doc, 500).unwrap();
/// assert_eq!(next.urls, ["https://x.org/services?page=2&per_page=50",
///                        "https://x.org/services?page=3&per_page=50"]);
/// ```
pub fn next_pages(url: &str, doc: &Value, max_pages: u64) -> Result<NextPages, PagingError> {
    if host(url).is_none() {
        return Err(PagingError::NotAbsolute(crate::feed::check::truncate(
            url, 200,
        )));
    }
    let info = page_info(url, doc)?;
    let mut next = NextPages {
        urls: Vec::new(),
        more_than_limit: false,
        count_unknown: false,
    };
    if info.last {
        return Ok(next);
    }
    let (upto, unknown) = match info.total_pages {
        Some(t) => (t, false),
        // No count and not marked last: only the next page is known, unless this one
        // came back empty (a list that ends without saying so).
        None if list_len(doc) == 0 => return Ok(next),
        None => (info.page + 1, true),
    };
    next.count_unknown = unknown;
    let capped = upto.min(max_pages);
    next.more_than_limit = upto > max_pages;
    next.urls = (info.page + 1..=capped)
        .map(|p| with_param(url, "page", &p.to_string()))
        .collect();
    Ok(next)
}

fn list_len(doc: &Value) -> usize {
    ["contents", "content"]
        .into_iter()
        .find_map(|k| doc.get(k).and_then(Value::as_array))
        .map_or(0, Vec::len)
}
