//! genfeed: write a large, realistic activity-map v1 feed for load tests.
//!
//! Usage: genfeed [--count N] [--seed S] [--out FILE]
//! The same count and seed always give the same bytes (see `feed::generate`).

use activity_map::feed::generate;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: genfeed [--count N] [--seed S] [--out FILE]\n\
  --count  number of activities (default 1000)\n\
  --seed   seed for the generator (default 1)\n\
  --out    write to FILE instead of standard output";

struct Args {
    count: usize,
    seed: u64,
    out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        count: 1000,
        seed: 1,
        out: None,
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
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn run(args: &Args) -> std::io::Result<()> {
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
