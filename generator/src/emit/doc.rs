//! Spec descriptions → rustdoc.
//!
//! Descriptions are Markdown written for web pages. In rustdoc, a fenced or indented code block
//! becomes a doctest that must compile, `[x]` becomes an intra-doc link, a bare URL or `<tag>`
//! draws a warning, and clippy checks tabs and list continuations. This module rewrites a
//! description so that it renders the same and trips none of those.

use proc_macro2::TokenStream;
use quote::quote;

/// Characters that reorder text as it is shown: rustc refuses them in comments
/// (`text_direction_codepoint_in_comment`), and they show nothing themselves.
const DIRECTION_CONTROLS: [char; 9] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

/// A doc line of ours (or a Markdown page) without [`DIRECTION_CONTROLS`], which the spec's
/// names it quotes may hold (descriptions lose them in [`sanitize`]).
pub(super) fn visible(line: String) -> String {
    if has_direction_controls(&line) {
        line.replace(DIRECTION_CONTROLS, "")
    } else {
        line
    }
}

/// Whether `text` holds one of [`DIRECTION_CONTROLS`]. Most text is ASCII, which a word at a
/// time rules out; a search for nine characters looks at one character at a time (every line
/// of the Markdown pages passes here: a tenth of their time).
fn has_direction_controls(text: &str) -> bool {
    !text.is_ascii() && text.contains(DIRECTION_CONTROLS)
}

/// Outer docs for an item: one placeholder attribute standing for all its lines, which
/// [`expand`] replaces once the item is laid out.
///
/// Docs are half of the generated text. As one `#[doc = "..."]` per line they were escaped by
/// `quote`, parsed back by `syn` and unescaped by `prettyplease`, which printed them verbatim as
/// `///` lines, for text that is never reformatted (set aside, emission went from 22 to 19 ms
/// for Circle v2.15, from 165 to 111 ms for GitHub's spec). The lines wait here, on the thread
/// that lays the item out, until then. The placeholder is a bare attribute, `#[__apigen_doc_7]`:
/// a `doc = "..."` one is a string literal to escape, to parse as an expression and to unescape
/// again, 2,000 times for Circle's models.
pub fn outer(lines: &[String]) -> TokenStream {
    // prettyplease prints a doc holding a line break differently; such lines keep the
    // attribute form (sanitized descriptions never hold one).
    if lines.is_empty() || lines.iter().any(|line| line.contains('\n')) {
        let lines = lines.iter().map(|line| attribute_value(line));
        return quote!(#(#[doc = #lines])*);
    }
    let marker = put_aside_lines(lines);
    quote!(#[#marker])
}

/// [`outer`] as syntax trees: the placeholder attribute is made, not parsed.
pub fn outer_attributes(lines: &[String]) -> syn::Result<Vec<syn::Attribute>> {
    if lines.is_empty() || lines.iter().any(|line| line.contains('\n')) {
        return syn::parse::Parser::parse2(syn::Attribute::parse_outer, outer(lines));
    }
    Ok(vec![syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::Path(syn::Path::from(put_aside_lines(lines))),
    }])
}

/// Puts `lines` aside until [`expand`], under the name of the placeholder that stands for them.
fn put_aside_lines(lines: &[String]) -> proc_macro2::Ident {
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        blocks.push(lines.to_vec());
        quote::format_ident!("{PLACEHOLDER}{}", blocks.len() - 1)
    })
}

/// What a placeholder attribute's name starts with: no attribute of the generated code, nor any
/// name taken from a spec, does.
const PLACEHOLDER: &str = "__apigen_doc_";

