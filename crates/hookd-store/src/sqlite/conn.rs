//! SQLite connections: one writer thread that runs callers' writes in one transaction and
//! commits it whenever the disk is free (group commit), a sync thread that makes each commit
//! durable before its callers are answered, and a pool of readers that read the WAL
//! concurrently.

use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use rusqlite::{Connection, OpenFlags};

use crate::{Cause, StoreError};

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../../migrations/sqlite/0002_failure_streak.sql")),
    (3, include_str!("../../migrations/sqlite/0003_pending_by_webhook.sql")),
    (4, include_str!("../../migrations/sqlite/0004_no_attempts_by_delivery.sql")),
    (5, include_str!("../../migrations/sqlite/0005_webhook_revision.sql")),
    (6, include_str!("../../migrations/sqlite/0006_request_recipe.sql")),
    (7, include_str!("../../migrations/sqlite/0007_portal_sessions.sql")),
    (8, include_str!("../../migrations/sqlite/0008_webhooks_feature.sql")),
    (9, include_str!("../../migrations/sqlite/0009_audit.sql")),
    (10, include_str!("../../migrations/sqlite/0010_health.sql")),
    (11, include_str!("../../migrations/sqlite/0011_events_by_org.sql")),
    (12, include_str!("../../migrations/sqlite/0012_event_traceparent.sql")),
    (13, include_str!("../../migrations/sqlite/0013_webhook_filter.sql")),
    (14, include_str!("../../migrations/sqlite/0014_webhook_transformation.sql")),
    (15, include_str!("../../migrations/sqlite/0015_webhook_destination.sql")),
];

/// Writes the writer takes from its queue before it looks at whether to commit.
const MAX_DRAIN: usize = 1024;

/// One caller's write, queued for the writer thread.
trait Job: Send {
    /// Runs the write; says whether it succeeded. Called again if its group is rolled back
    /// because another job of the group failed.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller once the group's transaction has ended.
    fn finish(self: Box<Self>, commit_err: Option<StoreError>);
}

struct Write<T, F> {
    f: F,
    result: Option<Result<T, StoreError>>,
    reply: tokio::sync::oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> Job for Write<T, F>
where
    T: Send,
    F: Fn(&Connection) -> Result<T, StoreError> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let result = (self.f)(conn);
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn finish(self: Box<Self>, commit_err: Option<StoreError>) {
        let answer = match (commit_err, self.result) {
            (Some(e), _) => Err(e),
            (None, Some(result)) => result,
            (None, None) => Err(StoreError::Other("the write never ran".into())),
        };
        let _ = self.reply.send(answer);
    }
}

pub(crate) struct Db {
    writer: mpsc::Sender<Msg>,
    readers: Arc<Mutex<Vec<Connection>>>,
    path: PathBuf,
    /// Set once an fsync has failed: from then on nothing written can be promised durable.
    broken: Broken,
    /// Held for the life of the process: one SQLite file serves one hookd node.
    _lock: Option<File>,
}

pub(crate) fn map_err(e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match &e {
        rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
        rusqlite::Error::ToSqlConversionFailure(inner) => match inner.downcast_ref::<StoreError>() {
            Some(store) => store.clone(),
            None => StoreError::Other(Cause::of(e)),
        },
        rusqlite::Error::SqliteFailure(f, msg) => match f.code {
            ErrorCode::ConstraintViolation => {
                // SQLite names the violated columns only in its message ("UNIQUE constraint
                // failed: members.org_id, members.email"), so that is what we can pass on.
                let constraint = msg
                    .as_deref()
                    .and_then(|m| m.split_once(": ").map(|(_, c)| c.to_owned()))
                    .unwrap_or_else(|| "constraint".into());
                StoreError::Conflict { constraint }
            }
            ErrorCode::DiskFull => StoreError::Full(Cause::of(e)),
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::CannotOpen => {
                StoreError::Unavailable(Cause::of(e))
            }
            _ => StoreError::Other(Cause::of(e)),
        },
        _ => StoreError::Other(Cause::of(e)),
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    // Pages of 8 KiB for a new file (an existing one keeps its size): a fan-out's commit
    // writes fewer WAL frames and the B-trees are shallower (README, Performance). It has to
    // come before WAL mode, which fixes the size.
    conn.execute_batch("PRAGMA page_size = 8192;").map_err(map_err)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(map_err)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Unavailable(format!(
            "SQLite could not use write-ahead logging on this file system (journal mode `{mode}`); put the data directory on a local disk"
        ).into()));
    }
    // synchronous=NORMAL syncs the WAL at checkpoints but not at each commit; the sync
    // thread does that, after COMMIT and before the caller hears back (see `sync_loop`).
    // Together that is synchronous=FULL with the fsync off the writer's path.
    //
    // A checkpoint every 4,000 pages (32 MiB of log) rather than SQLite's 1,000: the pages
    // every commit touches (the tables' and indexes' last leaves) are copied into the
    // database once a checkpoint, so fewer checkpoints copy them fewer times. The price: a
    // checkpoint, which runs in the writer's commit, stalls it longer, which shows in E=1's
    // p99 (README, Performance, "SQLite checkpoints every 4,000 pages").
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL;
         PRAGMA wal_autocheckpoint = 4000;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA cache_size = -16000;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(map_err)
}

