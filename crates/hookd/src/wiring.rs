//! Builds the parts from the configuration and runs them until a signal.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use hookd_core::secret::MasterKey;
use hookd_delivery::{DispatchConfig, Dispatcher, Handoff, HttpClients, Metrics};
use hookd_server::ops::master_key;
use hookd_server::ops::tokens::{new_token_value, token_hash};
use hookd_server::{AppState, Ops, OpsConfig};
use hookd_store::Store;
use hookd_store::postgres::PostgresStore;
use hookd_store::sqlite::SqliteStore;
use tokio::sync::{Notify, watch};

use crate::config::{Config, Database};

const OPERATOR_TOKEN_KEY: &str = "operator_token_sha256";

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

/// The operator token's hash: from the configuration, from the database, or a new token
/// printed once.
async fn operator_token(config: &Config, store: &dyn Store) -> Result<[u8; 32]> {
    if let Some(t) = &config.operator_token {
        if t.len() < 16 {
            anyhow::bail!("HOOKD_OPERATOR_TOKEN must be at least 16 characters");
        }
        return Ok(token_hash(t));
    }
    if let Some(hex_hash) = store.get_setting(OPERATOR_TOKEN_KEY).await? {
        let bytes = hex::decode(hex_hash.trim()).context("stored operator token hash")?;
        return bytes.try_into().map_err(|_| anyhow::anyhow!("stored operator token hash has the wrong length"));
    }
    let token = new_token_value();
    let hash = token_hash(&token);
    store.put_setting(OPERATOR_TOKEN_KEY, &hex::encode(hash)).await?;
    println!("operator token (shown once, keep it): {token}");
    Ok(hash)
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
        Database::Sqlite(path) => Arc::new(SqliteStore::open(path).await.with_context(what)?),
        Database::Postgres { url, pool } => Arc::new(PostgresStore::connect(url, *pool).await.with_context(what)?),
    })
}

pub async fn serve(mut config: Config, demo: bool) -> Result<()> {
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
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let session_ttl = config.session_ttl;
    let portal = config.portal.clone();
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
    let ops = Ops::new(
        store.clone(),
        key.clone(),
        handoff.clone(),
        metrics.clone(),
        OpsConfig {
            allow_private_targets: config.allow_private_targets,
            max_payload_bytes: config.max_payload_bytes,
            max_json_depth: config.max_json_depth,
            operator_token_sha256: operator,
            public_url: public_url.clone(),
            session_ttl,
            wire: config.wire.clone(),
        },
    );
    crate::demo::seed_operational(&ops).await?;
    let demo_org = if demo { Some(crate::demo::seed(&ops).await?) } else { None };
    let clients = Arc::new(
        HttpClients::new(config.allow_private_targets, config.wire.user_agent()).context("building the HTTP client")?,
    );
    let dispatcher = Dispatcher::new(store.clone(), clients, key, dispatch, handoff, metrics);
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = tokio::spawn(dispatcher.run(stop_rx.clone()));
    tokio::spawn(prune(store.clone(), config.retention, stop_rx.clone()));
    println!("hookd listening on {public_url} (database {})", config.database.display());
    let mut app = hookd_server::app(AppState::new(ops.clone(), portal));
    if let Some(org) = demo_org {
        app = app.merge(crate::demo::receiver());
        let (ops, base) = (ops.clone(), public_url.clone());
        // After the listener is up, so that the first deliveries find the receiver.
        tokio::spawn(async move {
            if let Err(e) = crate::demo::live(&ops, &org, &base).await {
                tracing::warn!(error = %e, "the demo's webhooks and events could not be made");
            }
        });
    }
    let server = hookd_server::serve::serve(listener, app, config.limits.clone(), stop_rx.clone());
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing requests in flight");
        let _ = stop_tx.send(true);
    });
    server.await;
    let _ = workers.await;
    Ok(())
}

/// Deletes finished work older than the retention period, a small batch at a time so that
/// delivery never waits long behind it.
async fn prune(store: Arc<dyn Store>, retention: Duration, mut stop: watch::Receiver<bool>) {
    const BATCH: usize = 1000;
    let Ok(retention) = chrono::Duration::from_std(retention) else { return };
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = stop.changed() => return,
        }
        let mut total = 0;
        loop {
            match store.prune(chrono::Utc::now() - retention, BATCH).await {
                Ok(0) => break,
                Ok(n) => total += n,
                Err(e) => {
                    tracing::warn!(error = %e, "pruning old history failed; will try again");
                    break;
                }
            }
            if *stop.borrow() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if total > 0 {
            tracing::info!(rows = total, "pruned history past the retention period");
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_else(|_| "node".into())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
