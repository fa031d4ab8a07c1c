//! Schemas → types. Each OpenAPI construct is decided in one place here: [`Lowerer::lower_schema`]
//! dispatches, and the functions below it handle objects, `allOf`, `oneOf`/`anyOf`, enums and
//! primitives. Post-passes at the end settle what needs the whole picture: recursion (`Box`),
//! `oneOf` tags.

use super::{Lowerer, SchemaOrRef};
use crate::diagnostics::Pointer;
use crate::ir::{
    Constraints, EnumVariant, Field, IntEnum, IntVariant, OneOf, OneOfVariant, PresenceRule,
    Primitive, SchemaSite, StringEnum, Struct, TypeDef, TypeId, TypeKind, TypeRef,
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
    /// Integer enum values.
    enum_integers: Vec<i64>,
    /// Whether there was an `enum` of values that are neither strings nor integers.
    other_enum: bool,
    properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    all_of: &'s [ReferenceOr<Schema>],
    one_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
    not: bool,
    constraints: Constraints,
}

fn format_text(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    match format {
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
    }
}

impl<'s> View<'s> {
    fn of(schema: &'s Schema) -> Self {
        let mut view = View {
            typ: None,
            format: None,
            enum_strings: Vec::new(),
            enum_integers: Vec::new(),
            other_enum: false,
            properties: None,
            required: &[],
            additional: None,
            items: None,
            all_of: &[],
            one_of: &[],
            any_of: &[],
            not: false,
            constraints: Constraints::default(),
        };
        let c = &mut view.constraints;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.format = format_text(&s.format);
                view.enum_strings = s.enumeration.iter().flatten().cloned().collect();
                c.min_length = s.min_length;
                c.max_length = s.max_length;
                c.pattern = s.pattern.clone();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.format = match &n.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                        Some("float".to_owned())
                    }
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Double) => {
                        Some("double".to_owned())
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                view.other_enum = !n.enumeration.is_empty();
                c.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
                c.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
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
                view.enum_integers = i.enumeration.iter().flatten().copied().collect();
                c.minimum = i.minimum.map(|m| (m as f64, i.exclusive_minimum));
                c.maximum = i.maximum.map(|m| (m as f64, i.exclusive_maximum));
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
                c.min_items = a.min_items;
                c.max_items = a.max_items;
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
                        serde_json::Value::Number(n) if n.is_i64() => {
                            view.enum_integers.extend(n.as_i64());
                        }
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
                c.minimum = any
                    .minimum
                    .map(|m| (m, any.exclusive_minimum.unwrap_or(false)));
                c.maximum = any
                    .maximum
                    .map(|m| (m, any.exclusive_maximum.unwrap_or(false)));
                c.min_length = any.min_length;
                c.max_length = any.max_length;
                c.pattern = any.pattern.clone();
                c.min_items = any.min_items;
                c.max_items = any.max_items;
            }
        }
        view
    }

    fn is_object(&self) -> bool {
        self.typ == Some("object")
            || (self.typ.is_none() && (self.properties.is_some() || self.additional.is_some()))
    }

    /// The property lists of an `anyOf` or `oneOf` whose alternatives only require properties
    /// (DigitalOcean's firewalls: "inbound rules, or outbound rules, or both"): a rule about
    /// which properties are set, not a shape.
    fn required_alternatives(&self) -> Option<Vec<&'s [String]>> {
        let alternatives = match (self.any_of, self.one_of) {
            (alternatives, []) | ([], alternatives) if !alternatives.is_empty() => alternatives,
            _ => return None,
        };
        alternatives
            .iter()
            .map(|alternative| match alternative {
                ReferenceOr::Item(schema) => {
                    let view = View::of(schema);
                    (view.role() == PartRole::Requires).then_some(view.required)
                }
                ReferenceOr::Reference { .. } => None,
            })
            .collect()
    }

    /// Whether the schema is only a string enum (no composition, no properties): what may stand
    /// for another such enum of the same values.
    fn is_plain_string_enum(&self) -> bool {
        self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && !self.not
            && self.properties.is_none()
            && matches!(self.typ, None | Some("string"))
            && !self.enum_strings.is_empty()
    }

    /// [`View::required_alternatives`] as the rule the struct beside them keeps.
    fn presence_rule(&self) -> Option<PresenceRule> {
        let sets = self.required_alternatives()?;
        Some(PresenceRule {
            exactly_one: self.any_of.is_empty(),
            sets: sets.into_iter().map(<[String]>::to_vec).collect(),
        })
    }

    /// What the schema adds as a part of an `allOf`.
    fn role(&self) -> PartRole {
        let rule_only = self.required_alternatives().is_some();
        let shapeless = matches!(self.typ, None | Some("object"))
            && self.format.is_none()
            && self.enum_strings.is_empty()
            && self.enum_integers.is_empty()
            && !self.other_enum
            && self.properties.is_none_or(IndexMap::is_empty)
            && self.additional.is_none()
            && self.items.is_none()
            && self.all_of.is_empty()
            && (rule_only || (self.one_of.is_empty() && self.any_of.is_empty()))
            && !self.not;
        match (shapeless, self.required.is_empty()) {
            (true, true) => PartRole::Annotates,
            (true, false) => PartRole::Requires,
            (false, _) => PartRole::Shapes,
        }
    }
}

/// What a part of an `allOf` contributes. OpenAPI 3.0 ignores keywords beside a `$ref`, so specs
/// add a description, flags or limits to a referenced schema as further `allOf` parts
/// (DigitalOcean's spec does it dozens of times); those parts do not change the value's shape.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PartRole {
    /// Only annotations (description, flags, examples), value limits, `type: object` with
    /// nothing in it, or alternatives that only require properties (a rule the merged struct
    /// keeps, see `Lowerer::keep_rules`).
    Annotates,
    /// As [`PartRole::Annotates`], plus `required` names for the object's properties.
    Requires,
    /// A type, properties, items, an enum or a composition.
    Shapes,
}

/// What a property or parameter takes from its schema besides the type (following `$ref`s).
pub(crate) struct SchemaMeta {
    pub description: Option<String>,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub default: Option<serde_json::Value>,
    pub example: Option<serde_json::Value>,
    pub constraints: Constraints,
}

