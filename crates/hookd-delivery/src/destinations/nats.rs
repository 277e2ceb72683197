//! NATS: one `HPUB` a message, hookd's headers as NATS headers and the body as the payload.
//! A subject that a JetStream stream captures is published with a reply subject and counts as
//! delivered when the stream acknowledges it (`{"stream", "seq"}`); any other subject, when
//! the server has taken it (a `PING` answered after it). The client protocol by hand (~200
//! lines): `async-nats` opens its own connections, around the SSRF guard.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use hookd_core::model::{AttemptError, AttemptErrorKind};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufStream};

use super::connect::{self, BoxedStream, Idle, decoded, error};
use super::{Accepted, Message};

/// The longest protocol line or reply payload read (an ack, an error, server INFO).
const MAX_READ: usize = 64 << 10;
/// How long what a connection learnt of a subject (captured by a stream or not) is trusted.
const CAPTURE_TTL: Duration = Duration::from_secs(60);

struct Conn {
    io: BufStream<BoxedStream>,
    /// This connection's reply subjects are `{inbox}.{n}`.
    inbox: String,
    next: u64,
    /// Subjects a JetStream stream captures, as last asked.
    captured: HashMap<String, (bool, Instant)>,
}

/// Open connections by URL, reused between messages.
#[derive(Default)]
pub(crate) struct Nats {
    idle: Idle<Conn>,
}

/// What came back for a reply subject.
enum Reply {
    Payload(Vec<u8>),
    /// Nobody listens on the subject (`no_responders`).
    NoResponders,
}

impl Nats {
    pub(crate) async fn send(
        &self,
        url: &str,
        subject: &str,
        m: &Message<'_>,
        allow_private: bool,
    ) -> Result<Accepted, AttemptError> {
        let mut conn = self.idle.take_or_open(url, || connect(url, allow_private)).await?;
        let accepted = if conn.captured(subject).await? {
            let ack = match conn.request(subject, m.headers, m.body).await? {
                Reply::Payload(p) => p,
                Reply::NoResponders => return Err(rejected("the stream did not answer (no responders)")),
            };
            let ack: Value = serde_json::from_slice(&ack).unwrap_or(Value::Null);
            if let Some(e) = ack.get("error") {
                return Err(rejected(&format!("JetStream refused the message: {e}")));
            }
            let id = format!("{}:{}", ack["stream"].as_str().unwrap_or("?"), ack["seq"]);
            Accepted { ids: vec![id] }
        } else {
            conn.publish(subject, None, m.headers, m.body).await?;
            conn.ping().await?;
            Accepted { ids: vec![format!("{subject} (no JetStream stream captures it)")] }
        };
        self.idle.give_back(url, conn);
        Ok(accepted)
    }
}

fn rejected(why: &str) -> AttemptError {
    error(AttemptErrorKind::Rejected, why)
}

fn io(e: std::io::Error) -> AttemptError {
    error(AttemptErrorKind::Connection, format!("talking to NATS: {e}"))
}

/// Connects (TLS after the server's plain-text INFO for `tls://`), authenticates with the
/// URL's user and password (or token) and subscribes to this connection's inbox.
async fn connect(url: &str, allow_private: bool) -> Result<Conn, AttemptError> {
    let bad = |why: &str| error(AttemptErrorKind::InvalidUrl, format!("the NATS URL {why}"));
    let parsed = url::Url::parse(url).map_err(|_| bad("does not parse"))?;
    let tls = match parsed.scheme() {
        "tls" => true,
        "nats" => false,
        _ => return Err(bad("is neither nats:// nor tls://")),
    };
    let host = parsed.host_str().ok_or_else(|| bad("has no host"))?;
    let mut tcp = tokio::io::BufReader::new(connect::tcp(host, parsed.port().unwrap_or(4222), allow_private).await?);
    let mut info = String::new();
    (&mut tcp).take(MAX_READ as u64).read_line(&mut info).await.map_err(io)?;
    let info: Value = info
        .strip_prefix("INFO ")
        .and_then(|i| serde_json::from_str(i.trim()).ok())
        .ok_or_else(|| error(AttemptErrorKind::Connection, "the server did not introduce itself as NATS"))?;
    if info["tls_required"] == true && !tls {
        return Err(bad("must be tls://: the server requires TLS"));
    }
    let tcp = tcp.into_inner();
    let stream: BoxedStream = if tls { connect::upgrade(tcp, host).await? } else { Box::pin(tcp) };
    let mut options = json!({"verbose": false, "pedantic": false, "tls_required": tls, "name": "hookd",
        "lang": "rust", "version": env!("CARGO_PKG_VERSION"), "protocol": 1, "headers": true, "no_responders": true});
    match (parsed.username(), parsed.password()) {
        ("", _) => {}
        (user, Some(pass)) => (options["user"], options["pass"]) = (json!(decoded(user)), json!(decoded(pass))),
        (token, None) => options["auth_token"] = json!(decoded(token)),
    }
    let inbox = format!("_INBOX.hookd.{:016x}", rand::random::<u64>());
    let mut conn = Conn { io: BufStream::new(stream), inbox, next: 0, captured: HashMap::new() };
    let hello = format!("CONNECT {options}\r\nSUB {}.* 1\r\n", conn.inbox);
    conn.io.write_all(hello.as_bytes()).await.map_err(io)?;
    conn.ping()
        .await
        .map_err(|e| error(AttemptErrorKind::Auth, format!("NATS refused the connection: {}", e.message)))?;
    Ok(conn)
}

