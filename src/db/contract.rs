//! The data contract: every table, its columns, their kinds, units, links and meanings.
//!
//! This is the one place a column's meaning and unit are written; `schema`, the loader's
//! validation and the renderer all read it. The SQL in `migrations/` states the same
//! structure for SQLite, and a test holds the two together. Nothing here touches a
//! database or a file.

/// What a cell may hold, as the loader validates it and the renderer shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// A readable slug: lowercase letters, digits, `-` and `.` (e.g. `ascend-910`).
    Slug,
    /// A whole number, written without separators.
    Integer,
    /// A decimal number (`640`, `3.74`, `1.6e12`); never NaN or infinite.
    Real,
    /// `true` or `false` (also `1` or `0`); stored as 1 or 0.
    Bool,
    /// A calendar year, 1900..=2100.
    Year,
    /// A month, `YYYY-MM`.
    Month,
    /// A period: a year `YYYY`, a month `YYYY-MM` or a half-year `YYYY-H1`/`YYYY-H2`.
    Period,
    /// Two capital letters: an ISO 3166 alpha-2 country code.
    Country,
    /// Three capital letters: an ISO 4217 currency code.
    Currency,
    /// One of a fixed list of words.
    Enum(&'static [&'static str]),
}

impl Kind {
    /// The SQLite type a STRICT table declares for this kind.
    pub fn sql_type(self) -> &'static str {
        match self {
            Kind::Integer | Kind::Bool | Kind::Year => "INTEGER",
            Kind::Real => "REAL",
            _ => "TEXT",
        }
    }

    /// A short description of the accepted form, used in `schema` and in error messages.
    pub fn describe(self) -> String {
        match self {
            Kind::Text => "text".into(),
            Kind::Slug => "id (a-z, 0-9, - and .)".into(),
            Kind::Integer => "whole number".into(),
            Kind::Real => "number".into(),
            Kind::Bool => "true or false".into(),
            Kind::Year => "year (YYYY)".into(),
            Kind::Month => "month (YYYY-MM)".into(),
            Kind::Period => "YYYY, YYYY-MM or YYYY-H1/H2".into(),
            Kind::Country => "ISO country code (CN, US, ...)".into(),
            Kind::Currency => "ISO currency code (USD, EUR, ...)".into(),
            Kind::Enum(values) => format!("one of: {}", values.join(", ")),
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    /// An empty cell is an error.
    pub required: bool,
    /// The table whose `id` this column holds.
    pub references: Option<&'static str>,
    /// The unit of a number, where it has one.
    pub unit: Option<&'static str>,
    /// One line saying what the column means.
    pub doc: &'static str,
    /// The column that says whether this number is a bound or an approximation.
    pub qualifier: Option<&'static str>,
    /// The smallest value a number may take, where there is one (a page is at least 1,
    /// a parameter count more than 0).
    pub min: Option<Min>,
    /// The column that holds this number's unit row by row, where its unit varies (a
    /// policy's `amount` is in its `currency`, a fact's `value` in its `unit`).
    pub unit_column: Option<&'static str>,
}

/// A lower bound of a number column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Min {
    /// The value is this or more.
    AtLeast(i64),
    /// The value is more than this.
    Above(i64),
}

impl Min {
    /// Whether `x` is within the bound.
    pub fn holds(self, x: f64) -> bool {
        match self {
            Min::AtLeast(n) => x >= n as f64,
            Min::Above(n) => x > n as f64,
        }
    }

    /// The bound in words, for messages and `schema`: "at least 0", "more than 0".
    pub fn describe(self) -> String {
        match self {
            Min::AtLeast(n) => format!("at least {n}"),
            Min::Above(n) => format!("more than {n}"),
        }
    }
}

