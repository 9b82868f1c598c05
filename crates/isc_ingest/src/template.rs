//! Mustache templates as Elasticsearch's ingest processors use them
//! (`field: "{{other}}"`, `value: "{{{message}}}"`), compiled once.
//!
//! Supported: `{{x}}` (escaped for JSON strings, Elasticsearch's default
//! `application/json` encoder), `{{{x}}}` and `{{&x}}` (raw), dotted names
//! (`{{a.b.0}}`, `{{list.size}}`), `{{.}}`, sections `{{#x}}…{{/x}}`,
//! inverted sections `{{^x}}…{{/x}}`, comments, and Elasticsearch's
//! functions `{{#join}}x{{/join}}`, `{{#join delimiter=' '}}x{{/join}}`,
//! `{{#toJson}}x{{/toJson}}` and `{{#url}}…{{/url}}`.
//! Values print as Java's `toString` (`[a, b]`, `{k=v}`, `1.0E10`).
//! Text without `{{` is a constant: rendering it costs nothing.

use std::borrow::Cow;
use std::fmt;

use isc_value::{Map, Value};

use crate::document::Document;
use crate::field_path::FieldPath;

/// How `{{x}}` escapes what it prints (the template's media type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// `application/json`: escapes like a JSON string body (the default).
    #[default]
    Json,
    /// `text/plain`: no escaping.
    Plain,
    /// `application/x-www-form-urlencoded`: `URLEncoder.encode`.
    UrlForm,
}

impl Encoding {
    /// The encoding for a `media_type` option value, if known.
    pub fn from_media_type(media_type: &str) -> Option<Encoding> {
        match media_type {
            "application/json"
            | "application/json;charset=utf-8"
            | "application/json; charset=UTF-8" => Some(Encoding::Json),
            "text/plain" => Some(Encoding::Plain),
            "application/x-www-form-urlencoded" => Some(Encoding::UrlForm),
            _ => None,
        }
    }
}

/// A template that does not compile.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(String);

/// A compiled template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    source: String,
    body: Body,
}

#[derive(Debug, Clone, PartialEq)]
enum Body {
    Constant,
    Compiled {
        nodes: Vec<Node>,
        encoding: Encoding,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Var {
        name: Name,
        escape: bool,
    },
    Section {
        name: Name,
        inverted: bool,
        children: Vec<Node>,
    },
    Join {
        name: Name,
        body: String,
        delimiter: String,
    },
    ToJson {
        name: Name,
    },
    Url {
        children: Vec<Node>,
    },
}

/// A dotted name; no parts means `.` (the current scope).
#[derive(Debug, Clone, PartialEq)]
struct Name(Vec<String>);

impl Template {
    /// Compiles `text` with the default JSON escaping.
    pub fn compile(text: &str) -> Result<Template, TemplateError> {
        Template::compile_with(text, Encoding::Json)
    }

    /// Compiles `text` with the given escaping for `{{x}}`.
    pub fn compile_with(text: &str, encoding: Encoding) -> Result<Template, TemplateError> {
        if !text.contains("{{") {
            return Ok(Template::constant(text));
        }
        let mut parser = Parser {
            src: text,
            pos: 0,
            depth: 0,
        };
        let nodes = parser.parse_nodes(None)?;
        Ok(Template {
            source: text.to_owned(),
            body: Body::Compiled { nodes, encoding },
        })
    }

    /// A template that always renders `text`.
    pub fn constant(text: &str) -> Template {
        Template {
            source: text.to_owned(),
            body: Body::Constant,
        }
    }

    /// The template text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The text when the template has no tags.
    pub fn as_constant(&self) -> Option<&str> {
        match self.body {
            Body::Constant => Some(&self.source),
            Body::Compiled { .. } => None,
        }
    }

