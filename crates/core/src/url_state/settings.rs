//! The settings a link carries besides the finder's state: how to read the feed
//! (`category`, `rules`) and the iframe embedding (`embed`, `origin`).

use super::keys::EMBED_KEYS;
use super::Query;
use crate::feed::Options;

/// How to read the feed, from the link: `category=ID` puts every activity in one
/// category; `rules=walk=green,choir=hub` adds keyword rules, checked before the
/// built-in ones (see [`parse_rule`] for the syntax, shared with `feedcheck --rule`).
pub fn feed_options(q: &Query) -> Options {
    Options {
        force_category: q.get("category").map(str::to_string),
        category_rules: q.get("rules").map(parse_rules).unwrap_or_default(),
        ..Options::default()
    }
}

/// One keyword rule, `KEYWORD=CATEGORY`: records that mention the keyword go in that
/// category. `KEYWORD:CATEGORY`, the form links used before, is read too. Both sides
/// are trimmed; `None` when either is empty or there is no separator.
pub fn parse_rule(text: &str) -> Option<(String, String)> {
    // `=` first: the old form never held one, so a rule that has one is the new form.
    let (keyword, category) = text.split_once('=').or_else(|| text.split_once(':'))?;
    let (keyword, category) = (keyword.trim(), category.trim());
    (!keyword.is_empty() && !category.is_empty())
        .then(|| (keyword.to_string(), category.to_string()))
}

/// A comma-separated list of rules (`walk=green,choir=hub`); unreadable ones are skipped.
pub fn parse_rules(list: &str) -> Vec<(String, String)> {
    list.split(',').filter_map(parse_rule).collect()
}

/// The rules as the docs show them and links write them: `walk=green,choir=hub`.
pub fn rules_text(rules: &[(String, String)]) -> String {
    rules
        .iter()
        .map(|(keyword, category)| format!("{keyword}={category}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Is this the compact view inside a partner's iframe (`embed=1`)?
pub fn is_embed(q: &Query) -> bool {
    q.get("embed").is_some_and(|v| v == "1" || v == "true")
}

/// The origin an iframe's messages may go to: the one the host named (`origin=`), else
/// that of the embedding page's address (`referrer`). `None` without either.
pub fn host_origin(q: &Query, referrer: &str) -> Option<String> {
    q.get("origin")
        .map(str::to_string)
        .or_else(|| url_origin(referrer))
}

/// The origin (`https://example.org:8080`) of an `http` or `https` address as a browser
/// writes one (`document.referrer`: no user name, default port left out, so the origin
/// is the text up to the path). `None` for other addresses, whose origin is opaque.
pub fn url_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = host.strip_suffix(default_port).unwrap_or(host);
    (!host.is_empty()).then(|| format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// The query for a link to the full app: the embedding's own keys left out, and
/// keyword rules written in the documented form (`walk=green`).
pub fn full_app_query(q: &Query) -> Query {
    let mut q = q.clone();
    for key in EMBED_KEYS {
        q.set(key, None);
    }
    if let Some(rules) = q.get("rules").map(parse_rules) {
        q.set("rules", Some(&rules_text(&rules)));
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(link: &str) -> Vec<(String, String)> {
        feed_options(&Query::parse(link)).category_rules
    }

    fn pair(k: &str, c: &str) -> (String, String) {
        (k.to_string(), c.to_string())
    }

    #[test]
    fn both_rule_forms_are_read() {
        let want = vec![pair("walk", "green"), pair("choir", "hub")];
        assert_eq!(rules("?rules=walk=green,choir=hub"), want);
        assert_eq!(rules("?rules=walk%3Dgreen,choir%3Dhub"), want);
        assert_eq!(rules("?rules=walk:green,choir:hub"), want);
        assert_eq!(rules("?rules=walk:green,%20choir%20=%20hub%20"), want);
        assert_eq!(
            parse_rule("counselling=heritage"),
            Some(pair("counselling", "heritage"))
        );
        assert_eq!(parse_rule("tai chi:green"), Some(pair("tai chi", "green")));
    }

    #[test]
    fn unreadable_rules_are_skipped() {
        assert_eq!(
            rules("?rules=walk,=green,choir:,,swim=green"),
            vec![pair("swim", "green")]
        );
        assert_eq!(rules(""), Vec::new());
        for bad in ["", "walk", "=green", "walk=", " : ", "="] {
            assert_eq!(parse_rule(bad), None, "{bad}");
        }
    }

    #[test]
    fn rules_are_written_in_the_documented_form() {
        let list = vec![pair("walk", "green"), pair("choir", "hub")];
        assert_eq!(rules_text(&list), "walk=green,choir=hub");
        assert_eq!(parse_rules(&rules_text(&list)), list);
        let q = full_app_query(&Query::parse(
            "?embed=1&rules=walk:green&origin=https://a.org&cat=hub",
        ));
        assert_eq!(q.get("rules"), Some("walk=green"));
        assert_eq!(q.to_query_string(), "?rules=walk%3Dgreen&cat=hub");
        assert_eq!(
            feed_options(&Query::parse(&q.to_query_string())).category_rules,
            vec![pair("walk", "green")]
        );
    }

    #[test]
    fn category_is_forced_from_the_link() {
        let o = feed_options(&Query::parse("?category=green"));
        assert_eq!(o.force_category.as_deref(), Some("green"));
        assert!(o.category_rules.is_empty());
        assert_eq!(feed_options(&Query::default()).force_category, None);
    }

    #[test]
    fn embed_flag() {
        assert!(is_embed(&Query::parse("?embed=1")));
        assert!(is_embed(&Query::parse("?embed=true")));
        for no in ["?embed=0", "?embed=", "?embed=yes", ""] {
            assert!(!is_embed(&Query::parse(no)), "{no}");
        }
    }

    #[test]
    fn the_host_origin_is_named_or_comes_from_the_referrer() {
        let q = Query::parse("?origin=https://partner.org");
        assert_eq!(
            host_origin(&q, "https://other.org/x").as_deref(),
            Some("https://partner.org")
        );
        let none = Query::default();
        assert_eq!(
            host_origin(&none, "http://127.0.0.1:4301/iframe.html?app=x#top").as_deref(),
            Some("http://127.0.0.1:4301")
        );
        assert_eq!(host_origin(&none, ""), None);
        assert_eq!(
            url_origin("HTTPS://Partner.ORG:443/"),
            Some("https://partner.org".into())
        );
        assert_eq!(
            url_origin("http://me@a.org:80?x"),
            Some("http://a.org".into())
        );
        assert_eq!(
            url_origin("https://a.org:8443"),
            Some("https://a.org:8443".into())
        );
        for opaque in [
            "about:blank",
            "file:///home/x.html",
            "data:text/html,hi",
            "https:///x",
            "a.org",
        ] {
            assert_eq!(url_origin(opaque), None, "{opaque}");
        }
    }
}
