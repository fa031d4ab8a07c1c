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
use super::syntax::{self, Part, boolean, slice, string, variable};
use super::validate::{self, Patterns};
use super::{Context, Scope, ident, rust_type, syn_type};
use crate::ir::{
    Api, Body, Operation, Param, ParamLocation, ParamStyle, PathSegment, Primitive, StatusMatch,
    TypeDef, TypeKind, TypeRef,
};
use crate::names::{suffixed, unraw};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// What makes one operation's methods.
type Methods = syn::Result<Vec<syn::ImplItem>>;

pub(super) fn operations_rs<'a>(cx: &'a Context<'a>) -> super::Parts<'a, &'a Operation, Methods> {
    let head = move || {
        let module_doc = DocBuilder::new()
            .line("The operations of the API, as methods on [`Client`].")
            .inner();
        let imports = if cx.api.operations.is_empty() {
            quote!(
                use crate::runtime::Client;
            )
        } else {
            quote! {
                use crate::models;
                use crate::runtime::{self, Client, Error, Method, Request, ResponseValue};
            }
        };
        quote! {
            #module_doc
            #imports
        }
    };
    // The checks' patterns, in the order the operations use them.
    let gather = move || {
        let mut patterns = Patterns::default();
        for op in &cx.api.operations {
            argument_check_tokens(cx.api, op, &mut patterns);
        }
        patterns
    };
    super::Parts {
        file: "operations.rs",
        items: cx.api.operations.iter().collect(),
        // An operation is about three times the work of a model; small chunks come last, and
        // the two threads end within one of each other.
        chunk_items: 8,
        make: Box::new(move |op, patterns: &mut Patterns| operation(cx, op, patterns)),
        verbatim: Box::new(|_| None),
        gather: Box::new(gather),
        patterns: std::sync::OnceLock::new(),
        head: Box::new(head),
        within: Some(|| quote!(impl Client)),
    }
}

fn operation(cx: &Context<'_>, op: &Operation, patterns: &mut Patterns) -> Methods {
    let api = cx.api;
    let method = ident(&op.method_name);
    let with_response = format_ident!("{}", suffixed(&op.method_name, "with_response"));

    let sig = Signature::of(api, op)?;
    let send = match &op.success {
        Body::Json(_) => "send_json",
        Body::Empty => "send_empty",
        Body::Text => "send_text",
        Body::Binary | Body::Form(_) | Body::Multipart(_) => "send_bytes",
        Body::ByStatus(_) => "send_by_status",
    };

    // The request's statements, after its `let`.
    let mut statements = argument_checks(api, op, patterns)?;
    statements.extend(build_path(api, op)?);
    if let Some(server) = &op.server {
        statements.extend(syntax::stmts(
            "request.server(__0);",
            &[string(server).into()],
        )?);
    }
    if let Some(security) = security(op) {
        statements.extend(syntax::stmts("request.security(__0);", &[security.into()])?);
    }
    if let Some(params) = op.params.and_then(|id| api.types.get(&id)) {
        statements.extend(params_statements(api, params)?);
    }
    if let Some(body) = &op.body {
        let checked = body
            .body
            .typed()
            .is_some_and(|ty| contains(ty, &cx.validated));
        statements.extend(body_statement(body, checked)?);
    }
    // `send_json` asks for JSON itself; successes by status ask when one of them is JSON.
    if let Body::ByStatus(id) = &op.success {
        if let Some(TypeKind::Successes(set)) = api.types.get(id).map(|def| &def.kind) {
            if set.variants.iter().any(|v| matches!(v.body, Body::Json(_))) {
                statements.extend(syntax::stmts(
                    r#"request.accept("application/json");"#,
                    &[],
                )?);
            }
        }
    }
    let new_request = if statements.is_empty() {
        "let request = Request::new(__0, Method::__1, __2);"
    } else {
        "let mut request = Request::new(__0, Method::__1, __2);"
    };
    let mut send_request = syntax::stmts(
        new_request,
        &[
            string(&op.operation_id).into(),
            Ident::new(op.method.as_str(), Span::call_site()).into(),
            string(&op.path.raw).into(),
        ],
    )?;
    send_request.extend(statements);
    send_request.extend(syntax::stmts(
        "runtime::__0(self, request)",
        &[Ident::new(send, Span::call_site()).into()],
    )?);

    let call = syntax::expr("self.__0()", &[with_response.clone().into()])?;
    let call = syntax::with_args(
        call,
        sig.args.iter().map(|(name, _)| variable(name.clone())),
    );
    // A deprecated method calls its deprecated twin; that call is not the user's to be warned of.
    let plain_body = if op.deprecated {
        "#[allow(deprecated)] let call = __0; runtime::into_inner(call)"
    } else {
        "runtime::into_inner(__0)"
    };
    let plain_body = syntax::stmts(plain_body, &[call.into()])?;
    // An anonymous list of maps of maps, say, inside `impl Future<Output = Result<…>>`: a type
    // alias of our own would need a name no schema gave it.
    let complex = nested_containers(op).then_some("#[allow(clippy::type_complexity)]");
    // Every path parameter is an argument (`&self` counts too for clippy): a deep path with
    // parameters and a body takes more than clippy's seven, as the spec says it must.
    let many = (sig.args.len() + 1 > 7).then_some("#[allow(clippy::too_many_arguments)]");
    let allowances = complex.into_iter().chain(many);
    let method_fn = |name: Ident, output: &'static str, attrs: Vec<syn::Attribute>, stmts| {
        let mut method: syn::ImplItemFn = sig.method(name, output)?;
        method.attrs = attrs;
        for allowance in allowances.clone() {
            method
                .attrs
                .extend(syntax::fill::<syntax::Attrs>(allowance, &[])?.0);
        }
        method.block.stmts = stmts;
        Ok::<_, syn::Error>(syn::ImplItem::Fn(method))
    };
    let mut with_response_doc = DocBuilder::new()
        .line(format!(
            "Like [`Client::{}`], but also returns the response's status, headers and request id.",
            unraw(&op.method_name)
        ))
        .outer_attributes()?;
    if op.deprecated {
        with_response_doc.push(syntax::bare_attribute("deprecated"));
    }
    let mut methods = vec![
        method_fn(method, PLAIN_OUTPUT, operation_doc(cx, op)?, plain_body)?,
        method_fn(
            with_response,
            WITH_RESPONSE_OUTPUT,
            with_response_doc,
            send_request,
        )?,
    ];
    if let Some(stream) = stream_method(cx, op) {
        methods.push(syn::parse2(stream)?);
    }
    Ok(methods)
}

