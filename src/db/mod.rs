//! The knowledge base as a SQLite connection: the contract, migrations, seed loading
//! and the three ways to open it (embedded seeds, a seed directory, a built file).

pub mod contract;
pub mod migrate;
pub mod open;
pub mod sandbox;
pub mod seed;

pub use open::{DataSource, open};
