//! `aiinfra compare ID ID …`: records of one table side by side. Each column of the
//! table (in the contract's order, with its unit and meaning) is a row; each record a
//! column, its numbers marked by their qualifiers and, after the first record, given
//! with their ratio to the first's (`Rows::side_by_side`). Places compare as profiles:
//! what each holds per table (a province with its cities) and its facts by metric.
//! Names resolve as `show` resolves them.

use anyhow::Result;
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use crate::command::{CommandDef, Output, Returns, View};
use crate::ctx::Ctx;
use crate::db::contract::{Kind, TABLES, Table};
use crate::error::UsageError;
use crate::output::{Column, Rows};
use crate::query::Query;
use crate::resolve::Candidate;

const EXAMPLES: &str = "\
Examples:
  aiinfra compare 昇腾910 昇腾310
  aiinfra compare gpt-3 wudao-2 m6 --lang en
  aiinfra compare 深圳 北京 上海                # places: what each holds, its facts
  aiinfra compare gpt-3 m6 --format csv";

const ABOUT: &str = "Records of one table side by side, numbers with their ratio to the first; places as profiles";

pub static CMD: CommandDef = CommandDef {
    returns: &[Returns::Rows],
    columns,
    ..CommandDef::new("compare", ABOUT, EXAMPLES, Args::augment_args, exec)
};

/// The columns every comparison has (the records' own are named by their ids): a
/// record's field, a place's in either language, and what each row is.
fn columns() -> Vec<&'static str> {
    vec![
        "field", "field_zh", "field_en", "unit", "meaning", "source_id", "page",
    ]
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Two records or more of one table: ids in any case, or names in Chinese or English (昇腾910 昇腾310, gpt-3 m6, 深圳 北京)
    #[arg(value_name = "ID", required = true, num_args = 1.., add = crate::complete::ids(TABLES.iter().map(|t| t.name).collect()))]
    pub ids: Vec<String>,
}

fn exec(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = Args::from_arg_matches(m)?;
    let records = resolve(ctx, &args.ids)?;
    let table = crate::ctx::table(records[0].table)?;
    let ids: Vec<String> = records.iter().map(|c| c.id.clone()).collect();
    let rows = if table.name == "regions" {
        profiles(ctx, &ids)?
    } else {
        fetch(ctx, table, &ids)?.side_by_side(&ids)
    };
    Ok(Output::Rows(
        rows,
        View {
            // A column's meaning is shown where it can be read, else left out first.
            least: &[("meaning", 30)],
            ..View::titled(format!("{} compared", table.short_name()))
        },
    ))
}

/// What each word names, as `show` resolves it; two records or more, all different,
/// all of one table, or a usage error that says what to give instead.
fn resolve(ctx: &Ctx, keys: &[String]) -> Result<Vec<Candidate>> {
    let all: Vec<_> = TABLES.iter().collect();
    let candidates = ctx.candidates(&all)?;
    let mut found: Vec<(String, Candidate)> = Vec::new();
    for key in keys {
        let c = crate::resolve::resolve(key, &candidates, "record", "aiinfra search TEXT")?;
        if let Some((before, _)) = found.iter().find(|(_, f)| f.id == c.id) {
            return Err(UsageError(format!(
                "{} and {} are the same record ({}): give two different records to compare",
                crate::text::show(before),
                crate::text::show(key),
                c.id
            ))
            .into());
        }
        found.push((key.clone(), c.clone()));
    }
    if let [(key, one)] = found.as_slice() {
        return Err(UsageError(format!(
            "compare needs two records or more: give another record of {} beside {} (aiinfra {} lists them)",
            crate::ctx::table(one.table)?.short_name(),
            crate::text::show(key),
            crate::ctx::table(one.table)?.short_name()
        ))
        .into());
    }
    let first = found[0].1.table;
    if found.iter().any(|(_, c)| c.table != first) {
        let listed: Vec<String> = found
            .iter()
            .map(|(_, c)| format!("{} ({})", c.id, c.table))
            .collect();
        return Err(UsageError(format!(
            "compare takes records of one table, and these are of {}: {}; give records of one table (aiinfra search TEXT --entity TABLE finds them)",
            tables_of(&found),
            listed.join(", ")
        ))
        .into());
    }
    Ok(found.into_iter().map(|(_, c)| c).collect())
}

