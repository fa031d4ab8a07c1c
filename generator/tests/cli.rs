//! The `apigen` command: its three modes and its exit codes (0 ok, 1 spec or drift problem,
//! 2 usage).

// Panicking is how a test reports failure.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

const SPEC: &str = "\
openapi: 3.0.3
info: {title: Tiny, version: 1.2.3}
servers: [{url: 'https://tiny.example.test'}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: A thing.
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string}
";

fn apigen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run apigen")
}

fn text(output: &Output) -> String {
    format!(
        "status {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A project directory with `apigen.toml`, a spec and an example.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    std::fs::write(dir.path().join("spec/tiny.yaml"), SPEC).unwrap();
    std::fs::write(dir.path().join("spec/demo.rs"), "fn main() {}\n").unwrap();
    std::fs::write(
        dir.path().join("apigen.toml"),
        "regenerate = \"apigen\"\n\n[[client]]\nspec = \"spec/tiny.yaml\"\nout = \"client\"\n\
         crate_name = \"tiny-api\"\nexamples = [\"spec/demo.rs\"]\n",
    )
    .unwrap();
    dir
}

#[test]
fn regenerate_then_check_then_drift() {
    let dir = project();
    let first = apigen(dir.path(), &[]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(dir.path().join("client/src/models.rs").exists());
    assert!(dir.path().join("client/examples/demo.rs").exists());
    let manifest = std::fs::read_to_string(dir.path().join("client/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"tiny-api\"") && manifest.contains("version = \"1.2.3\""));

    // From a subdirectory too: apigen.toml is found above.
    let check = apigen(&dir.path().join("client/src"), &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));

    let models = dir.path().join("client/src/models.rs");
    let edited = std::fs::read_to_string(&models)
        .unwrap()
        .replace("pub name", "pub nom");
    std::fs::write(&models, edited).unwrap();
    let drift = apigen(dir.path(), &["--check"]);
    assert_eq!(drift.status.code(), Some(1), "{}", text(&drift));
    let stdout = String::from_utf8_lossy(&drift.stdout);
    assert!(
        stdout.contains("--- a/src/models.rs") && stdout.contains("-    pub nom"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&drift.stderr).contains("run `apigen`"));

    // Regenerating repairs it, rewriting only that file (the crate is read while the spec is
    // generated), and once repaired writes nothing.
    let repair = apigen(dir.path(), &[]);
    assert!(repair.status.success());
    assert!(text(&repair).contains(": 1 written, "), "{}", text(&repair));
    assert_eq!(apigen(dir.path(), &["--check"]).status.code(), Some(0));
    assert!(text(&apigen(dir.path(), &[])).contains(": 0 written, "));

    // A spec change is drift too.
    let spec = dir.path().join("spec/tiny.yaml");
    let changed = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("name: {type: string}", "label: {type: string}");
    std::fs::write(&spec, changed).unwrap();
    assert_eq!(apigen(dir.path(), &["--check"]).status.code(), Some(1));
}

#[test]
fn generate_writes_any_spec_and_a_broken_spec_leaves_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiny.yaml"), SPEC).unwrap();
    let ok = apigen(
        dir.path(),
        &["generate", "tiny.yaml", "--out", "out/tiny-client"],
    );
    assert!(ok.status.success(), "{}", text(&ok));
    let manifest = std::fs::read_to_string(dir.path().join("out/tiny-client/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"tiny-client\""),
        "the crate is named after the directory"
    );
    assert!(
        manifest.contains("# Regenerate with: apigen generate tiny.yaml --out out/tiny-client")
    );
    let check = apigen(
        dir.path(),
        &[
            "generate",
            "tiny.yaml",
            "--out",
            "out/tiny-client",
            "--check",
        ],
    );
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));

    let before = std::fs::read_to_string(dir.path().join("out/tiny-client/src/models.rs")).unwrap();
    std::fs::write(
        dir.path().join("tiny.yaml"),
        SPEC.replace(
            "schema: {type: string}}",
            "schema: {$ref: '#/components/schemas/Missing'}}",
        ),
    )
    .unwrap();
    let broken = apigen(
        dir.path(),
        &["generate", "tiny.yaml", "--out", "out/tiny-client"],
    );
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("tiny.yaml")
            && stderr.contains("#/paths/~1things~1{id}/get/parameters/0/schema"),
        "{stderr}"
    );
    assert!(stderr.contains("operation `getThing`"), "{stderr}");
    // The spec's own line is quoted, with the place marked under it.
    assert!(
        stderr.contains("9 |         - {name: id, in: path, required: true, schema: {$ref: "),
        "{stderr}"
    );
    let after = std::fs::read_to_string(dir.path().join("out/tiny-client/src/models.rs")).unwrap();
    assert_eq!(
        before, after,
        "a failed run leaves existing output untouched"
    );
}

#[test]
fn usage_problems_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = apigen(dir.path(), &[]);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no apigen.toml"));
    assert_eq!(
        apigen(dir.path(), &["--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(apigen(dir.path(), &["generate"]).status.code(), Some(2));
    std::fs::write(dir.path().join("apigen.toml"), "[[client]]\nspec = 1\n").unwrap();
    let bad = apigen(dir.path(), &[]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("apigen.toml:2"),
        "{}",
        text(&bad)
    );
}

#[test]
fn a_missing_spec_file_is_a_spec_problem() {
    let dir = tempfile::tempdir().unwrap();
    let output = apigen(dir.path(), &["generate", "nope.yaml", "--out", "x"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nope.yaml"));
    assert!(!dir.path().join("x").exists());
}

#[test]
fn project_warnings_quote_the_spec_line_and_can_be_denied() {
    let dir = project();
    let spec = dir.path().join("spec/tiny.yaml");
    let with_warning = SPEC.replace(
        "name: {type: string}",
        "name: {type: string, pattern: '/^[a-z]+$/'}",
    );
    std::fs::write(&spec, with_warning).unwrap();
    let warned = apigen(dir.path(), &[]);
    assert!(warned.status.success(), "{}", text(&warned));
    let stderr = String::from_utf8_lossy(&warned.stderr);
    assert!(
        stderr.contains("warning[javascript-pattern]")
            && stderr.contains("spec/tiny.yaml:18:40")
            && stderr
                .contains("18 |                   name: {type: string, pattern: '/^[a-z]+$/'}"),
        "{stderr}"
    );

    let denied = apigen(dir.path(), &["--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1), "{}", text(&denied));
    let stderr = String::from_utf8_lossy(&denied.stderr);
    assert!(
        stderr.contains("error[javascript-pattern]") && stderr.contains("18 |"),
        "{stderr}"
    );
    assert!(stderr.contains("not generated"), "{stderr}");
}
