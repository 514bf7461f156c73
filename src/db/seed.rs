//! Seed loading: CSV files → validated rows → SQLite.
//!
//! Every problem an analyst can make in a CSV is reported here with `file:line`, the
//! column and the value, and many are collected before the load stops, as a compiler
//! does. Nothing is inserted unless every file is valid. It owns parsing and
//! validation against the contract; it never decides where output goes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::types::Value;

use super::contract::{Column, Kind, TABLES, Table};

/// Stop collecting after this many problems: past it, the rest is noise.
const MAX_PROBLEMS: usize = 50;

/// The seeds compiled into the binary, one per table of the contract.
pub static EMBEDDED: &[(&str, &[u8])] = &[
    ("sources", include_bytes!("../../seed/sources.csv")),
    ("regions", include_bytes!("../../seed/regions.csv")),
    (
        "open_data_platforms",
        include_bytes!("../../seed/open_data_platforms.csv"),
    ),
    ("chips", include_bytes!("../../seed/chips.csv")),
    ("frameworks", include_bytes!("../../seed/frameworks.csv")),
    ("models", include_bytes!("../../seed/models.csv")),
    ("pilot_zones", include_bytes!("../../seed/pilot_zones.csv")),
    ("policies", include_bytes!("../../seed/policies.csv")),
    (
        "compute_centers",
        include_bytes!("../../seed/compute_centers.csv"),
    ),
    ("datasets", include_bytes!("../../seed/datasets.csv")),
    (
        "dataset_languages",
        include_bytes!("../../seed/dataset_languages.csv"),
    ),
    (
        "apollo_products",
        include_bytes!("../../seed/apollo_products.csv"),
    ),
    ("facts", include_bytes!("../../seed/facts.csv")),
];

/// Where seed CSVs come from.
#[derive(Debug, Clone)]
pub enum Seeds {
    /// The CSVs compiled into the binary, shown as `seed/<table>.csv`.
    Embedded,
    /// A directory holding one `<table>.csv` per table.
    Dir(PathBuf),
}

/// One seed file's bytes and the name to show in messages.
struct SeedFile {
    table: &'static Table,
    shown: String,
    bytes: Cow<'static, [u8]>,
}

/// Everything wrong with a set of seeds, one line per problem.
#[derive(Debug)]
pub struct Problems(pub Vec<String>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        if n == 1 {
            return f.write_str(&self.0[0]);
        }
        let more = if n >= MAX_PROBLEMS { "at least " } else { "" };
        write!(f, "{more}{n} problems in the seed data:")?;
        for p in &self.0 {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// A validated row: its line in the file and one value per contract column.
#[derive(Debug, Clone)]
pub struct SeedRow {
    pub line: u64,
    pub values: Vec<Value>,
}

/// A validated table.
#[derive(Debug)]
pub struct SeedTable {
    pub table: &'static Table,
    pub shown: String,
    pub rows: Vec<SeedRow>,
}

impl SeedTable {
    /// The value of `column` in `row` (the column must belong to the table).
    pub fn get<'a>(&self, row: &'a SeedRow, column: &str) -> Option<&'a Value> {
        let i = self.table.columns.iter().position(|c| c.name == column)?;
        row.values.get(i)
    }
}

/// Collects problems up to MAX_PROBLEMS.
#[derive(Default)]
struct Collector(Vec<String>);

impl Collector {
    fn push(&mut self, problem: String) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(problem);
        }
    }
    fn full(&self) -> bool {
        self.0.len() >= MAX_PROBLEMS
    }
}

/// The report the data is transcribed from.
pub const DATA_EDITION: &str = "人工智能基础设施发展态势报告(2021年), CAICT, January 2022";

/// Validated seeds and the checksum of the files they came from.
#[derive(Debug)]
pub struct Loaded {
    pub tables: Vec<SeedTable>,
    /// SHA-256 over every file's name and bytes, in contract order, as hex.
    pub checksum: String,
    /// Where they came from: "built-in" or "seed directory".
    pub origin: &'static str,
}

