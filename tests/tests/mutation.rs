//! Every spec in the shared folder, broken on purpose in the ways real specs are broken: the
//! generator never panics, and every diagnostic says where.

use apigen_tests::corpus::all_shared_specs;
use apigen_tests::robust::{generate_located, node, node_mut, node_paths};
use serde_json::{Map, Value, json};

/// A small deterministic generator, so that every run mutates the same places.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// What a mutation must produce, beyond "no panic and every diagnostic located".
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Anything,
    Error,
    /// A warning with this code, if the unmutated spec generated.
    Warning(&'static str),
}

fn object_at<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Map<String, Value>> {
    node_mut(value, path).and_then(Value::as_object_mut)
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// The mutations of one spec: (what, mutated document, expectation).
fn mutations(original: &Value, rng: &mut Rng) -> Vec<(String, Value, Expect)> {
    let all = node_paths(original);
    let with_key = |key: &str| -> Vec<Vec<String>> {
        all.iter()
            .filter(|p| node(original, p).and_then(|v| v.get(key)).is_some())
            .cloned()
            .collect()
    };
    let is_data = |p: &Vec<String>| {
        p.iter().any(|t| {
            matches!(t.as_str(), "example" | "examples" | "default" | "enum") || t.starts_with("x-")
        })
    };
    let refs: Vec<_> = with_key("$ref")
        .into_iter()
        .filter(|p| !is_data(p))
        .collect();
    let typed: Vec<_> = with_key("type")
        .into_iter()
        .filter(|p| !is_data(p))
        .filter(|p| node(original, p).and_then(|v| v["type"].as_str()).is_some())
        .filter(|p| p.last().is_none_or(|t| t != "properties"))
        .collect();
    let operations: Vec<Vec<String>> = all
        .iter()
        .filter(|p| p.len() == 3 && p[0] == "paths" && METHODS.contains(&p[2].as_str()))
        .cloned()
        .collect();
    let with_properties = with_key("properties");
    let descriptions: Vec<_> = with_key("description")
        .into_iter()
        .filter(|p| p.len() >= 2 && p[p.len() - 2] == "responses")
        .collect();

    let mut out = Vec::new();
    let mut mutate = |what: String, expect: Expect, change: &dyn Fn(&mut Value) -> bool| {
        let mut doc = original.clone();
        if change(&mut doc) {
            out.push((what, doc, expect));
        }
    };
    mutate("delete openapi".into(), Expect::Error, &|d| {
        d.as_object_mut()
            .and_then(|m| m.remove("openapi"))
            .is_some()
    });
    mutate("delete info".into(), Expect::Error, &|d| {
        d.as_object_mut().and_then(|m| m.remove("info")).is_some()
    });
    if let Some(p) = rng.pick(&descriptions).cloned() {
        mutate(
            format!("delete the description of {p:?}"),
            Expect::Anything,
            &|d| {
                object_at(d, &p)
                    .and_then(|m| m.remove("description"))
                    .is_some()
            },
        );
    }
    if let Some(p) = rng.pick(&typed).cloned() {
        mutate(
            format!("misspell the type at {p:?}"),
            Expect::Anything,
            &|d| {
                object_at(d, &p)
                    .map(|m| m.insert("type".into(), json!("strnig")))
                    .is_some()
            },
        );
    }
    if let Some(p) = rng.pick(&typed).cloned() {
        mutate(
            format!("make the type at {p:?} a number"),
            Expect::Error,
            &|d| {
                object_at(d, &p)
                    .map(|m| m.insert("type".into(), json!(42)))
                    .is_some()
            },
        );
    }
    if let Some(p) = rng.pick(&refs).cloned() {
        mutate(format!("break the $ref at {p:?}"), Expect::Error, &|d| {
            object_at(d, &p)
                .and_then(|m| {
                    let broken = format!("{}Broken", m.get("$ref")?.as_str()?);
                    m.insert("$ref".into(), Value::String(broken))
                })
                .is_some()
        });
    }
    if let Some(p) = rng.pick(&with_properties).cloned() {
        mutate(
            format!("keyword property names at {p:?}"),
            Expect::Anything,
            &|d| {
                let Some(Value::Object(props)) =
                    node_mut(d, &p).and_then(|v| v.get_mut("properties"))
                else {
                    return false;
                };
                for name in [
                    "type", "self", "Self", "ref", "async", "crate", "2fa", "a-b.c d",
                ] {
                    props.insert(name.into(), json!({"type": "string"}));
                }
                true
            },
        );
    }
    mutate("keyword schema names".into(), Expect::Anything, &|d| {
        let Some(schemas) = d
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        else {
            return false;
        };
        for name in ["Self", "Client", "Error", "Result", "Option", "type", "std"] {
            schemas.insert(
                name.into(),
                json!({"type": "object", "properties": {"r#x": {"type": "integer"}}}),
            );
        }
        true
    });
    if operations.len() >= 2 {
        let (a, b) = (
            operations[0].clone(),
            operations[operations.len() - 1].clone(),
        );
        mutate(
            "duplicate an operationId".into(),
            Expect::Warning("duplicate-operation-id"),
            &|d| {
                let Some(id) = node(d, &a).and_then(|o| o.get("operationId")).cloned() else {
                    return false;
                };
                object_at(d, &b)
                    .map(|m| m.insert("operationId".into(), id))
                    .is_some()
            },
        );
    }
    if let Some(op) = rng.pick(&operations).cloned() {
        mutate(
            format!("take the slash off {:?}", op[1]),
            Expect::Warning("path-without-slash"),
            &|d| {
                let Some(paths) = d.get_mut("paths").and_then(Value::as_object_mut) else {
                    return false;
                };
                let Some(item) = paths.remove(&op[1]) else {
                    return false;
                };
                paths.insert(op[1].trim_start_matches('/').to_owned(), item);
                true
            },
        );
    }
    for replacement in [json!(null), json!([]), json!("x"), json!({}), json!(1e300)] {
        if let Some(p) = rng.pick(&all).cloned().filter(|p| !p.is_empty()) {
            mutate(
                format!("replace {p:?} by {replacement}"),
                Expect::Anything,
                &|d| node_mut(d, &p).map(|v| *v = replacement.clone()).is_some(),
            );
        }
    }
    out
}

#[test]
fn mutated_specs_never_panic_and_every_diagnostic_is_located() {
    let specs = all_shared_specs();
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = specs
            .chunks(specs.len().div_ceil(2))
            .map(|chunk| {
                scope.spawn(move || {
                    let mut tried = 0;
                    let mut problems = Vec::new();
                    for (index, (name, path)) in chunk.iter().enumerate() {
                        let text = std::fs::read_to_string(path).unwrap();
                        let original = apigen::load::read_tree(name, text.as_bytes()).unwrap();
                        let baseline_ok =
                            generate_located(name, text.into_bytes()).is_ok_and(|r| r.is_ok());
                        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (index as u64 + 1));
                        for (what, doc, expect) in mutations(&original, &mut rng) {
                            tried += 1;
                            let text = serde_json::to_string_pretty(&doc).unwrap();
                            let verdict = match (generate_located(name, text.into_bytes()), expect)
                            {
                                (Err(problem), _) => Some(problem),
                                (Ok(Ok(_)), Expect::Error) => Some("generated".into()),
                                (Ok(Ok(warnings)), Expect::Warning(code)) if baseline_ok => {
                                    (!warnings.iter().any(|w| w.code.as_deref() == Some(code)))
                                        .then(|| format!("no `{code}` warning"))
                                }
                                _ => None,
                            };
                            if let Some(problem) = verdict {
                                problems.push(format!("{name}: {what}: {problem}"));
                            }
                        }
                    }
                    (tried, problems)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("the test itself does not panic"))
            .collect::<Vec<_>>()
    });
    let tried: usize = results.iter().map(|(n, _)| n).sum();
    let problems: Vec<_> = results.into_iter().flat_map(|(_, p)| p).collect();
    println!("{tried} mutations of {} specs", specs.len());
    assert!(tried > 2000, "{tried} mutations");
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
