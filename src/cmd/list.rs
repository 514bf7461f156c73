//! List commands, declared once: a contract table, the columns a command adds by
//! joining, the columns a table shows, the default order, and the filters. From that
//! declaration come the command's flags (with enum values, accepted forms and help
//! taken from the contract), its query, and its rows in every format.

use anyhow::Result;
use clap::{Arg, ArgAction, ArgMatches};
use rusqlite::types::Value;

use crate::command::{Output, View};
use crate::ctx::Ctx;
use crate::db::contract::{Column, Kind, Meaning, Table};
use crate::error::UsageError;
use crate::query::{Derived, Named, Select};
use crate::units;

/// A list command.
pub struct ListSpec {
    /// The contract table it lists (the command is named after its short name).
    pub table: &'static str,
    /// Its line in `aiinfra --help`.
    pub about: &'static str,
    pub examples: &'static str,
    /// The names of the rows its references point at, as columns of their own.
    pub named: &'static [Named],
    /// Columns computed over a row, added to the table's own.
    pub derived: &'static [Derived],
    /// The columns a table shows when `--columns` is not given, separated by spaces
    /// (`*`: the `--lang` suffix).
    pub brief: &'static str,
    /// Default order (SQL over `t` and the joins); the id always comes last.
    pub order: &'static [&'static str],
    pub filters: &'static [Filter],
    /// An optional positional argument: one row, shown its own way (`regions ID`).
    pub one: Option<One>,
}

/// A positional argument of a list command.
pub struct One {
    pub value_name: &'static str,
    pub help: &'static str,
    pub exec: fn(&Ctx, &str) -> Result<Output>,
}

/// A filter flag over one column.
pub struct Filter {
    /// The flag, without dashes (`min-int8`).
    pub flag: &'static str,
    /// The contract column it tests (its kind gives the accepted values).
    pub column: &'static str,
    pub test: Test,
    /// Its help; left empty, it is made from the test and the column's meaning and unit.
    pub help: &'static str,
    /// An older spelling, still accepted but not shown (so scripts do not break).
    pub alias: Option<&'static str>,
    /// Not shown in `--help` (a spelling kept for scripts).
    pub hidden: bool,
}

impl Filter {
    /// A filter whose help is made from the test and the column's meaning and unit.
    pub const fn new(flag: &'static str, column: &'static str, test: Test) -> Filter {
        Filter {
            flag,
            column,
            test,
            help: "",
            alias: None,
            hidden: false,
        }
    }

    /// The same, with its own help.
    pub const fn help(mut self, help: &'static str) -> Filter {
        self.help = help;
        self
    }

    /// The same, also accepting an older spelling.
    pub const fn alias(mut self, alias: &'static str) -> Filter {
        self.alias = Some(alias);
        self
    }

    /// The same, not shown in `--help`.
    pub const fn hidden(mut self) -> Filter {
        self.hidden = true;
        self
    }
}

/// What a filter tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// The text is part of any of these columns, folded (case, width, spacing).
    Contains(&'static [&'static str]),
    /// The column holds a region id: the named place, or a place inside it.
    Place,
    /// `Place`, or these columns hold the place's name (a pilot zone 济南-青岛 filed
    /// under its province).
    PlaceOr(&'static [&'static str]),
    /// `facts.subject`: the region, record or topic the text names.
    Subject,
    /// Equal to the value (an enumeration's word, a country code).
    Is,
    /// At least / at most the number; `true` takes magnitude suffixes (175B, 1.6万亿).
    AtLeast(bool),
    AtMost(bool),
    /// In year Y, as the table's date means it: an event in Y, a state as of Y.
    Year,
    /// An event within year Y, whatever the table's date means (`platforms
    /// --launched`).
    Within,
    /// A range of dates: from this year, half-year or month on; up to it.
    From,
    To,
    /// A flag without value: the column equals this number (`--open-source`: 1).
    Set(i64),
    /// A source id, or one of its sub-sections (`sec-2.3` takes `sec-2.3.2`).
    Source,
}

/// What a filter is given: its value, as the flag parsed it, and where it applies.
struct Given<'a> {
    ctx: &'a Ctx,
    filter: &'a Filter,
    column: &'a Column,
    table: &'a Table,
    m: &'a ArgMatches,
    /// The column as SQL (`t.int8_tops`).
    c: String,
}

