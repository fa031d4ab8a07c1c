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
        MessageFormat::Human { color } => human(diagnostic, source, color),
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

fn human(diagnostic: &Diagnostic, source: Option<&str>, color: bool) -> String {
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
            let start = text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i);
            let end = start + token_len(&text[start..]);
            (text, start, end, line)
        }),
        _ => None,
    };
    let file = diagnostic.file.as_deref();
    let label = diagnostic.pointer.as_deref().unwrap_or("here");
    match (snippet, file) {
        (Some((text, start, end, line)), Some(file)) => {
            group = group.element(
                Snippet::source(text)
                    .line_start(line)
                    .path(file)
                    .annotation(AnnotationKind::Primary.span(start..end).label(label)),
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
    renderer.render(&[group])
}

/// The text of 1-based line `line`, without its line break.
fn line_of(source: &str, line: usize) -> Option<&str> {
    source
        .split('\n')
        .nth(line.checked_sub(1)?)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
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
    fn carets_cover_quoted_and_plain_tokens() {
        assert_eq!(token_len("'#/a b': x"), 7);
        assert_eq!(token_len("maximum: 3"), 7);
        assert_eq!(token_len("- x"), 1);
        assert_eq!(token_len(""), 0);
    }
}
