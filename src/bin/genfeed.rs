//! genfeed: write a large, realistic activity-map v1 feed for load tests.
//!
//! Usage: genfeed [--count N] [--seed S] [--out FILE | --pack DIR [--leaf-max N]]
//! The same count and seed always give the same bytes (see `feed::generate`).

use activity_map::feed::generate;
use activity_map::model::{Feed, FORMAT_V1};
use activity_map::pack;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

const USAGE: &str =
    "usage: genfeed [--count N] [--seed S] [--out FILE | --pack DIR [--leaf-max N]]\n\
  --count  number of activities (default 1000)\n\
  --seed   seed for the generator (default 1)\n\
  --out    write to FILE instead of standard output\n\
  --pack   write a tiled feed (docs/pack-format.md) into DIR instead: what feedcheck --pack\n\
           makes of the same feed, without writing it out and reading it back\n\
  --leaf-max  with --pack: cut a map tile in four while it holds more than N (default 500)";

struct Args {
    count: usize,
    seed: u64,
    out: Option<String>,
    pack: Option<String>,
    leaf_max: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        count: 1000,
        seed: 1,
        out: None,
        pack: None,
        leaf_max: pack::DEFAULT_LEAF_MAX,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--count" => {
                let v = value("--count")?;
                args.count = v
                    .parse()
                    .map_err(|_| format!("--count {v} is not a number"))?;
            }
            "--seed" => {
                let v = value("--seed")?;
                args.seed = v
                    .parse()
                    .map_err(|_| format!("--seed {v} is not a number"))?;
            }
            "--out" => args.out = Some(value("--out")?),
            "--pack" => args.pack = Some(value("--pack")?),
            "--leaf-max" => {
                let v = value("--leaf-max")?;
                args.leaf_max = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(format!("--leaf-max {v} is not a number above 0"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.pack.is_some() && args.out.is_some() {
        return Err("give --out or --pack, not both".into());
    }
    Ok(args)
}

fn run(args: &Args) -> std::io::Result<()> {
    if let Some(dir) = &args.pack {
        let feed = Feed {
            format: FORMAT_V1.into(),
            feed: generate::meta(args.count, args.seed),
            categories: Vec::new(),
            activities: generate::activities(args.count, args.seed),
        };
        let w = pack::build(&feed, args.leaf_max).write_dir(std::path::Path::new(dir))?;
        eprintln!(
            "genfeed: wrote a pack of {} activities to {dir}: {} files, {} bytes; pack.json {} bytes, largest tile {} bytes",
            args.count, w.files, w.bytes, w.index_bytes, w.largest_tile
        );
        return Ok(());
    }
    match &args.out {
        Some(path) => {
            let mut w = BufWriter::new(std::fs::File::create(path)?);
            generate::write_feed(&mut w, args.count, args.seed)?;
            w.flush()
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            generate::write_feed(&mut w, args.count, args.seed)?;
            w.flush()
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("genfeed: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("genfeed: {e}");
            ExitCode::FAILURE
        }
    }
}
