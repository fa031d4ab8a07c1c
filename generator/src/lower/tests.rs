use crate::ir::{
    Api, Body, MultipartPart, Operation, Param, ParamStyle, PresenceRule, Primitive, TypeDef,
    TypeKind, TypeRef,
};
use crate::load::SpecInput;
use crate::{Diagnostics, lower_spec};

fn spec(body: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{body}")
}

fn lower_ok(body: &str) -> Api {
    let (api, _) = lower_spec(&SpecInput::new("t.yaml", spec(body))).unwrap();
    api
}

/// The API and the warnings lowering gave.
fn lower_warned(body: &str) -> (Api, Diagnostics) {
    lower_spec(&SpecInput::new("t.yaml", spec(body))).unwrap()
}

fn lower_err(body: &str) -> Diagnostics {
    lower_spec(&SpecInput::new("t.yaml", spec(body))).unwrap_err()
}

fn operation<'a>(api: &'a Api, operation_id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.operation_id == operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id}"))
}

fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.types
        .values()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
}

#[test]
fn every_dangling_ref_is_reported_with_its_pointer() {
    let errors = lower_err(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        \
         x: {$ref: '#/components/schemas/Nope1'}\n        y: {$ref: '#/components/schemas/Nope2'}\n",
    );
    let pointers: Vec<_> = errors
        .errors()
        .map(|d| d.pointer.clone().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "#/components/schemas/A/properties/x",
            "#/components/schemas/A/properties/y"
        ]
    );
    assert!(errors.iter().all(|d| d.file.as_deref() == Some("t.yaml")));
}

#[test]
fn ref_cycles_without_a_schema_are_errors() {
    let errors = lower_err(
        "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    \
         B: {$ref: '#/components/schemas/A'}\n",
    );
    assert!(
        errors.errors().any(|d| d.message.contains("cycle")),
        "{errors}"
    );
}

#[test]
fn recursive_structs_are_boxed_but_lists_are_not() {
    let api = lower_ok(
        "paths: {}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        \
         parent: {$ref: '#/components/schemas/Node'}\n        children:\n          type: array\n          \
         items: {$ref: '#/components/schemas/Node'}\n",
    );
    let TypeKind::Struct(node) = type_named(&api, "Node") else {
        panic!("not a struct")
    };
    assert!(node.fields[0].boxed);
    assert!(!node.fields[1].boxed);
}

#[test]
fn primitive_components_are_inlined_and_enums_named_from_their_path() {
    let api = lower_ok(
        "paths: {}\ncomponents:\n  schemas:\n    Id: {type: string, format: uuid}\n    Money:\n      \
         type: object\n      required: [currency]\n      properties:\n        id: {$ref: '#/components/schemas/Id'}\n        \
         currency: {type: string, enum: [USD, EUR]}\n",
    );
    let TypeKind::Struct(money) = type_named(&api, "Money") else {
        panic!("not a struct")
    };
    assert_eq!(money.fields[0].ty, TypeRef::Primitive(Primitive::Uuid));
    assert!(matches!(
        type_named(&api, "MoneyCurrency"),
        TypeKind::Enum(_)
    ));
    assert!(!api.types.values().any(|d| d.name == "Id"));
}

#[test]
fn undeclared_path_parameters_are_errors_with_a_hint() {
    let errors = lower_err(
        "paths:\n  /pairs/{trading-pair}:\n    get:\n      operationId: getPair\n      responses:\n        \
         '200': {description: ok}\n",
    );
    let d = errors.errors().next().unwrap();
    assert_eq!(d.operation_id.as_deref(), Some("getPair"));
    assert_eq!(
        d.pointer.as_deref(),
        Some("#/paths/~1pairs~1{trading-pair}/get")
    );
    assert!(d.hint.as_deref().unwrap().contains("trading-pair"));
}

#[test]
fn shared_error_responses_become_one_type_and_errors_are_typed_by_status() {
    let api = lower_ok(
        "paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {description: ok}\n        \
         '404': {$ref: '#/components/responses/NotFound'}\n  /b:\n    get:\n      operationId: b\n      \
         responses:\n        '204': {description: ok}\n        '404': {$ref: '#/components/responses/NotFound'}\n\
         components:\n  responses:\n    NotFound:\n      description: gone\n      content:\n        application/json:\n          \
         schema: {type: object, title: NotFound, properties: {code: {type: integer}}}\n",
    );
    let not_found: Vec<_> = api
        .types
        .values()
        .filter(|d| d.name.starts_with("NotFound"))
        .collect();
    assert_eq!(not_found.len(), 1);
    for op in &api.operations {
        let TypeKind::Errors(errors) = &api.types[&op.errors].kind else {
            panic!("not errors")
        };
        assert_eq!(errors.variants[0].name, "NotFound");
        assert!(matches!(
            errors.variants[0].body,
            Body::Json(TypeRef::Named(_))
        ));
        assert_eq!(op.success, Body::Empty);
    }
}

/// A Circle-style list whose items have no `id` (like `listAddresses`).
const ADDRESS_LIST: &str = "paths:\n  /addresses:\n    get:\n      operationId: listAddresses\n      \
     parameters:\n        - {name: pageAfter, in: query, schema: {type: string}}\n        \
     - {name: pageSize, in: query, schema: {type: integer}}\n      responses:\n        '200':\n          \
     description: ok\n          content:\n            application/json:\n              schema:\n                \
     properties:\n                  data: {type: array, items: {$ref: '#/components/schemas/Address'}}\n\
     components:\n  schemas:\n    Address:\n      type: object\n      required: [address]\n      \
     properties:\n        address: {type: string}\n        chain: {type: string}\n";

#[test]
fn a_list_without_item_ids_gets_no_stream_and_a_warning_until_configured() {
    let (api, warnings) = lower_spec(&SpecInput::new("t.yaml", spec(ADDRESS_LIST))).unwrap();
    assert!(api.operations[0].pagination.is_none());
    let warning = warnings
        .warnings()
        .find(|w| w.code.as_deref() == Some("pagination-without-cursor"))
        .expect("a pagination warning");
    assert_eq!(warning.operation_id.as_deref(), Some("listAddresses"));
    assert_eq!(
        warning.pointer.as_ref().map(ToString::to_string).as_deref(),
        Some("#/paths/~1addresses/get")
    );
    assert!(warning.message.contains("`Address`"), "{}", warning.message);

    let mut names = crate::PaginationNames::default();
    names
        .id_by_operation
        .insert("listAddresses".into(), "address".into());
    let config = crate::Config::new("api").pagination(names);
    let files = crate::generate(&config, &SpecInput::new("t.yaml", spec(ADDRESS_LIST))).unwrap();
    let operations = files.get("src/operations.rs").unwrap();
    assert!(
        operations.contains("pub fn list_addresses_stream<'a>("),
        "{operations}"
    );
    assert!(
        operations.contains("params.page_after = Some(id.clone());"),
        "{operations}"
    );
}

