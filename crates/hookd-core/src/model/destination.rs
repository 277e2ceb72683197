//! Where a webhook's deliveries go: an HTTP receiver (the webhook's `url`), a queue, topic,
//! bus, stream or bucket of the customer's, or nowhere until a consumer pulls them (`poll`).
//! hookd writes to what the customer made and declares nothing.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::secret::{SealedSecret, mask};
use crate::validation::{FieldError, webhook_url};

/// A webhook's destination. The AWS kinds sign with SigV4 for `region`; `endpoint` sends to a
/// compatible service (LocalStack, moto, a VPC endpoint) instead of AWS's own host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Destination {
    // Struct variants: a unit variant would take unknown fields silently.
    /// POST to the webhook's `url`.
    Http {},
    /// `SendMessage` (`SendMessageBatch` for batches) to an Amazon SQS queue.
    Sqs {
        queue_url: String,
        region: String,
        access_key: String,
        secret_key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
    },
    /// `Publish` to an Amazon SNS topic.
    Sns {
        topic_arn: String,
        region: String,
        access_key: String,
        secret_key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
    },
    /// `PutEvents` on an Amazon EventBridge bus; `detail_type` defaults to the event type.
    Eventbridge {
        event_bus: String,
        source: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail_type: Option<String>,
        region: String,
        access_key: String,
        secret_key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
    },
    /// `PutRecord` (`PutRecords` for batches) on an Amazon Kinesis stream; the partition key
    /// defaults to the event's ID.
    Kinesis {
        stream: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        partition_key: Option<String>,
        region: String,
        access_key: String,
        secret_key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
    },
    /// `PutObject` into an Amazon S3 bucket, one object a request, named
    /// `{prefix}{webhook-id}.json`.
    S3 {
        bucket: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
        region: String,
        access_key: String,
        secret_key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endpoint: Option<String>,
    },
    /// A RabbitMQ exchange (AMQP 0-9-1, publisher confirms): `amqps://user:password@host/vhost`.
    Rabbitmq {
        url: String,
        /// Empty for the default exchange (the routing key then names a queue).
        #[serde(default)]
        exchange: String,
        routing_key: String,
    },
    /// A NATS subject (acknowledged when a JetStream stream captures it).
    Nats { url: String, subject: String },
    /// `XADD` to a Redis stream.
    Redis { url: String, stream: String },
    /// Nothing is pushed: deliveries wait in hookd until a consumer pulls them.
    Poll {},
}

/// The AWS account a destination writes with, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwsAccess<'a> {
    pub region: &'a str,
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub endpoint: Option<&'a str>,
}

/// A destination's kind, without its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DestinationKind {
    #[default]
    Http,
    Sqs,
    Sns,
    Eventbridge,
    Kinesis,
    S3,
    Rabbitmq,
    Nats,
    Redis,
    Poll,
}

impl DestinationKind {
    pub const ALL: [DestinationKind; 10] = [
        DestinationKind::Http,
        DestinationKind::Sqs,
        DestinationKind::Sns,
        DestinationKind::Eventbridge,
        DestinationKind::Kinesis,
        DestinationKind::S3,
        DestinationKind::Rabbitmq,
        DestinationKind::Nats,
        DestinationKind::Redis,
        DestinationKind::Poll,
    ];

    /// Its `type`, as the API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            DestinationKind::Http => "http",
            DestinationKind::Sqs => "sqs",
            DestinationKind::Sns => "sns",
            DestinationKind::Eventbridge => "eventbridge",
            DestinationKind::Kinesis => "kinesis",
            DestinationKind::S3 => "s3",
            DestinationKind::Rabbitmq => "rabbitmq",
            DestinationKind::Nats => "nats",
            DestinationKind::Redis => "redis",
            DestinationKind::Poll => "poll",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether it has settings to keep (sealed): all but `http` and `poll`.
    pub fn has_settings(self) -> bool {
        !matches!(self, DestinationKind::Http | DestinationKind::Poll)
    }
}

impl Default for Destination {
    fn default() -> Self {
        Destination::Http {}
    }
}

impl Destination {
    /// A webhook's destination from its kind and sealed settings: HTTP and `poll` have no
    /// settings; the others' are opened with `key` (`None` when they cannot be).
    pub fn open(key: &crate::secret::MasterKey, kind: DestinationKind, sealed: Option<&SealedSecret>) -> Option<Self> {
        match (kind, sealed) {
            (DestinationKind::Http, _) => Some(Destination::Http {}),
            (DestinationKind::Poll, _) => Some(Destination::Poll {}),
            (kind, Some(sealed)) => key
                .open(sealed)
                .ok()
                .and_then(|b| serde_json::from_slice::<Destination>(&b).ok())
                .filter(|d| d.kind() == kind),
            (_, None) => None,
        }
    }

