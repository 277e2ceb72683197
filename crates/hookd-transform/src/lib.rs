//! Transformations: a webhook's JavaScript `handler(webhook)` (Svix's contract) run on a
//! request before it is signed and sent, so the signature covers what is sent and the history
//! shows it.
//!
//! The script is untrusted. Each run gets a QuickJS runtime and context of its own, dropped
//! after it, so nothing is kept between runs; there are no modules (`import` finds nothing),
//! no host objects (no `require`, `process`, `fetch`, timers or IO of any kind); and every
//! run has hard limits on memory (its own allocator's budget), stack depth and time (an
//! interrupt that QuickJS checks as it runs, in regular expressions too). Whatever the
//! script does, a run ends with an [`Outcome`] or a [`TransformError`] saying why not.
//!
//! QuickJS through `rquickjs` rather than `boa`: it builds in about 30 s (one C library), a
//! run with a fresh context costs about 0.1 ms, and it has memory and interrupt hooks made
//! for embedding untrusted code.

mod budget;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rquickjs::context::intrinsic::{Date, Eval, Json, MapSet, Promise, RegExp, RegExpCompiler};
use rquickjs::{CatchResultExt, CaughtError, Context, Ctx, Function, Runtime, Value};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// What a script's context has besides the base objects (`Object`, `Array`, `String`, `Math`,
/// `Error`, ...): a reshaping needs JSON, dates, regular expressions and maps; `eval` compiles
/// the script itself; `Promise` lets an `async` handler be told it must not be. Leaving out
/// proxies, typed arrays, big integers and weak references makes a context in half the time
/// of a full one (~70 us instead of ~110 us).
type Intrinsics = (Eval, Json, Date, RegExpCompiler, RegExp, MapSet, Promise);

/// Hard limits on one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub time: Duration,
    pub memory_bytes: usize,
    pub stack_bytes: usize,
}

impl Limits {
    /// What every run gets: a transformation reshapes one request, which takes well under a
    /// millisecond and a few hundred KiB.
    pub const DEFAULT: Limits =
        Limits { time: Duration::from_millis(100), memory_bytes: 16 << 20, stack_bytes: 256 << 10 };
}

/// What the handler is given: the request as hookd would send it.
#[derive(Debug, Serialize)]
pub struct Webhook<'a> {
    /// Always `POST`.
    pub method: &'static str,
    pub url: &'a str,
    /// The body as JSON.
    pub payload: &'a RawValue,
    #[serde(rename = "eventType")]
    pub event_type: &'a str,
    /// The webhook's own headers (hookd adds its own and the signatures after the run).
    pub headers: &'a BTreeMap<String, String>,
}

/// What the handler asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Send(Shaped),
    /// `cancel: true`: no request is sent.
    Cancel,
}

/// The request after the handler: its URL, its body (JSON text) and the webhook's headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shaped {
    pub url: String,
    pub payload: String,
    pub headers: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransformError {
    #[error("the code does not compile: {0}")]
    Compile(String),
    #[error("the code defines no function `handler`")]
    NoHandler,
    #[error("the handler threw: {0}")]
    Threw(String),
    #[error("the handler ran longer than {0} ms of CPU time and was stopped")]
    TimedOut(u128),
    #[error("the handler used more than {0} MiB of memory and was stopped")]
    OutOfMemory(usize),
    #[error("the handler returned {0}")]
    BadResult(String),
    #[error("the JavaScript engine could not start: {0}")]
    Engine(String),
}

/// Checks that `code` compiles and defines `handler` (its top level runs, under the limits).
pub fn check(code: &str, limits: &Limits) -> Result<(), TransformError> {
    sandboxed(code, limits, |_, _| Ok(()))
}

/// Runs `code`'s handler on `webhook`.
pub fn run(code: &str, webhook: &Webhook<'_>, limits: &Limits) -> Result<Outcome, TransformError> {
    let input = serde_json::to_string(webhook).map_err(|e| TransformError::Engine(e.to_string()))?;
    let returned = sandboxed(code, limits, |ctx, handler| {
        let arg = ctx.json_parse(input).catch(ctx).map_err(|e| TransformError::Engine(e.to_string()))?;
        let out: Value = handler.call((arg,)).catch(ctx).map_err(|e| threw(&e))?;
        if out.is_promise() {
            return Err(TransformError::BadResult("a Promise; the handler must return the webhook itself".into()));
        }
        let text = ctx.json_stringify(out).catch(ctx).map_err(|e| threw(&e))?;
        Ok(text.and_then(|t| t.to_string().ok()))
    })?;
    let Some(text) = returned else {
        return Err(TransformError::BadResult("nothing; return the webhook object".into()));
    };
    parse_result(&text)
}

