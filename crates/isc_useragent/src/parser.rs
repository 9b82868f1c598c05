//! The parser: ordered rules per part, first match wins.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use regex::{Regex, RegexBuilder};

use crate::device_type;
use crate::error::UserAgentError;
use crate::java_pattern::ascii_classes;
use crate::regex_file::read_rule_lists;

/// uap-core's `regexes.yaml`, embedded unchanged (see `data/NOTICE`).
const BUILTIN_REGEXES: &str = include_str!("../data/regexes.yaml");

/// Rules for the three parts of a user-agent string.
#[derive(Debug)]
pub struct UserAgentParser {
    user_agent: Vec<Rule>,
    os: Vec<Rule>,
    device: Vec<Rule>,
    /// Recent results, as Elasticsearch's `UserAgentCache` keeps them.
    cache: Mutex<HashMap<(String, bool), Details>>,
}

/// How many parsed agents the cache keeps (Elasticsearch's default size).
const CACHE_SIZE: usize = 1000;

/// A name with up to four version parts, as one rule extracted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionedName {
    /// The name (browser family, OS name or device name).
    pub name: String,
    /// The first version part.
    pub major: Option<String>,
    /// The second version part.
    pub minor: Option<String>,
    /// The third version part.
    pub patch: Option<String>,
    /// The fourth version part.
    pub build: Option<String>,
}

/// What a user-agent string revealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    /// The browser or client, if any rule matched.
    pub user_agent: Option<VersionedName>,
    /// The operating system, if any rule matched.
    pub os: Option<VersionedName>,
    /// The device, if any rule matched.
    pub device: Option<VersionedName>,
    /// The device type, when asked for.
    pub device_type: Option<String>,
}

/// One rule: an expression compiled on first use, and replacements.
#[derive(Debug)]
struct Rule {
    pattern: String,
    case_insensitive: bool,
    compiled: OnceLock<Option<Regex>>,
    name_replacement: Option<String>,
    version_replacements: [Option<String>; 4],
}

impl VersionedName {
    /// The version as Elasticsearch joins it: `major[.minor[.patch[.build]]]`,
    /// stopping at the first missing part; `None` without a major part.
    /// Parts that matched empty stay empty (`0.11.`), as in Elasticsearch.
    pub fn version(&self) -> Option<String> {
        let mut version = self.major.clone()?;
        for part in [&self.minor, &self.patch, &self.build] {
            match part {
                Some(p) => {
                    version.push('.');
                    version.push_str(p);
                }
                None => break,
            }
        }
        Some(version)
    }
}

impl UserAgentParser {
    /// The built-in parser over uap-core's rules, built once per process.
    pub fn builtin() -> &'static UserAgentParser {
        static BUILTIN: OnceLock<UserAgentParser> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The embedded file is checked by a unit test; an empty parser
            // is the fallback that keeps this infallible.
            UserAgentParser::from_rule_text(BUILTIN_REGEXES).unwrap_or(UserAgentParser {
                user_agent: Vec::new(),
                os: Vec::new(),
                device: Vec::new(),
                cache: Mutex::default(),
            })
        })
    }

    /// A parser from the text of a custom regex file (`regex_file`),
    /// compiling every expression now so that errors surface at load time.
    pub fn from_yaml(text: &str) -> Result<UserAgentParser, UserAgentError> {
        let parser = UserAgentParser::from_rule_text(text)?;
        for rule in parser.rules() {
            rule.compile_now()?;
        }
        Ok(parser)
    }

    /// Parses a user-agent string; `extract_device_type` adds the device
    /// type from Elasticsearch's device-type rules.
    pub fn parse(&self, agent: &str, extract_device_type: bool) -> Details {
        let key = (agent.to_owned(), extract_device_type);
        if let Some(hit) = self.cached().get(&key) {
            return hit.clone();
        }
        let details = self.parse_uncached(agent, extract_device_type);
        let mut cache = self.cached();
        if cache.len() >= CACHE_SIZE {
            cache.clear();
        }
        cache.insert(key, details.clone());
        details
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, HashMap<(String, bool), Details>> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn parse_uncached(&self, agent: &str, extract_device_type: bool) -> Details {
        let user_agent = first_match(&self.user_agent, agent);
        let os = first_match(&self.os, agent);
        let device = first_match(&self.device, agent);
        let device_type = extract_device_type.then(|| {
            device_type::device_type(agent, user_agent.as_ref(), os.as_ref(), device.as_ref())
        });
        Details {
            user_agent,
            os,
            device,
            device_type,
        }
    }

    fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.user_agent.iter().chain(&self.os).chain(&self.device)
    }

    fn from_rule_text(text: &str) -> Result<UserAgentParser, UserAgentError> {
        let lists = read_rule_lists(text)?;
        let build = |rules: &[BTreeMap<String, String>], name: &str, prefix: &str| {
            rules
                .iter()
                .filter_map(|r| Rule::from_map(r, name, prefix))
                .collect::<Vec<_>>()
        };
        Ok(UserAgentParser {
            user_agent: build(&lists.user_agent, "family_replacement", "v"),
            os: build(&lists.os, "os_replacement", "os_v"),
            device: build(&lists.device, "device_replacement", "device_v"),
            cache: Mutex::default(),
        })
    }
}

