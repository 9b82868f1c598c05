//! Device types (Desktop, Phone, Tablet, Robot, Other), derived as
//! Elasticsearch's `DeviceTypeParser` does from its own rule file
//! (`device_type_regexes.yml`, Apache-2.0), whose rules are restated here.
//!
//! The whole string is tried against the agent-string rules first; failing
//! those, the OS name, browser name and device name are each classified and
//! the strongest type wins: Robot, then Tablet, Phone, Desktop, else Other.

use std::sync::OnceLock;

use regex::Regex;

use crate::java_pattern::ascii_classes;
use crate::parser::VersionedName;

/// Rules applied to the operating system name.
const OS_RULES: &[(&str, &str)] = &[
    (
        "Bot|bot|spider|Spider|Crawler|crawler|AppEngine-Google",
        "Robot",
    ),
    (
        "^(Windows$|Windows NT$|Mac OS X|Linux$|Chrome OS|Fedora$|Ubuntu$)",
        "Desktop",
    ),
    (
        "^(Android$|iOS|Windows Phone|Firefox OS|BlackBerry OS|KaiOS|Sailfish$|Maemo)",
        "Phone",
    ),
    (
        "^(Windows XP|Windows 7|Windows 10|FreeBSD|OpenBSD|Arch Linux|Solaris|NetBSD|SUSE|SunOS|BeOS/Haiku)",
        "Desktop",
    ),
    (
        "Tablet|BlackBerry Tablet OS|iPad|FireOS|Crosswalk",
        "Tablet",
    ),
];

/// Rules applied to the browser name.
const BROWSER_RULES: &[(&str, &str)] = &[
    (
        "Bot|bot|spider|Spider|Crawler|crawler|AppEngine-Google",
        "Robot",
    ),
    (
        "^(Chrome$|Chromium$|Edge$|Firefox$|IE$|Maxthon$|Opera$|Safari$|SeaMonkey$|Vivaldi$|Yandex Browser$)",
        "Desktop",
    ),
    (
        "^(Chrome Mobile$|Chrome Mobile iOS|Firefox Mobile|Firefox iOS|Edge Mobile|Android|Facebook|Instagram|IE Mobile)",
        "Phone",
    ),
    (
        "^(BlackBerry WebKit|OktaMobile|Sailfish Browser|Amazon Silk|Pinterest|Flipboard)",
        "Phone",
    ),
    (
        "Tablet|BlackBerry Tablet OS|iPad|FireOS|Crosswalk",
        "Tablet",
    ),
];

/// Rules applied to the device name.
const DEVICE_RULES: &[(&str, &str)] = &[
    (
        "Tablet|BlackBerry Tablet OS|iPad|FireOS|Crosswalk|Kindle",
        "Tablet",
    ),
    (r"SM-T\d+|SM-P\d+|GT-P\d+", "Tablet"),
    (r"Asus Nexus \d+|Lenovo TB", "Tablet"),
];

/// Rules applied to the whole user-agent string, before the others.
const AGENT_STRING_RULES: &[(&str, &str)] = &[
    (
        "Synthetic|Scanner|Crawler|Site24x7|PagePeeker|SpeedCurve|RuxitSynthetic|Google Web Preview|Synthetic|SiteChecker|Parser",
        "Robot",
    ),
    ("Tablet", "Tablet"),
];

/// The device type of a parsed user agent.
pub fn device_type(
    agent: &str,
    user_agent: Option<&VersionedName>,
    os: Option<&VersionedName>,
    device: Option<&VersionedName>,
) -> String {
    let rules = compiled_rules();
    if let Some(found) = classify(&rules.agent_string, agent) {
        return found.to_owned();
    }
    let found: Vec<&str> = [
        (&rules.os, os),
        (&rules.browser, user_agent),
        (&rules.device, device),
    ]
    .into_iter()
    .filter_map(|(list, part)| classify(list, &part?.name))
    .collect();
    ["Robot", "Tablet", "Phone", "Desktop"]
        .into_iter()
        .find(|kind| found.contains(kind))
        .unwrap_or("Other")
        .to_owned()
}

struct CompiledRules {
    os: Vec<(Regex, &'static str)>,
    browser: Vec<(Regex, &'static str)>,
    device: Vec<(Regex, &'static str)>,
    agent_string: Vec<(Regex, &'static str)>,
}

fn compiled_rules() -> &'static CompiledRules {
    static RULES: OnceLock<CompiledRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let compile = |rules: &[(&'static str, &'static str)]| {
            rules
                .iter()
                .filter_map(|&(pattern, kind)| {
                    Regex::new(&ascii_classes(pattern)).ok().map(|r| (r, kind))
                })
                .collect()
        };
        CompiledRules {
            os: compile(OS_RULES),
            browser: compile(BROWSER_RULES),
            device: compile(DEVICE_RULES),
            agent_string: compile(AGENT_STRING_RULES),
        }
    })
}

fn classify(rules: &[(Regex, &'static str)], text: &str) -> Option<&'static str> {
    rules
        .iter()
        .find(|(regex, _)| regex.is_match(text))
        .map(|&(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> VersionedName {
        VersionedName {
            name: name.to_owned(),
            major: None,
            minor: None,
            patch: None,
            build: None,
        }
    }

    #[test]
    fn every_rule_compiles() {
        let rules = compiled_rules();
        assert_eq!(rules.os.len(), OS_RULES.len());
        assert_eq!(rules.browser.len(), BROWSER_RULES.len());
        assert_eq!(rules.device.len(), DEVICE_RULES.len());
        assert_eq!(rules.agent_string.len(), AGENT_STRING_RULES.len());
    }

    #[test]
    fn agent_string_rules_come_first() {
        let t = device_type("RuxitSynthetic/1.0", Some(&named("Chrome")), None, None);
        assert_eq!(t, "Robot");
    }

    #[test]
    fn tablet_beats_phone_and_desktop() {
        let t = device_type(
            "x",
            Some(&named("Chrome Mobile")),
            Some(&named("Android")),
            Some(&named("Samsung SM-T800")),
        );
        assert_eq!(t, "Tablet");
    }

    #[test]
    fn phone_from_os_and_browser() {
        let t = device_type(
            "x",
            Some(&named("Mobile Safari")),
            Some(&named("iOS")),
            Some(&named("iPhone")),
        );
        assert_eq!(t, "Phone");
    }

    #[test]
    fn nothing_known_is_other() {
        assert_eq!(device_type("x", None, None, None), "Other");
    }
}
