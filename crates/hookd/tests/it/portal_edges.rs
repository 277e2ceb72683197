//! The portal's rough edges, smoothed and kept so: popovers that stay in the window and close
//! on Escape and a click elsewhere, a webhook page that says how requests go out, a test
//! event whose payload follows its type, event-type groups that never overlap, and switches
//! whose off state can be seen.

use serde_json::json;

use crate::browser::Browser;
use crate::portal::signed_in;
use crate::support::{Receiver, TestApp};

/// Whether the popover of `help` (a CSS selector) is shown, and its left and right edges.
async fn pop(b: &Browser, help: &str) -> (bool, f64, f64) {
    let v = b
        .js(&format!(
            "const p = document.querySelector(\"{help} .pop\"); const r = p.getBoundingClientRect();
             return [getComputedStyle(p).display !== 'none', r.left, r.right]"
        ))
        .await;
    (v[0].as_bool().unwrap(), v[1].as_f64().unwrap(), v[2].as_f64().unwrap())
}

#[tokio::test]
async fn popovers_stay_in_the_window_and_close_on_escape_or_a_click_elsewhere() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let rx = Receiver::start().await;
    let long = "customer.subscription.trial_will_end_notification_reminder_for_the_billing_contact";
    let (s, e) =
        app.op("POST", "/event-types", Some(json!({"name": long, "group": "Users", "example": {"id": 1}}))).await;
    assert!(s.is_success(), "{e}");
    app.create_webhook(
        &org,
        json!({"name": "Off", "url": rx.url(), "event_types": ["user.created"], "enabled": false}),
    )
    .await;
    b.goto(&format!("{}/portal/webhooks", app.url)).await;
    let dot = "td .help";
    b.click(&format!("{dot} > button")).await;
    let (shown, left, right) = pop(&b, dot).await;
    let width = b.js("return document.documentElement.clientWidth").await.as_f64().unwrap();
    assert!(shown && left >= 0.0 && right <= width, "the reason's popover at {left}..{right} of {width}");
    b.find("body").await.send_keys("\u{e00c}").await.unwrap();
    assert!(!pop(&b, dot).await.0, "Escape closes it");
    b.click(&format!("{dot} > button")).await;
    assert!(pop(&b, dot).await.0);
    b.click("h1").await;
    assert!(!pop(&b, dot).await.0, "a click elsewhere closes it");
    // The off switch's outline and knob stand out from the page by 3:1 at least, both themes.
    for theme in ["light", "dark"] {
        b.theme(theme).await;
        let ratio = b.js(CONTRAST).await.as_f64().unwrap();
        assert!(ratio >= 3.0, "the off switch's contrast in the {theme} theme is {ratio:.2}");
    }
    b.theme("light").await;

    // On the form: one popover at a time, and groups that keep to their cells.
    b.goto(&format!("{}/portal/webhooks/new", app.url)).await;
    let helps = b.all(".type-group .help > button").await;
    assert!(helps.len() >= 2);
    helps[0].click().await.unwrap();
    helps[1].click().await.unwrap();
    assert_eq!(b.all(".help.open").await.len(), 1, "opening one closes the other");
    let overlap = b
        .js("const g = [...document.querySelectorAll('.type-group')].map(e => e.getBoundingClientRect());
             return g.some((a, i) => g.some((c, j) => i < j && a.left < c.right && c.left < a.right
               && a.top < c.bottom && c.top < a.bottom))")
        .await;
    assert_eq!(overlap, json!(false), "event-type groups overlap");
    b.check_page("webhook-form-long-type").await;
    b.close().await;
}

