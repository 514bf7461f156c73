//! `aiinfra db export DIR`: every table as a file (CSV or JSON) in the report's order,
//! and a README of what the files are, what every column means, and whose data it is.

use std::path::Path;

use anyhow::Result;

use super::{column_meaning, table_rows};
use crate::db::Db;
use crate::db::contract::TABLES;
use crate::output::{self, Format};

/// Files to write: (file name, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// The tables and the README, all made before anything is written, and the number of
/// rows in the tables.
pub fn files(db: &Db, format: Format, excel: bool) -> Result<(Files, usize)> {
    let ext = match format {
        Format::Json => "json",
        _ => "csv",
    };
    let opts = output::Options {
        format,
        excel,
        ..output::Options::default()
    };
    let mut files = Vec::new();
    let mut rows = 0;
    for table in TABLES {
        let data = table_rows(db, table)?;
        rows += data.data.len();
        let mut bytes = Vec::new();
        output::render(&data, &opts, &mut bytes)?;
        files.push((format!("{}.{ext}", table.name), bytes));
    }
    files.push(("README.md".to_string(), readme(db, ext)?.into_bytes()));
    Ok((files, rows))
}

/// The README of an export: what the files are, whose data it is, and what every
/// column means.
fn readme(db: &Db, ext: &str) -> Result<String> {
    let meta: std::collections::BTreeMap<String, String> =
        crate::db::open::meta(db)?.into_iter().collect();
    let get = |k: &str| meta.get(k).cloned().unwrap_or_default();
    let mut out = format!(
        "# aiinfra export\n\n\
         The knowledge base of aiinfra {}: {}, transcribed into one {ext} file per table. \
         Every row names its source in the report (`source_id`, see sources.{ext}) and quotes it (`quote`).\n\n\
         {}\n\n\
         Data checksum (SHA-256 of the seeds): `{}`.\n\n\
         CSV files have a header row; an empty cell is unknown; numbers are plain (no units, no separators); \
         booleans are true or false. A number the report gives as a bound or an approximation has a \
         qualifier column beside it (at_least, over, nearly, about). A CSV export loads back with \
         `aiinfra --seed-dir DIR`.\n",
        get("aiinfra_version"),
        get("data_edition"),
        crate::report::credit(),
        get("data_checksum"),
    );
    for table in TABLES {
        out.push_str(&format!(
            "\n## {}.{ext}\n\n{}.\n\n| column | type | unit | meaning |\n|---|---|---|---|\n",
            table.name, table.doc
        ));
        for c in table.columns {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                c.name,
                c.kind.describe().replace('|', "\\|"),
                c.unit.unwrap_or(""),
                column_meaning(c).replace('|', "\\|")
            ));
        }
    }
    Ok(out)
}

/// The summary line of an export.
pub fn summary(count: usize, rows: usize, ext: &str, dir: &Path) -> String {
    format!(
        "wrote {count} tables ({rows} rows) as {ext} and README.md to {}",
        dir.display()
    )
}