fn open_conn(path: &Path, flags: OpenFlags) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(path, flags).map_err(map_err)?;
    configure(&conn)?;
    // Room for every statement the store says (rusqlite keeps 16): a miss re-parses the SQL.
    conn.set_prepared_statement_cache_capacity(256);
    Ok(conn)
}

fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    open_conn(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI)
}

/// Reads the whole file once (`PRAGMA quick_check`: every page and row, without the index
/// cross-checks of `integrity_check`) before the node starts: a damaged file must not start a
/// node that says it is ready and then fails every write of what it sends.
fn check_integrity(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let mut stmt = conn.prepare("PRAGMA quick_check(5)").map_err(map_err)?;
    let found: Vec<String> =
        stmt.query_map([], |r| r.get(0)).map_err(map_err)?.collect::<Result<_, _>>().map_err(map_err)?;
    if found.len() == 1 && found[0] == "ok" {
        return Ok(());
    }
    Err(damaged(path, &found.join("; ")))
}

/// Whether SQLite found the file damaged (or not a database at all).
fn is_damage(e: &StoreError) -> bool {
    let sqlite = e.cause().and_then(|c| std::error::Error::source(c)).and_then(|s| s.downcast_ref::<rusqlite::Error>());
    sqlite
        .and_then(rusqlite::Error::sqlite_error_code)
        .is_some_and(|c| matches!(c, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

/// A damaged file, said as what to do about it.
fn damaged(path: &Path, found: &str) -> StoreError {
    StoreError::Unavailable(
        format!(
            "{} is damaged ({found}). Stop every hookd using it and restore it from a backup; to keep what can \
             be read, `sqlite3 {} .recover` writes it out as SQL",
            path.display(),
            path.display()
        )
        .into(),
    )
}

/// Applies the migrations this binary knows and the file lacks.
pub(crate) fn migrate(conn: &Connection) -> Result<i64, StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(map_err)?;
    let mut version = current;
    for (v, sql) in MIGRATIONS {
        if *v > version {
            conn.execute_batch(&format!("BEGIN IMMEDIATE; {sql}; PRAGMA user_version = {v}; COMMIT;"))
                .map_err(map_err)?;
            version = *v;
        }
    }
    Ok(version)
}

/// The database file's canonical path, made first if it does not exist (an empty file is an
/// empty database) so that a symlink to a file not yet made resolves too.
fn canonical(path: &Path) -> Result<std::path::PathBuf, StoreError> {
    let unavailable = |e: std::io::Error| StoreError::Unavailable(Cause::with(format!("{}: {e}", path.display()), e));
    std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(unavailable)?;
    std::fs::canonicalize(path).map_err(unavailable)
}

/// A database file that exists but holds nothing, with no log beside it either, was emptied,
/// not made (a new file is made here, and holds the schema at once): opening it would start a
/// new, empty database without a word, as if every webhook and pending delivery were gone.
fn refuse_emptied(path: &Path) -> Result<(), StoreError> {
    let len = |p: &Path| std::fs::metadata(p).map(|m| m.len()).ok();
    if len(path) == Some(0) && len(&wal_path(path)).unwrap_or(0) == 0 {
        return Err(StoreError::Unavailable(
            format!(
                "{} exists but is empty (0 bytes). If it was emptied by accident, restore it from a backup; \
                 to start a new database, delete the file",
                path.display()
            )
            .into(),
        ));
    }
    Ok(())
}

impl Db {
    /// Takes the file lock, after `PRAGMA quick_check` if `check`.
    pub(crate) fn open(path: &Path, check: bool) -> Result<Self, StoreError> {
        Self::open_with(path, true, check)
    }

    pub(crate) fn open_unlocked(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, false, false)
    }

    fn open_with(path: &Path, exclusive: bool, check: bool) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display()).into()))?;
        }
        refuse_emptied(path)?;
        // The lock and the WAL go beside the real file: through a symlink or another spelling
        // of the path, a second process must find the same lock.
        let real = canonical(path)?;
        let path = real.as_path();
        let lock = if exclusive {
            let lock_path = path.with_extension("lock");
            let lock = File::create(&lock_path)
                .map_err(|e| StoreError::Unavailable(format!("{}: {e}", lock_path.display()).into()))?;
            lock.try_lock().map_err(|_| {
                StoreError::Unavailable(format!(
                    "{} is in use by another hookd process; one SQLite file serves one node (use PostgreSQL for several)",
                    path.display()
                ).into())
            })?;
            Some(lock)
        } else {
            None
        };
        let opened = open_conn(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|c| if check { check_integrity(&c, path).map(|()| c) } else { Ok(c) });
        let writer_conn = opened.map_err(|e| if is_damage(&e) { damaged(path, &e.to_string()) } else { e })?;
        migrate(&writer_conn)?;
        let broken = Broken::default();
        let (tx, rx) = mpsc::channel::<Msg>();
        // One group is with the sync thread at a time; the next waits in the open transaction.
        let (synced_tx, synced_rx) = mpsc::sync_channel::<Vec<Box<dyn Job>>>(1);
        let wal = WalFile { path: wal_path(path), file: None };
        let (sync_broken, writer) = (broken.clone(), tx.clone());
        std::thread::Builder::new()
            .name("hookd-sqlite-sync".into())
            .spawn(move || sync_loop(wal, synced_rx, writer, sync_broken))
            .map_err(|e| StoreError::Other(format!("cannot start the sync thread: {e}").into()))?;
        let write_broken = broken.clone();
        std::thread::Builder::new()
            .name("hookd-sqlite-writer".into())
            .spawn(move || write_loop(writer_conn, rx, synced_tx, write_broken))
            .map_err(|e| StoreError::Other(format!("cannot start the writer thread: {e}").into()))?;
        Ok(Self { writer: tx, readers: Arc::new(Mutex::new(Vec::new())), path: path.to_owned(), broken, _lock: lock })
    }

    /// An error once the database can no longer promise durable writes.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        self.broken.check()
    }

    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Fn(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, rx) = tokio::sync::oneshot::channel();
        let job: Box<dyn Job> = Box::new(Write { f, result: None, reply });
        self.writer.send(Msg::Job(job)).map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?;
        rx.await.map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".into()))?
    }

    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let readers = self.readers.clone();
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = readers.lock().ok().and_then(|mut v| v.pop());
            let conn = match pooled {
                Some(c) => c,
                None => open_reader(&path)?,
            };
            let result = f(&conn);
            if let Ok(mut v) = readers.lock() {
                v.push(conn);
            }
            result
        })
        .await
        .map_err(|e| StoreError::Other(format!("reader task failed: {e}").into()))?
    }
}

