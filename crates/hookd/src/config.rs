//! Resolved configuration: flags, then `HOOKD_*` variables (both through clap), then
//! `hookd.toml`, then defaults.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use hookd_core::operational::DisablePolicy;
use hookd_core::retry::{RetryPolicy, parse_duration};
use serde::Deserialize;

use crate::cli::Settings;
use hookd_core::validation::DEFAULT_MAX_JSON_DEPTH;
use hookd_server::serve::ServerLimits;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    listen: Option<String>,
    public_url: Option<String>,
    data_dir: Option<PathBuf>,
    operator_token: Option<String>,
    secret_key: Option<String>,
    allow_private_targets: Option<bool>,
    check_database: Option<bool>,
    retry_schedule: Option<String>,
    lease: Option<String>,
    concurrency: Option<usize>,
    max_payload_bytes: Option<usize>,
    max_json_depth: Option<usize>,
    header_prefix: Option<String>,
    user_agent: Option<String>,
    header_timeout: Option<String>,
    body_timeout: Option<String>,
    idle_timeout: Option<String>,
    max_connections: Option<usize>,
    max_connections_per_client: Option<usize>,
    disable_after: Option<String>,
    disable_min_failures: Option<u32>,
    database_pool: Option<usize>,
    retention: Option<String>,
    session_ttl: Option<String>,
    portal_name: Option<String>,
    portal_logo_url: Option<String>,
    portal_accent: Option<String>,
    portal_frame_ancestors: Option<String>,
    portal_members_editable: Option<bool>,
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres { url: String, pool: usize },
}

