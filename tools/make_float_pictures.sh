#!/usr/bin/env bash
# Regenerates docs/images/float-*.png and prints the table of float failures
# (docs/float-comparison.md). Run from the repository root after building:
#   bash tools/make_float_pictures.sh [path/to/seprank]
# Needs /usr/bin/python3 with matplotlib (Debian: python3-matplotlib).
set -euo pipefail
seprank=${1:-build/seprank}
out=docs/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

repeat() {  # repeat LAYER TIMES LAST -> LAYER,LAYER,...,LAST
  local s="" i
  for ((i = 0; i < $2; i++)); do s+="$1,"; done
  echo "$s$3"
}

# (a) spectra: a C2 network where floats agree, and the smallest failures in each direction.
"$seprank" compare --input 8 --layers 3/1/2,6/1/1 --json >"$work/agree.json"
"$seprank" compare --input 4 --templates 3 --layers 2/1/3,2/1/3,2/1/1 --seed 3 --json >"$work/under.json"
"$seprank" compare --input 4 --padding same --layers "$(repeat 2/1/1 9 4/4/1)" --seed 2 --json >"$work/over.json"
/usr/bin/python3 tools/plot.py spectrum -o "$out/float-spectrum.png" "$work/agree.json" "$work/under.json" "$work/over.json"

# (b) C2 window sweep: N = 14, M = 2, C = 2, C' = 1, R = 1..8 (claim M^(R-1), docs/theorems.md#c2).
for r in 1 2 3 4 5 6 7 8; do
  layers="$r/1/2,$((14 - r + 1))/1/1"
  "$seprank" rank --input 14 --layers "$layers" --json >"$work/c2-rank-$r.json"
  "$seprank" compare --input 14 --layers "$layers" --json >"$work/c2-compare-$r.json"
done
/usr/bin/python3 tools/plot.py sweep -o "$out/float-sweep-window.png" --x window --claim 'M**(R-1)' \
  --title "C2: N=14, M=2, layers R/1/2,(15-R)/1/1, uniform weights, seed 1" "$work"/c2-*.json

# (b) depth sweep (C5's kind): N = 10, M = 2, L layers 2/1/2 then a global layer, L = 1..8.
for l in 1 2 3 4 5 6 7 8; do
  layers=$(repeat 2/1/2 "$l" "$((10 - l))/1/1")
  "$seprank" rank --input 10 --layers "$layers" --json >"$work/deep-rank-$l.json"
  "$seprank" compare --input 10 --layers "$layers" --json >"$work/deep-compare-$l.json"
done
/usr/bin/python3 tools/plot.py sweep -o "$out/float-sweep-depth.png" --x depth \
  --title "Depth: N=10, M=2, L layers 2/1/2 then a global layer, uniform weights, seed 1" "$work"/deep-*.json

# The table of the smallest float failures (the regression instances of tests/test_float_compare.cpp).
echo "| network | weights | matrix | exact rank (= min-cut) | float rank (numpy) | verdict |"
echo "|---|---|---|---:|---:|---|"
while IFS='|' read -r args; do
  # shellcheck disable=SC2086
  "$seprank" compare $args --json | /usr/bin/python3 -c '
import json, sys
j = json.load(sys.stdin)
row = ["`" + sys.argv[1] + "`", "%s seed %d" % (j["weights"], j["seed"]), "%dx%d" % (j["rows"], j["cols"]),
       "%d (= %s)" % (j["exact_rank_mod_p"], j["upper_bound"]), str(j["float_rank"]), j["verdict"]]
print("| " + " | ".join(row) + " |")' "$args"
done <<LIST
--input 2 --padding same --layers $(repeat 2/1/2 8 2/2/1) --weights gaussian --seed 10
--input 4 --padding same --layers 2/1/2,2/1/2,4/4/1 --weights gaussian --seed 7
--input 4 --templates 3 --layers 2/1/3,2/1/3,2/1/1 --seed 3
--input 6 --layers $(repeat 2/1/2 4 2/1/1) --seed 1
--input 12 --layers 7/1/2,6/1/1 --seed 1
--input 4 --padding same --layers $(repeat 2/1/1 9 4/4/1) --seed 2
LIST
