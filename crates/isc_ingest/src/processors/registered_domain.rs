//! `registered_domain`: Elasticsearch's `RegisteredDomainProcessor`. Splits
//! a fully qualified domain name into `domain`, `registered_domain`,
//! `top_level_domain` and `subdomain` under `target_field` (default: the
//! document root).
//!
//! Elasticsearch asks Apache HttpClient's `PublicSuffixMatcher` for the
//! domain root. That matcher walks the name from its longest suffix down:
//! an exception rule makes the current name the root, a rule of either
//! section (ICANN or private) makes the previous, one label longer, name
//! the root, and a name under no rule at all has no usable root. The same
//! walk runs here over the `psl` crate's list; `top_level_domain` is, as in
//! Elasticsearch, what follows the first dot of the registered domain, so
//! `foo.github.io` gives `github.io`.
//!
//! Differences from Elasticsearch: the suffix list is the `psl` crate's,
//! newer than the copy bundled in HttpClient, so recently added suffixes
//! can change a result; HttpClient looks labels up in their Unicode form,
//! the `psl` crate as written (punycode and Unicode spellings may differ).

use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};
use isc_value::Value;

/// The `registered_domain` processor's options, compiled.
#[derive(Debug)]
pub struct RegisteredDomain {
    field: FieldPath,
    target_prefix: String,
    ignore_missing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let target_field = config.string_or("target_field", "")?;
    let ignore_missing = config.bool_or("ignore_missing", true)?;
    let target_prefix = if target_field.is_empty() {
        target_field
    } else {
        format!("{target_field}.")
    };
    Ok(Box::new(RegisteredDomain {
        field: FieldPath::new(&field),
        target_prefix,
        ignore_missing,
    }))
}

/// The parts Elasticsearch writes; `None` parts are left out.
#[derive(Debug, Default, PartialEq)]
struct DomainInfo {
    domain: Option<String>,
    registered_domain: Option<String>,
    top_level_domain: Option<String>,
    subdomain: Option<String>,
}

impl Processor for RegisteredDomain {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let info = doc
            .get_string(&self.field, self.ignore_missing)?
            .and_then(domain_info);
        let Some(info) = info else {
            if self.ignore_missing {
                return Ok(Flow::Continue);
            }
            return Err(IngestError::illegal_argument(
                "unable to set domain information for document",
            ));
        };
        let parts = [
            ("domain", info.domain),
            ("registered_domain", info.registered_domain),
            ("top_level_domain", info.top_level_domain),
            ("subdomain", info.subdomain),
        ];
        for (name, value) in parts {
            if let Some(value) = value {
                let path = FieldPath::new(&format!("{}{name}", self.target_prefix));
                doc.set(&path, Value::String(value))?;
            }
        }
        Ok(Flow::Continue)
    }
}

/// Elasticsearch's `getRegisteredDomain` for one name.
fn domain_info(name: &str) -> Option<DomainInfo> {
    let Some(root) = domain_root(name) else {
        // The name is itself a public suffix.
        let bare = name.strip_prefix('.').unwrap_or(name);
        if domain_root(bare).is_none() {
            return Some(DomainInfo {
                domain: Some(name.to_owned()),
                registered_domain: None,
                top_level_domain: Some(name.to_owned()),
                subdomain: None,
            });
        }
        return None;
    };
    if !root.contains('.') {
        // No known suffix at all.
        return None;
    }
    let Some(dot) = root.find('.').filter(|&i| i + 1 < root.len()) else {
        return Some(DomainInfo::default());
    };
    let subdomain = name
        .rfind(&format!(".{root}"))
        .filter(|&i| i > 0)
        .map(|i| name[..i].to_owned());
    Some(DomainInfo {
        domain: Some(name.to_owned()),
        top_level_domain: Some(root[dot + 1..].to_owned()),
        registered_domain: Some(root),
        subdomain,
    })
}

/// HttpClient's `PublicSuffixMatcher.getDomainRoot(domain, null)`.
fn domain_root(name: &str) -> Option<String> {
    if name.starts_with('.') {
        return None;
    }
    let lower = name.to_lowercase();
    let mut segment = Some(lower.as_str());
    let mut result = None;
    while let Some(current) = segment {
        if is_exception(current) {
            return Some(current.to_owned());
        }
        if listed_suffix_type(current).is_some() {
            return result.map(str::to_owned);
        }
        result = Some(current);
        segment = current.split_once('.').map(|(_, rest)| rest);
    }
    result.map(str::to_owned)
}

/// The rule type when `name` as a whole is a listed suffix (directly or by
/// a wildcard rule).
fn listed_suffix_type(name: &str) -> Option<psl::Type> {
    let suffix = psl::suffix(name.as_bytes())?;
    if suffix.as_bytes().len() == name.len() {
        suffix.typ()
    } else {
        None
    }
}

