//! The models' serde, `runtime::object!`, against serde's derive with the attributes it
//! replaced: for every kind of field, the same JSON decodes to the same value or fails with the
//! same message, and the same value encodes to the same JSON.

#![allow(missing_docs)]

// The runtime exactly as generated crates get it.
#[allow(dead_code, unused_imports, unreachable_pub, clippy::all)]
#[path = "../../generator/runtime/runtime.rs"]
mod runtime;

use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One field of each kind, with a renamed property and a raw identifier.
#[derive(Clone, Debug, PartialEq)]
pub struct Kinds {
    pub id: i64,
    pub display_name: Option<String>,
    pub r#type: Option<String>,
    pub note: Option<Option<String>>,
    pub tags: Vec<String>,
}

crate::runtime::object!(Kinds {
    id: "id" required,
    display_name: "displayName" nullable,
    r#type: "type" optional,
    note: "note" absent_or_null,
    tags: "tags" required,
});

/// What apigen emitted before `object!`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KindsDerived {
    pub id: i64,
    #[serde(rename = "displayName")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(
        default,
        deserialize_with = "deserialize_some",
        skip_serializing_if = "Option::is_none"
    )]
    pub note: Option<Option<String>>,
    pub tags: Vec<String>,
}

/// Named properties and a map of the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras {
    pub known: Option<String>,
    pub count: Option<Option<i64>>,
    pub additional_properties: BTreeMap<String, i64>,
}

crate::runtime::object!(Extras {
    known: "known" optional,
    count: "count" absent_or_null,
    ..additional_properties,
});

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExtrasDerived {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<String>,
    #[serde(
        default,
        deserialize_with = "deserialize_some",
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<Option<i64>>,
    #[serde(flatten)]
    pub additional_properties: BTreeMap<String, i64>,
}

/// No fields at all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Empty {}

crate::runtime::object!(Empty {});

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EmptyDerived {}

fn deserialize_some<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// Decodes `text` both ways; both succeed and re-encode alike, or both fail, with one message
/// when `same_message`. (With a map of other properties the derive buffers them and reads them
/// after the named ones, so where an object has several errors it reports another first, and at
/// the object's end.)
fn same_decoding<O, D>(text: &str, same_message: bool) -> Result<(), TestCaseError>
where
    O: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
    D: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let ours = serde_json::from_str::<O>(text);
    let derived = serde_json::from_str::<D>(text);
    match (&ours, &derived) {
        (Ok(ours), Ok(derived)) => {
            let ours =
                serde_json::to_string(ours).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let derived =
                serde_json::to_string(derived).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(ours, derived, "re-encoded from {}", text);
        }
        (Err(ours), Err(derived)) if same_message => {
            prop_assert_eq!(ours.to_string(), derived.to_string(), "decoding {}", text)
        }
        (Err(_), Err(_)) => {}
        _ => prop_assert!(false, "{text}: object! {ours:?}, derive {derived:?}"),
    }
    Ok(())
}

/// JSON values of the shapes the fields hold, and some they do not.
fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        "[a-z]{0,3}".prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        prop::collection::vec("[a-z]{0,2}".prop_map(Value::from), 0..3).prop_map(Value::from),
        Just(json!({"x": 1})),
    ]
}

