//! Validation of every field of a produced document against the data
//! stream's definitions, with elastic-package's rules and messages.
//!
//! Rules (as `internal/fields/validate.go` applies them for pipeline tests):
//! - every leaf must be defined, except the families `agent`,
//!   `elastic_agent`, `cloud`, `event`, `host`, `metricset`, leaves below a
//!   `flattened` field, and leaves below a parent with `enabled: false`;
//! - `keyword`, `constant_keyword` and `text` take strings (numbers and
//!   booleans too for `numeric_keyword_fields`), a `constant_keyword` with a
//!   declared `value` only that value, and a `pattern` must match;
//! - `date` takes strings or numbers; `ip` strings that are test addresses
//!   (private, documentation, loopback, link-local, multicast, unspecified,
//!   broadcast, or in the GeoIP test database ranges);
//! - `long`, `float`, `double` take numbers (strings that parse as numbers
//!   for `string_number_fields`);
//! - `group`, `object`, `nested` hold objects, never plain values;
//! - fields declared `normalize: [array]` must hold arrays;
//! - `event.dataset` and `data_stream.dataset` must name the data stream.
//!
//! Other types (`boolean`, `integer`, `scaled_float`, `wildcard`,
//! `match_only_text`, `geo_point`, `flattened`...) are accepted as they are,
//! as elastic-package accepts them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use isc_value::{Map, Value};

use crate::field_schema::{Definition, FieldSchema};
use crate::go_format::{go_quote, go_quote_list, go_quote_value, go_type_name, go_value};
use crate::package::SpecVersion;
use crate::test_case::get_dotted;

/// Validates documents of one test case.
#[derive(Debug, Clone)]
pub struct FieldValidator {
    schema: FieldSchema,
    spec_version: SpecVersion,
    expected_datasets: Vec<String>,
    numeric_keyword_fields: Vec<String>,
    string_number_fields: Vec<String>,
}

impl FieldValidator {
    /// A validator over `schema` for a package of `spec_version`, expecting
    /// `expected_datasets` in the dataset fields.
    pub fn new(
        schema: FieldSchema,
        spec_version: SpecVersion,
        expected_datasets: Vec<String>,
    ) -> Self {
        FieldValidator {
            schema,
            spec_version,
            expected_datasets,
            numeric_keyword_fields: Vec::new(),
            string_number_fields: Vec::new(),
        }
    }

    /// The same validator with a case's `numeric_keyword_fields` and
    /// `string_number_fields`.
    pub fn with_case_exceptions(
        &self,
        numeric_keyword: &[String],
        string_number: &[String],
    ) -> Self {
        let mut v = self.clone();
        v.numeric_keyword_fields = numeric_keyword.to_vec();
        v.string_number_fields = string_number.to_vec();
        v
    }

    /// Every problem of `document`, as elastic-package words them.
    pub fn validate(&self, document: &Value) -> Vec<String> {
        let Value::Map(map) = document else {
            return vec!["unmarshalling document body failed: document is not an object".into()];
        };
        let mut errors = self.validate_dataset_values(map);
        self.validate_map("", map, map, &mut errors);
        errors
    }

    fn validate_dataset_values(&self, doc: &Map) -> Vec<String> {
        let mut errors = Vec::new();
        if self.spec_version < SpecVersion::new(2, 0, 0) || self.expected_datasets.is_empty() {
            return errors;
        }
        for field in ["event.dataset", "data_stream.dataset"] {
            let Some(value) = get_dotted(doc, field) else {
                continue;
            };
            let ok = matches!(value, Value::String(s) if self.expected_datasets.contains(s));
            if !ok {
                errors.push(format!(
                    "field {} should have value in {}, it has \"{}\"",
                    go_quote(field),
                    go_quote_list(&self.expected_datasets),
                    go_value(value)
                ));
            }
        }
        errors
    }

    fn validate_map(&self, root: &str, elem: &Map, doc: &Map, errors: &mut Vec<String>) {
        for (name, value) in elem {
            let key = join_key(root, name);
            match value {
                Value::Map(inner) => {
                    let flattened = self
                        .schema
                        .find(&key)
                        .is_some_and(|d| d.field_type == "flattened");
                    if !flattened {
                        self.validate_map(&key, inner, doc, errors);
                    }
                }
                _ => {
                    if self.skip_leaf_of_object(root, name) {
                        continue;
                    }
                    if let Some(e) = self.validate_scalar(&key, value, doc) {
                        errors.push(e);
                    }
                }
            }
        }
    }

