//! The generated runtime under a misbehaving network and server (loopback mock server, timings
//! made small through configuration): retries and idempotency, timeouts, pagination streams,
//! hooks, user agent, tracing and bad replies.

use circle_api::models::{
    CheckoutSessionCreationRequest, CheckoutSessionMoney, CheckoutSessionMoneyCurrency,
    ListCheckoutSessionsParams,
};
use circle_api::{CallOptions, Client, Error, RetryPolicy};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "sk_test_RUNTIME_SECRET_77";

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(50),
    }
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

fn session(id: usize) -> Value {
    json!({
        "id": uuid::Uuid::from_u128(id as u128).to_string(),
        "type": "checkout_session",
        "successUrl": "https://shop.example.org/thanks",
        "clientToken": "ck_test_abc",
        "status": "new",
        "createDate": "2026-03-02T09:15:00.000Z",
        "updateDate": "2026-03-02T09:15:00.000Z",
        "expiresOn": "2026-03-02T09:45:00.000Z",
        "amount": {"amount": "1.00", "currency": "USD"},
        "amountPaid": {"amount": "0.00", "currency": "USD"},
        "paymentIds": [],
        "paymentIntentIds": []
    })
}

/// Answers with the responses in order, then repeats the last one.
struct Sequence(Mutex<Vec<ResponseTemplate>>);

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut left = self.0.lock().unwrap();
        if left.len() > 1 {
            left.remove(0)
        } else {
            left[0].clone()
        }
    }
}

fn sequence(responses: Vec<ResponseTemplate>) -> Sequence {
    Sequence(Mutex::new(responses))
}

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

#[tokio::test]
async fn a_get_is_retried_on_503_until_it_succeeds() {
    let server = MockServer::start().await;
    let id = uuid::Uuid::from_u128(7);
    Mock::given(method("GET"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(502).insert_header("Retry-After", "0"),
            ResponseTemplate::new(200).set_body_json(json!({"data": session(7)})),
        ]))
        .mount(&server)
        .await;
    let got = client_for(&server).get_checkout_session(id).await.unwrap();
    assert_eq!(got.data.unwrap().id, id);
    assert_eq!(count(&server).await, 3);
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_can_be_turned_off_per_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let error = client
        .get_checkout_session(uuid::Uuid::nil())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(count(&server).await, 3, "1 attempt + 2 retries");

    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let once = client.with_options(CallOptions::new().max_retries(0));
    once.get_checkout_session(uuid::Uuid::nil())
        .await
        .unwrap_err();
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_post_without_idempotency_key_is_not_retried_after_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let request = CheckoutSessionCreationRequest {
        success_url: None,
        amount: CheckoutSessionMoney {
            amount: "1.00".into(),
            currency: CheckoutSessionMoneyCurrency::Usd,
        },
    };
    let error = client_for(&server)
        .create_checkout_session(Some(&request))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(count(&server).await, 1, "never a duplicated payment");
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried_with_the_same_key() {
    use kitchen_sink::models::{Location, TransferRequest, WalletLocation, WalletLocationType};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(201).set_body_json(json!({
                "id": "5d3e5f0a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "status": "pending", "amount": "1"
            })),
        ]))
        .mount(&server)
        .await;
    let client = kitchen_sink::Client::builder()
        .base_url(server.uri())
        .api_key("k")
        .retry_policy(kitchen_sink::RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            ..Default::default()
        })
        .build()
        .unwrap();
    let request = TransferRequest {
        idempotency_key: None,
        source: Location::Wallet(WalletLocation {
            r#type: WalletLocationType::Wallet,
            id: "1".into(),
        }),
        amount: "1.00".into(),
        note: None,
        tags: None,
    };
    client.create_transfer(&request).await.unwrap();
    let keys: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            body["idempotencyKey"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1], "the retry carries the same key");
}

#[tokio::test]
async fn retry_after_is_honoured_up_to_the_cap() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(sequence(vec![
            // 30 s asked for, capped at 50 ms by the policy.
            ResponseTemplate::new(429).insert_header("Retry-After", "30"),
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ResponseTemplate::new(200).set_body_json(json!({"data": session(1)})),
        ]))
        .mount(&server)
        .await;
    let started = Instant::now();
    client_for(&server)
        .get_checkout_session(uuid::Uuid::from_u128(1))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn a_slow_server_gives_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": session(1)}))
                .set_delay(Duration::from_millis(800)),
        )
        .mount(&server)
        .await;
    let client = client_for(&server).with_options(
        CallOptions::new()
            .timeout(Duration::from_millis(50))
            .max_retries(1),
    );
    let error = client
        .get_checkout_session(uuid::Uuid::from_u128(1))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(count(&server).await, 2, "a timed-out GET is retried");
}