fn checksum(files: &[SeedFile]) -> String {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    for file in files {
        hash.update(file.table.name.as_bytes());
        hash.update([0]);
        hash.update((file.bytes.len() as u64).to_le_bytes());
        hash.update(&file.bytes);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The checksum of the seeds compiled into the binary.
pub fn embedded_checksum() -> String {
    let mut problems = Collector::default();
    checksum(&gather(&Seeds::Embedded, &mut problems))
}

/// Read, parse and validate every seed file; return all tables or every problem found.
pub fn read(seeds: &Seeds) -> Result<Loaded, Problems> {
    let mut problems = Collector::default();
    let files = gather(seeds, &mut problems);
    let mut tables = Vec::new();
    for file in &files {
        if problems.full() {
            break;
        }
        if let Some(table) = parse_file(file, &mut problems) {
            tables.push(table);
        }
    }
    check_ids(&tables, &mut problems);
    if problems.0.is_empty() {
        Ok(Loaded {
            tables,
            checksum: checksum(&files),
            origin: match seeds {
                Seeds::Embedded => "built-in",
                Seeds::Dir(_) => "seed directory",
            },
        })
    } else {
        Err(Problems(problems.0))
    }
}

/// Parse and validate one table's CSV on its own (links to other tables unchecked).
pub fn parse_table(
    table: &'static Table,
    shown: &str,
    bytes: &[u8],
) -> Result<SeedTable, Problems> {
    let file = SeedFile {
        table,
        shown: shown.to_string(),
        bytes: Cow::Owned(bytes.to_vec()),
    };
    let mut problems = Collector::default();
    let parsed = parse_file(&file, &mut problems);
    match parsed {
        Some(seed) if problems.0.is_empty() => Ok(seed),
        _ => Err(Problems(problems.0)),
    }
}

/// The embedded seed of a table.
pub fn embedded(table: &str) -> Option<&'static [u8]> {
    EMBEDDED.iter().find(|(n, _)| *n == table).map(|(_, b)| *b)
}

/// Insert validated tables, and where they came from, into a migrated database, all in
/// one transaction.
pub fn insert(conn: &mut Connection, loaded: &Loaded) -> anyhow::Result<()> {
    let tables = &loaded.tables;
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO aiinfra_meta (key, value) VALUES ('aiinfra_version', ?1), ('data_edition', ?2), ('data_checksum', ?3), ('seeds', ?4)",
        [env!("CARGO_PKG_VERSION"), DATA_EDITION, &loaded.checksum, loaded.origin],
    )?;
    // Rows may name a parent that comes later in the same file (regions.parent_id);
    // links were checked already, so let SQLite check them once, at commit.
    tx.pragma_update(None, "defer_foreign_keys", true)?;
    for seed in tables {
        let names: Vec<&str> = seed.table.column_names().collect();
        let marks = (1..=names.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({marks})",
            seed.table.name,
            names.join(", ")
        );
        let mut stmt = tx.prepare(&sql)?;
        for row in &seed.rows {
            stmt.execute(rusqlite::params_from_iter(row.values.iter()))
                .map_err(|e| anyhow::anyhow!("{}:{}: {e}", seed.shown, row.line))?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Read and insert in one step.
pub fn load(conn: &mut Connection, seeds: &Seeds) -> anyhow::Result<Loaded> {
    let loaded = read(seeds)?;
    insert(conn, &loaded)?;
    Ok(loaded)
}

fn gather(seeds: &Seeds, problems: &mut Collector) -> Vec<SeedFile> {
    match seeds {
        Seeds::Embedded => TABLES
            .iter()
            .filter_map(|table| {
                let bytes = EMBEDDED.iter().find(|(n, _)| *n == table.name)?.1;
                Some(SeedFile {
                    table,
                    shown: format!("seed/{}.csv", table.name),
                    bytes: Cow::Borrowed(bytes),
                })
            })
            .collect(),
        Seeds::Dir(dir) => gather_dir(dir, problems),
    }
}

fn gather_dir(dir: &Path, problems: &mut Collector) -> Vec<SeedFile> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(format!(
                "{}: cannot read the seed directory: {e}",
                dir.display()
            ));
            return Vec::new();
        }
    };
    let mut present: Vec<String> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.to_ascii_lowercase().ends_with(".csv") {
            present.push(name);
        }
    }
    present.sort();
    let expected: Vec<String> = TABLES.iter().map(|t| format!("{}.csv", t.name)).collect();
    for name in present.iter().filter(|n| !expected.contains(n)) {
        let hint = suggest(name, expected.iter().map(|s| s.as_str()));
        problems.push(format!(
            "{}: not a table of aiinfra{hint} (tables: {})",
            dir.join(name).display(),
            TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
        ));
    }
    let mut files = Vec::new();
    for table in TABLES {
        let path = dir.join(format!("{}.csv", table.name));
        match std::fs::read(&path) {
            Ok(bytes) => files.push(SeedFile {
                table,
                shown: path.display().to_string(),
                bytes: Cow::Owned(bytes),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(format!(
                    "{}: missing; every table needs its file, with at least the header line",
                    path.display()
                ));
            }
            Err(e) => problems.push(format!("{}: cannot read: {e}", path.display())),
        }
    }
    files
}

