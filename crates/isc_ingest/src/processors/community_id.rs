//! `community_id`: Elasticsearch's `CommunityIdProcessor`. Computes the
//! Community ID flow hash (version 1 of Corelight's spec) from a flow's
//! addresses, transport and ports or ICMP type/code: SHA-1 over the seed
//! (two bytes, big-endian), the ordered endpoints, the protocol number and a
//! padding byte, and the ports; written as `1:` + Base64.

use std::net::IpAddr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha1::Digest as _;

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::java_number;
use crate::processor::{FactoryContext, Flow, Processor, Run};
use isc_value::Value;

/// The `community_id` processor's options, compiled.
#[derive(Debug)]
pub struct CommunityId {
    source_ip: FieldPath,
    source_port: FieldPath,
    destination_ip: FieldPath,
    destination_port: FieldPath,
    iana_number: FieldPath,
    transport: FieldPath,
    icmp_type: FieldPath,
    icmp_code: FieldPath,
    target_field: FieldPath,
    seed: u16,
    ignore_missing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let mut field = |name: &str, default: &str| -> Result<FieldPath, ConfigError> {
        Ok(FieldPath::new(&config.string_or(name, default)?))
    };
    let source_ip = field("source_ip", "source.ip")?;
    let source_port = field("source_port", "source.port")?;
    let destination_ip = field("destination_ip", "destination.ip")?;
    let destination_port = field("destination_port", "destination.port")?;
    let iana_number = field("iana_number", "network.iana_number")?;
    let transport = field("transport", "network.transport")?;
    let icmp_type = field("icmp_type", "icmp.type")?;
    let icmp_code = field("icmp_code", "icmp.code")?;
    let target_field = field("target_field", "network.community_id")?;
    let seed = config.optional_int("seed")?.unwrap_or(0);
    let seed = u16::try_from(seed)
        .map_err(|_| config.error("seed", "must be a value between 0 and 65535"))?;
    let ignore_missing = config.bool_or("ignore_missing", true)?;
    Ok(Box::new(CommunityId {
        source_ip,
        source_port,
        destination_ip,
        destination_port,
        iana_number,
        transport,
        icmp_type,
        icmp_code,
        target_field,
        seed,
        ignore_missing,
    }))
}

impl Processor for CommunityId {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let source_ip = doc
            .get_string(&self.source_ip, self.ignore_missing)?
            .map(str::to_owned);
        let destination_ip = doc
            .get_string(&self.destination_ip, self.ignore_missing)?
            .map(str::to_owned);
        match self.build_flow(doc, source_ip.as_deref(), destination_ip.as_deref())? {
            Some(flow) => {
                let id = flow.community_id(self.seed)?;
                doc.set(&self.target_field, Value::String(id))?;
                Ok(Flow::Continue)
            }
            None if self.ignore_missing => Ok(Flow::Continue),
            None => Err(IngestError::illegal_argument(
                "unable to construct flow from document",
            )),
        }
    }
}

impl CommunityId {
    /// `getFieldValue(path, Object.class, ignoreMissing)`.
    fn value(&self, doc: &Document, path: &FieldPath) -> Result<Value, IngestError> {
        if self.ignore_missing {
            Ok(doc.get_opt(path).cloned().unwrap_or_default())
        } else {
            doc.get(path).cloned()
        }
    }

    fn build_flow(
        &self,
        doc: &Document,
        source_ip: Option<&str>,
        destination_ip: Option<&str>,
    ) -> Result<Option<FlowTuple>, IngestError> {
        let icmp_type = doc.get_opt(&self.icmp_type).cloned().unwrap_or_default();
        let icmp_code = doc.get_opt(&self.icmp_code).cloned().unwrap_or_default();
        let (Some(source_ip), Some(destination_ip)) = (source_ip, destination_ip) else {
            return Ok(None);
        };
        let source = parse_ip(source_ip)?;
        let destination = parse_ip(destination_ip)?;
        let mut protocol = doc.get_opt(&self.iana_number).cloned().unwrap_or_default();
        if protocol.is_null() {
            protocol = self.value(doc, &self.transport)?;
            if protocol.is_null() {
                return Ok(None);
            }
        }
        let transport = Transport::from_value(&protocol)?;
        let mut flow = FlowTuple {
            source,
            destination,
            transport,
            source_port: 0,
            destination_port: 0,
            icmp_type: 0,
            icmp_code: 0,
        };
        match transport.kind {
            Kind::Tcp | Kind::Udp | Kind::Sctp => {
                let port = self.value(doc, &self.source_port)?;
                flow.source_port = parse_int(&port, "source port")?;
                if !(1..=65535).contains(&flow.source_port) {
                    return Err(IngestError::illegal_argument(format!(
                        "invalid source port [{}]",
                        port.to_java_string()
                    )));
                }
                let port = self.value(doc, &self.destination_port)?;
                flow.destination_port = parse_int(&port, "destination port")?;
                if !(1..=65535).contains(&flow.destination_port) {
                    return Err(IngestError::illegal_argument(format!(
                        "invalid destination port [{}]",
                        port.to_java_string()
                    )));
                }
            }
            Kind::Icmp | Kind::IcmpV6 => {
                flow.icmp_type = parse_int(&icmp_type, "icmp type")?;
                flow.icmp_code = parse_int(&icmp_code, "icmp code")?;
            }
            _ => {}
        }
        Ok(Some(flow))
    }
}

