//! The real-world specs under the shared folder, and the example round-trip test written into
//! each generated crate.

use apigen::{Config, ExampleCheck, SpecInput};
use std::path::PathBuf;

/// One spec file of one Circle version.
#[derive(Clone, Debug)]
pub struct CircleFile {
    /// `v2.15.0`.
    pub version: String,
    /// `circle-apis` (file stem).
    pub stem: String,
    /// Full path.
    pub path: PathBuf,
}

impl CircleFile {
    /// `circle-v2-15-0` for the bundle, `circle-v1-0-0-payments` for an area file.
    pub fn crate_name(&self) -> String {
        let version = self.version.replace('.', "-");
        if self.is_bundle() {
            format!("circle-{version}")
        } else {
            format!("circle-{version}-{}", self.stem)
        }
    }

    /// Whether this is the bundle of all areas.
    pub fn is_bundle(&self) -> bool {
        self.stem == "circle-apis"
    }
}

/// `../shared/specs/circle` (or under `$APIGEN_SHARED_DIR`), with a clear failure when absent.
pub fn circle_dir() -> PathBuf {
    let dir = crate::shared_dir().join("specs").join("circle");
    assert!(
        dir.is_dir(),
        "the Circle specs are not at {}; set {} to the shared folder (default ../shared)",
        dir.display(),
        crate::SHARED_DIR_VAR
    );
    dir
}

/// Every YAML file of every version, ordered by version number, then by name.
pub fn circle_files() -> Vec<CircleFile> {
    let mut files = Vec::new();
    for version in std::fs::read_dir(circle_dir()).expect("read the Circle specs") {
        let version = version.expect("a directory entry").path();
        let Some(name) = version.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !version.is_dir() || !name.starts_with('v') {
            continue;
        }
        for file in std::fs::read_dir(&version).expect("read a version") {
            let path = file.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let stem = path
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                files.push(CircleFile {
                    version: name.to_owned(),
                    stem,
                    path,
                });
            }
        }
    }
    files.sort_by_key(|f| (version_key(&f.version), f.stem.clone()));
    files
}

/// `v2.15.0` → `[2, 15, 0]`, for ordering versions by number.
pub fn version_key(version: &str) -> Vec<u32> {
    version
        .trim_start_matches('v')
        .split('.')
        .map(|n| n.parse().unwrap_or(0))
        .collect()
}

/// The configuration the Circle clients are generated with (as in this repository's apigen.toml).
pub fn circle_config(crate_name: &str) -> Config {
    Config::new(crate_name)
        .idempotency_key("idempotencyKey")
        .regenerate_command("cargo test -p apigen-tests --test corpus")
}

