-- aiinfra schema version 4, exactly as files of that version hold it (kept, never
-- regenerated): a version-4 file is recognised by it and read through an in-memory
-- upgrade to the current version (see src/db/migrate.rs). Apply with sqlite3 to
-- make an empty version-4 database; then PRAGMA user_version = 4.

CREATE TABLE sources (
    id        TEXT PRIMARY KEY NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('table', 'figure', 'section', 'footnote')),
    label_zh  TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    page      INTEGER NOT NULL CHECK (page >= 1),
    quote     TEXT,
    note      TEXT
) STRICT;

CREATE TABLE regions (
    id        TEXT PRIMARY KEY NOT NULL,
    name_zh   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    level     TEXT NOT NULL CHECK (level IN ('country', 'bloc', 'province', 'autonomous_region', 'municipality', 'city', 'district')),
    parent_id TEXT REFERENCES regions (id),
    source_id TEXT NOT NULL REFERENCES sources (id),
    quote     TEXT NOT NULL,
    note      TEXT
) STRICT;

CREATE TABLE open_data_platforms (
    id        TEXT PRIMARY KEY NOT NULL,
    region_id TEXT NOT NULL REFERENCES regions (id),
    level     TEXT NOT NULL CHECK (level IN ('province', 'autonomous_region', 'municipality')),
    launched  INTEGER NOT NULL CHECK (launched BETWEEN 1900 AND 2100),
    source_id TEXT NOT NULL REFERENCES sources (id),
    quote     TEXT NOT NULL,
    note      TEXT
) STRICT;

CREATE TABLE chips (
    id           TEXT PRIMARY KEY NOT NULL,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    vendor_zh    TEXT NOT NULL,
    vendor_en    TEXT NOT NULL,
    kind         TEXT CHECK (kind IN ('training', 'inference')),
    process_nm   REAL CHECK (process_nm > 0),
    int8_tops    REAL CHECK (int8_tops >= 0),
    fp16_tflops  REAL CHECK (fp16_tflops >= 0),
    power_w      REAL CHECK (power_w >= 0),
    architecture TEXT,
    source_id    TEXT NOT NULL REFERENCES sources (id),
    quote        TEXT NOT NULL,
    note         TEXT
) STRICT;

CREATE TABLE pilot_zones (
    id        TEXT PRIMARY KEY NOT NULL,
    seq       INTEGER NOT NULL CHECK (seq >= 1),
    zone_zh   TEXT NOT NULL,
    zone_en   TEXT NOT NULL,
    region_id TEXT NOT NULL REFERENCES regions (id),
    published TEXT NOT NULL CHECK (published GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
    policy_zh TEXT NOT NULL,
    policy_en TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id),
    quote     TEXT NOT NULL,
    note      TEXT
) STRICT;

CREATE TABLE datasets (
    id           TEXT PRIMARY KEY NOT NULL,
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    publisher_zh TEXT,
    publisher_en TEXT,
    released     INTEGER CHECK (released BETWEEN 1900 AND 2100),
    domain       TEXT,
    size_note    TEXT,
    source_id    TEXT NOT NULL REFERENCES sources (id),
    quote        TEXT NOT NULL,
    note         TEXT
) STRICT;

CREATE TABLE dataset_languages (
    id          TEXT PRIMARY KEY NOT NULL,
    language_zh TEXT NOT NULL,
    language_en TEXT NOT NULL,
    datasets    INTEGER NOT NULL CHECK (datasets >= 0),
    growth_pct  REAL,
    source_id   TEXT NOT NULL REFERENCES sources (id),
    quote       TEXT NOT NULL,
    note        TEXT
) STRICT;

CREATE TABLE apollo_products (
    id          TEXT PRIMARY KEY NOT NULL,
    product_zh  TEXT NOT NULL,
    product_en  TEXT NOT NULL,
    partner_zh  TEXT NOT NULL,
    partner_en  TEXT NOT NULL,
    progress_zh TEXT NOT NULL,
    progress_en TEXT,
    source_id   TEXT NOT NULL REFERENCES sources (id),
    quote       TEXT NOT NULL,
    note        TEXT
) STRICT;

