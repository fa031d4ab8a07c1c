//! Loading: spec text → raw JSON tree → typed [`openapiv3::OpenAPI`].
//!
//! The raw tree is kept beside the typed document: `$ref`s may point anywhere in it, and the
//! version checks must look at it before `openapiv3` rejects a Swagger 2.0 file with a vague error.

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use openapiv3::OpenAPI;
use serde_json::Value;

/// A parsed spec.
#[derive(Debug)]
pub struct Document {
    /// The file name used in diagnostics and headers.
    pub file: String,
    /// The document as plain JSON, for resolving `$ref`s to arbitrary pointers.
    pub raw: Value,
    /// The typed document.
    pub api: OpenAPI,
}

/// A spec to generate from: its name (for diagnostics) and its text.
#[derive(Clone, Debug)]
pub struct SpecInput {
    /// How diagnostics and generated headers name the spec, e.g. `spec/circle-checkout.yaml`.
    pub name: String,
    /// The raw bytes of the file.
    pub bytes: Vec<u8>,
}

impl SpecInput {
    /// A spec held in memory.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        SpecInput {
            name: name.into(),
            bytes: bytes.into(),
        }
    }

    /// Reads a spec file; `name` is the path as given.
    pub fn read(path: &std::path::Path) -> Result<Self, Diagnostics> {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => Ok(SpecInput { name, bytes }),
            Err(e) => Err(Diagnostic::error(format!("cannot read the spec: {e}"))
                .in_file(&name)
                .into()),
        }
    }
}