/// A JSON spec whose component schemas `S0`…`S{n-1}` each hold the next through `link`, the
/// last an object; `getX` returns `S0`.
fn chain_spec(n: usize, link: impl Fn(serde_json::Value) -> serde_json::Value) -> SpecInput {
    let mut schemas = serde_json::Map::new();
    for i in 0..n {
        let schema = if i + 1 < n {
            link(serde_json::json!({"$ref": format!("#/components/schemas/S{}", i + 1)}))
        } else {
            serde_json::json!({"type": "object", "properties": {"z": {"type": "string"}}})
        };
        schemas.insert(format!("S{i}"), schema);
    }
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}
        }}}}},
        "components": {"schemas": schemas},
    });
    SpecInput::new("t.json", spec.to_string())
}

fn too_deep_at(warnings: &Diagnostics) -> Vec<String> {
    warnings
        .warnings()
        .filter(|w| w.code.as_deref() == Some("schema-too-deep"))
        .map(|w| {
            w.pointer
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn a_ref_chain_deeper_than_the_limit_is_cut_once_with_a_warning_not_a_stack_overflow() {
    // Lowering recurses once a level: on this test's 2 MB thread 1,500 levels overflowed the
    // stack (an abort, not even a panic) before lowering got a thread of its own.
    let (api, warnings) = lower_spec(&chain_spec(
        1500,
        |next| serde_json::json!({"type": "object", "properties": {"next": next}}),
    ))
    .unwrap();
    assert_eq!(
        too_deep_at(&warnings),
        ["#/components/schemas/S1000"],
        "{warnings}"
    );
    let field = |name: &str| match type_named(&api, name) {
        TypeKind::Struct(s) => s.fields[0].ty.clone(),
        _ => panic!("{name} is not a struct"),
    };
    // Only the place where the chain was cut is untyped; S1000 still is a struct of its own.
    assert_eq!(field("S999"), TypeRef::Primitive(Primitive::Json));
    assert!(matches!(field("S998"), TypeRef::Named(_)));
    assert!(matches!(field("S1000"), TypeRef::Named(_)));
    assert!(matches!(type_named(&api, "S1499"), TypeKind::Struct(_)));
}

#[test]
fn lists_of_lists_nest_at_most_32_deep() {
    let (api, warnings) = lower_spec(&chain_spec(
        100,
        |next| serde_json::json!({"type": "array", "items": next}),
    ))
    .unwrap();
    let cut = too_deep_at(&warnings);
    assert_eq!(cut.len(), 3, "{warnings}");
    assert!(
        cut.contains(&"#/components/schemas/S66".to_owned()),
        "{cut:?}"
    );
    // S0 is `Vec<Vec<…>>` down to where the chain was cut, every 33 levels from the bottom up.
    let crate::ir::Body::Json(mut ty) = api.operations[0].success.clone() else {
        panic!("not a JSON body")
    };
    assert!(ty.nesting() <= 32, "{ty:?}");
    while let TypeRef::Array(inner) = ty {
        ty = *inner;
    }
    assert_eq!(ty, TypeRef::Primitive(Primitive::Json));
}

#[test]
fn allof_nested_past_the_limit_says_which_struct_lost_properties() {
    let (api, warnings) = lower_spec(&chain_spec(40, |next| {
        serde_json::json!({"allOf": [next, {"type": "object", "properties": {"own": {"type": "string"}}}]})
    }))
    .unwrap();
    // Parts are merged from 33 levels below a schema (S{i+1} to S{i+33}); S0…S5 have more.
    let cut = too_deep_at(&warnings);
    assert_eq!(
        cut,
        (0..=5)
            .map(|i| format!("#/components/schemas/S{i}"))
            .collect::<Vec<_>>(),
        "{warnings}"
    );
    let has_z = |name: &str| match type_named(&api, name) {
        TypeKind::Struct(s) => s.fields.iter().any(|f| f.wire == "z"),
        _ => panic!("{name} is not a struct"),
    };
    assert!(has_z("S6"));
    assert!(!has_z("S5"));
}

#[test]
fn generating_from_deep_chains_succeeds_on_a_small_stack() {
    // The whole pipeline, emission included, from a 2 MB test thread.
    for spec in [
        chain_spec(
            1200,
            |next| serde_json::json!({"type": "object", "properties": {"next": next}}),
        ),
        chain_spec(
            1200,
            |next| serde_json::json!({"type": "object", "additionalProperties": next}),
        ),
        chain_spec(
            1200,
            |next| serde_json::json!({"oneOf": [next, {"type": "string"}]}),
        ),
    ] {
        let files = crate::generate(&crate::Config::new("deep"), &spec).unwrap();
        assert!(
            files
                .get("src/models.rs")
                .unwrap()
                .contains("pub struct S1199")
        );
    }
}

/// A parameter whose value its style can write (a scalar, a list of scalars, an object of
/// those, a `oneOf` of those; under `deepObject` objects of objects too) draws no
/// `parameter-as-json` warning; one that may hold an object inside a list or inside an object
/// (beyond `deepObject`'s nesting), an untyped value, or a `oneOf` that holds itself does, and
/// those parts are sent as JSON text.
#[test]
fn only_values_a_style_cannot_write_are_sent_as_json() {
    let (_, warnings) = lower_warned(
        "paths:
  /things/{where}:
    get:
      operationId: listThings
      parameters:
        - {name: where, in: path, required: true, schema: {$ref: '#/components/schemas/Point'}}
        - {name: owner, in: query, schema: {$ref: '#/components/schemas/NameOrId'}}
        - {name: owners, in: query, schema: {type: array, items: {$ref: '#/components/schemas/NameOrId'}}}
        - {name: ids, in: query, schema: {$ref: '#/components/schemas/OneOrMore'}}
        - {name: nested, in: header, schema: {$ref: '#/components/schemas/Nested'}}
        - {name: window, in: query, schema: {type: object, properties: {from: {type: string}, tags: {type: array, items: {type: string}}}}}
        - {name: labels, in: query, schema: {type: object, additionalProperties: {type: string}}}
        - {name: either, in: query, schema: {$ref: '#/components/schemas/IdOrObject'}}
        - {name: range, in: query, style: deepObject, schema: {$ref: '#/components/schemas/Range'}}
        - {name: grid, in: query, schema: {type: array, items: {$ref: '#/components/schemas/OneOrMore'}}}
        - {name: shallow, in: query, schema: {$ref: '#/components/schemas/Range'}}
        - {name: points, in: query, style: deepObject, schema: {type: array, items: {$ref: '#/components/schemas/Point'}}}
        - {name: any, in: cookie, schema: {}}
        - {name: looped, in: query, schema: {$ref: '#/components/schemas/Loop'}}
      responses:
        '204': {description: none}
components:
  schemas:
    NameOrId:
      oneOf:
        - {type: string, format: uuid}
        - {type: string, enum: [me]}
    OneOrMore:
      oneOf:
        - {type: integer}
        - {type: array, items: {type: integer}}
    Nested:
      oneOf:
        - {$ref: '#/components/schemas/NameOrId'}
        - {type: array, items: {$ref: '#/components/schemas/NameOrId'}}
    IdOrObject:
      oneOf:
        - {type: string}
        - {type: object, properties: {id: {type: string}}}
    Point:
      type: object
      properties: {x: {type: number}, y: {type: number}}
    Range:
      type: object
      properties:
        from: {$ref: '#/components/schemas/Point'}
        to: {$ref: '#/components/schemas/Point'}
    Loop:
      oneOf:
        - {type: string}
        - {$ref: '#/components/schemas/Loop'}
",
    );
    let as_json: Vec<String> = warnings
        .warnings()
        .filter(|w| w.code.as_deref() == Some("parameter-as-json"))
        .map(|w| w.message.clone())
        .collect();
    let expected = ["grid", "shallow", "points", "any", "looped"];
    assert_eq!(as_json.len(), expected.len(), "{as_json:?}");
    for (message, name) in as_json.iter().zip(expected) {
        assert!(
            message.starts_with(&format!("parameter `{name}` may hold objects")),
            "{as_json:?}"
        );
    }
}

/// Each parameter's `style` and `explode`, with the defaults OpenAPI gives each location.
/// Styles of the path the client cannot write (`label`, `matrix`) are warned about.
#[test]
fn parameter_styles_follow_the_spec_and_its_defaults() {
    let (api, warnings) = lower_warned(
        "paths:
  /things/{a}/{b}/{c}{d}{e}:
    get:
      operationId: listThings
      parameters:
        - {name: a, in: path, required: true, schema: {type: string}}
        - {name: b, in: path, required: true, explode: true, schema: {type: string}}
        - {name: c, in: path, required: true, style: matrix, schema: {type: string}}
        - {name: d, in: path, required: true, style: label, explode: true, schema: {type: string}}
        - {name: e, in: path, required: true, style: matrix, explode: true, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
        - {name: joined, in: query, explode: false, schema: {type: string}}
        - {name: pipes, in: query, style: pipeDelimited, schema: {type: string}}
        - {name: spaces, in: query, style: spaceDelimited, schema: {type: string}}
        - {name: spread, in: query, style: pipeDelimited, explode: true, schema: {type: string}}
        - {name: deep, in: query, style: deepObject, explode: true, schema: {type: string}}
        - {name: h, in: header, schema: {type: string}}
        - {name: he, in: header, explode: true, schema: {type: string}}
        - {name: k, in: cookie, schema: {type: string}}
        - {name: kj, in: cookie, explode: false, schema: {type: string}}
      responses:
        '204': {description: none}
",
    );
    let op = operation(&api, "listThings");
    let styles = |params: &[Param]| -> Vec<(String, ParamStyle, Option<char>)> {
        params
            .iter()
            .map(|p| (p.wire.clone(), p.style, p.list_separator()))
            .collect()
    };
    let TypeKind::Params(params) = &api.types[&op.params.unwrap()].kind else {
        panic!("no parameters")
    };
    let mut all = styles(&op.path_params);
    all.extend(styles(&params.params));
    let s = |wire: &str, style, separator| (wire.to_owned(), style, separator);
    use ParamStyle::{Deep, Exploded, Joined, Label, Matrix};
    assert_eq!(
        all,
        [
            s("a", Joined(','), Some(',')),
            s("b", Exploded, Some(',')),
            s("c", Matrix { explode: false }, Some(',')),
            s("d", Label { explode: true }, Some(',')),
            s("e", Matrix { explode: true }, Some(',')),
            s("q", Exploded, None),
            s("joined", Joined(','), Some(',')),
            s("pipes", Joined('|'), Some('|')),
            s("spaces", Joined(' '), Some(' ')),
            s("spread", Exploded, None),
            s("deep", Deep, None),
            s("h", Joined(','), Some(',')),
            s("he", Exploded, Some(',')),
            s("k", Exploded, Some(',')),
            s("kj", Joined(','), Some(',')),
        ]
    );
    assert_eq!(warnings.warnings().count(), 0, "{warnings}");
}

#[test]
fn form_request_bodies_are_typed_when_they_are_objects() {
    let (api, warnings) = lower_warned(
        "paths:
  /login:
    post:
      operationId: login
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {user: {type: string}, tags: {type: array, items: {type: string}}}}
            encoding:
              user: {style: form, explode: true}
              tags: {explode: false}
      responses:
        '200':
          description: a form back, which stays bytes
          content:
            application/x-www-form-urlencoded:
              schema: {type: object}
            text/plain:
              schema: {type: string}
  /both:
    post:
      operationId: both
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object}
          application/json:
            schema: {type: object, properties: {a: {type: string}}}
      responses:
        '204': {description: none}
  /scalar:
    post:
      operationId: scalar
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: string}
      responses:
        '204': {description: none}
",
    );
    let body = |id: &str| operation(&api, id).body.as_ref().unwrap().body.clone();
    let Body::Form(TypeRef::Named(login)) = body("login") else {
        panic!("{:?}", body("login"));
    };
    assert!(matches!(api.types[&login].kind, TypeKind::Struct(_)));
    // A form response is decoded as nothing but bytes; text is preferred to it.
    assert_eq!(operation(&api, "login").success, Body::Text);
    // JSON is preferred when both are offered; a form of a string cannot be typed.
    assert!(matches!(body("both"), Body::Json(_)));
    assert_eq!(body("scalar"), Body::Binary);

    let coded: Vec<(&str, &str)> = warnings
        .warnings()
        .filter_map(|w| Some((w.code.as_deref()?, w.pointer.as_deref()?)))
        .collect();
    assert_eq!(
        coded,
        [
            (
                "form-encoding-ignored",
                "#/paths/~1login/post/requestBody/content/application~1x-www-form-urlencoded/encoding/tags"
            ),
            (
                "body-as-bytes",
                "#/paths/~1scalar/post/requestBody/content/application~1x-www-form-urlencoded"
            ),
        ]
    );
}

#[test]
fn only_bodies_whose_structure_is_lost_warn_when_taken_as_bytes() {
    let (api, warnings) = lower_warned(
        "paths:
  /file:
    put:
      operationId: putFile
      requestBody:
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        '204': {description: none}
  /image:
    put:
      operationId: putImage
      requestBody:
        content:
          image/png:
            schema: {$ref: '#/components/schemas/Blob'}
      responses:
        '204': {description: none}
  /raw:
    put:
      operationId: putRaw
      requestBody:
        content:
          application/pdf: {}
      responses:
        '204': {description: none}
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/mixed:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
                name: {type: string}
      responses:
        '204': {description: none}
components:
  schemas:
    Blob: {type: string, format: binary}
",
    );
    assert!(
        api.operations
            .iter()
            .all(|op| op.body.as_ref().unwrap().body == Body::Binary)
    );
    let as_bytes: Vec<&str> = warnings
        .warnings()
        .filter(|w| w.code.as_deref() == Some("body-as-bytes"))
        .filter_map(|w| w.pointer.as_deref())
        .collect();
    assert_eq!(
        as_bytes,
        ["#/paths/~1upload/post/requestBody/content/multipart~1mixed"]
    );
}

#[test]
fn multipart_form_bodies_are_built_part_by_part_and_list_their_parts() {
    let (api, warnings) = lower_warned(
        "paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Upload'}
      responses:
        '200':
          description: a multipart response, which stays bytes
          content:
            multipart/form-data:
              schema: {$ref: '#/components/schemas/Upload'}
  /loose:
    post:
      operationId: loose
      requestBody:
        content:
          multipart/form-data:
            schema: {type: string}
      responses:
        '204': {description: none}
  /either:
    post:
      operationId: either
      requestBody:
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Upload'}
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        '204': {description: none}
components:
  schemas:
    Upload:
      type: object
      required: [file]
      properties:
        file: {type: string, format: binary, description: The file.}
        scan: {type: string, format: byte}
        name: {$ref: '#/components/schemas/Name'}
    Name: {type: string, description: Its name.}
",
    );
    let op = |id: &str| operation(&api, id);
    let part = |name: &str, required: bool, file: bool, doc: Option<&str>| MultipartPart {
        name: name.to_owned(),
        required,
        file,
        doc: doc.map(str::to_owned),
    };
    assert_eq!(
        op("upload").body.as_ref().unwrap().body,
        Body::Multipart(vec![
            part("file", true, true, Some("The file.")),
            part("scan", false, true, None),
            part("name", false, false, Some("Its name.")),
        ])
    );
    assert_eq!(op("upload").success, Body::Binary);
    // Parts the spec does not name: the caller adds them all the same.
    assert_eq!(
        op("loose").body.as_ref().unwrap().body,
        Body::Multipart(Vec::new())
    );
    // A form is simpler to send, and typed.
    assert!(matches!(
        op("either").body.as_ref().unwrap().body,
        Body::Form(_)
    ));
    assert!(warnings.is_empty(), "{warnings}");
}

#[test]
fn operations_never_take_the_name_of_a_method_client_has() {
    // Every method of the runtime's `impl Client` blocks, private ones too (they clash as well).
    let runtime = include_str!("../../runtime/runtime.rs");
    let mut in_client = false;
    let mut methods = vec!["builder"]; // `client.rs` adds it.
    for line in runtime.lines() {
        match line {
            "impl Client {" => in_client = true,
            "}" => in_client = false,
            // Methods only, not functions inside them.
            _ if in_client && line.starts_with("    ") && !line.starts_with("     ") => {
                let line = line.trim_start();
                let line = line.strip_prefix("pub ").unwrap_or(line);
                let line = line.strip_prefix("async ").unwrap_or(line);
                if let Some(rest) = line.strip_prefix("fn ") {
                    methods.extend(rest.split(['(', '<']).next());
                }
            }
            _ => {}
        }
    }
    assert!(methods.contains(&"with_options") && methods.contains(&"exchange"));
    for method in &methods {
        assert!(
            super::operation::CLIENT_METHODS.contains(method),
            "`{method}` is not reserved"
        );
    }

    let paths: String = ["with_options", "prepare", "clone", "base_url"]
        .iter()
        .map(|id| {
            format!(
                "  /{id}:\n    get:\n      operationId: {id}\n      responses:\n        \
                 '204': {{description: none}}\n"
            )
        })
        .collect();
    let api = lower_ok(&format!("paths:\n{paths}"));
    for op in &api.operations {
        assert!(
            !super::operation::CLIENT_METHODS.contains(&op.method_name.as_str()),
            "{} became `{}`",
            op.operation_id,
            op.method_name
        );
    }
}

#[test]
fn one_of_variants_are_never_named_self() {
    let api = lower_ok(
        "paths: {}\ncomponents:\n  schemas:\n    Self: {properties: {a: {}}}\n    Result: {properties: {b: {}}}\n    \
         Either:\n      oneOf:\n        - $ref: '#/components/schemas/Self'\n        - $ref: \
         '#/components/schemas/Result'\n",
    );
    let TypeKind::OneOf(either) = type_named(&api, "Either") else {
        panic!("not a oneOf");
    };
    let names: Vec<&str> = either.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["SelfValue", "Result"]);
}

