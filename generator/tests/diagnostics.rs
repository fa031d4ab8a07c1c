//! Every kind of bad input gives located errors (exit 1), never a panic; warnings can be denied;
//! the three message formats.

// Panicking is how a test reports failure.
#![allow(clippy::unwrap_used)]

use apigen::{Config, Diagnostic, Diagnostics, GeneratedFiles, SpecInput};
use std::path::Path;
use std::process::{Command, Output};

fn errors_of(name: &str, text: &[u8]) -> Diagnostics {
    match apigen::generate(&Config::new("bad"), &SpecInput::new(name, text)) {
        Ok(_) => panic!("{name} generated, but it is broken"),
        Err(diagnostics) => {
            assert!(diagnostics.has_errors());
            for d in &diagnostics {
                assert_eq!(d.file.as_deref(), Some(name), "{d}");
            }
            diagnostics
        }
    }
}

fn only(diagnostics: &Diagnostics) -> &Diagnostic {
    assert_eq!(diagnostics.len(), 1, "{diagnostics}");
    diagnostics.iter().next().unwrap()
}

/// Generates `text`, which must give exactly one warning, with `code`: the files and the warning.
fn warned(name: &str, text: String, code: &str) -> (GeneratedFiles, Diagnostic) {
    let generated = apigen::generate(&Config::new("warned"), &SpecInput::new(name, text)).unwrap();
    let warning = only(generated.warnings()).clone();
    assert_eq!(warning.code.as_deref(), Some(code), "{warning}");
    (generated, warning)
}

fn at(d: &Diagnostic) -> (Option<usize>, Option<usize>) {
    (d.line, d.column)
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn syntax_errors_have_their_line_and_column() {
    // (file, text, words of the error, (line, column); line 0: none)
    type Case<'a> = (&'a str, &'a [u8], &'a str, (usize, usize));
    let cases: &[Case] = &[
        ("empty.yaml", b"  \n", "empty", (0, 0)),
        (
            "bytes.yaml",
            b"openapi: 3.0.3\ninfo: {title: \xff}\n",
            "not valid UTF-8",
            (2, 15),
        ),
        (
            "indent.yaml",
            b"openapi: 3.0.3\ninfo:\n  title: t\n version: 1\n",
            "did not find expected key",
            (4, 2),
        ),
        (
            "tab.yaml",
            b"openapi: 3.0.3\ninfo:\n\ttitle: t\n",
            "cannot start any token",
            (3, 1),
        ),
        (
            "quote.yaml",
            b"openapi: 3.0.3\ninfo: {title: \"t}\n",
            "quoted scalar",
            (3, 1),
        ),
        (
            "twice.yaml",
            b"openapi: 3.0.3\nopenapi: 3.0.3\n",
            "the key `openapi` is given twice",
            // serde_yaml places errors of a mapping's content at the mapping.
            (1, 1),
        ),
        (
            "bad.json",
            b"{\"openapi\": \"3.0.3\",\n  oops}",
            "invalid JSON",
            (2, 3),
        ),
    ];
    for (name, text, words, (line, column)) in cases {
        let errors = errors_of(name, text);
        let d = only(&errors);
        assert!(d.message.contains(words), "{name}: {d}");
        if *line > 0 {
            assert_eq!(at(d), (Some(*line), Some(*column)), "{name}: {d}");
        }
    }
}

#[test]
fn documents_that_are_not_openapi_3_0_say_what_they_are() {
    let cases: &[(&str, &str, &str, Option<&str>)] = &[
        ("list.yaml", "- a\n- b\n", "the spec is a list", None),
        ("scalar.yaml", "just text\n", "the spec is a string", None),
        (
            "none.yaml",
            "info: {title: t, version: '1'}\npaths: {}\n",
            "no `openapi` version field",
            Some("openapi: 3.0.3"),
        ),
        (
            "swagger.yaml",
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "Swagger 2.0 document",
            Some("swagger2openapi"),
        ),
        (
            "four.yaml",
            "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "OpenAPI 4.0.0 is not supported",
            None,
        ),
    ];
    for (name, text, words, hint) in cases {
        let errors = errors_of(name, text.as_bytes());
        let d = only(&errors);
        assert!(d.message.contains(words), "{name}: {d}");
        if let Some(hint) = hint {
            assert!(
                d.hint.as_deref().unwrap_or("").contains(hint),
                "{name}: {d}"
            );
        }
    }
    // The Swagger error points at the `swagger` key.
    let errors = errors_of("swagger.yaml", b"swagger: '2.0'\npaths: {}\n");
    assert_eq!(at(only(&errors)), (Some(1), Some(1)));
}

