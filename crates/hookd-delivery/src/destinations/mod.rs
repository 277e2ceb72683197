//! Destinations other than HTTP: queues, streams and brokers. The dispatcher renders, signs
//! and records as for HTTP; only the last step, handing over the signed message, is done
//! here, by one module per kind. Every connection goes through the SSRF guard
//! ([`connect::open`]).

mod aws;
mod connect;
mod nats;
mod rabbitmq;
mod redis;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::client::HttpClients;

use hookd_core::model::{AttemptError, AttemptErrorKind, Destination, DestinationKind};

/// The kinds this build of hookd delivers to; webhooks of others are refused when saved.
pub const DELIVERED: &[DestinationKind] = &[
    DestinationKind::Http,
    DestinationKind::Poll,
    DestinationKind::Redis,
    DestinationKind::Sqs,
    DestinationKind::Sns,
    DestinationKind::Eventbridge,
    DestinationKind::Kinesis,
    DestinationKind::S3,
    DestinationKind::Nats,
    DestinationKind::Rabbitmq,
];

/// A signed message: the headers an HTTP delivery would carry and its body.
pub(crate) struct Message<'a> {
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// The (first) event: its ID is Kinesis's default partition key, its type EventBridge's
    /// default detail type.
    pub event: &'a hookd_core::model::Event,
}

impl Message<'_> {
    /// The message as one JSON object, for the kinds without headers or attributes
    /// (EventBridge's detail, a Kinesis record): `{"headers": {…}, "body": "…"}`, the body
    /// the exact string that was signed.
    pub(crate) fn wrapped(&self) -> serde_json::Value {
        let headers: serde_json::Map<String, serde_json::Value> =
            self.headers.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
        serde_json::json!({"headers": headers, "body": String::from_utf8_lossy(self.body)})
    }
}

/// What a destination took: the IDs it gave the message (an entry ID, a message ID).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Accepted {
    pub ids: Vec<String>,
}

impl Accepted {
    /// How the history shows it.
    pub(crate) fn text(&self) -> String {
        format!("accepted, message ID {}", self.ids.join(", "))
    }
}

/// The senders of every kind, with the connections they keep open.
pub(crate) struct Destinations {
    /// AWS's APIs are called with the webhooks' HTTP client (its pool and SSRF guard).
    clients: Arc<HttpClients>,
    redis: redis::Redis,
    nats: nats::Nats,
    rabbitmq: rabbitmq::Rabbitmq,
}

impl Destinations {
    pub(crate) fn new(clients: Arc<HttpClients>) -> Self {
        Self {
            clients,
            redis: redis::Redis::default(),
            nats: nats::Nats::default(),
            rabbitmq: rabbitmq::Rabbitmq::default(),
        }
    }

    /// Hands `m` to `destination` within `timeout`; says how long it took.
    pub(crate) async fn send(
        &self,
        destination: &Destination,
        m: &Message<'_>,
        timeout: Duration,
    ) -> Result<(Accepted, Duration), AttemptError> {
        let started = Instant::now();
        let allow_private = self.clients.allow_private();
        let clients = &self.clients;
        let sending = async {
            match (destination, destination.aws()) {
                (Destination::Redis { url, stream }, _) => self.redis.send(url, stream, m, allow_private).await,
                (Destination::Nats { url, subject }, _) => self.nats.send(url, subject, m, allow_private).await,
                (Destination::Rabbitmq { url, exchange, routing_key }, _) => {
                    self.rabbitmq.send(url, (exchange, routing_key), m, allow_private).await
                }
                (Destination::Sqs { queue_url, .. }, Some(a)) => aws::sqs(clients, &a, queue_url, m, timeout).await,
                (Destination::Sns { topic_arn, .. }, Some(a)) => aws::sns(clients, &a, topic_arn, m, timeout).await,
                (Destination::Eventbridge { event_bus, source, detail_type, .. }, Some(a)) => {
                    let to = (event_bus.as_str(), source.as_str(), detail_type.as_deref());
                    aws::eventbridge(clients, &a, to, m, timeout).await
                }
                (Destination::S3 { bucket, prefix, .. }, Some(a)) => {
                    aws::s3(clients, &a, (bucket, prefix.as_deref()), m, timeout).await
                }
                (Destination::Kinesis { stream, partition_key, .. }, Some(a)) => {
                    aws::kinesis(clients, &a, (stream, partition_key.as_deref()), m, timeout).await
                }
                (other, _) => unreachable_kind(other),
            }
        };
        let result = match tokio::time::timeout(timeout, sending).await {
            Ok(r) => r,
            Err(_) => Err(AttemptError {
                kind: AttemptErrorKind::Timeout,
                message: format!("no answer within {} ms", timeout.as_millis()),
            }),
        };
        result.map(|a| (a, started.elapsed()))
    }
}

/// A kind this build does not deliver to (the service refuses to save one; a webhook saved
/// by a later version and read by this one lands here).
fn unreachable_kind(d: &Destination) -> Result<Accepted, AttemptError> {
    Err(AttemptError {
        kind: AttemptErrorKind::Rejected,
        message: format!("{} destinations are not delivered to by this version of hookd", d.kind().as_str()),
    })
}
