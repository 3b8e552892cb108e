//! The one feed written, and the report of what was read: per source, how reading
//! went; per feed read, the same report `feedcheck` gives (`feed::report`).

use crate::sources::{Harvested, Settings, Status};
use crate::state::write_atomic;
use activity_map_core::calendar::{british_summer_time, date_of_day, MINUTES_PER_DAY};
use activity_map_core::feed::rpde::{join, Harvest};
use activity_map_core::feed::{report, Loaded, Outcome, Problem};
use activity_map_core::model::{Feed, FeedMeta, FORMAT_V1};
use serde_json::json;
use std::collections::HashSet;
use std::path::Path;

/// The feed put together, and each part it came from.
pub struct Combined {
    pub feed: Feed,
    /// Every OpenActive feed joined (`openactive`), then each other source.
    pub parts: Vec<(String, Loaded)>,
    /// Activities left out because an earlier source gave one with the same id.
    pub left_out: Vec<Problem>,
}

/// Today's date in the UK, for dropping sessions already past.
fn uk_today(now: u64) -> String {
    let minutes = (now / 60) as i64;
    let local = minutes + if british_summer_time(minutes) { 60 } else { 0 };
    date_of_day(local.div_euclid(MINUTES_PER_DAY))
}

/// One feed from everything read. The OpenActive feeds are joined together (a
/// session finds its series in any of them), keeping sessions from today on.
pub fn combine(h: &Harvested, name: &str, settings: &Settings) -> Combined {
    let today = uk_today(settings.now);
    let mut parts = Vec::new();
    if !h.rpde.is_empty() {
        let feeds: Vec<&Harvest> = h.rpde.iter().collect();
        let joined = join::load_upcoming(&feeds, &settings.opts, &today);
        parts.push(("openactive".to_string(), joined));
    }
    parts.extend(h.loaded.iter().cloned());
    let mut feed = Feed {
        format: FORMAT_V1.to_string(),
        feed: FeedMeta {
            name: name.to_string(),
            updated: Some(today),
            ..FeedMeta::default()
        },
        categories: Vec::new(),
        activities: Vec::new(),
    };
    let mut ids = HashSet::new();
    let mut left_out = Vec::new();
    for (source, l) in &parts {
        for c in &l.feed.categories {
            if !feed.categories.iter().any(|k| k.id == c.id) {
                feed.categories.push(c.clone());
            }
        }
        for a in &l.feed.activities {
            if ids.insert(a.id.clone()) {
                feed.activities.push(a.clone());
            } else {
                left_out.push(Problem {
                    at: source.clone(),
                    record: Some(a.id.clone()),
                    message: format!(
                        "an activity with id \"{}\" came from an earlier source, so this one is left out",
                        a.id
                    ),
                    outcome: Outcome::Skipped,
                });
            }
        }
    }
    Combined {
        feed,
        parts,
        left_out,
    }
}

pub fn write_feed(path: &Path, feed: &Feed) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(feed).map_err(std::io::Error::from)?;
    write_atomic(path, (text + "\n").as_bytes())
}

pub fn write_report(
    path: &Path,
    h: &Harvested,
    c: &Combined,
    requests: usize,
) -> std::io::Result<()> {
    let all_read = h
        .reports
        .iter()
        .all(|r| matches!(r.status, Status::Complete));
    let doc = json!({
        "complete": all_read,
        "activities": c.feed.activities.len(),
        "requests": requests,
        "sources": h.reports,
        "feeds": c.parts.iter().map(|(name, l)| report::json(name, l)).collect::<Vec<_>>(),
        "left_out": c.left_out,
    });
    let text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::from)?;
    write_atomic(path, (text + "\n").as_bytes())
}

/// The most problems of one feed listed on the terminal; the report has them all.
const SHOWN: usize = 20;

/// What a person running it reads: each source, how it went, and each feed's report.
pub fn summary(h: &Harvested, c: &Combined, requests: usize) -> String {
    let mut s = String::new();
    for r in &h.reports {
        let how = match &r.status {
            Status::Complete => "read to the end".to_string(),
            Status::Stopped(why) => format!("STOPPED EARLY: {why}"),
            Status::Failed(why) => format!("FAILED: {why}"),
        };
        s += &format!("{} ({}): {how}\n", r.source, r.kind);
        for f in &r.feeds {
            s += &format!(
                "  {}{}: {} read, {} live{}\n",
                f.url,
                if f.kind.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", f.kind)
                },
                report::plural(f.pages, "page", "pages"),
                report::plural(f.live, "record", "records"),
                if f.resumed {
                    ", carried on from the last run"
                } else {
                    ""
                },
            );
        }
    }
    for (name, l) in &c.parts {
        let text = report::text(name, l);
        let lines: Vec<&str> = text.lines().collect();
        let keep = lines
            .len()
            .min(lines.len() - l.problems.len() + SHOWN.min(l.problems.len()));
        for line in &lines[..keep] {
            s += line;
            s.push('\n');
        }
        if keep < lines.len() {
            s += &format!(
                "  ... and {} more in the report (--report)\n",
                lines.len() - keep
            );
        }
    }
    for p in &c.left_out {
        s += &format!("{p}\n");
    }
    s += &format!(
        "{} written from {} ({}).\n",
        report::plural(c.feed.activities.len(), "activity", "activities"),
        report::plural(h.reports.len(), "source", "sources"),
        report::plural(requests, "request", "requests"),
    );
    s
}
