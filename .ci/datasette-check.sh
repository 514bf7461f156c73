#!/usr/bin/env bash
# Serves a file built by `aiinfra db build --datasette` in the real Datasette, through
# the launcher it writes, and checks what a user would see: the title, a table's column
# descriptions, a .json answer; the home page's count of tables and rows against the
# one aiinfra printed, the tables the metadata hides left out of the lists; and the
# search box over the report's passages (a term of 3 or more characters finds every
# passage that holds it, a shorter one nothing, as the README says).
#
# Datasette comes from the Python package index into a throwaway virtual environment
# (python3-venv from Debian's packages if it is missing). The check is SKIPPED only
# when the package index cannot be reached: pip is first asked to fetch Datasette
# alone; once it could, any later failure (installing, serving, a check) fails.
set -euo pipefail
cd "$(dirname "$0")/.."
aiinfra=${AIINFRA:-${CARGO_TARGET_DIR:-target}/debug/aiinfra}
aiinfra=$(cd "$(dirname "$aiinfra")" && pwd)/$(basename "$aiinfra")

fail() {
    echo "datasette-check: FAILED: $*" >&2
    exit 1
}

work=$(mktemp -d)
server=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if ! python3 -m venv "$work/venv" >/dev/null 2>&1; then
    echo "installing python3-venv from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null) 2>/dev/null \
        || fail "no Python venv, and apt-get could not install python3-venv"
    rm -rf "$work/venv"
    python3 -m venv "$work/venv" || fail "python3 -m venv failed"
fi
pip=("$work/venv/bin/pip" --disable-pip-version-check --no-input)

# Can the package index be reached? Fetch Datasette alone (no dependencies): only a
# failure to do that is a reason to skip.
if ! timeout 300 "${pip[@]}" download --quiet --no-deps --retries 2 --timeout 30 \
        --dest "$work/probe" datasette >"$work/probe.log" 2>&1; then
    tail -n 5 "$work/probe.log" >&2
    echo "datasette-check: SKIPPED: the Python package index cannot be reached (pip could not fetch datasette)" >&2
    exit 0
fi
if ! timeout 600 "${pip[@]}" install --quiet datasette >"$work/pip.log" 2>&1; then
    tail -n 20 "$work/pip.log" >&2
    fail "the package index was reached, but pip could not install datasette"
fi
export PATH="$work/venv/bin:$PATH"
echo "datasette $(datasette --version | sed 's/.*version //'), SQLite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"

built=$("$aiinfra" db build "$work/kb.db" --datasette 2>&1) || fail "db build --datasette: $built"
echo "$built"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sh "$work/kb.db.datasette.sh" --port "$port" >"$work/serve.log" 2>&1 &
server=$!

up=0
for _ in $(seq 1 60); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=2)" 2>/dev/null; then
        up=1
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        break
    fi
    sleep 0.5
done
if [ "$up" != 1 ]; then
    cat "$work/serve.log" >&2
    fail "Datasette did not start"
fi

# What the metadata says, against what Datasette shows.
python3 - "$port" "$work/kb.db.metadata.json" "$built" <<'PY'
import html, json, re, sys, urllib.parse, urllib.request

port, meta_path, built = sys.argv[1], sys.argv[2], sys.argv[3]
meta = json.load(open(meta_path, encoding="utf-8"))
tables_meta = meta["databases"]["kb"]["tables"]
failed = []

