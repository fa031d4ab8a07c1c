//! The committed `generated-client/` is exactly what the generator makes from `spec/` now, and
//! the check notices every kind of difference.

use apigen::{Drift, FileDrift, GeneratedFiles, MARKER, OnDisk, Project, SpecInput};
use apigen_tests::workspace_root;
use std::path::Path;

fn project() -> Project {
    Project::load(&workspace_root().join("apigen.toml")).expect("apigen.toml loads")
}

/// What apigen.toml's first client generates from `spec_text`.
fn generate_with(spec_text: Option<&str>) -> GeneratedFiles {
    let project = project();
    let entry = &project.clients[0];
    let config = project.config_for(entry).unwrap();
    let text = match spec_text {
        Some(text) => text.to_owned(),
        None => std::fs::read_to_string(project.root.join(&entry.spec)).unwrap(),
    };
    apigen::generate(&config, &SpecInput::new(entry.spec.clone(), text)).unwrap()
}

/// Each differing file as `changed <path>`, or as its `Debug` (without the diff).
fn kinds(drift: &Drift) -> Vec<String> {
    drift
        .files
        .iter()
        .map(|f| match f {
            FileDrift::Changed { path, .. } => format!("changed {path}"),
            other => format!("{other:?}"),
        })
        .collect()
}

fn committed_dir() -> std::path::PathBuf {
    let project = project();
    project.root.join(&project.clients[0].out)
}

/// A copy of the committed crate's files in a scratch directory.
fn copy_of_committed() -> tempfile::TempDir {
    let scratch = tempfile::tempdir().unwrap();
    for path in generate_with(None).files().keys() {
        let to = scratch.path().join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(committed_dir().join(path), to).unwrap();
    }
    scratch
}

#[test]
fn committed_clients_match_their_specs() {
    let project = project();
    assert!(!project.clients.is_empty());
    for entry in &project.clients {
        let config = project.config_for(entry).unwrap();
        let spec = SpecInput::read(&project.root.join(&entry.spec)).unwrap();
        let spec = SpecInput::new(entry.spec.clone(), spec.bytes);
        let files = apigen::generate(&config, &spec).unwrap();
        let drift = files.check_against(&project.root.join(&entry.out)).unwrap();
        assert!(
            drift.is_clean(),
            "{} is not what {} generates; run `cargo run -p apigen`:\n{drift}",
            entry.out,
            entry.spec
        );
    }
}

#[test]
fn a_hand_edit_is_reported_with_a_diff() {
    let scratch = copy_of_committed();
    let models = scratch.path().join("src/models.rs");
    let edited = std::fs::read_to_string(&models)
        .unwrap()
        .replace("pub amount: String", "pub amount: f64");
    std::fs::write(&models, edited).unwrap();

    let drift = generate_with(None).check_against(scratch.path()).unwrap();
    assert_eq!(drift.files.len(), 1, "{drift}");
    let FileDrift::Changed { path, diff } = &drift.files[0] else {
        panic!("expected a changed file: {drift}")
    };
    assert_eq!(path, "src/models.rs");
    assert!(diff.contains("--- a/src/models.rs") && diff.contains("+++ b/src/models.rs"));
    assert!(
        diff.contains("-    pub amount: f64,") && diff.contains("+    pub amount: String,"),
        "{diff}"
    );
}

#[test]
fn added_removed_and_stale_files_are_reported() {
    let scratch = copy_of_committed();
    std::fs::remove_file(scratch.path().join("src/client.rs")).unwrap();
    std::fs::write(scratch.path().join("src/extra.rs"), "// written by hand\n").unwrap();
    std::fs::write(
        scratch.path().join("src/old.rs"),
        format!("// {MARKER} 0.0.1 from spec/x.yaml. Do not edit by hand.\n"),
    )
    .unwrap();
    // Build output and lock files are not part of the crate.
    std::fs::create_dir_all(scratch.path().join("target/debug")).unwrap();
    std::fs::write(scratch.path().join("target/debug/junk"), "x").unwrap();

    let drift = generate_with(None).check_against(scratch.path()).unwrap();
    assert_eq!(
        drift.files,
        vec![
            FileDrift::Missing {
                path: "src/client.rs".into()
            },
            FileDrift::Unexpected {
                path: "src/extra.rs".into()
            },
            FileDrift::Stale {
                path: "src/old.rs".into()
            },
        ]
    );
}

