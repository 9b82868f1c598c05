//! `java.net.URI` and `java.net.URL` parsing, as far as the `uri_parts`
//! processor observes them: which strings parse, and the components the
//! getters return.
//!
//! [`parse_uri`] follows `URI`'s RFC 2396 parser with Java's deviations:
//! an authority that does not parse as `[userinfo@]host[:port]` is kept as
//! a registry-based authority with no host (so `http://my_host/` has no
//! host); IPv4 literals need four bytes up to 255; a host's last label must
//! start with a letter; non-ASCII characters that are neither spaces nor
//! controls are allowed where escapes are. The getters decode `%XX`
//! sequences as UTF-8, replacing malformed bytes.
//!
//! [`parse_url`] is `new URL(spec)`'s lenient split, used by Elasticsearch
//! when `URI` rejects the text: it needs a known protocol and keeps the
//! components undecoded.

use crate::java_number::parse_int;

/// The components `uri_parts` reads, as Java's getters return them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct UriComponents {
    pub(crate) scheme: Option<String>,
    pub(crate) user_info: Option<String>,
    pub(crate) host: Option<String>,
    /// `-1` when absent.
    pub(crate) port: i32,
    pub(crate) path: Option<String>,
    pub(crate) query: Option<String>,
    pub(crate) fragment: Option<String>,
}

/// `new URI(text)` and its decoded getters; `None` on `URISyntaxException`.
pub(crate) fn parse_uri(text: &str) -> Option<UriComponents> {
    let chars: Vec<char> = text.chars().collect();
    let mut parser = UriParser {
        input: &chars,
        parts: UriComponents {
            port: -1,
            ..UriComponents::default()
        },
    };
    parser.parse().ok()?;
    let raw = parser.parts;
    Some(UriComponents {
        user_info: raw.user_info.as_deref().map(decode),
        path: raw.path.as_deref().map(decode),
        query: raw.query.as_deref().map(decode),
        fragment: raw.fragment.as_deref().map(decode),
        ..raw
    })
}

/// `new URL(text)` and its getters; `None` on `MalformedURLException`.
pub(crate) fn parse_url(text: &str) -> Option<UriComponents> {
    let chars: Vec<char> = text.chars().collect();
    let mut limit = chars.len();
    let mut start = 0;
    while limit > 0 && chars[limit - 1] <= ' ' {
        limit -= 1;
    }
    while start < limit && chars[start] <= ' ' {
        start += 1;
    }
    if starts_with_ignore_case(&chars[start..limit], "url:") {
        start += 4;
    }
    let mut protocol = None;
    if start < limit && chars[start] != '#' {
        let mut i = start;
        while i < limit && chars[i] != '/' {
            if chars[i] == ':' {
                let candidate: String = chars[start..i].iter().collect::<String>().to_lowercase();
                if is_valid_protocol(&candidate) {
                    protocol = Some(candidate);
                    start = i + 1;
                }
                break;
            }
            i += 1;
        }
    }
    let protocol = protocol?;
    if !matches!(
        protocol.as_str(),
        "http" | "https" | "ftp" | "file" | "jar" | "mailto" | "jrt"
    ) {
        return None;
    }
    let mut fragment = None;
    if let Some(i) = chars[start..limit].iter().position(|&c| c == '#') {
        fragment = Some(chars[start + i + 1..limit].iter().collect());
        limit = start + i;
    }
    let spec = &chars[..limit];
    let mut parts = match protocol.as_str() {
        "jar" | "mailto" => {
            let path: String = spec[start..].iter().collect();
            if protocol == "jar" && !path.contains("!/") {
                return None;
            }
            UriComponents {
                host: Some(String::new()),
                port: -1,
                path: Some(path),
                ..UriComponents::default()
            }
        }
        _ => parse_url_hierarchy(spec, start)?,
    };
    parts.scheme = Some(protocol);
    parts.fragment = fragment;
    Some(parts)
}