#[test]
fn limits_no_value_meets_are_dropped_with_a_warning() {
    let (api, warnings) = lower_warned(
        "paths: {}
components:
  schemas:
    Limits:
      type: object
      properties:
        n: {type: integer, minimum: 10, maximum: 1}
        edge: {type: number, minimum: 1, maximum: 1, exclusiveMaximum: true}
        same: {type: number, minimum: 1, maximum: 1}
        s: {type: string, minLength: 3, maxLength: 2, pattern: '^a'}
        l: {type: array, items: {type: string}, minItems: 2, maxItems: 1}
        ok: {$ref: '#/components/schemas/Short'}
        again: {$ref: '#/components/schemas/Short'}
    Short: {type: string, minLength: 2, maxLength: 1}
",
    );
    let TypeKind::Struct(s) = type_named(&api, "Limits") else {
        panic!("not a struct");
    };
    let field = |name: &str| {
        &s.fields
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .constraints
    };
    assert_eq!((field("n").minimum, field("n").maximum), (None, None));
    assert_eq!(field("edge").maximum, None);
    // A single allowed value is fine.
    assert_eq!(field("same").maximum, Some((1.0, false)));
    assert_eq!((field("s").min_length, field("s").max_length), (None, None));
    assert_eq!(field("s").pattern.as_deref(), Some("^a"));
    assert_eq!((field("l").min_items, field("l").max_items), (None, None));
    let at: Vec<&str> = warnings
        .warnings()
        .filter(|w| w.code.as_deref() == Some("constraints-contradict"))
        .filter_map(|w| w.pointer.as_deref())
        .collect();
    for pointer in [
        "#/components/schemas/Limits/properties/n/minimum",
        "#/components/schemas/Limits/properties/edge/minimum",
        "#/components/schemas/Limits/properties/s/minLength",
        "#/components/schemas/Limits/properties/l/minItems",
    ] {
        assert!(at.contains(&pointer), "{pointer} not in {at:?}");
    }
    // A shared schema is reported once, where it is.
    assert_eq!(
        at.iter()
            .filter(|p| **p == "#/components/schemas/Short/minLength")
            .count(),
        1,
        "{at:?}"
    );
}

