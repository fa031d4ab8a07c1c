//! Lines and columns of diagnostics, on the real specs of the shared folder: in JSON specs the
//! streaming JSON walk places every key and every scalar list item where the YAML event walk
//! (which reads JSON as YAML's flow style) places it; in YAML specs, narrowing by indentation
//! places nearly all of them, each where the walk of the whole text does.

use apigen::Pointer;
use apigen::positions::{self, Events};
use serde_json::Value;
use std::collections::BTreeSet;

/// Pointers of every object entry and every list item below `value`, written as diagnostics
/// write them (`Pointer`'s `Display`). With `containers_in_lists` false, list items that are
/// objects or lists are left out: the YAML walk places them at their first scalar, the JSON walk
/// at their opening bracket, the item's own first character.
fn pointers(value: &Value, at: &Pointer, containers_in_lists: bool, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let pointer = at.join(key);
                out.insert(pointer.to_string());
                pointers(value, &pointer, containers_in_lists, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let pointer = at.join(index.to_string());
                if containers_in_lists || !(item.is_object() || item.is_array()) {
                    out.insert(pointer.to_string());
                }
                pointers(item, &pointer, containers_in_lists, out);
            }
        }
        _ => {}
    }
}

#[test]
fn json_walk_places_what_the_yaml_walk_places_in_real_specs() {
    let dir = apigen_tests::shared_dir().join("specs/public");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 5, "JSON specs found: {specs:?}");
    let mut compared = 0;
    for path in specs {
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        let value: Value = serde_json::from_str(&text).expect("JSON");
        let mut wanted = BTreeSet::new();
        pointers(&value, &Pointer::root(), false, &mut wanted);
        let by_json = positions::locate(&text, &wanted);
        let by_yaml = Events::read(&text).locate(&text, &wanted);
        assert_eq!(by_json.len(), wanted.len(), "{}", path.display());
        for (pointer, position) in &by_yaml {
            assert_eq!(
                by_json.get(pointer),
                Some(position),
                "{} {pointer}",
                path.display()
            );
        }
        assert_eq!(by_json.len(), by_yaml.len(), "{}", path.display());
        compared += wanted.len();
    }
    assert!(compared > 50_000, "only {compared} places compared");
}

#[test]
fn narrowing_by_indentation_places_what_the_whole_walk_places_in_real_specs() {
    let specs: Vec<_> = apigen_tests::corpus::all_shared_specs()
        .into_iter()
        .filter(|(name, _)| name.ends_with(".yaml") || name.ends_with(".yml"))
        .collect();
    assert!(specs.len() > 200, "YAML specs found: {}", specs.len());
    let (mut placed_in_all, mut narrowed_in_all) = (0, 0);
    for (name, path) in specs {
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        let tree = apigen::load::read_tree(&name, text.as_bytes()).expect("parses");
        let mut wanted = BTreeSet::new();
        pointers(&tree, &Pointer::root(), true, &mut wanted);
        let whole = Events::read(&text).locate(&text, &wanted);
        let narrowed = positions::locate_by_indentation(&text, &wanted);
        for (pointer, position) in &narrowed {
            assert_eq!(whole.get(pointer), Some(position), "{name} {pointer}");
        }
        assert_eq!(positions::locate(&text, &wanted), whole, "{name}");
        placed_in_all += whole.len();
        narrowed_in_all += narrowed.len();
    }
    println!(
        "narrowing placed {narrowed_in_all} of the {placed_in_all} places the whole walk does"
    );
    // Left to the whole walk here: an empty list item written `- {}`, which the walk places at
    // the next scalar after it, outside the lines narrowing reads.
    assert!(
        placed_in_all - narrowed_in_all <= 2,
        "narrowing placed {narrowed_in_all} of {placed_in_all}"
    );
}