/// Decode a file to text with LF line ends, or say why it is not a UTF-8 CSV.
fn decode<'a>(file: &'a SeedFile, problems: &mut Collector) -> Option<Cow<'a, str>> {
    const SAVE_AS: &str = "save it as \"CSV UTF-8\"";
    let bytes: &[u8] = &file.bytes;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        problems.push(format!("{}: the file is UTF-16; {SAVE_AS}", file.shown));
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = line_at(bytes, at);
        let hint = if bytes.iter().filter(|&&b| b == 0).count() * 4 > bytes.len() {
            format!(" (the file looks UTF-16; {SAVE_AS})")
        } else {
            String::new()
        };
        problems.push(format!("{}:{line}: NUL byte in the file{hint}", file.shown));
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            problems.push(format!(
                "{}:{}: not valid UTF-8 (byte 0x{:02X}); {SAVE_AS}",
                file.shown,
                line_at(bytes, at),
                bytes[at]
            ));
            return None;
        }
    };
    if text.trim().is_empty() {
        problems.push(format!(
            "{}: empty file; expected at least the header line: {}",
            file.shown,
            file.table.column_names().collect::<Vec<_>>().join(",")
        ));
        return None;
    }
    if text.contains('\r') {
        Some(Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")))
    } else {
        Some(Cow::Borrowed(text))
    }
}

fn line_at(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The csv crate reads an unclosed quote to the end of the file without complaint,
/// silently swallowing every row after it. Follow its quoting rules (a quote opens a
/// field only at the field's start) and report the line where an unclosed one opened.
fn unclosed_quote(text: &str) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut line = 1;
    let mut opened = 0;
    for c in text.chars() {
        state = match (state, c) {
            (State::FieldStart, '"') => {
                opened = line;
                State::Quoted
            }
            (State::Quoted, '"') => State::QuoteInQuoted,
            (State::QuoteInQuoted, '"') => State::Quoted,
            (State::Quoted, _) => State::Quoted,
            (_, ',' | '\n') => State::FieldStart,
            (_, _) => State::Unquoted,
        };
        if c == '\n' {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened)
}

fn parse_file(file: &SeedFile, problems: &mut Collector) -> Option<SeedTable> {
    let text = decode(file, problems)?;
    if let Some(line) = unclosed_quote(&text) {
        problems.push(format!(
            "{}:{line}: a quoted field opens here and never closes",
            file.shown
        ));
        return None;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            problems.push(format!("{}: {e}", file.shown));
            return None;
        }
        None => return None,
    };
    let order = map_header(file, &header, problems)?;
    let mut rows = Vec::new();
    for record in records {
        if problems.full() {
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("{}:{line}: {e}", file.shown));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != order.len() {
            problems.push(format!(
                "{}:{line}: expected {} fields, as in the header, found {}",
                file.shown,
                order.len(),
                record.len()
            ));
            continue;
        }
        let mut values = vec![Value::Null; file.table.columns.len()];
        let mut ok = true;
        for (cell, &index) in record.iter().zip(&order) {
            let column = &file.table.columns[index];
            match parse_cell(column, cell) {
                Ok(value) => values[index] = value,
                Err(why) => {
                    ok = false;
                    problems.push(format!(
                        "{}:{line}: column {}: {why}",
                        file.shown, column.name
                    ));
                }
            }
        }
        if ok {
            rows.push(SeedRow { line, values });
        }
    }
    Some(SeedTable {
        table: file.table,
        shown: file.shown.clone(),
        rows,
    })
}

