//! `aiinfra chips`: AI chips and their performance figures (report section 二(三)2).

use clap::ValueEnum;

use crate::cli::{ListArgs, OutputArgs};
use crate::db::contract;
use crate::query::{Select, all_columns};
use crate::units;

const EXAMPLES: &str = "\
Examples:
  aiinfra chips --min-int8 200
  aiinfra chips --vendor huawei --format json
  aiinfra chips --kind inference --max-power 10";

/// The one-line help of `aiinfra chips`, set on its `Command` variant so that
/// `aiinfra --help` lists it although the arguments are built only when it runs.
pub const ABOUT: &str =
    "AI chips and their performance figures: INT8 TOPS, FP16 TFLOPS, power, process";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Vendor contains TEXT, in Chinese or English, any case (华为, huawei)
    #[arg(long, value_name = "TEXT")]
    pub vendor: Option<String>,

    /// Training or inference chips
    #[arg(long, value_enum)]
    pub kind: Option<ChipKind>,

    /// At least this INT8 throughput, in TOPS
    #[arg(long, value_name = "TOPS", value_parser = units::parse_number, allow_hyphen_values = true)]
    pub min_int8: Option<f64>,

    /// At least this FP16 throughput, in TFLOPS
    #[arg(long, value_name = "TFLOPS", value_parser = units::parse_number, allow_hyphen_values = true)]
    pub min_fp16: Option<f64>,

    /// At most this power draw, in watts
    #[arg(long, value_name = "W", value_parser = units::parse_number, allow_hyphen_values = true)]
    pub max_power: Option<f64>,

    #[command(flatten)]
    pub list: ListArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChipKind {
    Training,
    Inference,
}

pub fn select(args: &Args) -> Select {
    let mut s = Select::new(
        "chips",
        all_columns(&contract::CHIPS),
        &["int8_tops DESC NULLS LAST", "fp16_tflops DESC NULLS LAST"],
    )
    .brief(&[
        "id",
        "name_*",
        "vendor_*",
        "kind",
        "process_nm",
        "int8_tops",
        "fp16_tflops",
        "power_w",
        "source_id",
    ]);
    if let Some(vendor) = &args.vendor {
        s.filter_text(&["vendor_zh", "vendor_en"], vendor);
    }
    if let Some(kind) = &args.kind {
        s.filter("kind = ?", super::word(kind));
    }
    if let Some(x) = args.min_int8 {
        s.filter("int8_tops >= ?", x);
    }
    if let Some(x) = args.min_fp16 {
        s.filter("fp16_tflops >= ?", x);
    }
    if let Some(x) = args.max_power {
        s.filter("power_w <= ?", x);
    }
    s
}