impl Column {
    pub const fn new(name: &'static str, kind: Kind, doc: &'static str) -> Self {
        Column {
            name,
            kind,
            required: false,
            references: None,
            unit: None,
            doc,
            qualifier: None,
            min: None,
            unit_column: None,
        }
    }
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub const fn references(mut self, table: &'static str) -> Self {
        self.references = Some(table);
        self
    }
    pub const fn unit(mut self, unit: &'static str) -> Self {
        self.unit = Some(unit);
        self
    }
    const fn qualified_by(mut self, column: &'static str) -> Self {
        self.qualifier = Some(column);
        self
    }
    /// The unit of each row's number is in this column.
    const fn unit_in(mut self, column: &'static str) -> Self {
        self.unit_column = Some(column);
        self
    }
    /// The value is `n` or more.
    const fn at_least(mut self, n: i64) -> Self {
        self.min = Some(Min::AtLeast(n));
        self
    }
    /// The value is more than `n`.
    const fn above(mut self, n: i64) -> Self {
        self.min = Some(Min::Above(n));
        self
    }
}

/// One table of the knowledge base.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub doc: &'static str,
    /// The stem of the column pair that names a row (`name` for `name_zh`/`name_en`);
    /// `None` where rows have no name of their own (a fact, a platform).
    pub label: Option<&'static str>,
    pub columns: &'static [Column],
    /// The shorter name people use for the table (`centers` for compute_centers), which
    /// names it wherever a table is named (`--entity`, `schema`) and names the command
    /// that lists it; `None`: its own name.
    pub short: Option<&'static str>,
    /// What a row is in a place's profile where the rows have no name of their own:
    /// a noun in Chinese and English (a platform is a 政府数据开放平台).
    pub noun: Option<(&'static str, &'static str)>,
    /// A row's detail in one line, SQL over the table as `t` (`'launched ' ||
    /// t.launched`), for a place's profile.
    pub detail: Option<&'static str>,
    /// The column that dates a row, and what its date means.
    pub date: Option<Dated>,
    /// The column that places a row in a region where that is not its `region_id`
    /// (a fact's `subject`: a region's id, or a topic).
    pub place: Option<&'static str>,
}

/// The column that dates a table's rows, and what the date means.
#[derive(Debug, Clone, Copy)]
pub struct Dated {
    /// A year, month or period column.
    pub column: &'static str,
    pub meaning: Meaning,
    /// What happened at the date, in one short line, in Chinese and in English: SQL
    /// over the table as `t` (`'发布'`, `'released'`), for `timeline`.
    pub what: What,
    /// The column that says the date is inferred rather than stated with the row (a
    /// `Bool`), where there is one.
    pub inferred: Option<&'static str>,
}

/// What a row's date means, which decides what "in year Y" means for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Something happened then (a policy published, a model released): in year Y when
    /// its date falls in Y.
    Event,
    /// Something holds from then on (a platform online, a center working): in year Y
    /// when its date is in or before Y.
    State,
}

/// What happened at a date, as SQL over the table as `t`, in each language.
#[derive(Debug, Clone, Copy)]
pub struct What {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Dated {
    /// A table dated by an event in this column; `what` says what happened.
    pub const fn event(column: &'static str, what: What) -> Dated {
        Dated {
            column,
            meaning: Meaning::Event,
            what,
            inferred: None,
        }
    }

    /// A table dated by a state that holds from the date in this column.
    pub const fn state(column: &'static str, what: What) -> Dated {
        Dated {
            meaning: Meaning::State,
            ..Dated::event(column, what)
        }
    }

    /// The same, its rows' dates inferred where this `Bool` column says so.
    pub const fn inferred_by(mut self, column: &'static str) -> Dated {
        self.inferred = Some(column);
        self
    }
}

/// What a table entry leaves unsaid: `Table { name, doc, label, columns, ..BASE }`.
const BASE: Table = Table {
    name: "",
    doc: "",
    label: None,
    columns: &[],
    short: None,
    noun: None,
    detail: None,
    date: None,
    place: None,
};

impl Table {
    /// A table of rows a command derives (a timeline's events), to describe their
    /// columns as the contract describes a table's; it is never stored.
    pub const fn derived(
        name: &'static str,
        doc: &'static str,
        columns: &'static [Column],
    ) -> Table {
        Table {
            name,
            doc,
            columns,
            ..BASE
        }
    }

