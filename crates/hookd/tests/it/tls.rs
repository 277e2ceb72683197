//! Webhooks to HTTPS receivers: certificates verified unless the webhook says not to, and
//! mTLS client certificates presented. The certificates in `tls/` are throwaway test ones
//! (a CA, a server certificate for 127.0.0.1 and a client certificate it signed).

use std::sync::Arc;

use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::support::{TestApp, WAIT};

const CA: &str = include_str!("tls/ca.pem");
const SERVER_CERT: &str = include_str!("tls/server.pem");
const SERVER_KEY: &str = include_str!("tls/server.key");
const CLIENT_CERT: &str = include_str!("tls/client.pem");
const CLIENT_KEY: &str = include_str!("tls/client.key");

/// An HTTPS receiver on 127.0.0.1 whose certificate no public root signed; with
/// `client_auth`, it completes only handshakes that present a certificate its CA signed.
/// Says, for every request, whether the sender presented a client certificate.
async fn tls_receiver(client_auth: bool) -> (u16, mpsc::UnboundedReceiver<bool>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs = vec![CertificateDer::from_pem_slice(SERVER_CERT.as_bytes()).expect("server cert")];
    let key = PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).expect("server key");
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("versions");
    let config = if client_auth {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(CertificateDer::from_pem_slice(CA.as_bytes()).expect("ca")).expect("root");
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .expect("verifier");
        builder.with_client_cert_verifier(verifier).with_single_cert(certs, key)
    } else {
        builder.with_no_client_auth().with_single_cert(certs, key)
    }
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, tx) = (acceptor.clone(), tx.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else { return };
                let presented = tls.get_ref().1.peer_certificates().is_some_and(|c| !c.is_empty());
                let service = hyper::service::service_fn(move |_req: hyper::Request<hyper::body::Incoming>| {
                    let _ = tx.send(presented);
                    async {
                        Ok::<_, std::convert::Infallible>(hyper::Response::new(http_body_util::Full::new(
                            bytes::Bytes::from_static(b"ok"),
                        )))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tls), service).await;
            });
        }
    });
    (port, rx)
}

async fn first_attempt(app: &TestApp, org: &crate::support::Org, webhook: &Value) -> Value {
    let id = webhook["id"].as_str().expect("webhook id");
    app.attempts_until(org, id, |a| !a.is_empty()).await.remove(0)
}

#[tokio::test]
async fn certificates_are_verified_unless_the_webhook_turns_that_off() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let (port, mut rx) = tls_receiver(false).await;
    let url = format!("https://127.0.0.1:{port}/hook");
    let verified =
        app.create_webhook(&org, json!({"name": "verified", "url": url, "event_types": ["user.created"]})).await;
    let trusting = app
        .create_webhook(
            &org,
            json!({"name": "trusting", "url": url, "event_types": ["user.created"], "options": {"verify_tls": false}}),
        )
        .await;
    app.publish(&org, json!({"type": "user.created", "payload": {"id": 1}})).await;

    let refused = first_attempt(&app, &org, &verified).await;
    assert_eq!(refused["error"]["kind"], "tls", "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap_or("").contains("certificate"), "{refused}");
    assert!(refused["response_status"].is_null());

    let sent = first_attempt(&app, &org, &trusting).await;
    assert_eq!(sent["response_status"], 200, "{sent}");
    assert_eq!(tokio::time::timeout(WAIT, rx.recv()).await.expect("a request in time"), Some(false));
}

#[tokio::test]
async fn mtls_webhooks_present_their_client_certificate() {
    let app = TestApp::spawn().await;
    let org = app.org().await;
    let (port, mut rx) = tls_receiver(true).await;
    let url = format!("https://127.0.0.1:{port}/hook");
    let options = json!({"verify_tls": false});
    let mtls = app
        .create_webhook(
            &org,
            json!({"name": "mtls", "url": url, "event_types": ["user.created"], "options": options,
                   "auth": {"type": "mtls", "cert_pem": CLIENT_CERT, "key_pem": CLIENT_KEY}}),
        )
        .await;
    let anonymous = app
        .create_webhook(
            &org,
            json!({"name": "anonymous", "url": url, "event_types": ["user.created"], "options": options}),
        )
        .await;
    app.publish(&org, json!({"type": "user.created", "payload": {"id": 1}})).await;

    let sent = first_attempt(&app, &org, &mtls).await;
    assert_eq!(sent["response_status"], 200, "{sent}");
    assert_eq!(tokio::time::timeout(WAIT, rx.recv()).await.expect("a request in time"), Some(true));
    // The key is a secret: the history shows the method, never the key.
    let shown = sent["request_headers"].to_string();
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");

    let refused = first_attempt(&app, &org, &anonymous).await;
    assert!(refused["response_status"].is_null(), "{refused}");
    assert!(refused["error"]["kind"].is_string(), "{refused}");
}
