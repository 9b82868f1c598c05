//! Reading a processor's options, with `ConfigurationUtils`' messages.
//!
//! Each `read_*` method removes the option it reads; once the factory has
//! read everything it knows, the options left over are unknown and the
//! processor is rejected (`processor [set] doesn't support one or more
//! provided configuration parameters [foo]`).

use isc_value::{Map, Value, java_hashmap_order};

use crate::error::ConfigError;
use crate::template::{Encoding, PathTemplate, Template};

/// The options of one processor, being read by its factory.
#[derive(Debug)]
pub struct ProcessorConfig {
    kind: String,
    tag: Option<String>,
    options: Map,
}

impl ProcessorConfig {
    /// Wraps the options of a processor of type `kind` (the common options
    /// `tag`, `if`, ... already taken out by the caller).
    pub fn new(kind: &str, tag: Option<&str>, options: Map) -> ProcessorConfig {
        ProcessorConfig {
            kind: kind.to_owned(),
            tag: tag.map(str::to_owned),
            options,
        }
    }

    /// The processor type.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The processor tag.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// An error about `property` with this processor's type and tag.
    pub fn error(&self, property: &str, reason: impl Into<String>) -> ConfigError {
        ConfigError::new(Some(&self.kind), self.tag(), Some(property), reason)
    }

    /// An error not about one property (`processor_type`, `tag` attached).
    pub fn general_error(&self, reason: impl Into<String>) -> ConfigError {
        ConfigError::new(Some(&self.kind), self.tag(), None, reason)
    }

    /// Removes an option's raw value; JSON `null` counts as absent, as in
    /// Elasticsearch.
    pub fn take(&mut self, name: &str) -> Option<Value> {
        match self.options.shift_remove(name) {
            Some(Value::Null) | None => None,
            Some(v) => Some(v),
        }
    }

    /// True if the option is present (and not null).
    pub fn contains(&self, name: &str) -> bool {
        self.options.get(name).is_some_and(|v| !v.is_null())
    }

    /// `readStringProperty`: a required string.
    pub fn required_string(&mut self, name: &str) -> Result<String, ConfigError> {
        match self.take(name) {
            None => Err(self.error(name, "required property is missing")),
            Some(v) => self.as_string(name, v),
        }
    }

    /// `readOptionalStringProperty`.
    pub fn optional_string(&mut self, name: &str) -> Result<Option<String>, ConfigError> {
        self.take(name).map(|v| self.as_string(name, v)).transpose()
    }

    /// `readStringProperty` with a default value.
    pub fn string_or(&mut self, name: &str, default: &str) -> Result<String, ConfigError> {
        Ok(self
            .optional_string(name)?
            .unwrap_or_else(|| default.to_owned()))
    }

