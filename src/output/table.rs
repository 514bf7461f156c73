//! The table, fitted to a width: on a terminal a table is never wider than the
//! terminal. Ids, numbers with their units and short codes are not broken; long text
//! is cut with `…`, or, in a record or a profile, wrapped between words and between
//! Chinese characters (a Latin word or a number is broken only when it is longer than
//! the line). When even the columns that cannot shrink do not fit, the least important
//! are dropped (never below two); when two still do not fit, ids and numbers too are
//! cut, as a last resort. The caller says on stderr what was left out. Without a width
//! (a pipe, a file, `--wide`) every cell is whole.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How a column may give way to a narrow terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Give {
    /// Ids, numbers, codes, dates: shown whole or not at all.
    Never,
    /// Free text: cut with `…` (a list) or wrapped (a record).
    Text,
}

/// One column to lay out, as fitting needs it: its header, how wide its widest cell
/// is and its widest cell that must stay whole (an id or a number in a record's value
/// column; every cell of a column that never gives), how it gives, and how much it
/// matters (0 most; the highest go first when columns must be dropped).
#[derive(Debug, Clone)]
pub struct Laid {
    pub header: String,
    /// The widest line of any cell.
    pub natural: usize,
    /// The widest line of a cell that must stay whole.
    pub whole: usize,
    pub give: Give,
    pub rank: u8,
    /// The narrowest a view wants this text column (a profile's quotes).
    pub least: Option<usize>,
}

impl Laid {
    /// A column with no cells yet.
    pub fn new(header: String, give: Give, rank: u8) -> Laid {
        Laid {
            natural: cell_width(&header),
            whole: 0,
            header,
            give,
            rank,
            least: None,
        }
    }

    /// Count a cell: its width, and whether it must stay whole.
    pub fn add(&mut self, cell: &str, whole: bool) {
        let width = cell_width(cell);
        self.natural = self.natural.max(width);
        if whole {
            self.whole = self.whole.max(width);
        }
    }
}

/// How a table was fitted: the columns kept (indices, in order), each one's width,
/// and whether ids or numbers had to be cut too (the last resort).
#[derive(Debug, Clone, Default)]
pub struct Fitted {
    pub kept: Vec<usize>,
    pub widths: Vec<usize>,
    pub squeezed: bool,
}

/// The narrowest a text column is made (or its whole text, if shorter), so that what
/// it says is read, not guessed: a longer text wraps to two lines, then is cut.
const MIN_TEXT: usize = 12;
/// The narrowest any column is made, even as a last resort (`ab…`).
const MIN_ANY: usize = 3;

/// The width a table of columns this wide takes, with the borders and padding of
/// comfy-table's UTF8_FULL_CONDENSED preset (`│ a ┆ b │`).
pub fn table_width(widths: &[usize]) -> usize {
    widths.iter().sum::<usize>() + 3 * widths.len() + 1
}

/// The widest line of a cell.
pub fn cell_width(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Each character of `s` with the columns it adds to the line, as the width of the
/// whole string counts them (an emoji's variation selector can make the character
/// before it wide).
fn widths_of(s: &str) -> impl Iterator<Item = (char, usize)> + '_ {
    let mut prev: Option<char> = None;
    s.chars().map(move |c| {
        let w = match prev {
            Some(p) => {
                let mut pair = String::with_capacity(8);
                pair.push(p);
                pair.push(c);
                pair.width().saturating_sub(p.to_string().width())
            }
            None => c.width().unwrap_or(0),
        };
        prev = Some(c);
        (c, w)
    })
}