    /// Before format 3.0.1, leaves with dotted names below an object-like
    /// field were not validated.
    fn skip_leaf_of_object(&self, root: &str, name: &str) -> bool {
        if self.spec_version >= SpecVersion::new(3, 0, 1) || !name.contains('.') {
            return false;
        }
        let key = join_key(root, name);
        let mut current = key.as_str();
        while let Some((parent, _)) = current.rsplit_once('.') {
            if parent.len() < root.len() {
                return false;
            }
            if let Some(def) = self.schema.find(parent) {
                if matches!(
                    &def.field_type[..],
                    "group" | "object" | "nested" | "flattened"
                ) {
                    return true;
                }
            }
            current = parent;
        }
        false
    }

    fn validate_scalar(&self, key: &str, value: &Value, doc: &Map) -> Option<String> {
        if key.is_empty() {
            return None;
        }
        let Some(def) = self.schema.find(key) else {
            return self.undefined_field(key, value);
        };
        if self.spec_version >= SpecVersion::new(2, 0, 0)
            && def.array
            && !value.is_null()
            && !matches!(value, Value::List(_))
        {
            return Some(format!(
                "field {} is not normalized as expected: expected array, found {} ({})",
                go_quote(key),
                go_quote_value(value),
                go_type_name(value)
            ));
        }
        self.check_each_element(key, &def, value, doc)
            .or_else(|| self.check_all_elements(key, &def, value, doc))
            .map(|e| format!("parsing field value failed: {e}"))
    }

    fn undefined_field(&self, key: &str, value: &Value) -> Option<String> {
        const SKIPPED_FAMILIES: &[&str] = &[
            "agent",
            "elastic_agent",
            "cloud",
            "event",
            "host",
            "metricset",
        ];
        if SKIPPED_FAMILIES
            .iter()
            .any(|f| key == *f || key.starts_with(&format!("{f}.")))
        {
            return None;
        }
        if self
            .schema
            .find_ancestor(key, |d| d.field_type == "flattened")
            .is_some()
        {
            return None;
        }
        let array_of_objects =
            matches!(value, Value::List(items) if items.iter().any(|i| matches!(i, Value::Map(_))));
        if array_of_objects {
            return Some(format!(
                "field {} is used as array of objects, expected explicit definition with type group or nested",
                go_quote(key)
            ));
        }
        if let Some(parent) = self.schema.find_parent(key) {
            if !matches!(&parent.field_type[..], "" | "group" | "nested" | "object") {
                return Some(format!(
                    "field {} is undefined, could be a multifield",
                    go_quote(key)
                ));
            }
        }
        Some(format!("field {} is undefined", go_quote(key)))
    }

    /// Checks that need every value of the field at once: the `event.type`
    /// values that the values of a categorisation field expect.
    fn check_all_elements(
        &self,
        key: &str,
        def: &Definition,
        value: &Value,
        doc: &Map,
    ) -> Option<String> {
        if !matches!(&def.field_type[..], "constant_keyword" | "keyword" | "text")
            || self.spec_version < SpecVersion::new(2, 0, 0)
        {
            return None;
        }
        let values = strings_of(Some(value));
        let mut expected: Vec<String> = Vec::new();
        for v in &values {
            if let Some(allowed) = def.allowed_values.iter().find(|a| &a.name == v) {
                for t in &allowed.expected_event_types {
                    if !expected.contains(t) {
                        expected.push(t.clone());
                    }
                }
            }
        }
        if expected.is_empty() {
            return None;
        }
        let event_types = strings_of(get_dotted(doc, "event.type"));
        event_types.iter().find(|t| !expected.contains(t)).map(|t| {
            format!(
                "field \"event.type\" value {} is not one of the expected values ({}) for any of the values of {} ({})",
                go_quote(t),
                expected.join(", "),
                go_quote(key),
                values.join(", ")
            )
        })
    }