    /// `readBooleanProperty`.
    pub fn bool_or(&mut self, name: &str, default: bool) -> Result<bool, ConfigError> {
        match self.take(name) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(b),
            Some(other) => Err(self.error(
                name,
                format!(
                    "property isn't a boolean, but of type [{}]",
                    other.java_type_name()
                ),
            )),
        }
    }

    /// `readIntProperty`: anything whose string form parses as an int.
    pub fn optional_int(&mut self, name: &str) -> Result<Option<i32>, ConfigError> {
        match self.take(name) {
            None => Ok(None),
            Some(v) => {
                let text = v.to_java_string();
                crate::java_number::parse_int(&text)
                    .ok()
                    .map(Some)
                    .ok_or_else(|| {
                        self.error(
                            name,
                            format!("property cannot be converted to an int [{text}]"),
                        )
                    })
            }
        }
    }

    /// `readList`: a required list.
    pub fn required_list(&mut self, name: &str) -> Result<Vec<Value>, ConfigError> {
        match self.take(name) {
            None => Err(self.error(name, "required property is missing")),
            Some(v) => self.as_list(name, v),
        }
    }

    /// `readOptionalList`.
    pub fn optional_list(&mut self, name: &str) -> Result<Option<Vec<Value>>, ConfigError> {
        self.take(name).map(|v| self.as_list(name, v)).transpose()
    }

    /// An optional list whose items must be strings.
    pub fn optional_string_list(&mut self, name: &str) -> Result<Option<Vec<String>>, ConfigError> {
        match self.optional_list(name)? {
            None => Ok(None),
            Some(items) => items
                .into_iter()
                .map(|v| self.as_string(name, v))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
        }
    }

    /// `readMap`: a required map.
    pub fn required_map(&mut self, name: &str) -> Result<Map, ConfigError> {
        match self.take(name) {
            None => Err(self.error(name, "required property is missing")),
            Some(v) => self.as_map(name, v),
        }
    }

    /// `readOptionalMap`.
    pub fn optional_map(&mut self, name: &str) -> Result<Option<Map>, ConfigError> {
        self.take(name).map(|v| self.as_map(name, v)).transpose()
    }

    /// `readObject`: a required value of any type.
    pub fn required_value(&mut self, name: &str) -> Result<Value, ConfigError> {
        self.take(name)
            .ok_or_else(|| self.error(name, "required property is missing"))
    }

    /// A required string compiled as a mustache template
    /// (`compileTemplate`).
    pub fn required_template(&mut self, name: &str) -> Result<Template, ConfigError> {
        let text = self.required_string(name)?;
        self.compile_template(name, &text)
    }

    /// A required field name compiled as a template (`field: "{{x}}"`).
    pub fn required_path_template(&mut self, name: &str) -> Result<PathTemplate, ConfigError> {
        self.required_template(name).map(PathTemplate::new)
    }

    /// An optional string compiled as a mustache template.
    pub fn optional_template(&mut self, name: &str) -> Result<Option<Template>, ConfigError> {
        match self.optional_string(name)? {
            None => Ok(None),
            Some(text) => self.compile_template(name, &text).map(Some),
        }
    }

    /// Compiles `text` as a template for option `name`.
    pub fn compile_template(&self, name: &str, text: &str) -> Result<Template, ConfigError> {
        Template::compile_with(text, Encoding::Json).map_err(|e| self.error(name, e.to_string()))
    }

    /// Checks nothing is left: `processor [x] doesn't support one or more
    /// provided configuration parameters [a, b]` (keys in Java `HashMap`
    /// order, as `Arrays.toString(config.keySet())` prints them).
    pub fn finish(self) -> Result<(), ConfigError> {
        if self.options.is_empty() {
            return Ok(());
        }
        let keys: Vec<&str> = java_hashmap_order(&self.options)
            .into_iter()
            .filter_map(|i| self.options.get_index(i).map(|(k, _)| k.as_str()))
            .collect();
        Err(ConfigError::new(
            Some(&self.kind),
            self.tag(),
            None,
            format!(
                "processor [{}] doesn't support one or more provided configuration parameters [{}]",
                self.kind,
                keys.join(", ")
            ),
        ))
    }

    fn as_string(&self, name: &str, v: Value) -> Result<String, ConfigError> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(self.error(
                name,
                format!(
                    "property isn't a string, but of type [{}]",
                    other.java_type_name()
                ),
            )),
        }
    }

    fn as_list(&self, name: &str, v: Value) -> Result<Vec<Value>, ConfigError> {
        match v {
            Value::List(items) => Ok(items),
            other => Err(self.error(
                name,
                format!(
                    "property isn't a list, but of type [{}]",
                    other.java_type_name()
                ),
            )),
        }
    }

    fn as_map(&self, name: &str, v: Value) -> Result<Map, ConfigError> {
        match v {
            Value::Map(m) => Ok(m),
            other => Err(self.error(
                name,
                format!(
                    "property isn't a map, but of type [{}]",
                    other.java_type_name()
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: &str) -> ProcessorConfig {
        match isc_value::from_json_str(json).unwrap() {
            Value::Map(m) => ProcessorConfig::new("set", Some("t"), m),
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn missing_and_mistyped_options_use_configuration_utils_messages() {
        let mut c = config(r#"{"n":1,"b":"x"}"#);
        assert_eq!(
            c.required_string("field").unwrap_err().reason,
            "[field] required property is missing"
        );
        assert_eq!(
            c.required_string("n").unwrap_err().reason,
            "[n] property isn't a string, but of type [java.lang.Integer]"
        );
        assert_eq!(
            c.bool_or("b", false).unwrap_err().reason,
            "[b] property isn't a boolean, but of type [java.lang.String]"
        );
    }

    #[test]
    fn null_options_count_as_absent() {
        let mut c = config(r#"{"field":null}"#);
        assert_eq!(c.optional_string("field").unwrap(), None);
        c.finish().unwrap();
    }

    #[test]
    fn leftover_options_are_rejected_in_java_order() {
        let c = config(r#"{"foo":1,"bar":2}"#);
        let e = c.finish().unwrap_err();
        assert_eq!(
            e.reason,
            "processor [set] doesn't support one or more provided configuration parameters [bar, foo]"
        );
        assert_eq!(e.context.processor_type.as_deref(), Some("set"));
    }

    #[test]
    fn int_options_parse_their_string_form() {
        let mut c = config(r#"{"a":"12","b":"x"}"#);
        assert_eq!(c.optional_int("a").unwrap(), Some(12));
        assert_eq!(
            c.optional_int("b").unwrap_err().reason,
            "[b] property cannot be converted to an int [x]"
        );
    }
}
