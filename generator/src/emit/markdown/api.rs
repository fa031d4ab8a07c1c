//! One page per tag: a table of its operations, then a section per operation with the Rust
//! call, parameters, result, errors, authorization and content types.

use super::text::{cell, escape_pipes, paragraphs, summary};
use super::{Group, Layout, table, wire_format};
use crate::emit::Context;
use crate::emit::doc::code;
use crate::emit::example;
use crate::emit::operations::Signature;
use crate::emit::types::constraint_parts;
use crate::ir::{Body, Operation, Param, ParamLocation, SecurityKind, StatusMatch, TypeKind};
use crate::names::unraw;

pub(super) fn page(cx: &Context<'_>, layout: &Layout, group: &Group) -> Vec<String> {
    let api = cx.api;
    let mut out = vec![format!("# {}", group.title), String::new()];
    match &group.description {
        Some(description) => out.extend(paragraphs(description)),
        None => out.push(format!(
            "Operations tagged {} in the spec, as methods on `{}::Client`.",
            code(&group.tag),
            cx.crate_ident()
        )),
    }
    out.push(String::new());
    out.push(
        "Paths are relative to the client's base URL; see [the index](README.md#servers)."
            .to_owned(),
    );
    out.push(String::new());
    let rows: Vec<Vec<String>> = group
        .operations
        .iter()
        .filter_map(|i| {
            let op = api.operations.get(*i)?;
            Some(vec![
                layout.operation_link(api, *i),
                format!("`{} {}`", op.method.as_str(), escape_pipes(&op.path.raw)),
                op.summary.as_deref().map(summary).unwrap_or_default(),
            ])
        })
        .collect();
    out.extend(table(&["Method", "HTTP request", "Summary"], &rows));
    for i in &group.operations {
        if let Some(op) = api.operations.get(*i) {
            out.push(String::new());
            out.extend(operation(cx, layout, op));
        }
    }
    out.push(String::new());
    out.push("[Back to the index](README.md)".to_owned());
    out
}

