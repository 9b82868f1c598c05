//! `isc`: builds, checks and tests the SailPoint ISC integration package.

fn main() {
    println!("isc: no commands yet");
}