fn parse_ip(text: &str) -> Result<IpAddr, IngestError> {
    isc_geoip::parse_ip_literal(text).map_err(|e| IngestError::illegal_argument(e.to_string()))
}

/// `parseIntFromObjectOrString`: null is 0, numbers truncate as Java's
/// `intValue()`, strings must parse as an int.
fn parse_int(value: &Value, what: &str) -> Result<i32, IngestError> {
    let parsed = match value {
        Value::Null => Some(0),
        Value::String(s) => java_number::parse_int(s).ok(),
        other => java_int_value(other),
    };
    parsed.ok_or_else(|| {
        IngestError::illegal_argument(format!(
            "unable to parse {what} [{}]",
            value.to_java_string()
        ))
    })
}

/// Java's `Number.intValue()`: longs wrap, floating point saturates.
fn java_int_value(value: &Value) -> Option<i32> {
    match *value {
        Value::Int(i) => Some(i),
        Value::Long(l) => Some(l as i32),
        Value::Float(f) => Some(f as i32),
        Value::Double(d) => Some(d as i32),
        _ => None,
    }
}

/// The protocols the spec names; others keep their number as `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unknown,
    Icmp,
    Igmp,
    Tcp,
    Udp,
    Gre,
    IcmpV6,
    Eigrp,
    Ospf,
    Pim,
    Sctp,
}

#[derive(Debug, Clone, Copy)]
struct Transport {
    kind: Kind,
    number: i32,
}

impl Transport {
    fn from_number(number: i32) -> Result<Transport, IngestError> {
        if !(0..255).contains(&number) {
            return Err(IngestError::illegal_argument(format!(
                "invalid transport protocol number [{number}]"
            )));
        }
        let kind = match number {
            1 => Kind::Icmp,
            2 => Kind::Igmp,
            6 => Kind::Tcp,
            17 => Kind::Udp,
            47 => Kind::Gre,
            58 => Kind::IcmpV6,
            88 => Kind::Eigrp,
            89 => Kind::Ospf,
            103 => Kind::Pim,
            132 => Kind::Sctp,
            _ => Kind::Unknown,
        };
        Ok(Transport { kind, number })
    }

    fn from_name(name: &str) -> Option<Transport> {
        let number = match name.to_lowercase().as_str() {
            "icmp" => 1,
            "igmp" => 2,
            "tcp" => 6,
            "udp" => 17,
            "gre" => 47,
            "ipv6-icmp" | "icmpv6" => 58,
            "eigrp" => 88,
            "ospf" => 89,
            "pim" => 103,
            "sctp" => 132,
            _ => return None,
        };
        Transport::from_number(number).ok()
    }

    /// `Transport.fromObject`.
    fn from_value(value: &Value) -> Result<Transport, IngestError> {
        match value {
            Value::String(s) => match Transport::from_name(s) {
                Some(t) => Ok(t),
                None => match java_number::parse_int(s).ok() {
                    Some(n) => Transport::from_number(n),
                    None => Err(IngestError::illegal_argument(format!(
                        "could not convert string [{s}] to transport protocol"
                    ))),
                },
            },
            other => match java_int_value(other) {
                Some(n) => Transport::from_number(n),
                None => Err(IngestError::illegal_argument(format!(
                    "could not convert value of type [{}] to transport protocol",
                    other.java_type_name()
                ))),
            },
        }
    }
}

