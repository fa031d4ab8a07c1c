//! Shared by the mutation and fuzz tests: walking a spec's JSON tree, and running the generator
//! on a broken spec to see that it neither panics nor reports anything without a place.

use apigen::{Config, Diagnostics, SpecInput};
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The path (tokens) of every node of `value`, the root first.
pub fn node_paths(value: &Value) -> Vec<Vec<String>> {
    fn walk(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(at.clone());
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    at.push(key.clone());
                    walk(child, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(i.to_string());
                    walk(child, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

/// The node at `path`.
pub fn node<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

/// The node at `path`, to change.
pub fn node_mut<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Generates `bytes` as the spec `name`: `Err` with a message on a panic or on a diagnostic
/// without its file and a line or pointer; else the warnings (`Ok`) or errors (`Err`).
pub fn generate_located(
    name: &str,
    bytes: Vec<u8>,
) -> Result<Result<Diagnostics, Diagnostics>, String> {
    let spec = SpecInput::new(name, bytes);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        apigen::generate(&Config::new("broken"), &spec)
    }))
    .map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        format!("PANIC: {message}")
    })?;
    let outcome = outcome.map(|files| files.warnings().clone());
    let diagnostics = match &outcome {
        Ok(d) | Err(d) => d,
    };
    for d in diagnostics {
        let located = d.file.as_deref() == Some(name) && (d.line.is_some() || d.pointer.is_some());
        if !located {
            return Err(format!("unlocated diagnostic: {d}"));
        }
    }
    Ok(outcome)
}