def get(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        return r.read().decode("utf-8")

def get_json(path):
    return json.loads(get(path))

def expect(what, needle, page):
    if needle not in html.unescape(page):
        failed.append(f"{what}: {needle!r} not found")

def check(what, ok, detail=""):
    if not ok:
        failed.append(f"{what}{': ' + str(detail) if detail else ''}")

index = get("/")
expect("the title on the index page", meta["title"], index)
expect("the attribution on every page", "来源:中国信息通信研究院和人工智能与经济社会研究中心", index)
chips_meta = tables_meta["chips"]
chips = get("/kb/chips")
expect("the chips table's description", chips_meta["description"], chips)
for column in ("int8_tops", "vendor_zh", "quote"):
    expect(f"{column}'s description on the chips page", chips_meta["columns"][column], chips)
rows = get_json("/kb/chips.json?_shape=array&id=ascend-910")
want = {"id": "ascend-910", "name_zh": "昇腾910", "int8_tops": 640, "source_id": "sec-2.3.2"}
got = {k: rows[0].get(k) for k in want} if len(rows) == 1 else rows
check("/kb/chips.json", got == want, f"expected {want}, got {got}")

# The tables Datasette lists and counts are aiinfra's: "wrote …: 13 tables, 361 rows
# and 212 passages of the report" is 14 tables and 361 + 212 rows on the home page.
m = re.search(r"(\d+) tables, (\d+) rows and (\d+) passages of the report", built)
check("aiinfra's count in what db build said", m, built)
hidden = {name for name, t in tables_meta.items() if t.get("hidden")}
for name in ("aiinfra_meta", "row_passages", "passages_fts", "passages_fts_data"):
    check(f"{name} hidden by the metadata", name in hidden)
if m:
    tables, data_rows, passages = map(int, m.groups())
    home = get_json("/.json")["kb"]
    check("tables on the home page", home["tables_count"] == tables + 1,
          f"{home['tables_count']}, where aiinfra counts {tables} tables and the passages")
    check("rows on the home page", home["table_rows_sum"] == data_rows + passages,
          f"{home['table_rows_sum']}, where aiinfra counts {data_rows} rows and {passages} passages")
    expect("the home page's count", f"{data_rows + passages:,} rows in {tables + 1} tables", index)
database = get_json("/kb.json")
listed = {t["name"] for t in database["tables"] if not t["hidden"]}
shown_hidden = {t["name"] for t in database["tables"] if t["hidden"]}
check("the tables listed are the data tables and passages",
      "passages" in listed and "chips" in listed and not listed & hidden,
      sorted(listed))
check("the hidden tables are the ones the metadata hides", shown_hidden == hidden,
      f"Datasette hides {sorted(shown_hidden)}, the metadata {sorted(hidden)}")
database_page = get("/kb")
for name in sorted(hidden):
    for page, what in ((index, "home page"), (database_page, "database page")):
        check(f"{name} not listed on the {what}", f'/kb/{name}"' not in page)
check("the passages have a search box", 'name="_search"' in get("/kb/passages"))

def passages(**args):
    query = urllib.parse.urlencode({"_shape": "objects", "_size": "max", **args})
    answer = get_json(f"/kb/passages.json?{query}")
    return answer["rows"], answer["filtered_table_rows_count"]

# A term of 3 or more characters finds every passage that holds it, and only those.
term = "智能计算"
found, count = passages(_search=term)
_, holding = passages(text__contains=term)
check(f"_search={term} finds passages", count > 0 and len(found) == count, count)
check(f"_search={term}: every passage found holds it", all(term in r["text"] for r in found),
      [r["text"][:40] for r in found if term not in r["text"]])
check(f"_search={term} finds every passage that holds it", count == holding,
      f"{count} found, {holding} hold it")
# Any case, as the README says.
_, upper = passages(_search="AI芯片")
_, lower = passages(_search="ai芯片")
check("_search is case-insensitive", upper > 0 and upper == lower, f"{upper} and {lower}")
# A shorter term finds nothing; the filter "text contains" finds it.
short = "算力"
_, count = passages(_search=short)
_, holding = passages(text__contains=short)
check(f"_search={short} (2 characters) finds nothing", count == 0, count)
check(f"text__contains={short} finds it", holding > 0, holding)

for f in failed:
    print(f"datasette-check: {f}", file=sys.stderr)
sys.exit(1 if failed else 0)
PY

echo "datasette-check: the title, column descriptions, a .json answer, the counts on the home page, the hidden tables and the search of the passages are as built"
