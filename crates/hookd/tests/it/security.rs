use serde_json::json;

use crate::support::{Options, Receiver, TestApp};

#[tokio::test]
async fn private_targets_are_refused_when_not_allowed() {
    let app = TestApp::spawn_with(Options { allow_private: false, ..Default::default() }).await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let port = rx.addr.port();
    let (s, p) = app
        .call(
            "POST",
            &format!("/orgs/{}/webhooks", org.id),
            &org.token,
            Some(json!({"name": "h", "url": rx.url(), "event_types": ["user.created"]})),
        )
        .await;
    assert_eq!(s, 422);
    assert_eq!(p["field"], "url");
    // An IP literal and a name that resolves to loopback, both over https.
    let literal = app
        .create_webhook(
            &org,
            json!({"name": "ip", "url": format!("https://127.0.0.1:{port}/x"), "event_types": ["user.created"]}),
        )
        .await;
    let named = app
        .create_webhook(
            &org,
            json!({"name": "dns", "url": format!("https://localhost:{port}/x"), "event_types": ["user.created"]}),
        )
        .await;
    let mut refused = vec![literal, named];
    // IPv6 forms that carry a loopback or private IPv4 address: mapped, 6to4, Teredo (client
    // 127.0.0.1, inverted), IPv4-translated, ISATAP.
    for (name, host) in [
        ("mapped", "[::ffff:127.0.0.1]"),
        ("6to4", "[2002:7f00:1::]"),
        ("teredo", "[2001:0:4136:e378:8000:63bf:80ff:fffe]"),
        ("translated", "[::ffff:0:7f00:1]"),
        ("isatap", "[2606:4700::5efe:a00:1]"),
    ] {
        let url = format!("https://{host}:{port}/x");
        refused
            .push(app.create_webhook(&org, json!({"name": name, "url": url, "event_types": ["user.created"]})).await);
    }
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    for w in &refused {
        let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
        assert_eq!(attempts[0]["error"]["kind"], "ssrf", "{}", attempts[0]);
        assert!(attempts[0]["response_status"].is_null());
    }
    // A refusal is final: the deliveries fail at once, with no attempt after the first.
    app.wait_idle().await;
    for w in &refused {
        let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
        assert_eq!(attempts.len(), 1, "a refused address was tried again: {attempts:?}");
    }
    // A token endpoint is an outbound connection too: a private IP literal there is refused
    // before anything is sent, and the attempt fails on its authentication.
    let auth = json!({"type": "oauth2", "token_url": format!("https://127.0.0.1:{port}/token"), "client_id": "c", "client_secret": "s"});
    let oauth = app
        .create_webhook(
            &org,
            json!({"name": "oauth", "url": "https://hookd.invalid/x", "event_types": ["user.created"], "auth": auth}),
        )
        .await;
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    let attempts = app.attempts_until(&org, oauth["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    assert_eq!(attempts[0]["error"]["kind"], "auth", "{}", attempts[0]);
    let message = attempts[0]["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("refused to connect to 127.0.0.1"), "{message}");
    app.wait_idle().await;
    rx.assert_drained();
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let app = TestApp::spawn_with(Options { retry_schedule: "", ..Default::default() }).await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let w = app
        .create_webhook(
            &org,
            json!({"name": "r", "url": format!("http://{}/redirect", rx.addr), "event_types": ["user.created"]}),
        )
        .await;
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    assert_eq!(rx.next().await.path, "/redirect");
    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    assert_eq!(attempts[0]["response_status"], 302);
    assert_eq!(attempts[0]["succeeded"], false);
    app.wait_idle().await;
    rx.assert_drained();
}

pub(crate) fn file_contains(path: &std::path::Path, needle: &str) -> bool {
    std::fs::read(path).map(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes())).unwrap_or(false)
}

#[tokio::test]
async fn secrets_are_write_only_and_sealed_at_rest() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let password = "correct-horse-battery-staple";
    let w = app.create_webhook(&org, json!({"name": "s", "url": rx.url(), "event_types": ["user.created"], "auth": {"type": "basic", "username": "hookd", "password": password}})).await;
    let wid = w["id"].as_str().unwrap();
    let secret = w["signing"]["secret"].as_str().unwrap().to_owned();
    assert_eq!(w["auth"]["password"], "****aple");
    let (_, got) = app.call("GET", &format!("/orgs/{}/webhooks/{wid}", org.id), &org.token, None).await;
    assert!(got["signing"].get("secret").is_none(), "{got}");
    assert_eq!(got["auth"]["password"], "****aple");
    let (_, list) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &org.token, None).await;
    let text = list.to_string();
    assert!(!text.contains(password) && !text.contains(&secret));
    // Sending the masked form back keeps the stored password.
    let (s, _) = app
        .call(
            "PATCH",
            &format!("/orgs/{}/webhooks/{wid}", org.id),
            &org.token,
            Some(json!({"name": "s2", "auth": got["auth"]})),
        )
        .await;
    assert_eq!(s, 200);
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    let r = rx.next().await;
    use base64::Engine as _;
    assert_eq!(
        r.header("authorization"),
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("hookd:{password}")))
    );
    let attempts = app.attempts_until(&org, wid, |a| !a.is_empty()).await;
    let (_, detail) = app
        .call("GET", &format!("/orgs/{}/attempts/{}", org.id, attempts[0]["id"].as_str().unwrap()), &org.token, None)
        .await;
    let auth_header = detail["request_headers"].as_array().unwrap().iter().find(|h| h[0] == "authorization").unwrap();
    assert!(auth_header[1].as_str().unwrap().starts_with("****"), "{auth_header}");
    for file in ["hookd.db", "hookd.db-wal"] {
        let path = app.data_dir.join(file);
        assert!(!file_contains(&path, password), "{file} holds the password in plain text");
        assert!(!file_contains(&path, &secret), "{file} holds the signing secret in plain text");
        assert!(!file_contains(&path, crate::support::OPERATOR), "{file} holds the operator token");
    }
    let key = app.data_dir.join("master.key");
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(std::fs::metadata(key).unwrap().permissions().mode() & 0o777, 0o600);
}