    /// Renders against a document: `{{x}}` reads `ctx.x`, `{{_source.x}}`
    /// the same, `{{_ingest.x}}` the ingest metadata.
    pub fn render(&self, doc: &Document) -> Cow<'_, str> {
        match &self.body {
            Body::Constant => Cow::Borrowed(&self.source),
            Body::Compiled { nodes, encoding } => {
                // `{{{field}}}` alone: the field's text is the result.
                if let [
                    Node::Var {
                        name,
                        escape: false,
                    },
                ] = nodes.as_slice()
                {
                    let text = lookup(name, &[Scope::Root(doc)])
                        .map(|found| match found.value().as_ref() {
                            Value::Null => String::new(),
                            value => stringify(value),
                        })
                        .unwrap_or_default();
                    return Cow::Owned(text);
                }
                let mut out = String::new();
                let mut scopes = vec![Scope::Root(doc)];
                render_nodes(nodes, *encoding, &mut scopes, &mut out);
                Cow::Owned(out)
            }
        }
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// A field name given as a template (`field: "{{name}}"`): the path is
/// compiled once when the text has no tags, per document otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct PathTemplate {
    template: Template,
    constant: Option<FieldPath>,
}

impl PathTemplate {
    /// Wraps a compiled template.
    pub fn new(template: Template) -> PathTemplate {
        let constant = template.as_constant().map(FieldPath::new);
        PathTemplate { template, constant }
    }

    /// The template text.
    pub fn source(&self) -> &str {
        self.template.source()
    }

    /// The path when the template has no placeholders.
    pub fn as_constant(&self) -> Option<&FieldPath> {
        self.constant.as_ref()
    }

    /// The path for this document.
    pub fn resolve(&self, doc: &Document) -> Cow<'_, FieldPath> {
        match &self.constant {
            Some(path) => Cow::Borrowed(path),
            None => Cow::Owned(FieldPath::new(&self.template.render(doc))),
        }
    }
}

/// A processor's `value` option (Elasticsearch's `ValueSource`): strings are
/// templates, lists and maps (keys too) are walked, other values are copied.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueSource {
    /// A non-string value, copied as is.
    Constant(Value),
    /// A string, rendered as a template.
    Template(Template),
    /// A list whose items are value sources.
    List(Vec<ValueSource>),
    /// A map whose keys are templates and values value sources.
    Map(Vec<(Template, ValueSource)>),
}

impl ValueSource {
    /// Wraps a configured value.
    pub fn new(value: Value, encoding: Encoding) -> Result<ValueSource, TemplateError> {
        Ok(match value {
            Value::String(s) => ValueSource::Template(Template::compile_with(&s, encoding)?),
            Value::List(items) => ValueSource::List(
                items
                    .into_iter()
                    .map(|v| ValueSource::new(v, encoding))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(m) => ValueSource::Map(
                m.into_iter()
                    .map(|(k, v)| {
                        Ok((
                            Template::compile_with(&k, encoding)?,
                            ValueSource::new(v, encoding)?,
                        ))
                    })
                    .collect::<Result<_, TemplateError>>()?,
            ),
            other => ValueSource::Constant(other),
        })
    }

    /// True for a string value (`TemplatedValue`).
    pub fn is_template(&self) -> bool {
        matches!(self, ValueSource::Template(_))
    }

    /// The value for this document (`copyAndResolve`).
    pub fn resolve(&self, doc: &Document) -> Value {
        match self {
            ValueSource::Constant(v) => v.clone(),
            ValueSource::Template(t) => Value::String(t.render(doc).into_owned()),
            ValueSource::List(items) => Value::List(items.iter().map(|i| i.resolve(doc)).collect()),
            ValueSource::Map(entries) => {
                let mut m = isc_value::map_with_capacity(entries.len());
                for (k, v) in entries {
                    m.insert(k.render(doc).into_owned(), v.resolve(doc));
                }
                Value::Map(m)
            }
        }
    }
}

// ---------------------------------------------------------------- rendering

#[derive(Clone, Copy)]
enum Scope<'a> {
    Root(&'a Document),
    Value(&'a Value),
}

enum Found<'a> {
    Ref(&'a Value),
    Map(&'a Map),
    Owned(Value),
}

impl Found<'_> {
    fn value(&self) -> Cow<'_, Value> {
        match self {
            Found::Ref(v) => Cow::Borrowed(*v),
            Found::Map(m) => Cow::Owned(Value::Map((*m).clone())),
            Found::Owned(v) => Cow::Borrowed(v),
        }
    }
}

fn lookup<'a>(name: &Name, scopes: &[Scope<'a>]) -> Option<Found<'a>> {
    let Some((first, rest)) = name.0.split_first() else {
        return scopes.last().map(|s| match s {
            Scope::Root(doc) => Found::Map(doc.ctx()),
            Scope::Value(v) => Found::Ref(v),
        });
    };
    let mut found = scopes
        .iter()
        .rev()
        .find_map(|s| child_of_scope(*s, first))?;
    for part in rest {
        found = match found {
            Found::Ref(v) => child_of_value(v, part)?,
            Found::Map(m) => m.get(part).map(Found::Ref)?,
            Found::Owned(_) => return None,
        };
    }
    Some(found)
}