impl Given<'_> {
    /// The value given as text, if any; an empty text is a usage error.
    fn text(&self) -> Result<Option<String>> {
        match self.m.get_one::<String>(self.filter.flag) {
            None => Ok(None),
            Some(v) if crate::resolve::fold(v).is_empty() => {
                Err(UsageError(format!("--{} needs some text to match", self.filter.flag)).into())
            }
            Some(v) => Ok(Some(v.clone())),
        }
    }

    /// The first or last month of the column's period, in SQL.
    fn month(&self, first: bool) -> String {
        crate::query::period_month(&self.c, self.column.kind, first)
    }
}

/// A condition with `?1`, `?2`… bound to its values.
type Clause = (String, Vec<Value>);

/// One kind of filter, whole: which columns it can test, its placeholder and help,
/// how its value parses, and its SQL condition. One row per kind (as Datasette's
/// filters are), so a kind is written in one place.
struct Row {
    /// Whether it can test a column of this kind.
    accepts: fn(&Column) -> bool,
    /// The value's placeholder (`TEXT`, `Y`); empty for a flag without a value.
    placeholder: fn(&Filter, &Column) -> String,
    /// Its help, made from the column's meaning, unit and the table's date.
    help: fn(&Filter, &Column, &Table) -> String,
    /// How its value parses.
    parse: fn(Arg, &Column) -> Arg,
    /// Its condition, if it was given.
    clause: fn(&Given) -> Result<Option<Clause>>,
}

fn text_value(arg: Arg, _: &Column) -> Arg {
    arg
}

fn year_value(arg: Arg, _: &Column) -> Arg {
    arg.value_parser(units::parse_year)
}

fn is_date(c: &Column) -> bool {
    matches!(c.kind, Kind::Year | Kind::Month | Kind::Period)
}

fn one(condition: String, value: impl Into<Value>) -> Option<Clause> {
    Some((condition, vec![value.into()]))
}

