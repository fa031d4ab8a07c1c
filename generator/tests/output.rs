//! Writing a crate is all or nothing, keeps what apigen does not own, and never leaves the
//! output directory.

// Panicking is how a test reports failure.
#![allow(clippy::unwrap_used)]

use apigen::{Config, GeneratedFiles, SpecInput};
use std::collections::BTreeMap;
use std::path::Path;

fn spec(title: &str, property: &str) -> SpecInput {
    SpecInput::new(
        "s.yaml",
        format!(
            "openapi: 3.0.3\ninfo: {{title: '{title}', version: 1.0.0}}\npaths:\n  /a:\n    get:\n      operationId: '{property}'\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  '{property}': {{type: string}}\n"
        ),
    )
}

fn generate(title: &str, property: &str) -> GeneratedFiles {
    apigen::generate(&Config::new("out-test"), &spec(title, property)).unwrap()
}

/// Every file under `dir` with its bytes (directories as `None`), and its modification time.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(dir).unwrap().display().to_string();
            if path.is_dir() {
                out.insert(relative, None);
                stack.push(path);
            } else {
                out.insert(relative, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

fn siblings(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_late_failure_leaves_the_old_crate_exactly_as_it_was() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("client");
    generate("One", "first").write_to(&dir).unwrap();
    // Things apigen does not own, which a rewrite must carry over.
    std::fs::create_dir_all(dir.join("target/debug")).unwrap();
    std::fs::write(dir.join("target/debug/big"), "build output").unwrap();
    std::fs::write(dir.join("NOTES.md"), "mine").unwrap();
    // A hand-made directory where the new run needs a file: discovered only when the new
    // crate is already swapped in and the old one's contents are being carried over.
    std::fs::remove_file(dir.join("src/models.rs")).unwrap();
    std::fs::create_dir_all(dir.join("src/models.rs")).unwrap();
    std::fs::write(dir.join("src/models.rs/keep.txt"), "mine too").unwrap();
    let before = tree(&dir);

    let error = generate("Two", "second").write_to(&dir).unwrap_err();
    assert!(error.to_string().contains("left as it was"), "{error}");
    assert_eq!(tree(&dir), before, "the old crate is untouched");
    assert_eq!(
        siblings(parent.path()),
        ["client"],
        "no temporary directories left"
    );
}

#[test]
fn a_rewrite_keeps_unowned_files_and_unchanged_timestamps_and_removes_stale_files() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("client");
    let first = generate("One", "first");
    first.write_to(&dir).unwrap();
    std::fs::create_dir_all(dir.join("target")).unwrap();
    std::fs::write(dir.join("target/x"), "build").unwrap();
    std::fs::write(dir.join("src/extra.rs"), "// mine\n").unwrap();
    let stale = format!("// {} from an older spec\n", apigen::MARKER);
    std::fs::write(dir.join("src/old.rs"), &stale).unwrap();
    let client_time = std::fs::metadata(dir.join("src/client.rs"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));

    let second = generate("One", "second");
    let report = second.write_to(&dir).unwrap();
    assert!(
        report.written.contains(&"src/models.rs".to_owned()),
        "{report:?}"
    );
    // The stale file, and the pages of types the new spec no longer has.
    assert!(
        report.removed.contains(&"src/old.rs".to_owned()),
        "{report:?}"
    );
    for removed in &report.removed {
        assert!(
            removed == "src/old.rs"
                || (removed.starts_with("docs/")
                    && first.files().contains_key(removed)
                    && !second.files().contains_key(removed)),
            "{removed}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("target/x")).unwrap(),
        "build"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("src/extra.rs")).unwrap(),
        "// mine\n"
    );
    assert!(!dir.join("src/old.rs").exists());
    for (path, content) in second.files() {
        assert_eq!(&std::fs::read_to_string(dir.join(path)).unwrap(), content);
    }
    if report.unchanged.contains(&"src/client.rs".to_owned()) {
        let after = std::fs::metadata(dir.join("src/client.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(after, client_time, "an unchanged file keeps its timestamp");
    }
    assert_eq!(siblings(parent.path()), ["client"]);

    // Nothing to do: nothing touched.
    let again = second.write_to(&dir).unwrap();
    assert!(again.written.is_empty() && again.removed.is_empty());
}

#[test]
fn names_from_the_spec_never_become_paths() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("client");
    for (title, property) in [
        ("../../escape", "../../../etc/passwd"),
        ("/abs/path", "/root/.ssh/id"),
        ("con:nul\\x", "a\\b:c"),
    ] {
        let generated = generate(title, property);
        for path in generated.files().keys() {
            let page = path
                .strip_prefix("docs/")
                .and_then(|p| p.strip_suffix(".md"));
            if let Some(page) = page {
                assert!(
                    !page.is_empty() && page.chars().all(|c| c.is_ascii_alphanumeric()),
                    "{path}"
                );
                continue;
            }
            assert!(
                [
                    "Cargo.toml",
                    "rustfmt.toml",
                    "src/lib.rs",
                    "src/client.rs",
                    "src/models.rs",
                    "src/operations.rs",
                    "src/runtime.rs"
                ]
                .contains(&path.as_str()),
                "{path}"
            );
        }
        generated.write_to(&dir).unwrap();
    }
    assert_eq!(siblings(parent.path()), ["client"]);
}