fn child_of_scope<'a>(scope: Scope<'a>, key: &str) -> Option<Found<'a>> {
    match scope {
        Scope::Root(doc) => match key {
            "_source" => Some(Found::Map(doc.ctx())),
            "_ingest" => Some(Found::Map(doc.ingest_metadata())),
            _ => doc.ctx().get(key).map(Found::Ref),
        },
        Scope::Value(v) => child_of_value(v, key),
    }
}

fn child_of_value<'a>(v: &'a Value, key: &str) -> Option<Found<'a>> {
    match v {
        Value::Map(m) => m.get(key).map(Found::Ref),
        Value::List(l) => {
            if key == "size" {
                Some(Found::Owned(Value::Int(l.len() as i32)))
            } else {
                let idx: usize = key.parse().ok()?;
                l.get(idx).map(Found::Ref)
            }
        }
        _ => None,
    }
}

fn render_nodes<'a>(
    nodes: &[Node],
    encoding: Encoding,
    scopes: &mut Vec<Scope<'a>>,
    out: &mut String,
) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Var { name, escape } => {
                if let Some(found) = lookup(name, scopes) {
                    let value = found.value();
                    if !value.is_null() {
                        let text = stringify(&value);
                        if *escape {
                            encode(&text, encoding, out);
                        } else {
                            out.push_str(&text);
                        }
                    }
                }
            }
            Node::Section {
                name,
                inverted,
                children,
            } => {
                let found = lookup(name, scopes);
                let falsy = match found.as_ref().map(Found::value).as_deref() {
                    None | Some(Value::Null) | Some(Value::Bool(false)) => true,
                    Some(Value::String(s)) => s.is_empty(),
                    Some(Value::List(l)) => l.is_empty(),
                    _ => false,
                };
                if *inverted {
                    if falsy {
                        render_nodes(children, encoding, scopes, out);
                    }
                    continue;
                }
                if falsy {
                    continue;
                }
                match found {
                    Some(Found::Ref(Value::List(items))) => {
                        for item in items {
                            scopes.push(Scope::Value(item));
                            render_nodes(children, encoding, scopes, out);
                            scopes.pop();
                        }
                    }
                    Some(Found::Ref(v)) => {
                        scopes.push(Scope::Value(v));
                        render_nodes(children, encoding, scopes, out);
                        scopes.pop();
                    }
                    Some(Found::Map(m)) => {
                        // `{{#_source}}`: the document itself becomes the scope.
                        let owned = Value::Map(m.clone());
                        let mut inner = String::new();
                        let mut local: Vec<Scope<'_>> = scopes.clone();
                        local.push(Scope::Value(&owned));
                        render_nodes(children, encoding, &mut local, &mut inner);
                        out.push_str(&inner);
                    }
                    Some(Found::Owned(v)) => {
                        let mut local: Vec<Scope<'_>> = scopes.clone();
                        local.push(Scope::Value(&v));
                        render_nodes(children, encoding, &mut local, out);
                    }
                    None => {}
                }
            }
            Node::Join {
                name,
                body,
                delimiter,
            } => match lookup(name, scopes).as_ref().map(Found::value).as_deref() {
                Some(Value::List(items)) => {
                    let parts: Vec<String> = items.iter().map(stringify).collect();
                    out.push_str(&parts.join(delimiter));
                }
                _ => out.push_str(body),
            },
            Node::ToJson { name } => {
                match lookup(name, scopes).as_ref().map(Found::value).as_deref() {
                    None | Some(Value::Null) => {}
                    Some(v @ (Value::List(_) | Value::Map(_))) => {
                        out.push_str(&isc_value::to_json_string(v))
                    }
                    Some(v) => out.push_str(&stringify(v)),
                }
            }
            Node::Url { children } => {
                let mut inner = String::new();
                render_nodes(children, encoding, scopes, &mut inner);
                encode(&inner, Encoding::UrlForm, out);
            }
        }
    }
}

