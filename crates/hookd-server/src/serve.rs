//! The HTTP listener: hyper's HTTP/1.1 connections with the limits a public server needs,
//! which `axum::serve` does not set. A client that stalls while sending a request's head or
//! body, or that keeps a connection idle, is dropped; connections are capped in all and per
//! client address; and the answers that hyper writes by itself (a request it cannot parse)
//! are problem documents like every other error.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::Service as _;

use crate::error::ApiError;

/// The limits every connection is held to.
#[derive(Debug, Clone)]
pub struct ServerLimits {
    /// From a request's first byte to the end of its head.
    pub header_timeout: Duration,
    /// From the end of a request's head to the end of its body.
    pub body_timeout: Duration,
    /// How long a connection may wait for its next request (or its first).
    pub idle_timeout: Duration,
    pub max_connections: usize,
    /// 0: no cap per client address (behind a proxy every client has the proxy's).
    pub max_connections_per_client: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 10_000,
            max_connections_per_client: 1_000,
        }
    }
}

/// Completes once `stop` turns true (or its sender is gone). Its output holds no borrow of
/// the channel, so a `select!` over it stays `Send`: the server runs in a spawned task too.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Serves `app` on `listener` until `stop` turns true, then lets the requests in flight
/// finish (for at most `DRAIN`).
pub async fn run(listener: TcpListener, app: Router, limits: ServerLimits, mut stop: watch::Receiver<bool>) {
    const DRAIN: Duration = Duration::from_secs(30);
    // A flood past the caps gets answers from this many tasks at once; the rest are closed.
    let refusing = Arc::new(tokio::sync::Semaphore::new(256));
    let open = Arc::new(Open::default());
    let limits = Arc::new(limits);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, most likely: wait rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = stopped(&mut stop) => break,
        };
        let slot = match open.take(peer.ip(), &limits) {
            Ok(slot) => slot,
            Err(why) => {
                if let Ok(permit) = refusing.clone().try_acquire_owned() {
                    tokio::spawn(async move {
                        refuse(stream, ApiError::TooManyConnections(why)).await;
                        drop(permit);
                    });
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (app, limits, stop) = (app.clone(), limits.clone(), stop.clone());
        tokio::spawn(async move {
            connection(stream, peer, app, &limits, stop).await;
            drop(slot);
        });
    }
    drop(listener);
    let deadline = Instant::now() + DRAIN;
    while open.total.load(Ordering::Relaxed) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What a connection is doing, for its timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Phase {
    /// Waiting for a request's first byte.
    Idle = 0,
    /// Reading a request's head.
    Head = 1,
    /// A request is with the app (its body has a deadline of its own).
    Busy = 2,
}

/// A connection's phase and when it began, shared by its IO (which sees bytes arrive) and its
/// service (which sees requests come and go).
struct Clock {
    start: Instant,
    phase: AtomicU8,
    since_ms: AtomicU64,
}

impl Clock {
    fn new() -> Self {
        Self { start: Instant::now(), phase: AtomicU8::new(Phase::Idle as u8), since_ms: AtomicU64::new(0) }
    }

    fn enter(&self, p: Phase) {
        self.since_ms.store(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
        self.phase.store(p as u8, Ordering::Release);
    }

    fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Acquire) {
            0 => Phase::Idle,
            1 => Phase::Head,
            _ => Phase::Busy,
        }
    }

    fn bytes_arrived(&self) {
        if self.phase() == Phase::Idle {
            self.enter(Phase::Head);
        }
    }

    fn in_phase(&self) -> Duration {
        let since = Duration::from_millis(self.since_ms.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(since)
    }
}

/// One connection: hyper's HTTP/1.1, with a watchdog for the head and idle timeouts.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: &ServerLimits,
    mut stop: watch::Receiver<bool>,
) {
    let clock = Arc::new(Clock::new());
    let io = TokioIo::new(Guarded::new(stream, clock.clone()));
    let service = {
        let clock = clock.clone();
        let body_timeout = limits.body_timeout;
        hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            clock.enter(Phase::Busy);
            let mut req = req.map(|body| axum::body::Body::new(Deadline::new(body, body_timeout)));
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            let answer = app.clone().call(req);
            let clock = clock.clone();
            async move {
                let resp = answer.await;
                clock.enter(Phase::Idle);
                resp
            }
        })
    };
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        // The watchdog keeps the time; one buffer a write, so that `Guarded` sees whole heads.
        .header_read_timeout(None)
        .writev(false)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let every =
        (limits.header_timeout.min(limits.idle_timeout) / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
    let mut tick = tokio::time::interval(every);
    let mut closing = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = tick.tick() => {
                let overdue = clock.in_phase();
                match clock.phase() {
                    // A head that takes too long is dropped: no answer is under way.
                    Phase::Head if overdue > limits.header_timeout => return,
                    Phase::Idle if overdue > limits.idle_timeout && !closing => {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                    _ => {}
                }
            }
            () = stopped(&mut stop), if !closing => {
                closing = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Connections open, in all and per client address.
#[derive(Default)]
struct Open {
    by_client: Mutex<HashMap<IpAddr, usize>>,
    total: std::sync::atomic::AtomicUsize,
}

/// One open connection's place in [`Open`], given back when dropped.
struct Slot {
    open: Arc<Open>,
    client: IpAddr,
}

impl Open {
    fn take(self: &Arc<Self>, client: IpAddr, limits: &ServerLimits) -> Result<Slot, &'static str> {
        let mut by_client = self.by_client.lock().unwrap_or_else(|e| e.into_inner());
        if self.total.load(Ordering::Relaxed) >= limits.max_connections {
            return Err("");
        }
        let mine = by_client.entry(client).or_default();
        if limits.max_connections_per_client > 0 && *mine >= limits.max_connections_per_client {
            return Err(" from your address");
        }
        *mine += 1;
        self.total.fetch_add(1, Ordering::Relaxed);
        Ok(Slot { open: self.clone(), client })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut by_client = self.open.by_client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = by_client.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                by_client.remove(&self.client);
            }
        }
        self.open.total.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Answers a connection over the caps with a 503 problem and closes it, reading a little of
/// what the client sent first so that the close does not reset the answer away.
async fn refuse(mut stream: TcpStream, why: ApiError) {
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        stream.write_all(&why.raw_http()).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        let mut left: usize = 64 * 1024;
        while left > 0 {
            let n = stream.read(&mut sink).await?;
            if n == 0 {
                break;
            }
            left = left.saturating_sub(n);
        }
        io::Result::Ok(())
    })
    .await;
}

