//! apigen turns an OpenAPI 3.0 document into a typed, async Rust client crate.
//!
//! The stages, each in its own module: [`load`] parses the spec, `lower` builds the typed
//! [`ir`], [`names`] makes every identifier valid and unique, `emit` writes Rust with `quote` and
//! `prettyplease`, and [`output`] writes or checks the files. [`generate`] runs them all in
//! memory; nothing touches the disk until [`GeneratedFiles::write_to`].
//!
//! ```no_run
//! use apigen::{Config, SpecInput, generate};
//!
//! let spec = SpecInput::read("spec/circle-checkout.yaml".as_ref())?;
//! let files = generate(&Config::new("circle-api"), &spec)?;
//! files.write_to("generated-client".as_ref())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod config;
pub mod diagnostics;
mod emit;
mod examples;
pub mod ir;
pub mod load;
pub(crate) mod lower;
pub mod names;
pub mod output;
pub mod positions;
pub mod render;
mod threads;

pub use config::{ClientEntry, Config, PaginationNames, Project};
pub use diagnostics::{Diagnostic, Diagnostics, Pointer, Severity};
pub use emit::MARKER;
pub use examples::ExampleCheck;
pub use load::SpecInput;
pub use output::{Drift, FileDrift, GeneratedFiles, OnDisk, WriteReport};
pub use render::{MessageFormat, render};

/// Generates the files of a client crate for `spec`, in memory.
///
/// On success the files come with the warnings of any degradation; on failure every error found
/// is returned (not just the first), each with its location.
pub fn generate(config: &Config, spec: &SpecInput) -> Result<GeneratedFiles, Diagnostics> {
    generate_beside(config, spec, || ()).0
}

/// [`generate`], with `beside` run on the calling thread while the spec is lowered on another,
/// and parsed unless parsing takes both cores (that thread would otherwise wait; the `apigen`
/// command reads the crate directory there, see [`OnDisk`]).
pub fn generate_beside<U>(
    config: &Config,
    spec: &SpecInput,
    beside: impl FnOnce() -> U,
) -> (Result<GeneratedFiles, Diagnostics>, U) {
    if let Err(errors) = config.validate() {
        return (Err(errors), beside());
    }
    let big = spec.bytes.len() >= BIG_SPEC;
    // Dropped (closed) by the lowering thread once the spec is parsed.
    let (parsed, cores_free) = std::sync::mpsc::channel::<()>();
    // A big spec's document is dropped on the lowering thread, which ends with it: the allocator
    // (mimalloc) then hands its memory on to the emitting threads, where a waiting thread would
    // keep it to itself (peak memory on GitHub's spec: 118 → 101 MB). A small one's is dropped
    // beside emission, where freeing it (a millisecond for Circle's) does not hold emission up.
    let lower = move |tail| {
        lower_unplaced(spec, config, Keep::ForEmission, tail, move || drop(parsed))
            .map(|(document, api, warnings)| (api, warnings, (!big).then_some(document)))
    };
    // Meanwhile this thread hashes the spec and does what the caller asked; a spec parsed in two
    // halves takes both cores while it is parsed, so then that waits until lowering starts.
    let meanwhile = |halves| {
        if halves {
            // Err once the lowering thread is past parsing, however it got there.
            let _ = cores_free.recv();
        }
        (spec_sha256(&spec.bytes), beside())
    };
    let place = |diagnostics: Diagnostics| placed(spec, diagnostics);
    let emit = |lowered, (spec_sha256, beside)| {
        let (api, warnings, document) = match lowered {
            Ok(lowered) => lowered,
            Err(errors) => return (Err(place(errors)), beside),
        };
        let (files, warnings) = std::thread::scope(|scope| {
            let placing = scope.spawn(move || {
                drop(document);
                place(warnings)
            });
            let files = stages::emit_files(&api, config, spec, big, spec_sha256);
            (files, joined(placing))
        });
        let generated = files.map(|mut files| {
            files.warnings = warnings;
            files
        });
        (generated, beside)
    };
    // A small spec is emitted as soon as it is lowered, while the lowering thread ends.
    let lowering_ends = if big { Ends::Before } else { Ends::Beside };
    on_lowering_thread(spec, lower, meanwhile, lowering_ends, emit)
}

