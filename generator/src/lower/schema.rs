//! Schemas → types. Each OpenAPI construct is decided in one place here: [`Lowerer::lower_schema`]
//! dispatches, and the functions below it handle objects, `allOf`, enums and primitives.

use super::{Lowerer, SchemaOrRef};
use crate::diagnostics::Pointer;
use crate::ir::{
    EnumVariant, Field, Primitive, StringEnum, Struct, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::names;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

/// The parts of a schema lowering looks at, the same whether `openapiv3` recognised the schema
/// as a typed kind or kept it as `Any` (e.g. `properties` without `type: object`).
struct View<'s> {
    typ: Option<&'s str>,
    format: Option<String>,
    /// String enum values (`null` entries dropped).
    enum_strings: Vec<String>,
    /// Whether there was an `enum` of values that are not strings.
    other_enum: bool,
    properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    all_of: &'s [ReferenceOr<Schema>],
    one_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
    not: bool,
}

impl<'s> View<'s> {
    fn of(schema: &'s Schema) -> Self {
        let mut view = View {
            typ: None,
            format: None,
            enum_strings: Vec::new(),
            other_enum: false,
            properties: None,
            required: &[],
            additional: None,
            items: None,
            all_of: &[],
            one_of: &[],
            any_of: &[],
            not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.format = match &s.format {
                    VariantOrUnknownOrEmpty::Item(f) => Some(
                        match f {
                            StringFormat::Date => "date",
                            StringFormat::DateTime => "date-time",
                            StringFormat::Password => "password",
                            StringFormat::Byte => "byte",
                            StringFormat::Binary => "binary",
                        }
                        .to_owned(),
                    ),
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                view.enum_strings = s.enumeration.iter().flatten().cloned().collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.other_enum = !n.enumeration.is_empty();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.format = match &i.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        Some("int32".to_owned())
                    }
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => {
                        Some("int64".to_owned())
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                view.other_enum = !i.enumeration.is_empty();
            }
            SchemaKind::Type(Type::Boolean(_)) => view.typ = Some("boolean"),
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.properties = Some(&o.properties);
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { .. } => view.not = true,
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.clone();
                for value in &any.enumeration {
                    match value {
                        serde_json::Value::String(s) => view.enum_strings.push(s.clone()),
                        serde_json::Value::Null => {}
                        _ => view.other_enum = true,
                    }
                }
                if !any.properties.is_empty() {
                    view.properties = Some(&any.properties);
                }
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.all_of = &any.all_of;
                view.one_of = &any.one_of;
                view.any_of = &any.any_of;
                view.not = any.not.is_some();
            }
        }
        view
    }

    fn is_object(&self) -> bool {
        self.typ == Some("object")
            || (self.typ.is_none() && (self.properties.is_some() || self.additional.is_some()))
    }
}

/// What a property takes from its schema besides the type (following a `$ref` if there is one).
pub(crate) struct SchemaMeta {
    pub description: Option<String>,
    pub nullable: bool,
    pub read_only: bool,
    pub deprecated: bool,
}

impl<'d> Lowerer<'d> {
    /// The type of a schema or `$ref`. `at` is where the schema (or the `$ref`) sits; `hint` names
    /// the type if one must be made and the schema has no name of its own.
    pub(crate) fn schema_type(
        &mut self,
        schema: SchemaOrRef<'_>,
        at: &Pointer,
        hint: &str,
    ) -> TypeRef {
        let Some((pointer, schema)) = self.resolve_schema(schema, at) else {
            return TypeRef::Primitive(Primitive::Json);
        };
        if let Some(done) = self.memo.get(&pointer) {
            return done.clone();
        }
        if self.active.contains(&pointer) {
            self.warn(
                "this schema contains itself with no object in between; it is typed as \
                 `serde_json::Value`",
                &pointer,
            );
            return TypeRef::Primitive(Primitive::Json);
        }
        let name = match (
            Self::component_name(&pointer, "schemas"),
            &schema.schema_data.title,
        ) {
            (Some(component), _) => names::type_name(component),
            (None, Some(title)) if !title.trim().is_empty() => names::type_name(title),
            _ => hint.to_owned(),
        };
        self.active.insert(pointer.clone());
        let ty = self.lower_schema(&schema, &pointer, &name);
        self.active.remove(&pointer);
        self.memo.insert(pointer, ty.clone());
        ty
    }

