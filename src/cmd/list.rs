//! List commands, declared once: a contract table, the columns a command adds by
//! joining, the columns a table shows, the default order, and the filters. From that
//! declaration come the command's flags (with enum values, accepted forms and help
//! taken from the contract), its query, and its rows in every format.

use anyhow::Result;
use clap::{Arg, ArgAction, ArgMatches};
use rusqlite::types::Value;

use super::{Ctx, Output, View};
use crate::db::contract::{Column, Kind};
use crate::error::UsageError;
use crate::query::{Derived, Select};
use crate::units;

/// A list command.
pub struct ListSpec {
    /// The command's name (`chips`, `centers`).
    pub name: &'static str,
    /// The contract table it lists.
    pub table: &'static str,
    /// Its line in `aiinfra --help`.
    pub about: &'static str,
    pub examples: &'static str,
    /// Joins after `FROM <table> AS t` (` JOIN regions AS r ON r.id = t.region_id`).
    pub joins: &'static str,
    /// Columns added to the table's own.
    pub derived: &'static [Derived],
    /// The columns a table shows when `--columns` is not given, separated by spaces
    /// (`*`: the `--lang` suffix).
    pub brief: &'static str,
    /// Default order (SQL over `t` and the joins); the id always comes last.
    pub order: &'static [&'static str],
    pub filters: &'static [Filter],
    /// How a region's profile (`aiinfra regions ID`) describes a row of this table:
    /// names where the table has none, and a detail (SQL over `t`).
    pub profile: Profile,
    /// An optional positional argument: one row, shown its own way (`regions ID`).
    pub one: Option<One>,
}

/// A positional argument of a list command.
pub struct One {
    pub value_name: &'static str,
    pub help: &'static str,
    pub exec: fn(&Ctx, &str) -> Result<Output>,
}

/// A row in a region's profile.
#[derive(Debug, Clone, Copy, Default)]
pub struct Profile {
    /// Names in both languages where the table's rows have none (a platform).
    pub names: Option<(&'static str, &'static str)>,
    /// A short detail, SQL over `t` (`'launched ' || t.launched`).
    pub detail: Option<&'static str>,
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
}

impl Filter {
    /// A filter whose help is made from the test and the column's meaning and unit.
    pub const fn new(flag: &'static str, column: &'static str, test: Test) -> Filter {
        Filter {
            flag,
            column,
            test,
            help: "",
        }
    }

    /// The same, with its own help.
    pub const fn help(mut self, help: &'static str) -> Filter {
        self.help = help;
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
    /// In the year given (of a year, month or period column).
    Year,
    /// In or before the year given.
    UpTo,
    /// A month bound: in or after, in or before.
    Since,
    Until,
    /// A flag without value: the column equals this number (`--open-source`: 1).
    Set(i64),
    /// A source id, or one of its sub-sections (`sec-2.3` takes `sec-2.3.2`).
    Source,
}

impl ListSpec {
    /// A list of `table`'s rows, named `name`, with its line of help; the rest is added
    /// by the builders below.
    pub const fn new(name: &'static str, table: &'static str, about: &'static str) -> ListSpec {
        ListSpec {
            name,
            table,
            about,
            examples: "",
            joins: "",
            derived: &[],
            brief: "",
            order: &[],
            filters: &[],
            profile: Profile {
                names: None,
                detail: None,
            },
            one: None,
        }
    }

    pub const fn examples(mut self, examples: &'static str) -> ListSpec {
        self.examples = examples;
        self
    }

    pub const fn joins(mut self, joins: &'static str, derived: &'static [Derived]) -> ListSpec {
        self.joins = joins;
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

    /// How a region's profile shows a row: a detail, and names where the rows have none.
    pub const fn profile(
        mut self,
        detail: &'static str,
        names: Option<(&'static str, &'static str)>,
    ) -> ListSpec {
        self.profile = Profile {
            names,
            detail: Some(detail),
        };
        self
    }

    pub const fn one(mut self, one: One) -> ListSpec {
        self.one = Some(one);
        self
    }

    pub fn contract(&self) -> &'static crate::db::contract::Table {
        // A spec naming a table the contract lacks fails `every_list_spec_names_real_columns`.
        crate::db::contract::table(self.table).unwrap_or(&crate::db::contract::TABLES[0])
    }

    fn column(&self, name: &str) -> Option<&'static Column> {
        self.contract().column(name)
    }

