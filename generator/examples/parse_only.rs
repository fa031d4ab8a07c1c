//! The floor for generation time: only parse a spec into `openapiv3::OpenAPI` (YAML with
//! `serde_yaml`, JSON with `serde_json`), nothing else. `bench/compare.sh` times it beside
//! `apigen generate` on the same file.
//!
//! ```sh
//! cargo run --release -p apigen --example parse_only -- spec.yaml
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_only SPEC");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let parsed: Result<openapiv3::OpenAPI, String> = if path.ends_with(".json") {
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_slice(&bytes).map_err(|e| e.to_string())
    };
    match parsed {
        Ok(api) => {
            println!("{} paths", api.paths.paths.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            ExitCode::FAILURE
        }
    }
}
