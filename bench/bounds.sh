#!/usr/bin/env bash
# The whole run is bounded, not only the query: each case below is an input that once
# made a stage after the query (rendering, charting, grouping, loading, writing) run
# away. For each, on a release binary: exit code, wall time, peak RSS and the bytes
# written. The bounds (issue 15): time <= --timeout + 2 s; RSS <= 1 GB (of which 256 MB
# outside SQLite's heap); bytes <= 8 x the result + 1 MB + rows x 4 x 120 on a pipe.
#
#   bash bench/bounds.sh [BINARY]      # default: target/release/aiinfra (built if missing)
#
# Needs GNU time (/usr/bin/time) and python3. Takes about a minute.
set -uo pipefail
cd "$(dirname "$0")/.."
bin="${1:-${CARGO_TARGET_DIR:-target}/release/aiinfra}"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
if [ ! -x "$bin" ]; then
  cargo build --release --quiet
fi
if [ ! -x /usr/bin/time ]; then
  echo "bounds.sh needs GNU time (apt-get install time)" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rows() { # a recursive CTE of N rows
  echo "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < $1)"
}

# A --db file whose platform launched in year 9e18 (a crafted file: the CHECK is not
# re-run on data already there).
"$bin" db build "$work/year.db" >/dev/null 2>&1
python3 - "$work/year.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA ignore_check_constraints = 1")
c.execute("UPDATE open_data_platforms SET launched = 9000000000000000000 WHERE id = 'open-data-zhejiang'")
c.commit()
PY

# A seed folder at the size limit: three valid files of about 15 MiB each.
mkdir -p "$work/seeds"
cp seed/*.csv "$work/seeds/"
python3 - "$work/seeds" <<'PY'
import csv, io, os, sys
d = sys.argv[1]
def grow(table, make, limit=15 * 1024 * 1024):
    path = os.path.join(d, table + ".csv")
    text = open(path, encoding="utf-8").read()
    header = text.splitlines()[0].split(",")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    n = 0
    size = len(text.encode())
    while size < limit:
        row = make(n)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([row.get(h, "") for h in header])
        line = buf.getvalue()
        size += len(line.encode())
        out.write(line)
        n += 1
    open(path, "a", encoding="utf-8").write(out.getvalue())
q = "数据" * 40
grow("facts", lambda n: {"id": f"fact-bench-{n}", "subject": "cn", "metric_zh": "指标" * 10, "metric_en": "metric " * 5, "value": str(n), "as_of_inferred": "false", "source_id": "sec-2.1", "quote": q})
grow("chips", lambda n: {"id": f"chip-bench-{n}", "name_zh": "芯片", "name_en": "chip", "vendor_zh": "厂商", "vendor_en": "vendor", "source_id": "sec-2.3.2", "quote": q})
grow("datasets", lambda n: {"id": f"dataset-bench-{n}", "name_zh": "数据集", "name_en": "dataset", "source_id": "sec-2.2.3", "quote": q})
PY

# case name | timeout | command (run in $work, stdout to a pipe that counts bytes)
cases=(
  "table: a 70,000-character cell and 10,000 rows|5|sql \"$(rows 10000) SELECT printf('%.*c', 70000, 'a') AS id UNION ALL SELECT 'b' FROM c\""
  "table: 30 cells of a million newlines|5|sql \"$(rows 30) SELECT printf('%.*c', 1000000, char(10)) AS t FROM c\""
  "table: 30 cells of a million newlines, --timeout 120|120|sql \"$(rows 30) SELECT printf('%.*c', 1000000, char(10)) AS t FROM c\""
  "table: 1M rows of 2 subnormal reals|5|sql \"$(rows 1000000) SELECT 4.9e-324 AS a, 4.9e-324 AS b FROM c\""
  "chart: --count-by a year 9e18|5|sql \"SELECT 1 AS launched UNION ALL SELECT 9000000000000000000\" --count-by launched --chart"
  "chart: a --db with a year 9e18|5|--db year.db platforms --count-by launched --chart"
  "chart: a 1 MiB label and 100,000 bars, piped|5|sql \"$(rows 100000) SELECT printf('%.*c', 1000000, 'a') AS name, 1 AS n UNION ALL SELECT 'b', x FROM c\" --chart n"
  "--count-by over 100,000 values|5|sql \"$(rows 100000) SELECT x AS v FROM c\" --count-by v -f csv"
  "xlsx: 100,000 sources cited|5|sql \"$(rows 100000) SELECT x AS v, 'src-' || x AS source_id FROM c\" -o cited.xlsx"
  "chart over 100,000 values|5|sql \"$(rows 100000) SELECT x AS v FROM c\" --count-by v --chart"
  "--seed-dir of three 15 MiB seeds|5|--seed-dir seeds chips --limit 1 -f csv"
  "xlsx: 1,048,575 rows, one column|60|sql \"$(rows 1048575) SELECT x FROM c\" -o million.xlsx"
  "db export x.xlsx of 15 MiB seeds|60|--seed-dir seeds db export big.xlsx"
)

printf '| case | exit | time (s) | peak RSS (MB) | bytes out |\n|---|---|---|---|---|\n'
for case in "${cases[@]}"; do
  IFS='|' read -r name timeout command <<<"$case"
  rm -f "$work/cited.xlsx" "$work/million.xlsx" "$work/big.xlsx"
  eval "set -- $command"
  start=$(date +%s.%N)
  (cd "$work" && /usr/bin/time -f '%M' -o "$work/rss" "$bin" "$@" --timeout "$timeout" 2>"$work/err" | wc -c >"$work/bytes"; echo "${PIPESTATUS[0]}" >"$work/code")
  end=$(date +%s.%N)
  rss=$(tail -n 1 "$work/rss" 2>/dev/null | tr -dc 0-9)
  bytes=$(cat "$work/bytes")
  for f in cited.xlsx million.xlsx big.xlsx; do
    [ -f "$work/$f" ] && bytes=$((bytes + $(stat -c %s "$work/$f")))
  done
  printf '| %s | %s | %.1f | %s | %s |\n' "$name" "$(cat "$work/code")" \
    "$(echo "$end - $start" | bc)" "$(( ${rss:-0} / 1024 ))" "$bytes"
  if [ -s "$work/err" ]; then
    sed 's/^/    /' "$work/err" | head -c 300 | head -n 2 >&2
  fi
done
