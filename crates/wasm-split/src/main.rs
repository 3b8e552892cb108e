//! Splits the app's linked wasm (built with `--emit-relocs`) at its `wasm_split` points:
//! the main module, to go through wasm-bindgen, and one wasm file per lazily loaded part,
//! with the small loader script that fetches them (`__wasm_split.js`).
//!
//!   wasm-split-step INPUT.wasm OUT_DIR MAIN_OUT.wasm MAIN_JS
//!
//! MAIN_JS is the wasm-bindgen glue's file name as the loader imports it (beside it in
//! OUT_DIR). Trunk cannot split (it runs wasm-bindgen straight after cargo), so
//! tests/tools/split-wasm.mjs runs this after Trunk's build and redoes the steps after it.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, main_out, main_js] = args.as_slice() else {
        eprintln!("usage: wasm-split-step INPUT.wasm OUT_DIR MAIN_OUT.wasm MAIN_JS");
        return ExitCode::from(2);
    };
    let wasm = match std::fs::read(input) {
        Ok(wasm) => wasm,
        Err(e) => {
            eprintln!("wasm-split-step: cannot read {input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let main_module = format!("./{main_js}");
    let mut opts = wasm_split_cli_support::Options::new(&wasm);
    opts.output_dir = Path::new(out_dir);
    opts.main_out_path = Path::new(main_out);
    opts.main_module = &main_module;
    match wasm_split_cli_support::transform(opts) {
        Ok(split) => {
            for path in &split.split_modules {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasm-split-step: {e:?}");
            ExitCode::FAILURE
        }
    }
}
