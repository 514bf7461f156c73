//! Rows → table | csv | tsv | json | jsonl | markdown, written to any `io::Write`
//! (a workbook is `xlsx`'s, an SVG chart `chart`'s).
//!
//! The one renderer: every command's rows come through here, so every command gets
//! every format. Hidden columns (qualifiers carried for a mark) are never written. It
//! never decides where output goes and never runs a query.

use std::borrow::Cow;
use std::io::{self, Write};

use clap::ValueEnum;
use rusqlite::types::Value;
use unicode_width::UnicodeWidthStr;

use super::table::{Fitted, Give, Laid, cell_width, cut, fit, wrap};
use super::{Rows, shape};
use crate::db::contract::Kind;
use crate::units::{self, Digits, Style};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// aligned table for reading in a terminal
    Table,
    /// comma-separated values (RFC 4180) with a header row
    Csv,
    /// tab-separated values with a header row; tab, newline and \ escaped
    Tsv,
    /// one JSON array of objects
    Json,
    /// one JSON object per line
    Jsonl,
    /// a GitHub-flavoured Markdown table
    Markdown,
    /// an Excel workbook: typed cells, a frozen header, and a notes sheet with the citation (to a file or a pipe)
    Xlsx,
    /// a chart as an SVG image (with --chart)
    Svg,
}

impl Format {
    /// The file name extensions that say a format, each format's first the usual one.
    pub const EXTENSIONS: &[(&str, Format)] = &[
        ("csv", Format::Csv),
        ("tsv", Format::Tsv),
        ("tab", Format::Tsv),
        ("json", Format::Json),
        ("jsonl", Format::Jsonl),
        ("ndjson", Format::Jsonl),
        ("md", Format::Markdown),
        ("markdown", Format::Markdown),
        ("xlsx", Format::Xlsx),
        ("svg", Format::Svg),
        ("txt", Format::Table),
    ];

    /// The format a file name's extension asks for, if any.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::EXTENSIONS
            .iter()
            .find(|(e, _)| *e == ext)
            .map(|&(_, f)| f)
    }

    /// The format's name as `--format` takes it.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }

    /// Whether this is text (every format but a workbook).
    pub fn is_text(self) -> bool {
        self != Format::Xlsx
    }

    /// The usual extension of a format (`txt` for the table).
    pub fn extension(self) -> &'static str {
        Format::EXTENSIONS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("txt", |(e, _)| e)
    }

    /// `.csv .tsv .json .jsonl .md .xlsx .svg or .txt`: the usual extension of each.
    pub fn known_extensions() -> String {
        let mut seen: Vec<Format> = Vec::new();
        let mut names = Vec::new();
        for &(ext, format) in Format::EXTENSIONS {
            if !seen.contains(&format) {
                seen.push(format);
                names.push(format!(".{ext}"));
            }
        }
        let last = names.pop().unwrap_or_default();
        format!("{} or {last}", names.join(" "))
    }

    /// The format as a noun with its article, for messages: "a workbook", "an SVG".
    pub fn article(self) -> String {
        match self {
            Format::Xlsx => "a workbook".into(),
            Format::Svg => "an SVG".into(),
            Format::Table => "a table".into(),
            other => format!("{} text", other.name()),
        }
    }

    /// The formats of text (for output that is not rows: no workbook, no chart): the
    /// first of `ALL`.
    pub const TEXT: &[Format] = Format::ALL.split_at(6).0;

    /// Every format, the text ones first.
    pub const ALL: &[Format] = &[
        Format::Table,
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Jsonl,
        Format::Markdown,
        Format::Xlsx,
        Format::Svg,
    ];
}

/// How to render.
#[derive(Debug, Clone)]
pub struct Options {
    pub format: Format,
    /// CSV/TSV for Excel: a UTF-8 byte-order mark and CRLF line ends.
    pub excel: bool,
    /// Fit the table into this many columns; `None` shows every cell whole.
    pub width: Option<usize>,
    /// Wrap long text inside its cell (a record, a profile) rather than cut it.
    pub wrap: bool,
    /// How table output writes large numbers (`1.75T` or `1.75万亿`).
    pub numbers: Style,
    /// Colour the table's header (ANSI escapes).
    pub color: bool,
    /// Which columns matter most when a table must drop some to fit (a view's order;
    /// `name_*` for either language); `None`: by kind.
    pub priority: Option<&'static [&'static str]>,
    /// The columns the question named (`--columns`, `--sort`, `--count-by`, a range
    /// filter): they stay in the table, before others are dropped for width, and never
    /// move out for being the same in every row.
    pub asked: Vec<String>,
    /// Text columns a view wants at least this wide (a profile's quotes).
    pub least: &'static [(&'static str, usize)],
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: Format::Table,
            excel: false,
            width: None,
            wrap: false,
            numbers: Style::Chinese,
            color: false,
            priority: None,
            asked: Vec::new(),
            least: &[],
        }
    }
}

