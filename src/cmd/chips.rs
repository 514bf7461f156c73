//! `aiinfra chips`: AI chips and their performance figures (report section 二(三)2).

use super::list::{Filter, ListSpec, Test};

pub static SPEC: ListSpec = ListSpec::new(
    "chips",
    "AI chips and their performance figures: INT8 TOPS, FP16 TFLOPS, power, process",
)
.examples(
    "\
Examples:
  aiinfra chips --min-int8 200
  aiinfra chips --vendor huawei --format json
  aiinfra chips --kind inference --max-power 10",
)
.brief("id name_* vendor_* kind process_nm int8_tops fp16_tflops power_w source_id page")
.order(&[
    "t.int8_tops DESC NULLS LAST",
    "t.fp16_tflops DESC NULLS LAST",
])
.filters(&[
    Filter::new(
        "vendor",
        "vendor_zh",
        Test::Contains(&["vendor_zh", "vendor_en"]),
    )
    .help("Vendor contains TEXT, in Chinese or English, any case (华为, huawei)"),
    Filter::new("kind", "kind", Test::Is),
    Filter::new("min-int8", "int8_tops", Test::AtLeast(false)),
    Filter::new("min-fp16", "fp16_tflops", Test::AtLeast(false)),
    Filter::new("max-power", "power_w", Test::AtMost(false)),
]);