/// An `anyOf` (or `oneOf`) of alternatives that only require properties (DigitalOcean's
/// firewalls: inbound rules, or outbound rules) is a rule about which properties are set, not a
/// shape: as an `allOf` part it leaves the type alone, beside properties it leaves the struct,
/// and it is reported as unchecked (not as a part that is not an object). An alternative with
/// a shape still makes the part one. Real alternatives beside an `allOf` are reported as left
/// out.
#[test]
fn required_alternatives_in_an_allof_are_a_rule_not_a_shape() {
    let (api, warnings) = lower_warned(
        "paths: {}
components:
  schemas:
    Firewall:
      type: object
      properties:
        name: {type: string}
        inbound: {type: array, items: {type: string}}
        outbound: {type: array, items: {type: string}}
    NewFirewall:
      allOf:
        - $ref: '#/components/schemas/Firewall'
        - required: [name]
        - anyOf:
            - {title: Inbound, required: [inbound]}
            - {title: Outbound, required: [outbound]}
    Holder:
      type: object
      properties:
        rules:
          allOf:
            - $ref: '#/components/schemas/Firewall'
            - oneOf:
                - required: [inbound, name]
                - required: [outbound]
        shaped:
          allOf:
            - $ref: '#/components/schemas/Firewall'
            - anyOf:
                - required: [inbound]
                - {type: object, properties: {extra: {type: string}}}
    Rules:
      type: object
      properties:
        inbound: {type: array, items: {type: string}}
        outbound: {type: array, items: {type: string}}
      anyOf:
        - required: [inbound]
        - required: [outbound]
    Partial:
      type: object
      properties:
        inbound: {type: array, items: {type: string}}
      anyOf:
        - required: [inbound]
        - required: [outbound]
    Beside:
      allOf:
        - $ref: '#/components/schemas/Firewall'
      oneOf:
        - {type: object, properties: {b: {type: string}}}
        - {type: object, properties: {c: {type: string}}}
    Anything:
      allOf:
        - $ref: '#/components/schemas/Firewall'
      oneOf:
        - {}
",
    );
    let TypeKind::Struct(new) = type_named(&api, "NewFirewall") else {
        panic!("NewFirewall is a struct of its own: it requires `name`")
    };
    let required: Vec<(&str, bool)> = new
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.required))
        .collect();
    assert_eq!(
        required,
        [("name", true), ("inbound", false), ("outbound", false)]
    );
    let TypeKind::Struct(holder) = type_named(&api, "Holder") else {
        panic!("Holder is a struct")
    };
    // Beside properties of its own too (GitHub's gist update: a description, or files, or
    // both): the object's struct, not alternatives of untyped JSON.
    let TypeKind::Struct(rules) = type_named(&api, "Rules") else {
        panic!("Rules is a struct")
    };
    assert_eq!(rules.fields.len(), 2);
    // The structs made here keep the rules, for the client to check; a rule on a type made
    // elsewhere (`Holder.rules` is `Firewall`), or naming a property the struct lacks, is not.
    let rule = |exactly_one: bool, sets: &[&[&str]]| PresenceRule {
        exactly_one,
        sets: sets
            .iter()
            .map(|set| set.iter().map(|s| (*s).to_owned()).collect())
            .collect(),
    };
    assert_eq!(rules.rules, [rule(false, &[&["inbound"], &["outbound"]])]);
    assert_eq!(new.rules, [rule(false, &[&["inbound"], &["outbound"]])]);
    let TypeKind::Struct(firewall_type) = type_named(&api, "Firewall") else {
        panic!("Firewall is a struct")
    };
    assert!(firewall_type.rules.is_empty());
    let TypeKind::Struct(partial) = type_named(&api, "Partial") else {
        panic!("Partial is a struct")
    };
    assert!(partial.rules.is_empty());
    let firewall = api
        .types
        .iter()
        .find(|(_, d)| d.name == "Firewall")
        .map(|(id, _)| *id);
    assert_eq!(
        holder.fields[0].ty,
        TypeRef::Named(firewall.unwrap()),
        "the rule leaves the type"
    );
    assert_ne!(
        holder.fields[1].ty,
        TypeRef::Named(firewall.unwrap()),
        "a shape makes a struct"
    );
    let found: Vec<(String, String, String)> = warnings
        .warnings()
        .map(|w| {
            (
                w.code.clone().unwrap_or_default(),
                w.pointer.clone().unwrap_or_default(),
                w.message.clone(),
            )
        })
        .collect();
    let at = |code: &str, pointer: &str, message: &str| {
        (code.to_owned(), pointer.to_owned(), message.to_owned())
    };
    assert_eq!(
        found,
        [
            at(
                "required-alternatives-unchecked",
                "#/components/schemas/Holder/properties/rules/allOf/1/oneOf",
                "this `oneOf` asks for exactly one of these to be set: `inbound` and `name`; \
                 `outbound`; the client does not check it, the server will"
            ),
            at(
                "allof-non-object",
                "#/components/schemas/Holder/properties/shaped/allOf/1",
                "this `allOf` part is not an object; only object parts are merged"
            ),
            at(
                "required-alternatives-unchecked",
                "#/components/schemas/Partial/anyOf",
                "this `anyOf` asks for at least one of these to be set: `inbound`; `outbound`; \
                 the client does not check it, the server will"
            ),
            // Alternatives beside an `allOf` are not typed; ones that give no shape say
            // nothing (`Anything`).
            at(
                "composition-beside-allof",
                "#/components/schemas/Beside/oneOf",
                "this `oneOf` stands beside an `allOf`; the type is the `allOf`'s and the \
                 alternatives are left out"
            ),
        ]
    );
}

