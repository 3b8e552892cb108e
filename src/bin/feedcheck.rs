//! feedcheck: tell a publisher whether their feed is usable, and what to fix.
//!
//! Usage: feedcheck FILE [--json] [--convert OUT.json] [--pack DIR [--leaf-max N]] [--category ID] [--rule KEYWORD=ID ...]
//! Exit status: 0 every record usable, 1 some records have problems, 2 the feed can't be read.

use activity_map::feed::{self, report, Options};
use activity_map::{pack, url_state};
use std::process::ExitCode;

const USAGE: &str = "usage: feedcheck FILE [--json] [--convert OUT.json] [--pack DIR [--leaf-max N]] [--category ID] [--rule KEYWORD=ID ...]\n\
  FILE        a feed: activity-map v1, GeoJSON, parkrun events.json, OpenActive RPDE or Open Referral UK (- for stdin)\n\
  --json      print the report as JSON\n\
  --convert   also write the usable activities in activity-map v1 format to OUT.json\n\
  --pack      also write the usable activities as a tiled feed (docs/pack-format.md) into DIR, for feeds\n\
              too large for one document; any size is read\n\
  --leaf-max  with --pack: cut a map tile in four while it holds more than N activities (default 500)\n\
  --category  put every activity in this category\n\
  --rule      before the built-in keyword rules, put records mentioning KEYWORD in category ID (repeatable;\n\
              the app's link takes the same rules: ?rules=KEYWORD=ID,KEYWORD=ID)";

struct Args {
    file: String,
    json: bool,
    convert: Option<String>,
    pack: Option<String>,
    leaf_max: usize,
    category: Option<String>,
    rules: Vec<(String, String)>,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut file, mut json, mut convert, mut category) = (None, false, None, None);
    let (mut pack, mut leaf_max) = (None, pack::DEFAULT_LEAF_MAX);
    let mut rules = Vec::new();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--convert" => convert = Some(it.next().ok_or("--convert needs a file name")?),
            "--pack" => pack = Some(it.next().ok_or("--pack needs a folder")?),
            "--leaf-max" => {
                let n = it.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0);
                leaf_max = n.ok_or("--leaf-max needs a number above 0")?;
            }
            "--category" => category = Some(it.next().ok_or("--category needs a category id")?),
            "--rule" => {
                let rule = it.next().and_then(|r| url_state::parse_rule(&r));
                rules.push(rule.ok_or("--rule needs KEYWORD=CATEGORY")?);
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ if file.is_none() => file = Some(a),
            _ => return Err("give one feed file".into()),
        }
    }
    Ok(Args {
        file: file.ok_or("give a feed file")?,
        json,
        convert,
        pack,
        leaf_max,
        category,
        rules,
    })
}

fn read(file: &str) -> std::io::Result<Vec<u8>> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(file)
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("feedcheck: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let bytes = match read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("feedcheck: cannot read {}: {e}", args.file);
            return ExitCode::from(2);
        }
    };
    let opts = Options {
        force_category: args.category.clone(),
        category_rules: args.rules.clone(),
        // A pack is for feeds too large for the app to read in one piece.
        max_bytes: if args.pack.is_some() { usize::MAX } else { 0 },
    };
    let loaded = match feed::load(&bytes, &opts) {
        Ok(l) => l,
        Err(e) => {
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({ "file": args.file, "error": e.to_string() })
                );
            } else {
                println!("{}: {e}", args.file);
            }
            return ExitCode::from(2);
        }
    };
    if let Some(out) = &args.convert {
        let written = serde_json::to_string_pretty(&loaded.feed)
            .map_err(std::io::Error::from)
            .and_then(|text| std::fs::write(out, text + "\n"));
        if let Err(e) = written {
            eprintln!("feedcheck: cannot write {out}: {e}");
            return ExitCode::from(2);
        }
    }
    if let Some(dir) = &args.pack {
        let built = pack::build(&loaded.feed, args.leaf_max);
        match built.write_dir(std::path::Path::new(dir)) {
            // On standard error, so that --json still prints one JSON document.
            Ok(w) => eprintln!(
                "feedcheck: wrote a pack of {} activities to {dir}: {} files, {} bytes; pack.json {} bytes, largest tile {} bytes",
                loaded.feed.activities.len(),
                w.files,
                w.bytes,
                w.index_bytes,
                w.largest_tile
            ),
            Err(e) => {
                eprintln!("feedcheck: cannot write the pack to {dir}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if args.json {
        println!("{}", report::json(&args.file, &loaded));
    } else {
        print!("{}", report::text(&args.file, &loaded));
    }
    if loaded.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
