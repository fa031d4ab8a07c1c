//! `operations.rs`: one method per operation (and its `_with_response` twin) on `Client`.
//!
//! A method only describes its request — path from the parsed template, parameters, body,
//! security — and hands it to one runtime function chosen by the success body. It is a plain
//! `fn` returning `impl Future + use<'_>`, not an `async fn`: the arguments are encoded when it
//! is called, so the future borrows only the client; a problem found meanwhile is returned by
//! the future, and nothing is sent. (That the futures are `Send` is checked once, in the
//! runtime. The two `async fn`s per operation this replaces cost 8 % of the instructions of
//! `cargo check` of Circle's whole client.)

use super::doc::{DocBuilder, code};
use super::validate::{self, Patterns};
use super::{Context, Scope, ident, rust_type};
use crate::ir::{
    Api, Body, Operation, Param, ParamLocation, ParamStyle, PathSegment, Primitive, StatusMatch,
    TypeDef, TypeKind, TypeRef,
};
use crate::names::{suffixed, unraw};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn operations_rs<'a>(cx: &'a Context<'a>) -> super::Parts<'a, &'a Operation> {
    let module_doc = DocBuilder::new()
        .line("The operations of the API, as methods on [`Client`].")
        .inner();
    let needs_runtime = !cx.api.operations.is_empty();
    let imports = if needs_runtime {
        quote! {
            use crate::models;
            use crate::runtime::{self, Client, Error, Method, Request, ResponseValue};
        }
    } else {
        quote!(
            use crate::runtime::Client;
        )
    };
    super::Parts {
        items: cx.api.operations.iter().collect(),
        make: Box::new(move |op, patterns: &mut Patterns| operation(cx, op, patterns)),
        head: quote! {
            #module_doc
            #imports
        },
        within: Some(quote!(impl Client)),
        verbatim: std::collections::BTreeMap::new(),
    }
}

