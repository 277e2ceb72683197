//! The OTLP/HTTP exporter: spans batched by the OpenTelemetry SDK on its own thread, posted as
//! protobuf to the collector by hookd's hyper client (HTTP or HTTPS with the web's roots).

use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::Layer;
use tracing_subscriber::registry::LookupSpan;

/// How long one export may take; a collector that does not answer costs a batch, not a node.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error(
        "HOOKD_OTLP_ENDPOINT is `{0}`: set it to the collector's http:// or https:// URL, such as http://127.0.0.1:4318"
    )]
    Endpoint(String),
    #[error(
        "HOOKD_OTLP_SAMPLE_RATIO is {0}: set it from 0 (only what callers ask to trace) to 1 (every request, the default)"
    )]
    Ratio(f64),
    #[error("cannot make the OTLP exporter")]
    Build(#[source] opentelemetry_otlp::ExporterBuildError),
}

/// The installed exporter: [`Exporter::shutdown`] sends what is still batched.
#[derive(Debug)]
pub struct Exporter {
    provider: SdkTracerProvider,
}

impl Exporter {
    /// Exports what is batched and stops; spans ended afterwards are dropped.
    pub fn shutdown(&self) {
        super::ON.store(false, Ordering::Relaxed);
        if let Err(e) = self.provider.shutdown() {
            tracing::warn!(error = %e, "exporting the last spans failed");
        }
    }
}

/// The layer that turns hookd's trace spans ([`super::TARGET`]) into OpenTelemetry spans sent
/// to `endpoint` (a collector's base URL: traces go to `/v1/traces` under it), and the
/// exporter to shut down at the end. Spans are made from then on ([`super::on`]), for the
/// share `sample_ratio` of requests whose caller did not decide.
pub fn layer<S>(
    endpoint: &str,
    sample_ratio: f64,
    runtime: tokio::runtime::Handle,
) -> Result<(impl Layer<S>, Exporter), TelemetryError>
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    let url = traces_url(endpoint)?;
    if !(0.0..=1.0).contains(&sample_ratio) {
        return Err(TelemetryError::Ratio(sample_ratio));
    }
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(url)
        .with_timeout(EXPORT_TIMEOUT)
        .with_http_client(Client::new(runtime))
        .build()
        .map_err(TelemetryError::Build)?;
    let resource = Resource::builder()
        .with_service_name("hookd")
        .with_attribute(opentelemetry::KeyValue::new("service.version", env!("CARGO_PKG_VERSION")))
        .build();
    // Sampling is decided once, where a trace starts (`super::request`): what reaches the SDK
    // is to be exported.
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .with_sampler(opentelemetry_sdk::trace::Sampler::ParentBased(Box::new(
            opentelemetry_sdk::trace::Sampler::AlwaysOn,
        )))
        .build();
    let tracer = provider.tracer("hookd");
    // Only what a span means: not where in hookd's code it was made, on which thread, or how
    // long it waited between polls.
    let layer = tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_location(false)
        .with_threads(false)
        .with_target(false)
        .with_tracked_inactivity(false)
        .with_filter(tracing_subscriber::filter::filter_fn(|m| m.is_span() && m.target() == super::TARGET));
    super::RATIO.store(sample_ratio.to_bits(), Ordering::Relaxed);
    super::ON.store(true, Ordering::Relaxed);
    Ok((layer, Exporter { provider }))
}

/// The collector's traces URL: `/v1/traces` under a base URL, or the URL as given when it
/// names a path already.
fn traces_url(endpoint: &str) -> Result<String, TelemetryError> {
    let url = url::Url::parse(endpoint).map_err(|_| TelemetryError::Endpoint(endpoint.to_owned()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(TelemetryError::Endpoint(endpoint.to_owned()));
    }
    Ok(if url.path() == "/" {
        url.join("v1/traces").map_err(|_| TelemetryError::Endpoint(endpoint.to_owned()))?.into()
    } else {
        url.into()
    })
}

/// Posts export requests from the SDK's own thread on the server's runtime.
#[derive(Debug, Clone)]
struct Client {
    runtime: tokio::runtime::Handle,
    http: hyper_util::client::legacy::Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        Full<Bytes>,
    >,
}

impl Client {
    fn new(runtime: tokio::runtime::Handle) -> Self {
        let https =
            hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
        let http = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(https);
        Self { runtime, http }
    }
}

#[async_trait::async_trait]
impl HttpClient for Client {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let http = self.http.clone();
        let sent = self.runtime.spawn(async move {
            let answer = tokio::time::timeout(EXPORT_TIMEOUT, http.request(request.map(Full::new))).await??;
            let (parts, body) = answer.into_parts();
            // A collector answers briefly; a long answer is not read whole.
            let body = Limited::new(body, 64 * 1024).collect().await?.to_bytes();
            Ok::<_, HttpError>(Response::from_parts(parts, body))
        });
        sent.await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_is_a_base_url_or_the_traces_url() {
        assert_eq!(traces_url("http://127.0.0.1:4318").unwrap(), "http://127.0.0.1:4318/v1/traces");
        assert_eq!(traces_url("https://otel.example/custom/traces").unwrap(), "https://otel.example/custom/traces");
        for bad in ["127.0.0.1:4318", "ftp://x", "http://"] {
            let e = traces_url(bad).unwrap_err().to_string();
            assert!(e.contains("HOOKD_OTLP_ENDPOINT"), "{e}");
        }
    }
}
