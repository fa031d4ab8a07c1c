//! One diagnostic type for everything the generator reports about a spec.
//!
//! Every problem carries what a person needs to find it: the spec file, the line and column where
//! the parser knows them, the JSON pointer into the document and the operation it concerns.

use std::borrow::Cow;
use std::fmt;

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation went on, with a documented degradation.
    Warning,
    /// Generation cannot produce a correct client.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found in a spec, with its location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The spec file, as the user named it.
    pub file: Option<String>,
    /// 1-based line in `file`, where known.
    pub line: Option<usize>,
    /// 1-based column in `file`, where known.
    pub column: Option<usize>,
    /// JSON pointer to the offending node, e.g. `#/components/schemas/Foo/properties/bar`.
    pub pointer: Option<String>,
    /// The `operationId` of the operation concerned, if any.
    pub operation_id: Option<String>,
    /// How to fix it, where we know.
    pub hint: Option<String>,
    /// For warnings, the kind of degradation (e.g. `javascript-pattern`), as documented in the
    /// README.
    pub code: Option<String>,
}

impl Diagnostic {
    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            pointer: None,
            operation_id: None,
            hint: None,
            code: None,
        }
    }

    /// A new error.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    /// A new warning.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    /// Sets the JSON pointer.
    pub fn at(mut self, pointer: &Pointer) -> Self {
        self.pointer = Some(pointer.to_string());
        self
    }

    /// Sets the operation id.
    pub fn in_operation(mut self, operation_id: Option<&str>) -> Self {
        self.operation_id = operation_id.map(str::to_owned);
        self
    }

    /// Sets the code.
    pub fn with_code(mut self, code: &str) -> Self {
        self.code = Some(code.to_owned());
        self
    }

    /// Sets the hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the file, unless one is set already.
    pub fn in_file(mut self, file: &str) -> Self {
        if self.file.is_none() {
            self.file = Some(file.to_owned());
        }
        self
    }

    /// Sets line and column (1-based).
    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            (Some(line), None) => format!("{file}:{line}"),
            _ => file.to_owned(),
        })
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `severity: file:line:col: #/pointer (operation `id`): message (hint: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{}[{code}]: ", self.severity)?,
            None => write!(f, "{}: ", self.severity)?,
        }
        if let Some(location) = self.location() {
            write!(f, "{location}: ")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, "{pointer}: ")?;
        }
        if let Some(operation) = &self.operation_id {
            write!(f, "operation `{operation}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// A list of diagnostics, in the order they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether there are none at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// All of them.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// All of them, to change.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Diagnostic> {
        self.items.iter_mut()
    }

    /// Fills in line and column, from the text of `file`, for each diagnostic about that file
    /// that has a JSON pointer but no position yet.
    pub fn place_in(self, file: &str, text: &str) -> Self {
        self.place_with(file, |wanted| crate::positions::locate(text, wanted))
    }

    /// [`Diagnostics::place_in`] with a function that finds the positions of the pointers
    /// asked for (e.g. over [`positions::Events`](crate::positions::Events) read in advance).
    pub fn place_with(
        mut self,
        file: &str,
        locate: impl FnOnce(
            &std::collections::BTreeSet<String>,
        ) -> std::collections::BTreeMap<String, crate::positions::Position>,
    ) -> Self {
        let unplaced = |d: &Diagnostic| d.line.is_none() && d.file.as_deref() == Some(file);
        let wanted: std::collections::BTreeSet<String> = self
            .items
            .iter()
            .filter(|d| unplaced(d))
            .filter_map(|d| d.pointer.clone())
            .collect();
        if wanted.is_empty() {
            return self;
        }
        let found = locate(&wanted);
        for diagnostic in self.items.iter_mut().filter(|d| unplaced(d)) {
            if let Some(position) = diagnostic.pointer.as_ref().and_then(|p| found.get(p)) {
                diagnostic.line = Some(position.line);
                diagnostic.column = Some(position.column);
            }
        }
        self
    }

    /// Only the errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    /// Only the warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    /// Sets the file on every diagnostic that has none.
    pub fn in_file(self, file: &str) -> Self {
        Diagnostics {
            items: self.items.into_iter().map(|d| d.in_file(file)).collect(),
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A JSON pointer into the spec (RFC 6901, written as a URI fragment: `#/paths/~1pets/get`).
///
/// Held as its escaped text (`/paths/~1pets/get`) rather than a list of tokens: lowering makes
/// one for every schema position it visits and keeps thousands, which as separate strings took
/// several allocations each (1.6 MB of pointers in the lowering of GitHub's spec).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer {
    /// Each token after a `/`, escaped (`~` as `~0`, `/` as `~1`); empty for the root.
    escaped: String,
}

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self::default()
    }

    /// Parses a local `$ref` such as `#/components/schemas/Foo`. `None` when it is not local.
    pub fn parse_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if rest.is_empty() {
            return Some(Self::root());
        }
        let rest = rest.strip_prefix('/')?;
        // Most refs (`#/components/schemas/Foo`) have nothing to decode or escape: their text
        // is the stored form. Lowering parses one for every `$ref` it meets.
        if !rest.contains(['%', '~']) {
            return Some(Pointer {
                escaped: format!("/{rest}"),
            });
        }
        let mut pointer = Self::root();
        for token in rest.split('/') {
            // Percent-decoding may make a `/` or `~`, which the stored form escapes.
            pointer.push(&unescape(&percent_decode(token)));
        }
        Some(pointer)
    }

    /// This pointer with one more token.
    pub fn join(&self, token: impl AsRef<str>) -> Self {
        let token = token.as_ref();
        let mut escaped = String::with_capacity(self.escaped.len() + token.len() + 1);
        escaped.push_str(&self.escaped);
        let mut pointer = Pointer { escaped };
        pointer.push(token);
        pointer
    }

    fn push(&mut self, token: &str) {
        self.escaped.push('/');
        if token.contains(['~', '/']) {
            self.escaped
                .push_str(&token.replace('~', "~0").replace('/', "~1"));
        } else {
            self.escaped.push_str(token);
        }
    }

    /// The unescaped tokens, first to last.
    pub fn tokens(&self) -> impl DoubleEndedIterator<Item = Cow<'_, str>> {
        // `escaped` starts with the first token's `/`, and is empty for the root.
        self.escaped
            .get(1..)
            .into_iter()
            .flat_map(|tokens| tokens.split('/'))
            .map(|token| match token.contains('~') {
                true => Cow::Owned(unescape(token)),
                false => Cow::Borrowed(token),
            })
    }

    /// The name of the component this points at, if it is one of `section` (`schemas`:
    /// `Foo` for `#/components/schemas/Foo`, nothing for a pointer below it).
    pub fn component_name(&self, section: &str) -> Option<Cow<'_, str>> {
        // Read off the escaped text: lowering asks this of every pointer it resolves.
        let name = self
            .escaped
            .strip_prefix("/components/")?
            .strip_prefix(section)?
            .strip_prefix('/')?;
        match (name.contains('/'), name.contains('~')) {
            (true, _) => None,
            (false, true) => Some(Cow::Owned(unescape(name))),
            (false, false) => Some(Cow::Borrowed(name)),
        }
    }

    /// The last token, e.g. the component name of `#/components/schemas/Foo`.
    pub fn last(&self) -> Option<Cow<'_, str>> {
        self.tokens().next_back()
    }

    /// Looks the pointer up in a JSON document.
    pub fn lookup<'v>(&self, root: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        let mut node = root;
        for token in self.tokens() {
            node = match node {
                serde_json::Value::Object(map) => map.get(token.as_ref())?,
                serde_json::Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.escaped)
    }
}

