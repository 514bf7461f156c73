//! Seed loading: CSV files → validated rows → SQLite.
//!
//! Every problem an analyst can make in a CSV is reported here with `file:line`, the
//! column and the value, and many are collected before the load stops, as a compiler
//! does. Nothing is inserted unless every file is valid. It owns parsing and
//! validation against the contract; it never decides where output goes.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::types::Value;

use super::contract::{TABLES, Table};

mod cells;
mod decode;
mod header;
mod links;
mod parts;

pub use cells::parse_cell;
use parts::{Collector, MAX_PROBLEMS, SeedFile};
pub use parts::{SeedRow, SeedTable};

/// The largest seed file read: the biggest real one is about 40 KB.
pub const MAX_SEED_BYTES: u64 = 16 * 1024 * 1024;

/// Where seed CSVs come from.
#[derive(Debug, Clone)]
pub enum Seeds {
    /// The CSVs compiled into the binary, shown as `seed/<table>.csv`.
    Embedded,
    /// A directory holding one `<table>.csv` per table.
    Dir(PathBuf),
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
    crate::text::hex(&hash.finalize())
}

/// SHA-256 over every value of every table, tables in contract order and rows in the
/// order they were loaded: what a database built from seeds must still hold. `db build`
/// records it (`aiinfra_meta.content_sha256`) and `db check` recomputes it from a file.
pub fn content_checksum<'a, R: AsRef<[Value]> + 'a>(
    tables: impl Iterator<Item = (&'a str, &'a [R])>,
) -> String {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    // A table with no rows adds nothing, so that a file read through an upgrade (whose
    // new tables are empty) still matches what was built into it.
    for (name, rows) in tables.filter(|(_, rows)| !rows.is_empty()) {
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update((rows.len() as u64).to_le_bytes());
        for row in rows {
            for value in row.as_ref() {
                match value {
                    Value::Null => hash.update([0]),
                    Value::Integer(n) => {
                        hash.update([1]);
                        hash.update(n.to_le_bytes());
                    }
                    Value::Real(x) => {
                        hash.update([2]);
                        hash.update(x.to_bits().to_le_bytes());
                    }
                    Value::Text(s) => {
                        hash.update([3]);
                        hash.update((s.len() as u64).to_le_bytes());
                        hash.update(s.as_bytes());
                    }
                    Value::Blob(b) => {
                        hash.update([4]);
                        hash.update((b.len() as u64).to_le_bytes());
                        hash.update(b);
                    }
                }
            }
        }
    }
    crate::text::hex(&hash.finalize())
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
    links::check_ids(&tables, &mut problems);
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

/// The embedded seed of a table (the build script lists one per contract table).
pub fn embedded(table: &str) -> Option<&'static [u8]> {
    super::embedded::EMBEDDED
        .iter()
        .find(|(n, _)| *n == table)
        .map(|(_, b)| *b)
}

/// Insert validated tables, and where they came from, into a migrated database, all in
/// one transaction.
pub fn insert(conn: &mut Connection, loaded: &Loaded) -> anyhow::Result<()> {
    let tables = &loaded.tables;
    let tx = conn.transaction()?;
    let content = content_checksum(tables.iter().map(|t| (t.table.name, t.rows.as_slice())));
    tx.execute(
        "INSERT INTO aiinfra_meta (key, value) VALUES ('aiinfra_version', ?1), ('data_edition', ?2), ('data_checksum', ?3), ('seeds', ?4), ('content_sha256', ?5)",
        [env!("CARGO_PKG_VERSION"), DATA_EDITION, &loaded.checksum, loaded.origin, &content],
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
    // The report as data, from these rows' sources and quotes.
    super::derived::fill(&tx)?;
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
                let bytes = embedded(table.name)?;
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
    // An export's report tables (passages.csv) are derived again from the report,
    // never read: a folder `db export` wrote loads back as it is.
    let derived: Vec<String> = super::contract::REPORT_TABLES
        .iter()
        .map(|t| format!("{}.csv", t.name))
        .collect();
    for name in present
        .iter()
        .filter(|n| !expected.contains(n) && !derived.contains(n))
    {
        let hint = crate::text::suggest(name, expected.iter().map(|s| s.as_str()));
        problems.push(format!(
            "{}: not a table of aiinfra{hint} (tables: {})",
            dir.join(name).display(),
            TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
        ));
    }
    let mut files = Vec::new();
    for table in TABLES {
        let path = dir.join(format!("{}.csv", table.name));
        if !path.exists() && std::fs::symlink_metadata(&path).is_err() {
            problems.push(format!(
                "{}: missing; every table needs its file, with at least the header line",
                path.display()
            ));
            continue;
        }
        match crate::input::read(&path, MAX_SEED_BYTES) {
            Ok(bytes) => files.push(SeedFile {
                table,
                shown: path.display().to_string(),
                bytes: Cow::Owned(bytes),
            }),
            Err(why) => problems.push(format!("{}: cannot read: {why}", path.display())),
        }
    }
    files
}

fn parse_file(file: &SeedFile, problems: &mut Collector) -> Option<SeedTable> {
    let text = decode::decode(file, problems)?;
    if let Some(line) = decode::unclosed_quote(&text) {
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
    let order = header::map_header(file, &header, problems)?;
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
        for why in cells::check_row(file.table, &values) {
            ok = false;
            problems.push(format!("{}:{line}: {why}", file.shown));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::contract::{self, Column, Kind};
    use links::check_ids;

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
        let names: Vec<&str> = crate::db::embedded::EMBEDDED
            .iter()
            .map(|(n, _)| *n)
            .collect();
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
        let long = "x".repeat(100_000);
        let p = chips(&format!("a,甲,A,乙,B,training,7,{long},,,,table-1,q,\n"));
        assert_eq!(p.len(), 1);
        assert!(p[0].len() < 200, "{}", p[0]);
        assert!(p[0].ends_with("… (100000 characters)"), "{}", p[0]);
        // Issue 16 (M6): a cell longer than any value may be is refused at once,
        // naming file, line and column.
        let huge = "x".repeat(2 << 20);
        let p = chips(&format!("a,甲,A,乙,B,training,7,1,,,,table-1,{huge},\n"));
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("seed/chips.csv:2: column quote: the cell is 2097152 bytes"),
            "{}",
            p[0]
        );
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
            min: None,
            unit_column: None,
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
        assert_eq!(parse_cell(&col(Kind::Real), "1."), Ok(Value::Real(1.0)));
        assert!(parse_cell(&col(Kind::Real), "1..").is_err());
        assert_eq!(
            parse_cell(&col(Kind::Period), "2020-H1"),
            Ok(Value::Text("2020-H1".into()))
        );
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
