//! The knowledge base as SQLite: the contract, migrations, seed loading, the three
//! ways to open it (embedded seeds, a seed directory, a built file), the sandbox every
//! connection runs in, and the one path every query takes (`exec`).

pub mod accounts;
pub mod contract;
pub mod derived;
pub mod embedded;
pub mod error;
pub mod exec;
pub mod fts;
pub mod fulltext;
pub mod migrate;
pub mod open;
pub mod sandbox;
pub mod schema;
pub mod seed;

pub use error::Error;
pub use exec::Db;
pub use open::{DataSource, open};
