//! Narrowing a YAML text down to the few lines that hold a pointer, by indentation alone, so
//! that only those lines go through the event parser (Circle's spec: its warnings placed in well
//! under a millisecond, most of it a table of the text's lines, instead of the 5 ms it takes to
//! parse the whole text again).
//!
//! In a block mapping whose keys sit at column `c`, every other line of a value is indented
//! past `c` (block scalars, multi-line flow nodes and quoted scalars included), so a line at
//! column `c` that reads `key:` starts an entry and the entry runs to the next line at `c` or
//! left of it. Narrowing goes down such entries as far as the pointer's keys lead, and stops at
//! an entry whose value is on the key's line (`key: {a: 1}`), a list, or the pointer's end; that
//! entry's lines are then walked as a text of their own. Whatever it cannot place this way (a
//! key written in a way it does not read, a value that an alias or merge key brings in, lines a
//! lenient parser reads other than YAML says) it hands back for the whole text to be walked.

use super::Position;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The positions of the `wanted` pointers that narrowing places in `text`, and the pointers it
/// leaves to a walk of the whole text.
pub(super) fn locate<'w>(
    text: &str,
    wanted: &'w BTreeSet<String>,
) -> (BTreeMap<String, Position>, Vec<&'w str>) {
    let mut left: Vec<&str> = Vec::new();
    let lines = Lines::new(text);
    if !lines.one_plain_document() {
        return (BTreeMap::new(), wanted.iter().map(String::as_str).collect());
    }
    let mut pointers = Vec::new();
    for pointer in wanted {
        match tokens(pointer) {
            Some(tokens) if !tokens.is_empty() => pointers.push(Wanted { pointer, tokens }),
            _ => left.push(pointer),
        }
    }
    let mut stops = BTreeMap::new();
    let everything = 0..lines.lines.len();
    lines.descend(everything, 0, 0, pointers, &mut stops, &mut left);
    let mut found = BTreeMap::new();
    for (line, (depth, pointers)) in stops {
        lines.walk_entry(line, depth, &pointers, &mut found, &mut left);
    }
    (found, left)
}

/// A pointer asked for, with its tokens unescaped.
struct Wanted<'w> {
    pointer: &'w str,
    tokens: Vec<String>,
}

