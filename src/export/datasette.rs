//! Datasette's metadata.json for a built file: title, source and licence (the report's
//! attribution), and per table a description and each column's meaning and unit.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::column_meaning;
use crate::db::Db;
use crate::db::contract::TABLES;

/// Where `db build FILE --datasette` writes the metadata.
pub fn metadata_path(file: &Path) -> PathBuf {
    let mut name = file
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".metadata.json");
    file.with_file_name(name)
}

/// The metadata for `file`, read from the open knowledge base.
pub fn metadata(file: &Path, db: &Db) -> Result<String> {
    use serde_json::{Map, Value as J, json};
    let database = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "aiinfra".into());
    let meta: std::collections::BTreeMap<String, String> =
        crate::db::open::meta(db)?.into_iter().collect();
    let mut tables = Map::new();
    for table in TABLES {
        let columns: Map<String, J> = table
            .columns
            .iter()
            .map(|c| (c.name.to_string(), J::String(column_meaning(c))))
            .collect();
        tables.insert(
            table.name.to_string(),
            json!({ "description": table.doc, "columns": columns }),
        );
    }
    tables.insert(
        "citations".into(),
        json!({ "description": "every cited row: its table, id, source and quote (a view)" }),
    );
    tables.insert(
        "aiinfra_meta".into(),
        json!({ "description": "where this file came from: aiinfra version, data edition, seed checksum" }),
    );
    let doc = json!({
        "title": "aiinfra: China's AI infrastructure",
        "description": format!(
            "The CAICT report {} as a queryable knowledge base. Every row has a source_id (a table, figure, section or footnote of the report, with its page in sources) and a verbatim quote. Data checksum {}.",
            meta.get("data_edition").map_or("", |s| s.as_str()),
            meta.get("data_checksum").map_or("", |s| s.as_str()),
        ),
        "source": crate::report::credit(),
        "source_url": crate::report::URL,
        "license": format!(
            "Report © 中国信息通信研究院 and 人工智能与经济社会研究中心; its copyright notice (版权声明) permits reproduction with the attribution {}",
            crate::report::ATTRIBUTION
        ),
        "databases": { database: { "tables": tables } },
    });
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}