#[tokio::test]
async fn tenants_are_isolated_and_roles_enforced() {
    let app = TestApp::spawn().await;
    let rx = Receiver::start().await;
    let a = app.org().await;
    let b = app.org().await;
    let wb = app.create_webhook(&b, json!({"name": "b", "url": rx.url(), "event_types": ["user.created"]})).await;
    let wbid = wb["id"].as_str().unwrap();
    // A's token cannot see or touch B, whether through B's path or its own.
    for (m, path) in [
        ("GET", format!("/orgs/{}/webhooks/{wbid}", b.id)),
        ("GET", format!("/orgs/{}/webhooks", b.id)),
        ("GET", format!("/orgs/{}/attempts", b.id)),
        ("DELETE", format!("/orgs/{}/webhooks/{wbid}", b.id)),
    ] {
        let (s, _) = app.call(m, &path, &a.token, None).await;
        assert_eq!(s, 404, "{m} {path}");
    }
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks/{wbid}", a.id), &a.token, None).await;
    assert_eq!(s, 404);
    let (s, r) =
        app.call("POST", &format!("/orgs/{}/webhooks:bulk-delete", a.id), &a.token, Some(json!({"ids": [wbid]}))).await;
    assert_eq!(s, 404, "another org's webhook is not found, not deleted: {r}");
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks/{wbid}", b.id), &b.token, None).await;
    assert_eq!(s, 200, "B's webhook survived");
    // Viewers read but never write; org tokens never reach operator routes.
    let (_, v) = app
        .call("POST", &format!("/orgs/{}/tokens", a.id), &a.token, Some(json!({"name": "ro", "role": "viewer"})))
        .await;
    let viewer = v["token_value"].as_str().unwrap();
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks", a.id), viewer, None).await;
    assert_eq!(s, 200);
    let (s, p) = app
        .call(
            "POST",
            &format!("/orgs/{}/webhooks", a.id),
            viewer,
            Some(json!({"name": "x", "url": rx.url(), "event_types": ["user.created"]})),
        )
        .await;
    assert_eq!(s, 403, "{p}");
    let (s, _) = app.call("POST", "/orgs", &a.token, Some(json!({"name": "evil"}))).await;
    assert_eq!(s, 403);
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks", a.id), "not-a-token", None).await;
    assert_eq!(s, 401);
    let r = app.http.get(format!("{}/api/v1/orgs/{}/webhooks", app.url, a.id)).send().await.unwrap();
    assert_eq!(r.status(), 401);
    // A revoked token stops working at once; listings never show token values.
    let (_, list) = app.call("GET", &format!("/orgs/{}/tokens", a.id), &a.token, None).await;
    assert!(!list.to_string().contains(viewer));
    let vid = v["id"].as_str().unwrap();
    let (s, renamed) =
        app.call("PATCH", &format!("/orgs/{}/tokens/{vid}", a.id), &a.token, Some(json!({"name": "read only"}))).await;
    assert_eq!((s.as_u16(), renamed["name"].as_str()), (200, Some("read only")));
    let (s, _) = app.call("DELETE", &format!("/orgs/{}/tokens/{vid}", a.id), &a.token, None).await;
    assert_eq!(s, 204);
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks", a.id), viewer, None).await;
    assert_eq!(s, 401);
}

