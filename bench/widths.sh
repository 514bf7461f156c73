#!/usr/bin/env bash
# The width table: for each command a reader runs (the README's, and the five
# questions of issue 17), at 80 and 100 columns, the widest line printed, and what the
# table hides to fit (from the notice on stderr), and whether any column the command's
# own words ask for was hidden. Usage: bench/widths.sh [BINARY]
set -u
bin=${1:-target/release/aiinfra}
commands=(
  "chips" "chips --min-int8 200" "platforms" "platforms --year 2020 --count-by level"
  "models" "models --min-params 1T" "frameworks" "pilot-zones" "centers" "regions"
  "regions 广东省" "regions eu" "datasets" "languages" "apollo" "policies"
  "policies --region 欧盟" "facts" "facts --subject 深圳" "search 昇腾" "show pangu-nlp --context"
  "sources" "schema chips" "report sec-2.3.2" "db check"
  "pilot-zones --columns zone_zh,published,policy_zh,page"
)
# The columns a command's own words ask for (a filter's column, --count-by, --columns):
# the last column says whether the table hid any of them at 80 or 100.
asked() {
  python3 - "$1" <<'PY'
import sys
words = sys.argv[1].split()
flags = {"--min-int8": "int8_tops", "--min-params": "params", "--year": "launched",
         "--region": "region_id", "--subject": "subject"}
out = []
for i, w in enumerate(words):
    if w in flags:
        out.append(flags[w])
    if w in ("--count-by", "--columns") and i + 1 < len(words):
        out.extend(words[i + 1].split(","))
print(",".join(out))
PY
}
printf '%-38s %5s %-40s %5s %-40s %s\n' command "w@80" "hidden@80" "w@100" "hidden@100" "asked: hidden?"
for c in "${commands[@]}"; do
  row=$(printf '%-38s' "$c")
  wanted=$(asked "$c")
  lost=""
  for w in 80 100; do
    # shellcheck disable=SC2086
    out=$(eval "COLUMNS=$w \"$bin\" $c --width $w" 2>/tmp/widths.err)
    widest=$(printf '%s\n' "$out" | python3 -c 'import sys,unicodedata
print(max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in l.rstrip("\n")) for l in sys.stdin), default=0))')
    hidden=$(tr '\n' ' ' < /tmp/widths.err | sed -n 's/.*hidden to fit the width (\(.*\)); --wide.*/\1/p')
    row+=$(printf ' %5s %-40s' "$widest" "${hidden:--}")
    for a in ${wanted//,/ }; do
      case ", $hidden," in *", $a,"*) lost+="$a@$w " ;; esac
    done
  done
  if [ -z "$wanted" ]; then
    row+=" -"
  elif [ -z "$lost" ]; then
    row+=" $wanted: none hidden"
  else
    row+=" $wanted: HIDDEN $lost"
  fi
  echo "$row"
done
