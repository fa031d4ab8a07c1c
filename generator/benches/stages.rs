//! Time of each stage of generation on real specs, beside two floors: parsing the same file into
//! `openapiv3::OpenAPI` and nothing else (`serde_yaml` for YAML, `serde_json` for JSON), and
//! laying out the Rust that emission writes again with `syn` + `prettyplease` (one thread).
//!
//! ```sh
//! cargo bench -p apigen --bench stages             # measure
//! cargo bench -p apigen --bench stages -- --test   # run each benchmark once
//! ```
//!
//! The specs are read in place from the shared folder (`APIGEN_SHARED_DIR`, default `../shared`
//! beside the checkout): Circle's v2.15.0 bundle and GitHub's API (the largest public spec).

use apigen::{Config, SpecInput, stages};
use criterion::{BenchmarkId, Criterion};
use std::path::PathBuf;
use std::time::Duration;

// The allocator of the `apigen` binary, so stages cost here what they cost there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn shared_dir() -> PathBuf {
    match std::env::var_os("APIGEN_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    }
}

fn specs() -> Vec<(&'static str, PathBuf)> {
    let specs = shared_dir().join("specs");
    vec![
        (
            "circle-v2.15.0",
            specs.join("circle/v2.15.0/circle-apis.yaml"),
        ),
        ("github", specs.join("public/progenitor-github-api.json")),
    ]
}

fn floor(bytes: &[u8], json: bool) -> openapiv3::OpenAPI {
    if json {
        serde_json::from_slice(bytes).expect("the spec parses")
    } else {
        serde_yaml::from_slice(bytes).expect("the spec parses")
    }
}

/// Laying out `texts` again without their doc comments, which apigen sets aside and puts back
/// as text (see `examples/format_only.rs`).
fn format_floor(texts: &[String]) -> usize {
    texts
        .iter()
        .map(|text| prettyplease::unparse(&syn::parse_file(text).expect("the output parses")).len())
        .sum()
}

fn stages_of(c: &mut Criterion) {
    let mut group = c.benchmark_group("stages");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for (name, path) in specs() {
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (set APIGEN_SHARED_DIR)", path.display()));
        let json = path.extension().is_some_and(|e| e == "json");
        let spec = SpecInput::new(path.display().to_string(), bytes.clone());
        let config = Config::new("bench-client");

        group.bench_with_input(BenchmarkId::new("parse_floor", name), &bytes, |b, bytes| {
            b.iter(|| floor(bytes, json))
        });
        // The JSON tree alone, the bulk of loading: a big YAML spec in two halves side by side
        // (as generation reads it), and in one piece on one thread.
        group.bench_with_input(BenchmarkId::new("tree", name), &spec, |b, spec| {
            b.iter(|| apigen::load::read_tree(&spec.name, &spec.bytes).expect("reads"))
        });
        group.bench_with_input(
            BenchmarkId::new("tree_in_one_piece", name),
            &spec,
            |b, spec| {
                b.iter(|| {
                    apigen::load::read_tree_in_one_piece(&spec.name, &spec.bytes).expect("reads")
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("load", name), &spec, |b, spec| {
            b.iter(|| stages::parse(spec).expect("loads"))
        });
        let doc = stages::parse(&spec).expect("loads");
        group.bench_with_input(BenchmarkId::new("lower", name), &doc, |b, doc| {
            b.iter(|| stages::lower(doc, &config))
        });
        let (api, _) = stages::lower(&doc, &config);
        group.bench_with_input(BenchmarkId::new("emit", name), &api, |b, api| {
            b.iter(|| stages::emit(api, &config, &spec).expect("emits"))
        });
        // The least emission can cost with `syn` + `prettyplease`: laying out its Rust again.
        let emitted = stages::emit(&api, &config, &spec).expect("emits");
        let laid_out: Vec<String> = emitted
            .files()
            .iter()
            .filter(|(path, _)| path.ends_with(".rs") && *path != "src/runtime.rs")
            .map(|(_, text)| stages::without_doc_comments(text))
            .collect();
        group.bench_with_input(
            BenchmarkId::new("format_floor", name),
            &laid_out,
            |b, texts| b.iter(|| format_floor(texts)),
        );
        group.bench_with_input(BenchmarkId::new("generate", name), &spec, |b, spec| {
            b.iter(|| apigen::generate(&config, spec).expect("generates"))
        });
    }
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    stages_of(&mut criterion);
    criterion.final_summary();
}
