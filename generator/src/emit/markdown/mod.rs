//! `docs/`: Markdown reference pages to browse on GitHub without building anything. An index
//! (`README.md`), one page per tag (`<Tag>Api.md`) with every operation of the tag, one page
//! per named type (`<Type>.md`). Links between them are relative; headings give the anchors.

mod api;
mod index;
mod model;
pub(crate) mod text;

use super::Context;
use crate::ir::{Api, Operation, Primitive, TypeId, TypeKind, TypeRef};
use heck::ToUpperCamelCase;
use std::collections::{BTreeMap, BTreeSet};

/// The pages, keyed by path relative to the crate root (`docs/...`).
pub(crate) fn pages(cx: &Context<'_>) -> BTreeMap<String, String> {
    let layout = Layout::new(cx.api);
    let header = header(cx);
    let mut pages = BTreeMap::new();
    let mut add = |page: String, lines: Vec<String>| {
        pages.insert(format!("docs/{page}"), page_text(&header, lines));
    };
    add("README.md".to_owned(), index::page(cx, &layout));
    for (page, group) in &layout.groups {
        add(page.clone(), api::page(cx, &layout, group));
    }
    for (id, def) in &cx.api.types {
        add(
            layout.model_page(&def.name),
            model::page(cx, &layout, *id, def),
        );
    }
    pages
}

/// A page from its header and lines, written once at its size: joined, then copied behind the
/// header, GitHub's 2,100 pages were held at up to twice their size.
fn page_text(header: &str, lines: Vec<String>) -> String {
    let size = header.len() + 1 + lines.iter().map(|line| line.len() + 1).sum::<usize>();
    let mut text = String::with_capacity(size);
    text.push_str(header);
    text.push('\n');
    for line in lines {
        // Names from the spec quoted in code spans may hold characters that reorder what a
        // reader sees (a "Trojan Source" name): they go, as in the Rust docs.
        text.push_str(&super::doc::visible(line));
        text.push('\n');
    }
    text
}

fn header(cx: &Context<'_>) -> String {
    format!(
        "<!-- {} {} from {}. Do not edit by hand. Regenerate with: {} -->\n",
        super::MARKER,
        env!("CARGO_PKG_VERSION"),
        // Nothing may close the comment early.
        cx.spec_name.replace("-->", "-- >"),
        cx.config.regenerate_command.replace("-->", "-- >"),
    )
}

/// The operations of one API page.
pub(crate) struct Group {
    /// The tag, as the spec names it (or `default`).
    pub tag: String,
    /// Its description from the top-level `tags`.
    pub description: Option<String>,
    /// The page's file name (`CheckoutSessionsApi.md`) and title (`CheckoutSessionsApi`).
    pub page: String,
    pub title: String,
    /// Indexes into `Api::operations`.
    pub operations: Vec<usize>,
}

/// Which page each operation and type is on.
pub(crate) struct Layout {
    /// By page file name.
    pub groups: BTreeMap<String, Group>,
    /// Operation index → page file name.
    pub operation_page: BTreeMap<usize, String>,
    /// Type id → the operations that use it directly (indexes).
    pub used_by: BTreeMap<TypeId, BTreeSet<usize>>,
}

