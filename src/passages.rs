//! The report as data: every heading, paragraph, table row, caption, source line and
//! footnote of the corrected report, once, in order, each with the part of the report
//! it belongs to (its section, table, figure or footnote, as `sources` names them) and
//! that part's page; and which passages each row's quote lies in.
//!
//! One parser, run wherever a database is built (the build script, `--seed-dir`,
//! `db build`, an older file read): passages are derived from the corrected report and
//! the `sources` rows, never edited. Joined in order, the passages give back the
//! corrected text, whitespace aside. Pure: it knows no database.

use std::ops::Range;

use crate::report::{Part, Report, squeeze};

/// What a passage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A heading: a section's, or the front matter's (前言, 目录).
    Heading,
    /// A paragraph of running text (lines not broken by a blank line).
    Paragraph,
    /// A row of a table, its cells separated by tabs.
    Row,
    /// A line of the contents, its page after a tab.
    Contents,
    /// A table's or a figure's caption (表1 …, 图2 …).
    Caption,
    /// A line naming where a table or figure comes from (来源: …).
    Credit,
    /// A footnote (¹ …).
    Footnote,
}

impl Kind {
    /// Every kind, in the order the schema lists them.
    pub const ALL: [Kind; 7] = [
        Kind::Heading,
        Kind::Paragraph,
        Kind::Row,
        Kind::Contents,
        Kind::Caption,
        Kind::Credit,
        Kind::Footnote,
    ];

    /// The kind's word in the `passages.kind` column.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Heading => "heading",
            Kind::Paragraph => "paragraph",
            Kind::Row => "row",
            Kind::Contents => "contents",
            Kind::Caption => "caption",
            Kind::Credit => "credit",
            Kind::Footnote => "footnote",
        }
    }
}

/// One passage of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// `sec-2.3.2.p3`: its part's id and its place among the part's passages;
    /// `front.pN` before the first chapter, `back.pN` on the back cover.
    pub id: String,
    /// The part it belongs to (`None` for the front matter and the back cover).
    pub source_id: Option<String>,
    /// That part's page.
    pub page: Option<i64>,
    pub kind: Kind,
    /// Its place in the report, from 1.
    pub position: i64,
    /// Its text as the corrected report has it (a table row's cells tab-separated).
    pub text: String,
    /// Where it stands in the corrected text.
    pub span: Range<usize>,
}

/// A part of the report as `sources` has it.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub label: String,
    pub page: Option<i64>,
}

/// The parts of the report `sources` name, found in its text once.
pub struct Parts<'s> {
    ranges: Vec<(&'s Source, Range<usize>, usize)>,
    /// The sections' headings, without whitespace.
    headings: Vec<String>,
}