    fn check_each_element(
        &self,
        key: &str,
        def: &Definition,
        value: &Value,
        doc: &Map,
    ) -> Option<String> {
        match value {
            Value::List(items) => items
                .iter()
                .find_map(|item| self.check_single_value(key, def, item, doc)),
            single => self.check_single_value(key, def, single, doc),
        }
    }

    fn check_single_value(
        &self,
        key: &str,
        def: &Definition,
        value: &Value,
        doc: &Map,
    ) -> Option<String> {
        let invalid_type = || {
            Some(format!(
                "field {}'s Go type, {}, does not match the expected field type: {} (field value: {})",
                go_quote(key),
                go_type_name(value),
                def.field_type,
                go_value(value)
            ))
        };
        let string_value = || -> Option<String> {
            match value {
                Value::String(s) => Some(s.clone()),
                Value::Bool(_)
                | Value::Int(_)
                | Value::Long(_)
                | Value::Float(_)
                | Value::Double(_)
                    if self.numeric_keyword_fields.iter().any(|f| f == key) =>
                {
                    Some(go_value(value))
                }
                _ => None,
            }
        };
        match &def.field_type[..] {
            "constant_keyword" => {
                let Some(s) = string_value() else {
                    return invalid_type();
                };
                if let Some(expected) = def.value.as_deref().filter(|v| !v.is_empty()) {
                    if s != expected {
                        return Some(format!(
                            "field {}'s value {} does not match the declared constant_keyword value {}",
                            go_quote(key),
                            go_quote(&s),
                            go_quote(expected)
                        ));
                    }
                }
                pattern_problem(key, &s, def.pattern.as_deref())
                    .or_else(|| allowed_values_problem(key, &s, def))
            }
            "keyword" | "text" => {
                let Some(s) = string_value() else {
                    return invalid_type();
                };
                pattern_problem(key, &s, def.pattern.as_deref())
                    .or_else(|| allowed_values_problem(key, &s, def))
            }
            "date" => match value {
                Value::String(s) => pattern_problem(key, s, def.pattern.as_deref()),
                v if v.is_number() => def.pattern.as_deref().filter(|p| !p.is_empty()).map(|_| {
                    format!(
                        "numeric date in field {}, but pattern defined",
                        go_quote(key)
                    )
                }),
                _ => invalid_type(),
            },
            "ip" => {
                let Value::String(s) = value else {
                    return invalid_type();
                };
                if let Some(e) = pattern_problem(key, s, def.pattern.as_deref()) {
                    return Some(e);
                }
                if !is_allowed_test_ip(s) {
                    return Some(format!(
                        "the IP {} is not one of the allowed test IPs (see: https://github.com/elastic/elastic-package/blob/main/internal/fields/_static/allowed_geo_ips.txt)",
                        go_quote(s)
                    ));
                }
                None
            }
            "group" | "nested" | "object" => match value {
                Value::Map(m) => {
                    if self.spec_version < SpecVersion::new(3, 0, 1) {
                        return None;
                    }
                    let mut errors = Vec::new();
                    self.validate_map(key, m, doc, &mut errors);
                    if errors.is_empty() {
                        None
                    } else {
                        Some(
                            errors
                                .iter()
                                .enumerate()
                                .map(|(i, e)| format!("[{i}] {e}"))
                                .collect::<Vec<_>>()
                                .join("\n"),
                        )
                    }
                }
                Value::List(items) => {
                    if self.spec_version < SpecVersion::new(3, 0, 1) {
                        return None;
                    }
                    items
                        .iter()
                        .find_map(|i| self.check_single_value(key, def, i, doc))
                }
                Value::Null => None,
                _ => {
                    if def.field_type == "object" {
                        if let Some(object_type) = &def.object_type {
                            let leaf = Definition {
                                name: format!("{}.*", def.name),
                                field_type: object_type.clone(),
                                object_type: None,
                                ..def.clone()
                            };
                            return self.check_single_value(key, &leaf, value, doc);
                        }
                        return None;
                    }
                    Some(format!(
                        "field {} is a group of fields of type {}, it cannot store values",
                        go_quote(key),
                        def.field_type
                    ))
                }
            },
            "float" | "long" | "double" => match value {
                v if v.is_number() => None,
                Value::String(s) => {
                    let accepted =
                        self.string_number_fields.iter().any(|f| f == key) && parses_as_go_float(s);
                    if accepted { None } else { invalid_type() }
                }
                _ => invalid_type(),
            },
            _ => None,
        }
    }
}