/// The filter table: one row per kind of test.
fn row(test: Test) -> Row {
    match test {
        Test::Contains(_) => Row {
            accepts: |c| c.kind == Kind::Text,
            placeholder: |_, _| "TEXT".into(),
            help: |_, c, _| {
                format!(
                    "{} contains TEXT, in Chinese or English, any case",
                    capital(c.doc)
                )
            },
            parse: text_value,
            clause: |g| {
                let Test::Contains(cols) = g.filter.test else {
                    return Ok(None);
                };
                Ok(g.text()?.map(|v| {
                    let any = cols
                        .iter()
                        .map(|c| format!("instr(aiinfra_fold(t.{c}), ?1) > 0"))
                        .collect::<Vec<_>>()
                        .join(" OR ");
                    (
                        format!("({any})"),
                        vec![Value::Text(crate::resolve::fold(&v))],
                    )
                }))
            },
        },
        Test::Place | Test::PlaceOr(_) => Row {
            accepts: |c| c.references == Some("regions"),
            placeholder: |_, _| "PLACE".into(),
            help: |_, _, _| {
                "In this place or a place inside it: an id or a name, in Chinese or English (深圳, shenzhen, 广东省)".into()
            },
            parse: text_value,
            clause: |g| {
                let Some(v) = g.text()? else { return Ok(None) };
                let place = g.ctx.region(&v)?;
                let mut values = vec![Value::Text(place.id.clone())];
                let mut any = vec![inside(&g.c, 1)];
                if let Test::PlaceOr(cols) = g.filter.test {
                    for name in &place.names {
                        values.push(Value::Text(crate::resolve::fold(name)));
                        let n = values.len();
                        any.extend(
                            cols.iter()
                                .map(|col| format!("instr(aiinfra_fold(t.{col}), ?{n}) > 0")),
                        );
                    }
                }
                Ok(Some((format!("({})", any.join(" OR ")), values)))
            },
        },
        Test::Subject => Row {
            accepts: |c| c.kind == Kind::Slug,
            placeholder: |_, _| "NAME".into(),
            help: |_, _, _| {
                "About this region, record or topic: an id or a name, in Chinese or English".into()
            },
            parse: text_value,
            clause: |g| {
                let Some(v) = g.text()? else { return Ok(None) };
                let id = subject(g.ctx, &v)?;
                // A topic and its sub-topics: apollo takes apollo-moon.
                let c = &g.c;
                Ok(one(
                    format!("({c} = ?1 OR substr({c}, 1, length(?1) + 1) = ?1 || '-')"),
                    id,
                ))
            },
        },
        Test::Is => Row {
            accepts: |c| matches!(c.kind, Kind::Enum(_) | Kind::Country | Kind::Text),
            placeholder: |f, c| match c.kind {
                Kind::Enum(_) => upper(f.flag),
                Kind::Country => "CC".into(),
                _ => "TEXT".into(),
            },
            help: |_, c, _| match c.kind {
                Kind::Country => format!("{} (CN, US)", capital(c.doc)),
                _ => capital(c.doc),
            },
            parse: |arg, c| match c.kind {
                Kind::Enum(values) => arg.value_parser(clap::builder::PossibleValuesParser::new(
                    values.iter().copied(),
                )),
                Kind::Country => arg.value_parser(parse_country),
                _ => arg,
            },
            clause: |g| {
                Ok(g.m
                    .get_one::<String>(g.filter.flag)
                    .map(|v| (format!("{} = ?1", g.c), vec![Value::Text(v.clone())])))
            },
        },
        Test::AtLeast(suffixes) | Test::AtMost(suffixes) => Row {
            accepts: |c| matches!(c.kind, Kind::Integer | Kind::Real),
            placeholder: if suffixes {
                |_, _| "N".into()
            } else {
                |_, c| c.unit.map_or("N".into(), str::to_uppercase)
            },
            help: if suffixes {
                |f, c, _| bound_help(f, c, ": 1000, 1.5e3, 1k, 175B, 1.6T, 1750亿, 1.6万亿")
            } else {
                |f, c, _| bound_help(f, c, "")
            },
            parse: if suffixes {
                |arg, _| {
                    arg.allow_hyphen_values(true)
                        .value_parser(units::parse_quantity)
                }
            } else {
                |arg, _| {
                    arg.allow_hyphen_values(true)
                        .value_parser(units::parse_number)
                }
            },
            clause: |g| {
                let op = if matches!(g.filter.test, Test::AtLeast(_)) {
                    ">="
                } else {
                    "<="
                };
                Ok(g.m
                    .get_one::<f64>(g.filter.flag)
                    .and_then(|x| one(format!("{} {op} ?1", g.c), *x)))
            },
        },
        Test::Year => Row {
            accepts: is_date,
            placeholder: |_, _| "Y".into(),
            help: |_, c, t| match meaning(c, t) {
                Meaning::State => format!("As things stood in year Y: {} in or before Y", c.name),
                Meaning::Event => format!("In year Y: {} in Y", c.name),
            },
            parse: year_value,
            clause: |g| {
                let Some(y) = g.m.get_one::<i64>(g.filter.flag) else {
                    return Ok(None);
                };
                let start = g.month(true);
                Ok(Some(match meaning(g.column, g.table) {
                    Meaning::State => (
                        format!("{start} <= ?1"),
                        vec![Value::Text(format!("{y}-12"))],
                    ),
                    Meaning::Event => within(g, *y),
                }))
            },
        },
        Test::Within => Row {
            accepts: is_date,
            placeholder: |_, _| "Y".into(),
            help: |_, c, _| {
                format!(
                    "{} in year Y (the same as --from Y --to Y)",
                    capital(c.name)
                )
            },
            parse: year_value,
            clause: |g| Ok(g.m.get_one::<i64>(g.filter.flag).map(|y| within(g, *y))),
        },
        Test::From | Test::To => Row {
            accepts: is_date,
            placeholder: |_, _| "DATE".into(),
            help: |f, c, _| {
                if f.test == Test::From {
                    format!(
                        "From this year, half-year or month on (2020, 2020-H2, 2020-06): {} in or after it",
                        c.name
                    )
                } else {
                    format!(
                        "Up to this year, half-year or month (2021, 2021-H1, 2021-06): {} in or before it",
                        c.name
                    )
                }
            },
            parse: |arg, _| arg.value_parser(|s: &str| units::parse_period_bound(s, true)),
            clause: |g| {
                let Some(given) = g.m.get_one::<String>(g.filter.flag) else {
                    return Ok(None);
                };
                // The value was parsed as the period's first month; --to wants its last.
                let raw =
                    g.m.get_raw(g.filter.flag)
                        .and_then(|mut v| v.next())
                        .and_then(|v| v.to_str())
                        .unwrap_or(given);
                Ok(Some(if g.filter.test == Test::From {
                    (
                        format!("{} >= ?1", g.month(false)),
                        vec![Value::Text(given.clone())],
                    )
                } else {
                    let last = units::parse_period_bound(raw, false).unwrap_or(given.clone());
                    (format!("{} <= ?1", g.month(true)), vec![Value::Text(last)])
                }))
            },
        },
        Test::Set(_) => Row {
            accepts: |c| c.kind == Kind::Bool,
            placeholder: |_, _| String::new(),
            help: |_, c, _| capital(c.doc),
            parse: |arg, _| arg.action(ArgAction::SetTrue),
            clause: |g| {
                let Test::Set(n) = g.filter.test else {
                    return Ok(None);
                };
                Ok(g.m
                    .get_flag(g.filter.flag)
                    .then(|| (format!("{} = ?1", g.c), vec![Value::Integer(n)])))
            },
        },
        Test::Source => Row {
            accepts: |c| c.references == Some("sources"),
            placeholder: |_, _| "ID".into(),
            help: |_, _, _| {
                "Cited from this source or one of its sub-sections (sec-2.3, table-6, footnote-1)"
                    .into()
            },
            parse: text_value,
            clause: |g| {
                let c = &g.c;
                Ok(g.text()?.map(|v| {
                    (
                        format!("({c} = ?1 OR substr({c}, 1, length(?1) + 1) = ?1 || '.')"),
                        vec![Value::Text(v.trim().to_string())],
                    )
                }))
            },
        },
    }
}