impl Layout {
    fn new(api: &Api) -> Self {
        let models: BTreeSet<String> = api
            .types
            .values()
            .map(|d| d.name.to_ascii_lowercase())
            .collect();
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        let mut page_of_tag: BTreeMap<String, String> = BTreeMap::new();
        let mut operation_page = BTreeMap::new();
        let mut used_by: BTreeMap<TypeId, BTreeSet<usize>> = BTreeMap::new();
        for (i, op) in api.operations.iter().enumerate() {
            // An operation with several tags is listed under its first.
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "default".to_owned());
            let page = match page_of_tag.get(&tag) {
                Some(page) => page.clone(),
                None => {
                    // Only ASCII letters and digits: a tag never becomes a path or an odd
                    // file name.
                    let camel: String = tag
                        .to_upper_camel_case()
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect();
                    let base = format!("{camel}Api");
                    let base = if base == "Api" {
                        "DefaultApi".to_owned()
                    } else {
                        base
                    };
                    // Tags that differ only in punctuation, or a model of the same name, must
                    // not share a file (nor differ only in case, for case-insensitive disks).
                    let mut title = base.clone();
                    let mut n = 2;
                    while models.contains(&title.to_ascii_lowercase())
                        || title.eq_ignore_ascii_case("readme")
                        || groups.contains_key(&format!("{title}.md"))
                    {
                        title = format!("{base}{n}");
                        n += 1;
                    }
                    let page = format!("{title}.md");
                    groups.insert(
                        page.clone(),
                        Group {
                            description: api
                                .tags
                                .iter()
                                .find(|t| t.name == tag)
                                .and_then(|t| t.description.clone()),
                            tag: tag.clone(),
                            page: page.clone(),
                            title,
                            operations: Vec::new(),
                        },
                    );
                    page_of_tag.insert(tag, page.clone());
                    page
                }
            };
            if let Some(group) = groups.get_mut(&page) {
                group.operations.push(i);
            }
            operation_page.insert(i, page);
            for ty in types_of(op) {
                named_in(&ty, &mut |id| {
                    used_by.entry(id).or_default().insert(i);
                });
            }
        }
        Layout {
            groups,
            operation_page,
            used_by,
        }
    }

    /// The page of a type.
    pub fn model_page(&self, name: &str) -> String {
        format!("{name}.md")
    }

    /// A link to an operation's section: `[`name`](Page.md#name)`.
    pub fn operation_link(&self, api: &Api, index: usize) -> String {
        let Some(op) = api.operations.get(index) else {
            return String::new();
        };
        let name = crate::names::unraw(&op.method_name);
        let page = self.operation_page.get(&index).cloned().unwrap_or_default();
        format!("[`{name}`]({page}#{})", text::anchor(name))
    }

    /// A type as Markdown: Rust type text with links to the pages of the named types in it.
    pub fn type_link(&self, api: &Api, ty: &TypeRef) -> String {
        self.wrapped_type_link(api, ty, "", "")
    }

    /// `prefix` + type + `suffix` (Rust text such as `Option<` and `>`) as Markdown. Code spans
    /// and links alternate; two code spans are never adjacent (`` `a``b` `` would be one).
    pub fn wrapped_type_link(&self, api: &Api, ty: &TypeRef, prefix: &str, suffix: &str) -> String {
        let mut pieces = vec![Piece::Code(prefix.to_owned())];
        self.pieces(api, ty, &mut pieces);
        pieces.push(Piece::Code(suffix.to_owned()));
        let mut merged: Vec<Piece> = Vec::new();
        for piece in pieces {
            match (merged.last_mut(), piece) {
                (Some(Piece::Code(last)), Piece::Code(text)) => last.push_str(&text),
                (_, piece) => merged.push(piece),
            }
        }
        merged
            .into_iter()
            .map(|piece| match piece {
                Piece::Code(text) if text.is_empty() => String::new(),
                Piece::Code(text) => format!("`{text}`"),
                Piece::Link(name) => format!("[`{name}`]({})", self.model_page(&name)),
            })
            .collect()
    }

    fn pieces(&self, api: &Api, ty: &TypeRef, out: &mut Vec<Piece>) {
        match ty {
            TypeRef::Primitive(p) => out.push(Piece::Code(p.rust_path().to_owned())),
            TypeRef::Named(id) => match api.types.get(id) {
                Some(def) => out.push(Piece::Link(def.name.clone())),
                None => out.push(Piece::Code("serde_json::Value".to_owned())),
            },
            TypeRef::Array(item) => {
                out.push(Piece::Code("Vec<".to_owned()));
                self.pieces(api, item, out);
                out.push(Piece::Code(">".to_owned()));
            }
            TypeRef::Map(value) => {
                out.push(Piece::Code("BTreeMap<String, ".to_owned()));
                self.pieces(api, value, out);
                out.push(Piece::Code(">".to_owned()));
            }
        }
    }
}