impl SchemaMeta {
    fn of(data: &openapiv3::SchemaData, constraints: Constraints) -> Self {
        SchemaMeta {
            description: doc_of(data),
            nullable: data.nullable,
            read_only: data.read_only,
            write_only: data.write_only,
            deprecated: data.deprecated,
            default: data.default.clone(),
            example: data.example.clone(),
            constraints,
        }
    }

    /// Adds what `other` says where `self` says nothing; a flag set by either is set, and limits
    /// both give are narrowed to what meets both (of two patterns, `self`'s is kept).
    fn add(&mut self, other: SchemaMeta) {
        if self.description.is_none() {
            self.description = other.description;
        }
        self.nullable |= other.nullable;
        self.read_only |= other.read_only;
        self.write_only |= other.write_only;
        self.deprecated |= other.deprecated;
        if self.default.is_none() {
            self.default = other.default;
        }
        if self.example.is_none() {
            self.example = other.example;
        }
        self.constraints.narrow(other.constraints);
    }
}

/// How many schemas may be lowered inside one another. Lowering recurses once per level, and
/// the thread it runs on (see `crate::on_lowering_thread`) has stack for many times this.
pub(crate) const MAX_NESTING: usize = 1000;

/// How many `allOf`s within `allOf`s are merged into one struct.
const MAX_ALL_OF_NESTING: usize = 32;

/// How many `Vec`s and maps one type may nest (`Vec<Vec<…>>`).
const MAX_LIST_NESTING: usize = 32;

/// What names a schema's type if one must be made and the schema has no name of its own: a
/// name, or a closure that makes one, called only then. Most schemas are `$ref`s to types
/// already made or plain values, and making a name (with `heck`) for each of them was a tenth
/// of lowering.
pub(crate) trait Hint {
    /// The name.
    fn name(&self) -> String;
}

impl Hint for str {
    fn name(&self) -> String {
        self.to_owned()
    }
}

impl Hint for String {
    fn name(&self) -> String {
        self.clone()
    }
}

impl<F: Fn() -> String> Hint for F {
    fn name(&self) -> String {
        self()
    }
}

impl<'d> Lowerer<'d> {
    /// The type of a schema or `$ref`. `at` is where the schema (or the `$ref`) sits; `hint` names
    /// the type if one must be made and the schema has no name of its own.
    pub(crate) fn schema_type(
        &mut self,
        schema: SchemaOrRef<'_>,
        at: &Pointer,
        hint: &(impl Hint + ?Sized),
    ) -> TypeRef {
        let Some((pointer, schema)) = self.resolve_schema(schema, at) else {
            return TypeRef::Primitive(Primitive::Json);
        };
        let nullable = schema.schema_data.nullable;
        let ty = if let Some(done) = self.memo.get(&pointer) {
            done.clone()
        } else if self.active.contains(&pointer) {
            self.warn(
                "recursive-alias",
                "this schema contains itself with no object in between; it is typed as \
                 `serde_json::Value`",
                &pointer,
            );
            TypeRef::Primitive(Primitive::Json)
        } else if self.active.len() >= MAX_NESTING {
            // Only a chain of `$ref`s gets here (parsing stops inline nesting at 128 levels);
            // the schema is still lowered as its own type when it is reached from higher up.
            self.warn(
                "schema-too-deep",
                format!(
                    "schemas nest more than {MAX_NESTING} levels deep here (through `$ref`s); \
                     this one is typed as `serde_json::Value` at this place"
                ),
                &pointer,
            );
            TypeRef::Primitive(Primitive::Json)
        } else {
            let name = || match (pointer.component_name("schemas"), &schema.schema_data.title) {
                (Some(component), _) => names::type_name(&component),
                (None, Some(title)) => titled_name(title, &pointer, hint),
                _ => hint.name(),
            };
            self.active.insert(pointer.clone());
            let mut ty = self.lower_schema(&schema, &pointer, &name);
            self.active.remove(&pointer);
            if ty.nesting() > MAX_LIST_NESTING {
                // Lists of lists are inlined, so a chain of `$ref`d arrays would grow one type
                // without bound (and every later pass that walks it).
                self.warn(
                    "schema-too-deep",
                    format!(
                        "lists and maps nest more than {MAX_LIST_NESTING} levels deep here; this \
                         one is typed as `serde_json::Value`"
                    ),
                    &pointer,
                );
                ty = TypeRef::Primitive(Primitive::Json);
            }
            self.memo.insert(pointer.clone(), ty.clone());
            ty
        };
        if let Some(sites) = &mut self.sites {
            let site = SchemaSite {
                ty: ty.clone(),
                nullable,
            };
            sites.insert(pointer, site.clone());
            sites.insert(at.clone(), site);
        }
        ty
    }

    /// Description, flags, default and constraints of a property's or parameter's schema.
    pub(crate) fn schema_meta(&mut self, schema: SchemaOrRef<'_>, at: &Pointer) -> SchemaMeta {
        self.meta_within(schema, at, 0)
    }

    /// [`Lowerer::schema_meta`] `depth` `allOf`s down: a schema that is its own `allOf` part (or
    /// a longer loop of them) is followed only [`MAX_ALL_OF_NESTING`] times.
    fn meta_within(&mut self, schema: SchemaOrRef<'_>, at: &Pointer, depth: usize) -> SchemaMeta {
        let own = match schema {
            SchemaOrRef::Item(schema) => Some(schema),
            SchemaOrRef::Ref(_) => None,
        };
        let resolved = self.resolve_schema(schema, at);
        let target = match (own, &resolved) {
            (Some(schema), _) => Some(schema),
            (None, Some((_, schema))) => Some(&**schema),
            (None, None) => None,
        };
        let Some(target) = target else {
            return SchemaMeta::of(&openapiv3::SchemaData::default(), Constraints::default());
        };
        let pointer = resolved.as_ref().map_or(at, |(p, _)| p).clone();
        let view = View::of(target);
        let constraints = self.checked_constraints(view.constraints.clone(), &pointer);
        let mut meta = SchemaMeta::of(&target.schema_data, constraints);
        if !view.all_of.is_empty() && depth < MAX_ALL_OF_NESTING {
            self.all_of_meta(&mut meta, &view, &pointer, depth);
        }
        meta
    }

