//! IP address literals as Elasticsearch reads and prints them.
//!
//! Parsing follows `InetAddresses.forString` (Elasticsearch's copy of
//! Guava's): dotted quads of exactly four decimal parts without leading
//! zeros, IPv6 with at most one `::` and an optional trailing dotted quad,
//! an optional `%scope` on IPv6. IPv4-mapped IPv6 addresses become IPv4, as
//! Java's `InetAddress.getByAddress` does.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A text that is not an IP address literal; its message is
/// `InetAddresses.forString`'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAnIpLiteral(pub String);

impl std::fmt::Display for NotAnIpLiteral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}' is not an IP string literal.", self.0)
    }
}

impl std::error::Error for NotAnIpLiteral {}

/// Parses an IP literal, failing with `'<text>' is not an IP string literal.`
pub fn parse_ip_literal(text: &str) -> Result<IpAddr, NotAnIpLiteral> {
    parse(text).ok_or_else(|| NotAnIpLiteral(text.to_owned()))
}

/// Elasticsearch's `NetworkAddress.format`: IPv4 dotted, IPv6 in the
/// RFC 5952 short form (the longest run of two or more zero groups, the
/// first one on a tie, becomes `::`).
pub fn format_network_address(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => compress_v6(&v6.segments()),
    }
}

/// Java's `InetAddress.getHostAddress()`: IPv4 dotted, IPv6 as eight
/// lower-case hex groups without compression.
pub fn format_host_address(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let groups: Vec<String> = v6.segments().iter().map(|g| format!("{g:x}")).collect();
            groups.join(":")
        }
    }
}

fn parse(text: &str) -> Option<IpAddr> {
    let mut has_colon = false;
    let mut has_dot = false;
    let mut percent = None;
    for (i, c) in text.char_indices() {
        match c {
            '.' => has_dot = true,
            ':' => {
                if has_dot {
                    return None;
                }
                has_colon = true;
            }
            '%' => {
                percent = Some(i);
                break;
            }
            c if c.is_ascii_hexdigit() => {}
            _ => return None,
        }
    }
    let body = match percent {
        Some(i) => {
            // A scope needs an IPv6 address and a non-empty name.
            if !has_colon || i + 1 >= text.len() {
                return None;
            }
            &text[..i]
        }
        None => text,
    };
    if has_colon {
        let bits = parse_v6(body, has_dot)?;
        let v6 = Ipv6Addr::from(bits);
        Some(match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        })
    } else if has_dot {
        parse_v4(body).map(IpAddr::V4)
    } else {
        None
    }
}

fn parse_v4(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if part.len() > 1 && part.starts_with('0') {
            return None;
        }
        *octet = part
            .parse::<u16>()
            .ok()
            .and_then(|n| u8::try_from(n).ok())?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(Ipv4Addr::from(octets))
}

fn parse_v6(text: &str, has_dot: bool) -> Option<u128> {
    // A trailing dotted quad stands for the last two groups.
    let converted;
    let text = if has_dot {
        let split = text.rfind(':')?;
        let o = parse_v4(&text[split + 1..])?.octets();
        converted = format!(
            "{}{:x}:{:x}",
            &text[..=split],
            u16::from_be_bytes([o[0], o[1]]),
            u16::from_be_bytes([o[2], o[3]])
        );
        converted.as_str()
    } else {
        text
    };
    let mut groups: Vec<u16> = Vec::with_capacity(8);
    match text.find("::") {
        Some(i) => {
            let (head, rest) = (&text[..i], &text[i + 2..]);
            if rest.contains("::") {
                return None;
            }
            let head_groups = parse_groups(head)?;
            let rest_groups = parse_groups(rest)?;
            let used = head_groups.len() + rest_groups.len();
            // `::` must stand for at least one group.
            if used >= 8 {
                return None;
            }
            groups.extend(head_groups);
            groups.extend(std::iter::repeat_n(0, 8 - used));
            groups.extend(rest_groups);
        }
        None => {
            if text.is_empty() {
                return None;
            }
            groups = parse_groups(text)?;
            if groups.len() != 8 {
                return None;
            }
        }
    }
    Some(
        groups
            .iter()
            .fold(0u128, |acc, &g| (acc << 16) | u128::from(g)),
    )
}

