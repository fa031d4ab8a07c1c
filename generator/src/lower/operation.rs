//! Path items → operations: parameters, request bodies, responses, security.

use super::{Lowerer, SchemaOrRef};
use crate::diagnostics::{Diagnostic, Pointer};
use crate::ir::{
    Body, Method, MultipartPart, Operation, Param, ParamLocation, ParamStyle, Params, PathSegment,
    PathTemplate, Primitive, RequestBody, StatusMatch, StatusSet, StatusVariant, TypeKind, TypeRef,
};
use crate::names::{self, Namespace};
use openapiv3::{MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use std::borrow::Cow;

/// Header parameters OpenAPI says to ignore: the client sets these itself.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// Methods `Client` has besides the operations (the runtime's and `client.rs`'s, private ones
/// too, which an operation's method of the same name would clash with; `clone`, which it
/// would shadow), and `new`, which clippy expects to make a `Client`.
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "attempt",
    "base_url",
    "builder",
    "clone",
    "exchange",
    "exchange_in",
    "new",
    "prepare",
    "with_options",
];

pub(super) fn lower_operations(l: &mut Lowerer<'_>) -> Vec<Operation> {
    let doc = l.doc;
    let mut operations = Vec::new();
    let mut method_names = Namespace::with_reserved(CLIENT_METHODS);
    let mut seen_ids = std::collections::BTreeMap::<String, Pointer>::new();
    stray_path_keys(l);
    // One path item at a time, typed from the tree and dropped (see `load::Document::api`).
    for (path, item) in crate::load::path_items(&doc.raw) {
        let at = Pointer::root().join("paths").join(path);
        let item = match item {
            Ok(ReferenceOr::Item(item)) => item,
            Err(invalid) => {
                l.push(*invalid);
                continue;
            }
            Ok(ReferenceOr::Reference { reference }) => {
                l.error(
                    format!("path items given by `$ref` ({reference}) are not supported"),
                    &at,
                );
                continue;
            }
        };
        let template = match parse_template(path) {
            Ok(template) => template,
            Err(message) => {
                l.error(message, &at);
                continue;
            }
        };
        for (method, op) in item.iter() {
            let op_at = at.join(method);
            let operation_id = match &op.operation_id {
                Some(id) if !id.trim().is_empty() => id.clone(),
                _ => format!("{method} {path}"),
            };
            if let Some(first) = seen_ids.get(&operation_id) {
                l.warn(
                    "duplicate-operation-id",
                    format!(
                        "operationId `{operation_id}` is used before, at {first}; this \
                         operation's method gets a number"
                    ),
                    &op_at.join("operationId"),
                );
            }
            seen_ids
                .entry(operation_id.clone())
                .or_insert_with(|| op_at.clone());
            l.operation_id = Some(operation_id.clone());
            let method_name =
                claim_method_name(&mut method_names, &names::snake_name(&operation_id));
            let lowered = lower_operation(
                l,
                OperationInput {
                    operation_id,
                    method_name,
                    method: parse_method(method),
                    template: template.clone(),
                    op,
                    path_params: &item.parameters,
                    path_servers: (&item.servers, &at),
                    at: op_at,
                },
            );
            l.operation_id = None;
            if let Some(lowered) = lowered {
                operations.push(lowered);
            }
        }
    }
    operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    operations
}

/// Warns of the keys of `paths` that are neither paths nor extensions: OpenAPI says a path
/// starts with `/`, and any other key is skipped ([`crate::load::is_path`]), so a path written
/// without its slash would otherwise go missing without a word.
fn stray_path_keys(l: &mut Lowerer<'_>) {
    let doc = l.doc;
    let Some(paths) = doc.raw.get("paths").and_then(serde_json::Value::as_object) else {
        return;
    };
    for key in paths.keys() {
        if crate::load::is_path(key) || key.starts_with("x-") {
            continue;
        }
        l.push(
            Diagnostic::warning(format!(
                "`{key}` under `paths` is not a path (a path starts with `/`); it is left out"
            ))
            .with_code("path-without-slash")
            .at(&Pointer::root().join("paths").join(key))
            .with_hint(format!(
                "write `/{key}` if it is an endpoint, or `x-{key}` if it is an extension"
            )),
        );
    }
}

