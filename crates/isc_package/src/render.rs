//! Renders `.j2` sources with minijinja (strict undefined), with shared
//! templates loaded from `templates/`.
//!
//! An include name starting with `data_stream/` names a data stream source
//! file from the project root instead (for example
//! `data_stream/identities/fields/ecs.yml`), so that a package-level file,
//! such as the fields of a transform's destination index, can reuse a data
//! stream's sources instead of copying them. Such a file is rendered as a
//! template with the including file's context, whatever its suffix.
//!
//! Handlebars (`{{…}}`) meant for Fleet stays verbatim inside
//! `{% raw %}…{% endraw %}`; the docs placeholders of elastic-package are
//! produced by the functions `docs_event(name)` and `docs_fields(name)`.

use std::fs;
use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior, Value};

use crate::problem::Problem;

/// A minijinja environment over one project's `templates/` folder.
pub struct Renderer {
    env: Environment<'static>,
}

/// Include names with this prefix resolve from the project root.
const DATA_STREAM_PREFIX: &str = "data_stream/";

impl Renderer {
    /// A renderer for the project at `root`: `{% include %}` names resolve
    /// under `root/templates`, or under `root` for `data_stream/…` names.
    pub fn new(root: &Path) -> Renderer {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        // Output is YAML, Markdown or Handlebars written as it should come
        // out: never escaped (minijinja would JSON-escape `.yml` output).
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        let templates = root.join("templates");
        let root = root.to_path_buf();
        env.set_loader(move |name| {
            let path = if name.starts_with(DATA_STREAM_PREFIX) {
                if name.split('/').any(|part| part == ".." || part.is_empty()) {
                    return Ok(None);
                }
                root.join(name)
            } else {
                templates.join(name)
            };
            match fs::read_to_string(&path) {
                Ok(text) => Ok(Some(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("cannot read template {}: {e}", path.display()),
                )),
            }
        });
        env.add_function("docs_event", |name: String| {
            format!("{{{{event \"{name}\"}}}}")
        });
        env.add_function("docs_fields", |name: String| {
            format!("{{{{fields \"{name}\"}}}}")
        });
        Renderer { env }
    }

    /// Renders `source` (the text of `file`, a path relative to the project
    /// root used in messages) with `context`.
    pub fn render(&self, file: &Path, source: &str, context: &Value) -> Result<String, Problem> {
        let name = file.to_string_lossy().into_owned();
        self.env
            .render_named_str(&name, source, context)
            .map_err(|e| self.problem(file, &e))
    }

    fn problem(&self, file: &Path, error: &minijinja::Error) -> Problem {
        // Errors raised inside an included template are chained below the
        // include error: report the innermost one that knows its line.
        let mut located = error;
        let mut cause: Option<&(dyn std::error::Error + 'static)> =
            std::error::Error::source(error);
        while let Some(current) = cause {
            if let Some(e) = current.downcast_ref::<minijinja::Error>() {
                if e.line().is_some() {
                    located = e;
                }
            }
            cause = current.source();
        }
        let path = match located.name() {
            Some(n) if n.starts_with(DATA_STREAM_PREFIX) => PathBuf::from(n),
            Some(n) if n != file.to_string_lossy() => Path::new("templates").join(n),
            _ => file.to_path_buf(),
        };
        let detail = located
            .detail()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        let message = match located.kind() {
            minijinja::ErrorKind::UndefinedError => {
                format!("template uses an undefined variable{detail}")
            }
            kind => format!("template error: {kind}{detail}"),
        };
        Problem::at(path, located.line(), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renderer() -> (tempfile::TempDir, Renderer) {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        fs::write(dir.path().join("templates/common.j2"), "x={{ x }}\n").expect("write");
        fs::create_dir_all(dir.path().join("data_stream/a/fields")).expect("mkdir");
        fs::write(
            dir.path().join("data_stream/a/fields/ecs.yml"),
            "- name: y\n  type: {{ kind }}\n",
        )
        .expect("write");
        let r = Renderer::new(dir.path());
        (dir, r)
    }

    #[test]
    fn raw_blocks_keep_handlebars_verbatim() {
        let (_d, r) = renderer();
        let out = r
            .render(
                Path::new("a.hbs.j2"),
                "{% raw %}{{#if x}}{{x}}{{/if}}{% endraw %}\n",
                &Value::from(()),
            )
            .expect("renders");
        assert_eq!(out, "{{#if x}}{{x}}{{/if}}\n");
    }

    #[test]
    fn docs_functions_emit_placeholders() {
        let (_d, r) = renderer();
        let out = r
            .render(
                Path::new("README.md.j2"),
                "{{ docs_event('events') }} {{ docs_fields('events') }}",
                &Value::from(()),
            )
            .expect("renders");
        assert_eq!(out, "{{event \"events\"}} {{fields \"events\"}}");
    }

    #[test]
    fn undefined_variable_names_file_and_line() {
        let (_d, r) = renderer();
        let err = r
            .render(
                Path::new("m.yml.j2"),
                "a: 1\nb: {{ nope }}\n",
                &Value::from(()),
            )
            .expect_err("strict");
        assert_eq!(err.file, Path::new("m.yml.j2"));
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("undefined"), "{}", err.message);
    }

    #[test]
    fn include_resolves_under_templates_and_errors_name_the_template() {
        let (_d, r) = renderer();
        let ok = r
            .render(
                Path::new("m.j2"),
                "{% include 'common.j2' %}",
                &Value::from_serialize(serde_json::json!({"x": 1})),
            )
            .expect("renders");
        assert_eq!(ok, "x=1\n");
        let err = r
            .render(
                Path::new("m.j2"),
                "{% include 'common.j2' %}",
                &Value::from(()),
            )
            .expect_err("x undefined");
        assert_eq!(err.file, Path::new("templates/common.j2"));
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn data_stream_names_include_project_sources_with_the_callers_context() {
        let (_d, r) = renderer();
        let out = r
            .render(
                Path::new("package/t/fields/ecs.yml.j2"),
                "{% include 'data_stream/a/fields/ecs.yml' %}",
                &Value::from_serialize(serde_json::json!({"kind": "keyword"})),
            )
            .expect("renders");
        assert_eq!(out, "- name: y\n  type: keyword\n");
        let err = r
            .render(
                Path::new("package/t/fields/ecs.yml.j2"),
                "{% include 'data_stream/a/fields/ecs.yml' %}",
                &Value::from(()),
            )
            .expect_err("kind undefined");
        assert_eq!(err.file, Path::new("data_stream/a/fields/ecs.yml"));
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn data_stream_names_cannot_leave_the_project() {
        let (_d, r) = renderer();
        for name in [
            "data_stream/../templates/common.j2",
            "data_stream//a/fields/ecs.yml",
        ] {
            let err = r
                .render(
                    Path::new("m.j2"),
                    &format!("{{% include '{name}' %}}"),
                    &Value::from(()),
                )
                .expect_err("not found");
            assert!(err.message.contains("template"), "{}", err.message);
        }
    }
}
