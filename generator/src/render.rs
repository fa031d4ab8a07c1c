//! How a [`Diagnostic`] is shown: like rustc (the spec line with a caret under the place), on one
//! line, or as a JSON object per line for CI tools.

use crate::diagnostics::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// The `--message-format` of the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageFormat {
    /// A source snippet with a caret, as rustc shows errors; colored when `color` is set.
    Human {
        /// Whether to use ANSI colors.
        color: bool,
    },
    /// One line per diagnostic: `error: file:line:col: #/pointer: message (hint: ...)`.
    Short,
    /// One JSON object per line, with every field of [`Diagnostic`].
    Json,
}

/// Renders one diagnostic; `source` is the text of its file, when at hand, for the snippet.
pub fn render(diagnostic: &Diagnostic, source: Option<&str>, format: MessageFormat) -> String {
    match format {
        MessageFormat::Short => diagnostic.to_string(),
        MessageFormat::Json => json(diagnostic),
        MessageFormat::Human { color } => human(diagnostic, source, color, SHOWN_AROUND),
    }
}

fn json(diagnostic: &Diagnostic) -> String {
    let value = serde_json::json!({
        "severity": diagnostic.severity.to_string(),
        "code": diagnostic.code,
        "message": diagnostic.message,
        "file": diagnostic.file,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "pointer": diagnostic.pointer,
        "operation_id": diagnostic.operation_id,
        "hint": diagnostic.hint,
    });
    value.to_string()
}

/// The rustc-like rendering; the renderer is given `around` bytes of the line on each side of
/// the caret.
fn human(diagnostic: &Diagnostic, source: Option<&str>, color: bool, around: usize) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut title = level.primary_title(diagnostic.message.as_str());
    if let Some(code) = &diagnostic.code {
        title = title.id(code.as_str());
    }
    let mut group = Group::with_title(title);
    let snippet = match (source, diagnostic.line, diagnostic.column) {
        (Some(source), Some(line), Some(column)) => line_of(source, line).map(|text| {
            let start = char_offset(text, column.saturating_sub(1));
            let end = start + token_len(&text[start..]);
            (text, start, end, line, column)
        }),
        _ => None,
    };
    let file = diagnostic.file.as_deref();
    let label = diagnostic.pointer.as_deref().unwrap_or("here");
    let mut column_fix = None;
    match (snippet, file) {
        (Some((text, start, end, line, column)), Some(file)) => {
            // The renderer measures the whole line for each snippet (20 ms for each warning
            // of a minified 2 MB spec) but shows only a screen's width around the caret: it is
            // given a part of a long line, and the column it names from that part is replaced
            // by the real one after rendering.
            let from = char_floor(text, start.saturating_sub(around));
            let to = char_floor(text, end.saturating_add(around).min(text.len()));
            if from > 0 {
                let shown_column = text[from..start].chars().count() + 1;
                column_fix = Some((
                    format!("{file}:{line}:{shown_column}"),
                    format!("{file}:{line}:{column}"),
                ));
            }
            group = group.element(
                Snippet::source(&text[from..to])
                    .line_start(line)
                    .path(file)
                    .annotation(
                        AnnotationKind::Primary
                            .span(start - from..end - from)
                            .label(label),
                    ),
            );
        }
        (None, Some(file)) => {
            let mut origin = Origin::path(file);
            if let Some(line) = diagnostic.line {
                origin = origin.line(line);
            }
            if let Some(column) = diagnostic.column {
                origin = origin.char_column(column);
            }
            group = group.element(origin);
            if let Some(pointer) = &diagnostic.pointer {
                group = group.element(Level::NOTE.message(format!("at {pointer}")));
            }
        }
        _ => {}
    }
    if let Some(operation) = &diagnostic.operation_id {
        group = group.element(Level::NOTE.message(format!("in operation `{operation}`")));
    }
    if let Some(hint) = &diagnostic.hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let rendered = renderer.render(&[group]);
    match column_fix {
        Some((shown, real)) => rendered.replacen(&shown, &real, 1),
        None => rendered,
    }
}

/// How much of a line on each side of the caret (in bytes) the renderer is given: more than it
/// shows on any screen.
const SHOWN_AROUND: usize = 4096;

/// The byte offset of char `n` of `text` (its length if it has fewer). Whole blocks are skipped
/// by counting their chars, which the standard library does many bytes at a time, much quicker
/// than decoding them: a column may be two million chars into a minified spec's line.
fn char_offset(text: &str, n: usize) -> usize {
    const BLOCK: usize = 4096;
    let (mut offset, mut left) = (0, n);
    while text.len() - offset > BLOCK {
        let end = char_floor(text, offset + BLOCK);
        let count = text[offset..end].chars().count();
        if count > left {
            break;
        }
        (offset, left) = (end, left - count);
    }
    text[offset..]
        .char_indices()
        .nth(left)
        .map_or(text.len(), |(i, _)| offset + i)
}

