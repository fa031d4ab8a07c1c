//! YAML or JSON text → JSON tree, read with `serde_yaml`'s or `serde_json`'s deserializer
//! straight into `serde_json` values.
//!
//! Going through `serde_yaml::Value` would refuse integers beyond 64 bits (DigitalOcean's
//! `maximum: 18446744073709552000`) and so the whole document; here they become floats and
//! [`super::bounds`] decides what they mean. Keys that are not strings (`200:`) become strings, as
//! OpenAPI means them; in YAML merge keys (`<<`) are applied and a key given twice is an error
//! (JSON keeps the last value, as `serde_json` does).
//!
//! Objects and lists are made at their exact size: grown as they are read, a third of a tree's
//! memory was spare capacity (5 of GitHub's 15.7 MB), held for as long as the document is.

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess,
};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses YAML text into a JSON tree: a big one in two halves side by side where it can be cut
/// (see [`super::split`]), else in one piece.
pub(super) fn parse_yaml(text: &str) -> Result<Value, serde_yaml::Error> {
    std::thread::scope(|scope| parse_yaml_with(text, Tail::start(scope, text, false)).0)
}

/// Parses YAML text into a JSON tree on this thread.
pub(super) fn parse_yaml_whole(text: &str) -> Result<Value, serde_yaml::Error> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    TreeVisitor::YAML.deserialize(deserializer)
}

/// The second half of a big YAML text, parsed on a thread of its own while the first is parsed
/// by the thread that holds this.
pub(crate) struct Tail {
    /// The text cut (where it starts, how long it is), and where it was cut.
    text: (usize, usize),
    cut: usize,
    parsed: std::sync::mpsc::Receiver<TailTree>,
}

/// The tree of a second half, and its `components` typed (see [`super::typed_components`]).
type TailTree = (
    Result<Value, serde_yaml::Error>,
    Option<openapiv3::Components>,
);

/// The parse of a [`Tail`], to be started on a thread.
pub(crate) struct TailParse<'a> {
    tail: &'a str,
    send: std::sync::mpsc::SyncSender<TailTree>,
    /// Whether to type the half's `components` too: wanted for a document, not for a tree.
    components: bool,
}

impl Tail {
    /// `text` cut in halves, if it is big enough and can be (see [`super::split`]): the second
    /// half as it will be taken, and its parse (typing its `components` too if `components`),
    /// to be started.
    pub(crate) fn cut(text: &str, components: bool) -> Option<(Tail, TailParse<'_>)> {
        let (head, tail) = super::split::halves(text)?;
        let (send, parsed) = std::sync::mpsc::sync_channel(1);
        let taken = Tail {
            text: (text.as_ptr() as usize, text.len()),
            cut: head.len(),
            parsed,
        };
        let parse = TailParse {
            tail,
            send,
            components,
        };
        Some((taken, parse))
    }

    /// Starts parsing the second half of `text` beside this thread (on another CPU), if it is
    /// cut and a thread starts; see [`Tail::cut`] for `components`.
    pub(crate) fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        text: &'scope str,
        components: bool,
    ) -> Option<Tail> {
        let (tail, parse) = Tail::cut(text, components)?;
        parse
            .start(scope, crate::threads::Place::Beside)
            .then_some(tail)
    }
}

impl<'a> TailParse<'a> {
    /// Starts the parse on a thread of `scope` at `place`; whether it started.
    pub(crate) fn start<'scope>(
        self,
        scope: &'scope std::thread::Scope<'scope, '_>,
        place: crate::threads::Place,
    ) -> bool
    where
        'a: 'scope,
    {
        // serde_yaml stops at 128 levels of nesting; the stack is the lowering thread's, as
        // parsing a half there would have used.
        let builder = std::thread::Builder::new()
            .name("apigen-parse".to_owned())
            .stack_size(crate::LOWERING_STACK);
        let TailParse {
            tail,
            send,
            components,
        } = self;
        // The result is sent, not returned: the thread that waits for it need not wait for this
        // one to end as well. The second half of an OpenAPI document is mostly `components`
        // (Circle's: all of it), typed here while the first half is still being parsed.
        let work = move || {
            let mut tree = parse_yaml_whole(tail);
            let components = tree
                .as_mut()
                .ok()
                .filter(|_| components)
                .and_then(super::typed_components);
            drop(send.send((tree, components)))
        };
        crate::threads::spawn(scope, builder, place, work).is_ok()
    }
}

