//! Syntax trees made from templates: Rust written once as text, with `__0`, `__1`… where the
//! parts that vary go, parsed the first time a thread uses it and cloned after that.
//!
//! prettyplease lays out syntax trees. Code written as tokens (`quote`) is parsed back by `syn`
//! first, which was a quarter of a run's instructions for Circle's spec. The shapes emitted most
//! (the operations' statements and signatures, structs, enums, status sets) are made here
//! instead: cloned into the same trees the parse would give, so the code laid out is the same.
//! Shapes that vary most (checks, `oneOf`s, examples) are still written as tokens.

use proc_macro2::{Ident, Span};
use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use syn::visit_mut::{self, VisitMut};

/// What takes the place of a template's placeholder.
#[derive(Clone)]
pub(crate) enum Part {
    /// An expression, where the placeholder is one (`__0.to_string()`).
    Expr(syn::Expr),
    /// A name: of a method, a field, a variable (`request.__0(...)`, `&params.__0`).
    Ident(Ident),
    /// Statements, for a placeholder statement (`__0;`) in a block.
    Stmts(Vec<syn::Stmt>),
    /// A pattern (`__0 => ...`).
    Pat(syn::Pat),
    /// A type (`Vec<__0>`).
    Type(syn::Type),
}

impl From<syn::Type> for Part {
    fn from(ty: syn::Type) -> Self {
        Part::Type(ty)
    }
}

impl From<syn::Pat> for Part {
    fn from(pat: syn::Pat) -> Self {
        Part::Pat(pat)
    }
}

impl From<syn::Expr> for Part {
    fn from(expr: syn::Expr) -> Self {
        Part::Expr(expr)
    }
}

impl From<Ident> for Part {
    fn from(ident: Ident) -> Self {
        Part::Ident(ident)
    }
}

impl From<Vec<syn::Stmt>> for Part {
    fn from(stmts: Vec<syn::Stmt>) -> Self {
        Part::Stmts(stmts)
    }
}

/// The placeholders, by the index of the part that replaces them.
const PLACEHOLDERS: [&str; 6] = ["__0", "__1", "__2", "__3", "__4", "__5"];

/// What a template may be parsed as.
pub(crate) trait Template: syn::parse::Parse + Clone + 'static {
    /// Walks the tree with `filler`.
    fn fill_with(&mut self, filler: &mut Filler<'_>);
}

/// Implements [`Template`] for syntax trees `syn` walks with the given `VisitMut` method.
macro_rules! templates {
    ($($tree:ty => $visit:ident),* $(,)?) => {$(
        impl Template for $tree {
            fn fill_with(&mut self, filler: &mut Filler<'_>) {
                filler.$visit(self);
            }
        }
    )*};
}

templates! {
    syn::Expr => visit_expr_mut,
    syn::Arm => visit_arm_mut,
    syn::Type => visit_type_mut,
    syn::FnArg => visit_fn_arg_mut,
    syn::ImplItemFn => visit_impl_item_fn_mut,
    syn::Item => visit_item_mut,
}

/// Outer attributes.
#[derive(Clone)]
pub(crate) struct Attrs(pub Vec<syn::Attribute>);

impl syn::parse::Parse for Attrs {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        syn::Attribute::parse_outer(input).map(Attrs)
    }
}

impl Template for Attrs {
    fn fill_with(&mut self, filler: &mut Filler<'_>) {
        for attr in &mut self.0 {
            filler.visit_attribute_mut(attr);
        }
    }
}

/// Statements, as in a block without its braces.
#[derive(Clone)]
pub(crate) struct Stmts(pub Vec<syn::Stmt>);

impl syn::parse::Parse for Stmts {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        syn::Block::parse_within(input).map(Stmts)
    }
}

impl Template for Stmts {
    fn fill_with(&mut self, filler: &mut Filler<'_>) {
        filler.fill_stmts(&mut self.0);
    }
}

/// A template: its text's address and length, and the type it is parsed as.
type Key = (usize, usize, TypeId);

thread_local! {
    /// The templates this thread parsed.
    static PARSED: RefCell<HashMap<Key, Rc<dyn Any>>> = RefCell::new(HashMap::new());
}