/// "2 tables" or "3 tables", for the message.
fn tables_of(found: &[(String, Candidate)]) -> String {
    let mut tables: Vec<&str> = found.iter().map(|(_, c)| c.table).collect();
    tables.sort_unstable();
    tables.dedup();
    format!("{} tables", tables.len())
}

/// The records `ids` of `table`, every column and the page of each one's source, in
/// the order given.
fn fetch(ctx: &Ctx, table: &'static Table, ids: &[String]) -> Result<Rows> {
    let cites = table.column("source_id").is_some() && table.column(crate::rows::PAGE).is_none();
    let page = if cites {
        format!(
            ", (SELECT s.page FROM sources AS s WHERE s.id = t.source_id) AS {}",
            crate::rows::PAGE
        )
    } else {
        String::new()
    };
    let marks: Vec<String> = (1..=ids.len()).map(|n| format!("?{n}")).collect();
    // The table's name comes from the contract; the ids travel as parameters.
    let mut query = Query::new(
        format!(
            "SELECT t.*{page} FROM {} AS t WHERE t.id IN ({})",
            table.name,
            marks.join(", ")
        ),
        ids.iter().map(|id| Value::Text(id.clone())).collect(),
    );
    query.tables = vec![table];
    if cites {
        query.extra = vec![crate::rows::PAGE];
    }
    let mut rows = ctx.db()?.fetch(&query)?;
    let at = rows.index("id").unwrap_or(0);
    let key = |row: &Vec<Value>| match &row[at] {
        Value::Text(id) => ids.iter().position(|i| i == id),
        _ => None,
    };
    rows.data.sort_by_key(key);
    Ok(rows)
}

/// Places side by side as profiles: each place's own columns, then how many rows of
/// each table lie in it or in a place inside it (a province's cities), then its facts,
/// a metric a row (the places that share a metric share its row). The rows are named
/// in both languages (`field_zh`, `field_en`); a fact's row names its facts, their
/// sources and pages.
fn profiles(ctx: &Ctx, ids: &[String]) -> Result<Rows> {
    let regions = crate::ctx::table("regions")?;
    let mut profiles = Profiles::new(fetch(ctx, regions, ids)?);
    profiles.count(ctx, ids)?;
    profiles.facts(ctx, ids)?;
    Ok(profiles.side_by_side(ids))
}

/// The places as `Rows::side_by_side` takes them, a place a row and what is compared a
/// column, and what a table of them needs besides.
struct Profiles {
    rows: Rows,
    /// By column: its name in Chinese (its own name is the English one).
    zh: Vec<String>,
    /// By column: the facts it holds (their ids, sources and pages), if it is a fact's.
    cited: Vec<Option<[String; 3]>>,
}

/// A row of facts: its metric in both languages, and each place's fact (its columns as
/// `Profiles::facts` selects them), found by its metric, unit and date.
struct Metric {
    zh: String,
    en: String,
    facts: Vec<Option<Vec<Value>>>,
}

impl Profiles {
    /// The places' own columns, but their quotes and citations, which are about each
    /// place, not about what it is compared by.
    fn new(places: Rows) -> Profiles {
        let own = ["id", "name_zh", "name_en", "level", "parent_id"];
        let keep: Vec<usize> = own.iter().filter_map(|c| places.index(c)).collect();
        let rows = Rows {
            columns: keep.iter().map(|&i| places.columns[i].clone()).collect(),
            data: places
                .data
                .iter()
                .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
                .collect(),
        };
        Profiles {
            zh: rows.columns.iter().map(|c| c.name.clone()).collect(),
            cited: vec![None; rows.columns.len()],
            rows,
        }
    }

