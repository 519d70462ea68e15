#!/usr/bin/env bash
# Peak memory of `seprank rank` and `seprank certify` against the dense matrix (one 8-byte word
# per entry), issue 8 part 5: peak <= 1.5x the dense matrix. Each run is a fresh process
# measured by /usr/bin/time (maximum resident set size); seprank's own estimate is the number
# its --max-memory check prints when the limit is set to 1 MiB (src/rank/rank_request.cpp
# check_memory), which costs no assembly.
#
# usage: bash bench/measure_memory.sh [path/to/seprank] [--quick] [--only rank|certify]
#   --quick: the 4096 x 4096 matrix only, rank only.
# Prints one markdown table: every network x field x thread count, for `rank` and `certify`.
# Takes ~12 minutes on 2 cores (the 8192 x 8192 runs and the default prime's certificates,
# whose rank profile is FLINT's rref on a copy, dominate). docs/benchmarks.md has the results.
# `certify --field Q` certifies mod 2^62 - 57 (the integer weights reduced), so its row is the
# default prime's; `rank --field Q` starts with 2^23 - 15 and stops there on these matrices.
set -euo pipefail

SEPRANK=./build/seprank
QUICK=0
ONLY=all
while (($#)); do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY=$2; shift ;;
    *) SEPRANK=$1 ;;
  esac
  shift
done
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "needs $TIME (GNU time)" >&2; exit 69; }
[[ -x $SEPRANK ]] || { echo "no seprank binary at $SEPRANK" >&2; exit 66; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# name | network options
CASES=(
  "6x6 vary auto|--input 6x6 --layers 3/1/2,3/1/2,2/1/2 --vary auto"
  "5x5 odd-even|--input 5x5 --layers 3/1/2,3/1/2 --partition odd-even"
  "1D 26 left-right|--input 26 --layers 3/1/2,3/1/2,3/1/2,20/1/2"
)
# name | field options
FIELDS=(
  "2^62-57 (FLINT)|"
  "fast 2^23-15 (FFLAS double)|--prime fast"
  "2039 (FFLAS float)|--prime 2039"
  "Q|--field Q"
)
[[ $ONLY == all || $ONLY == rank || $ONLY == certify ]] || { echo "--only: rank or certify" >&2; exit 64; }
RANK=1
CERTIFY=1
[[ $ONLY == certify ]] && RANK=0
[[ $ONLY == rank ]] && CERTIFY=0
if ((QUICK)); then
  CASES=("${CASES[0]}")
  CERTIFY=0
fi

json_field() {  # json_field FILE KEY
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# Startup RSS (binary, FLINT, OpenBLAS) on a 4 x 4 matrix, per field and thread count.
baseline_kib() {  # baseline_kib "FIELD OPTIONS" THREADS
  # shellcheck disable=SC2086
  $TIME -f '%M' -o "$WORK/base" "$SEPRANK" rank --input 4 --layers 3/1/2,2/1/1 $1 --threads "$2" --json >/dev/null
  cat "$WORK/base"
}

estimate_mib() {  # estimate_mib "NETWORK OPTIONS" "FIELD OPTIONS" THREADS
  local msg
  # shellcheck disable=SC2086
  msg=$("$SEPRANK" rank $1 $2 --threads "$3" --max-memory 1 2>&1 >/dev/null || true)
  sed -n 's/.*need about \([0-9]*\) MiB.*/\1/p' <<<"$msg"
}

echo "seprank: $SEPRANK; CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); $(nproc) cores"
echo "load average at start: $(cat /proc/loadavg)"
echo
echo "| command | network | rows x cols | dense MiB | field | t | rank | peak MiB | peak/dense | (peak-startup)/dense | estimate MiB | estimate/dense | wall s | cpu s |"
echo "|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"

run() {  # run COMMAND CASE_INDEX FIELD_INDEX THREADS
  local command=$1 case_name=${CASES[$2]%%|*} net=${CASES[$2]#*|}
  local field_name=${FIELDS[$3]%%|*} field=${FIELDS[$3]#*|} threads=$4
  local extra=()
  [[ $command == certify ]] && extra=(-o "$WORK/cert.json" --force)
  # shellcheck disable=SC2086
  $TIME -f '%M %e %U %S' -o "$WORK/time" "$SEPRANK" "$command" $net $field --threads "$threads" --json "${extra[@]}" \
    >"$WORK/out.json"
  local peak_kib wall user sys rows cols rank base est
  read -r peak_kib wall user sys <"$WORK/time"
  rows=$(json_field "$WORK/out.json" rows)
  cols=$(json_field "$WORK/out.json" cols)
  rank=$(json_field "$WORK/out.json" rank)
  base=$(baseline_kib "$field" "$threads")
  est=$(estimate_mib "$net" "$field" "$threads")
  python3 - "$command" "$case_name" "$rows" "$cols" "$field_name" "$threads" "$rank" "$peak_kib" "$base" "$est" \
    "$wall" "$user" "$sys" <<'EOF'
import sys
cmd, name, rows, cols, field, t, rank, peak, base, est, wall, user, sys_ = sys.argv[1:]
dense = int(rows) * int(cols) * 8 / 2**20
peak_mib, base_mib = int(peak) / 1024, int(base) / 1024
est_cell = f"{int(est)} | {int(est) / dense:.2f}" if est else "- | -"
print(f"| {cmd} | {name} | {rows} x {cols} | {dense:.0f} | {field} | {t} | {rank} | {peak_mib:.0f} | "
      f"{peak_mib / dense:.2f} | {(peak_mib - base_mib) / dense:.2f} | {est_cell} | {float(wall):.1f} | "
      f"{float(user) + float(sys_):.1f} |")
EOF
}

for command in rank certify; do
  [[ $command == rank ]] && ((!RANK)) && continue
  [[ $command == certify ]] && ((!CERTIFY)) && continue
  for c in "${!CASES[@]}"; do
    for f in "${!FIELDS[@]}"; do
      for t in 1 2; do run "$command" "$c" "$f" "$t"; done
    done
  done
done
echo
echo "load average at end: $(cat /proc/loadavg)"