/// Map each header field to its contract column; every column exactly once.
fn map_header(
    file: &SeedFile,
    header: &csv::StringRecord,
    problems: &mut Collector,
) -> Option<Vec<usize>> {
    let table = file.table;
    let expected = table.column_names().collect::<Vec<_>>().join(",");
    if header.len() == 1 {
        let only = &header[0];
        for sep in [';', '\t', '|'] {
            if only.contains(sep) {
                problems.push(format!(
                    "{}:1: the header is separated by {sep:?}; aiinfra reads comma-separated files: {expected}",
                    file.shown
                ));
                return None;
            }
        }
    }
    let mut order = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut ok = true;
    for (i, name) in header.iter().enumerate() {
        match table.columns.iter().position(|c| c.name == name) {
            Some(index) => {
                if let Some(first) = seen.insert(table.columns[index].name, i) {
                    problems.push(format!(
                        "{}:1: column {name} appears twice in the header (fields {} and {})",
                        file.shown,
                        first + 1,
                        i + 1
                    ));
                    ok = false;
                }
                order.push(index);
            }
            None => {
                let hint = suggest(name, table.column_names());
                problems.push(format!(
                    "{}:1: unknown column {name:?} in the header{hint} (expected: {expected})",
                    file.shown
                ));
                ok = false;
            }
        }
    }
    for column in table.columns {
        if !seen.contains_key(column.name) {
            problems.push(format!(
                "{}:1: the header lacks column {} (expected: {expected})",
                file.shown, column.name
            ));
            ok = false;
        }
    }
    ok.then_some(order)
}

/// Show a value in a message: quoted, control characters escaped, long ones cut.
pub fn show(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() > MAX {
        let cut: String = value.chars().take(MAX).collect();
        format!("{cut:?}… ({} characters)", value.chars().count())
    } else {
        format!("{value:?}")
    }
}

/// Validate one cell against its column and turn it into a SQLite value.
pub fn parse_cell(column: &Column, cell: &str) -> Result<Value, String> {
    if cell.trim().is_empty() {
        return if column.required {
            Err("required, but the cell is empty".into())
        } else {
            Ok(Value::Null)
        };
    }
    if column.kind == Kind::Text {
        return Ok(Value::Text(cell.trim().to_string()));
    }
    if cell.trim() != cell {
        return Err(format!(
            "surrounding whitespace in {}; remove it",
            show(cell)
        ));
    }
    let expected = |what: &str| format!("expected {what}, found {}", show(cell));
    match column.kind {
        Kind::Text => Ok(Value::Text(cell.to_string())),
        Kind::Slug => {
            let ok = cell
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
                && cell
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphanumeric());
            if ok {
                Ok(Value::Text(cell.to_string()))
            } else {
                Err(expected("an id of lowercase letters, digits, - and ."))
            }
        }
        Kind::Integer => parse_integer(cell).map(Value::Integer),
        Kind::Real => parse_real(cell).map(Value::Real),
        Kind::Bool => match cell.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Value::Integer(1)),
            "false" | "0" => Ok(Value::Integer(0)),
            _ => Err(expected("true or false")),
        },
        Kind::Year => match parse_integer(cell) {
            Ok(y) if (1900..=2100).contains(&y) && cell.len() == 4 => Ok(Value::Integer(y)),
            _ => Err(expected("a year between 1900 and 2100")),
        },
        Kind::Month => {
            if is_month(cell) {
                Ok(Value::Text(cell.to_string()))
            } else {
                Err(expected("a month as YYYY-MM"))
            }
        }
        Kind::Period => {
            if is_month(cell) || is_year(cell) || is_half_year(cell) {
                Ok(Value::Text(cell.to_string()))
            } else {
                Err(expected(
                    "a year (YYYY), a month (YYYY-MM) or a half-year (YYYY-H1, YYYY-H2)",
                ))
            }
        }
        Kind::Country | Kind::Currency => {
            let len = if column.kind == Kind::Country { 2 } else { 3 };
            if cell.len() == len && cell.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(Value::Text(cell.to_string()))
            } else {
                Err(expected(&format!(
                    "{len} capital letters ({})",
                    column.kind.describe()
                )))
            }
        }
        Kind::Enum(values) => {
            if values.contains(&cell) {
                Ok(Value::Text(cell.to_string()))
            } else {
                let hint = did_you_mean(cell, values.iter().copied())
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                Err(format!(
                    "expected one of: {}; found {}{hint}",
                    values.join(", "),
                    show(cell)
                ))
            }
        }
    }
}

