#!/usr/bin/env bash
# The CI smoke run of the fuzz targets: a few seconds each, fixed seed and number of runs, from
# the seed corpora (fuzz/make_corpus.sh) in a temporary directory. Fails on any crash, leak,
# UB report or timeout; the input that caused it is left in that directory and its path shown.
# Long runs: fuzz/README.md. Usage: fuzz/smoke.sh BUILD_DIR [RUNS]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:?usage: fuzz/smoke.sh BUILD_DIR [RUNS]}" && pwd)"
runs="${2:-5000}"
work="$(mktemp -d)"
"$repo/fuzz/make_corpus.sh" "$work/corpus"

for target in network_spec theorem_file expression certificate_check network_file; do
  log="$work/$target.log"
  if ! "$build/fuzz/fuzz_$target" -seed=1 -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
      -dict="$repo/fuzz/dictionaries/$target.dict" -artifact_prefix="$work/$target-" \
      "$work/corpus/$target" >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz smoke: fuzz_$target failed; its input and log are in $work" >&2
    exit 1
  fi
  echo "fuzz smoke: fuzz_$target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log")"
done
rm -rf "$work"
