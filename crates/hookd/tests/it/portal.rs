//! The portal as a person uses it, in headless Chromium against the real binary: sign in
//! through a link, click, type, read what the page says; axe-core on every page.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::support::{Org, Receiver, TestApp};

/// The texts of the elements `css` finds, in page order.
async fn names(b: &Browser, css: &str) -> Vec<String> {
    let mut out = vec![];
    for e in b.all(css).await {
        out.push(e.text().await.unwrap());
    }
    out
}

/// A member of `org` with `role`; returns the member's ID.
async fn member(app: &TestApp, org: &Org, name: &str, role: &str) -> String {
    let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
    let (s, m) = app
        .op("POST", &format!("/orgs/{}/members", org.id), Some(json!({"name": name, "email": email, "role": role})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    m["id"].as_str().unwrap().to_owned()
}

async fn link(app: &TestApp, org: &Org, member: &str) -> String {
    let (s, l) = app.op("POST", &format!("/orgs/{}/members/{member}/login-links", org.id), None).await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    assert!(l["expires_at"].is_string());
    l["url"].as_str().unwrap().to_owned()
}

/// A browser signed in as a new member of a new org, on the webhooks page.
pub(crate) async fn signed_in(app: &TestApp, role: &str) -> (Browser, Org, String) {
    let org = app.org().await;
    let id = member(app, &org, "Ada Lovelace", role).await;
    let b = Browser::start().await;
    b.goto(&link(app, &org, &id).await).await;
    b.find("h1").await;
    assert_eq!(b.path().await, "/portal/webhooks", "a login link opens the portal");
    (b, org, id)
}

async fn webhooks(app: &TestApp, org: &Org) -> Vec<Value> {
    let (_, list) = app.call("GET", &format!("/orgs/{}/webhooks?limit=500", org.id), &org.token, None).await;
    list["data"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_member_creates_sorts_searches_toggles_and_deletes_webhooks() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    b.wait_text("You have no webhooks yet").await;
    b.check_page("webhooks-empty").await;

    // Create through the form, with Basic authentication.
    b.click("a.btn.primary[href='/portal/webhooks/new']").await;
    b.wait_text("Create webhook").await;
    b.type_into("#name", "CRM sync").await;
    b.type_into("#url", "http://127.0.0.1:9/crm").await;
    b.click("input[name=event_types][value='user.created']").await;
    b.find("#a-type").await.select_by_value("basic").await.expect("select basic");
    b.type_into("#a-basic-username", "crm").await;
    b.type_into("#a-basic-password", "s3cret-password").await;
    b.check_page("webhook-form").await;
    b.click("form[action='/portal/webhooks'] button.btn.primary[type=submit]").await;
    b.wait_text("Webhook created successfully").await;
    b.wait_text("it will not be shown again").await;
    let secret = b.find("#secret-value").await.text().await.unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    b.check_page("webhook-created").await;
    let made = webhooks(&app, &org).await;
    assert_eq!(made.len(), 1);
    assert_eq!(made[0]["auth"]["type"], "basic");
    assert!(made[0]["auth"]["password"].as_str().unwrap().starts_with("****"), "never echoed back");

    // A form with mistakes says everything to fix at once, in plain words beside each field,
    // and keeps what was typed, the secrets too.
    b.goto(&format!("{}/portal/webhooks/new", app.url)).await;
    b.type_into("#url", "example.com/hook").await;
    b.type_into("#timeout", "5").await;
    b.find("#a-type").await.select_by_value("basic").await.expect("select basic");
    b.type_into("#a-basic-password", "typed-secret").await;
    b.click("form[action='/portal/webhooks'] button.btn.primary[type=submit]").await;
    b.wait_text("things to fix").await;
    let url_error = b.find("#url-error").await.text().await.unwrap();
    assert!(url_error.contains("start it with https://"), "{url_error}");
    for beside in ["#name-error", "#types-error"] {
        assert!(!b.find(beside).await.text().await.unwrap().is_empty(), "{beside}");
    }
    let summary = b.find("#form-error").await.text().await.unwrap();
    for said in
        ["Name:", "URL:", "Event types:", "Timeout:", "Authentication (username):", "secrets you typed are kept"]
    {
        assert!(summary.contains(said), "the summary lacks {said:?}: {summary}");
    }
    for (css, typed) in [("#url", "example.com/hook"), ("#a-basic-password", "typed-secret")] {
        let value = b.find(css).await.prop("value").await.unwrap().unwrap_or_default();
        assert_eq!(value, typed, "what was typed in {css} stays");
    }
    b.check_page("webhook-form-errors").await;

    // Two more through the API, then sort and search in the list.
    for name in ["Analytics", "Billing"] {
        app.create_webhook(&org, json!({"name": name, "url": "http://127.0.0.1:9/x", "event_types": ["user.updated"]}))
            .await;
    }
    b.goto(&format!("{}/portal/webhooks", app.url)).await;
    b.click("th a[href*='sort=name&']").await;
    b.find("th[aria-sort='ascending']").await;
    assert_eq!(names(&b, "tbody td:nth-child(2) > a").await, ["Analytics", "Billing", "CRM sync"]);
    b.click("th[aria-sort='ascending'] a").await;
    b.find("th[aria-sort='descending']").await;
    assert_eq!(names(&b, "tbody td:nth-child(2) > a").await, ["CRM sync", "Billing", "Analytics"]);
    b.click("[data-search-toggle]").await;
    b.type_into("#q", "bill").await;
    b.find("input#q[value='bill']").await;
    assert_eq!(names(&b, "tbody td:nth-child(2) > a").await, ["Billing"]);
    b.goto(&format!("{}/portal/webhooks?sort=name&order=asc", app.url)).await;
    b.check_page("webhooks-list").await;

    // Turn one off: its red dot tells who did it.
    let crm = made[0]["id"].as_str().unwrap();
    b.click(&format!("form[action='/portal/webhooks/{crm}/toggle'] button.switch")).await;
    b.wait_text("Status changed").await;
    let dot = b.find("button.dot").await;
    let why = dot.attr("title").await.unwrap().unwrap_or_default();
    assert!(why.contains("Disabled by Ada Lovelace"), "{why}");
    let (_, w) = app.call("GET", &format!("/orgs/{}/webhooks/{crm}", org.id), &org.token, None).await;
    assert_eq!(w["enabled"], false);

    // The gear menu opens by keyboard too, and its items are the row's actions.
    b.find(&format!("[aria-controls='menu-{crm}']")).await.click().await.unwrap();
    let items = b.find(&format!("#menu-{crm}")).await.text().await.unwrap();
    for item in ["Edit", "Send test event", "Copy ID", "Enable", "Delete"] {
        assert!(items.contains(item), "{items}");
    }
    b.js("document.body.click(); return true").await;
    // Right-clicking the row opens the same menu, its first item focused.
    let opened = b
        .js(&format!(
            "const row = document.querySelector('#menu-{crm}').closest('tr');
             row.dispatchEvent(new MouseEvent('contextmenu', {{bubbles: true, cancelable: true}}));
             const menu = document.querySelector('#menu-{crm}');
             return [menu.hidden, menu.contains(document.activeElement), document.activeElement.textContent.trim()];"
        ))
        .await;
    assert_eq!(opened, json!([false, true, "Edit"]), "the right-click menu");
    b.js("document.body.click(); return true").await;

    // Select two and delete them, confirming in the dialog.
    let ids: Vec<String> = webhooks(&app, &org).await.iter().map(|w| w["id"].as_str().unwrap().to_owned()).collect();
    for id in ids.iter().take(2) {
        b.click(&format!("input[data-row-check][value='{id}']")).await;
    }
    b.click("#bulk-delete button").await;
    let dialog = b.find("dialog#confirm[open]").await;
    assert!(dialog.text().await.unwrap().contains("Delete 2 webhook(s)?"));
    b.check_page("webhooks-confirm-delete").await;
    b.click("#confirm-ok").await;
    b.wait_text("Webhook(s) deleted successfully").await;
    assert_eq!(webhooks(&app, &org).await.len(), 1);

    // The audit log tells who did all this, by name, newest first.
    b.click("nav a[href='/portal/audit']").await;
    b.wait_text("webhook.deleted").await;
    let rows = names(&b, "tbody tr").await;
    assert!(rows[0].contains("webhook.deleted") && rows[0].contains("Ada Lovelace"), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("webhook.created") && r.contains("Ada Lovelace")), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("webhook.disabled")), "{rows:?}");
    b.check_page("audit").await;
    b.close().await;
}

#[tokio::test]
async fn history_shows_the_attempt_and_re_sends_it() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let (b, org, _) = signed_in(&app, "member").await;
    let w = app.create_webhook(&org, json!({"name": "Orders", "url": rx.url(), "event_types": ["user.created"]})).await;
    let id = w["id"].as_str().unwrap();
    app.publish(&org, json!({"type": "user.created", "payload": {"id": 7, "name": "Ada"}})).await;
    let first = rx.next().await;
    app.attempts_until(&org, id, |a| !a.is_empty()).await;

    b.goto(&format!("{}/portal/webhooks/{id}", app.url)).await;
    b.wait_text("Orders").await;
    b.check_page("webhook-detail").await;
    b.click("tbody td a[href^='/portal/attempts/']").await;
    b.wait_text("webhook-signature").await;
    b.wait_text("\"name\": \"Ada\"").await;
    b.check_page("attempt").await;
    b.click("form[action$='/resend'] button").await;
    b.wait_text("Delivery re-sent").await;
    let again = rx.next().await;
    assert_eq!(again.header("webhook-id"), first.header("webhook-id"), "a re-send keeps its webhook-id");

    b.goto(&format!("{}/portal/history", app.url)).await;
    b.wait_text("Orders").await;
    b.check_page("history").await;
    // Times to the second, in a <time> with the exact UTC: two attempts a moment apart read apart.
    // Times read relative on screen, exact to the second (UTC) on hover and in datetime.
    let time = b.find("tbody time").await;
    let (shown, exact) = (time.text().await.unwrap(), time.attr("datetime").await.unwrap().unwrap());
    let hover = time.attr("title").await.unwrap().unwrap();
    assert!(shown == "just now" || shown.ends_with(" ago"), "{shown}");
    assert_eq!(hover.len(), "2026-12-03 13:01:07 UTC".len(), "{hover}");
    assert!(exact.ends_with('Z') && exact.starts_with(&hover[..10]), "{exact}");
    // Sorting keeps the time range and the result filter.
    b.goto(&format!("{}/portal/history?result=succeeded&range=custom&since=2020-01-01T00:00", app.url)).await;
    let sort = b.find("th a[href*='sort=url']").await.attr("href").await.unwrap().unwrap();
    let kept = ["result=succeeded", "range=custom", "since=2020-01-01T00"];
    assert!(kept.iter().all(|k| sort.contains(k)), "{sort}");
    b.wait_text("Orders").await;

    // A webhook whose receiver refuses: recovering says how many will be sent again first.
    let dead = app
        .create_webhook(
            &org,
            json!({"name": "Dead end", "url": "http://127.0.0.1:9/none", "event_types": ["user.created"]}),
        )
        .await;
    let dead = dead["id"].as_str().unwrap();
    app.publish(&org, json!({"type": "user.created", "payload": {"id": 8}})).await;
    rx.next().await;
    app.attempts_until(&org, dead, |a| a.len() >= 4).await;
    let deadline = std::time::Instant::now() + crate::support::WAIT;
    loop {
        let (_, page) =
            app.call("GET", &format!("/orgs/{}/attempts?webhook_id={dead}", org.id), &org.token, None).await;
        let d = page["data"][0]["delivery_id"].as_str().unwrap().to_owned();
        let (_, dl) = app.call("GET", &format!("/orgs/{}/deliveries/{d}", org.id), &org.token, None).await;
        if dl["state"] == "failed" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{dl}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    b.goto(&format!("{}/portal/webhooks/{dead}", app.url)).await;
    b.js("document.querySelector('#since').value = '2020-01-01T00:00'; return true").await;
    b.click(&format!("form[action='/portal/webhooks/{dead}/recover'] button")).await;
    b.wait_text("1 failed delivery since 2020-01-01 00:00 UTC will be sent again").await;
    b.check_page("recover-confirm").await;
    b.click("form[action$='/recover'] button[type=submit]").await;
    b.wait_text("Failed deliveries will be sent again").await;
    b.goto(&format!("{}/portal/event-types", app.url)).await;
    b.wait_text("The body your receiver gets").await;
    b.check_page("event-types").await;
    b.close().await;
}

#[tokio::test]
async fn admins_make_tokens_that_are_shown_once_and_can_be_renamed_and_revoked() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    b.click("nav a[href='/portal/tokens']").await;
    b.wait_text("Create a token").await;
    b.type_into("#token-name", "Deploy script").await;
    b.click("form[action='/portal/tokens'] button[type=submit]").await;
    b.wait_text("Save this token, as this is the only time you will see it").await;
    let token = b.find(".secret-box code").await.text().await.unwrap();
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &token, None).await;
    assert_eq!(s, StatusCode::OK, "the token works");
    b.check_page("token-created").await;
    b.click(".notice a.btn.primary").await;
    assert!(!b.text().await.contains(&token), "never shown again");
    b.check_page("tokens").await;

    // The org's own admin token is listed too: find the row of the new one.
    let mut tid = String::new();
    for row in b.all("tbody tr").await {
        if row.text().await.unwrap().contains("Deploy script") {
            let menu = row.find(fantoccini::Locator::Css("[data-menu-button]")).await.unwrap();
            tid = menu.attr("aria-controls").await.unwrap().unwrap().replace("tmenu-", "");
        }
    }
    assert!(tid.starts_with("tok_"), "the new token is listed");
    b.click(&format!("[aria-controls='tmenu-{tid}']")).await;
    b.shot("tokens-manage").await;
    b.type_into(&format!("#rename-{tid}"), "Deploy bot").await;
    b.click(&format!("form[action='/portal/tokens/{tid}/rename'] button")).await;
    b.wait_text("Token renamed").await;
    b.wait_text("Deploy bot").await;
    b.click(&format!("[aria-controls='tmenu-{tid}']")).await;
    b.click(&format!("form[action='/portal/tokens/{tid}/revoke'] button")).await;
    b.click("#confirm-ok").await;
    b.wait_text("Token revoked").await;
    let (s, _) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &token, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a revoked token stops working");
    b.goto(&format!("{}/portal/members", app.url)).await;
    b.wait_text("ada.lovelace@example.com").await;
    b.check_page("members").await;
    // Members are the operator's product's to change unless it lets admins: no form, and a
    // forged one is refused on the server.
    assert!(!b.text().await.contains("Add a member"));
    let (cookie, csrf) = session(&b).await;
    let body = format!("_csrf={csrf}&name=Eve&email=eve%40example.com&role=admin");
    let forged = forge(&app, &cookie, "/portal/members", body).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let (_, list) = app.call("GET", &format!("/orgs/{}/members", org.id), &org.token, None).await;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1), "{list}");
    // The token page links the API reference, rendered from the OpenAPI document.
    b.goto(&format!("{}/portal/tokens", app.url)).await;
    b.click(".lede a[href='/api/docs']").await;
    b.wait_text("Authorization: Bearer TOKEN").await;
    b.wait_text("/api/v1/orgs/{org}/webhooks").await;
    b.check_page("api-docs").await;
    // An operation opens to its parameters, its body's schema with an example, and its answer;
    // the schema links to its fields.
    b.click("#post--api-v1-orgs--org--webhooks summary").await;
    b.wait_text("Request body: WebhookIn").await;
    b.wait_text("Answer: 201, WebhookView").await;
    b.js("document.getElementById('post--api-v1-orgs--org--webhooks').scrollIntoView()").await;
    b.shot("api-docs-operation").await;
    b.click("#post--api-v1-orgs--org--webhooks h3 a[href='#schema-WebhookIn']").await;
    let fields = b.find("#schema-WebhookIn").await.text().await.unwrap();
    assert!(fields.contains("event_types") && fields.contains("WebhookOptions"), "{fields}");
    // A tagged union lists its variants by tag, each with its fields.
    let auth = b.find("#schema-WebhookAuth").await.text().await.unwrap();
    assert!(auth.contains("\"type\": \"basic\"") && auth.contains("username") && auth.contains("per_org"), "{auth}");
    b.js("document.getElementById('schema-WebhookAuth').scrollIntoView()").await;
    b.shot("api-docs-union").await;
    let circuit = b.find("#schema-Circuit").await.text().await.unwrap();
    assert!(circuit.contains("\"state\": \"open\"") && circuit.contains("timeouts_in_a_row"), "{circuit}");
    b.shot("api-docs-schema").await;
    b.check_page("api-docs-open").await;
    b.close().await;
}

