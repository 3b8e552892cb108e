//! harvest: read publishers' whole feeds and write one feed in our format.
//!
//! Each source is an OpenActive dataset site or RPDE feed (every page followed; the
//! sessions joined to their series), an Open Referral UK API or `/services` list
//! (every page, with each service's places), or one document the app reads (parkrun
//! `events.json`, GeoJSON, our format; a URL or a file). RPDE feeds are kept in the
//! state folder between runs, so each run reads only their new pages.
//!
//! Exit status: 0 every source read to the end; 1 some source failed or stopped early
//! (what was read is still written); 2 the command is wrong or the output can't be written.

mod http;
mod output;
mod sources;
mod state;

use activity_map_core::feed::rpde::Limits;
use activity_map_core::feed::Options;
use activity_map_core::url_state;
use sources::{Reader, Settings, Status};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const USAGE: &str = "usage: harvest SOURCE... --out FEED.json [options]\n\
  SOURCE            an OpenActive dataset site or RPDE feed URL, an ORUK API base or /services URL,\n\
                    or a URL or file of parkrun events.json, GeoJSON or our format\n\
  --out FILE        where to write the one feed, in activity-map format (required)\n\
  --report FILE     also write the problems report as JSON\n\
  --state DIR       keep RPDE feeds here between runs, so the next run reads only new pages\n\
  --full-after DUR  read each RPDE feed whole again once its last full read is this old (7d)\n\
  --name TEXT       the output feed's name (\"Harvested activities\")\n\
  --contact TEXT    an email or URL for publishers to reach you, sent in the User-Agent\n\
  --delay SECS      the least time between two requests to one host (1)\n\
  --timeout SECS    the longest one request may take (30)\n\
  --retries N       tries after the first for a failing request (4)\n\
  --backoff SECS    the first wait before a retry, doubling each try (2)\n\
  --max-wait SECS   the longest wait before a retry, Retry-After included (300)\n\
  --max-page-bytes N  the largest page accepted (16777216)\n\
  --checkpoint SECS save a feed's state at least this often while reading it (30)\n\
  --category ID     put every activity in this category\n\
  --rule KEYWORD=ID before the built-in keyword rules, put records mentioning KEYWORD in ID\n\
DUR is a number with s, m, h or d (7d, 12h). Exit status: 0 all read, 1 a source failed\n\
or stopped early (what was read is still written), 2 bad usage or the output can't be written.";

/// Who we are, for publishers reading their logs, when `--contact` is not given.
const DEFAULT_CONTACT: &str = "see the activity-map README, \"Harvesting publishers' feeds\"";

struct Args {
    sources: Vec<String>,
    out: PathBuf,
    report: Option<PathBuf>,
    state: Option<PathBuf>,
    name: String,
    settings: Settings,
    manners: http::Manners,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut sources = Vec::new();
    let (mut out, mut report, mut state) = (None, None, None);
    let mut name = "Harvested activities".to_string();
    let mut contact = DEFAULT_CONTACT.to_string();
    let mut opts = Options::default();
    let mut limits = Limits::default();
    let mut full_after = Duration::from_secs(7 * 86_400);
    let mut checkpoint = Duration::from_secs(30);
    // One request a second to a host: a feed of 500 pages takes about eight minutes, and
    // no publisher's server notices one reader at that pace.
    let mut manners = http::Manners {
        user_agent: String::new(),
        delay: Duration::from_secs(1),
        timeout: Duration::from_secs(30),
        retries: 4,
        backoff: Duration::from_secs(2),
        max_wait: Duration::from_secs(300),
        max_bytes: limits.max_page_bytes,
    };
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--report" => report = Some(PathBuf::from(value()?)),
            "--state" => state = Some(PathBuf::from(value()?)),
            "--name" => name = value()?,
            "--contact" => contact = value()?,
            "--full-after" => full_after = duration(&value()?, "--full-after")?,
            "--delay" => manners.delay = seconds(&value()?, "--delay")?,
            "--timeout" => manners.timeout = seconds(&value()?, "--timeout")?,
            "--backoff" => manners.backoff = seconds(&value()?, "--backoff")?,
            "--max-wait" => manners.max_wait = seconds(&value()?, "--max-wait")?,
            "--checkpoint" => checkpoint = seconds(&value()?, "--checkpoint")?,
            "--retries" => manners.retries = number(&value()?, "--retries")?,
            "--max-page-bytes" => {
                limits.max_page_bytes = number(&value()?, "--max-page-bytes")?;
                manners.max_bytes = limits.max_page_bytes;
            }
            "--category" => opts.force_category = Some(value()?),
            "--rule" => {
                let rule = url_state::parse_rule(&value()?);
                opts.category_rules
                    .push(rule.ok_or("--rule needs KEYWORD=CATEGORY")?);
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => sources.push(a),
        }
    }
    if sources.is_empty() {
        return Err("give at least one source".into());
    }
    if contact.chars().any(|c| !(' '..='~').contains(&c)) {
        return Err("--contact must be plain ASCII text (it goes in an HTTP header)".into());
    }
    manners.user_agent = format!(
        "activity-map-harvest/{} (social-prescribing activity map; {contact})",
        env!("CARGO_PKG_VERSION")
    );
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(Args {
        sources,
        out: out.ok_or("--out is required")?,
        report,
        state,
        name,
        settings: Settings {
            opts,
            limits,
            full_after,
            checkpoint,
            now,
            max_details: 2_000,
        },
        manners,
    })
}

fn seconds(v: &str, what: &str) -> Result<Duration, String> {
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .ok_or(format!("{what} needs a number of seconds"))
}

fn number<T: std::str::FromStr>(v: &str, what: &str) -> Result<T, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("{what} needs a whole number"))
}

/// `7d`, `12h`, `30m`, `90s` or a bare number of seconds.
fn duration(v: &str, what: &str) -> Result<Duration, String> {
    let v = v.trim();
    let (n, unit) = match v.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&v[..i], c),
        _ => (v, 's'),
    };
    let scale = match unit {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3_600.0,
        'd' => 86_400.0,
        _ => return Err(format!("{what} needs a duration such as 7d, 12h or 30m")),
    };
    seconds(n, what).map(|d| d.mul_f64(scale))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("harvest: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let state = match state::State::new(args.state.clone()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("harvest: cannot use the state folder: {e}");
            return ExitCode::from(2);
        }
    };
    let mut fetcher = http::Fetcher::new(args.manners.clone());
    let mut reader = Reader {
        fetcher: &mut fetcher,
        state: &state,
        settings: &args.settings,
        out: Default::default(),
    };
    for s in &args.sources {
        eprintln!("harvest: reading {s}");
        reader.source(s);
    }
    let harvested = reader.out;
    let result = output::combine(&harvested, &args.name, &args.settings);
    let written = output::write_feed(&args.out, &result.feed).and_then(|()| match &args.report {
        Some(path) => output::write_report(path, &harvested, &result, fetcher.requests),
        None => Ok(()),
    });
    eprint!("{}", output::summary(&harvested, &result, fetcher.requests));
    if let Err(e) = written {
        eprintln!("harvest: cannot write the output: {e}");
        return ExitCode::from(2);
    }
    let all_read = harvested
        .reports
        .iter()
        .all(|r| matches!(r.status, Status::Complete));
    if all_read {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