/// What a table had to leave out to fit its width: columns it hid, and whether it cut
/// ids or numbers (the last resort).
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub hidden: Vec<String>,
    pub squeezed: bool,
    /// Cells of more lines than a table shows, cut.
    pub cut_lines: usize,
}

/// Render `rows` into `out`; what a table had to leave out to fit its width.
pub fn render(rows: &Rows, opts: &Options, out: &mut dyn Write) -> io::Result<Shown> {
    match opts.format {
        Format::Table => return table(rows, opts, out),
        Format::Csv | Format::Tsv | Format::Jsonl => render_part(rows, opts, true, out),
        Format::Json => json(rows, out),
        Format::Markdown => markdown(rows, out),
        // A workbook needs the notes sheet, an SVG a chart: the caller makes those
        // (output::xlsx, output::chart), never this function.
        Format::Xlsx | Format::Svg => Err(io::Error::other(format!(
            "{} output is not rendered from rows alone",
            opts.format.name()
        ))),
    }?;
    Ok(Shown::default())
}

/// The formats whose rows can be written as they are read, a part at a time: CSV, TSV
/// and JSON Lines (a record a line, nothing around them).
pub fn streams(format: Format) -> bool {
    matches!(format, Format::Csv | Format::Tsv | Format::Jsonl)
}

/// One part of rows in a format that `streams`: the first part with its header (and
/// the byte-order mark `--excel` adds), every later one without, so that the parts
/// written in turn are the rows rendered whole.
pub fn render_part(
    rows: &Rows,
    opts: &Options,
    first: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match opts.format {
        Format::Csv => delimited(rows, b',', opts.excel, first, out),
        Format::Tsv => tsv(rows, opts.excel, first, out),
        Format::Jsonl => jsonl(rows, out),
        other => Err(io::Error::other(format!(
            "{} output is not written a part at a time",
            other.name()
        ))),
    }
}

/// A value as text, with no column to say how to show it.
pub fn plain(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => crate::units::shortest(*x),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => format!("x'{}'", crate::text::hex(b)),
    }
}

/// A cell as text, the same in every text format (borrowed where it is text already:
/// a 10,000-row CSV copies no cell).
fn text<'a>(rows: &Rows, col: usize, value: &'a Value) -> Cow<'a, str> {
    match value {
        Value::Integer(n) if rows.columns[col].is_bool() => Cow::Owned((*n != 0).to_string()),
        Value::Text(s) => Cow::Borrowed(s),
        other => Cow::Owned(plain(other)),
    }
}

/// A cell for a spreadsheet program: text that begins like a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading apostrophe, so that the program
/// shows it as text and never runs it (OWASP's advice on CSV injection). Numbers are
/// numbers, and stay as they are.
fn spreadsheet_text<'a>(rows: &Rows, col: usize, value: &'a Value) -> Cow<'a, str> {
    let shown = text(rows, col, value);
    match value {
        Value::Text(_) => defused(shown),
        _ => shown,
    }
}

/// Text that begins like a formula, with a leading apostrophe.
fn defused(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

fn is_number(v: &Value) -> bool {
    matches!(v, Value::Integer(_) | Value::Real(_))
}

/// A cell as table output shows it: numbers human-sized (except years and booleans)
/// and marked by their qualifier; whether to right-align it.
fn table_text<'a>(
    rows: &Rows,
    row: &'a [Value],
    col: usize,
    numbers: Style,
    digits: Digits,
) -> (Cow<'a, str>, bool) {
    let kind = rows.columns[col].kind;
    let plain_number = matches!(kind, Some(Kind::Year | Kind::Bool))
        || rows.columns[col].name == crate::rows::PAGE;
    let value = &row[col];
    let shown = match value {
        Value::Integer(n) if !plain_number => units::human_as(*n as f64, numbers, digits),
        Value::Real(x) if !plain_number => units::human_as(*x, numbers, digits),
        other => {
            return (
                text(rows, col, other),
                is_number(other) && !rows.columns[col].is_bool(),
            );
        }
    };
    (Cow::Owned(format!("{}{shown}", rows.mark(row, col))), true)
}

