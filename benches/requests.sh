#!/usr/bin/env bash
# Benchmark of the records-request letters against the `typst` CLI, on equal workers.
#
#   bash benches/requests.sh [CHILDREN] [RUNS]
#
# Both sides typeset the same letters (the Typst source scrutiny makes for each,
# with the same house.typ) with the same fonts (assets/fonts plus Typst's own
# embedded fonts) to tagged PDF/UA-1, on the same number of workers: scrutiny's
# engine uses one worker thread per core; the CLI runs that many processes at
# once (`xargs -P`), one letter per process.
#
# 1. `scrutiny build --only requests` of a synthetic folder of CHILDREN children
#    (default 20,000) sampled at 99% / ±2 points: the whole build (loading,
#    checking, the sample, the register, every letter, the packs), its wall time
#    and peak memory.
# 2. The same letters' sources typeset by the `typst` CLI (installed here only,
#    never a project dependency).
# 3. The throughputs and their ratio: the median of RUNS (default 3) runs of each
#    side, taken in turn, so that a busy spell of a shared machine falls on both.
# 4. Peak memory of the same build at 20,000 and at 200,000 children.
set -euo pipefail
cd "$(dirname "$0")/.."
children="${1:-20000}"
runs="${2:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scrutiny-target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
workers=$(nproc)

command -v /usr/bin/time >/dev/null || (apt-get install -y -qq time >/dev/null 2>&1)
cargo build --release --quiet --example bench --example synth
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/scrutiny"
typst_root="$HOME/.cache/scrutiny-typst-cli"
if [ ! -x "$typst_root/bin/typst" ]; then
  echo "installing the typst CLI 0.15.1 (the version scrutiny embeds) into $typst_root"
  cargo install typst-cli --version 0.15.1 --locked --root "$typst_root" --quiet
fi

# A synthetic folder of $1 children at 99% / ±2 points, in $2.
folder() {
  "$CARGO_TARGET_DIR/release/examples/synth" "$2" "$1" 2024 >/dev/null
  sed -i 's/^confidence = .*/confidence = 0.99/; s/^margin = .*/margin = 0.02/; s/^seed = .*/seed = 2024/' "$2/inspection.toml"
}

# Builds the requests of folder $1 under /usr/bin/time: "letters seconds peak-KiB".
build() {
  # From nothing each time: a second build would keep every unchanged letter.
  rm -rf "$1/out"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" build "$1" --only requests --quiet
  echo "$(ls "$1/out/requests/"*.pdf | wc -l) $(cat "$work/time.txt")"
}

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

folder "$children" "$work/ws"
# examples/bench writes each letter's Typst source, made from the same folder settings.
"$CARGO_TARGET_DIR/release/examples/bench" "$children" "$work/sources" >/dev/null
n=$(ls "$work/sources"/letter-*.typ | wc -l)
engine_runs=()
cli_runs=()
for run in $(seq "$runs"); do
  read -r letters wall rss <<<"$(build "$work/ws")"
  engine_runs+=("$(echo "$letters / $wall" | bc -l)")
  printf "run %d: scrutiny %d letters in %.2f s (peak %d MiB)" "$run" "$letters" "$wall" $((rss / 1024))
  rm -f "$work/sources"/*.pdf
  start=$(date +%s.%N)
  ls "$work/sources"/letter-*.typ | xargs -P "$workers" -I{} "$typst_root/bin/typst" compile \
    --root "$work/sources" --font-path assets/fonts --ignore-system-fonts --pdf-standard ua-1 {}
  end=$(date +%s.%N)
  cli_runs+=("$(echo "$n / ($end - $start)" | bc -l)")
  printf "; typst CLI %d letters in %.2f s\n" "$n" "$(echo "$end - $start" | bc -l)"
done
engine=$(printf "%s\n" "${engine_runs[@]}" | median)
cli=$(printf "%s\n" "${cli_runs[@]}" | median)

echo
echo "== median of $runs runs, $children children, $workers workers each side"
printf "scrutiny build --only requests (whole build): %.1f letters/s\n" "$engine"
printf "typst CLI, %d processes at once, one letter each: %.1f letters/s\n" "$workers" "$cli"
printf "ratio: %.2fx\n" "$(echo "$engine / $cli" | bc -l)"

echo
echo "== peak memory of the whole build"
for size in 20000 200000; do
  rm -rf "$work/m"
  folder "$size" "$work/m"
  read -r letters wall rss <<<"$(build "$work/m")"
  printf "%7d children: %5d letters in %6.2f s, peak %d MiB\n" "$size" "$letters" "$wall" $((rss / 1024))
done
