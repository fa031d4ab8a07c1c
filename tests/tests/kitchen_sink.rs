//! The kitchen-sink client (`tests/kitchen-sink`, generated from our own
//! `tests/kitchen-sink-spec/kitchen-sink.yaml`) against a loopback mock server: every schema
//! construct the generator lowers, watched on the wire.

use kitchen_sink::models::{
    BasicColour, BlockchainLocation, BlockchainLocationType, Colour, CreateTransferError, Event,
    GetAccountParams, GetLegacyError, GetQuotesParams, GetQuotesWindow, GetReportAccepted,
    GetReportError, GetReportSuccess, GetStyledPair, GetStyledSpread, Level, Location, NameOrId,
    OneOrMore, PaymentEvent, Phase, RefundEvent, Report, SearchOrdersAmount,
    SearchOrdersAmountTotal, SearchOrdersBoxModel, SearchOrdersCreated, SearchOrdersCreated2,
    SearchOrdersParams, SearchOrdersXBox, SearchOrdersXWindow, SearchTransfersParams, Shade, Side,
    TokenRequest, TokenRequestDevice, TokenRequestGrantType, Tone, Transfer, TransferFee,
    TransferRequest, TransferRouting, TransferStatus, TransferUpdate, WalletLocation,
    WalletLocationType,
};
use kitchen_sink::{Client, Error};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "ks_live_SECRET_42";
const TRANSFER_ID: &str = "5d3e5f0a-1b2c-4d5e-8f90-a1b2c3d4e5f6";

/// Answers `verb path` with 204, and expects exactly one such request.
async fn expect_one_call(server: &MockServer, verb: &str, at: impl Into<String>) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(server)
        .await;
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .build()
        .unwrap()
}

fn wallet_transfer(amount: &str) -> TransferRequest {
    TransferRequest {
        idempotency_key: None,
        source: Location::Wallet(WalletLocation {
            r#type: WalletLocationType::Wallet,
            id: "1000216185".to_owned(),
        }),
        amount: amount.to_owned(),
        note: None,
        tags: None,
    }
}