/// True when an exception rule (`!www.ck`) names `name`: its parent has a
/// wildcard rule, yet `name` itself is not a suffix.
fn is_exception(name: &str) -> bool {
    let Some((_, parent)) = name.split_once('.') else {
        return false;
    };
    if listed_suffix_type(name).is_some() {
        return false;
    }
    let probe = format!("isc-wildcard-probe.{parent}");
    listed_suffix_type(&probe).is_some()
}

#[cfg(test)]
mod tests {
    use super::{DomainInfo, domain_info};
    use crate::processors::test_support::{run, run_err};

    fn info(name: &str) -> Option<DomainInfo> {
        domain_info(name)
    }

    fn parts(d: &str, r: Option<&str>, t: &str, s: Option<&str>) -> Option<DomainInfo> {
        Some(DomainInfo {
            domain: Some(d.to_owned()),
            registered_domain: r.map(str::to_owned),
            top_level_domain: Some(t.to_owned()),
            subdomain: s.map(str::to_owned),
        })
    }

    #[test]
    fn documented_example() {
        assert_eq!(
            run(
                r#"[{"registered_domain":{"field":"fqdn","target_field":"url"}}]"#,
                r#"{"fqdn":"www.example.ac.uk"}"#
            )
            .unwrap(),
            r#"{"fqdn":"www.example.ac.uk","url":{"domain":"www.example.ac.uk","registered_domain":"example.ac.uk","top_level_domain":"ac.uk","subdomain":"www"}}"#
        );
    }

    #[test]
    fn simple_and_deep_names() {
        assert_eq!(
            info("example.com"),
            parts("example.com", Some("example.com"), "com", None)
        );
        assert_eq!(
            info("a.b.c.example.com"),
            parts(
                "a.b.c.example.com",
                Some("example.com"),
                "com",
                Some("a.b.c")
            )
        );
    }

    #[test]
    fn private_suffixes_count_as_suffixes() {
        assert_eq!(
            info("foo.github.io"),
            parts("foo.github.io", Some("foo.github.io"), "github.io", None)
        );
        assert_eq!(
            info("1.www.global.ssl.fastly.net"),
            parts(
                "1.www.global.ssl.fastly.net",
                Some("www.global.ssl.fastly.net"),
                "global.ssl.fastly.net",
                Some("1")
            )
        );
    }

    #[test]
    fn elasticsearch_test_cases() {
        assert_eq!(
            info("www.google.com"),
            parts("www.google.com", Some("google.com"), "com", Some("www"))
        );
        for nothing in ["", ".", "$", "foo.bar.baz"] {
            assert_eq!(info(nothing), None, "{nothing:?}");
        }
    }

    #[test]
    fn a_public_suffix_alone_is_its_own_domain_and_tld() {
        assert_eq!(
            info("co.uk"),
            Some(DomainInfo {
                domain: Some("co.uk".to_owned()),
                registered_domain: None,
                top_level_domain: Some("co.uk".to_owned()),
                subdomain: None,
            })
        );
    }

    #[test]
    fn unknown_suffixes_and_bare_words_give_nothing() {
        assert_eq!(info("localhost"), None);
        assert_eq!(info(""), None);
        assert_eq!(info("foo.notatld"), None);
    }

    #[test]
    fn upper_case_names_keep_their_case_but_lose_the_subdomain() {
        assert_eq!(
            info("WWW.Example.COM"),
            parts("WWW.Example.COM", Some("example.com"), "com", None)
        );
    }

    #[test]
    fn exception_rules_make_the_name_a_root() {
        assert_eq!(
            info("foo.www.ck"),
            parts("foo.www.ck", Some("www.ck"), "ck", Some("foo"))
        );
    }

    #[test]
    fn missing_or_bad_input_is_ignored_by_default_or_fails() {
        assert_eq!(
            run(
                r#"[{"registered_domain":{"field":"d"}}]"#,
                r#"{"d":"localhost"}"#
            )
            .unwrap(),
            r#"{"d":"localhost"}"#
        );
        assert_eq!(
            run_err(
                r#"[{"registered_domain":{"field":"d","ignore_missing":false}}]"#,
                r#"{"d":"localhost"}"#
            ),
            "unable to set domain information for document"
        );
        assert_eq!(
            run_err(
                r#"[{"registered_domain":{"field":"d","ignore_missing":false}}]"#,
                "{}"
            ),
            "field [d] not present as part of path [d]"
        );
        assert_eq!(
            run_err(r#"[{"registered_domain":{"field":"d"}}]"#, r#"{"d":1}"#),
            "field [d] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_input_string_panics(text in "\\PC{0,40}") {
            let s = isc_value::to_json_string(&isc_value::Value::from(text.as_str()));
            let _ = crate::processors::test_support::run(
                r#"[{"registered_domain":{"field":"d","ignore_missing":false}}]"#,
                &format!(r#"{{"d":{s}}}"#),
            );
        }
    }
}