/// `template`, parsed as a `T`, with `__0`, `__1`… replaced by `parts` in order. An error is
/// ours: a template that does not parse, or a part of the wrong kind for its place.
pub(crate) fn fill<T: Template>(template: &'static str, parts: &[Part]) -> syn::Result<T> {
    let key = (
        template.as_ptr() as usize,
        template.len(),
        TypeId::of::<T>(),
    );
    let cached = PARSED.with(|parsed| {
        parsed
            .borrow()
            .get(&key)
            .and_then(|tree| tree.downcast_ref::<T>().cloned())
    });
    let mut tree = match cached {
        Some(tree) => tree,
        None => {
            let tree = syn::parse_str::<T>(template)?;
            PARSED.with(|parsed| parsed.borrow_mut().insert(key, Rc::new(tree.clone())));
            tree
        }
    };
    let mut filler = Filler {
        parts,
        misfit: None,
    };
    tree.fill_with(&mut filler);
    match filler.misfit {
        None => Ok(tree),
        Some(index) => Err(syn::Error::new(
            Span::call_site(),
            format!("part {index} of the template `{template}` does not fit its place"),
        )),
    }
}

/// Statements from `template` (see [`fill`]).
pub(crate) fn stmts(template: &'static str, parts: &[Part]) -> syn::Result<Vec<syn::Stmt>> {
    fill::<Stmts>(template, parts).map(|Stmts(stmts)| stmts)
}

/// An expression from `template` (see [`fill`]).
pub(crate) fn expr(template: &'static str, parts: &[Part]) -> syn::Result<syn::Expr> {
    fill(template, parts)
}

/// A string literal, as `quote` writes a `&str`.
pub(crate) fn string(text: &str) -> syn::Expr {
    literal(syn::Lit::Str(syn::LitStr::new(text, Span::call_site())))
}

/// An integer literal without a suffix (`401`), as `quote` writes one.
pub(crate) fn integer(value: u16) -> syn::Expr {
    literal(integer_literal(value))
}

/// [`integer`] as a pattern.
pub(crate) fn integer_pattern(value: u16) -> syn::Pat {
    syn::Pat::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: integer_literal(value),
    })
}

fn integer_literal(value: u16) -> syn::Lit {
    syn::Lit::Int(syn::LitInt::new(&value.to_string(), Span::call_site()))
}

/// `true` or `false`.
pub(crate) fn boolean(value: bool) -> syn::Expr {
    literal(syn::Lit::Bool(syn::LitBool::new(value, Span::call_site())))
}

fn literal(lit: syn::Lit) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit,
    })
}

/// A variable (or any one-word path) as an expression.
pub(crate) fn variable(name: Ident) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: syn::Path::from(name),
    })
}

/// `call` (a method call or a call) with `args` added to its arguments.
pub(crate) fn with_args(
    mut call: syn::Expr,
    args: impl IntoIterator<Item = syn::Expr>,
) -> syn::Expr {
    match &mut call {
        syn::Expr::MethodCall(call) => call.args.extend(args),
        syn::Expr::Call(call) => call.args.extend(args),
        _ => {}
    }
    call
}

/// A field of a struct with named fields: `attrs pub name: ty`.
pub(crate) fn public_field(attrs: Vec<syn::Attribute>, name: Ident, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        modifiers: syn::FieldModifiers::default(),
        ident: Some(name),
        colon_token: Some(Default::default()),
        ty,
        default: None,
    }
}

/// A variant without a discriminant: `attrs name` or, with a payload, `attrs name(ty)`.
pub(crate) fn variant(
    attrs: Vec<syn::Attribute>,
    name: Ident,
    payload: Option<syn::Type>,
) -> syn::Variant {
    let fields = match payload {
        Some(ty) => syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: std::iter::once(syn::Field {
                attrs: Vec::new(),
                vis: syn::Visibility::Inherited,
                modifiers: syn::FieldModifiers::default(),
                ident: None,
                colon_token: None,
                ty,
                default: None,
            })
            .collect(),
        }),
        None => syn::Fields::Unit,
    };
    syn::Variant {
        attrs,
        ident: name,
        fields,
        discriminant: None,
    }
}

/// `#[name]`, an attribute without arguments (`#[deprecated]`).
pub(crate) fn bare_attribute(name: &str) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::Path(syn::Path::from(Ident::new(name, Span::call_site()))),
    }
}

