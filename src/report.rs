//! Checking quotes against the report's text.
//!
//! The report was extracted from a PDF: lines break mid-sentence, spaces fall between
//! Chinese characters, digits come full- or half-width, and the extraction left `**`
//! and `<mark>` markup behind. A quote stands in the report when both agree after
//! removing that markup, NFKC width folding, and removing all whitespace.

use unicode_normalization::UnicodeNormalization;

/// The report's text, normalized once for many look-ups.
pub struct Report {
    text: String,
}

impl Report {
    pub fn new(raw: &str) -> Report {
        Report {
            text: normalize(raw),
        }
    }

    /// Whether `quote` stands in the report (it must not be empty after normalizing).
    pub fn contains(&self, quote: &str) -> bool {
        let q = normalize(quote);
        !q.is_empty() && self.text.contains(&q)
    }
}

/// Remove the extraction's markup, fold widths (NFKC) and drop all whitespace.
pub fn normalize(s: &str) -> String {
    let s = s
        .replace("<mark>", "")
        .replace("</mark>", "")
        .replace("**", "");
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_markup_and_width_are_ignored() {
        let report =
            Report::new("华为**昇**腾 310 采用\n华为自研的达芬奇结构，<mark>联</mark>手 ２２TOPS");
        assert!(report.contains("华为昇腾310采用华为自研的达芬奇结构"));
        assert!(report.contains("达芬奇结构,联手 22 TOPS"));
        assert!(!report.contains("达芬奇架构"));
        assert!(!report.contains("  "));
    }
}
