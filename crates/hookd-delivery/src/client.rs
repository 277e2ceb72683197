//! The outbound HTTP client: pooled keep-alive connections over rustls, no redirects, and
//! every connection resolved through the SSRF guard.

use std::collections::HashMap;
use std::error::Error as _;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hookd_core::model::{AttemptError, AttemptErrorKind};
use reqwest::redirect::Policy;
use url::Url;

use crate::ssrf::{GuardedResolver, SsrfRefused, is_allowed};

/// Request and response bodies kept in the history are cut here.
pub const BODY_LIMIT: usize = 64 * 1024;

pub struct HttpClients {
    verified: reqwest::Client,
    unverified: reqwest::Client,
    mtls: Mutex<HashMap<String, reqwest::Client>>,
    allow_private: bool,
}

/// What came back from the receiver.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub retry_after: Option<Duration>,
    pub duration: Duration,
}

fn attempt_error(kind: AttemptErrorKind, message: impl Into<String>) -> AttemptError {
    AttemptError { kind, message: message.into() }
}

fn builder(allow_private: bool) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(concat!("hookd/", env!("CARGO_PKG_VERSION")))
        .redirect(Policy::none())
        .dns_resolver(GuardedResolver::new(allow_private))
        .pool_max_idle_per_host(256)
        .pool_idle_timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .tcp_nodelay(true)
}

impl HttpClients {
    pub fn new(allow_private: bool) -> Result<Self, reqwest::Error> {
        Ok(Self {
            verified: builder(allow_private).build()?,
            unverified: builder(allow_private).danger_accept_invalid_certs(true).build()?,
            mtls: Mutex::new(HashMap::new()),
            allow_private,
        })
    }

    /// The client for a webhook's TLS settings; mTLS identities get a client of their own.
    pub fn client(&self, verify_tls: bool, identity: Option<(&str, &str)>) -> Result<reqwest::Client, AttemptError> {
        let Some((cert, key)) = identity else {
            return Ok(if verify_tls { self.verified.clone() } else { self.unverified.clone() });
        };
        let cache_key = format!("{verify_tls}\u{1f}{cert}\u{1f}{key}");
        if let Some(c) = self.mtls.lock().ok().and_then(|m| m.get(&cache_key).cloned()) {
            return Ok(c);
        }
        let pem = format!("{cert}\n{key}");
        let identity = reqwest::Identity::from_pem(pem.as_bytes()).map_err(|e| {
            attempt_error(AttemptErrorKind::Tls, format!("the mTLS certificate or key is invalid: {e}"))
        })?;
        let client = builder(self.allow_private)
            .identity(identity)
            .danger_accept_invalid_certs(!verify_tls)
            .build()
            .map_err(|e| attempt_error(AttemptErrorKind::Tls, e.to_string()))?;
        if let Ok(mut m) = self.mtls.lock() {
            m.insert(cache_key, client.clone());
        }
        Ok(client)
    }

    /// The shared client, for token endpoints.
    pub fn default_client(&self) -> &reqwest::Client {
        &self.verified
    }

    /// Checks what the resolver cannot: the scheme, and IP literals (which skip DNS).
    pub fn check_target(&self, url: &Url) -> Result<(), AttemptError> {
        if self.allow_private {
            return Ok(());
        }
        if url.scheme() != "https" {
            return Err(attempt_error(
                AttemptErrorKind::Ssrf,
                format!("refused {url}: only https targets are allowed"),
            ));
        }
        let literal: Option<IpAddr> = match url.host() {
            Some(url::Host::Ipv4(v4)) => Some(v4.into()),
            Some(url::Host::Ipv6(v6)) => Some(v6.into()),
            _ => None,
        };
        match literal {
            Some(ip) if !is_allowed(ip) => Err(attempt_error(
                AttemptErrorKind::Ssrf,
                format!("refused to connect to {ip}: private, loopback, link-local or metadata address"),
            )),
            _ => Ok(()),
        }
    }
}

/// Sends one POST and reads up to [`BODY_LIMIT`] of the answer.
pub async fn send(
    client: &reqwest::Client,
    url: &Url,
    headers: &[(String, String)],
    body: Vec<u8>,
    timeout: Duration,
) -> Result<Response, AttemptError> {
    let started = Instant::now();
    let mut req = client.post(url.clone()).timeout(timeout).body(body);
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let mut resp = req.send().await.map_err(classify)?;
    let status = resp.status().as_u16();
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let mut body = Vec::new();
    // A slow or endless body must not hold the attempt past its timeout.
    let read = tokio::time::timeout(timeout.saturating_sub(started.elapsed()), async {
        while body.len() < BODY_LIMIT {
            match resp.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
    })
    .await;
    let _ = read;
    body.truncate(BODY_LIMIT);
    Ok(Response {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        retry_after,
        duration: started.elapsed(),
    })
}

/// Names a failed request by what went wrong.
pub fn classify(e: reqwest::Error) -> AttemptError {
    let mut source = e.source();
    let mut text = e.to_string();
    while let Some(s) = source {
        if let Some(ssrf) = s.downcast_ref::<SsrfRefused>() {
            return attempt_error(AttemptErrorKind::Ssrf, ssrf.to_string());
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return attempt_error(AttemptErrorKind::Refused, format!("connection refused: {io}"));
        }
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    let lower = text.to_ascii_lowercase();
    let kind = if e.is_timeout() {
        AttemptErrorKind::Timeout
    } else if lower.contains("dns error") || lower.contains("failed to lookup") {
        AttemptErrorKind::Dns
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        AttemptErrorKind::Tls
    } else {
        AttemptErrorKind::Connection
    };
    attempt_error(kind, text)
}
