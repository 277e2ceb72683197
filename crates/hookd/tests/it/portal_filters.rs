//! The filter in the portal: typed in the form, tried on the type's example (match / no
//! match), refused beside the box with what to fix, shown in words on the webhook's page, and
//! what it refused counted there.

use reqwest::StatusCode;
use serde_json::json;

use crate::browser::Browser;
use crate::portal::signed_in;
use crate::support::{Receiver, TestApp};

async fn value(b: &Browser, css: &str) -> String {
    b.find(css).await.prop("value").await.unwrap().unwrap_or_default()
}

#[tokio::test]
async fn a_filter_is_tried_on_the_example_refused_when_wrong_and_shown_in_words() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let mut rx = Receiver::start().await;
    app.order_paid_type().await;

    b.goto(&format!("{}/portal/webhooks/new", app.url)).await;
    b.type_into("#name", "Big orders").await;
    b.type_into("#url", &rx.url()).await;
    b.click("input[name=event_types][value='order.paid']").await;
    b.type_into("#filter", r#"{"payload.amount": {"$gt": 100}}"#).await;
    b.find("#example_type").await.select_by_value("order.paid").await.unwrap();
    assert!(value(&b, "#example_payload").await.contains("\"amount\": 150"), "the payload is the type's example");
    b.click("button[name=_try][value=filter]").await;
    b.wait_text("An event like this reaches the webhook").await;
    assert!(b.find("#try-result").await.text().await.unwrap().contains("payload.amount is greater than 100"));
    assert_eq!(value(&b, "#name").await, "Big orders", "trying keeps what was typed");
    b.check_page("filter-match").await;

    b.type_into("#example_payload", r#"{"amount": 50, "currency": "EUR"}"#).await;
    b.click("button[name=_try][value=filter]").await;
    b.wait_text("An event like this does not reach the webhook").await;
    assert!(b.text().await.contains("No match"));

    // Wrong filters are refused beside the box, keeping what was typed.
    for (typed, says) in [
        (r#"{"payload.amount": {"$gt": []}}"#, "At payload.amount.$gt: compares numbers or strings only"),
        (r#"{"payload.amount": {"$gt": 1"#, "is not JSON"),
    ] {
        b.type_into("#filter", typed).await;
        b.click("form button.btn.primary[type=submit]").await;
        b.wait_text(says).await;
        assert_eq!(value(&b, "#filter").await, typed);
        assert_eq!(value(&b, "#url").await, rx.url());
        assert_eq!(b.find("#filter").await.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    }
    b.check_page("filter-refused").await;
    let (_, list) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &org.token, None).await;
    assert_eq!(list["data"], json!([]), "nothing was saved");

    // Enter in a field saves (the try button is not the form's default).
    b.type_into("#filter", r#"{"payload.amount": {"$gt": 100}, "payload.currency": {"$in": ["EUR", "USD"]}}"#).await;
    b.find("#name").await.send_keys("\u{e007}").await.unwrap();
    b.wait_text("Webhook created successfully").await;
    b.wait_text(r#"payload.amount is greater than 100 and payload.currency is one of "EUR", "USD""#).await;
    let (_, list) = app.call("GET", &format!("/orgs/{}/webhooks", org.id), &org.token, None).await;
    let w = &list["data"][0];
    assert_eq!(w["filter"]["payload.amount"], json!({"$gt": 100}), "{w}");

    // What it refused is counted on its page.
    for amount in [150, 50, 20] {
        app.publish(&org, json!({"type": "order.paid", "payload": {"amount": amount, "currency": "EUR"}})).await;
    }
    assert_eq!(rx.next().await.json()["payload"]["amount"], 150);
    app.wait_idle().await;
    rx.assert_drained();
    let id = w["id"].as_str().unwrap();
    b.goto(&format!("{}/portal/webhooks/{id}", app.url)).await;
    b.wait_text("Filtered out").await;
    let filtered = b.js("return [...document.querySelectorAll('.figures div')].find(d => d.textContent.includes('Filtered')).querySelector('dd').textContent").await;
    assert_eq!(filtered, json!("2"));
    b.check_page("filter-webhook").await;

    // The modify form shows the filter; emptying the box removes it.
    b.goto(&format!("{}/portal/webhooks/{id}/edit", app.url)).await;
    assert!(value(&b, "#filter").await.contains("\"$gt\": 100"));
    b.type_into("#filter", "").await;
    b.click("form button.btn.primary[type=submit]").await;
    b.wait_text("Webhook modified successfully").await;
    b.wait_text("None: every event of its types").await;
    let (s, w) = app.call("GET", &format!("/orgs/{}/webhooks/{id}", org.id), &org.token, None).await;
    assert_eq!((s, &w["filter"]), (StatusCode::OK, &serde_json::Value::Null));
    b.close().await;
}

#[tokio::test]
async fn a_transformation_is_run_on_the_example_before_it_is_saved() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let mut rx = Receiver::start().await;
    app.order_paid_type().await;
    b.goto(&format!("{}/portal/webhooks/new", app.url)).await;
    b.type_into("#name", "To Slack").await;
    b.type_into("#url", &rx.url()).await;
    b.click("input[name=event_types][value='order.paid']").await;
    b.find("#example_type").await.select_by_value("order.paid").await.unwrap();
    let code = "function handler(webhook) {
  const p = webhook.payload.payload;
  if (p.amount < 10) webhook.cancel = true;
  webhook.payload = {text: `Paid ${p.amount} ${p.currency}`};
  webhook.headers['x-shaped'] = 'yes';
  return webhook;
}";
    b.type_into("#transformation_code", code).await;
    b.click("button[name=_try][value=transformation]").await;
    b.wait_text("Would send").await;
    let result = b.find("#try-result").await.text().await.unwrap();
    assert!(result.contains(&format!("POST {}", rx.url())) && result.contains("x-shaped"), "{result}");
    assert!(result.contains(r#""text": "Paid 150 EUR""#), "{result}");
    assert_eq!(value(&b, "#transformation_code").await, code, "running keeps the code as typed");
    b.check_page("transformation-run").await;

    b.type_into("#example_payload", r#"{"amount": 5, "currency": "EUR"}"#).await;
    b.click("button[name=_try][value=transformation]").await;
    b.wait_text("nothing would be sent").await;
    b.type_into("#transformation_code", "function handler(w) { throw new Error('no VAT number'); }").await;
    b.click("button[name=_try][value=transformation]").await;
    b.wait_text("no VAT number").await;
    assert!(b.text().await.contains("Failed"));

    // Code that does not compile is refused beside the box, on trying and on saving.
    b.type_into("#transformation_code", "function handler(w) { return w; ").await;
    b.click("form button.btn.primary[type=submit]").await;
    b.wait_text("the code does not compile").await;
    assert_eq!(b.find("#transformation_code").await.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    b.check_page("transformation-refused").await;

    b.type_into("#transformation_code", code).await;
    b.click("form button.btn.primary[type=submit]").await;
    b.wait_text("Webhook created successfully").await;
    b.wait_text("On: JavaScript, 7 line(s), run before signing").await;
    app.publish(&org, json!({"type": "order.paid", "payload": {"amount": 42, "currency": "EUR"}})).await;
    let got = rx.next().await;
    assert_eq!((got.json(), got.header("x-shaped")), (json!({"text": "Paid 42 EUR"}), "yes"));
    b.close().await;
}