/// A pointer token with its `~1` and `~0` escapes undone.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `$ref`s are URI fragments, so `%7B` may stand for `{`.
fn percent_decode(token: &str) -> String {
    if !token.contains('%') {
        return token.to_owned();
    }
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| token.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_parse_symmetrically() {
        let pointer = Pointer::root()
            .join("paths")
            .join("/v1/checkoutSessions/{id}")
            .join("get");
        assert_eq!(
            pointer.to_string(),
            "#/paths/~1v1~1checkoutSessions~1{id}/get"
        );
        assert_eq!(Pointer::parse_ref(&pointer.to_string()), Some(pointer));
        assert_eq!(
            Pointer::parse_ref("#/paths/~1a~1%7Bid%7D")
                .unwrap()
                .tokens()
                .collect::<Vec<_>>(),
            ["paths", "/a/{id}"]
        );
        assert_eq!(Pointer::parse_ref("other.yaml#/x"), None);
        // A ref with nothing to decode is read as its text; empty tokens stay tokens.
        assert_eq!(
            Pointer::parse_ref("#/components/schemas/Foo"),
            Some(
                Pointer::root()
                    .join("components")
                    .join("schemas")
                    .join("Foo")
            )
        );
        let empty_tokens = Pointer::parse_ref("#/a//b/").unwrap();
        assert_eq!(
            empty_tokens.tokens().collect::<Vec<_>>(),
            ["a", "", "b", ""]
        );
        assert_eq!(empty_tokens.to_string(), "#/a//b/");
        assert_eq!(
            Pointer::parse_ref("#/a~0b").unwrap().last().as_deref(),
            Some("a~b")
        );
        // A percent-encoded `/` is a character of its token, escaped when written.
        let encoded = Pointer::parse_ref("#/paths/%2Fa~1b").unwrap();
        assert_eq!(encoded, Pointer::root().join("paths").join("/a/b"));
        assert_eq!(encoded.to_string(), "#/paths/~1a~1b");
    }

    #[test]
    fn a_component_is_named_only_at_its_own_pointer() {
        let schemas = Pointer::root().join("components").join("schemas");
        let name =
            |pointer: &Pointer, section| pointer.component_name(section).map(Cow::into_owned);
        assert_eq!(
            name(&schemas.join("Foo"), "schemas").as_deref(),
            Some("Foo")
        );
        assert_eq!(
            name(&schemas.join("a/b~c"), "schemas").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(name(&schemas.join("Foo"), "responses"), None);
        assert_eq!(
            name(&schemas.join("Foo").join("properties"), "schemas"),
            None
        );
        assert_eq!(name(&schemas, "schemas"), None);
        let near_miss = Pointer::root()
            .join("components")
            .join("schemasX")
            .join("Foo");
        assert_eq!(name(&near_miss, "schemas"), None);
        assert_eq!(
            name(&Pointer::root().join("paths").join("Foo"), "schemas"),
            None
        );
    }

    #[test]
    fn display_names_every_known_location() {
        let d = Diagnostic::error("dangling $ref")
            .at(&Pointer::root().join("components"))
            .in_operation(Some("getThing"))
            .in_file("spec.yaml")
            .at_line(3, 5)
            .with_hint("define it");
        assert_eq!(
            d.to_string(),
            "error: spec.yaml:3:5: #/components: operation `getThing`: dangling $ref (hint: define it)"
        );
    }
}