fn operation(cx: &Context<'_>, layout: &Layout, op: &Operation) -> Vec<String> {
    let api = cx.api;
    let name = unraw(&op.method_name);
    let mut out = vec![format!("## {name}"), String::new()];
    if op.deprecated {
        out.push("**Deprecated** in the spec.".to_owned());
        out.push(String::new());
    }
    for text in [&op.summary, &op.description].into_iter().flatten() {
        out.extend(paragraphs(text));
        out.push(String::new());
    }
    out.push(format!(
        "`{} {}` (operation {})",
        op.method.as_str(),
        op.path.raw,
        code(&op.operation_id)
    ));
    out.push(String::new());
    out.push("```rust".to_owned());
    out.push(
        Signature::of(api, op)
            .map(|sig| sig.declaration(op))
            .unwrap_or_default(),
    );
    out.push("```".to_owned());
    out.push(String::new());

    out.push("**Example**".to_owned());
    out.push(String::new());
    out.extend(example::of(cx, op).markdown());
    out.push(String::new());

    out.push("**Parameters**".to_owned());
    out.push(String::new());
    let mut rows = Vec::new();
    for param in &op.path_params {
        rows.push(param_row(cx, layout, param, unraw(&param.name).to_owned()));
    }
    if let Some(def) = op.params.and_then(|id| api.types.get(&id)) {
        if let TypeKind::Params(params) = &def.kind {
            rows.push(vec![
                "`params`".to_owned(),
                format!("[`&{}`]({})", def.name, layout.model_page(&def.name)),
                String::new(),
                "yes".to_owned(),
                String::new(),
                "The parameters below, as one struct.".to_owned(),
            ]);
            for param in &params.params {
                rows.push(param_row(
                    cx,
                    layout,
                    param,
                    format!("params.{}", unraw(&param.name)),
                ));
            }
        }
    }
    if let Some(body) = &op.body {
        let ty = match &body.body {
            Body::Json(ty) | Body::Form(ty) => layout.type_link(api, ty),
            Body::Text => "`&str`".to_owned(),
            Body::Multipart(_) => "`&runtime::Multipart`".to_owned(),
            Body::Binary | Body::Empty | Body::ByStatus(_) => "`Vec<u8>`".to_owned(),
        };
        let mut notes = Vec::new();
        if let Some(key) = &body.idempotency_key {
            notes.push(format!(
                "idempotency key {}: filled with a fresh UUID v4 when unset",
                code(key)
            ));
        }
        if let Body::Multipart(parts) = &body.body {
            let parts: Vec<String> = parts
                .iter()
                .map(crate::emit::operations::part_text)
                .collect();
            if !parts.is_empty() {
                notes.push(format!("parts: {}", parts.join(", ")));
            }
        }
        let sent_as = if body.media_choices.is_empty() {
            format!("body (`{}`)", escape_pipes(&body.media_type))
        } else {
            "body".to_owned()
        };
        rows.push(vec![
            "`body`".to_owned(),
            ty,
            sent_as,
            if body.required { "yes" } else { "no" }.to_owned(),
            escape_pipes(&notes.join("; ")),
            body.doc.as_deref().map(cell).unwrap_or_default(),
        ]);
        if !body.media_choices.is_empty() {
            rows.push(vec![
                "`content_type`".to_owned(),
                "`&str`".to_owned(),
                "header (`Content-Type`)".to_owned(),
                "yes".to_owned(),
                String::new(),
                escape_pipes(&crate::emit::operations::media_choices_text(body)),
            ]);
        }
    }
    if rows.is_empty() {
        out.push("None.".to_owned());
    } else {
        out.extend(table(
            &[
                "Name",
                "Type",
                "In",
                "Required",
                "Constraints",
                "Description",
            ],
            &rows,
        ));
    }
    out.push(String::new());

    out.push("**Returns**".to_owned());
    out.push(String::new());
    match &op.success {
        Body::Json(ty) => out.push(format!(
            "{} decoded from the JSON body of a success response.",
            layout.type_link(api, ty)
        )),
        Body::Empty => out.push("`()`: a success response has no body.".to_owned()),
        Body::Text => out.push("`String`: the text body of a success response.".to_owned()),
        Body::Binary | Body::Form(_) | Body::Multipart(_) => {
            out.push("`Vec<u8>`: the raw body of a success response.".to_owned())
        }
        Body::ByStatus(id) => {
            out.extend(successes(cx, layout, *id));
            out.push(String::new());
        }
    }
    out.push(format!(
        "`{}` returns it with the status, headers and request id.",
        crate::names::suffixed(name, "with_response")
    ));
    if let Some(pagination) = &op.pagination {
        out.push(String::new());
        out.push(format!(
            "Paginated: `{}(&params)` yields every {} of every page, asking for each next \
             page with `{}` set to the id of the last item.",
            pagination.stream,
            layout.type_link(api, &pagination.item),
            unraw(&pagination.after)
        ));
    }
    out.push(String::new());

    out.push("**Errors**".to_owned());
    out.push(String::new());
    out.extend(errors(cx, layout, op));
    out.push(String::new());

    out.push("**Authorization**".to_owned());
    out.push(String::new());
    out.push(authorization(cx, op));
    out.push(String::new());

    out.push("**Content types**".to_owned());
    out.push(String::new());
    let sends = op
        .body
        .as_ref()
        .map_or("nothing".to_owned(), |b| format!("`{}`", b.media_type));
    let receives = match op.success {
        Body::Json(_) => "`application/json`",
        Body::ByStatus(_) => "what each status documents",
        Body::Text => "text",
        Body::Binary | Body::Form(_) | Body::Multipart(_) => "bytes",
        Body::Empty => "no body",
    };
    out.push(format!("Sends {sends}; receives {receives}."));
    if let Some(server) = &op.server {
        out.push(String::new());
        out.push(format!(
            "Sent to {}, its own server in the spec, while the client's base URL is one of the \
             spec's servers.",
            code(server)
        ));
    }
    out
}

