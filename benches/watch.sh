#!/usr/bin/env bash
# Live preview latency: the time from saving a change to findings/question-1.md
# until `scrutiny watch` serves the new report's web page (checked: the page
# served holds the sentence just added), and until every document is made again
# (its /version moves on twice: the web page first, then the rest), ten times on
# the worked example. Prints each time and the medians.
#
#   bash benches/watch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scrutiny-target}"
work="$(mktemp -d)"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/scrutiny"
"$bin" init "$work/example" >/dev/null
port=8731
"$bin" watch "$work/example" --port "$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
until [ "$(curl -s "127.0.0.1:$port/version" || true)" -ge 1 ] 2>/dev/null; do sleep 0.05; done
times=()
alls=()
for i in $(seq 1 10); do
  v0=$(curl -s "127.0.0.1:$port/version")
  start=$(date +%s%N)
  echo "A sentence added in run $i." >>"$work/example/findings/question-1.md"
  until curl -s "127.0.0.1:$port/out/report/public-report.html" | grep -q "added in run $i\."; do sleep 0.002; done
  end=$(date +%s%N)
  while [ "$(curl -s "127.0.0.1:$port/version")" -lt $((v0 + 2)) ]; do sleep 0.002; done
  all=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
  alls+=($(( (all - start) / 1000000 )))
  sleep 0.5
done
echo "save to the new web page served (ms): ${times[*]}"
echo "median: $(printf '%s\n' "${times[@]}" | sort -n | sed -n 5p) ms"
echo "save to every document made again (ms): ${alls[*]}"
echo "median: $(printf '%s\n' "${alls[@]}" | sort -n | sed -n 5p) ms"
