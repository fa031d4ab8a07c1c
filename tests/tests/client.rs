//! The generated Circle client against a local mock server (loopback only): what goes on the
//! wire, and how every kind of answer comes back.

use chrono::{TimeZone, Utc};
use circle_api::models::{
    CheckoutSessionCreationRequest, CheckoutSessionMoney, CheckoutSessionMoneyCurrency,
    CheckoutSessionStatus, ExtendCheckoutSessionRequest, GetCheckoutSessionError,
    ListCheckoutSessionsParams,
};
use circle_api::{Client, Error, Server};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const TOKEN: &str = "sk_test_TOPSECRET_0b9f1c";
const SESSION_ID: &str = "0f6f3c1e-7a52-4c8e-9a41-3b2d7c1e5a90";

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

fn session(status: &str) -> Value {
    json!({
        "id": SESSION_ID,
        "type": "checkout_session",
        "successUrl": "https://shop.example.org/thanks",
        "clientToken": "ck_test_abc",
        "status": status,
        "createDate": "2026-03-02T09:15:00.000Z",
        "updateDate": "2026-03-02T09:15:00.000Z",
        "expiresOn": "2026-03-02T09:45:00.000Z",
        "amount": {"amount": "12.50", "currency": "USD"},
        "amountPaid": {"amount": "0.00", "currency": "USD"},
        "paymentIds": [],
        "paymentIntentIds": []
    })
}

fn creation_request() -> CheckoutSessionCreationRequest {
    CheckoutSessionCreationRequest {
        success_url: Some("https://shop.example.org/thanks".to_owned()),
        amount: CheckoutSessionMoney {
            amount: "12.50".to_owned(),
            currency: CheckoutSessionMoneyCurrency::Usd,
        },
    }
}

/// `mock`, answered once with `status` and an active session.
fn once_with_session(mock: MockBuilder, status: u16) -> Mock {
    mock.respond_with(
        ResponseTemplate::new(status).set_body_json(json!({"data": session("active")})),
    )
    .expect(1)
}

fn id() -> Uuid {
    SESSION_ID.parse().unwrap()
}

#[tokio::test]
async fn create_sends_the_body_as_json_with_auth_and_decodes_201() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/checkoutSessions"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_json(json!({
            "successUrl": "https://shop.example.org/thanks",
            "amount": {"amount": "12.50", "currency": "USD"}
        })))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "7f1c9a3e-2b4d-4e6f-8a0c-1e3d5f7a9b2c")
                .set_body_json(json!({"data": session("active")})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let response = client_for(&server)
        .create_checkout_session_with_response(Some(&creation_request()))
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.request_id(),
        Some("7f1c9a3e-2b4d-4e6f-8a0c-1e3d5f7a9b2c")
    );
    let created = response.into_inner().data.unwrap();
    assert_eq!(created.id, id());
    assert_eq!(created.status, CheckoutSessionStatus::Active);
    assert_eq!(created.amount.amount, "12.50");

    let requests = server.received_requests().await.unwrap();
    let agent = requests[0]
        .headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(agent.starts_with("circle-api/2.15.0 apigen/"), "{agent}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_borrows_only_the_client_and_can_be_spawned() {
    let server = MockServer::start().await;
    once_with_session(
        Mock::given(method("POST"))
            .and(path("/v1/checkoutSessions"))
            .and(body_json(json!({
                "successUrl": "https://shop.example.org/thanks",
                "amount": {"amount": "12.50", "currency": "USD"}
            }))),
        201,
    )
    .mount(&server)
    .await;
    once_with_session(
        Mock::given(method("GET")).and(path(format!("/v1/checkoutSessions/{SESSION_ID}"))),
        200,
    )
    .mount(&server)
    .await;

    let client = client_for(&server);
    // The body is a temporary, gone before the call is awaited: the method encoded it already.
    let call = client.create_checkout_session(Some(&creation_request()));
    assert_eq!(call.await.unwrap().data.unwrap().id, id());
    // With an owned client the future is `Send + 'static`: it runs on another worker thread.
    let task = tokio::spawn(async move { client.get_checkout_session(id()).await });
    assert_eq!(task.await.unwrap().unwrap().data.unwrap().id, id());
}

#[tokio::test]
async fn an_absent_optional_body_sends_no_body_at_all() {
    let server = MockServer::start().await;
    once_with_session(
        Mock::given(method("POST")).and(path("/v1/checkoutSessions")),
        201,
    )
    .mount(&server)
    .await;

    client_for(&server)
        .create_checkout_session(None)
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert!(
        request.body.is_empty(),
        "body: {:?}",
        String::from_utf8_lossy(&request.body)
    );
    assert!(request.headers.get("content-type").is_none());
}