/// The size from which a spec is big: generation then spends a little time to keep less memory.
/// It makes the files one after another rather than side by side, and the `apigen` command has
/// its allocator return freed memory at once. GitHub's 3.7 MB spec and DigitalOcean's 3 MB one
/// are big (GitHub's: 37 MB resident at the peak instead of 69 MB, in 0.55 s instead of 0.27 s);
/// Circle's 0.3 MB spec is not.
pub const BIG_SPEC: usize = 1 << 20;

/// The result of a scoped thread; its panic, if it panicked, goes on in this thread.
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Diagnostics with the file and, where the spec is text, line and column.
fn placed(spec: &SpecInput, diagnostics: Diagnostics) -> Diagnostics {
    match std::str::from_utf8(&spec.bytes) {
        Ok(text) => diagnostics.in_file(&spec.name).place_in(&spec.name, text),
        Err(_) => diagnostics,
    }
}

/// The stages of [`generate`] one at a time, for benchmarks and tools that look between them.
pub mod stages {
    use crate::{Config, Diagnostics, GeneratedFiles, SpecInput, emit, ir, load, lower};

    /// Reads the spec into a checked JSON tree and an `openapiv3` document without its path
    /// items and named examples (see [`load::Document::api`]).
    pub fn parse(spec: &SpecInput) -> Result<load::Document, Diagnostics> {
        load::parse(spec)
    }

    /// Lowers a parsed document into the IR, with its warnings (diagnostics are not placed at
    /// lines here; [`generate`](crate::generate) does that).
    pub fn lower(doc: &load::Document, config: &Config) -> (ir::Api, Diagnostics) {
        lower::lower(doc, &crate::lower_options(config, true))
    }

    /// Emits the crate's files from the IR, in memory (without warnings).
    pub fn emit(
        api: &ir::Api,
        config: &Config,
        spec: &SpecInput,
    ) -> Result<GeneratedFiles, Diagnostics> {
        let sha256 = super::spec_sha256(&spec.bytes);
        emit_files(
            api,
            config,
            spec,
            spec.bytes.len() >= super::BIG_SPEC,
            sha256,
        )
    }

    /// `text`, Rust as apigen emits it, without its `///` and `//!` lines: what the format-only
    /// floor lays out again (`examples/format_only.rs`, the `stages` bench), since apigen sets
    /// each item's doc lines aside and puts them back as text once it is laid out.
    pub fn without_doc_comments(text: &str) -> String {
        text.lines()
            .filter(|line| {
                !line.trim_start().starts_with("///") && !line.trim_start().starts_with("//!")
            })
            .flat_map(|line| [line, "\n"])
            .collect()
    }

    /// [`emit`], the files made one after another (`one_thread`) or side by side, for a spec
    /// whose [`spec_sha256`](super::spec_sha256) is `spec_sha256`.
    pub(crate) fn emit_files(
        api: &ir::Api,
        config: &Config,
        spec: &SpecInput,
        one_thread: bool,
        spec_sha256: String,
    ) -> Result<GeneratedFiles, Diagnostics> {
        let crate_version = config
            .crate_version
            .clone()
            .or_else(|| super::is_semver(&api.version).then(|| api.version.clone()))
            .unwrap_or_else(|| "0.1.0".to_owned());
        let cx = emit::Context {
            api,
            config,
            spec_name: &spec.name,
            spec_sha256,
            one_thread,
            crate_version,
            client_setup: std::sync::OnceLock::new(),
            examples: api
                .operations
                .iter()
                .map(|op| (op.method_name.clone(), std::sync::OnceLock::new()))
                .collect(),
            validated: emit::validated_types(api),
        };
        let files = emit::emit(&cx).map_err(|d| d.in_file(&spec.name))?;
        Ok(GeneratedFiles {
            files,
            warnings: Diagnostics::new(),
        })
    }
}

