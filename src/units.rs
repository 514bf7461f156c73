//! Numbers as people write them: `200`, `1.5`, `1.75e12`, `175B`, `1.6T`, `10k`,
//! `1750亿`, `1.6万亿`, `1万`. One parser for every numeric flag, so each accepts the same
//! forms and refuses the same mistakes with the same words.
//!
//! The same grammar reads seed cells (the loader phrases its own messages): one
//! definition of a number, a year, a month and a period for the whole program. It owns
//! parsing only; it knows nothing of flags or SQL, and the build script uses it too.

use std::fmt;

/// Why a value is not a number we accept. The message quotes the value and says what
/// would be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitError(String);

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnitError {}

/// Magnitude suffixes, longest first so that `万亿` wins over `亿`.
const SUFFIXES: &[(&str, i32)] = &[
    ("万亿", 12),
    ("亿", 8),
    ("万", 4),
    ("K", 3),
    ("k", 3),
    ("M", 6),
    ("B", 9),
    ("T", 12),
];

/// The forms a quantity flag accepts, for error messages and help.
pub const QUANTITY_FORMS: &str =
    "a number such as 1750, 1.75e12, 175B, 1.6T, 10k, 1750亿 or 1.6万亿";
/// The forms a plain-number flag accepts.
pub const NUMBER_FORMS: &str = "a number such as 200 or 1.5";

/// Why a text is not a number of the form asked for; callers phrase the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Empty,
    Negative,
    NotANumber,
    /// A number, but not a whole one (`1.5` where a count is asked for).
    NotWhole,
    OutOfRange,
}

/// The one grammar of numbers, for flags and seed cells alike: ASCII digits with one
/// optional point (a digit on at least one side), an optional exponent of up to four
/// digits, a leading `-` where `negative` allows it, and where `suffixes` allows it a
/// magnitude suffix (K/M/B/T, 万/亿/万亿). No separators, no units, no NaN or infinity.
pub fn decimal(input: &str, negative: bool, suffixes: bool) -> Result<f64, Problem> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    let (sign, body) = match text.strip_prefix('-') {
        Some(_) if !negative => return Err(Problem::Negative),
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (mantissa, shift) = match SUFFIXES.iter().find(|(s, _)| body.ends_with(s)) {
        Some((suffix, exp)) if suffixes => (&body[..body.len() - suffix.len()], *exp),
        _ => (body, 0),
    };
    let (digits, frac, exp) = split_decimal(mantissa).ok_or(Problem::NotANumber)?;
    let exp = exp.checked_add(shift).ok_or(Problem::OutOfRange)?;
    // Building a decimal string and letting the standard parser round it once gives the
    // correctly rounded value (1.6T is exactly 1600000000000, not 1.6 * 1e12).
    let value: f64 = format!("{sign}{digits}.{frac}e{exp}")
        .parse()
        .map_err(|_| Problem::NotANumber)?;
    if !value.is_finite() {
        return Err(Problem::OutOfRange);
    }
    Ok(value)
}

/// A whole number in the same grammar: digits only, `-` where `negative` allows it.
pub fn whole(input: &str, negative: bool) -> Result<i64, Problem> {
    let text = input.trim();
    let digits = match text.strip_prefix('-') {
        Some(rest) if negative => rest,
        _ => text,
    };
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().map_err(|_| Problem::OutOfRange);
    }
    match decimal(text, negative, false) {
        Ok(_) => Err(Problem::NotWhole),
        Err(p) => Err(p),
    }
}

/// A year between 1900 and 2100, written with four digits.
pub fn year(text: &str) -> Option<i64> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<i64>().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// A month `YYYY-MM`: its year and month number.
pub fn month(text: &str) -> Option<(i64, u32)> {
    let (y, m) = text.split_once('-')?;
    let month: u32 = m.parse().ok()?;
    (m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) && (1..=12).contains(&month))
        .then_some((year(y)?, month))
}

/// A period: a year `YYYY`, a month `YYYY-MM` or a half-year `YYYY-H1`/`YYYY-H2`.
pub fn is_period(text: &str) -> bool {
    year(text).is_some()
        || month(text).is_some()
        || matches!(text.split_once('-'), Some((y, "H1" | "H2")) if year(y).is_some())
}

