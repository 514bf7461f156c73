# What bench/run.sh and bench/search.sh share; sourced from the repository's top.
# `needs TOOL...` stops with the line that installs a missing tool; `start` builds the
# release binary ($bin) and makes a scratch folder ($work, removed on exit);
# `repeat_facts FILE COPIES [KEEP]` multiplies a built file's facts.

needs() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$0 needs $tool (apt-get install $tool)" >&2; exit 1; }
    done
}

# The built knowledge base's facts in FILE, COPIES times over (each copy's id
# suffixed, so that ids stay unique); with KEEP, only the first KEEP rows stay.
repeat_facts() {
    local file=$1 copies=$2 keep=${3:-}
    local columns
    columns=$(sqlite3 "$file" "SELECT group_concat(name, ', ') FROM pragma_table_info('facts') WHERE name != 'id'")
    sqlite3 "$file" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $((copies - 1)))
      INSERT INTO facts (id, $columns) SELECT f.id || '-copy' || n.i, $columns FROM facts AS f, n;"
    if [ -n "$keep" ]; then
        sqlite3 "$file" "DELETE FROM facts WHERE rowid NOT IN (SELECT rowid FROM facts ORDER BY rowid LIMIT $keep)"
    fi
}

start() {
    cargo build --release --quiet
    bin=$PWD/target/release/aiinfra
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
}
