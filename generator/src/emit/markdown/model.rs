//! One page per named type: what it is, its fields (or values, alternatives, statuses), an
//! example where the spec gives one, and the operations that use it.

use super::text::{cell, escape_pipes, paragraphs};
use super::{Layout, table, wire_format};
use crate::emit::Context;
use crate::emit::doc::code;
use crate::emit::types::constraint_parts;
use crate::ir::{Field, TypeDef, TypeId, TypeKind};
use crate::names::unraw;

pub(super) fn page(cx: &Context<'_>, layout: &Layout, id: TypeId, def: &TypeDef) -> Vec<String> {
    let api = cx.api;
    let mut out = vec![format!("# {}", def.name), String::new()];
    if def.deprecated {
        out.push("**Deprecated** in the spec.".to_owned());
        out.push(String::new());
    }
    if let Some(doc) = &def.doc {
        out.extend(paragraphs(doc));
        out.push(String::new());
    }
    out.push(format!(
        "`{}::models::{}`: {}, from `{}` in the spec.",
        cx.crate_ident(),
        def.name,
        kind_text(&def.kind),
        def.origin
    ));
    out.push(String::new());
    match &def.kind {
        TypeKind::Struct(s) => {
            out.push("## Fields".to_owned());
            out.push(String::new());
            let rows: Vec<Vec<String>> =
                s.fields.iter().map(|f| field_row(cx, layout, f)).collect();
            if rows.is_empty() {
                out.push("None.".to_owned());
            } else {
                out.extend(table(
                    &[
                        "Rust name",
                        "Wire name",
                        "Type",
                        "Required",
                        "Nullable",
                        "Constraints",
                        "Description",
                    ],
                    &rows,
                ));
            }
            if let Some(additional) = &s.additional {
                out.push(String::new());
                out.push(format!(
                    "Other properties are kept in `{}`, a `BTreeMap<String, _>` of {}.",
                    crate::emit::types::additional_field_name(s),
                    layout.type_link(api, additional)
                ));
            }
            for rule in &s.rules {
                out.push(String::new());
                out.push(format!(
                    "The spec's `{}` asks for {}; checked before a request is sent.",
                    rule.keyword(),
                    rule.wanted()
                ));
            }
        }
        TypeKind::Enum(e) => {
            out.push("## Values".to_owned());
            out.push(String::new());
            // A description column only when the spec describes values.
            let described = e.variants.iter().any(|v| v.doc.is_some());
            let rows: Vec<Vec<String>> = e
                .variants
                .iter()
                .map(|v| {
                    let mut row = vec![format!("`{}`", v.name), escape_pipes(&code(&v.wire))];
                    if described {
                        row.push(v.doc.as_deref().map(cell).unwrap_or_default());
                    }
                    row
                })
                .collect();
            let header: &[&str] = if described {
                &["Variant", "Wire value", "Description"]
            } else {
                &["Variant", "Wire value"]
            };
            out.extend(table(header, &rows));
            out.push(String::new());
            out.push(
                "Open: any other value decodes into `Unknown(String)` and is sent back as is."
                    .to_owned(),
            );
        }
        TypeKind::IntEnum(e) => {
            out.push("## Values".to_owned());
            out.push(String::new());
            let rows: Vec<Vec<String>> = e
                .variants
                .iter()
                .map(|v| vec![format!("`{}`", v.name), format!("`{}`", v.value)])
                .collect();
            out.extend(table(&["Variant", "Wire value"], &rows));
            out.push(String::new());
            out.push("Open: any other integer decodes into `Unknown(i64)`.".to_owned());
        }
        TypeKind::OneOf(o) => {
            out.push("## Alternatives".to_owned());
            out.push(String::new());
            let rows: Vec<Vec<String>> = o
                .variants
                .iter()
                .map(|v| {
                    let tags = v
                        .tags
                        .iter()
                        .map(|t| code(t))
                        .collect::<Vec<_>>()
                        .join(", ");
                    vec![
                        format!("`{}`", v.name),
                        layout.type_link(api, &v.ty),
                        escape_pipes(&tags),
                    ]
                })
                .collect();
            out.extend(table(&["Variant", "Type", "Tag values"], &rows));
            out.push(String::new());
            out.push(match &o.tag {
                Some(tag) => format!(
                    "The variant is chosen by the {} property; a value naming no alternative \
                     decodes into `Unknown(serde_json::Value)`.",
                    code(tag)
                ),
                None => "The variant is the first alternative that decodes and knows every \
                         property of the value."
                    .to_owned(),
            });
        }
        TypeKind::Params(p) => {
            out.push("## Fields".to_owned());
            out.push(String::new());
            let rows: Vec<Vec<String>> = p
                .params
                .iter()
                .map(|param| {
                    super::api::param_row(cx, layout, param, unraw(&param.name).to_owned())
                })
                .collect();
            out.extend(table(
                &[
                    "Rust name",
                    "Type",
                    "Sent as",
                    "Required",
                    "Constraints",
                    "Description",
                ],
                &rows,
            ));
            if p.all_optional() {
                out.push(String::new());
                out.push("Every field is optional: start from `Default::default()`.".to_owned());
            }
        }
        TypeKind::Errors(e) | TypeKind::Successes(e) => {
            out.push("## Variants".to_owned());
            out.push(String::new());
            let rows = super::status_rows(api, layout, e);
            if rows.is_empty() {
                out.push("None: the spec documents no error responses.".to_owned());
            } else {
                out.extend(table(&["Status", "Variant", "Body", "Description"], &rows));
            }
        }
    }
    if let Some(example) = &def.example {
        out.push(String::new());
        out.push("## Example".to_owned());
        out.push(String::new());
        out.push("```json".to_owned());
        // Pretty JSON never holds a line starting with a fence.
        out.push(serde_json::to_string_pretty(example).unwrap_or_default());
        out.push("```".to_owned());
    }
    let users: Vec<String> = layout
        .used_by
        .get(&id)
        .into_iter()
        .flatten()
        .map(|i| layout.operation_link(api, *i))
        .collect();
    if !users.is_empty() {
        out.push(String::new());
        out.push("## Used by".to_owned());
        out.push(String::new());
        out.extend(users.into_iter().map(|link| format!("- {link}")));
    }
    out.push(String::new());
    out.push("[Back to the index](README.md)".to_owned());
    out
}