/// A struct with the named `fields`, each followed by a comma, from `template`, a struct with
/// none (`pub struct __0 {}`), and `doc` before its other attributes.
pub(crate) fn named_struct(
    template: &'static str,
    parts: &[Part],
    doc: Vec<syn::Attribute>,
    fields: impl IntoIterator<Item = syn::Field>,
) -> syn::Result<syn::Item> {
    let mut item: syn::Item = fill(template, parts)?;
    if let syn::Item::Struct(item) = &mut item {
        item.attrs.splice(0..0, doc);
        if let syn::Fields::Named(named) = &mut item.fields {
            for field in fields {
                named.named.push_value(field);
                named.named.push_punct(Default::default());
            }
        }
    }
    Ok(item)
}

/// An enum from `template` (`pub enum __0 { ... }`), with `doc` before its other attributes
/// and `variants`, each followed by a comma, before the template's own.
pub(crate) fn enum_with(
    template: &'static str,
    parts: &[Part],
    doc: Vec<syn::Attribute>,
    variants: impl IntoIterator<Item = syn::Variant>,
) -> syn::Result<syn::Item> {
    let mut item: syn::Item = fill(template, parts)?;
    if let syn::Item::Enum(item) = &mut item {
        item.attrs.splice(0..0, doc);
        let own = std::mem::take(&mut item.variants);
        for variant in variants {
            item.variants.push_value(variant);
            item.variants.push_punct(Default::default());
        }
        item.variants.extend(own.into_pairs());
    }
    Ok(item)
}

/// `&[a, b, ...]`.
pub(crate) fn slice(items: impl IntoIterator<Item = syn::Expr>) -> syn::Expr {
    syn::Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(syn::Expr::Array(syn::ExprArray {
            attrs: Vec::new(),
            bracket_token: Default::default(),
            elems: items.into_iter().collect(),
        })),
    })
}

/// Replaces the placeholders of a tree with their parts.
pub(crate) struct Filler<'a> {
    parts: &'a [Part],
    /// The index of a part found in a place it cannot take.
    misfit: Option<usize>,
}

impl Filler<'_> {
    /// The part that `ident`, a placeholder, stands for.
    fn part(&self, ident: &Ident) -> Option<(usize, &Part)> {
        PLACEHOLDERS
            .iter()
            .zip(self.parts)
            .enumerate()
            .find(|(_, (placeholder, _))| ident == *placeholder)
            .map(|(index, (_, part))| (index, part))
    }

    /// The part that a placeholder expression (`__0`) stands for.
    fn part_of_expr(&self, expr: &syn::Expr) -> Option<(usize, &Part)> {
        match expr {
            syn::Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => {
                path.path.get_ident().and_then(|ident| self.part(ident))
            }
            _ => None,
        }
    }

    /// Fills a list of statements, splicing [`Part::Stmts`] in for placeholder statements.
    fn fill_stmts(&mut self, stmts: &mut Vec<syn::Stmt>) {
        let spliced = stmts.iter().any(|stmt| self.stmts_part(stmt).is_some());
        if spliced {
            let mut filled = Vec::with_capacity(stmts.len());
            for stmt in std::mem::take(stmts) {
                match self.stmts_part(&stmt) {
                    Some(parts) => filled.extend(parts.iter().cloned()),
                    None => filled.push(stmt),
                }
            }
            *stmts = filled;
        }
        for stmt in stmts {
            self.visit_stmt_mut(stmt);
        }
    }

    /// The statements a placeholder statement (`__0;`) stands for.
    fn stmts_part(&self, stmt: &syn::Stmt) -> Option<&[syn::Stmt]> {
        match stmt {
            syn::Stmt::Expr(expr, Some(_)) => match self.part_of_expr(expr) {
                Some((_, Part::Stmts(stmts))) => Some(stmts),
                _ => None,
            },
            _ => None,
        }
    }
}