thread_local! {
    /// The lines [`outer`] put aside on this thread, by placeholder number.
    static BLOCKS: std::cell::RefCell<Vec<Vec<String>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Replaces the placeholder lines of laid-out code with the doc lines they stand for, at their
/// indentation, as prettyplease prints a doc line (`///`, then a space and the line without
/// trailing spaces). `None` if a placeholder was made on another thread or forgotten.
pub fn expand(code: String) -> Option<String> {
    let marker = format!("#[{PLACEHOLDER}");
    if !code.contains(&marker) {
        return Some(code);
    }
    BLOCKS.with(|blocks| {
        let blocks = blocks.borrow();
        let mut out = String::with_capacity(code.len() * 2);
        for line in code.split_inclusive('\n') {
            let text = line.trim_start();
            let Some(number) = text.strip_prefix(marker.as_str()) else {
                out.push_str(line);
                continue;
            };
            let number = number.strip_suffix('\n').unwrap_or(number);
            let number = number.strip_suffix(']').unwrap_or(number);
            let indent = &line[..line.len() - text.len()];
            for doc in blocks.get(number.parse::<usize>().ok()?)? {
                out.push_str(indent);
                out.push_str("///");
                let doc = doc.trim_end_matches(' ');
                if !doc.is_empty() {
                    out.push(' ');
                    out.push_str(doc);
                }
                out.push('\n');
            }
        }
        Some(out)
    })
}

/// Drops the lines put aside on this thread, once what they were for is laid out.
pub fn forget() {
    forget_since(0);
}

/// How many blocks of lines this thread has put aside so far, for [`forget_since`].
pub fn put_aside() -> usize {
    BLOCKS.with(|blocks| blocks.borrow().len())
}

/// Drops the lines put aside on this thread since [`put_aside`] returned `mark`, once what
/// they were for is laid out; those put aside before stay.
pub fn forget_since(mark: usize) {
    BLOCKS.with(|blocks| blocks.borrow_mut().truncate(mark));
}

/// `#![doc = "..."]` attributes, one per line, for inner (module) docs.
pub fn inner(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| attribute_value(line));
    quote!(#(#![doc = #lines])*)
}

/// A line as the value of a doc attribute: after a space, as `///` comments are written.
fn attribute_value(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {line}")
    }
}

/// Builds doc text from paragraphs: skips empty ones, separates them with a blank line.
#[derive(Default)]
pub struct DocBuilder {
    lines: Vec<String>,
}

impl DocBuilder {
    /// A new, empty doc.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a paragraph of spec Markdown (sanitized).
    pub fn markdown(mut self, text: Option<&str>) -> Self {
        if let Some(text) = text {
            let lines = sanitize(text);
            if !lines.is_empty() {
                self.separate();
                self.lines.extend(lines);
            }
        }
        self
    }

    /// Adds a paragraph of our own text (trusted: written by the generator).
    pub fn line(mut self, text: impl Into<String>) -> Self {
        self.separate();
        self.lines.push(visible(text.into()));
        self
    }

    /// Adds our own lines without a blank line before them (a list, a code block).
    pub fn raw_lines(mut self, lines: impl IntoIterator<Item = String>) -> Self {
        self.lines.extend(lines.into_iter().map(visible));
        self
    }

    /// Adds `fallback` if nothing has been added so far.
    pub fn or(mut self, fallback: impl Into<String>) -> Self {
        if self.lines.is_empty() {
            self.lines.push(visible(fallback.into()));
        }
        self
    }

    fn separate(&mut self) {
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
    }

    /// Outer doc attributes.
    pub fn outer(&self) -> TokenStream {
        outer(&self.lines)
    }

    /// Outer doc attributes, as syntax trees.
    pub fn outer_attributes(&self) -> syn::Result<Vec<syn::Attribute>> {
        outer_attributes(&self.lines)
    }

    /// Inner doc attributes.
    pub fn inner(&self) -> TokenStream {
        inner(&self.lines)
    }
}