/// Parses YAML text into a JSON tree: the first half here and the second from `tail`, if it was
/// started on this text, else in one piece. With the tree, its `components` as typed with the
/// second half, if they were.
pub(super) fn parse_yaml_with(
    text: &str,
    tail: Option<Tail>,
) -> (
    Result<Value, serde_yaml::Error>,
    Option<openapiv3::Components>,
) {
    let halves = tail
        .filter(|tail| tail.text == (text.as_ptr() as usize, text.len()))
        .and_then(|tail| {
            let head = parse_yaml_whole(&text[..tail.cut]);
            let (tree, components) = crate::threads::receive(&tail.parsed).ok()?;
            Some((joined_halves(head, tree)?, components))
        });
    match halves {
        Some((tree, components)) => (Ok(tree), components),
        None => (parse_yaml_whole(text), None),
    }
}

/// The tree of a first half followed by a second, each a mapping of whole top-level entries;
/// `None` if either did not parse on its own or they share a key, for the whole text to be
/// parsed and any error reported where it is.
fn joined_halves(
    head: Result<Value, serde_yaml::Error>,
    tail: Result<Value, serde_yaml::Error>,
) -> Option<Value> {
    let (Ok(Value::Object(head)), Ok(Value::Object(tail))) = (head, tail) else {
        return None;
    };
    let mut whole = Map::with_capacity(head.len() + tail.len());
    for (key, value) in head.into_iter().chain(tail) {
        if whole.insert(key, value).is_some() {
            return None;
        }
    }
    Some(Value::Object(whole))
}

/// Parses JSON text into a JSON tree.
pub(super) fn parse_json(text: &str) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let tree = TreeVisitor::JSON.deserialize(&mut deserializer)?;
    deserializer.end().map(|()| tree)
}

/// Reads one value of either language.
#[derive(Clone, Copy)]
struct TreeVisitor {
    /// YAML's rules for keys: `<<` merges, a key given twice is an error.
    yaml: bool,
}

impl TreeVisitor {
    const YAML: TreeVisitor = TreeVisitor { yaml: true };
    const JSON: TreeVisitor = TreeVisitor { yaml: false };
}

