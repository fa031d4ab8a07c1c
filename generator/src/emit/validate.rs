//! Checks of the spec's limits (`minimum`, `maxLength`, `pattern`, `minItems`...) that the
//! generated client runs before sending: on parameters in each operation method, and on request
//! bodies through `runtime::Validate` impls for the types that need them.

use super::{Context, ident};
use crate::ir::{Api, Constraints, PresenceRule, Primitive, Struct, TypeId, TypeKind, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// Types sent in request bodies that have something to check, directly or inside.
pub(crate) fn validated_types(api: &Api) -> BTreeSet<TypeId> {
    let roots = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref().and_then(|b| b.body.typed()).cloned());
    let sent = crate::lower::reachable(api, roots);
    let mut needed = BTreeSet::new();
    // Fixpoint: a type needs checks if a field has limits or a field's type needs checks.
    loop {
        let before = needed.len();
        for id in &sent {
            if needed.contains(id) {
                continue;
            }
            let needs = match api.types.get(id).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => {
                    !s.rules.is_empty()
                        || s.fields.iter().any(|f| {
                            has_checks(&f.ty, &f.constraints) || contains_needed(&f.ty, &needed)
                        })
                }
                Some(TypeKind::OneOf(o)) => {
                    o.variants.iter().any(|v| contains_needed(&v.ty, &needed))
                }
                _ => false,
            };
            if needs {
                needed.insert(*id);
            }
        }
        if needed.len() == before {
            return needed;
        }
    }
}

