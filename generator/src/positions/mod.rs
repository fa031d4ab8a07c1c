//! Where a JSON pointer sits in the spec's text.
//!
//! `serde_yaml` and `openapiv3` know positions only for syntax errors. Everything found later
//! (a dangling `$ref`, an unsupported construct) carries a JSON pointer, which this module maps
//! back to a line and column by replaying the text through `yaml-rust2`'s marked event parser;
//! a JSON text is walked by the `json` module instead, in a fraction of the time and memory. It
//! runs only when there is something to report, and only for the pointers asked for.

use std::collections::{BTreeMap, BTreeSet};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

mod json;

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
    let mut walker = Walker::new(text, pointers);
    let mut parser = Parser::new_from_str(text);
    // A text that does not parse has had its syntax error reported already, with a position.
    let _ = parser.load(&mut walker, false);
    walker.found
}

/// Whether reading [`Events`] ahead pays for `text`: a big YAML text. A JSON text is located
/// directly, in one pass that is quicker than reading its events.
pub fn read_ahead_pays(text: &str) -> bool {
    text.len() >= READ_AHEAD_FROM && !looks_like_json(text)
}

/// From this size on (bytes), reading a YAML text's events takes long enough to be worth doing
/// on another thread while the spec is loaded.
const READ_AHEAD_FROM: usize = 256 * 1024;

/// JSON's own walk applies: the text is an object (a YAML text written as a flow mapping falls
/// back to the YAML walk when it is not JSON).
fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .starts_with('{')
}

/// The marked events of a text, read once and replayed for any set of pointers. Reading is
/// most of the cost of [`locate`], and this way it can start before the pointers are known (on
/// another thread, while the spec is loaded and lowered).
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

enum Frame {
    Map { key: Option<String> },
    Seq { index: usize },
}

struct Walker<'a> {
    wanted: &'a BTreeSet<String>,
    found: BTreeMap<String, Position>,
    frames: Vec<Frame>,
    /// Escaped pointer tokens of the container being read.
    path: Vec<String>,
    /// A list item that is a container: placed at its first scalar, where its text starts
    /// (the parser marks a block mapping at its first `:`).
    pending: Option<String>,
    lines: LineIndex,
}

impl<'a> Walker<'a> {
    fn new(text: &str, wanted: &'a BTreeSet<String>) -> Self {
        Walker {
            wanted,
            found: BTreeMap::new(),
            frames: Vec::new(),
            path: Vec::new(),
            pending: None,
            lines: LineIndex::new(text),
        }
    }

    fn pointer_to(&self, token: &str) -> String {
        let mut pointer = String::with_capacity(64);
        pointer.push('#');
        for part in self.path.iter().map(String::as_str).chain([token]) {
            pointer.push('/');
            pointer.push_str(part);
        }
        pointer
    }

    fn record(&mut self, token: &str, mark: Marker) {
        if self.found.len() == self.wanted.len() {
            return;
        }
        let pointer = self.pointer_to(token);
        self.record_pointer(pointer, mark);
    }

    fn record_pointer(&mut self, pointer: String, mark: Marker) {
        if self.wanted.contains(&pointer) && !self.found.contains_key(&pointer) {
            let position = self.lines.position(mark);
            self.found.insert(pointer, position);
        }
    }

    /// A value (scalar or container start) arrives at `mark`: returns the token it sits under.
    fn value_token(&mut self, mark: Marker) -> Option<String> {
        match self.frames.last_mut() {
            Some(Frame::Map { key }) => key.take(),
            Some(Frame::Seq { index }) => {
                let token = index.to_string();
                *index += 1;
                self.record(&token, mark);
                Some(token)
            }
            None => None,
        }
    }
}

impl Walker<'_> {
    fn value_token_unrecorded(&mut self) -> String {
        match self.frames.last_mut() {
            Some(Frame::Seq { index }) => {
                *index += 1;
                (*index - 1).to_string()
            }
            _ => String::new(),
        }
    }
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
                    self.record_pointer(pointer, mark);
                }
                if let Some(Frame::Map { key }) = self.frames.last_mut() {
                    if key.is_none() {
                        let token = escape(text);
                        *key = Some(token.clone());
                        self.record(&token, mark);
                        return;
                    }
                }
                self.value_token(mark);
            }
            Event::Alias(_) => {
                self.value_token(mark);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let in_list = matches!(self.frames.last(), Some(Frame::Seq { .. }));
                let token = if in_list {
                    let token = self.value_token_unrecorded();
                    if self.pending.is_none() {
                        self.pending = Some(self.pointer_to(&token));
                    }
                    Some(token)
                } else {
                    self.value_token(mark)
                };
                let nested = !self.frames.is_empty();
                if nested {
                    self.path.push(token.unwrap_or_default());
                }
                self.frames.push(match event {
                    Event::MappingStart(..) => Frame::Map { key: None },
                    _ => Frame::Seq { index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
                if !self.frames.is_empty() {
                    self.path.pop();
                }
            }
            _ => {}
        }
    }
}

/// A pointer token as RFC 6901 writes it.
fn escape(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

/// Line starts, to turn the parser's marks into byte offsets and character columns.
struct LineIndex {
    starts: Vec<usize>,
    text_lines: Vec<String>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            text_lines: text.split('\n').map(str::to_owned).collect(),
        }
    }

    fn position(&self, mark: Marker) -> Position {
        // yaml-rust2 counts lines from 1 and columns from 0, in characters.
        let line = mark.line().max(1);
        let column = mark.col();
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let offset = self.text_lines.get(line - 1).map_or(start, |text| {
            start
                + text
                    .char_indices()
                    .nth(column)
                    .map_or(text.len(), |(i, _)| i)
        });
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