/// Claims `name` and `name_with_response` together.
fn claim_method_name(namespace: &mut Namespace, base: &str) -> String {
    let base = names::unraw(base).to_owned();
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            names::snake_name(&base)
        } else {
            names::suffixed(&base, n)
        };
        let with_response = names::suffixed(&candidate, "with_response");
        if namespace.is_free(&candidate) && namespace.is_free(&with_response) {
            namespace.insert(&candidate);
            namespace.insert(&with_response);
            return candidate;
        }
        n += 1;
    }
}

fn parse_method(method: &str) -> Method {
    match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}

/// Splits `/v1/things/{id}/parts` into literals and parameters.
pub(crate) fn parse_template(raw: &str) -> Result<PathTemplate, String> {
    let mut segments = Vec::new();
    let mut rest = raw;
    while let Some(open) = rest.find('{') {
        let (literal, after) = rest.split_at(open);
        if literal.contains('}') {
            return Err(format!("path template `{raw}` has a `}}` with no `{{`"));
        }
        if !literal.is_empty() {
            segments.push(PathSegment::Literal(literal.to_owned()));
        }
        let Some(close) = after.find('}') else {
            return Err(format!(
                "path template `{raw}` has a `{{` that is never closed"
            ));
        };
        let name = &after[1..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!(
                "path template `{raw}` has an empty or nested parameter"
            ));
        }
        segments.push(PathSegment::Param(name.to_owned()));
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path template `{raw}` has a `}}` with no `{{`"));
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    Ok(PathTemplate {
        raw: raw.to_owned(),
        segments,
    })
}

struct OperationInput<'s> {
    operation_id: String,
    method_name: String,
    method: Method,
    template: PathTemplate,
    op: &'s openapiv3::Operation,
    path_params: &'s [ReferenceOr<Parameter>],
    /// The path item's `servers`, and where the path item sits.
    path_servers: (&'s [openapiv3::Server], &'s Pointer),
    at: Pointer,
}

fn lower_operation(l: &mut Lowerer<'_>, input: OperationInput<'_>) -> Option<Operation> {
    let OperationInput {
        operation_id,
        method_name,
        method,
        template,
        op,
        path_params,
        path_servers,
        at,
    } = input;
    let type_base = names::type_name(&operation_id);
    let errors_before = l.diags.errors().count();

    let params = lower_params(l, path_params, op, &at, &type_base);
    let mut path_args = Vec::new();
    for segment in &template.segments {
        if let PathSegment::Param(wire) = segment {
            match params
                .iter()
                .find(|p| p.location == ParamLocation::Path && &p.wire == wire)
            {
                Some(param) => path_args.push(param.clone()),
                None => l.push(
                    Diagnostic::error(format!(
                        "path parameter `{{{wire}}}` is not declared in `parameters`"
                    ))
                    .at(&at)
                    .with_hint(format!(
                        "add `- {{name: {wire}, in: path, required: true, schema: {{type: string}}}}`"
                    )),
                ),
            }
        }
    }
    // Path parameters are the method's arguments: their names must differ from each other
    // (`{a-b}` and `{a_b}`) and from the method's other arguments and locals.
    let mut arg_names = Namespace::with_reserved(METHOD_NAMES);
    for arg in &mut path_args {
        arg.name = arg_names.claim(&arg.name);
    }
    for param in params.iter().filter(|p| p.location == ParamLocation::Path) {
        if !path_args.iter().any(|a| a.wire == param.wire) {
            l.warn(
                "unused-path-parameter",
                format!(
                    "path parameter `{}` does not appear in the path `{}`; it is left out",
                    param.wire, template.raw
                ),
                &at.join("parameters"),
            );
        }
    }
    let other: Vec<Param> = params
        .into_iter()
        .filter(|p| p.location != ParamLocation::Path)
        .collect();
    let params = (!other.is_empty()).then(|| {
        l.add_type(
            format!("{type_base}Params"),
            at.join("parameters"),
            None,
            TypeKind::Params(Params {
                method_name: method_name.clone(),
                params: other,
            }),
        )
    });

    let body = request_body(l, op, &at, &type_base);
    let (successes, variants) = responses(l, op, &at, &type_base);
    let success = success_body(l, successes, &at, &type_base, &method_name);
    let errors = l.add_type(
        format!("{type_base}Error"),
        at.join("responses"),
        None,
        TypeKind::Errors(StatusSet {
            method_name: method_name.clone(),
            variants,
        }),
    );
    let security = security(l, op, &at);

    if l.diags.errors().count() > errors_before {
        return None;
    }
    let server = super::service::operation_server(l, (&op.servers, &at), path_servers);
    Some(Operation {
        operation_id,
        method_name,
        method,
        path: template,
        origin: at,
        summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
        description: op.description.clone().filter(|s| !s.trim().is_empty()),
        deprecated: op.deprecated,
        tags: op.tags.clone(),
        path_params: path_args,
        params,
        body,
        success,
        errors,
        security,
        pagination: None,
        server,
    })
}

