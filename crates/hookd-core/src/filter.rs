//! Which events reach a webhook: a filter in the MongoDB-style operators Hookdeck Outpost uses
//! (`$eq $ne $gt $gte $lt $lte $in $nin $exists $and $or $not`, dotted paths), checked once when
//! saved ([`Filter::parse`], whose error names the bad path) and matched against an event's
//! `{"type", "payload", "resource_url", "environment", "occurred_at"}` ([`Filter::matches`]).
//! Pure: no IO, no allocation while matching.

use serde_json::Value;

/// Filters nest at most this deep: a saved filter is matched on every publish.
const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct FilterError {
    /// Where in the filter, from `filter` (`filter.payload.amount.$gt`).
    pub path: String,
    pub message: String,
}

/// A checked filter, with the document it was parsed from (what is stored and shown).
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    source: Value,
    root: Node,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Field { path: Vec<String>, test: Test },
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    Eq(Value),
    Ne(Value),
    Gt(Value),
    Gte(Value),
    Lt(Value),
    Lte(Value),
    In(Vec<Value>),
    Nin(Vec<Value>),
    Exists(bool),
    Not(Box<Test>),
    All(Vec<Test>),
}

fn error(path: &str, message: impl Into<String>) -> FilterError {
    FilterError { path: path.to_owned(), message: message.into() }
}

impl Filter {
    /// Checks a filter as saved; the error names the bad part.
    pub fn parse(filter: &Value) -> Result<Self, FilterError> {
        Ok(Filter { root: node(filter, "filter", 0)?, source: filter.clone() })
    }

    /// The filter as it was written.
    pub fn source(&self) -> &Value {
        &self.source
    }

    /// Whether the event (as [`subject`] describes it) passes.
    pub fn matches(&self, event: &Value) -> bool {
        eval(&self.root, event)
    }

    /// The filter in words, for people reading a webhook's settings.
    pub fn describe(&self) -> String {
        match &self.root {
            Node::And(all) if all.is_empty() => "every event".to_owned(),
            root => words(root),
        }
    }
}

impl serde::Serialize for Filter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.source.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Filter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Filter::parse(&v).map_err(serde::de::Error::custom)
    }
}

/// What a filter is matched against: the event's type, payload, resource URL, environment and
/// time (RFC 3339, so times compare as strings).
pub fn subject(e: &crate::model::Event) -> Value {
    let payload = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
    let mut doc = serde_json::Map::with_capacity(5);
    doc.insert("type".into(), Value::String(e.event_type.clone()));
    doc.insert("payload".into(), payload);
    doc.insert("resource_url".into(), e.resource_url.clone().map_or(Value::Null, Value::String));
    doc.insert("environment".into(), Value::String(e.environment.as_str().to_owned()));
    let at = e.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    doc.insert("occurred_at".into(), Value::String(at));
    Value::Object(doc)
}

fn words(n: &Node) -> String {
    match n {
        Node::And(all) => all.iter().map(grouped).collect::<Vec<_>>().join(" and "),
        Node::Or(any) => any.iter().map(grouped).collect::<Vec<_>>().join(" or "),
        Node::Not(n) => format!("not ({})", words(n)),
        Node::Field { path, test } => format!("{} {}", path.join("."), test_words(test)),
    }
}

/// A part of an `and` or `or` in brackets when it is itself one of the other.
fn grouped(n: &Node) -> String {
    match n {
        Node::And(_) | Node::Or(_) => format!("({})", words(n)),
        _ => words(n),
    }
}

fn test_words(t: &Test) -> String {
    let list = |items: &[Value]| items.iter().map(Value::to_string).collect::<Vec<_>>().join(", ");
    match t {
        Test::Eq(v) => format!("is {v}"),
        Test::Ne(v) => format!("is not {v}"),
        Test::Gt(v) => format!("is greater than {v}"),
        Test::Gte(v) => format!("is at least {v}"),
        Test::Lt(v) => format!("is less than {v}"),
        Test::Lte(v) => format!("is at most {v}"),
        Test::In(items) => format!("is one of {}", list(items)),
        Test::Nin(items) => format!("is none of {}", list(items)),
        Test::Exists(true) => "is present".to_owned(),
        Test::Exists(false) => "is absent".to_owned(),
        Test::Not(t) => format!("does not satisfy: {}", test_words(t)),
        Test::All(all) => all.iter().map(test_words).collect::<Vec<_>>().join(" and "),
    }
}