/// Fit `columns` into `width`. Text columns shrink down to a floor (never below their
/// widest whole cell); past that, columns are dropped, the least important first and
/// the rightmost of those first, down to two, and then those dropped that fit whole
/// in the room left come back; past that, the widest columns are cut, ids and numbers too.
/// What is left over goes to the text columns that want it.
pub fn fit(columns: &[Laid], width: usize) -> Fitted {
    let natural: Vec<usize> = columns.iter().map(|c| c.natural).collect();
    let floor = |i: usize| match columns[i].give {
        Give::Never => natural[i],
        Give::Text => natural[i]
            .min(
                MIN_TEXT
                    .max(header_floor(&columns[i].header))
                    .max(columns[i].least.unwrap_or(0)),
            )
            .max(columns[i].whole),
    };
    let mut kept: Vec<usize> = (0..columns.len()).collect();
    loop {
        let floors: Vec<usize> = kept.iter().map(|&i| floor(i)).collect();
        if table_width(&floors) <= width || kept.len() <= 2 {
            break;
        }
        let drop = (0..kept.len()).max_by_key(|&k| (columns[kept[k]].rank, k));
        match drop {
            Some(k) => {
                kept.remove(k);
            }
            None => break,
        }
    }
    // A column dropped early may fit in the room a wider one left when it went too:
    // the dropped come back, the most important first, where the table with them
    // still fits with every column whole (never by squeezing the text that stays).
    if kept.len() < columns.len() {
        let mut dropped: Vec<usize> = (0..columns.len()).filter(|i| !kept.contains(i)).collect();
        dropped.sort_by_key(|&i| (columns[i].rank, i));
        for i in dropped {
            let mut trial = kept.clone();
            let at = trial.partition_point(|&k| k < i);
            trial.insert(at, i);
            let whole: Vec<usize> = trial.iter().map(|&k| natural[k]).collect();
            if table_width(&whole) <= width {
                kept = trial;
            }
        }
    }
    let mut widths: Vec<usize> = kept.iter().map(|&i| floor(i)).collect();
    // The last resort: cut the widest columns, a column at a time, ids and numbers too.
    let mut squeezed = false;
    while table_width(&widths) > width {
        let Some(k) = (0..widths.len()).max_by_key(|&k| (widths[k], k)) else {
            break;
        };
        if widths[k] <= MIN_ANY {
            break;
        }
        widths[k] -= 1;
        squeezed = true;
    }
    // Share what is left among the text columns that want more, in proportion.
    let mut spare = width.saturating_sub(table_width(&widths));
    while spare > 0 {
        let wanting: Vec<usize> = (0..kept.len())
            .filter(|&k| widths[k] < natural[kept[k]])
            .collect();
        if wanting.is_empty() {
            break;
        }
        let want: usize = wanting.iter().map(|&k| natural[kept[k]] - widths[k]).sum();
        let mut given = 0;
        for &k in &wanting {
            let need = natural[kept[k]] - widths[k];
            let share = (need * spare / want).clamp(1, need);
            let share = share.min(spare - given);
            widths[k] += share;
            given += share;
            if given == spare {
                break;
            }
        }
        if given == 0 {
            break;
        }
        spare -= given;
    }
    Fitted {
        kept,
        widths,
        squeezed,
    }
}

