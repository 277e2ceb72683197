//! Amazon SQS and SNS over their HTTPS APIs, signed with hookd's SigV4 code (no AWS SDK: the
//! SDK crates would add minutes to a fresh build for two API calls). Requests go through the
//! same HTTP client as webhooks, so the SSRF guard and the connection pool are the same.
//! hookd's headers travel as message attributes, the body as the message.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hookd_core::model::{AttemptError, AttemptErrorKind, AwsAccess};
use serde_json::{Map, Value, json};

use super::connect::error;
use super::{Accepted, Message};
use crate::auth::aws4::{self, Aws4};
use crate::client::{HttpClients, Target};

/// Message attributes SQS takes at most; SNS passes at most as many on to SQS subscribers.
const MAX_ATTRIBUTES: usize = 10;

/// The headers that go as attributes, the signature's first: the rest of hookd's and the
/// webhook's own fill what room is left.
fn attributes<'a>(m: &'a Message<'_>) -> Vec<(&'a str, &'a str)> {
    const FIRST: [&str; 4] = ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type"];
    let mut out: Vec<(&str, &str)> = FIRST
        .iter()
        .filter_map(|name| m.headers.iter().find(|(k, _)| k == name).map(|(k, v)| (k.as_str(), v.as_str())))
        .collect();
    for (k, v) in m.headers {
        if out.len() < MAX_ATTRIBUTES && !FIRST.contains(&k.as_str()) {
            out.push((k, v));
        }
    }
    out
}

/// One request to an AWS API.
struct Call<'a> {
    service: &'a str,
    method: http::Method,
    url: String,
    content_type: &'a str,
    /// Signed and sent besides the usual ones (`x-amz-target`, `x-amz-meta-*`).
    extra: Vec<(String, String)>,
    body: Vec<u8>,
}

impl<'a> Call<'a> {
    /// A POST to the service's API: to `endpoint` when set, else to AWS's host for the region.
    fn post(access: &AwsAccess<'_>, service: &'a str, content_type: &'a str, body: Vec<u8>) -> Self {
        let url = match access.endpoint {
            Some(e) => e.to_owned(),
            None => format!("https://{service}.{}.amazonaws.com/", access.region),
        };
        Self { service, method: http::Method::POST, url, content_type, extra: vec![], body }
    }

    /// A POST of AWS's JSON protocols, naming the operation in `X-Amz-Target`.
    fn json(access: &AwsAccess<'_>, service: &'a str, version: &'a str, target: &str, body: &Value) -> Self {
        let mut c = Self::post(access, service, version, serde_json::to_vec(body).unwrap_or_default());
        c.extra.push(("x-amz-target".into(), target.into()));
        c
    }
}

/// Signs and sends `c`; the answer's body when it is a 2xx, else why not.
async fn call(
    clients: &HttpClients,
    access: &AwsAccess<'_>,
    c: Call<'_>,
    timeout: Duration,
) -> Result<String, AttemptError> {
    let target = Target::parse(&c.url)?;
    let k = Aws4 {
        access_key: access.access_key,
        secret_key: access.secret_key,
        region: access.region,
        service: c.service,
        endpoint: None,
        method: c.method.as_str(),
        extra: &c.extra,
    };
    let mut headers = vec![("content-type".to_owned(), c.content_type.to_owned())];
    headers.extend(aws4::sign(&k, target.url(), c.content_type, &c.body, chrono::Utc::now()));
    let r = clients.default_client().send(c.method, &target, &headers, Bytes::from(c.body), timeout).await?;
    if (200..300).contains(&r.status) {
        return Ok(r.body);
    }
    let kind = if matches!(r.status, 401 | 403) { AttemptErrorKind::Auth } else { AttemptErrorKind::Rejected };
    let said: String = r.body.chars().take(500).collect();
    Err(error(kind, format!("{} answered {}: {said}", c.service, r.status)))
}

/// `SendMessage` (AWS JSON 1.0).
pub(crate) async fn sqs(
    clients: &Arc<HttpClients>,
    access: &AwsAccess<'_>,
    queue_url: &str,
    m: &Message<'_>,
    timeout: Duration,
) -> Result<Accepted, AttemptError> {
    let attributes: Map<String, Value> = attributes(m)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!({"DataType": "String", "StringValue": v})))
        .collect();
    let body = json!({
        "QueueUrl": queue_url,
        "MessageBody": String::from_utf8_lossy(m.body),
        "MessageAttributes": attributes,
    });
    let c = Call::json(access, "sqs", "application/x-amz-json-1.0", "AmazonSQS.SendMessage", &body);
    let answer = call(clients, access, c, timeout).await?;
    let id = serde_json::from_str::<Value>(&answer).ok().and_then(|v| v["MessageId"].as_str().map(str::to_owned));
    id.map(|id| Accepted { ids: vec![id] })
        .ok_or_else(|| error(AttemptErrorKind::Rejected, format!("SQS answered without a MessageId: {answer}")))
}