/// Java's `toString` of a value, as mustache prints it.
fn stringify(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_java_string(),
    }
}

fn encode(text: &str, encoding: Encoding, out: &mut String) {
    match encoding {
        Encoding::Plain => out.push_str(text),
        Encoding::Json => json_escape(text, out),
        Encoding::UrlForm => url_form_encode(text, out),
    }
}

/// Jackson's `JsonStringEncoder.quoteAsString`.
pub(crate) fn json_escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
}

/// Java's `URLEncoder.encode(s, UTF_8)`.
pub(crate) fn url_form_encode(text: &str, out: &mut String) {
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
}

// ------------------------------------------------------------------ parsing

/// The deepest nesting of sections a template may have. Mustache.java has
/// no limit but overflows its stack on deep nesting, as compiling, rendering
/// and freeing a template here would (a debug build on a 2 MiB test thread
/// already at 1 000 levels): past it, the template is refused. Templates in
/// pipelines nest two or three sections.
const MAX_SECTION_DEPTH: usize = 100;

struct Parser<'s> {
    src: &'s str,
    pos: usize,
    /// Sections open around `pos`.
    depth: usize,
}

impl Parser<'_> {
    /// Parses until the closing tag of `open` (or the end of input).
    fn parse_nodes(&mut self, open: Option<&str>) -> Result<Vec<Node>, TemplateError> {
        let mut nodes = Vec::new();
        loop {
            let rest = &self.src[self.pos..];
            let Some(start) = rest.find("{{") else {
                if !rest.is_empty() {
                    nodes.push(Node::Text(rest.to_owned()));
                }
                self.pos = self.src.len();
                return match open {
                    None => Ok(nodes),
                    Some(name) => Err(TemplateError(format!("Failed to close '{name}' tag"))),
                };
            };
            if start > 0 {
                nodes.push(Node::Text(rest[..start].to_owned()));
            }
            self.pos += start;
            let tag_start = self.pos;
            let (triple, close) = if self.src[self.pos..].starts_with("{{{") {
                (true, "}}}")
            } else {
                (false, "}}")
            };
            let inner_start = self.pos + if triple { 3 } else { 2 };
            let Some(len) = self.src[inner_start..].find(close) else {
                return Err(TemplateError(format!(
                    "Improperly closed variable at offset {tag_start}"
                )));
            };
            let inner = self.src[inner_start..inner_start + len].trim();
            self.pos = inner_start + len + close.len();
            if triple {
                nodes.push(Node::Var {
                    name: parse_name(inner)?,
                    escape: false,
                });
                continue;
            }
            let (sigil, name) = match inner.chars().next() {
                Some(c @ ('#' | '^' | '/' | '&' | '!' | '>' | '=')) => (Some(c), inner[1..].trim()),
                _ => (None, inner),
            };
            match sigil {
                None => nodes.push(Node::Var {
                    name: parse_name(name)?,
                    escape: true,
                }),
                Some('&') => nodes.push(Node::Var {
                    name: parse_name(name)?,
                    escape: false,
                }),
                Some('!') => {}
                Some('/') => {
                    return match open {
                        Some(o) if o == name => Ok(nodes),
                        Some(o) => Err(TemplateError(format!(
                            "Mismatched start/end tags: {o} != {name}"
                        ))),
                        None => Err(TemplateError(format!("Unexpected close tag: {name}"))),
                    };
                }
                Some('#') => nodes.push(self.parse_section(name, false)?),
                Some('^') => nodes.push(self.parse_section(name, true)?),
                Some(other) => {
                    return Err(TemplateError(format!(
                        "Unsupported mustache tag '{other}' in [{}]",
                        self.src
                    )));
                }
            }
        }
    }

    fn parse_section(&mut self, name: &str, inverted: bool) -> Result<Node, TemplateError> {
        if self.depth == MAX_SECTION_DEPTH {
            return Err(TemplateError(format!(
                "sections nest deeper than {MAX_SECTION_DEPTH} levels"
            )));
        }
        let body_start = self.pos;
        self.depth += 1;
        let children = self.parse_nodes(Some(name));
        self.depth -= 1;
        let children = children?;
        let body_end = self.src[..self.pos].rfind("{{").unwrap_or(self.pos);
        let body = self.src[body_start..body_end].to_owned();
        if inverted {
            return Ok(Node::Section {
                name: parse_name(name)?,
                inverted,
                children,
            });
        }
        let function_arg = || -> Result<Name, TemplateError> {
            match children.as_slice() {
                [Node::Text(t)] => parse_name(t.trim()),
                [Node::Var { name, .. }] => Ok(name.clone()),
                _ => Err(TemplateError(format!(
                    "Mustache function [{name}] must contain one and only one identifier"
                ))),
            }
        };
        if name.eq_ignore_ascii_case("join") {
            return Ok(Node::Join {
                name: function_arg()?,
                body,
                delimiter: ",".to_owned(),
            });
        }
        if let Some(delim) = name
            .strip_prefix("join delimiter='")
            .and_then(|r| r.strip_suffix('\''))
        {
            return Ok(Node::Join {
                name: function_arg()?,
                body,
                delimiter: delim.to_owned(),
            });
        }
        if name.eq_ignore_ascii_case("toJson") {
            return Ok(Node::ToJson {
                name: function_arg()?,
            });
        }
        if name.eq_ignore_ascii_case("url") {
            return Ok(Node::Url { children });
        }
        Ok(Node::Section {
            name: parse_name(name)?,
            inverted,
            children,
        })
    }
}