/// A value as a list of strings (`%v` of each element).
fn strings_of(value: Option<&Value>) -> Vec<String> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::List(items)) => items.iter().map(go_value).collect(),
        Some(other) => vec![go_value(other)],
    }
}

/// `allowed_values` and `expected_values` of the definition.
fn allowed_values_problem(key: &str, value: &str, def: &Definition) -> Option<String> {
    if !def.allowed_values.is_empty() && !def.allowed_values.iter().any(|a| a.name == value) {
        let names: Vec<&str> = def.allowed_values.iter().map(|a| a.name.as_str()).collect();
        return Some(format!(
            "field {}'s value {} is not one of the allowed values ({})",
            go_quote(key),
            go_quote(value),
            names.join(", ")
        ));
    }
    if !def.expected_values.is_empty() && !def.expected_values.iter().any(|e| e == value) {
        return Some(format!(
            "field {}'s value {} is not one of the expected values ({})",
            go_quote(key),
            go_quote(value),
            def.expected_values.join(", ")
        ));
    }
    None
}

fn join_key(root: &str, name: &str) -> String {
    let joined = format!("{root}.{name}");
    joined.trim_start_matches('.').to_owned()
}

fn pattern_problem(key: &str, value: &str, pattern: Option<&str>) -> Option<String> {
    let pattern = pattern.filter(|p| !p.is_empty())?;
    match crate::go_regex::compile(pattern) {
        Err(e) => Some(format!("invalid pattern: {e}")),
        Ok(re) if re.is_match(value) => None,
        Ok(_) => Some(format!(
            "field {}'s value, {}, does not match the expected pattern: {}",
            go_quote(key),
            value,
            pattern
        )),
    }
}

/// Go's `strconv.ParseFloat(s, 64)` acceptance (decimal and exponent
/// forms, `inf`, `nan`; Go's hexadecimal floats are not accepted here).
fn parses_as_go_float(s: &str) -> bool {
    s.parse::<f64>().is_ok()
}

/// elastic-package's allowed test addresses: the GeoIP test database
/// ranges, private, documentation, loopback, link-local, multicast,
/// unspecified and broadcast addresses.
pub fn is_allowed_test_ip(s: &str) -> bool {
    let Ok(ip) = s.parse::<IpAddr>() else {
        return false;
    };
    let ip = match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    };
    const GEOIP_TEST_RANGES: &[&str] = &[
        "1.128.0.0/11",
        "175.16.199.0/24",
        "216.160.83.56/29",
        "81.2.69.142/31",
        "81.2.69.192/28",
        "89.160.20.112/28",
        "89.160.20.128/25",
        "67.43.156.0/24",
        "2a02:cf40::/29",
    ];
    if GEOIP_TEST_RANGES.iter().any(|c| in_cidr(ip, c)) {
        return true;
    }
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_unspecified()
                || v4.is_private()
                || (o[0] == 192 && o[1] == 0 && o[2] == 2)
                || (o[0] == 198 && o[1] == 51 && o[2] == 100)
                || (o[0] == 203 && o[1] == 0 && o[2] == 113)
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4 == Ipv4Addr::BROADCAST
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            v6.is_unspecified()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || v6.is_loopback()
                || (s[0] & 0xffc0) == 0xfe80
                || v6.is_multicast()
                || v6 == Ipv6Addr::from([0xffff; 8])
        }
    }
}

