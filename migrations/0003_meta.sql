-- aiinfra schema v3: where a database file came from.
--
-- One row per key: aiinfra_version (the binary that built it), data_edition (the
-- report), data_checksum (SHA-256 of the seed files it was built from) and seeds
-- (built-in or a seed directory). `aiinfra --version` shows them for a --db file.

CREATE TABLE aiinfra_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
