#!/usr/bin/env bash
# `seprank certify` against `seprank-check` (issue 14, part 3): the time certify takes to write a
# certificate and the time the independent checker takes to check it, on
#   4096: the 4096 x 4096 matrix of --input 6x6 --layers 3/1/2,3/1/2,2/1/2 --vary auto, and
#   8192: C4's 8192 x 8192 strip at H = 8 (proofs/C4.toml, claim "exact for M = C = 2", the
#         extended instance H = 8, M = C = 2),
# each with --prime fast (2^23 - 15: the checker's double path) and with the default prime
# 2^62 - 57 (its Montgomery path). Targets: checking the 4096 certificate takes at most 1.5x
# the time certify took to write it; the 8192 certificate is checked in under 2 minutes.
#
# usage: bash bench/bench_checker.sh [--seprank PATH] [--check PATH] [--reps N] [--threads T]
#                                    [--only 4096|8192] [--primes "fast default"]
#   defaults: ./build/seprank, ./build/seprank-check, 1 repetition, 2 threads, both sizes, both
#   primes. certify runs with --threads T; seprank-check uses every core.
# Every command is a fresh process timed by GNU /usr/bin/time (wall, user + system, peak
# memory). Certify and check alternate (certify, check, certify, check, ...), each ratio is
# taken pair by pair, and the table shows medians. The checker must say VERIFIED every time.
# Takes ~20 minutes on 2 cores with one repetition; the default prime's 8192 certificate (FLINT's
# elimination, no BLAS) is most of it. docs/benchmarks.md ("The checker") has the results.
set -euo pipefail

SEPRANK=./build/seprank
CHECK=./build/seprank-check
REPS=1
THREADS=2
ONLY=all
PRIMES="fast default"
while (($#)); do
  case "$1" in
    --seprank) SEPRANK=$2; shift ;;
    --check) CHECK=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --primes) PRIMES=$2; shift ;;
    *) echo "unknown argument $1 (see the comment at the top)" >&2; exit 64 ;;
  esac
  shift
done
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "needs $TIME (GNU time)" >&2; exit 69; }
[[ -x $SEPRANK ]] || { echo "no seprank binary at $SEPRANK" >&2; exit 66; }
[[ -x $CHECK ]] || { echo "no seprank-check binary at $CHECK" >&2; exit 66; }
[[ $ONLY == all || $ONLY == 4096 || $ONLY == 8192 ]] || { echo "--only: 4096 or 8192" >&2; exit 64; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# C4 at H = 8: rows 0..5 vary in columns 2..5, the last row in columns 3 and 4 (the vary mask
# of proofs/C4.toml with H = 8).
C4_MASK=$(printf '00111100%.0s' 1 2 3 4 5 6)0000000000011000
# name | rows | network options
CASES=(
  "4096|4096|--input 6x6 --layers 3/1/2,3/1/2,2/1/2 --vary auto"
  "8192|8192|--input 8x8 --templates 2 --layers 3/1/2,2/2/2,3/1/2 --partition left-right --vary mask:$C4_MASK"
)

timed() {  # timed OUT_FILE COMMAND...: "wall user sys peak_kib" into OUT_FILE; the command's stdout into OUT_FILE.out
  local out=$1
  shift
  $TIME -f '%e %U %S %M' -o "$out" "$@" >"$out.out" 2>"$out.err" || {
    echo "failed: $* (exit $?)" >&2
    cat "$out.err" >&2
    exit 70
  }
}

echo "seprank: $SEPRANK; seprank-check: $CHECK; certify --threads $THREADS; repetitions: $REPS"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); $(nproc) cores"
echo "load average at start: $(cat /proc/loadavg)"
: >"$WORK/results"
for entry in "${CASES[@]}"; do
  IFS='|' read -r name rows network <<<"$entry"
  [[ $ONLY == all || $ONLY == "$name" ]] || continue
  for prime in $PRIMES; do
    case $prime in
      fast) prime_options="--prime fast" ;;
      default) prime_options="" ;;
      *) prime_options="--prime $prime" ;;
    esac
    for ((rep = 1; rep <= REPS; rep++)); do
      # shellcheck disable=SC2086
      timed "$WORK/certify" "$SEPRANK" certify $network $prime_options --threads "$THREADS" \
        -o "$WORK/certificate.json" --force
      timed "$WORK/check" "$CHECK" "$WORK/certificate.json"
      grep -q '^VERIFIED: rank >= '"$rows"' ' "$WORK/check.out" || {
        echo "seprank-check did not verify the $name certificate ($prime): $(cat "$WORK/check.out")" >&2
        exit 70
      }
      echo "$name $prime $rows $(cat "$WORK/certify") $(cat "$WORK/check")" >>"$WORK/results"
    done
  done
done
echo "load average at end: $(cat /proc/loadavg)"
echo
python3 - "$WORK/results" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, prime, r, *v = line.split()
    cw, cu, cs, cm, kw, ku, ks, km = map(float, v)
    rows.setdefault((name, prime, r), []).append((cw, cu + cs, kw, ku + ks, kw / cw, (ku + ks) / (cu + cs), km / 1024))
print("| certificate | prime | r | certify wall s | certify cpu s | check wall s | check cpu s "
      "| check/certify wall | check/certify cpu | check peak MiB |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for (name, prime, r), runs in rows.items():
    m = [statistics.median(column) for column in zip(*runs)]
    print(f"| {name} | {prime} | {r} | {m[0]:.2f} | {m[1]:.2f} | {m[2]:.2f} | {m[3]:.2f} | {m[4]:.2f} | {m[5]:.2f} | {m[6]:.0f} |")
EOF