impl Conn {
    /// Whether a JetStream stream captures `subject` (asked of the server, then remembered).
    async fn captured(&mut self, subject: &str) -> Result<bool, AttemptError> {
        if let Some((captured, at)) = self.captured.get(subject)
            && at.elapsed() < CAPTURE_TTL
        {
            return Ok(*captured);
        }
        let ask = json!({"subject": subject}).to_string();
        let captured = match self.request("$JS.API.STREAM.NAMES", &[], ask.as_bytes()).await? {
            Reply::Payload(p) => serde_json::from_slice::<Value>(&p)
                .ok()
                .and_then(|v| v["streams"].as_array().map(|s| !s.is_empty()))
                .unwrap_or(false),
            // No JetStream on this server.
            Reply::NoResponders => false,
        };
        self.captured.insert(subject.to_owned(), (captured, Instant::now()));
        Ok(captured)
    }

    async fn publish(
        &mut self,
        subject: &str,
        reply: Option<&str>,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<(), AttemptError> {
        let mut block = String::from("NATS/1.0\r\n");
        for (k, v) in headers {
            block.push_str(&format!("{k}: {v}\r\n"));
        }
        block.push_str("\r\n");
        let reply = reply.map(|r| format!(" {r}")).unwrap_or_default();
        let line = format!("HPUB {subject}{reply} {} {}\r\n", block.len(), block.len() + body.len());
        let mut out = Vec::with_capacity(line.len() + block.len() + body.len() + 2);
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(block.as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\r\n");
        self.io.write_all(&out).await.map_err(io)?;
        self.io.flush().await.map_err(io)
    }

    /// Publishes with a fresh reply subject and waits for what comes back on it.
    async fn request(
        &mut self,
        subject: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Reply, AttemptError> {
        self.next += 1;
        let reply = format!("{}.{}", self.inbox, self.next);
        self.publish(subject, Some(&reply), headers, body).await?;
        loop {
            if let Some((to, status, payload)) = self.read_message().await? {
                if to != reply {
                    continue;
                }
                return Ok(if status.starts_with("503") { Reply::NoResponders } else { Reply::Payload(payload) });
            }
        }
    }

    /// Sends `PING` and waits for its `PONG`: the server has taken everything sent before.
    async fn ping(&mut self) -> Result<(), AttemptError> {
        self.io.write_all(b"PING\r\n").await.map_err(io)?;
        self.io.flush().await.map_err(io)?;
        loop {
            let line = self.line().await?;
            if line == "PONG" {
                return Ok(());
            }
            self.control(&line).await?;
            if line.starts_with("MSG ") || line.starts_with("HMSG ") {
                self.skip_payload(&line).await?;
            }
        }
    }

    /// The next message on the inbox: its subject, the status of its headers (`503` for no
    /// responders; empty when it has none) and its payload. `None` after a control line.
    async fn read_message(&mut self) -> Result<Option<(String, String, Vec<u8>)>, AttemptError> {
        let line = self.line().await?;
        let parts: Vec<&str> = line.split(' ').collect();
        let (subject, header_len, total) = match parts.as_slice() {
            ["MSG", s, _sid, size] | ["MSG", s, _sid, _, size] => (s.to_string(), 0, parse_len(size)?),
            ["HMSG", s, _sid, h, t] | ["HMSG", s, _sid, _, h, t] => (s.to_string(), parse_len(h)?, parse_len(t)?),
            _ => {
                self.control(&line).await?;
                return Ok(None);
            }
        };
        if total > MAX_READ || header_len > total {
            return Err(rejected("the reply is too long"));
        }
        let mut buf = vec![0; total + 2];
        self.io.read_exact(&mut buf).await.map_err(io)?;
        let headers = String::from_utf8_lossy(&buf[..header_len]);
        let status = headers.lines().next().and_then(|l| l.strip_prefix("NATS/1.0")).unwrap_or("").trim().to_owned();
        buf.truncate(total);
        Ok(Some((subject, status, buf.split_off(header_len))))
    }

    /// Answers a `PING`, passes over `+OK`, `PONG` and `INFO`; an `-ERR` is the message's error.
    async fn control(&mut self, line: &str) -> Result<(), AttemptError> {
        if line == "PING" {
            self.io.write_all(b"PONG\r\n").await.map_err(io)?;
            self.io.flush().await.map_err(io)?;
        } else if let Some(e) = line.strip_prefix("-ERR") {
            let e = e.trim().trim_matches('\'');
            let kind = if e.to_lowercase().contains("authorization") {
                AttemptErrorKind::Auth
            } else {
                AttemptErrorKind::Rejected
            };
            return Err(error(kind, format!("NATS: {e}")));
        }
        Ok(())
    }

    async fn skip_payload(&mut self, line: &str) -> Result<(), AttemptError> {
        let size = parse_len(line.rsplit(' ').next().unwrap_or(""))?;
        if size > MAX_READ {
            return Err(rejected("a message on the inbox is too long"));
        }
        let mut buf = vec![0; size + 2];
        self.io.read_exact(&mut buf).await.map_err(io).map(drop)
    }

    async fn line(&mut self) -> Result<String, AttemptError> {
        let mut line = String::new();
        (&mut self.io).take(MAX_READ as u64).read_line(&mut line).await.map_err(io)?;
        if !line.ends_with("\r\n") {
            return Err(error(AttemptErrorKind::Connection, "NATS closed the connection"));
        }
        line.truncate(line.len() - 2);
        Ok(line)
    }
}

fn parse_len(s: &str) -> Result<usize, AttemptError> {
    s.parse().map_err(|_| error(AttemptErrorKind::Connection, format!("NATS sent `{s}` where a length belongs")))
}