fn in_cidr(ip: IpAddr, cidr: &str) -> bool {
    let Some((net, bits)) = cidr.split_once('/') else {
        return false;
    };
    let Ok(bits) = bits.parse::<u32>() else {
        return false;
    };
    match (ip, net.parse::<IpAddr>()) {
        (IpAddr::V4(a), Ok(IpAddr::V4(n))) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            (u32::from(a) & mask) == (u32::from(n) & mask)
        }
        (IpAddr::V6(a), Ok(IpAddr::V6(n))) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            (u128::from(a) & mask) == (u128::from(n) & mask)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isc_value::from_json_str;

    fn def(name: &str, t: &str) -> Definition {
        Definition {
            name: name.into(),
            field_type: t.into(),
            ..Definition::default()
        }
    }

    fn validator() -> FieldValidator {
        let mut ck = def("data_stream.type", "constant_keyword");
        ck.value = Some("logs".into());
        let mut tags = def("tags", "keyword");
        tags.array = true;
        let mut flat = def("labels_flat", "flattened");
        flat.external = false;
        let schema = FieldSchema::new(vec![
            def("message", "match_only_text"),
            def("user.name", "keyword"),
            def("user", "group"),
            def("source.ip", "ip"),
            def("source", "group"),
            def("source.port", "long"),
            def("event.created", "date"),
            def("related", "group"),
            ck,
            def("data_stream", "group"),
            def("data_stream.dataset", "constant_keyword"),
            tags,
            flat,
            def("process.pid", "long"),
            def("process", "group"),
            def("process.name", "keyword"),
        ]);
        FieldValidator::new(schema, SpecVersion::new(3, 0, 2), vec!["pkg.ds".into()])
    }

    fn problems(json: &str) -> Vec<String> {
        validator().validate(&from_json_str(json).unwrap())
    }

    #[test]
    fn valid_document_has_no_problems() {
        let p = problems(
            r#"{"message":"m","user":{"name":"a"},"source":{"ip":"10.0.0.1","port":80},"tags":["x"],"data_stream":{"type":"logs","dataset":"pkg.ds"},"event":{"whatever":1},"labels_flat":{"a":{"b":1}},"host":{"x":1}}"#,
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn each_kind_of_problem_reads_like_elastic_package() {
        let p = problems(
            r#"{"user":{"nme":"a","name":7},"source":{"ip":"8.8.8.8","port":"80"},"tags":"x","data_stream":{"type":"metrics","dataset":"other"},"process":"p","event":{"created":true},"process.name.x":"y","related":[{"a":1}]}"#,
        );
        let mut p = p;
        p.sort();
        insta::assert_snapshot!(p.join("\n"));
    }

    #[test]
    fn numeric_keyword_and_string_number_exceptions_apply() {
        let v = validator().with_case_exceptions(&["user.name".into()], &["source.port".into()]);
        let doc = from_json_str(r#"{"user":{"name":7},"source":{"port":"80"}}"#).unwrap();
        assert!(v.validate(&doc).is_empty());
        let doc = from_json_str(r#"{"source":{"port":"eighty"}}"#).unwrap();
        assert_eq!(v.validate(&doc).len(), 1);
    }

    #[test]
    fn ecs_categorisation_values_are_checked() {
        let fields = isc_fields::FieldSet::from_texts(
            &[(
                std::path::Path::new("fields/ecs.yml"),
                "- name: event.kind\n  external: ecs\n- name: event.category\n  external: ecs\n- name: event.type\n  external: ecs\n",
            )],
            isc_fields::EcsReference::embedded(),
        )
        .unwrap();
        let schema = FieldSchema::from_field_set(&fields, None);
        let v = FieldValidator::new(schema, SpecVersion::new(3, 0, 0), vec![]);
        let doc = from_json_str(
            r#"{"event":{"kind":"bogus","category":["authentication"],"type":["start","access"]}}"#,
        )
        .unwrap();
        let mut problems = v.validate(&doc);
        problems.sort();
        insta::assert_snapshot!(problems.join("\n"));
        let ok = from_json_str(
            r#"{"event":{"kind":"event","category":["iam"],"type":["user","change"]}}"#,
        )
        .unwrap();
        assert!(v.validate(&ok).is_empty(), "{:?}", v.validate(&ok));
    }

    #[test]
    fn test_ips_are_recognised() {
        for ok in [
            "10.1.2.3",
            "192.168.0.1",
            "203.0.113.7",
            "81.2.69.142",
            "2a02:cf40::1",
            "::1",
            "fe80::1",
            "255.255.255.255",
            "224.0.0.1",
            "2001:db8::1",
            "67.43.156.1",
        ] {
            assert!(is_allowed_test_ip(ok), "{ok}");
        }
        for bad in ["8.8.8.8", "not-an-ip", "2600::1", "81.2.69.144"] {
            assert!(!is_allowed_test_ip(bad), "{bad}");
        }
    }
}
