//! Rows → an .xlsx workbook: the one way aiinfra makes a spreadsheet, for `--format
//! xlsx`, `--output FILE.xlsx` and `db export DIR --format xlsx`.
//!
//! What a spreadsheet program shows is what the data says: numbers are number cells,
//! booleans boolean cells, and everything else (ids, `YYYY-MM` months, codes, text)
//! string cells, so that no program turns `2020-06` into a date or `=1+1` into a
//! formula. Each data sheet has a bold, frozen header row with an autofilter and
//! columns as wide as their content (CJK characters count double). A notes sheet
//! carries what a CSV cannot: the report's citation and attribution, and each column's
//! type, unit and meaning. The workbook is marked as aiinfra's: a custom document
//! property holds a digest of its cells (`is_unchanged` recomputes it), which is how
//! the writer knows it may replace it: a workbook someone has since edited and saved,
//! whatever the program, no longer matches and is left alone.

use anyhow::{Result, anyhow, bail};
use rusqlite::types::Value;
use rust_xlsxwriter::{
    DocProperties, Format as CellFormat, FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::Rows;
use super::render::plain;
use super::table::cell_width;
use crate::db::contract::Kind;

/// The custom document property that marks a workbook as aiinfra's: its version.
pub const MARK: &str = "aiinfra";
/// The custom document property that holds the digest of the cells as written.
pub const DIGEST: &str = "aiinfra-content-sha256";

/// The most rows a sheet holds below its header (Excel's limit is 1,048,576 rows).
const MAX_ROWS: usize = 1_048_575;
/// The most columns a sheet holds.
const MAX_COLUMNS: usize = 16_384;
/// The most characters a cell holds.
const MAX_CELL_CHARS: usize = 32_767;
/// The widest a column is made; longer text wraps inside its cell.
const MAX_WIDTH: usize = 50;
/// The height of a line of text, in points.
const LINE_HEIGHT: f64 = 15.0;
/// Integers beyond ±2^53 are not exact as a spreadsheet's numbers: they are written as
/// text.
const EXACT: i64 = 1 << 53;

/// A sheet of rows.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub rows: &'a Rows,
}

/// The notes sheet: lines of text, then sections, each a bold heading over a small
/// table of text.
#[derive(Debug, Default)]
pub struct Notes {
    pub name: String,
    pub lines: Vec<String>,
    pub sections: Vec<Section>,
    /// Whether the notes sheet comes before the data sheets (an export's README) or
    /// after them (one command's result).
    pub first: bool,
}

