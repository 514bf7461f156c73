//! `aiinfra timeline`: every dated row of every dated table in one chronology, oldest
//! first. The contract says which tables are dated, by which column, what the date
//! means and what happened at it (`Dated`), so a new dated table joins with no code
//! here. Dates are periods (a year, a half-year, a month): an event sorts by the start
//! of its period, a year before its half-years and a half-year before its months, then
//! by table and id; `--from`/`--to` keep the events whose period overlaps the range.
//! Undated rows are left out, and a note on stderr counts them per table.

use anyhow::Result;
use clap::{ArgMatches, Args as _, FromArgMatches as _};
use rusqlite::types::Value;

use crate::command::{CommandDef, Output, View};
use crate::ctx::Ctx;
use crate::db::contract::{Column, Dated, Kind, TABLES, Table};
use crate::error::UsageError;
use crate::query::Query;

const EXAMPLES: &str = "\
Examples:
  aiinfra timeline --from 2020 --to 2020
  aiinfra timeline --entity models,policies --lang en
  aiinfra timeline --region 广东 --from 2019
  aiinfra timeline --count-by year --format csv
  aiinfra timeline --chart -o timeline.svg       # events per year";

const ABOUT: &str = "Every dated row of every table in one chronology: launches, releases, policies, figures, targets";

pub static CMD: CommandDef = CommandDef {
    columns,
    ..CommandDef::new("timeline", ABOUT, EXAMPLES, Args::augment_args, exec)
};

/// An event's columns, described as the contract describes a table's, so that every
/// format shows them by kind (a date whole, a flag as true or false) and a workbook's
/// notes say what each means.
static EVENTS: Table = Table::derived(
    "timeline",
    "every dated row of every dated table, oldest first",
    &[
        Column::new(
            "date",
            Kind::Period,
            "the row's date as the report gives it: a year, a half-year (2020-H1) or a month",
        ),
        Column::new(
            "precision",
            Kind::Enum(&["year", "half-year", "month"]),
            "what the date gives: a year, a half-year or a month",
        ),
        Column::new("year", Kind::Year, "the year of the date"),
        Column::new(
            "inferred",
            Kind::Bool,
            "the date is inferred from the context, not stated with the row (see its note)",
        ),
        Column::new(
            "target",
            Kind::Bool,
            "the date lies after the report's publication (January 2022): a target or a forecast",
        ),
        Column::new("entity", Kind::Slug, "the table of the row"),
        Column::new("id", Kind::Slug, "the row's id (aiinfra show ID)"),
        Column::new("name_zh", Kind::Text, "the row's name (a fact's metric) in Chinese"),
        Column::new("name_en", Kind::Text, "the row's name (a fact's metric) in English"),
        Column::new("what_zh", Kind::Text, "what happened at the date, in one line, in Chinese"),
        Column::new("what_en", Kind::Text, "what happened at the date, in one line, in English"),
        Column::new("region_id", Kind::Slug, "the region the row belongs to, where it has one")
            .references("regions"),
        Column::new(
            "source_id",
            Kind::Slug,
            "the table, figure, section or footnote of the report the row comes from",
        )
        .references("sources"),
        Column::new("page", Kind::Integer, "the page of the row's source in the report").unit("page"),
        Column::new(
            "flag",
            Kind::Text,
            "inferred, target, both or neither, in one word for a table (csv and json give inferred and target)",
        ),
    ],
);

/// The columns of its rows.
fn columns() -> Vec<&'static str> {
    EVENTS.column_names().collect()
}

/// What a table shows, and keeps first at a narrow width.
/// The two flags take one column there (`flag`), empty for most events.
const BRIEF: &str = "date name_* what_* flag entity id region_id page";
const PRIORITY: &[&str] = &[
    "date", "name_*", "what_*", "page", "flag", "id", "entity", "region_id",
];

/// The column a table shows the flags in, for the reader: other formats give them as
/// `inferred` and `target`, and this only when `--columns` names it.
const FLAG: &str = "flag";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// From this year, half-year or month on (2020, 2020-H2, 2020-06): events whose date overlaps it or comes after
    #[arg(long, value_name = "DATE", value_parser = period)]
    pub from: Option<String>,

    /// Up to this year, half-year or month (2021, 2021-H1, 2021-06): events whose date overlaps it or comes before
    #[arg(long, value_name = "DATE", value_parser = period)]
    pub to: Option<String>,

    /// Only these tables, by table or command name (comma-separated: models,policies)
    #[arg(long, value_delimiter = ',', value_name = "NAME,...", add = crate::complete::words(dated_names))]
    pub entity: Option<Vec<String>>,

    /// In this place or a place inside it: an id or a name, in Chinese or English (深圳, shenzhen, 广东省)
    #[arg(long, value_name = "PLACE", add = crate::complete::ids(vec!["regions"]))]
    pub region: Option<String>,

    /// Only events whose date is inferred from the context
    #[arg(long, conflicts_with = "stated")]
    pub inferred: bool,

    /// Only events whose date the report states with them
    #[arg(long)]
    pub stated: bool,
}