/// Rewrites one description into safe rustdoc lines.
pub fn sanitize(text: &str) -> Vec<String> {
    // Most descriptions need none of these; each would copy the whole text.
    let mut text = std::borrow::Cow::Borrowed(text);
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n").into();
    }
    if text.contains('\t') {
        text = text.replace('\t', "    ").into();
    }
    // Here rather than in `DocBuilder::markdown`: the Markdown pages sanitize too.
    if has_direction_controls(&text) {
        text = text.replace(DIRECTION_CONTROLS, "").into();
    }
    let mut out: Vec<String> = Vec::new();
    let mut in_fence: Option<String> = None;
    // Width of the list item marker the following lines continue, if any.
    let mut list_indent: Option<usize> = None;
    // The `>` markers of the block quote the following lines continue, if any.
    let mut quote: Option<String> = None;
    for raw in text.lines() {
        let trimmed = raw.trim();
        if let Some(fence) = &in_fence {
            if trimmed.starts_with(fence.as_str()) {
                out.push(fence.clone());
                in_fence = None;
            } else {
                out.push(raw.trim_end().to_owned());
            }
            continue;
        }
        if let Some(fence) = fence_of(trimmed) {
            // Every code block in a description is text: none of it is Rust that compiles.
            out.push(format!("{fence}text"));
            in_fence = Some(fence);
            list_indent = None;
            quote = None;
            continue;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            list_indent = None;
            quote = None;
            continue;
        }
        // Leading indentation would make an indented code block (a doctest); drop it.
        let line = inline(trimmed);
        if let Some(width) = list_marker_width(&line) {
            list_indent = Some(width);
            quote = None;
            out.push(line);
        } else if line.starts_with('>') {
            // Unindented, a quote ends the list item before it (the source's indentation is
            // gone, see above).
            list_indent = None;
            let markers: String = line
                .chars()
                .take_while(|c| matches!(c, '>' | ' '))
                .collect();
            let depth = |markers: &str| markers.matches('>').count();
            match &quote {
                // Fewer markers continue the deeper quote's paragraph (CommonMark); clippy
                // asks for all of them.
                Some(deeper) if depth(deeper) > depth(&markers) => {
                    out.push(format!("{deeper}{}", &line[markers.len()..]));
                }
                _ => {
                    quote = Some(markers);
                    out.push(line);
                }
            }
        } else if let Some(markers) = &quote {
            // A line that continues a quote lazily gets its markers, as clippy asks.
            out.push(format!("{markers}{line}"));
        } else if let Some(width) = list_indent {
            out.push(format!("{}{line}", " ".repeat(width)));
        } else {
            out.push(line);
        }
    }
    if let Some(fence) = in_fence {
        out.push(fence);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    // Markdown headings inside an item's docs would outrank rustdoc's own; make them bold.
    out.into_iter().map(demote_heading).collect()
}

fn fence_of(trimmed: &str) -> Option<String> {
    for fence_char in ["`", "~"] {
        let len = trimmed.len() - trimmed.trim_start_matches(fence_char).len();
        if len >= 3 {
            return Some(fence_char.repeat(len));
        }
    }
    None
}

/// `- `, `* `, `+ `, `12. ` or `12) ` at the start of a line: the column its text starts at,
/// where the lines that continue the item go (CommonMark: the marker and the one to four spaces
/// after it; `*   text` continues at 4, not 2, or clippy calls the continuation lazy).
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else {
        // CommonMark numbers items with one to nine digits, then `.` or `)`.
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if !(1..=9).contains(&digits) || !line[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        // Five or more: the text is an indented code block one space after the marker.
        _ => Some(marker + 1),
    }
}

fn demote_heading(line: String) -> String {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if hashes > 0 && line[hashes..].starts_with(' ') {
        format!("**{}**", line[hashes..].trim())
    } else {
        line
    }
}