/// One table of the notes sheet.
#[derive(Debug, Default)]
pub struct Section {
    pub heading: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The notes every workbook carries about the columns of `rows`: each one's type, unit
/// and meaning, from the contract where the column is a contract column.
pub fn columns_section(heading: &str, table: Option<&str>, rows: &Rows) -> Section {
    let mut header = Vec::new();
    if table.is_some() {
        header.push("table".to_string());
    }
    header.extend(["column", "type", "unit", "meaning"].map(String::from));
    let names = rows.shown_names();
    let lines = rows
        .visible()
        .zip(names)
        .map(|(i, name)| {
            let c = &rows.columns[i];
            let mut line = Vec::new();
            if let Some(t) = table {
                line.push(t.to_string());
            }
            line.push(name);
            line.push(c.kind.map(Kind::describe).unwrap_or_default());
            line.push(c.unit.unwrap_or("").to_string());
            line.push(c.doc.unwrap_or("").to_string());
            line
        })
        .collect();
    Section {
        heading: heading.to_string(),
        header,
        rows: lines,
    }
}

/// The workbook's bytes: the data sheets and the notes sheet, marked with the digest
/// of its cells (saved twice: the cells do not change between the two saves).
pub fn workbook(sheets: &[Sheet], notes: &Notes) -> Result<Vec<u8>> {
    let properties = DocProperties::new()
        .set_title(format!(
            "{} — {}",
            crate::report::TITLE_EN,
            notes_title(sheets)
        ))
        .set_author(format!("aiinfra {}", env!("CARGO_PKG_VERSION")))
        .set_comment(crate::report::credit())
        .set_custom_property(MARK, env!("CARGO_PKG_VERSION"));
    let mut book = Workbook::new();
    // The digest is not known until the cells are written: the workbook is saved with a
    // placeholder of the same kind, which `mark` then replaces.
    book.set_properties(&properties.clone().set_custom_property(DIGEST, PLACEHOLDER));
    let mut used: Vec<String> = Vec::new();
    if notes.first {
        notes_sheet(book.add_worksheet(), notes, &mut used)?;
    }
    for sheet in sheets {
        let name = sheet_name(sheet.name, &mut used);
        // Row by row through a temporary file: memory does not grow with the rows.
        let ws = book.add_worksheet_with_constant_memory().map_err(xlsx)?;
        ws.set_name(name).map_err(xlsx)?;
        data_sheet(ws, sheet.rows).map_err(|e| anyhow!("sheet {}: {e}", sheet.name))?;
    }
    if !notes.first {
        notes_sheet(book.add_worksheet(), notes, &mut used)?;
    }
    if notes.first && !sheets.is_empty() {
        // Open on the first table, with the README a tab away.
        book.worksheet_from_index(1).map_err(xlsx)?.set_active(true);
    }
    let saved = book.save_to_buffer().map_err(xlsx)?;
    mark(saved)
}

/// The digest property's value until the digest is known.
const PLACEHOLDER: &str = "digest-to-come";

/// The workbook with its digest property filled in: every part copied as it is
/// (compressed), but docProps/custom.xml, written anew. Memory holds the compressed
/// workbook, never its cells uncompressed.
fn mark(saved: Vec<u8>) -> Result<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(saved))
        .map_err(|e| anyhow!("cannot read back the workbook just made: {e}"))?;
    let digest = cells_digest(&mut archive).ok_or_else(|| {
        anyhow!(
            "the workbook's cells are larger than the {} MiB aiinfra can recognise later as its own: use --format csv, or --limit",
            MAX_CELLS_BYTES >> 20
        )
    })?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let name = archive
            .name_for_index(i)
            .and_then(Result::ok)
            .map(|n| n.into_owned())
            .unwrap_or_default();
        if name == "docProps/custom.xml" {
            let mut xml = String::new();
            archive
                .by_index(i)
                .and_then(|mut f| Ok(f.read_to_string(&mut xml)?))
                .map_err(|e| anyhow!("cannot read back the workbook just made: {e}"))?;
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            out.start_file(name, options)
                .and_then(|()| Ok(out.write_all(xml.replace(PLACEHOLDER, &digest).as_bytes())?))
                .map_err(|e| anyhow!("cannot mark the workbook: {e}"))?;
        } else {
            let file = archive
                .by_index_raw(i)
                .map_err(|e| anyhow!("cannot read back the workbook just made: {e}"))?;
            out.raw_copy_file(file)
                .map_err(|e| anyhow!("cannot mark the workbook: {e}"))?;
        }
    }
    let done = out
        .finish()
        .map_err(|e| anyhow!("cannot mark the workbook: {e}"))?;
    Ok(done.into_inner())
}

/// The most a workbook's cells may take, uncompressed, for `is_unchanged` to read
/// them (aiinfra's are far smaller: a result is at most 32 MiB of values).
const MAX_CELLS_BYTES: u64 = 256 << 20;

