#!/usr/bin/env bash
# Search at scale (issue 18): on a copy of the knowledge base whose `facts` is repeated
# 1,000 times (144,000 rows), `aiinfra --db FILE search WORD` against the sqlite3
# shell's plain LIKE '%WORD%' scan over the same text columns of every table, in one
# hyperfine run so that the ratio holds on a noisy machine. Needs hyperfine and sqlite3.
# Usage: bench/search.sh [WORD...] (default: 华为 huawei, a word without case and one with)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
needs hyperfine sqlite3
start
db="$work/big.db"
"$bin" db build "$db" 2>/dev/null
repeat_facts "$db" 1000
echo "facts: $(sqlite3 "$db" 'SELECT count(*) FROM facts') rows" >&2
[ "$#" -gt 0 ] || set -- 华为 huawei
for word in "$@"; do
    echo "search $word:"
    # The reference: every TEXT column of every data table and of passages, LIKE '%WORD%'.
    select=$(sqlite3 "$db" "SELECT group_concat('SELECT ''' || m.name || ''', rowid FROM ' || m.name || ' WHERE ' || (
        SELECT group_concat(p.name || ' LIKE ''%$word%''', ' OR ') FROM pragma_table_info(m.name) AS p WHERE p.type = 'TEXT'
      ), ' UNION ALL ') FROM sqlite_schema AS m WHERE m.type = 'table' AND m.name NOT IN ('aiinfra_meta', 'row_passages')")
    found=$("$bin" --db "$db" search "$word" -f csv --timeout 60 | tail -n +2 | wc -l)
    scanned=$(sqlite3 "$db" "$select" | wc -l)
    echo "aiinfra search finds $found, sqlite3's LIKE scan $scanned (the scan does not fold case, width or spacing)" >&2
    printf '%s' "$select" > "$work/select.sql"
    hyperfine -N --warmup 2 --min-runs 10 --export-json "$work/times.json" \
        -n aiinfra "$bin --db $db search $word --timeout 60" \
        -n sqlite3 "sqlite3 -init $work/select.sql $db .quit" >&2
    python3 - "$work/times.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ref = r["sqlite3"]["mean"]
for name in ("aiinfra", "sqlite3"):
    print(f"  {name:8} {r[name]['mean'] / ref:5.2f}x  ({r[name]['mean'] * 1000:.0f} ms ± {r[name]['stddev'] * 1000:.0f})")
PY
done