fn transfer_json() -> Value {
    json!({"id": TRANSFER_ID, "status": "pending", "amount": "3.14", "fee": 2})
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// The JSON body of each request the server received, in order.
async fn json_bodies(server: &MockServer) -> Vec<Value> {
    requests(server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

fn invalid_request<E: std::fmt::Debug>(result: Result<impl std::fmt::Debug, Error<E>>) -> String {
    match result {
        Err(Error::InvalidRequest(e)) => e.message,
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[tokio::test]
async fn path_parameter_with_a_dash_is_percent_encoded_and_query_is_exploded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/markets/BTC%2FUSD/quotes"))
        .and(query_param("side", "sell"))
        .and(query_param("level", "2"))
        .and(query_param("limit", "100"))
        .and(header("X-Api-Key", KEY))
        .and(header("X-Phone", "+4915112345678"))
        // An object parameter goes a pair per property (`style: form`, exploded).
        .and(query_param("from", "2026-11-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"price": "64000.10", "side": "sell", "level": 2},
            {"price": "63999.90", "side": "short", "level": 7}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let ids = [Uuid::from_u128(1), Uuid::from_u128(2)];
    let params = GetQuotesParams {
        limit: Some(100),
        side: Some(Side::Sell),
        level: Some(Level::V2),
        ids: Some(ids.to_vec()),
        x_phone: Some("+4915112345678".to_owned()),
        window: Some(GetQuotesWindow {
            from: Some("2026-11-01".to_owned()),
            to: None,
        }),
    };
    let quotes = client_for(&server)
        .get_quotes("BTC/USD", &params)
        .await
        .unwrap();
    // Values the spec does not know are kept, not rejected.
    assert_eq!(quotes[0].side, Side::Sell);
    assert_eq!(quotes[0].level, Some(Level::V2));
    assert_eq!(quotes[1].side, Side::Unknown("short".to_owned()));
    assert_eq!(quotes[1].level, Some(Level::Unknown(7)));
    let sent = &requests(&server).await[0];
    let sent_ids: Vec<String> = sent
        .url
        .query_pairs()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(sent_ids, ids.map(|id| id.to_string()));
    // Not its JSON text, nor an unset property.
    assert!(
        sent.url
            .query_pairs()
            .all(|(k, _)| k != "window" && k != "to")
    );
}

/// The spec's second security alternative is HTTP Basic: set alone, its credential is sent
/// (encoded as in RFC 7617's own example) and the password shows nowhere; set with the API key,
/// the first alternative the spec lists wins and only the key is sent.
#[tokio::test]
async fn basic_credentials_are_sent_when_their_alternative_is_the_one_set() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/markets/BTC%2FUSD/quotes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(2)
        .mount(&server)
        .await;
    let basic = Client::builder()
        .base_url(server.uri())
        .basic_auth("Aladdin", "open sesame")
        .build()
        .unwrap();
    let params = GetQuotesParams::default();
    assert!(
        basic
            .get_quotes("BTC/USD", &params)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!format!("{basic:?}").contains("sesame"));
    let both = Client::builder()
        .base_url(server.uri())
        .basic_auth("Aladdin", "open sesame")
        .api_key(KEY)
        .build()
        .unwrap();
    both.get_quotes("BTC/USD", &params).await.unwrap();

    let sent = requests(&server).await;
    let header_of = |i: usize, name: &str| {
        sent[i]
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        header_of(0, "authorization").as_deref(),
        Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
    assert_eq!(header_of(0, "x-api-key"), None);
    assert_eq!(header_of(1, "x-api-key").as_deref(), Some(KEY));
    assert_eq!(header_of(1, "authorization"), None);
}

#[tokio::test]
async fn parameters_outside_their_limits_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let short_pair = invalid_request(client.get_quotes("BT", &GetQuotesParams::default()).await);
    assert!(
        short_pair.contains("trading-pair must be between 3 and 20 characters long, not 2"),
        "{short_pair}"
    );

    let params = GetQuotesParams {
        limit: Some(0),
        x_phone: Some("call me".to_owned()),
        ..Default::default()
    };
    let message = invalid_request(client.get_quotes("BTC-USD", &params).await);
    assert!(
        message.starts_with("invalid arguments, nothing was sent: "),
        "{message}"
    );
    // Every problem at once, each naming its parameter as the spec spells it.
    assert!(
        message.contains("limit must be at least 1, not 0"),
        "{message}"
    );
    assert!(
        message.contains("X-Phone must match the pattern"),
        "{message}"
    );
    assert!(requests(&server).await.is_empty(), "nothing was sent");

    // The pattern was written `/…/` in the spec: checked without the slashes.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let params = GetQuotesParams {
        limit: Some(1),
        x_phone: Some("+4915112345678".to_owned()),
        ..Default::default()
    };
    assert!(client.get_quotes("BTC-USD", &params).await.is_ok());
}

#[tokio::test]
async fn an_absent_idempotency_key_is_filled_with_a_fresh_uuid_v4_per_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/transfers"))
        .respond_with(ResponseTemplate::new(201).set_body_json(transfer_json()))
        .expect(3)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let request = wallet_transfer("3.14");
    let created = client.create_transfer(&request).await.unwrap();
    assert_eq!(created.status, TransferStatus::Pending);
    assert_eq!(created.fee, Some(TransferFee::Integer(2)));
    client.create_transfer(&request).await.unwrap();
    let mine = Uuid::from_u128(0x42);
    let keyed = TransferRequest {
        idempotency_key: Some(mine),
        ..request.clone()
    };
    client.create_transfer(&keyed).await.unwrap();

    let bodies = json_bodies(&server).await;
    let keys: Vec<Uuid> = bodies
        .iter()
        .map(|b| b["idempotencyKey"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(keys[0].get_version_num(), 4);
    assert_eq!(keys[1].get_version_num(), 4);
    assert_ne!(keys[0], keys[1], "each call has its own key");
    assert_eq!(keys[2], mine, "a key the caller sets is sent as is");
    assert_eq!(
        bodies[0],
        json!({"idempotencyKey": keys[0].to_string(), "amount": "3.14",
               "source": {"type": "wallet", "id": "1000216185"}})
    );
}

#[tokio::test]
async fn request_bodies_are_validated_with_the_path_of_each_problem() {
    let server = MockServer::start().await;
    let request = TransferRequest {
        source: Location::Blockchain(BlockchainLocation {
            r#type: BlockchainLocationType::Blockchain,
            address: "0x".repeat(40),
            chain: "ETH".to_owned(),
        }),
        note: Some("far too long a note".to_owned()),
        tags: Some(vec!["a".into(), "b".into(), "c".into()]),
        ..wallet_transfer("3.141")
    };
    let message = invalid_request(client_for(&server).create_transfer(&request).await);
    for expected in [
        "body.source.address must be at most 64 characters long, not 80",
        "body.amount must match the pattern `^[0-9]+(\\.[0-9]{1,2})?$`",
        "body.note must be at most 10 characters long, not 19",
        "body.tags must have at most 2 items, not 3",
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_documented_conflict_decodes_into_its_own_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(409)
                .set_body_json(json!({"code": 1079, "message": "key reused"})),
        )
        .mount(&server)
        .await;
    let error = client_for(&server)
        .create_transfer(&wallet_transfer("1.00"))
        .await
        .unwrap_err();
    match error.body() {
        Some(CreateTransferError::Conflict(problem)) => {
            assert_eq!(
                (problem.code, problem.message.as_str()),
                (1079, "key reused")
            )
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(
        !format!("{error:?} {error}").contains(KEY),
        "the key is never shown"
    );
}

#[tokio::test]
async fn null_and_absent_are_told_apart_in_both_directions() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/transfers/{TRANSFER_ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": TRANSFER_ID, "status": "complete", "amount": "1", "note": null}),
        ))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let id: Uuid = TRANSFER_ID.parse().unwrap();
    for update in [
        TransferUpdate::default(),
        TransferUpdate {
            note: Some(None),
            ..Default::default()
        },
        TransferUpdate {
            note: Some(Some("rent".to_owned())),
            amount: Some("2.00".to_owned()),
        },
    ] {
        client.update_transfer(id, &update).await.unwrap();
    }
    let bodies = json_bodies(&server).await;
    assert_eq!(
        bodies,
        [
            json!({}),
            json!({"note": null}),
            json!({"note": "rent", "amount": "2.00"})
        ]
    );

    let got: Transfer = client.get_transfer(id).await.unwrap();
    assert_eq!(got.note, Some(None), "present and null");
    assert_eq!(got.fee, None, "absent");
    let too_long = TransferUpdate {
        note: Some(Some("x".repeat(11))),
        ..Default::default()
    };
    let message = invalid_request(client.update_transfer(id, &too_long).await);
    assert!(
        message.contains("body.note must be at most 10"),
        "{message}"
    );
}

#[tokio::test]
async fn rules_on_which_properties_are_set_are_checked_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(format!("/transfers/{TRANSFER_ID}/routing")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let id: Uuid = TRANSFER_ID.parse().unwrap();
    let text = |s: &str| Some(s.to_owned());
    // `anyOf`: a reason, a reference, or both; `oneOf`: a wallet or an address, not both.
    let both_places = TransferRouting {
        wallet_id: text("w1"),
        address: text("0xab"),
        reason: None,
        reference: None,
    };
    let message = invalid_request(client.route_transfer(id, &both_places).await);
    for expected in [
        "body must set at least one of these: `reason`; `reference`, not 0 of them",
        "body must set exactly one of these: `walletId`; `address`, not 2 of them",
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
    let nowhere = TransferRouting {
        reason: text("rent"),
        ..both_places.clone()
    };
    let nowhere = TransferRouting {
        wallet_id: None,
        address: None,
        ..nowhere
    };
    let message = invalid_request(client.route_transfer(id, &nowhere).await);
    assert!(
        message.contains("`walletId`; `address`, not 0 of them") && !message.contains("reason"),
        "{message}"
    );
    assert!(requests(&server).await.is_empty(), "nothing was sent");

    for routing in [
        TransferRouting {
            wallet_id: text("w1"),
            reason: text("rent"),
            ..Default::default()
        },
        TransferRouting {
            address: text("0xab"),
            reason: text("rent"),
            reference: text("INV-7"),
            ..Default::default()
        },
    ] {
        client.route_transfer(id, &routing).await.unwrap();
    }
    let bodies = json_bodies(&server).await;
    assert_eq!(
        bodies,
        [
            json!({"walletId": "w1", "reason": "rent"}),
            json!({"address": "0xab", "reason": "rent", "reference": "INV-7"})
        ]
    );
}

#[tokio::test]
async fn label_and_matrix_path_parameters_carry_their_prefixes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let rgb = GetStyledSpread { r: 100, g: 200 };
    let dots = ["a.b".to_owned(), "c/d".to_owned()];
    let pair = GetStyledPair {
        x: Some("1".to_owned()),
        y: None,
    };
    client
        .get_styled(&[3, 4, 5], "a b;c", &rgb, &dots, &[7, 8], &pair)
        .await
        .unwrap();
    let one = ["e".to_owned()];
    client
        .get_styled(&[3], "", &rgb, &one, &[9], &GetStyledPair::default())
        .await
        .unwrap();
    let paths: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    // Values are percent-encoded (the `;` and `/` of a value too), the delimiters are not; an
    // empty matrix value is its name alone.
    assert_eq!(
        paths,
        [
            "/styles/.3,4,5/;matrix=a%20b%3Bc/;R=100;G=200/.a.b.c%2Fd;ids=7;ids=8/;pair=x,1",
            "/styles/.3/;matrix/;R=100;G=200/.e;ids=9/;pair",
        ]
    );
    // An empty label list would leave the segment `.`, which URL parsers resolve away; an empty
    // exploded list nothing at all.
    for (label, dots, refused) in [(&[][..], &one[..], "`label`"), (&[1], &[], "`dots`")] {
        let result = client.get_styled(label, "x", &rgb, dots, &[1], &pair).await;
        let message = invalid_request(result);
        assert!(
            message.contains(&format!("{refused} cannot be empty")),
            "{message}"
        );
    }
    assert_eq!(requests(&server).await.len(), 2, "nothing else was sent");
}

#[test]
fn described_values_are_one_enum_that_decodes_each_value_as_itself() {
    // Three one-value open enums in a `oneOf` would each take any string: `running` would have
    // decoded as the first, `Unknown("running")`.
    for (wire, phase) in [
        ("creating", Phase::Creating),
        ("running", Phase::Running),
        ("stopped", Phase::Stopped),
        ("paused", Phase::Unknown("paused".to_owned())),
    ] {
        assert_eq!(serde_json::from_value::<Phase>(json!(wire)).unwrap(), phase);
        assert_eq!(serde_json::to_value(&phase).unwrap(), json!(wire));
    }
}

#[test]
fn an_enum_alternative_is_chosen_for_values_it_knows() {
    // An open enum decodes any string; the alternative that knows the value wins, and a value
    // no enum knows goes to a plain string, or else to the first enum's `Unknown`.
    let colour = |wire: &str| serde_json::from_value::<Colour>(json!(wire)).unwrap();
    assert_eq!(colour("red"), Colour::BasicColour(BasicColour::Red));
    assert_eq!(colour("teal"), Colour::String("teal".to_owned()));
    let shade = |wire: &str| serde_json::from_value::<Shade>(json!(wire)).unwrap();
    assert_eq!(shade("green"), Shade::BasicColour(BasicColour::Green));
    assert_eq!(shade("dark"), Shade::Tone(Tone::Dark));
    assert_eq!(
        shade("pink"),
        Shade::BasicColour(BasicColour::Unknown("pink".to_owned()))
    );
    assert_eq!(
        serde_json::to_value(Shade::Tone(Tone::Light)).unwrap(),
        json!("light")
    );
}

#[tokio::test]
async fn tagged_alternatives_follow_the_tag_and_keep_unknown_tags() {
    let wallet: Location = serde_json::from_value(json!({"type": "wallet", "id": "1"})).unwrap();
    assert!(matches!(wallet, Location::Wallet(ref w) if w.id == "1"));
    let chain: Location =
        serde_json::from_value(json!({"type": "blockchain", "address": "0xab", "chain": "ETH"}))
            .unwrap();
    assert!(matches!(chain, Location::Blockchain(ref b) if b.chain == "ETH"));
    let card = json!({"type": "card", "last4": "4242"});
    let unknown: Location = serde_json::from_value(card.clone()).unwrap();
    assert_eq!(unknown, Location::Unknown(card.clone()));
    assert_eq!(
        serde_json::to_value(&unknown).unwrap(),
        card,
        "kept as received"
    );
    // A known tag with a body that does not fit is an error, not a silent Unknown.
    let broken = serde_json::from_value::<Location>(json!({"type": "wallet"}));
    assert!(broken.is_err());
}

#[tokio::test]
async fn untagged_alternatives_take_the_one_that_knows_every_property() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "e1", "amount": "5.00"},
            {"id": "e2", "amount": "5.00", "refundOf": "e1"}
        ])))
        .mount(&server)
        .await;
    let events = client_for(&server).list_events().await.unwrap();
    assert_eq!(
        events,
        [
            Event::Payment(PaymentEvent {
                id: "e1".into(),
                amount: Some("5.00".into())
            }),
            Event::Refund(RefundEvent {
                id: "e2".into(),
                amount: Some("5.00".into()),
                refund_of: Some("e1".into())
            }),
        ]
    );
    // `security: []` on the operation: no credential goes out.
    let sent = &requests(&server).await[0];
    assert!(!sent.headers.contains_key("x-api-key"));

    let fee: TransferFee = serde_json::from_value(json!("2.5%")).unwrap();
    assert_eq!(fee, TransferFee::String("2.5%".into()));
}

