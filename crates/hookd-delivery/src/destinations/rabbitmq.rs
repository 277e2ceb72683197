//! RabbitMQ (AMQP 0-9-1): one `basic.publish` a message on a channel in confirm mode, hookd's
//! headers as the message's headers table, persistent, `mandatory` so that a message no queue
//! takes comes back; it counts as delivered only when the broker confirms it (`basic.ack`).
//! The protocol's few frames by hand (~300 lines): `lapin` brings its own executor and
//! connector stack, which would connect around the SSRF guard.

use hookd_core::model::{AttemptError, AttemptErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufStream};

use super::connect::{self, BoxedStream, Idle, decoded, error};
use super::{Accepted, Message};

/// The largest frame hookd reads or asks for.
const FRAME_MAX: u32 = 128 << 10;
const FRAME_END: u8 = 0xCE;
const CHANNEL: u16 = 1;

// (class, method) of the methods hookd sends or reads.
const START: (u16, u16) = (10, 10);
const START_OK: (u16, u16) = (10, 11);
const TUNE: (u16, u16) = (10, 30);
const TUNE_OK: (u16, u16) = (10, 31);
const OPEN: (u16, u16) = (10, 40);
const OPEN_OK: (u16, u16) = (10, 41);
const CLOSE: (u16, u16) = (10, 50);
const CLOSE_OK: (u16, u16) = (10, 51);
const CHANNEL_OPEN: (u16, u16) = (20, 10);
const CHANNEL_OPEN_OK: (u16, u16) = (20, 11);
const CHANNEL_CLOSE: (u16, u16) = (20, 40);
const CHANNEL_CLOSE_OK: (u16, u16) = (20, 41);
const PUBLISH: (u16, u16) = (60, 40);
const RETURN: (u16, u16) = (60, 50);
const ACK: (u16, u16) = (60, 80);
const NACK: (u16, u16) = (60, 120);
const SELECT: (u16, u16) = (85, 10);
const SELECT_OK: (u16, u16) = (85, 11);

struct Conn {
    io: BufStream<BoxedStream>,
    frame_max: u32,
    /// The delivery tag of the last message published (confirms count from 1).
    published: u64,
}

/// Open connections (each with its confirm channel) by URL, reused between messages.
#[derive(Default)]
pub(crate) struct Rabbitmq {
    idle: Idle<Conn>,
}

impl Rabbitmq {
    pub(crate) async fn send(
        &self,
        url: &str,
        (exchange, routing_key): (&str, &str),
        m: &Message<'_>,
        allow_private: bool,
    ) -> Result<Accepted, AttemptError> {
        let mut conn = self.idle.take_or_open(url, || connect(url, allow_private)).await?;
        let tag = conn.publish(exchange, routing_key, m).await?;
        self.idle.give_back(url, conn);
        let id = m.headers.iter().find(|(k, _)| k == "webhook-id").map_or("", |(_, v)| v.as_str());
        Ok(Accepted { ids: vec![format!("{id} (confirmed, delivery tag {tag})")] })
    }
}

fn io(e: std::io::Error) -> AttemptError {
    error(AttemptErrorKind::Connection, format!("talking to RabbitMQ: {e}"))
}

fn protocol(why: &str) -> AttemptError {
    error(AttemptErrorKind::Connection, format!("RabbitMQ: {why}"))
}

/// A method's arguments, written in AMQP's encoding.
#[derive(Default)]
struct Args(Vec<u8>);

impl Args {
    fn method((class, method): (u16, u16)) -> Self {
        let mut a = Args::default();
        a.short(class).short(method);
        a
    }
    fn octet(&mut self, v: u8) -> &mut Self {
        self.0.push(v);
        self
    }
    fn short(&mut self, v: u16) -> &mut Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    fn long(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    fn longlong(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    fn shortstr(&mut self, s: &str) -> &mut Self {
        let b = &s.as_bytes()[..s.len().min(255)];
        self.0.push(b.len() as u8);
        self.0.extend_from_slice(b);
        self
    }
    fn longstr(&mut self, b: &[u8]) -> &mut Self {
        self.long(b.len() as u32);
        self.0.extend_from_slice(b);
        self
    }
    /// A table of string values.
    fn table<'a>(&mut self, entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> &mut Self {
        let mut t = Args::default();
        for (k, v) in entries {
            t.shortstr(k).octet(b'S').longstr(v.as_bytes());
        }
        self.longstr(&t.0)
    }
}

/// A method frame's arguments as read.
struct Read<'a>(&'a [u8]);

