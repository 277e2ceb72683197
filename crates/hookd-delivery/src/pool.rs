//! Keep-alive HTTP/1.1 connections to receivers, kept per origin between requests.
//!
//! hyper's own `conn::http1` connections with a pool this small, rather than hyper-util's
//! general client: a webhook request needs no HTTP/2, proxy or redirect machinery, and that
//! client built a connect future, a checkout and a pool entry for every request (README,
//! Performance, "Sending costs less").

use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::uri::{Authority, Scheme};
use http::{HeaderValue, Request, Response, Uri};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use tower_service::Service;

use crate::ssrf::GuardedResolver;

pub(crate) type Connector = HttpsConnector<HttpConnector<GuardedResolver>>;
type BoxError = Box<dyn StdError + Send + Sync>;
type Sender = SendRequest<Full<Bytes>>;

/// How long a connection may sit unused before it is closed.
const IDLE_FOR: Duration = Duration::from_secs(60);
/// Idle connections kept for one origin, at most.
const IDLE_PER_ORIGIN: usize = 256;

/// Where a connection goes: scheme and authority (host and port).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Origin {
    https: bool,
    authority: Authority,
}

/// What a request needs besides its URI, worked out once per target.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    origin: Origin,
    /// The request line's target: path and query only (origin-form).
    path: Uri,
    host: HeaderValue,
}

impl Route {
    pub(crate) fn of(uri: &Uri) -> Option<Self> {
        let authority = uri.authority()?.clone();
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return None,
        };
        let default_port = if https { 443 } else { 80 };
        let host = match authority.port_u16() {
            Some(port) if port != default_port => format!("{}:{port}", authority.host()),
            _ => authority.host().to_owned(),
        };
        let path = uri.path_and_query().map_or("/", |p| p.as_str()).parse().ok()?;
        Some(Self { origin: Origin { https, authority }, path, host: HeaderValue::from_str(&host).ok()? })
    }
}

/// Why no response came back. The cause is the error's source, not part of its text: the
/// history's message is this text followed by each source's (`client::classify`).
#[derive(Debug, thiserror::Error)]
pub(crate) enum SendError {
    #[error("connecting failed")]
    Connect(#[source] BoxError),
    #[error("the request failed")]
    Http(#[source] hyper::Error),
}

/// A connection out of the pool, with the request it is carrying.
pub(crate) struct Checkout<'a> {
    pool: &'a Pool,
    origin: Origin,
    sender: Sender,
}

impl Checkout<'_> {
    /// Gives the connection back for the next request to its origin; only once its response
    /// has been read to the end, or the next request would find it busy.
    pub(crate) fn reuse(self) {
        if self.sender.is_closed() {
            return;
        }
        if let Ok(mut idle) = self.pool.idle.lock() {
            let list = idle.entry(self.origin).or_default();
            if list.len() < IDLE_PER_ORIGIN {
                list.push((self.sender, Instant::now()));
            }
        }
    }
}

/// Each origin's idle connections with when they were last used, the latest last.
type Idle = HashMap<Origin, Vec<(Sender, Instant)>>;

pub(crate) struct Pool {
    connector: Connector,
    idle: Arc<Mutex<Idle>>,
}

fn fresh((sender, since): &(Sender, Instant), now: Instant) -> bool {
    now.duration_since(*since) < IDLE_FOR && !sender.is_closed()
}

