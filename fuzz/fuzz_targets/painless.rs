//! Painless: any text compiles or fails with an error; what compiles runs
//! as a `script` (on an empty ctx) and as an `if` condition without
//! panicking. Loops are bounded by the interpreter's loop counter.
#![no_main]

use isc_value::Map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(script) = isc_painless::compile(source) else {
        return;
    };
    let params = Map::default();
    let mut ctx = Map::default();
    let _ = script.execute(&mut ctx, &params);
    let _ = script.condition(&Map::default(), &params);
});