/// Colon-separated groups of one to four hex digits; empty text is none.
fn parse_groups(text: &str) -> Option<Vec<u16>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(':')
        .map(|g| {
            if g.is_empty() || g.len() > 4 {
                None
            } else {
                u16::from_str_radix(g, 16).ok()
            }
        })
        .collect()
}

fn compress_v6(groups: &[u16; 8]) -> String {
    let (mut best_start, mut best_len) = (usize::MAX, 0usize);
    let mut i = 0;
    while i < 8 {
        if groups[i] == 0 {
            let start = i;
            while i < 8 && groups[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_start = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best_start = usize::MAX;
    }
    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if i == best_start {
            out.push_str("::");
            i += best_len;
            continue;
        }
        if !out.is_empty() && !out.ends_with(':') {
            out.push(':');
        }
        out.push_str(&format!("{:x}", groups[i]));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        format_network_address(parse_ip_literal(text).unwrap())
    }

    #[test]
    fn dotted_quads_parse() {
        assert_eq!(ok("89.160.20.128"), "89.160.20.128");
        assert_eq!(ok("0.0.0.0"), "0.0.0.0");
    }

    #[test]
    fn dotted_quads_reject_leading_zeros_and_wrong_counts() {
        for bad in [
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1..2.3",
            "1.2.3.4 ",
            "",
        ] {
            assert!(parse_ip_literal(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn invalid_literal_message_is_elasticsearchs() {
        assert_eq!(
            parse_ip_literal("www.google.com").unwrap_err().to_string(),
            "'www.google.com' is not an IP string literal."
        );
    }

    #[test]
    fn ipv6_forms_parse_and_compress() {
        assert_eq!(ok("2a02:cf40::"), "2a02:cf40::");
        assert_eq!(ok("2001:DB8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(ok("::1"), "::1");
        assert_eq!(ok("::"), "::");
        assert_eq!(ok("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8");
        assert_eq!(ok("::1.2.3.4"), "::102:304");
        assert_eq!(ok("fe80::1%eth0"), "fe80::1");
    }

    #[test]
    fn ipv4_mapped_addresses_become_ipv4() {
        assert_eq!(ok("::ffff:89.160.20.128"), "89.160.20.128");
        assert_eq!(ok("::ffff:59a0:1480"), "89.160.20.128");
    }

    #[test]
    fn malformed_ipv6_is_rejected() {
        for bad in [
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            ":1",
            "1:",
            "12345::",
            "::1%",
            "1.2.3.4%x",
            "1:2:3:4:5:6:7::8",
        ] {
            assert!(parse_ip_literal(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn host_address_is_uncompressed() {
        let ip = parse_ip_literal("2a02:cf40::").unwrap();
        assert_eq!(format_host_address(ip), "2a02:cf40:0:0:0:0:0:0");
    }

    proptest::proptest! {
        #[test]
        fn no_text_panics_the_parser(text in "\\PC{0,40}") {
            let _ = parse_ip_literal(&text);
        }

        #[test]
        fn ip_like_text_never_panics(text in "[0-9a-fA-F:.%]{0,45}") {
            let _ = parse_ip_literal(&text);
        }

        #[test]
        fn printed_ipv6_parses_back(bits in proptest::num::u128::ANY) {
            let v6 = Ipv6Addr::from(bits);
            let printed = format_network_address(IpAddr::V6(v6));
            let parsed = parse_ip_literal(&printed).unwrap();
            let expected = v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4);
            proptest::prop_assert_eq!(parsed, expected);
        }
    }
}