/// A parameter's row: name, type, where it is sent, required, constraints, description.
pub(super) fn param_row(
    cx: &Context<'_>,
    layout: &Layout,
    param: &Param,
    name: String,
) -> Vec<String> {
    let api = cx.api;
    let ty = if param.required || param.location == ParamLocation::Path {
        layout.type_link(api, &param.ty)
    } else {
        layout.wrapped_type_link(api, &param.ty, "Option<", ">")
    };
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let mut constraints = wire_format(api, &param.ty);
    constraints.extend(constraint_parts(&param.constraints));
    if let Some(default) = &param.default {
        constraints.push(format!("server default {}", code(&default.to_string())));
    }
    let mut description = param.doc.as_deref().map(cell).unwrap_or_default();
    if param.deprecated {
        description = format!("**Deprecated.** {description}");
    }
    vec![
        format!("`{name}`"),
        ty,
        format!("{location} ({})", escape_pipes(&code(&param.wire))),
        if param.required || param.location == ParamLocation::Path {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
        escape_pipes(&constraints.join(", ")),
        description,
    ]
}

/// The success statuses of an operation whose successes differ, and the variant of each.
fn successes(cx: &Context<'_>, layout: &Layout, id: crate::ir::TypeId) -> Vec<String> {
    let api = cx.api;
    let Some((def, TypeKind::Successes(set))) = api.types.get(&id).map(|def| (def, &def.kind))
    else {
        return Vec::new();
    };
    let mut out = vec![
        format!(
            "[`{}`]({}): the success statuses have different bodies, so the variant tells which \
             came:",
            def.name,
            layout.model_page(&def.name)
        ),
        String::new(),
    ];
    out.extend(table(
        &["Status", "Variant", "Body", "Description"],
        &super::status_rows(api, layout, set),
    ));
    out
}

fn errors(cx: &Context<'_>, layout: &Layout, op: &Operation) -> Vec<String> {
    let api = cx.api;
    let Some(def) = api.types.get(&op.errors) else {
        return Vec::new();
    };
    let TypeKind::Errors(set) = &def.kind else {
        return Vec::new();
    };
    let mut out = vec![format!(
        "`Error::Api` holds a [`{}`]({}) for the documented statuses:",
        def.name,
        layout.model_page(&def.name)
    )];
    out.push(String::new());
    let rows = super::status_rows(api, layout, set);
    if rows.is_empty() {
        out.pop();
        out.pop();
        out.push("The spec documents no error responses.".to_owned());
    } else {
        out.extend(table(&["Status", "Variant", "Body", "Description"], &rows));
    }
    out.push(String::new());
    out.push(
        "Other statuses, undecodable bodies, invalid arguments, timeouts and transport failures \
         are the other variants of `Error`; every one carries the request id when the server \
         sent one."
            .to_owned(),
    );
    out
}

pub(super) fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(class) => format!("{class}xx"),
        StatusMatch::Default => "any other".to_owned(),
    }
}

fn authorization(cx: &Context<'_>, op: &Operation) -> String {
    if op.security.is_empty() {
        return "None.".to_owned();
    }
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|set| {
            if set.is_empty() {
                return "none".to_owned();
            }
            set.iter()
                .map(
                    |key| match cx.api.security_schemes.iter().find(|s| &s.key == key) {
                        Some(scheme) => format!(
                            "{} ({}, set with `ClientBuilder::{}`)",
                            code(key),
                            scheme_kind(&scheme.kind),
                            unraw(&scheme.method_name)
                        ),
                        None => format!("{} (not supported by the client)", code(key)),
                    },
                )
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    format!("{}.", alternatives.join("; or "))
}

pub(super) fn scheme_kind(kind: &SecurityKind) -> String {
    match kind {
        SecurityKind::Bearer => "`Authorization: Bearer` token".to_owned(),
        SecurityKind::Basic => "HTTP Basic".to_owned(),
        SecurityKind::ApiKeyHeader(name) => format!("API key in header {}", code(name)),
        SecurityKind::ApiKeyQuery(name) => format!("API key in query parameter {}", code(name)),
        SecurityKind::ApiKeyCookie(name) => format!("API key in cookie {}", code(name)),
    }
}
