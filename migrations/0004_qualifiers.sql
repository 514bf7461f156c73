-- aiinfra schema v4: numbers the report gives as a bound or an approximation say so,
-- in every table, with one vocabulary; periods may be half-years; a fact's date says
-- whether the report states it or it was inferred.
--
-- A qualifier column stands beside the number it qualifies:
--   at_least  the number or more: 以上, E级, 千亿级, Table 4's "+"   (shown ≥)
--   over      more than the number: 超过, 超, 余, 多                  (shown >)
--   nearly    just under the number: 近, 接近                        (shown <)
--   about     roughly the number: 约, 左右                           (shown ~)
-- models.params_lower_bound and frameworks.activity_lower_bound (booleans) become
-- params_qualifier and activity_qualifier (at_least where they were true);
-- compute_centers.pflops and policies.amount gain one; facts.qualifier gains at_least.
-- A period is YYYY, YYYY-MM, or a half-year YYYY-H1 / YYYY-H2.
--
-- Each table is rebuilt the way SQLite documents for changing a table: create the new
-- one, copy the rows, drop the old, rename. (The citations view, which names them, is
-- dropped before the migrations run and made again after them; see migrate.rs.)

CREATE TABLE models_v4 (
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
INSERT INTO models_v4
SELECT id, name_zh, name_en, org_zh, org_en, country, released, params,
       CASE params_lower_bound WHEN 1 THEN 'at_least' END,
       modality, training_data, source_id, quote, note
FROM models;
DROP TABLE models;
ALTER TABLE models_v4 RENAME TO models;

CREATE TABLE frameworks_v4 (
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
INSERT INTO frameworks_v4
SELECT id, name_zh, name_en, country, org_zh, org_en, github_stars, activity,
       CASE activity_lower_bound WHEN 1 THEN 'at_least' END,
       contributors, open_source, kind, region_id, source_id, quote, note
FROM frameworks;
DROP TABLE frameworks;
ALTER TABLE frameworks_v4 RENAME TO frameworks;

CREATE TABLE policies_v4 (
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
INSERT INTO policies_v4
SELECT id, region_id, published, title_zh, title_en, summary_zh, summary_en, amount, NULL,
       currency, source_id, quote, note
FROM policies;
DROP TABLE policies;
ALTER TABLE policies_v4 RENAME TO policies;

CREATE TABLE compute_centers_v4 (
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
INSERT INTO compute_centers_v4
SELECT id, name_zh, name_en, region_id, operator_zh, operator_en, status, ready_year, pflops,
       NULL, source_id, quote, note
FROM compute_centers;
DROP TABLE compute_centers;
ALTER TABLE compute_centers_v4 RENAME TO compute_centers;

CREATE TABLE facts_v4 (
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
INSERT INTO facts_v4
SELECT id, subject, metric_zh, metric_en, value, unit, qualifier, as_of, 0, source_id, quote,
       note
FROM facts;
DROP TABLE facts;
ALTER TABLE facts_v4 RENAME TO facts;