#[tokio::test]
async fn oauth2_tokens_are_fetched_cached_and_renewed_after_a_401() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let token_url = format!("http://{}/token", rx.addr);
    let auth = json!({"type": "oauth2", "token_url": token_url, "client_id": "hookd", "client_secret": "s3cret-value"});
    app.create_webhook(&org, json!({"name": "o", "url": rx.url(), "event_types": ["user.created"], "auth": auth}))
        .await;

    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    let token_request = rx.next().await;
    assert_eq!(token_request.path, "/token");
    let form = String::from_utf8_lossy(&token_request.body).into_owned();
    assert!(form.contains("grant_type=client_credentials") && form.contains("client_secret=s3cret-value"), "{form}");
    let first = rx.next().await;
    assert_eq!(first.path, "/hook");
    assert_eq!(first.header("authorization"), "Bearer token-1");

    // The cached token is used again; a 401 makes hookd fetch a new one and try once more.
    rx.plan(&[401]);
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 2}})).await;
    let refused = rx.next().await;
    assert_eq!((refused.path.as_str(), refused.header("authorization")), ("/hook", "Bearer token-1"));
    assert_eq!(rx.next().await.path, "/token");
    let again = rx.next().await;
    assert_eq!((again.path.as_str(), again.header("authorization")), ("/hook", "Bearer token-2"));
    app.wait_idle().await;
    rx.assert_drained();
}

/// Twenty first deliveries at once, while the token endpoint takes its time: one token
/// request, whose token all twenty carry.
#[tokio::test]
async fn concurrent_deliveries_share_one_oauth2_token_request() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let token_url = format!("http://{}/slow/token", rx.addr);
    let auth = json!({"type": "oauth2", "token_url": token_url, "client_id": "hookd", "client_secret": "s3cret-value"});
    app.create_webhook(&org, json!({"name": "o", "url": rx.url(), "event_types": ["user.created"], "auth": auth}))
        .await;
    app.publish_burst(&org, 20).await;
    let mut token_requests = 0;
    let mut hooks = 0;
    while hooks < 20 {
        let r = rx.next().await;
        if r.path == "/slow/token" {
            token_requests += 1;
        } else {
            assert_eq!(r.header("authorization"), "Bearer token-1");
            hooks += 1;
        }
    }
    app.wait_idle().await;
    rx.assert_drained();
    assert_eq!(token_requests, 1, "a herd of token requests");
}

