//! `$ref`s into other files (`common.yaml#/components/schemas/Pet`), bundled into the document.
//!
//! Each referenced node is copied into the root document's `components` (under its own name
//! when the fragment is `/components/<section>/<name>`, else under a name made from the file
//! and the pointer) and the `$ref` is rewritten to point there, so the rest of the generator sees
//! one self-contained document. `$ref`s inside a copied node are resolved relative to the file
//! it came from, with cycles across files kept as `$ref`s. Files are read relative to the spec's
//! directory; remote URLs are not fetched.

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Bundles every external `$ref` of `raw` (read from the directory `base`), returning whether it
/// changed anything (it does where there is one). Errors name the place of the `$ref`; one
/// error per bad reference.
pub(super) fn bundle(raw: &mut Value, base: Option<&Path>) -> Result<bool, Diagnostics> {
    // Most specs are one file: a walk without pointers finds that out cheaply.
    if !any_external_ref(raw) {
        return Ok(false);
    }
    let mut bundler = Bundler {
        base: base.map(Path::to_path_buf),
        files: BTreeMap::new(),
        imported: BTreeMap::new(),
        additions: Vec::new(),
        errors: Diagnostics::new(),
    };
    let mut taken = taken_names(raw);
    bundler.rewrite(raw, &Pointer::root(), None, &mut taken);
    if bundler.errors.has_errors() {
        return Err(bundler.errors);
    }
    if !bundler.additions.is_empty() {
        let Value::Object(root) = raw else {
            return Ok(true);
        };
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            *components = Value::Object(Map::new());
        }
        let Value::Object(components) = components else {
            return Ok(true);
        };
        for (section, name, node) in bundler.additions {
            let entries = components
                .entry(section)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(entries) = entries {
                entries.insert(name, node);
            }
        }
    }
    Ok(true)
}

struct Bundler {
    base: Option<PathBuf>,
    /// Other files, parsed, by canonical path.
    files: BTreeMap<PathBuf, Value>,
    /// (file, fragment) → the local `$ref` it was bundled as.
    imported: BTreeMap<(PathBuf, String), String>,
    /// (section, name, node) to add to `components`.
    additions: Vec<(String, String, Value)>,
    errors: Diagnostics,
}

/// Names already used in each section of `components`.
type Taken = BTreeMap<String, std::collections::BTreeSet<String>>;

fn taken_names(raw: &Value) -> Taken {
    let mut taken = Taken::new();
    if let Some(components) = raw.get("components").and_then(Value::as_object) {
        for (section, entries) in components {
            if let Some(entries) = entries.as_object() {
                taken.insert(section.clone(), entries.keys().cloned().collect());
            }
        }
    }
    taken
}

/// Whether any `$ref` (data included, so this errs towards walking) points outside the file.
fn any_external_ref(node: &Value) -> bool {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if !reference.starts_with('#') {
                    return true;
                }
            }
            map.values().any(any_external_ref)
        }
        Value::Array(items) => items.iter().any(any_external_ref),
        _ => false,
    }
}