/// SHA-256 over the parts that hold a workbook's cells (each sheet and the shared
/// strings, by name, uncompressed), as hex; `None` if they cannot be read or are
/// larger than aiinfra would write.
fn cells_digest<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Option<String> {
    use sha2::Digest;
    use std::io::Read;
    let mut names: Vec<String> = Vec::new();
    for name in archive.file_names() {
        let name = name.ok()?;
        if (name.starts_with("xl/worksheets/") && name.ends_with(".xml"))
            || name == "xl/sharedStrings.xml"
        {
            names.push(name.into_owned());
        }
    }
    names.sort();
    let mut hash = sha2::Sha256::new();
    let mut left = MAX_CELLS_BYTES;
    let mut buf = vec![0u8; 64 * 1024];
    for name in names {
        let mut entry = archive.by_name(&name).ok()?;
        hash.update(name.as_bytes());
        hash.update([0]);
        loop {
            let n = entry.read(&mut buf).ok()?;
            if n == 0 {
                break;
            }
            left = left.checked_sub(n as u64)?;
            hash.update(&buf[..n]);
        }
    }
    Some(crate::text::hex(&hash.finalize()))
}

/// Whether an existing file is a workbook aiinfra wrote and nobody saved since; if
/// not, what it is.
pub fn recognise(path: &std::path::Path, head: &[u8]) -> Result<(), &'static str> {
    let ours = head.starts_with(b"PK") && std::fs::File::open(path).is_ok_and(is_unchanged);
    if ours {
        Ok(())
    } else {
        Err("not a workbook aiinfra wrote (or it was saved since, by a person or a program)")
    }
}

/// Whether `file` is a workbook aiinfra wrote and nobody has saved since: its cells
/// match the digest it carries. Bounded whatever the file: a zip's central directory
/// is looked at before it is read, and at most `MAX_CELLS_BYTES` are uncompressed.
pub fn is_unchanged(mut file: std::fs::File) -> bool {
    use std::io::Read;
    const MAX_PROPERTIES: u64 = 64 << 10;
    if !small_zip(&mut file) {
        return false;
    }
    let Ok(mut archive) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    let mut xml = String::new();
    match archive.by_name("docProps/custom.xml") {
        Ok(entry) => {
            if entry.take(MAX_PROPERTIES).read_to_string(&mut xml).is_err() {
                return false;
            }
        }
        Err(_) => return false,
    }
    let Some(recorded) = property(&xml, DIGEST) else {
        return false;
    };
    cells_digest(&mut archive).is_some_and(|d| d == recorded)
}

/// The text value of a custom document property, from docProps/custom.xml as
/// rust_xlsxwriter writes it (`name="N"><vt:lpwstr>V</vt:lpwstr>`).
fn property(xml: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!("name=\"{name}\"><vt:lpwstr>"))?;
    let rest = &xml[start..];
    let value = &rest[rest.find("<vt:lpwstr>")? + "<vt:lpwstr>".len()..];
    Some(value[..value.find("</vt:lpwstr>")?].to_string())
}

/// Whether a zip's end record says it has a central directory of a size aiinfra's
/// workbooks have (a few dozen parts), so that reading it costs little.
fn small_zip(file: &mut std::fs::File) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    const MAX_PARTS: u16 = 1000;
    const MAX_DIRECTORY: u32 = 1 << 20;
    let Ok(len) = file.metadata().map(|m| m.len()) else {
        return false;
    };
    if len > 2 * MAX_CELLS_BYTES {
        return false;
    }
    // The end record is 22 bytes, after at most a 64 KiB comment.
    let tail = len.min(22 + 65_535);
    let mut end = vec![0u8; tail as usize];
    if file.seek(SeekFrom::Start(len - tail)).is_err() || file.read_exact(&mut end).is_err() {
        return false;
    }
    let Some(at) = end.windows(4).rposition(|w| w == b"PK\x05\x06") else {
        return false;
    };
    let record = &end[at..];
    if record.len() < 22 {
        return false;
    }
    let parts = u16::from_le_bytes([record[10], record[11]]);
    let size = u32::from_le_bytes([record[12], record[13], record[14], record[15]]);
    let ok = parts <= MAX_PARTS && size <= MAX_DIRECTORY;
    ok && file.seek(SeekFrom::Start(0)).is_ok()
}