    /// The region id of a row of this table as SQL over it as `alias`, where a column
    /// places its rows: the column, or for a country code (`CN`) the region it names
    /// (`cn`).
    pub fn place_sql(&self, alias: &str) -> Option<String> {
        let column = self.column(self.place_column()?)?;
        Some(match column.kind {
            Kind::Country => format!("lower({alias}.{})", column.name),
            _ => format!("{alias}.{}", column.name),
        })
    }

    /// The column that places a row in a region: its `place`, else its `region_id`.
    pub fn place_column(&self) -> Option<&'static str> {
        self.place.or_else(|| {
            self.column("region_id")
                .filter(|c| c.references == Some("regions"))
                .map(|c| c.name)
        })
    }

    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|c| c.name)
    }

    /// Whether each row must carry a quote from the report.
    pub fn quoted(&self) -> bool {
        self.column("quote").is_some_and(|c| c.required)
    }

    /// The columns that name a row, in Chinese and in English (`name_zh`, `name_en`).
    /// The name people use for the table: its short name, else its own.
    pub fn short_name(&self) -> &'static str {
        self.short.unwrap_or(self.name)
    }

    pub fn label_columns(&self) -> Option<(&'static str, &'static str)> {
        let stem = self.label?;
        let find = |suffix: &str| {
            self.columns
                .iter()
                .find(|c| c.name.strip_suffix(suffix) == Some(stem))
                .map(|c| c.name)
        };
        Some((find("_zh")?, find("_en")?))
    }
}

/// The most bytes a value may hold (SQLite's limit on every connection aiinfra opens):
/// the largest in the knowledge base is a few kilobytes.
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;

/// The report as data: tables derived from the corrected report and the `sources`
/// rows wherever a database is built (never seeds a user edits), after the data
/// tables. Counted apart from them ("13 tables, 361 rows, and 212 passages").
#[allow(clippy::needless_update)]
pub static REPORT_TABLES: &[Table] = &[
    Table {
        name: "passages",
        doc: "every heading, paragraph, table row, caption, source line and footnote of the corrected report, in order",
        columns: &[
            Column::new(
                "id",
                Kind::Slug,
                "its part's id and its place in the part (sec-2.3.2.p3); front.pN before the first chapter, back.pN on the back cover",
            )
            .required(),
            Column::new(
                "source_id",
                Kind::Slug,
                "the section, table, figure or footnote it belongs to; empty in the front matter and on the back cover",
            )
            .references("sources"),
            Column::new("page", Kind::Integer, "the page of its part, as the report's table of contents gives it")
                .unit("page")
                .at_least(1),
            Column::new(
                "kind",
                Kind::Enum(&["heading", "paragraph", "row", "contents", "caption", "credit", "footnote"]),
                "what it is: a heading, a paragraph, a table row (cells tab-separated), a line of the contents, a caption, a source line (来源), a footnote",
            )
            .required(),
            Column::new("position", Kind::Integer, "its place in the report, from 1")
                .required()
                .at_least(1),
            Column::new("text", Kind::Text, "its text as the corrected report has it").required(),
        ],
        ..BASE
    },
    Table {
        name: "row_passages",
        doc: "the passages each row's quote lies in (in the part its source_id names, where the report prints the text twice)",
        columns: &[
            Column::new("entity", Kind::Text, "the table of the row").required(),
            Column::new("row_id", Kind::Slug, "the row's id").required(),
            Column::new("passage_id", Kind::Slug, "a passage its quote lies in")
                .required()
                .references("passages"),
        ],
        ..BASE
    },
];

/// The data tables, then the report tables: what a database, an export or a dump
/// holds.
pub fn every_table() -> impl Iterator<Item = &'static Table> {
    TABLES.iter().chain(REPORT_TABLES)
}

