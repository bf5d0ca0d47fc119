//! Who is on the other end of a request: the address the per-IP sign-in limit counts and the
//! consent record keeps.
//!
//! Behind a reverse proxy (nginx, Caddy, a load balancer) every connection comes from the
//! proxy, so one address would carry everyone's failed sign-ins and lock the whole public
//! out. The proxy names the real client in `X-Forwarded-For`; but anyone can send that
//! header, so it is believed only from the proxies the operator lists
//! (`VENTANILLA_TRUSTED_PROXIES`), read right to left: the first address that is not one of
//! them is the client (the leftmost entries are whatever the client chose to send).

use std::net::{IpAddr, SocketAddr};

/// The client's address, put in the request's extensions by the server before any handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// The client behind a connection from `peer` that carried `forwarded_for`, trusting only
/// `trusted` proxies.
pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(chain) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for hop in chain.rsplit(',') {
        match parse_hop(hop) {
            Some(address) if trusted.contains(&address) => client = address,
            Some(address) => return address,
            // A garbled entry: nothing to its left can be believed.
            None => return client,
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, possibly with a port or IPv6 brackets.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse().ok())
        })
}

/// `VENTANILLA_TRUSTED_PROXIES`: addresses separated by commas; an entry that is not an
/// address is an error, so a typo does not silently trust nobody (or the wrong host).
pub fn parse_trusted(list: &str) -> Result<Vec<IpAddr>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry.parse::<IpAddr>().map_err(|_| {
                format!("VENTANILLA_TRUSTED_PROXIES: «{entry}» no es una dirección IP")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_header_is_believed_only_from_a_trusted_proxy() {
        let proxy = ip("10.0.0.2");
        let trusted = [proxy];
        // Straight from the internet: the header is the client's own invention.
        assert_eq!(
            resolve(ip("203.0.113.9"), Some("198.51.100.1"), &trusted),
            ip("203.0.113.9")
        );
        // Through the proxy: the address it appended.
        assert_eq!(
            resolve(proxy, Some("198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        // A client that sends its own header through the proxy cannot choose its address:
        // the proxy appended the real one last.
        assert_eq!(
            resolve(proxy, Some("1.2.3.4, 198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        // Two proxies in a row, ports and brackets.
        let trusted = [proxy, ip("10.0.0.3")];
        assert_eq!(
            resolve(proxy, Some("198.51.100.7:5123, 10.0.0.3"), &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            resolve(proxy, Some("[2001:db8::1]"), &trusted),
            ip("2001:db8::1")
        );
        // No header, or garbage: the nearest address known to be real.
        assert_eq!(resolve(proxy, None, &trusted), proxy);
        assert_eq!(resolve(proxy, Some("no-es-ip"), &trusted), proxy);
        // Nobody trusted (the default): always the peer.
        assert_eq!(resolve(proxy, Some("198.51.100.7"), &[]), proxy);
    }

    #[test]
    fn the_trusted_list_is_strict() {
        assert_eq!(
            parse_trusted(" 10.0.0.2, ::1 ,"),
            Ok(vec![ip("10.0.0.2"), ip("::1")])
        );
        assert_eq!(parse_trusted(""), Ok(vec![]));
        assert!(parse_trusted("10.0.0.2, proxy.local").is_err());
    }
}