impl Drop for Db {
    /// The sync thread holds a sender to the writer, so the writer is told to stop rather
    /// than left waiting for a closed channel.
    fn drop(&mut self) {
        let _ = self.writer.send(Msg::Stop);
    }
}

/// Runs a statement prepared once per connection: the writer says these thousands of times a second.
fn run_cached(conn: &Connection, sql: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute([])
}

/// Set by the sync thread when an fsync fails. Linux may have dropped the unsynced pages by
/// then and a later fsync can succeed without them, so there is no retrying: every write
/// after that fails until hookd is restarted and SQLite recovers from what is on disk.
#[derive(Clone, Default)]
struct Broken(Arc<Mutex<Option<String>>>);

impl Broken {
    fn check(&self) -> Result<(), StoreError> {
        match self.0.lock().as_deref() {
            Ok(None) => Ok(()),
            Ok(Some(why)) => Err(StoreError::Unavailable(why.clone().into())),
            Err(_) => Err(StoreError::Unavailable("the SQLite sync thread failed".into())),
        }
    }

    fn set(&self, why: String) {
        if let Ok(mut slot) = self.0.lock() {
            slot.get_or_insert(why);
        }
    }
}

fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// The database's write-ahead log, opened by us to fsync it; fsync covers the file's pages
/// whichever descriptor wrote them.
struct WalFile {
    path: PathBuf,
    file: Option<File>,
}

