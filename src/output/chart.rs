//! Horizontal bar charts of rows: in the terminal with Unicode eighth-blocks, or as a
//! standalone SVG. `from_rows` picks the bars from any command's rows (after
//! `--count-by`, `--sort` and `--limit`); where the output goes is `lib.rs`'s concern.

use std::io::{self, Write};

use rusqlite::types::Value;
use unicode_width::UnicodeWidthStr;

use super::Rows;
use crate::db::contract::Kind;
use crate::error::UsageError;
use crate::units::{self, Style};

/// The bars of `rows`: one per row, the value of column `field`, labelled by the rows'
/// first name column in both languages (`name_zh`/`name_en`), else `id`, else the first
/// column. `facet` says the rows are `--count-by` counts of `field` (the bars are the
/// counts; a facet over years gets a bar for every year between the first and the
/// last, so gaps show). Also returns the source ids of the rows drawn, for the caption.
pub fn from_rows(
    rows: &Rows,
    field: &str,
    facet: bool,
) -> Result<(Chart, Vec<String>), UsageError> {
    let named = |name: &str| rows.columns.iter().position(|c| c.name == name);
    let (label_zh, label_en, value) = if facet {
        (0, 0, named("count").unwrap_or(1))
    } else {
        let value = rows.index(field).ok_or_else(|| {
            let hint =
                crate::text::did_you_mean(field, super::shape::numeric_names(rows).into_iter())
                    .map(|s| format!("; did you mean {s}?"))
                    .unwrap_or_default();
            UsageError(format!(
                "unknown column '{field}' for --chart{hint} ({})",
                super::shape::numeric_choice(rows)
            ))
        })?;
        if !super::shape::numeric(rows, value) {
            return Err(UsageError(format!(
                "--chart needs a numeric column, and {field} is not one ({})",
                super::shape::numeric_choice(rows)
            )));
        }
        let pair = rows.visible().find_map(|i| {
            let stem = rows.columns[i].name.strip_suffix("_zh")?;
            Some((i, rows.index(&format!("{stem}_en"))?))
        });
        let (zh, en) = pair.unwrap_or_else(|| {
            let id = rows.index("id").unwrap_or(0);
            (id, id)
        });
        (zh, en, value)
    };
    let by_year = facet && rows.columns[label_zh].kind == Some(Kind::Year);
    // A facet over years reads as a time line: in year order.
    let sorted;
    let rows = if by_year {
        let mut r = rows.clone();
        super::shape::sort(&mut r, label_zh, false);
        sorted = r;
        &sorted
    } else {
        rows
    };
    let source = rows.columns.iter().position(|c| c.name == "source_id");
    let mut bars = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut last_year: Option<i64> = None;
    for row in &rows.data {
        if by_year && let Value::Integer(year) = &row[label_zh] {
            // Gaps show as empty bars, within the years a Year column may hold and up
            // to MAX_GAP bars: a crafted year 9e18 draws one bar, not nine quintillion.
            let fill = last_year.filter(|last| {
                (1900..=2100).contains(last)
                    && (1900..=2100).contains(year)
                    && *year - *last <= MAX_GAP
            });
            if let Some(last) = fill {
                for gap in last + 1..*year {
                    bars.push(Bar {
                        label_zh: gap.to_string(),
                        label_en: gap.to_string(),
                        value: Some(0.0),
                        mark: "",
                    });
                }
            }
            last_year = Some(*year);
        }
        let number = match &row[value] {
            Value::Integer(n) => Some(*n as f64),
            Value::Real(x) => Some(*x),
            _ => None,
        };
        bars.push(Bar {
            label_zh: super::render::plain(&row[label_zh]),
            label_en: super::render::plain(&row[label_en]),
            value: number,
            mark: rows.mark(row, value),
        });
        // Cite only the rows that draw a bar.
        if number.is_some()
            && let Some(Value::Text(ids)) = source.map(|s| &row[s])
        {
            for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                if sources.len() < MAX_SOURCES && seen.insert(id.to_string()) {
                    sources.push(id.to_string());
                }
            }
        }
    }
    Ok((
        Chart {
            title: String::new(),
            bars,
            log: false,
            sources: Vec::new(),
        },
        sources,
    ))
}

