//! Every response example in `spec/circle-checkout.yaml`, served by a mock server with its status,
//! decodes through the operation it belongs to (as the success type, or as the error variant of
//! its status) and encodes back to the same JSON.

use circle_api::Client;
use circle_api::models::{
    CreateCheckoutSessionError, ExtendCheckoutSessionError, GetCheckoutSessionError,
    ListCheckoutSessionsError, ListCheckoutSessionsParams,
};
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `(operationId, status, example)` for every example in the spec.
fn spec_examples() -> Vec<(String, u16, Value)> {
    let text =
        std::fs::read_to_string(apigen_tests::workspace_root().join("spec/circle-checkout.yaml"))
            .unwrap();
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let mut out = Vec::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            let id = operation["operationId"].as_str().unwrap().to_owned();
            for (status, response) in operation["responses"].as_object().unwrap() {
                let response = match response["$ref"].as_str() {
                    Some(reference) => {
                        let name = reference.rsplit('/').next().unwrap();
                        &spec["components"]["responses"][name]
                    }
                    None => response,
                };
                let examples = &response["content"]["application/json"]["examples"];
                for example in examples
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(_, e)| &e["value"])
                {
                    out.push((id.clone(), status.parse().unwrap(), example.clone()));
                }
            }
        }
    }
    out
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// Calls the operation and returns the decoded success body or documented error body as JSON.
async fn call(client: &Client, operation: &str) -> Result<Value, String> {
    let id = "0f6f3c1e-7a52-4c8e-9a41-3b2d7c1e5a90".parse().unwrap();
    fn documented<E: std::fmt::Debug>(
        error: circle_api::Error<E>,
        body: impl Fn(&E) -> Value,
    ) -> String {
        match &error {
            circle_api::Error::Api(api) => body(&api.body).to_string(),
            other => panic!("not a documented error: {other}"),
        }
    }
    match operation {
        "createCheckoutSession" => client
            .create_checkout_session(None)
            .await
            .map(|v| json(&v))
            .map_err(|e| {
                documented(e, |b| match b {
                    CreateCheckoutSessionError::BadRequest(b) => json(b),
                    CreateCheckoutSessionError::NotAuthorized(b) => json(b),
                })
            }),
        "listCheckoutSessions" => client
            .list_checkout_sessions(&ListCheckoutSessionsParams::default())
            .await
            .map(|v| json(&v))
            .map_err(|e| {
                documented(e, |b| match b {
                    ListCheckoutSessionsError::BadRequest(b) => json(b),
                    ListCheckoutSessionsError::NotAuthorized(b) => json(b),
                })
            }),
        "getCheckoutSession" => client
            .get_checkout_session(id)
            .await
            .map(|v| json(&v))
            .map_err(|e| {
                documented(e, |b| match b {
                    GetCheckoutSessionError::BadRequest(b) => json(b),
                    GetCheckoutSessionError::NotAuthorized(b) => json(b),
                    GetCheckoutSessionError::NotFound(b) => json(b),
                })
            }),
        "extendCheckoutSession" => client
            .extend_checkout_session(id, None)
            .await
            .map(|v| json(&v))
            .map_err(|e| {
                documented(e, |b| match b {
                    ExtendCheckoutSessionError::BadRequest(b) => json(b),
                    ExtendCheckoutSessionError::NotAuthorized(b) => json(b),
                    ExtendCheckoutSessionError::NotFound(b) => json(b),
                })
            }),
        other => panic!("operation {other} is in the spec but not in this test"),
    }
}

#[tokio::test]
async fn every_response_example_decodes_and_round_trips() {
    let examples = spec_examples();
    // 4 success examples, and the 400/401/404 examples through each operation that documents them.
    assert_eq!(examples.len(), 14, "examples found: {examples:#?}");
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .unwrap();
    for (operation, status, example) in examples {
        server.reset().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(status).set_body_json(&example))
            .mount(&server)
            .await;
        let decoded = call(&client, &operation).await;
        let decoded = match (status, decoded) {
            (200..=299, Ok(value)) => value,
            (400.., Err(body)) => serde_json::from_str(&body).unwrap(),
            (status, other) => panic!("{operation} {status}: {other:?}"),
        };
        assert_eq!(decoded, example, "{operation} {status} does not round-trip");
    }
}
