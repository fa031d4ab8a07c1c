//! Snapshots of what the generator produces, reviewed like code: a changed snapshot is a
//! changed output.
//!
//! - For `spec/`, the lowered IR outline: which types exist, their Rust names and fields, and what
//!   each operation takes and returns. (The emitted code for `spec/` is the committed
//!   `generated-client/`, pinned by the drift test; snapshotting it again would only duplicate it.)
//! - For each fixture in `tests/fixtures/` (one per construct), the emitted `models.rs` and
//!   `operations.rs`, plus `client.rs` where servers and auth are the point.

use apigen::SpecInput;
use apigen_tests::{generate_fixture, workspace_root};

fn snapshot_fixture(name: &str, files: &[&str]) {
    let generated = generate_fixture(name);
    for file in files {
        let content = generated
            .get(file)
            .unwrap_or_else(|| panic!("{name} has no {file}"));
        let snapshot = format!(
            "{name}__{}",
            file.trim_start_matches("src/").replace(".rs", "")
        );
        insta::assert_snapshot!(snapshot, content);
    }
}

#[test]
fn circle_checkout_ir_outline() {
    let path = workspace_root().join("spec/circle-checkout.yaml");
    let spec = SpecInput::new("spec/circle-checkout.yaml", std::fs::read(path).unwrap());
    let (api, warnings) = apigen::lower_spec(&spec).unwrap();
    assert!(
        warnings.is_empty(),
        "our own spec lowers without warnings:\n{warnings}"
    );
    insta::assert_snapshot!("circle_checkout_outline", api.outline());
}

#[test]
fn object_fixture() {
    snapshot_fixture("object", &["src/models.rs", "src/operations.rs"]);
}

#[test]
fn enum_fixture() {
    snapshot_fixture("enum", &["src/models.rs", "src/operations.rs"]);
}

#[test]
fn array_fixture() {
    snapshot_fixture("array", &["src/models.rs", "src/operations.rs"]);
}

#[test]
fn optional_required_fixture() {
    snapshot_fixture("optional_required", &["src/models.rs"]);
}

#[test]
fn params_fixture() {
    snapshot_fixture(
        "params",
        &["src/models.rs", "src/operations.rs", "src/client.rs"],
    );
}

#[test]
fn errors_fixture() {
    snapshot_fixture("errors", &["src/models.rs", "src/operations.rs"]);
}

#[test]
fn auth_fixture() {
    snapshot_fixture("auth", &["src/client.rs", "src/operations.rs"]);
}

#[test]
fn one_of_fixture() {
    snapshot_fixture("one_of", &["src/models.rs"]);
}

#[test]
fn constraints_fixture() {
    snapshot_fixture("constraints", &["src/models.rs", "src/operations.rs"]);
}

#[test]
fn read_write_fixture() {
    snapshot_fixture("read_write", &["src/models.rs", "src/operations.rs"]);
}

#[test]
fn deprecated_default_fixture() {
    snapshot_fixture(
        "deprecated_default",
        &["src/models.rs", "src/operations.rs"],
    );
}

#[test]
fn every_fixture_has_a_snapshot_test() {
    // A new fixture without a test above would go unreviewed.
    let source: String = include_str!("snapshots.rs").split_whitespace().collect();
    for name in apigen_tests::fixture_names() {
        assert!(
            source.contains(&format!("snapshot_fixture(\"{name}\"")),
            "fixture {name} has no snapshot test"
        );
    }
}

#[test]
fn formats_names_fixture() {
    snapshot_fixture("formats_names", &["src/models.rs", "src/operations.rs"]);
}

#[test]
fn degradations_fixture() {
    snapshot_fixture("degradations", &["src/models.rs"]);
    let generated = generate_fixture("degradations");
    let warnings: Vec<String> = generated
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    insta::assert_snapshot!("degradations__warnings", warnings.join("\n"));
}

#[test]
fn markup_fixture() {
    // Descriptions full of Markdown and HTML, made safe for rustdoc (the Markdown pages are
    // pinned in the docs test).
    snapshot_fixture("markup", &["src/models.rs", "src/operations.rs"]);
}
