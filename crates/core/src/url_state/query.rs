//! A query string as ordered key/value pairs, and the URL's percent-encoding.

/// Ordered key/value pairs of a query string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// Parse `?a=1&b=x%20y` (leading `?` optional; `+` is a space).
    pub fn parse(s: &str) -> Query {
        let s = s.strip_prefix('?').unwrap_or(s);
        Query(
            s.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k), decode(v))
                })
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Set (or with `None`/empty, remove) a key, keeping the others' order.
    pub fn set(&mut self, key: &str, value: Option<&str>) {
        let value = value.filter(|v| !v.is_empty());
        match (self.0.iter().position(|(k, _)| k == key), value) {
            (Some(i), Some(v)) => self.0[i].1 = v.to_string(),
            (Some(i), None) => {
                self.0.remove(i);
            }
            (None, Some(v)) => self.0.push((key.to_string(), v.to_string())),
            (None, None) => {}
        }
    }

    /// `?a=1&b=2`, or the empty string when there is nothing to say.
    pub fn to_query_string(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encode everything but unreserved characters and a few that read well in links.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b','
            | b':'
            | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut q = Query::parse("?feed=https%3A%2F%2Fexample.org%2Ff.json&q=tea+%26+cake");
        assert_eq!(q.get("feed"), Some("https://example.org/f.json"));
        assert_eq!(q.get("q"), Some("tea & cake"));
        q.set("sel", Some("green-1"));
        q.set("q", None);
        let s = q.to_query_string();
        assert_eq!(s, "?feed=https://example.org/f.json&sel=green-1");
        assert_eq!(Query::parse(&s), q);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["%", "%4", "%zz", "a=%E2%82", "==", "&&&", "?"] {
            let _ = Query::parse(s).to_query_string();
        }
        assert_eq!(decode("%E2%82%AC"), "€");
        assert_eq!(decode("100%"), "100%");
    }
}
