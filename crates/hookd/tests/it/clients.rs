//! The generated clients (clients/): the committed OpenAPI document is the one hookd serves,
//! regenerating reproduces the committed code, and each client, type-checked, runs its
//! end-to-end script against a real `hookd serve` (org, event type, token, webhook to a real
//! receiver, publish, signed delivery verified, attempt in the history, login link).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

use crate::support::{OPERATOR, TestApp};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `cmd` and fails the test with what it printed unless it succeeds.
fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{cmd:?} failed:\n{printed}");
    out
}

/// Writes each `lang` code block of the markdown file `readme` into `dir`, a file each
/// (`readme_N.ext`), for a type checker to read.
fn write_examples(readme: &Path, lang: &str, ext: &str, dir: &Path) {
    let text = std::fs::read_to_string(readme).unwrap();
    let fence = format!("```{lang}\n");
    let blocks = text.split(fence.as_str()).skip(1).map(|b| b.split("```").next().unwrap());
    for (n, block) in blocks.enumerate() {
        std::fs::write(dir.join(format!("readme_{n}.{ext}")), block).unwrap();
    }
}

/// The generators' and clients' tools (a venv, node_modules), set up once for all the tests
/// of this process: they would race installing them.
fn tools() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        run(&mut Command::new(root().join("scripts/client-tools")));
    });
}

#[tokio::test]
async fn the_committed_document_is_the_one_hookd_serves() {
    let app = TestApp::spawn().await;
    let served: Value =
        app.http.get(format!("{}/api/openapi.json", app.url)).send().await.unwrap().json().await.unwrap();
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("clients/openapi.json")).unwrap()).unwrap();
    assert!(served == committed, "clients/openapi.json is not what hookd serves: run scripts/clients and commit");
    // The TypeScript package carries the version the document (and the Python package) does.
    let package: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("clients/typescript/package.json")).unwrap())
            .unwrap();
    assert_eq!(package["version"], served["info"]["version"]);
}

#[test]
fn regenerating_the_clients_reproduces_the_committed_code() {
    tools();
    run(Command::new(root().join("scripts/clients")).arg("--check"));
}

#[tokio::test]
async fn the_python_client_type_checks_and_drives_hookd() {
    tools();
    let venv = root().join("target/clients/venv/bin");
    let cache = root().join("target/clients/mypy-cache");
    // The README's examples too, each block a module of its own.
    let examples = tempfile::tempdir().unwrap();
    write_examples(&root().join("clients/python/README.md"), "python", "py", examples.path());
    let package = root().join("clients/python/hookd_client");
    for target in [package, root().join("clients/tests/python_e2e.py"), examples.path().to_owned()] {
        run(Command::new(venv.join("mypy")).args(["--strict", "--cache-dir"]).arg(&cache).arg(target));
    }
    let app = TestApp::spawn().await;
    let out = run(Command::new(venv.join("python"))
        .arg(root().join("clients/tests/python_e2e.py"))
        .env("HOOKD_URL", &app.url)
        .env("HOOKD_OPERATOR_TOKEN", OPERATOR));
    assert!(String::from_utf8_lossy(&out.stdout).contains("verified, login link issued"));
}

#[tokio::test]
async fn the_typescript_client_type_checks_and_drives_hookd() {
    tools();
    let package = root().join("clients/typescript");
    run(Command::new("npm").current_dir(&package).args(["run", "--silent", "build"]));
    // The README's examples too, in a folder of the package so that `hookd-client` resolves
    // to the package itself.
    let examples = tempfile::Builder::new().prefix(".tmp-readme").tempdir_in(&package).unwrap();
    write_examples(&package.join("README.md"), "ts", "ts", examples.path());
    let config =
        r#"{"extends": "../tsconfig.json", "compilerOptions": {"noEmit": true, "rootDir": ".."}, "include": ["*.ts"]}"#;
    std::fs::write(examples.path().join("tsconfig.json"), config).unwrap();
    run(Command::new(package.join("node_modules/.bin/tsc")).arg("-p").arg(examples.path()));
    let app = TestApp::spawn().await;
    let out = run(Command::new("node")
        .arg(package.join("dist/test/e2e.js"))
        .env("HOOKD_URL", &app.url)
        .env("HOOKD_OPERATOR_TOKEN", OPERATOR));
    assert!(String::from_utf8_lossy(&out.stdout).contains("verified, login link issued"));
}

/// A receiver example (clients/examples) running as a reader of the README would run it.
struct Example(std::process::Child);

impl Drop for Example {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The README's receiver examples in Python and JavaScript verify both signatures of what
/// hookd sends and print the delivery's ID; a forged request gets a 401.
#[tokio::test]
async fn the_receiver_examples_verify_what_hookd_sends() {
    tools();
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let python = root().join("target/clients/venv/bin/python");
    for (program, example) in [(python.as_path(), "receiver.py"), (Path::new("node"), "receiver.mjs")] {
        let port = hookd_testkit::free_port();
        let url = format!("http://127.0.0.1:{port}/hooks");
        let webhook = app
            .create_webhook(&org, serde_json::json!({"name": example, "url": url, "event_types": ["user.created"]}))
            .await;
        let secret = webhook["signing"]["secret"].as_str().unwrap();
        let mut child = Command::new(program)
            .arg(root().join("clients/examples").join(example))
            .env("WEBHOOK_SECRET", secret)
            .env("PORT", port.to_string())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{example}: {e}"));
        let stdout = child.stdout.take().unwrap();
        let _running = Example(child);
        hookd_testkit::wait_listening(port, crate::support::WAIT, example);
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let forged = app
            .http
            .post(&url)
            .header("webhook-id", "msg_forged")
            .header("webhook-timestamp", now.to_string())
            .header("webhook-signature", "v1,bm90IGEgc2lnbmF0dXJl")
            .header("x-hub-signature-256", "sha256=00")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 401, "{example}");
        let accepted = app.publish(&org, serde_json::json!({"type": "user.created", "payload": {"id": 7}})).await;
        let delivery = accepted["deliveries"][0].as_str().unwrap().to_owned();
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).map(|_| line)
        });
        let line =
            tokio::time::timeout(crate::support::WAIT, line).await.expect("the example printed").unwrap().unwrap();
        assert_eq!(line.trim(), format!("verified {delivery} user.created"), "{example}");
        // The next example's event goes to its own webhook only.
        let path = format!("/orgs/{}/webhooks/{}", org.id, webhook["id"].as_str().unwrap());
        assert_eq!(app.call("DELETE", &path, &org.token, None).await.0, 204);
    }
}