CREATE TABLE aiinfra_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE "models" (
    id               TEXT PRIMARY KEY NOT NULL,
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    org_zh           TEXT NOT NULL,
    org_en           TEXT NOT NULL,
    country          TEXT CHECK (country GLOB '[A-Z][A-Z]'),
    released         TEXT CHECK (released GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
    params           INTEGER CHECK (params > 0),
    params_qualifier TEXT CHECK (params_qualifier IN ('at_least', 'over', 'nearly', 'about')),
    modality         TEXT CHECK (modality IN ('nlp', 'cv', 'multimodal')),
    training_data    TEXT,
    source_id        TEXT NOT NULL REFERENCES sources (id),
    quote            TEXT NOT NULL,
    note             TEXT
) STRICT;

CREATE TABLE "frameworks" (
    id                 TEXT PRIMARY KEY NOT NULL,
    name_zh            TEXT NOT NULL,
    name_en            TEXT NOT NULL,
    country            TEXT CHECK (country GLOB '[A-Z][A-Z]'),
    org_zh             TEXT,
    org_en             TEXT,
    github_stars       INTEGER CHECK (github_stars >= 0),
    activity           INTEGER CHECK (activity >= 0),
    activity_qualifier TEXT CHECK (activity_qualifier IN ('at_least', 'over', 'nearly', 'about')),
    contributors       INTEGER CHECK (contributors >= 0),
    open_source        INTEGER CHECK (open_source IN (0, 1)),
    kind               TEXT NOT NULL CHECK (kind IN ('training', 'inference', 'domain')),
    region_id          TEXT REFERENCES regions (id),
    source_id          TEXT NOT NULL REFERENCES sources (id),
    quote              TEXT NOT NULL,
    note               TEXT
) STRICT;

CREATE TABLE "policies" (
    id               TEXT PRIMARY KEY NOT NULL,
    region_id        TEXT NOT NULL REFERENCES regions (id),
    published        TEXT CHECK (published GLOB '[12][0-9][0-9][0-9]' OR published GLOB '[12][0-9][0-9][0-9]-[01][0-9]' OR published GLOB '[12][0-9][0-9][0-9]-H[12]'),
    title_zh         TEXT NOT NULL,
    title_en         TEXT NOT NULL,
    summary_zh       TEXT,
    summary_en       TEXT,
    amount           REAL CHECK (amount >= 0),
    amount_qualifier TEXT CHECK (amount_qualifier IN ('at_least', 'over', 'nearly', 'about')),
    currency         TEXT CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
    source_id        TEXT NOT NULL REFERENCES sources (id),
    quote            TEXT NOT NULL,
    note             TEXT
) STRICT;

CREATE TABLE "compute_centers" (
    id               TEXT PRIMARY KEY NOT NULL,
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    region_id        TEXT NOT NULL REFERENCES regions (id),
    operator_zh      TEXT,
    operator_en      TEXT,
    status           TEXT NOT NULL CHECK (status IN ('operating', 'under_construction', 'planned')),
    ready_year       INTEGER CHECK (ready_year BETWEEN 1900 AND 2100),
    pflops           REAL CHECK (pflops >= 0),
    pflops_qualifier TEXT CHECK (pflops_qualifier IN ('at_least', 'over', 'nearly', 'about')),
    source_id        TEXT NOT NULL REFERENCES sources (id),
    quote            TEXT NOT NULL,
    note             TEXT
) STRICT;

CREATE TABLE "facts" (
    id             TEXT PRIMARY KEY NOT NULL,
    subject        TEXT NOT NULL,
    metric_zh      TEXT NOT NULL,
    metric_en      TEXT NOT NULL,
    value          REAL NOT NULL,
    unit           TEXT,
    qualifier      TEXT CHECK (qualifier IN ('at_least', 'over', 'nearly', 'about')),
    as_of          TEXT CHECK (as_of GLOB '[12][0-9][0-9][0-9]' OR as_of GLOB '[12][0-9][0-9][0-9]-[01][0-9]' OR as_of GLOB '[12][0-9][0-9][0-9]-H[12]'),
    as_of_inferred INTEGER NOT NULL CHECK (as_of_inferred IN (0, 1)),
    source_id      TEXT NOT NULL REFERENCES sources (id),
    quote          TEXT NOT NULL,
    note           TEXT
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
