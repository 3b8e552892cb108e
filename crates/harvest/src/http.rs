//! Polite HTTP: one request at a time, a pause between requests to the same host,
//! `Retry-After` honoured, errors retried with a growing wait, a timeout and a size
//! limit on every response. Publishers run these feeds for everyone; a harvester that
//! hammers one gets blocked, and rightly.

use activity_map_core::calendar::days_from_civil;
use activity_map_core::feed::rpde::url::host;
use std::collections::HashMap;
use std::io::Read;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How politely to fetch.
#[derive(Debug, Clone)]
pub struct Manners {
    /// Who is asking, sent as the User-Agent.
    pub user_agent: String,
    /// The least time between two requests to one host.
    pub delay: Duration,
    /// The longest one request may take, body included.
    pub timeout: Duration,
    /// Tries after the first, for errors that may pass (timeouts, 5xx, 429).
    pub retries: u32,
    /// The first wait before a retry; it doubles with each try, up to `max_wait`.
    pub backoff: Duration,
    /// The longest wait before a retry, `Retry-After` included: a server asking for
    /// more is treated as down for this run.
    pub max_wait: Duration,
    /// The largest response body accepted, in bytes.
    pub max_bytes: usize,
}

/// Why a URL could not be fetched, after any retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub reason: String,
    /// The server answered 404 or 410: the thing is not there (not a passing error).
    pub not_found: bool,
}

/// The fetcher: an HTTP agent with the manners above and a count of requests made.
pub struct Fetcher {
    agent: ureq::Agent,
    manners: Manners,
    /// When each host was last asked.
    last: HashMap<String, Instant>,
    /// Requests made (retries count), for the report.
    pub requests: usize,
}

enum Attempt {
    Done(Vec<u8>),
    /// Worth trying again, after at least this long.
    Retry(String, Option<Duration>),
    Fail(Failure),
}

impl Fetcher {
    pub fn new(manners: Manners) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .user_agent(manners.user_agent.as_str())
            .timeout_global(Some(manners.timeout))
            .http_status_as_error(false)
            .build();
        Fetcher {
            agent: config.into(),
            manners,
            last: HashMap::new(),
            requests: 0,
        }
    }

    /// The body at `url`, retried as the manners allow.
    pub fn get(&mut self, url: &str) -> Result<Vec<u8>, Failure> {
        let mut tries = 0;
        loop {
            match self.attempt(url) {
                Attempt::Done(bytes) => return Ok(bytes),
                Attempt::Fail(f) => return Err(f),
                Attempt::Retry(reason, asked) => {
                    if tries >= self.manners.retries {
                        return Err(Failure {
                            reason: format!("{reason}, after {} tries", tries + 1),
                            not_found: false,
                        });
                    }
                    let backoff = self
                        .manners
                        .backoff
                        .saturating_mul(1 << tries.min(16))
                        .min(self.manners.max_wait);
                    let wait = asked.unwrap_or(backoff);
                    if wait > self.manners.max_wait {
                        return Err(Failure {
                            reason: format!(
                                "{reason}, and the server asks to wait {} s, longer than this run waits ({} s)",
                                wait.as_secs(),
                                self.manners.max_wait.as_secs()
                            ),
                            not_found: false,
                        });
                    }
                    std::thread::sleep(wait);
                    tries += 1;
                }
            }
        }
    }

    fn attempt(&mut self, url: &str) -> Attempt {
        self.wait_turn(url);
        self.requests += 1;
        let response = self
            .agent
            .get(url)
            .header(
                "Accept",
                "application/json, application/ld+json;q=0.9, text/html;q=0.8, */*;q=0.5",
            )
            .call();
        let mut response = match response {
            Ok(r) => r,
            Err(e) => return Attempt::Retry(format!("{e}"), None),
        };
        let status = response.status().as_u16();
        match status {
            200..=299 => {}
            429 | 503 => {
                let asked = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry_after(v, SystemTime::now()));
                return Attempt::Retry(format!("HTTP {status}"), asked);
            }
            408 | 500..=599 => return Attempt::Retry(format!("HTTP {status}"), None),
            _ => {
                return Attempt::Fail(Failure {
                    reason: format!("HTTP {status}"),
                    not_found: status == 404 || status == 410,
                })
            }
        }
        let limit = self.manners.max_bytes;
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(size) = declared.filter(|&s| s > limit as u64) {
            return Attempt::Fail(over_limit(Some(size), limit));
        }
        let mut bytes = Vec::new();
        let read = response
            .body_mut()
            .as_reader()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes);
        match read {
            Err(e) => Attempt::Retry(format!("the download broke off ({e})"), None),
            Ok(_) if bytes.len() > limit => Attempt::Fail(over_limit(None, limit)),
            Ok(_) => Attempt::Done(bytes),
        }
    }

    /// Sleep until this URL's host may be asked again.
    fn wait_turn(&mut self, url: &str) {
        let key = host(url).unwrap_or_default();
        if let Some(last) = self.last.get(&key) {
            let ready = *last + self.manners.delay;
            let now = Instant::now();
            if ready > now {
                std::thread::sleep(ready - now);
            }
        }
        self.last.insert(key, Instant::now());
    }
}

fn over_limit(size: Option<u64>, limit: usize) -> Failure {
    let size = size.map_or("more".to_string(), |s| format!("{s} bytes"));
    Failure {
        reason: format!("the response is {size}, over the limit of {limit} bytes"),
        not_found: false,
    }
}

/// How long a `Retry-After` header asks to wait: whole seconds, or an HTTP date.
///
/// ```text
/// Retry-After: 120
/// Retry-After: Wed, 21 Oct 2026 07:28:00 GMT
/// ```
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = http_date(value)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs() as i64;
    Some(Duration::from_secs((at - now).max(0) as u64))
}

/// Seconds since 1970 of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form
/// HTTP servers send.
fn http_date(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u32 + 1;
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    let days = days_from_civil(year.parse().ok()?, month, day.parse().ok()?);
    Some(days * 86_400 + h * 3_600 + m * 60 + sec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
