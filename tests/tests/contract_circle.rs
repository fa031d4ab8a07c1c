//! Contract against Circle's own published spec: Prism serves
//! `$APIGEN_SHARED_DIR/specs/circle/v2.15.0/circle-apis.yaml` on loopback and validates every
//! request. The committed client (from our `spec/`) calls each Checkout Sessions operation; the
//! client generated from Circle's whole v2.15 spec calls a sample of others (a JSON body with an
//! idempotency key, a path parameter, paginated lists through their streams). Any violation
//! fails the test.

use apigen_tests::corpus::{circle_config, circle_dir, shared_spec};
use apigen_tests::prism::Prism;
use apigen_tests::scratch_workspace;
use circle_api::Client;
use circle_api::models::{
    CheckoutSessionCreationRequest, CheckoutSessionMoney, CheckoutSessionMoneyCurrency,
    ExtendCheckoutSessionRequest, ListCheckoutSessionsParams,
};

const CALLS: &str = r#"//! Calls a sample of Circle operations against `CIRCLE_BASE_URL`.
use circle_v2_15_0::{Client, models};
use futures_util::StreamExt;

#[tokio::main]
async fn main() {
    let client = Client::builder()
        .base_url(std::env::var("CIRCLE_BASE_URL").expect("CIRCLE_BASE_URL"))
        .bearer_token("test-api-key")
        .build()
        .expect("a client");
    // A JSON body whose idempotency key the client fills in.
    let transfer: models::BusinessTransferCreationRequest = serde_json::from_value(serde_json::json!({
        "destination": {"type": "verified_blockchain", "addressId": "1a9bd3ab-4c6e-5c2c-a8d3-7b0d6a5c5d3f"},
        "amount": {"amount": "3.14", "currency": "USD"}
    }))
    .expect("a transfer request");
    let created = client.create_business_transfer(Some(&transfer)).await;
    println!("transfer created: {}", created.is_ok());
    // A path parameter.
    let payment = client.get_payment(uuid::Uuid::from_u128(42)).await;
    println!("payment read: {}", payment.is_ok());
    // Paginated lists, walked through their streams.
    let params = models::ListPaymentsParams { page_size: Some(2), ..Default::default() };
    let payments: Vec<_> = client.list_payments_stream(&params).take(3).collect().await;
    println!("payments listed: {}", payments.len());
    let params = models::ListCheckoutSessionsParams { page_size: Some(2), ..Default::default() };
    let sessions: Vec<_> = client.list_checkout_sessions_stream(&params).take(3).collect().await;
    println!("sessions listed: {}", sessions.len());
}
"#;

/// Every request Prism received passed its request validation. (Prism also checks its own
/// responses, built from Circle's examples, some of which break Circle's schemas; those are not
/// the client's doing and are left out.)
fn assert_no_violations(log: &str, what: &str) {
    let received = log.matches("Request received").count();
    let passed = log
        .matches("The request passed the validation rules")
        .count();
    let request_violations: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("[VALIDATOR]") && (l.contains("✖") || l.contains("Violation")))
        .collect();
    assert!(
        received > 0 && passed == received && request_violations.is_empty(),
        "{what} broke Circle's v2.15 spec, says Prism ({passed} of {received} requests \
         valid):\n{}\n\nfull log:\n{log}",
        request_violations.join("\n")
    );
}

#[test]
fn checkout_sessions_and_a_sample_of_operations_satisfy_circles_own_spec() {
    let spec_path = circle_dir().join("v2.15.0").join("circle-apis.yaml");
    let prism = Prism::start(&spec_path);

    // 1. The committed client: every Checkout Sessions operation.
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
                currency: CheckoutSessionMoneyCurrency::Usd,
            },
        };
        let id = uuid::Uuid::from_u128(7);
        let _ = client.create_checkout_session(Some(&request)).await;
        let _ = client.get_checkout_session(id).await;
        let extend = ExtendCheckoutSessionRequest {
            extend_time: Some(60),
        };
        let _ = client.extend_checkout_session(id, Some(&extend)).await;
        let params = ListCheckoutSessionsParams {
            page_size: Some(5),
            page_after: Some(id.to_string()),
            ..Default::default()
        };
        let _ = client.list_checkout_sessions(&params).await;
    });
    let log = prism.log();
    assert_eq!(log.matches("Request received").count(), 4, "{log}");
    assert_no_violations(&log, "circle-api");

    // 2. The whole v2.15 client, in its own crate, running a program of calls.
    let name = "circle-v2-15-0".to_owned();
    let config = circle_config(&name).example("calls.rs", "tests/tests/contract_circle.rs", CALLS);
    let spec = shared_spec("specs/circle/v2.15.0/circle-apis.yaml", &spec_path);
    let generated = apigen::generate(&config, &spec).unwrap();
    let root = scratch_workspace("contract-circle", &[(name.clone(), generated)], &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let before = prism.log().len();
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args(["run", "--quiet", "-p", &name, "--example", "calls"])
        .current_dir(&root)
        .env(
            "CARGO_TARGET_DIR",
            apigen_tests::workspace_root().join("target/apigen-tests/target"),
        )
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CIRCLE_BASE_URL", prism.base_url())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "transfer created:",
        "payment read:",
        "payments listed:",
        "sessions listed:",
    ] {
        assert!(stdout.contains(line), "{stdout}");
    }
    let log = prism.log()[before..].to_owned();
    assert!(log.matches("Request received").count() >= 4, "{log}");
    assert_no_violations(&log, "the v2.15 client");

    // 3. The check can fail: a request that breaks the spec is not counted as valid.
    let before = prism.log().len();
    runtime.block_on(async {
        let url = format!("{}/v1/payments/not-a-uuid", prism.base_url());
        reqwest::get(url).await.unwrap();
    });
    let log = prism.log()[before..].to_owned();
    let outcome = std::panic::catch_unwind(|| assert_no_violations(&log, "a bad request"));
    assert!(outcome.is_err(), "a bad request passed:\n{log}");
}