/// Path-level parameters, overridden by operation-level ones of the same name and location.
fn lower_params<'s>(
    l: &mut Lowerer<'_>,
    path_level: &'s [ReferenceOr<Parameter>],
    op: &'s openapiv3::Operation,
    at: &Pointer,
    type_base: &str,
) -> Vec<Param> {
    let doc = l.doc;
    let components = doc.api.components.as_ref().map(|c| &c.parameters);
    let path_item_at = Pointer::root()
        .join("paths")
        .join(at.tokens().nth(1).unwrap_or_default());
    let mut resolved: Vec<(Pointer, Cow<'_, Parameter>)> = Vec::new();
    let sources = [
        (path_level, path_item_at.join("parameters")),
        (op.parameters.as_slice(), at.join("parameters")),
    ];
    for (list, list_at) in sources {
        for (i, param) in list.iter().enumerate() {
            let Some((pointer, param)) = l.resolve(
                param,
                &list_at.join(i.to_string()),
                "parameters",
                components,
            ) else {
                continue;
            };
            let key = (param.parameter_data_ref().name.clone(), location_of(&param));
            resolved.retain(|(_, p)| (p.parameter_data_ref().name.clone(), location_of(p)) != key);
            resolved.push((pointer, param));
        }
    }

    let mut params = Vec::new();
    for (pointer, param) in resolved {
        let data = param.parameter_data_ref();
        let location = location_of(&param);
        if location == ParamLocation::Header
            && IGNORED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
        {
            l.warn(
                "ignored-header",
                format!(
                    "header parameter `{}` is ignored: OpenAPI leaves it to the client",
                    data.name
                ),
                &pointer,
            );
            continue;
        }
        let hint = match pointer.component_name("parameters") {
            Some(component) => l.component_hint(&component, "Param"),
            None => format!("{type_base}{}", names::type_name(&data.name)),
        };
        let (ty, meta) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let schema_at = pointer.join("schema");
                let ty = l.schema_type(SchemaOrRef::from(schema), &schema_at, &hint);
                let meta = l.schema_meta(SchemaOrRef::from(schema), &schema_at);
                (ty, Some(meta))
            }
            ParameterSchemaOrContent::Content(_) => {
                l.warn(
                    "parameter-content",
                    "parameters described by `content` are sent as plain text",
                    &pointer.join("content"),
                );
                (TypeRef::Primitive(Primitive::String), None)
            }
        };
        let style = param_style(&param);
        if !has_style_form(l, &ty, style) {
            l.warn(
                "parameter-as-json",
                format!(
                    "parameter `{}` may hold objects inside lists or objects, which its style \
                     gives no form; those are sent as JSON text",
                    data.name
                ),
                &pointer,
            );
        }
        params.push(Param {
            name: names::snake_name(&data.name),
            wire: data.name.clone(),
            location,
            ty,
            // Path parameters are always required, whatever the spec says.
            required: data.required || location == ParamLocation::Path,
            doc: data
                .description
                .clone()
                .or_else(|| meta.as_ref().and_then(|m| m.description.clone())),
            deprecated: data.deprecated.unwrap_or(false)
                || meta.as_ref().is_some_and(|m| m.deprecated),
            constraints: meta
                .as_ref()
                .map(|m| m.constraints.clone())
                .unwrap_or_default(),
            example: data
                .example
                .clone()
                .or_else(|| meta.as_ref().and_then(|m| m.example.clone())),
            style,
            default: meta.and_then(|m| m.default),
        });
    }
    params
}