/// What an operation's method returns (a template, `__1` for the success type, `__2` for the
/// error set): a future that borrows only the client.
const PLAIN_OUTPUT: &str =
    "fn __0(&self) -> impl Future<Output = Result<__1, Error<models::__2>>> + use<'_> {}";

/// What its `_with_response` twin returns.
const WITH_RESPONSE_OUTPUT: &str = "fn __0(&self) \
     -> impl Future<Output = Result<ResponseValue<__1>, Error<models::__2>>> + use<'_> {}";

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

/// The arguments and result types of an operation's method.
pub(crate) struct Signature {
    /// `name: Type`, in order: path parameters in template order, the parameter struct, the body.
    pub args: Vec<(Ident, syn::Type)>,
    /// What a success returns.
    pub success: syn::Type,
    /// The operation's error set.
    pub errors: Ident,
}

impl Signature {
    pub(crate) fn of(api: &Api, op: &Operation) -> syn::Result<Self> {
        let mut args = Vec::new();
        for param in &op.path_params {
            args.push((ident(&param.name), path_arg_type(api, &param.ty)?));
        }
        if let Some(params) = op.params.and_then(|id| api.types.get(&id)) {
            let ty = syntax::fill("&models::__0", &[ident(&params.name).into()])?;
            args.push((ident("params"), ty));
        }
        if let Some(body) = &op.body {
            let ty: syn::Type = match &body.body {
                Body::Json(ty) | Body::Form(ty) => {
                    syntax::fill("&__0", &[syn_type(api, ty, Scope::Crate)?.into()])?
                }
                Body::Text => syntax::fill("&str", &[])?,
                Body::Multipart(_) => syntax::fill("&runtime::Multipart", &[])?,
                Body::Binary | Body::Empty | Body::ByStatus(_) => syntax::fill("Vec<u8>", &[])?,
            };
            let ty = if body.required {
                ty
            } else {
                syntax::fill("Option<__0>", &[ty.into()])?
            };
            args.push((ident("body"), ty));
            if !body.media_choices.is_empty() {
                args.push((ident("content_type"), syntax::fill("&str", &[])?));
            }
        }
        let errors = api
            .types
            .get(&op.errors)
            .map_or_else(|| ident("Unknown"), |def| ident(&def.name));
        let success = match &op.success {
            Body::Json(ty) => syn_type(api, ty, Scope::Crate)?,
            Body::Empty => syntax::fill("()", &[])?,
            Body::Text => syntax::fill("String", &[])?,
            Body::Binary | Body::Form(_) | Body::Multipart(_) => syntax::fill("Vec<u8>", &[])?,
            Body::ByStatus(id) => syn_type(api, &TypeRef::Named(*id), Scope::Crate)?,
        };
        Ok(Signature {
            args,
            success,
            errors,
        })
    }

