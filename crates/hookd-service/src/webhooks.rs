//! Webhooks: create, read, edit (never undoing another writer's change), enable and
//! disable with the operational event, delete, rotate the signing secret, test, recover.

use hookd_core::filter::Filter;
use hookd_core::model::{
    Circuit, Destination, DestinationKind, Environment, Transformation, Webhook, WebhookAuth, WebhookOptions,
    WebhookStatus,
};
use hookd_core::rotation::RotatedOut;
use hookd_core::secret::SealedSecret;
use hookd_core::signing::SigningSecret;
use hookd_core::{MemberId, OrgId, WebhookId, validation};
use hookd_store::{AuthEdit, Page, PageRequest, StoreError, WebhookEdit, WebhookSort};
use serde::{Deserialize, Serialize};

use super::events::Accepted;
use super::{Access, Actor, Ops, OpsError, OpsResult, double_option, not_found};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SigningIn {
    pub enabled: Option<bool>,
}

/// A new webhook: name, URL and event types are required, the rest has defaults.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "CRM sync", "url": "https://example.com/hook", "event_types": ["user.created"],
    "options": {"max_events_per_request": 10, "headers": {"X-Team": "crm"}},
    "auth": {"type": "basic", "username": "hookd", "password": "s3cret"}}))]
pub struct WebhookIn {
    pub name: String,
    /// Where an HTTP destination posts; left out for the other kinds (their `destination`
    /// says where messages go).
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub event_types: Vec<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub environment: Option<Environment>,
    #[serde(default)]
    pub owner_id: Option<MemberId>,
    #[serde(default)]
    pub include_child_orgs: Option<bool>,
    #[serde(default)]
    pub options: Option<WebhookOptions>,
    /// Which of its events it receives (MongoDB-style operators over `type`, `payload`,
    /// `resource_url`, `environment` and `occurred_at`); absent or `null` for all.
    #[serde(default)]
    #[schema(value_type = Option<Object>, example = json!({"payload.amount": {"$gt": 100}}))]
    pub filter: Option<serde_json::Value>,
    /// JavaScript that reshapes each request before it is signed; absent or `null` for none.
    #[serde(default)]
    pub transformation: Option<Transformation>,
    #[serde(default)]
    pub signing: Option<SigningIn>,
    #[serde(default)]
    pub auth: Option<WebhookAuth>,
    /// Where deliveries go: absent for HTTP to `url`; a queue, topic, bus, stream, bucket or
    /// broker of yours; or `poll`, for a consumer that pulls them.
    #[serde(default)]
    pub destination: Option<Destination>,
}

/// An edit: an absent field stays as it is; `null` clears the optional ones.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    pub name: Option<String>,
    pub url: Option<String>,
    #[serde(default, with = "double_option")]
    pub description: Option<Option<String>>,
    pub event_types: Option<Vec<String>>,
    pub enabled: Option<bool>,
    pub environment: Option<Environment>,
    #[serde(default, with = "double_option")]
    pub owner_id: Option<Option<MemberId>>,
    pub include_child_orgs: Option<bool>,
    pub options: Option<WebhookOptions>,
    /// `null` removes the filter.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<Object>)]
    pub filter: Option<Option<serde_json::Value>>,
    /// `null` removes the transformation.
    #[serde(default, with = "double_option")]
    pub transformation: Option<Option<Transformation>>,
    pub signing: Option<SigningIn>,
    pub auth: Option<WebhookAuth>,
    /// Secrets sent back masked, as they were shown, keep the stored ones.
    pub destination: Option<Destination>,
}