#[tokio::test]
#[allow(deprecated)]
async fn a_deprecated_operation_still_works_and_returns_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/legacy"))
        .and(header("X-Api-Key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_string("old but fine"))
        .mount(&server)
        .await;
    let text = client_for(&server).get_legacy().await.unwrap();
    assert_eq!(text, "old but fine");
}

/// A `oneOf` whose alternatives are strings (an id or a name) goes in the path and the query
/// as the string itself, not as JSON text with its quotes. An untyped value that is an object
/// goes a pair per property, as a typed one does (`window` above); only an object inside it,
/// which the style gives no form, goes as JSON text, its properties in their order.
#[tokio::test]
async fn a_one_of_parameter_is_sent_as_its_plain_value() {
    let server = MockServer::start().await;
    let owner = Uuid::parse_str(TRANSFER_ID).unwrap();
    expect_one_call(&server, "GET", "/accounts/main%20shop%2F2").await;
    expect_one_call(&server, "GET", format!("/accounts/{TRANSFER_ID}")).await;
    let client = client_for(&server);
    let by_name = NameOrId::String("main shop/2".to_owned());
    let params = GetAccountParams {
        owner: Some(NameOrId::Uuid(owner)),
        // Any JSON value (`schema: {}`): a string is sent as itself too.
        filter: Some(json!("active")),
    };
    client.get_account(&by_name, &params).await.unwrap();
    let by_id = NameOrId::Uuid(owner);
    let params = GetAccountParams {
        owner: None,
        filter: Some(json!({"status": "active", "amount": {"lt": 5, "gt": 1}})),
    };
    client.get_account(&by_id, &params).await.unwrap();
    let sent = requests(&server).await;
    let query = |n: usize| -> Vec<(String, String)> {
        sent[n]
            .url
            .query_pairs()
            .map(|(k, v)| (k.into(), v.into()))
            .collect()
    };
    assert_eq!(
        query(0),
        [
            ("owner".to_owned(), TRANSFER_ID.to_owned()),
            ("filter".to_owned(), "active".to_owned())
        ]
    );
    assert_eq!(
        query(1),
        [
            ("status".to_owned(), "active".to_owned()),
            ("amount".to_owned(), r#"{"lt":5,"gt":1}"#.to_owned())
        ]
    );
}

/// A form body goes the way OpenAPI encodes forms by default: a pair per property in the
/// schema's order, a pair per item of a list, an object as JSON text, unset properties left
/// out, everything percent-encoded. Its limits are checked like a JSON body's.
#[tokio::test]
async fn a_form_body_is_encoded_property_by_property() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tokens"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "t0k", "expires_in": 60})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let mut body = TokenRequest {
        grant_type: TokenRequestGrantType::ClientCredentials,
        scope: vec!["read".to_owned(), "write all&more=1".to_owned()],
        refresh_token: None,
        lifetime: Some(3600),
        offline: Some(false),
        device: Some(TokenRequestDevice {
            name: Some("cli".to_owned()),
            model: None,
        }),
    };
    let token = client.create_token(&body).await.unwrap();
    assert_eq!(token.access_token, "t0k");
    assert_eq!(token.expires_in, Some(60));

    body.lifetime = Some(59);
    let message = invalid_request(client.create_token(&body).await);
    assert!(message.contains("lifetime"), "{message}");

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1, "an invalid form is not sent");
    assert_eq!(
        String::from_utf8_lossy(&sent[0].body),
        "grant_type=client_credentials&scope=read&scope=write+all%26more%3D1&lifetime=3600\
         &offline=false&device=%7B%22name%22%3A%22cli%22%7D"
    );
}