/// What a handler may return; anything else in the object is ignored.
#[derive(Deserialize)]
struct Returned {
    method: Option<String>,
    url: Option<String>,
    payload: Option<Box<RawValue>>,
    headers: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    cancel: bool,
}

fn parse_result(text: &str) -> Result<Outcome, TransformError> {
    let bad = |what: String| TransformError::BadResult(what);
    let r: Returned =
        serde_json::from_str(text).map_err(|_| bad(format!("{}, not the webhook object", brief(text))))?;
    if r.cancel {
        return Ok(Outcome::Cancel);
    }
    if r.method.as_deref().is_some_and(|m| m != "POST") {
        return Err(bad("another method; hookd sends POST only".into()));
    }
    let Some(url) = r.url else { return Err(bad("no `url`".into())) };
    let payload = match r.payload {
        Some(p) => p.get().to_owned(),
        None => return Err(bad("no `payload`".into())),
    };
    let mut headers = BTreeMap::new();
    for (name, value) in r.headers.unwrap_or_default() {
        let serde_json::Value::String(v) = value else {
            return Err(bad(format!("header `{name}` as {value}; header values are strings")));
        };
        headers.insert(name, v);
    }
    Ok(Outcome::Send(Shaped { url, payload, headers }))
}

/// A returned value, shortened for a message.
fn brief(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

fn threw(e: &CaughtError<'_>) -> TransformError {
    TransformError::Threw(match e {
        CaughtError::Exception(x) => {
            let message = x.message().unwrap_or_default();
            let line = x.stack().and_then(|s| s.lines().next().map(|l| l.trim().to_owned()));
            match line {
                Some(at) if !at.is_empty() => format!("{message} ({at})"),
                _ => message,
            }
        }
        other => other.to_string(),
    })
}

/// Evaluates `code` in a fresh sandbox and hands its `handler` to `f`; errors that the limits
/// caused are reported as such, whatever the script saw of them.
fn sandboxed<T>(
    code: &str,
    limits: &Limits,
    f: impl for<'js> FnOnce(&Ctx<'js>, Function<'js>) -> Result<T, TransformError>,
) -> Result<T, TransformError> {
    let engine = |e: rquickjs::Error| TransformError::Engine(e.to_string());
    let refused = Arc::new(AtomicBool::new(false));
    let rt = Runtime::new_with_alloc(budget::Budget::new(limits.memory_bytes, refused.clone())).map_err(engine)?;
    rt.set_max_stack_size(limits.stack_bytes);
    let interrupted = Arc::new(AtomicBool::new(false));
    // The limit is on the CPU the run takes, so that runs sharing a busy machine are not cut
    // short by each other; wall-clock time is bounded too, at ten times as much.
    let (cpu_start, wall_deadline) = (thread_cpu(), Instant::now() + limits.time * 10);
    let cpu_limit = limits.time;
    let flag = interrupted.clone();
    rt.set_interrupt_handler(Some(Box::new(move || {
        let over = thread_cpu().saturating_sub(cpu_start) >= cpu_limit || Instant::now() >= wall_deadline;
        if over {
            flag.store(true, Ordering::Relaxed);
        }
        over
    })));
    let ctx = Context::custom::<Intrinsics>(&rt).map_err(engine)?;
    let result = ctx.with(|ctx| {
        ctx.eval::<(), _>(code).catch(&ctx).map_err(|e| match threw(&e) {
            TransformError::Threw(m) => TransformError::Compile(m),
            other => other,
        })?;
        // Read as the script's own code would: `const handler = ...` is no property of the global object.
        let handler: Value = ctx.eval("typeof handler === 'function' ? handler : undefined").map_err(engine)?;
        match handler.into_function() {
            Some(h) => f(&ctx, h),
            None => Err(TransformError::NoHandler),
        }
    });
    // A limit reached explains whatever error the script saw on the way out.
    match result {
        Err(_) if interrupted.load(Ordering::Relaxed) => Err(TransformError::TimedOut(limits.time.as_millis())),
        Err(_) if refused.load(Ordering::Relaxed) => Err(TransformError::OutOfMemory(limits.memory_bytes >> 20)),
        other => other,
    }
}

/// The CPU time this thread has used (QuickJS runs on the calling thread).
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec for the call to write; the clock exists on Linux.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec.max(0) as u64, ts.tv_nsec.clamp(0, 999_999_999) as u32)
}

#[cfg(test)]
mod tests;