/// "At least N TOPS of int8_tops (integer (INT8) throughput)".
fn bound_help(f: &Filter, c: &Column, forms: &str) -> String {
    let bound = if matches!(f.test, Test::AtLeast(_)) {
        "At least"
    } else {
        "At most"
    };
    let placeholder = (row(f.test).placeholder)(f, c);
    let unit = match c.unit {
        Some(u) if placeholder == "N" => format!(" {u}"),
        _ => String::new(),
    };
    format!(
        "{bound} {placeholder}{unit} of {} ({}){forms}",
        c.name, c.doc
    )
}

/// What the table's date means for this column (an event, unless the table says).
fn meaning(c: &Column, t: &Table) -> Meaning {
    match t.date {
        Some(d) if d.column == c.name => d.meaning,
        _ => Meaning::Event,
    }
}

/// An event whose period overlaps year `y`.
fn within(g: &Given, y: i64) -> Clause {
    (
        format!("{} <= ?1 AND {} >= ?2", g.month(true), g.month(false)),
        vec![
            Value::Text(format!("{y}-12")),
            Value::Text(format!("{y}-01")),
        ],
    )
}

impl ListSpec {
    /// A list of `table`'s rows (named after the table's short name), with its line of
    /// help; the rest is added by the builders below.
    pub const fn new(table: &'static str, about: &'static str) -> ListSpec {
        ListSpec {
            table,
            about,
            examples: "",
            named: &[],
            derived: &[],
            brief: "",
            order: &[],
            filters: &[],
            one: None,
        }
    }

