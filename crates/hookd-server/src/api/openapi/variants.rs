//! Tagged unions as client generators read them. utoipa writes a `#[serde(tag = "type")]` enum
//! as a `oneOf` of anonymous objects, and a struct that flattens one (`WebhookAuth`) as an
//! `allOf` of that `oneOf` and its own fields. Generators then name the variants by position
//! (`AuthMethodType3`), or, for the `allOf`, drop the model (openapi-python-client: "Cannot take
//! allOf a non-object"), so a client could not create a webhook with authentication.
//!
//! This pass rewrites what utoipa wrote, meaning nothing different: each variant becomes a
//! component named after its union and tag (`AuthMethodBasic`), its tag a `const`, the union a
//! `oneOf` of references with a `discriminator`; and an `allOf` of a union and an object becomes
//! a union of variants that carry the object's fields too (`WebhookAuthBasic` has `per_org`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

/// A tagged union: the property that tells its variants apart, and each variant by its value.
struct Union {
    tag: String,
    variants: Vec<(String, Value)>,
}

/// Rewrites the document's tagged unions (see the module's comment).
pub fn name_variants(doc: &mut Value) {
    let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else {
        return;
    };
    let unions: BTreeMap<String, Union> =
        schemas.iter().filter_map(|(name, s)| Some((name.clone(), tagged_union(s)?))).collect();
    let flattened: Vec<(String, &Union, Value)> = schemas
        .iter()
        .filter_map(|(name, s)| {
            let (union, extra) = flattened_union(s, &unions)?;
            Some((name.clone(), union, extra))
        })
        .collect();
    for (name, union, mut extra) in flattened {
        shared_fields(schemas, &name, &mut extra);
        let variants = union.variants.iter().map(|(value, v)| (value.clone(), with_fields(v, &extra))).collect();
        rewrite(schemas, &name, Union { tag: union.tag.clone(), variants });
    }
    for (name, union) in unions {
        rewrite(schemas, &name, union);
    }
}

/// A `oneOf` of inline objects that all require one property holding a single string value.
fn tagged_union(schema: &Value) -> Option<Union> {
    let items = schema.get("oneOf")?.as_array()?;
    let required = items.first()?.get("required")?.as_array()?;
    let tag = required.iter().filter_map(Value::as_str).find(|p| items.iter().all(|v| tag_value(v, p).is_some()))?;
    let variants = items.iter().map(|v| Some((tag_value(v, tag)?, v.clone()))).collect::<Option<Vec<_>>>()?;
    Some(Union { tag: tag.to_owned(), variants })
}

/// The one value `variant` allows for property `tag`, if it requires it.
fn tag_value(variant: &Value, tag: &str) -> Option<String> {
    let required = variant.get("required")?.as_array()?.iter().any(|r| r == tag);
    let values = variant.pointer(&format!("/properties/{tag}/enum"))?.as_array()?;
    match values.as_slice() {
        [Value::String(s)] if required => Some(s.clone()),
        _ => None,
    }
}

/// An `allOf` of a reference to one of `unions` and an inline object: that union and the object.
fn flattened_union<'u>(schema: &Value, unions: &'u BTreeMap<String, Union>) -> Option<(&'u Union, Value)> {
    let [first, second] = schema.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    let union = unions.get(first.get("$ref")?.as_str()?.strip_prefix("#/components/schemas/")?)?;
    second.get("properties").is_some().then(|| (union, second.clone()))
}

/// Makes each object property of `extra` a component of its own (`WebhookAuthPerOrg`), so
/// that the variants that all carry it share one type instead of having one each.
fn shared_fields(schemas: &mut Map<String, Value>, name: &str, extra: &mut Value) {
    let Some(properties) = extra.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (property, schema) in properties.iter_mut() {
        if schema.get("type").and_then(Value::as_str) == Some("object") {
            let component = format!("{name}{}", pascal(property));
            let shared = std::mem::replace(schema, json!({"$ref": format!("#/components/schemas/{component}")}));
            schemas.insert(component, shared);
        }
    }
}

/// `variant` with `extra`'s properties and required ones added.
fn with_fields(variant: &Value, extra: &Value) -> Value {
    let mut v = variant.clone();
    for key in ["properties", "required"] {
        let Some(add) = extra.get(key) else { continue };
        match (v.get_mut(key), add) {
            (Some(Value::Object(have)), Value::Object(more)) => have.extend(more.clone()),
            (Some(Value::Array(have)), Value::Array(more)) => have.extend(more.iter().cloned()),
            (None, _) => {
                v[key] = add.clone();
            }
            _ => {}
        }
    }
    v
}

/// Makes `name` a `oneOf` of named variants with a discriminator on the union's tag.
fn rewrite(schemas: &mut Map<String, Value>, name: &str, union: Union) {
    let tag = union.tag;
    let description = schemas.get(name).and_then(|s| s.get("description")).cloned();
    let mut refs = Vec::new();
    let mut mapping = Map::new();
    for (value, mut variant) in union.variants {
        let component = format!("{name}{}", pascal(&value));
        if let Some(p) = variant.pointer_mut(&format!("/properties/{tag}")) {
            *p = json!({"type": "string", "const": value});
        }
        let reference = format!("#/components/schemas/{component}");
        refs.push(json!({"$ref": reference}));
        mapping.insert(value, Value::String(reference));
        schemas.insert(component, variant);
    }
    let mut union = json!({"oneOf": refs, "discriminator": {"propertyName": tag, "mapping": mapping}});
    if let Some(d) = description {
        union["description"] = d;
    }
    schemas.insert(name.to_owned(), union);
}

/// `hmac_sha256` → `HmacSha256`.
fn pascal(s: &str) -> String {
    s.split(['_', '-', '.'])
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flattened_union_becomes_named_variants_with_the_extra_fields() {
        let mut doc = json!({"components": {"schemas": {
            "Auth": {"description": "how", "oneOf": [
                {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["none"]}}},
                {"type": "object", "required": ["user", "type"], "properties": {
                    "user": {"type": "string"}, "type": {"type": "string", "enum": ["hmac_sha256"]}}},
            ]},
            "HookAuth": {"allOf": [{"$ref": "#/components/schemas/Auth"},
                {"type": "object", "properties": {"per_org": {"type": "object"}}}]},
            "Plain": {"oneOf": [{"type": "string"}, {"type": "null"}]},
        }}});
        name_variants(&mut doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Auth"]["discriminator"]["mapping"]["hmac_sha256"], "#/components/schemas/AuthHmacSha256");
        assert_eq!(s["Auth"]["description"], "how");
        assert_eq!(s["AuthHmacSha256"]["properties"]["type"]["const"], "hmac_sha256");
        assert_eq!(s["HookAuth"]["oneOf"][1]["$ref"], "#/components/schemas/HookAuthHmacSha256");
        assert_eq!(s["HookAuthHmacSha256"]["properties"]["per_org"]["$ref"], "#/components/schemas/HookAuthPerOrg");
        assert_eq!(s["HookAuthPerOrg"]["type"], "object");
        assert!(s["HookAuthNone"]["properties"]["user"].is_null());
        assert_eq!(s["Plain"], json!({"oneOf": [{"type": "string"}, {"type": "null"}]}), "not a tagged union");
    }
}
