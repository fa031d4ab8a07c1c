//! Per-request overhead of the generated client against a hand-written `reqwest` call to the
//! same loopback server, in one run: `cargo bench -p apigen-tests --bench client_overhead`.
//! Prints the median of many calls for each and the ratio. Run by `cargo test` (without
//! `--bench`) or with `APIGEN_BENCH_QUICK=1`, it makes a few calls only, so that CI keeps it
//! compiling and running without taking time.

use circle_api::Client;
use circle_api::models::GetCheckoutSessionResponse;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BODY: &str = r#"{"data":{"id":"0f6f3c1e-7a52-4c8e-9a41-3b2d7c1e5a90","type":"checkout_session","successUrl":"https://shop.example.org/thanks","clientToken":"ck_test_abc","status":"new","createDate":"2026-03-02T09:15:00.000Z","updateDate":"2026-03-02T09:15:00.000Z","expiresOn":"2026-03-02T09:45:00.000Z","amount":{"amount":"12.50","currency":"USD"},"amountPaid":{"amount":"0.00","currency":"USD"},"paymentIds":[],"paymentIntentIds":[]}}"#;

/// A keep-alive HTTP/1.1 server that answers every request with `BODY`.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 8192];
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: r1\r\n\r\n{BODY}",
                    BODY.len()
                );
                loop {
                    let mut read = 0;
                    // Read one request head (no bodies: GETs only).
                    loop {
                        match socket.read(&mut buffer[read..]).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => read += n,
                        }
                        if buffer[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; `cargo test` runs benches without it, to see them work.
    let quick = std::env::var_os("APIGEN_BENCH_QUICK").is_some()
        || !std::env::args().any(|a| a == "--bench");
    let (warmup, calls) = if quick { (5, 20) } else { (500, 5000) };
    let base = serve().await;
    let id: uuid::Uuid = "0f6f3c1e-7a52-4c8e-9a41-3b2d7c1e5a90".parse().unwrap();
    let client = Client::builder()
        .base_url(&base)
        .bearer_token("sk_test_bench")
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let url = format!("{base}/v1/checkoutSessions/{id}");

    let mut generated = Vec::with_capacity(calls);
    let mut by_hand = Vec::with_capacity(calls);
    for i in 0..warmup + calls {
        // Interleaved, so that both see the same machine state.
        let start = Instant::now();
        let got = client.get_checkout_session(id).await.unwrap();
        let a = start.elapsed();
        let start = Instant::now();
        let response = http
            .get(&url)
            .bearer_auth("sk_test_bench")
            .header("accept", "application/json")
            .send()
            .await
            .unwrap();
        let bytes = response.bytes().await.unwrap();
        let by: GetCheckoutSessionResponse = serde_json::from_slice(&bytes).unwrap();
        let b = start.elapsed();
        assert_eq!(got, by);
        if i >= warmup {
            generated.push(a);
            by_hand.push(b);
        }
    }
    let (g, h) = (median(generated), median(by_hand));
    println!("calls: {calls} each, loopback, interleaved");
    println!(
        "generated client   median {:>8.1} µs",
        g.as_secs_f64() * 1e6
    );
    println!(
        "hand-written reqwest median {:>6.1} µs",
        h.as_secs_f64() * 1e6
    );
    println!("ratio {:.3}", g.as_secs_f64() / h.as_secs_f64());
}
