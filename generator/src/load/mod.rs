//! Loading: spec text → raw JSON tree → typed [`openapiv3::OpenAPI`].
//!
//! The raw tree is kept beside the typed document: `$ref`s may point anywhere in it, and the
//! version checks must look at it before `openapiv3` rejects a Swagger 2.0 file with a vague error.
//! The typed document leaves out the path items, which lowering types one at a time from the
//! tree, and the named examples, which are only checked.

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use openapiv3::{Components, Example, OpenAPI, PathItem, ReferenceOr};
use serde_json::Value;
use std::path::{Path, PathBuf};

mod bounds;
mod bundle;
mod locate;
mod split;
mod tree;

pub(crate) use tree::{Tail, TailParse};

/// A parsed spec.
#[derive(Debug)]
pub struct Document {
    /// The file name used in diagnostics and headers.
    pub file: String,
    /// The document as plain JSON, for resolving `$ref`s to arbitrary pointers.
    pub raw: Value,
    /// The typed document without its path items, the biggest part of most specs (16 of the
    /// 24 MB GitHub's spec takes typed), and without the named examples (`components/examples`),
    /// which nothing reads typed: parsing checks those, and lowering types the path items from
    /// [`Document::raw`] one at a time (see [`path_items`]).
    pub api: OpenAPI,
    /// What loading degraded (e.g. integer bounds beyond 64 bits).
    pub warnings: Diagnostics,
    /// Whether every local `$ref` was found to resolve before parts of [`Document::raw`] were
    /// dropped (see [`Document::drop_named_examples`]): refs into them dangle now.
    refs_checked: bool,
}

impl Document {
    /// Whether every local `$ref` of the document, data included, points at something; if not,
    /// lowering looks for the ones that do not, to report each.
    pub(crate) fn refs_resolve(&self) -> bool {
        self.refs_checked || every_ref_resolves(&self.raw, &self.raw)
    }

    /// Drops the named examples (`components/examples`) from [`Document::raw`]: nothing but
    /// example checks reads them, and on GitHub's spec they are 3.6 MB of a 36 MB heap peak.
    /// Kept if a `$ref` dangles, for lowering to find and report it where it is.
    pub(crate) fn drop_named_examples(&mut self) {
        if self.raw.pointer(NAMED_EXAMPLES).is_none() {
            return;
        }
        if self.refs_resolve() {
            self.refs_checked = true;
            if let Some(examples) = self.raw.pointer_mut(NAMED_EXAMPLES) {
                *examples = Value::Object(Default::default());
            }
        }
    }
}

/// Whether every local `$ref` under `node`, data included, resolves in `root`.
fn every_ref_resolves(root: &Value, node: &Value) -> bool {
    match node {
        Value::Object(map) => match map.get("$ref") {
            Some(Value::String(reference)) => {
                Pointer::parse_ref(reference).is_none_or(|target| target.lookup(root).is_some())
            }
            _ => map.values().all(|child| every_ref_resolves(root, child)),
        },
        Value::Array(items) => items.iter().all(|child| every_ref_resolves(root, child)),
        _ => true,
    }
}

/// A spec to generate from: its name (for diagnostics) and its text.
#[derive(Clone, Debug)]
pub struct SpecInput {
    /// How diagnostics and generated headers name the spec, e.g. `spec/circle-checkout.yaml`.
    pub name: String,
    /// The raw bytes of the file.
    pub bytes: Vec<u8>,
    /// The directory `$ref`s into other files are read from (`None`: such refs are errors).
    pub base_dir: Option<PathBuf>,
}

impl SpecInput {
    /// A spec held in memory.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        SpecInput {
            name: name.into(),
            bytes: bytes.into(),
            base_dir: None,
        }
    }

    /// Sets the directory that relative `$ref`s into other files are read from.
    pub fn with_base_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.base_dir = Some(dir.into());
        self
    }

    /// Reads a spec file; `name` is the path as given, and other files it refers to are read
    /// from its directory.
    pub fn read(path: &Path) -> Result<Self, Diagnostics> {
        let name = path.display().to_string();
        let base_dir = Some(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        );
        match std::fs::read(path) {
            Ok(bytes) => Ok(SpecInput {
                name,
                bytes,
                base_dir,
            }),
            Err(e) => Err(Diagnostic::error(format!("cannot read the spec: {e}"))
                .in_file(&name)
                .into()),
        }
    }
}

