#!/usr/bin/env bash
# Incremental builds against full builds, in one run, on a synthetic folder of
# CHILDREN children (default 20,000) sampled at 99% / ±2 points, with the worked
# example's findings (their records readings moved onto this folder's sample).
#
#   bash benches/incremental.sh [CHILDREN] [RUNS]
#
# For each of RUNS rounds (default 3), taken in turn so that a busy spell of a
# shared machine falls on every case: a full build (`--full`), a rebuild after
# changing one contact's e-mail address, a rebuild after adding a sentence to
# findings/question-1.md, and a rebuild with no change at all. Prints the median
# wall time and peak memory of each, the documents each typeset, and each
# rebuild's time as a share of the full build's.
set -euo pipefail
cd "$(dirname "$0")/.."
children="${1:-20000}"
runs="${2:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scrutiny-target}"
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --example synth
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/scrutiny"
ws="$work/ws"
"$CARGO_TARGET_DIR/release/examples/synth" "$ws" "$children" 2024 >/dev/null
sed -i 's/^confidence = .*/confidence = 0.99/; s/^margin = .*/margin = 0.02/; s/^seed = .*/seed = 2024/' "$ws/inspection.toml"
"$bin" build "$ws" --only sample --quiet
cp -r fixtures/example/findings "$ws/findings"
python3 - "$ws" <<'EOF'
import csv, sys
ws = sys.argv[1]
sample = [r["case_ref"] for r in csv.DictReader(open(f"{ws}/out/sample/sample.csv"))]
rows = list(csv.DictReader(open(f"{ws}/findings/records-reading.csv")))
moved = {}
for r in rows:
    moved.setdefault(r["case_ref"], sample[len(moved)])
with open(f"{ws}/findings/records-reading.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["case_ref", "measure", "rating"])
    w.writerows([moved[r["case_ref"]], r["measure"], r["rating"]] for r in rows)
EOF
"$bin" build "$ws" --quiet

# One build: "<seconds> <peak KB> <documents typeset>".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" build "$ws" "$@" >"$work/log"
  typeset=$(grep -o '[0-9,]* typeset' "$work/log" | tr -d ',' | cut -d' ' -f1)
  echo "$(cat "$work/time") ${typeset:-all}"
}

declare -A results
for i in $(seq 1 "$runs"); do
  results[full]+="$(measure --full)"$'\n'
  sed -i "s/^\(hv-001,.*,\)[^,@]*@\([^,]*\),/\1hv-001.run$i@\2,/" "$ws/contacts.csv"
  results[contact]+="$(measure)"$'\n'
  echo "A sentence added in round $i." >>"$ws/findings/question-1.md"
  results[paragraph]+="$(measure)"$'\n'
  results[none]+="$(measure)"$'\n'
done

median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }
full=$(printf '%s' "${results[full]}" | cut -d' ' -f1 | median)
echo "children: $children; letters: $(ls "$ws/out/requests/"*.pdf | wc -l); files in OUT: $(find "$ws/out" -type f | wc -l); rounds: $runs"
printf '%-34s %9s %10s %9s %8s\n' case "median s" "peak MiB" typeset "of full"
for case in full contact paragraph none; do
  rows="${results[$case]}"
  s=$(printf '%s' "$rows" | cut -d' ' -f1 | median)
  kb=$(printf '%s' "$rows" | cut -d' ' -f2 | median)
  n=$(printf '%s' "$rows" | head -1 | cut -d' ' -f3)
  label=$(case $case in full) echo "full build (--full)";; contact) echo "one contact's e-mail";;
    paragraph) echo "one findings paragraph";; none) echo "no change";; esac)
  printf '%-34s %9s %10s %9s %7s%%\n' "$label" "$s" "$((kb / 1024))" "$n" "$(awk -v a="$s" -v b="$full" 'BEGIN { printf "%.1f", 100 * a / b }')"
done
