#!/usr/bin/env bash
# Benchmark of the report: `scrutiny build --only report` of the worked example,
# and of a findings folder ten times its length (every Markdown file's prose
# repeated ten times). Prints the median wall time of five runs and the peak
# memory of one, for each.
#
#   bash benches/report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scrutiny-target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || (apt-get install -y -qq time >/dev/null 2>&1)
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/scrutiny"

measure() {
  local dir="$1" label="$2"
  "$bin" build "$dir" >/dev/null # everything else, once
  local times=()
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N)
    "$bin" build "$dir" --only report >/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  /usr/bin/time -v "$bin" build "$dir" --only report 2>"$work/time.txt" >/dev/null
  local rss pages
  rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
  pages=$(pdfinfo "$dir/out/report/public-report.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')
  pages_r=$(pdfinfo "$dir/out/report/record-of-findings.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')
  echo "$label: median ${median}s of 5 runs, peak RSS $((rss / 1024)) MiB, public report ${pages:-?} pages, record ${pages_r:-?} pages"
}

"$bin" init "$work/example" >/dev/null
measure "$work/example" "worked example"

cp -r "$work/example" "$work/long"
rm -rf "$work/long/out"
find "$work/long/findings" -name '*.md' | while read -r f; do
  body=$(cat "$f")
  for _ in 2 3 4 5 6 7 8 9 10; do printf '\n%s\n' "$(grep -v '^# ' <<<"$body")" >>"$f"; done
done
measure "$work/long" "findings ten times as long"