/// Whether [`parse`] reads `spec` in two halves side by side (a big YAML text that can be cut
/// at a top-level key), so taking both cores while it parses.
pub fn parses_in_halves(spec: &SpecInput) -> bool {
    yaml_text(&spec.name, &spec.bytes).is_some_and(|text| split::halves(text).is_some())
}

/// The text of a file read as YAML: UTF-8 without a byte order mark, not JSON. `None` for
/// anything else, which [`read_tree`] reads otherwise or refuses.
fn yaml_text<'a>(file: &str, bytes: &'a [u8]) -> Option<&'a str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    (!looks_like_json(file, text)).then_some(text)
}

/// `spec` cut in halves, if [`parses_in_halves`]: the second half as [`parse_with`] takes it,
/// and its parse, to be started on a thread meanwhile.
pub(crate) fn cut_in_halves(spec: &SpecInput) -> Option<(Tail, TailParse<'_>)> {
    Tail::cut(yaml_text(&spec.name, &spec.bytes)?, true)
}

/// Parses a spec into a [`Document`].
pub fn parse(input: &SpecInput) -> Result<Document, Diagnostics> {
    std::thread::scope(|scope| {
        let text = yaml_text(&input.name, &input.bytes);
        let tail = text.and_then(|text| Tail::start(scope, text, true));
        parse_with(input, tail)
    })
}

/// [`parse`], with the second half of a big YAML spec parsed by `tail` (see [`cut_in_halves`]).
pub(crate) fn parse_with(input: &SpecInput, tail: Option<Tail>) -> Result<Document, Diagnostics> {
    let file = input.name.as_str();
    let mut components = None;
    let parse_yaml = |text: &str| {
        let (tree, typed) = tree::parse_yaml_with(text, tail);
        components = typed;
        tree
    };
    let mut raw = read_tree_by(file, &input.bytes, parse_yaml)
        .map_err(|d| Diagnostics::from(d.in_file(file)))?;
    check_version(&raw).map_err(|d| d.in_file(file))?;
    let bundled =
        bundle::bundle(&mut raw, input.base_dir.as_deref()).map_err(|d| d.in_file(file))?;
    let mut warnings = Diagnostics::new();
    let clamped = bounds::clamp_integer_bounds(&mut raw, &mut warnings);
    // Typed as they were read: of no use if bundling or clamping changed the tree since.
    let components = components.filter(|_| !bundled && !clamped);

    let api = match typed_without_bulk(&mut raw, components) {
        Some(api) => api,
        // Tracking the path costs on every value; it is only needed to say where a failure is.
        None => match serde_path_to_error::deserialize::<_, OpenAPI>(&raw) {
            Ok(mut api) => {
                api.paths = openapiv3::Paths::default();
                if let Some(components) = &mut api.components {
                    components.examples.clear();
                }
                api
            }
            Err(e) => {
                // `openapiv3` flattens extensions into most objects, which hides the path of an
                // error below them; parsing the parts one by one finds the innermost one that
                // fails.
                let (pointer, message) = locate::first_error(&raw).unwrap_or_else(|| {
                    (
                        path_to_pointer(Pointer::root(), e.path()),
                        e.inner().to_string(),
                    )
                });
                return Err(Diagnostics::from(invalid(message, &pointer)).in_file(file));
            }
        },
    };

    Ok(Document {
        file: file.to_owned(),
        raw,
        api,
        warnings: warnings.in_file(file),
        refs_checked: false,
    })
}

