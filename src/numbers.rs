//! The numbers the report states: one grammar that says what counts as a number stated
//! by the report and what does not, so that every stated number can be accounted for
//! (held by a row, or listed in `report/uncaptured.csv` with the reason it is not one).
//!
//! What counts:
//! - Arabic numerals, with decimals and thousands separators (`57.18`, `18,650`), their
//!   scale (万亿, 亿, 万, 千, 百 and a glued K/k/M/B/T: `1750 亿`, `52.2k`, `30K`), a
//!   percent sign (`55%`), a range (`1-2`), and the unit glued to them (`7nm`, `22TOPS`).
//! - Years and months that date something: a four-digit year (1900–2100) with 年
//!   (`2020 年`, `2021年底`), with a month (`2021年7月`, `2021 年 12 月份`), a half
//!   (`2020 年上半年`, `2020H1`), a span of years (`2019-2021 财年`), a year before
//!   之前/以来/起 (`2030之前`), a year heading a table row (Table 3's `2015`), and a
//!   month without its year (`今年4月`, `9 月`).
//! - Chinese numerals with a measure word (`三方面`, `两个`, `十个`, `四种`), with 大
//!   (`八大`, `三大`), in the set phrase N位一体 (`四位一体`), ordinals (`第一`, `第二位`,
//!   `首位`), fractions (`三分之一`), and any Chinese numeral with 万 or 亿 (`千亿`,
//!   `万亿次`, `十亿像素`, `百亿亿次`, `上亿`).
//!
//! What does not:
//! - numerals inside names: glued to Latin letters (`GPT-3`, `M6`, `L4`, `INT8`, `5G`,
//!   `Objects365`, `ResNet-50`) or listed in [`NAMES`] (`昇腾 910`, `悟道 2.0`, `十四五`);
//! - titles in 《》 (`《人工智能战略2019》`);
//! - section and list numbering (`一、`, `(二)`, `1. `, Table 1's 序号 `1`…`8`, `一是`),
//!   references to figures and tables (`图 1`, `表5`), the page numbers of the contents;
//! - citations and footnote marks: the superscripts `¹²³⁴` (not ASCII digits), and every
//!   line that cites a source (`来源: IDC 2020H1…`, `⁴ 数据来源: https://…`);
//! - URLs, and the contact lines of the back cover (地址, 邮编, 电话, 传真, 网址);
//! - 一 alone before a measure word: it is the article "a" (`一个"快速路径"`, `新一代`,
//!   `一方面`), not a count; and Chinese numerals without a measure word (`三星`,
//!   `四川`, `千行百业`, `举一反三`).
//!
//! Where a rule cannot be general the case is in an explicit list below ([`NAMES`],
//! [`NUMBER_PREFIXES`], [`ORDINAL_WORDS`]), each entry with its reason. The module is
//! pure and depends on nothing but `std`.

use std::ops::Range;

/// What kind of number a stated number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Arabic numerals, with their scale and unit: `1750 亿`, `52.2k`, `7nm`.
    Quantity,
    /// Arabic numerals with `%`: `55%`.
    Percent,
    /// Two numbers joined by `-`, not years: `1-2`.
    Range,
    /// A year that dates something: `2020 年`, `2021年底`, `2030之前`.
    Year,
    /// A month, with or without its year: `2021年7月`, `今年4月`.
    Month,
    /// A half-year: `2020 年上半年`, `2020年下半年`, `2020H1`.
    HalfYear,
    /// A span of years: `2019-2021 财年`.
    YearRange,
    /// A Chinese numeral with a measure word, or with 万/亿: `三方面`, `八大`, `千亿`.
    Words,
    /// A rank: `第一`, `第二位`, `首位`.
    Ordinal,
    /// A fraction in words: `三分之一`.
    Fraction,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Quantity => "quantity",
            Kind::Percent => "percent",
            Kind::Range => "range",
            Kind::Year => "year",
            Kind::Month => "month",
            Kind::HalfYear => "half_year",
            Kind::YearRange => "year_range",
            Kind::Words => "words",
            Kind::Ordinal => "ordinal",
            Kind::Fraction => "fraction",
        }
    }

    /// Whether the number is a date (its value is a [`Value::Date`] or [`Value::Dates`]).
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Kind::Year | Kind::Month | Kind::HalfYear | Kind::YearRange
        )
    }
}

/// A date as the report gives it: a year, a month (perhaps without its year) or a half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: Option<u16>,
    pub month: Option<u8>,
    /// 1 for the first half (上半年, H1), 2 for the second.
    pub half: Option<u8>,
}

impl Date {
    /// The date as the contract writes a period: `2020`, `2020-06`, `2020-H1`; a month
    /// without its year as `-06`.
    pub fn period(&self) -> String {
        let year = self.year.map(|y| y.to_string()).unwrap_or_default();
        match (self.month, self.half) {
            (Some(m), _) => format!("{year}-{m:02}"),
            (None, Some(h)) => format!("{year}-H{h}"),
            (None, None) => year,
        }
    }
}

/// The value of a stated number, after its scale: `1750 亿` is 175000000000, `52.2k` is
/// 52200, `50%` is 50, `三分之一` is 0.333….
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Range(f64, f64),
    Date(Date),
    Dates(Date, Date),
}

/// How the report qualifies a number, in the contract's words (`at_least`, `over`,
/// `nearly`, `about`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// 以上, `+`
    AtLeast,
    /// 超过, 超, 多, 余, 高于, 突破, 上 (上亿)
    Over,
    /// 近, 接近
    Nearly,
    /// 约, 约为, 左右
    About,
}

impl Qualifier {
    pub fn word(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "at_least",
            Qualifier::Over => "over",
            Qualifier::Nearly => "nearly",
            Qualifier::About => "about",
        }
    }
}

