//! Examples for the docs: each named type gets its schema's `example`, or, for an object
//! without one, an object made of the examples its properties give.

use crate::ir::{Api, TypeKind};
use crate::load::follow_refs;
use serde_json::Value;

pub(super) fn attach(api: &mut Api, raw: &Value) {
    for def in api.types.values_mut() {
        let Some(schema) = follow_refs(raw, def.origin.lookup(raw)) else {
            continue;
        };
        def.example = schema.get("example").cloned().or_else(|| match &def.kind {
            TypeKind::Struct(s) => {
                let properties = schema.get("properties")?;
                let object: serde_json::Map<String, Value> = s
                    .fields
                    .iter()
                    .filter_map(|f| {
                        let property = follow_refs(raw, properties.get(&f.wire))?;
                        Some((f.wire.clone(), property.get("example")?.clone()))
                    })
                    .collect();
                (!object.is_empty()).then_some(Value::Object(object))
            }
            _ => None,
        });
    }
}