/// Names an operation method gives its arguments other than the path parameters (`params`,
/// `body`, `content_type`), its locals (`request`) and its doc example's (`client`).
const METHOD_NAMES: &[&str] = &["params", "body", "content_type", "request", "client"];

/// Whether the parameter's style writes every value of the type: scalars, lists of scalars,
/// objects of those (of those again, to a few levels, for `deepObject`), and `oneOf`s of them
/// (Nexus's `NameOrId`, buildomat's one id or a list of ids), which are written as the value
/// they hold.
fn has_style_form(l: &Lowerer<'_>, ty: &TypeRef, style: ParamStyle) -> bool {
    let nesting = if style == ParamStyle::Deep { 4 } else { 1 };
    writable(l, ty, Level::Value(nesting), 0)
}

/// Where in a parameter's value a type is.
#[derive(Clone, Copy)]
enum Level {
    /// The value, or a property of an object at most this many objects deep.
    Value(usize),
    /// An item of a list.
    Item,
}

fn writable(l: &Lowerer<'_>, ty: &TypeRef, level: Level, depth: usize) -> bool {
    // A `oneOf` that holds itself.
    if depth > 8 {
        return false;
    }
    let object = |fields: Vec<&TypeRef>| match level {
        Level::Value(levels) if levels > 0 => fields
            .into_iter()
            .all(|ty| writable(l, ty, Level::Value(levels - 1), depth + 1)),
        _ => false,
    };
    match ty {
        // Any JSON value: it may be an object anywhere.
        TypeRef::Primitive(Primitive::Json) => false,
        TypeRef::Primitive(_) => true,
        TypeRef::Array(item) => {
            matches!(level, Level::Value(_)) && writable(l, item, Level::Item, depth + 1)
        }
        TypeRef::Map(value) => object(vec![&**value]),
        TypeRef::Named(id) => match l.types.get(id).map(|def| &def.kind) {
            Some(TypeKind::Enum(_) | TypeKind::IntEnum(_)) => true,
            Some(TypeKind::OneOf(o)) => o
                .variants
                .iter()
                .all(|v| writable(l, &v.ty, level, depth + 1)),
            Some(TypeKind::Struct(s)) => object(
                s.fields
                    .iter()
                    .map(|f| &f.ty)
                    .chain(&s.additional)
                    .collect(),
            ),
            _ => false,
        },
    }
}

/// A parameter's [`ParamStyle`], from its `style` and `explode`.
fn param_style(param: &Parameter) -> ParamStyle {
    let explode = param.parameter_data_ref().explode;
    let (separator, explodes_by_default) = match param {
        Parameter::Query { style, .. } => match style {
            openapiv3::QueryStyle::Form => (',', true),
            openapiv3::QueryStyle::SpaceDelimited => (' ', false),
            openapiv3::QueryStyle::PipeDelimited => ('|', false),
            openapiv3::QueryStyle::DeepObject => return ParamStyle::Deep,
        },
        Parameter::Path { style, .. } => match style {
            openapiv3::PathStyle::Simple => (',', false),
            openapiv3::PathStyle::Label => {
                return ParamStyle::Label {
                    explode: explode.unwrap_or(false),
                };
            }
            openapiv3::PathStyle::Matrix => {
                return ParamStyle::Matrix {
                    explode: explode.unwrap_or(false),
                };
            }
        },
        Parameter::Header { .. } => (',', false),
        Parameter::Cookie { .. } => (',', true),
    };
    if explode.unwrap_or(explodes_by_default) {
        ParamStyle::Exploded
    } else {
        ParamStyle::Joined(separator)
    }
}

