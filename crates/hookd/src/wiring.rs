//! Builds the parts from the configuration and runs them until a signal.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use hookd_core::secret::MasterKey;
use hookd_delivery::{DispatchConfig, Dispatcher, Handoff, HttpClients, Metrics};
use hookd_service::master_key;
use hookd_service::node::{self, OperatorToken};
use hookd_service::{Ops, OpsConfig};
use hookd_store::Store;
use hookd_store::postgres::PostgresStore;
use hookd_store::sqlite::SqliteStore;
use tokio::sync::{Notify, watch};

use crate::config::{Config, Database};

/// Reads the master key from the configuration or the data dir, and checks that it opens
/// what the database holds. A new key is made (mode 0600) only for a database that holds
/// nothing sealed yet: a lost `master.key` is an error, not a reason for a new key.
pub async fn master_key(config: &Config, store: &dyn Store) -> Result<MasterKey> {
    let key = read_master_key(config, store).await?;
    master_key::verify(store, &key).await?;
    Ok(key)
}

async fn read_master_key(config: &Config, store: &dyn Store) -> Result<MasterKey> {
    if let Some(k) = &config.secret_key {
        return MasterKey::parse(k).context("HOOKD_SECRET_KEY");
    }
    let path = config.data_dir.join("master.key");
    if path.exists() {
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        return MasterKey::parse(&text).with_context(|| format!("{} holds no valid key", path.display()));
    }
    if master_key::database_has_sealed_values(store).await? {
        anyhow::bail!(
            "{} is missing, but the database holds secrets sealed with a master key: put that file back, \
             or set HOOKD_SECRET_KEY to the key the database was first used with",
            path.display()
        );
    }
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    let (key, text) = MasterKey::generate();
    write_private(&path, &text)?;
    Ok(key)
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// The operator token's hash, printing a new token once (the service layer decides which
/// node of several starting at once made it).
async fn operator_token(config: &Config, store: &dyn Store) -> Result<[u8; 32]> {
    let token = node::operator_token(store, config.operator_token.as_deref()).await?;
    if let OperatorToken::New { value, .. } = &token {
        println!("operator token (shown once, keep it): {value}");
    }
    Ok(token.sha256())
}

/// The service layer's settings, as the configuration gives them.
fn ops_config(config: &Config, operator_token_sha256: [u8; 32], public_url: String) -> OpsConfig {
    OpsConfig {
        allow_private_targets: config.allow_private_targets,
        max_payload_bytes: config.max_payload_bytes,
        max_json_depth: config.max_json_depth,
        operator_token_sha256,
        public_url,
        session_ttl: config.session_ttl,
        wire: config.wire.clone(),
        members_editable: config.members_editable,
        attempts_allowed: config.retry.schedule.len() as u32 + 1,
    }
}

/// The service layer for a CLI command run beside a server: the configured limits and
/// branding, no dispatcher of its own (the server's finds whatever the command makes due),
/// and no operator token (a command acts as the operator by running on this machine).
pub async fn offline_ops(config: &Config) -> Result<Ops> {
    let store = open_store(config, true).await?;
    let key = master_key(config, store.as_ref()).await?;
    Ok(Ops::offline(store, key, ops_config(config, [0; 32], public_url(config))))
}

/// How others reach this server, as far as the configuration says (CLI commands that print
/// links run beside the server and cannot ask it).
pub fn public_url(config: &Config) -> String {
    config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.listen))
}

/// Opens the configured database. `shared` opens SQLite beside a running server (CLI
/// commands) instead of taking it over.
pub async fn open_store(config: &Config, shared: bool) -> Result<Arc<dyn Store>> {
    let what = || format!("cannot open the database {}", config.database.display());
    Ok(match &config.database {
        Database::Sqlite(path) if shared => Arc::new(SqliteStore::open_shared(path).with_context(what)?),
        Database::Sqlite(path) => {
            Arc::new(SqliteStore::open_checked(path, config.check_database).await.with_context(what)?)
        }
        Database::Postgres { url, pool } => Arc::new(PostgresStore::connect(url, *pool).await.with_context(what)?),
    })
}

