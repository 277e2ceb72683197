//! The portal's health views, as a person reads them: the webhooks list's success column with
//! its sparkline, and the webhook page's charts, figures and window switch.

use serde_json::json;

use crate::portal::signed_in;
use crate::support::{Receiver, TestApp};

#[tokio::test]
async fn the_portal_shows_how_each_webhook_is_doing() {
    let app = TestApp::spawn().await;
    let (b, org, _) = signed_in(&app, "admin").await;
    let mut rx = Receiver::start().await;
    rx.plan(&[500, 503]);
    let w =
        app.create_webhook(&org, json!({"name": "Billing", "url": rx.url(), "event_types": ["user.created"]})).await;
    app.create_webhook(&org, json!({"name": "Quiet", "url": rx.url(), "event_types": ["user.updated"]})).await;
    let long = json!({
        "name": "Customer relationship management synchronisation for the European accounts",
        "url": format!("{}/webhooks/incoming/customer-relationship-management/europe?tenant=acme-holdings", rx.url()),
        "event_types": ["user.updated"],
    });
    app.create_webhook(&org, long).await;
    for n in 0..8 {
        app.publish(&org, json!({"type": "user.created", "payload": {"n": n}})).await;
    }
    app.wait_idle().await;
    assert_eq!(rx.try_drain().len(), 10, "eight deliveries, two of them retried once");

    b.goto(&format!("{}/portal/webhooks", app.url)).await;
    b.wait_text("Success (24 h)").await;
    let rows = b.all("tbody tr").await;
    let mut texts = vec![];
    for r in &rows {
        texts.push(r.text().await.unwrap());
    }
    let billing = texts.iter().find(|t| t.contains("Billing")).expect("the Billing row");
    assert!(billing.contains("80%"), "eight of ten attempts succeeded: {billing}");
    let quiet = texts.iter().find(|t| t.contains("Quiet")).expect("the Quiet row");
    assert!(quiet.contains('—'), "nothing was sent to it: {quiet}");
    let spark = b.find("svg.spark").await.attr("aria-label").await.unwrap().unwrap();
    assert_eq!(spark, "Last 24h: 10 attempts, 80% succeeded");
    // The table fits a 1280 px window, long names and URLs included, the copy button unclipped.
    let fits = b.js("const t = document.querySelector('.table-wrap'); return t.scrollWidth <= t.clientWidth").await;
    assert_eq!(fits, json!(true), "the webhooks table scrolls sideways at 1280 px");
    let copy_visible = b
        .js("const c = document.querySelector('.url-cell .icon-btn').getBoundingClientRect();
             const cell = document.querySelector('.url-cell').closest('td').getBoundingClientRect();
             return c.width > 0 && c.right <= cell.right")
        .await;
    assert_eq!(copy_visible, json!(true), "the copy-ID button is clipped");
    b.check_page("webhooks-health").await;
    // On a phone the success and the state of each webhook are on the screen.
    b.c.set_window_size(375, 812).await.unwrap();
    let edge = b.js("return document.querySelector('.table-wrap').getBoundingClientRect().right").await;
    for css in ["tbody .rate", "tbody .switch"] {
        let right = b.js(&format!("return document.querySelector('{css}').getBoundingClientRect().right")).await;
        assert!(right.as_f64() <= edge.as_f64(), "{css} ends at {right} px, past the table's edge at {edge} px");
    }
    b.c.set_window_size(1280, 900).await.unwrap();

    let id = w["id"].as_str().unwrap();
    b.goto(&format!("{}/portal/webhooks/{id}", app.url)).await;
    b.wait_text("Health").await;
    let figures = b.find("dl.figures").await.text().await.unwrap();
    assert!(figures.contains("80%") && figures.contains("10"), "{figures}");
    let chart = b.find("svg.chart title").await.prop("textContent").await.unwrap().unwrap();
    assert!(chart.contains("8 succeeded, 2 failed"), "{chart}");
    let meta = b.find("section.health dl.meta").await.text().await.unwrap();
    assert!(meta.contains("2xx: 8") && meta.contains("5xx: 2") && meta.contains("none waiting"), "{meta}");
    b.click("section.health details summary").await;
    let table = b.find("section.health details table").await.text().await.unwrap();
    assert!(table.contains("10") && table.contains("ms"), "{table}");
    b.check_page("webhook-health").await;
    // Each window says what it covers, without a script.
    for window in ["1h", "7d", "30d"] {
        b.click(&format!("nav.seg a[href$='window={window}#health']")).await;
        b.wait_text(&format!("Over the last {window},")).await;
        let current = b.find("nav.seg a[aria-current=true]").await.text().await.unwrap();
        assert_eq!(current, window);
        let chart = b.find("svg.chart title").await.prop("textContent").await.unwrap().unwrap();
        assert!(chart.contains("8 succeeded, 2 failed"), "{window}: {chart}");
    }
    b.check_page("webhook-health-30d").await;
    b.close().await;
}