/// The typed document with no path items and no named examples, if the whole document (the
/// examples too) parses.
///
/// The path items are typed one at a time when they are lowered (see [`path_items`]): holding
/// them all typed beside the tree would take more memory than anything else apigen keeps, and
/// typing each here as well, to check it, took a tenth of the time of generating from GitHub's
/// spec. The named examples (`components/examples`) are only checked: nothing reads them typed,
/// and on GitHub's spec they would take 3.5 MB.
///
/// `components`: the document's `components`, already typed as here (see [`typed_components`]).
fn typed_without_bulk(raw: &mut Value, components: Option<Components>) -> Option<OpenAPI> {
    let paths = set_aside(raw, PATHS);
    let (examples, whole) = match components {
        Some(_) => (None, set_aside(raw, COMPONENTS)),
        None => (set_aside(raw, NAMED_EXAMPLES), None),
    };
    let api = <OpenAPI as serde::Deserialize>::deserialize(&*raw)
        .ok()
        .map(|api| match components {
            Some(components) => OpenAPI {
                components: Some(components),
                ..api
            },
            None => api,
        });
    for (pointer, taken) in [
        (PATHS, paths),
        (NAMED_EXAMPLES, examples),
        (COMPONENTS, whole),
    ] {
        if let (Some(slot), Some(taken)) = (raw.pointer_mut(pointer), taken) {
            *slot = taken;
        }
    }
    api.filter(|_| {
        named_examples(raw).all(|example| {
            <ReferenceOr<Example> as serde::Deserialize>::deserialize(example).is_ok()
        })
    })
}

const PATHS: &str = "/paths";
const COMPONENTS: &str = "/components";
const NAMED_EXAMPLES: &str = "/components/examples";

/// The `components` of a part of a document (a half parsed on its own, see [`tree::Tail`]),
/// typed as [`typed_without_bulk`] types them: without the named examples. `None` if there are
/// none or they do not parse, which typing the whole then reports where it is.
fn typed_components(part: &mut Value) -> Option<Components> {
    let components = part.get_mut("components")?;
    let examples = set_aside(components, "/examples");
    let typed = <Components as serde::Deserialize>::deserialize(&*components).ok();
    if let (Some(slot), Some(taken)) = (components.get_mut("examples"), examples) {
        *slot = taken;
    }
    typed
}

/// Takes the object at `pointer` out of `raw`, leaving an empty one. Anything but an object
/// stays in place, for typing to refuse.
fn set_aside(raw: &mut Value, pointer: &str) -> Option<Value> {
    let node = raw.pointer_mut(pointer).filter(|node| node.is_object())?;
    Some(std::mem::replace(node, Value::Object(Default::default())))
}

/// The values of `components/examples`.
fn named_examples(raw: &Value) -> impl Iterator<Item = &Value> {
    raw.pointer(NAMED_EXAMPLES)
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|examples| examples.values())
}

/// Whether a key of `paths` is a path, as `openapiv3` reads them: other keys are extensions or
/// left out (lowering warns of those).
pub(crate) fn is_path(key: &str) -> bool {
    key.starts_with('/')
}

/// Each path item of a document's JSON tree (the keys `/...` of `paths`, as `openapiv3` reads
/// them), typed on its own; for one that does not parse, the error as parsing reports any other
/// part that does not (see [`invalid`]).
pub(crate) fn path_items(
    raw: &Value,
) -> impl Iterator<Item = (&str, Result<ReferenceOr<PathItem>, Box<Diagnostic>>)> {
    raw.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(path, _)| is_path(path))
        .map(|(path, item)| {
            let typed = <ReferenceOr<PathItem> as serde::Deserialize>::deserialize(item);
            let typed = typed.map_err(|e| {
                let at = Pointer::root().join("paths").join(path);
                let (pointer, message) =
                    locate::path_item(item, &at).unwrap_or((at, e.to_string()));
                Box::new(invalid(message, &pointer))
            });
            (path.as_str(), typed)
        })
}

/// The error for a part of the document that `openapiv3` cannot type.
fn invalid(message: impl std::fmt::Display, at: &Pointer) -> Diagnostic {
    Diagnostic::error(format!("not a valid OpenAPI 3.0 document: {message}")).at(at)
}

/// The bytes of a YAML or JSON file as a JSON tree, as the generator reads it (integers beyond
/// 64 bits as floats, merge keys applied, keys as strings); errors carry line and column.
pub fn read_tree(file: &str, bytes: &[u8]) -> Result<Value, Box<Diagnostic>> {
    read_tree_by(file, bytes, tree::parse_yaml)
}

