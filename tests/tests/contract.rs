//! Contract: the generated clients against Prism serving their specs (`spec/circle-checkout.yaml`,
//! the kitchen sink's) on loopback.
//! Prism validates every request (method, path, parameters and their formats, headers, security,
//! body) against the spec; any violation in its log fails the test.

use apigen_tests::prism::Prism;
use apigen_tests::workspace_root;
use chrono::{TimeZone, Utc};
use circle_api::Client;
use circle_api::models::{
    CheckoutSessionCreationRequest, CheckoutSessionMoney, CheckoutSessionMoneyCurrency,
    ExtendCheckoutSessionRequest, ListCheckoutSessionsParams,
};
use std::process::Command;

fn assert_no_violations(prism: &Prism, log: &str, what: &str) {
    let violations = Prism::violations(log);
    assert!(
        violations.is_empty(),
        "{what} broke the spec, says Prism at {}:\n{}\n\nfull log:\n{log}",
        prism.base_url(),
        violations.join("\n")
    );
}

#[test]
fn the_checkout_example_and_every_operation_satisfy_the_spec() {
    let prism = Prism::start(&workspace_root().join("spec/circle-checkout.yaml"));

    // 1. The real example program: create → get → extend → list.
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "run",
            "--quiet",
            "-p",
            "circle-api",
            "--example",
            "checkout",
        ])
        .current_dir(workspace_root())
        .env("CIRCLE_BASE_URL", prism.base_url())
        .env("CIRCLE_API_KEY", "test-api-key")
        .output()
        .expect("run the example");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "examples/checkout.rs failed against Prism:\n{stdout}\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        prism.log()
    );
    for step in ["created ", "read ", "extended ", "listed "] {
        assert!(
            stdout.contains(step),
            "the example did not print {step:?}:\n{stdout}"
        );
    }
    assert_no_violations(&prism, &prism.log(), "examples/checkout.rs");

    // 2. Every operation with every parameter set, including RFC 3339 dates in the query.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = Client::builder()
            .base_url(prism.base_url())
            .bearer_token("test-api-key")
            .build()
            .unwrap();
        let request = CheckoutSessionCreationRequest {
            success_url: Some("https://shop.example.org/thanks".to_owned()),
            amount: CheckoutSessionMoney {
                amount: "1.00".to_owned(),
                currency: CheckoutSessionMoneyCurrency::Eth,
            },
        };
        let created = client
            .create_checkout_session(Some(&request))
            .await
            .unwrap();
        let id = created.data.unwrap().id;
        client.create_checkout_session(None).await.unwrap();
        client.get_checkout_session(id).await.unwrap();
        client
            .extend_checkout_session(
                id,
                Some(&ExtendCheckoutSessionRequest {
                    extend_time: Some(60),
                }),
            )
            .await
            .unwrap();
        client.extend_checkout_session(id, None).await.unwrap();
        let params = ListCheckoutSessionsParams {
            from: Some(Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()),
            to: Some(Utc.with_ymd_and_hms(2026, 3, 31, 23, 59, 59).unwrap()),
            page_before: None,
            page_after: Some(id.to_string()),
            page_size: Some(5),
        };
        client.list_checkout_sessions(&params).await.unwrap();
        let params = ListCheckoutSessionsParams {
            page_before: Some(id.to_string()),
            ..Default::default()
        };
        client.list_checkout_sessions(&params).await.unwrap();
    });
    let log = prism.log();
    assert_eq!(
        log.matches("Request received").count(),
        11,
        "every call reached Prism:\n{log}"
    );
    assert_no_violations(&prism, &log, "the client");

    // 3. The check above can fail: a request that breaks the spec shows up as a violation.
    let before = log.len();
    runtime.block_on(async {
        let response = reqwest::get(format!(
            "{}/v1/checkoutSessions/not-a-uuid",
            prism.base_url()
        ))
        .await
        .unwrap();
        assert!(response.status().is_client_error());
    });
    let after = prism.log();
    assert!(
        !Prism::violations(&after[before..]).is_empty(),
        "Prism reported no violation for a bad request:\n{after}"
    );
}

