//! The little of URL syntax that following feed pages needs: is a link absolute
//! http(s), which host it names, and setting one query parameter (for numbered pages).
//! A full URL parser would be a dependency in the wasm for three questions.

/// The lower-cased host of an absolute `http://` or `https://` URL, without user
/// information or port; `None` for anything else (a relative link, another scheme).
///
/// ```
/// use activity_map_core::feed::rpde::url::host;
/// assert_eq!(host("https://Feeds.Example.org:8443/rpde?x=1"), Some("feeds.example.org".into()));
/// assert_eq!(host("/rpde?afterId=3"), None);
/// assert_eq!(host("ftp://example.org/"), None);
/// ```
pub fn host(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        // An IPv6 literal keeps its brackets so its colons are not read as a port.
        format!("[{}]", v6.split(']').next().unwrap_or(""))
    } else {
        hostport.split(':').next().unwrap_or("").to_string()
    };
    let ok = !host.is_empty()
        && !host.contains(char::is_whitespace)
        && !host.chars().any(char::is_control);
    ok.then(|| host.to_ascii_lowercase())
}

/// The value of query parameter `name` (not percent-decoded; page numbers need none).
pub fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let query = url.split('#').next()?.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then_some(v)
    })
}

/// `url` with query parameter `name` set to `value`: replaced where it is, else added.
///
/// ```
/// use activity_map_core::feed::rpde::url::with_param;
/// assert_eq!(with_param("https://x.org/services?page=2&per_page=50", "page", "3"),
///            "https://x.org/services?page=3&per_page=50");
/// assert_eq!(with_param("https://x.org/services", "page", "2"), "https://x.org/services?page=2");
/// ```
pub fn with_param(url: &str, name: &str, value: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (path, query) = match base.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (base, None),
    };
    let mut pairs: Vec<String> = Vec::new();
    let mut set = false;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let key = pair.split_once('=').map_or(pair, |(k, _)| k);
        if key == name {
            if !set {
                pairs.push(format!("{name}={value}"));
                set = true;
            }
        } else {
            pairs.push(pair.to_string());
        }
    }
    if !set {
        pairs.push(format!("{name}={value}"));
    }
    let mut out = format!("{path}?{}", pairs.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}