/// An object with some of `keys` (each possibly twice) and some unknown keys, as JSON text in
/// the order drawn.
fn object_text(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let key = prop_oneof![
        4 => prop::sample::select(keys).prop_map(str::to_owned),
        1 => "[a-z]{1,3}",
    ];
    prop::collection::vec((key, value()), 0..8).prop_map(|entries| {
        let body: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
            .collect();
        format!("{{{}}}", body.join(","))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_kind_decodes_like_the_derive(
        text in object_text(&["id", "displayName", "type", "note", "tags"])
    ) {
        same_decoding::<Kinds, KindsDerived>(&text, true)?;
    }

    #[test]
    fn other_properties_decode_like_the_derive(text in object_text(&["known", "count"])) {
        same_decoding::<Extras, ExtrasDerived>(&text, false)?;
    }

    #[test]
    fn values_encode_like_the_derive(
        id in any::<i64>(),
        display_name in proptest::option::of("[a-z]{0,3}"),
        r#type in proptest::option::of("[a-z]{0,3}"),
        note in proptest::option::of(proptest::option::of("[a-z]{0,3}")),
        tags in prop::collection::vec("[a-z]{0,2}", 0..3),
        extras in prop::collection::btree_map("[a-z]{1,3}", any::<i64>(), 0..3),
    ) {
        let ours = Kinds {
            id,
            display_name: display_name.clone(),
            r#type: r#type.clone(),
            note: note.clone(),
            tags: tags.clone(),
        };
        let derived = KindsDerived { id, display_name, r#type, note: note.clone(), tags };
        prop_assert_eq!(
            serde_json::to_string(&ours).map_err(|e| TestCaseError::fail(e.to_string()))?,
            serde_json::to_string(&derived).map_err(|e| TestCaseError::fail(e.to_string()))?
        );
        let count = note.map(|n| n.map(|n| n.len() as i64));
        let ours = Extras { known: None, count, additional_properties: extras.clone() };
        let derived = ExtrasDerived { known: None, count, additional_properties: extras };
        prop_assert_eq!(
            serde_json::to_value(&ours).map_err(|e| TestCaseError::fail(e.to_string()))?,
            serde_json::to_value(&derived).map_err(|e| TestCaseError::fail(e.to_string()))?
        );
    }
}

#[test]
fn the_errors_name_the_property_and_the_type() {
    let message = |text: &str| {
        serde_json::from_str::<Kinds>(text)
            .expect_err(text)
            .to_string()
    };
    assert_eq!(
        message(r#"{"displayName": null, "tags": []}"#),
        "missing field `id` at line 1 column 33"
    );
    assert_eq!(
        message(r#"{"id": 1, "id": 2, "tags": []}"#),
        "duplicate field `id` at line 1 column 14"
    );
    assert_eq!(
        message("[1]"),
        "invalid type: sequence, expected struct Kinds at line 1 column 1"
    );
    assert_eq!(
        message(r#"{"id": "one", "tags": []}"#),
        "invalid type: string \"one\", expected i64 at line 1 column 12"
    );
}

#[test]
fn absent_null_and_present_are_three_values() {
    let decode = |text: &str| serde_json::from_str::<Kinds>(text).expect(text);
    let absent = decode(r#"{"id": 1, "tags": []}"#);
    let null = decode(r#"{"id": 1, "tags": [], "note": null, "displayName": null}"#);
    let present = decode(r#"{"id": 1, "tags": [], "note": "n", "displayName": "d"}"#);
    assert_eq!(
        (absent.note.clone(), absent.display_name.clone()),
        (None, None)
    );
    assert_eq!(
        (null.note.clone(), null.display_name.clone()),
        (Some(None), None)
    );
    assert_eq!(present.note.clone(), Some(Some("n".to_owned())));
    // A required nullable property is always sent; an absent optional one never.
    assert_eq!(
        serde_json::to_value(&absent).expect("encodes"),
        json!({"id": 1, "displayName": null, "tags": []})
    );
    assert_eq!(
        serde_json::to_value(&null).expect("encodes"),
        json!({"id": 1, "displayName": null, "note": null, "tags": []})
    );
}

#[test]
fn keys_with_escapes_and_values_read_from_a_tree_decode_too() {
    // Escaped keys cannot be borrowed from the input; `from_value` hands owned strings.
    let text = r#"{"\u0069d": 7, "tags": ["a"], "n\u006fte": null}"#;
    let from_text: Kinds = serde_json::from_str(text).expect("decodes");
    let from_tree: Kinds =
        serde_json::from_value(serde_json::from_str::<Value>(text).expect("parses"))
            .expect("decodes");
    assert_eq!(from_text, from_tree);
    assert_eq!(from_text.id, 7);
    assert_eq!(from_text.note, Some(None));
    let extras: Extras =
        serde_json::from_reader(r#"{"a\u0062": 2, "known": "k"}"#.as_bytes()).expect("decodes");
    assert_eq!(
        extras.additional_properties,
        BTreeMap::from([("ab".to_owned(), 2)])
    );
    assert_eq!(
        serde_json::from_str::<Empty>("{\"x\": 1}").expect("decodes"),
        Empty {}
    );
    same_decoding::<Empty, EmptyDerived>("{\"x\": [1]}", true).expect("same");
    // The one difference: the derive also reads a struct from an array.
    assert!(serde_json::from_str::<EmptyDerived>("[]").is_ok());
    assert!(serde_json::from_str::<Empty>("[]").is_err());
}
