//! `models.rs`: every named type — schemas, parameter structs and per-operation error enums —
//! and the checks of request bodies.

use super::doc::{DocBuilder, code};
use super::syntax::{self, integer, integer_pattern};
use super::validate::{self, Patterns};
use super::{Context, Item, Scope, estimated_size, ident, rust_type, syn_type};
use crate::ir::{
    Body, Field, IntEnum, OneOf, Param, ParamLocation, Params, StatusMatch, StatusSet, StringEnum,
    Struct, TypeDef, TypeId, TypeKind,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Enum payloads estimated above this many bytes are boxed (clippy's `large_enum_variant`).
const BOX_PAYLOAD_OVER: usize = 128;

/// `models.rs`: the module's docs, imports and statics, then one item (and its checks) per type.
pub(super) fn models_rs<'a>(
    cx: &'a Context<'a>,
) -> super::Parts<'a, (&'a TypeId, &'a TypeDef), Vec<Item>> {
    let head = move || {
        let module_doc = DocBuilder::new()
            .line(format!(
                "The data types of {}: its schemas, the parameters of each operation, and the \
                 error responses each operation documents.",
                cx.api_name()
            ))
            .inner();
        let runtime = (!cx.validated.is_empty()).then(|| {
            quote!(
                use crate::runtime;
            )
        });
        quote! {
            #module_doc
            #runtime
        }
    };
    let mut defs: Vec<(&TypeId, &TypeDef)> = cx.api.types.iter().collect();
    defs.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    // The checks' patterns, in the order the items use them (their code is made again there).
    let gather = {
        let defs = defs.clone();
        move || {
            let mut patterns = Patterns::default();
            for (id, _) in &defs {
                if cx.validated.contains(id) {
                    validate::validate_impl(cx, **id, &mut patterns);
                }
            }
            patterns
        }
    };
    super::Parts {
        file: "models.rs",
        items: defs,
        chunk_items: 64,
        verbatim: Box::new(|(id, def): (&TypeId, &TypeDef)| match &def.kind {
            TypeKind::Enum(e) => Some((placeholder_line(*id), enum_conversions(def, e))),
            TypeKind::Struct(s) => Some((placeholder_line(*id), object_serde(def, s))),
            _ => None,
        }),
        gather: Box::new(gather),
        patterns: std::sync::OnceLock::new(),
        make: Box::new(move |(id, def), patterns: &mut Patterns| {
            let tokens = |item| vec![Item::Tokens(item)];
            let mut items = match &def.kind {
                TypeKind::Struct(s) => struct_item(cx, *id, def, s),
                TypeKind::Enum(e) => vec![
                    Item::Syntax(enum_item(def, e).map(Box::new)),
                    Item::Tokens(placeholder(*id)),
                ],
                TypeKind::IntEnum(e) => tokens(int_enum_item(def, e)),
                TypeKind::OneOf(o) => tokens(one_of_item(cx, def, o)),
                TypeKind::Params(p) => vec![Item::Syntax(params_item(cx, def, p).map(Box::new))],
                TypeKind::Errors(e) => status_set_item(cx, def, e, Outcome::Error),
                TypeKind::Successes(e) => status_set_item(cx, def, e, Outcome::Success),
            };
            if cx.validated.contains(id) {
                items.push(Item::Tokens(validate::validate_impl(cx, *id, patterns)));
            }
            items
        }),
        head: Box::new(head),
        within: None,
    }
}

/// Doc lines common to every kind of type.
fn type_doc(def: &TypeDef, fallback: String) -> DocBuilder {
    let doc = DocBuilder::new().markdown(def.doc.as_deref()).or(fallback);
    if def.deprecated {
        doc.line("**Deprecated** in the spec.")
    } else {
        doc
    }
}