/// [`read_tree`] with a big YAML text parsed in one piece on this thread rather than in two
/// halves side by side: what `read_tree` falls back to when halves do not parse alone. For tests
/// and benchmarks that compare the two.
pub fn read_tree_in_one_piece(file: &str, bytes: &[u8]) -> Result<Value, Box<Diagnostic>> {
    read_tree_by(file, bytes, tree::parse_yaml_whole)
}

fn read_tree_by(
    file: &str,
    bytes: &[u8],
    parse_yaml: impl FnOnce(&str) -> Result<Value, serde_yaml::Error>,
) -> Result<Value, Box<Diagnostic>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col_of_offset(bytes, e.valid_up_to());
        Box::new(
            Diagnostic::error("the spec is not valid UTF-8")
                .at_line(line, column)
                .with_hint("save the file as UTF-8"),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Box::new(
            Diagnostic::error("the spec file is empty").at_line(1, 1),
        ));
    }
    if looks_like_json(file, text) {
        tree::parse_json(text).map_err(|e| {
            Box::new(Diagnostic::error(format!("invalid JSON: {e}")).at_line(e.line(), e.column()))
        })
    } else {
        parse_yaml(text).map_err(|e| {
            let message = e.to_string();
            let d = if message.contains("more than one document") {
                // serde_yaml does not say where; the second document starts at a `---` line
                // that follows content.
                let line = text
                    .lines()
                    .enumerate()
                    .skip_while(|(_, l)| {
                        l.trim().is_empty() || l.starts_with('#') || l.starts_with("---")
                    })
                    .find(|(_, l)| l.starts_with("---") || l.starts_with("..."))
                    .map_or(1, |(i, _)| i + 1);
                Diagnostic::error("the file holds more than one YAML document; a spec is one")
                    .at_line(line, 1)
                    .with_hint("remove the `---` line, or split the documents into files")
            } else {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                Diagnostic::error(format!("invalid YAML: {e}")).at_line(line, column)
            };
            Box::new(d)
        })
    }
}

/// How many `$ref`s in a row [`follow_refs`] follows before giving up (a ref to a ref to ...).
const MAX_REFS: usize = 8;

/// The node `node` stands for: itself, or what its local `$ref` (and that one's...) points at.
pub(crate) fn follow_refs<'v>(root: &'v Value, mut node: Option<&'v Value>) -> Option<&'v Value> {
    for _ in 0..MAX_REFS {
        let current = node?;
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => node = Pointer::parse_ref(reference)?.lookup(root),
            None => return Some(current),
        }
    }
    None
}

