//! The report itself: its text as extracted from the PDF (`report/`), the errata that
//! correct what the extraction broke, and the corrected text that quotes are checked
//! against and that `show --context` and `aiinfra report` print.
//!
//! The corrected report is the raw text with every erratum applied at once: each
//! erratum's raw text must occur exactly once in the raw text, and no two may overlap,
//! so the result does not depend on the order of the file. Quotes match the corrected
//! text verbatim, whitespace aside. It owns the text; it knows nothing of the database.

use std::fmt;
use std::sync::OnceLock;

/// The report's text as extracted from its PDF, with the extraction's errors.
pub const RAW: &str = include_str!("../report/caict-ai-infrastructure-2021.txt");

/// The errata: `raw,corrected,kind,note`, one extraction error a line.
pub const ERRATA: &str = include_str!("../report/errata.csv");

/// The report's title, publisher and the attribution its copyright notice asks for.
pub const TITLE: &str = "人工智能基础设施发展态势报告(2021年)";
pub const TITLE_EN: &str = "AI Infrastructure Development Report 2021";
pub const PUBLISHER: &str = "中国信息通信研究院 (CAICT), 人工智能与经济社会研究中心, January 2022";
pub const ATTRIBUTION: &str = "来源:中国信息通信研究院和人工智能与经济社会研究中心";
/// The month the report was published (its cover says January 2022): a date after it
/// is a target or a forecast, not a record.
pub const PUBLISHED: &str = "2022-01";
/// Where the original is published.
pub const URL: &str = "http://www.caict.ac.cn/";

/// The attribution line every export carries: the report's title and its notice.
pub fn credit() -> String {
    format!("{TITLE} ({TITLE_EN}), {PUBLISHER}. {ATTRIBUTION}")
}

/// The largest report file `db check --report` reads; the real one is 47 KB.
pub const MAX_REPORT_BYTES: u64 = 4 * 1024 * 1024;

/// What kind of extraction error an erratum corrects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A character read as another (毌 for 中, 干 for 千).
    Misread,
    /// A table cell broken over lines or repeated as garbage.
    TableCell,
    /// A number split by a space (`52. 2k`).
    SplitNumber,
    /// Markup the extraction left behind (`**`, `<mark>`).
    Markup,
    /// A sentence split by a page break, a footnote or a repeated fragment, or a word
    /// split by the space a line wrap left in running text or a heading (华为昇 腾).
    LineBreak,
    /// Words the extraction dropped, restored from where the report prints the same
    /// text whole (Table 6's caption, from the contents list).
    Restored,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Misread,
        Kind::TableCell,
        Kind::SplitNumber,
        Kind::Markup,
        Kind::LineBreak,
        Kind::Restored,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Kind::Misread => "misread",
            Kind::TableCell => "table_cell",
            Kind::SplitNumber => "split_number",
            Kind::Markup => "markup",
            Kind::LineBreak => "line_break",
            Kind::Restored => "restored",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.word() == s)
    }
}

/// One correction of the extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erratum {
    /// Its line in `report/errata.csv`.
    pub line: usize,
    pub raw: String,
    pub corrected: String,
    pub kind: Kind,
    pub note: String,
}

/// Everything wrong with the errata or with applying them, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<String>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("\n  "))
    }
}

impl std::error::Error for Problems {}

/// `\n`, `\t` and `\\` in an errata field, so that one erratum stays one line.
fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            other => {
                return Err(format!(
                    "unknown escape \\{} (use \\n, \\t or \\\\)",
                    other.map(String::from).unwrap_or_default()
                ));
            }
        }
    }
    Ok(out)
}