/// Parse a non-negative quantity with an optional magnitude suffix (K/M/B/T, 万/亿/万亿).
pub fn parse_quantity(input: &str) -> Result<f64, UnitError> {
    flag_number(input, true)
}

/// Parse a non-negative plain number (no suffix).
pub fn parse_number(input: &str) -> Result<f64, UnitError> {
    flag_number(input, false)
}

fn flag_number(input: &str, suffixes: bool) -> Result<f64, UnitError> {
    let forms = if suffixes {
        QUANTITY_FORMS
    } else {
        NUMBER_FORMS
    };
    decimal(input, false, suffixes).map_err(|p| {
        let why = match p {
            Problem::Empty => "expected a value, found",
            Problem::Negative => "must not be negative, found",
            Problem::OutOfRange => "out of range:",
            Problem::NotANumber | Problem::NotWhole => "not a number:",
        };
        UnitError(format!("{why} {input:?}; expected {forms}"))
    })
}

/// Split `12.5e3` into ("12", "5", 3). Only ASCII digits, one optional point with a
/// digit on at least one side, and an optional exponent; no sign, no separators.
fn split_decimal(s: &str) -> Option<(&str, &str, i32)> {
    let (number, exp) = match s.find(['e', 'E']) {
        Some(i) => {
            let e = &s[i + 1..];
            let body = e.strip_prefix(['+', '-']).unwrap_or(e);
            if body.is_empty() || body.len() > 4 || !body.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (&s[..i], e.parse::<i32>().ok()?)
        }
        None => (s, 0),
    };
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let int = if int.is_empty() { "0" } else { int };
    let frac = if frac.is_empty() { "0" } else { frac };
    Some((int, frac, exp))
}

/// Which suffixes a formatted quantity uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// K, M, B, T
    Si,
    /// 万, 亿, 万亿
    Chinese,
}

/// Write a whole number exactly, with the largest suffix that needs no more than three
/// decimals: 175000000000 → `175B` or `1750亿`, 1600000000000 → `1.6T` or `1.6万亿`.
/// `parse_quantity` reads every result back to the same number.
pub fn format_exact(n: u64, style: Style) -> String {
    let suffixes: &[(&str, u32)] = match style {
        Style::Si => &[("T", 12), ("B", 9), ("M", 6), ("K", 3)],
        Style::Chinese => &[("万亿", 12), ("亿", 8), ("万", 4)],
    };
    let digits = n.to_string();
    for (suffix, exp) in suffixes {
        let exp = *exp as usize;
        if digits.len() <= exp {
            continue;
        }
        let (int, frac) = digits.split_at(digits.len() - exp);
        let frac = frac.trim_end_matches('0');
        if frac.len() <= 3 {
            return if frac.is_empty() {
                format!("{int}{suffix}")
            } else {
                format!("{int}.{frac}{suffix}")
            };
        }
    }
    digits
}

/// A number for reading: large magnitudes with a suffix (`1.75T` or `1.75万亿`), others
/// with thousands grouped (`161,000`). A value the suffix form cannot show exactly in
/// three decimals is marked `≈`. Numbers under 10,000 (years among them) stay as
/// they are.
pub fn human(v: f64, style: Style) -> String {
    let a = v.abs();
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    // Past a thousand of the largest unit, a power of ten says more than digits.
    if a >= 1e15 {
        let shown = format!("{v:.3e}");
        let (mantissa, exp) = shown.split_once('e').unwrap_or((&shown, "0"));
        return format!("≈{}e{exp}", trim_decimals(mantissa));
    }
    let scale = match style {
        Style::Si => [(1e12, "T"), (1e9, "B"), (1e6, "M")]
            .into_iter()
            .find(|(d, _)| a >= *d),
        Style::Chinese => [(1e12, "万亿"), (1e8, "亿"), (1e5, "万")]
            .into_iter()
            .find(|(d, _)| a >= *d)
            .map(|(d, s)| if s == "万" { (1e4, s) } else { (d, s) }),
    };
    match scale {
        Some((div, suffix)) => {
            let x = v / div;
            let shown = trim_decimals(&format!("{x:.3}"));
            let exact = shown
                .parse::<f64>()
                .is_ok_and(|y| (y * div - v).abs() <= v.abs() * 1e-12);
            let approx = if exact { "" } else { "≈" };
            format!("{approx}{shown}{suffix}")
        }
        None if a >= 10_000.0 => group(v),
        None => shortest(v),
    }
}