/// Runs a node on `listener` until `shutdown` completes: opens the database, checks the
/// master key, starts the dispatcher, retention and the HTTP server, and returns once requests
/// in flight are answered and the dispatcher has stopped. The binary and in-process tests
/// call it alike.
pub async fn run(
    mut config: Config,
    demo: bool,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    if demo && !config.allow_private_targets {
        // The demo delivers to its own receiver on this machine.
        config.allow_private_targets = true;
        eprintln!(
            "demo: private targets allowed so that the demo can deliver to itself; never use --demo in production"
        );
    }
    let store = open_store(&config, false).await?;
    let key = master_key(&config, store.as_ref()).await?;
    let operator = operator_token(&config, store.as_ref()).await?;
    let addr = listener.local_addr()?;
    let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let wake = Arc::new(Notify::new());
    store.watch_for_work(wake.clone());
    let metrics = Arc::new(Metrics::default());
    let dispatch = DispatchConfig {
        node: format!("{}-{}", hostname(), std::process::id()),
        lease: config.lease,
        concurrency: config.concurrency,
        retry: config.retry.clone(),
        poll: Duration::from_secs(1),
        disable: config.disable,
        wire: config.wire.clone(),
    };
    // Room for four requests per slot: a slot frees in milliseconds, a lease lasts a minute.
    let handoff = Arc::new(Handoff::new(dispatch.node.clone(), dispatch.lease, dispatch.concurrency * 4, wake));
    let ops_config = ops_config(&config, operator, public_url.clone());
    let ops = Ops::new(store.clone(), key.clone(), handoff.clone(), metrics.clone(), ops_config);
    ops.seed_operational_catalog().await.context("adding hookd's operational events to the catalog")?;
    let demo_org = if demo { Some(seed_demo(&ops).await?) } else { None };
    let clients = Arc::new(
        HttpClients::new(config.allow_private_targets, config.wire.user_agent()).context("building the HTTP client")?,
    );
    let dispatcher = Dispatcher::new(store, clients, key, dispatch, handoff, metrics);
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = tokio::spawn(dispatcher.run(stop_rx.clone()));
    tokio::spawn(ops.clone().run_retention(config.retention, RETENTION_EVERY, stop_rx.clone()));
    println!("hookd listening on {public_url} (database {})", config.database.display());
    let mut app = hookd_server::app(ops.clone(), config.portal.clone());
    if let Some(org) = demo_org {
        app = app.merge(crate::demo::receiver());
        let (ops, base) = (ops.clone(), public_url.clone());
        // After the listener is up, so that the first deliveries find the receiver.
        tokio::spawn(async move {
            if let Err(e) = ops.seed_demo_traffic(&org, &base).await {
                tracing::warn!(error = %e, "the demo's webhooks and events could not be made");
            }
        });
    }
    let server = hookd_server::serve::run(listener, app, config.limits.clone(), stop_rx.clone());
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing requests in flight");
        let _ = stop_tx.send(true);
    });
    server.await;
    let _ = workers.await;
    Ok(())
}

/// How often retention looks for finished work past the retention period.
const RETENTION_EVERY: Duration = Duration::from_secs(60);

/// The demo org and what its operator needs to see once.
async fn seed_demo(ops: &Ops) -> Result<hookd_core::OrgId> {
    let seed = ops.seed_demo().await.context("seeding the demo")?;
    println!("demo org: {}", seed.org_id);
    println!("demo admin token: {}", seed.token_value);
    if let Some(url) = &seed.sign_in_url {
        println!("demo admin sign-in link (works once, for 15 minutes): {url}");
    }
    Ok(seed.org_id)
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_else(|_| "node".into())
}

/// Completes at SIGINT or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled: a SIGTERM that comes right after "listening" (an orchestrator
/// stopping a node it just started) is a graceful stop, not a kill.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let handlers = signal(SignalKind::terminate()).and_then(|t| Ok((t, signal(SignalKind::interrupt())?)));
        async move {
            match handlers {
                Ok((mut term, mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