/// Prism serving the kitchen-sink spec, a client of it, and a runtime to call it from.
fn kitchen_sink_under_prism() -> (Prism, kitchen_sink::Client, tokio::runtime::Runtime) {
    let prism = Prism::start(&workspace_root().join("tests/kitchen-sink-spec/kitchen-sink.yaml"));
    let client = kitchen_sink::Client::builder()
        .base_url(prism.base_url())
        .api_key("test-api-key")
        .build()
        .unwrap();
    (prism, client, tokio::runtime::Runtime::new().unwrap())
}

/// A multipart body as the generated client builds it is one Prism reads part by part and finds
/// as the kitchen-sink spec describes it; a part that breaks its schema is reported, so the
/// check can fail.
#[test]
fn a_multipart_body_satisfies_the_spec() {
    let (prism, client, runtime) = kitchen_sink_under_prism();
    let body = kitchen_sink::runtime::Multipart::new()
        .file(
            "file",
            "report.pdf",
            "application/pdf",
            b"%PDF-1.7\r\n".to_vec(),
        )
        .text("title", "Quarterly \"report\"")
        .text("pages", "12");
    runtime
        .block_on(client.upload_document(&body))
        .unwrap_or_else(|e| panic!("{e}\n{}", prism.log()));
    let log = prism.log();
    assert!(log.contains("Request received"), "{log}");
    assert_no_violations(&prism, &log, "a multipart body");

    let wrong = kitchen_sink::runtime::Multipart::new()
        .file("file", "report.pdf", "application/pdf", b"%PDF".to_vec())
        .text("title", "t")
        .text("pages", "many");
    let _ = runtime.block_on(client.upload_document(&wrong));
    let log = prism.log();
    assert!(
        !Prism::violations(&log).is_empty(),
        "Prism found nothing wrong with `pages: many`:\n{log}"
    );
}

/// Objects in the query and in headers, as the generated client writes them for each style
/// (`deepObject`, `form` not exploded, `simple`), are what Prism reads back from the spec; the
/// same objects as JSON text, as the client sent them before, are reported, so the check can
/// fail.
#[test]
fn objects_in_parameters_satisfy_the_spec() {
    use kitchen_sink::models::{
        SearchOrdersAmount, SearchOrdersAmountTotal, SearchOrdersBoxModel, SearchOrdersCreated,
        SearchOrdersCreated2, SearchOrdersParams, SearchOrdersXBox, SearchOrdersXWindow,
    };
    let (prism, client, runtime) = kitchen_sink_under_prism();
    let params = SearchOrdersParams {
        created: Some(SearchOrdersCreated::SearchOrdersCreated2(
            SearchOrdersCreated2 {
                gt: Some(1_700_000_000),
                lt: Some(1_800_000_000),
            },
        )),
        amount: Some(SearchOrdersAmount {
            total: Some(SearchOrdersAmountTotal { gte: Some(5) }),
            currencies: None,
        }),
        metadata: Some([("order".to_owned(), "a&b".to_owned())].into()),
        r#box: Some(SearchOrdersBoxModel {
            lat: Some(1.5),
            lon: Some(-2.0),
        }),
        x_window: Some(SearchOrdersXWindow {
            from: Some("2026-11-01".to_owned()),
            to: Some("2026-11-30".to_owned()),
        }),
        x_box: Some(SearchOrdersXBox {
            lat: Some(1.5),
            lon: Some(-2.0),
        }),
    };
    runtime
        .block_on(client.search_orders(&params))
        .unwrap_or_else(|e| panic!("{e}\n{}", prism.log()));
    let log = prism.log();
    assert!(log.contains("Request received"), "{log}");
    assert_no_violations(&prism, &log, "objects in parameters");

    let json_text = runtime.block_on(
        reqwest::Client::new()
            .get(format!("{}/orders", prism.base_url()))
            .header("X-Api-Key", "test-api-key")
            // Prism fails on an object header that is absent, so these are sent too.
            .header("X-Window", r#"{"from":"2026-11-01"}"#)
            .header("X-Box", r#"{"lat":1.5}"#)
            .query(&[
                ("created", r#"{"gt":1700000000}"#),
                ("box", r#"{"lat":1.5}"#),
            ])
            .send(),
    );
    assert!(json_text.is_ok(), "{json_text:?}\n{}", prism.log());
    let log = prism.log();
    assert!(
        !Prism::violations(&log).is_empty(),
        "Prism found nothing wrong with objects sent as JSON text:\n{log}"
    );
}
