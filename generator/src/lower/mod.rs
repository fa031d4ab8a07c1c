//! Lowering: the OpenAPI document → [`ir::Api`](crate::ir::Api).
//!
//! `schema` turns schemas into types, `operation` turns path items into operations, `service`
//! reads servers and security schemes. This module holds what they share: `$ref` resolution, the
//! type arena, and diagnostics tied to the operation being lowered.

mod operation;
mod schema;
mod service;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::ir::{Api, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Document;
use crate::names;
use openapiv3::{ReferenceOr, Schema};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Lowers a parsed document. Diagnostics may contain errors; the caller decides.
pub fn lower(doc: &Document) -> (Api, Diagnostics) {
    let mut lowerer = Lowerer::new(doc);
    // Component schemas first: they are the types users know by name, so they claim names first.
    if let Some(components) = &doc.api.components {
        for (name, schema) in &components.schemas {
            let at = Pointer::root()
                .join("components")
                .join("schemas")
                .join(name);
            lowerer.schema_type(SchemaOrRef::from(schema), &at, &names::type_name(name));
        }
    }
    let operations = operation::lower_operations(&mut lowerer);
    let servers = service::servers(&mut lowerer);
    let security_schemes = service::security_schemes(&mut lowerer);
    let request_id_header = service::request_id_header(doc);

    let Lowerer { types, diags, .. } = lowerer;
    let mut api = Api {
        title: doc.api.info.title.clone(),
        version: doc.api.info.version.clone(),
        description: doc.api.info.description.clone(),
        servers,
        security_schemes,
        types,
        operations,
        request_id_header,
    };
    schema::mark_boxed_fields(&mut api.types);
    names::assign_type_names(&mut api);
    names::dedupe_members(&mut api);
    (api, diags)
}

/// A schema or a `$ref` to one, borrowed from wherever it sits.
#[derive(Clone, Copy)]
pub(crate) enum SchemaOrRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaOrRef<'s> {
    fn from(value: &'s ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaOrRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaOrRef::Item(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaOrRef<'s> {
    fn from(value: &'s ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaOrRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaOrRef::Item(schema),
        }
    }
}

/// State of one lowering run.
pub(crate) struct Lowerer<'d> {
    pub doc: &'d Document,
    diags: Diagnostics,
    types: BTreeMap<TypeId, TypeDef>,
    /// Lowered schemas by the pointer where the schema itself sits, so a schema reached through
    /// many `$ref`s (or a shared response) becomes one type.
    memo: BTreeMap<Pointer, TypeRef>,
    /// Schemas being lowered right now, to catch recursion that no struct breaks.
    active: BTreeSet<Pointer>,
    next_id: u32,
    /// The operation being lowered, attached to diagnostics.
    operation_id: Option<String>,
    /// (pointer, message) of every diagnostic so far: a broken schema reached from many places
    /// is reported once.
    reported: BTreeSet<(String, String)>,
}

impl<'d> Lowerer<'d> {
    fn new(doc: &'d Document) -> Self {
        Lowerer {
            doc,
            diags: Diagnostics::new(),
            types: BTreeMap::new(),
            memo: BTreeMap::new(),
            active: BTreeSet::new(),
            next_id: 0,
            operation_id: None,
            reported: BTreeSet::new(),
        }
    }

    pub(crate) fn warn(&mut self, message: impl Into<String>, at: &Pointer) {
        self.push(Diagnostic::warning(message).at(at));
    }

    pub(crate) fn error(&mut self, message: impl Into<String>, at: &Pointer) {
        self.push(Diagnostic::error(message).at(at));
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        let key = (
            diagnostic.pointer.clone().unwrap_or_default(),
            diagnostic.message.clone(),
        );
        if self.reported.insert(key) {
            self.diags
                .push(diagnostic.in_operation(self.operation_id.as_deref()));
        }
    }

    /// Adds a named type to the arena.
    pub(crate) fn add_type(
        &mut self,
        name: String,
        origin: Pointer,
        doc: Option<String>,
        kind: TypeKind,
    ) -> TypeId {
        let id = TypeId(self.next_id);
        self.next_id += 1;
        self.types.insert(
            id,
            TypeDef {
                name,
                origin,
                doc,
                kind,
            },
        );
        id
    }