fn location_of(param: &Parameter) -> ParamLocation {
    match param {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// How a media type's content is handled, in the order of preference.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    /// `application/x-www-form-urlencoded`: typed in request bodies, bytes in responses.
    Form,
    /// `multipart/form-data`: built part by part in request bodies, bytes in responses.
    Multipart,
    Text,
    Binary,
}

/// Which end of the exchange a body is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// The media type to use: JSON if offered, else a form (requests only), else text, else the
/// first.
fn pick_media(
    content: &indexmap::IndexMap<String, MediaType>,
    side: Side,
) -> Option<(&String, &MediaType, MediaKind)> {
    content
        .iter()
        .map(|(name, media)| match media_kind(name) {
            MediaKind::Form | MediaKind::Multipart if side == Side::Response => {
                (name, media, MediaKind::Binary)
            }
            kind => (name, media, kind),
        })
        .min_by_key(|(_, _, kind)| *kind)
}

fn media_body(
    l: &mut Lowerer<'_>,
    media: Option<(&String, &MediaType, MediaKind)>,
    at: &Pointer,
    hint: &str,
) -> Body {
    let Some((name, media, kind)) = media else {
        return Body::Empty;
    };
    let media_at = at.join("content").join(name);
    // Any media type (`*/*`) holding a string is the raw content (GitHub's release asset
    // upload), not a JSON string in quotes.
    let raw = kind == MediaKind::Json
        && name
            .split(';')
            .next()
            .is_some_and(|essence| essence.trim() == "*/*")
        && media.schema.is_some()
        && !has_structure(l, Some(media), &media_at);
    if raw {
        return Body::Binary;
    }
    match kind {
        MediaKind::Json => Body::Json(match &media.schema {
            Some(schema) => l.schema_type(schema.into(), &media_at.join("schema"), hint),
            None => TypeRef::Primitive(Primitive::Json),
        }),
        MediaKind::Form => form_body(l, media, &media_at, hint),
        MediaKind::Multipart => Body::Multipart(multipart_parts(l, media, &media_at)),
        MediaKind::Text => Body::Text,
        MediaKind::Binary => Body::Binary,
    }
}

/// Whether a media type's schema describes more than bytes. Bytes are what a file's body is
/// (`type: string, format: binary`, or no schema at all); a schema with structure (multipart
/// parts, say) is lost when the body is taken as bytes.
fn has_structure(l: &mut Lowerer<'_>, media: Option<&MediaType>, at: &Pointer) -> bool {
    let Some(schema) = media.and_then(|media| media.schema.as_ref()) else {
        return false;
    };
    l.resolve_schema(schema.into(), &at.join("schema"))
        .is_some_and(|(_, schema)| {
            !matches!(
                schema.schema_kind,
                openapiv3::SchemaKind::Type(openapiv3::Type::String(_))
            )
        })
}

/// The parts a `multipart/form-data` schema describes: its properties (none for a schema that
/// is not an object; the caller adds parts all the same).
fn multipart_parts(l: &mut Lowerer<'_>, media: &MediaType, at: &Pointer) -> Vec<MultipartPart> {
    let Some(schema) = &media.schema else {
        return Vec::new();
    };
    let Some((pointer, schema)) = l.resolve_schema(schema.into(), &at.join("schema")) else {
        return Vec::new();
    };
    let (properties, required) = match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => (&o.properties, &o.required),
        openapiv3::SchemaKind::Any(any) => (&any.properties, &any.required),
        _ => return Vec::new(),
    };
    let mut parts = Vec::with_capacity(properties.len());
    for (name, property) in properties {
        let property_at = pointer.join("properties").join(name);
        let meta = l.schema_meta(property.into(), &property_at);
        let file = l
            .resolve_schema(property.into(), &property_at)
            .is_some_and(|(_, schema)| match &schema.schema_kind {
                openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) => matches!(
                    s.format,
                    openapiv3::VariantOrUnknownOrEmpty::Item(
                        openapiv3::StringFormat::Binary | openapiv3::StringFormat::Byte
                    )
                ),
                _ => false,
            });
        parts.push(MultipartPart {
            name: name.clone(),
            required: required.contains(name),
            file,
            doc: meta.description,
        });
    }
    parts
}