    /// Check the declaration against the contract (a test runs it for every spec).
    pub fn check(&self) -> Result<(), String> {
        let table = crate::db::contract::table(self.table).ok_or("no such table")?;
        let known = |n: &str| table.column(n).is_some() || self.derived.iter().any(|d| d.0 == n);
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
            let ok = match f.test {
                Test::AtLeast(_) | Test::AtMost(_) => {
                    matches!(col.kind, Kind::Integer | Kind::Real)
                }
                Test::Year => matches!(col.kind, Kind::Year | Kind::Month | Kind::Period),
                Test::UpTo => col.kind == Kind::Year,
                Test::Since | Test::Until => col.kind == Kind::Month,
                Test::Is => matches!(col.kind, Kind::Enum(_) | Kind::Country | Kind::Text),
                Test::Place | Test::PlaceOr(_) => col.references == Some("regions"),
                _ => true,
            };
            if !ok {
                return Err(format!(
                    "--{} cannot test {} ({:?})",
                    f.flag, f.column, col.kind
                ));
            }
        }
        Ok(())
    }

    /// The command's arguments: its filters, its positional argument, its examples.
    pub fn augment(&self, mut cmd: clap::Command) -> clap::Command {
        cmd = cmd.after_help(self.examples);
        if let Some(one) = &self.one {
            cmd = cmd.arg(
                Arg::new("one")
                    .value_name(one.value_name)
                    .help(one.help)
                    .required(false)
                    .add(crate::cli::complete_ids(vec![self.table])),
            );
        }
        for f in self.filters {
            cmd = cmd.arg(self.arg(f));
        }
        cmd
    }

    fn arg(&self, f: &Filter) -> Arg {
        let col = self.column(f.column);
        let kind = col.map_or(Kind::Text, |c| c.kind);
        let unit = col.and_then(|c| c.unit).unwrap_or("");
        let doc = col.map_or("", |c| c.doc);
        let arg = Arg::new(f.flag).long(f.flag);
        let (arg, help) = match f.test {
            Test::Contains(_) => (
                arg.value_name("TEXT"),
                format!("{} contains TEXT, in Chinese or English, any case", capital(doc)),
            ),
            Test::Place | Test::PlaceOr(_) => (
                arg.value_name("PLACE"),
                "In this place or a place inside it: an id or a name, in Chinese or English (深圳, shenzhen, 广东省)".to_string(),
            ),
            Test::Subject => (
                arg.value_name("NAME"),
                "About this region, record or topic: an id or a name, in Chinese or English".to_string(),
            ),
            Test::Is => match kind {
                Kind::Enum(values) => (
                    arg.value_name(upper(f.flag))
                        .value_parser(clap::builder::PossibleValuesParser::new(values.iter().copied())),
                    capital(doc),
                ),
                Kind::Country => (
                    arg.value_name("CC").value_parser(parse_country),
                    format!("{} (CN, US)", capital(doc)),
                ),
                _ => (arg.value_name("TEXT"), capital(doc)),
            },
            Test::AtLeast(suffixes) | Test::AtMost(suffixes) => {
                let least = matches!(f.test, Test::AtLeast(_));
                let forms = if suffixes {
                    ": 1000, 1.5e3, 1k, 175B, 1.6T, 1750亿, 1.6万亿"
                } else {
                    ""
                };
                let bound = if least { "At least" } else { "At most" };
                let unit_text = if unit.is_empty() { String::new() } else { format!(" {unit}") };
                let arg = arg
                    .value_name(if unit.is_empty() || suffixes { "N".to_string() } else { unit.to_uppercase() })
                    .allow_hyphen_values(true);
                let arg = if suffixes {
                    arg.value_parser(units::parse_quantity)
                } else {
                    arg.value_parser(units::parse_number)
                };
                (arg, format!("{bound} N{unit_text} of {} ({doc}){forms}", f.column))
            }
            Test::Year => (
                arg.value_name("Y").value_parser(units::parse_year),
                format!("{} in year Y", capital(doc)),
            ),
            Test::UpTo => (
                arg.value_name("Y").value_parser(units::parse_year),
                format!("{} in or before year Y", capital(doc)),
            ),
            Test::Since => (
                arg.value_name("YYYY-MM").value_parser(|s: &str| units::parse_month_bound(s, true)),
                format!("{} in or after this month (YYYY-MM, or YYYY for its January)", capital(doc)),
            ),
            Test::Until => (
                arg.value_name("YYYY-MM").value_parser(|s: &str| units::parse_month_bound(s, false)),
                format!("{} in or before this month (YYYY-MM, or YYYY for its December)", capital(doc)),
            ),
            Test::Set(_) => (arg.action(ArgAction::SetTrue), capital(doc)),
            Test::Source => (
                arg.value_name("ID"),
                "Cited from this source or one of its sub-sections (sec-2.3, table-6, footnote-1)".to_string(),
            ),
        };
        let arg = arg.help(if f.help.is_empty() {
            help
        } else {
            f.help.to_string()
        });
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

    /// The columns of its rows, in order.
    pub fn columns(&self) -> Vec<&'static str> {
        Select::new(self.contract(), self.joins, self.derived, self.order).column_names()
    }

    /// The rows the flags ask for, or one row shown its own way.
    pub fn exec(&self, ctx: &Ctx, m: &ArgMatches) -> Result<Output> {
        if let Some(one) = &self.one
            && let Some(key) = m.get_one::<String>("one")
        {
            return (one.exec)(ctx, key);
        }
        let mut s = Select::new(self.contract(), self.joins, self.derived, self.order);
        for f in self.filters {
            self.apply(ctx, f, m, &mut s)?;
        }
        Ok(Output::Query(
            s.build(),
            View {
                title: self.table.to_string(),
                brief: Some(self.brief),
                ..View::default()
            },
        ))
    }

    fn apply(&self, ctx: &Ctx, f: &Filter, m: &ArgMatches, s: &mut Select) -> Result<()> {
        let c = format!("t.{}", f.column);
        let text = || -> Result<Option<String>> {
            match m.get_one::<String>(f.flag) {
                None => Ok(None),
                Some(v) if crate::resolve::fold(v).is_empty() => {
                    Err(UsageError(format!("--{} needs some text to match", f.flag)).into())
                }
                Some(v) => Ok(Some(v.clone())),
            }
        };
        match f.test {
            Test::Contains(cols) => {
                if let Some(v) = text()? {
                    let exprs: Vec<String> = cols.iter().map(|c| format!("t.{c}")).collect();
                    let exprs: Vec<&str> = exprs.iter().map(|s| s.as_str()).collect();
                    s.filter_text(&exprs, &v);
                }
            }
            Test::Place | Test::PlaceOr(_) => {
                if let Some(v) = text()? {
                    let place = ctx.region(&v)?;
                    let inside = format!(
                        "{c} IN (WITH RECURSIVE inside(id) AS (SELECT ?1 UNION SELECT r.id FROM regions AS r JOIN inside ON r.parent_id = inside.id) SELECT id FROM inside)"
                    );
                    let mut values = vec![Value::Text(place.id.clone())];
                    let mut any = vec![inside];
                    if let Test::PlaceOr(cols) = f.test {
                        for name in &place.names {
                            values.push(Value::Text(crate::resolve::fold(name)));
                            let n = values.len();
                            any.extend(
                                cols.iter()
                                    .map(|col| format!("instr(aiinfra_fold(t.{col}), ?{n}) > 0")),
                            );
                        }
                    }
                    s.filter_with(&format!("({})", any.join(" OR ")), values);
                }
            }
            Test::Subject => {
                if let Some(v) = text()? {
                    let id = subject(ctx, &v)?;
                    // A topic and its sub-topics: apollo takes apollo-moon.
                    s.filter(
                        &format!("({c} = ? OR substr({c}, 1, length(?) + 1) = ? || '-')"),
                        id,
                    );
                }
            }
            Test::Is => {
                if let Some(v) = m.get_one::<String>(f.flag) {
                    s.filter(&format!("{c} = ?"), v.clone());
                }
            }
            Test::AtLeast(_) | Test::AtMost(_) => {
                if let Some(x) = m.get_one::<f64>(f.flag) {
                    let op = if matches!(f.test, Test::AtLeast(_)) {
                        ">="
                    } else {
                        "<="
                    };
                    s.filter(&format!("{c} {op} ?"), *x);
                }
            }
            Test::Year => {
                if let Some(y) = m.get_one::<i64>(f.flag) {
                    let year_of = match self.column(f.column).map(|c| c.kind) {
                        Some(Kind::Year) => c.clone(),
                        _ => format!("CAST(substr({c}, 1, 4) AS INTEGER)"),
                    };
                    s.filter(&format!("{year_of} = ?"), *y);
                }
            }
            Test::UpTo => {
                if let Some(y) = m.get_one::<i64>(f.flag) {
                    s.filter(&format!("{c} <= ?"), *y);
                }
            }
            Test::Since | Test::Until => {
                if let Some(month) = m.get_one::<String>(f.flag) {
                    let op = if f.test == Test::Since { ">=" } else { "<=" };
                    s.filter(&format!("{c} {op} ?"), month.clone());
                }
            }
            Test::Set(n) => {
                if m.get_flag(f.flag) {
                    s.filter(&format!("{c} = ?"), n);
                }
            }
            Test::Source => {
                if let Some(v) = text()? {
                    s.filter(
                        &format!("({c} = ? OR substr({c}, 1, length(?) + 1) = ? || '.')"),
                        v.trim().to_string(),
                    );
                }
            }
        }
        Ok(())
    }
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
            candidates.push(crate::resolve::Candidate {
                table: "facts.subject",
                id: id.clone(),
                names: Vec::new(),
            });
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
