//! `aiinfra db export DIR`: every table as a file (CSV or JSON) in the report's order,
//! or all of them as the sheets of one workbook, and a README of what the files are,
//! what every column means, and whose data it is.

use std::path::Path;

use anyhow::{Context, Result};

use super::table_rows;
use crate::db::Db;
use crate::db::contract::{TABLES, every_table};
use crate::db::schema::meaning as column_meaning;
use crate::output::{self, Format, xlsx};
use crate::write::Folder;

/// Files to write: (file name, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// The file that records, in `sha256sum` format, the digest of every file an export
/// wrote: `sha256sum -c MANIFEST.sha256` checks them, and a later export replaces the
/// folder only if none of them was changed since.
pub const MANIFEST: &str = "MANIFEST.sha256";

/// The most files a folder to be replaced may hold: an export writes 15.
const MAX_FOLDER_FILES: usize = 1000;

/// The largest file read to tell whether it changed; an export's are under a megabyte.
const MAX_EXPORTED_BYTES: u64 = 64 * 1024 * 1024;

/// The tables, the README and the manifest, all made before anything is written, and
/// the number of rows in the tables.
pub fn files(db: &Db, format: Format, excel: bool) -> Result<(Files, usize)> {
    let (mut files, rows) = contents(db, format, excel)?;
    let manifest: String = files
        .iter()
        .map(|(name, bytes)| format!("{}  {name}\n", crate::input::sha256_hex(bytes)))
        .collect();
    files.push((MANIFEST.to_string(), manifest.into_bytes()));
    Ok((files, rows))
}

/// Whether `dir` may be replaced by an export: it is empty, or an earlier export whose
/// files are all unchanged since (by its manifest's digests). `None` if so, else why
/// not. A folder of folders, or of more files than an export writes, never is.
pub fn recognise(dir: &Path, _writing: &[&str]) -> Result<Folder> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            return Ok(Folder::Never(format!(
                "holds a folder ({})",
                entry.file_name().to_string_lossy()
            )));
        }
        if !kind.is_file() {
            // A FIFO would block the digest's read; a link, a device: not an export's.
            let what = if kind.is_symlink() {
                "a symbolic link"
            } else {
                crate::input::kind_name(&kind)
            };
            return Ok(Folder::Never(format!(
                "holds {} ({what}, which an export never writes)",
                entry.file_name().to_string_lossy(),
            )));
        }
        names.push(entry.file_name().to_string_lossy().into_owned());
        if names.len() > MAX_FOLDER_FILES {
            return Ok(Folder::Never(format!(
                "holds more than {MAX_FOLDER_FILES} files"
            )));
        }
    }
    if names.is_empty() {
        return Ok(Folder::Ours);
    }
    let Ok(manifest) = crate::input::read(&dir.join(MANIFEST), MAX_EXPORTED_BYTES) else {
        return Ok(Folder::NotOurs(format!(
            "holds files but no {MANIFEST} of an aiinfra export (an export by an older aiinfra kept none)"
        )));
    };
    let manifest = String::from_utf8_lossy(&manifest);
    let listed: Vec<(&str, &str)> = manifest
        .lines()
        .filter_map(|l| l.split_once("  "))
        .collect();
    for name in &names {
        if name == MANIFEST {
            continue;
        }
        let Some((digest, _)) = listed.iter().find(|(_, n)| n == name) else {
            return Ok(Folder::NotOurs(format!(
                "holds {name:?}, which the export did not write"
            )));
        };
        let unchanged = crate::input::read(&dir.join(name), MAX_EXPORTED_BYTES)
            .is_ok_and(|bytes| crate::input::sha256_hex(&bytes) == *digest);
        if !unchanged {
            return Ok(Folder::NotOurs(format!(
                "holds {name}, changed since aiinfra exported it (its digest differs from {MANIFEST}'s)"
            )));
        }
    }
    Ok(Folder::Ours)
}

/// The tables and the README.
fn contents(db: &Db, format: Format, excel: bool) -> Result<(Files, usize)> {
    if format == Format::Xlsx {
        let (bytes, rows) = workbook(db)?;
        let files = vec![
            (WORKBOOK.to_string(), bytes),
            ("README.md".to_string(), readme(db, "xlsx")?.into_bytes()),
        ];
        return Ok((files, rows));
    }
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
    for table in every_table() {
        let data = table_rows(db, table)?;
        if TABLES.iter().any(|t| t.name == table.name) {
            rows += data.data.len();
        }
        let mut bytes = Vec::new();
        output::render(&data, &opts, &mut bytes)?;
        files.push((format!("{}.{ext}", table.name), bytes));
    }
    files.push(("README.md".to_string(), readme(db, ext)?.into_bytes()));
    Ok((files, rows))
}

