//! Lowering: the OpenAPI document → [`ir::Api`](crate::ir::Api).
//!
//! `schema` turns schemas into types, `operation` turns path items into operations, `service`
//! reads servers and security schemes. This module holds what they share: `$ref` resolution, the
//! type arena, and diagnostics tied to the operation being lowered.

mod example;
mod operation;
mod pagination;
mod schema;
mod service;
pub(crate) use schema::formats;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use crate::ir::{Api, Body, Primitive, SchemaSite, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Document;
use crate::names;
use openapiv3::{ReferenceOr, Schema};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// What lowering needs to know beyond the document.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The request-body property that carries an idempotency key (Circle: `idempotencyKey`).
    pub idempotency_key: Option<String>,
    /// How cursor-paginated lists are recognized.
    pub pagination: crate::config::PaginationNames,
    /// Whether to record the type at every schema position ([`Api::schema_sites`]), which only
    /// example checks read: generation leaves them out (2.3 MB for GitHub's spec).
    pub schema_sites: bool,
}

/// Lowers a parsed document. Diagnostics may contain errors; the caller decides.
pub fn lower(doc: &Document, options: &Options) -> (Api, Diagnostics) {
    let mut lowerer = Lowerer::new(doc, options.schema_sites);
    // Component schemas first: they are the types users know by name, so they claim names first.
    if let Some(components) = &doc.api.components {
        for (name, schema) in &components.schemas {
            let at = Pointer::root()
                .join("components")
                .join("schemas")
                .join(name);
            // The hint is made only if needed: a component's own type is named after it.
            lowerer.schema_type(SchemaOrRef::from(schema), &at, &|| names::type_name(name));
        }
    }
    let operations = operation::lower_operations(&mut lowerer);
    let servers = service::servers(&mut lowerer);
    let security_schemes = service::security_schemes(&mut lowerer);
    let request_id_header = service::request_id_header(doc);
    // Last, so that references met while lowering are reported with their operation first.
    if !doc.refs_resolve() {
        check_every_ref(&mut lowerer, &doc.raw, &Pointer::root());
    }

    let Lowerer {
        types,
        mut diags,
        sites,
        ..
    } = lowerer;
    let mut api = Api {
        title: doc.api.info.title.clone(),
        version: doc.api.info.version.clone(),
        description: doc.api.info.description.clone(),
        servers,
        security_schemes,
        types,
        operations,
        tags: doc
            .api
            .tags
            .iter()
            .map(|tag| crate::ir::Tag {
                name: tag.name.clone(),
                description: tag.description.clone(),
            })
            .collect(),
        request_id_header,
        schema_sites: sites.unwrap_or_default(),
    };
    schema::mark_boxed_fields(&mut api.types);
    names::assign_type_names(&mut api);
    schema::settle_one_ofs(&mut api.types);
    relax_one_sided_fields(&mut api);
    if let Some(key) = &options.idempotency_key {
        mark_idempotency_keys(&mut api, key);
    }
    names::dedupe_members(&mut api);
    pagination::detect(&mut api, &options.pagination, &mut diags);
    example::attach(&mut api, &doc.raw);
    (api, diags)
}

/// Every local `$ref` of the document must point at something, also in the parts the client
/// does not use (response headers, links, callbacks): a dangling one is a broken spec.
fn check_every_ref(lowerer: &mut Lowerer<'_>, node: &serde_json::Value, at: &Pointer) {
    use serde_json::Value;
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let dangling = Pointer::parse_ref(reference)
                    .is_some_and(|target| target.lookup(&lowerer.doc.raw).is_none());
                if dangling {
                    lowerer.error(format!("`$ref: {reference}` points at nothing"), at);
                }
                return;
            }
            for (key, child) in map {
                if !crate::load::is_data(at, key) {
                    check_every_ref(lowerer, child, &at.join(key));
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_every_ref(lowerer, child, &at.join(i.to_string()));
            }
        }
        _ => {}
    }
}

/// The types reachable from `roots` through fields, items, map values and alternatives.
pub(crate) fn reachable(api: &Api, roots: impl IntoIterator<Item = TypeRef>) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeRef> = roots.into_iter().collect();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Primitive(_) => {}
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(*inner),
            TypeRef::Named(id) => {
                if !seen.insert(id) {
                    continue;
                }
                match api.types.get(&id).map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => {
                        stack.extend(s.fields.iter().map(|f| f.ty.clone()));
                        stack.extend(s.additional.clone());
                    }
                    Some(TypeKind::OneOf(o)) => {
                        stack.extend(o.variants.iter().map(|v| v.ty.clone()))
                    }
                    _ => {}
                }
            }
        }
    }
    seen
}

