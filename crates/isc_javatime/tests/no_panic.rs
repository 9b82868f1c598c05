//! Property tests: no pattern or text makes the date parser panic.

use isc_javatime::{DateFormat, DateFormatter, Locale, UTC, Zone, ZonedDateTime};
use proptest::prelude::*;

fn pattern_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[GuyYwMLdDEaHkKhmsSnANVzOXxZQq]{1,6}",
            Just("'".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just("||".to_owned()),
            Just("iso8601".to_owned()),
            Just("epoch_millis".to_owned()),
            "[ -/:.T]{0,2}",
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn date_patterns_never_panic(pattern in pattern_text(), text in "[0-9 :./TZ+\\-a-zA-Z]{0,30}") {
        if let Ok(formatter) = DateFormatter::for_pattern(&pattern) {
            let _ = formatter.parse_zoned(&text, UTC);
            if let Some(dt) = ZonedDateTime::of_epoch_millis(1_600_000_000_000, UTC) {
                let _ = formatter.format(&dt);
            }
        }
        for format in ["ISO8601", "UNIX", "UNIX_MS", "TAI64N", pattern.as_str()] {
            if let Ok(parser) = DateFormat::from_name(format).parser(Zone::Offset(3600), Locale::Root) {
                let _ = parser.parse(&text, 2024);
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,40}") {
        for format in ["ISO8601", "UNIX", "UNIX_MS", "TAI64N", "yyyy-MM-dd HH:mm:ss.SSSXXX", "MMM d HH:mm:ss"] {
            if let Ok(parser) = DateFormat::from_name(format).parser(UTC, Locale::Root) {
                let _ = parser.parse(&text, 2024);
            }
        }
        let _ = Zone::of(&text);
        let _ = Locale::parse(&text);
    }
}

proptest! {
    #[test]
    fn extreme_instants_never_panic(millis in prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(8_210_266_876_799_999i64), Just(-8_334_601_228_800_000i64), any::<i64>()]) {
        for zone in ["+18:00", "-18:00", "Pacific/Kiritimati", "UTC"] {
            if let (Ok(zone), Ok(f)) = (Zone::of(zone), DateFormatter::for_pattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX VV z O G Y w")) {
                if let Some(dt) = ZonedDateTime::of_epoch_millis(millis, zone) {
                    let _ = f.format(&dt);
                    let _ = dt.with_zone_same_instant(UTC);
                }
                if let Ok(p) = DateFormat::from_name("UNIX_MS").parser(zone, Locale::Root) {
                    let _ = p.parse(&millis.to_string(), 2024);
                }
            }
        }
    }
}
