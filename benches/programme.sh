#!/usr/bin/env bash
# The programme at scale: INSPECTIONS inspection folders (default 32), each the
# worked example's size (1,000 children, its findings, final), with a team of
# its own and commencements a week apart (Tuesdays), in one programme folder.
#
#   bash benches/programme.sh [INSPECTIONS] [RUNS]
#
# For each of RUNS rounds (default 3): `scrutiny programme` (every folder
# loaded and checked, the timeline and the clashes), a full `programme build`
# (`--full`), a rebuild with no change, a rebuild after one inspection's
# evaluation changes (the review only is typeset again), and a rebuild after
# one inspection's commencement moves (the timeline too). Prints the median
# wall time and peak memory of each, and what each typeset.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-32}"
runs="${2:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scrutiny-target}"
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/scrutiny"
pg="$work/programme"
python3 - "$pg" "$n" <<'PY'
import datetime, os, re, shutil, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root)
# Tuesdays: no Scottish bank holiday falls on one from March to October 2013.
start = datetime.date(2013, 3, 5)
letters = "abcdefghijklmnopqrstuvwxyz"
for i in range(n):
    folder = os.path.join(root, f"area-{i:02d}")
    shutil.copytree("fixtures/example", folder, ignore=shutil.ignore_patterns("out", "action-plan.toml", "comments.toml"))
    p = os.path.join(folder, "inspection.toml")
    t = open(p).read()
    tag = letters[i // 26].upper() + letters[i % 26]
    t = re.sub(r'^reference = "[^"]*"', f'reference = "JI-{i:03d}"', t, flags=re.M)
    t = re.sub(r'^area = "[^"]*"', f'area = "Area {tag}"', t, flags=re.M)
    t = re.sub(r'^commencement = \S+', f"commencement = {start + datetime.timedelta(weeks=i)}", t, flags=re.M)
    # A team of its own: no inspector in two areas at once.
    t = re.sub(r'^(name = "(?:Morag Petrie|Iain Baxter|Ruth Cole|Dr Anwar Siddiqui|Graeme Lindsay|Fiona Macrae|Karen Dunlop|Neil Forsyth))"', rf'\1 {tag}"', t, flags=re.M)
    t = re.sub(r'^links = \["Eastmoor"\]', "links = []", t, flags=re.M)
    open(p, "w").write(t)
    f = os.path.join(folder, "findings", "findings.toml")
    t = re.sub(r'^status = "\w+"', 'status = "final"', open(f).read(), flags=re.M)
    open(f, "w").write(t)
open(os.path.join(root, "programme.toml"), "w").write(f'name = "Benchmark programme of {n} inspections"\n')
PY
"$bin" programme "$pg" >/dev/null

# One run: "<seconds> <peak KB> <what it said>".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" programme "$@" >"$work/log" 2>&1 || true
  said=$(grep -o '([0-9]* typeset, [0-9]* unchanged)' "$work/log" || echo "(timeline printed)")
  echo "$(cat "$work/time") $said"
}

declare -A results
order=(programme full none evaluation commencement)
for i in $(seq 1 "$runs"); do
  results[programme]+="$(measure "$pg")"$'\n'
  results[full]+="$(measure build "$pg" --date 2013-06-03 --full)"$'\n'
  results[none]+="$(measure build "$pg" --date 2013-06-03)"$'\n'
  grade=$([ $((i % 2)) -eq 1 ] && echo weak || echo good)
  sed -i "0,/^evaluation = .*/s//evaluation = \"$grade\"/" "$pg/area-05/findings/findings.toml"
  results[evaluation]+="$(measure build "$pg" --date 2013-06-03)"$'\n'
  moves=(2014-01-14 2014-02-11 2014-03-11)
  sed -i "s/^commencement = .*/commencement = ${moves[$((i % 3))]}/" "$pg/area-07/inspection.toml"
  results[commencement]+="$(measure build "$pg" --date 2013-06-03)"$'\n'
done

echo "$n inspections of the worked example's size, median of $runs runs ($(nproc) cores):"
for k in "${order[@]}"; do
  printf '%s' "${results[$k]}" | sort -n | awk -v k="$k" -v r="$runs" \
    'NR == int((r + 1) / 2) { printf "  %-13s %6.2f s  %5d MiB peak  %s\n", k, $1, $2 / 1024, substr($0, index($0, $3)) }'
done