/// The records of a CSV list with this exact header, each with its line; a problem
/// (naming `shown`, the line and the field count) for a wrong header or a record of
/// another width. The errata and the list of uncaptured numbers read this way.
pub fn records(
    text: &str,
    shown: &str,
    header: &[&str],
    problems: &mut Vec<String>,
) -> Vec<(usize, csv::StringRecord)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    match reader.headers() {
        Ok(h) if h.iter().eq(header.iter().copied()) => {}
        Ok(h) => problems.push(format!(
            "{shown}:1: expected the header {}, found {}",
            header.join(","),
            h.iter().collect::<Vec<_>>().join(",")
        )),
        Err(e) => problems.push(format!("{shown}: {e}")),
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{shown}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() != header.len() {
            problems.push(format!(
                "{shown}:{line}: expected {} fields, found {}",
                header.len(),
                record.len()
            ));
            continue;
        }
        out.push((line, record));
    }
    out
}

/// Parse the errata file (`shown` names it in messages).
pub fn parse_errata(text: &str, shown: &str) -> Result<Vec<Erratum>, Problems> {
    let mut problems = Vec::new();
    let mut errata = Vec::new();
    for (line, record) in records(
        text,
        shown,
        &["raw", "corrected", "kind", "note"],
        &mut problems,
    ) {
        let field = |i: usize| unescape(&record[i]).map_err(|e| format!("{shown}:{line}: {e}"));
        let kind = Kind::parse(&record[2]).ok_or_else(|| {
            format!(
                "{shown}:{line}: unknown kind {:?} (expected one of: {})",
                &record[2],
                Kind::ALL.map(Kind::word).join(", ")
            )
        });
        match (field(0), field(1), kind) {
            (Ok(raw), Ok(corrected), Ok(kind)) if !raw.is_empty() => errata.push(Erratum {
                line,
                raw,
                corrected,
                kind,
                note: record[3].to_string(),
            }),
            (Ok(_), Ok(_), Ok(_)) => problems.push(format!("{shown}:{line}: empty raw text")),
            (a, b, c) => problems.extend([a.err(), b.err(), c.err()].into_iter().flatten()),
        }
    }
    if problems.is_empty() {
        Ok(errata)
    } else {
        Err(Problems(problems))
    }
}

/// The built-in errata.
pub fn errata() -> Result<Vec<Erratum>, Problems> {
    parse_errata(ERRATA, "report/errata.csv")
}

