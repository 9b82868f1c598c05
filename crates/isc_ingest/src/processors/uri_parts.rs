//! `uri_parts`: Elasticsearch's `UriPartsProcessor`. Splits a URI into
//! `scheme`, `domain`, `port`, `path`, `extension`, `query`, `fragment`,
//! `user_info`, `username`, `password` (and `original`) under
//! `target_field` (default `url`), parsing as `java.net.URI` does and
//! falling back to `java.net.URL` ([`super::java_uri`]).
//!
//! As in Elasticsearch, `domain` and `scheme` are always written, `null`
//! when the URI has none; path-like components come decoded from `URI` and
//! raw from the `URL` fallback.
//!
//! Differences from Elasticsearch: a `null` value without `ignore_missing`
//! fails with the JDK's null-pointer message as recent JDKs word it; the
//! host checks some JDK versions add to `URL` are not modelled.

use isc_value::{Map, Value};

use super::java_uri::{UriComponents, parse_uri, parse_url};
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `uri_parts` processor's options, compiled.
#[derive(Debug)]
pub struct UriParts {
    field: FieldPath,
    target_field: FieldPath,
    remove_if_successful: bool,
    keep_original: bool,
    ignore_missing: bool,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let field = config.required_string("field")?;
    let target_field = config.string_or("target_field", "url")?;
    let remove_if_successful = config.bool_or("remove_if_successful", false)?;
    let keep_original = config.bool_or("keep_original", true)?;
    let ignore_missing = config.bool_or("ignore_missing", false)?;
    Ok(Box::new(UriParts {
        field: FieldPath::new(&field),
        target_field: FieldPath::new(&target_field),
        remove_if_successful,
        keep_original,
        ignore_missing,
    }))
}

impl Processor for UriParts {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let value = doc.get_string(&self.field, self.ignore_missing)?;
        let Some(value) = value.map(str::to_owned) else {
            if self.ignore_missing {
                return Ok(Flow::Continue);
            }
            // Elasticsearch passes the null on and fails to parse it.
            return Err(IngestError::new(
                "null_pointer_exception",
                "Cannot invoke \"String.length()\" because \"this.input\" is null",
            ));
        };
        let mut parts = uri_parts(&value)?;
        if self.keep_original {
            parts.insert("original".into(), Value::String(value));
        }
        if self.remove_if_successful && self.target_field.as_str() != self.field.as_str() {
            doc.remove(&self.field, false)?;
        }
        doc.set(&self.target_field, Value::Map(parts))?;
        Ok(Flow::Continue)
    }
}

