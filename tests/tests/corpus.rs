//! The whole of Circle's API as published: every version from v1.0.0 to v2.15.0, read in place
//! from the shared folder (`$APIGEN_SHARED_DIR`, default `../shared`).

use apigen::{ExampleCheck, SpecInput};
use apigen_tests::corpus::{CircleFile, circle_config, circle_files, examples_test};
use apigen_tests::{cargo_in, scratch_workspace, workspace_root};
use std::collections::{BTreeMap, BTreeSet};

fn spec(file: &CircleFile) -> SpecInput {
    let name = format!("specs/circle/{}/{}.yaml", file.version, file.stem);
    SpecInput::new(name, std::fs::read(&file.path).expect("read the spec"))
}

/// Warning codes the README documents (its "Warnings" table).
fn documented_codes() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    readme
        .lines()
        .filter_map(|line| line.strip_prefix("| `")?.split('`').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_file_of_every_version_generates_with_only_documented_warnings() {
    let files = circle_files();
    let versions: BTreeSet<&str> = files.iter().map(|f| f.version.as_str()).collect();
    assert_eq!(versions.len(), 38, "versions found: {versions:?}");
    let documented = documented_codes();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for file in &files {
        match apigen::generate(&circle_config(&file.crate_name()), &spec(file)) {
            Ok(generated) => {
                for warning in generated.warnings() {
                    let code = warning
                        .code
                        .clone()
                        .unwrap_or_else(|| format!("(no code) {warning}"));
                    *by_code.entry(code).or_default() += 1;
                }
            }
            Err(diagnostics) => {
                failures.push(format!("{}/{}:\n{diagnostics}", file.version, file.stem))
            }
        }
    }
    println!(
        "{} files of {} versions generated; warnings by kind:",
        files.len(),
        versions.len()
    );
    for (code, count) in &by_code {
        println!("  {count:5}  {code}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let undocumented: Vec<_> = by_code
        .keys()
        .filter(|c| !documented.contains(*c))
        .collect();
    assert!(
        undocumented.is_empty(),
        "warnings not documented in the README: {undocumented:?}"
    );
}

/// Examples Circle's specs get wrong about their own schema: (pointer, words of the error, why).
/// The generated types reject or change them, rightly. Any other failing example fails the
/// test, and so does an entry here that no version hits any more.
const EXPECTED_FAILURES: &[(&str, &str, &str)] = &[
    (
        "#/paths/~1v1~1payouts/post/responses/201/content/application~1json/examples/Fiat Payout/value",
        "invalid type: sequence, expected struct FiatPayout",
        "`data` holds an array of payouts where the schema says one payout (serde's derive used to \
         read the array as a struct, field by position)",
    ),
    (
        "#/components/parameters/ReturnIdentities/schema/example",
        "invalid type: string \"true\", expected a boolean",
        "a boolean parameter whose example is the string \"true\"",
    ),
    (
        "#/paths/~1v1~1businessAccount~1banks~1cbit/get/responses/200/content/application~1json/examples/response/value",
        "missing field `currencies`",
        "the example leaves out `currencies`, which the schema requires",
    ),
    (
        "#/paths/~1v1~1businessAccount~1banks~1cbit/post/responses/201/content/application~1json/examples/response/value",
        "missing field `currencies`",
        "the example leaves out `currencies`, which the schema requires",
    ),
    (
        "#/paths/~1v1~1businessAccount~1banks~1cbit~1{id}/get/responses/200/content/application~1json/examples/response/value",
        "missing field `currencies`",
        "the example leaves out `currencies`, which the schema requires",
    ),
    (
        "#/paths/~1v1~1businessAccount~1banks~1wires/get/responses/200/content/application~1json/examples/response/value",
        "missing field `currencies`",
        "the example leaves out `currencies`, which the schema requires",
    ),
    (
        "#/paths/~1v1~1businessAccount~1banks~1wires/post/responses/201/content/application~1json/examples/response/value",
        "missing field `currencies`",
        "the example leaves out `currencies`, which the schema requires",
    ),
    (
        "#/paths/~1v1~1businessAccount~1banks~1wires~1{id}/get/responses/200/content/application~1json/examples/response/value",
        "missing field `currencies`",
        "the example leaves out `currencies`, which the schema requires",
    ),
    (
        "#/paths/~1v1~1exchange~1quotes/post/requestBody/content/application~1json/examples/Non-null from amount/value",
        "invalid type: floating point",
        "an amount written as a JSON number where the schema says string",
    ),
    (
        "#/paths/~1v1~1exchange~1quotes/post/requestBody/content/application~1json/examples/Non-null to amount/value",
        "invalid type: floating point",
        "an amount written as a JSON number where the schema says string",
    ),
    (
        "#/paths/~1v1~1exchange~1quotes/post/responses/201/content/application~1json/examples/Non-null from amount/value",
        "invalid type: floating point",
        "an amount written as a JSON number where the schema says string",
    ),
    (
        "#/paths/~1v1~1exchange~1quotes/post/responses/201/content/application~1json/examples/Non-null to amount/value",
        "invalid type: floating point",
        "an amount written as a JSON number where the schema says string",
    ),
    (
        "#/paths/~1v1~1mocks~1payments~1sepa/post/requestBody/content/application~1json/example",
        "invalid type: floating point `3.14`, expected a string",
        "an amount written as a JSON number where the schema says string",
    ),
    (
        "#/paths/~1v1~1paymentIntents/get/responses/200/content/application~1json/examples/Continuous Payment Intent/value",
        "invalid type: map, expected a sequence",
        "`data` is one object where the schema declares an array",
    ),
    (
        "#/paths/~1v1~1paymentIntents/get/responses/200/content/application~1json/examples/Transient Payment Intent/value",
        "invalid type: map, expected a sequence",
        "`data` is one object where the schema declares an array",
    ),
    (
        "#/paths/~1v1~1paymentIntents~1{id}/get/responses/200/content/application~1json/examples/Continuous Payment Intent/value",
        "invalid type: map, expected a sequence",
        "`data` is one object where the schema declares an array",
    ),
    (
        "#/paths/~1v1~1paymentIntents~1{id}/get/responses/200/content/application~1json/examples/Transient Payment Intent/value",
        "invalid type: map, expected a sequence",
        "`data` is one object where the schema declares an array",
    ),
    (
        "#/paths/~1v1~1paymentIntents~1{id}~1expire/post/responses/201/content/application~1json/examples/Continuous Payment Intent/value",
        "invalid type: map, expected a sequence",
        "`data` is one object where the schema declares an array",
    ),
    (
        "#/paths/~1v1~1paymentIntents~1{id}~1expire/post/responses/201/content/application~1json/examples/Transient Payment Intent/value",
        "invalid type: map, expected a sequence",
        "`data` is one object where the schema declares an array",
    ),
    (
        "#/paths/~1v1~1payouts/get/responses/200/content/application~1json/examples/Fiat Payout/value",
        "invalid type: map, expected a sequence",
        "`data` is one object where the schema declares an array",
    ),
    (
        "#/paths/~1v1~1paymentIntents~1{id}~1expire/post/responses/201/content/application~1json/examples/response/value",
        ".data.timeline[0].reason is lost",
        "a property the schema does not declare; generated structs ignore undeclared properties",
    ),
    (
        "#/paths/~1v1~1payments/get/responses/200/content/application~1json/examples/Fiat Cancel/value",
        "originalPayment.updateDate is lost",
        "a property the schema does not declare; generated structs ignore undeclared properties",
    ),
    (
        "#/paths/~1v1~1payments/get/responses/200/content/application~1json/examples/Fiat Refund/value",
        "originalPayment.updateDate is lost",
        "a property the schema does not declare; generated structs ignore undeclared properties",
    ),
    (
        "#/paths/~1v1~1payments~1{id}/get/responses/200/content/application~1json/examples/Fiat Payment/value",
        "matches none of the alternatives (missing field `id`",
        "the payment is wrapped in a second `data` object",
    ),
    (
        "#/paths/~1v1~1payouts/post/responses/201/content/application~1json/examples/Fiat Payout/value",
        "expected a formatted UUID string",
        "`data` is a list where the schema declares one payout (serde reads it as a tuple)",
    ),
];

#[test]
fn every_version_compiles_clean_and_round_trips_its_examples() {
    let files = circle_files();
    let mut by_version: BTreeMap<&str, Vec<&CircleFile>> = BTreeMap::new();
    for file in &files {
        by_version
            .entry(file.version.as_str())
            .or_default()
            .push(file);
    }

    let mut crates = Vec::new();
    let mut tests = Vec::new();
    let mut totals: BTreeMap<String, usize> = BTreeMap::new();
    for (version, files) in &by_version {
        // The bundle, and each area file with examples the bundle does not have at the same place
        // (v1.0.0 has no bundle, so all of its area files). Area files copy the bundle's
        // schemas, so an example the bundle has at the same pointer is checked there.
        let checks_of = |file: &CircleFile| -> Vec<ExampleCheck> {
            apigen::example_checks(&circle_config(&file.crate_name()), &spec(file))
                .unwrap_or_else(|d| panic!("{}: {d}", file.path.display()))
        };
        let bundle = files.iter().find(|f| f.is_bundle());
        let bundle_checks: Vec<ExampleCheck> = bundle.map(|b| checks_of(b)).unwrap_or_default();
        let mut chosen: Vec<(&CircleFile, Vec<ExampleCheck>)> = Vec::new();
        if let Some(bundle) = bundle {
            chosen.push((bundle, bundle_checks.clone()));
        }
        for file in files.iter().filter(|f| !f.is_bundle()) {
            let checks = checks_of(file);
            let covered = |c: &ExampleCheck| {
                bundle_checks
                    .iter()
                    .any(|b| b.pointer == c.pointer && b.value == c.value)
            };
            if !checks.iter().all(covered) {
                chosen.push((file, checks));
            }
        }
        for (file, checks) in chosen {
            let config = circle_config(&file.crate_name());
            let generated = apigen::generate(&config, &spec(file)).unwrap();
            let expected: Vec<(&str, &str, &str)> = EXPECTED_FAILURES
                .iter()
                .filter(|(p, _, _)| checks.iter().any(|c| c.pointer == *p))
                .copied()
                .collect();
            tests.push((
                file.crate_name(),
                "tests/examples.rs".to_owned(),
                examples_test(&file.crate_name(), &checks, &expected),
            ));
            *totals.entry((*version).to_owned()).or_default() += checks.len();
            crates.push((file.crate_name(), generated));
        }
    }
    println!("{} crates for {} versions", crates.len(), by_version.len());
    let root = scratch_workspace("corpus", &crates, &tests).unwrap_or_else(|e| panic!("{e}"));
    // The crates are held to `-D warnings`; the example tests are this test's scaffolding.
    cargo_in(&root, &["clippy", "--quiet", "--", "-D", "warnings"])
        .unwrap_or_else(|e| panic!("{e}"));
    // The latest version's crate documents itself without a rustdoc warning, and the example
    // in the docs of each of its operations compiles.
    let latest = by_version
        .keys()
        .max_by_key(|v| apigen_tests::corpus::version_key(v))
        .map(|v| format!("circle-{}", v.replace('.', "-")))
        .unwrap();
    apigen_tests::docs_clean(&root, &[&latest]).unwrap_or_else(|e| panic!("{e}"));
    let output = cargo_in(
        &root,
        &[
            "test",
            "--tests",
            "--no-fail-fast",
            "--quiet",
            "--",
            "--nocapture",
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));

    // EXAMPLES <crate> <passed> <total>, one line per crate.
    let mut passed: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for line in output.lines().filter_map(|l| l.strip_prefix("EXAMPLES ")) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let version = parts[0]
            .trim_start_matches("circle-")
            .split('-')
            .take(3)
            .collect::<Vec<_>>()
            .join(".");
        let entry = passed
            .entry(format!("v{}", version.trim_start_matches('v')))
            .or_default();
        entry.0 += parts[1].parse::<usize>().unwrap();
        entry.1 += parts[2].parse::<usize>().unwrap();
    }
    println!("examples round-tripped, by version (the rest are listed in EXPECTED_FAILURES):");
    let mut by_number: Vec<_> = passed.iter().collect();
    by_number.sort_by_key(|(version, _)| apigen_tests::corpus::version_key(version));
    for (version, (ok, total)) in by_number {
        println!("  {version:8} {ok:4}/{total}");
    }
    let (ok, total) = passed
        .values()
        .fold((0, 0), |(a, b), (ok, total)| (a + ok, b + total));
    println!("  all      {ok}/{total}");
    let hit: BTreeSet<&str> = output
        .lines()
        .filter_map(|l| l.strip_prefix("EXPECTED "))
        .collect();
    let stale: Vec<_> = EXPECTED_FAILURES
        .iter()
        .filter(|(p, _, _)| !hit.contains(p))
        .collect();
    assert!(
        stale.is_empty(),
        "listed as failing, but no version fails them: {stale:#?}"
    );
    let checked: usize = passed.values().map(|(_, t)| t).sum();
    assert_eq!(
        checked,
        totals.values().sum::<usize>(),
        "every crate's example test ran"
    );
    assert_eq!(passed.len(), 38, "versions with examples checked");
}

#[test]
fn the_full_client_exposes_the_81_operations_of_v2_12() {
    let file = circle_files()
        .into_iter()
        .find(|f| f.version == "v2.12.0" && f.is_bundle())
        .expect("v2.12.0 bundle");
    let generated = apigen::generate(&circle_config("circle-v2-12-0"), &spec(&file)).unwrap();
    let operations = generated.get("src/operations.rs").unwrap();
    let (api, _) = apigen::lower_spec(&spec(&file)).unwrap();
    let surface: Vec<String> = api
        .operations
        .iter()
        .map(|op| format!("{} {} {}", op.method_name, op.method.as_str(), op.path.raw))
        .collect();
    assert_eq!(surface.len(), 81);
    for op in &api.operations {
        assert!(
            operations.contains(&format!("pub fn {}(", op.method_name)),
            "{} is not a method",
            op.method_name
        );
    }
    let trading = surface
        .iter()
        .find(|s| s.contains("{trading-pair}"))
        .expect("the trading-pair operation");
    assert!(trading.starts_with("get_exchange_rates GET"), "{trading}");
    insta::assert_snapshot!("circle_v2_12_operations", surface.join("\n"));
}

/// Every public spec generates (but the OpenAPI 3.1 one, refused at its first line), and the
/// crates compile clean under `cargo clippy -- -D warnings` and document themselves without a
/// rustdoc warning: GitHub's, DigitalOcean's, Nexus's…
#[test]
fn every_public_spec_generates_and_compiles_clean_except_openapi_3_1() {
    let mut crates = Vec::new();
    for (name, path) in apigen_tests::corpus::all_shared_specs() {
        let Some(file) = name.strip_prefix("specs/public/") else {
            continue;
        };
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        let crate_name = format!(
            "public-{}",
            stem.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        );
        let spec = apigen_tests::corpus::shared_spec(&name, &path);
        match apigen::generate(&circle_config(&crate_name), &spec) {
            Ok(files) => {
                if name.ends_with("digitalocean.yaml") {
                    let clamped = files
                        .warnings()
                        .iter()
                        .filter(|w| w.code.as_deref() == Some("integer-bound-clamped"))
                        .count();
                    assert!(clamped > 0, "DigitalOcean's 64-bit overflow is clamped");
                }
                crates.push((crate_name, files));
            }
            Err(errors) => {
                let d = errors.iter().next().unwrap();
                assert!(
                    name.ends_with("-3.1.yaml")
                        && d.message.contains("OpenAPI 3.1.0 is not supported"),
                    "{name}:\n{errors}"
                );
                assert_eq!((d.line, d.column), (Some(1), Some(1)), "{d}");
            }
        }
    }
    assert_eq!(crates.len(), 17);
    let root = scratch_workspace("public", &crates, &[]).unwrap_or_else(|e| panic!("{e}"));
    cargo_in(&root, &["clippy", "--quiet", "--", "-D", "warnings"])
        .unwrap_or_else(|e| panic!("{e}"));
    // Their docs too, which hold other projects' Markdown (the examples in them are compiled
    // for Circle's latest crate only: GitHub's alone has a thousand).
    let doc = ["doc", "--no-deps", "--quiet", "--workspace"];
    apigen_tests::cargo_in_env(&root, &doc, &[("RUSTDOCFLAGS", "-D warnings")])
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn big_yaml_specs_read_in_halves_read_as_in_one_piece() {
    let mut in_halves = 0;
    for (name, path) in apigen_tests::corpus::all_shared_specs() {
        let spec = apigen_tests::corpus::shared_spec(&name, &path);
        if !apigen::load::parses_in_halves(&spec) {
            continue;
        }
        in_halves += 1;
        let halves = apigen::load::read_tree(&name, &spec.bytes).map_err(|e| e.to_string());
        let one_piece =
            apigen::load::read_tree_in_one_piece(&name, &spec.bytes).map_err(|e| e.to_string());
        assert!(halves == one_piece, "{name}");
    }
    println!("{in_halves} specs read in halves");
    // Each version's bundle and its bigger parts, and the big public YAML specs.
    assert!(in_halves > 100, "only {in_halves} specs read in halves");
}
