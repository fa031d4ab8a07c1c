//! Integer bounds no 64-bit integer can hold.
//!
//! `openapiv3` reads the `minimum`, `maximum` and `multipleOf` of an integer schema as `i64`, so
//! one `maximum: 18446744073709552000` (DigitalOcean's spec) would reject the whole document.
//! Before typed parsing, such bounds are clamped to what `i64` holds (which is what the
//! generated code can check anyway), with a warning.

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};
use serde_json::{Number, Value};

const CODE: &str = "integer-bound-clamped";

/// Clamps, in place, every integer bound of `raw` that `i64` cannot hold; whether there was one.
pub(super) fn clamp_integer_bounds(raw: &mut Value, warnings: &mut Diagnostics) -> bool {
    // The walk that tracks pointers only runs when there is something to clamp.
    let oversized = any_oversized(raw);
    if oversized {
        walk(raw, &Pointer::root(), warnings);
    }
    oversized
}

fn any_oversized(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            let oversized = map.get("type").and_then(Value::as_str) == Some("integer")
                && ["minimum", "maximum", "multipleOf"]
                    .iter()
                    .any(|key| matches!(map.get(*key), Some(Value::Number(n)) if !n.is_i64()));
            oversized || map.values().any(any_oversized)
        }
        Value::Array(items) => items.iter().any(any_oversized),
        _ => false,
    }
}

fn walk(value: &mut Value, at: &Pointer, warnings: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("integer") {
                for key in ["minimum", "maximum", "multipleOf"] {
                    let Some(Value::Number(number)) = map.get(key) else {
                        continue;
                    };
                    if number.is_i64() {
                        continue;
                    }
                    let written = number.to_string();
                    let place = at.join(key);
                    match fitted(key, number) {
                        Some(fitted) => {
                            warnings.push(
                                Diagnostic::warning(format!(
                                    "`{key}: {written}` is not a 64-bit integer; it is read as \
                                     {fitted}"
                                ))
                                .at(&place)
                                .with_code(CODE),
                            );
                            map.insert(key.to_owned(), Value::Number(Number::from(fitted)));
                        }
                        None => {
                            warnings.push(
                                Diagnostic::warning(format!(
                                    "`{key}: {written}` is not a 64-bit integer; it is ignored"
                                ))
                                .at(&place)
                                .with_code(CODE),
                            );
                            map.remove(key);
                        }
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                walk(child, &at.join(key), warnings);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &at.join(i.to_string()), warnings);
            }
        }
        _ => {}
    }
}

/// The nearest `i64` that keeps the bound's meaning, or `None` where there is none
/// (a fractional `multipleOf`).
fn fitted(key: &str, number: &Number) -> Option<i64> {
    if number.as_u64().is_some() {
        return Some(i64::MAX);
    }
    let value = number.as_f64()?;
    if value >= i64::MAX as f64 {
        Some(i64::MAX)
    } else if value <= i64::MIN as f64 {
        Some(i64::MIN)
    } else {
        match key {
            // A minimum of 0.5 lets 1 through, a maximum of 9.5 lets 9 through.
            "minimum" => Some(value.ceil() as i64),
            "maximum" => Some(value.floor() as i64),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn out_of_range_bounds_are_clamped_with_a_warning() {
        let mut raw = json!({"components": {"schemas": {
            "Big": {"type": "integer", "minimum": 0.5, "maximum": 18446744073709552000.0_f64},
            "Huge": {"type": "integer", "maximum": 18446744073709551615_u64, "multipleOf": 0.5},
            "Float": {"type": "number", "maximum": 1e30},
        }}});
        let mut warnings = Diagnostics::new();
        clamp_integer_bounds(&mut raw, &mut warnings);
        let schemas = &raw["components"]["schemas"];
        assert_eq!(schemas["Big"]["minimum"], json!(1));
        assert_eq!(schemas["Big"]["maximum"], json!(i64::MAX));
        assert_eq!(schemas["Huge"]["maximum"], json!(i64::MAX));
        assert_eq!(schemas["Huge"].get("multipleOf"), None);
        assert_eq!(schemas["Float"]["maximum"], json!(1e30));
        let pointers: Vec<_> = warnings
            .iter()
            .map(|w| w.pointer.clone().unwrap())
            .collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/Big/minimum",
                "#/components/schemas/Big/maximum",
                "#/components/schemas/Huge/maximum",
                "#/components/schemas/Huge/multipleOf",
            ]
        );
        assert!(warnings.iter().all(|w| w.code.as_deref() == Some(CODE)));
    }
}
