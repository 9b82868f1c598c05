//! `urldecode`: Elasticsearch's `URLDecodeProcessor`. Decodes
//! `application/x-www-form-urlencoded` text as Java's `URLDecoder` (UTF-8):
//! `+` is a space, `%XX` a byte.

use isc_value::Value;

use super::string_field::StringField;
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `urldecode` processor.
#[derive(Debug)]
pub struct UrlDecode {
    field: StringField,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    Ok(Box::new(UrlDecode {
        field: StringField::read(config)?,
    }))
}

impl Processor for UrlDecode {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        self.field
            .apply(doc, |s| url_decode(s).map(Value::String))?;
        Ok(Flow::Continue)
    }
}

/// `URLDecoder.decode(s, UTF_8)` with its error messages.
pub(crate) fn url_decode(s: &str) -> Result<String, IngestError> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(' ');
                i += 1;
            }
            b'%' => {
                let mut buf = Vec::new();
                while i < bytes.len() && bytes[i] == b'%' {
                    if i + 2 >= bytes.len() {
                        return Err(IngestError::illegal_argument(
                            "URLDecoder: Incomplete trailing escape (%) pattern",
                        ));
                    }
                    let pair = &bytes[i + 1..i + 3];
                    if !pair.iter().all(u8::is_ascii_hexdigit) {
                        let bad = pair
                            .iter()
                            .position(|b| !b.is_ascii_hexdigit())
                            .unwrap_or(0);
                        return Err(IngestError::illegal_argument(format!(
                            "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index {bad} in: \"{}\"",
                            String::from_utf8_lossy(pair)
                        )));
                    }
                    let hex = std::str::from_utf8(pair).unwrap_or("00");
                    buf.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                    i += 3;
                }
                out.push_str(&String::from_utf8_lossy(&buf));
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or('\u{FFFD}');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::url_decode;
    use crate::processors::test_support::run;

    #[test]
    fn decodes_like_url_decoder() {
        assert_eq!(url_decode("a+b%20c%C3%A9").unwrap(), "a b cé");
        assert_eq!(
            url_decode("%").unwrap_err().reason,
            "URLDecoder: Incomplete trailing escape (%) pattern"
        );
        assert_eq!(
            url_decode("%zz").unwrap_err().reason,
            "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"zz\""
        );
    }

    #[test]
    fn processor_decodes_field() {
        assert_eq!(
            run(r#"[{"urldecode":{"field":"a"}}]"#, r#"{"a":"x%2Fy"}"#).unwrap(),
            r#"{"a":"x/y"}"#
        );
    }
}