/// A date bound as given, once it is known to be a year, a half-year or a month (the
/// same forms, and the same message, as the lists' `--from` and `--to`).
fn period(s: &str) -> Result<String, crate::units::UnitError> {
    crate::units::parse_period_bound(s, true).map(|_| s.trim().to_string())
}

/// The dated tables, by table name and by command name.
fn dated_names() -> Vec<&'static str> {
    let dated = || TABLES.iter().filter(|t| t.date.is_some());
    let mut names: Vec<&'static str> = dated().map(|t| t.name).collect();
    names.extend(dated().filter_map(|t| t.short));
    names
}

fn exec(ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
    let args = Args::from_arg_matches(m)?;
    crate::cmd::list::check_range(
        args.from.as_deref().map(|v| ("from", v)),
        args.to.as_deref().map(|v| ("to", v)),
    )?;
    let tables = tables(args.entity.as_deref())?;
    let region = match &args.region {
        Some(key) => Some(ctx.region(key)?.id),
        None => None,
    };
    let query = query(&tables, &args, region.as_deref());
    let notes = undated(ctx, &tables, region.as_deref())?;
    Ok(Output::Query(
        query,
        View {
            brief: Some(BRIEF),
            priority: Some(PRIORITY),
            chart_by: Some("year"),
            asked: if args.from.is_some() || args.to.is_some() {
                vec!["date"]
            } else {
                Vec::new()
            },
            // What happened, readable beside a long name.
            least: &[("what_zh", 18), ("what_en", 18)],
            notes,
            ..View::titled("timeline")
        },
    ))
}