/// The TCP stream as hyper sees it: reads tell the clock that a request has begun, and the
/// bodiless answer hyper writes by itself for a request it cannot parse (400, 414, 431) is
/// replaced by a problem document. hyper offers no hook for those answers; they are the
/// only 4xx it writes without a `content-type`, and every answer of the app has one.
struct Guarded {
    stream: TcpStream,
    clock: Arc<Clock>,
    /// A replacement answer still to write; once set, nothing else is written.
    replaced: Option<(Vec<u8>, usize)>,
}

impl Guarded {
    fn new(stream: TcpStream, clock: Arc<Clock>) -> Self {
        Self { stream, clock, replaced: None }
    }

    fn poll_replaced(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some((bytes, written)) = &mut self.replaced {
            while *written < bytes.len() {
                let n = ready!(Pin::new(&mut self.stream).poll_write(cx, &bytes[*written..]))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                *written += n;
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// The problem that replaces hyper's own answer in `head`, if `head` is one.
fn replacement(head: &[u8]) -> Option<Vec<u8>> {
    let end = head.windows(4).position(|w| w == b"\r\n\r\n")?;
    // hyper's own answer is a head alone, written in one piece; an answer of the app always
    // carries a body after its head, so a write that goes on past the head is never replaced.
    if end + 4 != head.len() {
        return None;
    }
    let head = std::str::from_utf8(&head[..end]).ok()?.to_ascii_lowercase();
    let status = head.strip_prefix("http/1.1 ")?.get(..3)?;
    if head.contains("\r\ncontent-type:") {
        return None;
    }
    let error = match status {
        "400" => ApiError::Malformed(
            StatusCode::BAD_REQUEST,
            "the request is not valid HTTP: check the request line and the headers (a header value may not \
             hold control characters)",
        ),
        "414" => ApiError::Malformed(
            StatusCode::URI_TOO_LONG,
            "the request's URL is too long; send long search terms or lists in a request body",
        ),
        "431" => ApiError::Malformed(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "the request's headers are too large or too many",
        ),
        _ => return None,
    };
    Some(error.raw_http())
}

impl AsyncRead for Guarded {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.stream).poll_read(cx, buf))?;
        if buf.filled().len() > before {
            self.clock.bytes_arrived();
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.replaced.is_none()
            && buf.starts_with(b"HTTP/1.1 4")
            && let Some(answer) = replacement(buf)
        {
            self.replaced = Some((answer, 0));
        }
        if self.replaced.is_some() {
            ready!(self.poll_replaced(cx))?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replaced(cx))?;
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replaced(cx))?;
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// A request body that fails once its deadline passes, so that a client that stops sending
/// halfway does not hold a handler (and its connection) forever.
struct Deadline {
    body: Incoming,
    timeout: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(body: Incoming, timeout: Duration) -> Self {
        Self { body, timeout, sleep: Box::pin(tokio::time::sleep(timeout)) }
    }
}

impl hyper::body::Body for Deadline {
    type Data = bytes::Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(crate::error::BodyTimedOut(self.timeout.as_secs())))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bodiless_error_heads_are_replaced() {
        let hyper = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let replaced = String::from_utf8(replacement(hyper).unwrap()).unwrap();
        assert!(replaced.starts_with("HTTP/1.1 414 URI Too Long\r\ncontent-type: application/problem+json"));
        assert!(replaced.contains("\"status\":414"));
        let app = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/problem+json\r\n\r\n{}";
        assert!(replacement(app).is_none());
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\nok";
        assert!(replacement(with_body).is_none(), "a head followed by a body is the app's");
        assert!(replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
    }
}
