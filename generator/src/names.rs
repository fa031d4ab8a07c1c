//! Identifiers: every name that goes from the spec into Rust passes through here.
//!
//! Names are ASCII, cased with `heck`, never keywords, never prelude names that the emitted code
//! relies on, and unique within their namespace. Every mapping is a pure function of the input,
//! so output is deterministic. The wire name is always kept beside the Rust name (serde renames).

use crate::ir::{Api, TypeDef, TypeKind};
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Keywords of every edition (strict and reserved), which need `r#` as field or method names.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the emitted `models.rs` uses unqualified: a schema of that name would shadow them.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Deserialize",
    "Eq",
    "From",
    "Hash",
    "Into",
    "Iterator",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Serialize",
    "Sized",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Vec",
];

/// Splits on everything that is not an ASCII letter or digit.
fn words(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// `UpperCamelCase`, keeping a `_` between two digit runs so `v2.15` and `v21.5` stay apart.
fn upper_camel(raw: &str) -> String {
    cased(Case::UpperCamel, raw, |raw| {
        let mut out = String::new();
        for word in words(raw) {
            let cased = word.to_upper_camel_case();
            if out.ends_with(|c: char| c.is_ascii_digit())
                && cased.starts_with(|c: char| c.is_ascii_digit())
            {
                out.push('_');
            }
            out.push_str(&cased);
        }
        out
    })
}

/// `snake_case`.
fn snake(raw: &str) -> String {
    cased(Case::Snake, raw, |raw| {
        words(raw)
            .map(|w| w.to_snake_case())
            .collect::<Vec<_>>()
            .join("_")
    })
}

/// The two casings of [`cased`].
#[derive(Clone, Copy)]
enum Case {
    UpperCamel = 0,
    Snake = 1,
}

/// How many casings [`cased`] keeps per thread at most.
const CASED_KEPT: usize = 4096;

thread_local! {
    /// The casings made on this thread. A spec names the same thing many times (Circle's v2.15:
    /// 1,517 type names cased from 570 names, 1,120 snake-case names from 345), and `heck`
    /// takes some 3,000 instructions a name, a tenth of lowering.
    static CASED: std::cell::RefCell<[std::collections::HashMap<String, String>; 2]> =
        Default::default();
}

/// `raw` cased by `case` (`make`), as made before on this thread if it was.
fn cased(case: Case, raw: &str, make: impl FnOnce(&str) -> String) -> String {
    if let Some(name) = CASED.with_borrow(|kept| kept[case as usize].get(raw).cloned()) {
        return name;
    }
    let name = make(raw);
    CASED.with_borrow_mut(|kept| {
        let kept = &mut kept[case as usize];
        // Kept for a spec's names, not for every name a long-lived thread ever cases.
        if kept.len() >= CASED_KEPT {
            kept.clear();
        }
        kept.insert(raw.to_owned(), name.clone());
    });
    name
}

/// A type name: `checkout-session` → `CheckoutSession`.
pub fn type_name(raw: &str) -> String {
    let name = upper_camel(raw);
    if name.is_empty() {
        return "Unnamed".to_owned();
    }
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{name}")
    } else {
        name
    };
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Model")
    } else {
        name
    }
}

/// An enum variant name for a wire value: `card_restricted,` → `CardRestricted`, `00` → `V00`.
pub fn variant_name(raw: &str) -> String {
    let name = upper_camel(raw);
    if name.is_empty() {
        return symbol_name(raw);
    }
    usable_variant(name)
}

/// An `UpperCamelCase` name made usable as an enum variant: not starting with a digit, not the
/// keyword `Self`.
pub fn usable_variant(name: String) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// Names for values made only of symbols, such as `+` or the empty string.
fn symbol_name(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_owned();
    }
    let mut out = String::new();
    for c in raw.chars() {
        let word = match c {
            '+' => "Plus",
            '-' => "Minus",
            '*' => "Star",
            '/' => "Slash",
            '.' => "Dot",
            '<' => "Lt",
            '>' => "Gt",
            '=' => "Eq",
            '!' => "Bang",
            '@' => "At",
            '#' => "Hash",
            '$' => "Dollar",
            '%' => "Percent",
            '&' => "Amp",
            '_' => "Underscore",
            ' ' => "Space",
            _ => "Symbol",
        };
        out.push_str(word);
    }
    out
}