/// A form request body: typed when its schema is an object (a struct or a map), as OpenAPI's
/// default encoding of forms needs property names; bytes otherwise.
fn form_body(l: &mut Lowerer<'_>, media: &MediaType, at: &Pointer, hint: &str) -> Body {
    let ty = media
        .schema
        .as_ref()
        .map(|schema| l.schema_type(schema.into(), &at.join("schema"), hint));
    let object = match &ty {
        Some(TypeRef::Map(_)) => true,
        Some(TypeRef::Named(id)) => l
            .type_mut(*id)
            .is_some_and(|def| matches!(def.kind, TypeKind::Struct(_))),
        _ => false,
    };
    let (Some(ty), true) = (ty, object) else {
        l.warn(
            "body-as-bytes",
            "a form request body whose schema is not an object is passed as bytes the caller \
             encodes",
            at,
        );
        return Body::Binary;
    };
    // Only the default encoding is written: `style: form` with `explode: true`. openapiv3 reads
    // a missing `explode` as false, so whether it was written is asked of the raw document.
    for (property, encoding) in &media.encoding {
        let encoding_at = at.join("encoding").join(property);
        let default_style = matches!(encoding.style, None | Some(openapiv3::QueryStyle::Form));
        let explode = encoding_at
            .join("explode")
            .lookup(&l.doc.raw)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true);
        if !default_style || !explode || encoding.allow_reserved {
            l.warn(
                "form-encoding-ignored",
                format!(
                    "the encoding of form property `{property}` is not the default one (`style: \
                     form`, `explode: true`); it is sent that way regardless"
                ),
                &encoding_at,
            );
        }
    }
    Body::Form(ty)
}

