//! A YAML text cut in two at one of its top-level keys, so that the halves can be parsed side
//! by side: parsing is a third of generating from a spec like Circle's, and `serde_yaml` reads
//! one text on one core.
//!
//! In a document that is a block mapping at column 0, YAML wants every other line of a value
//! indented (block scalars, multi-line flow nodes and quoted scalars included), so a line that
//! starts at column 0 with `key:` starts a new entry, and the text before it is whole entries.
//! Where a lenient parser accepts less (a quoted scalar or a flow collection with a line at
//! column 0), one half does not parse, and the caller parses the whole text instead, as it does
//! when an alias in one half names an anchor in the other or the halves share a key.

/// Below this size (bytes), a second thread costs more than it saves.
const WORTH_SPLITTING: usize = 64 * 1024;

/// `text` cut before a top-level key near its middle, or `None` if it is small or not a plain
/// block mapping at column 0: it has directives, more than one document, a document end or a
/// merge key (`<<`, whose keys come after the mapping's own) at the top level.
pub(super) fn halves(text: &str) -> Option<(&str, &str)> {
    if text.len() < WORTH_SPLITTING {
        return None;
    }
    let middle = text.len() / 2;
    let mut best: Option<usize> = None;
    let mut seen_content = false;
    let bytes = text.as_bytes();
    // Only lines that start at column 0 matter: most lines are passed over a byte at a time.
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1));
    for at in starts {
        if matches!(
            bytes.get(at),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'#') | None
        ) {
            continue;
        }
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |n| at + n + 1);
        let line = &text[at..end];
        if line.starts_with("---") || line.starts_with("...") {
            // A document start is allowed only before anything else, and only bare.
            if seen_content || line.starts_with("...") || !line[3..].trim().is_empty() {
                return None;
            }
            seen_content = true;
            continue;
        }
        if line.starts_with("<<") || line.starts_with('%') {
            return None;
        }
        let first_key = !seen_content;
        seen_content = true;
        if first_key {
            // The document must open with a plain key: a flow mapping or a list is not cut.
            if !is_plain_key(line) {
                return None;
            }
            continue;
        }
        if is_plain_key(line) && best.is_none_or(|b| at.abs_diff(middle) < b.abs_diff(middle)) {
            best = Some(at);
        }
    }
    let cut = best?;
    let smaller = cut.min(text.len() - cut);
    (smaller >= WORTH_SPLITTING / 4).then(|| text.split_at(cut))
}

/// Whether `line` starts with a plain key made of letters, digits, `_`, `.` and `-` (starting
/// with a letter or `_`) followed by `:` and a space or the end of the line: the top-level keys
/// of OpenAPI (`paths`, `components`, `x-...`).
fn is_plain_key(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else {
        return false;
    };
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && rest.chars().next().is_none_or(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mapping of `keys`, each with a value of `size` bytes or so.
    fn doc(keys: &[&str], size: usize) -> String {
        let mut text = String::new();
        for key in keys {
            let start = text.len();
            text.push_str(&format!("{key}:\n"));
            for entry in 0.. {
                if text.len() - start >= size {
                    break;
                }
                text.push_str(&format!("  entry_{entry}: some value\n"));
            }
        }
        text
    }

    #[test]
    fn cuts_at_the_top_level_key_nearest_the_middle() {
        let text = doc(&["openapi", "paths", "components", "x-tail"], 40_000);
        let (head, tail) = halves(&text).unwrap();
        assert!(tail.starts_with("components:\n"), "{}", &tail[..20]);
        assert_eq!(format!("{head}{tail}"), text);
    }

    #[test]
    fn leaves_small_texts_and_lopsided_ones_whole() {
        assert_eq!(halves(&doc(&["openapi", "paths"], 1000)), None);
        let lopsided = format!("openapi: 3.0.0\n{}", doc(&["paths"], 200_000));
        assert_eq!(halves(&lopsided), None);
    }

    #[test]
    fn leaves_other_shapes_whole() {
        let body = doc(&["paths", "components"], 40_000);
        for prefix in [
            "%YAML 1.2\n---\n",
            "- item\n",
            "{a: 1}\n",
            "<<: *x\n",
            "--- !tag\n",
        ] {
            assert_eq!(halves(&format!("{prefix}{body}")), None, "{prefix}");
        }
        for suffix in ["---\nb: 1\n", "...\n", "<<: {a: 1}\n"] {
            assert_eq!(halves(&format!("{body}{suffix}")), None, "{suffix}");
        }
        let text = format!("# a comment\n---\n{body}");
        let (_, tail) = halves(&text).unwrap();
        assert!(tail.starts_with("components:"));
    }

    #[test]
    fn plain_keys() {
        for key in ["paths:\n", "x-a.b_c: 1\n", "openapi: 3.0.0", "a:"] {
            assert!(is_plain_key(key), "{key}");
        }
        for not in [
            "'paths':\n",
            "a b: 1\n",
            "a:b\n",
            "- a: 1\n",
            "1a: 2\n",
            "paths\n",
        ] {
            assert!(!is_plain_key(not), "{not}");
        }
    }
}
