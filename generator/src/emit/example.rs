//! Example code showing how a user calls an operation: written once per operation and used by
//! both rustdoc (where `cargo test --doc` compiles it) and the Markdown pages (which therefore
//! show code that is known to compile).
//!
//! Arguments are filled with values of the right type: required fields and parameters get a
//! value, optional ones `None`, enums their first value; a string, number, boolean, uuid or date
//! the spec gives an example for gets that example, any other number 1 and string "text". They
//! show the shape of a call, not necessarily data the server would accept.

use super::{Context, ident};
use crate::ir::{Api, Body, Operation, Primitive, SecurityKind, TypeKind, TypeRef};
use crate::lower::formats;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// How deep struct literals nest before the rest is left to `Default`/JSON.
const MAX_DEPTH: usize = 4;

/// One example: what rustdoc hides (client setup) and what both show.
#[derive(Clone)]
pub(crate) struct Example {
    /// `use` lines, shown everywhere.
    prelude: Vec<String>,
    /// Building the client: hidden in rustdoc (each method's docs would repeat it), shown in
    /// the Markdown pages, which are read one section at a time.
    setup: Vec<String>,
    /// The call itself.
    body: Vec<String>,
    /// The example names something deprecated; its doctest allows that.
    deprecated: bool,
}

impl Example {
    /// A `no_run` doctest, for rustdoc.
    pub fn rustdoc(&self) -> Vec<String> {
        let mut lines = vec!["```no_run".to_owned()];
        if self.deprecated {
            lines.push("# #![allow(deprecated)]".to_owned());
        }
        lines.extend(self.prelude.iter().cloned());
        lines.push("# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned());
        lines.extend(self.setup.iter().map(|l| hidden(l)));
        lines.extend(self.body.iter().cloned());
        lines.extend(["# Ok(())", "# }", "```"].map(str::to_owned));
        lines
    }

    /// A fenced Rust block, for Markdown (inside an `async fn` returning a `Result`).
    pub fn markdown(&self) -> Vec<String> {
        let mut lines = vec!["```rust".to_owned()];
        lines.extend(self.prelude.iter().cloned());
        if !self.prelude.is_empty() {
            lines.push(String::new());
        }
        lines.extend(self.setup.iter().cloned());
        lines.extend(self.body.iter().cloned());
        lines.push("```".to_owned());
        lines
    }
}

fn hidden(line: &str) -> String {
    if line.is_empty() {
        "#".to_owned()
    } else {
        format!("# {line}")
    }
}

/// The statements that build a client: first server, first credential from the environment.
pub(crate) fn client_setup(cx: &Context<'_>) -> TokenStream {
    let api = cx.api;
    let krate = format_ident!("{}", cx.crate_ident());
    let server = match api.servers.first() {
        Some(server) => {
            let name = ident(&server.name);
            quote!(.server(#krate::Server::#name))
        }
        None => quote!(.base_url("https://api.example.com")),
    };
    let credential = api.security_schemes.first().map(|scheme| {
        let method = ident(&scheme.method_name);
        match scheme.kind {
            SecurityKind::Basic => quote!(.#method("user", std::env::var("API_PASSWORD")?)),
            _ => quote!(.#method(std::env::var("API_TOKEN")?)),
        }
    });
    quote! {
        let client = #krate::Client::builder()
            #server
            #credential
            .build()?;
    }
}

/// [`client_setup`] laid out as lines (once per crate).
pub(crate) fn setup_lines<'a>(cx: &'a Context<'_>) -> &'a [String] {
    cx.client_setup
        .get_or_init(|| format_statements(client_setup(cx)))
}

/// The example of an operation's method, made once.
pub(crate) fn of<'a>(cx: &'a Context<'_>, op: &Operation) -> std::borrow::Cow<'a, Example> {
    match cx.examples.get(&op.method_name) {
        Some(cell) => std::borrow::Cow::Borrowed(cell.get_or_init(|| operation(cx, op, false))),
        None => std::borrow::Cow::Owned(operation(cx, op, false)),
    }
}

/// The example of an operation's method (or of its `_stream` twin).
pub(crate) fn operation(cx: &Context<'_>, op: &Operation, stream: bool) -> Example {
    let api = cx.api;
    let krate = format_ident!("{}", cx.crate_ident());
    let mut values = Values {
        api,
        deprecated: op.deprecated,
        uses_models: false,
    };
    let mut statements = Vec::new();
    let mut args = Vec::new();
    for param in &op.path_params {
        let name = ident(&param.name);
        let value = values.path_arg(&param.ty, param.example.as_ref());
        statements.push(quote!(let #name = #value;));
        args.push(quote!(#name));
    }
    if let Some(def) = op.params.and_then(|id| api.types.get(&id)) {
        let value = values.named_value(def, 0);
        statements.push(quote!(let params = #value;));
        args.push(quote!(&params));
    }
    if let Some(body) = &op.body {
        let value = match &body.body {
            Body::Json(ty) | Body::Form(ty) => {
                let value = values.value(ty, 0);
                statements.push(quote!(let body = #value;));
                quote!(&body)
            }
            Body::Text => quote!("text"),
            // The parts the spec requires: files of a few bytes, text parts their own names.
            Body::Multipart(parts) => {
                let added = parts.iter().filter(|p| p.required).map(|part| {
                    let name = &part.name;
                    if part.file {
                        quote!(.file(#name, "file.bin", "application/octet-stream", b"bytes".to_vec()))
                    } else {
                        quote!(.text(#name, #name))
                    }
                });
                statements.push(quote!(let body = #krate::runtime::Multipart::new() #(#added)*;));
                quote!(&body)
            }
            Body::Binary | Body::Empty | Body::ByStatus(_) => quote!(b"bytes".to_vec()),
        };
        args.push(if body.required {
            value
        } else {
            quote!(Some(#value))
        });
        if let Some(choice) = body.media_choices.first() {
            let content_type = example_media_type(choice);
            args.push(quote!(#content_type));
        }
    }
    let method = ident(&op.method_name);
    if let Some(pagination) = op.pagination.as_ref().filter(|_| stream) {
        let stream = format_ident!("{}", pagination.stream);
        statements.push(quote! {
            let items = client.#stream(#(#args),*);
            let mut items = std::pin::pin!(items);
            while let Some(item) = futures_util::StreamExt::next(&mut items).await {
                let item = item?;
                println!("{item:?}");
            }
        });
    } else {
        let show = match op.success {
            Body::Empty => quote!(client.#method(#(#args),*).await?;),
            _ => quote! {
                let response = client.#method(#(#args),*).await?;
                println!("{response:?}");
            },
        };
        statements.push(show);
    }
    let prelude = if values.uses_models {
        vec![format!("use {krate}::models;")]
    } else {
        Vec::new()
    };
    Example {
        prelude,
        setup: setup_lines(cx).to_vec(),
        body: format_statements(quote!(#(#statements)*)),
        deprecated: values.deprecated,
    }
}

/// A media type a media type or range takes, for examples: `image/*` takes `image/png`.
fn example_media_type(choice: &str) -> String {
    let essence = choice.split(';').next().unwrap_or("").trim();
    match essence.split_once('/') {
        Some(("*", _)) | None => "application/octet-stream".to_owned(),
        Some((kind, "*")) => match kind {
            "image" => "image/png".to_owned(),
            "text" => "text/plain".to_owned(),
            "audio" => "audio/mpeg".to_owned(),
            "video" => "video/mp4".to_owned(),
            "application" => "application/octet-stream".to_owned(),
            kind => format!("{kind}/example"),
        },
        Some(_) => essence.to_owned(),
    }
}

/// Statements laid out by prettyplease, one line each, without the function around them.
pub(crate) fn format_statements(statements: TokenStream) -> Vec<String> {
    let file = quote!(
        fn wrapper() {
            #statements
        }
    );
    super::body_lines(file).unwrap_or_else(|| vec!["// (example unavailable)".to_owned()])
}

/// Writes values of the crate's types.
struct Values<'a> {
    api: &'a Api,
    deprecated: bool,
    uses_models: bool,
}

impl Values<'_> {
    /// A path argument as the method takes it (`&str`, a copy type, a reference): the spec's
    /// example when it fits.
    fn path_arg(&mut self, ty: &TypeRef, example: Option<&serde_json::Value>) -> TokenStream {
        match ty {
            TypeRef::Primitive(Primitive::String) => {
                let text = example.and_then(serde_json::Value::as_str).unwrap_or("id");
                quote!(#text)
            }
            TypeRef::Primitive(p) if p.is_copy() => example
                .and_then(|example| literal(ty, example))
                .unwrap_or_else(|| self.value(ty, 0)),
            TypeRef::Array(item) => {
                let item = self.value(item, 0);
                quote!(&[#item])
            }
            _ => {
                let value = self.value(ty, 0);
                quote!(&#value)
            }
        }
    }

    fn value(&mut self, ty: &TypeRef, depth: usize) -> TokenStream {
        match ty {
            TypeRef::Primitive(p) => primitive(*p),
            TypeRef::Array(_) => quote!(Vec::new()),
            TypeRef::Map(_) => quote!(std::collections::BTreeMap::new()),
            TypeRef::Named(id) => match self.api.types.get(id) {
                Some(def) => self.named_value(def, depth),
                None => quote!(Default::default()),
            },
        }
    }

    fn named_value(&mut self, def: &crate::ir::TypeDef, depth: usize) -> TokenStream {
        self.uses_models = true;
        self.deprecated |= def.deprecated;
        let name = ident(&def.name);
        let path = quote!(models::#name);
        match &def.kind {
            TypeKind::Struct(s) => {
                if s.fields.iter().all(crate::ir::Field::optional) {
                    return quote!(#path::default());
                }
                if depth >= MAX_DEPTH {
                    return quote!(serde_json::from_value::<#path>(serde_json::json!({}))?);
                }
                let examples = def.example.as_ref().and_then(serde_json::Value::as_object);
                let fields = s.fields.iter().map(|f| {
                    self.deprecated |= f.deprecated;
                    let field = ident(&f.name);
                    let example = || {
                        let example = examples?.get(&f.wire)?;
                        literal(&f.ty, example)
                    };
                    let value = if f.optional() {
                        quote!(None)
                    } else if let Some(example) = example() {
                        example
                    } else {
                        let value = self.value(&f.ty, depth + 1);
                        if f.boxed {
                            quote!(Box::new(#value))
                        } else {
                            value
                        }
                    };
                    quote!(#field: #value)
                });
                let fields: Vec<TokenStream> = fields.collect();
                let additional = s.additional.as_ref().map(|_| {
                    let name = ident(&super::types::additional_field_name(s));
                    quote!(#name: std::collections::BTreeMap::new())
                });
                let additional = additional.into_iter();
                quote!(#path { #(#fields,)* #(#additional,)* })
            }
            TypeKind::Params(p) => {
                if p.all_optional() {
                    return quote!(#path::default());
                }
                let fields: Vec<TokenStream> = p
                    .params
                    .iter()
                    .map(|param| {
                        self.deprecated |= param.deprecated;
                        let field = ident(&param.name);
                        let value = if param.required {
                            let example = param.example.as_ref();
                            example
                                .and_then(|example| literal(&param.ty, example))
                                .unwrap_or_else(|| self.value(&param.ty, depth + 1))
                        } else {
                            quote!(None)
                        };
                        quote!(#field: #value)
                    })
                    .collect();
                quote!(#path { #(#fields,)* })
            }
            TypeKind::Enum(e) => match e.variants.first() {
                Some(v) => {
                    let variant = ident(&v.name);
                    quote!(#path::#variant)
                }
                None => quote!(#path::from("value")),
            },
            TypeKind::IntEnum(e) => match e.variants.first() {
                Some(v) => {
                    let variant = ident(&v.name);
                    quote!(#path::#variant)
                }
                None => quote!(#path::from(0)),
            },
            TypeKind::OneOf(o) => match o.variants.first() {
                Some(v) if depth < MAX_DEPTH => {
                    let variant = ident(&v.name);
                    let value = self.value(&v.ty, depth + 1);
                    if super::types::one_of_payload_boxed(self.api, &v.ty) {
                        quote!(#path::#variant(Box::new(#value)))
                    } else {
                        quote!(#path::#variant(#value))
                    }
                }
                _ => quote!(serde_json::from_value::<#path>(serde_json::json!({}))?),
            },
            // Never an argument: status sets are only returned.
            TypeKind::Errors(_) | TypeKind::Successes(_) => quote!(unimplemented!()),
        }
    }
}

/// The spec's example for a string, number, boolean, uuid or date, as a Rust value of type `ty`,
/// if it is one (a spec's examples do not always match their schemas).
fn literal(ty: &TypeRef, example: &serde_json::Value) -> Option<TokenStream> {
    use serde_json::Value;
    let TypeRef::Primitive(primitive) = ty else {
        return None;
    };
    let number = |n: Literal, negative: bool| {
        if negative { quote!(-#n) } else { quote!(#n) }
    };
    Some(match (primitive, example) {
        (Primitive::String, Value::String(text)) => quote!(String::from(#text)),
        (Primitive::Bool, Value::Bool(flag)) => quote!(#flag),
        (Primitive::I32 | Primitive::I64, Value::Number(n)) => {
            let n = n.as_i64()?;
            if *primitive == Primitive::I32 {
                i32::try_from(n).ok()?;
            }
            number(Literal::u64_unsuffixed(n.unsigned_abs()), n < 0)
        }
        (Primitive::F64, Value::Number(n)) => {
            let n = n.as_f64().filter(|n| n.is_finite())?;
            number(Literal::f64_unsuffixed(n.abs()), n < 0.0)
        }
        (Primitive::Uuid, Value::String(text)) if formats::is_uuid(text) => {
            quote!(uuid::Uuid::parse_str(#text)?)
        }
        (Primitive::DateTime, Value::String(text)) if formats::is_date_time(text) => {
            quote!(#text.parse::<chrono::DateTime<chrono::Utc>>()?)
        }
        (Primitive::Date, Value::String(text)) if formats::is_date(text) => {
            quote!(#text.parse::<chrono::NaiveDate>()?)
        }
        _ => return None,
    })
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String::from("text")),
        Primitive::Bool => quote!(true),
        Primitive::I32 | Primitive::I64 => quote!(1),
        Primitive::F64 => quote!(1.0),
        Primitive::Uuid => quote!(uuid::Uuid::parse_str(
            "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        )?),
        // Parsed, because `Utc::now` needs chrono's `clock` feature, which the crate leaves off.
        Primitive::DateTime => {
            quote!("2024-01-31T12:00:00Z".parse::<chrono::DateTime<chrono::Utc>>()?)
        }
        Primitive::Date => quote!("2024-01-31".parse::<chrono::NaiveDate>()?),
        Primitive::Json => quote!(serde_json::json!({})),
    }
}

#[cfg(test)]
mod tests {
    use super::literal;
    use crate::ir::{Primitive, TypeRef};
    use serde_json::json;

    fn text(primitive: Primitive, example: serde_json::Value) -> Option<String> {
        literal(&TypeRef::Primitive(primitive), &example).map(|tokens| tokens.to_string())
    }

    #[test]
    fn examples_become_values_only_when_they_fit_the_type() {
        assert_eq!(
            text(Primitive::String, json!("12.50 \"€\"")).as_deref(),
            Some(r#"String :: from ("12.50 \"€\"")"#)
        );
        assert_eq!(
            text(Primitive::Bool, json!(false)).as_deref(),
            Some("false")
        );
        assert_eq!(text(Primitive::I64, json!(-42)).as_deref(), Some("- 42"));
        assert_eq!(
            text(Primitive::I64, json!(i64::MIN)).as_deref(),
            Some("- 9223372036854775808")
        );
        assert_eq!(text(Primitive::F64, json!(-2.5)).as_deref(), Some("- 2.5"));
        assert_eq!(text(Primitive::F64, json!(3)).as_deref(), Some("3.0"));
        // Examples of another type, or out of range, leave the placeholder value.
        assert_eq!(text(Primitive::I32, json!(3_000_000_000_i64)), None);
        assert_eq!(text(Primitive::I64, json!(1.5)), None);
        assert_eq!(text(Primitive::String, json!(12.5)), None);
        assert_eq!(text(Primitive::Uuid, json!("not a uuid")), None);
        assert_eq!(
            text(
                Primitive::Uuid,
                json!("b8627ae8-732b-4d25-b947-1df8f4007a29")
            )
            .as_deref(),
            Some(r#"uuid :: Uuid :: parse_str ("b8627ae8-732b-4d25-b947-1df8f4007a29") ?"#)
        );
        assert_eq!(
            text(Primitive::Date, json!("2020-04-10")).as_deref(),
            Some(r#""2020-04-10" . parse :: < chrono :: NaiveDate > () ?"#)
        );
        assert_eq!(text(Primitive::DateTime, json!("2020-04-10")), None);
        assert_eq!(
            literal(
                &TypeRef::Array(Box::new(TypeRef::Primitive(Primitive::String))),
                &json!(["a"])
            )
            .map(|t| t.to_string()),
            None
        );
    }
}
