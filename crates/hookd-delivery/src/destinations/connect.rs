//! Connections to brokers, through the SSRF guard: the name is resolved by the guarded
//! resolver (or the literal address checked), then TLS is spoken with the name, so a
//! certificate is checked against the host the customer wrote, not the address it resolved to.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use hookd_core::model::{AttemptError, AttemptErrorKind};
use hyper_util::client::legacy::connect::dns::Name;
use rustls_pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tower_service::Service as _;

use crate::ssrf::{GuardedResolver, is_allowed};

/// A byte stream to a broker, plain or TLS.
pub(crate) trait Stream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Stream for T {}
pub(crate) type BoxedStream = Pin<Box<dyn Stream>>;

pub(crate) fn error(kind: AttemptErrorKind, message: impl Into<String>) -> AttemptError {
    AttemptError { kind, message: message.into() }
}

/// Opens a connection to `host:port`, refusing forbidden addresses unless private targets
/// are allowed; with `tls`, a verified TLS session for `host`.
pub(crate) async fn open(host: &str, port: u16, tls: bool, allow_private: bool) -> Result<BoxedStream, AttemptError> {
    let tcp = tcp(host, port, allow_private).await?;
    if tls { upgrade(tcp, host).await } else { Ok(Box::pin(tcp)) }
}

/// A TCP connection to `host:port` through the guard.
pub(crate) async fn tcp(host: &str, port: u16, allow_private: bool) -> Result<TcpStream, AttemptError> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) if !allow_private && !is_allowed(ip) => {
            return Err(error(
                AttemptErrorKind::Ssrf,
                format!("refused to connect to {ip}: private, loopback, link-local or metadata address"),
            ));
        }
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => {
            let name: Name = host
                .parse()
                .map_err(|_| error(AttemptErrorKind::InvalidUrl, format!("`{host}` is not a host name")))?;
            let resolved = GuardedResolver::new(allow_private).call(name).await.map_err(|e| {
                let kind =
                    if e.is::<crate::ssrf::SsrfRefused>() { AttemptErrorKind::Ssrf } else { AttemptErrorKind::Dns };
                error(kind, e.to_string())
            })?;
            resolved.map(|a| SocketAddr::new(a.ip(), port)).collect()
        }
    };
    let tcp = TcpStream::connect(&addrs[..]).await.map_err(|e| {
        let kind = match e.kind() {
            std::io::ErrorKind::ConnectionRefused => AttemptErrorKind::Refused,
            _ => AttemptErrorKind::Connection,
        };
        error(kind, format!("connecting to {host}:{port}: {e}"))
    })?;
    let _ = tcp.set_nodelay(true);
    Ok(tcp)
}

/// A verified TLS session for `host` over `tcp` (brokers such as NATS say hello in plain
/// text first).
pub(crate) async fn upgrade(tcp: TcpStream, host: &str) -> Result<BoxedStream, AttemptError> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let config = crate::client::tls_config(true, None).map_err(|e| error(AttemptErrorKind::Tls, e.to_string()))?;
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| error(AttemptErrorKind::Tls, format!("`{host}` cannot be checked against a certificate: {e}")))?;
    let stream = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|e| error(AttemptErrorKind::Tls, format!("TLS with {host}: {e}")))?;
    Ok(Box::pin(stream))
}

/// Connections kept open between messages, by URL; each carries one message at a time.
pub(crate) struct Idle<C> {
    by_url: Mutex<HashMap<String, Vec<C>>>,
}

impl<C> Default for Idle<C> {
    fn default() -> Self {
        Self { by_url: Mutex::new(HashMap::new()) }
    }
}

impl<C> Idle<C> {
    /// Kept per URL: as many as the dispatcher has requests in flight by default. With 64, a
    /// RabbitMQ bench at E=10 made a new connection (and its handshake) for most messages: a
    /// third of the throughput.
    const MAX: usize = 256;

    /// An idle connection to `url`, or a new one from `open`.
    pub(crate) async fn take_or_open<F: Future<Output = Result<C, AttemptError>>>(
        &self,
        url: &str,
        open: impl FnOnce() -> F,
    ) -> Result<C, AttemptError> {
        let idle = self.by_url.lock().ok().and_then(|mut m| m.get_mut(url).and_then(Vec::pop));
        match idle {
            Some(c) => Ok(c),
            None => open().await,
        }
    }

    /// Keeps a connection that carried its message cleanly (one that failed is dropped).
    pub(crate) fn give_back(&self, url: &str, conn: C) {
        if let Ok(mut m) = self.by_url.lock() {
            let conns = m.entry(url.to_owned()).or_default();
            if conns.len() < Self::MAX {
                conns.push(conn);
            }
        }
    }
}

/// A URL's user name or password, percent-decoded (`+` stays a plus).
pub(crate) fn decoded(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