/// One number the report states.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    /// Where it stands in the text given to [`stated`], in bytes.
    pub span: Range<usize>,
    /// The text of the span without whitespace (the extraction's spaces are not the
    /// report's): `1750亿`, `2020年3月`, `三方面`.
    pub printed: String,
    pub value: Value,
    pub kind: Kind,
    /// The word around it that makes it a bound or an approximation.
    pub qualifier: Option<Qualifier>,
    /// The unit or measure word right after it, where the grammar knows it (`TOPS`,
    /// `个`, `方面`).
    pub unit: Option<&'static str>,
}

/// Names that contain numerals, matched with whitespace ignored: inside them a numeral
/// names, it does not state. Names glued to Latin letters (`GPT-3`, `M6`, `INT8`) need
/// no entry; these are the names a rule cannot tell from a number.
pub const NAMES: &[(&str, &str)] = &[
    (
        "人工智能基础设施发展态势报告(2021年)",
        "the report's own title, printed on the cover without 《》",
    ),
    ("十四五", "the 14th Five-Year Plan (十四五规划)"),
    ("昇腾910", "Huawei's Ascend 910 chip"),
    ("昇腾310", "Huawei's Ascend 310 chip"),
    ("思元370", "Cambricon's MLU370 chip"),
    (
        "二代思元芯片270",
        "Cambricon's second-generation MLU270: 二代 and 270 both name it",
    ),
    ("昆仑芯2", "Baidu's Kunlun 2 chip"),
    ("悟道2.0", "BAAI's WuDao 2.0 model"),
    ("源1.0", "Inspur's Yuan 1.0 model"),
    ("Atlas900", "Huawei's Atlas 900 AI cluster"),
    ("社会5.0", "Society 5.0, Japan's vision of a society"),
    (
        "1.0版本",
        "Apollo's version 1.0: a version number names a release",
    ),
];

/// Latin words that may stand glued before a number without making it a name: the
/// number is a value of the measure the word names.
pub const NUMBER_PREFIXES: &[(&str, &str)] = &[
    (
        "PUE",
        "行业平均水平 PUE1.59: the power usage effectiveness 1.59",
    ),
    (
        "top",
        "开放数据集top10总量: the top 10 (provinces), a count of the group measured",
    ),
];

/// Words that give a rank without a numeral.
pub const ORDINAL_WORDS: &[(&str, f64, &str)] = &[(
    "首位",
    1.0,
    "位列全国首位: first place, as 第一位 (首个 and 首家, 'the first ever', are claims, not ranks)",
)];

/// Units that may stand glued after a number (`7nm`, `22TOPS`, `40TB`); any other Latin
/// letters glued after digits make a name (`5G`).
const UNITS: &[&str] = &[
    "PFLOPS", "TFLOPS", "EFlops", "EFLOPS", "FLOPS", "TOPS", "nm", "W", "kW", "TB", "ZB", "PB",
    "EB", "GB",
];

/// Measure words after a Chinese numeral, longest first. 大 (八大, 两大) is not a measure
/// word but makes a count the same way.
const MEASURE_WORDS: &[&str] = &[
    "方面", "小时", "公里", "个", "大", "位", "项", "家", "种", "代", "年", "月", "倍", "次", "名",
    "台", "条", "张", "篇", "类", "辆", "款", "批", "套", "件", "座", "届", "轮", "层", "天", "周",
];

/// What may follow 第N as part of the rank.
const ORDINAL_MEASURES: &[&str] = &["等级", "位", "名", "代"];

/// Qualifiers before a number, longest first.
const QUALIFIERS_BEFORE: &[(&str, Qualifier)] = &[
    ("超过", Qualifier::Over),
    ("接近", Qualifier::Nearly),
    ("约为", Qualifier::About),
    ("高于", Qualifier::Over),
    ("突破", Qualifier::Over),
    ("超", Qualifier::Over),
    ("近", Qualifier::Nearly),
    ("约", Qualifier::About),
];

/// Qualifiers after a number (and its scale and unit sign).
const QUALIFIERS_AFTER: &[(&str, Qualifier)] = &[
    ("以上", Qualifier::AtLeast),
    ("左右", Qualifier::About),
    ("多", Qualifier::Over),
    ("余", Qualifier::Over),
];

/// Chinese scales after Arabic numerals, longest first.
const CN_SCALES: &[(&str, i32)] = &[("万亿", 12), ("亿", 8), ("万", 4), ("千", 3), ("百", 2)];

/// Latin scales glued after Arabic numerals.
const LATIN_SCALES: &[(char, i32)] = &[('K', 3), ('k', 3), ('M', 6), ('B', 9), ('T', 12)];

/// Lines that cite a source: all their numbers are the citation's.
const CITATION_STARTS: &[&str] = &["来源", "数据来源"];

/// The back cover's contact lines.
const CONTACT_STARTS: &[&str] = &["地址", "邮编", "电话", "传真", "网址"];

/// Every number `text` states, in order. `text` is any part of the corrected report (a
/// paragraph, a table row, the whole report): the rules that look at a line (numbering,
/// table rows, citations) look at the lines of `text`.
pub fn stated(text: &str) -> Vec<Stated> {
    let excluded = excluded_spans(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = char_at(text, i);
        if let Some(skip) = excluded.iter().find(|r| r.contains(&i)) {
            i = skip.end.max(i + c.len_utf8());
            continue;
        }
        if c.is_ascii_digit() {
            let (found, next) = arabic(text, i);
            out.extend(found);
            i = next.max(i + 1);
            continue;
        }
        if is_cn_numeral(c) || c == '第' || starts_with_ordinal_word(&text[i..]) {
            let (found, next) = chinese(text, i);
            if let Some(found) = found {
                if !excluded
                    .iter()
                    .any(|r| r.start < found.span.end && found.span.start < r.end)
                {
                    out.push(found);
                }
                i = next;
                continue;
            }
        }
        i += c.len_utf8();
    }
    out
}

fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or('\0')
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// Spaces the extraction puts inside a number or between a number and its unit; never a
/// line break or a tab (a tab separates table cells).
fn is_inline_space(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\u{3000}'
}

fn skip_spaces(text: &str, mut i: usize) -> usize {
    while i < text.len() && is_inline_space(char_at(text, i)) {
        i += char_at(text, i).len_utf8();
    }
    i
}

