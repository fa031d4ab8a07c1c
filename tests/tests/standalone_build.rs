//! Generated crates build on their own, outside this workspace, with zero warnings under
//! `cargo clippy --all-targets -- -D warnings`: the client for `spec/` and every fixture's.

use apigen::{Project, SpecInput};
use apigen_tests::{clippy_clean, fixture_names, generate_fixture, workspace_root};

#[test]
fn generated_crates_are_clippy_clean_on_their_own() {
    let project = Project::load(&workspace_root().join("apigen.toml")).unwrap();
    let entry = &project.clients[0];
    let spec = SpecInput::read(&project.root.join(&entry.spec)).unwrap();
    let circle = apigen::generate(&project.config_for(entry).unwrap(), &spec).unwrap();

    let mut crates = vec![("circle-api".to_owned(), circle)];
    for name in fixture_names() {
        crates.push((name.replace('_', "-"), generate_fixture(&name)));
    }
    assert!(crates.len() >= 8, "crates: {}", crates.len());
    if let Err(output) = clippy_clean("standalone", &crates) {
        panic!("{output}");
    }
}
