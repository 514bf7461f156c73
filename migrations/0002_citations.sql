-- aiinfra schema v2: the citations view.
--
-- One row per row of the knowledge base that cites the report: which table, which id,
-- which source, and the quote. `aiinfra sources` counts these; analysts can join on
-- it (`SELECT * FROM citations WHERE source_id = 'table-5'`). A test checks that
-- every table with a source_id column is here.

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
