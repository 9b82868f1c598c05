//! Property tests: no pattern text or input makes grok or dissect panic.

use isc_grok::{DissectParser, EcsCompatibility, Grok, PatternBank};
use proptest::prelude::*;

/// Pattern-like text: grok references, regex syntax and plain characters.
fn pattern_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("%{".to_owned()),
            Just("}".to_owned()),
            Just(":".to_owned()),
            Just("%{WORD:w}".to_owned()),
            Just("%{NUMBER:n:int}".to_owned()),
            Just("%{IP}".to_owned()),
            Just("(?<x>".to_owned()),
            Just(")".to_owned()),
            Just("[".to_owned()),
            Just("\\".to_owned()),
            Just("*".to_owned()),
            Just("->".to_owned()),
            Just("%{+a/2}".to_owned()),
            Just("%{*k}%{&k}".to_owned()),
            "[ -~]{0,4}",
            "\\PC{0,2}",
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn grok_compile_and_match_never_panic(pattern in pattern_text(), input in "\\PC{0,40}") {
        for mode in [EcsCompatibility::Disabled, EcsCompatibility::V1] {
            if let Ok(grok) = Grok::compile(PatternBank::builtin(mode), &pattern) {
                let _ = grok.captures(&input);
                let _ = grok.match_ranges(&input);
            }
        }
    }

    #[test]
    fn dissect_never_panics(pattern in pattern_text(), input in "\\PC{0,40}", separator in "[ ,]{0,2}") {
        if let Ok(parser) = DissectParser::new(&pattern, &separator) {
            let _ = parser.parse(&input);
        }
    }
}