/// Look a table up by name.
pub fn table(name: &str) -> Option<&'static Table> {
    every_table().find(|t| t.name == name)
}

/// Whether a column of this name holds numbers (an integer or a decimal) in every
/// table that has it, and some table has it: what a chart can draw.
pub fn is_numeric(name: &str) -> bool {
    let mut kinds = TABLES
        .iter()
        .filter_map(|t| t.column(name))
        .map(|c| c.kind)
        .peekable();
    kinds.peek().is_some() && kinds.all(|k| matches!(k, Kind::Integer | Kind::Real))
}

const ID: Column = Column::new(
    "id",
    Kind::Slug,
    "readable slug, unique across the whole knowledge base",
)
.required();
const SOURCE_ID: Column = Column::new(
    "source_id",
    Kind::Slug,
    "the table, figure, section or footnote of the report this row comes from",
)
.required()
.references("sources");
const QUOTE: Column = Column::new(
    "quote",
    Kind::Text,
    "verbatim excerpt of the report (whitespace aside) that supports the row",
)
.required();
const NOTE: Column = Column::new(
    "note",
    Kind::Text,
    "corrections of the PDF extraction, derivations, contradictions",
);
const NAME_ZH: Column = Column::new(
    "name_zh",
    Kind::Text,
    "name in Chinese, as the report writes it",
)
.required();
const NAME_EN: Column = Column::new("name_en", Kind::Text, "usual English name").required();
const REGION_ID: Column =
    Column::new("region_id", Kind::Slug, "the region this row belongs to").references("regions");
const COUNTRY: Column = Column::new("country", Kind::Country, "ISO 3166 alpha-2 country code");

const PLATFORM_LEVELS: &[&str] = &["province", "autonomous_region", "municipality"];

/// How the report qualifies a number, in every table: at least (以上, E级, 千亿级, 千亿,
/// Table 4's `+`), over (超过, 超, 余, 多, 高于, 上亿, 突破), nearly (近, 接近), about (约,
/// 左右).
pub const QUALIFIERS: &[&str] = &["at_least", "over", "nearly", "about"];

/// The mark table output puts before a qualified number.
pub fn qualifier_mark(word: &str) -> &'static str {
    match word {
        "at_least" => "≥",
        "over" => ">",
        "nearly" => "<",
        "about" => "~",
        // Only a ratio (compare) is ever at most: a number divided by a lower bound.
        "at_most" => "≤",
        _ => "",
    }
}

/// A column qualifying the number before it.
const fn qualifier(name: &'static str) -> Column {
    Column::new(
        name,
        Kind::Enum(QUALIFIERS),
        "how the report qualifies the number before it: at_least (以上, E级, 千亿级, 千亿, +), over (超过, 超, 余, 多, 高于, 上亿, 突破), nearly (近, 接近), about (约, 左右); empty when stated exactly",
    )
}

