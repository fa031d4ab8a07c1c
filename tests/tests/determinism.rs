//! Output is byte-identical across runs, processes (each with its own `HashMap` seeds) and
//! thread counts, for every spec in the shared folder — including the diagnostics of those that
//! do not generate.

use apigen::Config;
use apigen_tests::corpus::{all_shared_specs, shared_spec};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::process::Command;

/// Set in the child processes this test starts.
const CHILD: &str = "APIGEN_DETERMINISM_CHILD";

/// One digest per spec: of every generated file and every diagnostic, in order.
fn digests(threads: usize) -> BTreeMap<String, String> {
    let specs = all_shared_specs();
    let chunks: Vec<_> = specs.chunks(specs.len().div_ceil(threads)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(name, path)| (name.clone(), digest(name, path)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("no panic"))
            .collect()
    })
}

fn digest(name: &str, path: &std::path::Path) -> String {
    let mut hasher = Sha256::new();
    match apigen::generate(&Config::new("determinism"), &shared_spec(name, path)) {
        Ok(generated) => {
            for (file, content) in generated.files() {
                hasher.update(file.as_bytes());
                hasher.update([0]);
                hasher.update(content.as_bytes());
            }
            hasher.update(generated.warnings().to_string());
        }
        Err(diagnostics) => hasher.update(format!("failed\n{diagnostics}")),
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn every_shared_spec_generates_the_same_bytes_every_time() {
    if let Some(threads) = std::env::var_os(CHILD) {
        let threads: usize = threads.to_string_lossy().parse().unwrap_or(1);
        for (name, digest) in digests(threads) {
            println!("DIGEST {name} {digest}");
        }
        return;
    }
    let here = digests(1);
    assert!(here.len() > 240, "{} specs", here.len());
    // Two more processes, with their own hash seeds, on 2 and 3 threads.
    for threads in ["2", "3"] {
        let output = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "every_shared_spec_generates_the_same_bytes_every_time",
                "--nocapture",
            ])
            .env(CHILD, threads)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let there: BTreeMap<String, String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("DIGEST "))
            .filter_map(|l| l.split_once(' '))
            .map(|(n, d)| (n.to_owned(), d.to_owned()))
            .collect();
        let differing: Vec<_> = here
            .iter()
            .filter(|(name, digest)| there.get(*name) != Some(digest))
            .map(|(name, _)| name)
            .collect();
        assert!(
            differing.is_empty(),
            "different output on {threads} threads in another process: {differing:?}"
        );
    }
    println!("{} specs generated identically in 3 processes", here.len());
}