impl<'s> Parts<'s> {
    pub fn new(report: &Report, sources: &'s [Source]) -> Parts<'s> {
        Parts {
            ranges: part_ranges(report, sources),
            headings: sources
                .iter()
                .filter(|s| s.id.starts_with("sec-"))
                .map(|s| squeeze(&s.label))
                .collect(),
        }
    }

    /// The range of the part `id` names, if it was found.
    pub fn range(&self, id: &str) -> Option<Range<usize>> {
        self.ranges
            .iter()
            .find(|(s, _, _)| s.id == id)
            .map(|(_, r, _)| r.clone())
    }
}

/// The passages of `report`, each in the part that holds it.
pub fn derive(report: &Report, parts: &Parts<'_>) -> Vec<Passage> {
    let text = report.text();
    let headings = &parts.headings;
    let body = report.body_start();
    let back = back_start(text);
    let mut spans: Vec<(Range<usize>, Kind)> = Vec::new();
    // Blocks between blank lines; inside a block, a line that is a heading, a row, a
    // caption, a source line or a footnote stands alone, and the other lines between
    // them make one paragraph.
    let mut at = 0;
    for block in text.split("\n\n") {
        let start = at;
        at += block.len() + 2;
        let mut paragraph: Option<Range<usize>> = None;
        let mut line_at = start;
        for line in block.split('\n') {
            let range = line_at..line_at + line.len();
            line_at += line.len() + 1;
            let squeezed = squeeze(line);
            if squeezed.is_empty() {
                continue;
            }
            let kind = if range.start < body || range.start >= back {
                front_kind(line, &squeezed)
            } else {
                body_kind(line, &squeezed, headings)
            };
            match kind {
                Kind::Paragraph => {
                    paragraph = Some(match paragraph {
                        Some(p) => p.start..range.end,
                        None => range,
                    });
                }
                other => {
                    spans.extend(paragraph.take().map(|p| (p, Kind::Paragraph)));
                    spans.push((range, other));
                }
            }
        }
        spans.extend(paragraph.map(|p| (p, Kind::Paragraph)));
    }
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    spans
        .into_iter()
        .enumerate()
        .map(|(i, (span, kind))| {
            let source = if span.start < body || span.start >= back {
                None
            } else {
                innermost(&parts.ranges, span.start)
            };
            let scope = match (&source, span.start < body) {
                (Some(s), _) => s.id.clone(),
                (None, true) => "front".to_string(),
                (None, false) => "back".to_string(),
            };
            let n = counts.entry(scope.clone()).or_insert(0);
            *n += 1;
            Passage {
                id: format!("{scope}.p{n}"),
                page: source.and_then(|s| s.page),
                source_id: source.map(|s| s.id.clone()),
                kind,
                position: i as i64 + 1,
                text: text[span.clone()].to_string(),
                span,
            }
        })
        .collect()
}

/// The kind of a line of the front matter or the back cover.
fn front_kind(line: &str, squeezed: &str) -> Kind {
    const HEADINGS: [&str; 5] = ["版权声明", "前言", "目录", "图目录", "表目录"];
    if HEADINGS.contains(&squeezed) {
        Kind::Heading
    } else if line.contains('\t') {
        Kind::Contents
    } else {
        Kind::Paragraph
    }
}

/// The kind of a line of the body.
fn body_kind(line: &str, squeezed: &str, headings: &[String]) -> Kind {
    let numbered = |word: char| {
        squeezed
            .strip_prefix(word)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    if headings.iter().any(|h| h == squeezed) {
        Kind::Heading
    } else if line
        .trim_start()
        .starts_with(['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'])
    {
        Kind::Footnote
    } else if line.contains('\t') {
        Kind::Row
    } else if (numbered('表') || numbered('图')) && squeezed.chars().count() <= 60 {
        Kind::Caption
    } else if squeezed.starts_with("来源") {
        Kind::Credit
    } else {
        Kind::Paragraph
    }
}

/// Where the back cover starts: the block before its address (地址:), if any.
fn back_start(text: &str) -> usize {
    match text.rfind("\n\n地址") {
        Some(address) => text[..address].rfind("\n\n").map_or(address, |i| i + 2),
        None => text.len(),
    }
}

/// Each part's range in the text, with how deep it is: a table, figure or footnote
/// is deeper than any section, so a passage inside it belongs to it.
fn part_ranges<'s>(
    report: &Report,
    sources: &'s [Source],
) -> Vec<(&'s Source, Range<usize>, usize)> {
    let headings: Vec<Part<'_>> = sources
        .iter()
        .filter(|s| s.id.starts_with("sec-"))
        .map(|s| Part {
            id: &s.id,
            label: &s.label,
        })
        .collect();
    sources
        .iter()
        .filter_map(|s| {
            let part = Part {
                id: &s.id,
                label: &s.label,
            };
            let range = report.part(part, &headings)?;
            let depth = if s.id.starts_with("sec-") {
                s.id.matches('.').count()
            } else {
                usize::MAX
            };
            Some((s, range, depth))
        })
        .collect()
}

/// The deepest part whose range holds `at`.
fn innermost<'s>(parts: &[(&'s Source, Range<usize>, usize)], at: usize) -> Option<&'s Source> {
    parts
        .iter()
        .filter(|(_, r, _)| r.contains(&at))
        .max_by_key(|(_, r, depth)| (*depth, std::cmp::Reverse(r.len())))
        .map(|(s, _, _)| *s)
}