/// A field, parameter or method name: `successUrl` → `success_url`, `type` → `r#type`.
pub fn snake_name(raw: &str) -> String {
    let name = snake(raw);
    if name.is_empty() {
        return "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        return format!("{name}_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("r#{name}");
    }
    name
}

/// The name without a raw-identifier prefix, for building derived names (`r#type` → `type`).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// A snake-case name with a suffix: `get_thing` → `get_thing_with_response`; `self_` (a keyword
/// made usable) → `self_2`, not `self__2`, which is not snake case.
pub fn suffixed(name: &str, suffix: impl std::fmt::Display) -> String {
    format!("{}_{suffix}", unraw(name).trim_end_matches('_'))
}

/// Hands out names unique within one namespace, in the order they are asked for.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether `name` is still free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// Takes `name` (whether or not it was free).
    pub fn insert(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// `name` if free, else `name2`, `name3`… (`name_2` for snake-case names).
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        let snake = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let base = unraw(name);
        (2..)
            .map(|n| {
                if snake {
                    suffixed(base, n)
                } else {
                    format!("{base}{n}")
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_else(|| name.to_owned())
    }
}

/// Makes every type name unique. The component schemas' types claim their names first: they are
/// the names users know from the spec, and a type made inside one of them earlier (a property's
/// enum titled like another component) must not push it to a number. The rest claim in the
/// (deterministic) order they were made; later ones get a number.
pub fn assign_type_names(api: &mut Api) {
    let mut namespace = Namespace::with_reserved(RESERVED_TYPES);
    let is_component = |def: &TypeDef| def.origin.component_name("schemas").is_some();
    for component_pass in [true, false] {
        for def in api.types.values_mut() {
            if is_component(def) == component_pass {
                def.name = namespace.claim(&def.name);
            }
        }
    }
}

/// Makes field, variant and parameter names unique within each type.
pub fn dedupe_members(api: &mut Api) {
    for def in api.types.values_mut() {
        let mut namespace = Namespace::default();
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.name = namespace.claim(&field.name);
                }
            }
            TypeKind::Enum(e) => {
                namespace = Namespace::with_reserved(&["Unknown"]);
                for variant in &mut e.variants {
                    variant.name = namespace.claim(&variant.name);
                }
            }
            TypeKind::Params(p) => {
                for param in &mut p.params {
                    param.name = namespace.claim(&param.name);
                }
            }
            TypeKind::Errors(e) | TypeKind::Successes(e) => {
                for variant in &mut e.variants {
                    variant.name = namespace.claim(&variant.name);
                }
            }
            TypeKind::IntEnum(e) => {
                namespace = Namespace::with_reserved(&["Unknown"]);
                for variant in &mut e.variants {
                    variant.name = namespace.claim(&variant.name);
                }
            }
            // Named when their alternatives' names are final (`settle_one_ofs`).
            TypeKind::OneOf(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("checkout-session"), "CheckoutSession");
        assert_eq!(type_name("v2.15"), "V2_15");
        assert_eq!(type_name("1stThing"), "T1stThing");
        assert_eq!(type_name("Option"), "OptionModel");
        assert_eq!(type_name("÷"), "Unnamed");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("card_restricted,"), "CardRestricted");
        assert_eq!(variant_name("00"), "V00");
        assert_eq!(variant_name("1stChargeback"), "V1stChargeback");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(variant_name("USD"), "Usd");
        assert_eq!(variant_name("ETH-SEPOLIA"), "EthSepolia");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake_name("successUrl"), "success_url");
        assert_eq!(snake_name("trading-pair"), "trading_pair");
        assert_eq!(snake_name("X-Request-Id"), "x_request_id");
        assert_eq!(snake_name("type"), "r#type");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("3ds"), "_3ds");
        assert_eq!(snake_name("a.b c"), "a_b_c");
        assert_eq!(snake_name("$"), "value");
    }

    #[test]
    fn namespaces_number_repeats() {
        let mut types = Namespace::default();
        assert_eq!(types.claim("Foo"), "Foo");
        assert_eq!(types.claim("Foo"), "Foo2");
        assert_eq!(types.claim("Foo"), "Foo3");
        let mut fields = Namespace::default();
        assert_eq!(fields.claim("foo_bar"), "foo_bar");
        assert_eq!(fields.claim("foo_bar"), "foo_bar_2");
        assert_eq!(fields.claim("r#type"), "r#type");
        assert_eq!(fields.claim("r#type"), "type_2");
    }
}