fn node(v: &Value, at: &str, depth: usize) -> Result<Node, FilterError> {
    if depth > MAX_DEPTH {
        return Err(error(at, format!("nests deeper than {MAX_DEPTH} levels")));
    }
    let Value::Object(map) = v else { return Err(error(at, "must be an object")) };
    let mut all = Vec::with_capacity(map.len());
    for (key, value) in map {
        let here = format!("{at}.{key}");
        all.push(match key.as_str() {
            "$and" | "$or" => {
                let Value::Array(items) = value else { return Err(error(&here, "must be an array of filters")) };
                if items.is_empty() {
                    return Err(error(&here, "must hold at least one filter"));
                }
                let nodes = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| node(item, &format!("{here}[{i}]"), depth + 1))
                    .collect::<Result<Vec<_>, _>>()?;
                if key == "$and" { Node::And(nodes) } else { Node::Or(nodes) }
            }
            "$not" => Node::Not(Box::new(node(value, &here, depth + 1)?)),
            k if k.starts_with('$') => {
                return Err(error(&here, format!("`{k}` is not an operator here; use a field path")));
            }
            k if k.is_empty() || k.split('.').any(str::is_empty) => return Err(error(&here, "is not a field path")),
            k => Node::Field { path: k.split('.').map(str::to_owned).collect(), test: test(value, &here, depth + 1)? },
        });
    }
    Ok(if all.len() == 1 { all.remove(0) } else { Node::And(all) })
}

/// A field's condition: an object of operators, or a value it must equal.
fn test(v: &Value, at: &str, depth: usize) -> Result<Test, FilterError> {
    if depth > MAX_DEPTH {
        return Err(error(at, format!("nests deeper than {MAX_DEPTH} levels")));
    }
    let Value::Object(ops) = v else { return Ok(Test::Eq(v.clone())) };
    if ops.is_empty() || !ops.keys().any(|k| k.starts_with('$')) {
        return Ok(Test::Eq(v.clone()));
    }
    let mut all = Vec::with_capacity(ops.len());
    for (op, operand) in ops {
        let here = format!("{at}.{op}");
        let list = || match operand {
            Value::Array(items) => Ok(items.clone()),
            _ => Err(error(&here, "must be an array")),
        };
        all.push(match op.as_str() {
            "$eq" => Test::Eq(operand.clone()),
            "$ne" => Test::Ne(operand.clone()),
            "$gt" | "$gte" | "$lt" | "$lte" => {
                if !matches!(operand, Value::Number(_) | Value::String(_)) {
                    return Err(error(&here, "compares numbers or strings only"));
                }
                let o = operand.clone();
                match op.as_str() {
                    "$gt" => Test::Gt(o),
                    "$gte" => Test::Gte(o),
                    "$lt" => Test::Lt(o),
                    _ => Test::Lte(o),
                }
            }
            "$in" => Test::In(list()?),
            "$nin" => Test::Nin(list()?),
            "$exists" => match operand {
                Value::Bool(b) => Test::Exists(*b),
                _ => return Err(error(&here, "must be true or false")),
            },
            "$not" => Test::Not(Box::new(test(operand, &here, depth + 1)?)),
            other if other.starts_with('$') => {
                return Err(error(
                    &here,
                    format!(
                        "`{other}` is not an operator (use $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists or $not)"
                    ),
                ));
            }
            _ => return Err(error(&here, "mixes operators and fields; use one or the other")),
        });
    }
    Ok(if all.len() == 1 { all.remove(0) } else { Test::All(all) })
}

fn eval(n: &Node, doc: &Value) -> bool {
    match n {
        Node::And(all) => all.iter().all(|n| eval(n, doc)),
        Node::Or(any) => any.iter().any(|n| eval(n, doc)),
        Node::Not(n) => !eval(n, doc),
        Node::Field { path, test } => check(test, lookup(doc, path)),
    }
}

fn lookup<'a>(doc: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |v, key| match v {
        Value::Object(m) => m.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// Equal as JSON, with numbers equal by value (`1` and `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// `a` equals `b`, or `a` is an array holding something equal to `b` (as MongoDB matches arrays).
fn equals(a: &Value, b: &Value) -> bool {
    same(a, b) || matches!(a, Value::Array(items) if !b.is_array() && items.iter().any(|i| same(i, b)))
}