/// How a column's numbers are written in a table, the same way for every row (never
/// `16.1万` beside `52,200`): with the language's magnitude suffixes from ten thousand
/// (万, 亿, 万亿) or a thousand (K, M, B, T) up, or as grouped digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    Scaled,
    Grouped,
}

impl Digits {
    /// The way for a column whose largest number is `max` (in absolute value):
    /// suffixes once a number needs one (a hundred thousand in Chinese, a million in
    /// English), grouped digits below.
    pub fn for_max(max: f64, style: Style) -> Digits {
        let from = match style {
            Style::Chinese => 1e5,
            Style::Si => 1e6,
        };
        if max >= from {
            Digits::Scaled
        } else {
            Digits::Grouped
        }
    }
}

/// A number for a table column written one way (`Digits`): `human` with suffixes from
/// ten thousand (万) or a thousand (K), or grouped digits from a thousand.
pub fn human_as(v: f64, style: Style, digits: Digits) -> String {
    let a = v.abs();
    if !v.is_finite() || a >= 1e15 {
        return human(v, style);
    }
    match digits {
        Digits::Scaled => {
            let scale = match style {
                Style::Si => [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
                    .into_iter()
                    .find(|(d, _)| a >= *d),
                Style::Chinese => [(1e12, "万亿"), (1e8, "亿"), (1e4, "万")]
                    .into_iter()
                    .find(|(d, _)| a >= *d),
            };
            match scale {
                Some((div, suffix)) => {
                    // Three decimals, or four where that makes it exact (2.5087万).
                    let x = v / div;
                    let exact = |shown: &str| {
                        shown
                            .parse::<f64>()
                            .is_ok_and(|y| (y * div - v).abs() <= v.abs() * 1e-12)
                    };
                    let three = trim_decimals(&format!("{x:.3}"));
                    let four = trim_decimals(&format!("{x:.4}"));
                    let (shown, approx) = if exact(&three) {
                        (three, "")
                    } else if exact(&four) {
                        (four, "")
                    } else {
                        (three, "≈")
                    };
                    format!("{approx}{shown}{suffix}")
                }
                None => shortest(v),
            }
        }
        Digits::Grouped if a >= 1000.0 => group(v),
        Digits::Grouped => shortest(v),
    }
}

/// Digits grouped by thousands: 25,087.5.
fn group(v: f64) -> String {
    let text = format!("{v}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// A number in the shortest form that reads back to it: plain digits (`3.74`, `640`)
/// where they are short, else a power of ten (`5e-324`, `1.5e300`), never hundreds of
/// zeros.
pub fn shortest(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 || (1e-5..1e16).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

fn trim_decimals(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// Parse a year between 1900 and 2100 (a flag).
pub fn parse_year(input: &str) -> Result<i64, UnitError> {
    year(input.trim()).ok_or_else(|| {
        UnitError(format!(
            "expected a year between 1900 and 2100 such as 2019, found {input:?}"
        ))
    })
}

/// Parse a month bound (a flag): `YYYY-MM`, or a year `YYYY` standing for its first
/// month (`first` true, for `--since`) or its last (`--until`).
pub fn parse_month_bound(input: &str, first: bool) -> Result<String, UnitError> {
    let t = input.trim();
    if let Some(y) = year(t) {
        return Ok(format!("{y}-{}", if first { "01" } else { "12" }));
    }
    match month(t) {
        Some((y, m)) => Ok(format!("{y}-{m:02}")),
        None => Err(UnitError(format!(
            "expected a month as YYYY-MM (or a year YYYY), found {input:?}"
        ))),
    }
}

/// A period's first or last month as `YYYY-MM`: a year `YYYY` (January, December), a
/// half-year `YYYY-H1`/`YYYY-H2` (January or July, June or December), or a month.
pub fn period_month(text: &str, first: bool) -> Option<String> {
    let t = text.trim();
    if let Some(y) = year(t) {
        return Some(format!("{y}-{}", if first { "01" } else { "12" }));
    }
    if let Some((y, m)) = month(t) {
        return Some(format!("{y}-{m:02}"));
    }
    let (y, half) = t.split_once('-')?;
    let y = year(y)?;
    let m = match (half.to_ascii_uppercase().as_str(), first) {
        ("H1", true) => "01",
        ("H1", false) => "06",
        ("H2", true) => "07",
        ("H2", false) => "12",
        _ => return None,
    };
    Some(format!("{y}-{m}"))
}

/// Parse a bound of a date range (`--from`, `--to`): a year, a half-year or a month;
/// `first` gives the period's first month (for `--from`), else its last.
pub fn parse_period_bound(input: &str, first: bool) -> Result<String, UnitError> {
    period_month(input, first).ok_or_else(|| {
        UnitError(format!(
            "expected a year (2020), a half-year (2020-H1) or a month (2020-06), found {input:?}"
        ))
    })
}

/// Parse a count (`--limit`): a whole number, 0 or more.
pub fn parse_count(input: &str) -> Result<u64, UnitError> {
    whole(input, false)
        .ok()
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| {
            UnitError(format!(
                "expected a whole number such as 10, found {input:?}"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_bound_ranges_by_their_first_and_last_month() {
        assert_eq!(period_month("2020", true).as_deref(), Some("2020-01"));
        assert_eq!(period_month("2020", false).as_deref(), Some("2020-12"));
        assert_eq!(period_month("2020-H1", false).as_deref(), Some("2020-06"));
        assert_eq!(period_month("2020-h2", true).as_deref(), Some("2020-07"));
        assert_eq!(period_month("2021-07", false).as_deref(), Some("2021-07"));
        for bad in ["2020-13", "2020-H3", "20", "2020-1", "H1"] {
            assert!(parse_period_bound(bad, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn quantities_in_every_accepted_form() {
        let cases = [
            ("1750", 1750.0),
            ("1.5", 1.5),
            (".5", 0.5),
            ("2.", 2.0),
            ("1.75e12", 1.75e12),
            ("1E3", 1000.0),
            ("175B", 175e9),
            ("1.6T", 1.6e12),
            ("10k", 10_000.0),
            ("10K", 10_000.0),
            ("3M", 3e6),
            ("1750亿", 175e9),
            ("1.6万亿", 1.6e12),
            ("1万", 10_000.0),
            ("  200 ", 200.0),
            ("0", 0.0),
        ];
        for (input, want) in cases {
            assert_eq!(parse_quantity(input), Ok(want), "{input}");
        }
        assert_eq!(parse_quantity("1.6T").unwrap() as u64, 1_600_000_000_000);
    }

    #[test]
    fn quantities_refused_with_the_value_and_the_forms() {
        for input in [
            "5Q",
            "-1T",
            "1.6万万",
            "1,6T",
            "1.6 TB",
            "1.6 T",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "infinity",
            "1e999",
            "",
            " ",
            "abc",
            "1,200",
            "12O",
            "1..2",
            ".",
            "e5",
            "1e",
            "+5",
            "0x10",
            "１２",
        ] {
            let err = parse_quantity(input).unwrap_err().to_string();
            assert!(err.contains(&format!("{input:?}")), "{input}: {err}");
            assert!(err.contains("175B"), "{input}: {err}");
        }
        assert!(
            parse_quantity("-1T")
                .unwrap_err()
                .to_string()
                .starts_with("must not be negative")
        );
    }

    #[test]
    fn plain_numbers_take_no_suffix() {
        assert_eq!(parse_number("200"), Ok(200.0));
        assert_eq!(parse_number("1.5"), Ok(1.5));
        let err = parse_number("10k").unwrap_err().to_string();
        assert_eq!(
            err,
            "not a number: \"10k\"; expected a number such as 200 or 1.5"
        );
        assert!(parse_number("-3").is_err());
        assert!(parse_number("inf").is_err());
    }

    #[test]
    fn exact_formats_read_back() {
        use Style::{Chinese as Zh, Si};
        for (n, style, want) in [
            (175_000_000_000, Si, "175B"),
            (175_000_000_000, Zh, "1750亿"),
            (1_600_000_000_000, Si, "1.6T"),
            (1_600_000_000_000, Zh, "1.6万亿"),
            (245_700_000_000, Zh, "2457亿"),
            (17_000, Si, "17K"),
            (123_456_789, Si, "123456.789K"),
            (1_234_567_891, Zh, "1234567891"),
            (999, Zh, "999"),
            (0, Si, "0"),
        ] {
            assert_eq!(format_exact(n, style), want, "{n}");
        }
    }

    #[test]
    fn human_numbers_stay_short_however_large() {
        assert_eq!(human(1e308, Style::Chinese), "≈1e308");
        assert_eq!(human(-2.5e20, Style::Si), "≈-2.5e20");
        assert_eq!(human(f64::INFINITY, Style::Chinese), "∞");
        assert_eq!(human(f64::NEG_INFINITY, Style::Si), "-∞");
        assert_eq!(human(1.6e12, Style::Chinese), "1.6万亿");
    }

    #[test]
    fn a_column_writes_its_numbers_one_way() {
        use Style::{Chinese as Zh, Si};
        let stars = [161_000.0, 52_200.0, 17_000.0, 4100.0];
        let max = stars.iter().copied().fold(0.0, f64::max);
        let zh: Vec<String> = stars
            .iter()
            .map(|x| human_as(*x, Zh, Digits::for_max(max, Zh)))
            .collect();
        assert_eq!(zh, ["16.1万", "5.22万", "1.7万", "4100"]);
        let en: Vec<String> = stars
            .iter()
            .map(|x| human_as(*x, Si, Digits::for_max(max, Si)))
            .collect();
        assert_eq!(en, ["161,000", "52,200", "17,000", "4,100"]);
        assert_eq!(human_as(2_500_000.0, Si, Digits::Scaled), "2.5M");
        assert_eq!(human_as(4_100.0, Si, Digits::Scaled), "4.1K");
    }

    #[test]
    fn human_numbers_follow_the_language() {
        use Style::{Chinese as Zh, Si};
        for (x, style, want) in [
            (1.75e12, Zh, "1.75万亿"),
            (1.75e12, Si, "1.75T"),
            (175e9, Zh, "1750亿"),
            (175e9, Si, "175B"),
            (1_851_000.0, Zh, "185.1万"),
            (18_650_000.0, Si, "18.65M"),
            (161_000.0, Si, "161,000"),
            (161_000.0, Zh, "16.1万"),
            (32_650.0, Zh, "32,650"),
            (992_101_427.0, Zh, "≈9.921亿"),
            (2017.0, Si, "2017"),
            (3.74, Si, "3.74"),
            (-25_000.5, Si, "-25,000.5"),
            (5e-324, Si, "5e-324"),
            (-1.5e-7, Zh, "-1.5e-7"),
        ] {
            assert_eq!(human(x, style), want, "{x}");
        }
    }

    #[test]
    fn years_between_1900_and_2100() {
        assert_eq!(parse_year("2019"), Ok(2019));
        for bad in ["20x9", "1800", "2101", "19", "02019", "", "２０１９"] {
            let err = parse_year(bad).unwrap_err().to_string();
            assert!(err.contains("between 1900 and 2100"), "{bad}: {err}");
        }
    }

    #[test]
    fn one_grammar_for_cells_and_flags() {
        assert_eq!(decimal("-1.5e3", true, false), Ok(-1500.0));
        assert_eq!(decimal("-1", false, false), Err(Problem::Negative));
        assert_eq!(decimal("1.6T", true, false), Err(Problem::NotANumber));
        assert_eq!(whole("1.5", false), Err(Problem::NotWhole));
        assert_eq!(whole("-7", true), Ok(-7));
        assert_eq!(
            whole("99999999999999999999", false),
            Err(Problem::OutOfRange)
        );
        assert_eq!(month("2021-06"), Some((2021, 6)));
        assert_eq!(month("2021-6"), None);
        assert!(is_period("2020-H1") && is_period("2020") && is_period("2020-12"));
        assert!(!is_period("2020-H3") && !is_period("2020-13"));
        assert_eq!(parse_month_bound("2021", false).unwrap(), "2021-12");
        assert!(parse_month_bound("2021-13", true).is_err());
    }

    #[test]
    fn counts_are_whole_numbers() {
        assert_eq!(parse_count("10"), Ok(10));
        assert_eq!(parse_count("0"), Ok(0));
        for bad in ["-1", "1.5", "ten", "", "99999999999999999999999"] {
            assert!(parse_count(bad).is_err(), "{bad}");
        }
    }
}