/// AWS Signature v4 with a base endpoint: the request goes to the webhook's URL, signed for
/// the endpoint's host and carrying it as `Host` (as a VPC endpoint or a proxy needs).
#[tokio::test]
async fn aws4_signs_for_its_base_endpoint() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let org = app.org().await;
    let endpoint = "https://abc123.execute-api.eu-west-1.amazonaws.com";
    let auth = json!({"type": "aws4", "access_key": "AKIDEXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG",
                      "region": "eu-west-1", "service": "execute-api", "endpoint": endpoint});
    let w = app
        .create_webhook(&org, json!({"name": "aws", "url": rx.url(), "event_types": ["user.created"], "auth": auth}))
        .await;
    assert_eq!(w["auth"]["endpoint"], endpoint, "{w}");
    assert_eq!(w["auth"]["secret_key"], "****DENG", "{w}");
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    let got = rx.next().await;
    assert_eq!(got.header("host"), "abc123.execute-api.eu-west-1.amazonaws.com");
    let authorization = got.header("authorization");
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains("/eu-west-1/execute-api/aws4_request, SignedHeaders=content-type;host;"),
        "{authorization}"
    );
    let bad =
        json!({"type": "aws4", "access_key": "a", "secret_key": "s", "region": "r", "service": "s", "endpoint": "abc"});
    let (s, p) = app
        .call(
            "POST",
            &format!("/orgs/{}/webhooks", org.id),
            &org.token,
            Some(json!({"name": "aws", "url": rx.url(), "event_types": ["user.created"], "auth": bad})),
        )
        .await;
    assert_eq!((s.as_u16(), p["field"].as_str()), (422, Some("auth.endpoint")), "{p}");
}

/// A third-party application's OAuth2 client-credentials grant: an access token's ID and
/// value (HTTP Basic or in the form) give a bearer token with the same org and role, which
/// ends with the access token; refusals carry RFC 6749's error codes in a problem.
#[tokio::test]
async fn the_oauth2_grant_gives_a_bearer_with_the_tokens_org_and_role() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let (s, viewer) =
        app.op("POST", &format!("/orgs/{}/tokens", org.id), Some(json!({"name": "app", "role": "viewer"}))).await;
    assert_eq!(s, 201, "{viewer}");
    let (id, secret) = (viewer["id"].as_str().unwrap(), viewer["token_value"].as_str().unwrap());
    let url = format!("{}/api/v1/oauth/token", app.url);
    let basic = app.http.post(&url).basic_auth(id, Some(secret)).form(&[("grant_type", "client_credentials")]);
    let r = basic.send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let grant: serde_json::Value = r.json().await.unwrap();
    assert_eq!((grant["token_type"].as_str(), grant["expires_in"].as_u64()), (Some("Bearer"), Some(3600)));
    let bearer = grant["access_token"].as_str().unwrap();
    assert!(!bearer.contains(secret), "the grant does not carry the token's value");
    let in_form =
        [("grant_type", "client_credentials"), ("client_id", id), ("client_secret", secret), ("scope", "anything")];
    assert_eq!(app.http.post(&url).form(&in_form).send().await.unwrap().status(), 200);

    let (s, list) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), bearer, None).await;
    assert_eq!(s, 200, "{list}");
    let body = json!({"name": "w", "url": "http://127.0.0.1:9/x", "event_types": ["user.created"]});
    let (s, _) = app.call("POST", &format!("/orgs/{}/webhooks", org.id), bearer, Some(body)).await;
    assert_eq!(s, 403, "the viewer's role");
    let other = app.org().await;
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks", other.id), bearer, None).await;
    assert_eq!(s, 404, "another org is not there");
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &format!("{bearer}x"), None).await;
    assert_eq!(s, 401, "an altered grant");

    // The form sent, the status and RFC 6749's error code.
    type Refusal<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);
    let refusals: Vec<Refusal> = vec![
        (
            vec![("grant_type", "client_credentials"), ("client_id", id), ("client_secret", "hkd_wrong")],
            401,
            "invalid_client",
        ),
        (
            vec![("grant_type", "client_credentials"), ("client_id", org.id.as_str()), ("client_secret", secret)],
            401,
            "invalid_client",
        ),
        (vec![("grant_type", "password"), ("client_id", id), ("client_secret", secret)], 400, "unsupported_grant_type"),
        (vec![("client_id", id), ("client_secret", secret)], 400, "invalid_request"),
        (vec![("grant_type", "client_credentials")], 401, "invalid_client"),
    ];
    for (form, status, error) in refusals {
        let r = app.http.post(&url).form(&form).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{form:?}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let p: serde_json::Value = r.json().await.unwrap();
        assert_eq!((p["error"].as_str(), p["status"].as_u64()), (Some(error), Some(u64::from(status))), "{p}");
    }

    let (s, _) = app.op("DELETE", &format!("/orgs/{}/tokens/{id}", org.id), None).await;
    assert_eq!(s, 204);
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), bearer, None).await;
    assert_eq!(s, 401, "revoking the access token ends its grants");
}