impl From<WebhookIn> for WebhookPatch {
    fn from(i: WebhookIn) -> Self {
        Self {
            name: Some(i.name),
            url: i.url,
            description: Some(i.description),
            event_types: Some(i.event_types),
            enabled: i.enabled,
            environment: i.environment,
            owner_id: i.owner_id.map(Some),
            include_child_orgs: i.include_child_orgs,
            options: i.options,
            filter: Some(i.filter.filter(|f| !f.is_null())),
            transformation: Some(i.transformation),
            signing: i.signing,
            auth: i.auth,
            destination: i.destination,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SigningView {
    pub enabled: bool,
    /// Only in the answers to create and rotate-secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// A webhook as every door shows it: secrets masked here, so no door can print one.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: WebhookId,
    pub org_id: OrgId,
    pub name: String,
    pub url: String,
    pub description: Option<String>,
    pub event_types: Vec<String>,
    pub enabled: bool,
    pub status: WebhookStatus,
    pub environment: Environment,
    pub owner_id: Option<MemberId>,
    pub include_child_orgs: bool,
    pub options: WebhookOptions,
    /// `null` when every event of its types reaches it.
    #[schema(value_type = Option<Object>)]
    pub filter: Option<Filter>,
    /// `null` when requests go as hookd renders them.
    pub transformation: Option<Transformation>,
    pub signing: SigningView,
    /// `null` when the stored credentials cannot be opened (see `unreadable`).
    pub auth: Option<WebhookAuth>,
    /// Its secrets masked; `null` when the stored settings cannot be opened (see `unreadable`).
    pub destination: Option<Destination>,
    /// Sealed values the master key could not open (`signing.secret`, `auth`): rotating the
    /// secret or sending the credentials again replaces them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub unreadable: Vec<&'static str>,
    /// One more with every change of the stored webhook; send it as `If-Match` to edit only
    /// the revision you read.
    pub revision: i64,
    /// On the node that answered: `open` while its receiver keeps timing out, and the node
    /// sends it one request at a time.
    pub circuit: Circuit,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub last_triggered_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What an edit did, for the audit log: the fields it set (never their values), or an
/// enable/disable of its own.
fn patch_summary(p: &WebhookPatch) -> (&'static str, String) {
    let others = super::audit::fields(&[
        ("name", p.name.is_some()),
        ("url", p.url.is_some()),
        ("description", p.description.is_some()),
        ("event_types", p.event_types.is_some()),
        ("environment", p.environment.is_some()),
        ("owner_id", p.owner_id.is_some()),
        ("include_child_orgs", p.include_child_orgs.is_some()),
        ("options", p.options.is_some()),
        ("filter", p.filter.is_some()),
        ("transformation", p.transformation.is_some()),
        ("signing", p.signing.is_some()),
        ("auth", p.auth.is_some()),
        ("destination", p.destination.is_some()),
    ]);
    let state = |on: bool| if on { "enabled" } else { "disabled" };
    match (p.enabled, others.as_str()) {
        (Some(true), "nothing") => ("webhook.enabled", "enabled".into()),
        (Some(false), "nothing") => ("webhook.disabled", "disabled".into()),
        (Some(on), _) => ("webhook.updated", format!("changed {others}; {}", state(on))),
        (None, _) => ("webhook.updated", format!("changed {others}")),
    }
}

/// A filter as sent, checked: a 422 naming the bad part (`filter.payload.amount.$gt`).
pub(crate) fn filter(f: &serde_json::Value) -> OpsResult<Filter> {
    Filter::parse(f).map_err(|e| OpsError::invalid(e.path, e.message))
}

/// The longest transformation: a reshaping of one request, not a program.
const MAX_CODE_BYTES: usize = 64 << 10;

/// Checks a transformation's code: it compiles, defines `handler` and its top level runs
/// within the limits (on a blocking thread: a hostile top level may take the whole time limit).
pub(crate) async fn transformation(t: &Transformation) -> OpsResult<()> {
    if t.code.len() > MAX_CODE_BYTES {
        return Err(OpsError::invalid("transformation.code", "is longer than 64 KiB"));
    }
    let checked = hookd_delivery::shaping::check(t.code.clone()).await.map_err(OpsError::Internal)?;
    checked.map_err(|e| OpsError::invalid("transformation.code", e.to_string()))
}

/// Refuses a kind of destination this build does not deliver to.
fn delivered(kind: DestinationKind) -> OpsResult<()> {
    use hookd_delivery::destinations::DELIVERED;
    if DELIVERED.contains(&kind) {
        return Ok(());
    }
    let kinds: Vec<&str> = DELIVERED.iter().map(|k| k.as_str()).collect();
    Err(OpsError::invalid(
        "destination.type",
        format!("`{}` is not delivered to by this version of hookd; use one of {}", kind.as_str(), kinds.join(", ")),
    ))
}

/// How often an edit of the credentials is tried again when another edit changed them.
const EDIT_TRIES: usize = 8;

impl Ops {
    fn open_auth(&self, w: &Webhook) -> Option<WebhookAuth> {
        let bytes = self.key.open(&w.auth).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The webhook's destination with its secrets, if its sealed settings can be opened.
    pub(crate) fn open_destination(&self, w: &Webhook) -> Option<Destination> {
        Destination::open(&self.key, w.destination_kind, w.destination.as_ref())
    }

    /// Sets the edit's destination and, for the kinds other than HTTP, its `url` (where it
    /// writes, in words). `stored` is the webhook edited (none when creating): secrets sent
    /// back masked keep its own, and a switch to HTTP needs a URL unless it had one.
    fn set_destination(&self, stored: Option<&Webhook>, p: &WebhookPatch, edit: &mut WebhookEdit) -> OpsResult<()> {
        let stored_kind = stored.map_or(DestinationKind::Http, |w| w.destination_kind);
        let kind = p.destination.as_ref().map_or(stored_kind, Destination::kind);
        if p.url.is_some() && kind != DestinationKind::Http {
            let why = format!("leave it out: a {} destination says where messages go", kind.as_str());
            return Err(OpsError::invalid("url", why));
        }
        let Some(new) = &p.destination else {
            if stored.is_none() && p.url.is_none() {
                return Err(OpsError::invalid("url", "is required for an HTTP destination"));
            }
            return Ok(());
        };
        delivered(kind)?;
        let merged = match stored.and_then(|w| self.open_destination(w)) {
            Some(old) => new.clone().keep_secrets_of(&old),
            None => new.clone(),
        };
        merged.check(self.config.allow_private_targets)?;
        if kind == DestinationKind::Http && p.url.is_none() && stored_kind != DestinationKind::Http {
            return Err(OpsError::invalid("url", "is required for an HTTP destination"));
        }
        if kind != DestinationKind::Http {
            edit.url = Some(merged.locator());
        }
        let sealed = kind
            .has_settings()
            .then(|| serde_json::to_vec(&merged).map(|b| self.key.seal(&b)))
            .transpose()
            .map_err(|e| OpsError::Internal(e.into()))?;
        edit.destination = Some((kind, sealed));
        Ok(())
    }

    pub fn webhook_view(&self, w: Webhook, secret: Option<String>) -> WebhookView {
        let auth = self.open_auth(&w).map(|a| a.masked());
        let mut unreadable = Vec::new();
        if self.key.open(&w.signing_secret).is_err() {
            unreadable.push("signing.secret");
        }
        if auth.is_none() {
            unreadable.push("auth");
        }
        let destination = self.open_destination(&w).map(|d| d.masked());
        if destination.is_none() {
            unreadable.push("destination");
        }
        let circuit = self.metrics.circuits.of(&w.id);
        WebhookView {
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
            filter: w.filter,
            transformation: w.transformation,
            signing: SigningView { enabled: w.signing_enabled, secret },
            auth,
            destination,
            unreadable,
            revision: w.revision,
            circuit,
            created_at: w.created_at,
            updated_at: w.updated_at,
            last_triggered_at: w.last_triggered_at,
        }
    }

    /// The rules of an edit that take more than a look at it: the event types are in the
    /// catalog, the owner is a member of the org, the transformation's code compiles. Checked
    /// once, before the edit is applied.
    async fn check_references(&self, org: &OrgId, p: &WebhookPatch) -> OpsResult<()> {
        if let Some(Some(t)) = &p.transformation {
            transformation(t).await?;
        }
        if let Some(types) = &p.event_types {
            if types.is_empty() {
                return Err(OpsError::invalid("event_types", "subscribe to at least one event type"));
            }
            for (i, t) in types.iter().enumerate() {
                if self.catalog_entry(t).await?.is_none() {
                    return Err(OpsError::invalid(
                        format!("event_types[{i}]"),
                        format!("`{t}` is not in the event-type catalog"),
                    ));
                }
            }
        }
        if let Some(Some(owner)) = &p.owner_id {
            self.store.get_member(org, owner).await.map_err(|e| match e {
                StoreError::NotFound => {
                    OpsError::invalid("owner_id", format!("member {owner} is not in this organization"))
                }
                other => other.into(),
            })?;
        }
        Ok(())
    }

    /// The edit `p` asks for, with every rule that needs no other record checked. The
    /// credentials are sealed separately ([`Ops::seal_auth`]): merging them needs the stored ones.
    fn edit_of(&self, by: &Actor, org: &OrgId, id: &WebhookId, p: &WebhookPatch) -> OpsResult<WebhookEdit> {
        let insecure = self.config.allow_private_targets;
        let mut e = WebhookEdit::new(org.clone(), id.clone());
        e.name = p.name.as_deref().map(|n| validation::name("name", n, 200)).transpose()?;
        e.url =
            p.url.as_deref().map(|u| validation::webhook_url("url", u, insecure).map(|u| u.to_string())).transpose()?;
        if let Some(Some(d)) = &p.description {
            validation::text("description", d, 2000)?;
        }
        e.description = p.description.clone().map(|d| d.filter(|d| !d.trim().is_empty()));
        e.event_types = p.event_types.clone().map(|mut t| {
            t.dedup();
            t
        });
        e.environment = p.environment;
        e.owner_id = p.owner_id.clone();
        e.include_child_orgs = p.include_child_orgs;
        if let Some(o) = &p.options {
            validation::webhook_options(o, &self.config.wire)?;
            e.options = Some(o.clone());
        }
        e.filter = p.filter.as_ref().map(|f| f.as_ref().map(filter).transpose()).transpose()?;
        // Its code was compiled by `check_references`.
        e.transformation = p.transformation.clone();
        e.signing_enabled = p.signing.as_ref().and_then(|s| s.enabled);
        e.status = p.enabled.map(|enabled| WebhookStatus::by(enabled, by.actor_ref(), e.updated_at));
        Ok(e)
    }

    /// Every rule `p` breaks, each once with its field, for a form that shows them all at once
    /// (the operations themselves stop at the first). Empty when `p` would be accepted, but
    /// for conflicts with other writers.
    pub async fn webhook_problems(&self, org: &OrgId, p: &WebhookPatch) -> Vec<(String, String)> {
        let insecure = self.config.allow_private_targets;
        let mut found: Vec<OpsError> = vec![];
        let mut note = |r: Result<(), OpsError>| {
            if let Err(e) = r {
                found.push(e);
            }
        };
        if let Some(n) = &p.name {
            note(validation::name("name", n, 200).map(drop).map_err(Into::into));
        }
        if let Some(u) = &p.url {
            note(validation::webhook_url("url", u, insecure).map(drop).map_err(Into::into));
        }
        if let Some(Some(d)) = &p.description {
            note(validation::text("description", d, 2000).map_err(Into::into));
        }
        if let Some(o) = &p.options {
            note(validation::webhook_options(o, &self.config.wire).map_err(Into::into));
        }
        if let Some(a) = &p.auth {
            note(validation::webhook_auth(a, insecure, &self.config.wire).map_err(Into::into));
        }
        if let Some(Some(f)) = &p.filter {
            note(filter(f).map(drop));
        }
        if let Some(d) = &p.destination {
            note(delivered(d.kind()));
            note(d.check(insecure).map_err(Into::into));
        }
        note(self.check_references(org, p).await);
        found
            .into_iter()
            .filter_map(|e| match e {
                OpsError::Invalid { field, detail } => Some((field, detail)),
                _ => None,
            })
            .collect()
    }

    /// Checks and seals a webhook's whole authentication.
    fn seal_auth(&self, auth: &WebhookAuth) -> OpsResult<SealedSecret> {
        validation::webhook_auth(auth, self.config.allow_private_targets, &self.config.wire)?;
        let bytes = serde_json::to_vec(auth).map_err(|e| OpsError::Internal(e.into()))?;
        Ok(self.key.seal(&bytes))
    }

    /// Keeps each stored secret that the client sent back in the masked form it was shown;
    /// everything else is as sent. Stored credentials that cannot be opened are simply
    /// replaced (a masked value sent back then fails validation, which asks for the secret).
    fn merge_auth(&self, w: &Webhook, new: &WebhookAuth) -> WebhookAuth {
        match self.open_auth(w) {
            Some(old) => new.clone().keep_secrets_of(&old),
            None => new.clone(),
        }
    }

    pub async fn create_webhook(&self, by: &Actor, org: &OrgId, input: WebhookIn) -> OpsResult<WebhookView> {
        self.authorize_webhooks(by, org, Access::Write).await?;
        self.store.get_org(org).await.map_err(not_found("organization"))?;
        let patch = WebhookPatch::from(input);
        self.check_references(org, &patch).await?;
        let id = WebhookId::new();
        let mut edit = self.edit_of(by, org, &id, &patch)?;
        self.set_destination(None, &patch, &mut edit)?;
        let auth = patch.auth.clone().unwrap_or_default();
        edit.auth = Some(AuthEdit { new: self.seal_auth(&auth)?, replaces: SealedSecret(vec![]) });
        let secret = SigningSecret::generate().to_text();
        let now = chrono::Utc::now();
        let mut w = Webhook {
            id,
            org_id: org.clone(),
            name: String::new(),
            url: String::new(),
            description: None,
            event_types: vec![],
            environment: Environment::Live,
            owner_id: None,
            include_child_orgs: false,
            options: WebhookOptions::default(),
            filter: None,
            transformation: None,
            signing_enabled: true,
            signing_secret: self.key.seal_str(&secret),
            rotated_out: None,
            auth: SealedSecret(vec![]),
            destination_kind: DestinationKind::Http,
            destination: None,
            status: WebhookStatus { enabled: true, reason: None, changed_at: now, changed_by: Some(by.actor_ref()) },
            created_at: now,
            updated_at: now,
            last_triggered_at: None,
            failing_since: None,
            failed_deliveries: 0,
            revision: 0,
        };
        edit.apply_to(&mut w);
        let summary = format!("created “{}” to {}", w.name, w.url);
        self.store.create_webhook(&w, &Self::audit(by, org, "webhook.created", &w.id, summary)).await?;
        Ok(self.webhook_view(w, Some(secret)))
    }

    pub async fn get_webhook(&self, by: &Actor, org: &OrgId, id: &WebhookId) -> OpsResult<WebhookView> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        let w = self.store.get_webhook(org, id).await.map_err(not_found("webhook"))?;
        Ok(self.webhook_view(w, None))
    }

    pub async fn list_webhooks(
        &self,
        by: &Actor,
        org: &OrgId,
        page: &PageRequest<WebhookSort>,
    ) -> OpsResult<Page<WebhookView>> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        let found = self.store.list_webhooks(org, page).await?;
        Ok(Page {
            data: found.data.into_iter().map(|w| self.webhook_view(w, None)).collect(),
            next_cursor: found.next_cursor,
        })
    }

    /// Writes what `p` names and nothing else, so edits of different fields, the engine's
    /// own changes (failure streak, a disable after 410) and rotations never undo each other.
    /// New credentials are merged with the stored ones they were read with and written only
    /// over those (tried again if another edit changed them meanwhile). With `if_revision`,
    /// only that revision is edited (`Stale` otherwise). A change of `enabled` publishes
    /// `webhook.enabled` or `webhook.disabled` in the same transaction.
    pub async fn update_webhook(
        &self,
        by: &Actor,
        org: &OrgId,
        id: &WebhookId,
        p: WebhookPatch,
        if_revision: Option<i64>,
    ) -> OpsResult<WebhookView> {
        self.authorize_webhooks(by, org, Access::Write).await?;
        self.check_references(org, &p).await?;
        let mut edit = self.edit_of(by, org, id, &p)?;
        edit.if_revision = if_revision;
        let (action, summary) = patch_summary(&p);
        edit.audit = Some(Self::audit(by, org, action, id, summary));
        for _ in 0..EDIT_TRIES {
            if p.auth.is_some() || p.destination.is_some() || p.url.is_some() {
                let stored = self.store.get_webhook(org, id).await.map_err(not_found("webhook"))?;
                self.set_destination(Some(&stored), &p, &mut edit)?;
                if let Some(auth) = &p.auth {
                    let merged = self.merge_auth(&stored, auth);
                    edit.auth = Some(AuthEdit { new: self.seal_auth(&merged)?, replaces: stored.auth });
                }
            }
            match self.store.edit_webhook(&edit).await {
                Ok(w) => {
                    if edit.status.is_some() {
                        self.handoff.wake();
                    }
                    return Ok(self.webhook_view(w, None));
                }
                Err(StoreError::Stale) if if_revision.is_none() => continue,
                Err(StoreError::Stale) => {
                    let current = self.store.get_webhook(org, id).await.map_err(not_found("webhook"))?.revision;
                    return Err(OpsError::Stale { what: "webhook", expected: if_revision.unwrap_or(0), current });
                }
                Err(e) => return Err(not_found("webhook")(e)),
            }
        }
        Err(OpsError::Conflict {
            field: Some("auth".into()),
            detail: "the credentials kept changing while this edit was applied; send it again".into(),
        })
    }

    /// Turns a webhook on or off, with who did it as the reason.
    pub async fn set_webhook_enabled(
        &self,
        by: &Actor,
        org: &OrgId,
        id: &WebhookId,
        enabled: bool,
    ) -> OpsResult<WebhookView> {
        let patch = WebhookPatch { enabled: Some(enabled), ..Default::default() };
        self.update_webhook(by, org, id, patch, None).await
    }

    /// Deletes the webhooks (their pending deliveries fail); returns how many there were.
    pub async fn delete_webhooks(&self, by: &Actor, org: &OrgId, ids: &[WebhookId]) -> OpsResult<u64> {
        self.authorize_webhooks(by, org, Access::Write).await?;
        if ids.is_empty() || ids.len() > 1000 {
            return Err(OpsError::invalid("ids", "give from 1 to 1000 webhook IDs"));
        }
        // All or nothing: an ID that is not one of this org's webhooks refuses the whole request,
        // and no entry claims a deletion that did not happen.
        for (i, id) in ids.iter().enumerate() {
            match self.store.get_webhook(org, id).await {
                Ok(_) => {}
                Err(StoreError::NotFound) if ids.len() == 1 => return Err(OpsError::NotFound("webhook")),
                Err(StoreError::NotFound) => {
                    return Err(OpsError::invalid(
                        format!("ids[{i}]"),
                        "is not a webhook of this organization; nothing was deleted",
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
        let deletions: Vec<_> = ids
            .iter()
            .map(|id| {
                let summary = "deleted, its pending deliveries failed".into();
                (id.clone(), Self::audit(by, org, "webhook.deleted", id, summary))
            })
            .collect();
        // One deleted meanwhile by someone else: nothing is deleted, as above.
        self.store.delete_webhooks(org, &deletions).await.map_err(not_found("webhook"))?;
        Ok(ids.len() as u64)
    }

    /// A new signing secret, shown in the answer only. Every secret rotated out in the last
    /// [`hookd_core::rotation::OVERLAP`] keeps signing beside it (up to [`hookd_core::rotation::MAX_KEPT`]); one that
    /// cannot be read is not kept.
    pub async fn rotate_secret(&self, by: &Actor, org: &OrgId, id: &WebhookId) -> OpsResult<WebhookView> {
        self.authorize_webhooks(by, org, Access::Write).await?;
        let secret = SigningSecret::generate().to_text();
        let sealed = self.key.seal_str(&secret);
        for _ in 0..EDIT_TRIES {
            let current = self.store.get_webhook(org, id).await.map_err(not_found("webhook"))?;
            let kept = current
                .rotated_out
                .as_ref()
                .and_then(|(s, until)| RotatedOut::open(&self.key, s, *until).ok())
                .unwrap_or_default();
            let replaced =
                self.key.open_string(&current.signing_secret).ok().and_then(|t| SigningSecret::parse(&t).ok());
            let kept = match replaced {
                Some(old) => kept.push(old, chrono::Utc::now()),
                None => kept,
            };
            let kept = kept.seal(&self.key);
            let rotated_out = kept.as_ref().map(|(s, until)| (s, *until));
            let summary = "rotated the signing secret (those it replaced keep signing for 24 h)".into();
            let audit = Self::audit(by, org, "webhook.secret_rotated", id, summary);
            match self.store.rotate_secret(org, id, &sealed, &current.signing_secret, rotated_out, &audit).await {
                Ok(w) => {
                    return Ok(self.webhook_view(w, Some(secret)));
                }
                // Another rotation ran meanwhile: keep what it kept too.
                Err(StoreError::Stale) => continue,
                Err(e) => return Err(not_found("webhook")(e)),
            }
        }
        Err(OpsError::from(StoreError::Stale))
    }

    /// Sends one event of `event_type` (default: the first the webhook subscribes to) to this
    /// webhook alone, with `payload` or the catalog's example.
    pub async fn send_test(
        &self,
        by: &Actor,
        org: &OrgId,
        id: &WebhookId,
        event_type: Option<String>,
        payload: Option<serde_json::Value>,
    ) -> OpsResult<Accepted> {
        self.authorize_webhooks(by, org, Access::Write).await?;
        let w = self.store.get_webhook(org, id).await.map_err(not_found("webhook"))?;
        let event_type = match event_type {
            Some(t) if w.event_types.contains(&t) => t,
            Some(t) => {
                return Err(OpsError::invalid("event_type", format!("the webhook is not subscribed to `{t}`")));
            }
            None => w.event_types.first().cloned().unwrap_or_default(),
        };
        let payload = match payload {
            Some(p) => p,
            None => self
                .catalog_entry(&event_type)
                .await?
                .and_then(|e| e.event_type.example.clone())
                .unwrap_or_else(|| serde_json::json!({"test": true})),
        };
        self.publish_to(&w, &event_type, payload).await
    }

    /// How many of the webhook's deliveries failed since `since`: what [`Ops::recover`] would send again.
    pub async fn count_recoverable(
        &self,
        by: &Actor,
        org: &OrgId,
        id: &WebhookId,
        since: chrono::DateTime<chrono::Utc>,
    ) -> OpsResult<u64> {
        self.authorize_webhooks(by, org, Access::Read).await?;
        self.store.get_webhook(org, id).await.map_err(not_found("webhook"))?;
        Ok(self.store.count_failed(org, id, since).await?)
    }

    /// Makes every delivery of the webhook that failed since `since` due again.
    pub async fn recover(
        &self,
        by: &Actor,
        org: &OrgId,
        id: &WebhookId,
        since: chrono::DateTime<chrono::Utc>,
    ) -> OpsResult<u64> {
        self.authorize_webhooks(by, org, Access::Write).await?;
        if since > chrono::Utc::now() {
            return Err(OpsError::invalid("since", "is in the future"));
        }
        let summary = format!("sent the deliveries that failed since {} again", since.format("%Y-%m-%d %H:%M UTC"));
        let audit = Self::audit(by, org, "webhook.recovered", id, summary);
        let n = self.store.recover_webhook(org, id, since, &audit).await.map_err(not_found("webhook"))?;
        self.handoff.wake();
        Ok(n)
    }
}
