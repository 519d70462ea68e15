#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets in DIR/<target>/ (created; existing files stay, so
# a corpus grown by earlier runs keeps its finds): the theorem files and certificates of proofs/
# and tests/data, the committed regressions, and one file per line of fuzz/seeds/*.lines.
# Usage: fuzz/make_corpus.sh DIR
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: fuzz/make_corpus.sh DIR}"

# One file per input line of a .lines file (comments and empty lines skipped).
split_lines() {
  local lines="$1" dir="$2" n=0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    n=$((n + 1))
    printf '%s' "$line" >"$dir/seed-$(basename "$lines" .lines)-$n"
  done <"$lines"
}

for target in network_spec theorem_file expression certificate_check network_file; do
  mkdir -p "$out/$target"
  cp "$repo"/fuzz/regressions/"$target"/* "$out/$target/" 2>/dev/null || true
done
split_lines "$repo/fuzz/seeds/network_spec.lines" "$out/network_spec"
split_lines "$repo/fuzz/seeds/expression.lines" "$out/expression"
cp "$repo"/proofs/*.toml "$repo"/tests/data/*.toml "$out/theorem_file/"
cp "$repo"/proofs/certificates/*.json "$repo"/proofs/certificates/broken/*.json "$out/certificate_check/"
cp "$repo"/proofs/certificates/*.json "$repo"/proofs/certificates/broken/*.json "$out/network_file/"