impl Pool {
    /// Inside a runtime, also starts the task that closes connections left unused for
    /// [`IDLE_FOR`] (it ends with the pool): a receiver that never closes an idle connection
    /// would otherwise hold it, and its socket, for as long as no request goes its way.
    pub(crate) fn new(connector: Connector) -> Self {
        let idle = Arc::new(Mutex::new(Idle::new()));
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let idle = Arc::downgrade(&idle);
            runtime.spawn(async move {
                loop {
                    tokio::time::sleep(IDLE_FOR / 2).await;
                    let Some(idle) = idle.upgrade() else { break };
                    let now = Instant::now();
                    if let Ok(mut idle) = idle.lock() {
                        idle.retain(|_, list| {
                            list.retain(|entry| fresh(entry, now));
                            !list.is_empty()
                        });
                    }
                }
            });
        }
        Self { connector, idle }
    }

    /// Sends `req` (its URI and `Host` are set from `route`) on an idle connection to the
    /// route's origin, or a new one. A request that an idle connection, closed by the receiver
    /// meanwhile, could not take is sent on the next connection: it was never written.
    pub(crate) async fn send(
        &self,
        route: &Route,
        mut req: Request<Full<Bytes>>,
    ) -> Result<(Response<Incoming>, Checkout<'_>), SendError> {
        *req.uri_mut() = route.path.clone();
        // A `Host` of the request's own (AWS4 with a base endpoint) is kept.
        if !req.headers().contains_key(http::header::HOST) {
            req.headers_mut().insert(http::header::HOST, route.host.clone());
        }
        loop {
            let (mut sender, reused) = match self.take_idle(&route.origin) {
                Some(sender) => (sender, true),
                None => (self.connect(route).await?, false),
            };
            if reused && sender.ready().await.is_err() {
                continue;
            }
            match sender.try_send_request(req).await {
                Ok(resp) => return Ok((resp, Checkout { pool: self, origin: route.origin.clone(), sender })),
                Err(mut e) => match e.take_message() {
                    Some(unsent) if reused => req = unsent,
                    _ => return Err(SendError::Http(e.into_error())),
                },
            }
        }
    }

    /// The most recently used live connection to `origin`, if any.
    fn take_idle(&self, origin: &Origin) -> Option<Sender> {
        let mut idle = self.idle.lock().ok()?;
        let now = Instant::now();
        let list = idle.get_mut(origin)?;
        while let Some(entry) = list.pop() {
            if fresh(&entry, now) {
                return Some(entry.0);
            }
        }
        None
    }

    async fn connect(&self, route: &Route) -> Result<Sender, SendError> {
        let uri = Uri::builder()
            .scheme(if route.origin.https { Scheme::HTTPS } else { Scheme::HTTP })
            .authority(route.origin.authority.clone())
            .path_and_query("/")
            .build()
            .map_err(|e| SendError::Connect(e.into()))?;
        let mut connector = self.connector.clone();
        std::future::poll_fn(|cx| connector.poll_ready(cx)).await.map_err(SendError::Connect)?;
        let io = connector.call(uri).await.map_err(SendError::Connect)?;
        let (sender, connection) = http1::handshake(io).await.map_err(SendError::Http)?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "a receiver connection ended with an error");
            }
        });
        Ok(sender)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    use hookd_core::model::{AttemptError, AttemptErrorKind};

    use crate::client::{HttpClients, Target};

    /// Reads one request (headers, then a `content-length` body) and returns its head, in
    /// lower case; `None` once the peer is gone.
    async fn read_request(stream: &mut TcpStream) -> Option<String> {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let header_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..header_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < header_end + length {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        Some(head)
    }

    /// A receiver on 127.0.0.1 that answers `200 ok` and counts the connections it accepted;
    /// with `one_per_connection` it closes each connection after its first answer, without
    /// saying so in the answer, as a receiver's idle timeout does.
    async fn receiver(one_per_connection: bool) -> (String, Arc<AtomicUsize>, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook?x=1", listener.local_addr().expect("addr"));
        let accepted = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (counter, seen) = (accepted.clone(), heads.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let seen = seen.clone();
                tokio::spawn(async move {
                    while let Some(head) = read_request(&mut stream).await {
                        seen.lock().expect("heads").push(head);
                        let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
                        if stream.write_all(answer).await.is_err() || one_per_connection {
                            break;
                        }
                    }
                });
            }
        });
        (url, accepted, heads)
    }

    #[test]
    fn routes_carry_the_port_only_when_it_is_not_the_default() {
        let route = |url: &str| super::Route::of(&url.parse().expect("uri"));
        let r = route("https://example.com:443").expect("https");
        assert_eq!((r.host.to_str().expect("ascii"), r.path.to_string().as_str()), ("example.com", "/"));
        let r = route("http://example.com:8080/a/b?c=d").expect("http");
        assert_eq!((r.host.to_str().expect("ascii"), r.path.to_string().as_str()), ("example.com:8080", "/a/b?c=d"));
        assert!(route("ftp://example.com/file").is_none());
    }

    /// One POST of `{}` to `url`, as the dispatcher sends it.
    async fn send(clients: &HttpClients, url: &str) -> Result<crate::client::Response, AttemptError> {
        let target = Target::parse(url).expect("url");
        let client = clients.client(true, None).expect("client");
        let headers: Vec<(String, String)> = vec![];
        client.post(&target, &headers, "{}".into(), std::time::Duration::from_secs(5)).await
    }

    async fn post(clients: &HttpClients, url: &str) -> u16 {
        let resp = send(clients, url).await.expect("post");
        assert_eq!(resp.body, "ok");
        resp.status
    }

    #[tokio::test]
    async fn a_receiver_that_hangs_up_is_named_once() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let _ = read_request(&mut stream).await;
            }
        });
        let clients = HttpClients::new(true, "hookd-test").expect("clients");
        let err = send(&clients, &url).await.expect_err("no answer");
        assert_eq!(err.kind, AttemptErrorKind::Connection, "{}", err.message);
        assert!(err.message.starts_with("the request failed: "), "{}", err.message);
        assert_eq!(err.message.matches("closed").count(), 1, "{}", err.message);
    }

    #[tokio::test]
    async fn requests_to_one_origin_share_a_connection() {
        let (url, accepted, heads) = receiver(false).await;
        let clients = HttpClients::new(true, "hookd-test").expect("clients");
        for _ in 0..3 {
            assert_eq!(post(&clients, &url).await, 200);
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
        // The request line in origin form, the authority in `Host` (with its port: not 80).
        let port = url.split(':').nth(2).and_then(|p| p.split('/').next()).expect("port");
        for head in heads.lock().expect("heads").iter() {
            assert!(head.starts_with("post /hook?x=1 http/1.1\r\n"), "{head}");
            assert!(head.contains(&format!("\r\nhost: 127.0.0.1:{port}\r\n")), "{head}");
        }
    }

    #[tokio::test]
    async fn a_connection_the_receiver_closed_is_not_used_again() {
        let (url, accepted, _) = receiver(true).await;
        let clients = HttpClients::new(true, "hookd-test").expect("clients");
        for _ in 0..3 {
            assert_eq!(post(&clients, &url).await, 200);
            // Time for the connection's task to see the receiver's end.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
    }
}
