//! `network_direction`: Elasticsearch's `NetworkDirectionProcessor`.
//! Classifies a flow as `internal`, `external`, `inbound` or `outbound`
//! from whether its source and destination addresses fall in the internal
//! networks: CIDR blocks, single addresses, or named ranges (`loopback`,
//! `unicast`/`global_unicast`, `link_local_unicast`,
//! `interface_local_multicast`, `link_local_multicast`, `multicast`,
//! `unspecified`, `private`, `public`), listed in `internal_networks`
//! (templates) or read from `internal_networks_field`.

use std::net::IpAddr;

use crate::config::ProcessorConfig;
use crate::document::{Document, cannot_cast};
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::java_number::parse_int;
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::Template;
use isc_value::Value;

/// The `network_direction` processor's options, compiled.
#[derive(Debug)]
pub struct NetworkDirection {
    source_ip: FieldPath,
    destination_ip: FieldPath,
    target_field: FieldPath,
    networks: Networks,
    ignore_missing: bool,
}

#[derive(Debug)]
enum Networks {
    Listed(Vec<Template>),
    FromField(FieldPath),
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let source_ip = config.string_or("source_ip", "source.ip")?;
    let destination_ip = config.string_or("destination_ip", "destination.ip")?;
    let target_field = config.string_or("target_field", "network.direction")?;
    let ignore_missing = config.bool_or("ignore_missing", true)?;
    let listed = config.optional_string_list("internal_networks")?;
    let field = config.optional_string("internal_networks_field")?;
    let networks = match (listed, field) {
        (None, None) => {
            return Err(config.error(
                "internal_networks",
                "or [internal_networks_field] must be specified",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(config.error(
                "internal_networks",
                "and [internal_networks_field] cannot both be used in the same processor",
            ));
        }
        (Some(list), None) => Networks::Listed(
            list.iter()
                .map(|n| config.compile_template("internal_networks", n))
                .collect::<Result<_, _>>()?,
        ),
        (None, Some(field)) => Networks::FromField(FieldPath::new(&field)),
    };
    Ok(Box::new(NetworkDirection {
        source_ip: FieldPath::new(&source_ip),
        destination_ip: FieldPath::new(&destination_ip),
        target_field: FieldPath::new(&target_field),
        networks,
        ignore_missing,
    }))
}

impl Processor for NetworkDirection {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        match self.direction(doc)? {
            Some(direction) => {
                doc.set(&self.target_field, Value::from(direction))?;
                Ok(Flow::Continue)
            }
            None if self.ignore_missing => Ok(Flow::Continue),
            None => Err(IngestError::illegal_argument(
                "unable to calculate network direction from document",
            )),
        }
    }
}

impl NetworkDirection {
    fn direction(&self, doc: &Document) -> Result<Option<&'static str>, IngestError> {
        let networks: Vec<String> = match &self.networks {
            Networks::Listed(templates) => templates
                .iter()
                .map(|t| t.render(doc).into_owned())
                .collect(),
            Networks::FromField(field) => match self.networks_from_field(doc, field)? {
                Some(list) => list,
                None => return Ok(None),
            },
        };
        let Some(source) = doc.get_string(&self.source_ip, self.ignore_missing)? else {
            return Ok(None);
        };
        let Some(destination) = doc.get_string(&self.destination_ip, self.ignore_missing)? else {
            return Ok(None);
        };
        let source_internal = is_internal(&networks, source)?;
        let destination_internal = is_internal(&networks, destination)?;
        Ok(Some(match (source_internal, destination_internal) {
            (true, true) => "internal",
            (true, false) => "outbound",
            (false, true) => "inbound",
            (false, false) => "external",
        }))
    }

    /// `getFieldValue(field, ArrayList.class, ignoreMissing)`, each item
    /// then used as a `String`.
    fn networks_from_field(
        &self,
        doc: &Document,
        field: &FieldPath,
    ) -> Result<Option<Vec<String>>, IngestError> {
        let value = match doc.get(field) {
            Ok(v) => v,
            Err(_) if self.ignore_missing => return Ok(None),
            Err(e) => return Err(e),
        };
        let items = match value {
            Value::Null => return Ok(None),
            Value::List(items) => items,
            other => return Err(cannot_cast(field.as_str(), other, "java.util.ArrayList")),
        };
        items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(IngestError::new(
                    "class_cast_exception",
                    format!(
                        "class {0} cannot be cast to class java.lang.String ({0} and java.lang.String are in module java.base of loader 'bootstrap')",
                        other.java_type_name()
                    ),
                )),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }
}

