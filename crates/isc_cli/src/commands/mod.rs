//! One module per command.

pub mod bench;
pub mod build;
pub mod check;
pub mod sample_event;
pub mod simulate;
pub mod test;