/// A header is not broken where it can be helped: a text column keeps room for the
/// longest part of its name (`progress` of `progress_zh`).
fn header_floor(header: &str) -> usize {
    header
        .split('_')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// Cut `s` to `width` columns with `…` at the end (each line of it).
pub fn cut(s: &str, width: usize) -> String {
    s.lines()
        .map(|line| {
            if line.width() <= width {
                return line.to_string();
            }
            let mut out = String::new();
            let mut used = 0;
            for (c, w) in widths_of(line) {
                if used + w + 1 > width {
                    break;
                }
                out.push(c);
                used += w;
            }
            out.push('…');
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Wrap `s` to `width` columns: between words, and between Chinese characters; a Latin
/// word or a number longer than a whole line is broken across lines (nothing is lost).
pub fn wrap(s: &str, width: usize) -> String {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in s.lines() {
        let mut line = String::new();
        let mut used = 0;
        for piece in pieces(paragraph) {
            let w = piece.width();
            let blank = piece.trim().is_empty();
            if used + w <= width {
                line.push_str(piece);
                used += w;
                continue;
            }
            if blank {
                // A break falls here: the space is not carried to the next line.
                lines.push(std::mem::take(&mut line).trim_end().to_string());
                used = 0;
                continue;
            }
            // Closing punctuation (、 。 》) does not begin a line: the character
            // before it comes down with it.
            let mut carried = String::new();
            if is_closing_punct(piece)
                && let Some(last) = line.chars().last()
                && last.width().unwrap_or(0) >= 2
                && line.chars().count() > 1
            {
                line.pop();
                carried.push(last);
            }
            if !line.trim().is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
            }
            line.clear();
            line.push_str(&carried);
            used = carried.width();
            if used + w > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            if w > width {
                // Longer than a line: broken into lines of the width.
                for (c, cw) in widths_of(piece) {
                    if used + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used += cw;
                }
            } else {
                line.push_str(piece);
                used += w;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines.join("\n")
}

/// Text for reading fitted to `width`: paragraphs wrapped, and the report's tables
/// (runs of lines whose cells are separated by tabs) laid out in aligned columns.
pub fn fit_text(text: &str, width: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    let flush = |block: &mut Vec<&str>, out: &mut Vec<String>| {
        if !block.is_empty() {
            let rows: Vec<Vec<&str>> = block.iter().map(|l| l.split('\t').collect()).collect();
            out.push(align(&rows, width));
            block.clear();
        }
    };
    for line in text.lines() {
        if line.contains('\t') {
            block.push(line);
        } else {
            flush(&mut block, &mut out);
            out.push(wrap(line, width));
        }
    }
    flush(&mut block, &mut out);
    out.join("\n")
}

/// The gap between aligned columns.
const GAP: usize = 2;

/// Rows of cells in aligned columns two spaces apart, at most `width` wide: the widest
/// column gives way first, its cells wrapped inside it, but never narrower than its
/// longest word or number, which is never broken. Where the columns cannot fit so, each
/// row is printed as a record instead, one cell a line beside its header (the first
/// row's cell). A row whose cells wrap takes several lines; the next row starts on its
/// own line.
pub fn align(rows: &[Vec<&str>], width: usize) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; n];
    let mut least = vec![0usize; n];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let cell = cell.trim();
            widths[i] = widths[i].max(cell_width(cell));
            let longest = pieces(cell).iter().map(|p| p.width()).max().unwrap_or(0);
            least[i] = least[i].max(longest);
        }
    }
    let room = width.saturating_sub(GAP * n.saturating_sub(1));
    while widths.iter().sum::<usize>() > room {
        let give = widths
            .iter()
            .enumerate()
            .filter(|&(i, &w)| w > least[i])
            .max_by_key(|&(_, &w)| w)
            .map(|(i, _)| i);
        match give {
            Some(i) => widths[i] -= 1,
            None => return records(rows, width),
        }
    }
    let mut lines = Vec::new();
    for row in rows {
        let cells: Vec<Vec<String>> = (0..n)
            .map(|i| {
                let cell = row.get(i).map_or("", |c| c.trim());
                wrap(cell, widths[i]).lines().map(str::to_string).collect()
            })
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for k in 0..height {
            let mut line = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let part = cell.get(k).map_or("", String::as_str);
                if i > 0 {
                    line.push_str(&" ".repeat(GAP));
                }
                line.push_str(part);
                if i + 1 < n {
                    line.push_str(&" ".repeat(widths[i].saturating_sub(cell_width(part))));
                }
            }
            lines.push(line.trim_end().to_string());
        }
    }
    lines.join("\n")
}

/// Rows too wide for aligned columns, as records: after the header row, each row's
/// cells one a line, each beside its header (wrapped in the room left), a blank line
/// between rows.
fn records(rows: &[Vec<&str>], width: usize) -> String {
    let Some((header, body)) = rows.split_first() else {
        return String::new();
    };
    let key = |i: usize| header.get(i).map_or("", |h| h.trim());
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let key_width = (0..n).map(|i| cell_width(key(i))).max().unwrap_or(0);
    // The headers take at most half the width; a longer one wraps in its own column.
    let key_width = key_width.min(width / 2).max(1);
    let value_width = width.saturating_sub(key_width + GAP).max(1);
    let mut blocks = Vec::new();
    for row in body {
        let mut lines = Vec::new();
        for i in 0..n {
            let value = row.get(i).map_or("", |c| c.trim());
            if value.is_empty() && key(i).is_empty() {
                // A trailing tab's empty cell under no header: nothing to say.
                continue;
            }
            let keys: Vec<String> = wrap(key(i), key_width)
                .lines()
                .map(str::to_string)
                .collect();
            let values: Vec<String> = wrap(value, value_width)
                .lines()
                .map(str::to_string)
                .collect();
            for k in 0..keys.len().max(values.len()).max(1) {
                let left = keys.get(k).map_or("", String::as_str);
                let right = values.get(k).map_or("", String::as_str);
                let pad = " ".repeat(key_width.saturating_sub(cell_width(left)) + GAP);
                lines.push(format!("{left}{pad}{right}").trim_end().to_string());
            }
        }
        blocks.push(lines.join("\n"));
    }
    blocks.join("\n\n")
}

/// The pieces a line may break between: runs of spaces, Latin words and numbers (kept
/// whole), and single wide characters (Chinese, which may break anywhere).
fn pieces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut last: Option<u8> = None;
    // 0: space, 1: a narrow character of a word, 2: a wide character (each alone).
    for (at, c) in s.char_indices() {
        let class = if c == ' ' {
            0
        } else if c.width().unwrap_or(0) >= 2 || is_cjk_punct(c) {
            2
        } else {
            1
        };
        if at > start && (class == 2 || Some(class) != last) {
            out.push(&s[start..at]);
            start = at;
        }
        last = Some(class);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Punctuation that closes (、 。 ， ； ： 》 ） 】), which does not begin a line.
fn is_closing_punct(piece: &str) -> bool {
    matches!(
        piece,
        "\u{3001}"
            | "\u{3002}"
            | "\u{ff0c}"
            | "\u{ff1b}"
            | "\u{ff1a}"
            | "\u{300b}"
            | "\u{ff09}"
            | "\u{3011}"
    )
}

/// Full-width punctuation, which a line may break before or after like a Chinese
/// character (、 。 ， ； ： 《 》 （ ） 【 】).
fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '\u{3001}'
            | '\u{3002}'
            | '\u{ff0c}'
            | '\u{ff1b}'
            | '\u{ff1a}'
            | '\u{300a}'
            | '\u{300b}'
            | '\u{ff08}'
            | '\u{ff09}'
            | '\u{3010}'
            | '\u{3011}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(header: &str, cells: &[&str], give: Give) -> Laid {
        col_whole(header, cells, &vec![give == Give::Never; cells.len()], give)
    }

    fn col_whole(header: &str, cells: &[&str], whole: &[bool], give: Give) -> Laid {
        let mut laid = Laid::new(header.into(), give, 1);
        for (cell, whole) in cells.iter().zip(whole) {
            laid.add(cell, *whole);
        }
        laid
    }

    #[test]
    fn text_shrinks_ids_and_numbers_do_not() {
        let cols = [
            col("id", &["switch-transformer"], Give::Never),
            col("name", &["a rather long name that goes on"], Give::Text),
            col("params", &["1.75万亿"], Give::Never),
        ];
        let f = fit(&cols, 50);
        assert_eq!(f.kept, [0, 1, 2]);
        assert_eq!(f.widths[0], 18);
        assert_eq!(f.widths[2], 8);
        assert_eq!(table_width(&f.widths), 50);
        assert!(!f.squeezed);
        // Too narrow for the rigid columns: the rightmost go, down to two.
        let f = fit(&cols, 37);
        assert_eq!(f.kept, [0, 1]);
        assert!(!f.squeezed);
        // Narrower than two columns' floors: ids are cut as a last resort.
        let f = fit(&cols, 20);
        assert_eq!(f.kept, [0, 1]);
        assert!(f.squeezed);
        assert_eq!(table_width(&f.widths), 20);
    }

    #[test]
    fn a_record_keeps_its_ids_whole_and_its_text_wraps() {
        let value = col_whole(
            "value",
            &[
                "fact-shenzhen-open-data-items",
                "a long quote of many words",
            ],
            &[true, false],
            Give::Text,
        );
        let cols = [col("field", &["id", "quote"], Give::Never), value];
        // 5 + 29 and the borders: 41 columns, and the quote wraps within the id's width.
        let f = fit(&cols, 41);
        assert_eq!(f.widths[1], "fact-shenzhen-open-data-items".len());
        assert!(!f.squeezed);
        // One column fewer: the id is cut as a last resort, and the caller says so.
        let f = fit(&cols, 40);
        assert!(f.squeezed);
        assert_eq!(table_width(&f.widths), 40);
    }

    #[test]
    fn emoji_with_a_variation_selector_are_measured_as_the_line_is() {
        let hearts = "\u{2764}\u{fe0f}".repeat(10);
        let cut = cut(&hearts, 9);
        assert!(cut.width() <= 9, "{cut} is {}", cut.width());
        let wrapped = wrap(&hearts, 6);
        assert!(wrapped.lines().all(|l| l.width() <= 6), "{wrapped}");
    }

    #[test]
    fn closing_punctuation_does_not_begin_a_line() {
        let w = wrap(
            "年12月《杭州市建设国家新一代人工智能创新发展试验区行动方案》",
            12,
        );
        assert!(
            w.lines().all(|l| !l.starts_with('》') && l.width() <= 12),
            "{w}"
        );
        assert!(w.ends_with("案》"), "{w}");
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_not_lost() {
        let url = "see https://baijiahao.baidu.com/s?id=1708 for more";
        let w = wrap(url, 12);
        assert!(w.lines().all(|l| l.width() <= 12), "{w}");
        assert_eq!(w.replace(['\n', ' '], ""), url.replace(' ', ""));
    }

    #[test]
    fn cut_and_wrap_never_break_a_word_or_a_number() {
        assert_eq!(cut("open_data_platforms", 10), "open_data…");
        assert_eq!(cut("昇腾910芯片", 6), "昇腾9…");
        let w = wrap("the switch-transformer model has 1.75万亿 parameters", 12);
        for line in w.lines() {
            assert!(line.width() <= 12, "{w}");
        }
        assert!(w.contains("1.75万亿"), "{w}");
        assert!(!w.contains("switch-\n"), "{w}");
        let zh = wrap("华为昇腾 910 芯片成为全球单芯片计算密度最大的芯片之一", 10);
        assert!(zh.lines().all(|l| l.width() <= 10), "{zh}");
        assert!(zh.contains("910"), "{zh}");
    }
}