/// Rewrites inline Markdown outside code spans: bare URLs become `<url>`, `[` and `]` that are
/// not part of a link are escaped, and `<` that does not open a URL is escaped.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        // Text up to the next character that may start markup (`h`: of a bare URL, see
        // `is_url_start`) is copied as it is, at once.
        let plain = rest.find(['`', '[', ']', '<', 'h']).unwrap_or(rest.len());
        if plain > 0 {
            out.push_str(&rest[..plain]);
            rest = &rest[plain..];
            continue;
        }
        // Code spans are kept as written.
        if rest.starts_with('`') {
            let ticks = rest.chars().take_while(|c| *c == '`').count();
            let fence = &rest[..ticks];
            if let Some(end) = rest[ticks..].find(fence) {
                let span_end = ticks + end + ticks;
                out.push_str(&rest[..span_end]);
                rest = &rest[span_end..];
                continue;
            }
            out.push_str(fence);
            rest = &rest[ticks..];
            continue;
        }
        // A Markdown link `[text](url)` is kept, but for one rustdoc would read as a path to an
        // item (Nexus links its own Rust types, `crate::external_api::views::Vpc`): no such
        // item is in the generated crate, so only its text stays.
        if rest.starts_with('[') {
            if let Some((text, target, len)) = markdown_link(rest) {
                out.push_str(if is_item_path(target) {
                    text
                } else {
                    &rest[..len]
                });
                rest = &rest[len..];
                continue;
            }
            out.push_str("\\[");
            rest = &rest[1..];
            continue;
        }
        if rest.starts_with(']') {
            out.push_str("\\]");
            rest = &rest[1..];
            continue;
        }
        if rest.starts_with('<') {
            if let Some(end) = rest.find('>') {
                let inside = &rest[1..end];
                if is_url(inside) {
                    out.push_str(&rest[..=end]);
                    rest = &rest[end + 1..];
                    continue;
                }
            }
            out.push_str("&lt;");
            rest = &rest[1..];
            continue;
        }
        if is_url_start(rest) {
            let len = rest
                .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '`')
                .unwrap_or(rest.len());
            // Trailing punctuation belongs to the sentence.
            let url = rest[..len].trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn is_url_start(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn is_url(s: &str) -> bool {
    is_url_start(s) && !s.contains(char::is_whitespace)
}

/// A link target rustdoc resolves as a path to an item (an intra-doc link) rather than as a
/// URL: only characters a path can hold, as rustdoc decides it.
fn is_item_path(target: &str) -> bool {
    !target.is_empty()
        && target
            .chars()
            .all(|c| c.is_alphanumeric() || ":_<>, !*&;@()".contains(c))
}

/// `[text](target)` at the start of `s`, if that is what it starts with: its text, its target
/// and its length.
fn markdown_link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let text = s.get(1..close)?;
    if text.contains(['[', ']']) {
        return None;
    }
    let end = s[close + 2..].find(')')?;
    Some((text, &s[close + 2..close + 2 + end], close + 2 + end + 1))
}