/// Guessing a client secret at the OAuth2 token endpoint: after ten refusals for one client
/// from one address the endpoint answers `429` with `Retry-After` without a look-up; the
/// client's own right secret, from there, waits too, and another client does not.
#[tokio::test]
async fn the_oauth2_token_endpoint_slows_down_a_guesser() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let mut made = vec![];
    for name in ["target", "bystander"] {
        let (s, t) =
            app.op("POST", &format!("/orgs/{}/tokens", org.id), Some(json!({"name": name, "role": "viewer"}))).await;
        assert_eq!(s, 201, "{t}");
        made.push((t["id"].as_str().unwrap().to_owned(), t["token_value"].as_str().unwrap().to_owned()));
    }
    let url = format!("{}/api/v1/oauth/token", app.url);
    let ask = |id: &str, secret: &str| {
        let form = [("grant_type", "client_credentials"), ("client_id", id), ("client_secret", secret)];
        app.http.post(&url).form(&form).send()
    };
    let (target, bystander) = (&made[0], &made[1]);
    for i in 0..10 {
        assert_eq!(ask(&target.0, &format!("hkd_guess{i}")).await.unwrap().status(), 401);
    }
    let slowed = ask(&target.0, "hkd_guess10").await.unwrap();
    assert_eq!(slowed.status(), 429);
    let wait: u64 = slowed.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=6).contains(&wait), "Retry-After {wait}");
    let p: serde_json::Value = slowed.json().await.unwrap();
    assert!(p["type"].as_str().unwrap().ends_with("too-many-requests"), "{p}");
    assert_eq!(ask(&target.0, &target.1).await.unwrap().status(), 429, "no look-up while slowed down");
    assert_eq!(ask(&bystander.0, &bystander.1).await.unwrap().status(), 200, "another client is not slowed");
}

/// Every change is in the org's audit log with who made it; only admins read it, and only
/// their own org's.
#[tokio::test]
async fn changes_are_in_the_audit_log_for_admins_only() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let w = app
        .create_webhook(&org, json!({"name": "a", "url": "http://127.0.0.1:9/a", "event_types": ["user.created"]}))
        .await;
    let wid = w["id"].as_str().unwrap();
    let path = format!("/orgs/{}/webhooks/{wid}", org.id);
    app.call("PATCH", &path, &org.token, Some(json!({"enabled": false}))).await;
    app.call(
        "PATCH",
        &path,
        &org.token,
        Some(json!({"name": "b", "auth": {"type": "basic", "username": "u", "password": "secret-pw"}})),
    )
    .await;
    app.call("POST", &format!("{path}/rotate-secret"), &org.token, None).await;
    let (_, m) = app
        .op(
            "POST",
            &format!("/orgs/{}/members", org.id),
            Some(json!({"name": "Grace", "email": "g@example.com", "role": "viewer"})),
        )
        .await;
    let (_, viewer) =
        app.op("POST", &format!("/orgs/{}/tokens", org.id), Some(json!({"name": "ro", "role": "viewer"}))).await;
    app.call("DELETE", &path, &org.token, None).await;

    let (s, log) = app.call("GET", &format!("/orgs/{}/audit", org.id), &org.token, None).await;
    assert_eq!(s, 200, "{log}");
    let entries = log["data"].as_array().unwrap();
    let seen: Vec<(&str, &str)> =
        entries.iter().map(|e| (e["action"].as_str().unwrap(), e["target"].as_str().unwrap())).collect();
    let (mid, tid) = (m["id"].as_str().unwrap(), viewer["id"].as_str().unwrap());
    assert_eq!(seen.last().map(|e| e.0), Some("token.created"), "the org's admin token, made first");
    assert_eq!(
        seen[..seen.len() - 1],
        [
            ("webhook.deleted", wid),
            ("token.created", tid),
            ("member.created", mid),
            ("webhook.secret_rotated", wid),
            ("webhook.updated", wid),
            ("webhook.disabled", wid),
            ("webhook.created", wid),
        ],
        "newest first"
    );
    let admin_token_id = entries[0]["actor"].as_str().unwrap();
    assert!(admin_token_id.starts_with("tok_"), "a token's change names the token");
    assert_eq!(entries[1]["actor"], "operator");
    assert_eq!(entries[2]["summary"], "added Grace <g@example.com> with the viewer role");
    let updated = entries.iter().find(|e| e["action"] == "webhook.updated").unwrap();
    assert_eq!(updated["summary"], "changed name, auth");
    assert!(!log.to_string().contains("secret-pw"), "no secret in the log");

    let (s, _) =
        app.call("GET", &format!("/orgs/{}/audit", org.id), viewer["token_value"].as_str().unwrap(), None).await;
    assert_eq!(s, 403, "admins only");
    let other = app.org().await;
    let (s, _) = app.call("GET", &format!("/orgs/{}/audit", org.id), &other.token, None).await;
    assert_eq!(s, 404, "another org's admin");
    let (s, asc) = app.call("GET", &format!("/orgs/{}/audit?order=asc&limit=1", org.id), &org.token, None).await;
    assert_eq!((s.as_u16(), asc["data"][0]["action"].as_str()), (200, Some("token.created")), "oldest first");
    assert!(asc["next_cursor"].is_string());
}

