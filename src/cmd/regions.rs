//! `aiinfra regions [ID]`: the list of places, or one place's profile: the place, its
//! parent and the places in it, then every row of every table linked to it (through
//! the column that places its rows: `region_id`, or a fact's `subject`), each with its
//! source. The profile is built from
//! the contract, so a new table shows up in it.

use anyhow::Result;
use rusqlite::types::Value;

use super::list::{Filter, ListSpec, One, Test};
use crate::command::{Output, View};
use crate::ctx::Ctx;
use crate::db::contract::TABLES;
use crate::query::Query;

pub static SPEC: ListSpec = ListSpec::new(
    "regions",
    "Countries, provinces, cities and districts; with ID (or a name), that place's profile",
)
.examples(
    "\
Examples:
  aiinfra regions --level city
  aiinfra regions 深圳                    # a profile: policies, platform, centers, facts
  aiinfra regions 广东省 --format json",
)
.named(&[("parent_id", ["parent_zh", "parent_en"])])
.brief("id name_* level parent_* source_id page")
.order(&[
    "CASE t.level WHEN 'country' THEN 0 WHEN 'bloc' THEN 1 WHEN 'province' THEN 2 WHEN 'autonomous_region' THEN 2 WHEN 'municipality' THEN 2 WHEN 'city' THEN 3 ELSE 4 END",
])
.filters(&[
    Filter::new("level", "level", Test::Is),
    Filter::new("region", "parent_id", Test::Place)
        .alias("in")
        .help("Inside this place: an id or a name, in Chinese or English (广东, guangdong, cn)"),
])
.one(One {
    value_name: "ID",
    help: "A region's id or name, in Chinese or English, or its official name (深圳, shenzhen, 广东省, \"Shanghai Municipality\")",
    exec: profile,
});

/// One region's profile as rows: entity, id, names, a detail, and its citation.
fn profile(ctx: &Ctx, key: &str) -> Result<Output> {
    let id = ctx.region(key)?.id;
    let mut parts = vec![
        "SELECT 0 AS k, 'regions' AS entity, t.id, t.name_zh, t.name_en, t.level AS detail, t.source_id FROM regions AS t WHERE t.id = ?1".to_string(),
        "SELECT 1, 'regions', p.id, p.name_zh, p.name_en, 'contains ' || t.name_en, p.source_id FROM regions AS t JOIN regions AS p ON p.id = t.parent_id WHERE t.id = ?1".to_string(),
        "SELECT 2, 'regions', t.id, t.name_zh, t.name_en, t.level || ' in ' || p.name_en, t.source_id FROM regions AS t JOIN regions AS p ON p.id = t.parent_id WHERE t.parent_id = ?1".to_string(),
    ];
    // Table and column names come from the contract and the list declarations.
    for (k, table) in TABLES.iter().enumerate() {
        let Some(place) = table.place_sql("t") else {
            continue;
        };
        // A row is named by its table's noun where its rows have no names of their own
        // (a platform), else as everywhere (a fact by its metric).
        let (zh, en) = match table.noun {
            Some((zh, en)) => (format!("'{zh}'"), format!("'{en}'")),
            None => crate::query::name_exprs(table),
        };
        parts.push(format!(
            "SELECT {}, '{}', t.id, {}, {}, {}, t.source_id FROM {} AS t WHERE {place} = ?1",
            k + 3,
            table.name,
            zh,
            en,
            table.detail.unwrap_or("NULL"),
            table.name
        ));
    }
    let sql = format!(
        "SELECT x.entity, x.id, x.name_zh, x.name_en, x.detail, x.source_id, s.page, c.quote \
         FROM ({}) AS x JOIN sources AS s ON s.id = x.source_id \
         LEFT JOIN citations AS c ON c.entity = x.entity AND c.id = x.id \
         ORDER BY x.k, x.id",
        parts.join(" UNION ALL ")
    );
    let mut query = Query::new(sql, vec![Value::Text(id.clone())]);
    // Ids, links, names and quotes show as the contract says (regions' and sources').
    query.tables = vec![crate::ctx::table("regions")?, crate::ctx::table("sources")?];
    Ok(Output::Query(
        query,
        View {
            wrap: true,
            // At a narrow width a profile keeps what each row is and its evidence.
            least: &[("quote", 30)],
            priority: Some(&[
                "id",
                "quote",
                "name_*",
                "detail",
                "page",
                "source_id",
                "entity",
            ]),
            ..View::titled(format!("region {id}"))
        },
    ))
}
