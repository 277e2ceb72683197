//! Hostile clients on the real binary: stalled and idle connections, too many of them, and
//! requests that are not HTTP enough for a handler to see. Loopback only; every loop bounded.
//! Distinct client addresses are distinct loopback addresses (127.0.0.0/8 is all loopback).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpSocket, TcpStream};

use crate::support::{OPERATOR, Options, TestApp};

fn addr(app: &TestApp) -> SocketAddr {
    app.url.trim_start_matches("http://").parse().expect("server address")
}

/// A connection from the loopback address `from`.
async fn connect(app: &TestApp, from: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.bind(format!("{from}:0").parse().expect("address")).expect("bind");
    socket.connect(addr(app)).await.expect("connect")
}

/// Sends `request` as is and reads until the server closes (or `wait` passes).
async fn exchange(app: &TestApp, from: &str, request: &[u8], wait: Duration) -> Vec<u8> {
    let mut s = connect(app, from).await;
    // The server may answer and close before it has read everything.
    let _ = s.write_all(request).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(wait, s.read_to_end(&mut out)).await;
    out
}

/// The status and the problem document of a raw answer; fails unless it is problem+json.
fn problem(raw: &[u8]) -> (u16, Value) {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no answer: {text:?}"));
    let status: u16 = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{head}"));
    assert!(head.to_ascii_lowercase().contains("content-type: application/problem+json"), "not a problem: {head}");
    (status, serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}")))
}

/// Whether the server has closed `s` (read gives EOF or a reset) within `within`.
async fn closed(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 64];
    matches!(tokio::time::timeout(within, s.read(&mut buf)).await, Ok(Ok(0) | Err(_)))
}

/// The file limit is the test's to raise: each stalled connection costs a descriptor here
/// and one in the server, which inherits the limit.
fn raise_file_limit(want: u64) {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: plain calls with a valid pointer to a local.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

#[tokio::test]
async fn a_thousand_stalled_connections_do_not_stop_a_normal_client() {
    raise_file_limit(4096);
    let header_timeout = Duration::from_secs(3);
    let app =
        TestApp::spawn_with(Options { extra_env: vec![("HOOKD_HEADER_TIMEOUT", "3s".into())], ..Default::default() })
            .await;
    let org = app.org().await;
    // Each sends half a request line and waits.
    let mut stalled = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let mut s = connect(&app, "127.0.0.2").await;
        s.write_all(b"POST /api/v1/orgs/").await.expect("write");
        stalled.push(s);
    }
    let started = Instant::now();
    let event = app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let (s, read) =
        app.call("GET", &format!("/orgs/{}/events/{}", org.id, event["id"].as_str().unwrap()), &org.token, None).await;
    assert_eq!(s, 200, "{read}");
    assert!(started.elapsed() < header_timeout, "the normal client waited for the stalled ones");
    // The stalled ones are dropped once their head is overdue (all of them: sample the ends).
    for s in stalled.iter_mut().step_by(99) {
        assert!(closed(s, header_timeout + Duration::from_secs(5)).await, "a stalled connection stayed open");
    }
}

#[tokio::test]
async fn idle_and_slow_connections_are_dropped_and_capped_per_client() {
    let app = TestApp::spawn_with(Options {
        extra_env: vec![
            ("HOOKD_HEADER_TIMEOUT", "1s".into()),
            ("HOOKD_BODY_TIMEOUT", "1s".into()),
            ("HOOKD_IDLE_TIMEOUT", "2s".into()),
            ("HOOKD_MAX_CONNECTIONS_PER_CLIENT", "20".into()),
        ],
        ..Default::default()
    })
    .await;
    // Idle: a connection that sends nothing is closed after the idle timeout.
    let mut idle = connect(&app, "127.0.0.3").await;
    let t = Instant::now();
    assert!(closed(&mut idle, Duration::from_secs(6)).await);
    assert!(t.elapsed() >= Duration::from_millis(1900), "closed before its idle timeout: {:?}", t.elapsed());
    // A body that stops halfway: 408, a problem, and the connection closes.
    let head = format!(
        "POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {OPERATOR}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"name\":"
    );
    let (status, p) = problem(&exchange(&app, "127.0.0.3", head.as_bytes(), Duration::from_secs(6)).await);
    assert_eq!(status, 408, "{p}");
    // Twenty connections from one address: the twenty-first is refused with a 503 problem;
    // another address is served meanwhile.
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(connect(&app, "127.0.0.4").await);
    }
    // Once the server has counted the twenty (it accepts them in the background), the next is refused.
    let get = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let deadline = std::time::Instant::now() + crate::support::WAIT;
    let (status, p) = loop {
        let (status, p) = problem(&exchange(&app, "127.0.0.4", get, Duration::from_secs(3)).await);
        if status == 503 || std::time::Instant::now() > deadline {
            break (status, p);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(status, 503, "{p}");
    assert!(p["detail"].as_str().unwrap_or("").contains("from your address"), "{p}");
    let other = String::from_utf8_lossy(&exchange(&app, "127.0.0.5", get, Duration::from_secs(3)).await).into_owned();
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");
    drop(held);
}

#[tokio::test]
async fn answers_the_http_layer_makes_are_problems_too() {
    let app = TestApp::spawn().await;
    let cases: Vec<(Vec<u8>, u16)> = vec![
        (b"GET /api/v1/orgs HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\x7fb\r\n\r\n".to_vec(), 400),
        (format!("GET /api/v1/orgs?q={} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100_000)).into_bytes(), 414),
        (
            format!(
                "GET /healthz HTTP/1.1\r\nHost: x\r\n{}\r\n",
                (0..150).map(|i| format!("x-{i}: v\r\n")).collect::<String>()
            )
            .into_bytes(),
            431,
        ),
        (b"GET /no/such/route HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), 404),
        (b"DELETE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(), 405),
        (b"BR@KEN / HTTP/1.1\r\n\r\n".to_vec(), 400),
    ];
    for (request, want) in cases {
        let answer = exchange(&app, "127.0.0.1", &request, Duration::from_secs(5)).await;
        let (status, p) = problem(&answer);
        assert_eq!(status, want, "{p}");
        assert_eq!(p["status"], want);
        assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()), "{p}");
    }
}