/// Parses a spec into a [`Document`].
pub fn parse(input: &SpecInput) -> Result<Document, Diagnostics> {
    let file = input.name.as_str();
    let located = |d: Diagnostic| -> Diagnostics { d.in_file(file).into() };

    let text = std::str::from_utf8(&input.bytes).map_err(|e| {
        let (line, column) = line_col_of_offset(&input.bytes, e.valid_up_to());
        located(
            Diagnostic::error("the spec is not valid UTF-8")
                .at_line(line, column)
                .with_hint("save the file as UTF-8"),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(located(Diagnostic::error("the spec file is empty")));
    }

    let raw = if looks_like_json(file, text) {
        serde_json::from_str::<Value>(text).map_err(|e| {
            located(Diagnostic::error(format!("invalid JSON: {e}")).at_line(e.line(), e.column()))
        })?
    } else {
        let mut yaml = serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| {
            let mut d = Diagnostic::error(format!("invalid YAML: {e}"));
            if let Some(location) = e.location() {
                d = d.at_line(location.line(), location.column());
            }
            located(d)
        })?;
        yaml.apply_merge().map_err(|e| {
            located(Diagnostic::error(format!(
                "invalid YAML merge key (`<<`): {e}"
            )))
        })?;
        yaml_to_json(yaml, &Pointer::root()).map_err(|d| d.in_file(file))?
    };

    check_version(&raw).map_err(|d| d.in_file(file))?;

    let api = serde_path_to_error::deserialize::<_, OpenAPI>(&raw).map_err(|e| {
        // `openapiv3` flattens extensions into most objects, which hides the path of an error
        // below them; parsing the parts one by one finds the innermost one that fails.
        let (pointer, message) = locate::first_error(&raw).unwrap_or_else(|| {
            (
                path_to_pointer(Pointer::root(), e.path()),
                e.inner().to_string(),
            )
        });
        located(
            Diagnostic::error(format!("not a valid OpenAPI 3.0 document: {message}")).at(&pointer),
        )
    })?;

    Ok(Document {
        file: file.to_owned(),
        raw,
        api,
    })
}

fn looks_like_json(file: &str, text: &str) -> bool {
    file.ends_with(".json") || text.trim_start().starts_with('{')
}

/// Refuses documents that are not OpenAPI 3.0 before typed parsing, which would only say
/// "missing field `paths`" or similar.
fn check_version(raw: &Value) -> Result<(), Diagnostics> {
    let Value::Object(map) = raw else {
        return Err(Diagnostic::error(format!(
            "the spec is {}, not an object with an `openapi` field",
            kind_of(raw)
        ))
        .into());
    };
    if let Some(swagger) = map.get("swagger") {
        return Err(Diagnostic::error(format!(
            "this is a Swagger {} document; apigen reads OpenAPI 3.0",
            scalar_text(swagger)
        ))
        .at(&Pointer::root().join("swagger"))
        .with_hint(
            "convert it first, e.g. `npx swagger2openapi spec.yaml -o spec-v3.yaml` \
             or with https://converter.swagger.io",
        )
        .into());
    }
    let Some(version) = map.get("openapi") else {
        return Err(Diagnostic::error("the spec has no `openapi` version field")
            .at(&Pointer::root())
            .with_hint("start the document with `openapi: 3.0.3`")
            .into());
    };
    let version = scalar_text(version);
    if !version.starts_with("3.0") {
        return Err(Diagnostic::error(format!(
            "OpenAPI {version} is not supported; apigen reads OpenAPI 3.0.x"
        ))
        .at(&Pointer::root().join("openapi"))
        .into());
    }
    Ok(())
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// YAML → JSON. YAML allows keys that are numbers (`200:` for a status code) or booleans; JSON
/// and OpenAPI mean them as strings.
fn yaml_to_json(value: serde_yaml::Value, at: &Pointer) -> Result<Value, Diagnostics> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        Diagnostic::error(format!("the number {n} cannot be represented in JSON"))
                            .at(at)
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &at.join(i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut out = serde_json::Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => {
                        return Err(Diagnostic::error(format!(
                            "a mapping key must be a scalar, found {other:?}"
                        ))
                        .at(at)
                        .into());
                    }
                };
                let child = at.join(&key);
                out.insert(key, yaml_to_json(value, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

fn path_to_pointer(base: Pointer, path: &serde_path_to_error::Path) -> Pointer {
    use serde_path_to_error::Segment;
    let mut pointer = base;
    for segment in path {
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index.to_string()),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => pointer,
        };
    }
    pointer
}

/// Finds where typed parsing fails, part by part.
mod locate {
    use super::path_to_pointer;
    use crate::diagnostics::Pointer;
    use openapiv3::{
        Header, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
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
            for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
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

    fn path_item(item: &Value, at: &Pointer) -> Found {
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
                if let Some(found) =
                    check::<ReferenceOr<RequestBody>>(body, &at.join("requestBody"))
                {
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
                    if let Some(found) = schema(inner, &at.join("properties").join(name), depth + 1)
                    {
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
                        if let Some(found) =
                            schema(inner, &at.join(key).join(i.to_string()), depth + 1)
                        {
                            return Some(found);
                        }
                    }
                }
            }
        }
        check::<ReferenceOr<Schema>>(s, at)
    }
}

/// 1-based line and column of a byte offset.
fn line_col_of_offset(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Document, Diagnostics> {
        parse(&SpecInput::new("t.yaml", text))
    }

    fn first_error(text: &str) -> Diagnostic {
        parse_str(text).unwrap_err().into_iter().next().unwrap()
    }

    const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    #[test]
    fn parses_yaml_with_integer_status_keys() {
        let text = format!(
            "{MINIMAL}  /a:\n    get:\n      responses:\n        200:\n          description: ok\n"
        )
        .replace("paths: {}\n", "paths:\n");
        let doc = parse_str(&text).unwrap();
        assert!(doc.raw["paths"]["/a"]["get"]["responses"]["200"].is_object());
    }

    #[test]
    fn swagger_two_is_named_with_a_hint() {
        let d = first_error("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert!(d.message.contains("Swagger 2.0"), "{d}");
        assert!(d.hint.unwrap().contains("swagger2openapi"));
    }

    #[test]
    fn empty_and_non_object_and_versionless_specs_are_errors() {
        assert!(first_error("  \n").message.contains("empty"));
        assert!(first_error("- a\n- b\n").message.contains("a list"));
        assert!(first_error("info: {}\n").message.contains("no `openapi`"));
        assert!(
            first_error("openapi: 4.0.0\n")
                .message
                .contains("not supported")
        );
    }

    #[test]
    fn yaml_syntax_errors_have_a_line() {
        let d = first_error("openapi: 3.0.3\ninfo:\n  title: 'unterminated\n");
        assert_eq!(d.file.as_deref(), Some("t.yaml"));
        assert!(d.line.is_some(), "{d}");
    }

    #[test]
    fn typed_errors_have_a_pointer() {
        let d = first_error("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: 5\n");
        assert_eq!(d.pointer.as_deref(), Some("#/paths/~1a"), "{d}");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let d = parse(&SpecInput::new(
            "t.yaml",
            b"openapi: 3.0.3\ninfo: \xff\n".to_vec(),
        ))
        .unwrap_err()
        .into_iter()
        .next()
        .unwrap();
        assert_eq!((d.line, d.column), (Some(2), Some(7)));
    }
}