    /// Add a column of values (one per place), named `zh` in Chinese, and after it the
    /// hidden columns it needs: its qualifier and its unit, where it has them.
    fn add(&mut self, mut column: Column, zh: String, values: Vec<Value>, hidden: &[Vec<Value>]) {
        let at = self.rows.columns.len();
        if let [_, _] = hidden {
            column.qualifier = Some(at + 1);
            column.unit_from = Some(at + 2);
        }
        let name = column.name.clone();
        self.rows.columns.push(column);
        for (row, v) in self.rows.data.iter_mut().zip(values) {
            row.push(v);
        }
        self.zh.push(zh);
        self.cited.push(None);
        for (what, values) in ["qualifier", "unit"].iter().zip(hidden) {
            let mut c = Column::plain(format!("{name}:{what}"));
            c.hidden = true;
            self.rows.columns.push(c);
            for (row, v) in self.rows.data.iter_mut().zip(values) {
                row.push(v.clone());
            }
            self.zh.push(String::new());
            self.cited.push(None);
        }
    }

    /// How many places lie in each place, and how many rows of each table that places
    /// its rows (the contract's `place_column`).
    fn count(&mut self, ctx: &Ctx, ids: &[String]) -> Result<()> {
        let mut counted: Vec<(String, &'static str, String)> = vec![(
            "places inside".into(),
            "the places inside it (a province's cities and districts)",
            format!(
                "SELECT count(*) FROM regions AS t WHERE t.id != ?1 AND {}",
                super::list::inside("t.id", 1)
            ),
        )];
        for table in TABLES {
            if let Some(place) = table.place_sql("t") {
                // Names come from the contract; the place travels as a parameter.
                counted.push((
                    table.short_name().to_string(),
                    table.doc,
                    format!(
                        "SELECT count(*) FROM {} AS t WHERE {}",
                        table.name,
                        super::list::inside(&place, 1)
                    ),
                ));
            }
        }
        for (name, doc, sql) in counted {
            let mut counts = Vec::new();
            for id in ids {
                let n = ctx
                    .db()?
                    .fetch(&Query::new(sql.clone(), vec![Value::Text(id.clone())]))?;
                counts.push(n.data.first().and_then(|r| r.first()).cloned().unwrap_or(Value::Null));
            }
            let mut column = Column::of_kind(name.clone(), Kind::Integer);
            column.unit = Some("rows");
            column.doc = Some(doc);
            self.add(column, name, counts, &[]);
        }
        Ok(())
    }

    /// The places' facts, a metric a row: the first place's metrics first, each
    /// place's in the report's order; facts of the same metric, unit and date share a
    /// row, one a place.
    fn facts(&mut self, ctx: &Ctx, ids: &[String]) -> Result<()> {
        let marks: Vec<String> = (1..=ids.len()).map(|n| format!("?{n}")).collect();
        let facts = ctx.db()?.fetch(&Query::new(
            format!(
                "SELECT f.subject, f.id, f.metric_zh, f.metric_en, f.value, f.qualifier, f.unit, \
                 f.as_of, f.source_id, s.page FROM facts AS f JOIN sources AS s ON s.id = f.source_id \
                 WHERE f.subject IN ({}) ORDER BY f.rowid",
                marks.join(", ")
            ),
            ids.iter().map(|id| Value::Text(id.clone())).collect(),
        ))?;
        let text = |v: &Value| crate::output::render::plain(v);
        let mut metrics: Vec<Metric> = Vec::new();
        let by_place = ids.iter().enumerate().flat_map(|(place, id)| {
            facts
                .data
                .iter()
                .filter(move |f| text(&f[0]) == *id)
                .map(move |f| (place, f))
        });
        // By key, the metrics of that key in order, and per place the first that may
        // still be free for it (a place's facts fill them in order): each fact finds
        // its row in constant time, however many facts a crafted file gives a place.
        let mut by_key: std::collections::HashMap<[String; 3], (Vec<usize>, Vec<usize>)> =
            std::collections::HashMap::new();
        for (n, (place, fact)) in by_place.enumerate() {
            if n % 1024 == 0 {
                crate::guard::checkpoint("comparing the facts")?;
            }
            let key = [3, 6, 7].map(|i| text(&fact[i]));
            let (of_key, first_free) = by_key
                .entry(key)
                .or_insert_with(|| (Vec::new(), vec![0; ids.len()]));
            while of_key
                .get(first_free[place])
                .is_some_and(|&m| metrics[m].facts[place].is_some())
            {
                first_free[place] += 1;
            }
            let free = of_key.get(first_free[place]).copied();
            let m = match free {
                Some(m) => m,
                None => {
                    let when = match text(&fact[7]) {
                        w if w.is_empty() => String::new(),
                        w => format!(" ({w})"),
                    };
                    metrics.push(Metric {
                        zh: format!("{}{when}", text(&fact[2])),
                        en: format!("{}{when}", text(&fact[3])),
                        facts: vec![None; ids.len()],
                    });
                    of_key.push(metrics.len() - 1);
                    metrics.len() - 1
                }
            };
            metrics[m].facts[place] = Some(fact.clone());
        }
        for metric in metrics {
            let value = |i: usize| -> Vec<Value> {
                metric
                    .facts
                    .iter()
                    .map(|f| f.as_ref().map_or(Value::Null, |f| f[i].clone()))
                    .collect()
            };
            // Each of the row's facts' ids, sources and pages, once.
            let list = |i: usize| {
                let mut seen: Vec<String> = Vec::new();
                for f in metric.facts.iter().flatten() {
                    let t = text(&f[i]);
                    if !seen.contains(&t) {
                        seen.push(t);
                    }
                }
                seen.join(", ")
            };
            let cited = [format!("the facts {}", list(1)), list(8), list(9)];
            let mut column = Column::of_kind(metric.en.clone(), Kind::Real);
            column.doc = Some("the report's figure");
            let at = self.rows.columns.len();
            self.add(column, metric.zh.clone(), value(4), &[value(5), value(6)]);
            self.cited[at] = Some(cited);
        }
        Ok(())
    }

    /// The places side by side, each row's field in both languages and, for a fact's
    /// row, its facts (in `meaning`), their sources and pages.
    fn side_by_side(self, ids: &[String]) -> Rows {
        let visible: Vec<usize> = self.rows.visible().collect();
        let mut out = self.rows.side_by_side(ids);
        let meaning = out.index("meaning");
        out.columns[0] = Column::of_kind("field_en", Kind::Text);
        out.columns[0].doc = Some("what is compared, in English");
        let mut source = Column::of_kind("source_id", Kind::Slug);
        source.doc = Some("the sources of the row's facts");
        let mut page = Column::of_kind(crate::rows::PAGE, Kind::Text);
        page.doc = Some("the pages of those sources");
        out.columns.push(source);
        out.columns.push(page);
        let or_null = |s: &str| {
            if s.is_empty() {
                Value::Null
            } else {
                Value::Text(s.to_string())
            }
        };
        // side_by_side makes a row of each visible column, in order.
        for (row, &i) in out.data.iter_mut().zip(&visible) {
            let cited = self.cited[i].clone().unwrap_or_default();
            if let (Some(m), false) = (meaning, cited[0].is_empty()) {
                row[m] = Value::Text(cited[0].clone());
            }
            row.push(or_null(&cited[1]));
            row.push(or_null(&cited[2]));
            row.insert(0, Value::Text(self.zh[i].clone()));
        }
        let mut zh = Column::of_kind("field_zh", Kind::Text);
        zh.doc = Some("what is compared, in Chinese");
        out.columns.insert(0, zh);
        // Every index a column holds moves by the one inserted before it.
        for c in out.columns.iter_mut() {
            for i in [&mut c.qualifier, &mut c.unit_from, &mut c.ratio]
                .into_iter()
                .flatten()
            {
                *i += 1;
            }
        }
        out
    }
}