fn order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn check(t: &Test, field: Option<&Value>) -> bool {
    use std::cmp::Ordering::{Greater, Less};
    let compare = |o: &Value, ok: &dyn Fn(std::cmp::Ordering) -> bool| field.and_then(|f| order(f, o)).is_some_and(ok);
    match t {
        Test::Eq(v) => field.is_some_and(|f| equals(f, v)),
        Test::Ne(v) => !field.is_some_and(|f| equals(f, v)),
        Test::Gt(o) => compare(o, &|c| c == Greater),
        Test::Gte(o) => compare(o, &|c| c != Less),
        Test::Lt(o) => compare(o, &|c| c == Less),
        Test::Lte(o) => compare(o, &|c| c != Greater),
        Test::In(list) => field.is_some_and(|f| list.iter().any(|v| equals(f, v))),
        Test::Nin(list) => !field.is_some_and(|f| list.iter().any(|v| equals(f, v))),
        Test::Exists(want) => field.is_some() == *want,
        Test::Not(t) => !check(t, field),
        Test::All(all) => all.iter().all(|t| check(t, field)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event() -> Value {
        json!({
            "type": "order.paid",
            "payload": {"amount": 120.5, "currency": "EUR", "customer": {"tier": "vip", "tags": ["b2b", "eu"]}, "items": [{"sku": "A"}]},
            "resource_url": null,
            "environment": "live",
            "occurred_at": "2026-12-03T10:00:00Z",
        })
    }

    fn passes(f: Value) -> bool {
        Filter::parse(&f).unwrap_or_else(|e| panic!("{f}: {e}")).matches(&event())
    }

    #[test]
    fn every_operator_matches_as_mongodb_would() {
        for (f, want) in [
            (json!({}), true),
            (json!({"type": "order.paid"}), true),
            (json!({"type": {"$eq": "order.refunded"}}), false),
            (json!({"type": {"$ne": "order.refunded"}}), true),
            (json!({"payload.amount": {"$gt": 100}}), true),
            (json!({"payload.amount": {"$gte": 120.5}}), true),
            (json!({"payload.amount": {"$lt": 100}}), false),
            (json!({"payload.amount": {"$lte": 120}}), false),
            (json!({"payload.amount": {"$gt": 100, "$lt": 200}}), true),
            (json!({"payload.amount": {"$gt": "100"}}), false),
            (json!({"occurred_at": {"$gte": "2026-12-01"}}), true),
            (json!({"payload.currency": {"$in": ["EUR", "USD"]}}), true),
            (json!({"payload.currency": {"$nin": ["EUR", "USD"]}}), false),
            (json!({"payload.customer.tags": "eu"}), true),
            (json!({"payload.customer.tags": {"$in": ["us", "b2b"]}}), true),
            (json!({"payload.items.0.sku": "A"}), true),
            (json!({"payload.coupon": {"$exists": false}}), true),
            (json!({"resource_url": {"$exists": true}}), true),
            (json!({"payload.missing": {"$ne": 1}}), true),
            (json!({"payload.amount": {"$not": {"$gt": 200}}}), true),
            (json!({"$not": {"payload.customer.tier": "vip"}}), false),
            (json!({"$or": [{"payload.customer.tier": "gold"}, {"payload.amount": {"$gt": 100}}]}), true),
            (json!({"$and": [{"environment": "live"}, {"payload.currency": "USD"}]}), false),
            (json!({"payload.customer": {"tier": "vip", "tags": ["b2b", "eu"]}}), true),
            (json!({"payload.amount": 120.50}), true),
        ] {
            assert_eq!(passes(f.clone()), want, "{f}");
        }
    }

    #[test]
    fn a_filter_reads_in_words_and_is_stored_as_written() {
        let f =
            json!({"payload.amount": {"$gt": 100}, "$or": [{"payload.tier": "vip"}, {"type": {"$in": ["a", "b"]}}]});
        let parsed = Filter::parse(&f).unwrap();
        assert_eq!(
            parsed.describe(),
            r#"(payload.tier is "vip" or type is one of "a", "b") and payload.amount is greater than 100"#
        );
        assert_eq!(Filter::parse(&json!({})).unwrap().describe(), "every event");
        assert_eq!(serde_json::to_value(&parsed).unwrap(), f);
        let bad: Result<Filter, _> = serde_json::from_value(json!({"a": {"$gt": []}}));
        assert!(bad.unwrap_err().to_string().contains("filter.a.$gt"));
    }

    #[test]
    fn an_event_is_matched_by_its_subject() {
        let e = crate::model::Event {
            id: crate::EventId::new(),
            org_id: crate::OrgId::new(),
            event_type: "order.paid".into(),
            payload: r#"{"amount": 120}"#.into(),
            resource_url: None,
            environment: crate::model::Environment::Live,
            visible_to: vec![],
            occurred_at: "2026-12-03T10:00:00Z".parse().unwrap(),
            created_at: chrono::Utc::now(),
            idempotency_key: None,
            traceparent: None,
        };
        let f = |v: Value| Filter::parse(&v).unwrap().matches(&subject(&e));
        assert!(f(json!({"type": "order.paid", "payload.amount": {"$gte": 120}, "environment": "live"})));
        assert!(f(json!({"occurred_at": {"$lt": "2026-12-04"}, "resource_url": null})));
        assert!(!f(json!({"payload.amount": {"$lt": 100}})));
    }

    #[test]
    fn a_bad_filter_names_its_path() {
        for (f, path) in [
            (json!([]), "filter"),
            (json!({"payload.amount": {"$gt": [1]}}), "filter.payload.amount.$gt"),
            (json!({"payload.amount": {"$between": [1, 2]}}), "filter.payload.amount.$between"),
            (json!({"payload.x": {"$in": 3}}), "filter.payload.x.$in"),
            (json!({"payload.x": {"$exists": "yes"}}), "filter.payload.x.$exists"),
            (json!({"$or": []}), "filter.$or"),
            (json!({"$or": [{"a": 1}, 3]}), "filter.$or[1]"),
            (json!({"$where": "1"}), "filter.$where"),
            (json!({"payload..x": 1}), "filter.payload..x"),
            (json!({"payload.x": {"$gt": 1, "y": 2}}), "filter.payload.x.y"),
        ] {
            let e = Filter::parse(&f).unwrap_err();
            assert_eq!(e.path, path, "{f}: {e}");
        }
        let mut deep = json!({"a": 1});
        for _ in 0..40 {
            deep = json!({"$not": deep});
        }
        assert!(Filter::parse(&deep).unwrap_err().message.contains("deeper"));
    }
}
