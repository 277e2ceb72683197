//! The command line. Every setting is also a `HOOKD_*` variable and a `hookd.toml` key.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "hookd",
    version,
    about = "Webhook delivery service: publish events, hookd signs, delivers, retries and records them"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API and the delivery workers.
    Serve {
        #[command(flatten)]
        settings: Settings,
        /// Also create a demo organization, its admin and the seeds' event-type catalog.
        #[arg(long)]
        demo: bool,
    },
    /// Apply schema migrations and exit.
    Migrate {
        #[command(flatten)]
        settings: Settings,
    },
    /// Manage access tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Print a one-time link that signs a member in to the portal.
    LoginLink {
        #[command(flatten)]
        settings: Settings,
        /// The organization ID (`org_…`).
        #[arg(long)]
        org: String,
        /// The member ID (`mbr_…`).
        #[arg(long)]
        member: String,
        /// How long the link works, e.g. `15m`, `2h` (default 15m, at most 7d).
        #[arg(long)]
        expires: Option<String>,
    },
    /// Pull a poll webhook and post each event, signed, to a local URL.
    Listen(crate::listen::ListenArgs),
    /// The built-in load test: a receiver, a server, N events to E webhooks.
    Bench(crate::bench::BenchArgs),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a new access token for an organization, once.
    Create {
        #[command(flatten)]
        settings: Settings,
        /// The organization ID (`org_…`).
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        /// admin, member or viewer.
        #[arg(long, default_value = "admin")]
        role: String,
    },
}

/// Settings shared by the commands that open the database.
#[derive(Debug, Clone, Args, Default)]
pub struct Settings {
    /// A TOML file with these settings (default: ./hookd.toml when it exists).
    #[arg(long, env = "HOOKD_CONFIG")]
    pub config: Option<PathBuf>,
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB` (default: DATA_DIR/hookd.db).
    #[arg(long, env = "HOOKD_DATABASE_URL")]
    pub database_url: Option<String>,
    /// PostgreSQL connections per node (default 16).
    #[arg(long, env = "HOOKD_DATABASE_POOL")]
    pub database_pool: Option<usize>,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "HOOKD_LISTEN")]
    pub listen: Option<String>,
    /// Base URL of this server as others reach it.
    #[arg(long, env = "HOOKD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Directory for the database and the master key (default ./hookd-data).
    #[arg(long, env = "HOOKD_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Use this operator token instead of generating one.
    #[arg(long, env = "HOOKD_OPERATOR_TOKEN", hide_env_values = true)]
    pub operator_token: Option<String>,
    /// Master key sealing secrets at rest: 64 hex characters (default: DATA_DIR/master.key).
    #[arg(long, env = "HOOKD_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Allow http and private, loopback and link-local targets (development and tests only).
    #[arg(long, env = "HOOKD_ALLOW_PRIVATE_TARGETS")]
    pub allow_private_targets: Option<bool>,
    /// Read the whole SQLite file for damage at start (default true; a second a gigabyte warm).
    #[arg(long, env = "HOOKD_CHECK_DATABASE")]
    pub check_database: Option<bool>,
    /// Waits between attempts, e.g. `5s,30s,2m,10m` (default: DESIGN's 10-step schedule).
    #[arg(long, env = "HOOKD_RETRY_SCHEDULE")]
    pub retry_schedule: Option<String>,
    /// How long a claimed delivery stays leased to its worker (default 60s).
    #[arg(long, env = "HOOKD_LEASE")]
    pub lease: Option<String>,
    /// Most requests in flight at once (default 256).
    #[arg(long, env = "HOOKD_CONCURRENCY")]
    pub concurrency: Option<usize>,
    /// Disable a webhook whose deliveries all failed for this long (default 3d)...
    #[arg(long, env = "HOOKD_DISABLE_AFTER")]
    pub disable_after: Option<String>,
    /// ...and at least this many of them (default 10).
    #[arg(long, env = "HOOKD_DISABLE_MIN_FAILURES")]
    pub disable_min_failures: Option<u32>,
    /// Keep events, deliveries and attempts this long once finished (default 30d).
    #[arg(long, env = "HOOKD_RETENTION")]
    pub retention: Option<String>,
    /// Largest accepted event payload in bytes (default 1048576).
    #[arg(long, env = "HOOKD_MAX_PAYLOAD_BYTES")]
    pub max_payload_bytes: Option<usize>,
    /// How deep an event payload may nest, in arrays and objects (default 64).
    #[arg(long, env = "HOOKD_MAX_JSON_DEPTH")]
    pub max_json_depth: Option<usize>,
    /// The prefix of hookd's own headers (default X-Hookd: X-Hookd-Event, X-Hookd-Delivery).
    #[arg(long, env = "HOOKD_HEADER_PREFIX")]
    pub header_prefix: Option<String>,
    /// The User-Agent of hookd's requests (default hookd/VERSION).
    #[arg(long, env = "HOOKD_USER_AGENT")]
    pub user_agent: Option<String>,
    /// Admins may add, change and remove members in the portal (default false: the
    /// operator's product owns its people).
    #[arg(long, env = "HOOKD_PORTAL_MEMBERS_EDITABLE")]
    pub portal_members_editable: Option<bool>,
    /// How long a client may take to send a request's headers (default 10s).
    #[arg(long, env = "HOOKD_HEADER_TIMEOUT")]
    pub header_timeout: Option<String>,
    /// How long a client may take to send a request's body (default 30s).
    #[arg(long, env = "HOOKD_BODY_TIMEOUT")]
    pub body_timeout: Option<String>,
    /// How long a kept-alive connection may wait for its next request (default 60s).
    #[arg(long, env = "HOOKD_IDLE_TIMEOUT")]
    pub idle_timeout: Option<String>,
    /// The most connections open at once (default 10000).
    #[arg(long, env = "HOOKD_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// The most connections open at once from one client address (default 1000; 0: no cap of
    /// its own, as behind a proxy).
    #[arg(long, env = "HOOKD_MAX_CONNECTIONS_PER_CLIENT")]
    pub max_connections_per_client: Option<usize>,
    /// How long a portal session lasts (default 12h).
    #[arg(long, env = "HOOKD_SESSION_TTL")]
    pub session_ttl: Option<String>,
    /// The product name the portal shows (default hookd).
    #[arg(long, env = "HOOKD_PORTAL_NAME")]
    pub portal_name: Option<String>,
    /// The portal's logo: a path on this server or a data:image/ URL.
    #[arg(long, env = "HOOKD_PORTAL_LOGO_URL")]
    pub portal_logo_url: Option<String>,
    /// The portal's accent colour, #rgb or #rrggbb (default #0b57d0).
    #[arg(long, env = "HOOKD_PORTAL_ACCENT")]
    pub portal_accent: Option<String>,
    /// Origins allowed to frame the portal, comma-separated (default: none).
    #[arg(long, env = "HOOKD_PORTAL_FRAME_ANCESTORS")]
    pub portal_frame_ancestors: Option<String>,
}
