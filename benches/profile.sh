#!/usr/bin/env bash
# Where the records-request letters' work goes, counted in instructions by
# callgrind (so a busy machine does not blur it), on one core.
#
#   bash benches/profile.sh [CHILDREN]
#
# CHILDREN (default 1,500) gives about 110 letters at 99% / ±2 points; the run
# takes a few minutes under valgrind. Prints the total and the share of the
# main stages: each letter's render (Typst's layout, with shaping and
# realisation, then its PDF export, with the font subsets and their
# compression), and the build's own work on the main thread (the packs, the
# manifest's hashes). Under valgrind SHA-256 runs without the CPU's SHA
# instructions, so the hashes count for more than they cost natively.
set -euo pipefail
cd "$(dirname "$0")/.."
children="${1:-1500}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scrutiny-target}"
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --example synth
cargo build --release --quiet
"$CARGO_TARGET_DIR/release/examples/synth" "$work/ws" "$children" 2024 >/dev/null
sed -i 's/^confidence = .*/confidence = 0.99/; s/^margin = .*/margin = 0.02/; s/^seed = .*/seed = 2024/' "$work/ws/inspection.toml"

taskset -c 0 valgrind --tool=callgrind --callgrind-out-file="$work/cg" \
  "$CARGO_TARGET_DIR/release/scrutiny" build "$work/ws" --only requests --quiet 2>"$work/log"
letters=$(ls "$work/ws/out/requests/"*.pdf | wc -l)
total=$(grep -o "refs: *[0-9,]*" "$work/log" | tr -d ', ' | cut -d: -f2)
printf "%d letters, %s instructions (%.0f million a letter)\n\n" "$letters" "$total" "$(echo "$total / $letters / 1000000" | bc -l)"
callgrind_annotate --inclusive=yes "$work/cg" >"$work/annotated"
for f in \
  'scrutiny::render::<impl scrutiny::render::world::Engine>::render_here' \
  'typst::compile' \
  'typst_layout::pages::layout_document' \
  'typst_layout::inline::shaping::shape_range' \
  'typst_realize::realize' \
  'typst_eval::eval' \
  'typst_pdf::pdf' \
  'krilla::text::cid::CIDFont::serialize' \
  'krilla::stream::deflate_encode' \
  'scrutiny::build::build' \
  'scrutiny::build::pack::write_packs' \
  'scrutiny::build::out::sha256_file'; do
  line=$(grep -F "???:$f " "$work/annotated" | head -1 || true)
  share=$(echo "$line" | grep -o "([ 0-9.]*%)" | tr -d '() ' || true)
  printf "%8s  %s\n" "${share:-?}" "$f"
done