fn field_row(cx: &Context<'_>, layout: &Layout, f: &Field) -> Vec<String> {
    let api = cx.api;
    let (mut prefix, mut suffix) = (String::new(), String::new());
    if f.boxed {
        (prefix, suffix) = ("Box<".to_owned(), ">".to_owned());
    }
    if f.tri_state() {
        (prefix, suffix) = (format!("Option<Option<{prefix}"), format!("{suffix}>>"));
    } else if f.optional() {
        (prefix, suffix) = (format!("Option<{prefix}"), format!("{suffix}>"));
    }
    let ty = layout.wrapped_type_link(api, &f.ty, &prefix, &suffix);
    let mut constraints = wire_format(api, &f.ty);
    constraints.extend(constraint_parts(&f.constraints));
    if let Some(default) = &f.default {
        constraints.push(format!("default {}", code(&default.to_string())));
    }
    let mut notes = Vec::new();
    if f.deprecated {
        notes.push("**Deprecated.**".to_owned());
    }
    if f.read_only {
        notes.push("Read-only: set by the server.".to_owned());
    }
    if f.write_only {
        notes.push("Write-only: never returned.".to_owned());
    }
    if f.idempotency_key {
        notes.push("Idempotency key: a fresh UUID v4 when left `None`.".to_owned());
    }
    let mut description = f.doc.as_deref().map(cell).unwrap_or_default();
    if !notes.is_empty() {
        let notes = notes.join(" ");
        description = if description.is_empty() {
            notes
        } else {
            format!("{description}<br>{notes}")
        };
    }
    vec![
        format!("`{}`", unraw(&f.name)),
        escape_pipes(&code(&f.wire)),
        ty,
        if f.required { "yes" } else { "no" }.to_owned(),
        if f.nullable { "yes" } else { "no" }.to_owned(),
        escape_pipes(&constraints.join(", ")),
        description,
    ]
}

fn kind_text(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct (an object schema)",
        TypeKind::Enum(_) => "an open string enum",
        TypeKind::IntEnum(_) => "an open integer enum",
        TypeKind::OneOf(_) => "an enum of alternatives (`oneOf`/`anyOf`)",
        TypeKind::Params(_) => "the query and header parameters of an operation",
        TypeKind::Errors(_) => "the documented error responses of an operation",
        TypeKind::Successes(_) => {
            "the documented success responses of an operation, whose bodies differ"
        }
    }
}
