//! `aiinfra regions [ID]`: the list of places, or one place's profile: the place, then
//! everything linked to it, each with its source.

use anyhow::{Result, bail};
use rusqlite::Connection;

use crate::cli::{ListArgs, OutputArgs};
use crate::db::contract;
use crate::db::seed::suggest;
use crate::output::Rows;
use crate::query::{Col, Select};

const EXAMPLES: &str = "\
Examples:
  aiinfra regions --level city
  aiinfra regions 深圳                    # a profile: policies, platform, centers, facts
  aiinfra regions shenzhen --format json";

/// The one-line help of `aiinfra regions`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str =
    "Countries, provinces, cities and districts; with ID (or a name), that place's profile";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// A region's id or name, in Chinese or English (深圳, shenzhen, guangdong)
    #[arg(value_name = "ID")]
    pub region: Option<String>,

    /// Only regions of this level
    #[arg(long, value_enum)]
    pub level: Option<Level>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Level {
    Country,
    Bloc,
    Province,
    AutonomousRegion,
    Municipality,
    City,
    District,
}

pub fn select(args: &Args) -> Select {
    let r = |name, expr| Col::at("regions", expr, name);
    let mut s = Select::new(
        "regions AS r LEFT JOIN regions AS p ON p.id = r.parent_id",
        vec![
            r("id", "r.id"),
            r("name_zh", "r.name_zh"),
            r("name_en", "r.name_en"),
            r("level", "r.level"),
            r("parent_id", "r.parent_id"),
            Col::text("parent_zh", "p.name_zh"),
            Col::text("parent_en", "p.name_en"),
            r("source_id", "r.source_id"),
            r("quote", "r.quote"),
            r("note", "r.note"),
        ],
        &["CASE r.level WHEN 'country' THEN 0 WHEN 'bloc' THEN 1 WHEN 'province' THEN 2 WHEN 'autonomous_region' THEN 2 WHEN 'municipality' THEN 2 WHEN 'city' THEN 3 ELSE 4 END"],
    )
    .brief(&["id", "name_*", "level", "parent_*", "source_id"]);
    if let Some(level) = &args.level {
        s.filter("r.level = ?", super::word(level));
    }
    s
}

/// Find a region by id, by exact name, or by a name that only one region contains.
pub fn find(conn: &Connection, key: &str) -> Result<String> {
    let mut stmt = conn.prepare("SELECT id, name_zh, name_en FROM regions ORDER BY rowid")?;
    let all: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let k = key.trim().to_lowercase();
    if k.is_empty() {
        bail!("give a region's id or name, or leave it out to list them all");
    }
    let exact = |(id, zh, en): &(String, String, String)| {
        id.to_lowercase() == k || zh.to_lowercase() == k || en.to_lowercase() == k
    };
    if let Some((id, _, _)) = all.iter().find(|r| exact(r)) {
        return Ok(id.clone());
    }
    let partial: Vec<&(String, String, String)> = all
        .iter()
        .filter(|(id, zh, en)| {
            id.contains(&k) || zh.to_lowercase().contains(&k) || en.to_lowercase().contains(&k)
        })
        .collect();
    match partial.as_slice() {
        [(id, _, _)] => Ok(id.clone()),
        [] => {
            let hint = suggest(&k, all.iter().map(|(id, _, _)| id.as_str()));
            bail!("no region matches {key:?}{hint} (aiinfra regions lists them)")
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|(id, zh, en)| format!("{id} ({zh}, {en})"))
                .collect();
            bail!(
                "{key:?} matches several regions: {}; give one of these ids",
                names.join(", ")
            )
        }
    }
}

/// The place itself, its parent and sub-regions, and every row linked to it; `k`
/// orders the groups.
const PROFILE: &str = "
SELECT 0 AS k, 'regions' AS entity, r.id, r.name_zh, r.name_en, r.level AS detail, r.source_id FROM regions r WHERE r.id = ?1
UNION ALL SELECT 1, 'regions', p.id, p.name_zh, p.name_en, 'contains ' || r.name_en, p.source_id FROM regions r JOIN regions p ON p.id = r.parent_id WHERE r.id = ?1
UNION ALL SELECT 2, 'regions', c.id, c.name_zh, c.name_en, c.level || ' in ' || r.name_en, c.source_id FROM regions c JOIN regions r ON r.id = c.parent_id WHERE c.parent_id = ?1
UNION ALL SELECT 3, 'pilot_zones', z.id, z.policy_zh, z.policy_en, 'published ' || z.published, z.source_id FROM pilot_zones z WHERE z.region_id = ?1
UNION ALL SELECT 4, 'open_data_platforms', o.id, '政府数据开放平台', 'government open-data platform', 'launched ' || o.launched, o.source_id FROM open_data_platforms o WHERE o.region_id = ?1
UNION ALL SELECT 5, 'compute_centers', c.id, c.name_zh, c.name_en, c.status || coalesce(', ' || (CASE WHEN c.pflops = CAST(c.pflops AS INTEGER) THEN CAST(c.pflops AS INTEGER) ELSE c.pflops END) || ' PFLOPS', ''), c.source_id FROM compute_centers c WHERE c.region_id = ?1
UNION ALL SELECT 6, 'frameworks', f.id, f.name_zh, f.name_en, f.kind, f.source_id FROM frameworks f WHERE f.region_id = ?1
UNION ALL SELECT 7, 'policies', p.id, p.title_zh, p.title_en, coalesce('published ' || p.published, ''), p.source_id FROM policies p WHERE p.region_id = ?1
UNION ALL SELECT 8, 'facts', f.id, f.metric_zh, f.metric_en, coalesce(f.qualifier || ' ', '') || (CASE WHEN f.value = CAST(f.value AS INTEGER) THEN CAST(f.value AS INTEGER) ELSE f.value END) || coalesce(' ' || f.unit, '') || coalesce(' (' || f.as_of || ')', ''), f.source_id FROM facts f WHERE f.subject = ?1
";

/// One region's profile as rows: entity, id, names, a detail, and its citation.
pub fn profile(conn: &Connection, key: &str) -> Result<Rows> {
    let id = find(conn, key)?;
    let sql = format!(
        "SELECT x.entity, x.id, x.name_zh, x.name_en, x.detail, x.source_id, s.page, c.quote \
         FROM ({PROFILE}) AS x JOIN sources s ON s.id = x.source_id \
         LEFT JOIN citations c ON c.entity = x.entity AND c.id = x.id \
         ORDER BY x.k, x.id"
    );
    let query = crate::query::Query {
        sql,
        params: vec![rusqlite::types::Value::Text(id)],
        kinds: vec![None; 8],
    };
    let mut rows = crate::fetch(conn, &query)?;
    rows.kinds = rows
        .columns
        .iter()
        .map(|_| Some(contract::Kind::Text))
        .collect();
    rows.kinds[6] = None;
    Ok(rows)
}