/// The most empty bars drawn for the years missing between two years.
const MAX_GAP: i64 = 200;

/// The most sources a chart's caption cites (the knowledge base has about fifty).
const MAX_SOURCES: usize = 100;

/// The widest a label is drawn where the chart fits no width (a pipe): a longer one is
/// cut, so that no label pads every bar's line to its width.
const MAX_LABEL: usize = 60;

/// One bar: its label in both languages and its value (`None`: the report has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label_zh: String,
    pub label_en: String,
    pub value: Option<f64>,
    /// How the report qualifies the value: ≥, >, < or ~ (empty when exact).
    pub mark: &'static str,
}

/// A chart ready to draw.
#[derive(Debug, Clone)]
pub struct Chart {
    /// What is charted, e.g. "chips: int8_tops".
    pub title: String,
    pub bars: Vec<Bar>,
    /// Lengths follow log10 of the values.
    pub log: bool,
    /// Where the numbers come from, one citation a line.
    pub sources: Vec<String>,
}

const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

impl Chart {
    /// Running totals instead of values (a facet over years becomes "online by year").
    pub fn cumulative(mut self) -> Chart {
        let mut total = 0.0;
        for bar in &mut self.bars {
            total += bar.value.unwrap_or(0.0);
            bar.value = Some(total);
        }
        self.title.push_str(" (cumulative)");
        self
    }

    /// Each bar's length as a fraction of the longest, on the chart's scale.
    fn fractions(&self) -> Vec<f64> {
        self.fractions_of(None)
    }

    /// Fractions of `axis_max` (linear scale), or of the largest value.
    fn fractions_of(&self, axis_max: Option<f64>) -> Vec<f64> {
        let values: Vec<f64> = self.bars.iter().filter_map(|b| b.value).collect();
        if self.log {
            let positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
            let (lo, hi) = log_range(&positive);
            self.bars
                .iter()
                .map(|b| match b.value {
                    Some(v) if v > 0.0 => ((v.log10() - lo) / (hi - lo)).clamp(0.0, 1.0),
                    _ => 0.0,
                })
                .collect()
        } else {
            let max = axis_max.unwrap_or_else(|| values.iter().copied().fold(0.0_f64, f64::max));
            self.bars
                .iter()
                .map(|b| match b.value {
                    Some(v) if max > 0.0 && v > 0.0 => v / max,
                    _ => 0.0,
                })
                .collect()
        }
    }
}

/// A round step for about five linear ticks, and the axis maximum it reaches:
/// 23 gives (5, 25), 640 gives (200, 800).
fn nice_axis(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 1.0);
    }
    let rough = max / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    (step, (max / step).ceil() * step)
}

/// Whole powers of ten around the values: the log axis runs from `lo` to `hi`.
fn log_range(positive: &[f64]) -> (f64, f64) {
    let min = positive.iter().copied().fold(f64::INFINITY, f64::min);
    let max = positive.iter().copied().fold(0.0_f64, f64::max);
    if positive.is_empty() {
        return (0.0, 1.0);
    }
    // One decade below the smallest value, so that it still gets a visible bar.
    let lo = min.log10().floor() - 1.0;
    let hi = max.log10().ceil().max(lo + 1.0);
    (lo, hi)
}

fn label(bar: &Bar, style: Style) -> String {
    let (first, second) = match style {
        Style::Chinese => (&bar.label_zh, &bar.label_en),
        Style::Si => (&bar.label_en, &bar.label_zh),
    };
    let chosen = if first.is_empty() { second } else { first };
    // One line: a label's line breaks and tabs would break its bar's row.
    crate::text::safe(chosen).replace(['\n', '\r', '\t'], " ")
}

fn value_text(bar: &Bar, style: Style) -> String {
    let mark = bar.mark;
    bar.value.map_or_else(
        || "—".to_string(),
        |v| format!("{mark}{}", units::human(v, style)),
    )
}