#[test]
fn five_dangling_refs_give_five_errors_each_on_its_line() {
    let spec = format!(
        "{HEAD}paths:
  /a:
    get:
      operationId: getA
      parameters:
        - $ref: '#/components/parameters/Gone'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Gone1'}}
components:
  schemas:
    A:
      type: object
      properties:
        b: {{$ref: '#/components/schemas/Gone2'}}
        c: {{$ref: '#/components/schemas/Gone3'}}
        d:
          type: array
          items: {{$ref: '#/components/schemas/Gone4'}}
"
    );
    let errors = errors_of("refs.yaml", spec.as_bytes());
    let mut found: Vec<(String, usize)> = errors
        .iter()
        .map(|d| {
            assert!(d.message.contains("points at nothing"), "{d}");
            let gone = d.message.split('/').next_back().unwrap();
            (
                gone.trim_end_matches("` points at nothing").to_owned(),
                d.line.unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("Gone".to_owned(), 8),
            ("Gone1".to_owned(), 14),
            ("Gone2".to_owned(), 20),
            ("Gone3".to_owned(), 21),
            ("Gone4".to_owned(), 24),
        ]
    );
    let in_operation = errors
        .iter()
        .filter(|d| d.operation_id.as_deref() == Some("getA"))
        .count();
    assert_eq!(in_operation, 2);
}

#[test]
fn ref_cycles_undeclared_path_parameters_and_duplicate_ids() {
    let cycle = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"
    );
    let errors = errors_of("cycle.yaml", cycle.as_bytes());
    assert!(
        errors.iter().all(|d| d.message.contains("cycle")),
        "{errors}"
    );
    assert_eq!(
        errors.iter().map(|d| d.line.unwrap()).collect::<Vec<_>>(),
        [6, 7]
    );

    let undeclared = format!(
        "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: getA\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let errors = errors_of("path.yaml", undeclared.as_bytes());
    let d = only(&errors);
    assert!(d.message.contains("`{id}` is not declared"), "{d}");
    assert_eq!(d.operation_id.as_deref(), Some("getA"));
    assert_eq!(at(d), (Some(5), Some(5)));

    let duplicate = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{'204': {{description: ok}}}}\n  /b:\n    get:\n      operationId: same\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let (generated, warning) = warned("d.yaml", duplicate, "duplicate-operation-id");
    assert_eq!(at(&warning), (Some(10), Some(7)));
    let operations = generated.get("src/operations.rs").unwrap();
    assert!(operations.contains("pub fn same("));
    assert!(operations.contains("pub fn same_2("));
}

#[test]
fn a_path_without_its_slash_is_left_out_with_a_warning() {
    let spec = format!(
        "{HEAD}paths:\n  x-note: {{any: thing}}\n  users/{{id}}:\n    get:\n      operationId: getUser\n      responses: {{'204': {{description: ok}}}}\n  /teams:\n    get:\n      operationId: listTeams\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let (generated, warning) = warned("s.yaml", spec, "path-without-slash");
    assert_eq!(warning.pointer.as_deref(), Some("#/paths/users~1{id}"));
    assert_eq!(at(&warning), (Some(5), Some(3)));
    assert!(
        warning.hint.as_deref().unwrap().contains("`/users/{id}`"),
        "{warning}"
    );
    let operations = generated.get("src/operations.rs").unwrap();
    assert!(operations.contains("pub fn list_teams("));
    assert!(!operations.contains("get_user"));
}

#[test]
fn integer_bounds_beyond_64_bits_are_clamped_with_a_warning() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {{name: n, in: query, schema: {{type: integer, minimum: 0, maximum: 18446744073709552000}}}}\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let (generated, warning) = warned("big.yaml", spec, "integer-bound-clamped");
    assert_eq!(
        warning.pointer.as_deref(),
        Some("#/paths/~1a/get/parameters/0/schema/maximum")
    );
    assert_eq!(warning.line, Some(8));
    assert!(
        generated
            .get("src/operations.rs")
            .unwrap()
            .contains("9223372036854776000.0")
    );
}

