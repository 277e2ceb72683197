//! The whole API fuzzed from its own OpenAPI document by schemathesis (from PyPI; the test
//! command installs it), against the real binary on loopback: a few thousand generated
//! requests, valid and invalid, in a bounded run. Every answer must fit the document (status,
//! content type, schema), no answer may be a 5xx, invalid input must be refused, and a
//! request without the token must be refused. Requests the schema allows but the server's
//! stricter rules refuse (a name that is not an event-type name, say) are expected: the
//! document describes shapes, the service layer the rules, so that check is left out.

use std::time::Duration;

use crate::support::{OPERATOR, TestApp};

#[tokio::test]
async fn the_api_holds_under_schemathesis() {
    let app = TestApp::spawn().await;
    app.org().await;
    let auth = format!("Authorization: Bearer {OPERATOR}");
    let run = tokio::process::Command::new("python3")
        .args(["-m", "schemathesis.cli", "run", &format!("{}/api/openapi.json", app.url), "--url", &app.url])
        .args(["-H", &auth, "--checks", "all", "--exclude-checks", "positive_data_acceptance"])
        // One worker: hypothesis (CPython 3.11) can trip over its own threads describing a strategy.
        .args(["--max-examples", "20", "--seed", "17", "--workers", "1", "--no-color"])
        .current_dir(&app.data_dir)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(300), run)
        .await
        .expect("schemathesis ran past 300 s")
        .expect("python3 -m schemathesis.cli (scripts/test installs schemathesis)");
    let text = String::from_utf8_lossy(&out.stdout);
    let tail: String = text.lines().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
    assert!(out.status.success(), "schemathesis found failures:\n{tail}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("passed"), "{tail}");
}
