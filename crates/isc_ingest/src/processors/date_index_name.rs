//! `date_index_name`: Elasticsearch's `DateIndexNameProcessor`. Parses a
//! date field and sets `_index` to a date-math index name,
//! `<prefix{date||/rounding{format|zone}}>`. Options: `field`,
//! `date_rounding` (template), `date_formats` (default
//! `yyyy-MM-dd'T'HH:mm:ss.SSSXX`), `index_name_prefix` and
//! `index_name_format` (`yyyy-MM-dd`) as templates, `timezone`, `locale`.
//! Unlike `date`, every format is tried and the last that parses wins.

use isc_javatime::{DateFormatter, Locale, UTC, Zone};
use isc_value::Value;

use super::date::{DateParsers, unable_to_parse, value_text};
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::field_path::FieldPath;
use crate::processor::{FactoryContext, Flow, Processor, Run};
use crate::template::Template;

/// The `date_index_name` processor.
#[derive(Debug)]
pub struct DateIndexName {
    field: FieldPath,
    /// `_index`, where the name goes.
    index: FieldPath,
    parsers: DateParsers,
    zone: Zone,
    prefix: Template,
    rounding: Template,
    index_format: Template,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let locale_text = config.optional_string("locale")?;
    let timezone_text = config.optional_string("timezone")?;
    let zone = match &timezone_text {
        None => UTC,
        Some(id) => Zone::of(id).map_err(|e| config.general_error(e.to_string()))?,
    };
    let locale = match &locale_text {
        None => Locale::Language,
        Some(tag) => Locale::parse(tag)
            .map_err(|_| config.general_error(format!("Invalid language tag specified: {tag}")))?,
    };
    let formats = config
        .optional_string_list("date_formats")?
        .unwrap_or_else(|| vec!["yyyy-MM-dd'T'HH:mm:ss.SSSXX".to_owned()]);
    let field = config.required_string("field")?;
    let prefix = {
        let text = config.string_or("index_name_prefix", "")?;
        config.compile_template("index_name_prefix", &text)?
    };
    let rounding = config.required_template("date_rounding")?;
    let index_format = {
        let text = config.string_or("index_name_format", "yyyy-MM-dd")?;
        config.compile_template("index_name_format", &text)?
    };
    let timezone_template = timezone_text.map(|t| Template::constant(&t));
    let locale_template = locale_text.map(|t| Template::constant(&t));
    let parsers = DateParsers::new(&formats, timezone_template, locale_template, locale);
    Ok(Box::new(DateIndexName {
        field: FieldPath::new(&field),
        index: FieldPath::new("_index"),
        parsers,
        zone,
        prefix,
        rounding,
        index_format,
    }))
}

impl Processor for DateIndexName {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        let text = value_text(doc.get(&self.field)?);
        let dt = self
            .parsers
            .parse_all(doc, text.as_deref(), Locale::Language, true)
            .map_err(|failures| unable_to_parse(text.as_deref().unwrap_or("null"), &failures))?;
        let prefix = self.prefix.render(doc).into_owned();
        let index_format = self.index_format.render(doc).into_owned();
        let rounding = self.rounding.render(doc).into_owned();
        let formatter = DateFormatter::for_pattern(&index_format)
            .map_err(|e| IngestError::illegal_argument(e.to_string()))?;
        let date = formatter
            .format(&dt)
            .map_err(|e| IngestError::new("date_time_exception", e.to_string()))?;
        let zone = if self.zone == UTC {
            "UTC".to_owned()
        } else {
            self.zone.id()
        };
        let name = format!("<{prefix}{{{date}||/{rounding}{{{index_format}|{zone}}}}}>");
        doc.set(&self.index, Value::String(name))?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::Outcome;
    use crate::processors::test_support::{config_err, run_err};
    use crate::processors::test_support::{doc, pipeline};

    fn index_of(processors: &str, source: &str) -> String {
        let set = pipeline(processors).unwrap_or_else(|e| panic!("{}", e.reason));
        match set.run("test", doc(source)) {
            Some(Outcome::Document(d)) => d
                .metadata()
                .get("_index")
                .map(|v| v.to_java_string())
                .unwrap_or_default(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn documented_example() {
        assert_eq!(
            index_of(
                r#"[{"date_index_name":{"field":"date1","index_name_prefix":"my-index-","date_rounding":"M"}}]"#,
                r#"{"date1":"2016-04-25T12:02:01.789Z"}"#
            ),
            "<my-index-{2016-04-25||/M{yyyy-MM-dd|UTC}}>"
        );
    }

    #[test]
    fn custom_formats_zone_and_index_format() {
        assert_eq!(
            index_of(
                r#"[{"date_index_name":{"field":"d","date_rounding":"d","date_formats":["UNIX"],"timezone":"Europe/Paris","index_name_format":"yyyy.MM.dd"}}]"#,
                r#"{"d":"1500000000"}"#
            ),
            "<{2017.07.14||/d{yyyy.MM.dd|Europe/Paris}}>"
        );
    }

    #[test]
    fn failures() {
        assert_eq!(
            run_err(
                r#"[{"date_index_name":{"field":"d","date_rounding":"M"}}]"#,
                r#"{"d":"x"}"#
            ),
            "unable to parse date [x]"
        );
        assert_eq!(
            config_err(r#"[{"date_index_name":{"field":"d"}}]"#),
            "[date_rounding] required property is missing"
        );
    }
}
