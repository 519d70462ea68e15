#!/usr/bin/env bash
# Issue 14's figures in one run, on one machine, for docs/benchmarks.md and the README's table:
#   1. assembly: table assembly against the odometer (entries per second, both primes) on the two
#      matrices (bench_table_assembly, no rank), and the assembly's share of assembly + rank in
#      `seprank rank --json --timings`, without --prime (the default) and with --prime fast;
#   2. the default against --prime fast on the settled 4096 x 4096 matrix (whole commands);
#   3. certify against seprank-check on the 4096 and 8192 certificates (--prime fast;
#      bench/bench_checker.sh);
#   4. the rank against LAPACK's dgetrf in the same process, n = 4000, 1 and 2 threads
#      (bench_rank --quick);
#   5. `seprank verify proofs/C4.toml --extended`, whole.
# The two matrices: (a) --input 6x6 --layers 3/1/2,3/1/2,2/1/2 --vary auto (4096 x 4096, full
# rank, so settled); (b) C4's 8192 x 8192 strip at H = 8 (proofs/C4.toml, "exact for M = C = 2").
# usage: bash bench/report.sh [--build DIR] [--reps N]   (defaults: ./build, 1; ~10 minutes idle)
# Run it on an otherwise idle machine: every figure is a wall time, or a ratio of two taken in
# the same process or pair by pair.
set -euo pipefail

BUILD=./build
REPS=1
while (($#)); do
  case "$1" in
    --build) BUILD=$2; shift ;;
    --reps) REPS=$2; shift ;;
    *) echo "usage: bash bench/report.sh [--build DIR] [--reps N]" >&2; exit 64 ;;
  esac
  shift
done
SEPRANK=$BUILD/seprank
A="--input 6x6 --layers 3/1/2,3/1/2,2/1/2 --vary auto"
STRIP="mask:$(for _ in 1 2 3 4 5 6; do printf 00111100; done)0000000000011000"
B="--input 8x8 --layers 3/1/2,2/2/2,3/1/2 --vary $STRIP"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "# seprank benchmark report"
echo
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

echo
echo "## 1. Assembly: tables against the odometer (bench_table_assembly, 2 threads, no rank)"
echo '```'
"$BUILD/bench_table_assembly" --threads 2 --reps "$REPS" --case all --prime all --no-rank
echo '```'

# One `seprank rank` run: wall seconds, assembly and rank seconds, rows, cols, rank, prime.
rank_run() {
  local out="$work/rank.json"
  local start end
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$SEPRANK" rank $1 --threads 2 --json --timings > "$out"
  end=$(date +%s.%N)
  python3 - "$out" "$start" "$end" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["timings"]
wall = float(sys.argv[3]) - float(sys.argv[2])
a, r = t["assembly_seconds"], t["rank_seconds"]
print(f"{wall:.2f} {a:.3f} {r:.3f} {d['rows']} {d['cols']} {d['rank']} {d['prime']} {d['settled']}")
EOF
}

echo
echo "## 1b, 2. seprank rank, whole commands, 2 threads (median of $REPS)"
echo
echo "| matrix | prime option | wall s | assembly s | rank s | assembly share | M entries/s | rank | prime | settled |"
echo "|---|---|---|---|---|---|---|---|---|---|"
declare -A wall_of
for matrix in a b; do
  args=$A
  [[ $matrix == b ]] && args=$B
  for option in "" "--prime fast"; do
    runs=()
    for ((k = 0; k < REPS; ++k)); do runs+=("$(rank_run "$args $option")"); done
    line=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(((REPS + 1) / 2))p")
    read -r wall asm rnk rows cols rank prime settled <<< "$line"
    wall_of["$matrix${option:+ fast}"]=$wall
    python3 -c "
a, r, n = $asm, $rnk, $rows * $cols
print(f'| $matrix ($rows x $cols) | ${option:-(default)} | $wall | $asm | $rnk | {a / (a + r):.1%} | {n / a / 1e6:.0f} | $rank | $prime | $settled |')"
  done
done
echo
python3 -c "print(f'default / --prime fast on (a), wall: {${wall_of[a]} / ${wall_of[a fast]}:.2f}x (target <= 1.5x)')"

echo
echo "## 3. certify against seprank-check (bench/bench_checker.sh --primes fast)"
echo '```'
bash "$(dirname "$0")/bench_checker.sh" --seprank "$SEPRANK" --check "$BUILD/seprank-check" --reps "$REPS" --primes fast
echo '```'

echo
echo "## 4. Rank against dgetrf, n = 4000 (bench_rank --quick)"
echo '```'
"$BUILD/bench_rank" --sizes 4000 --threads 1,2 --reps "$REPS" --quick
echo '```'

echo
echo "## 5. seprank verify proofs/C4.toml --extended (target < 20 s; median of $REPS)"
walls=()
for ((k = 0; k < REPS; ++k)); do
  start=$(date +%s.%N)
  "$SEPRANK" verify "$(dirname "$0")/../proofs/C4.toml" --extended > "$work/verify.txt"
  end=$(date +%s.%N)
  walls+=("$(python3 -c "print(f'{$end - $start:.1f}')")")
done
echo
echo "wall s: ${walls[*]}; median $(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((REPS + 1) / 2))p") s"
echo "$(grep '^summary' "$work/verify.txt")"