    /// Adds to `meta` what an `allOf`'s parts say of the value: every annotating part's
    /// description, flags, examples and limits, then, where the value is one part's type (see
    /// [`Lowerer::all_of`]), that part's as a `$ref` would give them.
    fn all_of_meta(&mut self, meta: &mut SchemaMeta, view: &View<'_>, at: &Pointer, depth: usize) {
        let mut roles = Vec::with_capacity(view.all_of.len());
        for (i, part) in view.all_of.iter().enumerate() {
            let part_at = at.join("allOf").join(i.to_string());
            let Some((pointer, schema)) = self.resolve_schema(part.into(), &part_at) else {
                roles.push(PartRole::Shapes);
                continue;
            };
            let part_view = View::of(&schema);
            let role = part_view.role();
            roles.push(role);
            if role == PartRole::Shapes {
                continue;
            }
            let constraints = self.checked_constraints(part_view.constraints, &pointer);
            meta.add(SchemaMeta::of(&schema.schema_data, constraints));
        }
        if let Shaping::One(i) = Shaping::of(view, || roles) {
            let part_at = at.join("allOf").join(i.to_string());
            let part = self.meta_within((&view.all_of[i]).into(), &part_at, depth + 1);
            meta.add(part);
        }
        let limits = std::mem::take(&mut meta.constraints);
        meta.constraints = self.met_limits(limits, at, true);
    }

    /// Keeps only patterns the generated client can check: JavaScript `/.../` delimiters are
    /// removed, and a pattern that does not compile is dropped, each with a warning.
    fn checked_constraints(&mut self, mut constraints: Constraints, at: &Pointer) -> Constraints {
        if let Some(pattern) = constraints.pattern.take() {
            let mut pattern = pattern;
            if pattern.len() >= 2 && pattern.starts_with('/') && pattern.ends_with('/') {
                self.warn(
                    "javascript-pattern",
                    format!(
                        "`pattern: {pattern}` is written with JavaScript delimiters; it is \
                         checked without the slashes"
                    ),
                    &at.join("pattern"),
                );
                pattern = pattern[1..pattern.len() - 1].to_owned();
            }
            match regex_lite::Regex::new(&pattern) {
                Ok(_) => constraints.pattern = Some(pattern),
                Err(e) => self.warn(
"pattern-not-checked",
                    format!("`pattern` is not checked: it is not a regular expression apigen can run ({e})"),
                    &at.join("pattern"),
                ),
            }
        }
        self.met_limits(constraints, at, false)
    }

    /// Limits no value meets would make the client refuse every call: both are dropped. With
    /// `of_parts`, they are an `allOf`'s parts' limits together (each part's own were checked).
    fn met_limits(&mut self, mut c: Constraints, at: &Pointer, of_parts: bool) -> Constraints {
        if let (Some((low, low_exclusive)), Some((high, high_exclusive))) = (c.minimum, c.maximum) {
            if low > high || (low == high && (low_exclusive || high_exclusive)) {
                (c.minimum, c.maximum) = (None, None);
                self.contradiction(at, "minimum", "maximum", of_parts);
            }
        }
        if let (Some(low), Some(high)) = (c.min_length, c.max_length) {
            if low > high {
                (c.min_length, c.max_length) = (None, None);
                self.contradiction(at, "minLength", "maxLength", of_parts);
            }
        }
        if let (Some(low), Some(high)) = (c.min_items, c.max_items) {
            if low > high {
                (c.min_items, c.max_items) = (None, None);
                self.contradiction(at, "minItems", "maxItems", of_parts);
            }
        }
        c
    }

    fn contradiction(&mut self, at: &Pointer, low: &str, high: &str, of_parts: bool) {
        if of_parts {
            self.warn(
                "constraints-contradict",
                format!(
                    "no value meets both the `{low}` and the `{high}` of this `allOf`'s parts; \
                     neither is checked"
                ),
                at,
            );
            return;
        }
        self.warn(
            "constraints-contradict",
            format!("no value meets both `{low}` and `{high}`; neither is checked"),
            &at.join(low),
        );
    }

    /// The one dispatch over schema constructs.
    /// The type of a schema at `at`, which `name` names if it makes one.
    fn lower_schema(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        name: &dyn Fn() -> String,
    ) -> TypeRef {
        let view = View::of(schema);
        if !view.all_of.is_empty() {
            self.composition_beside_all_of(&view, at);
            return self.all_of(schema, &view, at, &name());
        }
        // Alternatives that only require properties are a rule about the object they stand
        // beside ("inbound rules, or outbound rules"), not types of their own.
        let mut rule = view.presence_rule();
        if rule.is_none() && !view.one_of.is_empty() {
            return self.one_of(schema, view.one_of, "oneOf", at, &name());
        } else if rule.is_none() && !view.any_of.is_empty() {
            return self.one_of(schema, view.any_of, "anyOf", at, &name());
        }
        if let Some(rule) = rule.take_if(|_| !view.is_object()) {
            self.warn_required_alternatives(&rule, at);
        }
        if view.not {
            self.warn(
"not-schema",
                "`not` cannot be expressed as a Rust type; the value is typed as `serde_json::Value`",
                at,
            );
            return TypeRef::Primitive(Primitive::Json);
        }
        if !view.enum_strings.is_empty() && matches!(view.typ, None | Some("string")) {
            let values = view.enum_strings.iter().map(|value| (value.clone(), None));
            return self.string_enum(schema, values.collect(), at, &name());
        }
        if !view.enum_integers.is_empty() && view.typ == Some("integer") {
            return self.int_enum(schema, &view, at, &name());
        }
        if view.other_enum {
            self.warn(
                "enum-not-enforced",
                "an `enum` of values that are not strings or integers is not enforced; the plain \
                 type is used",
                at,
            );
        }
        if view.is_object() {
            let ty = self.object(schema, &view, at, &name());
            let keeper = match ty {
                TypeRef::Named(id) => Some(id),
                _ => None,
            };
            self.keep_rules(keeper, rule.map(|rule| (rule, at.clone())));
            return ty;
        }
        match view.typ {
            Some("string") => TypeRef::Primitive(self.string_format(schema, &view, at)),
            Some("integer") => TypeRef::Primitive(match view.format.as_deref() {
                Some("int32") => Primitive::I32,
                _ => Primitive::I64,
            }),
            // `float` too: JSON numbers are decimal, and an `f32` turns 17.0531 into
            // 17.0531005859375.
            Some("number") => TypeRef::Primitive(Primitive::F64),
            Some("boolean") => TypeRef::Primitive(Primitive::Bool),
            Some("array") => self.array(view.items, at, name),
            None if view.items.is_some() => self.array(view.items, at, name),
            None => TypeRef::Primitive(Primitive::Json),
            Some(other) => {
                self.warn(
                    "unknown-type",
                    format!("unknown `type: {other}`; the value is typed as `serde_json::Value`"),
                    at,
                );
                TypeRef::Primitive(Primitive::Json)
            }
        }
    }