#[tokio::test]
async fn get_and_extend_put_the_id_in_the_path() {
    let server = MockServer::start().await;
    once_with_session(
        Mock::given(method("GET")).and(path(format!("/v1/checkoutSessions/{SESSION_ID}"))),
        200,
    )
    .mount(&server)
    .await;
    once_with_session(
        Mock::given(method("POST"))
            .and(path(format!("/v1/checkoutSessions/{SESSION_ID}/extend")))
            .and(body_json(json!({"extendTime": 30}))),
        201,
    )
    .mount(&server)
    .await;

    let client = client_for(&server);
    let got = client.get_checkout_session(id()).await.unwrap();
    assert_eq!(got.data.unwrap().id, id());
    let longer = client
        .extend_checkout_session(
            id(),
            Some(&ExtendCheckoutSessionRequest {
                extend_time: Some(30),
            }),
        )
        .await
        .unwrap();
    assert_eq!(longer.data.unwrap().id, id());
}

/// A base URL with a path (a gateway, a proxy) keeps it in front of every operation's path,
/// with or without a trailing slash, and the query follows the whole path.
#[tokio::test]
async fn a_base_url_with_a_path_prefixes_every_request() {
    let server = MockServer::start().await;
    once_with_session(
        Mock::given(method("GET")).and(path(format!(
            "/gateway/circle%20v1/v1/checkoutSessions/{SESSION_ID}"
        ))),
        200,
    )
    .mount(&server)
    .await;
    Mock::given(method("GET"))
        .and(path("/gateway/circle%20v1/v1/checkoutSessions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;

    for base in ["/gateway/circle%20v1", "/gateway/circle%20v1/"] {
        let client = Client::builder()
            .base_url(format!("{}{base}", server.uri()))
            .bearer_token(TOKEN)
            .build()
            .unwrap();
        assert_eq!(
            client.base_url(),
            format!("{}/gateway/circle%20v1", server.uri())
        );
        if base.ends_with('/') {
            let params = ListCheckoutSessionsParams {
                page_size: Some(5),
                ..Default::default()
            };
            client.list_checkout_sessions(&params).await.unwrap();
        } else {
            client.get_checkout_session(id()).await.unwrap();
        }
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].url.query(), Some("pageSize=5"));
}

/// A query in the base URL (an API version a gateway wants, say) goes with every request,
/// before the operation's own parameters and untouched, even when it ends in `/`. A fragment is
/// refused: it would never be sent.
#[tokio::test]
async fn a_query_in_the_base_url_goes_with_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gw/v1/checkoutSessions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(2)
        .mount(&server)
        .await;
    let base = format!("{}/gw/?api-version=2024-01-01&next=/", server.uri());
    let client = Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    assert_eq!(
        client.base_url(),
        format!("{}/gw?api-version=2024-01-01&next=/", server.uri())
    );
    let params = ListCheckoutSessionsParams {
        page_size: Some(5),
        ..Default::default()
    };
    client.list_checkout_sessions(&params).await.unwrap();
    client
        .list_checkout_sessions(&Default::default())
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some("api-version=2024-01-01&next=/&pageSize=5")
    );
    assert_eq!(
        requests[1].url.query(),
        Some("api-version=2024-01-01&next=/")
    );

    let error = Client::builder()
        .base_url("https://user:secret@api.example.test/v1#top")
        .build()
        .unwrap_err()
        .to_string();
    assert!(error.contains("fragment"), "{error}");
    assert!(!error.contains("secret"), "{error}");
}

