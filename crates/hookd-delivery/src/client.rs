//! The outbound HTTP client: keep-alive HTTP/1.1 connections over rustls (`pool`), no
//! redirects, and every connection checked by the SSRF guard (IP literals here, names in the
//! resolver, after DNS).
//!
//! hyper directly rather than reqwest: a webhook request needs none of reqwest's layers
//! (redirect policy, retries, re-parsing the URL twice), and on the delivery path they cost
//! about a tenth of the server's CPU.

use std::collections::HashMap;
use std::error::Error as _;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hookd_core::model::{AttemptError, AttemptErrorKind};
use http::header::{HeaderName, HeaderValue, USER_AGENT};
use http_body_util::{BodyExt, Full};
use hyper::body::Body as _;
use hyper_util::client::legacy::connect::HttpConnector;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use url::Url;

use crate::pool::{Pool, Route, SendError};
use crate::ssrf::{GuardedResolver, SsrfRefused, is_allowed};

use hookd_core::model::BODY_LIMIT;

/// One pool of connections sharing one TLS configuration.
pub struct Client {
    pool: Pool,
    allow_private: bool,
    /// The `User-Agent` every request carries (and the history shows).
    agent: HeaderValue,
}

/// The clients a node sends with: one for verified TLS, one for webhooks that turned
/// verification off, and one per mTLS identity.
pub struct HttpClients {
    verified: Arc<Client>,
    unverified: Arc<Client>,
    mtls: Mutex<HashMap<String, Arc<Client>>>,
    allow_private: bool,
    agent: HeaderValue,
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

/// Accepts any server certificate, for webhooks whose owner turned verification off; the
/// handshake's signatures are still checked against the certificate presented.
#[derive(Debug)]
struct AcceptAnyCert(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

type Identity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

pub(crate) fn tls_config(verify: bool, identity: Option<Identity>) -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions()?;
    let builder = if verify {
        builder.with_root_certificates(RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() })
    } else {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(AcceptAnyCert(provider)))
    };
    match identity {
        Some((certs, key)) => builder.with_client_auth_cert(certs, key),
        None => Ok(builder.with_no_client_auth()),
    }
}

fn identity(cert_pem: &str, key_pem: &str) -> Result<Identity, String> {
    let certs = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("the certificate: {e}"))?;
    if certs.is_empty() {
        return Err("the certificate holds no PEM certificate".into());
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| format!("the key: {e}"))?;
    Ok((certs, key))
}

impl Client {
    fn new(allow_private: bool, tls: ClientConfig, agent: HeaderValue) -> Self {
        let mut http = HttpConnector::new_with_resolver(GuardedResolver::new(allow_private));
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(Duration::from_secs(10)));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        Self { pool: Pool::new(https), allow_private, agent }
    }

    /// Sends one POST and reads up to [`BODY_LIMIT`] of the answer. No redirect is followed.
    pub async fn post<'a>(
        &self,
        target: &Target,
        headers: impl IntoIterator<Item = &'a (String, String)>,
        body: Bytes,
        timeout: Duration,
    ) -> Result<Response, AttemptError> {
        self.send(http::Method::POST, target, headers, body, timeout).await
    }

    /// [`Client::post`] with another method (S3's `PUT`).
    pub async fn send<'a>(
        &self,
        method: http::Method,
        target: &Target,
        headers: impl IntoIterator<Item = &'a (String, String)>,
        body: Bytes,
        timeout: Duration,
    ) -> Result<Response, AttemptError> {
        check_target(&target.url, self.allow_private)?;
        let started = Instant::now();
        let mut req = http::Request::builder()
            .method(method)
            .uri("/")
            .body(Full::new(body))
            .map_err(|e| attempt_error(AttemptErrorKind::InvalidUrl, e.to_string()))?;
        let h = req.headers_mut();
        h.insert(USER_AGENT, self.agent.clone());
        for (k, v) in headers {
            let invalid =
                |what: &str| attempt_error(AttemptErrorKind::Connection, format!("invalid header {what} for {k}"));
            let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| invalid("name"))?;
            h.append(name, HeaderValue::from_str(v).map_err(|_| invalid("value"))?);
        }
        let (resp, connection) = match tokio::time::timeout(timeout, self.pool.send(&target.route, req)).await {
            Ok(r) => r.map_err(|e| classify(&e))?,
            Err(_) => {
                return Err(attempt_error(
                    AttemptErrorKind::Timeout,
                    format!("no response within {} ms", timeout.as_millis()),
                ));
            }
        };
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
        let mut incoming = resp.into_body();
        let mut body = Vec::new();
        // A slow or endless body must not hold the attempt past its timeout; what came in
        // time is kept. Only a connection whose answer was read to its end is used again.
        let read_to_end = tokio::time::timeout(timeout.saturating_sub(started.elapsed()), async {
            while body.len() < BODY_LIMIT {
                match incoming.frame().await {
                    Some(Ok(frame)) => {
                        if let Some(data) = frame.data_ref() {
                            body.extend_from_slice(data);
                        }
                    }
                    Some(Err(_)) => return false,
                    None => return true,
                }
            }
            incoming.is_end_stream()
        })
        .await;
        if read_to_end == Ok(true) {
            connection.reuse();
        }
        Ok(Response {
            status,
            headers,
            body: hookd_core::model::history_text(body),
            retry_after,
            duration: started.elapsed(),
        })
    }
}

