//! `hookd listen`: pulls a `poll` webhook and posts each message, as signed by hookd, to a
//! local URL, printing a line per message, like `stripe listen`. For developers building a
//! receiver on a machine hookd cannot reach.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::header::{AUTHORIZATION, HeaderName, HeaderValue};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use serde::Deserialize;

#[derive(Debug, Clone, Args)]
pub struct ListenArgs {
    /// hookd's address.
    #[arg(long, env = "HOOKD_SERVER", default_value = "http://127.0.0.1:8080")]
    pub server: String,
    /// The organization ID (`org_…`).
    #[arg(long)]
    pub org: String,
    /// An access token of the organization (member or admin).
    #[arg(long, env = "HOOKD_TOKEN")]
    pub token: String,
    /// Where to post each message, e.g. http://localhost:3000/webhooks.
    #[arg(long)]
    pub forward_to: String,
    /// The `poll` webhook to pull (default: the organization's only one).
    #[arg(long)]
    pub webhook: Option<String>,
    /// Pause between pulls when nothing is waiting, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    pub interval_ms: u64,
}

#[derive(Deserialize)]
struct Page {
    data: Vec<Message>,
    iterator: Option<String>,
    done: bool,
}

#[derive(Deserialize)]
struct Message {
    id: String,
    event_type: String,
    headers: std::collections::BTreeMap<String, String>,
    body: String,
}

#[derive(Deserialize)]
struct Webhooks {
    data: Vec<Webhook>,
}

#[derive(Deserialize)]
struct Webhook {
    id: String,
    name: String,
    destination: Option<serde_json::Value>,
}

type Http = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// Pulls and forwards until `stop` resolves.
pub async fn run(args: ListenArgs, stop: impl std::future::Future<Output = ()>) -> Result<()> {
    let connector =
        hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
    let http: Http = Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
    let auth = HeaderValue::from_str(&format!("Bearer {}", args.token)).context("--token")?;
    let base = format!("{}/api/v1/orgs/{}", args.server.trim_end_matches('/'), args.org);
    let webhook = match &args.webhook {
        Some(id) => id.clone(),
        None => only_poll_webhook(&http, &auth, &base).await?,
    };
    eprintln!("pulling webhook {webhook}, forwarding to {} (Ctrl-C stops)", args.forward_to);
    tokio::pin!(stop);
    let mut iterator: Option<String> = None;
    loop {
        let query = iterator.as_deref().map(|i| format!("?iterator={i}")).unwrap_or_default();
        let url = format!("{base}/webhooks/{webhook}/poll{query}");
        let page: Page = tokio::select! {
            got = get(&http, &auth, &url) => got?,
            _ = &mut stop => return Ok(()),
        };
        for m in &page.data {
            forward(&http, &args.forward_to, m).await;
        }
        iterator = page.iterator.or(iterator);
        if page.done {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(args.interval_ms)) => {}
                _ = &mut stop => return Ok(()),
            }
        }
    }
}

/// Posts one message and prints a line saying how it went. A receiver that cannot be reached
/// is tried again a few times: the message is acknowledged with the next pull either way.
async fn forward(http: &Http, to: &str, m: &Message) {
    let now = chrono::Utc::now().format("%H:%M:%S");
    for attempt in 1..=3 {
        match post(http, to, m).await {
            Ok(status) => {
                println!("{now}  {status}  {}  {}", m.event_type, m.id);
                return;
            }
            Err(e) if attempt == 3 => println!("{now}  ERR  {}  {}  {e:#}", m.event_type, m.id),
            Err(_) => tokio::time::sleep(Duration::from_millis(200 * attempt)).await,
        }
    }
}

async fn post(http: &Http, to: &str, m: &Message) -> Result<u16> {
    let mut request = hyper::Request::post(to).body(Full::new(Bytes::from(m.body.clone())))?;
    for (k, v) in &m.headers {
        request.headers_mut().insert(HeaderName::from_bytes(k.as_bytes())?, HeaderValue::from_str(v)?);
    }
    let response = http.request(request).await.with_context(|| format!("POST {to}"))?;
    Ok(response.status().as_u16())
}

async fn get<T: serde::de::DeserializeOwned>(http: &Http, auth: &HeaderValue, url: &str) -> Result<T> {
    let request = hyper::Request::get(url).header(AUTHORIZATION, auth.clone()).body(Full::new(Bytes::new()))?;
    let response = http.request(request).await.with_context(|| format!("GET {url}"))?;
    let status = response.status();
    let body = response.into_body().collect().await.with_context(|| format!("GET {url}"))?.to_bytes();
    if !status.is_success() {
        bail!("GET {url}: {status} {}", String::from_utf8_lossy(&body));
    }
    serde_json::from_slice(&body).with_context(|| format!("GET {url}: the answer"))
}

/// The organization's one `poll` webhook (an error naming them when there are several).
async fn only_poll_webhook(http: &Http, auth: &HeaderValue, base: &str) -> Result<String> {
    let list: Webhooks = get(http, auth, &format!("{base}/webhooks?limit=500")).await?;
    let polled: Vec<&Webhook> =
        list.data.iter().filter(|w| w.destination.as_ref().is_some_and(|d| d["type"] == "poll")).collect();
    match polled.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => bail!("the organization has no webhook whose destination is poll: make one, or name one with --webhook"),
        many => {
            let names: Vec<String> = many.iter().map(|w| format!("{} ({})", w.id, w.name)).collect();
            bail!("the organization has several poll webhooks; name one with --webhook: {}", names.join(", "))
        }
    }
}