fn is_year(s: &str) -> bool {
    s.len() == 4
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y))
}

fn is_half_year(s: &str) -> bool {
    matches!(s.split_once('-'), Some((y, "H1" | "H2")) if is_year(y))
}

fn is_month(s: &str) -> bool {
    match s.split_once('-') {
        Some((y, m)) => {
            is_year(y)
                && m.len() == 2
                && m.bytes().all(|b| b.is_ascii_digit())
                && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        }
        None => false,
    }
}

fn separator_hint(cell: &str) -> &'static str {
    if cell.contains(',') {
        "; write numbers without thousands separators"
    } else if !cell.is_ascii() {
        "; write plain ASCII digits, without units"
    } else {
        ""
    }
}

fn parse_integer(cell: &str) -> Result<i64, String> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        let what = if parse_real(cell).is_ok() {
            "a whole number"
        } else {
            "a number"
        };
        return Err(format!(
            "expected {what}, found {}{}",
            show(cell),
            separator_hint(cell)
        ));
    }
    cell.parse::<i64>()
        .map_err(|_| format!("number out of range: {}", show(cell)))
}

fn parse_real(cell: &str) -> Result<f64, String> {
    let body = cell.strip_prefix('-').unwrap_or(cell);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    let shape_ok =
        !int.is_empty() && digits(int) && digits(frac) && exponent_ok && !(mantissa.ends_with('.'));
    if !shape_ok {
        return Err(format!(
            "expected a number, found {}{}",
            show(cell),
            separator_hint(cell)
        ));
    }
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("number out of range: {}", show(cell))),
    }
}

/// "; did you mean X?" for the closest candidate, or nothing.
pub fn suggest<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    did_you_mean(input, candidates)
        .map(|s| format!("; did you mean {s}?"))
        .unwrap_or_default()
}

/// The closest candidate to `input`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // Jaro-Winkler favours a shared prefix (int8 → int8_tops); one edit catches short
    // ids (cm → cn) that it scores low.
    candidates
        .map(|c| {
            (
                strsim::jaro_winkler(input, c),
                strsim::levenshtein(input, c),
                c,
            )
        })
        .filter(|(score, edits, _)| *score > 0.8 || *edits <= 1)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, _, c)| c)
}