fn first_match(rules: &[Rule], agent: &str) -> Option<VersionedName> {
    rules.iter().find_map(|rule| rule.apply(agent))
}

impl Rule {
    /// A rule from its map; `version_prefix` names the version replacement
    /// keys (`v1_replacement`, `os_v1_replacement`). Device rules take no
    /// version replacements in Elasticsearch; `device_v*` keys do not exist.
    fn from_map(
        map: &BTreeMap<String, String>,
        name_key: &str,
        version_prefix: &str,
    ) -> Option<Rule> {
        let pattern = map.get("regex")?.clone();
        let version = |i: usize| {
            map.get(&format!("{version_prefix}{i}_replacement"))
                .cloned()
        };
        Some(Rule {
            case_insensitive: map.get("regex_flag").is_some_and(|f| f == "i"),
            pattern,
            compiled: OnceLock::new(),
            name_replacement: map.get(name_key).cloned(),
            version_replacements: [version(1), version(2), version(3), version(4)],
        })
    }

    fn build_regex(&self) -> Result<Regex, UserAgentError> {
        RegexBuilder::new(&ascii_classes(&self.pattern))
            .case_insensitive(self.case_insensitive)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| UserAgentError::InvalidPattern {
                pattern: self.pattern.clone(),
                reason: e.to_string(),
            })
    }

    fn compile_now(&self) -> Result<(), UserAgentError> {
        if self.compiled.get().is_none() {
            let regex = self.build_regex()?;
            let _ = self.compiled.set(Some(regex));
        }
        Ok(())
    }

    fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| self.build_regex().ok())
            .as_ref()
    }

    /// Elasticsearch's `UserAgentSubpattern.match`.
    fn apply(&self, agent: &str) -> Option<VersionedName> {
        let regex = self.regex()?;
        let captures = regex.captures(agent)?;
        let group_count = regex.captures_len() - 1;
        let group = |i: usize| {
            (group_count >= i)
                .then(|| captures.get(i).map(|m| m.as_str().to_owned()))
                .flatten()
        };
        let name = match &self.name_replacement {
            Some(replacement) => match group(1) {
                Some(first) if replacement.contains("$1") => {
                    Some(replacement.replacen("$1", &first, 1))
                }
                _ => Some(replacement.clone()),
            },
            None => group(1),
        }?;
        let version = |i: usize| match &self.version_replacements[i] {
            Some(replacement) => Some(replacement.clone()),
            None => group(i + 2),
        };
        Some(VersionedName {
            name,
            major: version(0),
            minor: version(1),
            patch: version(2),
            build: version(3),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(agent: &str) -> Details {
        UserAgentParser::builtin().parse(agent, true)
    }

    #[test]
    fn every_builtin_rule_compiles() {
        let parser = UserAgentParser::builtin();
        let (ua, os, device) = (
            parser.user_agent.len(),
            parser.os.len(),
            parser.device.len(),
        );
        assert!(ua > 300 && os > 100 && device > 500, "{ua} {os} {device}");
        for rule in parser.rules() {
            rule.build_regex().unwrap();
        }
    }

    #[test]
    fn desktop_chrome_on_macos() {
        let d = parse(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.149 Safari/537.36",
        );
        let ua = d.user_agent.unwrap();
        assert_eq!(ua.name, "Chrome");
        assert_eq!(ua.version().as_deref(), Some("33.0.1750.149"));
        let os = d.os.unwrap();
        assert_eq!(os.name, "Mac OS X");
        assert_eq!(os.version().as_deref(), Some("10.9.2"));
        assert_eq!(d.device.unwrap().name, "Mac");
        assert_eq!(d.device_type.as_deref(), Some("Desktop"));
    }

    #[test]
    fn repeated_agents_are_answered_from_the_cache_identically() {
        let parser = UserAgentParser::builtin();
        let agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 12_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0 Mobile/15E148 Safari/604.1";
        let first = parser.parse(agent, true);
        assert_eq!(parser.parse(agent, true), first);
        assert_eq!(first.device_type.as_deref(), Some("Phone"));
        assert_eq!(parser.parse(agent, false).device_type, None);
    }

    /// Elasticsearch's own expectations (`UserAgentProcessorTests` and the
    /// REST tests of the current release): name, version, OS name, OS
    /// version, device name, device type.
    #[test]
    fn elasticsearch_test_vectors() {
        type Row = (
            &'static str,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            &'static str,
        );
        let rows: &[Row] = &[
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.141 Safari/537.36",
                Some("Chrome"),
                Some("87.0.4280.141"),
                Some("Windows"),
                Some("10"),
                None,
                "Desktop",
            ),
            (
                "Mozilla/5.0 (Linux; U; Android 3.0; en-us; Xoom Build/HRI39) AppleWebKit/525.10+ (KHTML, like Gecko) Version/3.0.4 Mobile Safari/523.12.2",
                Some("Android"),
                Some("3.0"),
                Some("Android"),
                Some("3.0"),
                Some("Motorola Xoom"),
                "Phone",
            ),
            (
                "Mozilla/5.0 (compatible; EasouSpider; +http://www.easou.com/search/spider.html)",
                Some("EasouSpider"),
                None,
                None,
                None,
                Some("Spider"),
                "Robot",
            ),
            (
                "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1",
                Some("Mobile Safari"),
                Some("12.1"),
                Some("iOS"),
                Some("12.2"),
                Some("iPad"),
                "Tablet",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
                Some("Firefox"),
                Some("128.0"),
                Some("Windows"),
                Some("10"),
                None,
                "Desktop",
            ),
            (
                "Java/17.0.11",
                Some("Java"),
                Some("17.0.11"),
                None,
                None,
                Some("Spider"),
                "Other",
            ),
            (
                "Something I made up v42.0.1",
                None,
                None,
                None,
                None,
                None,
                "Other",
            ),
        ];
        for &(agent, name, version, os, os_version, device, kind) in rows {
            let d = parse(agent);
            let ua = d.user_agent.as_ref();
            assert_eq!(ua.map(|u| u.name.as_str()), name, "{agent}");
            assert_eq!(
                ua.and_then(VersionedName::version).as_deref(),
                version,
                "{agent}"
            );
            assert_eq!(d.os.as_ref().map(|o| o.name.as_str()), os, "{agent}");
            assert_eq!(
                d.os.as_ref().and_then(VersionedName::version).as_deref(),
                os_version,
                "{agent}"
            );
            assert_eq!(
                d.device.as_ref().map(|x| x.name.as_str()),
                device,
                "{agent}"
            );
            assert_eq!(d.device_type.as_deref(), Some(kind), "{agent}");
        }
    }

    #[test]
    fn unknown_agent_matches_nothing() {
        let d = parse("no such agent");
        assert_eq!(d.user_agent, None);
        assert_eq!(d.os, None);
        assert_eq!(d.device, None);
        assert_eq!(d.device_type.as_deref(), Some("Other"));
    }

    #[test]
    fn version_stops_at_first_missing_part() {
        let v = VersionedName {
            name: "X".to_owned(),
            major: Some("1".to_owned()),
            minor: None,
            patch: Some("3".to_owned()),
            build: None,
        };
        assert_eq!(v.version().as_deref(), Some("1"));
        let empty_patch = VersionedName {
            minor: Some("11".to_owned()),
            patch: Some(String::new()),
            ..v
        };
        assert_eq!(empty_patch.version().as_deref(), Some("1.11."));
    }

    #[test]
    fn only_the_first_dollar_one_is_replaced() {
        let parser = UserAgentParser::from_yaml(
            "user_agent_parsers:\n  - regex: '(Foo)/(\\d+)'\n    family_replacement: '$1 $1 $2'\n    v1_replacement: '$2'\n",
        )
        .unwrap();
        let ua = parser.parse("Foo/7", false).user_agent.unwrap();
        assert_eq!(ua.name, "Foo $1 $2");
        assert_eq!(ua.major.as_deref(), Some("$2"));
    }

    #[test]
    fn regex_flag_i_makes_matching_case_insensitive() {
        let parser = UserAgentParser::from_yaml(
            "device_parsers:\n  - regex: 'acme (phone)'\n    regex_flag: 'i'\n    device_replacement: 'Acme $1'\n",
        )
        .unwrap();
        let device = parser.parse("ACME Phone", false).device.unwrap();
        assert_eq!(device.name, "Acme Phone");
    }

    #[test]
    fn custom_files_without_parsers_are_rejected() {
        assert_eq!(
            UserAgentParser::from_yaml("something: []").unwrap_err(),
            UserAgentError::NoParsers
        );
        assert!(matches!(
            UserAgentParser::from_yaml("user_agent_parsers:\n  - regex: '(unclosed'\n"),
            Err(UserAgentError::InvalidPattern { .. })
        ));
    }

    proptest::proptest! {
        #[test]
        fn no_agent_string_panics(agent in "\\PC{0,80}") {
            let _ = UserAgentParser::builtin().parse(&agent, true);
        }
    }
}
