//! Where a JSON pointer sits in the spec's text.
//!
//! `serde_yaml` and `openapiv3` know positions only for syntax errors. Everything found later
//! (a dangling `$ref`, an unsupported construct) carries a JSON pointer, which this module maps
//! back to a line and column through `yaml-rust2`'s marked event parser. In a YAML text, the
//! `narrow` module first finds by indentation the few lines that hold each pointer and parses
//! only those; the whole text is walked only for what that leaves. A JSON text is walked by the
//! `json` module instead, in a fraction of the time and memory. It runs only when there is
//! something to report, and only for the pointers asked for.

use std::collections::{BTreeMap, BTreeSet};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

mod json;
mod narrow;

/// A place in the text, 1-based, with the byte offset of its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset of the place in the text.
    pub offset: usize,
}

/// Finds the positions of `pointers` (as written by [`crate::Pointer`]'s `Display`, e.g.
/// `#/paths/~1pets/get`) in `text`. A mapping entry is placed at its key, a list item at its
/// first character. Pointers not found (or a text that does not parse) are left out.
pub fn locate(text: &str, pointers: &BTreeSet<String>) -> BTreeMap<String, Position> {
    if pointers.is_empty() {
        return BTreeMap::new();
    }
    if looks_like_json(text) {
        if let Some(found) = json::locate(text, pointers) {
            return found;
        }
    }
    let (mut found, left) = narrow::locate(text, pointers);
    if !left.is_empty() {
        let left: BTreeSet<String> = left.into_iter().map(str::to_owned).collect();
        // A text that does not parse has had its syntax error reported already, with a position.
        let (placed, _parsed) = walk(text, &left);
        found.extend(placed);
    }
    found
}

/// Walks `text`'s events once for the `wanted` pointers: the positions found (those before a
/// syntax error too), and whether the whole text parsed.
fn walk(text: &str, wanted: &BTreeSet<String>) -> (BTreeMap<String, Position>, bool) {
    let mut walker = Walker::new(text, wanted);
    let parsed = Parser::new_from_str(text).load(&mut walker, false).is_ok();
    (walker.found, parsed)
}

/// What [`locate`] places in a YAML text by indentation alone, reading only the lines that
/// hold each pointer (it walks the whole text for the rest). Public for the tests that check
/// that both ways agree on real specs.
pub fn locate_by_indentation(
    text: &str,
    pointers: &BTreeSet<String>,
) -> BTreeMap<String, Position> {
    narrow::locate(text, pointers).0
}

/// JSON's own walk applies: the text is an object (a YAML text written as a flow mapping falls
/// back to the YAML walk when it is not JSON).
fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .starts_with('{')
}

/// The marked events of a whole text, read once and replayed for any set of pointers: the walk
/// that [`locate`] falls back on for what narrowing by indentation leaves, and which the tests
/// hold narrowing and the JSON walk to.
pub struct Events {
    recorded: Vec<(Event, Marker)>,
}

struct Recorder(Vec<(Event, Marker)>);

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        self.0.push((event, mark));
    }
}

impl Events {
    /// Reads the events of `text` (those before a syntax error, if there is one).
    pub fn read(text: &str) -> Self {
        let mut recorder = Recorder(Vec::new());
        let _ = Parser::new_from_str(text).load(&mut recorder, false);
        Events {
            recorded: recorder.0,
        }
    }

    /// [`locate`]'s YAML walk over the events read from `text` (JSON texts included).
    pub fn locate(&self, text: &str, pointers: &BTreeSet<String>) -> BTreeMap<String, Position> {
        if pointers.is_empty() {
            return BTreeMap::new();
        }
        let mut walker = Walker::new(text, pointers);
        for (event, mark) in &self.recorded {
            walker.handle(event, *mark);
        }
        walker.found
    }
}

/// A container being read, with the length [`Walker::pointer`] has inside it.
enum Frame {
    /// `has_key`: its key was read and its value has not come yet.
    Map { base: usize, has_key: bool },
    /// `index`: of the next item.
    Seq { base: usize, index: usize },
}

/// Replays events, keeping the pointer of where it is, and records the positions wanted.
struct Walker<'a> {
    wanted: &'a BTreeSet<String>,
    found: BTreeMap<String, Position>,
    frames: Vec<Frame>,
    /// The escaped pointer of the last key or item read (`#/paths/~1pets/get`): extended and cut
    /// back in one buffer rather than put together for each key.
    pointer: String,
    /// Containers entered (this one included) under which no pointer is wanted, and so not
    /// walked into: most of a spec, when a few warnings are placed.
    skipping: usize,
    /// A list item that is a container: placed at its first scalar, where its text starts
    /// (the parser marks a block mapping at its first `:`).
    pending: Option<String>,
    lines: LineIndex<'a>,
}