impl Database {
    /// How messages name it: the path, or the URL without its password.
    pub fn display(&self) -> String {
        match self {
            Database::Sqlite(p) => p.display().to_string(),
            Database::Postgres { url, .. } => hookd_store::postgres::redact(url),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database: Database,
    pub listen: String,
    pub public_url: Option<String>,
    pub data_dir: PathBuf,
    pub operator_token: Option<String>,
    pub secret_key: Option<String>,
    pub allow_private_targets: bool,
    /// SQLite: `PRAGMA quick_check` before starting.
    pub check_database: bool,
    pub retry: RetryPolicy,
    pub lease: Duration,
    pub concurrency: usize,
    pub max_payload_bytes: usize,
    pub max_json_depth: usize,
    pub limits: ServerLimits,
    pub wire: hookd_core::wire::Wire,
    pub disable: DisablePolicy,
    pub retention: Duration,
    /// How long a portal session lasts.
    pub session_ttl: Duration,
    pub portal: hookd_server::PortalConfig,
    /// Members signed in to the portal may manage members (`HOOKD_PORTAL_MEMBERS_EDITABLE`).
    pub members_editable: bool,
}

impl Config {
    pub fn resolve(s: &Settings) -> Result<Self> {
        let file_path =
            s.config.clone().or_else(|| Path::new("hookd.toml").exists().then(|| PathBuf::from("hookd.toml")));
        let f: FileSettings = match &file_path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read the config file {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("{} is not a valid hookd.toml", p.display()))?
            }
            None => FileSettings::default(),
        };
        let data_dir = s.data_dir.clone().or(f.data_dir).unwrap_or_else(|| PathBuf::from("hookd-data"));
        let database_url = s.database_url.clone().or(f.database_url);
        let pool = s.database_pool.or(f.database_pool).unwrap_or(16);
        let database = match database_url {
            None => Database::Sqlite(data_dir.join("hookd.db")),
            Some(url) => match url.strip_prefix("sqlite://") {
                Some(p) if !p.is_empty() => Database::Sqlite(PathBuf::from(p)),
                _ if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                    Database::Postgres { url, pool }
                }
                _ => bail!(
                    "HOOKD_DATABASE_URL `{}` must look like sqlite://PATH or postgres://USER@HOST/DB",
                    hookd_store::postgres::redact(&url)
                ),
            },
        };
        let retry = match s.retry_schedule.clone().or(f.retry_schedule) {
            Some(text) => RetryPolicy::parse(&text).context("HOOKD_RETRY_SCHEDULE")?,
            None => RetryPolicy::default(),
        };
        let lease = match s.lease.clone().or(f.lease) {
            Some(text) => parse_duration(&text).context("HOOKD_LEASE")?,
            None => Duration::from_secs(60),
        };
        let concurrency = s.concurrency.or(f.concurrency).unwrap_or(256);
        if concurrency == 0 {
            bail!("HOOKD_CONCURRENCY must be at least 1");
        }
        let max_payload_bytes = s.max_payload_bytes.or(f.max_payload_bytes).unwrap_or(1 << 20);
        if max_payload_bytes < 1024 {
            bail!("HOOKD_MAX_PAYLOAD_BYTES must be at least 1024");
        }
        let max_json_depth = s.max_json_depth.or(f.max_json_depth).unwrap_or(DEFAULT_MAX_JSON_DEPTH);
        if !(2..=1000).contains(&max_json_depth) {
            bail!("HOOKD_MAX_JSON_DEPTH must be from 2 to 1000");
        }
        let duration =
            |flag: Option<String>, file: Option<String>, name: &str, default: Duration| -> Result<Duration> {
                match flag.or(file) {
                    Some(text) => parse_duration(&text).with_context(|| name.to_owned()),
                    None => Ok(default),
                }
            };
        let d = ServerLimits::default();
        let limits = ServerLimits {
            header_timeout: duration(
                s.header_timeout.clone(),
                f.header_timeout,
                "HOOKD_HEADER_TIMEOUT",
                d.header_timeout,
            )?,
            body_timeout: duration(s.body_timeout.clone(), f.body_timeout, "HOOKD_BODY_TIMEOUT", d.body_timeout)?,
            idle_timeout: duration(s.idle_timeout.clone(), f.idle_timeout, "HOOKD_IDLE_TIMEOUT", d.idle_timeout)?,
            max_connections: s.max_connections.or(f.max_connections).unwrap_or(d.max_connections),
            max_connections_per_client: s
                .max_connections_per_client
                .or(f.max_connections_per_client)
                .unwrap_or(d.max_connections_per_client),
        };
        if limits.max_connections == 0 {
            bail!("HOOKD_MAX_CONNECTIONS must be at least 1");
        }
        let default_wire = hookd_core::wire::Wire::default();
        let wire = hookd_core::wire::Wire::new(
            &s.header_prefix.clone().or(f.header_prefix).unwrap_or_else(|| default_wire.prefix().to_owned()),
            &s.user_agent.clone().or(f.user_agent).unwrap_or_else(|| default_wire.user_agent().to_owned()),
        )
        .map_err(|e| anyhow::anyhow!("HOOKD_HEADER_PREFIX / HOOKD_USER_AGENT: {e}"))?;
        let mut disable = DisablePolicy::default();
        if let Some(text) = s.disable_after.clone().or(f.disable_after) {
            disable.window = parse_duration(&text).context("HOOKD_DISABLE_AFTER")?;
        }
        if let Some(n) = s.disable_min_failures.or(f.disable_min_failures) {
            disable.min_failures = n.max(1);
        }
        let retention = match s.retention.clone().or(f.retention) {
            Some(text) => parse_duration(&text).context("HOOKD_RETENTION")?,
            None => Duration::from_secs(30 * 86_400),
        };
        let session_ttl = match s.session_ttl.clone().or(f.session_ttl) {
            Some(text) => parse_duration(&text).context("HOOKD_SESSION_TTL")?,
            None => Duration::from_secs(12 * 3600),
        };
        let mut portal = hookd_server::PortalConfig::default();
        if let Some(n) = s.portal_name.clone().or(f.portal_name).filter(|n| !n.trim().is_empty()) {
            portal.product_name = n;
        }
        portal.logo_url = s.portal_logo_url.clone().or(f.portal_logo_url).filter(|l| !l.trim().is_empty());
        if let Some(a) = s.portal_accent.clone().or(f.portal_accent) {
            portal.accent = a.trim().to_owned();
        }
        portal.frame_ancestors = s
            .portal_frame_ancestors
            .clone()
            .or(f.portal_frame_ancestors)
            .map(|t| t.split([',', ' ']).filter(|o| !o.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default();
        let public_url = s.public_url.clone().or(f.public_url);
        portal.secure_cookies = public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
        portal.check().map_err(anyhow::Error::msg)?;
        Ok(Self {
            members_editable: s.portal_members_editable.or(f.portal_members_editable).unwrap_or(false),
            portal,
            session_ttl,
            retention,
            disable,
            database,
            listen: s.listen.clone().or(f.listen).unwrap_or_else(|| "127.0.0.1:8080".into()),
            public_url,
            data_dir,
            operator_token: s.operator_token.clone().or(f.operator_token),
            secret_key: s.secret_key.clone().or(f.secret_key),
            allow_private_targets: s.allow_private_targets.or(f.allow_private_targets).unwrap_or(false),
            check_database: s.check_database.or(f.check_database).unwrap_or(true),
            retry,
            lease,
            concurrency,
            max_payload_bytes,
            max_json_depth,
            limits,
            wire,
        })
    }
}