/// How a column gives way to a narrow terminal: free text shrinks, the rest (ids,
/// numbers, codes, dates) does not.
fn give(rows: &Rows, col: usize) -> Give {
    if rows.is_free_text(col) {
        Give::Text
    } else {
        Give::Never
    }
}

/// How much a column matters when some must go: the first column, names, numbers and
/// free text most (0), units and dates next (1), codes, kinds and links last (2).
fn rank(rows: &Rows, col: usize, priority: Option<&[&str]>) -> u8 {
    let column = &rows.columns[col];
    if let Some(order) = priority {
        // The view says what matters; a name with `*` stands for either language's.
        let at = order.iter().position(|p| match p.strip_suffix('*') {
            Some(stem) => column.name.starts_with(stem),
            None => column.name == *p,
        });
        return at.unwrap_or(order.len()).min(u8::MAX as usize) as u8;
    }
    let numeric = rows.data.iter().any(|r| is_number(&r[col])) && !column.is_bool();
    // The row's name: the first text column in the rows' languages (name_zh, metric_en,
    // title_zh); other text (an organisation, a publisher) gives way before it.
    let name = rows
        .visible()
        .find(|&i| {
            let n = &rows.columns[i].name;
            n.ends_with("_zh") || n.ends_with("_en")
        })
        .is_some_and(|first| first == col);
    match column.kind {
        // The page of the source, like the source itself, gives way first.
        _ if column.extra => 2,
        _ if col == 0 || column.name == "id" || name => 0,
        Some(Kind::Integer | Kind::Real) => 0,
        None if numeric => 0,
        Some(Kind::Text) => 1,
        None if give(rows, col) == Give::Text => 1,
        Some(Kind::Year | Kind::Month | Kind::Period) => 1,
        _ if column.name == "unit" => 1,
        _ => 2,
    }
}

/// The widest a column is padded to where a table is not fitted to a width (a pipe, a
/// file, `--wide`): a longer cell is written whole, past its column, rather than every
/// other cell of the column padded to it, so that the bytes written grow with the
/// result, never with padding.
pub const PAD_CAP: usize = 120;

/// The most lines of a cell a table shows (the rest is said in its last line); csv and
/// json carry every cell whole.
pub const MAX_CELL_LINES: usize = 1000;

/// A cell as a table writes it: its text (with the unit where the column's varies
/// row by row, and a ratio where it has one), made safe for a terminal, tabs as
/// spaces; whether it is a number. Borrowed where the value is such text already.
fn table_cell<'a>(
    rows: &Rows,
    opts: &Options,
    plan: &Layout,
    row: &'a [Value],
    i: usize,
) -> (Cow<'a, str>, bool) {
    let (mut shown, numeric) = table_text(rows, row, i, opts.numbers, plan.digits[i]);
    // A number whose unit varies row by row carries it in its cell.
    if let (Some(u), false) = (rows.columns[i].unit_from, plan.unit_in_header[i]) {
        let unit = plain(&row[u]);
        if !unit.is_empty() && !matches!(row[i], Value::Null) {
            shown = Cow::Owned(format!("{shown} {unit}"));
        }
    }
    // A record's number compared with the first record's carries the ratio.
    if let Some(r) = rows.columns[i].ratio
        && let Value::Real(x) = row[r]
    {
        shown = Cow::Owned(format!(
            "{shown} ×{}{}",
            rows.mark(row, r),
            units::shortest(x)
        ));
    }
    // Most cells are safe as they are and hold no tab: they are kept, not copied.
    let changed = match crate::text::safe(&shown) {
        Cow::Borrowed(_) if !shown.contains('\t') => None,
        other => Some(other.replace('\t', " ")),
    };
    (changed.map_or(shown, Cow::Owned), numeric)
}