/// The contrast of the first off switch's outline against the panel behind it (WCAG's ratio).
const CONTRAST: &str = "
  const lum = c => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(v => { v = v / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const s = document.querySelector('.switch[aria-checked=false]');
  const a = lum(getComputedStyle(s).borderTopColor), b = lum(getComputedStyle(s.closest('.panel')).backgroundColor);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);";

#[tokio::test]
async fn the_webhook_page_says_how_requests_go_out_and_its_test_payload_follows_the_type() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let rx = Receiver::start().await;
    let (s, e) = app
        .op("POST", "/event-types", Some(json!({"name": "order.paid", "group": "Orders", "example": {"amount": 100}})))
        .await;
    assert!(s.is_success(), "{e}");
    let w = app
        .create_webhook(
            &org,
            json!({
                "name": "Loose", "url": rx.url(), "event_types": ["user.created", "order.paid"],
                "options": {"verify_tls": false, "max_events_per_request": 10, "headers": {"X-Team": "billing"}, "traceparent": true},
                "auth": {"type": "basic", "username": "ada", "password": "s3cret-pass"},
            }),
        )
        .await;
    b.goto(&format!("{}/portal/webhooks/{}", app.url, w["id"].as_str().unwrap())).await;
    b.wait_text("TLS verification").await;
    let page = b.text().await;
    for said in [
        "⚠ Off: the receiver's certificate is not checked",
        "Basic",
        "Up to 10 events a request",
        "X-Team",
        "W3C traceparent header",
    ] {
        assert!(page.contains(said), "the page does not say {said:?}");
    }
    assert!(!page.contains("s3cret-pass"), "a secret on the page");
    let payload = || async { b.find("#test-payload").await.prop("value").await.unwrap().unwrap() };
    assert!(payload().await.contains("\"id\": 1"));
    b.find("#test-type").await.select_by_value("order.paid").await.unwrap();
    assert!(payload().await.contains("\"amount\": 100"), "the payload follows the type");
    b.check_page("webhook-summary").await;
    b.close().await;
}

/// The form sets a webhook's owner and whether child organizations' events come to it, and
/// a modify form shows both as they are.
#[tokio::test]
async fn the_form_sets_an_owner_and_child_organizations() {
    let app = TestApp::spawn().await;
    let (b, org, member) = signed_in(&app, "admin").await;
    let rx = Receiver::start().await;
    b.goto(&format!("{}/portal/webhooks/new", app.url)).await;
    b.type_into("#name", "Owned").await;
    b.type_into("#url", &rx.url()).await;
    b.click("input[name=event_types][value='user.created']").await;
    b.find("#owner_id").await.select_by_value(&member).await.unwrap();
    b.click("input[name=include_child_orgs]").await;
    b.click("input[name=traceparent]").await;
    b.click("form[action='/portal/webhooks'] button.btn.primary[type=submit]").await;
    b.wait_text("Webhook created successfully").await;
    let (_, list) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &org.token, None).await;
    let w = &list["data"][0];
    assert_eq!((w["owner_id"].as_str(), w["include_child_orgs"].as_bool()), (Some(member.as_str()), Some(true)), "{w}");
    assert_eq!(w["options"]["traceparent"], true, "the traceparent box sets the option: {w}");
    b.goto(&format!("{}/portal/webhooks/{}/edit", app.url, w["id"].as_str().unwrap())).await;
    b.find(&format!("#owner_id option[value='{member}'][selected]")).await;
    assert_eq!(b.find("input[name=include_child_orgs]").await.prop("checked").await.unwrap().as_deref(), Some("true"));
    assert_eq!(b.find("input[name=traceparent]").await.prop("checked").await.unwrap().as_deref(), Some("true"));
    // Taking the owner away and saving leaves no owner.
    b.find("#owner_id").await.select_by_value("").await.unwrap();
    b.click("form button.btn.primary[type=submit]").await;
    b.wait_text("Webhook modified successfully").await;
    let (_, w) =
        app.call("GET", &format!("/orgs/{}/webhooks/{}", org.id, w["id"].as_str().unwrap()), &org.token, None).await;
    assert_eq!(w["owner_id"], serde_json::Value::Null, "{w}");
    b.close().await;
}

/// A refusal and a confirmation come in the portal's frame, with its navigation, for a member
/// who is signed in.
#[tokio::test]
async fn refusals_and_confirmations_keep_the_portal_frame() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let rx = Receiver::start().await;
    let w = app.create_webhook(&org, json!({"name": "Framed", "url": rx.url(), "event_types": ["user.created"]})).await;
    let page = format!("{}/portal/webhooks/{}", app.url, w["id"].as_str().unwrap());
    b.goto(&page).await;
    b.find("#test-payload").await.clear().await.unwrap();
    b.type_into("#test-payload", "{not json").await;
    b.click("form[action$='/test'] button[type=submit]").await;
    b.wait_text("is not JSON").await;
    b.find("nav.main a[href='/portal/events']").await;
    b.check_page("refusal-framed").await;

    b.goto(&page).await;
    b.js("document.querySelector('#since').value = '2026-12-01T09:00'; return true").await;
    b.click("form[action$='/recover'] button[type=submit]").await;
    b.wait_text("will be sent again").await;
    b.find("nav.main a[href='/portal/events']").await;
    b.check_page("confirmation-framed").await;
    b.click("form[action$='/recover'] button.primary").await;
    b.wait_text("Framed").await;
    b.close().await;
}
