//! Bad input on every route: a 4xx problem naming what to fix, never a 500.

use serde_json::{Value, json};

use crate::support::TestApp;

async fn raw(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    content_type: &str,
    body: &str,
) -> (u16, String, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let r = app
        .http
        .request(m, format!("{}/api/v1{path}", app.url))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ct, r.json().await.unwrap_or(Value::Null))
}

fn assert_problem(status: u16, ct: &str, body: &Value, want: u16, field: Option<&str>) {
    assert_eq!(status, want, "{body}");
    assert_eq!(ct, "application/problem+json");
    assert_eq!(body["status"], want);
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
    if let Some(f) = field {
        assert_eq!(body["field"], f, "{body}");
    }
}

#[tokio::test]
async fn every_route_answers_bad_input_with_a_problem() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let o = &org.id;
    let t = org.token.as_str();
    let (_, schema_type) = app
        .op("POST", "/event-types", Some(json!({"name": "invoice.paid", "schema": {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}, "customer": {"type": "object", "properties": {"email": {"type": "string"}}}}}})))
        .await;
    assert_eq!(schema_type["name"], "invoice.paid");
    let wh = app
        .create_webhook(&org, json!({"name": "w", "url": "http://127.0.0.1:9/x", "event_types": ["user.created"]}))
        .await;
    let w = wh["id"].as_str().unwrap();
    let json = "application/json";
    // What a hostile probe sent: bodies too deep, headers too many or too large.
    let nested = |t: &str| format!(r#"{{"type": "{t}", "payload": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
    let (deep, deep_with_schema) = (nested("user.created"), nested("invoice.paid"));
    let with_headers = |headers: Value| {
        json!({"name": "w", "url": "https://x.example", "event_types": ["user.created"], "options": {"headers": headers}})
            .to_string()
    };
    let many_headers = with_headers((0..1000).map(|i| (format!("x-h{i}"), json!("v"))).collect());
    let huge_header = with_headers(json!({"x-big": "a".repeat(1_000_000)}));
    let hook = |field: &str, value: &str| {
        let mut w = json!({"name": "w", "url": "https://x.example", "event_types": ["user.created"]});
        w[field] = json!(value);
        w.to_string()
    };
    let (crlf_url, nul_name) = (hook("url", "https://x/crlf\r\nX-Evil: 1"), hook("name", "w\u{0}"));
    let (space_url, nul_description) = (hook("url", "https://x/a b"), hook("description", "a\u{0}b"));
    // method, path, content type, body, expected status, expected `field`.
    type Case<'a> = (&'a str, String, &'a str, &'a str, u16, Option<&'a str>);
    let cases: Vec<Case> = vec![
        ("POST", "/orgs".into(), json, "{not json", 400, None),
        ("POST", "/orgs".into(), json, r#"["Acme"]"#, 422, Some("body")),
        ("POST", "/orgs".into(), "text/plain", "{}", 415, None),
        ("POST", "/orgs".into(), json, r#"{"name": ""}"#, 422, Some("name")),
        ("POST", "/orgs".into(), json, r#"{"name": "x", "parent_id": "org_nope"}"#, 422, Some("parent_id")),
        ("POST", "/orgs".into(), json, r#"{"name": "x", "colour": "red"}"#, 422, Some("colour")),
        ("PATCH", format!("/orgs/{o}"), json, r#"{"name": 5}"#, 422, Some("name")),
        ("GET", "/orgs?limit=0".into(), json, "", 422, Some("limit")),
        ("GET", "/orgs?cursor=garbage".into(), json, "", 422, Some("cursor")),
        ("GET", "/orgs/org_bad".into(), json, "", 404, None),
        (
            "POST",
            format!("/orgs/{o}/members"),
            json,
            r#"{"name": "A", "email": "nope", "role": "admin"}"#,
            422,
            Some("email"),
        ),
        (
            "POST",
            format!("/orgs/{o}/members"),
            json,
            r#"{"name": "A", "email": "a@b.co", "role": "king"}"#,
            422,
            Some("role"),
        ),
        ("PATCH", format!("/orgs/{o}/members/mbr_bad"), json, r#"{"name": "A"}"#, 404, None),
        ("DELETE", format!("/orgs/{o}/members/mbr_01jbk3x9q7f8t2v6m4c0d5e9ha"), json, "", 404, None),
        ("POST", format!("/orgs/{o}/tokens"), json, r#"{"name": "t"}"#, 422, Some("role")),
        ("PATCH", format!("/orgs/{o}/tokens/tok_01jbk3x9q7f8t2v6m4c0d5e9ha"), json, r#"{"name": "t"}"#, 404, None),
        ("POST", "/event-types".into(), json, r#"{"name": "bad name!"}"#, 422, Some("name")),
        ("POST", "/event-types".into(), json, r#"{"name": "x.y", "group": "a\u0000"}"#, 422, Some("group")),
        (
            "POST",
            "/event-types".into(),
            json,
            r#"{"name": "x.y", "description": "a\u001b[31m"}"#,
            422,
            Some("description"),
        ),
        ("POST", "/event-types".into(), json, r#"{"name": "x.y", "schema": {"type": 12}}"#, 422, Some("schema")),
        ("GET", "/event-types/nope".into(), json, "", 404, None),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "not a url", "event_types": ["user.created"]}"#,
            422,
            Some("url"),
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "ftp://x.example", "event_types": ["user.created"]}"#,
            422,
            Some("url"),
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "https://x.example", "event_types": ["nope.nope"]}"#,
            422,
            Some("event_types[0]"),
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "https://x.example", "event_types": []}"#,
            422,
            Some("event_types"),
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"url": "https://x.example", "event_types": ["user.created"]}"#,
            422,
            Some("name"),
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "https://x.example", "event_types": ["user.created"], "options": {"payload": "fat"}}"#,
            422,
            Some("options.payload"),
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "https://x.example", "event_types": ["user.created"], "options": {"timeout_ms": 1}}"#,
            422,
            Some("options.timeout_ms"),
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "https://x.example", "event_types": ["user.created"], "options": {"headers": {"webhook-id": "x"}}}"#,
            422,
            Some("options.headers.webhook-id"),
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "https://x.example", "event_types": ["user.created"], "auth": {"type": "basic", "username": "u"}}"#,
            422,
            None,
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "https://x.example", "event_types": ["user.created"], "auth": {"type": "basic", "username": "u", "password": ""}}"#,
            422,
            Some("auth.password"),
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "https://x.example", "event_types": ["user.created"], "auth": {"type": "kerberos"}}"#,
            422,
            None,
        ),
        (
            "POST",
            format!("/orgs/{o}/webhooks"),
            json,
            r#"{"name": "w", "url": "https://x.example", "event_types": ["user.created"], "owner_id": "mbr_01jbk3x9q7f8t2v6m4c0d5e9ha"}"#,
            422,
            Some("owner_id"),
        ),
        ("GET", format!("/orgs/{o}/webhooks?sort=colour"), json, "", 422, Some("sort")),
        ("GET", format!("/orgs/{o}/webhooks?order=up"), json, "", 422, Some("order")),
        ("GET", format!("/orgs/{o}/webhooks?bogus=1"), json, "", 422, Some("query")),
        ("PATCH", format!("/orgs/{o}/webhooks/{w}"), json, r#"{"url": "mailto:x@y.z"}"#, 422, Some("url")),
        ("PATCH", format!("/orgs/{o}/webhooks/wh_bad"), json, r#"{}"#, 404, None),
        ("POST", format!("/orgs/{o}/webhooks:bulk-delete"), json, r#"{"ids": ["nope"]}"#, 422, Some("ids[0]")),
        ("POST", format!("/orgs/{o}/webhooks:bulk-delete"), json, r#"{"ids": []}"#, 422, Some("ids")),
        (
            "POST",
            format!("/orgs/{o}/webhooks/{w}/test"),
            json,
            r#"{"event_type": "user.updated"}"#,
            422,
            Some("event_type"),
        ),
        ("POST", format!("/orgs/{o}/webhooks/{w}/recover"), json, r#"{"since": "yesterday"}"#, 422, Some("since")),
        ("POST", format!("/orgs/{o}/webhooks/{w}/rotate-secret/extra"), json, "", 404, None),
        ("POST", format!("/orgs/{o}/events"), json, r#"{"type": "nope", "payload": {}}"#, 422, Some("type")),
        ("POST", format!("/orgs/{o}/events"), json, r#"{"payload": {}}"#, 422, None),
        (
            "POST",
            format!("/orgs/{o}/events"),
            json,
            r#"{"type": "invoice.paid", "payload": {"amount": "ten"}}"#,
            422,
            Some("payload/amount"),
        ),
        (
            "POST",
            format!("/orgs/{o}/events"),
            json,
            r#"{"type": "invoice.paid", "payload": {"amount": 1, "customer": {"email": 5}}}"#,
            422,
            Some("payload/customer/email"),
        ),
        ("POST", format!("/orgs/{o}/events"), json, r#"{"type": "invoice.paid", "payload": {}}"#, 422, Some("payload")),
        (
            "POST",
            format!("/orgs/{o}/events"),
            json,
            r#"{"type": "user.created", "payload": {}, "environment": "staging"}"#,
            422,
            Some("environment"),
        ),
        (
            "POST",
            format!("/orgs/{o}/events"),
            json,
            r#"{"type": "user.created", "payload": {}, "visible_to": ["everyone"]}"#,
            422,
            Some("visible_to[0]"),
        ),
        (
            "POST",
            format!("/orgs/{o}/events"),
            json,
            r#"{"type": "user.created", "payload": {}, "occurred_at": "monday"}"#,
            422,
            Some("occurred_at"),
        ),
        ("GET", format!("/orgs/{o}/events/evt_bad"), json, "", 404, None),
        ("POST", format!("/orgs/{o}/events"), json, &deep, 422, Some("payload")),
        ("POST", format!("/orgs/{o}/events"), json, &deep_with_schema, 422, Some("payload")),
        (
            "POST",
            format!("/orgs/{o}/events"),
            json,
            r#"{"type": "user.created", "payload": {"a": "\ud800"}}"#,
            422,
            Some("payload"),
        ),
        (
            "POST",
            format!("/orgs/{o}/events"),
            json,
            r#"{"type": "user.created", "payload": {}, "occurred_at": "+99999-01-01T00:00:00Z"}"#,
            422,
            Some("occurred_at"),
        ),
        (
            "POST",
            format!("/orgs/{o}/events"),
            json,
            r#"{"type": "user.created", "payload": {}, "occurred_at": "1999-01-01T00:00:00Z"}"#,
            422,
            Some("occurred_at"),
        ),
        (
            "POST",
            format!("/orgs/{o}/events"),
            json,
            r#"{"type": "user.created", "payload": {}, "resource_url": "javascript:alert(1)"}"#,
            422,
            Some("resource_url"),
        ),
        ("POST", format!("/orgs/{o}/webhooks"), json, &crlf_url, 422, Some("url")),
        ("POST", format!("/orgs/{o}/webhooks"), json, &space_url, 422, Some("url")),
        ("POST", format!("/orgs/{o}/webhooks"), json, &nul_name, 422, Some("name")),
        ("POST", format!("/orgs/{o}/webhooks"), json, &nul_description, 422, Some("description")),
        ("POST", format!("/orgs/{o}/webhooks"), json, &many_headers, 422, Some("options.headers")),
        ("POST", format!("/orgs/{o}/webhooks"), json, &huge_header, 422, Some("options.headers.x-big")),
        ("PATCH", format!("/orgs/{o}/webhooks/{w}"), json, r#"{"url": "https://x/\t"}"#, 422, Some("url")),
        (
            "POST",
            format!("/orgs/{o}/members"),
            json,
            r#"{"name": "A\u0007", "email": "a@b.co", "role": "admin"}"#,
            422,
            Some("name"),
        ),
        ("GET", format!("/orgs/{o}/attempts?status=meh"), json, "", 422, Some("status")),
        ("GET", format!("/orgs/{o}/attempts?webhook_id=nope"), json, "", 422, Some("webhook_id")),
        ("GET", format!("/orgs/{o}/attempts?sort=colour"), json, "", 422, Some("sort")),
        ("GET", format!("/orgs/{o}/attempts/att_bad"), json, "", 404, None),
        ("GET", format!("/orgs/{o}/deliveries/dlv_01jbk3x9q7f8t2v6m4c0d5e9ha"), json, "", 404, None),
        ("POST", format!("/orgs/{o}/deliveries/dlv_bad/resend"), json, "", 404, None),
        ("GET", "/no/such/route".into(), json, "", 404, None),
        ("PUT", format!("/orgs/{o}"), json, "{}", 405, None),
    ];
    for (method, path, ct, body, want, field) in cases {
        let (status, got_ct, problem) = raw(&app, method, &path, t, ct, body).await;
        let token_needed = path == "/orgs"
            || path.starts_with("/orgs?")
            || path == "/event-types"
            || (method == "PATCH" && path == format!("/orgs/{o}"));
        if token_needed {
            // Operator routes: the org token is refused before the body is read; retry as the operator.
            let (status, got_ct, problem) = raw(&app, method, &path, crate::support::OPERATOR, ct, body).await;
            assert_problem(status, &got_ct, &problem, want, field);
        } else {
            assert_problem(status, &got_ct, &problem, want, field);
        }
        let _ = (status, got_ct, problem);
    }
}

/// An `Idempotency-Key` names one event: the same event again gets the first answer, another
/// event under it is refused instead of dropped silently.
#[tokio::test]
async fn an_idempotency_key_reused_for_another_event_is_refused() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let publish = |payload: Value| {
        let (app, org) = (&app, &org);
        async move {
            let r = app
                .http
                .post(format!("{}/api/v1/orgs/{}/events", app.url, org.id))
                .bearer_auth(&org.token)
                .header("idempotency-key", "order-17")
                .json(&json!({"type": "user.created", "payload": payload}))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
            (status, ct, r.json::<Value>().await.unwrap())
        }
    };
    let (s1, _, first) = publish(json!({"n": 1, "m": 2})).await;
    assert_eq!(s1, 202, "{first}");
    // The same event (keys in another order is the same JSON): the first answer.
    let (s2, _, again) = publish(json!({"m": 2, "n": 1})).await;
    assert_eq!((s2, &again["id"]), (202, &first["id"]), "{again}");
    let (s3, ct, other) = publish(json!({"n": 2})).await;
    assert_problem(s3, &ct, &other, 422, Some("Idempotency-Key"));
    assert!(other["detail"].as_str().unwrap().contains(first["id"].as_str().unwrap()), "{other}");
}

#[tokio::test]
async fn oversize_payloads_are_refused_and_nothing_accepted_is_lost() {
    let app = TestApp::spawn_with(crate::support::Options {
        extra_env: vec![("HOOKD_MAX_PAYLOAD_BYTES", "4096".into())],
        ..Default::default()
    })
    .await;
    let org = app.org().await;
    let big = "x".repeat(5000);
    let (s, p) = app
        .call(
            "POST",
            &format!("/orgs/{}/events", org.id),
            &org.token,
            Some(json!({"type": "user.created", "payload": {"blob": big}})),
        )
        .await;
    assert_eq!(s, 413, "{p}");
    let huge = "x".repeat(200_000);
    let (s, _) = app
        .call(
            "POST",
            &format!("/orgs/{}/events", org.id),
            &org.token,
            Some(json!({"type": "user.created", "payload": {"blob": huge}})),
        )
        .await;
    assert_eq!(s, 413);
    let ok = app.publish(&org, json!({"type": "user.created", "payload": {"blob": "small"}})).await;
    let (s, e) =
        app.call("GET", &format!("/orgs/{}/events/{}", org.id, ok["id"].as_str().unwrap()), &org.token, None).await;
    assert_eq!((s.as_u16(), &e["payload"]["blob"]), (200, &json!("small")));
}

#[tokio::test]
async fn webhook_lists_sort_search_and_page_by_cursor() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let names = ["delta", "alpha", "echo", "charlie", "bravo", "foxtrot", "golf"];
    for n in names {
        app.create_webhook(
            &org,
            json!({"name": n, "url": format!("http://127.0.0.1:9/{n}"), "event_types": ["user.created"]}),
        )
        .await;
    }
    for order in ["asc", "desc"] {
        let mut seen = vec![];
        let mut cursor: Option<String> = None;
        loop {
            let c = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
            let (s, page) = app
                .call("GET", &format!("/orgs/{}/webhooks?sort=name&order={order}&limit=3{c}", org.id), &org.token, None)
                .await;
            assert_eq!(s, 200, "{page}");
            seen.extend(page["data"].as_array().unwrap().iter().map(|w| w["name"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        want.sort();
        if order == "desc" {
            want.reverse();
        }
        assert_eq!(seen, want);
    }
    // Search reads IDs too: a term with an `l` or an `i` (not in Crockford base32) can only
    // match the name or URL, where a term like `CHAR` matched a random ID once in a while.
    let (_, found) = app.call("GET", &format!("/orgs/{}/webhooks?q=ARLI", org.id), &org.token, None).await;
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    assert_eq!(found["data"][0]["name"], "charlie");
    let ids: Vec<Value> = found["data"].as_array().unwrap().iter().map(|w| w["id"].clone()).collect();
    let (s, r) = app
        .call("POST", &format!("/orgs/{}/webhooks:bulk-delete", org.id), &org.token, Some(json!({"ids": ids})))
        .await;
    assert_eq!((s.as_u16(), r["deleted"].as_u64()), (200, Some(1)));
    let (_, all) = app.call("GET", &format!("/orgs/{}/webhooks?limit=100", org.id), &org.token, None).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 6);
}

/// A search longer than any listing takes is refused by name, on every listing.
#[tokio::test]
async fn an_overlong_search_is_refused_naming_q() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let q = "a".repeat(50_000);
    for listing in ["audit", "webhooks", "attempts", "members", "tokens"] {
        let (s, p) = app.call("GET", &format!("/orgs/{}/{listing}?q={q}", org.id), &org.token, None).await;
        assert_eq!(s, 422, "{listing}: {p}");
        assert_eq!(p["field"], "q", "{listing}: {p}");
    }
}
