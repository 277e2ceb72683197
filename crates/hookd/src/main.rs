//! `hookd`: one binary for the server, migrations, tokens and the load test.

use std::process::ExitCode;

use clap::Parser;
use hookd::cli::Cli;

// mimalloc rather than glibc's malloc: a delivery allocates and frees many short-lived
// buffers across threads, which glibc's malloc spent much of the server's CPU on
// (consolidating and unlinking chunks; README, Performance). mimalloc rather than jemalloc:
// as fast here, and it compiles in seconds where jemalloc's configure and make took two
// minutes of a fresh build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Logs to stderr, filtered by `HOOKD_LOG`, as text or (`HOOKD_LOG_FORMAT=json`) one JSON
/// object a line for a log pipeline; with `HOOKD_OTLP_ENDPOINT`, traces to that collector
/// (the exporter returned, to send its last spans at the end).
fn init_logging(runtime: &tokio::runtime::Handle) -> Result<Option<hookd_telemetry::Exporter>, String> {
    use tracing_subscriber::prelude::*;
    let mut filter = tracing_subscriber::EnvFilter::try_from_env("HOOKD_LOG").unwrap_or_else(|_| "info".into());
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let logs = match std::env::var("HOOKD_LOG_FORMAT").as_deref() {
        Err(_) | Ok("text") => fmt.boxed(),
        Ok("json") => fmt.json().flatten_event(true).boxed(),
        Ok(other) => return Err(format!("HOOKD_LOG_FORMAT is `{other}`; set it to `text` (the default) or `json`")),
    };
    let (traces, exporter) = match std::env::var("HOOKD_OTLP_ENDPOINT") {
        Ok(endpoint) if !endpoint.is_empty() => {
            let ratio = match std::env::var("HOOKD_OTLP_SAMPLE_RATIO") {
                Ok(r) => r.trim().parse::<f64>().map_err(|_| {
                    format!("HOOKD_OTLP_SAMPLE_RATIO is `{r}`: set it to a number from 0 to 1, such as 0.1")
                })?,
                Err(_) => 1.0,
            };
            let (layer, exporter) =
                hookd_telemetry::layer(&endpoint, ratio, runtime.clone()).map_err(|e| e.to_string())?;
            // The log sees the trace spans too, so that a line written inside one names its trace.
            if let Ok(spans) = format!("{}=info", hookd_telemetry::TARGET).parse() {
                filter = filter.add_directive(spans);
            }
            (Some(layer), Some(exporter))
        }
        _ => (None, None),
    };
    tracing_subscriber::registry().with(logs.with_filter(filter)).with(traces).init();
    Ok(exporter)
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let traces = match init_logging(runtime.handle()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let cli = Cli::parse();
    let ran = runtime.block_on(hookd::run_command(cli));
    if let Some(t) = traces {
        t.shutdown();
    }
    match ran {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
