//! The table, fitted to a width: on a terminal a table is never wider than the
//! terminal. Ids, numbers with their units and short codes are never broken; long text
//! is cut with `…`, or, in a record or a profile, wrapped between words and between
//! Chinese characters (never inside a Latin word or a number). When even the columns
//! that cannot shrink do not fit, the least important (the rightmost) are dropped and
//! the caller says so. Without a width (a pipe, a file, `--wide`) every cell is whole.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How a column may give way to a narrow terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Give {
    /// Ids, numbers, codes, dates: shown whole or not at all.
    Never,
    /// Free text: cut with `…` (a list) or wrapped (a record).
    Text,
}

/// One column to lay out: its header, its cells (already as text), how it gives, and
/// how much it matters (0 most; the highest go first when columns must be dropped).
#[derive(Debug, Clone)]
pub struct Laid {
    pub header: String,
    pub cells: Vec<String>,
    pub give: Give,
    pub rank: u8,
}

/// The narrowest a text column is made, so that a cut still says something.
const MIN_TEXT: usize = 8;

/// The width a table of columns this wide takes, with the borders and padding of
/// comfy-table's UTF8_FULL_CONDENSED preset (`│ a ┆ b │`).
pub fn table_width(widths: &[usize]) -> usize {
    widths.iter().sum::<usize>() + 3 * widths.len() + 1
}

/// The widest line of a cell.
pub fn cell_width(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Fit `columns` into `width`: the columns kept (indices, in order), and each one's
/// width. Text columns shrink down to a floor; past that, columns are dropped, the
/// least important first and the rightmost of those first (the first column is always
/// kept).
pub fn fit(columns: &[Laid], width: usize) -> (Vec<usize>, Vec<usize>) {
    let natural: Vec<usize> = columns
        .iter()
        .map(|c| {
            c.cells
                .iter()
                .map(|s| cell_width(s))
                .chain([cell_width(&c.header)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let floor = |i: usize| match columns[i].give {
        Give::Never => natural[i],
        Give::Text => natural[i].min(MIN_TEXT.max(header_floor(&columns[i].header))),
    };
    let mut kept: Vec<usize> = (0..columns.len()).collect();
    loop {
        let floors: Vec<usize> = kept.iter().map(|&i| floor(i)).collect();
        if table_width(&floors) <= width || kept.len() <= 1 {
            break;
        }
        let drop = (1..kept.len()).max_by_key(|&k| (columns[kept[k]].rank, k));
        match drop {
            Some(k) => {
                kept.remove(k);
            }
            None => break,
        }
    }
    let mut widths: Vec<usize> = kept.iter().map(|&i| floor(i)).collect();
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
    (kept, widths)
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
            for c in line.chars() {
                let w = c.width().unwrap_or(0);
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
/// word or a number longer than the width is cut with `…` rather than broken.
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
            if !line.trim().is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
            }
            line.clear();
            if w > width {
                line = cut(piece, width);
                used = line.width();
            } else {
                line.push_str(piece);
                used = w;
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines.join("\n")
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

/// Full-width punctuation, which a line may break before or after like a Chinese
/// character (、 。 ， ； ： 《 》 （ ）).
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
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(header: &str, cells: &[&str], give: Give) -> Laid {
        Laid {
            header: header.into(),
            cells: cells.iter().map(|s| s.to_string()).collect(),
            give,
            rank: 1,
        }
    }

    #[test]
    fn text_shrinks_ids_and_numbers_do_not() {
        let cols = [
            col("id", &["switch-transformer"], Give::Never),
            col("name", &["a rather long name that goes on"], Give::Text),
            col("params", &["1.75万亿"], Give::Never),
        ];
        let (kept, widths) = fit(&cols, 50);
        assert_eq!(kept, [0, 1, 2]);
        assert_eq!(widths[0], 18);
        assert_eq!(widths[2], 8);
        assert_eq!(table_width(&widths), 50);
        // Too narrow for the rigid columns: the rightmost go.
        let (kept, _) = fit(&cols, 36);
        assert_eq!(kept, [0, 1]);
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
