//! A mock publisher on 127.0.0.1: answers each path (with its query) from a table the
//! test sets, serves one-off replies first (a 429, a 500), and logs every request.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn ok(body: impl Into<String>) -> Reply {
        Reply {
            status: 200,
            headers: Vec::new(),
            body: body.into(),
        }
    }
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.into(), v.into()));
        self
    }
}

#[derive(Default)]
struct Table {
    routes: HashMap<String, Reply>,
    once: HashMap<String, VecDeque<Reply>>,
    log: Vec<String>,
    user_agents: Vec<String>,
}

/// Answer one connection (each on its own thread, so a hanging reply blocks no other).
fn answer(mut stream: std::net::TcpStream, t: &Mutex<Table>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut ua = String::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("user-agent:") {
            ua = v.trim().to_string();
        }
    }
    let reply = {
        let mut t = t.lock().unwrap();
        t.log.push(path.clone());
        t.user_agents.push(ua);
        let once = t.once.get_mut(&path).and_then(VecDeque::pop_front);
        once.or_else(|| t.routes.get(&path).cloned())
            .unwrap_or_else(|| Reply::status(404))
    };
    if reply.status == HANG {
        std::thread::sleep(std::time::Duration::from_secs(60));
        return;
    }
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head += &format!("{k}: {v}\r\n");
    }
    head += "\r\n";
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(reply.body.as_bytes());
}

/// A status that makes the mock never answer (a server that hangs).
pub const HANG: u16 = 0;

#[derive(Clone)]
pub struct Mock {
    pub base: String,
    table: Arc<Mutex<Table>>,
}

impl Mock {
    pub fn start() -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let table = Arc::new(Mutex::new(Table::default()));
        let t = table.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let t = t.clone();
                std::thread::spawn(move || answer(stream, &t));
            }
        });
        Mock { base, table }
    }

    /// The absolute URL of a path on this mock.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Answer `path` (with its query) with `reply` from now on.
    pub fn route(&self, path: &str, reply: Reply) {
        self.table.lock().unwrap().routes.insert(path.into(), reply);
    }

    /// Answer the next request for `path` with `reply`, before its usual answer.
    pub fn once(&self, path: &str, reply: Reply) {
        let mut t = self.table.lock().unwrap();
        t.once.entry(path.into()).or_default().push_back(reply);
    }

    /// The paths asked for so far, and forget them.
    pub fn take_log(&self) -> Vec<String> {
        std::mem::take(&mut self.table.lock().unwrap().log)
    }

    /// How many requests have been made so far.
    pub fn requests(&self) -> usize {
        self.table.lock().unwrap().log.len()
    }

    pub fn user_agents(&self) -> Vec<String> {
        self.table.lock().unwrap().user_agents.clone()
    }
}

/// The test manners: no delay, no backoff, two retries, state saved after each page.
pub const TEST_MANNERS: [&str; 8] = [
    "--delay",
    "0",
    "--backoff",
    "0",
    "--retries",
    "2",
    "--checkpoint",
    "0",
];

/// Run the harvester with test manners (no delay, no backoff) and `args`.
pub fn harvest(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_harvest"))
        .args(TEST_MANNERS)
        .args(args)
        .output()
        .expect("harvest runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A temporary folder for one test.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("am-harvest-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// An RPDE page: `next` and items.
pub fn page(next: &str, items: &[String]) -> String {
    format!(r#"{{"next": "{next}", "items": [{}]}}"#, items.join(","))
}

/// An updated SessionSeries item with a place.
pub fn series(id: &str, modified: i64, name: &str, at: &str) -> String {
    format!(
        r#"{{"state": "updated", "kind": "SessionSeries", "id": "{id}", "modified": {modified},
        "data": {{"@type": "SessionSeries", "@id": "{at}/series/{id}", "name": "{name}",
        "location": {{"name": "Hall", "geo": {{"latitude": 52.63, "longitude": 1.29}}}}}}}}"#
    )
}

/// A deleted item.
pub fn deleted(id: &str, kind: &str, modified: i64) -> String {
    format!(r#"{{"state": "deleted", "kind": "{kind}", "id": "{id}", "modified": {modified}}}"#)
}

pub fn read_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The names of the activities in a written feed, in order.
pub fn names(feed: &serde_json::Value) -> Vec<String> {
    feed["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect()
}