/// The tokens of a pointer written `#/a/b~1c`, unescaped; `None` if it is not written so.
fn tokens(pointer: &str) -> Option<Vec<String>> {
    let rest = pointer.strip_prefix('#')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    Some(
        rest.strip_prefix('/')?
            .split('/')
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// One line of the text.
struct Line {
    /// Byte offset of its start.
    start: usize,
    /// Spaces before its first other character.
    indent: usize,
    /// It holds more than blanks and a comment.
    content: bool,
}

struct Lines<'a> {
    text: &'a str,
    lines: Vec<Line>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        // Line breaks found many bytes at a time, not line by line: a warning in a big spec is
        // placed in a fraction of the time.
        let ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1);
        let last = (!text.is_empty() && !text.ends_with('\n')).then_some(text.len());
        for end in ends.chain(last) {
            let body = text[start..end].trim_end_matches(['\n', '\r']);
            let indent = body.len() - body.trim_start_matches(' ').len();
            let rest = &body[indent..];
            lines.push(Line {
                start,
                indent,
                content: !rest.trim_start().is_empty() && !rest.starts_with('#'),
            });
            start = end;
        }
        Lines { text, lines }
    }

    /// The text of line `i` from its indentation on, without its line break.
    fn body(&self, i: usize) -> &'a str {
        let line = &self.lines[i];
        let end = self
            .lines
            .get(i + 1)
            .map_or(self.text.len(), |next| next.start);
        self.text[line.start + line.indent..end].trim_end_matches(['\n', '\r'])
    }

    /// The text is one document, a block mapping at column 0 with nothing before it but
    /// comments and a bare `---`: what the walk from the top assumes.
    fn one_plain_document(&self) -> bool {
        let mut content = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, line)| line.content && line.indent == 0)
            .map(|(i, _)| self.body(i));
        let first = match content.next() {
            Some(first) if first.trim_end() == "---" => content.next(),
            first => first,
        };
        first.is_some_and(|line| entry_key(line).is_some())
            && content.all(|line| {
                !line.starts_with("---") && !line.starts_with("...") && !line.starts_with('%')
            })
    }

    /// The end (a line index) of the entry whose key is on line `i`: the next content line at
    /// its indentation or left of it.
    fn entry_end(&self, i: usize, end: usize) -> usize {
        let indent = self.lines[i].indent;
        (i + 1..end)
            .find(|&j| {
                let line = &self.lines[j];
                // A list may sit at its key's indentation (`key:` then `- item`).
                line.content
                    && (line.indent < indent
                        || (line.indent == indent && !is_list_item(self.body(j))))
            })
            .unwrap_or(end)
    }

    /// Goes down the entries of the mapping whose keys sit at `indent` on lines `block`, for
    /// pointers whose first `depth` tokens led here; records where each stops, in `stops`
    /// (entry line → its depth and pointers), or leaves it in `left`.
    fn descend<'w>(
        &self,
        block: std::ops::Range<usize>,
        indent: usize,
        depth: usize,
        pointers: Vec<Wanted<'w>>,
        stops: &mut BTreeMap<usize, (usize, Vec<Wanted<'w>>)>,
        left: &mut Vec<&'w str>,
    ) {
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (n, wanted) in pointers.iter().enumerate() {
            by_key
                .entry(wanted.tokens[depth].clone())
                .or_default()
                .push(n);
        }
        // The entry line of each key asked for; a key met twice is not placed here.
        let mut entries: HashMap<String, Option<usize>> = HashMap::new();
        let end = block.end;
        for i in block {
            let line = &self.lines[i];
            if !line.content || line.indent != indent {
                continue;
            }
            let Some((key, _)) = entry_key(self.body(i)) else {
                continue;
            };
            if by_key.contains_key(&key) {
                entries
                    .entry(key)
                    .and_modify(|line| *line = None)
                    .or_insert(Some(i));
            }
        }
        let mut pointers: Vec<Option<Wanted<'w>>> = pointers.into_iter().map(Some).collect();
        for (key, numbers) in by_key {
            let taken = numbers.iter().filter_map(|&n| pointers[n].take());
            let Some(Some(line)) = entries.get(&key).copied() else {
                left.extend(taken.map(|wanted| wanted.pointer));
                continue;
            };
            let entry_end = self.entry_end(line, end);
            let value = entry_key(self.body(line)).map_or("", |(_, value)| value);
            // Where the value's own lines start, if it is a mapping on lines of its own.
            let child = (value.is_empty() || value.starts_with('#'))
                .then(|| (line + 1..entry_end).find(|&j| self.lines[j].content))
                .flatten()
                .filter(|&j| self.lines[j].indent > indent && entry_key(self.body(j)).is_some());
            let (stop, deeper): (Vec<_>, Vec<_>) =
                taken.partition(|wanted| child.is_none() || wanted.tokens.len() == depth + 1);
            if !stop.is_empty() {
                stops
                    .entry(line)
                    .or_insert_with(|| (depth, Vec::new()))
                    .1
                    .extend(stop);
            }
            if let (Some(child), false) = (child, deeper.is_empty()) {
                let indent = self.lines[child].indent;
                self.descend(child..entry_end, indent, depth + 1, deeper, stops, left);
            }
        }
    }

    /// Walks the entry on line `line` (the pointers' token `depth` is its key) as a text of its
    /// own, and records what it places; what it does not goes to `left`.
    fn walk_entry<'w>(
        &self,
        line: usize,
        depth: usize,
        pointers: &[Wanted<'w>],
        found: &mut BTreeMap<String, Position>,
        left: &mut Vec<&'w str>,
    ) {
        // Within the entry's text, a pointer starts at the entry's key.
        let inner: BTreeMap<String, &str> = pointers
            .iter()
            .map(|wanted| (inner_pointer(wanted.pointer, depth), wanted.pointer))
            .collect();
        let inner_wanted: BTreeSet<String> = inner.keys().cloned().collect();
        let start = self.lines[line].start;
        let walk = |end: usize| {
            let end = self
                .lines
                .get(end)
                .map_or(self.text.len(), |next| next.start);
            let entry = &self.text[start..end];
            let (placed, parsed) = super::walk(entry, &inner_wanted);
            parsed.then_some(placed)
        };
        // A pointer to the key itself needs only the key's line, unless its value goes on.
        let only_keys = pointers
            .iter()
            .all(|wanted| wanted.tokens.len() == depth + 1);
        let placed = only_keys
            .then(|| walk(line + 1))
            .flatten()
            .or_else(|| walk(self.entry_end(line, self.lines.len())));
        let Some(placed) = placed else {
            left.extend(pointers.iter().map(|wanted| wanted.pointer));
            return;
        };
        for (inner_pointer, pointer) in inner {
            match placed.get(&inner_pointer) {
                Some(position) => {
                    found.insert(
                        pointer.to_owned(),
                        Position {
                            line: position.line + line,
                            column: position.column,
                            offset: position.offset + start,
                        },
                    );
                }
                None => left.push(pointer),
            }
        }
    }
}