/// The last char boundary of `text` at or before `at`.
fn char_floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The text of 1-based line `line`, without its line break.
fn line_of(source: &str, line: usize) -> Option<&str> {
    let bytes = source.as_bytes();
    let start = match line.checked_sub(1)? {
        0 => 0,
        // Line breaks found many bytes at a time: a warning deep into a big spec is rendered
        // in a tenth of the time of splitting the text line by line.
        breaks => memchr::memchr_iter(b'\n', bytes).nth(breaks - 1)? + 1,
    };
    let end = memchr::memchr(b'\n', &bytes[start..]).map_or(source.len(), |n| start + n);
    let text = &source[start..end];
    Some(text.strip_suffix('\r').unwrap_or(text))
}

/// How much of `rest` the caret underlines: a quoted scalar, or a word up to `:` or a separator.
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        None => 0,
        Some((_, quote @ ('"' | '\''))) => chars
            .find(|&(_, c)| c == quote)
            .map_or(rest.len(), |(i, c)| i + c.len_utf8()),
        Some(_) => rest
            .find([':', ',', '}', ']', ' ', '\t'])
            .filter(|&i| i > 0)
            .unwrap_or(rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Pointer;

    const SPEC: &str = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      operationId: getA\n";

    fn dangling() -> Diagnostic {
        Diagnostic::error("`$ref: #/x` points at nothing")
            .at(&Pointer::root().join("paths").join("/a").join("get"))
            .in_operation(Some("getA"))
            .in_file("spec.yaml")
            .at_line(4, 5)
            .with_hint("define it")
    }

    #[test]
    fn human_shows_the_line_with_a_caret_under_the_key() {
        let text = render(
            &dangling(),
            Some(SPEC),
            MessageFormat::Human { color: false },
        );
        let expected = "\
error: `$ref: #/x` points at nothing
 --> spec.yaml:4:5
  |
4 |     get:
  |     ^^^ #/paths/~1a/get
  |
  = note: in operation `getA`
  = help: define it";
        assert_eq!(text, expected);
    }

    #[test]
    fn human_without_source_still_names_the_place() {
        let text = render(&dangling(), None, MessageFormat::Human { color: false });
        assert!(text.contains("--> spec.yaml:4:5"), "{text}");
        assert!(text.contains("note: at #/paths/~1a/get"), "{text}");
    }

    #[test]
    fn short_and_json() {
        let d = dangling().with_code("not-schema");
        assert_eq!(
            render(&d, Some(SPEC), MessageFormat::Short),
            "error[not-schema]: spec.yaml:4:5: #/paths/~1a/get: operation `getA`: \
             `$ref: #/x` points at nothing (hint: define it)"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&d, None, MessageFormat::Json)).unwrap();
        assert_eq!(json["severity"], "error");
        assert_eq!(json["line"], 4);
        assert_eq!(json["column"], 5);
        assert_eq!(json["pointer"], "#/paths/~1a/get");
        assert_eq!(json["operation_id"], "getA");
        assert_eq!(json["code"], "not-schema");
    }

    #[test]
    fn long_lines_render_as_if_the_renderer_had_the_whole_line() {
        // Two-byte, and four-byte two-column, characters around the caret.
        let filler = |n: usize| "\"kéy\": \"vålue\", \"😀\": 1, ".repeat(n);
        for (indent, before, after) in [
            ("", 0, 0),
            ("", 3, 400),
            ("", 400, 3),
            ("", 400, 400),
            ("    ", 90, 90),
            ("        ", 2000, 2000),
        ] {
            let line = format!(
                "{indent}{{{}\"$ref\": \"#/x\", {}}}",
                filler(before),
                filler(after)
            );
            let source = format!("openapi: 3.0.3\n{line}\n");
            let column = line[..line.find("\"$ref").unwrap()].chars().count() + 1;
            let d = dangling().at_line(2, column);
            for color in [false, true] {
                let windowed = human(&d, Some(&source), color, SHOWN_AROUND);
                let whole = human(&d, Some(&source), color, usize::MAX);
                assert_eq!(windowed, whole, "{indent:?} {before} {after} {color}");
                assert!(
                    windowed.contains(&format!("spec.yaml:2:{column}")),
                    "{windowed}"
                );
            }
        }
    }

    #[test]
    fn char_offsets_skip_blocks_exactly() {
        let text = "aé😀b".repeat(3000);
        for n in [
            0, 1, 2, 3, 4, 4095, 4096, 5000, 11_999, 12_000, 12_001, 20_000,
        ] {
            let expected = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
            assert_eq!(char_offset(&text, n), expected, "char {n}");
        }
        assert_eq!(char_offset("", 3), 0);
    }

    #[test]
    fn carets_cover_quoted_and_plain_tokens() {
        assert_eq!(token_len("'#/a b': x"), 7);
        assert_eq!(token_len("maximum: 3"), 7);
        assert_eq!(token_len("- x"), 1);
        assert_eq!(token_len(""), 0);
    }
}
