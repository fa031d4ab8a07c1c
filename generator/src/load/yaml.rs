//! YAML text → JSON tree, read with `serde_yaml`'s deserializer straight into `serde_json`
//! values.
//!
//! Going through `serde_yaml::Value` would refuse integers beyond 64 bits (DigitalOcean's
//! `maximum: 18446744073709552000`) and so the whole document; here they become floats and
//! [`super::bounds`] decides what they mean. Keys that are not strings (`200:`) become strings, as
//! OpenAPI means them; merge keys (`<<`) are applied; a key given twice is an error.

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses YAML text into a JSON tree.
pub(super) fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    Tree::deserialize(serde_yaml::Deserializer::from_str(text)).map(|tree| tree.0)
}

struct Tree(Value);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

fn float<E: de::Error>(value: f64) -> Result<Tree, E> {
    Number::from_f64(value)
        .map(|n| Tree(Value::Number(n)))
        .ok_or_else(|| E::custom(format!("the number {value} cannot be represented in JSON")))
}

impl<'de> de::Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree(Value::from(v)))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Tree, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(Tree(Value::from(v))),
            Err(_) => float(v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Tree, E> {
        match u64::try_from(v) {
            Ok(v) => Ok(Tree(Value::from(v))),
            Err(_) => float(v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
        float(v)
    }

    fn visit_str<E>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree(Value::String(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Tree, E> {
        Ok(Tree(Value::String(v)))
    }

    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Tree, E> {
        Ok(Tree(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree, D::Error> {
        Tree::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut out = Map::new();
        let mut merged = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            let Tree(value) = map.next_value()?;
            if key == "<<" {
                merged.push(value);
            } else if out.insert(key.clone(), value).is_some() {
                return Err(de::Error::custom(format!("the key `{key}` is given twice")));
            }
        }
        for value in merged {
            merge_into(&mut out, value).map_err(de::Error::custom)?;
        }
        Ok(Tree(Value::Object(out)))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Tree, A::Error> {
        // A tagged node (`!Tag value`): OpenAPI gives tags no meaning, so keep the value.
        let (_tag, variant): (Key, _) = data.variant()?;
        variant.newtype_variant::<Tree>()
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
        let tree = parse("200: {x: 1}\ntrue: 2\nmax: 18446744073709552000\nsmall: -3").unwrap();
        assert_eq!(tree["200"], json!({"x": 1}));
        assert_eq!(tree["true"], json!(2));
        assert_eq!(tree["max"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(tree["small"], json!(-3));
    }

    #[test]
    fn merge_keys_and_anchors() {
        let tree = parse("base: &b {a: 1, b: 2}\nderived:\n  <<: *b\n  b: 3\n").unwrap();
        assert_eq!(tree["derived"], json!({"a": 1, "b": 3}));
        let tree = parse("x: &x {a: 1}\ny: &y {a: 2, c: 3}\nz: {<<: [*x, *y]}\n").unwrap();
        assert_eq!(tree["z"], json!({"a": 1, "c": 3}));
    }

    #[test]
    fn tags_are_ignored_and_duplicates_refused() {
        assert_eq!(parse("a: !custom 5").unwrap()["a"], json!(5));
        let error = parse("a: 1\na: 2\n").unwrap_err().to_string();
        assert!(error.contains("the key `a` is given twice"), "{error}");
        assert!(parse("? [1, 2]\n: x").is_err());
        assert!(parse("a: .nan").is_err());
    }
}