fn line_start(text: &str, i: usize) -> usize {
    text[..i].rfind('\n').map_or(0, |p| p + 1)
}

fn line_end(text: &str, i: usize) -> usize {
    text[i..].find('\n').map_or(text.len(), |p| i + p)
}

/// Whether only spaces stand between the start of the line and `i`.
fn at_line_start(text: &str, i: usize) -> bool {
    text[line_start(text, i)..i].chars().all(is_inline_space)
}

/// The spans in which no number counts: titles in 《》, names, citation and contact
/// lines, URLs, references to figures and tables.
fn excluded_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    // Titles in 《》: up to the closing 》, or the end of the line.
    let mut at = 0;
    while let Some(p) = text[at..].find('《') {
        let start = at + p;
        let end = text[start..]
            .find('》')
            .map_or_else(|| line_end(text, start), |q| start + q + '》'.len_utf8());
        spans.push(start..end);
        at = end.max(start + '《'.len_utf8());
    }
    // Lines that cite a source or give the back cover's contacts.
    let mut line_at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches(|c: char| c.is_whitespace() || "¹²³⁴⁵⁶⁷⁸⁹⁰".contains(c));
        if CITATION_STARTS
            .iter()
            .chain(CONTACT_STARTS)
            .any(|s| body.starts_with(s))
        {
            spans.push(line_at..line_at + line.len());
        }
        line_at += line.len();
    }
    // URLs.
    for scheme in ["http://", "https://", "www."] {
        let mut at = 0;
        while let Some(p) = text[at..].find(scheme) {
            let start = at + p;
            let end = start
                + text[start..]
                    .find(|c: char| !(c.is_ascii_graphic()))
                    .unwrap_or(text.len() - start);
            spans.push(start..end);
            at = end;
        }
    }
    // Names.
    for (name, _) in NAMES {
        spans.extend(find_loose(text, name));
    }
    // References to figures and tables: 图 1, 表5, 如下表 6.
    for word in ['图', '表'] {
        for (p, _) in text.match_indices(word) {
            let after = skip_spaces(text, p + word.len_utf8());
            let digits = text[after..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len() - after);
            if digits > 0 {
                spans.push(p..after + digits);
            }
        }
    }
    spans.sort_by_key(|r| r.start);
    spans
}

/// Where `pattern` stands in `text`, whitespace in `text` ignored (not line breaks
/// between paragraphs, which no name spans).
fn find_loose(text: &str, pattern: &str) -> Vec<Range<usize>> {
    let want: Vec<char> = pattern.chars().filter(|c| !c.is_whitespace()).collect();
    let mut found = Vec::new();
    let Some(&first) = want.first() else {
        return found;
    };
    for (start, _) in text.match_indices(first) {
        let mut i = start;
        let mut k = 0;
        while k < want.len() && i < text.len() {
            let c = char_at(text, i);
            if c == want[k] {
                k += 1;
                i += c.len_utf8();
            } else if c.is_whitespace() && c != '\n' && k > 0 {
                i += c.len_utf8();
            } else {
                break;
            }
        }
        if k == want.len() {
            found.push(start..i);
        }
    }
    found
}

/// The digits, thousands groups and decimals of a number at `i`: its end and value, and
/// whether it is a plain integer (no separator, no point).
fn digits_at(text: &str, i: usize) -> (usize, f64, bool) {
    let bytes = text.as_bytes();
    let mut j = i;
    while j < bytes.len() && bytes[j].is_ascii_digit() {
        j += 1;
    }
    let mut plain = true;
    // Thousands groups: `,` and exactly three digits, only after one to three digits.
    if j - i <= 3 {
        while j + 3 < bytes.len()
            && bytes[j] == b','
            && bytes[j + 1..j + 4].iter().all(u8::is_ascii_digit)
            && bytes.get(j + 4).is_none_or(|b| !b.is_ascii_digit())
        {
            j += 4;
            plain = false;
        }
    }
    if j + 1 < bytes.len() && bytes[j] == b'.' && bytes[j + 1].is_ascii_digit() {
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        plain = false;
    }
    let value = text[i..j]
        .replace(',', "")
        .parse::<f64>()
        .unwrap_or(f64::NAN);
    (j, value, plain)
}