/// A required `readOnly` property cannot be required of a request, nor a required `writeOnly`
/// one of a response: in types used that way, those fields become optional.
fn relax_one_sided_fields(api: &mut Api) {
    let json = |body: &Body| match body {
        Body::Json(ty) => Some(ty.clone()),
        _ => None,
    };
    let sent = reachable(
        api,
        api.operations
            .iter()
            .filter_map(|op| op.body.as_ref().and_then(|b| b.body.typed()).cloned()),
    );
    let received = reachable(
        api,
        api.operations
            .iter()
            .filter_map(|op| json(&op.success))
            .chain(api.types.values().flat_map(|d| match &d.kind {
                TypeKind::Errors(e) | TypeKind::Successes(e) => {
                    e.variants.iter().filter_map(|v| json(&v.body)).collect()
                }
                _ => Vec::new(),
            })),
    );
    for (id, def) in &mut api.types {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                if (field.read_only && sent.contains(id))
                    || (field.write_only && received.contains(id))
                {
                    field.required = false;
                }
            }
        }
    }
}

/// Request bodies with a required idempotency-key property: the property becomes optional and
/// the operation fills it with a fresh UUID v4 when the caller leaves it unset.
fn mark_idempotency_keys(api: &mut Api, key: &str) {
    for op in &mut api.operations {
        let Some(body) = &mut op.body else { continue };
        let Body::Json(TypeRef::Named(id)) = &body.body else {
            continue;
        };
        let Some(TypeDef {
            kind: TypeKind::Struct(s),
            ..
        }) = api.types.get_mut(id)
        else {
            continue;
        };
        let textual =
            |ty: &TypeRef| matches!(ty, TypeRef::Primitive(Primitive::Uuid | Primitive::String));
        if let Some(field) = s
            .fields
            .iter_mut()
            .find(|f| f.wire == key && f.required && textual(&f.ty))
        {
            field.idempotency_key = true;
            body.idempotency_key = Some(key.to_owned());
        }
    }
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
    /// The type at every schema position lowered, if [`Options::schema_sites`] asks for them.
    sites: Option<BTreeMap<Pointer, SchemaSite>>,
    /// (pointer, message) of every diagnostic so far: a broken schema reached from many places
    /// is reported once.
    reported: BTreeSet<(String, String)>,
    /// The type names of the component schemas, which other components' types must not take.
    schema_names: BTreeSet<String>,
    /// The component schemas that are plain string enums, by their values: an inline enum of
    /// the same values is that type. `None` when several components have those values.
    component_enums: BTreeMap<Vec<String>, Option<String>>,
}

impl<'d> Lowerer<'d> {
    fn new(doc: &'d Document, schema_sites: bool) -> Self {
        Lowerer {
            doc,
            diags: Diagnostics::new(),
            types: BTreeMap::new(),
            memo: BTreeMap::new(),
            active: BTreeSet::new(),
            next_id: 0,
            operation_id: None,
            reported: BTreeSet::new(),
            sites: schema_sites.then(BTreeMap::new),
            schema_names: doc
                .api
                .components
                .iter()
                .flat_map(|c| c.schemas.keys())
                .map(|name| names::type_name(name))
                .collect(),
            component_enums: schema::component_enums(doc),
        }
    }

    /// The type name for a schema inside a component of another section (`responses`,
    /// `parameters`, `requestBodies`): the component's name, with `suffix` when a component
    /// schema already has it (DigitalOcean's `account` response, `{account: Account}`, becomes
    /// `AccountResponse`): the schema keeps the name users know from the spec.
    pub(crate) fn component_hint(&self, component: &str, suffix: &str) -> String {
        let name = names::type_name(component);
        if self.schema_names.contains(&name) {
            format!("{name}{suffix}")
        } else {
            name
        }
    }

    /// A documented degradation: `code` names its kind (see the README's table).
    pub(crate) fn warn(&mut self, code: &'static str, message: impl Into<String>, at: &Pointer) {
        self.push(Diagnostic::warning(message).with_code(code).at(at));
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
                deprecated: false,
                example: None,
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
    pub(crate) fn resolve<'s, T: DeserializeOwned + Clone>(
        &mut self,
        item: &'s ReferenceOr<T>,
        at: &Pointer,
        section: &str,
        components: Option<&'s indexmap::IndexMap<String, ReferenceOr<T>>>,
    ) -> Option<(Pointer, Cow<'s, T>)> {
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
        components: Option<&'s indexmap::IndexMap<String, ReferenceOr<T>>>,
    ) -> Option<(Pointer, Cow<'s, T>)> {
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
            let typed = match (target.component_name(section), components) {
                (Some(name), Some(components)) => components.get(name.as_ref()).map(Cow::Borrowed),
                _ => None,
            };
            let next: Cow<'s, ReferenceOr<T>> = match typed {
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
}

#[cfg(test)]
mod tests;