/// The flow as the spec hashes it.
#[derive(Debug)]
struct FlowTuple {
    source: IpAddr,
    destination: IpAddr,
    transport: Transport,
    source_port: i32,
    destination_port: i32,
    icmp_type: i32,
    icmp_code: i32,
}

/// The reply type that makes an ICMP exchange two-way, if there is one.
fn icmp_counterpart(icmp_type: i32, v6: bool) -> Option<i32> {
    let pairs: &[(i32, i32)] = if v6 {
        &[
            (128, 129),
            (129, 128),
            (133, 134),
            (134, 133),
            (136, 135),
            (135, 136),
            (130, 131),
            (139, 140),
            (140, 139),
            (144, 145),
            (145, 144),
        ]
    } else {
        &[
            (8, 0),
            (0, 8),
            (13, 14),
            (14, 13),
            (15, 16),
            (10, 9),
            (9, 10),
            (17, 18),
            (18, 17),
        ]
    };
    pairs
        .iter()
        .find(|(from, _)| *from == icmp_type)
        .map(|&(_, to)| to)
}

fn address_bytes(ip: IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

fn address_number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// `toUint16`, whose failure Elasticsearch raises as `IllegalStateException`.
fn uint16(n: i32) -> Result<[u8; 2], IngestError> {
    u16::try_from(n).map(u16::to_be_bytes).map_err(|_| {
        IngestError::new(
            "illegal_state_exception",
            format!("number [{n}] must be a value between 0 and 65535"),
        )
    })
}

impl FlowTuple {
    fn community_id(mut self, seed: u16) -> Result<String, IngestError> {
        let kind = self.transport.kind;
        let icmp = matches!(kind, Kind::Icmp | Kind::IcmpV6);
        let has_ports = icmp || matches!(kind, Kind::Tcp | Kind::Udp | Kind::Sctp);
        let mut one_way = false;
        if icmp {
            let counterpart = icmp_counterpart(self.icmp_type, kind == Kind::IcmpV6);
            one_way = counterpart.is_none();
            self.source_port = self.icmp_type;
            self.destination_port = counterpart.unwrap_or(self.icmp_code);
        }
        let (src, dst) = (
            address_number(self.source),
            address_number(self.destination),
        );
        let ordered = src < dst || (src == dst && self.source_port < self.destination_port);
        let keep = ordered || (icmp && one_way);
        let (first, second, first_port, second_port) = if keep {
            (
                self.source,
                self.destination,
                self.source_port,
                self.destination_port,
            )
        } else {
            (
                self.destination,
                self.source,
                self.destination_port,
                self.source_port,
            )
        };
        let mut bytes = seed.to_be_bytes().to_vec();
        bytes.extend(address_bytes(first));
        bytes.extend(address_bytes(second));
        bytes.extend(uint16(self.transport.number << 8)?);
        if has_ports {
            bytes.extend(uint16(first_port)?);
            bytes.extend(uint16(second_port)?);
        }
        let digest = sha1::Sha1::digest(&bytes);
        Ok(format!("1:{}", BASE64.encode(digest)))
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    fn id(options: &str, source: &str) -> String {
        let out = run(&format!(r#"[{{"community_id":{options}}}]"#), source).unwrap();
        let doc = isc_value::from_json_str(&out).unwrap();
        let network = doc
            .as_map()
            .unwrap()
            .get("network")
            .cloned()
            .unwrap_or_default();
        network
            .as_map()
            .and_then(|m| m.get("community_id"))
            .and_then(|v| v.as_str())
            .unwrap_or("none")
            .to_owned()
    }

    const TCP: &str = r#"{"source":{"ip":"66.35.250.204","port":80},"destination":{"ip":"128.232.110.120","port":34855},"network":{"transport":"TCP"}}"#;

    #[test]
    fn documented_tcp_example() {
        assert_eq!(id("{}", TCP), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    }

    /// Reference vectors of the Community ID specification and its
    /// implementations: transport, source, destination, ports or ICMP
    /// type/code, seed, expected id.
    #[test]
    fn specification_vectors() {
        let cases: &[(&str, &str, &str, i64, i64, u16, &str)] = &[
            (
                "udp",
                "192.168.1.52",
                "8.8.8.8",
                54585,
                53,
                0,
                "1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
            ),
            (
                "udp",
                "8.8.8.8",
                "192.168.1.52",
                53,
                54585,
                1,
                "1:Q9We8WO3piVF8yEQBNJF4uiSVrI=",
            ),
            (
                "tcp",
                "10.0.0.1",
                "10.0.0.2",
                10,
                11569,
                0,
                "1:SXBGMX1lBOwhhoDrZynfROxnhnM=",
            ),
            (
                "tcp",
                "10.0.0.1",
                "10.0.0.2",
                10,
                11569,
                1,
                "1:HmBRGR+fUyXF4t8WEtal7Y0gEAo=",
            ),
            (
                "sctp",
                "192.168.170.8",
                "192.168.170.56",
                7,
                7,
                0,
                "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
            ),
            (
                "icmp",
                "192.168.0.89",
                "192.168.0.1",
                8,
                0,
                0,
                "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
            ),
            (
                "icmp",
                "192.168.0.1",
                "192.168.0.89",
                0,
                8,
                0,
                "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
            ),
            (
                "icmp",
                "192.168.0.89",
                "192.168.0.1",
                8,
                0,
                1,
                "1:03g6IloqVBdcZlPyX8r0hgoE7kA=",
            ),
            (
                "icmp",
                "192.168.0.89",
                "192.168.0.1",
                20,
                1,
                0,
                "1:tz/fHIDUHs19NkixVVoOZywde+I=",
            ),
            (
                "ipv6-icmp",
                "fe80::200:86ff:fe05:80da",
                "fe80::260:97ff:fe07:69ea",
                135,
                0,
                0,
                "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=",
            ),
            (
                "icmpv6",
                "fe80::260:97ff:fe07:69ea",
                "ff02::1",
                134,
                0,
                0,
                "1:pkvHqCL88/tg1k4cPigmZXUtL00=",
            ),
        ];
        for &(transport, src, dst, a, b, seed, expected) in cases {
            let icmp = transport.contains("icmp");
            let doc = if icmp {
                format!(
                    r#"{{"source":{{"ip":"{src}"}},"destination":{{"ip":"{dst}"}},"network":{{"transport":"{transport}"}},"icmp":{{"type":{a},"code":{b}}}}}"#
                )
            } else {
                format!(
                    r#"{{"source":{{"ip":"{src}","port":{a}}},"destination":{{"ip":"{dst}","port":{b}}},"network":{{"transport":"{transport}"}}}}"#
                )
            };
            assert_eq!(
                id(&format!(r#"{{"seed":{seed}}}"#), &doc),
                expected,
                "{transport} {src} {dst}"
            );
        }
    }

    /// `CommunityIdProcessorTests` (kept in sync with Beats' processor).
    #[test]
    fn elasticsearch_test_vectors() {
        let tcp = r#""source":{"ip":"128.232.110.120","port":34855},"destination":{"ip":"66.35.250.204","port":80}"#;
        let no_ports = r#""source":{"ip":"128.232.110.120"},"destination":{"ip":"66.35.250.204"}"#;
        let cases: &[(String, &str, &str)] = &[
            (format!(r#"{{{tcp},"network":{{"transport":"TCP"}}}}"#), r#"{"seed":123}"#, "1:hTSGlFQnR58UCk+NfKRZzA32dPg="),
            (format!(r#"{{{tcp},"network":{{"transport":"icmp"}},"icmp":{{"type":3,"code":3}}}}"#), "{}", "1:KF3iG9XD24nhlSy4r1TcYIr5mfE="),
            (format!(r#"{{{tcp},"network":{{"transport":"icmp"}},"icmp":{{"type":"3","code":"3"}}}}"#), "{}", "1:KF3iG9XD24nhlSy4r1TcYIr5mfE="),
            (format!(r#"{{{tcp},"network":{{"transport":"icmp"}}}}"#), "{}", "1:PAE85ZfR4SbNXl5URZwWYyDehwU="),
            (format!(r#"{{{tcp},"network":{{"transport":"icmp"}},"icmp":{{"type":10,"code":3}}}}"#), "{}", "1:L8wnzpmRHIESLqLBy+zTqW3Pmqs="),
            (format!(r#"{{{no_ports},"network":{{"transport":"igmp"}}}}"#), "{}", "1:D3t8Q1aFA6Ev0A/AO4i9PnU3AeI="),
            (format!(r#"{{{no_ports},"network":{{"transport":2}}}}"#), "{}", "1:D3t8Q1aFA6Ev0A/AO4i9PnU3AeI="),
            (format!(r#"{{{no_ports},"network":{{"transport":"2"}}}}"#), "{}", "1:D3t8Q1aFA6Ev0A/AO4i9PnU3AeI="),
            (
                r#"{"source":{"ip":"192.168.1.2"},"destination":{"ip":"10.1.2.3"},"network":{"iana_number":"4"}}"#.to_owned(),
                "{}",
                "1:KXQzmk3bdsvD6UXj7dvQ4bM6Zvw=",
            ),
            (
                r#"{"source":{"ip":"2001:0db8:85a3:0000:0000:8a2e:0370:7334","port":34855},"destination":{"ip":"2001:0:9d38:6ab8:1c48:3a1c:a95a:b1c2","port":80},"network":{"transport":"TCP"}}"#.to_owned(),
                "{}",
                "1:YC1+javPJ2LpK5xVyw1udfT83Qs=",
            ),
            (
                r#"{"source":{"ip":"128.232.110.120","port":34855.0},"destination":{"ip":"66.35.250.204","port":"80"},"network":{"iana_number":6}}"#.to_owned(),
                "{}",
                "1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
            ),
        ];
        for (doc, options, expected) in cases {
            assert_eq!(id(options, doc), *expected, "{doc}");
        }
        let strict = r#"[{"community_id":{"ignore_missing":false}}]"#;
        for (port, message) in [
            (
                r#""source":{"ip":"128.232.110.120","port":0},"destination":{"ip":"66.35.250.204","port":80}"#,
                "invalid source port [0]",
            ),
            (
                r#""source":{"ip":"128.232.110.120","port":34855},"destination":{"ip":"66.35.250.204","port":65536}"#,
                "invalid destination port [65536]",
            ),
            (
                r#""source":{"ip":"128.232.110.120","port":34855},"destination":{"ip":"66.35.250.204","port":null}"#,
                "invalid destination port [null]",
            ),
            (
                r#""source":{"ip":2162716280,"port":34855},"destination":{"ip":"66.35.250.204","port":80}"#,
                "field [source.ip] of type [java.lang.Long] cannot be cast to [java.lang.String]",
            ),
            (
                r#""source":{"port":34855},"destination":{"ip":"66.35.250.204","port":80}"#,
                "field [ip] not present as part of path [source.ip]",
            ),
            (
                r#""source":{"ip":"128.232.110.120","port":34855},"destination":{"ip":"308.111.1.2.3","port":80}"#,
                "'308.111.1.2.3' is not an IP string literal.",
            ),
        ] {
            let doc = format!(r#"{{{port},"network":{{"transport":"TCP"}}}}"#);
            assert_eq!(run_err(strict, &doc), message);
        }
    }

    #[test]
    fn direction_does_not_matter() {
        let reversed = r#"{"source":{"ip":"128.232.110.120","port":34855},"destination":{"ip":"66.35.250.204","port":80},"network":{"transport":"tcp"}}"#;
        assert_eq!(id("{}", reversed), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    }

    #[test]
    fn iana_number_wins_over_transport_and_accepts_strings() {
        let doc = r#"{"source":{"ip":"66.35.250.204","port":"80"},"destination":{"ip":"128.232.110.120","port":34855},"network":{"iana_number":"6","transport":"udp"}}"#;
        assert_eq!(id("{}", doc), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    }

    #[test]
    fn seed_changes_the_hash() {
        assert_ne!(id(r#"{"seed":1}"#, TCP), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    }

    #[test]
    fn icmp_echo_request_and_reply_share_an_id() {
        let request = r#"{"source":{"ip":"192.168.0.89"},"destination":{"ip":"192.168.0.1"},"network":{"transport":"icmp"},"icmp":{"type":8,"code":0}}"#;
        let reply = r#"{"source":{"ip":"192.168.0.1"},"destination":{"ip":"192.168.0.89"},"network":{"transport":"icmp"},"icmp":{"type":0,"code":0}}"#;
        assert_eq!(id("{}", request), id("{}", reply));
    }

    #[test]
    fn missing_fields_are_ignored_by_default() {
        assert_eq!(
            run(r#"[{"community_id":{}}]"#, r#"{"a":1}"#).unwrap(),
            r#"{"a":1}"#
        );
    }

    #[test]
    fn missing_fields_fail_when_not_ignored() {
        let p = r#"[{"community_id":{"ignore_missing":false}}]"#;
        assert_eq!(
            run_err(p, r#"{"destination":{"ip":"1.2.3.4"}}"#),
            "field [source] not present as part of path [source.ip]"
        );
        assert_eq!(
            run_err(
                p,
                r#"{"source":{"ip":"1.2.3.4"},"destination":{"ip":"1.2.3.4"},"network":{"transport":null}}"#
            ),
            "unable to construct flow from document"
        );
    }

    #[test]
    fn bad_values_give_elasticsearchs_errors() {
        let p = r#"[{"community_id":{}}]"#;
        assert_eq!(
            run_err(
                p,
                r#"{"source":{"ip":"nope"},"destination":{"ip":"1.2.3.4"},"network":{"transport":"tcp"}}"#
            ),
            "'nope' is not an IP string literal."
        );
        assert_eq!(
            run_err(
                p,
                r#"{"source":{"ip":"1.2.3.4","port":70000},"destination":{"ip":"1.2.3.5","port":1},"network":{"transport":"tcp"}}"#
            ),
            "invalid source port [70000]"
        );
        assert_eq!(
            run_err(
                p,
                r#"{"source":{"ip":"1.2.3.4","port":"x"},"destination":{"ip":"1.2.3.5","port":1},"network":{"transport":"tcp"}}"#
            ),
            "unable to parse source port [x]"
        );
        assert_eq!(
            run_err(
                p,
                r#"{"source":{"ip":"1.2.3.4"},"destination":{"ip":"1.2.3.5"},"network":{"transport":"carrier-pigeon"}}"#
            ),
            "could not convert string [carrier-pigeon] to transport protocol"
        );
        assert_eq!(
            run_err(
                p,
                r#"{"source":{"ip":"1.2.3.4"},"destination":{"ip":"1.2.3.5"},"network":{"iana_number":300}}"#
            ),
            "invalid transport protocol number [300]"
        );
        assert_eq!(
            run_err(
                p,
                r#"{"source":{"ip":"1.2.3.4"},"destination":{"ip":"1.2.3.5"},"network":{"transport":true}}"#
            ),
            "could not convert value of type [java.lang.Boolean] to transport protocol"
        );
    }

    #[test]
    fn protocols_without_ports_hash_addresses_only() {
        let gre = r#"{"source":{"ip":"1.2.3.4","port":1},"destination":{"ip":"1.2.3.5","port":2},"network":{"transport":"gre"}}"#;
        let gre_other_ports = r#"{"source":{"ip":"1.2.3.4","port":9},"destination":{"ip":"1.2.3.5","port":8},"network":{"transport":"gre"}}"#;
        assert_eq!(id("{}", gre), id("{}", gre_other_ports));
    }

    #[test]
    fn seed_is_range_checked() {
        assert_eq!(
            config_err(r#"[{"community_id":{"seed":65536}}]"#),
            "[seed] must be a value between 0 and 65535"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_input_string_panics(text in "\\PC{0,40}") {
            let s = isc_value::to_json_string(&isc_value::Value::from(text.as_str()));
            let _ = crate::processors::test_support::run(
                r#"[{"community_id":{"ignore_missing":false}}]"#,
                &format!(r#"{{"source":{{"ip":{s},"port":{s}}},"destination":{{"ip":{s},"port":{s}}},"network":{{"transport":{s}}},"icmp":{{"type":{s},"code":{s}}}}}"#),
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn no_numbers_panic(a in proptest::num::u32::ANY, b in proptest::num::u128::ANY, p in proptest::num::i64::ANY, q in proptest::num::f64::ANY, t in 0i64..300, kind in 0usize..3) {
            let src = std::net::Ipv4Addr::from(a).to_string();
            let dst = std::net::Ipv6Addr::from(b).to_string();
            let q = if q.is_finite() { q } else { 0.0 };
            let transport = ["\"icmp\"", "\"ipv6-icmp\"", "\"tcp\""][kind];
            let doc = format!(r#"{{"source":{{"ip":"{src}","port":{p}}},"destination":{{"ip":"{dst}","port":{q}}},"network":{{"transport":{transport},"iana_number":{t}}},"icmp":{{"type":{p},"code":{q}}}}}"#);
            let _ = crate::processors::test_support::run(r#"[{"community_id":{}}]"#, &doc);
        }
    }
}