#[test]
fn allof_parts_that_only_annotate_leave_the_type_and_reach_the_field() {
    let (api, warnings) = lower_warned(
        "paths: {}
components:
  schemas:
    Label:
      type: object
      properties:
        tags:
          allOf:
            - $ref: '#/components/schemas/Tags'
            - description: The label's tags.
            - readOnly: true
        colour:
          allOf:
            - $ref: '#/components/schemas/Colour'
            - {description: Its colour., deprecated: true}
        code:
          allOf:
            - $ref: '#/components/schemas/Code'
            - {minLength: 2, maxLength: 20}
        base:
          allOf:
            - $ref: '#/components/schemas/Base'
            - {type: object, description: What it is made of.}
        plain:
          allOf:
            - $ref: '#/components/schemas/Code'
        counted:
          allOf:
            - $ref: '#/components/schemas/Base'
            - required: [createdAt]
        anything:
          allOf:
            - description: Nothing but words.
            - nullable: true
        own:
          description: Its own words win.
          allOf:
            - $ref: '#/components/schemas/Code'
            - description: Not these.
        looped: {$ref: '#/components/schemas/Loop'}
        count:
          allOf:
            - {type: integer}
            - {minimum: 10}
            - {maximum: 1}
    Tags: {type: array, items: {type: string}, nullable: true}
    Colour: {type: string, enum: [red, blue]}
    Code: {type: string, description: A short code., maxLength: 12, pattern: '^[A-Z]+$'}
    Base:
      type: object
      properties:
        createdAt: {type: string}
    Loop:
      allOf:
        - $ref: '#/components/schemas/Loop'
        - description: A schema that is its own part.
",
    );
    let TypeKind::Struct(label) = type_named(&api, "Label") else {
        panic!("Label is not a struct");
    };
    let field = |wire: &str| label.fields.iter().find(|f| f.wire == wire).unwrap();
    let named = |name: &str| {
        let (id, _) = api.types.iter().find(|(_, d)| d.name == name).unwrap();
        TypeRef::Named(*id)
    };

    // The referenced types, not copies of them: no `LabelTags`, `LabelBase` or empty struct.
    let tags = field("tags");
    assert_eq!(
        tags.ty,
        TypeRef::Array(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    assert_eq!(tags.doc.as_deref(), Some("The label's tags."));
    assert!(tags.read_only && tags.nullable);
    let colour = field("colour");
    assert_eq!(colour.ty, named("Colour"));
    assert!(colour.deprecated);
    assert_eq!(colour.doc.as_deref(), Some("Its colour."));
    assert_eq!(field("base").ty, named("Base"));
    assert_eq!(field("base").doc.as_deref(), Some("What it is made of."));

    // Limits from both: the narrower of each, the referenced pattern kept.
    let code = field("code");
    assert_eq!(code.ty, TypeRef::Primitive(Primitive::String));
    assert_eq!(code.constraints.min_length, Some(2));
    assert_eq!(code.constraints.max_length, Some(12));
    assert_eq!(code.constraints.pattern.as_deref(), Some("^[A-Z]+$"));
    assert_eq!(code.doc.as_deref(), Some("A short code."));
    // A lone `$ref` in an `allOf` gives what the `$ref` alone would.
    let plain = field("plain");
    assert_eq!(
        (plain.constraints.min_length, plain.constraints.max_length),
        (None, Some(12))
    );
    assert_eq!(plain.doc.as_deref(), Some("A short code."));
    assert_eq!(field("own").doc.as_deref(), Some("Its own words win."));

    // `required` changes the struct, so that part is merged into a struct of its own.
    let TypeRef::Named(counted) = field("counted").ty else {
        panic!("counted: {:?}", field("counted").ty);
    };
    assert_ne!(field("counted").ty, named("Base"));
    let TypeKind::Struct(counted) = &api.types[&counted].kind else {
        panic!("counted is not a struct");
    };
    assert!(counted.fields.iter().all(|f| f.required), "{counted:?}");

    // Nothing says what the value is.
    assert_eq!(field("anything").ty, TypeRef::Primitive(Primitive::Json));
    assert!(field("anything").nullable);

    // Limits of different parts that no value meets together are dropped, as one part's are.
    let count = field("count");
    assert_eq!(count.ty, TypeRef::Primitive(Primitive::I64));
    assert_eq!(
        (count.constraints.minimum, count.constraints.maximum),
        (None, None)
    );

    // A schema that is its own part ends (as a recursive alias), not in a stack overflow.
    assert_eq!(field("looped").ty, TypeRef::Primitive(Primitive::Json));
    let found: Vec<_> = warnings
        .iter()
        .map(|d| {
            (
                d.code.as_deref().unwrap_or_default(),
                d.pointer.as_ref().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("recursive-alias", "#/components/schemas/Loop".to_owned()),
            (
                "constraints-contradict",
                "#/components/schemas/Label/properties/count".to_owned()
            ),
        ],
        "{warnings}"
    );
}

#[test]
fn alternatives_of_one_type_are_named_after_their_components() {
    let api = lower_ok(
        "paths: {}
components:
  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Lion'
        - {type: string}
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          lion: '#/components/schemas/Lion'
    Cat:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
    Lion:
      allOf:
        - $ref: '#/components/schemas/Cat'
        - description: A cat's shape, another tag.
",
    );
    let TypeKind::OneOf(pet) = type_named(&api, "Pet") else {
        panic!("Pet is not a oneOf");
    };
    let names: Vec<(&str, &[String])> = pet
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.tags.as_slice()))
        .collect();
    assert_eq!(
        names,
        [
            ("Cat", &["cat".to_owned()][..]),
            ("Lion", &["lion".to_owned()][..]),
            ("String", &[][..]),
        ]
    );
    assert_eq!(pet.variants[0].ty, pet.variants[1].ty);
}

#[test]
fn a_stream_method_never_takes_the_name_of_an_operation() {
    let page = "
      responses:
        '200':
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: array
                    items: {type: object, properties: {id: {type: string}}}";
    let api = lower_ok(&format!(
        "paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {{name: pageAfter, in: query, schema: {{type: string}}}}{page}
  /things/stream:
    get:
      operationId: listThings_stream
      responses:
        '204': {{description: none}}
  /others:
    get:
      operationId: listOthers
      parameters:
        - {{name: pageAfter, in: query, schema: {{type: string}}}}{page}
"
    ));
    let stream = |id: &str| {
        operation(&api, id)
            .pagination
            .as_ref()
            .map(|p| p.stream.clone())
    };
    assert_eq!(
        stream("listThings").as_deref(),
        Some("list_things_stream_2")
    );
    assert_eq!(stream("listOthers").as_deref(), Some("list_others_stream"));
    assert_eq!(stream("listThings_stream"), None);
}

#[test]
fn media_type_ranges_and_choices_let_the_caller_name_the_content_type() {
    let api = lower_ok(
        "paths:
  /assets:
    post:
      operationId: uploadAsset
      requestBody:
        content:
          '*/*':
            schema: {type: string, description: The raw file data.}
      responses:
        '204': {description: none}
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          '*/*':
            schema: {type: object, properties: {a: {type: string}}}
      responses:
        '204': {description: none}
  /images:
    post:
      operationId: uploadImage
      requestBody:
        content:
          image/*:
            schema: {type: string, format: binary}
      responses:
        '204': {description: none}
  /scans:
    post:
      operationId: uploadScan
      requestBody:
        content:
          image/png: {schema: {type: string, format: binary}}
          application/json: {schema: {type: object}}
          image/jpeg: {schema: {type: string, format: binary}}
      responses:
        '204': {description: none}
  /pdfs:
    post:
      operationId: uploadPdf
      requestBody:
        content:
          application/pdf: {schema: {type: string, format: binary}}
      responses:
        '204': {description: none}
  /notes:
    post:
      operationId: uploadNote
      requestBody:
        content:
          text/plain: {schema: {type: string}}
          text/markdown: {schema: {type: string}}
      responses:
        '204': {description: none}
  /files:
    post:
      operationId: uploadFile
      requestBody:
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
          application/zip: {schema: {type: string, format: binary}}
      responses:
        '204': {description: none}
",
    );
    let body = |id: &str| {
        let op = operation(&api, id);
        let body = op.body.as_ref().unwrap();
        (
            body.media_type.clone(),
            body.body.clone(),
            body.media_choices.clone(),
        )
    };
    let choices = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    // GitHub's release asset upload: the file's bytes, not a JSON string in quotes, of the
    // media type the caller names.
    assert_eq!(
        body("uploadAsset"),
        (
            "application/octet-stream".to_owned(),
            Body::Binary,
            choices(&["*/*"])
        )
    );
    let (media_type, thing, none) = body("createThing");
    assert_eq!(media_type, "application/json");
    assert!(matches!(thing, Body::Json(TypeRef::Named(_))), "{thing:?}");
    assert!(none.is_empty());
    assert_eq!(
        body("uploadImage"),
        (
            "application/octet-stream".to_owned(),
            Body::Binary,
            choices(&["image/*"])
        )
    );
    // JSON is preferred when offered: nothing to choose.
    let (media_type, _, none) = body("uploadScan");
    assert_eq!((media_type.as_str(), none.len()), ("application/json", 0));
    assert_eq!(
        body("uploadPdf"),
        ("application/pdf".to_owned(), Body::Binary, Vec::new())
    );
    assert_eq!(
        body("uploadNote"),
        (
            "text/plain".to_owned(),
            Body::Text,
            choices(&["text/plain", "text/markdown"])
        )
    );
    assert_eq!(
        body("uploadFile"),
        (
            "application/octet-stream".to_owned(),
            Body::Binary,
            choices(&["application/octet-stream", "application/zip"])
        )
    );
}