/// `URLStreamHandler.parseURL` for a URL without context.
fn parse_url_hierarchy(spec: &[char], mut start: usize) -> Option<UriComponents> {
    let mut limit = spec.len();
    let mut spec = spec;
    let mut query = None;
    let mut query_only = false;
    if start < limit {
        if let Some(q) = spec.iter().position(|&c| c == '?') {
            query_only = q == start;
            query = Some(spec[q + 1..limit].iter().collect::<String>());
            limit = q;
            spec = &spec[..q];
        }
    }
    let at = |i: usize, c: char| spec.get(i) == Some(&c);
    let unc = start + 4 <= limit && (0..4).all(|k| at(start + k, '/'));
    let mut host: Option<String> = None;
    let mut user_info = None;
    let mut authority: Option<String> = None;
    let mut port = -1i64;
    let mut path: Option<String> = None;
    if !unc && start + 2 <= limit && at(start, '/') && at(start + 1, '/') {
        start += 2;
        let find = |c: char| {
            spec[start..]
                .iter()
                .position(|&x| x == c)
                .map(|i| i + start)
        };
        let end = match find('/') {
            Some(i) if i <= limit => i,
            _ => match find('?') {
                Some(i) if i <= limit => i,
                _ => limit,
            },
        };
        let auth: String = spec[start..end].iter().collect();
        let mut h = Some(auth.clone());
        if let Some(at_sign) = auth.find('@') {
            if Some(at_sign) != auth.rfind('@') {
                h = None;
            } else {
                user_info = Some(auth[..at_sign].to_owned());
                h = Some(auth[at_sign + 1..].to_owned());
            }
        }
        if let Some(hh) = h {
            if hh.starts_with('[') {
                let close = hh.find(']').filter(|&i| i > 2)?;
                let literal = &hh[1..close];
                if !literal.contains(':') || literal.parse::<std::net::Ipv6Addr>().is_err() {
                    return None;
                }
                let rest = &hh[close + 1..];
                if !rest.is_empty() {
                    let digits = rest.strip_prefix(':')?;
                    if !digits.is_empty() {
                        port = i64::from(parse_int(digits).ok()?);
                    }
                }
                host = Some(hh[..=close].to_owned());
            } else {
                match hh.find(':') {
                    Some(colon) => {
                        if colon + 1 < hh.len() {
                            port = i64::from(parse_int(&hh[colon + 1..]).ok()?);
                        }
                        host = Some(hh[..colon].to_owned());
                    }
                    None => host = Some(hh),
                }
            }
        } else {
            host = Some(String::new());
        }
        if port < -1 {
            return None;
        }
        start = end;
        if !auth.is_empty() {
            path = Some(String::new());
        }
        authority = Some(auth);
    }
    if start < limit {
        let rest: String = spec[start..limit].iter().collect();
        // With an authority the path is absolute (its `path` is still "").
        path = Some(if spec[start] == '/' || authority.is_none() {
            rest
        } else {
            format!("/{rest}")
        });
    } else if query_only {
        if let Some(p) = &path {
            let cut = p.rfind('/').unwrap_or(0);
            path = Some(format!("{}/", &p[..cut]));
        }
    }
    Some(UriComponents {
        scheme: None,
        user_info,
        host: Some(host.unwrap_or_default()),
        port: i32::try_from(port).ok()?,
        path: Some(path.unwrap_or_default()),
        query,
        fragment: None,
    })
}

fn starts_with_ignore_case(chars: &[char], prefix: &str) -> bool {
    let head: String = chars.iter().take(prefix.len()).collect();
    head.eq_ignore_ascii_case(prefix)
}

fn is_valid_protocol(protocol: &str) -> bool {
    let mut chars = protocol.chars();
    chars.next().is_some_and(|c| c.is_alphabetic())
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '+' | '-'))
}

// Character classes of java.net.URI.Parser, as bit sets over ASCII.

const fn set(chars: &str) -> u128 {
    let bytes = chars.as_bytes();
    let mut m = 0u128;
    let mut i = 0;
    while i < bytes.len() {
        m |= 1 << bytes[i];
        i += 1;
    }
    m
}

const fn range(first: u8, last: u8) -> u128 {
    let mut m = 0u128;
    let mut c = first;
    while c <= last {
        m |= 1 << c;
        c += 1;
    }
    m
}

const DIGIT: u128 = range(b'0', b'9');
const ALPHA: u128 = range(b'A', b'Z') | range(b'a', b'z');
const ALPHANUM: u128 = DIGIT | ALPHA;
const HEX: u128 = DIGIT | range(b'A', b'F') | range(b'a', b'f');
const MARK: u128 = set("-_.!~*'()");
const UNRESERVED: u128 = ALPHANUM | MARK;
const RESERVED: u128 = set(";/?:@&=+$,[]");
const URIC: u128 = RESERVED | UNRESERVED;
const PCHAR: u128 = UNRESERVED | set(":@&=+$,");
const PATH: u128 = PCHAR | set(";/");
const USERINFO: u128 = UNRESERVED | set(";:&=+$,");
const REG_NAME: u128 = UNRESERVED | set("$,;:@&=+");
const SERVER: u128 = USERINFO | ALPHANUM | set("-.:@[]");
const SERVER_PERCENT: u128 = SERVER | set("%");
const SCHEME: u128 = ALPHA | DIGIT | set("+-.");
const SCOPE_ID: u128 = ALPHANUM | set("_.");

