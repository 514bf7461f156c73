//! Datasette's metadata.json for a built file: title, source and licence (the report's
//! attribution), and per table a description and each column's meaning and unit; the
//! passages' search index (`db::fts`, which `db build --datasette` adds) named, and
//! every table aiinfra does not count hidden, so that Datasette's count of tables and
//! rows is aiinfra's tables and the passages; and a launcher script that serves the two
//! together.
//!
//! Datasette names a database after its file's name, and its metadata is keyed by
//! that name: a renamed file would lose its descriptions without a word. So the
//! launcher names both files, and says so, rather than serve a file its metadata does
//! not describe.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::db::contract::every_table;
use crate::db::fts;
use crate::db::schema::meaning as column_meaning;

/// How the search box over the passages behaves, said on their page.
const SEARCH: &str = "The search box finds the passages that hold each term given, as written, in any case: a term must have 3 or more characters (the index is of every three characters in a row), so a shorter one such as 算力 finds nothing; for it use the filter \"text contains\"";

/// Where `db build FILE --datasette` writes the metadata.
pub fn metadata_path(file: &Path) -> PathBuf {
    beside(file, ".metadata.json")
}

/// Where `db build FILE --datasette` writes the launcher.
pub fn launcher_path(file: &Path) -> PathBuf {
    beside(file, ".datasette.sh")
}

fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    file.with_file_name(name)
}

/// The name Datasette gives the database in `file`, which keys its metadata.
fn database_name(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "aiinfra".into())
}

/// A shell script that serves `file` in Datasette with its metadata, from the folder
/// they are in; extra arguments go to `datasette serve` (`--port 8002`). It refuses
/// when either file is missing (renamed, moved) instead of serving the data without
/// its descriptions.
pub fn launcher(file: &Path) -> String {
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let db = crate::text::shell_quote(&name(file));
    let meta = crate::text::shell_quote(&name(&metadata_path(file)));
    format!(
        r#"#!/bin/sh
# Serve {db} in Datasette with the descriptions of its tables and columns:
#   sh {script} [datasette serve options, such as --port 8002]
# Written by aiinfra {version} (`aiinfra db build {db} --datasette`). Datasette names a
# database after its file and the metadata names it {dbname:?}, so keep the two names as
# they are; to serve another name, build it: `aiinfra db build NEW.db --datasette`.
cd "$(dirname -- "$0")" || exit 1
for f in {db} {meta}; do
    if [ ! -f "$f" ]; then
        echo "$0: $f is not beside this script (renamed or moved?); build again with: aiinfra db build NEW.db --datasette" >&2
        exit 1
    fi
done
exec datasette serve {db} --metadata {meta} "$@"
"#,
        script = crate::text::shell_quote(&name(&launcher_path(file))),
        version = env!("CARGO_PKG_VERSION"),
        dbname = database_name(file),
    )
}

/// The keys of `aiinfra_meta` under which a built file records the digests of its
/// metadata and launcher, so that a later build replaces them only if unchanged.
pub const DIGESTS: [(&str, &str); 2] = [
    (".metadata.json", "metadata_sha256"),
    (".datasette.sh", "launcher_sha256"),
];

/// Whether a metadata file or launcher beside a database is the one aiinfra wrote with
/// it and unchanged since: its digest is the one the database beside it records.
pub fn recognise(path: &Path, _head: &[u8]) -> Result<(), &'static str> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some((db_name, key)) = name.as_deref().and_then(|n| {
        DIGESTS
            .iter()
            .find_map(|(suffix, key)| n.strip_suffix(suffix).map(|db| (db.to_string(), *key)))
    }) else {
        return Err("not a file aiinfra wrote beside a database");
    };
    let recorded = crate::db::open(
        &crate::db::DataSource::File(path.with_file_name(db_name)),
        std::time::Duration::from_secs(2),
    )
    .and_then(|db| crate::db::open::meta(&db))
    .ok()
    .and_then(|meta| meta.into_iter().find(|(k, _)| k == key).map(|(_, v)| v));
    let Some(recorded) = recorded else {
        return Err(
            "not recorded by the database beside it (written by another program or an older aiinfra, or changed after aiinfra wrote it)",
        );
    };
    match crate::input::read(path, 16 * 1024 * 1024) {
        Ok(bytes) if crate::input::sha256_hex(&bytes) == recorded => Ok(()),
        _ => Err("changed since aiinfra wrote it"),
    }
}

/// The metadata and launcher beside `file` that aiinfra wrote with it and nobody has
/// changed since, each with its `aiinfra_meta` key and digest: what a build without
/// `--datasette` over that file records again, so that they stay aiinfra's to replace
/// (a later `--datasette` build) rather than become a stranger's files.
pub fn unchanged_beside(file: &Path) -> Vec<(PathBuf, &'static str, String)> {
    DIGESTS
        .iter()
        .filter_map(|(suffix, key)| {
            let path = beside(file, suffix);
            recognise(&path, &[]).ok()?;
            let bytes = crate::input::read(&path, 16 * 1024 * 1024).ok()?;
            Some((path, *key, crate::input::sha256_hex(&bytes)))
        })
        .collect()
}

/// The metadata for `file`, given where the knowledge base came from (its
/// `aiinfra_meta` rows).
pub fn metadata(file: &Path, meta: &[(String, String)]) -> Result<String> {
    use serde_json::{Map, Value as J, json};
    let database = database_name(file);
    let meta: std::collections::BTreeMap<&str, &str> =
        meta.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut tables = Map::new();
    for table in every_table() {
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
    // The passages are searched through the index `db build --datasette` adds.
    if let Some(J::Object(passages)) = tables.get_mut("passages") {
        let doc = crate::db::contract::table("passages").map_or("", |t| t.doc);
        passages.insert("description".into(), J::from(format!("{doc}. {SEARCH}")));
        passages.insert("fts_table".into(), J::from(fts::TABLE));
        passages.insert("fts_pk".into(), J::from("rowid"));
    }
    // What Datasette lists and counts is what aiinfra counts: the data tables and the
    // passages. The rest is hidden (still at its address, and under "hidden tables").
    if let Some(J::Object(links)) = tables.get_mut("row_passages") {
        links.insert("hidden".into(), J::Bool(true));
    }
    tables.insert(
        "aiinfra_meta".into(),
        json!({
            "description": "where this file came from: aiinfra version, data edition, seed checksum",
            "hidden": true,
        }),
    );
    for name in fts::NAMES {
        tables.insert(
            name.into(),
            json!({
                "description": "the search index of passages.text (SQLite FTS5, trigram tokenizer), which Datasette's search box uses",
                "hidden": true,
            }),
        );
    }
    tables.insert(
        "citations".into(),
        json!({ "description": "every cited row: its table, id, source and quote (a view)" }),
    );
    let doc = json!({
        "title": "aiinfra: China's AI infrastructure",
        "description": format!(
            "The CAICT report {} as a queryable knowledge base. Every row has a source_id (a table, figure, section or footnote of the report, with its page in sources) and a verbatim quote. Data checksum {}.",
            meta.get("data_edition").copied().unwrap_or(""),
            meta.get("data_checksum").copied().unwrap_or(""),
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
