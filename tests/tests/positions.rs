//! Lines and columns of diagnostics in JSON specs: the streaming JSON walk places every key and
//! every scalar list item where the YAML event walk (which reads JSON as YAML's flow style)
//! places it, on the real JSON specs of the shared folder.

use apigen::Pointer;
use apigen::positions::{self, Events};
use serde_json::Value;
use std::collections::BTreeSet;

/// Pointers of every object entry and every scalar list item below `value`. List items that
/// are objects or lists are left out: the YAML walk places them at their first scalar, the JSON
/// walk at their opening bracket, the item's own first character. Pointers are written as
/// diagnostics write them (`Pointer`'s `Display`).
fn pointers(value: &Value, at: &Pointer, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let pointer = at.join(key);
                out.insert(pointer.to_string());
                pointers(value, &pointer, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let pointer = at.join(index.to_string());
                if !(item.is_object() || item.is_array()) {
                    out.insert(pointer.to_string());
                }
                pointers(item, &pointer, out);
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
        pointers(&value, &Pointer::root(), &mut wanted);
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