/// `tests/examples.rs` for a generated crate: each example decoded into its type and encoded
/// back, compared as JSON values (numbers by value, RFC 3339 instants and UUIDs by meaning, a
/// `null` the same as an absent property). It prints `EXAMPLES <crate> <passed> <total>` and
/// fails on any failure not listed in `expected_failures` (pointer, words of the error, reason).
/// Listed failures that pass are reported by their absence from the `EXPECTED` lines.
pub fn examples_test(
    crate_name: &str,
    checks: &[ExampleCheck],
    expected_failures: &[(&str, &str, &str)],
) -> String {
    let crate_ident = crate_name.replace('-', "_");
    let models_import = if checks.iter().any(|c| c.rust_type.contains("models::")) {
        format!("use {crate_ident}::models;\n")
    } else {
        String::new()
    };
    let mut cases = String::new();
    for check in checks {
        let json = check.value.to_string();
        let hashes = "#".repeat(longest_hash_run(&json) + 1);
        cases.push_str(&format!(
            "        ({:?}, check::<{}>, r{hashes}\"{json}\"{hashes}),\n",
            check.pointer, check.rust_type
        ));
    }
    let mut expected = String::new();
    for (pointer, error, _) in expected_failures {
        expected.push_str(&format!("        ({pointer:?}, {error:?}),\n"));
    }
    format!(
        r#"//! Every example of the spec, decoded into the type of its position and encoded back.
//! Written by the corpus test of apigen.

{models_import}use serde_json::Value;

type Check = fn(&str) -> Result<(), String>;

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<(), String> {{
    let original: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let typed: T = serde_json::from_value(original.clone()).map_err(|e| format!("does not decode: {{e}}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not encode: {{e}}"))?;
    same(&original, &back, "").map_err(|e| format!("encodes differently: {{e}}"))
}}

/// RFC 3339 instants written with or without zero fractions, or with `+00:00` for `Z`.
fn instant(text: &str) -> Option<String> {{
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[10] != b'T' || bytes[4] != b'-' {{
        return None;
    }}
    let text = text.replace("+00:00", "Z");
    let (main, zone) = text.split_at(text.find(['Z', '+']).or_else(|| text.rfind('-').filter(|&i| i > 10))?);
    let main = match main.split_once('.') {{
        Some((seconds, fraction)) => {{
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {{ seconds.to_owned() }} else {{ format!("{{seconds}}.{{fraction}}") }}
        }}
        None => main.to_owned(),
    }};
    Some(format!("{{main}}{{zone}}"))
}}

fn same(a: &Value, b: &Value, at: &str) -> Result<(), String> {{
    match (a, b) {{
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => Ok(()),
        (Value::String(x), Value::String(y))
            if x == y
                || (x.eq_ignore_ascii_case(y) && x.len() == 36)
                || (instant(x).is_some() && instant(x) == instant(y)) =>
        {{
            Ok(())
        }}
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {{
            for (i, (x, y)) in x.iter().zip(y).enumerate() {{
                same(x, y, &format!("{{at}}[{{i}}]"))?;
            }}
            Ok(())
        }}
        (Value::Object(x), Value::Object(y)) => {{
            for (key, value) in x {{
                match y.get(key) {{
                    Some(other) => same(value, other, &format!("{{at}}.{{key}}"))?,
                    None if value.is_null() => {{}}
                    None => return Err(format!("{{at}}.{{key}} is lost")),
                }}
            }}
            for (key, value) in y {{
                if !x.contains_key(key) && !value.is_null() {{
                    return Err(format!("{{at}}.{{key}} = {{value}} appears"));
                }}
            }}
            Ok(())
        }}
        _ if a == b => Ok(()),
        _ => Err(format!("{{at}}: {{a}} became {{b}}")),
    }}
}}

#[test]
fn examples_round_trip() {{
    let checks: &[(&str, Check, &str)] = &[
{cases}    ];
    // (pointer, words of the error): examples the spec gets wrong, listed in the corpus test.
    let expected_failures: &[(&str, &str)] = &[
{expected}    ];
    let mut passed = 0;
    let mut expected = Vec::new();
    let mut problems = Vec::new();
    for (pointer, check, json) in checks {{
        match check(json) {{
            Ok(()) => passed += 1,
            Err(e) => {{
                if expected_failures.iter().any(|(p, words)| p == pointer && e.contains(words)) {{
                    expected.push(*pointer);
                }} else {{
                    problems.push(format!("{{pointer}}: {{e}}"));
                }}
            }}
        }}
    }}
    println!("EXAMPLES {crate_name} {{passed}} {{}}", checks.len());
    for pointer in expected {{
        println!("EXPECTED {{pointer}}");
    }}
    assert!(problems.is_empty(), "{{}} example(s):\n{{}}", problems.len(), problems.join("\n"));
}}
"#
    )
}

fn longest_hash_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '#' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// Every spec under the shared folder (`specs/circle/*/*.yaml` and `specs/public/*`), as
/// (name relative to the shared folder, path), sorted by name.
pub fn all_shared_specs() -> Vec<(String, PathBuf)> {
    let specs = crate::shared_dir().join("specs");
    let mut out = Vec::new();
    for file in circle_files() {
        let name = format!("specs/circle/{}/{}.yaml", file.version, file.stem);
        out.push((name, file.path));
    }
    let public = specs.join("public");
    for entry in std::fs::read_dir(&public).expect("read the public specs") {
        let path = entry.expect("a directory entry").path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(ext, "yaml" | "yml" | "json") {
            let name = format!(
                "specs/public/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            out.push((name, path));
        }
    }
    out.sort();
    out
}

/// A spec read from the shared folder, named relative to it and able to follow file `$ref`s.
pub fn shared_spec(name: &str, path: &std::path::Path) -> SpecInput {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let spec = SpecInput::new(name, bytes);
    match path.parent() {
        Some(dir) => spec.with_base_dir(dir),
        None => spec,
    }
}