impl<'a> Walker<'a> {
    fn new(text: &'a str, wanted: &'a BTreeSet<String>) -> Self {
        Walker {
            wanted,
            found: BTreeMap::new(),
            frames: Vec::new(),
            pointer: String::from("#"),
            skipping: 0,
            pending: None,
            lines: LineIndex::new(text),
        }
    }

    /// Records the current pointer's position, if it is wanted.
    fn record(&mut self, mark: Marker) {
        let pointer = std::mem::take(&mut self.pointer);
        self.record_pointer(&pointer, mark);
        self.pointer = pointer;
    }

    /// Records `pointer`'s position, if it is wanted and not found yet.
    fn record_pointer(&mut self, pointer: &str, mark: Marker) {
        if self.found.len() < self.wanted.len()
            && self.wanted.contains(pointer)
            && !self.found.contains_key(pointer)
        {
            let position = self.lines.position(mark);
            self.found.insert(pointer.to_owned(), position);
        }
    }

    /// Makes the pointer that of the next item of the list whose pointer is `base` long.
    fn next_item(&mut self, base: usize, index: usize) {
        use std::fmt::Write;
        self.pointer.truncate(base);
        let _ = write!(self.pointer, "/{index}");
    }
}

/// Whether one of `wanted` lies below `pointer` (which is left as it was).
fn wanted_below(wanted: &BTreeSet<String>, pointer: &mut String) -> bool {
    use std::ops::Bound;
    pointer.push('/');
    let below = wanted
        .range::<str, _>((Bound::Included(pointer.as_str()), Bound::Unbounded))
        .next()
        .is_some_and(|w| w.starts_with(pointer.as_str()));
    pointer.pop();
    below
}

impl MarkedEventReceiver for Walker<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        self.handle(&event, mark);
    }
}

impl Walker<'_> {
    fn handle(&mut self, event: &Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                if let Some(pointer) = self.pending.take() {
                    self.record_pointer(&pointer, mark);
                }
                if self.skipping > 0 {
                    return;
                }
                match self.frames.last_mut() {
                    Some(Frame::Map { base, has_key }) if !*has_key => {
                        *has_key = true;
                        let base = *base;
                        self.pointer.truncate(base);
                        self.pointer.push('/');
                        push_escaped(&mut self.pointer, text);
                        self.record(mark);
                    }
                    _ => self.value(mark),
                }
            }
            Event::Alias(_) if self.skipping == 0 => self.value(mark),
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.skipping > 0 {
                    self.skipping += 1;
                    return;
                }
                // The pointer becomes the container's own.
                match self.frames.last_mut() {
                    Some(Frame::Seq { base, index }) => {
                        let (base, item) = (*base, *index);
                        *index += 1;
                        self.next_item(base, item);
                        if self.pending.is_none() {
                            self.pending = Some(self.pointer.clone());
                        }
                    }
                    // The value of the key read (its pointer already ends with the key).
                    Some(Frame::Map { has_key, .. }) if *has_key => *has_key = false,
                    // A container as a key (YAML's `? [a, b]`): under an empty token.
                    Some(Frame::Map { base, .. }) => {
                        let base = *base;
                        self.pointer.truncate(base);
                        self.pointer.push('/');
                    }
                    // The document itself: `#`.
                    None => {}
                }
                if !wanted_below(self.wanted, &mut self.pointer) {
                    self.skipping = 1;
                    return;
                }
                let base = self.pointer.len();
                self.frames.push(match event {
                    Event::MappingStart(..) => Frame::Map {
                        base,
                        has_key: false,
                    },
                    _ => Frame::Seq { base, index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if self.skipping > 0 {
                    self.skipping -= 1;
                } else {
                    self.frames.pop();
                }
            }
            _ => {}
        }
    }

    /// A scalar or alias arrives as a value at `mark`.
    fn value(&mut self, mark: Marker) {
        match self.frames.last_mut() {
            Some(Frame::Map { has_key, .. }) => *has_key = false,
            Some(Frame::Seq { base, index }) => {
                let (base, item) = (*base, *index);
                *index += 1;
                self.next_item(base, item);
                self.record(mark);
            }
            None => {}
        }
    }
}

/// A pointer token as RFC 6901 writes it.
fn escape(token: &str) -> String {
    let mut escaped = String::with_capacity(token.len());
    push_escaped(&mut escaped, token);
    escaped
}

/// Appends a pointer token as RFC 6901 writes it.
fn push_escaped(pointer: &mut String, token: &str) {
    if token.contains(['~', '/']) {
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
    } else {
        pointer.push_str(token);
    }
}