    /// Its kind, which the store keeps in plain text beside the sealed settings.
    pub fn kind(&self) -> DestinationKind {
        match self {
            Destination::Http {} => DestinationKind::Http,
            Destination::Sqs { .. } => DestinationKind::Sqs,
            Destination::Sns { .. } => DestinationKind::Sns,
            Destination::Eventbridge { .. } => DestinationKind::Eventbridge,
            Destination::Kinesis { .. } => DestinationKind::Kinesis,
            Destination::S3 { .. } => DestinationKind::S3,
            Destination::Rabbitmq { .. } => DestinationKind::Rabbitmq,
            Destination::Nats { .. } => DestinationKind::Nats,
            Destination::Redis { .. } => DestinationKind::Redis,
            Destination::Poll {} => DestinationKind::Poll,
        }
    }

    /// Where it writes, as the webhook's `url` and each attempt's: the queue's URL, the
    /// topic's ARN, `redis://host:6379#stream` (passwords masked). An HTTP destination has
    /// the webhook's own URL instead.
    pub fn locator(&self) -> String {
        match self {
            Destination::Http {} => String::new(),
            Destination::Sqs { queue_url, .. } => queue_url.clone(),
            Destination::Sns { topic_arn, .. } => topic_arn.clone(),
            Destination::Eventbridge { event_bus, .. } => format!("eventbridge:{event_bus}"),
            Destination::Kinesis { stream, .. } => format!("kinesis:{stream}"),
            Destination::S3 { bucket, prefix, .. } => format!("s3://{bucket}/{}", prefix.as_deref().unwrap_or("")),
            Destination::Rabbitmq { url, exchange, routing_key } => {
                format!("{}#{exchange}/{routing_key}", url_masked(url))
            }
            Destination::Nats { url, subject } => format!("{}#{subject}", url_masked(url)),
            Destination::Redis { url, stream } => format!("{}#{stream}", url_masked(url)),
            Destination::Poll {} => "poll".into(),
        }
    }

    /// The AWS account of an AWS kind.
    pub fn aws(&self) -> Option<AwsAccess<'_>> {
        match self {
            Destination::Sqs { region, access_key, secret_key, endpoint, .. }
            | Destination::Sns { region, access_key, secret_key, endpoint, .. }
            | Destination::Eventbridge { region, access_key, secret_key, endpoint, .. }
            | Destination::Kinesis { region, access_key, secret_key, endpoint, .. }
            | Destination::S3 { region, access_key, secret_key, endpoint, .. } => {
                Some(AwsAccess { region, access_key, secret_key, endpoint: endpoint.as_deref() })
            }
            _ => None,
        }
    }

    /// Where it writes, in words a person recognises ("SQS queue https://…").
    pub fn describe(&self) -> String {
        match self {
            Destination::Http {} => "HTTP".into(),
            Destination::Sqs { queue_url, .. } => format!("Amazon SQS queue {queue_url}"),
            Destination::Sns { topic_arn, .. } => format!("Amazon SNS topic {topic_arn}"),
            Destination::Eventbridge { event_bus, source, .. } => {
                format!("Amazon EventBridge bus {event_bus} (source {source})")
            }
            Destination::Kinesis { stream, .. } => format!("Amazon Kinesis stream {stream}"),
            Destination::S3 { bucket, prefix, .. } => {
                format!(
                    "Amazon S3 bucket {bucket}{}",
                    prefix.as_deref().map(|p| format!(" under {p}")).unwrap_or_default()
                )
            }
            Destination::Rabbitmq { url, exchange, routing_key } => {
                let exchange = if exchange.is_empty() { "the default exchange" } else { exchange };
                format!("RabbitMQ {} ({exchange}, routing key {routing_key})", url_masked(url))
            }
            Destination::Nats { url, subject } => format!("NATS subject {subject} at {}", url_masked(url)),
            Destination::Redis { url, stream } => format!("Redis stream {stream} at {}", url_masked(url)),
            Destination::Poll {} => "pulled by a consumer (poll)".into(),
        }
    }

    /// The same destination with every secret replaced by `****` and its last four
    /// characters: AWS secret keys, and the password in a broker's URL.
    pub fn masked(&self) -> Destination {
        let mut d = self.clone();
        match &mut d {
            Destination::Sqs { secret_key, .. }
            | Destination::Sns { secret_key, .. }
            | Destination::Eventbridge { secret_key, .. }
            | Destination::Kinesis { secret_key, .. }
            | Destination::S3 { secret_key, .. } => *secret_key = mask(secret_key),
            Destination::Rabbitmq { url, .. } | Destination::Nats { url, .. } | Destination::Redis { url, .. } => {
                *url = url_masked(url)
            }
            Destination::Http {} | Destination::Poll {} => {}
        }
        d
    }

    /// This destination with every secret that a client sent back masked (as it was shown)
    /// replaced by the stored one it stands for; a destination of another kind keeps nothing.
    pub fn keep_secrets_of(self, stored: &Destination) -> Destination {
        let keep = |new: String, old: &str, masked: String| if new == masked { old.to_owned() } else { new };
        let mut d = self;
        match (&mut d, stored) {
            (Destination::Sqs { secret_key, .. }, Destination::Sqs { secret_key: old, .. })
            | (Destination::Sns { secret_key, .. }, Destination::Sns { secret_key: old, .. })
            | (Destination::Eventbridge { secret_key, .. }, Destination::Eventbridge { secret_key: old, .. })
            | (Destination::Kinesis { secret_key, .. }, Destination::Kinesis { secret_key: old, .. })
            | (Destination::S3 { secret_key, .. }, Destination::S3 { secret_key: old, .. }) => {
                *secret_key = keep(std::mem::take(secret_key), old, mask(old))
            }
            (Destination::Rabbitmq { url, .. }, Destination::Rabbitmq { url: old, .. })
            | (Destination::Nats { url, .. }, Destination::Nats { url: old, .. })
            | (Destination::Redis { url, .. }, Destination::Redis { url: old, .. }) => {
                *url = keep(std::mem::take(url), old, url_masked(old))
            }
            _ => {}
        }
        d
    }
}