fn notes_title(sheets: &[Sheet]) -> String {
    sheets.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
}

fn xlsx(e: XlsxError) -> anyhow::Error {
    anyhow!("cannot make the workbook: {e}")
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not starting
/// or ending with `'`, not "History", and not one already used (case aside).
fn sheet_name(wanted: &str, used: &mut Vec<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('\'').trim();
    let base: String = if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        format!("{cleaned} rows").trim().to_string()
    } else {
        cleaned.to_string()
    };
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let keep = 31 - suffix.chars().count();
        let name: String = base.chars().take(keep).collect::<String>() + &suffix;
        if !used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
            used.push(name.clone());
            return name;
        }
        n += 1;
    }
}

/// Widths of columns, from the widest cell (CJK counted double), within bounds.
fn width_of(widest: usize) -> f64 {
    (widest.clamp(4, MAX_WIDTH) + 2) as f64
}

/// The width a sheet prints on: the narrower of A4 and US Letter (11 inches) in
/// landscape, less the default margins (0.7 inch left and right), in pixels at 96
/// dots an inch, as column widths count them. The paper is the printer's.
const PRINTABLE_PX: f64 = (11.0 - 1.4) * 96.0;
/// The size of a cell's text (rust_xlsxwriter's default font, Calibri 11 pt), and the
/// smallest it may print at.
const FONT_PT: f64 = 11.0;
const MIN_PRINTED_PT: f64 = 8.0;

/// The scale (per cent) at which columns this wide (in character units) print one page
/// wide; above 100 they fit as they are.
pub fn one_page_scale(widths: &[f64]) -> f64 {
    // A column of width w takes about 7w + 5 pixels (the width of a digit in the
    // default font, and its padding).
    let px: f64 = widths.iter().map(|w| w * 7.0 + 5.0).sum();
    if px <= 0.0 {
        100.0
    } else {
        100.0 * PRINTABLE_PX / px
    }
}

/// How a sheet prints: landscape; one page wide when its text stays at 8 pt or more
/// that way, else at the scale that keeps 8 pt, across as many pages as it needs. A
/// table's header row is on every page, and, across pages, its first column (the id).
fn print_setup(ws: &mut Worksheet, widths: &[f64], table: bool) -> Result<()> {
    ws.set_landscape();
    let least = 100.0 * MIN_PRINTED_PT / FONT_PT;
    let one_page = one_page_scale(widths) >= least;
    if one_page {
        ws.set_print_fit_to_pages(1, 0);
    } else {
        ws.set_print_scale(least.ceil() as u16);
    }
    if table && !widths.is_empty() {
        ws.set_repeat_rows(0, 0).map_err(xlsx)?;
        if !one_page {
            ws.set_repeat_columns(0, 0).map_err(xlsx)?;
        }
    }
    Ok(())
}