/// Credentials in the base URL (`http://user:password@host`) are sent as HTTP Basic, as reqwest
/// does, unless the operation's own credential sets `Authorization`. The URL the client keeps,
/// `Debug` output and error messages never show them.
#[tokio::test]
async fn credentials_in_the_base_url_are_sent_as_basic_and_never_shown() {
    let server = MockServer::start().await;
    // RFC 7617's example: Aladdin, "open sesame".
    for authorization in [
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".to_owned(),
        format!("Bearer {TOKEN}"),
    ] {
        once_with_session(
            Mock::given(method("GET")).and(header("authorization", authorization.as_str())),
            200,
        )
        .mount(&server)
        .await;
    }
    let builder = Client::builder().base_url(format!(
        "http://Aladdin:open%20sesame@{}/",
        server.address()
    ));
    assert!(!format!("{builder:?}").contains("sesame"), "{builder:?}");
    let client = builder.clone().build().unwrap();
    assert_eq!(client.base_url(), server.uri());
    assert!(!format!("{client:?}").contains("sesame"), "{client:?}");
    client.get_checkout_session(id()).await.unwrap();
    let with_token = builder.bearer_token(TOKEN).build().unwrap();
    with_token.get_checkout_session(id()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get_all("authorization").iter().count() == 1)
    );

    // Nothing listens on port 9 of loopback: the error names the URL, without the password.
    let offline = Client::builder()
        .base_url("http://Aladdin:open%20sesame@127.0.0.1:9")
        .build()
        .unwrap();
    let error = offline.get_checkout_session(id()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let debug = format!("{error:?}");
    assert!(debug.contains("127.0.0.1:9"), "{debug}");
    for text in [debug, error.to_string()] {
        assert!(!text.contains("sesame"), "{text}");
    }
    // Nor does refusing a base URL, whether it parses (another scheme, with or without `//`)
    // or not (a bad port, and an `@` in the password).
    for bad in [
        "ftp://Aladdin:open%20sesame@127.0.0.1/",
        "ftp:Aladdin:open%20sesame@127.0.0.1",
        "http://Aladdin:open@sesame@127.0.0.1:99999/",
    ] {
        let error = Client::builder().base_url(bad).build().unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(text.contains("not an absolute http(s) URL"), "{text}");
        assert!(text.contains("127.0.0.1"), "{text}");
        assert!(!text.contains("sesame"), "{text}");
    }
}

#[tokio::test]
async fn list_sends_rfc3339_dates_and_encoded_cursors_in_the_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/checkoutSessions"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [session("completed")]})),
        )
        .expect(2)
        .mount(&server)
        .await;

    let client = client_for(&server);
    let params = ListCheckoutSessionsParams {
        from: Some(Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()),
        to: Some(
            Utc.with_ymd_and_hms(2026, 3, 31, 23, 59, 59).unwrap()
                + chrono::Duration::milliseconds(999),
        ),
        page_before: None,
        page_after: Some("a b&c=d".to_owned()),
        page_size: Some(5),
    };
    let page = client.list_checkout_sessions(&params).await.unwrap();
    assert_eq!(
        page.data.unwrap()[0].status,
        CheckoutSessionStatus::Completed
    );
    client
        .list_checkout_sessions(&ListCheckoutSessionsParams::default())
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some(
            "from=2026-03-01T00%3A00%3A00Z&to=2026-03-31T23%3A59%3A59.999Z&pageAfter=a+b%26c%3Dd&pageSize=5"
        )
    );
    assert_eq!(
        requests[1].url.query(),
        None,
        "no parameters, no query string"
    );
}

/// The three documented errors have the same shape; only the status tells them apart.
#[tokio::test]
async fn errors_are_typed_by_status_with_the_request_id() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    for (status, code) in [(400, 2), (401, 401), (404, 404)] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("X-Request-Id", format!("req-{status}").as_str())
                    .set_body_json(json!({"code": code, "message": "nope"})),
            )
            .mount(&server)
            .await;
        let error = client.get_checkout_session(id()).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.request_id(), Some(format!("req-{status}").as_str()));
        assert_eq!(error.operation(), "getCheckoutSession");
        let Error::Api(api) = &error else {
            panic!("expected a documented error, got {error:?}")
        };
        match (&api.body, status) {
            (GetCheckoutSessionError::BadRequest(body), 400) => assert_eq!(body.code, 2),
            (GetCheckoutSessionError::NotAuthorized(body), 401) => assert_eq!(body.code, 401),
            (GetCheckoutSessionError::NotFound(body), 404) => assert_eq!(body.message, "nope"),
            (other, status) => panic!("{status} decoded as {other:?}"),
        }
        assert!(
            error
                .to_string()
                .contains(&format!("request id req-{status}")),
            "{error}"
        );
    }
}