fn operation(cx: &Context<'_>, op: &Operation, patterns: &mut Patterns) -> TokenStream {
    let api = cx.api;
    let method = ident(&op.method_name);
    let with_response = format_ident!("{}", suffixed(&op.method_name, "with_response"));
    let operation_id = &op.operation_id;

    let sig = Signature::of(api, op);
    let (args, arg_names) = (&sig.args, &sig.arg_names);
    let (success, errors) = (&sig.success, &sig.errors);
    let send = match &op.success {
        Body::Json(_) => quote!(send_json),
        Body::Empty => quote!(send_empty),
        Body::Text => quote!(send_text),
        Body::Binary | Body::Form(_) | Body::Multipart(_) => quote!(send_bytes),
        Body::ByStatus(_) => quote!(send_by_status),
    };

    let checks = argument_checks(api, op, patterns);
    let path = build_path(api, op);
    let template = op.path.raw.as_str();
    let mut statements = Vec::new();
    let http_method = format_ident!("{}", op.method.as_str());
    if let Some(server) = &op.server {
        statements.push(quote!(request.server(#server);));
    }
    if let Some(security) = security(op) {
        statements.push(security);
    }
    if let Some(params) = op.params.and_then(|id| api.types.get(&id)) {
        statements.extend(params_statements(api, params));
    }
    if let Some(body) = &op.body {
        let checked = body
            .body
            .typed()
            .is_some_and(|ty| contains(ty, &cx.validated));
        statements.push(body_statement(body, checked));
    }
    // `send_json` asks for JSON itself; successes by status ask when one of them is JSON.
    if let Body::ByStatus(id) = &op.success {
        if let Some(TypeKind::Successes(set)) = api.types.get(id).map(|def| &def.kind) {
            if set.variants.iter().any(|v| matches!(v.body, Body::Json(_))) {
                statements.push(quote!(request.accept("application/json");));
            }
        }
    }
    let request_mut = if checks.is_empty() && path.is_empty() && statements.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let send_request = quote! {
        let #request_mut request = Request::new(#operation_id, Method::#http_method, #template);
        #checks
        #(#path)*
        #(#statements)*
        runtime::#send(self, request)
    };

    let doc = operation_doc(cx, op);
    let with_response_doc = DocBuilder::new()
        .line(format!(
            "Like [`Client::{}`], but also returns the response's status, headers and request id.",
            unraw(&op.method_name)
        ))
        .outer();
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // A deprecated method calls its deprecated twin; that call is not the user's to be warned of.
    let allow_deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let plain_body = match allow_deprecated {
        Some(allow) => quote! {
            #allow
            let call = self.#with_response(#(#arg_names),*);
            runtime::into_inner(call)
        },
        None => quote!(runtime::into_inner(self.#with_response(#(#arg_names),*))),
    };
    let stream = stream_method(cx, op);
    // An anonymous list of maps of maps, say, inside `impl Future<Output = Result<…>>`: a type
    // alias of our own would need a name no schema gave it.
    let complex = nested_containers(op).then(|| quote!(#[allow(clippy::type_complexity)]));
    // Every path parameter is an argument (`&self` counts too for clippy): a deep path with
    // parameters and a body takes more than clippy's seven, as the spec says it must.
    let many = (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let plain_output = call_output(success, errors);
    let with_response_output = call_output(&quote!(ResponseValue<#success>), errors);
    quote! {
        #doc
        #complex
        #many
        pub fn #method(&self, #(#args),*) -> #plain_output {
            #plain_body
        }

        #with_response_doc
        #deprecated
        #complex
        #many
        pub fn #with_response(&self, #(#args),*) -> #with_response_output {
            #send_request
        }

        #stream
    }
}

/// Whether an operation's methods take or return a list or map of lists or maps, which the
/// future's type around it makes more complex than clippy's `type_complexity` allows.
fn nested_containers(op: &Operation) -> bool {
    fn depth(ty: &TypeRef) -> usize {
        match ty {
            TypeRef::Array(item) | TypeRef::Map(item) => 1 + depth(item),
            TypeRef::Primitive(_) | TypeRef::Named(_) => 0,
        }
    }
    let body = op.body.as_ref().map(|body| &body.body);
    [&op.success]
        .into_iter()
        .chain(body)
        .filter_map(Body::typed)
        .chain(op.path_params.iter().map(|param| &param.ty))
        .any(|ty| depth(ty) >= 2)
}

/// What an operation's methods return: a future of `success` or the operation's error set, which
/// borrows only the client.
fn call_output(success: &TokenStream, errors: &proc_macro2::Ident) -> TokenStream {
    quote!(impl Future<Output = Result<#success, Error<models::#errors>>> + use<'_>)
}

/// The arguments and result types of an operation's method.
pub(crate) struct Signature {
    /// `name: Type`, in order: path parameters in template order, the parameter struct, the body.
    pub args: Vec<TokenStream>,
    /// The argument names alone.
    pub arg_names: Vec<TokenStream>,
    /// What a success returns.
    pub success: TokenStream,
    /// The operation's error set.
    pub errors: proc_macro2::Ident,
}

impl Signature {
    pub(crate) fn of(api: &Api, op: &Operation) -> Self {
        let mut args = Vec::new();
        let mut arg_names = Vec::new();
        for param in &op.path_params {
            let name = ident(&param.name);
            let ty = path_arg_type(api, &param.ty);
            args.push(quote!(#name: #ty));
            arg_names.push(quote!(#name));
        }
        if let Some(params) = op.params.and_then(|id| api.types.get(&id)) {
            let ty = ident(&params.name);
            args.push(quote!(params: &models::#ty));
            arg_names.push(quote!(params));
        }
        if let Some(body) = &op.body {
            let ty = match &body.body {
                Body::Json(ty) | Body::Form(ty) => {
                    let ty = rust_type(api, ty, Scope::Crate);
                    quote!(&#ty)
                }
                Body::Text => quote!(&str),
                Body::Multipart(_) => quote!(&runtime::Multipart),
                Body::Binary | Body::Empty | Body::ByStatus(_) => quote!(Vec<u8>),
            };
            let ty = if body.required {
                ty
            } else {
                quote!(Option<#ty>)
            };
            args.push(quote!(body: #ty));
            arg_names.push(quote!(body));
            if !body.media_choices.is_empty() {
                args.push(quote!(content_type: &str));
                arg_names.push(quote!(content_type));
            }
        }
        let errors = api
            .types
            .get(&op.errors)
            .map_or_else(|| ident("Unknown"), |def| ident(&def.name));
        let success = match &op.success {
            Body::Json(ty) => rust_type(api, ty, Scope::Crate),
            Body::Empty => quote!(()),
            Body::Text => quote!(String),
            Body::Binary | Body::Form(_) | Body::Multipart(_) => quote!(Vec<u8>),
            Body::ByStatus(id) => rust_type(api, &TypeRef::Named(*id), Scope::Crate),
        };
        Signature {
            args,
            arg_names,
            success,
            errors,
        }
    }

    /// The method's declaration, as text laid out by prettyplease (for the Markdown pages).
    pub(crate) fn declaration(&self, op: &Operation) -> String {
        let method = ident(&op.method_name);
        let (args, success, errors) = (&self.args, &self.success, &self.errors);
        // A trait, because a declaration without a body only parses there.
        let output = call_output(success, errors);
        let item = quote! {
            trait Client {
                fn #method(&self, #(#args),*) -> #output;
            }
        };
        super::body_lines(item)
            .unwrap_or_default()
            .into_iter()
            .map(|line| match line.strip_prefix("fn ") {
                Some(rest) => format!("pub fn {rest}"),
                None => line,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `<method>_stream`: every item of a cursor-paginated list, fetched page by page as the stream
/// is read (see `runtime::paginate`).
fn stream_method(cx: &Context<'_>, op: &Operation) -> Option<TokenStream> {
    let api = cx.api;
    let pagination = op.pagination.as_ref()?;
    let params = api.types.get(&op.params?)?;
    let params_ty = ident(&params.name);
    let Body::Json(page_ty) = &op.success else {
        return None;
    };
    let page_ty = rust_type(api, page_ty, Scope::Crate);
    let item_ty = rust_type(api, &pagination.item, Scope::Crate);
    let errors = ident(&api.types.get(&op.errors)?.name);
    let method = ident(&op.method_name);
    let stream = format_ident!("{}", pagination.stream);
    let items = ident(&pagination.items);
    let take_items = if pagination.items_optional {
        quote!(page.#items.unwrap_or_default())
    } else {
        quote!(page.#items)
    };
    let after = ident(&pagination.after);
    let id = ident(&pagination.id);
    let cursor_is_string = pagination.after_ty == TypeRef::Primitive(crate::ir::Primitive::String);
    let cursor = match (&pagination.id_ty, cursor_is_string) {
        (TypeRef::Primitive(crate::ir::Primitive::String), _) | (_, false) => quote!(id.clone()),
        _ => quote!(id.to_string()),
    };
    let set_cursor = if pagination.id_from_json {
        let wire = &pagination.id;
        quote! {
            let id = serde_json::to_value(last)
                .ok()
                .and_then(|item| item.get(#wire)?.as_str().map(str::to_owned));
            match id {
                Some(id) => {
                    params.#after = Some(id);
                    true
                }
                None => false,
            }
        }
    } else if pagination.id_optional {
        quote! {
            match &last.#id {
                Some(id) => {
                    params.#after = Some(#cursor);
                    true
                }
                None => false,
            }
        }
    } else {
        quote! {
            let id = &last.#id;
            params.#after = Some(#cursor);
            true
        }
    };
    let clear_before = pagination.before.as_ref().map(|before| {
        let before = ident(before);
        quote!(params.#before = None;)
    });
    let page_size = match &pagination.size {
        Some(size) => {
            let size = ident(size);
            if pagination.size_i32 {
                quote!(|params: &models::#params_ty| params.#size.map(i64::from))
            } else {
                quote!(|params: &models::#params_ty| params.#size)
            }
        }
        None => quote!(|_: &models::#params_ty| None),
    };
    let doc = DocBuilder::new()
        .line(format!(
            "Every item of [`Client::{}`], page after page, as a stream: each next page is \
             asked for with `{}` set to the id of the last item, when the stream gets there. It \
             ends after an empty page or one shorter than `{}`, and after an error (the \
             stream's last item).",
            unraw(&op.method_name),
            pagination.after.trim_start_matches("r#"),
            pagination.size.as_deref().unwrap_or("the page size"),
        ))
        .line("# Example")
        .raw_lines(
            std::iter::once(String::new()).chain(super::example::operation(cx, op, true).rustdoc()),
        )
        .outer();
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    Some(quote! {
        #doc
        #allow
        pub fn #stream<'a>(
            &'a self,
            params: &models::#params_ty,
        ) -> impl futures_util::Stream<Item = Result<#item_ty, Error<models::#errors>>> + 'a {
            runtime::paginate(
                params.clone(),
                move |params: models::#params_ty| self.#method(&params),
                |page: #page_ty| #take_items,
                |params: &mut models::#params_ty, last: &#item_ty| {
                    #clear_before
                    #set_cursor
                },
                #page_size,
            )
        }
    })
}

fn contains(ty: &TypeRef, validated: &std::collections::BTreeSet<crate::ir::TypeId>) -> bool {
    match ty {
        TypeRef::Named(id) => validated.contains(id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => contains(inner, validated),
        TypeRef::Primitive(_) => false,
    }
}

/// Checks of path arguments and parameters against the spec's limits, before anything is sent.
fn argument_checks(api: &Api, op: &Operation, patterns: &mut Patterns) -> TokenStream {
    let mut statements = Vec::new();
    for param in &op.path_params {
        if validate::has_checks(&param.ty, &param.constraints) {
            let name = ident(&param.name);
            let check = validate::checks(
                &param.ty,
                &param.constraints,
                quote!(""),
                &param.wire,
                patterns,
            );
            statements.push(quote!({ let value = &#name; #check }));
        }
    }
    if let Some(TypeDef {
        kind: TypeKind::Params(p),
        ..
    }) = op.params.and_then(|id| api.types.get(&id))
    {
        for param in &p.params {
            if validate::has_checks(&param.ty, &param.constraints) {
                let field = ident(&param.name);
                let check = validate::checks(
                    &param.ty,
                    &param.constraints,
                    quote!(""),
                    &param.wire,
                    patterns,
                );
                statements.push(if param.required {
                    quote!({ let value = &params.#field; #check })
                } else {
                    quote!(if let Some(value) = &params.#field { #check })
                });
            }
        }
    }
    if statements.is_empty() {
        return quote!();
    }
    quote! {
        let problems = &mut Vec::new();
        #(#statements)*
        request.check_arguments(std::mem::take(problems));
    }
}

/// The parts a multipart body's spec describes, as a nested list under the `body` argument.
fn multipart_lines(parts: &[crate::ir::MultipartPart]) -> Vec<String> {
    if parts.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![
        "  Its parts (added with [`Multipart::text`](crate::runtime::Multipart::text) and \
         [`Multipart::file`](crate::runtime::Multipart::file)):"
            .to_owned(),
    ];
    for part in parts {
        let doc = part
            .doc
            .as_deref()
            .map(|doc| format!(": {}", first_sentence(doc)))
            .unwrap_or_default();
        lines.push(format!("  - {}{doc}", part_text(part)));
    }
    lines
}

/// A multipart part as the docs name it: `` `file` (a file, required) ``.
pub(crate) fn part_text(part: &crate::ir::MultipartPart) -> String {
    let what = if part.file { "a file" } else { "text" };
    let required = if part.required { ", required" } else { "" };
    format!("{} ({what}{required})", code(&part.name))
}

/// The type of a path argument: borrowed where the value is not `Copy`.
fn path_arg_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::String) => quote!(&str),
        TypeRef::Primitive(p) if p.is_copy() => rust_type(api, ty, Scope::Crate),
        TypeRef::Array(item) => {
            let item = rust_type(api, item, Scope::Crate);
            quote!(&[#item])
        }
        _ => {
            let ty = rust_type(api, ty, Scope::Crate);
            quote!(&#ty)
        }
    }
}

/// The path, piece by piece from the parsed template: literal pieces as they are, each parameter
/// percent-encoded by the runtime. Parameter names never reach a format string.
fn build_path(api: &Api, op: &Operation) -> Vec<TokenStream> {
    op.path
        .segments
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(literal) => quote!(request.path(#literal);),
            PathSegment::Param(wire) => {
                let param = op.path_params.iter().find(|p| &p.wire == wire);
                // A `oneOf` of a uuid and a name (Nexus's `NameOrId`), an object: the text of
                // its JSON form, which the runtime makes. A list of scalars is comma-separated.
                let json = |ty: &TypeRef| match ty {
                    TypeRef::Array(item) => is_json(api, item),
                    ty => is_json(api, ty),
                };
                let Some(param) = param else {
                    return quote!(request.path_param(#wire, ""););
                };
                let name = ident(&param.name);
                match param.style {
                    // Prefixed styles go by the JSON form whatever the type: the runtime writes
                    // the delimiters around each value.
                    ParamStyle::Label { explode } | ParamStyle::Matrix { explode } => {
                        let matrix = matches!(param.style, ParamStyle::Matrix { .. });
                        let value = match &param.ty {
                            TypeRef::Primitive(p) if p.is_copy() => quote!(&#name),
                            _ => quote!(#name),
                        };
                        quote!(request.path_param_prefixed(#wire, #value, #matrix, #explode);)
                    }
                    _ if json(&param.ty) => {
                        let explode = param.style == ParamStyle::Exploded;
                        quote!(request.path_param_json(#wire, #name, #explode);)
                    }
                    _ => {
                        let value = path_text(&param.ty, quote!(#name));
                        quote!(request.path_param(#wire, #value);)
                    }
                }
            }
        })
        .collect()
}

/// A `&str` of a path argument.
fn path_text(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::String) => value,
        TypeRef::Array(item) if **item == TypeRef::Primitive(Primitive::String) => {
            quote!(&#value.join(","))
        }
        TypeRef::Array(item) => {
            let each = text(item, quote!(value));
            quote!(&#value.iter().map(|value| #each).collect::<Vec<_>>().join(","))
        }
        _ => {
            let text = text(ty, value);
            quote!(&#text)
        }
    }
}

/// A `String` of a value given by reference, in the form used in URLs and headers.
fn text(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::String) => quote!(#value.clone()),
        TypeRef::Primitive(Primitive::DateTime) => {
            quote!(#value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        }
        TypeRef::Primitive(_) => quote!(#value.to_string()),
        // Enums print their wire value (anything else goes through `is_json`'s adders).
        TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Array(_) => quote!(#value.to_string()),
    }
}

/// Whether the value has a plain text form (`Display`), or gets one from its JSON form (the
/// runtime's `*_json` adders).
fn is_json(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        // Any JSON value (a schema without a type): a string goes as itself, not quoted.
        TypeRef::Primitive(Primitive::Json) => true,
        TypeRef::Primitive(_) => false,
        TypeRef::Named(id) => !matches!(
            api.types.get(id),
            Some(TypeDef {
                kind: TypeKind::Enum(_) | TypeKind::IntEnum(_),
                ..
            })
        ),
        TypeRef::Map(_) | TypeRef::Array(_) => true,
    }
}

/// Statements that add the parameters of the parameter struct.
fn params_statements(api: &Api, params: &TypeDef) -> Vec<TokenStream> {
    let TypeKind::Params(p) = &params.kind else {
        return Vec::new();
    };
    p.params
        .iter()
        .map(|param| {
            let field = ident(&param.name);
            let add = add_param(api, param);
            if param.required {
                quote! {
                    let value = &params.#field;
                    #add
                }
            } else {
                quote! {
                    if let Some(value) = &params.#field {
                        #add
                    }
                }
            }
        })
        .collect()
}

/// Adds one parameter held in `value` (a reference).
fn add_param(api: &Api, param: &Param) -> TokenStream {
    let wire = &param.wire;
    let adder = match param.location {
        ParamLocation::Query | ParamLocation::Path => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    match &param.ty {
        // Query lists are exploded (`a=1&a=2`) unless their style joins them; header and
        // cookie lists are comma-separated.
        TypeRef::Array(item) if !is_json(api, item) => {
            let adder = format_ident!("{adder}");
            let each = text(item, quote!(value));
            match param.list_separator() {
                None => quote! {
                    for value in value {
                        request.#adder(#wire, #each);
                    }
                },
                Some(separator) => {
                    let separator = separator.to_string();
                    if **item == TypeRef::Primitive(Primitive::String) {
                        quote!(request.#adder(#wire, value.join(#separator));)
                    } else {
                        quote! {
                            request.#adder(#wire, value.iter().map(|value| #each).collect::<Vec<_>>().join(#separator));
                        }
                    }
                }
            }
        }
        // Objects, values of `oneOf`s and untyped values go by their JSON form, written as the
        // parameter's style says (the runtime keeps the error if one cannot be serialized).
        ty if is_json(api, ty) => match (param.location, param.style) {
            (ParamLocation::Query, ParamStyle::Exploded) => {
                quote!(request.query_json(#wire, value);)
            }
            (ParamLocation::Query, ParamStyle::Deep) => {
                quote!(request.query_json_deep(#wire, value);)
            }
            (ParamLocation::Query, ParamStyle::Joined(separator)) => {
                let separator = separator.to_string();
                quote!(request.query_json_joined(#wire, value, #separator);)
            }
            (_, style) => {
                let adder = format_ident!("{adder}_json");
                let explode = style == ParamStyle::Exploded;
                quote!(request.#adder(#wire, value, #explode);)
            }
        },
        ty => {
            let adder = format_ident!("{adder}");
            let value = text(ty, quote!(value));
            quote!(request.#adder(#wire, #value);)
        }
    }
}

fn body_statement(body: &crate::ir::RequestBody, checked: bool) -> TokenStream {
    let media_type = &body.media_type;
    let check = checked.then(|| quote!(request.validate_body(body);));
    let send = match (&body.body, &body.idempotency_key) {
        (Body::Json(_), Some(key)) => quote! {
            request.json_with_idempotency_key(#media_type, body, #key, || {
                uuid::Uuid::new_v4().to_string()
            });
        },
        (Body::Json(_), None) => quote!(request.json(#media_type, body);),
        (Body::Form(_), _) => quote!(request.form(#media_type, body);),
        (Body::Text | Body::Binary, _) if !body.media_choices.is_empty() => {
            let choices = &body.media_choices;
            let bytes = match body.body {
                Body::Text => quote!(body.as_bytes().to_vec()),
                _ => quote!(body),
            };
            quote!(request.raw_body_as(&[#(#choices),*], content_type, #bytes);)
        }
        (Body::Text, _) => quote!(request.raw_body(#media_type, body.as_bytes().to_vec());),
        (Body::Multipart(parts), _) => {
            let required = parts.iter().filter(|p| p.required).map(|p| &p.name);
            quote!(request.multipart(#media_type, body, &[#(#required),*]);)
        }
        (Body::Binary | Body::Empty | Body::ByStatus(_), _) => {
            quote!(request.raw_body(#media_type, body);)
        }
    };
    if body.required {
        quote!(#check #send)
    } else {
        quote! {
            if let Some(body) = body {
                #check
                #send
            }
        }
    }
}

/// `request.security(&[&["scheme"], ...])`, if the operation has any requirement.
fn security(op: &Operation) -> Option<TokenStream> {
    if op.security.iter().all(Vec::is_empty) {
        return None;
    }
    let alternatives = op.security.iter().map(|schemes| quote!(&[#(#schemes),*]));
    Some(quote!(request.security(&[#(#alternatives),*]);))
}

fn operation_doc(cx: &Context<'_>, op: &Operation) -> TokenStream {
    let api = cx.api;
    let method = op.method.as_str();
    let endpoint = format!("`{method} {}`", op.path.raw);
    let location = match &op.server {
        Some(server) => format!(
            "{endpoint} (operation {}), sent to {}, its own server in the spec, while the client's \
             base URL is one of the spec's servers.",
            code(&op.operation_id),
            code(server)
        ),
        None => format!("{endpoint} (operation {}).", code(&op.operation_id)),
    };
    let mut doc = match op.summary.as_deref() {
        Some(summary) => DocBuilder::new()
            .markdown(Some(summary))
            .markdown(op.description.as_deref())
            .line(location),
        None => DocBuilder::new()
            .line(location)
            .markdown(op.description.as_deref()),
    };
    if !op.path_params.is_empty() || op.params.is_some() || op.body.is_some() {
        doc = doc.line("# Arguments");
        let mut lines = Vec::new();
        for param in &op.path_params {
            lines.push(argument_line(param));
        }
        if op.params.is_some() {
            lines.push("- `params`: the query and header parameters.".to_owned());
        }
        if let Some(body) = &op.body {
            let what = if body.required {
                "the request body"
            } else {
                "the request body; `None` sends no body"
            };
            let text = body.doc.as_deref().map(first_sentence);
            lines.push(match text {
                Some(text) => format!("- `body`: {what}. {text}"),
                None => format!("- `body`: {what}."),
            });
            if let Body::Multipart(parts) = &body.body {
                lines.extend(multipart_lines(parts));
            }
            if !body.media_choices.is_empty() {
                lines.push(format!("- `content_type`: {}", media_choices_text(body)));
            }
        }
        doc = doc.raw_lines(std::iter::once(String::new()).chain(lines));
    }
    let errors = api.types.get(&op.errors);
    let documented: Vec<String> = match errors.map(|d| &d.kind) {
        Some(TypeKind::Errors(set)) => set
            .variants
            .iter()
            .map(|v| {
                let status = match v.status {
                    StatusMatch::Code(code) => code.to_string(),
                    StatusMatch::Range(class) => format!("{class}xx"),
                    StatusMatch::Default => "any other status".to_owned(),
                };
                format!("{status} (`{}`)", v.name)
            })
            .collect(),
        _ => Vec::new(),
    };
    let errors_name = errors.map_or("", |d| d.name.as_str());
    let documented = if documented.is_empty() {
        "The spec documents no error responses for it.".to_owned()
    } else {
        format!(
            "[`Error::Api`] holds a [`models::{errors_name}`] for the \
             statuses the spec documents: {}.",
            documented.join(", ")
        )
    };
    doc = doc.line("# Errors").line(documented).line(
        "Other [`Error`] variants report undocumented statuses, bodies that \
             do not decode, invalid arguments, timeouts and transport failures.",
    );
    doc = doc
        .line("# Example")
        .raw_lines(std::iter::once(String::new()).chain(super::example::of(cx, op).rustdoc()));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let doc = doc.outer();
    quote!(#doc #deprecated)
}

/// What the `content_type` argument may be, for the docs.
pub(crate) fn media_choices_text(body: &crate::ir::RequestBody) -> String {
    let listed: Vec<String> = body.media_choices.iter().map(|m| code(m)).collect();
    let what = if body.required {
        "the body's media type"
    } else {
        "the body's media type, when there is one"
    };
    format!(
        "{what}, sent as `Content-Type`: one the spec takes ({}); any other makes the request \
         invalid.",
        listed.join(", ")
    )
}

/// A path parameter's line in the method's `# Arguments`: its description, and the spec's name
/// when the argument had to take another (`body_2` for `{body}`, since the request body's
/// argument is `body`).
fn argument_line(param: &Param) -> String {
    let name = unraw(&param.name);
    let renamed = (param.name != crate::names::snake_name(&param.wire))
        .then(|| format!("the path parameter {}", code(&param.wire)));
    let text = param.doc.as_deref().map(first_sentence);
    match (renamed, text) {
        (Some(renamed), Some(text)) => format!("- `{name}`: {renamed}. {text}"),
        (Some(renamed), None) => format!("- `{name}`: {renamed}."),
        (None, Some(text)) => format!("- `{name}`: {text}"),
        (None, None) => format!("- `{name}`"),
    }
}

/// The first line of a description, made safe, for argument lists.
fn first_sentence(text: &str) -> String {
    let lines = super::doc::sanitize(text);
    lines.into_iter().next().unwrap_or_default()
}