/// A schema's struct, made as a syntax tree (structs are most of the models, fields most of a
/// struct), then the placeholder of its serde impls.
fn struct_item(cx: &Context<'_>, id: TypeId, def: &TypeDef, s: &Struct) -> Vec<Item> {
    let name = ident(&def.name);
    let doc = s
        .rules
        .iter()
        .fold(
            type_doc(def, format!("The `{}` schema.", def.name)),
            |doc, rule| {
                // Named as the caller sets them: by field.
                let field = |wire: &str| {
                    let name = s
                        .fields
                        .iter()
                        .find(|f| f.wire == wire)
                        .map_or(wire, |f| &f.name);
                    format!("`{}`", crate::names::unraw(name))
                };
                doc.line(format!(
                    "Set {} (the spec's `{}`; checked before a request is sent).",
                    rule.describe("these", field),
                    rule.keyword()
                ))
            },
        )
        .outer_attributes();
    let item = doc.and_then(|doc| {
        let mut fields = s
            .fields
            .iter()
            .map(|f| field(cx, f))
            .collect::<syn::Result<Vec<_>>>()?;
        if let Some(ty) = &s.additional {
            let ty = syntax::fill(
                "std::collections::BTreeMap<String, __0>",
                &[syn_type(cx.api, ty, Scope::Models)?.into()],
            )?;
            let doc = DocBuilder::new()
                .line("Properties not listed above, by name.")
                .outer_attributes()?;
            fields.push(syntax::public_field(
                doc,
                ident(&additional_field_name(s)),
                ty,
            ));
        }
        syntax::named_struct(
            derives(s.fields.iter().all(Field::optional)),
            &[name.into()],
            doc,
            fields,
        )
    });
    // serde comes from `runtime::object!` (why: see there), invoked by `object_serde`.
    vec![
        Item::Syntax(item.map(Box::new)),
        Item::Tokens(placeholder(id)),
    ]
}

/// A struct of the models without fields, with its derives: `Default` too if `all_optional`.
fn derives(all_optional: bool) -> &'static str {
    if all_optional {
        "#[derive(Clone, Debug, Default, PartialEq)] pub struct __0 {}"
    } else {
        "#[derive(Clone, Debug, PartialEq)] pub struct __0 {}"
    }
}