/// A class, and whether `%XX` escapes and visible non-ASCII are allowed.
#[derive(Clone, Copy)]
struct Class {
    ascii: u128,
    escaped: bool,
}

const fn plain(ascii: u128) -> Class {
    Class {
        ascii,
        escaped: false,
    }
}

const fn with_escapes(ascii: u128) -> Class {
    Class {
        ascii,
        escaped: true,
    }
}

fn in_ascii(c: char, ascii: u128) -> bool {
    c != '\0' && (c as u32) < 128 && (ascii >> (c as u32)) & 1 == 1
}

/// The parse failed (`URISyntaxException`).
struct SyntaxError;

struct UriParser<'a> {
    input: &'a [char],
    parts: UriComponents,
}

impl UriParser<'_> {
    fn at(&self, p: usize, c: char) -> bool {
        self.input.get(p) == Some(&c)
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.input[from..to].iter().collect()
    }

    /// Index of the first char of `stop` from `start`, `None` if a char of
    /// `err` comes first, `end` if neither.
    fn scan_stop(&self, start: usize, end: usize, err: &str, stop: &str) -> Option<usize> {
        let mut p = start;
        while p < end {
            let c = self.input[p];
            if err.contains(c) {
                return None;
            }
            if stop.contains(c) {
                break;
            }
            p += 1;
        }
        Some(p)
    }

    fn scan_to(&self, start: usize, end: usize, stop: &str) -> usize {
        self.scan_stop(start, end, "", stop).unwrap_or(end)
    }

    /// Skips chars of `class`; a bad `%` escape is a syntax error.
    fn scan_class(&self, start: usize, end: usize, class: Class) -> Result<usize, SyntaxError> {
        let mut p = start;
        while p < end {
            let c = self.input[p];
            if in_ascii(c, class.ascii) {
                p += 1;
                continue;
            }
            if class.escaped {
                if c == '%' {
                    let hex = |i: usize| self.input.get(i).is_some_and(|&h| in_ascii(h, HEX));
                    if p + 3 <= end && hex(p + 1) && hex(p + 2) {
                        p += 3;
                        continue;
                    }
                    return Err(SyntaxError);
                }
                if (c as u32) > 128 && !c.is_control() && !is_space_char(c) {
                    p += 1;
                    continue;
                }
            }
            break;
        }
        Ok(p)
    }

    fn check_chars(&self, start: usize, end: usize, class: Class) -> Result<(), SyntaxError> {
        if self.scan_class(start, end, class)? < end {
            return Err(SyntaxError);
        }
        Ok(())
    }

    fn parse(&mut self) -> Result<(), SyntaxError> {
        let n = self.input.len();
        let colon = self.scan_stop(0, n, "/?#", ":");
        let mut p;
        if let Some(c) = colon.filter(|&c| self.at(c, ':')) {
            if c == 0 || !in_ascii(self.input[0], ALPHA) {
                return Err(SyntaxError);
            }
            self.check_chars(1, c, plain(SCHEME))?;
            self.parts.scheme = Some(self.text(0, c));
            p = c + 1;
            if self.at(p, '/') {
                p = self.parse_hierarchical(p, n)?;
            } else {
                let q = self.scan_to(p, n, "#");
                if q <= p {
                    return Err(SyntaxError);
                }
                self.check_chars(p, q, with_escapes(URIC))?;
                p = q;
            }
        } else {
            p = self.parse_hierarchical(0, n)?;
        }
        if self.at(p, '#') {
            self.check_chars(p + 1, n, with_escapes(URIC))?;
            self.parts.fragment = Some(self.text(p + 1, n));
            p = n;
        }
        if p < n {
            return Err(SyntaxError);
        }
        Ok(())
    }

    fn parse_hierarchical(&mut self, start: usize, n: usize) -> Result<usize, SyntaxError> {
        let mut p = start;
        if self.at(p, '/') && self.at(p + 1, '/') {
            p += 2;
            let q = self.scan_to(p, n, "/?#");
            if q > p {
                p = self.parse_authority(p, q)?;
            } else if q >= n {
                return Err(SyntaxError);
            }
        }
        let q = self.scan_to(p, n, "?#");
        self.check_chars(p, q, with_escapes(PATH))?;
        self.parts.path = Some(self.text(p, q));
        p = q;
        if self.at(p, '?') {
            p += 1;
            let q = self.scan_to(p, n, "#");
            self.check_chars(p, q, with_escapes(URIC))?;
            self.parts.query = Some(self.text(p, q));
            p = q;
        }
        Ok(p)
    }

    fn parse_authority(&mut self, start: usize, n: usize) -> Result<usize, SyntaxError> {
        let server_class = if self.input[start..n].contains(&']') {
            with_escapes(SERVER_PERCENT)
        } else {
            with_escapes(SERVER)
        };
        let server_chars = self.scan_class(start, n, server_class)? == n;
        let reg_chars = self.scan_class(start, n, with_escapes(REG_NAME))? == n;
        if reg_chars && !server_chars {
            return Ok(n);
        }
        let mut failed = false;
        let mut q = start;
        if server_chars {
            match self.parse_server(start, n) {
                Ok(end) if end >= n => q = end,
                _ => {
                    self.parts.user_info = None;
                    self.parts.host = None;
                    self.parts.port = -1;
                    failed = true;
                }
            }
        }
        if q < n && !reg_chars {
            return Err(SyntaxError);
        }
        if failed && !reg_chars {
            return Err(SyntaxError);
        }
        Ok(n)
    }

    fn parse_server(&mut self, start: usize, n: usize) -> Result<usize, SyntaxError> {
        let mut p = start;
        if let Some(q) = self
            .scan_stop(p, n, "/?#", "@")
            .filter(|&q| self.at(q, '@'))
        {
            self.check_chars(p, q, with_escapes(USERINFO))?;
            self.parts.user_info = Some(self.text(p, q));
            p = q + 1;
        }
        if self.at(p, '[') {
            p += 1;
            let q = self.scan_stop(p, n, "/?#", "]").ok_or(SyntaxError)?;
            if !(q > p && self.at(q, ']')) {
                return Err(SyntaxError);
            }
            let r = self.scan_to(p, q, "%");
            let literal = self.text(p, r);
            if !literal.contains(':') || literal.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(SyntaxError);
            }
            if r < q {
                if r + 1 == q {
                    return Err(SyntaxError);
                }
                self.check_chars(r + 1, q, plain(SCOPE_ID))?;
            }
            self.parts.host = Some(self.text(p - 1, q + 1));
            p = q + 1;
        } else {
            let q = match self.parse_ipv4(p, n) {
                Some(q) if q > p => q,
                _ => self.parse_hostname(p, n)?,
            };
            p = q;
        }
        if self.at(p, ':') {
            p += 1;
            let q = self.scan_class(p, n, plain(DIGIT))?;
            if q > p {
                let digits = self.text(p, q);
                self.parts.port = digits.parse::<i32>().map_err(|_| SyntaxError)?;
                p = q;
            }
        }
        if p < n {
            return Err(SyntaxError);
        }
        Ok(p)
    }

    /// `parseIPv4Address`: the end of a dotted quad followed by nothing or
    /// `:`, setting the host; `None` when it is not one.
    fn parse_ipv4(&mut self, start: usize, n: usize) -> Option<usize> {
        let m = self.scan_class(start, n, plain(DIGIT | set("."))).ok()?;
        if m <= start {
            return None;
        }
        let mut p = start;
        for i in 0..4 {
            if i > 0 {
                if !self.at(p, '.') || p >= m {
                    return None;
                }
                p += 1;
            }
            let q = self.scan_class(p, m, plain(DIGIT)).ok()?;
            if q <= p || self.text(p, q).parse::<u32>().map_or(true, |v| v > 255) {
                return None;
            }
            p = q;
        }
        if p < m {
            return None;
        }
        if p < n && self.input[p] != ':' {
            return None;
        }
        self.parts.host = Some(self.text(start, p));
        Some(p)
    }

    fn parse_hostname(&mut self, start: usize, n: usize) -> Result<usize, SyntaxError> {
        let mut p = start;
        let mut last_label = None;
        loop {
            let q = self.scan_class(p, n, plain(ALPHANUM))?;
            if q <= p {
                break;
            }
            last_label = Some(p);
            p = q;
            let q = self.scan_class(p, n, plain(ALPHANUM | set("-")))?;
            if q > p {
                if self.input[q - 1] == '-' {
                    return Err(SyntaxError);
                }
                p = q;
            }
            if !self.at(p, '.') {
                break;
            }
            p += 1;
            if p >= n {
                break;
            }
        }
        if p < n && !self.at(p, ':') {
            return Err(SyntaxError);
        }
        let last = last_label.ok_or(SyntaxError)?;
        if last > start && !in_ascii(self.input[last], ALPHA) {
            return Err(SyntaxError);
        }
        self.parts.host = Some(self.text(start, p));
        Ok(p)
    }
}