    /// Description and flags of a property's schema.
    pub(crate) fn schema_meta(&mut self, schema: SchemaOrRef<'_>, at: &Pointer) -> SchemaMeta {
        let own = match schema {
            SchemaOrRef::Item(schema) => Some(schema),
            SchemaOrRef::Ref(_) => None,
        };
        let resolved = self.resolve_schema(schema, at);
        let data = match (own, &resolved) {
            (Some(schema), _) => Some(&schema.schema_data),
            (None, Some((_, schema))) => Some(&schema.schema_data),
            (None, None) => None,
        };
        SchemaMeta {
            description: data.and_then(doc_of),
            nullable: data.is_some_and(|d| d.nullable),
            read_only: data.is_some_and(|d| d.read_only),
            deprecated: data.is_some_and(|d| d.deprecated),
        }
    }

    /// The one dispatch over schema constructs.
    fn lower_schema(&mut self, schema: &Schema, at: &Pointer, name: &str) -> TypeRef {
        let view = View::of(schema);
        if !view.all_of.is_empty() {
            return self.all_of(schema, &view, at, name);
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            let keyword = if view.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            self.warn(
                format!(
                    "`{keyword}` is not supported yet; the value is typed as `serde_json::Value`"
                ),
                at,
            );
            return TypeRef::Primitive(Primitive::Json);
        }
        if view.not {
            self.warn(
                "`not` cannot be expressed as a Rust type; the value is typed as `serde_json::Value`",
                at,
            );
            return TypeRef::Primitive(Primitive::Json);
        }
        if !view.enum_strings.is_empty() && matches!(view.typ, None | Some("string")) {
            return self.string_enum(schema, &view, at, name);
        }
        if view.is_object() {
            return self.object(schema, &view, at, name);
        }
        match view.typ {
            Some("string") => TypeRef::Primitive(self.string_format(view.format.as_deref(), at)),
            Some("integer") => TypeRef::Primitive(match view.format.as_deref() {
                Some("int32") => Primitive::I32,
                _ => Primitive::I64,
            }),
            Some("number") => TypeRef::Primitive(match view.format.as_deref() {
                Some("float") => Primitive::F32,
                _ => Primitive::F64,
            }),
            Some("boolean") => TypeRef::Primitive(Primitive::Bool),
            Some("array") => self.array(view.items, at, name),
            None if view.items.is_some() => self.array(view.items, at, name),
            None => TypeRef::Primitive(Primitive::Json),
            Some(other) => {
                self.warn(
                    format!("unknown `type: {other}`; the value is typed as `serde_json::Value`"),
                    at,
                );
                TypeRef::Primitive(Primitive::Json)
            }
        }
    }

    fn string_format(&mut self, format: Option<&str>, _at: &Pointer) -> Primitive {
        match format {
            Some("uuid") => Primitive::Uuid,
            Some("date-time") => Primitive::DateTime,
            Some("date") => Primitive::Date,
            // byte (base64), binary, password, email, uri and custom formats stay text.
            _ => Primitive::String,
        }
    }

    fn array(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        at: &Pointer,
        name: &str,
    ) -> TypeRef {
        let item = match items {
            Some(items) => {
                self.schema_type(items.into(), &at.join("items"), &format!("{name}Item"))
            }
            None => TypeRef::Primitive(Primitive::Json),
        };
        TypeRef::Array(Box::new(item))
    }

