//! A webhook's transformation, run where its request is built: on the body as JSON and the
//! webhook's headers, before the body is encoded and signed, on a blocking thread (a run may
//! take its whole time limit).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use hookd_core::model::{AttemptError, AttemptErrorKind};
use hookd_core::validation;
use hookd_core::wire::Wire;
use hookd_transform::{Limits, Outcome, Shaped, TransformError};
use serde_json::value::RawValue;
use tokio::sync::Semaphore;

/// The largest body a transformation may make: ten times the default event payload limit.
pub const MAX_SHAPED_BYTES: usize = 4 << 20;

fn failed(message: String) -> AttemptError {
    AttemptError { kind: AttemptErrorKind::Transformation, message }
}

/// How many transformations run at once on this node: four per core. Each may hold its memory
/// limit, so this bounds what they can take from the node (4 × cores × 16 MiB, not one budget
/// per request in flight) and leaves the blocking threads the store needs. Measured with `hookd
/// bench -e 10 --transformation` on 2 cores: one per core cost 40% of the throughput (runs
/// wait while the CPU has room between them), four per core 15%, against no bound at all.
fn runs() -> &'static Semaphore {
    static RUNS: OnceLock<Semaphore> = OnceLock::new();
    RUNS.get_or_init(|| Semaphore::new(4 * std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// Runs `job` (a transformation or a check of one) on a blocking thread when a run's place is
/// free.
async fn gated<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Result<T, Stopped> {
    let _place = runs().acquire().await?;
    Ok(tokio::task::spawn_blocking(job).await?)
}

/// A run that could not finish: the node is stopping or the run panicked.
pub type Stopped = Box<dyn std::error::Error + Send + Sync>;

/// Checks code on save (see `hookd_transform::check`), under the same gate as runs: a hostile
/// top level may take the whole time limit.
pub async fn check(code: String) -> Result<Result<(), TransformError>, Stopped> {
    gated(move || hookd_transform::check(&code, &Limits::DEFAULT)).await
}

/// The request a transformation is given: where it goes, the webhook's headers, the first
/// event's type and the body as JSON (before it is encoded for its content type).
pub struct Given {
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub event_type: String,
    pub json: Vec<u8>,
}

/// The request as the transformation `code` reshaped it, `None` when it cancelled the
/// delivery, or why it could not run or what it made cannot be sent. The one way a
/// transformation runs: for deliveries and for trying one out.
pub async fn shape(wire: &Wire, code: &str, given: Given) -> Result<Option<Shaped>, AttemptError> {
    let Given { url, headers, event_type, json } = given;
    let payload = String::from_utf8(json)
        .ok()
        .and_then(|text| RawValue::from_string(text).ok())
        .ok_or_else(|| failed("the body is not JSON".into()))?;
    let code = code.to_owned();
    let ran = gated(move || {
        let given = hookd_transform::Webhook {
            method: "POST",
            url: &url,
            payload: &payload,
            event_type: &event_type,
            headers: &headers,
        };
        hookd_transform::run(&code, &given, &Limits::DEFAULT)
    })
    .await
    .map_err(|e| failed(format!("the transformation stopped: {e}")))?;
    let shaped = match ran {
        Ok(Outcome::Cancel) => return Ok(None),
        Ok(Outcome::Send(s)) => s,
        Err(e) => return Err(failed(e.to_string())),
    };
    if shaped.payload.len() > MAX_SHAPED_BYTES {
        let size = shaped.payload.len();
        return Err(failed(format!("the handler returned a payload of {size} bytes; at most {MAX_SHAPED_BYTES}")));
    }
    validation::custom_headers("headers", shaped.headers.iter(), wire)
        .map_err(|e| failed(format!("the handler returned headers hookd cannot send: {e}")))?;
    Ok(Some(shaped))
}
