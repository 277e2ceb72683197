//! `hookd bench`: starts a receiver and a `hookd serve` child process, publishes N events to
//! E webhooks from P publishers, and prints one JSON line.

use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Events to publish.
    #[arg(long, short = 'n', default_value_t = 10_000)]
    pub events: usize,
    /// Webhooks every event goes to.
    #[arg(long, short = 'e', default_value_t = 1)]
    pub webhooks: usize,
    /// Payload size in bytes.
    #[arg(long, default_value_t = 1024)]
    pub payload_bytes: usize,
    /// Concurrent publishers.
    #[arg(long, default_value_t = 16)]
    pub publishers: usize,
    /// Give up waiting for deliveries after this many seconds.
    #[arg(long, default_value_t = 300)]
    pub timeout_s: u64,
}

pub async fn run(_args: BenchArgs) -> Result<()> {
    anyhow::bail!("bench is not built yet")
}
