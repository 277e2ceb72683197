//! [`TempNats`]: a real `nats-server` (Debian's) with JetStream, on a free port of 127.0.0.1
//! with a user and password, stopped when dropped; and [`NatsClient`], a blocking client
//! for a test to set up streams and read what arrived.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command};
use std::time::Duration;

pub struct TempNats {
    pub port: u16,
    pub user: String,
    pub password: String,
    server: Child,
    _store: tempfile::TempDir,
}

impl TempNats {
    pub fn start() -> Self {
        let port = crate::free_port();
        let store = tempfile::tempdir().expect("tempdir");
        let (user, password) = ("hookd".to_owned(), "s3cret-nats".to_owned());
        let mut cmd = Command::new("nats-server");
        cmd.args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd", &store.path().to_string_lossy()])
            .args(["--user", &user, "--pass", &password]);
        let server = crate::spawn_tied(&mut cmd, "nats-server (install Debian's nats-server)");
        crate::wait_listening(port, Duration::from_secs(20), "nats-server");
        Self { port, user, password, server, _store: store }
    }

    /// `nats://user:password@127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("nats://{}:{}@127.0.0.1:{}", self.user, self.password, self.port)
    }

    pub fn client(&self) -> NatsClient {
        NatsClient::connect(self.port, &self.user, &self.password)
    }

    pub fn stop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

impl Drop for TempNats {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A message as a subscriber got it.
#[derive(Debug)]
pub struct NatsMessage {
    pub subject: String,
    pub headers: Vec<(String, String)>,
    pub payload: Vec<u8>,
}

pub struct NatsClient {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    sid: u32,
}

impl NatsClient {
    fn connect(port: u16, user: &str, password: &str) -> Self {
        let writer = TcpStream::connect(("127.0.0.1", port)).expect("connect to nats");
        writer.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
        let mut c = Self { reader: BufReader::new(writer.try_clone().expect("clone")), writer, sid: 0 };
        assert!(c.line().starts_with("INFO "));
        let hello = format!(
            "CONNECT {{\"verbose\":false,\"headers\":true,\"no_responders\":true,\"user\":\"{user}\",\"pass\":\"{password}\"}}\r\nPING\r\n"
        );
        c.writer.write_all(hello.as_bytes()).expect("write");
        loop {
            let l = c.line();
            assert!(!l.starts_with("-ERR"), "{l}");
            if l == "PONG" {
                return c;
            }
        }
    }

    fn line(&mut self) -> String {
        let mut l = String::new();
        self.reader.read_line(&mut l).expect("read from nats");
        l.trim_end().to_owned()
    }

    pub fn subscribe(&mut self, subject: &str) {
        self.sid += 1;
        self.writer.write_all(format!("SUB {subject} {}\r\nPING\r\n", self.sid).as_bytes()).expect("write");
        while self.line() != "PONG" {}
    }

    /// A request and its one reply's payload.
    pub fn request(&mut self, subject: &str, payload: &str) -> Vec<u8> {
        let inbox = format!("_INBOX.test.{}", self.sid + 1);
        self.subscribe(&inbox);
        let publish = format!("PUB {subject} {inbox} {}\r\n{payload}\r\n", payload.len());
        self.writer.write_all(publish.as_bytes()).expect("write");
        self.next_message().payload
    }

    /// The next message to any subscription.
    pub fn next_message(&mut self) -> NatsMessage {
        loop {
            let line = self.line();
            if line == "PING" {
                self.writer.write_all(b"PONG\r\n").expect("write");
                continue;
            }
            let parts: Vec<&str> = line.split(' ').collect();
            let (subject, header_len, total) = match parts.as_slice() {
                ["MSG", s, _, n] | ["MSG", s, _, _, n] => (s.to_string(), 0, n.parse::<usize>().unwrap()),
                ["HMSG", s, _, h, n] | ["HMSG", s, _, _, h, n] => {
                    (s.to_string(), h.parse().unwrap(), n.parse().unwrap())
                }
                _ => continue,
            };
            let mut buf = vec![0; total + 2];
            self.reader.read_exact(&mut buf).expect("payload");
            buf.truncate(total);
            let payload = buf.split_off(header_len);
            return NatsMessage { subject, headers: parse_headers(&buf), payload };
        }
    }
}

/// `NATS/1.0\r\nName: value\r\n…` as pairs.
pub fn parse_headers(block: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(block)
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
        .collect()
}