fn contains_needed(ty: &TypeRef, needed: &BTreeSet<TypeId>) -> bool {
    match ty {
        TypeRef::Named(id) => needed.contains(id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => contains_needed(inner, needed),
        TypeRef::Primitive(_) => false,
    }
}

/// Whether some of `constraints` apply to a value of type `ty`.
pub(super) fn has_checks(ty: &TypeRef, constraints: &Constraints) -> bool {
    match ty {
        TypeRef::Primitive(Primitive::String) => {
            constraints.min_length.is_some()
                || constraints.max_length.is_some()
                || constraints.pattern.is_some()
        }
        TypeRef::Primitive(Primitive::I32 | Primitive::I64 | Primitive::F64) => {
            constraints.minimum.is_some() || constraints.maximum.is_some()
        }
        TypeRef::Array(_) => constraints.min_items.is_some() || constraints.max_items.is_some(),
        _ => false,
    }
}

/// Compiled `pattern`s of one file, each a `static` so it is compiled once.
#[derive(Clone, Default)]
pub(super) struct Patterns {
    by_text: BTreeMap<String, usize>,
}

impl Patterns {
    /// How many patterns there are.
    pub(super) fn len(&self) -> usize {
        self.by_text.len()
    }

    fn static_for(&mut self, pattern: &str) -> proc_macro2::Ident {
        let next = self.by_text.len();
        let n = *self.by_text.entry(pattern.to_owned()).or_insert(next);
        format_ident!("PATTERN_{}", n)
    }

    /// The `static`s, to emit once in the file.
    pub(super) fn statics(&self) -> TokenStream {
        let statics = self.by_text.iter().map(|(pattern, n)| {
            let name = format_ident!("PATTERN_{}", *n);
            let doc = format!(" Compiled once: `{}`.", pattern.replace('`', "'"));
            quote! {
                #[doc = #doc]
                static #name: std::sync::LazyLock<Option<regex_lite::Regex>> =
                    std::sync::LazyLock::new(|| regex_lite::Regex::new(#pattern).ok());
            }
        });
        quote!(#(#statics)*)
    }
}

fn bound(bound: Option<(f64, bool)>) -> TokenStream {
    match bound {
        Some((value, exclusive)) if value.is_finite() => {
            let value = Literal::f64_unsuffixed(value);
            quote!(Some((#value, #exclusive)))
        }
        _ => quote!(None),
    }
}

fn limit(limit: Option<usize>) -> TokenStream {
    match limit {
        Some(n) => {
            let n = Literal::usize_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

/// Statements checking `value` (a reference to a `ty`) against `constraints`, reporting it as
/// `at.name` (`at` an expression of type `&str`).
pub(super) fn checks(
    ty: &TypeRef,
    constraints: &Constraints,
    at: TokenStream,
    name: &str,
    patterns: &mut Patterns,
) -> TokenStream {
    let mut out = Vec::new();
    match ty {
        TypeRef::Primitive(Primitive::String) => {
            if constraints.min_length.is_some() || constraints.max_length.is_some() {
                let (min, max) = (limit(constraints.min_length), limit(constraints.max_length));
                out.push(quote!(runtime::check_length(#at, #name, value, #min, #max, problems);));
            }
            if let Some(pattern) = &constraints.pattern {
                let regex = patterns.static_for(pattern);
                out.push(quote! {
                    runtime::check_pattern(
                        #at,
                        #name,
                        #regex.as_ref().map(|regex| regex.is_match(value)),
                        #pattern,
                        problems,
                    );
                });
            }
        }
        TypeRef::Primitive(p @ (Primitive::I32 | Primitive::I64 | Primitive::F64))
            if constraints.minimum.is_some() || constraints.maximum.is_some() =>
        {
            let number = match p {
                Primitive::F64 => quote!(*value),
                Primitive::I32 => quote!(f64::from(*value)),
                _ => quote!(*value as f64),
            };
            let (min, max) = (bound(constraints.minimum), bound(constraints.maximum));
            out.push(quote!(runtime::check_number(#at, #name, #number, #min, #max, problems);));
        }
        TypeRef::Array(_) if constraints.min_items.is_some() || constraints.max_items.is_some() => {
            let (min, max) = (limit(constraints.min_items), limit(constraints.max_items));
            out.push(quote!(runtime::check_items(#at, #name, value.len(), #min, #max, problems);));
        }
        _ => {}
    }
    quote!(#(#out)*)
}

/// `impl runtime::Validate` for one struct or `oneOf` enum.
pub(super) fn validate_impl(cx: &Context<'_>, id: TypeId, patterns: &mut Patterns) -> TokenStream {
    let Some(def) = cx.api.types.get(&id) else {
        return quote!();
    };
    let needed = &cx.validated;
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct(s) => {
            let statements = s.fields.iter().filter_map(|f| {
                let field = ident(&f.name);
                let wire = &f.wire;
                let direct = has_checks(&f.ty, &f.constraints);
                let nested = contains_needed(&f.ty, needed);
                if !direct && !nested {
                    return None;
                }
                let check = checks(&f.ty, &f.constraints, quote!(at), wire, patterns);
                let direct = direct.then(|| {
                    if f.tri_state() {
                        quote!(if let Some(Some(value)) = &self.#field { #check })
                    } else if f.optional() {
                        quote!(if let Some(value) = &self.#field { #check })
                    } else {
                        quote!({ let value = &self.#field; #check })
                    }
                });
                let nested = nested.then(|| {
                    quote!(runtime::Validate::validate(&self.#field, &format!("{at}.{}", #wire), problems);)
                });
                Some(quote!(#direct #nested))
            });
            let rules = s.rules.iter().map(|rule| presence_check(s, rule));
            quote!(#(#statements)* #(#rules)*)
        }
        TypeKind::OneOf(o) => {
            let arms = o.variants.iter().map(|v| {
                let variant = ident(&v.name);
                if contains_needed(&v.ty, needed) {
                    quote!(Self::#variant(value) => runtime::Validate::validate(value, at, problems),)
                } else {
                    quote!(Self::#variant(_) => {})
                }
            });
            let unknown = o.tag.is_some().then(|| quote!(Self::Unknown(_) => {}));
            quote! {
                match self {
                    #(#arms)*
                    #unknown
                }
            }
        }
        _ => return quote!(),
    };
    let deprecated = uses_deprecated_fields(cx.api, id).then(|| quote!(#[allow(deprecated)]));
    quote! {
        impl runtime::Validate for #name {
            #deprecated
            fn validate(&self, at: &str, problems: &mut Vec<String>) {
                #body
            }
        }
    }
}

/// The check of a rule on which of a struct's properties are set. A required property is always
/// sent (a required nullable one as `null`), so it counts as set.
fn presence_check(s: &Struct, rule: &PresenceRule) -> TokenStream {
    let sets = rule.sets.iter().map(|set| {
        let set = set
            .iter()
            .map(|wire| match s.fields.iter().find(|f| &f.wire == wire) {
                Some(f) if !f.required => {
                    let field = ident(&f.name);
                    quote!(self.#field.is_some())
                }
                _ => quote!(true),
            });
        quote!(&[#(#set),*])
    });
    let exactly_one = rule.exactly_one;
    let wanted = rule.describe("these", |wire| format!("`{wire}`"));
    quote!(runtime::check_presence(at, &[#(#sets),*], #exactly_one, #wanted, problems);)
}

/// Whether the checks read a field marked `#[deprecated]`.
fn uses_deprecated_fields(api: &Api, id: TypeId) -> bool {
    match api.types.get(&id).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| f.deprecated),
        _ => false,
    }
}

/// Whether any check uses a `pattern` (the crate then needs `regex-lite`).
pub(super) fn uses_patterns(api: &Api, validated: &BTreeSet<TypeId>) -> bool {
    let string = TypeRef::Primitive(Primitive::String);
    let in_params = api.types.values().any(|d| match &d.kind {
        TypeKind::Params(p) => p
            .params
            .iter()
            .any(|p| p.ty == string && p.constraints.pattern.is_some()),
        _ => false,
    }) || api.operations.iter().any(|op| {
        op.path_params
            .iter()
            .any(|p| p.ty == string && p.constraints.pattern.is_some())
    });
    let in_bodies = validated
        .iter()
        .any(|id| match api.types.get(id).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .any(|f| f.ty == string && f.constraints.pattern.is_some()),
            _ => false,
        });
    in_params || in_bodies
}