impl<'de> DeserializeSeed<'de> for TreeVisitor {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn float<E: de::Error>(value: f64) -> Result<Value, E> {
    Number::from_f64(value)
        .map(Value::Number)
        .ok_or_else(|| E::custom(format!("the number {value} cannot be represented in JSON")))
}

impl<'de> de::Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => float(v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => float(v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        float(v)
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        // The entries are gathered first so that the object is made at its size at once.
        let mut entries: Vec<(String, Value)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
        let mut merged = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            let value = map.next_value_seed(self)?;
            if self.yaml && key == "<<" {
                merged.push(value);
            } else {
                entries.push((key, value));
            }
        }
        let mut out = Map::with_capacity(entries.len());
        for (key, value) in entries {
            match out.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                Entry::Occupied(slot) if self.yaml => {
                    let key = slot.key();
                    return Err(de::Error::custom(format!("the key `{key}` is given twice")));
                }
                Entry::Occupied(mut slot) => {
                    slot.insert(value);
                }
            }
        }
        for value in merged {
            merge_into(&mut out, value).map_err(de::Error::custom)?;
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged node (`!Tag value`): OpenAPI gives tags no meaning, so keep the value.
        let (_tag, variant): (Key, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

/// `<<: *base` or `<<: [*a, *b]`: keys the mapping does not set itself come from the merged
/// mappings, earlier ones first.
fn merge_into(out: &mut Map<String, Value>, value: Value) -> Result<(), String> {
    let sources = match value {
        Value::Object(map) => vec![map],
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => Ok(map),
                _ => Err("a merge key (`<<`) list may hold only mappings".to_owned()),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err("a merge key (`<<`) takes a mapping or a list of mappings".to_owned()),
    };
    for source in sources {
        for (key, value) in source {
            out.entry(key).or_insert(value);
        }
    }
    Ok(())
}

/// A mapping key, as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl de::Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Key, E> {
        Ok(Key(v.to_string()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Key, E> {
        Ok(Key(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Key, E> {
        Ok(Key(v.to_string()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Key, E> {
        Ok(Key(v.to_string()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Key, E> {
        Ok(Key(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Key, E> {
        Ok(Key(v.to_string()))
    }

    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(Key(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Key, E> {
        Ok(Key(v))
    }

    fn visit_unit<E>(self) -> Result<Key, E> {
        Ok(Key("null".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_become_strings_and_big_integers_floats() {
        let tree =
            parse_yaml("200: {x: 1}\ntrue: 2\nmax: 18446744073709552000\nsmall: -3").unwrap();
        assert_eq!(tree["200"], json!({"x": 1}));
        assert_eq!(tree["true"], json!(2));
        assert_eq!(tree["max"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(tree["small"], json!(-3));
    }

    #[test]
    fn merge_keys_and_anchors() {
        let tree = parse_yaml("base: &b {a: 1, b: 2}\nderived:\n  <<: *b\n  b: 3\n").unwrap();
        assert_eq!(tree["derived"], json!({"a": 1, "b": 3}));
        let tree = parse_yaml("x: &x {a: 1}\ny: &y {a: 2, c: 3}\nz: {<<: [*x, *y]}\n").unwrap();
        assert_eq!(tree["z"], json!({"a": 1, "c": 3}));
    }

    #[test]
    fn json_keeps_the_last_of_a_repeated_key_and_has_no_merge_keys() {
        let tree = parse_json(r#"{"a": 1, "<<": {"b": 2}, "a": 3}"#).unwrap();
        assert_eq!(tree, json!({"a": 3, "<<": {"b": 2}}));
        let keys: Vec<_> = tree.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "<<"]);
        let error = parse_json(r#"{"a": 1} x"#).unwrap_err();
        assert_eq!((error.line(), error.column()), (1, 10));
    }

    #[test]
    fn lists_are_made_at_their_size() {
        let items = (0..100)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        for tree in [
            parse_json(&format!("{{\"l\": [{items}]}}")).unwrap(),
            parse_yaml(&format!("l: [{items}]")).unwrap(),
        ] {
            let list = tree["l"].as_array().unwrap();
            assert_eq!((list.len(), list.capacity()), (100, 100));
        }
    }

    /// A text of about `size` bytes whose second half starts with the key `components`.
    fn big(head: &str, tail: &str, size: usize) -> String {
        let mut text = format!("{head}paths:\n");
        for n in 0..size / 60 {
            text.push_str(&format!("  /p{n}:\n    get: {{operationId: op{n}}}\n"));
        }
        text.push_str("components:\n");
        for n in 0..size / 60 {
            text.push_str(&format!("  S{n}:\n    type: [string, {n}]\n"));
        }
        text + tail
    }

    #[test]
    fn halves_read_as_the_whole_does() {
        let text = big("openapi: 3.0.0\n", "x-end: {a: 1}\n", 200_000);
        let (head, tail) = super::super::split::halves(&text).expect("cut");
        assert!(tail.starts_with("components:"));
        let whole = parse_yaml_whole(&text).unwrap();
        let halves = joined_halves(parse_yaml_whole(head), parse_yaml_whole(tail));
        assert_eq!(halves.as_ref(), Some(&whole));
        assert_eq!(parse_yaml(&text).unwrap(), whole);
        let keys: Vec<_> = whole.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["openapi", "paths", "components", "x-end"]);
    }

    #[test]
    fn halves_that_do_not_stand_alone_are_read_as_a_whole() {
        let cases = [
            // An alias in one half of an anchor in the other.
            big("x-base: &b {a: 1}\n", "x-copy: *b\n", 200_000),
            // A key in both halves: the whole text's error.
            big("x-twice: 1\n", "x-twice: 2\n", 200_000),
            // A quoted scalar a lenient parser reads on at column 0.
            big("x-quoted: \"a\n", "b: c\"\n", 200_000),
        ];
        for text in cases {
            let (head, tail) = super::super::split::halves(&text).expect("cut");
            let halves = joined_halves(parse_yaml_whole(head), parse_yaml_whole(tail));
            assert_eq!(halves, None);
            let split = parse_yaml(&text).map_err(|e| e.to_string());
            assert_eq!(split, parse_yaml_whole(&text).map_err(|e| e.to_string()));
        }
    }

    /// A second half started on one text is not taken for another, even of the same length.
    #[test]
    fn a_tail_is_taken_only_for_its_own_text() {
        let text = big("openapi: 3.0.0\n", "x-end: {a: 1}\n", 200_000);
        let other = text.replace("x-end", "x-fin");
        let whole = parse_yaml_whole(&other).unwrap();
        let read = std::thread::scope(|scope| {
            let tail = Tail::start(scope, &text, false).expect("cut");
            parse_yaml_with(&other, Some(tail))
        });
        assert_eq!(read.0.unwrap(), whole);
        let read =
            std::thread::scope(|scope| parse_yaml_with(&text, Tail::start(scope, &text, false)));
        assert_eq!(read.0.unwrap(), parse_yaml_whole(&text).unwrap());
    }

    #[test]
    fn tags_are_ignored_and_duplicates_refused() {
        assert_eq!(parse_yaml("a: !custom 5").unwrap()["a"], json!(5));
        let error = parse_yaml("a: 1\na: 2\n").unwrap_err().to_string();
        assert!(error.contains("the key `a` is given twice"), "{error}");
        assert!(parse_yaml("? [1, 2]\n: x").is_err());
        assert!(parse_yaml("a: .nan").is_err());
    }
}
