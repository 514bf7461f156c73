#!/usr/bin/env bash
# Loads `aiinfra db dump --dialect postgres` into a throwaway PostgreSQL server and
# compares it with the knowledge base: row counts of every table and a few values
# (a bigint, a boolean, a real, Chinese text, the citations view).
# Installs PostgreSQL from Debian's packages when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
aiinfra=${AIINFRA:-${CARGO_TARGET_DIR:-target}/debug/aiinfra}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) || {
        echo "postgres-check: cannot install PostgreSQL (apt-get failed)" >&2
        exit 1
    }
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

work=$(mktemp -d)
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root; the package created a postgres user.
    chown postgres "$work"
    as_pg=(runuser -u postgres --)
fi
port=54329
cleanup() {
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/log" -w \
    -o "-p $port -k $work -c listen_addresses=''" start >/dev/null
psql() { "$pg_bin/psql" -h "$work" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

"$aiinfra" db dump --dialect postgres --output "$work/dump.sql"
psql -f "$work/dump.sql" >/dev/null

fail=0
check() { # name, expected, actual
    if [ "$2" != "$3" ]; then
        echo "postgres-check: $1: expected '$2', PostgreSQL has '$3'" >&2
        fail=1
    fi
}
tables=$("$aiinfra" sql "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name" --format tsv | tail -n +2)
for t in $tables; do
    want=$("$aiinfra" sql "SELECT count(*) FROM $t" --format tsv | tail -n 1)
    got=$(psql -c "SELECT count(*) FROM $t")
    check "rows of $t" "$want" "$got"
done
check "params of gpt-3" 175000000000 "$(psql -c "SELECT params FROM models WHERE id = 'gpt-3'")"
check "pg type of params" bigint "$(psql -c "SELECT data_type FROM information_schema.columns WHERE table_name = 'models' AND column_name = 'params'")"
check "open_source of tensorflow" t "$(psql -c "SELECT open_source FROM frameworks WHERE id = 'tensorflow'")"
check "pflops of beijing-super-cloud" 3.74 "$(psql -c "SELECT pflops FROM compute_centers WHERE id = 'beijing-super-cloud'")"
check "name of ascend-910" 昇腾910 "$(psql -c "SELECT name_zh FROM chips WHERE id = 'ascend-910'")"
check "citations" "$("$aiinfra" sql "SELECT count(*) FROM citations" --format tsv | tail -n 1)" "$(psql -c "SELECT count(*) FROM citations")"
check "a CHECK holds" 1 "$(psql -c "DO \$\$ BEGIN INSERT INTO chips (id, name_zh, name_en, vendor_zh, vendor_en, kind, source_id, quote) VALUES ('x', 'x', 'x', 'x', 'x', 'gpu', 'sec-1', 'q'); EXCEPTION WHEN check_violation THEN RAISE NOTICE 'ok'; END \$\$; SELECT 1" 2>/dev/null)"
if [ "$fail" = 0 ]; then
    echo "postgres-check: the PostgreSQL dump loads; $(echo $tables | wc -w) tables match row for row"
fi
exit $fail