/// Draw in the terminal: `fit` columns wide (the bars, and the source lines wrapped),
/// or, without a width to fit (a pipe), 80 columns of bars and whole source lines.
pub fn text(
    chart: &Chart,
    fit: Option<usize>,
    style: Style,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let width = fit.unwrap_or(80);
    let (dim, bar_on, off) = if color {
        ("\x1b[2m", "\x1b[36m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let scale = if chart.log { " (log scale)" } else { "" };
    let title = format!("{}{scale}", crate::text::safe(&chart.title));
    let title = match fit {
        Some(width) => super::table::wrap(&title, width),
        None => title,
    };
    writeln!(out, "{dim}{title}{off}")?;
    if chart.bars.is_empty() {
        return Ok(());
    }
    let widest = |f: &dyn Fn(&Bar) -> usize| chart.bars.iter().map(f).max().unwrap_or(0);
    let value_width = widest(&|b| value_text(b, style).width());
    // Labels give way to the bars (at least 10 columns) when a width is to be kept.
    let mut label_width = widest(&|b| label(b, style).width()).min(MAX_LABEL);
    if fit.is_some() {
        label_width = label_width.min(width.saturating_sub(value_width + 3 + 10).max(4));
    }
    // At least 10 columns of bar; at a very narrow width that must be kept, at least 3.
    let least = if fit.is_some() { 3 } else { 10 };
    let room = width
        .saturating_sub(label_width + value_width + 3)
        .max(least);
    for (bar, fraction) in chart.bars.iter().zip(chart.fractions()) {
        crate::guard::checkpoint("drawing the chart")?;
        let full = label(bar, style);
        let name = if full.width() > label_width {
            super::table::cut(&full, label_width)
        } else {
            full
        };
        let pad = label_width.saturating_sub(name.width());
        let eighths = (fraction * room as f64 * 8.0).round() as usize;
        let blocks = format!("{}{}", "█".repeat(eighths / 8), EIGHTHS[eighths % 8]);
        let gap = room - blocks.width();
        let value = value_text(bar, style);
        writeln!(
            out,
            "{name}{} │{bar_on}{blocks}{off}{} {}{value}",
            " ".repeat(pad),
            " ".repeat(gap),
            " ".repeat(value_width - value.width()),
        )?;
    }
    // Source lines wrap to the width, continued under their text.
    for source in &chart.sources {
        let line = format!("source: {}", crate::text::safe(source));
        let wrapped = match fit {
            Some(width) => super::table::wrap(&line, width.saturating_sub(8).max(12)),
            None => line,
        };
        for (i, part) in wrapped.lines().enumerate() {
            let indent = if i == 0 { "" } else { "        " };
            writeln!(out, "{dim}{indent}{part}{off}")?;
        }
    }
    Ok(())
}

/// Text for an SVG: markup escaped, and characters XML 1.0 forbids (control characters
/// other than tab and line breaks) replaced, so the file is well-formed whatever the
/// labels hold.
fn xml(s: &str) -> String {
    let allowed: String = s
        .chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r')
                || matches!(c, '\u{fffe}' | '\u{ffff}')
            {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    allowed
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An estimate of a label's width in pixels at 13px: CJK glyphs are square, Latin ones
/// about 0.6 em. Enough to lay out the label column; the SVG viewer does the rest.
fn px(s: &str) -> f64 {
    text_px(s, FONT)
}

/// The font size of the drawing's text, in pixels.
const FONT: f64 = 13.0;
/// The most a column of text (a Latin letter; half a Chinese character) is taken to
/// need at font size 13: the widest letters and digits of a sans-serif font average
/// under it, a Chinese character is 13 px (1 em) and counts two columns.
const COLUMN_PX: f64 = 7.5;

/// How wide text is drawn at `font` pixels, as laid out: its display columns (a
/// Chinese character two) at `COLUMN_PX` each, scaled to the font.
pub fn text_px(s: &str, font: f64) -> f64 {
    s.width() as f64 * COLUMN_PX * font / FONT
}

/// `text` in lines no wider than `room` pixels at `font` pixels, broken between words
/// and between Chinese characters, so a caption is never cut by the drawing's edge.
fn lines_within(text: &str, room: f64, font: f64) -> Vec<String> {
    let columns = (room / (COLUMN_PX * font / FONT)).floor().max(10.0) as usize;
    super::table::wrap(text, columns)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Draw as a standalone SVG: title, axis, both languages' labels, values, sources.
pub fn svg(chart: &Chart, out: &mut dyn Write) -> io::Result<()> {
    const ROW: f64 = 30.0;
    const TOP: f64 = 64.0;
    const PLOT: f64 = 560.0;
    let labels: Vec<String> = chart
        .bars
        .iter()
        .map(|b| {
            if b.label_en.is_empty() || b.label_en == b.label_zh {
                b.label_zh.clone()
            } else if b.label_zh.is_empty() {
                b.label_en.clone()
            } else {
                format!("{} {}", b.label_zh, b.label_en)
            }
        })
        .collect();
    const TITLE: f64 = 17.0;
    const MARGIN: f64 = 16.0;
    let left = labels.iter().map(|l| px(l)).fold(80.0_f64, f64::max) + 24.0;
    let width = (left + PLOT + 140.0).ceil();
    // The title and the captions wrap to the drawing's width, so that none is cut.
    let room = width - 2.0 * MARGIN;
    let title = lines_within(&chart.title, room, TITLE);
    let top = TOP + 22.0 * (title.len() as f64 - 1.0);
    let plot_bottom = top + ROW * chart.bars.len() as f64;
    let credit = format!(
        "Source: CAICT, {} ({}), via aiinfra. {}",
        crate::report::TITLE,
        crate::report::TITLE_EN,
        crate::report::ATTRIBUTION
    );
    // The attribution the report's notice asks for stays on one line of its own when
    // the whole credit does not fit one.
    let mut captions = if text_px(&credit, FONT) <= room {
        vec![credit]
    } else {
        let mut lines = lines_within(
            &format!(
                "Source: CAICT, {} ({}), via aiinfra.",
                crate::report::TITLE,
                crate::report::TITLE_EN
            ),
            room,
            FONT,
        );
        lines.extend(lines_within(crate::report::ATTRIBUTION, room, FONT));
        lines
    };
    for source in &chart.sources {
        captions.extend(lines_within(source, room, FONT));
    }
    let height = plot_bottom + 40.0 + 18.0 * (captions.len() as f64);
    writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif" font-size="{FONT}">
<title>{}</title>
<rect width="100%" height="100%" fill="white"/>"#,
        xml(&chart.title),
    )?;
    for (i, line) in title.iter().enumerate() {
        writeln!(
            out,
            r#"<text x="{MARGIN}" y="{}" font-size="{TITLE}" font-weight="bold">{}</text>"#,
            28.0 + 22.0 * i as f64,
            xml(line)
        )?;
    }
    if chart.log {
        writeln!(
            out,
            r##"<text x="{MARGIN}" y="{}" fill="#555">log scale</text>"##,
            top - 16.0
        )?;
    }
    // Axis with ticks: powers of ten on a log scale, quarters of the maximum otherwise.
    let ticks: Vec<(f64, f64)> = if chart.log {
        let positive: Vec<f64> = chart
            .bars
            .iter()
            .filter_map(|b| b.value)
            .filter(|v| *v > 0.0)
            .collect();
        let (lo, hi) = log_range(&positive);
        let decades = (hi - lo).round() as i32;
        let step = (decades / 6).max(1);
        (0..=decades)
            .step_by(step as usize)
            .map(|i| (i as f64 / (hi - lo), 10f64.powf(lo + i as f64)))
            .collect()
    } else {
        let max = chart
            .bars
            .iter()
            .filter_map(|b| b.value)
            .fold(0.0_f64, f64::max);
        let (step, top) = nice_axis(max);
        let n = (top / step).round() as i32;
        (0..=n)
            .map(|i| (f64::from(i) / f64::from(n), step * f64::from(i)))
            .collect()
    };
    let axis_max = if chart.log {
        None
    } else {
        Some(
            nice_axis(
                chart
                    .bars
                    .iter()
                    .filter_map(|b| b.value)
                    .fold(0.0_f64, f64::max),
            )
            .1,
        )
    };
    writeln!(
        out,
        r##"<line class="axis" x1="{left}" y1="{plot_bottom}" x2="{}" y2="{plot_bottom}" stroke="#333"/>"##,
        left + PLOT
    )?;
    for (fraction, value) in ticks {
        let x = left + fraction * PLOT;
        writeln!(
            out,
            r##"<line x1="{x:.1}" y1="{top}" x2="{x:.1}" y2="{}" stroke="#ddd"/><text class="tick" x="{x:.1}" y="{}" text-anchor="middle" fill="#555">{}</text>"##,
            plot_bottom + 4.0,
            plot_bottom + 18.0,
            xml(&units::human(value, Style::Si))
        )?;
    }
    for (i, ((bar, fraction), name)) in chart
        .bars
        .iter()
        .zip(chart.fractions_of(axis_max))
        .zip(&labels)
        .enumerate()
    {
        let y = top + ROW * i as f64;
        let w = fraction * PLOT;
        writeln!(
            out,
            r##"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="bar" x="{left}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="#2b8cbe"/><text class="value" x="{:.1}" y="{:.1}">{}</text>"##,
            left - 8.0,
            y + ROW * 0.65,
            xml(name),
            y + 5.0,
            ROW - 10.0,
            left + w + 6.0,
            y + ROW * 0.65,
            xml(&value_text(bar, Style::Si))
        )?;
    }
    for (i, line) in captions.iter().enumerate() {
        writeln!(
            out,
            r##"<text class="source" x="{MARGIN}" y="{}" fill="#555">{}</text>"##,
            plot_bottom + 44.0 + 18.0 * i as f64,
            xml(line)
        )?;
    }
    writeln!(out, "</svg>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: &[Option<f64>], log: bool) -> Chart {
        Chart {
            title: "t".into(),
            bars: values
                .iter()
                .enumerate()
                .map(|(i, v)| Bar {
                    label_zh: format!("名{i}"),
                    label_en: format!("n{i}"),
                    value: *v,
                    mark: "",
                })
                .collect(),
            log,
            sources: vec!["Table 1, p.5".into()],
        }
    }

    fn draw(c: &Chart, width: usize) -> String {
        let mut out = Vec::new();
        text(c, Some(width), Style::Chinese, false, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn bars_scale_to_the_largest_with_eighth_blocks() {
        let s = draw(
            &chart(&[Some(640.0), Some(320.0), Some(1.0), None], false),
            40,
        );
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "t");
        let room = 40 - (3 + 3 + 3);
        assert_eq!(lines[1].matches('█').count(), room);
        assert_eq!(lines[2].matches('█').count(), room / 2);
        assert!(lines[4].ends_with("   —"));
        // Every line is as wide: labels and values line up.
        let w = lines[1].width();
        assert!(lines[1..5].iter().all(|l| l.width() == w), "{s}");
        assert_eq!(lines[5], "source: Table 1, p.5");
    }

    #[test]
    fn log_scale_spans_orders_of_magnitude() {
        let c = chart(&[Some(3e9), Some(1e13)], true);
        let f = c.fractions();
        assert!(f[0] > 0.0 && f[0] < f[1] && f[1] == 1.0, "{f:?}");
    }

    #[test]
    fn linear_axes_take_round_steps() {
        assert_eq!(nice_axis(23.0), (5.0, 25.0));
        assert_eq!(nice_axis(640.0), (200.0, 800.0));
        assert_eq!(nice_axis(161_000.0), (50_000.0, 200_000.0));
        assert_eq!(nice_axis(0.0), (1.0, 1.0));
    }

    #[test]
    fn cumulative_sums_in_order() {
        let c = chart(&[Some(1.0), Some(3.0), None, Some(5.0)], false).cumulative();
        let v: Vec<Option<f64>> = c.bars.iter().map(|b| b.value).collect();
        assert_eq!(v, [Some(1.0), Some(4.0), Some(4.0), Some(9.0)]);
    }
}
