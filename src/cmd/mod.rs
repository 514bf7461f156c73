//! One module per subcommand: its clap `Args`, its help and examples, and the query
//! it asks for. Commands never print; `lib.rs` runs and renders what they return.

pub mod chips;
pub mod db;
pub mod platforms;
pub mod sql;

use clap::ValueEnum;

/// The word a value enum stands for on the command line and in the data.
pub fn word<T: ValueEnum>(value: &T) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}
