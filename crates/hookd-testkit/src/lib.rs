//! Test-only helpers. [`TempPostgres`] is a real, throwaway PostgreSQL cluster: `initdb` into
//! a temp dir, `postgres` on a free port of 127.0.0.1, stopped when the test process ends.
//! As root (CI), both run as the `postgres` user, since initdb refuses root.

use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

mod moto;
mod nats;
mod rabbitmq;
mod redis;
pub use moto::TempMoto;
pub use nats::{NatsClient, NatsMessage, TempNats, parse_headers};
pub use rabbitmq::TempRabbitmq;
pub use redis::TempRedis;

/// One cluster per test process; each test gets a database of its own.
pub struct TempPostgres {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
    user: Option<(u32, u32)>,
    server: Mutex<Option<Child>>,
    next_db: AtomicUsize,
}

fn pg_bin() -> PathBuf {
    if let Ok(dir) = std::env::var("HOOKD_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").exists()).collect())
        .unwrap_or_default();
    found.sort();
    found
        .pop()
        .expect("PostgreSQL server binaries not found: install Debian's `postgresql` package or set HOOKD_PG_BIN")
}

/// Starts `cmd`, killed when this test process dies (a child that outlives a crashed test
/// would hold its port and files).
pub(crate) fn spawn_tied(cmd: &mut Command, what: &str) -> Child {
    // SAFETY: only an async-signal-safe call between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Waits until something listens on `port` of 127.0.0.1.
pub fn wait_listening(port: u16, within: Duration, what: &str) {
    let deadline = Instant::now() + within;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} never listened on {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// The uid and gid of `postgres` when we are root.
fn drop_to() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let out = Command::new("id").args(["-u", "postgres"]).output().expect("id -u postgres");
    let uid = String::from_utf8_lossy(&out.stdout).trim().parse().expect("a `postgres` user (install postgresql)");
    let out = Command::new("id").args(["-g", "postgres"]).output().expect("id -g postgres");
    let gid = String::from_utf8_lossy(&out.stdout).trim().parse().expect("postgres gid");
    Some((uid, gid))
}

fn command(bin: &Path, name: &str, user: Option<(u32, u32)>, die_with_parent: bool) -> Command {
    let mut cmd = Command::new(bin.join(name));
    cmd.env_remove("PGDATA").env("LC_ALL", "C");
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if let Some((uid, gid)) = user
                && (libc::setgroups(0, std::ptr::null()) != 0 || libc::setgid(gid) != 0 || libc::setuid(uid) != 0)
            {
                return Err(std::io::Error::last_os_error());
            }
            // After setuid: a change of credentials clears the parent-death signal.
            if die_with_parent && libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGQUIT) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}

/// Whether the postmaster a `postmaster.pid` names is still running (a killed one leaves
/// the file behind).
fn postmaster_alive(pid_file: &Path) -> bool {
    std::fs::read_to_string(pid_file)
        .ok()
        .and_then(|t| t.lines().next().and_then(|l| l.trim().parse::<u32>().ok()))
        .is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists())
}