    fn object(&mut self, schema: &Schema, view: &View<'_>, at: &Pointer, name: &str) -> TypeRef {
        let additional = self.additional(view.additional, at, name);
        let Some(properties) = view.properties.filter(|p| !p.is_empty()) else {
            // No named properties: a map, free-form unless `additionalProperties` has a schema.
            return TypeRef::Map(Box::new(
                additional.unwrap_or(TypeRef::Primitive(Primitive::Json)),
            ));
        };
        // Registered before the fields are lowered, so that a field can refer back to it.
        let id = self.reserve_struct(name, at, schema);
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, property) in properties {
            fields.push(self.field(wire, property.into(), view.required, at, name));
        }
        if let Some(def) = self.type_mut(id) {
            def.kind = TypeKind::Struct(Struct { fields, additional });
        }
        TypeRef::Named(id)
    }

    /// The type of `additionalProperties` values, if it has a schema.
    fn additional(
        &mut self,
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
        name: &str,
    ) -> Option<TypeRef> {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => Some(self.schema_type(
                schema.as_ref().into(),
                &at.join("additionalProperties"),
                &format!("{name}Value"),
            )),
            _ => None,
        }
    }

    fn reserve_struct(&mut self, name: &str, at: &Pointer, schema: &Schema) -> TypeId {
        let doc = doc_of(&schema.schema_data);
        let id = self.add_type(
            name.to_owned(),
            at.clone(),
            doc,
            TypeKind::Struct(Struct::default()),
        );
        self.memo.insert(at.clone(), TypeRef::Named(id));
        id
    }

    fn field(
        &mut self,
        wire: &str,
        property: SchemaOrRef<'_>,
        required: &[String],
        parent: &Pointer,
        parent_name: &str,
    ) -> Field {
        let at = parent.join("properties").join(wire);
        let hint = format!("{parent_name}{}", names::type_name(wire));
        let ty = self.schema_type(property, &at, &hint);
        let meta = self.schema_meta(property, &at);
        Field {
            name: names::snake_name(wire),
            wire: wire.to_owned(),
            ty,
            required: required.iter().any(|r| r == wire),
            nullable: meta.nullable,
            read_only: meta.read_only,
            doc: meta.description,
            deprecated: meta.deprecated,
            boxed: false,
        }
    }

    /// `allOf`: the parts' properties merged into one struct. A single part with nothing beside
    /// it (the usual way to attach a description to a `$ref`) is that part's type.
    fn all_of(&mut self, schema: &Schema, view: &View<'_>, at: &Pointer, name: &str) -> TypeRef {
        let own_properties = view.properties.is_some_and(|p| !p.is_empty());
        if view.all_of.len() == 1 && !own_properties {
            return self.schema_type((&view.all_of[0]).into(), &at.join("allOf").join("0"), name);
        }
        let id = self.reserve_struct(name, at, schema);
        let mut merged = Merged::default();
        for (i, part) in view.all_of.iter().enumerate() {
            self.merge_part(
                part.into(),
                &at.join("allOf").join(i.to_string()),
                name,
                &mut merged,
                0,
            );
        }
        if let Some(properties) = view.properties {
            for (wire, property) in properties {
                merged.push(self, wire, property.into(), view.required, at, name);
            }
        }
        merged.required.extend(view.required.iter().cloned());
        let Merged {
            mut fields,
            required,
            additional,
            ..
        } = merged;
        for field in &mut fields {
            field.required |= required.contains(&field.wire);
        }
        if let Some(def) = self.type_mut(id) {
            def.kind = TypeKind::Struct(Struct { fields, additional });
        }
        TypeRef::Named(id)
    }

    fn merge_part(
        &mut self,
        part: SchemaOrRef<'_>,
        at: &Pointer,
        name: &str,
        merged: &mut Merged,
        depth: usize,
    ) {
        let Some((pointer, schema)) = self.resolve_schema(part, at) else {
            return;
        };
        if depth > 32 || !merged.visited.insert(pointer.clone()) {
            return;
        }
        let view = View::of(&schema);
        for (i, inner) in view.all_of.iter().enumerate() {
            let inner_at = pointer.join("allOf").join(i.to_string());
            self.merge_part(inner.into(), &inner_at, name, merged, depth + 1);
        }
        if let Some(properties) = view.properties {
            for (wire, property) in properties {
                merged.push(self, wire, property.into(), view.required, &pointer, name);
            }
        }
        merged.required.extend(view.required.iter().cloned());
        if merged.additional.is_none() {
            merged.additional = self.additional(view.additional, &pointer, name);
        }
        if view.all_of.is_empty() && !view.is_object() {
            self.warn(
                "this `allOf` part is not an object; only object parts are merged",
                &pointer,
            );
        }
    }

    fn string_enum(
        &mut self,
        schema: &Schema,
        view: &View<'_>,
        at: &Pointer,
        name: &str,
    ) -> TypeRef {
        let mut seen = BTreeSet::new();
        let variants = view
            .enum_strings
            .iter()
            .filter(|value| seen.insert(value.as_str()))
            .map(|value| EnumVariant {
                name: names::variant_name(value),
                wire: value.clone(),
            })
            .collect();
        let id = self.add_type(
            name.to_owned(),
            at.clone(),
            doc_of(&schema.schema_data),
            TypeKind::Enum(StringEnum { variants }),
        );
        TypeRef::Named(id)
    }
}

