//! `hookd`: one binary for the server, migrations, tokens and the load test.

use std::process::ExitCode;

use clap::Parser;
use hookd::cli::Cli;

// jemalloc rather than glibc's malloc: a delivery allocates and frees many short-lived
// buffers across threads, which glibc's malloc spent much of the server's CPU on
// (consolidating and unlinking chunks; README, Performance).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Logs to stderr, filtered by `HOOKD_LOG`, as text or (`HOOKD_LOG_FORMAT=json`) one JSON
/// object a line for a log pipeline.
fn init_logging() -> Result<(), String> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOOKD_LOG").unwrap_or_else(|_| "info".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match std::env::var("HOOKD_LOG_FORMAT").as_deref() {
        Err(_) | Ok("text") => logs.init(),
        Ok("json") => logs.json().flatten_event(true).init(),
        Ok(other) => return Err(format!("HOOKD_LOG_FORMAT is `{other}`; set it to `text` (the default) or `json`")),
    }
    Ok(())
}

fn main() -> ExitCode {
    if let Err(e) = init_logging() {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(hookd::run_command(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