/// Refusals and unknown routes of the portal carry the headers its pages do: the
/// Content-Security-Policy, no framing, no sniffing, no caching.
#[tokio::test]
async fn every_portal_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let unknown = http.get(format!("{}/portal/no-such-page", app.url)).send().await.unwrap();
    let forged = http
        .post(format!("{}/portal/webhooks", app.url))
        .header("origin", "https://evil.example")
        .form(&[("name", "x")])
        .send()
        .await
        .unwrap();
    for (what, resp, status) in [("unknown route", unknown, 404), ("forged form", forged, 403)] {
        assert_eq!(resp.status(), status, "{what}");
        let h = resp.headers();
        assert!(h["content-security-policy"].to_str().unwrap().contains("default-src 'none'"), "{what}: {h:?}");
        assert_eq!(h["x-frame-options"], "DENY", "{what}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(h["cache-control"], "no-store", "{what}");
        assert!(h["content-type"].to_str().unwrap().starts_with("text/html"), "{what}: a page");
    }
}

/// An answer that shows a secret once is not kept by any cache on the way.
#[tokio::test]
async fn answers_that_show_a_secret_are_not_cached() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/v1/orgs/{}{path}", app.url, org.id);
    let post =
        |path: String, token: &str, body: serde_json::Value| http.post(path).bearer_auth(token).json(&body).send();
    let hook = json!({"name": "w", "url": "https://example.com/hook", "event_types": ["user.created"]});
    let created = post(api("/webhooks"), &org.token, hook).await.unwrap();
    assert!(created.headers().contains_key("etag"), "the webhook's answer keeps its ETag");
    assert_eq!(created.headers()["cache-control"], "no-store", "webhook create");
    let webhook: serde_json::Value = created.json().await.unwrap();
    let wid = webhook["id"].as_str().unwrap();
    let member = json!({"name": "Ada", "email": "ada@example.com", "role": "admin"});
    let (_, m) = app.op("POST", &format!("/orgs/{}/members", org.id), Some(member)).await;
    let mid = m["id"].as_str().unwrap();
    let answers = [
        ("rotate", post(api(&format!("/webhooks/{wid}/rotate-secret")), &org.token, json!({})).await.unwrap()),
        ("token", post(api("/tokens"), &org.token, json!({"name": "t", "role": "viewer"})).await.unwrap()),
        (
            "login link",
            post(api(&format!("/members/{mid}/login-links")), crate::support::OPERATOR, json!({})).await.unwrap(),
        ),
    ];
    for (what, resp) in answers {
        assert!(resp.status().is_success(), "{what}: {}", resp.status());
        assert_eq!(resp.headers()["cache-control"], "no-store", "{what}");
    }
    let read = http.get(api(&format!("/webhooks/{wid}"))).bearer_auth(&org.token).send().await.unwrap();
    assert_eq!(read.status(), 200);
}
