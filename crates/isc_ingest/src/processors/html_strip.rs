//! `html_strip`: Elasticsearch's `HtmlStripProcessor`, which runs Lucene's
//! `HTMLStripCharFilter`: tags, comments and `<script>`/`<style>` bodies
//! are removed, block-level tags become a newline, character entities are
//! decoded.
//!
//! This is our own reading of that filter's behaviour for common HTML; the
//! full Lucene scanner (its exact entity table and malformed-markup
//! recovery) is not reproduced.

use isc_value::Value;

use super::string_field::StringField;
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `html_strip` processor.
#[derive(Debug)]
pub struct HtmlStrip {
    field: StringField,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    Ok(Box::new(HtmlStrip {
        field: StringField::read(config)?,
    }))
}

impl Processor for HtmlStrip {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        self.field
            .apply(doc, |s| Ok(Value::String(strip_html(s))))?;
        Ok(Flow::Continue)
    }
}

const BLOCK_TAGS: [&str; 32] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
];

/// Removes markup from `input`.
pub(crate) fn strip_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = after.find("-->").map_or("", |end| &after[end + 3..]);
                continue;
            }
            if let Some(end) = rest.find('>') {
                let tag = &rest[1..end];
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let looks_like_tag = tag.starts_with(|c: char| {
                    c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?'
                });
                if looks_like_tag {
                    rest = &rest[end + 1..];
                    if !tag.starts_with('/') && (name == "script" || name == "style") {
                        let close = format!("</{name}");
                        let lower = rest.to_ascii_lowercase();
                        rest = match lower.find(&close) {
                            Some(pos) => rest[pos..].find('>').map_or("", |e| &rest[pos + e + 1..]),
                            None => "",
                        };
                    }
                    if BLOCK_TAGS.contains(&name.as_str()) {
                        out.push('\n');
                    }
                    continue;
                }
            }
            out.push('<');
            rest = &rest[1..];
        } else if c == '&' {
            match decode_entity(rest) {
                Some((decoded, len)) => {
                    out.push(decoded);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Decodes `&name;`, `&#NN;` or `&#xNN;` at the start of `s`.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.find(';')?;
    if end > 12 {
        return None;
    }
    let body = &s[1..end];
    let c = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
    } else if let Some(dec) = body.strip_prefix('#') {
        char::from_u32(dec.parse().ok()?)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "copy" => '©',
            "reg" => '®',
            "trade" => '™',
            "hellip" => '…',
            "mdash" => '—',
            "ndash" => '–',
            "laquo" => '«',
            "raquo" => '»',
            "euro" => '€',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::strip_html;
    use crate::processors::test_support::run;

    #[test]
    fn strips_tags_and_decodes_entities() {
        assert_eq!(strip_html("<p><b>test</b>"), "\ntest");
        assert_eq!(
            strip_html("a &amp; b &lt;c&gt; &#65;&#x42;"),
            "a & b <c> AB"
        );
        assert_eq!(strip_html("x<!-- c -->y<script>var a;</script>z"), "xyz");
        assert_eq!(strip_html("1 < 2"), "1 < 2");
    }

    #[test]
    fn processor_strips_field() {
        assert_eq!(
            run(r#"[{"html_strip":{"field":"a"}}]"#, r#"{"a":"<i>x</i>"}"#).unwrap(),
            r#"{"a":"x"}"#
        );
    }
}
