//! Examples for the docs: each named type gets its schema's `example`, or, for an object
//! without one, an object made of the examples its properties give.

use crate::diagnostics::Pointer;
use crate::ir::{Api, TypeKind};
use serde_json::Value;

/// Properties followed through `$ref`s at most this many times (a ref to a ref to ...).
const MAX_REFS: usize = 8;

pub(super) fn attach(api: &mut Api, raw: &Value) {
    for def in api.types.values_mut() {
        let Some(schema) = resolve(raw, def.origin.lookup(raw)) else {
            continue;
        };
        def.example = schema.get("example").cloned().or_else(|| match &def.kind {
            TypeKind::Struct(s) => {
                let properties = schema.get("properties")?;
                let object: serde_json::Map<String, Value> = s
                    .fields
                    .iter()
                    .filter_map(|f| {
                        let property = resolve(raw, properties.get(&f.wire))?;
                        Some((f.wire.clone(), property.get("example")?.clone()))
                    })
                    .collect();
                (!object.is_empty()).then_some(Value::Object(object))
            }
            _ => None,
        });
    }
}

/// The schema a node is, following `$ref`s.
fn resolve<'v>(raw: &'v Value, mut node: Option<&'v Value>) -> Option<&'v Value> {
    for _ in 0..MAX_REFS {
        let current = node?;
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => node = Pointer::parse_ref(reference)?.lookup(raw),
            None => return Some(current),
        }
    }
    None
}
