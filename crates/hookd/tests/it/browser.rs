//! Real headless Chromium for the portal tests, driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`, which `scripts/test` installs when missing), with axe-core for
//! accessibility and a screenshot of every page looked at.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

pub struct Browser {
    pub c: Client,
    driver: Child,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A program from Debian's packages, which `./scripts/test` installs.
pub fn binary(name: &str) -> String {
    ["/usr/bin", "/usr/local/bin", "/usr/lib/chromium"]
        .iter()
        .map(|d| format!("{d}/{name}"))
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or_else(|| panic!("{name} is missing: run ./scripts/test, which installs it from Debian's packages"))
}

impl Browser {
    /// A running chromedriver and its port. The free port it is given can be taken by another
    /// process before it binds (the tests start many servers at once): then it exits, and
    /// another port is tried.
    async fn driver() -> (std::process::Child, u16) {
        for _ in 0..5 {
            let port = free_port();
            let mut driver = Command::new(binary("chromedriver"))
                .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver");
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return (driver, port);
                }
                if driver.try_wait().expect("chromedriver status").is_some() {
                    break;
                }
                assert!(Instant::now() < deadline, "chromedriver did not start");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("chromedriver exited at once five times: every port it was given was taken");
    }

    pub async fn start() -> Self {
        let (driver, port) = Self::driver().await;
        let profile = tempfile::tempdir().expect("profile dir").keep();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": binary("chromium"),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,900", "--lang=en-US",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        // chromedriver speaks plain HTTP on loopback: no TLS stack needed.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let c = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("connect to chromedriver");
        Self { c, driver }
    }

    pub async fn goto(&self, url: &str) {
        self.c.goto(url).await.expect("navigate");
    }

    pub async fn path(&self) -> String {
        self.c.current_url().await.expect("url").path().to_owned()
    }

    /// The element, once it is there.
    pub async fn find(&self, css: &str) -> Element {
        self.c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.c.find_all(Locator::Css(css)).await.expect("find_all")
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.clear().await.expect("clear");
        e.send_keys(text).await.expect("type");
    }

    /// The page's visible text (read again if the page was being replaced meanwhile).
    pub async fn text(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(body) = self.c.find(Locator::Css("body")).await
                && let Ok(text) = body.text().await
            {
                return text;
            }
            assert!(Instant::now() < deadline, "the page never settled");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page's text contains `needle`.
    pub async fn wait_text(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let t = self.text().await;
            if t.contains(needle) {
                return;
            }
            assert!(Instant::now() < deadline, "the page never said {needle:?}; it says:\n{t}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn js(&self, script: &str) -> Value {
        self.c.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// The page in a theme (`light` or `dark`), as the theme switch leaves it.
    pub async fn theme(&self, theme: &str) {
        self.js(&format!("localStorage.setItem('hookd-theme','{theme}'); document.documentElement.setAttribute('data-theme','{theme}'); return true")).await;
    }

    /// Serious and critical axe-core violations of the page as it is now.
    pub async fn axe(&self) -> Vec<String> {
        self.js(&format!("{AXE}\n;return true")).await;
        let found = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
                   .filter(v => v.impact === 'serious' || v.impact === 'critical')
                   .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))));",
                vec![],
            )
            .await
            .expect("axe");
        found.as_array().map(|a| a.iter().map(|v| v.as_str().unwrap_or("").to_owned()).collect()).unwrap_or_default()
    }

    /// Saves a screenshot as `target/screenshots/NAME.png` (to be looked at).
    pub async fn shot(&self, name: &str) {
        let png = self.c.screenshot().await.expect("screenshot");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Every check a page gets: no serious accessibility violation in either theme, and a
    /// screenshot in light, dark and 375 px wide.
    pub async fn check_page(&self, name: &str) {
        for theme in ["light", "dark"] {
            self.theme(theme).await;
            let v = self.axe().await;
            assert!(v.is_empty(), "{name} in the {theme} theme: {v:#?}");
            self.shot(&format!("{name}-{theme}")).await;
        }
        self.c.set_window_size(375, 812).await.expect("narrow");
        self.theme("light").await;
        let v = self.axe().await;
        assert!(v.is_empty(), "{name} at 375 px: {v:#?}");
        self.shot(&format!("{name}-375")).await;
        self.c.set_window_size(1280, 900).await.expect("wide");
    }

    pub async fn close(mut self) {
        let _ = self.c.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
