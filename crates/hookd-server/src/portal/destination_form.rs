//! The webhook form's destination picker: every kind this build delivers to, each with its
//! fields, shown only when chosen; secrets come back masked and, left as shown, keep the
//! stored ones (the service layer swaps them back).

use std::collections::BTreeMap;

use hookd_core::model::{Destination, DestinationKind};
use serde_json::{Map, Value, json};

use super::form::Form;

/// One field of a kind, as the form shows it.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub placeholder: &'static str,
    pub hint: &'static str,
    pub optional: bool,
}

/// A kind the form offers.
pub struct Choice {
    pub kind: &'static str,
    pub label: &'static str,
    pub fields: &'static [Field],
}

const fn field(name: &'static str, label: &'static str, placeholder: &'static str, hint: &'static str) -> Field {
    Field { name, label, placeholder, hint, optional: false }
}

const fn optional(name: &'static str, label: &'static str, placeholder: &'static str, hint: &'static str) -> Field {
    Field { name, label, placeholder, hint, optional: true }
}

const BROKER_HINT: &str = "With TLS; the password is stored sealed and shown masked: leave it as shown to keep it.";

/// What every AWS kind adds after its own fields.
macro_rules! aws {
    ($($own:expr),* $(,)?) => {
        &[
            $($own,)*
            field("region", "Region", "eu-west-1", "The AWS region the request is signed for."),
            field("access_key", "Access key ID", "AKIA…", "Of an IAM user or role allowed only this call."),
            field("secret_key", "Secret access key", "", "Stored sealed and shown masked: leave it as shown to keep it."),
            optional("endpoint", "Endpoint", "https://vpce-….amazonaws.com", "Only for a compatible service or a VPC endpoint."),
        ]
    };
}

pub const CHOICES: &[Choice] = &[
    Choice { kind: "http", label: "An HTTPS endpoint (the URL)", fields: &[] },
    Choice {
        kind: "sqs",
        label: "An Amazon SQS queue",
        fields: aws![field(
            "queue_url",
            "Queue URL",
            "https://sqs.eu-west-1.amazonaws.com/123456789012/orders",
            "SendMessage; hookd's headers go as message attributes."
        )],
    },
    Choice {
        kind: "sns",
        label: "An Amazon SNS topic",
        fields: aws![field(
            "topic_arn",
            "Topic ARN",
            "arn:aws:sns:eu-west-1:123456789012:orders",
            "Publish; hookd's headers go as message attributes."
        )],
    },
    Choice {
        kind: "eventbridge",
        label: "An Amazon EventBridge bus",
        fields: aws![
            field("event_bus", "Event bus", "default", "PutEvents; the detail is {headers, body}."),
            field("source", "Source", "acme.orders", "The events' source, as your rules match it."),
            optional("detail_type", "Detail type", "order.paid", "Empty: the event's type."),
        ],
    },
    Choice {
        kind: "kinesis",
        label: "An Amazon Kinesis stream",
        fields: aws![
            field("stream", "Stream", "orders", "PutRecord; the data is {headers, body}."),
            optional("partition_key", "Partition key", "", "Empty: the event's ID."),
        ],
    },
    Choice {
        kind: "s3",
        label: "An Amazon S3 bucket",
        fields: aws![
            field(
                "bucket",
                "Bucket",
                "acme-events",
                "PutObject of {prefix}{webhook-id}.json; hookd's headers as x-amz-meta-* metadata."
            ),
            optional("prefix", "Key prefix", "hookd/", "Empty: objects at the bucket's top."),
        ],
    },
    Choice {
        kind: "rabbitmq",
        label: "A RabbitMQ exchange",
        fields: &[
            field("url", "Broker URL", "amqps://user:password@mq.example.com/vhost", BROKER_HINT),
            optional("exchange", "Exchange", "events", "Empty: the default exchange (the routing key names a queue)."),
            field(
                "routing_key",
                "Routing key",
                "orders.paid",
                "Confirmed by the broker; a message no queue takes is retried.",
            ),
        ],
    },
    Choice {
        kind: "nats",
        label: "A NATS subject",
        fields: &[
            field("url", "Server URL", "tls://user:password@nats.example.com:4222", BROKER_HINT),
            field("subject", "Subject", "acme.orders", "Acknowledged by JetStream when a stream captures it."),
        ],
    },
    Choice {
        kind: "redis",
        label: "A Redis stream",
        fields: &[
            field("url", "Redis URL", "rediss://:password@redis.example.com:6380/0", BROKER_HINT),
            field(
                "stream",
                "Stream",
                "events",
                "Each delivery is one XADD: hookd's headers and the signed body as the entry's fields.",
            ),
        ],
    },
    Choice { kind: "poll", label: "Nothing: a consumer pulls them (poll)", fields: &[] },
];

/// The picker's state: the chosen kind and every kind's typed values (`"sqs.queue_url"`).
#[derive(Debug, Clone, Default)]
pub struct Picked {
    pub kind: String,
    pub values: BTreeMap<String, String>,
}

impl Picked {
    pub fn http() -> Self {
        Self { kind: "http".into(), values: BTreeMap::new() }
    }

    /// A destination as the webhook's view shows it (the service layer masked its secrets;
    /// masking twice would not give back the form a secret is kept by).
    pub fn of(d: &Destination) -> Self {
        let kind = d.kind().as_str();
        let values = match serde_json::to_value(d) {
            Ok(Value::Object(fields)) => fields
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (format!("{kind}.{k}"), s.to_owned())))
                .collect(),
            _ => BTreeMap::new(),
        };
        Self { kind: kind.into(), values }
    }

    pub fn from_form(form: &Form) -> Self {
        let values = CHOICES
            .iter()
            .flat_map(|c| c.fields.iter().map(move |f| format!("{}.{}", c.kind, f.name)))
            .filter_map(|key| form.get(&format!("destination.{key}")).map(|v| (key, v.to_owned())))
            .collect();
        Self { kind: form.get("destination.type").unwrap_or("http").into(), values }
    }

    pub fn value(&self, kind: &str, field: &str) -> &str {
        self.values.get(&format!("{kind}.{field}")).map_or("", String::as_str)
    }

    pub fn is_http(&self) -> bool {
        DestinationKind::parse(&self.kind).is_none_or(|k| k == DestinationKind::Http)
    }

    /// The destination as the API takes it: the chosen kind's fields, optional ones left out
    /// when empty.
    pub fn json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("type".into(), json!(self.kind));
        if let Some(c) = CHOICES.iter().find(|c| c.kind == self.kind) {
            for f in c.fields {
                let v = self.value(c.kind, f.name).trim();
                if !(v.is_empty() && f.optional) {
                    obj.insert(f.name.into(), json!(v));
                }
            }
        }
        Value::Object(obj)
    }
}