/// `Publish` (the query protocol: SNS has no JSON one).
pub(crate) async fn sns(
    clients: &Arc<HttpClients>,
    access: &AwsAccess<'_>,
    topic_arn: &str,
    m: &Message<'_>,
    timeout: Duration,
) -> Result<Accepted, AttemptError> {
    let body = publish_form(topic_arn, m).into_bytes();
    let c = Call::post(access, "sns", "application/x-www-form-urlencoded", body);
    let answer = call(clients, access, c, timeout).await?;
    between(&answer, "<MessageId>", "</MessageId>")
        .map(|id| Accepted { ids: vec![id.to_owned()] })
        .ok_or_else(|| error(AttemptErrorKind::Rejected, format!("SNS answered without a MessageId: {answer}")))
}

/// `Publish`'s form (the serializer is not `Send`: made and dropped before any await).
fn publish_form(topic_arn: &str, m: &Message<'_>) -> String {
    let message = String::from_utf8_lossy(m.body);
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("Action", "Publish").append_pair("Version", "2010-03-31");
    form.append_pair("TopicArn", topic_arn).append_pair("Message", &message);
    for (i, (k, v)) in attributes(m).into_iter().enumerate() {
        let entry = format!("MessageAttributes.entry.{}", i + 1);
        form.append_pair(&format!("{entry}.Name"), k);
        form.append_pair(&format!("{entry}.Value.DataType"), "String");
        form.append_pair(&format!("{entry}.Value.StringValue"), v);
    }
    form.finish()
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(text[start..start + len].trim())
}

/// `PutEvents` (AWS JSON 1.1): one entry whose detail is the wrapped message.
pub(crate) async fn eventbridge(
    clients: &Arc<HttpClients>,
    access: &AwsAccess<'_>,
    (bus, source, detail_type): (&str, &str, Option<&str>),
    m: &Message<'_>,
    timeout: Duration,
) -> Result<Accepted, AttemptError> {
    let entry = json!({
        "EventBusName": bus,
        "Source": source,
        "DetailType": detail_type.unwrap_or(&m.event.event_type),
        "Detail": m.wrapped().to_string(),
    });
    let entries = json!({"Entries": [entry]});
    let c = Call::json(access, "events", "application/x-amz-json-1.1", "AWSEvents.PutEvents", &entries);
    let answer = call(clients, access, c, timeout).await?;
    let v: Value = serde_json::from_str(&answer).unwrap_or(Value::Null);
    let first = &v["Entries"][0];
    match first["EventId"].as_str() {
        Some(id) if v["FailedEntryCount"].as_u64().unwrap_or(0) == 0 => Ok(Accepted { ids: vec![id.to_owned()] }),
        _ => Err(error(
            AttemptErrorKind::Rejected,
            format!("EventBridge refused the event: {} {}", first["ErrorCode"], first["ErrorMessage"]),
        )),
    }
}

/// `PutRecord` (AWS JSON 1.1): the wrapped message as the record's data.
pub(crate) async fn kinesis(
    clients: &Arc<HttpClients>,
    access: &AwsAccess<'_>,
    (stream, partition_key): (&str, Option<&str>),
    m: &Message<'_>,
    timeout: Duration,
) -> Result<Accepted, AttemptError> {
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(m.wrapped().to_string());
    let record =
        json!({"StreamName": stream, "Data": data, "PartitionKey": partition_key.unwrap_or(m.event.id.as_str())});
    let c = Call::json(access, "kinesis", "application/x-amz-json-1.1", "Kinesis_20131202.PutRecord", &record);
    let answer = call(clients, access, c, timeout).await?;
    let v: Value = serde_json::from_str(&answer).unwrap_or(Value::Null);
    match (v["ShardId"].as_str(), v["SequenceNumber"].as_str()) {
        (Some(shard), Some(seq)) => Ok(Accepted { ids: vec![format!("{shard}:{seq}")] }),
        _ => Err(error(AttemptErrorKind::Rejected, format!("Kinesis answered without a sequence number: {answer}"))),
    }
}

/// `PutObject` of the body as `{prefix}{webhook-id}.json` (path-style under `endpoint` when
/// set), hookd's headers as the object's `x-amz-meta-*` metadata.
pub(crate) async fn s3(
    clients: &Arc<HttpClients>,
    access: &AwsAccess<'_>,
    (bucket, prefix): (&str, Option<&str>),
    m: &Message<'_>,
    timeout: Duration,
) -> Result<Accepted, AttemptError> {
    let id = m.headers.iter().find(|(k, _)| k == "webhook-id").map_or(m.event.id.as_str(), |(_, v)| v.as_str());
    let key = format!("{}{id}.json", prefix.unwrap_or(""));
    let path: String = key
        .split('/')
        .map(|s| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>())
        .collect::<Vec<_>>()
        .join("/");
    let url = match access.endpoint {
        Some(e) => format!("{}/{bucket}/{path}", e.trim_end_matches('/')),
        None => format!("https://{bucket}.s3.{}.amazonaws.com/{path}", access.region),
    };
    let content_type =
        m.headers.iter().find(|(k, _)| k == "content-type").map_or("application/json", |(_, v)| v.as_str());
    let extra = m
        .headers
        .iter()
        .filter(|(k, _)| k != "content-type")
        .map(|(k, v)| (format!("x-amz-meta-{k}"), v.clone()))
        .collect();
    let c = Call { service: "s3", method: http::Method::PUT, url, content_type, extra, body: m.body.to_vec() };
    call(clients, access, c, timeout).await?;
    Ok(Accepted { ids: vec![format!("s3://{bucket}/{key}")] })
}
