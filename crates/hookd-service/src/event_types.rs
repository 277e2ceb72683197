//! The event-type catalog: the operator writes it, every caller reads it.

use hookd_core::listing::{EventTypeSort, Page, PageRequest};
use hookd_core::model::EventType;
use hookd_core::schema::{PayloadSchema, SchemaError};
use hookd_core::validation;
use serde::Deserialize;

use super::{Actor, Ops, OpsError, OpsResult, not_found};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventTypeIn {
    pub name: String,
    pub group: Option<String>,
    pub description: Option<String>,
    #[schema(schema_with = hookd_core::model::any_json)]
    pub schema: Option<serde_json::Value>,
    #[schema(schema_with = hookd_core::model::any_json)]
    pub example: Option<serde_json::Value>,
}

impl Ops {
    /// Adds or replaces a catalog entry; its example must fit its schema.
    pub async fn upsert_event_type(&self, by: &Actor, input: EventTypeIn) -> OpsResult<EventType> {
        by.operator_only()?;
        validation::event_type_name("name", &input.name)?;
        let group = match input.group.as_deref().filter(|g| !g.trim().is_empty()) {
            Some(g) => validation::name("group", g, 100)?,
            None => "General".into(),
        };
        if let Some(d) = &input.description {
            validation::text("description", d, 2000)?;
        }
        if let Some(schema) = &input.schema {
            let compiled = PayloadSchema::compile(schema).map_err(|e| OpsError::invalid("schema", e.to_string()))?;
            if let Some(example) = &input.example
                && let Err(SchemaError::Violation { path, message }) = compiled.check(example)
            {
                return Err(OpsError::invalid(
                    format!("example{path}"),
                    format!("the example breaks the schema: {message}"),
                ));
            }
        }
        let et = EventType {
            name: input.name,
            group,
            description: input.description.unwrap_or_default(),
            schema: input.schema,
            example: input.example,
            created_at: chrono::Utc::now(),
        };
        self.store.upsert_event_type(&et).await?;
        self.catalog.remove(&et.name);
        Ok(et)
    }

    /// One page of the catalog. Any authenticated caller may read it.
    pub async fn list_event_types(&self, _by: &Actor, page: &PageRequest<EventTypeSort>) -> OpsResult<Page<EventType>> {
        Ok(self.store.list_event_types(page).await?)
    }

    /// The whole catalog, by group and name, for pickers that show it all.
    pub async fn event_type_catalog(&self, _by: &Actor) -> OpsResult<Vec<EventType>> {
        Ok(self.store.all_event_types().await?)
    }

    pub async fn get_event_type(&self, _by: &Actor, name: &str) -> OpsResult<EventType> {
        self.store.get_event_type(name).await.map_err(not_found("event type"))
    }
}
