//! Property tests: the unit parser, the filter builder and the CSV loader hold for
//! inputs nobody thought to write down.

// Generators and reference values that cannot be built should stop the test loudly.
#![allow(clippy::unwrap_used)]

use aiinfra::db::contract;
use aiinfra::db::seed;
use aiinfra::query::Select;
use aiinfra::units::{self, Style};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Every exactly formatted whole number reads back to itself, in both styles.
    #[test]
    fn quantity_format_parse_round_trip(n in 0u64..(1u64 << 53)) {
        for style in [Style::Si, Style::Chinese] {
            let text = units::format_exact(n, style);
            prop_assert_eq!(units::parse_quantity(&text), Ok(n as f64), "{}", text);
        }
    }

    /// Any string is either a finite, non-negative number or an error that quotes it;
    /// never a panic.
    #[test]
    fn quantity_parser_accepts_only_finite_non_negative(s in "\\PC{0,12}") {
        match units::parse_quantity(&s) {
            Ok(v) => prop_assert!(v.is_finite() && v >= 0.0, "{s:?} gave {v}"),
            Err(e) => prop_assert!(e.to_string().contains(&format!("{s:?}")), "{e}"),
        }
    }

    /// Suffixed inputs made of digits, a point and a suffix behave like their expansion.
    #[test]
    fn quantity_suffixes_scale(int in 0u32..100_000, frac in 0u32..1000, suffix in 0usize..7) {
        let (s, mult) = [("K", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12), ("万", 1e4), ("亿", 1e8), ("万亿", 1e12)][suffix];
        let text = format!("{int}.{frac:03}{s}");
        let want: f64 = format!("{int}.{frac:03}").parse::<f64>().unwrap() * mult;
        let got = units::parse_quantity(&text).unwrap();
        prop_assert!((got - want).abs() <= want * 1e-12, "{text}: {got} vs {want}");
    }

    /// No user text changes the SQL's shape: only the parameters differ.
    #[test]
    fn filters_never_change_the_sql(needle in "\\PC{0,20}", number in proptest::num::f64::ANY) {
        let build = |text: &str, x: f64| {
            let mut s = Select::new(contract::table("chips").unwrap(), &[], &[], &[]);
            s.filter_text(&["t.vendor_zh"], text);
            s.filter("t.int8_tops >= ?", x);
            s.build()
        };
        let q = build(&needle, number);
        let reference = build("x", 1.0);
        prop_assert_eq!(&q.sql, &reference.sql);
        prop_assert_eq!(q.params.len(), 2);
    }

    /// Mutated seed bytes never panic the loader.
    #[test]
    fn loader_survives_mutations(
        table in 0usize..contract::TABLES.len(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let t = &contract::TABLES[table];
        let mut bytes = seed::embedded(t.name).unwrap().to_vec();
        for (at, byte, op) in edits {
            let i = if bytes.is_empty() { 0 } else { at % bytes.len() };
            match op {
                0 if !bytes.is_empty() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ if !bytes.is_empty() => { bytes.remove(i); }
                _ => {}
            }
        }
        let _ = seed::parse_table(t, "mutated.csv", &bytes);
    }

    /// Changes that keep the data (CRLF or CR line ends, a byte-order mark, no final
    /// newline, blank lines at the end, every field quoted) load the same rows.
    #[test]
    fn loader_reads_equivalent_files_alike(table in 0usize..contract::TABLES.len(), variant in 0u8..6) {
        let t = &contract::TABLES[table];
        let original = seed::embedded(t.name).unwrap();
        let text = std::str::from_utf8(original).unwrap();
        let changed: Vec<u8> = match variant {
            0 => text.replace('\n', "\r\n").into_bytes(),
            1 => text.replace('\n', "\r").into_bytes(),
            2 => [b"\xEF\xBB\xBF".as_slice(), original].concat(),
            3 => text.trim_end_matches('\n').as_bytes().to_vec(),
            4 => format!("{text}\n\n").into_bytes(),
            _ => {
                let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(original);
                let mut w = csv::WriterBuilder::new().quote_style(csv::QuoteStyle::Always).from_writer(vec![]);
                for r in reader.records() { w.write_record(&r.unwrap()).unwrap(); }
                w.into_inner().unwrap()
            }
        };
        let want = seed::parse_table(t, "a.csv", original).unwrap();
        let got = seed::parse_table(t, "b.csv", &changed).unwrap();
        let values = |s: &seed::SeedTable| s.rows.iter().map(|r| r.values.clone()).collect::<Vec<_>>();
        prop_assert_eq!(values(&got), values(&want));
    }
}
