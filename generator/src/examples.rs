//! The spec's examples, each with the Rust type the generated crate has for its position, so
//! tests can check that every example decodes into that type and encodes back to the same JSON.

use crate::diagnostics::Pointer;
use crate::ir::{Api, SchemaSite, TypeRef};
use serde_json::Value;

/// One example and where it belongs.
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleCheck {
    /// Where the example is, e.g. `#/components/schemas/Money/example`.
    pub pointer: String,
    /// The Rust type of its position, as written inside the generated crate (`models::Money`,
    /// `Vec<models::Money>`, `Option<uuid::Uuid>`...).
    pub rust_type: String,
    /// The example.
    pub value: Value,
}

/// Every `example` and `examples` value of schemas, request bodies and responses.
pub(crate) fn collect(api: &Api, raw: &Value) -> Vec<ExampleCheck> {
    let mut out = Vec::new();
    walk(api, raw, raw, &Pointer::root(), &mut out);
    out
}

fn walk(api: &Api, root: &Value, node: &Value, at: &Pointer, out: &mut Vec<ExampleCheck>) {
    match node {
        Value::Object(map) => {
            // A schema that was lowered, with its own example.
            if let (Some(site), Some(example)) = (api.schema_sites.get(at), map.get("example")) {
                out.push(check(api, site, at.join("example"), example));
            }
            // A media type: its examples belong to its schema.
            let is_media = at.tokens().nth_back(1).is_some_and(|t| t == "content");
            if is_media {
                if let Some(site) = api.schema_sites.get(&at.join("schema")) {
                    if let Some(example) = map.get("example") {
                        out.push(check(api, site, at.join("example"), example));
                    }
                    for (name, example) in map
                        .get("examples")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                    {
                        let example = crate::load::follow_refs(root, Some(example));
                        if let Some(value) = example.and_then(|e| e.get("value")) {
                            out.push(check(
                                api,
                                site,
                                at.join("examples").join(name).join("value"),
                                value,
                            ));
                        }
                    }
                }
            }
            for (key, value) in map {
                // Example values are data, not spec: nothing inside them is a schema.
                if key == "example" || key == "examples" {
                    continue;
                }
                walk(api, root, value, &at.join(key), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(api, root, item, &at.join(i.to_string()), out);
            }
        }
        _ => {}
    }
}

fn check(api: &Api, site: &SchemaSite, pointer: Pointer, value: &Value) -> ExampleCheck {
    let ty = type_text(api, &site.ty);
    let rust_type = if site.nullable {
        format!("Option<{ty}>")
    } else {
        ty
    };
    ExampleCheck {
        pointer: pointer.to_string(),
        rust_type,
        value: value.clone(),
    }
}

/// The Rust type as written inside the generated crate.
pub(crate) fn type_text(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(p) => p.rust_path().to_owned(),
        TypeRef::Named(id) => format!(
            "models::{}",
            api.types.get(id).map_or("Unknown", |d| d.name.as_str())
        ),
        TypeRef::Array(item) => format!("Vec<{}>", type_text(api, item)),
        TypeRef::Map(value) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_text(api, value)
        ),
    }
}