/// Where the operator lets admins manage members: add (errors beside the field), change a
/// role and disable, remove with a confirmation; an admin's own row has no controls.
#[tokio::test]
async fn admins_manage_members_where_the_operator_allows_it() {
    let app = TestApp::spawn_with(crate::support::Options {
        extra_env: vec![("HOOKD_PORTAL_MEMBERS_EDITABLE", "true".into())],
        ..Default::default()
    })
    .await;
    let (b, org, me) = signed_in(&app, "admin").await;
    let grace = member(&app, &org, "Grace Hopper", "viewer").await;
    b.goto(&format!("{}/portal/members", app.url)).await;
    b.wait_text("grace.hopper@example.com").await;
    assert!(b.all(&format!("[aria-controls='mmenu-{me}']")).await.is_empty(), "no controls on one's own row");

    b.type_into("#member-name", "Alan Turing").await;
    b.type_into("#member-email", "alan@localhost").await;
    b.click("form[action='/portal/members'] button[type=submit]").await;
    b.wait_text("is not an email address").await;
    assert_eq!(b.find("#member-name").await.prop("value").await.unwrap().as_deref(), Some("Alan Turing"));
    b.type_into("#member-email", "grace.hopper@example.com").await;
    b.click("form[action='/portal/members'] button[type=submit]").await;
    b.wait_text("already exists").await;
    assert!(b.find("#member-email-error").await.text().await.unwrap().contains("already exists"));
    b.type_into("#member-email", "alan@example.com").await;
    b.type_into("#member-groups", "ops, on-call").await;
    b.find("#member-role").await.select_by_value("admin").await.unwrap();
    b.click("form[action='/portal/members'] button[type=submit]").await;
    b.wait_text("Member added").await;
    b.wait_text("alan@example.com").await;
    b.check_page("members-editable").await;
    let (_, list) = app.call("GET", &format!("/orgs/{}/members", org.id), &org.token, None).await;
    let alan = list["data"].as_array().unwrap().iter().find(|m| m["email"] == "alan@example.com").cloned().unwrap();
    assert_eq!((alan["role"].as_str(), &alan["groups"]), (Some("admin"), &json!(["ops", "on-call"])));

    b.click(&format!("[aria-controls='mmenu-{grace}']")).await;
    b.shot("members-manage").await;
    b.find(&format!("#role-{grace}")).await.select_by_value("member").await.unwrap();
    b.find(&format!("#status-{grace}")).await.select_by_value("disabled").await.unwrap();
    b.click(&format!("form[action='/portal/members/{grace}'] button")).await;
    b.wait_text("Member saved").await;
    let (_, g) = app.call("GET", &format!("/orgs/{}/members/{grace}", org.id), &org.token, None).await;
    assert_eq!((g["role"].as_str(), g["status"].as_str()), (Some("member"), Some("disabled")), "{g}");

    b.click(&format!("[aria-controls='mmenu-{grace}']")).await;
    b.click(&format!("form[action='/portal/members/{grace}/remove'] button")).await;
    b.wait_text("Remove Grace Hopper from your organization?").await;
    b.click("#confirm-ok").await;
    b.wait_text("Member removed").await;
    let (s, _) = app.call("GET", &format!("/orgs/{}/members/{grace}", org.id), &org.token, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Forged: an admin cannot take their own admin role or remove themselves.
    let (cookie, csrf) = session(&b).await;
    let demote =
        forge(&app, &cookie, &format!("/portal/members/{me}"), format!("_csrf={csrf}&role=viewer&status=active")).await;
    assert_eq!(demote.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let remove = forge(&app, &cookie, &format!("/portal/members/{me}/remove"), format!("_csrf={csrf}")).await;
    assert_eq!(remove.status(), StatusCode::FORBIDDEN);
    let (_, mine) = app.call("GET", &format!("/orgs/{}/members/{me}", org.id), &org.token, None).await;
    assert_eq!(mine["role"], "admin");
    b.close().await;
}

/// A form posted as the browser would (its cookie, this server's origin), by hand: what a
/// forged request looks like. Redirects are not followed.
async fn forge(app: &TestApp, cookie: &str, path: &str, body: String) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}{path}", app.url))
        .header("cookie", cookie)
        .header("origin", &app.url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The session cookie and this page's CSRF token, to forge requests as the browser would.
async fn session(b: &Browser) -> (String, String) {
    let cookie = b.c.get_named_cookie("hookd_session").await.expect("session cookie");
    let csrf = b.find("input[name=_csrf]").await.prop("value").await.unwrap().unwrap();
    (format!("hookd_session={}", cookie.value()), csrf)
}

#[tokio::test]
async fn a_viewer_sees_no_edit_controls_and_forged_writes_are_refused() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "viewer").await;
    let w = app
        .create_webhook(
            &org,
            json!({"name": "Read only", "url": "http://127.0.0.1:9/r", "event_types": ["user.created"]}),
        )
        .await;
    let id = w["id"].as_str().unwrap();
    b.goto(&format!("{}/portal/webhooks", app.url)).await;
    b.wait_text("Read only").await;
    let page = b.text().await;
    assert!(!page.contains("Create webhook") && !page.contains("Delete webhooks"), "{page}");
    assert!(b.all("button.switch").await.is_empty() && b.all("input[data-row-check]").await.is_empty());
    b.check_page("webhooks-viewer").await;

    let (cookie, csrf) = session(&b).await;
    let forged = forge(&app, &cookie, &format!("/portal/webhooks/{id}/toggle"), format!("_csrf={csrf}")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "the role is checked on the server");
    assert!(forged.text().await.unwrap().contains("You cannot do this"));
    let (_, still) = app.call("GET", &format!("/orgs/{}/webhooks/{id}", org.id), &org.token, None).await;
    assert_eq!(still["enabled"], true);
    b.close().await;
}

