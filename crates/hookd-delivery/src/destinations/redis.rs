//! Redis Streams: one `XADD` a message, with the body and hookd's headers as the entry's
//! fields. RESP by hand, about a hundred lines: the `redis` crate opens its own connections,
//! which would bypass the SSRF guard (or, connecting by address, lose the TLS name check).

use hookd_core::model::{AttemptError, AttemptErrorKind};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufStream};

use super::connect::{self, BoxedStream, Idle, decoded, error};
use super::{Accepted, Message};

/// The longest reply read: a stream entry ID or an error line, never a payload.
const MAX_REPLY: usize = 64 << 10;

type Conn = BufStream<BoxedStream>;

/// Open connections by URL, reused between messages.
#[derive(Default)]
pub(crate) struct Redis {
    idle: Idle<Conn>,
}

/// A reply, as far as hookd reads them.
#[derive(Debug, PartialEq, Eq)]
enum Reply {
    Text(String),
    Error(String),
    Other,
}

impl Redis {
    pub(crate) async fn send(
        &self,
        url: &str,
        stream: &str,
        m: &Message<'_>,
        allow_private: bool,
    ) -> Result<Accepted, AttemptError> {
        let mut conn = self.idle.take_or_open(url, || connect(url, allow_private)).await?;
        let mut args: Vec<&[u8]> = vec![b"XADD", stream.as_bytes(), b"*"];
        for (k, v) in m.headers {
            args.extend([k.as_bytes(), v.as_bytes()]);
        }
        args.extend([b"body".as_slice(), m.body]);
        let id = match command(&mut conn, &args).await? {
            Reply::Text(id) => id,
            Reply::Error(e) => return Err(error(AttemptErrorKind::Rejected, format!("Redis refused XADD: {e}"))),
            Reply::Other => return Err(error(AttemptErrorKind::Connection, "Redis answered XADD with no entry ID")),
        };
        self.idle.give_back(url, conn);
        Ok(Accepted { ids: vec![id] })
    }
}

/// Connects, authenticates and selects the database the URL names
/// (`rediss://user:password@host:6380/2`).
async fn connect(url: &str, allow_private: bool) -> Result<Conn, AttemptError> {
    let bad = |why: &str| error(AttemptErrorKind::InvalidUrl, format!("the Redis URL {why}"));
    let parsed = url::Url::parse(url).map_err(|_| bad("does not parse"))?;
    let tls = match parsed.scheme() {
        "rediss" => true,
        "redis" => false,
        _ => return Err(bad("is neither redis:// nor rediss://")),
    };
    let host = parsed.host_str().ok_or_else(|| bad("has no host"))?;
    let stream = connect::open(host, parsed.port().unwrap_or(6379), tls, allow_private).await?;
    let mut conn = BufStream::new(stream);
    if let Some(password) = parsed.password().map(decoded) {
        let user = decoded(parsed.username());
        let args: Vec<&[u8]> = if user.is_empty() {
            vec![b"AUTH", password.as_bytes()]
        } else {
            vec![b"AUTH", user.as_bytes(), password.as_bytes()]
        };
        expect_ok(&mut conn, &args, "AUTH", AttemptErrorKind::Auth).await?;
    }
    let db = parsed.path().trim_start_matches('/');
    if !db.is_empty() && db != "0" {
        expect_ok(&mut conn, &[b"SELECT", db.as_bytes()], "SELECT", AttemptErrorKind::Rejected).await?;
    }
    Ok(conn)
}

async fn expect_ok(conn: &mut Conn, args: &[&[u8]], what: &str, kind: AttemptErrorKind) -> Result<(), AttemptError> {
    match command(conn, args).await? {
        Reply::Text(_) | Reply::Other => Ok(()),
        Reply::Error(e) => Err(error(kind, format!("Redis refused {what}: {e}"))),
    }
}

/// Sends one command and reads its reply.
async fn command(conn: &mut Conn, args: &[&[u8]]) -> Result<Reply, AttemptError> {
    let io = |e: std::io::Error| error(AttemptErrorKind::Connection, format!("talking to Redis: {e}"));
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    conn.write_all(&out).await.map_err(io)?;
    conn.flush().await.map_err(io)?;
    read_reply(conn).await.map_err(io)
}

async fn read_reply(conn: &mut Conn) -> std::io::Result<Reply> {
    let invalid = |why: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_owned());
    let mut line = Vec::new();
    (&mut *conn).take(MAX_REPLY as u64).read_until(b'\n', &mut line).await?;
    if !line.ends_with(b"\r\n") {
        return Err(invalid("the connection closed or the reply is too long"));
    }
    let text = String::from_utf8_lossy(&line[1..line.len() - 2]).into_owned();
    match line[0] {
        b'+' => Ok(Reply::Text(text)),
        b'-' => Ok(Reply::Error(text)),
        b':' => Ok(Reply::Other),
        b'$' => {
            let len: i64 = text.parse().map_err(|_| invalid("a bulk reply without a length"))?;
            if len < 0 {
                return Ok(Reply::Other);
            }
            let len = usize::try_from(len).ok().filter(|l| *l <= MAX_REPLY).ok_or_else(|| invalid("too long"))?;
            let mut bulk = vec![0; len + 2];
            conn.read_exact(&mut bulk).await?;
            bulk.truncate(len);
            Ok(Reply::Text(String::from_utf8_lossy(&bulk).into_owned()))
        }
        _ => Err(invalid("a reply hookd does not read")),
    }
}
