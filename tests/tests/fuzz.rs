//! Property-based fuzzing of the loader and the generator: our specs (the fixtures and
//! `spec/`), mutated at random in their text and in their structure, never make apigen panic,
//! and whatever it reports is located.
//!
//! The number of cases is bounded (`APIGEN_FUZZ_CASES`, default 2000 per property) so that the
//! suite stays quick; raise it to fuzz longer. Failing inputs proptest finds are kept in
//! `tests/tests/fuzz.proptest-regressions` and replayed first; inputs that once made apigen
//! panic are also committed under `tests/fixtures/fuzz/` and checked by
//! `fuzz_regressions_stay_fixed`.

use apigen_tests::robust::{generate_located, node_mut, node_paths};
use apigen_tests::{fixture_names, workspace_root};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};
use serde_json::Value;

fn seeds() -> Vec<(String, String)> {
    let mut seeds: Vec<(String, String)> = fixture_names()
        .into_iter()
        .map(|name| {
            let path = format!("tests/fixtures/{name}.yaml");
            let text = std::fs::read_to_string(workspace_root().join(&path)).unwrap();
            (path, text)
        })
        .collect();
    let spec = "spec/circle-checkout.yaml";
    seeds.push((
        spec.to_owned(),
        std::fs::read_to_string(workspace_root().join(spec)).unwrap(),
    ));
    seeds
}

/// `Err` on a panic or a diagnostic without a place.
fn check(name: &str, bytes: Vec<u8>) -> Result<(), String> {
    generate_located(name, bytes).map(|_| ())
}

