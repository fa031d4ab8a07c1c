//! Walks through every Checkout Sessions operation: create a session, read it back, extend it,
//! then list sessions.
//!
//! ```sh
//! CIRCLE_API_KEY=... cargo run -p circle-api --example checkout
//! # or against a mock server:
//! CIRCLE_BASE_URL=http://127.0.0.1:4010 CIRCLE_API_KEY=test cargo run -p circle-api --example checkout
//! ```
//!
//! `CIRCLE_BASE_URL` defaults to Circle's sandbox. Exits non-zero on the first error.

use circle_api::models::{
    CheckoutSessionCreationRequest, CheckoutSessionMoney, CheckoutSessionMoneyCurrency,
    ExtendCheckoutSessionRequest, ListCheckoutSessionsParams,
};
use circle_api::{Client, Server};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let api_key = std::env::var("CIRCLE_API_KEY").map_err(|_| "set CIRCLE_API_KEY")?;
    let mut builder = Client::builder()
        .server(Server::Sandbox)
        .bearer_token(api_key);
    if let Ok(base_url) = std::env::var("CIRCLE_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;
    println!("talking to {}", client.base_url());

    let request = CheckoutSessionCreationRequest {
        success_url: Some("https://shop.example.org/thanks".to_owned()),
        amount: CheckoutSessionMoney {
            amount: "12.50".to_owned(),
            currency: CheckoutSessionMoneyCurrency::Usd,
        },
    };
    let created = client
        .create_checkout_session_with_response(Some(&request))
        .await?;
    let session = created
        .data
        .clone()
        .ok_or("the created session is missing from the response")?;
    println!(
        "created {} ({}, {} {}), request id {}",
        session.id,
        session.status,
        session.amount.amount,
        session.amount.currency,
        created.request_id().unwrap_or("-")
    );

    let got = client.get_checkout_session(session.id).await?;
    if let Some(got) = got.data {
        println!(
            "read {}: {}, expires {}",
            got.id, got.status, got.expires_on
        );
    }

    let longer = client
        .extend_checkout_session(
            session.id,
            Some(&ExtendCheckoutSessionRequest {
                extend_time: Some(1800),
            }),
        )
        .await?;
    if let Some(longer) = longer.data {
        println!("extended {}: now expires {}", longer.id, longer.expires_on);
    }

    let page = client
        .list_checkout_sessions(&ListCheckoutSessionsParams {
            page_size: Some(5),
            ..Default::default()
        })
        .await?;
    let sessions = page.data.unwrap_or_default();
    println!("listed {} session(s)", sessions.len());
    for listed in sessions {
        println!("  {} {} {}", listed.id, listed.status, listed.create_date);
    }
    Ok(())
}
