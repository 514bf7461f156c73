#!/usr/bin/env bash
# Speed of aiinfra against the sqlite3 shell, measured side by side in one run so the
# ratios hold on a noisy machine:
#   1. aiinfra chips --min-int8 200            (the embedded default)
#   2. aiinfra --db FILE chips --min-int8 200  (a file written by `aiinfra db build`)
#   3. sqlite3 FILE "<the same SELECT>"        (the reference)
# then instruction counts from callgrind, which do not drift with machine load.
# Needs hyperfine, sqlite3 and valgrind (Debian: apt-get install hyperfine sqlite3 valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in hyperfine sqlite3 valgrind; do
    command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done

cargo build --release --quiet
bin=target/release/aiinfra
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/aiinfra.db"
"$bin" db build "$db" 2>/dev/null

# The SELECT that `chips --min-int8 200` runs, as --show-sql prints it, with its
# parameter written in, so sqlite3 does the same work.
select=$("$bin" chips --min-int8 200 --format csv --show-sql | head -n 1 | sed 's/?1/200/; s/;$//')
# sqlite3 prints a header and columns with these options, as aiinfra does.
sqlite=(sqlite3 -batch -csv -header "$db" "$select")

# The same rows, in the same order, from both (the ids are the first column; quoting
# and number formatting differ between the two).
diff <("$bin" chips --min-int8 200 --format csv | cut -d, -f1) <("${sqlite[@]}" | cut -d, -f1) || {
    echo "aiinfra and sqlite3 disagree on the rows" >&2
    exit 1
}

hyperfine -N --warmup 20 --min-runs 300 --export-json "$work/times.json" \
    -n embedded "$bin chips --min-int8 200" \
    -n db-file "$bin --db $db chips --min-int8 200" \
    -n sqlite3 "$(printf '%q ' "${sqlite[@]}")" >&2

python3 - "$work/times.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ref = results["sqlite3"]["mean"]
print("\nmean time relative to sqlite3 (lower is faster):")
for name in ("embedded", "db-file", "sqlite3"):
    r = results[name]
    print(f"  {name:9} {r['mean'] / ref:5.2f}x   ({r['mean'] * 1000:.2f} ms ± {r['stddev'] * 1000:.2f})")
PY

echo
echo "instructions (callgrind, whole process):"
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
e=$(count "$bin" chips --min-int8 200)
f=$(count "$bin" --db "$db" chips --min-int8 200)
s=$(count "${sqlite[@]}")
python3 - "$e" "$f" "$s" <<'PY'
import sys
e, f, s = map(int, sys.argv[1:])
for name, n in (("embedded", e), ("db-file", f), ("sqlite3", s)):
    print(f"  {name:9} {n:>12,}  {n / s:5.2f}x")
PY