#[tokio::test]
async fn a_stream_walks_three_pages_lazily() {
    let server = MockServer::start().await;
    let page = |ids: std::ops::Range<usize>| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": ids.map(session).collect::<Vec<_>>()}))
    };
    let after = |n: u128| uuid::Uuid::from_u128(n).to_string();
    Mock::given(method("GET"))
        .and(path("/v1/checkoutSessions"))
        .and(query_param("pageAfter", after(5)))
        .respond_with(page(6..11))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/checkoutSessions"))
        .and(query_param("pageAfter", after(10)))
        .respond_with(page(11..13))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/checkoutSessions"))
        .respond_with(page(1..6))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let params = ListCheckoutSessionsParams {
        page_size: Some(5),
        page_before: Some("ignored-after-the-first-page".into()),
        ..Default::default()
    };
    let mut stream = std::pin::pin!(client.list_checkout_sessions_stream(&params));
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.id, uuid::Uuid::from_u128(1));
    assert_eq!(
        count(&server).await,
        1,
        "pages are fetched as they are needed"
    );
    let mut ids = vec![first.id];
    while let Some(item) = stream.next().await {
        ids.push(item.unwrap().id);
    }
    let expected: Vec<_> = (1..13).map(|n| uuid::Uuid::from_u128(n as u128)).collect();
    assert_eq!(ids, expected);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests[1].url.query().unwrap_or("").contains("pageAfter"));
    assert!(!requests[1].url.query().unwrap_or("").contains("pageBefore"));
}

#[tokio::test]
async fn hooks_see_every_request_and_response_and_the_user_agent_names_both_versions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-trace", "abc"))
        .and(header("x-team", "payments"))
        .and(header("user-agent", "circle-api/2.15.0 apigen/0.1.0"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-42")
                .set_body_json(json!({"data": session(1)})),
        )
        .mount(&server)
        .await;
    let seen = Arc::new(AtomicUsize::new(0));
    let seen_in_hook = Arc::clone(&seen);
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .default_header("x-team", "payments")
        .on_request(|request| {
            request
                .headers_mut()
                .insert("x-trace", "abc".parse().unwrap());
        })
        .on_response(move |response| {
            assert_eq!(response.operation, "getCheckoutSession");
            seen_in_hook.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let response = client
        .get_checkout_session_with_response(uuid::Uuid::from_u128(1))
        .await
        .unwrap();
    assert_eq!(response.request_id(), Some("req-42"));
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn bad_replies_are_typed_errors_with_status_and_a_truncated_body() {
    let server = MockServer::start().await;
    let html = format!("<html><body>{}</body></html>", "Bad gateway. ".repeat(5000));
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/checkoutSessions/{}",
            uuid::Uuid::from_u128(1)
        )))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("X-Request-Id", "req-html")
                .set_body_raw(html.clone(), "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/checkoutSessions/{}",
            uuid::Uuid::from_u128(2)
        )))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"data\": ", "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/v1/checkoutSessions/{}",
            uuid::Uuid::from_u128(3)
        )))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client_for(&server).with_options(CallOptions::new().max_retries(0));
    match client.get_checkout_session(uuid::Uuid::from_u128(1)).await {
        Err(Error::UnexpectedStatus(e)) => {
            assert_eq!(e.status.as_u16(), 502);
            assert_eq!(e.body_len, html.len());
            assert!(e.body.len() <= 16 * 1024 && e.body.starts_with("<html>"));
            let shown = Error::<()>::UnexpectedStatus(e).to_string();
            assert!(shown.contains("request id req-html"), "{shown}");
            assert!(shown.len() < 1000, "a log line, not the page");
        }
        other => panic!("{other:?}"),
    }
    for n in [2, 3] {
        let error = client
            .get_checkout_session(uuid::Uuid::from_u128(n))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidBody(_)), "{error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    }
}

/// Collects what tracing prints.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_request_is_a_span_with_its_attempt_status_and_request_id_but_no_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-traced")
                .set_body_json(json!({"data": session(1)})),
        ]))
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    client_for(&server)
        .get_checkout_session(uuid::Uuid::from_u128(1))
        .await
        .unwrap();
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "operation=\"getCheckoutSession\"",
        "method=GET",
        "path=\"/v1/checkoutSessions/{id}\"",
        "attempt=2",
        "status=200",
        "request_id=\"req-traced\"",
        "retrying",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
    assert!(!text.contains(TOKEN), "the token never reaches traces");
    assert!(
        !text.contains("checkout_session\""),
        "bodies never reach traces"
    );
}