/// A table, written row by row as it is made: the cells are formatted once to measure
/// the columns (and fit them to the width), then again as each line is written, so
/// that memory holds the rows, never the text of the whole table.
fn table(rows: &Rows, opts: &Options, out: &mut dyn Write) -> io::Result<Shown> {
    let plan = layout(rows, opts);
    let visible = &plan.columns;
    // A transposed record says which of its values are ids and numbers.
    let whole_flag = rows
        .columns
        .iter()
        .position(|c| c.hidden && c.name == crate::rows::WHOLE);
    // The flag is about the values (a record's), not about text the contract
    // describes beside them (a column's meaning).
    let is_whole = |row: &[Value], i: usize, give: Give, numeric: bool| {
        give == Give::Never
            || numeric
            || (rows.columns[i].kind.is_none()
                && whole_flag.is_some_and(|f| matches!(row[f], Value::Integer(1))))
    };
    let mut columns: Vec<Laid> = visible
        .iter()
        .zip(&plan.headers)
        .map(|(&i, name)| {
            let mut laid = Laid::new(
                crate::text::safe(name).replace('\t', " "),
                give(rows, i),
                if opts.asked.contains(&rows.columns[i].name) {
                    0
                } else {
                    rank(rows, i, opts.priority)
                },
            );
            laid.least = opts
                .least
                .iter()
                .find(|(n, _)| *n == rows.columns[i].name)
                .map(|(_, w)| *w);
            laid
        })
        .collect();
    for row in &rows.data {
        crate::guard::checkpoint("laying out the table")?;
        for (k, &i) in visible.iter().enumerate() {
            let (shown, numeric) = table_cell(rows, opts, &plan, row, i);
            let whole = is_whole(row, visible[k], columns[k].give, numeric);
            columns[k].add(&shown, whole);
        }
    }
    let fitted = match opts.width {
        Some(width) => fit(&columns, width),
        None => Fitted {
            kept: (0..columns.len()).collect(),
            widths: columns.iter().map(|c| c.natural.min(PAD_CAP)).collect(),
            ..Fitted::default()
        },
    };
    let kept = &fitted.kept;
    let hidden: Vec<String> = (0..columns.len())
        .filter(|k| !kept.contains(k))
        .map(|k| columns[k].header.clone())
        .collect();
    // A cell wider than its fitted column: text wraps (a record, a profile) or is cut;
    // an id or a number is cut only when the table could not fit otherwise. Without a
    // width, cells stay whole. `None`: the cell as it is.
    let reshaped = |pos: usize, text: &str, whole: bool| -> Option<String> {
        match (opts.width, fitted.widths.get(pos)) {
            (Some(_), Some(&w)) if cell_width(text) > w => {
                Some(if opts.wrap && !whole {
                    wrap(text, w)
                } else if !whole {
                    // In a list, text takes a second line before it is cut.
                    let wrapped = wrap(text, w);
                    let mut lines = wrapped.lines();
                    let first = lines.next().unwrap_or("").to_string();
                    match (lines.next(), lines.next()) {
                        (Some(second), None) => format!("{first}\n{second}"),
                        // More follows: the second line ends with `…`.
                        (Some(second), Some(_)) => {
                            format!("{first}\n{}", cut(&format!("{second}…"), w))
                        }
                        _ => first,
                    }
                } else {
                    cut(text, w)
                })
            }
            _ => None,
        }
    };
    let shaped_width = |pos: usize, text: &str, whole: bool| -> usize {
        reshaped(pos, text, whole).map_or_else(|| cell_width(text), |t| cell_width(&t))
    };
    // The width each kept column is drawn at: fitted, its widest shaped cell (and
    // header); else its widest cell up to the cap.
    let widths: Vec<usize> = if opts.width.is_some() {
        let mut widths: Vec<usize> = kept
            .iter()
            .enumerate()
            .map(|(pos, &k)| shaped_width(pos, &columns[k].header, true))
            .collect();
        for row in &rows.data {
            crate::guard::checkpoint("laying out the table")?;
            for (pos, &k) in kept.iter().enumerate() {
                let (shown, numeric) = table_cell(rows, opts, &plan, row, visible[k]);
                let whole = is_whole(row, visible[k], columns[k].give, numeric);
                widths[pos] = widths[pos].max(shaped_width(pos, &shown, whole));
            }
        }
        widths
    } else {
        fitted.widths.clone()
    };
    let border = |left: &str, fill: &str, mid: &str, right: &str| -> String {
        let parts: Vec<String> = widths.iter().map(|w| fill.repeat(w + 2)).collect();
        format!("{left}{}{right}\n", parts.join(mid))
    };
    out.write_all(border("┌", "─", "┬", "┐").as_bytes())?;
    let header: Vec<(Cow<'_, str>, bool)> = kept
        .iter()
        .enumerate()
        .map(|(pos, &k)| {
            let header = &columns[k].header;
            let shown =
                reshaped(pos, header, true).map_or(Cow::Borrowed(header.as_str()), Cow::Owned);
            (shown, false)
        })
        .collect();
    write_row(out, &header, &widths, opts.color)?;
    out.write_all(border("╞", "═", "╪", "╡").as_bytes())?;
    let mut cut_lines = 0;
    for row in &rows.data {
        crate::guard::checkpoint("writing the table")?;
        let cells: Vec<(Cow<'_, str>, bool)> = kept
            .iter()
            .enumerate()
            .map(|(pos, &k)| {
                let (shown, numeric) = table_cell(rows, opts, &plan, row, visible[k]);
                let whole = is_whole(row, visible[k], columns[k].give, numeric);
                (
                    reshaped(pos, &shown, whole).map_or(shown, Cow::Owned),
                    numeric,
                )
            })
            .collect();
        cut_lines += write_row(out, &cells, &widths, false)?;
    }
    out.write_all(border("└", "─", "┴", "┘").as_bytes())?;
    // What is the same in every row is said once, under the table.
    if !plan.footer.is_empty() {
        let line = crate::text::safe(&plan.footer.join(" · ")).into_owned();
        let line = match opts.width {
            Some(width) => wrap(&line, width),
            None => line,
        };
        writeln!(out, "{line}")?;
    }
    Ok(Shown {
        hidden,
        squeezed: fitted.squeezed,
        cut_lines,
    })
}

/// How a table lays out its rows before fitting them: which columns it shows (a unit
/// column folded into the number it measures; a column the same in every row said once
/// under the table), each header with its unit, each number column's way of writing
/// its digits.
struct Layout {
    /// The columns shown, in order (indices into the rows' columns).
    columns: Vec<usize>,
    /// Their headers: the name, and the unit where the column has one.
    headers: Vec<String>,
    /// By column index: how its numbers are written.
    digits: Vec<Digits>,
    /// By column index: whether its row-by-row unit is the same in every row, and so
    /// said in its header.
    unit_in_header: Vec<bool>,
    /// `name: value` of the columns the same in every row.
    footer: Vec<String>,
}

/// Whether a column's name already says its unit (a count noun such as `stars` in
/// `github_stars`, `parameters` for `params`); a unit symbol (`TOPS`, `W`, `%`) is
/// always said.
fn said_by_name(name: &str, unit: &str) -> bool {
    let noun = unit.chars().all(|c| c.is_ascii_lowercase());
    let stem: String = unit.chars().take(5).collect();
    noun && (name.contains(unit)
        || name
            .split('_')
            .any(|w| w.len() >= 5 && unit.starts_with(w) || w.starts_with(&stem)))
}

fn layout(rows: &Rows, opts: &Options) -> Layout {
    let visible: Vec<usize> = rows.visible().collect();
    let names = rows.shown_names();
    let n = rows.columns.len();
    let mut digits = vec![Digits::Grouped; n];
    for (i, d) in digits.iter_mut().enumerate() {
        let max = rows
            .data
            .iter()
            .filter_map(|r| match r[i] {
                Value::Integer(x) => Some((x as f64).abs()),
                Value::Real(x) if x.is_finite() => Some(x.abs()),
                _ => None,
            })
            .fold(0.0, f64::max);
        *d = Digits::for_max(max, opts.numbers);
    }
    // The one value a column holds in every row that has one, if so.
    let same = |i: usize| -> Option<Option<Value>> {
        let mut seen: Option<&Value> = None;
        for row in &rows.data {
            match (&row[i], seen) {
                (Value::Null, _) => {}
                (v, None) => seen = Some(v),
                (v, Some(s)) if shape::compare(v, s) == std::cmp::Ordering::Equal => {}
                _ => return None,
            }
        }
        Some(seen.cloned())
    };
    let mut unit_in_header = vec![false; n];
    let mut folded: Vec<usize> = Vec::new();
    for &i in &visible {
        if let Some(u) = rows.columns[i].unit_from {
            // Rows whose number has a unit: all the same unit goes in the header.
            let units: Vec<&Value> = rows
                .data
                .iter()
                .filter(|r| !matches!(r[i], Value::Null))
                .map(|r| &r[u])
                .collect();
            unit_in_header[i] = !units.is_empty()
                && !matches!(units[0], Value::Null)
                && units.iter().all(|v| *v == units[0]);
            if visible.contains(&u) {
                folded.push(u);
            }
        }
        // A ratio is written after the number it is of.
        if let Some(r) = rows.columns[i].ratio
            && visible.contains(&r)
        {
            folded.push(r);
        }
    }
    let stays = |i: usize| {
        let name = rows.columns[i].name.as_str();
        i == visible[0]
            || name == "id"
            || name.ends_with("_zh")
            || name.ends_with("_en")
            || opts.asked.iter().any(|a| a == name)
    };
    let mut footer = Vec::new();
    let mut moved: Vec<usize> = Vec::new();
    // With two rows or more, and never in a record (field and value).
    let record = rows.columns.iter().any(|c| c.name == crate::rows::WHOLE);
    if rows.data.len() >= 2 && !record {
        for &i in &visible {
            if folded.contains(&i) || stays(i) {
                continue;
            }
            let Some(value) = same(i) else { continue };
            // A number some rows lack is a value of the rows that have it: it stays.
            let gaps = rows.data.iter().any(|r| matches!(r[i], Value::Null));
            let number = matches!(rows.columns[i].kind, Some(Kind::Integer | Kind::Real))
                || rows.data.iter().any(|r| is_number(&r[i]));
            // Other values some rows lack are said once only when most rows have them
            // (a currency: "(one row has none)"), never a value of a few rows.
            let empty = rows
                .data
                .iter()
                .filter(|r| matches!(r[i], Value::Null))
                .count();
            if value.is_some() && gaps && (number || empty * 2 >= rows.data.len()) {
                continue;
            }
            let name = &rows.columns[i].name;
            let said = match value {
                None => format!("{name}: none"),
                Some(v) => {
                    let row: Vec<Value> = rows
                        .data
                        .iter()
                        .find(|r| !matches!(r[i], Value::Null))
                        .cloned()
                        .unwrap_or_default();
                    let (text, _) = if row.is_empty() {
                        (plain(&v), false)
                    } else {
                        let (text, numeric) = table_text(rows, &row, i, opts.numbers, digits[i]);
                        (text.into_owned(), numeric)
                    };
                    let empty = rows
                        .data
                        .iter()
                        .filter(|r| matches!(r[i], Value::Null))
                        .count();
                    match empty {
                        0 => format!("{name}: {text}"),
                        1 => format!("{name}: {text} (one row has none)"),
                        k => format!("{name}: {text} ({k} rows have none)"),
                    }
                }
            };
            footer.push(said);
            moved.push(i);
        }
    }
    let mut columns = Vec::new();
    let mut headers = Vec::new();
    for (k, &i) in visible.iter().enumerate() {
        if folded.contains(&i) || moved.contains(&i) {
            continue;
        }
        let column = &rows.columns[i];
        let unit = if unit_in_header[i] {
            rows.data
                .iter()
                .find(|r| !matches!(r[i], Value::Null))
                .and_then(|r| column.unit_from.map(|u| plain(&r[u])))
        } else if matches!(column.kind, Some(Kind::Integer | Kind::Real)) {
            column
                .unit
                .filter(|u| !said_by_name(&column.name, u))
                .map(str::to_string)
        } else {
            None
        };
        headers.push(match unit {
            Some(unit) if !unit.is_empty() => format!("{} ({unit})", names[k]),
            _ => names[k].clone(),
        });
        columns.push(i);
    }
    Layout {
        columns,
        headers,
        digits,
        unit_in_header,
        footer,
    }
}

/// One row of a table, its cells padded to their columns (numbers to the right), each
/// cell's lines side by side; a cell of more than `MAX_CELL_LINES` lines is cut, and
/// its last line says how many more there were. How many cells were cut so.
fn write_row(
    out: &mut dyn Write,
    cells: &[(Cow<'_, str>, bool)],
    widths: &[usize],
    header: bool,
) -> io::Result<usize> {
    let split: Vec<Vec<&str>> = cells
        .iter()
        .map(|(text, _)| {
            let lines: Vec<&str> = text.split('\n').collect();
            if lines.is_empty() { vec![""] } else { lines }
        })
        .collect();
    let height = split.iter().map(Vec::len).max().unwrap_or(1);
    let shown = height.min(MAX_CELL_LINES);
    let mut line = String::new();
    for n in 0..shown {
        line.clear();
        line.push('│');
        for (k, lines) in split.iter().enumerate() {
            if k > 0 {
                line.push('┆');
            }
            let owned;
            let text: &str = if n == MAX_CELL_LINES - 1 && lines.len() > MAX_CELL_LINES {
                owned = format!("… ({} more lines)", lines.len() - (MAX_CELL_LINES - 1));
                &owned
            } else {
                lines.get(n).copied().unwrap_or("")
            };
            let pad = widths[k].saturating_sub(UnicodeWidthStr::width(text));
            let right = cells[k].1;
            if header {
                line.push_str("\x1b[38;5;14m\x1b[1m ");
            } else {
                line.push(' ');
            }
            if right {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(text);
            } else {
                line.push_str(text);
                line.extend(std::iter::repeat_n(' ', pad));
            }
            line.push(' ');
            if header {
                line.push_str("\x1b[0m");
            }
        }
        line.push_str("│\n");
        out.write_all(line.as_bytes())?;
    }
    Ok(split.iter().filter(|l| l.len() > MAX_CELL_LINES).count())
}

fn delimited(
    rows: &Rows,
    sep: u8,
    excel: bool,
    header: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if excel && header {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let terminator = if excel {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(sep)
        .terminator(terminator)
        .from_writer(out);
    // The header too: a column named `=HYPERLINK(…)` (any SQL can name one) is a
    // formula to a spreadsheet program like any cell.
    let names = rows.shown_names().into_iter().map(|n| {
        if excel {
            defused(Cow::Owned(n)).into_owned()
        } else {
            n
        }
    });
    if header {
        w.write_record(names).map_err(io_error)?;
    }
    let visible: Vec<usize> = rows.visible().collect();
    for row in &rows.data {
        let cell = |i: usize| {
            if excel {
                spreadsheet_text(rows, i, &row[i])
            } else {
                text(rows, i, &row[i])
            }
        };
        // Field by field (a record of borrowed text); an empty record ends the row.
        for &i in &visible {
            w.write_field(cell(i).as_bytes()).map_err(io_error)?;
        }
        w.write_record(std::iter::empty::<&[u8]>())
            .map_err(io_error)?;
    }
    w.flush()
}

/// The csv crate wraps I/O errors; unwrap them so a closed pipe stays a BrokenPipe.
fn io_error(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn tsv(rows: &Rows, excel: bool, header: bool, out: &mut dyn Write) -> io::Result<()> {
    let end = if excel { "\r\n" } else { "\n" };
    if excel && header {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let escape = |s: &str| {
        replace_all(
            s,
            &[("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")],
        )
    };
    if header {
        let names: Vec<String> = rows
            .shown_names()
            .into_iter()
            .map(|c| {
                escape(&if excel {
                    defused(Cow::Owned(c)).into_owned()
                } else {
                    c
                })
            })
            .collect();
        write!(out, "{}{end}", names.join("\t"))?;
    }
    let visible: Vec<usize> = rows.visible().collect();
    for row in &rows.data {
        let cells: Vec<String> = visible
            .iter()
            .map(|&i| {
                if excel {
                    escape(&spreadsheet_text(rows, i, &row[i]))
                } else {
                    escape(&text(rows, i, &row[i]))
                }
            })
            .collect();
        write!(out, "{}{end}", cells.join("\t"))?;
    }
    Ok(())
}

/// `s` with each `(from, to)` replaced, in order.
fn replace_all(s: &str, pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .fold(s.to_string(), |acc, (from, to)| acc.replace(from, to))
}

fn json_value(rows: &Rows, col: usize, value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Null => J::Null,
        Value::Integer(n) if rows.columns[col].is_bool() => J::Bool(*n != 0),
        Value::Integer(n) => J::from(*n),
        // Whole numbers print without a trailing .0 (640, not 640.0); f64 holds every
        // integer below 2^53 exactly, so the conversion loses nothing.
        Value::Real(x) if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 => {
            J::from(*x as i64)
        }
        Value::Real(x) => serde_json::Number::from_f64(*x).map_or(J::Null, J::Number),
        Value::Text(s) => J::String(s.clone()),
        Value::Blob(_) => J::String(text(rows, col, value).into_owned()),
    }
}

/// One row as a JSON object, keys in column order.
fn json_object(
    rows: &Rows,
    names: &[String],
    row: &[Value],
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(b"{")?;
    for (n, (i, name)) in rows.visible().zip(names).enumerate() {
        if n > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, name)?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, &json_value(rows, i, &row[i]))?;
    }
    out.write_all(b"}")
}

fn json(rows: &Rows, out: &mut dyn Write) -> io::Result<()> {
    let names = rows.shown_names();
    out.write_all(b"[")?;
    for (i, row) in rows.data.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        json_object(rows, &names, row, out)?;
    }
    out.write_all(b"]\n")
}

fn jsonl(rows: &Rows, out: &mut dyn Write) -> io::Result<()> {
    let names = rows.shown_names();
    for row in &rows.data {
        json_object(rows, &names, row, out)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn markdown(rows: &Rows, out: &mut dyn Write) -> io::Result<()> {
    let escape = |s: &str| {
        replace_all(
            s,
            &[
                ("\\", "\\\\"),
                ("|", "\\|"),
                ("\r\n", "<br>"),
                ("\n", "<br>"),
            ],
        )
    };
    let header: Vec<String> = rows.shown_names().iter().map(|c| escape(c)).collect();
    writeln!(out, "| {} |", header.join(" | "))?;
    let visible: Vec<usize> = rows.visible().collect();
    let align: Vec<&str> = visible
        .iter()
        .map(|&i| {
            let numeric = !rows.columns[i].is_bool()
                && rows.data.iter().any(|r| is_number(&r[i]))
                && rows
                    .data
                    .iter()
                    .all(|r| is_number(&r[i]) || r[i] == Value::Null);
            if numeric { "---:" } else { "---" }
        })
        .collect();
    writeln!(out, "| {} |", align.join(" | "))?;
    for row in &rows.data {
        let cells: Vec<String> = visible
            .iter()
            .map(|&i| escape(&text(rows, i, &row[i])))
            .collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Column;

    fn sample() -> Rows {
        let mut ok = Column::of_kind("ok", Kind::Bool);
        ok.hidden = false;
        let mut q = Column::plain("q");
        q.hidden = true;
        let mut x = Column::plain("x");
        x.qualifier = Some(5);
        Rows {
            columns: vec![
                Column::plain("id"),
                Column::plain("n"),
                x,
                ok,
                Column::plain("t"),
                q,
            ],
            data: vec![
                vec![
                    Value::Text("a".into()),
                    Value::Integer(23),
                    Value::Real(640.0),
                    Value::Integer(1),
                    Value::Text("昇腾, \"910\"\n|x\t".into()),
                    Value::Text("at_least".into()),
                ],
                vec![
                    Value::Text("b".into()),
                    Value::Null,
                    Value::Real(3.74),
                    Value::Integer(0),
                    Value::Null,
                    Value::Null,
                ],
            ],
        }
    }

    fn out(rows: &Rows, format: Format, excel: bool) -> String {
        let mut buf = Vec::new();
        render(
            rows,
            &Options {
                format,
                excel,
                ..Options::default()
            },
            &mut buf,
        )
        .unwrap();
        String::from_utf8(buf).unwrap()
    }

    /// Each text format, exactly: CSV is RFC 4180 with LF ends, TSV escapes tab,
    /// newline and backslash, Markdown escapes pipes and right-aligns numbers; no hidden
    /// column is written.
    #[test]
    fn text_formats_write_the_sample_exactly() {
        for (format, want) in [
            (
                Format::Csv,
                "id,n,x,ok,t\na,23,640,true,\"昇腾, \"\"910\"\"\n|x\t\"\nb,,3.74,false,\n",
            ),
            (
                Format::Tsv,
                "id\tn\tx\tok\tt\na\t23\t640\ttrue\t昇腾, \"910\"\\n|x\\t\nb\t\t3.74\tfalse\t\n",
            ),
            (
                Format::Markdown,
                "| id | n | x | ok | t |\n| --- | ---: | ---: | --- | --- |\n| a | 23 | 640 | true | 昇腾, \"910\"<br>\\|x\t |\n| b |  | 3.74 | false |  |\n",
            ),
        ] {
            assert_eq!(out(&sample(), format, false), want, "{format:?}");
        }
    }

    #[test]
    fn excel_csv_has_bom_and_crlf() {
        let s = out(&sample(), Format::Csv, true);
        assert!(s.starts_with("\u{feff}id,n,x,ok,t\r\n"));
        assert!(s.ends_with("b,,3.74,false,\r\n"));
    }

    #[test]
    fn json_numbers_bools_nulls_and_unescaped_utf8() {
        assert_eq!(
            out(&sample(), Format::Json, false),
            "[{\"id\":\"a\",\"n\":23,\"x\":640,\"ok\":true,\"t\":\"昇腾, \\\"910\\\"\\n|x\\t\"},\n{\"id\":\"b\",\"n\":null,\"x\":3.74,\"ok\":false,\"t\":null}]\n"
        );
        assert_eq!(out(&Rows::default(), Format::Json, false), "[]\n");
    }

    #[test]
    fn json_keys_are_unique() {
        let rows = Rows {
            columns: vec![Column::plain("a"), Column::plain("a")],
            data: vec![vec![Value::Integer(1), Value::Integer(2)]],
        };
        assert_eq!(out(&rows, Format::Json, false), "[{\"a\":1,\"a_2\":2}]\n");
    }

    #[test]
    fn jsonl_one_object_per_line() {
        let s = out(&sample(), Format::Jsonl, false);
        assert_eq!(s.lines().count(), 2);
        for line in s.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(v.is_object());
        }
    }

    #[test]
    fn table_marks_qualified_numbers_and_aligns_chinese_by_display_width() {
        let s = out(&sample(), Format::Table, false);
        assert!(s.contains("≥640"), "{s}");
        assert!(!s.contains("at_least"), "{s}");
        // The table's lines (not the line under it, of what is the same in every row).
        let widths: Vec<usize> = s
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
            .map(unicode_width::UnicodeWidthStr::width)
            .collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{s}");
    }
}