/// The runtime's form encoder on what the generator never hands it typed: a map's entries go in
/// the order it serializes them, nulls dropped, nested lists and objects as JSON text, and a
/// body that is not an object is refused before anything is sent (the generator types only
/// object forms).
#[tokio::test]
async fn the_form_encoder_takes_maps_and_refuses_what_is_not_an_object() {
    use kitchen_sink::runtime::{self, Method, Request};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let send = |body: Value| {
        let mut request = Request::new("form", Method::POST, "/form");
        request.path("/form");
        request.form("application/x-www-form-urlencoded", &body);
        runtime::send_empty::<CreateTransferError>(&client, request)
    };
    // serde_json's `Map` is sorted, so the order here is alphabetical; a struct's is its own.
    send(json!({"b": [1, [2, 3], null, {"c": "d"}], "a": null, "é": "ü €"}))
        .await
        .unwrap();
    let sent = requests(&server).await;
    assert_eq!(
        String::from_utf8_lossy(&sent[0].body),
        "b=1&b=%5B2%2C3%5D&b=%7B%22c%22%3A%22d%22%7D&%C3%A9=%C3%BC+%E2%82%AC"
    );
    for not_an_object in [json!("text"), json!([1, 2]), json!(null)] {
        let message = invalid_request(send(not_an_object).await);
        assert!(message.contains("cannot be encoded as a form"), "{message}");
    }
    assert_eq!(requests(&server).await.len(), 1);
}