impl HttpClients {
    /// `user_agent` must be a valid header value ([`hookd_core::wire::Wire`] checks it).
    pub fn new(allow_private: bool, user_agent: &str) -> Result<Self, rustls::Error> {
        let agent = HeaderValue::from_str(user_agent).unwrap_or(HeaderValue::from_static("hookd"));
        Ok(Self {
            verified: Arc::new(Client::new(allow_private, tls_config(true, None)?, agent.clone())),
            unverified: Arc::new(Client::new(allow_private, tls_config(false, None)?, agent.clone())),
            mtls: Mutex::new(HashMap::new()),
            allow_private,
            agent,
        })
    }

    /// The client for a webhook's TLS settings; mTLS identities get a client of their own.
    pub fn client(&self, verify_tls: bool, identity: Option<(&str, &str)>) -> Result<Arc<Client>, AttemptError> {
        let Some((cert, key)) = identity else {
            return Ok(if verify_tls { self.verified.clone() } else { self.unverified.clone() });
        };
        let cache_key = format!("{verify_tls}\u{1f}{cert}\u{1f}{key}");
        if let Some(c) = self.mtls.lock().ok().and_then(|m| m.get(&cache_key).cloned()) {
            return Ok(c);
        }
        let invalid =
            |e: String| attempt_error(AttemptErrorKind::Tls, format!("the mTLS certificate or key is invalid: {e}"));
        let tls = tls_config(verify_tls, Some(self::identity(cert, key).map_err(invalid)?))
            .map_err(|e| invalid(e.to_string()))?;
        let client = Arc::new(Client::new(self.allow_private, tls, self.agent.clone()));
        if let Ok(mut m) = self.mtls.lock() {
            m.insert(cache_key, client.clone());
        }
        Ok(client)
    }

    /// Whether private and loopback addresses may be connected to.
    pub fn allow_private(&self) -> bool {
        self.allow_private
    }

    /// The shared client, for token endpoints.
    pub fn default_client(&self) -> &Client {
        &self.verified
    }
}

/// Where a request goes, parsed once: the URL (for the SSRF check and for signing) and the
/// connection and request line hyper sends on.
#[derive(Debug, Clone)]
pub struct Target {
    url: Url,
    route: Route,
}

impl Target {
    pub fn parse(url: &str) -> Result<Self, AttemptError> {
        let invalid = |why: String| attempt_error(AttemptErrorKind::InvalidUrl, why);
        let url = Url::parse(url).map_err(|e| invalid(e.to_string()))?;
        let uri: http::Uri = url.as_str().parse().map_err(|e| invalid(format!("{url}: {e}")))?;
        let route = Route::of(&uri).ok_or_else(|| invalid(format!("{url}: not an http or https URL with a host")))?;
        Ok(Self { url, route })
    }

    pub fn url(&self) -> &Url {
        &self.url
    }
}

/// Checks what the resolver cannot: the scheme, and IP literals (which skip DNS).
fn check_target(url: &Url, allow_private: bool) -> Result<(), AttemptError> {
    if allow_private {
        return Ok(());
    }
    if url.scheme() != "https" {
        return Err(attempt_error(AttemptErrorKind::Ssrf, format!("refused {url}: only https targets are allowed")));
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

/// Names a failed request by what went wrong.
fn classify(e: &SendError) -> AttemptError {
    let mut source = e.source();
    let mut text = e.to_string();
    while let Some(s) = source {
        if let Some(ssrf) = s.downcast_ref::<SsrfRefused>() {
            return attempt_error(AttemptErrorKind::Ssrf, ssrf.to_string());
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return attempt_error(AttemptErrorKind::Refused, format!("connection refused: {io}"));
                }
                std::io::ErrorKind::TimedOut => {
                    return attempt_error(AttemptErrorKind::Timeout, format!("connecting timed out: {io}"));
                }
                _ => {}
            }
        }
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    let lower = text.to_ascii_lowercase();
    let kind = if lower.contains("dns error") || lower.contains("failed to lookup") {
        AttemptErrorKind::Dns
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        AttemptErrorKind::Tls
    } else {
        AttemptErrorKind::Connection
    };
    attempt_error(kind, text)
}