/// The serde of a struct as the `runtime::object!` invocation that replaces its placeholder:
/// each field's wire name and kind (what is required, what may be `null`, what is left out).
fn object_serde(def: &TypeDef, s: &Struct) -> String {
    let fields = s.fields.iter().map(|f| {
        let kind = if f.tri_state() {
            "absent_or_null"
        } else if !f.required || f.idempotency_key {
            // Absent and `null` both read as `None`, and `None` is left out when sending.
            "optional"
        } else if f.nullable {
            // Required and nullable: `None` is sent as `null`.
            "nullable"
        } else {
            "required"
        };
        format!("{}: {} {kind}", ident(&f.name), Literal::string(&f.wire))
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| format!("..{}", ident(&additional_field_name(s))));
    runtime_macro("object", &def.name, fields.chain(additional))
}

/// A call of a runtime macro for a type, one entry a line. It replaces the type's
/// [`placeholder`] once the file is laid out: prettyplease would print the call's body on one
/// line.
fn runtime_macro(
    macro_name: &str,
    type_name: &str,
    entries: impl Iterator<Item = String>,
) -> String {
    let mut text = format!("crate::runtime::{macro_name}!({type_name} {{\n");
    for entry in entries {
        text.push_str(&format!("    {entry},\n"));
    }
    text.push_str("});");
    text
}

/// What a type's item leaves where its runtime macro call goes. Short whatever the type's name,
/// so that prettyplease always prints it as the one line [`placeholder_line`] finds (a long
/// name wrapped `crate::runtime::object!(Name);` over three lines, and the call was lost).
fn placeholder(id: TypeId) -> TokenStream {
    let n = Literal::u32_unsuffixed(id.0);
    quote!(__apigen_runtime_call!(#n);)
}

/// [`placeholder`] as prettyplease prints it.
fn placeholder_line(id: TypeId) -> String {
    format!("__apigen_runtime_call!({});", id.0)
}

/// The name of the flattened map of a struct's other properties.
pub(crate) fn additional_field_name(s: &Struct) -> String {
    let mut name = "additional_properties".to_owned();
    while s.fields.iter().any(|f| f.name == name) {
        name.push('_');
    }
    name
}

/// Whether a `oneOf` variant holds its payload in a `Box` (clippy's `large_enum_variant`).
pub(crate) fn one_of_payload_boxed(api: &crate::ir::Api, ty: &crate::ir::TypeRef) -> bool {
    estimated_size(api, ty, 0) > BOX_PAYLOAD_OVER
}

fn field(cx: &Context<'_>, f: &Field) -> syn::Result<syn::Field> {
    let name = ident(&f.name);
    let mut ty = syn_type(cx.api, &f.ty, Scope::Models)?;
    if f.boxed {
        ty = syntax::fill("Box<__0>", &[ty.into()])?;
    }
    if f.tri_state() {
        ty = syntax::fill("Option<Option<__0>>", &[ty.into()])?;
    } else if f.optional() {
        ty = syntax::fill("Option<__0>", &[ty.into()])?;
    }
    let mut doc = DocBuilder::new()
        .markdown(f.doc.as_deref())
        .or(format!("The {} property.", code(&f.wire)));
    if f.tri_state() {
        doc = doc.line("`None`: absent. `Some(None)`: present and `null`.");
    }
    if f.read_only {
        doc = doc.line("Set by the server; leave it unset in requests.");
    }
    if f.write_only {
        doc = doc.line("Sent by the client only; the server does not return it.");
    }
    if f.idempotency_key {
        doc = doc.line(
            "The idempotency key of the request. Left `None`, each call sets a fresh UUID v4 \
             (reused by that call's retries); set it yourself to make your own retries of a \
             request idempotent.",
        );
    }
    if let Some(default) = &f.default {
        doc = doc.line(format!("Default: {}.", code(&default.to_string())));
    }
    if !f.constraints.is_empty() {
        doc = doc.line(constraints_text(&f.constraints));
    }
    let mut attrs = doc.outer_attributes()?;
    if f.deprecated {
        attrs.push(syntax::bare_attribute("deprecated"));
    }
    Ok(syntax::public_field(attrs, name, ty))
}

/// "Checked before sending: at most 1024 characters, …".
fn constraints_text(c: &crate::ir::Constraints) -> String {
    format!(
        "Checked before sending: {}.",
        constraint_parts(c).join(", ")
    )
}

/// Each limit in words: "≥ 1", "at most 1024 characters", …
pub(crate) fn constraint_parts(c: &crate::ir::Constraints) -> Vec<String> {
    let mut parts = Vec::new();
    let number = |n: f64| {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            n.to_string()
        }
    };
    if let Some((n, exclusive)) = c.minimum {
        parts.push(format!(
            "{} {}",
            if exclusive { ">" } else { "≥" },
            number(n)
        ));
    }
    if let Some((n, exclusive)) = c.maximum {
        parts.push(format!(
            "{} {}",
            if exclusive { "<" } else { "≤" },
            number(n)
        ));
    }
    if let Some(n) = c.min_length {
        parts.push(format!("at least {n} characters"));
    }
    if let Some(n) = c.max_length {
        parts.push(format!("at most {n} characters"));
    }
    if let Some(p) = &c.pattern {
        parts.push(format!("matches {}", code(p)));
    }
    if let Some(n) = c.min_items {
        parts.push(format!("at least {n} items"));
    }
    if let Some(n) = c.max_items {
        parts.push(format!("at most {n} items"));
    }
    parts
}

/// A string enum, made as a syntax tree; its conversions follow it (the type's placeholder).
///
/// The conversions are the same for every enum but for the values: one macro of the runtime
/// writes them, which keeps models.rs a third shorter and quicker to compile. The call is laid
/// out by `enum_conversions`, one value per line (prettyplease would print the macro's tokens as
/// one run).
fn enum_item(def: &TypeDef, e: &StringEnum) -> syn::Result<syn::Item> {
    let doc = type_doc(def, format!("The `{}` values.", def.name))
        .line(
            "Open: a value this client does not know yet is kept in `Unknown` rather than \
             failing to decode.",
        )
        .outer_attributes()?;
    let variants = e
        .variants
        .iter()
        .map(|v| {
            let attrs = DocBuilder::new()
                .line(code(&v.wire))
                .markdown(v.doc.as_deref())
                .outer_attributes()?;
            Ok(syntax::variant(attrs, ident(&v.name), None))
        })
        .collect::<syn::Result<Vec<_>>>()?;
    syntax::enum_with(
        "#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum __0 {
            /// A value not in the spec, as received.
            Unknown(String),
        }",
        &[ident(&def.name).into()],
        doc,
        variants,
    )
}

/// The `runtime::open_enum!` call that replaces the placeholder `enum_item` leaves for the
/// conversions of an enum.
fn enum_conversions(def: &TypeDef, e: &StringEnum) -> String {
    let values = e
        .variants
        .iter()
        .map(|v| format!("{} = {}", v.name, Literal::string(&v.wire)));
    runtime_macro("open_enum", &def.name, values)
}

fn int_enum_item(def: &TypeDef, e: &IntEnum) -> TokenStream {
    let name = ident(&def.name);
    let doc = type_doc(def, format!("The `{}` values.", def.name))
        .line(
            "Open: a value this client does not know yet is kept in `Unknown` rather than \
             failing to decode.",
        )
        .outer();
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = DocBuilder::new().line(format!("`{}`", v.value)).outer();
        quote!(#doc #variant,)
    });
    let value_arms = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = Literal::i64_unsuffixed(v.value);
        quote!(Self::#variant => #value,)
    });
    let from_arms = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = Literal::i64_unsuffixed(v.value);
        quote!(#value => Self::#variant,)
    });
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value not in the spec, as received.
            Unknown(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(#value_arms)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_arms)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                i64::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn one_of_item(cx: &Context<'_>, def: &TypeDef, o: &OneOf) -> TokenStream {
    let name = ident(&def.name);
    let how = match &o.tag {
        Some(tag) => format!(
            "The alternative is chosen by the {} property; a value naming none of them is kept \
             in `Unknown`.",
            code(tag)
        ),
        None => "The alternative is the first that decodes and knows every property of the \
                 value (else the first that decodes)."
            .to_owned(),
    };
    let doc = type_doc(def, format!("One of {} alternatives.", o.variants.len()))
        .line(how)
        .outer();
    let payloads: Vec<(TokenStream, bool)> = o
        .variants
        .iter()
        .map(|v| {
            let rust = rust_type(cx.api, &v.ty, Scope::Models);
            if one_of_payload_boxed(cx.api, &v.ty) {
                (quote!(Box<#rust>), true)
            } else {
                (rust, false)
            }
        })
        .collect();
    let variants = o.variants.iter().zip(&payloads).map(|(v, (ty, _))| {
        let variant = ident(&v.name);
        let doc = match v.tags.as_slice() {
            [] => DocBuilder::new().line(format!("A `{}`.", v.name)),
            tags => DocBuilder::new().line(format!(
                "Selected by {} = {}.",
                code(o.tag.as_deref().unwrap_or_default()),
                tags.iter()
                    .map(|t| code(t))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
        }
        .outer();
        quote!(#doc #variant(#ty),)
    });
    let unknown = o.tag.is_some();
    let unknown_variant = unknown.then(|| {
        quote! {
            /// A value whose tag names no alternative the spec knows, as received.
            Unknown(serde_json::Value),
        }
    });
    let serialize_arms = o.variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote!(Self::#variant(value) => value.serialize(serializer),)
    });
    let serialize_unknown =
        unknown.then(|| quote!(Self::Unknown(value) => value.serialize(serializer),));
    let alternatives = o.variants.iter().zip(&payloads).map(|(v, (_, boxed))| {
        let variant = ident(&v.name);
        let tags = &v.tags;
        let keys = match &v.keys {
            Some(keys) => quote!(Some(&[#(#keys),*])),
            None => quote!(None),
        };
        let decode = if *boxed {
            quote!(|value| serde_json::from_value(value).map(|v| Self::#variant(Box::new(v))))
        } else {
            quote!(|value| serde_json::from_value(value).map(Self::#variant))
        };
        quote! {
            crate::runtime::Alternative {
                tags: &[#(#tags),*],
                keys: #keys,
                decode: #decode,
            },
        }
    });
    let tag = match &o.tag {
        Some(tag) => quote!(Some(#tag)),
        None => quote!(None),
    };
    let unknown_fn = if unknown {
        quote!(Some(Self::Unknown))
    } else {
        quote!(None)
    };
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
            #unknown_variant
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    #serialize_unknown
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                crate::runtime::decode_one_of(value, #tag, &[#(#alternatives)*], #unknown_fn)
                    .map_err(serde::de::Error::custom)
            }
        }
    }
}

/// A doc link to an operation's method. rustdoc resolves a keyword method (`r#type`) by its
/// plain name only.
fn method_link(method_name: &str) -> String {
    let name = crate::names::unraw(method_name);
    format!("[`Client::{name}`](crate::Client::{name})")
}

fn params_item(cx: &Context<'_>, def: &TypeDef, p: &Params) -> syn::Result<syn::Item> {
    let doc = DocBuilder::new()
        .line(format!(
            "The query and header parameters of {}.",
            method_link(&p.method_name)
        ))
        .outer_attributes()?;
    let fields = p
        .params
        .iter()
        .map(|param| param_field(cx, param))
        .collect::<syn::Result<Vec<_>>>()?;
    syntax::named_struct(
        derives(p.all_optional()),
        &[ident(&def.name).into()],
        doc,
        fields,
    )
}

fn param_field(cx: &Context<'_>, param: &Param) -> syn::Result<syn::Field> {
    let name = ident(&param.name);
    let mut ty = syn_type(cx.api, &param.ty, Scope::Models)?;
    if !param.required {
        ty = syntax::fill("Option<__0>", &[ty.into()])?;
    }
    let location = match param.location {
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Path => "path parameter",
    };
    let mut doc = DocBuilder::new()
        .markdown(param.doc.as_deref())
        .line(format!("Sent as the {location} {}.", code(&param.wire)));
    if let Some(default) = &param.default {
        doc = doc.line(format!(
            "The server's default: {}.",
            code(&default.to_string())
        ));
    }
    if validate::has_checks(&param.ty, &param.constraints) {
        doc = doc.line(constraints_text(&param.constraints));
    }
    if param.deprecated {
        doc = doc.line("**Deprecated** in the spec.");
    }
    Ok(syntax::public_field(doc.outer_attributes()?, name, ty))
}

/// Which responses a [`StatusSet`] holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Success,
    Error,
}

/// An enum of the responses an operation documents, with the function that picks the variant
/// by status: `ErrorBody` for its errors, `SuccessBody` for successes whose bodies differ.
fn status_set_item(cx: &Context<'_>, def: &TypeDef, e: &StatusSet, outcome: Outcome) -> Vec<Item> {
    let name = ident(&def.name);
    let method = method_link(&e.method_name);
    let (doc, body_trait) = match outcome {
        Outcome::Error => (
            format!("The error responses {method} documents, by HTTP status."),
            "ErrorBody",
        ),
        Outcome::Success => (
            format!(
                "The success responses {method} documents, by HTTP status (their bodies differ)."
            ),
            "SuccessBody",
        ),
    };
    let payloads = e
        .variants
        .iter()
        .map(|v| payload(cx, &v.body))
        .collect::<syn::Result<Vec<_>>>();
    let items = payloads.and_then(|payloads| {
        let variants = e
            .variants
            .iter()
            .zip(&payloads)
            .map(|(v, payload)| {
                let attrs = DocBuilder::new()
                    .line(format!("{}.", status_text(v.status)))
                    .markdown(v.doc.as_deref())
                    .outer_attributes()?;
                let payload = payload.as_ref().map(|(ty, _)| ty.clone());
                Ok(syntax::variant(attrs, ident(&v.name), payload))
            })
            .collect::<syn::Result<Vec<_>>>()?;
        let set = syntax::enum_with(
            "#[derive(Clone, Debug, PartialEq)] pub enum __0 {}",
            &[name.clone().into()],
            DocBuilder::new().line(doc).outer_attributes()?,
            variants,
        )?;
        // The impl, the same few shapes for every operation.
        let boxed: Vec<Option<bool>> = payloads
            .iter()
            .map(|payload| payload.as_ref().map(|(_, boxed)| *boxed))
            .collect();
        Ok((set, from_response_impl(e, &boxed, body_trait, name)?))
    });
    match items {
        Ok((set, body_impl)) => vec![
            Item::Syntax(Ok(Box::new(set))),
            Item::Syntax(Ok(Box::new(body_impl))),
        ],
        Err(e) => vec![Item::Syntax(Err(e))],
    }
}

/// `impl crate::runtime::ErrorBody` (or `SuccessBody`) for a status set: its variant by status.
fn from_response_impl(
    e: &StatusSet,
    payloads: &[Option<bool>],
    body_trait: &str,
    name: proc_macro2::Ident,
) -> syn::Result<syn::Item> {
    let mut arms: Vec<(StatusMatch, syn::Expr)> = Vec::new();
    for (v, payload) in e.variants.iter().zip(payloads) {
        let template = match (&v.body, payload) {
            (Body::Empty | Body::ByStatus(_), _) | (_, None) => "Ok(Self::__0)",
            (Body::Json(_), Some(true)) => {
                "serde_json::from_slice(body).map(|b| Self::__0(Box::new(b)))"
            }
            (Body::Json(_), Some(_)) => "serde_json::from_slice(body).map(Self::__0)",
            (Body::Text, _) => "Ok(Self::__0(String::from_utf8_lossy(body).into_owned()))",
            (Body::Binary | Body::Form(_) | Body::Multipart(_), _) => {
                "Ok(Self::__0(body.to_vec()))"
            }
        };
        let decode = syntax::expr(template, &[ident(&v.name).into()])?;
        arms.push((v.status, decode));
    }
    // Exact codes, then classes, then `default`.
    arms.sort_by_key(|(status, _)| *status);
    let has_default = arms.iter().any(|(s, _)| *s == StatusMatch::Default);
    let body_param = if e.variants.iter().any(|v| v.body != Body::Empty) {
        "body"
    } else {
        "_body"
    };
    // No `match` around a lone `default` (clippy's `match_single_binding`) or nothing at all.
    let (status_param, decode) = match arms.as_slice() {
        [] => ("_status", syntax::expr("None", &[])?),
        [(StatusMatch::Default, decode)] => (
            "_status",
            syntax::expr("Some(__0)", &[decode.clone().into()])?,
        ),
        _ => {
            let mut by_status = syntax::expr("match status {}", &[])?;
            if let syn::Expr::Match(by_status) = &mut by_status {
                for (status, decode) in arms {
                    let decode = decode.into();
                    by_status.arms.push(match status {
                        StatusMatch::Code(code) => syntax::fill(
                            "__0 => Some(__1),",
                            &[integer_pattern(code).into(), decode],
                        )?,
                        StatusMatch::Range(class) => syntax::fill(
                            "__0..=__1 => Some(__2),",
                            &[
                                integer(class * 100).into(),
                                integer(class * 100 + 99).into(),
                                decode,
                            ],
                        )?,
                        StatusMatch::Default => syntax::fill("_ => Some(__0),", &[decode])?,
                    });
                }
                if !has_default {
                    by_status.arms.push(syntax::fill("_ => None,", &[])?);
                }
            }
            ("status", by_status)
        }
    };
    syntax::fill(
        "impl crate::runtime::__0 for __1 {
            fn from_response(__2: u16, __3: &[u8]) -> Option<Result<Self, serde_json::Error>> {
                __4
            }
        }",
        &[
            ident(body_trait).into(),
            name.into(),
            ident(status_param).into(),
            ident(body_param).into(),
            decode.into(),
        ],
    )
}

/// The payload type of an error variant, and whether it is boxed.
fn payload(cx: &Context<'_>, body: &Body) -> syn::Result<Option<(syn::Type, bool)>> {
    Ok(match body {
        // A variant's body is never itself chosen by status.
        Body::Empty | Body::ByStatus(_) => None,
        Body::Json(ty) => {
            let rust = syn_type(cx.api, ty, Scope::Models)?;
            if estimated_size(cx.api, ty, 0) > BOX_PAYLOAD_OVER {
                Some((syntax::fill("Box<__0>", &[rust.into()])?, true))
            } else {
                Some((rust, false))
            }
        }
        Body::Text => Some((syntax::fill("String", &[])?, false)),
        Body::Binary | Body::Form(_) | Body::Multipart(_) => {
            Some((syntax::fill("Vec<u8>", &[])?, false))
        }
    })
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => format!("HTTP {code}"),
        StatusMatch::Range(class) => format!("Any HTTP {class}xx status not listed otherwise"),
        StatusMatch::Default => "Any other status".to_owned(),
    }
}