#[test]
fn a_spec_change_is_reported() {
    let spec = std::fs::read_to_string(workspace_root().join("spec/circle-checkout.yaml")).unwrap();
    let changed = spec.replacen(
        "            - BTC\n",
        "            - BTC\n            - EUR\n",
        1,
    );
    assert_ne!(spec, changed, "the edit applies");
    let drift = generate_with(Some(&changed))
        .check_against(&committed_dir())
        .unwrap();
    let diffs: String = drift
        .files
        .iter()
        .filter_map(|f| match f {
            FileDrift::Changed { diff, .. } => Some(diff.as_str()),
            _ => None,
        })
        .collect();
    assert!(diffs.contains("+    Eur,"), "{drift}");
}

#[test]
fn even_a_whitespace_change_to_the_spec_is_reported() {
    let spec = std::fs::read_to_string(workspace_root().join("spec/circle-checkout.yaml")).unwrap();
    let drift = generate_with(Some(&format!("{spec}\n")))
        .check_against(&committed_dir())
        .unwrap();
    let changed: Vec<_> = drift
        .files
        .iter()
        .map(|f| match f {
            FileDrift::Changed { path, diff } => (path.as_str(), diff.contains("spec-sha256")),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(changed, [("Cargo.toml", true)], "{drift}");
}

#[test]
fn output_is_deterministic() {
    assert_eq!(generate_with(None), generate_with(None));
}

#[test]
fn writing_replaces_stale_generated_files_and_keeps_others() {
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("client");
    let files = generate_with(None);
    let first = files.write_to(&out).unwrap();
    assert_eq!(first.written.len(), files.files().len());

    let stale = out.join("src/old_module.rs");
    std::fs::write(
        &stale,
        format!("// {MARKER} 0.0.1 from x. Do not edit by hand.\nfn x() {{}}\n"),
    )
    .unwrap();
    let own = out.join("NOTES.md");
    std::fs::write(&own, "mine\n").unwrap();
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let lib_before = mtime(&out.join("src/lib.rs"));

    let second = files.write_to(&out).unwrap();
    assert!(second.written.is_empty(), "{second:?}");
    assert_eq!(second.removed, ["src/old_module.rs"]);
    assert!(!stale.exists());
    assert!(
        own.exists(),
        "files apigen did not generate are never removed"
    );
    assert_eq!(
        mtime(&out.join("src/lib.rs")),
        lib_before,
        "unchanged files are not rewritten"
    );
}

#[test]
fn a_rewrite_reports_each_file_once_in_path_order() {
    // Edits at both ends and in the middle come out in path order, with every other file
    // unchanged.
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("client");
    let files = generate_with(None);
    files.write_to(&out).unwrap();
    let paths: Vec<&String> = files.files().keys().collect();
    let edited = [0, paths.len() / 2 - 1, paths.len() / 2, paths.len() - 1];
    for i in edited {
        std::fs::write(out.join(paths[i]), "edited\n").unwrap();
    }
    std::fs::remove_file(out.join(paths[1])).unwrap();

    let report = files.write_to(&out).unwrap();
    let mut expected: Vec<&String> = edited.iter().map(|i| paths[*i]).collect();
    expected.insert(1, paths[1]);
    assert_eq!(report.written.iter().collect::<Vec<_>>(), expected);
    let unchanged: Vec<&String> = paths
        .iter()
        .copied()
        .filter(|path| !expected.contains(path))
        .collect();
    assert_eq!(report.unchanged.iter().collect::<Vec<_>>(), unchanged);
    assert!(report.removed.is_empty(), "{report:?}");
    assert!(files.check_against(&out).unwrap().is_clean());
}

#[test]
fn a_directory_read_before_generating_is_written_over_as_it_was_read() {
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("client");
    let files = generate_with(None);
    files.write_to(&out).unwrap();
    std::fs::write(out.join("src/lib.rs"), "edited\n").unwrap();
    std::fs::write(
        out.join("src/old_module.rs"),
        format!("// {MARKER} 0.0.1 from x. Do not edit by hand.\n"),
    )
    .unwrap();
    std::fs::write(out.join("NOTES.md"), "mine\n").unwrap();

    let before = OnDisk::read(&out).unwrap();
    assert_eq!(before.dir(), out);
    // Compared as read, the directory differs as it does when read at the time.
    assert_eq!(
        files.compare_with(&before).unwrap(),
        files.check_against(&out).unwrap()
    );
    assert_eq!(
        kinds(&files.compare_with(&before).unwrap()),
        [
            "Unexpected { path: \"NOTES.md\" }",
            "changed src/lib.rs",
            "Stale { path: \"src/old_module.rs\" }",
        ]
    );

    // A file edited after the read is taken as it was read: unchanged, so left as it is now.
    std::fs::write(out.join("src/client.rs"), "edited later\n").unwrap();
    let report = files.write_over(&before).unwrap();
    assert_eq!(report.written, ["src/lib.rs"]);
    assert_eq!(report.removed, ["src/old_module.rs"]);
    assert_eq!(report.unchanged.len(), files.files().len() - 1);
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        files.get("src/lib.rs").unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/client.rs")).unwrap(),
        "edited later\n"
    );
    assert!(out.join("NOTES.md").exists());
    assert!(!out.join("src/old_module.rs").exists());
}

#[test]
fn a_directory_that_is_not_there_reads_as_empty() {
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("client");
    let files = generate_with(None);
    let before = OnDisk::read(&out).unwrap();
    let drift = files.compare_with(&before).unwrap();
    assert_eq!(drift.files.len(), files.files().len());
    assert!(
        drift
            .files
            .iter()
            .all(|f| matches!(f, FileDrift::Missing { .. }))
    );
    let report = files.write_over(&before).unwrap();
    assert_eq!(report.written.len(), files.files().len());
    assert!(files.check_against(&out).unwrap().is_clean());
}

#[test]
fn an_edited_docs_page_is_drift_too() {
    let scratch = copy_of_committed();
    let page = scratch.path().join("docs/CheckoutSession.md");
    let edited = std::fs::read_to_string(&page)
        .unwrap()
        .replace("| `client_token` |", "| `token` |");
    std::fs::write(&page, edited).unwrap();
    std::fs::remove_file(scratch.path().join("docs/NotFound.md")).unwrap();

    let drift = generate_with(None).check_against(scratch.path()).unwrap();
    let paths = kinds(&drift);
    assert_eq!(paths.len(), 2, "{drift}");
    assert!(
        paths.contains(&"changed docs/CheckoutSession.md".to_owned()),
        "{drift}"
    );
    assert!(
        paths.iter().any(|p| p.contains("docs/NotFound.md")),
        "{drift}"
    );
}

#[test]
fn every_generated_file_starts_with_the_do_not_edit_header() {
    for (path, content) in generate_with(None).files() {
        let first = content.lines().next().unwrap_or_default();
        assert!(first.contains(MARKER), "{path} starts with {first:?}");
        // Markdown pages carry the whole header in one comment on the first line.
        let header: Vec<&str> = content.lines().take(2).collect();
        assert!(
            header
                .iter()
                .any(|l| l.contains("Regenerate with: cargo run -p apigen")),
            "{path}: {header:?}"
        );
    }
}

#[test]
fn manifests_inherit_nothing_from_a_workspace() {
    // Every dependency is stated in full: no `workspace = true`, no path dependencies.
    // (`standalone_build.rs` builds the crates outside this workspace.)
    let manifest = generate_with(None).get("Cargo.toml").unwrap().to_owned();
    assert!(!manifest.contains("workspace"), "{manifest}");
    assert!(!manifest.contains("path ="), "{manifest}");
    assert!(manifest.contains("rustls-tls") && manifest.contains("default-features = false"));
}
