//! `models.rs`: every named type — schemas, parameter structs and per-operation error enums.

use super::doc::{DocBuilder, code};
use super::{Context, Scope, estimated_size, ident, rust_type};
use crate::ir::{
    Body, ErrorSet, Field, Param, ParamLocation, Params, StatusMatch, StringEnum, Struct, TypeDef,
    TypeKind,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Enum payloads estimated above this many bytes are boxed.
const BOX_PAYLOAD_OVER: usize = 128;

pub(super) fn models_rs(cx: &Context<'_>) -> TokenStream {
    let module_doc = DocBuilder::new()
        .line(format!(
            "The data types of {}: its schemas, the parameters of each operation, and the \
             error responses each operation documents.",
            cx.api_name()
        ))
        .inner();
    let mut defs: Vec<&TypeDef> = cx.api.types.values().collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    let items = defs.into_iter().map(|def| match &def.kind {
        TypeKind::Struct(s) => struct_item(cx, def, s),
        TypeKind::Enum(e) => enum_item(def, e),
        TypeKind::Params(p) => params_item(cx, def, p),
        TypeKind::Errors(e) => errors_item(cx, def, e),
    });
    quote! {
        #module_doc
        #(#items)*
    }
}

fn struct_item(cx: &Context<'_>, def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let doc = DocBuilder::new()
        .markdown(def.doc.as_deref())
        .or(format!("The `{}` schema.", def.name))
        .outer();
    let fields = s.fields.iter().map(|f| field(cx, f));
    let additional = s.additional.as_ref().map(|ty| {
        let ty = rust_type(cx.api, ty, Scope::Models);
        let field_name = additional_field_name(s);
        quote! {
            /// Properties not listed above, by name.
            #[serde(flatten)]
            pub #field_name: std::collections::BTreeMap<String, #ty>,
        }
    });
    let all_optional = s.fields.iter().all(Field::optional);
    let default = all_optional.then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn additional_field_name(s: &Struct) -> proc_macro2::Ident {
    let mut name = "additional_properties".to_owned();
    while s.fields.iter().any(|f| f.name == name) {
        name.push('_');
    }
    ident(&name)
}

fn field(cx: &Context<'_>, f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let mut ty = rust_type(cx.api, &f.ty, Scope::Models);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.optional() {
        ty = quote!(Option<#ty>);
    }
    let mut doc = DocBuilder::new()
        .markdown(f.doc.as_deref())
        .or(format!("The {} property.", code(&f.wire)));
    if f.read_only {
        doc = doc.line("Set by the server; ignored in requests.");
    }
    let doc = doc.outer();
    // Absent and `null` both read as `None`; `None` is left out when sending unless the spec
    // requires the property (then it is sent as `null`).
    let mut serde = Vec::new();
    if crate::names::unraw(&f.name) != f.wire {
        let wire = &f.wire;
        serde.push(quote!(rename = #wire));
    }
    if !f.required {
        serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! {
        #doc
        #serde
        pub #name: #ty,
    }
}

fn enum_item(def: &TypeDef, e: &StringEnum) -> TokenStream {
    let name = ident(&def.name);
    let doc = DocBuilder::new()
        .markdown(def.doc.as_deref())
        .or(format!("The `{}` values.", def.name))
        .line(
            "Open: a value this client does not know yet is kept in `Unknown` rather than \
             failing to decode.",
        )
        .outer();
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = DocBuilder::new().line(code(&v.wire)).outer();
        quote!(#doc #variant,)
    });
    let as_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    let from = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote!(#wire => Self::#variant,)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value not in the spec, as received.
            Unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn params_item(cx: &Context<'_>, def: &TypeDef, p: &Params) -> TokenStream {
    let name = ident(&def.name);
    let doc = DocBuilder::new()
        .line(format!(
            "The query and header parameters of [`Client::{}`](crate::Client::{}).",
            crate::names::unraw(&p.method_name),
            p.method_name
        ))
        .outer();
    let fields = p.params.iter().map(|param| param_field(cx, param));
    let default = p.all_optional().then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn param_field(cx: &Context<'_>, param: &Param) -> TokenStream {
    let name = ident(&param.name);
    let mut ty = rust_type(cx.api, &param.ty, Scope::Models);
    if !param.required {
        ty = quote!(Option<#ty>);
    }
    let location = match param.location {
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Path => "path parameter",
    };
    let doc = DocBuilder::new()
        .markdown(param.doc.as_deref())
        .line(format!("Sent as the {location} {}.", code(&param.wire)))
        .outer();
    quote! {
        #doc
        pub #name: #ty,
    }
}

fn errors_item(cx: &Context<'_>, def: &TypeDef, e: &ErrorSet) -> TokenStream {
    let name = ident(&def.name);
    let doc = DocBuilder::new()
        .line(format!(
            "The error responses [`Client::{}`](crate::Client::{}) documents, by HTTP status.",
            crate::names::unraw(&e.method_name),
            e.method_name
        ))
        .outer();
    let payloads: Vec<Option<(TokenStream, bool)>> =
        e.variants.iter().map(|v| payload(cx, &v.body)).collect();
    let variants = e.variants.iter().zip(&payloads).map(|(v, payload)| {
        let variant = ident(&v.name);
        let doc = DocBuilder::new()
            .line(format!("{}.", status_text(v.status)))
            .markdown(v.doc.as_deref())
            .outer();
        match payload {
            Some((ty, _)) => quote!(#doc #variant(#ty),),
            None => quote!(#doc #variant,),
        }
    });
    let mut arms: Vec<(StatusMatch, TokenStream)> = e
        .variants
        .iter()
        .zip(&payloads)
        .map(|(v, payload)| {
            let variant = ident(&v.name);
            let pattern = match v.status {
                StatusMatch::Code(code) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote!(#code)
                }
                StatusMatch::Range(class) => {
                    let low = Literal::u16_unsuffixed(class * 100);
                    let high = Literal::u16_unsuffixed(class * 100 + 99);
                    quote!(#low..=#high)
                }
                StatusMatch::Default => quote!(_),
            };
            let decode = match (&v.body, payload) {
                (Body::Empty, _) | (_, None) => quote!(Ok(Self::#variant)),
                (Body::Json(_), Some((_, true))) => {
                    quote!(serde_json::from_slice(body).map(|b| Self::#variant(Box::new(b))))
                }
                (Body::Json(_), Some(_)) => {
                    quote!(serde_json::from_slice(body).map(Self::#variant))
                }
                (Body::Text, _) => {
                    quote!(Ok(Self::#variant(String::from_utf8_lossy(body).into_owned())))
                }
                (Body::Binary, _) => quote!(Ok(Self::#variant(body.to_vec()))),
            };
            (v.status, quote!(#pattern => Some(#decode),))
        })
        .collect();
    // Exact codes, then classes, then `default`.
    arms.sort_by_key(|(status, _)| *status);
    let has_default = arms.iter().any(|(s, _)| *s == StatusMatch::Default);
    let arms = arms.into_iter().map(|(_, arm)| arm);
    let fallback = (!has_default).then(|| quote!(_ => None,));
    let uses_body = e.variants.iter().any(|v| v.body != Body::Empty);
    let body_param = if uses_body {
        quote!(body)
    } else {
        quote!(_body)
    };
    let body_fn = if e.variants.is_empty() {
        quote! {
            fn from_response(_status: u16, _body: &[u8]) -> Option<Result<Self, serde_json::Error>> {
                None
            }
        }
    } else {
        quote! {
            fn from_response(status: u16, #body_param: &[u8]) -> Option<Result<Self, serde_json::Error>> {
                match status {
                    #(#arms)*
                    #fallback
                }
            }
        }
    };
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl crate::runtime::ErrorBody for #name {
            #body_fn
        }
    }
}

/// The payload type of an error variant, and whether it is boxed.
fn payload(cx: &Context<'_>, body: &Body) -> Option<(TokenStream, bool)> {
    match body {
        Body::Empty => None,
        Body::Json(ty) => {
            let rust = rust_type(cx.api, ty, Scope::Models);
            if estimated_size(cx.api, ty, 0) > BOX_PAYLOAD_OVER {
                Some((quote!(Box<#rust>), true))
            } else {
                Some((rust, false))
            }
        }
        Body::Text => Some((quote!(String), false)),
        Body::Binary => Some((quote!(Vec<u8>), false)),
    }
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => format!("HTTP {code}"),
        StatusMatch::Range(class) => format!("Any HTTP {class}xx status not listed otherwise"),
        StatusMatch::Default => "Any other status".to_owned(),
    }
}