#[test]
fn operations_with_servers_of_their_own_are_sent_there() {
    let (api, warnings) = lower_warned(
        "servers:
  - url: https://api.example.com
paths:
  /assets:
    post:
      operationId: upload
      servers:
        - url: '{origin}/v2/'
          variables:
            origin: {default: 'https://uploads.example.com'}
      responses:
        '204': {description: none}
  /inference:
    servers:
      - url: https://inference.example.com
    post:
      operationId: infer
      responses:
        '204': {description: none}
    get:
      operationId: model
      servers:
        - url: https://models.example.com
      responses:
        '204': {description: none}
  /agent:
    post:
      operationId: askAgent
      servers:
        - url: https://{agent}
          variables:
            agent: {default: '{your-agent-url}'}
      responses:
        '204': {description: none}
  /presigned:
    put:
      operationId: putPresigned
      servers:
        - url: 'https://'
      responses:
        '204': {description: none}
  /plain:
    get:
      operationId: plain
      responses:
        '204': {description: none}
",
    );
    let server = |id: &str| operation(&api, id).server.clone();
    assert_eq!(
        server("upload").as_deref(),
        Some("https://uploads.example.com/v2")
    );
    assert_eq!(
        server("infer").as_deref(),
        Some("https://inference.example.com")
    );
    assert_eq!(
        server("model").as_deref(),
        Some("https://models.example.com")
    );
    assert_eq!(server("askAgent"), None);
    assert_eq!(server("putPresigned"), None);
    assert_eq!(server("plain"), None);
    let not_urls: Vec<String> = warnings
        .iter()
        .filter(|d| d.code.as_deref() == Some("server-not-a-url"))
        .map(|d| d.pointer.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(
        not_urls,
        [
            "#/paths/~1agent/post/servers/0/url",
            "#/paths/~1presigned/put/servers/0/url"
        ]
    );
}

/// Path parameters are the method's arguments: two that snake-case alike (`{book-id}`,
/// `{book_id}`), or one named like the method's other arguments (`params`, `body`), its
/// request (`request`) or its doc example's client (`client`), get names of their own.
#[test]
fn path_parameters_never_share_a_name() {
    let api = lower_ok(
        "paths:
  /s/{body}/{request}/{params}/{client}/{book-id}/{book_id}/{self}:
    get:
      operationId: clash
      parameters:
        - {name: body, in: path, required: true, schema: {type: string}}
        - {name: request, in: path, required: true, schema: {type: string}}
        - {name: params, in: path, required: true, schema: {type: string}}
        - {name: client, in: path, required: true, schema: {type: string}}
        - {name: book-id, in: path, required: true, schema: {type: string}}
        - {name: book_id, in: path, required: true, schema: {type: string}}
        - {name: self, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: none}
",
    );
    let names: Vec<(&str, &str)> = operation(&api, "clash")
        .path_params
        .iter()
        .map(|p| (p.wire.as_str(), p.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("body", "body_2"),
            ("request", "request_2"),
            ("params", "params_2"),
            ("client", "client_2"),
            ("book-id", "book_id"),
            ("book_id", "book_id_2"),
            ("self", "self_"),
        ]
    );
}

/// The name of the type a field, parameter or body is, or `-` when it is not a named type.
fn name_of<'a>(api: &'a Api, ty: &TypeRef) -> &'a str {
    match ty {
        TypeRef::Named(id) => &api.types[id].name,
        _ => "-",
    }
}

