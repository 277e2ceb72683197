//! `hookd`: the node (store, key, dispatcher, retention and the HTTP server wired from the
//! configuration, [`run`]), the command line, and `hookd bench`. `main.rs` only parses flags.

pub mod bench;
pub mod cli;
pub mod config;
mod demo;
pub mod listen;
mod wiring;

use anyhow::{Context, Result};
use hookd_core::OrgId;
use hookd_core::model::Role;
use hookd_service::Actor;
use hookd_service::tokens::TokenIn;
use hookd_store::postgres::PostgresStore;
use hookd_store::sqlite::SqliteStore;

use crate::cli::{Cli, Command, TokenCommand};
use crate::config::{Config, Database};

pub use wiring::{run, shutdown_signal};

/// Runs one command of the command line.
pub async fn run_command(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { settings, demo } => {
            let config = Config::resolve(&settings)?;
            let listener = tokio::net::TcpListener::bind(&config.listen)
                .await
                .with_context(|| format!("cannot listen on {}", config.listen))?;
            run(config, demo, listener, shutdown_signal()).await
        }
        Command::Migrate { settings } => {
            let config = Config::resolve(&settings)?;
            let what = || format!("migrating {}", config.database.display());
            let v = match &config.database {
                Database::Sqlite(path) => SqliteStore::migrate(path).with_context(what)?,
                Database::Postgres { url, .. } => {
                    PostgresStore::connect(url, 2).await.with_context(what)?.migrate().await.with_context(what)?
                }
            };
            println!("{} is at schema version {v}", config.database.display());
            Ok(())
        }
        Command::Token { command: TokenCommand::Create { settings, org, name, role } } => {
            let config = Config::resolve(&settings)?;
            let org = OrgId::parse(&org).map_err(|e| anyhow::anyhow!("--org: {e}"))?;
            let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("--role must be admin, member or viewer"))?;
            let ops = wiring::offline_ops(&config).await?;
            let created = ops
                .create_token(&Actor::Operator, &org, TokenIn { name: Some(name), role: Some(role) })
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", created.token_value);
            eprintln!("token {} for {org} ({}); it is shown only now", created.token.id, role.as_str());
            Ok(())
        }
        Command::LoginLink { settings, org, member, expires } => {
            let config = Config::resolve(&settings)?;
            let org = OrgId::parse(&org).map_err(|e| anyhow::anyhow!("--org: {e}"))?;
            let member = hookd_core::MemberId::parse(&member).map_err(|e| anyhow::anyhow!("--member: {e}"))?;
            let expires = expires.map(|e| hookd_core::retry::parse_duration(&e)).transpose().context("--expires")?;
            let ops = wiring::offline_ops(&config).await?;
            let link = ops
                .create_login_link(&Actor::Operator, &org, &member, expires, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", link.url);
            eprintln!("works once, until {}", link.expires_at.to_rfc3339());
            Ok(())
        }
        Command::Listen(args) => listen::run(args, shutdown_signal()).await,
        Command::Bench(args) => bench::run(args).await,
    }
}
