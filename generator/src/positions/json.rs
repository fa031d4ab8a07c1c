//! Positions in a JSON text, found in one streaming pass with `jiter`.
//!
//! YAML's event parser would read JSON too, but it keeps every token of a flow mapping queued
//! until the mapping ends: tens of megabytes for a big JSON spec. Here nothing is kept: only
//! the objects and arrays on the way to a wanted pointer are read entry by entry, and every
//! other value is skipped.

use super::{Position, escape};
use jiter::{Jiter, JiterResult, Peek};
use std::collections::{BTreeMap, BTreeSet};

/// The positions of the `wanted` pointers found in `text`, or `None` if `text` is not JSON.
/// Like the YAML walk, an object entry is placed at its key, a list item at its first character.
pub(super) fn locate(text: &str, wanted: &BTreeSet<String>) -> Option<BTreeMap<String, Position>> {
    let bytes = text.as_bytes();
    let mut walk = Walk {
        bytes,
        jiter: Jiter::new(bytes),
        wanted,
        pointer: String::from("#"),
        offsets: BTreeMap::new(),
    };
    let peek = walk.jiter.peek().ok()?;
    walk.value(peek).ok()?;
    Some(positions(text, walk.offsets))
}

struct Walk<'a> {
    bytes: &'a [u8],
    jiter: Jiter<'a>,
    wanted: &'a BTreeSet<String>,
    /// The pointer of the value being read, e.g. `#/paths/~1pets`.
    pointer: String,
    /// Byte offsets of the wanted pointers found so far.
    offsets: BTreeMap<String, usize>,
}

impl Walk<'_> {
    /// Reads the value that `peek` starts, the one at `self.pointer`.
    fn value(&mut self, peek: Peek) -> JiterResult<()> {
        if !self.leads_to_wanted() {
            return self.jiter.known_skip(peek);
        }
        match peek {
            Peek::Object => {
                let mut before = self.jiter.current_index();
                let mut key = self.jiter.known_object()?.map(escape);
                while let Some(token) = key {
                    // Between the previous value and a key there are only `{`, `,` and blanks.
                    let at = self.bytes[before..]
                        .iter()
                        .position(|&b| b == b'"')
                        .map_or(before, |i| before + i);
                    self.entry(&token, at)?;
                    before = self.jiter.current_index();
                    key = self.jiter.next_key()?.map(escape);
                }
                Ok(())
            }
            Peek::Array => {
                let mut next = self.jiter.known_array()?;
                let mut index = 0usize;
                while let Some(peek) = next {
                    // `peek` has skipped the blanks: the item starts here.
                    let at = self.jiter.current_index();
                    let length = self.pointer.len();
                    self.pointer.push('/');
                    self.pointer.push_str(&index.to_string());
                    self.record(at);
                    self.value(peek)?;
                    self.pointer.truncate(length);
                    index += 1;
                    next = self.jiter.array_step()?;
                }
                Ok(())
            }
            scalar => self.jiter.known_skip(scalar),
        }
    }

    /// An object entry: its key (already read) at `at`, then its value.
    fn entry(&mut self, token: &str, at: usize) -> JiterResult<()> {
        let length = self.pointer.len();
        self.pointer.push('/');
        self.pointer.push_str(token);
        self.record(at);
        let peek = self.jiter.peek()?;
        let read = self.value(peek);
        self.pointer.truncate(length);
        read
    }

    fn record(&mut self, at: usize) {
        if self.wanted.contains(&self.pointer) && !self.offsets.contains_key(&self.pointer) {
            self.offsets.insert(self.pointer.clone(), at);
        }
    }

    /// Whether a wanted pointer lies below the current one.
    fn leads_to_wanted(&mut self) -> bool {
        super::wanted_below(self.wanted, &mut self.pointer)
    }
}

/// Byte offsets as lines and character columns, in one pass over the text.
fn positions(text: &str, offsets: BTreeMap<String, usize>) -> BTreeMap<String, Position> {
    let mut by_offset: Vec<(usize, String)> = offsets.into_iter().map(|(p, o)| (o, p)).collect();
    by_offset.sort();
    let (mut line, mut line_start, mut scanned) = (1, 0, 0);
    let mut found = BTreeMap::new();
    for (offset, pointer) in by_offset {
        let offset = offset.min(text.len());
        for (i, b) in text.as_bytes()[scanned..offset].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = scanned + i + 1;
            }
        }
        scanned = offset;
        let column = text
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count())
            + 1;
        found.insert(
            pointer,
            Position {
                line,
                column,
                offset,
            },
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r##"{
  "openapi": "3.0.3",
  "paths": {"/pets/{id}": {"get": {"parameters": [
      {"name": "id", "in": "path"},
      {"$ref": "#/components/parameters/Gone"}, "x"
  ]}}},
  "components": {"schemas": {"Pet": {"properties": {
    "näme": {"type": "string", "maximum": 3},
    "a~b\"c": {"type": "integer"}
  }}}}
}"##;

    fn find(pointer: &str) -> Option<(usize, usize)> {
        let wanted = BTreeSet::from([pointer.to_owned()]);
        locate(JSON, &wanted)
            .expect("JSON")
            .get(pointer)
            .map(|p| (p.line, p.column))
    }

    #[test]
    fn keys_are_placed_at_their_opening_quote() {
        assert_eq!(find("#/openapi"), Some((2, 3)));
        assert_eq!(find("#/paths/~1pets~1{id}/get"), Some((3, 28)));
        assert_eq!(
            find("#/components/schemas/Pet/properties/näme/maximum"),
            Some((8, 32))
        );
        // Escaped in the pointer (`~0`) and in the text (`\"`).
        assert_eq!(
            find("#/components/schemas/Pet/properties/a~0b\"c/type"),
            Some((9, 16))
        );
    }

    #[test]
    fn list_items_are_placed_at_their_first_character() {
        assert_eq!(find("#/paths/~1pets~1{id}/get/parameters/0"), Some((4, 7)));
        assert_eq!(
            find("#/paths/~1pets~1{id}/get/parameters/1/$ref"),
            Some((5, 8))
        );
        assert_eq!(find("#/paths/~1pets~1{id}/get/parameters/2"), Some((5, 49)));
    }

    #[test]
    fn many_pointers_at_once_and_missing_ones() {
        let wanted: BTreeSet<String> = ["#/openapi", "#/paths", "#/nowhere", "#/paths/~1dogs"]
            .map(str::to_owned)
            .into();
        let found = locate(JSON, &wanted).expect("JSON");
        assert_eq!(found.len(), 2);
        let offset = found["#/paths"].offset;
        assert!(JSON[offset..].starts_with("\"paths\""));
    }

    #[test]
    fn not_json_is_none() {
        let wanted = BTreeSet::from(["#/a".to_owned()]);
        assert!(locate("a: 1", &wanted).is_none());
        assert!(locate("{\"a\": [1, 2", &wanted).is_none());
    }
}