/// Whether `key` of the object at `at` holds data rather than spec: example values, defaults,
/// enum values and extensions may contain a `$ref` key that refers to nothing.
pub(crate) fn is_data(at: &Pointer, key: &str) -> bool {
    if at.last().is_some_and(|parent| parent == "properties") {
        return false;
    }
    match key {
        "example" | "default" | "enum" => true,
        "value" => at.tokens().nth_back(1).is_some_and(|t| t == "examples"),
        _ => key.starts_with("x-"),
    }
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
        .at(&Pointer::root())
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

    /// A spec big enough to be parsed in halves, cut before `components`; `extra` goes into
    /// one component schema.
    fn big_spec(extra: &str) -> String {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
        for n in 0..800 {
            text.push_str(&format!(
                "  /things{n}:\n    get:\n      operationId: get{n}\n      responses:\n        \
                 '200': {{description: ok, content: {{application/json: {{schema: \
                 {{$ref: '#/components/schemas/S{n}'}}}}}}}}\n"
            ));
        }
        text.push_str("components:\n  examples:\n    e: {value: 1}\n  schemas:\n");
        for n in 0..800 {
            text.push_str(&format!(
                "    S{n}:\n      type: object\n      x-n: {n}\n      properties:\n        \
                 a: {{type: integer{extra}}}\n"
            ));
        }
        text
    }

    /// The components typed with the second half make the same document as typing the whole,
    /// and are not taken once clamping has changed them.
    #[test]
    fn components_typed_with_the_second_half_are_those_of_the_whole() {
        for extra in ["", ", maximum: 18446744073709552000"] {
            let spec = SpecInput::new("t.yaml", big_spec(extra));
            assert!(parses_in_halves(&spec));
            let typed = |doc: Document| serde_json::to_value(doc.api).unwrap();
            let in_halves = parse(&spec).unwrap();
            assert_eq!(in_halves.warnings.is_empty(), extra.is_empty());
            let whole = parse_with(&spec, None).unwrap();
            assert_eq!(in_halves.raw, whole.raw);
            assert_eq!(typed(in_halves), typed(whole));
        }
        let mut half = serde_json::json!({"components": {"schemas": {"S": {"type": "string"}}}});
        let components = typed_components(&mut half).expect("typed");
        assert!(components.schemas.contains_key("S"));
        let mut wrong = serde_json::json!({"components": {"schemas": []}});
        assert!(typed_components(&mut wrong).is_none());
    }

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
        let d =
            path_item_error("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: 5\n");
        assert_eq!(d.pointer.as_deref(), Some("#/paths/~1a"), "{d}");
    }

    #[test]
    fn path_items_are_read_one_at_a_time() {
        let doc = parse_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /b: {summary: b}\n  \
             x-ext: 1\n  not-a-path: 2\n  /a: {summary: a}\n",
        )
        .unwrap();
        assert!(
            doc.api.paths.paths.is_empty(),
            "path items are not kept typed"
        );
        let items: Vec<(&str, Option<String>)> = path_items(&doc.raw)
            .map(|(path, item)| match item {
                Ok(ReferenceOr::Item(item)) => (path, item.summary),
                other => panic!("{path}: {other:?}"),
            })
            .collect();
        // In document order, and only the `/` keys, as `openapiv3` reads them.
        assert_eq!(
            items,
            [("/b", Some("b".to_owned())), ("/a", Some("a".to_owned()))]
        );
    }

    #[test]
    fn named_examples_are_checked_but_not_kept_typed() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                    examples:\n    one: {summary: s, value: {a: 1}}\n  schemas:\n    S: {type: string}\n";
        let doc = parse_str(spec).unwrap();
        let components = doc.api.components.as_ref().unwrap();
        assert!(
            components.examples.is_empty(),
            "examples are not kept typed"
        );
        assert_eq!(components.schemas.len(), 1, "the rest is");
        assert_eq!(doc.raw["components"]["examples"]["one"]["value"]["a"], 1);

        let d = first_error(&spec.replace("summary: s", "summary: [s]"));
        assert_eq!(
            d.pointer.as_deref(),
            Some("#/components/examples/one"),
            "{d}"
        );
        let d = first_error(&spec.replace(
            "examples:\n    one: {summary: s, value: {a: 1}}",
            "examples: 5",
        ));
        assert_eq!(d.pointer.as_deref(), Some("#/components/examples"), "{d}");
    }

    /// The first path item of `spec` that does not parse, as lowering reports it.
    fn path_item_error(spec: &str) -> Diagnostic {
        let doc = parse_str(spec).unwrap();
        path_items(&doc.raw)
            .find_map(|(_, item)| item.err())
            .map(|d| *d)
            .unwrap()
    }

    #[test]
    fn a_path_item_that_does_not_parse_is_located_though_the_rest_does() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {get: \
                    {responses: {'200': {description: ok}}}}\n  /b: {get: {responses: [1]}}\n";
        let d = path_item_error(spec);
        assert_eq!(
            d.pointer.as_deref(),
            Some("#/paths/~1b/get/responses"),
            "{d}"
        );
        assert!(
            d.message.contains("not a valid OpenAPI 3.0 document"),
            "{d}"
        );
        let d = first_error("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 5\n");
        assert_eq!(d.pointer.as_deref(), Some("#/paths"), "{d}");
    }

    #[test]
    fn keys_of_paths_that_are_not_paths_are_not_blamed_for_errors() {
        // `openapiv3` skips `stray` (lowering warns of it), so the error is in `/b`.
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  stray: 5\n  \
                    /b: {get: {responses: [1]}}\n";
        let d = path_item_error(spec);
        assert_eq!(
            d.pointer.as_deref(),
            Some("#/paths/~1b/get/responses"),
            "{d}"
        );
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
