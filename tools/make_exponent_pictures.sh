#!/usr/bin/env bash
# Regenerates docs/images/exponent-*.png: for each exponential family of proofs/, log2 of the
# certified rank against its size parameter, with the claimed bounds and the min-cut, read from
# `seprank verify FILE --json` (tools/plot.py exponent). Run from the repository root after
# building:
#   bash tools/make_exponent_pictures.sh [path/to/seprank]
# Needs /usr/bin/python3 with matplotlib (Debian: python3-matplotlib). A1, C2 and C9 use their
# --extended instances too (about 30 s in all); C4's take minutes, so it is drawn on its default
# instances, where only the channel count varies.
set -euo pipefail
seprank=${1:-build/seprank}
out=docs/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

for id in A1 C2 C9; do "$seprank" verify "proofs/$id.toml" --extended --json >"$work/$id.json" 2>/dev/null; done
for id in B1 C4 C5 C6 C7 C8; do "$seprank" verify "proofs/$id.toml" --json >"$work/$id.json" 2>/dev/null; done

picture() {  # picture ID CLAIM X XLABEL FIX... : docs/images/exponent-<id>.png
  local id=$1 claim=$2 x=$3 xlabel=$4
  shift 4
  local fixes=()
  for f in "$@"; do fixes+=(--fix "$f"); done
  /usr/bin/python3 tools/plot.py exponent -o "$out/exponent-$(tr 'A-Z' 'a-z' <<<"$id").png" \
    --theorem "$id" --claim "$claim" --x "$x" --xlabel "$xlabel" "${fixes[@]}" "$work/$id.json"
}

picture A1 conv L "depth L (N = 2^L positions)" C=2 M=2 r0=2
picture B1 checkerboard L "depth L (2^L x 2^L positions)" C=2 C1=2 M=2
picture C2 "1D exact, C'=1" R "window R (N = 12 positions)" N=12 C=2 Cp=1 M=2
picture C4 left-right C "channels C (6x6 positions; H = 8 is --extended: minutes)" H=6 M=2
picture C5 "2D, pairs" H "side H (H x H positions)" C=4 K=2 L=1 M=2 R=2
picture C6 2D H "side H (H x H positions)" C=3 Cp=1 M=3 R=3 S=2
picture C7 "(a) product pooling, one block" H "side H (H x H positions)" C=2 Cp=2 M=2
picture C8 "1D overlapping: rank >= B" R "window R (N = 8 positions)" N=8 C=2 M=2 T2=3 T3=0
picture C9 "1D odd-even" L "depth L (N = 2^L positions)" C=2 M=2 R=3 r0=2