/// Parses and lowers a spec into the IR (with its warnings), without emitting anything.
pub fn lower_spec(spec: &SpecInput) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    lower_with(spec, &Config::new("api")).map(|(_, api, warnings)| (api, warnings))
}

/// Every `example`/`examples` value of the spec's schemas, request bodies and responses, with
/// the Rust type the crate generated with `config` has at its position.
pub fn example_checks(config: &Config, spec: &SpecInput) -> Result<Vec<ExampleCheck>, Diagnostics> {
    let (doc, api, _) = lower_with(spec, config)?;
    Ok(examples::collect(&api, &doc.raw))
}

fn lower_with(
    spec: &SpecInput,
    config: &Config,
) -> Result<(load::Document, ir::Api, Diagnostics), Diagnostics> {
    on_lowering_thread(
        spec,
        |tail| lower_unplaced(spec, config, Keep::Everything, tail, || ()),
        |_| (),
        Ends::Before,
        |lowered, ()| lowered,
    )
    .map(|(doc, api, warnings)| (doc, api, placed(spec, warnings)))
    .map_err(|d| placed(spec, d))
}

/// Stack for lowering: it recurses once per nested schema, up to `lower::MAX_NESTING` levels
/// through `$ref`s, using a few kilobytes a level (5 in a debug build). Only the pages touched
/// become memory.
pub(crate) const LOWERING_STACK: usize = 64 << 20;

/// Runs `work` (parsing and lowering `spec`) on a thread of its own with [`LOWERING_STACK`]:
/// the caller's thread may have as little as 2 MB (a test's, a worker's), which a chain of a few
/// hundred `$ref`s overflows. The caller's thread does `meanwhile` while it waits, told whether
/// the spec is parsed in halves, then `then` with both results, once the lowering thread has
/// ended or meanwhile (`ends`).
///
/// A spec parsed in halves takes both CPUs: the lowering thread parses the first half on
/// another CPU than this thread's, and the second half is parsed on this one, where it starts
/// at once as `meanwhile` waits. `meanwhile` is then woken on this CPU (the scheduler's choice
/// for a thread that slept), free again, not on the lowering thread's, where it would take
/// turns with lowering: placed the other way round, lowering took 8.8 ms instead of 4.7.
fn on_lowering_thread<T: Send, U, R>(
    spec: &SpecInput,
    work: impl FnOnce(Option<load::Tail>) -> Result<T, Diagnostics> + Send,
    meanwhile: impl FnOnce(bool) -> U,
    ends: Ends,
    then: impl FnOnce(Result<T, Diagnostics>, U) -> R,
) -> R {
    std::thread::scope(|scope| {
        let (tail, parse) = load::cut_in_halves(spec).unzip();
        let builder = std::thread::Builder::new()
            .name("apigen-lower".to_owned())
            .stack_size(LOWERING_STACK);
        // The result is sent, not returned, for `Ends::Beside`.
        let (send, lowered) = std::sync::mpsc::sync_channel(1);
        let work = move || drop(send.send(work(tail)));
        let spawned = threads::spawn(scope, builder, threads::Place::Beside, work);
        let halves = parse.is_some_and(|parse| parse.start(scope, threads::Place::Here));
        let beside = meanwhile(halves);
        let lowered = match spawned {
            Ok(handle) => {
                let lowered = threads::receive(&lowered);
                if matches!(ends, Ends::Before) || lowered.is_err() {
                    // A panic on the lowering thread goes on here.
                    joined(handle);
                }
                lowered.unwrap_or_else(|_| {
                    Err(Diagnostics::from(Diagnostic::error(
                        "internal error: lowering ended without a result; please report it \
                         with the spec",
                    )))
                })
            }
            Err(e) => Err(Diagnostics::from(Diagnostic::error(format!(
                "could not start a thread to read the spec on: {e}"
            )))),
        };
        then(lowered, beside)
    })
}