fn data_sheet(ws: &mut Worksheet, rows: &Rows) -> Result<()> {
    let visible: Vec<usize> = rows.visible().collect();
    if rows.data.len() > MAX_ROWS {
        bail!(
            "{} rows; a spreadsheet holds at most {MAX_ROWS} below its header: use --format csv, or --limit",
            rows.data.len()
        );
    }
    if visible.len() > MAX_COLUMNS {
        bail!(
            "{} columns; a spreadsheet holds at most {MAX_COLUMNS}: use --format csv, or --columns",
            visible.len()
        );
    }
    let bold = CellFormat::new().set_bold();
    // Cells sit at the top of a row that wrapped text made tall.
    let style = Styles {
        top: CellFormat::new().set_align(FormatAlign::Top),
        thousands: CellFormat::new()
            .set_align(FormatAlign::Top)
            .set_num_format("#,##0"),
        wrap: CellFormat::new()
            .set_align(FormatAlign::Top)
            .set_text_wrap(),
        // Excel shows a boolean cell as TRUE or FALSE whatever its format; LibreOffice
        // shows 1 or 0 unless the format says otherwise.
        boolean: CellFormat::new()
            .set_align(FormatAlign::Top)
            .set_num_format("\"TRUE\";\"TRUE\";\"FALSE\""),
    };
    // A sheet written row by row needs its column widths and settings first: a pass
    // over the rows measures them and finds what no sheet can hold, before anything
    // is written.
    let names = rows.shown_names();
    let mut widths: Vec<usize> = Vec::with_capacity(visible.len());
    for name in &names {
        if name.chars().count() > MAX_CELL_CHARS {
            bail!(
                "a column name of {} characters; a spreadsheet cell holds at most {MAX_CELL_CHARS}: name it shorter (AS), or use --format csv",
                name.chars().count()
            );
        }
        widths.push(cell_width(name));
    }
    for (r, row) in rows.data.iter().enumerate() {
        crate::guard::checkpoint("laying out the workbook")?;
        for (c, &i) in visible.iter().enumerate() {
            let column = &rows.columns[i];
            let width = match &row[i] {
                Value::Null => continue,
                Value::Integer(_) if column.is_bool() => 5,
                Value::Integer(n) if (-EXACT..=EXACT).contains(n) => {
                    number_width(*n as f64, column.kind)
                }
                Value::Real(x) if x.is_finite() => number_width(*x, column.kind),
                other => {
                    let text = plain(other);
                    if text.chars().count() > MAX_CELL_CHARS {
                        bail!(
                            "row {} column {}: {} characters; a spreadsheet cell holds at most {MAX_CELL_CHARS}: use --format csv",
                            r + 1,
                            column.name,
                            text.chars().count()
                        );
                    }
                    cell_width(&text)
                }
            };
            widths[c] = widths[c].max(width);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), width_of(*w)).map_err(xlsx)?;
    }
    let units: Vec<f64> = widths.iter().map(|w| width_of(*w)).collect();
    print_setup(ws, &units, true)?;
    if !visible.is_empty() {
        ws.set_freeze_panes(1, 0).map_err(xlsx)?;
        ws.autofilter(0, 0, rows.data.len() as u32, col(visible.len() - 1))
            .map_err(xlsx)?;
    }
    for (c, name) in names.iter().enumerate() {
        ws.write_string_with_format(0, col(c), name, &bold)
            .map_err(xlsx)?;
    }
    for (r, row) in rows.data.iter().enumerate() {
        crate::guard::checkpoint("writing the workbook")?;
        // In range: the number of rows was checked above.
        let at = (r + 1) as u32;
        let mut lines = 1;
        for (c, &i) in visible.iter().enumerate() {
            let column = &rows.columns[i];
            match &row[i] {
                Value::Null => continue,
                Value::Integer(n) if column.is_bool() => {
                    ws.write_boolean_with_format(at, col(c), *n != 0, &style.boolean)
                        .map_err(xlsx)?;
                }
                Value::Integer(n) if (-EXACT..=EXACT).contains(n) => {
                    number(ws, at, col(c), *n as f64, column.kind, &style)?;
                }
                Value::Real(x) if x.is_finite() => number(ws, at, col(c), *x, column.kind, &style)?,
                other => {
                    let text = plain(other);
                    let format = if cell_width(&text) > MAX_WIDTH || text.contains('\n') {
                        lines = lines.max(wrapped_lines(&text));
                        &style.wrap
                    } else {
                        &style.top
                    };
                    ws.write_string_with_format(at, col(c), &text, format)
                        .map_err(xlsx)?;
                }
            }
        }
        if lines > 1 {
            // Not every program measures wrapped rows itself (LibreOffice does not).
            ws.set_row_height(at, (LINE_HEIGHT * lines as f64).min(409.0))
                .map_err(xlsx)?;
        }
    }
    Ok(())
}

/// A column's index as the workbook counts (checked against `MAX_COLUMNS` first).
fn col(c: usize) -> u16 {
    c as u16
}

