//! `serve --demo`: a demo organization, its admin, the seeds' event types and some traffic,
//! made through the same operations as the API's. Also hookd's own operational events, which
//! every catalog holds.

use hookd_core::OrgId;
use hookd_core::model::Role;
use serde_json::json;

use crate::event_types::EventTypeIn;
use crate::members::MemberIn;
use crate::orgs::OrgIn;
use crate::tokens::TokenIn;
use crate::{Actor, Ops, OpsError, OpsResult};

const DEMO_ORG_KEY: &str = "demo_org";
const DEMO_WEBHOOKS_KEY: &str = "demo_webhooks";

/// What the demo made that its operator needs to see once: the org, an admin token and a
/// sign-in link for the demo admin.
#[derive(Debug)]
pub struct DemoSeed {
    pub org_id: OrgId,
    pub token_value: String,
    pub sign_in_url: Option<String>,
}

/// The catalog, grouped as the five seed products group their events.
fn catalog() -> Vec<(&'static str, &'static str, &'static str, serde_json::Value)> {
    let user = json!({"username": "demo", "email": "demo@example.com", "userId": "66ec445884b4103f670d0c86", "organization": "example"});
    vec![
        (
            "organization.updated",
            "Organization",
            "A user has created an organization, or changed its name.",
            json!({"id": "org_1", "name": "Example Inc"}),
        ),
        (
            "user.updated",
            "Users",
            "A user was added to an organization, or changed their name, email address or telephone number.",
            json!({"id": 1, "name": "Ada", "email": "ada@example.com", "phone": "+1 555 0100"}),
        ),
        (
            "assign_task",
            "Tasks",
            "A task assignee changed, including from assigned to unassigned.",
            json!({"id": 1, "resource_url": "https://example.com/api/v0/tasks/1.json"}),
        ),
        (
            "unassign_task",
            "Tasks",
            "A task was unassigned.",
            json!({"id": 1, "resource_url": "https://example.com/api/v0/tasks/1.json"}),
        ),
        (
            "create_quote",
            "Quotes",
            "A quote was created.",
            json!({"id": 7, "resource_url": "https://example.com/api/v0/quotes/7.json"}),
        ),
        (
            "create_request",
            "Requests",
            "A request was created.",
            json!({"id": 3, "resource_url": "https://example.com/api/v0/requests/3.json"}),
        ),
        (
            "update_request_status",
            "Requests",
            "A request's status changed.",
            json!({"id": 3, "resource_url": "https://example.com/api/v0/requests/3.json"}),
        ),
        ("user.status_changed", "Users", "A user's status changed.", json!({"userId": "u_1", "status": "disabled"})),
        (
            "invite.created",
            "Invites",
            "A user was invited to a workspace.",
            json!({"inviteId": "i_1", "email": "new@example.com"}),
        ),
        ("invite.deleted", "Invites", "An invitation was withdrawn.", json!({"inviteId": "i_1"})),
        ("group.created", "Groups", "A user group was created.", json!({"groupId": "g_1", "name": "Sales"})),
        ("group.updated", "Groups", "A user group changed.", json!({"groupId": "g_1", "name": "Sales EMEA"})),
        ("role.created", "Roles", "A user role was created.", json!({"roleId": "r_1", "name": "Auditor"})),
        ("role.updated", "Roles", "A user role changed.", json!({"roleId": "r_1", "name": "Auditor"})),
        ("api_key.created", "API Keys", "An API key was created.", json!({"keyId": "k_1", "name": "CI"})),
        ("api_key.revoked", "API Keys", "An API key was revoked.", json!({"keyId": "k_1"})),
        (
            "license.balance_changed",
            "State changes",
            "The balance within your license changed.",
            json!({"seatsUsed": 12, "seatsTotal": 20}),
        ),
        (
            "contract.recipient_status_changed",
            "Contracts",
            "A contract recipient's status changed.",
            json!({"contractId": "c_1", "recipient": "ada@example.com", "status": "signed"}),
        ),
        (
            "contract.status_changed",
            "Contracts",
            "A contract's status changed.",
            json!({"contractId": "c_1", "status": "executed"}),
        ),
        (
            "milestone.status_changed",
            "Projects",
            "A milestone's status changed.",
            json!({"milestoneId": "m_1", "status": "complete"}),
        ),
        (
            "qualification.updated",
            "Projects",
            "A qualification was updated.",
            json!({"qualificationId": "q_1", "result": "qualified"}),
        ),
        ("site.archived", "Projects", "A site was archived.", json!({"siteId": "s_1"})),
        (
            "task.comment_created",
            "Tasks",
            "A comment was added to a task.",
            json!({"taskId": "t_1", "comment": "Done"}),
        ),
        (
            "USER_CREATED",
            "Users",
            "A new user logged in for the first time.",
            json!({"remainingSeats": 5})
                .as_object()
                .map(|o| {
                    let mut u = user.clone();
                    if let Some(m) = u.as_object_mut() {
                        m.extend(o.clone());
                    }
                    u
                })
                .unwrap_or_default(),
        ),
        ("USER_DISABLED", "Users", "A user was disabled.", user.clone()),
        ("USER_REMOVED_FROM_GROUP", "Users", "A user was removed from a group of your organization.", {
            let mut u = user.clone();
            if let Some(m) = u.as_object_mut() {
                m.insert("groupName".into(), json!("Demo-Group"));
            }
            u
        }),
    ]
}

