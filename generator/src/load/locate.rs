//! Finds where typed parsing fails, part by part.

use super::path_to_pointer;
use crate::diagnostics::Pointer;
use openapiv3::{
    Example, Header, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

type Found = Option<(Pointer, String)>;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The innermost part of the document that does not parse, with the error.
pub(super) fn first_error(raw: &Value) -> Found {
    let root = Pointer::root();
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths.iter().filter(|(k, _)| super::is_path(k)) {
            let at = root.join("paths").join(path);
            if let Some(found) = path_item(item, &at) {
                return Some(found);
            }
        }
    }
    let components = raw.get("components").and_then(Value::as_object)?;
    for (section, entries) in components {
        let Some(entries) = entries.as_object() else {
            continue;
        };
        for (name, entry) in entries {
            let at = root.join("components").join(section).join(name);
            let found = match section.as_str() {
                "schemas" => schema(entry, &at, 0),
                "responses" => response(entry, &at),
                "parameters" => parameter(entry, &at),
                "requestBodies" => check::<ReferenceOr<RequestBody>>(entry, &at),
                "headers" => check::<ReferenceOr<Header>>(entry, &at),
                "securitySchemes" => check::<ReferenceOr<SecurityScheme>>(entry, &at),
                "examples" => check::<ReferenceOr<Example>>(entry, &at),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

fn check<T: DeserializeOwned>(value: &Value, at: &Pointer) -> Found {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| (path_to_pointer(at.clone(), e.path()), e.inner().to_string()))
}

/// The innermost part of one path item that does not parse, with the error.
pub(super) fn path_item(item: &Value, at: &Pointer) -> Found {
    if let Some(map) = item.as_object() {
        for (i, p) in map
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(found) = parameter(p, &at.join("parameters").join(i.to_string())) {
                return Some(found);
            }
        }
        for method in METHODS {
            if let Some(op) = map.get(*method) {
                if let Some(found) = operation(op, &at.join(method)) {
                    return Some(found);
                }
            }
        }
    }
    check::<ReferenceOr<PathItem>>(item, at)
}

fn operation(op: &Value, at: &Pointer) -> Found {
    if let Some(map) = op.as_object() {
        for (i, p) in map
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(found) = parameter(p, &at.join("parameters").join(i.to_string())) {
                return Some(found);
            }
        }
        if let Some(body) = map.get("requestBody") {
            if let Some(found) = check::<ReferenceOr<RequestBody>>(body, &at.join("requestBody")) {
                return Some(found);
            }
        }
        for (code, r) in map
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(found) = response(r, &at.join("responses").join(code)) {
                return Some(found);
            }
        }
    }
    check::<Operation>(op, at)
}

fn parameter(p: &Value, at: &Pointer) -> Found {
    if let Some(s) = p.get("schema") {
        if let Some(found) = schema(s, &at.join("schema"), 0) {
            return Some(found);
        }
    }
    check::<ReferenceOr<Parameter>>(p, at)
}

fn response(r: &Value, at: &Pointer) -> Found {
    for (media, m) in r
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(s) = m.get("schema") {
            if let Some(found) = schema(s, &at.join("content").join(media).join("schema"), 0) {
                return Some(found);
            }
        }
    }
    check::<ReferenceOr<Response>>(r, at)
}

fn schema(s: &Value, at: &Pointer, depth: usize) -> Found {
    if depth < 64 {
        if let Some(map) = s.as_object() {
            let singles = ["items", "additionalProperties", "not"];
            for key in singles {
                if let Some(inner) = map.get(key).filter(|v| v.is_object()) {
                    if let Some(found) = schema(inner, &at.join(key), depth + 1) {
                        return Some(found);
                    }
                }
            }
            for (name, inner) in map
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(found) = schema(inner, &at.join("properties").join(name), depth + 1) {
                    return Some(found);
                }
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                for (i, inner) in map
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    if let Some(found) = schema(inner, &at.join(key).join(i.to_string()), depth + 1)
                    {
                        return Some(found);
                    }
                }
            }
        }
    }
    check::<ReferenceOr<Schema>>(s, at)
}
