//! The events a benchmark runs: a data stream's pipeline test events, and
//! as many variations of them as asked for.
//!
//! A variation keeps the event's shape and only changes values the way
//! new events of the same source would differ: hexadecimal ids get new
//! digits of the same length, timestamps move forward, actor and target
//! names get a number. The embedded JSON in `message` is varied the same
//! way and written back as JSON, so every variation stays an event the
//! pipeline accepts (a test checks that each variation ends as its
//! original does).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat};
use isc_pipeline_test::package::{data_stream, read_package};
use isc_pipeline_test::test_case::{list_case_files, load_test_case};
use isc_value::{Map, Value};

use crate::BenchError;

/// Where a data stream's pipelines and test events are.
#[derive(Debug, Clone)]
pub struct DataStreamSetup {
    /// `elasticsearch/ingest_pipeline/` of the data stream.
    pub pipeline_folder: PathBuf,
    /// `_dev/test/pipeline/` of the data stream.
    pub test_folder: PathBuf,
    /// Name of the entry pipeline (`default`).
    pub entry: String,
    /// `_index` the test runner gives documents.
    pub index: String,
}

/// Finds `name` among the package's data streams with pipeline tests.
pub fn find_data_stream(package_root: &Path, name: &str) -> Result<DataStreamSetup, BenchError> {
    let package = read_package(package_root)?;
    let stream = data_stream(&package, name)?;
    Ok(DataStreamSetup {
        pipeline_folder: stream.pipeline_folder(),
        test_folder: stream.test_folder(),
        entry: stream.entry_pipeline.clone(),
        index: stream.simulate_index(&package.name),
    })
}

/// The events of every case in a pipeline test folder (skipped cases have
/// none), in case order, as the test runner gives them to the pipeline.
pub fn test_events(test_folder: &Path) -> Result<Vec<Value>, BenchError> {
    if !test_folder.is_dir() {
        return Ok(Vec::new());
    }
    let mut events = Vec::new();
    for file in list_case_files(test_folder)? {
        events.extend(load_test_case(&file)?.events);
    }
    Ok(events)
}

/// `count` raw events (JSON text): the test events in order, then rounds of
/// their variations.
pub fn variations(events: &[Value], count: usize) -> Vec<String> {
    if events.is_empty() {
        return Vec::new();
    }
    (0..count)
        .map(|i| {
            let round = (i / events.len()) as u64;
            let event = &events[i % events.len()];
            if round == 0 {
                isc_value::to_json_string(event)
            } else {
                isc_value::to_json_string(&vary(event, round, None))
            }
        })
        .collect()
}

/// The `round`th variation of `value`, found under `key`.
fn vary(value: &Value, round: u64, key: Option<&str>) -> Value {
    match value {
        Value::Map(map) => Value::Map(vary_map(map, round, key)),
        Value::List(items) => Value::List(items.iter().map(|v| vary(v, round, key)).collect()),
        Value::String(s) => Value::String(vary_string(s, round, key)),
        other => other.clone(),
    }
}

fn vary_map(map: &Map, round: u64, parent: Option<&str>) -> Map {
    map.iter()
        .map(|(k, v)| {
            let varied = match (parent, k.as_str(), v) {
                (Some("actor" | "target"), "name", Value::String(s)) => {
                    Value::String(format!("{s}{round}"))
                }
                _ => vary(v, round, Some(k)),
            };
            (k.clone(), varied)
        })
        .collect()
}

fn vary_string(s: &str, round: u64, key: Option<&str>) -> String {
    if key == Some("message") {
        if let Ok(inner @ Value::Map(_)) = isc_value::from_json_str(s) {
            return isc_value::to_json_string(&vary(&inner, round, None));
        }
    }
    if let Some(moved) = later_timestamp(s, round) {
        return moved;
    }
    let id_like = key.is_some_and(|k| k == "id" || k.ends_with("Id") || k == "trackingNumber");
    if id_like && !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return new_hex(s, round);
    }
    s.to_owned()
}