impl Bundler {
    /// Rewrites the `$ref`s under `node` (which sits at `at` in the root document); `from` is
    /// the file `node` was read from (`None`: the root, whose local refs stay as they are).
    fn rewrite(&mut self, node: &mut Value, at: &Pointer, from: Option<&Path>, taken: &mut Taken) {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    let external = !reference.starts_with('#');
                    if external || from.is_some() {
                        if let Some(local) = self.resolve(&reference, at, from, taken) {
                            map.insert("$ref".to_owned(), Value::String(local));
                        }
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    if !super::is_data(at, key) {
                        self.rewrite(child, &at.join(key), from, taken);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.rewrite(item, &at.join(i.to_string()), from, taken);
                }
            }
            _ => {}
        }
    }

    /// The local `$ref` for `reference` (written in `from`, or in the root), bundling its target.
    fn resolve(
        &mut self,
        reference: &str,
        at: &Pointer,
        from: Option<&Path>,
        taken: &mut Taken,
    ) -> Option<String> {
        let fail = |this: &mut Self, message: String, hint: Option<&str>| {
            let mut d = Diagnostic::error(message).at(at);
            if let Some(hint) = hint {
                d = d.with_hint(hint);
            }
            this.errors.push(d);
            None
        };
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.contains("://") {
            return fail(
                self,
                format!("`$ref: {reference}` is a remote URL, which apigen does not fetch"),
                Some("download the file next to the spec and refer to it by a relative path"),
            );
        }
        let file = if file_part.is_empty() {
            from?.to_path_buf()
        } else {
            let dir = match from {
                Some(from) => from.parent().map(Path::to_path_buf),
                None => self.base.clone(),
            };
            let Some(dir) = dir else {
                return fail(
                    self,
                    format!(
                        "`$ref: {reference}` points into another file, and this spec was not \
                         read from a directory to find it in"
                    ),
                    Some("generate from the spec file on disk, or bundle it into one file"),
                );
            };
            match dir.join(file_part).canonicalize() {
                Ok(path) => path,
                Err(e) => {
                    return fail(
                        self,
                        format!(
                            "`$ref: {reference}` names the file {}, which cannot be read: {e}",
                            dir.join(file_part).display()
                        ),
                        None,
                    );
                }
            }
        };
        let key = (file.clone(), fragment.to_owned());
        if let Some(local) = self.imported.get(&key) {
            return Some(local.clone());
        }
        if !self.files.contains_key(&file) {
            let name = file.display().to_string();
            let tree = std::fs::read(&file)
                .map_err(|e| format!("cannot be read: {e}"))
                .and_then(|bytes| super::read_tree(&name, &bytes).map_err(|d| d.message));
            match tree {
                Ok(tree) => {
                    self.files.insert(file.clone(), tree);
                }
                Err(e) => {
                    return fail(
                        self,
                        format!("`$ref: {reference}` names the file {name}, which {e}"),
                        None,
                    );
                }
            }
        }
        let Some(pointer) = Pointer::parse_ref(&format!("#{fragment}")) else {
            return fail(
                self,
                format!("`$ref: {reference}` has a fragment that is not a JSON pointer"),
                None,
            );
        };
        let target = self
            .files
            .get(&file)
            .and_then(|tree| pointer.lookup(tree))
            .cloned();
        let Some(mut target) = target else {
            return fail(
                self,
                format!(
                    "`$ref: {reference}` points at nothing in {}",
                    file.display()
                ),
                None,
            );
        };
        let (section, wanted) = place_for(&pointer, at, &file);
        let names = taken.entry(section.clone()).or_default();
        let mut name = wanted.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        names.insert(name.clone());
        let local = Pointer::root()
            .join("components")
            .join(&section)
            .join(&name);
        let local_ref = local.to_string();
        self.imported.insert(key, local_ref.clone());
        self.rewrite(&mut target, &local, Some(&file), taken);
        self.additions.push((section, name, target));
        Some(local_ref)
    }
}

/// The `components` section and the name a bundled node goes under: its own when the fragment
/// is `/components/<section>/<name>`, else one made from the file and the pointer, in the section
/// the `$ref`'s position calls for.
fn place_for(fragment: &Pointer, at: &Pointer, file: &Path) -> (String, String) {
    let tokens: Vec<_> = fragment.tokens().collect();
    if let [first, section, name] = tokens.as_slice() {
        if first == "components" {
            return (section.to_string(), name.to_string());
        }
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = std::iter::once(stem.as_str())
        .chain(tokens.iter().map(|token| token.as_ref()))
        .flat_map(|part| part.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    let parent = at.tokens().nth_back(1);
    let section = match (parent.as_deref(), at.last().as_deref()) {
        (Some("parameters"), _) => "parameters",
        (Some("responses"), _) => "responses",
        (_, Some("requestBody")) => "requestBodies",
        (Some("headers"), _) => "headers",
        (Some("examples"), _) => "examples",
        _ => "schemas",
    };
    (section.to_owned(), name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_in_example_values_defaults_and_extensions_are_data() {
        let mut raw = json!({
            "components": {
                "examples": {"e": {"value": {"$ref": "https://example.test/x"}}},
                "schemas": {"S": {
                    "example": {"$ref": "other.yaml"},
                    "default": {"$ref": "other.yaml"},
                    "x-thing": {"$ref": "other.yaml"},
                    "properties": {"example": {"$ref": "missing.yaml#/S"}},
                }},
            }
        });
        let errors = bundle(&mut raw, None).unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|d| d.pointer.clone().unwrap()).collect();
        assert_eq!(pointers, ["#/components/schemas/S/properties/example"]);
    }
}