    /// The command's name: the table's short name.
    pub fn name(&self) -> &'static str {
        self.contract().short_name()
    }

    pub const fn examples(mut self, examples: &'static str) -> ListSpec {
        self.examples = examples;
        self
    }

    /// Show the names of the row `column` references, as the two columns given
    /// (`("region_id", ["city_zh", "city_en"])`), after it.
    pub const fn named(mut self, named: &'static [Named]) -> ListSpec {
        self.named = named;
        self
    }

    pub const fn derived(mut self, derived: &'static [Derived]) -> ListSpec {
        self.derived = derived;
        self
    }

    /// The columns a table shows, separated by spaces (`id name_* vendor_*`).
    pub const fn brief(mut self, brief: &'static str) -> ListSpec {
        self.brief = brief;
        self
    }

    pub const fn order(mut self, order: &'static [&'static str]) -> ListSpec {
        self.order = order;
        self
    }

    pub const fn filters(mut self, filters: &'static [Filter]) -> ListSpec {
        self.filters = filters;
        self
    }

    pub const fn one(mut self, one: One) -> ListSpec {
        self.one = Some(one);
        self
    }

    pub fn contract(&self) -> &'static Table {
        // A spec naming a table the contract lacks fails `every_list_spec_names_real_columns`.
        crate::db::contract::table(self.table).unwrap_or(&crate::db::contract::TABLES[0])
    }

    fn column(&self, name: &str) -> Option<&'static Column> {
        self.contract().column(name)
    }

    /// Check the declaration against the contract (a test runs it for every spec).
    pub fn check(&self) -> Result<(), String> {
        let table = crate::db::contract::table(self.table).ok_or("no such table")?;
        let known = |n: &str| table.column(n).is_some() || self.columns().contains(&n);
        for (column, _) in self.named {
            crate::query::named_by(table, column)?;
        }
        for b in self.brief.split_whitespace() {
            for lang in ["zh", "en"] {
                let n = b.replace('*', lang);
                if !known(&n) {
                    return Err(format!("brief column {n} is not a column"));
                }
            }
        }
        for f in self.filters {
            let col = table
                .column(f.column)
                .ok_or(format!("--{} tests {}, not a column", f.flag, f.column))?;
            if let Test::Contains(cols) = f.test {
                for c in cols {
                    table
                        .column(c)
                        .ok_or(format!("--{} looks in {c}, not a column", f.flag))?;
                }
            }
            if !(row(f.test).accepts)(col) {
                return Err(format!(
                    "--{} cannot test {} ({:?})",
                    f.flag, f.column, col.kind
                ));
            }
        }
        Ok(())
    }

    /// Its columns as its help lists them: name, unit and meaning, one a line, for
    /// `--columns`, `--sort` and `--count-by` (wrapped to `width`).
    pub fn columns_help(&self, width: usize) -> String {
        let table = self.contract();
        let names = self.columns();
        let widest = names.iter().map(|n| n.len()).max().unwrap_or(0).min(22);
        let mut out = String::from("Columns (for --columns, --sort, --count-by):");
        for name in names {
            let meaning = match table.column(name) {
                Some(c) => {
                    let unit = c.unit.map(|u| format!(" ({u})")).unwrap_or_default();
                    format!("{}{unit}", c.doc)
                }
                None if name == crate::rows::PAGE => {
                    "the page of the row's source in the report".to_string()
                }
                None => self.select().meaning(name).unwrap_or_default(),
            };
            let pad = widest.saturating_sub(name.len());
            let lead = format!("  {name}{}  ", " ".repeat(pad));
            let room = width.saturating_sub(lead.len()).max(24);
            let wrapped = crate::output::table::wrap(&meaning, room);
            for (i, line) in wrapped.lines().enumerate() {
                out.push('\n');
                if i == 0 {
                    out.push_str(&lead);
                } else {
                    out.push_str(&" ".repeat(lead.len()));
                }
                out.push_str(line);
            }
        }
        out
    }

    /// The command's arguments: its filters, its positional argument, its examples and
    /// its columns.
    pub fn augment(&self, mut cmd: clap::Command) -> clap::Command {
        // The columns' list is made only for help (it takes work to lay out).
        cmd = if crate::complete::help_wanted() {
            let width = crate::complete::help_width();
            cmd.after_help(format!("{}\n\n{}", self.examples, self.columns_help(width)))
        } else {
            cmd.after_help(self.examples)
        };
        if let Some(one) = &self.one {
            cmd = cmd.arg(
                Arg::new("one")
                    .value_name(one.value_name)
                    .help(one.help)
                    .required(false)
                    .add(crate::complete::ids(vec![self.table])),
            );
        }
        for f in self.filters {
            cmd = cmd.arg(self.arg(f));
        }
        cmd
    }

    fn arg(&self, f: &Filter) -> Arg {
        let Some(col) = self.column(f.column) else {
            return Arg::new(f.flag).long(f.flag);
        };
        let row = row(f.test);
        let mut arg = (row.parse)(Arg::new(f.flag).long(f.flag), col);
        let placeholder = (row.placeholder)(f, col);
        if !placeholder.is_empty() {
            arg = arg.value_name(placeholder);
        }
        arg = arg.help(if f.help.is_empty() {
            (row.help)(f, col, self.contract())
        } else {
            f.help.to_string()
        });
        // Places complete region ids; a subject, what facts are about.
        arg = match f.test {
            Test::Place | Test::PlaceOr(_) => arg.add(crate::complete::ids(vec!["regions"])),
            Test::Subject => arg.add(crate::complete::subjects()),
            _ => arg,
        };
        if let Some(alias) = f.alias {
            // Visible: TAB completes the value of a visible alias (`--city sh`).
            arg = arg.visible_alias(alias);
        }
        if f.hidden {
            arg = arg.hide(true);
        }
        // Two flags setting the same column exclude each other (--open-source, --closed-source).
        let rival = self.filters.iter().find(|o| {
            o.flag != f.flag
                && o.column == f.column
                && matches!((o.test, f.test), (Test::Set(_), Test::Set(_)))
        });
        match rival {
            Some(o) => arg.conflicts_with(o.flag),
            None => arg,
        }
    }

    /// The query of its rows, before filters.
    fn select(&self) -> Select {
        Select::new(self.contract(), self.named, self.derived, self.order)
    }

    /// The columns of its rows, in order.
    pub fn columns(&self) -> Vec<&'static str> {
        self.select().column_names()
    }

    /// The rows the flags ask for, or one row shown its own way.
    pub fn exec(&self, ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
        if let Some(one) = &self.one
            && let Some(key) = m.get_one::<String>("one")
        {
            return (one.exec)(ctx, key);
        }
        self.check_range(m)?;
        let mut s = self.select();
        for f in self.filters {
            let Some(column) = self.column(f.column) else {
                continue;
            };
            let given = Given {
                ctx,
                filter: f,
                column,
                table: self.contract(),
                m,
                c: format!("t.{}", f.column),
            };
            if let Some((condition, values)) = (row(f.test).clause)(&given)? {
                s.filter_with(&condition, values);
            }
        }
        // The columns a range or date filter was given for stay in the table.
        let asked = self
            .filters
            .iter()
            .filter(|f| {
                matches!(
                    f.test,
                    Test::AtLeast(_)
                        | Test::AtMost(_)
                        | Test::Year
                        | Test::Within
                        | Test::From
                        | Test::To
                ) && m.value_source(f.flag) == Some(clap::parser::ValueSource::CommandLine)
            })
            .map(|f| f.column)
            .collect();
        Ok(Output::Query(
            s.build(),
            View {
                title: self.table.to_string(),
                brief: Some(self.brief),
                asked,
                ..View::default()
            },
        ))
    }

    /// A range whose end comes before its start is a usage error.
    fn check_range(&self, m: &ArgMatches) -> Result<(), UsageError> {
        let bound = |test: Test| {
            self.filters
                .iter()
                .find(|f| f.test == test)
                .and_then(|f| m.get_raw(f.flag)?.next()?.to_str().map(|v| (f.flag, v)))
        };
        check_range(bound(Test::From), bound(Test::To))
    }
}

