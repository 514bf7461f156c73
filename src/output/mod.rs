//! What a command's result becomes on the way out: rows and their columns, the formats
//! they render to, the terminal table, charts, and the choices that shape them (the
//! language of name columns, colour). It owns `Rows`; it never runs a query and never
//! decides where the bytes go.

pub mod chart;
pub mod render;
pub mod shape;
pub mod table;
pub mod xlsx;

pub use crate::rows::{Column, Rows};
pub use render::{Format, Options, render};

/// The language of name columns in table output, and of number suffixes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Chinese, as the report writes it
    #[default]
    Zh,
    /// English
    En,
}

impl Lang {
    /// The suffix of this language's name columns (`name_zh`).
    pub fn suffix(self) -> &'static str {
        match self {
            Lang::Zh => "_zh",
            Lang::En => "_en",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// How table output writes large numbers in this language.
    pub fn numbers(self) -> crate::units::Style {
        match self {
            Lang::Zh => crate::units::Style::Chinese,
            Lang::En => crate::units::Style::Si,
        }
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal, given NO_COLOR and
    /// TERM from the environment.
    pub fn enabled(self, terminal: bool) -> bool {
        self.enabled_with(
            terminal,
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var("TERM").ok().as_deref(),
        )
    }

    /// `enabled`, with the environment given (for tests).
    pub fn enabled_with(
        self,
        terminal: bool,
        no_color: Option<&std::ffi::OsStr>,
        term: Option<&str>,
    ) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && no_color.is_none_or(|v| v.is_empty()) && term != Some("dumb")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color_or_dumb_term() {
        let auto = ColorChoice::Auto;
        assert!(auto.enabled_with(true, None, Some("xterm")));
        assert!(!auto.enabled_with(false, None, Some("xterm")));
        assert!(!auto.enabled_with(true, Some(OsStr::new("1")), Some("xterm")));
        assert!(auto.enabled_with(true, Some(OsStr::new("")), None));
        assert!(!auto.enabled_with(true, None, Some("dumb")));
        assert!(ColorChoice::Always.enabled_with(false, Some(OsStr::new("1")), Some("dumb")));
        assert!(!ColorChoice::Never.enabled_with(true, None, None));
    }
}