/// Properties gathered from the parts of an `allOf`.
#[derive(Default)]
struct Merged {
    fields: Vec<Field>,
    required: BTreeSet<String>,
    additional: Option<TypeRef>,
    visited: BTreeSet<Pointer>,
}

impl Merged {
    fn push(
        &mut self,
        lowerer: &mut Lowerer<'_>,
        wire: &str,
        property: SchemaOrRef<'_>,
        required: &[String],
        parent: &Pointer,
        name: &str,
    ) {
        let field = lowerer.field(wire, property, required, parent, name);
        match self.fields.iter().find(|f| f.wire == wire) {
            None => self.fields.push(field),
            Some(existing) if existing.ty == field.ty => {}
            Some(_) => lowerer.warn(
                format!(
                    "`allOf` parts give property `{wire}` different types; the first one is kept"
                ),
                &parent.join("properties").join(wire),
            ),
        }
    }
}

/// A schema's description.
pub(crate) fn doc_of(data: &openapiv3::SchemaData) -> Option<String> {
    data.description.clone().filter(|d| !d.trim().is_empty())
}

/// Marks struct fields that hold their own struct by value (directly or through other structs'
/// by-value fields): those need a `Box` for the type to have a size.
pub(crate) fn mark_boxed_fields(types: &mut BTreeMap<TypeId, TypeDef>) {
    let direct = |def: &TypeDef| -> Vec<TypeId> {
        match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| match f.ty {
                    TypeRef::Named(id) => Some(id),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let edges: BTreeMap<TypeId, Vec<TypeId>> =
        types.iter().map(|(id, def)| (*id, direct(def))).collect();
    let reaches = |from: TypeId, to: TypeId| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id == to {
                return true;
            }
            if seen.insert(id) {
                stack.extend(edges.get(&id).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut boxed = Vec::new();
    for (id, def) in types.iter() {
        if let TypeKind::Struct(s) = &def.kind {
            for (i, field) in s.fields.iter().enumerate() {
                if let TypeRef::Named(target) = field.ty {
                    if reaches(target, *id) {
                        boxed.push((*id, i));
                    }
                }
            }
        }
    }
    for (id, i) in boxed {
        if let Some(TypeDef {
            kind: TypeKind::Struct(s),
            ..
        }) = types.get_mut(&id)
        {
            s.fields[i].boxed = true;
        }
    }
}