    /// The type of a string by its format; a format the schema's own example breaks (Circle's
    /// `uuid` ids such as `key1`) is not trusted, so that real responses still decode.
    fn string_format(&mut self, schema: &Schema, view: &View<'_>, at: &Pointer) -> Primitive {
        let (primitive, fits): (Primitive, fn(&str) -> bool) = match view.format.as_deref() {
            Some("uuid") => (Primitive::Uuid, formats::is_uuid),
            Some("date-time") => (Primitive::DateTime, formats::is_date_time),
            Some("date") => (Primitive::Date, formats::is_date),
            // byte (base64), binary, password, email, uri and custom formats stay text.
            _ => return Primitive::String,
        };
        match schema.schema_data.example.as_ref().and_then(|e| e.as_str()) {
            Some(example) if !fits(example) => {
                self.warn(
                    "example-contradicts-format",
                    format!(
                        "the example `{example}` is not a {}; the value is typed as `String`",
                        view.format.as_deref().unwrap_or_default()
                    ),
                    &at.join("example"),
                );
                Primitive::String
            }
            _ => primitive,
        }
    }

    fn array(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        at: &Pointer,
        name: &dyn Fn() -> String,
    ) -> TypeRef {
        let item = match items {
            Some(items) => self.schema_type(items.into(), &at.join("items"), &|| {
                format!("{}Item", name())
            }),
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
        let kind = TypeKind::Struct(Struct {
            fields,
            additional,
            ..Struct::default()
        });
        self.set_kind(id, kind);
        TypeRef::Named(id)
    }

    /// The type of `additionalProperties` values: a schema's type, `Value` for `true`, nothing
    /// for `false` or absent.
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
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Primitive(Primitive::Json)),
            _ => None,
        }
    }

    fn reserve_struct(&mut self, name: &str, at: &Pointer, schema: &Schema) -> TypeId {
        let id = self.add_type(
            name.to_owned(),
            at.clone(),
            doc_of(&schema.schema_data),
            TypeKind::Struct(Struct::default()),
        );
        self.set_deprecated(id, schema.schema_data.deprecated);
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
        let hint = || format!("{parent_name}{}", names::type_name(wire));
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
            write_only: meta.write_only,
            constraints: meta.constraints,
            default: meta.default,
            idempotency_key: false,
        }
    }

    /// `allOf`: the parts' properties merged into one struct. A single part with nothing beside
    /// it (the usual way to attach a description to a `$ref`) is that part's type.
    ///
    /// Parts that only annotate (see [`PartRole`]) are left out of the choice: with one part
    /// giving the shape and nothing else required, the value is that part's type (a `$ref` with
    /// a description is the referenced type, not a copy of it), and a field takes the
    /// annotations through [`Lowerer::schema_meta`].
    fn all_of(&mut self, schema: &Schema, view: &View<'_>, at: &Pointer, name: &str) -> TypeRef {
        let shaping = self.all_of_shape(view, at);
        match shaping {
            Shaping::One(i) => {
                // That part keeps its own rules when it is lowered.
                let rules = self.all_of_rules(view, at, Some(i));
                let part = &view.all_of[i];
                let part_at = at.join("allOf").join(i.to_string());
                let ty = self.schema_type(part.into(), &part_at, name);
                // An inline part's struct is this schema's alone; a `$ref`'d one's is shared
                // (DigitalOcean's firewall bodies are `Firewall`), also where the rules do not
                // apply.
                let keeper = match (part, &ty) {
                    (ReferenceOr::Item(_), TypeRef::Named(id)) => Some(*id),
                    _ => None,
                };
                // Its struct is this schema's, so this schema's description is its own.
                if let Some(def) = keeper.and_then(|id| self.type_mut(id)) {
                    def.doc = def.doc.take().or_else(|| doc_of(&schema.schema_data));
                }
                self.keep_rules(keeper, rules);
                return ty;
            }
            Shaping::Nothing => {
                let rules = self.all_of_rules(view, at, None);
                self.keep_rules(None, rules);
                return TypeRef::Primitive(Primitive::Json);
            }
            Shaping::Merged => {}
        }
        let rules = self.all_of_rules(view, at, None);
        let id = self.reserve_struct(name, at, schema);
        let mut merged = Merged::default();
        for (i, part) in view.all_of.iter().enumerate() {
            let part_at = at.join("allOf").join(i.to_string());
            self.merge_part(part.into(), &part_at, name, &mut merged, 0);
        }
        if let Some(properties) = view.properties {
            for (wire, property) in properties {
                merged.push(self, wire, property.into(), view.required, at, name);
            }
        }
        merged.required.extend(view.required.iter().cloned());
        if merged.too_deep {
            self.warn(
                "schema-too-deep",
                format!(
                    "`allOf` parts nest more than {MAX_ALL_OF_NESTING} levels deep below this \
                     schema; the deeper parts' properties are left out of its struct"
                ),
                at,
            );
        }
        let Merged {
            mut fields,
            required,
            additional,
            ..
        } = merged;
        for field in &mut fields {
            field.required |= required.contains(&field.wire);
        }
        let kind = TypeKind::Struct(Struct {
            fields,
            additional,
            ..Struct::default()
        });
        self.set_kind(id, kind);
        self.keep_rules(Some(id), rules);
        TypeRef::Named(id)
    }

    /// The rules on required properties an `allOf` states beside its parts and in them (but
    /// `skip`), each with where it is written.
    fn all_of_rules(
        &mut self,
        view: &View<'_>,
        at: &Pointer,
        skip: Option<usize>,
    ) -> Vec<(PresenceRule, Pointer)> {
        let mut rules: Vec<_> = view
            .presence_rule()
            .map(|rule| (rule, at.clone()))
            .into_iter()
            .collect();
        for (i, part) in view.all_of.iter().enumerate() {
            if skip == Some(i) {
                continue;
            }
            let part_at = at.join("allOf").join(i.to_string());
            if let Some((pointer, schema)) = self.resolve_schema(part.into(), &part_at) {
                rules.extend(
                    View::of(&schema)
                        .presence_rule()
                        .map(|rule| (rule, pointer)),
                );
            }
        }
        rules
    }

    /// Gives each rule to the struct `keeper` when it names only the struct's properties; a
    /// rule that cannot be kept is reported (`required-alternatives-unchecked`).
    fn keep_rules(
        &mut self,
        keeper: Option<TypeId>,
        rules: impl IntoIterator<Item = (PresenceRule, Pointer)>,
    ) {
        for (rule, at) in rules {
            let target = keeper
                .and_then(|id| self.types.get_mut(&id))
                .map(|def| &mut def.kind);
            match target {
                Some(TypeKind::Struct(s))
                    if rule
                        .sets
                        .iter()
                        .flatten()
                        .all(|name| s.fields.iter().any(|f| &f.wire == name)) =>
                {
                    s.rules.push(rule);
                }
                _ => self.warn_required_alternatives(&rule, &at),
            }
        }
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
        if depth > MAX_ALL_OF_NESTING {
            merged.too_deep = true;
            return;
        }
        if !merged.visited.insert(pointer.clone()) {
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
        if view.all_of.is_empty() && !view.is_object() && view.role() == PartRole::Shapes {
            self.warn(
                "allof-non-object",
                "this `allOf` part is not an object; only object parts are merged",
                &pointer,
            );
        }
    }

    /// Whether an `allOf` is one of its parts' type: the only part (with no properties of its
    /// own beside it), or the only one that gives a shape when none requires properties.
    fn all_of_shape(&mut self, view: &View<'_>, at: &Pointer) -> Shaping {
        Shaping::of(view, || {
            view.all_of
                .iter()
                .enumerate()
                .map(|(i, part)| {
                    let part_at = at.join("allOf").join(i.to_string());
                    let (_, schema) = self.resolve_schema(part.into(), &part_at)?;
                    Some(View::of(&schema).role())
                })
                .map(|role| role.unwrap_or(PartRole::Shapes))
                .collect()
        })
    }

    /// An `anyOf`/`oneOf` beside an `allOf` is not typed: the `allOf` is. A rule about required
    /// properties is reported as such; real alternatives are left out with a warning, and ones
    /// that give no shape (buildomat's `oneOf: [{}]`) say nothing to leave out.
    fn composition_beside_all_of(&mut self, view: &View<'_>, at: &Pointer) {
        // A rule on required properties goes with the struct (`all_of_rules`).
        if view.required_alternatives().is_some() {
            return;
        }
        for (keyword, alternatives) in [("oneOf", view.one_of), ("anyOf", view.any_of)] {
            let shapeless = |alternative: &ReferenceOr<Schema>| match alternative {
                ReferenceOr::Item(schema) => View::of(schema).role() == PartRole::Annotates,
                ReferenceOr::Reference { .. } => false,
            };
            if !alternatives.iter().all(shapeless) {
                self.warn(
                    "composition-beside-allof",
                    format!(
                        "this `{keyword}` stands beside an `allOf`; the type is the `allOf`'s \
                         and the alternatives are left out"
                    ),
                    &at.join(keyword),
                );
            }
        }
    }

    /// A rule on required properties that no struct of this spec's keeps: the server checks it.
    fn warn_required_alternatives(&mut self, rule: &PresenceRule, at: &Pointer) {
        self.warn(
            "required-alternatives-unchecked",
            format!(
                "this `{}` asks for {}; the client does not check it, the server will",
                rule.keyword(),
                rule.wanted()
            ),
            &at.join(rule.keyword()),
        );
    }

    /// `oneOf`/`anyOf`: an enum with a variant per alternative. A single alternative is that
    /// alternative's type.
    fn one_of(
        &mut self,
        schema: &Schema,
        alternatives: &[ReferenceOr<Schema>],
        keyword: &str,
        at: &Pointer,
        name: &str,
    ) -> TypeRef {
        if alternatives.len() == 1 {
            return self.schema_type((&alternatives[0]).into(), &at.join(keyword).join("0"), name);
        }
        if let Some(values) = enum_alternatives(alternatives) {
            return self.string_enum(schema, values, at, name);
        }
        // Registered first: an alternative may contain the enum itself.
        let id = self.add_type(
            name.to_owned(),
            at.clone(),
            doc_of(&schema.schema_data),
            TypeKind::OneOf(OneOf::default()),
        );
        self.set_deprecated(id, schema.schema_data.deprecated);
        self.memo.insert(at.clone(), TypeRef::Named(id));

        let mut variants = Vec::with_capacity(alternatives.len());
        for (i, alternative) in alternatives.iter().enumerate() {
            let alt_at = at.join(keyword).join(i.to_string());
            let origin = self
                .resolve_schema(alternative.into(), &alt_at)
                .map_or_else(|| alt_at.clone(), |(pointer, _)| pointer);
            let hint = format!("{name}{}", i + 1);
            let ty = self.schema_type(alternative.into(), &alt_at, &hint);
            variants.push(OneOfVariant {
                name: String::new(),
                ty,
                origin,
                tags: Vec::new(),
                keys: None,
            });
        }
        let (discriminator, mapping) = match &schema.schema_data.discriminator {
            Some(d) => {
                let mut mapping = Vec::new();
                for (value, target) in &d.mapping {
                    let pointer = if target.starts_with('#') {
                        Pointer::parse_ref(target)
                    } else {
                        // A bare schema name.
                        Some(
                            Pointer::root()
                                .join("components")
                                .join("schemas")
                                .join(target),
                        )
                    };
                    match pointer {
                        Some(pointer) => mapping.push((value.clone(), pointer)),
                        None => self.warn(
"external-mapping",
                            format!("discriminator mapping `{value}: {target}` points into another file; it is ignored"),
                            &at.join("discriminator").join("mapping"),
                        ),
                    }
                }
                (Some(d.property_name.clone()), mapping)
            }
            None => (None, Vec::new()),
        };
        self.set_kind(
            id,
            TypeKind::OneOf(OneOf {
                variants,
                discriminator,
                mapping,
                tag: None,
            }),
        );
        TypeRef::Named(id)
    }

    /// An open enum of `values` (each with what it means, if the spec says), each once.
    fn string_enum(
        &mut self,
        schema: &Schema,
        mut values: Vec<(String, Option<String>)>,
        at: &Pointer,
        name: &str,
    ) -> TypeRef {
        let mut seen = BTreeSet::new();
        values.retain(|(value, _)| seen.insert(value.clone()));
        let wires: Vec<String> = values.iter().map(|(value, _)| value.clone()).collect();
        if let Some(same) = self.same_component_enum(schema, &wires, at) {
            return same;
        }
        let variants = values
            .into_iter()
            .map(|(value, doc)| EnumVariant {
                name: names::variant_name(&value),
                wire: value,
                doc,
            })
            .collect();
        let id = self.add_type(
            name.to_owned(),
            at.clone(),
            doc_of(&schema.schema_data),
            TypeKind::Enum(StringEnum { variants }),
        );
        self.set_deprecated(id, schema.schema_data.deprecated);
        TypeRef::Named(id)
    }

    /// The component schema an inline string enum repeats, value for value and in order (Circle
    /// spells out its `Chain` schema's values again in the `chain` query parameter): a person
    /// would use that type there, and its values then pass from a response to a filter as they
    /// are. Nothing when several components have those values, or either side is deprecated.
    fn same_component_enum(
        &mut self,
        schema: &Schema,
        values: &[String],
        at: &Pointer,
    ) -> Option<TypeRef> {
        if at.component_name("schemas").is_some() || schema.schema_data.deprecated {
            return None;
        }
        let component = self.component_enums.get(values)?.clone()?;
        let doc = self.doc;
        let ReferenceOr::Item(target) = doc.api.components.as_ref()?.schemas.get(&component)?
        else {
            return None;
        };
        let target_at = Pointer::root()
            .join("components")
            .join("schemas")
            .join(&component);
        Some(self.schema_type(SchemaOrRef::Item(target), &target_at, &component))
    }

    fn int_enum(&mut self, schema: &Schema, view: &View<'_>, at: &Pointer, name: &str) -> TypeRef {
        let mut seen = BTreeSet::new();
        let variants = view
            .enum_integers
            .iter()
            .filter(|value| seen.insert(**value))
            .map(|value| IntVariant {
                name: if *value < 0 {
                    format!("Minus{}", value.unsigned_abs())
                } else {
                    format!("V{value}")
                },
                value: *value,
            })
            .collect();
        let id = self.add_type(
            name.to_owned(),
            at.clone(),
            doc_of(&schema.schema_data),
            TypeKind::IntEnum(IntEnum { variants }),
        );
        self.set_deprecated(id, schema.schema_data.deprecated);
        TypeRef::Named(id)
    }

    fn set_kind(&mut self, id: TypeId, kind: TypeKind) {
        if let Some(def) = self.type_mut(id) {
            def.kind = kind;
        }
    }

    fn set_deprecated(&mut self, id: TypeId, deprecated: bool) {
        if let Some(def) = self.type_mut(id) {
            def.deprecated = deprecated;
        }
    }
}

