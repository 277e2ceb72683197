//! The outbound authentication methods as a list of their fields, for what shows or builds
//! one field by field (the portal's form). The list is [`AuthMethod`]'s own: a test reads each
//! kind through serde, so the two cannot drift apart.

use crate::model::AuthMethod;

/// A credential field of an authentication method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthField {
    /// Its name in the API's JSON.
    pub name: &'static str,
    /// What a person is asked for.
    pub label: &'static str,
    /// Write-only: shown masked, kept when an edit leaves it empty.
    pub secret: bool,
    /// May be left out.
    pub optional: bool,
}

/// An authentication method: its `type`, its label and its fields (`headers` has a map of
/// its own instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthKind {
    pub kind: &'static str,
    pub label: &'static str,
    pub fields: &'static [AuthField],
}

const fn field(name: &'static str, label: &'static str) -> AuthField {
    AuthField { name, label, secret: false, optional: false }
}

const fn secret(name: &'static str, label: &'static str) -> AuthField {
    AuthField { name, label, secret: true, optional: false }
}

const fn optional(name: &'static str, label: &'static str) -> AuthField {
    AuthField { name, label, secret: false, optional: true }
}

impl AuthMethod {
    /// Every method, in the order a form lists them.
    pub const KINDS: &'static [AuthKind] = &[
        AuthKind { kind: "none", label: "No authentication", fields: &[] },
        AuthKind { kind: "headers", label: "Headers", fields: &[] },
        AuthKind {
            kind: "basic",
            label: "Basic",
            fields: &[field("username", "Username"), secret("password", "Password")],
        },
        AuthKind {
            kind: "token",
            label: "Token",
            fields: &[optional("key", "Header name (default Authorization: Bearer)"), secret("value", "Value")],
        },
        AuthKind {
            kind: "aws4",
            label: "AWS Signature v4",
            fields: &[
                field("access_key", "Access key"),
                secret("secret_key", "Secret key"),
                field("region", "AWS region"),
                field("service", "AWS service"),
                optional("endpoint", "Base endpoint (optional: the AWS host, when the URL reaches it by another name)"),
            ],
        },
        AuthKind {
            kind: "hmac_sha256",
            label: "HMAC-SHA256",
            fields: &[field("client_id", "Client ID"), secret("client_secret", "Client secret")],
        },
        AuthKind {
            kind: "oauth2",
            label: "OAuth2 client credentials",
            fields: &[
                field("token_url", "Token URL"),
                field("client_id", "Client ID"),
                secret("client_secret", "Client secret"),
                optional("scope", "Scope (optional)"),
                optional("audience", "Audience (optional)"),
            ],
        },
        AuthKind {
            kind: "mtls",
            label: "mTLS client certificate",
            fields: &[field("cert_pem", "Certificate (PEM)"), secret("key_pem", "Private key (PEM)")],
        },
    ];

    /// The method named `kind`, if there is one.
    pub fn kind(kind: &str) -> Option<&'static AuthKind> {
        Self::KINDS.iter().find(|k| k.kind == kind)
    }

    /// How a form labels this method.
    pub fn label(&self) -> &'static str {
        Self::kind(self.type_name()).map_or("", |k| k.label)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;

    #[test]
    fn every_method_has_its_kind_and_label() {
        let all = [
            json!({"type": "none"}),
            json!({"type": "headers", "headers": {}}),
            json!({"type": "basic", "username": "u", "password": "p"}),
            json!({"type": "token", "value": "v"}),
            json!({"type": "hmac_sha256", "client_id": "c", "client_secret": "s"}),
            json!({"type": "aws4", "access_key": "a", "secret_key": "s", "region": "r", "service": "s"}),
            json!({"type": "oauth2", "token_url": "https://t", "client_id": "c", "client_secret": "s"}),
            json!({"type": "mtls", "cert_pem": "c", "key_pem": "k"}),
        ];
        for v in all {
            let m: AuthMethod = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(m.type_name(), v["type"]);
            assert!(!m.label().is_empty());
        }
    }

    fn read(kind: &AuthKind, fields: impl Iterator<Item = &'static AuthField>) -> Result<AuthMethod, String> {
        let mut obj = Map::new();
        obj.insert("type".into(), json!(kind.kind));
        if kind.kind == "headers" {
            obj.insert("headers".into(), json!({}));
        }
        for f in fields {
            obj.insert(f.name.into(), json!("x"));
        }
        serde_json::from_value(Value::Object(obj)).map_err(|e| e.to_string())
    }

    #[test]
    fn the_list_names_every_field_of_every_method_and_which_may_be_left_out() {
        for kind in AuthMethod::KINDS {
            let all = read(kind, kind.fields.iter()).unwrap_or_else(|e| panic!("{}: {e}", kind.kind));
            // Serialized again, the method has every listed field and no other.
            let Value::Object(back) = serde_json::to_value(&all).unwrap() else { panic!("an object") };
            let mut names: Vec<&str> = back.keys().map(String::as_str).filter(|k| *k != "type").collect();
            let mut listed: Vec<&str> = kind.fields.iter().map(|f| f.name).collect();
            if kind.kind == "headers" {
                listed.push("headers");
            }
            names.sort();
            listed.sort();
            assert_eq!(names, listed, "{}", kind.kind);
            read(kind, kind.fields.iter().filter(|f| !f.optional)).unwrap_or_else(|e| panic!("{}: {e}", kind.kind));
            for required in kind.fields.iter().filter(|f| !f.optional) {
                let without = read(kind, kind.fields.iter().filter(|f| f.name != required.name));
                assert!(without.is_err(), "{}.{} is required", kind.kind, required.name);
            }
        }
        let masked_secrets = |m: &AuthMethod| serde_json::to_value(m.masked()).unwrap();
        for kind in AuthMethod::KINDS {
            let m = read(kind, kind.fields.iter()).unwrap();
            let masked = masked_secrets(&m);
            for f in kind.fields {
                let shown = masked[f.name].as_str().unwrap_or("");
                assert_eq!(shown.starts_with("****"), f.secret, "{}.{} secret", kind.kind, f.name);
            }
        }
    }
}