impl Destination {
    /// Every field its kind needs, well formed, with errors naming it (`destination.queue_url`),
    /// and no masked secret sent back as if it were one. Brokers' URLs must use TLS unless
    /// private targets are allowed, as webhook URLs must use https.
    pub fn check(&self, allow_insecure: bool) -> Result<(), FieldError> {
        let field = |name: &str| format!("destination.{name}");
        let need = |name: &str, v: &str, max: usize| -> Result<(), FieldError> {
            if v.trim().is_empty() {
                return Err(FieldError::new(field(name), "is required"));
            }
            if v.len() > max {
                return Err(FieldError::new(field(name), format!("is longer than {max} characters")));
            }
            if v.chars().any(char::is_control) {
                return Err(FieldError::new(field(name), "contains a control character"));
            }
            Ok(())
        };
        if let Some(aws) = self.aws() {
            need("region", aws.region, 32)?;
            if !aws.region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(FieldError::new(field("region"), "is an AWS region such as eu-west-1"));
            }
            need("access_key", aws.access_key, 128)?;
            need("secret_key", aws.secret_key, 128)?;
            if aws.secret_key.starts_with("****") {
                return Err(FieldError::new(field("secret_key"), "send the secret itself, not its masked form"));
            }
            if let Some(e) = aws.endpoint {
                webhook_url(&field("endpoint"), e, allow_insecure)?;
            }
        }
        match self {
            Destination::Http {} | Destination::Poll {} => Ok(()),
            Destination::Sqs { queue_url, .. } => webhook_url(&field("queue_url"), queue_url, allow_insecure).map(drop),
            Destination::Sns { topic_arn, .. } => {
                need("topic_arn", topic_arn, 256)?;
                arn(&field("topic_arn"), topic_arn, "sns")
            }
            Destination::Eventbridge { event_bus, source, detail_type, .. } => {
                need("event_bus", event_bus, 1600)?;
                need("source", source, 256)?;
                detail_type.as_deref().map_or(Ok(()), |d| need("detail_type", d, 128))
            }
            Destination::Kinesis { stream, partition_key, .. } => {
                need("stream", stream, 128)?;
                if !stream.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
                    return Err(FieldError::new(field("stream"), "is a stream name: letters, digits, _ . -"));
                }
                partition_key.as_deref().map_or(Ok(()), |k| need("partition_key", k, 256))
            }
            Destination::S3 { bucket, prefix, .. } => {
                need("bucket", bucket, 63)?;
                let named = bucket.len() >= 3
                    && bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c));
                if !named {
                    return Err(FieldError::new(field("bucket"), "is a bucket name: 3 to 63 of a-z 0-9 . -"));
                }
                prefix.as_deref().map_or(Ok(()), |p| need("prefix", p, 512))
            }
            Destination::Rabbitmq { url, exchange, routing_key } => {
                broker_url(&field("url"), url, &["amqps", "amqp"], allow_insecure)?;
                if exchange.len() > 255 || exchange.chars().any(char::is_control) {
                    return Err(FieldError::new(field("exchange"), "is an exchange name of at most 255 characters"));
                }
                need("routing_key", routing_key, 255)
            }
            Destination::Nats { url, subject } => {
                broker_url(&field("url"), url, &["tls", "nats"], allow_insecure)?;
                need("subject", subject, 256)?;
                let literal = subject.split('.').all(|t| !t.is_empty() && t != "*" && t != ">")
                    && !subject.chars().any(char::is_whitespace);
                if !literal {
                    return Err(FieldError::new(
                        field("subject"),
                        "is a subject to publish to: no wildcards or spaces",
                    ));
                }
                Ok(())
            }
            Destination::Redis { url, stream } => {
                broker_url(&field("url"), url, &["rediss", "redis"], allow_insecure)?;
                need("stream", stream, 512)
            }
        }
    }
}

