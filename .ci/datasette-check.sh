#!/usr/bin/env bash
# Serves a file built by `aiinfra db build --datasette` in the real Datasette, through
# the launcher it writes, and checks what a user would see: the title, a table's column
# descriptions, and one .json answer. Datasette comes from PyPI into a throwaway
# virtual environment; if Python's venv is missing it is installed from Debian's
# packages. When the package index cannot be reached the check says so and is skipped
# (the README's recipe stays as it is).
set -euo pipefail
cd "$(dirname "$0")/.."
aiinfra=${AIINFRA:-${CARGO_TARGET_DIR:-target}/debug/aiinfra}
aiinfra=$(cd "$(dirname "$aiinfra")" && pwd)/$(basename "$aiinfra")

skip() {
    echo "datasette-check: SKIPPED: $*" >&2
    exit 0
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
        || skip "no Python venv, and apt-get could not install python3-venv"
    rm -rf "$work/venv"
    python3 -m venv "$work/venv" || skip "python3 -m venv failed"
fi
if ! timeout 600 "$work/venv/bin/pip" install --quiet --disable-pip-version-check datasette >"$work/pip.log" 2>&1; then
    tail -n 5 "$work/pip.log" >&2
    skip "cannot install datasette from the package index (PyPI unreachable?)"
fi
export PATH="$work/venv/bin:$PATH"
echo "datasette $(datasette --version | sed 's/.*version //')"

"$aiinfra" db build "$work/kb.db" --datasette
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sh "$work/kb.db.datasette.sh" --port "$port" >"$work/serve.log" 2>&1 &
server=$!

up=0
for _ in $(seq 1 60); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=2)" 2>/dev/null; then
        up=1
        break
    fi
    sleep 0.5
done
if [ "$up" != 1 ]; then
    cat "$work/serve.log" >&2
    echo "datasette-check: Datasette did not start" >&2
    exit 1
fi

# What the metadata says, against what Datasette shows.
python3 - "$port" "$work/kb.db.metadata.json" <<'PY'
import html, json, sys, urllib.request

port, meta_path = sys.argv[1], sys.argv[2]
meta = json.load(open(meta_path, encoding="utf-8"))
failed = []

def get(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        return r.read().decode("utf-8")

def expect(what, needle, page):
    if needle not in html.unescape(page):
        failed.append(f"{what}: {needle!r} not found")

index = get("/")
expect("the title on the index page", meta["title"], index)
expect("the attribution on every page", "来源:中国信息通信研究院和人工智能与经济社会研究中心", index)
chips_meta = meta["databases"]["kb"]["tables"]["chips"]
chips = get("/kb/chips")
expect("the chips table's description", chips_meta["description"], chips)
for column in ("int8_tops", "vendor_zh", "quote"):
    expect(f"{column}'s description on the chips page", chips_meta["columns"][column], chips)
rows = json.loads(get("/kb/chips.json?_shape=array&id=ascend-910"))
want = {"id": "ascend-910", "name_zh": "昇腾910", "int8_tops": 640, "source_id": "sec-2.3.2"}
got = {k: rows[0].get(k) for k in want} if len(rows) == 1 else rows
if got != want:
    failed.append(f"/kb/chips.json: expected {want}, got {got}")
for f in failed:
    print(f"datasette-check: {f}", file=sys.stderr)
sys.exit(1 if failed else 0)
PY

echo "datasette-check: the title, the chips table's column descriptions and a .json answer are as built"