/// The name a `title` gives a schema whose place suggests `hint`: the title, unless it only
/// repeats the name of the property (or other key) the schema sits under, as `title: type` on a
/// property `type` does (DigitalOcean titles most properties so). Such a title would name the
/// type `Type`, which says less than `AddonsAppMetadataType` and takes a name many such types
/// want.
fn titled_name(title: &str, at: &Pointer, hint: &(impl Hint + ?Sized)) -> String {
    let name = names::type_name(title);
    let repeats_key = at.last().is_some_and(|key| names::type_name(&key) == name);
    if title.trim().is_empty() || repeats_key {
        hint.name()
    } else {
        name
    }
}

/// The values of a `oneOf`/`anyOf` whose alternatives are all inline string enums, each with
/// its alternative's description: how schemars documents a Rust enum's unit variants (Nexus's
/// `InstanceState`: `creating`, "The instance is being created.", ...). Such a `oneOf` is one
/// open enum: ten one-value open enums would each decode any string.
fn enum_alternatives(
    alternatives: &[ReferenceOr<Schema>],
) -> Option<Vec<(String, Option<String>)>> {
    let mut values = Vec::new();
    for alternative in alternatives {
        let ReferenceOr::Item(schema) = alternative else {
            return None;
        };
        let view = View::of(schema);
        if !view.is_plain_string_enum() {
            return None;
        }
        let doc = doc_of(&schema.schema_data);
        values.extend(
            view.enum_strings
                .iter()
                .map(|value| (value.clone(), doc.clone())),
        );
    }
    Some(values)
}