fn year_like(text: &str, i: usize, end: usize, plain: bool) -> Option<u16> {
    let y = &text[i..end];
    (plain && y.len() == 4)
        .then(|| y.parse::<u16>().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// The qualifier written just before `i` (spaces aside).
fn qualifier_before(text: &str, i: usize) -> Option<Qualifier> {
    let head = text[..i].trim_end_matches(is_inline_space);
    QUALIFIERS_BEFORE
        .iter()
        .find(|(w, _)| head.ends_with(w))
        .map(|(_, q)| *q)
}

fn qualifier_after(text: &str, i: usize) -> Option<Qualifier> {
    let rest = &text[skip_spaces(text, i)..];
    QUALIFIERS_AFTER
        .iter()
        .find(|(w, _)| rest.starts_with(w))
        .map(|(_, q)| *q)
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn make(text: &str, span: Range<usize>, value: Value, kind: Kind) -> Stated {
    Stated {
        printed: squeeze(&text[span.clone()]),
        span,
        value,
        kind,
        qualifier: None,
        unit: None,
    }
}

/// The end of the run of ASCII letters and digits at `i` (to skip a name whole).
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
        i += 1;
    }
    i
}

/// An Arabic number at `i` (a digit whose previous character is not a digit): what it
/// states, and where scanning goes on.
fn arabic(text: &str, i: usize) -> (Option<Stated>, usize) {
    let (end, value, plain) = digits_at(text, i);
    let bytes = text.as_bytes();
    // Glued to Latin letters before it: a name (GPT-3, M6, INT8), unless the letters are
    // a measure the number gives (PUE1.59, top10).
    let before = &text[..i];
    let letters_before = before.len()
        - before
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .len();
    if letters_before > 0 {
        let word = &before[before.len() - letters_before..];
        if !NUMBER_PREFIXES.iter().any(|(p, _)| *p == word) {
            return (None, word_end(text, end));
        }
    }
    if before.ends_with('-')
        && before[..before.len() - 1]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphabetic())
    {
        return (None, word_end(text, end));
    }
    let line_begins = at_line_start(text, i);
    // Section and list numbering: `1. 北京…` at the start of a line.
    if line_begins
        && plain
        && bytes.get(end) == Some(&b'.')
        && bytes.get(end + 1).is_none_or(|b| !b.is_ascii_digit())
    {
        return (None, end + 1);
    }
    // A table row's number (Table 1's 序号): one or two digits, then a tab.
    if line_begins && plain && end - i <= 2 && bytes.get(end) == Some(&b'\t') {
        return (None, end);
    }
    // The page number of a contents line: the last thing on a line that begins with a
    // heading or caption mark, after a tab (and the leaders' dot).
    if is_contents_page(text, i, end) {
        return (None, end);
    }
    let after = skip_spaces(text, end);
    let rest = &text[after..];
    if let Some(year) = year_like(text, i, end, plain) {
        if let Some(found) = date(text, i, end, year) {
            return found;
        }
        // Table 3: a row headed by its year.
        if line_begins && bytes.get(end) == Some(&b'\t') {
            let d = Date {
                year: Some(year),
                month: None,
                half: None,
            };
            return (Some(make(text, i..end, Value::Date(d), Kind::Year)), end);
        }
    }
    // A month without its year: 今年4月, 浪潮于 9 月.
    if plain && (1..=12).contains(&(value as u32)) && end - i <= 2 && rest.starts_with('月') {
        let mut stop = after + '月'.len_utf8();
        if text[stop..].starts_with('份') {
            stop += '份'.len_utf8();
        }
        let d = Date {
            year: None,
            month: Some(value as u8),
            half: None,
        };
        return (Some(make(text, i..stop, Value::Date(d), Kind::Month)), stop);
    }
    // A range of numbers: 1-2.
    if bytes.get(end) == Some(&b'-') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        let (end2, value2, _) = digits_at(text, end + 1);
        let mut found = make(text, i..end2, Value::Range(value, value2), Kind::Range);
        found.qualifier = qualifier_before(text, i);
        return (Some(found), end2);
    }
    // A quantity: scale, percent, unit.
    let mut stop = end;
    let mut scale = 0;
    let mut qualifier = qualifier_before(text, i);
    // 3100 多万: 多 between the number and its scale.
    let mut probe = after;
    if text[probe..].starts_with('多') {
        let past = skip_spaces(text, probe + '多'.len_utf8());
        if CN_SCALES.iter().any(|(s, _)| text[past..].starts_with(s)) {
            qualifier = Some(Qualifier::Over);
            probe = past;
        }
    }
    if let Some((s, f)) = CN_SCALES.iter().find(|(s, _)| text[probe..].starts_with(s)) {
        scale = *f;
        stop = probe + s.len();
    } else if let Some((c, f)) = LATIN_SCALES
        .iter()
        .find(|(c, _)| bytes.get(end) == Some(&(*c as u8)))
        .filter(|_| bytes.get(end + 1).is_none_or(|b| !b.is_ascii_alphabetic()))
    {
        scale = *f;
        stop = end + c.len_utf8();
    }
    let mut kind = Kind::Quantity;
    let mut unit = None;
    if text[stop..].starts_with('%') || text[stop..].starts_with('％') {
        kind = Kind::Percent;
        stop += char_at(text, stop).len_utf8();
        unit = Some("%");
    } else if bytes.get(stop) == Some(&b'+') {
        qualifier = Some(Qualifier::AtLeast);
    } else if bytes.get(stop).is_some_and(u8::is_ascii_alphabetic) {
        // Letters glued after the number: a unit, or else a name (5G).
        let w = &text[stop..word_end(text, stop)];
        match UNITS.iter().find(|u| **u == w) {
            Some(u) => unit = Some(*u),
            None => return (None, word_end(text, stop)),
        }
    }
    if unit.is_none() {
        let next = skip_spaces(text, stop);
        let rest = &text[next..];
        unit = UNITS
            .iter()
            .find(|u| {
                rest.starts_with(**u)
                    && rest[u.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_ascii_alphabetic())
            })
            .or_else(|| MEASURE_WORDS.iter().find(|m| rest.starts_with(**m)))
            .copied();
    }
    if let Some(q) = qualifier_after(text, stop) {
        qualifier = Some(q);
    }
    // A decimal string parsed once gives the correctly rounded value (2.2亿 is exactly
    // 220000000, not 2.2 * 1e8).
    let scaled = format!("{}e{scale}", text[i..end].replace(',', ""))
        .parse::<f64>()
        .unwrap_or(value);
    let mut found = make(text, i..stop, Value::Number(scaled), kind);
    found.qualifier = qualifier;
    found.unit = unit;
    (Some(found), stop)
}

fn is_contents_page(text: &str, i: usize, end: usize) -> bool {
    let line = &text[line_start(text, i)..line_end(text, i)];
    let tail = &text[end..line_end(text, i)];
    if !tail.trim().is_empty() {
        return false;
    }
    let lead = &text[line_start(text, i)..i];
    let before_tab = lead.trim_end_matches(|c: char| is_inline_space(c) || c == '.');
    if !before_tab.ends_with('\t') {
        return false;
    }
    let l = line.trim_start();
    let numerals = l.len() - l.trim_start_matches(is_cn_numeral).len();
    l.starts_with('图')
        || l.starts_with('表')
        || l.starts_with('(')
        || l.starts_with('(')
        || (numerals > 0 && l[numerals..].starts_with('、'))
}