/// Line starts, to turn the parser's marks into byte offsets and character columns.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    fn position(&self, mark: Marker) -> Position {
        // yaml-rust2 counts lines from 1 and columns from 0, in characters.
        let line = mark.line().max(1);
        let column = mark.col();
        let offset = match self.starts.get(line - 1) {
            Some(&start) => {
                let end = self
                    .starts
                    .get(line)
                    .map_or(self.text.len(), |next| next - 1);
                let text = self.text.get(start..end).unwrap_or_default();
                start
                    + text
                        .char_indices()
                        .nth(column)
                        .map_or(text.len(), |(i, _)| i)
            }
            None => 0,
        };
        Position {
            line,
            column: column + 1,
            offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, pointer: &str) -> Option<(usize, usize)> {
        let wanted = BTreeSet::from([pointer.to_owned()]);
        locate(text, &wanted)
            .get(pointer)
            .map(|p| (p.line, p.column))
    }

    const YAML: &str = "openapi: 3.0.3
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        - $ref: '#/components/parameters/Gone'
components:
  schemas:
    Pet:
      properties:
        näme: {type: string, maximum: 3}
";

    #[test]
    fn events_read_ahead_place_what_a_direct_walk_places() {
        let wanted: BTreeSet<String> = [
            "#/openapi",
            "#/paths/~1pets~1{id}/get/parameters/1",
            "#/components/schemas/Pet/properties/näme/maximum",
            "#/nowhere",
        ]
        .map(str::to_owned)
        .into();
        let direct = locate(YAML, &wanted);
        assert_eq!(direct.len(), 3);
        assert_eq!(Events::read(YAML).locate(YAML, &wanted), direct);
    }

    #[test]
    fn keys_and_list_items_of_yaml() {
        assert_eq!(find(YAML, "#/openapi"), Some((1, 1)));
        assert_eq!(find(YAML, "#/paths/~1pets~1{id}/get"), Some((4, 5)));
        assert_eq!(
            find(YAML, "#/paths/~1pets~1{id}/get/parameters/1"),
            Some((8, 11))
        );
        assert_eq!(
            find(YAML, "#/paths/~1pets~1{id}/get/parameters/1/$ref"),
            Some((8, 11))
        );
        assert_eq!(
            find(YAML, "#/components/schemas/Pet/properties/näme/maximum"),
            Some((13, 30))
        );
        assert_eq!(find(YAML, "#/components/schemas/Dog"), None);
    }

    #[test]
    fn the_walk_goes_on_where_it_was_after_parts_it_skips() {
        // `skip` holds nothing wanted and is not walked into; what follows it is still found.
        let yaml = "a:\n  skip: {deep: [1, {c: 2}, [3]]}\n  d~/e:\n    - x\n    - [y, z]\n\
                    anchor: &x {h: 1}\nalias: *x\nf: [1, 2]\n";
        let expected = [
            ("#/a/d~0~1e/0", (4, 7)),
            ("#/a/d~0~1e/1", (5, 8)),
            ("#/a/d~0~1e/1/1", (5, 11)),
            ("#/alias", (7, 1)),
            ("#/f/1", (8, 8)),
            ("#/a/skip/deep/1/c", (2, 21)),
        ];
        let wanted: BTreeSet<String> = expected.iter().map(|(p, _)| (*p).to_owned()).collect();
        let found = locate(yaml, &wanted);
        for (pointer, place) in expected {
            assert_eq!(
                found.get(pointer).map(|p| (p.line, p.column)),
                Some(place),
                "{pointer}"
            );
        }
        assert_eq!(Events::read(yaml).locate(yaml, &wanted), found);
        // With only what follows wanted, the skipped part changes nothing.
        let later = BTreeSet::from(["#/f/1".to_owned()]);
        assert_eq!(locate(yaml, &later)["#/f/1"], found["#/f/1"]);
    }

    #[test]
    fn offsets_are_bytes_and_columns_are_characters() {
        let wanted = BTreeSet::from(["#/components/schemas/Pet/properties/näme/type".to_owned()]);
        let found = locate(YAML, &wanted);
        let position = found.values().next().unwrap();
        assert!(YAML[position.offset..].starts_with("type: string"));
    }

    #[test]
    fn json_too() {
        let json = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\"/a\": {\"get\": {}}}\n}";
        assert_eq!(find(json, "#/paths/~1a/get"), Some((3, 20)));
    }

    #[test]
    fn broken_text_gives_what_it_can() {
        assert_eq!(find("a: [1, 2\nb: {", "#/b"), None);
    }
}
