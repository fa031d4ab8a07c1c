//! Helpers shared by the test suites of apigen and of the clients it generates.
//!
//! The real-world specs are read in place from the shared folder beside the checkout: the
//! directory named by `APIGEN_SHARED_DIR`, by default `../shared` relative to the workspace root.

use apigen::{Config, GeneratedFiles, SpecInput};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The environment variable naming the shared folder.
pub const SHARED_DIR_VAR: &str = "APIGEN_SHARED_DIR";

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the test crate sits in the workspace")
        .to_path_buf()
}

/// The shared folder: `$APIGEN_SHARED_DIR`, or `../shared` beside the workspace.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os(SHARED_DIR_VAR) {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("..").join("shared"),
    }
}

/// A spec from `tests/fixtures/`, named as a user would name it (for headers and messages).
pub fn fixture(name: &str) -> SpecInput {
    let relative = format!("tests/fixtures/{name}.yaml");
    let bytes = std::fs::read(workspace_root().join(&relative))
        .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"));
    SpecInput::new(relative, bytes)
}

/// The crate name a fixture is generated under.
pub fn fixture_crate_name(name: &str) -> String {
    format!("fixture-{}", name.replace('_', "-"))
}

/// Generates a fixture's crate in memory, panicking with the diagnostics on failure.
pub fn generate_fixture(name: &str) -> GeneratedFiles {
    let config = Config::new(fixture_crate_name(name))
        .idempotency_key("idempotencyKey")
        .regenerate_command("cargo test -p apigen-tests");
    apigen::generate(&config, &fixture(name))
        .unwrap_or_else(|diagnostics| panic!("{name} does not generate:\n{diagnostics}"))
}

/// Names of all fixtures, sorted.
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(workspace_root().join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let stem = path.file_stem()?.to_string_lossy().into_owned();
            (path.extension()? == "yaml").then_some(stem)
        })
        .collect();
    names.sort();
    names
}

/// Writes crates into one scratch workspace under `target/apigen-tests/<name>` (with the
/// workspace's lock file, so versions match what the committed client is tested with) and
/// returns its root. `extra` adds files to crates: (crate directory, path, content).
pub fn scratch_workspace(
    name: &str,
    crates: &[(String, GeneratedFiles)],
    extra: &[(String, String, String)],
) -> Result<PathBuf, String> {
    let root = workspace_root()
        .join("target")
        .join("apigen-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).map_err(|e| e.to_string())?;
    let mut members = Vec::new();
    for (dir, files) in crates {
        files
            .write_to(&root.join(dir))
            .map_err(|e| format!("cannot write {dir}: {e}"))?;
        members.push(format!("{dir:?}"));
    }
    for (dir, path, content) in extra {
        let target = root.join(dir).join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(target, content).map_err(|e| e.to_string())?;
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| e.to_string())?;
    let _ = std::fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock"));
    Ok(root)
}

/// Runs cargo in `root`, with one target directory shared by all scratch workspaces so that
/// dependencies build once. Returns stdout and stderr, or them in an error on failure.
pub fn cargo_in(root: &Path, args: &[&str]) -> Result<String, String> {
    cargo_in_env(root, args, &[])
}

/// [`cargo_in`] with extra environment variables.
pub fn cargo_in_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<String, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root)
        .env(
            "CARGO_TARGET_DIR",
            workspace_root()
                .join("target")
                .join("apigen-tests")
                .join("target"),
        )
        // Dozens of big generated crates: without debug info and incremental caches they
        // build faster and take a fraction of the disk.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_PROFILE_TEST_DEBUG", "0")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(format!(
            "`cargo {}` failed in {}:\n{text}",
            args.join(" "),
            root.display()
        ))
    }
}

/// `cargo clippy --all-targets -- -D warnings` over crates in one scratch workspace.
pub fn clippy_clean(
    workspace_name: &str,
    crates: &[(String, GeneratedFiles)],
) -> Result<(), String> {
    let root = scratch_workspace(workspace_name, crates, &[])?;
    cargo_in(
        &root,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
    )
    .map(|_| ())?;
    docs_clean(&root, &[])
}

/// The crates' rustdoc builds with no warning (`RUSTDOCFLAGS=-D warnings cargo doc --no-deps`)
/// and their doc examples compile (`cargo test --doc`). `packages` narrows both to some crates
/// of the workspace (all when empty).
pub fn docs_clean(root: &Path, packages: &[&str]) -> Result<(), String> {
    let mut selection: Vec<&str> = Vec::new();
    if packages.is_empty() {
        selection.push("--workspace");
    }
    for package in packages {
        selection.extend(["-p", package]);
    }
    let mut doc = vec!["doc", "--no-deps", "--quiet"];
    doc.extend(&selection);
    cargo_in_env(root, &doc, &[("RUSTDOCFLAGS", "-D warnings")])?;
    let mut test = vec!["test", "--doc", "--quiet"];
    test.extend(&selection);
    cargo_in(root, &test).map(|_| ())
}

pub mod corpus;
pub mod prism;
pub mod robust;
