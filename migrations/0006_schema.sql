-- aiinfra schema version 6, generated from src/db/contract.rs (do not edit:
-- `AIINFRA_REGENERATE=1 cargo test --lib schema` writes it anew). Apply it with
-- sqlite3 to make an empty knowledge base; then PRAGMA user_version = 6.

-- sources: the report's tables, figures, sections and footnotes, with their pages
CREATE TABLE sources (
    id       TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- table-N, figure-N, sec-N[.N[.N]] or footnote-N
    kind     TEXT NOT NULL CHECK (kind IN ('table', 'figure', 'section', 'footnote')), -- what part of the report this is
    label_zh TEXT NOT NULL, -- the report's own title
    label_en TEXT NOT NULL, -- the title in English
    page     INTEGER NOT NULL CHECK (page >= 1), -- page, as the report's table of contents gives it (unit: page)
    quote    TEXT, -- optional excerpt of the report
    note     TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- regions: countries, blocs, provinces, cities and districts the other tables refer to
CREATE TABLE regions (
    id        TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    name_zh   TEXT NOT NULL, -- name in Chinese, as the report writes it
    name_en   TEXT NOT NULL, -- usual English name
    level     TEXT NOT NULL CHECK (level IN ('country', 'bloc', 'province', 'autonomous_region', 'municipality', 'city', 'district')), -- administrative level
    parent_id TEXT REFERENCES regions (id), -- the region this one lies in → regions.id
    source_id TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote     TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note      TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- open_data_platforms: provincial-level government open-data platforms and their launch years (Table 3)
CREATE TABLE open_data_platforms (
    id        TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    region_id TEXT NOT NULL REFERENCES regions (id), -- the region this row belongs to → regions.id
    level     TEXT NOT NULL CHECK (level IN ('province', 'autonomous_region', 'municipality')), -- level of the government that runs the platform
    launched  INTEGER NOT NULL CHECK (launched BETWEEN 1900 AND 2100), -- year the platform first appears in Table 3 (unit: year)
    source_id TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote     TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note      TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- chips: AI chips and their performance figures (section 2.3.2)
CREATE TABLE chips (
    id           TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    name_zh      TEXT NOT NULL, -- chip name in Chinese
    name_en      TEXT NOT NULL, -- usual English name
    vendor_zh    TEXT NOT NULL, -- vendor in Chinese
    vendor_en    TEXT NOT NULL, -- vendor in English
    kind         TEXT CHECK (kind IN ('training', 'inference')), -- training or inference chip; empty where the report does not say
    process_nm   REAL CHECK (process_nm > 0), -- manufacturing process (unit: nm)
    int8_tops    REAL CHECK (int8_tops >= 0), -- integer (INT8) throughput (unit: TOPS)
    fp16_tflops  REAL CHECK (fp16_tflops >= 0), -- half-precision (FP16) throughput (unit: TFLOPS)
    power_w      REAL CHECK (power_w >= 0), -- power draw as the report gives it (unit: W)
    architecture TEXT, -- architecture or packaging technique the report names
    source_id    TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote        TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note         TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- frameworks: deep-learning frameworks and inference engines (Table 4 and section 2.4.1)
CREATE TABLE frameworks (
    id                 TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    name_zh            TEXT NOT NULL, -- name in Chinese, as the report writes it
    name_en            TEXT NOT NULL, -- usual English name
    country            TEXT CHECK (country GLOB '[A-Z][A-Z]'), -- ISO 3166 alpha-2 country code
    org_zh             TEXT, -- developer in Chinese
    org_en             TEXT, -- developer in English
    github_stars       INTEGER CHECK (github_stars >= 0), -- attention (关注度), GitHub stars: 17k becomes 17000 (unit: stars)
    activity           INTEGER CHECK (activity >= 0), -- activity (活跃度) as Table 4 prints it; the report gives no unit
    activity_qualifier TEXT CHECK (activity_qualifier IN ('at_least', 'over', 'nearly', 'about')), -- how the report qualifies the number before it: at_least (以上, E级, 千亿级, 千亿, +), over (超过, 超, 余, 多, 高于, 上亿, 突破), nearly (近, 接近), about (约, 左右); empty when stated exactly
    contributors       INTEGER CHECK (contributors >= 0), -- contributors (贡献人数) (unit: people)
    open_source        INTEGER CHECK (open_source IN (0, 1)), -- open source; empty where the report does not say
    kind               TEXT NOT NULL CHECK (kind IN ('training', 'inference', 'domain')), -- training framework, inference engine or domain framework
    region_id          TEXT REFERENCES regions (id), -- the region this row belongs to → regions.id
    source_id          TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote              TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note               TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- models: large pretrained models (Table 5 and section 2.4.3)
CREATE TABLE models (
    id               TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    name_zh          TEXT NOT NULL, -- model name in Chinese, as the report writes it
    name_en          TEXT NOT NULL, -- usual English name
    org_zh           TEXT NOT NULL, -- developer in Chinese
    org_en           TEXT NOT NULL, -- developer in English
    country          TEXT CHECK (country GLOB '[A-Z][A-Z]'), -- ISO 3166 alpha-2 country code
    released         TEXT CHECK (released GLOB '[12][0-9][0-9][0-9]-0[1-9]' OR released GLOB '[12][0-9][0-9][0-9]-1[0-2]'), -- month of release (unit: YYYY-MM)
    params           INTEGER CHECK (params > 0), -- parameter count: 1750亿 becomes 175000000000 (unit: parameters)
    params_qualifier TEXT CHECK (params_qualifier IN ('at_least', 'over', 'nearly', 'about')), -- how the report qualifies the number before it: at_least (以上, E级, 千亿级, 千亿, +), over (超过, 超, 余, 多, 高于, 上亿, 突破), nearly (近, 接近), about (约, 左右); empty when stated exactly
    modality         TEXT CHECK (modality IN ('nlp', 'cv', 'multimodal')), -- what the model works on
    training_data    TEXT, -- training data as the report describes it
    source_id        TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote            TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note             TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- pilot_zones: the AI pilot zones' policies, one row per policy (Table 1)
CREATE TABLE pilot_zones (
    id        TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    seq       INTEGER NOT NULL CHECK (seq >= 1), -- the zone's number in Table 1
    zone_zh   TEXT NOT NULL, -- pilot zone in Chinese
    zone_en   TEXT NOT NULL, -- pilot zone in English
    region_id TEXT NOT NULL REFERENCES regions (id), -- the region this row belongs to → regions.id
    published TEXT NOT NULL CHECK (published GLOB '[12][0-9][0-9][0-9]-0[1-9]' OR published GLOB '[12][0-9][0-9][0-9]-1[0-2]'), -- month the policy was published (unit: YYYY-MM)
    policy_zh TEXT NOT NULL, -- policy title in Chinese
    policy_en TEXT NOT NULL, -- policy title in English
    source_id TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote     TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note      TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- policies: national and international policy documents and programmes the report names
CREATE TABLE policies (
    id               TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    region_id        TEXT NOT NULL REFERENCES regions (id), -- the region this row belongs to → regions.id
    published        TEXT CHECK (published GLOB '[12][0-9][0-9][0-9]' OR published GLOB '[12][0-9][0-9][0-9]-0[1-9]' OR published GLOB '[12][0-9][0-9][0-9]-1[0-2]' OR published GLOB '[12][0-9][0-9][0-9]-H[12]'), -- year or month of publication (unit: YYYY[-MM])
    title_zh         TEXT NOT NULL, -- title in Chinese
    title_en         TEXT NOT NULL, -- title in English
    summary_zh       TEXT, -- what the report says of it, in Chinese
    summary_en       TEXT, -- what the report says of it, in English
    amount           REAL CHECK (amount >= 0), -- money committed, in units of currency
    amount_qualifier TEXT CHECK (amount_qualifier IN ('at_least', 'over', 'nearly', 'about')), -- how the report qualifies the number before it: at_least (以上, E级, 千亿级, 千亿, +), over (超过, 超, 余, 多, 高于, 上亿, 突破), nearly (近, 接近), about (约, 左右); empty when stated exactly
    currency         TEXT CHECK (currency GLOB '[A-Z][A-Z][A-Z]'), -- currency of amount
    source_id        TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote            TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note             TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- compute_centers: supercomputing and AI computing centers
CREATE TABLE compute_centers (
    id               TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    name_zh          TEXT NOT NULL, -- name in Chinese
    name_en          TEXT NOT NULL, -- name in English
    region_id        TEXT NOT NULL REFERENCES regions (id), -- the region this row belongs to → regions.id
    operator_zh      TEXT, -- builder or operator in Chinese
    operator_en      TEXT, -- builder or operator in English
    status           TEXT NOT NULL CHECK (status IN ('operating', 'under_construction', 'planned')), -- built, being built or planned
    ready_year       INTEGER CHECK (ready_year BETWEEN 1900 AND 2100), -- year it is (to be) complete (unit: year)
    pflops           REAL CHECK (pflops >= 0), -- computing power (unit: PFLOPS)
    pflops_qualifier TEXT CHECK (pflops_qualifier IN ('at_least', 'over', 'nearly', 'about')), -- how the report qualifies the number before it: at_least (以上, E级, 千亿级, 千亿, +), over (超过, 超, 余, 多, 高于, 上亿, 突破), nearly (近, 接近), about (约, 左右); empty when stated exactly
    source_id        TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote            TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note             TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- datasets: named data sets and dataset projects
CREATE TABLE datasets (
    id           TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    name_zh      TEXT NOT NULL, -- name in Chinese, as the report writes it
    name_en      TEXT NOT NULL, -- usual English name
    publisher_zh TEXT, -- publishers in Chinese
    publisher_en TEXT, -- publishers in English
    released     INTEGER CHECK (released BETWEEN 1900 AND 2100), -- year of release (unit: year)
    domain       TEXT, -- what the data is about
    size_note    TEXT, -- size, as the report gives it
    source_id    TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote        TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note         TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- dataset_languages: data sets indexed by Google Dataset Search, by language, June 2019 to March 2020 (Table 2)
CREATE TABLE dataset_languages (
    id          TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    language_zh TEXT NOT NULL, -- language in Chinese
    language_en TEXT NOT NULL, -- language in English, as Table 2 prints it
    datasets    INTEGER NOT NULL CHECK (datasets >= 0), -- number of data sets: 18,650K becomes 18650000 (unit: datasets)
    growth_pct  REAL, -- growth over the period (unit: %)
    source_id   TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote       TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note        TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- apollo_products: robot vehicles built with Apollo's partners (Table 6)
CREATE TABLE apollo_products (
    id          TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    product_zh  TEXT NOT NULL, -- product in Chinese
    product_en  TEXT NOT NULL, -- product in English
    partner_zh  TEXT NOT NULL, -- partner in Chinese
    partner_en  TEXT NOT NULL, -- partner in English
    progress_zh TEXT NOT NULL, -- progress, as Table 6 gives it
    progress_en TEXT, -- progress in English
    source_id   TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote       TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note        TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- facts: every other figure the report states, one number per row
CREATE TABLE facts (
    id             TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- readable slug, unique across the whole knowledge base
    subject        TEXT NOT NULL CHECK (subject GLOB '[a-z0-9]*' AND subject NOT GLOB '*[^a-z0-9.-]*'), -- a region id or a topic slug
    metric_zh      TEXT NOT NULL, -- what is measured, in Chinese
    metric_en      TEXT NOT NULL, -- what is measured, in English
    value          REAL NOT NULL, -- the number
    unit           TEXT, -- unit of value
    qualifier      TEXT CHECK (qualifier IN ('at_least', 'over', 'nearly', 'about')), -- how the report qualifies the number before it: at_least (以上, E级, 千亿级, 千亿, +), over (超过, 超, 余, 多, 高于, 上亿, 突破), nearly (近, 接近), about (约, 左右); empty when stated exactly
    as_of          TEXT CHECK (as_of GLOB '[12][0-9][0-9][0-9]' OR as_of GLOB '[12][0-9][0-9][0-9]-0[1-9]' OR as_of GLOB '[12][0-9][0-9][0-9]-1[0-2]' OR as_of GLOB '[12][0-9][0-9][0-9]-H[12]'), -- when the figure holds: a year, a month or a half-year (2020-H1) (unit: YYYY[-MM|-H1|-H2])
    as_of_inferred INTEGER NOT NULL CHECK (as_of_inferred IN (0, 1)), -- as_of is inferred from the context (see note), not stated with the figure
    source_id      TEXT NOT NULL REFERENCES sources (id), -- the table, figure, section or footnote of the report this row comes from → sources.id
    quote          TEXT NOT NULL, -- verbatim excerpt of the report (whitespace aside) that supports the row
    note           TEXT -- corrections of the PDF extraction, derivations, contradictions
) STRICT;

-- passages: every heading, paragraph, table row, caption, source line and footnote of the corrected report, in order
CREATE TABLE passages (
    id        TEXT PRIMARY KEY NOT NULL CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9.-]*'), -- its part's id and its place in the part (sec-2.3.2.p3); front.pN before the first chapter, back.pN on the back cover
    source_id TEXT REFERENCES sources (id), -- the section, table, figure or footnote it belongs to; empty in the front matter and on the back cover → sources.id
    page      INTEGER CHECK (page >= 1), -- the page of its part, as the report's table of contents gives it (unit: page)
    kind      TEXT NOT NULL CHECK (kind IN ('heading', 'paragraph', 'row', 'contents', 'caption', 'credit', 'footnote')), -- what it is: a heading, a paragraph, a table row (cells tab-separated), a line of the contents, a caption, a source line (来源), a footnote
    position  INTEGER NOT NULL CHECK (position >= 1), -- its place in the report, from 1
    text      TEXT NOT NULL -- its text as the corrected report has it
) STRICT;

-- row_passages: the passages each row's quote lies in (in the part its source_id names, where the report prints the text twice)
CREATE TABLE row_passages (
    entity     TEXT NOT NULL, -- the table of the row
    row_id     TEXT NOT NULL CHECK (row_id GLOB '[a-z0-9]*' AND row_id NOT GLOB '*[^a-z0-9.-]*'), -- the row's id
    passage_id TEXT NOT NULL REFERENCES passages (id) -- a passage its quote lies in → passages.id
) STRICT;

-- aiinfra_meta: where the file came from (aiinfra_version, data_edition, data_checksum, seeds, content_sha256)
CREATE TABLE aiinfra_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE VIEW citations AS
SELECT 'regions' AS entity, id, source_id, quote FROM regions
UNION ALL
SELECT 'open_data_platforms' AS entity, id, source_id, quote FROM open_data_platforms
UNION ALL
SELECT 'chips' AS entity, id, source_id, quote FROM chips
UNION ALL
SELECT 'frameworks' AS entity, id, source_id, quote FROM frameworks
UNION ALL
SELECT 'models' AS entity, id, source_id, quote FROM models
UNION ALL
SELECT 'pilot_zones' AS entity, id, source_id, quote FROM pilot_zones
UNION ALL
SELECT 'policies' AS entity, id, source_id, quote FROM policies
UNION ALL
SELECT 'compute_centers' AS entity, id, source_id, quote FROM compute_centers
UNION ALL
SELECT 'datasets' AS entity, id, source_id, quote FROM datasets
UNION ALL
SELECT 'dataset_languages' AS entity, id, source_id, quote FROM dataset_languages
UNION ALL
SELECT 'apollo_products' AS entity, id, source_id, quote FROM apollo_products
UNION ALL
SELECT 'facts' AS entity, id, source_id, quote FROM facts;