/// A wire value or name shown in docs as code.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What prettyplease prints for `lines` as one `#[doc]` attribute per line, on `item`.
    fn attribute_form(lines: &[&str], item: TokenStream) -> String {
        let values = lines.iter().map(|line| attribute_value(line));
        prettyplease::unparse(&syn::parse2(quote!(#(#[doc = #values])* #item)).expect("parses"))
    }

    #[test]
    fn placeholders_expand_to_what_prettyplease_prints_for_doc_attributes() {
        let lines = [
            "A summary.",
            "",
            "Trailing spaces go.   ",
            "   ",
            "/ starts with a slash, `code`, \\backslash, \"quotes\", tab\tand ünïcode",
            "```text",
            "    indented",
            "```",
        ];
        let owned: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        let field_docs = outer(&owned[..2]);
        let docs = outer(&owned);
        let item = quote! {
            pub struct Thing {
                #field_docs
                pub field: u8,
            }
        };
        let field_item = quote! {
            pub struct Thing {
                #[doc = " A summary."]
                #[doc = ""]
                pub field: u8,
            }
        };
        let laid_out = prettyplease::unparse(&syn::parse2(quote!(#docs #item)).expect("parses"));
        assert!(laid_out.contains("#[__apigen_doc_"), "{laid_out}");
        let expanded = expand(laid_out).expect("the lines are on this thread");
        assert_eq!(expanded, attribute_form(&lines, field_item));
        assert!(!expanded.contains("apigen_doc"));
        forget();
    }

    #[test]
    fn a_placeholder_without_its_lines_is_refused_not_printed() {
        let docs = outer(&["Made here.".to_owned()]);
        let laid_out =
            prettyplease::unparse(&syn::parse2(quote!(#docs pub struct Thing;)).expect("parses"));
        let elsewhere = std::thread::spawn(move || expand(laid_out)).join();
        assert_eq!(elsewhere.ok(), Some(None));
        forget();
        assert!(outer(&[]).is_empty());
        let multi_line = outer(&["one\ntwo".to_owned()]).to_string();
        assert!(multi_line.contains("one\\ntwo"), "{multi_line}");
    }

    #[test]
    fn line_endings_and_tabs_are_evened_out_only_where_present() {
        assert_eq!(
            sanitize("one\r\ntwo\rthree\tx\u{2067}y"),
            ["one", "two", "three    xy"]
        );
        assert_eq!(sanitize("plain ünïcode"), ["plain ünïcode"]);
        assert!(!has_direction_controls("ünïcode ‐ but no control"));
        assert!(has_direction_controls("a\u{202A}b"));
    }

    #[test]
    fn code_blocks_become_text_and_indentation_is_dropped() {
        let lines = sanitize("Example:\n\n```\nlet x = 1;\n```\n\n    indented code\n");
        assert_eq!(
            lines,
            [
                "Example:",
                "",
                "```text",
                "let x = 1;",
                "```",
                "",
                "indented code"
            ]
        );
        assert_eq!(sanitize("```json\n{}\n```"), ["```text", "{}", "```"]);
    }

    #[test]
    fn list_continuations_are_indented() {
        let lines = sanitize("Statuses:\n- `a` means\nsomething\n- b\n\nAfter.");
        assert_eq!(
            lines,
            [
                "Statuses:",
                "- `a` means",
                "  something",
                "- b",
                "",
                "After."
            ]
        );
    }

    #[test]
    fn direction_controls_are_dropped_from_doc_lines() {
        let ours = DocBuilder::new()
            .line("The `a\u{202E}b` value.")
            .raw_lines(["x\u{2066}".to_owned()]);
        assert_eq!(ours.lines, ["The `ab` value.", "x"]);
        assert_eq!(sanitize("right\u{202E}to\u{2069} left"), ["rightto left"]);
    }

    #[test]
    fn list_continuations_go_where_the_item_text_starts() {
        let lines = sanitize("Notes:\n*   one\n  more\n10.  two\nand\n-      code\nx");
        assert_eq!(
            lines,
            [
                "Notes:",
                "*   one",
                "    more",
                "10.  two",
                "     and",
                "-      code",
                "  x"
            ]
        );
        // A quote's lazy continuation gets the quote's markers; a list item ends at a quote.
        assert_eq!(
            sanitize("> said\nlazily\n\n- item\n> > deep\nmore\n> back\nend\n\nafter"),
            [
                "> said", "> lazily", "", "- item", "> > deep", "> > more", "> > back", "> > end",
                "", "after"
            ]
        );
        // Items numbered `1)` are list items too.
        assert_eq!(
            sanitize("Steps:\n1) open\nthe door\n2)  walk\nin"),
            ["Steps:", "1) open", "   the door", "2)  walk", "    in"]
        );
        // A dash or number without a space after it starts no list, nor do ten digits.
        assert_eq!(sanitize("-5 degrees\nmore"), ["-5 degrees", "more"]);
        assert_eq!(sanitize("3.14\nmore"), ["3.14", "more"]);
        assert_eq!(sanitize("1234567890. x\nmore"), ["1234567890. x", "more"]);
    }

    #[test]
    fn inline_markup_is_made_safe() {
        assert_eq!(
            sanitize("See https://example.com/a. Or [the docs](https://x.y) [sic] a<b `[c]`"),
            ["See <https://example.com/a>. Or [the docs](https://x.y) \\[sic\\] a&lt;b `[c]`"]
        );
        assert_eq!(
            sanitize("<https://x.y> and\ttab"),
            ["<https://x.y> and    tab"]
        );
        assert_eq!(sanitize("# Title\ntext"), ["**Title**", "text"]);
        // Text between markup is copied as it is, `h`s included.
        assert_eq!(
            sanitize("which has http: then https://a.b/c, high<"),
            ["which has http: then <https://a.b/c>, high&lt;"]
        );
        // A link rustdoc would resolve as an item path keeps only its text.
        assert_eq!(
            sanitize("an [`SshKey`](crate::external_api::views::SshKey), [docs](https://x.y/z)"),
            ["an `SshKey`, [docs](https://x.y/z)"]
        );
        assert_eq!(
            sanitize("see [Vpc](Vpc) or [here](#vpc)"),
            ["see Vpc or [here](#vpc)"]
        );
    }
}