/// Ids must be unique across the whole knowledge base, and every link must name an id
/// of the table it points to.
fn check_ids(tables: &[SeedTable], problems: &mut Collector) {
    let mut ids: HashMap<&str, (&str, u64, &str)> = HashMap::new();
    for seed in tables {
        for row in &seed.rows {
            let Some(Value::Text(id)) = seed.get(row, "id") else {
                continue;
            };
            if let Some((file, line, _)) = ids.get(id.as_str()) {
                problems.push(format!(
                    "{}:{}: column id: {} is already used at {file}:{line}; ids are unique across the knowledge base",
                    seed.shown,
                    row.line,
                    show(id)
                ));
            } else {
                ids.insert(id, (&seed.shown, row.line, seed.table.name));
            }
        }
    }
    for seed in tables {
        for (index, column) in seed.table.columns.iter().enumerate() {
            let Some(target) = column.references else {
                continue;
            };
            for row in &seed.rows {
                let Value::Text(value) = &row.values[index] else {
                    continue;
                };
                let found = ids
                    .get(value.as_str())
                    .is_some_and(|(_, _, t)| *t == target);
                if found {
                    continue;
                }
                let in_target = ids
                    .iter()
                    .filter(|(_, (_, _, t))| *t == target)
                    .map(|(id, _)| *id);
                let hint = suggest(value, in_target);
                let missing = if tables.iter().any(|t| t.table.name == target) {
                    format!("no row of {target}.csv has this id")
                } else {
                    format!("{target}.csv did not load")
                };
                problems.push(format!(
                    "{}:{}: column {}: unknown id {} ({missing}{hint})",
                    seed.shown,
                    row.line,
                    column.name,
                    show(value)
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::contract;

    fn file(table: &str, text: &str) -> SeedFile {
        SeedFile {
            table: contract::table(table).unwrap(),
            shown: format!("seed/{table}.csv"),
            bytes: Cow::Owned(text.as_bytes().to_vec()),
        }
    }

    fn problems_of(table: &str, text: &str) -> Vec<String> {
        let mut c = Collector::default();
        let seed = parse_file(&file(table, text), &mut c);
        if let Some(seed) = seed {
            check_ids(&[seed], &mut c);
        }
        c.0
    }

    const CHIPS_HEADER: &str = "id,name_zh,name_en,vendor_zh,vendor_en,kind,process_nm,int8_tops,fp16_tflops,power_w,architecture,source_id,quote,note\n";

    fn chips(rows: &str) -> Vec<String> {
        problems_of("chips", &format!("{CHIPS_HEADER}{rows}"))
    }

    #[test]
    fn embedded_seeds_cover_the_contract() {
        let names: Vec<&str> = EMBEDDED.iter().map(|(n, _)| *n).collect();
        let tables: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        assert_eq!(names, tables);
    }

    #[test]
    fn embedded_seeds_are_valid() {
        let loaded = read(&Seeds::Embedded).unwrap_or_else(|p| panic!("{p}"));
        assert_eq!(loaded.tables.len(), TABLES.len());
        assert_eq!(loaded.checksum, embedded_checksum());
        assert_eq!(loaded.checksum.len(), 64);
    }

    #[test]
    fn number_problems_name_file_line_column_and_value() {
        let p = chips("a,甲,A,乙,B,training,7,12O,,,,table-1,q,\n");
        assert_eq!(
            p,
            ["seed/chips.csv:2: column int8_tops: expected a number, found \"12O\""]
        );
        let p = chips("a,甲,A,乙,B,training,7,\"1,200\",N/A,NaN,,table-1,q,\n");
        assert_eq!(
            p,
            [
                "seed/chips.csv:2: column int8_tops: expected a number, found \"1,200\"; write numbers without thousands separators",
                "seed/chips.csv:2: column fp16_tflops: expected a number, found \"N/A\"",
                "seed/chips.csv:2: column power_w: expected a number, found \"NaN\"",
            ]
        );
        let p = chips("a,甲,A,乙,B,training,7,inf,1e999,约200,,table-1,q,\n");
        assert_eq!(
            p,
            [
                "seed/chips.csv:2: column int8_tops: expected a number, found \"inf\"",
                "seed/chips.csv:2: column fp16_tflops: number out of range: \"1e999\"",
                "seed/chips.csv:2: column power_w: expected a number, found \"约200\"; write plain ASCII digits, without units",
            ]
        );
    }

    #[test]
    fn enums_required_fields_and_whitespace() {
        let p = chips("a,甲,A,乙,B,gpu,,,,,,table-1,,\n");
        assert_eq!(
            p,
            [
                "seed/chips.csv:2: column kind: expected one of: training, inference; found \"gpu\"",
                "seed/chips.csv:2: column quote: required, but the cell is empty",
            ]
        );
        let p = chips("a ,甲,A,乙,B,Training,,,,,,table-1,q,\n");
        assert_eq!(
            p,
            [
                "seed/chips.csv:2: column id: surrounding whitespace in \"a \"; remove it",
                "seed/chips.csv:2: column kind: expected one of: training, inference; found \"Training\" (did you mean training?)",
            ]
        );
    }

    #[test]
    fn header_problems() {
        let p = problems_of("sources", "id,kind,label_zh,label_zh,page,quote,notes\n");
        assert_eq!(
            p,
            [
                "seed/sources.csv:1: column label_zh appears twice in the header (fields 3 and 4)",
                "seed/sources.csv:1: unknown column \"notes\" in the header; did you mean note? (expected: id,kind,label_zh,label_en,page,quote,note)",
                "seed/sources.csv:1: the header lacks column label_en (expected: id,kind,label_zh,label_en,page,quote,note)",
                "seed/sources.csv:1: the header lacks column note (expected: id,kind,label_zh,label_en,page,quote,note)",
            ]
        );
        let p = problems_of("sources", "id;kind;label_zh;label_en;page;quote;note\n");
        assert_eq!(
            p,
            [
                "seed/sources.csv:1: the header is separated by ';'; aiinfra reads comma-separated files: id,kind,label_zh,label_en,page,quote,note"
            ]
        );
    }

    #[test]
    fn field_count_and_unclosed_quote() {
        let p = problems_of(
            "sources",
            "id,kind,label_zh,label_en,page,quote,note\nt,table,表,T,1\n",
        );
        assert_eq!(
            p,
            ["seed/sources.csv:2: expected 7 fields, as in the header, found 5"]
        );
        let text = "id,kind,label_zh,label_en,page,quote,note\nt,table,表,T,1,,\nu,table,\"表,T,1,,\nv,table,表,T,1,,\n";
        assert_eq!(
            problems_of("sources", text),
            ["seed/sources.csv:3: a quoted field opens here and never closes"]
        );
        // A quote inside an unquoted field is literal, and "" inside quotes is escaped.
        let text =
            "id,kind,label_zh,label_en,page,quote,note\nt,table,a\"b,\"say \"\"hi\"\"\",1,,\n";
        assert_eq!(problems_of("sources", text), Vec::<String>::new());
    }

    #[test]
    fn encodings() {
        let header = "id,kind,label_zh,label_en,page,quote,note\n";
        let row = "t,table,表,T,1,,";
        // BOM, CRLF, lone CR and no final newline are all accepted.
        for text in [
            format!("\u{feff}{header}{row}\n"),
            format!("{}{row}\r\n", header.replace('\n', "\r\n")),
            format!("{}{row}", header.replace('\n', "\r")),
        ] {
            let mut c = Collector::default();
            let seed = parse_file(&file("sources", &text), &mut c).unwrap();
            assert!(c.0.is_empty(), "{:?}", c.0);
            assert_eq!(seed.rows.len(), 1);
            assert_eq!(seed.rows[0].values[2], Value::Text("表".into()));
        }
        let mut c = Collector::default();
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(b"t,table,\xff,T,1,,\n");
        let f = SeedFile {
            table: contract::table("sources").unwrap(),
            shown: "x.csv".into(),
            bytes: Cow::Owned(bytes),
        };
        assert!(parse_file(&f, &mut c).is_none());
        assert_eq!(
            c.0,
            ["x.csv:2: not valid UTF-8 (byte 0xFF); save it as \"CSV UTF-8\""]
        );

        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(header.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let f = SeedFile {
            table: contract::table("sources").unwrap(),
            shown: "x.csv".into(),
            bytes: Cow::Owned(utf16),
        };
        let mut c = Collector::default();
        assert!(parse_file(&f, &mut c).is_none());
        assert_eq!(c.0, ["x.csv: the file is UTF-16; save it as \"CSV UTF-8\""]);

        assert_eq!(
            problems_of("sources", ""),
            [
                "seed/sources.csv: empty file; expected at least the header line: id,kind,label_zh,label_en,page,quote,note"
            ]
        );
        assert_eq!(
            problems_of("sources", "id,kind\0"),
            ["seed/sources.csv:1: NUL byte in the file"]
        );
    }

    #[test]
    fn duplicate_ids_name_both_lines_and_links_must_resolve() {
        let p = problems_of(
            "regions",
            "id,name_zh,name_en,level,parent_id,source_id,quote,note\n\
             cn,中国,China,country,,sec-1,q,\n\
             cn,中国,China,country,,sec-1,q,\n\
             zj,浙江,Zhejiang,province,cm,sec-1,q,\n",
        );
        assert_eq!(
            p,
            [
                "seed/regions.csv:3: column id: \"cn\" is already used at seed/regions.csv:2; ids are unique across the knowledge base",
                "seed/regions.csv:4: column parent_id: unknown id \"cm\" (no row of regions.csv has this id; did you mean cn?)",
                "seed/regions.csv:2: column source_id: unknown id \"sec-1\" (sources.csv did not load)",
                "seed/regions.csv:3: column source_id: unknown id \"sec-1\" (sources.csv did not load)",
                "seed/regions.csv:4: column source_id: unknown id \"sec-1\" (sources.csv did not load)",
            ]
        );
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "x".repeat(10_000_000);
        let p = chips(&format!("a,甲,A,乙,B,training,7,{long},,,,table-1,q,\n"));
        assert_eq!(p.len(), 1);
        assert!(p[0].len() < 200, "{}", p[0]);
        assert!(p[0].ends_with("… (10000000 characters)"), "{}", p[0]);
    }

    #[test]
    fn cells_of_every_kind() {
        let col = |kind| Column {
            name: "c",
            kind,
            required: false,
            references: None,
            unit: None,
            doc: "",
            qualifier: None,
        };
        assert_eq!(parse_cell(&col(Kind::Bool), "TRUE"), Ok(Value::Integer(1)));
        assert_eq!(parse_cell(&col(Kind::Bool), "0"), Ok(Value::Integer(0)));
        assert!(parse_cell(&col(Kind::Bool), "yes").is_err());
        assert_eq!(
            parse_cell(&col(Kind::Year), "2019"),
            Ok(Value::Integer(2019))
        );
        assert!(parse_cell(&col(Kind::Year), "20x9").is_err());
        assert!(parse_cell(&col(Kind::Year), "1800").is_err());
        assert!(parse_cell(&col(Kind::Month), "2021-6").is_err());
        assert!(parse_cell(&col(Kind::Month), "2021-13").is_err());
        assert_eq!(
            parse_cell(&col(Kind::Period), "2021"),
            Ok(Value::Text("2021".into()))
        );
        assert!(parse_cell(&col(Kind::Country), "cn").is_err());
        assert_eq!(
            parse_cell(&col(Kind::Real), "-1.5e3"),
            Ok(Value::Real(-1500.0))
        );
        assert!(parse_cell(&col(Kind::Real), "1.").is_err());
        assert_eq!(
            parse_cell(&col(Kind::Integer), "-7"),
            Ok(Value::Integer(-7))
        );
        assert_eq!(
            parse_cell(&col(Kind::Integer), "1.5"),
            Err("expected a whole number, found \"1.5\"".into())
        );
        assert_eq!(
            parse_cell(&col(Kind::Text), "  padded "),
            Ok(Value::Text("padded".into()))
        );
        assert!(parse_cell(&col(Kind::Slug), "Zhejiang").is_err());
        assert!(parse_cell(&col(Kind::Slug), "-x").is_err());
    }
}
