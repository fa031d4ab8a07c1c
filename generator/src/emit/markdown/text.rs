//! Spec descriptions → Markdown that renders as intended on GitHub: in paragraphs (the rustdoc
//! rules of [`doc::sanitize`] also suit GitHub: no stray HTML, no headings that outrank the
//! page's) and in table cells (one line, `|` escaped).

use crate::emit::doc;

/// A description as Markdown paragraphs. Links to relative targets (which would point into the
/// spec's own site, not next to these pages) keep their text only.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut in_fence = false;
    doc::sanitize(text)
        .into_iter()
        .map(|line| {
            if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
                in_fence = !in_fence;
                return line;
            }
            if in_fence {
                line
            } else {
                unlink_relative(line)
            }
        })
        .collect()
}

/// A description in one table cell: lines joined with `<br>`, code blocks as code spans, `|`
/// escaped so it cannot end the cell.
pub fn cell(text: &str) -> String {
    let mut parts = Vec::new();
    let mut in_fence = false;
    for line in paragraphs(text) {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        parts.push(if in_fence {
            doc::code(trimmed)
        } else {
            trimmed.to_owned()
        });
    }
    escape_pipes(&parts.join("<br>"))
}

/// Our own text (a type, a value) for a table cell.
pub fn escape_pipes(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The first line of a description, for index tables.
pub fn summary(text: &str) -> String {
    let lines = paragraphs(text);
    let first = lines
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with("```"))
        .map(|l| l.trim().to_owned())
        .unwrap_or_default();
    escape_pipes(&first)
}

/// `[text](target)` with a target that is not a URL → `text`. Code spans are left alone.
fn unlink_relative(line: String) -> String {
    // Only a `[` starts a link.
    if !line.contains('[') {
        return line;
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line.as_str();
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let ticks = rest.chars().take_while(|c| *c == '`').count();
            let fence = &rest[..ticks];
            let end = rest[ticks..]
                .find(fence)
                .map_or(ticks, |end| ticks + end + ticks);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if c == '[' {
            if let Some((text, target, len)) = link_at(rest) {
                if is_absolute(target) {
                    out.push_str(&rest[..len]);
                } else {
                    out.push_str(text);
                }
                rest = &rest[len..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `[text](target)` at the start of `s`: text, target and length.
fn link_at(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains(['[', ']']) {
        return None;
    }
    let end = s[close + 2..].find(')')?;
    let target = &s[close + 2..close + 2 + end];
    Some((text, target, close + 2 + end + 1))
}

fn is_absolute(target: &str) -> bool {
    let target = target.trim();
    target.starts_with("http://") || target.starts_with("https://") || target.starts_with("mailto:")
}

/// GitHub's anchor for a heading: lower case, spaces to `-`, punctuation other than `-` and `_`
/// dropped.
pub fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_on_one_line_and_keep_their_pipes() {
        assert_eq!(
            cell("Either `a|b` or c | d.\n\n```\nx | y\n```\n# Head"),
            "Either `a\\|b` or c \\| d.<br>`x \\| y`<br>**Head**"
        );
        assert_eq!(cell("<b>bold</b>"), "&lt;b>bold&lt;/b>");
    }

    #[test]
    fn relative_links_keep_their_text() {
        assert_eq!(
            paragraphs("See [the guide](/docs/guide) or [site](https://x.y) `[k](v)`"),
            ["See the guide or [site](https://x.y) `[k](v)`"]
        );
    }

    #[test]
    fn anchors_follow_github() {
        assert_eq!(anchor("create_checkout_session"), "create_checkout_session");
        assert_eq!(
            anchor("Getting started: the client"),
            "getting-started-the-client"
        );
    }
}