/// Part of a type written in Markdown.
enum Piece {
    Code(String),
    Link(String),
}

/// Every type an operation names in its signature (its error set included).
fn types_of(op: &Operation) -> Vec<TypeRef> {
    let mut out: Vec<TypeRef> = op.path_params.iter().map(|p| p.ty.clone()).collect();
    out.extend(op.params.map(TypeRef::Named));
    if let Some(ty) = op.body.as_ref().and_then(|body| body.body.typed()) {
        out.push(ty.clone());
    }
    match &op.success {
        crate::ir::Body::Json(ty) => out.push(ty.clone()),
        crate::ir::Body::ByStatus(id) => out.push(TypeRef::Named(*id)),
        _ => {}
    }
    out.push(TypeRef::Named(op.errors));
    out
}

/// Calls `f` with every named type in `ty`.
fn named_in(ty: &TypeRef, f: &mut impl FnMut(TypeId)) {
    match ty {
        TypeRef::Named(id) => f(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => named_in(inner, f),
        TypeRef::Primitive(_) => {}
    }
}

/// What a type's wire form is, for the constraints column: "format `uuid`", …
pub(crate) fn wire_format(api: &Api, ty: &TypeRef) -> Vec<String> {
    match ty {
        TypeRef::Primitive(p) => match p {
            Primitive::Uuid => vec!["format `uuid`".to_owned()],
            Primitive::DateTime => vec!["format `date-time` (RFC 3339)".to_owned()],
            Primitive::Date => vec!["format `date` (`YYYY-MM-DD`)".to_owned()],
            Primitive::I32 => vec!["format `int32`".to_owned()],
            _ => Vec::new(),
        },
        TypeRef::Named(id) => match api.types.get(id).map(|d| &d.kind) {
            Some(TypeKind::Enum(e)) => vec![format!(
                "one of {}",
                e.variants
                    .iter()
                    .map(|v| super::doc::code(&v.wire))
                    .collect::<Vec<_>>()
                    .join(", ")
            )],
            Some(TypeKind::IntEnum(e)) => vec![format!(
                "one of {}",
                e.variants
                    .iter()
                    .map(|v| format!("`{}`", v.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            )],
            _ => Vec::new(),
        },
        TypeRef::Array(item) => wire_format(api, item)
            .into_iter()
            .map(|f| format!("items: {f}"))
            .collect(),
        TypeRef::Map(_) => Vec::new(),
    }
}

/// The rows (status, variant, body, description) of an operation's documented errors, or of
/// its successes when they differ.
pub(crate) fn status_rows(
    api: &Api,
    layout: &Layout,
    set: &crate::ir::StatusSet,
) -> Vec<Vec<String>> {
    set.variants
        .iter()
        .map(|v| {
            vec![
                api::status_text(v.status),
                format!("`{}`", v.name),
                match &v.body {
                    crate::ir::Body::Json(ty) => layout.type_link(api, ty),
                    crate::ir::Body::Text => "`String`".to_owned(),
                    crate::ir::Body::Binary
                    | crate::ir::Body::Form(_)
                    | crate::ir::Body::Multipart(_) => "`Vec<u8>`".to_owned(),
                    crate::ir::Body::Empty | crate::ir::Body::ByStatus(_) => "no body".to_owned(),
                },
                v.doc.as_deref().map(text::cell).unwrap_or_default(),
            ]
        })
        .collect()
}

/// A Markdown table.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> Vec<String> {
    let mut lines = vec![
        format!("| {} |", header.join(" | ")),
        format!("|{}", "---|".repeat(header.len())),
    ];
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| c.trim().to_owned()).collect();
        lines.push(format!("| {} |", cells.join(" | ")));
    }
    lines
}
