use serde_json::{Value, json};

use crate::support::{Receiver, TestApp};

#[tokio::test]
async fn health_readiness_metrics_and_openapi() {
    let app = TestApp::spawn().await;
    let get = |p: &str| app.http.get(format!("{}{p}", app.url)).send();
    assert_eq!(get("/healthz").await.unwrap().status(), 200);
    assert_eq!(get("/readyz").await.unwrap().status(), 200);

    let mut rx = Receiver::start().await;
    let org = app.org().await;
    app.create_webhook(&org, json!({"name": "m", "url": rx.url(), "event_types": ["user.created"]})).await;
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    rx.next().await;
    let deadline = std::time::Instant::now() + crate::support::WAIT;
    loop {
        let text = get("/metrics").await.unwrap().text().await.unwrap();
        assert!(text.contains("# TYPE hookd_events_published_total counter"));
        let done =
            ["hookd_events_published_total 1", "hookd_attempts_total{result=\"2xx\"} 1", "hookd_deliveries_pending 0"];
        if done.iter().all(|d| text.contains(d)) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{text}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    let doc: serde_json::Value = get("/api/openapi.json").await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/orgs/{org}/webhooks"));
    assert!(doc["components"]["schemas"]["WebhookOptions"].is_object());
    // Clients can be generated from it: a valid OpenAPI 3.1 document (by the reference
    // validator, openapi-spec-validator from PyPI), every operation with its schemas.
    let mut check = std::process::Command::new("python3")
        .args(["-c", "import json, sys; from openapi_spec_validator import validate; validate(json.load(sys.stdin))"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 (scripts/test installs openapi-spec-validator)");
    std::io::Write::write_all(&mut check.stdin.take().unwrap(), doc.to_string().as_bytes()).unwrap();
    let checked = check.wait_with_output().unwrap();
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    let create = &doc["paths"]["/api/v1/orgs/{org}/webhooks"]["post"];
    assert_eq!(
        create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/WebhookIn"
    );
    assert_eq!(
        create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/WebhookView"
    );
    // Operation IDs read as method names (`listWebhooks`), each once; every list is paged the
    // same way (`limit` and `cursor` in, a `…Page` of `data` and `next_cursor` out).
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(op["responses"]["default"].is_object(), "{method} {path}");
            let id = op["operationId"].as_str().unwrap();
            assert!(id.chars().next().unwrap().is_ascii_lowercase() && id.chars().all(|c| c.is_ascii_alphanumeric()));
            assert!(ids.insert(id.to_owned()), "{id} twice");
            let answer = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].as_str();
            if answer.is_some_and(|r| r.ends_with("Page")) {
                let params: Vec<&str> =
                    op["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
                assert!(params.contains(&"limit") && params.contains(&"cursor"), "{path}: {params:?}");
            }
        }
    }
    assert!(ids.contains("listEventTypes") && ids.contains("publishEvent") && ids.contains("createLoginLink"));
    // Tagged unions have a named component a variant, told apart by a discriminator.
    let auth = &doc["components"]["schemas"]["WebhookAuth"];
    assert_eq!(auth["discriminator"]["mapping"]["basic"], "#/components/schemas/WebhookAuthBasic");
    assert_eq!(doc["components"]["schemas"]["WebhookAuthBasic"]["properties"]["type"]["const"], "basic");
    // The catalog is paged as every list is.
    for name in ["user.updated", "user.deleted"] {
        let (status, _) = app.op("POST", "/event-types", Some(json!({"name": name}))).await;
        assert_eq!(status, 201);
    }
    let (_, all) = app.op("GET", "/event-types?limit=500", None).await;
    let all: Vec<Value> = all["data"].as_array().unwrap().iter().map(|t| t["name"].clone()).collect();
    assert!(all.len() >= 3 && all.is_sorted_by_key(|n| n.as_str().unwrap().to_owned()), "{all:?}");
    let (mut paged, mut query) = (Vec::new(), "limit=2".to_owned());
    for _ in 0..all.len() {
        let (_, page) = app.op("GET", &format!("/event-types?{query}"), None).await;
        paged.extend(page["data"].as_array().unwrap().iter().map(|t| t["name"].clone()));
        match page["next_cursor"].as_str() {
            Some(next) => query = format!("limit=2&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(paged, all, "two at a time, each once");
    let (status, problem) = app.op("GET", "/event-types?sort=size", None).await;
    assert_eq!((status.as_u16(), problem["field"].as_str()), (422, Some("sort")), "{problem}");
    // Every documented route exists: none answers "route not found".
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let concrete = path.replace("{org}", &org.id).replace("{id}", "x").replace("{name}", "user.created");
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = app
                .http
                .request(m, format!("{}{concrete}", app.url))
                .bearer_auth(crate::support::OPERATOR)
                .send()
                .await
                .unwrap();
            let status = r.status();
            let body: serde_json::Value = r.json().await.unwrap_or_default();
            assert!(status != 405 && body["detail"] != "route not found", "{method} {path}: {status} {body}");
        }
    }
}
