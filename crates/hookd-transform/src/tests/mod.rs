use super::*;

fn webhook_run(code: &str) -> Result<Outcome, TransformError> {
    let payload = RawValue::from_string(r#"{"type":"order.paid","data":{"amount":120}}"#.into()).unwrap();
    let headers = BTreeMap::from([("x-team".to_owned(), "billing".to_owned())]);
    let w = Webhook {
        method: "POST",
        url: "https://a.example/hook",
        payload: &payload,
        event_type: "order.paid",
        headers: &headers,
    };
    run(code, &w, &Limits::DEFAULT)
}

fn sent(code: &str) -> Shaped {
    match webhook_run(code) {
        Ok(Outcome::Send(s)) => s,
        other => panic!("{code}: {other:?}"),
    }
}

#[test]
fn the_handler_changes_payload_url_and_headers() {
    let s = sent(
        "function handler(webhook) {
           webhook.payload = {text: `Paid: ${webhook.payload.data.amount} (${webhook.eventType})`};
           webhook.url = webhook.url + '?slack=1';
           webhook.headers['x-extra'] = webhook.method;
           return webhook;
         }",
    );
    assert_eq!(s.url, "https://a.example/hook?slack=1");
    assert_eq!(s.payload, r#"{"text":"Paid: 120 (order.paid)"}"#);
    assert_eq!(s.headers.get("x-extra").map(String::as_str), Some("POST"));
    assert_eq!(s.headers.get("x-team").map(String::as_str), Some("billing"));
    let same = sent("function handler(w) { return w; }");
    assert_eq!(same.payload, r#"{"type":"order.paid","data":{"amount":120}}"#);
}

#[test]
fn cancel_sends_nothing() {
    let code = "function handler(w) { if (w.payload.data.amount > 100) w.cancel = true; return w; }";
    assert_eq!(webhook_run(code), Ok(Outcome::Cancel));
}

#[test]
fn nothing_is_kept_between_runs() {
    let code = "var n = (typeof n === 'number' ? n : 0) + 1; globalThis.seen = (globalThis.seen || 0) + 1;
                function handler(w) { w.payload = {n: n, seen: seen}; return w; }";
    for _ in 0..3 {
        assert_eq!(sent(code).payload, r#"{"n":1,"seen":1}"#);
    }
}

#[test]
fn hostile_scripts_are_stopped_with_a_reason() {
    let limits = Limits::DEFAULT;
    for (code, want) in [
        ("function handler(w) { while (true) {} }", TransformError::TimedOut(100)),
        ("while (true) {} function handler(w) { return w; }", TransformError::TimedOut(100)),
        ("function handler(w) { return /(a+)+$/.test('a'.repeat(40) + 'b'); }", TransformError::TimedOut(100)),
        (
            "function handler(w) { const a = []; while (true) a.push('x'.repeat(64) + a.length); }",
            TransformError::OutOfMemory(16),
        ),
        ("function handler(w) { return new Array(1e9).fill(0); }", TransformError::OutOfMemory(16)),
    ] {
        let started = Instant::now();
        assert_eq!(webhook_run(code), Err(want.clone()), "{code}");
        assert!(started.elapsed() < limits.time * 5, "{code} took {:?}", started.elapsed());
    }
    for (code, says) in [
        ("function handler(w) { throw new Error('no VAT number'); }", "no VAT number"),
        ("function handler(w) { throw null; }", "null"),
        ("function handler(w) { let s = 'xx'; for (;;) s = s + s; }", "string too long"),
        ("function handler(w) { return require('fs'); }", "require is not defined"),
        ("function handler(w) { return process.env; }", "process is not defined"),
        ("function handler(w) { return fetch('http://127.0.0.1/'); }", "fetch is not defined"),
        ("function handler(w) { function f(n) { return f(n + 1) + 1; } return f(0); }", "stack"),
    ] {
        match webhook_run(code) {
            Err(TransformError::Threw(m)) => assert!(m.contains(says), "{code}: {m}"),
            other => panic!("{code}: {other:?}"),
        }
    }
    // Things that go no further than the sandbox: nothing there to reach.
    let s = sent(
        "function handler(w) { w.payload = [typeof require, typeof process, typeof fetch, typeof std, typeof os,
           typeof XMLHttpRequest, typeof setTimeout]; return w; }",
    );
    assert_eq!(s.payload, r#"["undefined","undefined","undefined","undefined","undefined","undefined","undefined"]"#);
    assert!(matches!(webhook_run("function handler(w) { return import('os'); }"), Err(TransformError::BadResult(_))));
}

#[test]
fn bad_code_and_bad_results_say_what_is_wrong() {
    for code in ["function handler( {", "import * as os from 'os'; function handler(w) { return w; }"] {
        assert!(matches!(check(code, &Limits::DEFAULT), Err(TransformError::Compile(_))), "{code}");
    }
    assert_eq!(check("function handle(w) { return w; }", &Limits::DEFAULT), Err(TransformError::NoHandler));
    assert_eq!(check("const handler = (w) => w;", &Limits::DEFAULT), Ok(()));
    for (code, says) in [
        ("function handler(w) { }", "nothing"),
        ("function handler(w) { return 3; }", "3, not the webhook object"),
        ("function handler(w) { delete w.url; return w; }", "no `url`"),
        ("function handler(w) { w.headers.n = 3; return w; }", "header `n` as 3"),
        ("function handler(w) { w.method = 'GET'; return w; }", "POST only"),
    ] {
        match webhook_run(code) {
            Err(TransformError::BadResult(m)) => assert!(m.contains(says), "{code}: {m}"),
            other => panic!("{code}: {other:?}"),
        }
    }
}