/// A row that quotes the report: its table, id, cited part and quote.
#[derive(Debug, Clone)]
pub struct Quoted<'a> {
    pub entity: &'a str,
    pub id: &'a str,
    pub source_id: Option<&'a str>,
    pub quote: &'a str,
}

/// Where a row's quote stands in the text: inside the part its `source_id` names if it
/// is there (where the report prints the same text twice, the copy in the cited part),
/// else its first occurrence anywhere; `None` when it is not in the report.
pub fn locate(report: &Report, parts: &Parts<'_>, row: &Quoted<'_>) -> Option<Range<usize>> {
    let cited = row.source_id.and_then(|id| parts.range(id));
    cited
        .and_then(|r| report.find_within(row.quote, r))
        .or_else(|| report.find(row.quote))
}

/// The passages a row's quote lies in, in order: the quote is looked for first inside
/// the part its `source_id` names (where the report prints the same text twice, the
/// copy in the cited part), then anywhere. Empty when it is not in the report.
pub fn link(
    report: &Report,
    passages: &[Passage],
    parts: &Parts<'_>,
    row: &Quoted<'_>,
) -> Vec<String> {
    let Some(found) = locate(report, parts, row) else {
        return Vec::new();
    };
    passages
        .iter()
        .filter(|p| p.span.start < found.end && found.start < p.span.end)
        .map(|p| p.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> Vec<Source> {
        vec![
            Source {
                id: "sec-1".into(),
                label: "一、总论".into(),
                page: Some(1),
            },
            Source {
                id: "table-1".into(),
                label: "模型".into(),
                page: Some(2),
            },
        ]
    }

    const TEXT: &str = "封面\n\n前言\n\n序言一行\n\n一、总论\n\n第一段第一行\n第一段第二行\n\n名称\t参数\nGPT-3\t1750 亿\n\n表1 模型\n\n来源:公开资料\n\n¹ 注释\n\n中国信息通信研究院\n\n地址: 北京";

    #[test]
    fn passages_split_and_belong_to_their_part() {
        let report = Report::new(TEXT.to_string());
        let s = sources();
        let p = derive(&report, &Parts::new(&report, &s));
        let got: Vec<(&str, &str, Option<&str>)> = p
            .iter()
            .map(|p| (p.id.as_str(), p.kind.word(), p.source_id.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("front.p1", "paragraph", None),
                ("front.p2", "heading", None),
                ("front.p3", "paragraph", None),
                ("sec-1.p1", "heading", Some("sec-1")),
                ("sec-1.p2", "paragraph", Some("sec-1")),
                ("table-1.p1", "row", Some("table-1")),
                ("table-1.p2", "row", Some("table-1")),
                ("table-1.p3", "caption", Some("table-1")),
                ("table-1.p4", "credit", Some("table-1")),
                ("sec-1.p3", "footnote", Some("sec-1")),
                ("back.p1", "paragraph", None),
                ("back.p2", "paragraph", None),
            ]
        );
        assert_eq!(p[4].text, "第一段第一行\n第一段第二行");
        let joined: String = p.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(squeeze(&joined), squeeze(TEXT));
    }

    #[test]
    fn a_quote_links_to_the_passages_it_spans() {
        let report = Report::new(TEXT.to_string());
        let s = sources();
        let parts = Parts::new(&report, &s);
        let p = derive(&report, &parts);
        let row = Quoted {
            entity: "models",
            id: "gpt-3",
            source_id: Some("table-1"),
            quote: "GPT-3 1750 亿",
        };
        assert_eq!(link(&report, &p, &parts, &row), ["table-1.p2"]);
        let across = Quoted {
            quote: "第二行",
            source_id: Some("sec-1"),
            ..row.clone()
        };
        assert_eq!(link(&report, &p, &parts, &across), ["sec-1.p2"]);
        let missing = Quoted {
            quote: "不在报告里",
            ..row
        };
        assert!(link(&report, &p, &parts, &missing).is_empty());
    }
}
