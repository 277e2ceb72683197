//! [`TempRabbitmq`]: a real RabbitMQ broker (Debian's `rabbitmq-server`, run from its own
//! directory as the current user) on a free port of 127.0.0.1, with its data in a temp dir,
//! stopped when dropped. Tests talk to it with `pika` (PyPI), an independent client.

use std::net::TcpStream;
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct TempRabbitmq {
    pub port: u16,
    server: Child,
    dir: tempfile::TempDir,
}

impl TempRabbitmq {
    pub fn start() -> Self {
        let (port, dist) = (crate::free_port(), crate::free_port());
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        std::fs::write(d.join("enabled_plugins"), "[].\n").expect("plugins file");
        let mut cmd = Command::new("/usr/lib/rabbitmq/bin/rabbitmq-server");
        cmd.env("RABBITMQ_NODE_PORT", port.to_string())
            .env("RABBITMQ_DIST_PORT", dist.to_string())
            .env("RABBITMQ_NODENAME", format!("hookdtest{port}@localhost"))
            .env("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .env("RABBITMQ_MNESIA_BASE", d.join("mnesia"))
            .env("RABBITMQ_LOG_BASE", d.join("log"))
            .env("RABBITMQ_ENABLED_PLUGINS_FILE", d.join("enabled_plugins"))
            .env("RABBITMQ_CONFIG_FILE", d.join("rabbitmq"))
            .env("HOME", d)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls between fork and exec. Its own process group,
        // so the Erlang VM it starts is stopped with it.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setpgid(0, 0) != 0 || libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let server = cmd.spawn().expect("rabbitmq-server (install Debian's rabbitmq-server)");
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "rabbitmq-server never listened");
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { port, server, dir }
    }

    /// `amqp://guest:guest@127.0.0.1:port/` (RabbitMQ lets `guest` in from loopback only).
    pub fn url(&self) -> String {
        format!("amqp://guest:guest@127.0.0.1:{}/", self.port)
    }

    /// Runs a Python script with `pika` imported and `ch`, a channel to this broker, open;
    /// its standard output.
    pub fn pika(&self, script: &str) -> String {
        let program = format!(
            "import json, pika\nc = pika.BlockingConnection(pika.ConnectionParameters('127.0.0.1', {}))\nch = c.channel()\n{script}\nc.close()\n",
            self.port
        );
        let out = Command::new("python3").args(["-c", &program]).output().expect("python3 with pika");
        assert!(out.status.success(), "pika: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn stop(&mut self) {
        // SAFETY: kill has no preconditions; the group is the broker's own.
        unsafe {
            libc::kill(-(self.server.id() as i32), libc::SIGKILL);
        }
        let _ = self.server.wait();
        let _ = &self.dir;
    }
}

impl Drop for TempRabbitmq {
    fn drop(&mut self) {
        self.stop();
    }
}