/// Names what the demo was making when an operation refused it.
fn failed(what: &str) -> impl FnOnce(OpsError) -> OpsError + '_ {
    move |e| match e {
        OpsError::Invalid { field, detail } => OpsError::Invalid { field: format!("demo {what}: {field}"), detail },
        other => other,
    }
}

impl Ops {
    /// hookd's own events (`webhook.disabled`, `webhook.enabled`), in every catalog.
    pub async fn seed_operational_catalog(&self) -> OpsResult<()> {
        for (name, description, example) in hookd_core::operational::catalog() {
            if self.store.get_event_type(name).await.is_ok() {
                continue;
            }
            let input = EventTypeIn {
                name: name.into(),
                group: Some(hookd_core::operational::GROUP.into()),
                description: Some(description.into()),
                schema: None,
                example: Some(example),
            };
            self.upsert_event_type(&Actor::Operator, input).await.map_err(failed(name))?;
        }
        Ok(())
    }

    /// The demo org, its admin and the seeds' catalog, made through the same operations as the
    /// API's (once: the org's ID is remembered in the settings).
    pub async fn seed_demo(&self) -> OpsResult<DemoSeed> {
        let operator = Actor::Operator;
        for (name, group, description, example) in catalog() {
            let input = EventTypeIn {
                name: name.into(),
                group: Some(group.into()),
                description: Some(description.into()),
                schema: None,
                example: Some(example),
            };
            self.upsert_event_type(&operator, input).await.map_err(failed(name))?;
        }
        let org_id = match self.store.get_setting(DEMO_ORG_KEY).await?.and_then(|s| OrgId::parse(&s).ok()) {
            Some(id) => id,
            None => {
                let org = self
                    .create_org(&operator, OrgIn { name: Some("Demo Org".into()), ..Default::default() })
                    .await
                    .map_err(failed("the demo org"))?;
                let admin = MemberIn {
                    name: Some("Demo Admin".into()),
                    email: Some("admin@demo.example".into()),
                    role: Some(Role::Admin),
                    groups: Some(vec!["admins".into()]),
                    ..Default::default()
                };
                self.create_member(&operator, &org.id, admin).await.map_err(failed("the demo admin"))?;
                self.store.put_setting(DEMO_ORG_KEY, org.id.as_str()).await?;
                org.id
            }
        };
        let token = self
            .create_token(&operator, &org_id, TokenIn { name: Some("demo admin".into()), role: Some(Role::Admin) })
            .await
            .map_err(failed("the demo token"))?;
        let members =
            self.list_members(&operator, &org_id, &Default::default()).await.map_err(failed("the demo admin"))?;
        let mut sign_in_url = None;
        if let Some(admin) = members.data.iter().find(|m| m.email == "admin@demo.example") {
            let link = self
                .create_login_link(&operator, &org_id, &admin.id, None, None)
                .await
                .map_err(failed("the demo sign-in link"))?;
            sign_in_url = Some(link.url);
        }
        Ok(DemoSeed { org_id, token_value: token.token_value, sign_in_url })
    }

    /// A lived-in demo, on first start: three webhooks to the demo's own receiver (one healthy,
    /// one whose receiver is gone, one flaky, in the test environment) and a few events, so the
    /// portal has history, retries and a disabled webhook with its reason on the first visit.
    pub async fn seed_demo_traffic(&self, org: &OrgId, base: &str) -> OpsResult<()> {
        if self.store.get_setting(DEMO_WEBHOOKS_KEY).await?.is_some() {
            return Ok(());
        }
        let operator = Actor::Operator;
        let hooks = [
            ("CRM sync", "ok", "live", vec!["user.updated", "organization.updated", "USER_CREATED"]),
            ("Billing (legacy endpoint)", "gone", "live", vec!["user.updated"]),
            ("Analytics staging", "flaky", "test", vec!["user.updated", "assign_task"]),
        ];
        for (name, kind, env, types) in hooks {
            let input = serde_json::from_value(json!({
                "name": name,
                "url": format!("{base}/demo/receiver/{kind}"),
                "description": format!("Demo webhook to the demo's own receiver ({kind})"),
                "event_types": types,
                "environment": env,
            }))
            .map_err(|e| OpsError::Internal(format!("demo webhook {name}: {e}").into()))?;
            self.create_webhook(&operator, org, input).await.map_err(failed(name))?;
        }
        self.store.put_setting(DEMO_WEBHOOKS_KEY, "1").await?;
        let events = [
            ("user.updated", "live", json!({"id": 1, "name": "Ada", "email": "ada@example.com"})),
            ("organization.updated", "live", json!({"id": "org_1", "name": "Example Inc"})),
            ("user.updated", "live", json!({"id": 2, "name": "Grace", "email": "grace@example.com"})),
            ("user.updated", "test", json!({"id": 3, "name": "Test user"})),
            ("assign_task", "test", json!({"id": 7, "resource_url": "https://example.com/api/v0/tasks/7.json"})),
        ];
        for (kind, env, payload) in events {
            let input = serde_json::from_value(json!({"type": kind, "payload": payload, "environment": env}))
                .map_err(|e| OpsError::Internal(format!("demo event {kind}: {e}").into()))?;
            self.publish(&operator, org, input, Default::default()).await.map_err(failed(kind))?;
        }
        Ok(())
    }
}