impl Read<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], AttemptError> {
        if self.0.len() < n {
            return Err(protocol("a frame ended early"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn short(&mut self) -> Result<u16, AttemptError> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    fn long(&mut self) -> Result<u32, AttemptError> {
        self.take(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn longlong(&mut self) -> Result<u64, AttemptError> {
        let b = self.take(8)?;
        Ok(u64::from_be_bytes(b.try_into().unwrap_or([0; 8])))
    }
    fn shortstr(&mut self) -> Result<String, AttemptError> {
        let n = self.take(1)?[0] as usize;
        self.take(n).map(|b| String::from_utf8_lossy(b).into_owned())
    }
}

/// Connects, logs in (PLAIN) to the URL's vhost, opens channel 1 and puts it in confirm mode.
async fn connect(url: &str, allow_private: bool) -> Result<Conn, AttemptError> {
    let bad = |why: &str| error(AttemptErrorKind::InvalidUrl, format!("the RabbitMQ URL {why}"));
    let parsed = url::Url::parse(url).map_err(|_| bad("does not parse"))?;
    let (tls, port) = match parsed.scheme() {
        "amqps" => (true, 5671),
        "amqp" => (false, 5672),
        _ => return Err(bad("is neither amqp:// nor amqps://")),
    };
    let host = parsed.host_str().ok_or_else(|| bad("has no host"))?;
    let stream = connect::open(host, parsed.port().unwrap_or(port), tls, allow_private).await?;
    let (user, password) = match (parsed.username(), parsed.password()) {
        ("", None) => ("guest".to_owned(), "guest".to_owned()),
        (u, p) => (decoded(u), decoded(p.unwrap_or(""))),
    };
    let vhost = match parsed.path().strip_prefix('/').unwrap_or("") {
        "" => "/".to_owned(),
        v => decoded(v),
    };
    let mut conn = Conn { io: BufStream::new(stream), frame_max: FRAME_MAX, published: 0 };
    conn.io.write_all(b"AMQP\x00\x00\x09\x01").await.map_err(io)?;
    conn.io.flush().await.map_err(io)?;
    conn.receive(START).await?;
    let mut ok = Args::method(START_OK);
    ok.table([("product", "hookd"), ("version", env!("CARGO_PKG_VERSION"))]).shortstr("PLAIN");
    ok.longstr(format!("\0{user}\0{password}").as_bytes()).shortstr("en_US");
    conn.send(0, ok).await?;
    let tune = conn.receive(TUNE).await.map_err(|e| match e.kind {
        // A broker closes the connection at once on a wrong login.
        AttemptErrorKind::Connection => {
            error(AttemptErrorKind::Auth, format!("RabbitMQ refused the login: {}", e.message))
        }
        _ => e,
    })?;
    let mut r = Read(&tune);
    let channel_max = r.short()?;
    let frame_max = r.long()?;
    conn.frame_max = if frame_max == 0 { FRAME_MAX } else { frame_max.min(FRAME_MAX) };
    let mut ok = Args::method(TUNE_OK);
    ok.short(channel_max).long(conn.frame_max).short(0);
    conn.send(0, ok).await?;
    let mut open = Args::method(OPEN);
    open.shortstr(&vhost).shortstr("").octet(0);
    conn.send(0, open).await?;
    conn.receive(OPEN_OK).await.map_err(|e| error(AttemptErrorKind::Auth, e.message))?;
    let mut open = Args::method(CHANNEL_OPEN);
    open.shortstr("");
    conn.send(CHANNEL, open).await?;
    conn.receive(CHANNEL_OPEN_OK).await?;
    let mut select = Args::method(SELECT);
    select.octet(0);
    conn.send(CHANNEL, select).await?;
    conn.receive(SELECT_OK).await?;
    Ok(conn)
}

impl Conn {
    async fn send(&mut self, channel: u16, args: Args) -> Result<(), AttemptError> {
        self.frame(1, channel, &args.0).await?;
        self.io.flush().await.map_err(io)
    }

    /// Writes one frame (not flushed).
    async fn frame(&mut self, kind: u8, channel: u16, payload: &[u8]) -> Result<(), AttemptError> {
        let mut head = [0u8; 7];
        head[0] = kind;
        head[1..3].copy_from_slice(&channel.to_be_bytes());
        head[3..7].copy_from_slice(&(payload.len() as u32).to_be_bytes());
        self.io.write_all(&head).await.map_err(io)?;
        self.io.write_all(payload).await.map_err(io)?;
        self.io.write_all(&[FRAME_END]).await.map_err(io)
    }

    /// The next frame: its kind, channel and payload.
    async fn read(&mut self) -> Result<(u8, u16, Vec<u8>), AttemptError> {
        let mut head = [0u8; 7];
        self.io.read_exact(&mut head).await.map_err(io)?;
        let size = u32::from_be_bytes([head[3], head[4], head[5], head[6]]);
        if size > FRAME_MAX.max(self.frame_max) {
            return Err(protocol("a frame is larger than agreed"));
        }
        let mut payload = vec![0; size as usize + 1];
        self.io.read_exact(&mut payload).await.map_err(io)?;
        if payload.pop() != Some(FRAME_END) {
            return Err(protocol("a frame without its end marker"));
        }
        Ok((head[0], u16::from_be_bytes([head[1], head[2]]), payload))
    }

    /// The next method frame: its (class, method) and arguments. A close of the
    /// channel or the connection is answered and returned as the error it reports.
    async fn method(&mut self) -> Result<((u16, u16), Vec<u8>), AttemptError> {
        loop {
            let (kind, channel, payload) = self.read().await?;
            if kind != 1 {
                continue; // heartbeats, and content of returned messages
            }
            let mut r = Read(&payload);
            let id = (r.short()?, r.short()?);
            if id == CLOSE || id == CHANNEL_CLOSE {
                let (code, text) = (r.short()?, r.shortstr()?);
                let (reply, on) = if id == CLOSE { (CLOSE_OK, 0) } else { (CHANNEL_CLOSE_OK, channel) };
                let _ = self.send(on, Args::method(reply)).await;
                let kind = match code {
                    403 => AttemptErrorKind::Auth,
                    _ => AttemptErrorKind::Rejected,
                };
                return Err(error(kind, format!("RabbitMQ closed the channel: {code} {text}")));
            }
            return Ok((id, r.0.to_vec()));
        }
    }

    /// The next method frame, which must be `want` (the handshake's fixed order).
    async fn receive(&mut self, want: (u16, u16)) -> Result<Vec<u8>, AttemptError> {
        let (id, args) = self.method().await?;
        if id != want {
            return Err(protocol(&format!("expected method {want:?}, got {id:?}")));
        }
        Ok(args)
    }

    /// Publishes persistently with `mandatory` and waits for the broker's confirm.
    async fn publish(&mut self, exchange: &str, routing_key: &str, m: &Message<'_>) -> Result<u64, AttemptError> {
        let mut publish = Args::method(PUBLISH);
        publish.short(0).shortstr(exchange).shortstr(routing_key).octet(0b01);
        self.frame(1, CHANNEL, &publish.0).await?;
        let header = |name: &str| m.headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
        let mut props = Args::default();
        props.short(60).short(0).longlong(m.body.len() as u64);
        // content-type, headers, delivery-mode, message-id.
        props.short((1 << 15) | (1 << 13) | (1 << 12) | (1 << 7));
        props.shortstr(header("content-type"));
        props.table(m.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        props.octet(2).shortstr(header("webhook-id"));
        self.frame(2, CHANNEL, &props.0).await?;
        let chunk = (self.frame_max as usize).saturating_sub(8).max(1);
        for part in m.body.chunks(chunk) {
            self.frame(3, CHANNEL, part).await?;
        }
        self.io.flush().await.map_err(io)?;
        self.published += 1;
        let tag = self.published;
        let mut returned = None;
        loop {
            let (id, args) = self.method().await?;
            let mut r = Read(&args);
            match id {
                RETURN => {
                    let (code, text) = (r.short()?, r.shortstr()?);
                    returned = Some(format!("{code} {text}"));
                }
                ACK | NACK => {
                    // Confirms of earlier messages (a tag below ours) are not ours; `multiple`
                    // confirms everything up to its tag, so a tag at or past ours covers it.
                    if r.longlong()? < tag {
                        continue;
                    }
                    if let Some(why) = returned {
                        let to = format!("exchange `{exchange}` with routing key `{routing_key}`");
                        return Err(error(AttemptErrorKind::Rejected, format!("no queue took it from {to}: {why}")));
                    }
                    if id == NACK {
                        return Err(error(AttemptErrorKind::Rejected, "RabbitMQ refused the message (basic.nack)"));
                    }
                    return Ok(tag);
                }
                _ => {}
            }
        }
    }
}