fn is_internal(networks: &[String], ip: &str) -> Result<bool, IngestError> {
    for network in networks {
        if in_network(ip, network)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn parse_ip(text: &str) -> Result<IpAddr, IngestError> {
    isc_geoip::parse_ip_literal(text).map_err(|e| IngestError::illegal_argument(e.to_string()))
}

fn in_network(ip: &str, network: &str) -> Result<bool, IngestError> {
    let address = parse_ip(ip)?;
    Ok(match network {
        "loopback" => is_loopback(address),
        "global_unicast" | "unicast" => is_unicast(address),
        "link_local_unicast" => is_link_local_unicast(address),
        "interface_local_multicast" => is_interface_local_multicast(address),
        "link_local_multicast" => is_link_local_multicast(address),
        "multicast" => is_multicast(address),
        "unspecified" => is_unspecified(address),
        "private" => is_private(address)?,
        "public" => !is_local_or_private(address)?,
        cidr => in_range(address, cidr)?,
    })
}

/// Java `InetAddress.isLoopbackAddress`: `127/8`, or exactly `::1`.
fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[0] == 127,
        IpAddr::V6(v6) => v6.is_loopback(),
    }
}

fn is_broadcast(ip: IpAddr) -> bool {
    matches!(ip, IpAddr::V4(v4) if v4.is_broadcast())
}

fn is_unicast(ip: IpAddr) -> bool {
    !is_broadcast(ip)
        && !is_unspecified(ip)
        && !is_loopback(ip)
        && !is_multicast(ip)
        && !is_link_local_unicast(ip)
}

/// Java `isLinkLocalAddress`: `169.254/16`, `fe80::/10`.
fn is_link_local_unicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[..2] == [169, 254],
        IpAddr::V6(v6) => v6.segments()[0] & 0xffc0 == 0xfe80,
    }
}

/// Java `isMCNodeLocal`: IPv6 `ffx1::/16` only.
fn is_interface_local_multicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(_) => false,
        IpAddr::V6(v6) => v6.segments()[0] & 0xff0f == 0xff01,
    }
}

/// Java `isMCLinkLocal`: `224.0.0/24`, `ffx2::/16`.
fn is_link_local_multicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[..3] == [224, 0, 0],
        IpAddr::V6(v6) => v6.segments()[0] & 0xff0f == 0xff02,
    }
}

/// Java `isMulticastAddress`: `224/4`, `ff00::/8`.
fn is_multicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_multicast(),
        IpAddr::V6(v6) => v6.is_multicast(),
    }
}

fn is_unspecified(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_unspecified(),
        IpAddr::V6(v6) => v6.is_unspecified(),
    }
}

