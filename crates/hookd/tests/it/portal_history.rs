//! The history as a person reads it: event types, filters with visible labels that apply on
//! change (the webhook chosen stays chosen), previous and next pages, and a page that fits a
//! phone.

use serde_json::json;

use crate::portal::signed_in;
use crate::support::{Options, Receiver, TestApp};

/// Chooses `value` in the select `css` as a person would, and waits for the page it loads.
async fn choose(b: &crate::browser::Browser, css: &str, value: &str) {
    b.js(&format!(
        "const s = document.querySelector('{css}'); s.value = '{value}'; s.dispatchEvent(new Event('change')); return true"
    ))
    .await;
    b.find(&format!("{css} option[value='{value}'][selected]")).await;
}

#[tokio::test]
async fn the_history_filters_and_pages_both_ways() {
    let app = TestApp::spawn_with(Options { retry_schedule: "", ..Default::default() }).await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let (mut ok, mut failing) = (Receiver::start().await, Receiver::start().await);
    failing.plan(&[500, 500]);
    app.create_webhook(&org, json!({"name": "Billing", "url": ok.url(), "event_types": ["user.created"]})).await;
    let crm =
        app.create_webhook(&org, json!({"name": "CRM", "url": failing.url(), "event_types": ["user.updated"]})).await;
    app.publish_burst(&org, 60).await;
    for n in 0..2 {
        app.publish(&org, json!({"type": "user.updated", "payload": {"n": n}})).await;
    }
    app.wait_idle().await;
    assert_eq!((ok.try_drain().len(), failing.try_drain().len()), (60, 2));

    b.goto(&format!("{}/portal/history", app.url)).await;
    b.wait_text("Next page").await;
    assert_eq!(b.all("tbody tr").await.len(), 50);
    let first_row = b.find("tbody tr").await.text().await.unwrap();
    let typed = first_row.contains("user.created") || first_row.contains("user.updated");
    assert!(typed && !first_row.contains("evt_"), "types, not IDs: {first_row}");
    assert!(b.all("nav.pager a").await.len() == 1, "no previous page on the first");
    b.click("nav.pager a").await;
    b.wait_text("Previous page").await;
    assert_eq!(b.all("tbody tr").await.len(), 12);
    b.click("nav.pager a").await;
    b.wait_text("Next page").await;
    assert_eq!(b.all("tbody tr").await.len(), 50);
    assert_eq!(b.find("tbody tr").await.text().await.unwrap(), first_row, "back where it began");
    assert_eq!(b.all("nav.pager a").await.len(), 1);

    // Each filter has a label a person sees, and applies as soon as it is chosen.
    for id in ["webhook_id", "event_type", "result", "range", "q"] {
        let shown = b.js(&format!("return document.querySelector(\"label[for='{id}']\").offsetWidth > 0")).await;
        assert_eq!(shown, json!(true), "the label of #{id}");
    }
    choose(&b, "#webhook_id", crm["id"].as_str().unwrap()).await;
    assert_eq!(b.all("tbody tr").await.len(), 2);
    choose(&b, "#result", "5xx").await;
    assert_eq!(b.all("tbody tr").await.len(), 2, "the webhook stays chosen");
    choose(&b, "#result", "2xx").await;
    b.wait_text("No attempt matches these filters.").await;
    choose(&b, "#webhook_id", "").await;
    choose(&b, "#event_type", "user.created").await;
    b.wait_text("Next page").await;
    choose(&b, "#range", "custom").await;
    b.find("label[for=since]").await;
    b.find("label[for=until]").await;
    choose(&b, "#range", "1h").await;
    b.check_page("history-filtered").await;

    // On a phone the filters wrap: nothing makes the page wider than the screen.
    b.c.set_window_size(375, 812).await.unwrap();
    let wide = b.js("return document.documentElement.scrollWidth").await;
    assert!(wide.as_u64().unwrap() <= 375, "the page is {wide} px wide at 375 px");
    // And the result of each attempt is on the screen, not past the table's edge.
    let result = b.js("return document.querySelector('tbody .result').getBoundingClientRect().right").await;
    let edge = b.js("return document.querySelector('.table-wrap').getBoundingClientRect().right").await;
    assert!(result.as_f64() <= edge.as_f64(), "the Result column ends at {result} px, past the table's edge at {edge}");
    b.close().await;
}

/// An attempt's page says which attempt comes next, of how many, and when.
#[tokio::test]
async fn an_attempt_says_which_attempt_comes_next_and_when() {
    let app = TestApp::spawn_with(Options { retry_schedule: "1h", ..Default::default() }).await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let mut rx = Receiver::start().await;
    rx.plan(&[503]);
    let w = app.create_webhook(&org, json!({"name": "Later", "url": rx.url(), "event_types": ["user.created"]})).await;
    app.publish(&org, json!({"type": "user.created", "payload": {"n": 1}})).await;
    rx.next().await;
    let attempts = app.attempts_until(&org, w["id"].as_str().unwrap(), |a| !a.is_empty()).await;
    b.goto(&format!("{}/portal/attempts/{}", app.url, attempts[0]["id"].as_str().unwrap())).await;
    // Due in an hour, give or take the retry's jitter.
    b.wait_text("attempt 2 of 2.").await;
    assert!(b.text().await.contains("Next attempt at "));
    b.close().await;
}

/// The history and events pages show new attempts and events by themselves, without a reload.
#[tokio::test]
async fn history_and_events_update_themselves_while_open() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let rx = Receiver::start().await;
    app.create_webhook(&org, json!({"name": "Live", "url": rx.url(), "event_types": ["user.created"]})).await;
    for page in ["history", "events"] {
        b.goto(&format!("{}/portal/{page}", app.url)).await;
        b.find("#live-status").await;
        let before = b.all("tbody tr").await.len();
        // A reload would forget this.
        b.js("window.stayed = true; return true").await;
        app.publish(&org, json!({"type": "user.created", "payload": {"page": page}})).await;
        let deadline = std::time::Instant::now() + crate::support::WAIT;
        while b.all("tbody tr").await.len() <= before {
            assert!(std::time::Instant::now() < deadline, "the {page} page never showed the new row");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(b.js("return window.stayed === true").await, json!(true), "{page} reloaded instead of updating");
        let said = b.find("#live-status").await.text().await.unwrap();
        assert!(said.starts_with("Updated at"), "{said}");
    }
    b.close().await;
}