fn field_type<'a>(api: &'a Api, type_name: &str, field: &str) -> &'a str {
    let TypeKind::Struct(s) = type_named(api, type_name) else {
        panic!("{type_name} is not a struct")
    };
    let field = s.fields.iter().find(|f| f.wire == field).unwrap();
    name_of(api, &field.ty)
}

#[test]
fn an_inline_enum_that_repeats_a_component_enum_is_that_type() {
    // `Wallet` comes before `Chain`, so its property is lowered before the component it repeats.
    let api = lower_ok(
        "paths:\n  /wallets:\n    get:\n      operationId: listWallets\n      parameters:\n        \
         - $ref: '#/components/parameters/Chain'\n        \
         - {name: reversed, in: query, schema: {type: string, enum: [ETH, ALGO]}}\n        \
         - {name: pair, in: query, schema: {type: string, enum: [a, b]}}\n      \
         responses:\n        '200': {description: ok}\ncomponents:\n  parameters:\n    Chain:\n      \
         name: chain\n      in: query\n      schema: {type: string, enum: [ALGO, ETH]}\n  \
         schemas:\n    Wallet:\n      type: object\n      properties:\n        \
         chain: {type: string, enum: [ALGO, ETH, ALGO]}\n        kind: {type: string, enum: [card]}\n        \
         pair: {type: string, enum: [a, b]}\n        old: {type: string, enum: [x, y]}\n        \
         gone: {type: string, enum: [ALGO, ETH], deprecated: true}\n    \
         Chain: {type: string, enum: [ALGO, ETH], description: A blockchain.}\n    \
         Card: {type: string, enum: [card]}\n    Pair1: {type: string, enum: [a, b]}\n    \
         Pair2: {type: string, enum: [a, b]}\n    \
         Old: {type: string, enum: [x, y], deprecated: true}\n",
    );
    assert_eq!(field_type(&api, "Wallet", "chain"), "Chain");
    assert_eq!(
        api.types
            .values()
            .filter(|d| d.name.starts_with("Chain"))
            .count(),
        1
    );
    // A tag of one value, values two components share, and deprecated enums stay apart.
    assert_eq!(field_type(&api, "Wallet", "kind"), "WalletKind");
    assert_eq!(field_type(&api, "Wallet", "pair"), "WalletPair");
    assert_eq!(field_type(&api, "Wallet", "old"), "WalletOld");
    assert_eq!(field_type(&api, "Wallet", "gone"), "WalletGone");

    let op = operation(&api, "listWallets");
    let TypeKind::Params(params) = &api.types[&op.params.unwrap()].kind else {
        panic!("no params")
    };
    let types: Vec<&str> = params.params.iter().map(|p| name_of(&api, &p.ty)).collect();
    // The same values in another order are another type.
    assert_eq!(types, ["Chain", "ListWalletsReversed", "ListWalletsPair"]);
    let TypeDef { doc, .. } = api.types.values().find(|d| d.name == "Chain").unwrap();
    assert_eq!(doc.as_deref(), Some("A blockchain."));
}