/// How many lines text takes wrapped in a column `MAX_WIDTH` wide (a little more
/// than the even share, as words do not break).
fn wrapped_lines(text: &str) -> usize {
    text.lines()
        .map(|l| (cell_width(l) * 11 / 10).div_ceil(MAX_WIDTH).max(1))
        .sum()
}

/// The formats of a data sheet's cells.
struct Styles {
    top: CellFormat,
    thousands: CellFormat,
    wrap: CellFormat,
    boolean: CellFormat,
}

/// Whether a number is written with thousands separators: a large whole number (so
/// that 175 billion reads as 175,000,000,000, not 1.75E+11), never a year.
fn grouped(x: f64, kind: Option<Kind>) -> bool {
    x.fract() == 0.0 && x.abs() >= 1e6 && kind != Some(Kind::Year)
}

/// How wide a number is shown.
fn number_width(x: f64, kind: Option<Kind>) -> usize {
    if grouped(x, kind) {
        // Digits and a separator every three.
        let digits = format!("{:.0}", x.abs()).len();
        digits + (digits - 1) / 3 + usize::from(x < 0.0)
    } else {
        crate::units::shortest(x).len()
    }
}

/// Write a number, grouped where `grouped` says.
fn number(
    ws: &mut Worksheet,
    row: u32,
    c: u16,
    x: f64,
    kind: Option<Kind>,
    style: &Styles,
) -> Result<()> {
    let format = if grouped(x, kind) {
        &style.thousands
    } else {
        &style.top
    };
    ws.write_number_with_format(row, c, x, format)
        .map_err(xlsx)?;
    Ok(())
}

fn notes_sheet(ws: &mut Worksheet, notes: &Notes, used: &mut Vec<String>) -> Result<()> {
    let name = sheet_name(&notes.name, used);
    ws.set_name(name).map_err(xlsx)?;
    let bold = CellFormat::new().set_bold();
    let mut at: u32 = 0;
    for (i, line) in notes.lines.iter().enumerate() {
        if i == 0 {
            ws.write_string_with_format(at, 0, line, &bold)
                .map_err(xlsx)?;
        } else {
            ws.write_string(at, 0, line).map_err(xlsx)?;
        }
        at += 1;
    }
    let mut widths: Vec<usize> = Vec::new();
    for section in &notes.sections {
        at += 1;
        ws.write_string_with_format(at, 0, &section.heading, &bold)
            .map_err(xlsx)?;
        at += 1;
        for (c, h) in section.header.iter().enumerate() {
            ws.write_string_with_format(at, col(c), h, &bold)
                .map_err(xlsx)?;
        }
        at += 1;
        for row in &section.rows {
            for (c, cell) in row.iter().enumerate() {
                ws.write_string(at, col(c), cell).map_err(xlsx)?;
                if widths.len() <= c {
                    widths.resize(c + 1, 0);
                }
                widths[c] = widths[c].max(cell_width(cell));
            }
            at += 1;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), width_of(*w)).map_err(xlsx)?;
    }
    let units: Vec<f64> = widths.iter().map(|w| width_of(*w)).collect();
    print_setup(ws, &units, false)?;
    Ok(())
}

/// The report's citation, as the notes sheet's opening lines.
pub fn citation_lines(what: &str) -> Vec<String> {
    use crate::report;
    vec![
        format!("aiinfra {}: {what}", env!("CARGO_PKG_VERSION")),
        format!("Source: {} ({})", report::TITLE, report::TITLE_EN),
        format!("Publisher: {}", report::PUBLISHER),
        report::ATTRIBUTION.to_string(),
        format!("The report: {}", report::URL),
        "Every row names its place in the report (source_id; the sources below give the page) and quotes it (quote).".to_string(),
        "A number the report gives as a bound or an approximation has a qualifier column beside it: at_least, over, nearly, about.".to_string(),
    ]
}
