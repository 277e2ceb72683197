//! [`TempRedis`]: a real `redis-server` (Debian's `redis-server`) on a free port of
//! 127.0.0.1 with a password, in memory only, stopped when dropped; `redis-cli` reads it.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub struct TempRedis {
    pub port: u16,
    pub password: String,
    server: Child,
}

impl TempRedis {
    pub fn start() -> Self {
        let port = crate::free_port();
        let password = "s3cret-redis".to_owned();
        let mut cmd = Command::new("redis-server");
        cmd.args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]).args([
            "--requirepass",
            &password,
            "--dir",
            &std::env::temp_dir().to_string_lossy(),
        ]);
        let server = crate::spawn_tied(&mut cmd, "redis-server (install Debian's redis-server)");
        let redis = Self { port, password, server };
        let deadline = Instant::now() + Duration::from_secs(20);
        while redis.cli(&["PING"]).trim() != "\"PONG\"" {
            assert!(Instant::now() < deadline, "redis-server never answered");
            std::thread::sleep(Duration::from_millis(20));
        }
        redis
    }

    /// `redis://:password@127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("redis://:{}@127.0.0.1:{}", self.password, self.port)
    }

    /// Runs a command with `redis-cli --json`; its output.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-a",
                &self.password,
                "--no-auth-warning",
                "--json",
            ])
            .args(args)
            .output()
            .expect("redis-cli");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Stops the server (a destination that refuses connections).
    pub fn stop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

impl Drop for TempRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