/// The workbook's name in an export folder.
pub const WORKBOOK: &str = "aiinfra.xlsx";

/// Every table as a sheet of one workbook, after a README sheet of what the tables
/// and their columns are and whose data it is; and the number of rows.
pub fn workbook(db: &Db) -> Result<(Vec<u8>, usize)> {
    let mut tables = Vec::new();
    for table in every_table() {
        tables.push((table, table_rows(db, table)?));
    }
    let rows = tables
        .iter()
        .filter(|(t, _)| TABLES.iter().any(|d| d.name == t.name))
        .map(|(_, r)| r.data.len())
        .sum();
    let meta: std::collections::BTreeMap<String, String> =
        crate::db::open::meta(db)?.into_iter().collect();
    let get = |k: &str| meta.get(k).cloned().unwrap_or_default();
    let mut lines = xlsx::citation_lines(&format!("the knowledge base, {}", get("data_edition")));
    lines.push(format!(
        "Data checksum (SHA-256 of the seeds): {}",
        get("data_checksum")
    ));
    let mut overview = xlsx::Section {
        heading: "Tables".into(),
        header: ["sheet", "rows", "what it holds"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    let mut columns = xlsx::Section {
        heading: "Columns".into(),
        ..xlsx::Section::default()
    };
    for (table, data) in &tables {
        overview.rows.push(vec![
            table.name.to_string(),
            data.data.len().to_string(),
            table.doc.to_string(),
        ]);
        let section = xlsx::columns_section("Columns", Some(table.name), data);
        columns.header = section.header;
        columns.rows.extend(section.rows);
    }
    let notes = xlsx::Notes {
        name: "README".into(),
        lines,
        sections: vec![overview, columns],
        first: true,
    };
    let sheets: Vec<xlsx::Sheet> = tables
        .iter()
        .map(|(table, data)| xlsx::Sheet {
            name: table.name,
            rows: data,
        })
        .collect();
    Ok((xlsx::workbook(&sheets, &notes)?, rows))
}

/// The README of an export: what the files are, whose data it is, and what every
/// column means.
fn readme(db: &Db, ext: &str) -> Result<String> {
    let meta: std::collections::BTreeMap<String, String> =
        crate::db::open::meta(db)?.into_iter().collect();
    let get = |k: &str| meta.get(k).cloned().unwrap_or_default();
    let (held, named) = if ext == "xlsx" {
        (
            format!("one workbook, {WORKBOOK}, a sheet per table"),
            "the sources sheet".to_string(),
        )
    } else {
        (
            format!("one {ext} file per table"),
            format!("sources.{ext}"),
        )
    };
    let mut out = format!(
        "# aiinfra export\n\n\
         The knowledge base of aiinfra {}: {}, transcribed into {held}. \
         Every row names its source in the report (`source_id`, see {named}) and quotes it (`quote`).\n\n\
         {}\n\n\
         Data checksum (SHA-256 of the seeds): `{}`.\n\n\
         {}\
         A number the report gives as a bound or an approximation has a \
         qualifier column beside it (at_least, over, nearly, about).{}\n",
        get("aiinfra_version"),
        get("data_edition"),
        crate::report::credit(),
        get("data_checksum"),
        match ext {
            "xlsx" =>
                "Numbers are number cells; ids, months and codes are text; an empty cell is unknown. ",
            "json" =>
                "Numbers are JSON numbers, booleans true or false, and an unknown value null. ",
            _ =>
                "CSV files have a header row; an empty cell is unknown; numbers are plain (no units, no separators); booleans are true or false. ",
        },
        if ext == "csv" {
            " A CSV export loads back with `aiinfra --seed-dir DIR`."
        } else {
            ""
        },
    );
    for table in every_table() {
        out.push_str(&format!(
            "\n## {}\n\n{}.\n\n| column | type | unit | meaning |\n|---|---|---|---|\n",
            if ext == "xlsx" {
                format!("sheet {}", table.name)
            } else {
                format!("{}.{ext}", table.name)
            },
            table.doc
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

/// The summary line of an export: what it holds, counted as everywhere.
pub fn summary(counted: &str, ext: &str, dir: &Path) -> String {
    if ext == "xlsx" {
        return format!(
            "wrote {WORKBOOK} ({counted}, a sheet each) and README.md to {}",
            dir.display()
        );
    }
    format!(
        "wrote {counted} as {ext} files and README.md to {}",
        dir.display()
    )
}