fn request_body(
    l: &mut Lowerer<'_>,
    op: &openapiv3::Operation,
    at: &Pointer,
    type_base: &str,
) -> Option<RequestBody> {
    let doc = l.doc;
    let body = op.request_body.as_ref()?;
    let components = doc.api.components.as_ref().map(|c| &c.request_bodies);
    let (pointer, body) = l.resolve(body, &at.join("requestBody"), "requestBodies", components)?;
    let hint = match pointer.component_name("requestBodies") {
        Some(component) => l.component_hint(&component, "Request"),
        None => format!("{type_base}Request"),
    };
    let media = pick_media(&body.content, Side::Request);
    let Some((media_type, _, kind)) = media else {
        l.warn(
            "body-without-content",
            "request body has no `content`; none is sent",
            &pointer,
        );
        return None;
    };
    let media_type = media_type.clone();
    // A form whose schema is not an object falls back to bytes with its own warning.
    let media_at = pointer.join("content").join(&media_type);
    if kind == MediaKind::Binary && has_structure(l, media.map(|(_, m, _)| m), &media_at) {
        l.warn(
            "body-as-bytes",
            format!("`{media_type}` request bodies are passed as bytes the caller encodes"),
            &media_at,
        );
    }
    let sent = media_body(l, media, &pointer, &hint);
    let operation = l.operation_id.clone().unwrap_or_default();
    let description = body.description.as_deref().unwrap_or("").trim();
    document_body(
        l,
        &sent,
        format!("The body of a `{operation}` request. {description}"),
    );
    // Bytes or text the spec lets be of several media types, or of a range (GitHub's release
    // assets, `*/*`): the caller says which, as a hand-written client would ask.
    let media_choices: Vec<String> = match sent {
        Body::Binary | Body::Text => body
            .content
            .keys()
            .filter(|name| {
                name.contains('*')
                    || matches!(media_kind(name), MediaKind::Binary | MediaKind::Text)
            })
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let media_choices = if media_choices.len() > 1 || media_type.contains('*') {
        media_choices
    } else {
        Vec::new()
    };
    // A media type range is no `Content-Type`: JSON says what it is.
    let media_type = match (&sent, media_type.contains('*')) {
        (Body::Json(_), true) => "application/json".to_owned(),
        (_, true) => "application/octet-stream".to_owned(),
        (_, false) => media_type,
    };
    Some(RequestBody {
        media_type,
        body: sent,
        required: body.required,
        doc: body.description.clone().filter(|d| !d.trim().is_empty()),
        idempotency_key: None,
        media_choices,
    })
}

/// The success responses and the error responses, in the spec's order.
fn responses(
    l: &mut Lowerer<'_>,
    op: &openapiv3::Operation,
    at: &Pointer,
    type_base: &str,
) -> (Vec<StatusVariant>, Vec<StatusVariant>) {
    let doc = l.doc;
    let components = doc.api.components.as_ref().map(|c| &c.responses);
    let responses_at = at.join("responses");
    let listed = op
        .responses
        .responses
        .iter()
        .map(|(code, response)| {
            let (status, key) = match code {
                StatusCode::Code(n) => (StatusMatch::Code(*n), n.to_string()),
                StatusCode::Range(n) => (StatusMatch::Range(*n), format!("{n}XX")),
            };
            (status, key, response)
        })
        .chain(
            op.responses
                .default
                .iter()
                .map(|r| (StatusMatch::Default, "default".to_owned(), r)),
        );

    // When the success statuses have different bodies, their inline bodies are named after
    // their statuses, as errors are; the same inline schema twice (a 200 and a 201) is one type.
    let success_contents: Vec<_> = op
        .responses
        .responses
        .iter()
        .filter(|(code, _)| matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2)))
        .map(|(_, response)| match response {
            ReferenceOr::Reference { reference } => Err(reference.as_str()),
            ReferenceOr::Item(response) => Ok(pick_media(&response.content, Side::Response)
                .map(|(_, media, kind)| (kind, &media.schema))),
        })
        .collect();
    let several_bodies = success_contents.iter().any(|c| *c != success_contents[0]);
    let mut lowered: Vec<(SuccessContent, Body)> = Vec::new();
    let mut successes = Vec::new();
    let mut errors = Vec::new();
    for (status, key, response) in listed {
        let Some((pointer, response)) =
            l.resolve(response, &responses_at.join(&key), "responses", components)
        else {
            continue;
        };
        let component = pointer.component_name("responses").map(Cow::into_owned);
        let is_success = match status {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(class) => class == 2,
            StatusMatch::Default => false,
        };
        let variant = variant_name(status, component.as_deref());
        let hint = match (&component, is_success && !several_bodies) {
            (Some(component), _) => l.component_hint(component, "Response"),
            (None, true) => format!("{type_base}Response"),
            (None, false) => format!("{type_base}{variant}"),
        };
        // Kept (a copy) only to be compared with the other success statuses' bodies.
        let content = (is_success && success_contents.len() > 1).then(|| {
            pick_media(&response.content, Side::Response)
                .map(|(_, media, kind)| (kind, media.schema.clone()))
        });
        let same = content
            .as_ref()
            .and_then(|content| lowered.iter().find(|(earlier, _)| earlier == content));
        let body = match same {
            Some((_, body)) => body.clone(),
            None => {
                let media = pick_media(&response.content, Side::Response);
                let body = media_body(l, media, &pointer, &hint);
                if let Some(content) = content {
                    lowered.push((content, body.clone()));
                }
                body
            }
        };
        let description = response.description.trim();
        let doc = match (&component, status) {
            (Some(_), _) => description.to_owned(),
            (None, StatusMatch::Code(code)) => format!(
                "The body of a {code} response to `{}`. {description}",
                l.operation_id.as_deref().unwrap_or_default()
            ),
            (None, _) => format!(
                "The body of a `{key}` response to `{}`. {description}",
                l.operation_id.as_deref().unwrap_or_default()
            ),
        };
        document_body(l, &body, doc);
        let variant = StatusVariant {
            name: variant,
            status,
            body,
            doc: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
        };
        if is_success {
            successes.push(variant);
        } else {
            errors.push(variant);
        }
    }

    (successes, errors)
}