/// Success statuses with different bodies (a report for 200, a note for 202, nothing for 204)
/// each decode into their own variant; a 204 is not a body that fails to decode. A success
/// status the spec does not list is unexpected, like an undocumented error status.
#[tokio::test]
async fn success_statuses_with_different_bodies_are_told_apart_by_status() {
    let server = MockServer::start().await;
    let report = json!({"id": "r1", "lines": ["a", "b"]});
    for (id, response) in [
        ("done", ResponseTemplate::new(200).set_body_json(&report)),
        (
            "busy",
            ResponseTemplate::new(202).set_body_json(json!({"retryAfterSeconds": 5})),
        ),
        ("empty", ResponseTemplate::new(204)),
        ("partial", ResponseTemplate::new(206).set_body_json(&report)),
        ("garbled", ResponseTemplate::new(200).set_body_string("[1")),
        (
            "gone",
            ResponseTemplate::new(404).set_body_json(json!({"code": 4, "message": "no"})),
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/reports/{id}")))
            .and(header("accept", "application/json"))
            .respond_with(response)
            .mount(&server)
            .await;
    }
    let client = client_for(&server);
    assert_eq!(
        client.get_report("done").await.unwrap(),
        GetReportSuccess::Ok(Report {
            id: "r1".to_owned(),
            lines: vec!["a".to_owned(), "b".to_owned()],
        })
    );
    let busy = client.get_report_with_response("busy").await.unwrap();
    assert_eq!(busy.status(), 202);
    assert_eq!(
        busy.into_inner(),
        GetReportSuccess::Accepted(GetReportAccepted {
            retry_after_seconds: Some(5)
        })
    );
    assert_eq!(
        client.get_report("empty").await.unwrap(),
        GetReportSuccess::NoContent
    );
    match client.get_report("partial").await {
        Err(Error::UnexpectedStatus(e)) => assert_eq!(e.status, 206),
        other => panic!("expected an unexpected status, got {other:?}"),
    }
    match client.get_report("garbled").await {
        Err(Error::InvalidBody(e)) => assert_eq!(e.response.status, 200),
        other => panic!("expected an invalid body, got {other:?}"),
    }
    match client.get_report("gone").await {
        Err(Error::Api(e)) => assert!(matches!(e.body, GetReportError::NotFound(_))),
        other => panic!("expected the documented 404, got {other:?}"),
    }
}

/// Query lists go as their style says: one pair per item by default (`form`, exploded), one
/// pair of comma-, pipe- or space-separated items for `explode: false`, `pipeDelimited` and
/// `spaceDelimited` (Xero's `IDs` are comma-separated).
#[tokio::test]
async fn query_lists_are_joined_as_their_style_says() {
    let server = MockServer::start().await;
    expect_one_call(&server, "GET", "/transfer-searches").await;
    let client = client_for(&server);
    let id = Uuid::parse_str(TRANSFER_ID).unwrap();
    let params = SearchTransfersParams {
        ids: Some(vec![id, Uuid::nil()]),
        tags: Some(vec!["a b".to_owned(), "c,d".to_owned()]),
        words: Some(vec!["x".to_owned(), "y|z".to_owned()]),
        sides: Some(vec![Side::Buy, Side::Sell]),
        from: Some(OneOrMore::StringList(vec![
            "a".to_owned(),
            "b,c".to_owned(),
        ])),
        to: Some(OneOrMore::StringList(vec!["d".to_owned(), "e".to_owned()])),
    };
    client.search_transfers(&params).await.unwrap();
    let sent = requests(&server).await;
    let query: Vec<(String, String)> = sent[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    let pair = |k: &str, v: String| (k.to_owned(), v);
    assert_eq!(
        query,
        [
            pair("ids", format!("{TRANSFER_ID},{}", Uuid::nil())),
            pair("tags", "a b|c,d".to_owned()),
            pair("words", "x y|z".to_owned()),
            pair("sides", "buy".to_owned()),
            pair("sides", "sell".to_owned()),
            // A `oneOf` holding a list: a pair per item, or one pair joined for
            // `explode: false`; not the list's JSON text.
            pair("from", "a".to_owned()),
            pair("from", "b,c".to_owned()),
            pair("to", "d,e".to_owned()),
        ]
    );
}

/// Objects go as each parameter's `style` says, never as JSON text: `deepObject` as
/// `name[property]` pairs (Stripe's `created[gt]`; nested objects and maps too), one joined pair
/// for `form` not exploded, and in headers as `simple` writes them; unset properties left out.
#[tokio::test]
async fn objects_are_written_as_their_style_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let params = SearchOrdersParams {
        created: Some(SearchOrdersCreated::SearchOrdersCreated2(
            SearchOrdersCreated2 {
                gt: Some(1_700_000_000),
                lt: None,
            },
        )),
        amount: Some(SearchOrdersAmount {
            total: Some(SearchOrdersAmountTotal { gte: Some(5) }),
            currencies: Some(vec!["USD".to_owned(), "EUR".to_owned()]),
        }),
        metadata: Some(
            [("order id", "a&b=c"), ("z", "[1]")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        ),
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
    client.search_orders(&params).await.unwrap();
    // The same parameter holding a scalar: the scalar as itself.
    let params = SearchOrdersParams {
        created: Some(SearchOrdersCreated::Integer(7)),
        ..params
    };
    client.search_orders(&params).await.unwrap();
    let sent = requests(&server).await;
    let header = |name: &str| sent[0].headers.get(name).and_then(|v| v.to_str().ok());
    assert_eq!(header("X-Window"), Some("from=2026-11-01,to=2026-11-30"));
    assert_eq!(header("X-Box"), Some("lat,1.5,lon,-2.0"));
    assert_eq!(
        sent[0].url.query(),
        Some(
            "created%5Bgt%5D=1700000000\
             &amount%5Btotal%5D%5Bgte%5D=5&amount%5Bcurrencies%5D=USD&amount%5Bcurrencies%5D=EUR\
             &metadata%5Border+id%5D=a%26b%3Dc&metadata%5Bz%5D=%5B1%5D\
             &box=lat%2C1.5%2Clon%2C-2.0"
        )
    );
    assert_eq!(
        sent[1].url.query_pairs().next(),
        Some(("created".into(), "7".into()))
    );
}

/// Bytes the spec takes as any media type (`*/*`, GitHub's release assets) or as one of several
/// go with the `Content-Type` the caller names, once the spec is found to take it; one it does
/// not take (or a range, or no media type at all) makes the request invalid, and nothing is sent.
#[tokio::test]
async fn a_byte_body_goes_as_the_media_type_the_caller_names() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/documents/d1/attachments"))
        .and(header("Content-Type", "application/zip"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/documents/d1/scan"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let zip = b"PK\x03\x04".to_vec();
    client
        .attach_file("d1", zip.clone(), "application/zip")
        .await
        .unwrap();
    client
        .put_scan("d1", Some(b"\xff\xd8".to_vec()), "IMAGE/JPEG; q=1")
        .await
        .unwrap();
    client.put_scan("d1", None, "").await.unwrap();
    for wrong in [
        "image/gif",
        "image/*",
        "*/*",
        "jpeg",
        "image/jpeg\r\nX-Evil: 1",
        "",
    ] {
        let message = invalid_request(client.put_scan("d1", Some(b"GIF89a".to_vec()), wrong).await);
        assert!(
            message.contains("is not one the spec takes for this body (image/png, image/jpeg)"),
            "{message}"
        );
    }
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3, "nothing else was sent");
    assert_eq!(sent[0].body, zip);
    let content_type = |n: usize| sent[n].headers.get("content-type").cloned();
    assert_eq!(content_type(1).unwrap(), "IMAGE/JPEG; q=1");
    assert_eq!(sent[1].body, b"\xff\xd8");
    assert_eq!(content_type(2), None, "no body, no media type");
    assert!(sent[2].body.is_empty());
}

/// A `oneOf` of one id or a list of them, holding one: the id as itself, not its JSON text.
#[tokio::test]
async fn a_query_one_of_holding_a_scalar_sends_it_as_itself() {
    let server = MockServer::start().await;
    expect_one_call(&server, "GET", "/transfer-searches").await;
    let params = SearchTransfersParams {
        from: Some(OneOrMore::String("a b".to_owned())),
        to: Some(OneOrMore::StringList(Vec::new())),
        ..Default::default()
    };
    client_for(&server).search_transfers(&params).await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(sent[0].url.query(), Some("from=a+b&to="));
}

/// A list in the path is its items comma-separated (simple style), in one segment.
#[tokio::test]
async fn a_list_path_parameter_is_comma_separated() {
    let server = MockServer::start().await;
    expect_one_call(&server, "GET", "/batches/a%2Cb%20c").await;
    client_for(&server)
        .get_batch(&["a".to_owned(), "b c".to_owned()])
        .await
        .unwrap();
}

/// `default` as the only error response: every error status decodes into it (and the
/// generated decoder is no `match` with one arm, which clippy refuses).
#[tokio::test]
#[allow(deprecated)]
async fn a_lone_default_error_response_takes_every_error_status() {
    let server = MockServer::start().await;
    for status in [400, 404] {
        Mock::given(method("GET"))
            .and(path("/legacy"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(json!({"code": status, "message": "no"})),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    for status in [400, 404] {
        let error = client_for(&server).get_legacy().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        match error.body() {
            Some(GetLegacyError::Default(problem)) => {
                assert_eq!(
                    (problem.code, problem.message.as_str()),
                    (i64::from(status), "no")
                )
            }
            other => panic!("expected the default error, got {other:?}"),
        }
    }
}

/// The parts of a multipart body as a server reads them: (headers, data) for each, split at the
/// boundary the content type names.
fn multipart_parts(request: &Request) -> Vec<(String, Vec<u8>)> {
    let content_type = request.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let body = String::from_utf8(request.body.clone()).unwrap();
    let inner = body
        .strip_prefix(&format!("--{boundary}\r\n"))
        .and_then(|body| body.strip_suffix(&format!("\r\n--{boundary}--\r\n")))
        .unwrap_or_else(|| panic!("not delimited: {body:?}"));
    inner
        .split(&format!("\r\n--{boundary}\r\n"))
        .map(|part| {
            let (headers, data) = part.split_once("\r\n\r\n").unwrap();
            (headers.to_owned(), data.as_bytes().to_vec())
        })
        .collect()
}

/// A multipart body goes part by part, files with their names and media types, between
/// boundaries the content type names; names cannot break out of their quotes.
#[tokio::test]
async fn a_multipart_body_is_sent_part_by_part() {
    let server = MockServer::start().await;
    expect_one_call(&server, "POST", "/documents").await;
    let body = kitchen_sink::runtime::Multipart::new()
        .text("title", "Q3 \"final\"")
        .file(
            "file",
            "q3\"\r\nX: y.pdf",
            "application/pdf",
            b"%PDF-1\r\n\r\n".to_vec(),
        )
        .text("note", "");
    client_for(&server).upload_document(&body).await.unwrap();
    let sent = requests(&server).await;
    let parts = multipart_parts(&sent[0]);
    assert_eq!(
        parts,
        [
            (
                "Content-Disposition: form-data; name=\"title\"".to_owned(),
                b"Q3 \"final\"".to_vec()
            ),
            (
                "Content-Disposition: form-data; name=\"file\"; filename=\"q3%22%0D%0AX: y.pdf\"\r\n\
                 Content-Type: application/pdf"
                    .to_owned(),
                b"%PDF-1\r\n\r\n".to_vec()
            ),
            (
                "Content-Disposition: form-data; name=\"note\"".to_owned(),
                Vec::new()
            ),
        ]
    );
    // Parts show their names and sizes, never their contents.
    assert_eq!(
        format!("{body:?}"),
        "[title (10 bytes), file (10 bytes), note (0 bytes)]"
    );
}

/// A part the spec requires and the body lacks, or a part's media type that is no header value:
/// nothing is sent.
#[tokio::test]
async fn a_multipart_body_without_a_required_part_is_not_sent() {
    let server = MockServer::start().await;
    let client = client_for(&server);
    let lacking = kitchen_sink::runtime::Multipart::new().text("title", "t");
    let error = client.upload_document(&lacking).await.unwrap_err();
    assert!(
        error.to_string().contains("the body has no part `file`"),
        "{error}"
    );
    let broken = kitchen_sink::runtime::Multipart::new()
        .text("title", "t")
        .file("file", "a", "text/plain\r\nX-Injected: 1", b"a".to_vec());
    let error = client.upload_document(&broken).await.unwrap_err();
    assert!(
        error.to_string().contains("the media type of part `file`"),
        "{error}"
    );
    assert!(requests(&server).await.is_empty());
}

/// An operation with a server of its own in the spec goes there while the client's base URL is
/// one of the spec's servers; a base URL of the caller's own (a mock, a proxy) takes it too.
#[tokio::test]
async fn an_operation_with_its_own_server_goes_there_unless_the_base_url_is_the_callers() {
    use kitchen_sink::runtime::{self, ApiDefaults, ClientBuilder, Method, Request};
    let (usual, uploads, own) = (
        MockServer::start().await,
        MockServer::start().await,
        MockServer::start().await,
    );
    for server in [&usual, &uploads, &own] {
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(204))
            .mount(server)
            .await;
    }
    let leak = |text: String| -> &'static str { Box::leak(text.into_boxed_str()) };
    let (usual_url, uploads_url) = (leak(usual.uri()), leak(format!("{}/v2/", uploads.uri())));
    let servers: &'static [&'static str] = Box::leak(Box::new([usual_url]));
    let client_at = |base: Option<String>| {
        let builder = ClientBuilder::new(ApiDefaults {
            base_url: Some(usual_url),
            user_agent: "test",
            request_id_header: "x-request-id",
            servers,
        });
        match base {
            Some(base) => builder.base_url(base),
            None => builder,
        }
        .build()
        .unwrap()
    };
    let upload = |client: kitchen_sink::Client| async move {
        let mut request = Request::new("upload", Method::POST, "/assets");
        request.server(uploads_url);
        request.path("/assets");
        runtime::send_empty::<CreateTransferError>(&client, request).await
    };
    // The spec's server, by default or chosen: the operation's own server, path included.
    upload(client_at(None)).await.unwrap();
    upload(client_at(Some(format!("{usual_url}/"))))
        .await
        .unwrap();
    let sent = requests(&uploads).await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter().all(|r| r.url.path() == "/v2/assets"),
        "{sent:?}"
    );
    // The caller's own base URL takes every request.
    upload(client_at(Some(own.uri()))).await.unwrap();
    assert_eq!(requests(&own).await.len(), 1);
    assert!(requests(&usual).await.is_empty());
}
