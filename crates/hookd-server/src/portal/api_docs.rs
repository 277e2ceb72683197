//! `/api/docs`: the API reference, rendered on the server from the OpenAPI document that
//! `/api/openapi.json` serves (operations by tag, their parameters, request and answer
//! schemas with an example each, every schema's fields), so it needs no script and loads
//! nothing from elsewhere.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::error::PortalResult;
use super::frame::html;
use super::state::PortalState;

pub struct Param {
    pub name: String,
    pub place: String,
    pub required: bool,
    pub description: String,
}

/// A request or answer body: its type (a link to its schema) and an example.
pub struct Body {
    pub ty: Type,
    pub example: String,
}

pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub params: Vec<Param>,
    pub request: Option<Body>,
    pub response: Option<Body>,
    pub status: String,
    pub anchor: String,
}

pub struct Tag {
    pub name: String,
    pub operations: Vec<Operation>,
}

/// A type as the reference writes it: words, and the schema it links to, if any.
pub struct Type {
    pub text: String,
    pub link: Option<String>,
}

pub struct Field {
    pub name: String,
    pub ty: Type,
    pub required: bool,
    pub description: String,
}

/// One named schema: its fields, or its values (an enum), or its variants (a tagged union).
pub struct SchemaDoc {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
    pub values: Vec<String>,
    /// A tagged union's tag property, and each variant by its value.
    pub tag: String,
    pub variants: Vec<(String, Vec<Field>)>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct Docs {
    product: String,
    asset_version: String,
    version: String,
    tags: Vec<Tag>,
    schemas: Vec<SchemaDoc>,
    public_url: String,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or("").to_owned()
}

fn ref_name(v: &Value) -> Option<&str> {
    v["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// The type of a schema in words: `string`, `array of Webhook`, `Member or null`, `page of Org`.
fn type_of(v: &Value) -> Type {
    if let Some(name) = ref_name(v) {
        // `{T}Page` components are `{data: [T], next_cursor}`.
        let (text, item) = match name.strip_suffix("Page") {
            Some(item) => (format!("page of {item}"), item),
            None => (name.to_owned(), name),
        };
        return Type { text, link: Some(format!("schema-{item}")) };
    }
    if let Some(alts) = v["oneOf"].as_array() {
        let named: Vec<Type> = alts.iter().filter(|a| a["type"] != "null").map(type_of).collect();
        let nullable = alts.len() > named.len();
        if let [one] = named.as_slice() {
            let text = if nullable { format!("{} or null", one.text) } else { one.text.clone() };
            return Type { text, link: one.link.clone() };
        }
    }
    if v["properties"]["data"].is_object() && v["properties"].get("next_cursor").is_some() {
        let item = type_of(&v["properties"]["data"]["items"]);
        return Type { text: format!("page of {}", item.text), link: item.link };
    }
    let types: Vec<String> = match &v["type"] {
        Value::String(t) => vec![t.clone()],
        Value::Array(ts) => ts.iter().map(text).collect(),
        _ => vec!["any JSON".into()],
    };
    let mut words: Vec<String> = types
        .iter()
        .map(|t| match t.as_str() {
            "array" => {
                let item = type_of(&v["items"]);
                format!("array of {}", item.text)
            }
            "object" if v["additionalProperties"].is_object() => {
                format!("map of {}", type_of(&v["additionalProperties"]).text)
            }
            "object" if v.get("properties").is_none() => "any JSON".into(),
            other => other.to_owned(),
        })
        .collect();
    if let Some(f) = v["format"].as_str() {
        words[0] = format!("{} ({f})", words[0]);
    }
    if let Some(values) = v["enum"].as_array() {
        words[0] = format!("one of {}", values.iter().map(text).collect::<Vec<_>>().join(", "));
    }
    let link = if types.first().map(String::as_str) == Some("array") { type_of(&v["items"]).link } else { None };
    Type { text: words.join(" or "), link }
}

fn fields(v: &Value) -> Vec<Field> {
    let required: Vec<&str> =
        v["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let Some(props) = v["properties"].as_object() else { return vec![] };
    let mut out: Vec<Field> = props
        .iter()
        .map(|(name, p)| Field {
            name: name.clone(),
            ty: type_of(p),
            required: required.contains(&name.as_str()),
            description: text(&p["description"]),
        })
        .collect();
    // Required fields first, each group in the document's (alphabetical) order.
    out.sort_by_key(|f| !f.required);
    out
}

fn schema_doc(name: &str, v: &Value, all: &Map<String, Value>) -> SchemaDoc {
    let mut doc = SchemaDoc {
        name: name.to_owned(),
        description: text(&v["description"]),
        fields: fields(v),
        values: v["enum"].as_array().map(|e| e.iter().map(text).collect()).unwrap_or_default(),
        tag: v["discriminator"]["propertyName"].as_str().unwrap_or("type").to_owned(),
        variants: vec![],
    };
    for part in v["allOf"].as_array().into_iter().flatten() {
        let part = ref_name(part).and_then(|n| all.get(n)).unwrap_or(part);
        doc.fields.extend(fields(part));
    }
    // A tagged union: each variant (a component of its own) by the value of its tag.
    let tag = doc.tag.clone();
    let tag = tag.as_str();
    for alt in v["oneOf"].as_array().into_iter().flatten() {
        let alt = ref_name(alt).and_then(|n| all.get(n)).unwrap_or(alt);
        let value = alt["properties"][tag]["const"].as_str().or(alt["properties"][tag]["enum"][0].as_str());
        let rest = fields(alt).into_iter().filter(|f| f.name != tag).collect();
        doc.variants.push((value.unwrap_or("").to_owned(), rest));
    }
    doc
}

/// A small example of a schema's JSON: required fields with a value of their type, the
/// examples and defaults the document gives, the first variant of a union.
fn example(v: &Value, all: &Map<String, Value>, depth: usize) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    if let Some(e) = v.get("example").or_else(|| v["examples"].get(0)).or_else(|| v.get("const")) {
        return e.clone();
    }
    if let Some(d) = v.get("default") {
        return d.clone();
    }
    if let Some(name) = ref_name(v) {
        return all.get(name).map(|s| example(s, all, depth + 1)).unwrap_or(Value::Null);
    }
    if let Some(alts) = v["oneOf"].as_array() {
        let alt = alts.iter().find(|a| a["type"] != "null").unwrap_or(&Value::Null);
        return example(alt, all, depth + 1);
    }
    if let Some(parts) = v["allOf"].as_array() {
        let mut merged = Map::new();
        for p in parts {
            if let Value::Object(o) = example(p, all, depth + 1) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    if let Some(e) = v["enum"].get(0) {
        return e.clone();
    }
    let ty = match &v["type"] {
        Value::Array(ts) => ts.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null),
        t => t.clone(),
    };
    match ty.as_str() {
        Some("string") if v["format"] == "date-time" => json!("2026-01-31T12:00:00Z"),
        Some("string") => json!("string"),
        Some("integer") | Some("number") => json!(0),
        Some("boolean") => json!(true),
        Some("array") => json!([example(&v["items"], all, depth + 1)]),
        Some("object") => {
            let required: Vec<&str> =
                v["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            let mut out = Map::new();
            for (name, p) in v["properties"].as_object().into_iter().flatten() {
                if required.contains(&name.as_str()) || depth == 0 {
                    out.insert(name.clone(), example(p, all, depth + 1));
                }
            }
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

fn body(content: &Value, all: &Map<String, Value>) -> Option<Body> {
    let schema = content.as_object()?.values().next()?.get("schema")?;
    let example = serde_json::to_string_pretty(&example(schema, all, 0)).unwrap_or_default();
    Some(Body { ty: type_of(schema), example })
}

/// The document's operations grouped by tag, in the order the document lists them.
fn tags(doc: &Value) -> Vec<Tag> {
    let empty = Map::new();
    let all = doc["components"]["schemas"].as_object().unwrap_or(&empty);
    let mut tags: Vec<Tag> = Vec::new();
    let Some(paths) = doc["paths"].as_object() else { return tags };
    for (path, item) in paths {
        let Some(ops) = item.as_object() else { continue };
        for (method, op) in ops {
            let tag = op["tags"][0].as_str().unwrap_or("other").to_owned();
            let params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| Param {
                    name: text(&p["name"]),
                    place: text(&p["in"]),
                    required: p["required"] == true,
                    description: text(&p["description"]),
                })
                .collect();
            let responses = op["responses"].as_object();
            let (status, ok) = responses
                .and_then(|r| r.iter().find(|(code, _)| code.starts_with('2')))
                .map(|(code, r)| (code.clone(), r.clone()))
                .unwrap_or_default();
            let operation = Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(&op["summary"]),
                params,
                request: body(&op["requestBody"]["content"], all),
                response: body(&ok["content"], all),
                status,
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

pub(crate) async fn page(State(s): State<PortalState>) -> PortalResult<Response> {
    let doc = crate::api::openapi::document();
    let empty = Map::new();
    let all = doc["components"]["schemas"].as_object().unwrap_or(&empty);
    let schemas = all.iter().map(|(name, v)| schema_doc(name, v, all)).collect();
    html(&Docs {
        product: s.portal.config.product_name.clone(),
        asset_version: s.portal.asset_version.clone(),
        version: doc["info"]["version"].as_str().unwrap_or("").to_owned(),
        tags: tags(&doc),
        schemas,
        public_url: s.ops.config.public_url.clone(),
    })
}