/// An ARN of `service`: `arn:partition:service:region:account:resource`.
fn arn(field: &str, text: &str, service: &str) -> Result<(), FieldError> {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    if parts.len() == 6 && parts[0] == "arn" && parts[2] == service && parts.iter().all(|p| !p.is_empty()) {
        Ok(())
    } else {
        Err(FieldError::new(field, format!("is an ARN such as arn:aws:{service}:eu-west-1:123456789012:name")))
    }
}

/// A broker's URL: `schemes[0]` (its TLS scheme) or, where private targets are allowed, the
/// plain one; a host; a password not sent back masked.
fn broker_url(field: &str, text: &str, schemes: &[&str; 2], allow_insecure: bool) -> Result<(), FieldError> {
    if text.len() > 2048 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(field, "the URL is longer than 2048 characters or has spaces in it"));
    }
    let [tls, plain] = *schemes;
    let url = url::Url::parse(text)
        .map_err(|e| FieldError::new(field, format!("`{text}` is not a URL ({e}); write it as {tls}://host:port")))?;
    match url.scheme() {
        s if s == tls => {}
        s if s == plain && allow_insecure => {}
        s if s == plain => return Err(FieldError::new(field, format!("the URL must use {tls} (TLS)"))),
        other => return Err(FieldError::new(field, format!("scheme `{other}` is not supported; use {tls}"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FieldError::new(field, "the URL has no host"));
    }
    if url.password().is_some_and(|p| p.starts_with("****") || p.starts_with("%2A%2A%2A%2A")) {
        return Err(FieldError::new(field, "send the password itself, not its masked form"));
    }
    Ok(())
}

/// `url` with the password in it masked (`amqps://hookd:****cret@mq.example.com/`); a URL
/// without one, or one that does not parse, as it is (it was refused when saved).
pub fn url_masked(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else { return url.to_owned() };
    let Some(password) = parsed.password().map(|p| p.to_owned()) else { return url.to_owned() };
    match parsed.set_password(Some(&mask(&password))) {
        Ok(()) => parsed.to_string(),
        Err(()) => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(v: serde_json::Value) -> Destination {
        serde_json::from_value(v).unwrap()
    }

    fn refused(v: serde_json::Value) -> FieldError {
        let d = parse(v.clone());
        d.check(false).err().unwrap_or_else(|| panic!("{v} was accepted"))
    }

    const AWS: [(&str, &str); 3] =
        [("region", "eu-west-1"), ("access_key", "AKIAEXAMPLE"), ("secret_key", "wJalrXUtnFEMI/K7MDENG")];

    fn aws(mut v: serde_json::Value) -> serde_json::Value {
        for (k, x) in AWS {
            if v.get(k).is_none() {
                v[k] = json!(x);
            }
        }
        v
    }

    #[test]
    fn every_kind_reads_and_checks() {
        let good = [
            json!({"type": "http"}),
            json!({"type": "poll"}),
            aws(json!({"type": "sqs", "queue_url": "https://sqs.eu-west-1.amazonaws.com/123456789012/orders"})),
            aws(json!({"type": "sns", "topic_arn": "arn:aws:sns:eu-west-1:123456789012:orders"})),
            aws(json!({"type": "eventbridge", "event_bus": "default", "source": "acme.orders"})),
            aws(json!({"type": "kinesis", "stream": "orders", "partition_key": "k"})),
            aws(json!({"type": "s3", "bucket": "acme-events", "prefix": "hookd/"})),
            json!({"type": "rabbitmq", "url": "amqps://hookd:pw@mq.example.com/prod", "exchange": "events", "routing_key": "orders"}),
            json!({"type": "nats", "url": "tls://nats.example.com:4222", "subject": "acme.orders"}),
            json!({"type": "redis", "url": "rediss://:pw@redis.example.com:6380/0", "stream": "orders"}),
        ];
        for v in good {
            let d = parse(v.clone());
            assert_eq!(d.kind().as_str(), v["type"], "{v}");
            assert_eq!(DestinationKind::parse(d.kind().as_str()), Some(d.kind()));
            assert_eq!(d.check(false), Ok(()), "{v}");
            assert_eq!(serde_json::to_value(&d).unwrap(), v, "reads back as written");
        }
        assert_eq!(Destination::default(), Destination::Http {});
    }

    #[test]
    fn bad_destinations_name_their_field() {
        let unknown = serde_json::from_value::<Destination>(json!({"type": "sqs", "queue_url": "x", "regoin": "a"}));
        assert!(unknown.is_err(), "a misspelt field is refused");
        assert!(serde_json::from_value::<Destination>(json!({"type": "kafka"})).is_err());
        let cases = [
            (aws(json!({"type": "sqs", "queue_url": "http://sqs.example.com/q"})), "destination.queue_url"),
            (aws(json!({"type": "sqs", "queue_url": "https://q", "region": "EU West"})), "destination.region"),
            (aws(json!({"type": "sqs", "queue_url": "https://q", "secret_key": "****NG"})), "destination.secret_key"),
            (aws(json!({"type": "sqs", "queue_url": "https://q", "endpoint": "ftp://x"})), "destination.endpoint"),
            (aws(json!({"type": "sns", "topic_arn": "orders"})), "destination.topic_arn"),
            (aws(json!({"type": "eventbridge", "event_bus": "default", "source": " "})), "destination.source"),
            (aws(json!({"type": "kinesis", "stream": "a b"})), "destination.stream"),
            (aws(json!({"type": "s3", "bucket": "Acme"})), "destination.bucket"),
            (json!({"type": "rabbitmq", "url": "amqp://mq.example.com", "routing_key": "k"}), "destination.url"),
            (
                json!({"type": "rabbitmq", "url": "amqps://mq.example.com", "routing_key": ""}),
                "destination.routing_key",
            ),
            (json!({"type": "nats", "url": "tls://n.example.com", "subject": "orders.>"}), "destination.subject"),
            (json!({"type": "nats", "url": "http://n.example.com", "subject": "orders"}), "destination.url"),
            (json!({"type": "redis", "url": "rediss://:****word@r.example.com", "stream": "s"}), "destination.url"),
        ];
        for (v, field) in cases {
            assert_eq!(refused(v.clone()).field, field, "{v}");
        }
        let plain = json!({"type": "rabbitmq", "url": "amqp://127.0.0.1:5672", "routing_key": "k"});
        assert_eq!(parse(plain).check(true), Ok(()), "plain AMQP where private targets are allowed");
    }

    #[test]
    fn secrets_are_masked_and_kept_when_sent_back_masked() {
        let stored = parse(aws(json!({"type": "sqs", "queue_url": "https://q.example.com/1"})));
        let shown = stored.masked();
        let Destination::Sqs { secret_key, .. } = &shown else { unreachable!() };
        assert_eq!(secret_key, "****DENG");
        assert_eq!(shown.clone().keep_secrets_of(&stored), stored, "sent back as shown: the stored key stays");
        let broker =
            parse(json!({"type": "redis", "url": "rediss://:correct-horse-battery@r.example.com:6380", "stream": "s"}));
        let shown = broker.masked();
        let Destination::Redis { url, .. } = &shown else { unreachable!() };
        assert!(!url.contains("correct-horse") && url.contains("****tery"), "{url}");
        assert!(shown.describe().contains("Redis stream s"), "{}", shown.describe());
        assert_eq!(shown.keep_secrets_of(&broker), broker);
        let other = parse(json!({"type": "nats", "url": "tls://n.example.com", "subject": "a"}));
        assert_eq!(other.clone().keep_secrets_of(&broker), other, "another kind keeps nothing");
    }
}