fn is_private(ip: IpAddr) -> Result<bool, IngestError> {
    for cidr in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8"] {
        if in_range(ip, cidr)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn is_local_or_private(ip: IpAddr) -> Result<bool, IngestError> {
    Ok(is_private(ip)?
        || is_loopback(ip)
        || is_unspecified(ip)
        || is_link_local_unicast(ip)
        || is_link_local_multicast(ip)
        || is_interface_local_multicast(ip)
        || is_broadcast(ip))
}

/// The address as a 128-bit number, IPv4 mapped into `::ffff:0:0/96` as
/// `CIDRUtils` compares mixed families.
fn as_v6_number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// `CIDRUtils.isInRange(ip, cidr)`: a block `a/n` or a single address.
fn in_range(ip: IpAddr, cidr: &str) -> Result<bool, IngestError> {
    let (lower, upper) = if cidr.contains('/') {
        cidr_bounds(cidr)?
    } else {
        let single = parse_ip(cidr)?;
        (single, single)
    };
    let (lower, upper) = (as_v6_number(lower), as_v6_number(upper));
    let value = as_v6_number(ip);
    Ok(lower <= value && value <= upper)
}

/// `InetAddresses.parseCidr` and the block's first and last address.
fn cidr_bounds(cidr: &str) -> Result<(IpAddr, IpAddr), IngestError> {
    // Java's String.split drops trailing empty strings.
    let mut fields: Vec<&str> = cidr.split('/').collect();
    while fields.last().is_some_and(|f| f.is_empty()) {
        fields.pop();
    }
    let [address_text, prefix_text] = fields[..] else {
        return Err(IngestError::illegal_argument(format!(
            "Expected [ip/prefix] but was [{cidr}]"
        )));
    };
    let address = parse_ip(address_text)?;
    if address_text.contains(':') && address.is_ipv4() {
        return Err(IngestError::illegal_argument(format!(
            "CIDR notation is not allowed with IPv6-mapped IPv4 address [{address_text} as it \
             introduces ambiguity as to whether the prefix length should be interpreted as a v4 \
             prefix length or a v6 prefix length"
        )));
    }
    let prefix = parse_int(prefix_text)?;
    let bits = if address.is_ipv4() { 32 } else { 128 };
    if !(0..=bits).contains(&prefix) {
        return Err(IngestError::illegal_argument(format!(
            "Illegal prefix length [{prefix}] in [{cidr}]. Must be 0-32 for IPv4 ranges, 0-128 for IPv6 ranges"
        )));
    }
    let host_bits = (bits - prefix) as u32;
    Ok(match address {
        IpAddr::V4(v4) => {
            let mask = u32::MAX
                .checked_shr(32 - host_bits)
                .filter(|_| host_bits > 0)
                .unwrap_or(0);
            let n = u32::from(v4);
            (
                IpAddr::V4((n & !mask).into()),
                IpAddr::V4((n | mask).into()),
            )
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX
                .checked_shr(128 - host_bits)
                .filter(|_| host_bits > 0)
                .unwrap_or(0);
            let n = u128::from(v6);
            (
                IpAddr::V6((n & !mask).into()),
                IpAddr::V6((n | mask).into()),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    fn direction(options: &str, source: &str, destination: &str) -> String {
        let doc =
            format!(r#"{{"source":{{"ip":"{source}"}},"destination":{{"ip":"{destination}"}}}}"#);
        let out = run(&format!(r#"[{{"network_direction":{options}}}]"#), &doc).unwrap();
        let value = isc_value::from_json_str(&out).unwrap();
        value.as_map().unwrap()["network"].as_map().unwrap()["direction"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    const PRIVATE: &str = r#"{"internal_networks":["private"]}"#;

    #[test]
    fn the_four_directions() {
        assert_eq!(direction(PRIVATE, "10.0.1.1", "192.168.1.2"), "internal");
        assert_eq!(direction(PRIVATE, "10.0.1.1", "8.8.8.8"), "outbound");
        assert_eq!(direction(PRIVATE, "8.8.8.8", "10.0.1.1"), "inbound");
        assert_eq!(direction(PRIVATE, "8.8.8.8", "1.1.1.1"), "external");
    }

    #[test]
    fn elasticsearch_test_cases() {
        let nets = |list: &str| format!(r#"{{"internal_networks":[{list}]}}"#);
        assert_eq!(
            direction(&nets(r#""10.0.0.0/8""#), "10.0.1.1", "192.168.1.2"),
            "outbound"
        );
        assert_eq!(
            direction(&nets(r#""10.0.0.0/8""#), "192.168.1.2", "10.0.1.1"),
            "inbound"
        );
        assert_eq!(
            direction(&nets(r#""unspecified""#), "0.0.0.0", "0.0.0.0"),
            "internal"
        );
        assert_eq!(direction(&nets(r#""unspecified""#), "::", "::"), "internal");
        for (src, dst) in [
            ("192.168.1.1", "192.168.1.2"),
            ("10.0.1.1", "192.168.1.2"),
            ("192.168.1.1", "172.16.0.1"),
            ("192.168.1.1", "fd12:3456:789a:1::1"),
        ] {
            assert_eq!(direction(&nets(r#""private""#), src, dst), "internal");
            assert_eq!(direction(&nets(r#""public""#), src, dst), "external");
        }
        assert_eq!(
            run_err(
                r#"[{"network_direction":{"internal_networks":["10.0.0.0/8","invalid"]}}]"#,
                r#"{"source":{"ip":"192.168.1.1"},"destination":{"ip":"192.168.1.1"}}"#
            ),
            "'invalid' is not an IP string literal."
        );
        assert_eq!(
            run_err(
                r#"[{"network_direction":{"internal_networks":["10.0.0.0/8"],"ignore_missing":false}}]"#,
                r#"{"source":{"ip":null},"destination":{"ip":"66.35.250.204"}}"#
            ),
            "unable to calculate network direction from document"
        );
    }

    #[test]
    fn cidr_blocks_and_single_addresses() {
        let o = r#"{"internal_networks":["192.168.1.0/24","2001:db8::/32","8.8.8.8"]}"#;
        assert_eq!(direction(o, "192.168.1.77", "2001:db8::5"), "internal");
        assert_eq!(direction(o, "192.168.2.1", "8.8.8.8"), "inbound");
        assert_eq!(direction(o, "192.168.2.1", "8.8.4.4"), "external");
    }

    #[test]
    fn ipv4_addresses_match_ipv6_blocks_through_mapping() {
        let o = r#"{"internal_networks":["::fffe:0:0/95"]}"#;
        assert_eq!(direction(o, "1.2.3.4", "2001:db8::1"), "outbound");
        let o = r#"{"internal_networks":["fd00::/8"]}"#;
        assert_eq!(direction(o, "10.0.0.1", "fd12::1"), "inbound");
    }

    #[test]
    fn named_ranges() {
        let one = |name: &str, ip: &str| {
            let d = direction(
                &format!(r#"{{"internal_networks":["{name}"]}}"#),
                ip,
                "0.0.0.0",
            );
            d == "outbound" || d == "internal"
        };
        assert!(one("loopback", "127.0.0.2"));
        assert!(one("loopback", "::1"));
        assert!(one("unicast", "8.8.8.8"));
        assert!(!one("unicast", "255.255.255.255"));
        assert!(!one("global_unicast", "169.254.1.1"));
        assert!(one("link_local_unicast", "fe80::1"));
        assert!(one("interface_local_multicast", "ff01::1"));
        assert!(!one("interface_local_multicast", "224.0.0.1"));
        assert!(one("link_local_multicast", "224.0.0.251"));
        assert!(one("link_local_multicast", "ff02::1"));
        assert!(one("multicast", "239.1.1.1"));
        assert!(one("unspecified", "0.0.0.0"));
        assert!(one("unspecified", "::"));
        assert!(one("private", "172.31.255.255"));
        assert!(!one("private", "172.32.0.0"));
        assert!(one("public", "8.8.8.8"));
        assert!(!one("public", "192.168.0.1"));
        assert!(!one("public", "255.255.255.255"));
    }

    #[test]
    fn networks_may_be_templates_or_read_from_a_field() {
        let doc = r#"{"source":{"ip":"10.1.1.1"},"destination":{"ip":"8.8.8.8"},"nets":["8.8.8.0/24"],"kind":"private"}"#;
        let out = run(
            r#"[{"network_direction":{"internal_networks":["{{kind}}"]}}]"#,
            doc,
        )
        .unwrap();
        assert!(out.contains(r#""direction":"outbound""#), "{out}");
        let out = run(
            r#"[{"network_direction":{"internal_networks_field":"nets"}}]"#,
            doc,
        )
        .unwrap();
        assert!(out.contains(r#""direction":"inbound""#), "{out}");
    }

    #[test]
    fn missing_values_are_ignored_by_default_or_fail() {
        let doc = r#"{"source":{"ip":"10.1.1.1"}}"#;
        assert_eq!(
            run(&format!(r#"[{{"network_direction":{PRIVATE}}}]"#), doc).unwrap(),
            doc
        );
        assert_eq!(
            run_err(
                r#"[{"network_direction":{"internal_networks":["private"],"ignore_missing":false}}]"#,
                doc
            ),
            "field [destination] not present as part of path [destination.ip]"
        );
        assert_eq!(
            run_err(
                r#"[{"network_direction":{"internal_networks":["private"],"ignore_missing":false}}]"#,
                r#"{"source":{"ip":"10.1.1.1"},"destination":{"ip":null}}"#
            ),
            "unable to calculate network direction from document"
        );
    }

    #[test]
    fn invalid_addresses_and_blocks_fail() {
        let p =
            |net: &str| format!(r#"[{{"network_direction":{{"internal_networks":["{net}"]}}}}]"#);
        let doc = r#"{"source":{"ip":"10.1.1.1"},"destination":{"ip":"8.8.8.8"}}"#;
        assert_eq!(
            run_err(
                &p("private"),
                r#"{"source":{"ip":"ten"},"destination":{"ip":"8.8.8.8"}}"#
            ),
            "'ten' is not an IP string literal."
        );
        assert_eq!(
            run_err(&p("10.0.0.0/33"), doc),
            "Illegal prefix length [33] in [10.0.0.0/33]. Must be 0-32 for IPv4 ranges, 0-128 for IPv6 ranges"
        );
        assert_eq!(run_err(&p("10.0.0.0/x"), doc), "For input string: \"x\"");
        assert_eq!(
            run_err(&p("10.0.0.0/8/8"), doc),
            "Expected [ip/prefix] but was [10.0.0.0/8/8]"
        );
        assert_eq!(
            run_err(&p("intranet"), doc),
            "'intranet' is not an IP string literal."
        );
        assert!(run_err(&p("::ffff:0:0/96"), doc).starts_with(
            "CIDR notation is not allowed with IPv6-mapped IPv4 address [::ffff:0:0 as it"
        ));
    }

    #[test]
    fn options_are_validated() {
        assert_eq!(
            config_err(r#"[{"network_direction":{}}]"#),
            "[internal_networks] or [internal_networks_field] must be specified"
        );
        assert_eq!(
            config_err(
                r#"[{"network_direction":{"internal_networks":["private"],"internal_networks_field":"x"}}]"#
            ),
            "[internal_networks] and [internal_networks_field] cannot both be used in the same processor"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_input_string_panics(text in "\\PC{0,40}") {
            let s = isc_value::to_json_string(&isc_value::Value::from(text.as_str()));
            let _ = crate::processors::test_support::run(
                r#"[{"network_direction":{"internal_networks":["private","public","10.0.0.0/8","{{net}}"]}}]"#,
                &format!(r#"{{"source":{{"ip":{s}}},"destination":{{"ip":{s}}},"net":{s}}}"#),
            );
        }
    }
}