#[test]
fn warnings_of_a_big_spec_are_placed_too() {
    // Big specs have their positions read on another thread while they load (from 256 KiB).
    let mut spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {{name: n, in: query, schema: {{type: string, pattern: '/^a+$/'}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n"
    );
    for i in 0..4000 {
        spec.push_str(&format!(
            "    Filler{i}:\n      type: object\n      properties:\n        name: {{type: string, description: 'filler to make the spec big'}}\n"
        ));
    }
    assert!(spec.len() > 256 * 1024);
    let (_, warning) = warned("big.yaml", spec, "javascript-pattern");
    assert_eq!(
        warning.pointer.as_deref(),
        Some("#/paths/~1a/get/parameters/0/schema/pattern")
    );
    assert_eq!(at(&warning), (Some(8), Some(55)));
}

#[test]
fn refs_into_other_files_are_loaded_relative_to_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("common")).unwrap();
    std::fs::write(
        dir.path().join("api.yaml"),
        format!(
            "{HEAD}paths:\n  /pets:\n    get:\n      operationId: listPets\n      parameters:\n        - $ref: 'common/params.yaml#/Limit'\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: 'common/pets.yaml#/components/schemas/Pet'}}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("common/pets.yaml"),
        "components:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        owner: {$ref: '#/components/schemas/Owner'}\n        friends: {type: array, items: {$ref: '#/components/schemas/Pet'}}\n    Owner:\n      type: object\n      properties:\n        name: {$ref: 'names.yaml'}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("common/names.yaml"),
        "type: string\nmaxLength: 9\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("common/params.yaml"),
        "Limit: {name: limit, in: query, schema: {type: integer}}\n",
    )
    .unwrap();
    let spec = SpecInput::read(&dir.path().join("api.yaml")).unwrap();
    let generated = apigen::generate(&Config::new("pets"), &spec).unwrap();
    assert!(generated.warnings().is_empty(), "{}", generated.warnings());
    let models = generated.get("src/models.rs").unwrap();
    assert!(models.contains("pub struct Pet {"), "{models}");
    assert!(models.contains("pub owner: Option<Owner>"), "{models}");
    assert!(models.contains("pub friends: Option<Vec<Pet>>"), "{models}");
    assert!(models.contains("pub name: Option<String>"), "{models}");
    assert!(models.contains("pub limit: Option<i64>"), "{models}");

    // A file that is not there is an error at the `$ref`; in memory, no file can be read.
    std::fs::remove_file(dir.path().join("common/names.yaml")).unwrap();
    let spec = SpecInput::read(&dir.path().join("api.yaml")).unwrap();
    let errors = apigen::generate(&Config::new("pets"), &spec).unwrap_err();
    let d = only(&errors);
    assert!(
        d.message.contains("names.yaml, which cannot be read"),
        "{d}"
    );
    assert_eq!(
        d.pointer.as_deref(),
        Some("#/components/schemas/Owner/properties/name")
    );
    let in_memory = SpecInput::new("api.yaml", spec.bytes.clone());
    let errors = apigen::generate(&Config::new("pets"), &in_memory).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors}");
    assert!(errors.iter().all(|d| d.hint.is_some()));
}

fn apigen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run apigen")
}

const WARNS: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                not: {type: string}
";

#[test]
fn message_formats_and_deny_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("w.yaml"), WARNS).unwrap();

    let human = apigen(dir.path(), &["generate", "w.yaml", "--out", "h"]);
    assert!(human.status.success());
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(
        stderr.contains(
            "warning[not-schema]: `not` cannot be expressed as a Rust type; the value is typed as `serde_json::Value`\n  --> w.yaml:12:15\n   |\n12 |               schema:\n   |               ^^^^^^ #/paths/~1a/get/responses/200/content/application~1json/schema"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "no colors when not a terminal");

    let json = apigen(
        dir.path(),
        &[
            "generate",
            "w.yaml",
            "--out",
            "j",
            "--message-format",
            "json",
        ],
    );
    assert!(json.status.success());
    let line = String::from_utf8_lossy(&json.stdout);
    let value: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(value["severity"], "warning");
    assert_eq!(value["code"], "not-schema");
    assert_eq!(value["file"], "w.yaml");
    assert_eq!(
        (value["line"].as_u64(), value["column"].as_u64()),
        (Some(12), Some(15))
    );
    assert_eq!(value["operation_id"], "getA");

    let short = apigen(
        dir.path(),
        &[
            "generate",
            "w.yaml",
            "--out",
            "s",
            "--message-format",
            "short",
        ],
    );
    assert!(
        String::from_utf8_lossy(&short.stderr).starts_with(
            "warning[not-schema]: w.yaml:12:15: #/paths/~1a/get/responses/200/content/application~1json/schema: "
        )
    );

    let denied = apigen(
        dir.path(),
        &[
            "generate",
            "w.yaml",
            "--out",
            "d",
            "--deny-warnings",
            "--message-format",
            "json",
        ],
    );
    assert_eq!(denied.status.code(), Some(1));
    let value: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&denied.stdout).trim()).unwrap();
    assert_eq!(value["severity"], "error");
    assert!(!dir.path().join("d").exists(), "nothing written");
}