/// Java `Character.isSpaceChar`: Unicode space separators.
fn is_space_char(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// `URI.decode`: runs of `%XX` decoded as UTF-8, malformed bytes replaced.
fn decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut bytes = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        bytes.clear();
        let mut pending = Some(c);
        while pending == Some('%') {
            let hi = chars.next().and_then(|h| h.to_digit(16));
            let lo = chars.next().and_then(|l| l.to_digit(16));
            if let (Some(hi), Some(lo)) = (hi, lo) {
                bytes.push((hi * 16 + lo) as u8);
            }
            pending = if chars.peek() == Some(&'%') {
                chars.next()
            } else {
                None
            };
        }
        out.push_str(&String::from_utf8_lossy(&bytes));
    }
    out
}

/// True when `host` is a bracketed or plain IP literal (for tests).
#[cfg(test)]
fn is_ip_host(host: &str) -> bool {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> UriComponents {
        parse_uri(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn full_http_uri() {
        let u = uri(
            "http://myusername:mypassword@www.example.com:80/foo.gif?key1=val1&key2=val2#fragment",
        );
        assert_eq!(u.scheme.as_deref(), Some("http"));
        assert_eq!(u.user_info.as_deref(), Some("myusername:mypassword"));
        assert_eq!(u.host.as_deref(), Some("www.example.com"));
        assert_eq!(u.port, 80);
        assert_eq!(u.path.as_deref(), Some("/foo.gif"));
        assert_eq!(u.query.as_deref(), Some("key1=val1&key2=val2"));
        assert_eq!(u.fragment.as_deref(), Some("fragment"));
    }

    #[test]
    fn components_are_decoded() {
        let u = uri("http://h/a%20b/%C3%A9?q=%41#%7E");
        assert_eq!(u.path.as_deref(), Some("/a b/é"));
        assert_eq!(u.query.as_deref(), Some("q=A"));
        assert_eq!(u.fragment.as_deref(), Some("~"));
    }

    #[test]
    fn registry_authorities_have_no_host() {
        for text in [
            "http://my_host.com/x",
            "http://1.2.3.4.5/",
            "http://999.1.1.1/",
            "http://a.123/",
            "http://host:abc/",
        ] {
            let u = uri(text);
            assert_eq!(u.host, None, "{text}");
            assert_eq!(u.port, -1, "{text}");
        }
    }

    #[test]
    fn hosts_that_parse() {
        assert_eq!(
            uri("http://192.168.1.1:8080/").host.as_deref(),
            Some("192.168.1.1")
        );
        assert_eq!(uri("http://[::1]:8080/").host.as_deref(), Some("[::1]"));
        assert!(is_ip_host("[::1]"));
        assert_eq!(
            uri("http://example.com./").host.as_deref(),
            Some("example.com.")
        );
        assert_eq!(uri("http://host:/p").port, -1);
    }

    #[test]
    fn opaque_and_relative_uris() {
        let mail = uri("mailto:someone@example.com");
        assert_eq!(mail.scheme.as_deref(), Some("mailto"));
        assert_eq!(mail.path, None);
        let rel = uri("/just/a/path.txt");
        assert_eq!(rel.scheme, None);
        assert_eq!(rel.path.as_deref(), Some("/just/a/path.txt"));
        assert_eq!(uri("").path.as_deref(), Some(""));
    }

    #[test]
    fn invalid_uris_are_rejected() {
        for text in [
            "http://exa mple.com/",
            "http://h/a b",
            "http://h/%zz",
            "1http://x",
            ":x",
            "http://h/{x}",
            "http://",
            "http://[::1/",
        ] {
            assert!(parse_uri(text).is_none(), "{text}");
        }
    }

    #[test]
    fn url_fallback_is_lenient_but_needs_a_known_protocol() {
        let u = parse_url("http://www.example.com/a path?q=a b#frag ment").unwrap();
        assert_eq!(u.host.as_deref(), Some("www.example.com"));
        assert_eq!(u.path.as_deref(), Some("/a path"));
        assert_eq!(u.query.as_deref(), Some("q=a b"));
        assert_eq!(u.fragment.as_deref(), Some("frag ment"));
        assert_eq!(u.port, -1);
        assert_eq!(parse_url("http://h:99/x").unwrap().port, 99);
        assert!(parse_url("foo://h/a b").is_none());
        assert!(parse_url("no protocol here").is_none());
        assert!(parse_url("http://h:x/").is_none());
        assert_eq!(
            parse_url("http://u@h/").unwrap().user_info.as_deref(),
            Some("u")
        );
        assert_eq!(parse_url("http://a b").unwrap().path.as_deref(), Some(""));
    }
}