#[tokio::test]
async fn forms_without_their_token_and_used_or_expired_links_are_refused() {
    let app = TestApp::spawn().await;
    let (b, org, mid) = signed_in(&app, "admin").await;
    let w = app
        .create_webhook(
            &org,
            json!({"name": "Guarded", "url": "http://127.0.0.1:9/g", "event_types": ["user.created"]}),
        )
        .await;
    let id = w["id"].as_str().unwrap();
    let (cookie, _) = session(&b).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let toggle = |body: &'static str, origin: &str| {
        http.post(format!("{}/portal/webhooks/{id}/toggle", app.url))
            .header("cookie", &cookie)
            .header("origin", origin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let no_token = toggle("", &app.url).await.unwrap();
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    assert!(no_token.text().await.unwrap().contains("This form has expired"));
    let wrong = toggle("_csrf=guess", &app.url).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let other_site = toggle("_csrf=guess", "https://evil.example").await.unwrap();
    assert_eq!(other_site.status(), StatusCode::FORBIDDEN);
    let (_, still) = app.call("GET", &format!("/orgs/{}/webhooks/{id}", org.id), &org.token, None).await;
    assert_eq!(still["enabled"], true, "nothing changed");

    // A link works once; a second browser with the same link is told so.
    let url = link(&app, &org, &mid).await;
    let b2 = Browser::start().await;
    b2.goto(&url).await;
    b2.find("nav.main").await;
    b2.goto(&url).await;
    b2.c.delete_all_cookies().await.unwrap();
    b2.goto(&url).await;
    b2.wait_text("This sign-in link does not work").await;
    b2.wait_text("ask for a new link").await;
    b2.check_page("link-used").await;
    // Expired: a link for one second, used once its expiry passed.
    let (_, l) =
        app.op("POST", &format!("/orgs/{}/members/{mid}/login-links", org.id), Some(json!({"expires_in": 1}))).await;
    let expires_at: chrono::DateTime<chrono::Utc> = l["expires_at"].as_str().unwrap().parse().unwrap();
    while chrono::Utc::now() <= expires_at {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    b2.goto(l["url"].as_str().unwrap()).await;
    b2.wait_text("This sign-in link does not work").await;
    // Signing out ends the session: its cookie opens nothing afterwards.
    b.click("form[action='/portal/logout'] button").await;
    b.wait_text("Sign in").await;
    let after = http.get(format!("{}/portal/webhooks", app.url)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(after.headers()["location"], "/portal/sign-in");
    b.check_page("signed-out").await;
    b.close().await;
    b2.close().await;
}

#[tokio::test]
async fn a_disabled_member_is_signed_out_and_pages_carry_a_strict_policy() {
    let app = TestApp::spawn().await;
    let (b, org, mid) = signed_in(&app, "admin").await;
    let (cookie, _) = session(&b).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = http.get(format!("{}/portal/webhooks", app.url)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    let set = b.c.get_named_cookie("hookd_session").await.unwrap();
    assert_eq!(set.http_only(), Some(true));
    assert_eq!(format!("{:?}", set.same_site()), "Some(Lax)");

    let (s, _) = app.op("PATCH", &format!("/orgs/{}/members/{mid}", org.id), Some(json!({"status": "disabled"}))).await;
    assert_eq!(s, StatusCode::OK);
    let after = http.get(format!("{}/portal/webhooks", app.url)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER, "the session ended with the member");
    let missing = http.get(format!("{}/portal/nowhere", app.url)).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.unwrap().contains("Page not found"));
    b.goto(&format!("{}/portal/nowhere", app.url)).await;
    b.wait_text("Page not found").await;
    b.check_page("not-found").await;
    b.close().await;
}

#[tokio::test]
async fn credentials_per_child_organization_are_added_in_the_form() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let (s, child) = app.op("POST", "/orgs", Some(json!({"name": "Child Co", "parent_id": org.id}))).await;
    assert_eq!(s, StatusCode::CREATED, "{child}");
    let child = child["id"].as_str().unwrap().to_owned();
    b.goto(&format!("{}/portal/webhooks/new", app.url)).await;
    b.type_into("#name", "Per org").await;
    b.type_into("#url", "http://127.0.0.1:9/p").await;
    b.click("input[name=event_types][value='user.created']").await;
    b.click("#per-org-toggle").await;
    b.click("[data-add-row='org-rows']").await;
    let row = b.find("#org-rows .org-row").await;
    let select = row.find(fantoccini::Locator::Css("select[name$='.org_id']")).await.unwrap();
    select.select_by_value(&child).await.unwrap();
    let kind = row.find(fantoccini::Locator::Css("select[data-auth-type]")).await.unwrap();
    kind.select_by_value("token").await.unwrap();
    let value = row.find(fantoccini::Locator::Css("input[name$='.token.value']")).await.unwrap();
    value.send_keys("child-secret-value").await.unwrap();
    b.check_page("webhook-form-per-org").await;
    b.click("form[action='/portal/webhooks'] button.btn.primary[type=submit]").await;
    b.wait_text("Webhook created successfully").await;
    let made = webhooks(&app, &org).await;
    let per_org = &made[0]["auth"]["per_org"][&child];
    assert_eq!(per_org["type"], "token", "{}", made[0]);
    assert!(per_org["value"].as_str().unwrap().starts_with("****"), "masked: {per_org}");
    // "Remove Organization" takes the row out again.
    let id = made[0]["id"].as_str().unwrap();
    b.goto(&format!("{}/portal/webhooks/{id}/edit", app.url)).await;
    b.click("#org-rows .org-row > button[data-remove-row]").await;
    assert!(b.all("#org-rows .org-row").await.is_empty());
    b.close().await;
}

/// The operator's `webhooks` feature gates an org's webhooks: off, its callers are refused
/// (the API and the portal alike) and its webhooks are disabled, saying why, so nothing
/// fires; on again, those come back and one a person disabled stays disabled.
#[tokio::test]
async fn webhooks_follow_the_orgs_feature() {
    let app = TestApp::spawn().await;
    let mut rx = Receiver::start().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let (_, o) = app.op("GET", &format!("/orgs/{}", org.id), None).await;
    assert_eq!(o["features"], json!(["webhooks"]), "a new org has webhooks");
    let hook = |name: &str| json!({"name": name, "url": rx.url(), "event_types": ["user.created"]});
    let on = app.create_webhook(&org, hook("On")).await;
    let off = app.create_webhook(&org, hook("Off by Ada")).await;
    let (s, _) = app
        .call(
            "PATCH",
            &format!("/orgs/{}/webhooks/{}", org.id, off["id"].as_str().unwrap()),
            &org.token,
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let (s, _) = app.op("PATCH", &format!("/orgs/{}", org.id), Some(json!({"features": []}))).await;
    assert_eq!(s, StatusCode::OK);
    let (s, p) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &org.token, None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("not turned on"), "{p}");
    let (_, w) = app.op("GET", &format!("/orgs/{}/webhooks/{}", org.id, on["id"].as_str().unwrap()), None).await;
    assert_eq!(
        (w["enabled"].as_bool(), w["status"]["reason"].as_str()),
        (Some(false), Some("Webhooks are turned off for this organization."))
    );
    app.publish(&org, json!({"type": "user.created", "payload": {}})).await;
    app.wait_idle().await;
    rx.assert_drained();
    b.goto(&format!("{}/portal/webhooks", app.url)).await;
    b.wait_text("Webhooks are not turned on for your organization").await;
    b.check_page("feature-off").await;

    let (s, _) = app.op("PATCH", &format!("/orgs/{}", org.id), Some(json!({"features": ["webhooks"]}))).await;
    assert_eq!(s, StatusCode::OK);
    let (_, list) = app.call("GET", &format!("/orgs/{}/webhooks?sort=name", org.id), &org.token, None).await;
    let enabled: Vec<(&str, bool)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["name"].as_str().unwrap(), w["enabled"].as_bool().unwrap()))
        .collect();
    assert_eq!(enabled, vec![("Off by Ada", false), ("On", true)]);
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 2}})).await;
    assert_eq!(rx.next().await.json()["payload"]["n"], 2);
    b.close().await;
}