/// A range of dates (`--from`, `--to`, each its flag and the value given) whose end
/// comes before its start is a usage error.
pub fn check_range(from: Option<(&str, &str)>, to: Option<(&str, &str)>) -> Result<(), UsageError> {
    if let (Some((from_flag, from)), Some((to_flag, to))) = (from, to) {
        let start = units::period_month(from, true);
        let end = units::period_month(to, false);
        if let (Some(start), Some(end)) = (start, end)
            && start > end
        {
            return Err(UsageError(format!(
                "--{from_flag} {from} comes after --{to_flag} {to}: give the earlier date to --{from_flag}"
            )));
        }
    }
    Ok(())
}

/// The condition that the region id in `column` is the place bound to `?n`, or a place
/// inside it (a province's cities and districts).
pub fn inside(column: &str, n: usize) -> String {
    format!(
        "{column} IN (WITH RECURSIVE inside(id) AS (SELECT ?{n} UNION SELECT r.id FROM regions AS r JOIN inside ON r.parent_id = inside.id) SELECT id FROM inside)"
    )
}

/// What `--subject` names: a region, a record of any table, or a topic some fact is
/// about; facts are filed under its id.
fn subject(ctx: &Ctx, key: &str) -> Result<String> {
    let tables: Vec<_> = crate::db::contract::TABLES
        .iter()
        .filter(|t| t.label.is_some())
        .collect();
    let mut candidates = ctx.candidates(&tables)?;
    let topics = ctx.db()?.fetch(&crate::query::Query::new(
        "SELECT DISTINCT subject FROM facts ORDER BY subject",
        Vec::new(),
    ))?;
    for row in topics.data {
        if let rusqlite::types::Value::Text(id) = &row[0]
            && !candidates.iter().any(|c| &c.id == id)
        {
            candidates.push(crate::resolve::Candidate::new(
                "facts.subject",
                id.clone(),
                Vec::new(),
            ));
        }
    }
    Ok(crate::resolve::resolve(
        key,
        &candidates,
        "subject",
        "aiinfra facts --count-by subject",
    )?
    .id
    .clone())
}

/// `--country CC`: two letters, any case, as an ISO code in capitals.
pub fn parse_country(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(format!(
            "expected a two-letter ISO country code such as CN or US, found {s:?}"
        ))
    }
}

fn capital(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn upper(flag: &str) -> String {
    flag.to_uppercase().replace('-', "_")
}