/// Removes the data dirs of earlier test processes' clusters. The shared cluster outlives every
/// destructor (it dies with its process), so its dir is left behind; one whose postmaster has
/// gone and that is more than an hour old cannot be in use by a test starting now.
fn sweep_stale_clusters() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for e in entries.filter_map(|e| e.ok()) {
        let path = e.path();
        let stale = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("hookd-pg-"))
            && !postmaster_alive(&path.join("data/postmaster.pid"))
            && e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|a| a.as_secs() > 3600));
        if stale {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

impl TempPostgres {
    /// The cluster of this test process, started on first use.
    pub fn shared() -> &'static TempPostgres {
        static CLUSTER: OnceLock<TempPostgres> = OnceLock::new();
        CLUSTER.get_or_init(TempPostgres::new)
    }

    /// A cluster of one's own (for tests that stop the database); stopped on drop.
    pub fn new() -> Self {
        let bin = pg_bin();
        let user = drop_to();
        sweep_stale_clusters();
        let tmp = tempfile::Builder::new().prefix("hookd-pg-").tempdir().expect("tempdir").keep();
        let dir = tmp.join("data");
        std::fs::create_dir_all(&dir).expect("data dir");
        if let Some((uid, gid)) = user {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).expect("chown data dir");
        }
        let out = command(&bin, "initdb", user, false)
            .args(["-D"])
            .arg(&dir)
            .args(["-U", "hookd", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .output()
            .expect("run initdb");
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        let port = free_port();
        let pg = Self { port, dir, bin, user, server: Mutex::new(None), next_db: AtomicUsize::new(0) };
        pg.boot();
        pg
    }

    /// Starts the server (again). It is spawned from a thread that never ends, so the
    /// parent-death signal fires only when the whole test process goes away.
    fn boot(&self) {
        let mut cmd = command(&self.bin, "postgres", self.user, true);
        cmd.arg("-D")
            .arg(&self.dir)
            .args(["-p", &self.port.to_string(), "-h", "127.0.0.1", "-k", ""])
            // fsync=off survives a killed server (the OS keeps the writes); synchronous_commit
            // stays on, or a commit acknowledged just before a kill could be lost.
            .args(["-c", "fsync=off", "-c", "full_page_writes=off"])
            .args(["-c", "max_connections=300", "-c", "shared_buffers=64MB"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(cmd.spawn());
            loop {
                std::thread::park();
            }
        });
        let child = rx.recv().expect("spawner thread").expect("start postgres");
        *self.server.lock().expect("lock") = Some(child);
        self.wait_accepting();
    }

    fn wait_accepting(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ok = Command::new(self.bin.join("pg_isready"))
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "hookd", "-d", "postgres"])
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                return;
            }
            assert!(Instant::now() < deadline, "postgres never accepted connections");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A fresh, empty database; returns its URL.
    pub fn database(&self) -> String {
        self.database_with("")
    }

    /// A fresh database made with these `CREATE DATABASE` options (a collation, say).
    pub fn database_with(&self, options: &str) -> String {
        let name = format!("t{}_{}", std::process::id(), self.next_db.fetch_add(1, Ordering::Relaxed));
        let out = Command::new(self.bin.join("psql"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "hookd", "-d", "postgres", "-q", "-c"])
            .arg(format!("CREATE DATABASE {name} {options}"))
            .output()
            .expect("psql");
        assert!(out.status.success(), "CREATE DATABASE failed: {}", String::from_utf8_lossy(&out.stderr));
        self.url(&name)
    }

    /// A fresh database whose tables live in `dir` (a tablespace there, owned by the
    /// cluster's user): a small file system there fills while the WAL's does not.
    pub fn database_in(&self, dir: &Path) -> String {
        if let Some((uid, gid)) = self.user {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid)).expect("chown tablespace dir");
        }
        let name = format!("ts{}_{}", std::process::id(), self.next_db.fetch_add(1, Ordering::Relaxed));
        self.psql(&format!("CREATE TABLESPACE {name} LOCATION '{}'", dir.display()));
        self.psql(&format!("CREATE DATABASE {name} TABLESPACE {name}"));
        self.url(&name)
    }

    /// Drops a database made by [`database_in`](Self::database_in) and its tablespace, so
    /// that nothing of the cluster is left on that file system (close its connections first).
    pub fn drop_in(&self, url: &str) {
        let name = url.rsplit('/').next().expect("a database URL");
        self.psql(&format!("DROP DATABASE {name} WITH (FORCE)"));
        self.psql(&format!("DROP TABLESPACE {name}"));
    }

    fn psql(&self, statement: &str) {
        let out = Command::new(self.bin.join("psql"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "hookd", "-d", "postgres", "-q", "-c"])
            .arg(statement)
            .output()
            .expect("psql");
        assert!(out.status.success(), "{statement}: {}", String::from_utf8_lossy(&out.stderr));
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://hookd@127.0.0.1:{}/{db}", self.port)
    }

    /// Stops the server at once, as a crash would (for outage tests).
    pub fn kill(&self) {
        if let Some(mut c) = self.server.lock().expect("lock").take() {
            // SIGQUIT: the postmaster stops its backends and exits without a checkpoint.
            // SAFETY: plain kill(2) on our own child.
            unsafe { libc::kill(c.id() as i32, libc::SIGQUIT) };
            let _ = c.wait();
        }
    }

    /// Starts it again after [`kill`](Self::kill).
    pub fn restart(&self) {
        self.boot();
    }
}

impl Default for TempPostgres {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        self.kill();
    }
}