/// When [`on_lowering_thread`] goes on with what the lowering thread made.
#[derive(Clone, Copy)]
enum Ends {
    /// Once the thread has ended: what it freed as it ended is free for what follows.
    Before,
    /// At once, while the thread ends.
    Beside,
}

/// What parsing and lowering keep of a spec.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// All of it, for looking at the spec's examples.
    Everything,
    /// What emission reads: no named examples, no schema sites (peak memory on GitHub's spec
    /// 36 → 30 MB of heap).
    ForEmission,
}

/// Parses and lowers `spec`, calling `parsed` once it is parsed (or fails to parse).
fn lower_unplaced(
    spec: &SpecInput,
    config: &Config,
    keep: Keep,
    tail: Option<load::Tail>,
    parsed: impl FnOnce(),
) -> Result<(load::Document, ir::Api, Diagnostics), Diagnostics> {
    let doc = load::parse_with(spec, tail);
    parsed();
    let mut doc = doc?;
    if keep == Keep::ForEmission {
        doc.drop_named_examples();
    }
    let (api, lowered) = lower::lower(&doc, &lower_options(config, keep == Keep::Everything));
    let mut diagnostics = doc.warnings.clone();
    diagnostics.extend(lowered.in_file(&spec.name));
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok((doc, api, diagnostics))
    }
}

/// Lowering's options, from the config and whether to record [`lower::Options::schema_sites`].
fn lower_options(config: &Config, schema_sites: bool) -> lower::Options {
    lower::Options {
        idempotency_key: config.idempotency_key.clone(),
        pagination: config.pagination.clone(),
        schema_sites,
    }
}