impl VisitMut for Filler<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.fill_stmts(&mut block.stmts);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        match self
            .part_of_expr(expr)
            .map(|(index, part)| (index, part.clone()))
        {
            Some((_, Part::Expr(part))) => *expr = part,
            Some((_, Part::Ident(ident))) => {
                if let syn::Expr::Path(path) = expr {
                    path.path = syn::Path::from(ident);
                }
            }
            Some((index, Part::Stmts(_) | Part::Pat(_) | Part::Type(_))) => {
                self.misfit = Some(index)
            }
            None => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        let part = match ty {
            syn::Type::Path(path) if path.qself.is_none() => path
                .path
                .get_ident()
                .and_then(|ident| self.part(ident))
                .map(|(index, part)| (index, part.clone())),
            _ => None,
        };
        match part {
            Some((_, Part::Type(part))) => *ty = part,
            // A type named by the part.
            Some((_, Part::Ident(_))) | None => visit_mut::visit_type_mut(self, ty),
            Some((index, _)) => self.misfit = Some(index),
        }
    }

    fn visit_pat_mut(&mut self, pat: &mut syn::Pat) {
        let part = match pat {
            syn::Pat::Ident(binding)
                if binding.by_ref.is_none()
                    && binding.mutability.is_none()
                    && binding.subpat.is_none() =>
            {
                self.part(&binding.ident)
                    .map(|(index, part)| (index, part.clone()))
            }
            _ => None,
        };
        match part {
            Some((_, Part::Pat(part))) => *pat = part,
            // A name bound by the pattern.
            Some((_, Part::Ident(_))) | None => visit_mut::visit_pat_mut(self, pat),
            Some((index, _)) => self.misfit = Some(index),
        }
    }

    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        match self.part(ident).map(|(index, part)| (index, part.clone())) {
            Some((_, Part::Ident(part))) => *ident = part,
            Some((index, _)) => self.misfit = Some(index),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{ToTokens, quote};

    /// A template filled gives the tree that the same code, parsed, gives.
    fn same(made: &impl ToTokens, parsed: proc_macro2::TokenStream) {
        assert_eq!(made.to_token_stream().to_string(), parsed.to_string());
    }

    #[test]
    fn parts_fill_expressions_names_and_statements() {
        let name = Ident::new("page_size", Span::call_site());
        let made = stmts(
            "if let Some(value) = &params.__0 { __1; request.__2(__3, __4); }",
            &[
                name.into(),
                stmts("let a = 1;", &[]).unwrap().into(),
                Ident::new("query", Span::call_site()).into(),
                string("pageSize").into(),
                expr(
                    "__0.to_string()",
                    &[Ident::new("value", Span::call_site()).into()],
                )
                .unwrap()
                .into(),
            ],
        )
        .unwrap();
        same(
            &Stmts(made),
            quote! {
                if let Some(value) = &params.page_size {
                    let a = 1;
                    request.query("pageSize", value.to_string());
                }
            },
        );
    }

    impl ToTokens for Stmts {
        fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
            for stmt in &self.0 {
                stmt.to_tokens(tokens);
            }
        }
    }

    #[test]
    fn a_template_is_parsed_once_per_thread_and_each_use_gets_its_own_parts() {
        const TEMPLATE: &str = "__0.to_string()";
        let value = |name: &str| Part::Ident(Ident::new(name, Span::call_site()));
        let first = expr(TEMPLATE, &[value("a")]).unwrap();
        let second = expr(TEMPLATE, &[value("b")]).unwrap();
        same(&first, quote!(a.to_string()));
        same(&second, quote!(b.to_string()));
        let cached = PARSED.with(|parsed| parsed.borrow().len());
        assert_eq!(cached, 1);
    }

    #[test]
    fn a_part_out_of_its_place_and_a_broken_template_are_errors() {
        assert!(expr("__0.to_string()", &[Part::Stmts(Vec::new())]).is_err());
        assert!(stmts("request.__0();", &[string("x").into()]).is_err());
        assert!(stmts("let = ;", &[]).is_err());
    }

    #[test]
    fn patterns_fill_pattern_places_and_names_stay_bindings() {
        let arm: syn::Arm = fill(
            "__0 => Some(__1),",
            &[integer_pattern(404).into(), string("missing").into()],
        )
        .unwrap();
        same(&arm, quote!(404 => Some("missing"),));
        let name = Ident::new("value", Span::call_site());
        let bound = stmts("if let Some(__0) = x {}", &[name.into()]).unwrap();
        same(&Stmts(bound), quote!(if let Some(value) = x {}));
    }

    #[test]
    fn literals_and_slices_are_what_quote_writes() {
        let made = slice([string("a\"b"), boolean(true)]);
        same(&made, quote!(&["a\"b", true]));
    }
}
