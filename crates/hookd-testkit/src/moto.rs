//! [`TempMoto`]: moto's server (PyPI `moto[server]`), AWS's APIs in one process, on a free
//! port of 127.0.0.1, stopped when dropped.

use std::process::{Child, Command};
use std::time::Duration;

pub struct TempMoto {
    pub port: u16,
    server: Child,
}

impl TempMoto {
    pub fn start() -> Self {
        let port = crate::free_port();
        let mut cmd = Command::new("python3");
        cmd.args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()]);
        let server = crate::spawn_tied(&mut cmd, "python3 -m moto.server (pip install 'moto[server]')");
        crate::wait_listening(port, Duration::from_secs(60), "moto");
        Self { port, server }
    }

    /// `http://127.0.0.1:port`, the `endpoint` of every AWS destination.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for TempMoto {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