/// A year at `i..end` followed by what makes it a date: 年 (with a month, a half, 底,
/// 初), H1/H2, a second year (2019-2021), or 之前/以来/起.
fn date(text: &str, i: usize, end: usize, year: u16) -> Option<(Option<Stated>, usize)> {
    let d = |month: Option<u8>, half: Option<u8>| Date {
        year: Some(year),
        month,
        half,
    };
    let bytes = text.as_bytes();
    for (h, n) in [("H1", 1), ("H2", 2)] {
        if text[end..].starts_with(h)
            && bytes
                .get(end + 2)
                .is_none_or(|b| !b.is_ascii_alphanumeric())
        {
            let span = i..end + 2;
            return Some((
                Some(make(
                    text,
                    span,
                    Value::Date(d(None, Some(n))),
                    Kind::HalfYear,
                )),
                end + 2,
            ));
        }
    }
    // 2019-2021 (财年): a span of years.
    if bytes.get(end) == Some(&b'-') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        let (end2, _, plain2) = digits_at(text, end + 1);
        if let Some(y2) = year_like(text, end + 1, end2, plain2) {
            let to = Date {
                year: Some(y2),
                month: None,
                half: None,
            };
            let after = skip_spaces(text, end2);
            let stop = ["财年", "年"]
                .iter()
                .find(|w| text[after..].starts_with(**w))
                .map_or(end2, |w| after + w.len());
            return Some((
                Some(make(
                    text,
                    i..stop,
                    Value::Dates(d(None, None), to),
                    Kind::YearRange,
                )),
                stop,
            ));
        }
    }
    let after = skip_spaces(text, end);
    let rest = &text[after..];
    if ["之前", "以来", "以后", "之后", "起"]
        .iter()
        .any(|w| rest.starts_with(*w))
    {
        return Some((
            Some(make(text, i..end, Value::Date(d(None, None)), Kind::Year)),
            end,
        ));
    }
    if !rest.starts_with('年') {
        return None;
    }
    let past = after + '年'.len_utf8();
    let next = skip_spaces(text, past);
    for (h, n) in [("上半年", 1), ("下半年", 2)] {
        if text[next..].starts_with(h) {
            let stop = next + h.len();
            return Some((
                Some(make(
                    text,
                    i..stop,
                    Value::Date(d(None, Some(n))),
                    Kind::HalfYear,
                )),
                stop,
            ));
        }
    }
    if text[next..].starts_with(|c: char| c.is_ascii_digit()) {
        let (m_end, m, m_plain) = digits_at(text, next);
        let after_m = skip_spaces(text, m_end);
        if m_plain && (1.0..=12.0).contains(&m) && text[after_m..].starts_with('月') {
            let mut stop = after_m + '月'.len_utf8();
            if text[stop..].starts_with('份') {
                stop += '份'.len_utf8();
            }
            return Some((
                Some(make(
                    text,
                    i..stop,
                    Value::Date(d(Some(m as u8), None)),
                    Kind::Month,
                )),
                stop,
            ));
        }
    }
    let mut stop = past;
    for w in ["底", "初"] {
        if text[past..].starts_with(w) {
            stop = past + w.len();
        }
    }
    Some((
        Some(make(text, i..stop, Value::Date(d(None, None)), Kind::Year)),
        stop,
    ))
}

fn is_cn_numeral(c: char) -> bool {
    "零〇一二两三四五六七八九十百千万亿".contains(c)
}

fn starts_with_ordinal_word(rest: &str) -> bool {
    ORDINAL_WORDS.iter().any(|(w, _, _)| rest.starts_with(w))
}

/// The value of a Chinese numeral: 三 3, 十四 14, 两 2, 千亿 10^11, 万亿 10^12, 百亿亿
/// 10^18. `None` where the characters are not one number (十四五).
pub fn chinese_value(s: &str) -> Option<f64> {
    let mut total = 0.0_f64;
    let mut section = 0.0_f64;
    let mut digit: Option<f64> = None;
    if s.is_empty() {
        return None;
    }
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => Some(0.0),
            '一' => Some(1.0),
            '二' | '两' => Some(2.0),
            '三' => Some(3.0),
            '四' => Some(4.0),
            '五' => Some(5.0),
            '六' => Some(6.0),
            '七' => Some(7.0),
            '八' => Some(8.0),
            '九' => Some(9.0),
            _ => None,
        };
        if let Some(d) = d {
            if digit.is_some() && d != 0.0 {
                return None;
            }
            digit = Some(d);
            continue;
        }
        match c {
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10.0,
                    '百' => 100.0,
                    _ => 1000.0,
                };
                section += digit.take().unwrap_or(1.0) * unit;
            }
            '万' => {
                let v = section + digit.take().unwrap_or(0.0);
                section = if v == 0.0 { 1.0 } else { v } * 1e4;
            }
            '亿' => {
                let v = section + digit.take().unwrap_or(0.0);
                let base = if v == 0.0 && total == 0.0 { 1.0 } else { v };
                total = (total + base) * 1e8;
                section = 0.0;
            }
            _ => return None,
        }
    }
    Some(total + section + digit.unwrap_or(0.0))
}