/// An RFC 3339 timestamp moved `round` minutes and 7 milliseconds per
/// round later, written with the same fraction digits and zone style.
fn later_timestamp(s: &str, round: u64) -> Option<String> {
    if s.len() < 20 || !s.as_bytes()[4..].starts_with(b"-") {
        return None;
    }
    let t = DateTime::parse_from_rfc3339(s).ok()?;
    let shift = i64::try_from(round).ok()?;
    let moved = t + chrono::Duration::minutes(shift) + chrono::Duration::milliseconds(7 * shift);
    let fraction = s.split_once('.').map_or(0, |(_, rest)| {
        rest.bytes().take_while(u8::is_ascii_digit).count()
    });
    let format = match fraction {
        0 => SecondsFormat::Secs,
        1..=3 => SecondsFormat::Millis,
        4..=6 => SecondsFormat::Micros,
        _ => SecondsFormat::Nanos,
    };
    Some(moved.to_rfc3339_opts(format, s.ends_with('Z')))
}

/// Hexadecimal digits of the same length and case, derived from the
/// original and the round.
fn new_hex(s: &str, round: u64) -> String {
    let upper = s.bytes().any(|b| b.is_ascii_uppercase());
    let mut out = String::with_capacity(s.len());
    let mut block = 0u64;
    while out.len() < s.len() {
        let mut h = DefaultHasher::new();
        (s, round, block).hash(&mut h);
        let digits = format!("{:016x}", h.finish());
        out.push_str(&digits[..(s.len() - out.len()).min(16)]);
        block += 1;
    }
    if upper { out.to_ascii_uppercase() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(text: &str) -> Value {
        isc_value::from_json_str(text).unwrap()
    }

    #[test]
    fn the_first_round_is_the_test_events_themselves() {
        let events = [event(r#"{"message":"a"}"#), event(r#"{"message":"b"}"#)];
        let out = variations(&events, 3);
        assert_eq!(out[0], r#"{"message":"a"}"#);
        assert_eq!(out[1], r#"{"message":"b"}"#);
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn embedded_json_gets_new_ids_timestamps_and_names() {
        let original = event(
            r#"{"message":"{\"id\":\"00ab\",\"created\":\"2023-06-01T22:01:37.818Z\",\"actor\":{\"name\":\"jane\"},\"type\":\"AUTH\"}","tags":["x"]}"#,
        );
        let out = variations(std::slice::from_ref(&original), 2);
        let Value::Map(varied) = event(&out[1]) else {
            panic!("not an object")
        };
        assert_eq!(varied["tags"], original.as_map().unwrap()["tags"]);
        let Some(Value::String(message)) = varied.get("message") else {
            panic!("message lost")
        };
        let inner = event(message);
        let inner = inner.as_map().unwrap();
        let Value::String(id) = &inner["id"] else {
            panic!("id lost")
        };
        assert_eq!(id.len(), 4);
        assert_ne!(id, "00ab");
        assert_eq!(inner["created"], Value::from("2023-06-01T22:02:37.825Z"));
        assert_eq!(
            inner["actor"].as_map().unwrap()["name"],
            Value::from("jane1")
        );
        assert_eq!(inner["type"], Value::from("AUTH"));
    }

    #[test]
    fn rounds_differ_from_each_other() {
        let events = [event(r#"{"message":"{\"id\":\"deadbeef\"}"}"#)];
        let out = variations(&events, 3);
        assert_ne!(out[1], out[2]);
    }

    #[test]
    fn non_json_messages_and_plain_strings_stay() {
        let events = [event(r#"{"message":"plain text 2023","id":"not hex!"}"#)];
        let out = variations(&events, 2);
        assert_eq!(out[1], out[0]);
    }

    #[test]
    fn timestamps_keep_their_precision_and_zone_style() {
        assert_eq!(
            later_timestamp("2024-01-01T00:00:00Z", 2).as_deref(),
            Some("2024-01-01T00:02:00Z")
        );
        assert_eq!(
            later_timestamp("2024-01-01T00:00:00.5+02:00", 1).as_deref(),
            Some("2024-01-01T00:01:00.507+02:00")
        );
        assert_eq!(later_timestamp("hello", 1), None);
    }

    #[test]
    fn new_hex_ids_keep_length_and_case() {
        let id = new_hex("ABCDEF0123456789ABCDEF0123456789AB", 5);
        assert_eq!(id.len(), 34);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        );
    }
}