/// A receiver that keeps timing out: the webhook's page says its requests go one at a time,
/// and why; the form shows how many may be out at once.
#[tokio::test]
async fn the_webhook_page_says_when_its_circuit_is_open() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let rx = Receiver::start().await;
    let hang = format!("http://{}/hang", rx.addr);
    let w = app
        .create_webhook(
            &org,
            json!({"name": "Slow CRM", "url": hang, "event_types": ["user.created"], "options": {"timeout_ms": 200}}),
        )
        .await;
    app.publish_burst(&org, 6).await;
    let deadline = std::time::Instant::now() + crate::support::WAIT;
    while app.metric("hookd_circuits_open").await == 0 {
        assert!(std::time::Instant::now() < deadline, "the circuit never opened");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let id = w["id"].as_str().unwrap();
    b.goto(&format!("{}/portal/webhooks/{id}", app.url)).await;
    b.wait_text("Slowed down.").await;
    let alert = b.find("p.alert[role=status]").await.text().await.unwrap();
    assert!(alert.contains("timed out") && alert.contains("one at a time"), "{alert}");
    b.check_page("webhook-circuit-open").await;
    b.goto(&format!("{}/portal/webhooks/{id}/edit", app.url)).await;
    assert_eq!(b.find("#max_in_flight").await.prop("value").await.unwrap().as_deref(), Some("32"));
    b.close().await;
}

