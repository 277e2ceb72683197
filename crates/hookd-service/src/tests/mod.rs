//! In-process tests of the service layer's rules, over a real SQLite store in a temp dir.

mod access;
mod activity;
mod sign_in;

use std::sync::Arc;

use hookd_core::model::Role;
use hookd_core::secret::MasterKey;
use hookd_core::{DeliveryId, MemberId, OrgId, TokenId, WebhookId};
use serde_json::json;

use crate::tokens::TokenIn;
use crate::{Actor, Ops, OpsConfig};

/// The service layer over a fresh SQLite database; keep the dir alive as long as the ops.
pub async fn ops_with(config: OpsConfig) -> (Ops, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = hookd_store::sqlite::SqliteStore::open(&dir.path().join("hookd.db")).await.unwrap();
    let (key, _) = MasterKey::generate();
    (Ops::offline(Arc::new(store), key, config), dir)
}

pub async fn ops() -> (Ops, tempfile::TempDir) {
    ops_with(OpsConfig::default()).await
}

/// Two orgs; in A a webhook with one delivery, a member to act on, and a signed-in member of
/// each role.
pub struct World {
    pub ops: Ops,
    pub a: OrgId,
    pub b: OrgId,
    pub webhook: WebhookId,
    pub delivery: DeliveryId,
    pub plain_member: MemberId,
    members_by_role: Vec<(Role, MemberId)>,
    _dir: tempfile::TempDir,
}

const OPERATOR: Actor = Actor::Operator;

impl World {
    pub fn signed_in(&self, role: Role) -> MemberId {
        self.members_by_role.iter().find(|(r, _)| *r == role).map(|(_, id)| id.clone()).unwrap()
    }

    pub async fn new_webhook(&self) -> WebhookId {
        let input = serde_json::from_value(
            json!({"name": "w", "url": "https://example.com/hook", "event_types": ["user.created"]}),
        )
        .unwrap();
        self.ops.create_webhook(&OPERATOR, &self.a, input).await.unwrap().id
    }

    pub async fn new_token(&self) -> TokenId {
        let input = TokenIn { name: Some("t".into()), role: Some(Role::Viewer) };
        self.ops.create_token(&OPERATOR, &self.a, input).await.unwrap().token.id
    }

    pub async fn new_member(&self) -> MemberId {
        self.member(Role::Viewer).await
    }

    async fn member(&self, role: Role) -> MemberId {
        let email = format!("{}@example.com", MemberId::new());
        let input = serde_json::from_value(json!({"name": "Someone", "email": email, "role": role})).unwrap();
        self.ops.create_member(&OPERATOR, &self.a, input).await.unwrap().id
    }
}

pub async fn world(members_editable: bool) -> World {
    let (ops, dir) = ops_with(OpsConfig { members_editable, ..OpsConfig::default() }).await;
    let org = |name: &str| serde_json::from_value(json!({"name": name})).unwrap();
    let a = ops.create_org(&OPERATOR, org("A")).await.unwrap().id;
    let b = ops.create_org(&OPERATOR, org("B")).await.unwrap().id;
    let et = serde_json::from_value(json!({"name": "user.created", "example": {"id": 1}})).unwrap();
    ops.upsert_event_type(&OPERATOR, et).await.unwrap();
    let mut w = World {
        ops,
        a,
        b,
        webhook: WebhookId::new(),
        delivery: DeliveryId::new(),
        plain_member: MemberId::new(),
        members_by_role: vec![],
        _dir: dir,
    };
    w.webhook = w.new_webhook().await;
    let event = serde_json::from_value(json!({"type": "user.created", "payload": {"id": 1}})).unwrap();
    w.delivery = w.ops.publish(&OPERATOR, &w.a, event, Default::default()).await.unwrap().deliveries[0].clone();
    w.plain_member = w.new_member().await;
    for role in [Role::Admin, Role::Member, Role::Viewer] {
        let id = w.member(role).await;
        w.members_by_role.push((role, id));
    }
    w
}
