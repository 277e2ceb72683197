//! The events pages as a person uses them: the org's events with what became of each, the
//! filters that apply on change, one event's payload and its deliveries, re-send.

use serde_json::json;

use crate::portal::signed_in;
use crate::support::{Options, Receiver, TestApp};

#[tokio::test]
async fn a_member_follows_an_event_to_every_webhook_it_went_to() {
    // One attempt a delivery: a failure is final at once.
    let app = TestApp::spawn_with(Options { retry_schedule: "", ..Default::default() }).await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let (mut ok, mut failing) = (Receiver::start().await, Receiver::start().await);
    failing.plan(&[500, 500]);
    app.create_webhook(&org, json!({"name": "Billing", "url": ok.url(), "event_types": ["user.created"]})).await;
    app.create_webhook(&org, json!({"name": "CRM", "url": failing.url(), "event_types": ["user.created"]})).await;
    let first = app.publish(&org, json!({"type": "user.created", "payload": {"name": "Ada"}})).await;
    app.publish(&org, json!({"type": "user.created", "payload": {"name": "Grace"}})).await;
    app.publish(&org, json!({"type": "user.updated", "payload": {"name": "Ada L."}})).await;
    app.wait_idle().await;
    assert_eq!((ok.try_drain().len(), failing.try_drain().len()), (2, 2));

    b.goto(&format!("{}/portal/webhooks", app.url)).await;
    b.click("nav.main a[href='/portal/events']").await;
    b.wait_text("Everything").await;
    let rows = b.all("tbody tr").await;
    assert_eq!(rows.len(), 3);
    let newest = rows[0].text().await.unwrap();
    assert!(newest.contains("user.updated") && newest.contains("No webhook wanted it"), "{newest}");
    let oldest = rows[2].text().await.unwrap();
    assert!(oldest.contains("1 succeeded") && oldest.contains("1 failed"), "{oldest}");
    b.check_page("events").await;

    // Choosing a type applies it at once.
    b.js("const s = document.querySelector('#type'); s.value = 'user.updated'; s.dispatchEvent(new Event('change')); return true").await;
    b.find("#type option[value='user.updated'][selected]").await;
    assert_eq!(b.all("tbody tr").await.len(), 1);
    b.js("const s = document.querySelector('#type'); s.value = ''; s.dispatchEvent(new Event('change')); return true")
        .await;
    b.find("#type option[value=''][selected]").await;

    // The oldest event: its payload, and both webhooks with their attempts.
    let id = first["id"].as_str().unwrap();
    b.click(&format!("a[href='/portal/events/{id}']")).await;
    b.wait_text("Payload").await;
    let payload = b.find("pre.body").await.text().await.unwrap();
    assert!(payload.contains("\"name\": \"Ada\""), "{payload}");
    let page = b.text().await;
    assert!(page.contains("Billing") && page.contains("CRM"), "{page}");
    assert!(page.contains("succeeded") && page.contains("failed") && page.contains("500"), "{page}");
    b.check_page("event").await;

    // Re-sending the failed delivery: the page comes back saying so, and the receiver gets it.
    b.click("button[aria-label='Re-send to CRM']").await;
    b.wait_text("Delivery re-sent").await;
    assert_eq!(b.path().await, format!("/portal/events/{id}"));
    let again = failing.next().await;
    assert_eq!(again.json()["payload"]["name"], "Ada");
    b.close().await;
}