/// A response's body as the spec writes it: the kind of the media type picked, and its schema.
type SuccessContent = Option<(MediaKind, Option<ReferenceOr<openapiv3::Schema>>)>;

/// What a success holds: the body every documented success status has, or, when they differ
/// (GitHub's statistics: a list for 200, an empty object for 202 while it counts; a body for
/// 201 and none for 204), an enum of them chosen by status.
fn success_body(
    l: &mut Lowerer<'_>,
    successes: Vec<StatusVariant>,
    at: &Pointer,
    type_base: &str,
    method_name: &str,
) -> Body {
    let Some(first) = successes.first() else {
        return Body::Empty;
    };
    if successes.iter().all(|s| s.body == first.body) {
        return first.body.clone();
    }
    Body::ByStatus(l.add_type(
        format!("{type_base}Success"),
        at.join("responses"),
        None,
        TypeKind::Successes(StatusSet {
            method_name: method_name.to_owned(),
            variants: successes,
        }),
    ))
}

/// Gives a type made for an inline body schema without a description a doc saying what it is.
fn document_body(l: &mut Lowerer<'_>, body: &Body, doc: String) {
    let Some(TypeRef::Named(id)) = body.typed() else {
        return;
    };
    if let Some(def) = l.type_mut(*id) {
        if def.doc.is_none() && def.origin.component_name("schemas").is_none() {
            def.doc = Some(doc.trim().to_owned()).filter(|d| !d.is_empty());
        }
    }
}

/// `NotAuthorized` from a response component, else the status's reason phrase.
fn variant_name(status: StatusMatch, component: Option<&str>) -> String {
    if let Some(component) = component {
        return names::type_name(component);
    }
    match status {
        StatusMatch::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(names::type_name)
            .unwrap_or_else(|| format!("Status{code}")),
        StatusMatch::Range(4) => "ClientError".to_owned(),
        StatusMatch::Range(5) => "ServerError".to_owned(),
        StatusMatch::Range(class) => format!("Status{class}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}

/// The operation's security requirements (or the document's), as lists of scheme names.
fn security(l: &mut Lowerer<'_>, op: &openapiv3::Operation, at: &Pointer) -> Vec<Vec<String>> {
    let doc = l.doc;
    let requirements = op.security.as_ref().or(doc.api.security.as_ref());
    let known = doc.api.components.as_ref().map(|c| &c.security_schemes);
    let mut out = Vec::new();
    for requirement in requirements.into_iter().flatten() {
        let mut schemes = Vec::new();
        for name in requirement.keys() {
            if known.is_some_and(|k| k.contains_key(name)) {
                schemes.push(name.clone());
            } else {
                l.warn(
"unknown-security-scheme",
                    format!("security scheme `{name}` is not defined in components.securitySchemes; it is ignored"),
                    &at.join("security"),
                );
            }
        }
        out.push(schemes);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_into_literals_and_params() {
        let t = parse_template("/v1/pairs/{trading-pair}/x{y}").unwrap();
        assert_eq!(
            t.segments,
            vec![
                PathSegment::Literal("/v1/pairs/".into()),
                PathSegment::Param("trading-pair".into()),
                PathSegment::Literal("/x".into()),
                PathSegment::Param("y".into()),
            ]
        );
        assert!(parse_template("/a/{b").is_err());
        assert!(parse_template("/a/b}").is_err());
        assert!(parse_template("/a/{}").is_err());
    }

    #[test]
    fn error_variants_are_named_by_component_then_reason() {
        assert_eq!(
            variant_name(StatusMatch::Code(401), Some("NotAuthorized")),
            "NotAuthorized"
        );
        assert_eq!(variant_name(StatusMatch::Code(404), None), "NotFound");
        assert_eq!(variant_name(StatusMatch::Code(599), None), "Status599");
        assert_eq!(variant_name(StatusMatch::Range(5), None), "ServerError");
        assert_eq!(variant_name(StatusMatch::Default, None), "Default");
    }
}