#[tokio::test]
async fn undocumented_statuses_and_bad_bodies_keep_the_raw_text() {
    let server = MockServer::start().await;
    let client = client_for(&server);

    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("x-request-id", "req-502")
                .set_body_string("<html><body>Bad gateway</body></html>"),
        )
        .mount(&server)
        .await;
    let error = client.get_checkout_session(id()).await.unwrap_err();
    let Error::UnexpectedStatus(response) = &error else {
        panic!("expected an undocumented status, got {error:?}")
    };
    assert_eq!(response.status, 502);
    assert_eq!(response.body, "<html><body>Bad gateway</body></html>");
    assert_eq!(error.request_id(), Some("req-502"));
    assert!(error.to_string().contains("Bad gateway"), "{error}");

    // A documented status whose body is not what the spec says.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("not json"))
        .mount(&server)
        .await;
    let error = client.get_checkout_session(id()).await.unwrap_err();
    let Error::InvalidBody(invalid) = &error else {
        panic!("expected an invalid body, got {error:?}")
    };
    assert_eq!(invalid.response.body, "not json");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));

    // A success whose body does not decode.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "not-a-uuid"}})),
        )
        .mount(&server)
        .await;
    let error = client.get_checkout_session(id()).await.unwrap_err();
    assert!(matches!(error, Error::InvalidBody(_)), "{error:?}");
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn unknown_enum_values_decode_and_round_trip() {
    let server = MockServer::start().await;
    let mut body = session("refunded");
    body["amount"]["currency"] = json!("EURC");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": body.clone()})))
        .mount(&server)
        .await;
    let got = client_for(&server)
        .get_checkout_session(id())
        .await
        .unwrap()
        .data
        .unwrap();
    assert_eq!(
        got.status,
        CheckoutSessionStatus::Unknown("refunded".to_owned())
    );
    assert_eq!(
        got.amount.currency,
        CheckoutSessionMoneyCurrency::Unknown("EURC".to_owned())
    );
    assert_eq!(
        serde_json::to_value(&got).unwrap(),
        body,
        "nothing is lost re-encoding"
    );
    assert_eq!(
        CheckoutSessionStatus::from("expired"),
        CheckoutSessionStatus::Expired
    );
    assert_eq!(CheckoutSessionStatus::Expired.to_string(), "expired");
}

#[tokio::test]
async fn the_token_is_never_printed() {
    let builder = Client::builder().bearer_token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN), "{builder:?}");
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(TOKEN), "{client:?}");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"code": 401, "message": "bad key"})),
        )
        .mount(&server)
        .await;
    let error = client_for(&server)
        .get_checkout_session(id())
        .await
        .unwrap_err();
    for text in [format!("{error:?}"), error.to_string()] {
        assert!(!text.contains(TOKEN), "{text}");
    }
    // Transport errors too (nothing listens on port 9 of loopback).
    let offline = Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let error = offline.get_checkout_session(id()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    for text in [format!("{error:?}"), error.to_string()] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[test]
fn servers_and_builder_checks() {
    assert_eq!(
        Client::builder().build().unwrap().base_url(),
        "https://api-sandbox.circle.com"
    );
    let production = Client::builder()
        .server(Server::Production)
        .build()
        .unwrap();
    assert_eq!(production.base_url(), "https://api.circle.com");
    assert_eq!(Server::default(), Server::Sandbox);
    let custom = Client::builder()
        .base_url("http://127.0.0.1:4010/")
        .build()
        .unwrap();
    assert_eq!(custom.base_url(), "http://127.0.0.1:4010");

    let error = Client::builder().base_url("not a url").build().unwrap_err();
    assert!(
        error.to_string().contains("not an absolute http(s) URL"),
        "{error}"
    );
    let bad_token = "line\nbreak-TOPSECRET";
    let error = Client::builder()
        .bearer_token(bad_token)
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("bearerAuth"), "{error}");
    assert!(!format!("{error} {error:?}").contains("TOPSECRET"));
}

#[test]
fn the_client_is_cheap_to_clone_and_shareable_across_threads() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error<GetCheckoutSessionError>>();
    // One pointer (clones share the connection pool and settings) plus the per-handle call
    // options, which are `Copy`.
    assert!(std::mem::size_of::<Client>() <= 4 * std::mem::size_of::<usize>());
}

#[test]
fn path_parameters_are_percent_encoded_as_one_segment() {
    let mut path = String::from("/v1/pairs/");
    circle_api::runtime::push_path_param(&mut path, "op", "trading-pair", "BTC/USD ?#%é").unwrap();
    assert_eq!(path, "/v1/pairs/BTC%2FUSD%20%3F%23%25%C3%A9");
    for bad in ["", ".", ".."] {
        let error =
            circle_api::runtime::push_path_param(&mut path, "op", "trading-pair", bad).unwrap_err();
        assert!(error.message.contains("trading-pair"), "{}", error.message);
    }
}
