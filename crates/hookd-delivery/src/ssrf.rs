//! The SSRF guard: outbound connections go only to public addresses, checked after DNS
//! resolution, unless the operator allows private targets (local development, tests).

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::dns::Name;

/// Whether a connection to `ip` is allowed when private targets are not.
pub fn is_allowed(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_allowed(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return v4_allowed(v4);
            }
            v6_allowed(v6)
        }
    }
}

fn v4_allowed(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, which holds the cloud metadata address
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || o[0] == 0
        || (o[0] == 100 && (64..128).contains(&o[1])) // CGNAT 100.64/10
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (18..20).contains(&o[1])) // benchmarking
        || o[0] >= 240)
}

fn v6_allowed(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = embedded_v4(ip)
        && !v4_allowed(v4)
    {
        return false;
    }
    if let Some((server, client)) = teredo(ip)
        && !(v4_allowed(server) && v4_allowed(client))
    {
        return false;
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated, still routed in places)
        || (s[0] == 0x64 && s[1] == 0xff9b) // NAT64 (and its local-use /48), which reach IPv4 space
        || (s[0] == 0x100 && s[1..4] == [0; 3]) // discard-only 100::/64
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x2001 && s[1] == 0x0002 && s[2] == 0) // benchmarking 2001:2::/48
        || (s[0] == 0x2001 && (s[1] & 0xfff0) == 0x0010) // ORCHID 2001:10::/28
        || (s[0] == 0x2001 && (s[1] & 0xfff0) == 0x0020)) // ORCHIDv2 2001:20::/28
}

/// The IPv4 address that an IPv6 form carries, for the forms that a host or a relay turns
/// back into IPv4: IPv4-compatible `::a.b.c.d`, IPv4-translated `::ffff:0:a.b.c.d`, 6to4
/// `2002:AABB:CCDD::/48` and ISATAP interface IDs `…:0:5efe:a.b.c.d` / `…:200:5efe:a.b.c.d`.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if s[0..6] == [0; 6] && !(s[6] == 0 && s[7] <= 1) {
        return Some(low); // IPv4-compatible (:: and ::1 are themselves)
    }
    if s[0..4] == [0; 4] && s[4] == 0xffff && s[5] == 0 {
        return Some(low); // IPv4-translated
    }
    if s[0] == 0x2002 {
        return Some(Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8));
    }
    if (s[4] & 0xfdff) == 0 && s[5] == 0x5efe {
        return Some(low); // ISATAP
    }
    None
}

/// Teredo `2001:0::/32`: the server's IPv4 in plain, the client's inverted in the last 32 bits.
fn teredo(ip: Ipv6Addr) -> Option<(Ipv4Addr, Ipv4Addr)> {
    let s = ip.segments();
    if s[0] != 0x2001 || s[1] != 0 {
        return None;
    }
    let server = Ipv4Addr::new((s[2] >> 8) as u8, s[2] as u8, (s[3] >> 8) as u8, s[3] as u8);
    let (a, b) = (!s[6], !s[7]);
    Some((server, Ipv4Addr::new((a >> 8) as u8, a as u8, (b >> 8) as u8, b as u8)))
}

/// Raised by the resolver, and found again in the error chain to name the failure `ssrf`.
#[derive(Debug, thiserror::Error)]
#[error("refused to connect to {host} ({ip}): private, loopback, link-local or metadata address")]
pub struct SsrfRefused {
    pub host: String,
    pub ip: IpAddr,
}

/// A resolver that drops every forbidden address and refuses names that have no other.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    allow_private: bool,
}

impl GuardedResolver {
    pub fn new(allow_private: bool) -> Self {
        Self { allow_private }
    }
}

type Resolved = Result<std::vec::IntoIter<SocketAddr>, Box<dyn std::error::Error + Send + Sync>>;

impl tower_service::Service<Name> for GuardedResolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = Box<dyn std::error::Error + Send + Sync>;
    type Future = Pin<Box<dyn Future<Output = Resolved> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if allow_private {
                return Ok(addrs.into_iter());
            }
            let allowed: Vec<SocketAddr> = addrs.iter().copied().filter(|a| is_allowed(a.ip())).collect();
            if allowed.is_empty()
                && let Some(first) = addrs.first()
            {
                return Err(Box::new(SsrfRefused { host, ip: first.ip() }) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(allowed.into_iter())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> bool {
        is_allowed(s.parse().unwrap())
    }

    #[test]
    fn private_ranges_are_refused() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::",
            "2002:a00:1::1",
            "2002:a9fe:a9fe::1",
            "2001:0:4136:e378:8000:63bf:80ff:fffe", // Teredo, client 127.0.0.1
            "2001:0:a00:1:8000:63bf:3fff:fdd2",     // Teredo, server 10.0.0.1
            "::127.0.0.1",
            "::ffff:0:127.0.0.1",
            "::ffff:0:a00:1",
            "2606:4700::5efe:7f00:1", // ISATAP carrying 127.0.0.1
            "2606:4700::200:5efe:a00:1",
            "fec0::1",
            "100::1",
            "2001:2::1",
            "2001:10::1",
        ] {
            assert!(!ok(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for good in [
            "93.184.216.34",
            "8.8.8.8",
            "100.128.0.1",
            "172.32.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "2002:808:808::1",
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
            "2606:4700::5efe:808:808",
        ] {
            assert!(ok(good), "{good} should be allowed");
        }
    }
}