impl WalFile {
    /// Makes every commit made so far durable.
    fn sync(&mut self) -> std::io::Result<()> {
        loop {
            let file = match &self.file {
                Some(file) => file,
                None => match File::open(&self.path) {
                    Ok(file) => self.file.insert(file),
                    // SQLite removes the log only once all of it is in the database file,
                    // synced: nothing is waiting for us.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                    Err(e) => return Err(e),
                },
            };
            file.sync_data()?;
            // The same reasoning if SQLite removed and recreated the log since we opened it:
            // the old one's commits are in the database, the new one needs its own fsync.
            let ours = file.metadata()?;
            match std::fs::metadata(&self.path) {
                Ok(now) if now.ino() == ours.ino() && now.dev() == ours.dev() => return Ok(()),
                Ok(_) => self.file = None,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }
}

/// Makes a committed group durable, tells the writer that the disk is free for the next
/// commit, and answers the group's callers.
fn sync_loop(mut wal: WalFile, rx: mpsc::Receiver<Vec<Box<dyn Job>>>, writer: mpsc::Sender<Msg>, broken: Broken) {
    while let Ok(group) = rx.recv() {
        let outcome = broken.check().and_then(|()| {
            wal.sync().map_err(|e| {
                let why = format!(
                    "writing the SQLite log to disk failed ({e}); what was not yet acknowledged may be lost: restart hookd"
                );
                tracing::error!("{why}");
                broken.set(why.clone());
                StoreError::Unavailable(Cause::with(why, e))
            })
        });
        // The writer first: it can commit what waits while the callers are woken (about a
        // tenth of a millisecond for a group of publishes).
        let _ = writer.send(Msg::Synced);
        for job in group {
            job.finish(outcome.clone().err());
        }
    }
}

/// What the writer thread waits for.
enum Msg {
    Job(Box<dyn Job>),
    /// The sync thread has made the last commit durable: the next may go.
    Synced,
    /// The store is closing: commit what is open and end.
    Stop,
}

/// The writes of the open transaction.
struct Group {
    jobs: Vec<Box<dyn Job>>,
    all_ok: bool,
}

impl Group {
    fn fail_all(jobs: Vec<Box<dyn Job>>, err: &StoreError) {
        for job in jobs {
            job.finish(Some(err.clone()));
        }
    }

    /// Runs a write in the open transaction, opening one for the first.
    fn add(&mut self, conn: &Connection, mut job: Box<dyn Job>, broken: &Broken) {
        if self.jobs.is_empty() {
            let began = broken.check().and_then(|()| run_cached(conn, "BEGIN IMMEDIATE").map(drop).map_err(map_err));
            if let Err(err) = began {
                job.finish(Some(err));
                return;
            }
            self.all_ok = true;
        }
        self.all_ok &= job.run(conn);
        self.jobs.push(job);
    }

    /// Commits; only if one of the writes failed is the group rolled back and run again with
    /// a savepoint per write, so that the failure undoes that write alone. (Savepoints on the
    /// common path cost a copy of every page a write touches.) Returns the writes to answer
    /// once the commit is durable.
    fn commit(&mut self, conn: &Connection) -> Option<Vec<Box<dyn Job>>> {
        let mut jobs = std::mem::take(&mut self.jobs);
        if !self.all_ok {
            let _ = run_cached(conn, "ROLLBACK");
            if let Err(e) = run_cached(conn, "BEGIN IMMEDIATE") {
                Self::fail_all(jobs, &map_err(e));
                return None;
            }
            for job in jobs.iter_mut() {
                let _ = run_cached(conn, "SAVEPOINT job");
                if !job.run(conn) {
                    let _ = run_cached(conn, "ROLLBACK TO job");
                }
                let _ = run_cached(conn, "RELEASE job");
            }
        }
        if let Err(e) = run_cached(conn, "COMMIT") {
            let _ = run_cached(conn, "ROLLBACK");
            Self::fail_all(jobs, &map_err(e));
            return None;
        }
        Some(jobs)
    }
}

/// Runs queued writes as they come, in one open transaction, and commits it whenever the
/// sync thread is free: while one commit is being made durable, the writes that arrive run
/// and wait in the next transaction, so there is one commit per fsync, as large as the disk
/// makes it, and the writer is never idle waiting for the disk. The sync thread answers a
/// group's callers once it is on disk; other connections may read it before that.
fn write_loop(conn: Connection, rx: mpsc::Receiver<Msg>, synced: mpsc::SyncSender<Vec<Box<dyn Job>>>, broken: Broken) {
    let mut group = Group { jobs: Vec::new(), all_ok: true };
    let mut syncing = false;
    let mut stopping = false;
    while !stopping {
        let Ok(first) = rx.recv() else { break };
        // What is queued, up to a bound, so that a steady stream of writes still commits.
        for msg in std::iter::once(first).chain(std::iter::from_fn(|| rx.try_recv().ok()).take(MAX_DRAIN)) {
            match msg {
                Msg::Job(job) => group.add(&conn, job, &broken),
                Msg::Synced => syncing = false,
                Msg::Stop => {
                    stopping = true;
                    break;
                }
            }
        }
        if group.jobs.is_empty() || (syncing && !stopping) {
            continue;
        }
        if let Some(jobs) = group.commit(&conn) {
            match synced.send(jobs) {
                Ok(()) => syncing = true,
                Err(mpsc::SendError(jobs)) => {
                    Group::fail_all(jobs, &StoreError::Unavailable("the SQLite sync thread has stopped".into()))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new file gets 8 KiB pages in WAL mode; an existing file keeps the size it has.
    #[tokio::test]
    async fn new_files_get_8_kib_pages_and_old_ones_keep_theirs() {
        let dir = tempfile::tempdir().expect("tempdir");
        async fn page_size(db: &Db) -> i64 {
            db.read(|c| c.query_row("PRAGMA page_size", [], |r| r.get(0)).map_err(map_err)).await.expect("read")
        }
        let db = Db::open(&dir.path().join("new.db"), true).expect("open");
        assert_eq!(page_size(&db).await, 8192);
        let old = dir.path().join("old.db");
        let c = Connection::open(&old).expect("create");
        c.execute_batch("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (k)").expect("4 KiB file");
        drop(c);
        let db = Db::open(&old, true).expect("reopen");
        assert_eq!(page_size(&db).await, 4096);
    }

    /// Writes queued together commit together, and one that fails after writing part of its
    /// work leaves neither that part behind nor the others' writes undone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_write_in_a_group_undoes_only_itself() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Arc::new(Db::open(&dir.path().join("group.db"), true).expect("open"));
        db.write(|c| {
            c.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY); INSERT INTO t VALUES ('x')").map_err(map_err)
        })
        .await
        .expect("table");
        // Hold the writer so that the next writes queue up and form one group.
        let busy = db.write(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            Ok(())
        });
        let insert = |keys: &'static [&'static str]| {
            let db = db.clone();
            tokio::spawn(async move {
                db.write(move |c| {
                    for k in keys {
                        c.execute("INSERT INTO t (k) VALUES (?1)", [k]).map_err(map_err)?;
                    }
                    Ok(())
                })
                .await
            })
        };
        let (a, bad, b) = (insert(&["a"]), insert(&["partial", "x"]), insert(&["b"]));
        busy.await.expect("busy");
        assert!(a.await.expect("task").is_ok());
        assert!(matches!(bad.await.expect("task"), Err(StoreError::Conflict { .. })));
        assert!(b.await.expect("task").is_ok());
        let keys: Vec<String> = db
            .read(|c| {
                let mut stmt = c.prepare("SELECT k FROM t ORDER BY k").map_err(map_err)?;
                let rows = stmt.query_map([], |r| r.get(0)).map_err(map_err)?;
                rows.collect::<Result<_, _>>().map_err(map_err)
            })
            .await
            .expect("read");
        assert_eq!(keys, vec!["a", "b", "x"]);
    }

    /// The log is found again if SQLite removes and recreates it, and a log that is gone
    /// needs no fsync (SQLite removes it only once all of it is in the database file).
    #[test]
    fn the_log_is_followed_across_removal_and_recreation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.db-wal");
        let mut wal = WalFile { path: path.clone(), file: None };
        wal.sync().expect("no log yet: nothing to sync");
        assert!(wal.file.is_none());
        std::fs::write(&path, b"first").expect("write");
        wal.sync().expect("sync");
        let first = wal.file.as_ref().expect("opened").metadata().expect("stat").ino();
        std::fs::remove_file(&path).expect("remove");
        std::fs::write(&path, b"second").expect("write");
        wal.sync().expect("sync");
        let now = std::fs::metadata(&path).expect("stat").ino();
        let ours = wal.file.as_ref().expect("reopened").metadata().expect("stat").ino();
        assert_ne!(first, now);
        assert_eq!(ours, now, "the recreated log is the one synced");
    }

    /// Once an fsync has failed nothing more is acknowledged: writes and the readiness
    /// check fail until hookd restarts.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_sync_stops_all_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(&dir.path().join("broken.db"), true).expect("open");
        db.write(|c| c.execute_batch("CREATE TABLE t (k TEXT)").map_err(map_err)).await.expect("a healthy write");
        assert!(db.check().is_ok());
        db.broken.set("writing the SQLite log to disk failed (test)".into());
        let write = db.write(|c| c.execute_batch("INSERT INTO t VALUES ('x')").map_err(map_err)).await;
        assert!(
            matches!(write, Err(StoreError::Unavailable(ref why)) if why.to_string().contains("log to disk")),
            "{write:?}"
        );
        assert!(matches!(db.check(), Err(StoreError::Unavailable(_))));
    }
}