/// Every table, in load order: a table comes after the tables it references. A new
/// table is one more entry here (and its migration and CSV).
// Every entry ends in `..BASE`, so a field added to `Table` needs no edit here, even
// in an entry that sets every field today.
#[allow(clippy::needless_update)]
pub static TABLES: &[Table] = &[
    Table {
        name: "sources",
        doc: "the report's tables, figures, sections and footnotes, with their pages",
        label: Some("label"),
        columns: &[
            Column::new(
                "id",
                Kind::Slug,
                "table-N, figure-N, sec-N[.N[.N]] or footnote-N",
            )
            .required(),
            Column::new(
                "kind",
                Kind::Enum(&["table", "figure", "section", "footnote"]),
                "what part of the report this is",
            )
            .required(),
            Column::new("label_zh", Kind::Text, "the report's own title").required(),
            Column::new("label_en", Kind::Text, "the title in English").required(),
            Column::new(
                "page",
                Kind::Integer,
                "page, as the report's table of contents gives it",
            )
            .required()
            .unit("page")
            .at_least(1),
            Column::new("quote", Kind::Text, "optional excerpt of the report"),
            NOTE,
        ],
        ..BASE
    },
    Table {
        name: "regions",
        doc: "countries, blocs, provinces, cities and districts the other tables refer to",
        label: Some("name"),
        columns: &[
            ID,
            NAME_ZH,
            NAME_EN,
            Column::new(
                "level",
                Kind::Enum(&[
                    "country",
                    "bloc",
                    "province",
                    "autonomous_region",
                    "municipality",
                    "city",
                    "district",
                ]),
                "administrative level",
            )
            .required(),
            Column::new("parent_id", Kind::Slug, "the region this one lies in")
                .references("regions"),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        ..BASE
    },
    Table {
        name: "open_data_platforms",
        doc: "provincial-level government open-data platforms and their launch years (Table 3)",
        label: None,
        columns: &[
            ID,
            REGION_ID.required(),
            Column::new(
                "level",
                Kind::Enum(PLATFORM_LEVELS),
                "level of the government that runs the platform",
            )
            .required(),
            Column::new(
                "launched",
                Kind::Year,
                "year the platform first appears in Table 3",
            )
            .required()
            .unit("year"),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        short: Some("platforms"),
        noun: Some(("政府数据开放平台", "government open-data platform")),
        detail: Some("'launched ' || t.launched"),
        date: Some(Dated::state(
            "launched",
            What {
                zh: "'数据开放平台上线'",
                en: "'open-data platform launched'",
            },
        )),
        ..BASE
    },
    Table {
        name: "chips",
        doc: "AI chips and their performance figures (section 2.3.2)",
        label: Some("name"),
        columns: &[
            ID,
            Column::new("name_zh", Kind::Text, "chip name in Chinese").required(),
            Column::new("name_en", Kind::Text, "usual English name").required(),
            Column::new("vendor_zh", Kind::Text, "vendor in Chinese").required(),
            Column::new("vendor_en", Kind::Text, "vendor in English").required(),
            Column::new(
                "kind",
                Kind::Enum(&["training", "inference"]),
                "training or inference chip; empty where the report does not say",
            ),
            Column::new("process_nm", Kind::Real, "manufacturing process")
                .unit("nm")
                .above(0),
            Column::new("int8_tops", Kind::Real, "integer (INT8) throughput")
                .unit("TOPS")
                .at_least(0),
            Column::new(
                "fp16_tflops",
                Kind::Real,
                "half-precision (FP16) throughput",
            )
            .unit("TFLOPS")
            .at_least(0),
            Column::new("power_w", Kind::Real, "power draw as the report gives it")
                .unit("W")
                .at_least(0),
            Column::new(
                "architecture",
                Kind::Text,
                "architecture or packaging technique the report names",
            ),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        ..BASE
    },
    Table {
        name: "frameworks",
        doc: "deep-learning frameworks and inference engines (Table 4 and section 2.4.1)",
        label: Some("name"),
        columns: &[
            ID,
            NAME_ZH,
            NAME_EN,
            COUNTRY,
            Column::new("org_zh", Kind::Text, "developer in Chinese"),
            Column::new("org_en", Kind::Text, "developer in English"),
            Column::new(
                "github_stars",
                Kind::Integer,
                "attention (关注度), GitHub stars: 17k becomes 17000",
            )
            .unit("stars")
            .at_least(0),
            Column::new(
                "activity",
                Kind::Integer,
                "activity (活跃度) as Table 4 prints it; the report gives no unit",
            )
            .qualified_by("activity_qualifier")
            .at_least(0),
            qualifier("activity_qualifier"),
            Column::new("contributors", Kind::Integer, "contributors (贡献人数)")
                .unit("people")
                .at_least(0),
            Column::new(
                "open_source",
                Kind::Bool,
                "open source; empty where the report does not say",
            ),
            Column::new(
                "kind",
                Kind::Enum(&["training", "inference", "domain"]),
                "training framework, inference engine or domain framework",
            )
            .required(),
            REGION_ID,
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        detail: Some("t.kind"),
        ..BASE
    },
    Table {
        name: "models",
        doc: "large pretrained models (Table 5 and section 2.4.3)",
        label: Some("name"),
        columns: &[
            ID,
            Column::new(
                "name_zh",
                Kind::Text,
                "model name in Chinese, as the report writes it",
            )
            .required(),
            Column::new("name_en", Kind::Text, "usual English name").required(),
            Column::new("org_zh", Kind::Text, "developer in Chinese").required(),
            Column::new("org_en", Kind::Text, "developer in English").required(),
            COUNTRY,
            Column::new("released", Kind::Month, "month of release").unit("YYYY-MM"),
            Column::new(
                "params",
                Kind::Integer,
                "parameter count: 1750亿 becomes 175000000000",
            )
            .unit("parameters")
            .qualified_by("params_qualifier")
            .above(0),
            qualifier("params_qualifier"),
            Column::new(
                "modality",
                Kind::Enum(&["nlp", "cv", "multimodal"]),
                "what the model works on",
            ),
            Column::new(
                "training_data",
                Kind::Text,
                "training data as the report describes it",
            ),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        date: Some(Dated::event(
            "released",
            What {
                zh: "'发布' || coalesce('，参数 ' || aiinfra_mark(t.params_qualifier) || aiinfra_human_zh(t.params), '')",
                en: "'released' || coalesce(', ' || aiinfra_mark(t.params_qualifier) || aiinfra_human(t.params) || ' parameters', '')",
            },
        )),
        place: Some("country"),
        ..BASE
    },
    Table {
        name: "pilot_zones",
        doc: "the AI pilot zones' policies, one row per policy (Table 1)",
        label: Some("policy"),
        columns: &[
            ID,
            Column::new("seq", Kind::Integer, "the zone's number in Table 1")
                .required()
                .at_least(1),
            Column::new("zone_zh", Kind::Text, "pilot zone in Chinese").required(),
            Column::new("zone_en", Kind::Text, "pilot zone in English").required(),
            REGION_ID.required(),
            Column::new("published", Kind::Month, "month the policy was published")
                .required()
                .unit("YYYY-MM"),
            Column::new("policy_zh", Kind::Text, "policy title in Chinese").required(),
            Column::new("policy_en", Kind::Text, "policy title in English").required(),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        short: Some("pilot-zones"),
        detail: Some("'published ' || t.published"),
        date: Some(Dated::event(
            "published",
            What {
                zh: "'先导区政策发布'",
                en: "'pilot-zone policy published'",
            },
        )),
        ..BASE
    },
    Table {
        name: "policies",
        doc: "national and international policy documents and programmes the report names",
        label: Some("title"),
        columns: &[
            ID,
            REGION_ID.required(),
            Column::new("published", Kind::Period, "year or month of publication")
                .unit("YYYY[-MM]"),
            Column::new("title_zh", Kind::Text, "title in Chinese").required(),
            Column::new("title_en", Kind::Text, "title in English").required(),
            Column::new(
                "summary_zh",
                Kind::Text,
                "what the report says of it, in Chinese",
            ),
            Column::new(
                "summary_en",
                Kind::Text,
                "what the report says of it, in English",
            ),
            Column::new(
                "amount",
                Kind::Real,
                "money committed, in units of currency",
            )
            .qualified_by("amount_qualifier")
            .unit_in("currency")
            .at_least(0),
            qualifier("amount_qualifier"),
            Column::new("currency", Kind::Currency, "currency of amount"),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        detail: Some("'published ' || t.published"),
        date: Some(Dated::event(
            "published",
            What {
                zh: "'政策发布' || coalesce('，金额 ' || aiinfra_mark(t.amount_qualifier) || aiinfra_human_zh(t.amount) || coalesce(' ' || t.currency, ''), '')",
                en: "'policy published' || coalesce(', ' || aiinfra_mark(t.amount_qualifier) || aiinfra_human(t.amount) || coalesce(' ' || t.currency, ''), '')",
            },
        )),
        ..BASE
    },
    Table {
        name: "compute_centers",
        doc: "supercomputing and AI computing centers",
        label: Some("name"),
        columns: &[
            ID,
            Column::new("name_zh", Kind::Text, "name in Chinese").required(),
            Column::new("name_en", Kind::Text, "name in English").required(),
            REGION_ID.required(),
            Column::new("operator_zh", Kind::Text, "builder or operator in Chinese"),
            Column::new("operator_en", Kind::Text, "builder or operator in English"),
            Column::new(
                "status",
                Kind::Enum(&["operating", "under_construction", "planned"]),
                "built, being built or planned",
            )
            .required(),
            Column::new("ready_year", Kind::Year, "year it is (to be) complete").unit("year"),
            Column::new("pflops", Kind::Real, "computing power")
                .unit("PFLOPS")
                .qualified_by("pflops_qualifier")
                .at_least(0),
            qualifier("pflops_qualifier"),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        short: Some("centers"),
        detail: Some(
            "t.status || coalesce(', ' || aiinfra_mark(t.pflops_qualifier) || (CASE WHEN t.pflops = CAST(t.pflops AS INTEGER) THEN CAST(t.pflops AS INTEGER) ELSE t.pflops END) || ' PFLOPS', '')",
        ),
        date: Some(Dated::state(
            "ready_year",
            What {
                zh: "CASE t.status WHEN 'operating' THEN '建成投运' WHEN 'under_construction' THEN '预计建成(在建)' ELSE '预计建成(规划)' END || coalesce('，算力 ' || aiinfra_mark(t.pflops_qualifier) || aiinfra_human_zh(t.pflops) || ' PFLOPS', '')",
                en: "CASE t.status WHEN 'operating' THEN 'complete, in operation' WHEN 'under_construction' THEN 'to be complete (under construction)' ELSE 'to be complete (planned)' END || coalesce(', ' || aiinfra_mark(t.pflops_qualifier) || aiinfra_human(t.pflops) || ' PFLOPS', '')",
            },
        )),
        ..BASE
    },
    Table {
        name: "datasets",
        doc: "named data sets and dataset projects",
        label: Some("name"),
        columns: &[
            ID,
            NAME_ZH,
            NAME_EN,
            Column::new("publisher_zh", Kind::Text, "publishers in Chinese"),
            Column::new("publisher_en", Kind::Text, "publishers in English"),
            Column::new("released", Kind::Year, "year of release").unit("year"),
            Column::new("domain", Kind::Text, "what the data is about"),
            Column::new("size_note", Kind::Text, "size, as the report gives it"),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        date: Some(Dated::event(
            "released",
            What {
                zh: "'数据集发布'",
                en: "'data set released'",
            },
        )),
        ..BASE
    },
    Table {
        name: "dataset_languages",
        doc: "data sets indexed by Google Dataset Search, by language, June 2019 to March 2020 (Table 2)",
        label: Some("language"),
        columns: &[
            ID,
            Column::new("language_zh", Kind::Text, "language in Chinese").required(),
            Column::new(
                "language_en",
                Kind::Text,
                "language in English, as Table 2 prints it",
            )
            .required(),
            Column::new(
                "datasets",
                Kind::Integer,
                "number of data sets: 18,650K becomes 18650000",
            )
            .required()
            .unit("datasets")
            .at_least(0),
            Column::new("growth_pct", Kind::Real, "growth over the period").unit("%"),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        short: Some("languages"),
        ..BASE
    },
    Table {
        name: "apollo_products",
        doc: "robot vehicles built with Apollo's partners (Table 6)",
        label: Some("product"),
        columns: &[
            ID,
            Column::new("product_zh", Kind::Text, "product in Chinese").required(),
            Column::new("product_en", Kind::Text, "product in English").required(),
            Column::new("partner_zh", Kind::Text, "partner in Chinese").required(),
            Column::new("partner_en", Kind::Text, "partner in English").required(),
            Column::new("progress_zh", Kind::Text, "progress, as Table 6 gives it").required(),
            Column::new("progress_en", Kind::Text, "progress in English"),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        short: Some("apollo"),
        ..BASE
    },
    Table {
        name: "facts",
        doc: "every other figure the report states, one number per row",
        label: None,
        columns: &[
            ID,
            Column::new("subject", Kind::Slug, "a region id or a topic slug").required(),
            Column::new("metric_zh", Kind::Text, "what is measured, in Chinese").required(),
            Column::new("metric_en", Kind::Text, "what is measured, in English").required(),
            Column::new("value", Kind::Real, "the number")
                .required()
                .qualified_by("qualifier")
                .unit_in("unit"),
            Column::new("unit", Kind::Text, "unit of value"),
            qualifier("qualifier"),
            Column::new(
                "as_of",
                Kind::Period,
                "when the figure holds: a year, a month or a half-year (2020-H1)",
            )
            .unit("YYYY[-MM|-H1|-H2]"),
            Column::new(
                "as_of_inferred",
                Kind::Bool,
                "as_of is inferred from the context (see note), not stated with the figure",
            )
            .required(),
            SOURCE_ID,
            QUOTE,
            NOTE,
        ],
        detail: Some(
            "aiinfra_mark(t.qualifier) || (CASE WHEN t.value = CAST(t.value AS INTEGER) THEN CAST(t.value AS INTEGER) ELSE t.value END) || coalesce(' ' || t.unit, '') || coalesce(' (' || t.as_of || ')', '')",
        ),
        date: Some(
            Dated::event(
                "as_of",
                What {
                    zh: "aiinfra_mark(t.qualifier) || aiinfra_human_zh(t.value) || coalesce(' ' || t.unit, '')",
                    en: "aiinfra_mark(t.qualifier) || aiinfra_human(t.value) || coalesce(' ' || t.unit, '')",
                },
            )
            .inferred_by("as_of_inferred"),
        ),
        place: Some("subject"),
        ..BASE
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_column_pairs_and_qualifiers_name_enumerations() {
        for table in TABLES {
            if table.label.is_some() {
                assert!(table.label_columns().is_some(), "{}", table.name);
            }
            for column in table.columns {
                if let Some(q) = column.qualifier {
                    let q = table
                        .column(q)
                        .unwrap_or_else(|| panic!("{}.{q}", table.name));
                    assert_eq!(q.kind, Kind::Enum(QUALIFIERS), "{}.{}", table.name, q.name);
                }
            }
        }
    }

    #[test]
    fn dates_name_date_columns_and_places_name_columns() {
        for table in TABLES {
            if let Some(d) = table.date {
                let c = table.column(d.column).unwrap();
                assert!(
                    matches!(c.kind, Kind::Year | Kind::Month | Kind::Period),
                    "{}.{}",
                    table.name,
                    d.column
                );
                assert!(
                    !d.what.zh.is_empty() && !d.what.en.is_empty(),
                    "{}",
                    table.name
                );
                if let Some(i) = d.inferred {
                    assert_eq!(
                        table.column(i).unwrap().kind,
                        Kind::Bool,
                        "{}.{i}",
                        table.name
                    );
                }
            }
            if let Some(p) = table.place_column() {
                assert!(table.column(p).is_some(), "{}.{p}", table.name);
            }
        }
    }

    #[test]
    fn every_link_points_to_an_earlier_table() {
        for (i, table) in TABLES.iter().enumerate() {
            for column in table.columns {
                if let Some(target) = column.references {
                    let at = TABLES.iter().position(|t| t.name == target).unwrap();
                    assert!(at <= i, "{}.{} → {target}", table.name, column.name);
                }
            }
        }
    }
}
