//! Grok and dissect pattern compilers: input `<selector><pattern>\n<text>`.
//! The selector byte picks grok with the legacy or ECS pattern set, or
//! dissect; a compiled pattern is then matched against the text.
#![no_main]

use isc_grok::{DissectParser, EcsCompatibility, Grok, PatternBank};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(rest) = std::str::from_utf8(rest) else {
        return;
    };
    let (pattern, text) = rest.split_once('\n').unwrap_or((rest, ""));
    match selector % 3 {
        0 | 1 => {
            let mode = if selector % 3 == 0 {
                EcsCompatibility::Disabled
            } else {
                EcsCompatibility::V1
            };
            if let Ok(grok) = Grok::compile(PatternBank::builtin(mode), pattern) {
                let _ = grok.captures(text);
            }
        }
        _ => {
            if let Ok(parser) = DissectParser::new(pattern, " ") {
                let _ = parser.parse(text);
            }
        }
    }
});