/// The values in their first order, each once.
fn distinct(values: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values
        .iter()
        .filter(|value| seen.insert(value.as_str()))
        .cloned()
        .collect()
}

/// The component schemas that are plain string enums of two values or more, by their distinct
/// values; `None` for values several components share, which no inline enum can be said to mean.
pub(super) fn component_enums(
    doc: &crate::load::Document,
) -> BTreeMap<Vec<String>, Option<String>> {
    let mut enums = BTreeMap::new();
    let schemas = doc.api.components.iter().flat_map(|c| &c.schemas);
    for (name, schema) in schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let view = View::of(schema);
        let values = distinct(&view.enum_strings);
        // One value is a tag (`type: [card]`), which many unrelated objects share.
        if !view.is_plain_string_enum() || values.len() < 2 || schema.schema_data.deprecated {
            continue;
        }
        enums
            .entry(values)
            .and_modify(|shared: &mut Option<String>| *shared = None)
            .or_insert_with(|| Some(name.clone()));
    }
    enums
}

/// Shape checks for the string formats that have their own Rust types.
pub(crate) mod formats {
    fn digits(s: &str) -> bool {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
    }

    pub(crate) fn is_uuid(s: &str) -> bool {
        let groups: Vec<&str> = s.split('-').collect();
        groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
            && groups
                .iter()
                .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    pub(crate) fn is_date(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).eq([4, 2, 2]) && parts.iter().all(|p| digits(p))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
    pub(crate) fn is_date_time(s: &str) -> bool {
        let Some((date, time)) = s.split_once(['T', 't']) else {
            return false;
        };
        let (clock, zone_ok) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
            (clock, true)
        } else if let Some(at) = time.rfind(['+', '-']) {
            let zone: Vec<&str> = time[at + 1..].split(':').collect();
            (
                &time[..at],
                zone.iter().map(|z| z.len()).eq([2, 2]) && zone.iter().all(|z| digits(z)),
            )
        } else {
            return false;
        };
        let (hms, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
        let hms: Vec<&str> = hms.split(':').collect();
        is_date(date)
            && zone_ok
            && digits(fraction)
            && hms.iter().map(|p| p.len()).eq([2, 2, 2])
            && hms.iter().all(|p| digits(p))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn formats() {
            assert!(is_uuid("b8627ae8-732b-4d25-b947-1df8f4007a29"));
            assert!(!is_uuid("key1"));
            assert!(is_date("2020-04-10") && !is_date("2020-4-10"));
            assert!(is_date_time("2020-04-10T02:13:30.000Z"));
            assert!(is_date_time("2020-04-10T02:13:30+02:00"));
            assert!(!is_date_time("2020-04-10 02:13:30"));
            assert!(!is_date_time("yesterday"));
        }
    }
}

/// What [`Lowerer::all_of_shape`] found.
#[derive(Clone, Copy)]
enum Shaping {
    /// Every part only annotates: any value.
    Nothing,
    /// This part alone gives the shape.
    One(usize),
    /// Several parts do, or one requires properties: the parts are merged into a struct.
    Merged,
}

impl Shaping {
    /// The shape of an `allOf` whose parts have `roles` (asked for only when the schema's own
    /// properties or a single part do not settle it).
    fn of(view: &View<'_>, roles: impl FnOnce() -> Vec<PartRole>) -> Shaping {
        if view.properties.is_some_and(|p| !p.is_empty()) {
            return Shaping::Merged;
        }
        if view.all_of.len() == 1 {
            return Shaping::One(0);
        }
        let mut shaping = Shaping::Nothing;
        for (i, role) in roles().into_iter().enumerate() {
            shaping = match (role, shaping) {
                (PartRole::Annotates, shaping) => shaping,
                (PartRole::Shapes, Shaping::Nothing) => Shaping::One(i),
                _ => return Shaping::Merged,
            };
        }
        shaping
    }
}

/// Properties gathered from the parts of an `allOf`.
#[derive(Default)]
struct Merged {
    fields: Vec<Field>,
    required: BTreeSet<String>,
    additional: Option<TypeRef>,
    visited: BTreeSet<Pointer>,
    /// Some part was past [`MAX_ALL_OF_NESTING`] and left out.
    too_deep: bool,
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
                "allof-conflict",
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
/// by-value fields or enum alternatives): those need a `Box` for the type to have a size.
pub(crate) fn mark_boxed_fields(types: &mut BTreeMap<TypeId, TypeDef>) {
    let direct = |def: &TypeDef| -> Vec<TypeId> {
        let named = |ty: &TypeRef| match ty {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        };
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
            TypeKind::OneOf(o) => o.variants.iter().filter_map(|v| named(&v.ty)).collect(),
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

/// Settles how each `oneOf` picks its variant, once every alternative's type is known:
/// variant names, the values of the tag property that select each variant, and the keys each
/// object alternative (or values each string enum alternative) knows.
pub(crate) fn settle_one_ofs(types: &mut BTreeMap<TypeId, TypeDef>) {
    let ids: Vec<TypeId> = types
        .iter()
        .filter(|(_, d)| matches!(d.kind, TypeKind::OneOf(_)))
        .map(|(id, _)| *id)
        .collect();
    for id in ids {
        let Some(TypeDef {
            kind: TypeKind::OneOf(one_of),
            name: enum_name,
            ..
        }) = types.get(&id).cloned()
        else {
            continue;
        };
        let mut one_of = one_of;
        let struct_of = |ty: &TypeRef| match ty {
            TypeRef::Named(id) => match types.get(id).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        // Enum values a struct declares for a property.
        let enum_values = |s: &Struct, property: &str| -> Option<Vec<String>> {
            let field = s.fields.iter().find(|f| f.wire == property)?;
            match &field.ty {
                TypeRef::Named(id) => match types.get(id).map(|d| &d.kind) {
                    Some(TypeKind::Enum(e)) => {
                        Some(e.variants.iter().map(|v| v.wire.clone()).collect())
                    }
                    _ => None,
                },
                _ => None,
            }
        };
        let structs: Vec<Option<Struct>> =
            one_of.variants.iter().map(|v| struct_of(&v.ty)).collect();

        // The tag: the discriminator, else a property all alternatives declare as an enum, with
        // no value shared between two alternatives.
        let tag = one_of.discriminator.clone().or_else(|| {
            let first = structs.first()?.as_ref()?;
            first
                .fields
                .iter()
                .map(|f| f.wire.clone())
                .find(|candidate| {
                    let mut seen = BTreeSet::new();
                    structs.iter().all(|s| {
                        s.as_ref()
                            .and_then(|s| enum_values(s, candidate))
                            .is_some_and(|values| values.into_iter().all(|v| seen.insert(v)))
                    })
                })
        });
        for (variant, s) in one_of.variants.iter_mut().zip(&structs) {
            let mut tags = Vec::new();
            if let Some(tag) = &tag {
                for (value, target) in &one_of.mapping {
                    if *target == variant.origin {
                        tags.push(value.clone());
                    }
                }
                if let Some(values) = s.as_ref().and_then(|s| enum_values(s, tag)) {
                    tags.extend(values);
                }
                // Without a mapping, OpenAPI's default tag is the schema's name.
                if one_of.discriminator.is_some() && one_of.mapping.is_empty() {
                    if let Some(name) = variant.origin.component_name("schemas") {
                        tags.push(name.into_owned());
                    }
                }
            }
            let mut seen = BTreeSet::new();
            tags.retain(|t| seen.insert(t.clone()));
            variant.tags = tags;
            variant.keys = match (s, &variant.ty) {
                (Some(s), _) => s
                    .additional
                    .is_none()
                    .then(|| s.fields.iter().map(|f| f.wire.clone()).collect()),
                // An open enum decodes any string: the values it knows tell a fit from an
                // `Unknown`, so a later alternative that knows the value (or a plain string)
                // wins.
                (None, TypeRef::Named(id)) => match types.get(id).map(|d| &d.kind) {
                    Some(TypeKind::Enum(e)) => {
                        Some(e.variants.iter().map(|v| v.wire.clone()).collect())
                    }
                    _ => None,
                },
                (None, _) => None,
            };
        }
        one_of.tag = tag;

        // Variant names: the alternatives' type names, without the words they all share. Where
        // two alternatives have one type (a component that is another's type with a new
        // description), each is named after its component instead.
        let mut type_names: Vec<String> = one_of
            .variants
            .iter()
            .map(|v| variant_base_name(types, &v.ty))
            .collect();
        let shared: Vec<bool> = type_names
            .iter()
            .map(|name| type_names.iter().filter(|n| *n == name).count() > 1)
            .collect();
        for ((name, variant), shared) in type_names.iter_mut().zip(&one_of.variants).zip(shared) {
            if let Some(component) = variant.origin.component_name("schemas") {
                if shared {
                    *name = names::type_name(&component);
                }
            }
        }
        let shortened = strip_shared_words(&type_names);
        let mut namespace = names::Namespace::with_reserved(&["Unknown"]);
        for (variant, name) in one_of.variants.iter_mut().zip(shortened) {
            // `SelfModel` and `ResultModel` share `Model`: what is left may be `Self`.
            variant.name = namespace.claim(&names::usable_variant(name));
        }
        let _ = enum_name;
        if let Some(def) = types.get_mut(&id) {
            def.kind = TypeKind::OneOf(one_of);
        }
    }
}

/// A variant name for an alternative of type `ty`.
fn variant_base_name(types: &BTreeMap<TypeId, TypeDef>, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => types
            .get(id)
            .map_or_else(|| "Variant".to_owned(), |d| d.name.clone()),
        TypeRef::Primitive(p) => match p {
            Primitive::String => "String",
            Primitive::Bool => "Bool",
            Primitive::I32 | Primitive::I64 => "Integer",
            Primitive::F64 => "Number",
            Primitive::Uuid => "Uuid",
            Primitive::DateTime => "DateTime",
            Primitive::Date => "Date",
            Primitive::Json => "Json",
        }
        .to_owned(),
        TypeRef::Array(item) => format!("{}List", variant_base_name(types, item)),
        TypeRef::Map(value) => format!("{}Map", variant_base_name(types, value)),
    }
}

/// Drops the leading and trailing words every name shares (`TransferSourceWalletLocation`,
/// `TransferSourceBlockchainLocation` → `Wallet`, `Blockchain`), unless a name would vanish.
fn strip_shared_words(names: &[String]) -> Vec<String> {
    fn words(name: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in name.chars() {
            let starts_word = c.is_ascii_uppercase()
                || out.last().is_none_or(|w| {
                    w.chars().last().is_some_and(|l| l.is_ascii_digit()) != c.is_ascii_digit()
                });
            if starts_word {
                out.push(c.to_string());
            } else if let Some(last) = out.last_mut() {
                last.push(c);
            }
        }
        out
    }
    if names.len() < 2 {
        return names.to_vec();
    }
    let split: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let prefix = (0..shortest)
        .take_while(|&i| split.iter().all(|w| w[i] == split[0][i]))
        .count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| {
            split
                .iter()
                .all(|w| w[w.len() - 1 - i] == split[0][split[0].len() - 1 - i])
        })
        .count();
    let shortened: Vec<String> = split
        .iter()
        .map(|w| w[prefix..w.len() - suffix].concat())
        .collect();
    let unique: BTreeSet<&String> = shortened.iter().collect();
    let usable = shortened
        .iter()
        .all(|n| !n.is_empty() && n.starts_with(|c: char| c.is_ascii_uppercase()))
        && unique.len() == shortened.len();
    if usable { shortened } else { names.to_vec() }
}

#[cfg(test)]
mod tests {
    use super::strip_shared_words;

    fn strip(names: &[&str]) -> Vec<String> {
        strip_shared_words(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn shared_words_are_stripped_only_when_every_name_survives() {
        assert_eq!(
            strip(&[
                "TransferSourceWalletLocation",
                "TransferSourceBlockchainLocation"
            ]),
            ["Wallet", "Blockchain"]
        );
        assert_eq!(
            strip(&["ApplePayTokenEcHeader", "ApplePayTokenRsaHeader"]),
            ["Ec", "Rsa"]
        );
        assert_eq!(
            strip(&["PaymentIntent", "ContinuousPaymentIntent"]),
            ["PaymentIntent", "ContinuousPaymentIntent"]
        );
        assert_eq!(
            strip(&["FiatPayment", "CryptoPayment", "FiatCancel"]),
            ["FiatPayment", "CryptoPayment", "FiatCancel"]
        );
        assert_eq!(strip(&["Item1", "Item2"]), ["Item1", "Item2"]);
    }
}
