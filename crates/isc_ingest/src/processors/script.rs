//! `script`: Elasticsearch's `ScriptProcessor`. Runs a Painless script with
//! `ctx` (source and metadata) read-write and `params`.

use isc_value::Value;

use crate::condition::{Script, ScriptSource};
use crate::config::ProcessorConfig;
use crate::document::Document;
use crate::error::{ConfigError, IngestError};
use crate::processor::{FactoryContext, Flow, Processor, Run};

/// The `script` processor.
#[derive(Debug)]
pub struct ScriptProcessor {
    script: Script,
}

pub(crate) fn create(
    config: &mut ProcessorConfig,
    _ctx: &FactoryContext<'_>,
) -> Result<Box<dyn Processor>, ConfigError> {
    let mut spec = isc_value::Map::default();
    let lang = config.optional_string("lang")?;
    let source = config.optional_string("source")?;
    let id = config.optional_string("id")?;
    let params = config.optional_map("params")?;
    if source.is_none() && id.is_none() {
        return Err(config.general_error(
            "must specify either [source] for an inline script or [id] for a stored script",
        ));
    }
    if source.is_some() && id.is_some() {
        return Err(config.general_error("[script] failed to parse field [source]"));
    }
    for (k, v) in [("lang", lang), ("source", source), ("id", id)] {
        if let Some(v) = v {
            spec.insert(k.into(), Value::String(v));
        }
    }
    if let Some(p) = params {
        spec.insert("params".into(), Value::Map(p));
    }
    let script = Script::compile(ScriptSource::from_value(&Value::Map(spec))?)?;
    Ok(Box::new(ScriptProcessor { script }))
}

impl Processor for ScriptProcessor {
    fn process(&self, doc: &mut Document, _run: &mut Run<'_>) -> Result<Flow, IngestError> {
        self.script.execute(doc)?;
        Ok(Flow::Continue)
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::test_support::{config_err, run};

    #[test]
    fn source_or_id_is_required() {
        assert_eq!(
            config_err(r#"[{"script":{"lang":"painless"}}]"#),
            "must specify either [source] for an inline script or [id] for a stored script"
        );
    }

    /// In Elasticsearch a container a script stores at a second place is one
    /// object, so a later `rename` out of the alias empties the original
    /// too (okta's system pipeline relies on it). Here the write-back
    /// copies it to each place: a known difference (DESIGN.md), which needs
    /// a document model with shared nodes. Run with `--ignored` to see it.
    #[test]
    #[ignore = "known difference: a container a script aliases is copied at write-back"]
    fn a_container_a_script_aliases_stays_one_object_for_later_processors() {
        assert_eq!(
            run(
                r#"[{"script":{"source":"ctx.alias = ctx.target[0];"}},
                    {"rename":{"field":"alias.id","target_field":"user_id"}},
                    {"remove":{"field":"alias"}}]"#,
                r#"{"target":[{"id":"u1","type":"User"}]}"#
            )
            .unwrap(),
            r#"{"target":[{"type":"User"}],"user_id":"u1"}"#
        );
    }
}