fn parse_name(text: &str) -> Result<Name, TemplateError> {
    if text.is_empty() {
        return Err(TemplateError("Empty mustache tag".to_owned()));
    }
    if text == "." {
        return Ok(Name(Vec::new()));
    }
    Ok(Name(text.split('.').map(str::to_owned).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> Document {
        match isc_value::from_json_str(json).unwrap() {
            Value::Map(m) => Document::with_timestamp(m, "2024-01-01T00:00:00.000001Z"),
            _ => panic!("not an object"),
        }
    }

    fn render(t: &str, d: &Document) -> String {
        Template::compile(t).unwrap().render(d).into_owned()
    }

    /// 40 000 nested sections once overflowed the stack; past the limit
    /// the template is refused, up to it it renders (in a debug build too).
    #[test]
    fn sections_nest_at_most_the_limit() {
        let nested = |n: usize| format!("{}x{}", "{{#a}}".repeat(n), "{{/a}}".repeat(n));
        let d = doc(r#"{"a":true}"#);
        assert_eq!(render(&nested(MAX_SECTION_DEPTH), &d), "x");
        for n in [MAX_SECTION_DEPTH + 1, 40_000] {
            assert_eq!(
                Template::compile(&nested(n)).unwrap_err().0,
                "sections nest deeper than 100 levels"
            );
        }
    }

    #[test]
    fn plain_text_is_a_constant() {
        let t = Template::compile("no tags").unwrap();
        assert_eq!(t.as_constant(), Some("no tags"));
    }

    #[test]
    fn variables_escape_for_json_and_triple_braces_do_not() {
        let d = doc(r#"{"m":"a \"b\"\n<c>&"}"#);
        assert_eq!(render("{{m}}", &d), "a \\\"b\\\"\\n<c>&");
        assert_eq!(render("{{{m}}}", &d), "a \"b\"\n<c>&");
        assert_eq!(render("{{&m}}", &d), "a \"b\"\n<c>&");
    }

    #[test]
    fn dotted_names_reach_into_maps_lists_and_ingest() {
        let d = doc(r#"{"a":{"b":[10,20]},"_ingest":"x"}"#);
        assert_eq!(render("{{a.b.1}}/{{a.b.size}}", &d), "20/2");
        assert_eq!(
            render("{{_ingest.timestamp}}", &d),
            "2024-01-01T00:00:00.000001Z"
        );
        assert_eq!(render("{{_source.a.b.0}}", &d), "10");
        assert_eq!(render("[{{missing}}][{{a.zz}}]", &d), "[][]");
    }

    #[test]
    fn values_print_as_java_to_string() {
        let d = doc(r#"{"l":["a",1,2.0],"m":{"k":"v"},"big":1e10}"#);
        assert_eq!(
            render("{{{l}}} {{{m}}} {{big}}", &d),
            "[a, 1, 2.0] {k=v} 1.0E10"
        );
    }

    #[test]
    fn sections_iterate_lists_and_inverted_sections_test_emptiness() {
        let d = doc(r#"{"l":[{"n":"x"},{"n":"y"}],"e":[],"f":false,"s":""}"#);
        assert_eq!(render("{{#l}}<{{n}}>{{/l}}", &d), "<x><y>");
        assert_eq!(
            render(
                "{{^e}}empty{{/e}}{{^f}}!{{/f}}{{^s}}?{{/s}}{{^l}}no{{/l}}",
                &d
            ),
            "empty!?"
        );
    }

    #[test]
    fn join_and_to_json_functions() {
        let d = doc(r#"{"l":["a","b"],"m":{"k":1}}"#);
        assert_eq!(render("{{#join}}l{{/join}}", &d), "a,b");
        assert_eq!(
            render("{{#join delimiter=' | '}}l{{/join delimiter=' | '}}", &d),
            "a | b"
        );
        assert_eq!(render("{{#toJson}}m{{/toJson}}", &d), r#"{"k":1}"#);
        assert_eq!(render("{{#url}}{{l.0}} &{{/url}}", &d), "a+%26");
    }

    #[test]
    fn bad_templates_fail_to_compile() {
        assert!(Template::compile("{{#a}}x").is_err());
        assert!(Template::compile("{{a").is_err());
        assert!(Template::compile("{{#a}}{{/b}}").is_err());
    }

    #[test]
    fn value_sources_template_strings_keys_and_nested_values() {
        let d = doc(r#"{"k":"key","v":"val"}"#);
        let src = isc_value::from_json_str(r#"{"{{k}}":["{{v}}",1]}"#).unwrap();
        let vs = ValueSource::new(src, Encoding::Json).unwrap();
        assert_eq!(
            isc_value::to_json_string(&vs.resolve(&d)),
            r#"{"key":["val",1]}"#
        );
    }
}