fn cases() -> u32 {
    std::env::var("APIGEN_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

/// A text edit: (position as a fraction of the length, length, replacement).
#[derive(Clone, Debug)]
enum TextEdit {
    Insert(f64, String),
    Delete(f64, usize),
    DuplicateLine(f64),
    Truncate(f64),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    let noise = prop_oneof![
        "[:\\-{}\\[\\]'\"\\t\\n#&*!|>%@`, ]{1,4}",
        Just("\n  - ".to_owned()),
        Just("$ref: '#/nowhere'".to_owned()),
        Just("\u{feff}".to_owned()),
        any::<String>(),
    ];
    prop_oneof![
        (0.0..1.0f64, noise).prop_map(|(at, s)| TextEdit::Insert(at, s)),
        (0.0..1.0f64, 1..40usize).prop_map(|(at, n)| TextEdit::Delete(at, n)),
        (0.0..1.0f64).prop_map(TextEdit::DuplicateLine),
        (0.0..1.0f64).prop_map(TextEdit::Truncate),
    ]
}

fn boundary(text: &str, at: f64) -> usize {
    let mut i = ((text.len() as f64) * at) as usize;
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

fn apply_text(mut text: String, edit: &TextEdit) -> String {
    match edit {
        TextEdit::Insert(at, s) => {
            let i = boundary(&text, *at);
            text.insert_str(i, s);
        }
        TextEdit::Delete(at, n) => {
            let i = boundary(&text, *at);
            let j = boundary(&text, (i + n) as f64 / text.len().max(1) as f64);
            text.replace_range(i..j.max(i), "");
        }
        TextEdit::DuplicateLine(at) => {
            let lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = ((lines.len() as f64) * at) as usize % lines.len();
                let mut out: Vec<&str> = lines.clone();
                out.insert(i, lines[i]);
                text = out.join("\n");
            }
        }
        TextEdit::Truncate(at) => {
            let i = boundary(&text, *at);
            text.truncate(i);
        }
    }
    text
}

/// Values a spec may hold where it should not.
fn odd_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        Just(serde_json::json!(18446744073709552000.0_f64)),
        Just(serde_json::json!(-1)),
        Just(serde_json::json!(0.5)),
        prop_oneof![
            Just("".to_owned()),
            Just("../../etc/passwd".to_owned()),
            Just("type".to_owned()),
            Just("Self".to_owned()),
            Just("#/components/schemas/Missing".to_owned()),
            Just("integer".to_owned()),
            Just("object".to_owned()),
            Just("{id}".to_owned()),
            Just("date-time".to_owned()),
            "[a-zA-Z0-9_ ./{}#-]{0,12}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("type".to_owned()),
                    Just("$ref".to_owned()),
                    Just("properties".to_owned()),
                    Just("items".to_owned()),
                    Just("required".to_owned()),
                    Just("enum".to_owned()),
                    Just("oneOf".to_owned()),
                    Just("allOf".to_owned()),
                    Just("nullable".to_owned()),
                    Just("format".to_owned()),
                    "[a-z]{1,6}",
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A structural edit: at the node picked by `at` (a fraction over all nodes), set a value,
/// delete the node, or rename its key.
#[derive(Clone, Debug)]
enum TreeEdit {
    Set(f64, Value),
    Delete(f64),
    Rename(f64, String),
}

fn tree_edit() -> impl Strategy<Value = TreeEdit> {
    prop_oneof![
        (0.0..1.0f64, odd_value()).prop_map(|(at, v)| TreeEdit::Set(at, v)),
        (0.0..1.0f64).prop_map(TreeEdit::Delete),
        (0.0..1.0f64, "[a-zA-Z$#/{}.-]{0,8}").prop_map(|(at, k)| TreeEdit::Rename(at, k)),
    ]
}

fn apply_tree(root: &mut Value, edit: &TreeEdit) {
    let all = node_paths(root);
    let pick = |at: f64| all[((all.len() as f64) * at) as usize % all.len()].clone();
    let (path, at) = match edit {
        TreeEdit::Set(at, _) | TreeEdit::Delete(at) | TreeEdit::Rename(at, _) => (pick(*at), at),
    };
    let _ = at;
    let Some((last, parent_path)) = path.split_last() else {
        if let TreeEdit::Set(_, value) = edit {
            *root = value.clone();
        }
        return;
    };
    let Some(parent) = node_mut(root, parent_path) else {
        return;
    };
    match (parent, edit) {
        (Value::Object(map), TreeEdit::Set(_, value)) => {
            map.insert(last.clone(), value.clone());
        }
        (Value::Object(map), TreeEdit::Delete(_)) => {
            map.remove(last);
        }
        (Value::Object(map), TreeEdit::Rename(_, key)) => {
            if let Some(value) = map.remove(last) {
                map.insert(key.clone(), value);
            }
        }
        (Value::Array(items), TreeEdit::Set(_, value)) => {
            if let Some(item) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *item = value.clone();
            }
        }
        (Value::Array(items), TreeEdit::Delete(_)) => {
            if let Some(i) = last.parse::<usize>().ok().filter(|&i| i < items.len()) {
                items.remove(i);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn text_mutations_never_panic(
        seed in 0..64usize,
        edits in prop::collection::vec(text_edit(), 1..4),
    ) {
        let seeds = seeds();
        let (name, text) = &seeds[seed % seeds.len()];
        let text = edits.iter().fold(text.clone(), apply_text);
        prop_assert_eq!(check(name, text.into_bytes()), Ok(()));
    }

    #[test]
    fn structural_mutations_never_panic(
        seed in 0..64usize,
        edits in prop::collection::vec(tree_edit(), 1..5),
    ) {
        let seeds = seeds();
        let (name, text) = &seeds[seed % seeds.len()];
        let mut tree = apigen::load::read_tree(name, text.as_bytes()).unwrap();
        for edit in &edits {
            apply_tree(&mut tree, edit);
        }
        let text = serde_json::to_string_pretty(&tree).unwrap();
        prop_assert_eq!(check(name, text.into_bytes()), Ok(()));
    }
}

#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = workspace_root().join("tests/fixtures/fuzz");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = format!(
            "tests/fixtures/fuzz/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        if name.ends_with(".md") {
            continue;
        }
        assert_eq!(
            check(&name, std::fs::read(&path).unwrap()),
            Ok(()),
            "{name}"
        );
        checked += 1;
    }
    assert!(checked > 0, "no regression inputs in {}", dir.display());
}