/// `UriPartsProcessor.apply`: the parts of one URI string.
fn uri_parts(text: &str) -> Result<Map, IngestError> {
    let components = parse_uri(text)
        .or_else(|| parse_url(text))
        .ok_or_else(|| IngestError::illegal_argument(format!("unable to parse URI [{text}]")))?;
    let UriComponents {
        scheme,
        user_info,
        host,
        port,
        path,
        query,
        fragment,
    } = components;
    let text_or_null = |v: Option<String>| v.map_or(Value::Null, Value::String);
    let mut parts = Map::default();
    parts.insert("domain".into(), text_or_null(host));
    if let Some(fragment) = fragment {
        parts.insert("fragment".into(), Value::String(fragment));
    }
    if let Some(path) = path {
        // The extension comes from the last segment only.
        if let Some(slash) = path.rfind('/') {
            let last = &path[slash..];
            if let Some(dot) = last.rfind('.') {
                parts.insert("extension".into(), Value::from(&last[dot + 1..]));
            }
        }
        parts.insert("path".into(), Value::String(path));
    }
    if port != -1 {
        parts.insert("port".into(), Value::Int(port));
    }
    if let Some(query) = query {
        parts.insert("query".into(), Value::String(query));
    }
    parts.insert("scheme".into(), text_or_null(scheme));
    if let Some(user_info) = user_info {
        if let Some((username, password)) = user_info.split_once(':') {
            parts.insert("username".into(), Value::from(username));
            parts.insert("password".into(), Value::from(password));
        }
        parts.insert("user_info".into(), Value::String(user_info));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run, run_err};

    fn parts(uri: &str) -> String {
        let source = format!(r#"{{"u":{}}}"#, isc_value::to_json_string(&uri.into()));
        let out = run(
            r#"[{"uri_parts":{"field":"u","keep_original":false}}]"#,
            &source,
        )
        .unwrap();
        let doc = isc_value::from_json_str(&out).unwrap();
        isc_value::to_json_string(&doc.as_map().unwrap()["url"])
    }

    #[test]
    fn documented_example() {
        let out = run(
            r#"[{"uri_parts":{"field":"input_field","target_field":"url","keep_original":true,"remove_if_successful":false}}]"#,
            r#"{"input_field":"http://myusername:mypassword@www.example.com:80/foo.gif?key1=val1&key2=val2#fragment"}"#,
        )
        .unwrap();
        assert_eq!(
            out,
            r#"{"input_field":"http://myusername:mypassword@www.example.com:80/foo.gif?key1=val1&key2=val2#fragment","url":{"domain":"www.example.com","fragment":"fragment","extension":"gif","path":"/foo.gif","port":80,"query":"key1=val1&key2=val2","scheme":"http","username":"myusername","password":"mypassword","user_info":"myusername:mypassword","original":"http://myusername:mypassword@www.example.com:80/foo.gif?key1=val1&key2=val2#fragment"}}"#
        );
    }

    #[test]
    fn no_path_gives_an_empty_path_and_no_extension() {
        assert_eq!(
            parts("https://example.com"),
            r#"{"domain":"example.com","path":"","scheme":"https"}"#
        );
    }

    #[test]
    fn extension_comes_from_the_last_segment_only() {
        assert_eq!(
            parts("http://h/dir.d/file"),
            r#"{"domain":"h","path":"/dir.d/file","scheme":"http"}"#
        );
        assert_eq!(
            parts("http://h/a/b.tar.gz"),
            r#"{"domain":"h","extension":"gz","path":"/a/b.tar.gz","scheme":"http"}"#
        );
    }

    #[test]
    fn relative_and_opaque_uris_have_null_domain_or_scheme() {
        assert_eq!(
            parts("/a/b.txt"),
            r#"{"domain":null,"extension":"txt","path":"/a/b.txt","scheme":null}"#
        );
        assert_eq!(
            parts("mailto:x@example.com"),
            r#"{"domain":null,"scheme":"mailto"}"#
        );
    }

    #[test]
    fn java_registry_authorities_lose_the_host() {
        assert_eq!(
            parts("http://my_host:8080/x"),
            r#"{"domain":null,"path":"/x","scheme":"http"}"#
        );
    }

    #[test]
    fn url_fallback_keeps_raw_components() {
        assert_eq!(
            parts("http://www.example.com/a b.html?q=x y"),
            r#"{"domain":"www.example.com","extension":"html","path":"/a b.html","query":"q=x y","scheme":"http"}"#
        );
    }

    #[test]
    fn user_info_without_colon_has_no_username() {
        assert_eq!(
            parts("ftp://anon@ftp.example.com/"),
            r#"{"domain":"ftp.example.com","path":"/","scheme":"ftp","user_info":"anon"}"#
        );
    }

    #[test]
    fn elasticsearch_test_cases() {
        assert_eq!(
            parts("ldap://[2001:db8::7]/c=GB?objectClass?one"),
            r#"{"domain":"[2001:db8::7]","path":"/c=GB","query":"objectClass?one","scheme":"ldap"}"#
        );
        assert_eq!(
            parts("telnet://192.0.2.16:80/"),
            r#"{"domain":"192.0.2.16","path":"/","port":80,"scheme":"telnet"}"#
        );
        assert_eq!(
            parts("https://user:@www.google.com:88/foo"),
            r#"{"domain":"www.google.com","path":"/foo","port":88,"scheme":"https","username":"user","password":"","user_info":"user:"}"#
        );
        assert_eq!(
            parts(
                "https://user:pw@testing.google.com:8080/foo with space/bar?foo1=bar1&foo2=bar2#anchorVal"
            ),
            r#"{"domain":"testing.google.com","fragment":"anchorVal","path":"/foo with space/bar","port":8080,"query":"foo1=bar1&foo2=bar2","scheme":"https","username":"user","password":"pw","user_info":"user:pw"}"#
        );
        assert_eq!(
            run_err(
                r#"[{"uri_parts":{"field":"u"}}]"#,
                r#"{"u":"not:\\/_a_valid_uri"}"#
            ),
            r"unable to parse URI [not:\/_a_valid_uri]"
        );
    }

    #[test]
    fn remove_if_successful_keeps_a_field_that_is_also_the_target() {
        assert_eq!(
            run(
                r#"[{"uri_parts":{"field":"u","target_field":"u","remove_if_successful":true,"keep_original":false}}]"#,
                r#"{"u":"http://www.google.com"}"#
            )
            .unwrap(),
            r#"{"u":{"domain":"www.google.com","path":"","scheme":"http"}}"#
        );
    }

    #[test]
    fn remove_if_successful_removes_the_source_field() {
        assert_eq!(
            run(
                r#"[{"uri_parts":{"field":"u","remove_if_successful":true,"keep_original":false}}]"#,
                r#"{"u":"http://h/"}"#
            )
            .unwrap(),
            r#"{"url":{"domain":"h","path":"/","scheme":"http"}}"#
        );
    }

    #[test]
    fn unparsable_and_missing_values() {
        let p = r#"[{"uri_parts":{"field":"u"}}]"#;
        assert_eq!(
            run_err(p, r#"{"u":"not a uri"}"#),
            "unable to parse URI [not a uri]"
        );
        assert_eq!(
            run_err(p, "{}"),
            "field [u] not present as part of path [u]"
        );
        let p = r#"[{"uri_parts":{"field":"u","ignore_missing":true}}]"#;
        assert_eq!(run(p, "{}").unwrap(), "{}");
        assert_eq!(run(p, r#"{"u":null}"#).unwrap(), r#"{"u":null}"#);
    }

    #[test]
    fn options_are_validated() {
        assert_eq!(
            config_err(r#"[{"uri_parts":{}}]"#),
            "[field] required property is missing"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_string_panics_the_uri_parsers(text in "\\PC{0,60}") {
            let _ = super::uri_parts(&text);
        }

        #[test]
        fn uri_like_strings_never_panic(text in "[a-z]{0,5}:?/{0,3}[a-z0-9@:%._\\[\\]-]{0,20}[/?#]{0,2}[a-z0-9%./?#=&]{0,20}") {
            let _ = super::uri_parts(&text);
        }
    }
}