/// A number in Chinese numerals at `i` (a numeral, 第, or an ordinal word): what it
/// states (`None` if nothing) and where scanning goes on.
fn chinese(text: &str, i: usize) -> (Option<Stated>, usize) {
    if let Some((w, v, _)) = ORDINAL_WORDS
        .iter()
        .find(|(w, _, _)| text[i..].starts_with(w))
    {
        let span = i..i + w.len();
        let mut found = make(text, span, Value::Number(*v), Kind::Ordinal);
        found.printed = (*w).to_string();
        return (Some(found), i + w.len());
    }
    let ordinal = text[i..].starts_with('第');
    let start = if ordinal { i + '第'.len_utf8() } else { i };
    let run_end = start
        + text[start..]
            .find(|c: char| !is_cn_numeral(c))
            .unwrap_or(text.len() - start);
    if run_end == start {
        return (None, i + char_at(text, i).len_utf8());
    }
    // Continue a run, never start inside one.
    if !ordinal && char_before(text, i).is_some_and(is_cn_numeral) {
        return (None, run_end);
    }
    let run = &text[start..run_end];
    let rest = &text[run_end..];
    if ordinal {
        let Some(v) = chinese_value(run) else {
            return (None, run_end);
        };
        let stop = ORDINAL_MEASURES
            .iter()
            .find(|m| rest.starts_with(**m))
            .map_or(run_end, |m| run_end + m.len());
        return (
            Some(make(text, i..stop, Value::Number(v), Kind::Ordinal)),
            stop,
        );
    }
    // 三分之一
    if let Some(num) = rest.strip_prefix("分之") {
        let n = num.find(|c: char| !is_cn_numeral(c)).unwrap_or(num.len());
        if let (Some(den), Some(numer)) = (chinese_value(run), chinese_value(&num[..n])) {
            let stop = run_end + "分之".len() + n;
            return (
                Some(make(
                    text,
                    i..stop,
                    Value::Number(numer / den),
                    Kind::Fraction,
                )),
                stop,
            );
        }
    }
    let Some(v) = chinese_value(run) else {
        return (None, run_end);
    };
    // 四位一体
    if rest.starts_with("位一体") {
        let stop = run_end + "位一体".len();
        let mut found = make(text, i..stop, Value::Number(v), Kind::Words);
        found.unit = Some("位");
        return (Some(found), stop);
    }
    // Any numeral with 万 or 亿 is a number by itself: 千亿, 万亿次, 上亿.
    if run.contains(['万', '亿']) {
        let mut span_start = i;
        let mut qualifier = qualifier_before(text, i);
        if (run == "亿" || run == "万") && text[..i].ends_with('上') {
            span_start = i - '上'.len_utf8();
            qualifier = Some(Qualifier::Over);
        }
        let mut found = make(text, span_start..run_end, Value::Number(v), Kind::Words);
        found.qualifier = qualifier;
        found.unit = MEASURE_WORDS
            .iter()
            .find(|m| rest.starts_with(**m))
            .copied();
        return (Some(found), run_end);
    }
    match MEASURE_WORDS.iter().find(|m| rest.starts_with(**m)) {
        // 一 alone before a measure word is the article: 一个, 一方面, 新一代.
        Some(_) if run == "一" => (None, run_end),
        Some(m) => {
            let stop = run_end + m.len();
            let mut found = make(text, i..stop, Value::Number(v), Kind::Words);
            found.unit = Some(m);
            found.qualifier = qualifier_before(text, i);
            (Some(found), stop)
        }
        None => (None, run_end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The printed forms `stated` finds in `text`.
    fn printed(text: &str) -> Vec<String> {
        stated(text).into_iter().map(|s| s.printed).collect()
    }

    fn one(text: &str) -> Stated {
        let found = stated(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.into_iter().next().unwrap()
    }

    fn number(text: &str) -> f64 {
        match one(text).value {
            Value::Number(v) => v,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn period(text: &str) -> String {
        match one(text).value {
            Value::Date(d) => d.period(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn arabic_numerals_with_their_scale() {
        assert_eq!(number("GPT-3\t1750 亿"), 175e9);
        assert_eq!(number("Switch Transformer\t1.6 万亿"), 1.6e12);
        assert_eq!(number("PYTORCH\t美\tFacebook\t52.2k"), 52_200.0);
        assert_eq!(number("English\t18,650K"), 18_650_000.0);
        assert_eq!(number("数据量 57.18 亿条"), 5_718_000_000.0);
        assert_eq!(number("共992101427条数据"), 992_101_427.0);
        assert_eq!(number("数据项 25087 项"), 25_087.0);
        assert_eq!(number("计划投资2.2亿美 元"), 220_000_000.0);
        assert_eq!(number("可以处理 30K 超大分辨率"), 30_000.0);
        assert_eq!(printed("1750 亿"), ["1750亿"]);
        assert_eq!(printed("可以处理 30K*30K 超大分辨率"), ["30K", "30K"]);
        // 25,087: thousands separators.
        assert_eq!(number("数据项 25,087 项"), 25_087.0);
        // A comma before Chinese text is punctuation, not a separator.
        assert_eq!(
            printed("思元 370,创新性采用 chiplet (芯粒)技术,功耗仅为 150W"),
            ["150"]
        );
    }

    #[test]
    fn qualifiers_and_units_are_read() {
        let s = one("3100 多万个数据集");
        assert_eq!(
            (s.value, s.qualifier),
            (Value::Number(31e6), Some(Qualifier::Over))
        );
        assert_eq!(s.printed, "3100多万");
        let s = one("迅速增长到7万余个");
        assert_eq!(
            (s.value, s.qualifier),
            (Value::Number(7e4), Some(Qualifier::Over))
        );
        assert_eq!(one("超过 1400 项开放能力").qualifier, Some(Qualifier::Over));
        assert_eq!(one("已 开放近 1400 项").qualifier, Some(Qualifier::Nearly));
        assert_eq!(one("全球占比约为 31%").qualifier, Some(Qualifier::About));
        assert_eq!(
            one("深圳 90%以上的新型研发机构").qualifier,
            Some(Qualifier::AtLeast)
        );
        assert_eq!(
            one("占据 95%左右的市场份额").qualifier,
            Some(Qualifier::About)
        );
        assert_eq!(
            one("TENSORFLOW\t121320+").qualifier,
            Some(Qualifier::AtLeast)
        );
        assert_eq!(
            one("自动驾驶成功率高于 99%。").qualifier,
            Some(Qualifier::Over)
        );
        assert_eq!(one("算力高达 640 TOPS").unit, Some("TOPS"));
        assert_eq!(one("采用 7nm 制程").unit, Some("nm"));
        assert_eq!(one("算力规模达到 135EFlops").unit, Some("EFlops"));
        assert_eq!(
            stated("千亿参数 40TB 训练数据")[0].value,
            Value::Number(1e11)
        );
        assert_eq!(stated("千亿参数 40TB 训练数据")[1].unit, Some("TB"));
    }

    #[test]
    fn percents() {
        let s = one("保持 55%的高位增长");
        assert_eq!((s.kind, s.value), (Kind::Percent, Value::Number(55.0)));
        assert_eq!(one("实现了高达 50.84%的平均误判率").printed, "50.84%");
        assert_eq!(printed("English\t18,650K\t67%\t"), ["18,650K", "67%"]);
    }

    #[test]
    fn years_and_months_that_date_something() {
        assert_eq!(period("2021年7月,美国国家科学基金会"), "2021-07");
        assert_eq!(period("截止 2021 年 12 月份,数据集"), "2021-12");
        assert_eq!(one("截止 2021 年 12 月份").printed, "2021年12月份");
        assert_eq!(period("截至 2021 年初,共收录了"), "2021");
        assert_eq!(one("2021年底,腾讯").printed, "2021年底");
        assert_eq!(
            period("在 2020 年下半年的政府数据开放省级排名中"),
            "2020-H2"
        );
        assert_eq!(period("2020 年上半年全球 AI 服务器"), "2020-H1");
        assert_eq!(one("2020 年上半年").kind, Kind::HalfYear);
        assert_eq!(period("计划到2030之前"), "2030");
        assert_eq!(period("2020年以来,谷歌"), "2020");
        assert_eq!(period("自 2008 年国际金融危机以来"), "2008");
        // Table 3: a row headed by its year.
        assert_eq!(period("2015\t浙江"), "2015");
        // A month without its year.
        assert_eq!(period("今年4月,欧盟委员会发布"), "-04");
        assert_eq!(period("浪潮于 9 月发布"), "-09");
        // Two months, each stated.
        assert_eq!(
            printed("2019 年 6 月至 2020 年 3 月期间增速达 82%"),
            ["2019年6月", "2020年3月", "82%"]
        );
        // A span of years.
        let s = one("在2019-2021 财年美国工业发展领域");
        assert_eq!(
            (s.kind, s.printed.as_str()),
            (Kind::YearRange, "2019-2021财年")
        );
        // A year is not a count, and a count is not a year.
        assert_eq!(one("天元\t中\t旷视科技\t2028").kind, Kind::Quantity);
        assert_eq!(one("过去 10 年中").kind, Kind::Quantity);
    }

    #[test]
    fn ranges() {
        let s = one("每人 1-2 个");
        assert_eq!((s.kind, s.value), (Kind::Range, Value::Range(1.0, 2.0)));
        let s = one("全球 2020-2021 年超大规模预训练模型");
        assert_eq!(s.kind, Kind::YearRange);
        assert_eq!(s.printed, "2020-2021年");
        match s.value {
            Value::Dates(a, b) => {
                assert_eq!((a.period(), b.period()), ("2020".into(), "2021".into()))
            }
            other => panic!("{other:?}"),
        }
        // Outside a citation, 2020H1 is a half-year.
        assert_eq!(period("IDC 2020H1 数据显示"), "2020-H1");
    }

    #[test]
    fn chinese_numerals_with_a_measure_word() {
        assert_eq!(
            printed("从数据集、算力和开源开放平台等三方面系统梳理"),
            ["三方面"]
        );
        assert_eq!(number("工信部批复的八大人工智能创新应用先导区"), 8.0);
        assert_eq!(number("深圳拥有深圳超算中心与鹏城云脑两大算力资源"), 2.0);
        assert_eq!(number("支撑广东省十个省实验室"), 10.0);
        assert_eq!(number("预计未来四年内将投资"), 4.0);
        assert_eq!(number("经过几年连续三代的迭代"), 3.0);
        assert_eq!(one("两个显著特点").printed, "两个");
        assert_eq!(one("三大驱动力之一").printed, "三大");
        let s = one("产业创新聚集的\"四位一体\"综合平台");
        assert_eq!(
            (s.printed.as_str(), s.value),
            ("四位一体", Value::Number(4.0))
        );
        assert_eq!(number("超过目前全球十大超算的总和"), 10.0);
    }

    #[test]
    fn chinese_numerals_with_wan_or_yi_are_numbers() {
        assert_eq!(number("日调用量突破万亿次"), 1e12);
        assert_eq!(one("日调用量突破万亿次").qualifier, Some(Qualifier::Over));
        let s = one("日调用量上亿。");
        assert_eq!((s.printed.as_str(), s.value), ("上亿", Value::Number(1e8)));
        assert_eq!(s.qualifier, Some(Qualifier::Over));
        assert_eq!(number("全球首个十亿像素级别视频数据集"), 1e9);
        assert_eq!(number("体量达千亿级参数规模"), 1e11);
        assert_eq!(number("E 级 AI 算力 (百亿亿次运算次数每秒)"), 1e18);
        assert_eq!(chinese_value("十四"), Some(14.0));
        assert_eq!(chinese_value("十四五"), None);
        assert_eq!(chinese_value("一亿三千万"), Some(1.3e8));
    }

    #[test]
    fn ordinals_and_fractions() {
        assert_eq!(
            printed("华为(6%)和联想(5.7%)位列第四第五"),
            ["6%", "5.7%", "第四", "第五"]
        );
        assert_eq!(one("位于全国第二位").printed, "第二位");
        assert_eq!(one("开放数级位列第一等级²").printed, "第一等级");
        assert_eq!(one("搭载自研的第二代 XPU 架构").printed, "第二代");
        assert_eq!(number("均位列全国首位"), 1.0);
        let s = one("是行业 L4 级自动驾驶车型平均成本的三分之一");
        assert_eq!((s.kind, s.printed.as_str()), (Kind::Fraction, "三分之一"));
        assert!(matches!(s.value, Value::Number(v) if (v - 1.0 / 3.0).abs() < 1e-12));
    }

    #[test]
    fn names_are_not_numbers() {
        for text in [
            "华为昇 腾 910 芯片成为全球单芯片计算密度最大的芯片之一",
            "华为昇腾 310 采用华为自研的达芬奇结构",
            "寒武纪发布思元 370,创新性采用",
            "是二代思元芯片 270 算力的",
            "百度昆仑芯 2 芯片采用",
            "悟道 2.0",
            "\"源1.0\"大模型",
            "鹏城云脑 II 以 Atlas 900 AI 集群为算力底座",
            "提出构建支持社会5.0的基础设施",
            "从发布 1.0 版本以来",
            "十四五规划提出",
            "阿里 M6 大模型与 OpenAI 的GPT-3 在同等参数规模下相比",
            "整数精度(INT8)",
            "单芯片计算能力(FP16)",
            "推动人工智能、5G等领域基础设施布局",
            "行业 L4 级自动驾驶车型",
            "通用物体检测数据集Objects365,包含",
            "ResNet-50",
            "人工智能基础设施发展态势报告(2021年)",
            "韩国依托三星等巨头企业",
            "助力千行百业数智化升级",
            "一带一路多语种翻译",
            "可以做到举一反三",
            "随着 5G、人工智能",
            "广东省、四川省",
            "百度大脑",
        ] {
            assert_eq!(printed(text), Vec::<String>::new(), "{text}");
        }
        // The prefixes that give a value.
        assert_eq!(number("行业平均水平 PUE1.59 降低了"), 1.59);
        assert_eq!(number("开放数据集top10总量"), 10.0);
    }

    #[test]
    fn titles_in_book_quotes_are_names() {
        assert_eq!(
            printed("日本政府出台《人工智能战略2019》,旨在"),
            Vec::<String>::new()
        );
        assert_eq!(
            printed("2020年7月,日本政府发布《统合创新战略2020》"),
            ["2020年7月"]
        );
        assert_eq!(
            printed("1\t北京\t2021年6月\t《北京市加快新型基础设施建设行动方案(2020-2022 年)》"),
            ["2021年6月"]
        );
        assert_eq!(
            printed("《天津市制造强市建设三年行动计划》"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn numbering_references_and_pages_are_not_numbers() {
        for text in [
            "1. 北京布局突出算法框架与开放平台",
            "(二)数据集开放共享不断加快",
            "三、人工智能基础设施赋能行业发展典型案例",
            "一是加强人工智能基础设施。二是组建更灵活的组织机构。",
            "(一)美国持续加强 AI 基础设施部署\t. 1",
            "(三)算力总规模持续高速增长\t12",
            "图 1\t人工智能基础设施核心内涵\t4",
            "图8人工智能应用开放平台主体特点",
            "共收录了数据集(图 1),",
            "详见表 5。当前",
            "如下表 6 所示",
            "表4 全球主要深度学习开发框架情况",
        ] {
            assert_eq!(printed(text), Vec::<String>::new(), "{text}");
        }
        // Table 1's 序号 is numbering; its dates are stated.
        assert_eq!(
            printed("7\t深圳\t2019年5月\t《深圳新一代人工智能发展行动计划(2019-2023 年)》"),
            ["2019年5月"]
        );
        // A contents line's numbers other than its page are stated.
        assert_eq!(
            printed("表 2\t2019年6月至2020年3月数据集数量和百分比\t9"),
            ["2019年6月", "2020年3月"]
        );
        // Table 4's last column is data, not a page.
        assert_eq!(
            printed("ONEFLOW\t中\t一流科技\t2.8k\t7283\t89"),
            ["2.8k", "7283", "89"]
        );
    }

    #[test]
    fn citations_marks_urls_and_contacts_are_not_numbers() {
        for text in [
            "来源:《中国算力发展指数白皮书》2021",
            "来源: IDC 2020H1《全球人工智能市场半年度追踪报告》",
            "³ 来源:中国信通院 2021 年《中国算力发展指数白皮书》",
            "⁴ 数据来源: https://baijiahao.baidu.com/s?id=1715861555781282660&wfr=spider&for=pc",
            "² 数据来源:《中国地方政府数据开放报告(2020下半年)》",
            "地址: 北京市海淀区花园北路 52 号",
            "邮编: 100191",
            "电话: 010-62301901",
            "网址: www.caict.ac.cn",
        ] {
            assert_eq!(printed(text), Vec::<String>::new(), "{text}");
        }
        // Footnote marks are superscripts, not digits: the number before one stands.
        assert_eq!(
            printed("其能耗仅为 GPT-3 的 1%⁴,且效率提升近 11 倍"),
            ["1%", "11"]
        );
        // The footnote's own statement counts; its mark does not.
        assert_eq!(
            printed(
                "¹ 2018 年, 欧盟推出《欧洲高性能计算共同计划》, 计划投资 80 亿欧元选定 8 个地点"
            ),
            ["2018年", "80亿", "8"]
        );
    }

    #[test]
    fn one_alone_is_the_article() {
        for text in [
            "为获取计算和数据资源提供了一个\"快 速路径\"",
            "一方面,构建先进计算生态系统",
            "新一代人工智能产业技术创新战略联盟",
            "涌现出一批以百度飞桨等为代表",
            "作为一款可投入规模化运营的无人车",
            "是其中重要的布局之一",
            "全国唯一常态化落地运营",
        ] {
            assert_eq!(printed(text), Vec::<String>::new(), "{text}");
        }
        // 一 as a rank or a fraction's part counts.
        assert_eq!(printed("全国第一"), ["第一"]);
    }

    #[test]
    fn the_readme_writes_down_every_exception() {
        let readme = include_str!("../README.md");
        let words = NAMES
            .iter()
            .map(|(w, _)| *w)
            .chain(NUMBER_PREFIXES.iter().map(|(w, _)| *w))
            .chain(ORDINAL_WORDS.iter().map(|(w, _, _)| *w));
        for word in words {
            assert!(
                readme.contains(&format!("`{word}`")),
                "README.md does not list `{word}` among the grammar's exceptions"
            );
        }
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "华为于 2021 年 4 月发布的盘古系列,包括 30 亿参数的全球最大视觉";
        for s in stated(text) {
            assert_eq!(squeeze(&text[s.span.clone()]), s.printed);
        }
        assert_eq!(printed(text), ["2021年4月", "30亿"]);
    }
}