/// SHA-256 of the spec with CRLF line endings read as LF, so a Windows checkout hashes the same.
fn spec_sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(2).position(|w| w == b"\r\n") {
        hasher.update(&rest[..at]);
        rest = &rest[at + 1..];
    }
    hasher.update(rest);
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `MAJOR.MINOR.PATCH` with numbers only: what Cargo accepts without surprises.
fn is_semver(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn spec_hash_ignores_line_endings_only() {
        let lf = super::spec_sha256(b"a: 1\nb: 2\n");
        assert_eq!(lf, super::spec_sha256(b"a: 1\r\nb: 2\r\n"));
        assert_ne!(lf, super::spec_sha256(b"a: 1\nb: 2 \n"));
        assert_eq!(
            super::spec_sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    /// A spec whose operation refers to a named example and, if `dangling`, to a schema that
    /// is not there.
    fn spec_with_named_example(dangling: bool) -> crate::SpecInput {
        let extra = if dangling {
            "        other: {$ref: '#/components/schemas/Missing'}\n"
        } else {
            ""
        };
        crate::SpecInput::new(
            "t.yaml",
            format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      \
                 operationId: getA\n      responses:\n        '200':\n          description: ok\n          \
                 content:\n            application/json:\n              schema: {{type: object, \
                 properties: {{n: {{type: integer}}}}}}\n              examples:\n                \
                 one: {{$ref: '#/components/examples/one'}}\ncomponents:\n  examples:\n    one:\n      \
                 value: {{n: 1}}\n  schemas:\n    Holder:\n      type: object\n      properties:\n{extra}"
            ),
        )
    }

    #[test]
    fn generation_drops_named_examples_only_once_every_ref_is_known_to_resolve() {
        let config = crate::Config::new("t");
        // The example's `$ref` still counts as resolving once the examples are gone.
        let spec = spec_with_named_example(false);
        let (doc, _, warnings) =
            super::lower_unplaced(&spec, &config, super::Keep::ForEmission, None, || ()).unwrap();
        assert!(!warnings.has_errors());
        assert_eq!(doc.raw["components"]["examples"], serde_json::json!({}));
        assert!(crate::generate(&config, &spec).is_ok());
        // Checking examples keeps them, and the types of schema positions.
        let checks = crate::example_checks(&config, &spec).unwrap();
        assert!(!checks.is_empty());
        let (doc, api, _) =
            super::lower_unplaced(&spec, &config, super::Keep::Everything, None, || ()).unwrap();
        assert_eq!(doc.raw["components"]["examples"]["one"]["value"]["n"], 1);
        assert!(!api.schema_sites.is_empty());
        // A dangling `$ref` keeps everything for lowering to report it where it is.
        let errors = crate::generate(&config, &spec_with_named_example(true)).unwrap_err();
        let pointers: Vec<_> = errors.errors().filter_map(|d| d.pointer.clone()).collect();
        assert_eq!(pointers, ["#/components/schemas/Holder/properties/other"]);
    }

    /// Path items are typed only as they are lowered; one that does not parse still fails the
    /// run, located in it and in the file.
    #[test]
    fn a_path_item_that_does_not_parse_fails_generation_where_it_is() {
        let spec = crate::SpecInput::new(
            "t.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
             responses: {'200': {description: ok}}\n  /b:\n    get:\n      responses: [1]\n",
        );
        let errors = crate::generate(&crate::Config::new("t"), &spec).unwrap_err();
        let errors: Vec<_> = errors.errors().collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let error = errors[0];
        assert!(
            error
                .message
                .starts_with("not a valid OpenAPI 3.0 document")
        );
        assert_eq!(error.pointer.as_deref(), Some("#/paths/~1b/get/responses"));
        assert_eq!(
            (error.file.as_deref(), error.line),
            (Some("t.yaml"), Some(9))
        );
    }

    #[test]
    fn the_format_floor_lays_out_code_without_doc_comments() {
        let text = "//! Module.\n// A note.\n/// A struct.\n    /// Its field.\npub struct A;\n";
        assert_eq!(
            super::stages::without_doc_comments(text),
            "// A note.\npub struct A;\n"
        );
    }

    /// A big spec's files, made one after another, are the files made side by side.
    #[test]
    fn files_made_on_one_thread_are_those_made_on_two() {
        let spec = spec_with_named_example(false);
        let config = crate::Config::new("t");
        let (api, _) = crate::lower_spec(&spec).unwrap();
        let emit = |one_thread| {
            let sha256 = super::spec_sha256(&spec.bytes);
            super::stages::emit_files(&api, &config, &spec, one_thread, sha256)
        };
        let (one, two) = (emit(true).unwrap(), emit(false).unwrap());
        // Docs are laid out through placeholders kept per thread (see `emit::doc`).
        assert!(one.files["src/models.rs"].contains("/// "));
        assert!(one.files.contains_key("docs/GetAResponse.md"));
        assert_eq!(one.files, two.files);
    }

    /// What runs beside generation runs on the calling thread, while the spec is lowered on
    /// another, and changes nothing generated.
    #[test]
    fn work_beside_generation_runs_on_the_calling_thread() {
        let spec = spec_with_named_example(false);
        let config = crate::Config::new("t");
        let caller = std::thread::current().id();
        let (generated, beside) =
            super::generate_beside(&config, &spec, || std::thread::current().id());
        assert_eq!(beside, caller);
        assert_eq!(generated.unwrap(), super::generate(&config, &spec).unwrap());
        // Also when the spec fails, and when the config does.
        let broken = spec_with_named_example(true);
        let (failed, ran) = super::generate_beside(&config, &broken, || true);
        assert!(failed.is_err() && ran);
        let (failed, ran) =
            super::generate_beside(&crate::Config::new("not a name"), &spec, || true);
        assert!(failed.is_err() && ran);
    }

    #[test]
    fn crate_versions_must_be_plain_semver() {
        assert!(super::is_semver("2.15.0"));
        assert!(!super::is_semver("2.15"));
        assert!(!super::is_semver("v1.0.0"));
        assert!(!super::is_semver("01.0.0"));
    }
}
