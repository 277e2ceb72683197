//! JSON Schema checks of event payloads against the catalog.

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("the schema itself is invalid: {0}")]
    InvalidSchema(String),
    #[error("{message}")]
    Violation {
        /// JSON Pointer into the payload, e.g. `/user/email`.
        path: String,
        message: String,
    },
}

/// Compiles `schema` once, to check many payloads.
pub struct PayloadSchema(jsonschema::Validator);

impl PayloadSchema {
    pub fn compile(schema: &serde_json::Value) -> Result<Self, SchemaError> {
        jsonschema::validator_for(schema).map(Self).map_err(|e| SchemaError::InvalidSchema(e.to_string()))
    }

    pub fn check(&self, payload: &serde_json::Value) -> Result<(), SchemaError> {
        match self.0.iter_errors(payload).next() {
            None => Ok(()),
            Some(err) => {
                Err(SchemaError::Violation { path: err.instance_path().to_string(), message: err.to_string() })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn violation_names_the_path() {
        let s = PayloadSchema::compile(&json!({
            "type": "object",
            "properties": {"user": {"type": "object", "properties": {"email": {"type": "string"}}}}
        }))
        .unwrap();
        assert!(s.check(&json!({"user": {"email": "a@b.c"}})).is_ok());
        match s.check(&json!({"user": {"email": 5}})) {
            Err(SchemaError::Violation { path, .. }) => assert_eq!(path, "/user/email"),
            other => panic!("{other:?}"),
        }
        assert!(PayloadSchema::compile(&json!({"type": 12})).is_err());
    }
}