/// The dated tables `--entity` names (all of them without it), each with its date; a
/// table that has no date is a usage error that names those that have.
fn tables(names: Option<&[String]>) -> Result<Vec<(&'static Table, Dated)>, UsageError> {
    let dated: Vec<(&'static Table, Dated)> = TABLES
        .iter()
        .filter_map(|t| t.date.map(|d| (t, d)))
        .collect();
    let Some(names) = names else {
        return Ok(dated);
    };
    let mut chosen = Vec::new();
    for name in names {
        let table = crate::ctx::table_named(name, "--entity")?;
        match dated.iter().find(|(t, _)| t.name == table.name) {
            Some(found) if !chosen.iter().any(|(t, _): &(&Table, Dated)| t.name == table.name) => {
                chosen.push(*found)
            }
            Some(_) => {}
            None => {
                let names: Vec<&str> = dated.iter().map(|(t, _)| t.short_name()).collect();
                return Err(UsageError(format!(
                    "--entity {}: the rows of {} have no date (the dated tables: {})",
                    name.trim(),
                    table.short_name(),
                    names.join(", ")
                )));
            }
        }
    }
    // In the contract's order, whatever the order they were named in.
    chosen.sort_by_key(|(t, _)| TABLES.iter().position(|x| x.name == t.name));
    Ok(chosen)
}

/// The region a row of `table` is in, in SQL over `t`: its place column where that
/// holds a region's id (a fact about a topic is in none).
fn region_sql(table: &Table) -> String {
    match (
        table.place_sql("t"),
        table.place_column().and_then(|p| table.column(p)),
    ) {
        (Some(place), Some(c)) if c.references == Some("regions") => place,
        (Some(place), _) => format!("(SELECT r.id FROM regions AS r WHERE r.id = {place})"),
        _ => "NULL".to_string(),
    }
}

/// One table's dated rows as events, in SQL: the period's first and last months, the
/// precision's rank, the table's place in the contract, then the event's columns.
fn events_sql(k: usize, table: &Table, date: &Dated) -> String {
    let c = format!("t.{}", date.column);
    let kind = table.column(date.column).map_or(Kind::Period, |c| c.kind);
    let (text, precision, rank) = match kind {
        Kind::Year => (format!("CAST({c} AS TEXT)"), "'year'".to_string(), "0".to_string()),
        Kind::Month => (c.clone(), "'month'".to_string(), "2".to_string()),
        _ => {
            let case = |year: &str, half: &str, month: &str| {
                format!(
                    "CASE WHEN length({c}) = 4 THEN {year} WHEN substr({c}, 6, 1) = 'H' THEN {half} ELSE {month} END"
                )
            };
            (
                c.clone(),
                case("'year'", "'half-year'", "'month'"),
                case("0", "1", "2"),
            )
        }
    };
    let starts = crate::query::period_month(&c, kind, true);
    let ends = crate::query::period_month(&c, kind, false);
    let inferred = date
        .inferred
        .map_or("0".to_string(), |i| format!("coalesce(t.{i}, 0)"));
    let (zh, en) = crate::query::name_exprs(table);
    // Table and column names and the SQL come from the contract, never from input.
    format!(
        "SELECT {starts} AS starts, {ends} AS ends, {rank} AS exact, {k} AS k, \
         {text} AS date, {precision} AS precision, CAST(substr({text}, 1, 4) AS INTEGER) AS year, \
         {inferred} AS inferred, ({ends} > '{published}') AS target, '{name}' AS entity, t.id AS id, \
         {zh} AS name_zh, {en} AS name_en, {what_zh} AS what_zh, {what_en} AS what_en, {region} AS region_id, t.source_id AS source_id \
         FROM {name} AS t WHERE {c} IS NOT NULL",
        published = crate::report::PUBLISHED,
        name = table.name,
        what_zh = date.what.zh,
        what_en = date.what.en,
        region = region_sql(table),
    )
}

/// The events of `tables`, filtered as asked, oldest first.
fn query(tables: &[(&'static Table, Dated)], args: &Args, region: Option<&str>) -> Query {
    let parts: Vec<String> = tables
        .iter()
        .map(|(t, d)| {
            let k = TABLES.iter().position(|x| x.name == t.name).unwrap_or(0);
            events_sql(k, t, d)
        })
        .collect();
    let mut filters: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let mut bind = |condition: &dyn Fn(usize) -> String, value: Value| {
        params.push(value);
        filters.push(condition(params.len()));
    };
    // An event is in the range when its period overlaps it.
    if let Some(from) = args.from.as_deref().and_then(|v| crate::units::period_month(v, true)) {
        bind(&|n| format!("e.ends >= ?{n}"), Value::Text(from));
    }
    if let Some(to) = args.to.as_deref().and_then(|v| crate::units::period_month(v, false)) {
        bind(&|n| format!("e.starts <= ?{n}"), Value::Text(to));
    }
    if let Some(place) = region {
        bind(
            &|n| crate::cmd::list::inside("e.region_id", n),
            Value::Text(place.to_string()),
        );
    }
    if args.inferred || args.stated {
        bind(&|n| format!("e.inferred = ?{n}"), Value::Integer(i64::from(args.inferred)));
    }
    let columns: Vec<String> = EVENTS
        .column_names()
        .map(|c| match c {
            crate::rows::PAGE => {
                format!("(SELECT s.page FROM sources AS s WHERE s.id = e.source_id) AS {c}")
            }
            FLAG => format!(
                "CASE WHEN e.inferred AND e.target THEN 'inferred, target' WHEN e.inferred THEN 'inferred' \
                 WHEN e.target THEN 'target' END AS {c}"
            ),
            c => format!("e.{c}"),
        })
        .collect();
    let filter = if filters.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", filters.join(" AND "))
    };
    let sql = format!(
        "SELECT {} FROM ({}) AS e{filter} ORDER BY e.starts, e.exact, e.k, e.id",
        columns.join(", "),
        parts.join(" UNION ALL ")
    );
    let mut query = Query::new(sql, params);
    query.tables = vec![&EVENTS];
    query.extra = vec![FLAG];
    query
}

/// The note that counts, per table, the rows left out for having no date (in the
/// place asked for, if any).
fn undated(
    ctx: &Ctx,
    tables: &[(&'static Table, Dated)],
    region: Option<&str>,
) -> Result<Vec<String>> {
    let mut counts = Vec::new();
    for (table, date) in tables {
        let mut sql = format!(
            "SELECT count(*) FROM {name} AS t WHERE t.{c} IS NULL",
            name = table.name,
            c = date.column
        );
        let mut params = Vec::new();
        if let Some(place) = region {
            sql.push_str(&format!(
                " AND {}",
                crate::cmd::list::inside(&region_sql(table), 1)
            ));
            params.push(Value::Text(place.to_string()));
        }
        let rows = ctx.db()?.fetch(&Query::new(sql, params))?;
        if let Some(Value::Integer(n)) = rows.data.first().and_then(|r| r.first())
            && *n > 0
        {
            counts.push(format!("{} {n}", table.short_name()));
        }
    }
    Ok(if counts.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "rows with no date left out: {} (the lists show them)",
            counts.join(", ")
        )]
    })
}
