#!/usr/bin/env bash
# Benchmark of the records-request letters against the `typst` CLI.
#
#   bash benches/requests.sh [CHILDREN]
#
# 1. examples/bench: 20,000 synthetic children at 99% / ±2 points; times the
#    engine and the letters (plain worker threads, one engine).
# 2. /usr/bin/time -v on `scrutiny build --only requests` of the same folder:
#    whole-build wall time and peak memory.
# 3. The same letters typeset one process per letter by the `typst` CLI (installed
#    here only, never a project dependency), with the same bundled fonts.
set -euo pipefail
cd "$(dirname "$0")/.."
children="${1:-20000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scrutiny-target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v /usr/bin/time >/dev/null || (apt-get install -y -qq time >/dev/null 2>&1)
cargo build --release --quiet --example bench --example synth
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/scrutiny"

echo "== embedded engine (examples/bench)"
"$CARGO_TARGET_DIR/release/examples/bench" "$children" "$work/sources"

echo
echo "== whole build: scrutiny build --only requests"
"$CARGO_TARGET_DIR/release/examples/synth" "$work/ws" "$children" 2024 >/dev/null
sed -i 's/^confidence = .*/confidence = 0.99/; s/^margin = .*/margin = 0.02/; s/^seed = .*/seed = 2024/' "$work/ws/inspection.toml"
/usr/bin/time -v "$bin" build "$work/ws" --only requests 2> "$work/time.txt"
letters=$(ls "$work/ws/out/requests/"*.pdf | wc -l)
wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}')
rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
echo "letters: $letters  wall: $wall  peak RSS: $((rss / 1024)) MiB"

echo
echo "== typst CLI, one process per letter"
typst_root="$HOME/.cache/scrutiny-typst-cli"
if [ ! -x "$typst_root/bin/typst" ]; then
  cargo install typst-cli --version 0.15.1 --locked --root "$typst_root" --quiet
fi
n=$(ls "$work/sources"/letter-*.typ | wc -l)
start=$(date +%s.%N)
for f in "$work/sources"/letter-*.typ; do
  "$typst_root/bin/typst" compile --root "$work/sources" --font-path assets/fonts --ignore-system-fonts \
    --pdf-standard ua-1 "$f" "${f%.typ}.pdf"
done
end=$(date +%s.%N)
cli=$(echo "$end - $start" | bc -l)
echo "typst CLI: $n letters in ${cli}s = $(echo "$n / $cli" | bc -l | cut -c1-6) letters/s"