    pub(crate) fn type_mut(&mut self, id: TypeId) -> Option<&mut TypeDef> {
        self.types.get_mut(&id)
    }

    /// Follows `$ref`s (also chains of them) to the schema, with the pointer where it sits.
    pub(crate) fn resolve_schema<'s>(
        &mut self,
        schema: SchemaOrRef<'s>,
        at: &Pointer,
    ) -> Option<(Pointer, Cow<'s, Schema>)>
    where
        'd: 's,
    {
        match schema {
            SchemaOrRef::Item(schema) => Some((at.clone(), Cow::Borrowed(schema))),
            SchemaOrRef::Ref(reference) => {
                let doc: &'d Document = self.doc;
                let components = doc.api.components.as_ref().map(|c| &c.schemas);
                let (pointer, target) =
                    self.follow::<Schema>(reference, at, "schemas", components)?;
                Some((pointer, target))
            }
        }
    }

    /// Resolves a `ReferenceOr<T>` for the other component kinds (parameters, responses...).
    pub(crate) fn resolve<T: DeserializeOwned + Clone>(
        &mut self,
        item: &'d ReferenceOr<T>,
        at: &Pointer,
        section: &str,
        components: Option<&'d indexmap::IndexMap<String, ReferenceOr<T>>>,
    ) -> Option<(Pointer, Cow<'d, T>)> {
        match item {
            ReferenceOr::Item(value) => Some((at.clone(), Cow::Borrowed(value))),
            ReferenceOr::Reference { reference } => self.follow(reference, at, section, components),
        }
    }

    /// Follows one `$ref` and any chain behind it.
    fn follow<'s, T: DeserializeOwned + Clone>(
        &mut self,
        reference: &str,
        at: &Pointer,
        section: &str,
        components: Option<&'d indexmap::IndexMap<String, ReferenceOr<T>>>,
    ) -> Option<(Pointer, Cow<'s, T>)>
    where
        'd: 's,
    {
        let doc: &'d Document = self.doc;
        let mut seen: Vec<String> = Vec::new();
        let mut reference = reference.to_owned();
        loop {
            if seen.contains(&reference) {
                seen.push(reference);
                self.error(
                    format!("`$ref` cycle with no schema in it: {}", seen.join(" → ")),
                    at,
                );
                return None;
            }
            seen.push(reference.clone());
            let Some(target) = Pointer::parse_ref(&reference) else {
                self.push(
                    Diagnostic::error(format!(
                        "`$ref: {reference}` points into another file, which is not supported yet"
                    ))
                    .at(at)
                    .with_hint("bundle the spec into one file, e.g. `npx @redocly/cli bundle`"),
                );
                return None;
            };
            // Components are already typed; anything else is parsed from the raw tree.
            let typed = match (target.tokens(), components) {
                ([c, s, name], Some(components)) if c == "components" && s == section => {
                    components.get(name.as_str()).map(Cow::Borrowed)
                }
                _ => None,
            };
            let next: Cow<'d, ReferenceOr<T>> = match typed {
                Some(found) => found,
                None => {
                    let Some(raw) = target.lookup(&doc.raw) else {
                        self.error(format!("`$ref: {reference}` points at nothing"), at);
                        return None;
                    };
                    match serde_json::from_value::<ReferenceOr<T>>(raw.clone()) {
                        Ok(value) => Cow::Owned(value),
                        Err(e) => {
                            let kind = section.trim_end_matches('s');
                            self.error(
                                format!("`$ref: {reference}` does not point at a {kind}: {e}"),
                                at,
                            );
                            return None;
                        }
                    }
                }
            };
            match next {
                Cow::Borrowed(ReferenceOr::Item(value)) => {
                    return Some((target, Cow::Borrowed(value)));
                }
                Cow::Owned(ReferenceOr::Item(value)) => return Some((target, Cow::Owned(value))),
                Cow::Borrowed(ReferenceOr::Reference { reference: r }) => reference = r.clone(),
                Cow::Owned(ReferenceOr::Reference { reference: r }) => reference = r,
            }
        }
    }

    /// The `#/components/<section>/<name>` name a pointer designates, if it is one.
    pub(crate) fn component_name<'p>(pointer: &'p Pointer, section: &str) -> Option<&'p str> {
        match pointer.tokens() {
            [c, s, name] if c == "components" && s == section => Some(name),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