/// Whether a line (from its indentation on) starts a block list item.
fn is_list_item(line: &str) -> bool {
    line.strip_prefix('-')
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// `pointer` without its first `depth` tokens: `#/a/b/c` at depth 1 is `#/b/c`.
fn inner_pointer(pointer: &str, depth: usize) -> String {
    let rest = pointer
        .match_indices('/')
        .nth(depth)
        .map_or("", |(at, _)| &pointer[at..]);
    format!("#{rest}")
}

/// The key of a block mapping entry written on `line` (from its indentation on) as `key:`,
/// `'key':` or `"key":` (without escapes), and what follows the `:`; `None` for anything else
/// (a list item, an explicit `? key`, a key with an anchor, tag or alias...).
fn entry_key(line: &str) -> Option<(String, &str)> {
    let (key, rest) = match line.as_bytes().first()? {
        b'\'' => {
            let mut key = String::new();
            let mut rest = &line[1..];
            loop {
                let quote = rest.find('\'')?;
                key.push_str(&rest[..quote]);
                rest = &rest[quote + 1..];
                match rest.strip_prefix('\'') {
                    Some(after) => {
                        key.push('\'');
                        rest = after;
                    }
                    None => break,
                }
            }
            (key, rest.trim_start_matches(' ').strip_prefix(':')?)
        }
        b'"' => {
            let quote = line[1..].find('"')? + 1;
            let key = &line[1..quote];
            if key.contains('\\') {
                return None;
            }
            let rest = line[quote + 1..]
                .trim_start_matches(' ')
                .strip_prefix(':')?;
            (key.to_owned(), rest)
        }
        b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
        | b'|' | b'>' | b'%' | b'@' | b'`' => return None,
        _ => {
            // A plain key ends at the first `:` followed by a blank or the line's end.
            let colon = line.match_indices(':').map(|(at, _)| at).find(|&at| {
                line[at + 1..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ' || c == '\t')
            })?;
            let key = &line[..colon];
            if key.contains(" #") || key.ends_with(' ') || key.contains('\t') {
                return None;
            }
            (key.to_owned(), &line[colon + 1..])
        }
    };
    // The rest must start with a blank or end the line for `:` to end the key.
    match rest.chars().next() {
        None => Some((key, "")),
        Some(' ' | '\t') => Some((key, rest.trim())),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_as_block_mappings_write_them() {
        assert_eq!(entry_key("paths:"), Some(("paths".into(), "")));
        assert_eq!(entry_key("a: 1 # c"), Some(("a".into(), "1 # c")));
        assert_eq!(entry_key("/v1/{id}:"), Some(("/v1/{id}".into(), "")));
        assert_eq!(entry_key("urn:x: y"), Some(("urn:x".into(), "y")));
        assert_eq!(entry_key("'200':"), Some(("200".into(), "")));
        assert_eq!(entry_key("'it''s' : x"), Some(("it's".into(), "x")));
        assert_eq!(entry_key("\"a b\":"), Some(("a b".into(), "")));
        for not in [
            "- a: 1",
            "? a",
            "\"a\\n\": 1",
            "&x a: 1",
            "a",
            "'a'x: 1",
            "a:b",
            "a #c: d",
            "'a':b",
        ] {
            assert_eq!(entry_key(not), None, "{not}");
        }
    }

    /// What narrowing places and what it leaves, checked against a walk of the whole text.
    fn narrowed(text: &str, pointers: &[&str]) -> (BTreeMap<String, Position>, Vec<String>) {
        let wanted: BTreeSet<String> = pointers.iter().map(|p| (*p).to_owned()).collect();
        let (found, left) = locate(text, &wanted);
        let whole = super::super::Events::read(text).locate(text, &wanted);
        for (pointer, position) in &found {
            assert_eq!(whole.get(pointer), Some(position), "{pointer}");
        }
        (found, left.into_iter().map(str::to_owned).collect())
    }

    const SPEC: &str = "# a comment
---
openapi: 3.0.3
servers:
- url: https://a.example
paths:
  /pets/{id}:
    get:
      description: |
        Looks like a key:
        not: one
      parameters:
        - name: id
          in: path
    'x-it''s': {a: [1, 2]}
components:
  schemas:
    Pet:
      properties:
        name: {type: string}
        tags:
          type: array
          items: &tag
            type: string
    Tag: *tag
    Merged:
      <<: {extra: 1}
      own: 2
";

    #[test]
    fn places_by_indentation_what_the_whole_walk_places() {
        let (found, left) = narrowed(
            SPEC,
            &[
                "#/openapi",
                "#/servers/0/url",
                "#/paths/~1pets~1{id}/get/parameters/0/in",
                "#/paths/~1pets~1{id}/get/description",
                "#/paths/~1pets~1{id}/x-it's/a/1",
                "#/components/schemas/Pet/properties/name/type",
                "#/components/schemas/Pet/properties/tags/items/type",
                "#/components/schemas/Merged/own",
            ],
        );
        assert!(left.is_empty(), "{left:?}");
        assert_eq!(found.len(), 8);
        let at = |pointer: &str| found.get(pointer).map(|p| (p.line, p.column));
        assert_eq!(
            at("#/paths/~1pets~1{id}/get/parameters/0/in"),
            Some((14, 11))
        );
        assert_eq!(at("#/components/schemas/Merged/own"), Some((28, 7)));
    }

    #[test]
    fn leaves_what_indentation_cannot_tell() {
        let (found, left) = narrowed(
            SPEC,
            &[
                // Brought in by a merge key or an alias: not written where the pointer says.
                "#/components/schemas/Merged/extra",
                "#/components/schemas/Tag/type",
                // An alias alone, whose anchor is outside the lines read.
                "#/components/schemas/Tag",
                // Not there at all, and not a pointer.
                "#/components/schemas/Dog",
                "/openapi",
                // Inside a block scalar, which only looks like a mapping.
                "#/paths/~1pets~1{id}/get/description/not",
            ],
        );
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(left.len(), 6);
    }

    #[test]
    fn leaves_texts_it_does_not_read_to_the_whole_walk() {
        for text in [
            "{a: 1}\n",
            "a: 1\n---\nb: 2\n",
            "%YAML 1.2\n---\na: 1\n",
            "- a\n",
        ] {
            let (found, left) = narrowed(text, &["#/a"]);
            assert!(found.is_empty() && left.len() == 1, "{text}");
        }
        // Keys met twice, and an entry cut where a lenient reading of a quoted scalar goes on.
        let (found, left) = narrowed(
            "a:\n  b: 1\n  b: 2\nc: \"x\nd: y\"\nd: 1\n",
            &["#/a/b", "#/d"],
        );
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(left.len(), 2);
    }

    #[test]
    fn pointers_lose_their_first_tokens() {
        assert_eq!(inner_pointer("#/a/b~1c/d", 1), "#/b~1c/d");
        assert_eq!(inner_pointer("#/a/b", 0), "#/a/b");
        assert_eq!(
            tokens("#/a~1b/c~0d"),
            Some(vec!["a/b".into(), "c~d".into()])
        );
        assert_eq!(tokens("#"), Some(vec![]));
        assert_eq!(tokens("/a"), None);
    }
}
