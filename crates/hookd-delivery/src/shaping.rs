//! A webhook's transformation, run where its request is built: on the body as JSON and the
//! webhook's headers, before the body is encoded and signed, on a blocking thread (a run may
//! take its whole time limit).

use std::collections::BTreeMap;

use hookd_core::model::{AttemptError, AttemptErrorKind};
use hookd_core::validation;
use hookd_core::wire::Wire;
use hookd_transform::{Limits, Outcome, Shaped};
use serde_json::value::RawValue;

/// The largest body a transformation may make: ten times the default event payload limit.
pub const MAX_SHAPED_BYTES: usize = 4 << 20;

fn failed(message: String) -> AttemptError {
    AttemptError { kind: AttemptErrorKind::Transformation, message }
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
    let ran = tokio::task::spawn_blocking(move || {
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
