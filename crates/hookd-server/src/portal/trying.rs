//! "Test the filter" and "Run the transformation" on the webhook form: the trial each button
//! asks the service layer for, made from what the form holds, and what the form shows of the
//! answer. Nothing is saved or sent.

use hookd_service::OpsError;
use hookd_service::trying::{FilterTrial, TransformationOutcome, TransformationTrial};
use serde_json::{Value, json};

use super::form::Form;
use super::webhook_form::filter_json;

/// Which button was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trial {
    Filter,
    Transformation,
}

impl Trial {
    /// The trial a submission asks for instead of saving, if any.
    pub fn asked(form: &Form) -> Option<Self> {
        match form.get("_try") {
            Some("filter") => Some(Self::Filter),
            Some("transformation") => Some(Self::Transformation),
            _ => None,
        }
    }
}

/// What the form shows under the buttons.
pub enum Tried {
    Filter { matches: bool, words: String },
    Transformation(TransformationOutcome),
}

impl Tried {
    /// The request a transformation would send, pretty-printed when its body is JSON.
    pub fn body(&self) -> String {
        let Tried::Transformation(TransformationOutcome { request: Some(r), .. }) = self else { return String::new() };
        serde_json::from_str::<Value>(&r.body)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| r.body.clone())
    }
}

/// The example box's payload: empty for the type's own example.
fn example_payload(form: &Form) -> Result<Option<Value>, OpsError> {
    match form.text("example_payload").trim() {
        "" => Ok(None),
        text => serde_json::from_str(text)
            .map(Some)
            .map_err(|e| OpsError::invalid("example_payload", format!("is not JSON: {e}"))),
    }
}

pub fn filter_trial(form: &Form) -> Result<FilterTrial, OpsError> {
    let filter = match filter_json(form)? {
        Value::Null => json!({}),
        f => f,
    };
    Ok(FilterTrial { filter, event_type: form.text("example_type").to_owned(), payload: example_payload(form)? })
}

/// The code as typed, run on the example with the URL, headers and payload format the form holds.
pub fn transformation_trial(form: &Form) -> Result<TransformationTrial, OpsError> {
    let code = form.text("transformation_code");
    if code.trim().is_empty() {
        return Err(OpsError::invalid("transformation.code", "write a handler to run"));
    }
    let headers = form
        .all("header.name")
        .zip(form.all("header.value"))
        .filter(|(k, _)| !k.trim().is_empty())
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let payload_format = serde_json::from_value(json!(form.text("payload"))).unwrap_or_default();
    let url = Some(form.text("url").trim().to_owned()).filter(|u| !u.is_empty());
    Ok(TransformationTrial {
        code: code.to_owned(),
        event_type: form.text("example_type").to_owned(),
        payload: example_payload(form)?,
        url,
        headers,
        payload_format,
    })
}