/// Apply `errata` to `raw`: each erratum's raw text must occur exactly once, and no
/// two may overlap. `shown` names the text in messages.
pub fn apply(raw: &str, errata: &[Erratum], shown: &str) -> Result<String, Problems> {
    let mut problems = Vec::new();
    let mut spans: Vec<(usize, usize, &Erratum)> = Vec::new();
    for e in errata {
        let mut found = raw.match_indices(e.raw.as_str());
        match (found.next(), found.next()) {
            (Some((at, _)), None) => spans.push((at, at + e.raw.len(), e)),
            (None, _) => problems.push(format!(
                "report/errata.csv:{}: {:?} does not occur in {shown}",
                e.line, e.raw
            )),
            (Some(_), Some(_)) => problems.push(format!(
                "report/errata.csv:{}: {:?} occurs {} times in {shown}; give more context so that it occurs once",
                e.line,
                e.raw,
                raw.matches(e.raw.as_str()).count()
            )),
        }
    }
    spans.sort_by_key(|s| s.0);
    for pair in spans.windows(2) {
        if pair[1].0 < pair[0].1 {
            problems.push(format!(
                "report/errata.csv:{} and :{} overlap in {shown}",
                pair[0].2.line, pair[1].2.line
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let mut out = String::with_capacity(raw.len());
    let mut at = 0;
    for (start, end, e) in spans {
        out.push_str(&raw[at..start]);
        out.push_str(&e.corrected);
        at = end;
    }
    out.push_str(&raw[at..]);
    Ok(out)
}

/// The corrected report built in: the raw text with the errata applied. A broken
/// erratum is a bug of this build (a test applies them all), so it is reported, not
/// hidden.
pub fn corrected() -> Result<&'static Report, Problems> {
    static CORRECTED: OnceLock<Result<Report, Problems>> = OnceLock::new();
    CORRECTED
        .get_or_init(|| {
            let errata = errata()?;
            Ok(Report::new(apply(RAW, &errata, "the built-in report")?))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A text of the report, prepared for finding quotes in it.
#[derive(Debug)]
pub struct Report {
    text: String,
    /// The text without whitespace.
    squeezed: String,
    /// For each byte of `squeezed` that starts a character, where it stands in `text`.
    origin: Vec<usize>,
    /// Every line's start and the line without whitespace, made once when parts are
    /// first looked for.
    lines: OnceLock<Vec<(usize, String)>>,
}

impl Report {
    pub fn new(text: String) -> Report {
        let mut squeezed = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices().filter(|(_, c)| !c.is_whitespace()) {
            for _ in 0..c.len_utf8() {
                origin.push(at);
            }
            squeezed.push(c);
        }
        Report {
            text,
            squeezed,
            origin,
            lines: OnceLock::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether `quote` stands in the report, whitespace aside (it must not be empty).
    pub fn contains(&self, quote: &str) -> bool {
        self.find(quote).is_some()
    }

    /// Where `quote` first stands in the text, whitespace aside, as a byte range.
    pub fn find(&self, quote: &str) -> Option<std::ops::Range<usize>> {
        self.find_within(quote, 0..self.text.len())
    }

    /// Where `quote` first stands inside `within` (a byte range of the text),
    /// whitespace aside.
    pub fn find_within(
        &self,
        quote: &str,
        within: std::ops::Range<usize>,
    ) -> Option<std::ops::Range<usize>> {
        let q = squeeze(quote);
        if q.is_empty() {
            return None;
        }
        // The squeezed text's bytes whose characters start inside `within`.
        let from = self.origin.partition_point(|&o| o < within.start);
        let to = self.origin.partition_point(|&o| o < within.end);
        let hay = self.squeezed.get(from..to)?;
        let start = from + hay.find(&q)?;
        let last = start + q.len() - 1;
        let end_char = self.origin[last];
        let end = end_char
            + self.text[end_char..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        Some(self.origin[start]..end)
    }

    /// The paragraphs (separated by blank lines) that hold `range`, as a byte range.
    pub fn paragraph(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let start = self.text[..range.start].rfind("\n\n").map_or(0, |i| i + 2);
        let end = self.text[range.end..]
            .find("\n\n")
            .map_or(self.text.len(), |i| range.end + i);
        start..end
    }
}

/// A part of the report a source row names.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    /// `sec-2.3.2`, `table-4`, `figure-2`, `footnote-1`.
    pub id: &'a str,
    /// The report's own title of it (`sources.label_zh`).
    pub label: &'a str,
}

impl Report {
    /// Where the body of the report starts: its first chapter heading that is not a
    /// line of the contents (those end with their page number).
    pub fn body_start(&self) -> usize {
        self.lines()
            .find(|(_, line)| {
                line.starts_with("一、") && !line.trim_end().ends_with(|c: char| c.is_ascii_digit())
            })
            .map_or(0, |(at, _)| at)
    }

    /// Every line with its byte offset.
    fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        let text = self.text.as_str();
        text.split_inclusive('\n').scan(0, move |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line.trim_end_matches('\n')))
        })
    }

    /// The text of one part: a section up to the next heading of its level or above, a
    /// table with its caption and source line, a figure's caption and source line, a
    /// footnote. `headings` are the section parts whose ends bound each other.
    pub fn part(&self, part: Part<'_>, headings: &[Part<'_>]) -> Option<std::ops::Range<usize>> {
        let body = self.body_start();
        let (kind, number) = part.id.split_once('-')?;
        let squeezed_lines = self
            .lines
            .get_or_init(|| self.lines().map(|(at, line)| (at, squeeze(line))).collect());
        // The first line at or after `from` that reads `want`, whitespace aside.
        let first_line = |want: &str, from: usize| {
            let want = squeeze(want);
            squeezed_lines
                .iter()
                .find(|(at, line)| *at >= from && *line == want)
                .map(|(at, _)| *at)
        };
        match kind {
            "sec" => {
                let depth = |id: &str| id.matches('.').count();
                let start = first_line(part.label, body)?;
                let end = headings
                    .iter()
                    .filter(|h| h.id != part.id && depth(h.id) <= depth(part.id))
                    .filter_map(|h| first_line(h.label, start + 1))
                    .min()
                    .unwrap_or(self.text.len());
                Some(start..self.trim_end(end))
            }
            "table" | "figure" => {
                let word = if kind == "table" { "表" } else { "图" };
                let caption = squeeze(&format!("{word}{number}"));
                let label = squeeze(part.label);
                let both = format!("{caption}{label}");
                let (at, _) =
                    squeezed_lines
                        .iter()
                        .filter(|(at, _)| *at >= body)
                        .find(|(_, l)| {
                            l.strip_prefix(&caption).is_some_and(|rest| {
                                !rest.starts_with(|c: char| c.is_ascii_digit())
                                    && !rest.is_empty()
                                    && (label.starts_with(rest) || rest.starts_with(&label))
                            }) || l.contains(&both)
                        })?;
                let at = *at;
                let caption_end = at + self.text[at..].find('\n').unwrap_or(self.text.len() - at);
                let before = self.paragraph_before(at);
                let after = self.paragraph_after(caption_end);
                let is_source = |r: &std::ops::Range<usize>| {
                    self.text[r.clone()].trim_start().starts_with("来源")
                };
                let start = match &before {
                    // A table printed above its caption, with its source below.
                    Some(b) if kind == "table" && after.as_ref().is_some_and(is_source) => b.start,
                    Some(b) if kind == "figure" && is_source(b) => b.start,
                    _ => at,
                };
                let end = match &after {
                    Some(a) if is_source(a) => a.end,
                    Some(a) if kind == "table" => {
                        // The rows, then the source line.
                        match self.paragraph_after(a.end) {
                            Some(s) if is_source(&s) => s.end,
                            _ => a.end,
                        }
                    }
                    _ => caption_end,
                };
                Some(start..end)
            }
            "footnote" => {
                let marker = number.parse::<usize>().ok().and_then(|n| {
                    ["¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
                        .get(n.checked_sub(1)?)
                        .copied()
                })?;
                let (at, line) = self.lines().find(|(_, line)| line.starts_with(marker))?;
                Some(at..at + line.len())
            }
            _ => None,
        }
    }

    /// The blank-line-separated paragraph that ends just before `at`.
    fn paragraph_before(&self, at: usize) -> Option<std::ops::Range<usize>> {
        let head = self.text[..at].trim_end();
        if head.is_empty() {
            return None;
        }
        let start = head.rfind("\n\n").map_or(0, |i| i + 2);
        Some(start..head.len())
    }

    /// The paragraph that starts after `at` (past blank lines).
    fn paragraph_after(&self, at: usize) -> Option<std::ops::Range<usize>> {
        let rest = &self.text[at..];
        let skipped = rest.len() - rest.trim_start().len();
        let start = at + skipped;
        if start >= self.text.len() {
            return None;
        }
        let end = self.text[start..]
            .find("\n\n")
            .map_or(self.text.len(), |i| start + i);
        Some(start..end)
    }

    fn trim_end(&self, end: usize) -> usize {
        self.text[..end].trim_end().len()
    }
}

/// Drop all whitespace: the extraction breaks lines and puts spaces between Chinese
/// characters, so quotes are compared without it.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn erratum(raw: &str, corrected: &str) -> Erratum {
        Erratum {
            line: 2,
            raw: raw.into(),
            corrected: corrected.into(),
            kind: Kind::Misread,
            note: String::new(),
        }
    }

    #[test]
    fn every_built_in_erratum_occurs_exactly_once_and_applies() {
        let errata = errata().unwrap_or_else(|p| panic!("{p}"));
        for e in &errata {
            assert_eq!(
                RAW.matches(e.raw.as_str()).count(),
                1,
                "report/errata.csv:{}: {:?}",
                e.line,
                e.raw
            );
        }
        let report = corrected().unwrap_or_else(|p| panic!("{p}"));
        for e in &errata {
            assert!(
                report.text().contains(&e.corrected),
                "report/errata.csv:{}",
                e.line
            );
        }
    }

    #[test]
    fn errata_must_occur_once_and_not_overlap() {
        let raw = "华为**昇**腾 310 与 异腾";
        assert_eq!(
            apply(raw, &[erratum("**昇**", "昇")], "t").unwrap(),
            "华为昇腾 310 与 异腾"
        );
        let err = apply(raw, &[erratum("腾", "x")], "t").unwrap_err();
        assert!(err.0[0].contains("occurs 2 times"), "{err}");
        let err = apply(raw, &[erratum("毌", "中")], "t").unwrap_err();
        assert!(err.0[0].contains("does not occur"), "{err}");
        let err = apply(raw, &[erratum("华为**", "a"), erratum("**昇", "b")], "t").unwrap_err();
        assert!(err.0[0].contains("overlap"), "{err}");
    }

    #[test]
    fn errata_fields_take_escapes_and_known_kinds() {
        let text = "raw,corrected,kind,note\n\"a\\tb\\nc\",x\\\\y,split_number,n\n";
        let e = parse_errata(text, "e.csv").unwrap();
        assert_eq!(e[0].raw, "a\tb\nc");
        assert_eq!(e[0].corrected, "x\\y");
        assert_eq!(e[0].kind, Kind::SplitNumber);
        let err = parse_errata("raw,corrected,kind,note\na,b,typo,\n", "e.csv").unwrap_err();
        assert!(
            err.0[0].starts_with("e.csv:2: unknown kind \"typo\""),
            "{err}"
        );
        let err = parse_errata("raw,corrected,kind,note\n\\q,b,markup,\n", "e.csv").unwrap_err();
        assert!(err.0[0].contains("unknown escape \\q"), "{err}");
    }

    #[test]
    fn parts_are_found_by_their_headings_and_captions() {
        let report = corrected().unwrap();
        let sec = |id, label| Part { id, label };
        let headings = [
            sec("sec-2.3", "(三)算力总规模持续高速增长"),
            sec("sec-2.3.1", "1. 智能算力规模保持迅猛发展态势"),
            sec("sec-2.3.2", "2. 人工智能芯片算力性能大幅提升"),
            sec("sec-2.4", "(四)AI 开源开放平台逐步壮大"),
        ];
        let text = |p| &report.text()[report.part(p, &headings).unwrap()];
        let chips = text(headings[2]);
        assert!(
            chips.starts_with("2. 人工智能芯片算力性能大幅提升"),
            "{chips}"
        );
        assert!(
            chips.contains("昆仑芯 2") && !chips.contains("(四)"),
            "{chips}"
        );
        let all = text(headings[0]);
        assert!(
            all.contains("2020年算力规模") && all.contains("昆仑芯 2"),
            "{all}"
        );
        // Table 4 is printed as extracted: its rows, then its caption, then its source.
        let t4 = text(sec("table-4", "全球主要深度学习开发框架情况"));
        assert!(
            t4.starts_with("名称")
                && t4.contains("ONEFLOW")
                && t4.contains("表4 全球主要深度学习开发框架情况")
                && t4.trim_end().ends_with("来源:中国信息通信研究院"),
            "{t4}"
        );
        let t2 = text(sec("table-2", "2019年6月至2020年3月数据集数量和百分比"));
        assert!(
            t2.starts_with("表2") && t2.contains("Hindi") && t2.contains("来源"),
            "{t2}"
        );
        let f1 = text(sec("footnote-1", ""));
        assert!(f1.starts_with("¹ 2018 年"), "{f1}");
    }

    #[test]
    fn quotes_match_whitespace_aside_and_are_located() {
        let report =
            Report::new("第一段。\n\n华为昇腾 310 采用\n华为自研的达芬奇结构。\n\n第三段".into());
        assert!(report.contains("华为昇腾310采用华为自研"));
        assert!(!report.contains("达芬奇架构"));
        assert!(!report.contains("  "));
        let at = report.find("310采用华为").unwrap();
        assert_eq!(&report.text()[at.clone()], "310 采用\n华为");
        let p = report.paragraph(at);
        assert_eq!(
            &report.text()[p],
            "华为昇腾 310 采用\n华为自研的达芬奇结构。"
        );
    }
}
