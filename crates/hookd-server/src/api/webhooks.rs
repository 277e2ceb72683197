use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use hookd_core::model::{AuthMethod, Environment, Webhook, WebhookAuth, WebhookOptions, WebhookStatus};
use hookd_core::operational;
use hookd_core::signing::SigningSecret;
use hookd_core::{MemberId, OrgId, WebhookId, validation};
use hookd_store::{Audience, StoreError, WebhookSort};
use serde::{Deserialize, Serialize};

use super::List;
use super::orgs::double_option;
use crate::error::{ApiError, ApiResult, not_found};
use crate::extract::{ApiJson, Caller, ListParams, path_id};
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SigningInput {
    enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    name: Option<String>,
    url: Option<String>,
    #[serde(default, with = "double_option")]
    description: Option<Option<String>>,
    event_types: Option<Vec<String>>,
    enabled: Option<bool>,
    environment: Option<Environment>,
    #[serde(default, with = "double_option")]
    owner_id: Option<Option<MemberId>>,
    include_child_orgs: Option<bool>,
    options: Option<WebhookOptions>,
    signing: Option<SigningInput>,
    auth: Option<WebhookAuth>,
}

#[derive(Serialize)]
pub struct SigningView {
    enabled: bool,
    /// Only in the answers to create and rotate-secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

/// A webhook as the API shows it: secrets masked.
#[derive(Serialize)]
pub struct WebhookView {
    id: WebhookId,
    org_id: OrgId,
    name: String,
    url: String,
    description: Option<String>,
    event_types: Vec<String>,
    enabled: bool,
    status: WebhookStatus,
    environment: Environment,
    owner_id: Option<MemberId>,
    include_child_orgs: bool,
    options: WebhookOptions,
    signing: SigningView,
    auth: WebhookAuth,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
    last_triggered_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn open_auth(state: &AppState, w: &Webhook) -> ApiResult<WebhookAuth> {
    let bytes = state.key.open(&w.auth).map_err(|e| ApiError::Internal(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::Internal(e.to_string()))
}

pub fn view(state: &AppState, w: Webhook, secret: Option<String>) -> ApiResult<WebhookView> {
    let auth = open_auth(state, &w)?.masked();
    Ok(WebhookView {
        id: w.id,
        org_id: w.org_id,
        name: w.name,
        url: w.url,
        description: w.description,
        event_types: w.event_types,
        enabled: w.status.enabled,
        status: w.status,
        environment: w.environment,
        owner_id: w.owner_id,
        include_child_orgs: w.include_child_orgs,
        options: w.options,
        signing: SigningView { enabled: w.signing_enabled, secret },
        auth,
        created_at: w.created_at,
        updated_at: w.updated_at,
        last_triggered_at: w.last_triggered_at,
    })
}

fn check_options(o: &WebhookOptions) -> ApiResult<()> {
    if !(100..=60_000).contains(&o.timeout_ms) {
        return Err(ApiError::invalid("options.timeout_ms", "must be from 100 to 60000"));
    }
    if !(1..=100).contains(&o.max_events_per_request) {
        return Err(ApiError::invalid("options.max_events_per_request", "must be from 1 to 100"));
    }
    if o.rate_limit_per_s == Some(0) {
        return Err(ApiError::invalid("options.rate_limit_per_s", "must be at least 1, or null for no limit"));
    }
    for (k, v) in &o.headers {
        validation::header_name(&format!("options.headers.{k}"), k)?;
        validation::header_value(&format!("options.headers.{k}"), v)?;
    }
    Ok(())
}

fn check_auth_method(field: &str, m: &AuthMethod, allow_insecure: bool) -> ApiResult<()> {
    let need = |name: &str, v: &str| -> ApiResult<()> {
        if v.trim().is_empty() {
            return Err(ApiError::invalid(format!("{field}.{name}"), "is required"));
        }
        if v.starts_with("****") {
            return Err(ApiError::invalid(format!("{field}.{name}"), "send the secret itself, not its masked form"));
        }
        Ok(())
    };
    match m {
        AuthMethod::None => {}
        AuthMethod::Headers { headers } => {
            if headers.is_empty() {
                return Err(ApiError::invalid(format!("{field}.headers"), "give at least one header"));
            }
            for (k, v) in headers {
                validation::header_name(&format!("{field}.headers.{k}"), k)?;
                validation::header_value(&format!("{field}.headers.{k}"), v)?;
                need(&format!("headers.{k}"), v)?;
            }
        }
        AuthMethod::Basic { username, password } => {
            need("username", username)?;
            need("password", password)?;
        }
        AuthMethod::Token { key, value } => {
            if let Some(k) = key {
                validation::header_name(&format!("{field}.key"), k)?;
            }
            need("value", value)?;
            validation::header_value(&format!("{field}.value"), value)?;
        }
        AuthMethod::HmacSha256 { client_id, client_secret } => {
            need("client_id", client_id)?;
            need("client_secret", client_secret)?;
        }
        AuthMethod::Aws4 { access_key, secret_key, region, service } => {
            need("access_key", access_key)?;
            need("secret_key", secret_key)?;
            need("region", region)?;
            need("service", service)?;
        }
        AuthMethod::Oauth2 { token_url, client_id, client_secret, .. } => {
            validation::webhook_url(&format!("{field}.token_url"), token_url, allow_insecure)?;
            need("client_id", client_id)?;
            need("client_secret", client_secret)?;
        }
        AuthMethod::Mtls { cert_pem, key_pem } => {
            if !cert_pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(ApiError::invalid(format!("{field}.cert_pem"), "must be a PEM certificate"));
            }
            if !key_pem.contains("PRIVATE KEY-----") {
                return Err(ApiError::invalid(format!("{field}.key_pem"), "must be a PEM private key"));
            }
        }
    }
    Ok(())
}

/// Keeps stored secrets where the client sent back the masked form it was shown.
fn merge_auth(old: &WebhookAuth, new: WebhookAuth) -> WebhookAuth {
    if new == old.masked() { old.clone() } else { new }
}

async fn check_event_types(state: &AppState, types: &[String]) -> ApiResult<()> {
    if types.is_empty() {
        return Err(ApiError::invalid("event_types", "subscribe to at least one event type"));
    }
    for (i, t) in types.iter().enumerate() {
        match state.store.get_event_type(t).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                return Err(ApiError::invalid(
                    format!("event_types[{i}]"),
                    format!("`{t}` is not in the event-type catalog"),
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

async fn check_owner(state: &AppState, org: &OrgId, owner: &Option<MemberId>) -> ApiResult<()> {
    if let Some(o) = owner {
        state.store.get_member(org, o).await.map_err(|e| match e {
            StoreError::NotFound => ApiError::invalid("owner_id", format!("member {o} is not in this organization")),
            other => other.into(),
        })?;
    }
    Ok(())
}

/// Applies `input` over `w` (a new webhook's defaults, or the stored one) and validates.
async fn apply(
    state: &AppState,
    caller: &Caller,
    w: &mut Webhook,
    input: WebhookInput,
    creating: bool,
) -> ApiResult<()> {
    let insecure = state.config.allow_private_targets;
    match (input.name, creating) {
        (Some(n), _) => w.name = validation::name("name", &n, 200)?,
        (None, true) => return Err(ApiError::invalid("name", "is required")),
        (None, false) => {}
    }
    match (input.url, creating) {
        (Some(u), _) => w.url = validation::webhook_url("url", u.trim(), insecure)?.to_string(),
        (None, true) => return Err(ApiError::invalid("url", "is required")),
        (None, false) => {}
    }
    if let Some(d) = input.description {
        w.description = d.filter(|d| !d.trim().is_empty());
    }
    match (input.event_types, creating) {
        (Some(mut t), _) => {
            t.dedup();
            check_event_types(state, &t).await?;
            w.event_types = t;
        }
        (None, true) => return Err(ApiError::invalid("event_types", "is required")),
        (None, false) => {}
    }
    if let Some(e) = input.environment {
        w.environment = e;
    }
    if let Some(o) = input.owner_id {
        check_owner(state, &w.org_id, &o).await?;
        w.owner_id = o;
    }
    if let Some(i) = input.include_child_orgs {
        w.include_child_orgs = i;
    }
    if let Some(o) = input.options {
        check_options(&o)?;
        w.options = o;
    }
    if let Some(s) = input.signing.and_then(|s| s.enabled) {
        w.signing_enabled = s;
    }
    if let Some(a) = input.auth {
        let old = if creating { WebhookAuth::default() } else { open_auth(state, w)? };
        let merged = merge_auth(&old, a);
        check_auth_method("auth", &merged.method, insecure)?;
        for (org, m) in &merged.per_org {
            check_auth_method(&format!("auth.per_org.{org}"), m, insecure)?;
        }
        w.auth = state.key.seal(&serde_json::to_vec(&merged).map_err(|e| ApiError::Internal(e.to_string()))?);
    }
    if let Some(enabled) = input.enabled
        && (enabled != w.status.enabled || creating)
    {
        w.status = WebhookStatus {
            enabled,
            reason: Some(if enabled { "Enabled" } else { "Disabled" }.to_owned() + &format!(" by {}", caller.label())),
            changed_at: chrono::Utc::now(),
            changed_by: Some(caller.label()),
        };
    }
    w.updated_at = chrono::Utc::now();
    Ok(())
}

fn org_of(caller: &Caller, raw: &str, write: bool) -> ApiResult<OrgId> {
    let org = path_id("org", raw, OrgId::parse)?;
    caller.check(&org, write)?;
    Ok(org)
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> ApiResult<(StatusCode, Json<WebhookView>)> {
    let org = org_of(&caller, &org, true)?;
    state.store.get_org(&org).await.map_err(not_found("organization"))?;
    let secret = SigningSecret::generate().to_text();
    let now = chrono::Utc::now();
    let mut w = Webhook {
        id: WebhookId::new(),
        org_id: org,
        name: String::new(),
        url: String::new(),
        description: None,
        event_types: vec![],
        environment: Environment::Live,
        owner_id: None,
        include_child_orgs: false,
        options: WebhookOptions::default(),
        signing_enabled: true,
        signing_secret: state.key.seal_str(&secret),
        previous_secret: None,
        auth: state.key.seal(br#"{"type":"none"}"#),
        status: WebhookStatus { enabled: true, reason: None, changed_at: now, changed_by: Some(caller.label()) },
        created_at: now,
        updated_at: now,
        last_triggered_at: None,
        failing_since: None,
        failed_deliveries: 0,
        revision: 0,
    };
    apply(&state, &caller, &mut w, input, true).await?;
    state.store.create_webhook(&w).await?;
    Ok((StatusCode::CREATED, Json(view(&state, w, Some(secret))?)))
}

async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<WebhookView>> {
    let org = org_of(&caller, &org, false)?;
    let id = path_id("webhook", &id, WebhookId::parse)?;
    let w = state.store.get_webhook(&org, &id).await.map_err(not_found("webhook"))?;
    Ok(Json(view(&state, w, None)?))
}

async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> ApiResult<Json<WebhookView>> {
    let org = org_of(&caller, &org, true)?;
    let id = path_id("webhook", &id, WebhookId::parse)?;
    let mut w = state.store.get_webhook(&org, &id).await.map_err(not_found("webhook"))?;
    let was_enabled = w.status.enabled;
    apply(&state, &caller, &mut w, input, false).await?;
    state.store.update_webhook(&w).await.map_err(not_found("webhook"))?;
    if w.status.enabled != was_enabled {
        let kind = if w.status.enabled { operational::WEBHOOK_ENABLED } else { operational::WEBHOOK_DISABLED };
        crate::api::events::publish_event(&state, operational::event(&w, kind), &Audience::Subscribers).await?;
    }
    Ok(Json(view(&state, w, None)?))
}

async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let org = org_of(&caller, &org, true)?;
    let id = path_id("webhook", &id, WebhookId::parse)?;
    match state.store.delete_webhooks(&org, &[id]).await? {
        0 => Err(ApiError::NotFound("webhook")),
        _ => Ok(StatusCode::NO_CONTENT),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkDelete {
    ids: Vec<String>,
}

#[derive(Serialize)]
struct BulkDeleted {
    deleted: u64,
}

async fn bulk_delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    ApiJson(input): ApiJson<BulkDelete>,
) -> ApiResult<Json<BulkDeleted>> {
    let org = org_of(&caller, &org, true)?;
    if input.ids.is_empty() || input.ids.len() > 1000 {
        return Err(ApiError::invalid("ids", "give from 1 to 1000 webhook IDs"));
    }
    let ids = input
        .ids
        .iter()
        .enumerate()
        .map(|(i, s)| WebhookId::parse(s).map_err(|e| ApiError::invalid(format!("ids[{i}]"), e.to_string())))
        .collect::<ApiResult<Vec<_>>>()?;
    let deleted = state.store.delete_webhooks(&org, &ids).await?;
    Ok(Json(BulkDeleted { deleted }))
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
    params: ListParams,
) -> ApiResult<Json<List<WebhookView>>> {
    let org = org_of(&caller, &org, false)?;
    params.no_filters()?;
    let page = params.page(WebhookSort::parse, WebhookSort::NAMES)?;
    let found = state.store.list_webhooks(&org, &page).await?;
    let data = found.data.into_iter().map(|w| view(&state, w, None)).collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(List { data, next_cursor: found.next_cursor }))
}

/// Rotation keeps the old secret valid this long, signing with both meanwhile.
const ROTATION_OVERLAP: chrono::TimeDelta = chrono::TimeDelta::hours(24);

async fn rotate_secret(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult<Json<WebhookView>> {
    let org = org_of(&caller, &org, true)?;
    let id = path_id("webhook", &id, WebhookId::parse)?;
    let mut w = state.store.get_webhook(&org, &id).await.map_err(not_found("webhook"))?;
    let secret = SigningSecret::generate().to_text();
    let old = std::mem::replace(&mut w.signing_secret, state.key.seal_str(&secret));
    w.previous_secret = Some((old, chrono::Utc::now() + ROTATION_OVERLAP));
    w.updated_at = chrono::Utc::now();
    state.store.update_webhook(&w).await.map_err(not_found("webhook"))?;
    Ok(Json(view(&state, w, Some(secret))?))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TestInput {
    event_type: Option<String>,
}

async fn test(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<super::events::Accepted>)> {
    let org = org_of(&caller, &org, true)?;
    let id = path_id("webhook", &id, WebhookId::parse)?;
    let w = state.store.get_webhook(&org, &id).await.map_err(not_found("webhook"))?;
    let input: TestInput = if body.iter().all(u8::is_ascii_whitespace) {
        TestInput::default()
    } else {
        crate::extract::parse_json(&body)?
    };
    let event_type = match input.event_type {
        Some(t) if w.event_types.contains(&t) => t,
        Some(t) => return Err(ApiError::invalid("event_type", format!("the webhook is not subscribed to `{t}`"))),
        None => w.event_types.first().cloned().unwrap_or_default(),
    };
    let example = state
        .store
        .get_event_type(&event_type)
        .await
        .ok()
        .and_then(|e| e.example)
        .unwrap_or_else(|| serde_json::json!({"test": true}));
    let accepted = super::events::publish_to(&state, &w, &event_type, example).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecoverInput {
    since: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize)]
struct Recovered {
    deliveries: u64,
}

async fn recover(
    State(state): State<AppState>,
    caller: Caller,
    Path((org, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<RecoverInput>,
) -> ApiResult<(StatusCode, Json<Recovered>)> {
    let org = org_of(&caller, &org, true)?;
    let id = path_id("webhook", &id, WebhookId::parse)?;
    if input.since > chrono::Utc::now() {
        return Err(ApiError::invalid("since", "is in the future"));
    }
    let n = state.store.recover_webhook(&org, &id, input.since).await.map_err(not_found("webhook"))?;
    state.handoff.wake();
    Ok((StatusCode::ACCEPTED, Json(Recovered { deliveries: n })))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org}/webhooks", get(list).post(create))
        .route("/orgs/{org}/webhooks:bulk-delete", post(bulk_delete))
        .route("/orgs/{org}/webhooks/{id}", get(get_one).patch(patch).delete(delete))
        .route("/orgs/{org}/webhooks/{id}/rotate-secret", post(rotate_secret))
        .route("/orgs/{org}/webhooks/{id}/test", post(test))
        .route("/orgs/{org}/webhooks/{id}/recover", post(recover))
}