    /// A method `name` with these arguments and `output` ([`PLAIN_OUTPUT`] or
    /// [`WITH_RESPONSE_OUTPUT`]), public, without a body.
    fn method(&self, name: Ident, output: &'static str) -> syn::Result<syn::ImplItemFn> {
        let mut method: syn::ImplItemFn = syntax::fill(
            output,
            &[
                name.into(),
                self.success.clone().into(),
                self.errors.clone().into(),
            ],
        )?;
        method.vis = syn::Visibility::Public(Default::default());
        for (name, ty) in &self.args {
            let arg = syntax::fill("__0: __1", &[name.clone().into(), ty.clone().into()])?;
            method.sig.inputs.push(arg);
        }
        Ok(method)
    }

    /// The method's declaration, as text laid out by prettyplease (for the Markdown pages).
    pub(crate) fn declaration(&self, op: &Operation) -> String {
        // In a trait, because a declaration without a body only parses there.
        let declaration = self
            .method(ident(&op.method_name), PLAIN_OUTPUT)
            .and_then(|method| {
                let mut client: syn::Item = syntax::fill("trait Client { fn f(); }", &[])?;
                if let syn::Item::Trait(client) = &mut client {
                    if let Some(syn::TraitItem::Fn(declared)) = client.items.first_mut() {
                        declared.sig = method.sig;
                    }
                }
                Ok(client)
            });
        declaration
            .ok()
            .and_then(super::body_lines_of)
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
/// (Parsed from tokens: they have many shapes, and few operations have them.)
fn argument_checks(
    api: &Api,
    op: &Operation,
    patterns: &mut Patterns,
) -> syn::Result<Vec<syn::Stmt>> {
    let checks = argument_check_tokens(api, op, patterns);
    if checks.is_empty() {
        return Ok(Vec::new());
    }
    syn::parse2::<syntax::Stmts>(checks).map(|checks| checks.0)
}

/// [`argument_checks`] as tokens (none if there is nothing to check).
fn argument_check_tokens(api: &Api, op: &Operation, patterns: &mut Patterns) -> TokenStream {
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
        return TokenStream::new();
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
fn path_arg_type(api: &Api, ty: &TypeRef) -> syn::Result<syn::Type> {
    match ty {
        TypeRef::Primitive(Primitive::String) => syntax::fill("&str", &[]),
        TypeRef::Primitive(p) if p.is_copy() => syn_type(api, ty, Scope::Crate),
        TypeRef::Array(item) => {
            syntax::fill("&[__0]", &[syn_type(api, item, Scope::Crate)?.into()])
        }
        _ => syntax::fill("&__0", &[syn_type(api, ty, Scope::Crate)?.into()]),
    }
}

/// The path, piece by piece from the parsed template: literal pieces as they are, each parameter
/// percent-encoded by the runtime. Parameter names never reach a format string.
fn build_path(api: &Api, op: &Operation) -> syn::Result<Vec<syn::Stmt>> {
    let mut statements = Vec::new();
    for segment in &op.path.segments {
        let wire = match segment {
            PathSegment::Literal(literal) => {
                statements.extend(syntax::stmts(
                    "request.path(__0);",
                    &[string(literal).into()],
                )?);
                continue;
            }
            PathSegment::Param(wire) => wire,
        };
        let param = op.path_params.iter().find(|p| &p.wire == wire);
        // A `oneOf` of a uuid and a name (Nexus's `NameOrId`), an object: the text of its JSON
        // form, which the runtime makes. A list of scalars is comma-separated.
        let json = |ty: &TypeRef| match ty {
            TypeRef::Array(item) => is_json(api, item),
            ty => is_json(api, ty),
        };
        let Some(param) = param else {
            statements.extend(syntax::stmts(
                r#"request.path_param(__0, "");"#,
                &[string(wire).into()],
            )?);
            continue;
        };
        let name = ident(&param.name);
        let added = match param.style {
            // Prefixed styles go by the JSON form whatever the type: the runtime writes the
            // delimiters around each value.
            ParamStyle::Label { explode } | ParamStyle::Matrix { explode } => {
                let matrix = matches!(param.style, ParamStyle::Matrix { .. });
                let value = match &param.ty {
                    TypeRef::Primitive(p) if p.is_copy() => syntax::expr("&__0", &[name.into()])?,
                    _ => variable(name),
                };
                syntax::stmts(
                    "request.path_param_prefixed(__0, __1, __2, __3);",
                    &[
                        string(wire).into(),
                        value.into(),
                        boolean(matrix).into(),
                        boolean(explode).into(),
                    ],
                )?
            }
            _ if json(&param.ty) => {
                let explode = param.style == ParamStyle::Exploded;
                syntax::stmts(
                    "request.path_param_json(__0, __1, __2);",
                    &[string(wire).into(), name.into(), boolean(explode).into()],
                )?
            }
            _ => syntax::stmts(
                "request.path_param(__0, __1);",
                &[string(wire).into(), path_text(&param.ty, name)?.into()],
            )?,
        };
        statements.extend(added);
    }
    Ok(statements)
}

/// A `&str` of a path argument.
fn path_text(ty: &TypeRef, value: Ident) -> syn::Result<syn::Expr> {
    match ty {
        TypeRef::Primitive(Primitive::String) => Ok(variable(value)),
        TypeRef::Array(item) if **item == TypeRef::Primitive(Primitive::String) => {
            syntax::expr(r#"&__0.join(",")"#, &[value.into()])
        }
        TypeRef::Array(item) => {
            let each = text(item, ident("value"))?;
            syntax::expr(
                r#"&__0.iter().map(|value| __1).collect::<Vec<_>>().join(",")"#,
                &[value.into(), each.into()],
            )
        }
        _ => syntax::expr("&__0", &[text(ty, value)?.into()]),
    }
}

/// A `String` of a value given by reference, in the form used in URLs and headers.
fn text(ty: &TypeRef, value: Ident) -> syn::Result<syn::Expr> {
    let template = match ty {
        TypeRef::Primitive(Primitive::String) => "__0.clone()",
        TypeRef::Primitive(Primitive::DateTime) => {
            "__0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)"
        }
        TypeRef::Primitive(_) => "__0.to_string()",
        // Enums print their wire value (anything else goes through `is_json`'s adders).
        TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Array(_) => "__0.to_string()",
    };
    syntax::expr(template, &[value.into()])
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
fn params_statements(api: &Api, params: &TypeDef) -> syn::Result<Vec<syn::Stmt>> {
    let TypeKind::Params(p) = &params.kind else {
        return Ok(Vec::new());
    };
    let mut statements = Vec::new();
    for param in &p.params {
        let template = if param.required {
            "let value = &params.__0; __1;"
        } else {
            "if let Some(value) = &params.__0 { __1; }"
        };
        let add = add_param(api, param)?;
        statements.extend(syntax::stmts(
            template,
            &[ident(&param.name).into(), add.into()],
        )?);
    }
    Ok(statements)
}

/// Adds one parameter held in `value` (a reference).
fn add_param(api: &Api, param: &Param) -> syn::Result<Vec<syn::Stmt>> {
    let wire = Part::from(string(&param.wire));
    let adder = match param.location {
        ParamLocation::Query | ParamLocation::Path => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    match &param.ty {
        // Query lists are exploded (`a=1&a=2`) unless their style joins them; header and
        // cookie lists are comma-separated.
        TypeRef::Array(item) if !is_json(api, item) => {
            let adder = Part::from(ident(adder));
            let each = text(item, ident("value"))?;
            match param.list_separator() {
                None => syntax::stmts(
                    "for value in value { request.__0(__1, __2); }",
                    &[adder, wire, each.into()],
                ),
                Some(separator) => {
                    let separator = string(&separator.to_string()).into();
                    if **item == TypeRef::Primitive(Primitive::String) {
                        syntax::stmts(
                            "request.__0(__1, value.join(__2));",
                            &[adder, wire, separator],
                        )
                    } else {
                        syntax::stmts(
                            "request.__0(__1, value.iter().map(|value| __2).collect::<Vec<_>>().join(__3));",
                            &[adder, wire, each.into(), separator],
                        )
                    }
                }
            }
        }
        // Objects, values of `oneOf`s and untyped values go by their JSON form, written as the
        // parameter's style says (the runtime keeps the error if one cannot be serialized).
        ty if is_json(api, ty) => match (param.location, param.style) {
            (ParamLocation::Query, ParamStyle::Exploded) => {
                syntax::stmts("request.query_json(__0, value);", &[wire])
            }
            (ParamLocation::Query, ParamStyle::Deep) => {
                syntax::stmts("request.query_json_deep(__0, value);", &[wire])
            }
            (ParamLocation::Query, ParamStyle::Joined(separator)) => {
                let separator = string(&separator.to_string()).into();
                syntax::stmts(
                    "request.query_json_joined(__0, value, __1);",
                    &[wire, separator],
                )
            }
            (_, style) => {
                let adder = format_ident!("{adder}_json").into();
                let explode = boolean(style == ParamStyle::Exploded).into();
                syntax::stmts("request.__0(__1, value, __2);", &[adder, wire, explode])
            }
        },
        ty => {
            let value = text(ty, ident("value"))?.into();
            syntax::stmts(
                "request.__0(__1, __2);",
                &[ident(adder).into(), wire, value],
            )
        }
    }
}

fn body_statement(body: &crate::ir::RequestBody, checked: bool) -> syn::Result<Vec<syn::Stmt>> {
    let media_type = Part::from(string(&body.media_type));
    let mut statements = if checked {
        syntax::stmts("request.validate_body(body);", &[])?
    } else {
        Vec::new()
    };
    statements.extend(match (&body.body, &body.idempotency_key) {
        (Body::Json(_), Some(key)) => syntax::stmts(
            "request.json_with_idempotency_key(__0, body, __1, || {
                uuid::Uuid::new_v4().to_string()
            });",
            &[media_type, string(key).into()],
        )?,
        (Body::Json(_), None) => syntax::stmts("request.json(__0, body);", &[media_type])?,
        (Body::Form(_), _) => syntax::stmts("request.form(__0, body);", &[media_type])?,
        (Body::Text | Body::Binary, _) if !body.media_choices.is_empty() => {
            let choices = slice(body.media_choices.iter().map(|choice| string(choice)));
            let bytes = match body.body {
                Body::Text => syntax::expr("body.as_bytes().to_vec()", &[])?,
                _ => variable(ident("body")),
            };
            syntax::stmts(
                "request.raw_body_as(__0, content_type, __1);",
                &[choices.into(), bytes.into()],
            )?
        }
        (Body::Text, _) => syntax::stmts(
            "request.raw_body(__0, body.as_bytes().to_vec());",
            &[media_type],
        )?,
        (Body::Multipart(parts), _) => {
            let required = parts.iter().filter(|p| p.required).map(|p| string(&p.name));
            syntax::stmts(
                "request.multipart(__0, body, __1);",
                &[media_type, slice(required).into()],
            )?
        }
        (Body::Binary | Body::Empty | Body::ByStatus(_), _) => {
            syntax::stmts("request.raw_body(__0, body);", &[media_type])?
        }
    });
    if body.required {
        Ok(statements)
    } else {
        syntax::stmts("if let Some(body) = body { __0; }", &[statements.into()])
    }
}

/// `&[&["scheme"], ...]`, for `request.security`, if the operation has any requirement.
fn security(op: &Operation) -> Option<syn::Expr> {
    if op.security.iter().all(Vec::is_empty) {
        return None;
    }
    let alternatives = op
        .security
        .iter()
        .map(|schemes| slice(schemes.iter().map(|scheme| string(scheme))));
    Some(slice(alternatives))
}

fn operation_doc(cx: &Context<'_>, op: &Operation) -> syn::Result<Vec<syn::Attribute>> {
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
    let mut attrs = doc.outer_attributes()?;
    if op.deprecated {
        attrs.push(syntax::bare_attribute("deprecated"));
    }
    Ok(attrs)
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