#[test]
fn types_made_in_other_components_leave_the_schemas_their_names() {
    let api = lower_ok(
        "paths:\n  /pets:\n    post:\n      operationId: addPet\n      parameters:\n        \
         - $ref: '#/components/parameters/region'\n      \
         requestBody: {$ref: '#/components/requestBodies/pet'}\n      responses:\n        \
         '200': {$ref: '#/components/responses/pet'}\n        \
         '400': {$ref: '#/components/responses/problem'}\ncomponents:\n  parameters:\n    \
         region:\n      name: region\n      in: query\n      schema: {type: string, enum: [nyc1, sfo2]}\n  \
         requestBodies:\n    pet:\n      content:\n        application/json:\n          schema:\n            \
         type: object\n            properties:\n              name: {type: string}\n  \
         responses:\n    pet:\n      description: ok\n      content:\n        application/json:\n          \
         schema:\n            type: object\n            properties:\n              \
         pet: {$ref: '#/components/schemas/Pet'}\n              \
         owner: {type: object, properties: {name: {type: string}}}\n    problem:\n      \
         description: bad\n      content:\n        application/json:\n          schema:\n            \
         type: object\n            properties:\n              message: {type: string}\n  \
         schemas:\n    Pet:\n      type: object\n      properties:\n        name: {type: string}\n    \
         Region: {type: object, properties: {slug: {type: string}}}\n",
    );
    let op = operation(&api, "addPet");
    let Body::Json(success) = &op.success else {
        panic!("no JSON success")
    };
    assert_eq!(name_of(&api, success), "PetResponse");
    // What is made inside such a type is named after it.
    assert_eq!(field_type(&api, "PetResponse", "pet"), "Pet");
    assert_eq!(field_type(&api, "PetResponse", "owner"), "PetResponseOwner");
    let Some(Body::Json(sent)) = op.body.as_ref().map(|b| &b.body) else {
        panic!("no JSON body")
    };
    assert_eq!(name_of(&api, sent), "PetRequest");
    let TypeKind::Params(params) = &api.types[&op.params.unwrap()].kind else {
        panic!("no params")
    };
    assert_eq!(name_of(&api, &params.params[0].ty), "RegionParam");
    assert!(matches!(type_named(&api, "Region"), TypeKind::Struct(_)));
    // A component no schema is named like keeps its own name.
    assert!(matches!(type_named(&api, "Problem"), TypeKind::Struct(_)));
    assert!(!api.types.values().any(|d| d.name.ends_with('2')));
}

#[test]
fn a_title_that_repeats_its_property_name_does_not_name_the_type() {
    // `addons` comes before `state`: its property's type is made first, yet the component keeps
    // the name `State`.
    let api = lower_ok(
        "paths: {}\ncomponents:\n  schemas:\n    addons:\n      type: object\n      properties:\n        \
         type: {title: type, type: string, enum: [string, boolean]}\n        \
         flavour: {title: Taste, type: string, enum: [sweet, sour]}\n        \
         phase: {title: State, type: string, enum: [on, off]}\n    \
         state: {type: object, properties: {up: {type: boolean}}}\n",
    );
    assert_eq!(field_type(&api, "Addons", "type"), "AddonsType");
    assert_eq!(field_type(&api, "Addons", "flavour"), "Taste");
    assert_eq!(field_type(&api, "Addons", "phase"), "State2");
    assert!(matches!(type_named(&api, "State"), TypeKind::Struct(_)));
}

#[test]
fn an_allof_that_is_its_inline_part_gives_that_struct_its_rules_and_description() {
    let (api, warnings) = lower_warned(
        "paths: {}
components:
  schemas:
    Routing:
      description: Where it goes.
      allOf:
        - type: object
          properties:
            wallet: {type: string}
            address: {type: string}
            reason: {type: string}
          anyOf:
            - required: [reason]
            - required: [wallet, address]
        - oneOf:
            - required: [wallet]
            - required: [address]
",
    );
    let def = api.types.values().find(|d| d.name == "Routing").unwrap();
    assert_eq!(def.doc.as_deref(), Some("Where it goes."));
    let TypeKind::Struct(routing) = &def.kind else {
        panic!("Routing is a struct")
    };
    let rules: Vec<(bool, usize)> = routing
        .rules
        .iter()
        .map(|r| (r.exactly_one, r.sets.len()))
        .collect();
    // Its own `anyOf` once (not again as the `allOf`'s), then the other part's `oneOf`.
    assert_eq!(rules, [(false, 2), (true, 2)]);
    assert_eq!(routing.rules[0].sets[1], ["wallet", "address"]);
    assert_eq!(warnings.warnings().count(), 0, "{warnings}");
}

#[test]
fn alternatives_that_are_string_enums_make_one_open_enum() {
    let api = lower_ok(
        "paths: {}
components:
  schemas:
    Phase:
      oneOf:
        - {type: string, description: Being made., enum: [creating]}
        - {type: string, description: Up., enum: [running, creating]}
        - {type: string, enum: [stopped]}
    Known:
      type: string
      enum: [a, b]
    WithRef:
      oneOf:
        - {type: string, enum: [c]}
        - $ref: '#/components/schemas/Known'
    WithObject:
      oneOf:
        - {type: string, enum: [c]}
        - {type: object, properties: {d: {type: string}}}
",
    );
    let TypeKind::Enum(phase) = type_named(&api, "Phase") else {
        panic!("Phase is one enum")
    };
    let values: Vec<(&str, Option<&str>)> = phase
        .variants
        .iter()
        .map(|v| (v.wire.as_str(), v.doc.as_deref()))
        .collect();
    // In order, each once, with its alternative's description.
    assert_eq!(
        values,
        [
            ("creating", Some("Being made.")),
            ("running", Some("Up.")),
            ("stopped", None)
        ]
    );
    assert!(
        !api.types
            .values()
            .any(|d| d.name.starts_with("Phase") && d.name != "Phase")
    );
    // A component's enum keeps its type; other shapes stay alternatives.
    assert!(matches!(type_named(&api, "WithRef"), TypeKind::OneOf(_)));
    assert!(matches!(type_named(&api, "WithObject"), TypeKind::OneOf(_)));
}

#[test]
fn a_type_name_is_made_only_for_a_schema_that_makes_a_type() {
    use super::{Lowerer, SchemaOrRef};
    use crate::Pointer;
    let input = SpecInput::new(
        "t.yaml",
        spec(
            "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {n: {type: integer}}}\n",
        ),
    );
    let doc = crate::load::parse(&input).unwrap();
    let mut lowerer = Lowerer::new(&doc, false);
    let made = std::cell::Cell::new(0);
    let hint = || {
        made.set(made.get() + 1);
        "Inline".to_owned()
    };
    let schema =
        |value: serde_json::Value| -> openapiv3::Schema { serde_json::from_value(value).unwrap() };
    let at = Pointer::root().join("x");
    // A plain value and a `$ref` to a component need no name of their own.
    let plain = schema(serde_json::json!({"type": "array", "items": {"type": "string"}}));
    assert_eq!(
        lowerer.schema_type(SchemaOrRef::Item(&plain), &at, &hint),
        TypeRef::Array(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    let component = lowerer.schema_type(SchemaOrRef::Ref("#/components/schemas/A"), &at, &hint);
    assert_eq!(made.get(), 0);
    // An inline object makes a type, named by the hint; its properties' hints build on it.
    let object = schema(serde_json::json!({
        "type": "object",
        "properties": {"inner": {"type": "object", "properties": {"a": {"type": "string"}}}},
    }));
    let TypeRef::Named(id) = lowerer.schema_type(SchemaOrRef::Item(&object), &at.join("o"), &hint)
    else {
        panic!("an inline object is a type of its own");
    };
    assert_eq!(made.get(), 1);
    let names: Vec<&str> = lowerer.types.values().map(|d| d.name.as_str()).collect();
    assert!(names.contains(&"InlineInner"), "{names:?}");
    assert_eq!(lowerer.types[&id].name, "Inline");
    assert!(matches!(component, TypeRef::Named(_)));
}
