//! `/api/docs`: the API reference, rendered on the server from the OpenAPI document that
//! `/api/openapi.json` serves, so it needs no script and loads nothing from elsewhere.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde_json::Value;

use super::error::PortalResult;
use super::frame::html;
use crate::state::AppState;

pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub params: Vec<String>,
    pub body: bool,
    pub anchor: String,
}

pub struct Tag {
    pub name: String,
    pub operations: Vec<Operation>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct Docs {
    product: String,
    asset_version: String,
    version: String,
    tags: Vec<Tag>,
    public_url: String,
}

/// The document's operations grouped by tag, in the order the document lists them.
fn tags(doc: &Value) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    let Some(paths) = doc["paths"].as_object() else { return tags };
    for (path, item) in paths {
        let Some(ops) = item.as_object() else { continue };
        for (method, op) in ops {
            let tag = op["tags"][0].as_str().unwrap_or("other").to_owned();
            let params = op["parameters"]
                .as_array()
                .map(|ps| ps.iter().filter_map(|p| p["name"].as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            let operation = Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: op["summary"].as_str().unwrap_or("").to_owned(),
                params,
                body: op.get("requestBody").is_some(),
                anchor: format!("{method}-{}", path.replace(['/', '{', '}', ':'], "-")),
            };
            match tags.iter_mut().find(|t| t.name == tag) {
                Some(t) => t.operations.push(operation),
                None => tags.push(Tag { name: tag, operations: vec![operation] }),
            }
        }
    }
    tags
}

pub(crate) async fn page(State(s): State<AppState>) -> PortalResult<Response> {
    let doc = serde_json::to_value(crate::openapi::document()).unwrap_or(Value::Null);
    html(&Docs {
        product: s.portal.config.product_name.clone(),
        asset_version: s.portal.asset_version.clone(),
        version: doc["info"]["version"].as_str().unwrap_or("").to_owned(),
        tags: tags(&doc),
        public_url: s.ops.config.public_url.clone(),
    })
}