/// Pages go out compressed (brotli, gzip) to a browser that asks, and each page carries the
/// CSRF token under a fresh mask (so compression tells an observer nothing about it); every
/// mask of it is accepted.
#[tokio::test]
async fn pages_are_compressed_and_their_csrf_token_is_masked_each_time() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    for n in 0..50 {
        let url = format!("https://receiver-{n}.example.com/webhooks/incoming/with/a/long/path");
        app.create_webhook(
            &org,
            json!({"name": format!("Webhook number {n}"), "url": url, "event_types": ["user.created"]}),
        )
        .await;
    }
    b.goto(&format!("{}/portal/webhooks?limit=50", app.url)).await;
    let (cookie, first) = session(&b).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let get = |encoding: &'static str| {
        http.get(format!("{}/portal/webhooks?limit=50", app.url))
            .header("cookie", &cookie)
            .header("accept-encoding", encoding)
            .send()
    };
    let plain = get("identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap().len();
    let mut sizes = vec![];
    for encoding in ["br", "gzip"] {
        let r = get(encoding).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-encoding"], encoding);
        let size = r.bytes().await.unwrap().len();
        assert!(size * 4 < plain, "{encoding}: {size} of {plain} bytes");
        sizes.push(size);
    }
    eprintln!("a page of 50 webhooks: {plain} bytes, brotli {}, gzip {}", sizes[0], sizes[1]);

    b.goto(&format!("{}/portal/webhooks", app.url)).await;
    let (_, second) = session(&b).await;
    assert_ne!(first, second, "a fresh mask on every page");
    let id = webhooks(&app, &org).await[0]["id"].as_str().unwrap().to_owned();
    let toggled =
        forge(&app, &cookie, &format!("/portal/webhooks/{id}/toggle"), format!("_csrf={first}&enabled=false")).await;
    assert_eq!(toggled.status(), StatusCode::SEE_OTHER, "an older page's mask still works");
    let wrong = format!("{}{}", &first[..first.len() / 2], &second[second.len() / 2..]);
    let refused =
        forge(&app, &cookie, &format!("/portal/webhooks/{id}/toggle"), format!("_csrf={wrong}&enabled=true")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "halves of two masks are not the token");
    b.close().await;
}

/// A branded portal (its name, and hookd's header prefix too) names its product, never
/// hookd, in what a customer reads on its pages.
#[tokio::test]
async fn a_branded_portal_does_not_say_hookd() {
    let env = vec![("HOOKD_PORTAL_NAME", "Acme Hooks".to_owned()), ("HOOKD_HEADER_PREFIX", "X-Acme".to_owned())];
    let app = TestApp::spawn_with(crate::support::Options { extra_env: env, ..Default::default() }).await;
    let (b, _, _) = signed_in(&app, "admin").await;
    for page in ["webhooks", "history", "tokens", "event-types", "members", "audit"] {
        b.goto(&format!("{}/portal/{page}", app.url)).await;
        b.find("h1").await;
        let text = b.text().await;
        assert!(text.contains("Acme Hooks"), "{page}: {text}");
        assert!(!text.to_lowercase().contains("hookd"), "{page} says hookd: {text}");
    }
    b.close().await;
}
