//! AWS Signature Version 4 over the whole request, for receivers behind API Gateway & co.

use hookd_core::signing::{hmac_sha256, hmac_sha256_hex};
use sha2::{Digest, Sha256};
use url::Url;

pub struct Aws4<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub region: &'a str,
    pub service: &'a str,
    /// Signed for (and sent as `Host`) instead of the URL's host.
    pub endpoint: Option<&'a str>,
    /// `POST`, or `PUT` for S3's objects.
    pub method: &'a str,
    /// More headers to sign and send, lower-case: `x-amz-target` of AWS's JSON protocols,
    /// S3's `x-amz-meta-*`.
    pub extra: &'a [(String, String)],
}

/// `host[:port]` of a URL, as a `Host` header says it.
fn host_of(url: &Url) -> String {
    match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    }
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The headers that sign a POST of `body` with `content_type` to `url` at `now`.
pub fn sign(
    k: &Aws4<'_>,
    url: &Url,
    content_type: &str,
    body: &[u8],
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<(String, String)> {
    let amz_date = now.format("%Y%m%dT%H%M%SZ").to_string();
    let date = now.format("%Y%m%d").to_string();
    let endpoint = k.endpoint.and_then(|e| Url::parse(e).ok());
    let host = host_of(endpoint.as_ref().unwrap_or(url));
    let payload_hash = hex::encode(Sha256::digest(body));
    let mut query: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (encode(&k), encode(&v))).collect();
    query.sort();
    let canonical_query = query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let path = if url.path().is_empty() { "/" } else { url.path() };
    let mut signed: Vec<(&str, &str)> = vec![
        ("content-type", content_type),
        ("host", &host),
        ("x-amz-content-sha256", &payload_hash),
        ("x-amz-date", &amz_date),
    ];
    signed.extend(k.extra.iter().map(|(n, v)| (n.as_str(), v.trim())));
    signed.sort();
    let canonical_headers: String = signed.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed_headers = signed.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(";");
    let canonical_request =
        format!("{}\n{path}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}", k.method);
    let scope = format!("{date}/{}/{}/aws4_request", k.region, k.service);
    let string_to_sign =
        format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", hex::encode(Sha256::digest(canonical_request.as_bytes())));
    let k_date = hmac_sha256(format!("AWS4{}", k.secret_key).as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, k.region.as_bytes());
    let k_service = hmac_sha256(&k_region, k.service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"aws4_request");
    let signature = hmac_sha256_hex(&k_signing, string_to_sign.as_bytes());
    let mut headers = vec![
        ("x-amz-date".into(), amz_date),
        ("x-amz-content-sha256".into(), payload_hash),
        (
            "authorization".into(),
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
                k.access_key
            ),
        ),
    ];
    if endpoint.is_some() {
        headers.push(("host".into(), host));
    }
    headers.extend(k.extra.iter().cloned());
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_deterministic_and_scoped() {
        let k = Aws4 {
            access_key: "AKIDEXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            service: "execute-api",
            endpoint: None,
            method: "POST",
            extra: &[],
        };
        let url = Url::parse("https://example.amazonaws.com/prod/hook?b=2&a=1").unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2015-08-30T12:36:00Z").unwrap().to_utc();
        let a = sign(&k, &url, "application/json", b"{}", now);
        let b = sign(&k, &url, "application/json", b"{}", now);
        assert_eq!(a, b);
        assert_eq!(a[0].1, "20150830T123600Z");
        assert!(
            a[2].1.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, ")
        );
        let c = sign(&k, &url, "application/json", b"{\"x\":1}", now);
        assert_ne!(a[2], c[2]);
        assert_eq!(a.len(), 3, "no Host of its own without an endpoint");
    }

    #[test]
    fn a_base_endpoint_is_signed_for_and_sent_as_host() {
        let k = Aws4 {
            access_key: "AKIDEXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            service: "execute-api",
            endpoint: Some("https://abc123.execute-api.us-east-1.amazonaws.com"),
            method: "POST",
            extra: &[],
        };
        let via = Url::parse("https://vpce-0a1b.execute-api.us-east-1.vpce.amazonaws.com/prod/hook").unwrap();
        let direct = Url::parse("https://abc123.execute-api.us-east-1.amazonaws.com/prod/hook").unwrap();
        let now = chrono::Utc::now();
        let signed = sign(&k, &via, "application/json", b"{}", now);
        let plain = Aws4 { endpoint: None, ..k };
        assert_eq!(signed[..3], sign(&plain, &direct, "application/json", b"{}", now)[..]);
        assert_eq!(signed[3], ("host".to_owned(), "abc123.execute-api.us-east-1.amazonaws.com".to_owned()));
    }
}
